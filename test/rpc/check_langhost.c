/*
 * check_langhost.c - the real pulumi-language-c over gRPC, driven the way
 * the engine drives it: InstallDependencies on installed pack directories
 * (good and broken), RunPlugin starting the real analyzer (port line first,
 * then real Analyze calls against it), exit codes, cancellation killing
 * the child's process group, shutdown, and the catch-all. Runs with
 * CK_FORK=no; the streaming client lives here (rpc_client.h is unary).
 */
#define _XOPEN_SOURCE 700   /* realpath, getpgid */

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <grpc/grpc.h>

#include "arena.h"
#include "google/protobuf/empty.pb-c.h"
#include "google/protobuf/struct.pb-c.h"
#include "pctest.h"
#include "pulumi/analyzer.pb-c.h"
#include "pulumi/language.pb-c.h"
#include "pulumi/plugin.pb-c.h"
#include "rpc_client.h"
#include "rpc_stream.h"

#ifndef PC_LANGHOST_BIN
#error "PC_LANGHOST_BIN is set by langhost/CMakeLists.txt"
#endif

#define T_MS 10000
#define LM(name) "/pulumirpc.LanguageRuntime/" name

static struct rpc_proc host;
static struct rpc_conn conn;
static int host_ok;
static char tmp_root[] = "/tmp/pc-langhost.XXXXXX";

/* A second host a test started (killed by the teardown if the test failed). */
static struct rpc_proc extra;
static int extra_live;

static void extra_teardown(void)
{
	if (extra_live) {
		rpc_proc_free(&extra);
		extra_live = 0;
	}
}

/* ---- files ---------------------------------------------------------------------------- */

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void mkdirs(const char *path)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static const char *platform(void)
{
	/* Same spelling as lh_platform(). */
#if defined(__x86_64__)
	return "linux-amd64";
#elif defined(__aarch64__)
	return "linux-arm64";
#else
	return "linux-unknown";
#endif
}

/* A pack directory under tmp_root with this PulumiPolicy.yaml (NULL: none) and optional shipped analyzer script. */
static const char *make_pack(struct arena *a, const char *name, const char *yaml, const char *script)
{
	char *dir = arena_printf(a, "%s/%s", tmp_root, name);
	mkdirs(dir);
	if (yaml)
		write_file(arena_printf(a, "%s/PulumiPolicy.yaml", dir), yaml, 0644);
	if (script) {
		char *bin = arena_printf(a, "%s/bin/%s", dir, platform());
		mkdirs(bin);
		write_file(arena_printf(a, "%s/pulumi-analyzer-policy-c", bin), script, 0755);
	}
	return dir;
}

static const char *pack_yaml = "runtime: c\nname: aws-guard-c\ndescription: test pack\n";

/* ---- the streaming client, asserting --------------------------------------------------- */

#define ts_stream rpc_stream

static void ts_start(struct ts_stream *s, struct rpc_conn *c, const char *method, const ProtobufCMessage *msg)
{
	ck_assert_int_eq(rpc_stream_start(s, c, method, msg, T_MS), 0);
}

/* The next reply (default allocator; free it), or NULL at the end of the stream. */
static ProtobufCMessage *ts_next(struct ts_stream *s, const ProtobufCMessageDescriptor *d, int timeout_ms)
{
	ProtobufCMessage *m = NULL;
	int rc = rpc_stream_next(s, d, timeout_ms, &m);
	ck_assert_msg(rc >= 0, "no (valid) stream message within %d ms", timeout_ms);
	return m;
}

/* Read the final status (after the last message). */
static grpc_status_code ts_status(struct ts_stream *s)
{
	ck_assert_int_eq(rpc_stream_status(s, T_MS), 0);
	return s->status;
}

#define ts_cancel rpc_stream_cancel
#define ts_free rpc_stream_free

/* ---- RunPlugin transcripts ------------------------------------------------------------------ */

struct transcript {
	char out[65536];
	size_t n_out;
	char err[65536];
	size_t n_err;
	int has_exit;
	int exitcode;
	grpc_status_code status;
	const char *details;
};

static void append(char *buf, size_t *n, const ProtobufCBinaryData *d)
{
	size_t k = d->len;
	if (*n + k >= 65536)
		k = 65535 - *n;
	memcpy(buf + *n, d->data, k);
	*n += k;
	buf[*n] = '\0';
}

