/*
 * check_cloudfront.c - edge cases of the cloudfront family: certificates
 * (placeholders, regions, linked certificates), viewer/origin TLS, origin
 * groups, per-region distributions, logging (v1 bucket forms, ACLs, v2),
 * unknowns, secrets and knobs.
 *
 * Fixture JSON is written with single quotes for readability and turned
 * into JSON by fx() (no test value contains an apostrophe).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define PURN(p) "urn:pulumi:dev::shop::pulumi:providers:aws::" p
#define PROVIDERS \
	"{'type':'pulumi:providers:aws','urn':'" PURN("use1") "','name':'use1','properties':{'region':'us-east-1','defaultTags':'{\\'tags\\':{\\'team\\':\\'web\\'}}'}}," \
	"{'type':'pulumi:providers:aws','urn':'" PURN("usw2") "','name':'usw2','properties':{'region':'us-west-2','defaultTags':'{\\'tags\\':{\\'team\\':\\'web\\'}}'}}"
#define DIST "aws:cloudfront/distribution:Distribution"
#define URN(type, name) "urn:pulumi:dev::shop::" type "::" name
/* A resource: type, name, provider ("use1"/"usw2"), properties, extra members (",'propertyDependencies':{...}" or ""). */
#define RES(type, name, prov, props, extra) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) "','properties':" props extra "}"

#define ORIGIN(id, dom) "{'originId':'" id "','domainName':'" dom "','customOriginConfig':{'httpPort':80,'httpsPort':443,'originProtocolPolicy':'https-only','originSslProtocols':['TLSv1.2']}}"
#define ALB_E "web-1.us-east-1.elb.amazonaws.com"
#define ALB_W "web-2.us-west-2.elb.amazonaws.com"
#define DCB(t) "'defaultCacheBehavior':{'targetOriginId':'" t "','viewerProtocolPolicy':'redirect-to-https','allowedMethods':['GET','HEAD'],'cachedMethods':['GET','HEAD']}"
#define LOG "'loggingConfig':{'bucket':'logs-1.s3.amazonaws.com','prefix':'cf/'}"
#define CERT_OK "'viewerCertificate':{'acmCertificateArn':'arn:aws:acm:us-east-1:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"
#define CERT_DEFAULT "'viewerCertificate':{'cloudfrontDefaultCertificate':true}"
/* A complete, clean distribution body with one origin, plus extra members. */
#define DBODY(extra) "{'enabled':true,'origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," LOG "," CERT_DEFAULT extra "}"

/* Wrap resources (and an optional "config" member) into a fixture and convert quotes. */
static const char *fx(const char *config, const char *resources)
{
	return pct_doc_sq("shop", config, PROVIDERS, resources);
}

static struct pct_run run;

/* Run and count diagnostics of `policy` on "::name" (NULL = any URN). */
static size_t count(const char *config, const char *resources, const char *policy, const char *name)
{
	return pct_count_doc(&run, fx(config, resources), policy, name);
}

#define EXPECT(n, config, res, policy, name) \
	do { \
		size_t got_ = count(config, res, policy, name); \
		ck_assert_msg(got_ == (size_t)(n), "%s on %s: expected %d, got %zu:%s", policy, name ? name : "*", (int)(n), got_, pct_describe(&run)); \
	} while (0)

/* ---- cloudfront-viewer-tls ------------------------------------------------ */

