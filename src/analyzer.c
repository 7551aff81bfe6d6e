/*
 * analyzer.c - pulumirpc.Analyzer handlers (see analyzer.h).
 *
 * Each handler converts the decoded request into the pack's own types
 * (pol_resource, pack_layer, pack_stack_args), calls the pack or the runner
 * and builds the response in the request arena (AnalyzeStack: in the
 * reply's own arena, so the server can free the request first). Nothing
 * here judges resources: that is the runner's and the policies' business.
 */
#include "analyzer.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "google/protobuf/empty.pb-c.h"
#include "pulumi/analyzer.pb-c.h"
#include "pulumi/plugin.pb-c.h"
#include "ptrhash.h"
#include "runner.h"
#include "stack.h"

struct an_owned {
	struct an_owned *next;
	char s[];
};

/* ---- small helpers ------------------------------------------------------------ */

#define AN_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define AN_NEW_N(a, T, n) ((T *)arena_alloc((a), ((n) ? (n) : 1) * sizeof(T)))

static void an_fail(struct an_state *st, struct srv_reply *out, grpc_status_code code, const char *method,
		    const char *details)
{
	out->status = code;
	out->msg = NULL;
	out->details = details;
	if (st->verbose)
		fprintf(stderr, "analyzer: %s: status %d: %s\n", method, (int)code, details ? details : "");
}

static void an_oom(struct an_state *st, struct srv_reply *out, const char *method)
{
	an_fail(st, out, GRPC_STATUS_RESOURCE_EXHAUSTED, method,
		"out of memory: the request needs more memory than this analyzer may use");
}

/* Keep a copy of `s` until an_free (for values published to other threads). */
static const char *an_keep(struct an_state *st, const char *s)
{
	size_t n = strlen(s);
	struct an_owned *o = malloc(sizeof(*o) + n + 1);

	if (!o)
		return NULL;
	memcpy(o->s, s, n + 1);
	pthread_mutex_lock(&st->owned_lock);
	o->next = st->owned;
	st->owned = o;
	pthread_mutex_unlock(&st->owned_lock);
	return o->s;
}

/* ---- Struct depth --------------------------------------------------------------- */

static int an_struct_ok(const Google__Protobuf__Struct *s, int depth, int *secret);

static int an_value_ok(const Google__Protobuf__Value *v, int depth, int *secret)
{
	if (!v)
		return 1;
	if (v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE)
		return an_struct_ok(v->struct_value, depth + 1, secret);
	if (v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE && v->list_value) {
		if (depth + 1 > PV_MAX_DEPTH)
			return 0;
		for (size_t i = 0; i < v->list_value->n_values; i++)
			if (!an_value_ok(v->list_value->values[i], depth + 1, secret))
				return 0;
	}
	return 1;
}

/* Does the Struct `s` mark a value secret (a secret, or an output with secret: true)? */
static int an_marks_secret(Google__Protobuf__Struct *s)
{
	pv_value v = GOOGLE__PROTOBUF__VALUE__INIT;

	v.kind_case = GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE;
	v.struct_value = s;
	return pv_is_secret(&v);
}

/*
 * True when no object or list in `s` sits deeper than PV_MAX_DEPTH (the
 * top-level Struct is depth 1). Every walk over properties is bounded by
 * that depth, so deeper requests are refused up front rather than judged
 * partially. Unless *secret is set already, the same walk sets it when a
 * value in `s` is marked secret (pol_resource.plain_props).
 */
static int an_struct_ok(const Google__Protobuf__Struct *s, int depth, int *secret)
{
	if (!s)
		return 1;
	if (depth > PV_MAX_DEPTH)
		return 0;
	if (!*secret)
		*secret = an_marks_secret((Google__Protobuf__Struct *)s);
	for (size_t i = 0; i < s->n_fields; i++)
		if (s->fields[i] && !an_value_ok(s->fields[i]->value, depth, secret))
			return 0;
	return 1;
}

static const char *an_depth_msg(struct arena *a, const char *what, const char *urn)
{
	const char *m = arena_printf(a, "%s of %s nest deeper than %d levels", what, *urn ? urn : "the resource",
				     PV_MAX_DEPTH);
	return m ? m : "properties nest too deeply";
}

/* ---- resources ------------------------------------------------------------------- */

enum { AN_OK = 0, AN_OOM = -1, AN_DEEP = -2 };

