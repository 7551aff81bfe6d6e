/*
 * stack.c - stack index for stack policies (see stack.h).
 */
#include "stack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ptrhash.h"
#include "pv.h"
#include "strmap.h"

/* Every hash of the index is strmap's FNV-1a over a whole string. */
static uint64_t hash_str(const char *s)
{
	return smap_hash(s, strlen(s));
}

/* A distinct type while the index is built; sorted by name to lay out by_type. */
struct type_count {
	const char *type;
	size_t n;       /* resources of the type */
	size_t next;    /* next position of by_type to fill */
};

static int cmp_type_count(const void *a, const void *b)
{
	return strcmp(((const struct type_count *)a)->type, ((const struct type_count *)b)->type);
}

/* The resources of one type: positions [first, first + n) of by_type. */
struct stk_type_group {
	const char *type;
	size_t first, n;
};

/* What one (type, prop) pair looks like across the type: string values and dependencies -> type positions. */
struct stk_ref_table {
	const char *prop;
	const struct stk_type_group *g;
	struct smap vals;           /* non-empty string value -> position in the type's range */
	struct smap deps;           /* URN depended on through prop -> position */
	int unknown;                /* some resource has prop unknown and no dependency for it */
	struct stk_ref_table *next;
};

struct stk_lazy {
	struct arena *a;
	struct stk_ref_table *tables;
};

/*
 * The distinct types of the stack in `tc` (returns how many) and each
 * resource's among them in `of`. Types are hashed by name, but the decoder
 * stores repeated strings once, so a small cache by address answers most
 * resources without reading the name at all. `slots` (a power of two,
 * > 2n) and `tc`, `of` (n each) are the caller's, `slots` zeroed.
 */
#define STK_TYPE_CACHE 64
static size_t count_types(const struct pol_resource *res, size_t n, size_t *slots, size_t mask,
			  struct type_count *tc, size_t *of)
{
	const char *seen[STK_TYPE_CACHE] = { 0 };
	size_t seen_g[STK_TYPE_CACHE], n_types = 0;

	for (size_t i = 0; i < n; i++) {
		const char *type = res[i].type;
		size_t c = ptrhash_slot(type, STK_TYPE_CACHE - 1), g;
		if (seen[c] == type) {
			g = seen_g[c];
		} else {
			size_t slot = hash_str(type) & mask;
			while (slots[slot] && strcmp(tc[slots[slot] - 1].type, type) != 0)
				slot = (slot + 1) & mask;
			if (!slots[slot]) {
				tc[n_types] = (struct type_count){ type, 0, 0 };
				slots[slot] = ++n_types;
			}
			g = slots[slot] - 1;
			seen[c] = type;
			seen_g[c] = g;
		}
		tc[g].n++;
		of[i] = g;
	}
	return n_types;
}

/*
 * by_type (positions sorted by type name, then request order) and the
 * groups, without sorting the resources: count each type, sort the few
 * distinct names, and place every resource at its type's next position.
 */
static int build_by_type(struct stk_index *s, struct arena *a)
{
	size_t n = s->n, mask = 15, n_types;
	int rc = -1;

	while (mask + 1 < 2 * n)
		mask = mask * 2 + 1;
	size_t *slots = calloc(mask + 1, sizeof(*slots)), *of = malloc((n ? n : 1) * sizeof(*of));
	struct type_count *tc = malloc((n ? n : 1) * sizeof(*tc));
	size_t *rank = malloc((n ? n : 1) * sizeof(*rank));
	if (!slots || !of || !tc || !rank)
		goto out;
	n_types = count_types(s->res, n, slots, mask, tc, of);
	/* The group number of each type survives the sort in `next` for a moment. */
	for (size_t g = 0; g < n_types; g++)
		tc[g].next = g;
	qsort(tc, n_types, sizeof(*tc), cmp_type_count);
	s->n_group_slots = 16;
	while (s->n_group_slots < n_types * 2)
		s->n_group_slots *= 2;
	if (!(s->groups = arena_alloc(a, s->n_group_slots * sizeof(*s->groups))))
		goto out;
	for (size_t k = 0, first = 0; k < n_types; k++) {
		rank[tc[k].next] = k;
		size_t slot = hash_str(tc[k].type) & (s->n_group_slots - 1);
		while (s->groups[slot].type)
			slot = (slot + 1) & (s->n_group_slots - 1);
		s->groups[slot] = (struct stk_type_group){ tc[k].type, first, tc[k].n };
		tc[k].next = first;
		first += tc[k].n;
	}
	for (size_t i = 0; i < n; i++)
		s->by_type[tc[rank[of[i]]].next++] = i;
	rc = 0;
out:
	free(slots);
	free(of);
	free(tc);
	free(rank);
	return rc;
}

