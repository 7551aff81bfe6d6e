/*
 * stack.c - policy family "stack" (see families.h): stack outputs and
 * per-region sizing.
 *
 * Stack outputs are the properties of the `pulumi:pulumi:Stack` resource in
 * AnalyzeStack. Outputs hold values, not references: an output "refers" to a
 * resource when it contains one of the resource's identifying values (id,
 * ARN, name, DNS name, URL). In preview those values are often unknown; then
 * an output that is itself unknown and whose key names the resource (or its
 * kind) is given the benefit of the doubt, so previews stay quiet.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "policy.h"
#include "stack.h"

/* ---- shared helpers -------------------------------------------------------- */

/* Lower-case alphanumerics of `s` (so "nat_gateway-IDs" becomes "natgatewayids"). */
static char *stk_norm(struct arena *a, const char *s)
{
	size_t n = strlen(s), k = 0;
	char *o = arena_alloc(a, n + 1);
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= 'A' && ch <= 'Z')
			o[k++] = (char)(ch - 'A' + 'a');
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			o[k++] = ch;
	}
	o[k] = '\0';
	return o;
}

/*
 * A component resource (its properties are the outputs it registered):
 * not a provider resource ("pkg:module/sub:Type" always has a '/'), not
 * pulumi:*.
 */
static int stk_is_component(const struct pol_resource *r)
{
	return strncmp(r->type, "pulumi:", 7) != 0 && !strchr(r->type, '/');
}

/* ---- stack-outputs-required ------------------------------------------------ */

/* A program identifier made from a logical name: camelCase (snake = 0) or snake_case. */
static const char *stk_ident(struct arena *a, const char *name, int snake)
{
	size_t n = strlen(name), k = 0;
	char *o = arena_alloc(a, 2 * n + 2);
	int up = 0;
	if (!o)
		return "res";
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];
		int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (!alnum) {
			up = k > 0;
			continue;
		}
		if (k == 0 && ch >= '0' && ch <= '9')
			o[k++] = 'r';
		if (up && snake)
			o[k++] = '_';
		if (up && !snake && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (snake && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		o[k++] = ch;
		up = 0;
	}
	o[k] = '\0';
	return k ? o : "res";
}

/* The output property that identifies a resource of `type`: "id" for VPC plumbing and APIs, bucket/table names, else "arn". */
static const char *stk_ident_prop(const char *type, int capital)
{
	int id = strncmp(type, "aws:ec2/", 8) == 0 || strncmp(type, "aws:apigateway", 14) == 0;
	if (strncmp(type, "aws:s3/", 7) == 0)
		return capital ? "Bucket" : "bucket";
	if (strncmp(type, "aws:dynamodb/", 13) == 0)
		return capital ? "Name" : "name";
	return id ? (capital ? "Id" : "id") : (capital ? "Arn" : "arn");
}

/* Output words that name each operator-critical kind of resource. */
static const struct {
	const char *type;
	const char *words[6];
} stk_nouns[] = {
	{ "aws:lambda/function:Function", { "function", "lambda", "handler", "fn", NULL } },
	{ "aws:dynamodb/table:Table", { "table", "dynamo", "ddb", NULL } },
	{ "aws:s3/bucket:Bucket", { "bucket", "s3", NULL } },
	{ "aws:s3/bucketV2:BucketV2", { "bucket", "s3", NULL } },
	{ "aws:sns/topic:Topic", { "topic", "sns", NULL } },
	{ "aws:lb/loadBalancer:LoadBalancer", { "loadbalancer", "alb", "nlb", "elb", "lb", NULL } },
	{ "aws:alb/loadBalancer:LoadBalancer", { "loadbalancer", "alb", "nlb", "elb", "lb", NULL } },
	{ "aws:cloudfront/distribution:Distribution", { "distribution", "cloudfront", "cdn", NULL } },
	{ "aws:apigateway/restApi:RestApi", { "api", "gateway", "endpoint", NULL } },
	{ "aws:apigatewayv2/api:Api", { "api", "gateway", "endpoint", NULL } },
	{ "aws:ec2/natGateway:NatGateway", { "nat", NULL } },
	{ "aws:ec2/routeTable:RouteTable", { "routetable", "rtb", "route", NULL } },
};

