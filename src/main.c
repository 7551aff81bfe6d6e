/*
 * main.c - pulumi-analyzer-policy-c: the analyzer plugin the Pulumi engine
 * starts, plus the offline commands (check, --list-policies).
 *
 * The engine runs us as
 *   [--logtostderr] [-v=N] [--tracing ENDPOINT] <engine-address> [. [-key=value ...]]
 * (wire-protocol.md section 1): Go-style flags first, then positionals. With
 * "." (or a directory) we are in pack-directory mode: the working directory
 * is the pack and PULUMI_* environment variables carry the stack. Without
 * it we were run as an executable pack from the program's directory.
 *
 * Contract: the first stdout line is the port, alone, flushed; nothing else
 * ever goes to stdout in server mode (the engine shows it to the user). libuv
 * owns the main thread and turns SIGINT/SIGTERM into a graceful stop; the
 * gRPC pollers run on their own threads.
 *
 * Environment knobs for tests and diagnosis (never set by the engine):
 *   PC_LISTEN=ADDR       listen address instead of 127.0.0.1:0
 *   PC_POLLERS=N         poller threads (default 2, at most 16)
 *   PC_MAX_MSG=BYTES     message size limit (default 400 MiB, as the engine)
 *   PC_ARENA_LIMIT=BYTES per-request memory cap (default 2 GiB; 0 = none)
 *
 * Bad days (each is tested in test/rpc/check_faults.c):
 *   - stdout closed, or nobody reading it, when the port line is due: the
 *     engine can never dial us, so say so on stderr and exit 4;
 *   - stdout or stderr closed later: keep serving (SIGPIPE is ignored, write
 *     errors are dropped; a closed fd 0-2 is reopened on /dev/null at start,
 *     so no socket ever lands on it and receives log lines);
 *   - the address cannot be bound: message on stderr, exit 4, no stdout;
 *   - SIGINT/SIGTERM: exit 0 within MAIN_HARD_MS; further signals during
 *     the stop are ignored, so a second Ctrl-C cannot turn it into a crash;
 *   - the engine address going away is not watched: Pulumi's own policy
 *     servers (@pulumi/policy, pulumi_policy) do not watch it either, and the
 *     engine ends analyzers itself (Cancel, SIGINT, SIGKILL after 5 s).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include <grpc/grpc.h>

#include "analyzer.h"
#include "arena.h"
#include "cli.h"
#include "pack.h"
#include "resjson.h"
#include "server.h"

#define MAIN_PROG "pulumi-analyzer-policy-c"
#define MAIN_GRACE_MS 300   /* in-flight calls get this long after a signal ... */
#define MAIN_HARD_MS 800    /* ... and the process is gone well within 1 s */
#define MAIN_EXIT_MS 3000   /* whatever teardown does, gone by then (the engine SIGKILLs at 5 s) */

/*
 * Per-call memory cap (each of the call's arenas: the request's - decoded
 * request, property views, diagnostics, a stack policy's scratch out of
 * what is left - and the reply's). A 10,000-resource AnalyzeStack (17 MB
 * on the wire) needs well under 100 MB, so 2 GiB never limits a real stack; the largest
 * message the engine may send (400 MiB) fits too unless it is made of tiny
 * values, whose decoded form is several times the wire size. What it stops
 * is one pathological request taking the machine's memory: with the default
 * two pollers, at most two such calls are in flight. SRV_DEFAULT_ARENA_LIMIT
 * (server.h) holds the number so the tests can use it.
 */
#define MAIN_ARENA_LIMIT SRV_DEFAULT_ARENA_LIMIT

/* Standard fds that were closed when we started (reopened on /dev/null). */
static int main_closed_fds[3];

struct main_opts {
	int verbose;
	int logtostderr;
	const char *tracing;
	const char *root;          /* --root DIR: pack directory */
	const char *format;        /* --format for --list-policies */
	int list_policies;
	int version;
	int help;
	const char *engine;        /* first positional */
	const char *pack_dir;      /* second positional ("."), or NULL (exe mode) */
	const char *config_file;   /* runtime option -config=FILE */
};

