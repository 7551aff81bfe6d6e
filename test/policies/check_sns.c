/*
 * check_sns.c - edge cases of the sns family: sns-shared-topic is silent
 * without configuration, groups topics by purpose (environment words, region
 * spellings, the stack name and Pulumi's auto-name suffix removed), and
 * sns-topic-encrypted stays advisory.
 *
 * Fixtures are written inline with ' for " (see pct_dq()).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define STACKD(name) "'stack':{'stack':'" name "','project':'p','dryRun':true,'config':{'aws:region':'us-east-1'}}"
#define DOC(res) "{" STACKD("dev") ",'resources':[" EAST "," WEST "," res "]}"
#define DOCC(cfg, res) "{" STACKD("dev") ",'config':" cfg ",'resources':[" EAST "," WEST "," res "]}"
#define DOCS(stack, cfg, res) "{" STACKD(stack) ",'config':" cfg ",'resources':[" EAST "," WEST "," res "]}"
#define PURN(name) "urn:pulumi:dev::p::pulumi:providers:aws::" name
#define URN(type, name) "urn:pulumi:dev::p::" type "::" name
#define PROV(name, region) \
	"{'type':'pulumi:providers:aws','urn':'" PURN(name) "','name':'" name "','properties':{'region':'" region \
	"','defaultTags':'{\\'tags\\':{\\'team\\':\\'x\\'}}'}}"
#define RES(type, name, prov, props) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) \
	"','properties':" props "}"
#define EAST PROV("east", "us-east-1")
#define WEST PROV("west", "us-west-2")

#define TOPIC "aws:sns/topic:Topic"
#define T(name, phys, prov) RES(TOPIC, name, prov, "{'name':'" phys "','kmsMasterKeyId':'alias/aws/sns'}")
#define SHARED(globs) "{'sns-shared-topic':{'sharedTopicNames':" globs "}}"
#define SINGLE "{'sns-shared-topic':{'requireSingleTopicPerPurpose':true}}"

struct scase {
	const char *what;
	const char *json;
	const char *policy;
	const char *name;
	int level;
	size_t want;
};

#define ST "sns-shared-topic"
#define EN "sns-topic-encrypted"

static const struct scase cases[] = {
	/* ---- sns-shared-topic ---- */
	{ "no configuration: silent", DOC(T("errors-dev", "errors-dev", "east") "," T("errors-prod", "errors-prod", "east")), ST, NULL, -1, 0 },
	{ "configured, one shared topic", DOCC(SHARED("['app-errors']"), T("app-errors", "app-errors-5a1c9e2", "east")), ST, NULL, -1, 0 },
	{ "configured, per environment", DOCC(SHARED("['app-errors']"), T("app-errors-dev", "app-errors-dev-1b2c3d4", "east") "," T("app-errors-prod", "app-errors-prod-5e6f7a8", "east")), ST, NULL, POL_MANDATORY, 2 },
	{ "configured, per region (dashed)", DOCC(SHARED("['app-errors']"), T("app-errors-us-east-1", "app-errors-us-east-1", "east") "," T("app-errors-us-west-2", "app-errors-us-west-2", "west")), ST, "app-errors-us-west-2", POL_MANDATORY, 1 },
	{ "configured, per region (compact)", DOCC(SHARED("['app-errors']"), T("app-errors-useast1", "app-errors-useast1", "east") "," T("app-errors-uswest2", "app-errors-uswest2", "west")), ST, "app-errors-uswest2", POL_MANDATORY, 1 },
	{ "configured, per region (short codes)", DOCC(SHARED("['app-errors']"), T("app-errors-use1", "app-errors-use1", "east") "," T("app-errors-usw2", "app-errors-usw2", "west")), ST, "app-errors-usw2", POL_MANDATORY, 1 },
	{ "configured, underscores and case", DOCC(SHARED("['app-errors']"), T("a", "App_Errors_Staging", "east") "," T("b", "App_Errors_Prod", "east")), ST, "b", POL_MANDATORY, 1 },
	{ "single topic scoped to an environment", DOCC(SHARED("['app-errors']"), T("app-errors-staging", "app-errors-staging-0a1b2c3", "east")), ST, "app-errors-staging", POL_MANDATORY, 1 },
	{ "single topic scoped to the stack name", DOCS("blue", SHARED("['app-errors']"), T("app-errors-blue", "app-errors-blue", "east")), ST, "app-errors-blue", POL_MANDATORY, 1 },
	{ "glob on purpose", DOCC(SHARED("['*-errors']"), T("x", "billing-errors-dev", "east") "," T("y", "billing-errors-prod", "east")), ST, "y", POL_MANDATORY, 1 },
	{ "other topics are not shared", DOCC(SHARED("['app-errors']"), T("x", "deploy-events-dev", "east") "," T("y", "deploy-events-prod", "east")), ST, NULL, -1, 0 },
	{ "different purposes", DOCC(SINGLE, T("x", "orders", "east") "," T("y", "payments", "east")), ST, NULL, -1, 0 },
	{ "single-topic-per-purpose mode", DOCC(SINGLE, T("x", "orders-dev", "east") "," T("y", "orders-prod", "west")), ST, "y", POL_MANDATORY, 1 },
	{ "single mode does not flag scoped singletons", DOCC(SINGLE, T("x", "orders-dev", "east")), ST, NULL, -1, 0 },
	{ "custom environment words", DOCC("{'sns-shared-topic':{'sharedTopicNames':['alerts'],'environmentTokens':['blue','green']}}", T("x", "alerts-blue", "east") "," T("y", "alerts-green", "east")), ST, "y", POL_MANDATORY, 1 },
	{ "unknown name uses the logical name", DOCC(SHARED("['app-errors']"), RES(TOPIC, "app-errors-dev", "east", "{'name':'" U "'}") "," RES(TOPIC, "app-errors-prod", "east", "{'name':'" U "'}")), ST, "app-errors-prod", POL_MANDATORY, 1 },
	{ "fifo topics are their own purpose", DOCC(SHARED("['app-errors']"), T("x", "app-errors", "east") "," T("y", "app-errors.fifo", "east")), ST, NULL, -1, 0 },

	/* ---- sns-topic-encrypted (advisory) ---- */
	{ "encrypted", DOC(T("x", "alerts", "east")), EN, NULL, -1, 0 },
	{ "not encrypted", DOC(RES(TOPIC, "x", "east", "{'name':'alerts'}")), EN, "x", POL_ADVISORY, 1 },
	{ "key unknown", DOC(RES(TOPIC, "x", "east", "{'name':'alerts','kmsMasterKeyId':'" U "'}")), EN, NULL, -1, 0 },
};

START_TEST(test_case)
{
	const struct scase *c = &cases[_i];
	struct pct_run run;
	char *j = pct_dq(c->json);
	char urn[256];

	ck_assert_msg(pct_run_json(&run, j) == 0, "%s: fixture: %s", c->what, run.err ? run.err : "?");
	snprintf(urn, sizeof(urn), "::%s", c->name ? c->name : "");
	size_t got = pct_count(&run, c->policy, c->name ? urn : NULL, c->level);
	ck_assert_msg(got == c->want, "%s: %s: %zu diagnostics, want %zu%s", c->what, c->policy, got, c->want,
		      pct_describe(&run));
	pct_run_free(&run);
	free(j);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sns");
	TCase *tc = tcase_create("cases");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_case, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
