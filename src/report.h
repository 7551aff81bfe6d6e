/*
 * report.h - check-mode results and how they are printed (text like the
 * Pulumi CLI, JSON, SARIF 2.1.0).
 */
#ifndef PC_REPORT_H
#define PC_REPORT_H

#include <stdio.h>

#include "runner.h"

struct report_item {
	const struct run_diag *d;
	const char *file;
	const char *type;         /* resource type ("" for the stack) */
	const char *name;
};

struct report {
	size_t n, cap;
	struct report_item *items;
	size_t n_files;
	const char **files;
	size_t mandatory, advisory;
};

/* Add a diagnostic (memory borrowed; keep the arenas alive until printed). Returns 0 or -1. */
int report_add(struct report *r, const struct run_diag *d, const char *file, const char *type, const char *name);
int report_add_file(struct report *r, const char *file);
void report_free(struct report *r);

/* Print in `format` ("text", "json", "sarif"). `version` is the pack version shown. */
int report_print(struct report *r, const struct pack *pk, const char *version, const char *format, FILE *out);

/* "aws:lambda/function:Function" -> "aws:lambda:Function" (the CLI's display name), into buf. */
const char *report_display_type(const char *type, char *buf, size_t len);

#endif