/* Top-level properties that identify a resource to an operator. */
static const char *const stk_ident_keys[] = {
	"id", "arn", "name", "bucket", "functionName", "dnsName", "domainName", "url", "invokeUrl",
	"apiEndpoint", "executionArn", "qualifiedArn", "aliases", NULL,
};

struct stk_out {
	const struct pol_resource *owner;   /* the stack, or the component that registered it */
	const char *key;        /* output key */
	const char *norm;       /* normalised key */
	int unknown;            /* the value is or contains an unknown */
	size_t n_str;
	const char **str;       /* known string leaves */
};

struct stk_outs {
	size_t n, cap;
	struct stk_out *v;
};

/* Collect the known string leaves of `v` (bounded depth). */
static void stk_leaves(struct arena *a, const pv_value *v, struct stk_out *o, size_t *cap, int depth)
{
	const pv_value *e;
	const char *k, *s;
	if (depth > 8)
		return;
	switch (pv_kind(v)) {
	case PV_STRING:
		s = pv_str(v);
		if (s && *s) {
			const char **nv = arena_grow(a, o->str, o->n_str, cap, sizeof(*nv));
			if (!nv)
				return;
			o->str = nv;
			o->str[o->n_str++] = s;
		}
		break;
	case PV_LIST:
		PV_LIST_FOREACH(i, e, v)
			stk_leaves(a, e, o, cap, depth + 1);
		break;
	case PV_OBJECT:
		PV_OBJ_FOREACH(i, k, e, v)
			stk_leaves(a, e, o, cap, depth + 1);
		break;
	default:
		break;
	}
}

/* Append the outputs of `owner` (the stack, or a component) to the index. */
static void stk_outs_add(struct arena *a, const struct pol_resource *owner, struct stk_outs *out)
{
	const char *k;
	const pv_value *v;
	size_t n = pv_obj_size(owner->props);
	if (out->n + n > out->cap) {
		size_t nc = (out->n + n) * 2;
		struct stk_out *nv = arena_alloc(a, nc * sizeof(*nv));
		if (!nv)
			return;
		if (out->n)
			memcpy(nv, out->v, out->n * sizeof(*nv));
		out->v = nv;
		out->cap = nc;
	}
	PV_OBJ_FOREACH(i, k, v, owner->props) {
		struct stk_out *o = &out->v[out->n++];
		size_t cap = 0;
		memset(o, 0, sizeof(*o));
		o->owner = owner;
		o->key = k;
		o->norm = stk_norm(a, k);
		o->unknown = pv_has_unknown(v);
		stk_leaves(a, v, o, &cap, 0);
	}
}

/* What identifies one resource, computed once per resource. */
struct stk_needle {
	size_t n_ident;
	const char *ident[24];  /* known identifying values (id, ARN, name, aliases, ...) */
	const char *nname;      /* normalised logical name */
	const char *tword;      /* normalised type name ("natgateway") */
	const char *const *words;
};

static void stk_needle_make(struct arena *a, const struct pol_resource *r, struct stk_needle *nd)
{
	memset(nd, 0, sizeof(*nd));
	for (size_t k = 0; stk_ident_keys[k]; k++) {
		const pv_value *v = pv_get(r->props, stk_ident_keys[k]);
		size_t n = pv_kind(v) == PV_LIST ? pv_len(v) : 1;
		for (size_t x = 0; x < n && nd->n_ident < sizeof(nd->ident) / sizeof(nd->ident[0]); x++) {
			const char *s = pv_str(pv_kind(v) == PV_LIST ? pv_at(v, x) : v);
			if (s && strlen(s) >= 4 && !pv_is_unknown_sentinel(s))
				nd->ident[nd->n_ident++] = s;
		}
	}
	nd->nname = stk_norm(a, r->name);
	const char *last = strrchr(r->type, ':');
	nd->tword = last ? stk_norm(a, last + 1) : NULL;
	for (size_t t = 0; t < sizeof(stk_nouns) / sizeof(stk_nouns[0]); t++)
		if (strcmp(stk_nouns[t].type, r->type) == 0)
			nd->words = stk_nouns[t].words;
}

