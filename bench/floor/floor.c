/*
 * floor.c - the gRPC floor for the benchmarks: a pulumirpc.Analyzer server
 * that does no work at all. Every Analyzer method is registered and answered
 * at once with an empty message (zero bytes decode as the empty value of any
 * proto3 message) and OK; any other method gets UNIMPLEMENTED. The request
 * payload is received (gRPC has to read it anyway) but never decoded.
 *
 * It uses the same gRPC C core, the same thread model (N pollers on one
 * completion queue, N from -t, default 2 like the pack) and the same startup
 * contract as the real analyzer (bind 127.0.0.1:0, port alone on the first
 * stdout line, 400 MiB receive limit, exit on SIGINT/SIGTERM), so whatever
 * a contender spends beyond this server is its own work.
 *
 * Usage: floor [-t THREADS] [engine-address] [.]   (arguments are ignored
 * apart from -t, as the engine's arguments are for a real pack)
 */
#include <grpc/byte_buffer.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/time.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FLOOR_MAX_THREADS 16
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

static const char *const floor_methods[] = {
	"/pulumirpc.Analyzer/Handshake",      "/pulumirpc.Analyzer/ConfigureStack",
	"/pulumirpc.Analyzer/GetPluginInfo",  "/pulumirpc.Analyzer/GetAnalyzerInfo",
	"/pulumirpc.Analyzer/Configure",      "/pulumirpc.Analyzer/Analyze",
	"/pulumirpc.Analyzer/Remediate",      "/pulumirpc.Analyzer/AnalyzeStack",
	"/pulumirpc.Analyzer/Cancel",
};
#define FLOOR_N_METHODS (sizeof(floor_methods) / sizeof(floor_methods[0]))

struct floor_tag {
	void (*on_event)(struct floor_tag *t, bool ok);
};

/* One call in flight; method < 0 is the catch-all. */
struct floor_call {
	struct floor_tag on_request;
	struct floor_tag on_finish;
	int method;
	grpc_call *call;
	gpr_timespec deadline;
	grpc_call_details details;
	grpc_metadata_array md;
	grpc_byte_buffer *payload;
	grpc_byte_buffer *reply;
	int cancelled;
};

static grpc_server *floor_server;
static grpc_completion_queue *floor_cq;
static void *floor_registered[FLOOR_N_METHODS];
static atomic_int floor_live;

static void floor_on_request(struct floor_tag *t, bool ok);
static void floor_on_finish(struct floor_tag *t, bool ok);

static void floor_call_free(struct floor_call *fc)
{
	if (fc->call)
		grpc_call_unref(fc->call);
	if (fc->payload)
		grpc_byte_buffer_destroy(fc->payload);
	if (fc->reply)
		grpc_byte_buffer_destroy(fc->reply);
	grpc_metadata_array_destroy(&fc->md);
	if (fc->method < 0)
		grpc_call_details_destroy(&fc->details);
	free(fc);
	atomic_fetch_sub(&floor_live, 1);
}

/* Ask gRPC for the next call of one method (or of any unregistered one). */
static int floor_arm(int method)
{
	struct floor_call *fc = calloc(1, sizeof(*fc));
	grpc_call_error err;

	if (!fc)
		return -1;
	fc->on_request.on_event = floor_on_request;
	fc->on_finish.on_event = floor_on_finish;
	fc->method = method;
	grpc_metadata_array_init(&fc->md);
	atomic_fetch_add(&floor_live, 1);
	if (method >= 0) {
		err = grpc_server_request_registered_call(floor_server, floor_registered[method], &fc->call,
		                                          &fc->deadline, &fc->md, &fc->payload, floor_cq,
		                                          floor_cq, &fc->on_request);
	} else {
		grpc_call_details_init(&fc->details);
		err = grpc_server_request_call(floor_server, &fc->call, &fc->details, &fc->md, floor_cq,
		                               floor_cq, &fc->on_request);
	}
	if (err != GRPC_CALL_OK) {
		floor_call_free(fc);
		return -1;
	}
	return 0;
}

