/*
 * eventbridge.c - policy family "eventbridge": event patterns, S3 ->
 * EventBridge wiring, target roles and Lambda invoke permissions
 * (rule-catalog 3.E and 4.7).
 *
 * Patterns go through src/evpattern.c, which knows the pattern grammar; this
 * file adds what AWS services put into their events (S3's detail-types and
 * detail shape) and how the stack's resources must be wired for a rule to
 * ever deliver anything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "aws.h"
#include "evpattern.h"
#include "iam.h"
#include "policy.h"
#include "stack.h"
#include "strmap.h"

#define T_RULE "aws:cloudwatch/eventRule:EventRule"
#define T_TARGET "aws:cloudwatch/eventTarget:EventTarget"
#define T_ARCHIVE "aws:cloudwatch/eventArchive:EventArchive"
#define T_NOTIF "aws:s3/bucketNotification:BucketNotification"
#define T_BUCKET "aws:s3/bucket:Bucket"
#define T_BUCKETV2 "aws:s3/bucketV2:BucketV2"
#define T_PERMISSION "aws:lambda/permission:Permission"
#define T_FUNCTION "aws:lambda/function:Function"
#define T_ALIAS "aws:lambda/alias:Alias"
#define T_TOPIC "aws:sns/topic:Topic"
#define T_QUEUE "aws:sqs/queue:Queue"
#define T_KEY "aws:kms/key:Key"
#define T_KEY_ALIAS "aws:kms/alias:Alias"
#define T_KEY_POLICY "aws:kms/keyPolicy:KeyPolicy"
#define T_QUEUE_POLICY "aws:sqs/queuePolicy:QueuePolicy"
#define T_TOPIC_POLICY "aws:sns/topicPolicy:TopicPolicy"

/* detail-type values S3 sends to EventBridge (S3 user guide "Using EventBridge"). */
static const char *const eb_s3_detail_types[] = {
	"Object Created", "Object Deleted", "Object Restore Initiated", "Object Restore Completed",
	"Object Restore Expired", "Object Tags Added", "Object Tags Deleted", "Object ACL Updated",
	"Object Storage Class Changed", "Object Access Tier Changed", NULL,
};

/* detail-types of events CloudTrail delivers on behalf of a service. */
static const char *const eb_cloudtrail_detail_types[] = {
	"AWS API Call via CloudTrail", "AWS Service Event via CloudTrail", "AWS Console Sign In via CloudTrail",
	NULL,
};

/* S3 object-level API calls: CloudTrail data events, only logged by a trail configured for them. */
static const char *const eb_s3_data_events[] = {
	"PutObject", "CopyObject", "PostObject", "CompleteMultipartUpload", "CreateMultipartUpload",
	"UploadPart", "UploadPartCopy", "DeleteObject", "DeleteObjects", "RestoreObject", "GetObject",
	"HeadObject", "PutObjectAcl", "PutObjectTagging", "DeleteObjectTagging", "PutObjectRetention",
	"PutObjectLegalHold", "SelectObjectContent", NULL,
};

static int eb_in(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static int eb_starts(const char *s, const char *pre)
{
	return s && strncmp(s, pre, strlen(pre)) == 0;
}

/* A string property, or NULL when absent, unknown or not a string. */
static const char *eb_str(const struct pol_resource *r, const char *key)
{
	return pv_str(pv_get(r->props, key));
}

/* True when `urn` is among the property dependencies of r.prop. */
static int eb_prop_dep(const struct pol_resource *r, const char *prop, const char *urn)
{
	char *const *urns;
	size_t n = stk_prop_deps(r, prop, &urns);
	for (size_t i = 0; i < n; i++)
		if (strcmp(urns[i], urn) == 0)
			return 1;
	return 0;
}

/* The last '/'-separated segment of an ARN's resource ("rule/bus/name" -> "name"). */
static const char *eb_last_segment(struct pol_ctx *c, const struct aws_arn *a)
{
	const char *res = a->resource, *end = a->resource + a->resource_len, *seg = res;
	for (const char *p = res; p < end; p++)
		if (*p == '/')
			seg = p + 1;
	return arena_strndup(pol_arena(c), seg, (size_t)(end - seg));
}

/* ---- S3 pattern classification ------------------------------------------------------ */

struct eb_s3info {
	int is_s3;            /* source matches "aws.s3" exactly */
	int only_s3;          /* ... and nothing else */
	int has_detail_type;  /* the pattern filters detail-type */
	int native;           /* it may match S3's own EventBridge events */
	int native_explicit;  /* it names an S3 EventBridge detail-type */
	int cloudtrail;       /* it names a CloudTrail detail-type */
};

static void eb_s3_classify(const struct evp_pattern *p, struct eb_s3info *si)
{
	size_t pos = 0;
	const struct evp_field *f;
	int other_source = 0, other_type = 0;
	memset(si, 0, sizeof(*si));
	while ((f = evp_field_next(p, "source", &pos)) != NULL)
		for (size_t i = 0; i < f->n; i++) {
			if (f->m[i].op == EVP_OP_EXACT && f->m[i].str && strcmp(f->m[i].str, "aws.s3") == 0)
				si->is_s3 = 1;
			else
				other_source = 1;
		}
	si->only_s3 = si->is_s3 && !other_source;
	pos = 0;
	while ((f = evp_field_next(p, "detail-type", &pos)) != NULL) {
		si->has_detail_type = 1;
		for (size_t i = 0; i < f->n; i++) {
			const struct evp_match *m = &f->m[i];
			if (m->op == EVP_OP_EXACT && eb_in(eb_s3_detail_types, m->str))
				si->native_explicit = 1;
			else if (m->op == EVP_OP_EXACT && eb_in(eb_cloudtrail_detail_types, m->str))
				si->cloudtrail = 1;
			else if (evp_match_str(m, "Object Created") != 0)
				other_type = 1;  /* prefix "Object", wildcard, unknown: may match native events */
		}
	}
	si->native = si->native_explicit || other_type || !si->has_detail_type;
}

/*
 * A match that names what it accepts (exact, prefix, suffix, wildcard,
 * equals-ignore-case). "anything-but" and "exists" accept buckets without
 * naming them, so they never make a bucket count as "meant" by the rule.
 */
static int eb_positive(const struct evp_match *m)
{
	return m->op == EVP_OP_EXACT || m->op == EVP_OP_PREFIX || m->op == EVP_OP_SUFFIX ||
	       m->op == EVP_OP_WILDCARD || m->op == EVP_OP_EQUALS_IGNORE_CASE;
}

static int eb_has_bucket_filter(const struct evp_pattern *p)
{
	return evp_has_field(p, "detail.bucket.name") || evp_has_field(p, "resources");
}

/* ---- the stack's buckets, indexed once per call of a stack policy ------------------------ */

/*
 * A string -> size_t multimap in the policy's arena: the stack policies build
 * it once per call so that "which bucket has this name" is a hash probe, not
 * a scan of the stack for every rule. Values of one key iterate in insertion
 * order.
 */

/* A bucket as the S3 pattern rules see it. */
struct eb_bucket {
	const struct pol_resource *r;
	const char *name;           /* `bucket` (the S3 name), or NULL when unknown or absent */
	const char *arn;            /* `arn`, else arn:aws:s3:::<name>, else NULL */
};

/*
 * Every Bucket then every BucketV2 in request order (the order the checks
 * visit and report them); a bucket's rank is its position here.
 */
struct eb_buckets {
	size_t n;
	struct eb_bucket *b;
	size_t *rank_of;            /* stack index -> rank + 1, 0 = not a bucket */
	struct smap by_name, by_arn, by_logical;  /* -> rank; by_logical only buckets with a name */
	size_t *nameless, n_nameless;   /* ranks without name, ascending */
	size_t *arnless, n_arnless;     /* ranks without name or ARN, ascending */
	unsigned *mark;             /* rank -> stamp of the rule that last marked it */
	unsigned stamp;
	size_t *scratch;            /* n ranks */
};

static const char *const eb_bucket_types[] = { T_BUCKET, T_BUCKETV2 };

static int eb_buckets_build(struct pol_ctx *c, const struct stk_index *s, struct eb_buckets *bk)
{
	struct arena *a = pol_arena(c);
	const struct pol_resource *b;
	size_t pos, n = stk_type_range(s, T_BUCKET, &pos) + stk_type_range(s, T_BUCKETV2, &pos);

	memset(bk, 0, sizeof(*bk));
	bk->b = arena_alloc(a, (n ? n : 1) * sizeof(*bk->b));
	bk->rank_of = arena_alloc(a, (s->n ? s->n : 1) * sizeof(*bk->rank_of));
	bk->nameless = arena_alloc(a, (n ? n : 1) * sizeof(*bk->nameless));
	bk->arnless = arena_alloc(a, (n ? n : 1) * sizeof(*bk->arnless));
	bk->mark = arena_alloc(a, (n ? n : 1) * sizeof(*bk->mark));
	bk->scratch = arena_alloc(a, (n ? n : 1) * sizeof(*bk->scratch));
	if (!bk->b || !bk->rank_of || !bk->nameless || !bk->arnless || !bk->mark || !bk->scratch ||
	    smap_init(a, &bk->by_name, n) < 0 || smap_init(a, &bk->by_arn, n) < 0 ||
	    smap_init(a, &bk->by_logical, n) < 0)
		return -1;
	for (size_t t = 0; t < 2; t++)
		STK_FOREACH_TYPE(s, eb_bucket_types[t], b) {
			struct eb_bucket *x = &bk->b[bk->n];
			x->r = b;
			x->name = eb_str(b, "bucket");
			x->arn = eb_str(b, "arn");
			if (x->name && !x->arn && !(x->arn = arena_printf(a, "arn:aws:s3:::%s", x->name)))
				return -1;
			bk->rank_of[b->index] = bk->n + 1;
			if (x->name) {
				smap_add(&bk->by_name, x->name, bk->n);
				smap_add(&bk->by_logical, b->name, bk->n);
			} else {
				bk->nameless[bk->n_nameless++] = bk->n;
			}
			if (x->arn)
				smap_add(&bk->by_arn, x->arn, bk->n);
			else
				bk->arnless[bk->n_arnless++] = bk->n;
			bk->n++;
		}
	return 0;
}

/* Does the pattern's bucket filter accept this bucket? 1 yes, 0 no, -1 cannot say. */
static int eb_pattern_names_bucket(const struct evp_pattern *p, const struct eb_bucket *b)
{
	int maybe = 0;
	size_t pos = 0;
	const struct evp_field *f;
	while ((f = evp_field_next(p, "detail.bucket.name", &pos)) != NULL)
		for (size_t i = 0; i < f->n; i++) {
			int m = b->name ? evp_match_str(&f->m[i], b->name) : -1;
			if (m == 1 && eb_positive(&f->m[i]))
				return 1;
			if (m != 0)
				maybe = 1;
		}
	pos = 0;
	while ((f = evp_field_next(p, "resources", &pos)) != NULL)
		for (size_t i = 0; i < f->n; i++) {
			int m = b->arn ? evp_match_str(&f->m[i], b->arn) : -1;
			if (m == 1 && eb_positive(&f->m[i]))
				return 1;
			if (m != 0)
				maybe = 1;
		}
	return maybe ? -1 : 0;
}

/* Ranks of the buckets whose URN rule.eventPattern depends on, marked with the current stamp; returns the count. */
static size_t eb_dep_buckets(const struct stk_index *s, struct eb_buckets *bk, const struct pol_resource *rule,
			     size_t *out)
{
	char *const *urns;
	size_t n = stk_prop_deps(rule, "eventPattern", &urns), k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pol_resource *d = urns[i] ? stk_by_urn(s, urns[i]) : NULL;
		size_t rank = d ? bk->rank_of[d->index] : 0;
		if (rank && bk->mark[rank - 1] != bk->stamp) {
			bk->mark[rank - 1] = bk->stamp;
			out[k++] = rank - 1;
		}
	}
	return k;
}