/*
 * Provider inputs already judged and wrapped, by Struct address. A big
 * AnalyzeStack request arrives with every resource's provider inputs
 * decoded once and shared (pbdec.h), so one wrapper and one depth walk per
 * provider do instead of one per resource - and one wrapper per provider
 * lets stack policies remember per provider by its address. Open
 * addressing: a direct-mapped table lost providers to collisions, and each
 * loss was a new wrapper. Filled to half, then providers past that are
 * wrapped per resource.
 */
#define AN_PROV_CACHE 256   /* slots, a power of two */
struct an_prov_cache {
	const Google__Protobuf__Struct *s[AN_PROV_CACHE];
	const pv_value *v[AN_PROV_CACHE];
	unsigned char plain[AN_PROV_CACHE];
	size_t n;
};

/* Fill the Analyze part of a pol_resource from request fields (everything borrowed). `pc` may be NULL. */
static int an_resource(struct arena *a, struct pol_resource *r, const char *type, const char *urn,
		       const char *name, Google__Protobuf__Struct *props,
		       const Pulumirpc__AnalyzerResourceOptions *opts,
		       const Pulumirpc__AnalyzerProviderResource *prov, struct an_prov_cache *pc)
{
	Google__Protobuf__Struct *pprops = prov ? prov->properties : NULL;
	size_t slot = ptrhash_slot(pprops, AN_PROV_CACHE - 1);
	int secret = 0;

	memset(r, 0, sizeof(*r));
	r->type = type ? type : "";
	r->urn = urn ? urn : "";
	r->name = name ? name : "";
	if (!an_struct_ok(props, 1, &secret))
		return AN_DEEP;
	if (!(r->props = pv_wrap_struct(a, props)))
		return AN_OOM;
	r->plain_props = !secret;
	r->provider_type = prov && prov->type ? prov->type : "";
	r->provider_urn = prov && prov->urn ? prov->urn : "";
	r->provider_name = prov && prov->name ? prov->name : "";
	while (pc && pprops && pc->s[slot] && pc->s[slot] != pprops)
		slot = (slot + 1) & (AN_PROV_CACHE - 1);
	if (pc && pprops && pc->s[slot] == pprops) {
		r->provider_props = pc->v[slot];
		r->plain_provider = pc->plain[slot];
	} else {
		secret = 0;
		if (prov && !an_struct_ok(pprops, 1, &secret))
			return AN_DEEP;
		if (!(r->provider_props = pv_wrap_struct(a, pprops)))
			return AN_OOM;
		r->plain_provider = !secret;
		if (pc && pprops && pc->n < AN_PROV_CACHE / 2) {
			pc->s[slot] = pprops;
			pc->v[slot] = r->provider_props;
			pc->plain[slot] = r->plain_provider;
			pc->n++;
		}
	}
	r->parent = opts && opts->parent ? opts->parent : "";
	r->protect = opts ? opts->protect : 0;
	if (opts) {
		r->n_ignore_changes = opts->n_ignorechanges;
		r->ignore_changes = opts->ignorechanges;
	}
	return AN_OK;
}

/* ---- responses ------------------------------------------------------------------- */

/* Wire level of a diagnostic: REMEDIATE shows as MANDATORY, DISABLED never leaves (engine panics). */
static int an_diag_level(enum pol_level l, Pulumirpc__EnforcementLevel *out)
{
	switch (l) {
	case POL_ADVISORY:
		*out = PULUMIRPC__ENFORCEMENT_LEVEL__ADVISORY;
		return 0;
	case POL_MANDATORY:
	case POL_REMEDIATE:
		*out = PULUMIRPC__ENFORCEMENT_LEVEL__MANDATORY;
		return 0;
	default:
		return -1;
	}
}

/*
 * `s` where the reply may keep it: itself, or a copy in `a` when the reply
 * is detached (built in an arena of its own, server.h) and `s` may live in
 * the request's.
 */
static char *an_reply_str(struct arena *a, int detached, const char *s)
{
	return detached ? arena_strdup(a, s) : (char *)s;
}

static Pulumirpc__PolicyNotApplicable **an_nas(struct arena *a, int detached, const struct run_result *res,
					       size_t *n)
{
	Pulumirpc__PolicyNotApplicable **v = AN_NEW_N(a, Pulumirpc__PolicyNotApplicable *, res->n_nas);
	Pulumirpc__PolicyNotApplicable *m = AN_NEW_N(a, Pulumirpc__PolicyNotApplicable, res->n_nas);

	*n = 0;
	if (!v || !m)
		return NULL;
	for (size_t i = 0; i < res->n_nas; i++) {
		pulumirpc__policy_not_applicable__init(&m[i]);
		m[i].policy_name = (char *)res->nas[i].pp->p->name;
		if (!(m[i].reason = an_reply_str(a, detached, res->nas[i].reason ? res->nas[i].reason : "")))
			return NULL;
		v[(*n)++] = &m[i];
	}
	return v;
}

