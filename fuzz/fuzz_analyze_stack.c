/*
 * fuzz_analyze_stack.c - raw bytes as AnalyzeStackRequest: the full AnalyzeStack path.
 * The body is fz_analyze_stack in fuzz_support.c (shared with test/unit/check_regressions.c).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fz_analyze_stack(data, len);
	return 0;
}
