/*
 * redact.c - the secret-redaction safety net (see redact.h).
 */
#include "redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pv.h"

/* Shortest fragment of a secret we refuse to print (shorter ones are ordinary words). */
#define REDACT_MIN_FRAGMENT 8

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

/* Insert `key` (non-zero); returns 1 when it was new, 0 when present, -1 on allocation failure. */
static int u64set_add(struct arena *a, struct u64set *set, uint64_t key)
{
	if ((set->n + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		uint64_t *v = arena_alloc(a, cap * sizeof(*v));
		if (!v)
			return -1;
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->v[i])
				continue;
			size_t k = mix64(set->v[i]) & (cap - 1);
			while (v[k])
				k = (k + 1) & (cap - 1);
			v[k] = set->v[i];
		}
		set->v = v;
		set->cap = cap;
	}
	size_t k = mix64(key) & (set->cap - 1);
	while (set->v[k]) {
		if (set->v[k] == key)
			return 0;
		k = (k + 1) & (set->cap - 1);
	}
	set->v[k] = key;
	set->n++;
	return 1;
}

static int u64set_has(const struct u64set *set, uint64_t key)
{
	if (!set->cap)
		return 0;
	size_t k = mix64(key) & (set->cap - 1);
	while (set->v[k]) {
		if (set->v[k] == key)
			return 1;
		k = (k + 1) & (set->cap - 1);
	}
	return 0;
}

static uint64_t gram_at(const char *s)
{
	uint64_t g;
	memcpy(&g, s, sizeof(g));   /* never 0: secrets hold no NUL bytes */
	return g;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1;
}

/* The first two bytes of a secret or a message position (secrets are >= 4 bytes). */
static unsigned pair_key(const char *s)
{
	return (unsigned)(unsigned char)s[0] << 8 | (unsigned char)s[1];
}

/*
 * Record a secret string. `fragments` also makes its 8-byte windows known,
 * so tokens quoting part of it are caught; it is off for the raw text of a
 * secret JSON document, whose parts are recorded separately (below) -
 * otherwise every JSON key ("Statement", "Principal") would count as secret.
 * Whether the secret needs the substring pass is decided here, once, rather
 * than for every report.
 */
static void redact_add(struct arena *a, struct redact_set *rd, const char *s, int fragments)
{
	/* Very short secrets would mangle ordinary words; rules never quote secrets anyway. */
	size_t len = s ? strlen(s) : 0;
	if (len < 4)
		return;
	int fresh = u64set_add(a, &rd->seen, hash_str(s));
	if (fresh != 1) {
		rd->oom |= fresh < 0;
		return;
	}
	struct redact_secret *arr = arena_grow(a, rd->s, rd->n, &rd->cap, sizeof(*arr));
	if (!arr) {
		rd->oom = 1;
		return;
	}
	rd->s = arr;
	struct redact_secret *e = &rd->s[rd->n++];
	e->s = s;
	e->len = len;
	e->grams = fragments && len >= REDACT_MIN_FRAGMENT;
	/*
	 * Every whole secret goes through the substring pass: the token pass only
	 * sees whole tokens, so a secret glued inside a longer one
	 * ("https://u:<password>@host") would otherwise be printed. The token pass
	 * still catches fragments (part of a secret ARN quoted on its own).
	 */
	e->sub = 1;
	rd->n_sub += e->sub;
	for (size_t i = 0; e->grams && i + REDACT_MIN_FRAGMENT <= len; i++)
		if (u64set_add(a, &rd->grams, gram_at(s + i)) < 0)
			rd->oom = 1;
}

/*
 * Public vocabulary inside a secret policy document: effects, versions and
 * action names ("sts:AssumeRole") identify nothing, and hiding them would
 * garble every message that names them.
 */
static int doc_vocabulary(const char *s)
{
	if (!strcmp(s, "Allow") || !strcmp(s, "Deny") || !strcmp(s, "2012-10-17") || !strcmp(s, "2008-10-17"))
		return 1;
	const char *colon = strchr(s, ':');
	if (!colon || colon == s || strchr(colon + 1, ':'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!(p == colon || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '*' || *p == '?'))
			return 0;
	return 1;
}

/* The values (not the keys) of a secret JSON document. */
static void collect_doc(struct arena *a, struct redact_set *rd, const pv_value *v, int depth)
{
	if (!v || depth > PV_MAX_DEPTH)
		return;
	switch (pv_kind(v)) {
	case PV_STRING:
		if (!doc_vocabulary(pv_str(v)))
			redact_add(a, rd, pv_str(v), 1);
		break;
	case PV_LIST: {
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v)
			collect_doc(a, rd, e, depth + 1);
		break;
	}
	case PV_OBJECT: {
		const char *k;
		const pv_value *e;
		PV_OBJ_FOREACH(i, k, e, v)
			collect_doc(a, rd, e, depth + 1);
		break;
	}
	default:
		break;
	}
}

