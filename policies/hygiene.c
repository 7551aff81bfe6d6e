/*
 * hygiene.c - policy family "hygiene" (see families.h): values that were
 * never meant to reach AWS. Stringified Pulumi Outputs (seed 002 #5/#6:
 * f-strings and template literals over Outputs), placeholder values left in
 * the program, and ARNs that contradict the region the resource is created
 * in (seeds 000/001 #8, #11).
 *
 * These policies walk every string of a resource's inputs, recursively and
 * through secrets; JSON text (policy documents, provider inputs) is scanned
 * as text, which is where the markers survive. Unknown values are skipped
 * without pol_unknown: nearly every resource has some in a preview, the same
 * policies judge them once the update makes them known (a marker produced
 * inside an apply() shows up then), and recording each one would only bury
 * the real notes.
 */
#include <string.h>

#include "arena.h"
#include "aws.h"
#include "policy.h"

#define HY_PATH_MAX 512
#define HY_MAX_REPORTS 10

/* ---- a string walker with a property path ------------------------------------ */

struct hy_walk;
/* Called for each string; `is_key` when it is an object key. Return nonzero to stop. */
typedef int (*hy_visit_fn)(struct hy_walk *w, const char *s, int secret, int is_key);

struct hy_walk {
	struct pol_ctx *c;
	const struct pol_resource *r;
	hy_visit_fn visit;
	const void *user;       /* per-policy context */
	int visit_keys;
	int reports;
	int stop;
	size_t len;
	char path[HY_PATH_MAX];
};

/*
 * Append `n` bytes to the path; on overflow the path is cut (messages stay
 * readable). Plain copies, not snprintf: this runs for every member of every
 * resource, three times (once per hygiene policy).
 */
static void hy_append(struct hy_walk *w, const char *s, size_t n)
{
	size_t room = sizeof(w->path) - 1 - w->len;

	if (n > room)
		n = room;
	memcpy(w->path + w->len, s, n);
	w->len += n;
	w->path[w->len] = '\0';
}

/* Push ".key" (or "key" at the top), "['key']" or "[idx]"; returns the length to pop back to. */
static size_t hy_push_key(struct hy_walk *w, const char *key, int plain)
{
	size_t old = w->len;

	if (!plain)
		hy_append(w, "['", 2);
	else if (w->len)
		hy_append(w, ".", 1);
	hy_append(w, key, strlen(key));
	if (!plain)
		hy_append(w, "']", 2);
	return old;
}

static size_t hy_push_index(struct hy_walk *w, size_t idx)
{
	char buf[24];
	size_t n = sizeof(buf), old = w->len;

	buf[--n] = ']';
	do {
		buf[--n] = (char)('0' + idx % 10);
		idx /= 10;
	} while (idx);
	buf[--n] = '[';
	hy_append(w, buf + n, sizeof(buf) - n);
	return old;
}

static void hy_pop(struct hy_walk *w, size_t old)
{
	w->len = old;
	w->path[old] = '\0';
}

/* Plain identifiers are joined with '.', anything else is bracket-quoted. */
static int hy_plain_key(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++)
		if (*k == '.' || *k == '[' || *k == ']' || *k == '\'' || *k == ' ')
			return 0;
	return 1;
}

static void hy_walk_value(struct hy_walk *w, const pv_value *v, int depth, int secret)
{
	const pv_value *e;
	const char *key;

	if (w->stop || depth > PV_MAX_DEPTH)
		return;
	v = pv_unwrap(v, &secret);
	switch (pv_kind(v)) {
	case PV_STRING:
		if (w->visit(w, v->string_value, secret, 0))
			w->stop = 1;
		break;
	case PV_LIST:
		PV_LIST_FOREACH(i, e, v) {
			size_t old = hy_push_index(w, i);
			hy_walk_value(w, e, depth + 1, secret);
			hy_pop(w, old);
			if (w->stop)
				break;
		}
		break;
	case PV_OBJECT:
		PV_OBJ_FOREACH(i, key, e, v) {
			size_t old;
			/* Keys are judged at the object's own path: the key may be the bad text itself. */
			if (w->visit_keys && w->visit(w, key, secret, 1)) {
				w->stop = 1;
				break;
			}
			old = hy_push_key(w, key, hy_plain_key(key));
			hy_walk_value(w, e, depth + 1, secret);
			hy_pop(w, old);
			if (w->stop)
				break;
		}
		break;
	default:
		/* Unknowns, assets and archives (Lambda code) are not judged as text. */
		break;
	}
}

