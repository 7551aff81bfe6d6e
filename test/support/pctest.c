/*
 * pctest.c - shared test helpers (see pctest.h).
 */
#define _DEFAULT_SOURCE   /* DT_DIR */
#include "pctest.h"

#include <check.h>
#include <dirent.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pack the_pack;
static int the_pack_ready;

struct pack *pct_pack(void)
{
	if (!the_pack_ready) {
		char *err = NULL;
		if (pack_init(&the_pack, &err) < 0) {
			fprintf(stderr, "pack_init: %s\n", err ? err : "?");
			abort();
		}
		the_pack_ready = 1;
	}
	return &the_pack;
}

static int configure(struct pct_run *run)
{
	struct pack *pk = pct_pack();
	struct pack_layer layer = { 0, NULL };
	char *e = NULL;
	if (run->doc.config) {
		char *text = pv_to_json(&run->arena, run->doc.config);
		if (!text || pack_layer_parse_json(&run->arena, text, strlen(text), &layer, &e) < 0)
			goto fail;
	}
	if (pack_configure(pk, &layer, &e) < 0)
		goto fail;
	struct pack_stack_args sa;
	if (resjson_stack_args(&run->arena, &run->doc, &sa) < 0 || pack_set_stack(pk, &sa) < 0)
		goto fail;
	return 0;
fail:
	run->err = arena_printf(&run->arena, "config: %s", e ? e : "out of memory");
	pack_err_free(e);
	return -1;
}

int pct_run_json(struct pct_run *run, const char *json)
{
	memset(run, 0, sizeof(*run));
	arena_init(&run->arena, 0);
	run_result_init(&run->res);
	if (resjson_load(&run->arena, json, strlen(json), &run->doc, &run->err) < 0)
		return -1;
	if (configure(run) < 0)
		return -1;
	struct pack *pk = pct_pack();
	const struct pack_snapshot *snap = pack_snapshot(pk);
	for (size_t i = 0; i < run->doc.n; i++)
		run_analyze(pk, snap, &run->arena, &run->doc.inputs[i], &run->res);
	struct stk_index s;
	if (stk_index_build(&s, &run->arena, run->doc.outputs, run->doc.n) < 0 ||
	    run_analyze_stack(pk, snap, &run->arena, &s, &run->res) < 0 || run->res.oom) {
		run->err = "out of memory";
		return -1;
	}
	run->n = run->res.n_diags;
	run->d = arena_alloc(&run->arena, (run->n ? run->n : 1) * sizeof(*run->d));
	if (!run->d) {
		run->err = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < run->n; i++) {
		run->d[i].policy = run->res.diags[i].pp->p->name;
		run->d[i].urn = run->res.diags[i].urn;
		run->d[i].level = run->res.diags[i].level;
		run->d[i].message = run->res.diags[i].message;
	}
	return 0;
}

int pct_run_file(struct pct_run *run, const char *path)
{
	struct arena tmp;
	arena_init(&tmp, 0);
	size_t len;
	const char *err = NULL;
	char *text = resjson_read_file(&tmp, path, &len, &err);
	int rc;
	if (!text) {
		memset(run, 0, sizeof(*run));
		arena_init(&run->arena, 0);
		run->err = arena_strdup(&run->arena, err ? err : "cannot read");
		rc = -1;
	} else {
		rc = pct_run_json(run, text);
		/* Everything the run keeps was parsed into its own arena. */
	}
	arena_release(&tmp);
	return rc;
}

void pct_run_free(struct pct_run *run)
{
	arena_release(&run->arena);
}

static int urn_match(const char *want, const char *urn)
{
	if (!want)
		return 1;
	if (strncmp(want, "::", 2) == 0) {
		size_t wl = strlen(want), ul = strlen(urn);
		return ul >= wl && strcmp(urn + ul - wl, want) == 0;
	}
	return strcmp(want, urn) == 0;
}

size_t pct_count(const struct pct_run *run, const char *policy, const char *urn, int level)
{
	size_t n = 0;
	for (size_t i = 0; i < run->n; i++)
		if ((!policy || strcmp(policy, run->d[i].policy) == 0) && urn_match(urn, run->d[i].urn) &&
		    (level < 0 || level == run->d[i].level))
			n++;
	return n;
}

size_t pct_count_na(const struct pct_run *run, const char *policy)
{
	size_t n = 0;
	for (size_t i = 0; i < run->res.n_nas; i++)
		if (!policy || strcmp(policy, run->res.nas[i].pp->p->name) == 0)
			n++;
	return n;
}

static const char *describe(struct arena *a, const struct pct_diag *d, size_t n)
{
	const char *s = "";
	for (size_t i = 0; i < n; i++) {
		const char *m = d[i].message ? strchr(d[i].message, '\n') : NULL;
		s = arena_printf(a, "%s\n  [%s] %s on %s: %s", s, pack_level_name(d[i].level), d[i].policy,
				 d[i].urn, m ? m + 1 : "");
		if (!s)
			return "(out of memory)";
	}
	return n ? s : " (no diagnostics)";
}