/*
 * The reply for `res`, built in `a`. `detached`: `a` is the reply's own
 * arena, so what may point into the request's arena (URNs, reasons) is
 * copied; messages are already there (res->keep).
 */
static Pulumirpc__AnalyzeResponse *an_analyze_response(struct arena *a, int detached,
						       const struct pack_snapshot *snap, const struct run_result *res)
{
	const char *urn_from = NULL;   /* consecutive findings are mostly on one resource: copy its URN once */
	char *urn = NULL;
	Pulumirpc__AnalyzeResponse *resp = AN_NEW(a, Pulumirpc__AnalyzeResponse);
	Pulumirpc__AnalyzeDiagnostic **v = AN_NEW_N(a, Pulumirpc__AnalyzeDiagnostic *, res->n_diags);
	Pulumirpc__AnalyzeDiagnostic *d = AN_NEW_N(a, Pulumirpc__AnalyzeDiagnostic, res->n_diags);

	if (!resp || !v || !d)
		return NULL;
	pulumirpc__analyze_response__init(resp);
	for (size_t i = 0; i < res->n_diags; i++) {
		const struct run_diag *rd = &res->diags[i];
		Pulumirpc__AnalyzeDiagnostic *m = &d[resp->n_diagnostics];
		pulumirpc__analyze_diagnostic__init(m);
		if (an_diag_level(rd->level, &m->enforcementlevel) < 0)
			continue;
		m->policyname = (char *)rd->pp->p->name;
		m->policypackname = (char *)pack_meta.name;
		m->policypackversion = (char *)snap->version;
		m->description = (char *)rd->pp->p->description;
		m->message = (char *)(rd->message ? rd->message : "");
		if (!rd->urn || rd->urn != urn_from) {
			urn_from = rd->urn;
			if (!(urn = an_reply_str(a, detached, rd->urn ? rd->urn : "")))
				return NULL;
		}
		m->urn = urn;
		m->severity = (Pulumirpc__PolicySeverity)rd->severity;
		v[resp->n_diagnostics++] = m;
	}
	resp->diagnostics = v;
	resp->not_applicable = an_nas(a, detached, res, &resp->n_not_applicable);
	if (!resp->not_applicable)
		return NULL;
	return resp;
}

/* ---- handlers -------------------------------------------------------------------- */

static void an_handshake(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	const Pulumirpc__AnalyzerHandshakeRequest *req = (const void *)msg;
	static const Pulumirpc__AnalyzerHandshakeResponse resp = PULUMIRPC__ANALYZER_HANDSHAKE_RESPONSE__INIT;

	(void)a;
	if (req->_root_directory_case == PULUMIRPC__ANALYZER_HANDSHAKE_REQUEST___ROOT_DIRECTORY_ROOT_DIRECTORY &&
	    req->root_directory && *req->root_directory) {
		/* The root may be relative to the engine's directory; a missing file is fine. */
		if (an_load_pack_yaml(st, req->root_directory) < 0) {
			an_oom(st, out, "Handshake");
			return;
		}
	}
	out->msg = &resp.base;
}