static void main_usage(FILE *f)
{
	fprintf(f,
		"usage: " MAIN_PROG " [--logtostderr] [-v=N] [--tracing ENDPOINT] <engine-address> [. [-key=value ...]]\n"
		"       " MAIN_PROG " check [--format text|json|sarif] [--config FILE] FILE...\n"
		"       " MAIN_PROG " --list-policies [--format text|json|markdown]\n"
		"       " MAIN_PROG " --version | --help\n"
		"\n"
		"Started by the Pulumi engine, the analyzer serves pulumirpc.Analyzer on 127.0.0.1 and\n"
		"prints its port on the first line of stdout. With '.' the working directory is the\n"
		"policy pack (PulumiPolicy.yaml; PULUMI_CONFIG, PULUMI_STACK, ... describe the stack).\n"
		"Runtime options after the positionals: -config=FILE (initial policy configuration,\n"
		"--policy-pack-config JSON format).\n"
		"\n"
		"Exit codes: 0 ok, 1 check found mandatory violations, 2 usage error,\n"
		"3 input error (unreadable file, invalid config), 4 internal error (cannot listen).\n");
}

/* ---- argv --------------------------------------------------------------------- */

/* Is `s` a Go boolean flag value? Stores it in *out. */
static int main_parse_bool(const char *s, int *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "t") || !strcmp(s, "TRUE") || !strcmp(s, "True")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "f") || !strcmp(s, "FALSE") || !strcmp(s, "False")) {
		*out = 0;
		return 0;
	}
	return -1;
}

static int main_parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/*
 * Parse Go-style flags ("-name", "--name", "-name=value", "-name value" for
 * string flags) up to the first positional or "--". Returns the index of
 * the first positional, or -1 after printing a usage error.
 */
static int main_parse_flags(int argc, char **argv, struct main_opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a, *val;
		char name[64];
		size_t nlen;
		enum cli_word w = cli_flag_split(argv[i], &a, &nlen, &val);

		if (w == CLI_POSITIONAL)
			break;
		if (w == CLI_FLAGS_END) {
			i++;
			break;
		}
		if (nlen == 0 || nlen >= sizeof(name))
			goto bad;
		memcpy(name, a, nlen);
		name[nlen] = '\0';

		if (!strcmp(name, "logtostderr")) {
			if (val && main_parse_bool(val, &o->logtostderr) < 0)
				goto bad_value;
			if (!val)
				o->logtostderr = 1;
		} else if (!strcmp(name, "v")) {
			if (!val)
				o->verbose = o->verbose ? o->verbose : 1;
			else if (main_parse_int(val, &o->verbose) < 0)
				goto bad_value;
		} else if (!strcmp(name, "tracing") || !strcmp(name, "root") || !strcmp(name, "format")) {
			if (!val) {
				if (i + 1 >= argc)
					goto missing;
				val = argv[++i];
			}
			if (!strcmp(name, "tracing"))
				o->tracing = val;
			else if (!strcmp(name, "root"))
				o->root = val;
			else
				o->format = val;
		} else if (!strcmp(name, "list-policies") && !val) {
			o->list_policies = 1;
		} else if (!strcmp(name, "version") && !val) {
			o->version = 1;
		} else if ((!strcmp(name, "help") || !strcmp(name, "h")) && !val) {
			o->help = 1;
		} else {
			fprintf(stderr, MAIN_PROG ": unknown flag %s\n", argv[i]);
			goto bad;
		}
		continue;
bad_value:
		fprintf(stderr, MAIN_PROG ": invalid value for flag %s\n", argv[i]);
		goto bad;
missing:
		fprintf(stderr, MAIN_PROG ": flag %s needs a value\n", argv[i]);
		goto bad;
	}
	return i;
bad:
	main_usage(stderr);
	return -1;
}

/*
 * Positionals: <engine-address> [DIR [-key=value ...]]. Runtime options are
 * the pack's own (PulumiPolicy.yaml runtime.options): -config=FILE is ours;
 * others are ignored so a newer yaml never breaks an older binary.
 */
static int main_parse_positionals(int argc, char **argv, int first, struct main_opts *o)
{
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && o->engine) {
			const char *opt = a + (a[1] == '-' ? 2 : 1);
			if (!strncmp(opt, "config=", 7))
				o->config_file = opt + 7;
			else if (o->verbose)
				fprintf(stderr, MAIN_PROG ": ignoring runtime option %s\n", a);
		} else if (!o->engine) {
			o->engine = a;
		} else if (!o->pack_dir) {
			o->pack_dir = a;
		} else {
			fprintf(stderr, MAIN_PROG ": unexpected argument %s\n", a);
			main_usage(stderr);
			return -1;
		}
	}
	return 0;
}

