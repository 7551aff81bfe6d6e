/*
 * pbdec.c - decode into an arena, sharing repeated sub-messages and strings
 * (see pbdec.h).
 *
 * Each message is read in two passes like protobuf-c does: a scan that
 * records every field occurrence and counts repeated ones, then a build
 * that fills the protobuf-c struct. The scan accepts only the encodings a
 * proto3 encoder produces; on anything else it gives up on that message
 * before allocating, and the message goes to protobuf_c_message_unpack
 * (nested) or back to the caller (top level). Field values are decoded
 * exactly as protobuf-c's parse_required_member does.
 *
 * Sharing: a memo maps (message type, encoded bytes) to the decoded
 * message and what decoding it cost the arena; a second table maps string
 * bytes to their one arena copy. A memo hit is verified by packing the
 * remembered message again and comparing with the new bytes: the request's
 * own bytes need not stay around, so the caller can free the received
 * slices while the decode goes on (a request whose encoding is not
 * canonical only misses some sharing). A message that does repeat keeps a
 * copy of its encoding from its first verified hit on, so later hits cost a
 * memcmp instead of a pack (the pack was a third of the decode's work on a
 * 10,000-resource stack). Strings are compared with their
 * copy. The hash only has to be fast: probe sequences are capped, so crafted
 * collisions cost sharing, never time. Both tables are scratch memory freed
 * before returning, capped too, past which decoding simply stops sharing.
 * Types that turn out not to repeat stop being looked up (struct pbd_kind).
 *
 * The top-level message is scanned whole (pass 1: structure and nesting
 * depth), and only then built (pass 2), member by member: once a member is
 * built, the segments before the next one are handed back to the caller.
 */
#include "pbdec.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "google/protobuf/struct.pb-c.h"
#include "pbdepth.h"
#include "ptrhash.h"

#define PBD_MAX_FIELDS 64        /* per message type; more: left to protobuf-c */
#define PBD_LOCAL_MEMBERS 16     /* occurrences scanned without malloc */
#define PBD_PROBE_MAX 64         /* slots probed per lookup (at load 1/2, runs that long mean an attack) */
#define PBD_MAX_ENTRIES (1u << 19) /* per table (<= 21 MB of memo, 17 MB of strings); then lookups only */
#define PBD_MAX_TAG_BYTES 3      /* field numbers < 2^18: every proto this server serves */
#define PBD_MAX_LEN_BYTES 4      /* lengths < 256 MiB; longer values go to protobuf-c */
#define PBD_MAX_ENC_BYTES ((size_t)8 << 20) /* encodings kept for verifying hits; then verified by packing */
#define PBD_KINDS 16             /* message types whose sharing is tracked (pbd_kind; a power of two) */
#define PBD_TRIAL 1024           /* sightings of a type per judgement of whether it repeats */
#define PBD_MIN_HIT_SHIFT 6      /* ... it must have been shared in 1 of 64 (2^6) of them */

/* One field occurrence found by the scan. */
struct pbd_member {
	const ProtobufCFieldDescriptor *f;
	const uint8_t *data;   /* varint bytes, fixed bytes, or the value after its length prefix */
	size_t len;
	size_t seg;            /* top level: the segment its value starts in */
	uint8_t *copy;         /* top level: malloc'd copy of a value straddling segments (= data) */
};

/*
 * Open-addressing hash table (linear probing, load <= 1/2) over an array
 * of entries. A slot holds the hash too, so a lookup touches one cache line
 * of slots and an entry only when the hash matches.
 */
struct pbd_slot {
	uint32_t hash;
	uint32_t idx;          /* entry index + 1; 0 = empty */
};

struct pbd_ment {        /* a decoded sub-message */
	uint32_t hash;
	uint32_t len;          /* of its encoding */
	uint32_t cost;         /* arena bytes decoding it took (charged again on every reuse) */
	uint32_t height;       /* how deep it nests (pbdepth_measure's height): reuse deeper must still fit */
	ProtobufCMessage *msg;
	uint8_t *enc;          /* malloc'd copy of its encoding, kept from the first verified hit on */
};

struct pbd_sent {        /* an interned string */
	uint32_t hash;
	uint32_t len;
	const char *s;         /* arena copy, NUL-terminated */
};

struct pbd_tab {
	struct pbd_slot *slots;
	size_t nslots;         /* a power of two, or 0 */
	unsigned char *ents;   /* entries; each starts with its uint32_t hash */
	size_t n, cap, esz;
	int full;              /* stopped growing (cap reached or malloc failed) */
};

/*
 * How often sub-messages of one type were shared. Looking a part up costs
 * hashing all its bytes, and every nesting level hashes them again; in a
 * 10,000-resource stack the resources (unique by URN), their property maps
 * and most values never repeat, while map entries and provider inputs
 * mostly do. A type that was almost never shared in PBD_TRIAL sightings in
 * a row is decoded without lookups for the rest of the request: that
 * costs at most some sharing (memory), never a different result.
 */
struct pbd_kind {
	const ProtobufCMessageDescriptor *desc;
	uint32_t sightings, hits;   /* in the current window of PBD_TRIAL */
	int off;                 /* no more lookups for this type */
};

struct pbd {
	struct arena *a;
	ProtobufCAllocator *pa;
	struct pbd_tab msgs, strs;
	uint64_t *seen;        /* pbd_seen's bit set, or NULL (everything goes to the tables) */
	size_t seen_mask;
	uint8_t *pack;         /* scratch for verifying memo hits */
	size_t pack_cap;
	size_t enc_bytes;      /* kept encodings (struct pbd_ment.enc), up to PBD_MAX_ENC_BYTES */
	void (*release)(void *ud, size_t n_done);
	void *ud;
	unsigned max_depth;    /* deepest nesting allowed (the top-level message is at 0) */
	unsigned depth;        /* nesting of the message being built */
	unsigned height;       /* height of the sub-message pbd_sub returned last, or PBD_HEIGHT_UNKNOWN */
	int err;               /* PBD_* once something failed */
	struct pbd_kind kinds[PBD_KINDS];   /* open addressing on the descriptor (pbd_kind_of) */
};

