/*
 * runner.c - runs policies and implements the policy-facing API of policy.h.
 *
 * Everything cross-cutting lives here so policy functions stay small and
 * pure: which policies apply to a type, enforcement levels (never DISABLED on
 * the wire, REMEDIATE reported as MANDATORY), exclusions, what to do with
 * unknowns, not-applicable reasons, and the secret-redaction safety net.
 */
#include "runner.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "iam.h"
#include "ptrhash.h"
#include "redact.h"

struct run_shared {
	int collected;
	struct redact_set red;        /* read only once collected */
	/* Parsed policy documents by value pointer: each is parsed once per request. */
	size_t n_docs, cap_docs;
	const pv_value **doc_keys;
	struct iam_doc **docs;
};

struct pol_ctx {
	const struct pack *pk;
	const struct pack_snapshot *snap;
	const struct pack_policy *pp;
	const struct pack_setting *set;
	/*
	 * `a` is what the policy allocates from (pol_arena): in stack runs a
	 * scratch arena of its own, released when it is done, so a stack's
	 * temporaries peak at one policy's rather than adding up. `run` is
	 * the run's arena: what outlives the policy (results, caches shared
	 * by the policies) goes there. Equal outside stack runs.
	 */
	struct arena *a;
	struct arena *run;
	struct run_result *out;
	const struct pol_resource *r;     /* resource policies */
	const struct stk_index *s;        /* stack policies */
	const char *unknown_path;
	size_t n_reported;
	const char *na_reason;
	struct run_shared *redact;
};

void run_result_init(struct run_result *out)
{
	memset(out, 0, sizeof(*out));
}

/* ---- result growth ----------------------------------------------------------- */

static struct run_diag *add_diag(struct arena *a, struct run_result *out)
{
	struct run_diag *d = arena_grow(a, out->diags, out->n_diags, &out->cap_diags, sizeof(*d));
	if (!d) {
		out->oom = 1;
		return NULL;
	}
	out->diags = d;
	return &out->diags[out->n_diags++];
}

static void add_na(struct arena *a, struct run_result *out, const struct pack_policy *pp, const char *reason)
{
	struct run_na *n = arena_grow(a, out->nas, out->n_nas, &out->cap_nas, sizeof(*n));
	if (!n || !reason) {
		out->oom = 1;
		return;
	}
	out->nas = n;
	out->nas[out->n_nas].pp = pp;
	out->nas[out->n_nas].reason = reason;
	out->n_nas++;
}

/* ---- secret redaction (redact.h) ------------------------------------------------ */

/* Findings' details up to this long are formatted on the stack (pol_report). */
#define RUN_DETAIL_STACK 1024

/* The request's secrets, collected on the first report: most requests report nothing. */
static void redact_collect(struct pol_ctx *c)
{
	struct run_shared *rd = c->redact;
	if (rd->collected)
		return;
	rd->collected = 1;
	if (c->r)
		redact_collect_resource(c->run, &rd->red, c->r);
	if (c->s)
		for (size_t i = 0; i < c->s->n; i++)
			redact_collect_resource(c->run, &rd->red, &c->s->res[i]);
	redact_index(c->run, &rd->red);
}

/* ---- policy-facing API (policy.h) ------------------------------------------------ */

struct arena *pol_arena(struct pol_ctx *c)
{
	return c->a;
}

