/*
 * iam.c - policy family "iam" (see families.h): AWS policy documents wherever
 * a program writes one (identity, trust and resource policies), managed-policy
 * attachments, trust principals, and role policy-management conflicts.
 *
 * Every document goes through iam_doc_parse (src/iam.c), so JSON text and
 * PolicyDocument objects, Statement objects and arrays, string and array
 * fields are all judged the same way. Documents that are unknown in preview
 * are reported as unknown, never as violations; invalid documents are only
 * reported by iam-policy-document-valid (the other policies skip them so one
 * mistake gives one clear message).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "aws.h"
#include "iam.h"
#include "policy.h"
#include "stack.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- where policy documents live ------------------------------------------------ */

enum iam_kind {
	IK_IDENTITY = 1,        /* attached to a role, user or group: needs Resource, no Principal */
	IK_TRUST = 2,           /* a role's assume-role policy: needs Principal, no Resource */
	IK_RESOURCE = 4,        /* attached to a resource: needs Principal */
};

struct iam_src {
	const char *type;
	const char *prop;       /* top-level property; "inlinePolicies" means inlinePolicies[].policy */
	enum iam_kind kind;
};

#define T_POLICY "aws:iam/policy:Policy"
#define T_ROLE_POLICY "aws:iam/rolePolicy:RolePolicy"
#define T_USER_POLICY "aws:iam/userPolicy:UserPolicy"
#define T_GROUP_POLICY "aws:iam/groupPolicy:GroupPolicy"
#define T_ROLE "aws:iam/role:Role"
#define T_RPA "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
#define T_PA "aws:iam/policyAttachment:PolicyAttachment"
#define T_UPA "aws:iam/userPolicyAttachment:UserPolicyAttachment"
#define T_GPA "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
#define T_RPAE "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
#define T_RPE "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive"

static const struct iam_src iam_srcs[] = {
	{ T_POLICY, "policy", IK_IDENTITY },
	{ T_ROLE_POLICY, "policy", IK_IDENTITY },
	{ T_USER_POLICY, "policy", IK_IDENTITY },
	{ T_GROUP_POLICY, "policy", IK_IDENTITY },
	{ T_ROLE, "inlinePolicies", IK_IDENTITY },
	{ T_ROLE, "assumeRolePolicy", IK_TRUST },
	{ "aws:s3/bucketPolicy:BucketPolicy", "policy", IK_RESOURCE },
	{ "aws:s3/bucket:Bucket", "policy", IK_RESOURCE },
	{ "aws:s3/bucketV2:BucketV2", "policy", IK_RESOURCE },
	{ "aws:sns/topicPolicy:TopicPolicy", "policy", IK_RESOURCE },
	{ "aws:sns/topic:Topic", "policy", IK_RESOURCE },
	{ "aws:sqs/queuePolicy:QueuePolicy", "policy", IK_RESOURCE },
	{ "aws:sqs/queue:Queue", "policy", IK_RESOURCE },
	{ "aws:kms/key:Key", "policy", IK_RESOURCE },
	{ "aws:kms/keyPolicy:KeyPolicy", "policy", IK_RESOURCE },
	{ "aws:secretsmanager/secret:Secret", "policy", IK_RESOURCE },
	{ "aws:secretsmanager/secretPolicy:SecretPolicy", "policy", IK_RESOURCE },
	{ "aws:cloudwatch/eventBusPolicy:EventBusPolicy", "policy", IK_RESOURCE },
	{ "aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "policyDocument", IK_RESOURCE },
	{ "aws:ecr/repositoryPolicy:RepositoryPolicy", "policy", IK_RESOURCE },
	{ "aws:dynamodb/resourcePolicy:ResourcePolicy", "policy", IK_RESOURCE },
	{ "aws:apigateway/restApiPolicy:RestApiPolicy", "policy", IK_RESOURCE },
	{ "aws:apigateway/restApi:RestApi", "policy", IK_RESOURCE },
	{ "aws:efs/fileSystemPolicy:FileSystemPolicy", "policy", IK_RESOURCE },
	{ "aws:backup/vaultPolicy:VaultPolicy", "policy", IK_RESOURCE },
	{ "aws:opensearch/domainPolicy:DomainPolicy", "accessPolicies", IK_RESOURCE },
};

#define IAM_IDENTITY_TYPES T_POLICY, T_ROLE_POLICY, T_USER_POLICY, T_GROUP_POLICY, T_ROLE
#define IAM_RESOURCE_TYPES "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucket:Bucket", \
	"aws:s3/bucketV2:BucketV2", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic", \
	"aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/queue:Queue", "aws:kms/key:Key", \
	"aws:kms/keyPolicy:KeyPolicy", "aws:secretsmanager/secret:Secret", \
	"aws:secretsmanager/secretPolicy:SecretPolicy", "aws:cloudwatch/eventBusPolicy:EventBusPolicy", \
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "aws:ecr/repositoryPolicy:RepositoryPolicy", \
	"aws:dynamodb/resourcePolicy:ResourcePolicy", "aws:apigateway/restApiPolicy:RestApiPolicy", \
	"aws:apigateway/restApi:RestApi", "aws:efs/fileSystemPolicy:FileSystemPolicy", \
	"aws:backup/vaultPolicy:VaultPolicy", "aws:opensearch/domainPolicy:DomainPolicy"

/* One document found on a resource. */
struct iam_ref {
	enum iam_kind kind;
	const char *path;       /* property path for messages: "policy", "inlinePolicies[1].policy" */
	struct iam_doc doc;
};

typedef void (*iam_doc_fn)(struct pol_ctx *c, const struct pol_resource *r, const struct iam_ref *d);

static void iam_visit(struct pol_ctx *c, const struct pol_resource *r, enum iam_kind kind,
		      const char *path, const pv_value *v, int want_invalid, iam_doc_fn fn)
{
	struct iam_ref d;

	d.kind = kind;
	d.path = path;
	/* Five policies read the same documents: parse once per request (shallow copy, read-only). */
	const struct iam_doc *parsed = pol_iam_doc(c, v);
	if (!parsed)
		return;
	d.doc = *parsed;
	switch (d.doc.status) {
	case IAM_ABSENT:
		return;
	case IAM_UNKNOWN:
		pol_unknown(c, path);
		return;
	case IAM_INVALID:
		if (want_invalid)
			fn(c, r, &d);
		return;
	case IAM_OK:
		fn(c, r, &d);
		return;
	}
}

/* True when `v` is absent, null or a string of blanks. */
static int iam_blank_str(const pv_value *v)
{
	const char *str;

	switch (pv_kind(v)) {
	case PV_MISSING:
	case PV_NULL:
		return 1;
	case PV_STRING:
		str = pv_str(v);
		return str && strspn(str, " \t\r\n") == strlen(str);
	default:
		return 0;
	}
}

/*
 * Call `fn` for every document of `r` whose kind is in `kinds`. Invalid
 * documents are passed only when `want_invalid` (the validity policy).
 */
static void iam_each_doc(struct pol_ctx *c, const struct pol_resource *r, unsigned kinds,
			 int want_invalid, iam_doc_fn fn)
{
	for (size_t i = 0; i < ARRAY_LEN(iam_srcs); i++) {
		const struct iam_src *s = &iam_srcs[i];
		const pv_value *v, *e;

		if (!(s->kind & kinds) || strcmp(s->type, r->type) != 0)
			continue;
		v = pv_get(r->props, s->prop);
		if (strcmp(s->prop, "inlinePolicies") != 0) {
			iam_visit(c, r, s->kind, s->prop, v, want_invalid, fn);
			continue;
		}
		if (pv_kind(v) == PV_UNKNOWN) {
			pol_unknown(c, "inlinePolicies");
			continue;
		}
		PV_LIST_FOREACH(k, e, v) {
			const char *path = arena_printf(pol_arena(c), "inlinePolicies[%zu].policy", k);
			if (!path)
				return;
			if (pv_kind(e) == PV_UNKNOWN) {
				pol_unknown(c, path);
				continue;
			}
			/*
			 * inlinePolicies: [{}] is the documented way to say "this role has no
			 * inline policies"; after Check the empty block may carry "" members.
			 */
			if (iam_blank_str(pv_get(e, "policy")) && iam_blank_str(pv_get(e, "name")))
				continue;
			iam_visit(c, r, s->kind, path, pv_get(e, "policy"), want_invalid, fn);
		}
	}
}

/* ---- small helpers ------------------------------------------------------------------- */

/* A value quoted for a message, or a neutral word when the document is secret. */
static const char *iam_q(struct pol_ctx *c, const struct iam_ref *d, const char *s)
{
	const char *q;

	char *w;

	if (d->doc.secret)
		return "[secret value]";
	q = arena_printf(pol_arena(c), "\"%.120s%s\"", s, strlen(s) > 120 ? "..." : "");
	if (!q)
		return "\"...\"";
	/* One line per message: control characters become spaces. */
	for (w = (char *)q; *w; w++)
		if ((unsigned char)*w < 0x20)
			*w = ' ';
	return q;
}

/*
 * Strings holding a stringified Output are not ARNs or actions at all: only
 * iam-policy-document-valid (and no-stringified-pulumi-outputs) speak about them.
 */
static int iam_judgeable(const char *s)
{
	return aws_output_marker_in(s) == NULL;
}

/* `"a", "b"` for a list of values (at most 6 shown). */
static const char *iam_join(struct pol_ctx *c, const struct iam_ref *d, const char *const *v, size_t n)
{
	const char *out = "";

	for (size_t i = 0; i < n && i < 6; i++) {
		out = arena_printf(pol_arena(c), "%s%s%s", out, i ? ", " : "", iam_q(c, d, v[i]));
		if (!out)
			return "";
	}
	if (n > 6)
		out = arena_printf(pol_arena(c), "%s and %zu more", out, n - 6);
	return out ? out : "";
}

static int iam_has_wild(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?')
			return 1;
	return 0;
}

static int iam_starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* True when the knob (a list of IAM action patterns) covers `action`, itself possibly a pattern. */
static int iam_cfg_action_listed(struct pol_ctx *c, const char *key, const char *action)
{
	const pv_value *l = pol_cfg(c, key), *e;

	PV_LIST_FOREACH(i, e, l) {
		const char *pat = pv_str(e);
		if (pat && iam_action_matches(pat, action))
			return 1;
	}
	return 0;
}

/* Does the statement's Action list (not NotAction) mention a service, e.g. "logs"? */
static int iam_st_mentions_service(const struct iam_statement *st, const char *svc)
{
	size_t n = strlen(svc);

	for (size_t i = 0; i < st->action.n; i++) {
		const char *a = st->action.v[i];
		if (strcmp(a, "*") == 0 || (strncasecmp(a, svc, n) == 0 && a[n] == ':'))
			return 1;
	}
	return 0;
}

/* ---- accounts of the deployment ---------------------------------------------------- */

#define IAM_MAX_ACCTS 16

struct iam_accts {
	size_t n;
	const char *v[IAM_MAX_ACCTS];
};

static void iam_acct_add(struct iam_accts *a, const char *s, size_t len, struct arena *ar)
{
	if (a->n >= IAM_MAX_ACCTS || !aws_is_account_id(s, len))
		return;
	for (size_t i = 0; i < a->n; i++)
		if (strncmp(a->v[i], s, len) == 0)
			return;
	a->v[a->n] = arena_strndup(ar, s, len);
	if (a->v[a->n])
		a->n++;
}

static void iam_acct_from_role_arn(struct iam_accts *a, const pv_value *role, struct arena *ar)
{
	const char *s = pv_str(pv_get(role, "roleArn"));
	struct aws_arn arn;

	if (s && aws_arn_parse(s, &arn) == 0)
		iam_acct_add(a, arn.account, arn.account_len, ar);
}

/*
 * The accounts this program deploys to, as far as a policy can know them:
 * the `accountIds` knob, the provider's `allowedAccountIds` (JSON text) and
 * the account of the role the provider assumes (`assumeRole` v6 / `assumeRoles` v7).
 * Empty when none of these is known.
 */
static void iam_own_accounts(struct pol_ctx *c, const struct pol_resource *r, struct iam_accts *out)
{
	struct arena *ar = pol_arena(c);
	const pv_value *l, *e;

	memset(out, 0, sizeof(*out));
	l = pol_cfg(c, "accountIds");
	PV_LIST_FOREACH(i, e, l) {
		const char *s = pv_str(e);
		if (s)
			iam_acct_add(out, s, strlen(s), ar);
	}
	l = pv_json(ar, pv_get(r->provider_props, "allowedAccountIds"), NULL, NULL);
	PV_LIST_FOREACH(i, e, l) {
		const char *s = pv_str(e);
		if (s)
			iam_acct_add(out, s, strlen(s), ar);
	}
	l = pv_json(ar, pv_get(r->provider_props, "assumeRoles"), NULL, NULL);
	PV_LIST_FOREACH(i, e, l)
		iam_acct_from_role_arn(out, e, ar);
	l = pv_json(ar, pv_get(r->provider_props, "assumeRole"), NULL, NULL);
	if (pv_kind(l) == PV_OBJECT)
		iam_acct_from_role_arn(out, l, ar);
	else
		PV_LIST_FOREACH(i, e, l)
			iam_acct_from_role_arn(out, e, ar);
}

static int iam_acct_in(const struct iam_accts *a, const char *acct, size_t len)
{
	for (size_t i = 0; i < a->n; i++)
		if (strlen(a->v[i]) == len && strncmp(a->v[i], acct, len) == 0)
			return 1;
	return 0;
}

static int iam_cfg_has_n(struct pol_ctx *c, const char *key, const char *s, size_t len)
{
	const pv_value *l = pol_cfg(c, key), *e;

	PV_LIST_FOREACH(i, e, l) {
		const char *v = pv_str(e);
		if (v && strlen(v) == len && strncmp(v, s, len) == 0)
			return 1;
	}
	return 0;
}

/* ====================================================================================== */
/* iam-policy-document-valid                                                              */
/* ====================================================================================== */

/*
 * A "${...}" that is not an IAM policy variable: `${aws:username}`,
 * `${s3:prefix}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`, `${?}`, `${$}`
 * are variables; `${bucket_arn}`, `${var.region}`, `${AWS::AccountId}`,
 * `${Token[TOKEN.12]}` are template text nobody substituted. Returns the
 * start of the first such placeholder, or NULL.
 */
static const char *iam_template_in(const char *s, int *has_variable)
{
	/*
	 * "{args[0]}", "{account_id}": a Python str.format/f-string placeholder
	 * left in because the f prefix (or .format call) was missing. ARNs never
	 * contain braces except around IAM policy variables "${...}".
	 */
	for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p + 1, '}');
		int ident = e && e > p + 1;

		if (p > s && p[-1] == '$')
			continue;
		for (const char *q = p + 1; ident && q < e; q++)
			if (!isalnum((unsigned char)*q) && !strchr("_.[]'\"-", *q))
				ident = 0;
		if (ident)
			return p;
	}
	for (const char *p = strstr(s, "${"); p; p = strstr(p + 2, "${")) {
		const char *b = p + 2, *e = strchr(b, '}'), *colon;
		size_t n;

		if (!e)
			return p;
		n = (size_t)(e - b);
		for (size_t i = 0; i < n; i++)
			if (b[i] == ',') {
				n = i;          /* default value: ${aws:username, 'x'} */
				break;
			}
		while (n && b[n - 1] == ' ')
			n--;
		if (n == 1 && (b[0] == '*' || b[0] == '?' || b[0] == '$')) {
			if (has_variable)
				*has_variable = 1;
			continue;
		}
		colon = memchr(b, ':', n);
		if (colon && colon > b && (size_t)(colon - b) + 1 < n && colon[1] != ':' &&
		    !memchr(colon + 1, ':', n - (size_t)(colon - b) - 1)) {
			int ok = 1;
			for (const char *q = b; q < colon; q++)
				if (!isalnum((unsigned char)*q) && *q != '.' && *q != '-' && *q != '_')
					ok = 0;
			if (ok) {
				if (has_variable)
					*has_variable = 1;
				continue;
			}
		}
		return p;
	}
	return NULL;
}

