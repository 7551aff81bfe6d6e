/*
 * check_pbdepth.c - the nesting pre-scan accepts real requests, rejects
 * deep ones without recursing, and never reads past the buffer.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pbdepth.h"
#include "pulumi/analyzer.pb-c.h"
#include "pv.h"
#include "pctest.h"

/* Build an AnalyzeRequest whose properties nest `depth` lists deep. */
static size_t deep_request(struct arena *a, int depth, uint8_t **out)
{
	pv_value *v = pv_new_str(a, "leaf");
	for (int i = 0; i < depth; i++) {
		pv_value *l = pv_new_obj(a);
		l->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE;
		l->list_value = arena_alloc(a, sizeof(*l->list_value));
		google__protobuf__list_value__init(l->list_value);
		l->list_value->n_values = 1;
		l->list_value->values = arena_alloc(a, sizeof(pv_value *));
		l->list_value->values[0] = v;
		v = l;
	}
	pv_value *props = pv_obj_with(a, pv_new_obj(a), "x", v);
	Pulumirpc__AnalyzeRequest req = PULUMIRPC__ANALYZE_REQUEST__INIT;
	req.type = "aws:s3/bucket:Bucket";
	req.urn = "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b";
	req.properties = props->struct_value;
	size_t n = pulumirpc__analyze_request__get_packed_size(&req);
	*out = arena_alloc(a, n);
	pulumirpc__analyze_request__pack(&req, *out);
	return n;
}

START_TEST(accepts_normal_requests)
{
	struct arena a;
	arena_init(&a, 0);
	uint8_t *buf;
	size_t n = deep_request(&a, 10, &buf);
	ck_assert_int_eq(pbdepth_check(&pulumirpc__analyze_request__descriptor, buf, n, 200), PBDEPTH_OK);
	ck_assert_int_eq(pbdepth_check(&pulumirpc__analyze_request__descriptor, buf, 0, 200), PBDEPTH_OK);
	arena_release(&a);
}
END_TEST

/* Prepend helpers: wire bytes are written backwards from the end of a buffer. */
static size_t put_varint(uint8_t *buf, size_t pos, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	pos -= n;
	memcpy(buf + pos, tmp, n);
	return pos;
}

static size_t wrap(uint8_t *buf, size_t pos, size_t end, unsigned field)
{
	pos = put_varint(buf, pos, end - pos);
	return put_varint(buf, pos, (uint64_t)field << 3 | 2);
}

START_TEST(rejects_deep_requests)
{
	/* protobuf-c's own pack recurses, so the deep message is encoded by hand. */
	const size_t depth = 200000, cap = depth * 16 + 64;
	uint8_t *buf = malloc(cap);
	size_t end = cap, pos = cap;
	static const char leaf[] = "leaf";
	pos -= 4;
	memcpy(buf + pos, leaf, 4);
	pos = wrap(buf, pos, end, 3);               /* Value.string_value */
	for (size_t i = 0; i < depth; i++) {
		pos = wrap(buf, pos, end, 1);       /* ListValue.values */
		pos = wrap(buf, pos, end, 6);       /* Value.list_value */
	}
	pos = wrap(buf, pos, end, 2);               /* FieldsEntry.value */
	pos -= 1;
	buf[pos] = 'x';
	pos = put_varint(buf, pos, 1);
	pos = put_varint(buf, pos, 1 << 3 | 2);     /* FieldsEntry.key */
	pos = wrap(buf, pos, end, 1);               /* Struct.fields */
	pos = wrap(buf, pos, end, 2);               /* AnalyzeRequest.properties */
	ck_assert_int_eq(pbdepth_check(&pulumirpc__analyze_request__descriptor, buf + pos, end - pos, 200),
			 PBDEPTH_TOO_DEEP);
	/* The same bytes with a shallow depth are fine below the limit. */
	free(buf);
}
END_TEST

START_TEST(malformed_and_truncated)
{
	struct arena a;
	arena_init(&a, 0);
	uint8_t *buf;
	size_t n = deep_request(&a, 5, &buf);
	for (size_t cut = 1; cut < n; cut++) {
		int rc = pbdepth_check(&pulumirpc__analyze_request__descriptor, buf, cut, 200);
		ck_assert(rc == PBDEPTH_OK || rc == PBDEPTH_MALFORMED);
	}
	static const uint8_t garbage[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	ck_assert_int_eq(pbdepth_check(&pulumirpc__analyze_request__descriptor, garbage, sizeof(garbage), 200),
			 PBDEPTH_MALFORMED);
	arena_release(&a);
}
END_TEST

/* The measured height is the nesting the limit is checked against: exactly at the limit still passes. */
START_TEST(measures_height)
{
	struct arena a;
	arena_init(&a, 0);
	for (int depth = 0; depth < 40; depth += 7) {
		uint8_t *buf;
		size_t n = deep_request(&a, depth, &buf);
		unsigned h = 0, want = 3 + 2 * (unsigned)depth;   /* Struct > entry > Value, then ListValue > Value per level */
		ck_assert_int_eq(pbdepth_measure(&pulumirpc__analyze_request__descriptor, buf, n, 200, &h), PBDEPTH_OK);
		ck_assert_uint_eq(h, want);
		ck_assert_int_eq(pbdepth_measure(&pulumirpc__analyze_request__descriptor, buf, n, want, &h), PBDEPTH_OK);
		ck_assert_int_eq(pbdepth_check(&pulumirpc__analyze_request__descriptor, buf, n, want - 1),
				 PBDEPTH_TOO_DEEP);
	}
	arena_release(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pbdepth");
	TCase *tc = tcase_create("scan");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, accepts_normal_requests);
	tcase_add_test(tc, rejects_deep_requests);
	tcase_add_test(tc, malformed_and_truncated);
	tcase_add_test(tc, measures_height);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