static void an_configure_stack(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	const Pulumirpc__AnalyzerStackConfigureRequest *req = (const void *)msg;
	static const Pulumirpc__AnalyzerStackConfigureResponse resp = PULUMIRPC__ANALYZER_STACK_CONFIGURE_RESPONSE__INIT;
	struct pack_stack_args sa;
	struct pack_kv *cfg = AN_NEW_N(a, struct pack_kv, req->n_config);
	struct pack_kv *tags = AN_NEW_N(a, struct pack_kv, req->n_tags);

	if (!cfg || !tags) {
		an_oom(st, out, "ConfigureStack");
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.stack = req->stack;
	sa.project = req->project;
	sa.organization = req->organization;
	sa.dry_run = req->dry_run;
	for (size_t i = 0; i < req->n_config; i++) {
		cfg[i].key = req->config[i]->key;
		cfg[i].value = req->config[i]->value;
	}
	for (size_t i = 0; i < req->n_tags; i++) {
		tags[i].key = req->tags[i]->key;
		tags[i].value = req->tags[i]->value;
	}
	sa.n_config = req->n_config;
	sa.config = cfg;
	sa.n_secret_keys = req->n_config_secret_keys;
	sa.secret_keys = (const char *const *)req->config_secret_keys;
	sa.n_tags = req->n_tags;
	sa.tags = tags;
	if (pack_set_stack(st->pk, &sa) < 0) {
		an_oom(st, out, "ConfigureStack");
		return;
	}
	if (st->verbose)
		fprintf(stderr, "analyzer: stack %s/%s/%s dry_run=%d, %zu config keys (%zu secret), %zu tags\n",
			req->organization, req->project, req->stack, req->dry_run ? 1 : 0, req->n_config,
			req->n_config_secret_keys, req->n_tags);
	out->msg = &resp.base;
}

static void an_get_plugin_info(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	Pulumirpc__PluginInfo *resp = AN_NEW(a, Pulumirpc__PluginInfo);

	(void)msg;
	if (!resp) {
		an_oom(st, out, "GetPluginInfo");
		return;
	}
	pulumirpc__plugin_info__init(resp);
	resp->version = (char *)pack_snapshot(st->pk)->version;
	out->msg = &resp->base;
}

/* Split "a, b,c" into trimmed, non-empty strings. */
static char **an_split_tags(struct arena *a, const char *list, size_t *n)
{
	size_t cap = 1;
	char **v;

	*n = 0;
	if (!list)
		return NULL;
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	if (!(v = AN_NEW_N(a, char *, cap)))
		return NULL;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		const char *end = e ? e : p + strlen(p);
		const char *b = p;
		while (b < end && isspace((unsigned char)*b))
			b++;
		const char *t = end;
		while (t > b && isspace((unsigned char)t[-1]))
			t--;
		if (t > b && !(v[(*n)++] = arena_strndup(a, b, (size_t)(t - b))))
			return NULL;
		p = e ? e + 1 : end;
	}
	return v;
}

static Google__Protobuf__Struct *an_as_struct(const pv_value *v)
{
	if (v && v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE)
		return v->struct_value;
	return NULL;
}

static Pulumirpc__PolicyInfo *an_policy_info(struct arena *a, const struct pack *pk,
					     const struct pack_policy *pp)
{
	const struct policy *p = pp->p;
	Pulumirpc__PolicyInfo *pi = AN_NEW(a, Pulumirpc__PolicyInfo);
	Pulumirpc__PolicyConfigSchema *cs = AN_NEW(a, Pulumirpc__PolicyConfigSchema);

	if (!pi || !cs)
		return NULL;
	pulumirpc__policy_info__init(pi);
	pulumirpc__policy_config_schema__init(cs);
	pi->name = (char *)p->name;
	pi->displayname = (char *)(p->display_name ? p->display_name : "");
	pi->description = (char *)(p->description ? p->description : "");
	pi->enforcementlevel = (Pulumirpc__EnforcementLevel)pack_initial_level(pk, pp);
	/* pv values are protobuf Values already: the schema Struct packs as it is. */
	cs->properties = an_as_struct(pp->schema);
	pi->configschema = cs;
	pi->policy_type = p->check_stack ? PULUMIRPC__POLICY_TYPE__POLICY_TYPE_STACK
					 : PULUMIRPC__POLICY_TYPE__POLICY_TYPE_RESOURCE;
	pi->severity = (Pulumirpc__PolicySeverity)p->severity;
	if (p->framework) {
		Pulumirpc__PolicyComplianceFramework *fw = AN_NEW(a, Pulumirpc__PolicyComplianceFramework);
		if (!fw)
			return NULL;
		pulumirpc__policy_compliance_framework__init(fw);
		fw->name = (char *)(p->framework->name ? p->framework->name : "");
		fw->version = (char *)(p->framework->version ? p->framework->version : "");
		fw->reference = (char *)(p->framework->reference ? p->framework->reference : "");
		fw->specification = (char *)(p->framework->specification ? p->framework->specification : "");
		pi->framework = fw;
	}
	if (p->tags && *p->tags && !(pi->tags = an_split_tags(a, p->tags, &pi->n_tags)))
		return NULL;
	pi->remediation_steps = (char *)(p->remediation_steps ? p->remediation_steps : "");
	pi->url = (char *)(p->url ? p->url : "");
	return pi;
}

/*
 * initialConfig: one entry per policy the pack's initial layer touches
 * ("all" touches every policy), each with its resolved level. A proto3 enum
 * cannot be absent, so an entry without a level would read as ADVISORY: the
 * resolved level avoids that.
 */
