/*
 * check_s3.c - edge cases of the s3 family: naming rules and knobs,
 * duplicated prefixes (stack/project names), TLS-only bucket policies in
 * every document shape (string/object, Principal forms, condition spellings,
 * unknowns, secrets, name-based links, conflicting writers), public access
 * blocks and explicit encryption in v6 and v7 shapes.
 *
 * Fixture JSON is written with single quotes for readability and turned
 * into JSON by fx(); `\\'` inside a C string becomes an escaped quote.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define SECRET(v) "{'4dabf18193072939515e22adb298388d':'1b47061264138c4ac30d75fd1eb44270','value':" v "}"
#define PURN "urn:pulumi:dev::webapp::pulumi:providers:aws::main"
#define PROVIDER \
	"{'type':'pulumi:providers:aws','urn':'" PURN "','name':'main','properties':{'region':'us-east-1','defaultTags':'{\\'tags\\':{\\'team\\':\\'web\\'}}'}}"
#define URN(type, name) "urn:pulumi:dev::webapp::" type "::" name
#define RES(type, name, props, extra) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN "','properties':" props extra "}"
#define DEPS(prop, type, name) ",'propertyDependencies':{'" prop "':['" URN(type, name) "']}"

#define BUCKET "aws:s3/bucket:Bucket"
#define BUCKETV2 "aws:s3/bucketV2:BucketV2"
#define BPOL "aws:s3/bucketPolicy:BucketPolicy"
#define PAB "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
#define APAB "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
#define SSE "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
#define SSEV2 "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"

#define P_NAME "s3-bucket-name-valid"
#define P_DUP "s3-bucket-name-no-duplicated-prefix"
#define P_TLS "s3-bucket-https-only"
#define P_PAB "s3-bucket-public-access-block"
#define P_KMS "s3-bucket-encryption-kms"

/* A bucket "b" named "data-bucket-1" and a BucketPolicy linked to it with this statement (JSON text). */
#define ARN "arn:aws:s3:::data-bucket-1"
#define B1 RES(BUCKET, "b", "{'bucket':'data-bucket-1'}", "")
#define STMT_TEXT(st) "'{\\'Version\\':\\'2012-10-17\\',\\'Statement\\':[" st "]}'"
#define POLICY_OF(policy) RES(BPOL, "p", "{'bucket':'" U "','policy':" policy "}", DEPS("bucket", BUCKET, "b"))
#define Q(s) "\\'" s "\\'"
#define DENY(principal, action, resource, cond) \
	"{" Q("Effect") ":" Q("Deny") "," Q("Principal") ":" principal "," Q("Action") ":" action "," \
	Q("Resource") ":" resource "," Q("Condition") ":" cond "}"
#define BOTH "[" Q(ARN) "," Q(ARN "/*") "]"
#define ST_FALSE "{" Q("Bool") ":{" Q("aws:SecureTransport") ":" Q("false") "}}"

static char *fx_buf;

static const char *fx(const char *config, const char *stack, const char *resources)
{
	size_t n = strlen(resources) + (config ? strlen(config) : 0) + 4096;
	free(fx_buf);
	fx_buf = malloc(n);
	ck_assert_ptr_nonnull(fx_buf);
	snprintf(fx_buf, n, "{'title':'t','stack':{'stack':'%s','project':'web-app','dryRun':true,"
		 "'config':{'aws:region':'us-east-1'}},%s%s%s'resources':[" PROVIDER ",%s]}",
		 stack ? stack : "dev", config ? "'config':" : "", config ? config : "", config ? "," : "",
		 resources);
	for (char *p = fx_buf; *p; p++)
		if (*p == '\'')
			*p = '"';
	return fx_buf;
}

static struct pct_run run;

static size_t count_in(const char *config, const char *stack, const char *resources, const char *policy,
		       const char *name)
{
	char urn[256];
	int rc;

	pct_run_free(&run);
	rc = pct_run_json(&run, fx(config, stack, resources));
	ck_assert_msg(rc == 0, "fixture failed to load: %s", run.err ? run.err : "?");
	if (name)
		snprintf(urn, sizeof(urn), "::%s", name);
	return pct_count(&run, policy, name ? urn : NULL, -1);
}

#define EXPECT_IN(n, config, stack, res, policy, name) \
	do { \
		size_t got_ = count_in(config, stack, res, policy, name); \
		ck_assert_msg(got_ == (size_t)(n), "%s on %s: expected %d, got %zu:%s", policy, \
			      name ? name : "*", (int)(n), got_, pct_describe(&run)); \
	} while (0)
