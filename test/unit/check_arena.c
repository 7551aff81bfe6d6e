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

int main(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, printf_every_length);
	tcase_add_test(tc, printf_under_a_limit);
	tcase_add_test(tc, concat_joins);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
