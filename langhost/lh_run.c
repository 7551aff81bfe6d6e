/*
 * lh_run.c - child processes: the analyzer a RunPlugin call starts, and the
 * short `--version` probe InstallDependencies makes.
 *
 * A RunPlugin child belongs to one thread (the pump) from fork to reaping:
 * the pump forwards its output to the stream and waits for it. Cancellation
 * arrives on a poller thread and only signals the child's process group
 * and wakes the pump. The pid is never signalled once the pump has decided
 * to reap it (`exited`, under the run's lock), so a recycled pid is never
 * hit.
 */
#define _GNU_SOURCE   /* pipe2, O_CLOEXEC, environ, waitid's WNOWAIT */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lh.h"
#include "pulumi/language.pb-c.h"

#define LH_KILL_AFTER_MS 2000   /* SIGINT, then SIGKILL this much later */
#define LH_TICK_MS 100          /* how often a running child is checked for exit */
#define LH_CHUNK 32768          /* bytes per output message */
#define LH_MAX_QUEUED 64        /* replies waiting before the pump stops reading */

struct lh_run {
	struct lh_run *next;        /* lh_runs list */
	struct srv_stream *st;
	char **argv;
	char **envp;
	char *cwd;
	int verbose;
	pthread_mutex_t mu;         /* pid, exited, int_at */
	pid_t pid;                  /* 0 until started */
	int exited;                 /* being reaped: never signal pid again */
	double int_at;              /* when SIGINT was sent (ms), 0 = not yet */
	int wake[2];                /* cancellation wakes the pump through this pipe */
	atomic_int cancelled;
};

static pthread_mutex_t lh_runs_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t lh_runs_cv = PTHREAD_COND_INITIALIZER;
static struct lh_run *lh_runs;

static double lh_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void lh_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* ---- fork and exec ------------------------------------------------------------ */

/*
 * Start `cmd` with stdout on `out_fd`, stderr on `err_fd`, stdin from
 * /dev/null, in a new process group. Returns the pid, or -1 with *err and
 * *stage (static string) saying what failed, in the parent or the child.
 */
static pid_t lh_spawn(const struct lh_cmd *cmd, int out_fd, int err_fd, int *err, const char **stage)
{
	static const char *const stages[] = { "fork", "chdir", "exec", "setup" };
	int ep[2], msg[2];
	pid_t parent = getpid(), pid;
	ssize_t n;

	*stage = stages[0];
	if (pipe2(ep, O_CLOEXEC) < 0) {
		*err = errno;
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		*err = errno;
		close(ep[0]);
		close(ep[1]);
		return -1;
	}
	if (pid == 0) {
		/* The child of a threaded process: async-signal-safe calls only. */
		sigset_t none;
		int code = 3, fd;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		setpgid(0, 0);
		/* If we die without cleaning up, so does the analyzer. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
		    dup2(err_fd, STDERR_FILENO) < 0)
			goto fail;
		code = 1;
		if (cmd->cwd && *cmd->cwd && chdir(cmd->cwd) < 0)
			goto fail;
		code = 2;
		execve(cmd->argv[0], cmd->argv, cmd->envp ? cmd->envp : environ);
fail:
		msg[0] = code;
		msg[1] = errno;
		n = write(ep[1], msg, sizeof(msg));
		(void)n;
		_exit(127);
	}
	close(ep[1]);
	do
		n = read(ep[0], msg, sizeof(msg));
	while (n < 0 && errno == EINTR);
	close(ep[0]);
	if (n == (ssize_t)sizeof(msg)) {
		/* The exec never happened: reap the child now. */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		*stage = stages[msg[0] >= 0 && msg[0] < 4 ? msg[0] : 3];
		*err = msg[1];
		return -1;
	}
	return pid;
}

static int lh_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -1;   /* killed by a signal: what Go's ProcessState.ExitCode says */
}

/* ---- capture (InstallDependencies' probe) ---------------------------------------------- */

