/*
 * s3.c - policy family "s3" (see families.h): bucket names, TLS-only bucket
 * policies, public access blocks and explicit encryption.
 *
 * Shapes: the token aws:s3/bucket:Bucket carries the v6 legacy shape in
 * pulumi-aws v6 and the BucketV2 shape in v7; aws:s3/bucketV2:BucketV2 is
 * list-shaped in both (rule-catalog 5.2). Everything here detects the shape
 * by the keys present, never by a version guess.
 *
 * The stack policies link side-by-side resources (BucketPolicy,
 * BucketPublicAccessBlock, BucketServerSideEncryptionConfiguration[V2]) to a
 * bucket through propertyDependencies.bucket first (reliable in preview, when
 * IDs are unknown) and the bucket name/ID second.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "aws.h"
#include "iam.h"
#include "policy.h"
#include "stack.h"

#define S3_BUCKET "aws:s3/bucket:Bucket"
#define S3_BUCKET_V2 "aws:s3/bucketV2:BucketV2"
#define S3_POLICY "aws:s3/bucketPolicy:BucketPolicy"
#define S3_PAB "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
#define S3_ACCOUNT_PAB "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
#define S3_SSE "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
#define S3_SSE_V2 "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
#define S3_WEBSITE "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration"
#define S3_WEBSITE_V2 "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2"

static const char *const s3_bucket_types[] = { S3_BUCKET, S3_BUCKET_V2 };
#define S3_N_BUCKET_TYPES (sizeof(s3_bucket_types) / sizeof(s3_bucket_types[0]))

/* ---- shared helpers -------------------------------------------------------- */

static int s3_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int s3_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int s3_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/* True when `s` has the shape of an IPv4 address (four dot-separated digit groups). */
static int s3_ipv4_shaped(const char *s)
{
	int groups = 0, digits = 0;

	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++digits > 3)
				return 0;
		} else if (*s == '.' || *s == '\0') {
			if (digits == 0)
				return 0;
			groups++;
			digits = 0;
			if (*s == '\0')
				break;
		} else {
			return 0;
		}
	}
	return groups == 4;
}

/* The first character outside [a-z0-9.-], described for a message; NULL when all are allowed. */
static const char *s3_bad_char(struct arena *a, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (s3_alnum((char)ch) || ch == '.' || ch == '-')
			continue;
		if (isupper(ch))
			return "uppercase letters (S3 names are lowercase only)";
		if (ch == '_')
			return "an underscore '_' (use '-' instead)";
		if (ch == ' ')
			return "a space";
		if (ch < 0x20 || ch >= 0x7f)
			return "a non-ASCII or control character";
		return arena_printf(a, "the character '%c'", ch);
	}
	return NULL;
}

static const char *const s3_reserved_prefixes[] = { "xn--", "sthree-", "amzn-s3-demo-" };
static const char *const s3_reserved_suffixes[] = { "-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3" };

/*
 * Why `name` is not a valid general purpose bucket name (rule-catalog 4.8),
 * as a clause for a message, or NULL when it is valid.
 */
static const char *s3_name_problem(struct arena *a, const char *name, int forbid_dots)
{
	size_t n = strlen(name);
	const char *bad;

	if (n < 3 || n > 63)
		return arena_printf(a, "is %zu characters long; bucket names must be 3-63 characters", n);
	bad = s3_bad_char(a, name);
	if (bad)
		return arena_printf(a, "contains %s; only lowercase letters, digits, '.' and '-' are allowed",
				    bad);
	if (!s3_alnum(name[0]) || !s3_alnum(name[n - 1]))
		return "must begin and end with a lowercase letter or digit";
	if (strstr(name, ".."))
		return "contains two adjacent periods";
	if (s3_ipv4_shaped(name))
		return "is formatted as an IP address";
	for (size_t i = 0; i < sizeof(s3_reserved_prefixes) / sizeof(s3_reserved_prefixes[0]); i++)
		if (s3_starts(name, s3_reserved_prefixes[i]))
			return arena_printf(a, "starts with the reserved prefix \"%s\"", s3_reserved_prefixes[i]);
	for (size_t i = 0; i < sizeof(s3_reserved_suffixes) / sizeof(s3_reserved_suffixes[0]); i++)
		if (s3_ends(name, s3_reserved_suffixes[i]))
			return arena_printf(a, "ends with the reserved suffix \"%s\"", s3_reserved_suffixes[i]);
	if (forbid_dots && strchr(name, '.'))
		return "contains '.'; dotted names break virtual-hosted-style HTTPS (certificate mismatch) "
		       "and Transfer Acceleration (set forbidDots: false to allow them)";
	return NULL;
}

/* Why `prefix` cannot start a valid bucket name, or NULL. */
static const char *s3_prefix_problem(struct arena *a, const char *prefix, int forbid_dots)
{
	size_t n = strlen(prefix);
	const char *bad;

	if (n > 37)
		return arena_printf(a, "is %zu characters long; a bucket prefix may have at most 37 "
				    "(AWS appends a 26-character unique suffix)", n);
	bad = s3_bad_char(a, prefix);
	if (bad)
		return arena_printf(a, "contains %s; only lowercase letters, digits, '.' and '-' are allowed",
				    bad);
	if (n > 0 && !s3_alnum(prefix[0]))
		return "must begin with a lowercase letter or digit";
	if (strstr(prefix, ".."))
		return "contains two adjacent periods";
	for (size_t i = 0; i < sizeof(s3_reserved_prefixes) / sizeof(s3_reserved_prefixes[0]); i++)
		if (s3_starts(prefix, s3_reserved_prefixes[i]))
			return arena_printf(a, "starts with the reserved prefix \"%s\"", s3_reserved_prefixes[i]);
	if (forbid_dots && strchr(prefix, '.'))
		return "contains '.'; dotted names break virtual-hosted-style HTTPS (set forbidDots: false "
		       "to allow them)";
	return NULL;
}