/* A sub-message decoded by protobuf-c whose nesting pbdepth could not measure: never shared. */
#define PBD_HEIGHT_UNKNOWN UINT32_MAX

/*
 * Cursor over the segments of an encoding (one segment for nested
 * messages). Always settled: `avail` is 0 only at the end of the last
 * segment, so reading within the current segment is one comparison.
 */
struct pbd_cur {
	const struct pbd_seg *segs;
	size_t n_segs, si;        /* current segment */
	const uint8_t *p;         /* position in it */
	size_t avail;             /* bytes left in it */
	size_t rem;               /* bytes left in all */
	uint8_t peek[16];         /* a peek that straddles segments lands here */
};

enum { PBD_BAIL = 2 };   /* internal: this message is not ours to decode */

/* ---- hashing and tables ----------------------------------------------------- */

static uint64_t pbd_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/*
 * Every nesting level hashes its bytes again, so this is most of the
 * decoder's extra work: four independent lanes keep the multiplier busy.
 */
static uint32_t pbd_hash(const uint8_t *p, size_t n, uint64_t seed)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h0 = seed ^ n, h1 = ~seed, h2 = seed * k, h3 = n * k;

	while (n >= 32) {
		uint64_t w[4];
		memcpy(w, p, 32);
		h0 = (h0 ^ w[0]) * k;
		h1 = (h1 ^ w[1]) * k;
		h2 = (h2 ^ w[2]) * k;
		h3 = (h3 ^ w[3]) * k;
		h0 ^= h0 >> 29;
		h1 ^= h1 >> 29;
		h2 ^= h2 >> 29;
		h3 ^= h3 >> 29;
		p += 32;
		n -= 32;
	}
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h0 = (h0 ^ w) * k;
		h0 ^= h0 >> 29;
		p += 8;
		n -= 8;
	}
	if (n) {
		/* The tail in fixed-size loads (a variable memcpy is a call): overlapping is fine for a hash. */
		uint64_t w;
		if (n >= 4) {
			uint32_t lo, hi;
			memcpy(&lo, p, 4);
			memcpy(&hi, p + n - 4, 4);
			w = (uint64_t)hi << 32 | lo;
		} else {
			w = (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 | (uint64_t)p[n - 1] << 16;
		}
		h1 = (h1 ^ w) * k;
	}
	return (uint32_t)pbd_mix(h0 ^ pbd_mix(h1) ^ (h2 * 31) ^ (h3 * 17));
}

static void pbd_tab_init(struct pbd_tab *t, size_t esz)
{
	memset(t, 0, sizeof(*t));
	t->esz = esz;
}

static void pbd_tab_free(struct pbd_tab *t)
{
	free(t->slots);
	free(t->ents);
}

/* A lookup: the probe position and how many slots were looked at. */
struct pbd_probe {
	size_t pos;
	int steps;
};

static void pbd_probe_init(const struct pbd_tab *t, uint32_t hash, struct pbd_probe *pr)
{
	pr->pos = t->nslots ? hash & (t->nslots - 1) : 0;
	pr->steps = 0;
}

/* The next entry whose hash is `hash`, or NULL when the probe sequence ends. */
static void *pbd_probe_next(const struct pbd_tab *t, uint32_t hash, struct pbd_probe *pr)
{
	while (t->nslots && pr->steps < PBD_PROBE_MAX) {
		const struct pbd_slot *sl = &t->slots[pr->pos];
		if (!sl->idx)
			return NULL;
		pr->pos = (pr->pos + 1) & (t->nslots - 1);
		pr->steps++;
		if (sl->hash == hash)
			return t->ents + (size_t)(sl->idx - 1) * t->esz;
	}
	return NULL;
}

/* Put entry `idx` (hash `hash`) in the first free slot of its sequence; 0, or -1 when none is near. */
static int pbd_tab_link(struct pbd_tab *t, uint32_t hash, size_t idx)
{
	size_t pos = hash & (t->nslots - 1);

	for (int k = 0; k < PBD_PROBE_MAX; k++, pos = (pos + 1) & (t->nslots - 1)) {
		if (!t->slots[pos].idx) {
			t->slots[pos].hash = hash;
			t->slots[pos].idx = (uint32_t)(idx + 1);
			return 0;
		}
	}
	return -1;
}

/*
 * A new entry for `hash`, linked (the caller fills the rest), or NULL to
 * stop sharing: the table is at its cap, memory ran out, or the probe
 * sequence is crowded (crafted collisions).
 */
static void *pbd_tab_add(struct pbd_tab *t, uint32_t hash)
{
	if (t->full)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		unsigned char *e;
		if (cap > PBD_MAX_ENTRIES || !(e = realloc(t->ents, cap * t->esz))) {
			t->full = 1;
			return NULL;
		}
		t->ents = e;
		t->cap = cap;
	}
	if ((t->n + 1) * 2 > t->nslots) {
		size_t ns = t->nslots ? t->nslots * 2 : 64;
		struct pbd_slot *sl = calloc(ns, sizeof(*sl));
		if (!sl) {
			t->full = 1;
			return NULL;
		}
		free(t->slots);
		t->slots = sl;
		t->nslots = ns;
		for (size_t i = 0; i < t->n; i++) {
			uint32_t h;
			memcpy(&h, t->ents + i * t->esz, sizeof(h));
			(void)pbd_tab_link(t, h, i);   /* a crowded sequence just loses that entry */
		}
	}
	if (pbd_tab_link(t, hash, t->n) < 0)
		return NULL;
	unsigned char *e = t->ents + t->n++ * t->esz;
	memcpy(e, &hash, sizeof(hash));
	return e;
}

