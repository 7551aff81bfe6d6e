/*
 * stack.c - policy family "stack" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_stack = { "stack", policies, 0 };
