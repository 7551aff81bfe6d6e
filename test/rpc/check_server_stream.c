/*
 * check_server_stream.c - the server's streaming calls in process (server.h
 * "streams"): ordered delivery from a producer thread with flow control and
 * from the handler itself, error statuses, request limits, the message
 * size limit, cancellation callbacks, and srv_stop with a stream in flight.
 * Unary methods keep working beside streams. Runs with CK_FORK=no.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <grpc/grpc.h>

#include "arena.h"
#include "google/protobuf/struct.pb-c.h"
#include "rpc_client.h"
#include "rpc_stream.h"
#include "server.h"

#define T_MS 10000
#define SS_MAX_MSG (64 * 1024)

/* What the handlers observed, for the tests to check. */
static atomic_int ss_cancel_calls;
static atomic_int ss_send_after_cancel;   /* srv_stream_send's result once cancelled */
static atomic_int ss_big_send;            /* srv_stream_send's result for an oversize reply */
static atomic_int ss_handler_calls;

/* ---- requests and replies: Struct {"n": N, "mode": "..."} / {"i": i} ------------------ */

static double ss_num(const Google__Protobuf__Struct *s, const char *key)
{
	for (size_t i = 0; s && i < s->n_fields; i++)
		if (!strcmp(s->fields[i]->key, key) && s->fields[i]->value &&
		    s->fields[i]->value->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE)
			return s->fields[i]->value->number_value;
	return 0;
}

static const char *ss_str(const Google__Protobuf__Struct *s, const char *key)
{
	for (size_t i = 0; s && i < s->n_fields; i++)
		if (!strcmp(s->fields[i]->key, key) && s->fields[i]->value &&
		    s->fields[i]->value->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE)
			return s->fields[i]->value->string_value;
	return "";
}

/* Send {"i": i} (with `pad` bytes of padding in "p"). */
static int ss_send_i(struct srv_stream *st, int i, size_t pad)
{
	Google__Protobuf__Value v[2];
	Google__Protobuf__Struct__FieldsEntry e[2], *ep[2];
	Google__Protobuf__Struct s = GOOGLE__PROTOBUF__STRUCT__INIT;
	char *p = NULL;
	int rc;

	for (int k = 0; k < 2; k++) {
		google__protobuf__value__init(&v[k]);
		google__protobuf__struct__fields_entry__init(&e[k]);
		e[k].value = &v[k];
		ep[k] = &e[k];
	}
	e[0].key = "i";
	v[0].kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE;
	v[0].number_value = i;
	s.n_fields = 1;
	if (pad) {
		p = malloc(pad + 1);
		memset(p, 'x', pad);
		p[pad] = '\0';
		e[1].key = "p";
		v[1].kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
		v[1].string_value = p;
		s.n_fields = 2;
	}
	s.fields = ep;
	rc = srv_stream_send(st, &s.base);
	free(p);
	return rc;
}

/* ---- the streaming handler ------------------------------------------------------------------ */

struct ss_job {
	struct srv_stream *st;
	int n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int cancelled;
};

static void *ss_producer(void *arg)
{
	struct ss_job *j = arg;

	for (int i = 0; i < j->n; i++) {
		if (ss_send_i(j->st, i, 0) < 0)
			break;
		/* Flow control: never more than 4 replies waiting. */
		if (srv_stream_flush(j->st, 4) < 0)
			break;
	}
	srv_stream_finish(j->st, GRPC_STATUS_OK, NULL);
	free(j);
	return NULL;
}

static void ss_on_cancel(struct srv_stream *st, void *ud)
{
	struct ss_job *j = ud;

	(void)st;
	atomic_fetch_add(&ss_cancel_calls, 1);
	pthread_mutex_lock(&j->mu);
	j->cancelled = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

/* Waits for the cancellation, then checks sends fail and ends the call. */
static void *ss_waiter(void *arg)
{
	struct ss_job *j = arg;
	struct timespec dl;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 30;
	pthread_mutex_lock(&j->mu);
	while (!j->cancelled)
		if (pthread_cond_timedwait(&j->cv, &j->mu, &dl) != 0)
			break;
	pthread_mutex_unlock(&j->mu);
	atomic_store(&ss_send_after_cancel, ss_send_i(j->st, 99, 0));
	/* finish waits for a callback still running, so j can go afterwards. */
	srv_stream_finish(j->st, GRPC_STATUS_CANCELLED, "cancelled");
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j);
	return NULL;
}

