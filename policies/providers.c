/*
 * providers.c - policy family "providers" (see families.h): which AWS
 * provider a resource is bound to, the provider's region, credentials,
 * assumed roles and default tags.
 *
 * Seeds: 000/001 #1, #2, #7, #11 (primary region left on the default provider
 * by `provider if region != "us-east-1" else None`), 002 #1 (assume-role
 * provider created but never passed), 003 #1 (no provider at all: resources
 * land in whatever region the default provider picks).
 *
 * Provider inputs arrive as the provider's *inputs*, with every non-string
 * field JSON-encoded (rule-catalog 0.4): `assumeRole` (v6) is an object in
 * JSON text, `assumeRoles` (v7) a list in JSON text, `defaultTags` is
 * `{"tags":{...}}` in JSON text. pv_json accepts both text and objects.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "aws.h"
#include "policy.h"
#include "ptrhash.h"
#include "stack.h"

#define PROV_TYPE "pulumi:providers:aws"

/* ---- helpers ----------------------------------------------------------------- */

/*
 * A custom resource of the AWS provider: "aws:<module>/<resource>:<Type>".
 * Tokens without the '/' ("aws:cloudwatch:EventRuleEventSubscription",
 * "aws:s3:BucketEventSubscription", ...) are component resources the
 * @pulumi/aws SDK defines (onSchedule, onObjectCreated, ... mixins); they
 * have no provider of their own, their children do.
 */
static int prov_is_aws_resource(const char *type)
{
	return strncmp(type, "aws:", 4) == 0 && strchr(type + 4, '/') != NULL;
}

/*
 * Default providers are named "default" or "default_<major>_<minor>_<patch>..."
 * (engine ProviderRequest.Name()). The engine's own test only looks at the
 * "default" prefix; a provider a program names "default-east" is still an
 * explicit provider configured by the program, so it is not reported here.
 */
static int prov_is_default(const char *type, const char *urn, const char *name)
{
	if (!pol_is_default_provider(type, urn, name))
		return 0;
	if (!name || !*name)
		name = pol_urn_name(urn);
	return strcmp(name, "default") == 0 ||
	       (strncmp(name, "default_", 8) == 0 && name[8] >= '0' && name[8] <= '9');
}

static int prov_on_default(const struct pol_resource *r)
{
	return !*r->provider_urn || prov_is_default(r->provider_type, r->provider_urn, r->provider_name);
}

/*
 * Does provider reference `ref` name the provider resource `urn`? State files
 * spell references "<urn>::<id>", requests spell the bare URN.
 */
static int prov_ref_is(const char *ref, const char *urn)
{
	size_t n = strlen(urn);
	return strncmp(ref, urn, n) == 0 && (ref[n] == '\0' || strncmp(ref + n, "::", 2) == 0);
}

/*
 * pol_region, except that an unknown `region` *output* (pulumi-aws v7 reports
 * the computed region of a new resource as unknown in a preview) falls back
 * to the provider's region, which is the only value it can take. Stack
 * policies see outputs; resource policies see inputs, where an unknown
 * region is a real unknown and this function is not used.
 */
static int prov_stack_region(struct pol_ctx *c, const struct pol_resource *r, const char **out)
{
	int rc = pol_region(c, r, out);
	const char *reg;

	if (rc == PV_EUNKNOWN && pv_kind(pv_get(r->props, "region")) == PV_UNKNOWN &&
	    pv_get_str(pv_get(r->provider_props, "region"), &reg) == PV_OK && *reg) {
		*out = reg;
		return PV_OK;
	}
	return rc;
}

/* "region us-east-1 from stack config aws:region" style phrase for messages. */
static const char *prov_region_phrase(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *reg = NULL;
	int rc = pol_region(c, r, &reg);

	if (rc == PV_OK)
		return arena_printf(pol_arena(c), "region %s", reg);
	if (rc == PV_EUNKNOWN)
		return "region not known until the update runs";
	return "no region configured, so the AWS_REGION of whoever runs pulumi decides";
}

/*
 * Parse a JSON-text-or-object provider input. Returns the value, or NULL with
 * *unknown set when it is unknown; NULL for absent, "null", "" and garbage.
 */
static const pv_value *prov_json_input(struct pol_ctx *c, const pv_value *props, const char *key, int *unknown)
{
	const pv_value *v = pv_get(props, key);
	int err = 0;
	const pv_value *j;
	const char *s;

	*unknown = 0;
	if (pv_kind(v) == PV_UNKNOWN) {
		*unknown = 1;
		return NULL;
	}
	if (pv_get_str(v, &s) == PV_OK && (!*s || strcmp(s, "null") == 0))
		return NULL;
	j = pv_json(pol_arena(c), v, &err, NULL);
	if (err == PV_EUNKNOWN)
		*unknown = 1;
	return j;
}

/* ---- aws-explicit-provider-required ------------------------------------------ */

