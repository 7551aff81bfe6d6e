/*
 * pv.c - property view over google.protobuf.Struct (see pv.h).
 */
#include "pv.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* The seven preview sentinels (wire-protocol.md section 5). */
static const char *const unknown_sentinels[] = {
	"04da6b54-80e4-46f7-96ec-b56ff0331ba9", /* string (by far the most common) */
	"1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", /* bool */
	"3eeb2bf0-c639-47a8-9e75-3b44932eb421", /* number */
	"6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", /* array */
	"030794c1-ac77-496b-92df-f27374a8bd58", /* asset */
	"e48ece36-62e2-4504-bad9-02848725956a", /* archive */
	"dd056dcd-154b-4c76-9bd3-c8f88648b5ff", /* object */
};

/* A secret whose value we cannot see (stack exports carry only ciphertext) judges as unknown. */
static const pv_value unknown_value = {
	PROTOBUF_C_MESSAGE_INIT(&google__protobuf__value__descriptor),
	GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE,
	{ .string_value = (char *)"04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
};

int pv_is_unknown_sentinel(const char *s)
{
	/* All sentinels are 36-byte UUIDs: reject everything else cheaply. */
	if (!s || strnlen(s, 37) != 36 || s[8] != '-')
		return 0;
	for (size_t i = 0; i < sizeof(unknown_sentinels) / sizeof(unknown_sentinels[0]); i++)
		if (memcmp(s, unknown_sentinels[i], 36) == 0)
			return 1;
	return 0;
}

/* Raw member lookup on a Struct (includes hidden keys), last duplicate wins. */
static const pv_value *struct_member(const Google__Protobuf__Struct *s, const char *key, size_t keylen)
{
	if (!s)
		return NULL;
	for (size_t i = s->n_fields; i-- > 0;) {
		const Google__Protobuf__Struct__FieldsEntry *e = s->fields[i];
		/* First byte inline: most keys differ there, and this is the hottest loop of a request. */
		if (e && e->key && e->key[0] == key[0] && strncmp(e->key, key, keylen) == 0 && e->key[keylen] == '\0')
			return e->value;
	}
	return NULL;
}

/*
 * Special objects (secret, asset, archive, output, resource reference) have
 * at most this many members; larger objects are plain and need no scan.
 */
#define PV_SPECIAL_MAX_FIELDS 7

/* The signature string of a special object, or NULL for a plain object. */
static const char *signature(const pv_value *v)
{
	if (!v || v->kind_case != GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE || !v->struct_value ||
	    v->struct_value->n_fields > PV_SPECIAL_MAX_FIELDS)
		return NULL;
	const pv_value *sig = struct_member(v->struct_value, PV_SIG_KEY, sizeof(PV_SIG_KEY) - 1);
	if (!sig || sig->kind_case != GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE)
		return NULL;
	return sig->string_value;
}

const pv_value *pv_unwrap(const pv_value *v, int *secret)
{
	/* Bounded: a chain of wrappers deeper than this is treated as unknown. */
	for (int depth = 0; depth < PV_MAX_DEPTH; depth++) {
		const char *sig = signature(v);
		if (!sig)
			return v;
		if (strcmp(sig, PV_SIG_SECRET) == 0) {
			if (secret)
				*secret = 1;
		} else if (strcmp(sig, PV_SIG_OUTPUT) == 0) {
			const pv_value *s = struct_member(v->struct_value, "secret", 6);
			if (secret && s && s->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE && s->bool_value)
				*secret = 1;
		} else {
			return v;  /* asset, archive, resource reference: a value in its own right */
		}
		const pv_value *inner = struct_member(v->struct_value, "value", 5);
		if (!inner)
			return &unknown_value;
		v = inner;
	}
	return &unknown_value;
}

int pv_is_secret(const pv_value *v)
{
	int secret = 0;
	pv_unwrap(v, &secret);
	return secret;
}

enum pv_kind pv_kind(const pv_value *v)
{
	v = pv_unwrap(v, NULL);
	if (!v)
		return PV_MISSING;
	switch (v->kind_case) {
	case GOOGLE__PROTOBUF__VALUE__KIND_NULL_VALUE:
		return PV_NULL;
	case GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE:
		return PV_NUMBER;
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE:
		return pv_is_unknown_sentinel(v->string_value) ? PV_UNKNOWN : PV_STRING;
	case GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE:
		return PV_BOOL;
	case GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE:
		return PV_LIST;
	case GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE: {
		const char *sig = signature(v);
		if (!sig)
			return PV_OBJECT;
		if (strcmp(sig, PV_SIG_ASSET) == 0)
			return PV_ASSET;
		if (strcmp(sig, PV_SIG_ARCHIVE) == 0)
			return PV_ARCHIVE;
		return PV_OBJECT;  /* resource references and unknown signatures: plain objects */
	}
	default:
		return PV_MISSING;
	}
}

const char *pv_kind_name(enum pv_kind k)
{
	switch (k) {
	case PV_MISSING: return "absent";
	case PV_NULL: return "null";
	case PV_BOOL: return "boolean";
	case PV_NUMBER: return "number";
	case PV_STRING: return "string";
	case PV_LIST: return "list";
	case PV_OBJECT: return "object";
	case PV_UNKNOWN: return "unknown";
	case PV_ASSET: return "asset";
	case PV_ARCHIVE: return "archive";
	}
	return "?";
}

static int has_unknown(const pv_value *v, int depth)
{
	if (depth > PV_MAX_DEPTH)
		return 1;
	switch (pv_kind(v)) {
	case PV_UNKNOWN:
		return 1;
	case PV_LIST: {
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v)
			if (has_unknown(e, depth + 1))
				return 1;
		return 0;
	}
	case PV_OBJECT: {
		const char *k;
		const pv_value *e;
		PV_OBJ_FOREACH(i, k, e, v)
			if (has_unknown(e, depth + 1))
				return 1;
		return 0;
	}
	default:
		return 0;
	}
}