/* Consume one RunPlugin message into `t`; 0 at the end of the stream. */
static int transcript_step(struct ts_stream *s, struct transcript *t, int timeout_ms)
{
	Pulumirpc__RunPluginResponse *m =
		(void *)ts_next(s, &pulumirpc__run_plugin_response__descriptor, timeout_ms);
	if (!m)
		return 0;
	switch (m->output_case) {
	case PULUMIRPC__RUN_PLUGIN_RESPONSE__OUTPUT_STDOUT:
		append(t->out, &t->n_out, &m->stdout);
		break;
	case PULUMIRPC__RUN_PLUGIN_RESPONSE__OUTPUT_STDERR:
		append(t->err, &t->n_err, &m->stderr);
		break;
	case PULUMIRPC__RUN_PLUGIN_RESPONSE__OUTPUT_EXITCODE:
		ck_assert_msg(!t->has_exit, "two exit codes");
		t->has_exit = 1;
		t->exitcode = m->exitcode;
		break;
	default:
		ck_abort_msg("RunPlugin message without output");
	}
	protobuf_c_message_free_unpacked(&m->base, NULL);
	return 1;
}

static void transcript_all(struct ts_stream *s, struct transcript *t)
{
	while (transcript_step(s, t, T_MS))
		;
	t->status = ts_status(s);
	t->details = s->details;
}

/* Read stdout until a full first line; returns it as a port. */
static int read_port(struct ts_stream *s, struct transcript *t)
{
	while (!memchr(t->out, '\n', t->n_out))
		ck_assert_msg(transcript_step(s, t, T_MS), "stream ended before the port line (stderr: %s)", t->err);
	return atoi(t->out);
}

/* A RunPlugin request as the engine builds it (ExecPlugin -> langhost.RunPlugin). */
static void run_request(Pulumirpc__RunPluginRequest *q, Pulumirpc__ProgramInfo *info, const char *pack,
			const char *pwd, char **args, size_t n_args, char **env, size_t n_env)
{
	pulumirpc__run_plugin_request__init(q);
	pulumirpc__program_info__init(info);
	info->root_directory = (char *)pack;
	info->program_directory = (char *)pack;
	info->entry_point = ".";
	q->info = info;
	q->pwd = (char *)pwd;
	q->args = args;
	q->n_args = n_args;
	q->env = env;
	q->n_env = n_env;
	q->kind = "analyzer";
	q->name = "aws-guard-c (analyzer)";
}

/* ---- processes ------------------------------------------------------------------------ */

static int proc_alive(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && rp[2] != 'Z';
}

static pid_t proc_ppid(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *rp = strrchr(buf, ')');
	int ppid = -1;
	if (rp)
		sscanf(rp + 2, "%*c %d", &ppid);
	return ppid;
}

/* Read /proc/PID/<what> (NUL-separated) into buf, NULs turned into `sep`. */
static size_t proc_read(pid_t pid, const char *what, char *buf, size_t cap, char sep)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = sep;
	buf[n] = '\0';
	return n;
}

