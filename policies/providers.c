/*
 * providers.c - policy family "providers" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_providers = { "providers", policies, 0 };
