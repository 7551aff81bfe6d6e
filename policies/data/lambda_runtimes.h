/*
 * lambda_runtimes.h - the Lambda managed-runtime table (data in
 * lambda_runtimes.c), read by policies/lambda.c and its tests.
 */
#ifndef PC_LAMBDA_RUNTIMES_H
#define PC_LAMBDA_RUNTIMES_H

#include <stddef.h>

struct lambda_runtime {
	const char *name;          /* identifier as Lambda spells it: "python3.12" */
	const char *end_of_support;/* "YYYY-MM-DD" deprecation (phase 1), past or scheduled */
	const char *block_create;  /* "YYYY-MM-DD" or NULL when not announced */
	const char *block_update;  /* "YYYY-MM-DD" or NULL */
};

/* The date the table was last checked against the AWS runtime page; the default evaluation date. */
extern const char lambda_runtimes_as_of[];

extern const struct lambda_runtime lambda_runtimes[];
extern const size_t lambda_runtimes_n;

#endif
