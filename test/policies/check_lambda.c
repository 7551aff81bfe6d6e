/*
 * check_lambda.c - edge cases of the lambda family: the runtime table and its
 * knobs, X-Ray (with the remediation), reserved environment variables and
 * the permission source rules (v6/v7 shapes, unknowns, secrets).
 *
 * Fixtures are written inline with ' for " (see pct_dq()), so JSON text inside a
 * JSON string is spelled \\' .
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define STACK "'stack':{'stack':'dev','project':'p','dryRun':true,'config':{'aws:region':'us-east-1'}}"
#define DOC(res) "{" STACK ",'resources':[" res "]}"
#define DOCC(cfg, res) "{" STACK ",'config':" cfg ",'resources':[" res "]}"
#define PURN(name) "urn:pulumi:dev::p::pulumi:providers:aws::" name
#define PROV(name, region) \
	"{'type':'pulumi:providers:aws','urn':'" PURN(name) "','name':'" name "','properties':{'region':'" region \
	"','defaultTags':'{\\'tags\\':{\\'team\\':\\'x\\'}}'}}"
#define RES(type, name, prov, props) \
	"{'type':'" type "','urn':'urn:pulumi:dev::p::" type "::" name "','name':'" name "','provider':'" PURN(prov) \
	"','properties':" props "}"
#define RESD(type, name, prov, props, pdeps) \
	"{'type':'" type "','urn':'urn:pulumi:dev::p::" type "::" name "','name':'" name "','provider':'" PURN(prov) \
	"','properties':" props ",'propertyDependencies':" pdeps "}"
#define FN "aws:lambda/function:Function"
#define PERM "aws:lambda/permission:Permission"
#define RULE "aws:cloudwatch/eventRule:EventRule"
#define FUNC(name, props) RES(FN, name, "east", props)
#define EAST PROV("east", "us-east-1")
#define WEST PROV("west", "us-west-2")
#define SECRET(v) "{'4dabf18193072939515e22adb298388d':'1b47061264138c4ac30d75fd1eb44270','value':" v "}"

/* ---- lambda-runtime-supported ----------------------------------------------------- */

struct rt_case {
	const char *runtime;
	int violations;
};

static const struct rt_case rt_cases[] = {
	{ "python3.9", 1 },     /* the seed: deprecated 2025-12-15 */
	{ "python3.10", 1 },    /* deprecated 2026-10-31 */
	{ "python3.8", 1 },
	{ "python2.7", 1 },
	{ "python3.11", 0 },    /* the seed's fix */
	{ "python3.12", 0 },
	{ "python3.13", 0 },
	{ "python3.14", 0 },
	{ "python3.15", 0 },    /* newer than the table: judged by family minimum */
	{ "nodejs20.x", 1 },
	{ "nodejs18.x", 1 },
	{ "nodejs22.x", 0 },
	{ "nodejs24.x", 0 },
	{ "java8", 1 },
	{ "java8.al2", 1 },     /* supported, but below the java 17 minimum */
	{ "java11", 1 },
	{ "java17", 0 },
	{ "java21", 0 },
	{ "dotnet8", 1 },       /* deprecated 2026-11-10 */
	{ "dotnet10", 0 },
	{ "dotnetcore3.1", 1 },
	{ "ruby3.2", 1 },
	{ "ruby3.3", 0 },
	{ "ruby3.4", 0 },
	{ "provided", 1 },
	{ "provided.al2", 1 },
	{ "provided.al2023", 0 },
	{ "go1.x", 1 },
	{ "cobol1.0", 1 },      /* not a runtime at all */
};

START_TEST(test_runtime_table)
{
	char json[2048];
	const struct rt_case *c = &rt_cases[_i];
	size_t n;

	snprintf(json, sizeof(json), DOC(EAST "," FUNC("f", "{'runtime':'%s','handler':'index.handler'}")), c->runtime);
	n = pct_count_sq(json, "lambda-runtime-supported", "f", POL_MANDATORY);
	ck_assert_msg(n == (size_t)c->violations, "runtime %s: %zu violations, want %d", c->runtime, n, c->violations);
}
END_TEST