const char *pct_describe(struct pct_run *run)
{
	return describe(&run->arena, run->d, run->n);
}

const char *pct_expect(struct arena *a, const struct resjson_doc *doc, int is_fail,
		       const struct pct_diag *d, size_t n)
{
	const pv_value *e;
	const char *problem = NULL;
	if (is_fail) {
		if (pv_len(doc->expect) == 0)
			return "a .fail fixture must list at least one expectation";
		PV_LIST_FOREACH(i, e, doc->expect) {
			const char *policy = pv_str(pv_get(e, "policy"));
			const char *urn = pv_str(pv_get(e, "urn"));
			const char *lvl = pv_str(pv_get(e, "level"));
			enum pol_level want = POL_MANDATORY;
			if (!policy || !urn || (lvl && pack_level_parse(lvl, &want) < 0))
				return arena_printf(a, "expectation %zu needs \"policy\", \"urn\" and a valid \"level\"", i);
			int found = 0;
			for (size_t k = 0; k < n; k++)
				if (strcmp(d[k].policy, policy) == 0 && urn_match(urn, d[k].urn) &&
				    d[k].level == (int)want)
					found = 1;
			if (!found)
				problem = arena_printf(a, "%s\nmissing: [%s] %s on %s", problem ? problem : "",
						       pack_level_name(want), policy, urn);
		}
	} else {
		for (size_t k = 0; k < n; k++)
			if (d[k].level == POL_MANDATORY)
				problem = arena_printf(a, "%s\nunexpected mandatory: %s on %s", problem ? problem : "",
						       d[k].policy, d[k].urn);
	}
	if (!problem)
		return NULL;
	return arena_printf(a, "%s\ngot:%s", problem, describe(a, d, n));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, char ***files, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		size_t l = strlen(de->d_name);
		int is_dir = de->d_type == DT_DIR;
		struct stat st;
		if (de->d_type == DT_UNKNOWN && stat(path, &st) == 0)
			is_dir = S_ISDIR(st.st_mode);
		if (is_dir) {
			walk(path, files, n, cap);
		} else if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 64;
				*files = realloc(*files, *cap * sizeof(**files));
				if (!*files)
					abort();
			}
			(*files)[(*n)++] = strdup(path);
		}
	}
	closedir(d);
}

size_t pct_fixture_files(char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	walk(PC_FIXTURES_DIR, out, &n, &cap);
	if (n)
		qsort(*out, n, sizeof(**out), cmp_str);
	return n;
}

