/*
 * check_pbdec.c - the sharing decoder against protobuf-c: whatever
 * pbd_decode accepts must pack back to exactly what protobuf_c_message_unpack
 * gives for the same bytes (and fail where it fails), however the bytes are
 * cut into segments, with every released segment freed at once (so ASan and
 * valgrind see any later read). Also: repeated parts really are shared, the
 * arena limit sees the unshared size, the nesting limit is pbdepth_check's,
 * and what it leaves to protobuf-c (unknown fields, fields given twice,
 * top-level oddities) comes out right.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pbdec.h"
#include "pbdepth.h"
#include "pctest.h"
#include "pulumi/analyzer.pb-c.h"
#include "rpc_client.h"

#define MAX_DEPTH 256

static unsigned rnd_state = 12345u;

static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* ---- encoding by hand ------------------------------------------------------------ */

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	if (n)
		memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void put_varint(struct buf *b, uint64_t v)
{
	uint8_t t[10];
	size_t k = 0;
	do {
		t[k++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	put(b, t, k);
}

static void put_len(struct buf *b, unsigned field, const void *d, size_t n)
{
	put_varint(b, (uint64_t)field << 3 | 2);
	put_varint(b, n);
	put(b, d, n);
}

/* ---- the two decoders ---------------------------------------------------------------- */

enum { R_OK, R_DEEP, R_BAD, R_NOMEM };

struct result {
	int r;
	uint8_t *packed;   /* R_OK: the message packed again */
	size_t n;
	size_t used;       /* arena bytes (pbd_decode: as counted for the limit) */
	int fell_back;
};

static void result_free(struct result *r)
{
	free(r->packed);
	memset(r, 0, sizeof(*r));
}

static void packed(struct result *out, const ProtobufCMessage *m)
{
	out->r = R_OK;
	out->n = protobuf_c_message_get_packed_size(m);
	out->packed = malloc(out->n + 1);
	ck_assert_ptr_nonnull(out->packed);
	ck_assert_uint_eq(protobuf_c_message_pack(m, out->packed), out->n);
}

/* What the server did before pbdec: pbdepth_check, then protobuf-c. */
static void ref_decode(const ProtobufCMessageDescriptor *d, const uint8_t *b, size_t n, size_t limit,
		       struct result *out)
{
	struct arena a;
	unsigned char st[ARENA_PB_ALLOCATOR_SIZE];

	memset(out, 0, sizeof(*out));
	if (pbdepth_check(d, b, n, MAX_DEPTH) == PBDEPTH_TOO_DEEP) {
		out->r = R_DEEP;
		return;
	}
	arena_init(&a, limit);
	ProtobufCMessage *m = protobuf_c_message_unpack(d, arena_protobuf_allocator(&a, st), n, b);
	if (m)
		packed(out, m);
	else
		out->r = a.failed ? R_NOMEM : R_BAD;
	out->used = a.used;
	arena_release(&a);
}

/* Segments the test owns: each one its own malloc, freed as soon as it is released. */
struct segs {
	struct pbd_seg *s;
	size_t n, done;
	int committed;
};

static void segs_release(void *ud, size_t n_done)
{
	struct segs *sg = ud;

	if (n_done == 0) {
		ck_assert(!sg->committed);
		sg->committed = 1;
		return;
	}
	ck_assert(sg->committed);
	ck_assert_uint_gt(n_done, sg->done);
	ck_assert_uint_le(n_done, sg->n);
	for (; sg->done < n_done; sg->done++) {
		free((void *)sg->s[sg->done].p);
		sg->s[sg->done].p = NULL;
	}
}

static void segs_cut(struct segs *sg, const uint8_t *b, size_t n)
{
	int mode = (int)(rnd() % 4);
	size_t pos = 0;

	memset(sg, 0, sizeof(*sg));
	sg->s = malloc((2 * n + 2) * sizeof(*sg->s));
	ck_assert_ptr_nonnull(sg->s);
	while (pos < n) {
		size_t k = mode == 0 ? n - pos : mode == 1 ? 1 + rnd() % 7 : mode == 2 ? 1 + rnd() % 300 : 1 + rnd() % 65536;
		if (k > n - pos)
			k = n - pos;
		if (rnd() % 16 == 0) {   /* empty slices happen too */
			sg->s[sg->n].p = malloc(1);
			sg->s[sg->n++].n = 0;
		}
		uint8_t *p = malloc(k);
		ck_assert_ptr_nonnull(p);
		memcpy(p, b + pos, k);
		sg->s[sg->n].p = p;
		sg->s[sg->n++].n = k;
		pos += k;
	}
}

static void segs_free(struct segs *sg)
{
	for (size_t i = sg->done; i < sg->n; i++)
		free((void *)sg->s[i].p);
	free(sg->s);
}

/* What the server does now: pbd_decode, and protobuf-c when it falls back. */
static void pbd_path(const ProtobufCMessageDescriptor *d, const uint8_t *b, size_t n, size_t limit,
		     struct result *out)
{
	struct segs sg;
	struct arena a;
	ProtobufCMessage *m;

	memset(out, 0, sizeof(*out));
	segs_cut(&sg, b, n);
	arena_init(&a, limit);
	int rc = pbd_decode(d, sg.s, sg.n, &a, MAX_DEPTH, segs_release, &sg, &m);
	if (rc == PBD_OK) {
		ck_assert_ptr_nonnull(m);
		packed(out, m);
	} else {
		ck_assert_ptr_null(m);
		out->r = rc == PBD_TOO_DEEP ? R_DEEP : rc == PBD_MALFORMED ? R_BAD : R_NOMEM;
	}
	if (rc == PBD_FALLBACK) {
		ck_assert(!sg.committed);
		ck_assert_uint_eq(a.used, 0);
	}
	out->used = a.used;
	arena_release(&a);
	segs_free(&sg);
	if (rc == PBD_FALLBACK) {
		ref_decode(d, b, n, limit, out);
		out->fell_back = 1;
	}
}

/* Both decoders agree on `b`; returns how pbd_decode's path ended. */
static int agree(const ProtobufCMessageDescriptor *d, const uint8_t *b, size_t n, size_t limit)
{
	struct result x, y;

	ref_decode(d, b, n, limit, &x);
	pbd_path(d, b, n, limit, &y);
	/* Under a limit the two may run out at different points; anything else must match. */
	if (!(limit && (x.r == R_NOMEM || y.r == R_NOMEM))) {
		ck_assert_msg(x.r == y.r, "%s, %zu bytes, limit %zu: protobuf-c %d, pbd %d", d->name, n, limit, x.r,
			      y.r);
		if (x.r == R_OK) {
			ck_assert_uint_eq(x.n, y.n);
			ck_assert_msg(memcmp(x.packed, y.packed, x.n) == 0, "%s: different message", d->name);
		}
	}
	int r = y.fell_back ? -1 : y.r;
	result_free(&x);
	result_free(&y);
	return r;
}

/* ---- fixtures as requests -------------------------------------------------------------- */

/* Every fixture's resources (AnalyzeStack's view), loaded on first use. */
static struct pol_resource *fx;
static size_t fx_n;

static void fx_load(void)
{
	const struct pct_fixture_set *x = pct_fixture_resources();
	fx = x->out;
	fx_n = x->n;
}

/*
 * `n` fixture resources from the `first` on (n = 0: all), `rounds` times
 * with distinct URNs, packed as an AnalyzeStackRequest.
 */
static uint8_t *fx_stack(struct arena *a, size_t first, size_t n, size_t rounds, size_t *len)
{
	Pulumirpc__AnalyzeStackRequest q = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;

	fx_load();
	first %= fx_n;
	if (!n || n > fx_n - first)
		n = fx_n - first;
	q.n_resources = n * rounds;
	q.resources = arena_alloc(a, q.n_resources * sizeof(*q.resources));
	ck_assert_ptr_nonnull(q.resources);
	for (size_t i = 0; i < q.n_resources; i++) {
		struct pol_resource r = fx[first + i % n];
		if (i >= n)
			r.urn = arena_printf(a, "%s-%zu", r.urn, i / n);
		ck_assert_ptr_nonnull(q.resources[i] = rpc_stack_resource(a, &r));
	}
	*len = protobuf_c_message_get_packed_size(&q.base);
	uint8_t *b = arena_alloc(a, *len + 1);
	ck_assert_ptr_nonnull(b);
	protobuf_c_message_pack(&q.base, b);
	return b;
}

START_TEST(fixture_stack_same_as_protobuf_c)
{
	struct arena a;
	size_t len;

	arena_init(&a, 0);
	uint8_t *b = fx_stack(&a, 0, 0, 2, &len);
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, b, len, 0), R_OK);
	arena_release(&a);
}
END_TEST

