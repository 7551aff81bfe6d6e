/*
 * server.c - the C-core unary server loop (see server.h, c-grpc-notes 1.3).
 *
 * Shape: one "next" completion queue, N poller threads blocked on it, one
 * outstanding request per registered method plus one catch-all request for
 * everything else. Every event tag is a `struct srv_tag` embedded in a call
 * context and recovered with container_of, libuv style. Each call gets one
 * response batch (initial metadata, message, status, close), so a context
 * has exactly one owner at any time and is freed exactly once.
 */
#include "server.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/log.h>
#include <grpc/support/time.h>

#include "arena.h"
#include "pbdec.h"
#include "pbdepth.h"

#define SRV_CONTAINER_OF(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

struct srv_tag {
	void (*on_event)(struct srv_tag *t, int ok);
};

struct srv {
	grpc_server *server;
	grpc_completion_queue *cq;
	const struct srv_method *methods;
	void **registered;            /* grpc handle per method, then per stream */
	size_t n_methods;
	const struct srv_stream_method *streams;
	size_t n_streams;
	void *ud;
	int max_msg;
	int max_depth;
	size_t arena_limit;
	int n_pollers;
	pthread_t pollers[SRV_MAX_POLLERS];
	int started_pollers;
	int stopped;
	grpc_completion_queue *pcq;   /* private queue for the shutdown tag */
	int shutdown_seen;

	/* Live call contexts, armed or in flight (c-grpc-notes 0.4). */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t live;
	atomic_size_t served;
};

struct srv_call {
	struct srv *srv;
	const struct srv_method *m;   /* NULL: the catch-all (or a stream) */
	const struct srv_stream_method *sm;  /* a server-streaming method */
	struct srv_stream *st;        /* its state once the call arrived */
	size_t mi;
	struct srv_tag on_request;
	struct srv_tag on_finish;
	grpc_call *call;
	gpr_timespec deadline;
	grpc_metadata_array md;
	grpc_call_details details;    /* catch-all only */
	grpc_byte_buffer *payload;    /* registered methods only */
	size_t req_len;               /* its length, once decoding began */
	grpc_byte_buffer *resp;
	grpc_slice status_details;
	int cancelled;
};

/* ---- logging ------------------------------------------------------------ */

static atomic_int srv_verbose;

/* gRPC logs go to stderr with -v and nowhere otherwise: never to stdout. */
static void srv_log(gpr_log_func_args *a)
{
	if (!atomic_load(&srv_verbose))
		return;
	fprintf(stderr, "grpc %s %s:%d: %s\n", gpr_log_severity_string(a->severity),
		a->file ? a->file : "?", a->line, a->message ? a->message : "");
}

void srv_log_setup(int verbose)
{
	atomic_store(&srv_verbose, verbose ? 1 : 0);
	gpr_set_log_function(srv_log);
	gpr_set_log_verbosity(verbose ? GPR_LOG_SEVERITY_INFO : GPR_LOG_SEVERITY_ERROR);
}

static void srv_logf(const char *fmt, const char *arg)
{
	if (atomic_load(&srv_verbose))
		fprintf(stderr, fmt, arg);
}

/* ---- call contexts ------------------------------------------------------ */

static void srv_on_request(struct srv_tag *t, int ok);
static void srv_on_finish(struct srv_tag *t, int ok);
static void srv_stream_begin(struct srv_call *c);

