/*
 * check_pv.c - the property view over every encoding of wire-protocol.md 5:
 * plain values, the seven unknown sentinels, secrets (nested, of unknowns,
 * without a value), assets, archives, "__" keys, JSON-text values, paths.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pv.h"
#include "pctest.h"

#define SECRET(v) "{\"4dabf18193072939515e22adb298388d\":\"1b47061264138c4ac30d75fd1eb44270\",\"value\":" v "}"

static struct arena A;
static const pv_value *root;

static const char doc[] =
	"{"
	"\"s\":\"hello\",\"n\":42.5,\"b\":true,\"nul\":null,"
	"\"list\":[1,\"two\",{\"three\":3}],"
	"\"obj\":{\"a\":{\"b\":[10,20,{\"c\":\"deep\"}]}},"
	"\"u_str\":\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\","
	"\"u_bool\":\"1c4a061d-8072-4f0a-a4cb-0ff528b18fe7\","
	"\"u_num\":\"3eeb2bf0-c639-47a8-9e75-3b44932eb421\","
	"\"u_arr\":\"6a19a0b0-7e62-4c92-b797-7f8e31da9cc2\","
	"\"u_asset\":\"030794c1-ac77-496b-92df-f27374a8bd58\","
	"\"u_archive\":\"e48ece36-62e2-4504-bad9-02848725956a\","
	"\"u_obj\":\"dd056dcd-154b-4c76-9bd3-c8f88648b5ff\","
	"\"sec\":" SECRET("\"hunter2\"") ","
	"\"sec_obj\":" SECRET("{\"inner\":\"x\"}") ","
	"\"sec_unknown\":" SECRET("\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"") ","
	"\"sec_nested\":" SECRET(SECRET("\"twice\"")) ","
	"\"sec_cipher\":{\"4dabf18193072939515e22adb298388d\":\"1b47061264138c4ac30d75fd1eb44270\",\"ciphertext\":\"AAA\"},"
	"\"asset\":{\"4dabf18193072939515e22adb298388d\":\"c44067f5952c0a294b673a41bacd8c17\",\"path\":\"./a.txt\"},"
	"\"archive\":{\"4dabf18193072939515e22adb298388d\":\"0def7320c3a5731c473e5ecbe6d01bc7\",\"assets\":{}},"
	"\"__defaults\":[\"s\"],"
	"\"json\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\","
	"\"badjson\":\"{nope\","
	"\"bool_str\":\"true\",\"num_str\":\"8080\","
	"\"dots\":{\"a.b\":1},"
	"\"dup\":1,\"dup\":2"
	"}";

static void setup(void)
{
	arena_init(&A, 0);
	const char *err = NULL;
	root = pv_parse_json(&A, doc, sizeof(doc) - 1, &err);
	ck_assert_msg(root != NULL, "fixture JSON: %s", err ? err : "?");
}

static void teardown(void)
{
	arena_release(&A);
}

struct kind_case {
	const char *path;
	enum pv_kind kind;
	int secret;
};

static const struct kind_case kinds[] = {
	{ "s", PV_STRING, 0 },
	{ "n", PV_NUMBER, 0 },
	{ "b", PV_BOOL, 0 },
	{ "nul", PV_NULL, 0 },
	{ "missing", PV_MISSING, 0 },
	{ "list", PV_LIST, 0 },
	{ "obj", PV_OBJECT, 0 },
	{ "u_str", PV_UNKNOWN, 0 },
	{ "u_bool", PV_UNKNOWN, 0 },
	{ "u_num", PV_UNKNOWN, 0 },
	{ "u_arr", PV_UNKNOWN, 0 },
	{ "u_asset", PV_UNKNOWN, 0 },
	{ "u_archive", PV_UNKNOWN, 0 },
	{ "u_obj", PV_UNKNOWN, 0 },
	{ "sec", PV_STRING, 1 },
	{ "sec_obj", PV_OBJECT, 1 },
	{ "sec_unknown", PV_UNKNOWN, 1 },
	{ "sec_nested", PV_STRING, 1 },
	{ "sec_cipher", PV_UNKNOWN, 1 },
	{ "asset", PV_ASSET, 0 },
	{ "archive", PV_ARCHIVE, 0 },
	{ "__defaults", PV_MISSING, 0 },
	{ "list[2].three", PV_NUMBER, 0 },
	{ "obj.a.b[2].c", PV_STRING, 0 },
	{ "obj.a.b[9]", PV_MISSING, 0 },
	{ "obj.a.x.y", PV_MISSING, 0 },
	{ "u_obj.anything.below", PV_UNKNOWN, 0 },
	{ "sec_obj.inner", PV_STRING, 0 },
	{ "dots['a.b']", PV_NUMBER, 0 },
	{ "s.notanobject", PV_MISSING, 0 },
};

START_TEST(kinds_by_path)
{
	const struct kind_case *c = &kinds[_i];
	const pv_value *v = pv_path(root, c->path);
	ck_assert_msg(pv_kind(v) == c->kind, "path '%s': kind %s, want %s", c->path, pv_kind_name(pv_kind(v)),
		      pv_kind_name(c->kind));
	ck_assert_msg(pv_is_secret(v) == c->secret, "path '%s': secret %d, want %d", c->path, pv_is_secret(v),
		      c->secret);
}
END_TEST

START_TEST(typed_getters)
{
	const char *s = NULL;
	int b = -1;
	double d = 0;
	ck_assert_int_eq(pv_path_str(root, "sec", &s), PV_OK);
	ck_assert_str_eq(s, "hunter2");
	ck_assert_int_eq(pv_path_str(root, "sec_nested", &s), PV_OK);
	ck_assert_str_eq(s, "twice");
	ck_assert_int_eq(pv_path_str(root, "u_str", &s), PV_EUNKNOWN);
	ck_assert_int_eq(pv_path_str(root, "missing", &s), PV_EMISSING);
	ck_assert_int_eq(pv_path_str(root, "nul", &s), PV_EMISSING);
	ck_assert_int_eq(pv_path_str(root, "n", &s), PV_ETYPE);
	ck_assert_int_eq(pv_path_bool(root, "b", &b), PV_OK);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(pv_path_bool(root, "bool_str", &b), PV_OK);   /* provider inputs */
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(pv_path_bool(root, "u_bool", &b), PV_EUNKNOWN);
	ck_assert_int_eq(pv_path_bool(root, "s", &b), PV_ETYPE);
	ck_assert_int_eq(pv_path_num(root, "n", &d), PV_OK);
	ck_assert(fabs(d - 42.5) < 1e-9);
	ck_assert_int_eq(pv_path_num(root, "num_str", &d), PV_OK);
	ck_assert(d == 8080);
	ck_assert_int_eq(pv_path_num(root, "u_num", &d), PV_EUNKNOWN);
	ck_assert_ptr_null(pv_str(pv_get(root, "u_str")));
	ck_assert_int_eq(pv_path_num(root, "dup", &d), PV_OK);   /* last duplicate wins */
	ck_assert(d == 2);
}
END_TEST

