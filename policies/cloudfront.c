/*
 * cloudfront.c - policy family "cloudfront" (see families.h): viewer TLS and
 * certificates, origin failover, one-distribution-per-region designs and
 * access logging.
 *
 * Distribution shapes are the same in pulumi-aws v6 and v7 (nested blocks
 * with MaxItems 1 are objects); the only difference that matters here is
 * that v7 made loggingConfig.bucket optional. Nested blocks are still read
 * through cf_one() so a list-shaped block (older bridged state) also works.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "aws.h"
#include "policy.h"
#include "stack.h"

#define CF_DIST "aws:cloudfront/distribution:Distribution"

/* ---- small helpers --------------------------------------------------------- */

/* A MaxItems-1 block: the object itself, or the first element of a list. */
static const pv_value *cf_one(const pv_value *v)
{
	if (pv_kind(v) == PV_LIST)
		return pv_at(v, 0);
	return v;
}

/* True when `s` ends with `suffix`, ignoring case. */
static int cf_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Case-insensitive substring test. */
static int cf_contains(const char *s, const char *needle)
{
	size_t m = strlen(needle);
	for (; *s; s++)
		if (strncasecmp(s, needle, m) == 0)
			return 1;
	return 0;
}

/* Kind of a string-ish value: 1 = non-empty known string, 0 = absent/empty, -1 = unknown. */
static int cf_present(const pv_value *v, const char **out)
{
	const char *s = NULL;
	int rc = pv_get_str(v, &s);
	if (out)
		*out = NULL;
	if (rc == PV_EUNKNOWN)
		return -1;
	if (rc == PV_OK && *s) {
		if (out)
			*out = s;
		return 1;
	}
	return 0;
}

/* A domain name quoted for a message, or a neutral word when it is secret. */
static const char *cf_quote(struct pol_ctx *c, const pv_value *v, const char *s)
{
	if (pv_is_secret(v))
		return "[secret]";
	return arena_printf(pol_arena(c), "\"%s\"", s);
}

/* Is `s` a bare AWS region code ("us-east-1")? */
static int cf_is_region(const char *s)
{
	enum aws_region_status st = aws_region_check(s);
	return st == AWS_REGION_KNOWN || st == AWS_REGION_WELL_FORMED;
}

/*
 * Region named by an AWS service endpoint domain: "x.us-east-1.elb.amazonaws.com",
 * "b.s3.us-west-2.amazonaws.com", "b.s3-website-eu-west-1.amazonaws.com",
 * "id.execute-api.ap-south-1.amazonaws.com". Copies it into `buf`; 0 on
 * success, -1 when the domain names no region (custom domains, the global
 * "b.s3.amazonaws.com" endpoint).
 */
static int cf_domain_region(const char *d, char *buf, size_t n)
{
	if (!cf_ends_with(d, ".amazonaws.com") && !cf_ends_with(d, ".amazonaws.com.cn"))
		return -1;
	const char *p = d;
	while (*p) {
		const char *e = strchr(p, '.');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char label[64];
		if (len > 0 && len < sizeof(label)) {
			memcpy(label, p, len);
			label[len] = '\0';
			for (char *q = label; *q; q++)
				if (*q >= 'A' && *q <= 'Z')
					*q = (char)(*q - 'A' + 'a');
			const char *cand = label;
			if (strncmp(cand, "s3-website-", 11) == 0)
				cand += 11;
			else if (strncmp(cand, "s3-", 3) == 0)
				cand += 3;
			else if (strncmp(cand, "dualstack-", 10) == 0)
				cand += 10;
			if (cf_is_region(cand) && strlen(cand) < n) {
				strcpy(buf, cand);
				return 0;
			}
		}
		if (!e)
			break;
		p = e + 1;
	}
	return -1;
}

/* Kind of origin a domain names, for grouping like with like. */
static const char *cf_domain_kind(const char *d)
{
	if (cf_contains(d, ".elb.") || cf_ends_with(d, ".elb.amazonaws.com"))
		return "load balancer";
	if (cf_contains(d, ".execute-api."))
		return "API Gateway";
	if (cf_contains(d, ".lambda-url."))
		return "Lambda function URL";
	if (cf_contains(d, ".s3.") || cf_contains(d, ".s3-"))
		return "S3";
	return "custom";
}

