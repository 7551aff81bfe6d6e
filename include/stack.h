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

struct stk_type_group;
struct stk_lazy;

struct stk_index {
	size_t n;
	struct pol_resource *res;   /* request order */
	/* private */
	size_t *by_type;            /* indexes sorted by (type, request order) */
	size_t *urn_slots;          /* open-addressing table of index+1, 0 = empty */
	size_t n_slots;
	struct stk_type_group *groups;  /* one per distinct type, hashed by type */
	size_t n_group_slots;
	struct stk_lazy *lazy;      /* reference tables built on first use (mutable cache) */
};

/*
 * A view of the same stack for another thread: `dst` shares everything
 * with `src` but builds its reference tables (stk_refs) and their results
 * in `a`, which must be that thread's own. 0, or -1 when `a` is exhausted.
 */
int stk_index_fork(struct stk_index *dst, const struct stk_index *src, struct arena *a);

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

/*
 * Cross-resource lookups without scanning the stack per resource. The first
 * call for a (type, prop) pair builds a table over that type's resources
 * (one pass: string values and property dependencies of `prop`); later calls
 * are hash probes, so a policy that looks up a partner for every resource
 * stays linear in the stack size. The tables live in the index's arena and
 * are shared by every policy of the request (the index is used by one
 * thread at a time). When the arena is exhausted the lookups fall back to a
 * scan: same answers, only slower.
 */

/*
 * The first (STK_FIRST) or last (STK_LAST) resource of `type`, in request
 * order, whose property named by one of `keys` (NULL-terminated) is the
 * string `v`; NULL when none or `v` is NULL or empty.
 */
enum stk_pick { STK_FIRST, STK_LAST };
const struct pol_resource *stk_find_eq(const struct stk_index *s, const char *type, const char *const *keys,
				       const char *v, enum stk_pick pick);

/*
 * Resources of `type` whose property `prop` refers to `target`: a property
 * dependency on target's URN, or a string value equal to one of the `n_ids`
 * strings `ids` (NULL or empty entries skipped: the target's name, id, ARN...).
 * Each once, in request order. Returns the count and sets *out to an arena
 * array (NULL when 0). *unknown, when given, is set to 1 when some resource
 * of `type` has `prop` unknown and no dependency recorded for it, so it may
 * refer to the target as well; it is left alone otherwise.
 */
size_t stk_refs(const struct stk_index *s, const char *type, const char *prop, const struct pol_resource *target,
		const char *const *ids, size_t n_ids, const struct pol_resource *const **out, int *unknown);

/* The stack's root resource (type pulumi:pulumi:Stack) or NULL. */
const struct pol_resource *stk_root(const struct stk_index *s);

/*
 * Build the index over `n` resources already filled in `res` (owned by the
 * caller's arena, which must outlive the index: the lazy tables grow in it).
 * Returns 0, or -1 when the arena is exhausted.
 */
int stk_index_build(struct stk_index *s, struct arena *a, struct pol_resource *res, size_t n);

#endif