START_TEST(test_runtime_skips)
{
	/* Container images carry their own runtime. */
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'packageType':'Image','imageUri':'x.dkr.ecr/img:1'}")),
				"lambda-runtime-supported", "f", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'packageType':'Image','runtime':'python3.9'}")),
				"lambda-runtime-supported", "f", -1), 0);
	/* Unknown in preview: never a violation. */
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'runtime':'" U "'}")), "lambda-runtime-supported", "f", -1), 0);
	/* A secret runtime is still judged. */
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'runtime':" SECRET("'python3.9'") "}")),
				"lambda-runtime-supported", "f", POL_MANDATORY), 1);
}
END_TEST

START_TEST(test_runtime_knobs)
{
	/* An earlier evaluation date and no minimums: python3.9 was still supported in 2025. */
	ck_assert_uint_eq(pct_count_sq(DOCC("{'lambda-runtime-supported':{'asOfDate':'2025-06-01','minimumVersions':{}}}",
				     EAST "," FUNC("f", "{'runtime':'python3.9'}")),
				"lambda-runtime-supported", "f", -1), 0);
	/* ... but the python minimum alone still rejects it. */
	ck_assert_uint_eq(pct_count_sq(DOCC("{'lambda-runtime-supported':{'asOfDate':'2025-06-01'}}",
				     EAST "," FUNC("f", "{'runtime':'python3.9'}")),
				"lambda-runtime-supported", "f", -1), 1);
	/* A later date deprecates python3.11. */
	ck_assert_uint_eq(pct_count_sq(DOCC("{'lambda-runtime-supported':{'asOfDate':'2027-07-01'}}",
				     EAST "," FUNC("f", "{'runtime':'python3.11'}")),
				"lambda-runtime-supported", "f", -1), 1);
	/* allowedRuntimes is an allow-list. */
	ck_assert_uint_eq(pct_count_sq(DOCC("{'lambda-runtime-supported':{'allowedRuntimes':['python3.12','nodejs*']}}",
				     EAST "," FUNC("f", "{'runtime':'python3.11'}")),
				"lambda-runtime-supported", "f", -1), 1);
	ck_assert_uint_eq(pct_count_sq(DOCC("{'lambda-runtime-supported':{'allowedRuntimes':['python3.12','nodejs*']}}",
				     EAST "," FUNC("f", "{'runtime':'nodejs22.x'}")),
				"lambda-runtime-supported", "f", -1), 0);
	/* A stricter minimum. */
	ck_assert_uint_eq(pct_count_sq(DOCC("{'lambda-runtime-supported':{'minimumVersions':{'python':'3.12'}}}",
				     EAST "," FUNC("f", "{'runtime':'python3.11'}")),
				"lambda-runtime-supported", "f", -1), 1);
}
END_TEST

START_TEST(test_runtime_message)
{
	char *m = pct_message_sq(DOC(EAST "," FUNC("f", "{'runtime':'python3.9'}")), "lambda-runtime-supported");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "python3.9") && strstr(m, "2025-12-15") && strstr(m, "use \"python3."), "%s", m);
	free(m);
}
END_TEST

/* ---- lambda-runtime-deprecation-soon -------------------------------------------------- */

START_TEST(test_deprecation_soon)
{
	/* nodejs22.x ends 2027-04-30: within 180 days of the table date. */
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'runtime':'nodejs22.x'}")),
				"lambda-runtime-deprecation-soon", "f", POL_ADVISORY), 1);
	/* python3.11 ends 2027-06-30: just outside 180 days. */
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'runtime':'python3.11'}")),
				"lambda-runtime-deprecation-soon", "f", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOCC("{'lambda-runtime-deprecation-soon':{'warnWithinDays':365}}",
				     EAST "," FUNC("f", "{'runtime':'python3.11'}")),
				"lambda-runtime-deprecation-soon", "f", POL_ADVISORY), 1);
	/* Already deprecated is the other policy's business. */
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'runtime':'python3.9'}")),
				"lambda-runtime-deprecation-soon", "f", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'runtime':'python3.13'}")),
				"lambda-runtime-deprecation-soon", "f", -1), 0);
}
END_TEST

/* ---- lambda-xray-tracing-active ------------------------------------------------------- */

