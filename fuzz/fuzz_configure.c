/*
 * fuzz_configure.c - ConfigureAnalyzerRequest bytes through the Configure
 * handler, and the same bytes as --policy-pack-config JSON text. A fresh
 * pack per input: configuration snapshots live as long as their pack.
 */
#include <grpc/status.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "arena.h"
#include "pbdepth.h"
#include "pulumi/analyzer.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pack pk;
	struct an_state st;
	char *err = NULL;
	if (pack_init(&pk, &err) < 0 || an_init(&st, &pk, 0) < 0)
		abort();
	struct arena a;
	arena_init(&a, 64u << 20);

	/* 1. The RPC. */
	size_t n;
	const struct srv_method *m = an_methods(&st, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(m[i].path, "/pulumirpc.Analyzer/Configure") != 0)
			continue;
		if (pbdepth_check(m[i].input, data, len, SRV_DEFAULT_MAX_DEPTH) != PBDEPTH_OK)
			break;
		unsigned char storage[ARENA_PB_ALLOCATOR_SIZE];
		ProtobufCMessage *req = protobuf_c_message_unpack(m[i].input, arena_protobuf_allocator(&a, storage),
								  len, data);
		if (req) {
			struct srv_reply out = { GRPC_STATUS_OK, NULL, NULL };
			m[i].handler(&st, &a, req, &out);
		}
	}

	/* 2. The config-file format. */
	struct pack_layer l;
	if (pack_layer_parse_json(&a, (const char *)data, len, &l, &err) == 0) {
		if (pack_configure(&pk, &l, &err) < 0)
			pack_err_free(err);
	} else {
		pack_err_free(err);
	}
	arena_release(&a);
	an_free(&st);
	pack_free(&pk);
	return 0;
}
