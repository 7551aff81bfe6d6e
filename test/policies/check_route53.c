/*
 * check_route53.c - edge cases of the route53 family: record grouping
 * (zones by id or dependency, relative names), weighted DR intent versus
 * active-active weights, failover set shape, health checks on load-balancer
 * DNS names (known and preview), alarm regions, unknowns and knobs.
 *
 * Fixture JSON is written with single quotes and converted by fx().
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define PURN(p) "urn:pulumi:dev::dns::pulumi:providers:aws::" p
#define PROVIDERS \
	"{'type':'pulumi:providers:aws','urn':'" PURN("use1") "','name':'use1','properties':{'region':'us-east-1'}}," \
	"{'type':'pulumi:providers:aws','urn':'" PURN("usw2") "','name':'usw2','properties':{'region':'us-west-2'}}"
#define URN(type, name) "urn:pulumi:dev::dns::" type "::" name
#define RES(type, name, prov, props, extra) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) "','properties':" props extra "}"

#define REC "aws:route53/record:Record"
#define HC "aws:route53/healthCheck:HealthCheck"
#define ZONE "aws:route53/zone:Zone"
#define ALARM "aws:cloudwatch/metricAlarm:MetricAlarm"
#define ALB_E "web-1.us-east-1.elb.amazonaws.com"
#define ALB_W "web-2.us-west-2.elb.amazonaws.com"
#define ZONE_RES RES(ZONE, "zone", "use1", "{'name':'northwind.io','zoneId':'" U "'}", "")
#define ZDEP ",'propertyDependencies':{'zoneId':['" URN(ZONE, "zone") "']}"
/* A record in the zone above: name, then its routing members. */
#define RREC(rname, name, members) RES(REC, rname, "use1", "{'zoneId':'" U "','name':'" name "','type':'A'," members "}", ZDEP)
#define ALIAS(dns, eth) "'aliases':[{'name':'" dns "','zoneId':'Z35SXDOTRQ7X7K','evaluateTargetHealth':" eth "}]"

