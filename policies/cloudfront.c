/*
 * cloudfront.c - policy family "cloudfront" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_cloudfront = { "cloudfront", policies, 0 };
