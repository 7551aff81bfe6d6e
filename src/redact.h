/*
 * redact.h - the secret-redaction safety net of the runner (private to src/).
 *
 * Policies never quote secret values on purpose; this makes sure one that
 * slips into a message anyway (a secret ARN, a password inside a URL, part
 * of a secret JSON document) is printed as "[secret]". The runner records
 * the secrets of a request once (redact_collect_resource for every resource,
 * then redact_index), and passes every message through redact_apply. The
 * set is only read after it is indexed, so threads may share it.
 */
#ifndef PC_REDACT_H
#define PC_REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

struct arena;

/* An open-addressing set of non-zero 64-bit keys (hashes, 8-byte windows, addresses). */
struct u64set {
	size_t n, cap;          /* cap: power of two; 0 = empty set */
	uint64_t *v;            /* 0 = free slot (keys are never 0) */
};

struct redact_secret {
	const char *s;
	size_t len;             /* >= 4 (redact_add) */
	int grams;              /* its 8-byte windows are in `grams` */
	int sub;                /* searched as a substring (see `sub` below) */
};

/*
 * The secret strings of a request. Distinct secrets only; `grams` holds
 * every 8-byte window of every secret so a message token can be ruled out
 * in constant time before any substring search.
 */
struct redact_set {
	int oom;                /* a secret could not be recorded: report nothing rather than risk a leak */
	size_t n, cap;
	struct redact_secret *s;        /* distinct secrets; sorted by secret_cmp once collected */
	struct u64set seen;     /* hashes of the distinct secrets */
	struct u64set grams;    /* 8-byte windows of secrets >= 8 bytes */
	struct u64set walked;   /* property parts already searched (first_walk) */
	/*
	 * Secrets the token pass cannot catch on its own, so they are searched
	 * as substrings: shorter than a token it considers, holding a delimiter
	 * (never one token), or recorded without grams. Sorted like `s` once
	 * collected; `pairs` is the 65,536-bit set of their first two bytes, so
	 * almost every message position is ruled out with one bit test.
	 */
	size_t n_sub;
	struct redact_secret *sub;
	uint64_t *pairs;
	/*
	 * Hashed 8-byte windows of the secrets without grams (about one bit in
	 * eight set), so the token pass rarely has to search them.
	 */
	uint64_t *raw_bits;
	size_t raw_mask;
};

/*
 * Record the secrets of `r`'s properties and provider inputs (in `a`, which
 * must live as long as the set), skipping what the analyzer found free of
 * them (pol_resource.plain_props). Parts the decoder shares between
 * resources are searched once. Sets rd->oom when a secret could not be
 * recorded: then nothing may be reported.
 */
void redact_collect_resource(struct arena *a, struct redact_set *rd, const struct pol_resource *r);

/* Index what was collected (in `a`), once, before the first redact_apply. */
void redact_index(struct arena *a, struct redact_set *rd);

/*
 * Replace every occurrence of a secret string in `msg` (`len` bytes), then
 * every token of the message that is a fragment of a secret, by "[secret]".
 * Over-redaction is preferred to a leak. Returns `msg` itself when nothing
 * was secret, a copy in `a` otherwise, or NULL when `a` is exhausted. `msg`
 * must be writable (tokens are NUL-terminated in place for a moment).
 */
char *redact_apply(struct arena *a, const struct redact_set *rd, char *msg, size_t len);

#endif
