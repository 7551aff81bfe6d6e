/*
 * pv.h - a read-only property view over google.protobuf.Struct values.
 *
 * The engine sends resource properties as a Struct whose values follow
 * Pulumi's wire encoding (wire-protocol.md section 5): preview unknowns are
 * sentinel strings, secrets/assets/archives are objects tagged by a signature
 * key, non-string provider inputs are JSON text. This API hides all of that:
 *
 *  - every accessor looks through secret wrappers (judge the inner value);
 *  - every value has one kind, and PV_UNKNOWN is its own kind, so a policy
 *    can never mistake an unknown for a real value;
 *  - object keys that start with "__" (engine-internal) are invisible;
 *  - nothing is copied: results are borrowed pointers into the decoded
 *    request and live as long as it does (the request arena).
 *
 * All functions accept NULL (meaning "absent") and then return PV_MISSING,
 * NULL, 0 or PV_EMISSING as appropriate. None of them allocate except
 * pv_parse_json / pv_json and the pv_new_* builders, which allocate from the
 * arena they are given.
 */
#ifndef PC_PV_H
#define PC_PV_H

#include <stddef.h>

#include "google/protobuf/struct.pb-c.h"

struct arena;

typedef Google__Protobuf__Value pv_value;

enum pv_kind {
	PV_MISSING = 0,   /* absent key, NULL pointer, or Value with no kind set */
	PV_NULL,
	PV_BOOL,
	PV_NUMBER,
	PV_STRING,
	PV_LIST,
	PV_OBJECT,
	PV_UNKNOWN,       /* one of the seven preview sentinels, or a secret of one */
	PV_ASSET,
	PV_ARCHIVE,
};

/* Status codes of the typed getters. */
enum {
	PV_OK = 0,
	PV_EMISSING = -1, /* absent or null */
	PV_EUNKNOWN = -2, /* unknown during preview: do not judge */
	PV_ETYPE = -3,    /* present but of another kind */
};

/* Wire constants (wire-protocol.md section 5). */
#define PV_SIG_KEY "4dabf18193072939515e22adb298388d"
#define PV_SIG_SECRET "1b47061264138c4ac30d75fd1eb44270"
#define PV_SIG_ASSET "c44067f5952c0a294b673a41bacd8c17"
#define PV_SIG_ARCHIVE "0def7320c3a5731c473e5ecbe6d01bc7"
#define PV_SIG_RESOURCE "5cf8f73096256a8f31e491e813e4eb8e"
#define PV_SIG_OUTPUT "d0e6a833031e9bbcd3f4e8bde6ca49a4"
#define PV_UNKNOWN_STRING "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

/* Kind of `v` after looking through secrets. */
enum pv_kind pv_kind(const pv_value *v);

/* Human name of a kind ("string", "object", ...), for messages. */
const char *pv_kind_name(enum pv_kind k);

/* True when `s` is one of the seven unknown sentinels. */
int pv_is_unknown_sentinel(const char *s);

/*
 * Look through secret wrappers. Returns the innermost value and ORs 1 into
 * *secret (when secret is not NULL) if any wrapper was crossed.
 */
const pv_value *pv_unwrap(const pv_value *v, int *secret);

/*
 * True when `prop` is named in the hidden "__defaults" list of `obj`:
 * a bridged provider's Check filled the value in from the provider schema's
 * default, so the program did not choose it (Analyze sees checked inputs).
 */
int pv_is_defaulted(const pv_value *obj, const char *prop);

/* True when `v` is (or is wrapped in) a secret. */
int pv_is_secret(const pv_value *v);

/*
 * True when `v` contains an unknown anywhere (itself, or any nested element).
 * Depth is bounded by PV_MAX_DEPTH; deeper structure counts as unknown.
 */
int pv_has_unknown(const pv_value *v);

/* Object member `key` (exact match, last duplicate wins); NULL if `obj` is not an object or lacks it. */
const pv_value *pv_get(const pv_value *obj, const char *key);
const pv_value *pv_getn(const pv_value *obj, const char *key, size_t keylen);

/*
 * Path lookup: "a.b[2].c", "rules[0]", "['key.with.dots']". Returns the value
 * at the path, NULL if any step is absent or of the wrong kind, or the first
 * UNKNOWN value met on the way (check pv_kind(result) == PV_UNKNOWN).
 */
const pv_value *pv_path(const pv_value *root, const char *path);

/* List length (0 unless a list) and element i (NULL when out of range). */
size_t pv_len(const pv_value *list);
const pv_value *pv_at(const pv_value *list, size_t i);

/*
 * Number of members of an object and member i: NULL for hidden ("__") keys.
 * Constant time per member. Duplicate keys are all visited (pv_get returns
 * the last): the engine never sends them.
 */
