/*
 * check_providers.c - edge cases of the providers family: default vs explicit
 * providers, region values (AZs, malformed, v7 per-resource region), static
 * credentials, default tags, assume-role providers (v6 assumeRole object, v7
 * assumeRoles list, both as JSON text), mixed per-region provider use and
 * region-named resources.
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
#define STACKR(region) "'stack':{'stack':'dev','project':'p','dryRun':true,'config':{'aws:region':'" region "'}}"
#define STACK STACKR("us-east-1")
#define DOC(res) "{" STACK ",'resources':[" res "]}"
#define DOCC(cfg, res) "{" STACK ",'config':" cfg ",'resources':[" res "]}"
#define PURN(name) "urn:pulumi:dev::p::pulumi:providers:aws::" name
#define TAGS "'defaultTags':'{\\'tags\\':{\\'team\\':\\'x\\'}}'"
#define PROVP(name, props) \
	"{'type':'pulumi:providers:aws','urn':'" PURN(name) "','name':'" name "','properties':" props "}"
#define PROV(name, region) PROVP(name, "{'region':'" region "'," TAGS "}")
#define RES(type, name, prov, props) \
	"{'type':'" type "','urn':'urn:pulumi:dev::p::" type "::" name "','name':'" name "','provider':'" PURN(prov) \
	"','properties':" props "}"
/* No "provider": the fixture loader binds it to the default provider. */
#define RESDEF(type, name, props) \
	"{'type':'" type "','urn':'urn:pulumi:dev::p::" type "::" name "','name':'" name "','properties':" props "}"
#define TABLE "aws:dynamodb/table:Table"
#define QUEUE "aws:sqs/queue:Queue"
#define SECRET(v) "{'4dabf18193072939515e22adb298388d':'1b47061264138c4ac30d75fd1eb44270','value':" v "}"

#define EXPLICIT "aws-explicit-provider-required"
#define REGION "aws-provider-region-valid"
#define CREDS "aws-provider-no-static-credentials"
#define DTAGS "aws-provider-default-tags"
#define ASSUME "aws-provider-assume-role-used"
#define UNUSED "aws-provider-unused"
#define MIXED "aws-provider-mixed-default-explicit"
#define NAMED "aws-region-name-mismatch"

struct case_ {
	const char *what;
	const char *json;
	const char *policy;
	const char *name;
	int level;
	int want;
};

#define M POL_MANDATORY
#define A POL_ADVISORY

