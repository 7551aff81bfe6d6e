/*
 * route53.c - policy family "route53" (see families.h): failover routing and
 * health checks.
 *
 * Both policies are stack policies: a record's routing only makes sense
 * next to the other records of its group (same zone, name and type), and in
 * preview a record links to its zone and health check only through
 * propertyDependencies. Record and health-check shapes are the same in
 * pulumi-aws v6 and v7 (Route 53 is global: no per-resource `region`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "aws.h"
#include "policy.h"
#include "stack.h"

#define R53_RECORD "aws:route53/record:Record"
#define R53_HC "aws:route53/healthCheck:HealthCheck"
#define R53_ZONE "aws:route53/zone:Zone"
#define CW_ALARM "aws:cloudwatch/metricAlarm:MetricAlarm"

/* ---- helpers --------------------------------------------------------------- */

/* A MaxItems-1 block: the object itself, or the first element of a list. */
static const pv_value *r53_one(const pv_value *v)
{
	if (pv_kind(v) == PV_LIST)
		return pv_at(v, 0);
	return v;
}

static int r53_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* 1 = non-empty known string (stored in *out), 0 = absent/empty, -1 = unknown. */
static int r53_present(const pv_value *v, const char **out)
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
	/* Non-string values (numbers) count as set too. */
	if (rc == PV_ETYPE)
		return 1;
	return 0;
}

/* Lower-case copy without a trailing dot. */
static char *r53_norm_name(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '.')
		n--;
	char *o = arena_strndup(a, s, n);
	for (char *p = o; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return o;
}

/* A boolean (or "true" string) that is known and true. */
static int r53_is_true(const pv_value *v)
{
	int b = 0;
	return pv_get_bool(v, &b) == PV_OK && b;
}

/* DNS name of an Elastic Load Balancing load balancer ("x-123.us-east-1.elb.amazonaws.com"). */
static int r53_is_elb_dns(const char *s)
{
	return r53_ends_with(s, ".elb.amazonaws.com") || r53_ends_with(s, ".elb.amazonaws.com.cn") ||
	       (strstr(s, ".elb.") && (r53_ends_with(s, ".amazonaws.com") || r53_ends_with(s, ".amazonaws.com.cn")));
}

static int r53_is_lb_type(const char *t)
{
	return strcmp(t, "aws:lb/loadBalancer:LoadBalancer") == 0 || strcmp(t, "aws:alb/loadBalancer:LoadBalancer") == 0 ||
	       strcmp(t, "aws:elb/loadBalancer:LoadBalancer") == 0;
}

/*
 * The configured DR keywords that occur in `s` as words, as a bit set (bit i
 * = drIntentKeywords[i], first 32 only). Words are split at non-alphanumerics
 * and camelCase humps; trailing digits are ignored ("primary1",
 * "apiSecondary", "dr-us-west-2" all match).
 */