#define EXPECT(n, config, res, policy, name) EXPECT_IN(n, config, NULL, res, policy, name)

static int any_message_contains(const char *needle)
{
	for (size_t i = 0; i < run.n; i++)
		if (run.d[i].message && strstr(run.d[i].message, needle))
			return 1;
	return 0;
}

/* ---- s3-bucket-name-valid ------------------------------------------------- */

static const struct { const char *name; int bad; } names[] = {
	{ "tap-data-dev-useast1", 0 }, { "abc", 0 }, { "logs.acmecorp.io", 0 }, { "a1-b2", 0 },
	{ "ab", 1 }, { "My-Bucket", 1 }, { "my_bucket", 1 }, { "-abc", 1 }, { "abc-", 1 },
	{ "a..b", 1 }, { "192.168.1.10", 1 }, { "xn--bucket", 1 }, { "sthree-data", 1 },
	{ "amzn-s3-demo-bucket", 1 }, { "data-s3alias", 1 }, { "data--ol-s3", 1 }, { "data.mrap", 1 },
	{ "data--x-s3", 1 }, { "data--table-s3", 1 }, { "has space", 1 },
	{ "a234567890123456789012345678901234567890123456789012345678901234", 1 },
};

START_TEST(name_rules)
{
	char res[512];

	snprintf(res, sizeof(res), RES(BUCKET, "b", "{'bucket':'%s'}", ""), names[_i].name);
	EXPECT(names[_i].bad, NULL, res, P_NAME, "b");
}
END_TEST

START_TEST(name_knobs_prefix_unknown_secret)
{
	/* Dots are valid unless forbidDots. */
	EXPECT(1, "{'" P_NAME "':{'forbidDots':true}}", RES(BUCKET, "b", "{'bucket':'logs.acmecorp.io'}", ""), P_NAME, "b");
	/* bucketPrefix: at most 37 characters, valid characters. */
	EXPECT(1, NULL, RES(BUCKETV2, "b", "{'bucketPrefix':'a-very-long-bucket-prefix-for-the-data-lake-'}", ""), P_NAME, "b");
	EXPECT(1, NULL, RES(BUCKETV2, "b", "{'bucketPrefix':'Data_'}", ""), P_NAME, "b");
	EXPECT(0, NULL, RES(BUCKETV2, "b", "{'bucketPrefix':'data-lake-'}", ""), P_NAME, "b");
	/* Unknown: never a violation, recorded as not applicable. */
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'" U "'}", ""), P_NAME, "b");
	ck_assert_uint_ge(pct_count_na(&run, P_NAME), 1);
	/* Secret names are judged but never quoted. */
	EXPECT(1, NULL, RES(BUCKET, "b", "{'bucket':" SECRET("'Secret_Name'") "}", ""), P_NAME, "b");
	ck_assert(!any_message_contains("Secret_Name"));
	/* Account-regional namespace suffix. */
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'data-482915736104-us-east-1-an','bucketNamespace':'account-regional'}", ""), P_NAME, "b");
	EXPECT(1, NULL, RES(BUCKET, "b", "{'bucket':'data-bucket','bucketNamespace':'account-regional'}", ""), P_NAME, "b");
	EXPECT(1, NULL, RES(BUCKET, "b", "{'bucket':'data-482915736104-eu-west-1-an','bucketNamespace':'account-regional'}", ""), P_NAME, "b");
}
END_TEST

/* ---- s3-bucket-name-no-duplicated-prefix ------------------------------------ */

START_TEST(dup_prefix)
{
	EXPECT(1, NULL, RES(BUCKET, "b", "{'bucket':'my-project-dev-my-project-dev-data'}", ""), P_DUP, "b");
	EXPECT(1, NULL, RES(BUCKETV2, "b", "{'bucket':'acme.logs.acme.logs'}", ""), P_DUP, "b");
	EXPECT(1, NULL, RES(BUCKETV2, "b", "{'bucketPrefix':'tap-dev-tap-dev-'}", ""), P_DUP, "b");
	/* A single repeated token is not enough ... */
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'data-data-a1b2c3d'}", ""), P_DUP, "b");
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'tap-data-dev-useast1'}", ""), P_DUP, "b");
	/* ... unless it is the stack name, */
	EXPECT_IN(1, NULL, "staging", RES(BUCKET, "b", "{'bucket':'app-staging-staging-logs'}", ""), P_DUP, "b");
	/* or the project name (anywhere, when it has two tokens or more). */
	EXPECT(1, NULL, RES(BUCKET, "b", "{'bucket':'web-app-logs-web-app-archive'}", ""), P_DUP, "b");
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'webapp-logs-webapp-archive'}", ""), P_DUP, "b");
	/* minRepeatTokens raises the bar for other runs. */
	EXPECT(0, "{'" P_DUP "':{'minRepeatTokens':3}}", RES(BUCKET, "b", "{'bucket':'acme-logs-acme-logs'}", ""), P_DUP, "b");
	EXPECT(1, "{'" P_DUP "':{'minRepeatTokens':3}}", RES(BUCKET, "b", "{'bucket':'a-b-c-a-b-c'}", ""), P_DUP, "b");
	/* Unknown names are not judged. */
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'" U "'}", ""), P_DUP, "b");
}
END_TEST

