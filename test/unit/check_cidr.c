/*
 * check_cidr.c - unit tests of the CIDR helper (src/cidr.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"

struct parse_case {
	const char *text;
	int ok;
	int family;
	int prefix;
	const char *canon;      /* cidr_format of the parsed block */
};

static const struct parse_case parse_cases[] = {
	{ "0.0.0.0/0", 1, 4, 0, "0.0.0.0/0" },
	{ "10.0.0.0/16", 1, 4, 16, "10.0.0.0/16" },
	{ "10.0.1.5/24", 1, 4, 24, "10.0.1.0/24" },
	{ "192.168.1.1/32", 1, 4, 32, "192.168.1.1/32" },
	{ "::/0", 1, 6, 0, "::/0" },
	{ "::0/0", 1, 6, 0, "::/0" },
	{ "0:0:0:0:0:0:0:0/0", 1, 6, 0, "::/0" },
	{ "2001:DB8::/32", 1, 6, 32, "2001:db8::/32" },
	{ "2001:db8:1234:5600::/56", 1, 6, 56, "2001:db8:1234:5600::/56" },
	{ "::ffff:10.0.0.0/104", 1, 6, 104, "::ffff:10.0.0.0/104" },
	{ "fe80::1/128", 1, 6, 128, "fe80::1/128" },
	{ "10.0.0.0", 0, 0, 0, NULL },
	{ "10.0.0.0/33", 0, 0, 0, NULL },
	{ "10.0.0.0/", 0, 0, 0, NULL },
	{ "10.0.0.0/-1", 0, 0, 0, NULL },
	{ "10.0.0.0/016", 0, 0, 0, NULL },
	{ "10.0.0/16", 0, 0, 0, NULL },
	{ "10.0.0.256/24", 0, 0, 0, NULL },
	{ "::/129", 0, 0, 0, NULL },
	{ "1:2:3:4:5:6:7:8:9/64", 0, 0, 0, NULL },
	{ "/24", 0, 0, 0, NULL },
	{ "", 0, 0, 0, NULL },
	{ "10.0.0.0/16 ", 0, 0, 0, NULL },
	{ "not-a-cidr", 0, 0, 0, NULL },
};

START_TEST(test_parse)
{
	const struct parse_case *pc = &parse_cases[_i];
	struct cidr c;
	char buf[CIDR_STRLEN];
	int rc = cidr_parse(pc->text, &c);

	ck_assert_msg((rc == 0) == pc->ok, "'%s': rc %d", pc->text, rc);
	if (!pc->ok)
		return;
	ck_assert_msg(c.family == pc->family, "'%s': family %d", pc->text, c.family);
	ck_assert_msg(c.prefix == pc->prefix, "'%s': prefix %d", pc->text, c.prefix);
	ck_assert_str_eq(cidr_format(&c, buf, sizeof(buf)), pc->canon);
}
END_TEST

START_TEST(test_parse_null)
{
	struct cidr c;

	ck_assert_int_eq(cidr_parse(NULL, &c), -1);
}
END_TEST

static struct cidr must(const char *s)
{
	struct cidr c;

	ck_assert_msg(cidr_parse(s, &c) == 0, "'%s' must parse", s);
	return c;
}

START_TEST(test_host_bits)
{
	struct cidr a = must("10.0.1.5/24"), b = must("10.0.1.0/24"), c = must("10.0.0.0/0");
	struct cidr d = must("2001:db8::1/64"), e = must("2001:db8::/64"), f = must("10.0.0.128/25");

	ck_assert(cidr_host_bits_set(&a));
	ck_assert(!cidr_host_bits_set(&b));
	ck_assert(cidr_host_bits_set(&c));
	ck_assert(cidr_host_bits_set(&d));
	ck_assert(!cidr_host_bits_set(&e));
	ck_assert(!cidr_host_bits_set(&f));
	ck_assert_int_eq(cidr_bits(&a), 32);
	ck_assert_int_eq(cidr_bits(&d), 128);
}
END_TEST

START_TEST(test_contains_overlap)
{
	struct cidr vpc = must("10.0.0.0/16"), s1 = must("10.0.1.0/24"), s2 = must("10.0.100.0/24");
	struct cidr out = must("10.1.0.0/24"), big = must("10.0.0.0/8"), s3 = must("10.0.1.128/25");
	struct cidr v6 = must("2001:db8::/56"), v6s = must("2001:db8:0:1::/64"), any6 = must("::/0");
	struct cidr any4 = must("0.0.0.0/0");

	ck_assert(cidr_contains(&vpc, &s1));
	ck_assert(cidr_contains(&vpc, &s2));
	ck_assert(!cidr_contains(&vpc, &out));
	ck_assert(!cidr_contains(&s1, &vpc));
	ck_assert(cidr_contains(&big, &vpc));
	ck_assert(cidr_contains(&vpc, &vpc));
	ck_assert(cidr_overlaps(&s1, &s3));
	ck_assert(cidr_overlaps(&s3, &s1));
	ck_assert(!cidr_overlaps(&s1, &s2));
	ck_assert(cidr_contains(&v6, &v6s));
	ck_assert(cidr_contains(&any6, &v6));
	ck_assert(!cidr_contains(&any6, &vpc));     /* families never mix */
	ck_assert(!cidr_overlaps(&any4, &v6));
	ck_assert(cidr_contains(&any4, &out));
}
END_TEST

START_TEST(test_cmp)
{
	struct cidr a = must("10.0.0.0/16"), b = must("10.0.0.0/24"), c = must("10.0.1.0/24");
	struct cidr d = must("::/0"), e = must("10.0.0.9/16");

	ck_assert_int_lt(cidr_cmp(&a, &b), 0);
	ck_assert_int_lt(cidr_cmp(&b, &c), 0);
	ck_assert_int_gt(cidr_cmp(&c, &a), 0);
	ck_assert_int_lt(cidr_cmp(&a, &d), 0);
	ck_assert_int_eq(cidr_cmp(&a, &e), 0);      /* host bits do not order */
}
END_TEST

START_TEST(test_format_small_buffer)
{
	struct cidr a = must("10.0.0.0/16");
	char buf[8];

	ck_assert_str_eq(cidr_format(&a, buf, sizeof(buf)), "");
}
END_TEST

static Suite *cidr_suite(void)
{
	Suite *s = suite_create("cidr");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse, 0, (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
	tcase_add_test(tc, test_parse_null);
	suite_add_tcase(s, tc);
	tc = tcase_create("arith");
	tcase_add_test(tc, test_host_bits);
	tcase_add_test(tc, test_contains_overlap);
	tcase_add_test(tc, test_cmp);
	tcase_add_test(tc, test_format_small_buffer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cidr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
