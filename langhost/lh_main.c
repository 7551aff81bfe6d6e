/*
 * lh_main.c - pulumi-language-c: argv, the gRPC server, signals.
 *
 * The engine starts a language host as
 *   pulumi-language-c [--logtostderr] [-v=N] [--tracing ENDPOINT] <engine-address>
 * with the program's directory as working directory, reads the port from
 * the first stdout line, and later shows anything else we print as a
 * diagnostic: so the port line is all that goes to stdout, and stderr
 * stays quiet unless -v is given. Flags we do not know and extra
 * positionals are ignored, so a newer engine never breaks us. libuv owns
 * the main thread and turns SIGINT/SIGTERM (the engine's shutdown) into a
 * graceful stop: running analyzers are interrupted, then the server stops.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include <grpc/grpc.h>

#include "cli.h"
#include "lh.h"
#include "server.h"

#define LH_STOP_CHILDREN_MS 1500   /* analyzers get this long after SIGINT ... */
#define LH_GRACE_MS 300            /* ... then calls in flight get this long ... */
#define LH_HARD_MS 1000            /* ... and the server is gone by this */

struct lh_opts {
	int verbose;
	const char *tracing;
	const char *engine;
	int version;
	int help;
};

struct lh_main {
	uv_loop_t loop;
	uv_signal_t sigint, sigterm;
	struct srv *srv;
	int abandoned;
	int verbose;
};

static void lh_usage(FILE *f)
{
	fprintf(f,
		"usage: " LH_PROG " [--logtostderr] [-v=N] [--tracing ENDPOINT] <engine-address>\n"
		"       " LH_PROG " --version | --help\n"
		"\n"
		"The Pulumi language host for `runtime: " LH_RUNTIME "` policy packs. Started by the Pulumi\n"
		"engine, it serves pulumirpc.LanguageRuntime on 127.0.0.1 and prints its port on the first\n"
		"line of stdout. It installs packs (checks PulumiPolicy.yaml and the analyzer binary) and\n"
		"runs " LH_ANALYZER " for them.\n");
}

/*
 * Go-style flags up to the first positional: -v/--v[=N], --logtostderr,
 * --tracing X / --tracing=X, --version, --help; anything else starting
 * with '-' is skipped. Returns the index of the first positional.
 */
static int lh_parse_flags(int argc, char **argv, struct lh_opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a, *val;
		size_t nlen;
		enum cli_word w = cli_flag_split(argv[i], &a, &nlen, &val);
		if (w == CLI_POSITIONAL)
			break;
		if (w == CLI_FLAGS_END) {
			i++;
			break;
		}
		if (nlen == 1 && a[0] == 'v') {
			o->verbose = val ? atoi(val) : 1;
		} else if (nlen == 7 && !strncmp(a, "tracing", 7)) {
			if (!val && i + 1 < argc)
				val = argv[++i];
			o->tracing = val;
		} else if (nlen == 7 && !strncmp(a, "version", 7)) {
			o->version = 1;
		} else if ((nlen == 4 && !strncmp(a, "help", 4)) || (nlen == 1 && a[0] == 'h')) {
			o->help = 1;
		}
		/* --logtostderr and unknown flags: nothing to do (logs go to stderr anyway). */
	}
	return i;
}

static void lh_on_close(uv_handle_t *h)
{
	(void)h;
}

static void lh_on_signal(uv_signal_t *h, int signum)
{
	struct lh_main *m = h->data;

	if (m->verbose)
		fprintf(stderr, LH_PROG ": %s: stopping\n", signum == SIGINT ? "SIGINT" : "SIGTERM");
	/* Analyzers first: their RunPlugin calls then end with an exit code. */
	lh_run_stop_all(LH_STOP_CHILDREN_MS);
	if (srv_stop(m->srv, LH_GRACE_MS, LH_HARD_MS) < 0)
		m->abandoned = 1;
	uv_signal_stop(&m->sigint);
	uv_signal_stop(&m->sigterm);
	uv_close((uv_handle_t *)&m->sigint, lh_on_close);
	uv_close((uv_handle_t *)&m->sigterm, lh_on_close);
}