static void hy_walk_props(struct hy_walk *w)
{
	w->len = 0;
	w->path[0] = '\0';
	hy_walk_value(w, w->r->props, 0, 0);
}

static int hy_count_report(struct hy_walk *w)
{
	return ++w->reports >= HY_MAX_REPORTS;
}

/* ---- no-stringified-pulumi-outputs ------------------------------------------- */

/* `extra` is the extraMarkers knob, looked up once per resource rather than per string. */
static const char *hy_marker(const pv_value *extra, const char *s)
{
	const char *m = aws_output_marker_in(s);
	const pv_value *e;

	if (m)
		return m;
	PV_LIST_FOREACH(i, e, extra) {
		const char *x = pv_str(e);
		if (x && *x && strstr(s, x))
			return x;
	}
	return NULL;
}

static int hy_visit_marker(struct hy_walk *w, const char *s, int secret, int is_key)
{
	const char *m = hy_marker(w->user, s);

	(void)secret;
	if (!m)
		return 0;
	pol_report(w->c, NULL, w->path,
		   "%s %s \"%s\", the text a Pulumi SDK substitutes when an Output is formatted as a plain "
		   "string (f-string, template literal, str()/toString()/json.dumps of an Output): build the "
		   "value inside .apply() or with pulumi.interpolate / Output.format / Output.json_dumps.",
		   w->len ? w->path : (is_key ? "the resource's inputs" : "the value"),
		   is_key ? "has a key containing" : "contains", m);
	return hy_count_report(w);
}

static void check_stringified_outputs(struct pol_ctx *c, const struct pol_resource *r)
{
	const pv_value *extra = pol_cfg(c, "extraMarkers");
	struct hy_walk w = { .c = c, .r = r, .visit = hy_visit_marker, .visit_keys = 1, .user = extra };
	const char *m = hy_marker(extra, r->name);

	if (m) {
		pol_report(c, NULL, NULL,
			   "the resource name contains \"%s\": the name was built by formatting an Output as a "
			   "string; resource names must be plain strings known when the program runs.",
			   m);
		w.reports++;
	}
	hy_walk_props(&w);
}

/* ---- no-placeholder-values ----------------------------------------------------- */

/* "example.com", "www.example.org", "api.example.net" and the .test/.invalid/.localhost TLDs. */
static const char *hy_example_domain(const char *s)
{
	static const char *const doms[] = { "example.com", "example.org", "example.net" };
	static const char *const tlds[] = { ".test", ".invalid", ".example", ".localhost" };
	size_t n = strlen(s);

	if (strpbrk(s, " /:@\"{}"))
		return NULL;   /* hostnames only, not URLs, e-mail or JSON */
	for (size_t i = 0; i < 3; i++) {
		size_t d = strlen(doms[i]);
		if (n >= d && strcmp(s + n - d, doms[i]) == 0 && (n == d || s[n - d - 1] == '.'))
			return "an example domain (RFC 2606)";
	}
	for (size_t i = 0; i < 4; i++) {
		size_t d = strlen(tlds[i]);
		if (n > d && strcmp(s + n - d, tlds[i]) == 0)
			return "a reserved test domain (RFC 2606)";
	}
	return NULL;
}

/*
 * Input templates (EventBridge targets' inputTransformer.inputTemplate, Pipes'
 * targetParameters.inputTemplate) refer to the values of inputPaths as
 * "<name>" (AWS's own examples use "<instance_id>", "<bucket-name>"): those are
 * the template's variables, not placeholders left for a human.
 */
static int hy_is_input_template(const char *path)
{
	const char *last = strrchr(path, '.');

	last = last ? last + 1 : path;
	return strcmp(last, "inputTemplate") == 0;
}

/* A copy of `s` with every "<identifier>" blanked out (NULL on allocation failure). */
static const char *hy_strip_template_vars(struct pol_ctx *c, const char *s)
{
	char *out = arena_strdup(pol_arena(c), s);

	if (!out)
		return NULL;
	for (char *p = strchr(out, '<'); p; p = strchr(p + 1, '<')) {
		char *q = p + 1;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
		       *q == '_' || *q == '-' || *q == '.')
			q++;
		if (*q == '>' && q > p + 1)
			memset(p, ' ', (size_t)(q - p) + 1);
	}
	return out;
}

