/*
 * strmap.h - a small multimap from strings to numbers for one request.
 *
 * Stack policies index the resources they will look up (by name, ARN,
 * dependency URN...) once per call, so per-resource lookups are hash probes
 * instead of scans. Values of one key come back in insertion order, so a
 * policy that adds in request order can still take the first or the last
 * match as its scan did. Memory comes from the request's arena; keys are
 * borrowed (they must outlive the map, as request strings do).
 */
#ifndef PC_STRMAP_H
#define PC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct arena;

struct smap_ent {
	uint64_t h;
	const char *key;
	size_t val;
	size_t next;                /* next entry of the chain + 1, 0 = end */
};

struct smap {
	size_t mask, n, cap;
	size_t *head, *tail;        /* slot -> entry + 1 */
	struct smap_ent *ents;
};

/* Room for `cap` entries. Returns 0, or -1 when the arena is exhausted (the map is then empty). */
int smap_init(struct arena *a, struct smap *m, size_t cap);

/* Add `key` -> `val`; ignored past `cap` entries (size the map for what you add). */
void smap_add(struct smap *m, const char *key, size_t val);

/* FNV-1a of `len` bytes: the hash smap_next_n expects (extend it byte by byte with these). */
#define SMAP_FNV_BASIS 1469598103934665603ull
#define SMAP_FNV_PRIME 1099511628211ull
uint64_t smap_hash(const char *s, size_t len);

/*
 * Entry + 1 of the first (e == 0) or next entry after e whose key is the
 * `len` bytes at `s` (hash `h` from smap_hash); 0 when none. The value is
 * m->ents[e - 1].val.
 */
size_t smap_next_n(const struct smap *m, const char *s, size_t len, uint64_t h, size_t e);

/* The same for a NUL-terminated key. */
size_t smap_next(const struct smap *m, const char *key, size_t e);

/* SMAP_FOREACH(m, key, e) { use m->ents[e - 1].val } in insertion order. */
#define SMAP_FOREACH(m, key, e) for (size_t e = smap_next((m), (key), 0); e; e = smap_next((m), (key), e))

/* The same for the `len` bytes at `s` with hash `h`. */
#define SMAP_FOREACH_N(m, s, len, h, e) \
	for (size_t e = smap_next_n((m), (s), (len), (h), 0); e; e = smap_next_n((m), (s), (len), (h), e))

#endif