static void ss_spawn(void *(*fn)(void *), struct ss_job *j)
{
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, fn, j), 0);
	pthread_detach(t);
}

static void ss_count(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_stream *st)
{
	const Google__Protobuf__Struct *req = (const void *)msg;
	const char *mode = ss_str(req, "mode");
	int n = (int)ss_num(req, "n");
	struct ss_job *j;

	(void)ud;
	(void)a;
	atomic_fetch_add(&ss_handler_calls, 1);
	if (!strcmp(mode, "fail")) {
		srv_stream_finish(st, GRPC_STATUS_FAILED_PRECONDITION, "told to fail");
	} else if (!strcmp(mode, "inline")) {
		/* Everything from the poller thread: queued, written as completions come. */
		for (int i = 0; i < n; i++)
			ss_send_i(st, i, 0);
		srv_stream_finish(st, GRPC_STATUS_OK, NULL);
	} else if (!strcmp(mode, "big")) {
		ss_send_i(st, 0, 0);
		atomic_store(&ss_big_send, ss_send_i(st, 1, SS_MAX_MSG));
		ss_send_i(st, 2, 0);
		srv_stream_finish(st, GRPC_STATUS_OK, NULL);
	} else if (!strcmp(mode, "wait_cancel")) {
		j = calloc(1, sizeof(*j));
		j->st = st;
		pthread_mutex_init(&j->mu, NULL);
		pthread_cond_init(&j->cv, NULL);
		srv_stream_on_cancel(st, ss_on_cancel, j);
		ss_send_i(st, 0, 0);   /* "started" */
		ss_spawn(ss_waiter, j);
	} else {
		j = calloc(1, sizeof(*j));
		j->st = st;
		j->n = n;
		ss_spawn(ss_producer, j);
	}
}

static void ss_echo(void *ud, struct arena *a, const ProtobufCMessage *req, struct srv_reply *out)
{
	(void)ud;
	(void)a;
	out->msg = req;
}

static const struct srv_method ss_methods[] = {
	{ "/test.S/Echo", &google__protobuf__struct__descriptor, ss_echo },
};
static const struct srv_stream_method ss_streams[] = {
	{ "/test.S/Count", &google__protobuf__struct__descriptor, ss_count },
};

static struct srv *ss_srv;
static struct rpc_conn ss_conn;

static void ss_start(void)
{
	struct srv_config cfg;
	const char *err = NULL;
	int port = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.addr = "127.0.0.1:0";
	cfg.methods = ss_methods;
	cfg.n_methods = 1;
	cfg.pollers = 2;
	cfg.max_msg = SS_MAX_MSG;
	cfg.max_depth = 8;
	ss_srv = srv_start_streams(&cfg, ss_streams, 1, &port, &err);
	ck_assert_msg(ss_srv != NULL, "srv_start_streams: %s", err ? err : "?");
	ck_assert_int_eq(rpc_connect(&ss_conn, port), 0);
}

/* Build {"n": n, "mode": mode}. */
static Google__Protobuf__Struct *ss_req(struct arena *a, int n, const char *mode)
{
	Google__Protobuf__Struct *s = arena_alloc(a, sizeof(*s));
	Google__Protobuf__Struct__FieldsEntry **ep = arena_alloc(a, 2 * sizeof(*ep));
	google__protobuf__struct__init(s);
	for (int k = 0; k < 2; k++) {
		ep[k] = arena_alloc(a, sizeof(**ep));
		google__protobuf__struct__fields_entry__init(ep[k]);
		ep[k]->value = arena_alloc(a, sizeof(*ep[k]->value));
		google__protobuf__value__init(ep[k]->value);
	}
	ep[0]->key = "n";
	ep[0]->value->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE;
	ep[0]->value->number_value = n;
	ep[1]->key = "mode";
	ep[1]->value->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
	ep[1]->value->string_value = (char *)mode;
	s->n_fields = 2;
	s->fields = ep;
	return s;
}