/* The knobs of no-placeholder-values, looked up once per resource rather than per string. */
struct hy_placeholder_cfg {
	const pv_value *allowed;       /* allowedValues globs */
	const pv_value *extra;         /* extraPatterns globs */
	int example_domains;           /* flagExampleDomains */
};

static int hy_list_glob(const pv_value *globs, const char *s)
{
	const pv_value *e;

	PV_LIST_FOREACH(i, e, globs) {
		const char *x = pv_str(e);
		if (x && pol_glob(x, s))
			return 1;
	}
	return 0;
}

static int hy_visit_placeholder(struct hy_walk *w, const char *s, int secret, int is_key)
{
	const struct hy_placeholder_cfg *cfg = w->user;
	struct pol_ctx *c = w->c;
	const char *what, *text = s;

	(void)is_key;
	/* value: "CHANGE_ME" + ignoreChanges: ["value"]: the placeholder is replaced out of band, on purpose. */
	if (pol_ignores_changes(w->r, w->path))
		return 0;
	/* Tags label resources; a "TODO" owner tag is untidy but deploys and works. */
	if (strncmp(w->path, "tags", 4) == 0 && (w->path[4] == '.' || w->path[4] == '[' || w->path[4] == '\0' ||
						  strncmp(w->path + 4, "All", 3) == 0))
		return 0;
	if (hy_list_glob(cfg->allowed, s))
		return 0;
	if (!is_key && hy_is_input_template(w->path) && (text = hy_strip_template_vars(c, s)) == NULL)
		return 0;
	what = aws_placeholder_in(text);
	if (!what && hy_list_glob(cfg->extra, s))
		what = "a value matching extraPatterns";
	if (!what && cfg->example_domains)
		what = hy_example_domain(s);
	if (!what)
		return 0;
	if (secret || strlen(s) > 120)
		pol_report(c, NULL, w->path, "%s holds %s: replace it with the real value (from stack config or "
			   "another resource's output) before deploying.", w->path, what);
	else
		pol_report(c, NULL, w->path, "%s is \"%s\", which holds %s: replace it with the real value (from "
			   "stack config or another resource's output) before deploying.", w->path, s, what);
	return hy_count_report(w);
}

static void check_placeholders(struct pol_ctx *c, const struct pol_resource *r)
{
	struct hy_placeholder_cfg cfg = {
		pol_cfg(c, "allowedValues"), pol_cfg(c, "extraPatterns"), pol_cfg_bool(c, "flagExampleDomains"),
	};
	struct hy_walk w = { .c = c, .r = r, .visit = hy_visit_placeholder, .user = &cfg };
	hy_walk_props(&w);
}

/* ---- arn-region-matches-provider ------------------------------------------------ */

/* Global services: their resources have no region of their own. */
static const char *const hy_global_types[] = {
	"aws:iam/*", "aws:cloudfront/*", "aws:route53/*", "aws:organizations/*", "aws:budgets/*",
	"aws:ce/*", "aws:shield/*", "aws:waf/*", "aws:globalaccelerator/*", "aws:cur/*",
	"aws:route53domains/*", "aws:kms/replicaKey:*", "aws:kms/replicaExternalKey:*",
	"aws:account/*", "aws:identitystore/*", "aws:ssoadmin/*",
};

/* Property paths that name other regions by design (replicas, copies, destinations). */
static const char *const hy_cross_region_paths[] = {
	"replica", "destination", "copyaction", "crossregion", "primarykeyarn", "sourceregion", "layers",
	"globaltablearn",
};

struct hy_arn_ctx {
	const char *region;        /* the resource's effective region */
	const char *account;       /* the provider's only allowedAccountIds entry, or NULL */
};

/* Case-insensitive substring test for short ASCII needles. */
static int hy_contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && (hay[i] | 0x20) == (needle[i] | 0x20))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static int hy_cross_region_path(const char *path)
{
	for (size_t i = 0; i < sizeof(hy_cross_region_paths) / sizeof(hy_cross_region_paths[0]); i++)
		if (hy_contains_ci(path, hy_cross_region_paths[i]))
			return 1;
	return 0;
}

