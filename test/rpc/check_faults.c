/*
 * check_faults.c - bad input and bad days: every fault has a defined
 * behaviour, and the server keeps serving (or exits as documented) after it.
 * Runs with CK_FORK=no, against the real binary started like the engine
 * starts it, plus the in-process call path where a fault must be injected
 * (memory limits).
 *
 *   disconnect  the client goes away mid-call (call cancelled and channel
 *               destroyed; client process killed): other clients are served,
 *               nothing leaks, the next call is answered the same
 *   signals     SIGINT/SIGTERM during a 10,000-resource AnalyzeStack, and a
 *               second signal during the stop: exit 0 on our own
 *   stdio       stdout closed or unread before the port line (exit 4 with a
 *               message), after it (keep serving); stderr closed or unread
 *               (keep serving, never die of SIGPIPE); SIGPIPE ignored
 *   bind        address taken or invalid: message on stderr, exit 4, no stdout
 *   memory      the default per-call arena limit holds a 10,000-resource
 *               stack easily; lowered, it turns oversized requests into
 *               RESOURCE_EXHAUSTED and the next call is served; every
 *               allocation-failure point of the handlers is survivable
 *   limits      message size, nesting (wire, Struct, lists, JSON text),
 *               50 MB strings, 1M-element lists, pathological globs
 *
 * Timing is printed, never asserted: only the engine's own deadline (exit
 * within 5 s of SIGINT) is, because missing it means SIGKILL.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/support/time.h>

#include "analyzer.h"
#include "arena.h"
#include "google/protobuf/empty.pb-c.h"
#include "pbdepth.h"
#include "pctest.h"
#include "pulumi/plugin.pb-c.h"
#include "rpc_client.h"
#include "server.h"

#define T_MS 120000   /* per-call deadline (scaled under valgrind): generous, never the point */

extern char **environ;

/* A dedicated analyzer process per test; the teardown kills it if the test failed. */
static struct rpc_proc proc;
static int proc_live;

static void proc_teardown(void)
{
	if (proc_live) {
		rpc_proc_free(&proc);
		proc_live = 0;
	}
}

static int valgrind_run(void)
{
	return rpc_time_scale() > 1;
}

#if defined(__SANITIZE_ADDRESS__)
#define FT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FT_ASAN 1
#endif
#endif
#ifndef FT_ASAN
#define FT_ASAN 0
#endif

/*
 * Size of a heavy input: `n` in a plain build (the sizes the README
 * quotes), n/5 under ASan (memory safety is the point there, and the suite
 * must stay within ctest's 300 s), `vg` under valgrind.
 */
static size_t heavy(size_t n, size_t vg)
{
	return valgrind_run() ? vg : FT_ASAN ? n / 5 : n;
}

static void sleep_ms(double ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (double)(time_t)(ms / 1000) * 1000) * 1e6) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- processes ------------------------------------------------------------------------ */

static void start(const struct rpc_spawn_opts *o)
{
	ck_assert_int_eq(rpc_spawn(&proc, o), 0);
	proc_live = 1;
}

/*
 * Stop with `sig`; assert the engine's contract (exit 0 on our own within
 * 5 s, when it would SIGKILL); return how long it took (printed by callers).
 */
static double stop_with(int sig)
{
	double t0 = rpc_now_ms();
	ck_assert_int_eq(rpc_signal(&proc, sig), 0);
	ck_assert_msg(rpc_wait(&proc, 5000 * rpc_time_scale()) == 0,
		      "still running 5 s after signal %d: the engine would SIGKILL it", sig);
	double took = rpc_now_ms() - t0;
	ck_assert_msg(proc.exit_code == 0, "exit code %d after signal %d", proc.exit_code, sig);
	return took;
}

static void finish_proc(int sig, int want_quiet)
{
	double took = stop_with(sig);
	if (took > 1000)
		fprintf(stderr, "check_faults: exit 0 %.0f ms after signal %d\n", took, sig);
	char *out = rpc_stdout_rest(&proc);
	ck_assert_msg(*out == '\0', "stdout after the port line: %s", out);
	free(out);
	if (want_quiet && !proc.valgrind) {
		char *err = rpc_stderr(&proc);
		ck_assert_msg(*err == '\0', "the server wrote to stderr without -v: %s", err);
		free(err);
	}
	rpc_proc_free(&proc);
	proc_live = 0;
}

/* ---- calls ----------------------------------------------------------------------------- */

static void call_ok(struct rpc_conn *c, const char *method, const void *req, size_t len, struct rpc_result *r)
{
	ck_assert_int_eq(rpc_call_raw(c, method, req, len, T_MS, r), 0);
	ck_assert_msg(r->status == GRPC_STATUS_OK, "%s: status %d: %s", method, r->status, r->details);
}

static void call_msg_ok(struct rpc_conn *c, const char *method, const ProtobufCMessage *m)
{
	struct rpc_result r;
	ck_assert_int_eq(rpc_call(c, method, m, T_MS, &r), 0);
	ck_assert_msg(r.status == GRPC_STATUS_OK, "%s: status %d: %s", method, r.status, r.details);
	rpc_result_free(&r);
}

/* Call and expect `status`; returns the details (malloc'd). */
static char *call_expect(struct rpc_conn *c, const char *method, const void *req, size_t len,
			 grpc_status_code status)
{
	struct rpc_result r;
	ck_assert_int_eq(rpc_call_raw(c, method, req, len, T_MS, &r), 0);
	ck_assert_msg(r.status == status, "%s: status %d (%s), wanted %d", method, r.status, r.details, status);
	char *d = strdup(r.details);
	rpc_result_free(&r);
	return d;
}

/* The server still answers: GetPluginInfo and a small Analyze. */
static void still_serving(struct rpc_conn *c)
{
	struct rpc_result r;
	ck_assert_int_eq(rpc_call_raw(c, RPC_M("GetPluginInfo"), "", 0, T_MS, &r), 0);
	ck_assert_msg(r.status == GRPC_STATUS_OK, "GetPluginInfo after the fault: status %d (%s)", r.status,
		      r.details);
	rpc_result_free(&r);
	Pulumirpc__AnalyzeRequest q = PULUMIRPC__ANALYZE_REQUEST__INIT;
	q.type = "aws:s3/bucketV2:BucketV2";
	q.urn = "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::after";
	q.name = "after";
	call_msg_ok(c, RPC_M("Analyze"), &q.base);
}

/* ---- requests -------------------------------------------------------------------------- */

/* Every fixture's resources (the soak tool's mix), loaded on first use. */
static const struct pct_fixture_set *FX;

static void fx_load(void)
{
	FX = pct_fixture_resources();
}

/*
 * A packed AnalyzeStackRequest of `n` resources: the fixtures' resources
 * repeated with distinct URNs (only those of .fail fixtures if `fail_only`).
 */
static uint8_t *stack_bytes(struct arena *a, size_t n, int fail_only, size_t *len)
{
	Pulumirpc__AnalyzeStackRequest q = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	size_t k = 0, round = 0;

	fx_load();
	q.resources = arena_alloc(a, (n ? n : 1) * sizeof(*q.resources));
	for (size_t i = 0; i < n; k++) {
		if (k == FX->n) {
			k = 0;
			round++;
		}
		if (fail_only && !FX->fail[k])
			continue;
		struct pol_resource r = FX->out[k];
		if (round)
			r.urn = arena_printf(a, "%s-%zu", r.urn, round);
		q.resources[i++] = rpc_stack_resource(a, &r);
	}
	q.n_resources = n;
	*len = protobuf_c_message_get_packed_size(&q.base);
	uint8_t *b = arena_alloc(a, *len ? *len : 1);
	protobuf_c_message_pack(&q.base, b);
	return b;
}

/* The 10,000-resource AnalyzeStack the issue talks about (1,000 under valgrind), built once. */
static struct arena BA;
static uint8_t *big_req;
static size_t big_len, big_n;

static void big_stack(void)
{
	if (big_req)
		return;
	arena_init(&BA, 0);
	big_n = valgrind_run() ? 1000 : 10000;
	big_req = stack_bytes(&BA, big_n, 0, &big_len);
}

/* protobuf Struct/Value builders (arena-allocated, for requests too big for JSON text). */
static Google__Protobuf__Value *v_str(struct arena *a, const char *s)
{
	Google__Protobuf__Value *v = arena_alloc(a, sizeof(*v));
	google__protobuf__value__init(v);
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
	v->string_value = (char *)s;
	return v;
}

static Google__Protobuf__Value *v_num(struct arena *a, double d)
{
	Google__Protobuf__Value *v = arena_alloc(a, sizeof(*v));
	google__protobuf__value__init(v);
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE;
	v->number_value = d;
	return v;
}

static Google__Protobuf__Value *v_list(struct arena *a, size_t n)
{
	Google__Protobuf__Value *v = arena_alloc(a, sizeof(*v));
	google__protobuf__value__init(v);
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE;
	v->list_value = arena_alloc(a, sizeof(*v->list_value));
	google__protobuf__list_value__init(v->list_value);
	v->list_value->values = arena_alloc(a, (n ? n : 1) * sizeof(*v->list_value->values));
	ck_assert_ptr_nonnull(v->list_value->values);
	return v;
}

static void l_add(Google__Protobuf__Value *l, Google__Protobuf__Value *e)
{
	l->list_value->values[l->list_value->n_values++] = e;
}

static Google__Protobuf__Struct *s_new(struct arena *a, size_t cap)
{
	Google__Protobuf__Struct *s = arena_alloc(a, sizeof(*s));
	google__protobuf__struct__init(s);
	s->fields = arena_alloc(a, (cap ? cap : 1) * sizeof(*s->fields));
	ck_assert_ptr_nonnull(s->fields);
	return s;
}

