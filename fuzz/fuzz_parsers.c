/*
 * fuzz_parsers.c - arbitrary text through the JSON, IAM and event-pattern parsers.
 * The body is fz_parsers in fuzz_support.c (shared with test/unit/check_regressions.c).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fz_parsers(data, len);
	return 0;
}