/* Documented exceptions where an ARN must (or may) live in another region. */
static int hy_arn_exempt(const struct pol_resource *r, const char *path, const struct aws_arn *a)
{
	/* Edge-optimised API Gateway domains and Cognito custom domains take us-east-1 ACM certificates. */
	if (aws_field_eq(a->service, a->service_len, "acm") && aws_field_eq(a->region, a->region_len, "us-east-1") &&
	    (pol_glob("aws:apigateway/domainName:*", r->type) || pol_glob("aws:cognito/userPoolDomain:*", r->type)))
		return 1;
	/* EventBridge can target event buses in other regions. */
	if (aws_field_eq(a->service, a->service_len, "events") && a->resource_len > 10 &&
	    strncmp(a->resource, "event-bus/", 10) == 0)
		return 1;
	/* SNS delivers across regions: subscription endpoints and topic-invoked Lambda permissions. */
	if (pol_glob("aws:sns/topicSubscription:*", r->type) && strcmp(path, "endpoint") == 0)
		return 1;
	if (pol_glob("aws:lambda/permission:*", r->type) && aws_field_eq(a->service, a->service_len, "sns"))
		return 1;
	return hy_cross_region_path(path);
}

static int hy_visit_arn(struct hy_walk *w, const char *s, int secret, int is_key)
{
	const struct hy_arn_ctx *x = w->user;
	struct pol_ctx *c = w->c;
	struct aws_arn a;
	const char *shown = secret ? "an ARN (secret)" : s;

	(void)is_key;
	if (aws_arn_parse(s, &a) != 0 || hy_arn_exempt(w->r, w->path, &a))
		return 0;
	if (pol_cfg_list_has(c, "allowedCrossRegionArnServices",
			     arena_strndup(pol_arena(c), a.service, a.service_len)))
		return 0;
	if (a.region_len > 0 && !memchr(a.region, '*', a.region_len) && !memchr(a.region, '$', a.region_len) &&
	    aws_region_check(arena_strndup(pol_arena(c), a.region, a.region_len)) <= AWS_REGION_WELL_FORMED &&
	    !aws_field_eq(a.region, a.region_len, x->region)) {
		pol_report(c, NULL, w->path,
			   "%s is %s, in region %.*s, but this resource is created in %s: reference the "
			   "resource's output instead of a hard-coded ARN, or create this resource with the "
			   "provider for %.*s.",
			   w->path, shown, (int)a.region_len, a.region, x->region, (int)a.region_len, a.region);
		return hy_count_report(w);
	}
	if (x->account && aws_is_account_id(a.account, a.account_len) &&
	    !aws_field_eq(a.account, a.account_len, x->account) && !aws_is_placeholder_account(a.account, a.account_len)) {
		pol_report(c, NULL, w->path,
			   "%s is %s, in account %.*s, but the provider is pinned to account %s (allowedAccountIds): "
			   "reference the resource's output, or use a provider for that account.",
			   w->path, shown, (int)a.account_len, a.account, x->account);
		return hy_count_report(w);
	}
	return 0;
}

static void check_arn_region(struct pol_ctx *c, const struct pol_resource *r)
{
	struct hy_arn_ctx x = { NULL, NULL };
	struct hy_walk w = { .c = c, .r = r, .visit = hy_visit_arn, .user = &x };
	const char *region = NULL;
	int rc;

	for (size_t i = 0; i < sizeof(hy_global_types) / sizeof(hy_global_types[0]); i++)
		if (pol_glob(hy_global_types[i], r->type)) {
			pol_not_applicable(c, "global service: its resources have no region of their own");
			return;
		}
	rc = pol_region(c, r, &region);
	if (rc == PV_EUNKNOWN) {
		pol_unknown(c, "region");
		return;
	}
	if (rc != PV_OK || aws_region_check(region) > AWS_REGION_WELL_FORMED) {
		pol_not_applicable(c, "the resource's region is not known (see aws-provider-region-valid)");
		return;
	}
	x.region = region;
	{
		const pv_value *ids = pv_get(r->provider_props, "allowedAccountIds");
		const pv_value *l = pv_json(pol_arena(c), ids, NULL, NULL);
		if (pv_len(l) == 1)
			x.account = pv_str(pv_at(l, 0));
	}
	hy_walk_props(&w);
}

/* ---- the table ------------------------------------------------------------------ */

