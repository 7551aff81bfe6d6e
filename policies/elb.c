/*
 * elb.c - policy family "elb" (see families.h): exposure of internet-facing
 * load balancers, HTTP-to-HTTPS redirects, and listener TLS (certificates
 * and security policies).
 *
 * All three are stack policies: a listener alone does not say whether its
 * load balancer is internal, which region its certificate resource lives in,
 * or which security-group rules (inline or standalone) guard the balancer.
 * Links follow propertyDependencies first (reliable in preview, when ARNs
 * and IDs are unknown) and output values second.
 */
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "aws.h"
#include "cidr.h"
#include "policy.h"
#include "stack.h"

#define ELB_SG "aws:ec2/securityGroup:SecurityGroup"
#define ELB_SG_RULE "aws:ec2/securityGroupRule:SecurityGroupRule"
#define ELB_SG_INGRESS "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
#define ELB_ACM_CERT "aws:acm/certificate:Certificate"
#define ELB_ACM_VALIDATION "aws:acm/certificateValidation:CertificateValidation"

/* Load balancer and listener tokens: current ones plus the legacy aliases. */
static const char *const elb_lb_types[] = {
	"aws:lb/loadBalancer:LoadBalancer",
	"aws:alb/loadBalancer:LoadBalancer",
	"aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
	"aws:applicationloadbalancing/loadBalancer:LoadBalancer",
};
static const char *const elb_listener_types[] = {
	"aws:lb/listener:Listener",
	"aws:alb/listener:Listener",
	"aws:elasticloadbalancingv2/listener:Listener",
	"aws:applicationloadbalancing/listener:Listener",
};
static const char *const elb_listener_cert_types[] = {
	"aws:lb/listenerCertificate:ListenerCertificate",
	"aws:alb/listenerCertificate:ListenerCertificate",
};
#define ELB_N(arr) (sizeof(arr) / sizeof((arr)[0]))

/* ---- small helpers ------------------------------------------------------------ */

/* Does property `prop` of `x` refer to resource `t`? 1 yes, 0 no, -1 cannot tell. */
static int elb_refers(const struct pol_resource *x, const char *prop, const struct pol_resource *t,
		      const char *const *out_keys)
{
	char *const *urns;
	size_t n = stk_prop_deps(x, prop, &urns);
	const pv_value *v = pv_get(x->props, prop);

	for (size_t i = 0; i < n; i++)
		if (strcmp(urns[i], t->urn) == 0)
			return 1;
	if (pv_kind(v) == PV_STRING) {
		for (size_t k = 0; out_keys[k]; k++) {
			const char *o = pv_str(pv_get(t->props, out_keys[k]));
			if (o && *o && strcmp(o, pv_str(v)) == 0)
				return 1;
		}
		return 0;
	}
	if (n > 0)
		return 0;
	return pv_kind(v) == PV_UNKNOWN ? -1 : 0;
}

static const char *const elb_id_keys[] = { "id", NULL };
static const char *const elb_arn_keys[] = { "arn", "id", NULL };

/* The load balancer of a listener, or NULL; *unknown when it cannot be told. */
static const struct pol_resource *elb_listener_lb(const struct stk_index *s, const struct pol_resource *l,
						  int *unknown)
{
	const struct pol_resource *lb;

	*unknown = 0;
	for (size_t t = 0; t < ELB_N(elb_lb_types); t++) {
		STK_FOREACH_TYPE(s, elb_lb_types[t], lb) {
			int k = elb_refers(l, "loadBalancerArn", lb, elb_arn_keys);
			if (k == 1)
				return lb;
			if (k < 0)
				*unknown = 1;
		}
	}
	return NULL;
}

/* internal: 1 internal, 0 internet-facing (absent = internet-facing), -1 unknown. */
static int elb_internal(const struct pol_resource *lb)
{
	int b = 0;
	int rc = pv_get_bool(pv_get(lb->props, "internal"), &b);

	if (rc == PV_EUNKNOWN)
		return -1;
	if (rc != PV_OK)
		return 0;
	return b ? 1 : 0;
}

/* ---- alb-internet-facing-restricted -------------------------------------------- */

struct elb_open {
	const char *sg;         /* security group name */
	const char *where;      /* "ingress[0]" or the rule resource's name */
	const char *cidr;
	const char *ports;
};