/* ---- s3-bucket-https-only ----------------------------------------------------- */

START_TEST(tls_policy_shapes_pass)
{
	/* String document, canonical statement. */
	EXPECT(0, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH, ST_FALSE))), P_TLS, "b");
	/* Object document, Principal {AWS: [*]}, Action ["*"], boolean false, single statement object. */
	EXPECT(0, NULL, B1 "," RES(BPOL, "p", "{'bucket':'data-bucket-1','policy':{'Version':'2012-10-17',"
	       "'Statement':{'Effect':'Deny','Principal':{'AWS':['*']},'Action':['*'],'Resource':'arn:aws:s3:::data-bucket-1*',"
	       "'Condition':{'Bool':{'aws:SecureTransport':false}}}}}", ""), P_TLS, "b");
	/* BoolIfExists, Resource "*", linked by name only (no property dependency). */
	EXPECT(0, NULL, B1 "," RES(BPOL, "p", "{'bucket':'data-bucket-1','policy':" STMT_TEXT(DENY(Q("*"), Q("s3:*"), Q("*"),
	       "{" Q("BoolIfExists") ":{" Q("aws:SecureTransport") ":[" Q("false") "]}}")) "}", ""), P_TLS, "b");
	/* Inline policy of a v6 legacy bucket. */
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'data-bucket-1','policy':" STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH, ST_FALSE)) "}", ""), P_TLS, "b");
	/* A secret document is judged like any other. */
	EXPECT(0, NULL, B1 "," POLICY_OF(SECRET(STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH, ST_FALSE)))), P_TLS, "b");
	/* TLS-version condition only with the knob. */
	EXPECT(0, "{'" P_TLS "':{'acceptTlsVersionCondition':true}}", B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH,
	       "{" Q("NumericLessThan") ":{" Q("s3:TlsVersion") ":" Q("1.2") "}}"))), P_TLS, "b");
}
END_TEST

START_TEST(tls_policy_shapes_fail)
{
	EXPECT(1, NULL, B1, P_TLS, "b");
	/* Objects only. */
	EXPECT(1, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), Q("s3:*"), Q(ARN "/*"), ST_FALSE))), P_TLS, "b");
	ck_assert(any_message_contains("does not cover the bucket itself"));
	/* Bucket only. */
	EXPECT(1, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), Q("s3:*"), Q(ARN), ST_FALSE))), P_TLS, "b");
	/* Some principals. */
	EXPECT(1, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY("{" Q("AWS") ":" Q("arn:aws:iam::482915736104:root") "}", Q("s3:*"), BOTH, ST_FALSE))), P_TLS, "b");
	/* Some actions. */
	EXPECT(1, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), "[" Q("s3:GetObject") "]", BOTH, ST_FALSE))), P_TLS, "b");
	/* Wrong condition value / key. */
	EXPECT(1, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH, "{" Q("Bool") ":{" Q("aws:SecureTransport") ":" Q("true") "}}"))), P_TLS, "b");
	/* TLS-version condition alone does not deny plain HTTP by default. */
	EXPECT(1, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH, "{" Q("NumericLessThan") ":{" Q("s3:TlsVersion") ":" Q("1.2") "}}"))), P_TLS, "b");
	/* Another bucket's ARN. */
	EXPECT(1, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), Q("s3:*"), "[" Q("arn:aws:s3:::other") "," Q("arn:aws:s3:::other/*") "]", ST_FALSE))), P_TLS, "b");
	/* A policy linked to another bucket does not count. */
	EXPECT(1, NULL, B1 "," RES(BUCKET, "o", "{'bucket':'other'}", "") "," RES(BPOL, "p", "{'bucket':'" U "','policy':"
	       STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH, ST_FALSE)) "}", DEPS("bucket", BUCKET, "o")), P_TLS, "b");
	/* Two BucketPolicy resources for one bucket: the last write wins. */
	EXPECT(1, NULL, B1 "," POLICY_OF(STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH, ST_FALSE))) ","
	       RES(BPOL, "p2", "{'bucket':'data-bucket-1','policy':" STMT_TEXT(DENY(Q("*"), Q("s3:*"), BOTH, ST_FALSE)) "}", ""), P_TLS, "b");
	ck_assert(any_message_contains("last write wins"));
	/* Static website endpoints are HTTP-only: exempt by default, judged with the knob off. */
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'data-bucket-1','website':{'indexDocument':'index.html'}}", ""), P_TLS, "b");
	EXPECT(0, NULL, RES(BUCKETV2, "b", "{'bucket':'data-bucket-1','websites':[{'indexDocument':'index.html'}]}", ""), P_TLS, "b");
	EXPECT(0, NULL, B1 "," RES("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "w", "{'bucket':'" U "','indexDocument':{'suffix':'index.html'}}",
	       DEPS("bucket", BUCKET, "b")), P_TLS, "b");
	EXPECT(1, "{'" P_TLS "':{'exemptWebsiteBuckets':false}}", RES(BUCKET, "b", "{'bucket':'data-bucket-1','website':{'indexDocument':'index.html'}}", ""), P_TLS, "b");
	/* Secret document: reported without its content. */
	EXPECT(1, NULL, B1 "," POLICY_OF(SECRET(STMT_TEXT(DENY(Q("*"), Q("s3:GetObject"), BOTH, ST_FALSE)))), P_TLS, "b");
	ck_assert(!any_message_contains("GetObject"));
}
END_TEST

