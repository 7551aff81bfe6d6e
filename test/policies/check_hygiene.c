/*
 * check_hygiene.c - edge cases of the hygiene family: stringified-Output
 * markers anywhere (nested, keys, JSON text, secrets, the resource name),
 * placeholder values and their knobs, and ARNs in another region/account.
 *
 * Fixtures are written inline with ' for " (see pct_dq()); JSON text inside a
 * JSON string is spelled \\' .
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define STACK "'stack':{'stack':'dev','project':'p','dryRun':true,'config':{'aws:region':'us-east-1'}}"
#define DOC(res) "{" STACK ",'resources':[" res "]}"
#define DOCC(cfg, res) "{" STACK ",'config':" cfg ",'resources':[" res "]}"
#define PURN(name) "urn:pulumi:dev::p::pulumi:providers:aws::" name
#define PROVP(name, props) \
	"{'type':'pulumi:providers:aws','urn':'" PURN(name) "','name':'" name "','properties':" props "}"
#define EAST PROVP("east", "{'region':'us-east-1','defaultTags':'{\\'tags\\':{\\'team\\':\\'x\\'}}'}")
#define RES(type, name, props) \
	"{'type':'" type "','urn':'urn:pulumi:dev::p::" type "::" name "','name':'" name "','provider':'" PURN("east") \
	"','properties':" props "}"
#define SECRET(v) "{'4dabf18193072939515e22adb298388d':'1b47061264138c4ac30d75fd1eb44270','value':" v "}"
#define ARCHIVE(p) "{'4dabf18193072939515e22adb298388d':'0def7320c3a5731c473e5ecbe6d01bc7','path':'" p "'}"
#define ASSET(t) "{'4dabf18193072939515e22adb298388d':'c44067f5952c0a294b673a41bacd8c17','text':'" t "'}"
/* A resource whose program sets options.ignoreChanges. */
#define RESI(type, name, props, ignore) \
	"{'type':'" type "','urn':'urn:pulumi:dev::p::" type "::" name "','name':'" name "','provider':'" PURN("east") \
	"','options':{'ignoreChanges':" ignore "},'properties':" props "}"
#define SSMP "aws:ssm/parameter:Parameter"

#define PY "Calling __str__ on an Output[T] is not supported."
#define JS "Calling [toString] on an [Output<T>] is not supported."

#define OUT "no-stringified-pulumi-outputs"
#define PH "no-placeholder-values"
#define ARN "arn-region-matches-provider"

struct case_ {
	const char *what;
	const char *json;
	const char *policy;
	int level;
	int want;
};

#define M POL_MANDATORY
#define A POL_ADVISORY
#define Q "aws:sqs/queue:Queue"
#define FN "aws:lambda/function:Function"