static void srv_call_free(struct srv_call *c)
{
	struct srv *s = c->srv;

	/* The call must go before the arrays whose slices it owns. */
	if (c->call)
		grpc_call_unref(c->call);
	grpc_metadata_array_destroy(&c->md);
	grpc_call_details_destroy(&c->details);
	if (c->payload)
		grpc_byte_buffer_destroy(c->payload);
	if (c->resp)
		grpc_byte_buffer_destroy(c->resp);
	grpc_slice_unref(c->status_details);
	free(c);

	pthread_mutex_lock(&s->mu);
	if (--s->live == 0)
		pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/*
 * Ask gRPC for the next call of method `m`, or of stream `sm` (both NULL:
 * any unregistered method). After shutdown began gRPC completes the request
 * at once with ok == 0, so arming is always safe while the server exists.
 */
static void srv_arm_call(struct srv *s, const struct srv_method *m, const struct srv_stream_method *sm)
{
	struct srv_call *c = calloc(1, sizeof(*c));
	const char *path = m ? m->path : sm ? sm->path : "catch-all";
	grpc_call_error e;

	if (!c) {
		srv_logf("server: out of memory arming %s\n", path);
		return;
	}
	c->srv = s;
	c->m = m;
	c->sm = sm;
	c->on_request.on_event = srv_on_request;
	c->on_finish.on_event = srv_on_finish;
	c->status_details = grpc_empty_slice();
	grpc_metadata_array_init(&c->md);
	grpc_call_details_init(&c->details);

	pthread_mutex_lock(&s->mu);
	s->live++;
	pthread_mutex_unlock(&s->mu);

	if (m || sm)
		e = grpc_server_request_registered_call(s->server,
							m ? s->registered[m - s->methods]
							  : s->registered[s->n_methods + (size_t)(sm - s->streams)],
							&c->call, &c->deadline, &c->md, &c->payload, s->cq, s->cq,
							&c->on_request);
	else
		e = grpc_server_request_call(s->server, &c->call, &c->details, &c->md, s->cq, s->cq,
					     &c->on_request);
	if (e != GRPC_CALL_OK) {
		/* No completion will come for a request that was refused. */
		srv_logf("server: request_call failed for %s\n", path);
		srv_call_free(c);
	}
}

static void srv_arm(struct srv *s, const struct srv_method *m)
{
	srv_arm_call(s, m, NULL);
}

/*
 * Requests at least this big are decoded by pbd_decode. Sharing pays for
 * AnalyzeStack, where resources repeat providers, options and property
 * names; a single resource's request gains little and decodes ~5 us faster
 * with protobuf-c alone.
 */
#define SRV_SHARE_MIN ((size_t)64 << 10)

/*
 * Requests at least this big are worth a malloc_trim once decoded: the
 * received slices come from gRPC's threads' malloc arenas in pieces below
 * the mmap threshold, so freeing them leaves the pages resident in an arena
 * the next big request may not allocate from (each call would add its
 * request size to the peak). Trimming costs well under a millisecond.
 */
#define SRV_TRIM_MIN ((size_t)1 << 20)
#define SRV_TRIM_STEP ((size_t)2 << 20)   /* ... every this many bytes released */

/* Give freed heap pages back to the system (glibc; elsewhere its allocator decides). */
static void srv_trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* The decode failed: say why in *r (`failed`: the arena ran out). */
static void srv_decode_error(const char *tname, const struct arena *a, int failed, struct srv_reply *r, char *buf,
			     size_t bufsz)
{
	if (failed && a->limit && a->failed)
		snprintf(buf, bufsz, "%s needs more memory to decode than the per-call limit of %zu bytes", tname,
			 a->limit);
	else if (failed)
		snprintf(buf, bufsz, "out of memory decoding %s", tname);
	else
		snprintf(buf, bufsz, "malformed %s", tname);
	r->status = failed ? GRPC_STATUS_RESOURCE_EXHAUSTED : GRPC_STATUS_INVALID_ARGUMENT;
	r->details = buf;
}

/* The received slices pbd_decode reads, released as it goes. */
struct srv_slices {
	struct srv_call *c;
	grpc_slice *sl;
	size_t n, done;
	size_t freed;        /* bytes released since the last trim */
	int trim;            /* big enough to be worth trimming */
};

/*
 * pbd_decode is done with slices [0, n_done). Our references are the last
 * ones once the byte buffer is gone (n_done == 0: nothing falls back to it
 * any more), so each unref frees received memory. gRPC allocated it on its
 * own threads, in malloc arenas our arena blocks never come from, so it
 * only leaves the resident set when trimmed: every few MB, so a big
 * request's bytes make room for its decoded form instead of adding to it.
 */
static void srv_slices_release(void *ud, size_t n_done)
{
	struct srv_slices *ss = ud;

	if (n_done == 0 && ss->c->payload) {
		grpc_byte_buffer_destroy(ss->c->payload);
		ss->c->payload = NULL;
	}
	for (; ss->done < n_done && ss->done < ss->n; ss->done++) {
		ss->freed += GRPC_SLICE_LENGTH(ss->sl[ss->done]);
		grpc_slice_unref(ss->sl[ss->done]);
	}
	if (ss->trim && ss->freed >= SRV_TRIM_STEP) {
		srv_trim();
		ss->freed = 0;
	}
}

/*
 * Decode straight from the received slices with pbd_decode (pbdec.h: equal
 * sub-messages and strings stored once, no flattened copy of the request,
 * slices freed as they are decoded). Returns its PBD_* code; PBD_FALLBACK
 * also when the slices cannot be listed. Unless it falls back, the payload
 * may be gone (c->payload NULL).
 */
static int srv_decode_shared(struct srv_call *c, const ProtobufCMessageDescriptor *input, struct arena *a,
			     size_t len, ProtobufCMessage **req)
{
	grpc_byte_buffer_reader rd;
	struct srv_slices ss;
	struct pbd_seg *segs = NULL;
	grpc_slice one;
	size_t cap = 0;
	int rc = PBD_FALLBACK, oom = 0;

	*req = NULL;
	memset(&ss, 0, sizeof(ss));
	ss.c = c;
	ss.trim = len >= SRV_TRIM_MIN;
	if (!grpc_byte_buffer_reader_init(&rd, c->payload))
		return PBD_FALLBACK;
	while (grpc_byte_buffer_reader_next(&rd, &one)) {
		if (ss.n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			grpc_slice *nsl = realloc(ss.sl, ncap * sizeof(*ss.sl));
			if (!nsl) {
				grpc_slice_unref(one);
				oom = 1;
				break;
			}
			ss.sl = nsl;
			cap = ncap;
		}
		ss.sl[ss.n++] = one;
	}
	grpc_byte_buffer_reader_destroy(&rd);
	if (oom || !(segs = malloc((ss.n ? ss.n : 1) * sizeof(*segs))))
		goto out;   /* out of memory: the caller falls back */
	for (size_t i = 0; i < ss.n; i++) {
		segs[i].p = GRPC_SLICE_START_PTR(ss.sl[i]);
		segs[i].n = GRPC_SLICE_LENGTH(ss.sl[i]);
	}
	rc = pbd_decode(input, segs, ss.n, a, (unsigned)c->srv->max_depth, srv_slices_release, &ss, req);
out:
	for (size_t i = ss.done; i < ss.n; i++)
		grpc_slice_unref(ss.sl[i]);
	free(ss.sl);
	free(segs);
	return rc;
}

/*
 * Decode the call's request (type `input`) into `a`. Returns it, or NULL
 * with r->status and r->details (in `buf`) saying why. Shared by unary and
 * streaming calls so both get the same limits and messages.
 */
static ProtobufCMessage *srv_decode(struct srv_call *c, const ProtobufCMessageDescriptor *input, struct arena *a,
				   struct srv_reply *r, char *buf, size_t bufsz)
{
	struct srv *s = c->srv;
	const char *tname = input->name;
	grpc_byte_buffer_reader rd;
	grpc_slice in;
	ProtobufCMessage *req;
	ProtobufCAllocator pa;
	size_t len;
	int rc;

	if (!c->payload) {
		snprintf(buf, bufsz, "malformed %s: no request message", tname);
		r->status = GRPC_STATUS_INVALID_ARGUMENT;
		r->details = buf;
		return NULL;
	}
	len = c->req_len = grpc_byte_buffer_length(c->payload);
	rc = len >= SRV_SHARE_MIN ? srv_decode_shared(c, input, a, len, &req) : PBD_FALLBACK;
	if (rc != PBD_FALLBACK) {
		/* The raw request is not needed past this point (pbd_decode may have freed it already). */
		if (c->payload)
			grpc_byte_buffer_destroy(c->payload);
		c->payload = NULL;
		if (len >= SRV_TRIM_MIN)
			srv_trim();
		if (rc == PBD_OK)
			return req;
		if (rc == PBD_TOO_DEEP) {
			snprintf(buf, bufsz, "malformed %s: messages nested deeper than %d levels", tname,
				 s->max_depth);
			r->status = GRPC_STATUS_INVALID_ARGUMENT;
			r->details = buf;
		} else {
			srv_decode_error(tname, a, rc == PBD_NOMEM, r, buf, bufsz);
		}
		return NULL;
	}

	/* Small, or something pbd_decode leaves to protobuf-c: flatten the request and decode it whole. */
	if (!grpc_byte_buffer_reader_init(&rd, c->payload)) {
		snprintf(buf, bufsz, "malformed %s: cannot read the payload", tname);
		r->status = GRPC_STATUS_INVALID_ARGUMENT;
		r->details = buf;
		return NULL;
	}
	in = grpc_byte_buffer_reader_readall(&rd);
	grpc_byte_buffer_reader_destroy(&rd);
	/* The raw request is not needed past this point; free it early. */
	grpc_byte_buffer_destroy(c->payload);
	c->payload = NULL;

	/*
	 * protobuf-c's unpack recurses once per nesting level with no limit: a
	 * small but deeply nested request would exhaust a poller's stack.
	 * Malformed bytes are left to unpack, which names the message type.
	 */
	if (pbdepth_check(input, GRPC_SLICE_START_PTR(in), GRPC_SLICE_LENGTH(in), (unsigned)s->max_depth) ==
	    PBDEPTH_TOO_DEEP) {
		grpc_slice_unref(in);
		snprintf(buf, bufsz, "malformed %s: messages nested deeper than %d levels", tname,
			 s->max_depth);
		r->status = GRPC_STATUS_INVALID_ARGUMENT;
		r->details = buf;
		return NULL;
	}
	req = protobuf_c_message_unpack(input, arena_protobuf_allocator(a, &pa),
					GRPC_SLICE_LENGTH(in), GRPC_SLICE_START_PTR(in));
	grpc_slice_unref(in);
	if (len >= SRV_TRIM_MIN)
		srv_trim();
	if (!req) {
		srv_decode_error(tname, a, a->failed, r, buf, bufsz);
		return NULL;
	}
	return req;
}

/*
 * After a big request's arena is gone: its blocks were mmapped and are
 * unmapped already, but gRPC's buffers for the call and what the handler
 * malloc'd sit freed in the malloc arenas. Trimming them keeps one big call
 * from raising the floor the next one starts from.
 */
static void srv_trim_after(const struct srv_call *c)
{
	if (c->req_len >= SRV_TRIM_MIN)
		srv_trim();
}

/*
 * Decode, dispatch and pack; fills *r and, on success, *out with the packed
 * reply. A detached reply (server.h) lives in r->reply: the request's arena
 * `a` is released before packing.
 */
static void srv_call_run(struct srv_call *c, struct arena *a, struct srv_reply *r, grpc_slice *out,
			 int *have_out, char *buf, size_t bufsz)
{
	struct srv *s = c->srv;
	const struct srv_method *m = c->m;
	ProtobufCMessage *req = srv_decode(c, m->input, a, r, buf, bufsz);

	if (!req)
		return;
	m->handler(s->ud, a, req, r);
	if (r->status != GRPC_STATUS_OK)
		return;
	if (!r->msg) {
		r->status = GRPC_STATUS_INTERNAL;
		r->details = "handler returned no reply";
		return;
	}
	if (r->detached) {
		r->details = NULL;
		arena_release(a);
		srv_trim_after(c);
	}
	size_t n = protobuf_c_message_get_packed_size(r->msg);
	if (n > (size_t)s->max_msg) {
		snprintf(buf, bufsz, "reply of %zu bytes exceeds the %d-byte message limit", n, s->max_msg);
		r->status = GRPC_STATUS_RESOURCE_EXHAUSTED;
		r->details = buf;
		return;
	}
	*out = grpc_slice_malloc(n);
	protobuf_c_message_pack(r->msg, GRPC_SLICE_START_PTR(*out));
	*have_out = 1;
}

static void srv_call_handle(struct srv_call *c)
{
	struct srv *s = c->srv;
	struct arena a, ra;
	struct srv_reply r = { GRPC_STATUS_OK, NULL, NULL, &ra, 0 };
	grpc_slice out = grpc_empty_slice();
	int have_out = 0;
	char buf[512];
	grpc_op ops[4];
	size_t n = 0;

	arena_init(&a, s->arena_limit);
	arena_init(&ra, s->arena_limit);
	if (!c->m) {
		/* The engine probes with the empty method name: answer, never hang. */
		int len = (int)GRPC_SLICE_LENGTH(c->details.method);
		snprintf(buf, sizeof(buf), "unknown method %.*s", len > 300 ? 300 : len,
			 (const char *)GRPC_SLICE_START_PTR(c->details.method));
		r.status = GRPC_STATUS_UNIMPLEMENTED;
		r.details = buf;
	} else {
		srv_call_run(c, &a, &r, &out, &have_out, buf, sizeof(buf));
	}
	/* Copy the details out before the arena they may live in goes away. */
	grpc_slice_unref(c->status_details);
	c->status_details = grpc_slice_from_copied_string(r.details ? r.details : "");
	arena_release(&a);
	arena_release(&ra);
	srv_trim_after(c);

	memset(ops, 0, sizeof(ops));
	ops[n].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[n].data.send_initial_metadata.count = 0;
	n++;
	if (have_out) {
		c->resp = grpc_raw_byte_buffer_create(&out, 1);
		grpc_slice_unref(out);
		ops[n].op = GRPC_OP_SEND_MESSAGE;
		ops[n].data.send_message.send_message = c->resp;
		n++;
	}
	ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[n].data.send_status_from_server.trailing_metadata_count = 0;
	ops[n].data.send_status_from_server.status = have_out ? GRPC_STATUS_OK : r.status;
	ops[n].data.send_status_from_server.status_details = &c->status_details;
	n++;
	ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	ops[n].data.recv_close_on_server.cancelled = &c->cancelled;
	n++;
	if (grpc_call_start_batch(c->call, ops, n, &c->on_finish, NULL) != GRPC_CALL_OK) {
		/* A refused batch produces no completion: clean up now. */
		srv_call_free(c);
	}
}

static void srv_on_request(struct srv_tag *t, int ok)
{
	struct srv_call *c = SRV_CONTAINER_OF(t, struct srv_call, on_request);

	if (!ok) {
		/* Shutdown killed the pending request: nothing to answer, do not re-arm. */
		srv_call_free(c);
		return;
	}
	if (c->sm) {
		srv_arm_call(c->srv, NULL, c->sm);
		srv_stream_begin(c);
		return;
	}
	/* Re-arm first, so the method keeps accepting while this call runs. */
	srv_arm(c->srv, c->m);
	srv_call_handle(c);
}

static void srv_on_finish(struct srv_tag *t, int ok)
{
	struct srv_call *c = SRV_CONTAINER_OF(t, struct srv_call, on_finish);

	(void)ok;
	atomic_fetch_add(&c->srv->served, 1);
	srv_call_free(c);
}

/* ---- server-streaming calls ------------------------------------------------ */

/*
 * A stream is driven by completions, like everything else here. Three kinds
 * of batch run on the call: one RECV_CLOSE_ON_SERVER for the whole call
 * (it completes when the call is over and says whether it was cancelled),
 * SEND_MESSAGE batches strictly one at a time (gRPC allows one send in
 * flight; the rest wait in a queue), and the final SEND_STATUS batch, which
 * starts only once the queue is empty. Initial metadata rides with the
 * first batch that sends anything. Two references keep the context alive:
 * the close batch's and the handler's (released when the status batch
 * completes); the last one frees it.
 */
struct srv_stream_msg {
	struct srv_stream_msg *next;
	grpc_byte_buffer *bb;
};

struct srv_stream {
	struct srv_call *c;
	struct arena a;                  /* the request and the handler's allocations */
	struct srv_tag on_close;
	struct srv_tag on_sent;
	struct srv_tag on_status;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct srv_stream_msg *head, *tail;   /* waiting to be sent */
	grpc_byte_buffer *inflight;      /* the one SEND_MESSAGE in flight */
	size_t queued;                   /* waiting + in flight */
	int md_sent;
	int finishing;                   /* srv_stream_finish was called */
	int status_started;
	grpc_status_code status;
	int closed;                      /* the call is over on the wire */
	int dead;                        /* sends fail from now on */
	int refs;
	srv_stream_cancel_fn cancel_fn;
	void *cancel_ud;
	int cb_running;
	pthread_t cb_thread;
};

static void srv_stream_drop_queue(struct srv_stream *st)
{
	while (st->head) {
		struct srv_stream_msg *m = st->head;
		st->head = m->next;
		grpc_byte_buffer_destroy(m->bb);
		free(m);
		st->queued--;
	}
	st->tail = NULL;
}

/* Drop one reference; the last one frees the stream and its call context. */
static void srv_stream_unref(struct srv_stream *st)
{
	struct srv_call *c = st->c;
	int last;

	pthread_mutex_lock(&st->mu);
	last = --st->refs == 0;
	pthread_mutex_unlock(&st->mu);
	if (!last)
		return;
	srv_stream_drop_queue(st);
	arena_release(&st->a);
	srv_trim_after(c);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	free(st);
	c->st = NULL;
	atomic_fetch_add(&c->srv->served, 1);
	srv_call_free(c);
}

/* Adds SEND_INITIAL_METADATA to `ops` if this is the stream's first send. Lock held. */
static size_t srv_stream_md_op(struct srv_stream *st, grpc_op *ops)
{
	if (st->md_sent)
		return 0;
	st->md_sent = 1;
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[0].data.send_initial_metadata.count = 0;
	return 1;
}

/* Start sending `bb`. Lock held. Returns 0, or -1 when gRPC refused (the call is gone). */
static int srv_stream_start_send(struct srv_stream *st, grpc_byte_buffer *bb)
{
	grpc_op ops[2];
	size_t n;

	memset(ops, 0, sizeof(ops));
	n = srv_stream_md_op(st, ops);
	ops[n].op = GRPC_OP_SEND_MESSAGE;
	ops[n].data.send_message.send_message = bb;
	n++;
	st->inflight = bb;
	if (grpc_call_start_batch(st->c->call, ops, n, &st->on_sent, NULL) != GRPC_CALL_OK) {
		st->inflight = NULL;
		return -1;
	}
	return 0;
}

/*
 * Start the final status. Lock held. Returns 1 when the handler's reference
 * must be dropped now (gRPC refused the batch, so no completion will come).
 */
static int srv_stream_start_status(struct srv_stream *st)
{
	struct srv_call *c = st->c;
	grpc_op ops[2];
	size_t n;

	st->status_started = 1;
	memset(ops, 0, sizeof(ops));
	n = srv_stream_md_op(st, ops);
	ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[n].data.send_status_from_server.trailing_metadata_count = 0;
	ops[n].data.send_status_from_server.status = st->status;
	ops[n].data.send_status_from_server.status_details = &c->status_details;
	n++;
	return grpc_call_start_batch(c->call, ops, n, &st->on_status, NULL) != GRPC_CALL_OK;
}

static void srv_stream_on_sent(struct srv_tag *t, int ok)
{
	struct srv_stream *st = SRV_CONTAINER_OF(t, struct srv_stream, on_sent);
	int drop = 0;

	pthread_mutex_lock(&st->mu);
	grpc_byte_buffer_destroy(st->inflight);
	st->inflight = NULL;
	st->queued--;
	if (!ok) {
		/* The call is gone: nothing queued will ever be delivered. */
		st->dead = 1;
		srv_stream_drop_queue(st);
	}
	while (st->head) {
		struct srv_stream_msg *m = st->head;
		st->head = m->next;
		if (!st->head)
			st->tail = NULL;
		grpc_byte_buffer *bb = m->bb;
		free(m);
		if (srv_stream_start_send(st, bb) == 0)
			break;
		grpc_byte_buffer_destroy(bb);
		st->queued--;
		st->dead = 1;
		srv_stream_drop_queue(st);
	}
	if (!st->inflight && st->finishing && !st->status_started)
		drop = srv_stream_start_status(st);
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	if (drop)
		srv_stream_unref(st);
}

static void srv_stream_on_status(struct srv_tag *t, int ok)
{
	(void)ok;
	srv_stream_unref(SRV_CONTAINER_OF(t, struct srv_stream, on_status));
}

static void srv_stream_on_close(struct srv_tag *t, int ok)
{
	struct srv_stream *st = SRV_CONTAINER_OF(t, struct srv_stream, on_close);
	srv_stream_cancel_fn fn = NULL;
	void *ud = NULL;

	(void)ok;
	pthread_mutex_lock(&st->mu);
	st->closed = 1;
	if (st->c->cancelled) {
		st->dead = 1;
		fn = st->cancel_fn;
		ud = st->cancel_ud;
		st->cancel_fn = NULL;
		if (fn) {
			st->cb_running = 1;
			st->cb_thread = pthread_self();
		}
	}
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	if (fn) {
		fn(st, ud);
		pthread_mutex_lock(&st->mu);
		st->cb_running = 0;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->mu);
	}
	srv_stream_unref(st);
}

