/*
 * check_arena.c - arena formatting and joining: every length round trips,
 * including texts around the size formatted on the stack, and failures
 * under a limit are reported, never truncated.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pctest.h"

START_TEST(printf_every_length)
{
	struct arena a;
	arena_init(&a, 0);
	char *want = malloc(5001);
	ck_assert_ptr_nonnull(want);
	for (size_t n = 0; n <= 5000; n += n < 1030 && n > 1015 ? 1 : 97) {
		memset(want, 'a' + (int)(n % 26), n);
		want[n] = '\0';
		/* Through a conversion, so the text is produced by formatting. */
		char *got = arena_printf(&a, "%s", want);
		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(strlen(got), n);
		ck_assert(memcmp(got, want, n) == 0);
		char *mixed = arena_printf(&a, "<%zu:%.*s>", n, (int)n, want);
		ck_assert_ptr_nonnull(mixed);
		ck_assert_uint_eq(strlen(mixed), n + 3 + (size_t)snprintf(NULL, 0, "%zu", n));
	}
	free(want);
	arena_release(&a);
}
END_TEST

START_TEST(printf_under_a_limit)
{
	struct arena a;
	arena_init(&a, 64);
	ck_assert_ptr_nonnull(arena_printf(&a, "%s", "short"));
	ck_assert_ptr_null(arena_printf(&a, "%0200d", 7));   /* 201 bytes do not fit 64 */
	ck_assert(a.failed);
	arena_release(&a);
}
END_TEST

START_TEST(concat_joins)
{
	struct arena a;
	size_t len = 0;
	arena_init(&a, 0);
	const char *parts[] = { "alpha", "", "-", "omega" };
	char *s = arena_concat(&a, parts, 4, &len);
	ck_assert_str_eq(s, "alpha-omega");
	ck_assert_uint_eq(len, 11);
	ck_assert_str_eq(arena_concat(&a, parts, 0, NULL), "");
	arena_release(&a);
}
END_TEST

/* arena_owns: what was handed out, from small and mapped blocks; nothing else, nothing after release. */
START_TEST(owns_what_it_handed_out)
{
	struct arena a, b;
	arena_init(&a, 0);
	arena_init(&b, 0);
	char *small = arena_strdup(&a, "small");
	unsigned char *big = arena_alloc(&a, (size_t)3 << 20);
	char *other = arena_strdup(&b, "other");
	char local = 0;
	ck_assert(small && big && other);
	ck_assert(arena_owns(&a, small) && arena_owns(&a, small + 5));
	ck_assert(arena_owns(&a, big) && arena_owns(&a, big + ((size_t)3 << 20) - 1));
	ck_assert(!arena_owns(&a, other) && !arena_owns(&b, small) && !arena_owns(&a, &local));
	ck_assert(!arena_owns(&a, NULL));
	arena_release(&a);
	ck_assert(!arena_owns(&a, small));
	arena_release(&b);
}
END_TEST

/*
 * arena_adopt: what another arena handed out (small and mapped blocks)
 * lives on in the adopter, which keeps allocating from its own block and
 * counts the bytes; the adopted arena is empty and reusable.
 */
START_TEST(adopt_moves_everything)
{
	struct arena a, b;
	arena_init(&a, 0);
	arena_init(&b, 1 << 30);
	char *mine = arena_strdup(&a, "mine");
	char *small = arena_strdup(&b, "theirs");
	unsigned char *big = arena_alloc(&b, (size_t)3 << 20);
	ck_assert(mine && small && big);
	size_t used = a.used + b.used;
	arena_adopt(&a, &b);
	ck_assert(b.head == NULL && b.used == 0 && b.limit == (1 << 30) && !b.failed);
	ck_assert_uint_eq(a.used, used);
	ck_assert(arena_owns(&a, small) && arena_owns(&a, big) && arena_owns(&a, mine));
	ck_assert_str_eq(small, "theirs");
	char *next = arena_strdup(&a, "next");
	ck_assert(next && arena_owns(&a, next) && (size_t)(next - mine) < 64);   /* the same block as before */
	char *again = arena_strdup(&b, "again");
	ck_assert(again != NULL);
	/* Into an empty arena, and a failure goes with the blocks. */
	struct arena c;
	arena_init(&c, 0);
	b.failed = 1;
	arena_adopt(&c, &b);
	ck_assert(c.failed && arena_owns(&c, again) && !arena_owns(&b, again));
	arena_release(&c);
	arena_release(&b);
	arena_release(&a);
}
END_TEST

/* arena_grow keeps the elements, doubles, and says NULL (array untouched) when the limit is reached. */
START_TEST(grow_and_budget)
{
	struct arena a;
	arena_init(&a, 4096);
	size_t n = 0, cap = 0;
	int *v = NULL;
	for (;;) {
		int *nv = arena_grow(&a, v, n, &cap, sizeof(*v));
		if (!nv)
			break;
		ck_assert(n < cap);
		v = nv;
		v[n] = (int)n;
		n++;
	}
	ck_assert_uint_ge(n, 256);
	ck_assert(a.failed && n == cap);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(v[i], (int)i);
	/* Budgets: a share of what is left; unlimited stays unlimited, an exhausted arena gives 1, never 0. */
	ck_assert_uint_eq(arena_budget(&a, 2), (4096 - a.used) / 2 + 1);
	struct arena u;
	arena_init(&u, 0);
	ck_assert_uint_eq(arena_budget(&u, 3), 0);
	arena_init(&u, 1000);
	ck_assert_uint_eq(arena_budget(&u, 4), 251);
	ck_assert_int_eq(arena_charge(&u, 1000), 0);
	ck_assert_uint_eq(arena_budget(&u, 4), 1);
	arena_release(&a);
}
END_TEST

START_TEST(big_blocks_zeroed)
{
	struct arena a;
	arena_init(&a, 0);
	for (size_t n = (size_t)1 << 20; n <= (size_t)9 << 20; n += (size_t)3 << 20) {
		unsigned char *p = arena_alloc(&a, n);
		ck_assert_ptr_nonnull(p);
		for (size_t i = 0; i < n; i += 4093)
			ck_assert_uint_eq(p[i], 0);
		ck_assert_uint_eq(p[n - 1], 0);
		memset(p, 0xab, n);   /* all of it is ours to write */
	}
	/* Geometric growth reaches the mapped sizes too; every piece comes back zeroed. */
	for (int i = 0; i < 2000; i++) {
		unsigned char *q = arena_alloc(&a, 4000);
		ck_assert_ptr_nonnull(q);
		ck_assert_uint_eq(q[0] | q[3999], 0);
		q[0] = q[3999] = 1;
	}
	arena_release(&a);
	arena_init(&a, (size_t)3 << 20);
	ck_assert_ptr_null(arena_alloc(&a, (size_t)4 << 20));
	ck_assert(a.failed);
	arena_release(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, printf_every_length);
	tcase_add_test(tc, printf_under_a_limit);
	tcase_add_test(tc, concat_joins);
	tcase_add_test(tc, big_blocks_zeroed);
	tcase_add_test(tc, owns_what_it_handed_out);
	tcase_add_test(tc, adopt_moves_everything);
	tcase_add_test(tc, grow_and_budget);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
