/*
 * fuzz_configure.c - raw bytes as ConfigureAnalyzerRequest and as --policy-pack-config JSON.
 * The body is fz_configure in fuzz_support.c (shared with test/unit/check_regressions.c).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fz_configure(data, len);
	return 0;
}
