/*
 * check_stack_index.c - the stack index: type ranges, and the lazily built
 * reference tables behind stk_find_eq and stk_refs, checked case by case and
 * against a plain scan over randomly generated stacks (the tables must give
 * exactly the scan's answers, in request order), with and without memory.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pctest.h"
#include "pv.h"
#include "resjson.h"
#include "stack.h"

#define T_ROLE "aws:iam/role:Role"
#define T_POL "aws:s3/bucketPolicy:BucketPolicy"
#define T_BUCKET "aws:s3/bucketV2:BucketV2"
#define URN(t, n) "urn:pulumi:dev::p::" t "::" n
#define UNKNOWN "\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\""
#define SECRET(v) "{\"4dabf18193072939515e22adb298388d\":\"1b47061264138c4ac30d75fd1eb44270\",\"value\":" v "}"

static struct arena A;
static struct stk_index S;

static void load(const char *json)
{
	struct resjson_doc d;
	const char *err = NULL;
	ck_assert_msg(resjson_load(&A, json, strlen(json), &d, &err) == 0, "fixture: %s", err ? err : "?");
	ck_assert_int_eq(stk_index_build(&S, &A, d.outputs, d.n), 0);
}

static void setup(void)
{
	arena_init(&A, 0);
}

static void teardown(void)
{
	arena_release(&A);
}

static const char stack_doc[] =
	"{\"resources\":["
	"{\"type\":\"" T_ROLE "\",\"urn\":\"" URN(T_ROLE, "a") "\",\"name\":\"a\",\"properties\":{\"name\":\"app\",\"arn\":\"arn:aws:iam::1:role/app\"}},"
	"{\"type\":\"" T_BUCKET "\",\"urn\":\"" URN(T_BUCKET, "b1") "\",\"name\":\"b1\",\"properties\":{\"bucket\":\"logs\",\"id\":\"logs\"}},"
	"{\"type\":\"" T_ROLE "\",\"urn\":\"" URN(T_ROLE, "b") "\",\"name\":\"b\",\"properties\":{\"name\":\"other\",\"id\":\"app\"}},"
	"{\"type\":\"" T_ROLE "\",\"urn\":\"" URN(T_ROLE, "c") "\",\"name\":\"c\",\"properties\":{\"name\":\"app\"}},"
	"{\"type\":\"" T_ROLE "\",\"urn\":\"" URN(T_ROLE, "d") "\",\"name\":\"d\",\"properties\":{\"name\":" SECRET("\"hidden\"") "}},"
	"{\"type\":\"" T_ROLE "\",\"urn\":\"" URN(T_ROLE, "e") "\",\"name\":\"e\",\"properties\":{\"name\":" UNKNOWN "}},"
	"{\"type\":\"" T_POL "\",\"urn\":\"" URN(T_POL, "p1") "\",\"name\":\"p1\",\"properties\":{\"bucket\":\"logs\"}},"
	"{\"type\":\"" T_POL "\",\"urn\":\"" URN(T_POL, "p2") "\",\"name\":\"p2\",\"properties\":{\"bucket\":" UNKNOWN "},"
	" \"propertyDependencies\":{\"bucket\":[\"" URN(T_BUCKET, "b1") "\"]}},"
	"{\"type\":\"" T_POL "\",\"urn\":\"" URN(T_POL, "p3") "\",\"name\":\"p3\",\"properties\":{\"bucket\":\"logs\"},"
	" \"propertyDependencies\":{\"bucket\":[\"" URN(T_BUCKET, "b1") "\"]}},"
	"{\"type\":\"" T_POL "\",\"urn\":\"" URN(T_POL, "p4") "\",\"name\":\"p4\",\"properties\":{\"bucket\":\"elsewhere\"}}"
	"]}";

START_TEST(type_ranges)
{
	size_t first;
	load(stack_doc);
	ck_assert_uint_eq(stk_type_range(&S, T_ROLE, &first), 5);
	const char *order[] = { "a", "b", "c", "d", "e" };
	for (size_t k = 0; k < 5; k++)
		ck_assert_str_eq(stk_type_at(&S, first + k)->name, order[k]);
	ck_assert_uint_eq(stk_type_range(&S, T_POL, &first), 4);
	ck_assert_uint_eq(stk_type_range(&S, "aws:sns/topic:Topic", &first), 0);
	ck_assert_uint_eq(stk_type_range(&S, "aws:iam/role:Rol", &first), 0);
}
END_TEST

START_TEST(find_first_last_and_keys)
{
	static const char *const by_name[] = { "name", NULL };
	static const char *const by_any[] = { "name", "id", "arn", NULL };
	load(stack_doc);
	ck_assert_str_eq(stk_find_eq(&S, T_ROLE, by_name, "app", STK_FIRST)->name, "a");
	ck_assert_str_eq(stk_find_eq(&S, T_ROLE, by_name, "app", STK_LAST)->name, "c");
	/* Across keys: the earliest (latest) resource matching any of them. */
	ck_assert_str_eq(stk_find_eq(&S, T_ROLE, by_any, "app", STK_FIRST)->name, "a");
	ck_assert_str_eq(stk_find_eq(&S, T_ROLE, by_any, "app", STK_LAST)->name, "c");
	ck_assert_str_eq(stk_find_eq(&S, T_ROLE, by_any, "arn:aws:iam::1:role/app", STK_LAST)->name, "a");
	/* Secrets are looked through; unknowns and empty values never match. */
	ck_assert_str_eq(stk_find_eq(&S, T_ROLE, by_name, "hidden", STK_FIRST)->name, "d");
	ck_assert_ptr_null(stk_find_eq(&S, T_ROLE, by_name, "04da6b54-80e4-46f7-96ec-b56ff0331ba9", STK_FIRST));
	ck_assert_ptr_null(stk_find_eq(&S, T_ROLE, by_name, "", STK_FIRST));
	ck_assert_ptr_null(stk_find_eq(&S, T_ROLE, by_name, NULL, STK_FIRST));
	ck_assert_ptr_null(stk_find_eq(&S, T_ROLE, by_name, "nobody", STK_FIRST));
	ck_assert_ptr_null(stk_find_eq(&S, "aws:sns/topic:Topic", by_name, "app", STK_FIRST));
}
END_TEST

