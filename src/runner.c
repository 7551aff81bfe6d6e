/*
 * runner.c - runs policies and implements the policy-facing API of policy.h.
 *
 * Everything cross-cutting lives here so policy functions stay small and
 * pure: which policies apply to a type, enforcement levels (never DISABLED on
 * the wire, REMEDIATE reported as MANDATORY), exclusions, what to do with
 * unknowns, not-applicable reasons, and the secret-redaction safety net.
 */
#include "runner.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "iam.h"

/*
 * Secret strings of the request, collected on the first report (most
 * requests report nothing). Distinct secrets only; `grams` holds every
 * 8-byte window of every secret so a message token can be ruled out in
 * constant time before any substring search.
 */
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

struct run_shared {
	int collected;
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
	/* Parsed policy documents by value pointer: each is parsed once per request. */
	size_t n_docs, cap_docs;
	const pv_value **doc_keys;
	struct iam_doc **docs;
};

struct pol_ctx {
	const struct pack *pk;
	const struct pack_snapshot *snap;
	const struct pack_policy *pp;
	const struct pack_setting *set;
	/*
	 * `a` is what the policy allocates from (pol_arena): in stack runs a
	 * scratch arena of its own, released when it is done, so a stack's
	 * temporaries peak at one policy's rather than adding up. `run` is
	 * the run's arena: what outlives the policy (results, caches shared
	 * by the policies) goes there. Equal outside stack runs.
	 */
	struct arena *a;
	struct arena *run;
	struct run_result *out;
	const struct pol_resource *r;     /* resource policies */
	const struct stk_index *s;        /* stack policies */
	const char *unknown_path;
	size_t n_reported;
	const char *na_reason;
	struct run_shared *redact;
};

void run_result_init(struct run_result *out)
{
	memset(out, 0, sizeof(*out));
}

/* ---- result growth ----------------------------------------------------------- */

static void *grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t elem)
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

static struct run_diag *add_diag(struct arena *a, struct run_result *out)
{
	struct run_diag *d = grow(a, out->diags, out->n_diags, &out->cap_diags, sizeof(*d));
	if (!d) {
		out->oom = 1;
		return NULL;
	}
	out->diags = d;
	return &out->diags[out->n_diags++];
}

static void add_na(struct arena *a, struct run_result *out, const struct pack_policy *pp, const char *reason)
{
	struct run_na *n = grow(a, out->nas, out->n_nas, &out->cap_nas, sizeof(*n));
	if (!n || !reason) {
		out->oom = 1;
		return;
	}
	out->nas = n;
	out->nas[out->n_nas].pp = pp;
	out->nas[out->n_nas].reason = reason;
	out->n_nas++;
}

/* ---- secret redaction -------------------------------------------------------- */

/* Findings' details up to this long are formatted on the stack (pol_report). */
#define RUN_DETAIL_STACK 1024

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
static void redact_add(struct arena *a, struct run_shared *rd, const char *s, int fragments)
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
	struct redact_secret *arr = grow(a, rd->s, rd->n, &rd->cap, sizeof(*arr));
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
static void collect_doc(struct arena *a, struct run_shared *rd, const pv_value *v, int depth)
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
static int first_walk(struct arena *a, struct run_shared *rd, const void *node, int in_secret)
{
	return u64set_add(a, &rd->walked, (uint64_t)(uintptr_t)node | (in_secret ? 1 : 0)) != 0;
}

static void collect(struct arena *a, struct run_shared *rd, const pv_value *v, int in_secret, int depth)
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
static void redact_index(struct arena *a, struct run_shared *rd)
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

/* The secrets of `r`, skipping what the analyzer found free of them (pol_resource.plain_props). */
static void collect_resource(struct arena *a, struct run_shared *rd, const struct pol_resource *r)
{
	if (!r->plain_props)
		collect(a, rd, r->props, 0, 0);
	if (!r->plain_provider)
		collect(a, rd, r->provider_props, 0, 0);
}

