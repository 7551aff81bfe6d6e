/*
 * check_server.c - the generic gRPC server loop (src/server.c) in process,
 * with a toy service: no Pulumi involved. Runs with CK_FORK=no.
 */
#include <check.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <grpc/grpc.h>

#include "arena.h"
#include "google/protobuf/struct.pb-c.h"
#include "rpc_client.h"
#include "server.h"

/* Echo returns the request; Fail returns the status named by field "code"; Slow sleeps. */
static void ts_echo(void *ud, struct arena *a, const ProtobufCMessage *req, struct srv_reply *out)
{
	(void)ud;
	(void)a;
	out->msg = req;
}

static void ts_fail(void *ud, struct arena *a, const ProtobufCMessage *req, struct srv_reply *out)
{
	(void)ud;
	(void)req;
	out->status = GRPC_STATUS_FAILED_PRECONDITION;
	out->details = arena_strdup(a, "told to fail");
}

/* Calls that have entered the slow handler: tests wait for it instead of sleeping. */
static atomic_int ts_slow_entered;

static void ts_slow(void *ud, struct arena *a, const ProtobufCMessage *req, struct srv_reply *out)
{
	int ms = *(int *)ud;
	atomic_fetch_add(&ts_slow_entered, 1);
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	(void)a;
	nanosleep(&ts, NULL);
	out->msg = req;
}

static void ts_null(void *ud, struct arena *a, const ProtobufCMessage *req, struct srv_reply *out)
{
	(void)ud;
	(void)a;
	(void)req;
	(void)out;
}

/*
 * Detached (server.h): the reply is a copy of the request built in the
 * reply arena, so the server frees the request's arena before packing it.
 * The scratch packing and the details stay in the request's arena.
 */
static void ts_detached(void *ud, struct arena *a, const ProtobufCMessage *req, struct srv_reply *out)
{
	unsigned char st[ARENA_PB_ALLOCATOR_SIZE];
	size_t n = protobuf_c_message_get_packed_size(req);
	uint8_t *b = arena_alloc(a, n ? n : 1);

	(void)ud;
	ck_assert_ptr_nonnull(out->reply);
	ck_assert_ptr_ne(out->reply, a);
	ck_assert_ptr_nonnull(b);
	protobuf_c_message_pack(req, b);
	out->msg = protobuf_c_message_unpack(req->descriptor, arena_protobuf_allocator(out->reply, st), n, b);
	ck_assert_ptr_nonnull(out->msg);
	out->details = arena_strdup(a, "not sent");
	out->detached = 1;
}

static const struct srv_method ts_methods[] = {
	{ "/test.T/Echo", &google__protobuf__struct__descriptor, ts_echo },
	{ "/test.T/Fail", &google__protobuf__struct__descriptor, ts_fail },
	{ "/test.T/Slow", &google__protobuf__struct__descriptor, ts_slow },
	{ "/test.T/Null", &google__protobuf__struct__descriptor, ts_null },
	{ "/test.T/Detached", &google__protobuf__struct__descriptor, ts_detached },
};

static int ts_slow_ms = 2000;
static struct srv *ts_srv;
static int ts_port;
static struct rpc_conn ts_conn;

static void ts_start(int max_msg, size_t arena_limit)
{
	struct srv_config cfg = { "127.0.0.1:0", ts_methods, sizeof(ts_methods) / sizeof(ts_methods[0]), &ts_slow_ms, 2,
				  max_msg, arena_limit, 0 };
	const char *err = NULL;

	ts_srv = srv_start(&cfg, &ts_port, &err);
	ck_assert_msg(ts_srv != NULL, "srv_start: %s", err ? err : "?");
	ck_assert_int_gt(ts_port, 0);
	ck_assert_int_eq(rpc_connect(&ts_conn, ts_port), 0);
}

static void ts_stop(void)
{
	rpc_close(&ts_conn);
	ck_assert_int_eq(srv_stop(ts_srv, 300, 5000), 0);
	srv_free(ts_srv);
	ts_srv = NULL;
}

static void setup(void)
{
	ts_start(0, 0);
}