int lh_run_capture(const struct lh_cmd *cmd, int timeout_ms, char *out, size_t cap)
{
	int p[2], err = 0, status = 0, timed_out = 0;
	const char *stage = NULL;
	size_t len = 0;
	double deadline = lh_now_ms() + timeout_ms;
	pid_t pid;

	out[0] = '\0';
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(out, cap, "pipe: %s", strerror(errno));
		return -2;
	}
	pid = lh_spawn(cmd, p[1], p[1], &err, &stage);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		snprintf(out, cap, "%s: %s", stage, strerror(err));
		return -2;
	}
	for (;;) {
		struct pollfd pfd = { p[0], POLLIN, 0 };
		int left = (int)(deadline - lh_now_ms());
		if (left <= 0) {
			kill(-pid, SIGKILL);
			timed_out = 1;
			break;
		}
		int r = poll(&pfd, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		char buf[4096];
		ssize_t n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t k = (size_t)n;
		if (len + k >= cap)
			k = cap - 1 - len;
		memcpy(out + len, buf, k);
		len += k;
		out[len] = '\0';
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return timed_out ? -3 : lh_exit_code(status);
}

/* ---- RunPlugin ----------------------------------------------------------------- */

/* Signal the run's process group unless it is being reaped. */
static void lh_run_signal(struct lh_run *r, int sig)
{
	pthread_mutex_lock(&r->mu);
	if (r->pid > 0 && !r->exited) {
		if (kill(-r->pid, sig) < 0)
			kill(r->pid, sig);   /* the child may not have called setpgid yet */
		if (sig == SIGINT && r->int_at == 0)
			r->int_at = lh_now_ms();
	}
	pthread_mutex_unlock(&r->mu);
}

/* Poller thread: the engine cancelled RunPlugin (plugin Kill) or went away. */
static void lh_run_on_cancel(struct srv_stream *st, void *ud)
{
	struct lh_run *r = ud;
	ssize_t n;

	(void)st;
	atomic_store(&r->cancelled, 1);
	lh_run_signal(r, SIGINT);
	n = write(r->wake[1], "x", 1);
	(void)n;
}

static int lh_send_output(struct lh_run *r, int is_err, const void *data, size_t len)
{
	Pulumirpc__RunPluginResponse m = PULUMIRPC__RUN_PLUGIN_RESPONSE__INIT;

	if (is_err) {
		m.output_case = PULUMIRPC__RUN_PLUGIN_RESPONSE__OUTPUT_STDERR;
		m.stderr.len = len;
		m.stderr.data = (uint8_t *)data;
	} else {
		m.output_case = PULUMIRPC__RUN_PLUGIN_RESPONSE__OUTPUT_STDOUT;
		m.stdout.len = len;
		m.stdout.data = (uint8_t *)data;
	}
	if (srv_stream_send(r->st, &m.base) < 0)
		return -1;
	/* Stop reading (so the child blocks on its pipe) while the engine lags. */
	return srv_stream_flush(r->st, LH_MAX_QUEUED);
}

/* Read what is available on *fd and forward it; closes it at EOF. */
static void lh_pump_fd(struct lh_run *r, int *fd, int is_err, char *buf)
{
	ssize_t n = read(*fd, buf, LH_CHUNK);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	/* Once the call is over the output is dropped, but still read so the child never blocks. */
	if (!atomic_load(&r->cancelled))
		lh_send_output(r, is_err, buf, (size_t)n);
}

static void lh_run_free(struct lh_run *r)
{
	pthread_mutex_lock(&lh_runs_mu);
	for (struct lh_run **pp = &lh_runs; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	pthread_cond_broadcast(&lh_runs_cv);
	pthread_mutex_unlock(&lh_runs_mu);
	lh_strv_free(r->argv);
	lh_strv_free(r->envp);
	free(r->cwd);
	close(r->wake[0]);
	close(r->wake[1]);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static void *lh_pump(void *arg)
{
	struct lh_run *r = arg;
	struct lh_cmd cmd = { r->argv, r->envp, r->cwd };
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int child_done = 0, status = 0, e = 0, code;
	const char *stage = NULL;
	char *buf = NULL;
	pid_t pid;

	srv_stream_on_cancel(r->st, lh_run_on_cancel, r);
	if (atomic_load(&r->cancelled)) {
		srv_stream_finish(r->st, GRPC_STATUS_CANCELLED, "cancelled before the analyzer started");
		goto out;
	}
	buf = malloc(LH_CHUNK);
	if (!buf || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		srv_stream_finish(r->st, GRPC_STATUS_RESOURCE_EXHAUSTED, "cannot allocate pipes for the analyzer");
		goto out;
	}
	pid = lh_spawn(&cmd, out[1], err[1], &e, &stage);
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;
	if (pid < 0) {
		char msg[PATH_MAX + 128];
		int n = snprintf(msg, sizeof(msg), LH_PROG ": cannot start %s (%s): %s\n", r->argv[0], stage,
				 strerror(e));
		/* On stderr too: the engine shows plugin stderr, not always the status. */
		lh_send_output(r, 1, msg, n < (int)sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
		msg[strcspn(msg, "\n")] = '\0';
		srv_stream_finish(r->st, GRPC_STATUS_FAILED_PRECONDITION, msg + strlen(LH_PROG ": "));
		goto out;
	}
	pthread_mutex_lock(&r->mu);
	r->pid = pid;
	pthread_mutex_unlock(&r->mu);
	if (r->verbose)
		fprintf(stderr, LH_PROG ": started %s (pid %d)\n", r->argv[0], (int)pid);
	/* A cancellation that came before the pid was known. */
	if (atomic_load(&r->cancelled))
		lh_run_signal(r, SIGINT);

	for (;;) {
		struct pollfd pfd[3];
		nfds_t n = 0;
		int timeout = LH_TICK_MS;

		if (!child_done) {
			siginfo_t si;
			memset(&si, 0, sizeof(si));
			/* WNOWAIT: look, but leave the zombie so its pid stays ours until reaped. */
			if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
				child_done = 1;
		}
		if (out[0] < 0 && err[0] < 0 && child_done)
			break;
		if (child_done)
			timeout = 0;   /* drain what is buffered; a grandchild may hold the pipes open */
		else if (out[0] < 0 && err[0] < 0)
			timeout = 5;   /* output closed: the exit is moments away, look again soon */
		pthread_mutex_lock(&r->mu);
		double int_at = r->int_at;
		pthread_mutex_unlock(&r->mu);
		if (int_at > 0 && !child_done) {
			double left = int_at + LH_KILL_AFTER_MS - lh_now_ms();
			if (left <= 0) {
				lh_run_signal(r, SIGKILL);
			} else if (left < timeout) {
				timeout = (int)left + 1;
			}
		}
		if (out[0] >= 0)
			pfd[n++] = (struct pollfd){ out[0], POLLIN, 0 };
		if (err[0] >= 0)
			pfd[n++] = (struct pollfd){ err[0], POLLIN, 0 };
		pfd[n++] = (struct pollfd){ r->wake[0], POLLIN, 0 };
		int k = poll(pfd, n, timeout);
		if (k < 0 && errno != EINTR)
			break;
		if (k == 0 && child_done)
			break;
		for (nfds_t i = 0; k > 0 && i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (pfd[i].fd == r->wake[0]) {
				char junk[16];
				ssize_t rd = read(r->wake[0], junk, sizeof(junk));
				(void)rd;
			} else if (pfd[i].fd == out[0]) {
				lh_pump_fd(r, &out[0], 0, buf);
			} else if (pfd[i].fd == err[0]) {
				lh_pump_fd(r, &err[0], 1, buf);
			}
		}
	}

	pthread_mutex_lock(&r->mu);
	r->exited = 1;
	pthread_mutex_unlock(&r->mu);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	code = lh_exit_code(status);
	if (r->verbose)
		fprintf(stderr, LH_PROG ": %s (pid %d) exited with %d\n", r->argv[0], (int)pid, code);
	if (atomic_load(&r->cancelled)) {
		srv_stream_finish(r->st, GRPC_STATUS_CANCELLED, "cancelled");
	} else {
		Pulumirpc__RunPluginResponse m = PULUMIRPC__RUN_PLUGIN_RESPONSE__INIT;
		m.output_case = PULUMIRPC__RUN_PLUGIN_RESPONSE__OUTPUT_EXITCODE;
		m.exitcode = code;
		srv_stream_send(r->st, &m.base);
		srv_stream_finish(r->st, GRPC_STATUS_OK, NULL);
	}
out:
	/* srv_stream_finish waited for a running cancellation callback: r is ours alone now. */
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	free(buf);
	lh_run_free(r);
	return NULL;
}

int lh_run_stream(struct srv_stream *st, char **argv, char **envp, const char *cwd, int verbose)
{
	struct lh_run *r = calloc(1, sizeof(*r));
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t t;
	int rc;

	if (!r)
		return -1;
	r->wake[0] = r->wake[1] = -1;
	if ((cwd && !(r->cwd = strdup(cwd))) || pipe2(r->wake, O_CLOEXEC) < 0) {
		free(r->cwd);
		free(r);
		return -1;
	}
	r->st = st;
	r->argv = argv;
	r->envp = envp;
	r->verbose = verbose;
	pthread_mutex_init(&r->mu, NULL);
	atomic_init(&r->cancelled, 0);

	pthread_mutex_lock(&lh_runs_mu);
	r->next = lh_runs;
	lh_runs = r;
	pthread_mutex_unlock(&lh_runs_mu);

	/* Signals belong to the main thread's event loop, not to the pump. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, lh_pump, r);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		/* The caller keeps argv/envp. */
		r->argv = r->envp = NULL;
		lh_run_free(r);
		return -1;
	}
	return 0;
}

void lh_run_stop_all(int wait_ms)
{
	struct timespec dl;
	double t_end = lh_now_ms() + wait_ms;

	pthread_mutex_lock(&lh_runs_mu);
	for (struct lh_run *r = lh_runs; r; r = r->next)
		lh_run_signal(r, SIGINT);
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += wait_ms / 1000;
	dl.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	while (lh_runs && lh_now_ms() < t_end)
		if (pthread_cond_timedwait(&lh_runs_cv, &lh_runs_mu, &dl) == ETIMEDOUT)
			break;
	for (struct lh_run *r = lh_runs; r; r = r->next)
		lh_run_signal(r, SIGKILL);
	pthread_mutex_unlock(&lh_runs_mu);
}