/* ---- cursor ------------------------------------------------------------------- */

static void pbd_cur_skip(struct pbd_cur *c, size_t n)
{
	c->rem -= n;
	/* Whole segments (and empty ones) first; n <= what is left, so the rest fits the current one. */
	while (n >= c->avail && c->si + 1 < c->n_segs) {
		n -= c->avail;
		c->si++;
		c->p = c->segs[c->si].p;
		c->avail = c->segs[c->si].n;
	}
	c->p += n;
	c->avail -= n;
}

static void pbd_cur_init(struct pbd_cur *c, const struct pbd_seg *segs, size_t n_segs)
{
	c->segs = segs;
	c->n_segs = n_segs;
	c->si = 0;
	c->p = n_segs ? segs[0].p : NULL;
	c->avail = n_segs ? segs[0].n : 0;
	c->rem = 0;
	for (size_t i = 0; i < n_segs; i++)
		c->rem += segs[i].n;
	pbd_cur_skip(c, 0);   /* settle past empty leading segments */
}

/* Copy `n` bytes (n <= rem) from the cursor into `dst` without moving it. */
static void pbd_cur_copy(const struct pbd_cur *c, uint8_t *dst, size_t n)
{
	const uint8_t *src = c->p;
	size_t si = c->si, left = c->avail;

	while (n) {
		size_t k = n < left ? n : left;
		if (k)
			memcpy(dst, src, k);
		dst += k;
		n -= k;
		if (n) {
			si++;
			src = c->segs[si].p;
			left = c->segs[si].n;
		}
	}
}

/* The next n <= 16 bytes (n <= rem), valid until the cursor is used again. */
static const uint8_t *pbd_cur_peek(struct pbd_cur *c, size_t n)
{
	if (c->avail >= n)
		return c->p;
	pbd_cur_copy(c, c->peek, n);
	return c->peek;
}

/*
 * The next n bytes (n <= rem): inside a segment, or in a malloc'd *copy
 * (which the caller frees) when they straddle two. NULL when out of memory.
 */
static const uint8_t *pbd_cur_take(struct pbd_cur *c, size_t n, uint8_t **copy)
{
	const uint8_t *p;

	*copy = NULL;
	if (n == 0) {
		p = (const uint8_t *)"";
	} else if (c->avail >= n) {
		p = c->p;
	} else {
		uint8_t *cp = malloc(n);
		if (!cp)
			return NULL;
		pbd_cur_copy(c, cp, n);
		*copy = cp;
		p = cp;
	}
	pbd_cur_skip(c, n);
	return p;
}

/* ---- scan -------------------------------------------------------------------------- */

/* Length of the varint at p (max bytes in n), or 0 when it does not end in time. */
static size_t pbd_varint_len(const uint8_t *p, size_t n, size_t max)
{
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		if (!(p[i] & 0x80))
			return i + 1;
	return 0;
}

static uint64_t pbd_varint(const uint8_t *p, size_t len)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++)
		v |= (uint64_t)(p[i] & 0x7f) << (7 * i < 64 ? 7 * i : 63);
	return v;
}

/* The wire type a non-packed value of `type` must have, or -1 (never ours). */
static int pbd_wire_of(ProtobufCType type)
{
	switch (type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_BOOL:
	case PROTOBUF_C_TYPE_ENUM:
		return PROTOBUF_C_WIRE_TYPE_VARINT;
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return PROTOBUF_C_WIRE_TYPE_64BIT;
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		return PROTOBUF_C_WIRE_TYPE_32BIT;
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
	case PROTOBUF_C_TYPE_MESSAGE:
		return PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED;
	default:
		return -1;
	}
}

static size_t pbd_elt_size(ProtobufCType type)
{
	switch (type) {
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	default:
		return 4;
	}
}

/* Scratch for one message's scan. */
struct pbd_scan {
	struct pbd_member local[PBD_LOCAL_MEMBERS];
	struct pbd_member *m;
	size_t n, cap;
	uint32_t count[PBD_MAX_FIELDS];   /* occurrences per field index */
};

/* Free the scan's scratch and the copies pbd_build has not freed yet. */
static void pbd_scan_free(struct pbd_scan *s)
{
	for (size_t k = 0; k < s->n; k++)
		free(s->m[k].copy);
	if (s->m != s->local)
		free(s->m);
}

/* Field `id` of `desc`: fields are sorted by number and usually numbered 1..n, so try index id-1 first. */
static const ProtobufCFieldDescriptor *pbd_field(const ProtobufCMessageDescriptor *desc, unsigned id)
{
	if (id - 1 < desc->n_fields && desc->fields[id - 1].id == id)
		return &desc->fields[id - 1];
	return protobuf_c_message_descriptor_get_field(desc, id);
}

/*
 * Record every field occurrence of a `desc` message. 0, PBD_BAIL (not a
 * shape this decoder takes: nothing was allocated from the arena) or
 * PBD_NOMEM (scratch memory).
 */
