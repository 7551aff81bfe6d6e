/*
 * soak.c - load and soak test against the real analyzer binary, loopback only.
 *
 *   pc_soak [--calls N] [--callers N] [--stack-resources N] [--seconds S]
 *
 * 16 callers (default) send a mix of valid, unknown-valued, secret-bearing
 * and malformed requests built from every fixture, while one more caller
 * repeats AnalyzeStack over 10,000 resources. Every answer is compared with
 * the answer the same code gives in-process (byte for byte for valid
 * requests, INVALID_ARGUMENT for malformed ones). RSS is sampled through
 * /proc and printed as a curve; after warm-up it must stay flat.
 *
 * Bounded by --calls and --seconds (whichever comes first). Exit 0 when
 * there were zero wrong answers, no crash and flat RSS; 1 otherwise.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer.h"
#include "pbdepth.h"
#include "rpc_client.h"

struct item {
	const char *method;
	uint8_t *req;
	size_t len;
	grpc_status_code want_status;
	uint8_t *want;               /* expected response bytes (OK only) */
	size_t want_len;
	const char *kind;            /* valid / unknown / secret / malformed */
};

static struct item *items;
static size_t n_items, cap_items;
static struct item stack_item;
static struct pack pk;
static struct an_state an;
static struct arena A;                 /* everything the mix needs, for the whole run */

static atomic_long calls_done, wrong, stack_calls;
static atomic_int stop;
static long max_calls = 1000000;
static int callers = 16, seconds = 600, stack_resources = 10000;
static int port;

/* The answer the in-process handler gives (what the server must send). */
static void expect(struct item *it, const ProtobufCMessageDescriptor *d)
{
	size_t n;
	const struct srv_method *m = an_methods(&an, &n), *method = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].path, it->method) == 0)
			method = &m[i];
	struct arena a;
	arena_init(&a, 0);
	unsigned char st[ARENA_PB_ALLOCATOR_SIZE];
	ProtobufCMessage *req = NULL;
	if (pbdepth_check(d, it->req, it->len, SRV_DEFAULT_MAX_DEPTH) == PBDEPTH_OK)
		req = protobuf_c_message_unpack(d, arena_protobuf_allocator(&a, st), it->len, it->req);
	if (!req) {
		it->want_status = GRPC_STATUS_INVALID_ARGUMENT;
	} else {
		struct srv_reply out = { GRPC_STATUS_OK, NULL, NULL, NULL, 0 };
		method->handler(&an, &a, req, &out);
		it->want_status = out.status;
		if (out.status == GRPC_STATUS_OK && out.msg) {
			it->want_len = protobuf_c_message_get_packed_size(out.msg);
			it->want = arena_alloc(&A, it->want_len ? it->want_len : 1);
			protobuf_c_message_pack(out.msg, it->want);
		}
	}
	arena_release(&a);
}

static void add(const char *method, const ProtobufCMessage *m, const char *kind, const uint8_t *raw, size_t rawlen)
{
	if (n_items == cap_items) {
		cap_items = cap_items ? cap_items * 2 : 256;
		items = realloc(items, cap_items * sizeof(*items));
	}
	struct item *it = &items[n_items++];
	memset(it, 0, sizeof(*it));
	it->method = method;
	it->kind = kind;
	if (m) {
		it->len = protobuf_c_message_get_packed_size(m);
		it->req = arena_alloc(&A, it->len ? it->len : 1);
		protobuf_c_message_pack(m, it->req);
	} else {
		it->len = rawlen;
		it->req = arena_alloc(&A, rawlen ? rawlen : 1);
		memcpy(it->req, raw, rawlen);
	}
	expect(it, &pulumirpc__analyze_request__descriptor);
}

static pv_value *secret_of(pv_value *inner)
{
	pv_value *o = pv_obj_with(&A, pv_new_obj(&A), PV_SIG_KEY, pv_new_str(&A, PV_SIG_SECRET));
	return pv_obj_with(&A, o, "value", inner);
}

/* Every other top-level string becomes unknown (or secret). */
static const pv_value *variant(const pv_value *props, int secret)
{
	pv_value *o = pv_copy(&A, props);
	for (size_t i = 0; o && i < o->struct_value->n_fields; i += 2) {
		pv_value *v = o->struct_value->fields[i]->value;
		if (v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE)
			o->struct_value->fields[i]->value = secret ? secret_of(v) : pv_new_str(&A, PV_UNKNOWN_STRING);
	}
	return o;
}

