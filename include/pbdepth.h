/*
 * pbdepth.h - reject over-deep protobuf messages before decoding them.
 *
 * protobuf-c decodes nested messages recursively, so a request nesting
 * google.protobuf.Struct/Value a million levels deep (a few MB on the wire,
 * far below the 400 MiB limit) would overflow a thread's stack. This scan
 * walks the wire bytes with an explicit stack, guided by the message
 * descriptors, and never recurses.
 */
#ifndef PC_PBDEPTH_H
#define PC_PBDEPTH_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

enum {
	PBDEPTH_OK = 0,
	PBDEPTH_TOO_DEEP = -1,   /* nesting exceeds max_depth */
	PBDEPTH_MALFORMED = -2,  /* not a valid encoding (unpack would fail too) */
};

/* Scan `len` bytes encoding a `desc` message; nesting of sub-messages must stay <= max_depth. */
int pbdepth_check(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len, unsigned max_depth);

/*
 * pbdepth_check that also stores in *height how deep the message nests
 * (0: no sub-messages; 1: sub-messages without their own; ...). *height is
 * only meaningful with PBDEPTH_OK.
 */
int pbdepth_measure(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len, unsigned max_depth,
		    unsigned *height);

#endif