static const char *fx(const char *config, const char *resources)
{
	return pct_doc_sq("dns", config, PROVIDERS, resources);
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

#define FR "route53-failover-routing"
#define HV "route53-health-check-valid"

/* ---- route53-failover-routing --------------------------------------------- */

START_TEST(weighted_dr_intent)
{
	/* Keywords in setIdentifier, equal weights. */
	EXPECT(2, NULL, ZONE_RES ","
	       RREC("a", "api", "'setIdentifier':'primary','weightedRoutingPolicies':[{'weight':50}]," ALIAS(ALB_E, "true")) ","
	       RREC("b", "api", "'setIdentifier':'secondary','weightedRoutingPolicies':[{'weight':50}]," ALIAS(ALB_W, "true")),
	       FR, NULL);
	/* Zero weight marks a standby, whatever the names; camelCase logical names. */
	EXPECT(2, NULL, ZONE_RES ","
	       RREC("apiMain", "api", "'setIdentifier':'one','weightedRoutingPolicies':[{'weight':100}]," ALIAS(ALB_E, "true")) ","
	       RREC("apiOther", "api.northwind.io.", "'setIdentifier':'two','weightedRoutingPolicies':[{'weight':0}]," ALIAS(ALB_W, "true")),
	       FR, NULL);
	EXPECT(1, NULL, ZONE_RES ","
	       RREC("apiMain", "api", "'setIdentifier':'one','weightedRoutingPolicies':[{'weight':100}]," ALIAS(ALB_E, "true")) ","
	       RREC("apiDr", "api", "'setIdentifier':'two','weightedRoutingPolicies':[{'weight':'" U "'}]," ALIAS(ALB_W, "true")),
	       FR, "apiDr");
	/* Active-active blue/green weights are a legitimate use of weighted routing. */
	EXPECT(0, NULL, ZONE_RES ","
	       RREC("blue", "api", "'setIdentifier':'blue','weightedRoutingPolicies':[{'weight':90}]," ALIAS(ALB_E, "true")) ","
	       RREC("green", "api", "'setIdentifier':'green','weightedRoutingPolicies':[{'weight':10}]," ALIAS(ALB_W, "true")),
	       FR, NULL);
	/* A zero weight within one region is a blue/green cut-over, not a standby. */
	EXPECT(0, NULL, ZONE_RES ","
	       RREC("blue", "api", "'setIdentifier':'blue','weightedRoutingPolicies':[{'weight':100}]," ALIAS(ALB_E, "true")) ","
	       RREC("green", "api", "'setIdentifier':'green','weightedRoutingPolicies':[{'weight':0}]," ALIAS("web-9.us-east-1.elb.amazonaws.com", "true")),
	       FR, NULL);
	/* ... and with targets of unknown region (preview) the zero weight alone proves nothing. */
	EXPECT(0, NULL, ZONE_RES ","
	       RREC("one", "api", "'setIdentifier':'one','weightedRoutingPolicies':[{'weight':100}],'aliases':[{'name':'" U "','zoneId':'" U "','evaluateTargetHealth':true}]") ","
	       RREC("two", "api", "'setIdentifier':'two','weightedRoutingPolicies':[{'weight':0}],'aliases':[{'name':'" U "','zoneId':'" U "','evaluateTargetHealth':true}]"),
	       FR, NULL);
	/* A keyword every record carries names the service, not a role. */
	EXPECT(0, NULL, ZONE_RES ","
	       RREC("backup-api-1", "backup", "'setIdentifier':'node-1','weightedRoutingPolicies':[{'weight':50}]," ALIAS(ALB_E, "true")) ","
	       RREC("backup-api-2", "backup", "'setIdentifier':'node-2','weightedRoutingPolicies':[{'weight':50}]," ALIAS(ALB_W, "true")),
	       FR, NULL);
	/* ... but a role keyword on one record still counts. */
	EXPECT(2, NULL, ZONE_RES ","
	       RREC("backup-api-1", "backup", "'setIdentifier':'primary','weightedRoutingPolicies':[{'weight':50}]," ALIAS(ALB_E, "true")) ","
	       RREC("backup-api-2", "backup", "'setIdentifier':'node-2','weightedRoutingPolicies':[{'weight':50}]," ALIAS(ALB_W, "true")),
	       FR, NULL);
	/* "address"/"drain" are not the keyword "dr". */
	EXPECT(0, NULL, ZONE_RES ","
	       RREC("address", "api", "'setIdentifier':'drain-a','weightedRoutingPolicies':[{'weight':90}]," ALIAS(ALB_E, "true")) ","
	       RREC("other", "api", "'setIdentifier':'b','weightedRoutingPolicies':[{'weight':10}]," ALIAS(ALB_W, "true")),
	       FR, NULL);
	/* Knob: custom keywords. */
	EXPECT(2, "{'route53-failover-routing':{'drIntentKeywords':['blue']}}", ZONE_RES ","
	       RREC("blue", "api", "'setIdentifier':'blue','weightedRoutingPolicies':[{'weight':90}]," ALIAS(ALB_E, "true")) ","
	       RREC("green", "api", "'setIdentifier':'green','weightedRoutingPolicies':[{'weight':10}]," ALIAS(ALB_W, "true")),
	       FR, NULL);
}
END_TEST

START_TEST(failover_set_shape)
{
	const char *ok = ZONE_RES ","
		RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true")) ","
		RREC("s", "api", "'setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}]," ALIAS(ALB_W, "false"));
	EXPECT(0, NULL, ok, FR, NULL);
	/* Only a PRIMARY; allowed by the knob. */
	EXPECT(1, NULL, ZONE_RES "," RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true")), FR, "p");
	EXPECT(0, "{'route53-failover-routing':{'allowPartialFailoverGroups':true}}",
	       ZONE_RES "," RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true")), FR, "p");
	/* Two PRIMARY records. */
	EXPECT(2, NULL, ZONE_RES ","
	       RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true")) ","
	       RREC("s", "api", "'setIdentifier':'s','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_W, "true")),
	       FR, NULL);
	/* Missing setIdentifier; PRIMARY with neither health check nor evaluateTargetHealth. */
	EXPECT(1, NULL, ZONE_RES ","
	       RREC("p", "api", "'failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true")) ","
	       RREC("s", "api", "'setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}]," ALIAS(ALB_W, "false")),
	       FR, "p");
	EXPECT(1, NULL, ZONE_RES ","
	       RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "false")) ","
	       RREC("s", "api", "'setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}]," ALIAS(ALB_W, "false")),
	       FR, "p");
	/* A health check id unknown in preview counts as set. */
	EXPECT(0, NULL, ZONE_RES ","
	       RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}],'healthCheckId':'" U "','ttl':60,'records':['10.0.0.1']") ","
	       RREC("s", "api", "'setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}],'ttl':60,'records':['10.0.0.2']"),
	       FR, NULL);
	/* An alias element built from an Output is unknown as a whole in preview: it may evaluate target health. */
	EXPECT(0, NULL, ZONE_RES ","
	       RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}],'aliases':['" U "']") ","
	       RREC("s", "api", "'setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}]," ALIAS(ALB_W, "false")),
	       FR, NULL);
	EXPECT(0, NULL, ZONE_RES ","
	       RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}],'aliases':'" U "'") ","
	       RREC("s", "api", "'setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}]," ALIAS(ALB_W, "false")),
	       FR, NULL);
	/* requireSecondaryHealthCheck. */
	EXPECT(1, "{'route53-failover-routing':{'requireSecondaryHealthCheck':true}}", ok, FR, "s");
	/* Mixed routing policies in one set. */
	EXPECT(1, NULL, ZONE_RES ","
	       RREC("p", "api", "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true")) ","
	       RREC("s", "api", "'setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}]," ALIAS(ALB_W, "false")) ","
	       RREC("plain", "api", ALIAS(ALB_W, "false")),
	       FR, "plain");
}
END_TEST