static const struct stk_type_group *find_group(const struct stk_index *s, const char *type)
{
	if (!type || !s->n_group_slots)
		return NULL;
	size_t slot = hash_str(type) & (s->n_group_slots - 1);
	while (s->groups[slot].type) {
		if (strcmp(s->groups[slot].type, type) == 0)
			return &s->groups[slot];
		slot = (slot + 1) & (s->n_group_slots - 1);
	}
	return NULL;
}

int stk_index_build(struct stk_index *s, struct arena *a, struct pol_resource *res, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->res = res;
	s->by_type = arena_alloc(a, (n ? n : 1) * sizeof(*s->by_type));
	s->lazy = arena_alloc(a, sizeof(*s->lazy));
	s->n_slots = 16;
	while (s->n_slots < n * 2)
		s->n_slots *= 2;
	s->urn_slots = arena_alloc(a, s->n_slots * sizeof(*s->urn_slots));
	if (!s->by_type || !s->urn_slots || !s->lazy)
		return -1;
	s->lazy->a = a;
	s->lazy->tables = NULL;
	for (size_t i = 0; i < n; i++) {
		res[i].index = i;
		size_t slot = hash_str(res[i].urn) & (s->n_slots - 1);
		while (s->urn_slots[slot]) {
			/* Duplicate URNs: the first one wins (the engine never sends duplicates). */
			if (strcmp(res[s->urn_slots[slot] - 1].urn, res[i].urn) == 0)
				break;
			slot = (slot + 1) & (s->n_slots - 1);
		}
		if (!s->urn_slots[slot])
			s->urn_slots[slot] = i + 1;
	}
	return build_by_type(s, a);
}

const struct pol_resource *stk_by_urn(const struct stk_index *s, const char *urn)
{
	if (!urn || !s->n_slots)
		return NULL;
	size_t slot = hash_str(urn) & (s->n_slots - 1);
	while (s->urn_slots[slot]) {
		const struct pol_resource *r = &s->res[s->urn_slots[slot] - 1];
		if (strcmp(r->urn, urn) == 0)
			return r;
		slot = (slot + 1) & (s->n_slots - 1);
	}
	return NULL;
}

size_t stk_type_range(const struct stk_index *s, const char *type, size_t *first)
{
	const struct stk_type_group *g = find_group(s, type);
	*first = g ? g->first : 0;
	return g ? g->n : 0;
}

const struct pol_resource *stk_type_at(const struct stk_index *s, size_t pos)
{
	return pos < s->n ? &s->res[s->by_type[pos]] : NULL;
}

size_t stk_prop_deps(const struct pol_resource *r, const char *prop, char *const **urns)
{
	for (size_t i = 0; i < r->n_propdeps; i++)
		if (strcmp(r->propdeps[i].prop, prop) == 0) {
			*urns = r->propdeps[i].urns;
			return r->propdeps[i].n_urns;
		}
	*urns = NULL;
	return 0;
}

int stk_prop_depends_on_type(const struct stk_index *s, const struct pol_resource *r,
			     const char *prop, const char *type, const struct pol_resource **dep)
{
	char *const *urns;
	size_t n = stk_prop_deps(r, prop, &urns);
	for (size_t i = 0; i < n; i++) {
		const struct pol_resource *d = stk_by_urn(s, urns[i]);
		if (d && strcmp(d->type, type) == 0) {
			if (dep)
				*dep = d;
			return 1;
		}
	}
	return 0;
}

int stk_depends_on(const struct pol_resource *r, const char *urn)
{
	for (size_t i = 0; i < r->n_deps; i++)
		if (strcmp(r->deps[i], urn) == 0)
			return 1;
	for (size_t i = 0; i < r->n_propdeps; i++)
		for (size_t k = 0; k < r->propdeps[i].n_urns; k++)
			if (strcmp(r->propdeps[i].urns[k], urn) == 0)
				return 1;
	return 0;
}