static int eb_cmp_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return a < b ? -1 : a > b;
}

/* The buckets a rule's bucket filter matches: ranks judged 1, ascending, and the first judged -1. */
struct eb_rule_buckets {
	size_t n_ones;
	const size_t *ones;         /* valid until the next eb_rule_buckets call */
	size_t first_maybe;         /* SIZE_MAX when none */
};

/*
 * What eb_pattern_names_bucket (or a dependency of the pattern on the
 * bucket, which makes it 1) says for every bucket, without asking it for
 * every bucket: exact names and ARNs are hash probes, buckets without a
 * name can only be -1, and a match that accepts every known name
 * ("exists", unknown values) makes every other bucket -1. Only filters that
 * must be evaluated per name (prefix, suffix, wildcard, equals-ignore-case,
 * anything-but) fall back to judging each bucket.
 */
static void eb_rule_buckets(const struct stk_index *s, struct eb_buckets *bk, const struct pol_resource *rule,
			    const struct evp_pattern *p, struct eb_rule_buckets *out)
{
	static const char *const paths[2] = { "detail.bucket.name", "resources" };
	int any[2] = { 0, 0 }, every = 0, scan = 0;
	size_t n;

	bk->stamp++;
	n = eb_dep_buckets(s, bk, rule, bk->scratch);
	for (size_t k = 0; k < 2 && !scan; k++) {
		size_t pos = 0;
		const struct evp_field *f;
		while (!scan && (f = evp_field_next(p, paths[k], &pos)) != NULL)
			for (size_t i = 0; i < f->n; i++) {
				const struct evp_match *m = &f->m[i];
				any[k] = 1;
				switch (m->op) {
				case EVP_OP_EXACT:
					if (!m->str)
						break;      /* numbers, booleans, null never equal a name */
					SMAP_FOREACH(k ? &bk->by_arn : &bk->by_name, m->str, e) {
						size_t rank = (k ? &bk->by_arn : &bk->by_name)->ents[e - 1].val;
						if (bk->mark[rank] != bk->stamp) {
							bk->mark[rank] = bk->stamp;
							bk->scratch[n++] = rank;
						}
					}
					break;
				case EVP_OP_NUMERIC:
					break;              /* never accepts a string */
				case EVP_OP_EXISTS:
					every |= m->exists != 0;
					break;
				case EVP_OP_PREFIX:
				case EVP_OP_SUFFIX:
				case EVP_OP_EQUALS_IGNORE_CASE:
				case EVP_OP_WILDCARD:
				case EVP_OP_ANYTHING_BUT:
					scan = 1;
					break;
				default:
					every = 1;          /* cidr, invalid, unknown: -1 for any name */
					break;
				}
			}
	}
	out->first_maybe = SIZE_MAX;
	if (scan) {
		/* Judge every bucket; the dependency marks of this stamp still say "1". */
		unsigned dep_stamp = bk->stamp;
		n = 0;
		for (size_t r = 0; r < bk->n; r++) {
			int m = bk->mark[r] == dep_stamp ? 1 : eb_pattern_names_bucket(p, &bk->b[r]);
			if (m > 0)
				bk->scratch[n++] = r;
			else if (m < 0 && out->first_maybe == SIZE_MAX)
				out->first_maybe = r;
		}
		out->n_ones = n;
		out->ones = bk->scratch;
		return;
	}
	qsort(bk->scratch, n, sizeof(*bk->scratch), eb_cmp_size);
	out->n_ones = n;
	out->ones = bk->scratch;
	if (every) {
		for (size_t r = 0; r < bk->n && out->first_maybe == SIZE_MAX; r++)
			if (bk->mark[r] != bk->stamp)
				out->first_maybe = r;
	} else if (any[0] || any[1]) {
		/* Without a name the name filter cannot say; without an ARN neither can resources. */
		const size_t *l = any[0] ? bk->nameless : bk->arnless;
		size_t nl = any[0] ? bk->n_nameless : bk->n_arnless;
		for (size_t i = 0; i < nl && out->first_maybe == SIZE_MAX; i++)
			if (bk->mark[l[i]] != bk->stamp)
				out->first_maybe = l[i];
	}
}

/* ---- eventbridge-event-pattern-valid ------------------------------------------------ */

static int eb_absent(const pv_value *v)
{
	enum pv_kind k = pv_kind(v);
	return k == PV_MISSING || k == PV_NULL || (k == PV_STRING && pv_str(v)[0] == '\0');
}

/* rate(1 minute), rate(5 minutes): singular unit for 1, plural otherwise. */
static const char *eb_rate_problem(const char *s)
{
	const char *p = s + 5;  /* after "rate(" */
	unsigned long n = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > 1000000000UL)
			return "the value is too large";
		p++;
		digits++;
	}
	if (!digits || n == 0)
		return "the value must be a positive whole number";
	if (*p != ' ')
		return "write a value, a space and a unit, e.g. rate(5 minutes)";
	while (*p == ' ')
		p++;
	static const char *const units[] = { "minute", "hour", "day" };
	for (size_t i = 0; i < 3; i++) {
		size_t ul = strlen(units[i]);
		if (strncmp(p, units[i], ul) != 0)
			continue;
		int plural = p[ul] == 's';
		const char *q = p + ul + plural;
		if (strcmp(q, ")") != 0)
			return "the expression must end right after the unit with ')'";
		if (n == 1 && plural)
			return "a value of 1 takes the singular unit, e.g. rate(1 minute)";
		if (n != 1 && !plural)
			return "values above 1 take the plural unit, e.g. rate(5 minutes)";
		return NULL;
	}
	return "the unit must be minute(s), hour(s) or day(s)";
}

/* cron(min hour day-of-month month day-of-week year): six fields, exactly one of the day fields '?'. */
static const char *eb_cron_problem(const char *s)
{
	const char *p = s + 5, *end = strrchr(s, ')');
	if (!end || end[1] != '\0')
		return "the expression must end with ')'";
	const char *field[7];
	size_t flen[7], n = 0;
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		const char *start = p;
		while (p < end && *p != ' ')
			p++;
		if (n < 7) {
			field[n] = start;
			flen[n] = (size_t)(p - start);
		}
		n++;
	}
	if (n != 6)
		return "EventBridge cron expressions have six fields (minutes hours day-of-month month day-of-week year), "
		       "e.g. cron(0 12 * * ? *)";
	int dom_q = flen[2] == 1 && field[2][0] == '?';
	int dow_q = flen[4] == 1 && field[4][0] == '?';
	if (dom_q == dow_q)
		return "exactly one of day-of-month (3rd field) and day-of-week (5th field) must be '?'";
	return NULL;
}

static void eb_check_schedule(struct pol_ctx *c, const struct pol_resource *r, const pv_value *se)
{
	const char *s = pv_str(se);
	const char *shown = pv_is_secret(se) ? "the value" : s;
	const char *bus;
	if (pv_get_str(pv_get(r->props, "eventBusName"), &bus) == PV_OK && *bus && strcmp(bus, "default") != 0) {
		size_t bl = strlen(bus);
		if (!(bl >= 18 && strcmp(bus + bl - 18, ":event-bus/default") == 0))
			pol_report(c, NULL, "scheduleExpression",
				   "scheduleExpression is set on a rule of event bus \"%s\", but scheduled rules only run on "
				   "the default event bus: remove eventBusName, or use an EventBridge Scheduler schedule "
				   "(aws.scheduler.Schedule).", pv_is_secret(pv_get(r->props, "eventBusName")) ? "..." : bus);
	}
	const char *why;
	if (eb_starts(s, "rate("))
		why = eb_rate_problem(s);
	else if (eb_starts(s, "cron("))
		why = eb_cron_problem(s);
	else
		why = "it must be rate(...) or cron(...)";
	if (why)
		pol_report(c, NULL, "scheduleExpression", "scheduleExpression %s%s%s is invalid: %s.",
			   shown == s ? "\"" : "", shown, shown == s ? "\"" : "", why);
}

static void eb_report_detail_types(struct pol_ctx *c, const struct evp_pattern *p, const char *q)
{
	size_t pos = 0;
	const struct evp_field *f;
	while ((f = evp_field_next(p, "detail-type", &pos)) != NULL)
		for (size_t i = 0; i < f->n; i++) {
			const struct evp_match *m = &f->m[i];
			if (m->op != EVP_OP_EXACT || !m->str || eb_in(eb_s3_detail_types, m->str) ||
			    eb_in(eb_cloudtrail_detail_types, m->str) ||
			    pol_cfg_list_has(c, "extraS3DetailTypes", m->str))
				continue;
			const char *hint = "";
			if (eb_starts(m->str, "s3:") || strstr(m->str, "ObjectCreated") || strstr(m->str, "ObjectRemoved"))
				hint = " (that is an S3 event-notification event name, not an EventBridge detail-type)";
			pol_report(c, NULL, "eventPattern",
				   "eventPattern detail-type %s%s%s is not an event S3 sends to EventBridge%s, so the rule "
				   "never fires: use \"Object Created\", \"Object Deleted\", \"Object Restore Completed\", "
				   "\"Object Tags Added\" or another S3 EventBridge detail-type.",
				   q, p->secret ? "..." : m->str, q, hint);
		}
}