/* Report string-level problems of one field value; returns 1 when something was reported. */
static int iam_valid_string(struct pol_ctx *c, const struct iam_ref *d, const struct iam_statement *st,
			    const char *field, const char *s, int *has_var)
{
	const char *t;
	int dummy = 0;

	if (*s == '\0' || strspn(s, " \t\r\n") == strlen(s)) {
		pol_report(c, NULL, d->path, "%s %s.%s contains an empty string (typically an Output or "
			   "variable that resolved to None/undefined, or an ARN built before the value "
			   "existed): pass the resolved ARN, building the document inside apply().",
			   d->path, st->path, field);
		return 1;
	}
	if (aws_output_marker_in(s))
		return 0;       /* reported once per document, below */
	t = iam_template_in(s, has_var ? has_var : &dummy);
	if (t) {
		pol_report(c, NULL, d->path, "%s %s.%s has the unresolved placeholder %s: the template "
			   "was never filled in (a Python string without its f prefix, a template string "
			   "without backticks, or text copied from Terraform/CloudFormation). Build the value "
			   "from the real resource (e.g. bucket.arn inside apply()); only IAM policy variables "
			   "such as ${aws:username} may stay.",
			   d->path, st->path, field,
			   d->doc.secret ? "[secret value]" : arena_printf(pol_arena(c), "\"%.*s\"",
				   (int)(strchr(t, '}') ? (size_t)(strchr(t, '}') - t + 1) : strlen(t)), t));
		return 1;
	}
	return 0;
}

/* Walk condition values (strings) for placeholders. */
static void iam_valid_condition(struct pol_ctx *c, const struct iam_ref *d, const struct iam_statement *st,
				int *has_var)
{
	const pv_value *blk, *val, *e;
	const char *op, *key;

	PV_OBJ_FOREACH(i, op, blk, st->condition) {
		PV_OBJ_FOREACH(j, key, val, blk) {
			const char *field = arena_printf(pol_arena(c), "Condition.%s", op);
			if (!field)
				return;
			if (pv_kind(val) == PV_STRING) {
				iam_valid_string(c, d, st, field, pv_str(val), has_var);
			} else {
				PV_LIST_FOREACH(k, e, val) {
					if (pv_kind(e) == PV_STRING)
						iam_valid_string(c, d, st, field, pv_str(e), has_var);
				}
			}
		}
	}
}

static int iam_sid_alnum(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return 1;
}

