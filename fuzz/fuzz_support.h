/*
 * fuzz_support.h - what every fuzz target shares: one pack and one analyzer
 * service per process, a call path identical to the server's (depth
 * pre-scan, arena decode, handler, reply packing) minus the sockets, and
 * the body of every target.
 *
 * fz_analyze_stack also decodes each input with the sharing decoder
 * (pbdec.h) and checks it against protobuf-c.
 *
 * The bodies live here, not in the fuzz_*.c files, so that
 * test/unit/check_regressions.c runs a crash input through exactly the code
 * the fuzzer ran (it includes fuzz_support.c; no libFuzzer needed).
 */
#ifndef PC_FUZZ_SUPPORT_H
#define PC_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "pack.h"

struct pack *fz_pack(void);

/* Run method `name` ("Analyze", ...) on raw request bytes as the server would; returns the gRPC status. */
int fz_call(const char *name, const uint8_t *data, size_t len);

/*
 * The targets. Each takes one input and aborts (or trips a sanitizer) on a
 * bug; fz_analyze_init must run once before fz_analyze (LLVMFuzzerInitialize).
 */
void fz_analyze_init(void);
void fz_analyze(const uint8_t *data, size_t len);
void fz_analyze_stack(const uint8_t *data, size_t len);
void fz_configure(const uint8_t *data, size_t len);
void fz_parsers(const uint8_t *data, size_t len);
void fz_checkmode(const uint8_t *data, size_t len);

/* The body for target `name` ("analyze", "analyze_stack", ...: the corpus directory names), or NULL. */
typedef void (*fz_target_fn)(const uint8_t *data, size_t len);
fz_target_fn fz_target(const char *name);

#endif
