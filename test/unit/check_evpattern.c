/*
 * check_evpattern.c - unit tests of the EventBridge event-pattern parser (src/evpattern.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "evpattern.h"

struct grammar_case {
	const char *json;
	enum evp_status status;
	size_t issues;          /* expected number of grammar issues (EVP_OK only) */
	const char *issue_path; /* path of the first issue, or NULL */
	const char *issue_word; /* a word the first issue (or the error) must contain, or NULL */
};

static const struct grammar_case grammar_cases[] = {
	/* valid patterns */
	{ "{\"source\": [\"aws.s3\"]}", EVP_OK, 0, NULL, NULL },
	{ "{\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"], "
	  "\"detail\": {\"bucket\": {\"name\": [\"b\"]}, \"object\": {\"key\": [{\"prefix\": \"in/\"}]}}}", EVP_OK, 0, NULL, NULL },
	{ "{\"detail\": {\"n\": [1, 2.5, -3e2, true, false, null, \"x\"]}}", EVP_OK, 0, NULL, NULL },
	{ "{\"a\": [{\"prefix\": {\"equals-ignore-case\": \"EventB\"}}]}", EVP_OK, 0, NULL, NULL },
	{ "{\"a\": [{\"suffix\": {\"equals-ignore-case\": \".png\"}}]}", EVP_OK, 0, NULL, NULL },
	{ "{\"a\": [{\"equals-ignore-case\": \"alice\"}]}", EVP_OK, 0, NULL, NULL },
	{ "{\"a\": [{\"wildcard\": \"dir/*.png\"}]}", EVP_OK, 0, NULL, NULL },
	{ "{\"a\": [{\"wildcard\": \"a\\\\*b\"}]}", EVP_OK, 0, NULL, NULL },
	{ "{\"a\": [{\"anything-but\": \"x\"}, {\"anything-but\": 5}, {\"anything-but\": [\"a\", \"b\"]}, "
	  "{\"anything-but\": [1, 2]}, {\"anything-but\": {\"prefix\": \"p\"}}, {\"anything-but\": {\"suffix\": \"s\"}}, "
	  "{\"anything-but\": {\"equals-ignore-case\": [\"A\", \"b\"]}}, {\"anything-but\": {\"wildcard\": \"*/lib/*\"}}]}",
	  EVP_OK, 0, NULL, NULL },
	{ "{\"a\": [{\"numeric\": [\">\", 0, \"<=\", 5]}, {\"numeric\": [\"=\", 3.018e2]}, {\"numeric\": [\"<\", 10]}]}",
	  EVP_OK, 0, NULL, NULL },
	{ "{\"a\": [{\"exists\": true}], \"b\": [{\"exists\": false}]}", EVP_OK, 0, NULL, NULL },
	{ "{\"ip\": [{\"cidr\": \"10.0.0.0/24\"}, {\"cidr\": \"2001:db8::/32\"}]}", EVP_OK, 0, NULL, NULL },
	{ "{\"source\": [\"aws.ec2\"], \"$or\": [{\"a\": [1]}, {\"b\": {\"c\": [2]}}]}", EVP_OK, 0, NULL, NULL },
	{ "{\"detail\": {\"$or\": [{\"a\": [1]}, {\"$or\": [{\"b\": [2]}, {\"c\": [3]}]}]}}", EVP_OK, 0, NULL, NULL },
	/* absent / invalid */
	{ "", EVP_ABSENT, 0, NULL, NULL },
	{ "   \n", EVP_ABSENT, 0, NULL, NULL },
	{ "{\"source\": [\"aws.s3\"]", EVP_INVALID, 0, NULL, "JSON" },
	{ "[\"aws.s3\"]", EVP_INVALID, 0, NULL, "object" },
	{ "\"aws.s3\"", EVP_INVALID, 0, NULL, "object" },
	{ "{\"a\": [1]} trailing", EVP_INVALID, 0, NULL, NULL },
	/* grammar issues */
	{ "{}", EVP_OK, 1, "", "empty object" },
	{ "{\"source\": \"aws.s3\"}", EVP_OK, 1, "source", "array" },
	{ "{\"detail\": {\"bucket\": {\"name\": \"my-bucket\"}}}", EVP_OK, 1, "detail.bucket.name", "array" },
	{ "{\"n\": 5}", EVP_OK, 1, "n", "array" },
	{ "{\"n\": null}", EVP_OK, 1, "n", "array" },
	{ "{\"a\": []}", EVP_OK, 1, "a", "empty array" },
	{ "{\"a\": {}}", EVP_OK, 1, "a", "empty object" },
	{ "{\"a\": [[\"x\"]]}", EVP_OK, 1, "a[0]", "nested" },
	{ "{\"a\": {\"prefix\": \"x\"}}", EVP_OK, 1, "a", "inside an array" },
	{ "{\"a\": [{\"prefix\": \"x\", \"suffix\": \"y\"}]}", EVP_OK, 1, "a[0]", "exactly one" },
	{ "{\"a\": [{}]}", EVP_OK, 1, "a[0]", "exactly one" },
	{ "{\"a\": [{\"contains\": \"x\"}]}", EVP_OK, 1, "a[0]", "unknown content filter" },
	{ "{\"a\": [{\"prefix\": 5}]}", EVP_OK, 1, "a[0]", "string" },
	{ "{\"a\": [{\"prefix\": {\"wildcard\": \"x\"}}]}", EVP_OK, 1, "a[0]", "equals-ignore-case" },
	{ "{\"a\": [{\"exists\": \"true\"}]}", EVP_OK, 1, "a[0]", "boolean" },
	{ "{\"a\": [{\"numeric\": [\">\", \"5\"]}]}", EVP_OK, 1, "a[0]", "numeric" },
	{ "{\"a\": [{\"numeric\": [\">\", 5, \">\", 6]}]}", EVP_OK, 1, "a[0]", "upper bound" },
	{ "{\"a\": [{\"numeric\": [\"<\", 5, \"<\", 6]}]}", EVP_OK, 1, "a[0]", "lower bound" },
	{ "{\"a\": [{\"numeric\": [\">\", 10, \"<\", 5]}]}", EVP_OK, 1, "a[0]", "empty" },
	{ "{\"a\": [{\"numeric\": [\"!=\", 5]}]}", EVP_OK, 1, "a[0]", "numeric" },
	{ "{\"a\": [{\"numeric\": 5}]}", EVP_OK, 1, "a[0]", "numeric" },
	{ "{\"a\": [{\"anything-but\": [\"a\", 1]}]}", EVP_OK, 1, "a[0]", "mixes" },
	{ "{\"a\": [{\"anything-but\": []}]}", EVP_OK, 1, "a[0]", "empty" },
	{ "{\"a\": [{\"anything-but\": null}]}", EVP_OK, 1, "a[0]", "anything-but" },
	{ "{\"a\": [{\"anything-but\": {\"exists\": true}}]}", EVP_OK, 1, "a[0]", "does not support" },
	{ "{\"a\": [{\"anything-but\": {\"prefix\": \"\"}}]}", EVP_OK, 1, "a[0]", "non-empty" },
	{ "{\"a\": [{\"wildcard\": \"a**b\"}]}", EVP_OK, 1, "a[0]", "consecutive" },
	{ "{\"a\": [{\"wildcard\": \"a\\\\b\"}]}", EVP_OK, 1, "a[0]", "backslash" },
	{ "{\"a\": [{\"cidr\": \"10.0.0.0/33\"}]}", EVP_OK, 1, "a[0]", "CIDR" },
	{ "{\"a\": [{\"cidr\": \"10.0.0.0\"}]}", EVP_OK, 1, "a[0]", "CIDR" },
	{ "{\"$or\": [{\"a\": [1]}]}", EVP_OK, 1, "$or", "at least two" },
	{ "{\"$or\": {\"a\": [1]}}", EVP_OK, 1, "$or", "at least two" },
	{ "{\"$or\": [{\"a\": [1]}, [\"b\"]]}", EVP_OK, 1, "$or", "only objects" },
	{ "{\"$or\": [{\"prefix\": [1]}, {\"b\": [2]}]}", EVP_OK, 1, "prefix", "operator name" },
	{ "{\"a\": \"x\", \"b\": [], \"c\": {\"d\": 1}}", EVP_OK, 3, "a", "array" },
};