static void s_put(struct arena *a, Google__Protobuf__Struct *s, const char *k, Google__Protobuf__Value *v)
{
	Google__Protobuf__Struct__FieldsEntry *e = arena_alloc(a, sizeof(*e));
	google__protobuf__struct__fields_entry__init(e);
	e->key = (char *)k;
	e->value = v;
	s->fields[s->n_fields++] = e;
}

static Google__Protobuf__Value *v_obj(struct arena *a, Google__Protobuf__Struct *s)
{
	Google__Protobuf__Value *v = arena_alloc(a, sizeof(*v));
	google__protobuf__value__init(v);
	v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE;
	v->struct_value = s;
	return v;
}

/* A string of `n` copies of `c` (arena). */
static char *fill(struct arena *a, size_t n, char c)
{
	char *s = arena_alloc(a, n + 1);
	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* An explicit, clean provider like the engine sends it. */
static Pulumirpc__AnalyzerProviderResource *provider(struct arena *a)
{
	Pulumirpc__AnalyzerProviderResource *p = arena_alloc(a, sizeof(*p));
	pulumirpc__analyzer_provider_resource__init(p);
	p->type = "pulumi:providers:aws";
	p->name = "aws-west";
	p->urn = "urn:pulumi:dev::proj::pulumi:providers:aws::aws-west";
	p->properties = s_new(a, 2);
	s_put(a, p->properties, "region", v_str(a, "us-west-2"));
	s_put(a, p->properties, "defaultTags", v_str(a, "{\"tags\":{\"team\":\"core\"}}"));
	return p;
}

static uint8_t *pack_msg(struct arena *a, const ProtobufCMessage *m, size_t *len)
{
	*len = protobuf_c_message_get_packed_size(m);
	uint8_t *b = arena_alloc(a, *len ? *len : 1);
	ck_assert_ptr_nonnull(b);
	protobuf_c_message_pack(m, b);
	return b;
}

/* An Analyze request for `type` with `props`, packed. */
static uint8_t *analyze_bytes(struct arena *a, const char *type, const char *name, Google__Protobuf__Struct *props,
			      size_t *len)
{
	Pulumirpc__AnalyzeRequest q = PULUMIRPC__ANALYZE_REQUEST__INIT;
	q.type = (char *)type;
	q.name = (char *)name;
	q.urn = arena_printf(a, "urn:pulumi:dev::proj::%s::%s", type, name);
	q.properties = props;
	q.provider = provider(a);
	return pack_msg(a, &q.base, len);
}

/* ---- the in-process call path (what src/server.c does around a handler) ------------------- */

static struct an_state ip_st;
static int ip_ready;

struct ip_out {
	grpc_status_code status;
	size_t decode_used;        /* arena bytes after decoding */
	size_t used;               /* arena bytes at the end */
	uint8_t *reply;            /* malloc'd packed reply (OK only) */
	size_t reply_len;
	char details[256];
};

static void ip_call(const char *name, const uint8_t *d, size_t len, size_t limit, struct ip_out *o)
{
	const struct srv_method *m = NULL, *all;
	size_t n;
	char path[96];

	if (!ip_ready) {
		ck_assert_int_eq(an_init(&ip_st, pct_pack(), 0), 0);
		ip_ready = 1;
	}
	memset(o, 0, sizeof(*o));
	all = an_methods(&ip_st, &n);
	snprintf(path, sizeof(path), "/pulumirpc.Analyzer/%s", name);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i].path, path))
			m = &all[i];
	ck_assert_ptr_nonnull(m);
	if (pbdepth_check(m->input, d, len, SRV_DEFAULT_MAX_DEPTH) == PBDEPTH_TOO_DEEP) {
		o->status = GRPC_STATUS_INVALID_ARGUMENT;
		snprintf(o->details, sizeof(o->details), "too deep");
		return;
	}
	struct arena a;
	unsigned char storage[ARENA_PB_ALLOCATOR_SIZE];
	arena_init(&a, limit);
	ProtobufCMessage *req = protobuf_c_message_unpack(m->input, arena_protobuf_allocator(&a, storage), len, d);
	o->decode_used = a.used;
	if (!req) {
		o->status = a.failed ? GRPC_STATUS_RESOURCE_EXHAUSTED : GRPC_STATUS_INVALID_ARGUMENT;
	} else {
		struct srv_reply r = { GRPC_STATUS_OK, NULL, NULL, NULL, 0 };
		m->handler(&ip_st, &a, req, &r);
		o->status = r.status;
		if (r.details)
			snprintf(o->details, sizeof(o->details), "%s", r.details);
		if (r.status == GRPC_STATUS_OK) {
			ck_assert_ptr_nonnull(r.msg);
			o->reply_len = protobuf_c_message_get_packed_size(r.msg);
			o->reply = malloc(o->reply_len ? o->reply_len : 1);
			protobuf_c_message_pack(r.msg, o->reply);
		}
	}
	o->used = a.used;
	arena_release(&a);
}

/* ---- 1a. the client goes away mid-call ------------------------------------------------------- */

/* A call started with the raw C core API, so the test can abandon it half-way. */
struct raw_call {
	grpc_completion_queue *cq;
	grpc_call *call;
	grpc_byte_buffer *send, *recv;
	grpc_metadata_array md_init, md_trail;
	grpc_status_code status;
	grpc_slice details;
};

static void raw_start(struct raw_call *rc, grpc_channel *ch, const char *method, const uint8_t *d, size_t len)
{
	grpc_op ops[6];
	grpc_slice body = grpc_slice_from_copied_buffer((const char *)d, len);
	gpr_timespec dl = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(T_MS, GPR_TIMESPAN));

	memset(rc, 0, sizeof(*rc));
	rc->cq = grpc_completion_queue_create_for_next(NULL);
	grpc_metadata_array_init(&rc->md_init);
	grpc_metadata_array_init(&rc->md_trail);
	rc->details = grpc_empty_slice();
	rc->send = grpc_raw_byte_buffer_create(&body, 1);
	grpc_slice_unref(body);
	rc->call = grpc_channel_create_call(ch, NULL, GRPC_PROPAGATE_DEFAULTS, rc->cq,
					    grpc_slice_from_static_string(method), NULL, dl, NULL);
	ck_assert_ptr_nonnull(rc->call);
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = rc->send;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &rc->md_init;
	ops[4].op = GRPC_OP_RECV_MESSAGE;
	ops[4].data.recv_message.recv_message = &rc->recv;
	ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[5].data.recv_status_on_client.trailing_metadata = &rc->md_trail;
	ops[5].data.recv_status_on_client.status = &rc->status;
	ops[5].data.recv_status_on_client.status_details = &rc->details;
	ck_assert_int_eq(grpc_call_start_batch(rc->call, ops, 6, rc, NULL), GRPC_CALL_OK);
}