START_TEST(tls_aliases_need_certificate)
{
	/* Seed 004 #5: aliases on the default certificate; no certificate at all. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", "{'aliases':['shop.northwind.io'],'origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", "{'aliases':['shop.northwind.io'],'origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," LOG ",'viewerCertificate':{}}", ""), "cloudfront-viewer-tls", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", "{'origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," LOG "}", ""), "cloudfront-viewer-tls", "d");
	/* No aliases: the default certificate is fine. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", "{'origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
	/* Aliases unknown in preview with the default certificate: not judged. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", "{'aliases':'" U "','origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
}
END_TEST

#define WITH_CERT(cert) "{'aliases':['shop.northwind.io'],'origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," LOG ",'viewerCertificate':" cert "}"

START_TEST(tls_certificate_arn_forms)
{
	EXPECT(0, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'arn:aws:acm:us-east-1:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), ""), "cloudfront-viewer-tls", "d");
	/* Wrong region. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'arn:aws:acm:us-west-2:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), ""), "cloudfront-viewer-tls", "d");
	/* Placeholder account / id. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'arn:aws:acm:us-east-1:123456789012:certificate/abc','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), ""), "cloudfront-viewer-tls", "d");
	/* Not an ARN; IAM server certificate ARN in the ACM field. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'my-cert','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), ""), "cloudfront-viewer-tls", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'arn:aws:iam::482915736104:server-certificate/shop','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), ""), "cloudfront-viewer-tls", "d");
	/* Unknown in preview: never a violation. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'" U "','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), ""), "cloudfront-viewer-tls", "d");
	/* IAM certificate id is a custom certificate too. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", WITH_CERT("{'iamCertificateId':'ASCAJ3EXAMPLEID','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), ""), "cloudfront-viewer-tls", "d");
}
END_TEST

START_TEST(tls_secret_arn_not_quoted)
{
	const char *res = RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':{'4dabf18193072939515e22adb298388d':'1b47061264138c4ac30d75fd1eb44270','value':'arn:aws:acm:eu-west-3:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b'},'sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), "");
	EXPECT(1, NULL, res, "cloudfront-viewer-tls", "d");
	for (size_t i = 0; i < run.n; i++) {
		ck_assert_msg(!strstr(run.d[i].message, "eu-west-3"), "secret ARN region quoted: %s", run.d[i].message);
		ck_assert_msg(!strstr(run.d[i].message, "0f3c2a1b"), "secret ARN quoted: %s", run.d[i].message);
	}
}
END_TEST

START_TEST(tls_protocol_versions)
{
	/* Custom certificate without minimumProtocolVersion (provider default TLSv1) or sslSupportMethod. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'arn:aws:acm:us-east-1:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b','sslSupportMethod':'sni-only'}"), ""), "cloudfront-viewer-tls", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'arn:aws:acm:us-east-1:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b','minimumProtocolVersion':'TLSv1.2_2021'}"), ""), "cloudfront-viewer-tls", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'arn:aws:acm:us-east-1:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.1_2016'}"), ""), "cloudfront-viewer-tls", "d");
	/* Knob: accept an extra version. */
	EXPECT(0, "{'cloudfront-viewer-tls':{'allowedMinimumProtocolVersions':['TLSv1.2_2019','TLSv1.2_2021']}}",
	       RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'arn:aws:acm:us-east-1:482915736104:certificate/0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2019'}"), ""), "cloudfront-viewer-tls", "d");
	/* v6-style booleans as strings. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", "{'aliases':['a.northwind.io'],'origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," LOG ",'viewerCertificate':{'cloudfrontDefaultCertificate':'true'}}", ""), "cloudfront-viewer-tls", "d");
}
END_TEST

START_TEST(tls_viewer_and_origin_protocols)
{
	EXPECT(1, NULL, RES(DIST, "d", "use1", "{'origins':[" ORIGIN("web", ALB_E) "],'defaultCacheBehavior':{'targetOriginId':'web','viewerProtocolPolicy':'allow-all'}," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", DBODY(",'orderedCacheBehaviors':[{'pathPattern':'/api/*','targetOriginId':'web','viewerProtocolPolicy':'https-only'},{'pathPattern':'/img/*','targetOriginId':'web','viewerProtocolPolicy':'allow-all'}]"), ""), "cloudfront-viewer-tls", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", "{'origins':[{'originId':'web','domainName':'" ALB_E "','customOriginConfig':{'httpPort':80,'httpsPort':443,'originProtocolPolicy':'http-only','originSslProtocols':['TLSv1.2']}}]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", "{'origins':[{'originId':'web','domainName':'" ALB_E "','customOriginConfig':{'httpPort':80,'httpsPort':443,'originProtocolPolicy':'https-only','originSslProtocols':['TLSv1','TLSv1.2']}}]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
	/* S3 website endpoints only speak HTTP. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", "{'origins':[{'originId':'web','domainName':'site.s3-website-us-east-1.amazonaws.com','customOriginConfig':{'httpPort':80,'httpsPort':443,'originProtocolPolicy':'http-only','originSslProtocols':['TLSv1.2']}}]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
	/* Preview: the domain (a bucket's websiteEndpoint) is unknown, so it may be a website endpoint. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", "{'origins':[{'originId':'web','domainName':'" U "','customOriginConfig':{'httpPort':80,'httpsPort':443,'originProtocolPolicy':'http-only','originSslProtocols':['TLSv1.2']}}]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
	/* Unknown viewer policy is not judged. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", "{'origins':[" ORIGIN("web", ALB_E) "],'defaultCacheBehavior':{'targetOriginId':'web','viewerProtocolPolicy':'" U "'}," LOG "," CERT_DEFAULT "}", ""), "cloudfront-viewer-tls", "d");
}
END_TEST

/* ---- cloudfront-acm-certificate-region ------------------------------------ */

#define CERT_RES(name, prov, props) RES("aws:acm/certificate:Certificate", name, prov, props, "")
#define LINKED_DIST(dep) RES(DIST, "d", "use1", WITH_CERT("{'acmCertificateArn':'" U "','sslSupportMethod':'sni-only','minimumProtocolVersion':'TLSv1.2_2021'}"), \
			      ",'propertyDependencies':{'viewerCertificate':['" dep "']}")