/* First world-open CIDR (prefix /0) in a rule: 1 found, 0 none, -1 unknown. */
static int elb_rule_open(const pv_value *rule, const char *k4, const char *k6, const char **cidr)
{
	const char *keys[2] = { k4, k6 };
	int unknown = 0;

	if (pv_kind(rule) == PV_UNKNOWN)
		return -1;
	for (size_t k = 0; k < 2; k++) {
		const pv_value *v = pv_get(rule, keys[k]), *e;
		size_t n = pv_kind(v) == PV_LIST ? pv_len(v) : 1;

		if (pv_kind(v) == PV_UNKNOWN) {
			unknown = 1;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			struct cidr cb;
			e = pv_kind(v) == PV_LIST ? pv_at(v, i) : v;
			if (pv_kind(e) == PV_UNKNOWN)
				unknown = 1;
			if (pv_kind(e) != PV_STRING || cidr_parse(pv_str(e), &cb) != 0 || cb.prefix != 0)
				continue;
			*cidr = pv_is_secret(e) ? "a public range" : pv_str(e);
			return 1;
		}
	}
	return unknown ? -1 : 0;
}

/* "tcp 443", "tcp 80-443", "all traffic" for messages. */
static const char *elb_ports(struct arena *a, const pv_value *rule, const char *proto_key)
{
	const char *p = pv_str(pv_get(rule, proto_key));
	double from = -1, to = -1;

	if (!p || strcmp(p, "-1") == 0 || strcasecmp(p, "all") == 0)
		return "all traffic";
	pv_get_num(pv_get(rule, "fromPort"), &from);
	pv_get_num(pv_get(rule, "toPort"), &to);
	if (from < 0 || to < 0)
		return p;
	if (from == to)
		return arena_printf(a, "%s %d", p, (int)from);
	return arena_printf(a, "%s %d-%d", p, (int)from, (int)to);
}

/*
 * Does security group `sg` accept ingress from the whole internet, inline or
 * through standalone rules? 1 (and *o filled), 0, or -1 unknown.
 */
static int elb_sg_open(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *sg,
		       struct elb_open *o)
{
	struct arena *a = pol_arena(c);
	const pv_value *list = pv_get(sg->props, "ingress"), *e;
	const struct pol_resource *x;
	int unknown = pv_kind(list) == PV_UNKNOWN, k;

	o->sg = sg->name;
	PV_LIST_FOREACH(i, e, list) {
		k = elb_rule_open(e, "cidrBlocks", "ipv6CidrBlocks", &o->cidr);
		if (k < 0)
			unknown = 1;
		if (k == 1) {
			o->where = arena_printf(a, "ingress[%zu]", i);
			o->ports = elb_ports(a, e, "protocol");
			return 1;
		}
	}
	STK_FOREACH_TYPE(s, ELB_SG_RULE, x) {
		const char *type = pv_str(pv_get(x->props, "type"));
		int ref = elb_refers(x, "securityGroupId", sg, elb_id_keys);
		if (ref == 0)
			continue;
		if (!type || strcmp(type, "ingress") != 0) {
			if (pv_kind(pv_get(x->props, "type")) == PV_UNKNOWN)
				unknown = 1;
			continue;
		}
		k = elb_rule_open(x->props, "cidrBlocks", "ipv6CidrBlocks", &o->cidr);
		if (k == 1 && ref == 1) {
			o->where = arena_printf(a, "SecurityGroupRule %s", x->name);
			o->ports = elb_ports(a, x->props, "protocol");
			return 1;
		}
		if (k != 0)
			unknown = 1;
	}
	STK_FOREACH_TYPE(s, ELB_SG_INGRESS, x) {
		int ref = elb_refers(x, "securityGroupId", sg, elb_id_keys);
		if (ref == 0)
			continue;
		k = elb_rule_open(x->props, "cidrIpv4", "cidrIpv6", &o->cidr);
		if (k == 1 && ref == 1) {
			o->where = arena_printf(a, "SecurityGroupIngressRule %s", x->name);
			o->ports = elb_ports(a, x->props, "ipProtocol");
			return 1;
		}
		if (k != 0)
			unknown = 1;
	}
	return unknown ? -1 : 0;
}