/*
 * Whether the Struct or ListValue at `node` is walked for the first time in
 * this secrecy context. The decoder shares repeated sub-messages, so every
 * resource of a provider points at the same inputs and equal tag maps are
 * one map: each is walked once. Exact, because requests are refused when
 * they nest deeper than the walk goes (an_struct_ok), so no earlier visit
 * stopped short. On allocation failure it says yes (walk again).
 */
static int first_walk(struct arena *a, struct redact_set *rd, const void *node, int in_secret)
{
	return u64set_add(a, &rd->walked, (uint64_t)(uintptr_t)node | (in_secret ? 1 : 0)) != 0;
}

static void collect(struct arena *a, struct redact_set *rd, const pv_value *v, int in_secret, int depth)
{
	if (!v || depth > PV_MAX_DEPTH)
		return;
	int secret = 0;
	const pv_value *u = pv_unwrap(v, &secret);
	in_secret |= secret;
	/* Objects, assets, archives and references are all walked: no need to tell them apart. */
	switch (u->kind_case) {
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE:
		if (in_secret && !pv_is_unknown_sentinel(u->string_value)) {
			const char *s = u->string_value;
			const pv_value *j = (s[0] == '{' || s[0] == '[') ? pv_parse_json(a, s, strlen(s), NULL) : NULL;
			/* A secret JSON document: the whole text, and its values one by one. */
			redact_add(a, rd, s, j == NULL);
			if (j)
				collect_doc(a, rd, j, depth + 1);
		}
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE: {
		const Google__Protobuf__ListValue *l = u->list_value;
		if (l && l->n_values && first_walk(a, rd, l, in_secret))
			for (size_t i = 0; i < l->n_values; i++)
				collect(a, rd, l->values[i], in_secret, depth + 1);
		break;
	}
	case GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE: {
		const Google__Protobuf__Struct *st = u->struct_value;
		if (st && st->n_fields && first_walk(a, rd, st, in_secret))
			for (size_t i = 0; i < st->n_fields; i++)
				if (st->fields[i])
					collect(a, rd, st->fields[i]->value, in_secret, depth + 1);
		break;
	}
	default:
		break;
	}
}

/* Order of the secret indexes: bytewise, so secrets sharing a prefix are neighbours. */
static int secret_cmp(const void *x, const void *y)
{
	return strcmp(((const struct redact_secret *)x)->s, ((const struct redact_secret *)y)->s);
}

/*
 * Index the collected secrets once for every report of the request: all of
 * them sorted, the substring-pass ones copied out (still sorted) with the
 * bit set of their first two bytes, and the bits of the secrets without
 * grams (eight bits per window: a token that is not in them misses in its
 * first window or two).
 */
void redact_index(struct arena *a, struct redact_set *rd)
{
	if (rd->n > 1)
		qsort(rd->s, rd->n, sizeof(*rd->s), secret_cmp);
	if (!rd->n_sub)
		return;
	size_t raw = 0, bits = 512;
	for (size_t i = 0; i < rd->n; i++)
		raw += rd->s[i].grams ? 0 : rd->s[i].len;
	while (bits < 8 * raw)
		bits *= 2;
	rd->sub = arena_alloc(a, rd->n_sub * sizeof(*rd->sub));
	rd->pairs = arena_alloc(a, 65536 / 8);
	rd->raw_bits = arena_alloc(a, bits / 8);
	if (!rd->sub || !rd->pairs || !rd->raw_bits) {
		rd->oom = 1;
		return;
	}
	rd->raw_mask = bits - 1;
	for (size_t i = 0, k = 0; i < rd->n; i++) {
		const struct redact_secret *e = &rd->s[i];
		if (!e->sub)
			continue;
		rd->sub[k++] = *e;
		unsigned key = pair_key(e->s);
		rd->pairs[key >> 6] |= (uint64_t)1 << (key & 63);
		for (size_t w = 0; !e->grams && w + REDACT_MIN_FRAGMENT <= e->len; w++) {
			size_t h = mix64(gram_at(e->s + w)) & rd->raw_mask;
			rd->raw_bits[h >> 6] |= (uint64_t)1 << (h & 63);
		}
	}
}