START_TEST(cert_region_linked)
{
	EXPECT(1, NULL, CERT_RES("c", "usw2", "{'domainName':'shop.northwind.io','validationMethod':'DNS'}") "," LINKED_DIST(URN("aws:acm/certificate:Certificate", "c")),
	       "cloudfront-acm-certificate-region", "d");
	EXPECT(0, NULL, CERT_RES("c", "use1", "{'domainName':'shop.northwind.io','validationMethod':'DNS'}") "," LINKED_DIST(URN("aws:acm/certificate:Certificate", "c")),
	       "cloudfront-acm-certificate-region", "d");
	/* v7: the certificate's own region input wins over its provider's. */
	EXPECT(0, NULL, CERT_RES("c", "usw2", "{'domainName':'shop.northwind.io','validationMethod':'DNS','region':'us-east-1'}") "," LINKED_DIST(URN("aws:acm/certificate:Certificate", "c")),
	       "cloudfront-acm-certificate-region", "d");
	EXPECT(0, NULL, CERT_RES("c", "usw2", "{'domainName':'shop.northwind.io','validationMethod':'DNS','region':'" U "'}") "," LINKED_DIST(URN("aws:acm/certificate:Certificate", "c")),
	       "cloudfront-acm-certificate-region", "d");
	/* Through a CertificateValidation. */
	EXPECT(1, NULL, RES("aws:acm/certificateValidation:CertificateValidation", "v", "usw2", "{'certificateArn':'" U "'}", "") "," LINKED_DIST(URN("aws:acm/certificateValidation:CertificateValidation", "v")),
	       "cloudfront-acm-certificate-region", "d");
}
END_TEST

/* ---- cloudfront-origin-failover ------------------------------------------- */

#define TWO_ORIGINS "'origins':[" ORIGIN("east", ALB_E) "," ORIGIN("west", ALB_W) "]"
#define GROUP(members, codes) "'originGroups':[{'originId':'app','failoverCriteria':{'statusCodes':" codes "},'members':" members "}]"
#define BODY2(extra) "{'enabled':true," TWO_ORIGINS "," LOG "," CERT_DEFAULT "," extra "}"