/* The child of `parent` whose command line contains `needle`, or -1. */
static pid_t find_child(pid_t parent, const char *needle)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = -1;
	char cmd[8192];

	while (d && (e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(e->d_name);
		if (pid <= 0 || proc_ppid(pid) != parent)
			continue;
		if (proc_read(pid, "cmdline", cmd, sizeof(cmd), ' ') && strstr(cmd, needle)) {
			found = pid;
			break;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static int wait_gone(pid_t pid, int ms)
{
	double end = rpc_now_ms() + (double)ms * rpc_time_scale();
	while (rpc_now_ms() < end) {
		if (!proc_alive(pid))
			return 0;
		nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
	}
	return -1;
}

/* ---- tests ------------------------------------------------------------------------------ */

START_TEST(startup_and_plugin_info)
{
	struct rpc_result r;

	ck_assert_msg(host_ok, "the language host did not start");
	ck_assert_int_gt(host.port, 0);
	ck_assert_int_eq(rpc_call_raw(&conn, LM("GetPluginInfo"), "", 0, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	Pulumirpc__PluginInfo *pi = (void *)rpc_result_unpack(&r, &pulumirpc__plugin_info__descriptor);
	ck_assert_ptr_nonnull(pi);
	ck_assert_str_eq(pi->version, PC_VERSION);
	protobuf_c_message_free_unpacked(&pi->base, NULL);
	rpc_result_free(&r);
}
END_TEST

START_TEST(unknown_methods_unimplemented)
{
	static const char *const paths[] = { "", LM("Run"), LM("GenerateProgram"), LM("Pack"),
					     "/pulumirpc.Analyzer/Analyze" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct rpc_result r;
		double t0 = rpc_now_ms();
		ck_assert_int_eq(rpc_call_raw(&conn, paths[i], "", 0, T_MS, &r), 0);
		ck_assert_msg(r.status == GRPC_STATUS_UNIMPLEMENTED, "'%s': status %d %s", paths[i], r.status,
			      r.details);
		ck_assert_msg(rpc_now_ms() - t0 < 2000.0 * rpc_time_scale(), "'%s' was slow", paths[i]);
		rpc_result_free(&r);
	}
}
END_TEST

START_TEST(unary_methods)
{
	struct arena a;
	struct rpc_result r;
	Pulumirpc__ProgramInfo info = PULUMIRPC__PROGRAM_INFO__INIT;

	arena_init(&a, 0);
	const char *pack = make_pack(&a, "about", pack_yaml, NULL);
	info.root_directory = info.program_directory = (char *)pack;

	Pulumirpc__GetRequiredPackagesRequest rp = PULUMIRPC__GET_REQUIRED_PACKAGES_REQUEST__INIT;
	rp.info = &info;
	ck_assert_int_eq(rpc_call(&conn, LM("GetRequiredPackages"), &rp.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	ck_assert_uint_eq(r.len, 0);   /* no packages, no specs */
	rpc_result_free(&r);

	Pulumirpc__GetRequiredPluginsRequest rq = PULUMIRPC__GET_REQUIRED_PLUGINS_REQUEST__INIT;
	rq.info = &info;
	ck_assert_int_eq(rpc_call(&conn, LM("GetRequiredPlugins"), &rq.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	ck_assert_uint_eq(r.len, 0);
	rpc_result_free(&r);

	Pulumirpc__AboutRequest ab = PULUMIRPC__ABOUT_REQUEST__INIT;
	ab.info = &info;
	ck_assert_int_eq(rpc_call(&conn, LM("About"), &ab.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	Pulumirpc__AboutResponse *about = (void *)rpc_result_unpack(&r, &pulumirpc__about_response__descriptor);
	ck_assert_ptr_nonnull(about);
	ck_assert_str_eq(about->version, PC_VERSION);
	char real[4096];
	ck_assert_ptr_nonnull(realpath(PC_ANALYZER_BIN, real));
	ck_assert_str_eq(about->executable, real);   /* the analyzer next to the host */
	protobuf_c_message_free_unpacked(&about->base, NULL);
	rpc_result_free(&r);

	Pulumirpc__LanguageHandshakeRequest hs = PULUMIRPC__LANGUAGE_HANDSHAKE_REQUEST__INIT;
	hs.engine_address = "127.0.0.1:1";
	ck_assert_int_eq(rpc_call(&conn, LM("Handshake"), &hs.base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);

	ck_assert_int_eq(rpc_call_raw(&conn, LM("Cancel"), "", 0, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);

	/* Garbage is answered by the server, not the handlers. */
	ck_assert_int_eq(rpc_call_raw(&conn, LM("About"), "\xff\xff\xff", 3, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_INVALID_ARGUMENT);
	rpc_result_free(&r);
	arena_release(&a);
}
END_TEST

/* InstallDependencies for `dir` as the engine's installRequiredPolicy asks; returns the status. */
static grpc_status_code install(struct rpc_conn *c, const char *dir, char *out, size_t cap, char **details)
{
	Pulumirpc__InstallDependenciesRequest q = PULUMIRPC__INSTALL_DEPENDENCIES_REQUEST__INIT;
	Pulumirpc__ProgramInfo info = PULUMIRPC__PROGRAM_INFO__INIT;
	struct ts_stream s;
	Pulumirpc__InstallDependenciesResponse *m;
	size_t n = 0;

	info.root_directory = info.program_directory = (char *)dir;
	info.entry_point = ".";
	q.info = dir ? &info : NULL;
	q.is_plugin = 1;
	out[0] = '\0';
	ts_start(&s, c, LM("InstallDependencies"), &q.base);
	while ((m = (void *)ts_next(&s, &pulumirpc__install_dependencies_response__descriptor, 20000)) != NULL) {
		size_t k = m->stdout.len < cap - 1 - n ? m->stdout.len : cap - 1 - n;
		memcpy(out + n, m->stdout.data, k);
		n += k;
		out[n] = '\0';
		protobuf_c_message_free_unpacked(&m->base, NULL);
	}
	grpc_status_code st = ts_status(&s);
	*details = strdup(s.details);
	ts_free(&s);
	return st;
}

START_TEST(install_good_packs)
{
	static const char *const yamls[] = {
		"runtime: c\nname: aws-guard-c\n",
		"name: aws-guard-c\nruntime:\n  name: c\n  options:\n    config: policy.json\nversion: 1.2.3\n",
		"runtime: {name: \"c\", options: {}}\n",
		"# comment\nruntime: 'c'   # the C analyzer\n",
	};
	struct arena a;
	char out[4096], real[4096], *det;

	arena_init(&a, 0);
	ck_assert_ptr_nonnull(realpath(PC_ANALYZER_BIN, real));
	for (size_t i = 0; i < sizeof(yamls) / sizeof(yamls[0]); i++) {
		const char *pack = make_pack(&a, arena_printf(&a, "good%zu", i), yamls[i], NULL);
		grpc_status_code st = install(&conn, pack, out, sizeof(out), &det);
		ck_assert_msg(st == GRPC_STATUS_OK, "yaml %zu: status %d: %s", i, st, det);
		ck_assert_msg(strstr(out, real) && strstr(out, "pulumi-analyzer-policy-c " PC_VERSION),
			      "yaml %zu: stdout '%s'", i, out);
		free(det);
	}
	/* A pack that ships its own analyzer for this platform runs that one. */
	const char *shipped = make_pack(&a, "shipped", pack_yaml, "#!/bin/sh\necho 'shipped-analyzer 9.9.9'\n");
	ck_assert_int_eq(install(&conn, shipped, out, sizeof(out), &det), GRPC_STATUS_OK);
	ck_assert_msg(strstr(out, "/shipped/bin/") && strstr(out, "shipped-analyzer 9.9.9"), "stdout '%s'", out);
	free(det);
	arena_release(&a);
}
END_TEST

START_TEST(install_broken_packs)
{
	static const struct {
		const char *name, *yaml, *script, *want;
	} cases[] = {
		{ "noyaml", NULL, NULL, "PulumiPolicy.yaml" },
		{ "noruntime", "name: x\n", NULL, "has no runtime" },
		{ "nodejs", "runtime: nodejs\n", NULL, "runtime nodejs" },
		{ "badbin", "runtime: c\n", "#!/bin/sh\necho 'cannot load libfoo.so' >&2\nexit 3\n", "does not run" },
		{ "notexec", "runtime: c\n", "garbage, not a program", "does not run" },
	};
	struct arena a;
	char out[4096], *det;

	arena_init(&a, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *pack = make_pack(&a, cases[i].name, cases[i].yaml, cases[i].script);
		grpc_status_code st = install(&conn, pack, out, sizeof(out), &det);
		ck_assert_msg(st == GRPC_STATUS_FAILED_PRECONDITION, "%s: status %d: %s", cases[i].name, st, det);
		ck_assert_msg(strstr(det, cases[i].want), "%s: details '%s' lack '%s'", cases[i].name, det,
			      cases[i].want);
		free(det);
	}
	ck_assert_int_eq(install(&conn, arena_printf(&a, "%s/does-not-exist", tmp_root), out, sizeof(out), &det),
			 GRPC_STATUS_FAILED_PRECONDITION);
	free(det);
	ck_assert_int_eq(install(&conn, NULL, out, sizeof(out), &det), GRPC_STATUS_INVALID_ARGUMENT);
	free(det);
	arena_release(&a);
}
END_TEST

/*
 * A copy of the host in a directory of its own, with a PATH that has no
 * analyzer and PULUMI_HOME = `home` (a plugin cache).
 */
static void spawn_lonely_host(struct arena *a, const char *home)
{
	const char *dir = arena_printf(a, "%s/lonely", tmp_root);
	const char *bin = arena_printf(a, "%s/pulumi-language-c", dir);
	mkdirs(dir);
	mkdirs(home);
	ck_assert_int_eq(system(arena_printf(a, "cp '%s' '%s'", PC_LANGHOST_BIN, bin)), 0);
	const char *env[] = { "PATH=/usr/bin:/bin", arena_printf(a, "PULUMI_HOME=%s", home), NULL };
	struct rpc_spawn_opts o = { 0 };
	o.bin = bin;
	o.env = env;
	ck_assert_int_eq(rpc_spawn(&extra, &o), 0);
	extra_live = 1;
}

START_TEST(install_and_run_without_analyzer)
{
	struct arena a;
	struct rpc_conn c2;
	char out[4096], *det;

	arena_init(&a, 0);
	const char *home = arena_printf(&a, "%s/pulumi-home", tmp_root);
	spawn_lonely_host(&a, home);
	ck_assert_int_eq(rpc_connect(&c2, extra.port), 0);
	const char *pack = make_pack(&a, "lonelypack", pack_yaml, NULL);
	ck_assert_int_eq(install(&c2, pack, out, sizeof(out), &det), GRPC_STATUS_FAILED_PRECONDITION);
	ck_assert_msg(strstr(det, "pulumi-analyzer-policy-c not found") && strstr(det, "$PATH") &&
			      strstr(det, "/pulumi-home/plugins"),
		      "details '%s'", det);
	free(det);

	/* `pulumi plugin install analyzer policy-c V --file ...` layouts: ours first, else the newest. */
	static const char *const vers[] = { "0.0.9", "0.0.10", PC_VERSION, "99.0.0" };
	static const char *const want[] = { "0.0.9", "0.0.10", PC_VERSION, PC_VERSION };
	for (int i = 0; i < 4; i++) {
		const char *pd = arena_printf(&a, "%s/plugins/analyzer-policy-c-v%s", home, vers[i]);
		mkdirs(pd);
		write_file(arena_printf(&a, "%s/pulumi-analyzer-policy-c", pd),
			   arena_printf(&a, "#!/bin/sh\necho 'cached %s'\n", vers[i]), 0755);
		ck_assert_int_eq(install(&c2, pack, out, sizeof(out), &det), GRPC_STATUS_OK);
		ck_assert_msg(strstr(out, arena_printf(&a, "(cached %s)", want[i])), "stdout '%s'", out);
		free(det);
	}
	ck_assert_int_eq(system(arena_printf(&a, "rm -rf '%s/plugins'", home)), 0);

	Pulumirpc__RunPluginRequest q;
	Pulumirpc__ProgramInfo info;
	char *args[] = { "127.0.0.1:1" };
	struct ts_stream s;
	struct transcript *t = calloc(1, sizeof(*t));
	run_request(&q, &info, pack, tmp_root, args, 1, NULL, 0);
	ts_start(&s, &c2, LM("RunPlugin"), &q.base);
	transcript_all(&s, t);
	ck_assert_int_eq(t->status, GRPC_STATUS_FAILED_PRECONDITION);
	ck_assert_msg(strstr(t->details, "not found"), "details '%s'", t->details);
	ts_free(&s);
	free(t);
	rpc_close(&c2);
	rpc_proc_free(&extra);
	extra_live = 0;
	arena_release(&a);
}
END_TEST

START_TEST(run_plugin_real_analyzer)
{
	struct arena a;
	struct ts_stream s;
	struct transcript *t = calloc(1, sizeof(*t));
	struct rpc_conn ac;
	struct rpc_result r;
	Pulumirpc__RunPluginRequest q;
	Pulumirpc__ProgramInfo info;
	char *args[] = { "127.0.0.1:1" };
	char *env[] = { "PATH=/usr/bin:/bin", "PC_LANGHOST_TEST=marker-42" };
	char buf[8192], real[4096];

	arena_init(&a, 0);
	const char *pack = make_pack(&a, "realpack", pack_yaml, NULL);
	const char *prog = arena_printf(&a, "%s/program", tmp_root);
	mkdirs(prog);
	run_request(&q, &info, pack, prog, args, 1, env, 2);
	ts_start(&s, &conn, LM("RunPlugin"), &q.base);
	int port = read_port(&s, t);
	ck_assert_int_gt(port, 0);

	/* The analyzer: our child, argv/cwd/env as the engine asked, in its own process group. */
	pid_t pid = find_child(host.pid, pack);
	ck_assert_int_gt(pid, 0);
	proc_read(pid, "cmdline", buf, sizeof(buf), ' ');
	ck_assert_ptr_nonnull(realpath(PC_ANALYZER_BIN, real));
	char *want = arena_printf(&a, "%s --root %s 127.0.0.1:1 ", real, pack);
	ck_assert_msg(strcmp(buf, want) == 0, "argv '%s', want '%s'", buf, want);
	ssize_t k = readlink(arena_printf(&a, "/proc/%d/cwd", (int)pid), buf, sizeof(buf) - 1);
	ck_assert_int_gt(k, 0);
	buf[k] = '\0';
	ck_assert_str_eq(buf, prog);
	proc_read(pid, "environ", buf, sizeof(buf), '\n');
	ck_assert_msg(strstr(buf, "PC_LANGHOST_TEST=marker-42\n"), "environment: %s", buf);
	ck_assert_int_eq(getpgid(pid), pid);

	/* Real calls against the port it printed, as the engine makes them. */
	ck_assert_int_eq(rpc_connect(&ac, port), 0);
	ck_assert_int_eq(rpc_call_raw(&ac, RPC_M("GetAnalyzerInfo"), "", 0, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	Pulumirpc__AnalyzerInfo *ai = (void *)rpc_result_unpack(&r, &pulumirpc__analyzer_info__descriptor);
	ck_assert_ptr_nonnull(ai);
	ck_assert_str_eq(ai->name, "aws-guard-c");
	ck_assert_str_eq(ai->description, "test pack");   /* it read PulumiPolicy.yaml from --root */
	protobuf_c_message_free_unpacked(&ai->base, NULL);
	rpc_result_free(&r);

	struct pct_run run;
	const char *fx = PC_FIXTURES_DIR "/lambda/001-03-python39-runtime.fail.json";
	ck_assert_msg(pct_run_file(&run, fx) == 0, "%s: %s", fx, run.err ? run.err : "?");
	struct pack_stack_args sa;
	ck_assert_int_eq(resjson_stack_args(&a, &run.doc, &sa), 0);
	Pulumirpc__AnalyzerStackConfigureRequest *cs = rpc_stack_configure_request(&a, &sa);
	ck_assert_int_eq(rpc_call(&ac, RPC_M("ConfigureStack"), &cs->base, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);
	size_t mandatory = 0;
	for (size_t i = 0; i < run.doc.n; i++) {
		Pulumirpc__AnalyzeRequest *aq = rpc_analyze_request(&a, &run.doc.inputs[i]);
		ck_assert_int_eq(rpc_call(&ac, RPC_M("Analyze"), &aq->base, T_MS, &r), 0);
		ck_assert_msg(r.status == GRPC_STATUS_OK, "Analyze: %d %s", r.status, r.details);
		Pulumirpc__AnalyzeResponse *ar = (void *)rpc_result_unpack(&r, &pulumirpc__analyze_response__descriptor);
		ck_assert_ptr_nonnull(ar);
		struct pct_diag *d;
		int bad = 0;
		size_t n = rpc_diags(&a, ar, &d, &bad);
		ck_assert(!bad);
		for (size_t j = 0; j < n; j++) {
			ck_assert_msg(pct_count(&run, d[j].policy, d[j].urn, d[j].level) > 0,
				      "over RunPlugin: %s on %s, not found in process", d[j].policy, d[j].urn);
			mandatory += d[j].level == POL_MANDATORY;
		}
		/* The diagnostics borrow from the response: done with them now. */
		protobuf_c_message_free_unpacked(&ar->base, NULL);
		rpc_result_free(&r);
	}
	ck_assert_uint_gt(mandatory, 0);
	pct_run_free(&run);
	rpc_close(&ac);

	/* The engine's Kill: cancel the call. The analyzer (it exits on SIGINT) must go. */
	double t0 = rpc_now_ms();
	ts_cancel(&s);
	ck_assert_msg(wait_gone(pid, 3000) == 0, "the analyzer outlived the cancelled RunPlugin");
	ck_assert_msg(rpc_now_ms() - t0 < 1500.0 * rpc_time_scale(), "took %.0f ms", rpc_now_ms() - t0);
	while (transcript_step(&s, t, T_MS))
		;
	ck_assert_int_eq(ts_status(&s), GRPC_STATUS_CANCELLED);
	ck_assert_msg(t->n_err == 0, "analyzer stderr without -v: %s", t->err);
	ts_free(&s);
	free(t);

	/* The host is still fine. */
	ck_assert_int_eq(rpc_call_raw(&conn, LM("GetPluginInfo"), "", 0, T_MS, &r), 0);
	ck_assert_int_eq(r.status, GRPC_STATUS_OK);
	rpc_result_free(&r);
	arena_release(&a);
}
END_TEST

START_TEST(run_plugin_exit_code_and_output)
{
	struct arena a;
	struct ts_stream s;
	struct transcript *t = calloc(1, sizeof(*t));
	Pulumirpc__RunPluginRequest q;
	Pulumirpc__ProgramInfo info;
	Google__Protobuf__Struct opts = GOOGLE__PROTOBUF__STRUCT__INIT;
	Google__Protobuf__Struct__FieldsEntry fe[2], *fep[2];
	Google__Protobuf__Value v[2];
	char *args[] = { "--logtostderr", "-v=3", "--tracing", "127.0.0.1:9", "127.0.0.1:1" };
	char *env[] = { "PATH=/usr/bin:/bin", "FOO=bar baz" };

	arena_init(&a, 0);
	const char *pack = make_pack(&a, "scripted", pack_yaml,
				     "#!/bin/sh\n"
				     "echo 4242\n"
				     "echo \"args:$*\"\n"
				     "echo \"pwd:$(pwd)\"\n"
				     "echo \"foo:$FOO\"\n"
				     "echo oops >&2\n"
				     "exit 7\n");
	for (int i = 0; i < 2; i++) {
		google__protobuf__struct__fields_entry__init(&fe[i]);
		google__protobuf__value__init(&v[i]);
		fe[i].value = &v[i];
		fep[i] = &fe[i];
	}
	fe[0].key = "config";
	v[0].kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE;
	v[0].string_value = "policy.json";
	fe[1].key = "fast";
	v[1].kind_case = GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE;
	v[1].bool_value = 1;
	opts.n_fields = 2;
	opts.fields = fep;
	run_request(&q, &info, pack, tmp_root, args, 5, env, 2);
	info.options = &opts;
	ts_start(&s, &conn, LM("RunPlugin"), &q.base);
	transcript_all(&s, t);
	ck_assert_msg(t->status == GRPC_STATUS_OK, "status %d: %s", t->status, t->details);
	ck_assert(t->has_exit);
	ck_assert_int_eq(t->exitcode, 7);
	char *want = arena_printf(&a,
				  "4242\nargs:--root %s --logtostderr -v=3 --tracing 127.0.0.1:9 127.0.0.1:1 "
				  "-config=%s/policy.json -fast=true\npwd:%s\nfoo:bar baz\n",
				  pack, pack, tmp_root);
	ck_assert_str_eq(t->out, want);
	ck_assert_str_eq(t->err, "oops\n");
	ts_free(&s);
	free(t);
	arena_release(&a);
}
END_TEST

START_TEST(run_plugin_cancel_kills_stubborn_group)
{
	struct arena a;
	struct ts_stream s;
	struct transcript *t = calloc(1, sizeof(*t));
	Pulumirpc__RunPluginRequest q;
	Pulumirpc__ProgramInfo info;
	char *args[] = { "127.0.0.1:1" };

	arena_init(&a, 0);
	/* Ignores SIGINT, and has a grandchild in its group: only SIGKILL to the group ends both. */
	const char *pack = make_pack(&a, "stubborn", pack_yaml,
				     "#!/bin/sh\n"
				     "trap '' INT\n"
				     "sleep 60 &\n"
				     "echo \"$$ $!\"\n"
				     "wait\n");
	run_request(&q, &info, pack, tmp_root, args, 1, NULL, 0);
	ts_start(&s, &conn, LM("RunPlugin"), &q.base);
	read_port(&s, t);
	int sh = 0, sl = 0;
	ck_assert_int_eq(sscanf(t->out, "%d %d", &sh, &sl), 2);
	ck_assert(proc_alive(sh) && proc_alive(sl));
	double t0 = rpc_now_ms();
	ts_cancel(&s);
	ck_assert_msg(wait_gone(sh, 5000) == 0 && wait_gone(sl, 5000) == 0, "the group survived the cancel");
	double took = rpc_now_ms() - t0;
	/* SIGINT first, SIGKILL 2 s later. */
	ck_assert_msg(took > 1500 && took < 4000.0 * rpc_time_scale(), "took %.0f ms", took);
	ts_free(&s);
	free(t);
	arena_release(&a);
}
END_TEST

START_TEST(run_plugin_other_kinds_and_bad_requests)
{
	struct arena a;
	struct ts_stream s;
	struct transcript *t = calloc(1, sizeof(*t));
	Pulumirpc__RunPluginRequest q;
	Pulumirpc__ProgramInfo info;
	char *args[] = { "127.0.0.1:1" };

	arena_init(&a, 0);
	const char *pack = make_pack(&a, "kinds", pack_yaml, NULL);
	run_request(&q, &info, pack, tmp_root, args, 1, NULL, 0);
	q.kind = "resource";
	ts_start(&s, &conn, LM("RunPlugin"), &q.base);
	transcript_all(&s, t);
	ck_assert_int_eq(t->status, GRPC_STATUS_UNIMPLEMENTED);
	ts_free(&s);

	/* A pack whose analyzer cannot be executed: said on stderr and in the status. */
	memset(t, 0, sizeof(*t));
	const char *bad = make_pack(&a, "noexec", pack_yaml, "#!/nonexistent/interpreter\n");
	run_request(&q, &info, bad, tmp_root, args, 1, NULL, 0);
	ts_start(&s, &conn, LM("RunPlugin"), &q.base);
	transcript_all(&s, t);
	if (host.valgrind) {
		/* valgrind handles the failed exec in the child itself: only a failure is visible. */
		ck_assert(t->status != GRPC_STATUS_OK || (t->has_exit && t->exitcode != 0));
	} else {
		ck_assert_int_eq(t->status, GRPC_STATUS_FAILED_PRECONDITION);
		ck_assert_msg(strstr(t->err, "cannot start"), "stderr '%s'", t->err);
		ck_assert(!t->has_exit);
	}
	ts_free(&s);
	free(t);
	arena_release(&a);
}
END_TEST

START_TEST(sigint_stops_host_and_analyzers)
{
	struct arena a;
	struct rpc_conn c2;
	struct ts_stream s;
	struct transcript *t = calloc(1, sizeof(*t));
	Pulumirpc__RunPluginRequest q;
	Pulumirpc__ProgramInfo info;
	char *args[] = { "127.0.0.1:1" };
	struct rpc_spawn_opts o = { 0 };
	const char *flags[] = { "--logtostderr", "-v=0", "--tracing", "127.0.0.1:9", NULL };
	const char *tail[] = { "extra-positional", NULL };

	arena_init(&a, 0);
	o.bin = PC_LANGHOST_BIN;
	o.flags = flags;
	o.tail = tail;
	ck_assert_int_eq(rpc_spawn(&extra, &o), 0);
	extra_live = 1;
	ck_assert_int_eq(rpc_connect(&c2, extra.port), 0);
	const char *pack = make_pack(&a, "sigint", pack_yaml, NULL);
	run_request(&q, &info, pack, tmp_root, args, 1, NULL, 0);
	ts_start(&s, &c2, LM("RunPlugin"), &q.base);
	ck_assert_int_gt(read_port(&s, t), 0);
	pid_t pid = find_child(extra.pid, pack);
	ck_assert_int_gt(pid, 0);

	double t0 = rpc_now_ms();
	ck_assert_int_eq(rpc_signal(&extra, SIGINT), 0);
	ck_assert_int_eq(rpc_wait(&extra, 5000), 0);
	double took = rpc_now_ms() - t0;
	ck_assert_int_eq(extra.exit_code, 0);
	ck_assert_msg(took < 3000.0 * rpc_time_scale(), "host took %.0f ms to exit", took);
	ck_assert_int_eq(wait_gone(pid, 1000), 0);
	/* The stream ended with the analyzer's exit code or the server's stop. */
	while (transcript_step(&s, t, T_MS))
		;
	ts_status(&s);
	ts_free(&s);
	char *err = rpc_stderr(&extra);
	ck_assert_msg(*err == '\0' || extra.valgrind, "host stderr without -v: %s", err);
	free(err);
	free(t);
	rpc_close(&c2);
	rpc_proc_free(&extra);
	extra_live = 0;
	arena_release(&a);
}
END_TEST

START_TEST(quiet_by_default)
{
	char *out = rpc_stdout_rest(&host);
	ck_assert_msg(*out == '\0', "the host wrote to stdout after the port: %s", out);
	free(out);
	char *err = rpc_stderr(&host);
	ck_assert_msg(*err == '\0' || host.valgrind, "the host wrote to stderr without -v: %s", err);
	free(err);
}
END_TEST

int main(void)
{
	struct rpc_spawn_opts o = { 0 };
	int failed;

	if (!mkdtemp(tmp_root)) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	grpc_init();
	pct_pack();
	o.bin = PC_LANGHOST_BIN;
	host_ok = rpc_spawn(&host, &o) == 0 && rpc_connect(&conn, host.port) == 0;

	Suite *s = suite_create("langhost");
	TCase *m = tcase_create("methods");
	TCase *p = tcase_create("process");
	int to = 120 * rpc_time_scale();
	tcase_set_timeout(m, to);
	tcase_set_timeout(p, to);
	tcase_add_checked_fixture(m, NULL, extra_teardown);
	tcase_add_checked_fixture(p, NULL, extra_teardown);
	tcase_add_test(m, startup_and_plugin_info);
	tcase_add_test(m, unknown_methods_unimplemented);
	tcase_add_test(m, unary_methods);
	tcase_add_test(m, install_good_packs);
	tcase_add_test(m, install_broken_packs);
	tcase_add_test(m, install_and_run_without_analyzer);
	tcase_add_test(p, run_plugin_real_analyzer);
	tcase_add_test(p, run_plugin_exit_code_and_output);
	tcase_add_test(p, run_plugin_cancel_kills_stubborn_group);
	tcase_add_test(p, run_plugin_other_kinds_and_bad_requests);
	tcase_add_test(p, sigint_stops_host_and_analyzers);
	tcase_add_test(p, quiet_by_default);
	suite_add_tcase(s, m);
	suite_add_tcase(s, p);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rpc_close(&conn);
	if (host_ok) {
		/* The engine's shutdown: SIGINT, and a clean exit. */
		rpc_signal(&host, SIGINT);
		if (rpc_wait(&host, 5000) != 0 || host.exit_code != 0) {
			fprintf(stderr, "langhost: the host did not exit cleanly on SIGINT (code %d)\n", host.exit_code);
			failed++;
		}
	}
	rpc_proc_free(&host);
	pack_free(pct_pack());
	grpc_shutdown_blocking();
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
	if (system(cmd) != 0)
		fprintf(stderr, "langhost: could not remove %s\n", tmp_root);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
