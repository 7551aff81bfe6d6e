/*
 * iam.c - policy family "iam" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_iam = { "iam", policies, 0 };
