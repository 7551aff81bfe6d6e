/*
 * check_checkmode.c - `check` end to end in-process: text like the CLI,
 * JSON, SARIF 2.1.0, exit codes, --config overrides, stack exports, and
 * secrets never printed.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pctest.h"

#define CANARY "canary-7f3a9b2c-do-not-print"
#define SECRET(v) "{\"4dabf18193072939515e22adb298388d\":\"1b47061264138c4ac30d75fd1eb44270\",\"value\":" v "}"

/* Obviously broken: wildcard IAM, ancient runtime, default provider, secret canaries everywhere. */
static const char bad[] =
	"{\"title\":\"bad\",\"stack\":{\"stack\":\"dev\",\"project\":\"demo\",\"config\":{\"aws:region\":\"us-east-1\"}},"
	"\"resources\":["
	"{\"type\":\"pulumi:pulumi:Stack\",\"urn\":\"urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev\",\"properties\":{}},"
	"{\"type\":\"aws:iam/policy:Policy\",\"urn\":\"urn:pulumi:dev::demo::aws:iam/policy:Policy::admin\","
	" \"properties\":{\"description\":" SECRET("\"" CANARY "\"") ",\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\","
	"\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}},"
	"{\"type\":\"aws:lambda/function:Function\",\"urn\":\"urn:pulumi:dev::demo::aws:lambda/function:Function::fn\","
	" \"properties\":{\"runtime\":\"python2.7\",\"handler\":" SECRET("\"" CANARY "\"") ",\"role\":\"" CANARY "\"}}"
	"]}";

static char path_bad[64], path_cfg[64];

static void write_file(char *path, const char *text)
{
	strcpy(path, "/tmp/pc-check-XXXXXX");
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	ck_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

static void setup(void)
{
	write_file(path_bad, bad);
	write_file(path_cfg, "{\"all\":\"advisory\"}");
}

static void teardown(void)
{
	unlink(path_bad);
	unlink(path_cfg);
}

/* Run `check` with argv and capture stdout/stderr. */
static int run(char **out, char **err, int argc, char **argv)
{
	size_t ol, el;
	FILE *o = open_memstream(out, &ol), *e = open_memstream(err, &el);
	int rc = checkmode_main(pct_pack(), argc, argv, o, e);
	fclose(o);
	fclose(e);
	return rc;
}

START_TEST(text_output_like_the_cli)
{
	char *out, *err;
	char *argv[] = { "check", path_bad };
	int rc = run(&out, &err, 2, argv);
	ck_assert_msg(rc == CLI_VIOLATIONS, "rc %d, stderr %s", rc, err);
	ck_assert(strstr(out, "Policies:") != NULL);
	ck_assert(strstr(out, "aws-guard-c@v") != NULL);
	ck_assert(strstr(out, "- [mandatory]") != NULL);
	ck_assert(strstr(out, "(aws:lambda:Function: fn)") != NULL || strstr(out, "(aws:iam:Policy: admin)") != NULL);
	ck_assert_msg(strstr(out, CANARY) == NULL, "secret printed:\n%s", out);
	free(out);
	free(err);
}
END_TEST

START_TEST(json_output)
{
	char *out, *err;
	char *argv[] = { "check", "--format", "json", path_bad };
	ck_assert_int_eq(run(&out, &err, 4, argv), CLI_VIOLATIONS);
	cJSON *j = cJSON_Parse(out);
	ck_assert_msg(j != NULL, "valid JSON:\n%s", out);
	cJSON *d = cJSON_GetObjectItem(j, "diagnostics");
	ck_assert(cJSON_GetArraySize(d) > 0);
	cJSON *first = cJSON_GetArrayItem(d, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(first, "level")->valuestring, "mandatory");
	ck_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "summary"), "mandatory")->valuedouble >= 1);
	ck_assert(strstr(out, CANARY) == NULL);
	cJSON_Delete(j);
	free(out);
	free(err);
}
END_TEST