static int an_initial_config(struct arena *a, const struct pack *pk, const struct pack_layer *init,
			     Pulumirpc__AnalyzerInfo *info)
{
	int all = 0;
	size_t n = 0;

	for (size_t i = 0; init && i < init->n; i++)
		if (strcmp(init->e[i].policy, "all") == 0 && init->e[i].level != POL_LEVEL_INHERIT)
			all = 1;
	Pulumirpc__AnalyzerInfo__InitialConfigEntry **v =
		AN_NEW_N(a, Pulumirpc__AnalyzerInfo__InitialConfigEntry *, pk->n);
	if (!v)
		return -1;
	for (size_t k = 0; k < pk->n; k++) {
		const struct pack_policy *pp = &pk->policies[k];
		const pv_value *props = NULL;
		int named = 0;
		for (size_t i = 0; init && i < init->n; i++)
			if (strcmp(init->e[i].policy, pp->p->name) == 0) {
				named = 1;
				if (init->e[i].props)
					props = init->e[i].props;
			}
		if (!named && !all)
			continue;
		Pulumirpc__AnalyzerInfo__InitialConfigEntry *e = AN_NEW(a, Pulumirpc__AnalyzerInfo__InitialConfigEntry);
		Pulumirpc__PolicyConfig *pc = AN_NEW(a, Pulumirpc__PolicyConfig);
		if (!e || !pc)
			return -1;
		pulumirpc__analyzer_info__initial_config_entry__init(e);
		pulumirpc__policy_config__init(pc);
		pc->enforcementlevel = (Pulumirpc__EnforcementLevel)pack_initial_level(pk, pp);
		pc->properties = an_as_struct(props);
		e->key = (char *)pp->p->name;
		e->value = pc;
		v[n++] = e;
	}
	info->n_initialconfig = n;
	info->initialconfig = v;
	return 0;
}

static void an_get_analyzer_info(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	const struct pack *pk = st->pk;
	const struct pack_snapshot *snap = pack_snapshot(pk);
	const struct pack_layer *init = pack_initial(pk);
	Pulumirpc__AnalyzerInfo *info = AN_NEW(a, Pulumirpc__AnalyzerInfo);
	Pulumirpc__PolicyInfo **pols = AN_NEW_N(a, Pulumirpc__PolicyInfo *, pk->n);
	const char *desc = atomic_load(&st->description);
	size_t ntags = 0;

	(void)msg;
	if (!info || !pols)
		goto oom;
	pulumirpc__analyzer_info__init(info);
	info->name = (char *)pack_meta.name;
	info->displayname = (char *)pack_meta.display_name;
	info->version = (char *)snap->version;
	info->supportsconfig = 1;
	info->description = (char *)(desc ? desc : pack_meta.description);
	info->readme = (char *)(pack_meta.readme ? pack_meta.readme : "");
	info->provider = (char *)(pack_meta.provider ? pack_meta.provider : "aws");
	info->repository = (char *)(pack_meta.repository ? pack_meta.repository : "");
	for (const char *const *t = pack_meta.tags; t && *t; t++)
		ntags++;
	info->n_tags = ntags;
	info->tags = (char **)pack_meta.tags;
	for (size_t i = 0; i < pk->n; i++)
		if (!(pols[i] = an_policy_info(a, pk, &pk->policies[i])))
			goto oom;
	info->n_policies = pk->n;
	info->policies = pols;
	if (an_initial_config(a, pk, init, info) < 0)
		goto oom;
	out->msg = &info->base;
	return;
oom:
	an_oom(st, out, "GetAnalyzerInfo");
}

