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
#include "evpattern.h"
#include "iam.h"
#include "pbdec.h"
#include "pbdepth.h"
#include "pulumi/analyzer.pb-c.h"
#include "pv.h"
#include "resjson.h"
#include "runner.h"
#include "stack.h"

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
		struct srv_reply out = { GRPC_STATUS_OK, NULL, NULL, NULL, 0 };
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

/* ---- the targets ---------------------------------------------------------------- */

/* Every policy at "remediate": Analyze reports (as mandatory) and Remediate runs every remediation. */
void fz_analyze_init(void)
{
	static int done;
	struct arena a;
	struct pack_layer l;
	char *err = NULL;

	if (done)
		return;
	arena_init(&a, 0);
	if (pack_layer_parse_json(&a, "{\"all\":\"remediate\"}", 19, &l, &err) < 0 ||
	    pack_configure(fz_pack(), &l, &err) < 0)
		abort();
	arena_release(&a);
	done = 1;
}

/* Raw bytes -> AnalyzeRequest decode -> the full Analyze path with every policy, and Remediate. */
void fz_analyze(const uint8_t *data, size_t len)
{
	fz_call("Analyze", data, len);
	fz_call("Remediate", data, len);
}

/* The packed form of a decoded message (malloc'd, *n its size); aborts when out of memory. */
static uint8_t *fz_pack_msg(const ProtobufCMessage *m, size_t *n)
{
	uint8_t *buf;

	*n = protobuf_c_message_get_packed_size(m);
	if (!(buf = malloc(*n ? *n : 1)))
		abort();
	protobuf_c_message_pack(m, buf);
	return buf;
}

/*
 * The sharing decoder (pbdec.h) against protobuf-c on the same bytes, cut
 * into up to three segments at input-derived places (received slices split
 * anywhere): when protobuf-c decodes them, pbd_decode must give the same
 * message or fall back; when protobuf-c refuses them, pbd_decode must not
 * claim success; when they nest too deeply, it must say so (or fall back).
 * The server uses pbd_decode only for big requests, which the fuzzer rarely
 * writes, hence this check on every input.
 */
static void fz_pbdec_same(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len)
{
	struct pbd_seg segs[3];
	size_t cut1 = len ? data[0] % (len + 1) : 0, cut2 = len > 1 ? cut1 + data[len - 1] % (len - cut1 + 1) : len;
	struct arena a1, a2;
	unsigned char st[ARENA_PB_ALLOCATOR_SIZE];
	ProtobufCMessage *want, *got = NULL;
	int rc;

	int depth = pbdepth_check(desc, data, len, SRV_DEFAULT_MAX_DEPTH);
	if (depth == PBDEPTH_MALFORMED)
		return;
	segs[0] = (struct pbd_seg){ data, cut1 };
	segs[1] = (struct pbd_seg){ data + cut1, cut2 - cut1 };
	segs[2] = (struct pbd_seg){ data + cut2, len - cut2 };
	arena_init(&a1, 64u << 20);
	arena_init(&a2, 64u << 20);
	if (depth == PBDEPTH_TOO_DEEP) {
		/* Nesting is judged while decoding: it must come to the same verdict. */
		rc = pbd_decode(desc, segs, 3, &a2, SRV_DEFAULT_MAX_DEPTH, NULL, NULL, &got);
		if (rc != PBD_TOO_DEEP && rc != PBD_FALLBACK)
			abort();
		arena_release(&a1);
		arena_release(&a2);
		return;
	}
	want = protobuf_c_message_unpack(desc, arena_protobuf_allocator(&a1, st), len, data);
	rc = pbd_decode(desc, segs, 3, &a2, SRV_DEFAULT_MAX_DEPTH, NULL, NULL, &got);
	if (rc == PBD_OK && !got)
		abort();
	if (!want && rc == PBD_OK && !a1.failed)
		abort();       /* protobuf-c calls it malformed, the sharing decoder accepted it */
	if (want && rc == PBD_OK) {
		size_t nw, ng;
		uint8_t *bw = fz_pack_msg(want, &nw), *bg = fz_pack_msg(got, &ng);
		if (nw != ng || memcmp(bw, bg, nw) != 0)
			abort();   /* the two decoders disagree */
		free(bw);
		free(bg);
	}
	arena_release(&a1);
	arena_release(&a2);
}