static int stk_word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/* `needle` occurs in `hay` as a whole token ("topic-1" is not in "topic-10"). */
static int stk_has_token(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		if ((p == hay || !stk_word_char(p[-1])) && !stk_word_char(p[n]))
			return 1;
	return 0;
}

/*
 * The first output of `outs` that refers to the resource: one that holds one
 * of its identifying values, else (preview) an unknown output named after
 * the resource or its kind. NULL when none does.
 */
static const struct stk_out *stk_refers(const struct stk_outs *outs, const struct stk_needle *nd)
{
	for (size_t i = 0; i < outs->n; i++)
		for (size_t j = 0; j < outs->v[i].n_str; j++)
			for (size_t k = 0; k < nd->n_ident; k++)
				if (stk_has_token(outs->v[i].str[j], nd->ident[k]))
					return &outs->v[i];
	for (size_t i = 0; i < outs->n; i++) {
		const struct stk_out *o = &outs->v[i];
		if (!o->unknown || !o->norm)
			continue;
		if (nd->nname && strlen(nd->nname) >= 3 && strstr(o->norm, nd->nname))
			return o;
		if (nd->tword && *nd->tword && strstr(o->norm, nd->tword))
			return o;
		for (size_t w = 0; nd->words && nd->words[w]; w++)
			if (strstr(o->norm, nd->words[w]))
				return o;
	}
	return NULL;
}

static void check_outputs_required(struct pol_ctx *c, const struct stk_index *s)
{
	struct arena *a = pol_arena(c);
	const struct pol_resource *root = stk_root(s);
	struct stk_outs outs = { 0, 0, NULL }, comps = { 0, 0, NULL };
	int comps_built = 0;
	if (!root) {
		pol_not_applicable(c, "the request has no pulumi:pulumi:Stack resource, so the stack outputs are not visible");
		return;
	}
	stk_outs_add(a, root, &outs);
	for (size_t i = 0; i < s->n; i++) {
		const struct pol_resource *r = &s->res[i];
		struct stk_needle nd;
		if (!pol_cfg_list_has(c, "operatorTypes", r->type))
			continue;
		stk_needle_make(a, r, &nd);
		if (stk_refers(&outs, &nd))
			continue;
		/* Outputs registered on components: indexed only when needed. */
		if (!comps_built) {
			for (size_t k = 0; k < s->n; k++)
				if (stk_is_component(&s->res[k]))
					stk_outs_add(a, &s->res[k], &comps);
			comps_built = 1;
		}
		const struct stk_out *co = stk_refers(&comps, &nd);
		const char *last = strrchr(r->type, ':');
		const char *kind = last ? last + 1 : r->type;
		if (co)
			pol_report(c, r->urn, NULL, "this %s is only in the outputs registered on component \"%s\" (registerOutputs), which `pulumi stack output` and other stacks cannot see: also export it from the program (export const ... / pulumi.export(...)).", kind, co->owner->name);
		else
			pol_report(c, r->urn, NULL, "no stack output refers to this %s (by id, ARN, name or endpoint), so operators and runbooks must look it up by hand: export its identifier, e.g. `export const %s%s = %s.%s;` / `pulumi.export(\"%s_%s\", %s.%s)`.",
				   kind, stk_ident(a, r->name, 0), stk_ident_prop(r->type, 1), stk_ident(a, r->name, 0), stk_ident_prop(r->type, 0),
				   stk_ident(a, r->name, 1), stk_ident_prop(r->type, 0), stk_ident(a, r->name, 1), stk_ident_prop(r->type, 0));
	}
}

/* ---- stack-required-output-keys -------------------------------------------- */

/* Is the output empty (null, "", [], {})? Unknown values are not empty. */
static int stk_is_empty(const pv_value *v)
{
	switch (pv_kind(v)) {
	case PV_MISSING:
	case PV_NULL:
		return 1;
	case PV_STRING:
		return pv_str(v)[0] == '\0';
	case PV_LIST:
		return pv_len(v) == 0;
	case PV_OBJECT:
		return pv_obj_size(v) == 0;
	default:
		return 0;
	}
}

