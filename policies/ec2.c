/*
 * ec2.c - policy family "ec2" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_ec2 = { "ec2", policies, 0 };