/*
 * Token boundaries for the fragment check: whitespace, quotes and
 * punctuation around values. A table: it is asked for every
 * byte of every message.
 */
static const unsigned char delim_tab[256] = {
	[' '] = 1, ['\n'] = 1, ['\t'] = 1, ['"'] = 1, ['\''] = 1, ['`'] = 1, [','] = 1, ['('] = 1,
	[')'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, [';'] = 1, ['<'] = 1, ['>'] = 1,
};

static int is_delim(char ch)
{
	return delim_tab[(unsigned char)ch];
}

/* Compare secret `s` with the `n` bytes at `p` as strings (bytewise, like strcmp). */
static int cmp_text(const struct redact_secret *s, const char *p, size_t n)
{
	int c = memcmp(s->s, p, s->len < n ? s->len : n);
	return c ? c : s->len < n ? -1 : s->len > n;
}

/* Index of the first secret of sorted `v` greater than the `n` bytes at `p` (nv when none). */
static size_t upper_bound(const struct redact_secret *v, size_t nv, const char *p, size_t n)
{
	size_t lo = 0, hi = nv;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_text(&v[mid], p, n) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Length of the longest secret of sorted `v` that is a prefix of the `rem`
 * bytes at `p`, or 0. The greatest secret not above the text starts with
 * every secret that is a prefix of it; when that secret is not a prefix
 * itself, the answer is a prefix of their common part: search again within
 * it. Binary searches instead of a walk over every secret sharing the first
 * bytes (a stack's secret ARNs all start alike).
 */
static size_t index_match(const struct redact_secret *v, size_t nv, const char *p, size_t rem)
{
	while (rem >= 4) {
		size_t k = upper_bound(v, nv, p, rem);
		if (k == 0)
			return 0;
		const struct redact_secret *s = &v[k - 1];
		size_t l = 0;
		while (l < s->len && l < rem && s->s[l] == p[l])
			l++;
		if (l == s->len)
			return l;
		rem = l;   /* < rem: a secret equal to the text would be a prefix */
	}
	return 0;
}

/* Can a substring-pass secret start at `p`? One bit test rules out almost every position. */
static int pair_maybe(const struct redact_set *rd, const char *p, size_t rem)
{
	unsigned key;
	return rem >= 4 && (key = pair_key(p), rd->pairs[key >> 6] >> (key & 63) & 1);
}

/*
 * The first position >= p (with 4 bytes left) whose two bytes are in
 * `pairs`, or n: the substring pass's inner loop, one shift and one bit
 * test per byte of every message.
 */
static size_t next_pair(const uint64_t *pairs, const char *msg, size_t p, size_t n)
{
	const unsigned char *m = (const unsigned char *)msg;
	if (p + 4 > n)
		return n;
	unsigned key = m[p];
	for (; p + 4 <= n; p++) {
		key = (key << 8 | m[p + 1]) & 0xffffu;
		if (pairs[key >> 6] >> (key & 63) & 1)
			return p;
	}
	return n;
}

/*
 * Replace every occurrence of every substring-pass secret by "[secret]" in
 * one left-to-right pass. Where one matches, the longest secret of all
 * starting there is hidden (a shorter one that is its prefix would leave
 * the tail printed), and a secret starting inside the hidden range and
 * running past it extends the range, so no tail of either survives. Other
 * secrets are only looked for inside such ranges: on their own they are
 * the token pass's. Returns `msg` itself when nothing matched.
 */
static char *redact_substrings(struct arena *a, const struct redact_set *rd, char *msg, size_t *len)
{
	size_t n = *len, done = 0, o = 0;
	char *out = NULL;
	for (size_t p = 0; rd->n_sub && p + 4 <= n;) {
		if ((p = next_pair(rd->pairs, msg, p, n)) + 4 > n)
			break;
		if (!index_match(rd->sub, rd->n_sub, msg + p, n - p)) {
			p++;
			continue;
		}
		size_t end = p + index_match(rd->s, rd->n, msg + p, n - p);
		for (size_t q = p + 1; q < end; q++) {
			/* Secrets outside `sub` are >= 8 bytes with grams: their first window is one. */
			if (!pair_maybe(rd, msg + q, n - q) &&
			    !(n - q >= REDACT_MIN_FRAGMENT && u64set_has(&rd->grams, gram_at(msg + q))))
				continue;
			size_t mq = index_match(rd->s, rd->n, msg + q, n - q);
			if (q + mq > end)
				end = q + mq;
		}
		/* Secrets are >= 4 bytes, so the output is at most twice the input. */
		if (!out && !(out = arena_alloc(a, 2 * n + 1)))
			return NULL;
		memcpy(out + o, msg + done, p - done);
		o += p - done;
		memcpy(out + o, "[secret]", 8);
		o += 8;
		done = p = end;
	}
	if (!out)
		return msg;
	memcpy(out + o, msg + done, n - done);
	o += n - done;
	out[o] = '\0';
	*len = o;
	return out;
}

/*
 * Is the token `tok` (`tl` >= 8 bytes, its first window a known gram) part
 * of a secret? A secret equal to it or starting with it is its neighbour in
 * the sorted index: the usual case when a policy does quote a secret.
 * Otherwise every 8-byte window of a token inside a secret is a gram of it:
 * when a window is missing from `grams`, only the secrets without grams can
 * hold the token, and when a window is missing from `raw_bits` none can.
 * Same answer as searching every secret, without searching every secret
 * for each quoted ARN that merely starts like a secret one.
 */
static int token_is_secret(const struct redact_set *rd, const char *tok, size_t tl)
{
	size_t k = upper_bound(rd->s, rd->n, tok, tl);
	if ((k > 0 && cmp_text(&rd->s[k - 1], tok, tl) == 0) ||
	    (k < rd->n && rd->s[k].len > tl && memcmp(rd->s[k].s, tok, tl) == 0))
		return 1;
	int all = 1;
	for (size_t w = 1; all && w + REDACT_MIN_FRAGMENT <= tl; w++)
		all = u64set_has(&rd->grams, gram_at(tok + w));
	for (size_t w = 0; !all && w + REDACT_MIN_FRAGMENT <= tl; w++) {
		size_t h = rd->raw_bits ? mix64(gram_at(tok + w)) & rd->raw_mask : 0;
		if (!rd->raw_bits || !(rd->raw_bits[h >> 6] >> (h & 63) & 1))
			return 0;
	}
	/* Secrets without grams are all in `sub`. */
	const struct redact_secret *set = all ? rd->s : rd->sub;
	size_t n = all ? rd->n : rd->n_sub;
	for (size_t i = 0; i < n; i++)
		if ((all || !set[i].grams) && set[i].len >= tl && strstr(set[i].s, tok))
			return 1;
	return 0;
}

/*
 * Replace every occurrence of a secret string in `msg` (`len` bytes), then
 * every token of the message that is a fragment of a secret (a policy
 * quoting, say, the resource part of a secret ARN). Over-redaction is
 * preferred to a leak. Returns `msg` itself when nothing was secret.
 */
char *redact_apply(struct arena *a, const struct redact_set *rd, char *msg, size_t len)
{
	if (!rd->n)
		return msg;
	msg = redact_substrings(a, rd, msg, &len);
	if (!msg || !rd->grams.n)
		return msg;
	size_t i = 0, o = 0;
	char *out = NULL;   /* allocated at the first secret token: most messages have none */
	while (i < len) {
		if (is_delim(msg[i])) {
			if (out)
				out[o++] = msg[i];
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && !is_delim(msg[j]))
			j++;
		size_t tl = j - i;
		int secret = 0;
		/* Trailing sentence punctuation is not part of a value. */
		while (tl > 0 && (msg[i + tl - 1] == '.' || msg[i + tl - 1] == ':'))
			tl--;
		if (tl >= REDACT_MIN_FRAGMENT && u64set_has(&rd->grams, gram_at(msg + i))) {
			char save = msg[i + tl];
			msg[i + tl] = '\0';
			secret = token_is_secret(rd, msg + i, tl);
			msg[i + tl] = save;
		}
		if (secret) {
			if (!out) {
				if (!(out = arena_alloc(a, len + 1)))
					return NULL;
				memcpy(out, msg, i);
				o = i;
			}
			/* "[secret]" is never longer than the >= 8-byte token it replaces. */
			memcpy(out + o, "[secret]", 8);
			o += 8;
			memcpy(out + o, msg + i + tl, j - i - tl);
			o += j - i - tl;
		} else if (out) {
			memcpy(out + o, msg + i, j - i);
			o += j - i;
		}
		i = j;
	}
	if (!out)
		return msg;
	out[o] = '\0';
	return out;
}

void redact_collect_resource(struct arena *a, struct redact_set *rd, const struct pol_resource *r)
{
	if (!r->plain_props)
		collect(a, rd, r->props, 0, 0);
	if (!r->plain_provider)
		collect(a, rd, r->provider_props, 0, 0);
}
