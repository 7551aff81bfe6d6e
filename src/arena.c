/*
 * arena.c - bump allocator (see arena.h).
 */
/* mmap's MAP_ANONYMOUS and madvise are not POSIX 2008 (the build's baseline). */
#define _DEFAULT_SOURCE
#include "arena.h"

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

/* Blocks grow geometrically so a 17 MB AnalyzeStack request needs few mallocs. */
#define ARENA_MIN_BLOCK (16u * 1024u)
#define ARENA_ALIGN 16u

struct arena_block {
	struct arena_block *next;
	size_t size;    /* usable bytes after the header */
	size_t off;     /* next free offset */
	size_t mapped;  /* bytes mmapped for it (huge pages), or 0: malloc'd */
	_Alignas(16) unsigned char data[];
};

/*
 * Blocks of at least this much are mapped on their own, 2 MB aligned, so
 * they can take transparent huge pages; their memory is fresh from the
 * kernel, so already zero. A 10,000-resource stack's arena runs to tens of
 * MB, and faulting it in 4 KB at a time was about a tenth of the call's
 * perf samples (dearer still in a virtual machine). But a huge page is
 * resident whole however little of it is used, and an arena's last block
 * is mostly unused: only blocks from ARENA_HUGE_ADVISE on are offered huge
 * pages (the arena has already grown past that much), which measured
 * 1.4 MB less peak RSS on that stack for about 1,000 more faults per call.
 */
#define ARENA_HUGE ((size_t)2 << 20)
#define ARENA_HUGE_ADVISE ((size_t)8 << 20)

#ifdef __linux__
/* A block of about `size` usable bytes (at least `want`), its header inside the same huge pages. */
static struct arena_block *block_map(size_t size, size_t want)
{
	size_t total = (size + ARENA_HUGE - 1) & ~(ARENA_HUGE - 1);
	if (total - sizeof(struct arena_block) < want)
		total += ARENA_HUGE;
	unsigned char *p = mmap(NULL, total + ARENA_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Keep the 2 MB aligned part: huge pages need it. */
	size_t head = (ARENA_HUGE - ((uintptr_t)p & (ARENA_HUGE - 1))) & (ARENA_HUGE - 1);
	if (head)
		munmap(p, head);
	if (ARENA_HUGE - head)
		munmap(p + head + total, ARENA_HUGE - head);
	struct arena_block *b = (struct arena_block *)(void *)(p + head);
	if (total >= ARENA_HUGE_ADVISE)
		(void)madvise(b, total, MADV_HUGEPAGE);   /* a hint: without it, normal pages */
	b->size = total - sizeof(*b);
	b->mapped = total;
	return b;
}
#endif

void arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->used = 0;
	a->limit = limit;
	a->failed = 0;
}

static struct arena_block *block_new(size_t want, size_t prev)
{
	size_t size = prev ? prev * 2 : ARENA_MIN_BLOCK;
	if (size > 64u * 1024u * 1024u)
		size = 64u * 1024u * 1024u;
	if (size < want)
		size = want;
	struct arena_block *b = NULL;
#ifdef __linux__
	if (size >= ARENA_HUGE)
		b = block_map(size, want);
#endif
	if (!b) {
		if (!(b = malloc(sizeof(*b) + size)))
			return NULL;
		b->size = size;
		b->mapped = 0;
	}
	b->next = NULL;
	b->off = 0;
	return b;
}

/*
 * Hand out `n` bytes at an `align`-byte boundary (a power of two <= ARENA_ALIGN).
 * The limit counts the bytes handed out plus any padding, so it stays a
 * bound on the memory the arena holds.
 */
static void *arena_take(struct arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;
	size_t pad = b ? (align - (b->off & (align - 1))) & (align - 1) : 0;
	size_t need = n + pad;

	if (need < n || (a->limit && (a->used + need > a->limit || a->used + need < a->used))) {
		a->failed = 1;
		return NULL;
	}
	if (!b || b->size - b->off < need) {
		struct arena_block *nb = block_new(n, b ? b->size : 0);
		if (!nb) {
			a->failed = 1;
			return NULL;
		}
		nb->next = b;
		a->head = nb;
		b = nb;
		pad = 0;   /* a new block starts 16-byte aligned */
		need = n;
	}
	void *p = b->data + b->off + pad;
	b->off += need;
	a->used += need;
	if (!b->mapped)
		memset(p, 0, n);
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n) {
		a->failed = 1;
		return NULL;
	}
	/* Rounded up, so the next allocation stays 16-byte aligned without padding. */
	return arena_take(a, need, ARENA_ALIGN);
}