START_TEST(test_grammar)
{
	const struct grammar_case *gc = &grammar_cases[_i];
	struct arena a;
	struct evp_pattern p;

	arena_init(&a, 0);
	ck_assert_int_eq(evp_parse_text(&a, gc->json, strlen(gc->json), &p), 0);
	ck_assert_msg(p.status == gc->status, "'%s': status %d, want %d (%s)", gc->json, p.status, gc->status,
		      p.error ? p.error : "");
	if (p.status == EVP_INVALID && gc->issue_word)
		ck_assert_msg(p.error && strstr(p.error, gc->issue_word), "'%s': error '%s' lacks '%s'", gc->json,
			      p.error ? p.error : "(null)", gc->issue_word);
	if (p.status == EVP_OK) {
		ck_assert_msg(p.n_issues == gc->issues, "'%s': %zu issues, want %zu; first: %s", gc->json, p.n_issues,
			      gc->issues, p.n_issues ? p.issues[0].msg : "-");
		if (gc->issue_path)
			ck_assert_msg(strcmp(p.issues[0].path, gc->issue_path) == 0, "'%s': issue path '%s', want '%s'",
				      gc->json, p.issues[0].path, gc->issue_path);
		if (gc->issue_word && gc->issues)
			ck_assert_msg(strstr(p.issues[0].msg, gc->issue_word), "'%s': issue '%s' lacks '%s'", gc->json,
				      p.issues[0].msg, gc->issue_word);
	}
	arena_release(&a);
}
END_TEST