START_TEST(fixture_requests_same_as_protobuf_c)
{
	struct arena a;

	fx_load();
	arena_init(&a, 0);
	for (size_t i = 0; i < fx_n; i++) {
		Pulumirpc__AnalyzeRequest *q = rpc_analyze_request(&a, &fx[i]);
		ck_assert_ptr_nonnull(q);
		size_t len = protobuf_c_message_get_packed_size(&q->base);
		uint8_t *b = arena_alloc(&a, len + 1);
		ck_assert_ptr_nonnull(b);
		protobuf_c_message_pack(&q->base, b);
		ck_assert_int_eq(agree(&pulumirpc__analyze_request__descriptor, b, len, 0), R_OK);
	}
	arena_release(&a);
}
END_TEST

/* `b`[0..len) decoded by pbd_decode into `a` (initialised here), as one segment. */
static const Pulumirpc__AnalyzeStackRequest *decode_stack(struct arena *a, const uint8_t *b, size_t len)
{
	struct pbd_seg seg = { b, len };
	ProtobufCMessage *m;

	arena_init(a, 0);
	ck_assert_int_eq(pbd_decode(&pulumirpc__analyze_stack_request__descriptor, &seg, 1, a, MAX_DEPTH, NULL, NULL,
				    &m),
			 PBD_OK);
	return (const void *)m;
}

