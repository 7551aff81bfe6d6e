/*
 * check_awsconfig.c - edge cases of aws-config-recording-complete: grouping
 * by region and account (allowedAccountIds, v7 assumeRoles, v6 assumeRole,
 * profiles), duplicates, ordering dependencies, recording groups (both
 * exclusion shapes), global resource types, aggregators and cross-account
 * authorizations (v6 and v7 AggregateAuthorization), unknowns and secrets.
 *
 * Fixture JSON is written with single quotes and converted by fx().
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define PURN(p) "urn:pulumi:dev::cfg::pulumi:providers:aws::" p
#define PROV(name, props) "{'type':'pulumi:providers:aws','urn':'" PURN(name) "','name':'" name "','properties':" props "}"
#define PROVIDERS \
	PROV("use1", "{'region':'us-east-1','allowedAccountIds':'[\\'482915736104\\']'}") "," \
	PROV("usw2", "{'region':'us-west-2','allowedAccountIds':'[\\'482915736104\\']'}") "," \
	PROV("prod-use1", "{'region':'us-east-1','assumeRoles':'[{\\'roleArn\\':\\'arn:aws:iam::739205846112:role/deployer\\'}]'}") "," \
	PROV("v6-use1", "{'region':'us-east-1','assumeRole':'{\\'roleArn\\':\\'arn:aws:iam::739205846112:role/deployer\\'}'}") "," \
	PROV("unk", "{'region':'" U "'}")
#define URN(type, name) "urn:pulumi:dev::cfg::" type "::" name
#define RES(type, name, prov, props, extra) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) "','properties':" props extra "}"

#define REC_T "aws:cfg/recorder:Recorder"
#define CH_T "aws:cfg/deliveryChannel:DeliveryChannel"
#define ST_T "aws:cfg/recorderStatus:RecorderStatus"
#define AGG_T "aws:cfg/configurationAggregator:ConfigurationAggregator"
#define AUTH_T "aws:cfg/aggregateAuthorization:AggregateAuthorization"
#define ROLE "arn:aws:iam::482915736104:role/config"

/* A complete setup in one region under provider `p`, resources suffixed `sfx`; `rg` is the recording group. */
#define SETUP(p, sfx, rg) \
	RES(REC_T, "rec" sfx, p, "{'name':'default','roleArn':'" ROLE "'" rg "}", "") "," \
	RES(CH_T, "ch" sfx, p, "{'name':'default','s3BucketName':'config-482915736104'}", ",'dependencies':['" URN(REC_T, "rec" sfx) "']") "," \
	RES(ST_T, "st" sfx, p, "{'name':'default','isEnabled':true}", ",'dependencies':['" URN(CH_T, "ch" sfx) "','" URN(REC_T, "rec" sfx) "']")
#define GLOBAL ",'recordingGroup':{'allSupported':true,'includeGlobalResourceTypes':true}"
#define REGIONAL ",'recordingGroup':{'allSupported':true,'includeGlobalResourceTypes':false}"
#define AGG_ALL RES(AGG_T, "agg", "use1", "{'name':'all','accountAggregationSource':{'accountIds':['482915736104'],'allRegions':true}}", "")

static const char *fx(const char *config, const char *resources)
{
	return pct_doc_sq("cfg", config, PROVIDERS, resources);
}

static struct pct_run run;

static size_t count(const char *config, const char *resources, const char *policy, const char *name)
{
	return pct_count_doc(&run, fx(config, resources), policy, name);
}

#define P "aws-config-recording-complete"
#define EXPECT_P(n, policy, config, res, name) \
	do { \
		size_t got_ = count(config, res, policy, name); \
		ck_assert_msg(got_ == (size_t)(n), "%s on %s: expected %d, got %zu:%s", policy, name ? name : "*", (int)(n), got_, pct_describe(&run)); \
	} while (0)
#define EXPECT(n, config, res, name) EXPECT_P(n, P, config, res, name)
#define ORDER "aws-config-creation-order"