static const struct case_ cases[] = {
	/* no-stringified-pulumi-outputs */
	{ "python marker in a nested list", DOC(EAST "," RES(Q, "r", "{'a':{'b':[1,'x','" PY "']}}")), OUT, M, 1 },
	{ "node marker in JSON text",
	  DOC(EAST "," RES(Q, "r", "{'policy':'{\\'Resource\\':\\'arn:aws:s3:::" JS "/*\\'}'}")), OUT, M, 1 },
	{ "marker in a secret", DOC(EAST "," RES(Q, "r", "{'k':" SECRET("'x-" PY "'") "}")), OUT, M, 1 },
	{ "marker in a key", DOC(EAST "," RES(Q, "r", "{'tags':{'" PY "':'v'}}")), OUT, M, 1 },
	{ "python repr", DOC(EAST "," RES(Q, "r", "{'name':'q-<pulumi.output.Output object at 0x7f00aa11bb22>'}")), OUT, M, 1 },
	{ "[object Object]", DOC(EAST "," RES(Q, "r", "{'name':'q-[object Object]'}")), OUT, M, 1 },
	{ "two properties", DOC(EAST "," RES(Q, "r", "{'a':'" PY "','b':'" JS "'}")), OUT, M, 2 },
	{ "marker in the resource name",
	  DOC(EAST "," RES(Q, "bucket-<pulumi.output.Output object at 0x7f00aa11bb22>", "{}")), OUT, M, 1 },
	{ "marker on a provider", DOC(PROVP("x", "{'region':'us-east-1','profile':'" JS "'}")), OUT, M, 1 },
	{ "extraMarkers", DOCC("{'" OUT "':{'extraMarkers':['<nil>']}}", EAST "," RES(Q, "r", "{'name':'q-<nil>'}")),
	  OUT, M, 1 },
	{ "clean", DOC(EAST "," RES(Q, "r", "{'name':'orders','policy':'{\\'Version\\':\\'2012-10-17\\'}'}")), OUT, -1, 0 },
	{ "unknowns", DOC(EAST "," RES(Q, "r", "{'name':'" U "','x':['" U "']}")), OUT, -1, 0 },
	{ "asset text is code, not a value", DOC(EAST "," RES(FN, "r", "{'code':" ASSET("print([object Object])") "}")),
	  OUT, -1, 0 },

	/* no-placeholder-values */
	{ "documentation account in an ARN", DOC(EAST "," RES(Q, "r", "{'x':'arn:aws:iam::123456789012:role/r'}")), PH, M, 1 },
	{ "placeholder account id", DOC(EAST "," RES(Q, "r", "{'sourceAccount':'111122223333'}")), PH, M, 1 },
	{ "REPLACE_ME", DOC(EAST "," RES(Q, "r", "{'a':[{'b':'REPLACE_ME'}]}")), PH, M, 1 },
	{ "CHANGE_ME under ignoreChanges is set out of band",
	  DOC(EAST "," RESI(SSMP, "p", "{'type':'SecureString','value':'CHANGE_ME'}", "['value']")), PH, -1, 0 },
	{ "ignoreChanges covers nested paths",
	  DOC(EAST "," RESI(SSMP, "p", "{'x':{'y':'CHANGE_ME'}}", "['x']")), PH, -1, 0 },
	{ "ignoreChanges on another property does not hide it",
	  DOC(EAST "," RESI(SSMP, "p", "{'value':'CHANGE_ME'}", "['tier']")), PH, M, 1 },
	{ "angle placeholder in JSON text",
	  DOC(EAST "," RES(Q, "r", "{'policy':'{\\'Principal\\':{\\'AWS\\':\\'arn:aws:iam::<ACCOUNT_ID>:root\\'}}'}")), PH, M, 1 },
	{ "secret placeholder", DOC(EAST "," RES(Q, "r", "{'password':" SECRET("'changeme'") "}")), PH, M, 1 },
	{ "allowedValues", DOCC("{'" PH "':{'allowedValues':['arn:aws:iam::123456789012:*']}}",
				EAST "," RES(Q, "r", "{'x':'arn:aws:iam::123456789012:role/r'}")), PH, -1, 0 },
	{ "extraPatterns", DOCC("{'" PH "':{'extraPatterns':['*-PLACEHOLDER']}}",
				EAST "," RES(Q, "r", "{'x':'queue-PLACEHOLDER'}")), PH, M, 1 },
	{ "example domain off by default", DOC(EAST "," RES(Q, "r", "{'domainName':'api.example.com'}")), PH, -1, 0 },
	{ "example domain on", DOCC("{'" PH "':{'flagExampleDomains':true}}",
				    EAST "," RES(Q, "r", "{'domainName':'api.example.com'}")), PH, M, 1 },
	{ "example.com lookalike", DOCC("{'" PH "':{'flagExampleDomains':true}}",
					EAST "," RES(Q, "r", "{'domainName':'api.myexample.com'}")), PH, -1, 0 },
	{ "real values", DOC(EAST "," RES(Q, "r", "{'x':'arn:aws:iam::210987654321:role/r','name':'todo-app',"
					    "'d':'TODO: rotate yearly','html':'<h1>Hi</h1>'}")), PH, -1, 0 },
	{ "tags are not judged", DOC(EAST "," RES(Q, "r", "{'tags':{'Owner':'TODO','Account':'123456789012'},"
						    "'tagsAll':{'Owner':'TODO'}}")), PH, -1, 0 },
	{ "input template variables are not placeholders",
	  DOC(EAST "," RES("aws:cloudwatch/eventTarget:EventTarget", "r",
			   "{'inputTransformer':{'inputPaths':{'instance_id':'$.detail.instance-id','bucket-name':'$.x'},"
			   "'inputTemplate':'\\'<instance_id> in <bucket-name> is <state>\\''}}")), PH, -1, 0 },
	{ "a real placeholder in an input template",
	  DOC(EAST "," RES("aws:cloudwatch/eventTarget:EventTarget", "r",
			   "{'inputTransformer':{'inputTemplate':'{\\'account\\': \\'123456789012\\', \\'id\\': <instance_id>}'}}")),
	  PH, M, 1 },
	{ "placeholder on a provider",
	  DOC(PROVP("x", "{'region':'us-east-1','allowedAccountIds':'[\\'123456789012\\']'}")), PH, M, 1 },

	/* arn-region-matches-provider */
	{ "ARN in another region", DOC(EAST "," RES(Q, "r", "{'kmsMasterKeyId':'arn:aws:kms:us-west-2:210987654321:key/abc'}")),
	  ARN, A, 1 },
	{ "ARN in the same region", DOC(EAST "," RES(Q, "r", "{'kmsMasterKeyId':'arn:aws:kms:us-east-1:210987654321:key/abc'}")),
	  ARN, -1, 0 },
	{ "S3 ARNs have no region", DOC(EAST "," RES(Q, "r", "{'x':'arn:aws:s3:::bucket/*'}")), ARN, -1, 0 },
	{ "replica path", DOC(EAST "," RES("aws:dynamodb/table:Table", "r",
					  "{'replicas':[{'regionName':'us-west-2','kmsKeyArn':'arn:aws:kms:us-west-2:210987654321:key/abc'}]}")),
	  ARN, -1, 0 },
	{ "table replica names its global table",
	  DOC(EAST "," RES("aws:dynamodb/tableReplica:TableReplica", "r",
			   "{'region':'us-west-2','globalTableArn':'arn:aws:dynamodb:us-east-1:210987654321:table/items'}")),
	  ARN, -1, 0 },
	{ "event bus target in another region",
	  DOC(EAST "," RES("aws:cloudwatch/eventTarget:EventTarget", "r", "{'arn':'arn:aws:events:eu-west-1:210987654321:event-bus/central'}")),
	  ARN, -1, 0 },
	{ "global service", DOC(EAST "," RES("aws:cloudfront/distribution:Distribution", "r",
					    "{'viewerCertificate':{'acmCertificateArn':'arn:aws:acm:us-east-1:210987654321:certificate/x'}}")),
	  ARN, -1, 0 },
	{ "v7 region input decides",
	  DOC(EAST "," RES(Q, "r", "{'region':'us-west-2','kmsMasterKeyId':'arn:aws:kms:us-west-2:210987654321:key/abc'}")),
	  ARN, -1, 0 },
	{ "wildcard region in a pattern", DOC(EAST "," RES(Q, "r", "{'x':'arn:aws:kms:*:210987654321:key/abc'}")), ARN, -1, 0 },
	{ "pinned account",
	  "{" STACK ",'resources':[" PROVP("p1", "{'region':'us-east-1','allowedAccountIds':'[\\'210987654321\\']'}") ","
	  "{'type':'" Q "','urn':'urn:pulumi:dev::p::" Q "::r','name':'r','provider':'" PURN("p1") "',"
	  "'properties':{'x':'arn:aws:sns:us-east-1:987654321098:topic'}}]}",
	  ARN, A, 1 },
	{ "allowedCrossRegionArnServices",
	  DOCC("{'" ARN "':{'allowedCrossRegionArnServices':['kms']}}",
	       EAST "," RES(Q, "r", "{'kmsMasterKeyId':'arn:aws:kms:us-west-2:210987654321:key/abc'}")), ARN, -1, 0 },
};