static void check_explicit_provider(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *how;

	if (pol_cfg_bool(c, "allowDefaultProvider")) {
		pol_not_applicable(c, "allowDefaultProvider is set");
		return;
	}
	if (pol_cfg_list_glob(c, "exemptTypes", r->type)) {
		pol_not_applicable(c, "resource type is listed in exemptTypes");
		return;
	}
	if (!prov_is_aws_resource(r->type)) {
		pol_not_applicable(c, "component resource: its children carry the provider");
		return;
	}
	if (!prov_on_default(r))
		return;
	how = *r->provider_urn ? "is bound to the default AWS provider" : "has no AWS provider";
	pol_report(c, NULL, NULL,
		   "%s %s (%s): create an aws.Provider with an explicit region and pass it with "
		   "opts provider=... (or through a parent component's providers) so the resource cannot "
		   "land in an unintended region or account.",
		   r->name, how, prov_region_phrase(c, r));
}

/* ---- aws-provider-region-valid ------------------------------------------------ */

/* Judge one region value found at `path`; reports and returns 1 when it is wrong. */
static int prov_judge_region(struct pol_ctx *c, const char *path, const char *region)
{
	enum aws_region_status st = aws_region_check(region);
	const pv_value *allowed = pol_cfg(c, "allowedRegions");

	switch (st) {
	case AWS_REGION_AZ:
		pol_report(c, NULL, path,
			   "%s is \"%s\", an availability zone, not a region: use the region code "
			   "(for example \"us-east-1\" for \"us-east-1a\") and put zones on subnets.",
			   path, region);
		return 1;
	case AWS_REGION_MALFORMED:
		pol_report(c, NULL, path,
			   "%s is \"%s\", which is not an AWS region code: use a lowercase code such as "
			   "\"us-east-1\" or \"eu-west-2\".",
			   path, region);
		return 1;
	case AWS_REGION_WELL_FORMED:
		if (!pol_cfg_bool(c, "allowWellFormedUnknownRegions")) {
			pol_report(c, NULL, path,
				   "%s is \"%s\", which is not in the pack's region list (as of %s): check the "
				   "spelling, or set allowWellFormedUnknownRegions for a newly launched region.",
				   path, region, aws_regions_as_of);
			return 1;
		}
		break;
	case AWS_REGION_KNOWN:
		break;
	}
	if (pv_len(allowed) > 0 && !pol_cfg_list_has(c, "allowedRegions", region)) {
		pol_report(c, NULL, path, "%s is \"%s\", which is not one of the allowedRegions: deploy to an allowed region.",
			   path, region);
		return 1;
	}
	if (pol_cfg_list_has(c, "deniedRegions", region)) {
		pol_report(c, NULL, path, "%s is \"%s\", which is listed in deniedRegions: deploy to another region.",
			   path, region);
		return 1;
	}
	return 0;
}

static void check_region_valid(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *region = NULL;
	const pv_value *v = pv_get(r->props, "region");
	int rc = pv_get_str(v, &region);

	if (rc == PV_EUNKNOWN) {
		pol_unknown(c, "region");
		return;
	}
	if (strcmp(r->type, PROV_TYPE) != 0) {
		/* pulumi-aws v7 per-resource region: judged only when the program sets it. */
		if (rc == PV_OK)
			prov_judge_region(c, "region", region);
		else
			pol_not_applicable(c, "resource has no region input of its own");
		return;
	}
	if (rc == PV_ETYPE) {
		pol_report(c, NULL, "region", "region is a %s, not a string: set region to a region code such as \"us-east-1\".",
			   pv_kind_name(pv_kind(v)));
		return;
	}
	if (rc == PV_EMISSING || !*region) {
		if (pol_cfg_bool(c, "requireExplicitRegion"))
			pol_report(c, NULL, "region",
				   "provider %s has no region: set region explicitly (Python: aws.Provider(..., "
				   "region=\"us-west-2\")), otherwise AWS_REGION/AWS_DEFAULT_REGION of the machine "
				   "running pulumi decides where resources go.",
				   r->name);
		return;
	}
	prov_judge_region(c, "region", region);
}

/* ---- aws-provider-no-static-credentials --------------------------------------- */

static void check_no_static_credentials(struct pol_ctx *c, const struct pol_resource *r)
{
	static const char *const keys[] = { "accessKey", "secretKey", "token" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const pv_value *v = pv_get(r->props, keys[i]);
		const char *s;
		switch (pv_kind(v)) {
		case PV_UNKNOWN:
			pol_unknown(c, keys[i]);
			break;
		case PV_STRING:
			if (pv_get_str(v, &s) == PV_OK && *s)
				pol_report(c, NULL, keys[i],
					   "%s is set on provider %s: remove static credentials from the program and "
					   "config; let the provider use the environment, an SSO/profile session or "
					   "assumeRoles so no long-lived key is stored in state.",
					   keys[i], r->name);
			break;
		default:
			break;
		}
	}
}

/* ---- aws-provider-default-tags ------------------------------------------------- */