/* ---- stack from the environment (pack-directory mode) ------------------------------ */

/*
 * PULUMI_CONFIG is a JSON object {"proj:key": "value"} with secrets already
 * decrypted; we cannot tell which keys were secret, so values are never
 * logged, only counted.
 */
static int main_env_stack(struct pack *pk, int verbose)
{
	const char *cfg = getenv("PULUMI_CONFIG");
	const char *stack = getenv("PULUMI_STACK");
	const char *project = getenv("PULUMI_PROJECT");
	const char *org = getenv("PULUMI_ORGANIZATION");
	const char *dry = getenv("PULUMI_DRY_RUN");
	struct pack_stack_args sa;
	struct pack_kv *kv = NULL;
	cJSON *root = NULL;
	char **printed = NULL;
	size_t n = 0, np = 0;
	int rc = -1;

	if (!cfg && !stack && !project && !org && !dry)
		return 0;
	memset(&sa, 0, sizeof(sa));
	if (cfg && *cfg) {
		root = cJSON_Parse(cfg);
		if (!cJSON_IsObject(root)) {
			/* Only say that it is invalid: the text may hold secrets. */
			fprintf(stderr, MAIN_PROG ": PULUMI_CONFIG is not a JSON object; ignoring it\n");
		} else {
			size_t cap = (size_t)cJSON_GetArraySize(root);
			kv = calloc(cap ? cap : 1, sizeof(*kv));
			printed = calloc(cap ? cap : 1, sizeof(*printed));
			if (!kv || !printed)
				goto out;
			const cJSON *it;
			cJSON_ArrayForEach(it, root) {
				if (!it->string)
					continue;
				kv[n].key = it->string;
				if (cJSON_IsString(it)) {
					kv[n].value = it->valuestring;
				} else {
					if (!(printed[np] = cJSON_PrintUnformatted(it)))
						goto out;
					kv[n].value = printed[np++];
				}
				n++;
			}
		}
	}
	sa.stack = stack ? stack : "";
	sa.project = project ? project : "";
	sa.organization = org ? org : "";
	sa.dry_run = dry ? strcmp(dry, "false") != 0 : 1;
	sa.n_config = n;
	sa.config = kv;
	if (pack_set_stack(pk, &sa) < 0)
		goto out;
	if (verbose)
		fprintf(stderr, MAIN_PROG ": stack %s/%s/%s from the environment, %zu config keys\n", sa.organization,
			sa.project, sa.stack, n);
	rc = 0;
out:
	for (size_t i = 0; i < np; i++)
		free(printed[i]);
	free(printed);
	free(kv);
	cJSON_Delete(root);
	return rc;
}

/* -config=FILE: the pack's initial configuration. Returns a CLI_* code. */
static int main_initial_config(struct pack *pk, const char *file)
{
	struct arena a;
	const char *e = NULL;
	char *pe = NULL;
	size_t len = 0;
	struct pack_layer layer;
	int rc = CLI_OK;

	arena_init(&a, 0);
	char *text = resjson_read_file(&a, file, &len, &e);
	if (!text) {
		fprintf(stderr, MAIN_PROG ": -config=%s: %s\n", file, e ? e : "cannot read");
		rc = CLI_INPUT;
	} else if (pack_layer_parse_json(&a, text, len, &layer, &pe) < 0 || pack_set_initial(pk, &layer, &pe) < 0) {
		fprintf(stderr, MAIN_PROG ": -config=%s: %s\n", file, pe ? pe : "invalid");
		rc = CLI_INPUT;
	}
	pack_err_free(pe);
	arena_release(&a);
	return rc;
}

/* ---- server mode -------------------------------------------------------------------- */

struct main_server {
	uv_loop_t loop;
	uv_signal_t sigint, sigterm;
	struct srv *srv;
	int abandoned;
	int verbose;
};

static void main_on_close(uv_handle_t *h)
{
	(void)h;
}

/*
 * The last resort of a stop: the calls are over (or abandoned) long before
 * this fires, but teardown after them (gRPC's own shutdown, freeing a
 * large heap) has no deadline of its own, and the engine's SIGKILL at 5 s
 * would turn a slow teardown into a crash report. Leaves with exit 0.
 */
