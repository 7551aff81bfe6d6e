/*
 * pbdec.h - decode a request into an arena, storing what repeats once.
 *
 * A big AnalyzeStack request repeats itself: every resource carries its
 * provider's inputs and the same options, parent URN, property names, tag
 * maps and unknown sentinels. protobuf-c decodes every copy separately (an
 * 11 MB request of 10,000 resources takes 32 MB of arena). This decoder
 * builds the same protobuf-c structures, but a sub-message whose encoding
 * equals one seen earlier in the request is shared, and so are equal
 * strings (from the third copy on: the first is only noted, see pbd_seen;
 * a message type that is almost never shared in a thousand
 * occurrences is not looked up for the rest of the request). It reads the
 * request straight from the received slices, never flattened into a second
 * copy, and lets the caller free them as it goes.
 *
 * Consequences for callers:
 *   - the decoded message is read-only: one sub-message or string may be
 *     reachable from several parents (handlers get a const request and only
 *     read it; nothing compares sub-message addresses);
 *   - the arena limit still counts every shared part as if it had been
 *     decoded again, so whether a request fits the per-call limit does not
 *     depend on how much it repeats itself (arena->used is that count);
 *   - anything unusual in a sub-message (unknown fields, a field given
 *     twice, packed or mistyped encodings, proto2 required fields) is left
 *     to protobuf_c_message_unpack on that sub-message's bytes, and anything
 *     unusual at the top level makes the caller decode the old way, so the
 *     result is always what protobuf-c would have produced.
 */
#ifndef PC_PBDEC_H
#define PC_PBDEC_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

struct arena;

/* One contiguous piece of the encoded request (a received slice). */
struct pbd_seg {
	const uint8_t *p;
	size_t n;
};

enum {
	PBD_OK = 0,
	PBD_FALLBACK = 1,     /* nothing decoded: decode the flattened bytes with protobuf-c */
	PBD_MALFORMED = -1,   /* not a valid `desc` message */
	PBD_TOO_DEEP = -2,    /* messages nest deeper than max_depth (as pbdepth_check) */
	PBD_NOMEM = -3,       /* the arena (limit or malloc) or scratch memory ran out */
};

/*
 * Decode the message of type `desc` encoded by the concatenation of `segs`
 * into `a`. On PBD_OK *out is the message; on anything else *out is NULL
 * and the arena may hold garbage (it is released with the call).
 *
 * `release` (may be NULL) lets the caller free the request while it is
 * decoded. It is called once with n_done = 0 when the request has passed
 * every check that could end in PBD_FALLBACK (the caller may drop other
 * holds on the bytes then), and then with growing n_done: segments
 * [0, n_done) will not be read again. Segments not released stay in use
 * until pbd_decode returns.
 */
int pbd_decode(const ProtobufCMessageDescriptor *desc, const struct pbd_seg *segs, size_t n_segs,
	       struct arena *a, unsigned max_depth, void (*release)(void *ud, size_t n_done), void *ud,
	       ProtobufCMessage **out);

#endif