/* Equal sub-messages are one object, and the limit still counts every copy. */
START_TEST(repeats_are_shared_and_counted)
{
	struct arena a, d1, d2;
	unsigned char st[ARENA_PB_ALLOCATOR_SIZE];
	size_t len;

	arena_init(&a, 0);
	uint8_t *b = fx_stack(&a, 0, 0, 3, &len);
	const Pulumirpc__AnalyzeStackRequest *q = decode_stack(&d1, b, len);
	ck_assert_uint_eq(q->n_resources, 3 * fx_n);
	/*
	 * Rounds repeat round one but for the URN: providers, options and
	 * properties are shared from their third sighting on (the first is only
	 * noted, pbd_seen), so round three shares round two's.
	 */
	size_t shared = 0, with_provider = 0;
	for (size_t i = 0; i < fx_n; i++) {
		const Pulumirpc__AnalyzerResource *r0 = q->resources[fx_n + i], *r1 = q->resources[2 * fx_n + i];
		ck_assert_ptr_ne(r0, r1);
		ck_assert_str_ne(r0->urn, r1->urn);
		ck_assert_ptr_eq(r0->type, r1->type);
		if (r0->properties && r0->properties->n_fields)
			ck_assert_ptr_eq(r0->properties, r1->properties);
		if (r0->provider) {
			with_provider++;
			shared += r0->provider == r1->provider;
		}
	}
	ck_assert_uint_gt(with_provider, 0);
	ck_assert_uint_eq(shared, with_provider);
	/* The limit sees about what protobuf-c allocates (it also keeps scratch it frees). */
	arena_init(&d2, 0);
	ck_assert_ptr_nonnull(protobuf_c_message_unpack(&pulumirpc__analyze_stack_request__descriptor,
							 arena_protobuf_allocator(&d2, st), len, b));
	ck_assert_msg(d1.used <= d2.used && d1.used * 10 >= d2.used * 9, "counted %zu, protobuf-c %zu", d1.used,
		      d2.used);
	arena_release(&d1);
	arena_release(&d2);
	arena_release(&a);
}
END_TEST

