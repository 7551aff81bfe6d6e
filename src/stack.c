/*
 * stack.c - stack index for stack policies (see stack.h).
 */
#include "stack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pv.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

/* qsort has no context argument in C11: the index sorts pairs instead. */
struct type_pos {
	const char *type;
	size_t idx;
};

static int cmp_type_pos(const void *a, const void *b)
{
	const struct type_pos *x = a, *y = b;
	int c = strcmp(x->type, y->type);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int stk_index_build(struct stk_index *s, struct arena *a, struct pol_resource *res, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->res = res;
	s->by_type = arena_alloc(a, (n ? n : 1) * sizeof(*s->by_type));
	s->n_slots = 16;
	while (s->n_slots < n * 2)
		s->n_slots *= 2;
	s->urn_slots = arena_alloc(a, s->n_slots * sizeof(*s->urn_slots));
	struct type_pos *tp = malloc((n ? n : 1) * sizeof(*tp));
	if (!s->by_type || !s->urn_slots || !tp) {
		free(tp);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		res[i].index = i;
		tp[i].type = res[i].type;
		tp[i].idx = i;
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
	qsort(tp, n, sizeof(*tp), cmp_type_pos);
	for (size_t i = 0; i < n; i++)
		s->by_type[i] = tp[i].idx;
	free(tp);
	return 0;
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
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(s->res[s->by_type[mid]].type, type) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < s->n && strcmp(s->res[s->by_type[end]].type, type) == 0)
		end++;
	*first = lo;
	return end - lo;
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
	const struct pol_resource *k = NULL, *al = NULL, *x;
	const char *v = pv_str(pv_get(r->props, prop));

	if (stk_prop_depends_on_type(s, r, prop, STK_KMS_KEY, &k))
		return k;
	if (!stk_prop_depends_on_type(s, r, prop, STK_KMS_ALIAS, &al) && v) {
		STK_FOREACH_TYPE(s, STK_KMS_KEY, k)
			if (stk_out_eq(k, key_ids, v))
				return k;
		al = NULL;
		STK_FOREACH_TYPE(s, STK_KMS_ALIAS, x)
			if (stk_out_eq(x, alias_ids, v))
				al = x;
	}
	if (!al)
		return NULL;
	if (stk_prop_depends_on_type(s, al, "targetKeyId", STK_KMS_KEY, &k))
		return k;
	v = pv_str(pv_get(al->props, "targetKeyId"));
	STK_FOREACH_TYPE(s, STK_KMS_KEY, k)
		if (v && stk_out_eq(k, key_ids, v))
			return k;
	return NULL;
}
