/*
 * hygiene.c - policy family "hygiene" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_hygiene = { "hygiene", policies, 0 };