/*
 * Account-regional namespace names end in "-<12-digit account>-<region>-an".
 * Returns NULL when `name` has that form (and the region matches `region`
 * when known), else a clause for the message.
 */
static const char *s3_namespace_problem(struct arena *a, const char *name, const char *region)
{
	size_t n = strlen(name);

	if (!s3_ends(name, "-an"))
		return "does not end with the \"-<account-id>-<region>-an\" suffix the account-regional "
		       "namespace requires";
	for (size_t i = 0; i + 14 < n; i++) {
		size_t k;
		if (name[i] != '-')
			continue;
		for (k = 1; k <= 12 && isdigit((unsigned char)name[i + k]); k++)
			;
		if (k != 13 || name[i + 13] != '-')
			continue;
		/* The rest up to "-an" must be a region. */
		const char *rs = name + i + 14;
		size_t rlen = (size_t)(name + n - 3 - rs);
		char *reg = arena_strndup(a, rs, rlen);
		if (!reg)
			return NULL;
		enum aws_region_status st = aws_region_check(reg);
		if (st != AWS_REGION_KNOWN && st != AWS_REGION_WELL_FORMED)
			continue;
		if (region && strcmp(region, reg) != 0)
			return arena_printf(a, "carries region \"%s\" in its account-regional suffix but the "
					    "bucket is created in %s", reg, region);
		return NULL;
	}
	return "does not end with the \"-<account-id>-<region>-an\" suffix the account-regional "
	       "namespace requires";
}

/* ---- s3-bucket-name-valid -------------------------------------------------- */

static void check_bucket_name(struct pol_ctx *c, const struct pol_resource *r)
{
	struct arena *a = pol_arena(c);
	int forbid_dots = pol_cfg_bool(c, "forbidDots");
	const pv_value *v = pv_get(r->props, "bucket");
	const char *name = NULL, *why;

	switch (pv_kind(v)) {
	case PV_UNKNOWN:
		pol_unknown(c, "bucket");
		break;
	case PV_STRING:
		name = pv_str(v);
		why = s3_name_problem(a, name, forbid_dots);
		if (why && pv_is_secret(v))
			pol_report(c, NULL, "bucket", "The bucket name %s: fix `bucket` (or drop it and "
				   "let Pulumi auto-name the bucket).", why);
		else if (why)
			pol_report(c, NULL, "bucket", "bucket \"%s\" %s: fix `bucket` (or drop it and let "
				   "Pulumi auto-name the bucket).", name, why);
		break;
	default:
		break;
	}

	v = pv_get(r->props, "bucketPrefix");
	switch (pv_kind(v)) {
	case PV_UNKNOWN:
		pol_unknown(c, "bucketPrefix");
		break;
	case PV_STRING:
		why = s3_prefix_problem(a, pv_str(v), forbid_dots);
		if (why && pv_is_secret(v))
			pol_report(c, NULL, "bucketPrefix", "The bucket prefix %s: shorten or fix "
				   "`bucketPrefix`.", why);
		else if (why)
			pol_report(c, NULL, "bucketPrefix", "bucketPrefix \"%s\" %s: shorten or fix "
				   "`bucketPrefix`.", pv_str(v), why);
		break;
	default:
		break;
	}

	v = pv_get(r->props, "bucketNamespace");
	if (pv_kind(v) == PV_UNKNOWN) {
		pol_unknown(c, "bucketNamespace");
	} else if (pv_kind(v) == PV_STRING && strcmp(pv_str(v), "account-regional") == 0 && name &&
		   !pv_is_secret(pv_get(r->props, "bucket"))) {
		const char *region = NULL;
		if (pol_region(c, r, &region) != PV_OK)
			region = NULL;
		why = s3_namespace_problem(a, name, region);
		if (why)
			pol_report(c, NULL, "bucket", "bucket \"%s\" %s: name it "
				   "\"<name>-<account-id>-<region>-an\" or drop bucketNamespace.", name, why);
	}
}

/* ---- s3-bucket-name-no-duplicated-prefix ----------------------------------- */

#define S3_MAX_TOKENS 64

struct s3_tok {
	const char *s;
	size_t n;
};

/* Split on '-', '.', '_' (runs of separators count as one). Returns the count. */
static size_t s3_tokens(const char *s, struct s3_tok *out, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == '-' || *s == '.' || *s == '_')
			s++;
		if (!*s)
			break;
		out[n].s = s;
		while (*s && *s != '-' && *s != '.' && *s != '_')
			s++;
		out[n].n = (size_t)(s - out[n].s);
		n++;
	}
	return n;
}

static int s3_tok_eq(const struct s3_tok *x, const struct s3_tok *y)
{
	return x->n == y->n && strncasecmp(x->s, y->s, x->n) == 0;
}

static int s3_run_eq(const struct s3_tok *x, const struct s3_tok *y, size_t k)
{
	for (size_t j = 0; j < k; j++)
		if (!s3_tok_eq(&x[j], &y[j]))
			return 0;
	return 1;
}

/* Join tokens [i, i+k) with '-' into the arena, for the message. */
static const char *s3_join(struct arena *a, const struct s3_tok *t, size_t k)
{
	size_t len = 0, o = 0;
	char *s;

	for (size_t j = 0; j < k; j++)
		len += t[j].n + 1;
	s = arena_alloc(a, len + 1);
	if (!s)
		return "";
	for (size_t j = 0; j < k; j++) {
		if (j)
			s[o++] = '-';
		memcpy(s + o, t[j].s, t[j].n);
		o += t[j].n;
	}
	s[o] = '\0';
	return s;
}

/* True when the token run `run` (k tokens) occurs back to back in t. */
static int s3_adjacent_run(const struct s3_tok *t, size_t n, const struct s3_tok *run, size_t k)
{
	for (size_t i = 0; k > 0 && i + 2 * k <= n; i++)
		if (s3_run_eq(&t[i], run, k) && s3_run_eq(&t[i + k], run, k))
			return 1;
	return 0;
}