START_TEST(test_cases)
{
	const struct case_ *c = &cases[_i];
	size_t n = pct_count_sq(c->json, c->policy, NULL, c->level);
	ck_assert_msg(n == (size_t)c->want, "%s: %s gave %zu, want %d", c->what, c->policy, n, c->want);
}
END_TEST

START_TEST(test_marker_path)
{
	char *m = pct_message_sq(DOC(EAST "," RES(Q, "r", "{'a':{'b':[1,'x','" PY "']}}")), OUT);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "a.b[2]"), "path missing: %s", m);
	ck_assert_msg(strstr(m, "Calling __str__ on an Output[T]"), "marker missing: %s", m);
	free(m);
	m = pct_message_sq(DOC(EAST "," RES(Q, "r", "{'tags':{'" PY "':'v'}}")), OUT);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "tags has a key containing"), "key message: %s", m);
	free(m);
	m = pct_message_sq(DOC(EAST "," RES(Q, "r", "{'tags':{'a.b':'" JS "'}}")), OUT);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "tags['a.b']"), "path missing: %s", m);
	free(m);
}
END_TEST

START_TEST(test_secret_not_quoted)
{
	char *m = pct_message_sq(DOC(EAST "," RES(Q, "r", "{'password':" SECRET("'hunter2-CHANGEME'") "}")), PH);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(!strstr(m, "hunter2"), "secret leaked: %s", m);
	free(m);
	m = pct_message_sq(DOC(EAST "," RES(Q, "r", "{'k':" SECRET("'top-secret-" PY "'") "}")), OUT);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(!strstr(m, "top-secret"), "secret leaked: %s", m);
	free(m);
}
END_TEST

START_TEST(test_report_cap)
{
	/* A list of 50 stringified Outputs yields a bounded number of diagnostics. */
	char res[8192] = "{'l':[";
	for (int i = 0; i < 50; i++)
		strcat(res, i ? ",'" PY "'" : "'" PY "'");
	strcat(res, "]}");
	{
		char doc[9000];
		size_t n;
		snprintf(doc, sizeof(doc), DOC(EAST "," RES(Q, "r", "%s")), res);
		n = pct_count_sq(doc, OUT, "r", M);
		ck_assert_msg(n >= 1 && n <= 10, "%zu diagnostics", n);
	}
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("hygiene");
	TCase *tc = tcase_create("hygiene");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_cases, 0, N(cases));
	tcase_add_test(tc, test_marker_path);
	tcase_add_test(tc, test_secret_not_quoted);
	tcase_add_test(tc, test_report_cap);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
