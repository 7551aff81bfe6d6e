/*
 * check_dynamodb.c - edge cases of the dynamodb family: encryption shapes
 * and key regions, point-in-time recovery on tables and replicas, replica
 * regions (own region from the provider, v7 region input or stack config),
 * streams, multi-Region strong consistency, the legacy GlobalTable, and the
 * TableReplica / GlobalTable stack links.
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
/* On the default provider: the region comes from the stack config (us-east-1). */
#define RESDEF(type, name, props) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','properties':" props "}"
#define EAST PROV("east", "us-east-1")
#define WEST PROV("west", "us-west-2")
#define SECRET(v) "{'4dabf18193072939515e22adb298388d':'1b47061264138c4ac30d75fd1eb44270','value':" v "}"

#define TABLE "aws:dynamodb/table:Table"
#define REPLICA "aws:dynamodb/tableReplica:TableReplica"
/* A TableReplica of table `table` (by dependency, ARN unknown in preview) on provider `prov`, or in v7 `region`. */
#define REP(name, prov, table) \
	RESD(REPLICA, name, prov, "{'globalTableArn':'" U "'}", "{'globalTableArn':['" URN(TABLE, table) "']}")
#define REPR(name, prov, region, table) \
	RESD(REPLICA, name, prov, "{'globalTableArn':'" U "','region':'" region "'}", "{'globalTableArn':['" URN(TABLE, table) "']}")
#define SCALING(name, props, extra) \
	"{'type':'aws:appautoscaling/target:Target','urn':'" URN("aws:appautoscaling/target:Target", name) "','name':'" name \
	"','provider':'" PURN("east") "','properties':" props extra "}"
#define GLOBAL "aws:dynamodb/globalTable:GlobalTable"

/* A table that passes every dynamodb policy, plus extra members. */
#define OK "'name':'orders','billingMode':'PAY_PER_REQUEST','serverSideEncryption':{'enabled':true},'pointInTimeRecovery':{'enabled':true}"
#define STREAMS ",'streamEnabled':true,'streamViewType':'NEW_AND_OLD_IMAGES'"
#define PROV_REPL "{'name':'orders','billingMode':'PROVISIONED','readCapacity':5,'writeCapacity':5,'serverSideEncryption':{'enabled':true},'pointInTimeRecovery':{'enabled':true}" STREAMS ",'replicas':[{'regionName':'us-west-2','pointInTimeRecovery':true}]}"
#define KEY_E "arn:aws:kms:us-east-1:" ACCT ":key/1f2e3d4c-5b6a-4789-8abc-def012345678"
#define KEY_W "arn:aws:kms:us-west-2:" ACCT ":key/9a8b7c6d-5e4f-4321-8fed-cba987654321"

struct dcase {
	const char *what;
	const char *json;
	const char *policy;
	const char *name;      /* resource the diagnostic is on (NULL = any) */
	size_t want;           /* mandatory diagnostics expected */
};

#define SSE "dynamodb-sse-explicitly-enabled"
#define PITR "dynamodb-pitr-enabled"
#define GT "dynamodb-global-table-valid"
#define GS "dynamodb-global-table-stack-valid"