START_TEST(grouping)
{
	/* Same name in two different zones: two separate one-record sets (each incomplete). */
	EXPECT(2, NULL,
	       RES(REC, "p", "use1", "{'zoneId':'Z111111AAAAAA','name':'api.northwind.io','type':'A','setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true") "}", "") ","
	       RES(REC, "s", "use1", "{'zoneId':'Z222222BBBBBB','name':'api.northwind.io','type':'A','setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}]," ALIAS(ALB_W, "true") "}", ""),
	       FR, NULL);
	/* A known zone id that belongs to a zone of the stack groups with records linked by dependency. */
	EXPECT(0, NULL,
	       RES(ZONE, "zone", "use1", "{'name':'northwind.io','zoneId':'Z0333CCCCCC'}", "") ","
	       RES(REC, "p", "use1", "{'zoneId':'Z0333CCCCCC','name':'api','type':'A','setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true") "}", "") ","
	       RES(REC, "s", "use1", "{'zoneId':'" U "','name':'api.northwind.io','type':'A','setIdentifier':'s','failoverRoutingPolicies':[{'type':'SECONDARY'}]," ALIAS(ALB_W, "true") "}", ZDEP),
	       FR, NULL);
	/* Unknown name: not grouped, not judged. */
	EXPECT(0, NULL, ZONE_RES "," RREC("p", U, "'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}]," ALIAS(ALB_E, "true")), FR, NULL);
}
END_TEST

/* ---- route53-health-check-valid ------------------------------------------- */

#define HC_ALB(fqdn, extra) RES(HC, "hc", "use1", "{'type':'HTTPS','fqdn':'" fqdn "','port':443,'resourcePath':'/health','failureThreshold':3,'requestInterval':30}", extra)
#define HC_USER(members) RES(REC, "p", "use1", "{'zoneId':'Z0444DDDD','name':'api.northwind.io','type':'CNAME','ttl':60,'records':['" ALB_E "'],'setIdentifier':'p','failoverRoutingPolicies':[{'type':'PRIMARY'}],'healthCheckId':'" U "'" members "}", \
				 ",'propertyDependencies':{'healthCheckId':['" URN(HC, "hc") "']}")

START_TEST(health_check_on_alb_dns)
{
	EXPECT(1, NULL, HC_ALB(ALB_E, "") "," HC_USER(""), HV, "hc");
	EXPECT(1, NULL, HC_ALB("dualstack.web-1.us-east-1.elb.amazonaws.com", "") "," HC_USER(""), HV, "hc");
	/* Monitoring only (no record uses it): fine. */
	EXPECT(0, NULL, HC_ALB(ALB_E, ""), HV, "hc");
	/* Stable application endpoint: fine. */
	EXPECT(0, NULL, HC_ALB("status.northwind.io", "") "," HC_USER(""), HV, "hc");
	/* Preview: fqdn unknown, linked to a load balancer. */
	EXPECT(1, NULL, RES("aws:lb/loadBalancer:LoadBalancer", "alb", "use1", "{'loadBalancerType':'application'}", "") ","
	       HC_ALB(U, ",'propertyDependencies':{'fqdn':['" URN("aws:lb/loadBalancer:LoadBalancer", "alb") "']}") "," HC_USER(""), HV, "hc");
	/* Preview: fqdn unknown without a link: not judged. */
	EXPECT(0, NULL, HC_ALB(U, "") "," HC_USER(""), HV, "hc");
	/* Linked by id value (update). */
	EXPECT(1, NULL, RES(HC, "hc", "use1", "{'type':'HTTP','fqdn':'" ALB_E "','port':80,'resourcePath':'/','id':'0c9b4a1e-hc'}", "") ","
	       RES(REC, "p", "use1", "{'zoneId':'Z0444DDDD','name':'api','type':'CNAME','ttl':60,'records':['" ALB_E "'],'healthCheckId':'0c9b4a1e-hc'}", ""), HV, "hc");
}
END_TEST