static int pbd_scan(const ProtobufCMessageDescriptor *desc, struct pbd_cur *c, struct pbd_scan *s)
{
	uint64_t seen = 0;

	s->m = s->local;
	s->n = 0;
	s->cap = PBD_LOCAL_MEMBERS;
	if (!desc->message_init || desc->n_fields > PBD_MAX_FIELDS)
		return PBD_BAIL;
	memset(s->count, 0, desc->n_fields * sizeof(s->count[0]));
	for (unsigned i = 0; i < desc->n_fields; i++)
		if (desc->fields[i].label == PROTOBUF_C_LABEL_REQUIRED)
			return PBD_BAIL;   /* proto2: protobuf-c checks presence */

	while (c->rem) {
		size_t k = c->rem < 16 ? c->rem : 16;
		const uint8_t *p = pbd_cur_peek(c, k);
		size_t tl = p[0] & 0x80 ? pbd_varint_len(p, k, PBD_MAX_TAG_BYTES) : 1;   /* fields 1-15: one byte */
		if (!tl || !(p[0] & 0xf8))
			return PBD_BAIL;
		uint64_t key = tl == 1 ? p[0] : pbd_varint(p, tl);
		unsigned wire = (unsigned)(key & 7);
		const ProtobufCFieldDescriptor *f = pbd_field(desc, (unsigned)(key >> 3));
		if (!f || pbd_wire_of(f->type) != (int)wire)
			return PBD_BAIL;   /* unknown field, packed or mistyped encoding */
		if (f->type == PROTOBUF_C_TYPE_MESSAGE && !f->descriptor)
			return PBD_BAIL;
		size_t fi = (size_t)(f - desc->fields);
		if (f->label != PROTOBUF_C_LABEL_REPEATED) {
			/* Given twice: protobuf-c merges messages and frees oneof members. */
			uint64_t bit = (uint64_t)1 << fi;
			if (seen & bit)
				return PBD_BAIL;
			seen |= bit;
			if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
				for (unsigned j = 0; j < desc->n_fields; j++)
					if (j != fi && (seen >> j & 1) && (desc->fields[j].flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
					    desc->fields[j].quantifier_offset == f->quantifier_offset)
						return PBD_BAIL;
		}
		size_t vlen, hdr = tl;
		switch (wire) {
		case PROTOBUF_C_WIRE_TYPE_VARINT:
			/* The 16-byte window holds a 3-byte tag and a 10-byte varint. */
			if (!(vlen = pbd_varint_len(p + tl, k - tl, 10)))
				return PBD_BAIL;
			break;
		case PROTOBUF_C_WIRE_TYPE_64BIT:
			vlen = 8;
			break;
		case PROTOBUF_C_WIRE_TYPE_32BIT:
			vlen = 4;
			break;
		default: { /* length-prefixed */
			size_t ll = k > tl && !(p[tl] & 0x80) ? 1 : pbd_varint_len(p + tl, k - tl, PBD_MAX_LEN_BYTES);
			if (!ll)
				return PBD_BAIL;
			vlen = ll == 1 ? p[tl] : (size_t)pbd_varint(p + tl, ll);
			hdr = tl + ll;
			break;
		}
		}
		if (hdr > c->rem || vlen > c->rem - hdr)
			return PBD_BAIL;   /* truncated */
		pbd_cur_skip(c, hdr);   /* settles on the segment the value starts in */
		if (s->n == s->cap) {
			size_t cap = s->cap * 2;
			struct pbd_member *m = s->m == s->local ? malloc(cap * sizeof(*m)) : realloc(s->m, cap * sizeof(*m));
			if (!m)
				return PBD_NOMEM;
			if (s->m == s->local)
				memcpy(m, s->local, sizeof(s->local));
			s->m = m;
			s->cap = cap;
		}
		struct pbd_member *mb = &s->m[s->n++];
		mb->f = f;
		mb->len = vlen;
		mb->seg = c->si;
		if (!(mb->data = pbd_cur_take(c, vlen, &mb->copy)))
			return PBD_NOMEM;
		if (f->label == PROTOBUF_C_LABEL_REPEATED && ++s->count[fi] == 0)
			return PBD_BAIL;
	}
	return 0;
}

/* ---- build ----------------------------------------------------------------------------- */

static ProtobufCMessage *pbd_sub(struct pbd *d, const ProtobufCMessageDescriptor *desc, const uint8_t *p, size_t n);

static void *pbd_alloc(struct pbd *d, size_t n)
{
	void *p = d->pa->alloc(d->pa->allocator_data, n);
	if (!p)
		d->err = PBD_NOMEM;
	return p;
}

/*
 * Whether a part hashing to `hash` was met before in this request (and
 * remember it). Most parts of a request occur once: they are noted in this
 * bit set, which stays in cache, and only a part met again is looked up in
 * (and added to) the tables. Its second copy is decoded; the third on are
 * shared. Without it every unique part cost a cache miss in tables of
 * hundreds of thousands of entries (the decode's largest cost in time, as
 * perf showed) and their memory. A false "met" only costs a lookup.
 */
static int pbd_seen(struct pbd *d, uint32_t hash)
{
	if (!d->seen)
		return 1;
	size_t b = hash & d->seen_mask;
	uint64_t bit = (uint64_t)1 << (b & 63);
	if (d->seen[b >> 6] & bit)
		return 1;
	d->seen[b >> 6] |= bit;
	return 0;
}

/* A bit set for a request of `total` bytes: a bit per 8 bytes (parts are larger), 512 B to 512 KB. */
static void pbd_seen_init(struct pbd *d, size_t total)
{
	size_t bits = (size_t)1 << 12;

	while (bits < total / 8 && bits < ((size_t)1 << 22))
		bits <<= 1;
	d->seen = calloc(bits / 64, sizeof(*d->seen));
	d->seen_mask = bits - 1;
}

/* The string `p`[0..n) as protobuf-c stores it (n + 1 bytes, NUL-terminated), stored once. */
static char *pbd_str(struct pbd *d, const uint8_t *p, size_t n)
{
	uint32_t hash = pbd_hash(p, n, 0x5bd1e995u);
	int again = pbd_seen(d, hash);
	struct pbd_probe pr;
	struct pbd_sent *e;
	char *s;

	pbd_probe_init(&d->strs, hash, &pr);
	while (again && (e = pbd_probe_next(&d->strs, hash, &pr)) != NULL) {
		if (e->len == n && memcmp(e->s, p, n) == 0) {
			if (arena_charge(d->a, n + 1) < 0) {
				d->err = PBD_NOMEM;
				return NULL;
			}
			return (char *)e->s;
		}
	}
	if (!(s = pbd_alloc(d, n + 1)))
		return NULL;
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	if (again && n <= UINT32_MAX && (e = pbd_tab_add(&d->strs, hash)) != NULL) {
		e->len = (uint32_t)n;
		e->s = s;
	}
	return s;
}

static int32_t pbd_unzigzag32(uint32_t v)
{
	/* As protobuf-c computes it. */
	if (v & 1)
		return (int32_t)(-(v >> 1) - 1);
	return (int32_t)(v >> 1);
}

static int64_t pbd_unzigzag64(uint64_t v)
{
	if (v & 1)
		return (int64_t)(-(v >> 1) - 1);
	return (int64_t)(v >> 1);
}

/* Decode one value of field `f` into `member` (parse_required_member's rules). 0 or -1. */
static int pbd_value(struct pbd *d, const ProtobufCFieldDescriptor *f, const struct pbd_member *mb, void *member)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_ENUM:
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_UINT32:
		*(uint32_t *)member = (uint32_t)pbd_varint(mb->data, mb->len);
		return 0;
	case PROTOBUF_C_TYPE_SINT32:
		*(int32_t *)member = pbd_unzigzag32((uint32_t)pbd_varint(mb->data, mb->len));
		return 0;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT64:
		*(uint64_t *)member = pbd_varint(mb->data, mb->len);
		return 0;
	case PROTOBUF_C_TYPE_SINT64:
		*(int64_t *)member = pbd_unzigzag64(pbd_varint(mb->data, mb->len));
		return 0;
	case PROTOBUF_C_TYPE_BOOL: {
		protobuf_c_boolean b = 0;
		for (size_t i = 0; i < mb->len; i++)
			if (mb->data[i] & 0x7f)
				b = 1;
		*(protobuf_c_boolean *)member = b;
		return 0;
	}
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		memcpy(member, mb->data, 4);
		return 0;
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		memcpy(member, mb->data, 8);
		return 0;
	case PROTOBUF_C_TYPE_STRING: {
		char *s = pbd_str(d, mb->data, mb->len);
		if (!s)
			return -1;
		*(char **)member = s;
		return 0;
	}
	case PROTOBUF_C_TYPE_BYTES: {
		ProtobufCBinaryData *bd = member;
		bd->data = NULL;
		if (mb->len) {
			if (!(bd->data = pbd_alloc(d, mb->len)))
				return -1;
			memcpy(bd->data, mb->data, mb->len);
		}
		bd->len = mb->len;
		return 0;
	}
	case PROTOBUF_C_TYPE_MESSAGE: {
		ProtobufCMessage *m = pbd_sub(d, f->descriptor, mb->data, mb->len);
		if (!m)
			return -1;
		*(ProtobufCMessage **)member = m;
		return 0;
	}
	default:
		d->err = PBD_MALFORMED;
		return -1;
	}
}