START_TEST(single_region)
{
	/* Complete single-region setup; not recording IAM in one region is a choice. */
	EXPECT(0, NULL, SETUP("use1", "", ""), NULL);
	EXPECT(0, NULL, SETUP("use1", "", GLOBAL), NULL);
	/* No channel, no status. */
	EXPECT(2, NULL, RES(REC_T, "rec", "use1", "{'name':'default','roleArn':'" ROLE "'}", ""), "rec");
	/* Status disabled. */
	EXPECT(1, NULL, RES(REC_T, "rec", "use1", "{'name':'default','roleArn':'" ROLE "'}", "") ","
	       RES(CH_T, "ch", "use1", "{'s3BucketName':'config-482915736104'}", ",'dependencies':['" URN(REC_T, "rec") "']") ","
	       RES(ST_T, "st", "use1", "{'name':'default','isEnabled':false}", ",'dependencies':['" URN(CH_T, "ch") "']"), "st");
	/* Ordering (advisory policy): channel before recorder, status before channel. */
	EXPECT(0, NULL, SETUP("use1", "", ""), NULL);
	EXPECT_P(0, ORDER, NULL, SETUP("use1", "", ""), NULL);
	EXPECT_P(1, ORDER, NULL, RES(REC_T, "rec", "use1", "{'name':'default','roleArn':'" ROLE "'}", "") ","
	       RES(CH_T, "ch", "use1", "{'s3BucketName':'config-482915736104'}", "") ","
	       RES(ST_T, "st", "use1", "{'name':'default','isEnabled':true}", ",'dependencies':['" URN(CH_T, "ch") "']"), "ch");
	EXPECT_P(1, ORDER, NULL, RES(REC_T, "rec", "use1", "{'name':'default','roleArn':'" ROLE "'}", "") ","
	       RES(CH_T, "ch", "use1", "{'s3BucketName':'config-482915736104'}", ",'dependencies':['" URN(REC_T, "rec") "']") ","
	       RES(ST_T, "st", "use1", "{'name':'default','isEnabled':true}", ",'propertyDependencies':{'name':['" URN(REC_T, "rec") "']}"), "st");
	ck_assert_uint_eq(pct_count(&run, ORDER, NULL, 0), 1);   /* advisory */
	ck_assert_uint_eq(pct_count(&run, P, NULL, -1), 0);
	/* Channel without recorder. */
	EXPECT(1, NULL, RES(CH_T, "ch", "use1", "{'s3BucketName':'config-482915736104'}", ""), "ch");
	/* Status unknown in preview: not judged. */
	EXPECT(0, NULL, RES(REC_T, "rec", "use1", "{'name':'default','roleArn':'" ROLE "'}", "") ","
	       RES(CH_T, "ch", "use1", "{'s3BucketName':'config-482915736104'}", ",'dependencies':['" URN(REC_T, "rec") "']") ","
	       RES(ST_T, "st", "use1", "{'name':'" U "','isEnabled':'" U "'}", ",'dependencies':['" URN(CH_T, "ch") "']"), NULL);
}
END_TEST

START_TEST(duplicates_by_region_and_account)
{
	/* Two recorders and channels in one region and account. */
	EXPECT(4, NULL, SETUP("use1", "1", "") "," SETUP("use1", "2", ""), NULL);
	/* Same region, another account (v7 assumeRoles): no duplicates; two accounts need an aggregator. */
	EXPECT(1, NULL, SETUP("use1", "1", GLOBAL) "," SETUP("prod-use1", "2", GLOBAL), NULL);
	EXPECT(0, NULL, SETUP("use1", "1", GLOBAL) "," SETUP("prod-use1", "2", GLOBAL) "," AGG_ALL, NULL);
	/* v6 assumeRole resolves to the same account as the v7 provider: duplicates. */
	EXPECT(4, NULL, SETUP("v6-use1", "1", "") "," SETUP("prod-use1", "2", ""), NULL);
	/* Unknown region: not judged at all. */
	EXPECT(0, NULL, RES(REC_T, "rec", "unk", "{'name':'default','roleArn':'" ROLE "'}", ""), NULL);
}
END_TEST