static void build_mix(void)
{
	char **files;
	size_t nf = pct_fixture_files(&files);
	struct pol_resource *all = NULL;
	size_t n_all = 0;
	for (size_t f = 0; f < nf; f++) {
		size_t len;
		const char *err = NULL;
		char *text = resjson_read_file(&A, files[f], &len, &err);
		struct resjson_doc d;
		if (!text || resjson_load(&A, text, len, &d, &err) < 0)
			continue;
		all = realloc(all, (n_all + d.n) * sizeof(*all));
		memcpy(all + n_all, d.outputs, d.n * sizeof(*all));
		n_all += d.n;
		for (size_t i = 0; i < d.n; i++) {
			struct pol_resource r = d.inputs[i];
			add(RPC_M("Analyze"), &rpc_analyze_request(&A, &r)->base, "valid", NULL, 0);
			r.props = variant(d.inputs[i].props, 0);
			add(RPC_M("Analyze"), &rpc_analyze_request(&A, &r)->base, "unknown", NULL, 0);
			r.props = variant(d.inputs[i].props, 1);
			add(RPC_M("Analyze"), &rpc_analyze_request(&A, &r)->base, "secret", NULL, 0);
		}
	}
	pct_files_free(files, nf);
	/* Malformed: garbage, a truncated request, a wrong wire type. */
	static const uint8_t garbage[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0x05 };
	add(RPC_M("Analyze"), NULL, "malformed", garbage, sizeof(garbage));
	if (n_items > 1 && items[0].len > 4)
		add(RPC_M("Analyze"), NULL, "malformed", items[0].req, items[0].len - 3);
	static const uint8_t wrongtype[] = { 0x12, 0x03, 0x0a, 0x01 };
	add(RPC_M("Analyze"), NULL, "malformed", wrongtype, sizeof(wrongtype));

	/* AnalyzeStack over stack_resources resources: the fixtures, repeated with distinct URNs. */
	Pulumirpc__AnalyzeStackRequest sreq = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	sreq.n_resources = n_all ? (size_t)stack_resources : 0;
	sreq.resources = arena_alloc(&A, (sreq.n_resources ? sreq.n_resources : 1) * sizeof(*sreq.resources));
	for (size_t i = 0; i < sreq.n_resources; i++) {
		struct pol_resource r = all[i % n_all];
		if (i >= n_all)
			r.urn = arena_printf(&A, "%s-%zu", r.urn, i / n_all);
		sreq.resources[i] = rpc_stack_resource(&A, &r);
	}
	stack_item.method = RPC_M("AnalyzeStack");
	stack_item.kind = "stack";
	stack_item.len = pulumirpc__analyze_stack_request__get_packed_size(&sreq);
	stack_item.req = arena_alloc(&A, stack_item.len);
	pulumirpc__analyze_stack_request__pack(&sreq, stack_item.req);
	expect(&stack_item, &pulumirpc__analyze_stack_request__descriptor);
	free(all);
}

static int check_answer(const struct item *it, const struct rpc_result *r)
{
	if (r->status != it->want_status)
		return 0;
	if (it->want_status != GRPC_STATUS_OK)
		return 1;
	return r->len == it->want_len && (r->len == 0 || memcmp(r->data, it->want, r->len) == 0);
}

static void *caller(void *arg)
{
	long id = (long)arg;
	struct rpc_conn c;
	if (rpc_connect(&c, port) < 0) {
		atomic_fetch_add(&wrong, 1);
		return NULL;
	}
	unsigned seed = (unsigned)id * 2654435761u;
	while (!atomic_load(&stop)) {
		long k = atomic_fetch_add(&calls_done, 1);
		if (k >= max_calls)
			break;
		seed = seed * 1103515245u + 12345u;
		const struct item *it = &items[(seed >> 8) % n_items];
		struct rpc_result r;
		rpc_call_raw(&c, it->method, it->req, it->len, 30000, &r);
		if (!check_answer(it, &r)) {
			if (atomic_fetch_add(&wrong, 1) < 5)
				fprintf(stderr, "wrong answer (%s request): status %d (want %d) %s\n", it->kind,
					(int)r.status, (int)it->want_status, r.details);
		}
		rpc_result_free(&r);
	}
	rpc_close(&c);
	return NULL;
}

