/*
 * iam.c - the one AWS policy-document parser (see iam.h).
 *
 * Every IAM, S3, SNS, SQS, KMS, ... policy goes through iam_doc_parse, so the
 * many shapes a document can take (JSON text or a PolicyDocument object;
 * Statement object or array; string or array fields; Principal "*" or a map
 * of string-or-array) are normalised in one place and every family judges
 * the same thing. The parser never fails hard: what AWS would reject is
 * described in doc->error, what is unknown in preview is flagged and skipped.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "aws.h"
#include "iam.h"

struct iam_parse {
	struct arena *a;
	struct iam_doc *doc;
};

/* Element names are matched exactly first, then case-insensitively (lenient: never a false alarm). */
static const pv_value *iam_member(const pv_value *obj, const char *key)
{
	const pv_value *v = pv_get(obj, key);
	const pv_value *m;
	const char *k;

	if (v)
		return v;
	PV_OBJ_FOREACH(i, k, m, obj) {
		if (strcasecmp(k, key) == 0)
			return m;
	}
	return NULL;
}

/* Record the first problem only: later ones are usually consequences of it. */
static void iam_fail(struct iam_parse *p, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void iam_fail(struct iam_parse *p, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->doc->error)
		return;
	va_start(ap, fmt);
	msg = arena_vprintf(p->a, fmt, ap);
	va_end(ap);
	p->doc->error = msg ? msg : "the policy document is invalid";
	p->doc->error_path = path ? arena_strdup(p->a, path) : "";
	if (!p->doc->error_path)
		p->doc->error_path = "";
}

/*
 * A value fit for a message: the JSON-quoted string (shortened) when the
 * document is not secret, otherwise a neutral placeholder. Never NULL.
 */
static const char *iam_quote(struct iam_parse *p, const char *s)
{
	char *q;
	size_t n, j = 0;

	if (p->doc->secret)
		return "[secret]";
	n = strlen(s);
	if (n > 60)
		n = 60;
	q = arena_alloc(p->a, n * 2 + 8);
	if (!q)
		return "\"...\"";
	q[j++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			q[j++] = '\\';
			q[j++] = (char)c;
		} else if (c < 0x20) {
			q[j++] = ' ';
		} else {
			q[j++] = (char)c;
		}
	}
	if (strlen(s) > n) {
		memcpy(q + j, "...", 3);
		j += 3;
	}
	q[j++] = '"';
	q[j] = '\0';
	return q;
}

/* "a number", "an object", ... for messages. */
static const char *iam_kind_phrase(enum pv_kind k)
{
	switch (k) {
	case PV_NULL: return "null";
	case PV_BOOL: return "a boolean";
	case PV_NUMBER: return "a number";
	case PV_STRING: return "a string";
	case PV_LIST: return "a list";
	case PV_OBJECT: return "an object";
	case PV_UNKNOWN: return "unknown";
	case PV_ASSET: return "an asset";
	case PV_ARCHIVE: return "an archive";
	default: return "missing";
	}
}

/* "base.field": plain copies, every statement builds several of these paths. */
static const char *iam_join(struct arena *a, const char *base, const char *field)
{
	const char *parts[] = { base, ".", field };
	return arena_concat(a, parts, 3, NULL);
}

static const char *iam_path(struct iam_parse *p, const char *base, const char *field)
{
	const char *s = iam_join(p->a, base, field);
	return s ? s : field;
}

/* Take a string value, remembering whether it came out of a secret. */
static const char *iam_take_str(struct iam_parse *p, const pv_value *v)
{
	int secret = 0;
	const pv_value *u = pv_unwrap(v, &secret);

	if (secret)
		p->doc->secret = 1;
	return pv_str(u);
}

/*
 * Action / NotAction / Resource / NotResource: a string or a non-empty array
 * of strings. Sets *has when the member is present at all.
 */