void pct_files_free(char **files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

int pct_fixture_kind(const char *path)
{
	size_t l = strlen(path);
	if (l > 10 && strcmp(path + l - 10, ".fail.json") == 0)
		return 1;
	if (l > 11 && strcmp(path + l - 11, ".fixed.json") == 0)
		return 0;
	return -1;
}

char *pct_dq(const char *s)
{
	char *d = strdup(s);
	for (char *p = d; p && *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

size_t pct_count_sq(const char *sq_json, const char *policy, const char *name, int level)
{
	struct pct_run run;
	char *j = pct_dq(sq_json);
	char urn[512];
	ck_assert_msg(pct_run_json(&run, j) == 0, "fixture: %s", run.err ? run.err : "?");
	snprintf(urn, sizeof(urn), "::%s", name ? name : "");
	size_t n = pct_count(&run, policy, name ? urn : NULL, level);
	pct_run_free(&run);
	free(j);
	return n;
}

char *pct_message_sq(const char *sq_json, const char *policy)
{
	struct pct_run run;
	char *j = pct_dq(sq_json), *m = NULL;
	ck_assert_msg(pct_run_json(&run, j) == 0, "fixture: %s", run.err ? run.err : "?");
	for (size_t i = 0; i < run.n && !m; i++)
		if (strcmp(run.d[i].policy, policy) == 0)
			m = strdup(run.d[i].message);
	pct_run_free(&run);
	free(j);
	return m;
}

static char *doc_buf;

const char *pct_doc_sq(const char *project, const char *config, const char *head, const char *resources)
{
	size_t n = strlen(head) + strlen(resources) + (config ? strlen(config) : 0) + strlen(project) + 256;
	free(doc_buf);
	doc_buf = malloc(n);
	if (!doc_buf)
		abort();
	snprintf(doc_buf, n,
		 "{'title':'t','stack':{'stack':'dev','project':'%s','dryRun':true,'config':{'aws:region':'us-east-1'}},"
		 "%s%s%s'resources':[%s,%s]}",
		 project, config ? "'config':" : "", config ? config : "", config ? "," : "", head, resources);
	for (char *p = doc_buf; *p; p++)
		if (*p == '\'')
			*p = '"';
	return doc_buf;
}

size_t pct_count_doc(struct pct_run *run, const char *doc, const char *policy, const char *name)
{
	pct_run_free(run);
	int rc = pct_run_json(run, doc);
	ck_assert_msg(rc == 0, "fixture failed to load: %s", run->err ? run->err : "?");
	char urn[512];
	if (name)
		snprintf(urn, sizeof(urn), "::%s", name);
	return pct_count(run, policy, name ? urn : NULL, -1);
}

int pct_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static struct arena fx_arena;
static struct pct_fixture_set fx_set;

const struct pct_fixture_set *pct_fixture_resources(void)
{
	struct pct_fixture_set *x = &fx_set;
	char **files;
	size_t nf;

	if (x->n)
		return x;
	arena_init(&fx_arena, 0);
	nf = pct_fixture_files(&files);
	for (size_t f = 0; f < nf; f++) {
		size_t len;
		const char *err = NULL;
		struct resjson_doc d;
		char *text = resjson_read_file(&fx_arena, files[f], &len, &err);
		if (!text || resjson_load(&fx_arena, text, len, &d, &err) < 0)
			continue;
		x->in = realloc(x->in, (x->n + d.n) * sizeof(*x->in));
		x->out = realloc(x->out, (x->n + d.n) * sizeof(*x->out));
		x->fail = realloc(x->fail, (x->n + d.n) * sizeof(*x->fail));
		ck_assert(x->in && x->out && x->fail);
		memcpy(x->in + x->n, d.inputs, d.n * sizeof(*x->in));
		memcpy(x->out + x->n, d.outputs, d.n * sizeof(*x->out));
		for (size_t i = 0; i < d.n; i++)
			x->fail[x->n + i] = pct_fixture_kind(files[f]) == 1;
		x->n += d.n;
	}
	pct_files_free(files, nf);
	ck_assert_uint_gt(x->n, 100);
	return x;
}

void pct_fixture_resources_free(void)
{
	free(fx_set.in);
	free(fx_set.out);
	free(fx_set.fail);
	memset(&fx_set, 0, sizeof(fx_set));
	arena_release(&fx_arena);
}

/* ---- canary secrets --------------------------------------------------------- */

static pv_value *secret_of(struct arena *a, pv_value *inner)
{
	pv_value *o = pv_new_obj(a);
	o = pv_obj_with(a, o, PV_SIG_KEY, pv_new_str(a, PV_SIG_SECRET));
	return pv_obj_with(a, o, "value", inner);
}

/* Every string leaf s (unknown sentinels aside) becomes secret(s + "~" PCT_CANARY). */
static pv_value *canarise_at(struct arena *a, const pv_value *v, int depth)
{
	if (!v || depth > PV_MAX_DEPTH)
		return (pv_value *)v;
	switch (v->kind_case) {
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE: {
		if (pv_is_unknown_sentinel(v->string_value))
			return (pv_value *)v;
		char *s = arena_printf(a, "%s~%s", v->string_value, PCT_CANARY);
		return secret_of(a, pv_new_str(a, s));
	}
	case GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE: {
		pv_value *c = pv_copy(a, v);
		for (size_t i = 0; i < c->list_value->n_values; i++)
			c->list_value->values[i] = canarise_at(a, v->list_value->values[i], depth + 1);
		return c;
	}
	case GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE: {
		pv_value *c = pv_copy(a, v);
		int special = 0;
		for (size_t i = 0; i < c->struct_value->n_fields; i++)
			if (strcmp(c->struct_value->fields[i]->key, PV_SIG_KEY) == 0)
				special = 1;
		for (size_t i = 0; !special && i < c->struct_value->n_fields; i++)
			c->struct_value->fields[i]->value = canarise_at(a, v->struct_value->fields[i]->value, depth + 1);
		return c;
	}
	default:
		return (pv_value *)v;
	}
}

pv_value *pct_canarise(struct arena *a, const pv_value *v)
{
	return canarise_at(a, v, 0);
}

char *pct_canary_fixture(struct arena *a, const char *path)
{
	size_t len;
	const char *err = NULL;
	char *text = resjson_read_file(a, path, &len, &err);
	ck_assert_msg(text != NULL, "%s: %s", path, err ? err : "?");
	const pv_value *root = pv_parse_json(a, text, len, &err);
	ck_assert_msg(root != NULL, "%s: %s", path, err ? err : "?");
	const pv_value *list = pv_get(root, "resources"), *r;
	pv_value *nl = pv_copy(a, list);
	PV_LIST_FOREACH(i, r, list) {
		pv_value *nr = (pv_value *)r;
		static const char *const keys[] = { "properties", "outputs" };
		for (int k = 0; k < 2; k++)
			if (pv_get(r, keys[k]))
				nr = pv_obj_with(a, nr, keys[k], pct_canarise(a, pv_get(r, keys[k])));
		const pv_value *prov = pv_get(r, "provider");
		if (pv_kind(prov) == PV_OBJECT)
			nr = pv_obj_with(a, nr, "provider",
					 pv_obj_with(a, prov, "properties", pct_canarise(a, pv_get(prov, "properties"))));
		nl->list_value->values[i] = nr;
	}
	pv_value *out = pv_obj_with(a, root, "resources", nl);
	return pv_to_json_raw(a, out);
}