START_TEST(failover_groups)
{
	/* Second origin wired to nothing. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", BODY2(DCB("east")), ""), "cloudfront-origin-failover", "d");
	/* Correct group. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", BODY2(DCB("app") "," GROUP("[{'originId':'east'},{'originId':'west'}]", "[500,502,503,504]")), ""), "cloudfront-origin-failover", "d");
	/* One member; no status codes; group not targeted; unknown member id. */
	EXPECT(2, NULL, RES(DIST, "d", "use1", BODY2(DCB("app") "," GROUP("[{'originId':'east'}]", "[500]")), ""), "cloudfront-origin-failover", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", BODY2(DCB("app") "," GROUP("[{'originId':'east'},{'originId':'west'}]", "[]")), ""), "cloudfront-origin-failover", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", BODY2(DCB("east") ",'orderedCacheBehaviors':[{'pathPattern':'/x/*','targetOriginId':'west','viewerProtocolPolicy':'https-only'}]," GROUP("[{'originId':'east'},{'originId':'west'}]", "[500]")), ""), "cloudfront-origin-failover", "d");
	/* Unknown member id (and so the real second origin is unused). */
	EXPECT(2, NULL, RES(DIST, "d", "use1", BODY2(DCB("app") "," GROUP("[{'originId':'east'},{'originId':'nope'}]", "[500]")), ""), "cloudfront-origin-failover", "d");
	/* Elements built from Outputs are unknown as a whole in preview: no judgement on ids or groups. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", "{'enabled':true,'origins':['" U "']," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-origin-failover", "d");
	EXPECT(0, NULL, RES(DIST, "d", "use1", BODY2(DCB("app") ",'originGroups':['" U "']"), ""), "cloudfront-origin-failover", "d");
	EXPECT(0, NULL, RES(DIST, "d", "use1", BODY2(DCB("east") ",'orderedCacheBehaviors':['" U "']"), ""), "cloudfront-origin-failover", "d");
	/* Origin groups fail over only GET/HEAD/OPTIONS: a write method on the group's behaviour is rejected. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", BODY2("'defaultCacheBehavior':{'targetOriginId':'app','viewerProtocolPolicy':'https-only','allowedMethods':['GET','HEAD','OPTIONS','PUT','POST','PATCH','DELETE'],'cachedMethods':['GET','HEAD']}," GROUP("[{'originId':'east'},{'originId':'west'}]", "[500,502,503,504]")), ""), "cloudfront-origin-failover", "d");
	EXPECT(0, NULL, RES(DIST, "d", "use1", BODY2("'defaultCacheBehavior':{'targetOriginId':'app','viewerProtocolPolicy':'https-only','allowedMethods':['GET','HEAD','OPTIONS'],'cachedMethods':['GET','HEAD']}," GROUP("[{'originId':'east'},{'originId':'west'}]", "[500,502,503,504]")), ""), "cloudfront-origin-failover", "d");
	/* Behaviour pointing at nothing. */
	EXPECT(1, NULL, RES(DIST, "d", "use1", DBODY(",'orderedCacheBehaviors':[{'pathPattern':'/x/*','targetOriginId':'missing','viewerProtocolPolicy':'https-only'}]"), ""), "cloudfront-origin-failover", "d");
}
END_TEST

