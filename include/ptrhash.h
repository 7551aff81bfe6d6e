/*
 * ptrhash.h - the slot of an address in a small open-addressing table.
 *
 * Some per-request caches are keyed by where a decoded part lives (a
 * provider's inputs, a message type's descriptor). Allocations are at least
 * 16-byte aligned, so the low bits of an address carry nothing: they are
 * dropped and the rest spread by Fibonacci hashing over a power-of-two
 * table (`mask` = its size - 1, below 2^32).
 */
#ifndef PC_PTRHASH_H
#define PC_PTRHASH_H

#include <stddef.h>
#include <stdint.h>

static inline size_t ptrhash_slot(const void *p, size_t mask)
{
	return (size_t)(((uint64_t)((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

#endif