/* Wait for the call's completion and free everything; returns its status. */
static grpc_status_code raw_finish(struct raw_call *rc)
{
	grpc_event ev = grpc_completion_queue_next(rc->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
	ck_assert_int_eq(ev.type, GRPC_OP_COMPLETE);
	grpc_call_unref(rc->call);
	grpc_completion_queue_shutdown(rc->cq);
	while (grpc_completion_queue_next(rc->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL).type !=
	       GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(rc->cq);
	grpc_byte_buffer_destroy(rc->send);
	if (rc->recv)
		grpc_byte_buffer_destroy(rc->recv);
	grpc_metadata_array_destroy(&rc->md_init);
	grpc_metadata_array_destroy(&rc->md_trail);
	grpc_slice_unref(rc->details);
	return rc->status;
}

static char self_exe[PATH_MAX];
static char big_file[64];

/*
 * A client in its own process (this binary, re-executed with --call-helper):
 * it writes one byte to stdout once it is about to call, then calls and
 * waits. The test SIGKILLs it (mid-call, or for the last delay points maybe
 * just after), so the connection drops the way it does when the engine dies.
 */
static int helper_main(int port, const char *file)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		return 2;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		return 2;
	fclose(f);
	grpc_init();
	struct rpc_conn c;
	struct rpc_result r;
	if (rpc_connect(&c, port) < 0)
		return 2;
	if (write(STDOUT_FILENO, "R", 1) != 1)
		return 2;
	rpc_call_raw(&c, RPC_M("AnalyzeStack"), buf, (size_t)n, 600000, &r);
	/* Answered before the kill came (a late delay point): wait for it, connection open. */
	for (;;)
		pause();
}

static pid_t helper_start(int port, int *ready_fd)
{
	char portbuf[16];
	int fds[2];
	pid_t parent = getpid();

	snprintf(portbuf, sizeof(portbuf), "%d", port);
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(125);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(self_exe, self_exe, "--call-helper", portbuf, big_file, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	*ready_fd = fds[0];
	return pid;
}

struct side_client {
	struct rpc_conn *c;
	atomic_int stop;
	atomic_int ok, bad;
	double worst_ms;
};

/* Another client calling all along: it must be served while abandoned calls run. */
static void *side_run(void *arg)
{
	struct side_client *s = arg;
	while (!atomic_load(&s->stop)) {
		struct rpc_result r;
		double t0 = rpc_now_ms();
		if (rpc_call_raw(s->c, RPC_M("GetPluginInfo"), "", 0, T_MS, &r) == 0 && r.status == GRPC_STATUS_OK)
			atomic_fetch_add(&s->ok, 1);
		else
			atomic_fetch_add(&s->bad, 1);
		double took = rpc_now_ms() - t0;
		if (took > s->worst_ms)
			s->worst_ms = took;
		rpc_result_free(&r);
		sleep_ms(20);
	}
	return NULL;
}

START_TEST(client_disconnects_mid_call)
{
	struct rpc_spawn_opts o = { 0 };
	struct rpc_conn c, side;
	struct rpc_result ref;
	struct side_client sc;
	pthread_t th;

	big_stack();
	/* The helper client reads the request from a file. */
	snprintf(big_file, sizeof(big_file), "/tmp/pc-faults-req.XXXXXX");
	int fd = mkstemp(big_file);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, big_req, big_len), (ssize_t)big_len);
	close(fd);
	start(&o);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);
	ck_assert_int_eq(rpc_connect(&side, proc.port), 0);

	/* The reference answer, and how long a whole call takes. */
	double t0 = rpc_now_ms();
	call_ok(&c, RPC_M("AnalyzeStack"), big_req, big_len, &ref);
	double full = rpc_now_ms() - t0;
	fprintf(stderr, "check_faults: AnalyzeStack of %zu resources (%zu bytes): %.0f ms\n", big_n, big_len, full);

	memset(&sc, 0, sizeof(sc));
	sc.c = &side;
	ck_assert_int_eq(pthread_create(&th, NULL, side_run, &sc), 0);

	/* Abandon the call at several points: while sending, decoding, judging, replying. */
	const double at[] = { 0, 0.1, 0.3, 0.6, 0.9 };
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		/* a) The client cancels and destroys its channel (RST_STREAM, then the connection goes). */
		struct rpc_conn gone;
		struct raw_call rc;
		ck_assert_int_eq(rpc_connect(&gone, proc.port), 0);
		raw_start(&rc, gone.ch, RPC_M("AnalyzeStack"), big_req, big_len);
		sleep_ms(at[i] * full);
		rpc_close(&gone);
		grpc_call_cancel(rc.call, NULL);
		grpc_status_code st = raw_finish(&rc);
		ck_assert_msg(st == GRPC_STATUS_CANCELLED || st == GRPC_STATUS_OK || st == GRPC_STATUS_UNAVAILABLE,
			      "abandoned call: status %d", st);

		/* b) The client process dies: the TCP connection drops without a word. */
		int ready;
		pid_t pid = helper_start(proc.port, &ready);
		char byte;
		struct pollfd pfd = { ready, POLLIN, 0 };
		ck_assert_msg(poll(&pfd, 1, 30000 * rpc_time_scale()) == 1 && read(ready, &byte, 1) == 1,
			      "the helper client never got ready");
		close(ready);
		sleep_ms(50 + at[i] * full);
		kill(pid, SIGKILL);
		int wst;
		ck_assert_int_eq(waitpid(pid, &wst, 0), pid);
		ck_assert_msg(WIFSIGNALED(wst), "the helper client ended before it was killed (status 0x%x)", wst);
	}
	/* Let the abandoned handlers run out while the side client keeps calling. */
	sleep_ms(full * 2);
	atomic_store(&sc.stop, 1);
	pthread_join(th, NULL);
	fprintf(stderr, "check_faults: side client during 10 abandoned calls: %d answered, %d failed, slowest %.0f ms\n",
		atomic_load(&sc.ok), atomic_load(&sc.bad), sc.worst_ms);
	ck_assert_int_eq(atomic_load(&sc.bad), 0);
	ck_assert_int_gt(atomic_load(&sc.ok), 0);

	/* Same request, same answer: nothing was left half-done in shared state. */
	struct rpc_result again;
	call_ok(&c, RPC_M("AnalyzeStack"), big_req, big_len, &again);
	ck_assert_uint_eq(again.len, ref.len);
	ck_assert_msg(memcmp(again.data, ref.data, ref.len) == 0, "the answer changed after abandoned calls");
	rpc_result_free(&again);
	rpc_result_free(&ref);
	still_serving(&c);
	rpc_close(&side);
	rpc_close(&c);
	/* Exit 0 also means no leak under ASan (LeakSanitizer runs at exit) or valgrind. */
	finish_proc(SIGTERM, 1);
}
END_TEST

/* ---- 1b. signals during a large AnalyzeStack ----------------------------------------------- */

struct bg_call {
	const uint8_t *req;
	size_t len;
	int port;
	grpc_status_code status;
	char details[128];
	double ms;
};

static void *bg_run(void *arg)
{
	struct bg_call *b = arg;
	struct rpc_conn c;
	struct rpc_result r;
	double t0 = rpc_now_ms();

	rpc_connect(&c, b->port);
	if (rpc_call_raw(&c, RPC_M("AnalyzeStack"), b->req, b->len, T_MS, &r) == 0) {
		b->status = r.status;
		snprintf(b->details, sizeof(b->details), "%s", r.details);
	} else {
		b->status = GRPC_STATUS_UNKNOWN;
	}
	b->ms = rpc_now_ms() - t0;
	rpc_result_free(&r);
	rpc_close(&c);
	return NULL;
}

static void signal_during_big_stack(int sig, int second)
{
	struct rpc_spawn_opts o = { 0 };
	struct rpc_conn c;
	struct rpc_result r;
	struct bg_call b[2];
	pthread_t th[2];

	big_stack();
	start(&o);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);
	double t0 = rpc_now_ms();
	call_ok(&c, RPC_M("AnalyzeStack"), big_req, big_len, &r);
	double full = rpc_now_ms() - t0;
	rpc_result_free(&r);
	rpc_close(&c);

	/* Two calls in flight (both pollers busy), the signal lands half-way. */
	for (int i = 0; i < 2; i++) {
		memset(&b[i], 0, sizeof(b[i]));
		b[i].req = big_req;
		b[i].len = big_len;
		b[i].port = proc.port;
		ck_assert_int_eq(pthread_create(&th[i], NULL, bg_run, &b[i]), 0);
	}
	sleep_ms(full / 2);
	double took;
	if (second) {
		/* The stop takes up to 800 ms: a second and third signal land during it. */
		t0 = rpc_now_ms();
		ck_assert_int_eq(rpc_signal(&proc, sig), 0);
		sleep_ms(5);
		rpc_signal(&proc, sig == SIGINT ? SIGTERM : SIGINT);
		sleep_ms(30);
		rpc_signal(&proc, sig);
		ck_assert_msg(rpc_wait(&proc, 5000 * rpc_time_scale()) == 0, "still running 5 s after the signals");
		took = rpc_now_ms() - t0;
		ck_assert_msg(proc.exit_code == 0, "exit code %d after repeated signals", proc.exit_code);
	} else {
		took = stop_with(sig);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "check_faults: %s%s during 2 x AnalyzeStack of %zu resources (a whole call: %.0f ms): "
		"exit 0 after %.0f ms; the calls ended with status %d, %d\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM", second ? " (and two more signals)" : "", big_n, full, took,
		b[0].status, b[1].status);
	for (int i = 0; i < 2; i++)
		ck_assert_msg(b[i].status == GRPC_STATUS_OK || b[i].status == GRPC_STATUS_CANCELLED ||
				      b[i].status == GRPC_STATUS_UNAVAILABLE,
			      "call %d: status %d (%s)", i, b[i].status, b[i].details);
	char *out = rpc_stdout_rest(&proc);
	ck_assert_str_eq(out, "");
	free(out);
	rpc_proc_free(&proc);
	proc_live = 0;
}

START_TEST(sigint_during_big_stack)
{
	signal_during_big_stack(SIGINT, 0);
}
END_TEST

START_TEST(sigterm_during_big_stack)
{
	signal_during_big_stack(SIGTERM, 0);
}
END_TEST

START_TEST(repeated_signals_during_stop)
{
	signal_during_big_stack(SIGINT, 1);
}
END_TEST

/* ---- 1c/1d. stdout and stderr ----------------------------------------------------------------- */

enum io_mode {
	IO_PIPE,           /* a pipe we read (stdout) or a capture file (stderr) */
	IO_NO_READER,      /* a pipe whose read end was closed before the start */
	IO_CLOSED,         /* the fd is not open at all */
};

/*
 * Start the analyzer with stdout and stderr as `out` and `err` say (valgrind
 * wrapping as rpc_spawn does it). Returns 0 with the port read (IO_PIPE
 * stdout), or -1 when the process ended without one (then it was reaped).
 */
