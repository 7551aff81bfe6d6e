/*
 * evpattern.c - EventBridge event patterns: parse, validate, query (see evpattern.h).
 *
 * The grammar follows aws/event-ruler's JsonRuleCompiler, which is what
 * EventBridge runs: every leaf is a non-empty array, objects are non-empty,
 * "$or" holds at least two objects, a content filter is an object with
 * exactly one operator. Messages say how to write the construct instead,
 * because the usual mistake is a shape EventBridge silently never matches or
 * rejects at deploy time.
 */
#include "evpattern.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cidr.h"

/* The operators a content filter may use (documented EventBridge set + event-ruler "exactly"). */
static const char *const evp_operators[] = {
	"prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but",
	"numeric", "exists", "cidr", "exactly",
};

struct evp_builder {
	struct arena *a;
	struct evp_pattern *p;
	size_t cap_fields;
	int oom;
};

static int is_operator(const char *key)
{
	for (size_t i = 0; i < sizeof(evp_operators) / sizeof(evp_operators[0]); i++)
		if (strcmp(key, evp_operators[i]) == 0)
			return 1;
	return 0;
}

/* Visible members of an object (pv_obj_size also counts hidden and shadowed ones). */
static size_t obj_members(const pv_value *obj, const char **first_key, const pv_value **first_val)
{
	const char *key;
	const pv_value *val;
	size_t n = 0;
	PV_OBJ_FOREACH(i, key, val, obj) {
		if (n == 0) {
			if (first_key)
				*first_key = key;
			if (first_val)
				*first_val = val;
		}
		n++;
	}
	return n;
}

static const char *join_path(struct evp_builder *b, const char *prefix, const char *key)
{
	char *s = (prefix && *prefix) ? arena_printf(b->a, "%s.%s", prefix, key) : arena_strdup(b->a, key);
	if (!s) {
		b->oom = 1;
		return "";
	}
	return s;
}

