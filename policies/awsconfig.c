/*
 * awsconfig.c - policy family "awsconfig" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_awsconfig = { "awsconfig", policies, 0 };