static void check_default_tags(struct pol_ctx *c, const struct pol_resource *r)
{
	int unknown = 0;
	const pv_value *dt = prov_json_input(c, r->props, "defaultTags", &unknown);
	const pv_value *tags, *k;

	if (unknown) {
		pol_unknown(c, "defaultTags");
		return;
	}
	tags = pv_get(dt, "tags");
	if (pv_kind(tags) == PV_UNKNOWN) {
		pol_unknown(c, "defaultTags.tags");
		return;
	}
	if (pv_kind(tags) != PV_OBJECT || pv_obj_size(tags) == 0) {
		pol_report(c, NULL, "defaultTags",
			   "provider %s sets no default tags: add defaultTags: { tags: { Environment: ..., "
			   "Project: ..., Owner: ... } } so every resource it creates is attributable.",
			   r->name);
		return;
	}
	PV_LIST_FOREACH(i, k, pol_cfg(c, "requiredTagKeys")) {
		const char *key = pv_str(k);
		if (key && !pv_get(tags, key))
			pol_report(c, NULL, "defaultTags.tags",
				   "defaultTags.tags of provider %s lacks the required key \"%s\": add it.", r->name, key);
	}
}

/* ---- aws-provider-assume-role-used (stack) ------------------------------------ */

/* The roleArn values of a provider's assumeRole (v6 object) / assumeRoles (v7 list). */
struct prov_roles {
	size_t n;
	const pv_value *role[8];
	const char *path[8];    /* "assumeRole" or "assumeRoles[i]", for messages */
	int secret[8];          /* the JSON text it came from was a secret (e.g. externalId from requireSecret) */
	int unknown;
};

static void prov_collect_roles(struct pol_ctx *c, const pv_value *props, struct prov_roles *out)
{
	static const char *const keys[] = { "assumeRole", "assumeRoles" };
	const pv_value *e;

	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < 2; k++) {
		int unknown = 0;
		const pv_value *j = prov_json_input(c, props, keys[k], &unknown);
		/* Parsed JSON text loses the secret wrapper of the input it came from. */
		int secret = pv_is_secret(pv_get(props, keys[k]));
		out->unknown |= unknown;
		if (pv_kind(j) == PV_OBJECT) {
			if (pv_obj_size(j) > 0 && out->n < 8) {
				out->path[out->n] = keys[k];
				out->secret[out->n] = secret;
				out->role[out->n++] = j;
			}
		} else if (pv_kind(j) == PV_LIST) {
			PV_LIST_FOREACH(i, e, j) {
				if (pv_kind(e) == PV_UNKNOWN)
					out->unknown = 1;
				else if (pv_kind(e) == PV_OBJECT && pv_obj_size(e) > 0 && out->n < 8) {
					out->path[out->n] = arena_printf(pol_arena(c), "%s[%zu]", keys[k], i);
					out->secret[out->n] = secret;
					out->role[out->n++] = e;
				}
			}
		}
	}
}

/* The single account of allowedAccountIds, or NULL. */
static const char *prov_pinned_account(struct pol_ctx *c, const pv_value *props)
{
	int unknown = 0;
	const pv_value *l = prov_json_input(c, props, "allowedAccountIds", &unknown);
	return pv_len(l) == 1 ? pv_str(pv_at(l, 0)) : NULL;
}

static void prov_judge_role(struct pol_ctx *c, const struct pol_resource *p, const pv_value *role,
			    const char *where, int secret)
{
	const pv_value *ra = pv_get(role, "roleArn");
	const char *arn, *pinned;
	const char *path = arena_printf(pol_arena(c), "%s.roleArn", where ? where : "assumeRoles");
	struct aws_arn a;

	secret |= pv_is_secret(ra);

	if (pv_get_str(ra, &arn) != PV_OK || !*arn)
		return;   /* unknown or absent: the provider itself will complain */
	if (aws_output_marker_in(arn)) {
		pol_report(c, p->urn, path,
			   "provider %s assumes a role ARN that contains \"%s\", the text a Pulumi SDK substitutes when "
			   "an Output is formatted into a string: build the ARN inside apply() or with pulumi.interpolate / "
			   "Output.concat.",
			   p->name, aws_output_marker_in(arn));
		return;
	}
	if (aws_arn_parse(arn, &a) != 0 || !aws_field_eq(a.service, a.service_len, "iam") ||
	    a.resource_len < 6 || strncmp(a.resource, "role/", 5) != 0 || !aws_is_account_id(a.account, a.account_len) ||
	    strchr(arn, '*')) {
		pol_report(c, p->urn, path,
			   "provider %s assumes %s%s%s, which is not an IAM role ARN "
			   "(arn:aws:iam::<12-digit account>:role/<name>, no wildcards): pass the role's exact ARN.",
			   p->name, secret ? "" : "\"", secret ? "a secret value" : arn, secret ? "" : "\"");
		return;
	}
	if (aws_is_placeholder_account(a.account, a.account_len)) {
		pol_report(c, p->urn, path,
			   "provider %s assumes a role in placeholder account %.*s: use the real target account's role ARN.",
			   p->name, secret ? 8 : (int)a.account_len, secret ? "[secret]" : a.account);
		return;
	}
	pinned = prov_pinned_account(c, p->props);
	if (pol_cfg_bool(c, "requireExternalIdForCrossAccount") && !pv_get(role, "externalId") &&
	    (!pinned || !aws_field_eq(a.account, a.account_len, pinned)))
		pol_report(c, p->urn, path,
			   "provider %s assumes a role in account %.*s without externalId: set externalId on %s "
			   "for cross-account access.",
			   p->name, secret ? 8 : (int)a.account_len, secret ? "[secret]" : a.account,
			   where ? where : "the assumed role");
}

