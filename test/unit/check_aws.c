/*
 * check_aws.c - unit tests for src/aws.c (ARNs, regions, placeholders,
 * stringified-Output markers). Table-driven: each loop test names its case.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "aws.h"

/* ---- ARNs ----------------------------------------------------------------- */

START_TEST(test_arn_parse_fields)
{
	struct aws_arn a;

	ck_assert_int_eq(aws_arn_parse("arn:aws:events:us-west-2:210987654321:rule/orders-bus/created", &a), 0);
	ck_assert(aws_field_eq(a.partition, a.partition_len, "aws"));
	ck_assert(aws_field_eq(a.service, a.service_len, "events"));
	ck_assert(aws_field_eq(a.region, a.region_len, "us-west-2"));
	ck_assert(aws_field_eq(a.account, a.account_len, "210987654321"));
	ck_assert(aws_field_eq(a.resource, a.resource_len, "rule/orders-bus/created"));
	ck_assert(!aws_field_eq(a.region, a.region_len, "us-west-22"));
	ck_assert(!aws_field_eq(a.region, a.region_len, "us-west-"));

	/* S3: empty region and account; the resource keeps its ':' and '/'. */
	ck_assert_int_eq(aws_arn_parse("arn:aws:s3:::my-bucket/key:with:colons", &a), 0);
	ck_assert_uint_eq(a.region_len, 0);
	ck_assert_uint_eq(a.account_len, 0);
	ck_assert(aws_field_eq(a.resource, a.resource_len, "my-bucket/key:with:colons"));

	/* Other partitions and AWS-managed policies. */
	ck_assert_int_eq(aws_arn_parse("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess", &a), 0);
	ck_assert(aws_field_eq(a.partition, a.partition_len, "aws-us-gov"));
	ck_assert(aws_field_eq(a.account, a.account_len, "aws"));
	ck_assert_int_eq(aws_arn_parse("arn:aws-cn:lambda:cn-north-1:123412341234:function:f", NULL), 0);
	/* Wildcards inside policy documents. */
	ck_assert_int_eq(aws_arn_parse("arn:aws:dynamodb:*:*:table/app-*", &a), 0);
	ck_assert(aws_field_eq(a.region, a.region_len, "*"));
}
END_TEST

static const char *const not_arns[] = {
	"", "arn", "arn:", "arn:aws", "arn:aws:s3", "arn:aws:s3::", "arn:aws:s3:::",
	"ARN:aws:s3:::b", "arn:gcp:s3:::b", "arn::s3:::b", "arn:aws::us-east-1:1:x",
	"arn:AWS:s3:::b", "arn:aws:S3:::b", " arn:aws:s3:::b", "my-bucket",
	"04da6b54-80e4-46f7-96ec-b56ff0331ba9",
};

START_TEST(test_arn_parse_rejects)
{
	struct aws_arn a;
	ck_assert_msg(aws_arn_parse(not_arns[_i], &a) == -1, "'%s' parsed as an ARN", not_arns[_i]);
}
END_TEST

START_TEST(test_arn_null)
{
	ck_assert_int_eq(aws_arn_parse(NULL, NULL), -1);
	ck_assert(!aws_field_eq(NULL, 0, "x"));
	ck_assert(aws_field_eq("abc", 0, ""));
}
END_TEST

/* ---- regions -------------------------------------------------------------- */

struct region_case {
	const char *region;
	enum aws_region_status want;
};

static const struct region_case region_cases[] = {
	{ "us-east-1", AWS_REGION_KNOWN },
	{ "us-west-2", AWS_REGION_KNOWN },
	{ "eu-central-2", AWS_REGION_KNOWN },
	{ "ap-southeast-7", AWS_REGION_KNOWN },
	{ "ap-east-2", AWS_REGION_KNOWN },
	{ "mx-central-1", AWS_REGION_KNOWN },
	{ "il-central-1", AWS_REGION_KNOWN },
	{ "us-gov-west-1", AWS_REGION_KNOWN },
	{ "cn-northwest-1", AWS_REGION_KNOWN },
	{ "us-iso-east-1", AWS_REGION_KNOWN },
	{ "us-isob-east-1", AWS_REGION_KNOWN },
	{ "us-isof-south-1", AWS_REGION_KNOWN },
	{ "eu-isoe-west-1", AWS_REGION_KNOWN },
	{ "eusc-de-east-1", AWS_REGION_KNOWN },
	/* Matches a partition pattern but is not (yet) in the list. */
	{ "us-east-3", AWS_REGION_WELL_FORMED },
	{ "eu-west-12", AWS_REGION_WELL_FORMED },
	{ "us-gov-central-1", AWS_REGION_WELL_FORMED },
	{ "ap-southwest-1", AWS_REGION_WELL_FORMED },
	/* Availability-zone shaped. */
	{ "us-east-1a", AWS_REGION_AZ },
	{ "eu-west-3c", AWS_REGION_AZ },
	{ "us-east-1-a", AWS_REGION_AZ },
	{ "us-west-2-lax-1a", AWS_REGION_AZ },
	{ "us-east-1-wl1-bos-wlz-1", AWS_REGION_AZ },
	{ "use1-az1", AWS_REGION_AZ },
	{ "euw1-az3", AWS_REGION_AZ },
	{ "use1-qro1-az1", AWS_REGION_AZ },
	/* Malformed. */
	{ "", AWS_REGION_MALFORMED },
	{ "us-east1", AWS_REGION_MALFORMED },
	{ "US-EAST-1", AWS_REGION_MALFORMED },
	{ "useast1", AWS_REGION_MALFORMED },
	{ "us-east", AWS_REGION_MALFORMED },
	{ "us-east-", AWS_REGION_MALFORMED },
	{ "us-east-1 ", AWS_REGION_MALFORMED },
	{ " us-east-1", AWS_REGION_MALFORMED },
	{ "us-east-1ab", AWS_REGION_MALFORMED },
	{ "xx-east-1", AWS_REGION_MALFORMED },
	{ "us-east-1.", AWS_REGION_MALFORMED },
	{ "aws-global", AWS_REGION_MALFORMED },
	{ "us_east_1", AWS_REGION_MALFORMED },
	{ "virginia", AWS_REGION_MALFORMED },
	{ "04da6b54-80e4-46f7-96ec-b56ff0331ba9", AWS_REGION_MALFORMED },
};

