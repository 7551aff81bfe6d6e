/*
 * listing.c - `--list-policies`: the policy table as text, JSON or Markdown.
 * The README policy table and docs/policies.md are generated from this
 * output, so the table in the code is the only source of truth.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cli.h"

static const char *kind_name(const struct policy *p)
{
	return p->check_stack ? "stack" : "resource";
}

static cJSON *pv_to_cjson(const pv_value *v, int depth)
{
	if (depth > PV_MAX_DEPTH)
		return cJSON_CreateNull();
	switch (pv_kind(v)) {
	case PV_BOOL:
		return cJSON_CreateBool(pv_unwrap(v, NULL)->bool_value);
	case PV_NUMBER:
		return cJSON_CreateNumber(pv_unwrap(v, NULL)->number_value);
	case PV_STRING:
	case PV_UNKNOWN:
		return cJSON_CreateString(pv_unwrap(v, NULL)->string_value);
	case PV_LIST: {
		cJSON *a = cJSON_CreateArray();
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v)
			cJSON_AddItemToArray(a, pv_to_cjson(e, depth + 1));
		return a;
	}
	case PV_OBJECT: {
		cJSON *o = cJSON_CreateObject();
		const char *k;
		const pv_value *e;
		PV_OBJ_FOREACH(i, k, e, v)
			cJSON_AddItemToObject(o, k, pv_to_cjson(e, depth + 1));
		return o;
	}
	default:
		return cJSON_CreateNull();
	}
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	cJSON_AddStringToObject(o, k, v ? v : "");
}

static int print_json(const struct pack *pk, FILE *out)
{
	cJSON *root = cJSON_CreateObject();
	add_str(root, "name", pack_meta.name);
	add_str(root, "version", pack_meta.version);
	cJSON *arr = cJSON_AddArrayToObject(root, "policies");
	for (size_t i = 0; i < pk->n; i++) {
		const struct pack_policy *pp = &pk->policies[i];
		const struct policy *p = pp->p;
		cJSON *o = cJSON_CreateObject();
		add_str(o, "name", p->name);
		add_str(o, "displayName", p->display_name);
		add_str(o, "description", p->description);
		add_str(o, "enforcementLevel", pack_level_name(pack_snapshot(pk)->settings[i].level));
		add_str(o, "severity", pack_severity_name(p->severity));
		add_str(o, "type", kind_name(p));
		cJSON *types = cJSON_AddArrayToObject(o, "resourceTypes");
		for (const char *const *t = p->types; t && *t; t++)
			cJSON_AddItemToArray(types, cJSON_CreateString(*t));
		cJSON_AddItemToObject(o, "configSchema", pv_to_cjson(pp->schema, 0));
		add_str(o, "remediationSteps", p->remediation_steps);
		add_str(o, "tags", p->tags);
		add_str(o, "url", p->url);
		cJSON_AddBoolToObject(o, "remediates", p->remediate != NULL);
		if (p->framework) {
			cJSON *f = cJSON_AddObjectToObject(o, "framework");
			add_str(f, "name", p->framework->name);
			add_str(f, "version", p->framework->version);
			add_str(f, "reference", p->framework->reference);
			add_str(f, "specification", p->framework->specification);
		}
		if (p->doc) {
			cJSON *d = cJSON_AddObjectToObject(o, "doc");
			add_str(d, "why", p->doc->why);
			add_str(d, "failTs", p->doc->fail_ts);
			add_str(d, "fixedTs", p->doc->fixed_ts);
			add_str(d, "failPy", p->doc->fail_py);
			add_str(d, "fixedPy", p->doc->fixed_py);
		}
		cJSON_AddItemToArray(arr, o);
	}
	char *s = cJSON_Print(root);
	cJSON_Delete(root);
	if (!s)
		return CLI_INTERNAL;
	fputs(s, out);
	fputc('\n', out);
	free(s);
	return CLI_OK;
}

/* Markdown cells must not contain raw '|' or newlines. */
static void md_cell(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

static int print_markdown(const struct pack *pk, FILE *out)
{
	fprintf(out, "| Policy | Scope | Default level | Severity | What it checks |\n");
	fprintf(out, "|---|---|---|---|---|\n");
	for (size_t i = 0; i < pk->n; i++) {
		const struct policy *p = pk->policies[i].p;
		fprintf(out, "| `%s` | %s | %s | %s | ", p->name, kind_name(p),
			pack_level_name(pack_snapshot(pk)->settings[i].level), pack_severity_name(p->severity));
		md_cell(out, p->description);
		fputs(" |\n", out);
	}
	return CLI_OK;
}

static int print_text(const struct pack *pk, FILE *out)
{
	for (size_t i = 0; i < pk->n; i++) {
		const struct policy *p = pk->policies[i].p;
		fprintf(out, "%-45s %-9s %-9s %-8s %s\n", p->name, kind_name(p),
			pack_level_name(pack_snapshot(pk)->settings[i].level), pack_severity_name(p->severity),
			p->description);
	}
	return CLI_OK;
}

/* One knob row: `name` | type | default | description. */
static void md_knob(FILE *out, struct arena *a, const char *name, const pv_value *schema)
{
	const char *type = pv_str(pv_get(schema, "type"));
	const pv_value *items = pv_get(schema, "items");
	const pv_value *dflt = pv_get(schema, "default");
	fprintf(out, "| `%s` | %s%s%s | `", name, type ? type : "?", items ? " of " : "",
		items && pv_str(pv_get(items, "type")) ? pv_str(pv_get(items, "type")) : "");
	md_cell(out, dflt ? pv_to_json(a, dflt) : "none");
	fputs("` | ", out);
	md_cell(out, pv_str(pv_get(schema, "description")));
	fputs(" |\n", out);
}

static void md_snippet(FILE *out, const char *title, const char *lang, const char *code)
{
	if (!code || !*code)
		return;
	fprintf(out, "%s:\n\n```%s\n%s\n```\n\n", title, lang, code);
}

/* The full reference, docs/policies.md. */
static int print_docs(const struct pack *pk, FILE *out)
{
	struct arena a;
	arena_init(&a, 0);
	fprintf(out, "# Policy reference\n\n"
		     "Generated from the policy table by `pulumi-analyzer-policy-c --list-policies --format docs`;"
		     " do not edit by hand.\n\n"
		     "Every policy also accepts `enforcementLevel` (`advisory`, `mandatory`, `remediate`,"
		     " `disabled`), `onUnknown` and `exclude` in `--policy-pack-config`.\n\n");
	for (size_t i = 0; i < pk->n; i++) {
		const struct pack_policy *pp = &pk->policies[i];
		const struct policy *p = pp->p;
		fprintf(out, "- [`%s`](#%s)\n", p->name, p->name);
	}
	for (size_t i = 0; i < pk->n; i++) {
		const struct pack_policy *pp = &pk->policies[i];
		const struct policy *p = pp->p;
		fprintf(out, "\n## %s\n\n**%s.** %s\n\n", p->name, p->display_name, p->description);
		fprintf(out, "- Scope: %s policy\n- Default level: `%s`\n- Severity: %s\n", kind_name(p),
			pack_level_name(pack_snapshot(pk)->settings[i].level), pack_severity_name(p->severity));
		fputs("- Resource types: ", out);
		if (!p->types)
			fputs("all", out);
		for (const char *const *t = p->types; t && *t; t++)
			fprintf(out, "%s`%s`", t == p->types ? "" : ", ", *t);
		fputc('\n', out);
		if (p->remediate)
			fputs("- Remediation: at level `remediate` the pack fixes the inputs itself.\n", out);
		if (p->tags && *p->tags)
			fprintf(out, "- Tags: %s\n", p->tags);
		if (p->url && *p->url)
			fprintf(out, "- Reference: <%s>\n", p->url);
		if (p->doc && p->doc->why)
			fprintf(out, "\n**Why.** %s\n", p->doc->why);
		if (p->remediation_steps)
			fprintf(out, "\n**How to fix.** %s\n", p->remediation_steps);
		fputs("\n| Knob | Type | Default | Description |\n|---|---|---|---|\n", out);
		const char *k;
		const pv_value *v;
		PV_OBJ_FOREACH(j, k, v, pp->schema)
			md_knob(out, &a, k, v);
		fputc('\n', out);
		if (p->doc) {
			md_snippet(out, "Violates (TypeScript)", "typescript", p->doc->fail_ts);
			md_snippet(out, "Passes (TypeScript)", "typescript", p->doc->fixed_ts);
			md_snippet(out, "Violates (Python)", "python", p->doc->fail_py);
			md_snippet(out, "Passes (Python)", "python", p->doc->fixed_py);
		}
	}
	arena_release(&a);
	return CLI_OK;
}

int listing_print(const struct pack *pk, const char *format, FILE *out, FILE *err)
{
	if (!format || strcmp(format, "text") == 0)
		return print_text(pk, out);
	if (strcmp(format, "json") == 0)
		return print_json(pk, out);
	if (strcmp(format, "markdown") == 0)
		return print_markdown(pk, out);
	if (strcmp(format, "docs") == 0)
		return print_docs(pk, out);
	fprintf(err, "unknown format '%s' (text, json, markdown or docs)\n", format);
	return CLI_USAGE;
}