static int prov_is_used(const struct stk_index *s, const struct pol_resource *p)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->res[i].provider_urn && *s->res[i].provider_urn && prov_ref_is(s->res[i].provider_urn, p->urn))
			return 1;
	return 0;
}

static size_t prov_count_default_users(const struct stk_index *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (prov_is_aws_resource(s->res[i].type) && prov_on_default(&s->res[i]))
			n++;
	return n;
}

static void check_assume_role_used(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *p;
	size_t on_default = prov_count_default_users(s);

	STK_FOREACH_TYPE(s, PROV_TYPE, p) {
		struct prov_roles roles;
		const char *role_arn = NULL;

		if (prov_is_default(p->type, p->urn, p->name) || pol_cfg_list_glob(c, "ignoreProviders", p->name))
			continue;
		prov_collect_roles(c, p->props, &roles);
		if (roles.n == 0) {
			if (roles.unknown)
				pol_unknown(c, "assumeRoles");
			continue;
		}
		for (size_t i = 0; i < roles.n; i++)
			prov_judge_role(c, p, roles.role[i], roles.path[i], roles.secret[i]);
		if (prov_is_used(s, p))
			continue;
		if (!roles.secret[0] && !pv_is_secret(pv_get(roles.role[0], "roleArn")))
			role_arn = pv_str(pv_get(roles.role[0], "roleArn"));
		pol_report(c, p->urn, NULL,
			   "provider %s assumes %s%s%s but no resource uses it%s: pass it to every resource "
			   "(opts=ResourceOptions(provider=...), or providers= on the parent component); otherwise "
			   "they are created with the caller's own credentials in the caller's account.",
			   p->name, role_arn ? "role \"" : "a role", role_arn ? role_arn : "", role_arn ? "\"" : "",
			   on_default ? arena_printf(pol_arena(c), " (%zu AWS resource%s use the default provider instead)",
						     on_default, on_default == 1 ? "" : "s")
				      : "");
	}
}

/* ---- aws-provider-unused (stack) ------------------------------------------------ */

static void check_provider_unused(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *p;
	size_t on_default = prov_count_default_users(s);

	STK_FOREACH_TYPE(s, PROV_TYPE, p) {
		struct prov_roles roles;

		if (prov_is_default(p->type, p->urn, p->name) || pol_cfg_list_glob(c, "ignoreProviders", p->name))
			continue;
		prov_collect_roles(c, p->props, &roles);
		if (roles.n > 0 || prov_is_used(s, p))
			continue;   /* assume-role providers are aws-provider-assume-role-used's business */
		pol_report(c, p->urn, NULL,
			   "provider %s is created but no resource uses it%s: pass it with opts provider=... "
			   "(or delete it if it is really not needed).",
			   p->name,
			   on_default ? arena_printf(pol_arena(c), " while %zu AWS resource%s use the default provider",
						     on_default, on_default == 1 ? "" : "s")
				      : "");
	}
}

/* ---- aws-provider-mixed-default-explicit (stack) ------------------------------- */

/*
 * An explicit provider that only restates a region (no assumed role, no
 * profile) scopes resources exactly like a default provider of that region
 * would, so mixing the two in one region is the same mistake as mixing them
 * across regions. Providers with their own credentials are a second account.
 */
static int prov_is_plain(struct pol_ctx *c, const pv_value *props)
{
	struct prov_roles roles;
	prov_collect_roles(c, props, &roles);
	return roles.n == 0 && !roles.unknown && !pv_get(props, "profile") && !pv_get(props, "accessKey");
}

#define PROV_MAX_REGIONS 64   /* more than AWS has regions, so no region is ever dropped */
#define PROV_PLAIN_MEMO 256   /* slots (a power of two); a stack has a handful of providers */

/*
 * prov_is_plain per provider: every resource of a stack repeats its
 * provider's inputs (shared by the decoder, so mostly the same pointer;
 * a provider's first two sightings are still two copies), and
 * judging them parses their assumeRole JSON text again each time. Open
 * addressing on the pointer; when the table is half full, further
 * providers are judged every time.
 */
struct prov_plain_memo {
	const pv_value *props[PROV_PLAIN_MEMO];
	signed char plain[PROV_PLAIN_MEMO];
	size_t n;
};