static void iam_strs_parse(struct iam_parse *p, const pv_value *v, const char *path,
			   struct iam_strs *out, int *has)
{
	enum pv_kind k = pv_kind(v);
	const pv_value *e;
	size_t n;

	if (k == PV_MISSING)
		return;
	*has = 1;
	if (pv_is_secret(v))
		p->doc->secret = 1;
	switch (k) {
	case PV_UNKNOWN:
		out->unknown = 1;
		return;
	case PV_STRING:
		out->v = arena_alloc(p->a, sizeof(*out->v));
		if (!out->v)
			return;
		out->v[0] = iam_take_str(p, v);
		out->n = 1;
		return;
	case PV_LIST:
		n = pv_len(v);
		if (n == 0) {
			iam_fail(p, path, "%s is an empty list", path);
			return;
		}
		out->v = arena_alloc(p->a, n * sizeof(*out->v));
		if (!out->v)
			return;
		PV_LIST_FOREACH(i, e, v) {
			enum pv_kind ek = pv_kind(e);
			if (ek == PV_STRING)
				out->v[out->n++] = iam_take_str(p, e);
			else if (ek == PV_UNKNOWN)
				out->unknown = 1;
			else
				iam_fail(p, path, "%s[%zu] is %s, not a string", path, i,
					 iam_kind_phrase(ek));
		}
		return;
	default:
		iam_fail(p, path, "%s is %s; it must be a string or a list of strings", path,
			 iam_kind_phrase(k));
		return;
	}
}

