/*
 * check_stack.c - edge cases of the stack family: how outputs are matched
 * to resources (values, substrings, aliases, preview unknowns, component
 * outputs), required output keys (globs, empty values, components), and
 * per-region sizing (config-driven, unknown regions, unlisted regions,
 * Auto Scaling groups).
 *
 * Fixture JSON is written with single quotes and converted by fx().
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define PURN(p) "urn:pulumi:dev::app::pulumi:providers:aws::" p
#define PROVIDERS \
	"{'type':'pulumi:providers:aws','urn':'" PURN("use1") "','name':'use1','properties':{'region':'us-east-1'}}," \
	"{'type':'pulumi:providers:aws','urn':'" PURN("usw2") "','name':'usw2','properties':{'region':'us-west-2'}}," \
	"{'type':'pulumi:providers:aws','urn':'" PURN("unk") "','name':'unk','properties':{'region':'" U "'}}"
#define URN(type, name) "urn:pulumi:dev::app::" type "::" name
#define RES(type, name, prov, props, extra) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) "','properties':" props extra "}"
#define ROOT(outputs) "{'type':'pulumi:pulumi:Stack','urn':'" URN("pulumi:pulumi:Stack", "app-dev") "','name':'app-dev','properties':" outputs "}"

#define FN "aws:lambda/function:Function"
#define TOPIC "aws:sns/topic:Topic"
#define NAT "aws:ec2/natGateway:NatGateway"
#define INST "aws:ec2/instance:Instance"

static const char *fx(const char *config, const char *resources)
{
	return pct_doc_sq("app", config, PROVIDERS, resources);
}

static struct pct_run run;

static size_t count(const char *config, const char *resources, const char *policy, const char *name)
{
	return pct_count_doc(&run, fx(config, resources), policy, name);
}

#define EXPECT(n, config, res, policy, name) \
	do { \
		size_t got_ = count(config, res, policy, name); \
		ck_assert_msg(got_ == (size_t)(n), "%s on %s: expected %d, got %zu:%s", policy, name ? name : "*", (int)(n), got_, pct_describe(&run)); \
	} while (0)

#define OR "stack-outputs-required"
#define RK "stack-required-output-keys"
#define SZ "stack-per-region-sizing"

#define TOPIC_RES RES(TOPIC, "alerts", "use1", "{'name':'alerts-dev','arn':'arn:aws:sns:us-east-1:482915736104:alerts-dev'}", "")
#define FN_RES RES(FN, "orders", "use1", "{'name':'orders-3f9a2c1','arn':'" U "','runtime':'python3.12'}", "")

START_TEST(outputs_match_by_value)
{
	EXPECT(1, NULL, ROOT("{}") "," TOPIC_RES, OR, "alerts");
	EXPECT(0, NULL, ROOT("{'alertTopic':'arn:aws:sns:us-east-1:482915736104:alerts-dev'}") "," TOPIC_RES, OR, "alerts");
	/* Inside a list, an object, or a longer string. */
	EXPECT(0, NULL, ROOT("{'topics':['x','arn:aws:sns:us-east-1:482915736104:alerts-dev']}") "," TOPIC_RES, OR, "alerts");
	EXPECT(0, NULL, ROOT("{'ops':{'alerts':{'name':'alerts-dev'}}}") "," TOPIC_RES, OR, "alerts");
	EXPECT(0, NULL, ROOT("{'consoleUrl':'https://console.aws.amazon.com/sns/v3/home#/topic/arn:aws:sns:us-east-1:482915736104:alerts-dev'}") "," TOPIC_RES, OR, "alerts");
	/* Whole tokens only: "alerts-dev" is not "alerts-dev2". */
	EXPECT(1, NULL, ROOT("{'topicArn':'arn:aws:sns:us-east-1:482915736104:alerts-dev2'}") "," TOPIC_RES, OR, "alerts");
	/* A known output that is about something else. */
	EXPECT(1, NULL, ROOT("{'topicArn':'arn:aws:sns:us-east-1:482915736104:other'}") "," TOPIC_RES, OR, "alerts");
	/* CloudFront: an alias in a URL output identifies the distribution. */
	EXPECT(0, NULL, ROOT("{'siteUrl':'https://shop.northwind.io'}") "," RES("aws:cloudfront/distribution:Distribution", "cdn", "use1", "{'aliases':['shop.northwind.io'],'arn':'" U "','domainName':'" U "'}", ""), OR, "cdn");
	/* Types outside operatorTypes are not required; the knob extends the list. */
	EXPECT(0, NULL, ROOT("{}") "," RES("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", "use1", "{'name':'cpu-high'}", ""), OR, NULL);
	EXPECT(1, "{'stack-outputs-required':{'operatorTypes':['aws:cloudwatch/metricAlarm:MetricAlarm']}}", ROOT("{}") "," RES("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", "use1", "{'name':'cpu-high'}", ""), OR, "cpu");
}
END_TEST

START_TEST(outputs_preview_unknowns)
{
	/* Unknown output named after the kind of resource: benefit of the doubt. */
	EXPECT(0, NULL, ROOT("{'ordersFunctionArn':'" U "'}") "," FN_RES, OR, "orders");
	EXPECT(0, NULL, ROOT("{'handlerArn':'" U "'}") "," FN_RES, OR, "orders");
	/* Unknown output named after the logical name. */
	EXPECT(0, NULL, ROOT("{'ordersArn':'" U "'}") "," FN_RES, OR, "orders");
	/* Known name matched even though the ARN is unknown. */
	EXPECT(0, NULL, ROOT("{'fn':'orders-3f9a2c1'}") "," FN_RES, OR, "orders");
	/* Unknown output about something unrelated. */
	EXPECT(1, NULL, ROOT("{'vpcId':'" U "'}") "," FN_RES, OR, "orders");
	/* No stack resource: not applicable, no violation. */
	EXPECT(0, NULL, FN_RES, OR, NULL);
}
END_TEST