const struct iam_doc *pol_iam_doc(struct pol_ctx *c, const pv_value *v)
{
	struct run_shared *sh = c->redact;
	/*
	 * A value the policy built in its scratch arena is parsed there and not
	 * remembered: the next policy's scratch may reuse its address.
	 */
	if (v && c->a != c->run && arena_owns(c->a, v)) {
		struct iam_doc *d = arena_alloc(c->a, sizeof(*d));
		if (!d) {
			c->out->oom = 1;
			return NULL;
		}
		iam_doc_parse(c->a, v, d);
		return d;
	}
	/* Open addressing on the pointer: documents are few per resource, many per stack. */
	if ((sh->n_docs + 1) * 2 > sh->cap_docs) {
		size_t cap = sh->cap_docs ? sh->cap_docs * 2 : 16;
		const pv_value **keys = arena_alloc(c->run, cap * sizeof(*keys));
		struct iam_doc **docs = arena_alloc(c->run, cap * sizeof(*docs));
		if (!keys || !docs) {
			c->out->oom = 1;
			return NULL;
		}
		for (size_t i = 0; i < sh->cap_docs; i++) {
			if (!sh->doc_keys[i])
				continue;
			size_t k = ptrhash_slot(sh->doc_keys[i], cap - 1);
			while (keys[k])
				k = (k + 1) & (cap - 1);
			keys[k] = sh->doc_keys[i];
			docs[k] = sh->docs[i];
		}
		sh->doc_keys = keys;
		sh->docs = docs;
		sh->cap_docs = cap;
	}
	size_t k = ptrhash_slot(v, sh->cap_docs - 1);
	while (sh->doc_keys[k]) {
		if (sh->doc_keys[k] == v)
			return sh->docs[k];
		k = (k + 1) & (sh->cap_docs - 1);
	}
	struct iam_doc *d = arena_alloc(c->run, sizeof(*d));
	if (!d) {
		c->out->oom = 1;
		return NULL;
	}
	iam_doc_parse(c->run, v, d);
	if (v) {
		sh->doc_keys[k] = v;
		sh->docs[k] = d;
		sh->n_docs++;
	}
	return d;
}

const struct policy *pol_policy(const struct pol_ctx *c)
{
	return c->pp->p;
}

static int excluded(const struct pol_ctx *c, const char *urn, const char *name, const char *type);

/* `s` kept for the result: itself, or a copy in the run's arena when the policy has a scratch one. */
static const char *run_keep(const struct pol_ctx *c, const char *s)
{
	return c->a != c->run ? arena_strdup(c->run, s) : s;
}

/* The arena a diagnostic's message goes to (run_result.keep). */
static struct arena *msg_arena(const struct pol_ctx *c)
{
	return c->out->keep ? c->out->keep : c->run;
}

void pol_report(struct pol_ctx *c, const char *urn, const char *path, const char *fmt, ...)
{
	if (c->r)
		urn = c->r->urn;   /* resource policies always report on the analysed resource */
	if (!urn || !*urn) {
		const struct pol_resource *root = c->s ? stk_root(c->s) : NULL;
		urn = root ? root->urn : "";
	}
	if (c->s) {
		const struct pol_resource *t = stk_by_urn(c->s, urn);
		if (t && excluded(c, t->urn, t->name, t->type))
			return;
		/* The policy's string may be in its scratch arena: keep the stack's own, or a copy. */
		if (!(urn = t ? t->urn : run_keep(c, urn))) {
			c->out->oom = 1;
			return;
		}
	}
	/*
	 * The detail only lives until it is joined to the description: format
	 * it on the stack (the arena only when it is longer), so a stack of
	 * thousands of findings keeps one copy of each message, not two.
	 */
	char tmp[RUN_DETAIL_STACK];
	size_t len;
	va_list ap;
	va_start(ap, fmt);
	char *detail = arena_vformat(c->a, tmp, sizeof(tmp), &len, fmt, ap);
	va_end(ap);
	if (!detail) {
		c->out->oom = 1;
		return;
	}
	/* description "\n" detail [" (at " path ")"]: the path is named once. */
	int named = path && *path && !strstr(detail, path);
	/*
	 * Only the detail and the path come from the resource: the description
	 * is the pack's own text and says nothing about any secret, so it is
	 * not searched.
	 */
	redact_collect(c);
	/* A secret that could not be recorded might be in the message: report nothing rather than leak. */
	detail = c->redact->red.oom ? NULL : redact_apply(c->a, &c->redact->red, detail, len);
	if (named && detail && c->redact->red.n) {
		char *p = arena_strdup(c->a, path);
		if (!(path = p ? redact_apply(c->a, &c->redact->red, p, strlen(p)) : NULL))
			detail = NULL;
	}
	const char *parts[] = { c->pp->p->description, "\n", detail, " (at ", path, ")" };
	char *msg = detail ? arena_concat(msg_arena(c), parts, named ? 6 : 3, NULL) : NULL;
	struct run_diag *d = msg ? add_diag(c->run, c->out) : NULL;
	if (!d) {
		c->out->oom = 1;
		return;
	}
	d->pp = c->pp;
	d->urn = urn;
	d->message = msg;
	/* The engine shows REMEDIATE as MANDATORY; say so ourselves rather than rely on it. */
	d->level = c->set->level == POL_ADVISORY ? POL_ADVISORY : POL_MANDATORY;
	d->severity = c->pp->p->severity;
	c->n_reported++;
}

