/*
 * check_elb.c - edge cases of the elb family: internet-facing balancers and
 * their security groups (inline, standalone rules, links by dependency and by
 * ID, knobs, unknowns), HTTP redirects (internal balancers, action shapes),
 * and listener TLS (placeholders, regions of ARNs and certificate resources,
 * IAM certificates, TLS policies, listener certificates).
 *
 * Fixture JSON is written with single quotes and turned into JSON by fx().
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define PURN(p) "urn:pulumi:prod::web::pulumi:providers:aws::" p
#define PROVIDERS \
	"{'type':'pulumi:providers:aws','urn':'" PURN("use1") "','name':'use1','properties':{'region':'us-east-1','defaultTags':'{\\'tags\\':{\\'team\\':\\'web\\'}}'}}," \
	"{'type':'pulumi:providers:aws','urn':'" PURN("euw1") "','name':'euw1','properties':{'region':'eu-west-1','defaultTags':'{\\'tags\\':{\\'team\\':\\'web\\'}}'}}"
#define URN(type, name) "urn:pulumi:prod::web::" type "::" name
#define RESP(type, name, prov, props, extra) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) "','properties':" props extra "}"
#define RES(type, name, props, extra) RESP(type, name, "use1", props, extra)
#define DEPS(prop, type, name) ",'propertyDependencies':{'" prop "':['" URN(type, name) "']}"
#define DEPS2(p1, t1, n1, p2, t2, n2) ",'propertyDependencies':{'" p1 "':['" URN(t1, n1) "'],'" p2 "':['" URN(t2, n2) "']}"

#define LB "aws:lb/loadBalancer:LoadBalancer"
#define ALB "aws:alb/loadBalancer:LoadBalancer"
#define LST "aws:lb/listener:Listener"
#define LCERT "aws:lb/listenerCertificate:ListenerCertificate"
#define SG "aws:ec2/securityGroup:SecurityGroup"
#define SGR "aws:ec2/securityGroupRule:SecurityGroupRule"
#define SGI "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
#define CERT "aws:acm/certificate:Certificate"
#define VAL "aws:acm/certificateValidation:CertificateValidation"

#define P_PUB "alb-internet-facing-restricted"
#define P_HTTP "alb-http-redirects-to-https"
#define P_TLS "alb-listener-tls"

static char *fx_buf;

static const char *fx(const char *config, const char *resources)
{
	size_t n = strlen(resources) + (config ? strlen(config) : 0) + 4096;
	free(fx_buf);
	fx_buf = malloc(n);
	ck_assert_ptr_nonnull(fx_buf);
	snprintf(fx_buf, n, "{'title':'t','stack':{'stack':'prod','project':'web','dryRun':true,"
		 "'config':{'aws:region':'us-east-1'}},%s%s%s'resources':[" PROVIDERS ",%s]}",
		 config ? "'config':" : "", config ? config : "", config ? "," : "", resources);
	for (char *p = fx_buf; *p; p++)
		if (*p == '\'')
			*p = '"';
	return fx_buf;
}

static struct pct_run run;

static size_t count(const char *config, const char *resources, const char *policy, const char *name)
{
	char urn[256];
	int rc;

	pct_run_free(&run);
	rc = pct_run_json(&run, fx(config, resources));
	ck_assert_msg(rc == 0, "fixture failed to load: %s", run.err ? run.err : "?");
	if (name)
		snprintf(urn, sizeof(urn), "::%s", name);
	return pct_count(&run, policy, name ? urn : NULL, -1);
}

#define EXPECT(n, config, res, policy, name) \
	do { \
		size_t got_ = count(config, res, policy, name); \
		ck_assert_msg(got_ == (size_t)(n), "%s on %s: expected %d, got %zu:%s", policy, \
			      name ? name : "*", (int)(n), got_, pct_describe(&run)); \
	} while (0)

static int any_message_contains(const char *needle)
{
	for (size_t i = 0; i < run.n; i++)
		if (run.d[i].message && strstr(run.d[i].message, needle))
			return 1;
	return 0;
}

/* ---- alb-internet-facing-restricted ---------------------------------------------- */

#define OPEN_SG RES(SG, "sg", "{'ingress':[{'protocol':'tcp','fromPort':443,'toPort':443,'cidrBlocks':['0.0.0.0/0']}]}", "")
#define CF_SG RES(SG, "sg", "{'ingress':[{'protocol':'tcp','fromPort':443,'toPort':443,'prefixListIds':['pl-3b927c52']}]}", "")
#define LB_WITH(type, name, props) RES(type, name, props, DEPS("securityGroups", SG, "sg"))

