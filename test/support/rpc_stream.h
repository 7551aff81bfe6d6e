/*
 * rpc_stream.h - a server-streaming gRPC client for the RPC suites (the
 * engine's side of InstallDependencies / RunPlugin): send one request, read
 * the replies one by one, then the status; or cancel half-way.
 *
 * Like rpc_client.h these functions never use Check: they return errors and
 * the tests assert. Timeouts are scaled by rpc_time_scale().
 */
#ifndef PC_RPC_STREAM_H
#define PC_RPC_STREAM_H

#include <grpc/grpc.h>
#include <grpc/status.h>
#include <protobuf-c/protobuf-c.h>

#include "rpc_client.h"

struct rpc_stream {
	grpc_completion_queue *cq;
	grpc_call *call;
	grpc_metadata_array md_init, md_trail;
	grpc_byte_buffer *req;
	grpc_slice details_slice;
	grpc_status_code status;
	char *details;             /* after rpc_stream_status: malloc'd, never NULL */
	int got_md;
	int ended;                 /* the server sent its last reply */
	int broken;                /* a batch timed out or failed: only rpc_stream_free is left */
};

/* Start `method` with `req` (sent and half-closed). Returns 0, or -1. Always rpc_stream_free. */
int rpc_stream_start(struct rpc_stream *s, struct rpc_conn *c, const char *method, const ProtobufCMessage *req,
		     int timeout_ms);

/*
 * The next reply: 1 with *out (default allocator; protobuf_c_message_free_unpacked),
 * 0 at the end of the stream, -1 on timeout (the call is then cancelled) or a reply
 * that does not decode as `d`.
 */
int rpc_stream_next(struct rpc_stream *s, const ProtobufCMessageDescriptor *d, int timeout_ms,
		    ProtobufCMessage **out);

/* After the end: the final status (and s->details). -1 on timeout. */
int rpc_stream_status(struct rpc_stream *s, int timeout_ms);

/* Cancel the call (the engine's Kill of a RunPlugin stream). */
void rpc_stream_cancel(struct rpc_stream *s);

void rpc_stream_free(struct rpc_stream *s);

#endif