int pv_has_unknown(const pv_value *v)
{
	return has_unknown(v, 0);
}

static int hidden_key(const char *k)
{
	return k[0] == '_' && k[1] == '_';
}

const pv_value *pv_getn(const pv_value *obj, const char *key, size_t keylen)
{
	obj = pv_unwrap(obj, NULL);
	if (!obj || obj->kind_case != GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE || signature(obj))
		return NULL;
	if (keylen >= 2 && key[0] == '_' && key[1] == '_')
		return NULL;
	return struct_member(obj->struct_value, key, keylen);
}

int pv_is_defaulted(const pv_value *obj, const char *prop)
{
	const pv_value *list;

	obj = pv_unwrap(obj, NULL);
	if (!prop || !obj || obj->kind_case != GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE || signature(obj))
		return 0;
	list = struct_member(obj->struct_value, "__defaults", 10);
	for (size_t i = 0; list && list->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE && list->list_value &&
			   i < list->list_value->n_values; i++) {
		const pv_value *e = list->list_value->values[i];
		if (e && e->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE && strcmp(e->string_value, prop) == 0)
			return 1;
	}
	return 0;
}

const pv_value *pv_get(const pv_value *obj, const char *key)
{
	return key ? pv_getn(obj, key, strlen(key)) : NULL;
}

const Google__Protobuf__ListValue *pv_list_of(const pv_value *list)
{
	list = pv_unwrap(list, NULL);
	if (!list || list->kind_case != GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE)
		return NULL;
	return list->list_value;
}

size_t pv_len(const pv_value *list)
{
	const Google__Protobuf__ListValue *l = pv_list_of(list);
	return l ? l->n_values : 0;
}

const pv_value *pv_at(const pv_value *list, size_t i)
{
	const Google__Protobuf__ListValue *l = pv_list_of(list);
	return l && i < l->n_values ? l->values[i] : NULL;
}

const Google__Protobuf__Struct *pv_obj_of(const pv_value *obj)
{
	obj = pv_unwrap(obj, NULL);
	if (!obj || obj->kind_case != GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE || signature(obj))
		return NULL;
	return obj->struct_value;
}

