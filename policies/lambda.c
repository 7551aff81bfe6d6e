/*
 * lambda.c - policy family "lambda" (see families.h): runtimes, X-Ray
 * tracing, reserved environment variables and who may invoke a function.
 *
 * Seeds: 000/001 #3 (python3.9), #4 (no X-Ray), #8 and 002 #4 (Permission
 * source_arn hand-built or pointing at the wrong rule/region).
 *
 * Runtime facts are data (policies/data/lambda_runtimes.c) with an as-of
 * date; that date is also the default evaluation date, so a given program
 * gets the same verdict on every machine until the table is refreshed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "aws.h"
#include "data/lambda_runtimes.h"
#include "policy.h"
#include "stack.h"
#include "strmap.h"

#define LAM_FUNCTION "aws:lambda/function:Function"
#define LAM_PERMISSION "aws:lambda/permission:Permission"

/* ---- dates ---------------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long lam_days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Parse "YYYY-MM-DD"; 0 on success. */
static int lam_parse_date(const char *s, long *out)
{
	long y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = strtol(s, NULL, 10);
	m = strtol(s + 5, NULL, 10);
	d = strtol(s + 8, NULL, 10);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*out = lam_days_from_civil(y, m, d);
	return 0;
}

/*
 * The evaluation date: knob asOfDate ("" = the table's as-of date, "today" =
 * the clock, else YYYY-MM-DD). *label receives the date as text for messages.
 */
