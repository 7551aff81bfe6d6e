/*
 * s3.c - policy family "s3" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_s3 = { "s3", policies, 0 };
