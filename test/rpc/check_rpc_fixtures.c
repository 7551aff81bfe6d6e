/*
 * check_rpc_fixtures.c - every fixture under test/fixtures through the real
 * gRPC server, in the engine's order: Configure (the fixture's config, as
 * the engine would reconcile it), ConfigureStack, Analyze per resource
 * (inputs, with its provider), AnalyzeStack once (outputs). The answers must
 * meet the fixture's expectations (pct_expect, shared with check mode) and
 * equal what check mode computes in process. Runs with CK_FORK=no.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grpc/grpc.h>

#include "arena.h"
#include "pctest.h"
#include "rpc_client.h"

#define T_MS 30000

static struct rpc_proc server;
static struct rpc_conn conn;
static int server_ok;
static char **files;
static size_t n_files;

/* The run of the current test, freed by the teardown even when an assertion fails (no fork). */
static struct pct_run cur;
static int cur_live;

static void run_teardown(void)
{
	if (cur_live)
		pct_run_free(&cur);
	cur_live = 0;
}

/* Make a call and decode the AnalyzeResponse into test diagnostics copied into `a`. */
static size_t call_analysis(struct arena *a, const char *method, const ProtobufCMessage *req, struct pct_diag **out,
			    const char *what)
{
	struct rpc_result r;
	struct pct_diag *d;
	int bad = 0;

	ck_assert_int_eq(rpc_call(&conn, method, req, T_MS, &r), 0);
	ck_assert_msg(r.status == GRPC_STATUS_OK, "%s: %s: status %d: %s", what, method, r.status, r.details);
	Pulumirpc__AnalyzeResponse *resp =
		(Pulumirpc__AnalyzeResponse *)rpc_result_unpack(&r, &pulumirpc__analyze_response__descriptor);
	ck_assert_msg(resp != NULL, "%s: undecodable AnalyzeResponse", what);
	size_t n = rpc_diags(a, resp, &d, &bad);
	ck_assert_msg(!bad, "%s: a DISABLED or REMEDIATE level went over the wire", what);
	for (size_t i = 0; i < n; i++) {
		d[i].policy = arena_strdup(a, d[i].policy);
		d[i].urn = arena_strdup(a, d[i].urn);
		d[i].message = arena_strdup(a, d[i].message);
	}
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	rpc_result_free(&r);
	*out = d;
	return n;
}

/* Run a loaded fixture through the server; returns the diagnostics (from run->arena). */
static size_t run_over_rpc(struct pct_run *run, const char *what, struct pct_diag **out)
{
	struct arena *a = &run->arena;
	const struct resjson_doc *doc = &run->doc;
	struct pack_layer layer = { 0, NULL };
	struct pack_stack_args sa;
	struct rpc_result r;
	char *err = NULL;

	if (doc->config) {
		char *text = pv_to_json(a, doc->config);
		ck_assert_ptr_nonnull(text);
		ck_assert_msg(pack_layer_parse_json(a, text, strlen(text), &layer, &err) == 0, "%s: %s", what, err);
	}
	Pulumirpc__ConfigureAnalyzerRequest *cq = rpc_configure_request(a, pct_pack(), &layer);
	ck_assert_ptr_nonnull(cq);
	ck_assert_int_eq(rpc_call(&conn, RPC_M("Configure"), &cq->base, T_MS, &r), 0);
	ck_assert_msg(r.status == GRPC_STATUS_OK, "%s: Configure: %d %s", what, r.status, r.details);
	rpc_result_free(&r);

	ck_assert_int_eq(resjson_stack_args(a, doc, &sa), 0);
	Pulumirpc__AnalyzerStackConfigureRequest *sq = rpc_stack_configure_request(a, &sa);
	ck_assert_ptr_nonnull(sq);
	ck_assert_int_eq(rpc_call(&conn, RPC_M("ConfigureStack"), &sq->base, T_MS, &r), 0);
	ck_assert_msg(r.status == GRPC_STATUS_OK, "%s: ConfigureStack: %d %s", what, r.status, r.details);
	rpc_result_free(&r);

	size_t cap = 16, n = 0;
	struct pct_diag *all = arena_alloc(a, cap * sizeof(*all));
	for (size_t i = 0; i <= doc->n; i++) {
		struct pct_diag *d;
		size_t k;
		if (i < doc->n) {
			Pulumirpc__AnalyzeRequest *q = rpc_analyze_request(a, &doc->inputs[i]);
			ck_assert_ptr_nonnull(q);
			k = call_analysis(a, RPC_M("Analyze"), &q->base, &d, what);
		} else {
			Pulumirpc__AnalyzeStackRequest q = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
			q.resources = arena_alloc(a, (doc->n + 1) * sizeof(*q.resources));
			for (size_t j = 0; j < doc->n; j++)
				ck_assert_ptr_nonnull(q.resources[j] = rpc_stack_resource(a, &doc->outputs[j]));
			q.n_resources = doc->n;
			k = call_analysis(a, RPC_M("AnalyzeStack"), &q.base, &d, what);
		}
		if (n + k > cap) {
			while (n + k > cap)
				cap *= 2;
			struct pct_diag *na = arena_alloc(a, cap * sizeof(*na));
			memcpy(na, all, n * sizeof(*na));
			all = na;
		}
		memcpy(all + n, d, k * sizeof(*d));
		n += k;
	}
	*out = all;
	return n;
}