static void iam_valid_doc(struct pol_ctx *c, const struct pol_resource *r, const struct iam_ref *d)
{
	const struct iam_doc *doc = &d->doc;
	const char *kind = d->kind == IK_TRUST ? "trust policy" :
			   d->kind == IK_IDENTITY ? "identity policy" : "resource policy";
	int has_var = 0;

	(void)r;
	if (doc->status == IAM_INVALID) {
		if (doc->output_marker && doc->is_string && !doc->root)
			pol_report(c, NULL, d->path, "%s is not valid JSON: it contains \"%s\", the text a "
				   "Pulumi SDK substitutes when an Output is formatted into a string, so the "
				   "ARN was never inserted. Build the whole document inside apply() from "
				   "resolved values (Output.all(...).apply(lambda a: json.dumps(...)) or "
				   "pulumi.jsonStringify / Output.json_dumps).",
				   d->path, doc->output_marker);
		else
			pol_report(c, NULL, d->path, "%s: %s. AWS rejects the document "
				   "(MalformedPolicyDocument); fix it so it is a JSON object with Version "
				   "\"2012-10-17\" and well-formed statements.", d->path, doc->error);
		return;
	}
	if (doc->output_marker)
		pol_report(c, NULL, d->path, "%s contains \"%s\", the text a Pulumi SDK substitutes when "
			   "an Output is formatted into a string (e.g. a template literal or str() on an "
			   "Output): the policy names no real resource. Build the document inside apply() "
			   "from resolved values (pulumi.jsonStringify / Output.json_dumps).",
			   d->path, doc->output_marker);

	for (size_t i = 0; i < doc->n; i++) {
		const struct iam_statement *st = &doc->st[i];
		const struct iam_strs *lists[4] = { &st->action, &st->not_action, &st->resource, &st->not_resource };
		static const char *const names[4] = { "Action", "NotAction", "Resource", "NotResource" };

		for (int l = 0; l < 4; l++) {
			for (size_t k = 0; k < lists[l]->n; k++) {
				const char *s = lists[l]->v[k];
				if (iam_valid_string(c, d, st, names[l], s, &has_var))
					continue;
				if (aws_output_marker_in(s))
					continue;
				if (l < 2 && strcmp(s, "*") != 0 && !strchr(s, ':'))
					pol_report(c, NULL, d->path, "%s %s.%s %s is not of the form "
						   "\"service:Action\" (e.g. \"s3:GetObject\"); AWS rejects it.",
						   d->path, st->path, names[l], iam_q(c, d, s));
				/* "execute-api:/stage/GET/path" is API Gateway's resource-policy shorthand. */
				if (l >= 2 && strcmp(s, "*") != 0 && strncmp(s, "arn:", 4) != 0 &&
				    strncmp(s, "${", 2) != 0 && strncmp(s, "execute-api:", 12) != 0)
					pol_report(c, NULL, d->path, "%s %s.%s %s is not an ARN (nor \"*\"); use "
						   "the resource's arn output, e.g. bucket.arn or table.arn.",
						   d->path, st->path, names[l], iam_q(c, d, s));
			}
		}
		for (size_t k = 0; k < st->n_principals; k++) {
			const char *field = arena_printf(pol_arena(c), "Principal.%s", st->principals[k].kind);
			iam_valid_string(c, d, st, field ? field : "Principal", st->principals[k].value, &has_var);
		}
		if (st->condition)
			iam_valid_condition(c, d, st, &has_var);

		switch (d->kind) {
		case IK_IDENTITY:
			if (st->has_principal || st->has_not_principal)
				pol_report(c, NULL, d->path, "%s %s names a %s, but an %s applies to the "
					   "role, user or group it is attached to: remove it (AWS rejects the "
					   "document), or move the statement to the resource's policy.", d->path,
					   st->path, st->has_principal ? "Principal" : "NotPrincipal", kind);
			if (!st->has_resource && !st->has_not_resource)
				pol_report(c, NULL, d->path, "%s %s has no Resource: an %s statement must "
					   "name the ARNs it applies to (AWS rejects it otherwise).", d->path,
					   st->path, kind);
			break;
		case IK_TRUST:
			if (!st->has_principal && !st->has_not_principal)
				pol_report(c, NULL, d->path, "%s %s has no Principal: a trust policy must say "
					   "who may assume the role, e.g. {\"Service\": \"lambda.amazonaws.com\"}.",
					   d->path, st->path);
			if (st->has_resource || st->has_not_resource)
				pol_report(c, NULL, d->path, "%s %s has a Resource, which a trust policy must "
					   "not have (AWS rejects it: \"Has prohibited field Resource\"); remove it.",
					   d->path, st->path);
			break;
		case IK_RESOURCE:
			if (!st->has_principal && !st->has_not_principal)
				pol_report(c, NULL, d->path, "%s %s has no Principal: a resource policy "
					   "statement must say whom it applies to (AWS rejects it otherwise).",
					   d->path, st->path);
			break;
		}
		/* IAM (identity and trust) documents only accept alphanumeric, unique Sids. */
		if (d->kind != IK_RESOURCE && *st->sid) {
			if (!iam_sid_alnum(st->sid))
				pol_report(c, NULL, d->path, "%s %s.Sid %s is not alphanumeric; IAM rejects "
					   "it: use letters and digits only (e.g. \"AllowTableRead\").", d->path,
					   st->path, iam_q(c, d, st->sid));
			for (size_t j = 0; j < i; j++)
				if (strcmp(doc->st[j].sid, st->sid) == 0) {
					pol_report(c, NULL, d->path, "%s %s.Sid %s repeats the Sid of %s; IAM "
						   "requires unique statement IDs.", d->path, st->path,
						   iam_q(c, d, st->sid), doc->st[j].path);
					break;
				}
		}
	}

	if (doc->version) {
		if (strcmp(doc->version, "2012-10-17") != 0 && strcmp(doc->version, "2008-10-17") != 0)
			pol_report(c, NULL, d->path, "%s Version is %s; AWS only accepts \"2012-10-17\" "
				   "(current) or \"2008-10-17\": set \"Version\": \"2012-10-17\".", d->path,
				   iam_q(c, d, doc->version));
		else if (has_var && strcmp(doc->version, "2008-10-17") == 0)
			pol_report(c, NULL, d->path, "%s uses policy variables such as ${aws:username} with "
				   "Version \"2008-10-17\", where they are plain text: set \"Version\": "
				   "\"2012-10-17\".", d->path);
	} else if (has_var) {
		pol_report(c, NULL, d->path, "%s has no Version but uses policy variables such as "
			   "${aws:username}; without \"Version\": \"2012-10-17\" AWS treats them as plain "
			   "text. Add the Version.", d->path);
	} else if (pol_cfg_bool(c, "requireVersion")) {
		pol_report(c, NULL, d->path, "%s has no Version; add \"Version\": \"2012-10-17\" (AWS "
			   "otherwise applies the 2008 language version).", d->path);
	}
}

static void check_policy_document_valid(struct pol_ctx *c, const struct pol_resource *r)
{
	iam_each_doc(c, r, IK_IDENTITY | IK_TRUST | IK_RESOURCE, 1, iam_valid_doc);
}

/* ====================================================================================== */
/* iam-no-wildcard-actions                                                                */
/* ====================================================================================== */

/* A service wildcard ("s3:*") whose service the allowedServiceWildcards knob lists ("s3" or "s3:*"). */
static int iam_service_wildcard_allowed(struct pol_ctx *c, const char *action)
{
	const char *colon = strchr(action, ':');
	const pv_value *l = pol_cfg(c, "allowedServiceWildcards"), *e;

	if (!colon || strcmp(action, "*:*") == 0)
		return 0;
	PV_LIST_FOREACH(i, e, l) {
		const char *s = pv_str(e);
		size_t n = (size_t)(colon - action);
		if (!s)
			continue;
		if ((strlen(s) == n && strncasecmp(s, action, n) == 0) || strcasecmp(s, action) == 0)
			return 1;
	}
	return 0;
}

static int iam_resource_has_star(const struct iam_statement *st)
{
	return iam_strs_has(&st->resource, "*");
}

static void iam_wild_actions_doc(struct pol_ctx *c, const struct pol_resource *r, const struct iam_ref *d)
{
	const struct iam_doc *doc = &d->doc;
	int partial = pol_cfg_bool(c, "flagPartialWildcards");

	(void)r;
	for (size_t i = 0; i < doc->n; i++) {
		const struct iam_statement *st = &doc->st[i];
		const char *wild[64];
		size_t nw = 0;
		int full = 0;

		if (st->effect_unknown)
			pol_unknown(c, d->path);
		if (!st->effect_allow)
			continue;
		/*
		 * Resource policies: service wildcards are the documented default for some
		 * (the KMS key policy's root statement is kms:*), so only "*" and NotAction
		 * are judged there; public principals are the s3/sns/sqs families' business.
		 */
		if (st->has_not_action) {
			pol_report(c, NULL, d->path, "%s %s uses NotAction with Effect \"Allow\", which grants "
				   "every action except %s, including actions AWS adds later: list the "
				   "actions it needs in Action instead.", d->path, st->path,
				   iam_join(c, d, st->not_action.v, st->not_action.n));
			continue;
		}
		for (size_t k = 0; k < st->action.n && nw < ARRAY_LEN(wild); k++) {
			const char *a = st->action.v[k];
			if (strcmp(a, "*") == 0 || strcmp(a, "*:*") == 0) {
				full = 1;
				wild[nw++] = a;
			} else if (d->kind == IK_IDENTITY && iam_action_is_wildcard(a)) {
				if (!iam_service_wildcard_allowed(c, a))
					wild[nw++] = a;
			} else if (d->kind == IK_IDENTITY && partial && iam_has_wild(a, strlen(a))) {
				if (!iam_cfg_action_listed(c, "allowedServiceWildcards", a))
					wild[nw++] = a;
			}
		}
		if (nw == 0) {
			if (st->action.unknown)
				pol_unknown(c, d->path);
			continue;
		}
		if (d->kind == IK_RESOURCE) {
			pol_report(c, NULL, d->path, "%s %s allows Action \"*\" (every action of every "
				   "service) to its principals: list the actions they need.", d->path, st->path);
			continue;
		}
		if (full) {
			pol_report(c, NULL, d->path, "%s %s allows Action \"*\"%s, i.e. administrator access: "
				   "list the specific actions the workload calls (e.g. \"dynamodb:GetItem\", "
				   "\"s3:PutObject\").", d->path, st->path,
				   iam_resource_has_star(st) ? " on Resource \"*\"" : "");
		} else if (nw == 1 && strcasecmp(wild[0], "logs:*") == 0) {
			pol_report(c, NULL, d->path, "%s %s allows \"logs:*\"%s, which includes deleting log "
				   "groups and changing retention and subscriptions: a Lambda or service role "
				   "needs only \"logs:CreateLogStream\" and \"logs:PutLogEvents\" (plus "
				   "\"logs:CreateLogGroup\") on its own log group, e.g. "
				   "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/<name>:* (or attach "
				   "service-role/AWSLambdaBasicExecutionRole).", d->path, st->path,
				   iam_resource_has_star(st) ? " on Resource \"*\" (every log group in the account)" : "");
		} else if (nw == 1 && strcasecmp(wild[0], "secretsmanager:*") == 0) {
			pol_report(c, NULL, d->path, "%s %s allows \"secretsmanager:*\", which includes "
				   "reading, rotating and deleting secrets and changing their policies: grant "
				   "only \"secretsmanager:GetSecretValue\" (and \"secretsmanager:DescribeSecret\" "
				   "if needed) on the secret's ARN.", d->path, st->path);
		} else {
			pol_report(c, NULL, d->path, "%s %s allows the service wildcard%s %s%s: list only the "
				   "actions the workload calls (e.g. \"s3:GetObject\", \"s3:PutObject\" instead of "
				   "\"s3:*\"), or allow the service explicitly with the allowedServiceWildcards "
				   "setting.", d->path, st->path, nw > 1 ? "s" : "", iam_join(c, d, wild, nw),
				   iam_resource_has_star(st) ? " on Resource \"*\"" : "");
		}
	}
}

