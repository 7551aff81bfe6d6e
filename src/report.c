/*
 * report.c - printing check-mode results (see report.h).
 */
#include "report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

int report_add(struct report *r, const struct run_diag *d, const char *file, const char *type, const char *name)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct report_item *it = realloc(r->items, cap * sizeof(*it));
		if (!it)
			return -1;
		r->items = it;
		r->cap = cap;
	}
	r->items[r->n++] = (struct report_item){ d, file, type, name };
	if (d->level == POL_MANDATORY)
		r->mandatory++;
	else
		r->advisory++;
	return 0;
}

int report_add_file(struct report *r, const char *file)
{
	const char **f = realloc(r->files, (r->n_files + 1) * sizeof(*f));
	if (!f)
		return -1;
	r->files = f;
	r->files[r->n_files++] = file;
	return 0;
}

void report_free(struct report *r)
{
	free(r->items);
	free(r->files);
	memset(r, 0, sizeof(*r));
}

const char *report_display_type(const char *type, char *buf, size_t len)
{
	/* pkg:module/sub:Type -> pkg:module:Type (tokens.go DisplayName). */
	const char *c1 = strchr(type, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2) {
		snprintf(buf, len, "%s", type);
		return buf;
	}
	const char *slash = memchr(c1 + 1, '/', (size_t)(c2 - c1 - 1));
	size_t modlen = (size_t)((slash ? slash : c2) - (c1 + 1));
	snprintf(buf, len, "%.*s:%.*s:%s", (int)(c1 - type), type, (int)modlen, c1 + 1, c2 + 1);
	return buf;
}

/* CLI order: level (mandatory first), severity (highest first), policy, URN. */
static int cmp_items(const void *a, const void *b)
{
	const struct report_item *x = a, *y = b;
	if (x->d->level != y->d->level)
		return x->d->level == POL_MANDATORY ? -1 : 1;
	if (x->d->severity != y->d->severity)
		return x->d->severity > y->d->severity ? -1 : 1;
	int c = strcmp(x->d->pp->p->name, y->d->pp->p->name);
	return c ? c : strcmp(x->d->urn, y->d->urn);
}

static void print_text(struct report *r, const char *version, FILE *out)
{
	const char *mark = r->mandatory ? "\xe2\x9d\x8c" : r->advisory ? "\xe2\x9a\xa0\xef\xb8\x8f" : "\xe2\x9c\x85";
	fprintf(out, "Policies:\n    %s %s@v%s", mark, pack_meta.name, version);
	if (r->n_files == 1)
		fprintf(out, " (local: %s)", r->files[0]);
	fputc('\n', out);
	for (size_t i = 0; i < r->n; i++) {
		const struct report_item *it = &r->items[i];
		char dt[256];
		fprintf(out, "        - [%s] ", pack_level_name(it->d->level));
		if (it->d->severity != POL_SEV_UNSPECIFIED)
			fprintf(out, "[severity: %s] ", pack_severity_name(it->d->severity));
		fprintf(out, " %s  (%s: %s)\n", it->d->pp->p->name,
			report_display_type(it->type, dt, sizeof(dt)), it->name);
		/* Indent every line of the message like the CLI does. */
		const char *m = it->d->message;
		while (*m) {
			size_t n = strcspn(m, "\n");
			fprintf(out, "          %.*s\n", (int)n, m);
			m += n;
			if (*m == '\n')
				m++;
		}
		if (r->n_files > 1)
			fprintf(out, "          (file: %s)\n", it->file);
	}
	fprintf(out, "\n%zu mandatory, %zu advisory violation%s\n", r->mandatory, r->advisory,
		r->mandatory + r->advisory == 1 ? "" : "s");
}

static cJSON *json_item(const struct report_item *it)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "policy", it->d->pp->p->name);
	cJSON_AddStringToObject(o, "level", pack_level_name(it->d->level));
	cJSON_AddStringToObject(o, "severity", pack_severity_name(it->d->severity));
	cJSON_AddStringToObject(o, "urn", it->d->urn);
	cJSON_AddStringToObject(o, "type", it->type);
	cJSON_AddStringToObject(o, "name", it->name);
	cJSON_AddStringToObject(o, "description", it->d->pp->p->description);
	cJSON_AddStringToObject(o, "message", it->d->message);
	cJSON_AddStringToObject(o, "file", it->file);
	return o;
}

