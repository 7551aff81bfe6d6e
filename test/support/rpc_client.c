/*
 * rpc_client.c - spawn the analyzer like the engine and call it (see rpc_client.h).
 */
#include "rpc_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>

#ifndef PC_ANALYZER_BIN
#error "PC_ANALYZER_BIN must be defined by the build"
#endif
#ifndef PC_SOURCE_DIR
#error "PC_SOURCE_DIR must be defined by the build"
#endif

extern char **environ;

#define RPC_MAX_ARGS 64
#define RPC_MAX_ENV 512

static int rpc_valgrind_on(void)
{
	const char *v = getenv("PC_RPC_VALGRIND");
	return v && *v && strcmp(v, "0") != 0;
}

int rpc_time_scale(void)
{
	return rpc_valgrind_on() ? 20 : 1;
}

double rpc_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* ---- process ---------------------------------------------------------------- */

static int rpc_push(const char **v, size_t *n, size_t cap, const char *s)
{
	if (*n + 1 >= cap)
		return -1;
	v[(*n)++] = s;
	v[*n] = NULL;
	return 0;
}

/* Environment for the child: ours, minus the keys `extra` overrides, plus `extra`. */
static int rpc_build_env(const char **envp, const char *const *extra)
{
	size_t n = 0;

	envp[0] = NULL;
	for (char **e = environ; *e; e++) {
		int overridden = 0;
		const char *eq = strchr(*e, '=');
		size_t klen = eq ? (size_t)(eq - *e) : strlen(*e);
		for (const char *const *x = extra; x && *x; x++)
			if (strncmp(*x, *e, klen) == 0 && (*x)[klen] == '=')
				overridden = 1;
		if (!overridden && rpc_push(envp, &n, RPC_MAX_ENV, *e) < 0)
			return -1;
	}
	for (const char *const *x = extra; x && *x; x++)
		if (rpc_push(envp, &n, RPC_MAX_ENV, *x) < 0)
			return -1;
	return 0;
}