START_TEST(recording_groups)
{
	EXPECT(1, NULL, SETUP("use1", "", ",'recordingGroup':{'allSupported':false}"), "rec");
	EXPECT(1, NULL, SETUP("use1", "", ",'recordingGroup':{'allSupported':'false','resourceTypes':[]}"), "rec");
	EXPECT(0, NULL, SETUP("use1", "", ",'recordingGroup':{'allSupported':false,'resourceTypes':['AWS::EC2::Instance']}"), "rec");
	/* Exclusion strategy, list-shaped (pulumi-aws) and object-shaped blocks. */
	EXPECT(0, NULL, SETUP("use1", "", ",'recordingGroup':{'allSupported':false,'exclusionByResourceTypes':[{'resourceTypes':['AWS::EC2::Instance']}],'recordingStrategies':[{'useOnly':'EXCLUSION_BY_RESOURCE_TYPES'}]}"), "rec");
	EXPECT(0, NULL, SETUP("use1", "", ",'recordingGroup':[{'allSupported':false,'exclusionByResourceTypes':{'resourceTypes':['AWS::EC2::Instance']}}]"), "rec");
	EXPECT(1, NULL, SETUP("use1", "", ",'recordingGroup':{'allSupported':false,'includeGlobalResourceTypes':true,'resourceTypes':['AWS::EC2::Instance']}"), "rec");
}
END_TEST

START_TEST(global_resource_types)
{
	/* Two regions, both record IAM: the second one is reported. */
	EXPECT(1, NULL, SETUP("use1", "e", GLOBAL) "," SETUP("usw2", "w", GLOBAL) "," AGG_ALL, "recw");
	/* Two regions, none records IAM. */
	EXPECT(1, NULL, SETUP("use1", "e", REGIONAL) "," SETUP("usw2", "w", REGIONAL) "," AGG_ALL, NULL);
	/* Exactly one. */
	EXPECT(0, NULL, SETUP("use1", "e", GLOBAL) "," SETUP("usw2", "w", REGIONAL) "," AGG_ALL, NULL);
	/* IAM types listed explicitly count. */
	EXPECT(0, NULL, SETUP("use1", "e", ",'recordingGroup':{'allSupported':false,'resourceTypes':['AWS::IAM::Role']}") "," SETUP("usw2", "w", REGIONAL) "," AGG_ALL, NULL);
	/* globalResourcesRegion knob. */
	EXPECT(1, "{'aws-config-recording-complete':{'globalResourcesRegion':'us-west-2'}}",
	       SETUP("use1", "e", GLOBAL) "," SETUP("usw2", "w", REGIONAL) "," AGG_ALL, "rece");
	/* Unknown flag: not judged. */
	EXPECT(0, NULL, SETUP("use1", "e", ",'recordingGroup':{'allSupported':true,'includeGlobalResourceTypes':'" U "'}") "," SETUP("usw2", "w", GLOBAL) "," AGG_ALL, NULL);
}
END_TEST

