/*
 * check_rpc.c - the real analyzer binary over gRPC, started the way the
 * engine starts it: every pulumirpc.Analyzer method with real requests,
 * protocol edge cases (unknown methods, garbage, depth, size limits),
 * concurrency, signals and the command line. Runs with CK_FORK=no.
 *
 * Results are compared with the in-process runner (pct_pack) wherever the
 * server's answer is a judgement, so these tests check the transport and
 * the conversions, not the policies.
 */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <grpc/grpc.h>

#include "arena.h"
#include "google/protobuf/empty.pb-c.h"
#include "pctest.h"
#include "pulumi/plugin.pb-c.h"
#include "rpc_client.h"
#include "runner.h"
#include "stack.h"

#define T_MS 10000   /* per-call deadline (scaled under valgrind) */

/* The shared server: exe mode, no flags, like `--policy-pack ./binary`. */
static struct rpc_proc shared;
static struct rpc_conn conn;
static int shared_ok;

/* A dedicated process a test started; killed by the teardown if the test failed. */
static struct rpc_proc extra;
static int extra_live;

static void extra_teardown(void)
{
	if (extra_live) {
		rpc_proc_free(&extra);
		extra_live = 0;
	}
}

static const char empty_bytes[1];

/* ---- helpers ----------------------------------------------------------------------- */

static const pv_value *json(struct arena *a, const char *text)
{
	const char *err = NULL;
	const pv_value *v = pv_parse_json(a, text, strlen(text), &err);
	ck_assert_msg(v != NULL, "bad test JSON: %s", err ? err : "?");
	return v;
}

static Google__Protobuf__Struct *json_struct(struct arena *a, const char *text)
{
	const pv_value *v = json(a, text);
	ck_assert_int_eq(v->kind_case, GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE);
	return v->struct_value;
}

/* A resource as the engine would describe it; provider_json NULL = default provider. */
static struct pol_resource make_res(struct arena *a, const char *type, const char *name, const char *props,
				    const char *prov_props)
{
	struct pol_resource r;
	memset(&r, 0, sizeof(r));
	r.type = arena_strdup(a, type);
	r.name = arena_strdup(a, name);
	r.urn = arena_printf(a, "urn:pulumi:dev::proj::%s::%s", type, name);
	r.props = json(a, props);
	if (prov_props) {
		r.provider_type = "pulumi:providers:aws";
		r.provider_name = "aws-west";
		r.provider_urn = "urn:pulumi:dev::proj::pulumi:providers:aws::aws-west";
		r.provider_props = json(a, prov_props);
	} else {
		r.provider_type = "pulumi:providers:aws";
		r.provider_name = "default_7_48_0";
		r.provider_urn = "urn:pulumi:dev::proj::pulumi:providers:aws::default_7_48_0";
		r.provider_props = json(a, "{\"region\":\"us-east-1\"}");
	}
	r.parent = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
	return r;
}

static void call_ok(struct rpc_conn *c, const char *method, const ProtobufCMessage *req, struct rpc_result *r)
{
	ck_assert_int_eq(rpc_call(c, method, req, T_MS, r), 0);
	ck_assert_msg(r->status == GRPC_STATUS_OK, "%s: status %d: %s", method, r->status, r->details);
}

static void call_empty_ok(struct rpc_conn *c, const char *method, struct rpc_result *r)
{
	ck_assert_int_eq(rpc_call_raw(c, method, empty_bytes, 0, T_MS, r), 0);
	ck_assert_msg(r->status == GRPC_STATUS_OK, "%s: status %d: %s", method, r->status, r->details);
}

/* Configure the server (and the local pack, for comparisons) like the engine would for `layer_json`. */
static void configure_both(struct rpc_conn *c, const char *layer_json)
{
	struct arena a;
	struct pack_layer layer = { 0, NULL };
	char *err = NULL;
	struct rpc_result r;

	arena_init(&a, 0);
	if (layer_json)
		ck_assert_msg(pack_layer_parse_json(&a, layer_json, strlen(layer_json), &layer, &err) == 0, "%s", err);
	Pulumirpc__ConfigureAnalyzerRequest *q = rpc_configure_request(&a, pct_pack(), &layer);
	ck_assert_ptr_nonnull(q);
	call_ok(c, RPC_M("Configure"), &q->base, &r);
	rpc_result_free(&r);
	ck_assert_msg(pack_configure(pct_pack(), &layer, &err) == 0, "%s", err);
	arena_release(&a);
}

/* Analyze `r` over RPC and in process; assert both agree. Returns the RPC diagnostic count. */
static size_t analyze_compare(struct rpc_conn *c, struct arena *a, const struct pol_resource *r)
{
	struct rpc_result res;
	struct run_result local;
	struct pct_diag *d, *ld;
	int bad = 0;

	Pulumirpc__AnalyzeRequest *q = rpc_analyze_request(a, r);
	call_ok(c, RPC_M("Analyze"), &q->base, &res);
	Pulumirpc__AnalyzeResponse *resp =
		(Pulumirpc__AnalyzeResponse *)rpc_result_unpack(&res, &pulumirpc__analyze_response__descriptor);
	ck_assert_ptr_nonnull(resp);
	size_t n = rpc_diags(a, resp, &d, &bad);
	ck_assert_msg(!bad, "a diagnostic level other than advisory/mandatory went over the wire");
	for (size_t i = 0; i < resp->n_diagnostics; i++) {
		ck_assert_str_eq(resp->diagnostics[i]->policypackname, pack_meta.name);
		ck_assert_str_eq(resp->diagnostics[i]->policypackversion, PC_VERSION);
		ck_assert_ptr_nonnull(pack_find(pct_pack(), resp->diagnostics[i]->policyname));
		ck_assert_str_eq(resp->diagnostics[i]->description,
				 pack_find(pct_pack(), resp->diagnostics[i]->policyname)->p->description);
	}

	run_result_init(&local);
	ck_assert_int_eq(run_analyze(pct_pack(), pack_snapshot(pct_pack()), a, r, &local), 0);
	ld = arena_alloc(a, (local.n_diags + 1) * sizeof(*ld));
	for (size_t i = 0; i < local.n_diags; i++) {
		ld[i].policy = local.diags[i].pp->p->name;
		ld[i].urn = local.diags[i].urn;
		ld[i].level = local.diags[i].level == POL_REMEDIATE ? POL_MANDATORY : local.diags[i].level;
		ld[i].message = local.diags[i].message;
	}
	/* Copy the RPC strings into the arena before the response goes. */
	for (size_t i = 0; i < n; i++) {
		d[i].policy = arena_strdup(a, d[i].policy);
		d[i].urn = arena_strdup(a, d[i].urn);
		d[i].message = arena_strdup(a, d[i].message);
	}
	ck_assert_uint_eq(resp->n_not_applicable, local.n_nas);
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	rpc_result_free(&res);
	const char *diff = rpc_diags_diff(a, d, n, ld, local.n_diags);
	ck_assert_msg(diff == NULL, "RPC vs in-process: %s", diff ? diff : "");
	return n;
}