START_TEST(public_lb)
{
	EXPECT(1, NULL, OPEN_SG "," LB_WITH(LB, "lb", "{'internal':false,'securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(1, NULL, OPEN_SG "," LB_WITH(ALB, "lb", "{'securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(1, NULL, OPEN_SG "," LB_WITH(LB, "lb", "{'internal':'false','securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(0, NULL, CF_SG "," LB_WITH(LB, "lb", "{'internal':false,'securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(0, NULL, OPEN_SG "," LB_WITH(LB, "lb", "{'internal':true,'securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(0, NULL, OPEN_SG "," LB_WITH(LB, "lb", "{'internal':false,'loadBalancerType':'gateway'}"), P_PUB, "lb");
	/* Knobs. */
	EXPECT(0, "{'" P_PUB "':{'allowInternetFacing':true}}", OPEN_SG "," LB_WITH(LB, "lb", "{'securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(0, "{'" P_PUB "':{'allowedPublicLoadBalancers':['public-*']}}", OPEN_SG "," LB_WITH(LB, "lb", "{'name':'public-site','securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(1, "{'" P_PUB "':{'allowedPublicLoadBalancers':['public-*']}}", OPEN_SG "," LB_WITH(LB, "lb", "{'name':'api','securityGroups':['" U "']}"), P_PUB, "lb");
	/* Unknown `internal`: not judged. */
	EXPECT(0, NULL, OPEN_SG "," LB_WITH(LB, "lb", "{'internal':'" U "','securityGroups':['" U "']}"), P_PUB, "lb");
	ck_assert_uint_ge(pct_count_na(&run, P_PUB), 1);
}
END_TEST

START_TEST(public_lb_rules_and_links)
{
	/* Standalone rules linked to the group. */
	EXPECT(1, NULL, RES(SG, "sg", "{'ingress':[]}", "") ","
	       RES(SGR, "r", "{'type':'ingress','protocol':'tcp','fromPort':443,'toPort':443,'cidrBlocks':['0.0.0.0/0'],'securityGroupId':'" U "'}", DEPS("securityGroupId", SG, "sg")) ","
	       LB_WITH(LB, "lb", "{'securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(0, NULL, RES(SG, "sg", "{'ingress':[]}", "") ","
	       RES(SGR, "r", "{'type':'egress','protocol':'-1','fromPort':0,'toPort':0,'cidrBlocks':['0.0.0.0/0'],'securityGroupId':'" U "'}", DEPS("securityGroupId", SG, "sg")) ","
	       LB_WITH(LB, "lb", "{'securityGroups':['" U "']}"), P_PUB, "lb");
	EXPECT(1, NULL, RES(SG, "sg", "{}", "") ","
	       RES(SGI, "r", "{'ipProtocol':'tcp','fromPort':443,'toPort':443,'cidrIpv6':'::/0','securityGroupId':'" U "'}", DEPS("securityGroupId", SG, "sg")) ","
	       LB_WITH(LB, "lb", "{'securityGroups':['" U "']}"), P_PUB, "lb");
	ck_assert(any_message_contains("::/0"));
	/* A rule of another group does not count. */
	EXPECT(0, NULL, RES(SG, "sg", "{}", "") "," RES(SG, "other", "{}", "") ","
	       RES(SGI, "r", "{'ipProtocol':'tcp','fromPort':443,'toPort':443,'cidrIpv4':'0.0.0.0/0','securityGroupId':'" U "'}", DEPS("securityGroupId", SG, "other")) ","
	       LB_WITH(LB, "lb", "{'securityGroups':['" U "']}"), P_PUB, "lb");
	/* Links by ID after deployment (no property dependencies). */
	EXPECT(1, NULL, RES(SG, "sg", "{'id':'sg-0123456789abcdef0','ingress':[{'protocol':'tcp','fromPort':80,'toPort':80,'cidrBlocks':['0.0.0.0/0']}]}", "") ","
	       RES(SGR, "r", "{'type':'ingress','protocol':'tcp','fromPort':443,'toPort':443,'ipv6CidrBlocks':['::/0'],'securityGroupId':'sg-0123456789abcdef0'}", "") ","
	       RES(LB, "lb", "{'internal':false,'securityGroups':['sg-0123456789abcdef0']}", ""), P_PUB, "lb");
	/* Groups outside the stack cannot be judged; unknown IDs without dependencies are unknown. */
	EXPECT(0, NULL, RES(LB, "lb", "{'internal':false,'securityGroups':['sg-0fedcba9876543210']}", ""), P_PUB, "lb");
	EXPECT(0, NULL, RES(LB, "lb", "{'internal':false,'securityGroups':['" U "']}", ""), P_PUB, "lb");
	ck_assert_uint_ge(pct_count_na(&run, P_PUB), 1);
	/* An unknown CIDR in the group: not a violation. */
	EXPECT(0, NULL, RES(SG, "sg", "{'ingress':[{'protocol':'tcp','fromPort':443,'toPort':443,'cidrBlocks':['" U "']}]}", "") ","
	       LB_WITH(LB, "lb", "{'securityGroups':['" U "']}"), P_PUB, "lb");
}
END_TEST

/* ---- alb-http-redirects-to-https -------------------------------------------------------- */

#define PUBLIC_LB RES(LB, "lb", "{'internal':false}", "")
#define INTERNAL_LB RES(LB, "lb", "{'internal':true}", "")
#define HTTP_L(actions) RES(LST, "l", "{'loadBalancerArn':'" U "','port':80,'protocol':'HTTP','defaultActions':" actions "}", DEPS("loadBalancerArn", LB, "lb"))
#define REDIRECT(proto) "[{'type':'redirect','redirect':{" proto "'port':'443','statusCode':'HTTP_301'}}]"
#define FORWARD "[{'type':'forward','targetGroupArn':'" U "'}]"

START_TEST(http_redirect)
{
	EXPECT(0, NULL, PUBLIC_LB "," HTTP_L(REDIRECT("'protocol':'HTTPS',")), P_HTTP, "l");
	EXPECT(1, NULL, PUBLIC_LB "," HTTP_L(FORWARD), P_HTTP, "l");
	ck_assert(any_message_contains("\"forward\""));
	EXPECT(1, NULL, PUBLIC_LB "," HTTP_L(REDIRECT("")), P_HTTP, "l");
	EXPECT(1, NULL, PUBLIC_LB "," HTTP_L(REDIRECT("'protocol':'HTTP',")), P_HTTP, "l");
	/* List-shaped redirect block, lower-case protocol. */
	EXPECT(0, NULL, PUBLIC_LB "," HTTP_L("[{'type':'redirect','redirect':[{'protocol':'https','port':'443','statusCode':'HTTP_302'}]}]"), P_HTTP, "l");
	EXPECT(0, NULL, PUBLIC_LB "," HTTP_L("[{'type':'fixed-response','fixedResponse':{'contentType':'text/plain','statusCode':'403'}}]"), P_HTTP, "l");
	/* Absent protocol means HTTP. */
	EXPECT(1, NULL, PUBLIC_LB "," RES(LST, "l", "{'loadBalancerArn':'" U "','port':80,'defaultActions':" FORWARD "}", DEPS("loadBalancerArn", LB, "lb")), P_HTTP, "l");
	/* Internal balancers are exempt unless includeInternal. */
	EXPECT(0, NULL, INTERNAL_LB "," HTTP_L(FORWARD), P_HTTP, "l");
	EXPECT(1, "{'" P_HTTP "':{'includeInternal':true}}", INTERNAL_LB "," HTTP_L(FORWARD), P_HTTP, "l");
	/* Balancer outside the stack: judged. NLB listeners: not HTTP. */
	EXPECT(1, NULL, RES(LST, "l", "{'loadBalancerArn':'arn:aws:elasticloadbalancing:us-east-1:482915736104:loadbalancer/app/web/50dc6c495c0c9188','protocol':'HTTP','defaultActions':" FORWARD "}", ""), P_HTTP, "l");
	EXPECT(0, NULL, RES(LB, "lb", "{'internal':false,'loadBalancerType':'network'}", "") "," RES(LST, "l", "{'loadBalancerArn':'" U "','port':80,'defaultActions':" FORWARD "}", DEPS("loadBalancerArn", LB, "lb")), P_HTTP, "l");
	EXPECT(0, NULL, PUBLIC_LB "," RES(LST, "l", "{'protocol':'TCP','defaultActions':" FORWARD "}", DEPS("loadBalancerArn", LB, "lb")), P_HTTP, "l");
	/* Unknowns. */
	EXPECT(0, NULL, PUBLIC_LB "," HTTP_L("'" U "'"), P_HTTP, "l");
	EXPECT(0, NULL, PUBLIC_LB "," RES(LST, "l", "{'protocol':'" U "','defaultActions':" FORWARD "}", DEPS("loadBalancerArn", LB, "lb")), P_HTTP, "l");
	EXPECT(0, NULL, RES(LB, "lb", "{'internal':'" U "'}", "") "," HTTP_L(FORWARD), P_HTTP, "l");
	/* loadBalancerArn unknown and unlinked: it may be the stack's internal balancer. */
	EXPECT(0, NULL, INTERNAL_LB "," RES(LST, "l", "{'loadBalancerArn':'" U "','port':80,'protocol':'HTTP','defaultActions':" FORWARD "}", ""), P_HTTP, "l");
}
END_TEST

/* ---- alb-listener-tls ---------------------------------------------------------------------- */

#define GOOD_ARN "arn:aws:acm:us-east-1:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
#define HTTPS_P(prov, cert, extra) RESP(LST, "l", prov, "{'loadBalancerArn':'" U "','port':443,'protocol':'HTTPS','certificateArn':" cert ",'defaultActions':" FORWARD extra "}", "")
#define HTTPS(cert, extra) HTTPS_P("use1", cert, extra)
#define SSL(p) ",'sslPolicy':'" p "'"
#define GOOD_SSL SSL("ELBSecurityPolicy-TLS13-1-2-2021-06")

START_TEST(listener_certificates)
{
	EXPECT(0, NULL, HTTPS("'" GOOD_ARN "'", GOOD_SSL), P_TLS, "l");
	/* Placeholders and malformed ARNs. */
	EXPECT(1, NULL, HTTPS("'arn:aws:acm:us-east-1:123456789012:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b'", GOOD_SSL), P_TLS, "l");
	EXPECT(1, NULL, HTTPS("'arn:aws:acm:us-east-1:482915736104:certificate/00000000-0000-0000-0000-000000000000'", GOOD_SSL), P_TLS, "l");
	EXPECT(1, NULL, HTTPS("'arn:aws:acm:us-east-1:482915736104:certificate/abc'", GOOD_SSL), P_TLS, "l");
	EXPECT(1, NULL, HTTPS("'REPLACE_ME'", GOOD_SSL), P_TLS, "l");
	EXPECT(1, NULL, HTTPS("'arn:aws:s3:::certs/site.pem'", GOOD_SSL), P_TLS, "l");
	/* Missing certificate. */
	EXPECT(1, NULL, RES(LST, "l", "{'protocol':'HTTPS','port':443,'defaultActions':" FORWARD GOOD_SSL "}", ""), P_TLS, "l");
	ck_assert(any_message_contains("has no certificateArn"));
	/* IAM server certificates are accepted. */
	EXPECT(0, NULL, HTTPS("'arn:aws:iam::482915736104:server-certificate/site-2026'", GOOD_SSL), P_TLS, "l");
	/* ARN of another region; the v7 `region` input of the listener counts. */
	EXPECT(1, NULL, HTTPS_P("euw1", "'" GOOD_ARN "'", GOOD_SSL), P_TLS, "l");
	ck_assert(any_message_contains("eu-west-1"));
	EXPECT(0, NULL, HTTPS_P("euw1", "'" GOOD_ARN "'", GOOD_SSL ",'region':'us-east-1'"), P_TLS, "l");
	/* Unknown certificate with no link: not judged. */
	EXPECT(0, NULL, HTTPS("'" U "'", GOOD_SSL), P_TLS, "l");
	/* TLS (NLB) listeners are held to the same rules. */
	EXPECT(1, NULL, RES(LST, "l", "{'protocol':'TLS','port':443,'certificateArn':'arn:aws:acm:us-east-1:111122223333:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b'" GOOD_SSL "}", ""), P_TLS, "l");
	/* Additional listener certificates. */
	EXPECT(1, NULL, RES(LCERT, "lc", "{'listenerArn':'" U "','certificateArn':'arn:aws:acm:us-east-1:123456789012:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b'}", ""), P_TLS, "lc");
	EXPECT(0, NULL, RES(LCERT, "lc", "{'listenerArn':'" U "','certificateArn':'" GOOD_ARN "'}", ""), P_TLS, "lc");
}
END_TEST

#define CERT_IN(prov) RESP(CERT, "c", prov, "{'domainName':'shop.northwind.io','validationMethod':'DNS'}", "")
#define VALIDATION RES(VAL, "v", "{'certificateArn':'" U "'}", DEPS("certificateArn", CERT, "c"))
#define HTTPS_LINKED(prov, dep_type, dep_name) \
	RESP(LST, "l", prov, "{'protocol':'HTTPS','port':443,'certificateArn':'" U "','defaultActions':" FORWARD GOOD_SSL "}", DEPS("certificateArn", dep_type, dep_name))

START_TEST(listener_certificate_resources)
{
	EXPECT(0, NULL, CERT_IN("use1") "," HTTPS_LINKED("use1", CERT, "c"), P_TLS, "l");
	EXPECT(1, NULL, CERT_IN("use1") "," HTTPS_LINKED("euw1", CERT, "c"), P_TLS, "l");
	ck_assert(any_message_contains("ACM certificate c in region us-east-1"));
	/* Through the CertificateValidation. */
	EXPECT(0, NULL, CERT_IN("use1") "," VALIDATION "," HTTPS_LINKED("use1", VAL, "v"), P_TLS, "l");
	EXPECT(1, NULL, CERT_IN("use1") "," VALIDATION "," HTTPS_LINKED("euw1", VAL, "v"), P_TLS, "l");
	/* v7 per-resource region on the certificate. */
	EXPECT(0, NULL, RESP(CERT, "c", "use1", "{'domainName':'shop.northwind.io','region':'eu-west-1'}", "") "," HTTPS_LINKED("euw1", CERT, "c"), P_TLS, "l");
}
END_TEST

START_TEST(listener_ssl_policies)
{
	EXPECT(1, NULL, HTTPS("'" GOOD_ARN "'", ""), P_TLS, "l");
	ck_assert(any_message_contains("ELBSecurityPolicy-2016-08"));
	EXPECT(1, NULL, HTTPS("'" GOOD_ARN "'", SSL("ELBSecurityPolicy-2016-08")), P_TLS, "l");
	EXPECT(1, NULL, HTTPS("'" GOOD_ARN "'", SSL("ELBSecurityPolicy-TLS-1-1-2017-01")), P_TLS, "l");
	EXPECT(1, NULL, HTTPS("'" GOOD_ARN "'", SSL("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06")), P_TLS, "l");
	EXPECT(0, NULL, HTTPS("'" GOOD_ARN "'", SSL("ELBSecurityPolicy-TLS13-1-3-2021-06")), P_TLS, "l");
	EXPECT(0, NULL, HTTPS("'" GOOD_ARN "'", SSL("ELBSecurityPolicy-TLS-1-2-2017-01")), P_TLS, "l");
	EXPECT(0, NULL, HTTPS("'" GOOD_ARN "'", SSL("ELBSecurityPolicy-FS-1-2-Res-2020-10")), P_TLS, "l");
	EXPECT(1, NULL, HTTPS("'" GOOD_ARN "'", SSL("my-custom-policy")), P_TLS, "l");
	EXPECT(0, NULL, HTTPS("'" GOOD_ARN "'", SSL("" U "")), P_TLS, "l");
	/* The prefix knob narrows (or widens) the accepted policies; the outdated list always applies. */
	EXPECT(1, "{'" P_TLS "':{'allowedSslPolicyPrefixes':['ELBSecurityPolicy-TLS13-1-3-']}}", HTTPS("'" GOOD_ARN "'", GOOD_SSL), P_TLS, "l");
	EXPECT(0, "{'" P_TLS "':{'allowedSslPolicyPrefixes':['my-']}}", HTTPS("'" GOOD_ARN "'", SSL("my-custom-policy")), P_TLS, "l");
	EXPECT(1, "{'" P_TLS "':{'allowedSslPolicyPrefixes':['ELBSecurityPolicy-']}}", HTTPS("'" GOOD_ARN "'", SSL("ELBSecurityPolicy-2016-08")), P_TLS, "l");
	/* HTTP listeners have no TLS settings to judge. */
	EXPECT(0, NULL, RES(LST, "l", "{'protocol':'HTTP','port':80,'defaultActions':" REDIRECT("'protocol':'HTTPS',") "}", ""), P_TLS, "l");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("elb");
	TCase *tc = tcase_create("internet-facing");
	int failed;

	tcase_add_test(tc, public_lb);
	tcase_add_test(tc, public_lb_rules_and_links);
	suite_add_tcase(s, tc);
	tc = tcase_create("http-redirect");
	tcase_add_test(tc, http_redirect);
	suite_add_tcase(s, tc);
	tc = tcase_create("listener-tls");
	tcase_add_test(tc, listener_certificates);
	tcase_add_test(tc, listener_certificate_resources);
	tcase_add_test(tc, listener_ssl_policies);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	pct_run_free(&run);
	free(fx_buf);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
