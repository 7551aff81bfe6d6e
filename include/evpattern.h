/*
 * evpattern.h - Amazon EventBridge event patterns: parse, validate, query.
 *
 * An event pattern is JSON text. Its grammar (aws/event-ruler
 * JsonRuleCompiler, EventBridge user guide "Event patterns" and "Content
 * filtering"):
 *
 *   pattern  := object                      (non-empty)
 *   object   := { key: (object | matches), ..., "$or": [object, object, ...] }
 *   matches  := [ value | filter, ... ]     (non-empty; every leaf is an array)
 *   value    := string | number | true | false | null
 *   filter   := { op: operand }             (exactly one operator)
 *   op       := prefix | suffix | equals-ignore-case | wildcard | anything-but
 *             | numeric | exists | cidr
 *
 * evp_parse_* turns the text into a flat list of fields ("detail.bucket.name"
 * and its matches) and a list of grammar issues, each with the dotted path at
 * fault and a message that says how to write it instead. Parsing never stops
 * at the first issue, so a policy can report all of them.
 *
 * Unknowns: an unknown (preview) pattern gives EVP_UNKNOWN; an unknown value
 * inside a known pattern becomes an EVP_OP_UNKNOWN match and is never an
 * issue.
 *
 * Everything is allocated from the arena passed in and borrowed from the
 * parsed text; nothing needs freeing. The functions are pure and safe on
 * arbitrary input (used by fuzzers): nesting is bounded by PV_MAX_DEPTH and
 * the number of recorded issues by EVP_MAX_ISSUES.
 */
#ifndef PC_EVPATTERN_H
#define PC_EVPATTERN_H

#include <stddef.h>

#include "pv.h"

struct arena;

#define EVP_MAX_ISSUES 32

/* How the pattern as a whole parsed. */
enum evp_status {
	EVP_OK = 0,        /* a JSON object; see n_issues for grammar problems */
	EVP_UNKNOWN = 1,   /* unknown during preview: do not judge */
	EVP_ABSENT = 2,    /* no pattern (absent, null or empty string) */
	EVP_INVALID = 3,   /* not JSON, or not a JSON object: see error */
};

/* One match inside a field's array. */
enum evp_op {
	EVP_OP_EXACT = 0,          /* "text", 12, true, false, null (value); also {"exactly": "text"} */
	EVP_OP_PREFIX,             /* str; ignore_case for {"prefix": {"equals-ignore-case": ...}} */
	EVP_OP_SUFFIX,             /* str; ignore_case likewise */
	EVP_OP_EQUALS_IGNORE_CASE, /* str */
	EVP_OP_WILDCARD,           /* str ('*' = any run, "\*" = a star) */
	EVP_OP_ANYTHING_BUT,       /* operand: value, list or {prefix|suffix|equals-ignore-case|wildcard} */
	EVP_OP_NUMERIC,            /* operand: the [op, n, op, n] list */
	EVP_OP_EXISTS,             /* exists: 1 / 0 */
	EVP_OP_CIDR,               /* str */
	EVP_OP_INVALID,            /* a filter with an issue (see the pattern's issues) */
	EVP_OP_UNKNOWN,            /* unknown during preview */
};

struct evp_match {
	enum evp_op op;
	const pv_value *value;     /* EXACT: the value; filters: the operand */
	const char *str;           /* the string operand / exact string, else NULL */
	int ignore_case;           /* PREFIX / SUFFIX with equals-ignore-case */
	int exists;                /* EXISTS: 1 for true, 0 for false */
};

/* A leaf of the pattern: a dotted path and its array of matches. */
struct evp_field {
	const char *path;          /* "detail.bucket.name" (keys joined with '.') */
	int in_or;                 /* declared inside a "$or" branch */
	size_t n;
	struct evp_match *m;
};

struct evp_issue {
	const char *path;          /* dotted path at fault; "" = the whole pattern */
	const char *msg;           /* what is wrong and how to write it instead */
};

struct evp_pattern {
	enum evp_status status;
	const char *error;         /* EVP_INVALID: why (never quotes secret text) */
	const pv_value *root;      /* the parsed object (EVP_OK) */
	size_t length;             /* length of the JSON text in bytes (0 when given as an object) */
	int secret;                /* the pattern was a secret: do not quote its values */
	int unknown;               /* some value inside the pattern is unknown */
	size_t n_fields;
	struct evp_field *fields;
	size_t n_issues;           /* at most EVP_MAX_ISSUES are kept ... */
	int more_issues;           /* ... and this is set when more were found */
	struct evp_issue *issues;
};

/*
 * Parse and validate JSON text. Returns 0 (see p->status) or -1 when the
 * arena is exhausted (p is then unusable).
 */
int evp_parse_text(struct arena *a, const char *text, size_t len, struct evp_pattern *p);

/*
 * Parse a property value: a JSON string (the usual eventPattern shape), an
 * object, unknown, absent or null. Secrets are looked through (p->secret).
 */
int evp_parse_value(struct arena *a, const pv_value *v, struct evp_pattern *p);

/*
 * Fields with exactly this path, one by one: start with *pos = 0; returns NULL
 * when there are no more. A path can occur several times (in "$or" branches).
 */
const struct evp_field *evp_field_next(const struct evp_pattern *p, const char *path, size_t *pos);

/* True when some field with this path has an exact string match equal to `s`. */
int evp_has_exact(const struct evp_pattern *p, const char *path, const char *s);

/* True when some field with this path exists in the pattern. */
int evp_has_field(const struct evp_pattern *p, const char *path);

/*
 * Would match `m` accept the string value `s`? 1 yes, 0 no, -1 cannot say
 * (unknown, numeric/cidr operators, invalid filters).
 */
int evp_match_str(const struct evp_match *m, const char *s);

/* Wildcard match as EventBridge does it: '*' any run, "\*" a literal star, "\\" a backslash. */
int evp_wildcard_match(const char *pattern, const char *s);

/* Human name of an operator ("prefix", "anything-but", ...). */
const char *evp_op_name(enum evp_op op);

#endif