/* Random damage to a real request: same verdict, same message, whichever path decodes it. */
START_TEST(mutations_agree)
{
	struct arena a;
	size_t len;

	rnd_state = 1000u + (unsigned)_i;
	arena_init(&a, 0);
	/* A different slice of the fixtures each round, small enough for many decodes. */
	uint8_t *b = fx_stack(&a, (size_t)_i * 250, 120, 1, &len);
	uint8_t *m = malloc(len + 64);
	ck_assert_ptr_nonnull(m);
	for (int it = 0; it < 60; it++) {
		size_t n = len;
		memcpy(m, b, len);
		for (int j = 0, k = 1 + (int)(rnd() % 3); j < k && n; j++) {
			size_t at = rnd() % n;
			switch (rnd() % 4) {
			case 0:
				m[at] ^= (uint8_t)(1u << (rnd() % 8));
				break;
			case 1:
				m[at] = (uint8_t)rnd();
				break;
			case 2:
				n = at;
				break;
			default:
				memmove(m + at, m + at + 1, n - at - 1);
				n--;
				break;
			}
		}
		size_t limit = rnd() % 6 == 0 ? 1 + rnd() % (len * 3) : 0;
		agree(&pulumirpc__analyze_stack_request__descriptor, m, n, limit);
	}
	free(m);
	arena_release(&a);
}
END_TEST

/* A resource whose properties hold `value` (encoded google.protobuf.Value) under key "k". */
/* Append the Struct {"k": value}; `extra_unknown` adds a field FieldsEntry does not have. */
static void put_struct_k(struct buf *out, const struct buf *value, int extra_unknown)
{
	struct buf entry = { 0 };

	put_len(&entry, 1, "k", 1);
	put_len(&entry, 2, value->p, value->n);
	if (extra_unknown) {
		put_varint(&entry, 9 << 3 | 0);
		put_varint(&entry, 7);
	}
	put_len(out, 1, entry.p, entry.n);
	free(entry.p);
}

static void resource_with_value(struct buf *out, const struct buf *value, int extra_unknown)
{
	struct buf props = { 0 }, res = { 0 };

	put_struct_k(&props, value, extra_unknown);
	put_len(&res, 1, "aws:s3/bucket:Bucket", 20);
	put_len(&res, 2, props.p, props.n);
	put_len(out, 1, res.p, res.n);
	free(props.p);
	free(res.p);
}

/*
 * pbd_decode's verdict on a request holding one resource whose properties
 * are the Struct entry `entry` (raw bytes), checked against protobuf-c.
 * Three copies, so the second and third sightings (decoded, then shared)
 * are exercised too.
 */
static int agree_entry(const struct buf *entry)
{
	struct buf req = { 0 }, props = { 0 }, res = { 0 };

	put_len(&props, 1, entry->p, entry->n);
	put_len(&res, 1, "aws:s3/bucket:Bucket", 20);
	put_len(&res, 2, props.p, props.n);
	for (int i = 0; i < 3; i++)
		put_len(&req, 1, res.p, res.n);
	int r = agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0);
	free(req.p);
	free(props.p);
	free(res.p);
	return r;
}

/* The same for a Value (raw bytes) under key "k". */
static int agree_value(const uint8_t *v, size_t n)
{
	struct buf entry = { 0 };

	put_len(&entry, 1, "k", 1);
	put_len(&entry, 2, v, n);
	int r = agree_entry(&entry);
	free(entry.p);
	return r;
}

/*
 * The fast paths for Value, Struct and Struct entries (pbdec.c, pbd_fast)
 * take only what a proto3 encoder writes; around that edge, the same
 * answer as protobuf-c either way.
 */