/* Run a stream to its end; returns the number of replies, checking they count 0, 1, 2... */
static int ss_collect(struct arena *a, int n, const char *mode, grpc_status_code *status, char **details)
{
	struct rpc_stream s;
	ProtobufCMessage *m;
	int got = 0, rc;

	ck_assert_int_eq(rpc_stream_start(&s, &ss_conn, "/test.S/Count", &ss_req(a, n, mode)->base, T_MS), 0);
	while ((rc = rpc_stream_next(&s, &google__protobuf__struct__descriptor, T_MS, &m)) == 1) {
		int i = (int)ss_num((void *)m, "i");
		protobuf_c_message_free_unpacked(m, NULL);
		ck_assert_msg(i == got, "reply %d carries %d", got, i);
		got++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(rpc_stream_status(&s, T_MS), 0);
	*status = s.status;
	*details = strdup(s.details);
	rpc_stream_free(&s);
	return got;
}

START_TEST(many_replies_in_order_from_a_thread)
{
	struct arena a;
	grpc_status_code st;
	char *det;

	arena_init(&a, 0);
	ck_assert_int_eq(ss_collect(&a, 3000, "thread", &st, &det), 3000);
	ck_assert_int_eq(st, GRPC_STATUS_OK);
	free(det);
	ck_assert_int_eq(ss_collect(&a, 0, "thread", &st, &det), 0);
	ck_assert_int_eq(st, GRPC_STATUS_OK);
	free(det);
	arena_release(&a);
}
END_TEST

START_TEST(replies_from_the_handler_itself)
{
	struct arena a;
	grpc_status_code st;
	char *det;

	arena_init(&a, 0);
	ck_assert_int_eq(ss_collect(&a, 200, "inline", &st, &det), 200);
	ck_assert_int_eq(st, GRPC_STATUS_OK);
	free(det);
	arena_release(&a);
}
END_TEST

START_TEST(error_status_without_replies)
{
	struct arena a;
	grpc_status_code st;
	char *det;

	arena_init(&a, 0);
	ck_assert_int_eq(ss_collect(&a, 0, "fail", &st, &det), 0);
	ck_assert_int_eq(st, GRPC_STATUS_FAILED_PRECONDITION);
	ck_assert_str_eq(det, "told to fail");
	free(det);
	arena_release(&a);
}
END_TEST

START_TEST(oversize_reply_refused)
{
	struct arena a;
	grpc_status_code st;
	char *det;

	arena_init(&a, 0);
	atomic_store(&ss_big_send, 0);
	/* Reply 1 is refused by srv_stream_send; replies 0 and 2 arrive. */
	struct rpc_stream s;
	ProtobufCMessage *m;
	int seen[3] = { 0, 0, 0 }, n = 0, rc;
	ck_assert_int_eq(rpc_stream_start(&s, &ss_conn, "/test.S/Count", &ss_req(&a, 0, "big")->base, T_MS), 0);
	while ((rc = rpc_stream_next(&s, &google__protobuf__struct__descriptor, T_MS, &m)) == 1) {
		int i = (int)ss_num((void *)m, "i");
		protobuf_c_message_free_unpacked(m, NULL);
		ck_assert(i >= 0 && i < 3);
		seen[i]++;
		n++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(rpc_stream_status(&s, T_MS), 0);
	ck_assert_int_eq(s.status, GRPC_STATUS_OK);
	rpc_stream_free(&s);
	ck_assert_int_eq(n, 2);
	ck_assert(seen[0] == 1 && seen[1] == 0 && seen[2] == 1);
	ck_assert_int_eq(atomic_load(&ss_big_send), -EMSGSIZE);
	(void)st;
	(void)det;
	arena_release(&a);
}
END_TEST

START_TEST(bad_requests_never_reach_the_handler)
{
	struct arena a;
	struct rpc_stream s;
	ProtobufCMessage *m;
	int before = atomic_load(&ss_handler_calls);

	arena_init(&a, 0);
	/* Nested deeper than max_depth (8): answered by the server itself. */
	Google__Protobuf__Struct *top = ss_req(&a, 1, "thread"), *cur = top;
	for (int d = 0; d < 12; d++) {
		Google__Protobuf__Struct *in = ss_req(&a, 1, "thread");
		cur->fields[0]->value->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE;
		cur->fields[0]->value->struct_value = in;
		cur = in;
	}
	ck_assert_int_eq(rpc_stream_start(&s, &ss_conn, "/test.S/Count", &top->base, T_MS), 0);
	ck_assert_int_eq(rpc_stream_next(&s, &google__protobuf__struct__descriptor, T_MS, &m), 0);
	ck_assert_int_eq(rpc_stream_status(&s, T_MS), 0);
	ck_assert_int_eq(s.status, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_msg(strstr(s.details, "nested deeper"), "details '%s'", s.details);
	rpc_stream_free(&s);
	ck_assert_int_eq(atomic_load(&ss_handler_calls), before);

	/* A unary method next to the stream still answers, and unknown ones get UNIMPLEMENTED. */
	struct rpc_result r;
	ck_assert_int_eq(rpc_call(&ss_conn, "/test.S/Echo", &ss_req(&a, 5, "x")->base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);
	ck_assert_int_eq(rpc_call_raw(&ss_conn, "/test.S/Nope", "", 0, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_UNIMPLEMENTED);
	rpc_result_free(&r);
	arena_release(&a);
}
END_TEST

START_TEST(client_cancel_runs_the_callback)
{
	struct arena a;
	struct rpc_stream s;
	ProtobufCMessage *m;

	arena_init(&a, 0);
	atomic_store(&ss_cancel_calls, 0);
	atomic_store(&ss_send_after_cancel, 1);
	ck_assert_int_eq(rpc_stream_start(&s, &ss_conn, "/test.S/Count", &ss_req(&a, 0, "wait_cancel")->base, T_MS),
			 0);
	ck_assert_int_eq(rpc_stream_next(&s, &google__protobuf__struct__descriptor, T_MS, &m), 1);
	protobuf_c_message_free_unpacked(m, NULL);
	rpc_stream_cancel(&s);
	double end = rpc_now_ms() + 5000;
	while (atomic_load(&ss_send_after_cancel) == 1 && rpc_now_ms() < end)
		nanosleep(&(struct timespec){ 0, 2000000L }, NULL);
	ck_assert_int_eq(atomic_load(&ss_cancel_calls), 1);
	ck_assert_int_eq(atomic_load(&ss_send_after_cancel), -ECANCELED);
	ck_assert_int_eq(rpc_stream_status(&s, T_MS), 0);
	ck_assert_int_eq(s.status, GRPC_STATUS_CANCELLED);
	rpc_stream_free(&s);
	arena_release(&a);
}
END_TEST

START_TEST(stop_cancels_a_stream_in_flight)
{
	struct arena a;
	struct rpc_stream s;
	ProtobufCMessage *m;

	arena_init(&a, 0);
	atomic_store(&ss_cancel_calls, 0);
	ck_assert_int_eq(rpc_stream_start(&s, &ss_conn, "/test.S/Count", &ss_req(&a, 0, "wait_cancel")->base, T_MS),
			 0);
	ck_assert_int_eq(rpc_stream_next(&s, &google__protobuf__struct__descriptor, T_MS, &m), 1);
	protobuf_c_message_free_unpacked(m, NULL);
	double t0 = rpc_now_ms();
	/* The stream never ends by itself: the grace passes, the call is cancelled, the handler finishes. */
	ck_assert_int_eq(srv_stop(ss_srv, 200, 5000), 0);
	ck_assert_msg(rpc_now_ms() - t0 < 2000, "stop took %.0f ms", rpc_now_ms() - t0);
	ck_assert_int_eq(atomic_load(&ss_cancel_calls), 1);
	srv_free(ss_srv);
	ss_srv = NULL;
	ck_assert_int_ne(rpc_stream_status(&s, T_MS) == 0 ? s.status : GRPC_STATUS_UNKNOWN, GRPC_STATUS_OK);
	rpc_stream_free(&s);
	rpc_close(&ss_conn);
	ss_start();
	arena_release(&a);
}
END_TEST

int main(void)
{
	int failed;

	grpc_init();
	Suite *s = suite_create("server_stream");
	TCase *tc = tcase_create("streams");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, ss_start, NULL);
	tcase_add_test(tc, many_replies_in_order_from_a_thread);
	tcase_add_test(tc, replies_from_the_handler_itself);
	tcase_add_test(tc, error_status_without_replies);
	tcase_add_test(tc, oversize_reply_refused);
	tcase_add_test(tc, bad_requests_never_reach_the_handler);
	tcase_add_test(tc, client_cancel_runs_the_callback);
	tcase_add_test(tc, stop_cancels_a_stream_in_flight);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (ss_srv) {
		rpc_close(&ss_conn);
		if (srv_stop(ss_srv, 300, 5000) == 0)
			srv_free(ss_srv);
		else
			failed++;
	}
	grpc_shutdown_blocking();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
