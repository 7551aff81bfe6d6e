/*
 * rpc_client.h - drive the real analyzer binary the way the Pulumi engine
 * does: spawn it with the engine's argv, read the port from the first stdout
 * line, dial 127.0.0.1:<port> and make unary calls with the gRPC C core.
 *
 * Set PC_RPC_VALGRIND=1 to run every spawned server under valgrind memcheck
 * (definite leaks and errors make it exit 99; the log goes to
 * $PC_RPC_VALGRIND_LOG, default /tmp/pc-vg-server.<pid>.log; valgrind's %p
 * is the pid; $PC_RPC_VALGRIND_SUPP names an extra suppressions file).
 * Timeouts are then scaled by rpc_time_scale().
 *
 * Call grpc_init() before using the client functions and grpc_shutdown()
 * after. None of these functions use Check: they return errors, the tests
 * assert.
 */
#ifndef PC_RPC_CLIENT_H
#define PC_RPC_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <grpc/grpc.h>
#include <grpc/status.h>
#include <protobuf-c/protobuf-c.h>

#include "pctest.h"
#include "pulumi/analyzer.pb-c.h"

/* ---- the process ------------------------------------------------------------ */

struct rpc_spawn_opts {
	const char *const *flags;  /* NULL-terminated, before the engine address (may be NULL) */
	const char *const *tail;   /* NULL-terminated, after it: ".", "-config=F" (may be NULL) */
	const char *cwd;           /* working directory; NULL = inherit */
	const char *const *env;    /* NULL-terminated "K=V" added/overriding; NULL = none */
	const char *const *argv;   /* if set: the whole argv after the binary, instead of flags/addr/tail */
	int no_address;            /* do not pass the engine address */
	int no_valgrind;           /* never wrap in valgrind (timing tests of argv errors) */
	const char *bin;           /* binary to run; NULL = PC_ANALYZER_BIN */
};

struct rpc_proc {
	pid_t pid;
	int port;                  /* 0 until the port line was read */
	int out_fd;                /* the rest of stdout */
	char err_path[64];         /* stderr is captured in this file */
	double startup_ms;         /* spawn to port line */
	int exited;
	int exit_code;             /* exit status, or 128 + signal number */
	int valgrind;
};

/* Factor by which timeouts grow (1, or 20 under valgrind). */
int rpc_time_scale(void);

/* Milliseconds on the monotonic clock. */
double rpc_now_ms(void);

/*
 * Start the analyzer (PC_ANALYZER_BIN) and read its port line. Returns 0 with
 * p->port set, or -1 when the process exited or printed something else first
 * (then p->exited / p->exit_code tell why, if it exited). Always call
 * rpc_proc_free afterwards. When the first line is not a port (an offline
 * command), the process is left running: drain its stdout, then rpc_wait.
 */
int rpc_spawn(struct rpc_proc *p, const struct rpc_spawn_opts *o);

/* Send a signal to the process. */
int rpc_signal(struct rpc_proc *p, int sig);

/* Wait up to timeout_ms for the exit; 0 with p->exit_code, or -1 on timeout. */
int rpc_wait(struct rpc_proc *p, int timeout_ms);

/* SIGKILL (if still running) and reap; removes the stderr file. */
void rpc_proc_free(struct rpc_proc *p);

/* Captured stderr / the rest of stdout so far (malloc'd, NUL-terminated; free()). */
char *rpc_stderr(const struct rpc_proc *p);
char *rpc_stdout_rest(struct rpc_proc *p);
/* Read stdout until the process closes it (blocking). */
char *rpc_stdout_drain(struct rpc_proc *p);

/* ---- the connection ------------------------------------------------------------ */

struct rpc_conn {
	grpc_channel *ch;
};

/* Dial 127.0.0.1:port (no size limits on the client side). */
int rpc_connect(struct rpc_conn *c, int port);
void rpc_close(struct rpc_conn *c);

struct rpc_result {
	grpc_status_code status;
	char *details;             /* malloc'd, never NULL after a call */
	uint8_t *data;             /* response bytes (malloc'd) or NULL */
	size_t len;
	int has_msg;
};

/*
 * One unary call with raw request bytes. `method` is the full path
 * ("/pulumirpc.Analyzer/Analyze"; "" is allowed). Thread-safe. Returns 0 when
 * the call completed (whatever the status), -1 on a local failure.
 */
int rpc_call_raw(struct rpc_conn *c, const char *method, const void *req, size_t len, int timeout_ms,
		 struct rpc_result *out);

/* Same with a protobuf-c message packed for you. */
int rpc_call(struct rpc_conn *c, const char *method, const ProtobufCMessage *req, int timeout_ms,
	     struct rpc_result *out);

/* Decode the response (default allocator; free with protobuf_c_message_free_unpacked). */
ProtobufCMessage *rpc_result_unpack(const struct rpc_result *r, const ProtobufCMessageDescriptor *d);

void rpc_result_free(struct rpc_result *r);

/* ---- engine-like requests ----------------------------------------------------------- */

#define RPC_M(name) "/pulumirpc.Analyzer/" name

/*
 * An AnalyzeRequest / AnalyzerResource carrying `r` as the engine would
 * send it (provider, options.parent, protect; parent, dependencies and
 * propertyDependencies for AnalyzeStack). Borrows from `r`; the message
 * itself comes from `a`. NULL when the arena is exhausted.
 */
Pulumirpc__AnalyzeRequest *rpc_analyze_request(struct arena *a, const struct pol_resource *r);
Pulumirpc__AnalyzerResource *rpc_stack_resource(struct arena *a, const struct pol_resource *r);

/*
 * The Configure request the engine sends for `layer` (may be NULL): one
 * entry per registry policy with its resolved level (per-policy > "all" >
 * policy default) and knobs, plus every other key of the layer forwarded
 * as it is ("all", unknown names).
 */
Pulumirpc__ConfigureAnalyzerRequest *rpc_configure_request(struct arena *a, const struct pack *pk,
							     const struct pack_layer *layer);

/* ConfigureStack request from stack arguments (resjson_stack_args). */
Pulumirpc__AnalyzerStackConfigureRequest *rpc_stack_configure_request(struct arena *a,
								       const struct pack_stack_args *sa);

/*
 * Diagnostics of a decoded AnalyzeResponse as test diagnostics (strings
 * borrowed from `resp`). Sets *bad_level when a level other than ADVISORY or
 * MANDATORY came over the wire. Returns the count; *out from `a`.
 */
size_t rpc_diags(struct arena *a, const Pulumirpc__AnalyzeResponse *resp, struct pct_diag **out, int *bad_level);

/* Sort diagnostics by (policy, urn, level, message) so two runs compare with rpc_diags_equal. */
void rpc_diags_sort(struct pct_diag *d, size_t n);
/* NULL when equal, else a description of the first difference (from `a`). */
const char *rpc_diags_diff(struct arena *a, struct pct_diag *x, size_t nx, struct pct_diag *y, size_t ny);

#endif