static cJSON *build_json(struct report *r, const char *version)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "policyPack", pack_meta.name);
	cJSON_AddStringToObject(root, "version", version);
	cJSON *files = cJSON_AddArrayToObject(root, "files");
	for (size_t i = 0; i < r->n_files; i++)
		cJSON_AddItemToArray(files, cJSON_CreateString(r->files[i]));
	cJSON *diags = cJSON_AddArrayToObject(root, "diagnostics");
	for (size_t i = 0; i < r->n; i++)
		cJSON_AddItemToArray(diags, json_item(&r->items[i]));
	cJSON *sum = cJSON_AddObjectToObject(root, "summary");
	cJSON_AddNumberToObject(sum, "mandatory", (double)r->mandatory);
	cJSON_AddNumberToObject(sum, "advisory", (double)r->advisory);
	return root;
}

static const char *sarif_level(const struct run_diag *d)
{
	return d->level == POL_MANDATORY ? "error" : "warning";
}

static cJSON *build_sarif(struct report *r, const struct pack *pk, const char *version)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(root, "version", "2.1.0");
	cJSON *run = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
	cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
	cJSON_AddStringToObject(driver, "name", pack_meta.name);
	cJSON_AddStringToObject(driver, "version", version);
	cJSON_AddStringToObject(driver, "semanticVersion", version);
	cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
	for (size_t i = 0; i < pk->n; i++) {
		const struct policy *p = pk->policies[i].p;
		cJSON *rule = cJSON_CreateObject();
		cJSON_AddStringToObject(rule, "id", p->name);
		cJSON_AddStringToObject(rule, "name", p->display_name);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(rule, "shortDescription"), "text", p->description);
		if (p->remediation_steps)
			cJSON_AddStringToObject(cJSON_AddObjectToObject(rule, "help"), "text", p->remediation_steps);
		if (p->url && *p->url)
			cJSON_AddStringToObject(rule, "helpUri", p->url);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(rule, "defaultConfiguration"), "level",
					p->level == POL_ADVISORY ? "warning" : "error");
		cJSON *props = cJSON_AddObjectToObject(rule, "properties");
		cJSON_AddStringToObject(props, "severity", pack_severity_name(p->severity));
		cJSON *tags = cJSON_AddArrayToObject(props, "tags");
		for (const char *t = p->tags; t && *t;) {
			size_t n = strcspn(t, ",");
			char buf[128];
			snprintf(buf, sizeof(buf), "%.*s", (int)n, t);
			cJSON_AddItemToArray(tags, cJSON_CreateString(buf));
			t += n;
			while (*t == ',' || *t == ' ')
				t++;
		}
		cJSON_AddItemToArray(rules, rule);
	}
	cJSON *results = cJSON_AddArrayToObject(run, "results");
	for (size_t i = 0; i < r->n; i++) {
		const struct report_item *it = &r->items[i];
		cJSON *res = cJSON_CreateObject();
		cJSON_AddStringToObject(res, "ruleId", it->d->pp->p->name);
		cJSON_AddNumberToObject(res, "ruleIndex", (double)it->d->pp->index);
		cJSON_AddStringToObject(res, "level", sarif_level(it->d));
		cJSON_AddStringToObject(cJSON_AddObjectToObject(res, "message"), "text", it->d->message);
		cJSON *loc = cJSON_CreateObject();
		cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "locations"), loc);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(loc, "physicalLocation"),
								 "artifactLocation"), "uri", it->file);
		cJSON *ll = cJSON_CreateObject();
		cJSON_AddItemToArray(cJSON_AddArrayToObject(loc, "logicalLocations"), ll);
		cJSON_AddStringToObject(ll, "name", it->name);
		cJSON_AddStringToObject(ll, "fullyQualifiedName", it->d->urn);
		cJSON_AddStringToObject(ll, "kind", "resource");
		cJSON_AddItemToArray(results, res);
	}
	return root;
}

int report_print(struct report *r, const struct pack *pk, const char *version, const char *format, FILE *out)
{
	if (r->n)
		qsort(r->items, r->n, sizeof(*r->items), cmp_items);
	if (strcmp(format, "text") == 0) {
		print_text(r, version, out);
		return 0;
	}
	cJSON *root = strcmp(format, "sarif") == 0 ? build_sarif(r, pk, version) : build_json(r, version);
	char *s = root ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!s)
		return -1;
	fputs(s, out);
	fputc('\n', out);
	free(s);
	return 0;
}