/* Number of (non-overlapping) occurrences of the token run `run` in t. */
static size_t s3_count_run(const struct s3_tok *t, size_t n, const struct s3_tok *run, size_t k)
{
	size_t cnt = 0;

	for (size_t i = 0; k > 0 && i + k <= n;) {
		if (s3_run_eq(&t[i], run, k)) {
			cnt++;
			i += k;
		} else {
			i++;
		}
	}
	return cnt;
}

/*
 * Why `name` looks like a prefix was applied twice, or NULL. Checked: any
 * run of >= min_k tokens repeated back to back ("my-project-dev-my-project-
 * dev-data"); the stack or project name repeated back to back even when it
 * is a single token ("app-dev-dev-logs"); a project name of two tokens or
 * more appearing twice anywhere.
 */
static const char *s3_dup_problem(struct pol_ctx *c, const char *name, size_t min_k)
{
	struct arena *a = pol_arena(c);
	struct s3_tok t[S3_MAX_TOKENS], pt[S3_MAX_TOKENS];
	size_t n = s3_tokens(name, t, S3_MAX_TOKENS), pn;
	const struct pol_stack_info *si = pol_stack(c);
	const char *ctx_names[2];

	if (min_k < 1)
		min_k = 1;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = (n - i) / 2; k >= min_k; k--) {
			if (s3_run_eq(&t[i], &t[i + k], k))
				return arena_printf(a, "repeats \"%s\" twice in a row",
						    s3_join(a, &t[i], k));
		}
	}
	ctx_names[0] = si ? si->project : NULL;
	ctx_names[1] = si ? si->stack : NULL;
	for (size_t j = 0; j < 2; j++) {
		if (!ctx_names[j] || !*ctx_names[j])
			continue;
		pn = s3_tokens(ctx_names[j], pt, S3_MAX_TOKENS);
		if (pn == 0 || pn >= S3_MAX_TOKENS)
			continue;
		if (s3_adjacent_run(t, n, pt, pn))
			return arena_printf(a, "repeats the %s name \"%s\" twice in a row",
					    j == 0 ? "project" : "stack", ctx_names[j]);
		/* Single-word project names ("data", "media") legitimately recur. */
		if (j == 0 && pn >= 2 && s3_count_run(t, n, pt, pn) >= 2)
			return arena_printf(a, "contains the project name \"%s\" twice", ctx_names[j]);
	}
	return NULL;
}

static void check_bucket_dup_prefix(struct pol_ctx *c, const struct pol_resource *r)
{
	static const char *const props[] = { "bucket", "bucketPrefix" };
	size_t min_k = (size_t)pol_cfg_num(c, "minRepeatTokens", 2);

	for (size_t i = 0; i < 2; i++) {
		const pv_value *v = pv_get(r->props, props[i]);
		const char *why;

		if (pv_kind(v) == PV_UNKNOWN) {
			pol_unknown(c, props[i]);
			continue;
		}
		if (pv_kind(v) != PV_STRING)
			continue;
		why = s3_dup_problem(c, pv_str(v), min_k);
		if (!why)
			continue;
		if (pv_is_secret(v))
			pol_report(c, NULL, props[i], "%s %s: the prefix was applied twice; build the name "
				   "once from a single naming helper.", props[i], why);
		else
			pol_report(c, NULL, props[i], "%s \"%s\" %s: the prefix was applied twice (e.g. "
				   "f\"{prefix}-{name}\" where name already carries the prefix); build the name "
				   "once from a single naming helper.", props[i], pv_str(v), why);
	}
}

/* ---- linking side-by-side resources to buckets (stack policies) ----------- */

struct s3_bucket_id {
	const char *name;       /* `bucket` output, NULL when unknown/absent */
	const char *id;         /* `id` output, NULL when unknown/absent */
	int name_unknown;
};

static void s3_bucket_ids(const struct pol_resource *b, struct s3_bucket_id *out)
{
	const pv_value *v = pv_get(b->props, "bucket");

	memset(out, 0, sizeof(*out));
	if (pv_kind(v) == PV_STRING)
		out->name = pv_str(v);
	else
		out->name_unknown = 1;
	v = pv_get(b->props, "id");
	if (pv_kind(v) == PV_STRING && *pv_str(v)) {
		out->id = pv_str(v);
		if (!out->name) {
			out->name = out->id;
			out->name_unknown = 0;
		}
	}
}

/*
 * The resources of `type` (BucketPolicy, public access block, encryption
 * configuration...) that manage bucket `b` through their `bucket` property:
 * a dependency on the bucket or its name/id as value, in request order. A hash lookup,
 * so per-bucket checks stay linear in the stack size. *unknown is set when
 * one of them may manage it (its bucket unknown, no dependency recorded).
 */
static size_t s3_managing(const struct stk_index *s, const char *type, const struct pol_resource *b,
			  const struct s3_bucket_id *bid, const struct pol_resource *const **out, int *unknown)
{
	const char *ids[] = { bid->name, bid->id };

	return stk_refs(s, type, "bucket", b, ids, 2, out, unknown);
}

/* ---- s3-bucket-https-only --------------------------------------------------- */

/* True when the condition value means "false" (false, "false", or a list of those). */
static int s3_is_false(const pv_value *v)
{
	int b;

	if (pv_kind(v) == PV_LIST) {
		const pv_value *e;
		if (pv_len(v) == 0)
			return 0;
		PV_LIST_FOREACH(i, e, v) {
			if (!s3_is_false(e))
				return 0;
		}
		return 1;
	}
	return pv_get_bool(v, &b) == PV_OK && b == 0;
}

/* True when NumericLessThan s3:TlsVersion <value> denies TLS below 1.2 (value >= 1.2). */
static int s3_tls_floor_ok(const pv_value *v)
{
	double d;

	if (pv_kind(v) == PV_LIST) {
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v) {
			if (s3_tls_floor_ok(e))
				return 1;
		}
		return 0;
	}
	return pv_get_num(v, &d) == PV_OK && d >= 1.2 - 1e-9;
}