/* Answer a streaming call that never reached its handler (status only). */
static void srv_stream_reject(struct srv_call *c, grpc_status_code status, const char *details)
{
	grpc_op ops[3];

	grpc_slice_unref(c->status_details);
	c->status_details = grpc_slice_from_copied_string(details ? details : "");
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[1].data.send_status_from_server.status = status;
	ops[1].data.send_status_from_server.status_details = &c->status_details;
	ops[2].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	ops[2].data.recv_close_on_server.cancelled = &c->cancelled;
	if (grpc_call_start_batch(c->call, ops, 3, &c->on_finish, NULL) != GRPC_CALL_OK)
		srv_call_free(c);
}

static void srv_stream_begin(struct srv_call *c)
{
	struct srv *s = c->srv;
	struct srv_stream *st = calloc(1, sizeof(*st));
	struct srv_reply r = { GRPC_STATUS_OK, NULL, NULL, NULL, 0 };
	ProtobufCMessage *req;
	char buf[512];
	grpc_op op;

	if (!st) {
		srv_stream_reject(c, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	st->c = c;
	arena_init(&st->a, s->arena_limit);
	req = srv_decode(c, c->sm->input, &st->a, &r, buf, sizeof(buf));
	if (!req) {
		srv_stream_reject(c, r.status, r.details);
		arena_release(&st->a);
		free(st);
		return;
	}
	st->on_close.on_event = srv_stream_on_close;
	st->on_sent.on_event = srv_stream_on_sent;
	st->on_status.on_event = srv_stream_on_status;
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	st->refs = 2;
	c->st = st;

	memset(&op, 0, sizeof(op));
	op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	op.data.recv_close_on_server.cancelled = &c->cancelled;
	if (grpc_call_start_batch(c->call, &op, 1, &st->on_close, NULL) != GRPC_CALL_OK) {
		/* Without the close op the call cannot be tracked: give up on it. */
		pthread_cond_destroy(&st->cv);
		pthread_mutex_destroy(&st->mu);
		arena_release(&st->a);
		free(st);
		c->st = NULL;
		srv_call_free(c);
		return;
	}
	c->sm->handler(s->ud, &st->a, req, st);
}

int srv_stream_send(struct srv_stream *st, const ProtobufCMessage *msg)
{
	size_t n = protobuf_c_message_get_packed_size(msg);
	grpc_byte_buffer *bb;
	grpc_slice sl;
	int rc = 0;

	if (n > (size_t)st->c->srv->max_msg)
		return -EMSGSIZE;
	sl = grpc_slice_malloc(n);
	protobuf_c_message_pack(msg, GRPC_SLICE_START_PTR(sl));
	bb = grpc_raw_byte_buffer_create(&sl, 1);
	grpc_slice_unref(sl);

	pthread_mutex_lock(&st->mu);
	if (st->dead || st->closed || st->finishing) {
		rc = -ECANCELED;
	} else if (!st->inflight) {
		if (srv_stream_start_send(st, bb) == 0) {
			st->queued++;
			bb = NULL;
		} else {
			st->dead = 1;
			rc = -ECANCELED;
		}
	} else {
		struct srv_stream_msg *m = malloc(sizeof(*m));
		if (!m) {
			rc = -ENOMEM;
		} else {
			m->next = NULL;
			m->bb = bb;
			bb = NULL;
			if (st->tail)
				st->tail->next = m;
			else
				st->head = m;
			st->tail = m;
			st->queued++;
		}
	}
	pthread_mutex_unlock(&st->mu);
	if (bb)
		grpc_byte_buffer_destroy(bb);
	return rc;
}

int srv_stream_flush(struct srv_stream *st, size_t max_queued)
{
	int rc;

	pthread_mutex_lock(&st->mu);
	while (st->queued > max_queued && !st->dead && !st->closed)
		pthread_cond_wait(&st->cv, &st->mu);
	rc = st->queued > max_queued ? -ECANCELED : 0;
	pthread_mutex_unlock(&st->mu);
	return rc;
}

void srv_stream_on_cancel(struct srv_stream *st, srv_stream_cancel_fn fn, void *ud)
{
	int now;

	pthread_mutex_lock(&st->mu);
	now = st->closed && st->c->cancelled && !st->finishing;
	st->cancel_fn = now ? NULL : fn;
	st->cancel_ud = ud;
	pthread_mutex_unlock(&st->mu);
	/* The close completion has come and gone: deliver the notice here. */
	if (now && fn)
		fn(st, ud);
}

int srv_stream_cancelled(struct srv_stream *st)
{
	int v;

	pthread_mutex_lock(&st->mu);
	v = st->closed && st->c->cancelled;
	pthread_mutex_unlock(&st->mu);
	return v;
}

void srv_stream_finish(struct srv_stream *st, grpc_status_code status, const char *details)
{
	struct srv_call *c = st->c;
	int drop = 0;

	pthread_mutex_lock(&st->mu);
	if (st->finishing) {
		pthread_mutex_unlock(&st->mu);
		return;
	}
	st->finishing = 1;
	st->cancel_fn = NULL;
	/* The caller may free what the callback uses once we return. */
	while (st->cb_running && !pthread_equal(st->cb_thread, pthread_self()))
		pthread_cond_wait(&st->cv, &st->mu);
	st->status = status;
	grpc_slice_unref(c->status_details);
	c->status_details = grpc_slice_from_copied_string(details ? details : "");
	if (!st->inflight)
		drop = srv_stream_start_status(st);
	pthread_mutex_unlock(&st->mu);
	if (drop)
		srv_stream_unref(st);
}

static void *srv_poll(void *arg)
{
	struct srv *s = arg;

	for (;;) {
		grpc_event ev = grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
		if (ev.type == GRPC_QUEUE_SHUTDOWN)
			break;
		if (ev.type == GRPC_OP_COMPLETE) {
			struct srv_tag *t = ev.tag;
			t->on_event(t, ev.success);
		}
	}
	return NULL;
}

/* ---- lifecycle -------------------------------------------------------------- */

/* Shut a server down whose pollers never ran (start failed half-way). */
static void srv_abort_start(struct srv *s)
{
	if (s->server) {
		grpc_completion_queue *pcq = grpc_completion_queue_create_for_pluck(NULL);
		int tag;
		grpc_server_shutdown_and_notify(s->server, pcq, &tag);
		grpc_completion_queue_pluck(pcq, &tag, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
		grpc_server_destroy(s->server);
		grpc_completion_queue_shutdown(pcq);
		grpc_completion_queue_destroy(pcq);
	}
	if (s->cq) {
		grpc_completion_queue_shutdown(s->cq);
		while (grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL).type !=
		       GRPC_QUEUE_SHUTDOWN)
			;
		grpc_completion_queue_destroy(s->cq);
	}
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->registered);
	free(s);
}

struct srv *srv_start(const struct srv_config *cfg, int *port, const char **err)
{
	return srv_start_streams(cfg, NULL, 0, port, err);
}

struct srv *srv_start_streams(const struct srv_config *cfg, const struct srv_stream_method *streams,
			      size_t n_streams, int *port, const char **err)
{
	struct srv *s = calloc(1, sizeof(*s));
	grpc_server_credentials *creds;
	pthread_condattr_t ca;

	*err = NULL;
	if (!s) {
		*err = "out of memory";
		return NULL;
	}
	s->methods = cfg->methods;
	s->n_methods = cfg->n_methods;
	s->streams = streams;
	s->n_streams = streams ? n_streams : 0;
	s->ud = cfg->ud;
	s->max_msg = cfg->max_msg > 0 ? cfg->max_msg : SRV_DEFAULT_MAX_MSG;
	s->max_depth = cfg->max_depth > 0 ? cfg->max_depth : SRV_DEFAULT_MAX_DEPTH;
	s->arena_limit = cfg->arena_limit;
	s->n_pollers = cfg->pollers > 0 ? cfg->pollers : SRV_DEFAULT_POLLERS;
	if (s->n_pollers > SRV_MAX_POLLERS)
		s->n_pollers = SRV_MAX_POLLERS;
	atomic_init(&s->served, 0);
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	s->registered = calloc(s->n_methods + s->n_streams ? s->n_methods + s->n_streams : 1,
			       sizeof(*s->registered));
	if (!s->registered) {
		*err = "out of memory";
		goto fail;
	}

	grpc_arg args[] = {
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, .value.integer = s->max_msg },
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, .value.integer = s->max_msg },
		/* With SO_REUSEPORT a second server on a busy port binds silently (pitfall 9). */
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_ALLOW_REUSEPORT, .value.integer = 0 },
	};
	grpc_channel_args chargs = { sizeof(args) / sizeof(args[0]), args };

	s->server = grpc_server_create(&chargs, NULL);
	s->cq = grpc_completion_queue_create_for_next(NULL);
	grpc_server_register_completion_queue(s->server, s->cq, NULL);
	for (size_t i = 0; i < s->n_methods; i++) {
		s->registered[i] = grpc_server_register_method(s->server, s->methods[i].path, NULL,
							       GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER, 0);
		if (!s->registered[i]) {
			*err = "duplicate method path";
			goto fail;
		}
	}
	/* A streaming method reads its one request up front, like a unary one. */
	for (size_t i = 0; i < s->n_streams; i++) {
		s->registered[s->n_methods + i] = grpc_server_register_method(
			s->server, s->streams[i].path, NULL, GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER, 0);
		if (!s->registered[s->n_methods + i]) {
			*err = "duplicate method path";
			goto fail;
		}
	}
	creds = grpc_insecure_server_credentials_create();
	*port = grpc_server_add_http2_port(s->server, cfg->addr, creds);
	grpc_server_credentials_release(creds);
	if (*port <= 0) {
		*err = "cannot listen on the address (in use, malformed or not local)";
		goto fail;
	}
	grpc_server_start(s->server);
	for (size_t i = 0; i < s->n_methods; i++)
		srv_arm(s, &s->methods[i]);
	for (size_t i = 0; i < s->n_streams; i++)
		srv_arm_call(s, NULL, &s->streams[i]);
	srv_arm(s, NULL);
	for (int i = 0; i < s->n_pollers; i++) {
		if (pthread_create(&s->pollers[i], NULL, srv_poll, s) != 0)
			break;
		s->started_pollers++;
	}
	if (s->started_pollers == 0) {
		/* Nobody would drain the queue: stop through the normal path. */
		*err = "cannot start poller threads";
		goto fail_started;
	}
	return s;