int arena_charge(struct arena *a, size_t n)
{
	if (a->used + n < a->used || (a->limit && a->used + n > a->limit)) {
		a->failed = 1;
		return -1;
	}
	a->used += n;
	return 0;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

char *arena_concat(struct arena *a, const char *const *parts, size_t n, size_t *len)
{
	size_t total = 0, o = 0;
	char *p;

	for (size_t i = 0; i < n; i++)
		total += strlen(parts[i]);
	if (!(p = arena_alloc(a, total + 1)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(parts[i]);
		memcpy(p + o, parts[i], l);
		o += l;
	}
	p[total] = '\0';
	if (len)
		*len = total;
	return p;
}

/*
 * Formatting is the expensive part (policy messages run to hundreds of
 * bytes): format once into a stack buffer and copy, and only format a
 * second time, straight into the arena, when the text is longer.
 */
#define ARENA_PRINTF_STACK 1024

char *arena_vformat(struct arena *a, char *buf, size_t bufsz, size_t *len, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(buf, bufsz, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	*len = (size_t)n;
	if ((size_t)n < bufsz)
		return buf;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	char tmp[ARENA_PRINTF_STACK];
	size_t n;
	char *p = arena_vformat(a, tmp, sizeof(tmp), &n, fmt, ap);
	return p == tmp ? arena_strndup(a, tmp, n) : p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

int arena_owns(const struct arena *a, const void *p)
{
	uintptr_t x = (uintptr_t)p;

	for (const struct arena_block *b = a->head; b; b = b->next)
		if (x >= (uintptr_t)b->data && x < (uintptr_t)b->data + b->off)
			return 1;
	return 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
#ifdef __linux__
		if (b->mapped)
			munmap(b, b->mapped);
		else
#endif
			free(b);
		b = next;
	}
	arena_init(a, a->limit);
}

void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *na = arena_alloc(a, ncap * elem);
	if (!na)
		return NULL;
	if (n)
		memcpy(na, arr, n * elem);
	*cap = ncap;
	return na;
}

size_t arena_budget(const struct arena *a, unsigned parts)
{
	if (a->limit == 0)
		return 0;
	return (a->limit > a->used ? (a->limit - a->used) / (parts ? parts : 1) : 0) + 1;
}

void arena_adopt(struct arena *dst, struct arena *src)
{
	struct arena_block *last = src->head;

	if (last) {
		while (last->next)
			last = last->next;
		/* Behind dst's current block, which it keeps allocating from. */
		if (dst->head) {
			last->next = dst->head->next;
			dst->head->next = src->head;
		} else {
			dst->head = src->head;
		}
	}
	dst->used += src->used;
	dst->failed |= src->failed;
	arena_init(src, src->limit);
}

/*
 * The strictest alignment a protobuf-c message, array or string can need:
 * messages hold pointers, size_t, 64-bit integers and doubles at most.
 */
#define ARENA_MAX2(x, y) ((x) > (y) ? (x) : (y))
#define ARENA_PB_MAX_ALIGN ARENA_MAX2(ARENA_MAX2(_Alignof(void *), _Alignof(uint64_t)), _Alignof(double))

/*
 * An object of n bytes needs at most the largest power of two dividing n as
 * its alignment (sizeof is a multiple of _Alignof), so protobuf-c's blocks
 * are packed by that rule instead of at 16 bytes: strings (len + 1 bytes)
 * take no padding at all and 40-byte Values and map entries take 40, not 48.
 * That is 15% less arena for a big AnalyzeStack request. Only for protobuf-c:
 * arena_alloc callers may lay out headers and payloads in one block.
 */
static void *pb_alloc(void *data, size_t size)
{
	size_t align = size & (~size + 1);   /* lowest set bit; 0 for size 0 */

	if (align == 0 || align > ARENA_PB_MAX_ALIGN)
		align = ARENA_PB_MAX_ALIGN;
	return arena_take(data, size ? size : 1, align);
}

static void pb_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;   /* released with the arena */
}

void *arena_protobuf_allocator(struct arena *a, void *storage)
{
	ProtobufCAllocator *al = storage;
	al->alloc = pb_alloc;
	al->free = pb_free;
	al->allocator_data = a;
	return al;
}