static int prov_is_plain_memo(struct pol_ctx *c, struct prov_plain_memo *m, const pv_value *props)
{
	size_t k = ptrhash_slot(props, PROV_PLAIN_MEMO - 1);

	while (m->props[k]) {
		if (m->props[k] == props)
			return m->plain[k];
		k = (k + 1) & (PROV_PLAIN_MEMO - 1);
	}
	int plain = prov_is_plain(c, props);
	if (props && m->n < PROV_PLAIN_MEMO / 2) {
		m->props[k] = props;
		m->plain[k] = (signed char)plain;
		m->n++;
	}
	return plain;
}

struct prov_explicit {
	const struct pol_resource *r;
	const char *region;
	int plain;
};

/*
 * Within each resource type, find resources on the default provider next to
 * resources on explicit providers: the footprint of per-region code that
 * special-cases one hard-coded region. One pass over each type group of the
 * stack index, remembering one explicit resource per region.
 */
static void check_mixed_default_explicit(struct pol_ctx *c, const struct stk_index *s)
{
	struct prov_plain_memo memo = { .n = 0 };
	size_t pos = 0;

	while (pos < s->n) {
		const struct pol_resource *first = stk_type_at(s, pos), *r;
		struct prov_explicit ex[PROV_MAX_REGIONS];
		size_t start, n_ex = 0, n = stk_type_range(s, first->type, &start);

		if (n == 0) {   /* cannot happen; guard against an index inconsistency */
			pos++;
			continue;
		}
		pos = start + n;
		if (!prov_is_aws_resource(first->type))
			continue;
		for (size_t k = 0; k < n && n_ex < PROV_MAX_REGIONS; k++) {
			const char *reg;
			size_t j;
			r = stk_type_at(s, start + k);
			if (prov_on_default(r) || prov_stack_region(c, r, &reg) != PV_OK)
				continue;
			for (j = 0; j < n_ex && strcmp(ex[j].region, reg) != 0; j++)
				;
			int plain = prov_is_plain_memo(c, &memo, r->provider_props);
			if (j == n_ex) {
				ex[n_ex].r = r;
				ex[n_ex].region = reg;
				ex[n_ex++].plain = plain;
			} else if ((plain && !ex[j].plain) ||
				   (plain == ex[j].plain && strcmp(r->urn, ex[j].r->urn) < 0)) {
				/*
				 * Independent of registration order (the engine's order varies
				 * between runs): a region counts as plain when any of its
				 * explicit resources is, represented by the smallest URN.
				 */
				ex[j].r = r;
				ex[j].plain = plain;
			}
		}
		if (n_ex == 0)
			continue;
		for (size_t k = 0; k < n; k++) {
			const char *reg = NULL;
			const struct prov_explicit *hit = NULL;
			int rc;
			r = stk_type_at(s, start + k);
			if (!prov_on_default(r))
				continue;
			rc = prov_stack_region(c, r, &reg);
			/* Prefer an explicit resource in another region; else a plain one in the same region. */
			for (size_t j = 0; j < n_ex && !hit; j++)
				if (rc != PV_OK || strcmp(ex[j].region, reg) != 0)
					hit = &ex[j];
			for (size_t j = 0; j < n_ex && !hit; j++)
				if (ex[j].plain)
					hit = &ex[j];
			if (!hit)
				continue;
			pol_report(c, r->urn, NULL,
				   "%s is on the default provider (%s) while %s %s in %s uses explicit provider %s: "
				   "the program picks a provider per region and leaves one (hard-coded) region on the "
				   "default provider, e.g. `provider if region != \"us-east-1\" else None`. Create an "
				   "aws.Provider for every region, the primary one included, and always pass it.",
				   r->name, rc == PV_OK ? arena_printf(pol_arena(c), "region %s", reg) : "region not set",
				   pol_urn_type(c, r->urn), hit->r->name, hit->region, hit->r->provider_name);
		}
	}
}

/* ---- aws-region-name-mismatch ------------------------------------------------------ */

/* Global services: their resources have no region, whatever their names say. */
static const char *const prov_global_types[] = {
	"aws:iam/*", "aws:cloudfront/*", "aws:route53/*", "aws:organizations/*", "aws:budgets/*",
	"aws:ce/*", "aws:shield/*", "aws:waf/*", "aws:globalaccelerator/*", "aws:cur/*",
};

/* Words that say a name refers to another region on purpose. */
static const char *const prov_cross_words[] = { "replica", "replicat", "-to-", "peer", "dest", "cross", "crr", "dr-" };

static int prov_sep(char ch)
{
	return ch == '\0' || ch == '-' || ch == '_' || ch == '.' || ch == '/' || ch == ':';
}

/*
 * The single region code embedded in `name` (between separators), copied into
 * `buf`; NULL when there is none or more than one different one.
 */