/* Origin kinds of resource types an origin's domainName may come from (preview: unknown). */
static const char *cf_type_kind(const char *type)
{
	static const struct { const char *type, *kind; } map[] = {
		{ "aws:lb/loadBalancer:LoadBalancer", "load balancer" },
		{ "aws:alb/loadBalancer:LoadBalancer", "load balancer" },
		{ "aws:elb/loadBalancer:LoadBalancer", "load balancer" },
		{ "aws:s3/bucket:Bucket", "S3" },
		{ "aws:s3/bucketV2:BucketV2", "S3" },
		{ "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "S3" },
		{ "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2", "S3" },
		{ "aws:apigateway/restApi:RestApi", "API Gateway" },
		{ "aws:apigateway/stage:Stage", "API Gateway" },
		{ "aws:apigatewayv2/api:Api", "API Gateway" },
		{ "aws:apigatewayv2/stage:Stage", "API Gateway" },
		{ "aws:lambda/functionUrl:FunctionUrl", "Lambda function URL" },
		{ "aws:ec2/instance:Instance", "custom" },
		{ "aws:ec2/eip:Eip", "custom" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(type, map[i].type) == 0)
			return map[i].kind;
	return NULL;
}

/* ---- cloudfront-viewer-tls ------------------------------------------------- */

/*
 * Validate a known acmCertificateArn. Reports at most one problem: an ARN
 * that is wrong in one way is usually wrong in the next field too.
 */
static void cf_check_acm_arn(struct pol_ctx *c, const pv_value *v, const char *arn)
{
	const char *path = "viewerCertificate.acmCertificateArn";
	int secret = pv_is_secret(v);
	const char *ph = aws_placeholder_in(arn);
	const char *marker = aws_output_marker_in(arn);
	struct aws_arn a;

	if (marker) {
		pol_report(c, NULL, path, "%s holds the text of a stringified Pulumi Output, not a certificate ARN: pass the certificate's `arn` Output itself (no string interpolation).", path);
		return;
	}
	if (ph) {
		pol_report(c, NULL, path, "%s is a placeholder (%s), not a real certificate: request or import the certificate in ACM in us-east-1 (aws.acm.Certificate with a us-east-1 provider) and pass its validated ARN.", path, ph);
		return;
	}
	if (aws_arn_parse(arn, &a) != 0) {
		pol_report(c, NULL, path, "%s%s%s is not an ARN: pass the ARN of an ACM certificate in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>).",
			   path, secret ? "" : " ", secret ? "" : arena_printf(pol_arena(c), "\"%s\"", arn));
		return;
	}
	/* Parts of a secret ARN are never quoted (the runner only redacts whole secret strings). */
	if (!aws_field_eq(a.service, a.service_len, "acm")) {
		pol_report(c, NULL, path, "%s is an ARN of service \"%.*s\", not an ACM certificate: use an ACM certificate ARN (IAM server certificates go in viewerCertificate.iamCertificateId).",
			   path, secret ? 8 : (int)a.service_len, secret ? "[secret]" : a.service);
		return;
	}
	if (aws_field_eq(a.partition, a.partition_len, "aws") && !aws_field_eq(a.region, a.region_len, "us-east-1")) {
		pol_report(c, NULL, path, "%s is a certificate in region \"%.*s\": CloudFront only accepts ACM certificates from us-east-1 (N. Virginia). Create the certificate with a provider for us-east-1 and use that ARN.",
			   path, secret ? 8 : (int)a.region_len, secret ? "[secret]" : a.region);
		return;
	}
	if (!aws_is_account_id(a.account, a.account_len)) {
		pol_report(c, NULL, path, "%s has no valid 12-digit account ID: use the ARN exported by the aws.acm.Certificate resource.", path);
		return;
	}
	int ok = a.resource_len == 12 + 36 && strncmp(a.resource, "certificate/", 12) == 0;
	for (size_t i = 12; ok && i < a.resource_len; i++) {
		char ch = a.resource[i];
		ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || ch == '-';
	}
	if (!ok)
		pol_report(c, NULL, path, "%s does not end in certificate/<36-character certificate ID>: use the ARN exported by the aws.acm.Certificate (or CertificateValidation) resource.", path);
}

static void check_viewer_tls(struct pol_ctx *c, const struct pol_resource *r)
{
	const pv_value *p = r->props;
	const pv_value *vc = cf_one(pv_get(p, "viewerCertificate"));
	const pv_value *al = pv_get(p, "aliases"), *e;
	size_t n_alias = 0;

	if (pv_kind(al) == PV_UNKNOWN) {
		pol_unknown(c, "aliases");
	} else {
		PV_LIST_FOREACH(i, e, al) {
			const char *s;
			int rc = pv_get_str(e, &s);
			if (rc == PV_EUNKNOWN || (rc == PV_OK && *s))
				n_alias++;
		}
	}

	/* Certificate. */
	switch (pv_kind(vc)) {
	case PV_UNKNOWN:
		pol_unknown(c, "viewerCertificate");
		break;
	case PV_OBJECT: {
		const char *acm_s, *iam_s;
		const pv_value *acm = pv_get(vc, "acmCertificateArn");
		int acm_p = cf_present(acm, &acm_s);
		int iam_p = cf_present(pv_get(vc, "iamCertificateId"), &iam_s);
		int dflt = 0;
		int dflt_rc = pv_get_bool(pv_get(vc, "cloudfrontDefaultCertificate"), &dflt);
		int custom = acm_p != 0 || iam_p != 0;

		if (acm_p < 0)
			pol_unknown(c, "viewerCertificate.acmCertificateArn");
		if (dflt_rc == PV_EUNKNOWN)
			pol_unknown(c, "viewerCertificate.cloudfrontDefaultCertificate");

		if (!custom && dflt_rc != PV_EUNKNOWN && !(dflt_rc == PV_OK && dflt)) {
			if (n_alias)
				pol_report(c, NULL, "viewerCertificate", "viewerCertificate names no certificate (acmCertificateArn is unset) although the distribution has %zu alias(es): set acmCertificateArn to an ACM certificate in us-east-1 that covers the aliases, with sslSupportMethod: \"sni-only\" and minimumProtocolVersion: \"TLSv1.2_2021\".", n_alias);
			else
				pol_report(c, NULL, "viewerCertificate", "viewerCertificate names no certificate: set acmCertificateArn (us-east-1 ACM certificate, with sslSupportMethod: \"sni-only\") or cloudfrontDefaultCertificate: true; CloudFront rejects a viewer certificate with neither.");
		} else if (!custom && dflt_rc == PV_OK && dflt && n_alias) {
			pol_report(c, NULL, "viewerCertificate.cloudfrontDefaultCertificate", "the distribution has %zu alias(es) but uses the default *.cloudfront.net certificate, which cannot cover them (CloudFront rejects it, or browsers fail TLS): set acmCertificateArn to a us-east-1 ACM certificate for the aliases, sslSupportMethod: \"sni-only\" and minimumProtocolVersion: \"TLSv1.2_2021\".", n_alias);
		}
		if (custom && dflt_rc == PV_OK && dflt)
			pol_report(c, NULL, "viewerCertificate.cloudfrontDefaultCertificate", "viewerCertificate sets both a custom certificate and cloudfrontDefaultCertificate: true: remove cloudfrontDefaultCertificate (or set it to false) so the custom certificate is used.");
		if (acm_p > 0)
			cf_check_acm_arn(c, acm, acm_s);

		if (custom) {
			const pv_value *mpv = pv_get(vc, "minimumProtocolVersion");
			const char *m;
			int rc = pv_get_str(mpv, &m);
			if (rc == PV_EUNKNOWN)
				pol_unknown(c, "viewerCertificate.minimumProtocolVersion");
			else if (rc != PV_OK || !*m)
				pol_report(c, NULL, "viewerCertificate.minimumProtocolVersion", "viewerCertificate.minimumProtocolVersion is not set, so the provider default \"TLSv1\" lets viewers negotiate TLS 1.0: set minimumProtocolVersion: \"TLSv1.2_2021\" (or newer).");
			else if (!pol_cfg_list_has(c, "allowedMinimumProtocolVersions", m))
				pol_report(c, NULL, "viewerCertificate.minimumProtocolVersion", "viewerCertificate.minimumProtocolVersion is \"%s\", which allows outdated TLS versions or ciphers: set it to \"TLSv1.2_2021\" (or another allowed policy such as \"TLSv1.2_2025\" / \"TLSv1.3_2025\").", m);

			const char *ssm;
			rc = pv_get_str(pv_get(vc, "sslSupportMethod"), &ssm);
			if (rc == PV_EMISSING || (rc == PV_OK && !*ssm))
				pol_report(c, NULL, "viewerCertificate.sslSupportMethod", "viewerCertificate.sslSupportMethod is not set: CloudFront requires it with a custom certificate; set sslSupportMethod: \"sni-only\".");
		}
	}
		break;
	default:
		pol_report(c, NULL, "viewerCertificate", "viewerCertificate is missing: add viewerCertificate with acmCertificateArn (a us-east-1 ACM certificate), sslSupportMethod: \"sni-only\" and minimumProtocolVersion: \"TLSv1.2_2021\".");
		break;
	}

	/* Viewer protocol policies. */
	const pv_value *dcb = cf_one(pv_get(p, "defaultCacheBehavior"));
	const char *vpp;
	int rc = pv_get_str(pv_get(dcb, "viewerProtocolPolicy"), &vpp);
	if (rc == PV_EUNKNOWN)
		pol_unknown(c, "defaultCacheBehavior.viewerProtocolPolicy");
	else if (rc == PV_OK && strcmp(vpp, "allow-all") == 0)
		pol_report(c, NULL, "defaultCacheBehavior.viewerProtocolPolicy", "defaultCacheBehavior.viewerProtocolPolicy is \"allow-all\", so viewers can use plain HTTP: set it to \"redirect-to-https\" (or \"https-only\").");
	const pv_value *ocbs = pv_get(p, "orderedCacheBehaviors");
	PV_LIST_FOREACH(i, e, ocbs) {
		char path[128];
		snprintf(path, sizeof(path), "orderedCacheBehaviors[%zu].viewerProtocolPolicy", i);
		rc = pv_get_str(pv_get(e, "viewerProtocolPolicy"), &vpp);
		if (rc == PV_EUNKNOWN)
			pol_unknown(c, arena_strdup(pol_arena(c), path));
		else if (rc == PV_OK && strcmp(vpp, "allow-all") == 0)
			pol_report(c, NULL, path, "%s is \"allow-all\", so viewers can use plain HTTP for this path: set it to \"redirect-to-https\" (or \"https-only\").", path);
	}

	/* Origin protocol: custom origins only (S3 REST origins always use HTTPS). */
	const pv_value *origins = pv_get(p, "origins");
	if (pv_kind(origins) == PV_UNKNOWN)
		pol_unknown(c, "origins");
	PV_LIST_FOREACH(i, e, origins) {
		const pv_value *coc = cf_one(pv_get(e, "customOriginConfig"));
		const char *opp, *dom = NULL;
		char path[128];
		if (pv_kind(coc) != PV_OBJECT)
			continue;
		int drc = pv_get_str(pv_get(e, "domainName"), &dom);
		rc = pv_get_str(pv_get(coc, "originProtocolPolicy"), &opp);
		if (rc == PV_OK && strcmp(opp, "http-only") == 0) {
			/* S3 website endpoints only speak HTTP: nothing better is possible there. */
			if (dom && cf_contains(dom, ".s3-website"))
				continue;
			/* In preview the domain (e.g. a bucket's websiteEndpoint) may still be unknown. */
			if (drc == PV_EUNKNOWN) {
				snprintf(path, sizeof(path), "origins[%zu].domainName", i);
				pol_unknown(c, arena_strdup(pol_arena(c), path));
				continue;
			}
			snprintf(path, sizeof(path), "origins[%zu].customOriginConfig.originProtocolPolicy", i);
			pol_report(c, NULL, path, "%s is \"http-only\", so CloudFront forwards viewer traffic to the origin unencrypted: serve HTTPS on the origin and set originProtocolPolicy: \"https-only\" with originSslProtocols: [\"TLSv1.2\"].", path);
			continue;
		}
		const pv_value *sp = pv_get(coc, "originSslProtocols"), *x;
		PV_LIST_FOREACH(k, x, sp) {
			const char *proto = pv_str(x);
			if (proto && (strcmp(proto, "SSLv3") == 0 || strcmp(proto, "TLSv1") == 0 || strcmp(proto, "TLSv1.1") == 0)) {
				snprintf(path, sizeof(path), "origins[%zu].customOriginConfig.originSslProtocols", i);
				pol_report(c, NULL, path, "%s allows \"%s\" to the origin: set originSslProtocols: [\"TLSv1.2\"].", path, proto);
				break;
			}
		}
	}
}

/* ---- cloudfront-acm-certificate-region (stack) ----------------------------- */

/*
 * Preview: acmCertificateArn is usually unknown because the certificate is
 * created in the same program. propertyDependencies still say which
 * Certificate (or CertificateValidation) it came from, and that resource's
 * effective region is known.
 */
static void check_cert_region(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *d;
	STK_FOREACH_TYPE(s, CF_DIST, d) {
		const pv_value *vc = cf_one(pv_get(d->props, "viewerCertificate"));
		const char *arn;
		/* A known ARN is judged by cloudfront-viewer-tls; only follow links here. */
		if (cf_present(pv_get(vc, "acmCertificateArn"), &arn) > 0)
			continue;
		char *const *urns;
		size_t n = stk_prop_deps(d, "viewerCertificate", &urns);
		for (size_t i = 0; i < n; i++) {
			const struct pol_resource *cert = stk_by_urn(s, urns[i]);
			if (!cert || (strcmp(cert->type, "aws:acm/certificate:Certificate") != 0 &&
				      strcmp(cert->type, "aws:acm/certificateValidation:CertificateValidation") != 0))
				continue;
			const char *region;
			int rc = pol_region(c, cert, &region);
			if (rc == PV_EUNKNOWN) {
				pol_unknown(c, "viewerCertificate.acmCertificateArn");
				continue;
			}
			if (rc != PV_OK)
				continue;
			if (strcmp(region, "us-east-1") != 0)
				pol_report(c, d->urn, "viewerCertificate.acmCertificateArn",
					   "viewerCertificate.acmCertificateArn comes from %s \"%s\", which is created in %s: CloudFront only accepts ACM certificates from us-east-1. Create the certificate (and its validation) with a provider whose region is \"us-east-1\" (or set region: \"us-east-1\" on it in pulumi-aws v7).",
					   strstr(cert->type, "Validation") ? "certificate validation" : "certificate",
					   cert->name, region);
			break;
		}
	}
}

/* ---- cloudfront-origin-failover -------------------------------------------- */

/* True when `id` is one of the strings of `ids`. */
static int cf_has_id(const char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] && strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

static void check_origin_failover(struct pol_ctx *c, const struct pol_resource *r)
{
	const pv_value *p = r->props, *e, *m;
	const pv_value *origins = pv_get(p, "origins");
	const pv_value *groups = pv_get(p, "originGroups");
	struct arena *a = pol_arena(c);

	if (pv_kind(origins) == PV_UNKNOWN || pv_kind(groups) == PV_UNKNOWN) {
		pol_unknown(c, pv_kind(origins) == PV_UNKNOWN ? "origins" : "originGroups");
		return;
	}
	size_t n_o = pv_len(origins), n_g = pv_len(groups);
	const char **oid = arena_alloc(a, (n_o + 1) * sizeof(*oid));
	const char **gid = arena_alloc(a, (n_g + 1) * sizeof(*gid));
	if (!oid || !gid)
		return;
	int ids_unknown = 0;
	/* An element that is unknown as a whole (built from an Output) may hold any id. */
	PV_LIST_FOREACH(i, e, origins)
		if (pv_kind(e) == PV_UNKNOWN || cf_present(pv_get(e, "originId"), &oid[i]) < 0)
			ids_unknown = 1;
	PV_LIST_FOREACH(i, e, groups)
		if (pv_kind(e) == PV_UNKNOWN || cf_present(pv_get(e, "originId"), &gid[i]) < 0)
			ids_unknown = 1;

	/* Which ids do cache behaviours target? */
	size_t n_b = 1 + pv_len(pv_get(p, "orderedCacheBehaviors"));
	const char **tgt = arena_alloc(a, n_b * sizeof(*tgt));
	if (!tgt)
		return;
	int tgt_unknown = 0;
	if (cf_present(pv_get(cf_one(pv_get(p, "defaultCacheBehavior")), "targetOriginId"), &tgt[0]) < 0)
		tgt_unknown = 1;
	PV_LIST_FOREACH(i, e, pv_get(p, "orderedCacheBehaviors"))
		if (pv_kind(e) == PV_UNKNOWN || cf_present(pv_get(e, "targetOriginId"), &tgt[i + 1]) < 0)
			tgt_unknown = 1;
	if (pv_kind(pv_get(p, "orderedCacheBehaviors")) == PV_UNKNOWN)
		tgt_unknown = 1;

	/* Groups: two members, failover status codes, members that exist, used by a behaviour. */
	PV_LIST_FOREACH(i, e, groups) {
		const pv_value *mem = pv_get(e, "members");
		const pv_value *fc = cf_one(pv_get(e, "failoverCriteria"));
		const pv_value *sc = pv_get(fc, "statusCodes");
		const char *g = gid[i] ? gid[i] : "";
		char path[128];
		if (pv_kind(e) == PV_UNKNOWN) {
			pol_unknown(c, "originGroups");
			continue;
		}
		if (pv_kind(mem) == PV_UNKNOWN) {
			pol_unknown(c, "originGroups.members");
		} else if (pv_len(mem) != 2) {
			snprintf(path, sizeof(path), "originGroups[%zu].members", i);
			pol_report(c, NULL, path, "origin group \"%s\" has %zu member(s): an origin group needs exactly two members (primary first, then the failover origin).", g, pv_len(mem));
		} else if (!ids_unknown) {
			PV_LIST_FOREACH(k, m, mem) {
				const char *mid;
				if (cf_present(pv_get(m, "originId"), &mid) > 0 && !cf_has_id(oid, n_o, mid)) {
					snprintf(path, sizeof(path), "originGroups[%zu].members[%zu].originId", i, k);
					pol_report(c, NULL, path, "origin group \"%s\" member \"%s\" is not the originId of any origin of this distribution: list the origin in `origins` or fix the id.", g, mid);
				}
			}
		}
		if (pv_kind(sc) == PV_UNKNOWN || pv_kind(fc) == PV_UNKNOWN) {
			pol_unknown(c, "originGroups.failoverCriteria.statusCodes");
		} else if (pv_len(sc) == 0) {
			snprintf(path, sizeof(path), "originGroups[%zu].failoverCriteria.statusCodes", i);
			pol_report(c, NULL, path, "origin group \"%s\" has no failoverCriteria.statusCodes, so CloudFront never fails over: set statusCodes such as [500, 502, 503, 504] (add 403/404 for S3 origins).", g);
		}
		if (gid[i] && !tgt_unknown && !cf_has_id(tgt, n_b, gid[i])) {
			snprintf(path, sizeof(path), "originGroups[%zu].originId", i);
			pol_report(c, NULL, path, "origin group \"%s\" is not the targetOriginId of any cache behaviour, so failover never happens: set defaultCacheBehavior.targetOriginId (or the relevant orderedCacheBehaviors) to \"%s\".", g, g);
		}
	}

	/*
	 * Origin failover only works for GET, HEAD and OPTIONS: CloudFront
	 * rejects a cache behaviour that targets an origin group and allows
	 * POST, PUT, PATCH or DELETE ("cannot include POST, PUT, PATCH, or
	 * DELETE for a cached behavior associated with an origin group").
	 */
	for (size_t i = 0; i < n_b; i++) {
		const pv_value *b = i == 0 ? cf_one(pv_get(p, "defaultCacheBehavior"))
					   : pv_at(pv_get(p, "orderedCacheBehaviors"), i - 1);
		const pv_value *am = pv_get(b, "allowedMethods"), *mv;
		if (!tgt[i] || !cf_has_id(gid, n_g, tgt[i]) || pv_kind(am) != PV_LIST)
			continue;
		PV_LIST_FOREACH(k, mv, am) {
			const char *m = pv_str(mv);
			if (!m || strcasecmp(m, "GET") == 0 || strcasecmp(m, "HEAD") == 0 || strcasecmp(m, "OPTIONS") == 0)
				continue;
			char path[128];
			if (i == 0)
				snprintf(path, sizeof(path), "defaultCacheBehavior.allowedMethods");
			else
				snprintf(path, sizeof(path), "orderedCacheBehaviors[%zu].allowedMethods", i - 1);
			pol_report(c, NULL, path, "%s includes %s, but the behaviour targets origin group \"%s\" and CloudFront fails over only GET, HEAD and OPTIONS requests (it rejects this behaviour): allow only [\"GET\", \"HEAD\", \"OPTIONS\"] here and route writes through a separate behaviour to the primary origin.", path, pv_is_secret(mv) ? "a write method" : m, tgt[i]);
			break;
		}
	}

	/* Behaviours must target an origin or a group that exists. */
	if (!ids_unknown) {
		for (size_t i = 0; i < n_b; i++) {
			if (!tgt[i] || cf_has_id(oid, n_o, tgt[i]) || cf_has_id(gid, n_g, tgt[i]))
				continue;
			char path[128];
			if (i == 0)
				snprintf(path, sizeof(path), "defaultCacheBehavior.targetOriginId");
			else
				snprintf(path, sizeof(path), "orderedCacheBehaviors[%zu].targetOriginId", i - 1);
			pol_report(c, NULL, path, "%s \"%s\" matches no origin or origin group of this distribution: point it at an existing originId (or origin group id).", path, tgt[i]);
		}
	}

	/*
	 * Extra origins that no behaviour and no group uses are the usual sign of
	 * an intended-but-unwired failover origin. Origins that serve their own
	 * path patterns are a different design and are left alone.
	 */
	if (!ids_unknown && !tgt_unknown && n_o >= (size_t)pol_cfg_num(c, "minOriginsForGroup", 2)) {
		PV_LIST_FOREACH(i, e, origins) {
			if (!oid[i] || cf_has_id(tgt, n_b, oid[i]))
				continue;
			int in_group = 0;
			const pv_value *g;
			PV_LIST_FOREACH(k, g, groups) {
				PV_LIST_FOREACH(j, m, pv_get(g, "members")) {
					const char *mid = pv_str(pv_get(m, "originId"));
					if (mid && strcmp(mid, oid[i]) == 0)
						in_group = 1;
				}
			}
			if (in_group)
				continue;
			char path[128];
			snprintf(path, sizeof(path), "origins[%zu]", i);
			pol_report(c, NULL, path, "origin \"%s\" is used by no cache behaviour and no origin group, so it never receives traffic: to fail over to it, add originGroups: [{ originId: \"<group>\", failoverCriteria: { statusCodes: [500, 502, 503, 504] }, members: [{ originId: \"<primary>\" }, { originId: \"%s\" }] }] and target the group from the cache behaviour.", oid[i], oid[i]);
		}
	}

	if (pol_cfg_bool(c, "alwaysRequire") && n_g == 0)
		pol_report(c, NULL, "originGroups", "the distribution has no origin group, so an origin outage is served as errors: add a second origin and an origin group with failoverCriteria.statusCodes, and target the group from defaultCacheBehavior.");
}

/* ---- cloudfront-regional-distributions (stack) ----------------------------- */

struct cf_cand {
	const struct pol_resource *r;
	const char *region;
	const char *kind;
};

/*
 * Region and kind of a distribution's origins: "" region when they span
 * several regions or none can be placed; NULL when something is unknown.
 */
static int cf_origin_region(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *d,
			    const char **region, const char **kind)
{
	struct arena *a = pol_arena(c);
	const pv_value *origins = pv_get(d->props, "origins"), *e;
	const char *reg = NULL, *knd = NULL;
	int mixed = 0, unplaced = 0, unknown = 0;
	char buf[32];

	if (pv_kind(origins) != PV_LIST || pv_len(origins) == 0)
		return -1;
	PV_LIST_FOREACH(i, e, origins) {
		const char *dom;
		int rc = cf_present(pv_get(e, "domainName"), &dom);
		if (rc < 0) {
			unknown = 1;   /* resolved below through propertyDependencies */
			continue;
		}
		if (rc == 0 || cf_domain_region(dom, buf, sizeof(buf)) != 0) {
			unplaced = 1;
			continue;
		}
		const char *k = cf_domain_kind(dom);
		if ((reg && strcmp(reg, buf) != 0) || (knd && strcmp(knd, k) != 0))
			mixed = 1;
		if (!reg)
			reg = arena_strdup(a, buf);
		knd = k;
	}
	if (unplaced || mixed)
		return -1;
	if (unknown) {
		char *const *urns;
		size_t n = stk_prop_deps(d, "origins", &urns);
		int found = 0;
		for (size_t i = 0; i < n; i++) {
			const struct pol_resource *o = stk_by_urn(s, urns[i]);
			const char *k = o ? cf_type_kind(o->type) : NULL, *or;
			if (!k)
				continue;
			int rc = pol_region(c, o, &or);
			if (rc == PV_EUNKNOWN)
				return -2;
			if (rc != PV_OK)
				continue;
			found = 1;
			if ((reg && strcmp(reg, or) != 0) || (knd && strcmp(knd, k) != 0))
				mixed = 1;
			if (!reg)
				reg = or;
			knd = k;
		}
		if (!found)
			return -2;
	}
	if (mixed || !reg)
		return -1;
	*region = reg;
	*kind = knd;
	return 0;
}

static void check_regional_distributions(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *d;
	size_t n = 0, first;
	size_t total = stk_type_range(s, CF_DIST, &first);
	if (total < 2)
		return;
	struct cf_cand *cand = arena_alloc(pol_arena(c), total * sizeof(*cand));
	if (!cand)
		return;
	STK_FOREACH_TYPE(s, CF_DIST, d) {
		const pv_value *g = pv_get(d->props, "originGroups");
		if (pv_kind(g) == PV_UNKNOWN || pv_len(g) > 0)
			continue;   /* has (or may have) failover: not the per-region pattern */
		const char *reg, *kind;
		int rc = cf_origin_region(c, s, d, &reg, &kind);
		if (rc == -2) {
			/*
			 * Origins unknown and unlinked: a distribution deliberately
			 * created through a regional provider still says which region
			 * it was built for. Such candidates are only compared with each
			 * other.
			 */
			if (*d->provider_urn && !pol_is_default_provider(d->provider_type, d->provider_urn, d->provider_name) &&
			    pol_region(c, d, &reg) == PV_OK) {
				kind = "regional";
				rc = 0;
			} else {
				pol_unknown(c, "origins");
				continue;
			}
		}
		if (rc != 0)
			continue;
		cand[n].r = d;
		cand[n].region = reg;
		cand[n].kind = kind;
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cf_cand *other = NULL;
		for (size_t k = 0; k < n && !other; k++)
			if (k != i && strcmp(cand[k].kind, cand[i].kind) == 0 && strcmp(cand[k].region, cand[i].region) != 0)
				other = &cand[k];
		if (!other)
			continue;
		pol_report(c, cand[i].r->urn, "originGroups",
			   "this distribution only serves the %s origin in %s while distribution \"%s\" serves the one in %s: CloudFront is global, so one distribution per region gives neither failover nor nearest-region routing. Use a single distribution whose origin group lists the regional origins (failoverCriteria.statusCodes [500, 502, 503, 504]), or put Route 53 latency/failover records in front of the regional origins.",
			   cand[i].kind, cand[i].region, other->r->name, other->region);
	}
}

/* ---- cloudfront-logging-enabled (stack) ------------------------------------ */

/* The CloudFront standard-logging (v2) delivery source for distribution `d`, or NULL. */
static const struct pol_resource *cf_v2_source(const struct stk_index *s, const struct pol_resource *d)
{
	const struct pol_resource *src;
	const char *darn = pv_str(pv_get(d->props, "arn"));
	STK_FOREACH_TYPE(s, "aws:cloudwatch/logDeliverySource:LogDeliverySource", src) {
		const char *lt;
		int rc = pv_get_str(pv_get(src->props, "logType"), &lt);
		if (rc == PV_OK && strcmp(lt, "ACCESS_LOGS") != 0)
			continue;
		char *const *urns;
		size_t n = stk_prop_deps(src, "resourceArn", &urns);
		for (size_t i = 0; i < n; i++)
			if (strcmp(urns[i], d->urn) == 0)
				return src;
		const char *ra = pv_str(pv_get(src->props, "resourceArn"));
		if (ra && darn && strcmp(ra, darn) == 0)
			return src;
	}
	return NULL;
}

/* Does the bucket resource `b` have ACLs disabled (BucketOwnerEnforced) via a BucketOwnershipControls? */
static const struct pol_resource *cf_acl_disabled(const struct stk_index *s, const struct pol_resource *b, const char *name)
{
	const struct pol_resource *oc;
	STK_FOREACH_TYPE(s, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", oc) {
		int linked = 0;
		const char *bn = pv_str(pv_get(oc->props, "bucket"));
		if (name && bn && strcmp(bn, name) == 0)
			linked = 1;
		if (!linked && b) {
			char *const *urns;
			size_t n = stk_prop_deps(oc, "bucket", &urns);
			for (size_t i = 0; i < n && !linked; i++)
				linked = strcmp(urns[i], b->urn) == 0;
		}
		if (!linked)
			continue;
		const char *own = pv_str(pv_get(cf_one(pv_get(oc->props, "rule")), "objectOwnership"));
		if (own && strcmp(own, "BucketOwnerEnforced") == 0)
			return oc;
	}
	return NULL;
}

static int cf_is_bucket_type(const char *t)
{
	return strcmp(t, "aws:s3/bucket:Bucket") == 0 || strcmp(t, "aws:s3/bucketV2:BucketV2") == 0;
}

static void cf_check_log_bucket(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *d,
				const pv_value *bv, const char *bucket)
{
	const char *path = "loggingConfig.bucket";
	const char *q = cf_quote(c, bv, bucket);
	if (aws_output_marker_in(bucket))
		return;   /* no-stringified-pulumi-outputs reports this */
	if (strncasecmp(bucket, "arn:", 4) == 0) {
		pol_report(c, d->urn, path, "%s is %s, an ARN: CloudFront expects the log bucket's domain name (\"<bucket>.s3.amazonaws.com\"); pass the bucket's bucketDomainName output.", path, q);
		return;
	}
	if (cf_contains(bucket, "://") || cf_contains(bucket, "/")) {
		pol_report(c, d->urn, path, "%s is %s, a URL or path: CloudFront expects the log bucket's domain name (\"<bucket>.s3.amazonaws.com\", the bucketDomainName output); put any folder in loggingConfig.prefix.", path, q);
		return;
	}
	if (cf_contains(bucket, ".s3-website")) {
		pol_report(c, d->urn, path, "%s is %s, an S3 website endpoint: CloudFront needs the bucket's REST domain name (\"<bucket>.s3.amazonaws.com\", the bucketDomainName output).", path, q);
		return;
	}
	if (!(cf_ends_with(bucket, ".amazonaws.com") || cf_ends_with(bucket, ".amazonaws.com.cn")) ||
	    !(cf_contains(bucket, ".s3.") || cf_contains(bucket, ".s3-"))) {
		pol_report(c, d->urn, path, "%s is %s, which looks like a bucket name: CloudFront expects the bucket's domain name (\"<bucket>.s3.amazonaws.com\"); pass the bucket's bucketDomainName output instead of its name or id.", path, q);
		return;
	}
	/* Valid domain: legacy logging writes through ACLs, which BucketOwnerEnforced disables. */
	size_t nl = strcspn(bucket, ".");
	const char *s3 = strstr(bucket, ".s3");
	if (s3)
		nl = (size_t)(s3 - bucket);
	char *name = arena_strndup(pol_arena(c), bucket, nl);
	const struct pol_resource *b = NULL, *x;
	for (size_t i = 0; i < s->n && !b; i++) {
		x = &s->res[i];
		const char *bn = cf_is_bucket_type(x->type) ? pv_str(pv_get(x->props, "bucket")) : NULL;
		if (bn && name && strcmp(bn, name) == 0)
			b = x;
	}
	const struct pol_resource *oc = cf_acl_disabled(s, b, name);
	if (oc)
		pol_report(c, d->urn, path, "the log bucket of loggingConfig.bucket has ACLs disabled by BucketOwnershipControls \"%s\" (objectOwnership \"BucketOwnerEnforced\"), but CloudFront standard logging (legacy) delivers through the bucket ACL (awslogsdelivery FULL_CONTROL): use objectOwnership \"BucketOwnerPreferred\" for the log bucket, or switch to CloudFront standard logging v2 (aws.cloudwatch.LogDeliverySource with logType \"ACCESS_LOGS\").", oc->name);
}

static void check_logging(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *d;
	STK_FOREACH_TYPE(s, CF_DIST, d) {
		const pv_value *lc = pv_get(d->props, "loggingConfig");
		if (pv_kind(lc) == PV_UNKNOWN) {
			pol_unknown(c, "loggingConfig");
			continue;
		}
		lc = cf_one(lc);
		const pv_value *bv = pv_get(lc, "bucket");
		const char *bucket;
		int v1 = cf_present(bv, &bucket);
		if (v1 > 0) {
			cf_check_log_bucket(c, s, d, bv, bucket);
			continue;
		}
		if (v1 < 0) {
			/* Preview: judge the ACL question through the dependency on the bucket. */
			char *const *urns;
			size_t n = stk_prop_deps(d, "loggingConfig", &urns);
			for (size_t i = 0; i < n; i++) {
				const struct pol_resource *b = stk_by_urn(s, urns[i]);
				const struct pol_resource *oc = b && cf_is_bucket_type(b->type) ? cf_acl_disabled(s, b, pv_str(pv_get(b->props, "bucket"))) : NULL;
				if (oc) {
					pol_report(c, d->urn, "loggingConfig.bucket", "the log bucket \"%s\" has ACLs disabled by BucketOwnershipControls \"%s\" (objectOwnership \"BucketOwnerEnforced\"), but CloudFront standard logging (legacy) delivers through the bucket ACL: use objectOwnership \"BucketOwnerPreferred\" for the log bucket, or switch to CloudFront standard logging v2 (aws.cloudwatch.LogDeliverySource with logType \"ACCESS_LOGS\").", b->name, oc->name);
					break;
				}
			}
			pol_unknown(c, "loggingConfig.bucket");
			continue;
		}
		const struct pol_resource *src = cf_v2_source(s, d);
		if (src) {
			/* CloudFront delivers its v2 logs only through sources in us-east-1. */
			const char *reg;
			if (pol_region(c, src, &reg) == PV_OK && strcmp(reg, "us-east-1") != 0)
				pol_report(c, src->urn, "region", "log delivery source \"%s\" for CloudFront distribution \"%s\" is created in %s: CloudFront access-log delivery must be configured in us-east-1; create the LogDeliverySource (and its LogDelivery) with a us-east-1 provider or region: \"us-east-1\".", src->name, d->name, reg);
			continue;
		}
		pol_report(c, d->urn, "loggingConfig", "the distribution has no access logging: set loggingConfig: { bucket: logBucket.bucketDomainName, prefix: \"cloudfront/<name>/\" } (a bucket whose objectOwnership allows ACLs), or configure CloudFront standard logging v2 (aws.cloudwatch.LogDeliverySource { logType: \"ACCESS_LOGS\", resourceArn: distribution.arn } plus a LogDeliveryDestination and LogDelivery in us-east-1).");
	}
}

/* ---- table ----------------------------------------------------------------- */

static const struct pol_doc doc_viewer_tls = {
	.why = "Seed 004 #5/#11: the CloudFront distribution had `certificate: undefined` while the ALB used a placeholder ACM ARN, so TLS for the custom domain was never configured. CloudFront only accepts ACM certificates from us-east-1, aliases need a certificate that covers them, and `allow-all` / `http-only` / TLS 1.0 leave traffic unencrypted.",
	.fail_ts = "new aws.cloudfront.Distribution(\"cdn\", {\n  aliases: [\"shop.acme.io\"],\n  viewerCertificate: { cloudfrontDefaultCertificate: true },\n  defaultCacheBehavior: { viewerProtocolPolicy: \"allow-all\", /* ... */ },\n  /* ... */\n});",
	.fixed_ts = "const useast1 = new aws.Provider(\"use1\", { region: \"us-east-1\" });\nconst cert = new aws.acm.Certificate(\"cert\", { domainName: \"shop.acme.io\", validationMethod: \"DNS\" }, { provider: useast1 });\nnew aws.cloudfront.Distribution(\"cdn\", {\n  aliases: [\"shop.acme.io\"],\n  viewerCertificate: { acmCertificateArn: cert.arn, sslSupportMethod: \"sni-only\", minimumProtocolVersion: \"TLSv1.2_2021\" },\n  defaultCacheBehavior: { viewerProtocolPolicy: \"redirect-to-https\", /* ... */ },\n  /* ... */\n});",
	.fail_py = "aws.cloudfront.Distribution(\"cdn\",\n    aliases=[\"shop.acme.io\"],\n    viewer_certificate={\"cloudfront_default_certificate\": True},\n    default_cache_behavior={\"viewer_protocol_policy\": \"allow-all\", ...}, ...)",
	.fixed_py = "use1 = aws.Provider(\"use1\", region=\"us-east-1\")\ncert = aws.acm.Certificate(\"cert\", domain_name=\"shop.acme.io\", validation_method=\"DNS\",\n    opts=pulumi.ResourceOptions(provider=use1))\naws.cloudfront.Distribution(\"cdn\",\n    aliases=[\"shop.acme.io\"],\n    viewer_certificate={\"acm_certificate_arn\": cert.arn, \"ssl_support_method\": \"sni-only\",\n                        \"minimum_protocol_version\": \"TLSv1.2_2021\"},\n    default_cache_behavior={\"viewer_protocol_policy\": \"redirect-to-https\", ...}, ...)",
};

static const struct pol_doc doc_cert_region = {
	.why = "Seed 004 #5/#11: certificates were created next to the regional resources. A certificate requested in any region but us-east-1 cannot be attached to CloudFront; in preview the ARN is unknown, so the link through propertyDependencies is the only way to see it before the deployment fails.",
	.fail_ts = "const cert = new aws.acm.Certificate(\"cert\", { domainName: \"shop.acme.io\", validationMethod: \"DNS\" }, { provider: usWest2 });\nnew aws.cloudfront.Distribution(\"cdn\", { viewerCertificate: { acmCertificateArn: cert.arn, sslSupportMethod: \"sni-only\", minimumProtocolVersion: \"TLSv1.2_2021\" }, /* ... */ });",
	.fixed_ts = "const cert = new aws.acm.Certificate(\"cert\", { domainName: \"shop.acme.io\", validationMethod: \"DNS\" }, { provider: usEast1 });",
	.fail_py = "cert = aws.acm.Certificate(\"cert\", domain_name=\"shop.acme.io\", validation_method=\"DNS\",\n    opts=pulumi.ResourceOptions(provider=us_west_2))",
	.fixed_py = "cert = aws.acm.Certificate(\"cert\", domain_name=\"shop.acme.io\", validation_method=\"DNS\",\n    opts=pulumi.ResourceOptions(provider=us_east_1))",
};

static const struct pol_doc doc_failover = {
	.why = "Seed 004 #2: distributions had no origin groups, so an origin outage is served to users as errors. An origin group needs exactly two members and failover status codes, and a cache behaviour must target the group for failover to happen.",
	.fail_ts = "new aws.cloudfront.Distribution(\"cdn\", {\n  origins: [primaryOrigin, secondaryOrigin],\n  defaultCacheBehavior: { targetOriginId: \"primary\", /* ... */ },\n  /* no originGroups */\n});",
	.fixed_ts = "new aws.cloudfront.Distribution(\"cdn\", {\n  origins: [primaryOrigin, secondaryOrigin],\n  originGroups: [{ originId: \"app\", failoverCriteria: { statusCodes: [500, 502, 503, 504] },\n                   members: [{ originId: \"primary\" }, { originId: \"secondary\" }] }],\n  defaultCacheBehavior: { targetOriginId: \"app\", /* ... */ },\n});",
	.fail_py = "aws.cloudfront.Distribution(\"cdn\", origins=[primary, secondary],\n    default_cache_behavior={\"target_origin_id\": \"primary\", ...}, ...)",
	.fixed_py = "aws.cloudfront.Distribution(\"cdn\", origins=[primary, secondary],\n    origin_groups=[{\"origin_id\": \"app\", \"failover_criteria\": {\"status_codes\": [500, 502, 503, 504]},\n                    \"members\": [{\"origin_id\": \"primary\"}, {\"origin_id\": \"secondary\"}]}],\n    default_cache_behavior={\"target_origin_id\": \"app\", ...}, ...)",
};

static const struct pol_doc doc_regional = {
	.why = "Seed 004 #2: the program created one CloudFront distribution per region, each pointing at that region's ALB. CloudFront is already global; separate distributions give neither failover nor nearest-region routing.",
	.fail_ts = "for (const region of [\"us-east-1\", \"us-west-2\"]) {\n  new aws.cloudfront.Distribution(`cdn-${region}`, { origins: [{ originId: \"alb\", domainName: albs[region].dnsName, /* ... */ }], /* ... */ });\n}",
	.fixed_ts = "new aws.cloudfront.Distribution(\"cdn\", {\n  origins: [{ originId: \"use1\", domainName: albs[\"us-east-1\"].dnsName, /* ... */ },\n            { originId: \"usw2\", domainName: albs[\"us-west-2\"].dnsName, /* ... */ }],\n  originGroups: [{ originId: \"app\", failoverCriteria: { statusCodes: [500, 502, 503, 504] },\n                   members: [{ originId: \"use1\" }, { originId: \"usw2\" }] }],\n  defaultCacheBehavior: { targetOriginId: \"app\", /* ... */ },\n});",
	.fail_py = "for region in [\"us-east-1\", \"us-west-2\"]:\n    aws.cloudfront.Distribution(f\"cdn-{region}\", origins=[{\"origin_id\": \"alb\", \"domain_name\": albs[region].dns_name, ...}], ...)",
	.fixed_py = "aws.cloudfront.Distribution(\"cdn\",\n    origins=[{\"origin_id\": \"use1\", \"domain_name\": albs[\"us-east-1\"].dns_name, ...},\n             {\"origin_id\": \"usw2\", \"domain_name\": albs[\"us-west-2\"].dns_name, ...}],\n    origin_groups=[{\"origin_id\": \"app\", \"failover_criteria\": {\"status_codes\": [500, 502, 503, 504]},\n                    \"members\": [{\"origin_id\": \"use1\"}, {\"origin_id\": \"usw2\"}]}],\n    default_cache_behavior={\"target_origin_id\": \"app\", ...}, ...)",
};

static const struct pol_doc doc_logging = {
	.why = "Seed 004 #11: CloudFront logging was incomplete. Without access logs there is no record of viewer traffic; and loggingConfig.bucket takes the bucket's domain name (`<bucket>.s3.amazonaws.com`), not its name or ARN, on a bucket that still allows ACLs.",
	.fail_ts = "new aws.cloudfront.Distribution(\"cdn\", { loggingConfig: { bucket: logs.bucket }, /* ... */ });",
	.fixed_ts = "new aws.cloudfront.Distribution(\"cdn\", { loggingConfig: { bucket: logs.bucketDomainName, prefix: \"cdn/\" }, /* ... */ });",
	.fail_py = "aws.cloudfront.Distribution(\"cdn\", logging_config={\"bucket\": logs.bucket}, ...)",
	.fixed_py = "aws.cloudfront.Distribution(\"cdn\", logging_config={\"bucket\": logs.bucket_domain_name, \"prefix\": \"cdn/\"}, ...)",
};

static const struct policy policies[] = {
	{
		.name = "cloudfront-viewer-tls",
		.display_name = "CloudFront viewer TLS",
		.description = "CloudFront distributions must serve HTTPS with a valid us-east-1 ACM certificate for their aliases, a modern minimum TLS version, no allow-all viewer policy and TLS to custom origins.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(CF_DIST),
		.config_schema = "{\"allowedMinimumProtocolVersions\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
			"\"default\": [\"TLSv1.2_2021\", \"TLSv1.2_2025\", \"TLSv1.3_2025\"], "
			"\"description\": \"viewerCertificate.minimumProtocolVersion values accepted when a custom certificate is used.\"}}",
		.remediation_steps = "Create the certificate with a us-east-1 provider and set viewerCertificate { acmCertificateArn, sslSupportMethod: \"sni-only\", minimumProtocolVersion: \"TLSv1.2_2021\" }; set every viewerProtocolPolicy to \"redirect-to-https\"; use originProtocolPolicy \"https-only\" with originSslProtocols [\"TLSv1.2\"].",
		.tags = "cloudfront,tls,certificates",
		.url = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html",
		.check = check_viewer_tls,
		.doc = &doc_viewer_tls,
	},
	{
		.name = "cloudfront-acm-certificate-region",
		.display_name = "CloudFront certificate created in us-east-1",
		.description = "An ACM certificate attached to a CloudFront distribution must be created in us-east-1.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(CF_DIST, "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation"),
		.config_schema = NULL,
		.remediation_steps = "Create the aws.acm.Certificate (and its CertificateValidation) with a provider whose region is us-east-1, or set region: \"us-east-1\" on them (pulumi-aws v7).",
		.tags = "cloudfront,acm,tls,regions",
		.url = "https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html",
		.check_stack = check_cert_region,
		.doc = &doc_cert_region,
	},
	{
		.name = "cloudfront-origin-failover",
		.display_name = "CloudFront origin failover wired correctly",
		.description = "CloudFront origin groups must have two members and failover status codes and be targeted by a cache behaviour that allows only GET, HEAD and OPTIONS; secondary origins must be reachable through an origin group.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(CF_DIST),
		.config_schema = "{\"minOriginsForGroup\": {\"type\": \"integer\", \"minimum\": 2, \"default\": 2, "
			"\"description\": \"Distributions with at least this many origins must use every origin from a cache behaviour or an origin group.\"}, "
			"\"alwaysRequire\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Require an origin group on every distribution, even single-origin ones.\"}}",
		.remediation_steps = "Add originGroups: [{ originId, failoverCriteria: { statusCodes: [500, 502, 503, 504] }, members: [{ originId: primary }, { originId: secondary }] }] and set defaultCacheBehavior.targetOriginId to the group id.",
		.tags = "cloudfront,resilience,failover",
		.url = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html",
		.check = check_origin_failover,
		.doc = &doc_failover,
	},
	{
		.name = "cloudfront-regional-distributions",
		.display_name = "No CloudFront distribution per region",
		.description = "Regional origins of the same application must sit behind one CloudFront distribution with an origin group (or Route 53 routing), not one distribution per region.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(CF_DIST),
		.config_schema = NULL,
		.remediation_steps = "Replace the per-region distributions with one distribution whose origin group lists the regional origins, and target the group from defaultCacheBehavior; or route with Route 53 latency/failover records.",
		.tags = "cloudfront,resilience,multi-region",
		.url = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html",
		.check_stack = check_regional_distributions,
		.doc = &doc_regional,
	},
	{
		.name = "cloudfront-logging-enabled",
		.display_name = "CloudFront access logging enabled",
		.description = "CloudFront distributions must log viewer requests, through loggingConfig with the log bucket's domain name or through standard logging v2.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(CF_DIST, "aws:cloudwatch/logDeliverySource:LogDeliverySource", "aws:s3/bucketOwnershipControls:BucketOwnershipControls"),
		.config_schema = NULL,
		.remediation_steps = "Set loggingConfig: { bucket: logBucket.bucketDomainName, prefix } on a bucket whose objectOwnership is BucketOwnerPreferred, or add an aws.cloudwatch.LogDeliverySource (logType ACCESS_LOGS, resourceArn = distribution.arn) with a LogDelivery.",
		.tags = "cloudfront,logging,observability",
		.url = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html",
		.check_stack = check_logging,
		.doc = &doc_logging,
	},
};

const struct pol_family pol_family_cloudfront = { "cloudfront", policies, sizeof(policies) / sizeof(policies[0]) };
