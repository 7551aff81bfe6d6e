/*
 * lambda.c - policy family "lambda" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_lambda = { "lambda", policies, 0 };