/* Raw bytes -> AnalyzeStackRequest decode -> the full AnalyzeStack path with every stack policy. */
void fz_analyze_stack(const uint8_t *data, size_t len)
{
	fz_pbdec_same(&pulumirpc__analyze_stack_request__descriptor, data, len);
	fz_call("AnalyzeStack", data, len);
}

/*
 * ConfigureAnalyzerRequest bytes through the Configure handler, and the same
 * bytes as --policy-pack-config JSON text. A fresh pack per input:
 * configuration snapshots live as long as their pack.
 */
void fz_configure(const uint8_t *data, size_t len)
{
	struct pack cpk;
	struct an_state cst;
	char *err = NULL;
	if (pack_init(&cpk, &err) < 0 || an_init(&cst, &cpk, 0) < 0)
		abort();
	struct arena a;
	arena_init(&a, 64u << 20);

	/* 1. The RPC. */
	size_t n;
	const struct srv_method *m = an_methods(&cst, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(m[i].path, "/pulumirpc.Analyzer/Configure") != 0)
			continue;
		if (pbdepth_check(m[i].input, data, len, SRV_DEFAULT_MAX_DEPTH) != PBDEPTH_OK)
			break;
		unsigned char storage[ARENA_PB_ALLOCATOR_SIZE];
		ProtobufCMessage *req = protobuf_c_message_unpack(m[i].input, arena_protobuf_allocator(&a, storage),
								  len, data);
		if (req) {
			struct srv_reply out = { GRPC_STATUS_OK, NULL, NULL, NULL, 0 };
			m[i].handler(&cst, &a, req, &out);
		}
	}

	/* 2. The config-file format. */
	struct pack_layer l;
	if (pack_layer_parse_json(&a, (const char *)data, len, &l, &err) == 0) {
		if (pack_configure(&cpk, &l, &err) < 0)
			pack_err_free(err);
	} else {
		pack_err_free(err);
	}
	arena_release(&a);
	an_free(&cst);
	pack_free(&cpk);
}

/*
 * Arbitrary text through the JSON reader, the IAM policy-document parser and
 * the EventBridge event-pattern parser, both as JSON text and as an
 * already-parsed (Struct) value.
 */
void fz_parsers(const uint8_t *data, size_t len)
{
	struct arena a;
	arena_init(&a, 64u << 20);
	char *text = arena_strndup(&a, (const char *)data, len);
	if (!text)
		abort();
	pv_value *str = pv_new_str(&a, text);
	struct iam_doc doc;
	iam_doc_parse(&a, str, &doc);
	for (size_t i = 0; doc.status == IAM_OK && i < doc.n; i++)
		for (size_t k = 0; k < doc.st[i].action.n; k++)
			(void)iam_action_is_wildcard(doc.st[i].action.v[k]);
	struct evp_pattern p;
	evp_parse_text(&a, text, len, &p);
	const pv_value *v = pv_parse_json(&a, text, len, NULL);
	if (v) {
		iam_doc_parse(&a, v, &doc);
		evp_parse_value(&a, v, &p);
		(void)pv_to_json(&a, v);
		(void)pv_has_unknown(v);
	}
	arena_release(&a);
}

/* Check-mode JSON input (fixture format or stack export): loading, Analyze per resource, AnalyzeStack once. */
void fz_checkmode(const uint8_t *data, size_t len)
{
	struct arena a;
	arena_init(&a, 64u << 20);
	struct resjson_doc doc;
	const char *err = NULL;
	struct pack *cpk = fz_pack();
	if (resjson_load(&a, (const char *)data, len, &doc, &err) == 0) {
		/* Stack context changes would pile up snapshots: judge under the default one. */
		const struct pack_snapshot *snap = pack_snapshot(cpk);
		struct run_result res;
		run_result_init(&res);
		for (size_t i = 0; i < doc.n; i++)
			run_analyze(cpk, snap, &a, &doc.inputs[i], &res);
		struct stk_index s;
		if (stk_index_build(&s, &a, doc.outputs, doc.n) == 0)
			run_analyze_stack(cpk, snap, &a, &s, &res);
		struct pack_stack_args sa;
		(void)resjson_stack_args(&a, &doc, &sa);
	}
	arena_release(&a);
}

fz_target_fn fz_target(const char *name)
{
	static const struct {
		const char *name;
		fz_target_fn fn;
	} t[] = {
		{ "analyze", fz_analyze },     { "analyze_stack", fz_analyze_stack }, { "configure", fz_configure },
		{ "parsers", fz_parsers },     { "checkmode", fz_checkmode },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].fn;
	return NULL;
}