static void *main_watchdog(void *arg)
{
	static const char msg[] = MAIN_PROG ": teardown is taking too long; exiting now\n";
	struct timespec ts = { MAIN_EXIT_MS / 1000, (long)(MAIN_EXIT_MS % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	if (arg && write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* Nothing to do: stderr is gone. */
	}
	_exit(CLI_OK);
	return NULL;
}

static void main_on_signal(uv_signal_t *h, int signum)
{
	struct main_server *m = h->data;
	double t0 = uv_hrtime() / 1e6;
	pthread_t wd;
	pthread_attr_t wa;

	if (pthread_attr_init(&wa) == 0) {
		pthread_attr_setdetachstate(&wa, PTHREAD_CREATE_DETACHED);
		pthread_create(&wd, &wa, main_watchdog, m->verbose ? m : NULL);
		pthread_attr_destroy(&wa);
	}

	if (m->verbose)
		fprintf(stderr, MAIN_PROG ": %s: stopping\n", signum == SIGINT ? "SIGINT" : "SIGTERM");
	/* Stop accepting, give in-flight calls a short grace, cancel the rest. */
	if (srv_stop(m->srv, MAIN_GRACE_MS, MAIN_HARD_MS) < 0)
		m->abandoned = 1;
	if (m->verbose)
		fprintf(stderr, MAIN_PROG ": stopped in %.1f ms%s\n", uv_hrtime() / 1e6 - t0,
			m->abandoned ? " (a handler is still running; exiting anyway)" : "");
	uv_signal_stop(&m->sigint);
	uv_signal_stop(&m->sigterm);
	uv_close((uv_handle_t *)&m->sigint, main_on_close);
	uv_close((uv_handle_t *)&m->sigterm, main_on_close);
	/*
	 * Stopping the last watcher restores the default action, which would
	 * let a second signal kill us during teardown and report a crash. We
	 * are exiting anyway: ignore them (SIGKILL still works).
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
}

static size_t main_env_size(const char *name, size_t dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return dflt;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end)
		return dflt;
	return (size_t)n;
}

/*
 * The port of a host:port listen address: 0..65535, or -1 when it is not a
 * decimal port (gRPC would take "127.0.0.1:99999" as port 34463). Unix
 * socket addresses have no port: 0.
 */
static long main_listen_port(const char *addr)
{
	const char *colon = strrchr(addr, ':');
	long port = 0;

	if (!strncmp(addr, "unix:", 5) || !strncmp(addr, "unix-abstract:", 14))
		return 0;
	if (!colon || !colon[1] || strlen(colon + 1) > 5)
		return -1;
	for (const char *p = colon + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		port = port * 10 + (*p - '0');
	}
	return port <= 65535 ? port : -1;
}

/*
 * glibc raises its mmap threshold each time a large mmapped block is freed
 * (up to 32 MB). After the first big AnalyzeStack (an 11 MB request buffer,
 * multi-MB arena blocks) every later block of that size came from the
 * per-thread heaps instead, where freed memory stays resident and fragments
 * between the two pollers' malloc arenas: peak RSS grew by ~30 MB over a
 * few big calls. A fixed threshold keeps big blocks mmapped, so freeing an
 * arena or a request buffer gives the pages back at once.
 */
#define MAIN_MMAP_THRESHOLD (128 * 1024)

static void main_malloc_setup(void)
{
#ifdef __GLIBC__
	/* Best effort: on failure glibc keeps its defaults, which only cost memory. */
	(void)mallopt(M_MMAP_THRESHOLD, MAIN_MMAP_THRESHOLD);
#endif
}

static int main_serve(struct pack *pk, const struct main_opts *o)
{
	struct an_state st;
	struct main_server m;
	struct srv_config cfg;
	const char *err = NULL;
	char dirbuf[PATH_MAX];
	int port = 0, rc = CLI_INTERNAL;
	double t_down = 0;

	main_malloc_setup();
	memset(&m, 0, sizeof(m));
	m.verbose = o->verbose;
	if (an_init(&st, pk, o->verbose) < 0) {
		fprintf(stderr, MAIN_PROG ": internal error: the analyzer service does not match the protocol\n");
		return CLI_INTERNAL;
	}

	/* PulumiPolicy.yaml: in the pack directory, or next to the binary (exe mode). */
	const char *dir = o->root ? o->root : o->pack_dir;
	if (dir) {
		/* Absolute, so the reported pack directory does not depend on later chdirs. */
		char cwd[PATH_MAX];
		if (dir[0] != '/' && getcwd(cwd, sizeof(cwd)) &&
		    snprintf(dirbuf, sizeof(dirbuf), "%s%s%s", cwd, strcmp(dir, ".") ? "/" : "",
			     strcmp(dir, ".") ? dir : "") < (int)sizeof(dirbuf))
			dir = dirbuf;
	} else {
		ssize_t k = readlink("/proc/self/exe", dirbuf, sizeof(dirbuf) - 1);
		if (k > 0) {
			dirbuf[k] = '\0';
			char *slash = strrchr(dirbuf, '/');
			if (slash)
				*slash = '\0';
			dir = dirbuf;
		}
	}
	if (dir && an_load_pack_yaml(&st, dir) < 0)
		goto out_an;
	if (o->config_file && (rc = main_initial_config(pk, o->config_file)) != CLI_OK)
		goto out_an;
	rc = CLI_INTERNAL;
	if (o->pack_dir && main_env_stack(pk, o->verbose) < 0)
		goto out_an;
	if (o->tracing && o->verbose)
		fprintf(stderr, MAIN_PROG ": tracing endpoint %s ignored\n", o->tracing);

	if (main_closed_fds[STDOUT_FILENO]) {
		fprintf(stderr, MAIN_PROG ": stdout is closed: the engine reads the port from it; not starting\n");
		goto out_an;
	}

	memset(&cfg, 0, sizeof(cfg));
	cfg.addr = getenv("PC_LISTEN") && *getenv("PC_LISTEN") ? getenv("PC_LISTEN") : "127.0.0.1:0";
	cfg.methods = an_methods(&st, &cfg.n_methods);
	cfg.ud = &st;
	cfg.pollers = (int)main_env_size("PC_POLLERS", SRV_DEFAULT_POLLERS);
	/* Hidden test knobs: a lower message limit and a per-request arena cap. */
	size_t max_msg = main_env_size("PC_MAX_MSG", SRV_DEFAULT_MAX_MSG);
	cfg.max_msg = max_msg > INT_MAX ? INT_MAX : (int)max_msg;
	cfg.arena_limit = main_env_size("PC_ARENA_LIMIT", MAIN_ARENA_LIMIT);

	/*
	 * Signals are watched before the port line goes out: the engine may
	 * signal as soon as it has read it, and the default action would not
	 * exit cleanly. Delivery waits in libuv's pipe until uv_run.
	 */
	uv_loop_init(&m.loop);
	uv_signal_init(&m.loop, &m.sigint);
	uv_signal_init(&m.loop, &m.sigterm);
	m.sigint.data = &m;
	m.sigterm.data = &m;
	uv_signal_start(&m.sigint, main_on_signal, SIGINT);
	uv_signal_start(&m.sigterm, main_on_signal, SIGTERM);

	/* Route gRPC's logs before and after init (init resets the verbosity). */
	srv_log_setup(o->verbose);
	grpc_init();
	srv_log_setup(o->verbose);
	long want_port = main_listen_port(cfg.addr);
	m.srv = want_port < 0 ? NULL : srv_start(&cfg, &port, &err);
	if (m.srv && want_port > 0 && port != want_port) {
		/* Bound somewhere else than asked: nobody would find us there. */
		if (srv_stop(m.srv, 0, MAIN_HARD_MS) == 0)
			srv_free(m.srv);
		m.srv = NULL;
		err = "bound a different port than the one asked for";
	}
	if (want_port < 0)
		err = "the port is not a number from 0 to 65535";
	if (!m.srv) {
		fprintf(stderr, MAIN_PROG ": cannot serve on %s: %s\n", cfg.addr, err ? err : "unknown error");
		uv_close((uv_handle_t *)&m.sigint, main_on_close);
		uv_close((uv_handle_t *)&m.sigterm, main_on_close);
		uv_run(&m.loop, UV_RUN_DEFAULT);
		uv_loop_close(&m.loop);
		rc = CLI_INTERNAL;
		goto out_grpc;
	}
	/*
	 * The engine reads exactly this line; everything else goes to stderr.
	 * If it cannot be written (stdout closed, nobody reading: EPIPE, as
	 * SIGPIPE is ignored) nobody will ever call us: stop instead of
	 * serving nothing until killed.
	 */
	errno = 0;
	if (printf("%d\n", port) < 0 || fflush(stdout) != 0) {
		int e = errno;
		fprintf(stderr, MAIN_PROG ": cannot write the port to stdout: %s; the engine reads it there\n",
			e ? strerror(e) : "write error");
		if (srv_stop(m.srv, 0, MAIN_HARD_MS) == 0)
			srv_free(m.srv);
		uv_close((uv_handle_t *)&m.sigint, main_on_close);
		uv_close((uv_handle_t *)&m.sigterm, main_on_close);
		uv_run(&m.loop, UV_RUN_DEFAULT);
		uv_loop_close(&m.loop);
		rc = CLI_INTERNAL;
		goto out_grpc;
	}
	if (o->verbose)
		fprintf(stderr, MAIN_PROG ": serving pulumirpc.Analyzer on 127.0.0.1:%d for engine %s (%zu policies)\n",
			port, o->engine, pk->n);

	uv_run(&m.loop, UV_RUN_DEFAULT);
	uv_loop_close(&m.loop);

	if (m.abandoned) {
		/* A handler still holds the server: tearing down would wait for it. */
		fflush(stderr);
		_exit(CLI_OK);
	}
	t_down = uv_hrtime() / 1e6;
	srv_free(m.srv);
	rc = CLI_OK;
out_grpc:
	grpc_shutdown_blocking();
	if (rc == CLI_OK && o->verbose)
		fprintf(stderr, MAIN_PROG ": gRPC shut down in %.1f ms\n", uv_hrtime() / 1e6 - t_down);
out_an:
	an_free(&st);
	return rc;
}

/*
 * Make sure fds 0-2 are open. A parent may start us with one closed; the
 * next open() - gRPC's listening socket, a connection - would then take
 * its number, and a log line meant for stderr would be written into an
 * HTTP/2 stream. /dev/null takes the slot instead; main_closed_fds remembers.
 */
static void main_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		main_closed_fds[fd] = 1;
		int nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (nfd >= 0 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

int main(int argc, char **argv)
{
	struct main_opts o;
	struct pack pk;
	char *err = NULL;
	int first, rc;

	/* A closed engine pipe must not kill us mid-write. */
	signal(SIGPIPE, SIG_IGN);
	main_std_fds();
	memset(&o, 0, sizeof(o));
	first = main_parse_flags(argc, argv, &o);
	if (first < 0)
		return CLI_USAGE;
	if (o.help) {
		main_usage(stdout);
		return CLI_OK;
	}
	if (o.version) {
		printf(MAIN_PROG " %s\n", PC_VERSION);
		return CLI_OK;
	}
	int check = first < argc && !strcmp(argv[first], "check");
	if (!check && !o.list_policies) {
		if (main_parse_positionals(argc, argv, first, &o) < 0)
			return CLI_USAGE;
		if (!o.engine) {
			fprintf(stderr, MAIN_PROG ": missing the engine address\n");
			main_usage(stderr);
			return CLI_USAGE;
		}
		/* The engine passes host:port; anything else is a mistyped command, not a server start. */
		if (!strchr(o.engine, ':')) {
			fprintf(stderr, MAIN_PROG ": unknown command '%s' (the engine address is host:port)\n", o.engine);
			main_usage(stderr);
			return CLI_USAGE;
		}
	} else if (o.list_policies && first < argc) {
		fprintf(stderr, MAIN_PROG ": --list-policies takes no arguments\n");
		main_usage(stderr);
		return CLI_USAGE;
	}

	if (pack_init(&pk, &err) < 0) {
		fprintf(stderr, MAIN_PROG ": %s\n", err ? err : "cannot load the policy registry");
		pack_err_free(err);
		return CLI_INTERNAL;
	}
	if (check)
		rc = checkmode_main(&pk, argc - first, argv + first, stdout, stderr);
	else if (o.list_policies)
		rc = listing_print(&pk, o.format, stdout, stderr);
	else
		rc = main_serve(&pk, &o);
	pack_free(&pk);
	fflush(stdout);
	return rc;
}
