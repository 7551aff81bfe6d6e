/*
 * resjson.c - resources from our fixture format or a `pulumi stack export`.
 */
#include "resjson.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"

#define DEFAULT_PROVIDER_NAME "default_7_48_0"

static const char *str_or(const pv_value *v, const char *dflt)
{
	const char *s = pv_str(v);
	return s ? s : dflt;
}

/* "urn:pulumi:<stack>::<project>::..." -> stack and project (arena copies). */
static void urn_stack_project(struct arena *a, const char *urn, const char **stack, const char **project)
{
	*stack = "dev";
	*project = "project";
	if (!urn || strncmp(urn, "urn:pulumi:", 11) != 0)
		return;
	const char *s = urn + 11, *e1 = strstr(s, "::");
	if (!e1)
		return;
	const char *p = e1 + 2, *e2 = strstr(p, "::");
	if (!e2)
		return;
	*stack = arena_strndup(a, s, (size_t)(e1 - s));
	*project = arena_strndup(a, p, (size_t)(e2 - p));
}

static char **str_list(struct arena *a, const pv_value *l, size_t *n)
{
	size_t len = pv_len(l), k = 0;
	char **out = arena_alloc(a, (len ? len : 1) * sizeof(*out));
	const pv_value *e;
	if (!out)
		return NULL;
	PV_LIST_FOREACH(i, e, l) {
		const char *s = pv_str(e);
		if (s)
			out[k++] = (char *)s;
	}
	*n = k;
	return out;
}

static const pv_value *as_object(struct arena *a, const pv_value *v)
{
	return pv_kind(v) == PV_OBJECT ? v : pv_new_obj(a);
}

/* The provider inputs a default provider gets: the stack's aws:* config without the prefix. */
static const pv_value *default_provider_props(struct arena *a, const pv_value *stack)
{
	pv_value *o = pv_new_obj(a);
	const pv_value *cfg = pv_get(stack, "config"), *v;
	const char *k;
	PV_OBJ_FOREACH(i, k, v, cfg) {
		if (o && strncmp(k, "aws:", 4) == 0)
			o = pv_obj_with(a, o, k + 4, (pv_value *)v);
	}
	return o;
}

/* One entry of "resources" (fixture) or "deployment.resources" (stack export). */
static int load_one(struct arena *a, const pv_value *res, const pv_value *all, int is_export,
		    const pv_value *stack, struct pol_resource *in, struct pol_resource *outr)
{
	memset(in, 0, sizeof(*in));
	in->type = str_or(pv_get(res, "type"), "");
	in->urn = str_or(pv_get(res, "urn"), "");
	in->name = str_or(pv_get(res, "name"), pol_urn_name(in->urn));
	in->parent = str_or(pv_get(res, "parent"), "");
	int protect = 0;
	pv_get_bool(pv_get(res, "protect"), &protect);
	in->protect = protect;
	if (!*in->type || !*in->urn)
		return -1;

	const pv_value *props = pv_get(res, is_export ? "inputs" : "properties");
	const pv_value *outs = pv_get(res, "outputs");
	in->props = as_object(a, props);

	/* Provider: a URN (optionally "urn::id" as in exports), an object, or the default one. */
	in->provider_type = "";
	in->provider_urn = "";
	in->provider_name = "";
	in->provider_props = pv_new_obj(a);
	const pv_value *prov = pv_get(res, "provider");
	if (pv_kind(prov) == PV_OBJECT) {
		in->provider_type = str_or(pv_get(prov, "type"), "pulumi:providers:aws");
		in->provider_urn = str_or(pv_get(prov, "urn"), "");
		in->provider_name = str_or(pv_get(prov, "name"), pol_urn_name(in->provider_urn));
		in->provider_props = as_object(a, pv_get(prov, "properties"));
	} else if (pv_str(prov) && *pv_str(prov)) {
		const char *ref = pv_str(prov);
		const pv_value *e;
		PV_LIST_FOREACH(i, e, all) {
			const char *u = pv_str(pv_get(e, "urn"));
			size_t ul = u ? strlen(u) : 0;
			if (u && strncmp(ref, u, ul) == 0 && (ref[ul] == '\0' || strncmp(ref + ul, "::", 2) == 0)) {
				in->provider_type = str_or(pv_get(e, "type"), "");
				in->provider_urn = u;
				in->provider_name = str_or(pv_get(e, "name"), pol_urn_name(u));
				in->provider_props = as_object(a, pv_get(e, is_export ? "inputs" : "properties"));
				break;
			}
		}
		if (!*in->provider_urn) {
			in->provider_urn = ref;
			in->provider_type = "pulumi:providers:aws";
			in->provider_name = pol_urn_name(ref);
		}
	} else if (strncmp(in->type, "aws:", 4) == 0) {
		const char *st, *pj;
		urn_stack_project(a, in->urn, &st, &pj);
		in->provider_type = "pulumi:providers:aws";
		in->provider_urn = arena_printf(a, "urn:pulumi:%s::%s::pulumi:providers:aws::%s", st, pj,
						DEFAULT_PROVIDER_NAME);
		in->provider_name = DEFAULT_PROVIDER_NAME;
		in->provider_props = default_provider_props(a, stack);
	}

	in->ignore_changes = str_list(a, pv_path(res, "options.ignoreChanges"), &in->n_ignore_changes);
	in->deps = str_list(a, pv_get(res, "dependencies"), &in->n_deps);
	const pv_value *pd = pv_get(res, "propertyDependencies"), *v;
	const char *k;
	size_t npd = pv_obj_size(pd);
	struct pol_propdep *deps = arena_alloc(a, (npd ? npd : 1) * sizeof(*deps));
	if (!deps || !in->deps || !in->ignore_changes)
		return -1;
	PV_OBJ_FOREACH(i, k, v, pd) {
		deps[in->n_propdeps].prop = k;
		deps[in->n_propdeps].urns = str_list(a, v, &deps[in->n_propdeps].n_urns);
		in->n_propdeps++;
	}
	in->propdeps = deps;

	*outr = *in;
	outr->props = as_object(a, outs ? outs : props);
	if (!in->props || !outr->props || !in->provider_props)
		return -1;
	return 0;
}

