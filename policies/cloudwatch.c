/*
 * cloudwatch.c - policy family "cloudwatch" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_cloudwatch = { "cloudwatch", policies, 0 };