static void an_configure(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	const Pulumirpc__ConfigureAnalyzerRequest *req = (const void *)msg;
	static const Google__Protobuf__Empty resp = GOOGLE__PROTOBUF__EMPTY__INIT;
	struct pack_layer layer = { 0, NULL };
	char *err = NULL;

	layer.e = AN_NEW_N(a, struct pack_layer_entry, req->n_policyconfig);
	if (!layer.e) {
		an_oom(st, out, "Configure");
		return;
	}
	for (size_t i = 0; i < req->n_policyconfig; i++) {
		const Pulumirpc__ConfigureAnalyzerRequest__PolicyConfigEntry *e = req->policyconfig[i];
		const char *name = e->key ? e->key : "";
		int known = strcmp(name, "all") == 0 || pack_find(st->pk, name) != NULL;
		struct pack_layer_entry *le = &layer.e[layer.n];

		if (!known)
			continue;   /* the engine forwards keys that are not policies: ignore them */
		le->policy = name;
		le->level = POL_LEVEL_INHERIT;
		le->props = NULL;
		if (e->value) {
			int lv = (int)e->value->enforcementlevel;
			if (!pack_level_name((enum pol_level)lv)) {
				const char *m = arena_printf(a, "policy '%s': invalid enforcement level %d", name, lv);
				an_fail(st, out, GRPC_STATUS_INVALID_ARGUMENT, "Configure",
					m ? m : "invalid enforcement level");
				return;
			}
			le->level = (enum pol_level)lv;
			if (e->value->properties) {
				int secret = 1;   /* configuration is not redacted: no need to look */
				if (!an_struct_ok(e->value->properties, 1, &secret)) {
					const char *m = arena_printf(a, "policy '%s': configuration nests deeper than %d levels",
								     name, PV_MAX_DEPTH);
					an_fail(st, out, GRPC_STATUS_INVALID_ARGUMENT, "Configure",
						m ? m : "configuration nests too deeply");
					return;
				}
				if (!(le->props = pv_wrap_struct(a, e->value->properties))) {
					an_oom(st, out, "Configure");
					return;
				}
			}
		}
		layer.n++;
	}
	if (pack_configure(st->pk, &layer, &err) < 0) {
		const char *m = arena_strdup(a, err ? err : "invalid configuration");
		pack_err_free(err);
		an_fail(st, out, GRPC_STATUS_INVALID_ARGUMENT, "Configure", m ? m : "invalid configuration");
		return;
	}
	out->msg = &resp.base;
}

static void an_analyze(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	const Pulumirpc__AnalyzeRequest *req = (const void *)msg;
	const struct pack_snapshot *snap = pack_snapshot(st->pk);
	struct pol_resource r;
	struct run_result res;
	Pulumirpc__AnalyzeResponse *resp;

	switch (an_resource(a, &r, req->type, req->urn, req->name, req->properties, req->options, req->provider,
			    NULL)) {
	case AN_DEEP:
		an_fail(st, out, GRPC_STATUS_INVALID_ARGUMENT, "Analyze", an_depth_msg(a, "properties", req->urn));
		return;
	case AN_OOM:
		an_oom(st, out, "Analyze");
		return;
	}
	run_result_init(&res);
	if (run_analyze(st->pk, snap, a, &r, &res) < 0 || !(resp = an_analyze_response(a, 0, snap, &res)) || a->failed) {
		an_oom(st, out, "Analyze");
		return;
	}
	out->msg = &resp->base;
}

static void an_analyze_stack(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	const Pulumirpc__AnalyzeStackRequest *req = (const void *)msg;
	const struct pack_snapshot *snap = pack_snapshot(st->pk);
	struct arena *ra = out->reply ? out->reply : a;
	struct pol_resource *res = AN_NEW_N(a, struct pol_resource, req->n_resources);
	struct stk_index idx;
	struct run_result rr;
	Pulumirpc__AnalyzeResponse *resp;
	struct an_prov_cache pc;

	if (!res)
		goto oom;
	memset(&pc, 0, sizeof(pc));
	for (size_t i = 0; i < req->n_resources; i++) {
		const Pulumirpc__AnalyzerResource *ar = req->resources[i];
		struct pol_resource *r = &res[i];
		switch (an_resource(a, r, ar->type, ar->urn, ar->name, ar->properties, ar->options, ar->provider,
				    &pc)) {
		case AN_DEEP:
			an_fail(st, out, GRPC_STATUS_INVALID_ARGUMENT, "AnalyzeStack",
				an_depth_msg(a, "properties", ar->urn));
			return;
		case AN_OOM:
			goto oom;
		}
		/* In AnalyzeStack the parent is a field of its own (options.parent is for Analyze). */
		if (ar->parent && *ar->parent)
			r->parent = ar->parent;
		r->n_deps = ar->n_dependencies;
		r->deps = ar->dependencies;
		if (ar->n_propertydependencies) {
			struct pol_propdep *pd = AN_NEW_N(a, struct pol_propdep, ar->n_propertydependencies);
			if (!pd)
				goto oom;
			for (size_t k = 0; k < ar->n_propertydependencies; k++) {
				const Pulumirpc__AnalyzerResource__PropertyDependenciesEntry *e = ar->propertydependencies[k];
				pd[k].prop = e->key ? e->key : "";
				pd[k].n_urns = e->value ? e->value->n_urns : 0;
				pd[k].urns = e->value ? e->value->urns : NULL;
			}
			r->n_propdeps = ar->n_propertydependencies;
			r->propdeps = pd;
		}
	}
	if (stk_index_build(&idx, a, res, req->n_resources) < 0)
		goto oom;
	run_result_init(&rr);
	/*
	 * A stack's reply is built in an arena of its own (server.h) so the
	 * server can free the decoded stack before packing it: thousands of
	 * findings come to megabytes, as does a big stack.
	 */
	rr.keep = ra;
	if (run_analyze_stack(st->pk, snap, a, &idx, &rr) < 0 ||
	    !(resp = an_analyze_response(ra, ra != a, snap, &rr)) || a->failed || ra->failed)
		goto oom;
	out->msg = &resp->base;
	out->detached = ra != a;
	return;
oom:
	an_oom(st, out, "AnalyzeStack");
}