START_TEST(refs_by_dependency_and_value)
{
	const struct pol_resource *const *out;
	const struct pol_resource *b1 = stk_by_urn((load(stack_doc), &S), URN(T_BUCKET, "b1"));
	const char *ids[] = { NULL, "logs", "" };
	int unknown = 0;

	ck_assert_ptr_nonnull(b1);
	/* p1 by value, p2 by dependency, p3 by both (once); p4 names another bucket. */
	size_t n = stk_refs(&S, T_POL, "bucket", b1, ids, 3, &out, &unknown);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(out[0]->name, "p1");
	ck_assert_str_eq(out[1]->name, "p2");
	ck_assert_str_eq(out[2]->name, "p3");
	/* p2's bucket is unknown but its dependency says which bucket it is. */
	ck_assert_int_eq(unknown, 0);
	ck_assert_uint_eq(stk_refs(&S, T_ROLE, "bucket", b1, ids, 3, &out, &unknown), 0);
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(refs_unknown_without_dependency)
{
	const char *json =
		"{\"resources\":["
		"{\"type\":\"" T_BUCKET "\",\"urn\":\"" URN(T_BUCKET, "b1") "\",\"name\":\"b1\",\"properties\":{\"bucket\":\"logs\"}},"
		"{\"type\":\"" T_POL "\",\"urn\":\"" URN(T_POL, "p") "\",\"name\":\"p\",\"properties\":{\"bucket\":" UNKNOWN "}}"
		"]}";
	const struct pol_resource *const *out;
	const char *ids[] = { "logs" };
	int unknown = 0;

	load(json);
	ck_assert_uint_eq(stk_refs(&S, T_POL, "bucket", &S.res[0], ids, 1, &out, &unknown), 0);
	ck_assert_int_eq(unknown, 1);
}
END_TEST

/*
 * The type order against a sort: stacks of up to 3,000 resources over 1 to
 * 200 type names, each resource's name either one shared string (as the
 * decoder stores repeats) or its own copy, so both the lookup by address
 * and by name are taken. by_type must list every position once, by type
 * name and then request order, and each type's range must be exactly its
 * resources.
 */
static const struct pol_resource *type_pos_res;

static int cmp_pos(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = strcmp(type_pos_res[i].type, type_pos_res[j].type);
	return c ? c : i < j ? -1 : i > j;
}

START_TEST(type_order_matches_a_sort)
{
	unsigned seed = 777u + (unsigned)_i;
	size_t n = (size_t)_i * 600, n_types = 1 + (size_t)_i * 40;
	struct pol_resource *res = arena_alloc(&A, (n ? n : 1) * sizeof(*res));
	char **names = arena_alloc(&A, n_types * sizeof(*names));
	size_t *want = malloc((n ? n : 1) * sizeof(*want));
	ck_assert(res && names && want);
	for (size_t t = 0; t < n_types; t++)
		names[t] = arena_printf(&A, "aws:svc%zu/thing:Thing%zu", (t * 7919) % 1000, t % 3);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		const char *t = names[(seed >> 16) % n_types];
		memset(&res[i], 0, sizeof(res[i]));
		res[i].type = (seed >> 8) & 1 ? t : arena_strdup(&A, t);
		res[i].urn = arena_printf(&A, "urn:pulumi:dev::p::%s::r%zu", t, i);
		res[i].name = "";
		want[i] = i;
	}
	type_pos_res = res;
	qsort(want, n, sizeof(*want), cmp_pos);
	ck_assert_int_eq(stk_index_build(&S, &A, res, n), 0);
	for (size_t k = 0; k < n; k++)
		ck_assert_ptr_eq(stk_type_at(&S, k), &res[want[k]]);
	for (size_t k = 0; k < n;) {
		size_t first, m = stk_type_range(&S, res[want[k]].type, &first);
		ck_assert_uint_eq(first, k);
		ck_assert_uint_gt(m, 0);
		for (size_t j = 0; j < m; j++)
			ck_assert_str_eq(stk_type_at(&S, first + j)->type, res[want[k]].type);
		ck_assert(k + m == n || strcmp(res[want[k + m]].type, res[want[k]].type) != 0);
		k += m;
	}
	free(want);
}
END_TEST

