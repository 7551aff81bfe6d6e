/*
 * checkmode.c - `check`: judge resources from JSON files without an engine.
 *
 * Each file is judged exactly as the engine would have the pack judge it:
 * Analyze for every resource (inputs), then AnalyzeStack once (outputs).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cli.h"
#include "report.h"
#include "resjson.h"
#include "runner.h"

static void usage(FILE *err)
{
	fprintf(err, "usage: pulumi-analyzer-policy-c check [--format text|json|sarif] [--config FILE] FILE...\n"
		     "  FILE is our fixture format or a `pulumi stack export` file ('-' reads stdin).\n"
		     "  --config takes the --policy-pack-config JSON format.\n"
		     "  Exit codes: 0 clean, 1 mandatory violations, 2 usage, 3 input error.\n");
}

/* Apply a policy-pack-config layer given as a parsed value (fixture "config"). */
static int configure_from_value(struct pack *pk, struct arena *a, const pv_value *cfg, FILE *err, const char *file)
{
	struct pack_layer layer = { 0, NULL };
	char *e = NULL;
	if (cfg) {
		char *text = pv_to_json(a, cfg);
		if (!text || pack_layer_parse_json(a, text, strlen(text), &layer, &e) < 0) {
			fprintf(err, "%s: config: %s\n", file, e ? e : "out of memory");
			pack_err_free(e);
			return -1;
		}
	}
	if (pack_configure(pk, &layer, &e) < 0) {
		fprintf(err, "%s: config: %s\n", file, e ? e : "invalid");
		pack_err_free(e);
		return -1;
	}
	return 0;
}

static int check_file(struct pack *pk, struct arena *a, const char *file, const struct pack_layer *cli_layer,
		      struct report *rep, FILE *err)
{
	const char *e = NULL;
	size_t len = 0;
	char *text = resjson_read_file(a, file, &len, &e);
	struct resjson_doc doc;
	if (!text || resjson_load(a, text, len, &doc, &e) < 0) {
		fprintf(err, "%s: %s\n", file, e ? e : "cannot load");
		return CLI_INPUT;
	}
	if (cli_layer) {
		char *ce = NULL;
		if (pack_configure(pk, cli_layer, &ce) < 0) {
			fprintf(err, "config: %s\n", ce ? ce : "invalid");
			pack_err_free(ce);
			return CLI_INPUT;
		}
	} else if (configure_from_value(pk, a, doc.config, err, file) < 0) {
		return CLI_INPUT;
	}
	struct pack_stack_args sa;
	if (resjson_stack_args(a, &doc, &sa) < 0 || pack_set_stack(pk, &sa) < 0) {
		fprintf(err, "%s: out of memory\n", file);
		return CLI_INTERNAL;
	}
	const struct pack_snapshot *snap = pack_snapshot(pk);
	struct run_result res;
	run_result_init(&res);
	for (size_t i = 0; i < doc.n; i++)
		run_analyze(pk, snap, a, &doc.inputs[i], &res);
	struct stk_index s;
	if (stk_index_build(&s, a, doc.outputs, doc.n) == 0)
		run_analyze_stack(pk, snap, a, &s, &res);
	else
		res.oom = 1;
	if (res.oom) {
		fprintf(err, "%s: out of memory\n", file);
		return CLI_INTERNAL;
	}
	if (report_add_file(rep, file) < 0)
		return CLI_INTERNAL;
	for (size_t i = 0; i < res.n_diags; i++) {
		const struct run_diag *d = &res.diags[i];
		const struct pol_resource *r = stk_by_urn(&s, d->urn);
		if (report_add(rep, d, file, r ? r->type : "", r ? r->name : pol_urn_name(d->urn)) < 0)
			return CLI_INTERNAL;
	}
	return CLI_OK;
}

int checkmode_main(struct pack *pk, int argc, char **argv, FILE *out, FILE *err)
{
	const char *format = "text", *config = NULL;
	int first_file = argc, rc = CLI_OK;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--format") == 0 && i + 1 < argc) {
			format = argv[++i];
		} else if (strncmp(a, "--format=", 9) == 0) {
			format = a + 9;
		} else if (strcmp(a, "--config") == 0 && i + 1 < argc) {
			config = argv[++i];
		} else if (strncmp(a, "--config=", 9) == 0) {
			config = a + 9;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(out);
			return CLI_OK;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(err, "check: unknown option %s\n", a);
			usage(err);
			return CLI_USAGE;
		} else {
			first_file = i;
			break;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif")) {
		fprintf(err, "check: unknown format '%s' (text, json or sarif)\n", format);
		return CLI_USAGE;
	}
	if (first_file >= argc) {
		usage(err);
		return CLI_USAGE;
	}
	/* Every file's arena lives until the report is printed: messages are borrowed. */
	int nfiles = argc - first_file;
	struct arena *arenas = calloc((size_t)nfiles + 1, sizeof(*arenas));
	struct report rep;
	memset(&rep, 0, sizeof(rep));
	struct pack_layer layer, *cli_layer = NULL;
	if (!arenas)
		return CLI_INTERNAL;
	if (config) {
		const char *e = NULL;
		size_t len;
		char *text = resjson_read_file(&arenas[nfiles], config, &len, &e);
		char *pe = NULL;
		if (!text || pack_layer_parse_json(&arenas[nfiles], text, len, &layer, &pe) < 0 ||
		    pack_layer_validate(pk, &layer, &pe) < 0) {
			fprintf(err, "config %s: %s\n", config, pe ? pe : e ? e : "invalid");
			pack_err_free(pe);
			rc = CLI_INPUT;
			goto out;
		}
		cli_layer = &layer;
	}
	for (int i = 0; i < nfiles; i++) {
		int frc = check_file(pk, &arenas[i], argv[first_file + i], cli_layer, &rep, err);
		if (frc != CLI_OK && rc == CLI_OK)
			rc = frc;
	}
	if (rc == CLI_OK || rep.n_files) {
		if (report_print(&rep, pk, pack_snapshot(pk)->version, format, out) < 0 && rc == CLI_OK)
			rc = CLI_INTERNAL;
		if (rc == CLI_OK && rep.mandatory)
			rc = CLI_VIOLATIONS;
	}
out:
	report_free(&rep);
	for (int i = 0; i <= nfiles; i++)
		arena_release(&arenas[i]);
	free(arenas);
	return rc;
}