static int elb_lb_allowed(struct pol_ctx *c, const struct pol_resource *lb)
{
	const char *name = pv_str(pv_get(lb->props, "name"));

	return pol_cfg_list_glob(c, "allowedPublicLoadBalancers", lb->name) ||
	       (name && pol_cfg_list_glob(c, "allowedPublicLoadBalancers", name));
}

static void elb_check_public_lb(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *lb)
{
	const pv_value *sgs = pv_get(lb->props, "securityGroups"), *e;
	const char *type = pv_str(pv_get(lb->props, "loadBalancerType"));
	const struct pol_resource *sg;
	char *const *urns;
	size_t n_deps = stk_prop_deps(lb, "securityGroups", &urns);
	int internal = elb_internal(lb), unknown = 0;
	struct elb_open o;

	if (type && strcmp(type, "gateway") == 0)
		return;
	if (internal < 0) {
		pol_unknown(c, "internal");
		return;
	}
	if (internal == 1 || elb_lb_allowed(c, lb))
		return;

	/* Security groups through property dependencies ... */
	for (size_t i = 0; i < n_deps; i++) {
		sg = stk_by_urn(s, urns[i]);
		if (!sg || strcmp(sg->type, ELB_SG) != 0)
			continue;
		int k = elb_sg_open(c, s, sg, &o);
		if (k == 1)
			goto report;
		if (k < 0)
			unknown = 1;
	}
	/* ... and through literal IDs that match a group of the stack. */
	if (pv_kind(sgs) == PV_UNKNOWN && n_deps == 0)
		unknown = 1;
	PV_LIST_FOREACH(i, e, sgs) {
		const char *id = pv_str(e);
		if (pv_kind(e) == PV_UNKNOWN && n_deps == 0)
			unknown = 1;
		if (!id)
			continue;
		STK_FOREACH_TYPE(s, ELB_SG, sg) {
			const char *sid = pv_str(pv_get(sg->props, "id"));
			if (!sid || strcmp(sid, id) != 0)
				continue;
			int k = elb_sg_open(c, s, sg, &o);
			if (k == 1)
				goto report;
			if (k < 0)
				unknown = 1;
		}
	}
	if (unknown)
		pol_unknown(c, "securityGroups");
	return;
report:
	pol_report(c, lb->urn, "securityGroups", "Load balancer %s is internet-facing (internal is not "
		   "true) and its security group %s accepts %s on %s (%s): restrict ingress to the "
		   "CloudFront origin-facing prefix list or authorized CIDRs - for IPv4 and IPv6 (::/0) "
		   "alike - or set internal: true; if public exposure is intended, set "
		   "allowInternetFacing or list it in allowedPublicLoadBalancers.", lb->name, o.sg,
		   o.cidr, o.ports ? o.ports : "some ports", o.where ? o.where : "ingress");
}

static void check_lb_public(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *lb;

	if (pol_cfg_bool(c, "allowInternetFacing"))
		return;
	for (size_t t = 0; t < ELB_N(elb_lb_types); t++) {
		STK_FOREACH_TYPE(s, elb_lb_types[t], lb)
			elb_check_public_lb(c, s, lb);
	}
}

/* ---- alb-http-redirects-to-https -------------------------------------------------- */

/*
 * Do the default actions keep HTTP from serving content? 1 yes (a redirect
 * to HTTPS, or only fixed responses), 0 no (*why says which action), -1 unknown.
 */
static int elb_http_safe(struct arena *a, const pv_value *actions, const char **why)
{
	const pv_value *act;
	int fixed_only = 1, unknown = 0;

	if (pv_kind(actions) == PV_UNKNOWN)
		return -1;
	if (pv_len(actions) == 0) {
		*why = "it has no default action";
		return 0;
	}
	PV_LIST_FOREACH(i, act, actions) {
		const pv_value *t = pv_get(act, "type"), *red;
		const char *type = pv_str(t), *proto;

		if (pv_kind(act) == PV_UNKNOWN || pv_kind(t) == PV_UNKNOWN) {
			unknown = 1;
			continue;
		}
		if (type && strcmp(type, "redirect") == 0) {
			red = pv_get(act, "redirect");
			if (pv_kind(red) == PV_LIST)
				red = pv_at(red, 0);
			if (pv_kind(red) == PV_UNKNOWN || pv_kind(pv_get(red, "protocol")) == PV_UNKNOWN) {
				unknown = 1;
				continue;
			}
			proto = pv_str(pv_get(red, "protocol"));
			if (proto && strcasecmp(proto, "HTTPS") == 0)
				return 1;
			*why = arena_printf(a, "defaultActions[%zu] redirects with protocol %s%s%s instead of "
					    "HTTPS", i, proto ? "\"" : "", proto ? proto : "#{protocol} (the default)",
					    proto ? "\"" : "");
			fixed_only = 0;
			continue;
		}
		if (type && strcmp(type, "fixed-response") == 0)
			continue;
		fixed_only = 0;
		if (!*why)
			*why = arena_printf(a, "defaultActions[%zu] is \"%s\", serving content over plain HTTP",
					    i, type ? type : "?");
	}
	if (unknown)
		return -1;
	return fixed_only ? 1 : 0;
}