/* True when some field path starts with `prefix` (e.g. "detail.requestParameters"). */
static const char *eb_field_with_prefix(const struct evp_pattern *p, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < p->n_fields; i++) {
		const char *path = p->fields[i].path;
		if (strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '.'))
			return path;
	}
	return NULL;
}

static void eb_check_s3_pattern(struct pol_ctx *c, const struct evp_pattern *p)
{
	struct eb_s3info si;
	const char *q = p->secret ? "" : "\"";
	eb_s3_classify(p, &si);
	if (!si.is_s3)
		return;
	if (si.only_s3)
		eb_report_detail_types(c, p, q);
	if (!si.has_detail_type && pol_cfg_bool(c, "requireDetailType"))
		pol_report(c, NULL, "eventPattern",
			   "eventPattern matches source aws.s3 without a detail-type filter, so every S3 event (deletes, "
			   "tag and ACL changes, restores) reaches the targets: add \"detail-type\": [\"Object Created\"] "
			   "(or the types the handler expects).");

	/* Shape mismatches: native events and CloudTrail events have different detail objects. */
	static const char *const ct_fields[] = { "detail.eventName", "detail.eventSource", "detail.requestParameters", NULL };
	if (si.native_explicit && !si.cloudtrail)
		for (size_t i = 0; ct_fields[i]; i++) {
			const char *path = eb_field_with_prefix(p, ct_fields[i]);
			if (path)
				pol_report(c, NULL, "eventPattern",
					   "eventPattern filters %s, a CloudTrail field, but its detail-type is an S3 "
					   "EventBridge event whose detail has bucket.name, object.key and reason: match "
					   "\"detail\": {\"bucket\": {\"name\": [...]}, \"object\": {\"key\": [...]}} instead.", path);
		}
	if (si.cloudtrail && !si.native_explicit) {
		const char *path = eb_field_with_prefix(p, "detail.bucket");
		if (!path)
			path = eb_field_with_prefix(p, "detail.object");
		if (path)
			pol_report(c, NULL, "eventPattern",
				   "eventPattern filters %s, but CloudTrail events carry the bucket in "
				   "detail.requestParameters.bucketName: use S3's own events (\"detail-type\": [\"Object "
				   "Created\"]) with detail.bucket.name, or filter detail.requestParameters.bucketName.", path);
		if (!pol_cfg_bool(c, "allowCloudTrailS3Patterns")) {
			size_t pos = 0;
			const struct evp_field *f;
			const char *data_event = NULL;
			while (!data_event && (f = evp_field_next(p, "detail.eventName", &pos)) != NULL)
				for (size_t i = 0; i < f->n && !data_event; i++)
					if (f->m[i].op == EVP_OP_EXACT && eb_in(eb_s3_data_events, f->m[i].str))
						data_event = f->m[i].str;
			if (data_event)
				pol_report(c, NULL, "eventPattern",
					   "eventPattern waits for the S3 object-level API call %s%s%s through CloudTrail, which "
					   "only arrives when a trail logs S3 data events for the bucket: use S3's EventBridge "
					   "events (\"detail-type\": [\"Object Created\"], detail.bucket.name) and enable them "
					   "with aws.s3.BucketNotification { eventbridge: true }.",
					   q, p->secret ? "..." : data_event, q);
		}
	}
	if (!si.native)
		return;

	/* detail.bucket / detail.object are objects in S3 events: a list there never matches. */
	static const char *const objs[][2] = { { "detail.bucket", "name" }, { "detail.object", "key" } };
	for (size_t k = 0; k < 2; k++)
		if (evp_has_field(p, objs[k][0]))
			pol_report(c, NULL, "eventPattern",
				   "eventPattern matches %s against a list, but in S3 events it is an object: write "
				   "\"%s\": {\"%s\": [...]}.", objs[k][0], objs[k][0] + 7, objs[k][1]);

	size_t pos = 0;
	const struct evp_field *f;
	while ((f = evp_field_next(p, "detail.bucket.name", &pos)) != NULL)
		for (size_t i = 0; i < f->n; i++) {
			const char *v = f->m[i].op == EVP_OP_EXACT ? f->m[i].str : NULL;
			const char *shown = p->secret ? "..." : v;
			if (!v)
				continue;
			if (eb_starts(v, "arn:"))
				pol_report(c, NULL, "eventPattern",
					   "eventPattern detail.bucket.name holds the ARN %s%s%s, but S3 events carry the bare "
					   "bucket name there: use bucket.bucket (or bucket.id), or match the ARN in "
					   "\"resources\".", q, shown, q);
			else if (strstr(v, ".s3.") || strstr(v, ".amazonaws.com"))
				pol_report(c, NULL, "eventPattern",
					   "eventPattern detail.bucket.name holds the domain name %s%s%s, but S3 events carry "
					   "the bare bucket name: use bucket.bucket instead of bucketDomainName.", q, shown, q);
			else if (strchr(v, '*'))
				pol_report(c, NULL, "eventPattern",
					   "eventPattern detail.bucket.name %s%s%s contains '*', which an exact match treats "
					   "literally: use [{\"wildcard\": ...}] or [{\"prefix\": ...}].", q, shown, q);
		}
	pos = 0;
	while ((f = evp_field_next(p, "resources", &pos)) != NULL)
		for (size_t i = 0; i < f->n; i++) {
			const char *v = f->m[i].op == EVP_OP_EXACT ? f->m[i].str : NULL;
			if (v && !eb_starts(v, "arn:"))
				pol_report(c, NULL, "eventPattern",
					   "eventPattern resources holds %s%s%s, but S3 events list the bucket ARN there "
					   "(arn:aws:s3:::<bucket>): use bucket.arn, or match the name in "
					   "\"detail\": {\"bucket\": {\"name\": [...]}}.", q, p->secret ? "..." : v, q);
		}
	if (!eb_has_bucket_filter(p) && !evp_has_field(p, "detail.bucket") && pol_cfg_bool(c, "requireBucketNameFilter"))
		pol_report(c, NULL, "eventPattern",
			   "eventPattern matches S3 events from every bucket of the account and region that has "
			   "EventBridge enabled: add \"detail\": {\"bucket\": {\"name\": [<bucket name>]}}.");
}

static void check_event_pattern(struct pol_ctx *c, const struct pol_resource *r)
{
	const pv_value *ep = pv_get(r->props, "eventPattern");
	const pv_value *se = pv_get(r->props, "scheduleExpression");
	int ep_absent = eb_absent(ep), se_absent = eb_absent(se);
	int ep_unknown = pv_kind(ep) == PV_UNKNOWN, se_unknown = pv_kind(se) == PV_UNKNOWN;

	if (ep_unknown)
		pol_unknown(c, "eventPattern");
	if (se_unknown)
		pol_unknown(c, "scheduleExpression");
	/* Archives filter with an optional pattern and have no schedule. */
	int archive = strcmp(r->type, T_ARCHIVE) == 0;
	if (ep_absent && se_absent && !archive)
		pol_report(c, NULL, "eventPattern",
			   "the rule has neither eventPattern nor scheduleExpression, which EventBridge rejects: set an "
			   "eventPattern such as {\"source\": [\"aws.s3\"], ...} or a scheduleExpression such as "
			   "\"rate(5 minutes)\".");
	if (pv_kind(se) == PV_STRING && !se_absent)
		eb_check_schedule(c, r, se);
	if (ep_absent || ep_unknown)
		return;

	const char *text = pv_str(ep);
	const char *marker = text ? aws_output_marker_in(text) : NULL;
	if (marker) {
		pol_report(c, NULL, "eventPattern",
			   "eventPattern contains the text of a stringified Pulumi Output (\"%s\"), not the value: build "
			   "the JSON inside apply() (pulumi.jsonStringify / Output.json_dumps) so the bucket name or ARN "
			   "is resolved first.", marker);
		return;
	}
	struct evp_pattern p;
	if (evp_parse_value(pol_arena(c), ep, &p) < 0)
		return;
	switch (p.status) {
	case EVP_UNKNOWN:
		pol_unknown(c, "eventPattern");
		return;
	case EVP_ABSENT:
		return;
	case EVP_INVALID:
		pol_report(c, NULL, "eventPattern",
			   "eventPattern is not a valid event pattern: %s. Build it with JSON.stringify / json.dumps "
			   "from an object like {\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"]}.",
			   p.error);
		return;
	case EVP_OK:
		break;
	}
	double max = pol_cfg_num(c, "maxPatternLength", 4096);
	size_t chars = 0;
	for (const unsigned char *t = (const unsigned char *)text; t && *t; t++)
		chars += (*t & 0xC0) != 0x80;  /* count UTF-8 characters, not bytes */
	if (chars > 0 && (double)chars > max)
		pol_report(c, NULL, "eventPattern",
			   "eventPattern is %zu characters long, above the %.0f EventBridge accepts (2048 unless the "
			   "quota was raised): split the rule or use prefix/wildcard filters.", chars, max);
	for (size_t i = 0; i < p.n_issues; i++) {
		if (*p.issues[i].path)
			pol_report(c, NULL, "eventPattern", "eventPattern at %s: %s", p.issues[i].path, p.issues[i].msg);
		else
			pol_report(c, NULL, "eventPattern", "eventPattern: %s", p.issues[i].msg);
	}
	if (p.more_issues)
		pol_report(c, NULL, "eventPattern", "eventPattern has more problems than listed above: fix these first.");
	eb_check_s3_pattern(c, &p);
}

/* ---- s3-eventbridge-notification-enabled -------------------------------------------- */

/* Does BucketNotification n configure bucket b (by dependency or by name)? 1, 0, or -1 cannot say. */
static int eb_notif_for_bucket(const struct pol_resource *n, const struct eb_bucket *b)
{
	char *const *urns;
	size_t k = stk_prop_deps(n, "bucket", &urns);
	if (eb_prop_dep(n, "bucket", b->r->urn))
		return 1;
	const pv_value *v = pv_get(n->props, "bucket");
	const char *nb = pv_str(v);
	if (nb && b->name && strcmp(nb, b->name) == 0)
		return 1;
	return pv_kind(v) == PV_UNKNOWN && k == 0 ? -1 : 0;
}

