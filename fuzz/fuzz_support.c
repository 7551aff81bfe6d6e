/*
 * fuzz_support.c - see fuzz_support.h.
 */
#include "fuzz_support.h"

#include <grpc/status.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "arena.h"
#include "pbdepth.h"

static struct pack pk;
static struct an_state st;
static int ready;

static void init(void)
{
	if (ready)
		return;
	char *err = NULL;
	if (pack_init(&pk, &err) < 0 || an_init(&st, &pk, 0) < 0) {
		fprintf(stderr, "fuzz init: %s\n", err ? err : "an_init");
		abort();
	}
	ready = 1;
}

struct pack *fz_pack(void)
{
	init();
	return &pk;
}

int fz_call(const char *name, const uint8_t *data, size_t len)
{
	init();
	size_t n;
	const struct srv_method *m = an_methods(&st, &n), *method = NULL;
	char path[96];
	snprintf(path, sizeof(path), "/pulumirpc.Analyzer/%s", name);
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].path, path) == 0)
			method = &m[i];
	if (!method)
		abort();
	if (pbdepth_check(method->input, data, len, SRV_DEFAULT_MAX_DEPTH) != PBDEPTH_OK)
		return GRPC_STATUS_INVALID_ARGUMENT;
	struct arena a;
	arena_init(&a, 64u << 20);
	unsigned char alloc_storage[ARENA_PB_ALLOCATOR_SIZE];
	ProtobufCMessage *req = protobuf_c_message_unpack(method->input, arena_protobuf_allocator(&a, alloc_storage),
							  len, data);
	int status = GRPC_STATUS_INVALID_ARGUMENT;
	if (req) {
		struct srv_reply out = { GRPC_STATUS_OK, NULL, NULL };
		method->handler(&st, &a, req, &out);
		status = out.status;
		if (out.status == GRPC_STATUS_OK && out.msg) {
			size_t sz = protobuf_c_message_get_packed_size(out.msg);
			uint8_t *buf = malloc(sz ? sz : 1);
			if (!buf)
				abort();
			protobuf_c_message_pack(out.msg, buf);
			/* The reply must decode again: catches hand-built messages the wire rejects. */
			ProtobufCMessage *back = protobuf_c_message_unpack(out.msg->descriptor, NULL, sz, buf);
			if (!back)
				abort();
			protobuf_c_message_free_unpacked(back, NULL);
			free(buf);
		}
	}
	arena_release(&a);
	return status;
}
