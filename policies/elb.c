/*
 * elb.c - policy family "elb" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_elb = { "elb", policies, 0 };