static void check_required_keys(struct pol_ctx *c, const struct stk_index *s)
{
	const pv_value *req = pol_cfg(c, "requiredOutputKeys"), *e, *v;
	const struct pol_resource *root = stk_root(s);
	const char *k;
	if (pv_len(req) == 0) {
		pol_not_applicable(c, "requiredOutputKeys is empty");
		return;
	}
	if (!root) {
		pol_not_applicable(c, "the request has no pulumi:pulumi:Stack resource, so the stack outputs are not visible");
		return;
	}
	PV_LIST_FOREACH(i, e, req) {
		const char *want = pv_str(e);
		int found = 0, empty = 0;
		if (!want || !*want)
			continue;
		PV_OBJ_FOREACH(j, k, v, root->props) {
			if (!pol_glob(want, k))
				continue;
			found = 1;
			empty = stk_is_empty(v);
			if (!empty)
				break;
		}
		if (found && !empty)
			continue;
		if (found) {
			pol_report(c, root->urn, want, "stack output \"%s\" is empty: export the real value (e.g. the resource's id or ARN), not an empty placeholder.", want);
			continue;
		}
		/* Registered on a component only? Then it exists but is not a stack output. */
		const struct pol_resource *comp = NULL;
		for (size_t r = 0; r < s->n && !comp; r++) {
			const struct pol_resource *x = &s->res[r];
			if (!stk_is_component(x))
				continue;
			PV_OBJ_FOREACH(j, k, v, x->props)
				if (pol_glob(want, k))
					comp = x;
		}
		if (comp)
			pol_report(c, root->urn, want, "required stack output \"%s\" is only registered on component \"%s\" (registerOutputs), which is not a stack output: export it from the program's top level (export const %s = ... / pulumi.export(\"%s\", ...)).", want, comp->name, want, want);
		else
			pol_report(c, root->urn, want, "required stack output \"%s\" is missing: export it (export const %s = ... / pulumi.export(\"%s\", ...)) so other stacks and operators can use it.", want, want, want);
	}
}

/* ---- stack-per-region-sizing ----------------------------------------------- */

struct stk_region_count {
	const char *region;
	double count;
	const struct pol_resource *first;
};

static void check_region_sizing(struct pol_ctx *c, const struct stk_index *s)
{
	struct arena *a = pol_arena(c);
	const pv_value *want = pol_cfg(c, "countsPerRegion"), *v, *tl = pol_cfg(c, "countedTypes"), *t;
	const char *k;
	if (pv_obj_size(want) == 0) {
		pol_not_applicable(c, "countsPerRegion is not configured");
		return;
	}
	struct stk_region_count *rc = arena_alloc(a, (s->n + pv_obj_size(want) + 1) * sizeof(*rc));
	size_t n_rc = 0;
	int unknown = 0;
	if (!rc)
		return;

	PV_LIST_FOREACH(i, t, tl) {
		const char *type = pv_str(t);
		const struct pol_resource *r;
		if (!type)
			continue;
		int asg = strcmp(type, "aws:autoscaling/group:Group") == 0;
		STK_FOREACH_TYPE(s, type, r) {
			const char *reg;
			double n = 1;
			int st = pol_region(c, r, &reg);
			if (st == PV_EUNKNOWN) {
				unknown = 1;
				continue;
			}
			if (st != PV_OK)
				continue;
			if (asg) {
				/* An Auto Scaling group stands for its desired (else minimum) capacity. */
				int q = pv_get_num(pv_get(r->props, "desiredCapacity"), &n);
				if (q == PV_EMISSING)
					q = pv_get_num(pv_get(r->props, "minSize"), &n);
				if (q == PV_EUNKNOWN) {
					unknown = 1;
					continue;
				}
				if (q != PV_OK)
					n = 0;
			}
			size_t j = 0;
			while (j < n_rc && strcmp(rc[j].region, reg) != 0)
				j++;
			if (j == n_rc) {
				rc[n_rc].region = reg;
				rc[n_rc].count = 0;
				rc[n_rc].first = r;
				n_rc++;
			}
			rc[j].count += n;
		}
	}
	if (unknown) {
		pol_unknown(c, "region");
		return;
	}

	char *types = NULL;
	PV_LIST_FOREACH(i, t, tl)
		if (pv_str(t))
			types = arena_printf(a, "%s%s%s", types ? types : "", types ? ", " : "", pv_str(t));
	PV_OBJ_FOREACH(i, k, v, want) {
		double exp;
		if (pv_get_num(v, &exp) != PV_OK)
			continue;
		const struct stk_region_count *got = NULL;
		for (size_t j = 0; j < n_rc; j++)
			if (strcmp(rc[j].region, k) == 0)
				got = &rc[j];
		double have = got ? got->count : 0;
		if (have == exp)
			continue;
		pol_report(c, got ? got->first->urn : NULL, NULL,
			   "%s has %g resource(s) of type %s but countsPerRegion expects %g: size each region from a per-region map (e.g. counts = config.requireObject(\"countsPerRegion\"); count = counts[region]) instead of one count applied to every region.",
			   k, have, types ? types : "counted resources", exp);
	}
	if (pol_cfg_bool(c, "flagUnlistedRegions")) {
		for (size_t j = 0; j < n_rc; j++) {
			if (pv_get(want, rc[j].region))
				continue;
			pol_report(c, rc[j].first->urn, NULL,
				   "%s has %g resource(s) of type %s but countsPerRegion has no entry for it: add \"%s\" to the per-region map (or remove the resources from that region).",
				   rc[j].region, rc[j].count, types ? types : "counted resources", rc[j].region);
		}
	}
}