static void check_no_wildcard_actions(struct pol_ctx *c, const struct pol_resource *r)
{
	unsigned kinds = IK_IDENTITY;

	if (pol_cfg_bool(c, "checkResourcePolicies"))
		kinds |= IK_RESOURCE;
	iam_each_doc(c, r, kinds, 0, iam_wild_actions_doc);
}

/* ====================================================================================== */
/* iam-no-wildcard-resources                                                              */
/* ====================================================================================== */

/* Split helpers over a slice. */
static int iam_slice_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncmp(s, lit, n) == 0;
}

/*
 * CloudWatch Logs: "log-group:<name>", "log-group:<name>:*",
 * "log-group:<name>:log-stream:*" or ":log-stream:<stream>", <name> without
 * wildcards. Log-group names contain '/', so only ':' separates.
 */
static int iam_logs_safe(const char *res, size_t n)
{
	const char *name, *colon, *end = res + n;

	if (n < 10 || strncmp(res, "log-group:", 10) != 0)
		return 0;
	name = res + 10;
	colon = memchr(name, ':', (size_t)(end - name));
	if (!colon)
		colon = end;
	if (colon == name || iam_has_wild(name, (size_t)(colon - name)))
		return 0;
	if (colon == end)
		return 1;
	colon++;
	if (iam_slice_eq(colon, (size_t)(end - colon), "*"))
		return 1;
	if ((size_t)(end - colon) >= 11 && strncmp(colon, "log-stream:", 11) == 0)
		return 1;       /* any stream of one named group */
	return 0;
}

/* Secrets Manager: "secret:<name>-??????" or "secret:<name>-*" (the random suffix AWS appends). */
static int iam_secret_safe(const char *res, size_t n)
{
	const char *name = res + 7, *w, *end = res + n;

	if (n < 8 || strncmp(res, "secret:", 7) != 0)
		return 0;
	for (w = name; w < end && *w != '*' && *w != '?'; w++)
		;
	if (w == end)
		return 1;
	if (w - name < 2 || w[-1] != '-')
		return 0;
	return iam_slice_eq(w, (size_t)(end - w), "??????") || iam_slice_eq(w, (size_t)(end - w), "*");
}

/* DynamoDB: "table/<name>/index/<*>", "table/<name>/stream/<*>" (and backup/export/import), <*> = any. */
static int iam_dynamodb_safe(const char *res, size_t n)
{
	static const char *const subs[] = { "index", "stream", "backup", "export", "import" };
	const char *name = res + 6, *slash, *end = res + n, *sub;

	if (n < 7 || strncmp(res, "table/", 6) != 0)
		return 0;
	slash = memchr(name, '/', (size_t)(end - name));
	if (!slash || slash == name || iam_has_wild(name, (size_t)(slash - name)))
		return 0;
	sub = slash + 1;
	for (size_t i = 0; i < ARRAY_LEN(subs); i++) {
		size_t l = strlen(subs[i]);
		if ((size_t)(end - sub) > l && strncmp(sub, subs[i], l) == 0 && sub[l] == '/')
			return 1;
	}
	return 0;
}

/*
 * Anything else: the only wildcard is a trailing "*" that is a whole path
 * segment, below at least two named segments (type and name), e.g.
 * "function:orders:*", "parameter/app/dev/<*>", "stream/s/consumer/<*>" (<*> = a
 * star). "table/<*>", "key/<*>", "secret:*", "table/app-env-*" are not scoped.
 */
static int iam_generic_safe(const char *res, size_t n)
{
	size_t named = 0, seg_start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i == n || res[i] == '/' || res[i] == ':') {
			size_t len = i - seg_start;
			const char *seg = res + seg_start;
			if (iam_has_wild(seg, len)) {
				/* Wildcard: must be the last segment and exactly "*". */
				return i == n && len == 1 && seg[0] == '*' && named >= 2;
			}
			if (len > 0)
				named++;
			seg_start = i + 1;
		}
	}
	return 1;
}

/*
 * Why a Resource entry (not "*") is too broad, or NULL when it is scoped.
 * The reason lists the ARN fields that match more than one thing.
 */
static const char *iam_arn_problem(struct pol_ctx *c, const char *res)
{
	struct aws_arn a;
	const char *why = "";
	int res_wild;

	if (!iam_has_wild(res, strlen(res)))
		return NULL;
	if (aws_arn_parse(res, &a) != 0)
		return "is a wildcard pattern rather than an ARN";
	if (iam_has_wild(a.service, a.service_len))
		return "matches every service";
	if (iam_has_wild(a.region, a.region_len))
		why = "any region";
	if (iam_has_wild(a.account, a.account_len) && why)
		why = arena_printf(pol_arena(c), "%s%sany account", why, *why ? ", " : "");
	res_wild = iam_has_wild(a.resource, a.resource_len);
	if (res_wild) {
		int safe;
		if (aws_field_eq(a.service, a.service_len, "s3")) {
			const char *slash = memchr(a.resource, '/', a.resource_len);
			safe = slash && slash != a.resource &&
			       !iam_has_wild(a.resource, (size_t)(slash - a.resource));
		} else if (aws_field_eq(a.service, a.service_len, "logs")) {
			safe = iam_logs_safe(a.resource, a.resource_len);
		} else if (aws_field_eq(a.service, a.service_len, "secretsmanager")) {
			safe = iam_secret_safe(a.resource, a.resource_len);
		} else if (aws_field_eq(a.service, a.service_len, "dynamodb")) {
			safe = iam_dynamodb_safe(a.resource, a.resource_len);
		} else if (aws_field_eq(a.service, a.service_len, "execute-api")) {
			/* "<api-id>/<stage>/<method>/<path>": scoped by the API id. */
			safe = a.resource_len > 0 && a.resource[0] != '*' && a.resource[0] != '?' &&
			       memchr(a.resource, '/', a.resource_len) != NULL &&
			       !iam_has_wild(a.resource, (size_t)((const char *)memchr(a.resource, '/',
								a.resource_len) - a.resource));
		} else {
			safe = iam_generic_safe(a.resource, a.resource_len);
		}
		if (!safe && why)
			why = arena_printf(pol_arena(c), "%s%sany resource name the pattern matches",
					   why, *why ? " and " : "");
	}
	if (!why || !*why)
		return NULL;
	return arena_printf(pol_arena(c), "covers %s", why);
}

static int iam_st_actions_only_star(struct pol_ctx *c, const struct iam_statement *st, int *unknown)
{
	if (st->has_not_action)
		return 0;
	for (size_t k = 0; k < st->action.n; k++)
		if (!iam_cfg_action_listed(c, "starResourceAllowedActions", st->action.v[k]))
			return 0;
	if (st->action.unknown)
		*unknown = 1;
	return st->action.n > 0;
}

static void iam_wild_res_doc(struct pol_ctx *c, const struct pol_resource *r, const struct iam_ref *d)
{
	const struct iam_doc *doc = &d->doc;

	(void)r;
	for (size_t i = 0; i < doc->n; i++) {
		const struct iam_statement *st = &doc->st[i];
		int unknown = 0;

		if (st->effect_unknown)
			pol_unknown(c, d->path);
		if (!st->effect_allow)
			continue;
		if (st->has_not_resource) {
			pol_report(c, NULL, d->path, "%s %s uses NotResource with Effect \"Allow\", which "
				   "grants access to every resource except %s, including ones created later: "
				   "list the ARNs it needs in Resource.", d->path, st->path,
				   iam_join(c, d, st->not_resource.v, st->not_resource.n));
			continue;
		}
		if (st->resource.unknown)
			pol_unknown(c, d->path);
		for (size_t k = 0; k < st->resource.n; k++) {
			const char *res = st->resource.v[k];
			const char *why;

			if (!iam_judgeable(res) || pol_cfg_list_glob(c, "allowedResourcePatterns", res))
				continue;
			if (strcmp(res, "*") == 0) {
				if (iam_st_actions_only_star(c, st, &unknown)) {
					if (unknown)
						pol_unknown(c, d->path);
					continue;
				}
				if (iam_st_mentions_service(st, "logs"))
					pol_report(c, NULL, d->path, "%s %s grants %s on Resource \"*\", i.e. on "
						   "every log group and stream in the account: scope it to the "
						   "function's own log group, e.g. "
						   "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/<name>:* "
						   "(logGroup.arn + \":*\"), or attach "
						   "service-role/AWSLambdaBasicExecutionRole.", d->path, st->path,
						   iam_join(c, d, st->action.v, st->action.n));
				else if (iam_st_mentions_service(st, "secretsmanager"))
					pol_report(c, NULL, d->path, "%s %s grants %s on Resource \"*\", i.e. on "
						   "every secret in the account: use the secret's ARN (secret.arn).",
						   d->path, st->path, iam_join(c, d, st->action.v, st->action.n));
				else
					pol_report(c, NULL, d->path, "%s %s grants %s on Resource \"*\": name the "
						   "resources instead (e.g. table.arn, bucket.arn and "
						   "`${bucket.arn}/*`). Only actions that support no resource-level "
						   "permissions (starResourceAllowedActions, e.g. "
						   "xray:PutTraceSegments, cloudwatch:PutMetricData) may use \"*\".",
						   d->path, st->path, iam_join(c, d, st->action.v, st->action.n));
				continue;
			}
			why = iam_arn_problem(c, res);
			if (!why)
				continue;
			if (strncmp(res, "arn:", 4) == 0 && strstr(res, ":secretsmanager:"))
				pol_report(c, NULL, d->path, "%s %s Resource %s %s, i.e. secrets this "
					   "workload should never read: use the secret's ARN (secret.arn) or "
					   "arn:aws:secretsmanager:<region>:<account>:secret:<name>-?????? for "
					   "a secret you only know by name.", d->path, st->path,
					   iam_q(c, d, res), why);
			else if (strncmp(res, "arn:", 4) == 0 && strstr(res, ":dynamodb:"))
				pol_report(c, NULL, d->path, "%s %s Resource %s %s: use the table's ARN "
					   "(table.arn), with `${table.arn}/index/*` for its indexes and "
					   "`${table.arn}/stream/*` for its stream.", d->path, st->path,
					   iam_q(c, d, res), why);
			else if (strncmp(res, "arn:", 4) == 0 && strstr(res, ":logs:"))
				pol_report(c, NULL, d->path, "%s %s Resource %s %s: name the log group, "
					   "e.g. arn:aws:logs:<region>:<account>:log-group:<name>:*.", d->path,
					   st->path, iam_q(c, d, res), why);
			else
				pol_report(c, NULL, d->path, "%s %s Resource %s %s: use the exact ARN of the "
					   "resource (its arn output), or list the pattern in "
					   "allowedResourcePatterns if it is deliberate.", d->path, st->path,
					   iam_q(c, d, res), why);
		}
	}
}