/* What the stack's BucketNotifications say about one bucket (computed once per bucket). */
struct eb_bucket_state {
	const struct pol_resource *first;  /* first notification configuring the bucket */
	unsigned char enabled;             /* some notification has eventbridge true */
	unsigned char unknown;             /* a notification's bucket or eventbridge is unknown */
	unsigned char reported;            /* a missing-notification report was made */
};

/*
 * Fill st[] (indexed by bucket rank) for every bucket, and report buckets
 * configured by more than one BucketNotification: S3 keeps a single
 * notification configuration per bucket, so the last one applied wins.
 * The notifications of a bucket come from a hash lookup (dependency on the
 * bucket or its name as value); a notification whose bucket is unknown
 * without a dependency may configure any bucket.
 */
static int eb_bucket_states(struct pol_ctx *c, const struct stk_index *s, const struct eb_buckets *bk,
			    struct eb_bucket_state *st)
{
	for (size_t r = 0; r < bk->n; r++) {
		const struct eb_bucket *b = &bk->b[r];
		struct eb_bucket_state *bs = &st[r];
		const struct pol_resource *const *ns, *n, **scan = NULL;
		int unknown = 0;
		size_t nn;
		if (b->name && !*b->name) {
			/* stk_refs skips empty names; an empty name still equals an empty `bucket`. */
			size_t pos, total = stk_type_range(s, T_NOTIF, &pos);
			if (!(scan = arena_alloc(pol_arena(c), (total ? total : 1) * sizeof(*scan))))
				return -1;
			nn = 0;
			STK_FOREACH_TYPE(s, T_NOTIF, n) {
				int m = eb_notif_for_bucket(n, b);
				if (m < 0)
					unknown = 1;
				else if (m > 0)
					scan[nn++] = n;
			}
			ns = scan;
		} else {
			const char *ids[] = { b->name };
			nn = stk_refs(s, T_NOTIF, "bucket", b->r, ids, 1, &ns, &unknown);
		}
		if (unknown)
			bs->unknown = 1;
		for (size_t i = 0; i < nn; i++) {
			const pv_value *ev = pv_get(ns[i]->props, "eventbridge");
			int on = 0;
			n = ns[i];
			if (pv_kind(ev) == PV_UNKNOWN)
				bs->unknown = 1;
			else if (pv_get_bool(ev, &on) == PV_OK && on)
				bs->enabled = 1;
			if (!bs->first) {
				bs->first = n;
				continue;
			}
			pol_report(c, n->urn, "bucket",
				   "BucketNotification %s and %s both configure bucket %s; S3 keeps a single "
				   "notification configuration per bucket, so the last one applied silently replaces "
				   "the other: merge them into one BucketNotification (eventbridge, lambdaFunctions, "
				   "queues and topics together).", bs->first->name, n->name, b->r->name);
		}
	}
	return 0;
}

/* Bucket b is matched by rule: it must have EventBridge delivery on (reported once per bucket). */
static void eb_require_notification(struct pol_ctx *c, const struct pol_resource *b, struct eb_bucket_state *bs,
				    const struct pol_resource *rule)
{
	if (bs->enabled)
		return;
	if (bs->unknown) {
		pol_unknown(c, "eventbridge");
		return;
	}
	if (bs->reported)
		return;
	bs->reported = 1;
	if (!bs->first)
		pol_report(c, b->urn, "eventbridge",
			   "rule %s matches S3 events of bucket %s, but S3 only sends events to EventBridge when the "
			   "bucket's notification configuration enables it: add aws.s3.BucketNotification { bucket: "
			   "bucket.id, eventbridge: true }.", rule->name, b->name);
	else
		pol_report(c, bs->first->urn, "eventbridge",
			   "BucketNotification %s configures bucket %s without eventbridge: true, so rule %s never "
			   "receives its events: set eventbridge: true (lambda/queue/topic notifications can stay).",
			   bs->first->name, b->name, rule->name);
}

static void check_s3_eventbridge_notification(struct pol_ctx *c, const struct stk_index *s)
{
	struct eb_buckets bk;
	struct eb_bucket_state *st;
	const struct pol_resource *rule;
	size_t n_enabled = 0;
	if (eb_buckets_build(c, s, &bk) < 0)
		return;
	if (!(st = arena_alloc(pol_arena(c), (bk.n ? bk.n : 1) * sizeof(*st))) || eb_bucket_states(c, s, &bk, st) < 0)
		return;
	for (size_t r = 0; r < bk.n; r++)
		n_enabled += st[r].enabled || st[r].unknown;

	STK_FOREACH_TYPE(s, T_RULE, rule) {
		struct evp_pattern p;
		struct eb_s3info si;
		struct eb_rule_buckets rb;
		if (evp_parse_value(pol_arena(c), pv_get(rule->props, "eventPattern"), &p) < 0)
			return;
		if (p.status == EVP_UNKNOWN) {
			pol_unknown(c, "eventPattern");
			continue;
		}
		if (p.status != EVP_OK)
			continue;
		eb_s3_classify(&p, &si);
		if (!si.is_s3 || !si.native)
			continue;
		if (!eb_has_bucket_filter(&p)) {
			/* Matches every bucket: one with EventBridge on is enough to make it work. */
			if (bk.n > 0 && n_enabled == 0)
				pol_report(c, rule->urn, "eventPattern",
					   "rule %s matches S3 events of any bucket, but no bucket of this stack has an "
					   "aws.s3.BucketNotification with eventbridge: true, so nothing is delivered: enable "
					   "EventBridge on the bucket and filter it in detail.bucket.name.", rule->name);
			continue;
		}
		/*
		 * Matched buckets in bucket order; a bucket the filter cannot judge
		 * (unknown) counts as matched and makes the result unknown, first
		 * recorded in bucket order too.
		 */
		eb_rule_buckets(s, &bk, rule, &p, &rb);
		int unknown_said = 0;
		for (size_t i = 0; i < rb.n_ones; i++) {
			if (!unknown_said && rb.first_maybe < rb.ones[i]) {
				pol_unknown(c, "eventPattern");
				unknown_said = 1;
			}
			eb_require_notification(c, bk.b[rb.ones[i]].r, &st[rb.ones[i]], rule);
		}
		if (!unknown_said && rb.first_maybe != SIZE_MAX)
			pol_unknown(c, "eventPattern");
		if (rb.n_ones == 0 && rb.first_maybe == SIZE_MAX && !pol_cfg_bool(c, "ignoreExternalBuckets"))
			pol_report(c, rule->urn, "eventPattern",
				   "rule %s matches S3 events of buckets this stack does not manage: make sure EventBridge "
				   "notifications are enabled on them, or set ignoreExternalBuckets.", rule->name);
	}
}

/* ---- eventbridge-s3-pattern-matches-bucket ------------------------------------------- */

static void check_s3_pattern_matches_bucket(struct pol_ctx *c, const struct stk_index *s)
{
	struct eb_buckets bk;
	const struct pol_resource *rule;
	if (eb_buckets_build(c, s, &bk) < 0)
		return;
	STK_FOREACH_TYPE(s, T_RULE, rule) {
		struct evp_pattern p;
		struct eb_s3info si;
		if (evp_parse_value(pol_arena(c), pv_get(rule->props, "eventPattern"), &p) < 0)
			return;
		if (p.status == EVP_UNKNOWN)
			pol_unknown(c, "eventPattern");
		if (p.status != EVP_OK)
			continue;
		eb_s3_classify(&p, &si);
		if (!si.is_s3 || !si.native || !eb_has_bucket_filter(&p))
			continue;
		const char *q = p.secret ? "" : "\"";

		/* 1. The pattern was built from a bucket of the stack but does not name it. */
		bk.stamp++;
		size_t n_deps = eb_dep_buckets(s, &bk, rule, bk.scratch);
		qsort(bk.scratch, n_deps, sizeof(*bk.scratch), eb_cmp_size);
		for (size_t i = 0; i < n_deps; i++) {
			const struct eb_bucket *b = &bk.b[bk.scratch[i]];
			if (!b->name || eb_pattern_names_bucket(&p, b) != 0)
				continue;
			pol_report(c, rule->urn, "eventPattern",
				   "rule %s builds its eventPattern from bucket %s, but neither detail.bucket.name nor "
				   "resources matches that bucket's name %s%s%s (or its ARN), so its events never match: "
				   "put bucket.bucket (the name; bucket.id is the same in pulumi-aws) in "
				   "detail.bucket.name, or bucket.arn in resources.",
				   rule->name, b->r->name, q, p.secret ? "..." : b->name, q);
		}

		/*
		 * 2. A literal name that is the Pulumi resource name, not the
		 * (auto-named) physical name: no bucket has it as S3 name, and the
		 * last one with it as logical name is meant.
		 */
		size_t pos = 0;
		const struct evp_field *f;
		while ((f = evp_field_next(&p, "detail.bucket.name", &pos)) != NULL)
			for (size_t i = 0; i < f->n; i++) {
				const char *v = f->m[i].op == EVP_OP_EXACT ? f->m[i].str : NULL;
				const struct eb_bucket *logical = NULL;
				if (!v || smap_next(&bk.by_name, v, 0))
					continue;
				SMAP_FOREACH(&bk.by_logical, v, e)
					logical = &bk.b[bk.by_logical.ents[e - 1].val];
				if (!logical)
					continue;
				pol_report(c, rule->urn, "eventPattern",
					   "rule %s filters detail.bucket.name %s%s%s, which is the Pulumi resource name of "
					   "bucket %s; its S3 name is %s%s%s (auto-naming adds a suffix): reference "
					   "bucket.bucket instead of a literal.",
					   rule->name, q, p.secret ? "..." : v, q, logical->r->name, q,
					   p.secret ? "..." : logical->name, q);
			}
	}
}

/* ---- eventbridge-target-role ------------------------------------------------------------ */

