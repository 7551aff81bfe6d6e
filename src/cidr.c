/*
 * cidr.c - IPv4/IPv6 CIDR arithmetic (see cidr.h).
 *
 * Address text is parsed with inet_pton so every spelling the AWS APIs
 * accept ("::/0", "::0/0", "0:0::0/0", embedded IPv4) is understood the same
 * way; the prefix is parsed here because inet_pton knows nothing of it.
 */
#include "cidr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* Room for the longest IPv6 text with an embedded IPv4 tail, plus NUL. */
#define CIDR_ADDR_MAX 46

int cidr_bits(const struct cidr *c)
{
	return c->family == 6 ? 128 : 32;
}

/* Parse the decimal prefix after '/': 1-3 digits, no leading zero unless "0". */
static int cidr_parse_prefix(const char *s, int max, int *out)
{
	int v = 0;
	size_t n = 0;

	if (s[0] == '0' && s[1] != '\0')
		return -1;
	for (; s[n] != '\0'; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 3)
			return -1;
		v = v * 10 + (s[n] - '0');
	}
	if (n == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int cidr_parse(const char *s, struct cidr *out)
{
	char addr[CIDR_ADDR_MAX];
	const char *slash;
	size_t alen;
	struct cidr c;

	if (s == NULL)
		return -1;
	slash = strchr(s, '/');
	if (slash == NULL)
		return -1;
	alen = (size_t)(slash - s);
	if (alen == 0 || alen >= sizeof(addr))
		return -1;
	memcpy(addr, s, alen);
	addr[alen] = '\0';

	memset(&c, 0, sizeof(c));
	if (strchr(addr, ':') != NULL) {
		c.family = 6;
		if (inet_pton(AF_INET6, addr, c.addr) != 1)
			return -1;
	} else {
		c.family = 4;
		if (inet_pton(AF_INET, addr, c.addr) != 1)
			return -1;
	}
	if (cidr_parse_prefix(slash + 1, cidr_bits(&c), &c.prefix) < 0)
		return -1;
	*out = c;
	return 0;
}

/* True when the first `bits` bits of a and b are equal. */
static int cidr_same_bits(const unsigned char *a, const unsigned char *b, int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (full > 0 && memcmp(a, b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	unsigned char mask = (unsigned char)(0xffu << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

struct cidr cidr_network(const struct cidr *c)
{
	struct cidr n = *c;
	int nbytes = cidr_bits(c) / 8;

	for (int i = 0; i < nbytes; i++) {
		int lo = i * 8;
		if (lo >= c->prefix)
			n.addr[i] = 0;
		else if (lo + 8 > c->prefix)
			n.addr[i] &= (unsigned char)(0xffu << (8 - (c->prefix - lo)));
	}
	return n;
}

int cidr_host_bits_set(const struct cidr *c)
{
	struct cidr n = cidr_network(c);

	return memcmp(n.addr, c->addr, sizeof(n.addr)) != 0;
}

int cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	if (outer->family != inner->family || outer->prefix > inner->prefix)
		return 0;
	return cidr_same_bits(outer->addr, inner->addr, outer->prefix);
}

int cidr_overlaps(const struct cidr *a, const struct cidr *b)
{
	/* Two aligned blocks either nest or are disjoint. */
	return cidr_contains(a, b) || cidr_contains(b, a);
}

int cidr_cmp(const struct cidr *a, const struct cidr *b)
{
	struct cidr na, nb;
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	na = cidr_network(a);
	nb = cidr_network(b);
	r = memcmp(na.addr, nb.addr, (size_t)cidr_bits(a) / 8);
	if (r != 0)
		return r < 0 ? -1 : 1;
	return (a->prefix > b->prefix) - (a->prefix < b->prefix);
}

const char *cidr_format(const struct cidr *c, char *buf, size_t len)
{
	char addr[CIDR_ADDR_MAX];
	struct cidr n = cidr_network(c);
	int af = c->family == 6 ? AF_INET6 : AF_INET;
	size_t alen;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (inet_ntop(af, n.addr, addr, sizeof(addr)) == NULL)
		return buf;
	alen = strlen(addr);
	/* "addr" + "/" + up to 3 digits + NUL */
	if (alen + 5 > len)
		return buf;
	memcpy(buf, addr, alen);
	buf[alen] = '/';
	{
		int p = c->prefix, k = (int)alen + 1;
		if (p >= 100)
			buf[k++] = (char)('0' + p / 100);
		if (p >= 10)
			buf[k++] = (char)('0' + (p / 10) % 10);
		buf[k++] = (char)('0' + p % 10);
		buf[k] = '\0';
	}
	return buf;
}