static void check_no_wildcard_resources(struct pol_ctx *c, const struct pol_resource *r)
{
	iam_each_doc(c, r, IK_IDENTITY, 0, iam_wild_res_doc);
}

/* ====================================================================================== */
/* iam-no-broad-managed-policies                                                          */
/* ====================================================================================== */

static void iam_managed_one(struct pol_ctx *c, const char *path, const pv_value *v)
{
	const char *arn, *name;

	if (pv_kind(v) == PV_UNKNOWN) {
		pol_unknown(c, path);
		return;
	}
	arn = pv_str(v);
	if (!arn)
		return;
	if (pol_cfg_list_glob(c, "allowedManagedPolicies", arn) ||
	    !pol_cfg_list_glob(c, "deniedManagedPolicies", arn))
		return;
	name = strrchr(arn, '/');
	name = name ? name + 1 : arn;
	if (strcmp(name, "AdministratorAccess") == 0)
		pol_report(c, NULL, path, "%s attaches AdministratorAccess (every action on every "
			   "resource): attach a customer-managed or inline policy with only the actions "
			   "and resource ARNs the workload needs.", path);
	else
		pol_report(c, NULL, path, "%s attaches the AWS managed policy %s, which grants "
			   "far more than one workload needs (typically every action of a service on every "
			   "resource): replace it with an inline policy scoped to the actions and ARNs used "
			   "(e.g. dynamodb:GetItem/PutItem on table.arn), or list it in "
			   "allowedManagedPolicies if it is deliberate.", path,
			   pv_is_secret(v) ? "[secret value]" : name);
}

static void iam_managed_list(struct pol_ctx *c, const struct pol_resource *r, const char *prop)
{
	const pv_value *l = pv_get(r->props, prop), *e;

	if (pv_kind(l) == PV_UNKNOWN) {
		pol_unknown(c, prop);
		return;
	}
	PV_LIST_FOREACH(i, e, l) {
		const char *path = arena_printf(pol_arena(c), "%s[%zu]", prop, i);
		iam_managed_one(c, path ? path : prop, e);
	}
}

static void check_no_broad_managed_policies(struct pol_ctx *c, const struct pol_resource *r)
{
	if (strcmp(r->type, T_ROLE) == 0)
		iam_managed_list(c, r, "managedPolicyArns");
	else if (strcmp(r->type, T_RPAE) == 0)
		iam_managed_list(c, r, "policyArns");
	else
		iam_managed_one(c, "policyArn", pv_get(r->props, "policyArn"));
}

/* ====================================================================================== */
/* iam-no-wildcard-assume-role                                                            */
/* ====================================================================================== */

/* Does the statement allow sts:AssumeRole through an sts: action (not the bare "*", judged elsewhere)? */
static int iam_st_allows_assume(const struct iam_statement *st)
{
	for (size_t k = 0; k < st->action.n; k++) {
		const char *a = st->action.v[k];
		if (iam_starts_ci(a, "sts:") && iam_action_matches(a, "sts:AssumeRole"))
			return 1;
	}
	return 0;
}

static void iam_assume_doc(struct pol_ctx *c, const struct pol_resource *r, const struct iam_ref *d)
{
	const struct iam_doc *doc = &d->doc;

	(void)r;
	for (size_t i = 0; i < doc->n; i++) {
		const struct iam_statement *st = &doc->st[i];

		if (st->effect_unknown && iam_st_allows_assume(st))
			pol_unknown(c, d->path);
		if (!st->effect_allow || !iam_st_allows_assume(st))
			continue;
		if (st->has_not_resource) {
			pol_report(c, NULL, d->path, "%s %s allows sts:AssumeRole on every role except %s "
				   "(NotResource): list the exact role ARN(s) it may assume.", d->path, st->path,
				   iam_join(c, d, st->not_resource.v, st->not_resource.n));
			continue;
		}
		if (st->resource.unknown)
			pol_unknown(c, d->path);
		for (size_t k = 0; k < st->resource.n; k++) {
			const char *res = st->resource.v[k];
			struct aws_arn a;

			if (!iam_judgeable(res) || pol_cfg_list_glob(c, "allowedRoleArnPatterns", res))
				continue;
			if (strcmp(res, "*") == 0) {
				pol_report(c, NULL, d->path, "%s %s allows sts:AssumeRole on Resource \"*\": "
					   "this identity can assume every role that trusts its account, including "
					   "production and admin roles. List the exact role ARN(s).", d->path,
					   st->path);
				continue;
			}
			if (!iam_has_wild(res, strlen(res)))
				continue;
			if (aws_arn_parse(res, &a) == 0 && !aws_field_eq(a.service, a.service_len, "iam") &&
			    !iam_has_wild(a.service, a.service_len))
				continue;
			pol_report(c, NULL, d->path, "%s %s allows sts:AssumeRole on the pattern %s, which "
				   "matches roles in %s (e.g. a non-production role reaching production "
				   "roles): list the exact role ARN(s) it must assume, or add the pattern to "
				   "allowedRoleArnPatterns if it is deliberate.", d->path, st->path,
				   iam_q(c, d, res),
				   (aws_arn_parse(res, &a) == 0 && iam_has_wild(a.account, a.account_len))
					   ? "any account" : "more than one environment");
		}
	}
}

static void check_no_wildcard_assume_role(struct pol_ctx *c, const struct pol_resource *r)
{
	iam_each_doc(c, r, IK_IDENTITY, 0, iam_assume_doc);
}

/* ====================================================================================== */
/* iam-trust-policy-principals                                                            */
/* ====================================================================================== */

static const char *const iam_trust_actions[] = {
	"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML",
	"sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext",
};

/* Condition keys that pin who may assume a role. */
static const char *const iam_pinning_keys[] = {
	"sts:ExternalId", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn",
	"aws:PrincipalAccount", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID",
	"aws:SourceIdentity", "aws:PrincipalTag", "aws:MultiFactorAuthPresent",
};

static int iam_st_pinned(const struct iam_statement *st)
{
	const pv_value *blk, *val;
	const char *op, *key;

	if (!st->condition)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(iam_pinning_keys); i++)
		if (iam_condition_has_key(st, iam_pinning_keys[i]))
			return 1;
	/* aws:PrincipalTag/<key> */
	PV_OBJ_FOREACH(i, op, blk, st->condition) {
		PV_OBJ_FOREACH(j, key, val, blk) {
			if (iam_starts_ci(key, "aws:PrincipalTag/"))
				return 1;
		}
	}
	return 0;
}

/* The account of an AWS principal ("arn:aws:iam::ACCT:root", "ACCT"); *root set for whole-account principals. */
static int iam_principal_account(const char *p, const char **acct, size_t *len, int *root)
{
	struct aws_arn a;

	*root = 0;
	if (aws_is_account_id(p, strlen(p))) {
		*acct = p;
		*len = strlen(p);
		*root = 1;
		return 0;
	}
	if (aws_arn_parse(p, &a) != 0)
		return -1;
	*acct = a.account;
	*len = a.account_len;
	*root = aws_field_eq(a.resource, a.resource_len, "root");
	return 0;
}

static int iam_is_service_principal(const char *s)
{
	size_t n = strlen(s);
	static const char *const sfx[] = { ".amazonaws.com", ".amazonaws.com.cn", ".amazon.com" };

	if (iam_has_wild(s, n))
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(sfx); i++) {
		size_t l = strlen(sfx[i]);
		if (n > l && strcmp(s + n - l, sfx[i]) == 0)
			return 1;
	}
	return 0;
}

static void iam_trust_aws_principal(struct pol_ctx *c, const struct iam_ref *d, const struct iam_statement *st,
				    const struct iam_accts *own, const char *p)
{
	const char *acct, *ph;
	size_t len;
	int root, pinned = iam_st_pinned(st);

	if (strcmp(p, "*") == 0) {
		if (!pinned)
			pol_report(c, NULL, d->path, "%s %s trusts Principal \"*\" (any AWS account) without "
				   "a condition: name the role or account that may assume it, and add an "
				   "sts:ExternalId or aws:PrincipalOrgID condition for cross-account access.",
				   d->path, st->path);
		return;
	}
	if (!iam_judgeable(p) || pol_cfg_list_glob(c, "trustedPrincipals", p))
		return;
	if (iam_principal_account(p, &acct, &len, &root) != 0) {
		ph = aws_placeholder_in(p);
		if (ph)
			pol_report(c, NULL, d->path, "%s %s trusts %s, which contains %s: put the real "
				   "account ID or role ARN of the principal that must assume this role.",
				   d->path, st->path, iam_q(c, d, p), ph);
		return;
	}
	if (aws_is_placeholder_account(acct, len)) {
		pol_report(c, NULL, d->path, "%s %s trusts %s, a placeholder account: the role cannot be "
			   "assumed by the intended account (or trusts a stranger's). Use the real account "
			   "ID of the other environment (e.g. from stack config) and name its role.",
			   d->path, st->path, iam_q(c, d, p));
		return;
	}
	if (!aws_is_account_id(acct, len)) {
		if (iam_has_wild(acct, len))
			pol_report(c, NULL, d->path, "%s %s trusts %s, which matches any account: name the "
				   "account and role.", d->path, st->path, iam_q(c, d, p));
		else if ((ph = aws_placeholder_in(p)) != NULL)
			pol_report(c, NULL, d->path, "%s %s trusts %s, which contains %s: put the real "
				   "account ID of the principal that must assume this role.", d->path,
				   st->path, iam_q(c, d, p), ph);
		else if (len == 0 || strchr("0123456789", acct[0]) == NULL || len != 12)
			pol_report(c, NULL, d->path, "%s %s trusts %s, whose account field is not a "
				   "12-digit account ID: AWS rejects the principal. Use the real account ID.",
				   d->path, st->path, iam_q(c, d, p));
		return;
	}
	if (iam_cfg_has_n(c, "trustedAccountIds", acct, len))
		return;
	if (own->n && iam_acct_in(own, acct, len)) {
		if (root && !pol_cfg_bool(c, "allowSameAccountRoot") && !pinned)
			pol_report(c, NULL, d->path, "%s %s trusts %s, the root of the account this stack "
				   "deploys to: every user and role in the account with sts:AssumeRole "
				   "permission can assume it, and it is not cross-account access. Trust the "
				   "specific role ARN(s) of the other account (with an sts:ExternalId or "
				   "aws:PrincipalOrgID condition).", d->path, st->path, iam_q(c, d, p));
		return;
	}
	if (pinned)
		return;
	if (own->n) {
		if (pol_cfg_bool(c, "requireConditionForCrossAccount"))
			pol_report(c, NULL, d->path, "%s %s trusts %s in another account without an "
				   "sts:ExternalId or aws:PrincipalOrgID condition: add one (or list the "
				   "account in trustedAccountIds).", d->path, st->path, iam_q(c, d, p));
		return;
	}
	if (root)
		pol_report(c, NULL, d->path, "%s %s trusts %s, a whole account (every principal in it "
			   "that has sts:AssumeRole permission), without a condition: trust the specific "
			   "role ARN and add an sts:ExternalId or aws:PrincipalOrgID condition, or list the "
			   "account in trustedAccountIds.", d->path, st->path, iam_q(c, d, p));
}