/* What a dependency of EventTarget.arn says about the target service. */
static const struct {
	const char *type;
	const char *service;
	const char *resource;  /* resource prefix of its ARN */
} eb_type_services[] = {
	{ "aws:kinesis/stream:Stream", "kinesis", "stream/" },
	{ "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "firehose", "deliverystream/" },
	{ "aws:sfn/stateMachine:StateMachine", "states", "stateMachine:" },
	{ "aws:ecs/cluster:Cluster", "ecs", "cluster/" },
	{ "aws:batch/jobQueue:JobQueue", "batch", "job-queue/" },
	{ "aws:codebuild/project:Project", "codebuild", "project/" },
	{ "aws:codepipeline/pipeline:Pipeline", "codepipeline", "" },
	{ "aws:sagemaker/pipeline:Pipeline", "sagemaker", "pipeline/" },
	{ "aws:redshift/cluster:Cluster", "redshift", "cluster:" },
	{ "aws:appsync/graphQLApi:GraphQLApi", "appsync", "apis/" },
	{ "aws:ssm/document:Document", "ssm", "document/" },
	{ "aws:cloudwatch/eventApiDestination:EventApiDestination", "events", "api-destination/" },
	{ "aws:cloudwatch/eventBus:EventBus", "events", "event-bus/" },
	{ "aws:cloudwatch/logGroup:LogGroup", "logs", "log-group:" },
	{ T_FUNCTION, "lambda", "function:" },
	{ T_ALIAS, "lambda", "function:" },
	{ "aws:sns/topic:Topic", "sns", "" },
	{ "aws:sqs/queue:Queue", "sqs", "" },
};

struct eb_target_kind {
	const char *service;          /* "kinesis", "logs", ... (arena copy) */
	const char *resource;         /* resource part or prefix */
	const char *region;           /* ARN region when known */
	const struct pol_resource *dep; /* the stack resource the arn came from */
};

/* Work out the target service from the ARN or from propertyDependencies.arn. 0 ok, -1 unknown. */
static int eb_target_kind(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *t,
			  struct eb_target_kind *k)
{
	memset(k, 0, sizeof(*k));
	const char *arn = eb_str(t, "arn");
	char *const *urns;
	size_t n = stk_prop_deps(t, "arn", &urns);
	for (size_t i = 0; i < n && !k->dep; i++) {
		const struct pol_resource *d = stk_by_urn(s, urns[i]);
		for (size_t j = 0; d && j < sizeof(eb_type_services) / sizeof(eb_type_services[0]); j++)
			if (strcmp(d->type, eb_type_services[j].type) == 0) {
				k->dep = d;
				k->service = eb_type_services[j].service;
				k->resource = eb_type_services[j].resource;
			}
	}
	struct aws_arn a;
	if (arn && aws_arn_parse(arn, &a) == 0) {
		k->service = arena_strndup(pol_arena(c), a.service, a.service_len);
		k->resource = arena_strndup(pol_arena(c), a.resource, a.resource_len);
		k->region = a.region_len ? arena_strndup(pol_arena(c), a.region, a.region_len) : NULL;
	}
	return k->service ? 0 : -1;
}

static int eb_role_required(struct pol_ctx *c, const struct pol_resource *t, const struct eb_target_kind *k)
{
	if (pol_cfg_list_has(c, "servicesRequiringRole", k->service))
		return 1;
	if (pv_len(pv_get(t->props, "runCommandTargets")) > 0 || pv_kind(pv_get(t->props, "ecsTarget")) == PV_OBJECT)
		return 1;
	if (strcmp(k->service, "events") != 0 || !k->resource)
		return 0;
	/* API destinations and the EC2 built-in targets are invoked with the rule's role. */
	if (eb_starts(k->resource, "api-destination/") || eb_starts(k->resource, "target/"))
		return 1;
	/* An event bus in another region needs a role (cross-account ones too; accounts are not judged here). */
	if (eb_starts(k->resource, "event-bus/")) {
		const char *mine = NULL, *theirs = k->region;
		if (pol_region(c, t, &mine) != PV_OK)
			return 0;
		if (!theirs && k->dep && pol_region(c, k->dep, &theirs) != PV_OK)
			return 0;
		return theirs && *theirs && strcmp(mine, theirs) != 0;
	}
	return 0;
}

/* ---- encrypted SNS / SQS targets -------------------------------------------------------- */

/*
 * Does the key policy in effect (a separate aws.kms.KeyPolicy wins) let
 * events.amazonaws.com use the key (kms:Decrypt and kms:GenerateDataKey*)?
 * 1 yes, 0 no, -1 cannot tell.
 */
/*
 * The stack's KeyPolicies indexed once per call: by every URN they depend
 * on and by their keyId value, to position (request order) in their type.
 */
struct eb_key_policies {
	int built;
	size_t first;               /* type range of T_KEY_POLICY */
	struct smap by_dep, by_key_id;
};

static int eb_key_policies_build(struct pol_ctx *c, const struct stk_index *s, struct eb_key_policies *kx)
{
	const struct pol_resource *kp;
	size_t n = stk_type_range(s, T_KEY_POLICY, &kx->first), n_deps = 0;
	for (size_t k = 0; k < n; k++) {
		kp = stk_type_at(s, kx->first + k);
		n_deps += kp->n_deps;
		for (size_t i = 0; i < kp->n_propdeps; i++)
			n_deps += kp->propdeps[i].n_urns;
	}
	if (smap_init(pol_arena(c), &kx->by_dep, n_deps) < 0 || smap_init(pol_arena(c), &kx->by_key_id, n) < 0)
		return -1;
	for (size_t k = 0; k < n; k++) {
		const char *v;
		kp = stk_type_at(s, kx->first + k);
		for (size_t i = 0; i < kp->n_deps; i++)
			if (kp->deps[i])
				smap_add(&kx->by_dep, kp->deps[i], k);
		for (size_t i = 0; i < kp->n_propdeps; i++)
			for (size_t j = 0; j < kp->propdeps[i].n_urns; j++)
				if (kp->propdeps[i].urns[j])
					smap_add(&kx->by_dep, kp->propdeps[i].urns[j], k);
		if ((v = pv_str(pv_get(kp->props, "keyId"))) != NULL && *v)
			smap_add(&kx->by_key_id, v, k);
	}
	kx->built = 1;
	return 0;
}

/* Largest position of `key`'s values in m, or *best unchanged. */
static void eb_map_last(const struct smap *m, const char *key, size_t *best)
{
	SMAP_FOREACH(m, key, e)
		if (*best == SIZE_MAX || m->ents[e - 1].val > *best)
			*best = m->ents[e - 1].val;
}

static int eb_key_admits_events(struct pol_ctx *c, const struct stk_index *s, struct eb_key_policies *kx,
				const struct pol_resource *key)
{
	static const char *const key_ids[] = { "arn", "id", "keyId", NULL };
	const pv_value *policy = pv_get(key->props, "policy");
	size_t last = SIZE_MAX;

	/* The last KeyPolicy that depends on the key or names it by one of its ids wins. */
	if (!kx->built && eb_key_policies_build(c, s, kx) < 0)
		return -1;
	eb_map_last(&kx->by_dep, key->urn, &last);
	for (size_t i = 0; key_ids[i]; i++) {
		const char *o = pv_str(pv_get(key->props, key_ids[i]));
		if (o && *o)
			eb_map_last(&kx->by_key_id, o, &last);
	}
	if (last != SIZE_MAX)
		policy = pv_get(stk_type_at(s, kx->first + last)->props, "policy");
	static const char *const actions[] = { "kms:Decrypt", "kms:GenerateDataKey", NULL };
	/* No policy at all: the default key policy admits the account's IAM principals only. */
	return iam_doc_allows_service(pol_iam_doc(c, policy), "events.amazonaws.com", actions);
}

/*
 * Does a resource policy let events.amazonaws.com perform `action` (an Allow
 * statement for that service principal or for "*")? 1 yes, 0 no, -1 cannot tell.
 */
static int eb_policy_admits_events(struct pol_ctx *c, const pv_value *policy, const char *action)
{
	const char *const actions[] = { action, NULL };
	return iam_doc_allows_service(pol_iam_doc(c, policy), "events.amazonaws.com", actions);
}

/*
 * Without a roleArn, EventBridge delivers to SQS and SNS with the queue's or
 * topic's resource policy: it must allow events.amazonaws.com
 * sqs:SendMessage / sns:Publish (the console adds that statement, programs
 * must write it). Policies come from aws.sqs.QueuePolicy / aws.sns.TopicPolicy
 * (which replace the inline one) or the inline `policy`.
 */
static void eb_check_target_resource_policy(struct pol_ctx *c, const struct stk_index *s,
					    const struct pol_resource *t, const struct pol_resource *dest, int sns)
{
	static const char *const queue_ids[] = { "id", "url", NULL };
	static const char *const topic_ids[] = { "arn", "id", NULL };
	const char *ptype = sns ? T_TOPIC_POLICY : T_QUEUE_POLICY;
	const char *link = sns ? "arn" : "queueUrl";
	const char *action = sns ? "sns:Publish" : "sqs:SendMessage";
	const char *const *id_keys = sns ? topic_ids : queue_ids;
	const char *ids[2] = { pv_str(pv_get(dest->props, id_keys[0])), pv_str(pv_get(dest->props, id_keys[1])) };
	const struct pol_resource *const *xs;
	int found = 0, ok = 0, unknown = 0;

	/* A policy whose link is unknown without a dependency may be this queue's or topic's. */
	size_t n_mine = stk_refs(s, ptype, link, dest, ids, 2, &xs, &unknown);
	for (size_t i = 0; i < n_mine; i++) {
		found = 1;
		int r = eb_policy_admits_events(c, pv_get(xs[i]->props, "policy"), action);
		if (r > 0)
			ok = 1;
		else if (r < 0)
			unknown = 1;
	}
	if (!found) {
		const pv_value *inl = pv_get(dest->props, "policy");
		int r = eb_policy_admits_events(c, inl, action);
		if (r > 0)
			ok = 1;
		else if (r < 0)
			unknown = 1;
		found = pv_kind(inl) != PV_MISSING && pv_kind(inl) != PV_NULL;
	}
	if (ok)
		return;
	if (unknown) {
		pol_unknown(c, "policy");
		return;
	}
	pol_report(c, t->urn, "arn",
		   "target %s delivers to %s %s without a roleArn, but %s lets events.amazonaws.com %s, so every "
		   "event is dropped: add an %s with an Allow statement for Principal {\"Service\": "
		   "\"events.amazonaws.com\"}, Action \"%s\" and Condition {\"ArnEquals\": {\"aws:SourceArn\": rule.arn}}.",
		   t->name, sns ? "SNS topic" : "SQS queue", dest->name,
		   found ? "its policy never" : "no policy", sns ? "publish" : "send messages",
		   sns ? "aws.sns.TopicPolicy" : "aws.sqs.QueuePolicy", action);
}

/*
 * EventBridge delivers to an SNS topic or SQS queue encrypted with KMS by
 * calling KMS itself, as events.amazonaws.com: the AWS managed keys
 * (alias/aws/sns, alias/aws/sqs) never allow that, and a customer-managed
 * key must allow it in its key policy. Otherwise every event is dropped
 * (FailedInvocations, nothing in the queue or topic).
 */
static void eb_check_target_key(struct pol_ctx *c, const struct stk_index *s, struct eb_key_policies *kx,
				const struct pol_resource *t, const struct eb_target_kind *k)
{
	static const char *const ids[] = { "arn", "id", NULL };
	const struct pol_resource *dest = NULL;
	int sns = strcmp(k->service, "sns") == 0;

	if (!sns && strcmp(k->service, "sqs") != 0)
		return;
	if (k->dep && (strcmp(k->dep->type, T_TOPIC) == 0 || strcmp(k->dep->type, T_QUEUE) == 0)) {
		dest = k->dep;
	} else if (eb_str(t, "arn")) {
		dest = stk_find_eq(s, sns ? T_TOPIC : T_QUEUE, ids, eb_str(t, "arn"), STK_LAST);
	}
	if (!dest)
		return;
	if (!sns) {
		/* FIFO queues reject messages without a group: PutTargets fails without sqsTarget.messageGroupId. */
		int fifo = 0;
		const char *qn = pv_str(pv_get(dest->props, "name"));
		size_t ql = qn ? strlen(qn) : 0;
		if ((pv_get_bool(pv_get(dest->props, "fifoQueue"), &fifo) == PV_OK && fifo) ||
		    (ql > 5 && strcmp(qn + ql - 5, ".fifo") == 0)) {
			const pv_value *g = pv_path(t->props, "sqsTarget.messageGroupId");
			if (pv_kind(g) != PV_UNKNOWN && (!pv_str(g) || !*pv_str(g)))
				pol_report(c, t->urn, "sqsTarget.messageGroupId",
					   "target %s delivers to the FIFO queue %s without sqsTarget.messageGroupId, which "
					   "EventBridge requires for FIFO queues: set sqsTarget: { messageGroupId: \"...\" } "
					   "(and enable content-based deduplication on the queue).", t->name, dest->name);
		}
	}
	eb_check_target_resource_policy(c, s, t, dest, sns);
	const pv_value *kv = pv_get(dest->props, "kmsMasterKeyId");
	const char *kid = pv_str(kv);
	const char *managed = sns ? "alias/aws/sns" : "alias/aws/sqs";
	size_t kl = kid ? strlen(kid) : 0;
	if (kid && (strcmp(kid, managed) == 0 || (kl > 14 && strcmp(kid + kl - 14, sns ? ":alias/aws/sns" : ":alias/aws/sqs") == 0))) {
		pol_report(c, t->urn, "arn",
			   "target %s delivers to %s %s, which is encrypted with the AWS managed key %s; EventBridge "
			   "cannot use that key, so every event is dropped: encrypt it with a customer-managed KMS key "
			   "whose key policy allows events.amazonaws.com kms:Decrypt and kms:GenerateDataKey*%s.",
			   t->name, sns ? "SNS topic" : "SQS queue", dest->name, managed,
			   sns ? "" : " (or use SSE-SQS: sqsManagedSseEnabled: true)");
		return;
	}
	if (pv_kind(kv) != PV_UNKNOWN && (!kid || !*kid))
		return;
	const struct pol_resource *key = stk_kms_key(s, dest, "kmsMasterKeyId");
	if (!key) {
		if (pv_kind(kv) == PV_UNKNOWN)
			pol_unknown(c, "kmsMasterKeyId");
		return;
	}
	int ok = eb_key_admits_events(c, s, kx, key);
	if (ok < 0)
		pol_unknown(c, "policy");
	else if (!ok)
		pol_report(c, t->urn, "arn",
			   "target %s delivers to %s %s, encrypted with KMS key %s whose key policy does not let "
			   "events.amazonaws.com use it, so every event is dropped: add a key policy statement allowing "
			   "Principal {\"Service\": \"events.amazonaws.com\"} kms:Decrypt and kms:GenerateDataKey*.",
			   t->name, sns ? "SNS topic" : "SQS queue", dest->name, key->name);
}

static void check_target_role(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *t;
	struct eb_key_policies kx;
	memset(&kx, 0, sizeof(kx));
	STK_FOREACH_TYPE(s, T_TARGET, t) {
		const pv_value *rv = pv_get(t->props, "roleArn");
		enum pv_kind rk = pv_kind(rv);
		int role_set = rk == PV_UNKNOWN || (rk == PV_STRING && *pv_str(rv));
		struct eb_target_kind k;

		if (rk == PV_STRING && *pv_str(rv)) {
			struct aws_arn a;
			const char *role = pv_str(rv);
			if (aws_arn_parse(role, &a) != 0 || !aws_field_eq(a.service, a.service_len, "iam") ||
			    !eb_starts(a.resource, "role/"))
				pol_report(c, t->urn, "roleArn",
					   "target %s has roleArn %s%s%s, which is not an IAM role ARN "
					   "(arn:aws:iam::<account>:role/<name>): pass the role's arn, not a policy or "
					   "instance-profile ARN.", t->name, pv_is_secret(rv) ? "" : "\"",
					   pv_is_secret(rv) ? "..." : role, pv_is_secret(rv) ? "" : "\"");
		} else if (rk == PV_UNKNOWN) {
			const struct pol_resource *d = NULL;
			if (!stk_prop_depends_on_type(s, t, "roleArn", "aws:iam/role:Role", NULL) &&
			    (stk_prop_depends_on_type(s, t, "roleArn", "aws:iam/policy:Policy", &d) ||
			     stk_prop_depends_on_type(s, t, "roleArn", "aws:iam/instanceProfile:InstanceProfile", &d)))
				pol_report(c, t->urn, "roleArn",
					   "target %s takes its roleArn from %s (%s), not from an aws.iam.Role: EventBridge "
					   "assumes a role, so pass role.arn.", t->name, d->name, d->type);
		}

		if (eb_target_kind(c, s, t, &k) < 0) {
			if (pv_kind(pv_get(t->props, "arn")) == PV_UNKNOWN)
				pol_unknown(c, "arn");
			continue;
		}
		/* The service name is part of the ARN: not quoted when the ARN is secret. */
		const char *svc = pv_is_secret(pv_get(t->props, "arn")) ? "its target service" : k.service;
		if (!role_set && eb_role_required(c, t, &k))
			pol_report(c, t->urn, "roleArn",
				   "target %s sends events to %s%s%s, which EventBridge can only reach through an IAM role "
				   "it assumes: create an aws.iam.Role trusted by events.amazonaws.com with permission for "
				   "the target action and set roleArn.",
				   t->name, svc, k.dep ? " resource " : "", k.dep ? k.dep->name : "");
		if (role_set && rk == PV_STRING && pol_cfg_list_has(c, "servicesForbiddingRole", k.service))
			pol_report(c, t->urn, "roleArn",
				   "target %s delivers to %s, which EventBridge reaches through the target's resource "
				   "policy; a roleArn there makes delivery fail: remove roleArn and grant access with the "
				   "resource policy (aws.cloudwatch.LogResourcePolicy for log groups).", t->name, svc);
		/* With a role, the role's IAM permissions (not the service principal) use the key. */
		if (!role_set)
			eb_check_target_key(c, s, &kx, t, &k);
	}
}

/* ---- eventbridge-lambda-target-permission ------------------------------------------------- */

/* Function name inside a Lambda ARN, a partial ARN ("acct:function:name") or "name[:qualifier]". */
static const char *eb_function_name(struct pol_ctx *c, const char *s)
{
	const char *f = strstr(s, ":function:");
	const char *start = f ? f + 10 : s;
	if (!f && eb_starts(s, "arn:"))
		return NULL;
	const char *end = strchr(start, ':');
	return arena_strndup(pol_arena(c), start, end ? (size_t)(end - start) : strlen(start));
}

/* The last resource of `type` whose `name` is `name` (a hash probe; "" is scanned for, the probe skips it). */
static const struct pol_resource *eb_last_named(const struct stk_index *s, const char *type, const char *name)
{
	static const char *const keys[] = { "name", NULL };
	const struct pol_resource *x, *found = NULL;
	if (*name)
		return stk_find_eq(s, type, keys, name, STK_LAST);
	STK_FOREACH_TYPE(s, type, x) {
		const char *n = eb_str(x, "name");
		if (n && strcmp(n, name) == 0)
			found = x;
	}
	return found;
}

/* The Lambda function a target invokes: a stack Function (by dependency or name) or NULL. */
static const struct pol_resource *eb_target_function(struct pol_ctx *c, const struct stk_index *s,
						     const struct pol_resource *t, const char **fname)
{
	const struct pol_resource *fn = NULL, *d = NULL;
	const char *arn = eb_str(t, "arn");
	*fname = NULL;
	if (stk_prop_depends_on_type(s, t, "arn", T_FUNCTION, &d))
		fn = d;
	else if (stk_prop_depends_on_type(s, t, "arn", T_ALIAS, &d))
		stk_prop_depends_on_type(s, d, "functionName", T_FUNCTION, &fn);
	struct aws_arn a;
	if (arn && aws_arn_parse(arn, &a) == 0) {
		if (!aws_field_eq(a.service, a.service_len, "lambda"))
			return NULL;
		*fname = eb_function_name(c, arn);
	}
	if (!*fname && fn)
		*fname = eb_str(fn, "name");
	if (!fn && *fname)
		fn = eb_last_named(s, T_FUNCTION, *fname);
	return fn;
}

/* Does permission p name function fn? 1, 0, or -1 cannot say. */
static int eb_perm_function(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *p,
			    const struct pol_resource *fn, const char *fname)
{
	char *const *urns;
	size_t n = stk_prop_deps(p, "function", &urns);
	for (size_t i = 0; i < n; i++) {
		const struct pol_resource *d = stk_by_urn(s, urns[i]);
		if (strcmp(urns[i], fn->urn) == 0)
			return 1;
		if (d && strcmp(d->type, T_ALIAS) == 0 && eb_prop_dep(d, "functionName", fn->urn))
			return 1;
	}
	const pv_value *v = pv_get(p->props, "function");
	if (pv_kind(v) == PV_UNKNOWN)
		return n ? 0 : -1;
	const char *pf = pv_str(v);
	const char *pname = pf ? eb_function_name(c, pf) : NULL;
	return pname && fname && strcmp(pname, fname) == 0;
}

/* Does permission p's sourceArn come from rule (resource or name)? 1, 0, or -1 cannot say. */
static int eb_perm_source(struct pol_ctx *c, const struct pol_resource *p, const struct pol_resource *rule,
			  const char *rule_name)
{
	char *const *urns;
	size_t n = stk_prop_deps(p, "sourceArn", &urns);
	if (rule && eb_prop_dep(p, "sourceArn", rule->urn))
		return 1;
	const pv_value *v = pv_get(p->props, "sourceArn");
	switch (pv_kind(v)) {
	case PV_UNKNOWN:
		return n ? 0 : -1;
	case PV_STRING: {
		const char *sa = pv_str(v), *rarn = rule ? eb_str(rule, "arn") : NULL;
		struct aws_arn a;
		if (rarn && pol_glob(sa, rarn))
			return 1;
		if (aws_arn_parse(sa, &a) != 0 || !aws_field_eq(a.service, a.service_len, "events") ||
		    !eb_starts(a.resource, "rule/") || !rule_name)
			return 0;
		return pol_glob(eb_last_segment(c, &a), rule_name);
	}
	default:
		return 0;
	}
}

/*
 * The stack's Lambda permissions that may let EventBridge invoke (principal
 * and action events.amazonaws.com / lambda:InvokeFunction, or unknown),
 * indexed once per call by what eb_perm_function compares: the URNs their
 * `function` depends on (through an Alias to its function too), and the
 * function name in their `function` value. A permission whose function is
 * unknown without a dependency may be any function's: those are kept apart
 * and judged for every target.
 */
struct eb_perms {
	int built;
	size_t first;               /* type range of T_PERMISSION */
	struct smap by_urn, by_name;
	size_t *wild, n_wild;
};

static int eb_perm_for_events(const struct pol_resource *p)
{
	const pv_value *pr = pv_get(p->props, "principal"), *ac = pv_get(p->props, "action");
	if (pv_kind(pr) == PV_STRING && strcmp(pv_str(pr), "events.amazonaws.com") != 0)
		return 0;
	if (pv_kind(ac) == PV_STRING && !iam_action_matches(pv_str(ac), "lambda:InvokeFunction"))
		return 0;
	return 1;
}

static int eb_perms_build(struct pol_ctx *c, const struct stk_index *s, struct eb_perms *px)
{
	size_t n = stk_type_range(s, T_PERMISSION, &px->first), n_urns = 0;
	for (size_t k = 0; k < n; k++) {
		const struct pol_resource *p = stk_type_at(s, px->first + k);
		char *const *urns;
		size_t nd = stk_prop_deps(p, "function", &urns);
		n_urns += nd;
		for (size_t i = 0; i < nd; i++) {
			const struct pol_resource *d = urns[i] ? stk_by_urn(s, urns[i]) : NULL;
			char *const *aurns;
			if (d && strcmp(d->type, T_ALIAS) == 0)
				n_urns += stk_prop_deps(d, "functionName", &aurns);
		}
	}
	px->wild = arena_alloc(pol_arena(c), (n ? n : 1) * sizeof(*px->wild));
	if (!px->wild || smap_init(pol_arena(c), &px->by_urn, n_urns) < 0 ||
	    smap_init(pol_arena(c), &px->by_name, n) < 0)
		return -1;
	for (size_t k = 0; k < n; k++) {
		const struct pol_resource *p = stk_type_at(s, px->first + k);
		const pv_value *v = pv_get(p->props, "function");
		char *const *urns;
		size_t nd = stk_prop_deps(p, "function", &urns);
		if (!eb_perm_for_events(p))
			continue;
		for (size_t i = 0; i < nd; i++) {
			const struct pol_resource *d = urns[i] ? stk_by_urn(s, urns[i]) : NULL;
			char *const *aurns;
			if (!urns[i])
				continue;
			smap_add(&px->by_urn, urns[i], k);
			if (d && strcmp(d->type, T_ALIAS) == 0)
				for (size_t j = 0, na = stk_prop_deps(d, "functionName", &aurns); j < na; j++)
					if (aurns[j])
						smap_add(&px->by_urn, aurns[j], k);
		}
		if (pv_kind(v) == PV_UNKNOWN) {
			if (nd == 0)
				px->wild[px->n_wild++] = k;
		} else if (pv_str(v)) {
			const char *pname = eb_function_name(c, pv_str(v));
			if (pname)
				smap_add(&px->by_name, pname, k);
		}
	}
	px->built = 1;
	return 0;
}

/* Judge permission p for target function fn and its rule: found (1) or maybe (0 and *maybe set). */
static int eb_perm_judge(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *p,
			 const struct pol_resource *fn, const char *fname, const struct pol_resource *rule,
			 const char *rule_name, int *maybe)
{
	const pv_value *pr = pv_get(p->props, "principal"), *ac = pv_get(p->props, "action");
	int mf = eb_perm_function(c, s, p, fn, fname);
	int ms = mf ? eb_perm_source(c, p, rule, rule_name) : 0;
	int unknown = pv_kind(pr) == PV_UNKNOWN || pv_kind(ac) == PV_UNKNOWN;
	if (mf == 1 && ms == 1 && !unknown)
		return 1;
	if (mf != 0 && ms != 0)
		*maybe = 1;
	return 0;
}

static void check_lambda_target_permission(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *t;
	struct eb_perms px;
	memset(&px, 0, sizeof(px));
	STK_FOREACH_TYPE(s, T_TARGET, t) {
		const pv_value *rv = pv_get(t->props, "roleArn");
		const char *fname;
		/* EventBridge may also invoke Lambda with the target's role. */
		if (pv_kind(rv) == PV_UNKNOWN || (pv_kind(rv) == PV_STRING && *pv_str(rv)))
			continue;
		const struct pol_resource *fn = eb_target_function(c, s, t, &fname);
		if (!fn) {
			char *const *urns;
			if (pv_kind(pv_get(t->props, "arn")) == PV_UNKNOWN && stk_prop_deps(t, "arn", &urns) == 0)
				pol_unknown(c, "arn");
			continue;  /* not a Lambda, or a function managed elsewhere */
		}

		const struct pol_resource *rule = NULL;
		const char *rule_name = eb_str(t, "rule");
		stk_prop_depends_on_type(s, t, "rule", T_RULE, &rule);
		if (rule_name && eb_starts(rule_name, "arn:")) {
			struct aws_arn a;
			rule_name = aws_arn_parse(rule_name, &a) == 0 ? eb_last_segment(c, &a) : NULL;
		}
		if (!rule && rule_name)
			rule = eb_last_named(s, T_RULE, rule_name);
		if (rule && eb_str(rule, "name"))
			rule_name = eb_str(rule, "name");
		if (!rule && !rule_name) {
			pol_unknown(c, "rule");
			continue;
		}

		/*
		 * Only permissions that may name the function can say anything (the
		 * others judge 0): those depending on it, naming it, or whose function
		 * is unknown. Found and maybe do not depend on the order.
		 */
		int found = 0, maybe = 0;
		if (!px.built && eb_perms_build(c, s, &px) < 0)
			return;
		SMAP_FOREACH(&px.by_urn, fn->urn, e)
			found |= eb_perm_judge(c, s, stk_type_at(s, px.first + px.by_urn.ents[e - 1].val), fn, fname, rule,
					       rule_name, &maybe);
		if (fname)
			SMAP_FOREACH(&px.by_name, fname, e)
				found |= eb_perm_judge(c, s, stk_type_at(s, px.first + px.by_name.ents[e - 1].val), fn, fname,
						       rule, rule_name, &maybe);
		for (size_t i = 0; i < px.n_wild && !found; i++)
			found |= eb_perm_judge(c, s, stk_type_at(s, px.first + px.wild[i]), fn, fname, rule, rule_name, &maybe);
		if (found)
			continue;
		if (maybe) {
			pol_unknown(c, "sourceArn");
			continue;
		}
		pol_report(c, t->urn, "arn",
			   "target %s invokes Lambda function %s for rule %s, but no aws.lambda.Permission lets "
			   "events.amazonaws.com invoke it with that rule as sourceArn, so every invocation is denied: add "
			   "aws.lambda.Permission { action: \"lambda:InvokeFunction\", function: fn.name, principal: "
			   "\"events.amazonaws.com\", sourceArn: rule.arn }.",
			   t->name, fn->name, rule ? rule->name : rule_name);
	}
}

/* ---- the table -------------------------------------------------------------------------------- */

static const struct pol_doc doc_pattern = {
	.why = "Seed 002 #3: an S3 rule was written with a pattern whose shape S3 events do not have. EventBridge rejects malformed patterns at deploy time (non-array leaves, bad filters) and silently never matches wrong-shaped ones (CloudTrail fields with S3 detail-types, ARNs where the bucket name belongs, notification event names as detail-type).",
	.fail_ts = "new aws.cloudwatch.EventRule(\"uploads\", { eventPattern: JSON.stringify({\n  source: [\"aws.s3\"], \"detail-type\": [\"s3:ObjectCreated:*\"],\n  detail: { bucket: { name: bucketName } },   // not an array\n}) });",
	.fixed_ts = "new aws.cloudwatch.EventRule(\"uploads\", { eventPattern: pulumi.jsonStringify({\n  source: [\"aws.s3\"], \"detail-type\": [\"Object Created\"],\n  detail: { bucket: { name: [bucket.bucket] } },\n}) });",
	.fail_py = "aws.cloudwatch.EventRule(\"uploads\", event_pattern=json.dumps({\n    \"source\": [\"aws.s3\"], \"detail-type\": [\"s3:ObjectCreated:*\"],\n    \"detail\": {\"bucket\": {\"name\": bucket_name}}}))",
	.fixed_py = "aws.cloudwatch.EventRule(\"uploads\", event_pattern=pulumi.Output.json_dumps({\n    \"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"],\n    \"detail\": {\"bucket\": {\"name\": [bucket.bucket]}}}))",
};