int resjson_load(struct arena *a, const char *text, size_t len, struct resjson_doc *out, const char **err)
{
	memset(out, 0, sizeof(*out));
	out->title = "";
	out->seed = "";
	const char *msg = NULL;
	const pv_value *root = pv_parse_json(a, text, len, &msg);
	if (!root) {
		*err = arena_printf(a, "not valid JSON: %s", msg ? msg : "?");
		return -1;
	}
	if (pv_kind(root) != PV_OBJECT) {
		*err = "top level must be a JSON object";
		return -1;
	}
	int is_export = 0;
	const pv_value *list = pv_get(root, "resources");
	const pv_value *dep = pv_get(root, "deployment");
	if (!list && dep) {
		list = pv_get(dep, "resources");
		is_export = 1;
	}
	if (pv_kind(list) != PV_LIST && !(is_export && !list)) {
		*err = "expected \"resources\" (a list) or a stack export with \"deployment.resources\"";
		return -1;
	}
	out->config = pv_get(root, "config");
	out->stack = pv_get(root, "stack");
	out->expect = pv_get(root, "expect");
	out->title = str_or(pv_get(root, "title"), "");
	out->seed = str_or(pv_get(root, "seed"), "");
	size_t n = pv_len(list);
	out->inputs = arena_alloc(a, (n ? n : 1) * sizeof(*out->inputs));
	out->outputs = arena_alloc(a, (n ? n : 1) * sizeof(*out->outputs));
	if (!out->inputs || !out->outputs) {
		*err = "out of memory";
		return -1;
	}
	const pv_value *e;
	PV_LIST_FOREACH(i, e, list) {
		if (pv_kind(e) != PV_OBJECT) {
			*err = arena_printf(a, "resource %zu is not an object", i);
			return -1;
		}
		if (load_one(a, e, list, is_export, out->stack, &out->inputs[out->n], &out->outputs[out->n]) < 0) {
			*err = arena_printf(a, "resource %zu: needs \"type\" and \"urn\"", i);
			return -1;
		}
		out->n++;
	}
	return 0;
}

static struct pack_kv *kvs(struct arena *a, const pv_value *obj, size_t *n)
{
	size_t len = pv_obj_size(obj);
	struct pack_kv *kv = arena_alloc(a, (len ? len : 1) * sizeof(*kv));
	const char *k;
	const pv_value *v;
	*n = 0;
	if (!kv)
		return NULL;
	PV_OBJ_FOREACH(i, k, v, obj) {
		const char *s = pv_str(v);
		kv[*n].key = k;
		kv[*n].value = s ? s : pv_to_json(a, v);
		(*n)++;
	}
	return kv;
}

int resjson_stack_args(struct arena *a, const struct resjson_doc *d, struct pack_stack_args *out)
{
	memset(out, 0, sizeof(*out));
	const pv_value *s = d->stack;
	const char *st = "dev", *pj = "project";
	if (d->n)
		urn_stack_project(a, d->inputs[0].urn, &st, &pj);
	out->stack = str_or(pv_get(s, "stack"), st);
	out->project = str_or(pv_get(s, "project"), pj);
	out->organization = str_or(pv_get(s, "organization"), "organization");
	int dry = 1;
	pv_get_bool(pv_get(s, "dryRun"), &dry);
	out->dry_run = dry;
	out->config = kvs(a, pv_get(s, "config"), &out->n_config);
	out->tags = kvs(a, pv_get(s, "tags"), &out->n_tags);
	size_t nsec = 0;
	out->secret_keys = (const char *const *)str_list(a, pv_get(s, "configSecretKeys"), &nsec);
	out->n_secret_keys = nsec;
	return (out->config && out->tags && out->secret_keys) ? 0 : -1;
}

char *resjson_read_file(struct arena *a, const char *path, size_t *len, const char **err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		*err = arena_printf(a, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = NULL;
	for (;;) {
		char *nb = arena_alloc(a, cap + 1);
		if (!nb) {
			*err = "out of memory";
			buf = NULL;
			break;
		}
		if (n)
			memcpy(nb, buf, n);
		buf = nb;
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f)) {
				*err = arena_printf(a, "cannot read %s: %s", path, strerror(errno));
				buf = NULL;
			}
			break;
		}
		cap *= 2;
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}
