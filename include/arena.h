/*
 * arena.h - a bump allocator that owns everything one request needs.
 *
 * Every RPC decodes its request into an arena, builds its diagnostics and
 * scratch strings in the same arena, and releases it in one call when the
 * response has been packed. Nothing allocated from an arena is freed
 * individually.
 *
 * Invariants: arena_alloc blocks are 16-byte aligned (the protobuf-c
 * allocator packs tighter, see arena.c); no allocation overlaps a previous
 * one of the same arena.
 */
#ifndef PC_ARENA_H
#define PC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;   /* current block, newest first */
	size_t used;                /* bytes handed out or charged (for limits) */
	size_t limit;               /* 0 = unlimited; else allocations past it fail */
	int failed;                 /* set once any allocation failed */
};

#define ARENA_INIT { NULL, 0, 0, 0 }

/* Initialise an empty arena. `limit` caps the bytes it may hand out (0 = no cap). */
void arena_init(struct arena *a, size_t limit);

/*
 * Return `n` bytes of zeroed memory owned by the arena, or NULL when memory is
 * exhausted or the limit would be exceeded (then `a->failed` is set). The memory
 * lives until arena_release.
 */
void *arena_alloc(struct arena *a, size_t n);

/*
 * Count `n` bytes against the limit without handing anything out: for a
 * part of a decoded request that is shared rather than decoded again (see
 * pbdec.h), so limits see the request's full size. 0, or -1 (and
 * `a->failed` set) when the limit would be exceeded.
 */
int arena_charge(struct arena *a, size_t n);

/* Copy `len` bytes of `s` into the arena and NUL-terminate; NULL on failure. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);

/*
 * The `n` strings of `parts` one after the other, NUL-terminated, with
 * plain copies (no format parsing: hot paths join paths and messages with
 * it). Sets *len (may be NULL) to the length; NULL on failure.
 */
char *arena_concat(struct arena *a, const char *const *parts, size_t n, size_t *len);

/* printf into the arena; NULL on failure. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/*
 * printf for text that is used once and dropped: into `buf` (`bufsz`
 * bytes, on the caller's stack) when it fits, else into the arena. Returns
 * buf or the arena copy, with *len its length; NULL on failure.
 */
char *arena_vformat(struct arena *a, char *buf, size_t bufsz, size_t *len, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/*
 * Room for one more element in the arena array `arr` of `n` elements of
 * `elem` bytes (capacity *cap): `arr` itself when it has room, else a copy
 * twice as big (16 at first) with *cap updated. NULL (arr untouched) when
 * the arena is exhausted. The old copy stays in the arena until release.
 */
void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t elem);

/*
 * The limit for an arena allowed a `parts`-th of what `a` has left: 0
 * (unlimited) when `a` is unlimited, at least 1 so an exhausted `a` never
 * hands out an unlimited one.
 */
size_t arena_budget(const struct arena *a, unsigned parts);

/* Free every block. The arena may be reused afterwards (it is re-initialised). */
void arena_release(struct arena *a);

/*
 * Move every block of `src` into `dst`, which then owns (and releases)
 * everything `src` handed out; `src` is left empty. Its bytes count
 * against `dst`'s limit from now on, and a failure of `src` is `dst`'s.
 * For work done in an arena of its own (another thread) whose results
 * must live as long as `dst`.
 */
void arena_adopt(struct arena *dst, struct arena *src);

/* Whether `p` points into memory handed out by `a` (a walk over its blocks, which are few). */
int arena_owns(const struct arena *a, const void *p);

/*
 * A ProtobufCAllocator view of the arena, so protobuf-c can decode straight
 * into it (free is a no-op). Its blocks are aligned only as much as an
 * object of their size can need (at most 8 bytes), not to 16. Declared as
 * void* to keep protobuf-c out of this header: pass the result as
 * `ProtobufCAllocator *`.
 */
void *arena_protobuf_allocator(struct arena *a, void *storage);
#define ARENA_PB_ALLOCATOR_SIZE (3 * sizeof(void *))

#endif