START_TEST(failover_path_based_origins_are_fine)
{
	/* S3 for static content, the ALB for the API paths: two origins, both used, no failover intended. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", "{'origins':[{'originId':'s3','domainName':'site.s3.us-east-1.amazonaws.com','s3OriginConfig':{'originAccessIdentity':''}}," ORIGIN("api", ALB_E) "]," DCB("s3")
	       ",'orderedCacheBehaviors':[{'pathPattern':'/api/*','targetOriginId':'api','viewerProtocolPolicy':'https-only'}]," LOG "," CERT_DEFAULT "}", ""), "cloudfront-origin-failover", "d");
	/* Unknown origins list in preview. */
	EXPECT(0, NULL, RES(DIST, "d", "use1", "{'origins':'" U "'," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-origin-failover", "d");
	/* alwaysRequire knob. */
	EXPECT(1, "{'cloudfront-origin-failover':{'alwaysRequire':true}}", RES(DIST, "d", "use1", DBODY(""), ""), "cloudfront-origin-failover", "d");
}
END_TEST

/* ---- cloudfront-regional-distributions ------------------------------------ */

START_TEST(regional_distributions)
{
	/* Known ALB domains in two regions. */
	EXPECT(2, NULL, RES(DIST, "a", "use1", DBODY(""), "") "," RES(DIST, "b", "usw2", "{'origins':[" ORIGIN("web", ALB_W) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""),
	       "cloudfront-regional-distributions", NULL);
	/* Same region: two apps, fine. */
	EXPECT(0, NULL, RES(DIST, "a", "use1", DBODY(""), "") "," RES(DIST, "b", "use1", DBODY(""), ""), "cloudfront-regional-distributions", NULL);
	/* Preview: domains unknown, linked to load balancers by propertyDependencies. */
	EXPECT(2, NULL,
	       RES("aws:lb/loadBalancer:LoadBalancer", "alb-e", "use1", "{'loadBalancerType':'application'}", "") ","
	       RES("aws:lb/loadBalancer:LoadBalancer", "alb-w", "usw2", "{'loadBalancerType':'application'}", "") ","
	       RES(DIST, "a", "use1", "{'origins':[" ORIGIN("web", U) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ",'propertyDependencies':{'origins':['" URN("aws:lb/loadBalancer:LoadBalancer", "alb-e") "']}") ","
	       RES(DIST, "b", "use1", "{'origins':[" ORIGIN("web", U) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ",'propertyDependencies':{'origins':['" URN("aws:lb/loadBalancer:LoadBalancer", "alb-w") "']}"),
	       "cloudfront-regional-distributions", NULL);
	/* Unknown domain with no link: not judged. */
	EXPECT(0, NULL, RES(DIST, "a", "use1", DBODY(""), "") "," RES(DIST, "b", "use1", "{'origins':[" ORIGIN("web", U) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""),
	       "cloudfront-regional-distributions", NULL);
	/* Unknown, unlinked origins: the regional providers the distributions were built with decide. */
	EXPECT(2, NULL, RES(DIST, "a", "use1", "{'origins':[" ORIGIN("web", U) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", "") ","
	       RES(DIST, "b", "usw2", "{'origins':[" ORIGIN("web", U) "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-regional-distributions", NULL);
	/* Custom (non-AWS) origins cannot be placed. */
	EXPECT(0, NULL, RES(DIST, "a", "use1", "{'origins':[" ORIGIN("web", "origin-east.northwind.io") "]," DCB("web") "," LOG "," CERT_DEFAULT "}", "") ","
	       RES(DIST, "b", "use1", "{'origins':[" ORIGIN("web", "origin-west.northwind.io") "]," DCB("web") "," LOG "," CERT_DEFAULT "}", ""), "cloudfront-regional-distributions", NULL);
}
END_TEST

/* ---- cloudfront-logging-enabled ------------------------------------------- */

#define NOLOG_BODY(extra) "{'enabled':true,'origins':[" ORIGIN("web", ALB_E) "]," DCB("web") "," CERT_DEFAULT extra "}"

START_TEST(logging_forms)
{
	EXPECT(1, NULL, RES(DIST, "d", "use1", NOLOG_BODY(""), ""), "cloudfront-logging-enabled", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'includeCookies':false}"), ""), "cloudfront-logging-enabled", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'arn:aws:s3:::logs-1'}"), ""), "cloudfront-logging-enabled", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'s3://logs-1/cf'}"), ""), "cloudfront-logging-enabled", "d");
	EXPECT(1, NULL, RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'logs-1'}"), ""), "cloudfront-logging-enabled", "d");
	EXPECT(0, NULL, RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'logs-1.s3.amazonaws.com'}"), ""), "cloudfront-logging-enabled", "d");
	EXPECT(0, NULL, RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'logs-1.s3.us-west-2.amazonaws.com'}"), ""), "cloudfront-logging-enabled", "d");
	EXPECT(0, NULL, RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'" U "'}"), ""), "cloudfront-logging-enabled", "d");
}
END_TEST

START_TEST(logging_bucket_acls_disabled)
{
	const char *own = RES("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "own", "use1", "{'bucket':'logs-1','rule':{'objectOwnership':'BucketOwnerEnforced'}}", "");
	char res[4096];
	snprintf(res, sizeof(res), "%s,%s", own, RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'logs-1.s3.amazonaws.com'}"), ""));
	EXPECT(1, NULL, res, "cloudfront-logging-enabled", "d");
	/* Preview: bucket name unknown, linked through propertyDependencies. */
	EXPECT(1, NULL,
	       RES("aws:s3/bucket:Bucket", "logs", "use1", "{'bucket':'" U "'}", "") ","
	       RES("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "own", "use1", "{'bucket':'" U "','rule':{'objectOwnership':'BucketOwnerEnforced'}}", ",'propertyDependencies':{'bucket':['" URN("aws:s3/bucket:Bucket", "logs") "']}") ","
	       RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'" U "'}"), ",'propertyDependencies':{'loggingConfig':['" URN("aws:s3/bucket:Bucket", "logs") "']}"),
	       "cloudfront-logging-enabled", "d");
	EXPECT(0, NULL,
	       RES("aws:s3/bucket:Bucket", "logs", "use1", "{'bucket':'" U "'}", "") ","
	       RES("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "own", "use1", "{'bucket':'" U "','rule':{'objectOwnership':'BucketOwnerPreferred'}}", ",'propertyDependencies':{'bucket':['" URN("aws:s3/bucket:Bucket", "logs") "']}") ","
	       RES(DIST, "d", "use1", NOLOG_BODY(",'loggingConfig':{'bucket':'" U "'}"), ",'propertyDependencies':{'loggingConfig':['" URN("aws:s3/bucket:Bucket", "logs") "']}"),
	       "cloudfront-logging-enabled", "d");
}
END_TEST

START_TEST(logging_v2)
{
	EXPECT(0, NULL,
	       RES(DIST, "d", "use1", NOLOG_BODY(""), "") ","
	       RES("aws:cloudwatch/logDeliverySource:LogDeliverySource", "src", "use1", "{'name':'d-access','logType':'ACCESS_LOGS','resourceArn':'" U "'}",
		   ",'propertyDependencies':{'resourceArn':['" URN(DIST, "d") "']}"),
	       "cloudfront-logging-enabled", "d");
	/* By ARN value (update). */
	EXPECT(0, NULL,
	       RES(DIST, "d", "use1", NOLOG_BODY(",'arn':'arn:aws:cloudfront::482915736104:distribution/E2QWRUHAPOMQZL'"), "") ","
	       RES("aws:cloudwatch/logDeliverySource:LogDeliverySource", "src", "use1", "{'name':'d-access','logType':'ACCESS_LOGS','resourceArn':'arn:aws:cloudfront::482915736104:distribution/E2QWRUHAPOMQZL'}", ""),
	       "cloudfront-logging-enabled", "d");
	/* The source must live in us-east-1. */
	EXPECT(1, NULL,
	       RES(DIST, "d", "use1", NOLOG_BODY(""), "") ","
	       RES("aws:cloudwatch/logDeliverySource:LogDeliverySource", "src", "usw2", "{'name':'d-access','logType':'ACCESS_LOGS','resourceArn':'" U "'}",
		   ",'propertyDependencies':{'resourceArn':['" URN(DIST, "d") "']}"),
	       "cloudfront-logging-enabled", "src");
	/* A source for another log type does not count. */
	EXPECT(1, NULL,
	       RES(DIST, "d", "use1", NOLOG_BODY(""), "") ","
	       RES("aws:cloudwatch/logDeliverySource:LogDeliverySource", "src", "use1", "{'name':'d-conn','logType':'CONNECTION_LOGS','resourceArn':'" U "'}",
		   ",'propertyDependencies':{'resourceArn':['" URN(DIST, "d") "']}"),
	       "cloudfront-logging-enabled", "d");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cloudfront");
	TCase *tc = tcase_create("policies");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tls_aliases_need_certificate);
	tcase_add_test(tc, tls_certificate_arn_forms);
	tcase_add_test(tc, tls_secret_arn_not_quoted);
	tcase_add_test(tc, tls_protocol_versions);
	tcase_add_test(tc, tls_viewer_and_origin_protocols);
	tcase_add_test(tc, cert_region_linked);
	tcase_add_test(tc, failover_groups);
	tcase_add_test(tc, failover_path_based_origins_are_fine);
	tcase_add_test(tc, regional_distributions);
	tcase_add_test(tc, logging_forms);
	tcase_add_test(tc, logging_bucket_acls_disabled);
	tcase_add_test(tc, logging_v2);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