static char *make_tmpdir(void)
{
	char *d = strdup("/tmp/pc-rpc-dir.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void rm_tree(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *plugin_version(struct rpc_conn *c)
{
	struct rpc_result r;
	call_empty_ok(c, RPC_M("GetPluginInfo"), &r);
	Pulumirpc__PluginInfo *pi = (Pulumirpc__PluginInfo *)rpc_result_unpack(&r, &pulumirpc__plugin_info__descriptor);
	ck_assert_ptr_nonnull(pi);
	char *v = strdup(pi->version);
	protobuf_c_message_free_unpacked(&pi->base, NULL);
	rpc_result_free(&r);
	return v;
}

static Pulumirpc__AnalyzerInfo *analyzer_info(struct rpc_conn *c)
{
	struct rpc_result r;
	call_empty_ok(c, RPC_M("GetAnalyzerInfo"), &r);
	Pulumirpc__AnalyzerInfo *info =
		(Pulumirpc__AnalyzerInfo *)rpc_result_unpack(&r, &pulumirpc__analyzer_info__descriptor);
	ck_assert_ptr_nonnull(info);
	rpc_result_free(&r);
	return info;
}

/*
 * Stop a process with `sig` and return how long it took to exit (reported,
 * not asserted). The contract asserted is the engine's: exit 0 on our own
 * before it would SIGKILL us (5 s after SIGINT).
 */
static double stop_with(struct rpc_proc *p, int sig)
{
	double t0 = rpc_now_ms();
	ck_assert_int_eq(rpc_signal(p, sig), 0);
	ck_assert_msg(rpc_wait(p, 5000 * rpc_time_scale()) == 0, "still running 5 s after signal %d: the engine "
		      "would SIGKILL it", sig);
	double took = rpc_now_ms() - t0;
	ck_assert_msg(p->exit_code == 0, "exit code %d after signal %d", p->exit_code, sig);
	return took;
}

/* ---- the methods ---------------------------------------------------------------------- */

START_TEST(startup_contract)
{
	ck_assert(shared_ok);
	ck_assert_int_gt(shared.port, 0);
	fprintf(stderr, "check_rpc: startup to port line %.1f ms\n", shared.startup_ms);
}
END_TEST

START_TEST(handshake_and_configure_stack)
{
	struct arena a;
	struct rpc_result r;
	Pulumirpc__AnalyzerHandshakeRequest hs = PULUMIRPC__ANALYZER_HANDSHAKE_REQUEST__INIT;
	Pulumirpc__AnalyzerStackConfigureRequest cs = PULUMIRPC__ANALYZER_STACK_CONFIGURE_REQUEST__INIT;
	struct pack_kv cfg[] = { { "aws:region", "us-west-2" }, { "app:password", "s3cr3t" } };
	const char *secret_keys[] = { "app:password" };
	struct pack_kv tags[] = { { "team", "platform" } };
	struct pack_stack_args sa = { "dev", "proj", "acme", 1, 2, cfg, 1, secret_keys, 1, tags };

	arena_init(&a, 0);
	hs.engine_address = "127.0.0.1:1";
	call_ok(&conn, RPC_M("Handshake"), &hs.base, &r);
	ck_assert_uint_eq(r.len, 0);
	rpc_result_free(&r);

	Pulumirpc__AnalyzerStackConfigureRequest *q = rpc_stack_configure_request(&a, &sa);
	call_ok(&conn, RPC_M("ConfigureStack"), &q->base, &r);
	rpc_result_free(&r);
	ck_assert_int_eq(pack_set_stack(pct_pack(), &sa), 0);
	/* An empty ConfigureStack is fine too (older engines send less). */
	call_ok(&conn, RPC_M("ConfigureStack"), &cs.base, &r);
	rpc_result_free(&r);
	ck_assert_int_eq(pack_set_stack(pct_pack(), &(struct pack_stack_args){ "", "", "", 0, 0, NULL, 0, NULL, 0, NULL }),
			 0);
	arena_release(&a);
}
END_TEST

START_TEST(get_plugin_info)
{
	char *v = plugin_version(&conn);
	ck_assert_str_eq(v, PC_VERSION);
	free(v);
}
END_TEST

START_TEST(get_analyzer_info)
{
	struct pack *pk = pct_pack();
	Pulumirpc__AnalyzerInfo *info = analyzer_info(&conn);

	ck_assert_str_eq(info->name, pack_meta.name);
	ck_assert_str_eq(info->displayname, pack_meta.display_name);
	ck_assert_str_eq(info->version, PC_VERSION);
	ck_assert_str_eq(info->provider, "aws");
	ck_assert_str_eq(info->description, pack_meta.description);
	ck_assert(info->supportsconfig);
	ck_assert_uint_gt(info->n_tags, 0);
	ck_assert_uint_eq(info->n_initialconfig, 0);
	ck_assert_uint_eq(info->n_policies, pk->n);
	ck_assert_uint_gt(pk->n, 0);
	for (size_t i = 0; i < pk->n; i++) {
		const struct policy *p = pk->policies[i].p;
		const Pulumirpc__PolicyInfo *pi = info->policies[i];
		ck_assert_str_eq(pi->name, p->name);
		ck_assert_str_eq(pi->displayname, p->display_name);
		ck_assert_str_eq(pi->description, p->description);
		ck_assert_int_eq(pi->policy_type, p->check_stack ? PULUMIRPC__POLICY_TYPE__POLICY_TYPE_STACK
								 : PULUMIRPC__POLICY_TYPE__POLICY_TYPE_RESOURCE);
		ck_assert_int_eq((int)pi->severity, (int)p->severity);
		ck_assert_int_eq((int)pi->enforcementlevel, p->level == POL_LEVEL_INHERIT ? 0 : (int)p->level);
		ck_assert_str_eq(pi->remediation_steps, p->remediation_steps ? p->remediation_steps : "");
		ck_assert_str_eq(pi->url, p->url ? p->url : "");
		/* The schema carries the policy's knobs and the common ones, with defaults. */
		ck_assert_msg(pi->configschema && pi->configschema->properties, "%s: no config schema", p->name);
		const Google__Protobuf__Struct *s = pi->configschema->properties;
		int has_unknown = 0, has_exclude = 0;
		for (size_t k = 0; k < s->n_fields; k++) {
			has_unknown |= !strcmp(s->fields[k]->key, "onUnknown");
			has_exclude |= !strcmp(s->fields[k]->key, "exclude");
			ck_assert_msg(strcmp(s->fields[k]->key, "enforcementLevel") != 0, "%s declares enforcementLevel",
				      p->name);
			const Google__Protobuf__Value *v = s->fields[k]->value;
			ck_assert_msg(v && v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE, "%s.%s", p->name,
				      s->fields[k]->key);
		}
		ck_assert_msg(has_unknown && has_exclude, "%s: common knobs missing", p->name);
		ck_assert_uint_eq(s->n_fields, pv_obj_size(pk->policies[i].schema));
		/* Tags: the comma list, split and trimmed. */
		size_t want = 0;
		if (p->tags && *p->tags) {
			want = 1;
			for (const char *t = p->tags; *t; t++)
				want += *t == ',';
		}
		ck_assert_uint_eq(pi->n_tags, want);
		for (size_t k = 0; k < pi->n_tags; k++) {
			ck_assert(*pi->tags[k] && pi->tags[k][0] != ' ' && !strchr(pi->tags[k], ','));
			ck_assert_ptr_nonnull(strstr(p->tags, pi->tags[k]));
		}
		if (p->framework) {
			ck_assert_ptr_nonnull(pi->framework);
			ck_assert_str_eq(pi->framework->name, p->framework->name);
		}
	}
	protobuf_c_message_free_unpacked(&info->base, NULL);
}
END_TEST

START_TEST(configure_all_and_unknown_keys)
{
	struct arena a;
	struct rpc_result r;
	const char *layer_json = "{\"all\": \"mandatory\", \"no-such-policy\": {\"enforcementLevel\": \"advisory\", "
				 "\"whatever\": [1, 2]}, \"aws-provider-default-tags\": \"disabled\"}";

	configure_both(&conn, layer_json);
	arena_init(&a, 0);
	/* A default-provider resource with no tags: with all=mandatory every diagnostic is mandatory. */
	struct pol_resource res = make_res(&a, "aws:s3/bucket:Bucket", "logs", "{\"bucket\": \"logs\"}", NULL);
	size_t n = analyze_compare(&conn, &a, &res);
	ck_assert_uint_gt(n, 0);

	/* A "remediate" level never reaches the wire: it shows as mandatory. */
	configure_both(&conn, "{\"all\": \"remediate\"}");
	ck_assert_uint_gt(analyze_compare(&conn, &a, &res), 0);

	/* Every policy disabled: nothing at all, in particular no DISABLED diagnostic. */
	configure_both(&conn, "{\"all\": \"disabled\"}");
	ck_assert_uint_eq(analyze_compare(&conn, &a, &res), 0);

	/* Only unknown keys: accepted. */
	Pulumirpc__ConfigureAnalyzerRequest q = PULUMIRPC__CONFIGURE_ANALYZER_REQUEST__INIT;
	Pulumirpc__ConfigureAnalyzerRequest__PolicyConfigEntry e =
		PULUMIRPC__CONFIGURE_ANALYZER_REQUEST__POLICY_CONFIG_ENTRY__INIT, *ep = &e;
	Pulumirpc__PolicyConfig pc = PULUMIRPC__POLICY_CONFIG__INIT;
	e.key = "not-a-policy";
	e.value = &pc;
	pc.enforcementlevel = 42;   /* nonsense level on a key we ignore */
	pc.properties = json_struct(&a, "{\"x\": {\"y\": true}}");
	q.n_policyconfig = 1;
	q.policyconfig = &ep;
	call_ok(&conn, RPC_M("Configure"), &q.base, &r);
	rpc_result_free(&r);

	configure_both(&conn, NULL);
	arena_release(&a);
}
END_TEST

START_TEST(configure_invalid)
{
	struct arena a;
	struct rpc_result r;
	Pulumirpc__ConfigureAnalyzerRequest q = PULUMIRPC__CONFIGURE_ANALYZER_REQUEST__INIT;
	Pulumirpc__ConfigureAnalyzerRequest__PolicyConfigEntry e =
		PULUMIRPC__CONFIGURE_ANALYZER_REQUEST__POLICY_CONFIG_ENTRY__INIT, *ep = &e;
	Pulumirpc__PolicyConfig pc = PULUMIRPC__POLICY_CONFIG__INIT;
	const char *name = pct_pack()->policies[0].p->name;

	arena_init(&a, 0);
	e.key = (char *)name;
	e.value = &pc;
	q.n_policyconfig = 1;
	q.policyconfig = &ep;

	/* "exclude" is a common knob of every policy: an array of strings. */
	pc.enforcementlevel = PULUMIRPC__ENFORCEMENT_LEVEL__MANDATORY;
	pc.properties = json_struct(&a, "{\"exclude\": \"not-a-list\"}");
	ck_assert_int_eq(rpc_call(&conn, RPC_M("Configure"), &q.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_msg(strstr(r.details, name) && strstr(r.details, "exclude"), "details: %s", r.details);
	rpc_result_free(&r);

	/* An enforcement level outside the enum. */
	pc.properties = NULL;
	pc.enforcementlevel = 9;
	ck_assert_int_eq(rpc_call(&conn, RPC_M("Configure"), &q.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	rpc_result_free(&r);

	/* The failed calls changed nothing: the server still judges with the defaults. */
	struct pol_resource res = make_res(&a, "aws:s3/bucket:Bucket", "logs", "{\"bucket\": \"logs\"}", NULL);
	analyze_compare(&conn, &a, &res);
	arena_release(&a);
}
END_TEST

START_TEST(analyze_resources)
{
	struct arena a;

	arena_init(&a, 0);
	struct pol_resource rs[] = {
		make_res(&a, "aws:s3/bucket:Bucket", "logs", "{\"bucket\": \"logs\"}", NULL),
		make_res(&a, "aws:s3/bucketV2:BucketV2", "data",
			 "{\"bucket\": \"acme-data\", \"tags\": {\"team\": \"x\"}, \"__defaults\": []}",
			 "{\"region\": \"us-west-2\", \"defaultTags\": \"{\\\"tags\\\":{\\\"team\\\":\\\"x\\\"}}\"}"),
		make_res(&a, "aws:ec2/securityGroup:SecurityGroup", "web",
			 "{\"ingress\": [{\"protocol\": \"tcp\", \"fromPort\": 22, \"toPort\": 22, "
			 "\"cidrBlocks\": [\"0.0.0.0/0\"]}]}",
			 "{\"region\": \"us-west-2\"}"),
		make_res(&a, "aws:lambda/function:Function", "fn",
			 "{\"runtime\": \"04da6b54-80e4-46f7-96ec-b56ff0331ba9\", \"environment\": {\"variables\": "
			 "{\"TOKEN\": {\"4dabf18193072939515e22adb298388d\": \"1b47061264138c4ac30d75fd1eb44270\", "
			 "\"value\": \"hunter2\"}}}}",
			 "{\"region\": \"us-west-2\"}"),
		make_res(&a, "pulumi:providers:aws", "aws-west", "{\"region\": \"us-west-2a\", \"accessKey\": "
			 "\"AKIAABCDEFGHIJKLMNOP\"}", NULL),
		make_res(&a, "", "", "{}", NULL),
	};
	size_t total = 0;
	for (size_t i = 0; i < sizeof(rs) / sizeof(rs[0]); i++)
		total += analyze_compare(&conn, &a, &rs[i]);
	ck_assert_uint_gt(total, 0);

	/* A request with no properties, options or provider at all. */
	struct rpc_result r;
	Pulumirpc__AnalyzeRequest q = PULUMIRPC__ANALYZE_REQUEST__INIT;
	q.type = "aws:sns/topic:Topic";
	call_ok(&conn, RPC_M("Analyze"), &q.base, &r);
	rpc_result_free(&r);
	arena_release(&a);
}
END_TEST

START_TEST(analyze_stack)
{
	struct arena a;
	struct rpc_result r;
	struct run_result local;
	struct pct_diag *d, *ld;
	int bad = 0;
	enum { N = 5 };

	arena_init(&a, 0);
	struct pol_resource rs[N] = {
		make_res(&a, "pulumi:pulumi:Stack", "proj-dev", "{}", NULL),
		make_res(&a, "pulumi:providers:aws", "aws-west", "{\"region\": \"us-west-2\"}", NULL),
		make_res(&a, "aws:s3/bucketV2:BucketV2", "data", "{\"bucket\": \"acme-data\"}", "{\"region\": \"us-west-2\"}"),
		make_res(&a, "aws:s3/bucketPolicy:BucketPolicy", "data-policy",
			 "{\"bucket\": \"acme-data\", \"policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\"}",
			 "{\"region\": \"us-west-2\"}"),
		make_res(&a, "aws:ec2/subnet:Subnet", "a", "{\"cidrBlock\": \"10.0.0.0/33\", \"availabilityZone\": "
			 "\"us-west-2a\"}", "{\"region\": \"us-west-2\"}"),
	};
	rs[0].parent = "";
	char *deps[] = { (char *)rs[2].urn };
	rs[3].n_deps = 1;
	rs[3].deps = deps;
	struct pol_propdep pd = { "bucket", 1, deps };
	rs[3].n_propdeps = 1;
	rs[3].propdeps = &pd;

	Pulumirpc__AnalyzeStackRequest q = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	Pulumirpc__AnalyzerResource *items[N];
	for (size_t i = 0; i < N; i++)
		ck_assert_ptr_nonnull(items[i] = rpc_stack_resource(&a, &rs[i]));
	q.n_resources = N;
	q.resources = items;
	call_ok(&conn, RPC_M("AnalyzeStack"), &q.base, &r);
	Pulumirpc__AnalyzeResponse *resp =
		(Pulumirpc__AnalyzeResponse *)rpc_result_unpack(&r, &pulumirpc__analyze_response__descriptor);
	ck_assert_ptr_nonnull(resp);
	size_t n = rpc_diags(&a, resp, &d, &bad);
	ck_assert(!bad);

	struct stk_index idx;
	ck_assert_int_eq(stk_index_build(&idx, &a, rs, N), 0);
	run_result_init(&local);
	ck_assert_int_eq(run_analyze_stack(pct_pack(), pack_snapshot(pct_pack()), &a, &idx, &local), 0);
	ld = arena_alloc(&a, (local.n_diags + 1) * sizeof(*ld));
	for (size_t i = 0; i < local.n_diags; i++) {
		ld[i].policy = local.diags[i].pp->p->name;
		ld[i].urn = local.diags[i].urn;
		ld[i].level = local.diags[i].level;
		ld[i].message = local.diags[i].message;
	}
	const char *diff = rpc_diags_diff(&a, d, n, ld, local.n_diags);
	ck_assert_msg(diff == NULL, "AnalyzeStack RPC vs in-process: %s", diff ? diff : "");
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	rpc_result_free(&r);

	/* An empty stack. */
	q.n_resources = 0;
	call_ok(&conn, RPC_M("AnalyzeStack"), &q.base, &r);
	rpc_result_free(&r);
	arena_release(&a);
}
END_TEST

START_TEST(remediate)
{
	struct arena a;
	struct rpc_result r;
	/* A function a remediating policy may rewrite, with an internal key and a secret to carry over. */
	const char *props = "{\"runtime\": \"python3.12\", \"handler\": \"index.handler\", \"__defaults\": [\"name\"], "
			    "\"secret\": {\"4dabf18193072939515e22adb298388d\": \"1b47061264138c4ac30d75fd1eb44270\", "
			    "\"value\": \"pw\"}}";

	arena_init(&a, 0);
	configure_both(&conn, "{\"all\": \"remediate\"}");
	struct pol_resource res = make_res(&a, "aws:lambda/function:Function", "fn", props, "{\"region\": \"us-west-2\"}");
	Pulumirpc__AnalyzeRequest *q = rpc_analyze_request(&a, &res);
	call_ok(&conn, RPC_M("Remediate"), &q->base, &r);
	Pulumirpc__RemediateResponse *resp =
		(Pulumirpc__RemediateResponse *)rpc_result_unpack(&r, &pulumirpc__remediate_response__descriptor);
	ck_assert_ptr_nonnull(resp);

	struct run_result local;
	run_result_init(&local);
	ck_assert_int_eq(run_remediate(pct_pack(), pack_snapshot(pct_pack()), &a, &res, &local), 0);
	ck_assert_uint_eq(resp->n_remediations, local.n_rems);
	for (size_t i = 0; i < resp->n_remediations; i++) {
		const Pulumirpc__Remediation *m = resp->remediations[i];
		ck_assert_str_eq(m->policyname, local.rems[i].pp->p->name);
		ck_assert_str_eq(m->policypackname, pack_meta.name);
		/* The full map comes back: internal keys and the secret wrapper are kept. */
		ck_assert_ptr_nonnull(m->properties);
		int saw_defaults = 0, saw_secret = 0;
		for (size_t k = 0; k < m->properties->n_fields; k++) {
			saw_defaults |= !strcmp(m->properties->fields[k]->key, "__defaults");
			if (!strcmp(m->properties->fields[k]->key, "secret")) {
				const Google__Protobuf__Value *v = m->properties->fields[k]->value;
				saw_secret = v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE &&
					     v->struct_value->n_fields == 2;
			}
		}
		ck_assert(saw_defaults && saw_secret);
		/* ... and equals the in-process remediation, member for member. */
		Google__Protobuf__Value got = GOOGLE__PROTOBUF__VALUE__INIT;
		got.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE;
		got.struct_value = m->properties;
		ck_assert_msg(pv_equal(&got, local.rems[i].props), "%s: remediated properties differ", m->policyname);
	}
	if (!resp->n_remediations)
		fprintf(stderr, "check_rpc: no policy remediates this resource; Remediate answered empty\n");
	else
		fprintf(stderr, "check_rpc: Remediate returned %zu remediation(s), full maps kept\n", resp->n_remediations);
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	rpc_result_free(&r);
	configure_both(&conn, NULL);
	arena_release(&a);
}
END_TEST

START_TEST(cancel)
{
	struct rpc_result r;
	call_empty_ok(&conn, RPC_M("Cancel"), &r);
	rpc_result_free(&r);
	/* Still serving after Cancel: the engine may have calls in flight. */
	char *v = plugin_version(&conn);
	free(v);
}
END_TEST

/* ---- protocol edges --------------------------------------------------------------------- */

START_TEST(unknown_methods)
{
	const char *paths[] = { "", RPC_M("NoSuchMethod"), "/pulumirpc.ResourceProvider/Check", "/", "/x" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct rpc_result r;
		/* A method nobody answers would end in DEADLINE_EXCEEDED, not UNIMPLEMENTED. */
		ck_assert_int_eq(rpc_call_raw(&conn, paths[i], "\x0a\x00", 2, T_MS, &r), 0);
		ck_assert_msg(r.status == GRPC_STATUS_UNIMPLEMENTED, "'%s': status %d (%s)", paths[i], r.status,
			      r.details);
		rpc_result_free(&r);
	}
}
END_TEST

START_TEST(garbage_then_ok)
{
	static const uint8_t junk[] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x34 };
	struct rpc_result r;

	ck_assert_int_eq(rpc_call_raw(&conn, RPC_M("Analyze"), junk, sizeof(junk), T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_str_eq(r.details, "malformed pulumirpc.AnalyzeRequest");
	rpc_result_free(&r);
	ck_assert_int_eq(rpc_call_raw(&conn, RPC_M("Configure"), junk, sizeof(junk), T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_str_eq(r.details, "malformed pulumirpc.ConfigureAnalyzerRequest");
	rpc_result_free(&r);
	/* Same connection, next call: served. */
	char *v = plugin_version(&conn);
	ck_assert_str_eq(v, PC_VERSION);
	free(v);
}
END_TEST

/* properties = {"a": {"a": ... 1}} with `depth` objects in all. */
static Google__Protobuf__Struct *deep_struct(struct arena *a, int depth)
{
	Google__Protobuf__Struct *s = arena_alloc(a, sizeof(*s));
	google__protobuf__struct__init(s);
	Google__Protobuf__Struct *cur = s;
	for (int i = 1; i <= depth; i++) {
		Google__Protobuf__Struct__FieldsEntry *e = arena_alloc(a, sizeof(*e));
		Google__Protobuf__Struct__FieldsEntry **f = arena_alloc(a, sizeof(*f));
		Google__Protobuf__Value *v = arena_alloc(a, sizeof(*v));
		google__protobuf__struct__fields_entry__init(e);
		google__protobuf__value__init(v);
		e->key = "a";
		e->value = v;
		f[0] = e;
		cur->n_fields = 1;
		cur->fields = f;
		if (i == depth) {
			v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE;
			v->number_value = 1;
		} else {
			Google__Protobuf__Struct *n = arena_alloc(a, sizeof(*n));
			google__protobuf__struct__init(n);
			v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE;
			v->struct_value = n;
			cur = n;
		}
	}
	return s;
}

START_TEST(struct_depth)
{
	struct arena a;
	struct rpc_result r;
	Pulumirpc__AnalyzeRequest q = PULUMIRPC__ANALYZE_REQUEST__INIT;

	arena_init(&a, 0);
	q.type = "aws:s3/bucket:Bucket";
	q.urn = "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::deep";
	q.properties = deep_struct(&a, PV_MAX_DEPTH);
	call_ok(&conn, RPC_M("Analyze"), &q.base, &r);
	rpc_result_free(&r);

	q.properties = deep_struct(&a, PV_MAX_DEPTH + 1);
	ck_assert_int_eq(rpc_call(&conn, RPC_M("Analyze"), &q.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	ck_assert_msg(strstr(r.details, "deeper") != NULL, "details: %s", r.details);
	rpc_result_free(&r);

	/* Far deeper: refused before decoding (protobuf-c would recurse into the stack). */
	q.properties = deep_struct(&a, 5000);
	ck_assert_int_eq(rpc_call(&conn, RPC_M("Analyze"), &q.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	rpc_result_free(&r);

	/* The same limit guards Remediate and AnalyzeStack. */
	q.properties = deep_struct(&a, PV_MAX_DEPTH + 1);
	ck_assert_int_eq(rpc_call(&conn, RPC_M("Remediate"), &q.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	rpc_result_free(&r);
	Pulumirpc__AnalyzerResource ar = PULUMIRPC__ANALYZER_RESOURCE__INIT, *arp = &ar;
	Pulumirpc__AnalyzeStackRequest sq = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	ar.type = q.type;
	ar.urn = q.urn;
	ar.properties = q.properties;
	sq.n_resources = 1;
	sq.resources = &arp;
	ck_assert_int_eq(rpc_call(&conn, RPC_M("AnalyzeStack"), &sq.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	rpc_result_free(&r);

	char *v = plugin_version(&conn);
	free(v);
	arena_release(&a);
}
END_TEST

/* An Analyze request whose properties hold `n` distinct string members of `len` bytes. */
static void big_request(struct arena *a, Pulumirpc__AnalyzeRequest *q, size_t n, size_t len)
{
	Google__Protobuf__Struct *s = arena_alloc(a, sizeof(*s));
	char *val = arena_alloc(a, len + 1);
	google__protobuf__struct__init(s);
	memset(val, 'x', len);
	s->fields = arena_alloc(a, n * sizeof(*s->fields));
	for (size_t i = 0; i < n; i++) {
		Google__Protobuf__Struct__FieldsEntry *e = arena_alloc(a, sizeof(*e));
		Google__Protobuf__Value *v = arena_alloc(a, sizeof(*v));
		google__protobuf__struct__fields_entry__init(e);
		google__protobuf__value__init(v);
		e->key = arena_printf(a, "k%zu", i);
		v->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
		v->string_value = val;
		e->value = v;
		s->fields[i] = e;
	}
	s->n_fields = n;
	pulumirpc__analyze_request__init(q);
	q->type = "aws:s3/bucket:Bucket";
	q->urn = "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::big";
	q->name = "big";
	q->properties = s;
}

START_TEST(size_limits)
{
	const char *env[] = { "PC_MAX_MSG=1048576", "PC_ARENA_LIMIT=524288", NULL };
	struct rpc_spawn_opts o = { .env = env };
	struct rpc_conn c;
	struct rpc_result r;
	struct arena a;
	Pulumirpc__AnalyzeRequest q;

	ck_assert_int_eq(rpc_spawn(&extra, &o), 0);
	extra_live = 1;
	ck_assert_int_eq(rpc_connect(&c, extra.port), 0);
	arena_init(&a, 0);

	/* 2 MB request against a 1 MiB limit: refused by gRPC before any handler. */
	big_request(&a, &q, 2, 1024 * 1024);
	ck_assert_int_eq(rpc_call(&c, RPC_M("Analyze"), &q.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_RESOURCE_EXHAUSTED);
	rpc_result_free(&r);

	/* 300 KB in 20,000 members: within the message limit, beyond the 512 KiB request arena. */
	big_request(&a, &q, 20000, 8);
	ck_assert_uint_lt(protobuf_c_message_get_packed_size(&q.base), 1048576);
	ck_assert_int_eq(rpc_call(&c, RPC_M("Analyze"), &q.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_RESOURCE_EXHAUSTED);
	rpc_result_free(&r);

	/* And it keeps serving. */
	big_request(&a, &q, 10, 8);
	call_ok(&c, RPC_M("Analyze"), &q.base, &r);
	rpc_result_free(&r);
	rpc_close(&c);
	stop_with(&extra, SIGINT);
	rpc_proc_free(&extra);
	extra_live = 0;
	arena_release(&a);
}
END_TEST

/* ---- concurrency ------------------------------------------------------------------------- */

#define CC_VARIANTS 8
#define CC_THREADS 6
#define CC_CALLS 60

struct cc_case {
	uint8_t *req;
	size_t len;
	uint8_t *want;
	size_t want_len;
};
static struct cc_case cc[CC_VARIANTS];

struct cc_worker {
	int id;
	int bad;
	char why[256];
};

static void *cc_run(void *arg)
{
	struct cc_worker *w = arg;
	for (int i = 0; i < CC_CALLS; i++) {
		const struct cc_case *k = &cc[(i + w->id) % CC_VARIANTS];
		struct rpc_result r;
		if (rpc_call_raw(&conn, RPC_M("Analyze"), k->req, k->len, T_MS, &r) != 0 || r.status != GRPC_STATUS_OK ||
		    r.len != k->want_len || memcmp(r.data, k->want, r.len) != 0) {
			if (!w->bad)
				snprintf(w->why, sizeof(w->why), "call %d: status %d (%s), %zu bytes vs %zu", i, r.status,
					 r.details ? r.details : "", r.len, k->want_len);
			w->bad++;
		}
		rpc_result_free(&r);
	}
	return NULL;
}

START_TEST(concurrent_calls)
{
	struct arena a;
	pthread_t th[CC_THREADS];
	struct cc_worker w[CC_THREADS];
	const char *types[] = { "aws:s3/bucket:Bucket", "aws:ec2/securityGroup:SecurityGroup",
				"aws:lambda/function:Function", "pulumi:providers:aws" };

	arena_init(&a, 0);
	for (int i = 0; i < CC_VARIANTS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "res-%d", i);
		struct pol_resource res = make_res(&a, types[i % 4], name,
						   i % 2 ? "{\"bucket\": \"x\", \"ingress\": [{\"cidrBlocks\": [\"0.0.0.0/0\"], "
							   "\"fromPort\": 22, \"toPort\": 22, \"protocol\": \"tcp\"}]}"
							 : "{\"region\": \"eu-west-1\", \"tags\": {\"a\": \"b\"}}",
						   i % 3 ? "{\"region\": \"us-west-2\"}" : NULL);
		Pulumirpc__AnalyzeRequest *q = rpc_analyze_request(&a, &res);
		cc[i].len = protobuf_c_message_get_packed_size(&q->base);
		cc[i].req = arena_alloc(&a, cc[i].len + 1);
		protobuf_c_message_pack(&q->base, cc[i].req);
		/* The sequential answer is the reference. */
		struct rpc_result r;
		ck_assert_int_eq(rpc_call_raw(&conn, RPC_M("Analyze"), cc[i].req, cc[i].len, T_MS, &r), 0);
		ck_assert_int_eq(r.status, GRPC_STATUS_OK);
		cc[i].want_len = r.len;
		cc[i].want = arena_alloc(&a, r.len + 1);
		memcpy(cc[i].want, r.data, r.len);
		rpc_result_free(&r);
	}
	double t0 = rpc_now_ms();
	for (int i = 0; i < CC_THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i;
		ck_assert_int_eq(pthread_create(&th[i], NULL, cc_run, &w[i]), 0);
	}
	for (int i = 0; i < CC_THREADS; i++)
		pthread_join(th[i], NULL);
	double took = rpc_now_ms() - t0;
	fprintf(stderr, "check_rpc: %d concurrent Analyze calls in %.0f ms (%.0f calls/s)\n", CC_THREADS * CC_CALLS,
		took, CC_THREADS * CC_CALLS / (took / 1000.0));
	for (int i = 0; i < CC_THREADS; i++)
		ck_assert_msg(w[i].bad == 0, "thread %d: %d bad answers; first: %s", i, w[i].bad, w[i].why);
	arena_release(&a);
}
END_TEST

/* ---- signals under load ------------------------------------------------------------------- */

struct load {
	struct rpc_conn *c;
	const uint8_t *req;
	size_t len;
	atomic_int stop;
	atomic_int ok, failed;
};

static void *load_run(void *arg)
{
	struct load *l = arg;
	while (!atomic_load(&l->stop)) {
		struct rpc_result r;
		if (rpc_call_raw(l->c, RPC_M("AnalyzeStack"), l->req, l->len, T_MS, &r) == 0 && r.status == GRPC_STATUS_OK)
			atomic_fetch_add(&l->ok, 1);
		else
			atomic_fetch_add(&l->failed, 1);
		rpc_result_free(&r);
	}
	return NULL;
}

/* A packed AnalyzeStack request with `n` resources. */
static uint8_t *stack_request(struct arena *a, size_t n, size_t *len)
{
	Pulumirpc__AnalyzeStackRequest q = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	q.resources = arena_alloc(a, n * sizeof(*q.resources));
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "b%zu", i);
		struct pol_resource r = make_res(a, i % 2 ? "aws:s3/bucketV2:BucketV2" : "aws:ec2/subnet:Subnet", name,
						 "{\"bucket\": \"acme-data\", \"cidrBlock\": \"10.0.1.0/24\", "
						 "\"availabilityZone\": \"us-west-2a\", \"tags\": {\"team\": \"x\"}}",
						 "{\"region\": \"us-west-2\"}");
		q.resources[i] = rpc_stack_resource(a, &r);
	}
	q.n_resources = n;
	*len = protobuf_c_message_get_packed_size(&q.base);
	uint8_t *b = arena_alloc(a, *len);
	protobuf_c_message_pack(&q.base, b);
	return b;
}

static void signal_under_load(int sig)
{
	struct arena a;
	struct rpc_spawn_opts o = { 0 };
	struct rpc_conn c;
	pthread_t th[4];
	struct load l;

	arena_init(&a, 0);
	ck_assert_int_eq(rpc_spawn(&extra, &o), 0);
	extra_live = 1;
	ck_assert_int_eq(rpc_connect(&c, extra.port), 0);
	memset(&l, 0, sizeof(l));
	l.c = &c;
	/* 2000 resources (~0.8 MB); fewer under valgrind, which is ~30x slower. */
	l.req = stack_request(&a, rpc_time_scale() > 1 ? 200 : 2000, &l.len);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, load_run, &l), 0);
	/* Let the load build up so calls are in flight when the signal lands. */
	double until = rpc_now_ms() + 20000.0 * rpc_time_scale();
	while (atomic_load(&l.ok) < 4) {
		ck_assert_msg(rpc_now_ms() < until, "the load never got going");
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
		ck_assert_int_eq(atomic_load(&l.failed), 0);
	}
	double took = stop_with(&extra, sig);
	atomic_store(&l.stop, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "check_rpc: %s under load (%zu-byte AnalyzeStack x4 threads): exit 0 after %.1f ms "
		"(%d calls answered, %d failed or refused, most after the exit)\n", sig == SIGINT ? "SIGINT" : "SIGTERM", l.len, took,
		atomic_load(&l.ok), atomic_load(&l.failed));
	char *out = rpc_stdout_rest(&extra);
	ck_assert_str_eq(out, "");
	free(out);
	rpc_close(&c);
	rpc_proc_free(&extra);
	extra_live = 0;
	arena_release(&a);
}

START_TEST(sigint_under_load)
{
	signal_under_load(SIGINT);
}
END_TEST

START_TEST(sigterm_under_load)
{
	signal_under_load(SIGTERM);
}
END_TEST

/* ---- command line and modes ----------------------------------------------------------------- */

START_TEST(unknown_flag)
{
	const char *flags[] = { "--no-such-flag", NULL };
	struct rpc_spawn_opts o = { .flags = flags, .no_valgrind = 1 };

	ck_assert_int_eq(rpc_spawn(&extra, &o), -1);
	extra_live = 1;
	ck_assert(extra.exited);
	ck_assert_int_eq(extra.exit_code, 2);
	char *err = rpc_stderr(&extra);
	ck_assert_msg(strstr(err, "unknown flag") && strstr(err, "usage:"), "stderr: %s", err);
	free(err);
	char *out = rpc_stdout_rest(&extra);
	ck_assert_str_eq(out, "");
	free(out);
	rpc_proc_free(&extra);
	extra_live = 0;
}
END_TEST

START_TEST(engine_flags_accepted)
{
	/* Every flag shape the engine (and Go's flag package) may pass. */
	const char *flags[] = { "--logtostderr", "-v=3", "--tracing", "http://127.0.0.1:9/trace", "-logtostderr=true",
				"--v=1", "-tracing=x", NULL };
	struct rpc_spawn_opts o = { .flags = flags };
	struct rpc_conn c;

	ck_assert_int_eq(rpc_spawn(&extra, &o), 0);
	extra_live = 1;
	ck_assert_int_eq(rpc_connect(&c, extra.port), 0);
	char *v = plugin_version(&c);
	ck_assert_str_eq(v, PC_VERSION);
	free(v);
	rpc_close(&c);
	stop_with(&extra, SIGINT);
	/* Verbose logging goes to stderr; stdout stays the port line only. */
	char *out = rpc_stdout_rest(&extra);
	ck_assert_str_eq(out, "");
	free(out);
	rpc_proc_free(&extra);
	extra_live = 0;
}
END_TEST

START_TEST(missing_engine_address)
{
	struct rpc_spawn_opts o = { .no_address = 1, .no_valgrind = 1 };
	ck_assert_int_eq(rpc_spawn(&extra, &o), -1);
	extra_live = 1;
	ck_assert_int_eq(extra.exit_code, 2);
	rpc_proc_free(&extra);
	extra_live = 0;

	/* A word that is not host:port is a mistyped command: usage, not a server. */
	const char *argv[] = { "list", NULL };
	struct rpc_spawn_opts o2 = { .argv = argv, .no_valgrind = 1 };
	ck_assert_int_eq(rpc_spawn(&extra, &o2), -1);
	extra_live = 1;
	ck_assert_int_eq(extra.exit_code, 2);
	char *err = rpc_stderr(&extra);
	ck_assert_msg(strstr(err, "unknown command 'list'"), "stderr: %s", err);
	free(err);
	rpc_proc_free(&extra);
	extra_live = 0;
}
END_TEST

START_TEST(bind_failure)
{
	char listen[64];
	snprintf(listen, sizeof(listen), "PC_LISTEN=127.0.0.1:%d", shared.port);
	const char *env[] = { listen, NULL };
	struct rpc_spawn_opts o = { .env = env };

	ck_assert_int_eq(rpc_spawn(&extra, &o), -1);
	extra_live = 1;
	ck_assert(extra.exited);
	ck_assert_int_eq(extra.exit_code, 4);
	char *err = rpc_stderr(&extra);
	ck_assert_msg(strstr(err, "cannot serve on 127.0.0.1:"), "stderr: %s", err);
	free(err);
	rpc_proc_free(&extra);
	extra_live = 0;
}
END_TEST

START_TEST(pack_directory_mode)
{
	char *dir = make_tmpdir();
	write_file(dir, "PulumiPolicy.yaml", "# test pack\nruntime: c\nname: aws-guard-c\nversion: 2.3.4\n"
					     "description: \"Pack directory description\"\n");
	write_file(dir, "initial.json", "{\"all\": \"advisory\", \"s3-bucket-name-valid\": {\"enforcementLevel\": "
					"\"mandatory\"}, \"not-a-policy\": \"disabled\"}");
	const char *flags[] = { "--logtostderr", "-v=9", NULL };
	const char *tail[] = { ".", "-config=initial.json", "-someoption=1", NULL };
	const char *env[] = { "PULUMI_CONFIG={\"aws:region\":\"eu-west-1\",\"app:dbPassword\":\"hunter2-top-secret\"}",
			      "PULUMI_STACK=dev", "PULUMI_PROJECT=proj", "PULUMI_ORGANIZATION=acme", "PULUMI_DRY_RUN=true",
			      NULL };
	struct rpc_spawn_opts o = { .flags = flags, .tail = tail, .cwd = dir, .env = env };
	struct rpc_conn c;

	ck_assert_int_eq(rpc_spawn(&extra, &o), 0);
	extra_live = 1;
	ck_assert_int_eq(rpc_connect(&c, extra.port), 0);
	char *v = plugin_version(&c);
	ck_assert_str_eq(v, "2.3.4");
	free(v);
	Pulumirpc__AnalyzerInfo *info = analyzer_info(&c);
	ck_assert_str_eq(info->version, "2.3.4");
	ck_assert_str_eq(info->description, "Pack directory description");
	ck_assert_uint_eq(info->n_initialconfig, pct_pack()->n);
	for (size_t i = 0; i < info->n_initialconfig; i++) {
		const Pulumirpc__AnalyzerInfo__InitialConfigEntry *e = info->initialconfig[i];
		int want = !strcmp(e->key, "s3-bucket-name-valid") ? PULUMIRPC__ENFORCEMENT_LEVEL__MANDATORY
								     : PULUMIRPC__ENFORCEMENT_LEVEL__ADVISORY;
		ck_assert_msg((int)e->value->enforcementlevel == want, "%s: level %d", e->key, e->value->enforcementlevel);
		ck_assert_ptr_nonnull(pack_find(pct_pack(), e->key));
	}
	for (size_t i = 0; i < info->n_policies; i++) {
		int want = !strcmp(info->policies[i]->name, "s3-bucket-name-valid") ? 1 : 0;
		ck_assert_int_eq((int)info->policies[i]->enforcementlevel, want);
	}
	protobuf_c_message_free_unpacked(&info->base, NULL);
	rpc_close(&c);
	stop_with(&extra, SIGINT);
	char *out = rpc_stdout_rest(&extra), *err = rpc_stderr(&extra);
	ck_assert_str_eq(out, "");
	ck_assert_msg(strstr(err, "hunter2") == NULL, "a config value leaked to stderr");
	ck_assert_msg(strstr(err, "acme/proj/dev"), "stack from the environment not applied: %s", err);
	free(out);
	free(err);
	rpc_proc_free(&extra);
	extra_live = 0;

	/* A bad -config file is an input error. */
	write_file(dir, "bad.json", "{\"all\": \"loud\"}");
	const char *tail2[] = { ".", "-config=bad.json", NULL };
	struct rpc_spawn_opts o2 = { .tail = tail2, .cwd = dir, .no_valgrind = 1 };
	ck_assert_int_eq(rpc_spawn(&extra, &o2), -1);
	extra_live = 1;
	ck_assert_int_eq(extra.exit_code, 3);
	rpc_proc_free(&extra);
	extra_live = 0;
	rm_tree(dir);
	free(dir);
}
END_TEST

START_TEST(exe_mode_yaml_and_handshake)
{
	char *dir = make_tmpdir(), *root = make_tmpdir(), bin[512], cmd[1200];

	/* A PulumiPolicy.yaml next to the binary overrides the version (exe mode). */
	snprintf(bin, sizeof(bin), "%s/pulumi-analyzer-policy-c", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", PC_ANALYZER_BIN, bin);
	ck_assert_int_eq(system(cmd), 0);
	write_file(dir, "PulumiPolicy.yaml", "version: v3.4.5 # comment\n");
	write_file(root, "PulumiPolicy.yaml", "version: 4.5.6-rc.1\ndescription: Handshake root\n");
	struct rpc_spawn_opts o = { .bin = bin, .cwd = root };
	struct rpc_conn c;

	ck_assert_int_eq(rpc_spawn(&extra, &o), 0);
	extra_live = 1;
	ck_assert_int_eq(rpc_connect(&c, extra.port), 0);
	char *v = plugin_version(&c);
	ck_assert_str_eq(v, "3.4.5");
	free(v);

	/* Handshake names the pack root: its PulumiPolicy.yaml wins from then on. */
	struct rpc_result r;
	Pulumirpc__AnalyzerHandshakeRequest hs = PULUMIRPC__ANALYZER_HANDSHAKE_REQUEST__INIT;
	hs.engine_address = "127.0.0.1:1";
	hs._root_directory_case = PULUMIRPC__ANALYZER_HANDSHAKE_REQUEST___ROOT_DIRECTORY_ROOT_DIRECTORY;
	hs.root_directory = root;
	hs._program_directory_case = PULUMIRPC__ANALYZER_HANDSHAKE_REQUEST___PROGRAM_DIRECTORY_PROGRAM_DIRECTORY;
	hs.program_directory = root;
	call_ok(&c, RPC_M("Handshake"), &hs.base, &r);
	rpc_result_free(&r);
	v = plugin_version(&c);
	ck_assert_str_eq(v, "4.5.6-rc.1");
	free(v);
	Pulumirpc__AnalyzerInfo *info = analyzer_info(&c);
	ck_assert_str_eq(info->description, "Handshake root");
	protobuf_c_message_free_unpacked(&info->base, NULL);

	/* A version that is not semver is ignored (the engine would reject it). */
	write_file(root, "PulumiPolicy.yaml", "version: banana\n");
	call_ok(&c, RPC_M("Handshake"), &hs.base, &r);
	rpc_result_free(&r);
	v = plugin_version(&c);
	ck_assert_str_eq(v, "4.5.6-rc.1");
	free(v);

	/* A root without a PulumiPolicy.yaml is fine. */
	hs.root_directory = "/nonexistent/dir";
	call_ok(&c, RPC_M("Handshake"), &hs.base, &r);
	rpc_result_free(&r);
	rpc_close(&c);
	stop_with(&extra, SIGTERM);
	rpc_proc_free(&extra);
	extra_live = 0;
	rm_tree(dir);
	rm_tree(root);
	free(dir);
	free(root);
}
END_TEST

START_TEST(offline_commands)
{
	const char *v[] = { "--version", NULL };
	const char *h[] = { "--help", NULL };
	const char *l[] = { "--list-policies", "--format", "json", NULL };
	const char *const *cases[] = { v, h, l };

	for (size_t i = 0; i < 3; i++) {
		struct rpc_spawn_opts o = { .argv = cases[i], .no_valgrind = 1 };
		/* These print no port: rpc_spawn reads their first line as "not a port". */
		ck_assert_int_eq(rpc_spawn(&extra, &o), -1);
		extra_live = 1;
		char *rest = rpc_stdout_drain(&extra);
		ck_assert_ptr_nonnull(rest);
		free(rest);
		ck_assert_int_eq(rpc_wait(&extra, 10000), 0);
		ck_assert_msg(extra.exit_code == 0, "%s: exit %d", cases[i][0], extra.exit_code);
		rpc_proc_free(&extra);
		extra_live = 0;
	}
}
END_TEST

/* ---- last: the shared server's own shutdown ------------------------------------------------- */

START_TEST(shared_server_sigterm)
{
	rpc_close(&conn);
	double took = stop_with(&shared, SIGTERM);
	fprintf(stderr, "check_rpc: idle SIGTERM: exit 0 after %.1f ms\n", took);
	char *out = rpc_stdout_rest(&shared);
	ck_assert_str_eq(out, "");
	free(out);
	char *err = rpc_stderr(&shared);
	ck_assert_msg(*err == '\0' || shared.valgrind, "the server wrote to stderr without -v: %s", err);
	free(err);
}
END_TEST

int main(void)
{
	struct rpc_spawn_opts o = { 0 };
	int failed;

	grpc_init();
	pct_pack();
	shared_ok = rpc_spawn(&shared, &o) == 0 && rpc_connect(&conn, shared.port) == 0;

	Suite *s = suite_create("rpc");
	TCase *m = tcase_create("methods");
	TCase *e = tcase_create("edges");
	TCase *p = tcase_create("process");
	TCase *z = tcase_create("shutdown");
	int to = 120 * rpc_time_scale();
	tcase_set_timeout(m, to);
	tcase_set_timeout(e, to);
	tcase_set_timeout(p, to);
	tcase_set_timeout(z, to);
	tcase_add_checked_fixture(e, NULL, extra_teardown);
	tcase_add_checked_fixture(p, NULL, extra_teardown);

	tcase_add_test(m, startup_contract);
	tcase_add_test(m, handshake_and_configure_stack);
	tcase_add_test(m, get_plugin_info);
	tcase_add_test(m, get_analyzer_info);
	tcase_add_test(m, configure_all_and_unknown_keys);
	tcase_add_test(m, configure_invalid);
	tcase_add_test(m, analyze_resources);
	tcase_add_test(m, analyze_stack);
	tcase_add_test(m, remediate);
	tcase_add_test(m, cancel);
	tcase_add_test(e, unknown_methods);
	tcase_add_test(e, garbage_then_ok);
	tcase_add_test(e, struct_depth);
	tcase_add_test(e, size_limits);
	tcase_add_test(e, concurrent_calls);
	tcase_add_test(p, sigint_under_load);
	tcase_add_test(p, sigterm_under_load);
	tcase_add_test(p, unknown_flag);
	tcase_add_test(p, engine_flags_accepted);
	tcase_add_test(p, missing_engine_address);
	tcase_add_test(p, bind_failure);
	tcase_add_test(p, pack_directory_mode);
	tcase_add_test(p, exe_mode_yaml_and_handshake);
	tcase_add_test(p, offline_commands);
	tcase_add_test(z, shared_server_sigterm);
	suite_add_tcase(s, m);
	suite_add_tcase(s, e);
	suite_add_tcase(s, p);
	suite_add_tcase(s, z);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rpc_close(&conn);
	rpc_proc_free(&shared);
	pack_free(pct_pack());
	grpc_shutdown_blocking();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