START_TEST(health_check_shapes)
{
	EXPECT(1, NULL, RES(HC, "hc", "use1", "{'type':'HTTPS','port':443,'resourcePath':'/'}", ""), HV, "hc");
	EXPECT(0, NULL, RES(HC, "hc", "use1", "{'type':'HTTPS','ipAddress':'203.0.113.10','port':443,'resourcePath':'/'}", ""), HV, "hc");
	EXPECT(1, NULL, RES(HC, "hc", "use1", "{'type':'HTTPS_STR_MATCH','fqdn':'api.northwind.io','port':443}", ""), HV, "hc");
	EXPECT(1, NULL, RES(HC, "hc", "use1", "{'type':'TCP','fqdn':'db.northwind.io'}", ""), HV, "hc");
	EXPECT(1, NULL, RES(HC, "hc", "use1", "{'type':'CALCULATED','childHealthThreshold':1}", ""), HV, "hc");
	EXPECT(0, NULL, RES(HC, "hc", "use1", "{'type':'CALCULATED','childHealthThreshold':1,'childHealthchecks':['" U "']}", ""), HV, "hc");
	EXPECT(1, NULL, RES(HC, "hc", "use1", "{'type':'CLOUDWATCH_METRIC','cloudwatchAlarmName':'api-5xx'}", ""), HV, "hc");
	/* Alarm region mismatch (alarm found by name). */
	EXPECT(1, NULL, RES(ALARM, "api-5xx", "usw2", "{'name':'api-5xx','namespace':'AWS/ApplicationELB','metricName':'HTTPCode_ELB_5XX_Count'}", "") ","
	       RES(HC, "hc", "use1", "{'type':'CLOUDWATCH_METRIC','cloudwatchAlarmName':'api-5xx','cloudwatchAlarmRegion':'us-east-1','insufficientDataHealthStatus':'Unhealthy'}", ""), HV, "hc");
	EXPECT(0, NULL, RES(ALARM, "api-5xx", "usw2", "{'name':'api-5xx','namespace':'AWS/ApplicationELB','metricName':'HTTPCode_ELB_5XX_Count'}", "") ","
	       RES(HC, "hc", "use1", "{'type':'CLOUDWATCH_METRIC','cloudwatchAlarmName':'api-5xx','cloudwatchAlarmRegion':'us-west-2','insufficientDataHealthStatus':'Unhealthy'}", ""), HV, "hc");
	EXPECT(0, NULL, RES(HC, "hc", "use1", "{'type':'" U "'}", ""), HV, "hc");
}
END_TEST

START_TEST(route53_metric_alarms)
{
	EXPECT(1, NULL, RES(ALARM, "hc-alarm", "usw2", "{'namespace':'AWS/Route53','metricName':'HealthCheckStatus','dimensions':{'HealthCheckId':'" U "'}}", ""), HV, "hc-alarm");
	EXPECT(0, NULL, RES(ALARM, "hc-alarm", "use1", "{'namespace':'AWS/Route53','metricName':'HealthCheckStatus','dimensions':{'HealthCheckId':'" U "'}}", ""), HV, "hc-alarm");
	/* v7 region input overrides the provider. */
	EXPECT(0, NULL, RES(ALARM, "hc-alarm", "usw2", "{'region':'us-east-1','namespace':'AWS/Route53','metricName':'HealthCheckStatus'}", ""), HV, "hc-alarm");
	/* Metric math. */
	EXPECT(1, NULL, RES(ALARM, "hc-alarm", "usw2", "{'metricQueries':[{'id':'m1','returnData':true,'metric':{'namespace':'AWS/Route53','metricName':'HealthCheckPercentageHealthy','period':60,'stat':'Average'}}]}", ""), HV, "hc-alarm");
	EXPECT(0, NULL, RES(ALARM, "other", "usw2", "{'namespace':'AWS/Lambda','metricName':'Errors'}", ""), HV, "other");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("route53");
	TCase *tc = tcase_create("policies");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, weighted_dr_intent);
	tcase_add_test(tc, failover_set_shape);
	tcase_add_test(tc, grouping);
	tcase_add_test(tc, health_check_on_alb_dns);
	tcase_add_test(tc, health_check_shapes);
	tcase_add_test(tc, route53_metric_alarms);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