static int s3_action_all(const struct iam_statement *st)
{
	for (size_t i = 0; i < st->action.n; i++)
		if (strcmp(st->action.v[i], "*") == 0 || strcasecmp(st->action.v[i], "s3:*") == 0)
			return 1;
	return 0;
}

/* True when resource pattern `res` covers "arn:<p>:s3:::<target>". */
static int s3_res_match(const char *res, const char *target)
{
	struct aws_arn arn;

	if (strcmp(res, "*") == 0)
		return 1;
	if (aws_arn_parse(res, &arn) != 0 || !aws_field_eq(arn.service, arn.service_len, "s3"))
		return 0;
	return pol_glob(arn.resource, target);
}

/*
 * Does the resource list cover the bucket (objects = 0) or its objects
 * (objects = 1)? With the bucket name unknown, a pattern ending in '*' or
 * a pair X and X + "/" + "*" in the same statement counts.
 */
static int s3_res_covers(struct arena *a, const struct iam_strs *res, const char *bucket, int objects)
{
	if (bucket) {
		const char *target = objects ? arena_printf(a, "%s/*", bucket) : bucket;
		if (!target)
			return 0;
		for (size_t i = 0; i < res->n; i++)
			if (s3_res_match(res->v[i], target))
				return 1;
		return 0;
	}
	for (size_t i = 0; i < res->n; i++) {
		struct aws_arn arn;
		if (strcmp(res->v[i], "*") == 0)
			return 1;
		if (aws_arn_parse(res->v[i], &arn) != 0 || strchr(arn.resource, '/'))
			continue;
		if (s3_ends(arn.resource, "*"))
			return 1;
		for (size_t j = 0; j < res->n; j++) {
			struct aws_arn o;
			if (aws_arn_parse(res->v[j], &o) == 0 &&
			    o.resource_len == arn.resource_len + 2 &&
			    strncmp(o.resource, arn.resource, arn.resource_len) == 0 &&
			    strcmp(o.resource + arn.resource_len, "/*") == 0)
				return 1;
		}
	}
	return 0;
}

/* The TLS-only condition: Bool/BoolIfExists aws:SecureTransport false (or, with the knob, a TLS floor). */
static int s3_tls_condition(struct pol_ctx *c, const struct iam_statement *st)
{
	static const char *const bool_ops[] = { "Bool", "BoolIfExists" };

	for (size_t i = 0; i < 2; i++)
		if (s3_is_false(iam_condition(st, bool_ops[i], "aws:SecureTransport")))
			return 1;
	if (pol_cfg_bool(c, "acceptTlsVersionCondition") &&
	    s3_tls_floor_ok(iam_condition(st, "NumericLessThan", "s3:TlsVersion")))
		return 1;
	return 0;
}

enum { S3_TLS_NO = 0, S3_TLS_YES = 1, S3_TLS_UNKNOWN = -1 };

/*
 * Judge one statement: S3_TLS_YES when it denies every non-TLS S3 request
 * to the bucket and its objects; S3_TLS_UNKNOWN when that depends on parts
 * unknown in preview. When `why` is given and the statement is a near miss
 * (it conditions on aws:SecureTransport), *why says what is wrong with it.
 */
static int s3_tls_statement(struct pol_ctx *c, const struct iam_statement *st, const char *bucket,
			    const char **why)
{
	struct arena *a = pol_arena(c);
	int unknown = 0;
	const char *p = st->path ? st->path : "Statement";

	if (st->effect_unknown)
		unknown = 1;
	else if (st->effect_allow || !st->effect) {
		if (why)
			*why = arena_printf(a, "%s has Effect \"%s\"; allowing only secure transport does not "
					    "stop another Allow from serving plain HTTP: use Effect \"Deny\" with "
					    "aws:SecureTransport \"false\"", p, st->effect ? st->effect : "");
		return S3_TLS_NO;
	}
	if (st->has_not_principal || (!iam_principal_is_wildcard(st) && !st->principal_unknown)) {
		if (why)
			*why = arena_printf(a, "%s denies only some principals: use Principal \"*\"", p);
		return S3_TLS_NO;
	}
	if (st->principal_unknown && !iam_principal_is_wildcard(st))
		unknown = 1;
	if (!s3_action_all(st)) {
		if (!st->action.unknown) {
			if (why)
				*why = arena_printf(a, "%s denies only some actions: use Action \"s3:*\"", p);
			return S3_TLS_NO;
		}
		unknown = 1;
	}
	for (int objects = 0; objects <= 1; objects++) {
		if (s3_res_covers(a, &st->resource, bucket, objects))
			continue;
		if (st->resource.unknown) {
			unknown = 1;
			continue;
		}
		if (why) {
			if (bucket)
				*why = arena_printf(a, "%s does not cover %s (arn:aws:s3:::%s%s): list both the "
						    "bucket ARN and \"<bucket ARN>/*\" in Resource", p,
						    objects ? "the objects" : "the bucket itself", bucket,
						    objects ? "/*" : "");
			else
				*why = arena_printf(a, "%s does not cover %s: list both the bucket ARN and "
						    "\"<bucket ARN>/*\" in Resource", p,
						    objects ? "the objects (\"<bucket ARN>/*\")" : "the bucket ARN");
		}
		return S3_TLS_NO;
	}
	if (!s3_tls_condition(c, st)) {
		if (st->condition_unknown) {
			unknown = 1;
		} else {
			if (why)
				*why = arena_printf(a, "%s does not use Condition {\"Bool\": "
						    "{\"aws:SecureTransport\": \"false\"}}", p);
			return S3_TLS_NO;
		}
	}
	return unknown ? S3_TLS_UNKNOWN : S3_TLS_YES;
}

/*
 * True when a whole statement is unknown (an element of the Statement list),
 * which might be the TLS deny. Unknowns inside known statements are judged
 * per statement instead.
 */
