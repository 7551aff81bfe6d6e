/*
 * resjson.h - resources from JSON: our fixture format and `pulumi stack
 * export` deployments (see test/fixtures/README.md). Used by check mode,
 * the test suites and the fuzzers.
 */
#ifndef PC_RESJSON_H
#define PC_RESJSON_H

#include <stddef.h>

#include "pack.h"
#include "policy.h"

struct arena;

struct resjson_doc {
	size_t n;
	struct pol_resource *inputs;   /* what Analyze sees (properties) */
	struct pol_resource *outputs;  /* what AnalyzeStack sees ("outputs", else properties) */
	const pv_value *config;        /* "config" (policy pack config format) or NULL */
	const pv_value *stack;         /* "stack" object or NULL */
	const pv_value *expect;        /* "expect" list or NULL */
	const char *title;             /* "" when absent */
	const char *seed;              /* "" when absent */
};

/*
 * Parse `text` (fixture or stack export). All memory comes from `a`.
 * Returns 0, or -1 with a message in *err (allocated from `a`).
 */
int resjson_load(struct arena *a, const char *text, size_t len, struct resjson_doc *out, const char **err);

/*
 * Fill stack arguments from the doc's "stack" object (strings borrowed from
 * `a`). Returns 0 when there is no "stack" object too.
 */
int resjson_stack_args(struct arena *a, const struct resjson_doc *d, struct pack_stack_args *out);

/* Read a whole file into the arena (NUL-terminated); NULL with *err on failure. */
char *resjson_read_file(struct arena *a, const char *path, size_t *len, const char **err);

#endif