START_TEST(test_region_check)
{
	const struct region_case *c = &region_cases[_i];
	enum aws_region_status got = aws_region_check(c->region);
	ck_assert_msg(got == c->want, "region '%s': got %d want %d", c->region, (int)got, (int)c->want);
}
END_TEST

START_TEST(test_region_null_and_date)
{
	ck_assert_int_eq(aws_region_check(NULL), AWS_REGION_MALFORMED);
	ck_assert_uint_eq(strlen(aws_regions_as_of), 10);
	ck_assert(aws_regions_as_of[4] == '-' && aws_regions_as_of[7] == '-');
}
END_TEST

/* ---- accounts ------------------------------------------------------------- */

START_TEST(test_accounts)
{
	ck_assert(aws_is_account_id("210987654321", 12));
	ck_assert(!aws_is_account_id("21098765432", 11));
	ck_assert(!aws_is_account_id("21098765432a", 12));
	ck_assert(!aws_is_account_id(NULL, 12));

	ck_assert(aws_is_placeholder_account("123456789012", 12));
	ck_assert(aws_is_placeholder_account("111122223333", 12));
	ck_assert(aws_is_placeholder_account("444455556666", 12));
	ck_assert(aws_is_placeholder_account("777788889999", 12));
	ck_assert(aws_is_placeholder_account("000000000000", 12));
	ck_assert(aws_is_placeholder_account("111111111111", 12));
	ck_assert(aws_is_placeholder_account("999999999999", 12));
	ck_assert(!aws_is_placeholder_account("210987654321", 12));
	ck_assert(!aws_is_placeholder_account("123456789013", 12));
	ck_assert(!aws_is_placeholder_account("12345678901", 11));
	/* Length is honoured: a prefix of a longer string. */
	ck_assert(aws_is_placeholder_account("123456789012:role/x", 12));
}
END_TEST

/* ---- placeholders --------------------------------------------------------- */

static const char *const placeholders[] = {
	"arn:aws:iam::123456789012:role/deployer",
	"arn:aws:sns:us-east-1:111122223333:alerts",
	"arn:aws:iam::000000000000:root",
	"123456789012",
	"[\"123456789012\"]",
	"{\"Statement\":[{\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"}}]}",
	"{\"AWS\":\"777788889999\"}",
	"REPLACE_ME",
	"replace-me",
	"bucket-REPLACEME",
	"CHANGEME",
	"password: changeme",
	"CHANGE_ME_BEFORE_DEPLOY",
	"TODO",
	"  fixme ",
	"your-bucket-name",
	"YOUR_ACCOUNT_ID",
	"arn:aws:iam::your-account-id:role/x",
	"<your-account-id>",
	"<ACCOUNT_ID>",
	"arn:aws:s3:::<bucket-name>/*",
	"<REGION>",
	"<your hosted zone>",
	"sg-xxxxxxxx",
	"arn:aws:iam::xxxxxxxxxxxx:role/x",
	"AKIAXXXXXXXXXXXXXXXX",
	"AKIAIOSFODNN7EXAMPLE",
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"arn:aws:acm:us-east-1:210987654321:certificate/12345678-1234-1234-1234-123456789012",
	"arn:aws:acm:us-east-1:210987654321:certificate/00000000-0000-0000-0000-000000000000",
	/* pretty-printed JSON (getPolicyDocument) is not code */
	"{\n  \"Resource\": \"arn:aws:sqs:us-east-1:xxxxxxxxxxxx:jobs\"\n}",
};

START_TEST(test_placeholder_found)
{
	ck_assert_msg(aws_placeholder_in(placeholders[_i]) != NULL, "no placeholder found in '%s'", placeholders[_i]);
}
END_TEST