static void add_issue(struct evp_builder *b, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_issue(struct evp_builder *b, const char *path, const char *fmt, ...)
{
	struct evp_pattern *p = b->p;
	if (p->n_issues >= EVP_MAX_ISSUES) {
		p->more_issues = 1;
		return;
	}
	if (!p->issues) {
		p->issues = arena_alloc(b->a, EVP_MAX_ISSUES * sizeof(*p->issues));
		if (!p->issues) {
			b->oom = 1;
			return;
		}
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(b->a, fmt, ap);
	va_end(ap);
	if (!msg) {
		b->oom = 1;
		return;
	}
	p->issues[p->n_issues].path = path ? path : "";
	p->issues[p->n_issues].msg = msg;
	p->n_issues++;
}

/*
 * A short rendering of a value for messages: compact JSON cut at 60 bytes,
 * or "..." when the pattern is secret (never quote secret content).
 */
static const char *show(struct evp_builder *b, const pv_value *v)
{
	if (b->p->secret || pv_is_secret(v))
		return "...";
	char *s = pv_to_json(b->a, v);
	if (!s)
		return "...";
	if (strlen(s) > 60) {
		/* Cut on a UTF-8 character boundary: messages go into proto3 strings. */
		size_t cut = 57;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		memcpy(s + cut, "...", 4);
	}
	return s;
}

/* A string quoted for messages (keys and operator names), "..." when secret. */
static const char *show_str(struct evp_builder *b, const char *s)
{
	if (b->p->secret)
		return "...";
	size_t n = strlen(s);
	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	const char *q = arena_printf(b->a, "\"%.*s%s\"", (int)n, s, n < strlen(s) ? "..." : "");
	return q ? q : "...";
}

/* The last key of a dotted path, for "write \"key\": [...]" suggestions. */
static const char *last_key(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

static struct evp_field *add_field(struct evp_builder *b, const char *path, int in_or, size_t n)
{
	struct evp_pattern *p = b->p;
	if (p->n_fields == b->cap_fields) {
		size_t cap = b->cap_fields ? 2 * b->cap_fields : 8;
		struct evp_field *f = arena_alloc(b->a, cap * sizeof(*f));
		if (!f) {
			b->oom = 1;
			return NULL;
		}
		if (p->n_fields)
			memcpy(f, p->fields, p->n_fields * sizeof(*f));
		p->fields = f;
		b->cap_fields = cap;
	}
	struct evp_field *f = &p->fields[p->n_fields];
	f->path = path;
	f->in_or = in_or;
	f->n = 0;
	f->m = arena_alloc(b->a, (n ? n : 1) * sizeof(*f->m));
	if (!f->m) {
		b->oom = 1;
		return NULL;
	}
	p->n_fields++;
	return f;
}

/* ---- operand checks ------------------------------------------------------------ */

/* "\*" and "\\" are the only escapes; "**" is rejected by EventBridge. */
static int wildcard_ok(struct evp_builder *b, const char *path, const char *w)
{
	for (size_t i = 0; w[i]; i++) {
		if (w[i] == '\\') {
			if (w[i + 1] != '*' && w[i + 1] != '\\') {
				add_issue(b, path, "wildcard pattern has a backslash that escapes neither '*' nor '\\' "
					  "at position %zu: only \\* and \\\\ are valid escapes.", i);
				return 0;
			}
			i++;
		} else if (w[i] == '*' && w[i + 1] == '*') {
			add_issue(b, path, "wildcard pattern has consecutive '*' at position %zu, which "
				  "EventBridge rejects: use a single '*'.", i);
			return 0;
		}
	}
	return 1;
}

static int cidr_ok(const char *s)
{
	struct cidr c;
	return cidr_parse(s, &c) == 0;
}

static int is_numeric_op(const char *s)
{
	return strcmp(s, "=") == 0 || strcmp(s, "<") == 0 || strcmp(s, "<=") == 0 ||
	       strcmp(s, ">") == 0 || strcmp(s, ">=") == 0;
}

/* {"numeric": ["=", 5]}, [">", 0], [">=", 0, "<", 10], ["<=", 9] */
static int numeric_ok(struct evp_builder *b, const char *path, const pv_value *v)
{
	static const char how[] = "write {\"numeric\": [\">\", 0, \"<=\", 5]} (operators =, <, <=, >, >=; "
				  "at most a lower and an upper bound; numbers, not strings).";
	size_t n = pv_len(v);
	if (pv_kind(v) != PV_LIST || (n != 2 && n != 4)) {
		add_issue(b, path, "numeric filter must be a list of one or two [operator, number] pairs: %s", how);
		return 0;
	}
	const char *op1 = pv_str(pv_at(v, 0));
	double lo, hi;
	if (!op1 || !is_numeric_op(op1) || pv_kind(pv_at(v, 1)) != PV_NUMBER) {
		add_issue(b, path, "numeric filter %s is not [operator, number]: %s", show(b, v), how);
		return 0;
	}
	lo = pv_at(v, 1)->number_value;
	if (n == 2)
		return 1;
	const char *op2 = pv_str(pv_at(v, 2));
	if (strcmp(op1, ">") != 0 && strcmp(op1, ">=") != 0) {
		add_issue(b, path, "numeric range %s must start with a lower bound (\">\" or \">=\") followed by "
			  "an upper bound (\"<\" or \"<=\").", show(b, v));
		return 0;
	}
	if (!op2 || (strcmp(op2, "<") != 0 && strcmp(op2, "<=") != 0) || pv_kind(pv_at(v, 3)) != PV_NUMBER) {
		add_issue(b, path, "numeric range %s needs an upper bound \"<\" or \"<=\" followed by a number.",
			  show(b, v));
		return 0;
	}
	hi = pv_at(v, 3)->number_value;
	if (!(lo < hi)) {
		add_issue(b, path, "numeric range %s is empty: the lower bound must be below the upper bound.",
			  show(b, v));
		return 0;
	}
	return 1;
}

/* A string, or a non-empty list of strings (anything-but equals-ignore-case / wildcard). */
static int str_or_str_list(const pv_value *v)
{
	if (pv_kind(v) == PV_STRING)
		return 1;
	if (pv_kind(v) != PV_LIST || pv_len(v) == 0)
		return 0;
	const pv_value *e;
	PV_LIST_FOREACH(i, e, v)
		if (pv_kind(e) != PV_STRING && pv_kind(e) != PV_UNKNOWN)
			return 0;
	return 1;
}

static int anything_but_ok(struct evp_builder *b, const char *path, const pv_value *v)
{
	static const char how[] = "anything-but takes a string, a number, a list of only strings or only "
				  "numbers, or {\"prefix\"|\"suffix\"|\"equals-ignore-case\"|\"wildcard\": ...}.";
	switch (pv_kind(v)) {
	case PV_STRING:
	case PV_NUMBER:
		return 1;
	case PV_LIST: {
		size_t n_str = 0, n_num = 0, n_other = 0;
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v) {
			enum pv_kind k = pv_kind(e);
			if (k == PV_STRING)
				n_str++;
			else if (k == PV_NUMBER)
				n_num++;
			else if (k != PV_UNKNOWN)
				n_other++;
		}
		if (pv_len(v) == 0) {
			add_issue(b, path, "anything-but list is empty: list the values to exclude.");
			return 0;
		}
		if (n_other || (n_str && n_num)) {
			add_issue(b, path, "anything-but list %s mixes types or holds null/booleans/objects: %s",
				  show(b, v), how);
			return 0;
		}
		return 1;
	}
	case PV_OBJECT: {
		const char *key = NULL;
		const pv_value *val = NULL;
		if (obj_members(v, &key, &val) != 1) {
			add_issue(b, path, "anything-but object must have exactly one operator: %s", how);
			return 0;
		}
		if (pv_kind(val) == PV_UNKNOWN)
			return 1;
		if (strcmp(key, "prefix") == 0 || strcmp(key, "suffix") == 0) {
			const char *s = pv_str(val);
			if (!s || !*s) {
				add_issue(b, path, "anything-but %s must be a non-empty string.", key);
				return 0;
			}
			return 1;
		}
		if (strcmp(key, "equals-ignore-case") == 0 || strcmp(key, "wildcard") == 0) {
			if (!str_or_str_list(val)) {
				add_issue(b, path, "anything-but %s must be a string or a list of strings.", key);
				return 0;
			}
			if (strcmp(key, "wildcard") == 0) {
				if (pv_kind(val) == PV_STRING)
					return wildcard_ok(b, path, pv_str(val));
				const pv_value *e;
				PV_LIST_FOREACH(i, e, val)
					if (pv_str(e) && !wildcard_ok(b, path, pv_str(e)))
						return 0;
			}
			return 1;
		}
		add_issue(b, path, "anything-but does not support %s: %s", show_str(b, key), how);
		return 0;
	}
	default:
		add_issue(b, path, "anything-but value %s is not supported: %s", show(b, v), how);
		return 0;
	}
}

/* ---- the walk ---------------------------------------------------------------------- */

static void walk_object(struct evp_builder *b, const pv_value *obj, const char *prefix, int depth, int in_or);

/* One element of a match array that is an object: a content filter. */
static void parse_filter(struct evp_builder *b, const pv_value *obj, const char *path, struct evp_match *m)
{
	const char *op = NULL;
	const pv_value *val = NULL;
	size_t n = obj_members(obj, &op, &val);
	m->op = EVP_OP_INVALID;
	m->value = obj;
	if (n != 1) {
		add_issue(b, path, "content filter %s must have exactly one operator, e.g. {\"prefix\": \"logs/\"}; "
			  "put alternatives in separate array elements.", show(b, obj));
		return;
	}
	m->value = val;
	if (pv_kind(val) == PV_UNKNOWN) {
		m->op = EVP_OP_UNKNOWN;
		b->p->unknown = 1;
		return;
	}
	if (strcmp(op, "prefix") == 0 || strcmp(op, "suffix") == 0) {
		int prefix = op[0] == 'p';
		const pv_value *inner = pv_get(val, "equals-ignore-case");
		if (pv_kind(val) == PV_STRING) {
			m->str = pv_str(val);
		} else if (pv_kind(val) == PV_OBJECT && obj_members(val, NULL, NULL) == 1 &&
			   pv_kind(inner) == PV_STRING) {
			m->str = pv_str(inner);
			m->ignore_case = 1;
		} else if (pv_kind(val) == PV_OBJECT && pv_kind(inner) == PV_UNKNOWN) {
			m->op = EVP_OP_UNKNOWN;
			b->p->unknown = 1;
			return;
		} else {
			add_issue(b, path, "%s must be a string or {\"equals-ignore-case\": \"...\"}, not %s.", op,
				  show(b, val));
			return;
		}
		m->op = prefix ? EVP_OP_PREFIX : EVP_OP_SUFFIX;
		return;
	}
	if (strcmp(op, "equals-ignore-case") == 0 || strcmp(op, "wildcard") == 0 || strcmp(op, "cidr") == 0 ||
	    strcmp(op, "exactly") == 0) {
		const char *s = pv_str(val);
		if (!s) {
			add_issue(b, path, "%s must be a string, not %s.", op, show(b, val));
			return;
		}
		m->str = s;
		if (op[0] == 'w') {
			if (!wildcard_ok(b, path, s))
				return;
			m->op = EVP_OP_WILDCARD;
		} else if (op[0] == 'c') {
			if (!cidr_ok(s)) {
				add_issue(b, path, "cidr %s is not an IPv4 or IPv6 CIDR block such as \"10.0.0.0/24\".",
					  show(b, val));
				return;
			}
			m->op = EVP_OP_CIDR;
		} else if (op[1] == 'q') {
			m->op = EVP_OP_EQUALS_IGNORE_CASE;
		} else {
			m->op = EVP_OP_EXACT;  /* "exactly": a string match that skips IP parsing */
		}
		return;
	}
	if (strcmp(op, "anything-but") == 0) {
		if (anything_but_ok(b, path, val))
			m->op = EVP_OP_ANYTHING_BUT;
		return;
	}
	if (strcmp(op, "numeric") == 0) {
		if (numeric_ok(b, path, val))
			m->op = EVP_OP_NUMERIC;
		return;
	}
	if (strcmp(op, "exists") == 0) {
		if (pv_kind(val) != PV_BOOL) {
			add_issue(b, path, "exists must be true or false (a JSON boolean), not %s.", show(b, val));
			return;
		}
		m->op = EVP_OP_EXISTS;
		m->exists = val->bool_value ? 1 : 0;
		return;
	}
	add_issue(b, path, "unknown content filter operator %s: use prefix, suffix, equals-ignore-case, "
		  "wildcard, anything-but, numeric, exists or cidr.", show_str(b, op));
}

static void walk_matches(struct evp_builder *b, const pv_value *list, const char *path, int in_or)
{
	size_t n = pv_len(list);
	if (n == 0) {
		add_issue(b, path, "\"%s\" is an empty array, which EventBridge rejects: list at least one value "
			  "or remove the field.", last_key(path));
		return;
	}
	struct evp_field *f = add_field(b, path, in_or, n);
	if (!f)
		return;
	const pv_value *e;
	PV_LIST_FOREACH(i, e, list) {
		struct evp_match *m = &f->m[f->n++];
		memset(m, 0, sizeof(*m));
		m->value = e;
		const char *epath = arena_printf(b->a, "%s[%zu]", path, i);
		if (!epath) {
			b->oom = 1;
			return;
		}
		switch (pv_kind(e)) {
		case PV_UNKNOWN:
			m->op = EVP_OP_UNKNOWN;
			b->p->unknown = 1;
			break;
		case PV_STRING:
			m->op = EVP_OP_EXACT;
			m->str = pv_str(e);
			break;
		case PV_NUMBER:
		case PV_BOOL:
		case PV_NULL:
			m->op = EVP_OP_EXACT;
			break;
		case PV_OBJECT:
			parse_filter(b, e, epath, m);
			break;
		case PV_LIST:
			m->op = EVP_OP_INVALID;
			add_issue(b, epath, "nested arrays are not allowed: flatten %s into the field's array.",
				  show(b, e));
			break;
		default:
			m->op = EVP_OP_INVALID;
			add_issue(b, epath, "match values must be strings, numbers, booleans, null or content "
				  "filters.");
			break;
		}
	}
}

static void walk_or(struct evp_builder *b, const pv_value *v, const char *prefix, int depth)
{
	const char *path = join_path(b, prefix, "$or");
	if (pv_kind(v) == PV_UNKNOWN) {
		b->p->unknown = 1;
		return;
	}
	if (pv_kind(v) != PV_LIST || pv_len(v) < 2) {
		add_issue(b, path, "\"$or\" must be an array of at least two objects, e.g. "
			  "\"$or\": [{\"a\": [1]}, {\"b\": [2]}].");
		if (pv_kind(v) != PV_LIST)
			return;
	}
	const pv_value *e;
	PV_LIST_FOREACH(i, e, v) {
		if (pv_kind(e) == PV_UNKNOWN) {
			b->p->unknown = 1;
		} else if (pv_kind(e) == PV_OBJECT) {
			walk_object(b, e, prefix, depth + 1, 1);
		} else {
			add_issue(b, path, "\"$or\" element %zu is a %s: only objects are allowed in \"$or\".", i,
				  pv_kind_name(pv_kind(e)));
		}
	}
}

static void walk_object(struct evp_builder *b, const pv_value *obj, const char *prefix, int depth, int in_or)
{
	if (depth > PV_MAX_DEPTH) {
		add_issue(b, prefix, "pattern nests deeper than %d levels.", PV_MAX_DEPTH);
		return;
	}
	if (obj_members(obj, NULL, NULL) == 0) {
		add_issue(b, prefix, "%s is an empty object, which EventBridge rejects: add a field or remove it.",
			  prefix && *prefix ? prefix : "the pattern");
		return;
	}
	const char *key;
	const pv_value *val;
	PV_OBJ_FOREACH(i, key, val, obj) {
		if (b->oom)
			return;
		if (strcmp(key, "$or") == 0) {
			walk_or(b, val, prefix, depth);
			continue;
		}
		const char *path = join_path(b, prefix, key);
		if (in_or && is_operator(key)) {
			add_issue(b, path, "\"%s\" is an operator name and cannot be a field name inside \"$or\".", key);
			continue;
		}
		switch (pv_kind(val)) {
		case PV_UNKNOWN: {
			b->p->unknown = 1;
			struct evp_field *f = add_field(b, path, in_or, 1);
			if (f) {
				memset(&f->m[0], 0, sizeof(f->m[0]));
				f->m[0].op = EVP_OP_UNKNOWN;
				f->m[0].value = val;
				f->n = 1;
			}
			break;
		}
		case PV_OBJECT: {
			const char *op = NULL;
			if (obj_members(val, &op, NULL) == 1 && is_operator(op)) {
				add_issue(b, path, "content filter %s must be inside an array: write \"%s\": [%s].",
					  show(b, val), key, show(b, val));
				break;
			}
			walk_object(b, val, path, depth + 1, in_or);
			break;
		}
		case PV_LIST:
			walk_matches(b, val, path, in_or);
			break;
		default:
			add_issue(b, path, "\"%s\" is a %s, but every match value must be in an array: write \"%s\": [%s].",
				  key, pv_kind_name(pv_kind(val)), key, show(b, val));
			break;
		}
	}
}

static int finish(struct evp_builder *b)
{
	return b->oom ? -1 : 0;
}

static int parse_root(struct evp_builder *b, const pv_value *root)
{
	struct evp_pattern *p = b->p;
	enum pv_kind k = pv_kind(root);
	if (k == PV_UNKNOWN) {
		p->status = EVP_UNKNOWN;
		return 0;
	}
	if (k != PV_OBJECT) {
		p->status = EVP_INVALID;
		p->error = arena_printf(b->a, "the pattern is a JSON %s, but it must be a JSON object such as "
					"{\"source\": [\"aws.s3\"]}", pv_kind_name(k));
		return p->error ? 0 : -1;
	}
	p->status = EVP_OK;
	p->root = root;
	walk_object(b, root, "", 0, 0);
	return finish(b);
}

static int parse_text(struct arena *a, const char *text, size_t len, struct evp_pattern *p, int secret)
{
	memset(p, 0, sizeof(*p));
	p->secret = secret;
	struct evp_builder b = { a, p, 0, 0 };
	p->length = len;
	/* Whitespace-only counts as absent, like an empty string. */
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i == len) {
		p->status = EVP_ABSENT;
		return 0;
	}
	const char *err = NULL;
	const pv_value *root = pv_parse_json(a, text, len, &err);
	if (!root) {
		p->status = EVP_INVALID;
		p->error = err ? err : "invalid JSON";
		return 0;
	}
	return parse_root(&b, root);
}

int evp_parse_text(struct arena *a, const char *text, size_t len, struct evp_pattern *p)
{
	return parse_text(a, text, len, p, 0);
}

int evp_parse_value(struct arena *a, const pv_value *v, struct evp_pattern *p)
{
	memset(p, 0, sizeof(*p));
	p->secret = pv_is_secret(v);
	switch (pv_kind(v)) {
	case PV_MISSING:
	case PV_NULL:
		p->status = EVP_ABSENT;
		return 0;
	case PV_UNKNOWN:
		p->status = EVP_UNKNOWN;
		return 0;
	case PV_STRING: {
		const char *s = pv_str(v);
		return parse_text(a, s, strlen(s), p, pv_is_secret(v));
	}
	default: {
		struct evp_builder b = { a, p, 0, 0 };
		return parse_root(&b, pv_unwrap(v, NULL));
	}
	}
}

/* ---- queries ------------------------------------------------------------------------ */

const struct evp_field *evp_field_next(const struct evp_pattern *p, const char *path, size_t *pos)
{
	if (!p || p->status != EVP_OK)
		return NULL;
	for (size_t i = *pos; i < p->n_fields; i++) {
		if (strcmp(p->fields[i].path, path) == 0) {
			*pos = i + 1;
			return &p->fields[i];
		}
	}
	*pos = p->n_fields;
	return NULL;
}

int evp_has_field(const struct evp_pattern *p, const char *path)
{
	size_t pos = 0;
	return evp_field_next(p, path, &pos) != NULL;
}

int evp_has_exact(const struct evp_pattern *p, const char *path, const char *s)
{
	size_t pos = 0;
	const struct evp_field *f;
	while ((f = evp_field_next(p, path, &pos)) != NULL)
		for (size_t i = 0; i < f->n; i++)
			if (f->m[i].op == EVP_OP_EXACT && f->m[i].str && strcmp(f->m[i].str, s) == 0)
				return 1;
	return 0;
}

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

/* ASCII case-insensitive comparison of n bytes. */
static int eq_ci(const char *x, const char *y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)x[i]) != lower((unsigned char)y[i]))
			return 0;
	return 1;
}

