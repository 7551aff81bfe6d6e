/*
 * server.h - a small unary gRPC server on the C core (c-grpc-notes 1.3).
 *
 * It knows nothing about Pulumi: it serves a table of unary methods whose
 * requests are protobuf-c messages. For every call it decodes the request
 * into a fresh arena, calls the method's handler, packs the reply and sends
 * it in one batch. Unknown methods (including the empty method name) get
 * UNIMPLEMENTED at once. Handlers run on the poller threads, concurrently:
 * they must be thread-safe.
 *
 * Status codes the server produces by itself:
 *   UNIMPLEMENTED       method not in the table (details "unknown method <path>")
 *   INVALID_ARGUMENT    request does not decode ("malformed <message type>"),
 *                       or nests messages deeper than `max_depth`
 *   RESOURCE_EXHAUSTED  request or reply larger than `max_msg`, or the
 *                       request arena hit `arena_limit` while decoding
 *   INTERNAL            a handler returned OK without a reply
 *
 * Server-streaming methods (one request, a stream of replies) are served
 * too, from a second table passed to srv_start_streams: see "streams"
 * below. Decoding, limits and the catch-all work the same for them.
 */
#ifndef PC_SERVER_H
#define PC_SERVER_H

#include <stddef.h>

#include <grpc/status.h>
#include <protobuf-c/protobuf-c.h>

struct arena;

/*
 * What a handler answers. `msg` is packed when `status` is GRPC_STATUS_OK;
 * otherwise `details` (may be NULL) is sent with the status. Both may point
 * into the call's arena: they are used before the arena is released.
 *
 * `reply` (NULL when the caller offers none, e.g. tests calling handlers
 * directly) is a second, empty arena for big replies to big requests. A
 * handler that builds `msg` and everything it points to in `reply`, never
 * in the request's arena, sets `detached`: the server then frees the
 * request's arena before packing the reply, so a big request's decoded
 * form and its packed reply are never resident together. `details` is
 * not sent for a detached reply.
 */
struct srv_reply {
	grpc_status_code status;
	const ProtobufCMessage *msg;
	const char *details;
	struct arena *reply;
	int detached;
};

/*
 * A method handler. `req` was decoded into `a` (never NULL); allocate
 * anything the reply needs from `a` too (or from out->reply, see above).
 * `out` starts as { OK, NULL, NULL, reply arena or NULL, 0 }.
 */
typedef void (*srv_handler_fn)(void *ud, struct arena *a, const ProtobufCMessage *req,
			       struct srv_reply *out);

struct srv_method {
	const char *path;                          /* "/package.Service/Method" */
	const ProtobufCMessageDescriptor *input;   /* request type */
	srv_handler_fn handler;
};

/* ---- streams -------------------------------------------------------------
 *
 * A server-streaming call is handed to its handler with a stream handle.
 * The handler may return at once and keep using the handle from any thread:
 * it sends replies with srv_stream_send and must end the call exactly once
 * with srv_stream_finish. Sends are queued and written one at a time as
 * gRPC completes them, so nothing ever blocks a poller thread. When the
 * client goes away (cancel, deadline, lost connection, server stop), the
 * cancellation callback runs once and further sends fail; the handler must
 * still call srv_stream_finish.
 */
struct srv_stream;

/*
 * A streaming handler. `req` was decoded into `a`, which (like `req`) stays
 * valid until srv_stream_finish; allocate from `a` only on the thread that
 * owns the stream at that moment (arenas are not thread-safe).
 */
typedef void (*srv_stream_fn)(void *ud, struct arena *a, const ProtobufCMessage *req, struct srv_stream *st);

/*
 * Called once when the call is cancelled, on a poller thread (or at once, on
 * the caller's thread, by srv_stream_on_cancel if the call is already gone).
 * It must be quick and must not call srv_stream_flush; it may call
 * srv_stream_send (which fails) and srv_stream_finish.
 */
typedef void (*srv_stream_cancel_fn)(struct srv_stream *st, void *ud);