static int s3_statement_list_unknown(const pv_value *root)
{
	const pv_value *stv, *e;
	const char *k;

	PV_OBJ_FOREACH(i, k, stv, root) {
		if (strcasecmp(k, "Statement") != 0)
			continue;
		if (pv_kind(stv) == PV_UNKNOWN)
			return 1;
		PV_LIST_FOREACH(j, e, stv) {
			if (pv_kind(e) == PV_UNKNOWN)
				return 1;
		}
	}
	return 0;
}

/* Judge a whole document; *why is set to the most useful near-miss explanation. */
static int s3_tls_doc(struct pol_ctx *c, const pv_value *policy, const char *bucket, const char **why)
{
	struct iam_doc doc;
	int result = S3_TLS_NO;

	iam_doc_parse(pol_arena(c), policy, &doc);
	if (doc.status == IAM_UNKNOWN)
		return S3_TLS_UNKNOWN;
	if (doc.status == IAM_ABSENT)
		return S3_TLS_NO;
	for (size_t i = 0; i < doc.n; i++) {
		const struct iam_statement *st = &doc.st[i];
		const char **w = (why && !*why && iam_condition_has_key(st, "aws:SecureTransport")) ? why : NULL;
		int r = s3_tls_statement(c, st, bucket, w);
		if (r == S3_TLS_YES)
			return S3_TLS_YES;
		if (r == S3_TLS_UNKNOWN)
			result = S3_TLS_UNKNOWN;
	}
	if (result == S3_TLS_NO && s3_statement_list_unknown(doc.root))
		result = S3_TLS_UNKNOWN;
	if (doc.status == IAM_INVALID && why && !*why && doc.error)
		*why = doc.secret ? "the policy document is invalid" : doc.error;
	return result;
}

/* True when `obj` is an object with at least one member that is set (outputs echo nulls). */
static int s3_has_member(const pv_value *obj)
{
	const pv_value *m;
	const char *k;

	PV_OBJ_FOREACH(i, k, m, obj) {
		enum pv_kind kind = pv_kind(m);
		if (kind != PV_NULL && kind != PV_MISSING && !(kind == PV_STRING && !*pv_str(m)))
			return 1;
	}
	return 0;
}

/*
 * True when the bucket serves a static website endpoint (inline `website` /
 * `websites`, or a website configuration resource). Website endpoints speak
 * plain HTTP only, so a TLS-only policy would take such a site down.
 */
static int s3_is_website(const struct stk_index *s, const struct pol_resource *b,
			 const struct s3_bucket_id *bid)
{
	static const char *const types[] = { S3_WEBSITE, S3_WEBSITE_V2 };
	const pv_value *w = pv_get(b->props, "website");
	const struct pol_resource *const *x;

	if (s3_has_member(w) || s3_has_member(pv_at(pv_get(b->props, "websites"), 0)))
		return 1;
	for (size_t t = 0; t < 2; t++) {
		if (s3_managing(s, types[t], b, bid, &x, NULL) > 0)
			return 1;
	}
	return 0;
}

static void s3_https_bucket(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *b)
{
	struct s3_bucket_id bid;
	const struct pol_resource *p, *const *pols;
	const pv_value *inline_policy = pv_get(b->props, "policy");
	const char *bucket, *why = NULL, *first_policy = NULL;
	size_t n_policies = 0;
	int unknown = 0, pass = 0, r;

	s3_bucket_ids(b, &bid);
	if (pol_cfg_bool(c, "exemptWebsiteBuckets") && s3_is_website(s, b, &bid))
		return;
	/* A secret bucket name must not end up in messages: judge structurally then. */
	bucket = pv_is_secret(pv_get(b->props, "bucket")) ? NULL : bid.name;

	/* A policy whose bucket is unknown may be this bucket's: unknown. */
	size_t n_managing = s3_managing(s, S3_POLICY, b, &bid, &pols, &unknown);
	for (size_t i = 0; i < n_managing; i++) {
		p = pols[i];
		n_policies++;
		if (!first_policy)
			first_policy = p->name;
		r = s3_tls_doc(c, pv_get(p->props, "policy"), bucket, &why);
		if (r == S3_TLS_YES)
			pass = 1;
		else if (r == S3_TLS_UNKNOWN)
			unknown = 1;
	}
	if (n_policies > 1) {
		pol_report(c, b->urn, "policy", "%zu aws.s3.BucketPolicy resources manage bucket %s; S3 "
			   "keeps only one policy per bucket (the last write wins): merge their statements "
			   "into a single BucketPolicy.", n_policies, b->name);
		return;
	}
	if (!pass && pv_kind(inline_policy) != PV_MISSING && pv_kind(inline_policy) != PV_NULL) {
		r = s3_tls_doc(c, inline_policy, bucket, &why);
		if (r == S3_TLS_YES)
			pass = 1;
		else if (r == S3_TLS_UNKNOWN)
			unknown = 1;
		if (!first_policy)
			first_policy = "";
	}
	if (pass)
		return;
	if (unknown) {
		pol_unknown(c, "policy");
		return;
	}
	if (!first_policy) {
		pol_report(c, b->urn, "policy", "Bucket %s has no bucket policy, so plain-HTTP requests "
			   "are allowed (an enforceSSL-style flag alone adds no policy): add an "
			   "aws.s3.BucketPolicy with a Deny statement for Principal \"*\", Action \"s3:*\", "
			   "Resource [bucket ARN, bucket ARN + \"/*\"] and Condition {\"Bool\": "
			   "{\"aws:SecureTransport\": \"false\"}}.", b->name);
		return;
	}
	if (why)
		pol_report(c, b->urn, "policy", "The %s%s of bucket %s does not deny plain-HTTP requests: "
			   "%s.", *first_policy ? "BucketPolicy " : "inline bucket policy", first_policy,
			   b->name, why);
	else
		pol_report(c, b->urn, "policy", "The %s%s of bucket %s does not deny plain-HTTP requests: "
			   "add a Deny statement for Principal \"*\", Action \"s3:*\", Resource [bucket ARN, "
			   "bucket ARN + \"/*\"] and Condition {\"Bool\": {\"aws:SecureTransport\": "
			   "\"false\"}}.", *first_policy ? "BucketPolicy " : "inline bucket policy",
			   first_policy, b->name);
}