static int has_prefix(const char *s, const char *pre, int ci)
{
	size_t n = strlen(pre);
	if (strlen(s) < n)
		return 0;
	return ci ? eq_ci(s, pre, n) : memcmp(s, pre, n) == 0;
}

static int has_suffix(const char *s, const char *suf, int ci)
{
	size_t n = strlen(suf), m = strlen(s);
	if (m < n)
		return 0;
	return ci ? eq_ci(s + m - n, suf, n) : memcmp(s + m - n, suf, n) == 0;
}

static int streq_ci(const char *x, const char *y)
{
	return strlen(x) == strlen(y) && eq_ci(x, y, strlen(x));
}

int evp_wildcard_match(const char *pat, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;
	while (*s) {
		if (*pat == '*') {
			star_p = ++pat;
			star_s = s;
			continue;
		}
		char pc = *pat;
		const char *next = pat + 1;
		if (pc == '\\' && (pat[1] == '*' || pat[1] == '\\')) {
			pc = pat[1];
			next = pat + 2;
		}
		if (pc != '\0' && pc == *s) {
			pat = next;
			s++;
			continue;
		}
		if (!star_p)
			return 0;
		pat = star_p;
		s = ++star_s;
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

/* Does anything-but operand `v` exclude string s? 1 excluded, 0 not, -1 cannot say. */
static int anything_but_excludes(const pv_value *v, const char *s)
{
	switch (pv_kind(v)) {
	case PV_STRING:
		return strcmp(pv_str(v), s) == 0;
	case PV_NUMBER:
		return 0;
	case PV_LIST: {
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v) {
			if (pv_kind(e) == PV_UNKNOWN)
				return -1;
			if (pv_str(e) && strcmp(pv_str(e), s) == 0)
				return 1;
		}
		return 0;
	}
	case PV_OBJECT: {
		const char *key = NULL;
		const pv_value *val = NULL;
		if (obj_members(v, &key, &val) != 1)
			return -1;
		if (pv_kind(val) == PV_UNKNOWN)
			return -1;
		if (strcmp(key, "prefix") == 0 && pv_str(val))
			return has_prefix(s, pv_str(val), 0);
		if (strcmp(key, "suffix") == 0 && pv_str(val))
			return has_suffix(s, pv_str(val), 0);
		int wild = strcmp(key, "wildcard") == 0;
		if (!wild && strcmp(key, "equals-ignore-case") != 0)
			return -1;
		if (pv_str(val))
			return wild ? evp_wildcard_match(pv_str(val), s) : streq_ci(pv_str(val), s);
		const pv_value *e;
		PV_LIST_FOREACH(i, e, val) {
			const char *x = pv_str(e);
			if (!x)
				return -1;
			if (wild ? evp_wildcard_match(x, s) : streq_ci(x, s))
				return 1;
		}
		return 0;
	}
	default:
		return -1;
	}
}

int evp_match_str(const struct evp_match *m, const char *s)
{
	if (!m || !s)
		return -1;
	switch (m->op) {
	case EVP_OP_EXACT:
		return m->str ? strcmp(m->str, s) == 0 : 0;
	case EVP_OP_PREFIX:
		return has_prefix(s, m->str, m->ignore_case);
	case EVP_OP_SUFFIX:
		return has_suffix(s, m->str, m->ignore_case);
	case EVP_OP_EQUALS_IGNORE_CASE:
		return streq_ci(m->str, s);
	case EVP_OP_WILDCARD:
		return evp_wildcard_match(m->str, s);
	case EVP_OP_ANYTHING_BUT: {
		int x = anything_but_excludes(m->value, s);
		return x < 0 ? -1 : !x;
	}
	case EVP_OP_EXISTS:
		return m->exists;
	case EVP_OP_NUMERIC:
		return 0;
	default:
		return -1;
	}
}

const char *evp_op_name(enum evp_op op)
{
	switch (op) {
	case EVP_OP_EXACT: return "exact";
	case EVP_OP_PREFIX: return "prefix";
	case EVP_OP_SUFFIX: return "suffix";
	case EVP_OP_EQUALS_IGNORE_CASE: return "equals-ignore-case";
	case EVP_OP_WILDCARD: return "wildcard";
	case EVP_OP_ANYTHING_BUT: return "anything-but";
	case EVP_OP_NUMERIC: return "numeric";
	case EVP_OP_EXISTS: return "exists";
	case EVP_OP_CIDR: return "cidr";
	case EVP_OP_INVALID: return "invalid";
	case EVP_OP_UNKNOWN: return "unknown";
	}
	return "?";
}