static unsigned r53_keywords(const struct pol_ctx *c, const char *s)
{
	const pv_value *kw = pol_cfg(c, "drIntentKeywords");
	unsigned mask = 0;
	char word[64];
	size_t n = 0;
	if (!s)
		return 0;
	for (const char *p = s;; p++) {
		int alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
		int hump = n > 0 && *p >= 'A' && *p <= 'Z' && p > s && p[-1] >= 'a' && p[-1] <= 'z';
		if (!alnum || hump || n == sizeof(word) - 1) {
			while (n > 0 && word[n - 1] >= '0' && word[n - 1] <= '9')
				n--;
			word[n] = '\0';
			const pv_value *e;
			PV_LIST_FOREACH(i, e, kw) {
				const char *k = pv_str(e);
				if (n > 0 && i < 32 && k && strcmp(k, word) == 0)
					mask |= 1u << i;
			}
			n = 0;
		}
		if (!*p)
			break;
		if (alnum)
			word[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
	}
	return mask;
}

/*
 * The region an AWS endpoint domain names ("x-1.us-east-1.elb.amazonaws.com",
 * "dualstack.x.eu-west-1.elb.amazonaws.com", "b.s3-website-us-west-2.amazonaws.com",
 * "id.execute-api.ap-south-1.amazonaws.com"), in the arena; NULL for other names.
 */
static const char *r53_domain_region(struct pol_ctx *c, const char *d)
{
	if (!r53_ends_with(d, ".amazonaws.com") && !r53_ends_with(d, ".amazonaws.com."))
		return NULL;
	for (const char *p = d; *p;) {
		size_t len = strcspn(p, ".");
		char *label = arena_strndup(pol_arena(c), p, len);
		const char *cand = label;
		if (cand && strncmp(cand, "s3-website-", 11) == 0)
			cand += 11;
		if (cand && *cand) {
			enum aws_region_status st = aws_region_check(cand);
			if (st == AWS_REGION_KNOWN || st == AWS_REGION_WELL_FORMED)
				return cand;
		}
		p += len;
		if (*p == '.')
			p++;
	}
	return NULL;
}

/* Region of the target of a record: its alias or CNAME domain, or the resource the alias comes from. */
static const char *r53_target_region(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *r)
{
	const pv_value *al = pv_get(r->props, "aliases");
	const char *d = pv_str(pv_get(pv_at(al, 0), "name"));
	const char *reg;
	char *const *urns;

	if (d)
		return r53_domain_region(c, d);
	size_t n = stk_prop_deps(r, "aliases", &urns);
	for (size_t i = 0; i < n; i++) {
		const struct pol_resource *t = stk_by_urn(s, urns[i]);
		if (t && strncmp(t->type, "aws:", 4) == 0 && pol_region(c, t, &reg) == PV_OK)
			return reg;
	}
	const char *type = pv_str(pv_get(r->props, "type"));
	if (type && strcmp(type, "CNAME") == 0 && (d = pv_str(pv_at(pv_get(r->props, "records"), 0))) != NULL)
		return r53_domain_region(c, d);
	return NULL;
}

/* ---- record index ---------------------------------------------------------- */

enum r53_routing { R53_SIMPLE = 0, R53_WEIGHTED, R53_FAILOVER, R53_OTHER };

struct r53_rec {
	const struct pol_resource *r;
	const char *key;        /* zone|name|type */
	const char *name;       /* normalised DNS name, for messages */
	const char *type;
	enum r53_routing routing;
	const char *ftype;      /* "PRIMARY"/"SECONDARY"/other; NULL when unknown */
	int weight_known;
	double weight;
	int hc;                 /* healthCheckId: 1 set, 0 absent, -1 unknown (counts as set) */
	int eth;                /* an alias with evaluateTargetHealth true */
	int alias;              /* has an alias block */
	int setid;              /* 1 set, 0 absent, -1 unknown */
	const char *tregion;    /* region of what the record points at; NULL when unknown */
	unsigned dr;            /* DR keywords in setIdentifier or logical name (bit set) */
};

static int r53_cmp(const void *x, const void *y)
{
	const struct r53_rec *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	return a->r->index < b->r->index ? -1 : a->r->index > b->r->index;
}

/* The zone resource a record's zoneId refers to (by dependency or by zoneId value), or NULL. */
static const struct pol_resource *r53_zone_of(const struct stk_index *s, const struct pol_resource *r, const char *zid)
{
	const struct pol_resource *z = NULL;
	if (stk_prop_depends_on_type(s, r, "zoneId", R53_ZONE, &z))
		return z;
	if (!zid)
		return NULL;
	STK_FOREACH_TYPE(s, R53_ZONE, z) {
		const char *x = pv_str(pv_get(z->props, "zoneId"));
		const char *y = pv_str(pv_get(z->props, "id"));
		if ((x && strcmp(x, zid) == 0) || (y && strcmp(y, zid) == 0))
			return z;
	}
	return NULL;
}

/*
 * Fill `out` from record `r`. Returns 0, or -1 when the group key (zone,
 * name, type) is unknown and the record cannot be grouped.
 */
static int r53_rec_fill(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *r, struct r53_rec *out)
{
	struct arena *a = pol_arena(c);
	const pv_value *p = r->props;
	const char *zid = NULL, *name = NULL, *type = NULL;
	int zr = r53_present(pv_get(p, "zoneId"), &zid);
	int nr = pv_get_str(pv_get(p, "name"), &name);
	int tr = pv_get_str(pv_get(p, "type"), &type);
	const struct pol_resource *zone = r53_zone_of(s, r, zr > 0 ? zid : NULL);

	memset(out, 0, sizeof(*out));
	out->r = r;
	if (nr == PV_EUNKNOWN || tr == PV_EUNKNOWN || (zr < 0 && !zone)) {
		pol_unknown(c, nr == PV_EUNKNOWN ? "name" : tr == PV_EUNKNOWN ? "type" : "zoneId");
		return -1;
	}
	if (nr != PV_OK || tr != PV_OK || (!zid && !zone))
		return -1;
	char *n = r53_norm_name(a, name);
	/* Relative names ("api") live under the zone's name ("api.example.com"). */
	const char *zname = zone ? pv_str(pv_get(zone->props, "name")) : NULL;
	if (n && zname) {
		char *zn = r53_norm_name(a, zname);
		size_t ln = strlen(n), lz = zn ? strlen(zn) : 0;
		if (zn && lz && !(ln == lz && strcmp(n, zn) == 0) &&
		    !(ln > lz && n[ln - lz - 1] == '.' && strcmp(n + ln - lz, zn) == 0))
			n = arena_printf(a, "%s%s%s", n, *n ? "." : "", zn);
	}
	/* The display name is derived (normalised), so the runner's redaction would miss it. */
	out->name = pv_is_secret(pv_get(p, "name")) ? "[secret name]" : n;
	out->type = type;
	out->key = arena_printf(a, "%s|%s|%s", zone ? zone->urn : zid, n ? n : "", type);
	if (!out->key || !n)
		return -1;

	const pv_value *f = pv_get(p, "failoverRoutingPolicies");
	const pv_value *w = pv_get(p, "weightedRoutingPolicies");
	if (pv_len(f) > 0 || pv_kind(f) == PV_OBJECT) {
		out->routing = R53_FAILOVER;
		const char *ft;
		if (pv_get_str(pv_get(r53_one(f), "type"), &ft) == PV_OK)
			out->ftype = ft;
	} else if (pv_len(w) > 0 || pv_kind(w) == PV_OBJECT) {
		out->routing = R53_WEIGHTED;
		out->weight_known = pv_get_num(pv_get(r53_one(w), "weight"), &out->weight) == PV_OK;
	} else if (pv_len(pv_get(p, "latencyRoutingPolicies")) || pv_len(pv_get(p, "geolocationRoutingPolicies")) ||
		   pv_len(pv_get(p, "geoproximityRoutingPolicies")) || pv_len(pv_get(p, "cidrRoutingPolicies")) ||
		   r53_is_true(pv_get(p, "multivalueAnswerRoutingPolicy"))) {
		out->routing = R53_OTHER;
	}

	out->hc = r53_present(pv_get(p, "healthCheckId"), NULL);
	const pv_value *al = pv_get(p, "aliases"), *e;
	PV_LIST_FOREACH(i, e, al) {
		int b = 0;
		out->alias = 1;
		int rc = pv_kind(e) == PV_UNKNOWN ? PV_EUNKNOWN : pv_get_bool(pv_get(e, "evaluateTargetHealth"), &b);
		if ((rc == PV_OK && b) || rc == PV_EUNKNOWN)
			out->eth = 1;   /* unknown counts as "may evaluate target health" */
	}
	if (pv_kind(al) == PV_UNKNOWN)
		out->eth = 1;
	const char *sid;
	out->setid = r53_present(pv_get(p, "setIdentifier"), &sid);
	out->dr = r53_keywords(c, sid) | r53_keywords(c, r->name);
	out->tregion = r53_target_region(c, s, r);
	return 0;
}

/* Build the sorted record index; returns the count (0 on none or no memory). */
static size_t r53_index(struct pol_ctx *c, const struct stk_index *s, struct r53_rec **out)
{
	size_t first, total = stk_type_range(s, R53_RECORD, &first), n = 0;
	const struct pol_resource *r;
	*out = NULL;
	if (!total)
		return 0;
	struct r53_rec *v = arena_alloc(pol_arena(c), total * sizeof(*v));
	if (!v)
		return 0;
	STK_FOREACH_TYPE(s, R53_RECORD, r)
		if (r53_rec_fill(c, s, r, &v[n]) == 0)
			n++;
	qsort(v, n, sizeof(*v), r53_cmp);
	*out = v;
	return n;
}

/* ---- route53-failover-routing ---------------------------------------------- */

static void r53_check_group(struct pol_ctx *c, struct r53_rec *g, size_t n)
{
	size_t n_w = 0, n_f = 0, n_other = 0, n_pri = 0, n_sec = 0;
	int zero = 0, positive = 0, ftype_unknown = 0, regions_known = 1, regions_differ = 0;
	unsigned kw_any = 0, kw_all = ~0u;
	const char *first_region = NULL;
	for (size_t i = 0; i < n; i++) {
		switch (g[i].routing) {
		case R53_WEIGHTED:
			n_w++;
			kw_any |= g[i].dr;
			kw_all &= g[i].dr;
			if (!g[i].tregion)
				regions_known = 0;
			else if (!first_region)
				first_region = g[i].tregion;
			else if (strcmp(first_region, g[i].tregion) != 0)
				regions_differ = 1;
			if (g[i].weight_known && g[i].weight == 0)
				zero = 1;
			if (g[i].weight_known && g[i].weight > 0)
				positive = 1;
			break;
		case R53_FAILOVER:
			n_f++;
			if (!g[i].ftype)
				ftype_unknown = 1;
			else if (strcasecmp(g[i].ftype, "PRIMARY") == 0)
				n_pri++;
			else if (strcasecmp(g[i].ftype, "SECONDARY") == 0)
				n_sec++;
			break;
		default:
			n_other++;
			break;
		}
	}

	/*
	 * DR (active-passive) intent expressed with weighted records: keywords
	 * that tell the records' roles apart ("primary" on one, "secondary" on
	 * the other). A keyword every record carries names the service ("backup",
	 * "failover-proxy"), not a role, so it says nothing about DR.
	 */
	int dr = n_w == 1 ? kw_any != 0 : (kw_any & ~kw_all) != 0;
	/*
	 * A weight of 0 next to a positive one is a standby only across regions:
	 * within one region it is a blue/green or canary cut-over. When a
	 * target's region is unknown the zero weight alone proves nothing.
	 */
	int standby = n_w >= 2 && zero && positive && regions_known && regions_differ;
	if (n_w > 0 && n_f == 0 && (dr || standby)) {
		for (size_t i = 0; i < n; i++) {
			if (g[i].routing != R53_WEIGHTED)
				continue;
			pol_report(c, g[i].r->urn, "weightedRoutingPolicies",
				   "record %s (%s) is one of %zu weighted records that express a primary/standby (DR) setup%s: weighted routing splits traffic by weight and does not model active-passive failover. Use failoverRoutingPolicies: [{ type: \"PRIMARY\" }] with a healthCheckId (or an alias with evaluateTargetHealth: true) on the primary record and [{ type: \"SECONDARY\" }] on the standby, each with its own setIdentifier.",
				   g[i].name, g[i].type, n_w, zero ? " (a weight of 0 marks the standby)" : "");
		}
		return;
	}
	if (n_f == 0)
		return;

	if (n_w + n_other > 0) {
		for (size_t i = 0; i < n; i++)
			if (g[i].routing != R53_FAILOVER)
				pol_report(c, g[i].r->urn, NULL, "record %s (%s) shares its name and type with failover records but is not a failover record: Route 53 rejects mixing routing policies in one record set; give it failoverRoutingPolicies too, or a different name.", g[i].name, g[i].type);
	}

	if (!ftype_unknown && (n_pri != 1 || n_sec != 1) &&
	    !(pol_cfg_bool(c, "allowPartialFailoverGroups") && n_pri <= 1 && n_sec <= 1)) {
		const char *what = n_pri == 0 ? "no PRIMARY record" : n_pri > 1 ? "more than one PRIMARY record" :
				   n_sec == 0 ? "no SECONDARY record" : "more than one SECONDARY record";
		for (size_t i = 0; i < n; i++)
			if (g[i].routing == R53_FAILOVER)
				pol_report(c, g[i].r->urn, "failoverRoutingPolicies",
					   "failover record set %s (%s) has %s (%zu PRIMARY, %zu SECONDARY): a failover set needs exactly one PRIMARY and one SECONDARY record, or there is nothing to fail over to. (If the partner record is managed by another stack, set allowPartialFailoverGroups.)",
					   g[i].name, g[i].type, what, n_pri, n_sec);
	}

	for (size_t i = 0; i < n; i++) {
		const struct r53_rec *x = &g[i];
		if (x->routing != R53_FAILOVER)
			continue;
		if (x->setid == 0)
			pol_report(c, x->r->urn, "setIdentifier", "failover record %s (%s) has no setIdentifier: Route 53 requires a unique setIdentifier on every failover record (e.g. \"primary\" / \"secondary\").", x->name, x->type);
		int need = x->ftype && (strcasecmp(x->ftype, "PRIMARY") == 0 ||
					(strcasecmp(x->ftype, "SECONDARY") == 0 && pol_cfg_bool(c, "requireSecondaryHealthCheck")));
		if (need && x->hc == 0 && !x->eth)
			pol_report(c, x->r->urn, "healthCheckId",
				   "%s failover record %s (%s) has no healthCheckId and no alias with evaluateTargetHealth: true, so Route 53 always treats it as healthy and never fails over: attach a health check, or use an alias record with evaluateTargetHealth: true.",
				   x->ftype, x->name, x->type);
	}
}

static void check_failover_routing(struct pol_ctx *c, const struct stk_index *s)
{
	struct r53_rec *v;
	size_t n = r53_index(c, s, &v);
	for (size_t i = 0; i < n;) {
		size_t k = i + 1;
		while (k < n && strcmp(v[k].key, v[i].key) == 0)
			k++;
		r53_check_group(c, v + i, k - i);
		i = k;
	}
}

/* ---- route53-health-check-valid -------------------------------------------- */

/* True when `hc` is the health check of record `r` (by dependency or by id value). */
static int r53_record_uses(const struct pol_resource *r, const struct pol_resource *hc)
{
	char *const *urns;
	size_t n = stk_prop_deps(r, "healthCheckId", &urns);
	for (size_t i = 0; i < n; i++)
		if (strcmp(urns[i], hc->urn) == 0)
			return 1;
	const char *id = pv_str(pv_get(r->props, "healthCheckId"));
	const char *hid = pv_str(pv_get(hc->props, "id"));
	return id && hid && strcmp(id, hid) == 0;
}

/* Namespace "AWS/Route53" on the alarm itself or in one of its metric queries. */
static int r53_alarm_is_route53(const pv_value *p)
{
	const char *ns = pv_str(pv_get(p, "namespace"));
	const pv_value *q;
	if (ns && strcmp(ns, "AWS/Route53") == 0)
		return 1;
	PV_LIST_FOREACH(i, q, pv_get(p, "metricQueries")) {
		ns = pv_str(pv_get(r53_one(pv_get(q, "metric")), "namespace"));
		if (ns && strcmp(ns, "AWS/Route53") == 0)
			return 1;
	}
	return 0;
}

static void r53_check_endpoint(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *hc, const char *type)
{
	const pv_value *p = hc->props;
	const char *fqdn;
	int f = r53_present(pv_get(p, "fqdn"), &fqdn);
	int ip = r53_present(pv_get(p, "ipAddress"), NULL);

	if (f == 0 && ip == 0) {
		pol_report(c, hc->urn, "fqdn", "%s health check has neither fqdn nor ipAddress, so Route 53 has no endpoint to probe: set fqdn (or ipAddress) and port.", type);
		return;
	}
	if (strstr(type, "STR_MATCH") && r53_present(pv_get(p, "searchString"), NULL) == 0)
		pol_report(c, hc->urn, "searchString", "%s health check has no searchString: set the text the response body must contain.", type);
	if (strcmp(type, "TCP") == 0 && pv_kind(pv_get(p, "port")) == PV_MISSING)
		pol_report(c, hc->urn, "port", "TCP health check has no port: set the port Route 53 should connect to.");

	/* A raw load-balancer DNS name used for DNS failover (seed 004 #9). */
	const struct pol_resource *lb = NULL;
	if (f == 0 || (f > 0 && !r53_is_elb_dns(fqdn)))
		return;
	if (f < 0) {
		char *const *urns;
		size_t n = stk_prop_deps(hc, "fqdn", &urns);
		for (size_t i = 0; i < n && !lb; i++) {
			const struct pol_resource *d = stk_by_urn(s, urns[i]);
			if (d && r53_is_lb_type(d->type))
				lb = d;
		}
		if (!lb) {
			pol_unknown(c, "fqdn");
			return;
		}
	}
	const struct pol_resource *r, *user = NULL;
	STK_FOREACH_TYPE(s, R53_RECORD, r) {
		if (!r53_record_uses(r, hc))
			continue;
		int eth = 0;
		const pv_value *e;
		const pv_value *al = pv_get(r->props, "aliases");
		if (pv_kind(al) == PV_UNKNOWN)
			eth = 1;
		PV_LIST_FOREACH(i, e, al) {
			int b = 0;
			int rc = pv_kind(e) == PV_UNKNOWN ? PV_EUNKNOWN : pv_get_bool(pv_get(e, "evaluateTargetHealth"), &b);
			if ((rc == PV_OK && b) || rc == PV_EUNKNOWN)
				eth = 1;
		}
		if (!eth && !user)
			user = r;
	}
	if (!user)
		return;   /* monitoring-only health checks are fine */
	pol_report(c, hc->urn, "fqdn",
		   "the health check behind record \"%s\" probes the load balancer's own DNS name%s%s%s: that name resolves to changing load-balancer node addresses, so the check tests one node rather than the targets and flaps during scaling and DNS propagation. Point the record at the load balancer with an alias (aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }]) and drop the health check, or health-check a stable application endpoint.",
		   user->name, lb ? " (from " : "", lb ? lb->name : "", lb ? ")" : "");
}

static void check_health_checks(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *hc, *al;

	STK_FOREACH_TYPE(s, R53_HC, hc) {
		const pv_value *p = hc->props;
		const char *type;
		int rc = pv_get_str(pv_get(p, "type"), &type);
		if (rc == PV_EUNKNOWN) {
			pol_unknown(c, "type");
			continue;
		}
		if (rc != PV_OK)
			continue;
		if (strcmp(type, "CALCULATED") == 0) {
			const pv_value *ch = pv_get(p, "childHealthchecks");
			if (pv_kind(ch) != PV_UNKNOWN && pv_len(ch) == 0)
				pol_report(c, hc->urn, "childHealthchecks", "CALCULATED health check has no childHealthchecks: list the health checks it aggregates and set childHealthThreshold.");
		} else if (strcmp(type, "CLOUDWATCH_METRIC") == 0) {
			const char *an, *ar;
			int n1 = r53_present(pv_get(p, "cloudwatchAlarmName"), &an);
			int n2 = r53_present(pv_get(p, "cloudwatchAlarmRegion"), &ar);
			if (n1 == 0 || n2 == 0) {
				pol_report(c, hc->urn, n1 == 0 ? "cloudwatchAlarmName" : "cloudwatchAlarmRegion", "CLOUDWATCH_METRIC health check needs both cloudwatchAlarmName and cloudwatchAlarmRegion: set them to the alarm's name and the region it is created in.");
				continue;
			}
			/* The alarm it names, by dependency or by name. */
			const struct pol_resource *alarm = NULL;
			if (!stk_prop_depends_on_type(s, hc, "cloudwatchAlarmName", CW_ALARM, &alarm) && an) {
				STK_FOREACH_TYPE(s, CW_ALARM, al) {
					const char *nm = pv_str(pv_get(al->props, "name"));
					if (nm && strcmp(nm, an) == 0)
						alarm = al;
				}
			}
			const char *reg;
			if (alarm && ar && pol_region(c, alarm, &reg) == PV_OK && strcmp(reg, ar) != 0)
				pol_report(c, hc->urn, "cloudwatchAlarmRegion", "cloudwatchAlarmRegion is \"%s\" but the alarm \"%s\" is created in %s: the health check looks for the alarm in the wrong region and stays in its insufficient-data state; set cloudwatchAlarmRegion to \"%s\".", ar, alarm->name, reg, reg);
		} else if (strncmp(type, "HTTP", 4) == 0 || strcmp(type, "TCP") == 0) {
			r53_check_endpoint(c, s, hc, type);
		}
	}

	/* Route 53 publishes health-check metrics only in us-east-1. */
	STK_FOREACH_TYPE(s, CW_ALARM, al) {
		if (!r53_alarm_is_route53(al->props))
			continue;
		const char *reg;
		int rc = pol_region(c, al, &reg);
		if (rc == PV_EUNKNOWN) {
			pol_unknown(c, "region");
			continue;
		}
		if (rc == PV_OK && strcmp(reg, "us-east-1") != 0)
			pol_report(c, al->urn, "namespace", "this alarm watches AWS/Route53 metrics but is created in %s: Route 53 health-check metrics exist only in us-east-1, so the alarm never leaves INSUFFICIENT_DATA. Create it with a us-east-1 provider (and an SNS topic in us-east-1 for its actions).", reg);
	}
}

/* ---- table ----------------------------------------------------------------- */

static const struct pol_doc doc_failover = {
	.why = "Seed 004 #1: the program created a hosted zone and weighted A records named primary/secondary instead of Route 53 failover routing, so traffic never failed over between environments. A failover set needs one PRIMARY (with a health check or an alias evaluating target health) and one SECONDARY, each with a setIdentifier.",
	.fail_ts = "new aws.route53.Record(\"primary\", { zoneId: zone.zoneId, name: \"api\", type: \"A\", setIdentifier: \"primary\",\n  weightedRoutingPolicies: [{ weight: 100 }], aliases: [{ name: albEast.dnsName, zoneId: albEast.zoneId, evaluateTargetHealth: false }] });\nnew aws.route53.Record(\"secondary\", { /* ... */ setIdentifier: \"secondary\", weightedRoutingPolicies: [{ weight: 0 }] });",
	.fixed_ts = "new aws.route53.Record(\"primary\", { zoneId: zone.zoneId, name: \"api\", type: \"A\", setIdentifier: \"primary\",\n  failoverRoutingPolicies: [{ type: \"PRIMARY\" }], aliases: [{ name: albEast.dnsName, zoneId: albEast.zoneId, evaluateTargetHealth: true }] });\nnew aws.route53.Record(\"secondary\", { /* ... */ setIdentifier: \"secondary\", failoverRoutingPolicies: [{ type: \"SECONDARY\" }] });",
	.fail_py = "aws.route53.Record(\"primary\", zone_id=zone.zone_id, name=\"api\", type=\"A\", set_identifier=\"primary\",\n    weighted_routing_policies=[{\"weight\": 100}], aliases=[...])\naws.route53.Record(\"secondary\", ..., set_identifier=\"secondary\", weighted_routing_policies=[{\"weight\": 0}])",
	.fixed_py = "aws.route53.Record(\"primary\", zone_id=zone.zone_id, name=\"api\", type=\"A\", set_identifier=\"primary\",\n    failover_routing_policies=[{\"type\": \"PRIMARY\"}],\n    aliases=[{\"name\": alb_east.dns_name, \"zone_id\": alb_east.zone_id, \"evaluate_target_health\": True}])\naws.route53.Record(\"secondary\", ..., set_identifier=\"secondary\", failover_routing_policies=[{\"type\": \"SECONDARY\"}])",
};

static const struct pol_doc doc_hc = {
	.why = "Seed 004 #9: the Route 53 health check pointed at the ALB's raw DNS name, which resolves to changing load-balancer nodes, instead of routing with an alias that evaluates target health. Also catches health checks that cannot work (no endpoint, no alarm) and alarms on Route 53 metrics outside us-east-1, where those metrics do not exist.",
	.fail_ts = "const hc = new aws.route53.HealthCheck(\"api\", { type: \"HTTPS\", fqdn: alb.dnsName, port: 443, resourcePath: \"/health\" });\nnew aws.route53.Record(\"primary\", { /* ... */ type: \"CNAME\", records: [alb.dnsName], healthCheckId: hc.id,\n  failoverRoutingPolicies: [{ type: \"PRIMARY\" }], setIdentifier: \"primary\" });",
	.fixed_ts = "new aws.route53.Record(\"primary\", { /* ... */ type: \"A\", setIdentifier: \"primary\", failoverRoutingPolicies: [{ type: \"PRIMARY\" }],\n  aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] });",
	.fail_py = "hc = aws.route53.HealthCheck(\"api\", type=\"HTTPS\", fqdn=alb.dns_name, port=443, resource_path=\"/health\")\naws.route53.Record(\"primary\", ..., type=\"CNAME\", records=[alb.dns_name], health_check_id=hc.id,\n    failover_routing_policies=[{\"type\": \"PRIMARY\"}], set_identifier=\"primary\")",
	.fixed_py = "aws.route53.Record(\"primary\", ..., type=\"A\", set_identifier=\"primary\",\n    failover_routing_policies=[{\"type\": \"PRIMARY\"}],\n    aliases=[{\"name\": alb.dns_name, \"zone_id\": alb.zone_id, \"evaluate_target_health\": True}])",
};

static const struct policy policies[] = {
	{
		.name = "route53-failover-routing",
		.display_name = "Route 53 failover routing for DR",
		.description = "Primary/standby DNS must use Route 53 failover routing: one PRIMARY with a health check (or alias evaluating target health) and one SECONDARY, each with a setIdentifier.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(R53_RECORD, R53_ZONE),
		.config_schema = "{\"drIntentKeywords\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
			"\"default\": [\"primary\", \"secondary\", \"failover\", \"dr\", \"backup\", \"standby\", \"passive\"], "
			"\"description\": \"Words in a setIdentifier or resource name that mark weighted records as a primary/standby (DR) setup when they tell the records apart (a word every record of the set carries names the service). A weight of 0 next to a positive weight also marks a standby when the records point to different regions.\"}, "
			"\"requireSecondaryHealthCheck\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Also require a health check (or alias evaluating target health) on SECONDARY records.\"}, "
			"\"allowPartialFailoverGroups\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Accept failover sets with only a PRIMARY or only a SECONDARY record (the partner lives in another stack).\"}}",
		.remediation_steps = "Replace weighted primary/standby records with failoverRoutingPolicies [{type: \"PRIMARY\"}] / [{type: \"SECONDARY\"}], give each a setIdentifier, and attach a health check (or alias evaluateTargetHealth: true) to the primary.",
		.tags = "route53,dns,resilience,failover",
		.url = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html",
		.check_stack = check_failover_routing,
		.doc = &doc_failover,
	},
	{
		.name = "route53-health-check-valid",
		.display_name = "Route 53 health checks that can work",
		.description = "Route 53 health checks must have a probeable target that is not a raw load-balancer DNS name used for DNS failover, and alarms on Route 53 metrics must live in us-east-1.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(R53_HC, R53_RECORD, CW_ALARM),
		.config_schema = NULL,
		.remediation_steps = "Route to load balancers with alias records (evaluateTargetHealth: true) instead of health-checking their DNS names; give endpoint health checks an fqdn or ipAddress; create alarms on AWS/Route53 metrics with a us-east-1 provider.",
		.tags = "route53,dns,health-checks,resilience",
		.url = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html",
		.check_stack = check_health_checks,
		.doc = &doc_hc,
	},
};

const struct pol_family pol_family_route53 = { "route53", policies, sizeof(policies) / sizeof(policies[0]) };
