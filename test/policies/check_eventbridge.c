/*
 * check_eventbridge.c - edge cases of the eventbridge family: pattern grammar
 * and S3 shapes, schedules, knobs, unknowns and secrets, the S3 notification
 * and bucket-name stack rules, target roles and Lambda invoke permissions.
 *
 * Fixtures are written inline with ' for " (see pct_dq()), so JSON text inside a
 * JSON string is spelled \\' .
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
#define DOCU(res) "{" STACKD("false") ",'resources':[" EAST "," WEST "," res "]}"
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

#define RULE "aws:cloudwatch/eventRule:EventRule"
#define TARGET "aws:cloudwatch/eventTarget:EventTarget"
#define BUCKET "aws:s3/bucket:Bucket"
#define NOTIF "aws:s3/bucketNotification:BucketNotification"
#define FN "aws:lambda/function:Function"
#define PERM "aws:lambda/permission:Permission"

/* A rule with this pattern text (already \\'-escaped JSON). */
#define PRULE(name, pat) RES(RULE, name, "east", "{'name':'" name "-1a2b3c4','eventPattern':'" pat "'}")
#define S3PAT(body) "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'Object Created\\']" body "}"
#define BNAME(n) ",\\'detail\\':{\\'bucket\\':{\\'name\\':[\\'" n "\\']}}"
#define BKT(name, bucket) RES(BUCKET, name, "east", "{'bucket':'" bucket "'}")
/* Statement text (inside a JSON string) allowing events.amazonaws.com `action`. */
#define ALLOW_EVENTS(action) "{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'" action "\\',\\'Resource\\':\\'*\\'}]}"
#define ALLOW_KMS "{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':[\\'kms:Decrypt\\',\\'kms:GenerateDataKey*\\'],\\'Resource\\':\\'*\\'}]}"
#define QUEUE_KNOWN(res, name) RES("aws:sqs/queue:Queue", res, "east", "{'name':'" name "','arn':'arn:aws:sqs:us-east-1:" ACCT ":" name "','url':'https://sqs.us-east-1.amazonaws.com/" ACCT "/" name "','id':'https://sqs.us-east-1.amazonaws.com/" ACCT "/" name "'}")
#define ROOT_ONLY "{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'AWS\\':\\'arn:aws:iam::" ACCT ":root\\'},\\'Action\\':\\'kms:*\\',\\'Resource\\':\\'*\\'}]}"
#define KEY_DEFAULT RES("aws:kms/key:Key", "k", "east", "{'description':'alerts'}")
/* A KeyPolicy linked to key k only by an explicit dependency (dependsOn), keyId unknown. */
#define KEYPOL(name, policy) \
	"{'type':'aws:kms/keyPolicy:KeyPolicy','urn':'" URN("aws:kms/keyPolicy:KeyPolicy", name) "','name':'" name "','provider':'" PURN("east") \
	"','properties':{'keyId':'" U "','policy':'" policy "'},'dependencies':['" URN("aws:kms/key:Key", "k") "']}"
#define TOPIC_ON_KEY RESD("aws:sns/topic:Topic", "tp", "east", "{'name':'alerts','policy':'" ALLOW_EVENTS("sns:Publish") "','kmsMasterKeyId':'" U "'}", "{'kmsMasterKeyId':['" URN("aws:kms/key:Key", "k") "']}")
#define TARGET_ON_TOPIC RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}")
/* Function orders-fn, rule orders-rule and a target between them, all with known values (update). */
#define FN_RULE_TARGET RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RES(RULE, "rule", "east", "{'name':'orders-rule','eventPattern':'{\\'source\\':[\\'acme\\']}'}") "," RES(TARGET, "t", "east", "{'rule':'orders-rule','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn'}")
#define PERM_FOR(name, fn, rule) RES(PERM, name, "east", "{'action':'lambda:InvokeFunction','function':'" fn "','principal':'events.amazonaws.com','sourceArn':'arn:aws:events:us-east-1:" ACCT ":rule/" rule "'}")

/* All messages of `policy`, concatenated (caller frees). */
static char *messages(const char *json, const char *policy)
{
	struct pct_run run;
	char *j = pct_dq(json);
	size_t len = 1;
	char *m = calloc(1, 1);

	ck_assert_msg(pct_run_json(&run, j) == 0, "fixture: %s", run.err ? run.err : "?");
	for (size_t i = 0; i < run.n; i++)
		if (strcmp(run.d[i].policy, policy) == 0) {
			len += strlen(run.d[i].message) + 1;
			m = realloc(m, len);
			strcat(m, run.d[i].message);
			strcat(m, "\n");
		}
	pct_run_free(&run);
	free(j);
	return m;
}

struct ecase {
	const char *what;
	const char *json;
	const char *policy;
	const char *name;      /* resource the diagnostic is on (NULL = any) */
	size_t want;           /* mandatory diagnostics expected */
};

#define PV "eventbridge-event-pattern-valid"
#define NE "s3-eventbridge-notification-enabled"
#define MB "eventbridge-s3-pattern-matches-bucket"
#define TR "eventbridge-target-role"
#define LP "eventbridge-lambda-target-permission"