fail_started:
	{
		/* Armed requests complete on the queue; drain them here. */
		grpc_completion_queue *pcq = grpc_completion_queue_create_for_pluck(NULL);
		int tag;
		grpc_server_shutdown_and_notify(s->server, pcq, &tag);
		grpc_server_cancel_all_calls(s->server);
		grpc_completion_queue_pluck(pcq, &tag, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
		grpc_completion_queue_shutdown(pcq);
		grpc_completion_queue_destroy(pcq);
		for (;;) {
			pthread_mutex_lock(&s->mu);
			size_t live = s->live;
			pthread_mutex_unlock(&s->mu);
			if (!live)
				break;
			grpc_event ev = grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
			if (ev.type == GRPC_OP_COMPLETE)
				((struct srv_tag *)ev.tag)->on_event(ev.tag, ev.success);
		}
		grpc_server_destroy(s->server);
		s->server = NULL;
	}
fail:
	srv_abort_start(s);
	return NULL;
}

/* Wait until no call context is left or `deadline` passes; returns 0 when none is left. */
static int srv_wait_idle(struct srv *s, const struct timespec *deadline)
{
	int rc = 0;

	pthread_mutex_lock(&s->mu);
	while (s->live > 0 && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&s->cv, &s->mu, deadline);
	rc = s->live > 0 ? -1 : 0;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static struct timespec srv_after(const struct timespec *t0, int ms)
{
	struct timespec t = *t0;
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

int srv_stop(struct srv *s, int grace_ms, int hard_ms)
{
	struct timespec t0, hard_at;
	gpr_timespec g0, g_grace, g_hard;
	grpc_event ev;

	if (s->stopped)
		return 0;
	if (hard_ms < grace_ms)
		hard_ms = grace_ms;
	/* gpr's monotonic clock has its own epoch: keep one deadline per time base. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	hard_at = srv_after(&t0, hard_ms);
	g0 = gpr_now(GPR_CLOCK_MONOTONIC);
	g_grace = gpr_time_add(g0, gpr_time_from_millis(grace_ms, GPR_TIMESPAN));
	g_hard = gpr_time_add(g0, gpr_time_from_millis(hard_ms, GPR_TIMESPAN));

	/*
	 * Each stage is remembered, so a stop that gave up at hard_ms can be
	 * resumed by calling srv_stop again.
	 */
	if (!s->pcq) {
		/* A private pluck queue for the shutdown tag, as gRPC's own tests do. */
		s->pcq = grpc_completion_queue_create_for_pluck(NULL);
		grpc_server_shutdown_and_notify(s->server, s->pcq, &s->pcq);
	}
	if (!s->shutdown_seen) {
		ev = grpc_completion_queue_pluck(s->pcq, &s->pcq, g_grace, NULL);
		if (ev.type == GRPC_QUEUE_TIMEOUT) {
			/* Only meaningful before the tag fired: afterwards nothing is left to cancel. */
			grpc_server_cancel_all_calls(s->server);
			ev = grpc_completion_queue_pluck(s->pcq, &s->pcq, g_hard, NULL);
			if (ev.type == GRPC_QUEUE_TIMEOUT)
				return -1;
		}
		s->shutdown_seen = 1;
		grpc_completion_queue_shutdown(s->pcq);
		grpc_completion_queue_destroy(s->pcq);
	}

	/*
	 * The tag means the calls are over on the wire, not that handlers have
	 * let go of them: a handler still running would start its batch on a
	 * shut-down queue and abort the process (c-grpc-notes 0.4). Wait for
	 * every context to be freed first.
	 */
	if (srv_wait_idle(s, &hard_at) < 0)
		return -1;
	grpc_server_destroy(s->server);
	s->server = NULL;
	grpc_completion_queue_shutdown(s->cq);
	for (int i = 0; i < s->started_pollers; i++)
		pthread_join(s->pollers[i], NULL);
	grpc_completion_queue_destroy(s->cq);
	s->cq = NULL;
	s->stopped = 1;
	return 0;
}

void srv_free(struct srv *s)
{
	if (!s)
		return;
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->registered);
	free(s);
}

size_t srv_calls_served(const struct srv *s)
{
	return atomic_load(&((struct srv *)(uintptr_t)s)->served);
}