START_TEST(iteration_hides_internal_keys)
{
	const char *k;
	const pv_value *v;
	size_t seen = 0, dup = 0;
	PV_OBJ_FOREACH(i, k, v, root) {
		ck_assert_msg(strncmp(k, "__", 2) != 0, "hidden key %s visible", k);
		if (strcmp(k, "dup") == 0)
			dup++;
		seen++;
	}
	ck_assert_int_eq(dup, 2);   /* all visited; pv_get returns the last (typed_getters) */
	ck_assert(seen > 20);
	size_t n = 0;
	PV_LIST_FOREACH(i, v, pv_get(root, "list"))
		n++;
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(pv_len(pv_get(root, "s")), 0);
}
END_TEST

START_TEST(unknowns_anywhere)
{
	ck_assert(pv_has_unknown(root));
	ck_assert(!pv_has_unknown(pv_get(root, "obj")));
	ck_assert(pv_has_unknown(pv_get(root, "sec_unknown")));
	ck_assert(!pv_is_unknown_sentinel("04da6b54-80e4-46f7-96ec-b56ff0331ba8"));
	ck_assert(!pv_is_unknown_sentinel(""));
	ck_assert(!pv_is_unknown_sentinel("short"));
}
END_TEST

START_TEST(json_text_values)
{
	int err = 0;
	const char *msg = NULL;
	const pv_value *j = pv_json(&A, pv_get(root, "json"), &err, &msg);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(pv_str(pv_get(j, "Version")), "2012-10-17");
	ck_assert(pv_json(&A, pv_get(root, "badjson"), &err, &msg) == NULL);
	ck_assert_int_eq(err, PV_ETYPE);
	ck_assert_ptr_nonnull(msg);
	ck_assert(pv_json(&A, pv_get(root, "u_str"), &err, NULL) == NULL);
	ck_assert_int_eq(err, PV_EUNKNOWN);
	ck_assert(pv_json(&A, pv_get(root, "missing"), &err, NULL) == NULL);
	ck_assert_int_eq(err, PV_EMISSING);
	ck_assert_ptr_eq(pv_json(&A, pv_get(root, "obj"), &err, NULL), pv_get(root, "obj"));
}
END_TEST