static void *stack_caller(void *arg)
{
	(void)arg;
	struct rpc_conn c;
	if (rpc_connect(&c, port) < 0)
		return NULL;
	while (!atomic_load(&stop) && atomic_load(&calls_done) < max_calls) {
		struct rpc_result r;
		rpc_call_raw(&c, stack_item.method, stack_item.req, stack_item.len, 60000, &r);
		if (!check_answer(&stack_item, &r)) {
			atomic_fetch_add(&wrong, 1);
			fprintf(stderr, "wrong AnalyzeStack answer: status %d %s\n", (int)r.status, r.details);
		}
		atomic_fetch_add(&stack_calls, 1);
		rpc_result_free(&r);
	}
	rpc_close(&c);
	return NULL;
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
			max_calls = atol(argv[++i]);
		else if (strcmp(argv[i], "--callers") == 0 && i + 1 < argc)
			callers = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--stack-resources") == 0 && i + 1 < argc)
			stack_resources = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: pc_soak [--calls N] [--callers N] [--stack-resources N] [--seconds S]\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	char *err = NULL;
	arena_init(&A, 0);
	if (pack_init(&pk, &err) < 0 || an_init(&an, &pk, 0) < 0) {
		fprintf(stderr, "soak: %s\n", err ? err : "init");
		return 1;
	}
	build_mix();
	if (n_items < 4) {
		fprintf(stderr, "soak: no fixtures to build a request mix from\n");
		return 1;
	}
	grpc_init();
	struct rpc_proc p;
	struct rpc_spawn_opts o;
	memset(&o, 0, sizeof(o));
	o.no_valgrind = 1;
	if (rpc_spawn(&p, &o) < 0) {
		fprintf(stderr, "soak: cannot start the analyzer\n");
		return 1;
	}
	port = p.port;
	printf("soak: %zu request kinds, %d callers, %ld calls, AnalyzeStack of %d resources in parallel\n", n_items,
	       callers, max_calls, stack_resources);
	pthread_t *th = calloc((size_t)callers + 1, sizeof(*th));
	for (long i = 0; i < callers; i++)
		pthread_create(&th[i], NULL, caller, (void *)i);
	pthread_create(&th[callers], NULL, stack_caller, NULL);

	/*
	 * RSS curve: one sample a second. Concurrent 10,000-resource AnalyzeStack
	 * calls make RSS swing by tens of MB, so "flat" compares the trend: the
	 * mean of the last quarter of samples against the mean of the second
	 * quarter (after warm-up). A leak shows as a rising mean; a swing does not.
	 */
	double t0 = rpc_now_ms();
	long warm = -1, peak_after = 0, last = 0;
	size_t n_samples = 0, cap_samples = 0;
	long *samples = NULL;
	printf("%8s %10s %10s %8s\n", "seconds", "calls", "rss_kb", "stacks");
	while (atomic_load(&calls_done) < max_calls && (rpc_now_ms() - t0) < seconds * 1000.0) {
		sleep(1);
		long calls = atomic_load(&calls_done), kb = rss_kb(p.pid);
		if (kb < 0)
			break;   /* the server is gone: counted below */
		printf("%8.0f %10ld %10ld %8ld\n", (rpc_now_ms() - t0) / 1000.0, calls, kb, atomic_load(&stack_calls));
		fflush(stdout);
		if (warm < 0 && calls >= max_calls / 5)
			warm = kb;
		else if (warm >= 0 && kb > peak_after)
			peak_after = kb;
		last = kb;
		if (n_samples == cap_samples) {
			cap_samples = cap_samples ? cap_samples * 2 : 256;
			samples = realloc(samples, cap_samples * sizeof(*samples));
		}
		samples[n_samples++] = kb;
	}
	atomic_store(&stop, 1);
	for (int i = 0; i <= callers; i++)
		pthread_join(th[i], NULL);
	double secs = (rpc_now_ms() - t0) / 1000.0;
	long done = atomic_load(&calls_done);
	if (done > max_calls)
		done = max_calls;
	int crashed = rpc_wait(&p, 0) == 0 && p.exited;   /* exited on its own = crashed */
	rpc_signal(&p, SIGINT);
	int rc = rpc_wait(&p, 10000);
	int clean_exit = rc == 0 && p.exit_code == 0;
	/* Flat: the last quarter's mean RSS stays within max(10%, 8 MB) of the second quarter's. */
	double q2 = 0, q4 = 0;
	size_t nq = n_samples / 4;
	for (size_t i = 0; nq && i < nq; i++) {
		q2 += (double)samples[nq + i] / (double)nq;
		q4 += (double)samples[n_samples - nq + i] / (double)nq;
	}
	double allowed = q2 / 10 > 8192 ? q2 / 10 : 8192;
	int flat = nq == 0 || q4 <= q2 + allowed;
	free(samples);
	printf("soak: %ld calls in %.1f s (%.0f calls/s), %ld AnalyzeStack, %ld wrong answers, crash: %s, "
	       "exit after SIGINT: %s, RSS warm %ld KB -> peak %ld KB -> last %ld KB, quarter means %.0f -> %.0f KB (%s)\n",
	       done, secs, done / (secs > 0 ? secs : 1), atomic_load(&stack_calls), atomic_load(&wrong),
	       crashed ? "yes" : "no", clean_exit ? "0" : "not clean", warm, peak_after, last, q2, q4,
	       flat ? "flat" : "GROWING");
	rpc_proc_free(&p);
	an_free(&an);
	pack_free(&pk);
	arena_release(&A);
	free(items);
	free(th);
	grpc_shutdown();
	return (atomic_load(&wrong) == 0 && !crashed && clean_exit && flat) ? 0 : 1;
}