/* Ordinary values that must not be mistaken for placeholders. */
static const char *const not_placeholders[] = {
	"",
	"arn:aws:iam::210987654321:role/deployer",
	"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
	"trading-orders-123456789012345",          /* 15 digits: not an account */
	"order-1234567890123",                     /* 13 digits */
	"todo-app-table",
	"TODO: rotate this key quarterly",
	"replacement-policy",
	"changemanagement-queue",
	"my-yourself-bucket",
	"your-favourite-shop",
	"<html><body>Hello</body></html>",
	"<h1>It works</h1>",
	"John Doe <john@example.org>",
	"<IfModule mod_ssl.c>",
	"<VirtualHost *:80>",
	"cat <<EOF > /etc/app.conf",
	"{\"numeric\":[\">\",0,\"<=\",5]}",
	"${aws:username}",
	"arn:aws:s3:::${aws:username}/*",
	"index.handler",
	"python3.11",
	"box-x-ray",
	"xx-large",
	"maxxxx",                                   /* glued to letters, short */
	"00000000-0000-0000-0000-000000000000",    /* not in an ARN */
	"04da6b54-80e4-46f7-96ec-b56ff0331ba9",
	"arn:aws:events:us-west-2:210987654321:rule/orders",
	"10.0.0.0/16",
	"placeholder",
	/* code (CloudFront Function): the x runs are a UUID template */
	"function handler(event) {\n  var id = 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, f);\n  return id;\n}\n",
};

START_TEST(test_placeholder_not_found)
{
	const char *got = aws_placeholder_in(not_placeholders[_i]);
	ck_assert_msg(got == NULL, "'%s' flagged as %s", not_placeholders[_i], got ? got : "");
}
END_TEST

START_TEST(test_placeholder_null)
{
	ck_assert_ptr_null(aws_placeholder_in(NULL));
}
END_TEST

/* ---- stringified Outputs -------------------------------------------------- */

struct marker_case {
	const char *text;
	const char *want;   /* expected marker, NULL = none */
};

static const struct marker_case marker_cases[] = {
	{ "arn:aws:s3:::Calling [toString] on an [Output<T>] is not supported.\n\nTo get the value...",
	  "Calling [toString] on an [Output<T>]" },
	{ "{\"Resource\":\"Calling [toJSON] on an [Output<T>] is not supported.\"}",
	  "Calling [toJSON] on an [Output<T>]" },
	{ "{\"Resource\": [\"Calling __str__ on an Output[T] is not supported.\\n\\nTo get the value of an "
	  "Output[T] as an Output[str] consider:\\n1. o.apply(lambda v: f\\\"prefix{v}suffix\\\")\"]}",
	  "Calling __str__ on an Output[T]" },
	{ "Calling [ToString] on an [Output<T>] is not supported.", "Calling [ToString] on an [Output<T>]" },
	{ "bucket-<pulumi.output.Output object at 0x7f3a2c1d9e50>",
	  "<pulumi.output.Output object at 0x...>" },
	{ "{\"Resource\":\"\\u003cpulumi.output.Output object at 0x7f3a2c1d9e50\\u003e\"}",
	  "<pulumi.output.Output object at 0x...>" },
	{ "prefix-[object Object]-suffix", "[object Object]" },
	{ "arn:aws:s3:::{0xc000137180}/*", "{0xc...} (Go %v of an Output)" },
	{ "arn:aws:s3:::my-bucket/*", NULL },
	{ "{\"Version\":\"2012-10-17\",\"Statement\":[]}", NULL },
	{ "Calling toString on an object", NULL },
	{ "{0xc}", NULL },
	{ "{0xcafe}", NULL },
	{ "[object]", NULL },
	{ "", NULL },
};

START_TEST(test_output_markers)
{
	const struct marker_case *c = &marker_cases[_i];
	const char *got = aws_output_marker_in(c->text);
	if (!c->want)
		ck_assert_msg(got == NULL, "case %d: unexpected marker %s", _i, got ? got : "");
	else
		ck_assert_msg(got && strcmp(got, c->want) == 0, "case %d: got %s want %s", _i,
			      got ? got : "(none)", c->want);
}
END_TEST

START_TEST(test_output_marker_null)
{
	ck_assert_ptr_null(aws_output_marker_in(NULL));
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *aws_suite(void)
{
	Suite *s = suite_create("aws");
	TCase *tc;

	tc = tcase_create("arn");
	tcase_add_test(tc, test_arn_parse_fields);
	tcase_add_loop_test(tc, test_arn_parse_rejects, 0, N(not_arns));
	tcase_add_test(tc, test_arn_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("region");
	tcase_add_loop_test(tc, test_region_check, 0, N(region_cases));
	tcase_add_test(tc, test_region_null_and_date);
	suite_add_tcase(s, tc);

	tc = tcase_create("account");
	tcase_add_test(tc, test_accounts);
	suite_add_tcase(s, tc);

	tc = tcase_create("placeholder");
	tcase_add_loop_test(tc, test_placeholder_found, 0, N(placeholders));
	tcase_add_loop_test(tc, test_placeholder_not_found, 0, N(not_placeholders));
	tcase_add_test(tc, test_placeholder_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("output-marker");
	tcase_add_loop_test(tc, test_output_markers, 0, N(marker_cases));
	tcase_add_test(tc, test_output_marker_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(aws_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