void pol_unknown(struct pol_ctx *c, const char *path)
{
	if (!c->unknown_path)
		c->unknown_path = path && *path ? path : "(value)";
}

void pol_not_applicable(struct pol_ctx *c, const char *reason)
{
	c->na_reason = reason && *reason ? reason : "Policy is not applicable to this resource";
}

const pv_value *pol_cfg(const struct pol_ctx *c, const char *key)
{
	const pv_value *v = c->set->props ? pv_get(c->set->props, key) : NULL;
	return v ? v : pv_get(c->pp->defaults, key);
}

int pol_cfg_bool(const struct pol_ctx *c, const char *key)
{
	int b = 0;
	return pv_get_bool(pol_cfg(c, key), &b) == PV_OK && b;
}

double pol_cfg_num(const struct pol_ctx *c, const char *key, double dflt)
{
	double d;
	return pv_get_num(pol_cfg(c, key), &d) == PV_OK ? d : dflt;
}

const char *pol_cfg_str(const struct pol_ctx *c, const char *key)
{
	return pv_str(pol_cfg(c, key));
}

int pol_cfg_list_has(const struct pol_ctx *c, const char *key, const char *s)
{
	const pv_value *l = pol_cfg(c, key), *e;
	if (!s)
		return 0;
	PV_LIST_FOREACH(i, e, l) {
		const char *x = pv_str(e);
		if (x && strcmp(x, s) == 0)
			return 1;
	}
	return 0;
}

int pol_cfg_list_glob(const struct pol_ctx *c, const char *key, const char *s)
{
	const pv_value *l = pol_cfg(c, key), *e;
	if (!s)
		return 0;
	PV_LIST_FOREACH(i, e, l) {
		const char *x = pv_str(e);
		if (x && pol_glob(x, s))
			return 1;
	}
	return 0;
}

const struct pol_stack_info *pol_stack(const struct pol_ctx *c)
{
	return c->snap->stack;
}

