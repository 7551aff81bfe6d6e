/*
 * analyzer.h - the pulumirpc.Analyzer service: one handler per RPC, built on
 * the pack (pack.h) and the runner (runner.h), served by server.h.
 *
 * Every handler takes one configuration snapshot (pack_snapshot) for the
 * whole request and allocates only from the call's arenas, so handlers run
 * concurrently on the server's poller threads without locks. Status codes:
 *   INVALID_ARGUMENT    a Struct nests deeper than PV_MAX_DEPTH, a Configure
 *                       layer fails validation (message from the pack), an
 *                       enforcement level is out of range
 *   RESOURCE_EXHAUSTED  the call's arenas ran out (limit or memory)
 * Undecodable requests and unknown methods are answered by the server.
 */
#ifndef PC_ANALYZER_H
#define PC_ANALYZER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "pack.h"
#include "server.h"

#define AN_MAX_METHODS 16

struct an_owned;

struct an_state {
	struct pack *pk;
	int verbose;                        /* -v level: log failed calls to stderr */
	atomic_int cancelling;              /* set by Cancel */
	_Atomic(const char *) description;  /* PulumiPolicy.yaml override, or NULL */
	/* private */
	struct an_owned *owned;             /* strings kept until an_free */
	pthread_mutex_t owned_lock;
	size_t n_methods;
	struct srv_method methods[AN_MAX_METHODS];
	char paths[AN_MAX_METHODS][64];
};

/*
 * Prepare the service for `pk` (which must outlive it). The method table is
 * generated from pulumirpc__analyzer__descriptor. Returns 0, or -1 when a
 * method of the service has no handler (a build mismatch) or memory is short.
 */
int an_init(struct an_state *st, struct pack *pk, int verbose);
void an_free(struct an_state *st);

/* The method table for srv_config (valid while `st` lives). */
const struct srv_method *an_methods(const struct an_state *st, size_t *n);

/*
 * Read `dir`/PulumiPolicy.yaml if present: a semver `version` overrides the
 * reported version (pack_set_dir; a leading 'v' is dropped) and
 * `description` overrides ours. Also records `dir` as the pack directory
 * when it exists. Returns 1 when the file was read, 0 when there is none
 * (or no such directory: nothing changes), -1 on out-of-memory.
 */
int an_load_pack_yaml(struct an_state *st, const char *dir);

/* True when `v` is a semantic version Pulumi accepts ("1.2.3", "v1.2.3-rc.1+b5"). */
int an_is_semver(const char *v);

#endif
