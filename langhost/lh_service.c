/*
 * lh_service.c - the pulumirpc.LanguageRuntime methods pulumi-language-c
 * serves. Everything else (Run, Pack, Link, the generators, Template,
 * RuntimeOptionsPrompts) is answered UNIMPLEMENTED by the server's
 * catch-all: a policy pack has no program to run or generate.
 *
 * Status codes of our own:
 *   INVALID_ARGUMENT    no pack directory in the request
 *   FAILED_PRECONDITION the pack is broken: no PulumiPolicy.yaml, another
 *                       runtime, no analyzer binary, or one that does not
 *                       run (message says which and where we looked)
 *   UNIMPLEMENTED       RunPlugin for a plugin kind other than "analyzer"
 *   RESOURCE_EXHAUSTED  out of memory or threads
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "google/protobuf/empty.pb-c.h"
#include "google/protobuf/struct.pb-c.h"
#include "lh.h"
#include "pulumi/language.pb-c.h"
#include "pulumi/plugin.pb-c.h"

#define LH_MAX_METHODS 16
#define LH_PROBE_MS 10000   /* the analyzer's --version must answer within this */

/* ---- helpers ------------------------------------------------------------------- */

/*
 * The pack directory a request names: ProgramInfo's program directory (the
 * engine sets root = program = the pack), else its root, else `fallback`.
 */
static const char *lh_info_dir(const Pulumirpc__ProgramInfo *info, const char *fallback)
{
	if (info && info->program_directory && *info->program_directory)
		return info->program_directory;
	if (info && info->root_directory && *info->root_directory)
		return info->root_directory;
	return fallback && *fallback ? fallback : NULL;
}

static char *lh_strdup_or_null(const char *s, int *oom)
{
	char *d = strdup(s);
	if (!d)
		*oom = 1;
	return d;
}

/* ---- unary methods ------------------------------------------------------------------ */

static void lh_get_plugin_info(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	static const Pulumirpc__PluginInfo resp = { PROTOBUF_C_MESSAGE_INIT(&pulumirpc__plugin_info__descriptor),
						    (char *)PC_VERSION };
	(void)ud;
	(void)a;
	(void)msg;
	out->msg = &resp.base;
}

static void lh_handshake(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	static const Pulumirpc__LanguageHandshakeResponse resp = PULUMIRPC__LANGUAGE_HANDSHAKE_RESPONSE__INIT;
	(void)ud;
	(void)a;
	(void)msg;
	out->msg = &resp.base;
}

static void lh_get_required_plugins(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	static const Pulumirpc__GetRequiredPluginsResponse resp = PULUMIRPC__GET_REQUIRED_PLUGINS_RESPONSE__INIT;
	(void)ud;
	(void)a;
	(void)msg;
	out->msg = &resp.base;
}

static void lh_get_required_packages(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	static const Pulumirpc__GetRequiredPackagesResponse resp = PULUMIRPC__GET_REQUIRED_PACKAGES_RESPONSE__INIT;
	(void)ud;
	(void)a;
	(void)msg;
	out->msg = &resp.base;
}

static void lh_get_program_dependencies(void *ud, struct arena *a, const ProtobufCMessage *msg,
					struct srv_reply *out)
{
	static const Pulumirpc__GetProgramDependenciesResponse resp =
		PULUMIRPC__GET_PROGRAM_DEPENDENCIES_RESPONSE__INIT;
	(void)ud;
	(void)a;
	(void)msg;
	out->msg = &resp.base;
}

/*
 * Cancel: the engine sends it just before closing us, after it has closed
 * the analyzers it started through us. Nothing to abort: an engine that
 * only wants a graceful stop must keep its running analyzers.
 */
static void lh_cancel(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	static const Google__Protobuf__Empty resp = GOOGLE__PROTOBUF__EMPTY__INIT;
	(void)ud;
	(void)a;
	(void)msg;
	out->msg = &resp.base;
}