static void check_https_only(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *b;

	for (size_t t = 0; t < S3_N_BUCKET_TYPES; t++) {
		STK_FOREACH_TYPE(s, s3_bucket_types[t], b)
			s3_https_bucket(c, s, b);
	}
}

/* ---- s3-bucket-public-access-block ----------------------------------------- */

static const char *const s3_pab_flags[] = {
	"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets",
};

/*
 * Judge one public access block: 1 all four flags true, 0 not (the false or
 * missing flags are listed in *missing), -1 some flag unknown.
 */
static int s3_pab_complete(struct arena *a, const struct pol_resource *x, const char **missing)
{
	const char *list = NULL;
	int unknown = 0;

	for (size_t i = 0; i < 4; i++) {
		int b = 0;
		int rc = pv_get_bool(pv_get(x->props, s3_pab_flags[i]), &b);
		if (rc == PV_EUNKNOWN) {
			unknown = 1;
			continue;
		}
		if (rc == PV_OK && b)
			continue;
		list = list ? arena_printf(a, "%s, %s", list, s3_pab_flags[i]) : s3_pab_flags[i];
	}
	if (list) {
		*missing = list;
		return 0;
	}
	return unknown ? -1 : 1;
}

static void check_public_access_block(struct pol_ctx *c, const struct stk_index *s)
{
	struct arena *a = pol_arena(c);
	const struct pol_resource *b, *x;
	const char *missing = NULL;

	/* An account-wide block with all four flags covers every bucket. */
	STK_FOREACH_TYPE(s, S3_ACCOUNT_PAB, x) {
		if (s3_pab_complete(a, x, &missing) == 1)
			return;
	}
	for (size_t t = 0; t < S3_N_BUCKET_TYPES; t++) {
		STK_FOREACH_TYPE(s, s3_bucket_types[t], b) {
			struct s3_bucket_id bid;
			const struct pol_resource *const *pabs;
			const char *gap = NULL;
			int found = 0, unknown = 0, ok = 0;

			s3_bucket_ids(b, &bid);
			size_t n_pabs = s3_managing(s, S3_PAB, b, &bid, &pabs, &unknown);
			for (size_t i = 0; i < n_pabs; i++) {
				int r;
				x = pabs[i];
				found = 1;
				r = s3_pab_complete(a, x, &missing);
				if (r == 1)
					ok = 1;
				else if (r < 0)
					unknown = 1;
				else if (!gap)
					gap = missing;
			}
			if (ok)
				continue;
			if (unknown && !gap) {
				pol_unknown(c, "bucket");
				continue;
			}
			if (!found)
				pol_report(c, b->urn, NULL, "Bucket %s has no aws.s3.BucketPublicAccessBlock: add "
					   "one with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and "
					   "restrictPublicBuckets set to true.", b->name);
			else
				pol_report(c, b->urn, NULL, "The public access block of bucket %s leaves %s unset "
					   "or false: set all four flags to true.", b->name, gap);
		}
	}
}

/* ---- s3-bucket-encryption-kms ----------------------------------------------- */

struct s3_sse {
	int configs;            /* explicit encryption defaults seen */
	int kms;                /* aws:kms or aws:kms:dsse */
	int aes;                /* AES256 */
	int key_without_kms;    /* kmsMasterKeyId with a non-KMS algorithm */
	int unknown;
};

/* One applyServerSideEncryptionByDefault block. */
static void s3_sse_default(const pv_value *d, struct s3_sse *out)
{
	const pv_value *alg = pv_get(d, "sseAlgorithm");
	const pv_value *key = pv_get(d, "kmsMasterKeyId");

	if (pv_kind(d) == PV_UNKNOWN || pv_kind(alg) == PV_UNKNOWN) {
		out->unknown = 1;
		return;
	}
	if (pv_kind(alg) != PV_STRING)
		return;
	out->configs++;
	if (strncasecmp(pv_str(alg), "aws:kms", 7) == 0) {
		out->kms++;
	} else {
		out->aes++;
		if (pv_kind(key) == PV_STRING && *pv_str(key))
			out->key_without_kms++;
	}
}

/* Values that may be an object or a list of objects (v7 singular vs v6/BucketV2 plural shapes). */
#define S3_EACH(elem, v, body) do { \
		const pv_value *s3_each_v = (v); \
		if (pv_kind(s3_each_v) == PV_UNKNOWN) { out->unknown = 1; break; } \
		if (pv_kind(s3_each_v) == PV_OBJECT) { const pv_value *elem = s3_each_v; body } \
		else { const pv_value *elem; PV_LIST_FOREACH(s3_i, elem, s3_each_v) { \
			if (pv_kind(elem) == PV_UNKNOWN) { out->unknown = 1; continue; } body } } \
	} while (0)

static const pv_value *s3_either(const pv_value *obj, const char *k1, const char *k2)
{
	const pv_value *v = pv_get(obj, k1);

	return v ? v : pv_get(obj, k2);
}

/* A rule ({applyServerSideEncryptionByDefault(s): ...}). */
static void s3_sse_rule(const pv_value *rule, struct s3_sse *out)
{
	S3_EACH(d, s3_either(rule, "applyServerSideEncryptionByDefault",
			     "applyServerSideEncryptionByDefaults"), s3_sse_default(d, out););
}

/* A configuration ({rule(s): ...}): standalone resources and inline bucket blocks. */
static void s3_sse_config(const pv_value *cfg, struct s3_sse *out)
{
	S3_EACH(rule, s3_either(cfg, "rules", "rule"), s3_sse_rule(rule, out););
}