struct srv_stream_method {
	const char *path;                          /* "/package.Service/Method" */
	const ProtobufCMessageDescriptor *input;   /* request type */
	srv_stream_fn handler;
};

/*
 * Queue one reply (packed now: `msg` may be freed on return). Returns 0,
 * -ECANCELED when the call is over (cancelled or already finished),
 * -EMSGSIZE when it exceeds the message limit, -ENOMEM.
 */
int srv_stream_send(struct srv_stream *st, const ProtobufCMessage *msg);

/*
 * Block until at most `max_queued` replies are waiting to be written (flow
 * control for a producer thread). Returns 0, or -ECANCELED when the call is
 * over. Never call it on a poller thread (i.e. from the handler itself or
 * from a cancellation callback): the writes it waits for complete there.
 */
int srv_stream_flush(struct srv_stream *st, size_t max_queued);

/*
 * Register the cancellation callback (replaces any earlier one). If the call
 * was already cancelled, `fn` runs before this returns.
 */
void srv_stream_on_cancel(struct srv_stream *st, srv_stream_cancel_fn fn, void *ud);

/* True once the client cancelled or went away. */
int srv_stream_cancelled(struct srv_stream *st);

/*
 * End the call: the queued replies are written, then `status` with
 * `details` (copied; may be NULL). Once this returns the cancellation
 * callback will not run any more (a running one is waited for, unless it
 * is the caller), and `st`, the request and its arena must not be used.
 */
void srv_stream_finish(struct srv_stream *st, grpc_status_code status, const char *details);

/* Defaults for srv_config fields left 0. */
#define SRV_DEFAULT_POLLERS 2
#define SRV_MAX_POLLERS 16
#define SRV_DEFAULT_MAX_MSG (400 << 20)    /* Pulumi's own limit (rpcutil/serve.go) */
#define SRV_DEFAULT_MAX_DEPTH 256
/* Not applied by the server (0 = no cap there): the analyzer's default (main.c). */
#define SRV_DEFAULT_ARENA_LIMIT ((size_t)2 << 30)

struct srv_config {
	const char *addr;                  /* "127.0.0.1:0" (port 0 = any free port) */
	const struct srv_method *methods;  /* copied pointer: must outlive the server */
	size_t n_methods;
	void *ud;                          /* passed to every handler */
	int pollers;                       /* poller threads, 1..SRV_MAX_POLLERS; 0 = default */
	int max_msg;                       /* max request and reply size in bytes; 0 = default */
	size_t arena_limit;                /* per-call arena cap in bytes; 0 = none */
	int max_depth;                     /* max message nesting on the wire; 0 = default */
};

struct srv;

/*
 * Route gRPC's own log lines: to stderr when `verbose`, else nowhere (the
 * engine shows everything a plugin prints to the user). Call before
 * grpc_init. Never writes to stdout.
 */
void srv_log_setup(int verbose);

/*
 * Create, bind and start a server; grpc_init must have been called. Returns
 * the server and stores the bound port in *port, or returns NULL with a
 * message in *err (static string) - e.g. when the address cannot be bound.
 */
struct srv *srv_start(const struct srv_config *cfg, int *port, const char **err);

/*
 * srv_start plus `n_streams` server-streaming methods (`streams` must
 * outlive the server; paths must differ from the unary ones).
 */
struct srv *srv_start_streams(const struct srv_config *cfg, const struct srv_stream_method *streams,
			      size_t n_streams, int *port, const char **err);

/*
 * Stop: refuse new calls, let in-flight calls finish for `grace_ms`, then
 * cancel them, and wait up to `hard_ms` (from the start) for the handlers
 * still running. Returns 0 when everything was torn down (call srv_free),
 * or -1 when a handler is still running at `hard_ms`: the server must then
 * be abandoned (exit the process without srv_free or grpc_shutdown).
 * Safe to call once, from any thread that is not a poller.
 */
int srv_stop(struct srv *s, int grace_ms, int hard_ms);

/* Free a stopped server (srv_stop returned 0). */
void srv_free(struct srv *s);

/* Number of calls answered so far (for tests and -v logging). */
size_t srv_calls_served(const struct srv *s);

#endif