/*
 * The height of a message, `height` so far, once the sub-message pbd_sub
 * returned last (its height in d->height) is counted too. Unknown stays
 * unknown.
 */
static unsigned pbd_height_with(const struct pbd *d, unsigned height)
{
	if (height == PBD_HEIGHT_UNKNOWN || d->height == PBD_HEIGHT_UNKNOWN)
		return PBD_HEIGHT_UNKNOWN;
	return d->height + 1 > height ? d->height + 1 : height;
}

/*
 * Member k of the top-level message failed to build. When it is malformed,
 * the answer is what a nesting scan of the whole request would have said
 * first (pbdepth_check runs over the bytes in order, so an over-deep member
 * before the malformed part wins): members before k were built, so they
 * nest within the limit; k and those after it still hold their bytes.
 */
static ProtobufCMessage *pbd_build_failed(struct pbd *d, const struct pbd_scan *s, size_t k, int top)
{
	if (!top || d->err != PBD_MALFORMED)
		return NULL;
	for (; k < s->n; k++) {
		const ProtobufCFieldDescriptor *f = s->m[k].f;
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		int dr = d->max_depth < 1 ? PBDEPTH_TOO_DEEP
					  : pbdepth_check(f->descriptor, s->m[k].data, s->m[k].len, d->max_depth - 1);
		if (dr == PBDEPTH_TOO_DEEP)
			d->err = PBD_TOO_DEEP;
		if (dr != PBDEPTH_OK)
			break;
	}
	return NULL;
}

/*
 * Build the message the scan `s` describes. NULL with d->err set on
 * failure. `top`: members come from the request's segments; hand each
 * segment back once the members in it are built, and free their copies.
 */