static void elb_check_http_listener(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *l)
{
	const pv_value *pv = pv_get(l->props, "protocol");
	const char *proto = pv_str(pv), *why = NULL;
	const struct pol_resource *lb;
	int lb_unknown, k;

	if (pv_kind(pv) == PV_UNKNOWN) {
		pol_unknown(c, "protocol");
		return;
	}
	/* Absent protocol means HTTP for an ALB listener (the API default). */
	if (proto && strcasecmp(proto, "HTTP") != 0)
		return;
	lb = elb_listener_lb(s, l, &lb_unknown);
	if (!lb && lb_unknown) {
		/* loadBalancerArn unknown in preview and unlinked: it may be an internal load balancer. */
		pol_unknown(c, "loadBalancerArn");
		return;
	}
	if (lb) {
		const char *type = pv_str(pv_get(lb->props, "loadBalancerType"));
		if (type && (strcmp(type, "network") == 0 || strcmp(type, "gateway") == 0))
			return;         /* no HTTP listeners there: an absent protocol is not HTTP */
	}
	if (lb && !pol_cfg_bool(c, "includeInternal")) {
		k = elb_internal(lb);
		if (k < 0) {
			pol_unknown(c, "internal");
			return;
		}
		if (k == 1)
			return;
	}
	k = elb_http_safe(pol_arena(c), pv_get(l->props, "defaultActions"), &why);
	if (k < 0) {
		pol_unknown(c, "defaultActions");
		return;
	}
	if (k == 1)
		return;
	pol_report(c, l->urn, "defaultActions", "HTTP listener %s%s%s does not redirect to HTTPS (%s): "
		   "make its default action { type: \"redirect\", redirect: { protocol: \"HTTPS\", port: "
		   "\"443\", statusCode: \"HTTP_301\" } } and serve content only on the HTTPS listener.",
		   l->name, lb ? " of load balancer " : "", lb ? lb->name : "",
		   why ? why : "no default action redirects to HTTPS");
}

static void check_http_redirect(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *l;

	for (size_t t = 0; t < ELB_N(elb_listener_types); t++) {
		STK_FOREACH_TYPE(s, elb_listener_types[t], l)
			elb_check_http_listener(c, s, l);
	}
}

/* ---- alb-listener-tls ---------------------------------------------------------------- */

/* Trivy AWS-0047 (trivy-checks 2026-08-21): policies that still allow TLS 1.0/1.1 or weak ciphers. */
static const char *const elb_outdated_policies[] = {
	"ELBSecurityPolicy-2015-05",
	"ELBSecurityPolicy-2016-08",
	"ELBSecurityPolicy-FS-2018-06",
	"ELBSecurityPolicy-FS-1-1-2019-08",
	"ELBSecurityPolicy-TLS-1-0-2015-04",
	"ELBSecurityPolicy-TLS-1-1-2017-01",
	"ELBSecurityPolicy-TLS13-1-0-2021-06",
	"ELBSecurityPolicy-TLS13-1-1-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
};

static const char *const elb_default_prefixes[] = {
	"ELBSecurityPolicy-TLS13-1-2-", "ELBSecurityPolicy-TLS13-1-3-",
	"ELBSecurityPolicy-FS-1-2-", "ELBSecurityPolicy-TLS-1-2-",
};

/* True when `s` is a lowercase-hex UUID (8-4-4-4-12). */
static int elb_uuid(const char *s, size_t n)
{
	if (n != 36)
		return 0;
	for (size_t i = 0; i < 36; i++) {
		char ch = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != '-')
				return 0;
		} else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