/* About: the "runtime" behind this host is the analyzer it would run. */
static void lh_about(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct lh_state *lh = ud;
	const Pulumirpc__AboutRequest *req = (const void *)msg;
	Pulumirpc__AboutResponse *resp = arena_alloc(a, sizeof(*resp));
	Pulumirpc__AboutResponse__MetadataEntry *md = arena_alloc(a, 2 * sizeof(*md));
	Pulumirpc__AboutResponse__MetadataEntry **mdp = arena_alloc(a, 2 * sizeof(*mdp));
	char *path = arena_alloc(a, PATH_MAX), why[1024];

	if (!resp || !md || !mdp || !path) {
		out->status = GRPC_STATUS_RESOURCE_EXHAUSTED;
		out->details = "out of memory";
		return;
	}
	pulumirpc__about_response__init(resp);
	if (lh_find_analyzer(lh, lh_info_dir(req->info, NULL), path, PATH_MAX, why, sizeof(why)) < 0)
		snprintf(path, PATH_MAX, "%s", lh->self);
	resp->executable = path;
	resp->version = (char *)PC_VERSION;
	for (int i = 0; i < 2; i++) {
		pulumirpc__about_response__metadata_entry__init(&md[i]);
		mdp[i] = &md[i];
	}
	md[0].key = "languageHost";
	md[0].value = lh->self;
	md[1].key = "platform";
	md[1].value = (char *)lh_platform();
	resp->n_metadata = 2;
	resp->metadata = mdp;
	out->msg = &resp->base;
}

/* ---- InstallDependencies ------------------------------------------------------------- */

struct lh_install {
	struct lh_state *lh;
	struct srv_stream *st;
	char *dir;
};

static void lh_install_finish(struct lh_install *in, grpc_status_code code, const char *details)
{
	if (in->lh->verbose)
		fprintf(stderr, LH_PROG ": InstallDependencies %s: %s\n", in->dir, details ? details : "ok");
	srv_stream_finish(in->st, code, details);
	free(in->dir);
	free(in);
}

/*
 * A `runtime: c` pack has no dependencies to install, but this is the one
 * moment before a preview where a broken pack (Cloud-published without its
 * binary, or with one for another platform) can be named clearly: check
 * the pack and that its analyzer runs.
 */
static void *lh_install_main(void *arg)
{
	struct lh_install *in = arg;
	char analyzer[PATH_MAX], why[2048], probe[512], msg[PATH_MAX + 700];
	char *argv[] = { analyzer, "--version", NULL };
	struct lh_cmd cmd = { argv, NULL, NULL };
	Pulumirpc__InstallDependenciesResponse resp = PULUMIRPC__INSTALL_DEPENDENCIES_RESPONSE__INIT;
	int rc;

	if (lh_pack_check(in->dir, why, sizeof(why)) < 0) {
		lh_install_finish(in, GRPC_STATUS_FAILED_PRECONDITION, why);
		return NULL;
	}
	if (lh_find_analyzer(in->lh, in->dir, analyzer, sizeof(analyzer), why, sizeof(why)) < 0) {
		snprintf(msg, sizeof(msg), LH_ANALYZER " not found for the policy pack in %s (looked in %s)", in->dir,
			 why);
		lh_install_finish(in, GRPC_STATUS_FAILED_PRECONDITION, msg);
		return NULL;
	}
	rc = lh_run_capture(&cmd, LH_PROBE_MS, probe, sizeof(probe));
	probe[strcspn(probe, "\n")] = '\0';
	if (rc == -2) {
		/* Typically a binary for another platform, or a missing interpreter. */
		snprintf(msg, sizeof(msg), "the analyzer %s does not run on this machine (%s on %s)", analyzer, probe,
			 lh_platform());
		lh_install_finish(in, GRPC_STATUS_FAILED_PRECONDITION, msg);
		return NULL;
	}
	if (rc != 0) {
		char how[64];
		if (rc == -3)
			snprintf(how, sizeof(how), "did not answer within %d s", LH_PROBE_MS / 1000);
		else if (rc == -1)
			snprintf(how, sizeof(how), "was killed by a signal");
		else
			snprintf(how, sizeof(how), "exited with %d", rc);
		snprintf(msg, sizeof(msg), "the analyzer %s does not run: `--version` %s%s%s", analyzer, how,
			 *probe ? ": " : "", probe);
		lh_install_finish(in, GRPC_STATUS_FAILED_PRECONDITION, msg);
		return NULL;
	}
	int n = snprintf(msg, sizeof(msg), "policy pack %s: runtime %s, analyzer %s (%s)\n", in->dir, LH_RUNTIME,
			 analyzer, *probe ? probe : "no version");
	resp.stdout.data = (uint8_t *)msg;
	resp.stdout.len = n < (int)sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	srv_stream_send(in->st, &resp.base);
	lh_install_finish(in, GRPC_STATUS_OK, NULL);
	return NULL;
}

