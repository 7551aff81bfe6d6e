/*
 * check_cloudwatch.c - edge cases of the cloudwatch family: alarm action
 * shapes (names, IAM ARNs, other services, other regions, placeholders),
 * composite alarms, unknown actions judged through the stack graph,
 * treatMissingData and the advisory threshold checks with their knobs.
 *
 * Fixtures are written inline with ' for " (see pct_dq()).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define ACCT "482917365021"
#define STACKD(dry) "'stack':{'stack':'dev','project':'p','dryRun':" dry ",'config':{'aws:region':'us-east-1'}}"
#define DOC(res) "{" STACKD("true") ",'resources':[" EAST "," WEST "," res "]}"
#define DOCC(cfg, res) "{" STACKD("true") ",'config':" cfg ",'resources':[" EAST "," WEST "," res "]}"
#define PURN(name) "urn:pulumi:dev::p::pulumi:providers:aws::" name
#define URN(type, name) "urn:pulumi:dev::p::" type "::" name
#define PROV(name, region) \
	"{'type':'pulumi:providers:aws','urn':'" PURN(name) "','name':'" name "','properties':{'region':'" region \
	"','defaultTags':'{\\'tags\\':{\\'team\\':\\'x\\'}}'}}"
#define RES(type, name, prov, props) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) \
	"','properties':" props "}"
#define RESD(type, name, prov, props, pdeps) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) \
	"','properties':" props ",'propertyDependencies':" pdeps "}"
#define EAST PROV("east", "us-east-1")
#define WEST PROV("west", "us-west-2")
#define SECRET(v) "{'4dabf18193072939515e22adb298388d':'1b47061264138c4ac30d75fd1eb44270','value':" v "}"

#define ALARM "aws:cloudwatch/metricAlarm:MetricAlarm"
#define COMPOSITE "aws:cloudwatch/compositeAlarm:CompositeAlarm"
#define TOPIC "aws:sns/topic:Topic"
#define TOPIC_E "arn:aws:sns:us-east-1:" ACCT ":alerts"
#define TOPIC_W "arn:aws:sns:us-west-2:" ACCT ":alerts"
/* A metric alarm body that passes every cloudwatch policy, without its actions. */
#define BODY "'metricName':'Errors','namespace':'AWS/Lambda','statistic':'Sum','period':60,'evaluationPeriods':3,'datapointsToAlarm':2,'threshold':5,'comparisonOperator':'GreaterThanThreshold','treatMissingData':'notBreaching'"
#define A(name, actions) RES(ALARM, name, "east", "{" BODY ",'alarmActions':" actions "}")

/* An alert topic encrypted with KMS key k (by dependency), and an alarm notifying it. */
#define KEY(policy) RES("aws:kms/key:Key", "k", "east", "{'policy':'" policy "'}")
#define KTOPIC RESD(TOPIC, "t", "east", "{'name':'alerts','kmsMasterKeyId':'" U "'}", "{'kmsMasterKeyId':['" URN("aws:kms/key:Key", "k") "']}")
#define KALARM RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN(TOPIC, "t") "']}")

struct ccase {
	const char *what;
	const char *json;
	const char *policy;
	const char *name;
	int level;
	size_t want;
};

#define AV "cloudwatch-alarm-actions-valid"
#define MD "cloudwatch-alarm-treat-missing-data"
#define TH "cloudwatch-alarm-sane-thresholds"
#define MR "cloudwatch-alarm-metric-region"
#define M POL_MANDATORY
#define ADV POL_ADVISORY