static const struct pol_doc doc_notification = {
	.why = "Seed 002 #3: the rule matched S3 events, but S3 only publishes to EventBridge when the bucket's notification configuration turns it on. Nothing errors; the rule just never fires.",
	.fail_ts = "const bucket = new aws.s3.Bucket(\"data\");\nnew aws.cloudwatch.EventRule(\"uploads\", { eventPattern: pulumi.jsonStringify({ source: [\"aws.s3\"], \"detail-type\": [\"Object Created\"], detail: { bucket: { name: [bucket.bucket] } } }) });",
	.fixed_ts = "new aws.s3.BucketNotification(\"data-events\", { bucket: bucket.id, eventbridge: true });",
	.fail_py = "bucket = aws.s3.Bucket(\"data\")\naws.cloudwatch.EventRule(\"uploads\", event_pattern=pulumi.Output.json_dumps({...}))",
	.fixed_py = "aws.s3.BucketNotification(\"data-events\", bucket=bucket.id, eventbridge=True)",
};

static const struct pol_doc doc_matches_bucket = {
	.why = "Seed 002 #10: the pattern was fed a bucket attribute other than its name. In pulumi-aws bucket.id equals the bucket name, so that spelling works; what breaks is passing bucket.arn or bucketDomainName into detail.bucket.name, or hard-coding the Pulumi resource name of an auto-named bucket. The stack graph shows which bucket the pattern was built from.",
	.fail_ts = "eventPattern: pulumi.jsonStringify({ source: [\"aws.s3\"], \"detail-type\": [\"Object Created\"],\n  detail: { bucket: { name: [bucket.arn] } } })",
	.fixed_ts = "eventPattern: pulumi.jsonStringify({ source: [\"aws.s3\"], \"detail-type\": [\"Object Created\"],\n  detail: { bucket: { name: [bucket.bucket] } } })",
	.fail_py = "event_pattern=pulumi.Output.json_dumps({\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"],\n    \"detail\": {\"bucket\": {\"name\": [bucket.arn]}}})",
	.fixed_py = "event_pattern=pulumi.Output.json_dumps({\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"],\n    \"detail\": {\"bucket\": {\"name\": [bucket.bucket]}}})",
};