START_TEST(test_xray)
{
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'runtime':'python3.12'}")),
				"lambda-xray-tracing-active", "f", POL_MANDATORY), 1);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'tracingConfig':{'mode':'PassThrough'}}")),
				"lambda-xray-tracing-active", "f", POL_MANDATORY), 1);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'tracingConfig':{}}")),
				"lambda-xray-tracing-active", "f", POL_MANDATORY), 1);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'tracingConfig':{'mode':'Active'}}")),
				"lambda-xray-tracing-active", "f", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOCC("{'lambda-xray-tracing-active':{'allowPassThrough':true}}",
				     EAST "," FUNC("f", "{'tracingConfig':{'mode':'PassThrough'}}")),
				"lambda-xray-tracing-active", "f", -1), 0);
	/* Unknowns are not violations. */
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'tracingConfig':'" U "'}")),
				"lambda-xray-tracing-active", "f", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'tracingConfig':{'mode':'" U "'}}")),
				"lambda-xray-tracing-active", "f", -1), 0);
}
END_TEST

/* Remediate: tracingConfig becomes {mode: Active}; everything else is kept. */
START_TEST(test_xray_remediation)
{
	struct pct_run run;
	struct run_result res;
	char *j = pct_dq(DOCC("{'lambda-xray-tracing-active':{'enforcementLevel':'remediate'}}",
			 EAST "," FUNC("f", "{'runtime':'python3.12','memorySize':256,'tracingConfig':{'mode':'PassThrough'},"
					    "'environment':{'variables':{'K':" SECRET("'v'") "}}}")));
	const pv_value *p;
	const char *s;

	ck_assert_msg(pct_run_json(&run, j) == 0, "%s", run.err ? run.err : "?");
	run_result_init(&res);
	ck_assert_int_eq(run_remediate(pct_pack(), pack_snapshot(pct_pack()), &run.arena, &run.doc.inputs[1], &res), 0);
	ck_assert_uint_eq(res.n_rems, 1);
	p = res.rems[0].props;
	ck_assert_int_eq(pv_path_str(p, "tracingConfig.mode", &s), PV_OK);
	ck_assert_str_eq(s, "Active");
	ck_assert_int_eq(pv_path_str(p, "runtime", &s), PV_OK);
	ck_assert_str_eq(s, "python3.12");
	ck_assert(pv_is_secret(pv_path(p, "environment.variables.K")));
	ck_assert_ptr_nonnull(pv_get(p, "memorySize"));

	/* Already Active: nothing to remediate. */
	run_result_init(&res);
	pct_run_free(&run);
	free(j);
	j = pct_dq(DOCC("{'lambda-xray-tracing-active':{'enforcementLevel':'remediate'}}",
		   EAST "," FUNC("f", "{'tracingConfig':{'mode':'Active'}}")));
	ck_assert_msg(pct_run_json(&run, j) == 0, "%s", run.err ? run.err : "?");
	ck_assert_int_eq(run_remediate(pct_pack(), pack_snapshot(pct_pack()), &run.arena, &run.doc.inputs[1], &res), 0);
	ck_assert_uint_eq(res.n_rems, 0);
	pct_run_free(&run);
	free(j);
}
END_TEST

/* ---- lambda-no-reserved-env-vars ---------------------------------------------------------- */

START_TEST(test_reserved_env)
{
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'environment':{'variables':{'AWS_REGION':'us-east-1','TZ':'UTC','X':'1'}}}")),
				"lambda-no-reserved-env-vars", "f", POL_MANDATORY), 1);
	/* TZ is an unreserved variable (Lambda guide), commonly set to a local time zone. */
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'environment':{'variables':{'TZ':'Asia/Tokyo'}}}")),
				"lambda-no-reserved-env-vars", "f", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'environment':{'variables':{'TABLE_REGION':'us-east-1'}}}")),
				"lambda-no-reserved-env-vars", "f", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'environment':{'variables':'" U "'}}")),
				"lambda-no-reserved-env-vars", "f", -1), 0);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{'environment':{'variables':" SECRET("{'AWS_SECRET_ACCESS_KEY':'abc'}") "}}")),
				"lambda-no-reserved-env-vars", "f", POL_MANDATORY), 1);
	ck_assert_uint_eq(pct_count_sq(DOC(EAST "," FUNC("f", "{}")), "lambda-no-reserved-env-vars", "f", -1), 0);
}
END_TEST