size_t pv_obj_size(const pv_value *obj)
{
	const Google__Protobuf__Struct *s = pv_obj_of(obj);
	return s ? s->n_fields : 0;
}

/*
 * O(1) per member so walking an object stays linear. Duplicate keys (the
 * engine never sends them; Go maps cannot hold them) are all visited;
 * pv_get returns the last one, as protobuf map semantics say.
 */
const pv_value *pv_member_at(const Google__Protobuf__Struct *s, size_t i, const char **key)
{
	const Google__Protobuf__Struct__FieldsEntry *e = s->fields[i];
	if (!e || !e->key || hidden_key(e->key))
		return NULL;
	if (key)
		*key = e->key;
	return e->value;
}

const pv_value *pv_obj_at(const pv_value *obj, size_t i, const char **key)
{
	const Google__Protobuf__Struct *s = pv_obj_of(obj);
	return s && i < s->n_fields ? pv_member_at(s, i, key) : NULL;
}

const pv_value *pv_path(const pv_value *root, const char *path)
{
	const pv_value *v = root;
	const char *p = path;
	if (!p)
		return NULL;
	while (*p) {
		if (pv_kind(v) == PV_UNKNOWN)
			return v;
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			p++;
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				const char *end = strchr(p, q);
				if (!end || end[1] != ']')
					return NULL;
				v = pv_getn(v, p, (size_t)(end - p));
				p = end + 2;
			} else {
				char *end;
				unsigned long idx = strtoul(p, &end, 10);
				if (end == p || *end != ']')
					return NULL;
				v = pv_at(v, idx);
				p = end + 1;
			}
		} else {
			size_t n = strcspn(p, ".[");
			v = pv_getn(v, p, n);
			p += n;
		}
		if (!v)
			return NULL;
	}
	return v;
}

int pv_get_str(const pv_value *v, const char **out)
{
	switch (pv_kind(v)) {
	case PV_STRING:
		*out = pv_unwrap(v, NULL)->string_value;
		return PV_OK;
	case PV_UNKNOWN:
		return PV_EUNKNOWN;
	case PV_MISSING:
	case PV_NULL:
		return PV_EMISSING;
	default:
		return PV_ETYPE;
	}
}

int pv_get_bool(const pv_value *v, int *out)
{
	switch (pv_kind(v)) {
	case PV_BOOL:
		*out = pv_unwrap(v, NULL)->bool_value ? 1 : 0;
		return PV_OK;
	case PV_STRING: {
		const char *s = pv_unwrap(v, NULL)->string_value;
		if (strcmp(s, "true") == 0) {
			*out = 1;
			return PV_OK;
		}
		if (strcmp(s, "false") == 0) {
			*out = 0;
			return PV_OK;
		}
		return PV_ETYPE;
	}
	case PV_UNKNOWN:
		return PV_EUNKNOWN;
	case PV_MISSING:
	case PV_NULL:
		return PV_EMISSING;
	default:
		return PV_ETYPE;
	}
}

int pv_get_num(const pv_value *v, double *out)
{
	switch (pv_kind(v)) {
	case PV_NUMBER:
		*out = pv_unwrap(v, NULL)->number_value;
		return PV_OK;
	case PV_STRING: {
		const char *s = pv_unwrap(v, NULL)->string_value;
		char *end;
		double d = strtod(s, &end);
		if (end == s || *end != '\0' || !isfinite(d))
			return PV_ETYPE;
		*out = d;
		return PV_OK;
	}
	case PV_UNKNOWN:
		return PV_EUNKNOWN;
	case PV_MISSING:
	case PV_NULL:
		return PV_EMISSING;
	default:
		return PV_ETYPE;
	}
}

const char *pv_str(const pv_value *v)
{
	const char *s = NULL;
	return pv_get_str(v, &s) == PV_OK ? s : NULL;
}

