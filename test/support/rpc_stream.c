/*
 * rpc_stream.c - see rpc_stream.h. One pluck queue per call; every batch is
 * waited for before the next starts, so no tag is ever left pending when
 * the call is freed.
 */
#include "rpc_stream.h"

#include <stdlib.h>
#include <string.h>

#include <grpc/byte_buffer_reader.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>

/* Wait for `tag`: 0 ok, 1 failed batch, -1 timeout (then cancelled and drained). */
static int rpc_stream_pluck(struct rpc_stream *s, void *tag, int timeout_ms)
{
	gpr_timespec dl = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
				       gpr_time_from_millis((int64_t)timeout_ms * rpc_time_scale(), GPR_TIMESPAN));
	grpc_event ev = grpc_completion_queue_pluck(s->cq, tag, dl, NULL);

	if (ev.type == GRPC_QUEUE_TIMEOUT) {
		grpc_call_cancel(s->call, NULL);
		grpc_completion_queue_pluck(s->cq, tag, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
		s->broken = 1;
		return -1;
	}
	return ev.success ? 0 : 1;
}

int rpc_stream_start(struct rpc_stream *s, struct rpc_conn *c, const char *method, const ProtobufCMessage *req,
		     int timeout_ms)
{
	size_t n = protobuf_c_message_get_packed_size(req);
	grpc_slice body = grpc_slice_malloc(n);
	grpc_slice path = grpc_slice_from_copied_string(method);
	grpc_op ops[3];
	int tag;

	memset(s, 0, sizeof(*s));
	protobuf_c_message_pack(req, GRPC_SLICE_START_PTR(body));
	s->req = grpc_raw_byte_buffer_create(&body, 1);
	grpc_slice_unref(body);
	s->cq = grpc_completion_queue_create_for_pluck(NULL);
	grpc_metadata_array_init(&s->md_init);
	grpc_metadata_array_init(&s->md_trail);
	s->details_slice = grpc_empty_slice();
	s->call = grpc_channel_create_call(c->ch, NULL, GRPC_PROPAGATE_DEFAULTS, s->cq, path, NULL,
					   gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	grpc_slice_unref(path);
	if (!s->call) {
		s->broken = 1;
		return -1;
	}
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = s->req;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	if (grpc_call_start_batch(s->call, ops, 3, &tag, NULL) != GRPC_CALL_OK) {
		s->broken = 1;
		return -1;
	}
	/* A failed send just means the server answered already: the status will say. */
	return rpc_stream_pluck(s, &tag, timeout_ms) < 0 ? -1 : 0;
}

int rpc_stream_next(struct rpc_stream *s, const ProtobufCMessageDescriptor *d, int timeout_ms,
		    ProtobufCMessage **out)
{
	grpc_byte_buffer *bb = NULL;
	grpc_byte_buffer_reader rd;
	grpc_op ops[2];
	size_t n = 0;
	int tag;

	*out = NULL;
	if (s->broken)
		return -1;
	if (s->ended)
		return 0;
	memset(ops, 0, sizeof(ops));
	if (!s->got_md) {
		ops[n].op = GRPC_OP_RECV_INITIAL_METADATA;
		ops[n].data.recv_initial_metadata.recv_initial_metadata = &s->md_init;
		n++;
		s->got_md = 1;
	}
	ops[n].op = GRPC_OP_RECV_MESSAGE;
	ops[n].data.recv_message.recv_message = &bb;
	n++;
	if (grpc_call_start_batch(s->call, ops, n, &tag, NULL) != GRPC_CALL_OK)
		return -1;
	if (rpc_stream_pluck(s, &tag, timeout_ms) < 0) {
		if (bb)
			grpc_byte_buffer_destroy(bb);
		return -1;
	}
	if (!bb) {
		s->ended = 1;
		return 0;
	}
	if (!grpc_byte_buffer_reader_init(&rd, bb)) {
		grpc_byte_buffer_destroy(bb);
		return -1;
	}
	grpc_slice sl = grpc_byte_buffer_reader_readall(&rd);
	*out = protobuf_c_message_unpack(d, NULL, GRPC_SLICE_LENGTH(sl), GRPC_SLICE_START_PTR(sl));
	grpc_slice_unref(sl);
	grpc_byte_buffer_reader_destroy(&rd);
	grpc_byte_buffer_destroy(bb);
	return *out ? 1 : -1;
}

int rpc_stream_status(struct rpc_stream *s, int timeout_ms)
{
	grpc_op op;
	int tag;

	free(s->details);
	s->details = NULL;
	if (s->broken) {
		s->details = strdup("");
		return -1;
	}
	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	op.data.recv_status_on_client.trailing_metadata = &s->md_trail;
	op.data.recv_status_on_client.status = &s->status;
	op.data.recv_status_on_client.status_details = &s->details_slice;
	if (grpc_call_start_batch(s->call, &op, 1, &tag, NULL) != GRPC_CALL_OK ||
	    rpc_stream_pluck(s, &tag, timeout_ms) < 0) {
		s->details = strdup("");
		return -1;
	}
	char *d = grpc_slice_to_c_string(s->details_slice);
	s->details = strdup(d ? d : "");
	gpr_free(d);
	return 0;
}

void rpc_stream_cancel(struct rpc_stream *s)
{
	if (s->call)
		grpc_call_cancel(s->call, NULL);
}

void rpc_stream_free(struct rpc_stream *s)
{
	if (s->call)
		grpc_call_unref(s->call);
	if (s->cq) {
		grpc_completion_queue_shutdown(s->cq);
		while (grpc_completion_queue_pluck(s->cq, NULL, gpr_inf_past(GPR_CLOCK_MONOTONIC), NULL).type !=
		       GRPC_QUEUE_SHUTDOWN)
			;
		grpc_completion_queue_destroy(s->cq);
	}
	if (s->req)
		grpc_byte_buffer_destroy(s->req);
	grpc_metadata_array_destroy(&s->md_init);
	grpc_metadata_array_destroy(&s->md_trail);
	grpc_slice_unref(s->details_slice);
	free(s->details);
	memset(s, 0, sizeof(*s));
}
