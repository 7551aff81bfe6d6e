/*
 * pctest.h - helpers shared by the Check suites: one pack per test process,
 * fixtures run exactly as check mode runs them, and the fixture
 * expectations of test/fixtures/README.md checked in one place (used by the
 * check-mode suite and the RPC suite alike).
 */
#ifndef PC_PCTEST_H
#define PC_PCTEST_H

#include <stddef.h>

#include "arena.h"
#include "pack.h"
#include "resjson.h"
#include "runner.h"

/* A diagnostic as the tests compare it, whichever path produced it. */
struct pct_diag {
	const char *policy;
	const char *urn;
	int level;                 /* POL_ADVISORY / POL_MANDATORY */
	const char *message;
};

struct pct_run {
	struct arena arena;
	struct resjson_doc doc;
	struct run_result res;     /* Analyze results of all resources, then AnalyzeStack's */
	size_t n;                  /* diagnostics, flattened */
	struct pct_diag *d;
	const char *err;           /* set when loading failed */
};

/* The process-wide pack (initialised on first use; aborts the test on failure). */
struct pack *pct_pack(void);

/*
 * Load and run a fixture (JSON text or a file path): apply its "config" (or
 * none) and "stack", Analyze every resource, AnalyzeStack once. Returns 0, or
 * -1 with run->err. Always call pct_run_free.
 */
int pct_run_json(struct pct_run *run, const char *json);
int pct_run_file(struct pct_run *run, const char *path);
void pct_run_free(struct pct_run *run);

/*
 * Count diagnostics matching policy (NULL = any), urn (NULL = any; exact, or
 * a "::name" suffix when it starts with "::") and level (-1 = any).
 */
size_t pct_count(const struct pct_run *run, const char *policy, const char *urn, int level);
size_t pct_count_na(const struct pct_run *run, const char *policy);

/*
 * Inline fixtures. Suites write fixture JSON with single quotes inside C
 * strings; pct_dq turns them into double quotes (malloc'd copy). The _sq
 * helpers run such a fixture (failing the test when it does not load) and
 * answer one question: how many diagnostics of `policy` on the resource
 * named `name` (NULL = any) at `level` (-1 = any), or the first message of
 * `policy` (malloc'd, or NULL when it reported nothing).
 */
char *pct_dq(const char *single_quoted);
size_t pct_count_sq(const char *sq_json, const char *policy, const char *name, int level);
char *pct_message_sq(const char *sq_json, const char *policy);

/*
 * A fixture document from single-quoted parts: stack "dev" of `project` in
 * us-east-1, an optional policy-pack `config`, then the resources `head`
 * (typically providers) and `resources`. Quotes are swapped; the returned
 * buffer is reused by the next call.
 */
const char *pct_doc_sq(const char *project, const char *config, const char *head, const char *resources);

/*
 * Run `doc` into `run` (freeing what `run` held; start from a zeroed run) and
 * count diagnostics of `policy` on the resource named `name` (NULL = any), any
 * level. Fails the test when the document does not load.
 */
size_t pct_count_doc(struct pct_run *run, const char *doc, const char *policy, const char *name);

/* All diagnostics as text, for failure messages (arena-allocated). */
const char *pct_describe(struct pct_run *run);

/*
 * Fixture expectations: a .fail fixture must contain every "expect" entry; a
 * .fixed fixture must contain no mandatory diagnostic. Returns NULL when met,
 * else a description of what is missing or unexpected (allocated from `a`).
 */
const char *pct_expect(struct arena *a, const struct resjson_doc *doc, int is_fail,
		       const struct pct_diag *d, size_t n);

/* Run a Check suite (Check's default fork mode, CK_FORK overrides); the process exit code. */
struct Suite;
int pct_run_suite(struct Suite *s);

/* Every fixture path under PC_FIXTURES_DIR, sorted; free with pct_files_free. */
size_t pct_fixture_files(char ***out);
void pct_files_free(char **files, size_t n);

/* 1 for "*.fail.json", 0 for "*.fixed.json", -1 otherwise. */
int pct_fixture_kind(const char *path);

/*
 * The fixture at `path` as JSON text (in `a`) with every string of every
 * resource's properties, outputs and provider properties wrapped as a
 * Pulumi secret and suffixed "~" PCT_CANARY: no output may ever show it.
 */
#define PCT_CANARY "cnry-5ecr3t-Q7"
char *pct_canary_fixture(struct arena *a, const char *path);
/* The same for one value: a copy (in `a`) with every string leaf a canary secret. */
pv_value *pct_canarise(struct arena *a, const pv_value *v);

/* Every fixture's resources in file order, loaded once per process (the request mix of the suites). */
struct pct_fixture_set {
	size_t n;
	struct pol_resource *in;   /* what Analyze sees */
	struct pol_resource *out;  /* what AnalyzeStack sees */
	int *fail;                 /* 1 when the resource comes from a .fail fixture */
};

/* The set (fails the test when fewer than 100 resources load); pct_fixture_resources_free at exit. */
const struct pct_fixture_set *pct_fixture_resources(void);
void pct_fixture_resources_free(void);

#endif