static const struct ccase cases[] = {
	/* ---- cloudwatch-alarm-actions-valid ---- */
	{ "SNS topic in the alarm's region", DOC(A("a", "['" TOPIC_E "']")), AV, NULL, M, 0 },
	{ "no alarmActions", DOC(RES(ALARM, "a", "east", "{" BODY "}")), AV, "a", M, 1 },
	{ "empty alarmActions", DOC(A("a", "[]")), AV, "a", M, 1 },
	{ "alarmActions unknown", DOC(A("a", "'" U "'")), AV, NULL, M, 0 },
	{ "one unknown element", DOC(A("a", "['" U "']")), AV, NULL, M, 0 },
	{ "actions disabled", DOC(RES(ALARM, "a", "east", "{" BODY ",'alarmActions':['" TOPIC_E "'],'actionsEnabled':false}")), AV, "a", M, 1 },
	{ "actions enabled as string", DOC(RES(ALARM, "a", "east", "{" BODY ",'alarmActions':['" TOPIC_E "'],'actionsEnabled':'true'}")), AV, NULL, M, 0 },
	{ "IAM policy ARN", DOC(A("a", "['arn:aws:iam::" ACCT ":policy/alerts']")), AV, "a", M, 1 },
	{ "IAM role ARN in okActions", DOC(RES(ALARM, "a", "east", "{" BODY ",'alarmActions':['" TOPIC_E "'],'okActions':['arn:aws:iam::" ACCT ":role/ops']}")), AV, "a", M, 1 },
	{ "topic name instead of ARN", DOC(A("a", "['alerts']")), AV, "a", M, 1 },
	{ "Lambda action, not allowed by default", DOC(A("a", "['arn:aws:lambda:us-east-1:" ACCT ":function:remediate']")), AV, "a", M, 1 },
	{ "Lambda action allowed by config", DOCC("{'" AV "':{'allowedActionServices':['sns','lambda']}}", A("a", "['arn:aws:lambda:us-east-1:" ACCT ":function:remediate']")), AV, NULL, M, 0 },
	{ "topic in another region", DOC(A("a", "['" TOPIC_W "']")), AV, "a", M, 1 },
	{ "Auto Scaling policy ARN (step scaling)", DOC(A("a", "['arn:aws:autoscaling:us-east-1:" ACCT ":scalingPolicy:4ee9e543-86b5-4121-b53b-aa4c23b5bbcc:autoScalingGroupName/web:policyName/up']")), AV, NULL, M, 0 },
	{ "EC2 recover action", DOC(A("a", "['arn:aws:automate:us-east-1:ec2:recover']")), AV, NULL, M, 0 },
	{ "EC2 action in another region", DOC(A("a", "['arn:aws:automate:us-west-2:ec2:recover']")), AV, "a", M, 1 },
	{ "scaling actions narrowed away by config", DOCC("{'" AV "':{'allowedActionServices':['sns']}}", A("a", "['arn:aws:automate:us-east-1:ec2:reboot']")), AV, "a", M, 1 },
	{ "Application Auto Scaling policy behind an unknown ARN", DOC(RES("aws:appautoscaling/policy:Policy", "pol", "east", "{'name':'svc-step','policyType':'StepScaling'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN("aws:appautoscaling/policy:Policy", "pol") "']}")), AV, NULL, M, 0 },
	{ "EC2 Auto Scaling policy behind an unknown ARN", DOC(RES("aws:autoscaling/policy:Policy", "pol", "east", "{'name':'up'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN("aws:autoscaling/policy:Policy", "pol") "']}")), AV, NULL, M, 0 },

	{ "placeholder account", DOC(A("a", "['arn:aws:sns:us-east-1:123456789012:alerts']")), AV, "a", M, 1 },
	{ "secret topic ARN judged", DOC(A("a", "[" SECRET("'arn:aws:iam::" ACCT ":policy/secret-policy'") "]")), AV, "a", M, 1 },
	{ "composite alarm without actions", DOC(RES(COMPOSITE, "c", "east", "{'alarmName':'c','alarmRule':'ALARM(a)'}")), AV, "c", M, 1 },
	{ "composite alarm with SNS", DOC(RES(COMPOSITE, "c", "east", "{'alarmName':'c','alarmRule':'ALARM(a)','alarmActions':['" TOPIC_E "']}")), AV, NULL, M, 0 },
	{ "OK actions required by config", DOCC("{'" AV "':{'requireOkActions':true}}", A("a", "['" TOPIC_E "']")), AV, "a", M, 1 },
	{ "v7 region input decides", DOC(RES(ALARM, "a", "east", "{" BODY ",'region':'us-west-2','alarmActions':['" TOPIC_W "']}")), AV, NULL, M, 0 },

	/* ---- actions through the stack graph (preview unknowns) ---- */
	{ "topic of the same region", DOC(RES(TOPIC, "t", "east", "{'name':'alerts'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN(TOPIC, "t") "']}")), AV, NULL, M, 0 },
	{ "topic of another region", DOC(RES(TOPIC, "t", "west", "{'name':'alerts'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN(TOPIC, "t") "']}")), AV, "a", M, 1 },
	{ "IAM role behind an unknown ARN", DOC(RES("aws:iam/role:Role", "r", "east", "{'name':'ops'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN("aws:iam/role:Role", "r") "']}")), AV, "a", M, 1 },
	{ "SQS queue behind an unknown ARN", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'alerts'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':'" U "'}", "{'alarmActions':['" URN("aws:sqs/queue:Queue", "qq") "']}")), AV, "a", M, 1 },
	{ "known policy ARN reported once", DOC(RES("aws:iam/policy:Policy", "pol", "east", "{'name':'p'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['arn:aws:iam::" ACCT ":policy/p']}", "{'alarmActions':['" URN("aws:iam/policy:Policy", "pol") "']}")), AV, "a", M, 1 },
	{ "component outputs are not judged", DOC("{'type':'acme:monitoring:Alerts','urn':'" URN("acme:monitoring:Alerts", "alerts") "','name':'alerts','properties':{}}," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN("acme:monitoring:Alerts", "alerts") "']}")), AV, NULL, M, 0 },
	{ "Lambda allowed by config", DOCC("{'" AV "':{'allowedActionServices':['sns','lambda']}}", RES("aws:lambda/function:Function", "fn", "east", "{'name':'fn'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN("aws:lambda/function:Function", "fn") "']}")), AV, NULL, M, 0 },

	/* ---- encrypted alert topics: CloudWatch must be able to use the key ---- */
	{ "topic with alias/aws/sns (dependency)", DOC(RES(TOPIC, "t", "east", "{'name':'alerts','kmsMasterKeyId':'alias/aws/sns'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "'],'okActions':['" U "']}", "{'alarmActions':['" URN(TOPIC, "t") "'],'okActions':['" URN(TOPIC, "t") "']}")), AV, "a", M, 1 },
	{ "topic with alias/aws/sns (ARN)", DOC(RES(TOPIC, "t", "east", "{'name':'alerts','arn':'" TOPIC_E "','kmsMasterKeyId':'arn:aws:kms:us-east-1:" ACCT ":alias/aws/sns'}") "," A("a", "['" TOPIC_E "']")), AV, "a", M, 1 },
	{ "unencrypted topic", DOC(RES(TOPIC, "t", "east", "{'name':'alerts'}") "," RESD(ALARM, "a", "east", "{" BODY ",'alarmActions':['" U "']}", "{'alarmActions':['" URN(TOPIC, "t") "']}")), AV, NULL, M, 0 },
	{ "CMK whose policy admits CloudWatch", DOC(KEY("{\\'Version\\':\\'2012-10-17\\',\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'AWS\\':\\'arn:aws:iam::" ACCT ":root\\'},\\'Action\\':\\'kms:*\\',\\'Resource\\':\\'*\\'},{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':[\\'events.amazonaws.com\\',\\'cloudwatch.amazonaws.com\\']},\\'Action\\':[\\'kms:Decrypt\\',\\'kms:GenerateDataKey*\\'],\\'Resource\\':\\'*\\'}]}") "," KTOPIC "," KALARM), AV, NULL, M, 0 },
	{ "CMK with the root-only default policy", DOC(KEY("{\\'Version\\':\\'2012-10-17\\',\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'AWS\\':\\'arn:aws:iam::" ACCT ":root\\'},\\'Action\\':\\'kms:*\\',\\'Resource\\':\\'*\\'}]}") "," KTOPIC "," KALARM), AV, "a", M, 1 },
	{ "CMK grants CloudWatch only Decrypt", DOC(KEY("{\\'Version\\':\\'2012-10-17\\',\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'cloudwatch.amazonaws.com\\'},\\'Action\\':\\'kms:Decrypt\\',\\'Resource\\':\\'*\\'}]}") "," KTOPIC "," KALARM), AV, "a", M, 1 },
	{ "CMK policy unknown in preview", DOC(RES("aws:kms/key:Key", "k", "east", "{'policy':'" U "'}") "," KTOPIC "," KALARM), AV, NULL, M, 0 },
	{ "CMK without policy behind an alias", DOC(RES("aws:kms/key:Key", "k", "east", "{'description':'alerts'}") "," RESD("aws:kms/alias:Alias", "al", "east", "{'name':'alias/alerts','targetKeyId':'" U "'}", "{'targetKeyId':['" URN("aws:kms/key:Key", "k") "']}") "," RES(TOPIC, "t", "east", "{'name':'alerts','kmsMasterKeyId':'alias/alerts'}") "," KALARM), AV, "a", M, 1 },
	{ "separate KeyPolicy admits CloudWatch", DOC(KEY("{\\'Version\\':\\'2012-10-17\\',\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'AWS\\':\\'arn:aws:iam::" ACCT ":root\\'},\\'Action\\':\\'kms:*\\',\\'Resource\\':\\'*\\'}]}") "," RESD("aws:kms/keyPolicy:KeyPolicy", "kp", "east", "{'keyId':'" U "','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'cloudwatch.amazonaws.com\\'},\\'Action\\':[\\'kms:Decrypt\\',\\'kms:GenerateDataKey*\\'],\\'Resource\\':\\'*\\'}]}'}", "{'keyId':['" URN("aws:kms/key:Key", "k") "']}") "," KTOPIC "," KALARM), AV, NULL, M, 0 },

	/* ---- composite alarms notify for their children ---- */
	{ "child named in alarmRule", DOC(RES(ALARM, "child", "east", "{" BODY ",'name':'orders-errors'}") "," RES(COMPOSITE, "c", "east", "{'alarmName':'c','alarmRule':'ALARM(\\'orders-errors\\') OR ALARM(orders-latency)','alarmActions':['" TOPIC_E "']}")), AV, NULL, M, 0 },
	{ "child by dependency", DOC(RES(ALARM, "child", "east", "{" BODY ",'name':'orders-errors'}") "," RESD(COMPOSITE, "c", "east", "{'alarmName':'c','alarmRule':'" U "','alarmActions':['" TOPIC_E "']}", "{'alarmRule':['" URN(ALARM, "child") "']}")), AV, NULL, M, 0 },
	{ "alarmRule unknown, no links", DOC(RES(ALARM, "child", "east", "{" BODY ",'name':'orders-errors'}") "," RES(COMPOSITE, "c", "east", "{'alarmName':'c','alarmRule':'" U "','alarmActions':['" TOPIC_E "']}")), AV, NULL, M, 0 },
	{ "not a child", DOC(RES(ALARM, "lonely", "east", "{" BODY ",'name':'orders-errors'}") "," RES(COMPOSITE, "c", "east", "{'alarmName':'c','alarmRule':'ALARM(orders-latency)','alarmActions':['" TOPIC_E "']}")), AV, "lonely", M, 1 },
	{ "name is only a prefix of the child", DOC(RES(ALARM, "lonely", "east", "{" BODY ",'name':'orders'}") "," RES(COMPOSITE, "c", "east", "{'alarmName':'c','alarmRule':'ALARM(orders-latency)','alarmActions':['" TOPIC_E "']}")), AV, "lonely", M, 1 },
	{ "child given by ARN", DOC(RES(ALARM, "child", "east", "{" BODY ",'name':'orders-errors'}") "," RES(COMPOSITE, "c", "east", "{'alarmName':'c','alarmRule':'ALARM(arn:aws:cloudwatch:us-east-1:" ACCT ":alarm:orders-errors)','alarmActions':['" TOPIC_E "']}")), AV, NULL, M, 0 },

	/* ---- cloudwatch-alarm-treat-missing-data ---- */
	{ "treatMissingData set", DOC(A("a", "['" TOPIC_E "']")), MD, NULL, M, 0 },
	{ "treatMissingData absent", DOC(RES(ALARM, "a", "east", "{'metricName':'Errors','alarmActions':['" TOPIC_E "']}")), MD, "a", M, 1 },
	{ "treatMissingData invalid", DOC(RES(ALARM, "a", "east", "{'treatMissingData':'zero','alarmActions':['" TOPIC_E "']}")), MD, "a", M, 1 },
	{ "treatMissingData filled in by the provider's default", DOC(RES(ALARM, "a", "east", "{'treatMissingData':'missing','__defaults':['treatMissingData'],'alarmActions':['" TOPIC_E "']}")), MD, "a", M, 1 },
	{ "treatMissingData chosen, other defaults", DOC(RES(ALARM, "a", "east", "{'treatMissingData':'missing','__defaults':['actionsEnabled'],'alarmActions':['" TOPIC_E "']}")), MD, NULL, M, 0 },
	{ "treatMissingData unknown", DOC(RES(ALARM, "a", "east", "{'treatMissingData':'" U "'}")), MD, NULL, M, 0 },
	{ "treatMissingData narrowed by config", DOCC("{'" MD "':{'allowedValues':['notBreaching']}}", RES(ALARM, "a", "east", "{'treatMissingData':'breaching'}")), MD, "a", M, 1 },
	{ "composite alarms are not judged", DOC(RES(COMPOSITE, "c", "east", "{'alarmRule':'ALARM(a)','alarmActions':['" TOPIC_E "']}")), MD, NULL, -1, 0 },

	/* ---- cloudwatch-alarm-metric-region ---- */
	{ "billing alarm in us-east-1", DOC(RES(ALARM, "a", "east", "{'namespace':'AWS/Billing','metricName':'EstimatedCharges','statistic':'Maximum','period':21600,'evaluationPeriods':1,'threshold':500,'comparisonOperator':'GreaterThanThreshold','treatMissingData':'notBreaching','alarmActions':['" TOPIC_E "']}")), MR, NULL, M, 0 },
	{ "billing alarm in us-west-2", DOC(RES(ALARM, "a", "west", "{'namespace':'AWS/Billing','metricName':'EstimatedCharges','statistic':'Maximum','period':21600,'evaluationPeriods':1,'threshold':500,'comparisonOperator':'GreaterThanThreshold','treatMissingData':'notBreaching','alarmActions':['" TOPIC_W "']}")), MR, "a", M, 1 },
	{ "v7 region input moves it to us-east-1", DOC(RES(ALARM, "a", "west", "{'region':'us-east-1','namespace':'AWS/CloudFront','metricName':'5xxErrorRate','statistic':'Average','period':300,'evaluationPeriods':3,'threshold':5,'comparisonOperator':'GreaterThanThreshold','treatMissingData':'notBreaching','alarmActions':['" TOPIC_E "']}")), MR, NULL, M, 0 },
	{ "CloudFront metric in a metric query", DOC(RES(ALARM, "a", "west", "{'comparisonOperator':'GreaterThanThreshold','threshold':5,'evaluationPeriods':3,'treatMissingData':'notBreaching','metricQueries':[{'id':'m','returnData':true,'metric':{'namespace':'AWS/CloudFront','metricName':'5xxErrorRate','period':300,'stat':'Average','dimensions':{'DistributionId':'E2ABC','Region':'Global'}}}],'alarmActions':['" TOPIC_W "']}")), MR, "a", M, 1 },
	{ "regional metric anywhere", DOC(A("a", "['" TOPIC_E "']")), MR, NULL, M, 0 },
	{ "region unknown", DOC(RES(ALARM, "a", "east", "{'region':'" U "','namespace':'AWS/Billing','metricName':'EstimatedCharges'}")), MR, NULL, M, 0 },

	/* ---- cloudwatch-alarm-sane-thresholds (advisory) ---- */
	{ "sensible alarm", DOC(A("a", "['" TOPIC_E "']")), TH, NULL, -1, 0 },
	{ "single-event error alarm", DOC(RES(ALARM, "a", "east", "{'metricName':'Errors','statistic':'Sum','period':60,'evaluationPeriods':1,'threshold':1,'comparisonOperator':'GreaterThanOrEqualToThreshold'}")), TH, "a", ADV, 1 },
	{ "single-event check off", DOCC("{'" TH "':{'flagSingleEventAlarms':false}}", RES(ALARM, "a", "east", "{'metricName':'Errors','statistic':'Sum','period':60,'evaluationPeriods':1,'threshold':1,'comparisonOperator':'GreaterThanOrEqualToThreshold'}")), TH, NULL, -1, 0 },
	{ "5XX count of an ALB", DOC(RES(ALARM, "a", "east", "{'metricName':'HTTPCode_Target_5XX_Count','statistic':'Sum','period':60,'evaluationPeriods':1,'threshold':0,'comparisonOperator':'GreaterThanThreshold'}")), TH, "a", ADV, 1 },
	{ "datapoints above periods", DOC(RES(ALARM, "a", "east", "{'metricName':'CPUUtilization','statistic':'Average','period':300,'evaluationPeriods':2,'datapointsToAlarm':3,'threshold':80,'comparisonOperator':'GreaterThanThreshold'}")), TH, "a", ADV, 1 },
	{ "odd period", DOC(RES(ALARM, "a", "east", "{'metricName':'CPUUtilization','statistic':'Average','period':45,'evaluationPeriods':2,'threshold':80,'comparisonOperator':'GreaterThanThreshold'}")), TH, "a", ADV, 1 },
	{ "percent above 100", DOC(RES(ALARM, "a", "east", "{'metricName':'CPUUtilization','statistic':'Average','period':300,'evaluationPeriods':2,'threshold':150,'comparisonOperator':'GreaterThanThreshold'}")), TH, "a", ADV, 1 },
	{ "no statistic", DOC(RES(ALARM, "a", "east", "{'metricName':'Duration','period':60,'evaluationPeriods':3,'threshold':2500,'comparisonOperator':'GreaterThanThreshold'}")), TH, "a", ADV, 1 },
	{ "extendedStatistic counts", DOC(RES(ALARM, "a", "east", "{'metricName':'Duration','extendedStatistic':'p99','period':60,'evaluationPeriods':3,'threshold':2500,'comparisonOperator':'GreaterThanThreshold'}")), TH, NULL, -1, 0 },
	{ "invalid operator", DOC(RES(ALARM, "a", "east", "{'metricName':'Duration','statistic':'Average','period':60,'evaluationPeriods':3,'threshold':2500,'comparisonOperator':'GreaterThan'}")), TH, "a", ADV, 1 },
	{ "anomaly band without thresholdMetricId", DOC(RES(ALARM, "a", "east", "{'evaluationPeriods':3,'comparisonOperator':'LessThanLowerOrGreaterThanUpperThreshold','metricQueries':[{'id':'m1'}]}")), TH, "a", ADV, 1 },
	{ "anomaly band with thresholdMetricId", DOC(RES(ALARM, "a", "east", "{'evaluationPeriods':3,'comparisonOperator':'LessThanLowerOrGreaterThanUpperThreshold','thresholdMetricId':'ad1','metricQueries':[{'id':'m1'},{'id':'ad1','expression':'ANOMALY_DETECTION_BAND(m1, 2)'}]}")), TH, NULL, -1, 0 },
	{ "no threshold", DOC(RES(ALARM, "a", "east", "{'metricName':'Duration','statistic':'Average','period':60,'evaluationPeriods':3,'comparisonOperator':'GreaterThanThreshold'}")), TH, "a", ADV, 1 },
	{ "threshold unknown", DOC(RES(ALARM, "a", "east", "{'metricName':'Duration','statistic':'Average','period':60,'evaluationPeriods':3,'threshold':'" U "','comparisonOperator':'GreaterThanThreshold'}")), TH, NULL, -1, 0 },
	{ "advisory never mandatory", DOC(RES(ALARM, "a", "east", "{'metricName':'Errors','statistic':'Sum','period':45,'evaluationPeriods':1,'threshold':1,'comparisonOperator':'GreaterThanOrEqualToThreshold'}")), TH, NULL, M, 0 },
};

START_TEST(test_case)
{
	const struct ccase *c = &cases[_i];
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

/* A secret action ARN is judged but never quoted. */
START_TEST(test_secret_not_quoted)
{
	struct pct_run run;
	char *j = pct_dq(DOC(A("a", "[" SECRET("'not-an-arn-hush-hush'") "]")));
	ck_assert_int_eq(pct_run_json(&run, j), 0);
	ck_assert_uint_eq(pct_count(&run, AV, "::a", POL_MANDATORY), 1);
	for (size_t i = 0; i < run.n; i++)
		ck_assert_msg(strstr(run.d[i].message, "hush-hush") == NULL, "secret in: %s", run.d[i].message);
	pct_run_free(&run);
	free(j);
}
END_TEST

/* Parts of a secret ARN (its region, service, account) are not quoted either. */
START_TEST(test_secret_parts_not_quoted)
{
	static const char *const actions[] = {
		SECRET("'arn:aws:sns:ap-southeast-4:" ACCT ":alerts'"),
		SECRET("'arn:aws:sqs:us-east-1:" ACCT ":hushqueue'"),
		SECRET("'arn:aws:sns:us-east-1:123456789012:alerts'"),
	};
	static const char *const hidden[] = { "ap-southeast-4", "sqs", "123456789012" };
	for (size_t k = 0; k < 3; k++) {
		struct pct_run run;
		char buf[2048];
		snprintf(buf, sizeof(buf), "%s", DOC(RES(ALARM, "a", "east", "{" BODY ",'alarmActions':[@]}")));
		char *at = strchr(buf, '@');
		char json[4096];
		snprintf(json, sizeof(json), "%.*s%s%s", (int)(at - buf), buf, actions[k], at + 1);
		char *j = pct_dq(json);
		ck_assert_int_eq(pct_run_json(&run, j), 0);
		ck_assert_uint_eq(pct_count(&run, AV, "::a", POL_MANDATORY), 1);
		for (size_t i = 0; i < run.n; i++)
			ck_assert_msg(strstr(run.d[i].message, hidden[k]) == NULL, "secret part in: %s", run.d[i].message);
		pct_run_free(&run);
		free(j);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cloudwatch");
	TCase *tc = tcase_create("cases");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_case, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_secret_not_quoted);
	tcase_add_test(tc, test_secret_parts_not_quoted);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