START_TEST(test_fields)
{
	static const char json[] = "{\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\", \"Object Deleted\"], "
				   "\"detail\": {\"bucket\": {\"name\": [\"data\", {\"prefix\": \"logs-\"}]}}, "
				   "\"$or\": [{\"resources\": [\"arn:aws:s3:::data\"]}, {\"detail\": {\"reason\": [\"PutObject\"]}}]}";
	struct arena a;
	struct evp_pattern p;
	size_t pos = 0;

	arena_init(&a, 0);
	ck_assert_int_eq(evp_parse_text(&a, json, strlen(json), &p), 0);
	ck_assert_int_eq(p.status, EVP_OK);
	ck_assert_uint_eq(p.n_issues, 0);
	ck_assert_uint_eq(p.n_fields, 5);
	ck_assert(evp_has_exact(&p, "source", "aws.s3"));
	ck_assert(evp_has_exact(&p, "detail-type", "Object Deleted"));
	ck_assert(!evp_has_exact(&p, "detail-type", "Object Restore Completed"));
	ck_assert(evp_has_field(&p, "detail.reason"));
	ck_assert(evp_has_field(&p, "resources"));
	ck_assert(!evp_has_field(&p, "detail.bucket"));

	const struct evp_field *f = evp_field_next(&p, "detail.bucket.name", &pos);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->n, 2);
	ck_assert_int_eq(f->m[0].op, EVP_OP_EXACT);
	ck_assert_str_eq(f->m[0].str, "data");
	ck_assert_int_eq(f->m[1].op, EVP_OP_PREFIX);
	ck_assert_str_eq(f->m[1].str, "logs-");
	ck_assert(!f->in_or);
	ck_assert_ptr_null(evp_field_next(&p, "detail.bucket.name", &pos));

	pos = 0;
	f = evp_field_next(&p, "detail.reason", &pos);
	ck_assert_ptr_nonnull(f);
	ck_assert(f->in_or);
	arena_release(&a);
}
END_TEST

START_TEST(test_unknown_and_secret)
{
	struct arena a;
	struct evp_pattern p;
	arena_init(&a, 0);

	/* The whole pattern unknown (preview). */
	pv_value *u = pv_new_str(&a, PV_UNKNOWN_STRING);
	ck_assert_int_eq(evp_parse_value(&a, u, &p), 0);
	ck_assert_int_eq(p.status, EVP_UNKNOWN);

	/* Absent and null. */
	ck_assert_int_eq(evp_parse_value(&a, NULL, &p), 0);
	ck_assert_int_eq(p.status, EVP_ABSENT);

	/* An unknown inside a known pattern is never an issue. */
	static const char inner[] = "{\"detail\": {\"bucket\": {\"name\": [\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"]}},"
				    " \"x\": \"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"}";
	ck_assert_int_eq(evp_parse_text(&a, inner, strlen(inner), &p), 0);
	ck_assert_int_eq(p.status, EVP_OK);
	ck_assert_uint_eq(p.n_issues, 0);
	ck_assert(p.unknown);
	size_t pos = 0;
	const struct evp_field *f = evp_field_next(&p, "detail.bucket.name", &pos);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->m[0].op, EVP_OP_UNKNOWN);
	ck_assert_int_eq(evp_match_str(&f->m[0], "anything"), -1);

	/* Secret patterns: issues never quote the values. */
	static const char secret_json[] = "{\"detail\": {\"token\": \"s3cr3t-value\"}}";
	pv_value *sv = pv_new_str(&a, secret_json);
	pv_value *wrapped = pv_new_obj(&a);
	wrapped = pv_obj_with(&a, wrapped, PV_SIG_KEY, pv_new_str(&a, PV_SIG_SECRET));
	wrapped = pv_obj_with(&a, wrapped, "value", sv);
	ck_assert_int_eq(evp_parse_value(&a, wrapped, &p), 0);
	ck_assert_int_eq(p.status, EVP_OK);
	ck_assert(p.secret);
	ck_assert_uint_eq(p.n_issues, 1);
	ck_assert_ptr_null(strstr(p.issues[0].msg, "s3cr3t"));
	arena_release(&a);
}
END_TEST

