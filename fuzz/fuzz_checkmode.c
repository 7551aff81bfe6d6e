/*
 * fuzz_checkmode.c - check-mode JSON input (fixture format or stack export)
 * through loading, Analyze for every resource and AnalyzeStack once.
 */
#include <stdlib.h>

#include "arena.h"
#include "fuzz_support.h"
#include "resjson.h"
#include "runner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct arena a;
	arena_init(&a, 64u << 20);
	struct resjson_doc doc;
	const char *err = NULL;
	struct pack *pk = fz_pack();
	if (resjson_load(&a, (const char *)data, len, &doc, &err) == 0) {
		/* Stack context changes would pile up snapshots: judge under the default one. */
		const struct pack_snapshot *snap = pack_snapshot(pk);
		struct run_result res;
		run_result_init(&res);
		for (size_t i = 0; i < doc.n; i++)
			run_analyze(pk, snap, &a, &doc.inputs[i], &res);
		struct stk_index s;
		if (stk_index_build(&s, &a, doc.outputs, doc.n) == 0)
			run_analyze_stack(pk, snap, &a, &s, &res);
		struct pack_stack_args sa;
		(void)resjson_stack_args(&a, &doc, &sa);
	}
	arena_release(&a);
	return 0;
}