static long lam_as_of(struct pol_ctx *c, const char **label)
{
	const char *k = pol_cfg_str(c, "asOfDate");
	long days;

	if (k && strcmp(k, "today") == 0) {
		time_t now = time(NULL);
		struct tm tm;
		if (gmtime_r(&now, &tm)) {
			*label = arena_printf(pol_arena(c), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			if (*label && lam_parse_date(*label, &days) == 0)
				return days;
		}
	} else if (k && *k && lam_parse_date(k, &days) == 0) {
		*label = k;
		return days;
	}
	*label = lambda_runtimes_as_of;
	lam_parse_date(lambda_runtimes_as_of, &days);
	return days;
}

/* ---- runtimes --------------------------------------------------------------------- */

static const struct lambda_runtime *lam_find(const char *name)
{
	for (size_t i = 0; i < lambda_runtimes_n; i++)
		if (strcmp(lambda_runtimes[i].name, name) == 0)
			return &lambda_runtimes[i];
	return NULL;
}

/*
 * Split "python3.12" into family "python" and version "3.12"; "nodejs22.x"
 * gives "22", "provided.al2023" gives "al2023", "java8.al2" gives "8.al2".
 * "dotnetcore" counts as the "dotnet" family. Buffers are caller-owned.
 */
static void lam_split(const char *rt, char *family, size_t fcap, char *version, size_t vcap)
{
	size_t n = 0, vl;

	while (rt[n] >= 'a' && rt[n] <= 'z' && n + 1 < fcap)
		n++;
	memcpy(family, rt, n);
	family[n] = '\0';
	if (strcmp(family, "dotnetcore") == 0)
		family[6] = '\0';
	rt += n;
	if (*rt == '.')
		rt++;
	snprintf(version, vcap, "%s", rt);
	vl = strlen(version);
	if (vl >= 2 && strcmp(version + vl - 2, ".x") == 0)
		version[vl - 2] = '\0';
}

/*
 * Natural version order: runs of digits compare numerically, everything else
 * byte-wise ("3.9" < "3.11", "al2" < "al2023", "" < anything).
 */
static int lam_vercmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			char *ea, *eb;
			unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int lam_family_known(const char *family)
{
	char f[32], v[32];

	for (size_t i = 0; i < lambda_runtimes_n; i++) {
		lam_split(lambda_runtimes[i].name, f, sizeof(f), v, sizeof(v));
		if (strcmp(f, family) == 0)
			return 1;
	}
	return 0;
}

/* The newest runtime of `family` still supported on `as_of`, or NULL. */
static const char *lam_newest(const char *family, long as_of)
{
	const char *best = NULL;
	char best_v[32] = "";
	char f[32], v[32];
	long end;

	for (size_t i = 0; i < lambda_runtimes_n; i++) {
		lam_split(lambda_runtimes[i].name, f, sizeof(f), v, sizeof(v));
		if (strcmp(f, family) != 0 || lam_parse_date(lambda_runtimes[i].end_of_support, &end) != 0 || end <= as_of)
			continue;
		if (!best || lam_vercmp(v, best_v) > 0) {
			best = lambda_runtimes[i].name;
			snprintf(best_v, sizeof(best_v), "%s", v);
		}
	}
	return best;
}

/* Functions deployed as container images have no managed runtime. */
static int lam_is_image(const struct pol_resource *r)
{
	const char *pt = pv_str(pv_get(r->props, "packageType"));
	return pt && strcmp(pt, "Image") == 0;
}

/* Fetch the runtime or decide the policy has nothing to judge. NULL = return. */
static const char *lam_runtime(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *rt = NULL;
	int rc;

	if (lam_is_image(r)) {
		pol_not_applicable(c, "container-image function (packageType Image): the image carries its own runtime");
		return NULL;
	}
	rc = pv_get_str(pv_get(r->props, "runtime"), &rt);
	if (rc == PV_EUNKNOWN) {
		pol_unknown(c, "runtime");
		return NULL;
	}
	if (rc != PV_OK || !*rt) {
		pol_not_applicable(c, "function sets no runtime");
		return NULL;
	}
	return rt;
}

static const char *lam_suggest(struct pol_ctx *c, const char *family, long as_of)
{
	const char *n = lam_newest(family, as_of);
	return n ? arena_printf(pol_arena(c), "use \"%s\"", n) : "use a currently supported runtime";
}

static void check_runtime_supported(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *rt = lam_runtime(c, r), *label, *min;
	const struct lambda_runtime *e;
	char family[32], version[32];
	long as_of, end;

	if (!rt)
		return;
	as_of = lam_as_of(c, &label);
	lam_split(rt, family, sizeof(family), version, sizeof(version));
	if (pv_len(pol_cfg(c, "allowedRuntimes")) > 0 && !pol_cfg_list_glob(c, "allowedRuntimes", rt)) {
		pol_report(c, NULL, "runtime", "runtime is \"%s\", which is not in allowedRuntimes: use one of the allowed runtimes.", rt);
		return;
	}
	e = lam_find(rt);
	if (e && lam_parse_date(e->end_of_support, &end) == 0 && end <= as_of) {
		pol_report(c, NULL, "runtime",
			   "runtime is \"%s\", which reached end of support on %s (no security patches%s%s%s%s): %s.",
			   rt, e->end_of_support,
			   e->block_create ? "; AWS blocks creating functions with it from " : "",
			   e->block_create ? e->block_create : "",
			   e->block_update ? " and updating them from " : "",
			   e->block_update ? e->block_update : "",
			   lam_suggest(c, family, as_of));
		return;
	}
	min = pv_str(pv_get(pol_cfg(c, "minimumVersions"), family));
	if (min && lam_vercmp(version, min) < 0) {
		pol_report(c, NULL, "runtime",
			   "runtime is \"%s\", older than the minimum %s %s this pack requires (minimumVersions): %s.",
			   rt, family, min, lam_suggest(c, family, as_of));
		return;
	}
	if (!e && !lam_family_known(family))
		pol_report(c, NULL, "runtime",
			   "runtime is \"%s\", which is not a Lambda runtime (runtime table as of %s): use an identifier "
			   "such as \"python3.12\" or \"nodejs22.x\".",
			   rt, lambda_runtimes_as_of);
}

static void check_runtime_deprecation_soon(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *rt = lam_runtime(c, r), *label;
	const struct lambda_runtime *e;
	char family[32], version[32];
	long as_of, end, within;

	if (!rt)
		return;
	e = lam_find(rt);
	if (!e || lam_parse_date(e->end_of_support, &end) != 0)
		return;
	as_of = lam_as_of(c, &label);
	within = (long)pol_cfg_num(c, "warnWithinDays", 180);
	if (end <= as_of || end - as_of > within)
		return;   /* already deprecated (lambda-runtime-supported) or not soon */
	lam_split(rt, family, sizeof(family), version, sizeof(version));
	pol_report(c, NULL, "runtime",
		   "runtime \"%s\" reaches end of support on %s, %ld days after %s: plan the upgrade (%s).",
		   rt, e->end_of_support, end - as_of, label, lam_suggest(c, family, as_of));
}

/* ---- lambda-xray-tracing-active -------------------------------------------------- */

/* 1 = compliant, 0 = not, -1 = unknown (pol_unknown already called when c is set). */
static int lam_tracing_ok(struct pol_ctx *c, const struct pol_resource *r, const char **mode)
{
	const pv_value *tc = pv_get(r->props, "tracingConfig");
	int rc;

	*mode = NULL;
	if (pv_kind(tc) == PV_UNKNOWN) {
		pol_unknown(c, "tracingConfig");
		return -1;
	}
	rc = pv_get_str(pv_get(tc, "mode"), mode);
	if (rc == PV_EUNKNOWN) {
		pol_unknown(c, "tracingConfig.mode");
		return -1;
	}
	if (rc != PV_OK)
		return 0;
	if (strcmp(*mode, "Active") == 0)
		return 1;
	return strcmp(*mode, "PassThrough") == 0 && pol_cfg_bool(c, "allowPassThrough");
}

static void check_xray_tracing(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *mode;
	int ok = lam_tracing_ok(c, r, &mode);

	if (ok != 0)
		return;
	if (mode)
		pol_report(c, NULL, "tracingConfig.mode",
			   "tracingConfig.mode is \"%s\": set tracingConfig: { mode: \"Active\" } so X-Ray traces every "
			   "invocation.", mode);
	else
		pol_report(c, NULL, "tracingConfig",
			   "tracingConfig is not set, so X-Ray tracing is off: set tracingConfig: { mode: \"Active\" } "
			   "(Python: tracing_config={\"mode\": \"Active\"}) and allow xray:PutTraceSegments in the role "
			   "(AWSXRayDaemonWriteAccess).");
}

/* Set tracingConfig to { mode: "Active" }, keeping every other property (and "__" keys, secrets) as is. */
static const pv_value *remediate_xray_tracing(struct pol_ctx *c, const struct pol_resource *r)
{
	struct arena *a = pol_arena(c);
	const char *mode;
	pv_value *tc;

	if (lam_tracing_ok(c, r, &mode) != 0)
		return NULL;
	tc = pv_obj_with(a, pv_new_obj(a), "mode", pv_new_str(a, "Active"));
	return tc ? pv_obj_with(a, r->props, "tracingConfig", tc) : NULL;
}

/* ---- lambda-no-reserved-env-vars --------------------------------------------------- */

/*
 * Keys the Lambda runtime defines itself; CreateFunction rejects them
 * (rule-catalog 4.4). TZ is not among them any more: the Lambda guide lists it
 * with LANG, PATH, NODE_OPTIONS, ... under "unreserved environment variables",
 * and TZ=Asia/Tokyo style settings are common and work.
 */
static const char *const lam_reserved_env[] = {
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
};

static void check_reserved_env(struct pol_ctx *c, const struct pol_resource *r)
{
	const pv_value *vars = pv_path(r->props, "environment.variables"), *v;
	const char *key;

	if (pv_kind(vars) == PV_UNKNOWN) {
		pol_unknown(c, "environment.variables");
		return;
	}
	PV_OBJ_FOREACH(i, key, v, vars) {
		(void)v;
		for (size_t k = 0; k < sizeof(lam_reserved_env) / sizeof(lam_reserved_env[0]); k++)
			if (strcmp(key, lam_reserved_env[k]) == 0) {
				pol_report(c, NULL, arena_printf(pol_arena(c), "environment.variables.%s", key),
					   "environment.variables sets %s, which Lambda reserves (the deployment fails "
					   "with InvalidParameterValueException): remove it%s.",
					   key,
					   strncmp(key, "AWS_REGION", 10) == 0 || strcmp(key, "AWS_DEFAULT_REGION") == 0
						   ? "; the runtime already provides the function's region"
						   : "; use a name of your own");
				break;
			}
	}
}

/* ---- lambda-permission-source-restricted (stack) ------------------------------------ */

struct lam_source {
	const char *principal;
	const char *const *types;   /* resources that can be the source */
	int same_region;            /* the service cannot invoke a function in another region */
	int need_arn;               /* sourceAccount alone is not enough */
	const char *what;
};

static const struct lam_source lam_sources[] = {
	{ "events.amazonaws.com", POL_TYPES("aws:cloudwatch/eventRule:EventRule"), 1, 1, "EventBridge rule" },
	{ "s3.amazonaws.com", POL_TYPES("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"), 1, 0, "S3 bucket" },
	{ "sns.amazonaws.com", POL_TYPES("aws:sns/topic:Topic"), 0, 0, "SNS topic" },
	{ "apigateway.amazonaws.com",
	  POL_TYPES("aws:apigateway/restApi:RestApi", "aws:apigatewayv2/api:Api", "aws:apigateway/stage:Stage",
		    "aws:apigateway/deployment:Deployment", "aws:apigatewayv2/stage:Stage",
		    "aws:apigateway/resource:Resource", "aws:apigateway/method:Method", "aws:apigatewayv2/route:Route"),
	  1, 0, "API Gateway API" },
	{ "logs.amazonaws.com", POL_TYPES("aws:cloudwatch/logGroup:LogGroup"), 1, 0, "CloudWatch log group" },
	{ "cognito-idp.amazonaws.com", POL_TYPES("aws:cognito/userPool:UserPool"), 1, 0, "Cognito user pool" },
	{ "iot.amazonaws.com", POL_TYPES("aws:iot/topicRule:TopicRule"), 1, 0, "IoT rule" },
	{ "elasticloadbalancing.amazonaws.com",
	  POL_TYPES("aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup",
		    "aws:elasticloadbalancingv2/targetGroup:TargetGroup"),
	  1, 0, "target group" },
};

static const struct lam_source *lam_source_for(const char *principal)
{
	for (size_t i = 0; i < sizeof(lam_sources) / sizeof(lam_sources[0]); i++)
		if (strcmp(lam_sources[i].principal, principal) == 0)
			return &lam_sources[i];
	return NULL;
}

static int lam_type_in(const char *type, const char *const *types)
{
	for (; *types; types++)
		if (strcmp(type, *types) == 0)
			return 1;
	return 0;
}

static int lam_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * Effective region or NULL. In a preview, pulumi-aws v7 reports the computed
 * `region` output of a new resource as unknown although it can only be the
 * provider's region, so fall back to that.
 */
static const char *lam_region_of(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *reg = NULL;
	int rc = pol_region(c, r, &reg);

	if (rc == PV_OK)
		return reg;
	if (rc == PV_EUNKNOWN && pv_kind(pv_get(r->props, "region")) == PV_UNKNOWN &&
	    pv_get_str(pv_get(r->provider_props, "region"), &reg) == PV_OK && *reg)
		return reg;
	return NULL;
}

/* Report a source in another region than the permission, for services that cannot cross regions. */
static void lam_check_same_region(struct pol_ctx *c, const struct pol_resource *p, const struct lam_source *src,
				  const struct pol_resource *d)
{
	const char *pr, *dr;

	if (!src->same_region)
		return;
	pr = lam_region_of(c, p);
	dr = lam_region_of(c, d);
	if (pr && dr && strcmp(pr, dr) != 0)
		pol_report(c, p->urn, "sourceArn",
			   "sourceArn is %s %s in %s, but permission %s (and so its function) is in %s: the %s "
			   "cannot invoke a function in another region. Create the permission, the function and the "
			   "%s with the same regional provider.",
			   src->what, d->name, dr, p->name, pr, src->what, src->what);
}

/*
 * Does the name segment `seg` of an ARN name resource `d`, whose physical
 * name is property `key`? 1 yes, 0 no, -1 cannot tell. A resource without
 * the property is auto-named: its physical name is the logical name plus a
 * random 7-character suffix ("orders-3f8a2b1"; S3 lowercases it), so the bare
 * logical name never matches and "<logical>-xxxxxxx" might.
 */
static int lam_name_matches(const struct pol_resource *d, const char *key, const char *seg, size_t seg_len)
{
	const pv_value *v = pv_get(d->props, key);
	const char *name;
	size_t n;

	if (pv_kind(v) == PV_UNKNOWN)
		return -1;
	if (pv_get_str(v, &name) == PV_OK && *name)
		return aws_field_eq(seg, seg_len, name);
	name = d->name;
	n = strlen(name);
	if (seg_len != n + 8 || seg[n] != '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (seg[i] != name[i] && !(strncmp(d->type, "aws:s3/", 7) == 0 && seg[i] == (name[i] | 0x20)))
			return 0;
	return -1;
}

/* The last '/'-separated segment of the ARN's resource part. */
static const char *lam_last_segment(const struct aws_arn *a, size_t *len)
{
	const char *seg = a->resource;

	for (size_t i = 0; i < a->resource_len; i++)
		if (a->resource[i] == '/')
			seg = a->resource + i + 1;
	*len = a->resource_len - (size_t)(seg - a->resource);
	return seg;
}

/*
 * Does the known ARN `value` name resource `d`? 1 yes, 0 no, -1 cannot tell
 * (name, bus or region unknown in preview). A known `arn` output is
 * authoritative; otherwise the ARN is compared with the resource's inputs.
 */
static int lam_arn_names(struct pol_ctx *c, const struct pol_resource *d, const char *value,
			 const struct aws_arn *a)
{
	const char *arn = NULL, *bus, *name, *reg, *seg;
	size_t seg_len;
	int m;

	if (pv_get_str(pv_get(d->props, "arn"), &arn) == PV_OK && *arn)
		return strcmp(arn, value) == 0;
	seg = lam_last_segment(a, &seg_len);
	if (strcmp(d->type, "aws:cloudwatch/eventRule:EventRule") == 0) {
		/* "rule/<name>" on the default bus, "rule/<bus>/<name>" on a custom one. */
		if (!aws_field_eq(a->service, a->service_len, "events") || a->resource_len < 5 ||
		    strncmp(a->resource, "rule/", 5) != 0)
			return 0;
		m = lam_name_matches(d, "name", seg, seg_len);
		if (m != 1)
			return m;
		name = pv_str(pv_get(d->props, "name"));
		if (pv_kind(pv_get(d->props, "eventBusName")) == PV_UNKNOWN)
			return -1;
		bus = pv_str(pv_get(d->props, "eventBusName"));
		if (bus && strstr(bus, ":event-bus/"))
			bus = strstr(bus, ":event-bus/") + 11;
		if (bus && *bus && strcmp(bus, "default") != 0) {
			char *want = arena_printf(pol_arena(c), "rule/%s/%s", bus, name);
			if (!want || !aws_field_eq(a->resource, a->resource_len, want))
				return 0;
		} else if (seg != a->resource + 5) {
			return 0;   /* a bus segment for a rule on the default bus */
		}
	} else if (strcmp(d->type, "aws:sns/topic:Topic") == 0) {
		if (!aws_field_eq(a->service, a->service_len, "sns") || seg != a->resource)
			return 0;
		m = lam_name_matches(d, "name", seg, seg_len);
		if (m != 1)
			return m;
	} else if (strncmp(d->type, "aws:s3/bucket", 13) == 0) {
		if (!aws_field_eq(a->service, a->service_len, "s3") || seg != a->resource)
			return 0;
		return lam_name_matches(d, "bucket", seg, seg_len);
	} else {
		return -1;
	}
	reg = lam_region_of(c, d);
	if (!reg)
		return -1;
	return aws_field_eq(a->region, a->region_len, reg);
}

/* The ARN `d` would have, for messages; NULL when it cannot be shown. */
static const char *lam_expected_arn(struct pol_ctx *c, const struct pol_resource *d)
{
	const char *arn = pv_str(pv_get(d->props, "arn")), *name, *bus, *reg;

	if (arn)
		return arn;
	if (strcmp(d->type, "aws:cloudwatch/eventRule:EventRule") != 0)
		return NULL;
	name = pv_str(pv_get(d->props, "name"));
	bus = pv_str(pv_get(d->props, "eventBusName"));
	reg = lam_region_of(c, d);
	if (!name || !reg)
		return NULL;
	if (bus && strstr(bus, ":event-bus/"))
		bus = strstr(bus, ":event-bus/") + 11;
	return arena_printf(pol_arena(c), "arn:aws:events:%s:<account>:rule/%s%s%s", reg,
			    bus && *bus && strcmp(bus, "default") ? bus : "", bus && *bus && strcmp(bus, "default") ? "/" : "",
			    name);
}

/*
 * sourceArn depends on other resources. Returns 1 when that settles the
 * question (reported or fine), 0 when no dependency is of a source type and
 * the known value should be judged as a literal.
 */
static int lam_judge_deps(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *p,
			  const struct lam_source *src, char *const *urns, size_t n, const char *value)
{
	const struct pol_resource *found = NULL, *other = NULL;
	int opaque = 0;

	if (!src)
		return 1;   /* a service we have no map for: any derived value is fine */
	for (size_t i = 0; i < n && !found; i++) {
		const struct pol_resource *d = stk_by_urn(s, urns[i]);
		if (!d)
			opaque = 1;
		else if (lam_type_in(d->type, src->types))
			found = d;
		else if (strncmp(d->type, "aws:", 4) != 0)
			opaque = 1;   /* a component or another provider's resource may hand the ARN through */
		else if (!other)
			other = d;
	}
	if (!found) {
		if (value)
			return 0;
		if (!opaque && other)
			pol_report(c, p->urn, "sourceArn",
				   "sourceArn of permission %s is computed from %s %s, not from a %s: set sourceArn to the "
				   "%s's arn output so only that %s can invoke the function.",
				   p->name, pol_urn_type(c, other->urn), other->name, src->what, src->what, src->what);
		return 1;
	}
	lam_check_same_region(c, p, src, found);
	if (value && (strcmp(src->principal, "events.amazonaws.com") == 0 || strcmp(src->principal, "sns.amazonaws.com") == 0)) {
		const char *arn = pv_str(pv_get(found->props, "arn"));
		if (arn && strcmp(arn, value) != 0)
			pol_report(c, p->urn, "sourceArn",
				   "sourceArn of permission %s is built from %s %s but is not its ARN (%s): pass the %s's arn "
				   "output itself.",
				   p->name, src->what, found->name, arn, src->what);
	}
	return 1;
}

/* The physical name of a source resource, or its logical name when it is auto-named. */
static const char *lam_phys_or_logical(const struct pol_resource *d)
{
	const char *n = pv_str(pv_get(d->props, strncmp(d->type, "aws:s3/", 7) == 0 ? "bucket" : "name"));
	return n && *n ? n : d->name;
}

/*
 * A string -> rank multimap in the policy's arena, built once per call of the
 * stack policy: which candidate source has this ARN or name is a hash probe,
 * not a scan of the stack for every permission. Ranks of one key iterate in
 * insertion (= rank) order.
 */

/* Case folding for the auto-name probe: S3 lowercases the logical name, so fold both sides. */
static char *lam_fold(struct arena *a, const char *s, size_t len)
{
	char *f = arena_strndup(a, s, len);
	for (size_t i = 0; f && i < len; i++)
		f[i] = (char)(f[i] | 0x20);
	return f;
}

/* A resource that can be a source of one principal, as the literal sourceArn judgement needs it. */
struct lam_cand {
	const struct pol_resource *r;
	const char *phys;           /* lam_phys_or_logical */
	const char *region;         /* lam_region_of, or NULL */
};

/*
 * The candidate sources of one principal (every resource of its types, in
 * the order lam_judge_literal visits them: a candidate's rank), indexed by
 * what lam_arn_names compares an ARN with. Built on the first literal
 * sourceArn of that principal in a call.
 */
struct lam_src_index {
	int built;
	size_t n;
	struct lam_cand *c;
	struct smap by_arn;      /* known `arn` output */
	struct smap by_name;     /* known physical name (rule/topic name, bucket) without arn */
	struct smap by_auto;     /* folded logical name of auto-named ones without arn */
	struct smap by_phys;     /* lam_phys_or_logical, for the example in messages */
	struct smap by_region;   /* candidate region, for the example in messages */
	int wild_other;             /* a candidate lam_arn_names cannot judge without its arn */
	int wild_rule, wild_topic, wild_bucket;  /* a rule/topic/bucket whose name is unknown (no arn) */
	unsigned *mark;
	unsigned stamp;
	size_t *scratch;
};

struct lam_stack {
	struct lam_src_index idx[sizeof(lam_sources) / sizeof(lam_sources[0])];
};

static int lam_index_build(struct pol_ctx *c, const struct stk_index *s, const struct lam_source *src,
			   struct lam_src_index *x)
{
	struct arena *a = pol_arena(c);
	const struct pol_resource *d;
	size_t n = 0, pos;

	for (const char *const *t = src->types; *t; t++)
		n += stk_type_range(s, *t, &pos);
	memset(x, 0, sizeof(*x));
	x->c = arena_alloc(a, (n ? n : 1) * sizeof(*x->c));
	x->mark = arena_alloc(a, (n ? n : 1) * sizeof(*x->mark));
	x->scratch = arena_alloc(a, (n ? n : 1) * sizeof(*x->scratch));
	if (!x->c || !x->mark || !x->scratch || smap_init(a, &x->by_arn, n) < 0 ||
	    smap_init(a, &x->by_name, n) < 0 || smap_init(a, &x->by_auto, n) < 0 ||
	    smap_init(a, &x->by_phys, n) < 0 || smap_init(a, &x->by_region, n) < 0)
		return -1;
	for (const char *const *t = src->types; *t; t++) {
		STK_FOREACH_TYPE(s, *t, d) {
			struct lam_cand *k = &x->c[x->n];
			const char *arn = NULL, *name, *key = NULL;
			int *wild = NULL;
			k->r = d;
			k->phys = lam_phys_or_logical(d);
			k->region = lam_region_of(c, d);
			smap_add(&x->by_phys, k->phys, x->n);
			if (k->region)
				smap_add(&x->by_region, k->region, x->n);
			/* The same classification as lam_arn_names. */
			if (pv_get_str(pv_get(d->props, "arn"), &arn) == PV_OK && *arn) {
				smap_add(&x->by_arn, arn, x->n);
			} else {
				if (strcmp(d->type, "aws:cloudwatch/eventRule:EventRule") == 0)
					key = "name", wild = &x->wild_rule;
				else if (strcmp(d->type, "aws:sns/topic:Topic") == 0)
					key = "name", wild = &x->wild_topic;
				else if (strncmp(d->type, "aws:s3/bucket", 13) == 0)
					key = "bucket", wild = &x->wild_bucket;
				else
					x->wild_other = 1;
				if (key) {
					const pv_value *v = pv_get(d->props, key);
					if (pv_kind(v) == PV_UNKNOWN) {
						*wild = 1;
					} else if (pv_get_str(v, &name) == PV_OK && *name) {
						smap_add(&x->by_name, name, x->n);
					} else {
						char *f = lam_fold(a, d->name, strlen(d->name));
						if (!f)
							return -1;
						smap_add(&x->by_auto, f, x->n);
					}
				}
			}
			x->n++;
		}
	}
	x->built = 1;
	return 0;
}

static void lam_mark(struct lam_src_index *x, const struct smap *m, const char *s, size_t len, size_t *n)
{
	uint64_t h = smap_hash(s, len);
	SMAP_FOREACH_N(m, s, len, h, e) {
		size_t rank = m->ents[e - 1].val;
		if (x->mark[rank] != x->stamp) {
			x->mark[rank] = x->stamp;
			x->scratch[(*n)++] = rank;
		}
	}
}

static int lam_cmp_size(const void *p, const void *q)
{
	size_t a = *(const size_t *)p, b = *(const size_t *)q;
	return a < b ? -1 : a > b;
}

/*
 * Which candidate does the ARN name? Sets *matched to the first one
 * lam_arn_names says 1 for (NULL when none) and *undetermined when it says
 * -1 for some. Only candidates the ARN's value, name segment or auto-name
 * prefix can match are asked; the others say 0, or -1 whatever the ARN is
 * (recorded as wild when indexing).
 */
static void lam_find_named(struct pol_ctx *c, struct lam_src_index *x, const char *value, const struct aws_arn *a,
			   const struct pol_resource **matched, int *undetermined)
{
	size_t seg_len, n = 0;
	const char *seg = lam_last_segment(a, &seg_len);
	int rule_arn = aws_field_eq(a->service, a->service_len, "events") && a->resource_len >= 5 &&
		       strncmp(a->resource, "rule/", 5) == 0;

	*matched = NULL;
	x->stamp++;
	lam_mark(x, &x->by_arn, value, strlen(value), &n);
	lam_mark(x, &x->by_name, seg, seg_len, &n);
	if (seg_len >= 8 && seg[seg_len - 8] == '-') {
		char *f = lam_fold(pol_arena(c), seg, seg_len - 8);
		if (f)
			lam_mark(x, &x->by_auto, f, seg_len - 8, &n);
	}
	qsort(x->scratch, n, sizeof(*x->scratch), lam_cmp_size);
	for (size_t i = 0; i < n; i++) {
		const struct pol_resource *d = x->c[x->scratch[i]].r;
		int m = lam_arn_names(c, d, value, a);
		if (m == 1 && !*matched)
			*matched = d;
		else if (m < 0)
			*undetermined = 1;
	}
	if (x->wild_other || (x->wild_rule && rule_arn) ||
	    (x->wild_topic && aws_field_eq(a->service, a->service_len, "sns") && seg == a->resource) ||
	    (x->wild_bucket && aws_field_eq(a->service, a->service_len, "s3") && seg == a->resource))
		*undetermined = 1;
}

/*
 * For messages: the candidate that best shows what the hand-built ARN meant.
 * One whose physical name occurs in the ARN's resource wins, then one in the
 * ARN's region; among equals the first. Short ARNs enumerate their
 * substrings against the name index; otherwise (few candidates) every
 * candidate is compared.
 */
static const struct pol_resource *lam_example(struct pol_ctx *c, const struct lam_src_index *x, const struct aws_arn *a)
{
	char *res = arena_strndup(pol_arena(c), a->resource, a->resource_len);
	size_t len = res ? strlen(res) : 0, best = SIZE_MAX, best_key = 0;

	if (!res || (len + 1) * (len + 2) / 2 > x->n) {
		for (size_t r = 0; r < x->n; r++) {
			const struct lam_cand *k = &x->c[r];
			size_t key = (size_t)(res && strstr(res, k->phys)) * 2 +
				     (size_t)(k->region && aws_field_eq(a->region, a->region_len, k->region));
			if (best == SIZE_MAX || key > best_key)
				best = r, best_key = key;
		}
		return x->n ? x->c[best].r : NULL;
	}
	/* Names that occur in the resource: every substring, the empty one included, probed once. */
	size_t name_first = SIZE_MAX, name_reg_first = SIZE_MAX;
	for (size_t i = 0; i <= len; i++) {
		uint64_t h = SMAP_FNV_BASIS;
		for (size_t j = i; j <= len; j++) {
			if (j > i) {
				h ^= (unsigned char)res[j - 1];
				h *= SMAP_FNV_PRIME;
			} else if (i > 0) {
				continue;   /* the empty substring only once */
			}
			SMAP_FOREACH_N(&x->by_phys, res + i, j - i, h, e) {
				size_t r = x->by_phys.ents[e - 1].val;
				const struct lam_cand *k = &x->c[r];
				if (r < name_first)
					name_first = r;
				if (r < name_reg_first && k->region && aws_field_eq(a->region, a->region_len, k->region))
					name_reg_first = r;
			}
		}
	}
	if (name_reg_first != SIZE_MAX)
		return x->c[name_reg_first].r;
	if (name_first != SIZE_MAX)
		return x->c[name_first].r;
	if (a->region_len) {
		size_t e = smap_next_n(&x->by_region, a->region, a->region_len, smap_hash(a->region, a->region_len), 0);
		if (e)
			return x->c[x->by_region.ents[e - 1].val].r;
	}
	return x->n ? x->c[0].r : NULL;
}

/* sourceArn is a known string not derived from a source resource: is it one of ours? */
static void lam_judge_literal(struct pol_ctx *c, const struct stk_index *s, struct lam_stack *ls,
			      const struct pol_resource *p, const struct lam_source *src, const char *value, int secret)
{
	struct aws_arn a;
	const struct pol_resource *first = NULL, *matched = NULL;
	struct lam_src_index *x;
	size_t n_cand;
	int undetermined = 0;
	const char *shown = secret ? "(secret)" : value;
	const char *pr;

	if (aws_output_marker_in(value)) {
		pol_report(c, p->urn, "sourceArn",
			   "sourceArn of permission %s contains \"%s\", the text a Pulumi SDK substitutes when an Output "
			   "is formatted into a string: pass the source's arn output itself (rule.arn, topic.arn, ...).",
			   p->name, aws_output_marker_in(value));
		return;
	}
	if (aws_arn_parse(value, &a) != 0) {
		pol_report(c, p->urn, "sourceArn",
			   "sourceArn of permission %s is \"%s\", which is not an ARN: set it to the arn output of the "
			   "resource that invokes the function.", p->name, shown);
		return;
	}
	if (!src)
		return;
	x = &ls->idx[src - lam_sources];
	if (!x->built && lam_index_build(c, s, src, x) < 0)
		return;
	n_cand = x->n;
	lam_find_named(c, x, value, &a, &matched, &undetermined);
	if (matched) {
		lam_check_same_region(c, p, src, matched);
		return;
	}
	if (n_cand > 0 && !undetermined) {
		first = lam_example(c, x, &a);
		const char *want = lam_expected_arn(c, first);
		int autonamed = !pv_get(first->props, strncmp(first->type, "aws:s3/", 7) == 0 ? "bucket" : "name");
		pol_report(c, p->urn, "sourceArn",
			   "sourceArn of permission %s is the hand-built ARN \"%s\", which names no %s in this stack "
			   "(%zu present, e.g. %s%s%s%s%s): set sourceArn to the %s's arn output (rule.arn) instead of "
			   "formatting region, account and name yourself.",
			   p->name, shown, src->what, n_cand, first->name, want ? " = \"" : "", want ? want : "",
			   want ? "\"" : "",
			   autonamed ? ", which is auto-named: its physical name carries a random suffix" : "",
			   src->what);
		return;
	}
	/* A source outside this stack: at least it must be in the function's region. */
	pr = lam_region_of(c, p);
	if (src->same_region && a.region_len > 0 && pr && !aws_field_eq(a.region, a.region_len, pr))
		pol_report(c, p->urn, "sourceArn",
			   "sourceArn of permission %s names region %.*s but the permission (and its function) is in %s: "
			   "the %s cannot invoke a function in another region.",
			   p->name, (int)a.region_len, a.region, pr, src->what);
}

static int lam_present(const pv_value *v)
{
	const char *s;
	if (pv_kind(v) == PV_UNKNOWN)
		return 1;
	return pv_get_str(v, &s) == PV_OK && *s;
}

static void lam_check_permission(struct pol_ctx *c, const struct stk_index *s, struct lam_stack *ls,
				 const struct pol_resource *p)
{
	const char *principal = NULL, *value = NULL, *action;
	const pv_value *sa = pv_get(p->props, "sourceArn");
	const struct lam_source *src;
	char *const *urns;
	size_t n_deps;
	int rc = pv_get_str(pv_get(p->props, "principal"), &principal), need_arn;

	if (rc == PV_EUNKNOWN) {
		pol_unknown(c, "principal");
		return;
	}
	if (rc != PV_OK)
		return;
	if (strcmp(principal, "*") == 0) {
		action = pv_str(pv_get(p->props, "action"));
		if (lam_present(pv_get(p->props, "principalOrgId")))
			return;
		if (action && strcmp(action, "lambda:InvokeFunctionUrl") == 0 && pol_cfg_bool(c, "allowPublicFunctionUrls"))
			return;
		/*
		 * Since October 2025 a public function URL also needs lambda:InvokeFunction
		 * for "*", limited to calls through the URL by invokedViaFunctionUrl.
		 */
		if (action && strcmp(action, "lambda:InvokeFunction") == 0 && pol_cfg_bool(c, "allowPublicFunctionUrls")) {
			int via_url = 0;
			int vrc = pv_get_bool(pv_get(p->props, "invokedViaFunctionUrl"), &via_url);
			if (vrc == PV_EUNKNOWN) {
				pol_unknown(c, "invokedViaFunctionUrl");
				return;
			}
			if (vrc == PV_OK && via_url)
				return;
		}
		pol_report(c, p->urn, "principal",
			   "principal of permission %s is \"*\": any AWS account can invoke the function. Name the "
			   "service principal (e.g. \"events.amazonaws.com\") and set sourceArn to the resource that "
			   "invokes it, or restrict with principalOrgId.", p->name);
		return;
	}
	if (!lam_ends_with(principal, ".amazonaws.com"))
		return;   /* account and role principals are IAM's business */
	src = lam_source_for(principal);
	need_arn = (src && src->need_arn) || pol_cfg_list_has(c, "extraPrincipalsRequiringSourceArn", principal);
	n_deps = stk_prop_deps(p, "sourceArn", &urns);

	if (pv_kind(sa) == PV_UNKNOWN) {
		if (n_deps == 0) {
			pol_unknown(c, "sourceArn");
			return;
		}
		lam_judge_deps(c, s, p, src, urns, n_deps, NULL);
		return;
	}
	/* "" (or a non-string) is as good as absent. */
	if (pv_get_str(sa, &value) != PV_OK || !*value) {
		int has_acct = lam_present(pv_get(p->props, "sourceAccount"));
		if (has_acct && !need_arn)
			return;
		if (has_acct)
			pol_report(c, p->urn, "sourceArn",
				   "permission %s lets %s invoke the function with only sourceAccount: any %s in that "
				   "account could invoke it. Set sourceArn to the %s's arn output.",
				   p->name, principal, src ? src->what : "resource of that service",
				   src ? src->what : "source resource");
		else
			pol_report(c, p->urn, "sourceArn",
				   "permission %s lets %s invoke the function without sourceArn or sourceAccount: any "
				   "%s in any AWS account can invoke it (confused deputy). Set sourceArn to the %s's arn "
				   "output.",
				   p->name, principal, src ? src->what : "resource of that service",
				   src ? src->what : "source resource");
		return;
	}
	if (src && strcmp(src->principal, "events.amazonaws.com") == 0 && strchr(value, '*')) {
		pol_report(c, p->urn, "sourceArn",
			   "sourceArn of permission %s is a wildcard (%s): name the one EventBridge rule that invokes "
			   "the function (rule.arn).", p->name, pv_is_secret(sa) ? "(secret)" : value);
		return;
	}
	if (n_deps > 0 && lam_judge_deps(c, s, p, src, urns, n_deps, value))
		return;
	lam_judge_literal(c, s, ls, p, src, value, pv_is_secret(sa));
}

static void check_permission_source(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *p;
	struct lam_stack *ls = arena_alloc(pol_arena(c), sizeof(*ls));   /* zeroed: indexes built on demand */

	if (!ls)
		return;
	STK_FOREACH_TYPE(s, LAM_PERMISSION, p)
		lam_check_permission(c, s, ls, p);
}

/* ---- the table ------------------------------------------------------------------------ */

static const struct pol_doc doc_runtime = {
	.why = "Seeds 000/001 #3: functions were created with python3.9, past end of support (no security "
	       "patches, and AWS will block creating and then updating such functions).",
	.fail_ts = "new aws.lambda.Function(\"orders\", { runtime: \"python3.9\", ... });",
	.fixed_ts = "new aws.lambda.Function(\"orders\", { runtime: aws.lambda.Runtime.Python3d12, ... });",
	.fail_py = "aws.lambda_.Function(\"orders\", runtime=\"python3.9\", ...)",
	.fixed_py = "aws.lambda_.Function(\"orders\", runtime=\"python3.12\", ...)",
};

static const struct pol_doc doc_soon = {
	.why = "A runtime close to end of support needs an upgrade plan before AWS stops patching it.",
	.fail_ts = "runtime: \"nodejs22.x\"  // end of support 2027-04-30",
	.fixed_ts = "runtime: \"nodejs24.x\"",
	.fail_py = "runtime=\"python3.11\"  # end of support 2027-06-30",
	.fixed_py = "runtime=\"python3.13\"",
};

static const struct pol_doc doc_xray = {
	.why = "Seeds 000/001 #4: the requirement was X-Ray tracing on every Lambda; the functions had no "
	       "tracing_config, so nothing was traced.",
	.fail_ts = "new aws.lambda.Function(\"orders\", { runtime: \"nodejs22.x\", ... });",
	.fixed_ts = "new aws.lambda.Function(\"orders\", { ..., tracingConfig: { mode: \"Active\" } });",
	.fail_py = "aws.lambda_.Function(\"orders\", runtime=\"python3.12\", ...)",
	.fixed_py = "aws.lambda_.Function(\"orders\", ...,\n"
		    "    tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode=\"Active\"))",
};

static const struct pol_doc doc_env = {
	.why = "Setting a reserved variable such as AWS_REGION makes CreateFunction fail at deploy time.",
	.fail_ts = "environment: { variables: { AWS_REGION: region } }",
	.fixed_ts = "environment: { variables: { TABLE_REGION: region } }",
	.fail_py = "environment={\"variables\": {\"AWS_REGION\": region}}",
	.fixed_py = "environment={\"variables\": {\"TABLE_REGION\": region}}",
};

static const struct pol_doc doc_permission = {
	.why = "Seeds 000/001 #8 and 002 #4: Permission.source_arn was formatted by hand "
	       "(f\"arn:aws:events:{region}:{account}:rule/{rule_name}\") or pointed at a rule in another region, "
	       "so the invoke permission did not match the real rule.",
	.fail_ts = "new aws.lambda.Permission(\"invoke\", { principal: \"events.amazonaws.com\", function: fn.name,\n"
		   "    action: \"lambda:InvokeFunction\", sourceArn: `arn:aws:events:${region}:${account}:rule/${ruleName}` });",
	.fixed_ts = "new aws.lambda.Permission(\"invoke\", { principal: \"events.amazonaws.com\", function: fn.name,\n"
		    "    action: \"lambda:InvokeFunction\", sourceArn: rule.arn }, { provider });",
	.fail_py = "aws.lambda_.Permission(\"invoke\", principal=\"events.amazonaws.com\", function=fn.name,\n"
		   "    action=\"lambda:InvokeFunction\", source_arn=f\"arn:aws:events:{region}:{account_id}:rule/{rule_name}\")",
	.fixed_py = "aws.lambda_.Permission(\"invoke\", principal=\"events.amazonaws.com\", function=fn.name,\n"
		    "    action=\"lambda:InvokeFunction\", source_arn=rule.arn, opts=ResourceOptions(provider=provider))",
};

static const struct policy policies[] = {
	{
		.name = "lambda-runtime-supported",
		.display_name = "Lambda runtime is supported",
		.description = "Lambda functions must use a runtime that has not reached end of support and meets the minimum version per language.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(LAM_FUNCTION),
		.config_schema =
			"{\"asOfDate\":{\"type\":\"string\",\"default\":\"\",\"pattern\":\"^(|today|[0-9]{4}-[0-9]{2}-[0-9]{2})$\","
			"\"description\":\"Evaluation date YYYY-MM-DD. Empty = the runtime table's as-of date (reproducible "
			"results); \\\"today\\\" = the clock.\"},"
			"\"minimumVersions\":{\"type\":\"object\",\"default\":{\"python\":\"3.11\",\"nodejs\":\"22\",\"java\":\"17\","
			"\"dotnet\":\"10\",\"ruby\":\"3.3\",\"provided\":\"al2023\"},"
			"\"description\":\"Minimum version per runtime family (python, nodejs, java, dotnet, ruby, provided); "
			"a configured object replaces the default one.\"},"
			"\"allowedRuntimes\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"If non-empty, only these runtimes (globs) are accepted; deprecation still applies.\"}}",
		.remediation_steps = "Set runtime to a supported identifier (e.g. python3.12, nodejs22.x), test, and redeploy.",
		.tags = "lambda,runtime,lifecycle",
		.url = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
		.check = check_runtime_supported,
		.doc = &doc_runtime,
	},
	{
		.name = "lambda-runtime-deprecation-soon",
		.display_name = "Lambda runtime is not about to be deprecated",
		.description = "Lambda functions should not use a runtime whose end of support is near.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(LAM_FUNCTION),
		.config_schema =
			"{\"asOfDate\":{\"type\":\"string\",\"default\":\"\",\"pattern\":\"^(|today|[0-9]{4}-[0-9]{2}-[0-9]{2})$\","
			"\"description\":\"Evaluation date YYYY-MM-DD. Empty = the runtime table's as-of date; \\\"today\\\" = the clock.\"},"
			"\"warnWithinDays\":{\"type\":\"number\",\"default\":180,"
			"\"description\":\"Warn when end of support is at most this many days after the evaluation date.\"}}",
		.remediation_steps = "Plan the move to the newest runtime of the same language.",
		.tags = "lambda,runtime,lifecycle",
		.url = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated",
		.check = check_runtime_deprecation_soon,
		.doc = &doc_soon,
	},
	{
		.name = "lambda-xray-tracing-active",
		.display_name = "Lambda X-Ray tracing is active",
		.description = "Lambda functions must enable active X-Ray tracing.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(LAM_FUNCTION),
		.config_schema =
			"{\"allowPassThrough\":{\"type\":\"boolean\",\"default\":false,"
			"\"description\":\"Accept tracingConfig.mode \\\"PassThrough\\\" (trace only requests that arrive sampled).\"}}",
		.remediation_steps = "Set tracingConfig: { mode: \"Active\" } and grant the role xray:PutTraceSegments / "
				     "xray:PutTelemetryRecords (AWSXRayDaemonWriteAccess). The remediate level does the first part.",
		.tags = "lambda,observability",
		.url = "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
		.check = check_xray_tracing,
		.remediate = remediate_xray_tracing,
		.doc = &doc_xray,
	},
	{
		.name = "lambda-no-reserved-env-vars",
		.display_name = "Lambda environment variables are not reserved names",
		.description = "Lambda functions must not set environment variables that Lambda reserves (AWS_REGION, _HANDLER, ...).",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(LAM_FUNCTION),
		.remediation_steps = "Rename the variable; the runtime already provides the reserved ones.",
		.tags = "lambda,correctness",
		.url = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime",
		.check = check_reserved_env,
		.doc = &doc_env,
	},
	{
		.name = "lambda-permission-source-restricted",
		.display_name = "Lambda invoke permissions name their source",
		.description = "Lambda permissions for AWS services must be restricted to the resource that invokes the function, taken from that resource's ARN.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(LAM_PERMISSION),
		.config_schema =
			"{\"allowPublicFunctionUrls\":{\"type\":\"boolean\",\"default\":true,"
			"\"description\":\"Accept principal \\\"*\\\" for action lambda:InvokeFunctionUrl, and for lambda:InvokeFunction with invokedViaFunctionUrl: true (public function URLs).\"},"
			"\"extraPrincipalsRequiringSourceArn\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Service principals for which sourceAccount alone is not enough (events.amazonaws.com always).\"}}",
		.remediation_steps = "Set principal to the service (events.amazonaws.com, s3.amazonaws.com, ...) and sourceArn "
				     "to the invoking resource's arn output (rule.arn, bucket.arn, topic.arn), created with the "
				     "same regional provider as the function.",
		.tags = "lambda,iam,security",
		.url = "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
		.check_stack = check_permission_source,
		.doc = &doc_permission,
	},
};

const struct pol_family pol_family_lambda = { "lambda", policies, sizeof(policies) / sizeof(policies[0]) };