static ProtobufCMessage *pbd_build(struct pbd *d, const ProtobufCMessageDescriptor *desc, struct pbd_scan *s,
				   size_t n_segs, int top)
{
	ProtobufCMessage *rv = pbd_alloc(d, desc->sizeof_message);
	size_t done = 0;
	unsigned height = 0;

	if (!rv)
		return NULL;
	desc->message_init(rv);
	for (unsigned i = 0; i < desc->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &desc->fields[i];
		if (f->label != PROTOBUF_C_LABEL_REPEATED || !s->count[i])
			continue;
		void *arr = pbd_alloc(d, pbd_elt_size(f->type) * s->count[i]);
		if (!arr)
			return NULL;
		*(void **)(void *)((char *)rv + f->offset) = arr;
	}
	for (size_t k = 0; k < s->n; k++) {
		struct pbd_member *mb = &s->m[k];
		const ProtobufCFieldDescriptor *f = mb->f;
		char *base = (char *)rv;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t *np = (size_t *)(void *)(base + f->quantifier_offset);
			char *arr = *(char **)(void *)(base + f->offset);
			if (pbd_value(d, f, mb, arr + pbd_elt_size(f->type) * *np) < 0)
				return pbd_build_failed(d, s, k, top);
			++*np;
		} else {
			if (pbd_value(d, f, mb, base + f->offset) < 0)
				return pbd_build_failed(d, s, k, top);
			if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
				*(uint32_t *)(void *)(base + f->quantifier_offset) = f->id;
			else if (f->quantifier_offset)
				*(protobuf_c_boolean *)(void *)(base + f->quantifier_offset) = 1;
		}
		if (f->type == PROTOBUF_C_TYPE_MESSAGE)
			height = pbd_height_with(d, height);
		if (top) {
			/* Nothing decoded refers to the request's bytes: what lies before the next member can go. */
			free(mb->copy);
			mb->copy = NULL;
			size_t upto = k + 1 < s->n ? s->m[k + 1].seg : n_segs;
			if (d->release && upto > done)
				d->release(d->ud, done = upto);
		}
	}
	d->height = height;
	return rv;
}

/* Whether `m` encodes exactly as p[0..n) (a memo candidate is the same message). */
static int pbd_same(struct pbd *d, const ProtobufCMessage *m, const uint8_t *p, size_t n)
{
	if (protobuf_c_message_get_packed_size(m) != n)
		return 0;
	if (n == 0)
		return 1;
	if (n > d->pack_cap) {
		size_t cap = d->pack_cap ? d->pack_cap : 256;
		while (cap < n)
			cap *= 2;
		uint8_t *b = realloc(d->pack, cap);
		if (!b)
			return 0;
		d->pack = b;
		d->pack_cap = cap;
	}
	return protobuf_c_message_pack(m, d->pack) == n && memcmp(d->pack, p, n) == 0;
}

/*
 * A `desc` message at nesting `depth`, decoded the general way: scanned and
 * built, or handed to protobuf-c when the scan does not take it. NULL with
 * d->err set on failure; *height is its nesting height (or unknown).
 */
static ProtobufCMessage *pbd_generic(struct pbd *d, const ProtobufCMessageDescriptor *desc, const uint8_t *p,
				     size_t n, unsigned depth, unsigned *height)
{
	struct pbd_seg seg = { p, n };
	struct pbd_cur c;
	struct pbd_scan s;
	ProtobufCMessage *m = NULL;

	*height = 0;
	pbd_cur_init(&c, &seg, 1);   /* one segment: nothing is ever copied */
	int rc = pbd_scan(desc, &c, &s);
	if (rc == 0) {
		d->depth = depth;
		m = pbd_build(d, desc, &s, 1, 0);
		d->depth = depth - 1;
		*height = d->height;
	} else if (rc == PBD_BAIL) {
		/*
		 * protobuf-c recurses once per level: bound it first. A scan that
		 * finds the bytes malformed leaves the verdict to unpack, as the
		 * server's own path does; their nesting is then not known.
		 */
		int dr = pbdepth_measure(desc, p, n, d->max_depth - depth, height);
		if (dr == PBDEPTH_TOO_DEEP) {
			d->err = PBD_TOO_DEEP;
		} else {
			if (dr != PBDEPTH_OK)
				*height = PBD_HEIGHT_UNKNOWN;
			m = protobuf_c_message_unpack(desc, d->pa, n, p);
			if (!m && !d->err)
				d->err = d->a->failed ? PBD_NOMEM : PBD_MALFORMED;
		}
	} else {
		d->err = rc;
	}
	pbd_scan_free(&s);
	return m;
}

/*
 * The length-prefixed value whose one-byte tag is at p[0], within p[0..n):
 * its offset and length. 0, or PBD_BAIL when it does not fit.
 */
static int pbd_lp(const uint8_t *p, size_t n, size_t *off, size_t *len)
{
	size_t ll;

	if (n < 2 || !(ll = pbd_varint_len(p + 1, n - 1, PBD_MAX_LEN_BYTES)))
		return PBD_BAIL;
	*off = 1 + ll;
	*len = (size_t)pbd_varint(p + 1, ll);
	return *len <= n - *off ? 0 : PBD_BAIL;
}

/*
 * The one field of a one-field encoding p[0..n) whose tag is one byte:
 * its value's offset and length (a varint's bytes, or what follows a
 * length prefix), when it ends exactly at n. 0, or PBD_BAIL.
 */
static int pbd_only_field(const uint8_t *p, size_t n, size_t *off, size_t *len)
{
	if (n < 2)
		return PBD_BAIL;
	switch (p[0] & 7) {
	case PROTOBUF_C_WIRE_TYPE_VARINT:
		*off = 1;
		if (!(*len = pbd_varint_len(p + 1, n - 1, 10)))
			return PBD_BAIL;   /* does not end */
		break;
	case PROTOBUF_C_WIRE_TYPE_64BIT:
		*off = 1;
		*len = 8;
		break;
	case PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED:
		if (pbd_lp(p, n, off, len) != 0)
			return PBD_BAIL;
		break;
	default:
		return PBD_BAIL;
	}
	return *len == n - *off ? 0 : PBD_BAIL;
}

/*
 * google.protobuf.Value with exactly one kind set, as a proto3 encoder
 * writes it (an empty string or struct still has its tag and length; an
 * empty Value, with no kind, goes the general way).
 */