/* ---- randomized: the tables against a plain scan -------------------------------------------------- */

static unsigned rnd_state;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

/* A stack of `n` roles and policies with values from a small domain, some secret, unknown or absent. */
static char *random_stack(size_t n)
{
	size_t cap = n * 400 + 64, len = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	len += (size_t)snprintf(buf + len, cap - len, "{\"resources\":[");
	for (size_t i = 0; i < n; i++) {
		const char *type = rnd(3) ? T_POL : T_ROLE;
		char name[160] = "", id[64] = "", deps[160] = "";
		switch (rnd(5)) {
		case 0: break;
		case 1: snprintf(name, sizeof(name), ",\"bucket\":" UNKNOWN); break;
		case 2: snprintf(name, sizeof(name), ",\"bucket\":" SECRET("\"v%u\""), rnd(12)); break;
		default: snprintf(name, sizeof(name), ",\"bucket\":\"v%u\"", rnd(12)); break;
		}
		if (rnd(2))
			snprintf(id, sizeof(id), ",\"id\":\"v%u\"", rnd(12));
		if (rnd(3) == 0)
			snprintf(deps, sizeof(deps), ",\"propertyDependencies\":{\"bucket\":[\"urn:pulumi:dev::p::%s::r%u\"]}",
				 T_ROLE, rnd((unsigned)n));
		len += (size_t)snprintf(buf + len, cap - len,
					"%s{\"type\":\"%s\",\"urn\":\"urn:pulumi:dev::p::%s::r%zu\",\"name\":\"r%zu\","
					"\"properties\":{\"x\":1%s%s}%s}",
					i ? "," : "", type, T_ROLE, i, i, name, id, deps);
	}
	snprintf(buf + len, cap - len, "]}");
	return buf;
}