START_TEST(test_object_value)
{
	struct arena a;
	struct evp_pattern p;
	const char *err = NULL;
	arena_init(&a, 0);
	const pv_value *obj = pv_parse_json(&a, "{\"source\": [\"aws.s3\"]}", 22, &err);
	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(evp_parse_value(&a, obj, &p), 0);
	ck_assert_int_eq(p.status, EVP_OK);
	ck_assert_uint_eq(p.length, 0);
	ck_assert(evp_has_exact(&p, "source", "aws.s3"));
	arena_release(&a);
}
END_TEST

struct match_case {
	const char *filter;     /* one element of a match array */
	const char *value;
	int want;
};

static const struct match_case match_cases[] = {
	{ "\"data\"", "data", 1 },
	{ "\"data\"", "Data", 0 },
	{ "5", "5", 0 },
	{ "{\"prefix\": \"logs-\"}", "logs-2024", 1 },
	{ "{\"prefix\": \"logs-\"}", "app-logs", 0 },
	{ "{\"prefix\": {\"equals-ignore-case\": \"LOGS\"}}", "logs-x", 1 },
	{ "{\"suffix\": \".png\"}", "a.png", 1 },
	{ "{\"suffix\": {\"equals-ignore-case\": \".PNG\"}}", "a.png", 1 },
	{ "{\"suffix\": \".png\"}", "a.PNG", 0 },
	{ "{\"equals-ignore-case\": \"Data\"}", "dATA", 1 },
	{ "{\"wildcard\": \"data-*-use1\"}", "data-prod-use1", 1 },
	{ "{\"wildcard\": \"data-*-use1\"}", "data-prod-usw2", 0 },
	{ "{\"wildcard\": \"a\\\\*b\"}", "a*b", 1 },
	{ "{\"wildcard\": \"a\\\\*b\"}", "axb", 0 },
	{ "{\"wildcard\": \"*\"}", "", 1 },
	{ "{\"anything-but\": \"x\"}", "x", 0 },
	{ "{\"anything-but\": \"x\"}", "y", 1 },
	{ "{\"anything-but\": [\"x\", \"y\"]}", "y", 0 },
	{ "{\"anything-but\": {\"prefix\": \"tmp\"}}", "tmp-1", 0 },
	{ "{\"anything-but\": {\"suffix\": \".tmp\"}}", "a.txt", 1 },
	{ "{\"anything-but\": {\"equals-ignore-case\": [\"X\"]}}", "x", 0 },
	{ "{\"anything-but\": {\"wildcard\": \"*/lib/*\"}}", "a/lib/b", 0 },
	{ "{\"exists\": true}", "v", 1 },
	{ "{\"exists\": false}", "v", 0 },
	{ "{\"numeric\": [\">\", 1]}", "5", 0 },
	{ "{\"cidr\": \"10.0.0.0/8\"}", "10.1.2.3", -1 },
};

START_TEST(test_match)
{
	const struct match_case *mc = &match_cases[_i];
	struct arena a;
	struct evp_pattern p;
	arena_init(&a, 0);
	const char *json = arena_printf(&a, "{\"f\": [%s]}", mc->filter);
	ck_assert_int_eq(evp_parse_text(&a, json, strlen(json), &p), 0);
	ck_assert_msg(p.status == EVP_OK && p.n_issues == 0, "'%s' did not parse cleanly", json);
	ck_assert_uint_eq(p.n_fields, 1);
	int got = evp_match_str(&p.fields[0].m[0], mc->value);
	ck_assert_msg(got == mc->want, "%s vs '%s': %d, want %d", mc->filter, mc->value, got, mc->want);
	arena_release(&a);
}
END_TEST