int pv_path_str(const pv_value *root, const char *path, const char **out)
{
	return pv_get_str(pv_path(root, path), out);
}

int pv_path_bool(const pv_value *root, const char *path, int *out)
{
	return pv_get_bool(pv_path(root, path), out);
}

int pv_path_num(const pv_value *root, const char *path, double *out)
{
	return pv_get_num(pv_path(root, path), out);
}

/* ---- builders ---------------------------------------------------------------- */

static pv_value *new_value(struct arena *a)
{
	pv_value *v = arena_alloc(a, sizeof(*v));
	if (v)
		google__protobuf__value__init(v);
	return v;
}

pv_value *pv_new_str(struct arena *a, const char *s)
{
	pv_value *v = new_value(a);
	char *copy = v ? arena_strdup(a, s) : NULL;
	if (!copy)
		return NULL;
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
	v->string_value = copy;
	return v;
}

pv_value *pv_new_bool(struct arena *a, int b)
{
	pv_value *v = new_value(a);
	if (!v)
		return NULL;
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE;
	v->bool_value = b ? 1 : 0;
	return v;
}

pv_value *pv_new_num(struct arena *a, double d)
{
	pv_value *v = new_value(a);
	if (!v)
		return NULL;
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE;
	v->number_value = d;
	return v;
}

static pv_value *new_null(struct arena *a)
{
	pv_value *v = new_value(a);
	if (!v)
		return NULL;
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NULL_VALUE;
	v->null_value = GOOGLE__PROTOBUF__NULL_VALUE__NULL_VALUE;
	return v;
}

pv_value *pv_wrap_struct(struct arena *a, Google__Protobuf__Struct *s)
{
	pv_value *v = new_value(a);
	if (!v)
		return NULL;
	if (!s) {
		s = arena_alloc(a, sizeof(*s));
		if (!s)
			return NULL;
		google__protobuf__struct__init(s);
	}
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE;
	v->struct_value = s;
	return v;
}

pv_value *pv_new_obj(struct arena *a)
{
	return pv_wrap_struct(a, NULL);
}

pv_value *pv_obj_with(struct arena *a, const pv_value *obj, const char *key, pv_value *val)
{
	/* Operate on the object itself, not a secret wrapper around it. */
	const Google__Protobuf__Struct *src = NULL;
	if (obj && obj->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE)
		src = obj->struct_value;
	size_t n = src ? src->n_fields : 0;
	pv_value *out = pv_new_obj(a);
	Google__Protobuf__Struct__FieldsEntry **fields = arena_alloc(a, (n + 1) * sizeof(*fields));
	if (!out || !fields)
		return NULL;
	size_t k = 0;
	int replaced = 0;
	for (size_t i = 0; i < n; i++) {
		Google__Protobuf__Struct__FieldsEntry *e = src->fields[i];
		if (e && e->key && strcmp(e->key, key) == 0) {
			if (replaced)
				continue;   /* drop older duplicates */
			Google__Protobuf__Struct__FieldsEntry *ne = arena_alloc(a, sizeof(*ne));
			if (!ne)
				return NULL;
			google__protobuf__struct__fields_entry__init(ne);
			ne->key = e->key;
			ne->value = val;
			fields[k++] = ne;
			replaced = 1;
		} else {
			fields[k++] = e;
		}
	}
	if (!replaced) {
		Google__Protobuf__Struct__FieldsEntry *ne = arena_alloc(a, sizeof(*ne));
		char *kcopy = ne ? arena_strdup(a, key) : NULL;
		if (!kcopy)
			return NULL;
		google__protobuf__struct__fields_entry__init(ne);
		ne->key = kcopy;
		ne->value = val;
		fields[k++] = ne;
	}
	out->struct_value->n_fields = k;
	out->struct_value->fields = fields;
	return out;
}

/* ---- JSON -------------------------------------------------------------------- */