/*
 * Why a certificate ARN cannot serve a listener in `region` (NULL when unknown), or NULL when fine.
 * With `secret` set the clause names no part of the ARN.
 */
static const char *elb_cert_problem(struct arena *a, const char *arn_s, const char *region, int secret)
{
	struct aws_arn arn;
	const char *ph = aws_placeholder_in(arn_s);

	if (ph)
		return arena_printf(a, "contains %s", ph);
	if (aws_arn_parse(arn_s, &arn) != 0)
		return "is not an ARN";
	if (aws_field_eq(arn.service, arn.service_len, "iam")) {
		if (strncmp(arn.resource, "server-certificate/", 19) != 0 || arn.resource_len <= 19)
			return "is an IAM ARN but not of a server certificate";
		return NULL;
	}
	if (!aws_field_eq(arn.service, arn.service_len, "acm"))
		return secret ? "is the ARN of another service, not an ACM certificate"
			      : arena_printf(a, "is an ARN of service \"%.*s\", not an ACM certificate",
					     (int)arn.service_len, arn.service);
	if (!aws_is_account_id(arn.account, arn.account_len))
		return "has no 12-digit account ID";
	if (arn.resource_len < 12 || strncmp(arn.resource, "certificate/", 12) != 0 ||
	    !elb_uuid(arn.resource + 12, arn.resource_len - 12))
		return "does not end in certificate/<uuid>";
	if (arn.region_len == 0)
		return "has no region";
	if (region && !aws_field_eq(arn.region, arn.region_len, region))
		return secret ? arena_printf(a, "is in another region than the listener (%s; ACM certificates "
					     "are regional and cannot be used from another region)", region)
			      : arena_printf(a, "is in region %.*s, but the listener is in %s (ACM certificates "
					     "are regional and cannot be used from another region)",
					     (int)arn.region_len, arn.region, region);
	return NULL;
}

/* The ACM Certificate resource behind a certificateArn (directly or via CertificateValidation). */
static const struct pol_resource *elb_cert_resource(const struct stk_index *s, const struct pol_resource *x)
{
	char *const *urns, *const *vurns;
	size_t n = stk_prop_deps(x, "certificateArn", &urns);

	for (size_t i = 0; i < n; i++) {
		const struct pol_resource *d = stk_by_urn(s, urns[i]);
		if (!d)
			continue;
		if (strcmp(d->type, ELB_ACM_CERT) == 0)
			return d;
		if (strcmp(d->type, ELB_ACM_VALIDATION) == 0) {
			size_t m = stk_prop_deps(d, "certificateArn", &vurns);
			for (size_t j = 0; j < m; j++) {
				const struct pol_resource *cr = stk_by_urn(s, vurns[j]);
				if (cr && strcmp(cr->type, ELB_ACM_CERT) == 0)
					return cr;
			}
		}
	}
	return NULL;
}

/* Judge the certificate of a listener or listener-certificate resource `x`. */
static void elb_check_cert(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *x,
			   const char *region, int required)
{
	const pv_value *v = pv_get(x->props, "certificateArn");
	const struct pol_resource *cert = elb_cert_resource(s, x);
	const char *why, *creg = NULL;

	if (cert && region && pol_region(c, cert, &creg) == PV_OK && strcmp(creg, region) != 0) {
		pol_report(c, x->urn, "certificateArn", "certificateArn of %s comes from ACM certificate %s "
			   "in region %s, but the listener is in %s: request the certificate with a provider "
			   "(or region) of %s, since ACM certificates cannot be used across regions.",
			   x->name, cert->name, creg, region, region);
		return;
	}
	switch (pv_kind(v)) {
	case PV_UNKNOWN:
		if (!cert)
			pol_unknown(c, "certificateArn");
		return;
	case PV_STRING:
		if (!*pv_str(v))
			break;
		why = elb_cert_problem(pol_arena(c), pv_str(v), region, pv_is_secret(v));
		if (!why)
			return;
		if (pv_is_secret(v))
			pol_report(c, x->urn, "certificateArn", "certificateArn of %s %s: use the ARN of a "
				   "real ACM certificate in the listener's region (e.g. cert.arn of an "
				   "aws.acm.Certificate, after its CertificateValidation).", x->name, why);
		else
			pol_report(c, x->urn, "certificateArn", "certificateArn \"%s\" of %s %s: use the ARN "
				   "of a real ACM certificate in the listener's region (e.g. cert.arn of an "
				   "aws.acm.Certificate, after its CertificateValidation).", pv_str(v), x->name,
				   why);
		return;
	default:
		break;
	}
	if (required)
		pol_report(c, x->urn, "certificateArn", "%s listener %s has no certificateArn: provision an "
			   "aws.acm.Certificate (DNS-validated) in the listener's region and pass its "
			   "validated ARN.", pv_str(pv_get(x->props, "protocol")), x->name);
}

