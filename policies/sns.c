/*
 * sns.c - policy family "sns" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_sns = { "sns", policies, 0 };