static void redact_collect(struct pol_ctx *c)
{
	struct run_shared *rd = c->redact;
	if (rd->collected)
		return;
	rd->collected = 1;
	if (c->r)
		collect_resource(c->run, rd, c->r);
	if (c->s)
		for (size_t i = 0; i < c->s->n; i++)
			collect_resource(c->run, rd, &c->s->res[i]);
	redact_index(c->run, rd);
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
static int pair_maybe(const struct run_shared *rd, const char *p, size_t rem)
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
static char *redact_substrings(struct arena *a, const struct run_shared *rd, char *msg, size_t *len)
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
static int token_is_secret(const struct run_shared *rd, const char *tok, size_t tl)
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
static char *redact_apply(struct arena *a, const struct run_shared *rd, char *msg, size_t len)
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

/* ---- policy-facing API (policy.h) ------------------------------------------------ */

struct arena *pol_arena(struct pol_ctx *c)
{
	return c->a;
}

const struct iam_doc *pol_iam_doc(struct pol_ctx *c, const pv_value *v)
{
	struct run_shared *sh = c->redact;
	/*
	 * A value the policy built in its scratch arena is parsed there and not
	 * remembered: the next policy's scratch may reuse its address.
	 */
	if (v && c->a != c->run && arena_owns(c->a, v)) {
		struct iam_doc *d = arena_alloc(c->a, sizeof(*d));
		if (!d) {
			c->out->oom = 1;
			return NULL;
		}
		iam_doc_parse(c->a, v, d);
		return d;
	}
	/* Open addressing on the pointer: documents are few per resource, many per stack. */
	if ((sh->n_docs + 1) * 2 > sh->cap_docs) {
		size_t cap = sh->cap_docs ? sh->cap_docs * 2 : 16;
		const pv_value **keys = arena_alloc(c->run, cap * sizeof(*keys));
		struct iam_doc **docs = arena_alloc(c->run, cap * sizeof(*docs));
		if (!keys || !docs) {
			c->out->oom = 1;
			return NULL;
		}
		for (size_t i = 0; i < sh->cap_docs; i++) {
			if (!sh->doc_keys[i])
				continue;
			size_t k = mix64((uint64_t)(uintptr_t)sh->doc_keys[i]) & (cap - 1);
			while (keys[k])
				k = (k + 1) & (cap - 1);
			keys[k] = sh->doc_keys[i];
			docs[k] = sh->docs[i];
		}
		sh->doc_keys = keys;
		sh->docs = docs;
		sh->cap_docs = cap;
	}
	size_t k = mix64((uint64_t)(uintptr_t)v) & (sh->cap_docs - 1);
	while (sh->doc_keys[k]) {
		if (sh->doc_keys[k] == v)
			return sh->docs[k];
		k = (k + 1) & (sh->cap_docs - 1);
	}
	struct iam_doc *d = arena_alloc(c->run, sizeof(*d));
	if (!d) {
		c->out->oom = 1;
		return NULL;
	}
	iam_doc_parse(c->run, v, d);
	if (v) {
		sh->doc_keys[k] = v;
		sh->docs[k] = d;
		sh->n_docs++;
	}
	return d;
}

const struct policy *pol_policy(const struct pol_ctx *c)
{
	return c->pp->p;
}

static int excluded(const struct pol_ctx *c, const char *urn, const char *name, const char *type);

/* `s` kept for the result: itself, or a copy in the run's arena when the policy has a scratch one. */
static const char *run_keep(const struct pol_ctx *c, const char *s)
{
	return c->a != c->run ? arena_strdup(c->run, s) : s;
}

/* The arena a diagnostic's message goes to (run_result.keep). */
static struct arena *msg_arena(const struct pol_ctx *c)
{
	return c->out->keep ? c->out->keep : c->run;
}

void pol_report(struct pol_ctx *c, const char *urn, const char *path, const char *fmt, ...)
{
	if (c->r)
		urn = c->r->urn;   /* resource policies always report on the analysed resource */
	if (!urn || !*urn) {
		const struct pol_resource *root = c->s ? stk_root(c->s) : NULL;
		urn = root ? root->urn : "";
	}
	if (c->s) {
		const struct pol_resource *t = stk_by_urn(c->s, urn);
		if (t && excluded(c, t->urn, t->name, t->type))
			return;
		/* The policy's string may be in its scratch arena: keep the stack's own, or a copy. */
		if (!(urn = t ? t->urn : run_keep(c, urn))) {
			c->out->oom = 1;
			return;
		}
	}
	/*
	 * The detail only lives until it is joined to the description: format
	 * it on the stack (the arena only when it is longer), so a stack of
	 * thousands of findings keeps one copy of each message, not two.
	 */
	char tmp[RUN_DETAIL_STACK];
	size_t len;
	va_list ap;
	va_start(ap, fmt);
	char *detail = arena_vformat(c->a, tmp, sizeof(tmp), &len, fmt, ap);
	va_end(ap);
	if (!detail) {
		c->out->oom = 1;
		return;
	}
	/* description "\n" detail [" (at " path ")"]: the path is named once. */
	int named = path && *path && !strstr(detail, path);
	/*
	 * Only the detail and the path come from the resource: the description
	 * is the pack's own text and says nothing about any secret, so it is
	 * not searched.
	 */
	redact_collect(c);
	/* A secret that could not be recorded might be in the message: report nothing rather than leak. */
	detail = c->redact->oom ? NULL : redact_apply(c->a, c->redact, detail, len);
	if (named && detail && c->redact->n) {
		char *p = arena_strdup(c->a, path);
		if (!(path = p ? redact_apply(c->a, c->redact, p, strlen(p)) : NULL))
			detail = NULL;
	}
	const char *parts[] = { c->pp->p->description, "\n", detail, " (at ", path, ")" };
	char *msg = detail ? arena_concat(msg_arena(c), parts, named ? 6 : 3, NULL) : NULL;
	struct run_diag *d = msg ? add_diag(c->run, c->out) : NULL;
	if (!d) {
		c->out->oom = 1;
		return;
	}
	d->pp = c->pp;
	d->urn = urn;
	d->message = msg;
	/* The engine shows REMEDIATE as MANDATORY; say so ourselves rather than rely on it. */
	d->level = c->set->level == POL_ADVISORY ? POL_ADVISORY : POL_MANDATORY;
	d->severity = c->pp->p->severity;
	c->n_reported++;
}

void pol_unknown(struct pol_ctx *c, const char *path)
{
	if (!c->unknown_path)
		c->unknown_path = path && *path ? path : "(value)";
}

void pol_not_applicable(struct pol_ctx *c, const char *reason)
{
	c->na_reason = reason && *reason ? reason : "Policy is not applicable to this resource";
}

const pv_value *pol_cfg(const struct pol_ctx *c, const char *key)
{
	const pv_value *v = c->set->props ? pv_get(c->set->props, key) : NULL;
	return v ? v : pv_get(c->pp->defaults, key);
}

int pol_cfg_bool(const struct pol_ctx *c, const char *key)
{
	int b = 0;
	return pv_get_bool(pol_cfg(c, key), &b) == PV_OK && b;
}

double pol_cfg_num(const struct pol_ctx *c, const char *key, double dflt)
{
	double d;
	return pv_get_num(pol_cfg(c, key), &d) == PV_OK ? d : dflt;
}

const char *pol_cfg_str(const struct pol_ctx *c, const char *key)
{
	return pv_str(pol_cfg(c, key));
}

int pol_cfg_list_has(const struct pol_ctx *c, const char *key, const char *s)
{
	const pv_value *l = pol_cfg(c, key), *e;
	if (!s)
		return 0;
	PV_LIST_FOREACH(i, e, l) {
		const char *x = pv_str(e);
		if (x && strcmp(x, s) == 0)
			return 1;
	}
	return 0;
}

int pol_cfg_list_glob(const struct pol_ctx *c, const char *key, const char *s)
{
	const pv_value *l = pol_cfg(c, key), *e;
	if (!s)
		return 0;
	PV_LIST_FOREACH(i, e, l) {
		const char *x = pv_str(e);
		if (x && pol_glob(x, s))
			return 1;
	}
	return 0;
}

const struct pol_stack_info *pol_stack(const struct pol_ctx *c)
{
	return c->snap->stack;
}

static const char *kv_find(const struct pack_kv *kv, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(kv[mid].key, key);
		if (cmp == 0)
			return kv[mid].value;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *pol_stack_config(const struct pol_ctx *c, const char *key)
{
	return key ? kv_find(c->snap->config, c->snap->n_config, key) : NULL;
}

const char *pol_stack_tag(const struct pol_ctx *c, const char *key)
{
	return key ? kv_find(c->snap->tags, c->snap->n_tags, key) : NULL;
}

int pol_is_default_provider(const char *provider_type, const char *provider_urn, const char *provider_name)
{
	if (!provider_type || strncmp(provider_type, "pulumi:providers:", 17) != 0)
		return 0;
	const char *name = provider_name && *provider_name ? provider_name : pol_urn_name(provider_urn);
	return name && strncmp(name, "default", 7) == 0;
}

int pol_region(const struct pol_ctx *c, const struct pol_resource *r, const char **out)
{
	const char *s;
	int rc = pv_get_str(pv_get(r->props, "region"), &s);
	if (rc == PV_OK && *s) {
		*out = s;
		return PV_OK;
	}
	if (rc == PV_EUNKNOWN)
		return PV_EUNKNOWN;
	rc = pv_get_str(pv_get(r->provider_props, "region"), &s);
	if (rc == PV_OK && *s) {
		*out = s;
		return PV_OK;
	}
	if (rc == PV_EUNKNOWN)
		return PV_EUNKNOWN;
	/* Default providers are configured from the stack's aws:* config. */
	if (!*r->provider_urn || pol_is_default_provider(r->provider_type, r->provider_urn, r->provider_name)) {
		s = pol_stack_config(c, "aws:region");
		if (s && *s) {
			*out = s;
			return PV_OK;
		}
	}
	return PV_EMISSING;
}

int pol_ignores_changes(const struct pol_resource *r, const char *path)
{
	for (size_t i = 0; path && i < r->n_ignore_changes; i++) {
		const char *e = r->ignore_changes[i];
		size_t n = strlen(e);
		if (!strcmp(e, "*") || (strncmp(path, e, n) == 0 && (path[n] == '\0' || path[n] == '.' || path[n] == '[')))
			return 1;
	}
	return 0;
}

/* After the third "::" of a URN comes the name (which may itself contain "::"). */
const char *pol_urn_name(const char *urn)
{
	if (!urn)
		return "";
	const char *p = urn;
	for (int i = 0; i < 3; i++) {
		p = strstr(p, "::");
		if (!p)
			return urn;
		p += 2;
	}
	return p;
}

const char *pol_urn_type(struct pol_ctx *c, const char *urn)
{
	if (!urn)
		return "";
	const char *p = urn;
	for (int i = 0; i < 2; i++) {
		p = strstr(p, "::");
		if (!p)
			return "";
		p += 2;
	}
	const char *end = strstr(p, "::");
	if (!end)
		return "";
	const char *last = p;
	for (const char *q = p; q < end; q++)
		if (*q == '$')
			last = q + 1;
	return arena_strndup(c->a, last, (size_t)(end - last));
}

int pol_glob(const char *pat, const char *s)
{
	/* Greedy match remembering only the last '*': O(len(pat) * len(s)) worst case, never exponential. */
	const char *star = NULL, *ss = NULL;
	if (!pat || !s)
		return 0;
	while (*s) {
		if (*pat == '?' || (*pat != '*' && *pat == *s)) {
			pat++;
			s++;
		} else if (*pat == '*') {
			star = pat++;
			ss = s;
		} else if (star) {
			pat = star + 1;
			s = ++ss;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

/* ---- running ----------------------------------------------------------------- */

static int applies_to(const struct policy *p, const char *type)
{
	if (!p->types)
		return 1;
	for (const char *const *t = p->types; *t; t++) {
		size_t n = strlen(*t);
		if (n && (*t)[n - 1] == '*') {
			if (strncmp(*t, type, n - 1) == 0)
				return 1;
		} else if (strcmp(*t, type) == 0) {
			return 1;
		}
	}
	return 0;
}

static int excluded(const struct pol_ctx *c, const char *urn, const char *name, const char *type)
{
	const pv_value *l = pol_cfg(c, "exclude"), *e;
	PV_LIST_FOREACH(i, e, l) {
		const char *pat = pv_str(e);
		if (!pat)
			continue;
		if (pol_glob(pat, urn) || pol_glob(pat, name))
			return 1;
		char tn[512];
		if ((size_t)snprintf(tn, sizeof(tn), "%s::%s", type, name) < sizeof(tn) && pol_glob(pat, tn))
			return 1;
	}
	return 0;
}

/* What the runner does after a policy function returns. */
static void finish(struct pol_ctx *c)
{
	if (c->n_reported)
		return;
	if (c->na_reason) {
		add_na(c->run, c->out, c->pp, run_keep(c, c->na_reason));
		return;
	}
	if (!c->unknown_path)
		return;
	const char *mode = pol_cfg_str(c, "onUnknown");
	if (mode && strcmp(mode, "advisory") == 0) {
		struct run_diag *d = add_diag(c->run, c->out);
		char *msg = arena_printf(msg_arena(c), "%s\ncannot be verified during preview: the value at %s is unknown "
					 "until the update runs", c->pp->p->description, c->unknown_path);
		if (!d || !msg) {
			c->out->oom = 1;
			return;
		}
		d->pp = c->pp;
		d->urn = c->r ? c->r->urn : "";
		d->message = msg;
		d->level = POL_ADVISORY;
		d->severity = c->pp->p->severity;
	} else {
		add_na(c->run, c->out, c->pp,
		       arena_printf(c->run, "%s is unknown during preview; the policy judges it once the value is "
				    "known", c->unknown_path));
	}
}

static void ctx_init(struct pol_ctx *c, const struct pack *pk, const struct pack_snapshot *snap,
		     struct arena *a, struct run_result *out, struct run_shared *rd)
{
	memset(c, 0, sizeof(*c));
	c->pk = pk;
	c->snap = snap;
	c->a = c->run = a;
	c->out = out;
	c->redact = rd;
}

int run_analyze(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		const struct pol_resource *r, struct run_result *out)
{
	struct run_shared rd;
	memset(&rd, 0, sizeof(rd));
	for (size_t i = 0; i < pk->n; i++) {
		const struct pack_policy *pp = &pk->policies[i];
		const struct pack_setting *set = &snap->settings[i];
		if (!pp->p->check || set->level == POL_DISABLED)
			continue;
		if (!applies_to(pp->p, r->type)) {
			add_na(a, out, pp, pp->na_type_reason);
			continue;
		}
		struct pol_ctx c;
		ctx_init(&c, pk, snap, a, out, &rd);
		c.pp = pp;
		c.set = set;
		c.r = r;
		if (excluded(&c, r->urn, r->name, r->type)) {
			add_na(a, out, pp, "Resource excluded by this policy's 'exclude' configuration");
			continue;
		}
		pp->p->check(&c, r);
		finish(&c);
	}
	return out->oom ? -1 : 0;
}

/* One stack policy over `s`, in a scratch arena of its own (pol_ctx.a). */
static void run_stack_policy(const struct pack *pk, const struct pack_snapshot *snap, size_t i, struct arena *run,
			     const struct stk_index *s, struct run_shared *rd, struct run_result *out)
{
	struct pol_ctx c;
	struct arena scratch;

	/* The scratch may use what is left of the run's budget. */
	arena_init(&scratch, run->limit == 0 ? 0 : run->limit > run->used ? run->limit - run->used : 1);
	ctx_init(&c, pk, snap, run, out, rd);
	c.a = &scratch;
	c.pp = &pk->policies[i];
	c.set = &snap->settings[i];
	c.s = s;
	c.pp->p->check_stack(&c, s);
	finish(&c);
	out->oom |= scratch.failed;
	arena_release(&scratch);
}

static int stack_policy_on(const struct pack *pk, const struct pack_snapshot *snap, size_t i)
{
	return pk->policies[i].p->check_stack && snap->settings[i].level != POL_DISABLED;
}

/*
 * Stack policies in parallel. Each is a pure function of the stack and the
 * configuration, so they are handed out one at a time to `n_workers`
 * threads (the caller's among them) and their results merged in table
 * order afterwards: the answer is the sequential one, whatever ran where.
 * What policies would otherwise share and mutate is made per thread: the
 * redaction set is collected before they start and only read after; the
 * parsed-document cache, the stack's lazy tables, the arenas and the
 * results are each thread's own. The arenas are handed to the run's at the
 * end, so the results live exactly as long as sequential ones would.
 */
struct run_job {
	size_t policy;              /* index in the pack */
	struct run_result res;
};

struct run_pool {
	const struct pack *pk;
	const struct pack_snapshot *snap;
	const struct stk_index *s;
	const struct run_shared *rd;
	struct run_job *jobs;
	size_t n_jobs;
	atomic_size_t next;
};

struct run_worker {
	struct run_pool *pool;
	pthread_t th;
	int started;
	struct arena run, keep;     /* keep: for messages, when the caller keeps them apart (run_result.keep) */
	int use_keep;
};

/* Take jobs until there are none left: every worker, the calling thread's included. */
static void run_jobs(struct run_worker *w)
{
	struct run_pool *pl = w->pool;
	struct run_shared rd = *pl->rd;
	struct stk_index s;

	/* The document cache is per thread; the secrets are read only. */
	rd.n_docs = rd.cap_docs = 0;
	rd.doc_keys = NULL;
	rd.docs = NULL;
	if (stk_index_fork(&s, pl->s, &w->run) < 0)
		return;   /* its share is left to the others */
	for (size_t k; (k = atomic_fetch_add(&pl->next, 1)) < pl->n_jobs;) {
		struct run_job *j = &pl->jobs[k];
		j->res.keep = w->use_keep ? &w->keep : NULL;
		run_stack_policy(pl->pk, pl->snap, j->policy, &w->run, &s, &rd, &j->res);
	}
}

/* A started worker's thread (a function of its own, so profilers can tell its work apart). */
static void *run_worker_thread(void *arg)
{
	run_jobs(arg);
	return NULL;
}

/* Append `from`'s diagnostics and not-applicable reasons to `out` (arrays in `a`). */
static void run_result_append(struct arena *a, struct run_result *out, const struct run_result *from)
{
	for (size_t i = 0; i < from->n_diags; i++) {
		struct run_diag *d = add_diag(a, out);
		if (d)
			*d = from->diags[i];
	}
	for (size_t i = 0; i < from->n_nas; i++)
		add_na(a, out, from->nas[i].pp, from->nas[i].reason);
	out->oom |= from->oom;
}

static int run_stack_parallel(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
			      const struct stk_index *s, struct run_result *out, struct run_shared *rd,
			      size_t n_jobs, unsigned n_workers)
{
	struct run_pool pl = { pk, snap, s, rd, NULL, n_jobs, 0 };
	struct run_worker *w = arena_alloc(a, n_workers * sizeof(*w));
	struct pol_ctx c;

	pl.jobs = arena_alloc(a, n_jobs * sizeof(*pl.jobs));
	if (!w || !pl.jobs)
		return -1;
	for (size_t i = 0, k = 0; i < pk->n; i++)
		if (stack_policy_on(pk, snap, i))
			pl.jobs[k++].policy = i;
	/* Collected once, before anyone reads it. */
	ctx_init(&c, pk, snap, a, out, rd);
	c.s = s;
	redact_collect(&c);
	/* The call's remaining budget, shared out between the workers. */
	size_t left = a->limit == 0 ? 0 : a->limit > a->used ? (a->limit - a->used) / n_workers + 1 : 1;
	size_t keep_left = !out->keep || out->keep->limit == 0 ? 0
			   : out->keep->limit > out->keep->used ? (out->keep->limit - out->keep->used) / n_workers + 1
			   : 1;
	for (unsigned k = 0; k < n_workers; k++) {
		w[k].pool = &pl;
		arena_init(&w[k].run, left);
		arena_init(&w[k].keep, keep_left);
		w[k].use_keep = out->keep != NULL;
		/* Worker 0 is this thread; one that cannot start leaves its share to the others. */
		w[k].started = k > 0 && pthread_create(&w[k].th, NULL, run_worker_thread, &w[k]) == 0;
	}
	run_jobs(&w[0]);
	for (unsigned k = 1; k < n_workers; k++)
		if (w[k].started)
			pthread_join(w[k].th, NULL);
	/* Only when every worker failed to set up can a job be left over (out of memory). */
	if (atomic_load(&pl.next) < n_jobs)
		out->oom = 1;
	for (unsigned k = 0; k < n_workers; k++) {
		arena_adopt(a, &w[k].run);
		if (out->keep)
			arena_adopt(out->keep, &w[k].keep);
	}
	for (size_t k = 0; k < n_jobs; k++)
		run_result_append(a, out, &pl.jobs[k].res);
	return out->oom ? -1 : 0;
}

/* Below this many resources a stack's policies run on the calling thread only. */
#define RUN_PARALLEL_MIN 500
#define RUN_MAX_WORKERS 4

unsigned run_stack_workers(size_t n_resources)
{
	long cpus = n_resources >= RUN_PARALLEL_MIN ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	return cpus < 1 ? 1 : cpus > RUN_MAX_WORKERS ? RUN_MAX_WORKERS : (unsigned)cpus;
}

int run_analyze_stack_on(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
			 const struct stk_index *s, struct run_result *out, unsigned workers)
{
	struct run_shared rd;
	size_t n_jobs = 0;

	memset(&rd, 0, sizeof(rd));
	for (size_t i = 0; i < pk->n; i++)
		n_jobs += stack_policy_on(pk, snap, i) != 0;
	if (workers > n_jobs)
		workers = (unsigned)n_jobs;
	if (workers > 1)
		return run_stack_parallel(pk, snap, a, s, out, &rd, n_jobs, workers);
	for (size_t i = 0; i < pk->n; i++)
		if (stack_policy_on(pk, snap, i))
			run_stack_policy(pk, snap, i, a, s, &rd, out);
	return out->oom ? -1 : 0;
}

int run_analyze_stack(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		      const struct stk_index *s, struct run_result *out)
{
	return run_analyze_stack_on(pk, snap, a, s, out, run_stack_workers(s->n));
}

int run_remediate(const struct pack *pk, const struct pack_snapshot *snap, struct arena *a,
		  const struct pol_resource *r, struct run_result *out)
{
	struct run_shared rd;
	memset(&rd, 0, sizeof(rd));
	struct pol_resource cur = *r;
	for (size_t i = 0; i < pk->n; i++) {
		const struct pack_policy *pp = &pk->policies[i];
		const struct pack_setting *set = &snap->settings[i];
		if (!pp->p->remediate || set->level != POL_REMEDIATE || !applies_to(pp->p, r->type))
			continue;
		struct pol_ctx c;
		ctx_init(&c, pk, snap, a, out, &rd);
		c.pp = pp;
		c.set = set;
		c.r = &cur;
		if (excluded(&c, r->urn, r->name, r->type))
			continue;
		const pv_value *np = pp->p->remediate(&c, &cur);
		if (!np)
			continue;
		struct run_remediation *rem = grow(a, out->rems, out->n_rems, &out->cap_rems, sizeof(*rem));
		if (!rem) {
			out->oom = 1;
			break;
		}
		out->rems = rem;
		rem = &out->rems[out->n_rems++];
		rem->pp = pp;
		rem->props = np;
		rem->diagnostic = "";
		cur.props = np;   /* later remediations see this one's result */
	}
	return out->oom ? -1 : 0;
}