static pv_value *from_cjson(struct arena *a, const cJSON *j, int depth)
{
	if (depth > PV_MAX_DEPTH)
		return NULL;
	if (cJSON_IsNull(j))
		return new_null(a);
	if (cJSON_IsBool(j))
		return pv_new_bool(a, cJSON_IsTrue(j));
	if (cJSON_IsNumber(j))
		return pv_new_num(a, j->valuedouble);
	if (cJSON_IsString(j))
		return pv_new_str(a, j->valuestring);
	if (cJSON_IsArray(j)) {
		size_t n = (size_t)cJSON_GetArraySize(j);
		pv_value *v = new_value(a);
		Google__Protobuf__ListValue *l = arena_alloc(a, sizeof(*l));
		pv_value **vals = arena_alloc(a, (n ? n : 1) * sizeof(*vals));
		if (!v || !l || !vals)
			return NULL;
		google__protobuf__list_value__init(l);
		size_t i = 0;
		for (const cJSON *e = j->child; e; e = e->next) {
			if (!(vals[i++] = from_cjson(a, e, depth + 1)))
				return NULL;
		}
		l->n_values = n;
		l->values = vals;
		v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE;
		v->list_value = l;
		return v;
	}
	if (cJSON_IsObject(j)) {
		size_t n = (size_t)cJSON_GetArraySize(j);
		pv_value *v = pv_new_obj(a);
		Google__Protobuf__Struct__FieldsEntry **fields = arena_alloc(a, (n ? n : 1) * sizeof(*fields));
		if (!v || !fields)
			return NULL;
		size_t i = 0;
		for (const cJSON *e = j->child; e; e = e->next) {
			Google__Protobuf__Struct__FieldsEntry *fe = arena_alloc(a, sizeof(*fe));
			if (!fe)
				return NULL;
			google__protobuf__struct__fields_entry__init(fe);
			fe->key = arena_strdup(a, e->string);
			fe->value = from_cjson(a, e, depth + 1);
			if (!fe->key || !fe->value)
				return NULL;
			fields[i++] = fe;
		}
		v->struct_value->n_fields = n;
		v->struct_value->fields = fields;
		return v;
	}
	return NULL;
}

/* Nesting depth of JSON text, counted without recursion (cJSON itself recurses). */
static int json_too_deep(const char *text, size_t len)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = 0;
		} else if (ch == '"') {
			in_str = 1;
		} else if (ch == '{' || ch == '[') {
			if (++depth > PV_MAX_DEPTH)
				return 1;
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
	}
	return 0;
}

const pv_value *pv_parse_json(struct arena *a, const char *text, size_t len, const char **errmsg)
{
	if (json_too_deep(text, len)) {
		if (errmsg)
			*errmsg = "JSON nested deeper than the supported limit";
		return NULL;
	}
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!j) {
		if (errmsg) {
			/*
			 * cJSON puts the error position in `end`; its global error
			 * pointer is shared by every thread, so it is not asked.
			 */
			size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
			*errmsg = arena_printf(a, "invalid JSON near byte %zu", off);
		}
		return NULL;
	}
	/* Anything but whitespace after the value is an error too. */
	for (const char *p = end; p && p < text + len; p++) {
		if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t' && *p != '\0') {
			cJSON_Delete(j);
			if (errmsg)
				*errmsg = arena_printf(a, "unexpected text after JSON value at byte %zu",
						       (size_t)(p - text));
			return NULL;
		}
	}
	pv_value *v = from_cjson(a, j, 0);
	cJSON_Delete(j);
	if (!v && errmsg)
		*errmsg = "out of memory or JSON too deep";
	return v;
}

const pv_value *pv_json(struct arena *a, const pv_value *v, int *err, const char **errmsg)
{
	int dummy;
	if (!err)
		err = &dummy;
	switch (pv_kind(v)) {
	case PV_OBJECT:
	case PV_LIST:
		return pv_unwrap(v, NULL);
	case PV_UNKNOWN:
		*err = PV_EUNKNOWN;
		return NULL;
	case PV_MISSING:
	case PV_NULL:
		*err = PV_EMISSING;
		return NULL;
	case PV_STRING: {
		const char *s = pv_unwrap(v, NULL)->string_value;
		const pv_value *j = pv_parse_json(a, s, strlen(s), errmsg);
		enum pv_kind k = pv_kind(j);
		if (!j || (k != PV_OBJECT && k != PV_LIST)) {
			if (j && errmsg)
				*errmsg = "JSON text is not an object or a list";
			*err = PV_ETYPE;
			return NULL;
		}
		return j;
	}
	default:
		*err = PV_ETYPE;
		if (errmsg)
			*errmsg = "not JSON text";
		return NULL;
	}
}

