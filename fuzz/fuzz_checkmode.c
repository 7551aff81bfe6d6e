/*
 * fuzz_checkmode.c - check-mode JSON: loading, Analyze per resource, AnalyzeStack.
 * The body is fz_checkmode in fuzz_support.c (shared with test/unit/check_regressions.c).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fz_checkmode(data, len);
	return 0;
}