/* Read the first stdout line (the port) within timeout_ms. */
static int rpc_read_port(struct rpc_proc *p, int timeout_ms)
{
	char line[32];
	size_t n = 0;
	double until = rpc_now_ms() + timeout_ms;

	for (;;) {
		int left = (int)(until - rpc_now_ms());
		if (left <= 0)
			return -1;
		struct pollfd pfd = { p->out_fd, POLLIN, 0 };
		int r = poll(&pfd, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		char ch;
		ssize_t k = read(p->out_fd, &ch, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -2;   /* EOF: the process exited without a port */
		if (ch == '\n')
			break;
		if (n + 1 >= sizeof(line))
			return -1;
		line[n++] = ch;
	}
	line[n] = '\0';
	char *end;
	long port = strtol(line, &end, 10);
	if (end == line || *end != '\0' || port < 1 || port > 65535)
		return -1;
	p->port = (int)port;
	return 0;
}

int rpc_spawn(struct rpc_proc *p, const struct rpc_spawn_opts *o)
{
	const char *argv[RPC_MAX_ARGS];
	const char *envp[RPC_MAX_ENV];
	char vg_log[256], vg_supp[512], vg_supp2[512];
	size_t n = 0;
	int out[2] = { -1, -1 };
	int errfd = -1;
	double t0;

	memset(p, 0, sizeof(*p));
	p->pid = -1;
	p->out_fd = -1;
	p->valgrind = rpc_valgrind_on() && !o->no_valgrind;
	argv[0] = NULL;

	if (p->valgrind) {
		const char *log = getenv("PC_RPC_VALGRIND_LOG");
		snprintf(vg_log, sizeof(vg_log), "--log-file=%s", log && *log ? log : "/tmp/pc-vg-server.%p.log");
		snprintf(vg_supp, sizeof(vg_supp), "--suppressions=%s/scripts/valgrind.supp", PC_SOURCE_DIR);
		const char *vg[] = { "valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite",
				     "--error-exitcode=99", "--track-origins=no", vg_supp, vg_log, NULL };
		for (const char *const *v = vg; *v; v++)
			rpc_push(argv, &n, RPC_MAX_ARGS, *v);
		/* Extra suppressions for a local run (never needed by the committed script). */
		const char *extra_supp = getenv("PC_RPC_VALGRIND_SUPP");
		if (extra_supp && *extra_supp) {
			snprintf(vg_supp2, sizeof(vg_supp2), "--suppressions=%s", extra_supp);
			rpc_push(argv, &n, RPC_MAX_ARGS, vg_supp2);
		}
	}
	const char *bin = o->bin ? o->bin : PC_ANALYZER_BIN;
	rpc_push(argv, &n, RPC_MAX_ARGS, bin);
	if (o->argv) {
		for (const char *const *a = o->argv; *a; a++)
			if (rpc_push(argv, &n, RPC_MAX_ARGS, *a) < 0)
				return -1;
	} else {
		for (const char *const *a = o->flags; a && *a; a++)
			if (rpc_push(argv, &n, RPC_MAX_ARGS, *a) < 0)
				return -1;
		/* A fake engine address: the analyzer never needs to dial it. */
		if (!o->no_address)
			rpc_push(argv, &n, RPC_MAX_ARGS, "127.0.0.1:1");
		for (const char *const *a = o->tail; a && *a; a++)
			if (rpc_push(argv, &n, RPC_MAX_ARGS, *a) < 0)
				return -1;
	}
	if (rpc_build_env(envp, o->env) < 0)
		return -1;

	snprintf(p->err_path, sizeof(p->err_path), "/tmp/pc-rpc-err.XXXXXX");
	errfd = mkstemp(p->err_path);
	if (errfd < 0) {
		p->err_path[0] = '\0';
		return -1;
	}
	if (pipe(out) < 0) {
		close(errfd);
		return -1;
	}
	t0 = rpc_now_ms();
	pid_t parent = getpid();
	p->pid = fork();
	if (p->pid < 0) {
		close(errfd);
		close(out[0]);
		close(out[1]);
		return -1;
	}
	if (p->pid == 0) {
		/* Only async-signal-safe calls here: the parent has gRPC threads. */
		setpgid(0, 0);   /* like the engine (Setpgid), so group signals stay ours */
		/* A test that crashes must not leave servers behind. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(125);
		if (o->cwd && chdir(o->cwd) < 0)
			_exit(126);
		dup2(out[1], STDOUT_FILENO);
		dup2(errfd, STDERR_FILENO);
		close(out[0]);
		close(out[1]);
		close(errfd);
		signal(SIGPIPE, SIG_DFL);
		execve(p->valgrind ? "/usr/bin/valgrind" : bin, (char *const *)argv, (char *const *)envp);
		_exit(127);
	}
	close(errfd);
	close(out[1]);
	p->out_fd = out[0];
	int rc = rpc_read_port(p, 15000 * rpc_time_scale());
	if (rc < 0) {
		/* Closed stdout: the process is exiting (usage error); reap it. */
		if (rc == -2)
			rpc_wait(p, 5000 * rpc_time_scale());
		return -1;
	}
	p->startup_ms = rpc_now_ms() - t0;
	return 0;
}

int rpc_signal(struct rpc_proc *p, int sig)
{
	if (p->pid <= 0 || p->exited)
		return -1;
	return kill(p->pid, sig);
}

static void rpc_set_status(struct rpc_proc *p, int st)
{
	p->exited = 1;
	if (WIFEXITED(st))
		p->exit_code = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		p->exit_code = 128 + WTERMSIG(st);
	else
		p->exit_code = -1;
}

int rpc_wait(struct rpc_proc *p, int timeout_ms)
{
	double until = rpc_now_ms() + timeout_ms;
	int st;

	if (p->pid <= 0)
		return -1;
	if (p->exited)
		return 0;
	for (;;) {
		pid_t r = waitpid(p->pid, &st, WNOHANG);
		if (r == p->pid) {
			rpc_set_status(p, st);
			return 0;
		}
		if (r < 0 && errno != EINTR)
			return -1;
		if (rpc_now_ms() >= until)
			return -1;
		struct timespec ts = { 0, 1000000 };   /* 1 ms: keeps exit timing precise */
		nanosleep(&ts, NULL);
	}
}

void rpc_proc_free(struct rpc_proc *p)
{
	if (p->pid > 0 && !p->exited) {
		kill(p->pid, SIGKILL);
		int st;
		while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
			;
		rpc_set_status(p, st);
	}
	if (p->out_fd >= 0)
		close(p->out_fd);
	p->out_fd = -1;
	if (p->err_path[0])
		unlink(p->err_path);
	p->err_path[0] = '\0';
}

static char *rpc_slurp_fd(int fd, int nonblock)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	if (nonblock)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		if (n + 1024 > cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		ssize_t k = read(fd, buf + n, cap - n - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	return buf;
}

char *rpc_stderr(const struct rpc_proc *p)
{
	int fd = p->err_path[0] ? open(p->err_path, O_RDONLY) : -1;
	char *s;

	if (fd < 0)
		return strdup("");
	s = rpc_slurp_fd(fd, 0);
	close(fd);
	return s;
}

char *rpc_stdout_rest(struct rpc_proc *p)
{
	if (p->out_fd < 0)
		return strdup("");
	return rpc_slurp_fd(p->out_fd, 1);
}

char *rpc_stdout_drain(struct rpc_proc *p)
{
	if (p->out_fd < 0)
		return strdup("");
	return rpc_slurp_fd(p->out_fd, 0);
}

/* ---- calls ---------------------------------------------------------------------- */

int rpc_connect(struct rpc_conn *c, int port)
{
	char target[64];
	grpc_arg args[] = {
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, .value.integer = -1 },
		{ .type = GRPC_ARG_INTEGER, .key = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, .value.integer = -1 },
	};
	grpc_channel_args chargs = { sizeof(args) / sizeof(args[0]), args };
	grpc_channel_credentials *creds = grpc_insecure_credentials_create();

	snprintf(target, sizeof(target), "127.0.0.1:%d", port);
	c->ch = grpc_channel_create(target, creds, &chargs);
	grpc_channel_credentials_release(creds);
	return c->ch ? 0 : -1;
}

void rpc_close(struct rpc_conn *c)
{
	if (c->ch)
		grpc_channel_destroy(c->ch);
	c->ch = NULL;
}

int rpc_call_raw(struct rpc_conn *c, const char *method, const void *req, size_t len, int timeout_ms,
		 struct rpc_result *out)
{
	grpc_completion_queue *cq = grpc_completion_queue_create_for_pluck(NULL);
	grpc_slice path = grpc_slice_from_copied_string(method);
	gpr_timespec dl = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
				       gpr_time_from_millis((int64_t)timeout_ms * rpc_time_scale(), GPR_TIMESPAN));
	grpc_metadata_array md_init, md_trail;
	grpc_byte_buffer *resp = NULL, *bb;
	grpc_slice details = grpc_empty_slice();
	grpc_slice body = grpc_slice_from_copied_buffer(req, len);
	grpc_op ops[6];
	grpc_call *call;
	int tag, rc = -1;

	memset(out, 0, sizeof(*out));
	grpc_metadata_array_init(&md_init);
	grpc_metadata_array_init(&md_trail);
	bb = grpc_raw_byte_buffer_create(&body, 1);
	grpc_slice_unref(body);
	call = grpc_channel_create_call(c->ch, NULL, GRPC_PROPAGATE_DEFAULTS, cq, path, NULL, dl, NULL);
	if (!call)
		goto done;

	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = bb;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &md_init;
	ops[4].op = GRPC_OP_RECV_MESSAGE;
	ops[4].data.recv_message.recv_message = &resp;
	ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[5].data.recv_status_on_client.trailing_metadata = &md_trail;
	ops[5].data.recv_status_on_client.status = &out->status;
	ops[5].data.recv_status_on_client.status_details = &details;
	if (grpc_call_start_batch(call, ops, 6, &tag, NULL) != GRPC_CALL_OK) {
		grpc_call_unref(call);
		goto done;
	}
	grpc_completion_queue_pluck(cq, &tag, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);

	{
		char *d = grpc_slice_to_c_string(details);
		out->details = strdup(d ? d : "");
		gpr_free(d);
	}
	if (resp) {
		grpc_byte_buffer_reader rd;
		if (grpc_byte_buffer_reader_init(&rd, resp)) {
			grpc_slice s = grpc_byte_buffer_reader_readall(&rd);
			out->len = GRPC_SLICE_LENGTH(s);
			out->data = malloc(out->len ? out->len : 1);
			if (out->data)
				memcpy(out->data, GRPC_SLICE_START_PTR(s), out->len);
			out->has_msg = 1;
			grpc_slice_unref(s);
			grpc_byte_buffer_reader_destroy(&rd);
		}
		grpc_byte_buffer_destroy(resp);
	}
	grpc_call_unref(call);
	rc = 0;
done:
	if (!out->details)
		out->details = strdup("");
	grpc_slice_unref(details);
	grpc_byte_buffer_destroy(bb);
	grpc_metadata_array_destroy(&md_init);
	grpc_metadata_array_destroy(&md_trail);
	grpc_slice_unref(path);
	grpc_completion_queue_shutdown(cq);
	grpc_completion_queue_destroy(cq);
	return rc;
}

int rpc_call(struct rpc_conn *c, const char *method, const ProtobufCMessage *req, int timeout_ms,
	     struct rpc_result *out)
{
	size_t n = protobuf_c_message_get_packed_size(req);
	uint8_t *buf = malloc(n ? n : 1);
	int rc;

	if (!buf) {
		memset(out, 0, sizeof(*out));
		out->details = strdup("");
		return -1;
	}
	protobuf_c_message_pack(req, buf);
	rc = rpc_call_raw(c, method, buf, n, timeout_ms, out);
	free(buf);
	return rc;
}

ProtobufCMessage *rpc_result_unpack(const struct rpc_result *r, const ProtobufCMessageDescriptor *d)
{
	if (!r->has_msg)
		return NULL;
	return protobuf_c_message_unpack(d, NULL, r->len, r->data);
}

void rpc_result_free(struct rpc_result *r)
{
	free(r->details);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* ---- engine-like requests ----------------------------------------------------------- */

static Google__Protobuf__Struct *rpc_struct_of(const pv_value *v)
{
	if (v && v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE)
		return v->struct_value;
	return NULL;
}

static Pulumirpc__AnalyzerProviderResource *rpc_provider(struct arena *a, const struct pol_resource *r)
{
	Pulumirpc__AnalyzerProviderResource *p;

	if (!r->provider_urn || !*r->provider_urn)
		return NULL;
	p = arena_alloc(a, sizeof(*p));
	if (!p)
		return NULL;
	pulumirpc__analyzer_provider_resource__init(p);
	p->type = (char *)r->provider_type;
	p->urn = (char *)r->provider_urn;
	p->name = (char *)r->provider_name;
	p->properties = rpc_struct_of(r->provider_props);
	return p;
}

static Pulumirpc__AnalyzerResourceOptions *rpc_options(struct arena *a, const struct pol_resource *r)
{
	Pulumirpc__AnalyzerResourceOptions *o = arena_alloc(a, sizeof(*o));

	if (!o)
		return NULL;
	pulumirpc__analyzer_resource_options__init(o);
	o->parent = (char *)(r->parent ? r->parent : "");
	o->protect = r->protect;
	o->n_ignorechanges = r->n_ignore_changes;
	o->ignorechanges = (char **)r->ignore_changes;
	return o;
}

Pulumirpc__AnalyzeRequest *rpc_analyze_request(struct arena *a, const struct pol_resource *r)
{
	Pulumirpc__AnalyzeRequest *q = arena_alloc(a, sizeof(*q));

	if (!q)
		return NULL;
	pulumirpc__analyze_request__init(q);
	q->type = (char *)r->type;
	q->urn = (char *)r->urn;
	q->name = (char *)r->name;
	q->properties = rpc_struct_of(r->props);
	q->provider = rpc_provider(a, r);
	q->options = rpc_options(a, r);
	return q->options ? q : NULL;
}

Pulumirpc__AnalyzerResource *rpc_stack_resource(struct arena *a, const struct pol_resource *r)
{
	Pulumirpc__AnalyzerResource *q = arena_alloc(a, sizeof(*q));

	if (!q)
		return NULL;
	pulumirpc__analyzer_resource__init(q);
	q->type = (char *)r->type;
	q->urn = (char *)r->urn;
	q->name = (char *)r->name;
	q->properties = rpc_struct_of(r->props);
	q->provider = rpc_provider(a, r);
	q->options = rpc_options(a, r);
	q->parent = (char *)(r->parent ? r->parent : "");
	q->n_dependencies = r->n_deps;
	q->dependencies = (char **)r->deps;
	if (r->n_propdeps) {
		q->propertydependencies = arena_alloc(a, r->n_propdeps * sizeof(*q->propertydependencies));
		if (!q->propertydependencies)
			return NULL;
		for (size_t i = 0; i < r->n_propdeps; i++) {
			Pulumirpc__AnalyzerResource__PropertyDependenciesEntry *e = arena_alloc(a, sizeof(*e));
			Pulumirpc__AnalyzerPropertyDependencies *d = arena_alloc(a, sizeof(*d));
			if (!e || !d)
				return NULL;
			pulumirpc__analyzer_resource__property_dependencies_entry__init(e);
			pulumirpc__analyzer_property_dependencies__init(d);
			d->n_urns = r->propdeps[i].n_urns;
			d->urns = (char **)r->propdeps[i].urns;
			e->key = (char *)r->propdeps[i].prop;
			e->value = d;
			q->propertydependencies[i] = e;
		}
		q->n_propertydependencies = r->n_propdeps;
	}
	return q->options ? q : NULL;
}

static Pulumirpc__ConfigureAnalyzerRequest__PolicyConfigEntry *rpc_cfg_entry(struct arena *a, const char *key,
									   enum pol_level level,
									   const pv_value *props)
{
	Pulumirpc__ConfigureAnalyzerRequest__PolicyConfigEntry *e = arena_alloc(a, sizeof(*e));
	Pulumirpc__PolicyConfig *pc = arena_alloc(a, sizeof(*pc));

	if (!e || !pc)
		return NULL;
	pulumirpc__configure_analyzer_request__policy_config_entry__init(e);
	pulumirpc__policy_config__init(pc);
	pc->enforcementlevel = (Pulumirpc__EnforcementLevel)(level == POL_LEVEL_INHERIT ? POL_ADVISORY : level);
	pc->properties = rpc_struct_of(props);
	e->key = (char *)key;
	e->value = pc;
	return e;
}

Pulumirpc__ConfigureAnalyzerRequest *rpc_configure_request(struct arena *a, const struct pack *pk,
							     const struct pack_layer *layer)
{
	Pulumirpc__ConfigureAnalyzerRequest *q = arena_alloc(a, sizeof(*q));
	size_t nl = layer ? layer->n : 0, n = 0;
	enum pol_level all = POL_LEVEL_INHERIT;

	if (!q)
		return NULL;
	pulumirpc__configure_analyzer_request__init(q);
	q->policyconfig = arena_alloc(a, (pk->n + nl + 1) * sizeof(*q->policyconfig));
	if (!q->policyconfig)
		return NULL;
	for (size_t i = 0; i < nl; i++)
		if (!strcmp(layer->e[i].policy, "all") && layer->e[i].level != POL_LEVEL_INHERIT)
			all = layer->e[i].level;
	for (size_t k = 0; k < pk->n; k++) {
		const struct policy *p = pk->policies[k].p;
		enum pol_level lv = p->level == POL_LEVEL_INHERIT ? POL_ADVISORY : p->level;
		const pv_value *props = NULL;
		if (all != POL_LEVEL_INHERIT)
			lv = all;
		for (size_t i = 0; i < nl; i++)
			if (!strcmp(layer->e[i].policy, p->name)) {
				if (layer->e[i].level != POL_LEVEL_INHERIT)
					lv = layer->e[i].level;
				if (layer->e[i].props)
					props = layer->e[i].props;
			}
		if (!(q->policyconfig[n++] = rpc_cfg_entry(a, p->name, lv, props)))
			return NULL;
	}
	/* Keys that are not policies travel too, as the engine forwards them. */
	for (size_t i = 0; i < nl; i++)
		if (!pack_find(pk, layer->e[i].policy) &&
		    !(q->policyconfig[n++] = rpc_cfg_entry(a, layer->e[i].policy, layer->e[i].level, layer->e[i].props)))
			return NULL;
	q->n_policyconfig = n;
	return q;
}

Pulumirpc__AnalyzerStackConfigureRequest *rpc_stack_configure_request(struct arena *a,
								       const struct pack_stack_args *sa)
{
	Pulumirpc__AnalyzerStackConfigureRequest *q = arena_alloc(a, sizeof(*q));

	if (!q)
		return NULL;
	pulumirpc__analyzer_stack_configure_request__init(q);
	q->stack = (char *)(sa->stack ? sa->stack : "");
	q->project = (char *)(sa->project ? sa->project : "");
	q->organization = (char *)(sa->organization ? sa->organization : "");
	q->dry_run = sa->dry_run;
	q->n_config_secret_keys = sa->n_secret_keys;
	q->config_secret_keys = (char **)sa->secret_keys;
	q->config = arena_alloc(a, (sa->n_config + 1) * sizeof(*q->config));
	q->tags = arena_alloc(a, (sa->n_tags + 1) * sizeof(*q->tags));
	if (!q->config || !q->tags)
		return NULL;
	for (size_t i = 0; i < sa->n_config; i++) {
		Pulumirpc__AnalyzerStackConfigureRequest__ConfigEntry *e = arena_alloc(a, sizeof(*e));
		if (!e)
			return NULL;
		pulumirpc__analyzer_stack_configure_request__config_entry__init(e);
		e->key = (char *)sa->config[i].key;
		e->value = (char *)sa->config[i].value;
		q->config[q->n_config++] = e;
	}
	for (size_t i = 0; i < sa->n_tags; i++) {
		Pulumirpc__AnalyzerStackConfigureRequest__TagsEntry *e = arena_alloc(a, sizeof(*e));
		if (!e)
			return NULL;
		pulumirpc__analyzer_stack_configure_request__tags_entry__init(e);
		e->key = (char *)sa->tags[i].key;
		e->value = (char *)sa->tags[i].value;
		q->tags[q->n_tags++] = e;
	}
	return q;
}

size_t rpc_diags(struct arena *a, const Pulumirpc__AnalyzeResponse *resp, struct pct_diag **out, int *bad_level)
{
	size_t n = resp ? resp->n_diagnostics : 0;
	struct pct_diag *d = arena_alloc(a, (n ? n : 1) * sizeof(*d));

	*out = d;
	if (!d)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const Pulumirpc__AnalyzeDiagnostic *x = resp->diagnostics[i];
		if (x->enforcementlevel != PULUMIRPC__ENFORCEMENT_LEVEL__ADVISORY &&
		    x->enforcementlevel != PULUMIRPC__ENFORCEMENT_LEVEL__MANDATORY && bad_level)
			*bad_level = 1;
		d[i].policy = x->policyname;
		d[i].urn = x->urn;
		d[i].level = (int)x->enforcementlevel;
		d[i].message = x->message;
	}
	return n;
}

static int rpc_diag_cmp(const void *x, const void *y)
{
	const struct pct_diag *a = x, *b = y;
	int c = strcmp(a->policy, b->policy);
	if (!c)
		c = strcmp(a->urn, b->urn);
	if (!c)
		c = a->level - b->level;
	if (!c)
		c = strcmp(a->message ? a->message : "", b->message ? b->message : "");
	return c;
}

void rpc_diags_sort(struct pct_diag *d, size_t n)
{
	if (n > 1)
		qsort(d, n, sizeof(*d), rpc_diag_cmp);
}

const char *rpc_diags_diff(struct arena *a, struct pct_diag *x, size_t nx, struct pct_diag *y, size_t ny)
{
	rpc_diags_sort(x, nx);
	rpc_diags_sort(y, ny);
	for (size_t i = 0; i < nx || i < ny; i++) {
		if (i >= nx)
			return arena_printf(a, "only in the second: %s %s (%d)", y[i].policy, y[i].urn, y[i].level);
		if (i >= ny)
			return arena_printf(a, "only in the first: %s %s (%d)", x[i].policy, x[i].urn, x[i].level);
		if (rpc_diag_cmp(&x[i], &y[i]))
			return arena_printf(a, "differ at %zu: %s %s (%d) '%s' vs %s %s (%d) '%s'", i, x[i].policy,
					    x[i].urn, x[i].level, x[i].message, y[i].policy, y[i].urn, y[i].level,
					    y[i].message);
	}
	return NULL;
}