/* A Struct {"k": "v"} packed into a malloc'd buffer. */
static uint8_t *ts_struct_bytes(size_t *len, const char *val)
{
	Google__Protobuf__Value v = GOOGLE__PROTOBUF__VALUE__INIT;
	Google__Protobuf__Struct__FieldsEntry e = GOOGLE__PROTOBUF__STRUCT__FIELDS_ENTRY__INIT;
	Google__Protobuf__Struct__FieldsEntry *ep = &e;
	Google__Protobuf__Struct s = GOOGLE__PROTOBUF__STRUCT__INIT;

	v.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
	v.string_value = (char *)val;
	e.key = "k";
	e.value = &v;
	s.n_fields = 1;
	s.fields = &ep;
	*len = protobuf_c_message_get_packed_size(&s.base);
	uint8_t *b = malloc(*len);
	protobuf_c_message_pack(&s.base, b);
	return b;
}

/* `method` answers {"k": val} with the same bytes. */
static void ts_echoes(const char *method, const char *val)
{
	size_t len;
	uint8_t *b = ts_struct_bytes(&len, val);
	struct rpc_result r;

	ck_assert_int_eq(rpc_call_raw(&ts_conn, method, b, len, 20000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	ck_assert_uint_eq(r.len, len);
	ck_assert(memcmp(r.data, b, len) == 0);
	rpc_result_free(&r);
	free(b);
}

START_TEST(echo_roundtrip)
{
	ts_echoes("/test.T/Echo", "hello");
}
END_TEST

/* A detached reply, small and big (past the size where the server trims freed memory): the same bytes back. */
START_TEST(detached_reply)
{
	size_t big = (size_t)3 << 20;
	char *val = malloc(big + 1);

	ck_assert_ptr_nonnull(val);
	for (size_t k = 0; k < big; k++)
		val[k] = (char)('a' + k % 26);
	val[big] = '\0';
	ts_echoes("/test.T/Detached", "hello");
	ts_echoes("/test.T/Detached", val);
	free(val);
}
END_TEST

START_TEST(handler_status)
{
	struct rpc_result r;

	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Fail", "", 0, 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_FAILED_PRECONDITION);
	ck_assert_str_eq(r.details, "told to fail");
	ck_assert(!r.has_msg);
	rpc_result_free(&r);
	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Null", "", 0, 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INTERNAL);
	rpc_result_free(&r);
}
END_TEST

START_TEST(unknown_methods)
{
	struct rpc_result r;
	const char *paths[] = { "/test.T/Nope", "/other.S/Echo", "", "/" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ck_assert_int_eq(rpc_call_raw(&ts_conn, paths[i], "x", 1, 5000, &r), 0);
		ck_assert_msg(r.status == GRPC_STATUS_UNIMPLEMENTED, "path '%s': status %d (%s)", paths[i],
			      r.status, r.details);
		rpc_result_free(&r);
	}
}
END_TEST

START_TEST(garbage_then_ok)
{
	struct rpc_result r;
	size_t len;
	uint8_t *b = ts_struct_bytes(&len, "after");
	static const uint8_t junk[] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01 };

	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Echo", junk, sizeof(junk), 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_str_eq(r.details, "malformed google.protobuf.Struct");
	rpc_result_free(&r);
	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Echo", b, len, 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);
	free(b);
}
END_TEST

/* Value{struct{ "k": Value{struct{ ... }}}} nested `depth` times, hand-encoded inside out. */
static uint8_t *ts_deep(size_t depth, size_t *len)
{
	size_t cap = depth * 16 + 16, n = 0;
	uint8_t *buf = malloc(cap), *tmp = malloc(cap);

	for (size_t i = 0; i < depth; i++) {
		/* Struct.fields entry: field 1 (key "k" = field 1, value = field 2) */
		size_t m = 0;
		tmp[m++] = 0x0a;              /* entry key */
		tmp[m++] = 1;
		tmp[m++] = 'k';
		/* value: Value{ struct_value(5) = previous struct } */
		uint8_t vb[8];
		size_t vl = 0, x = n;
		do {
			vb[vl++] = (uint8_t)((x & 0x7f) | (x > 0x7f ? 0x80 : 0));
			x >>= 7;
		} while (x);
		size_t value_len = 1 + vl + n;   /* tag 0x2a + len + struct */
		tmp[m++] = 0x12;              /* entry value */
		x = value_len;
		do {
			tmp[m++] = (uint8_t)((x & 0x7f) | (x > 0x7f ? 0x80 : 0));
			x >>= 7;
		} while (x);
		tmp[m++] = 0x2a;
		memcpy(tmp + m, vb, vl);
		m += vl;
		memcpy(tmp + m, buf, n);
		m += n;
		/* wrap as Struct: field 1 (fields) */
		size_t k = 0;
		buf[k++] = 0x0a;
		x = m;
		do {
			buf[k++] = (uint8_t)((x & 0x7f) | (x > 0x7f ? 0x80 : 0));
			x >>= 7;
		} while (x);
		memcpy(buf + k, tmp, m);
		n = k + m;
	}
	free(tmp);
	*len = n;
	return buf;
}

START_TEST(too_deep)
{
	struct rpc_result r;
	size_t len;
	uint8_t *b = ts_deep(20, &len);

	/* 20 Struct levels = 60 message levels: fine. */
	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Echo", b, len, 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);
	free(b);
	/* 200 Struct levels = 600 message levels: rejected before protobuf-c recurses. */
	b = ts_deep(200, &len);
	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Echo", b, len, 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert(strstr(r.details, "nested deeper") != NULL);
	rpc_result_free(&r);
	free(b);
}
END_TEST

START_TEST(limits)
{
	struct rpc_result r;
	size_t len;
	char *big = malloc(70000);

	ts_stop();
	ts_start(64 * 1024, 4096);
	memset(big, 'x', 69999);
	big[69999] = '\0';
	uint8_t *b = ts_struct_bytes(&len, big);
	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Echo", b, len, 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_RESOURCE_EXHAUSTED);
	rpc_result_free(&r);
	free(b);
	big[8000] = '\0';   /* fits the message limit, not the 4 KiB arena */
	b = ts_struct_bytes(&len, big);
	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Echo", b, len, 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_RESOURCE_EXHAUSTED);
	ck_assert(strstr(r.details, "memory") != NULL);
	rpc_result_free(&r);
	free(b);
	b = ts_struct_bytes(&len, "small");
	ck_assert_int_eq(rpc_call_raw(&ts_conn, "/test.T/Echo", b, len, 5000, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);
	free(b);
	free(big);
}
END_TEST

struct ts_worker {
	int n;
	int bad;
};

static void *ts_work(void *arg)
{
	struct ts_worker *w = arg;
	char val[32];
	for (int i = 0; i < w->n; i++) {
		size_t len;
		struct rpc_result r;
		snprintf(val, sizeof(val), "v%d-%p", i, (void *)w);
		uint8_t *b = ts_struct_bytes(&len, val);
		if (rpc_call_raw(&ts_conn, "/test.T/Echo", b, len, 10000, &r) != 0 || r.status != GRPC_STATUS_OK ||
		    r.len != len || memcmp(r.data, b, len) != 0)
			w->bad++;
		rpc_result_free(&r);
		free(b);
	}
	return NULL;
}

START_TEST(concurrent)
{
	pthread_t th[6];
	struct ts_worker w[6];

	for (int i = 0; i < 6; i++) {
		w[i].n = 200;
		w[i].bad = 0;
		pthread_create(&th[i], NULL, ts_work, &w[i]);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(w[i].bad, 0);
	}
	/*
	 * A call is counted when its answer's batch completes on the server,
	 * which can be just after the client has the answer (under valgrind,
	 * seen): wait for the count (bounded: 60 s), do not race it.
	 */
	struct timespec tick = { 0, 5 * 1000000L };
	for (int i = 0; i < 12000 && srv_calls_served(ts_srv) < 1200; i++)
		nanosleep(&tick, NULL);
	ck_assert_uint_ge(srv_calls_served(ts_srv), 1200);
}
END_TEST

static void *ts_slow_call(void *arg)
{
	struct rpc_result *r = arg;
	rpc_call_raw(&ts_conn, "/test.T/Slow", "", 0, 10000, r);
	return NULL;
}

/* Start a slow call and return once its handler runs (bounded: 60 s). */
static void ts_start_slow_call(pthread_t *th, struct rpc_result *r)
{
	int before = atomic_load(&ts_slow_entered);
	struct timespec tick = { 0, 5 * 1000000L };
	pthread_create(th, NULL, ts_slow_call, r);
	for (int i = 0; i < 12000 && atomic_load(&ts_slow_entered) == before; i++)
		nanosleep(&tick, NULL);
	ck_assert_msg(atomic_load(&ts_slow_entered) > before, "the slow handler never started");
}

START_TEST(stop_cancels_inflight)
{
	pthread_t th;
	struct rpc_result r;

	ts_slow_ms = 1000;
	ts_start_slow_call(&th, &r);
	double t0 = rpc_now_ms();
	/* Grace 100 ms: the client sees the call cancelled; stop waits for the handler. */
	ck_assert_int_eq(srv_stop(ts_srv, 100, 5000), 0);
	double took = rpc_now_ms() - t0;
	pthread_join(th, NULL);
	ck_assert_int_ne(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);
	/* Timing is reported, not asserted (the benchmark measures it). */
	fprintf(stderr, "stop with a call in flight took %.0f ms\n", took);
	srv_free(ts_srv);
	rpc_close(&ts_conn);
	ts_start(0, 0);
	ts_slow_ms = 2000;
}
END_TEST

START_TEST(stop_lets_short_calls_finish)
{
	pthread_t th;
	struct rpc_result r;

	/* A call shorter than the grace completes normally during the stop. */
	ts_slow_ms = 250;
	ts_start_slow_call(&th, &r);
	ck_assert_int_eq(srv_stop(ts_srv, 2000, 5000), 0);
	pthread_join(th, NULL);
	ck_assert_msg(r.status == GRPC_STATUS_OK, "status %d (%s)", r.status, r.details);
	rpc_result_free(&r);
	srv_free(ts_srv);
	rpc_close(&ts_conn);
	ts_start(0, 0);
	ts_slow_ms = 2000;
}
END_TEST

START_TEST(stop_abandons_stuck_handler)
{
	pthread_t th;
	struct rpc_result r;
	struct timespec ts = { 0, 200 * 1000000L };

	ts_slow_ms = 2000;
	ts_start_slow_call(&th, &r);
	/* Hard limit shorter than the handler: stop reports it cannot finish. */
	ck_assert_int_eq(srv_stop(ts_srv, 100, 500), -1);
	pthread_join(th, NULL);
	rpc_result_free(&r);
	/* The handler finishes; a second stop completes the teardown. */
	ts.tv_sec = 2;
	ts.tv_nsec = 0;
	nanosleep(&ts, NULL);
	ck_assert_int_eq(srv_stop(ts_srv, 100, 5000), 0);
	srv_free(ts_srv);
	rpc_close(&ts_conn);
	ts_start(0, 0);
}
END_TEST

START_TEST(bind_failure)
{
	char addr[64];
	struct srv_config cfg = { addr, ts_methods, 4, NULL, 1, 0, 0, 0 };
	const char *err = NULL;
	int port = 0;

	snprintf(addr, sizeof(addr), "127.0.0.1:%d", ts_port);
	ck_assert_ptr_null(srv_start(&cfg, &port, &err));
	ck_assert_ptr_nonnull(err);
}
END_TEST

static void teardown(void)
{
	if (ts_srv)
		ts_stop();
}

int main(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("core");
	int failed;

	srv_log_setup(getenv("PC_TEST_VERBOSE") != NULL);
	grpc_init();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60 * rpc_time_scale());
	tcase_add_test(tc, echo_roundtrip);
	tcase_add_test(tc, detached_reply);
	tcase_add_test(tc, handler_status);
	tcase_add_test(tc, unknown_methods);
	tcase_add_test(tc, garbage_then_ok);
	tcase_add_test(tc, too_deep);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, concurrent);
	tcase_add_test(tc, stop_cancels_inflight);
	tcase_add_test(tc, stop_lets_short_calls_finish);
	tcase_add_test(tc, stop_abandons_stuck_handler);
	tcase_add_test(tc, bind_failure);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	grpc_shutdown();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