static const struct ecase cases[] = {
	/* ---- eventbridge-event-pattern-valid: grammar ---- */
	{ "custom source, content filters", DOC(PRULE("r", "{\\'source\\':[\\'acme.orders\\'],\\'detail\\':{\\'amount\\':[{\\'numeric\\':[\\'>\\',0]}],\\'state\\':[{\\'anything-but\\':[\\'test\\']}]}}")), PV, "r", 0 },
	{ "unknown pattern (preview)", DOC(RES(RULE, "r", "east", "{'eventPattern':'" U "'}")), PV, "r", 0 },
	{ "invalid JSON", DOC(PRULE("r", "{\\'source\\': [\\'aws.ec2\\']")), PV, "r", 1 },
	{ "JSON list, not object", DOC(PRULE("r", "[\\'aws.ec2\\']")), PV, "r", 1 },
	{ "string leaf", DOC(PRULE("r", "{\\'source\\':\\'aws.ec2\\'}")), PV, "r", 1 },
	{ "two issues", DOC(PRULE("r", "{\\'source\\':\\'aws.ec2\\',\\'detail\\':{\\'state\\':[]}}")), PV, "r", 2 },
	{ "stringified Output (Python)", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail\\':{\\'bucket\\':{\\'name\\':[\\'Calling __str__ on an Output[T] is not supported.\\']}}}")), PV, "r", 1 },
	{ "neither pattern nor schedule", DOC(RES(RULE, "r", "east", "{'name':'r'}")), PV, "r", 1 },
	{ "empty pattern string, no schedule", DOC(RES(RULE, "r", "east", "{'eventPattern':''}")), PV, "r", 1 },
	{ "pattern object (not text)", DOC(RES(RULE, "r", "east", "{'eventPattern':{'source':['aws.ec2']}}")), PV, "r", 0 },
	{ "archive without pattern", DOC(RES("aws:cloudwatch/eventArchive:EventArchive", "arch", "east", "{'name':'orders','eventSourceArn':'arn:aws:events:us-east-1:" ACCT ":event-bus/orders'}")), PV, NULL, 0 },
	{ "archive with a bad pattern", DOC(RES("aws:cloudwatch/eventArchive:EventArchive", "arch", "east", "{'name':'orders','eventPattern':'{\\'source\\':\\'acme\\'}'}")), PV, "arch", 1 },
	{ "too long for the configured limit", DOCC("{'" PV "':{'maxPatternLength':20}}", PRULE("r", "{\\'source\\':[\\'acme.orders.service\\']}")), PV, "r", 1 },
	/* ---- schedules ---- */
	{ "rate(5 minutes)", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'rate(5 minutes)'}")), PV, "r", 0 },
	{ "rate(1 minute)", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'rate(1 minute)'}")), PV, "r", 0 },
	{ "rate(1 minutes)", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'rate(1 minutes)'}")), PV, "r", 1 },
	{ "rate(5 minute)", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'rate(5 minute)'}")), PV, "r", 1 },
	{ "rate(0 hours)", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'rate(0 hours)'}")), PV, "r", 1 },
	{ "rate(2 weeks)", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'rate(2 weeks)'}")), PV, "r", 1 },
	{ "cron six fields", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'cron(0 12 * * ? *)'}")), PV, "r", 0 },
	{ "cron five fields", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'cron(0 12 * * *)'}")), PV, "r", 1 },
	{ "cron both day fields", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'cron(0 12 * * MON *)'}")), PV, "r", 1 },
	{ "at() is Scheduler syntax", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'at(2026-01-01T00:00:00)'}")), PV, "r", 1 },
	{ "schedule on a custom bus", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'rate(1 hour)','eventBusName':'orders'}")), PV, "r", 1 },
	{ "schedule on the default bus ARN", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'rate(1 hour)','eventBusName':'arn:aws:events:us-east-1:" ACCT ":event-bus/default'}")), PV, "r", 0 },
	{ "schedule unknown", DOC(RES(RULE, "r", "east", "{'scheduleExpression':'" U "'}")), PV, "r", 0 },
	/* ---- S3 shapes ---- */
	{ "S3 pattern well formed", DOC(PRULE("r", S3PAT(BNAME("data")))), PV, "r", 0 },
	{ "S3 prefix/wildcard filters", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[{\\'prefix\\':\\'Object \\'}],\\'detail\\':{\\'bucket\\':{\\'name\\':[{\\'wildcard\\':\\'data-*\\'}]}}}")), PV, "r", 0 },
	{ "S3 without detail-type", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\']" BNAME("data") "}")), PV, "r", 1 },
	{ "S3 without detail-type, knob off", DOCC("{'" PV "':{'requireDetailType':false}}", PRULE("r", "{\\'source\\':[\\'aws.s3\\']" BNAME("data") "}")), PV, "r", 0 },
	{ "S3 detail-type case", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'Object created\\']" BNAME("data") "}")), PV, "r", 1 },
	{ "S3 detail-type notification name", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'ObjectCreated:Put\\']" BNAME("data") "}")), PV, "r", 1 },
	{ "extra S3 detail-type via knob", DOCC("{'" PV "':{'extraS3DetailTypes':['Object Annotated']}}", PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'Object Annotated\\']" BNAME("data") "}")), PV, "r", 0 },
	{ "mixed sources keep other detail-types", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\',\\'aws.ec2\\'],\\'detail-type\\':[\\'EC2 Instance State-change Notification\\',\\'Object Created\\']" BNAME("data") "}")), PV, "r", 0 },
	{ "S3 no bucket filter", DOC(PRULE("r", S3PAT(""))), PV, "r", 1 },
	{ "S3 no bucket filter, knob off", DOCC("{'" PV "':{'requireBucketNameFilter':false}}", PRULE("r", S3PAT(""))), PV, "r", 0 },
	{ "S3 resources ARN filter", DOC(PRULE("r", S3PAT(",\\'resources\\':[\\'arn:aws:s3:::data\\']"))), PV, "r", 0 },
	{ "S3 resources bare name", DOC(PRULE("r", S3PAT(",\\'resources\\':[\\'data\\']"))), PV, "r", 1 },
	{ "S3 bucket ARN as name", DOC(PRULE("r", S3PAT(BNAME("arn:aws:s3:::data")))), PV, "r", 1 },
	{ "S3 bucket domain as name", DOC(PRULE("r", S3PAT(BNAME("data.s3.amazonaws.com")))), PV, "r", 1 },
	{ "S3 star in exact name", DOC(PRULE("r", S3PAT(BNAME("data-*")))), PV, "r", 1 },
	{ "S3 detail.bucket as a list", DOC(PRULE("r", S3PAT(",\\'detail\\':{\\'bucket\\':[\\'data\\']}"))), PV, "r", 1 },
	{ "S3 native type with CloudTrail fields", DOC(PRULE("r", S3PAT(",\\'detail\\':{\\'eventName\\':[\\'PutObject\\'],\\'bucket\\':{\\'name\\':[\\'data\\']}}"))), PV, "r", 1 },
	{ "CloudTrail data event", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'AWS API Call via CloudTrail\\'],\\'detail\\':{\\'eventName\\':[\\'PutObject\\'],\\'requestParameters\\':{\\'bucketName\\':[\\'data\\']}}}")), PV, "r", 1 },
	{ "CloudTrail data event allowed", DOCC("{'" PV "':{'allowCloudTrailS3Patterns':true}}", PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'AWS API Call via CloudTrail\\'],\\'detail\\':{\\'eventName\\':[\\'PutObject\\']}}")), PV, "r", 0 },
	{ "CloudTrail management event", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'AWS API Call via CloudTrail\\'],\\'detail\\':{\\'eventName\\':[\\'PutBucketPolicy\\',\\'DeleteBucketPolicy\\']}}")), PV, "r", 0 },
	{ "CloudTrail type with native detail", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'AWS API Call via CloudTrail\\'],\\'detail\\':{\\'eventName\\':[\\'PutBucketPolicy\\'],\\'bucket\\':{\\'name\\':[\\'data\\']}}}")), PV, "r", 1 },
	{ "S3 in $or branch", DOC(PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'Object Created\\'],\\'$or\\':[{\\'detail\\':{\\'bucket\\':{\\'name\\':[\\'a\\']}}},{\\'resources\\':[\\'arn:aws:s3:::b\\']}]}")), PV, "r", 0 },

	/* ---- s3-eventbridge-notification-enabled ---- */
	{ "bucket named, no notification", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod")))), NE, "data", 1 },
	{ "bucket by dependency (unknown pattern part)", DOC(BKT("data", "data-prod") "," RESD(RULE, "r", "east", "{'eventPattern':'" S3PAT(BNAME("data-prod")) "'}", "{'eventPattern':['" URN(BUCKET, "data") "']}")), NE, "data", 1 },
	{ "notification by dependency", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod"))) "," RESD(NOTIF, "n", "east", "{'bucket':'" U "','eventbridge':true}", "{'bucket':['" URN(BUCKET, "data") "']}")), NE, NULL, 0 },
	{ "notification by name (update)", DOCU(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod"))) "," RES(NOTIF, "n", "east", "{'bucket':'data-prod','eventbridge':'true'}")), NE, NULL, 0 },
	{ "notification without eventbridge", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod"))) "," RESD(NOTIF, "n", "east", "{'bucket':'" U "','lambdaFunctions':[]}", "{'bucket':['" URN(BUCKET, "data") "']}")), NE, "n", 1 },
	{ "notification eventbridge unknown", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod"))) "," RESD(NOTIF, "n", "east", "{'bucket':'" U "','eventbridge':'" U "'}", "{'bucket':['" URN(BUCKET, "data") "']}")), NE, NULL, 0 },
	{ "two notifications for one bucket", DOC(BKT("data", "data-prod") "," RESD(NOTIF, "n1", "east", "{'bucket':'" U "','eventbridge':true}", "{'bucket':['" URN(BUCKET, "data") "']}") "," RESD(NOTIF, "n2", "east", "{'bucket':'" U "','queues':[]}", "{'bucket':['" URN(BUCKET, "data") "']}")), NE, "n2", 1 },
	{ "external bucket ignored", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("someone-elses-bucket")))), NE, NULL, 0 },
	{ "external bucket reported when asked", DOCC("{'" NE "':{'ignoreExternalBuckets':false}}", BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("someone-elses-bucket")))), NE, "r", 1 },
	{ "unfiltered pattern, nothing enabled", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(""))), NE, "r", 1 },
	{ "unfiltered pattern, one bucket enabled", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT("")) "," RESD(NOTIF, "n", "east", "{'bucket':'" U "','eventbridge':true}", "{'bucket':['" URN(BUCKET, "data") "']}")), NE, NULL, 0 },
	{ "CloudTrail pattern needs no notification", DOC(BKT("data", "data-prod") "," PRULE("r", "{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'AWS API Call via CloudTrail\\'],\\'detail\\':{\\'requestParameters\\':{\\'bucketName\\':[\\'data-prod\\']}}}")), NE, NULL, 0 },
	{ "unknown pattern never judged", DOC(BKT("data", "data-prod") "," RESD(RULE, "r", "east", "{'eventPattern':'" U "'}", "{'eventPattern':['" URN(BUCKET, "data") "']}")), NE, NULL, 0 },
	{ "v6 BucketV2", DOC(RES("aws:s3/bucketV2:BucketV2", "data", "east", "{'bucket':'data-prod'}") "," PRULE("r", S3PAT(BNAME("data-prod")))), NE, "data", 1 },
	{ "anything-but does not name buckets", DOC(BKT("data", "data-prod") "," BKT("logs", "logs-prod") "," PRULE("r", S3PAT(",\\'detail\\':{\\'bucket\\':{\\'name\\':[{\\'anything-but\\':\\'logs-prod\\'}]}}"))), NE, NULL, 0 },
	{ "prefix filter matches the bucket", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(",\\'detail\\':{\\'bucket\\':{\\'name\\':[{\\'prefix\\':\\'data-\\'}]}}"))), NE, "data", 1 },
	/* Bucket lookups by name, ARN and dependency; filters judged per bucket only when they must be. */
	{ "exact name picks its bucket among others", DOC(BKT("a", "alpha-prod") "," BKT("data", "data-prod") "," BKT("z", "zeta-prod") "," PRULE("r", S3PAT(BNAME("data-prod")))), NE, NULL, 1 },
	{ "exact name: the named bucket is reported", DOC(BKT("a", "alpha-prod") "," BKT("data", "data-prod") "," BKT("z", "zeta-prod") "," PRULE("r", S3PAT(BNAME("data-prod")))), NE, "data", 1 },
	{ "prefix filter matches two buckets of three", DOC(BKT("d1", "data-a") "," BKT("logs", "logs-a") "," BKT("d2", "data-b") "," PRULE("r", S3PAT(",\\'detail\\':{\\'bucket\\':{\\'name\\':[{\\'prefix\\':\\'data-\\'}]}}"))), NE, NULL, 2 },
	{ "prefix filter skips the other bucket", DOC(BKT("d1", "data-a") "," BKT("logs", "logs-a") "," BKT("d2", "data-b") "," PRULE("r", S3PAT(",\\'detail\\':{\\'bucket\\':{\\'name\\':[{\\'prefix\\':\\'data-\\'}]}}"))), NE, "logs", 0 },
	{ "resources ARN names the bucket", DOC(BKT("a", "alpha-prod") "," BKT("data", "data-prod") "," PRULE("r", S3PAT(",\\'resources\\':[\\'arn:aws:s3:::data-prod\\']"))), NE, "data", 1 },
	{ "resources ARN of the arn output", DOCU(RES(BUCKET, "data", "east", "{'bucket':'data-prod','arn':'arn:aws:s3:::data-prod-legacy'}") "," PRULE("r", S3PAT(",\\'resources\\':[\\'arn:aws:s3:::data-prod-legacy\\']"))), NE, "data", 1 },
	{ "two rules, one report per bucket", DOC(BKT("data", "data-prod") "," PRULE("r1", S3PAT(BNAME("data-prod"))) "," PRULE("r2", S3PAT(BNAME("data-prod")))), NE, NULL, 1 },
	{ "named bucket reported next to a nameless one", DOC(RES(BUCKET, "x", "east", "{'bucket':'" U "'}") "," BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod")))), NE, "data", 1 },
	{ "exists filter: every bucket unknown", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(",\\'detail\\':{\\'bucket\\':{\\'name\\':[{\\'exists\\':true}]}}"))), NE, NULL, 0 },
	{ "notification bucket unknown without dependency: may be any bucket's", DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod"))) "," RES(NOTIF, "n", "east", "{'bucket':'" U "','eventbridge':false}")), NE, NULL, 0 },
	{ "two notifications by name, one enabling", DOCU(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod"))) "," RES(NOTIF, "n1", "east", "{'bucket':'data-prod','eventbridge':true}") "," RES(NOTIF, "n2", "east", "{'bucket':'data-prod','queues':[]}")), NE, "n2", 1 },
	{ "two notifications by name, one enabling: no missing-notification report", DOCU(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod"))) "," RES(NOTIF, "n1", "east", "{'bucket':'data-prod','eventbridge':true}") "," RES(NOTIF, "n2", "east", "{'bucket':'data-prod','queues':[]}")), NE, NULL, 1 },
	{ "notification of another bucket", DOCU(BKT("data", "data-prod") "," BKT("logs", "logs-prod") "," PRULE("r", S3PAT(BNAME("data-prod"))) "," RES(NOTIF, "n", "east", "{'bucket':'logs-prod','eventbridge':true}")), NE, "data", 1 },
	{ "empty bucket name matched by an empty notification bucket", DOCU(BKT("data", "") "," PRULE("r", S3PAT(BNAME(""))) "," RES(NOTIF, "n", "east", "{'bucket':'','eventbridge':true}")), NE, NULL, 0 },
	{ "empty bucket name without notification", DOCU(BKT("data", "") "," PRULE("r", S3PAT(BNAME("")))), NE, "data", 1 },

	/* ---- eventbridge-s3-pattern-matches-bucket ---- */
	{ "pattern from bucket names it", DOC(BKT("data", "data-prod") "," RESD(RULE, "r", "east", "{'eventPattern':'" S3PAT(BNAME("data-prod")) "'}", "{'eventPattern':['" URN(BUCKET, "data") "']}")), MB, NULL, 0 },
	{ "pattern from bucket uses its ARN in resources", DOC(BKT("data", "data-prod") "," RESD(RULE, "r", "east", "{'eventPattern':'" S3PAT(",\\'resources\\':[\\'arn:aws:s3:::data-prod\\']") "'}", "{'eventPattern':['" URN(BUCKET, "data") "']}")), MB, NULL, 0 },
	{ "pattern from bucket names another value", DOC(BKT("data", "data-prod") "," RESD(RULE, "r", "east", "{'eventPattern':'" S3PAT(BNAME("data-prod.s3.amazonaws.com")) "'}", "{'eventPattern':['" URN(BUCKET, "data") "']}")), MB, "r", 1 },
	{ "logical name literal", DOC(BKT("uploads", "uploads-7d2e9a1") "," PRULE("r", S3PAT(BNAME("uploads")))), MB, "r", 1 },
	{ "logical name equal to physical", DOC(BKT("uploads", "uploads") "," PRULE("r", S3PAT(BNAME("uploads")))), MB, NULL, 0 },
	{ "bucket name unknown", DOC(RES(BUCKET, "data", "east", "{'bucket':'" U "'}") "," RESD(RULE, "r", "east", "{'eventPattern':'" S3PAT(BNAME("x")) "'}", "{'eventPattern':['" URN(BUCKET, "data") "']}")), MB, NULL, 0 },

	{ "pattern built from two buckets, naming one", DOC(BKT("data", "data-prod") "," BKT("logs", "logs-prod") "," RESD(RULE, "r", "east", "{'eventPattern':'" S3PAT(BNAME("data-prod")) "'}", "{'eventPattern':['" URN(BUCKET, "data") "','" URN(BUCKET, "logs") "','" URN(BUCKET, "data") "']}")), MB, "r", 1 },
	{ "logical name literal among other buckets", DOC(BKT("a", "alpha-prod") "," BKT("uploads", "uploads-7d2e9a1") "," BKT("z", "zeta-prod") "," PRULE("r", S3PAT(BNAME("uploads")))), MB, "r", 1 },
	{ "logical name literal that another bucket has as S3 name", DOC(BKT("uploads", "uploads-7d2e9a1") "," BKT("u2", "uploads") "," PRULE("r", S3PAT(BNAME("uploads")))), MB, NULL, 0 },

	/* ---- eventbridge-target-role ---- */
	{ "kinesis ARN without role", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:kinesis:us-east-1:" ACCT ":stream/orders'}")), TR, "t", 1 },
	{ "kinesis ARN with role", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:kinesis:us-east-1:" ACCT ":stream/orders','roleArn':'arn:aws:iam::" ACCT ":role/events-kinesis'}")), TR, NULL, 0 },
	{ "step functions by dependency", DOC(RES("aws:sfn/stateMachine:StateMachine", "sm", "east", "{'name':'sm'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sfn/stateMachine:StateMachine", "sm") "']}")), TR, "t", 1 },
	{ "role unknown is fine", DOC(RESD(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:states:us-east-1:" ACCT ":stateMachine:sm','roleArn':'" U "'}", "{'roleArn':['" URN("aws:iam/role:Role", "role") "']}")), TR, NULL, 0 },
	{ "role from a policy", DOC(RES("aws:iam/policy:Policy", "pol", "east", "{'name':'pol'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:states:us-east-1:" ACCT ":stateMachine:sm','roleArn':'" U "'}", "{'roleArn':['" URN("aws:iam/policy:Policy", "pol") "']}")), TR, "t", 1 },
	{ "roleArn is a policy ARN", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:states:us-east-1:" ACCT ":stateMachine:sm','roleArn':'arn:aws:iam::" ACCT ":policy/events'}")), TR, "t", 1 },
	{ "SQS target, no role needed", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:sqs:us-east-1:" ACCT ":orders'}")), TR, NULL, 0 },
	{ "Lambda target, no role needed", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:fn'}")), TR, NULL, 0 },
	{ "logs target with role", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:logs:us-east-1:" ACCT ":log-group:/aws/events/orders','roleArn':'arn:aws:iam::" ACCT ":role/events'}")), TR, "t", 1 },
	{ "API destination by dependency", DOC(RES("aws:cloudwatch/eventApiDestination:EventApiDestination", "api", "east", "{'name':'api'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:cloudwatch/eventApiDestination:EventApiDestination", "api") "']}")), TR, "t", 1 },
	{ "EC2 built-in target", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:events:us-east-1:" ACCT ":target/stop-instance'}")), TR, "t", 1 },
	{ "bus in the same region", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:events:us-east-1:" ACCT ":event-bus/orders'}")), TR, NULL, 0 },
	{ "bus in another region", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:events:us-west-2:" ACCT ":event-bus/orders'}")), TR, "t", 1 },
	{ "bus in another region by dependency", DOC(RES("aws:cloudwatch/eventBus:EventBus", "bus", "west", "{'name':'orders'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:cloudwatch/eventBus:EventBus", "bus") "']}")), TR, "t", 1 },
	{ "ECS target", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:ecs:us-east-1:" ACCT ":cluster/app','ecsTarget':{'taskDefinitionArn':'arn:aws:ecs:us-east-1:" ACCT ":task-definition/job:1'}}")), TR, "t", 1 },
	{ "SSM run command", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:ssm:us-east-1::document/AWS-RunShellScript','runCommandTargets':[{'key':'tag:Role','values':['web']}]}")), TR, "t", 1 },
	{ "knob: kinesis no longer requires a role", DOCC("{'" TR "':{'servicesRequiringRole':['states']}}", RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:kinesis:us-east-1:" ACCT ":stream/orders'}")), TR, NULL, 0 },
	{ "unknown target, no dependency", DOC(RES(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}")), TR, NULL, 0 },
	/* Encrypted SNS / SQS targets: EventBridge must be able to use the key. */
	{ "SNS topic with alias/aws/sns", DOC(RES("aws:sns/topic:Topic", "tp", "east", "{'name':'alerts','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sns:Publish\\',\\'Resource\\':\\'*\\'}]}','kmsMasterKeyId':'alias/aws/sns'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}")), TR, "t", 1 },
	{ "SQS queue with alias/aws/sqs (known ARN)", DOCU(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sqs:SendMessage\\',\\'Resource\\':\\'*\\'}]}','arn':'arn:aws:sqs:us-east-1:" ACCT ":jobs','kmsMasterKeyId':'alias/aws/sqs'}") "," RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:sqs:us-east-1:" ACCT ":jobs'}")), TR, "t", 1 },
	{ "SQS queue with SSE-SQS", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sqs:SendMessage\\',\\'Resource\\':\\'*\\'}]}','sqsManagedSseEnabled':true}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sqs/queue:Queue", "qq") "']}")), TR, NULL, 0 },
	{ "SNS topic, CMK admitting EventBridge", DOC(RES("aws:kms/key:Key", "k", "east", "{'policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':[\\'kms:Decrypt\\',\\'kms:GenerateDataKey*\\'],\\'Resource\\':\\'*\\'}]}'}") "," RESD("aws:sns/topic:Topic", "tp", "east", "{'name':'alerts','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sns:Publish\\',\\'Resource\\':\\'*\\'}]}','kmsMasterKeyId':'" U "'}", "{'kmsMasterKeyId':['" URN("aws:kms/key:Key", "k") "']}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}")), TR, NULL, 0 },
	{ "SNS topic, CMK with the default key policy", DOC(RES("aws:kms/key:Key", "k", "east", "{'description':'alerts'}") "," RESD("aws:sns/topic:Topic", "tp", "east", "{'name':'alerts','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sns:Publish\\',\\'Resource\\':\\'*\\'}]}','kmsMasterKeyId':'" U "'}", "{'kmsMasterKeyId':['" URN("aws:kms/key:Key", "k") "']}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}")), TR, "t", 1 },
	{ "SNS topic, CMK policy unknown", DOC(RES("aws:kms/key:Key", "k", "east", "{'policy':'" U "'}") "," RESD("aws:sns/topic:Topic", "tp", "east", "{'name':'alerts','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sns:Publish\\',\\'Resource\\':\\'*\\'}]}','kmsMasterKeyId':'" U "'}", "{'kmsMasterKeyId':['" URN("aws:kms/key:Key", "k") "']}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}")), TR, NULL, 0 },
	{ "SNS topic with alias/aws/sns, delivered through a role", DOC(RES("aws:sns/topic:Topic", "tp", "east", "{'name':'alerts','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sns:Publish\\',\\'Resource\\':\\'*\\'}]}','kmsMasterKeyId':'alias/aws/sns'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "','roleArn':'arn:aws:iam::" ACCT ":role/events-sns'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}")), TR, NULL, 0 },

	/* SNS / SQS targets without a role need a resource policy admitting EventBridge. */
	{ "SQS queue without a queue policy", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs','sqsManagedSseEnabled':true}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sqs/queue:Queue", "qq") "']}")), TR, "t", 1 },
	{ "SQS queue with a QueuePolicy admitting EventBridge", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs'}") "," RESD("aws:sqs/queuePolicy:QueuePolicy", "qp", "east", "{'queueUrl':'" U "','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':[\\'sqs:SendMessage\\'],\\'Resource\\':\\'*\\'}]}'}", "{'queueUrl':['" URN("aws:sqs/queue:Queue", "qq") "']}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sqs/queue:Queue", "qq") "']}")), TR, NULL, 0 },
	{ "SQS queue, QueuePolicy for SNS only", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs'}") "," RESD("aws:sqs/queuePolicy:QueuePolicy", "qp", "east", "{'queueUrl':'" U "','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'sns.amazonaws.com\\'},\\'Action\\':\\'sqs:SendMessage\\',\\'Resource\\':\\'*\\'}]}'}", "{'queueUrl':['" URN("aws:sqs/queue:Queue", "qq") "']}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sqs/queue:Queue", "qq") "']}")), TR, "t", 1 },
	{ "SQS queue, QueuePolicy unknown in preview", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs'}") "," RESD("aws:sqs/queuePolicy:QueuePolicy", "qp", "east", "{'queueUrl':'" U "','policy':'" U "'}", "{'queueUrl':['" URN("aws:sqs/queue:Queue", "qq") "']}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sqs/queue:Queue", "qq") "']}")), TR, NULL, 0 },
	{ "SNS topic with a TopicPolicy for any principal with a condition", DOC(RES("aws:sns/topic:Topic", "tp", "east", "{'name':'alerts'}") "," RESD("aws:sns/topicPolicy:TopicPolicy", "tpp", "east", "{'arn':'" U "','policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'AWS\\':\\'*\\'},\\'Action\\':\\'SNS:Publish\\',\\'Resource\\':\\'*\\',\\'Condition\\':{\\'ArnEquals\\':{\\'aws:SourceArn\\':\\'arn:aws:events:us-east-1:" ACCT ":rule/r\\'}}}]}'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}")), TR, NULL, 0 },
	{ "SNS topic without policy, delivered through a role", DOC(RES("aws:sns/topic:Topic", "tp", "east", "{'name':'alerts'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "','roleArn':'arn:aws:iam::" ACCT ":role/events-sns'}", "{'arn':['" URN("aws:sns/topic:Topic", "tp") "']}")), TR, NULL, 0 },
	{ "FIFO queue without messageGroupId", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs.fifo','fifoQueue':true,'policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sqs:SendMessage\\',\\'Resource\\':\\'*\\'}]}'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sqs/queue:Queue", "qq") "']}")), TR, "t", 1 },
	{ "FIFO queue with messageGroupId", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs.fifo','fifoQueue':true,'policy':'{\\'Statement\\':[{\\'Effect\\':\\'Allow\\',\\'Principal\\':{\\'Service\\':\\'events.amazonaws.com\\'},\\'Action\\':\\'sqs:SendMessage\\',\\'Resource\\':\\'*\\'}]}'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "','sqsTarget':{'messageGroupId':'orders'}}", "{'arn':['" URN("aws:sqs/queue:Queue", "qq") "']}")), TR, NULL, 0 },
	{ "QueuePolicy link unknown (may be this queue's)", DOC(RES("aws:sqs/queue:Queue", "qq", "east", "{'name':'jobs'}") "," RES("aws:sqs/queuePolicy:QueuePolicy", "qp", "east", "{'queueUrl':'" U "','policy':'" U "'}") "," RESD(TARGET, "t", "east", "{'rule':'r','arn':'" U "'}", "{'arn':['" URN("aws:sqs/queue:Queue", "qq") "']}")), TR, NULL, 0 },
	/* Partners found by value or dependency among several: queue policy by URL, the last key policy. */
	{ "SQS queue, QueuePolicy by queue URL (update)", DOCU(QUEUE_KNOWN("qq", "jobs") "," QUEUE_KNOWN("qo", "other") "," RES("aws:sqs/queuePolicy:QueuePolicy", "qp", "east", "{'queueUrl':'https://sqs.us-east-1.amazonaws.com/" ACCT "/jobs','policy':'" ALLOW_EVENTS("sqs:SendMessage") "'}") "," RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:sqs:us-east-1:" ACCT ":jobs'}")), TR, NULL, 0 },
	{ "SQS queue, QueuePolicy of another queue's URL (update)", DOCU(QUEUE_KNOWN("qq", "jobs") "," QUEUE_KNOWN("qo", "other") "," RES("aws:sqs/queuePolicy:QueuePolicy", "qp", "east", "{'queueUrl':'https://sqs.us-east-1.amazonaws.com/" ACCT "/other','policy':'" ALLOW_EVENTS("sqs:SendMessage") "'}") "," RES(TARGET, "t", "east", "{'rule':'r','arn':'arn:aws:sqs:us-east-1:" ACCT ":jobs'}")), TR, "t", 1 },
	{ "CMK with a KeyPolicy depending on it (dependsOn) admitting EventBridge", DOC(KEY_DEFAULT "," KEYPOL("kp1", ALLOW_KMS) "," TOPIC_ON_KEY "," TARGET_ON_TOPIC), TR, NULL, 0 },
	{ "CMK with two KeyPolicies: the last one wins", DOC(KEY_DEFAULT "," KEYPOL("kp1", ALLOW_KMS) "," KEYPOL("kp2", ROOT_ONLY) "," TOPIC_ON_KEY "," TARGET_ON_TOPIC), TR, "t", 1 },
	{ "CMK with two KeyPolicies: the last one admits", DOC(KEY_DEFAULT "," KEYPOL("kp2", ROOT_ONLY) "," KEYPOL("kp1", ALLOW_KMS) "," TOPIC_ON_KEY "," TARGET_ON_TOPIC), TR, NULL, 0 },
	/* ---- eventbridge-lambda-target-permission ---- */
	{ "literal ARNs, matching permission", DOCU(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RES(RULE, "rule", "east", "{'name':'orders-rule','arn':'arn:aws:events:us-east-1:" ACCT ":rule/orders-rule','eventPattern':'{\\'source\\':[\\'acme\\']}'}") "," RES(TARGET, "t", "east", "{'rule':'orders-rule','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn'}") "," RES(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'orders-fn','principal':'events.amazonaws.com','sourceArn':'arn:aws:events:us-east-1:" ACCT ":rule/orders-rule'}")), LP, NULL, 0 },
	{ "literal ARNs, permission for another rule", DOCU(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RES(RULE, "rule", "east", "{'name':'orders-rule','eventPattern':'{\\'source\\':[\\'acme\\']}'}") "," RES(TARGET, "t", "east", "{'rule':'orders-rule','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn'}") "," RES(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'orders-fn','principal':'events.amazonaws.com','sourceArn':'arn:aws:events:us-east-1:" ACCT ":rule/payments-rule'}")), LP, "t", 1 },
	{ "permission on a custom bus rule ARN", DOCU(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RES(RULE, "rule", "east", "{'name':'orders-rule','eventBusName':'orders','eventPattern':'{\\'source\\':[\\'acme\\']}'}") "," RES(TARGET, "t", "east", "{'rule':'orders-rule','eventBusName':'orders','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn:live'}") "," RES(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn','principal':'events.amazonaws.com','sourceArn':'arn:aws:events:us-east-1:" ACCT ":rule/orders/orders-rule'}")), LP, NULL, 0 },
	{ "permission without sourceArn", DOCU(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RES(TARGET, "t", "east", "{'rule':'orders-rule','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn'}") "," RES(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'orders-fn','principal':'events.amazonaws.com'}")), LP, "t", 1 },
	{ "permission for another principal", DOCU(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RES(TARGET, "t", "east", "{'rule':'orders-rule','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn'}") "," RES(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'orders-fn','principal':'s3.amazonaws.com','sourceArn':'arn:aws:events:us-east-1:" ACCT ":rule/orders-rule'}")), LP, "t", 1 },
	{ "target with role", DOCU(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RES(TARGET, "t", "east", "{'rule':'orders-rule','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn','roleArn':'arn:aws:iam::" ACCT ":role/events-invoke'}")), LP, NULL, 0 },
	{ "function of another stack", DOCU(RES(TARGET, "t", "east", "{'rule':'orders-rule','arn':'arn:aws:lambda:us-east-1:" ACCT ":function:shared-fn'}")), LP, NULL, 0 },
	{ "preview: permission unknowns without links", DOC(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RESD(TARGET, "t", "east", "{'rule':'orders-rule','arn':'" U "'}", "{'arn':['" URN(FN, "fn") "']}") "," RES(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'" U "','principal':'events.amazonaws.com','sourceArn':'" U "'}")), LP, NULL, 0 },
	{ "preview: permission linked to another rule", DOC(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RES(RULE, "rule", "east", "{'name':'orders-rule','eventPattern':'{\\'source\\':[\\'acme\\']}'}") "," RES(RULE, "other", "east", "{'name':'other-rule','eventPattern':'{\\'source\\':[\\'acme\\']}'}") "," RESD(TARGET, "t", "east", "{'rule':'orders-rule','arn':'" U "'}", "{'arn':['" URN(FN, "fn") "'],'rule':['" URN(RULE, "rule") "']}") "," RESD(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'" U "','principal':'events.amazonaws.com','sourceArn':'" U "'}", "{'function':['" URN(FN, "fn") "'],'sourceArn':['" URN(RULE, "other") "']}")), LP, "t", 1 },
	{ "alias target, permission on the function", DOC(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RESD("aws:lambda/alias:Alias", "live", "east", "{'name':'live','functionName':'" U "'}", "{'functionName':['" URN(FN, "fn") "']}") "," RES(RULE, "rule", "east", "{'name':'orders-rule','eventPattern':'{\\'source\\':[\\'acme\\']}'}") "," RESD(TARGET, "t", "east", "{'rule':'orders-rule','arn':'" U "'}", "{'arn':['" URN("aws:lambda/alias:Alias", "live") "'],'rule':['" URN(RULE, "rule") "']}") "," RESD(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'" U "','principal':'events.amazonaws.com','sourceArn':'" U "','qualifier':'live'}", "{'function':['" URN(FN, "fn") "'],'sourceArn':['" URN(RULE, "rule") "']}")), LP, NULL, 0 },
	/* Permissions looked up by the function they depend on or name, among others. */
	{ "permissions for other functions only", DOCU(FN_RULE_TARGET "," PERM_FOR("p1", "users-fn", "orders-rule") "," PERM_FOR("p2", "arn:aws:lambda:us-east-1:" ACCT ":function:billing-fn", "orders-rule")), LP, "t", 1 },
	{ "one of several permissions names the function by ARN", DOCU(FN_RULE_TARGET "," PERM_FOR("p1", "users-fn", "orders-rule") "," PERM_FOR("p2", "arn:aws:lambda:us-east-1:" ACCT ":function:orders-fn", "orders-rule") "," PERM_FOR("p3", "billing-fn", "orders-rule")), LP, NULL, 0 },
	{ "permission names the function, for another rule", DOCU(FN_RULE_TARGET "," PERM_FOR("p1", "orders-fn", "payments-rule") "," PERM_FOR("p2", "users-fn", "orders-rule")), LP, "t", 1 },
	{ "permission through an alias dependency", DOC(RES(FN, "fn", "east", "{'name':'orders-fn'}") "," RESD("aws:lambda/alias:Alias", "live", "east", "{'name':'live','functionName':'" U "'}", "{'functionName':['" URN(FN, "fn") "']}") "," RES(RULE, "rule", "east", "{'name':'orders-rule','eventPattern':'{\\'source\\':[\\'acme\\']}'}") "," RESD(TARGET, "t", "east", "{'rule':'orders-rule','arn':'" U "'}", "{'arn':['" URN(FN, "fn") "'],'rule':['" URN(RULE, "rule") "']}") "," RESD(PERM, "perm", "east", "{'action':'lambda:InvokeFunction','function':'" U "','principal':'events.amazonaws.com','sourceArn':'" U "'}", "{'function':['" URN("aws:lambda/alias:Alias", "live") "'],'sourceArn':['" URN(RULE, "rule") "']}")), LP, NULL, 0 },
	{ "permission of unknown function next to one for another function", DOC(FN_RULE_TARGET "," PERM_FOR("p1", "users-fn", "orders-rule") "," PERM_FOR("p2", U, "orders-rule")), LP, NULL, 0 },
};

START_TEST(test_case)
{
	const struct ecase *c = &cases[_i];
	size_t got = pct_count_sq(c->json, c->policy, c->name, POL_MANDATORY);
	if (got != c->want) {
		struct pct_run run;
		char *j = pct_dq(c->json);
		pct_run_json(&run, j);
		ck_abort_msg("%s: %s: %zu mandatory diagnostics, want %zu%s", c->what, c->policy, got, c->want,
			     pct_describe(&run));
	}
}
END_TEST

/* Secret patterns: judged like any other, but their values never reach a message. */
START_TEST(test_secret_pattern)
{
	const char *json = DOC(RES(RULE, "r", "east", "{'eventPattern':" SECRET("'{\\'source\\':[\\'aws.s3\\'],\\'detail-type\\':[\\'Object Created\\'],\\'detail\\':{\\'bucket\\':{\\'name\\':[\\'arn:aws:s3:::hush-hush-bucket\\']}}}'") "}"));
	char *m = messages(json, PV);
	ck_assert_msg(strstr(m, "ARN") != NULL, "secret pattern not judged: %s", m);
	ck_assert_msg(strstr(m, "hush-hush") == NULL, "secret value in message: %s", m);
	free(m);
}
END_TEST

/* Messages name the path and the fix. */
START_TEST(test_message_quality)
{
	char *m = messages(DOC(PRULE("r", S3PAT(",\\'detail\\':{\\'bucket\\':{\\'name\\':\\'data\\'}}"))), PV);
	ck_assert_msg(strstr(m, "detail.bucket.name") && strstr(m, "[\"data\"]"), "message: %s", m);
	free(m);
	m = messages(DOC(BKT("data", "data-prod") "," PRULE("r", S3PAT(BNAME("data-prod")))), NE);
	ck_assert_msg(strstr(m, "eventbridge: true") && strstr(m, "BucketNotification"), "message: %s", m);
	free(m);
}
END_TEST

/* The policy description is prepended once, the rule name appears in stack messages. */
START_TEST(test_advisory_override)
{
	const char *json = DOCC("{'" PV "':'advisory'}", PRULE("r", "{\\'source\\':\\'aws.ec2\\'}"));
	ck_assert_uint_eq(pct_count_sq(json, PV, "r", POL_MANDATORY), 0);
	ck_assert_uint_eq(pct_count_sq(json, PV, "r", POL_ADVISORY), 1);
}
END_TEST

/* Which rule and which bucket the stack messages name. */
START_TEST(test_bucket_messages)
{
	/* A bucket matched by two rules is reported once, for the first rule. */
	char *m = messages(DOC(BKT("data", "data-prod") "," PRULE("r2", S3PAT(BNAME("data-prod"))) "," PRULE("r1", S3PAT(BNAME("data-prod")))), NE);
	ck_assert_msg(strstr(m, "rule r2 matches") && !strstr(m, "rule r1"), "message: %s", m);
	free(m);
	/* Two notifications: the second is the one reported, naming the first. */
	m = messages(DOCU(BKT("data", "data-prod") "," RES(NOTIF, "n1", "east", "{'bucket':'data-prod','eventbridge':true}") "," RESD(NOTIF, "n2", "east", "{'bucket':'" U "'}", "{'bucket':['" URN(BUCKET, "data") "']}")), NE);
	ck_assert_msg(strstr(m, "BucketNotification n1 and n2 both configure bucket data"), "message: %s", m);
	free(m);
	/* A logical name shared by a Bucket and a BucketV2: the last one visited (the BucketV2) is meant. */
	m = messages(DOC(RES("aws:s3/bucketV2:BucketV2", "uploads", "east", "{'bucket':'uploads-2b2b2b2'}") "," BKT("uploads", "uploads-1a1a1a1") "," PRULE("r", S3PAT(BNAME("uploads")))), MB);
	ck_assert_msg(strstr(m, "its S3 name is \"uploads-2b2b2b2\""), "message: %s", m);
	free(m);
	/* Built from two buckets, naming one: the other is reported. */
	m = messages(DOC(BKT("data", "data-prod") "," BKT("logs", "logs-prod") "," RESD(RULE, "r", "east", "{'eventPattern':'" S3PAT(BNAME("data-prod")) "'}", "{'eventPattern':['" URN(BUCKET, "logs") "','" URN(BUCKET, "data") "']}")), MB);
	ck_assert_msg(strstr(m, "from bucket logs,") && !strstr(m, "from bucket data,"), "message: %s", m);
	free(m);
}
END_TEST

/*
 * 200 buckets data-<i>, 100 rules each naming data-<2j>, BucketNotifications
 * (by name) with eventbridge on every fourth bucket: the rules of odd j match
 * a bucket without one.
 */
START_TEST(test_many_buckets_and_rules)
{
	size_t cap = 200 * 700 + 8192, len = 0;
	char *j = malloc(cap), *head = pct_dq("{" STACKD("false") ",'resources':[" EAST "," WEST);
	struct pct_run run;
	ck_assert_ptr_nonnull(j);
	len += (size_t)snprintf(j + len, cap - len, "%s", head);
	free(head);
	for (size_t i = 0; i < 200; i++) {
		len += (size_t)snprintf(j + len, cap - len,
					",{\"type\":\"%s\",\"urn\":\"%sbk%zu\",\"name\":\"bk%zu\",\"provider\":\"%s\","
					"\"properties\":{\"bucket\":\"data-%zu\"}}", BUCKET, URN(BUCKET, ""), i, i, PURN("east"), i);
		if (i % 4 == 0)
			len += (size_t)snprintf(j + len, cap - len,
						",{\"type\":\"%s\",\"urn\":\"%sn%zu\",\"name\":\"n%zu\",\"provider\":\"%s\","
						"\"properties\":{\"bucket\":\"data-%zu\",\"eventbridge\":true}}",
						NOTIF, URN(NOTIF, ""), i, i, PURN("east"), i);
		if (i < 100)
			len += (size_t)snprintf(j + len, cap - len,
						",{\"type\":\"%s\",\"urn\":\"%sr%zu\",\"name\":\"r%zu\",\"provider\":\"%s\","
						"\"properties\":{\"eventPattern\":\"{\\\"source\\\":[\\\"aws.s3\\\"],"
						"\\\"detail-type\\\":[\\\"Object Created\\\"],\\\"detail\\\":{\\\"bucket\\\":"
						"{\\\"name\\\":[\\\"data-%zu\\\"]}}}\"}}",
						RULE, URN(RULE, ""), i, i, PURN("east"), 2 * i);
	}
	len += (size_t)snprintf(j + len, cap - len, "]}");
	ck_assert_uint_lt(len, cap);
	ck_assert_msg(pct_run_json(&run, j) == 0, "fixture: %s", run.err ? run.err : "?");
	ck_assert_uint_eq(pct_count(&run, NE, NULL, POL_MANDATORY), 50);
	ck_assert_uint_eq(pct_count(&run, NE, "::bk2", POL_MANDATORY), 1);
	ck_assert_uint_eq(pct_count(&run, NE, "::bk198", POL_MANDATORY), 1);
	ck_assert_uint_eq(pct_count(&run, NE, "::bk4", POL_MANDATORY), 0);
	ck_assert_uint_eq(pct_count(&run, NE, "::bk3", POL_MANDATORY), 0);
	ck_assert_uint_eq(pct_count(&run, MB, NULL, -1), 0);
	pct_run_free(&run);
	free(j);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("eventbridge");
	TCase *tc = tcase_create("cases");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_case, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_secret_pattern);
	tcase_add_test(tc, test_message_quality);
	tcase_add_test(tc, test_advisory_override);
	tcase_add_test(tc, test_bucket_messages);
	tcase_add_test(tc, test_many_buckets_and_rules);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
