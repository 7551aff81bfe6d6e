/*
 * cli.h - the non-server commands of the analyzer binary.
 *
 * Exit codes (documented in README and --help):
 *   0  success / no mandatory violation
 *   1  check: at least one mandatory violation
 *   2  usage error (unknown flag, bad arguments)
 *   3  input error (unreadable or invalid file, invalid config)
 *   4  internal error (out of memory, server could not start)
 */
#ifndef PC_CLI_H
#define PC_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "pack.h"

enum {
	CLI_OK = 0,
	CLI_VIOLATIONS = 1,
	CLI_USAGE = 2,
	CLI_INPUT = 3,
	CLI_INTERNAL = 4,
};

/*
 * `check [--format text|json|sarif] [--config FILE] FILE...` (argv[0] is
 * "check"). Runs Analyze per resource and AnalyzeStack once per file, prints
 * the results to `out` and errors to `err`. Returns a CLI_* code.
 */
/*
 * One Go-style command-line word, as the engine passes them: "-name",
 * "--name", "-name=value". CLI_FLAG sets *name (not NUL-terminated: *nlen
 * bytes) and *val (the text after '=', or NULL); CLI_FLAGS_END is "--"
 * (positionals follow it); anything else, "-" alone included, is
 * CLI_POSITIONAL and leaves the outputs alone.
 */
enum cli_word { CLI_POSITIONAL, CLI_FLAG, CLI_FLAGS_END };
enum cli_word cli_flag_split(const char *arg, const char **name, size_t *nlen, const char **val);

int checkmode_main(struct pack *pk, int argc, char **argv, FILE *out, FILE *err);

/* `--list-policies [--format text|json|markdown]`: the policy table. Returns a CLI_* code. */
int listing_print(const struct pack *pk, const char *format, FILE *out, FILE *err);

#endif