static int spawn_io(enum io_mode out, enum io_mode err, const char *const *flags)
{
	const char *argv[32];
	char vg_log[256], vg_supp[512];
	size_t n = 0;
	int opipe[2] = { -1, -1 }, epipe[2] = { -1, -1 }, errfd = -1;
	pid_t parent = getpid();

	memset(&proc, 0, sizeof(proc));
	proc.pid = -1;
	proc.out_fd = -1;
	/*
	 * Not under valgrind when an fd starts closed: valgrind's own log file
	 * would take the free number and the case would not be the one tested.
	 */
	proc.valgrind = valgrind_run() && out != IO_CLOSED && err != IO_CLOSED;
	if (proc.valgrind) {
		snprintf(vg_log, sizeof(vg_log), "--log-file=%s",
			 getenv("PC_RPC_VALGRIND_LOG") ? getenv("PC_RPC_VALGRIND_LOG") : "/tmp/pc-vg-server.%p.log");
		snprintf(vg_supp, sizeof(vg_supp), "--suppressions=%s/scripts/valgrind.supp", PC_SOURCE_DIR);
		const char *vg[] = { "valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite",
				     "--error-exitcode=99", vg_supp, vg_log, NULL };
		for (const char *const *v = vg; *v; v++)
			argv[n++] = *v;
	}
	argv[n++] = PC_ANALYZER_BIN;
	for (const char *const *f = flags; f && *f; f++)
		argv[n++] = *f;
	argv[n++] = "127.0.0.1:1";
	argv[n] = NULL;

	if (out != IO_CLOSED)
		ck_assert_int_eq(pipe(opipe), 0);
	if (out == IO_NO_READER) {
		close(opipe[0]);
		opipe[0] = -1;
	}
	if (err == IO_PIPE) {
		snprintf(proc.err_path, sizeof(proc.err_path), "/tmp/pc-faults-err.XXXXXX");
		errfd = mkstemp(proc.err_path);
		ck_assert_int_ge(errfd, 0);
	} else if (err == IO_NO_READER) {
		ck_assert_int_eq(pipe(epipe), 0);
		close(epipe[0]);
		epipe[0] = -1;
	}
	proc.pid = fork();
	ck_assert_int_ge(proc.pid, 0);
	if (proc.pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(125);
		if (out == IO_CLOSED)
			close(STDOUT_FILENO);
		else
			dup2(opipe[1], STDOUT_FILENO);
		if (err == IO_CLOSED)
			close(STDERR_FILENO);
		else
			dup2(err == IO_PIPE ? errfd : epipe[1], STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);   /* as a Go parent leaves it: the analyzer must ignore it itself */
		execve(proc.valgrind ? "/usr/bin/valgrind" : PC_ANALYZER_BIN, (char *const *)argv, environ);
		_exit(127);
	}
	proc_live = 1;
	if (opipe[1] >= 0)
		close(opipe[1]);
	if (epipe[1] >= 0)
		close(epipe[1]);
	if (errfd >= 0)
		close(errfd);
	proc.out_fd = opipe[0];
	if (out != IO_PIPE) {
		ck_assert_msg(rpc_wait(&proc, 30000 * rpc_time_scale()) == 0, "no exit without a usable stdout");
		return -1;
	}
	/* The port line. */
	char line[32];
	size_t k = 0;
	double until = rpc_now_ms() + 30000.0 * rpc_time_scale();
	while (k + 1 < sizeof(line)) {
		struct pollfd pfd = { proc.out_fd, POLLIN, 0 };
		int left = (int)(until - rpc_now_ms());
		ck_assert_msg(left > 0 && poll(&pfd, 1, left) == 1, "no port line");
		char ch;
		ssize_t got = read(proc.out_fd, &ch, 1);
		if (got <= 0) {
			rpc_wait(&proc, 5000 * rpc_time_scale());
			return -1;
		}
		if (ch == '\n')
			break;
		line[k++] = ch;
	}
	line[k] = '\0';
	proc.port = atoi(line);
	ck_assert_int_gt(proc.port, 0);
	return 0;
}

static void expect_exit4(const char *what, const char *needle)
{
	ck_assert(proc.exited);
	ck_assert_msg(proc.exit_code == 4, "%s: exit %d (not 4; %d would be death by SIGPIPE)", what, proc.exit_code,
		      128 + SIGPIPE);
	if (needle && proc.err_path[0]) {
		char *e = rpc_stderr(&proc);
		ck_assert_msg(strstr(e, needle), "%s: stderr: %s", what, e);
		free(e);
	}
	rpc_proc_free(&proc);
	proc_live = 0;
}

START_TEST(stdout_unread_before_port)
{
	/* The engine went away before we printed the port: EPIPE, not SIGPIPE. */
	ck_assert_int_eq(spawn_io(IO_NO_READER, IO_PIPE, NULL), -1);
	expect_exit4("stdout without a reader", "cannot write the port to stdout: Broken pipe");
}
END_TEST

START_TEST(stdout_closed_before_port)
{
	ck_assert_int_eq(spawn_io(IO_CLOSED, IO_PIPE, NULL), -1);
	expect_exit4("stdout closed", "stdout is closed");
}
END_TEST

/*
 * The engine read the port and closed its end of stdout (and, with
 * IO_NO_READER for stderr, stopped reading that too, as when it is killed):
 * -v logging must not touch stdout, and the server keeps serving until
 * signalled.
 */
static void serve_after_stdout_closed(enum io_mode err, int sig)
{
	const char *v[] = { "-v=9", NULL };
	struct rpc_conn c;

	ck_assert_int_eq(spawn_io(IO_PIPE, err, v), 0);
	close(proc.out_fd);
	proc.out_fd = -1;
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);
	still_serving(&c);
	free(call_expect(&c, RPC_M("Analyze"), "\x0a\xff", 2, GRPC_STATUS_INVALID_ARGUMENT));
	still_serving(&c);
	rpc_close(&c);
	stop_with(sig);
	rpc_proc_free(&proc);
	proc_live = 0;
}

START_TEST(stdout_closed_after_port)
{
	serve_after_stdout_closed(IO_PIPE, SIGTERM);
}
END_TEST

static void stderr_gone(enum io_mode err)
{
	/* -v=9: every call and gRPC's own info lines are written to the dead stderr. */
	const char *v[] = { "--logtostderr", "-v=9", NULL };
	struct rpc_conn c;

	ck_assert_int_eq(spawn_io(IO_PIPE, err, v), 0);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);
	for (int i = 0; i < 20; i++) {
		still_serving(&c);
		free(call_expect(&c, RPC_M("Analyze"), "\x0a\xff", 2, GRPC_STATUS_INVALID_ARGUMENT));
		free(call_expect(&c, RPC_M("NoSuchMethod"), "", 0, GRPC_STATUS_UNIMPLEMENTED));
	}
	rpc_close(&c);
	finish_proc(SIGINT, 0);
}

START_TEST(stderr_unread)
{
	stderr_gone(IO_NO_READER);
}
END_TEST

START_TEST(stderr_closed)
{
	/* fd 2 closed: without the /dev/null stand-in a socket would get fd 2 and the log lines. */
	stderr_gone(IO_CLOSED);
}
END_TEST

START_TEST(engine_gone_entirely)
{
	/* Both pipes closed after the port line, as when the engine is killed. */
	serve_after_stdout_closed(IO_NO_READER, SIGINT);
}
END_TEST

START_TEST(sigpipe_ignored)
{
	/* The process starts with SIGPIPE at its default (spawn_io resets it) and must ignore it itself. */
	ck_assert_int_eq(spawn_io(IO_PIPE, IO_PIPE, NULL), 0);
	if (!proc.valgrind) {   /* valgrind keeps the client's dispositions to itself */
		char path[64], line[256];
		unsigned long long ign = 0;
		snprintf(path, sizeof(path), "/proc/%d/status", (int)proc.pid);
		FILE *f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "SigIgn:", 7))
				ign = strtoull(line + 7, NULL, 16);
		fclose(f);
		ck_assert_msg(ign & (1ull << (SIGPIPE - 1)), "SIGPIPE is not ignored (SigIgn %llx)", ign);
	}
	/* A SIGPIPE sent by hand is harmless too. */
	ck_assert_int_eq(rpc_signal(&proc, SIGPIPE), 0);
	struct rpc_conn c;
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);
	still_serving(&c);
	rpc_close(&c);
	finish_proc(SIGTERM, 1);
}
END_TEST

/* ---- 1e. the port cannot be bound ------------------------------------------------------------- */

static void bind_fails(const char *addr)
{
	char env0[128];
	snprintf(env0, sizeof(env0), "PC_LISTEN=%s", addr);
	const char *env[] = { env0, NULL };
	struct rpc_spawn_opts o = { .env = env };

	ck_assert_int_eq(rpc_spawn(&proc, &o), -1);
	proc_live = 1;
	ck_assert_msg(proc.exited, "%s: no exit", addr);
	ck_assert_msg(proc.exit_code == 4, "%s: exit %d", addr, proc.exit_code);
	char *err = rpc_stderr(&proc), *out = rpc_stdout_rest(&proc);
	char want[160];
	snprintf(want, sizeof(want), "cannot serve on %s: ", addr);
	ck_assert_msg(strstr(err, want), "%s: stderr: %s", addr, err);
	ck_assert_msg(*out == '\0', "%s: stdout: %s", addr, out);
	fprintf(stderr, "check_faults: PC_LISTEN=%s -> exit 4: %s", addr, strstr(err, want));
	free(err);
	free(out);
	rpc_proc_free(&proc);
	proc_live = 0;
}

START_TEST(bind_address_taken)
{
	struct rpc_spawn_opts o = { 0 };
	struct rpc_proc first;
	char addr[64];

	ck_assert_int_eq(rpc_spawn(&first, &o), 0);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", first.port);
	bind_fails(addr);
	/* The first server is untouched. */
	struct rpc_conn c;
	ck_assert_int_eq(rpc_connect(&c, first.port), 0);
	still_serving(&c);
	rpc_close(&c);
	ck_assert_int_eq(rpc_signal(&first, SIGTERM), 0);
	ck_assert_int_eq(rpc_wait(&first, 5000 * rpc_time_scale()), 0);
	ck_assert_int_eq(first.exit_code, 0);
	rpc_proc_free(&first);
}
END_TEST