const struct pol_resource *stk_root(const struct stk_index *s)
{
	size_t first;
	if (stk_type_range(s, "pulumi:pulumi:Stack", &first))
		return stk_type_at(s, first);
	return NULL;
}

int stk_out_eq(const struct pol_resource *r, const char *const *keys, const char *v)
{
	for (size_t i = 0; v && keys[i]; i++) {
		const char *o = pv_str(pv_get(r->props, keys[i]));
		if (o && *o && strcmp(o, v) == 0)
			return 1;
	}
	return 0;
}

#define STK_KMS_KEY "aws:kms/key:Key"
#define STK_KMS_ALIAS "aws:kms/alias:Alias"

const struct pol_resource *stk_kms_key(const struct stk_index *s, const struct pol_resource *r, const char *prop)
{
	static const char *const key_ids[] = { "arn", "id", "keyId", NULL };
	static const char *const alias_ids[] = { "name", "arn", "id", NULL };
	const struct pol_resource *k = NULL, *al = NULL;
	const char *v = pv_str(pv_get(r->props, prop));

	if (stk_prop_depends_on_type(s, r, prop, STK_KMS_KEY, &k))
		return k;
	if (!stk_prop_depends_on_type(s, r, prop, STK_KMS_ALIAS, &al) && v) {
		if ((k = stk_find_eq(s, STK_KMS_KEY, key_ids, v, STK_FIRST)) != NULL)
			return k;
		al = stk_find_eq(s, STK_KMS_ALIAS, alias_ids, v, STK_LAST);
	}
	if (!al)
		return NULL;
	if (stk_prop_depends_on_type(s, al, "targetKeyId", STK_KMS_KEY, &k))
		return k;
	return stk_find_eq(s, STK_KMS_KEY, key_ids, pv_str(pv_get(al->props, "targetKeyId")), STK_FIRST);
}

int stk_index_fork(struct stk_index *dst, const struct stk_index *src, struct arena *a)
{
	*dst = *src;
	if (!(dst->lazy = arena_alloc(a, sizeof(*dst->lazy))))
		return -1;
	dst->lazy->a = a;
	dst->lazy->tables = NULL;
	return 0;
}

/* ---- reference tables ------------------------------------------------------------------------ */

/* Build the (type, prop) table; NULL when the arena is exhausted (callers then scan). */
static struct stk_ref_table *ref_table(const struct stk_index *s, const struct stk_type_group *g, const char *prop)
{
	struct stk_lazy *lz = s->lazy;
	struct stk_ref_table *t;
	size_t n_deps = 0;

	if (!lz)
		return NULL;
	for (t = lz->tables; t; t = t->next)
		if (t->g == g && strcmp(t->prop, prop) == 0)
			return t;
	for (size_t k = 0; k < g->n; k++) {
		char *const *urns;
		n_deps += stk_prop_deps(&s->res[s->by_type[g->first + k]], prop, &urns);
	}
	if (!(t = arena_alloc(lz->a, sizeof(*t))) || smap_init(lz->a, &t->vals, g->n) < 0 ||
	    smap_init(lz->a, &t->deps, n_deps) < 0)
		return NULL;
	t->prop = prop;
	t->g = g;
	t->unknown = 0;
	/* In request order, so each key's positions come back in request order. */
	for (size_t k = 0; k < g->n; k++) {
		const struct pol_resource *r = &s->res[s->by_type[g->first + k]];
		const pv_value *v = pv_get(r->props, prop);
		const char *str = pv_str(v);
		char *const *urns;
		size_t nd = stk_prop_deps(r, prop, &urns);
		for (size_t i = 0; i < nd; i++)
			if (urns[i])
				smap_add(&t->deps, urns[i], k);
		if (str && *str)
			smap_add(&t->vals, str, k);
		else if (nd == 0 && pv_kind(v) == PV_UNKNOWN)
			t->unknown = 1;
	}
	t->next = lz->tables;
	lz->tables = t;
	return t;
}

/* Position of the first/last resource with value `str`, or SIZE_MAX. */
static size_t vals_find(const struct stk_ref_table *t, const char *str, enum stk_pick pick)
{
	size_t found = SIZE_MAX;
	SMAP_FOREACH(&t->vals, str, e) {
		found = t->vals.ents[e - 1].val;
		if (pick == STK_FIRST)
			break;
	}
	return found;
}

static int prop_eq(const struct pol_resource *r, const char *prop, const char *v)
{
	const char *o = pv_str(pv_get(r->props, prop));
	return o && strcmp(o, v) == 0;
}