START_TEST(aggregators)
{
	/* Multi-region without aggregator. */
	EXPECT(1, NULL, SETUP("use1", "e", GLOBAL) "," SETUP("usw2", "w", REGIONAL), "rece");
	EXPECT(0, "{'aws-config-recording-complete':{'requireAggregatorForMultiRegion':false}}", SETUP("use1", "e", GLOBAL) "," SETUP("usw2", "w", REGIONAL), NULL);
	/* Source shapes. */
	EXPECT(1, NULL, RES(AGG_T, "agg", "use1", "{'name':'a'}", ""), "agg");
	EXPECT(1, NULL, RES(AGG_T, "agg", "use1", "{'name':'a','accountAggregationSource':{'accountIds':['482915736104'],'allRegions':true},'organizationAggregationSource':{'roleArn':'arn:aws:iam::482915736104:role/agg','allRegions':true}}", ""), "agg");
	EXPECT(1, NULL, RES(AGG_T, "agg", "use1", "{'name':'a','accountAggregationSource':{'accountIds':['482915736104']}}", ""), "agg");
	EXPECT(0, NULL, RES(AGG_T, "agg", "use1", "{'name':'a','organizationAggregationSource':{'roleArn':'arn:aws:iam::482915736104:role/agg','allRegions':'true'}}", ""), "agg");
	/* Regions list must cover the recording regions. */
	EXPECT(1, NULL, SETUP("use1", "e", GLOBAL) "," SETUP("usw2", "w", REGIONAL) ","
	       RES(AGG_T, "agg", "use1", "{'name':'a','accountAggregationSource':{'accountIds':['482915736104'],'regions':['us-east-1']}}", ""), "agg");
	EXPECT(0, NULL, SETUP("use1", "e", GLOBAL) "," SETUP("usw2", "w", REGIONAL) ","
	       RES(AGG_T, "agg", "use1", "{'name':'a','accountAggregationSource':{'accountIds':['482915736104'],'regions':['us-east-1','us-west-2']}}", ""), "agg");
	EXPECT(1, "{'aws-config-recording-complete':{'requireAllRegionsAggregation':true}}", SETUP("use1", "e", GLOBAL) "," SETUP("usw2", "w", REGIONAL) ","
	       RES(AGG_T, "agg", "use1", "{'name':'a','accountAggregationSource':{'accountIds':['482915736104'],'regions':['us-east-1','us-west-2']}}", ""), "agg");
	EXPECT(0, NULL, RES(AGG_T, "agg", "use1", "{'name':'a','accountAggregationSource':'" U "'}", ""), "agg");
}
END_TEST

START_TEST(cross_account_authorization)
{
	const char *agg = RES(AGG_T, "agg", "use1", "{'name':'a','accountAggregationSource':{'accountIds':['482915736104','739205846112'],'allRegions':true}}", "");
	char res[8192];
	snprintf(res, sizeof(res), "%s,%s,%s", SETUP("use1", "1", GLOBAL), SETUP("prod-use1", "2", GLOBAL), agg);
	EXPECT(1, NULL, res, "agg");
	/* v7 authorization in the source account. */
	snprintf(res, sizeof(res), "%s,%s,%s,%s", SETUP("use1", "1", GLOBAL), SETUP("prod-use1", "2", GLOBAL), agg,
		 RES(AUTH_T, "auth", "prod-use1", "{'accountId':'482915736104','authorizedAwsRegion':'us-east-1'}", ""));
	EXPECT(0, NULL, res, "agg");
	/* v6 authorization: `region` is the authorized region; wrong one is reported. */
	snprintf(res, sizeof(res), "%s,%s,%s,%s", SETUP("use1", "1", GLOBAL), SETUP("prod-use1", "2", GLOBAL), agg,
		 RES(AUTH_T, "auth", "v6-use1", "{'accountId':'482915736104','region':'us-east-1'}", ""));
	EXPECT(0, NULL, res, "agg");
	snprintf(res, sizeof(res), "%s,%s,%s,%s", SETUP("use1", "1", GLOBAL), SETUP("prod-use1", "2", GLOBAL), agg,
		 RES(AUTH_T, "auth", "v6-use1", "{'accountId':'482915736104','region':'eu-west-1'}", ""));
	EXPECT(1, NULL, res, "agg");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("awsconfig");
	TCase *tc = tcase_create("policies");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, single_region);
	tcase_add_test(tc, duplicates_by_region_and_account);
	tcase_add_test(tc, recording_groups);
	tcase_add_test(tc, global_resource_types);
	tcase_add_test(tc, aggregators);
	tcase_add_test(tc, cross_account_authorization);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