static void an_remediate(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	const Pulumirpc__AnalyzeRequest *req = (const void *)msg;
	const struct pack_snapshot *snap = pack_snapshot(st->pk);
	struct pol_resource r;
	struct run_result res;
	Pulumirpc__RemediateResponse *resp = AN_NEW(a, Pulumirpc__RemediateResponse);

	if (!resp)
		goto oom;
	switch (an_resource(a, &r, req->type, req->urn, req->name, req->properties, req->options, req->provider,
			    NULL)) {
	case AN_DEEP:
		an_fail(st, out, GRPC_STATUS_INVALID_ARGUMENT, "Remediate", an_depth_msg(a, "properties", req->urn));
		return;
	case AN_OOM:
		goto oom;
	}
	run_result_init(&res);
	if (run_remediate(st->pk, snap, a, &r, &res) < 0)
		goto oom;
	pulumirpc__remediate_response__init(resp);
	resp->remediations = AN_NEW_N(a, Pulumirpc__Remediation *, res.n_rems);
	if (!resp->remediations)
		goto oom;
	for (size_t i = 0; i < res.n_rems; i++) {
		const struct run_remediation *rm = &res.rems[i];
		Pulumirpc__Remediation *m = AN_NEW(a, Pulumirpc__Remediation);
		if (!m)
			goto oom;
		pulumirpc__remediation__init(m);
		m->policyname = (char *)rm->pp->p->name;
		m->policypackname = (char *)pack_meta.name;
		m->policypackversion = (char *)snap->version;
		m->description = (char *)rm->pp->p->description;
		/*
		 * Without a diagnostic the engine replaces the inputs with these
		 * properties wholesale: the remediation returns the full map,
		 * "__" keys and secret wrappers included, shared from the request.
		 */
		m->properties = an_as_struct(rm->props);
		m->diagnostic = (char *)(rm->diagnostic ? rm->diagnostic : "");
		if (!m->properties && !*m->diagnostic)
			continue;   /* never send an empty map: it would wipe the inputs */
		resp->remediations[resp->n_remediations++] = m;
	}
	if (!(resp->not_applicable = an_nas(a, 0, &res, &resp->n_not_applicable)) || a->failed)
		goto oom;
	out->msg = &resp->base;
	return;
oom:
	an_oom(st, out, "Remediate");
}

static void an_cancel(void *ud, struct arena *a, const ProtobufCMessage *msg, struct srv_reply *out)
{
	struct an_state *st = ud;
	static const Google__Protobuf__Empty resp = GOOGLE__PROTOBUF__EMPTY__INIT;

	(void)a;
	(void)msg;
	/* Requests are short and bounded; Cancel only records that the end is near. */
	atomic_store(&st->cancelling, 1);
	out->msg = &resp.base;
}

/* ---- method table -------------------------------------------------------------------- */

static const struct {
	const char *name;
	srv_handler_fn fn;
} an_handlers[] = {
	{ "Analyze", an_analyze },
	{ "AnalyzeStack", an_analyze_stack },
	{ "Remediate", an_remediate },
	{ "GetAnalyzerInfo", an_get_analyzer_info },
	{ "GetPluginInfo", an_get_plugin_info },
	{ "Configure", an_configure },
	{ "Handshake", an_handshake },
	{ "ConfigureStack", an_configure_stack },
	{ "Cancel", an_cancel },
};