const struct pol_resource *stk_find_eq(const struct stk_index *s, const char *type, const char *const *keys,
				       const char *v, enum stk_pick pick)
{
	const struct stk_type_group *g = find_group(s, type);
	size_t best = SIZE_MAX;
	if (!g || !v || !*v)
		return NULL;
	for (size_t i = 0; keys[i]; i++) {
		const struct stk_ref_table *t = ref_table(s, g, keys[i]);
		size_t pos = SIZE_MAX;
		if (t) {
			pos = vals_find(t, v, pick);
		} else {
			for (size_t k = 0; k < g->n; k++)
				if (prop_eq(&s->res[s->by_type[g->first + k]], keys[i], v)) {
					pos = k;
					if (pick == STK_FIRST)
						break;
				}
		}
		if (pos != SIZE_MAX && (best == SIZE_MAX || (pick == STK_FIRST ? pos < best : pos > best)))
			best = pos;
	}
	return best == SIZE_MAX ? NULL : &s->res[s->by_type[g->first + best]];
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Does `r`'s `prop` refer to target (the scan used when no table could be built)? 1, 0, -1 unknown. */
static int refers(const struct pol_resource *r, const char *prop, const struct pol_resource *target,
		  const char *const *ids, size_t n_ids)
{
	char *const *urns;
	size_t nd = stk_prop_deps(r, prop, &urns);
	const pv_value *v = pv_get(r->props, prop);
	const char *str = pv_str(v);
	for (size_t i = 0; i < nd; i++)
		if (urns[i] && strcmp(urns[i], target->urn) == 0)
			return 1;
	for (size_t i = 0; str && *str && i < n_ids; i++)
		if (ids[i] && strcmp(str, ids[i]) == 0)
			return 1;
	return nd == 0 && !(str && *str) && pv_kind(v) == PV_UNKNOWN ? -1 : 0;
}

/* Append `v` to a growing arena array; -1 when the arena is exhausted (the call then fails as a whole). */
static int pos_push(struct arena *a, size_t **pos, size_t *n, size_t *cap, size_t v)
{
	size_t *np = arena_grow(a, *pos, *n, cap, sizeof(*np));
	if (!np)
		return -1;
	*pos = np;
	(*pos)[(*n)++] = v;
	return 0;
}

/* Push the positions filed under `key`. */
static int map_collect(const struct smap *m, const char *key, struct arena *a, size_t **pos, size_t *n, size_t *cap)
{
	SMAP_FOREACH(m, key, e) {
		if (pos_push(a, pos, n, cap, m->ents[e - 1].val) < 0)
			return -1;
	}
	return 0;
}

size_t stk_refs(const struct stk_index *s, const char *type, const char *prop, const struct pol_resource *target,
		const char *const *ids, size_t n_ids, const struct pol_resource *const **out, int *unknown)
{
	const struct stk_type_group *g = find_group(s, type);
	const struct stk_ref_table *t;
	const struct pol_resource **res;
	struct arena *a;
	size_t *pos = NULL, n = 0, cap = 0, m = 0;

	*out = NULL;
	if (!g || !s->lazy)
		return 0;
	a = s->lazy->a;
	t = ref_table(s, g, prop);
	if (t) {
		if (unknown && t->unknown)
			*unknown = 1;
		if (map_collect(&t->deps, target->urn, a, &pos, &n, &cap) < 0)
			return 0;
		for (size_t i = 0; i < n_ids; i++)
			if (ids[i] && *ids[i] && map_collect(&t->vals, ids[i], a, &pos, &n, &cap) < 0)
				return 0;
		/* Dependency and value hits interleave: back to request order, then drop repeats. */
		if (n > 1)
			qsort(pos, n, sizeof(*pos), cmp_size);
	} else {
		for (size_t k = 0; k < g->n; k++) {
			int r = refers(&s->res[s->by_type[g->first + k]], prop, target, ids, n_ids);
			if (r < 0 && unknown)
				*unknown = 1;
			if (r > 0 && pos_push(a, &pos, &n, &cap, k) < 0)
				return 0;
		}
	}
	if (!n || !(res = arena_alloc(a, n * sizeof(*res))))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || pos[i] != pos[i - 1])
			res[m++] = &s->res[s->by_type[g->first + pos[i]]];
	*out = res;
	return m;
}