static void lh_self(struct lh_state *lh)
{
	ssize_t k = readlink("/proc/self/exe", lh->self, sizeof(lh->self) - 1);

	if (k <= 0) {
		lh->self[0] = '\0';
		return;
	}
	lh->self[k] = '\0';
	snprintf(lh->self_dir, sizeof(lh->self_dir), "%s", lh->self);
	char *slash = strrchr(lh->self_dir, '/');
	if (slash)
		*slash = '\0';
	else
		lh->self_dir[0] = '\0';
}

int main(int argc, char **argv)
{
	static struct lh_state lh;
	struct lh_opts o;
	struct lh_main m;
	struct srv_config cfg;
	const struct srv_stream_method *streams;
	size_t n_streams;
	const char *err = NULL;
	int first, port = 0;

	/* A closed engine pipe must not kill us mid-write. */
	signal(SIGPIPE, SIG_IGN);
	memset(&o, 0, sizeof(o));
	first = lh_parse_flags(argc, argv, &o);
	if (o.help) {
		lh_usage(stdout);
		return 0;
	}
	if (o.version) {
		printf(LH_PROG " %s\n", PC_VERSION);
		return 0;
	}
	/* The engine address comes last among the engine's arguments; extras are tolerated. */
	if (first < argc)
		o.engine = argv[first];
	if (!o.engine) {
		fprintf(stderr, LH_PROG ": missing the engine address\n");
		lh_usage(stderr);
		return 2;
	}
	lh.verbose = o.verbose;
	lh_self(&lh);
	/* Computed once here, before any thread can ask for it. */
	(void)lh_platform();

	memset(&cfg, 0, sizeof(cfg));
	cfg.addr = "127.0.0.1:0";
	cfg.ud = &lh;
	cfg.pollers = SRV_DEFAULT_POLLERS;
	if (lh_service_init(&lh, &cfg.methods, &cfg.n_methods, &streams, &n_streams) < 0) {
		fprintf(stderr, LH_PROG ": internal error: the language service does not match the protocol\n");
		return 4;
	}

	memset(&m, 0, sizeof(m));
	m.verbose = o.verbose;
	/* Watch signals before the port line: the engine may signal right after reading it. */
	uv_loop_init(&m.loop);
	uv_signal_init(&m.loop, &m.sigint);
	uv_signal_init(&m.loop, &m.sigterm);
	m.sigint.data = &m;
	m.sigterm.data = &m;
	uv_signal_start(&m.sigint, lh_on_signal, SIGINT);
	uv_signal_start(&m.sigterm, lh_on_signal, SIGTERM);

	srv_log_setup(o.verbose);
	grpc_init();
	srv_log_setup(o.verbose);
	m.srv = srv_start_streams(&cfg, streams, n_streams, &port, &err);
	if (!m.srv) {
		fprintf(stderr, LH_PROG ": cannot serve on %s: %s\n", cfg.addr, err ? err : "unknown error");
		uv_close((uv_handle_t *)&m.sigint, lh_on_close);
		uv_close((uv_handle_t *)&m.sigterm, lh_on_close);
		uv_run(&m.loop, UV_RUN_DEFAULT);
		uv_loop_close(&m.loop);
		grpc_shutdown_blocking();
		return 4;
	}
	printf("%d\n", port);
	fflush(stdout);
	if (o.verbose)
		fprintf(stderr, LH_PROG ": serving pulumirpc.LanguageRuntime on 127.0.0.1:%d for engine %s%s%s\n",
			port, o.engine, o.tracing ? " (tracing ignored: " : "", o.tracing ? ")" : "");

	uv_run(&m.loop, UV_RUN_DEFAULT);
	uv_loop_close(&m.loop);
	if (m.abandoned) {
		/* A handler still holds the server: tearing down would wait for it. */
		fflush(stderr);
		_exit(0);
	}
	srv_free(m.srv);
	grpc_shutdown_blocking();
	return 0;
}