/* The canonical spelling of a principal type, or NULL when AWS has no such type. */
static const char *iam_principal_kind(const char *key)
{
	static const char *const kinds[] = { "AWS", "Service", "Federated", "CanonicalUser" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcasecmp(key, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

/*
 * Principal / NotPrincipal: "*" or {"AWS"|"Service"|"Federated"|"CanonicalUser": string|[string]}.
 * Fills *out / *n; sets *unknown when some part is unknown.
 */
static void iam_principals_parse(struct iam_parse *p, const pv_value *v, const char *path,
				 struct iam_principal **out, size_t *n, int *unknown)
{
	enum pv_kind k = pv_kind(v);
	const pv_value *m, *e;
	const char *key;
	size_t cap = 0;

	if (pv_is_secret(v))
		p->doc->secret = 1;
	if (k == PV_UNKNOWN) {
		*unknown = 1;
		return;
	}
	if (k == PV_STRING) {
		const char *s = iam_take_str(p, v);
		if (strcmp(s, "*") != 0) {
			iam_fail(p, path, "%s is the string %s; only \"*\" may be written bare, "
				 "other principals go in a map such as {\"AWS\": ...} or {\"Service\": ...}",
				 path, iam_quote(p, s));
			return;
		}
		*out = arena_alloc(p->a, sizeof(**out));
		if (!*out)
			return;
		(*out)[0].kind = "*";
		(*out)[0].value = "*";
		*n = 1;
		return;
	}
	if (k != PV_OBJECT) {
		iam_fail(p, path, "%s is %s; it must be \"*\" or a map such as {\"AWS\": ...}", path,
			 iam_kind_phrase(k));
		return;
	}
	/* Count first so the array is allocated once. */
	PV_OBJ_FOREACH(i, key, m, v) {
		enum pv_kind mk = pv_kind(m);
		cap += mk == PV_LIST ? pv_len(m) : 1;
	}
	if (cap == 0) {
		iam_fail(p, path, "%s is an empty map", path);
		return;
	}
	*out = arena_alloc(p->a, cap * sizeof(**out));
	if (!*out)
		return;
	PV_OBJ_FOREACH(i, key, m, v) {
		const char *kind = iam_principal_kind(key);
		enum pv_kind mk = pv_kind(m);
		const char *sub = iam_join(p->a, path, key);

		if (!sub)
			sub = path;
		if (!kind) {
			iam_fail(p, sub, "%s uses the principal type %s; AWS only knows AWS, Service, "
				 "Federated and CanonicalUser", path, iam_quote(p, key));
			continue;
		}
		if (pv_is_secret(m))
			p->doc->secret = 1;
		if (mk == PV_UNKNOWN) {
			*unknown = 1;
		} else if (mk == PV_STRING) {
			(*out)[*n].kind = kind;
			(*out)[(*n)++].value = iam_take_str(p, m);
		} else if (mk == PV_LIST) {
			if (pv_len(m) == 0)
				iam_fail(p, sub, "%s is an empty list", sub);
			PV_LIST_FOREACH(j, e, m) {
				enum pv_kind ek = pv_kind(e);
				if (ek == PV_STRING) {
					(*out)[*n].kind = kind;
					(*out)[(*n)++].value = iam_take_str(p, e);
				} else if (ek == PV_UNKNOWN) {
					*unknown = 1;
				} else {
					iam_fail(p, sub, "%s[%zu] is %s, not a string", sub, j,
						 iam_kind_phrase(ek));
				}
			}
		} else {
			iam_fail(p, sub, "%s is %s; it must be a string or a list of strings", sub,
				 iam_kind_phrase(mk));
		}
	}
}

static void iam_statement_parse(struct iam_parse *p, const pv_value *sv, const char *path,
				struct iam_statement *st)
{
	const pv_value *v;
	const char *s;
	enum pv_kind k;

	st->path = path;
	st->node = sv;
	st->sid = "";
	if (pv_is_secret(sv))
		p->doc->secret = 1;

	v = iam_member(sv, "Sid");
	if (pv_kind(v) == PV_STRING)
		st->sid = iam_take_str(p, v);

	v = iam_member(sv, "Effect");
	k = pv_kind(v);
	if (k == PV_UNKNOWN) {
		st->effect_unknown = 1;
	} else if (k == PV_MISSING) {
		iam_fail(p, iam_path(p, path, "Effect"), "%s has no Effect; add \"Effect\": \"Allow\" "
			 "or \"Deny\"", path);
	} else if (k != PV_STRING) {
		iam_fail(p, iam_path(p, path, "Effect"), "%s.Effect is %s; it must be \"Allow\" or "
			 "\"Deny\"", path, iam_kind_phrase(k));
	} else {
		s = iam_take_str(p, v);
		st->effect = s;
		if (strcmp(s, "Allow") == 0) {
			st->effect_allow = 1;
		} else if (strcmp(s, "Deny") != 0) {
			/* The Effect value is case sensitive (IAM JSON policy reference). */
			iam_fail(p, iam_path(p, path, "Effect"), "%s.Effect is %s; it must be exactly "
				 "\"Allow\" or \"Deny\" (case sensitive)", path, iam_quote(p, s));
		}
	}

	iam_strs_parse(p, iam_member(sv, "Action"), iam_path(p, path, "Action"), &st->action,
		       &st->has_action);
	iam_strs_parse(p, iam_member(sv, "NotAction"), iam_path(p, path, "NotAction"),
		       &st->not_action, &st->has_not_action);
	iam_strs_parse(p, iam_member(sv, "Resource"), iam_path(p, path, "Resource"), &st->resource,
		       &st->has_resource);
	iam_strs_parse(p, iam_member(sv, "NotResource"), iam_path(p, path, "NotResource"),
		       &st->not_resource, &st->has_not_resource);
	if (!st->has_action && !st->has_not_action)
		iam_fail(p, iam_path(p, path, "Action"), "%s has neither Action nor NotAction; list "
			 "the actions it allows or denies", path);
	if (st->has_action && st->has_not_action)
		iam_fail(p, iam_path(p, path, "NotAction"), "%s has both Action and NotAction; keep "
			 "only one", path);
	if (st->has_resource && st->has_not_resource)
		iam_fail(p, iam_path(p, path, "NotResource"), "%s has both Resource and NotResource; "
			 "keep only one", path);

	v = iam_member(sv, "Principal");
	if (pv_kind(v) != PV_MISSING) {
		st->has_principal = 1;
		iam_principals_parse(p, v, iam_path(p, path, "Principal"), &st->principals,
				     &st->n_principals, &st->principal_unknown);
	}
	v = iam_member(sv, "NotPrincipal");
	if (pv_kind(v) != PV_MISSING) {
		st->has_not_principal = 1;
		iam_principals_parse(p, v, iam_path(p, path, "NotPrincipal"), &st->not_principals,
				     &st->n_not_principals, &st->principal_unknown);
	}
	if (st->has_principal && st->has_not_principal)
		iam_fail(p, iam_path(p, path, "NotPrincipal"), "%s has both Principal and "
			 "NotPrincipal; keep only one", path);

	v = iam_member(sv, "Condition");
	k = pv_kind(v);
	if (k == PV_OBJECT) {
		const pv_value *blk;
		const char *op;

		st->condition = pv_unwrap(v, NULL);
		PV_OBJ_FOREACH(i, op, blk, v) {
			enum pv_kind bk = pv_kind(blk);
			if (bk == PV_UNKNOWN || pv_has_unknown(blk))
				st->condition_unknown = 1;
			else if (bk != PV_OBJECT)
				iam_fail(p, iam_path(p, path, "Condition"), "%s.Condition.%s is %s; "
					 "each condition operator maps keys to values", path, op,
					 iam_kind_phrase(bk));
		}
	} else if (k == PV_UNKNOWN) {
		st->condition_unknown = 1;
	} else if (k != PV_MISSING) {
		iam_fail(p, iam_path(p, path, "Condition"), "%s.Condition is %s; it must be a map "
			 "of condition operators", path, iam_kind_phrase(k));
	}
}

/* The first stringified-Output marker in any string of `v` (bounded depth). */
static const char *iam_marker_walk(const pv_value *v, int depth)
{
	const pv_value *e;
	const char *k, *m;

	if (depth > PV_MAX_DEPTH)
		return NULL;
	switch (pv_kind(v)) {
	case PV_STRING:
		return aws_output_marker_in(pv_str(v));
	case PV_LIST:
		PV_LIST_FOREACH(i, e, v) {
			if ((m = iam_marker_walk(e, depth + 1)) != NULL)
				return m;
		}
		return NULL;
	case PV_OBJECT:
		PV_OBJ_FOREACH(i, k, e, v) {
			if ((m = aws_output_marker_in(k)) != NULL)
				return m;
			if ((m = iam_marker_walk(e, depth + 1)) != NULL)
				return m;
		}
		return NULL;
	default:
		return NULL;
	}
}

static int iam_blank(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* Parse JSON text; on failure explain why in doc->error. Returns the root or NULL. */
static const pv_value *iam_parse_text(struct iam_parse *p, const char *text)
{
	const char *errmsg = NULL;
	const pv_value *root;
	enum pv_kind k;

	p->doc->is_string = 1;
	if (iam_blank(text)) {
		iam_fail(p, "", "the policy document is an empty string");
		return NULL;
	}
	p->doc->output_marker = aws_output_marker_in(text);
	root = pv_parse_json(p->a, text, strlen(text), &errmsg);
	if (!root) {
		if (p->doc->output_marker)
			iam_fail(p, "", "the policy document is not valid JSON: it contains \"%s\", the "
				 "text Pulumi substitutes when an Output is formatted into a string; build "
				 "the document from resolved values inside apply() (or with "
				 "Output.json_dumps / pulumi.jsonStringify)", p->doc->output_marker);
		else if (errmsg && !p->doc->secret)
			iam_fail(p, "", "the policy document is not valid JSON (%s)", errmsg);
		else
			iam_fail(p, "", "the policy document is not valid JSON");
		return NULL;
	}
	k = pv_kind(root);
	if (k == PV_STRING && !iam_blank(pv_str(root))) {
		/* json.dumps(json.dumps(doc)) or JSON.stringify of a string. */
		const char *inner = pv_str(root);
		const pv_value *again = pv_parse_json(p->a, inner, strlen(inner), NULL);
		if (pv_kind(again) == PV_OBJECT) {
			iam_fail(p, "", "the policy document is JSON-encoded twice (a JSON string that "
				 "holds the JSON text); encode it once");
			return NULL;
		}
	}
	if (k == PV_UNKNOWN) {
		p->doc->status = IAM_UNKNOWN;
		return NULL;
	}
	if (k != PV_OBJECT) {
		iam_fail(p, "", "the policy document's JSON is %s, not an object with Version and "
			 "Statement", iam_kind_phrase(k));
		return NULL;
	}
	return root;
}

void iam_doc_parse(struct arena *a, const pv_value *v, struct iam_doc *doc)
{
	struct iam_parse p = { a, doc };
	const pv_value *root = NULL, *stv, *sv;
	enum pv_kind k;

	memset(doc, 0, sizeof(*doc));
	doc->error_path = "";
	doc->secret = pv_is_secret(v);
	k = pv_kind(v);
	switch (k) {
	case PV_MISSING:
	case PV_NULL:
		doc->status = IAM_ABSENT;
		return;
	case PV_UNKNOWN:
		doc->status = IAM_UNKNOWN;
		doc->has_unknown = 1;
		return;
	case PV_STRING:
		root = iam_parse_text(&p, pv_str(v));
		break;
	case PV_OBJECT:
		root = pv_unwrap(v, NULL);
		doc->output_marker = iam_marker_walk(root, 0);
		break;
	default:
		iam_fail(&p, "", "the policy document is %s; it must be JSON text or an object",
			 iam_kind_phrase(k));
		break;
	}
	if (doc->status == IAM_UNKNOWN) {
		doc->has_unknown = 1;
		return;
	}
	if (!root)
		goto out;
	doc->root = root;
	doc->has_unknown = pv_has_unknown(root);

	stv = iam_member(root, "Version");
	k = pv_kind(stv);
	if (k == PV_STRING)
		doc->version = iam_take_str(&p, stv);
	else if (k != PV_MISSING && k != PV_UNKNOWN)
		iam_fail(&p, "Version", "Version is %s; it must be the string \"2012-10-17\"",
			 iam_kind_phrase(k));

	stv = iam_member(root, "Statement");
	k = pv_kind(stv);
	if (pv_is_secret(stv))
		doc->secret = 1;
	if (k == PV_UNKNOWN) {
		doc->status = IAM_UNKNOWN;
		return;
	}
	if (k == PV_MISSING || k == PV_NULL) {
		iam_fail(&p, "Statement", "the policy document has no Statement; add \"Statement\": "
			 "[{\"Effect\": ..., \"Action\": ..., ...}]");
		goto out;
	}
	if (k == PV_OBJECT) {
		doc->st = arena_alloc(a, sizeof(*doc->st));
		if (!doc->st)
			goto out;
		iam_statement_parse(&p, stv, "Statement", &doc->st[0]);
		doc->n = 1;
		goto out;
	}
	if (k != PV_LIST) {
		iam_fail(&p, "Statement", "Statement is %s; it must be a statement object or a list "
			 "of them", iam_kind_phrase(k));
		goto out;
	}
	if (pv_len(stv) == 0) {
		iam_fail(&p, "Statement", "Statement is an empty list; a policy needs at least one "
			 "statement");
		goto out;
	}
	doc->st = arena_alloc(a, pv_len(stv) * sizeof(*doc->st));
	if (!doc->st)
		goto out;
	PV_LIST_FOREACH(i, sv, stv) {
		enum pv_kind sk = pv_kind(sv);
		const char *path = arena_printf(a, "Statement[%zu]", i);

		if (!path)
			path = "Statement";
		if (sk == PV_UNKNOWN)
			continue;       /* has_unknown is already set */
		if (sk != PV_OBJECT) {
			iam_fail(&p, path, "%s is %s; each statement must be an object", path,
				 iam_kind_phrase(sk));
			continue;
		}
		doc->st[doc->n].index = i;
		iam_statement_parse(&p, sv, path, &doc->st[doc->n]);
		doc->n++;
	}
out:
	if (doc->status == IAM_UNKNOWN)
		return;
	doc->status = doc->error ? IAM_INVALID : IAM_OK;
}

/* Case-insensitive glob ('*' any run, '?' one char) in linear time: the last '*' is the only backtrack point. */
static int iam_glob_ci(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat == '?' || (*pat && tolower((unsigned char)*pat) ==
					   tolower((unsigned char)*s))) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

int iam_action_matches(const char *pat, const char *action)
{
	if (!pat || !action)
		return 0;
	return iam_glob_ci(pat, action);
}

int iam_action_is_wildcard(const char *action)
{
	const char *colon;

	if (!action)
		return 0;
	if (strcmp(action, "*") == 0 || strcmp(action, "*:*") == 0)
		return 1;
	colon = strchr(action, ':');
	return colon && colon != action && strcmp(colon + 1, "*") == 0;
}

/* Member of a condition map matched case-insensitively (operators exact first). */
static const pv_value *iam_cond_member(const pv_value *obj, const char *key)
{
	return iam_member(obj, key);
}

const pv_value *iam_condition(const struct iam_statement *st, const char *op, const char *key)
{
	const pv_value *blk;

	if (!st || !st->condition || !op || !key)
		return NULL;
	blk = iam_cond_member(st->condition, op);
	if (pv_kind(blk) != PV_OBJECT)
		return NULL;
	return iam_cond_member(blk, key);
}

int iam_condition_has_key(const struct iam_statement *st, const char *key)
{
	const pv_value *blk, *val;
	const char *op, *k;

	if (!st || !st->condition || !key)
		return 0;
	PV_OBJ_FOREACH(i, op, blk, st->condition) {
		PV_OBJ_FOREACH(j, k, val, blk) {
			if (strcasecmp(k, key) == 0)
				return 1;
		}
	}
	return 0;
}

int iam_principal_is_wildcard(const struct iam_statement *st)
{
	if (!st)
		return 0;
	for (size_t i = 0; i < st->n_principals; i++) {
		const struct iam_principal *pr = &st->principals[i];
		if (strcmp(pr->value, "*") == 0 &&
		    (strcmp(pr->kind, "*") == 0 || strcmp(pr->kind, "AWS") == 0))
			return 1;
	}
	return 0;
}

int iam_strs_has(const struct iam_strs *l, const char *s)
{
	if (!l || !s)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] && strcasecmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

int iam_doc_allows_service(const struct iam_doc *doc, const char *service, const char *const *actions)
{
	int unknown = 0;
	if (!doc || doc->status == IAM_ABSENT)
		return 0;
	if (doc->status != IAM_OK)
		return -1;
	for (size_t i = 0; i < doc->n; i++) {
		const struct iam_statement *st = &doc->st[i];
		int covers = iam_principal_is_wildcard(st), all = 1;
		if (st->effect_unknown) {
			unknown = 1;
			continue;
		}
		if (!st->effect_allow)
			continue;
		for (size_t p = 0; p < st->n_principals && !covers; p++)
			covers = strcmp(st->principals[p].kind, "Service") == 0 &&
				 strcmp(st->principals[p].value, service) == 0;
		if (!covers) {
			unknown |= st->principal_unknown;
			continue;
		}
		for (const char *const *want = actions; *want && all; want++) {
			int got = 0;
			for (size_t a = 0; a < st->action.n && !got; a++)
				got = iam_action_matches(st->action.v[a], *want);
			all = got;
		}
		if (all)
			return 1;
		unknown |= st->action.unknown;
	}
	return unknown || doc->has_unknown ? -1 : 0;
}