static const char *kv_find(const struct pack_kv *kv, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(kv[mid].key, key);
		if (cmp == 0)
			return kv[mid].value;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *pol_stack_config(const struct pol_ctx *c, const char *key)
{
	return key ? kv_find(c->snap->config, c->snap->n_config, key) : NULL;
}

const char *pol_stack_tag(const struct pol_ctx *c, const char *key)
{
	return key ? kv_find(c->snap->tags, c->snap->n_tags, key) : NULL;
}

int pol_is_default_provider(const char *provider_type, const char *provider_urn, const char *provider_name)
{
	if (!provider_type || strncmp(provider_type, "pulumi:providers:", 17) != 0)
		return 0;
	const char *name = provider_name && *provider_name ? provider_name : pol_urn_name(provider_urn);
	return name && strncmp(name, "default", 7) == 0;
}

int pol_region(const struct pol_ctx *c, const struct pol_resource *r, const char **out)
{
	const char *s;
	int rc = pv_get_str(pv_get(r->props, "region"), &s);
	if (rc == PV_OK && *s) {
		*out = s;
		return PV_OK;
	}
	if (rc == PV_EUNKNOWN)
		return PV_EUNKNOWN;
	rc = pv_get_str(pv_get(r->provider_props, "region"), &s);
	if (rc == PV_OK && *s) {
		*out = s;
		return PV_OK;
	}
	if (rc == PV_EUNKNOWN)
		return PV_EUNKNOWN;
	/* Default providers are configured from the stack's aws:* config. */
	if (!*r->provider_urn || pol_is_default_provider(r->provider_type, r->provider_urn, r->provider_name)) {
		s = pol_stack_config(c, "aws:region");
		if (s && *s) {
			*out = s;
			return PV_OK;
		}
	}
	return PV_EMISSING;
}

int pol_ignores_changes(const struct pol_resource *r, const char *path)
{
	for (size_t i = 0; path && i < r->n_ignore_changes; i++) {
		const char *e = r->ignore_changes[i];
		size_t n = strlen(e);
		if (!strcmp(e, "*") || (strncmp(path, e, n) == 0 && (path[n] == '\0' || path[n] == '.' || path[n] == '[')))
			return 1;
	}
	return 0;
}

/* After the third "::" of a URN comes the name (which may itself contain "::"). */
const char *pol_urn_name(const char *urn)
{
	if (!urn)
		return "";
	const char *p = urn;
	for (int i = 0; i < 3; i++) {
		p = strstr(p, "::");
		if (!p)
			return urn;
		p += 2;
	}
	return p;
}

const char *pol_urn_type(struct pol_ctx *c, const char *urn)
{
	if (!urn)
		return "";
	const char *p = urn;
	for (int i = 0; i < 2; i++) {
		p = strstr(p, "::");
		if (!p)
			return "";
		p += 2;
	}
	const char *end = strstr(p, "::");
	if (!end)
		return "";
	const char *last = p;
	for (const char *q = p; q < end; q++)
		if (*q == '$')
			last = q + 1;
	return arena_strndup(c->a, last, (size_t)(end - last));
}

int pol_glob(const char *pat, const char *s)
{
	/* Greedy match remembering only the last '*': O(len(pat) * len(s)) worst case, never exponential. */
	const char *star = NULL, *ss = NULL;
	if (!pat || !s)
		return 0;
	while (*s) {
		if (*pat == '?' || (*pat != '*' && *pat == *s)) {
			pat++;
			s++;
		} else if (*pat == '*') {
			star = pat++;
			ss = s;
		} else if (star) {
			pat = star + 1;
			s = ++ss;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

/* ---- running ----------------------------------------------------------------- */

static int applies_to(const struct policy *p, const char *type)
{
	if (!p->types)
		return 1;
	for (const char *const *t = p->types; *t; t++) {
		size_t n = strlen(*t);
		if (n && (*t)[n - 1] == '*') {
			if (strncmp(*t, type, n - 1) == 0)
				return 1;
		} else if (strcmp(*t, type) == 0) {
			return 1;
		}
	}
	return 0;
}

static int excluded(const struct pol_ctx *c, const char *urn, const char *name, const char *type)
{
	const pv_value *l = pol_cfg(c, "exclude"), *e;
	PV_LIST_FOREACH(i, e, l) {
		const char *pat = pv_str(e);
		if (!pat)
			continue;
		if (pol_glob(pat, urn) || pol_glob(pat, name))
			return 1;
		char tn[512];
		if ((size_t)snprintf(tn, sizeof(tn), "%s::%s", type, name) < sizeof(tn) && pol_glob(pat, tn))
			return 1;
	}
	return 0;
}

/* What the runner does after a policy function returns. */
static void finish(struct pol_ctx *c)
{
	if (c->n_reported)
		return;
	if (c->na_reason) {
		add_na(c->run, c->out, c->pp, run_keep(c, c->na_reason));
		return;
	}
	if (!c->unknown_path)
		return;
	const char *mode = pol_cfg_str(c, "onUnknown");
	if (mode && strcmp(mode, "advisory") == 0) {
		struct run_diag *d = add_diag(c->run, c->out);
		char *msg = arena_printf(msg_arena(c), "%s\ncannot be verified during preview: the value at %s is unknown "
					 "until the update runs", c->pp->p->description, c->unknown_path);
		if (!d || !msg) {
			c->out->oom = 1;
			return;
		}
		d->pp = c->pp;
		d->urn = c->r ? c->r->urn : "";
		d->message = msg;
		d->level = POL_ADVISORY;
		d->severity = c->pp->p->severity;
	} else {
		add_na(c->run, c->out, c->pp,
		       arena_printf(c->run, "%s is unknown during preview; the policy judges it once the value is "
				    "known", c->unknown_path));
	}
}

static void ctx_init(struct pol_ctx *c, const struct pack *pk, const struct pack_snapshot *snap,
		     struct arena *a, struct run_result *out, struct run_shared *rd)
{
	memset(c, 0, sizeof(*c));
	c->pk = pk;
	c->snap = snap;
	c->a = c->run = a;
	c->out = out;
	c->redact = rd;
}

int run_analyze(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		const struct pol_resource *r, struct run_result *out)
{
	struct run_shared rd;
	memset(&rd, 0, sizeof(rd));
	for (size_t i = 0; i < pk->n; i++) {
		const struct pack_policy *pp = &pk->policies[i];
		const struct pack_setting *set = &snap->settings[i];
		if (!pp->p->check || set->level == POL_DISABLED)
			continue;
		if (!applies_to(pp->p, r->type)) {
			add_na(a, out, pp, pp->na_type_reason);
			continue;
		}
		struct pol_ctx c;
		ctx_init(&c, pk, snap, a, out, &rd);
		c.pp = pp;
		c.set = set;
		c.r = r;
		if (excluded(&c, r->urn, r->name, r->type)) {
			add_na(a, out, pp, "Resource excluded by this policy's 'exclude' configuration");
			continue;
		}
		pp->p->check(&c, r);
		finish(&c);
	}
	return out->oom ? -1 : 0;
}

/* One stack policy over `s`, in a scratch arena of its own (pol_ctx.a). */
static void run_stack_policy(const struct pack *pk, const struct pack_snapshot *snap, size_t i, struct arena *run,
			     const struct stk_index *s, struct run_shared *rd, struct run_result *out)
{
	struct pol_ctx c;
	struct arena scratch;

	/* The scratch may use what is left of the run's budget. */
	arena_init(&scratch, arena_budget(run, 1));
	ctx_init(&c, pk, snap, run, out, rd);
	c.a = &scratch;
	c.pp = &pk->policies[i];
	c.set = &snap->settings[i];
	c.s = s;
	c.pp->p->check_stack(&c, s);
	finish(&c);
	out->oom |= scratch.failed;
	arena_release(&scratch);
}

static int stack_policy_on(const struct pack *pk, const struct pack_snapshot *snap, size_t i)
{
	return pk->policies[i].p->check_stack && snap->settings[i].level != POL_DISABLED;
}

/*
 * Stack policies in parallel. Each is a pure function of the stack and the
 * configuration, so they are handed out one at a time to `n_workers`
 * threads (the caller's among them) and their results merged in table
 * order afterwards: the answer is the sequential one, whatever ran where.
 * What policies would otherwise share and mutate is made per thread: the
 * redaction set is collected before they start and only read after; the
 * parsed-document cache, the stack's lazy tables, the arenas and the
 * results are each thread's own. The arenas are handed to the run's at the
 * end, so the results live exactly as long as sequential ones would.
 */
struct run_job {
	size_t policy;              /* index in the pack */
	struct run_result res;
};

struct run_pool {
	const struct pack *pk;
	const struct pack_snapshot *snap;
	const struct stk_index *s;
	const struct run_shared *rd;
	struct run_job *jobs;
	size_t n_jobs;
	atomic_size_t next;
};

struct run_worker {
	struct run_pool *pool;
	pthread_t th;
	int started;
	struct arena run, keep;     /* keep: for messages, when the caller keeps them apart (run_result.keep) */
	int use_keep;
};

/* Take jobs until there are none left: every worker, the calling thread's included. */
static void run_jobs(struct run_worker *w)
{
	struct run_pool *pl = w->pool;
	struct run_shared rd = *pl->rd;
	struct stk_index s;

	/* The document cache is per thread; the secrets are read only. */
	rd.n_docs = rd.cap_docs = 0;
	rd.doc_keys = NULL;
	rd.docs = NULL;
	if (stk_index_fork(&s, pl->s, &w->run) < 0)
		return;   /* its share is left to the others */
	for (size_t k; (k = atomic_fetch_add(&pl->next, 1)) < pl->n_jobs;) {
		struct run_job *j = &pl->jobs[k];
		j->res.keep = w->use_keep ? &w->keep : NULL;
		run_stack_policy(pl->pk, pl->snap, j->policy, &w->run, &s, &rd, &j->res);
	}
}

/* A started worker's thread (a function of its own, so profilers can tell its work apart). */
static void *run_worker_thread(void *arg)
{
	run_jobs(arg);
	return NULL;
}

/* Append `from`'s diagnostics and not-applicable reasons to `out` (arrays in `a`). */
static void run_result_append(struct arena *a, struct run_result *out, const struct run_result *from)
{
	for (size_t i = 0; i < from->n_diags; i++) {
		struct run_diag *d = add_diag(a, out);
		if (d)
			*d = from->diags[i];
	}
	for (size_t i = 0; i < from->n_nas; i++)
		add_na(a, out, from->nas[i].pp, from->nas[i].reason);
	out->oom |= from->oom;
}

static int run_stack_parallel(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
			      const struct stk_index *s, struct run_result *out, struct run_shared *rd,
			      size_t n_jobs, unsigned n_workers)
{
	struct run_pool pl = { pk, snap, s, rd, NULL, n_jobs, 0 };
	struct run_worker *w = arena_alloc(a, n_workers * sizeof(*w));
	struct pol_ctx c;

	pl.jobs = arena_alloc(a, n_jobs * sizeof(*pl.jobs));
	if (!w || !pl.jobs)
		return -1;
	for (size_t i = 0, k = 0; i < pk->n; i++)
		if (stack_policy_on(pk, snap, i))
			pl.jobs[k++].policy = i;
	/* Collected once, before anyone reads it. */
	ctx_init(&c, pk, snap, a, out, rd);
	c.s = s;
	redact_collect(&c);
	/* The call's remaining budget, shared out between the workers. */
	for (unsigned k = 0; k < n_workers; k++) {
		w[k].pool = &pl;
		arena_init(&w[k].run, arena_budget(a, n_workers));
		arena_init(&w[k].keep, out->keep ? arena_budget(out->keep, n_workers) : 0);
		w[k].use_keep = out->keep != NULL;
		/* Worker 0 is this thread; one that cannot start leaves its share to the others. */
		w[k].started = k > 0 && pthread_create(&w[k].th, NULL, run_worker_thread, &w[k]) == 0;
	}
	run_jobs(&w[0]);
	for (unsigned k = 1; k < n_workers; k++)
		if (w[k].started)
			pthread_join(w[k].th, NULL);
	/* Only when every worker failed to set up can a job be left over (out of memory). */
	if (atomic_load(&pl.next) < n_jobs)
		out->oom = 1;
	for (unsigned k = 0; k < n_workers; k++) {
		arena_adopt(a, &w[k].run);
		if (out->keep)
			arena_adopt(out->keep, &w[k].keep);
	}
	for (size_t k = 0; k < n_jobs; k++)
		run_result_append(a, out, &pl.jobs[k].res);
	return out->oom ? -1 : 0;
}

/* Below this many resources a stack's policies run on the calling thread only. */
#define RUN_PARALLEL_MIN 500
#define RUN_MAX_WORKERS 4

unsigned run_stack_workers(size_t n_resources)
{
	long cpus = n_resources >= RUN_PARALLEL_MIN ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	return cpus < 1 ? 1 : cpus > RUN_MAX_WORKERS ? RUN_MAX_WORKERS : (unsigned)cpus;
}

int run_analyze_stack_on(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
			 const struct stk_index *s, struct run_result *out, unsigned workers)
{
	struct run_shared rd;
	size_t n_jobs = 0;

	memset(&rd, 0, sizeof(rd));
	for (size_t i = 0; i < pk->n; i++)
		n_jobs += stack_policy_on(pk, snap, i) != 0;
	if (workers > n_jobs)
		workers = (unsigned)n_jobs;
	if (workers > 1)
		return run_stack_parallel(pk, snap, a, s, out, &rd, n_jobs, workers);
	for (size_t i = 0; i < pk->n; i++)
		if (stack_policy_on(pk, snap, i))
			run_stack_policy(pk, snap, i, a, s, &rd, out);
	return out->oom ? -1 : 0;
}

int run_analyze_stack(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		      const struct stk_index *s, struct run_result *out)
{
	return run_analyze_stack_on(pk, snap, a, s, out, run_stack_workers(s->n));
}

int run_remediate(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		  const struct pol_resource *r, struct run_result *out)
{
	struct run_shared rd;
	memset(&rd, 0, sizeof(rd));
	struct pol_resource cur = *r;
	for (size_t i = 0; i < pk->n; i++) {
		const struct pack_policy *pp = &pk->policies[i];
		const struct pack_setting *set = &snap->settings[i];
		if (!pp->p->remediate || set->level != POL_REMEDIATE || !applies_to(pp->p, r->type))
			continue;
		struct pol_ctx c;
		ctx_init(&c, pk, snap, a, out, &rd);
		c.pp = pp;
		c.set = set;
		c.r = &cur;
		if (excluded(&c, r->urn, r->name, r->type))
			continue;
		const pv_value *np = pp->p->remediate(&c, &cur);
		if (!np)
			continue;
		struct run_remediation *rem = arena_grow(a, out->rems, out->n_rems, &out->cap_rems, sizeof(*rem));
		if (!rem) {
			out->oom = 1;
			break;
		}
		out->rems = rem;
		rem = &out->rems[out->n_rems++];
		rem->pp = pp;
		rem->props = np;
		rem->diagnostic = "";
		cur.props = np;   /* later remediations see this one's result */
	}
	return out->oom ? -1 : 0;
}