/* ---- table ----------------------------------------------------------------- */

static const struct pol_doc doc_outputs = {
	.why = "Seed 003 #9 / 004 #10: the program exported a handful of values but not the operator-critical ones (NAT gateway IDs, route table IDs, topic and alarm ARNs, function names), or registered them on a component instead of the stack, so runbooks, integration tests and other stacks could not find them.",
	.fail_ts = "const nat = new aws.ec2.NatGateway(\"nat\", { /* ... */ });\nexport const vpcId = vpc.id;   // nat gateway not exported",
	.fixed_ts = "export const vpcId = vpc.id;\nexport const natGatewayIds = [nat.id];\nexport const privateRouteTableIds = [privateRt.id];\nexport const alarmTopicArn = topic.arn;",
	.fail_py = "nat = aws.ec2.NatGateway(\"nat\", ...)\npulumi.export(\"vpc_id\", vpc.id)",
	.fixed_py = "pulumi.export(\"vpc_id\", vpc.id)\npulumi.export(\"nat_gateway_ids\", [nat.id])\npulumi.export(\"private_route_table_ids\", [private_rt.id])\npulumi.export(\"alarm_topic_arn\", topic.arn)",
};

static const struct pol_doc doc_required = {
	.why = "Seed 004 #10 / 003 #9: outputs other stacks and operators rely on were missing or exported from the wrong scope. Listing them in requiredOutputKeys makes the contract explicit.",
	.fail_ts = "class App extends pulumi.ComponentResource { /* ... */ this.registerOutputs({ primaryAlbArn: alb.arn }); }\n// nothing exported from the program",
	.fixed_ts = "const app = new App(\"app\");\nexport const primaryAlbArn = app.albArn;",
	.fail_py = "class App(pulumi.ComponentResource):\n    ...\n    self.register_outputs({\"primary_alb_arn\": alb.arn})",
	.fixed_py = "app = App(\"app\")\npulumi.export(\"primary_alb_arn\", app.alb_arn)",
};

static const struct pol_doc doc_sizing = {
	.why = "Seed 004 #8: one instance-count value was applied uniformly to every region instead of a per-region mapping. With countsPerRegion configured, the pack compares the intended per-region counts with what the program actually creates.",
	.fail_ts = "const count = config.requireNumber(\"ec2InstanceCountPerRegion\");\nfor (const region of regions) for (let i = 0; i < count; i++) new aws.ec2.Instance(`web-${region}-${i}`, { /* ... */ }, { provider: providers[region] });",
	.fixed_ts = "const counts = config.requireObject<Record<string, number>>(\"instanceCountsPerRegion\");\nfor (const region of regions) for (let i = 0; i < counts[region]; i++) new aws.ec2.Instance(`web-${region}-${i}`, { /* ... */ }, { provider: providers[region] });",
	.fail_py = "count = config.require_int(\"ec2_instance_count_per_region\")\nfor region in regions:\n    for i in range(count): aws.ec2.Instance(f\"web-{region}-{i}\", ...)",
	.fixed_py = "counts = config.require_object(\"instance_counts_per_region\")\nfor region in regions:\n    for i in range(counts[region]): aws.ec2.Instance(f\"web-{region}-{i}\", ...)",
};