static const char *prov_region_in_name(const char *name, char *buf, size_t cap)
{
	const char *found = NULL;
	size_t found_len = 0;

	for (size_t i = 0; name[i]; i++) {
		if (i > 0 && !prov_sep(name[i - 1]))
			continue;
		for (size_t len = 16; len >= 9; len--) {
			char tmp[17];
			if (strnlen(name + i, len) < len || !prov_sep(name[i + len]))
				continue;
			memcpy(tmp, name + i, len);
			tmp[len] = '\0';
			if (aws_region_check(tmp) != AWS_REGION_KNOWN)
				continue;
			if (found && (found_len != len || strncmp(found, name + i, len) != 0))
				return NULL;   /* two different regions: a cross-region name */
			found = name + i;
			found_len = len;
			break;
		}
	}
	if (!found || found_len >= cap)
		return NULL;
	memcpy(buf, found, found_len);
	buf[found_len] = '\0';
	return buf;
}

static void check_region_name_mismatch(struct pol_ctx *c, const struct pol_resource *r)
{
	char buf[32];
	const char *in_name, *region = NULL;
	int rc;

	for (size_t i = 0; i < sizeof(prov_global_types) / sizeof(prov_global_types[0]); i++)
		if (pol_glob(prov_global_types[i], r->type)) {
			pol_not_applicable(c, "global service: its resources have no region of their own");
			return;
		}
	if (!prov_is_aws_resource(r->type)) {
		pol_not_applicable(c, "component resource: its children carry the provider");
		return;
	}
	in_name = prov_region_in_name(r->name, buf, sizeof(buf));
	if (!in_name)
		return;
	for (size_t i = 0; i < sizeof(prov_cross_words) / sizeof(prov_cross_words[0]); i++)
		if (strstr(r->name, prov_cross_words[i]))
			return;
	rc = pol_region(c, r, &region);
	if (rc == PV_EUNKNOWN) {
		pol_unknown(c, "region");
		return;
	}
	if (rc != PV_OK || strcmp(region, in_name) == 0)
		return;
	pol_report(c, NULL, NULL,
		   "%s is named for %s but is created in %s (%s provider %s): the provider chosen for this "
		   "resource does not match the region the program meant; pass the provider for %s.",
		   r->name, in_name, region, prov_on_default(r) ? "default" : "explicit",
		   *r->provider_name ? r->provider_name : "(none)", in_name);
}

/* ---- the table ------------------------------------------------------------------ */

static const struct pol_doc doc_explicit = {
	.why = "Seeds 000/001 #1, #2, #7 and 003 #1: resources created without an explicit provider (or with "
	       "`provider if region != \"us-east-1\" else None`) silently go to the default provider's region "
	       "and account instead of the intended one.",
	.fail_ts = "new aws.dynamodb.Table(\"orders\", { billingMode: \"PAY_PER_REQUEST\", ... });",
	.fixed_ts = "const east = new aws.Provider(\"aws-us-east-1\", { region: \"us-east-1\" });\n"
		    "new aws.dynamodb.Table(\"orders\", { ... }, { provider: east });",
	.fail_py = "aws.dynamodb.Table(\"orders\", billing_mode=\"PAY_PER_REQUEST\",\n"
		   "    opts=ResourceOptions(provider=provider if region != \"us-east-1\" else None))",
	.fixed_py = "provider = aws.Provider(f\"aws-{region}\", region=region)\n"
		    "aws.dynamodb.Table(\"orders\", billing_mode=\"PAY_PER_REQUEST\",\n"
		    "    opts=ResourceOptions(provider=provider))",
};

static const struct pol_doc doc_region = {
	.why = "Seeds 003 #1/#2: a provider without a region (or with an AZ such as us-east-1a, or a "
	       "malformed code) deploys to the wrong place or fails late.",
	.fail_ts = "new aws.Provider(\"primary\", { region: \"us-east-1a\" });",
	.fixed_ts = "new aws.Provider(\"primary\", { region: \"us-east-1\" });",
	.fail_py = "aws.Provider(\"primary\")  # region comes from whoever runs pulumi",
	.fixed_py = "aws.Provider(\"primary\", region=config.require(\"region\"))",
};

static const struct pol_doc doc_creds = {
	.why = "Static keys in provider inputs end up in the program, its config and the state file.",
	.fail_ts = "new aws.Provider(\"p\", { region: \"us-east-1\", accessKey: key, secretKey: secret });",
	.fixed_ts = "new aws.Provider(\"p\", { region: \"us-east-1\", assumeRoles: [{ roleArn }] });",
	.fail_py = "aws.Provider(\"p\", region=\"us-east-1\", access_key=key, secret_key=secret)",
	.fixed_py = "aws.Provider(\"p\", region=\"us-east-1\",\n"
		    "    assume_roles=[aws.ProviderAssumeRoleArgs(role_arn=role_arn)])",
};