static void check_one(const char *what, struct pct_run *run, int is_fail)
{
	struct pct_diag *d;
	size_t n = run_over_rpc(run, what, &d);
	const char *problem = pct_expect(&run->arena, &run->doc, is_fail, d, n);
	ck_assert_msg(problem == NULL, "%s over gRPC:%s", what, problem ? problem : "");
	/* Same verdicts as check mode, word for word. */
	const char *diff = rpc_diags_diff(&run->arena, d, n, run->d, run->n);
	ck_assert_msg(diff == NULL, "%s: gRPC vs check mode: %s", what, diff ? diff : "");
}

START_TEST(fixture_over_rpc)
{
	const char *path = files[_i];
	int kind = pct_fixture_kind(path);

	ck_assert(server_ok);
	ck_assert_msg(kind >= 0, "%s: fixture names end in .fail.json or .fixed.json", path);
	cur_live = 1;
	ck_assert_msg(pct_run_file(&cur, path) == 0, "%s: %s", path, cur.err ? cur.err : "?");
	check_one(path, &cur, kind == 1);
}
END_TEST

/* Messages over all canary runs that hid something: the canary test must reach the redaction. */
static size_t canary_hidden;

/*
 * Every fixture with every string a secret (pctest.h): the analyzer skips
 * redaction for what it found free of secrets (pol_resource.plain_props),
 * check mode never does, so equal messages with no canary in them mean the
 * analyzer's skipping never let one through.
 */
START_TEST(canary_over_rpc)
{
	const char *path = files[_i];
	struct arena a;
	struct pct_diag *d;

	ck_assert(server_ok);
	arena_init(&a, 0);
	char *json = pct_canary_fixture(&a, path);
	cur_live = 1;
	ck_assert_msg(pct_run_json(&cur, json) == 0, "%s: %s", path, cur.err ? cur.err : "?");
	size_t n = run_over_rpc(&cur, path, &d);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(strstr(d[i].message, PCT_CANARY) == NULL, "%s: %s leaked a secret over gRPC:\n%s", path,
			      d[i].policy, d[i].message);
		canary_hidden += strstr(d[i].message, "[secret]") != NULL;
	}
	const char *diff = rpc_diags_diff(&cur.arena, d, n, cur.d, cur.n);
	ck_assert_msg(diff == NULL, "%s with secrets: gRPC vs check mode: %s", path, diff ? diff : "");
	arena_release(&a);
}
END_TEST

/* The pipeline itself, independent of which fixtures exist yet. */
START_TEST(inline_fixture_over_rpc)
{
	static const char fail_json[] =
		"{\"title\": \"bucket on the default provider\", \"seed\": \"\","
		" \"stack\": {\"stack\": \"dev\", \"project\": \"proj\", \"organization\": \"acme\", \"dryRun\": true,"
		"   \"config\": {\"aws:region\": \"us-east-1\"}, \"tags\": {}},"
		" \"config\": {\"aws-provider-default-tags\": \"disabled\"},"
		" \"resources\": ["
		"  {\"type\": \"pulumi:pulumi:Stack\", \"urn\": \"urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev\","
		"   \"name\": \"proj-dev\", \"properties\": {}},"
		"  {\"type\": \"aws:s3/bucketV2:BucketV2\", \"urn\": \"urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::logs\","
		"   \"name\": \"logs\", \"parent\": \"urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev\","
		"   \"properties\": {\"bucket\": \"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"}}],"
		" \"expect\": [{\"policy\": \"aws-explicit-provider-required\","
		"   \"urn\": \"urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::logs\", \"level\": \"mandatory\"}]}";
	ck_assert(server_ok);
	cur_live = 1;
	ck_assert_msg(pct_run_json(&cur, fail_json) == 0, "%s", cur.err ? cur.err : "?");
	check_one("inline.fail.json", &cur, 1);
}
END_TEST

int main(void)
{
	struct rpc_spawn_opts o = { 0 };
	int failed;

	grpc_init();
	pct_pack();
	n_files = pct_fixture_files(&files);
	server_ok = rpc_spawn(&server, &o) == 0 && rpc_connect(&conn, server.port) == 0;
	if (server_ok) {
		/* The engine's opening calls, once per process. */
		const char *opening[] = { RPC_M("GetPluginInfo"), RPC_M("GetAnalyzerInfo") };
		for (size_t i = 0; i < 2; i++) {
			struct rpc_result r;
			if (rpc_call_raw(&conn, opening[i], "", 0, T_MS, &r) != 0 || r.status != GRPC_STATUS_OK)
				server_ok = 0;
			rpc_result_free(&r);
		}
	}

	Suite *s = suite_create("rpc-fixtures");
	TCase *tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 120 * rpc_time_scale());
	tcase_add_checked_fixture(tc, NULL, run_teardown);
	tcase_add_test(tc, inline_fixture_over_rpc);
	if (n_files) {
		tcase_add_loop_test(tc, fixture_over_rpc, 0, (int)n_files);
		tcase_add_loop_test(tc, canary_over_rpc, 0, (int)n_files);
	}
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fprintf(stderr, "check_rpc_fixtures: %zu fixture files, %zu messages with secrets hidden\n", n_files,
		canary_hidden);
	if (n_files && !canary_hidden) {
		fprintf(stderr, "check_rpc_fixtures: no canary run hid a secret: the canary test reached no redaction\n");
		failed++;
	}

	rpc_close(&conn);
	if (server_ok) {
		/* The engine's teardown: SIGINT, then the exit status must be clean. */
		rpc_signal(&server, SIGINT);
		if (rpc_wait(&server, 10000 * rpc_time_scale()) < 0 || server.exit_code != 0) {
			fprintf(stderr, "check_rpc_fixtures: server exit %d after SIGINT\n", server.exit_code);
			failed++;
		}
	}
	rpc_proc_free(&server);
	pct_files_free(files, n_files);
	pack_free(pct_pack());
	grpc_shutdown_blocking();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