START_TEST(json_limits)
{
	/* Deep nesting is refused before cJSON recurses. */
	size_t depth = 100000;
	char *deep = malloc(depth * 2 + 1);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	deep[depth * 2] = '\0';
	const char *msg = NULL;
	ck_assert(pv_parse_json(&A, deep, depth * 2, &msg) == NULL);
	ck_assert_ptr_nonnull(msg);
	free(deep);
	ck_assert(pv_parse_json(&A, "{} x", 4, &msg) == NULL);
	ck_assert_ptr_nonnull(pv_parse_json(&A, " {\"a\":[]} \n", 11, &msg));
	/* The error names where the text stops being JSON (cJSON's own position, not its global one). */
	ck_assert(pv_parse_json(&A, "{\"a\": [1, 2, tru]}", 18, &msg) == NULL);
	ck_assert_str_eq(msg, "invalid JSON near byte 13");
}
END_TEST

START_TEST(rendering_redacts_secrets)
{
	char *s = pv_to_json(&A, pv_get(root, "sec_obj"));
	ck_assert_str_eq(s, "\"[secret]\"");
	s = pv_to_json(&A, pv_get(root, "obj"));
	ck_assert_str_eq(s, "{\"a\":{\"b\":[10,20,{\"c\":\"deep\"}]}}");
	s = pv_to_json(&A, root);
	ck_assert(strstr(s, "hunter2") == NULL);
	ck_assert(strstr(s, "twice") == NULL);
}
END_TEST

START_TEST(builders_share_and_replace)
{
	pv_value *mode = pv_new_obj(&A);
	mode = pv_obj_with(&A, mode, "mode", pv_new_str(&A, "Active"));
	pv_value *np = pv_obj_with(&A, root, "tracingConfig", mode);
	ck_assert_str_eq(pv_str(pv_path(np, "tracingConfig.mode")), "Active");
	/* Everything else, "__" keys and secret wrappers included, is carried over. */
	ck_assert_int_eq(np->struct_value->n_fields, root->struct_value->n_fields + 1);
	ck_assert(pv_is_secret(pv_get(np, "sec")));
	pv_value *np2 = pv_obj_with(&A, np, "s", pv_new_str(&A, "bye"));
	ck_assert_str_eq(pv_str(pv_get(np2, "s")), "bye");
	ck_assert_int_eq(np2->struct_value->n_fields, np->struct_value->n_fields);
	pv_value *cp = pv_copy(&A, root);
	ck_assert(pv_equal(cp, root));
	ck_assert(!pv_equal(np2, root));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pv");
	TCase *tc = tcase_create("encodings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, kinds_by_path, 0, (int)(sizeof(kinds) / sizeof(kinds[0])));
	tcase_add_test(tc, typed_getters);
	tcase_add_test(tc, iteration_hides_internal_keys);
	tcase_add_test(tc, unknowns_anywhere);
	tcase_add_test(tc, json_text_values);
	tcase_add_test(tc, json_limits);
	tcase_add_test(tc, rendering_redacts_secrets);
	tcase_add_test(tc, builders_share_and_replace);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
