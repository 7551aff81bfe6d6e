/*
 * route53.c - policy family "route53" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_route53 = { "route53", policies, 0 };