static int elb_policy_allowed(struct pol_ctx *c, const char *pol)
{
	const pv_value *prefixes = pol_cfg(c, "allowedSslPolicyPrefixes"), *e;

	if (pv_kind(prefixes) == PV_LIST) {
		PV_LIST_FOREACH(i, e, prefixes) {
			const char *p = pv_str(e);
			if (p && strncmp(pol, p, strlen(p)) == 0)
				return 1;
		}
		return 0;
	}
	for (size_t i = 0; i < ELB_N(elb_default_prefixes); i++)
		if (strncmp(pol, elb_default_prefixes[i], strlen(elb_default_prefixes[i])) == 0)
			return 1;
	return 0;
}

static void elb_check_ssl_policy(struct pol_ctx *c, const struct pol_resource *l)
{
	const pv_value *v = pv_get(l->props, "sslPolicy");
	const char *pol;

	if (pv_kind(v) == PV_UNKNOWN) {
		pol_unknown(c, "sslPolicy");
		return;
	}
	pol = pv_str(v);
	if (!pol || !*pol) {
		pol_report(c, l->urn, "sslPolicy", "Listener %s sets no sslPolicy, so AWS applies "
			   "ELBSecurityPolicy-2016-08, which still accepts TLS 1.0 and 1.1: set sslPolicy: "
			   "\"ELBSecurityPolicy-TLS13-1-2-2021-06\".", l->name);
		return;
	}
	for (size_t i = 0; i < ELB_N(elb_outdated_policies); i++) {
		if (strcmp(pol, elb_outdated_policies[i]) == 0) {
			pol_report(c, l->urn, "sslPolicy", "sslPolicy \"%s\" of listener %s is outdated (it "
				   "allows TLS below 1.2 or weak ciphers; Trivy AWS-0047): use "
				   "\"ELBSecurityPolicy-TLS13-1-2-2021-06\".", pol, l->name);
			return;
		}
	}
	if (!elb_policy_allowed(c, pol))
		pol_report(c, l->urn, "sslPolicy", "sslPolicy \"%s\" of listener %s does not match "
			   "allowedSslPolicyPrefixes: use \"ELBSecurityPolicy-TLS13-1-2-2021-06\" or "
			   "another TLS 1.2+ policy from the allowed list.", pol, l->name);
}

static void check_listener_tls(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *l;

	for (size_t t = 0; t < ELB_N(elb_listener_types); t++) {
		STK_FOREACH_TYPE(s, elb_listener_types[t], l) {
			const pv_value *pv = pv_get(l->props, "protocol");
			const char *proto = pv_str(pv), *region = NULL;
			int rc;

			if (pv_kind(pv) == PV_UNKNOWN) {
				pol_unknown(c, "protocol");
				continue;
			}
			if (!proto || (strcasecmp(proto, "HTTPS") != 0 && strcasecmp(proto, "TLS") != 0))
				continue;
			rc = pol_region(c, l, &region);
			if (rc != PV_OK)
				region = NULL;
			if (rc == PV_EUNKNOWN)
				pol_unknown(c, "region");
			elb_check_cert(c, s, l, region, 1);
			elb_check_ssl_policy(c, l);
		}
	}
	for (size_t t = 0; t < ELB_N(elb_listener_cert_types); t++) {
		STK_FOREACH_TYPE(s, elb_listener_cert_types[t], l) {
			const char *region = NULL;
			if (pol_region(c, l, &region) != PV_OK)
				region = NULL;
			elb_check_cert(c, s, l, region, 0);
		}
	}
}

/* ---- the table ---------------------------------------------------------------------- */

