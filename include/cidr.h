/*
 * cidr.h - IPv4 and IPv6 CIDR blocks: parsing, host bits, containment and
 * overlap. Pure functions over small values; no allocation.
 *
 * Used by the networking policies (security-group rules, VPC/subnet plans).
 * Addresses are kept as 16 bytes in network order; an IPv4 block uses the
 * first 4 bytes, so comparisons never mix families.
 */
#ifndef PC_CIDR_H
#define PC_CIDR_H

#include <stddef.h>

struct cidr {
	int family;                 /* 4 or 6 */
	int prefix;                 /* 0..32 or 0..128 */
	unsigned char addr[16];     /* as written, host bits included */
};

/* Longest text cidr_format can produce, NUL included ("ffff:...:ffff/128"). */
#define CIDR_STRLEN 64

/*
 * Parse "a.b.c.d/n" or an IPv6 address (any valid spelling: "::/0",
 * "::0/0", "2001:db8::/32", "::ffff:10.0.0.0/104") followed by "/n".
 * The prefix is required, decimal, without sign or leading zeros beyond
 * "0". Returns 0 and fills *out, or -1 when `s` is not a CIDR block.
 */
int cidr_parse(const char *s, struct cidr *out);

/* Address width in bits: 32 or 128. */
int cidr_bits(const struct cidr *c);

/* True when any bit after the prefix is set ("10.0.1.5/24"). */
int cidr_host_bits_set(const struct cidr *c);

/* The block with its host bits cleared. */
struct cidr cidr_network(const struct cidr *c);

/* True when `inner` lies entirely inside `outer` (same family only). */
int cidr_contains(const struct cidr *outer, const struct cidr *inner);

/* True when the two blocks share at least one address (same family only). */
int cidr_overlaps(const struct cidr *a, const struct cidr *b);

/*
 * Order by family, then network address, then prefix (shorter first):
 * negative, 0 or positive like strcmp. Sorting by this order puts every
 * block right before the blocks it contains, which makes overlap detection
 * a linear sweep.
 */
int cidr_cmp(const struct cidr *a, const struct cidr *b);

/* Canonical text of the network ("10.0.0.0/16", "::/0") into buf (CIDR_STRLEN bytes). */
const char *cidr_format(const struct cidr *c, char *buf, size_t len);

#endif