START_TEST(value_struct_entry_fast_paths)
{
	static const struct {
		uint8_t b[12];
		size_t n;
		int want;
	} values[] = {
		{ { 1 << 3, 0 }, 2, R_OK },                            /* null_value */
		{ { 1 << 3, 0x81, 0x01 }, 3, R_OK },                   /* an enum as a two-byte varint */
		{ { 2 << 3 | 1, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f }, 9, R_OK }, /* number_value 1.0 */
		{ { 2 << 3 | 1, 0, 0, 0 }, 4, R_BAD },                 /* a double cut short */
		{ { 3 << 3 | 2, 0 }, 2, R_OK },                        /* "" */
		{ { 3 << 3 | 2, 2, 'h', 'i' }, 4, R_OK },
		{ { 3 << 3 | 2, 3, 'h', 'i' }, 4, R_BAD },             /* longer than the value */
		{ { 3 << 3 | 2, 1, 'h', 'i' }, 4, R_BAD },             /* a stray byte after it (tag 'i': field 13, wire 1, cut short) */
		{ { 3 << 3 | 2, 1, 'h', 7 << 3, 1 }, 5, R_OK },        /* an unknown field after it */
		{ { 4 << 3, 1 }, 2, R_OK },                            /* bool_value */
		{ { 4 << 3, 0x80 }, 2, R_BAD },                        /* a varint that does not end */
		{ { 5 << 3 | 2, 0 }, 2, R_OK },                        /* {} */
		{ { 6 << 3 | 2, 0 }, 2, R_OK },                        /* [] */
		{ { 6 << 3 | 2, 2, 4 << 3, 1 }, 4, R_OK },             /* [true] */
		{ { 5 << 3 | 2, 0, 3 << 3 | 2, 0 }, 4, R_OK },         /* two kinds: the last wins */
		{ { 0x80 | 3 << 3 | 2, 0, 0 }, 3, R_OK },              /* field 3's tag in two bytes */
		{ { 0 }, 0, R_OK },                                    /* no kind at all */
		{ { 5 << 3 | 2, 2, 2 << 3, 1 }, 4, R_OK },             /* a struct with an unknown field */
		{ { 5 << 3 | 2, 2, 1 << 3 | 2, 5 }, 4, R_BAD },        /* a struct's entry cut short */
		{ { 5 << 3 | 2, 4, 1 << 3 | 2, 0, 1 << 3 | 2, 0 }, 6, R_OK }, /* two empty entries */
		{ { 5 << 3 | 2, 3, 0x80 | 1 << 3 | 2, 0, 0 }, 5, R_OK }, /* an entry's tag in two bytes */
	};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		ck_assert_msg(agree_value(values[i].b, values[i].n) == values[i].want, "value %zu", i);

	/* A long string (two-byte length) and a nested struct, as an encoder writes them. */
	struct buf v = { 0 }, st = { 0 }, e = { 0 };
	char big[300];
	memset(big, 'x', sizeof(big));
	put_len(&v, 3, big, sizeof(big));
	ck_assert_int_eq(agree_value(v.p, v.n), R_OK);
	put_struct_k(&st, &v, 0);
	v.n = 0;
	put_len(&v, 5, st.p, st.n);
	ck_assert_int_eq(agree_value(v.p, v.n), R_OK);

	/* Entries: reversed, without a key, without a value, with an empty value, a key given twice. */
	static const uint8_t val[] = { 3 << 3 | 2, 1, 'v' };
	put_len(&e, 2, val, sizeof(val));
	put_len(&e, 1, "k", 1);
	ck_assert_int_eq(agree_entry(&e), R_OK);
	e.n = 0;
	put_len(&e, 2, val, sizeof(val));
	ck_assert_int_eq(agree_entry(&e), R_OK);
	e.n = 0;
	put_len(&e, 1, "k", 1);
	ck_assert_int_eq(agree_entry(&e), R_OK);
	put_len(&e, 2, "", 0);
	ck_assert_int_eq(agree_entry(&e), R_OK);
	e.n = 0;
	put_len(&e, 1, "k", 1);
	put_len(&e, 1, "j", 1);
	put_len(&e, 2, val, sizeof(val));
	ck_assert_int_eq(agree_entry(&e), R_OK);
	free(v.p);
	free(st.p);
	free(e.p);
}
END_TEST

/* Encodings a proto3 encoder never writes, inside a resource: protobuf-c's answer, sharing elsewhere intact. */
START_TEST(odd_nested_encodings)
{
	struct buf req = { 0 }, v = { 0 }, s = { 0 }, e = { 0 }, inner = { 0 };

	/* A oneof given twice (string, then bool): the last one wins. */
	put_len(&v, 3, "first", 5);
	put_varint(&v, 4 << 3 | 0);
	put_varint(&v, 1);
	resource_with_value(&req, &v, 0);
	/* A struct_value given twice: protobuf-c merges the two. */
	v.n = 0;
	put_len(&e, 1, "a", 1);
	put_len(&inner, 3, "x", 1);
	put_len(&e, 2, inner.p, inner.n);
	put_len(&s, 1, e.p, e.n);
	put_len(&v, 5, s.p, s.n);
	put_len(&v, 5, s.p, s.n);
	resource_with_value(&req, &v, 0);
	/* An unknown field in a map entry, twice with the same bytes (shared unknown fields). */
	v.n = 0;
	put_len(&v, 3, "y", 1);
	resource_with_value(&req, &v, 1);
	resource_with_value(&req, &v, 1);
	/* A bool as a two-byte varint (0x80 0x00 is false, 0x80 0x02 true)... */
	static const uint8_t bool_false[] = { 4 << 3 | 0, 0x80, 0x00 }, bool_true[] = { 4 << 3 | 0, 0x80, 0x02 };
	v.n = 0;
	put(&v, bool_false, sizeof(bool_false));
	resource_with_value(&req, &v, 0);
	v.n = 0;
	put(&v, bool_true, sizeof(bool_true));
	resource_with_value(&req, &v, 0);
	/* ...and a string with a NUL inside. */
	v.n = 0;
	put_len(&v, 3, "a\0b", 3);
	resource_with_value(&req, &v, 0);
	ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0), R_OK);

	/* A mistyped field (string_value as a varint): malformed for both. */
	v.n = 0;
	put_varint(&v, 3 << 3 | 0);
	put_varint(&v, 1);
	resource_with_value(&req, &v, 0);
	ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0), R_BAD);
	free(req.p);
	free(v.p);
	free(s.p);
	free(e.p);
	free(inner.p);
}
END_TEST