static void floor_on_request(struct floor_tag *t, bool ok)
{
	struct floor_call *fc = container_of(t, struct floor_call, on_request);
	grpc_op ops[4];
	grpc_slice details = grpc_empty_slice();
	grpc_slice empty = grpc_empty_slice();

	if (!ok) { /* server shutting down */
		floor_call_free(fc);
		return;
	}
	floor_arm(fc->method); /* keep accepting while this call is answered */

	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[1].data.send_status_from_server.status = fc->method >= 0 ? GRPC_STATUS_OK : GRPC_STATUS_UNIMPLEMENTED;
	ops[1].data.send_status_from_server.status_details = &details;
	ops[2].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	ops[2].data.recv_close_on_server.cancelled = &fc->cancelled;
	if (fc->method >= 0) {
		fc->reply = grpc_raw_byte_buffer_create(&empty, 1);
		ops[3].op = GRPC_OP_SEND_MESSAGE;
		ops[3].data.send_message.send_message = fc->reply;
	}
	if (grpc_call_start_batch(fc->call, ops, fc->method >= 0 ? 4 : 3, &fc->on_finish, NULL) != GRPC_CALL_OK)
		floor_call_free(fc);
}

static void floor_on_finish(struct floor_tag *t, bool ok)
{
	(void)ok;
	floor_call_free(container_of(t, struct floor_call, on_finish));
}

static void *floor_poll(void *arg)
{
	(void)arg;
	for (;;) {
		grpc_event ev = grpc_completion_queue_next(floor_cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
		if (ev.type == GRPC_QUEUE_SHUTDOWN)
			break;
		if (ev.type == GRPC_OP_COMPLETE)
			((struct floor_tag *)ev.tag)->on_event(ev.tag, ev.success != 0);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	grpc_arg arg = { .type = GRPC_ARG_INTEGER,
		         .key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
		         .value.integer = 400 << 20 };
	grpc_channel_args args = { .num_args = 1, .args = &arg };
	grpc_server_credentials *creds;
	grpc_completion_queue *shut_cq;
	pthread_t threads[FLOOR_MAX_THREADS];
	sigset_t sigs;
	int nthreads = 2, port, sig, i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			nthreads = atoi(argv[++i]);
	if (nthreads < 1 || nthreads > FLOOR_MAX_THREADS)
		nthreads = 2;

	/* Signals are taken synchronously by main; threads inherit the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	grpc_init();
	floor_server = grpc_server_create(&args, NULL);
	floor_cq = grpc_completion_queue_create_for_next(NULL);
	grpc_server_register_completion_queue(floor_server, floor_cq, NULL);
	for (i = 0; i < (int)FLOOR_N_METHODS; i++)
		floor_registered[i] = grpc_server_register_method(floor_server, floor_methods[i], NULL,
		                                                  GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER, 0);
	creds = grpc_insecure_server_credentials_create();
	port = grpc_server_add_http2_port(floor_server, "127.0.0.1:0", creds);
	grpc_server_credentials_release(creds);
	if (port <= 0) {
		fprintf(stderr, "floor: cannot bind 127.0.0.1:0\n");
		return 1;
	}
	grpc_server_start(floor_server);
	for (i = 0; i < (int)FLOOR_N_METHODS; i++)
		floor_arm(i);
	floor_arm(-1);
	for (i = 0; i < nthreads; i++)
		pthread_create(&threads[i], NULL, floor_poll, NULL);

	printf("%d\n", port);
	fflush(stdout);

	sigwait(&sigs, &sig);

	shut_cq = grpc_completion_queue_create_for_pluck(NULL);
	grpc_server_shutdown_and_notify(floor_server, shut_cq, &shut_cq);
	grpc_server_cancel_all_calls(floor_server);
	grpc_completion_queue_pluck(shut_cq, &shut_cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
	while (atomic_load(&floor_live) > 0) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	grpc_server_destroy(floor_server);
	grpc_completion_queue_shutdown(floor_cq);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	grpc_completion_queue_destroy(floor_cq);
	grpc_completion_queue_shutdown(shut_cq);
	grpc_completion_queue_destroy(shut_cq);
	grpc_shutdown();
	return 0;
}
