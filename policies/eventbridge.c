/*
 * eventbridge.c - policy family "eventbridge" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_eventbridge = { "eventbridge", policies, 0 };