static int pbd_fast_value(struct pbd *d, const uint8_t *p, size_t n, ProtobufCMessage **out)
{
	const ProtobufCFieldDescriptor *f;
	size_t off, len;

	if (n < 2 || p[0] & 0x80 || !(f = pbd_field(&google__protobuf__value__descriptor, p[0] >> 3)) ||
	    (int)(p[0] & 7) != pbd_wire_of(f->type) || pbd_only_field(p, n, &off, &len) != 0)
		return PBD_BAIL;
	unsigned id = f->id;
	Google__Protobuf__Value *v = pbd_alloc(d, sizeof(*v));
	*out = NULL;
	if (!v)
		return 0;
	google__protobuf__value__init(v);
	v->kind_case = (Google__Protobuf__Value__KindCase)id;
	d->height = 0;
	switch (id) {
	case GOOGLE__PROTOBUF__VALUE__KIND_NULL_VALUE:
		v->null_value = (Google__Protobuf__NullValue)(uint32_t)pbd_varint(p + off, len);
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE:
		memcpy(&v->number_value, p + off, 8);
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE:
		v->bool_value = 0;
		for (size_t i = 0; i < len; i++)
			if (p[off + i] & 0x7f)
				v->bool_value = 1;
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE:
		if (!(v->string_value = pbd_str(d, p + off, len)))
			return 0;
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE:
		if (!(v->struct_value = (Google__Protobuf__Struct *)(void *)pbd_sub(d, &google__protobuf__struct__descriptor,
										     p + off, len)))
			return 0;
		d->height = pbd_height_with(d, 0);
		break;
	default:
		if (!(v->list_value = (Google__Protobuf__ListValue *)(void *)pbd_sub(
			      d, &google__protobuf__list_value__descriptor, p + off, len)))
			return 0;
		d->height = pbd_height_with(d, 0);
		break;
	}
	*out = &v->base;
	return 0;
}

/* A Struct entry as a proto3 encoder writes it: the key, then the value. */
static int pbd_fast_entry(struct pbd *d, const uint8_t *p, size_t n, ProtobufCMessage **out)
{
	size_t ko, klen, vo, vl;

	if (n < 4 || p[0] != 0x0a || pbd_lp(p, n, &ko, &klen) != 0 || n - ko - klen < 2)
		return PBD_BAIL;
	const uint8_t *q = p + ko + klen;
	if (q[0] != 0x12 || pbd_only_field(q, n - ko - klen, &vo, &vl) != 0)
		return PBD_BAIL;
	Google__Protobuf__Struct__FieldsEntry *e = pbd_alloc(d, sizeof(*e));
	*out = NULL;
	if (!e)
		return 0;
	google__protobuf__struct__fields_entry__init(e);
	if (!(e->key = pbd_str(d, p + ko, klen)))
		return 0;
	if (!(e->value = (Google__Protobuf__Value *)(void *)pbd_sub(d, &google__protobuf__value__descriptor, q + vo, vl)))
		return 0;
	d->height = pbd_height_with(d, 0);
	*out = &e->base;
	return 0;
}

/*
 * google.protobuf.Struct: entries only (field 1, length-prefixed), each
 * within the bytes. Counted first, so the array is allocated where
 * pbd_build allocates it.
 */
static int pbd_fast_struct(struct pbd *d, const uint8_t *p, size_t n, ProtobufCMessage **out)
{
	size_t count = 0, i, off, len;

	for (i = 0; i < n; i += off + len, count++)
		if (p[i] != 0x0a || pbd_lp(p + i, n - i, &off, &len) != 0)
			return PBD_BAIL;
	Google__Protobuf__Struct *st = pbd_alloc(d, sizeof(*st));
	*out = NULL;
	if (!st)
		return 0;
	google__protobuf__struct__init(st);
	if (count && !(st->fields = pbd_alloc(d, count * sizeof(*st->fields))))
		return 0;
	unsigned height = 0;
	for (i = 0; i < n; i += off + len) {
		(void)pbd_lp(p + i, n - i, &off, &len);   /* checked above */
		ProtobufCMessage *e = pbd_sub(d, &google__protobuf__struct__fields_entry__descriptor, p + i + off, len);
		if (!e)
			return 0;
		st->fields[st->n_fields++] = (Google__Protobuf__Struct__FieldsEntry *)(void *)e;
		height = pbd_height_with(d, height);
	}
	d->height = height;
	*out = &st->base;
	return 0;
}

/*
 * Fast paths for the three messages most of every Pulumi request is made
 * of (properties are a Struct of entries holding Values): the general scan
 * and build spend most of their time on bookkeeping these small messages
 * do not need. Only what a proto3 encoder writes is taken, and
 * checked before anything is allocated; anything else returns PBD_BAIL and
 * goes the general way. The result, the allocations and their order are
 * pbd_build's. 0: done (*out, or NULL with d->err), with d->height set.
 */
static int pbd_fast(struct pbd *d, const ProtobufCMessageDescriptor *desc, const uint8_t *p, size_t n,
		    ProtobufCMessage **out)
{
	if (desc == &google__protobuf__value__descriptor)
		return pbd_fast_value(d, p, n, out);
	if (desc == &google__protobuf__struct__fields_entry__descriptor)
		return pbd_fast_entry(d, p, n, out);
	if (desc == &google__protobuf__struct__descriptor)
		return pbd_fast_struct(d, p, n, out);
	return PBD_BAIL;
}

/*
 * The sharing record of `desc` (NULL when the table is full: such types are
 * always looked up). Asked for every sub-message: placed by the
 * descriptor's address, so it is found at the first slot tried.
 */