int an_init(struct an_state *st, struct pack *pk, int verbose)
{
	const ProtobufCServiceDescriptor *sd = &pulumirpc__analyzer__descriptor;

	memset(st, 0, sizeof(*st));
	st->pk = pk;
	st->verbose = verbose;
	atomic_init(&st->cancelling, 0);
	atomic_init(&st->description, NULL);
	pthread_mutex_init(&st->owned_lock, NULL);
	if (sd->n_methods > AN_MAX_METHODS)
		return -1;
	/* Generated from the service descriptor so paths and request types cannot drift. */
	for (unsigned i = 0; i < sd->n_methods; i++) {
		const ProtobufCMethodDescriptor *md = &sd->methods[i];
		srv_handler_fn fn = NULL;
		for (size_t k = 0; k < sizeof(an_handlers) / sizeof(an_handlers[0]); k++)
			if (strcmp(an_handlers[k].name, md->name) == 0)
				fn = an_handlers[k].fn;
		if (!fn) {
			fprintf(stderr, "analyzer: no handler for %s.%s\n", sd->name, md->name);
			return -1;
		}
		int n = snprintf(st->paths[i], sizeof(st->paths[i]), "/%s/%s", sd->name, md->name);
		if (n < 0 || (size_t)n >= sizeof(st->paths[i]))
			return -1;
		st->methods[i].path = st->paths[i];
		st->methods[i].input = md->input;
		st->methods[i].handler = fn;
	}
	st->n_methods = sd->n_methods;
	return 0;
}

void an_free(struct an_state *st)
{
	struct an_owned *o = st->owned;

	while (o) {
		struct an_owned *next = o->next;
		free(o);
		o = next;
	}
	st->owned = NULL;
	pthread_mutex_destroy(&st->owned_lock);
}

const struct srv_method *an_methods(const struct an_state *st, size_t *n)
{
	*n = st->n_methods;
	return st->methods;
}

/* ---- PulumiPolicy.yaml ---------------------------------------------------------------- */

static int an_digits(const char **p)
{
	const char *s = *p;
	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s))
		s++;
	*p = s;
	return 0;
}

int an_is_semver(const char *v)
{
	const char *p = v;

	if (!p || !*p)
		return 0;
	if (*p == 'v')
		p++;
	if (an_digits(&p) < 0 || *p++ != '.' || an_digits(&p) < 0 || *p++ != '.' || an_digits(&p) < 0)
		return 0;
	if (*p == '-' || *p == '+') {
		p++;
		if (!*p)
			return 0;
		for (; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '+')
				return 0;
	}
	return *p == '\0';
}

/* The scalar value of a top-level `key: value` line, unquoted, or NULL. */
static char *an_yaml_value(char *line, const char *key)
{
	size_t k = strlen(key);
	char *v, *end;

	if (strncmp(line, key, k) != 0 || line[k] != ':')
		return NULL;
	v = line + k + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '"' || *v == '\'') {
		char q = *v++;
		end = strchr(v, q);
		if (!end)
			return NULL;
		*end = '\0';
		return v;
	}
	if (*v == '|' || *v == '>')
		return NULL;   /* block scalars: not worth a YAML parser */
	end = strstr(v, " #");
	if (end)
		*end = '\0';
	end = v + strlen(v);
	while (end > v && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return v;
}

int an_load_pack_yaml(struct an_state *st, const char *dir)
{
	char path[4096], line[4096];
	const char *version = NULL, *desc = NULL;
	struct stat sb;
	FILE *f;
	int rc = 1;

	/*
	 * A relative root from Handshake is relative to the engine's directory,
	 * which need not be ours: a directory we cannot see changes nothing.
	 */
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return 0;
	if (snprintf(path, sizeof(path), "%s/PulumiPolicy.yaml", dir) >= (int)sizeof(path))
		return 0;
	f = fopen(path, "r");
	if (!f)
		return pack_set_dir(st->pk, dir, NULL) < 0 ? -1 : 0;
	while (fgets(line, sizeof(line), f)) {
		char *v;
		line[strcspn(line, "\r\n")] = '\0';
		if ((v = an_yaml_value(line, "version")) != NULL && *v) {
			if (an_is_semver(v)) {
				/* Report the canonical form: "v1.2.3" is accepted, "1.2.3" is sent. */
				if (!(version = an_keep(st, v + (*v == 'v'))))
					rc = -1;
			} else if (st->verbose) {
				fprintf(stderr, "analyzer: %s: version '%s' is not semver; keeping %s\n", path, v,
					PC_VERSION);
			}
		} else if ((v = an_yaml_value(line, "description")) != NULL && *v) {
			if (!(desc = an_keep(st, v)))
				rc = -1;
		}
	}
	fclose(f);
	if (desc)
		atomic_store(&st->description, desc);
	if (pack_set_dir(st->pk, dir, version) < 0)
		return -1;
	if (st->verbose)
		fprintf(stderr, "analyzer: read %s (version %s)\n", path, version ? version : "not set");
	return rc;
}