static const struct case_ cases[] = {
	/* aws-explicit-provider-required */
	{ "default provider", DOC(RESDEF(TABLE, "t", "{}")), EXPLICIT, "t", M, 1 },
	{ "explicit provider", DOC(PROV("east", "us-east-1") "," RES(TABLE, "t", "east", "{}")), EXPLICIT, "t", -1, 0 },
	{ "allowDefaultProvider", DOCC("{'" EXPLICIT "':{'allowDefaultProvider':true}}", RESDEF(TABLE, "t", "{}")),
	  EXPLICIT, "t", -1, 0 },
	{ "exemptTypes", DOCC("{'" EXPLICIT "':{'exemptTypes':['aws:dynamodb/*']}}", RESDEF(TABLE, "t", "{}")),
	  EXPLICIT, "t", -1, 0 },
	{ "non-AWS type", DOC(RESDEF("random:index/randomPet:RandomPet", "pet", "{}")), EXPLICIT, "pet", -1, 0 },
	{ "explicit provider whose name starts with default",
	  DOC(PROV("default-east", "us-east-1") "," RES(TABLE, "t", "default-east", "{}")), EXPLICIT, "t", -1, 0 },
	{ "default provider spelled out",
	  DOC(PROV("default_6_83_4", "us-east-1") "," RES(TABLE, "t", "default_6_83_4", "{}")), EXPLICIT, "t", M, 1 },

	/* aws-provider-region-valid */
	{ "provider without region", DOC(PROVP("p0", "{" TAGS "}")), REGION, "p0", M, 1 },
	{ "provider with empty region", DOC(PROVP("p0", "{'region':''}")), REGION, "p0", M, 1 },
	{ "requireExplicitRegion off", DOCC("{'" REGION "':{'requireExplicitRegion':false}}", PROVP("p0", "{}")),
	  REGION, "p0", -1, 0 },
	{ "AZ as region", DOC(PROV("p0", "us-east-1a")), REGION, "p0", M, 1 },
	{ "uppercase region", DOC(PROV("p0", "US-EAST-1")), REGION, "p0", M, 1 },
	{ "region without dash", DOC(PROV("p0", "us-east1")), REGION, "p0", M, 1 },
	{ "valid region", DOC(PROV("p0", "eu-central-1")), REGION, "p0", -1, 0 },
	{ "unknown region value", DOC(PROV("p0", U)), REGION, "p0", -1, 0 },
	{ "secret AZ region", DOC(PROVP("p0", "{'region':" SECRET("'us-west-2b'") "}")), REGION, "p0", M, 1 },
	{ "well-formed unlisted region", DOC(PROV("p0", "us-east-9")), REGION, "p0", -1, 0 },
	{ "well-formed unlisted region, strict",
	  DOCC("{'" REGION "':{'allowWellFormedUnknownRegions':false}}", PROV("p0", "us-east-9")), REGION, "p0", M, 1 },
	{ "allowedRegions", DOCC("{'" REGION "':{'allowedRegions':['eu-west-1']}}", PROV("p0", "us-east-1")),
	  REGION, "p0", M, 1 },
	{ "allowedRegions ok", DOCC("{'" REGION "':{'allowedRegions':['us-east-1']}}", PROV("p0", "us-east-1")),
	  REGION, "p0", -1, 0 },
	{ "deniedRegions", DOCC("{'" REGION "':{'deniedRegions':['us-east-1']}}", PROV("p0", "us-east-1")),
	  REGION, "p0", M, 1 },
	{ "v7 resource region AZ", DOC(PROV("e", "us-east-1") "," RES(QUEUE, "q", "e", "{'region':'eu-west-1b'}")),
	  REGION, "q", M, 1 },
	{ "v7 resource region ok", DOC(PROV("e", "us-east-1") "," RES(QUEUE, "q", "e", "{'region':'eu-west-1'}")),
	  REGION, "q", -1, 0 },
	{ "resource without region", DOC(PROV("e", "us-east-1") "," RES(QUEUE, "q", "e", "{}")), REGION, "q", -1, 0 },

	/* aws-provider-no-static-credentials */
	{ "secret access key", DOC(PROVP("p0", "{'region':'us-east-1','accessKey':" SECRET("'AKIAEXAMPLEKEY'") ","
					  "'secretKey':" SECRET("'s3cr3t'") "}")), CREDS, "p0", M, 2 },
	{ "session token", DOC(PROVP("p0", "{'region':'us-east-1','token':'tok'}")), CREDS, "p0", M, 1 },
	{ "unknown key", DOC(PROVP("p0", "{'region':'us-east-1','accessKey':'" U "'}")), CREDS, "p0", -1, 0 },
	{ "no keys", DOC(PROV("p0", "us-east-1")), CREDS, "p0", -1, 0 },
	{ "empty key", DOC(PROVP("p0", "{'region':'us-east-1','accessKey':''}")), CREDS, "p0", -1, 0 },

	/* aws-provider-default-tags */
	{ "no default tags", DOC(PROVP("p0", "{'region':'us-east-1'}")), DTAGS, "p0", A, 1 },
	{ "null default tags", DOC(PROVP("p0", "{'region':'us-east-1','defaultTags':'null'}")), DTAGS, "p0", A, 1 },
	{ "empty default tags", DOC(PROVP("p0", "{'region':'us-east-1','defaultTags':'{\\'tags\\':{}}'}")), DTAGS,
	  "p0", A, 1 },
	{ "garbage default tags", DOC(PROVP("p0", "{'region':'us-east-1','defaultTags':'{tags'}")), DTAGS, "p0", A, 1 },
	{ "JSON text tags", DOC(PROV("p0", "us-east-1")), DTAGS, "p0", -1, 0 },
	{ "object tags", DOC(PROVP("p0", "{'region':'us-east-1','defaultTags':{'tags':{'a':'b'}}}")), DTAGS, "p0", -1, 0 },
	{ "unknown tags", DOC(PROVP("p0", "{'region':'us-east-1','defaultTags':'" U "'}")), DTAGS, "p0", -1, 0 },
	{ "required key missing", DOCC("{'" DTAGS "':{'requiredTagKeys':['team','owner']}}", PROV("p0", "us-east-1")),
	  DTAGS, "p0", A, 1 },

	/* aws-provider-assume-role-used (stack) */
	{ "v6 assumeRole unused",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRole':'{\\'roleArn\\':\\'arn:aws:iam::210987654321:role/deploy\\'}'}")
	      "," RESDEF(TABLE, "t", "{}")), ASSUME, "x", M, 1 },
	{ "v7 assumeRoles unused",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRoles':'[{\\'roleArn\\':\\'arn:aws:iam::210987654321:role/deploy\\'}]'}")
	      "," RESDEF(TABLE, "t", "{}")), ASSUME, "x", M, 1 },
	{ "v7 assumeRoles used",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRoles':'[{\\'roleArn\\':\\'arn:aws:iam::210987654321:role/deploy\\'}]'}")
	      "," RES(TABLE, "t", "x", "{}")), ASSUME, "x", -1, 0 },
	{ "assumeRoles as an object value",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRoles':[{'roleArn':'arn:aws:iam::210987654321:role/deploy'}]}")
	      "," RESDEF(TABLE, "t", "{}")), ASSUME, "x", M, 1 },
	{ "empty assumeRoles", DOC(PROVP("x", "{'region':'us-east-1','assumeRoles':'[]'}") "," RESDEF(TABLE, "t", "{}")),
	  ASSUME, "x", -1, 0 },
	{ "unknown assumeRoles", DOC(PROVP("x", "{'region':'us-east-1','assumeRoles':'" U "'}") "," RESDEF(TABLE, "t", "{}")),
	  ASSUME, "x", -1, 0 },
	{ "wildcard role ARN, used",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRole':'{\\'roleArn\\':\\'arn:aws:iam::210987654321:role/*\\'}'}")
	      "," RES(TABLE, "t", "x", "{}")), ASSUME, "x", M, 1 },
	{ "placeholder account role, used",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRole':'{\\'roleArn\\':\\'arn:aws:iam::123456789012:role/deploy\\'}'}")
	      "," RES(TABLE, "t", "x", "{}")), ASSUME, "x", M, 1 },
	{ "not a role ARN, used",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRole':'{\\'roleArn\\':\\'arn:aws:iam::210987654321:user/deploy\\'}'}")
	      "," RES(TABLE, "t", "x", "{}")), ASSUME, "x", M, 1 },
	{ "unknown role ARN, used",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRoles':'[{\\'roleArn\\':\\'" U "\\'}]'}") "," RES(TABLE, "t", "x", "{}")),
	  ASSUME, "x", -1, 0 },
	{ "ignoreProviders",
	  DOCC("{'" ASSUME "':{'ignoreProviders':['x*']}}",
	       PROVP("x", "{'region':'us-east-1','assumeRole':'{\\'roleArn\\':\\'arn:aws:iam::210987654321:role/deploy\\'}'}")
	       "," RESDEF(TABLE, "t", "{}")), ASSUME, "x", -1, 0 },
	{ "externalId required cross-account",
	  DOCC("{'" ASSUME "':{'requireExternalIdForCrossAccount':true}}",
	       PROVP("x", "{'region':'us-east-1','assumeRole':'{\\'roleArn\\':\\'arn:aws:iam::210987654321:role/deploy\\'}'}")
	       "," RES(TABLE, "t", "x", "{}")), ASSUME, "x", M, 1 },

	{ "secret assumeRole text, bad ARN, used",
	  DOC(PROVP("x", "{'region':'us-east-1','assumeRole':" SECRET("'{\\'roleArn\\':\\'arn:aws:iam::{acct}:role/deploy\\'}'") "}")
	      "," RES(TABLE, "t", "x", "{}")), ASSUME, "x", M, 1 },

	/* aws-provider-unused (stack) */
	{ "unused plain provider", DOC(PROV("spare", "us-west-2") "," RESDEF(TABLE, "t", "{}")), UNUSED, "spare", A, 1 },
	{ "used plain provider", DOC(PROV("e", "us-west-2") "," RES(TABLE, "t", "e", "{}")), UNUSED, "e", -1, 0 },

	/* aws-provider-mixed-default-explicit (stack) */
	{ "primary on default, secondary explicit",
	  DOC(PROV("w", "us-west-2") "," RESDEF(TABLE, "t-use1", "{}") "," RES(TABLE, "t-usw2", "w", "{}")),
	  MIXED, "t-use1", M, 1 },
	{ "region outputs unknown in preview",
	  DOC(PROV("w", "us-west-2") ","
	      "{'type':'" TABLE "','urn':'urn:pulumi:dev::p::" TABLE "::t-use1','name':'t-use1','properties':{},"
	      "'outputs':{'region':'" U "'}},"
	      "{'type':'" TABLE "','urn':'urn:pulumi:dev::p::" TABLE "::t-usw2','name':'t-usw2','provider':'" PURN("w") "',"
	      "'properties':{},'outputs':{'region':'" U "'}}"),
	  MIXED, "t-use1", M, 1 },
	{ "different types are not mixed",
	  DOC(PROV("w", "us-west-2") "," RESDEF(TABLE, "t", "{}") "," RES(QUEUE, "q", "w", "{}")), MIXED, NULL, -1, 0 },
	{ "all explicit",
	  DOC(PROV("e", "us-east-1") "," PROV("w", "us-west-2") "," RES(TABLE, "a", "e", "{}") "," RES(TABLE, "b", "w", "{}")),
	  MIXED, NULL, -1, 0 },
	{ "same region, second account via assumed role",
	  DOC(PROVP("acct2", "{'region':'us-east-1','assumeRoles':'[{\\'roleArn\\':\\'arn:aws:iam::210987654321:role/deploy\\'}]'}")
	      "," RESDEF(TABLE, "a", "{}") "," RES(TABLE, "b", "acct2", "{}")), MIXED, NULL, -1, 0 },
	{ "same region, plain explicit provider",
	  DOC(PROV("e", "us-east-1") "," RESDEF(TABLE, "a", "{}") "," RES(TABLE, "b", "e", "{}")), MIXED, "a", M, 1 },

	/* aws-region-name-mismatch */
	{ "name says us-east-1, created in us-west-2",
	  DOC(PROV("w", "us-west-2") "," RES(TABLE, "orders-us-east-1", "w", "{}")), NAMED, "orders-us-east-1", A, 1 },
	{ "name matches", DOC(PROV("w", "us-west-2") "," RES(TABLE, "orders-us-west-2", "w", "{}")), NAMED, NULL, -1, 0 },
	{ "replica names another region on purpose",
	  DOC(PROV("w", "us-west-2") "," RES(TABLE, "orders-replica-us-east-1", "w", "{}")), NAMED, NULL, -1, 0 },
	{ "global service", DOC(PROV("w", "us-west-2") "," RES("aws:iam/role:Role", "lambda-us-east-1", "w", "{}")),
	  NAMED, NULL, -1, 0 },
	{ "AZ in the name is not a region", DOC(PROV("w", "us-west-2") "," RES(QUEUE, "q-us-east-1a", "w", "{}")),
	  NAMED, NULL, -1, 0 },
};