static void check_encryption_kms(struct pol_ctx *c, const struct stk_index *s)
{
	static const char *const sse_types[] = { S3_SSE, S3_SSE_V2 };
	int require_kms = pol_cfg_bool(c, "requireKms");
	const struct pol_resource *b;

	for (size_t t = 0; t < S3_N_BUCKET_TYPES; t++) {
		STK_FOREACH_TYPE(s, s3_bucket_types[t], b) {
			struct s3_bucket_id bid;
			struct s3_sse sse, *out = &sse;
			int standalone = 0, link_unknown = 0;

			memset(&sse, 0, sizeof(sse));
			s3_bucket_ids(b, &bid);
			for (size_t k = 0; k < 2; k++) {
				const struct pol_resource *const *x;
				size_t n_x = s3_managing(s, sse_types[k], b, &bid, &x, &link_unknown);
				for (size_t i = 0; i < n_x; i++) {
					standalone = 1;
					s3_sse_config(x[i]->props, &sse);
				}
			}
			/*
			 * Inline blocks only count when no standalone resource manages the
			 * bucket: after a deployment the bucket's outputs echo the AWS
			 * default (AES256) whatever the standalone resource says.
			 */
			if (!standalone) {
				S3_EACH(cfg, s3_either(b->props, "serverSideEncryptionConfiguration",
						       "serverSideEncryptionConfigurations"),
					s3_sse_config(cfg, out););
			}
			if (sse.key_without_kms) {
				pol_report(c, b->urn, "serverSideEncryptionConfiguration", "Bucket %s sets "
					   "kmsMasterKeyId with a non-KMS sseAlgorithm, so the key is ignored: use "
					   "sseAlgorithm \"aws:kms\".", b->name);
				continue;
			}
			if (sse.kms)
				continue;
			if (sse.unknown || (link_unknown && !sse.configs)) {
				pol_unknown(c, "serverSideEncryptionConfiguration");
				continue;
			}
			if (require_kms && sse.aes)
				pol_report(c, b->urn, "serverSideEncryptionConfiguration", "Bucket %s is encrypted "
					   "with SSE-S3 (AES256) but requireKms is set: use sseAlgorithm \"aws:kms\" "
					   "with a customer managed kmsMasterKeyId.", b->name);
			else if (!sse.configs)
				pol_report(c, b->urn, "serverSideEncryptionConfiguration", "Bucket %s has no "
					   "explicit server-side encryption and relies on the implicit SSE-S3 default: "
					   "add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "
					   "\"aws:kms\" and a kmsMasterKeyId%s.", b->name,
					   require_kms ? "" : " (or \"AES256\" to state SSE-S3 explicitly)");
		}
	}
}

/* ---- the table --------------------------------------------------------------- */

static const struct pol_doc doc_name_valid = {
	.why = "A bucket name that breaks the S3 naming rules fails only at deploy time, after "
	       "other resources were already created.",
	.fail_ts = "new aws.s3.Bucket(\"data\", { bucket: \"My_Data_Bucket\" });",
	.fixed_ts = "new aws.s3.Bucket(\"data\", { bucket: \"tap-data-dev-useast1\" });",
	.fail_py = "aws.s3.Bucket(\"data\", bucket=\"My_Data_Bucket\")",
	.fixed_py = "aws.s3.Bucket(\"data\", bucket=\"tap-data-dev-useast1\")",
};

static const struct pol_doc doc_dup_prefix = {
	.why = "Seed 002 #2: the name already carried the project/environment prefix and the "
	       "helper prepended it again, giving \"my-project-dev-my-project-dev-data\". Nobody "
	       "intends a back-to-back repeated token run, so this is mandatory.",
	.fail_ts = "const name = `${prefix}-${prefix}-data`; // my-project-dev-my-project-dev-data\n"
		   "new aws.s3.Bucket(\"data\", { bucket: name });",
	.fixed_ts = "new aws.s3.Bucket(\"data\", { bucket: `${prefix}-data` });",
	.fail_py = "bucket = f\"{config['bucket_prefix']}-{name}\"  # name already has the prefix\n"
		   "aws.s3.Bucket(name, bucket=bucket)",
	.fixed_py = "aws.s3.Bucket(\"bucket-data\", bucket=config.get_normalized_resource_name(\"data\"))",
};

static const struct pol_doc doc_https_only = {
	.why = "Seed 004 #6: buckets relied on an enforceSSL-style flag; nothing denied plain-HTTP "
	       "requests. Only an explicit Deny on aws:SecureTransport=false for the bucket and its "
	       "objects makes S3 HTTPS-only.",
	.fail_ts = "const bucket = new aws.s3.Bucket(\"assets\", {}); // enforceSSL: true in a wrapper",
	.fixed_ts = "new aws.s3.BucketPolicy(\"assets-tls\", { bucket: bucket.id,\n"
		    "  policy: pulumi.jsonStringify({ Version: \"2012-10-17\", Statement: [{\n"
		    "    Sid: \"DenyInsecureTransport\", Effect: \"Deny\", Principal: \"*\", Action: \"s3:*\",\n"
		    "    Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],\n"
		    "    Condition: { Bool: { \"aws:SecureTransport\": \"false\" } } }] }) });",
	.fail_py = "bucket = aws.s3.Bucket(\"assets\")",
	.fixed_py = "aws.s3.BucketPolicy(\"assets-tls\", bucket=bucket.id,\n"
		    "    policy=pulumi.Output.json_dumps({\"Version\": \"2012-10-17\", \"Statement\": [{\n"
		    "        \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\",\n"
		    "        \"Resource\": [bucket.arn, bucket.arn.apply(lambda a: f\"{a}/*\")],\n"
		    "        \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}))",
};

static const struct pol_doc doc_pab = {
	.why = "Without a public access block a later ACL or policy change can expose the bucket.",
	.fail_ts = "const bucket = new aws.s3.Bucket(\"assets\");",
	.fixed_ts = "new aws.s3.BucketPublicAccessBlock(\"assets\", { bucket: bucket.id,\n"
		    "  blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, "
		    "restrictPublicBuckets: true });",
	.fail_py = "bucket = aws.s3.Bucket(\"assets\")",
	.fixed_py = "aws.s3.BucketPublicAccessBlock(\"assets\", bucket=bucket.id, block_public_acls=True,\n"
		    "    block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)",
};