START_TEST(test_wildcard_match)
{
	ck_assert(evp_wildcard_match("*", "anything"));
	ck_assert(evp_wildcard_match("a*b*c", "aXbYc"));
	ck_assert(!evp_wildcard_match("a*b*c", "aXbY"));
	ck_assert(evp_wildcard_match("", ""));
	ck_assert(!evp_wildcard_match("", "x"));
	ck_assert(evp_wildcard_match("a\\\\b", "a\\b"));
	/* Pathological input stays fast (no exponential backtracking). */
	char s[4097], pat[64];
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	strcpy(pat, "*a*a*a*a*a*a*a*a*a*a*a*b");
	ck_assert(!evp_wildcard_match(pat, s));
}
END_TEST

START_TEST(test_limits)
{
	struct arena a;
	struct evp_pattern p;
	arena_init(&a, 0);
	/* Many issues: at most EVP_MAX_ISSUES kept, the rest flagged. */
	char *json = arena_alloc(&a, 64 * 16 + 16);
	size_t len = 0;
	len += (size_t)sprintf(json + len, "{");
	for (int i = 0; i < 64; i++)
		len += (size_t)sprintf(json + len, "%s\"k%d\": 1", i ? "," : "", i);
	len += (size_t)sprintf(json + len, "}");
	ck_assert_int_eq(evp_parse_text(&a, json, len, &p), 0);
	ck_assert_int_eq(p.status, EVP_OK);
	ck_assert_uint_eq(p.n_issues, EVP_MAX_ISSUES);
	ck_assert(p.more_issues);

	/* Deep nesting is refused by the JSON layer, not by a stack overflow. */
	size_t depth = 5000;
	char *deep = arena_alloc(&a, depth * 6 + 16);
	size_t n = 0;
	for (size_t i = 0; i < depth; i++)
		n += (size_t)sprintf(deep + n, "{\"a\":");
	n += (size_t)sprintf(deep + n, "[1]");
	for (size_t i = 0; i < depth; i++)
		deep[n++] = '}';
	ck_assert_int_eq(evp_parse_text(&a, deep, n, &p), 0);
	ck_assert_int_eq(p.status, EVP_INVALID);
	arena_release(&a);
}
END_TEST

/* Strict UTF-8 check (messages end up in proto3 string fields). */
static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
		if (n < 0)
			return 0;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

START_TEST(test_truncation_utf8)
{
	struct arena a;
	struct evp_pattern p;
	arena_init(&a, 0);
	/* 2- and 3-byte characters around every cut position of the 60-byte and 40-byte limits. */
	for (int pad = 0; pad < 4; pad++) {
		char json[512];
		int n = snprintf(json, sizeof(json), "{\"%.*s\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
				 "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\": "
				 "[{\"%.*s\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\": 1}],"
				 " \"k\": \"%.*s\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac"
				 "\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\"}", pad, "xyz", pad, "xyz", pad, "xyz");
		ck_assert_int_eq(evp_parse_text(&a, json, (size_t)n, &p), 0);
		ck_assert_int_eq(p.status, EVP_OK);
		ck_assert_uint_ge(p.n_issues, 2);
		for (size_t i = 0; i < p.n_issues; i++)
			ck_assert_msg(utf8_valid(p.issues[i].msg) && utf8_valid(p.issues[i].path), "pad %d: invalid UTF-8 in: %s",
				      pad, p.issues[i].msg);
	}
	arena_release(&a);
}
END_TEST

START_TEST(test_op_names)
{
	ck_assert_str_eq(evp_op_name(EVP_OP_PREFIX), "prefix");
	ck_assert_str_eq(evp_op_name(EVP_OP_ANYTHING_BUT), "anything-but");
	ck_assert_str_eq(evp_op_name(EVP_OP_UNKNOWN), "unknown");
}
END_TEST

static Suite *evpattern_suite(void)
{
	Suite *s = suite_create("evpattern");
	TCase *tc = tcase_create("grammar");

	tcase_add_loop_test(tc, test_grammar, 0, (int)(sizeof(grammar_cases) / sizeof(grammar_cases[0])));
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_unknown_and_secret);
	tcase_add_test(tc, test_object_value);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_truncation_utf8);
	suite_add_tcase(s, tc);
	tc = tcase_create("match");
	tcase_add_loop_test(tc, test_match, 0, (int)(sizeof(match_cases) / sizeof(match_cases[0])));
	tcase_add_test(tc, test_wildcard_match);
	tcase_add_test(tc, test_op_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(evpattern_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
