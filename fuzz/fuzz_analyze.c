/*
 * fuzz_analyze.c - raw bytes as AnalyzeRequest: Analyze and Remediate with every policy at remediate.
 * The body is fz_analyze in fuzz_support.c (shared with test/unit/check_regressions.c).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_analyze_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fz_analyze(data, len);
	return 0;
}