START_TEST(outputs_only_on_component)
{
	const char *comp = "{'type':'tap:index:App','urn':'" URN("tap:index:App", "app") "','name':'app','properties':{'alertsTopicArn':'arn:aws:sns:us-east-1:482915736104:alerts-dev'}}";
	char res[4096];
	snprintf(res, sizeof(res), "%s,%s,%s", ROOT("{}"), comp, TOPIC_RES);
	EXPECT(1, NULL, res, OR, "alerts");
	int hinted = 0;
	for (size_t i = 0; i < run.n; i++)
		if (strcmp(run.d[i].policy, OR) == 0 && strstr(run.d[i].message, "component"))
			hinted = 1;
	ck_assert_msg(hinted, "expected the component hint:%s", pct_describe(&run));
}
END_TEST

START_TEST(required_keys)
{
	const char *cfg = "{'stack-required-output-keys':{'requiredOutputKeys':['vpcId','nat*Ids','alarmTopicArn']}}";
	EXPECT(0, NULL, ROOT("{}"), RK, NULL);
	EXPECT(0, cfg, ROOT("{'vpcId':'vpc-0a1b','natGatewayIds':['nat-1'],'alarmTopicArn':'" U "'}"), RK, NULL);
	EXPECT(2, cfg, ROOT("{'vpcId':'vpc-0a1b'}"), RK, "app-dev");
	/* Present but empty. */
	EXPECT(2, cfg, ROOT("{'vpcId':'','natGatewayIds':[],'alarmTopicArn':'arn:aws:sns:us-east-1:482915736104:ops'}"), RK, "app-dev");
	/* Registered on a component only. */
	char res[4096];
	snprintf(res, sizeof(res), "%s,%s", ROOT("{'vpcId':'vpc-0a1b','natGatewayIds':['nat-1']}"),
		 "{'type':'net:index:Network','urn':'" URN("net:index:Network", "net") "','name':'net','properties':{'alarmTopicArn':'" U "'}}");
	EXPECT(1, cfg, res, RK, "app-dev");
	ck_assert_msg(strstr(pct_describe(&run), "component"), "expected the component hint:%s", pct_describe(&run));
}
END_TEST

#define INSTANCE(name, prov) RES(INST, name, prov, "{'ami':'ami-0fc5d935ebf8bc3bc','instanceType':'t3.small'}", "")
#define CFG_SZ "{'stack-per-region-sizing':{'countsPerRegion':{'us-east-1':2,'us-west-2':1}}}"

START_TEST(per_region_sizing)
{
	/* No configuration: the policy is off. */
	EXPECT(0, NULL, INSTANCE("a", "use1") "," INSTANCE("b", "usw2"), SZ, NULL);
	ck_assert_uint_ge(pct_count_na(&run, SZ), 1);
	EXPECT(0, CFG_SZ, INSTANCE("a", "use1") "," INSTANCE("b", "use1") "," INSTANCE("c", "usw2"), SZ, NULL);
	/* Uniform count: one too few in us-east-1, one too many in us-west-2. */
	EXPECT(2, CFG_SZ, INSTANCE("a", "use1") "," INSTANCE("c", "usw2") "," INSTANCE("d", "usw2"), SZ, NULL);
	/* A configured region with nothing in it is reported on the stack. */
	EXPECT(1, CFG_SZ, ROOT("{}") "," INSTANCE("a", "use1") "," INSTANCE("b", "use1"), SZ, "app-dev");
	/* Unlisted region; and the knob that allows it. */
	EXPECT(1, CFG_SZ, INSTANCE("a", "use1") "," INSTANCE("b", "use1") "," INSTANCE("c", "usw2") "," RES(INST, "e", "use1", "{'ami':'ami-1','instanceType':'t3.small','region':'eu-west-1'}", ""), SZ, "e");
	EXPECT(0, "{'stack-per-region-sizing':{'countsPerRegion':{'us-east-1':2,'us-west-2':1},'flagUnlistedRegions':false}}",
	       INSTANCE("a", "use1") "," INSTANCE("b", "use1") "," INSTANCE("c", "usw2") "," RES(INST, "e", "use1", "{'ami':'ami-1','instanceType':'t3.small','region':'eu-west-1'}", ""), SZ, NULL);
	/* An instance in an unknown region: the counts cannot be judged. */
	EXPECT(0, CFG_SZ, INSTANCE("a", "use1") "," INSTANCE("x", "unk"), SZ, NULL);
	/* Auto Scaling groups count their desired capacity. */
	EXPECT(0, "{'stack-per-region-sizing':{'countsPerRegion':{'us-east-1':3},'countedTypes':['aws:autoscaling/group:Group']}}",
	       RES("aws:autoscaling/group:Group", "web", "use1", "{'desiredCapacity':3,'minSize':2,'maxSize':6}", ""), SZ, NULL);
	EXPECT(1, "{'stack-per-region-sizing':{'countsPerRegion':{'us-east-1':3},'countedTypes':['aws:autoscaling/group:Group']}}",
	       RES("aws:autoscaling/group:Group", "web", "use1", "{'minSize':2,'maxSize':6}", ""), SZ, NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stack");
	TCase *tc = tcase_create("policies");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, outputs_match_by_value);
	tcase_add_test(tc, outputs_preview_unknowns);
	tcase_add_test(tc, outputs_only_on_component);
	tcase_add_test(tc, required_keys);
	tcase_add_test(tc, per_region_sizing);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
