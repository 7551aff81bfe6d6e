/*
 * stack.h - the whole stack as stack policies see it (AnalyzeStack).
 *
 * Built once per AnalyzeStack request, read-only afterwards. Resources keep
 * request order; lookups by URN are hashed and lookups by type are a binary
 * search over a type-sorted index, so cross-resource rules stay linear.
 */
#ifndef PC_STACK_H
#define PC_STACK_H

#include <stddef.h>

#include "policy.h"

struct arena;

struct stk_index {
	size_t n;
	struct pol_resource *res;   /* request order */
	/* private */
	size_t *by_type;            /* indexes sorted by (type, request order) */
	size_t *urn_slots;          /* open-addressing table of index+1, 0 = empty */
	size_t n_slots;
};

/* Resource with this URN, or NULL. */
const struct pol_resource *stk_by_urn(const struct stk_index *s, const char *urn);

/*
 * All resources of exactly this type: returns the count and sets *first to
 * the position in the type index; iterate with stk_type_at(s, first + k).
 */
size_t stk_type_range(const struct stk_index *s, const char *type, size_t *first);
const struct pol_resource *stk_type_at(const struct stk_index *s, size_t pos);

/* STK_FOREACH_TYPE(s, "aws:s3/bucket:Bucket", r) { ... } */
#define STK_FOREACH_TYPE(s, type, r) \
	for (size_t r##_f = 0, r##_n = stk_type_range((s), (type), &r##_f), r##_k = 0; \
	     r##_k < r##_n && (((r) = stk_type_at((s), r##_f + r##_k)), 1); r##_k++)

/* URNs that property `prop` of `r` depends on (propertyDependencies); 0 when none. */
size_t stk_prop_deps(const struct pol_resource *r, const char *prop, char *const **urns);

/* True when property `prop` of `r` depends on a resource of type `type`; sets *dep to it. */
int stk_prop_depends_on_type(const struct stk_index *s, const struct pol_resource *r,
			     const char *prop, const char *type, const struct pol_resource **dep);

/* True when `r` depends (dependencies or any property dependency) on `urn`. */
int stk_depends_on(const struct pol_resource *r, const char *urn);

/* True when one of `r`'s outputs named in `keys` (NULL-terminated: "arn", "id") equals `v`. */
int stk_out_eq(const struct pol_resource *r, const char *const *keys, const char *v);

/*
 * The aws:kms/key:Key of the stack behind `r`'s property `prop`
 * ("kmsMasterKeyId"): through the property's dependencies or by matching its
 * value, directly or through an aws:kms/alias:Alias. NULL when it is not in
 * the stack (an AWS managed key, another stack's key) or cannot be told.
 */
const struct pol_resource *stk_kms_key(const struct stk_index *s, const struct pol_resource *r, const char *prop);

/* The stack's root resource (type pulumi:pulumi:Stack) or NULL. */
const struct pol_resource *stk_root(const struct stk_index *s);

/*
 * Build the index over `n` resources already filled in `res` (owned by the
 * caller's arena). Returns 0, or -1 when the arena is exhausted.
 */
int stk_index_build(struct stk_index *s, struct arena *a, struct pol_resource *res, size_t n);

#endif
