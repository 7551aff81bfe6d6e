/*
 * lh.h - pulumi-language-c, the language host for `runtime: c` policy packs.
 *
 * The engine talks to a policy pack through a language host when one named
 * pulumi-language-<runtime> exists: it installs a pack downloaded from
 * Pulumi Cloud with InstallDependencies, and starts every pack (local ones
 * too) with RunPlugin instead of running pulumi-analyzer-policy-<runtime>
 * itself. This host does no language work: it checks the pack and runs the
 * C analyzer for it (engine-harness.md 3.4).
 *
 * Modules: lh_main.c (argv, signals, server), lh_service.c (the RPCs),
 * lh_pack.c (PulumiPolicy.yaml, finding the analyzer), lh_run.c (child
 * processes).
 */
#ifndef PC_LH_H
#define PC_LH_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "server.h"

#define LH_PROG "pulumi-language-c"
#define LH_ANALYZER "pulumi-analyzer-policy-c"
#define LH_RUNTIME "c"

/* Process-wide settings, fixed after startup. */
struct lh_state {
	int verbose;                  /* -v level: log RPCs to stderr */
	char self[PATH_MAX];          /* our own executable (symlinks resolved), or "" */
	char self_dir[PATH_MAX];      /* its directory, or "" */
};

/* ---- lh_pack.c ------------------------------------------------------------ */

/*
 * Check that `dir` is a policy pack for this runtime: dir/PulumiPolicy.yaml
 * exists and says `runtime: c` (scalar or `runtime: {name: c}`). Returns 0,
 * or -1 with a sentence in `why`.
 */
int lh_pack_check(const char *dir, char *why, size_t whysz);

/* "<os>-<arch>" in Pulumi's spelling, e.g. "linux-amd64". */
const char *lh_platform(void);

/*
 * Find the analyzer for a pack, in this order: inside the pack at
 * bin/<os>-<arch>/pulumi-analyzer-policy-c (a pack that ships its own
 * binary runs exactly that one), next to this language host (installed
 * together), on PATH, then in Pulumi's plugin cache
 * ($PULUMI_HOME/plugins/analyzer-policy-c-v<version>/, our version first,
 * else the newest). `pack_dir` may be NULL. Returns 0 with the path in
 * `out`, or -1 with the places tried in `why`.
 */
int lh_find_analyzer(const struct lh_state *lh, const char *pack_dir, char *out, size_t outsz, char *why,
		     size_t whysz);

/* ---- lh_run.c --------------------------------------------------------------- */

/* What to run: argv[0] is the executable's path; envp NULL = ours; cwd NULL = ours. */
struct lh_cmd {
	char *const *argv;
	char *const *envp;
	const char *cwd;
};

/*
 * Run `cmd` to completion with output captured (at most `cap`-1 bytes kept,
 * NUL-terminated; stdout and stderr together), killing it after
 * `timeout_ms`. Returns the exit code (-1 if killed by a signal), -2 when
 * it could not be started (`out` then says why), -3 when it timed out.
 * Blocks the caller.
 */
int lh_run_capture(const struct lh_cmd *cmd, int timeout_ms, char *out, size_t cap);

/*
 * Start `cmd` for a RunPlugin call and stream it on `st`: stdout and stderr
 * chunks as they come, then the exit code, then OK. The child gets its own
 * process group; cancelling the call interrupts that group (SIGINT, SIGKILL
 * 2 s later). Takes ownership of `argv`/`envp` (malloc'd arrays of
 * malloc'd strings) and returns at once: a thread does the work. Returns 0,
 * or -1 when no thread could be started (the caller still owns everything
 * and must finish the stream).
 */
int lh_run_stream(struct srv_stream *st, char **argv, char **envp, const char *cwd, int verbose);

/*
 * Interrupt every running child (SIGINT to its group) and wait up to
 * `wait_ms` for them to be gone, then SIGKILL the rest. For shutdown.
 */
void lh_run_stop_all(int wait_ms);

/* Free an argv/envp built for lh_run_stream (NULL-terminated, malloc'd strings). */
void lh_strv_free(char **v);

/* ---- lh_service.c --------------------------------------------------------------- */

/*
 * The pulumirpc.LanguageRuntime method tables (paths and request types from
 * the generated service descriptor). `lh` must outlive the server. Returns
 * 0, or -1 when a method we serve is missing from the descriptor.
 */
int lh_service_init(struct lh_state *lh, const struct srv_method **methods, size_t *n_methods,
		    const struct srv_stream_method **streams, size_t *n_streams);

#endif