START_TEST(test_reserved_env_no_secret_leak)
{
	char *m = pct_message_sq(DOC(EAST "," FUNC("f", "{'environment':{'variables':{'AWS_SECRET_ACCESS_KEY':" SECRET("'hunter2-very-secret'") "}}}")),
			  "lambda-no-reserved-env-vars");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(!strstr(m, "hunter2"), "secret leaked: %s", m);
	free(m);
}
END_TEST

/* ---- lambda-permission-source-restricted ---------------------------------------------------- */

#define PERMISSION(name, props) RES(PERM, name, "east", props)
#define PERMISSIOND(name, props, deps) RESD(PERM, name, "east", props, deps)
#define RULE_EAST(name, props) RES(RULE, name, "east", props)
#define RULE_WEST(name, props) RES(RULE, name, "west", props)
#define RULE_URN(name) "urn:pulumi:dev::p::" RULE "::" name
#define P_EVENTS "'action':'lambda:InvokeFunction','function':'fn','principal':'events.amazonaws.com'"
#define PSR "lambda-permission-source-restricted"

struct perm_case {
	const char *what;
	const char *json;
	int violations;
};

static const struct perm_case perm_cases[] = {
	{ "principal *", DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'*'}")), 1 },
	{ "principal * with principalOrgId",
	  DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'*','principalOrgId':'o-abc123'}")), 0 },
	{ "public function URL",
	  DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunctionUrl','function':'fn','principal':'*','functionUrlAuthType':'NONE'}")), 0 },
	{ "public function URL, knob off",
	  DOCC("{'" PSR "':{'allowPublicFunctionUrls':false}}",
	       EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunctionUrl','function':'fn','principal':'*'}")), 1 },
	{ "public function URL, InvokeFunction via the URL (required since 2025-10)",
	  DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'*','invokedViaFunctionUrl':true}")), 0 },
	{ "InvokeFunction via the URL, knob off",
	  DOCC("{'" PSR "':{'allowPublicFunctionUrls':false}}",
	       EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'*','invokedViaFunctionUrl':true}")), 1 },
	{ "InvokeFunction for * not limited to the URL",
	  DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'*','invokedViaFunctionUrl':false}")), 1 },
	{ "events without sourceArn", DOC(EAST "," PERMISSION("p", "{" P_EVENTS "}")), 1 },
	{ "events with only sourceAccount", DOC(EAST "," PERMISSION("p", "{" P_EVENTS ",'sourceAccount':'210987654321'}")), 1 },
	{ "s3 with only sourceAccount",
	  DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'s3.amazonaws.com','sourceAccount':'210987654321'}")), 0 },
	{ "sns without anything",
	  DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'sns.amazonaws.com'}")), 1 },
	{ "extra principal requiring sourceArn",
	  DOCC("{'" PSR "':{'extraPrincipalsRequiringSourceArn':['s3.amazonaws.com']}}",
	       EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'s3.amazonaws.com','sourceAccount':'210987654321'}")), 1 },
	{ "account principal is IAM's business",
	  DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'210987654321'}")), 0 },
	{ "unknown principal", DOC(EAST "," PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'" U "'}")), 0 },
	{ "sourceArn = rule.arn (unknown, dependency)",
	  DOC(EAST "," RULE_EAST("r", "{'name':'r-1a2b3c4','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSIOND("p", "{" P_EVENTS ",'sourceArn':'" U "'}", "{'sourceArn':['" RULE_URN("r") "']}")), 0 },
	{ "sourceArn unknown without dependency",
	  DOC(EAST "," PERMISSION("p", "{" P_EVENTS ",'sourceArn':'" U "'}")), 0 },
	{ "sourceArn = rule.arn of another region",
	  DOC(EAST "," WEST "," RULE_WEST("r", "{'name':'r-1a2b3c4','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSIOND("p", "{" P_EVENTS ",'sourceArn':'" U "'}", "{'sourceArn':['" RULE_URN("r") "']}")), 1 },
	{ "sourceArn from a non-source resource",
	  DOC(EAST "," RES("aws:cloudwatch/eventBus:EventBus", "bus", "east", "{'name':'bus'}") ","
	      PERMISSIOND("p", "{" P_EVENTS ",'sourceArn':'" U "'}", "{'sourceArn':['urn:pulumi:dev::p::aws:cloudwatch/eventBus:EventBus::bus']}")), 1 },
	{ "sourceArn through a component",
	  DOC(EAST "," PERMISSIOND("p", "{" P_EVENTS ",'sourceArn':'" U "'}", "{'sourceArn':['urn:pulumi:dev::p::acme:events:Pipeline::pipe']}")), 0 },
	{ "literal equal to the rule's known arn",
	  DOC(EAST "," RULE_EAST("r", "{'name':'orders','arn':'arn:aws:events:us-east-1:210987654321:rule/orders','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/orders'}")), 0 },
	{ "literal naming the rule (preview, arn unknown)",
	  DOC(EAST "," RULE_EAST("r", "{'name':'orders','arn':'" U "','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/orders'}")), 0 },
	{ "literal naming a rule on a custom bus",
	  DOC(EAST "," RULE_EAST("r", "{'name':'orders','eventBusName':'trading','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/trading/orders'}")), 0 },
	{ "literal missing the custom bus segment",
	  DOC(EAST "," RULE_EAST("r", "{'name':'orders','eventBusName':'trading','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/orders'}")), 1 },
	{ "literal with the auto-name suffix missing",
	  DOC(EAST "," RULE_EAST("r", "{'name':'orders-7c1d2e3','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/orders'}")), 1 },
	{ "literal with the logical name of an auto-named rule (no name output in preview)",
	  DOC(EAST "," RULE_EAST("orders", "{'arn':'" U "','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/orders'}")), 1 },
	{ "literal that may be the auto-name of a rule",
	  DOC(EAST "," RULE_EAST("orders", "{'arn':'" U "','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/orders-1a2b3c4'}")), 0 },
	{ "rule on the default bus spelled with a bus segment",
	  DOC(EAST "," RULE_EAST("r", "{'name':'orders','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/other-bus/orders'}")), 1 },
	{ "literal in the wrong region",
	  DOC(EAST "," RULE_EAST("r", "{'name':'orders','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-west-2:210987654321:rule/orders'}")), 1 },
	{ "literal while the rule name is unknown",
	  DOC(EAST "," RULE_EAST("r", "{'name':'" U "','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/orders'}")), 0 },
	{ "literal to a rule outside the stack, same region",
	  DOC(EAST "," PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/shared-orders'}")), 0 },
	{ "literal to a rule outside the stack, other region",
	  DOC(EAST "," PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:eu-west-1:210987654321:rule/shared-orders'}")), 1 },
	{ "wildcard rule",
	  DOC(EAST "," PERMISSION("p", "{" P_EVENTS ",'sourceArn':'arn:aws:events:us-east-1:210987654321:rule/*'}")), 1 },
	{ "not an ARN", DOC(EAST "," PERMISSION("p", "{" P_EVENTS ",'sourceArn':'orders-rule'}")), 1 },
	{ "s3 literal naming a bucket of the stack",
	  DOC(EAST "," RES("aws:s3/bucket:Bucket", "b", "east", "{'bucket':'acme-inbox'}") ","
	      PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'s3.amazonaws.com','sourceArn':'arn:aws:s3:::acme-inbox'}")), 0 },
	{ "s3 literal with the logical name of an auto-named bucket",
	  DOC(EAST "," RES("aws:s3/bucket:Bucket", "inbox", "east", "{}") ","
	      PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'s3.amazonaws.com','sourceArn':'arn:aws:s3:::inbox'}")), 1 },
	{ "s3 literal naming no bucket of the stack",
	  DOC(EAST "," RES("aws:s3/bucket:Bucket", "b", "east", "{'bucket':'acme-inbox-9f8e7d6'}") ","
	      PERMISSION("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'s3.amazonaws.com','sourceArn':'arn:aws:s3:::acme-inbox'}")), 1 },
	{ "sns topic in another region is fine",
	  DOC(EAST "," WEST "," RES("aws:sns/topic:Topic", "t", "west", "{'name':'alerts'}") ","
	      PERMISSIOND("p", "{'action':'lambda:InvokeFunction','function':'fn','principal':'sns.amazonaws.com','sourceArn':'" U "'}",
			  "{'sourceArn':['urn:pulumi:dev::p::aws:sns/topic:Topic::t']}")), 0 },
	{ "secret sourceArn naming no rule",
	  DOC(EAST "," RULE_EAST("r", "{'name':'orders-7c1d2e3','scheduleExpression':'rate(5 minutes)'}") ","
	      PERMISSION("p", "{" P_EVENTS ",'sourceArn':" SECRET("'arn:aws:events:us-east-1:210987654321:rule/orders'") "}")), 1 },
};

START_TEST(test_permission_cases)
{
	const struct perm_case *c = &perm_cases[_i];
	size_t n = pct_count_sq(c->json, PSR, "p", POL_MANDATORY);
	ck_assert_msg(n == (size_t)c->violations, "%s: %zu violations, want %d", c->what, n, c->violations);
}
END_TEST

START_TEST(test_permission_secret_not_quoted)
{
	char *m = pct_message_sq(DOC(EAST "," PERMISSION("p", "{" P_EVENTS ",'sourceArn':" SECRET("'arn:aws:events:us-east-1:210987654321:rule/hidden-name'") "}")
			      "," RULE_EAST("r", "{'name':'orders-7c1d2e3','scheduleExpression':'rate(5 minutes)'}")), PSR);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(!strstr(m, "hidden-name"), "secret leaked: %s", m);
	free(m);
}
END_TEST

/*
 * A stack of n EventBridge rules r<i> named "rule-<i>" in us-east-1 (r<west>
 * in us-west-2; r<unknown> with an unknown name when unknown < n) and one
 * permission p with a literal sourceArn. Large stacks take the indexed
 * paths of lambda-permission-source-restricted; small ones compare every
 * rule: both must judge the same way.
 */
static char *rule_stack(size_t n, size_t west, size_t unknown, const char *source_arn)
{
	size_t cap = 4096 + n * 320, len = 0;
	char *j = malloc(cap), *head = pct_dq("{" STACK ",'resources':[" EAST "," WEST);
	ck_assert_ptr_nonnull(j);
	len += (size_t)snprintf(j + len, cap - len, "%s", head);
	free(head);
	for (size_t i = 0; i < n; i++) {
		char name[64];
		if (i == unknown)
			snprintf(name, sizeof(name), "%s", U);
		else
			snprintf(name, sizeof(name), "rule-%zu", i);
		len += (size_t)snprintf(j + len, cap - len,
					",{\"type\":\"%s\",\"urn\":\"urn:pulumi:dev::p::%s::r%zu\",\"name\":\"r%zu\","
					"\"provider\":\"%s\",\"properties\":{\"name\":\"%s\","
					"\"scheduleExpression\":\"rate(5 minutes)\"}}",
					RULE, RULE, i, i, i == west ? PURN("west") : PURN("east"), name);
	}
	len += (size_t)snprintf(j + len, cap - len,
				",{\"type\":\"%s\",\"urn\":\"urn:pulumi:dev::p::%s::p\",\"name\":\"p\",\"provider\":\"%s\","
				"\"properties\":{\"action\":\"lambda:InvokeFunction\",\"function\":\"fn\","
				"\"principal\":\"events.amazonaws.com\",\"sourceArn\":\"%s\"}}]}",
				PERM, PERM, PURN("east"), source_arn);
	ck_assert_uint_lt(len, cap);
	return j;
}

/* Diagnostics of lambda-permission-source-restricted on p, and the first message (caller frees). */
static size_t rule_stack_run(char *json, char **msg)
{
	struct pct_run run;
	size_t n = 0;
	*msg = NULL;
	ck_assert_msg(pct_run_json(&run, json) == 0, "fixture: %s", run.err ? run.err : "?");
	for (size_t i = 0; i < run.n; i++)
		if (strcmp(run.d[i].policy, PSR) == 0 && strstr(run.d[i].urn, "::p") && run.d[i].level == POL_MANDATORY) {
			if (!n++)
				*msg = strdup(run.d[i].message);
		}
	pct_run_free(&run);
	free(json);
	return n;
}

#define ARN_E "arn:aws:events:us-east-1:210987654321:rule/"
#define ARN_W "arn:aws:events:us-west-2:210987654321:rule/"

START_TEST(test_permission_many_rules)
{
	static const size_t sizes[] = { 6, 300 };   /* every rule compared / index and substring probes */
	for (size_t k = 0; k < 2; k++) {
		size_t n = sizes[k], west = n == 6 ? 2 : 250;
		char *m, want[128];

		/* The literal names a rule of the stack: nothing to say. */
		snprintf(want, sizeof(want), ARN_E "rule-%zu", n - 1);
		ck_assert_uint_eq(rule_stack_run(rule_stack(n, west, SIZE_MAX, want), &m), 0);
		/* Right name, wrong region: names no rule. */
		snprintf(want, sizeof(want), ARN_W "rule-%zu", n - 1);
		ck_assert_uint_eq(rule_stack_run(rule_stack(n, west, SIZE_MAX, want), &m), 1);
		free(m);
		/*
		 * Names no rule: the example is the first rule whose name occurs in
		 * the ARN and that is in the ARN's region (rule-2 and rule-25 occur
		 * too, but in us-east-1).
		 */
		snprintf(want, sizeof(want), ARN_W "rule-%zu-v2", west);
		ck_assert_uint_eq(rule_stack_run(rule_stack(n, west, SIZE_MAX, want), &m), 1);
		snprintf(want, sizeof(want), "(%zu present, e.g. r%zu = ", n, west);
		ck_assert_msg(m && strstr(m, want), "%zu rules: want \"%s\" in: %s", n, want, m ? m : "(none)");
		free(m);
		/* No name occurs: the first rule in the ARN's region. */
		ck_assert_uint_eq(rule_stack_run(rule_stack(n, west, SIZE_MAX, ARN_W "zzz"), &m), 1);
		snprintf(want, sizeof(want), "e.g. r%zu = ", west);
		ck_assert_msg(m && strstr(m, want), "%zu rules: want \"%s\" in: %s", n, want, m ? m : "(none)");
		free(m);
		/* Neither: the first rule. */
		ck_assert_uint_eq(rule_stack_run(rule_stack(n, west, SIZE_MAX, "arn:aws:events:eu-west-1:210987654321:rule/zzz"), &m), 1);
		ck_assert_msg(m && strstr(m, "e.g. r0 = "), "%zu rules: want r0 in: %s", n, m ? m : "(none)");
		free(m);
		/* One rule's name is unknown: it may be the one named, so no verdict. */
		ck_assert_uint_eq(rule_stack_run(rule_stack(n, west, 1, ARN_E "rule-9999"), &m), 0);
		/* An ARN with a bus segment never names a rule of the default bus. */
		ck_assert_uint_eq(rule_stack_run(rule_stack(n, west, SIZE_MAX, ARN_E "orders/rule-1"), &m), 1);
		free(m);
	}
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("lambda");
	TCase *tc;
	SRunner *sr;
	int failed;

	tc = tcase_create("runtime");
	tcase_add_loop_test(tc, test_runtime_table, 0, N(rt_cases));
	tcase_add_test(tc, test_runtime_skips);
	tcase_add_test(tc, test_runtime_knobs);
	tcase_add_test(tc, test_runtime_message);
	tcase_add_test(tc, test_deprecation_soon);
	suite_add_tcase(s, tc);

	tc = tcase_create("xray");
	tcase_add_test(tc, test_xray);
	tcase_add_test(tc, test_xray_remediation);
	suite_add_tcase(s, tc);

	tc = tcase_create("env");
	tcase_add_test(tc, test_reserved_env);
	tcase_add_test(tc, test_reserved_env_no_secret_leak);
	suite_add_tcase(s, tc);

	tc = tcase_create("permission");
	tcase_add_loop_test(tc, test_permission_cases, 0, N(perm_cases));
	tcase_add_test(tc, test_permission_secret_not_quoted);
	tcase_add_test(tc, test_permission_many_rules);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