static const struct pol_doc doc_public = {
	.why = "Seeds 004 #14 and 003 #6: an internet-facing ALB's security group allowed 0.0.0.0/0 on "
	       "443 (and nothing considered ::/0) although access had to be restricted. Fronted by "
	       "CloudFront, the ALB should accept only the CloudFront origin-facing prefix list.",
	.fail_ts = "const sg = new aws.ec2.SecurityGroup(\"alb\", { ingress: [{ protocol: \"tcp\", fromPort: 443,\n"
		   "  toPort: 443, cidrBlocks: [\"0.0.0.0/0\"] }] });\n"
		   "new aws.lb.LoadBalancer(\"web\", { internal: false, securityGroups: [sg.id], subnets });",
	.fixed_ts = "const cf = aws.ec2.getManagedPrefixListOutput({ name: \"com.amazonaws.global.cloudfront.origin-facing\" });\n"
		    "const sg = new aws.ec2.SecurityGroup(\"alb\", { ingress: [{ protocol: \"tcp\", fromPort: 443,\n"
		    "  toPort: 443, prefixListIds: [cf.id] }] });",
	.fail_py = "sg = aws.ec2.SecurityGroup(\"alb\", ingress=[{\"protocol\": \"tcp\", \"from_port\": 443,\n"
		   "    \"to_port\": 443, \"cidr_blocks\": [\"0.0.0.0/0\"]}])\n"
		   "aws.lb.LoadBalancer(\"web\", internal=False, security_groups=[sg.id], subnets=subnets)",
	.fixed_py = "cf = aws.ec2.get_managed_prefix_list_output(name=\"com.amazonaws.global.cloudfront.origin-facing\")\n"
		    "sg = aws.ec2.SecurityGroup(\"alb\", ingress=[{\"protocol\": \"tcp\", \"from_port\": 443,\n"
		    "    \"to_port\": 443, \"prefix_list_ids\": [cf.id]}])",
};

static const struct pol_doc doc_redirect = {
	.why = "An HTTP listener that forwards to targets serves the application in clear text; "
	       "it should only redirect to HTTPS (AWSGuard #21, CKV2_AWS_20).",
	.fail_ts = "new aws.lb.Listener(\"http\", { loadBalancerArn: alb.arn, port: 80, protocol: \"HTTP\",\n"
		   "  defaultActions: [{ type: \"forward\", targetGroupArn: tg.arn }] });",
	.fixed_ts = "new aws.lb.Listener(\"http\", { loadBalancerArn: alb.arn, port: 80, protocol: \"HTTP\",\n"
		    "  defaultActions: [{ type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", "
		    "statusCode: \"HTTP_301\" } }] });",
	.fail_py = "aws.lb.Listener(\"http\", load_balancer_arn=alb.arn, port=80, protocol=\"HTTP\",\n"
		   "    default_actions=[{\"type\": \"forward\", \"target_group_arn\": tg.arn}])",
	.fixed_py = "aws.lb.Listener(\"http\", load_balancer_arn=alb.arn, port=80, protocol=\"HTTP\",\n"
		    "    default_actions=[{\"type\": \"redirect\", \"redirect\": {\"protocol\": \"HTTPS\",\n"
		    "        \"port\": \"443\", \"status_code\": \"HTTP_301\"}}])",
};

static const struct pol_doc doc_tls = {
	.why = "Seed 004 #5: the ALB's HTTPS listener used a placeholder ACM ARN, so TLS could never "
	       "work. Certificates must be real, validated ACM certificates of the listener's region, "
	       "served with a current TLS policy.",
	.fail_ts = "new aws.lb.Listener(\"https\", { loadBalancerArn: alb.arn, port: 443, protocol: \"HTTPS\",\n"
		   "  certificateArn: \"arn:aws:acm:us-east-1:123456789012:certificate/abc\", defaultActions });",
	.fixed_ts = "const cert = new aws.acm.Certificate(\"site\", { domainName, validationMethod: \"DNS\" });\n"
		    "const validated = new aws.acm.CertificateValidation(\"site\", { certificateArn: cert.arn,\n"
		    "  validationRecordFqdns: records.map(r => r.fqdn) });\n"
		    "new aws.lb.Listener(\"https\", { loadBalancerArn: alb.arn, port: 443, protocol: \"HTTPS\",\n"
		    "  sslPolicy: \"ELBSecurityPolicy-TLS13-1-2-2021-06\", certificateArn: validated.certificateArn, defaultActions });",
	.fail_py = "aws.lb.Listener(\"https\", load_balancer_arn=alb.arn, port=443, protocol=\"HTTPS\",\n"
		   "    certificate_arn=\"arn:aws:acm:us-east-1:123456789012:certificate/abc\", default_actions=actions)",
	.fixed_py = "cert = aws.acm.Certificate(\"site\", domain_name=domain, validation_method=\"DNS\")\n"
		    "validated = aws.acm.CertificateValidation(\"site\", certificate_arn=cert.arn,\n"
		    "    validation_record_fqdns=[r.fqdn for r in records])\n"
		    "aws.lb.Listener(\"https\", load_balancer_arn=alb.arn, port=443, protocol=\"HTTPS\",\n"
		    "    ssl_policy=\"ELBSecurityPolicy-TLS13-1-2-2021-06\", certificate_arn=validated.certificate_arn,\n"
		    "    default_actions=actions)",
};