static struct pbd_kind *pbd_kind_of(struct pbd *d, const ProtobufCMessageDescriptor *desc)
{
	size_t i = ptrhash_slot(desc, PBD_KINDS - 1);

	for (size_t n = 0; n < PBD_KINDS; n++, i = (i + 1) & (PBD_KINDS - 1)) {
		struct pbd_kind *k = &d->kinds[i];
		if (k->desc == desc)
			return k;
		if (!k->desc) {
			k->desc = desc;
			return k;
		}
	}
	return NULL;
}

/*
 * Count a sighting of a `k` part, shared or not. Judged per window of
 * PBD_TRIAL sightings: a type that stops repeating later in the request
 * (the first resources of a stack often share more) is caught too.
 */
static void pbd_kind_count(struct pbd_kind *k, int hit)
{
	if (!k)
		return;
	k->hits += (uint32_t)hit;
	if (++k->sightings < PBD_TRIAL)
		return;
	if (k->hits < (PBD_TRIAL >> PBD_MIN_HIT_SHIFT))
		k->off = 1;
	k->sightings = k->hits = 0;
}

/* A nested `desc` message encoded by p[0..n): shared when seen before, else decoded and remembered. */
static ProtobufCMessage *pbd_sub(struct pbd *d, const ProtobufCMessageDescriptor *desc, const uint8_t *p, size_t n)
{
	unsigned depth = d->depth + 1, height = 0;
	uint32_t hash = 0;
	int again = 0;
	struct pbd_probe pr;
	struct pbd_ment *e;
	struct pbd_kind *kind = pbd_kind_of(d, desc);
	int lookup = !kind || !kind->off;

	if (depth > d->max_depth) {
		d->err = PBD_TOO_DEEP;
		return NULL;
	}
	if (lookup) {
		hash = pbd_hash(p, n, (uint64_t)(uintptr_t)desc);
		again = pbd_seen(d, hash);
	}
	pbd_probe_init(&d->msgs, hash, &pr);
	while (again && (e = pbd_probe_next(&d->msgs, hash, &pr)) != NULL) {
		if (e->len != n || e->msg->descriptor != desc)
			continue;
		if (e->enc ? memcmp(e->enc, p, n) == 0 : pbd_same(d, e->msg, p, n)) {
			if (!e->enc && n && d->enc_bytes + n <= PBD_MAX_ENC_BYTES && (e->enc = malloc(n)) != NULL) {
				memcpy(e->enc, p, n);
				d->enc_bytes += n;
			}
			if (e->height > d->max_depth - depth) {
				d->err = PBD_TOO_DEEP;   /* the same bytes, placed deeper than before */
				return NULL;
			}
			if (arena_charge(d->a, e->cost) < 0) {
				d->err = PBD_NOMEM;
				return NULL;
			}
			d->height = e->height;
			pbd_kind_count(kind, 1);
			return e->msg;
		}
	}

	size_t used0 = d->a->used;
	ProtobufCMessage *m = NULL;
	d->depth = depth;
	int rc = pbd_fast(d, desc, p, n, &m);
	d->depth = depth - 1;
	if (rc == PBD_BAIL)
		m = pbd_generic(d, desc, p, n, depth, &height);
	else
		height = d->height;
	if (!m)
		return NULL;

	d->height = height;
	if (lookup)
		pbd_kind_count(kind, 0);
	size_t cost = d->a->used - used0;
	if (again && height != PBD_HEIGHT_UNKNOWN && n <= UINT32_MAX && cost <= UINT32_MAX &&
	    (e = pbd_tab_add(&d->msgs, hash)) != NULL) {
		e->len = (uint32_t)n;
		e->cost = (uint32_t)cost;
		e->height = height;
		e->msg = m;
		e->enc = NULL;
	}
	return m;
}

int pbd_decode(const ProtobufCMessageDescriptor *desc, const struct pbd_seg *segs, size_t n_segs,
	       struct arena *a, unsigned max_depth, void (*release)(void *ud, size_t n_done), void *ud,
	       ProtobufCMessage **out)
{
	unsigned char storage[ARENA_PB_ALLOCATOR_SIZE];
	struct pbd d;
	struct pbd_cur c;
	struct pbd_scan s;
	int rc;

	*out = NULL;
	memset(&d, 0, sizeof(d));
	d.a = a;
	d.pa = arena_protobuf_allocator(a, storage);
	d.release = release;
	d.ud = ud;
	d.max_depth = max_depth;
	pbd_tab_init(&d.msgs, sizeof(struct pbd_ment));
	pbd_tab_init(&d.strs, sizeof(struct pbd_sent));
	pbd_cur_init(&c, segs, n_segs);
	pbd_seen_init(&d, c.rem);

	rc = pbd_scan(desc, &c, &s);
	if (rc == PBD_BAIL) {
		rc = PBD_FALLBACK;
		goto out;
	}
	if (rc)
		goto out;
	/*
	 * Ours from here on: the caller may drop its own hold on the request.
	 * Nesting is checked while building (pbd_sub), with the verdict a
	 * pbdepth_check over the whole request would give.
	 */
	if (release)
		release(ud, 0);
	*out = pbd_build(&d, desc, &s, n_segs, 1);
	rc = *out ? PBD_OK : d.err ? d.err : PBD_NOMEM;
	if (rc != PBD_OK)
		*out = NULL;
out:
	pbd_scan_free(&s);
	for (size_t i = 0; d.enc_bytes && i < d.msgs.n; i++)
		free(((struct pbd_ment *)(void *)(d.msgs.ents + i * d.msgs.esz))->enc);
	pbd_tab_free(&d.msgs);
	pbd_tab_free(&d.strs);
	free(d.pack);
	free(d.seen);
	return rc;
}