static const struct pol_doc doc_kms = {
	.why = "SSE-S3 is applied implicitly since 2023-01-05; stating encryption explicitly (and "
	       "using KMS where required) keeps the intent reviewable and key access auditable.",
	.fail_ts = "const bucket = new aws.s3.Bucket(\"data\");",
	.fixed_ts = "new aws.s3.BucketServerSideEncryptionConfiguration(\"data\", { bucket: bucket.id,\n"
		    "  rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: \"aws:kms\", "
		    "kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] });",
	.fail_py = "bucket = aws.s3.Bucket(\"data\")",
	.fixed_py = "aws.s3.BucketServerSideEncryptionConfiguration(\"data\", bucket=bucket.id,\n"
		    "    rules=[{\"apply_server_side_encryption_by_default\": {\"sse_algorithm\": \"aws:kms\",\n"
		    "        \"kms_master_key_id\": key.arn}, \"bucket_key_enabled\": True}])",
};

static const struct policy policies[] = {
	{
		.name = "s3-bucket-name-valid",
		.display_name = "S3 bucket names follow the AWS naming rules",
		.description = "S3 bucket names and prefixes must follow the AWS general purpose bucket naming rules.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(S3_BUCKET, S3_BUCKET_V2),
		.config_schema = "{\"forbidDots\":{\"type\":\"boolean\",\"default\":false,"
				 "\"description\":\"Also reject names containing '.' (valid, but they break "
				 "virtual-hosted-style HTTPS and Transfer Acceleration; Trivy AWS-0320).\"}}",
		.remediation_steps = "Use 3-63 lowercase letters, digits and '-', starting and ending with a "
				     "letter or digit; keep bucketPrefix at 37 characters or fewer.",
		.tags = "s3,naming",
		.url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
		.check = check_bucket_name,
		.doc = &doc_name_valid,
	},
	{
		.name = "s3-bucket-name-no-duplicated-prefix",
		.display_name = "S3 bucket names do not repeat their prefix",
		.description = "S3 bucket names must not repeat a token run back to back (a prefix applied twice).",
		.level = POL_MANDATORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(S3_BUCKET, S3_BUCKET_V2),
		.config_schema = "{\"minRepeatTokens\":{\"type\":\"integer\",\"minimum\":1,\"default\":2,"
				 "\"description\":\"Shortest run of '-'/'.'-separated tokens whose back-to-back "
				 "repetition is reported (the stack and project names are checked at any "
				 "length).\"}}",
		.remediation_steps = "Build resource names in one naming helper and pass the bare logical "
				     "name to it, not a name that already carries the prefix.",
		.tags = "s3,naming",
		.url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
		.check = check_bucket_dup_prefix,
		.doc = &doc_dup_prefix,
	},
	{
		.name = "s3-bucket-https-only",
		.display_name = "S3 buckets deny plain-HTTP requests",
		.description = "Every S3 bucket must have a bucket policy that denies requests with "
			       "aws:SecureTransport=false on the bucket and its objects.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(S3_BUCKET, S3_BUCKET_V2, S3_POLICY, S3_WEBSITE, S3_WEBSITE_V2),
		.config_schema = "{\"acceptTlsVersionCondition\":{\"type\":\"boolean\",\"default\":false,"
				 "\"description\":\"Also accept a Deny on NumericLessThan s3:TlsVersion 1.2 "
				 "(off by default: plain-HTTP requests carry no TLS version, so that condition "
				 "alone does not deny them).\"},"
				 "\"exemptWebsiteBuckets\":{\"type\":\"boolean\",\"default\":true,"
				 "\"description\":\"Skip buckets configured as static website endpoints, which "
				 "serve plain HTTP only (front them with CloudFront and origin access control "
				 "instead).\"}}",
		.remediation_steps = "Add an aws.s3.BucketPolicy with Effect Deny, Principal \"*\", Action "
				     "\"s3:*\", Resource [bucket ARN, bucket ARN/*] and Condition Bool "
				     "aws:SecureTransport \"false\"; keep one BucketPolicy per bucket.",
		.tags = "s3,tls,encryption-in-transit",
		.url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
		.check_stack = check_https_only,
		.doc = &doc_https_only,
	},
	{
		.name = "s3-bucket-public-access-block",
		.display_name = "S3 buckets block public access",
		.description = "Every S3 bucket should have a public access block with all four flags true.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(S3_BUCKET, S3_BUCKET_V2, S3_PAB, S3_ACCOUNT_PAB),
		.remediation_steps = "Add aws.s3.BucketPublicAccessBlock for the bucket (or an "
				     "AccountPublicAccessBlock) with blockPublicAcls, blockPublicPolicy, "
				     "ignorePublicAcls and restrictPublicBuckets true.",
		.tags = "s3,public-access",
		.url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
		.check_stack = check_public_access_block,
		.doc = &doc_pab,
	},
	{
		.name = "s3-bucket-encryption-kms",
		.display_name = "S3 buckets declare their encryption",
		.description = "S3 buckets should declare server-side encryption explicitly, with KMS when "
			       "requireKms is set.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(S3_BUCKET, S3_BUCKET_V2, S3_SSE, S3_SSE_V2),
		.config_schema = "{\"requireKms\":{\"type\":\"boolean\",\"default\":false,"
				 "\"description\":\"Require sseAlgorithm aws:kms or aws:kms:dsse (SSE-S3 is then "
				 "reported too). Raise enforcementLevel to mandatory to block deployments.\"}}",
		.remediation_steps = "Add aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "
				     "\"aws:kms\" and a kmsMasterKeyId.",
		.tags = "s3,encryption-at-rest",
		.url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
		.check_stack = check_encryption_kms,
		.doc = &doc_kms,
	},
};

const struct pol_family pol_family_s3 = { "s3", policies, sizeof(policies) / sizeof(policies[0]) };