START_TEST(bind_address_invalid)
{
	/* Port out of range (gRPC would silently take it modulo 65536), not a port, not local, no such dir. */
	const char *bad[] = { "127.0.0.1:99999", "127.0.0.1:", "127.0.0.1:http", "192.0.2.1:0",
			      "unix:/nonexistent-pc-dir/analyzer.sock" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		bind_fails(bad[i]);
}
END_TEST

/* ---- 1f. memory --------------------------------------------------------------------------------- */

START_TEST(default_arena_limit_holds_big_stack)
{
	struct ip_out o;

	big_stack();
	ip_call("AnalyzeStack", big_req, big_len, SRV_DEFAULT_ARENA_LIMIT, &o);
	ck_assert_msg(o.status == GRPC_STATUS_OK, "status %d: %s", o.status, o.details);
	fprintf(stderr, "check_faults: AnalyzeStack of %zu resources: %.1f MB on the wire, %.1f MB of arena to decode, "
		"%.1f MB in all (%.1f%% of the %zu MiB default limit)\n", big_n, big_len / 1e6, o.decode_used / 1e6,
		o.used / 1e6, 100.0 * (double)o.used / (double)SRV_DEFAULT_ARENA_LIMIT, SRV_DEFAULT_ARENA_LIMIT >> 20);
	/* "Far below": at least 8x headroom, so stacks several times larger still fit. */
	ck_assert_uint_lt(o.used * 8, SRV_DEFAULT_ARENA_LIMIT);
	free(o.reply);
}
END_TEST

START_TEST(arena_limit_over_rpc)
{
	struct arena a;
	struct ip_out ref;
	size_t len;

	/* A stack whose decoding fits a limit its judging does not: the limit sits between the two. */
	arena_init(&a, 0);
	uint8_t *req = stack_bytes(&a, valgrind_run() ? 200 : 2000, 0, &len);
	ip_call("AnalyzeStack", req, len, 0, &ref);
	ck_assert_int_eq(ref.status, GRPC_STATUS_OK);
	size_t limit = ref.decode_used + (ref.used - ref.decode_used) / 2;
	char env0[64];
	snprintf(env0, sizeof(env0), "PC_ARENA_LIMIT=%zu", limit);
	const char *env[] = { env0, NULL };
	struct rpc_spawn_opts o = { .env = env };
	struct rpc_conn c;

	start(&o);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);
	/* Judging runs out: RESOURCE_EXHAUSTED from the handler. */
	char *d = call_expect(&c, RPC_M("AnalyzeStack"), req, len, GRPC_STATUS_RESOURCE_EXHAUSTED);
	ck_assert_msg(strstr(d, "memory"), "details: %s", d);
	fprintf(stderr, "check_faults: PC_ARENA_LIMIT=%zu, judging needs %zu: %s\n", limit, ref.used, d);
	free(d);
	still_serving(&c);
	/* Decoding runs out: RESOURCE_EXHAUSTED before any handler, with the limit named. */
	big_stack();
	d = call_expect(&c, RPC_M("AnalyzeStack"), big_req, big_len, GRPC_STATUS_RESOURCE_EXHAUSTED);
	char want[128];
	snprintf(want, sizeof(want), "per-call limit of %zu bytes", limit);
	ck_assert_msg(strstr(d, want), "details: %s", d);
	fprintf(stderr, "check_faults: decoding %zu bytes under that limit: %s\n", big_len, d);
	free(d);
	still_serving(&c);
	/* And a stack within the limit is still judged right, by the same process. */
	struct rpc_result r;
	uint8_t *small = stack_bytes(&a, 20, 0, &len);
	struct ip_out sref;
	ip_call("AnalyzeStack", small, len, 0, &sref);
	call_ok(&c, RPC_M("AnalyzeStack"), small, len, &r);
	ck_assert_uint_eq(r.len, sref.reply_len);
	ck_assert(memcmp(r.data, sref.reply, r.len) == 0);
	rpc_result_free(&r);
	free(sref.reply);
	free(ref.reply);
	rpc_close(&c);
	finish_proc(SIGTERM, 1);
	arena_release(&a);
}
END_TEST

/*
 * Every allocation of a request can fail: sweep the arena limit across the
 * handler's whole range. Each call must end OK with exactly the unlimited
 * answer, or RESOURCE_EXHAUSTED - never a crash, never a partial answer
 * sent as OK (ASan/UBSan builds check the "never a crash" part closely).
 */
static void sweep(const char *method, const uint8_t *req, size_t len, int steps, size_t *n_ok, size_t *n_oom)
{
	struct ip_out ref, o;

	ip_call(method, req, len, 0, &ref);
	ck_assert_msg(ref.status == GRPC_STATUS_OK, "%s unlimited: status %d: %s", method, ref.status, ref.details);
	for (int k = 0; k <= steps; k++) {
		/* From below the decode size up to the full need, denser near the low end. */
		size_t lo = ref.decode_used / 2 + 1, hi = ref.used;
		size_t limit = lo + (size_t)((double)(hi - lo) * ((double)k / steps) * ((double)k / steps));
		ip_call(method, req, len, limit, &o);
		if (o.status == GRPC_STATUS_OK) {
			ck_assert_msg(o.reply_len == ref.reply_len && memcmp(o.reply, ref.reply, o.reply_len) == 0,
				      "%s at limit %zu: OK with a different answer", method, limit);
			(*n_ok)++;
		} else {
			ck_assert_msg(o.status == GRPC_STATUS_RESOURCE_EXHAUSTED, "%s at limit %zu: status %d (%s)",
				      method, limit, o.status, o.details);
			(*n_oom)++;
		}
		free(o.reply);
	}
	free(ref.reply);
}

START_TEST(allocation_failure_sweep)
{
	struct arena a;
	size_t len, n_ok = 0, n_oom = 0, calls = 0;
	int steps = (int)heavy(40, 8);

	fx_load();
	arena_init(&a, 0);
	/* Every fixture resource through Analyze and Remediate... */
	for (size_t i = 0; i < FX->n; i += valgrind_run() ? 25 : 1) {
		Pulumirpc__AnalyzeRequest *q = rpc_analyze_request(&a, &FX->in[i]);
		uint8_t *b = pack_msg(&a, &q->base, &len);
		sweep("Analyze", b, len, steps, &n_ok, &n_oom);
		sweep("Remediate", b, len, steps / 4, &n_ok, &n_oom);
		calls += 2;
	}
	/* ...and a stack of all of them, densely. */
	uint8_t *b = stack_bytes(&a, FX->n, 0, &len);
	sweep("AnalyzeStack", b, len, (int)heavy(2000, 50), &n_ok, &n_oom);
	fprintf(stderr, "check_faults: allocation-failure sweep over %zu requests: %zu calls OK (same answer), "
		"%zu RESOURCE_EXHAUSTED, no other outcome\n", calls + 1, n_ok, n_oom);
	ck_assert_uint_gt(n_oom, 0);
	arena_release(&a);
}
END_TEST

/* ---- 1g + 2. nesting ------------------------------------------------------------------------------- */

/*
 * An AnalyzeRequest whose properties nest Struct->Value->Struct... `levels`
 * deep on the wire, encoded by hand from the inside out (no recursion, no
 * big intermediate messages), so a million levels cost a few megabytes.
 */