/* The top level is decoded only when it is plain; anything else goes back to protobuf-c untouched. */
START_TEST(odd_top_level_falls_back)
{
	struct buf req = { 0 }, v = { 0 };

	put_len(&v, 3, "x", 1);
	resource_with_value(&req, &v, 0);
	ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0), R_OK);
	put_varint(&req, 5 << 3 | 0);   /* unknown top-level field */
	put_varint(&req, 1);
	ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0), -1);
	req.n -= 2;
	put_varint(&req, 1 << 3 | 2);   /* truncated resource */
	put_varint(&req, 100);
	ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0), -1);
	free(req.p);
	free(v.p);
}
END_TEST

/* Properties nested `levels` messages deep below the resource (Struct, entry, Value, ...). */
static void deep_request(struct buf *out, size_t levels)
{
	static const unsigned fields[3] = { 1 /* Struct.fields */, 2 /* FieldsEntry.value */, 5 /* Value.struct_value */ };
	struct buf cur = { 0 }, next = { 0 }, res = { 0 };

	for (size_t i = 0; i < levels; i++) {
		next.n = 0;
		put_len(&next, fields[(levels - 1 - i) % 3], cur.p, cur.n);
		struct buf t = cur;
		cur = next;
		next = t;
	}
	put_len(&res, 2, cur.p, cur.n);
	put_len(out, 1, res.p, res.n);
	free(cur.p);
	free(next.p);
	free(res.p);
}

START_TEST(nesting_limit_as_pbdepth)
{
	/* Request (0) > resource (1) > properties (2) > ...: the deepest message sits at levels + 2. */
	for (size_t levels = MAX_DEPTH - 4; levels <= MAX_DEPTH + 4; levels++) {
		struct buf req = { 0 }, v = { 0 };
		put_len(&v, 3, "x", 1);
		resource_with_value(&req, &v, 0);
		deep_request(&req, levels);
		int want = levels + 2 > MAX_DEPTH ? R_DEEP : R_OK;
		ck_assert_msg(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0) == want,
			      "%zu levels", levels);
		free(req.p);
		free(v.p);
	}
}
END_TEST

/* `v` (a Value) wrapped once more: Value{struct_value: Struct{fields: {"k": v}}}, three levels deeper. */
static void wrap_value(struct buf *v)
{
	struct buf st = { 0 };

	put_struct_k(&st, v, 0);
	v->n = 0;
	put_len(v, 5, st.p, st.n);
	free(st.p);
}

START_TEST(nesting_limit_of_shared_parts)
{
	/*
	 * The same value bytes where they fit the limit exactly (twice: a
	 * part is remembered from its second sighting on, pbd_seen), then three
	 * levels deeper, where they do not. Shared, the deeper copy must still
	 * be judged where it sits.
	 * Request (0) > resource (1) > properties (2) > entry (3) > value (4).
	 */
	struct buf req = { 0 }, v = { 0 }, w = { 0 };
	size_t wraps = (MAX_DEPTH - 4) / 3;

	put_len(&v, 3, "x", 1);
	for (size_t i = 0; i < wraps; i++)
		wrap_value(&v);
	ck_assert_uint_eq(4 + 3 * wraps, MAX_DEPTH);   /* the first copy's deepest message sits at the limit */
	put(&w, v.p, v.n);
	wrap_value(&w);

	resource_with_value(&req, &v, 0);
	resource_with_value(&req, &v, 0);
	ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0), R_OK);
	resource_with_value(&req, &w, 0);
	ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0), R_DEEP);
	free(req.p);
	free(v.p);
	free(w.p);
}
END_TEST