size_t pv_obj_size(const pv_value *obj);
/* Member i of an object: its key in *key (borrowed) and its value; NULL when out of range or hidden ("__"). */
const pv_value *pv_obj_at(const pv_value *obj, size_t i, const char **key);

/*
 * What the iteration macros walk: the ListValue of a list and the Struct of
 * a plain object (after unwrapping secrets and outputs), or NULL for
 * anything else. pv_member_at(s, i, &key) is member i of such a Struct:
 * NULL when its key is hidden ("__"). Resolving the container once keeps a
 * walk over every member of every resource cheap.
 */
const Google__Protobuf__ListValue *pv_list_of(const pv_value *list);
const Google__Protobuf__Struct *pv_obj_of(const pv_value *obj);
const pv_value *pv_member_at(const Google__Protobuf__Struct *s, size_t i, const char **key);

/* Iterate list elements: PV_LIST_FOREACH(i, elem, list) { ... } (break and continue work). */
#define PV_LIST_FOREACH(i, elem, list) \
	for (const Google__Protobuf__ListValue *i##_l = pv_list_of(list); i##_l; i##_l = NULL) \
		for (size_t i = 0; i < i##_l->n_values && (((elem) = i##_l->values[i]), 1); i++)

/* Iterate visible object members: PV_OBJ_FOREACH(i, key, val, obj) { ... } */
#define PV_OBJ_FOREACH(i, key, val, obj) \
	for (const Google__Protobuf__Struct *i##_s = pv_obj_of(obj); i##_s; i##_s = NULL) \
		for (size_t i = 0; i < i##_s->n_fields; i++) \
			if (((val) = pv_member_at(i##_s, i, &(key))) != NULL)

/*
 * Typed getters. Each returns PV_OK and stores the value, or PV_EMISSING /
 * PV_EUNKNOWN / PV_ETYPE and leaves *out untouched.
 *
 * pv_get_bool also accepts the strings "true"/"false" (how the AWS provider
 * sends its boolean inputs); pv_get_num also accepts a numeric string.
 */
int pv_get_str(const pv_value *v, const char **out);
int pv_get_bool(const pv_value *v, int *out);
int pv_get_num(const pv_value *v, double *out);

/* Convenience: string or NULL (unknown, absent and non-strings all give NULL). */
const char *pv_str(const pv_value *v);

/* Path + typed getter in one call. */
int pv_path_str(const pv_value *root, const char *path, const char **out);
int pv_path_bool(const pv_value *root, const char *path, int *out);
int pv_path_num(const pv_value *root, const char *path, double *out);

/* Assets and archives: the tagged object itself (kind PV_ASSET / PV_ARCHIVE). Members: pv_get(v, "path"). */

/*
 * JSON text values. pv_json returns `v` itself when it already is an object or
 * list; when it is a string holding JSON, parses it into new values allocated
 * from `a` and returns them. Returns NULL and sets *err (if not NULL) to
 * PV_EUNKNOWN, PV_EMISSING or PV_ETYPE (not JSON / not an object or list).
 * `errmsg` (optional) receives a short reason with the byte offset.
 */
const pv_value *pv_json(struct arena *a, const pv_value *v, int *err, const char **errmsg);

/* Parse JSON text into arena values; NULL (and *errmsg) on a syntax error or nesting deeper than PV_MAX_DEPTH. */
const pv_value *pv_parse_json(struct arena *a, const char *text, size_t len, const char **errmsg);

/* Render a value as compact JSON into the arena (secrets become "[secret]"). */
char *pv_to_json(struct arena *a, const pv_value *v);
/* The same, but secrets keep their wire encoding: for tests and tools only, never for messages. */
char *pv_to_json_raw(struct arena *a, const pv_value *v);

/* Maximum nesting we ever walk; the server rejects deeper requests. */
#define PV_MAX_DEPTH 64

/*
 * Builders (arena-allocated), for remediations and tests. pv_obj_with returns
 * a shallow copy of object `obj` in which `key` is set to `val` (added when
 * absent); members of `obj`, including "__" keys and secret wrappers, are
 * shared, not copied.
 */
pv_value *pv_new_str(struct arena *a, const char *s);
pv_value *pv_new_bool(struct arena *a, int b);
pv_value *pv_new_num(struct arena *a, double d);
pv_value *pv_new_obj(struct arena *a);
pv_value *pv_obj_with(struct arena *a, const pv_value *obj, const char *key, pv_value *val);
/* Deep copy `v` into `a` (secret wrappers and all); NULL on allocation failure. */
pv_value *pv_copy(struct arena *a, const pv_value *v);
/* True when two values are structurally equal (numbers by value, objects by key set). */
int pv_equal(const pv_value *x, const pv_value *y);
/* Wrap a Struct (e.g. a request's properties) as an object value without copying. */
pv_value *pv_wrap_struct(struct arena *a, Google__Protobuf__Struct *s);

#endif