static uint8_t *wire_deep(size_t levels, size_t *len)
{
	size_t cap = levels * 12 + 64, pos = cap;
	uint8_t *b = malloc(cap);
	ck_assert_ptr_nonnull(b);
	/*
	 * Innermost: an empty message (0 bytes). Each step wraps the bytes in one
	 * field; seen from the outside the fields cycle through Struct.fields (1),
	 * FieldsEntry.value (2), Value.struct_value (5): one message level each.
	 */
	size_t inner = 0;
	for (size_t i = 0; i < levels; i++) {
		static const uint8_t tags[3] = { 0x0a /* Struct.fields */, 0x12 /* FieldsEntry.value */,
						 0x2a /* Value.struct_value */ };
		uint8_t tag = tags[(levels - 1 - i) % 3];
		uint8_t vb[10];
		size_t vn = 0, v = inner;
		do {
			vb[vn++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
			v >>= 7;
		} while (v);
		ck_assert_uint_ge(pos, vn + 1);
		pos -= vn;
		memcpy(b + pos, vb, vn);
		b[--pos] = tag;
		inner += vn + 1;
	}
	/* The bytes now form a Struct; it becomes AnalyzeRequest.properties (2). */
	uint8_t vb[10];
	size_t vn = 0, v = inner;
	do {
		vb[vn++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	pos -= vn;
	memcpy(b + pos, vb, vn);
	b[--pos] = 0x12;
	*len = cap - pos;
	memmove(b, b + pos, *len);
	return b;
}

/* properties.x = [[[...["leaf"]...]]] with `depth` lists. */
static Google__Protobuf__Struct *deep_lists(struct arena *a, int depth)
{
	Google__Protobuf__Value *v = v_str(a, "leaf");
	for (int i = 0; i < depth; i++) {
		Google__Protobuf__Value *l = v_list(a, 1);
		l_add(l, v);
		v = l;
	}
	Google__Protobuf__Struct *s = s_new(a, 1);
	s_put(a, s, "x", v);
	return s;
}

START_TEST(nesting_limits)
{
	struct rpc_spawn_opts o = { 0 };
	struct rpc_conn c;
	struct arena a;
	size_t len;
	char *d;

	arena_init(&a, 0);
	start(&o);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);

	/* Wire nesting: a million message levels, refused by the pre-scan without recursion. */
	uint8_t *w = wire_deep(1000000, &len);
	d = call_expect(&c, RPC_M("Analyze"), w, len, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_msg(strstr(d, "nested deeper than 256 levels"), "details: %s", d);
	fprintf(stderr, "check_faults: 1,000,000 message levels (%zu bytes): %s\n", len, d);
	free(d);
	free(w);
	still_serving(&c);
	/*
	 * At the wire limit exactly (the request, properties and 255 levels
	 * below: 256) it decodes, and the Struct limit (85 objects > 64) refuses it.
	 */
	w = wire_deep(SRV_DEFAULT_MAX_DEPTH - 1, &len);
	d = call_expect(&c, RPC_M("Analyze"), w, len, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_msg(strstr(d, "nest deeper than 64 levels"), "details: %s", d);
	free(d);
	free(w);
	w = wire_deep(SRV_DEFAULT_MAX_DEPTH, &len);
	d = call_expect(&c, RPC_M("Remediate"), w, len, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_msg(strstr(d, "nested deeper than 256 levels"), "details: %s", d);
	free(d);
	free(w);

	/* Lists: PV_MAX_DEPTH levels are judged, one more is refused with the path named. */
	uint8_t *ok = analyze_bytes(&a, "aws:s3/bucketV2:BucketV2", "lists", deep_lists(&a, PV_MAX_DEPTH - 1), &len);
	struct rpc_result r;
	call_ok(&c, RPC_M("Analyze"), ok, len, &r);
	rpc_result_free(&r);
	uint8_t *deep = analyze_bytes(&a, "aws:s3/bucketV2:BucketV2", "lists", deep_lists(&a, PV_MAX_DEPTH + 1), &len);
	d = call_expect(&c, RPC_M("Analyze"), deep, len, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_msg(strstr(d, "deeper than"), "details: %s", d);
	free(d);
	free(call_expect(&c, RPC_M("Remediate"), deep, len, GRPC_STATUS_INVALID_ARGUMENT));

	/* Configure: policy properties nested too deep are refused; the previous configuration stays. */
	Pulumirpc__ConfigureAnalyzerRequest cq = PULUMIRPC__CONFIGURE_ANALYZER_REQUEST__INIT;
	Pulumirpc__ConfigureAnalyzerRequest__PolicyConfigEntry e =
		PULUMIRPC__CONFIGURE_ANALYZER_REQUEST__POLICY_CONFIG_ENTRY__INIT, *ep = &e;
	Pulumirpc__PolicyConfig pc = PULUMIRPC__POLICY_CONFIG__INIT;
	e.key = "all";
	e.value = &pc;
	pc.enforcementlevel = PULUMIRPC__ENFORCEMENT_LEVEL__ADVISORY;
	pc.properties = deep_lists(&a, PV_MAX_DEPTH + 1);
	cq.n_policyconfig = 1;
	cq.policyconfig = &ep;
	uint8_t *cb = pack_msg(&a, &cq.base, &len);
	d = call_expect(&c, RPC_M("Configure"), cb, len, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_msg(strstr(d, "deeper than"), "details: %s", d);
	free(d);

	/*
	 * JSON text inside strings (policy documents, provider inputs, stack
	 * config): a million '[' is not JSON the pack will parse (nesting cap),
	 * so the call is answered normally.
	 */
	size_t jn = valgrind_run() ? 100000 : 1000000;
	char *jdeep = fill(&a, jn, '[');
	const char *fields[] = { "policy", "assumeRolePolicy", "eventPattern", "tags", "defaultTags" };
	const char *types[] = { "aws:s3/bucketPolicy:BucketPolicy", "aws:iam/role:Role",
				"aws:cloudwatch/eventRule:EventRule", "aws:s3/bucketV2:BucketV2", "pulumi:providers:aws" };
	for (size_t i = 0; i < 5; i++) {
		Google__Protobuf__Struct *p = s_new(&a, 2);
		s_put(&a, p, fields[i], v_str(&a, jdeep));
		s_put(&a, p, "region", v_str(&a, "us-west-2"));
		uint8_t *b = analyze_bytes(&a, types[i], "json", p, &len);
		double t0 = rpc_now_ms();
		call_ok(&c, RPC_M("Analyze"), b, len, &r);
		rpc_result_free(&r);
		fprintf(stderr, "check_faults: %s.%s = %zu x '[': OK in %.0f ms\n", types[i], fields[i], jn,
			rpc_now_ms() - t0);
	}
	Pulumirpc__AnalyzerStackConfigureRequest sq = PULUMIRPC__ANALYZER_STACK_CONFIGURE_REQUEST__INIT;
	Pulumirpc__AnalyzerStackConfigureRequest__ConfigEntry ce =
		PULUMIRPC__ANALYZER_STACK_CONFIGURE_REQUEST__CONFIG_ENTRY__INIT, *cep = &ce;
	ce.key = "aws:defaultTags";
	ce.value = jdeep;
	sq.stack = "dev";
	sq.project = "proj";
	sq.organization = "acme";
	sq.n_config = 1;
	sq.config = &cep;
	call_msg_ok(&c, RPC_M("ConfigureStack"), &sq.base);
	still_serving(&c);
	rpc_close(&c);
	finish_proc(SIGTERM, 1);
	arena_release(&a);
}
END_TEST

/* ---- 2. message size ------------------------------------------------------------------------------- */

START_TEST(message_size_limit)
{
	struct arena a;
	struct ip_out ref;
	size_t len, big_len2;

	/*
	 * An Analyze answer lists every policy that does not apply, so a tiny
	 * request gets a larger answer: put the limit between the two.
	 */
	arena_init(&a, 0);
	uint8_t *req = analyze_bytes(&a, "aws:s3/bucketV2:BucketV2", "small", s_new(&a, 1), &len);
	ip_call("Analyze", req, len, 0, &ref);
	ck_assert_int_eq(ref.status, GRPC_STATUS_OK);
	ck_assert_uint_gt(ref.reply_len, len + 256);
	size_t limit = len + (ref.reply_len - len) / 2;
	char env0[64];
	snprintf(env0, sizeof(env0), "PC_MAX_MSG=%zu", limit);
	const char *env[] = { env0, NULL };
	struct rpc_spawn_opts o = { .env = env };
	struct rpc_conn c;
	start(&o);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);

	/* The answer would exceed the limit: RESOURCE_EXHAUSTED naming both sizes. */
	char *d = call_expect(&c, RPC_M("Analyze"), req, len, GRPC_STATUS_RESOURCE_EXHAUSTED);
	char want[96];
	snprintf(want, sizeof(want), "reply of %zu bytes exceeds the %zu-byte message limit", ref.reply_len, limit);
	ck_assert_msg(strstr(d, want), "details: %s", d);
	fprintf(stderr, "check_faults: PC_MAX_MSG=%zu, %zu-byte Analyze: %s\n", limit, len, d);
	free(d);
	/* A request over the limit: refused by gRPC before any handler. */
	Google__Protobuf__Struct *p = s_new(&a, 1);
	s_put(&a, p, "bucket", v_str(&a, fill(&a, limit, 'b')));
	uint8_t *huge = analyze_bytes(&a, "aws:s3/bucketV2:BucketV2", "huge", p, &big_len2);
	d = call_expect(&c, RPC_M("Analyze"), huge, big_len2, GRPC_STATUS_RESOURCE_EXHAUSTED);
	fprintf(stderr, "check_faults: PC_MAX_MSG=%zu, %zu-byte request: %s\n", limit, big_len2, d);
	free(d);
	/* Calls within the limit, before and after, are answered by the same process. */
	struct rpc_result r;
	call_ok(&c, RPC_M("GetPluginInfo"), "", 0, &r);
	rpc_result_free(&r);
	uint8_t *stk = stack_bytes(&a, 2, 0, &len);
	call_ok(&c, RPC_M("AnalyzeStack"), stk, len, &r);
	rpc_result_free(&r);
	free(ref.reply);
	rpc_close(&c);
	finish_proc(SIGTERM, 1);
	arena_release(&a);
}
END_TEST

/* ---- 2. very long strings and lists ------------------------------------------------------------------ */

static void timed_ok(struct rpc_conn *c, const char *method, const uint8_t *b, size_t len, const char *what)
{
	struct rpc_result r;
	double t0 = rpc_now_ms();
	call_ok(c, method, b, len, &r);
	fprintf(stderr, "check_faults: %s (%.1f MB request): OK in %.0f ms, %zu-byte answer\n", what, len / 1e6,
		rpc_now_ms() - t0, r.len);
	rpc_result_free(&r);
}

/*
 * Same, but RESOURCE_EXHAUSTED is a defined outcome too: some inputs need
 * more than the per-call memory limit to judge (printed with the need).
 */
static void timed_ok_or_oom(struct rpc_conn *c, const char *method, const uint8_t *b, size_t len, const char *what)
{
	struct rpc_result r;
	double t0 = rpc_now_ms();
	ck_assert_int_eq(rpc_call_raw(c, method, b, len, T_MS, &r), 0);
	ck_assert_msg(r.status == GRPC_STATUS_OK || r.status == GRPC_STATUS_RESOURCE_EXHAUSTED, "%s: status %d: %s",
		      what, r.status, r.details);
	fprintf(stderr, "check_faults: %s (%.1f MB request): %s in %.0f ms%s%s\n", what, len / 1e6,
		r.status == GRPC_STATUS_OK ? "OK" : "RESOURCE_EXHAUSTED", rpc_now_ms() - t0,
		r.status == GRPC_STATUS_OK ? "" : ": ", r.status == GRPC_STATUS_OK ? "" : r.details);
	rpc_result_free(&r);
}

START_TEST(long_strings)
{
	struct rpc_spawn_opts o = { 0 };
	struct rpc_conn c;
	struct arena a;
	size_t len, n = heavy(50u << 20, 5u << 20);

	arena_init(&a, 0);
	start(&o);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);
	char *s = fill(&a, n, 'a');

	/* One 50 MB string where each kind of policy looks: names, tags, ARNs, CIDRs, JSON documents. */
	struct {
		const char *type, *key;
	} where[] = {
		{ "aws:s3/bucketV2:BucketV2", "bucket" },
		{ "aws:s3/bucketV2:BucketV2", "tags" },
		{ "aws:iam/role:Role", "assumeRolePolicy" },
		{ "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "policyArn" },
		{ "aws:ec2/securityGroup:SecurityGroup", "ingress" },
		{ "aws:lambda/function:Function", "runtime" },
		{ "aws:cloudwatch/eventRule:EventRule", "eventPattern" },
	};
	/* A JSON policy document holding the long string, for the parsers. */
	char *doc = arena_printf(&a, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
				 "{\"AWS\":\"%s\"},\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:s3:::%s\"}]}",
				 s + n / 2, s + n / 2);
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		Google__Protobuf__Struct *p = s_new(&a, 2);
		Google__Protobuf__Value *v;
		if (!strcmp(where[i].key, "tags")) {
			Google__Protobuf__Struct *t = s_new(&a, 1);
			s_put(&a, t, "Name", v_str(&a, s));
			v = v_obj(&a, t);
		} else if (!strcmp(where[i].key, "ingress")) {
			Google__Protobuf__Struct *rule = s_new(&a, 4);
			Google__Protobuf__Value *cidrs = v_list(&a, 1);
			l_add(cidrs, v_str(&a, s));
			s_put(&a, rule, "cidrBlocks", cidrs);
			s_put(&a, rule, "protocol", v_str(&a, "tcp"));
			s_put(&a, rule, "fromPort", v_num(&a, 22));
			s_put(&a, rule, "toPort", v_num(&a, 22));
			v = v_list(&a, 1);
			l_add(v, v_obj(&a, rule));
		} else if (!strcmp(where[i].key, "assumeRolePolicy") || !strcmp(where[i].key, "eventPattern")) {
			v = v_str(&a, doc);
		} else {
			v = v_str(&a, s);
		}
		s_put(&a, p, where[i].key, v);
		uint8_t *b = analyze_bytes(&a, where[i].type, "long", p, &len);
		char what[160];
		snprintf(what, sizeof(what), "Analyze %s with a %.1f MB %s", where[i].type, n / 1048576.0, where[i].key);
		timed_ok(&c, RPC_M("Analyze"), b, len, what);
	}
	/* A 50 MB name and URN, and the same resource in a stack. */
	Pulumirpc__AnalyzeRequest q = PULUMIRPC__ANALYZE_REQUEST__INIT;
	q.type = "aws:s3/bucketV2:BucketV2";
	q.name = s;
	q.urn = arena_printf(&a, "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::%s", s + n / 2);
	q.properties = s_new(&a, 1);
	q.provider = provider(&a);
	uint8_t *b = pack_msg(&a, &q.base, &len);
	char what[160];
	snprintf(what, sizeof(what), "Analyze with a %.1f MB name and a %.1f MB URN", n / 1048576.0, n / 2097152.0);
	timed_ok(&c, RPC_M("Analyze"), b, len, what);
	Pulumirpc__AnalyzerResource ar[2] = { PULUMIRPC__ANALYZER_RESOURCE__INIT, PULUMIRPC__ANALYZER_RESOURCE__INIT },
				    *arp[2] = { &ar[0], &ar[1] };
	for (int i = 0; i < 2; i++) {
		ar[i].type = q.type;
		ar[i].name = q.name;
		ar[i].urn = arena_printf(&a, "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::long%d", i);
		ar[i].properties = q.properties;
		ar[i].provider = q.provider;
		ar[i].parent = ar[0].urn;
		ar[i].n_dependencies = 1;
		ar[i].dependencies = &ar[0].urn;
	}
	Pulumirpc__AnalyzeStackRequest sq = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	sq.n_resources = 2;
	sq.resources = arp;
	b = pack_msg(&a, &sq.base, &len);
	snprintf(what, sizeof(what), "AnalyzeStack of two resources with %.1f MB names", n / 1048576.0);
	timed_ok(&c, RPC_M("AnalyzeStack"), b, len, what);
	still_serving(&c);
	rpc_close(&c);
	finish_proc(SIGTERM, 1);
	arena_release(&a);
}
END_TEST

START_TEST(long_lists)
{
	struct rpc_spawn_opts o = { 0 };
	struct rpc_conn c;
	struct arena a;
	size_t len, n = heavy(1000000, 50000);
	char what[160];

	arena_init(&a, 0);
	start(&o);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);

	/* A million CIDR blocks in one ingress rule. */
	Google__Protobuf__Value *cidrs = v_list(&a, n);
	for (size_t i = 0; i < n; i++)
		l_add(cidrs, v_str(&a, i + 1 == n ? "0.0.0.0/0" : "10.0.0.0/8"));
	Google__Protobuf__Struct *rule = s_new(&a, 4);
	s_put(&a, rule, "cidrBlocks", cidrs);
	s_put(&a, rule, "protocol", v_str(&a, "tcp"));
	s_put(&a, rule, "fromPort", v_num(&a, 22));
	s_put(&a, rule, "toPort", v_num(&a, 22));
	Google__Protobuf__Value *ingress = v_list(&a, 1);
	l_add(ingress, v_obj(&a, rule));
	Google__Protobuf__Struct *p = s_new(&a, 1);
	s_put(&a, p, "ingress", ingress);
	uint8_t *b = analyze_bytes(&a, "aws:ec2/securityGroup:SecurityGroup", "cidrs", p, &len);
	snprintf(what, sizeof(what), "Analyze a security group rule with %zu CIDR blocks", n);
	timed_ok(&c, RPC_M("Analyze"), b, len, what);
	arena_release(&a);

	/* A million rules. */
	ingress = v_list(&a, n);
	Google__Protobuf__Value *one = v_list(&a, 1);
	l_add(one, v_str(&a, "10.0.0.0/8"));
	for (size_t i = 0; i < n; i++) {
		Google__Protobuf__Struct *r = s_new(&a, 4);
		s_put(&a, r, "cidrBlocks", one);
		s_put(&a, r, "protocol", v_str(&a, "tcp"));
		s_put(&a, r, "fromPort", v_num(&a, (double)(i % 65536)));
		s_put(&a, r, "toPort", v_num(&a, (double)(i % 65536)));
		l_add(ingress, v_obj(&a, r));
	}
	p = s_new(&a, 1);
	s_put(&a, p, "ingress", ingress);
	b = analyze_bytes(&a, "aws:ec2/securityGroup:SecurityGroup", "rules", p, &len);
	snprintf(what, sizeof(what), "Analyze a security group with %zu ingress rules", n);
	timed_ok(&c, RPC_M("Analyze"), b, len, what);
	arena_release(&a);

	/* A million tags, and a million statements in a policy document (as an object). */
	Google__Protobuf__Struct *tags = s_new(&a, n);
	for (size_t i = 0; i < n; i++)
		s_put(&a, tags, arena_printf(&a, "k%zu", i), v_str(&a, "v"));
	p = s_new(&a, 2);
	s_put(&a, p, "tags", v_obj(&a, tags));
	s_put(&a, p, "bucket", v_str(&a, "acme-data"));
	b = analyze_bytes(&a, "aws:s3/bucketV2:BucketV2", "tags", p, &len);
	snprintf(what, sizeof(what), "Analyze a bucket with %zu tags", n);
	timed_ok(&c, RPC_M("Analyze"), b, len, what);
	arena_release(&a);

	Google__Protobuf__Value *stmts = v_list(&a, n);
	Google__Protobuf__Struct *st = s_new(&a, 3);
	s_put(&a, st, "Effect", v_str(&a, "Allow"));
	s_put(&a, st, "Action", v_str(&a, "s3:GetObject"));
	s_put(&a, st, "Resource", v_str(&a, "arn:aws:s3:::acme-data/*"));
	for (size_t i = 0; i < n; i++)
		l_add(stmts, v_obj(&a, st));
	Google__Protobuf__Struct *docs = s_new(&a, 2);
	s_put(&a, docs, "Version", v_str(&a, "2012-10-17"));
	s_put(&a, docs, "Statement", stmts);
	p = s_new(&a, 2);
	s_put(&a, p, "policy", v_obj(&a, docs));
	s_put(&a, p, "role", v_str(&a, "app"));
	b = analyze_bytes(&a, "aws:iam/rolePolicy:RolePolicy", "stmts", p, &len);
	snprintf(what, sizeof(what), "Analyze a role policy with %zu statements", n);
	timed_ok_or_oom(&c, RPC_M("Analyze"), b, len, what);
	arena_release(&a);

	/* A stack where one resource depends on a million URNs, and the stack config has a million keys. */
	Pulumirpc__AnalyzerResource ar = PULUMIRPC__ANALYZER_RESOURCE__INIT, *arp = &ar;
	char **deps = arena_alloc(&a, n * sizeof(*deps));
	for (size_t i = 0; i < n; i++)
		deps[i] = arena_printf(&a, "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::b%zu", i);
	ar.type = "aws:lambda/function:Function";
	ar.name = "fn";
	ar.urn = "urn:pulumi:dev::proj::aws:lambda/function:Function::fn";
	ar.properties = s_new(&a, 1);
	ar.provider = provider(&a);
	ar.n_dependencies = n;
	ar.dependencies = deps;
	Pulumirpc__AnalyzeStackRequest sq = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	sq.n_resources = 1;
	sq.resources = &arp;
	b = pack_msg(&a, &sq.base, &len);
	snprintf(what, sizeof(what), "AnalyzeStack with %zu dependencies on one resource", n);
	timed_ok(&c, RPC_M("AnalyzeStack"), b, len, what);
	b = NULL;

	Pulumirpc__AnalyzerStackConfigureRequest cq = PULUMIRPC__ANALYZER_STACK_CONFIGURE_REQUEST__INIT;
	cq.config = arena_alloc(&a, n * sizeof(*cq.config));
	for (size_t i = 0; i < n; i++) {
		Pulumirpc__AnalyzerStackConfigureRequest__ConfigEntry *e = arena_alloc(&a, sizeof(*e));
		pulumirpc__analyzer_stack_configure_request__config_entry__init(e);
		e->key = deps[n - 1 - i] + 22;   /* unsorted keys */
		e->value = "v";
		cq.config[cq.n_config++] = e;
	}
	cq.stack = "dev";
	cq.project = "proj";
	b = pack_msg(&a, &cq.base, &len);
	snprintf(what, sizeof(what), "ConfigureStack with %zu config keys", n);
	timed_ok(&c, RPC_M("ConfigureStack"), b, len, what);
	still_serving(&c);
	rpc_close(&c);
	finish_proc(SIGTERM, 1);
	arena_release(&a);
}
END_TEST

/* ---- 2. user-supplied patterns ------------------------------------------------------------------------ */

/* Configure every glob knob named below with `pats` (JSON strings, comma-separated). */
static void configure_globs(struct rpc_conn *c, struct arena *a, const char *pats)
{
	const char *layer = arena_printf(a,
		"{\"all\": {\"exclude\": [%s]},"
		" \"iam-trust-policy-principals\": {\"trustedPrincipals\": [%s]},"
		" \"lambda-runtime-supported\": {\"allowedRuntimes\": [%s]},"
		" \"aws-explicit-provider-required\": {\"exemptTypes\": [%s]}}",
		pats, pats, pats, pats);
	struct pack_layer l = { 0, NULL };
	char *err = NULL;
	if (pack_layer_parse_json(a, layer, strlen(layer), &l, &err) < 0)
		ck_abort_msg("layer: %s", err);
	Pulumirpc__ConfigureAnalyzerRequest *cq = rpc_configure_request(a, pct_pack(), &l);
	ck_assert_ptr_nonnull(cq);
	call_msg_ok(c, RPC_M("Configure"), &cq->base);
}

/* A Lambda function whose name, URN, runtime and role all hold `s`. */
static uint8_t *long_named_function(struct arena *a, const char *s, size_t *len)
{
	Pulumirpc__AnalyzeRequest q = PULUMIRPC__ANALYZE_REQUEST__INIT;
	q.type = "aws:lambda/function:Function";
	q.name = (char *)s;
	q.urn = arena_printf(a, "urn:pulumi:dev::proj::aws:lambda/function:Function::%s", s);
	q.properties = s_new(a, 2);
	s_put(a, q.properties, "runtime", v_str(a, s));
	s_put(a, q.properties, "role", v_str(a, arena_printf(a, "arn:aws:iam::123456789012:role/%s", s)));
	q.provider = provider(a);
	return pack_msg(a, &q.base, len);
}

START_TEST(pathological_patterns)
{
	struct rpc_spawn_opts o = { 0 };
	struct rpc_conn c;
	struct arena a;
	size_t len;
	char what[200];
	int vg = valgrind_run();

	arena_init(&a, 0);
	start(&o);
	ck_assert_int_eq(rpc_connect(&c, proc.port), 0);

	/*
	 * Glob knobs (exclude and the policies' own pattern lists) with
	 * "*a*a*a*a*a*a*a*a*b": many stars and no match at the end, the
	 * exponential case of backtracking matchers. pol_glob keeps only the
	 * last star: linear here.
	 */
	size_t n = heavy(10u << 20, 200000);
	configure_globs(&c, &a, "\"*a*a*a*a*a*a*a*a*b\"");
	uint8_t *b = long_named_function(&a, fill(&a, n, 'a'), &len);
	snprintf(what, sizeof(what), "Analyze, glob knobs \"*a*a*a*a*a*a*a*a*b\" against %zu-byte names", n);
	timed_ok(&c, RPC_M("Analyze"), b, len, what);
	arena_release(&a);

	/*
	 * pol_glob's own worst case: one star, then a long literal that fails
	 * at its end: pattern length x string length per match, and every
	 * applicable policy matches `exclude` against the URN and the name.
	 */
	n = vg ? 20000 : 256u << 10;
	configure_globs(&c, &a, arena_printf(&a, "\"*%sb\"", fill(&a, 64, 'a')));
	b = long_named_function(&a, fill(&a, n, 'a'), &len);
	snprintf(what, sizeof(what), "Analyze, glob knobs \"*a{64}b\" against %zu-byte names", n);
	timed_ok(&c, RPC_M("Analyze"), b, len, what);
	configure_globs(&c, &a, "\"*\"");
	arena_release(&a);

	/* Patterns from the request itself: a bucket policy's Resource against a long bucket name. */
	size_t pn = vg ? 200 : 2000, bn = vg ? 20000 : 200000;
	char *res_pat = arena_printf(&a, "arn:aws:s3:::*%sb/*", fill(&a, pn, 'a'));
	char *bucket = fill(&a, bn, 'a');
	Pulumirpc__AnalyzeStackRequest sq = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	Pulumirpc__AnalyzerResource r1 = PULUMIRPC__ANALYZER_RESOURCE__INIT, r2 = PULUMIRPC__ANALYZER_RESOURCE__INIT,
				    *rp[2] = { &r1, &r2 };
	r1.type = "aws:s3/bucketV2:BucketV2";
	r1.name = "b";
	r1.urn = "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::b";
	r1.properties = s_new(&a, 2);
	s_put(&a, r1.properties, "bucket", v_str(&a, bucket));
	s_put(&a, r1.properties, "arn", v_str(&a, arena_printf(&a, "arn:aws:s3:::%s", bucket)));
	r1.provider = provider(&a);
	r2.type = "aws:s3/bucketPolicy:BucketPolicy";
	r2.name = "p";
	r2.urn = "urn:pulumi:dev::proj::aws:s3/bucketPolicy:BucketPolicy::p";
	r2.properties = s_new(&a, 2);
	s_put(&a, r2.properties, "bucket", v_str(&a, bucket));
	s_put(&a, r2.properties, "policy",
	      v_str(&a, arena_printf(&a, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
				     "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"%s\"],\"Condition\":"
				     "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}", res_pat)));
	r2.provider = provider(&a);
	sq.n_resources = 2;
	sq.resources = rp;
	b = pack_msg(&a, &sq.base, &len);
	snprintf(what, sizeof(what), "AnalyzeStack, a bucket-policy Resource \"*a{%zu}b/*\" against a %zu-byte bucket name",
		 pn, bn);
	timed_ok(&c, RPC_M("AnalyzeStack"), b, len, what);
	still_serving(&c);
	rpc_close(&c);
	finish_proc(SIGTERM, 1);
	arena_release(&a);
}
END_TEST

/* -------------------------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	int failed;

	if (argc == 4 && !strcmp(argv[1], "--call-helper"))
		return helper_main(atoi(argv[2]), argv[3]);

	ssize_t k = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (k <= 0) {
		fprintf(stderr, "check_faults: cannot find my own executable\n");
		return EXIT_FAILURE;
	}
	self_exe[k] = '\0';
	grpc_init();
	pct_pack();

	Suite *s = suite_create("faults");
	TCase *tcs[] = { tcase_create("disconnect"), tcase_create("signals"), tcase_create("stdio"),
			 tcase_create("bind"), tcase_create("memory"), tcase_create("limits") };
	for (size_t i = 0; i < sizeof(tcs) / sizeof(tcs[0]); i++) {
		tcase_set_timeout(tcs[i], 280 * rpc_time_scale());
		tcase_add_checked_fixture(tcs[i], NULL, proc_teardown);
		suite_add_tcase(s, tcs[i]);
	}
	tcase_add_test(tcs[0], client_disconnects_mid_call);
	tcase_add_test(tcs[1], sigint_during_big_stack);
	tcase_add_test(tcs[1], sigterm_during_big_stack);
	tcase_add_test(tcs[1], repeated_signals_during_stop);
	tcase_add_test(tcs[2], stdout_unread_before_port);
	tcase_add_test(tcs[2], stdout_closed_before_port);
	tcase_add_test(tcs[2], stdout_closed_after_port);
	tcase_add_test(tcs[2], stderr_unread);
	tcase_add_test(tcs[2], stderr_closed);
	tcase_add_test(tcs[2], engine_gone_entirely);
	tcase_add_test(tcs[2], sigpipe_ignored);
	tcase_add_test(tcs[3], bind_address_taken);
	tcase_add_test(tcs[3], bind_address_invalid);
	tcase_add_test(tcs[4], default_arena_limit_holds_big_stack);
	tcase_add_test(tcs[4], arena_limit_over_rpc);
	tcase_add_test(tcs[4], allocation_failure_sweep);
	tcase_add_test(tcs[5], nesting_limits);
	tcase_add_test(tcs[5], message_size_limit);
	tcase_add_test(tcs[5], long_strings);
	tcase_add_test(tcs[5], long_lists);
	tcase_add_test(tcs[5], pathological_patterns);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (big_file[0])
		unlink(big_file);
	if (ip_ready)
		an_free(&ip_st);
	arena_release(&BA);
	pct_fixture_resources_free();
	pack_free(pct_pack());
	grpc_shutdown_blocking();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
