/*
 * fuzz_analyze_stack.c - raw bytes -> AnalyzeStackRequest decode -> the full AnalyzeStack path
 * with every policy (and Remediate for the same bytes where it applies).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fz_call("AnalyzeStack", data, len);
	return 0;
}