static const struct pol_doc doc_target_role = {
	.why = "Seed 002 #8: targets were wired without the delivery permissions EventBridge needs. Kinesis, Firehose, Step Functions, ECS, Batch, SSM, CodeBuild, API destinations and cross-region buses are only reachable through a role EventBridge assumes; CloudWatch Logs targets must not have one; SQS and SNS targets without a role need a queue/topic policy for events.amazonaws.com and, when encrypted, a customer-managed key that admits it (never alias/aws/sqs or alias/aws/sns).",
	.fail_ts = "new aws.cloudwatch.EventTarget(\"to-sfn\", { rule: rule.name, arn: stateMachine.arn });",
	.fixed_ts = "new aws.cloudwatch.EventTarget(\"to-sfn\", { rule: rule.name, arn: stateMachine.arn, roleArn: eventsRole.arn });",
	.fail_py = "aws.cloudwatch.EventTarget(\"to-sfn\", rule=rule.name, arn=state_machine.arn)",
	.fixed_py = "aws.cloudwatch.EventTarget(\"to-sfn\", rule=rule.name, arn=state_machine.arn, role_arn=events_role.arn)",
};

static const struct pol_doc doc_lambda_permission = {
	.why = "Seed 002 #8 and 001 #8: a Lambda target was added without a resource-based permission for events.amazonaws.com scoped to the rule, so every invocation was denied (or a hand-built sourceArn named another rule).",
	.fail_ts = "new aws.cloudwatch.EventTarget(\"to-fn\", { rule: rule.name, arn: fn.arn });",
	.fixed_ts = "new aws.lambda.Permission(\"events-invoke\", { action: \"lambda:InvokeFunction\", function: fn.name,\n  principal: \"events.amazonaws.com\", sourceArn: rule.arn });\nnew aws.cloudwatch.EventTarget(\"to-fn\", { rule: rule.name, arn: fn.arn });",
	.fail_py = "aws.cloudwatch.EventTarget(\"to-fn\", rule=rule.name, arn=fn.arn)",
	.fixed_py = "aws.lambda_.Permission(\"events-invoke\", action=\"lambda:InvokeFunction\", function=fn.name,\n    principal=\"events.amazonaws.com\", source_arn=rule.arn)\naws.cloudwatch.EventTarget(\"to-fn\", rule=rule.name, arn=fn.arn)",
};