static const struct dcase cases[] = {
	/* ---- dynamodb-sse-explicitly-enabled ---- */
	{ "clean table", DOC(RES(TABLE, "t", "east", "{" OK "}")), SSE, NULL, 0 },
	{ "no serverSideEncryption", DOC(RES(TABLE, "t", "east", "{'name':'t'}")), SSE, "t", 1 },
	{ "enabled false", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':false}}")), SSE, "t", 1 },
	{ "enabled missing", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'kmsKeyArn':'" KEY_E "'}}")), SSE, "t", 1 },
	{ "enabled as string (provider-style)", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':'true'}}")), SSE, NULL, 0 },
	{ "sse unknown", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':'" U "'}")), SSE, NULL, 0 },
	{ "enabled unknown", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':'" U "'}}")), SSE, NULL, 0 },
	{ "secret sse", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':" SECRET("{'enabled':true}") "}")), SSE, NULL, 0 },
	{ "CMK required, AWS key used", DOCC("{'" SSE "':{'requireCustomerManagedKey':true}}", RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true}}")), SSE, "t", 1 },
	{ "CMK required and used", DOCC("{'" SSE "':{'requireCustomerManagedKey':true}}", RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true,'kmsKeyArn':'" KEY_E "'}}")), SSE, NULL, 0 },
	{ "key in another region", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true,'kmsKeyArn':'" KEY_W "'}}")), SSE, "t", 1 },
	{ "key is not a KMS ARN", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true,'kmsKeyArn':'alias/orders'}}")), SSE, "t", 1 },
	{ "v7 region input decides the key region", DOC(RES(TABLE, "t", "east", "{'region':'us-west-2','serverSideEncryption':{'enabled':true,'kmsKeyArn':'" KEY_W "'}}")), SSE, NULL, 0 },
	{ "CMK table, replica without key", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true,'kmsKeyArn':'" KEY_E "'},'replicas':[{'regionName':'us-west-2'}]}")), SSE, "t", 1 },
	{ "CMK table, replica key in its region", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true,'kmsKeyArn':'" KEY_E "'},'replicas':[{'regionName':'us-west-2','kmsKeyArn':'" KEY_W "'}]}")), SSE, NULL, 0 },
	{ "replica key in the wrong region", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true,'kmsKeyArn':'" KEY_E "'},'replicas':[{'regionName':'us-west-2','kmsKeyArn':'" KEY_E "'}]}")), SSE, "t", 1 },
	{ "replica element unknown as a whole (CMK table)", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true,'kmsKeyArn':'" KEY_E "'},'replicas':['" U "']}")), SSE, NULL, 0 },
	{ "replica element unknown as a whole (PITR)", DOC(RES(TABLE, "t", "east", "{" OK ",'replicas':['" U "',{'regionName':'us-west-2','pointInTimeRecovery':true}]}")), "dynamodb-pitr-enabled", NULL, 0 },
	{ "AWS-managed table, replica without key", DOC(RES(TABLE, "t", "east", "{'serverSideEncryption':{'enabled':true},'replicas':[{'regionName':'us-west-2'}]}")), SSE, NULL, 0 },
	{ "TableReplica key in its region", DOC(RES(REPLICA, "r", "west", "{'globalTableArn':'" U "','kmsKeyArn':'" KEY_W "'}")), SSE, NULL, 0 },
	{ "TableReplica key in another region", DOC(RES(REPLICA, "r", "west", "{'globalTableArn':'" U "','kmsKeyArn':'" KEY_E "'}")), SSE, "r", 1 },
	{ "TableReplica without key, CMK required", DOCC("{'" SSE "':{'requireCustomerManagedKey':true}}", RES(REPLICA, "r", "west", "{'globalTableArn':'" U "'}")), SSE, "r", 1 },

	/* ---- dynamodb-pitr-enabled ---- */
	{ "PITR absent", DOC(RES(TABLE, "t", "east", "{'name':'t'}")), PITR, "t", 1 },
	{ "PITR false", DOC(RES(TABLE, "t", "east", "{'pointInTimeRecovery':{'enabled':false}}")), PITR, "t", 1 },
	{ "PITR unknown", DOC(RES(TABLE, "t", "east", "{'pointInTimeRecovery':'" U "'}")), PITR, NULL, 0 },
	{ "recovery period out of range", DOC(RES(TABLE, "t", "east", "{'pointInTimeRecovery':{'enabled':true,'recoveryPeriodInDays':40}}")), PITR, "t", 1 },
	{ "recovery period below the minimum", DOCC("{'" PITR "':{'minRecoveryDays':14}}", RES(TABLE, "t", "east", "{'pointInTimeRecovery':{'enabled':true,'recoveryPeriodInDays':7}}")), PITR, "t", 1 },
	{ "replica PITR missing", DOC(RES(TABLE, "t", "east", "{" OK ",'replicas':[{'regionName':'us-west-2'},{'regionName':'eu-west-1','pointInTimeRecovery':true}]}")), PITR, "t", 1 },
	{ "replica PITR not checked", DOCC("{'" PITR "':{'checkReplicas':false}}", RES(TABLE, "t", "east", "{" OK ",'replicas':[{'regionName':'us-west-2'}]}")), PITR, NULL, 0 },
	{ "TableReplica PITR missing", DOC(RES(REPLICA, "r", "west", "{'globalTableArn':'" U "'}")), PITR, "r", 1 },
	{ "TableReplica PITR on", DOC(RES(REPLICA, "r", "west", "{'globalTableArn':'" U "','pointInTimeRecovery':true}")), PITR, NULL, 0 },

	/* ---- dynamodb-global-table-valid ---- */
	{ "replica in another region", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'us-west-2','pointInTimeRecovery':true}]}")), GT, NULL, 0 },
	{ "replica in the provider's region", DOC(RES(TABLE, "t", "west", "{" OK STREAMS ",'replicas':[{'regionName':'us-west-2'}]}")), GT, "t", 1 },
	{ "replica in the v7 region input", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'region':'eu-west-1','replicas':[{'regionName':'eu-west-1'}]}")), GT, "t", 1 },
	{ "replica in the stack config region (default provider)", DOC(RESDEF(TABLE, "t", "{" OK STREAMS ",'replicas':[{'regionName':'us-east-1'}]}")), GT, "t", 1 },
	{ "own region unknown (v7 region unknown)", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'region':'" U "','replicas':[{'regionName':'us-east-1'}]}")), GT, NULL, 0 },
	{ "duplicate replica regions", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'us-west-2'},{'regionName':'us-west-2'}]}")), GT, "t", 1 },
	{ "replica region is an AZ", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'us-west-2a'}]}")), GT, "t", 1 },
	{ "replica region malformed", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'US-WEST-2'}]}")), GT, "t", 1 },
	{ "replica region unknown", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'" U "'}]}")), GT, NULL, 0 },
	{ "replicas without streams", DOC(RES(TABLE, "t", "east", "{" OK ",'replicas':[{'regionName':'us-west-2'}]}")), GT, "t", 1 },
	{ "streams with the wrong view type", DOC(RES(TABLE, "t", "east", "{" OK ",'streamEnabled':true,'streamViewType':'NEW_IMAGE','replicas':[{'regionName':'us-west-2'}]}")), GT, "t", 1 },
	{ "streams not required by config", DOCC("{'" GT "':{'requireStreamsWithReplicas':false}}", RES(TABLE, "t", "east", "{" OK ",'replicas':[{'regionName':'us-west-2'}]}")), GT, NULL, 0 },
	{ "no replicas, no streams needed", DOC(RES(TABLE, "t", "east", "{" OK "}")), GT, NULL, 0 },
	{ "replicas unknown", DOC(RES(TABLE, "t", "east", "{" OK ",'replicas':'" U "'}")), GT, NULL, 0 },
	{ "MRSC with two strong replicas", DOC(RES(TABLE, "t", "east", "{" OK ",'replicas':[{'regionName':'us-east-2','consistencyMode':'STRONG'},{'regionName':'us-west-2','consistencyMode':'STRONG'}]}")), GT, NULL, 0 },
	{ "MRSC with one replica and a witness", DOC(RES(TABLE, "t", "east", "{" OK ",'globalTableWitness':{'regionName':'us-west-2'},'replicas':[{'regionName':'us-east-2','consistencyMode':'STRONG'}]}")), GT, NULL, 0 },
	{ "MRSC with one replica, no witness", DOC(RES(TABLE, "t", "east", "{" OK ",'replicas':[{'regionName':'us-east-2','consistencyMode':'STRONG'}]}")), GT, "t", 1 },
	{ "MRSC witness in a replica region", DOC(RES(TABLE, "t", "east", "{" OK ",'globalTableWitness':{'regionName':'us-east-2'},'replicas':[{'regionName':'us-east-2','consistencyMode':'STRONG'}]}")), GT, "t", 1 },
	{ "MRSC mixed modes", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'us-east-2','consistencyMode':'STRONG'},{'regionName':'us-west-2','consistencyMode':'EVENTUAL'}]}")), GT, "t", 1 },
	{ "legacy GlobalTable", DOC(RES(GLOBAL, "g", "east", "{'name':'orders','replicas':[{'regionName':'us-east-1'},{'regionName':'us-west-2'}]}")), GT, "g", 1 },
	{ "legacy GlobalTable allowed", DOCC("{'" GT "':{'allowLegacyGlobalTable':true}}", RES(GLOBAL, "g", "east", "{'name':'orders','replicas':[{'regionName':'us-east-1'},{'regionName':'us-west-2'}]}")), GT, NULL, 0 },
	{ "legacy GlobalTable duplicate region", DOCC("{'" GT "':{'allowLegacyGlobalTable':true}}", RES(GLOBAL, "g", "east", "{'name':'orders','replicas':[{'regionName':'us-west-2'},{'regionName':'us-west-2'}]}")), GT, "g", 1 },
	{ "TableReplica ARN in another region", DOC(RES(REPLICA, "r", "west", "{'globalTableArn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/orders'}")), GT, NULL, 0 },
	{ "TableReplica ARN in its own region", DOC(RES(REPLICA, "r", "east", "{'globalTableArn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/orders'}")), GT, "r", 1 },
	{ "TableReplica v7 region equals the ARN region", DOC(RES(REPLICA, "r", "west", "{'region':'us-east-1','globalTableArn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/orders'}")), GT, "r", 1 },
	{ "TableReplica given a table name", DOC(RES(REPLICA, "r", "west", "{'globalTableArn':'orders'}")), GT, "r", 1 },
	{ "TableReplica ARN unknown", DOC(RES(REPLICA, "r", "east", "{'globalTableArn':'" U "'}")), GT, NULL, 0 },

	/* ---- dynamodb-global-table-stack-valid ---- */
	{ "TableReplica in another region (preview)", DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," RESD(REPLICA, "r", "west", "{'globalTableArn':'" U "'}", "{'globalTableArn':['" URN(TABLE, "t") "']}")), GS, NULL, 0 },
	{ "TableReplica in the table's region (preview)", DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," RESD(REPLICA, "r", "east", "{'globalTableArn':'" U "'}", "{'globalTableArn':['" URN(TABLE, "t") "']}")), GS, "r", 1 },
	{ "TableReplica on the default provider, table on us-east-1", DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," "{'type':'" REPLICA "','urn':'" URN(REPLICA, "r") "','name':'r','properties':{'globalTableArn':'" U "'},'propertyDependencies':{'globalTableArn':['" URN(TABLE, "t") "']}}"), GS, "r", 1 },
	{ "TableReplica and inline replicas", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'eu-west-1'}]}") "," RESD(REPLICA, "r", "west", "{'globalTableArn':'" U "'}", "{'globalTableArn':['" URN(TABLE, "t") "']}")), GS, "r", 1 },
	{ "two TableReplicas in one region", DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," RESD(REPLICA, "r1", "west", "{'globalTableArn':'" U "'}", "{'globalTableArn':['" URN(TABLE, "t") "']}") "," RESD(REPLICA, "r2", "west", "{'globalTableArn':'" U "'}", "{'globalTableArn':['" URN(TABLE, "t") "']}")), GS, "r2", 1 },
	{ "CMK table, TableReplica without key", DOC(RES(TABLE, "t", "east", "{'name':'orders','billingMode':'PAY_PER_REQUEST','serverSideEncryption':{'enabled':true,'kmsKeyArn':'" U "'}" STREAMS "}") "," RESD(REPLICA, "r", "west", "{'globalTableArn':'" U "'}", "{'globalTableArn':['" URN(TABLE, "t") "']}")), GS, "r", 1 },
	{ "CMK table, TableReplica with key", DOC(RES(TABLE, "t", "east", "{'name':'orders','billingMode':'PAY_PER_REQUEST','serverSideEncryption':{'enabled':true,'kmsKeyArn':'" KEY_E "'}" STREAMS "}") "," RESD(REPLICA, "r", "west", "{'globalTableArn':'" U "','kmsKeyArn':'" KEY_W "'}", "{'globalTableArn':['" URN(TABLE, "t") "']}")), GS, NULL, 0 },
	{ "table of a TableReplica without streams", DOC(RES(TABLE, "t", "east", "{" OK "}") "," RESD(REPLICA, "r", "west", "{'globalTableArn':'" U "'}", "{'globalTableArn':['" URN(TABLE, "t") "']}")), GS, "t", 1 },
	{ "provisioned replicated table without autoscaling", DOC(RES(TABLE, "t", "east", "{'name':'orders','billingMode':'PROVISIONED','readCapacity':5,'writeCapacity':5" STREAMS ",'replicas':[{'regionName':'us-west-2'}]}")), GS, "t", 1 },
	{ "billingMode absent means provisioned", DOC(RES(TABLE, "t", "east", "{'name':'orders'" STREAMS ",'replicas':[{'regionName':'us-west-2'}]}")), GS, "t", 1 },
	{ "provisioned with write autoscaling", DOC(RES(TABLE, "t", "east", "{'name':'orders','billingMode':'PROVISIONED'" STREAMS ",'replicas':[{'regionName':'us-west-2'}]}") "," RES("aws:appautoscaling/target:Target", "wcu", "east", "{'resourceId':'table/orders','scalableDimension':'dynamodb:table:WriteCapacityUnits','serviceNamespace':'dynamodb','minCapacity':5,'maxCapacity':100}")), GS, NULL, 0 },
	{ "provisioned allowed by config", DOCC("{'" GS "':{'allowProvisionedWithReplicas':true}}", RES(TABLE, "t", "east", "{'name':'orders','billingMode':'PROVISIONED'" STREAMS ",'replicas':[{'regionName':'us-west-2'}]}")), GS, NULL, 0 },
	{ "inline replica onto a same-name table", DOC(RES(TABLE, "t1", "east", "{" OK STREAMS ",'replicas':[{'regionName':'us-west-2'}]}") "," RES(TABLE, "t2", "west", "{" OK STREAMS "}")), GS, "t1", 1 },
	{ "legacy GlobalTable next to replicas", DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'us-west-2'}]}") "," RES(GLOBAL, "g", "east", "{'name':'orders','replicas':[{'regionName':'us-east-1'},{'regionName':'us-west-2'}]}")), GS, "g", 1 },
	{ "legacy GlobalTable missing a region's table", DOC(RES(TABLE, "t1", "east", "{" OK STREAMS "}") "," RES(GLOBAL, "g", "east", "{'name':'orders','replicas':[{'regionName':'us-east-1'},{'regionName':'us-west-2'}]}")), GS, "g", 1 },
	{ "legacy GlobalTable with tables in every region", DOC(RES(TABLE, "t1", "east", "{" OK STREAMS "}") "," RES(TABLE, "t2", "west", "{" OK STREAMS "}") "," RES(GLOBAL, "g", "east", "{'name':'orders','replicas':[{'regionName':'us-east-1'},{'regionName':'us-west-2'}]}")), GS, NULL, 0 },
	/* TableReplica links (dependency or known ARN), duplicates per region, write auto scaling. */
	{ "two TableReplicas of one table in one region", DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," REP("tr1", "west", "t") "," REP("tr2", "west", "t")), GS, "tr2", 1 },
	{ "two TableReplicas of one table in one region: the first is fine", DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," REP("tr1", "west", "t") "," REP("tr2", "west", "t")), GS, "tr1", 0 },
	{ "TableReplicas of one table in two regions", DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," REP("tr1", "west", "t") "," REPR("tr2", "west", "eu-west-1", "t")), GS, NULL, 0 },
	{ "TableReplicas of two tables in one region", DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," RES(TABLE, "u", "east", "{" OK STREAMS ",'name':'users'}") "," REP("tr1", "west", "t") "," REP("tr2", "west", "u")), GS, NULL, 0 },
	{ "TableReplica by known ARN: that table's streams", DOC(RES(TABLE, "t1", "east", "{" OK ",'arn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/orders'}") "," RES(TABLE, "t2", "east", "{" OK ",'name':'users','arn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/users'}") "," RES(REPLICA, "tr", "west", "{'globalTableArn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/users'}")), GS, "t2", 1 },
	{ "TableReplica by known ARN: not the other table", DOC(RES(TABLE, "t1", "east", "{" OK ",'arn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/orders'}") "," RES(TABLE, "t2", "east", "{" OK ",'name':'users','arn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/users'}") "," RES(REPLICA, "tr", "west", "{'globalTableArn':'arn:aws:dynamodb:us-east-1:" ACCT ":table/users'}")), GS, "t1", 0 },
	{ "provisioned replicas, write auto scaling by resourceId", DOC(RES(TABLE, "t", "east", PROV_REPL) "," SCALING("w", "{'resourceId':'table/orders','scalableDimension':'dynamodb:table:WriteCapacityUnits'}", "")), GS, NULL, 0 },
	{ "provisioned replicas, read auto scaling only", DOC(RES(TABLE, "t", "east", PROV_REPL) "," SCALING("r", "{'resourceId':'table/orders','scalableDimension':'dynamodb:table:ReadCapacityUnits'}", "")), GS, "t", 1 },
	{ "provisioned replicas, write auto scaling of another table", DOC(RES(TABLE, "t", "east", PROV_REPL) "," SCALING("w", "{'resourceId':'table/users','scalableDimension':'dynamodb:table:WriteCapacityUnits'}", "")), GS, "t", 1 },
	{ "provisioned replicas, write auto scaling depending on the table", DOC(RES(TABLE, "t", "east", PROV_REPL) "," SCALING("w", "{'resourceId':'" U "','scalableDimension':'dynamodb:table:WriteCapacityUnits'}", ",'dependencies':['" URN(TABLE, "t") "']")), GS, NULL, 0 },
	{ "inline replicas onto two same-name tables", DOC(RES(TABLE, "t1", "east", "{" OK STREAMS ",'replicas':[{'regionName':'us-west-2'},{'regionName':'eu-west-1'}]}") "," RES(TABLE, "t2", "west", "{" OK STREAMS "}") "," RES(TABLE, "t3", "east", "{" OK STREAMS ",'region':'eu-west-1'}") "," RES(TABLE, "t4", "west", "{" OK STREAMS ",'name':'users'}")), GS, "t1", 2 },
};

START_TEST(test_case)
{
	const struct dcase *c = &cases[_i];
	struct pct_run run;
	char *j = pct_dq(c->json);
	char urn[256];

	ck_assert_msg(pct_run_json(&run, j) == 0, "%s: fixture: %s", c->what, run.err ? run.err : "?");
	snprintf(urn, sizeof(urn), "::%s", c->name ? c->name : "");
	size_t got = pct_count(&run, c->policy, c->name ? urn : NULL, POL_MANDATORY);
	ck_assert_msg(got == c->want, "%s: %s: %zu mandatory diagnostics, want %zu%s", c->what, c->policy, got,
		      c->want, pct_describe(&run));
	pct_run_free(&run);
	free(j);
}
END_TEST

/* Unknown replica regions are recorded as not-applicable, never as violations. */
START_TEST(test_unknown_is_not_applicable)
{
	struct pct_run run;
	char *j = pct_dq(DOC(RES(TABLE, "t", "east", "{" OK STREAMS ",'replicas':[{'regionName':'" U "'}]}")));
	ck_assert_int_eq(pct_run_json(&run, j), 0);
	ck_assert_uint_eq(pct_count(&run, GT, NULL, -1), 0);
	ck_assert_uint_ge(pct_count_na(&run, GT), 1);
	pct_run_free(&run);
	free(j);
}
END_TEST

/* Every further TableReplica into the same region is reported, naming the first one. */
START_TEST(test_duplicate_replica_message)
{
	struct pct_run run;
	char *j = pct_dq(DOC(RES(TABLE, "t", "east", "{" OK STREAMS "}") "," REP("tr1", "west", "t") ","
			     REPR("tr2", "west", "eu-west-1", "t") "," REP("tr3", "west", "t") "," REP("tr4", "west", "t")));
	const char *want[] = { "TableReplica tr1 and tr3 both replicate table t into us-west-2",
			       "TableReplica tr1 and tr4 both replicate table t into us-west-2" };
	size_t k = 0;
	ck_assert_int_eq(pct_run_json(&run, j), 0);
	for (size_t i = 0; i < run.n; i++)
		if (strcmp(run.d[i].policy, GS) == 0) {
			ck_assert_uint_lt(k, 2);
			ck_assert_msg(strstr(run.d[i].message, want[k]), "message %zu: %s", k, run.d[i].message);
			k++;
		}
	ck_assert_uint_eq(k, 2);
	pct_run_free(&run);
	free(j);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dynamodb");
	TCase *tc = tcase_create("cases");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_case, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_unknown_is_not_applicable);
	tcase_add_test(tc, test_duplicate_replica_message);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