/* ---- rendering --------------------------------------------------------------- */

struct sbuf {
	struct arena *a;
	char *p;
	size_t len, cap;
	int oom;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *np = arena_alloc(b->a, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		if (b->len)
			memcpy(np, b->p, b->len);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		char esc[8];
		if (ch == '"' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = (char)ch;
			sb_put(b, esc, 2);
		} else if (ch < 0x20) {
			int n = snprintf(esc, sizeof(esc), "\\u%04x", ch);
			sb_put(b, esc, (size_t)n);
		} else {
			sb_put(b, s, 1);
		}
	}
	sb_put(b, "\"", 1);
}

static void render(struct sbuf *b, const pv_value *v, int depth, int raw)
{
	if (depth > PV_MAX_DEPTH) {
		sb_put(b, "null", 4);
		return;
	}
	if (raw && v && v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE) {
		/* Raw mode renders wrappers as they are on the wire. */
	} else if (pv_is_secret(v)) {
		sb_put(b, "\"[secret]\"", 10);
		return;
	}
	if (!raw)
		v = pv_unwrap(v, NULL);
	enum pv_kind kind = pv_kind(v);
	if (raw && v && v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE)
		kind = PV_OBJECT;
	switch (kind) {
	case PV_MISSING:
	case PV_NULL:
		sb_put(b, "null", 4);
		break;
	case PV_BOOL:
		v->bool_value ? sb_put(b, "true", 4) : sb_put(b, "false", 5);
		break;
	case PV_NUMBER: {
		char num[40];
		double d = v->number_value;
		int n = (isfinite(d) && d == floor(d) && fabs(d) < 1e15)
			? snprintf(num, sizeof(num), "%.0f", d)
			: snprintf(num, sizeof(num), "%.17g", isfinite(d) ? d : 0.0);
		sb_put(b, num, (size_t)n);
		break;
	}
	case PV_STRING:
	case PV_UNKNOWN:
		sb_str(b, v->string_value);
		break;
	case PV_LIST: {
		const pv_value *e;
		sb_put(b, "[", 1);
		PV_LIST_FOREACH(i, e, v) {
			if (i)
				sb_put(b, ",", 1);
			render(b, e, depth + 1, raw);
		}
		sb_put(b, "]", 1);
		break;
	}
	case PV_OBJECT:
	case PV_ASSET:
	case PV_ARCHIVE: {
		/* Special objects render with their signature key so they round-trip. */
		const Google__Protobuf__Struct *s = v->struct_value;
		int first = 1;
		sb_put(b, "{", 1);
		for (size_t i = 0; s && i < s->n_fields; i++) {
			if (!s->fields[i] || !s->fields[i]->key)
				continue;
			if (!first)
				sb_put(b, ",", 1);
			first = 0;
			sb_str(b, s->fields[i]->key);
			sb_put(b, ":", 1);
			render(b, s->fields[i]->value, depth + 1, raw);
		}
		sb_put(b, "}", 1);
		break;
	}
	}
}

static char *to_json(struct arena *a, const pv_value *v, int raw)
{
	struct sbuf b = { a, NULL, 0, 0, 0 };
	render(&b, v, 0, raw);
	if (b.oom)
		return NULL;
	return b.p ? b.p : arena_strdup(a, "null");
}

char *pv_to_json(struct arena *a, const pv_value *v)
{
	return to_json(a, v, 0);
}

char *pv_to_json_raw(struct arena *a, const pv_value *v)
{
	return to_json(a, v, 1);
}