START_TEST(sarif_output)
{
	char *out, *err;
	char *argv[] = { "check", "--format=sarif", path_bad };
	ck_assert_int_eq(run(&out, &err, 3, argv), CLI_VIOLATIONS);
	cJSON *j = cJSON_Parse(out);
	ck_assert(j != NULL);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "version")->valuestring, "2.1.0");
	cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0);
	cJSON *driver = cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "tool"), "driver");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(driver, "rules")), (int)pct_pack()->n);
	cJSON *results = cJSON_GetObjectItem(r0, "results");
	ck_assert(cJSON_GetArraySize(results) > 0);
	cJSON *res0 = cJSON_GetArrayItem(results, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(res0, "level")->valuestring, "error");
	/* ruleIndex points at the rule with the same id. */
	int idx = cJSON_GetObjectItem(res0, "ruleIndex")->valueint;
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(driver, "rules"), idx), "id")->valuestring,
			 cJSON_GetObjectItem(res0, "ruleId")->valuestring);
	ck_assert(strstr(out, CANARY) == NULL);
	cJSON_Delete(j);
	free(out);
	free(err);
}
END_TEST

START_TEST(config_downgrades_to_advisory)
{
	char *out, *err;
	char *argv[] = { "check", "--config", path_cfg, path_bad };
	int rc = run(&out, &err, 4, argv);
	ck_assert_msg(rc == CLI_OK, "rc %d: %s", rc, err);
	ck_assert(strstr(out, "- [advisory]") != NULL);
	ck_assert(strstr(out, "- [mandatory]") == NULL);
	free(out);
	free(err);
}
END_TEST

START_TEST(usage_and_input_errors)
{
	char *out, *err;
	char *a1[] = { "check" };
	ck_assert_int_eq(run(&out, &err, 1, a1), CLI_USAGE);
	free(out);
	free(err);
	char *a2[] = { "check", "--bogus", path_bad };
	ck_assert_int_eq(run(&out, &err, 3, a2), CLI_USAGE);
	ck_assert(strstr(err, "--bogus") != NULL);
	free(out);
	free(err);
	char *a3[] = { "check", "/nonexistent/file.json" };
	ck_assert_int_eq(run(&out, &err, 2, a3), CLI_INPUT);
	ck_assert(strstr(err, "cannot open") != NULL);
	free(out);
	free(err);
	char *a4[] = { "check", "--format", "xml", path_bad };
	ck_assert_int_eq(run(&out, &err, 4, a4), CLI_USAGE);
	free(out);
	free(err);
}
END_TEST

START_TEST(stack_export_input)
{
	static const char exp[] =
		"{\"version\":3,\"deployment\":{\"resources\":["
		"{\"urn\":\"urn:pulumi:prod::web::pulumi:pulumi:Stack::web-prod\",\"type\":\"pulumi:pulumi:Stack\",\"custom\":false},"
		"{\"urn\":\"urn:pulumi:prod::web::pulumi:providers:aws::use1\",\"type\":\"pulumi:providers:aws\",\"custom\":true,"
		" \"id\":\"abc\",\"inputs\":{\"region\":\"us-east-1\"}},"
		"{\"urn\":\"urn:pulumi:prod::web::aws:iam/policy:Policy::admin\",\"type\":\"aws:iam/policy:Policy\",\"custom\":true,"
		" \"provider\":\"urn:pulumi:prod::web::pulumi:providers:aws::use1::abc\","
		" \"inputs\":{\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
		"\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"},"
		" \"outputs\":{\"arn\":\"arn:aws:iam::111122223333:policy/admin\"}},"
		"{\"urn\":\"urn:pulumi:prod::web::aws:lambda/function:Function::fn\",\"type\":\"aws:lambda/function:Function\","
		" \"custom\":true,\"provider\":\"urn:pulumi:prod::web::pulumi:providers:aws::use1::abc\","
		" \"inputs\":{\"runtime\":\"python2.7\"}}"
		"]}}";
	char path[64];
	write_file(path, exp);
	char *out, *err;
	char *argv[] = { "check", "--format", "json", path };
	int rc = run(&out, &err, 4, argv);
	unlink(path);
	ck_assert_msg(rc == CLI_VIOLATIONS, "rc %d: %s", rc, err);
	ck_assert(strstr(out, "urn:pulumi:prod::web::aws:") != NULL);
	free(out);
	free(err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("checkmode");
	TCase *tc = tcase_create("formats");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_output_like_the_cli);
	tcase_add_test(tc, json_output);
	tcase_add_test(tc, sarif_output);
	tcase_add_test(tc, config_downgrades_to_advisory);
	tcase_add_test(tc, usage_and_input_errors);
	tcase_add_test(tc, stack_export_input);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
