/*
 * dynamodb.c - policy family "dynamodb" (see families.h).
 */
#include "policy.h"

static const struct policy policies[] = {
	{ 0 },
};

const struct pol_family pol_family_dynamodb = { "dynamodb", policies, 0 };