START_TEST(tls_policy_unknowns)
{
	/* Whole document unknown (pulumi.jsonStringify over bucket.arn in preview). */
	EXPECT(0, NULL, B1 "," POLICY_OF("'" U "'"), P_TLS, "b");
	ck_assert_uint_ge(pct_count_na(&run, P_TLS), 1);
	/* Resources unknown in an otherwise correct statement. */
	EXPECT(0, NULL, B1 "," RES(BPOL, "p", "{'bucket':'" U "','policy':{'Statement':[{'Effect':'Deny','Principal':'*',"
	       "'Action':'s3:*','Resource':['" U "','" U "'],'Condition':{'Bool':{'aws:SecureTransport':'false'}}}]}}",
	       DEPS("bucket", BUCKET, "b")), P_TLS, "b");
	/* An unknown statement next to an Allow: cannot tell. */
	EXPECT(0, NULL, B1 "," RES(BPOL, "p", "{'bucket':'" U "','policy':{'Statement':['" U "',{'Effect':'Allow',"
	       "'Principal':{'Service':'cloudfront.amazonaws.com'},'Action':'s3:GetObject','Resource':'" ARN "/*'}]}}",
	       DEPS("bucket", BUCKET, "b")), P_TLS, "b");
	/* Unknown parts of an Allow statement do not hide a missing deny. */
	EXPECT(1, NULL, B1 "," RES(BPOL, "p", "{'bucket':'" U "','policy':{'Statement':[{'Effect':'Allow',"
	       "'Principal':{'Service':'cloudfront.amazonaws.com'},'Action':'s3:GetObject','Resource':'" ARN "/*',"
	       "'Condition':{'StringEquals':{'AWS:SourceArn':'" U "'}}}]}}", DEPS("bucket", BUCKET, "b")), P_TLS, "b");
	/* A policy whose target cannot be told (no dependency recorded, value unknown). */
	EXPECT(0, NULL, B1 "," RES(BPOL, "p", "{'bucket':'" U "','policy':'" U "'}", ""), P_TLS, "b");
}
END_TEST

/* ---- s3-bucket-public-access-block --------------------------------------------- */

#define PAB_OF(flags) RES(PAB, "pab", "{'bucket':'" U "'," flags "}", DEPS("bucket", BUCKET, "b"))
#define ALL4 "'blockPublicAcls':true,'blockPublicPolicy':true,'ignorePublicAcls':true,'restrictPublicBuckets':true"