static const struct pol_resource *scan_find(const char *type, const char *const *keys, const char *v,
					    enum stk_pick pick)
{
	const struct pol_resource *r, *found = NULL;
	STK_FOREACH_TYPE(&S, type, r) {
		for (size_t k = 0; keys[k]; k++) {
			const char *o = pv_str(pv_get(r->props, keys[k]));
			if (o && *o && v && *v && strcmp(o, v) == 0) {
				found = r;
				break;
			}
		}
		if (found && pick == STK_FIRST)
			break;
	}
	return found;
}

static void compare_with_scan(void)
{
	static const char *const keys[] = { "bucket", "id", NULL };
	const char *types[] = { T_ROLE, T_POL };
	for (unsigned v = 0; v < 14; v++) {
		char val[16];
		snprintf(val, sizeof(val), "v%u", v);
		for (size_t t = 0; t < 2; t++)
			for (int pick = STK_FIRST; pick <= STK_LAST; pick++)
				ck_assert_ptr_eq(stk_find_eq(&S, types[t], keys, val, (enum stk_pick)pick),
						 scan_find(types[t], keys, val, (enum stk_pick)pick));
	}
}

static void compare_refs_with_scan(void)
{
	for (size_t i = 0; i < S.n; i += 7) {
		const struct pol_resource *target = &S.res[i], *r;
		const struct pol_resource *const *out;
		char val[16];
		snprintf(val, sizeof(val), "v%zu", i % 12);
		const char *ids[] = { val, NULL };
		int unknown = 0, want_unknown = 0;
		size_t n = stk_refs(&S, T_POL, "bucket", target, ids, 2, &out, &unknown), k = 0;
		STK_FOREACH_TYPE(&S, T_POL, r) {
			char *const *urns;
			size_t nd = stk_prop_deps(r, "bucket", &urns);
			const char *s = pv_str(pv_get(r->props, "bucket"));
			int hit = s && strcmp(s, val) == 0;
			for (size_t d = 0; d < nd; d++)
				hit |= strcmp(urns[d], target->urn) == 0;
			if (!nd && pv_kind(pv_get(r->props, "bucket")) == PV_UNKNOWN)
				want_unknown = 1;
			if (!hit)
				continue;
			ck_assert_msg(k < n && out[k] == r, "target %zu: reference %zu is %s, expected %s", i, k,
				      k < n ? out[k]->name : "(none)", r->name);
			k++;
		}
		ck_assert_uint_eq(k, n);
		ck_assert_int_eq(unknown, want_unknown);
	}
}

START_TEST(random_stacks_match_a_scan)
{
	rnd_state = 12345u + (unsigned)_i;
	char *json = random_stack(40 + (size_t)_i * 60);
	load(json);
	compare_with_scan();
	compare_refs_with_scan();
	/* Twice: the second round uses the tables the first built. */
	compare_with_scan();
	free(json);
}
END_TEST

START_TEST(no_memory_for_tables_same_answers)
{
	rnd_state = 777u;
	char *json = random_stack(300);
	load(json);
	/* Nothing more can be allocated: lookups must scan and still agree. */
	A.limit = A.used;
	compare_with_scan();
	free(json);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stack_index");
	TCase *tc = tcase_create("index");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, type_ranges);
	tcase_add_test(tc, find_first_last_and_keys);
	tcase_add_test(tc, refs_by_dependency_and_value);
	tcase_add_test(tc, refs_unknown_without_dependency);
	tcase_add_loop_test(tc, random_stacks_match_a_scan, 0, 8);
	tcase_add_test(tc, no_memory_for_tables_same_answers);
	tcase_add_loop_test(tc, type_order_matches_a_sort, 0, 6);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