/* A detached thread with signals blocked (they belong to the main loop). */
static int lh_thread(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t t;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

static void lh_install_dependencies(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_stream *st)
{
	struct lh_state *lh = ud;
	const Pulumirpc__InstallDependenciesRequest *req = (const void *)msg;
	struct lh_install *in;
	const char *legacy;

	(void)a;
	/* Older engines set only the deprecated `directory`. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	legacy = req->directory;
#pragma GCC diagnostic pop
	const char *dir = lh_info_dir(req->info, legacy);
	if (!dir) {
		srv_stream_finish(st, GRPC_STATUS_INVALID_ARGUMENT, "InstallDependencies names no directory");
		return;
	}
	in = calloc(1, sizeof(*in));
	if (!in || !(in->dir = strdup(dir))) {
		free(in);
		srv_stream_finish(st, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	in->lh = lh;
	in->st = st;
	/* The probe may take a while: never on a poller thread. */
	if (lh_thread(lh_install_main, in) < 0) {
		free(in->dir);
		free(in);
		srv_stream_finish(st, GRPC_STATUS_RESOURCE_EXHAUSTED, "cannot start a thread");
	}
}

/* ---- RunPlugin ------------------------------------------------------------------ */

/* A runtime option as the legacy launch path prints it (Go's %v), or NULL to skip it. */
static const char *lh_option_value(const Google__Protobuf__Value *v, char *buf, size_t bufsz)
{
	if (!v)
		return NULL;
	switch (v->kind_case) {
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE:
		return v->string_value && *v->string_value ? v->string_value : NULL;
	case GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE:
		return v->bool_value ? "true" : "false";
	case GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE:
		snprintf(buf, bufsz, "%g", v->number_value);
		return buf;
	default:
		return NULL;   /* lists, maps and null have no flag spelling */
	}
}

/*
 * The analyzer's argv: the engine's args ([flags...] <engine-address>) with
 * --root <pack> in front, so the analyzer knows its pack without relying on
 * its working directory, and the pack's runtime options after them as
 * -key=value, as on the legacy launch path. A relative -config= file is
 * relative to the pack there (its working directory), so it is made
 * absolute here, where the working directory is the program's.
 */
static char **lh_build_argv(const char *analyzer, const char *pack, const Pulumirpc__RunPluginRequest *req)
{
	const Google__Protobuf__Struct *opts = req->info ? req->info->options : NULL;
	size_t n_opts = opts ? opts->n_fields : 0, n = 0;
	char **argv = calloc(3 + req->n_args + n_opts + 1, sizeof(*argv));
	int oom = 0;

	if (!argv)
		return NULL;
	argv[n++] = lh_strdup_or_null(analyzer, &oom);
	argv[n++] = lh_strdup_or_null("--root", &oom);
	argv[n++] = lh_strdup_or_null(pack, &oom);
	for (size_t i = 0; i < req->n_args; i++)
		argv[n++] = lh_strdup_or_null(req->args[i], &oom);
	for (size_t i = 0; i < n_opts; i++) {
		const Google__Protobuf__Struct__FieldsEntry *f = opts->fields[i];
		char num[64], *s = NULL;
		const char *v = lh_option_value(f->value, num, sizeof(num));
		if (!v || !f->key || !*f->key)
			continue;
		size_t len = strlen(f->key) + strlen(pack) + strlen(v) + 4;
		if ((s = malloc(len)) == NULL) {
			oom = 1;
			continue;
		}
		if (strcmp(f->key, "config") == 0 && v[0] != '/')
			snprintf(s, len, "-%s=%s/%s", f->key, pack, v);
		else
			snprintf(s, len, "-%s=%s", f->key, v);
		argv[n++] = s;
	}
	if (oom) {
		/* NULL entries end the vector early: free the whole allocation by index. */
		for (size_t i = 0; i < n; i++)
			free(argv[i]);
		free(argv);
		return NULL;
	}
	return argv;
}

/* The engine sends its whole environment; an empty list means "ours". */
static char **lh_build_envp(const Pulumirpc__RunPluginRequest *req, int *oom)
{
	char **envp;

	*oom = 0;
	if (req->n_env == 0)
		return NULL;
	envp = calloc(req->n_env + 1, sizeof(*envp));
	if (!envp) {
		*oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < req->n_env; i++) {
		if (!(envp[i] = strdup(req->env[i] ? req->env[i] : ""))) {
			for (size_t k = 0; k < i; k++)
				free(envp[k]);
			free(envp);
			*oom = 1;
			return NULL;
		}
	}
	return envp;
}

static void lh_run_plugin(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_stream *st)
{
	struct lh_state *lh = ud;
	const Pulumirpc__RunPluginRequest *req = (const void *)msg;
	const char *pack = lh_info_dir(req->info, req->pwd);
	char analyzer[PATH_MAX], why[2048];
	char **argv, **envp;
	int oom;

	if (req->kind && *req->kind && strcmp(req->kind, "analyzer") != 0) {
		char *m = arena_printf(a, LH_PROG " runs policy packs (kind analyzer), not %s plugins", req->kind);
		srv_stream_finish(st, GRPC_STATUS_UNIMPLEMENTED, m ? m : "only analyzer plugins are supported");
		return;
	}
	if (!pack) {
		srv_stream_finish(st, GRPC_STATUS_INVALID_ARGUMENT, "RunPlugin names no pack directory");
		return;
	}
	if (lh_find_analyzer(lh, pack, analyzer, sizeof(analyzer), why, sizeof(why)) < 0) {
		char *m = arena_printf(a, LH_ANALYZER " not found for the policy pack in %s (looked in %s)", pack, why);
		srv_stream_finish(st, GRPC_STATUS_FAILED_PRECONDITION, m ? m : "analyzer not found");
		return;
	}
	argv = lh_build_argv(analyzer, pack, req);
	envp = lh_build_envp(req, &oom);
	if (!argv || oom) {
		lh_strv_free(argv);
		lh_strv_free(envp);
		srv_stream_finish(st, GRPC_STATUS_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	if (lh->verbose) {
		fprintf(stderr, LH_PROG ": RunPlugin in %s:", req->pwd && *req->pwd ? req->pwd : ".");
		for (char **p = argv; *p; p++)
			fprintf(stderr, " %s", *p);
		fprintf(stderr, "\n");
	}
	if (lh_run_stream(st, argv, envp, req->pwd && *req->pwd ? req->pwd : NULL, lh->verbose) < 0) {
		lh_strv_free(argv);
		lh_strv_free(envp);
		srv_stream_finish(st, GRPC_STATUS_RESOURCE_EXHAUSTED, "cannot start a thread");
	}
}

/* ---- tables ------------------------------------------------------------------------- */

static const struct {
	const char *name;
	srv_handler_fn fn;
} lh_unary[] = {
	{ "Handshake", lh_handshake },
	{ "GetRequiredPlugins", lh_get_required_plugins },
	{ "GetRequiredPackages", lh_get_required_packages },
	{ "GetPluginInfo", lh_get_plugin_info },
	{ "About", lh_about },
	{ "GetProgramDependencies", lh_get_program_dependencies },
	{ "Cancel", lh_cancel },
};

static const struct {
	const char *name;
	srv_stream_fn fn;
} lh_streaming[] = {
	{ "InstallDependencies", lh_install_dependencies },
	{ "RunPlugin", lh_run_plugin },
};

static struct srv_method lh_methods[LH_MAX_METHODS];
static struct srv_stream_method lh_streams[LH_MAX_METHODS];
static char lh_paths[LH_MAX_METHODS][80];

int lh_service_init(struct lh_state *lh, const struct srv_method **methods, size_t *n_methods,
		    const struct srv_stream_method **streams, size_t *n_streams)
{
	const ProtobufCServiceDescriptor *sd = &pulumirpc__language_runtime__descriptor;
	size_t nm = 0, ns = 0;

	(void)lh;
	if (sd->n_methods > LH_MAX_METHODS)
		return -1;
	/* Paths and request types come from the descriptor, so they cannot drift from the proto. */
	for (unsigned i = 0; i < sd->n_methods; i++) {
		const ProtobufCMethodDescriptor *md = &sd->methods[i];
		int len = snprintf(lh_paths[i], sizeof(lh_paths[i]), "/%s/%s", sd->name, md->name);
		int found = 0;
		if (len < 0 || (size_t)len >= sizeof(lh_paths[i]))
			return -1;
		for (size_t k = 0; k < sizeof(lh_unary) / sizeof(lh_unary[0]); k++)
			if (strcmp(lh_unary[k].name, md->name) == 0) {
				lh_methods[nm].path = lh_paths[i];
				lh_methods[nm].input = md->input;
				lh_methods[nm].handler = lh_unary[k].fn;
				nm++;
				found = 1;
			}
		for (size_t k = 0; k < sizeof(lh_streaming) / sizeof(lh_streaming[0]); k++)
			if (strcmp(lh_streaming[k].name, md->name) == 0) {
				lh_streams[ns].path = lh_paths[i];
				lh_streams[ns].input = md->input;
				lh_streams[ns].handler = lh_streaming[k].fn;
				ns++;
				found = 1;
			}
		if (!found) {
			fprintf(stderr, LH_PROG ": no handler for %s.%s\n", sd->name, md->name);
			return -1;
		}
	}
	*methods = lh_methods;
	*n_methods = nm;
	*streams = lh_streams;
	*n_streams = ns;
	return 0;
}