START_TEST(test_cases)
{
	const struct case_ *c = &cases[_i];
	size_t n = pct_count_sq(c->json, c->policy, c->name, c->level);
	ck_assert_msg(n == (size_t)c->want, "%s: %s gave %zu, want %d", c->what, c->policy, n, c->want);
}
END_TEST

/* An SDK component (onSchedule & co.) has no provider of its own; its children do. */
START_TEST(test_sdk_component_not_judged)
{
	ck_assert_uint_eq(pct_count_sq(DOC(RESDEF("aws:cloudwatch:EventRuleEventSubscription", "nightly", "{}")), EXPLICIT,
				"nightly", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOC(RESDEF("aws:s3:BucketEventSubscription", "on-upload", "{}")), EXPLICIT,
				"on-upload", -1), 0);
}
END_TEST

/* JSON text parsed out of a secret provider input is still secret. */
START_TEST(test_secret_role_arn_not_quoted)
{
	char *m = pct_message_sq(DOC(PROVP("x", "{'region':'us-east-1','assumeRole':"
				  SECRET("'{\\'roleArn\\':\\'arn:aws:iam::{acct}:role/deploy\\'}'") "}")
			      "," RES(TABLE, "t", "x", "{}")), ASSUME);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "a secret value") && !strstr(m, "{acct}"), "%s", m);
	free(m);
}
END_TEST