static const struct pol_doc doc_tags = {
	.why = "Seed 003 #1 fix: a provider with default tags labels every resource it creates.",
	.fail_ts = "new aws.Provider(\"p\", { region: \"us-west-2\" });",
	.fixed_ts = "new aws.Provider(\"p\", { region: \"us-west-2\", defaultTags: { tags: { Project: \"tap\" } } });",
	.fail_py = "aws.Provider(\"p\", region=\"us-west-2\")",
	.fixed_py = "aws.Provider(\"p\", region=\"us-west-2\",\n"
		    "    default_tags=aws.ProviderDefaultTagsArgs(tags={\"Project\": \"tap\"}))",
};

static const struct pol_doc doc_assume = {
	.why = "Seed 002 #1: a cross-account provider (assume_role) was created but never passed to any "
	       "resource, so everything was deployed into the caller's own account.",
	.fail_ts = "const p = new aws.Provider(\"prod\", { assumeRoles: [{ roleArn }] });\n"
		   "new aws.s3.Bucket(\"data\");",
	.fixed_ts = "const p = new aws.Provider(\"prod\", { assumeRoles: [{ roleArn }] });\n"
		    "new aws.s3.Bucket(\"data\", {}, { provider: p });",
	.fail_py = "provider = aws.Provider(\"prod\", assume_role=aws.ProviderAssumeRoleArgs(role_arn=role_arn))\n"
		   "aws.s3.Bucket(\"data\")",
	.fixed_py = "provider = aws.Provider(\"prod\", assume_role=aws.ProviderAssumeRoleArgs(role_arn=role_arn))\n"
		    "aws.s3.Bucket(\"data\", opts=ResourceOptions(provider=provider))",
};

static const struct pol_doc doc_unused = {
	.why = "Seeds 002 #1 and 003 #1: a provider that is created but not passed anywhere is a sign the "
	       "resources went to the default provider instead.",
	.fail_py = "provider = aws.Provider(\"main\", region=region)\nvpc = aws.ec2.Vpc(\"vpc\", cidr_block=cidr)",
	.fixed_py = "provider = aws.Provider(\"main\", region=region)\n"
		    "vpc = aws.ec2.Vpc(\"vpc\", cidr_block=cidr, opts=ResourceOptions(provider=provider))",
	.fail_ts = "const p = new aws.Provider(\"main\", { region });\nnew aws.ec2.Vpc(\"vpc\", { cidrBlock });",
	.fixed_ts = "const p = new aws.Provider(\"main\", { region });\n"
		    "new aws.ec2.Vpc(\"vpc\", { cidrBlock }, { provider: p });",
};

static const struct pol_doc doc_mixed = {
	.why = "Seeds 000/001 #2, #7 and #11: per-region code passes an explicit provider for secondary regions "
	       "and None for the hard-coded primary region, so the primary region's resources are scoped by "
	       "whatever the default provider says.",
	.fail_py = "opts=ResourceOptions(provider=provider if region != \"us-east-1\" else None)",
	.fixed_py = "opts=ResourceOptions(provider=providers.get(region))  # one aws.Provider per region",
	.fail_ts = "{ provider: region === \"us-east-1\" ? undefined : provider }",
	.fixed_ts = "{ provider: providers[region] }",
};

static const struct pol_doc doc_name = {
	.why = "Seeds 000/001 #11: with PRIMARY_REGION hard-coded, resources named for us-east-1 were created "
	       "by the default provider in whatever region the stack was configured for.",
	.fail_py = "aws.dynamodb.Table(f\"positions-{region}\", opts=ResourceOptions(provider=None))  # region=\"us-east-1\"",
	.fixed_py = "aws.dynamodb.Table(f\"positions-{region}\", opts=ResourceOptions(provider=providers[region]))",
	.fail_ts = "new aws.dynamodb.Table(`positions-${region}`, {...});  // default provider is us-west-2",
	.fixed_ts = "new aws.dynamodb.Table(`positions-${region}`, {...}, { provider: providers[region] });",
};

