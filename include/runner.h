/*
 * runner.h - runs policies against resources and collects the results.
 *
 * Used identically by the gRPC handlers, check mode, the tests and the
 * fuzzers, so every path judges the same way. All output memory comes from
 * the arena passed in and is valid until it is released.
 */
#ifndef PC_RUNNER_H
#define PC_RUNNER_H

#include <stddef.h>

#include "pack.h"
#include "policy.h"
#include "stack.h"

struct arena;

struct run_diag {
	const struct pack_policy *pp;
	const char *urn;
	const char *message;          /* description + "\n" + detail; secrets redacted */
	enum pol_level level;         /* POL_ADVISORY or POL_MANDATORY only: never DISABLED */
	enum pol_severity severity;
};

struct run_na {
	const struct pack_policy *pp;
	const char *reason;
};

struct run_remediation {
	const struct pack_policy *pp;
	const pv_value *props;        /* full new property map */
	const char *diagnostic;       /* "" unless the remediation could not be applied */
};

struct run_result {
	size_t n_diags, cap_diags;
	struct run_diag *diags;
	size_t n_nas, cap_nas;
	struct run_na *nas;
	size_t n_rems, cap_rems;
	struct run_remediation *rems;
	int oom;                      /* an allocation failed; the result is incomplete */
	/*
	 * Where the diagnostics' messages are allocated; NULL (run_result_init):
	 * the arena the policies run in. The rest of the result (arrays, URNs,
	 * reasons) may point into that arena either way.
	 */
	struct arena *keep;
};

/* Zero a result. */
void run_result_init(struct run_result *out);

/* Run every applicable, enabled resource policy on `r`. Returns 0 or -1 (out of memory). */
int run_analyze(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		const struct pol_resource *r, struct run_result *out);

/*
 * Run every enabled stack policy over `s`. Returns 0 or -1. A big stack's
 * policies run on several threads (run_stack_workers); the result is the
 * same, in the same order, as on one.
 */
int run_analyze_stack(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		      const struct stk_index *s, struct run_result *out);

/* The same on `workers` threads (1: the calling thread only; capped at the number of policies). */
int run_analyze_stack_on(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
			 const struct stk_index *s, struct run_result *out, unsigned workers);

/* How many threads run_analyze_stack uses for a stack of `n_resources`: 1 when small, else the CPUs (at most 4). */
unsigned run_stack_workers(size_t n_resources);

/*
 * Run the remediations of policies whose level is `remediate`, in table order,
 * each seeing the previous one's output. Returns 0 or -1.
 */
int run_remediate(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		  const struct pol_resource *r, struct run_result *out);

#endif