START_TEST(test_credentials_not_quoted)
{
	char *m = pct_message_sq(DOC(PROVP("p0", "{'region':'us-east-1','secretKey':" SECRET("'wJalrXUtnFEMI-s3cr3t'") "}")), CREDS);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(!strstr(m, "wJalrXUtnFEMI"), "secret leaked: %s", m);
	ck_assert_msg(strstr(m, "secretKey"), "message should name the property: %s", m);
	free(m);
}
END_TEST

START_TEST(test_default_provider_message_names_region)
{
	char *m = pct_message_sq(DOC(RESDEF(TABLE, "t", "{}")), EXPLICIT);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "us-east-1"), "%s", m);
	free(m);
	/* No aws:region at all. */
	m = pct_message_sq("{'stack':{'stack':'dev','project':'p','config':{}},'resources':[{'type':'aws:sqs/queue:Queue',"
		    "'urn':'urn:pulumi:dev::p::aws:sqs/queue:Queue::q','name':'q','properties':{}}]}", EXPLICIT);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "no region configured"), "%s", m);
	free(m);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("providers");
	TCase *tc = tcase_create("providers");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_cases, 0, N(cases));
	tcase_add_test(tc, test_sdk_component_not_judged);
	tcase_add_test(tc, test_secret_role_arn_not_quoted);
	tcase_add_test(tc, test_credentials_not_quoted);
	tcase_add_test(tc, test_default_provider_message_names_region);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