static const struct policy policies[] = {
	{
		.name = "stack-outputs-required",
		.display_name = "Operator-critical resources exported",
		.description = "Operator-critical resources (functions, tables, buckets, topics, load balancers, distributions, APIs, NAT gateways, route tables) should be referenced by a stack output.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES("pulumi:pulumi:Stack", "aws:lambda/function:Function", "aws:dynamodb/table:Table", "aws:s3/bucket:Bucket",
				   "aws:sns/topic:Topic", "aws:lb/loadBalancer:LoadBalancer", "aws:cloudfront/distribution:Distribution",
				   "aws:apigateway/restApi:RestApi", "aws:ec2/natGateway:NatGateway", "aws:ec2/routeTable:RouteTable"),
		.config_schema = "{\"operatorTypes\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"default\": ["
			"\"aws:lambda/function:Function\", \"aws:dynamodb/table:Table\", \"aws:s3/bucket:Bucket\", \"aws:s3/bucketV2:BucketV2\", "
			"\"aws:sns/topic:Topic\", \"aws:lb/loadBalancer:LoadBalancer\", \"aws:alb/loadBalancer:LoadBalancer\", "
			"\"aws:cloudfront/distribution:Distribution\", \"aws:apigateway/restApi:RestApi\", \"aws:apigatewayv2/api:Api\", "
			"\"aws:ec2/natGateway:NatGateway\", \"aws:ec2/routeTable:RouteTable\"], "
			"\"description\": \"Resource types that must be referenced by some stack output (add e.g. aws:cloudwatch/metricAlarm:MetricAlarm).\"}}",
		.remediation_steps = "Export each operator-critical resource's identifier from the program (export const x = res.id / res.arn / res.name; pulumi.export(...)), not only from a component's registerOutputs.",
		.tags = "stack,outputs,operations",
		.url = "https://www.pulumi.com/docs/iac/concepts/stacks/#outputs",
		.check_stack = check_outputs_required,
		.doc = &doc_outputs,
	},
	{
		.name = "stack-required-output-keys",
		.display_name = "Required stack outputs present",
		.description = "Every stack output listed in requiredOutputKeys must be exported with a non-empty value.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES("pulumi:pulumi:Stack"),
		.config_schema = "{\"requiredOutputKeys\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"default\": [], "
			"\"description\": \"Output keys (glob patterns with * and ?) the stack must export; empty = policy off.\"}}",
		.remediation_steps = "Export every required key from the program's top level with the real value (export const key = ...; pulumi.export(\"key\", ...)).",
		.tags = "stack,outputs,contracts",
		.url = "https://www.pulumi.com/docs/iac/concepts/stacks/#outputs",
		.check_stack = check_required_keys,
		.doc = &doc_required,
	},
	{
		.name = "stack-per-region-sizing",
		.display_name = "Per-region counts match configuration",
		.description = "The number of instances (or other counted resources) created in each region must match the configured per-region counts.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES("aws:ec2/instance:Instance", "aws:autoscaling/group:Group"),
		.config_schema = "{\"countsPerRegion\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\", \"minimum\": 0}, \"default\": {}, "
			"\"description\": \"Expected count per region, e.g. {\\\"us-east-1\\\": 3, \\\"us-west-2\\\": 2}; empty = policy off.\"}, "
			"\"countedTypes\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"default\": [\"aws:ec2/instance:Instance\"], "
			"\"description\": \"Resource types counted per effective region (an aws:autoscaling/group:Group counts its desiredCapacity).\"}, "
			"\"flagUnlistedRegions\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Report regions that have counted resources but no entry in countsPerRegion.\"}}",
		.remediation_steps = "Drive each region's count from a per-region map (config object keyed by region) instead of one count for every region.",
		.tags = "stack,multi-region,capacity",
		.url = "https://www.pulumi.com/docs/iac/concepts/config/#structured-configuration",
		.check_stack = check_region_sizing,
		.doc = &doc_sizing,
	},
};

const struct pol_family pol_family_stack = { "stack", policies, sizeof(policies) / sizeof(policies[0]) };