static const struct pol_doc doc_outputs = {
	.why = "Seed 002 #5/#6: formatting an Output as a string (f\"{bucket.arn}/*\", `${bucket.arn}/*`) does not "
	       "wait for the value; the SDK inserts a warning text instead, which lands in IAM policies, ARNs and "
	       "names and only fails (or silently grants nothing) at deploy time.",
	.fail_ts = "policy: JSON.stringify({ Statement: [{ Resource: `${bucket.arn}/*`, ... }] })",
	.fixed_ts = "policy: pulumi.jsonStringify({ Statement: [{ Resource: pulumi.interpolate`${bucket.arn}/*`, ... }] })",
	.fail_py = "policy=json.dumps({\"Statement\": [{\"Resource\": f\"{bucket.arn}/*\", ...}]})",
	.fixed_py = "policy=bucket.arn.apply(lambda arn: json.dumps({\"Statement\": [{\"Resource\": f\"{arn}/*\", ...}]}))",
};

static const struct pol_doc doc_placeholders = {
	.why = "Example account IDs (123456789012), REPLACE_ME tokens and <your-...> markers copied from docs "
	       "deploy broken trust policies and ARNs that point at someone else's (or no) account.",
	.fail_ts = "principals: [{ type: \"AWS\", identifiers: [\"arn:aws:iam::123456789012:root\"] }]",
	.fixed_ts = "principals: [{ type: \"AWS\", identifiers: [pulumi.interpolate`arn:aws:iam::${accountId}:root`] }]",
	.fail_py = "source_account=\"123456789012\"",
	.fixed_py = "source_account=aws.get_caller_identity().account_id",
};

static const struct pol_doc doc_arn_region = {
	.why = "Seeds 000/001 #8 and #11: ARNs assembled from hard-coded regions point at the primary region "
	       "even for resources deployed to the secondary one.",
	.fail_ts = "sourceArn: `arn:aws:events:us-east-1:${account}:rule/orders`  // provider is us-west-2",
	.fixed_ts = "sourceArn: rule.arn",
	.fail_py = "source_arn=f\"arn:aws:events:us-east-1:{account}:rule/orders\"  # provider is us-west-2",
	.fixed_py = "source_arn=rule.arn",
};

static const struct policy policies[] = {
	{
		.name = "no-stringified-pulumi-outputs",
		.display_name = "No stringified Pulumi Outputs",
		.description = "No input may contain the text an SDK substitutes for an Output formatted as a plain string.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = NULL,
		.config_schema =
			"{\"extraMarkers\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Additional substrings that mark a stringified value.\"}}",
		.remediation_steps = "Build strings from Outputs inside .apply(), or with pulumi.interpolate / "
				     "pulumi.concat (Node) and Output.concat / Output.format / Output.json_dumps (Python).",
		.tags = "pulumi,outputs,correctness",
		.url = "https://www.pulumi.com/docs/iac/concepts/inputs-outputs/apply/#outputs-and-strings",
		.check = check_stringified_outputs,
		.doc = &doc_outputs,
	},
	{
		.name = "no-placeholder-values",
		.display_name = "No placeholder values",
		.description = "Inputs must not contain placeholder values such as documentation account IDs, REPLACE_ME or <your-...> tokens.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES("aws:*", "pulumi:providers:aws"),
		.config_schema =
			"{\"extraPatterns\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Additional glob patterns ('*', '?') a whole value must not match.\"},"
			"\"allowedValues\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Values (globs) never reported, e.g. a real account that looks like a placeholder.\"},"
			"\"flagExampleDomains\":{\"type\":\"boolean\",\"default\":false,"
			"\"description\":\"Also report example.com/.org/.net and .test/.invalid host names.\"}}",
		.remediation_steps = "Replace the placeholder with the real value, read from stack config or taken from "
				     "the output of the resource it refers to (aws.get_caller_identity() for the account).",
		.tags = "hygiene,correctness",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns",
		.check = check_placeholders,
		.doc = &doc_placeholders,
	},
	{
		.name = "arn-region-matches-provider",
		.display_name = "ARNs match the resource's region and account",
		.description = "ARNs passed to a resource should be in the region (and pinned account) the resource is created in.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES("aws:*"),
		.config_schema =
			"{\"allowedCrossRegionArnServices\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"ARN service names (e.g. \\\"sns\\\") whose ARNs may be in another region.\"}}",
		.remediation_steps = "Pass the referenced resource's Output (rule.arn, topic.arn) instead of a hand-built "
				     "ARN, or create the resource with the provider of the region the ARN names.",
		.tags = "hygiene,region,multi-region",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
		.check = check_arn_region,
		.doc = &doc_arn_region,
	},
};

const struct pol_family pol_family_hygiene = { "hygiene", policies, sizeof(policies) / sizeof(policies[0]) };