/* ---- copy and compare -------------------------------------------------------- */

static pv_value *copy_value(struct arena *a, const pv_value *v, int depth)
{
	if (!v || depth > PV_MAX_DEPTH)
		return NULL;
	pv_value *o = new_value(a);
	if (!o)
		return NULL;
	o->kind_case = v->kind_case;
	switch (v->kind_case) {
	case GOOGLE__PROTOBUF__VALUE__KIND_NULL_VALUE:
		o->null_value = v->null_value;
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE:
		o->number_value = v->number_value;
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE:
		o->bool_value = v->bool_value;
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE:
		if (!(o->string_value = arena_strdup(a, v->string_value)))
			return NULL;
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE: {
		size_t n = v->list_value ? v->list_value->n_values : 0;
		Google__Protobuf__ListValue *l = arena_alloc(a, sizeof(*l));
		pv_value **vals = arena_alloc(a, (n ? n : 1) * sizeof(*vals));
		if (!l || !vals)
			return NULL;
		google__protobuf__list_value__init(l);
		for (size_t i = 0; i < n; i++)
			if (!(vals[i] = copy_value(a, v->list_value->values[i], depth + 1)))
				return NULL;
		l->n_values = n;
		l->values = vals;
		o->list_value = l;
		break;
	}
	case GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE: {
		size_t n = v->struct_value ? v->struct_value->n_fields : 0;
		Google__Protobuf__Struct *s = arena_alloc(a, sizeof(*s));
		Google__Protobuf__Struct__FieldsEntry **f = arena_alloc(a, (n ? n : 1) * sizeof(*f));
		if (!s || !f)
			return NULL;
		google__protobuf__struct__init(s);
		for (size_t i = 0; i < n; i++) {
			const Google__Protobuf__Struct__FieldsEntry *e = v->struct_value->fields[i];
			f[i] = arena_alloc(a, sizeof(*f[i]));
			if (!f[i])
				return NULL;
			google__protobuf__struct__fields_entry__init(f[i]);
			f[i]->key = arena_strdup(a, e && e->key ? e->key : "");
			f[i]->value = e && e->value ? copy_value(a, e->value, depth + 1) : new_null(a);
			if (!f[i]->key || !f[i]->value)
				return NULL;
		}
		s->n_fields = n;
		s->fields = f;
		o->struct_value = s;
		break;
	}
	default:
		break;
	}
	return o;
}

pv_value *pv_copy(struct arena *a, const pv_value *v)
{
	return copy_value(a, v, 0);
}

static int equal(const pv_value *x, const pv_value *y, int depth)
{
	if (depth > PV_MAX_DEPTH)
		return 0;
	enum pv_kind kx = pv_kind(x), ky = pv_kind(y);
	if (kx != ky)
		return 0;
	x = pv_unwrap(x, NULL);
	y = pv_unwrap(y, NULL);
	switch (kx) {
	case PV_MISSING:
	case PV_NULL:
		return 1;
	case PV_BOOL:
		return !x->bool_value == !y->bool_value;
	case PV_NUMBER:
		return x->number_value == y->number_value;
	case PV_STRING:
	case PV_UNKNOWN:
		return strcmp(x->string_value, y->string_value) == 0;
	case PV_LIST: {
		size_t n = pv_len(x);
		if (n != pv_len(y))
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!equal(pv_at(x, i), pv_at(y, i), depth + 1))
				return 0;
		return 1;
	}
	default: {
		const char *k;
		const pv_value *e;
		size_t nx = 0, ny = 0;
		PV_OBJ_FOREACH(i, k, e, x) {
			nx++;
			/* Compare what lookups see (last duplicate wins) on both sides. */
			if (!equal(pv_get(x, k), pv_get(y, k), depth + 1))
				return 0;
		}
		PV_OBJ_FOREACH(i, k, e, y)
			ny++;
		(void)e;
		return nx == ny;
	}
	}
}

int pv_equal(const pv_value *x, const pv_value *y)
{
	return equal(x, y, 0);
}