static const struct policy policies[] = {
	{
		.name = "aws-explicit-provider-required",
		.display_name = "AWS resources use an explicit provider",
		.description = "Every AWS resource must be created with an explicit aws.Provider, not the default provider.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES("aws:*"),
		.config_schema =
			"{\"allowDefaultProvider\":{\"type\":\"boolean\",\"default\":false,"
			"\"description\":\"Accept resources on the default provider (stacks that configure aws:region and never use explicit providers).\"},"
			"\"exemptTypes\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Type tokens (globs) allowed on the default provider.\"}}",
		.remediation_steps = "Create one aws.Provider per region/account with an explicit region and pass it "
				     "to every resource (opts provider=...), or to a parent component with providers=[...].",
		.tags = "providers,region",
		.url = "https://www.pulumi.com/docs/iac/concepts/resources/providers/#explicit-provider-configuration",
		.check = check_explicit_provider,
		.doc = &doc_explicit,
	},
	{
		.name = "aws-provider-region-valid",
		.display_name = "AWS provider region is a valid region code",
		.description = "AWS providers (and v7 per-resource region inputs) must name a valid AWS region, not an availability zone.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(PROV_TYPE, "aws:*"),
		.config_schema =
			"{\"allowedRegions\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Regions resources may be deployed to ([] = any valid region).\"},"
			"\"deniedRegions\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Regions resources must not be deployed to.\"},"
			"\"allowWellFormedUnknownRegions\":{\"type\":\"boolean\",\"default\":true,"
			"\"description\":\"Accept region codes that match an AWS partition pattern but are not in the pack's region list.\"},"
			"\"requireExplicitRegion\":{\"type\":\"boolean\",\"default\":true,"
			"\"description\":\"Report providers that set no region at all.\"}}",
		.remediation_steps = "Set region on every aws.Provider to a region code such as \"us-east-1\" (lowercase, "
				     "no zone letter); read it from stack config rather than the environment.",
		.tags = "providers,region",
		.url = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
		.check = check_region_valid,
		.doc = &doc_region,
	},
	{
		.name = "aws-provider-no-static-credentials",
		.display_name = "AWS providers carry no static credentials",
		.description = "AWS providers must not be configured with static access keys or session tokens.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_CRITICAL,
		.types = POL_TYPES(PROV_TYPE),
		.remediation_steps = "Remove accessKey/secretKey/token from the provider and config; use the environment, "
				     "an SSO/profile session or assumeRoles.",
		.tags = "providers,credentials,security",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles",
		.check = check_no_static_credentials,
		.doc = &doc_creds,
	},
	{
		.name = "aws-provider-default-tags",
		.display_name = "AWS providers set default tags",
		.description = "AWS providers should set defaultTags so every resource they create is tagged.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(PROV_TYPE),
		.config_schema =
			"{\"requiredTagKeys\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Tag keys defaultTags.tags must contain ([] = any non-empty tag map).\"}}",
		.remediation_steps = "Add defaultTags: { tags: { ... } } to each aws.Provider.",
		.tags = "providers,tagging",
		.url = "https://www.pulumi.com/registry/packages/aws/api-docs/provider/#defaulttags",
		.check = check_default_tags,
		.doc = &doc_tags,
	},
	{
		.name = "aws-provider-assume-role-used",
		.display_name = "Assume-role providers are used and name a valid role",
		.description = "An AWS provider that assumes a role must be used by the resources it was created for, with a valid role ARN.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(PROV_TYPE),
		.config_schema =
			"{\"requireExternalIdForCrossAccount\":{\"type\":\"boolean\",\"default\":false,"
			"\"description\":\"Require externalId when the role's account is not the provider's only allowedAccountIds entry.\"},"
			"\"ignoreProviders\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Provider resource names (globs) to skip.\"}}",
		.remediation_steps = "Pass the assume-role provider to every resource meant for the target account "
				     "(opts provider=... or providers= on a parent component); use the role's exact ARN.",
		.tags = "providers,iam,cross-account",
		.url = "https://www.pulumi.com/registry/packages/aws/api-docs/provider/#assumeroles",
		.check_stack = check_assume_role_used,
		.doc = &doc_assume,
	},
	{
		.name = "aws-provider-unused",
		.display_name = "AWS providers are used",
		.description = "An explicit AWS provider that no resource uses usually means resources were left on the default provider.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(PROV_TYPE),
		.config_schema =
			"{\"ignoreProviders\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
			"\"description\":\"Provider resource names (globs) to skip, e.g. providers only used for invokes.\"}}",
		.remediation_steps = "Pass the provider to the resources it was created for, or delete it.",
		.tags = "providers",
		.url = "https://www.pulumi.com/docs/iac/concepts/resources/providers/",
		.check_stack = check_provider_unused,
		.doc = &doc_unused,
	},
	{
		.name = "aws-provider-mixed-default-explicit",
		.display_name = "Per-region resources use providers consistently",
		.description = "Resources of one type deployed to several regions must all use explicit providers, not the default provider for one hard-coded region.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES("aws:*"),
		.remediation_steps = "Create a provider for each region (primary included) in one place, keyed by region, "
				     "and pass it to every resource; never pass None/undefined for the primary region.",
		.tags = "providers,region,multi-region",
		.url = "https://www.pulumi.com/docs/iac/concepts/resources/providers/#explicit-provider-configuration",
		.check_stack = check_mixed_default_explicit,
		.doc = &doc_mixed,
	},
	{
		.name = "aws-region-name-mismatch",
		.display_name = "Resources are deployed to the region their name says",
		.description = "A resource whose name embeds a region code should be created in that region.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES("aws:*"),
		.remediation_steps = "Pass the provider of the region the resource is named for (one aws.Provider per "
				     "region, looked up by region), or fix the name.",
		.tags = "providers,region,multi-region",
		.url = "https://www.pulumi.com/docs/iac/concepts/resources/providers/#explicit-provider-configuration",
		.check = check_region_name_mismatch,
		.doc = &doc_name,
	},
};

const struct pol_family pol_family_providers = { "providers", policies, sizeof(policies) / sizeof(policies[0]) };