static void iam_trust_doc(struct pol_ctx *c, const struct pol_resource *r, const struct iam_ref *d)
{
	const struct iam_doc *doc = &d->doc;
	struct iam_accts own;

	iam_own_accounts(c, r, &own);
	for (size_t i = 0; i < doc->n; i++) {
		const struct iam_statement *st = &doc->st[i];

		if (!st->effect_allow) {
			if (st->effect_unknown)
				pol_unknown(c, d->path);
			continue;
		}
		if (st->has_not_principal) {
			pol_report(c, NULL, d->path, "%s %s uses NotPrincipal with Effect \"Allow\": every "
				   "principal except those listed may assume the role. Use Principal.",
				   d->path, st->path);
			continue;
		}
		for (size_t k = 0; k < st->action.n; k++) {
			const char *a = st->action.v[k];
			int ok = 0;
			for (size_t j = 0; j < ARRAY_LEN(iam_trust_actions); j++)
				if (strcasecmp(a, iam_trust_actions[j]) == 0)
					ok = 1;
			if (!ok)
				pol_report(c, NULL, d->path, "%s %s allows %s in a trust policy; only "
					   "sts:AssumeRole (or ...WithWebIdentity / ...WithSAML, sts:TagSession, "
					   "sts:SetSourceIdentity) belong there.", d->path, st->path, iam_q(c, d, a));
		}
		if (st->principal_unknown || st->condition_unknown)
			pol_unknown(c, d->path);
		for (size_t k = 0; k < st->n_principals; k++) {
			const struct iam_principal *p = &st->principals[k];

			if (!iam_judgeable(p->value))
				continue;
			if (strcmp(p->kind, "*") == 0 || strcmp(p->kind, "AWS") == 0) {
				iam_trust_aws_principal(c, d, st, &own, p->value);
			} else if (strcmp(p->kind, "Service") == 0) {
				if (!iam_is_service_principal(p->value))
					pol_report(c, NULL, d->path, "%s %s trusts the service principal %s, "
						   "which is not an AWS service name: use the service's DNS name, "
						   "e.g. \"lambda.amazonaws.com\".", d->path, st->path,
						   iam_q(c, d, p->value));
			} else if (strcmp(p->kind, "Federated") == 0) {
				if (!st->condition && !st->condition_unknown &&
				    (iam_strs_has(&st->action, "sts:AssumeRoleWithWebIdentity") ||
				     iam_strs_has(&st->action, "sts:AssumeRoleWithSAML")))
					pol_report(c, NULL, d->path, "%s %s trusts the identity provider %s "
						   "without a condition, so any identity it issues tokens for can "
						   "assume the role: add conditions on the audience and subject "
						   "(e.g. token.actions.githubusercontent.com:sub).", d->path,
						   st->path, iam_q(c, d, p->value));
			}
		}
	}
}

static void check_trust_policy_principals(struct pol_ctx *c, const struct pol_resource *r)
{
	iam_each_doc(c, r, IK_TRUST, 0, iam_trust_doc);
}

/* ====================================================================================== */
/* iam-role-no-policy-management-conflicts (stack)                                        */
/* ====================================================================================== */

/* The Role that `prop` of `r` names: via propertyDependencies, else by name/id. */
static const struct pol_resource *iam_find_role(const struct stk_index *s, const struct pol_resource *r,
						const char *prop, const char *name)
{
	static const char *const role_ids[] = { "name", "id", "arn", NULL };
	const struct pol_resource *role;
	char *const *urns;
	size_t n = stk_prop_deps(r, prop, &urns);

	for (size_t i = 0; i < n; i++) {
		role = stk_by_urn(s, urns[i]);
		if (role && strcmp(role->type, T_ROLE) == 0)
			return role;
	}
	return stk_find_eq(s, T_ROLE, role_ids, name, STK_FIRST);
}

static int iam_list_has_str(const pv_value *l, const char *s)
{
	const pv_value *e;

	PV_LIST_FOREACH(i, e, l) {
		const char *v = pv_str(e);
		if (v && strcmp(v, s) == 0)
			return 1;
	}
	return 0;
}

/* Does the role's inlinePolicies list hold a policy named `name`? */
static int iam_inline_has(const pv_value *l, const char *name)
{
	const pv_value *e;

	PV_LIST_FOREACH(i, e, l) {
		const char *v = pv_str(pv_get(e, "name"));
		if (v && name && strcmp(v, name) == 0)
			return 1;
	}
	return 0;
}

/* A standalone managed-policy attachment vs the role's exclusive managedPolicyArns. */
static void iam_conflict_managed(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *r,
				 const char *prop, const pv_value *rolev)
{
	const struct pol_resource *role = iam_find_role(s, r, prop, pv_str(rolev));
	const pv_value *mpa;
	const char *arn;

	if (!role)
		return;
	mpa = pv_get(role->props, "managedPolicyArns");
	if (pv_kind(mpa) != PV_LIST || pv_len(mpa) == 0)
		return;
	arn = pv_str(pv_get(r->props, "policyArn"));
	/* Role outputs list every attached policy once deployed: only a missing ARN is a conflict. */
	if (!arn || iam_list_has_str(mpa, arn))
		return;
	pol_report(c, r->urn, prop, "%s attaches %s to role %s, whose managedPolicyArns manages that "
		   "role's attachments exclusively: every update of the role detaches it again. Put the "
		   "ARN in the role's managedPolicyArns, or drop managedPolicyArns and use attachments "
		   "only.", r->name, pv_is_secret(pv_get(r->props, "policyArn")) ? "a policy" : arn,
		   role->name);
}

static void iam_conflict_inline(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *r)
{
	const struct pol_resource *role = iam_find_role(s, r, "role", pv_str(pv_get(r->props, "role")));
	const pv_value *ip;
	const char *name;

	if (!role)
		return;
	ip = pv_get(role->props, "inlinePolicies");
	if (pv_kind(ip) != PV_LIST || pv_len(ip) == 0)
		return;
	name = pv_str(pv_get(r->props, "name"));
	if (name && iam_inline_has(ip, name))
		return;
	pol_report(c, r->urn, "role", "%s adds an inline policy to role %s, whose inlinePolicies "
		   "manages that role's inline policies exclusively: every update of the role removes it "
		   "again. Move the policy into the role's inlinePolicies, or drop inlinePolicies and use "
		   "RolePolicy resources only.", r->name, role->name);
}

static void iam_conflict_exclusive(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *r,
				   const char *what)
{
	const struct pol_resource *role = iam_find_role(s, r, "roleName",
							pv_str(pv_get(r->props, "roleName")));
	const pv_value *l;

	if (!role)
		return;
	l = pv_get(role->props, what);
	if (pv_kind(l) != PV_LIST || pv_len(l) == 0)
		return;
	pol_report(c, r->urn, "roleName", "%s and the %s of role %s both manage the same set "
		   "exclusively and undo each other on every update: keep only one of them.", r->name,
		   what, role->name);
}

static void check_role_policy_conflicts(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *r;
	const pv_value *e;

	STK_FOREACH_TYPE(s, T_RPA, r)
		iam_conflict_managed(c, s, r, "role", pv_get(r->props, "role"));
	STK_FOREACH_TYPE(s, T_PA, r) {
		const pv_value *roles = pv_get(r->props, "roles");
		PV_LIST_FOREACH(i, e, roles)
			iam_conflict_managed(c, s, r, "roles", e);
	}
	STK_FOREACH_TYPE(s, T_ROLE_POLICY, r)
		iam_conflict_inline(c, s, r);
	STK_FOREACH_TYPE(s, T_RPAE, r)
		iam_conflict_exclusive(c, s, r, "managedPolicyArns");
	STK_FOREACH_TYPE(s, T_RPE, r)
		iam_conflict_exclusive(c, s, r, "inlinePolicies");
}

/* ====================================================================================== */
/* the table                                                                              */
/* ====================================================================================== */

