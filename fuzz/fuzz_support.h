/*
 * fuzz_support.h - what every fuzz target shares: one pack and one analyzer
 * service per process, and a call path identical to the server's (depth
 * pre-scan, arena decode, handler, reply packing) minus the sockets.
 */
#ifndef PC_FUZZ_SUPPORT_H
#define PC_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "pack.h"

struct pack *fz_pack(void);

/* Run method `name` ("Analyze", ...) on raw request bytes as the server would; returns the gRPC status. */
int fz_call(const char *name, const uint8_t *data, size_t len);

#endif
