/*
 * fuzz_analyze.c - raw bytes -> AnalyzeRequest decode -> the full Analyze path
 * with every policy (and Remediate for the same bytes where it applies).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzz_support.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Every policy at "remediate": Analyze reports (as mandatory) and Remediate runs every remediation. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct arena a;
	struct pack_layer l;
	char *err = NULL;
	arena_init(&a, 0);
	if (pack_layer_parse_json(&a, "{\"all\":\"remediate\"}", 19, &l, &err) < 0 ||
	    pack_configure(fz_pack(), &l, &err) < 0)
		abort();
	arena_release(&a);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fz_call("Analyze", data, len);
	fz_call("Remediate", data, len);
	return 0;
}