static const struct policy policies[] = {
	{
		.name = "eventbridge-event-pattern-valid",
		.display_name = "EventBridge event patterns are valid",
		.description = "EventBridge rules must have a valid event pattern (every leaf an array, valid content filters) or schedule, and S3 patterns must use the shape of S3's EventBridge events.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_RULE, T_ARCHIVE),
		.config_schema = "{\"allowCloudTrailS3Patterns\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Accept patterns that wait for S3 object-level API calls through CloudTrail (needs a trail logging S3 data events).\"}, "
			"\"requireBucketNameFilter\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Require S3 patterns to filter detail.bucket.name or resources.\"}, "
			"\"requireDetailType\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Require S3 patterns to filter detail-type.\"}, "
			"\"maxPatternLength\": {\"type\": \"integer\", \"default\": 4096, "
			"\"description\": \"Longest event pattern accepted, in characters (EventBridge default quota 2048, raisable to 4096).\"}, "
			"\"extraS3DetailTypes\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"default\": [], "
			"\"description\": \"S3 EventBridge detail-types to accept beyond the built-in list (for types AWS adds later).\"}}",
		.remediation_steps = "Build the pattern with JSON.stringify / json.dumps (pulumi.jsonStringify / Output.json_dumps when it contains Outputs); put every match value in an array; for S3 use \"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"] and \"detail\": {\"bucket\": {\"name\": [bucket.bucket]}}.",
		.tags = "eventbridge,s3,events",
		.url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html",
		.check = check_event_pattern,
		.doc = &doc_pattern,
	},
	{
		.name = "s3-eventbridge-notification-enabled",
		.display_name = "S3 buckets matched by EventBridge rules send events to EventBridge",
		.description = "A bucket whose S3 events an EventBridge rule matches must have exactly one BucketNotification, with eventbridge: true.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_RULE, T_NOTIF, T_BUCKET, T_BUCKETV2),
		.config_schema = "{\"ignoreExternalBuckets\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Skip rules whose bucket filter names only buckets this stack does not manage.\"}}",
		.remediation_steps = "Add aws.s3.BucketNotification { bucket: bucket.id, eventbridge: true } (one per bucket; merge Lambda/SQS/SNS notifications into it).",
		.tags = "eventbridge,s3,events",
		.url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html",
		.check_stack = check_s3_eventbridge_notification,
		.doc = &doc_notification,
	},
	{
		.name = "eventbridge-s3-pattern-matches-bucket",
		.display_name = "S3 event patterns name the bucket they were built from",
		.description = "An S3 event pattern built from a bucket of the stack must match that bucket's S3 name (detail.bucket.name) or ARN (resources).",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(T_RULE, T_BUCKET, T_BUCKETV2),
		.config_schema = NULL,
		.remediation_steps = "Put bucket.bucket (the S3 name; bucket.id is the same in pulumi-aws) into detail.bucket.name, or bucket.arn into resources; never the Pulumi resource name of an auto-named bucket.",
		.tags = "eventbridge,s3,events",
		.url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html",
		.check_stack = check_s3_pattern_matches_bucket,
		.doc = &doc_matches_bucket,
	},
	{
		.name = "eventbridge-target-role",
		.display_name = "EventBridge targets have the role their service needs",
		.description = "EventBridge targets that are invoked through an assumed role (Kinesis, Firehose, Step Functions, ECS, Batch, SSM, CodeBuild, API destinations, ...) must set roleArn to an IAM role; CloudWatch Logs targets must not; SNS/SQS targets without a role need a topic/queue policy admitting events.amazonaws.com and, when KMS-encrypted, a key EventBridge may use; FIFO queue targets need a message group id.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_TARGET, T_TOPIC, T_QUEUE, T_TOPIC_POLICY, T_QUEUE_POLICY, T_KEY, T_KEY_ALIAS, T_KEY_POLICY),
		.config_schema = "{\"servicesRequiringRole\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
			"\"default\": [\"kinesis\", \"firehose\", \"states\", \"ecs\", \"batch\", \"ssm\", \"codebuild\", \"codepipeline\", \"sagemaker\", \"redshift\", \"redshift-data\", \"appsync\"], "
			"\"description\": \"ARN services of targets that EventBridge reaches only through roleArn.\"}, "
			"\"servicesForbiddingRole\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"default\": [\"logs\"], "
			"\"description\": \"ARN services of targets that must not have roleArn (resource-policy only).\"}}",
		.remediation_steps = "Create an aws.iam.Role whose trust policy allows events.amazonaws.com, grant it the target action on the target ARN only (kinesis:PutRecord, states:StartExecution, ...), and set roleArn on the EventTarget. Remove roleArn from CloudWatch Logs targets. Give SNS/SQS targets without a role an aws.sns.TopicPolicy / aws.sqs.QueuePolicy allowing events.amazonaws.com sns:Publish / sqs:SendMessage (condition aws:SourceArn = rule.arn). Encrypt SNS/SQS targets with a customer-managed KMS key whose key policy allows events.amazonaws.com kms:Decrypt and kms:GenerateDataKey* (not alias/aws/sns or alias/aws/sqs).",
		.tags = "eventbridge,iam,events",
		.url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html",
		.check_stack = check_target_role,
		.doc = &doc_target_role,
	},
	{
		.name = "eventbridge-lambda-target-permission",
		.display_name = "Lambda targets of EventBridge rules have an invoke permission",
		.description = "Every EventBridge target that invokes a Lambda function of the stack needs an aws.lambda.Permission for events.amazonaws.com whose sourceArn is that target's rule (or a roleArn).",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_TARGET, T_PERMISSION, T_RULE, T_FUNCTION),
		.config_schema = NULL,
		.remediation_steps = "Add aws.lambda.Permission { action: \"lambda:InvokeFunction\", function: fn.name, principal: \"events.amazonaws.com\", sourceArn: rule.arn } for every rule that targets the function.",
		.tags = "eventbridge,lambda,iam",
		.url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions",
		.check_stack = check_lambda_target_permission,
		.doc = &doc_lambda_permission,
	},
};

const struct pol_family pol_family_eventbridge = { "eventbridge", policies, sizeof(policies) / sizeof(policies[0]) };