static const struct pol_doc doc_valid = {
	.why = "IAM documents assembled from Pulumi Outputs by string formatting end up holding the "
	       "SDK's \"Calling __str__ on an Output[T]\" text, invalid JSON or nested lists instead of "
	       "ARNs; AWS then rejects the document or the policy grants nothing (seed 002 #5).",
	.fail_py = "aws.iam.RolePolicy(\"s3\", role=role.id,\n"
		   "    policy=f'{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",'\n"
		   "           f'\"Action\":\"s3:GetObject\",\"Resource\":\"{bucket.arn}/*\"}}]}}')",
	.fixed_py = "aws.iam.RolePolicy(\"s3\", role=role.id,\n"
		    "    policy=bucket.arn.apply(lambda arn: json.dumps({\"Version\": \"2012-10-17\",\n"
		    "        \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\",\n"
		    "                       \"Resource\": f\"{arn}/*\"}]})))",
	.fail_ts = "new aws.iam.RolePolicy(\"s3\", { role: role.id,\n"
		   "  policy: `{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"${bucket.arn}/*\"}]}` });",
	.fixed_ts = "new aws.iam.RolePolicy(\"s3\", { role: role.id,\n"
		    "  policy: pulumi.jsonStringify({ Version: \"2012-10-17\", Statement: [{ Effect: \"Allow\",\n"
		    "    Action: \"s3:GetObject\", Resource: pulumi.interpolate`${bucket.arn}/*` }] }) });",
};

static const struct pol_doc doc_actions = {
	.why = "Wildcard actions such as \"s3:*\" or \"logs:*\" grant destructive permissions the "
	       "workload never uses (seeds 003 #7, 004 #7).",
	.fail_py = "\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:*\"], \"Resource\": \"*\"}]",
	.fixed_py = "\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],\n"
		    "               \"Resource\": [f\"{bucket_arn}/*\"]}]",
	.fail_ts = "Statement: [{ Effect: \"Allow\", Action: [\"s3:*\"], Resource: \"*\" }]",
	.fixed_ts = "Statement: [{ Effect: \"Allow\", Action: [\"s3:GetObject\", \"s3:PutObject\"],\n"
		    "             Resource: [pulumi.interpolate`${bucket.arn}/*`] }]",
};

static const struct pol_doc doc_resources = {
	.why = "Resource \"*\" and wildcard ARNs such as arn:aws:dynamodb:*:ACCT:table/app-env-* or "
	       "arn:aws:secretsmanager:*:*:secret:* reach every matching table or secret in every "
	       "region (seeds 001 #5, 003 #7, 004 #7).",
	.fail_py = "\"Resource\": [f\"arn:aws:dynamodb:*:{account}:table/{app}-{env}-*\",\n"
		   "             f\"arn:aws:dynamodb:*:{account}:table/{app}-{env}-*/index/*\"]",
	.fixed_py = "policy=table.arn.apply(lambda arn: json.dumps({\"Version\": \"2012-10-17\",\n"
		    "    \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"dynamodb:GetItem\", \"dynamodb:PutItem\"],\n"
		    "                   \"Resource\": [arn, f\"{arn}/index/*\"]}]}))",
	.fail_ts = "Resource: [\"arn:aws:logs:*:*:*\", \"arn:aws:secretsmanager:*:*:secret:*\"]",
	.fixed_ts = "Resource: [pulumi.interpolate`${logGroup.arn}:*`, secret.arn]",
};

static const struct pol_doc doc_managed = {
	.why = "AdministratorAccess, PowerUserAccess and *FullAccess managed policies give a workload "
	       "every action of one or all services on every resource (seed 003 #7).",
	.fail_py = "aws.iam.RolePolicyAttachment(\"s3\", role=role.name,\n"
		   "    policy_arn=\"arn:aws:iam::aws:policy/AmazonS3FullAccess\")",
	.fixed_py = "aws.iam.RolePolicyAttachment(\"logs\", role=role.name,\n"
		    "    policy_arn=\"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\")\n"
		    "# plus an inline policy scoped to the bucket ARN",
	.fail_ts = "new aws.iam.RolePolicyAttachment(\"admin\", { role: role.name,\n"
		   "  policyArn: aws.iam.ManagedPolicy.AdministratorAccess });",
	.fixed_ts = "new aws.iam.RolePolicyAttachment(\"logs\", { role: role.name,\n"
		    "  policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole });",
};

static const struct pol_doc doc_assume = {
	.why = "A non-production role allowed sts:AssumeRole on a wildcard ARN such as "
	       "arn:aws:iam::*:role/prod-* can assume production roles (seed 004 #13).",
	.fail_py = "\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\",\n"
		   "               \"Resource\": \"arn:aws:iam::*:role/prod-*\"}]",
	.fixed_py = "\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\",\n"
		    "               \"Resource\": f\"arn:aws:iam::{prod_account}:role/prod-deployer\"}]",
	.fail_ts = "Statement: [{ Effect: \"Allow\", Action: \"sts:AssumeRole\", Resource: \"arn:aws:iam::*:role/*\" }]",
	.fixed_ts = "Statement: [{ Effect: \"Allow\", Action: \"sts:AssumeRole\", Resource: prodDeployerRoleArn }]",
};

static const struct pol_doc doc_trust = {
	.why = "A \"cross-account\" role that trusts its own account's root or a placeholder account "
	       "(123456789012) gives no real cross-account access and lets any local principal assume "
	       "it (seed 004 #3).",
	.fail_py = "assume_role_policy=json.dumps({\"Version\": \"2012-10-17\", \"Statement\": [{\n"
		   "    \"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\",\n"
		   "    \"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}}]})",
	.fixed_py = "assume_role_policy=json.dumps({\"Version\": \"2012-10-17\", \"Statement\": [{\n"
		    "    \"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\",\n"
		    "    \"Principal\": {\"AWS\": f\"arn:aws:iam::{ci_account}:role/deployer\"},\n"
		    "    \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": external_id}}}]})",
	.fail_ts = "Principal: { AWS: `arn:aws:iam::${currentAccountId}:root` }",
	.fixed_ts = "Principal: { AWS: `arn:aws:iam::${ciAccountId}:role/deployer` },\n"
		    "Condition: { StringEquals: { \"sts:ExternalId\": externalId } }",
};

static const struct pol_doc doc_conflicts = {
	.why = "A role whose managedPolicyArns/inlinePolicies is set manages its attachments "
	       "exclusively, so separate RolePolicyAttachment/RolePolicy resources are removed on the "
	       "next update and re-added on the one after.",
	.fail_ts = "const role = new aws.iam.Role(\"r\", { assumeRolePolicy, managedPolicyArns: [basic] });\n"
		   "new aws.iam.RolePolicyAttachment(\"x\", { role: role.name, policyArn: xray });",
	.fixed_ts = "const role = new aws.iam.Role(\"r\", { assumeRolePolicy });\n"
		    "new aws.iam.RolePolicyAttachment(\"b\", { role: role.name, policyArn: basic });\n"
		    "new aws.iam.RolePolicyAttachment(\"x\", { role: role.name, policyArn: xray });",
	.fail_py = "role = aws.iam.Role(\"r\", assume_role_policy=trust, managed_policy_arns=[basic])\n"
		   "aws.iam.RolePolicyAttachment(\"x\", role=role.name, policy_arn=xray)",
	.fixed_py = "role = aws.iam.Role(\"r\", assume_role_policy=trust)\n"
		    "for n, arn in {\"b\": basic, \"x\": xray}.items():\n"
		    "    aws.iam.RolePolicyAttachment(n, role=role.name, policy_arn=arn)",
};

static const struct policy policies[] = {
	{
		.name = "iam-policy-document-valid",
		.display_name = "IAM policy documents are valid",
		.description = "Every IAM, trust and resource policy document must be a valid JSON policy "
			       "that AWS accepts and that names real resources (no stringified Outputs, "
			       "unresolved ${...} templates, empty strings or misplaced elements).",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(IAM_IDENTITY_TYPES, IAM_RESOURCE_TYPES),
		.config_schema = "{\"requireVersion\": {\"type\": \"boolean\", \"default\": false, "
				 "\"description\": \"Also require a Version element in every document (a "
				 "missing Version is always reported when the document uses policy "
				 "variables).\"}}",
		.remediation_steps = "Build the document from resolved values: in Python "
				     "Output.all(...).apply(lambda v: json.dumps({...})) or "
				     "pulumi.Output.json_dumps({...}); in TypeScript pulumi.jsonStringify({...}) "
				     "or pulumi.interpolate. Give every statement Effect, Action and (identity "
				     "policies) Resource or (trust/resource policies) Principal, and set "
				     "\"Version\": \"2012-10-17\".",
		.tags = "iam,security,correctness",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
		.check = check_policy_document_valid,
		.doc = &doc_valid,
	},
	{
		.name = "iam-no-wildcard-actions",
		.display_name = "No wildcard IAM actions",
		.description = "Allow statements must list specific actions: no \"*\", no service "
			       "wildcards such as \"s3:*\" or \"logs:*\", and no NotAction.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(IAM_IDENTITY_TYPES, IAM_RESOURCE_TYPES),
		.config_schema = "{\"allowedServiceWildcards\": {\"type\": \"array\", \"items\": {\"type\": "
				 "\"string\"}, \"default\": [], \"description\": \"Services whose wildcard is "
				 "accepted in identity policies, e.g. [\\\"xray\\\"] allows \\\"xray:*\\\".\"}, "
				 "\"flagPartialWildcards\": {\"type\": \"boolean\", \"default\": false, "
				 "\"description\": \"Also flag partial wildcards such as \\\"s3:Get*\\\".\"}, "
				 "\"checkResourcePolicies\": {\"type\": \"boolean\", \"default\": true, "
				 "\"description\": \"Also flag Action \\\"*\\\" and NotAction in resource "
				 "policies (S3, SNS, SQS, KMS, ...); service wildcards are accepted there "
				 "(kms:* is the default key policy).\"}}",
		.remediation_steps = "Replace wildcards with the actions the code calls (e.g. "
				     "dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query; logs:CreateLogStream, "
				     "logs:PutLogEvents; secretsmanager:GetSecretValue).",
		.tags = "iam,security,least-privilege",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
		.check = check_no_wildcard_actions,
		.doc = &doc_actions,
	},
	{
		.name = "iam-no-wildcard-resources",
		.display_name = "No wildcard IAM resources",
		.description = "Allow statements of identity policies must name resources: Resource \"*\" "
			       "only for actions without resource-level permissions, and no ARNs with "
			       "wildcards in region, account or resource name (the scoped suffix forms "
			       "bucket/*, table/<name>/index/*, log-group:<name>:*, secret:<name>-?????? "
			       "are fine).",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(IAM_IDENTITY_TYPES),
		.config_schema = "{\"starResourceAllowedActions\": {\"type\": \"array\", \"items\": "
				 "{\"type\": \"string\"}, \"default\": [\"xray:PutTraceSegments\", "
				 "\"xray:PutTelemetryRecords\", \"xray:GetSamplingRules\", "
				 "\"xray:GetSamplingTargets\", \"xray:GetSamplingStatisticSummaries\", "
				 "\"cloudwatch:PutMetricData\", \"cloudwatch:GetMetricData\", "
				 "\"cloudwatch:GetMetricStatistics\", \"cloudwatch:ListMetrics\", "
				 "\"ec2:CreateNetworkInterface\", \"ec2:DescribeNetworkInterfaces\", "
				 "\"ec2:DeleteNetworkInterface\", \"ec2:AssignPrivateIpAddresses\", "
				 "\"ec2:UnassignPrivateIpAddresses\", \"ec2:Describe*\", "
				 "\"sts:GetCallerIdentity\", \"ecr:GetAuthorizationToken\", "
				 "\"s3:ListAllMyBuckets\", \"kms:ListKeys\", \"kms:ListAliases\", "
				 "\"secretsmanager:GetRandomPassword\", \"secretsmanager:ListSecrets\", "
				 "\"ssm:DescribeParameters\", \"logs:DescribeLogGroups\", \"sns:ListTopics\", "
				 "\"sqs:ListQueues\", \"dynamodb:ListTables\", \"lambda:ListFunctions\", "
				 "\"tag:GetResources\", \"iam:ListRoles\", \"iam:ListPolicies\", "
				 "\"states:ListStateMachines\", \"events:ListRules\", \"dynamodb:ListStreams\", "
				 "\"dynamodb:DescribeLimits\", \"dynamodb:DescribeEndpoints\", "
				 "\"xray:BatchGetTraces\", \"xray:GetTraceSummaries\", \"xray:GetServiceGraph\", "
				 "\"xray:GetTraceGraph\", \"kms:GenerateRandom\", \"autoscaling:Describe*\", "
				 "\"elasticloadbalancing:Describe*\", \"ecs:RegisterTaskDefinition\", "
				 "\"ecs:DescribeTaskDefinition\", \"ecs:ListClusters\", "
				 "\"route53:ListHostedZones\", \"acm:ListCertificates\", "
				 "\"lambda:GetAccountSettings\", \"sns:ListSubscriptions\", \"ecs:ListTaskDefinitions\", "
				 "\"ssmmessages:CreateControlChannel\", \"ssmmessages:CreateDataChannel\", "
				 "\"ssmmessages:OpenControlChannel\", \"ssmmessages:OpenDataChannel\", "
				 "\"logs:CreateLogDelivery\", \"logs:GetLogDelivery\", \"logs:UpdateLogDelivery\", "
				 "\"logs:DeleteLogDelivery\", \"logs:ListLogDeliveries\", \"logs:PutResourcePolicy\", "
				 "\"logs:DescribeResourcePolicies\", \"textract:AnalyzeDocument\", "
				 "\"textract:AnalyzeExpense\", \"textract:AnalyzeID\", \"textract:DetectDocumentText\", "
				 "\"textract:StartDocumentAnalysis\", \"textract:StartDocumentTextDetection\", "
				 "\"textract:StartExpenseAnalysis\", \"textract:GetDocumentAnalysis\", "
				 "\"textract:GetDocumentTextDetection\", \"textract:GetExpenseAnalysis\", "
				 "\"rekognition:DetectLabels\", \"rekognition:DetectText\", \"rekognition:DetectFaces\", "
				 "\"rekognition:DetectModerationLabels\", \"rekognition:CompareFaces\"], \"description\": "
				 "\"Actions (patterns allowed) that support no resource-level permissions and "
				 "may therefore use Resource \\\"*\\\".\"}, \"allowedResourcePatterns\": "
				 "{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"default\": [], "
				 "\"description\": \"Glob patterns ('*', '?') of Resource entries to accept "
				 "as they are.\"}}",
		.remediation_steps = "Use the resources' arn outputs (table.arn, bucket.arn, secret.arn, "
				     "logGroup.arn) inside apply(), with the scoped suffixes AWS needs: "
				     "`${bucket.arn}/*`, `${table.arn}/index/*`, `${logGroup.arn}:*`.",
		.tags = "iam,security,least-privilege",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
		.check = check_no_wildcard_resources,
		.doc = &doc_resources,
	},
	{
		.name = "iam-no-broad-managed-policies",
		.display_name = "No broad AWS managed policies",
		.description = "Roles, users and groups must not be given AdministratorAccess, "
			       "PowerUserAccess, IAMFullAccess, *FullAccess or similarly broad AWS managed "
			       "policies.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_ROLE, T_RPA, T_PA, T_UPA, T_GPA, T_RPAE),
		.config_schema = "{\"deniedManagedPolicies\": {\"type\": \"array\", \"items\": {\"type\": "
				 "\"string\"}, \"default\": [\"arn:*:iam::aws:policy/AdministratorAccess\", "
				 "\"arn:*:iam::aws:policy/PowerUserAccess\", "
				 "\"arn:*:iam::aws:policy/IAMFullAccess\", "
				 "\"arn:*:iam::aws:policy/*FullAccess*\", "
				 "\"arn:*:iam::aws:policy/SecretsManagerReadWrite\", "
				 "\"arn:*:iam::aws:policy/AWSLambdaExecute\", "
				 "\"arn:*:iam::aws:policy/job-function/SystemAdministrator\", "
				 "\"arn:*:iam::aws:policy/job-function/NetworkAdministrator\", "
				 "\"arn:*:iam::aws:policy/job-function/DatabaseAdministrator\"], "
				 "\"description\": \"Glob patterns of managed-policy ARNs that are too broad.\"}, "
				 "\"allowedManagedPolicies\": {\"type\": \"array\", \"items\": {\"type\": "
				 "\"string\"}, \"default\": [\"arn:*:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\", "
				 "\"arn:*:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole\", "
				 "\"arn:*:iam::aws:policy/AWSXRayDaemonWriteAccess\", "
				 "\"arn:*:iam::aws:policy/AWSXrayWriteOnlyAccess\"], \"description\": \"Glob "
				 "patterns of managed-policy ARNs accepted even when denied above.\"}}",
		.remediation_steps = "Attach narrowly scoped policies: service-role/AWSLambdaBasicExecutionRole "
				     "for logs, AWSXRayDaemonWriteAccess for tracing, and an inline policy with "
				     "the exact actions and resource ARNs for data access.",
		.tags = "iam,security,least-privilege",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
		.check = check_no_broad_managed_policies,
		.doc = &doc_managed,
	},
	{
		.name = "iam-no-wildcard-assume-role",
		.display_name = "No sts:AssumeRole on wildcard roles",
		.description = "Identity policies must allow sts:AssumeRole only on exact role ARNs, not "
			       "on \"*\" or patterns such as arn:aws:iam::*:role/prod-*.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(IAM_IDENTITY_TYPES),
		.config_schema = "{\"allowedRoleArnPatterns\": {\"type\": \"array\", \"items\": {\"type\": "
				 "\"string\"}, \"default\": [], \"description\": \"Glob patterns of role ARN "
				 "patterns that may be assumed as written.\"}}",
		.remediation_steps = "List the exact ARN of each role the identity must assume (e.g. from "
				     "stack config or the other stack's outputs via StackReference).",
		.tags = "iam,security,cross-account",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html",
		.check = check_no_wildcard_assume_role,
		.doc = &doc_assume,
	},
	{
		.name = "iam-trust-policy-principals",
		.display_name = "Role trust policies name real, specific principals",
		.description = "Role trust policies must not trust \"*\", placeholder accounts, the "
			       "deploying account's root, cross-account principals without an "
			       "sts:ExternalId/aws:PrincipalOrgID condition, malformed service principals "
			       "or unconditioned identity providers.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_ROLE),
		.config_schema = "{\"accountIds\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
				 "\"default\": [], \"description\": \"Accounts this program deploys to (also "
				 "taken from the provider's allowedAccountIds and assumed role).\"}, "
				 "\"trustedAccountIds\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
				 "\"default\": [], \"description\": \"Other accounts whose principals may be "
				 "trusted without a condition.\"}, \"trustedPrincipals\": {\"type\": \"array\", "
				 "\"items\": {\"type\": \"string\"}, \"default\": [], \"description\": \"Glob "
				 "patterns of principals accepted as they are.\"}, "
				 "\"requireConditionForCrossAccount\": {\"type\": \"boolean\", \"default\": true, "
				 "\"description\": \"Require an sts:ExternalId or aws:PrincipalOrgID (or similar) "
				 "condition when a principal of another account is trusted.\"}, "
				 "\"allowSameAccountRoot\": {\"type\": \"boolean\", \"default\": false, "
				 "\"description\": \"Accept trusting the deploying account's root.\"}}",
		.remediation_steps = "Trust the specific role ARN of the other account "
				     "(arn:aws:iam::<other-account>:role/<name>, account from stack config) and "
				     "add Condition {\"StringEquals\": {\"sts:ExternalId\": ...}} or "
				     "{\"StringEquals\": {\"aws:PrincipalOrgID\": ...}}; service principals are "
				     "DNS names like lambda.amazonaws.com.",
		.tags = "iam,security,cross-account",
		.url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html",
		.check = check_trust_policy_principals,
		.doc = &doc_trust,
	},
	{
		.name = "iam-role-no-policy-management-conflicts",
		.display_name = "Role policies are managed in one place",
		.description = "A role's policies must not be managed both by the role's exclusive "
			       "managedPolicyArns/inlinePolicies and by separate attachment, RolePolicy or "
			       "*Exclusive resources.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(T_ROLE, T_RPA, T_PA, T_ROLE_POLICY, T_RPAE, T_RPE),
		.config_schema = NULL,
		.remediation_steps = "Either list everything in the role's managedPolicyArns / "
				     "inlinePolicies, or remove those properties and use "
				     "RolePolicyAttachment / RolePolicy resources only.",
		.tags = "iam,correctness,drift",
		.url = "https://www.pulumi.com/registry/packages/aws/api-docs/iam/role/",
		.check_stack = check_role_policy_conflicts,
		.doc = &doc_conflicts,
	},
};

const struct pol_family pol_family_iam = { "iam", policies, ARRAY_LEN(policies) };