/*
 * `lead` equal resources, `unique` resources with a value of their own,
 * then three equal ones: decoded by pbd_decode, checked against
 * protobuf-c, and whether the last two share their properties.
 */
static int last_two_shared(size_t lead, size_t unique)
{
	struct buf req = { 0 }, v = { 0 };
	struct arena a;
	char text[32];

	for (size_t i = 0; i < lead + unique + 3; i++) {
		int n = i < lead ? snprintf(text, sizeof(text), "lead")
		      : i < lead + unique ? snprintf(text, sizeof(text), "value-%zu", i)
					  : snprintf(text, sizeof(text), "again");
		v.n = 0;
		put_len(&v, 3, text, (size_t)n);
		resource_with_value(&req, &v, 0);
	}
	ck_assert_int_eq(agree(&pulumirpc__analyze_stack_request__descriptor, req.p, req.n, 0), R_OK);
	const Pulumirpc__AnalyzeStackRequest *q = decode_stack(&a, req.p, req.n);
	size_t n = lead + unique;
	ck_assert_uint_eq(q->n_resources, n + 3);
	const Google__Protobuf__Struct *p1 = q->resources[n + 1]->properties;
	const Google__Protobuf__Struct *p2 = q->resources[n + 2]->properties;
	ck_assert_str_eq(p1->fields[0]->value->string_value, "again");
	ck_assert_str_eq(p2->fields[0]->value->string_value, "again");
	int shared = p1 == p2;
	arena_release(&a);
	free(req.p);
	free(v.p);
	return shared;
}

/*
 * A type never shared in a thousand-odd sightings in a row is no longer
 * looked up (pbdec.c, struct pbd_kind): the same result, less sharing.
 * Types that keep repeating stay shared however long the request is.
 */
START_TEST(types_that_do_not_repeat_stop_being_shared)
{
	ck_assert(last_two_shared(0, 10));
	ck_assert(!last_two_shared(0, 1100));
	/* Shared at first, then not: judged again every thousand-odd sightings. */
	ck_assert(last_two_shared(500, 1000));
	ck_assert(!last_two_shared(500, 1600));
	/* Resources that keep repeating: still shared after 1,100 of them. */
	ck_assert(last_two_shared(1100, 0));
}
END_TEST

/* Limits: what fits decodes, what does not says so, at every size in between. */
START_TEST(limit_sweep)
{
	struct arena a;
	struct result full;
	size_t len;

	arena_init(&a, 0);
	uint8_t *b = fx_stack(&a, 0, 300, 1, &len);
	pbd_path(&pulumirpc__analyze_stack_request__descriptor, b, len, 0, &full);
	ck_assert_int_eq(full.r, R_OK);
	for (int k = 1; k <= 40; k++) {
		struct result r;
		size_t limit = full.used * (size_t)k / 40;
		pbd_path(&pulumirpc__analyze_stack_request__descriptor, b, len, limit, &r);
		if (k == 40) {
			ck_assert_int_eq(r.r, R_OK);
			ck_assert(r.n == full.n && memcmp(r.packed, full.packed, r.n) == 0);
		} else {
			ck_assert_int_eq(r.r, R_NOMEM);
		}
		result_free(&r);
	}
	result_free(&full);
	arena_release(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pbdec");
	TCase *tc = tcase_create("pbdec");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fixture_stack_same_as_protobuf_c);
	tcase_add_test(tc, fixture_requests_same_as_protobuf_c);
	tcase_add_test(tc, repeats_are_shared_and_counted);
	tcase_add_loop_test(tc, mutations_agree, 0, 8);
	tcase_add_test(tc, odd_nested_encodings);
	tcase_add_test(tc, value_struct_entry_fast_paths);
	tcase_add_test(tc, odd_top_level_falls_back);
	tcase_add_test(tc, nesting_limit_as_pbdepth);
	tcase_add_test(tc, nesting_limit_of_shared_parts);
	tcase_add_test(tc, types_that_do_not_repeat_stop_being_shared);
	tcase_add_test(tc, limit_sweep);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