START_TEST(public_access_block)
{
	EXPECT(1, NULL, B1, P_PAB, "b");
	ck_assert_uint_eq(pct_count(&run, P_PAB, "::b", POL_ADVISORY), 1);
	EXPECT(0, NULL, B1 "," PAB_OF(ALL4), P_PAB, "b");
	/* Provider-style string booleans. */
	EXPECT(0, NULL, B1 "," PAB_OF("'blockPublicAcls':'true','blockPublicPolicy':'true','ignorePublicAcls':'true','restrictPublicBuckets':'true'"), P_PAB, "b");
	EXPECT(1, NULL, B1 "," PAB_OF("'blockPublicAcls':true,'blockPublicPolicy':false,'ignorePublicAcls':true"), P_PAB, "b");
	ck_assert(any_message_contains("blockPublicPolicy, restrictPublicBuckets"));
	EXPECT(0, NULL, B1 "," PAB_OF("'blockPublicAcls':true,'blockPublicPolicy':'" U "','ignorePublicAcls':true,'restrictPublicBuckets':true"), P_PAB, "b");
	/* Account-wide block covers every bucket. */
	EXPECT(0, NULL, B1 "," RES(APAB, "acct", "{" ALL4 "}", ""), P_PAB, "b");
}
END_TEST

/* ---- s3-bucket-encryption-kms --------------------------------------------------- */

START_TEST(encryption)
{
	/* No explicit configuration: advisory. */
	EXPECT(1, NULL, B1, P_KMS, "b");
	/* v7 standalone resource with KMS. */
	EXPECT(0, NULL, B1 "," RES(SSE, "e", "{'bucket':'" U "','rules':[{'applyServerSideEncryptionByDefault':{'sseAlgorithm':'aws:kms','kmsMasterKeyId':'" U "'}}]}",
	       DEPS("bucket", BUCKET, "b")), P_KMS, "b");
	/* v6 legacy inline object shape, SSE-S3: fine unless requireKms. */
	EXPECT(0, NULL, RES(BUCKET, "b", "{'bucket':'data-bucket-1','serverSideEncryptionConfiguration':{'rule':{'applyServerSideEncryptionByDefault':{'sseAlgorithm':'AES256'}}}}", ""), P_KMS, "b");
	EXPECT(1, "{'" P_KMS "':{'requireKms':true}}", RES(BUCKET, "b", "{'bucket':'data-bucket-1','serverSideEncryptionConfiguration':{'rule':{'applyServerSideEncryptionByDefault':{'sseAlgorithm':'AES256'}}}}", ""), P_KMS, "b");
	/* BucketV2 list shape with DSSE-KMS. */
	EXPECT(0, "{'" P_KMS "':{'requireKms':true}}", RES(BUCKETV2, "b", "{'bucket':'data-bucket-1','serverSideEncryptionConfigurations':[{'rules':[{'applyServerSideEncryptionByDefaults':[{'sseAlgorithm':'aws:kms:dsse'}]}]}]}", ""), P_KMS, "b");
	/* A KMS key with an AES256 algorithm is ignored by S3. */
	EXPECT(1, NULL, B1 "," RES(SSEV2, "e", "{'bucket':'data-bucket-1','rules':[{'applyServerSideEncryptionByDefault':{'sseAlgorithm':'AES256','kmsMasterKeyId':'alias/data'}}]}", ""), P_KMS, "b");
	/* A standalone resource wins over the bucket's echoed default. */
	EXPECT(0, "{'" P_KMS "':{'requireKms':true}}", RES(BUCKET, "b", "{'bucket':'data-bucket-1','serverSideEncryptionConfiguration':{'rule':{'applyServerSideEncryptionByDefault':{'sseAlgorithm':'AES256'}}}}", "") ","
	       RES(SSE, "e", "{'bucket':'data-bucket-1','rules':[{'applyServerSideEncryptionByDefault':{'sseAlgorithm':'aws:kms'}}]}", ""), P_KMS, "b");
	/* Unknown algorithm. */
	EXPECT(0, NULL, B1 "," RES(SSE, "e", "{'bucket':'" U "','rules':'" U "'}", DEPS("bucket", BUCKET, "b")), P_KMS, "b");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("s3");
	TCase *tc = tcase_create("names");
	int failed;

	tcase_add_loop_test(tc, name_rules, 0, (int)(sizeof(names) / sizeof(names[0])));
	tcase_add_test(tc, name_knobs_prefix_unknown_secret);
	tcase_add_test(tc, dup_prefix);
	suite_add_tcase(s, tc);
	tc = tcase_create("https-only");
	tcase_add_test(tc, tls_policy_shapes_pass);
	tcase_add_test(tc, tls_policy_shapes_fail);
	tcase_add_test(tc, tls_policy_unknowns);
	suite_add_tcase(s, tc);
	tc = tcase_create("public-access-and-encryption");
	tcase_add_test(tc, public_access_block);
	tcase_add_test(tc, encryption);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	pct_run_free(&run);
	free(fx_buf);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