static const struct policy policies[] = {
	{
		.name = "alb-internet-facing-restricted",
		.display_name = "Internet-facing load balancers are not open to the whole internet",
		.description = "An internet-facing load balancer must not have a security group that "
			       "accepts 0.0.0.0/0 or ::/0, unless public exposure is explicitly allowed.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer",
				   ELB_SG, ELB_SG_RULE, ELB_SG_INGRESS),
		.config_schema = "{\"allowInternetFacing\":{\"type\":\"boolean\",\"default\":false,"
				 "\"description\":\"Accept internet-facing load balancers open to 0.0.0.0/0 "
				 "and ::/0 (a deliberately public site).\"},"
				 "\"allowedPublicLoadBalancers\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
				 "\"default\":[],\"description\":\"Load balancer resource names or `name`s "
				 "(glob patterns) that may be open to the internet.\"}}",
		.remediation_steps = "Set internal: true, or restrict the load balancer's security groups to "
				     "the CloudFront origin-facing prefix list or authorized CIDRs (IPv4 and "
				     "IPv6).",
		.tags = "elb,alb,network-exposure",
		.url = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html#managed-prefix-list",
		.check_stack = check_lb_public,
		.doc = &doc_public,
	},
	{
		.name = "alb-http-redirects-to-https",
		.display_name = "HTTP listeners redirect to HTTPS",
		.description = "HTTP listeners of internet-facing load balancers must redirect to HTTPS "
			       "instead of serving content.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES("aws:lb/listener:Listener", "aws:alb/listener:Listener"),
		.config_schema = "{\"includeInternal\":{\"type\":\"boolean\",\"default\":false,"
				 "\"description\":\"Also require the redirect on listeners of internal load "
				 "balancers (east-west traffic).\"}}",
		.remediation_steps = "Give the HTTP listener a single default action { type: \"redirect\", "
				     "redirect: { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" } }.",
		.tags = "elb,alb,tls",
		.url = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
		.check_stack = check_http_redirect,
		.doc = &doc_redirect,
	},
	{
		.name = "alb-listener-tls",
		.display_name = "HTTPS/TLS listeners use a real regional certificate and a current TLS policy",
		.description = "HTTPS and TLS listeners must use a real ACM (or IAM) certificate of their own "
			       "region and an up-to-date sslPolicy.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES("aws:lb/listener:Listener", "aws:alb/listener:Listener",
				   "aws:lb/listenerCertificate:ListenerCertificate",
				   "aws:alb/listenerCertificate:ListenerCertificate", ELB_ACM_CERT),
		.config_schema = "{\"allowedSslPolicyPrefixes\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
				 "\"default\":[\"ELBSecurityPolicy-TLS13-1-2-\",\"ELBSecurityPolicy-TLS13-1-3-\","
				 "\"ELBSecurityPolicy-FS-1-2-\",\"ELBSecurityPolicy-TLS-1-2-\"],"
				 "\"description\":\"sslPolicy must start with one of these (the Trivy AWS-0047 "
				 "outdated policies are rejected regardless).\"}}",
		.remediation_steps = "Provision an aws.acm.Certificate in the listener's region, validate it "
				     "(CertificateValidation), pass its ARN, and set sslPolicy to "
				     "ELBSecurityPolicy-TLS13-1-2-2021-06.",
		.tags = "elb,alb,tls,certificates",
		.url = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
		.check_stack = check_listener_tls,
		.doc = &doc_tls,
	},
};

const struct pol_family pol_family_elb = { "elb", policies, sizeof(policies) / sizeof(policies[0]) };
