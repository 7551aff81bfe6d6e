/*
 * check_runner.c - the runner's secret-redaction safety net, seen through
 * pol_report: a one-policy pack whose policy quotes whatever the test asks,
 * run on a resource carrying the test's secrets. Policies never quote
 * secrets on purpose, so this is the only way to reach the redaction paths
 * that matter (many secrets, overlapping secrets, boundaries).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pack.h"
#include "pctest.h"
#include "pv.h"
#include "runner.h"
#include "stack.h"

#define DESC "Test policy: the runner hides secrets."

/* What the test policy reports: every message, each with the same path. */
static const char *const *quote_msgs;
static size_t quote_n;
static const char *quote_path;

static void check_quote(struct pol_ctx *c, const struct pol_resource *r)
{
	(void)r;
	for (size_t i = 0; i < quote_n; i++)
		pol_report(c, NULL, quote_path, "%s", quote_msgs[i]);
}

static pv_value *secret_of(struct arena *a, pv_value *inner)
{
	pv_value *o = pv_new_obj(a);
	o = pv_obj_with(a, o, PV_SIG_KEY, pv_new_str(a, PV_SIG_SECRET));
	return pv_obj_with(a, o, "value", inner);
}

/* {"s": [secret(s0), secret(s1), ...]}: one list, so thousands of secrets cost no quadratic copying. */
static const pv_value *secret_props(struct arena *a, const char *const *secrets, size_t n)
{
	pv_value *list = arena_alloc(a, sizeof(*list));
	Google__Protobuf__ListValue *l = arena_alloc(a, sizeof(*l));
	pv_value **vals = arena_alloc(a, (n ? n : 1) * sizeof(*vals));
	ck_assert(list && l && vals);
	google__protobuf__value__init(list);
	google__protobuf__list_value__init(l);
	for (size_t i = 0; i < n; i++)
		vals[i] = secret_of(a, pv_new_str(a, secrets[i]));
	l->n_values = n;
	l->values = vals;
	list->kind_case = GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE;
	list->list_value = l;
	return pv_obj_with(a, pv_new_obj(a), "s", list);
}

/*
 * Run the quoting policy (description `desc`) on a resource with
 * properties `props`; returns the reported messages in order (one per
 * entry of `msgs`, arena-allocated).
 */
/* A mandatory test policy `name` (checks set by the caller) and its pack entry. */
static void test_policy(struct arena *a, struct policy *pol, struct pack_policy *pp, const char *name,
			const char *desc)
{
	memset(pol, 0, sizeof(*pol));
	memset(pp, 0, sizeof(*pp));
	pol->name = name;
	pol->display_name = name;
	pol->description = desc;
	pol->level = POL_MANDATORY;
	pol->severity = POL_SEV_LOW;
	pp->p = pol;
	pp->schema = pv_new_obj(a);
	pp->defaults = pv_new_obj(a);
	pp->na_type_reason = "not applicable";
}

/* The resource the tests judge. */
static void test_resource(struct arena *a, struct pol_resource *r, const pv_value *props)
{
	memset(r, 0, sizeof(*r));
	r->type = "test:index:Thing";
	r->urn = "urn:pulumi:dev::proj::test:index:Thing::thing";
	r->name = "thing";
	r->props = props;
	r->provider_type = r->provider_urn = r->provider_name = r->parent = "";
	r->provider_props = pv_new_obj(a);
}

static const char **report_on(struct arena *a, const char *desc, const pv_value *props, const char *path,
			      const char *const *msgs, size_t n_msgs)
{
	struct policy pol;
	struct pack_policy pp;
	test_policy(a, &pol, &pp, "test-quote", desc);
	pol.check = check_quote;
	struct pack pk = { 0 };
	pk.n = 1;
	pk.policies = &pp;
	struct pack_setting set = { POL_MANDATORY, NULL };
	struct pack_snapshot snap = { 0 };
	snap.settings = &set;
	snap.version = "0";
	snap.pack_dir = "";
	struct pol_resource r;
	test_resource(a, &r, props);

	quote_msgs = msgs;
	quote_n = n_msgs;
	quote_path = path;
	struct run_result res;
	run_result_init(&res);
	ck_assert_int_eq(run_analyze(&pk, &snap, a, &r, &res), 0);
	ck_assert_uint_eq(res.n_diags, n_msgs);
	const char **out = arena_alloc(a, (n_msgs ? n_msgs : 1) * sizeof(*out));
	ck_assert(out != NULL);
	for (size_t i = 0; i < n_msgs; i++) {
		ck_assert_int_eq(res.diags[i].level, POL_MANDATORY);
		out[i] = res.diags[i].message;
	}
	return out;
}

/* The same, on a resource holding `secrets`. */
static const char **report(struct arena *a, const char *desc, const char *const *secrets, size_t n_secrets,
			   const char *path, const char *const *msgs, size_t n_msgs)
{
	return report_on(a, desc, secret_props(a, secrets, n_secrets), path, msgs, n_msgs);
}

/* One message, default description, path NULL. */
static const char *report1(struct arena *a, const char *const *secrets, size_t n, const char *msg)
{
	return report(a, DESC, secrets, n, NULL, &msg, 1)[0];
}

#define N_OF(x) (sizeof(x) / sizeof((x)[0]))

START_TEST(message_assembly_without_secrets)
{
	struct arena a;
	arena_init(&a, 0);
	const char *msgs[] = { "mode is \"PassThrough\": set it to \"Active\".", "retention is 0 days", "" };
	const char **out = report(&a, DESC, NULL, 0, "tracingConfig.mode", msgs, N_OF(msgs));
	/* The path is named once: appended unless the detail already names it. */
	ck_assert_str_eq(out[0], DESC "\nmode is \"PassThrough\": set it to \"Active\". (at tracingConfig.mode)");
	ck_assert_str_eq(out[1], DESC "\nretention is 0 days (at tracingConfig.mode)");
	ck_assert_str_eq(out[2], DESC "\n (at tracingConfig.mode)");
	const char *named = "tracingConfig.mode is \"PassThrough\"";
	ck_assert_str_eq(report(&a, DESC, NULL, 0, "tracingConfig.mode", &named, 1)[0],
			 DESC "\n" "tracingConfig.mode is \"PassThrough\"");
	ck_assert_str_eq(report(&a, DESC, NULL, 0, "", &named, 1)[0], DESC "\n" "tracingConfig.mode is \"PassThrough\"");
	/* A format-looking detail is data, not a format. */
	const char *pct = "100% of %s";
	ck_assert_str_eq(report(&a, DESC, NULL, 0, NULL, &pct, 1)[0], DESC "\n100% of %s");
	arena_release(&a);
}
END_TEST

START_TEST(secret_whole_and_substring)
{
	struct arena a;
	arena_init(&a, 0);
	const char *secrets[] = { "hunter2!", "p4ss", "correct horse battery" };
	/* Short, delimiter-containing and delimiter-free secrets, quoted and embedded. */
	ck_assert_str_eq(report1(&a, secrets, 3, "password is \"hunter2!\", pin xp4ssx, phrase correct horse battery."),
			 DESC "\npassword is \"[secret]\", pin x[secret]x, phrase [secret].");
	/* A message quoting none of them is left alone byte for byte. */
	ck_assert_str_eq(report1(&a, secrets, 3, "hunter2 p4s correct horse"), DESC "\nhunter2 p4s correct horse");
	arena_release(&a);
}
END_TEST

/* Secret number i of a large set, in the shapes a real stack holds. */
static char *many_secret(struct arena *a, size_t i)
{
	switch (i % 5) {
	case 0:
		return arena_printf(a, "q%03zx", i);                                     /* short */
	case 1:
		return arena_printf(a, "pass word %zu!", i);                             /* with delimiters */
	case 2:
		return arena_printf(a, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-%zu", i);
	case 3:
		return arena_printf(a, "{\"user\":\"admin%zu\",\"password\":\"pw-%zu-xyz\"}", i, i);   /* a JSON document */
	default:
		return arena_printf(a, "ghp_%032zu", i);                                 /* long token */
	}
}

#define N_MANY 2000
#define N_QUOTING 400
#define N_PLAIN 400

/*
 * 2,000 secrets of every shape and 800 reports: half quote six secrets each,
 * half quote none but look like real messages (ARNs, JSON, quoted values)
 * and must come out byte for byte.
 */
START_TEST(many_secrets_many_reports)
{
	struct arena a;
	arena_init(&a, 0);
	const char **secrets = arena_alloc(&a, N_MANY * sizeof(*secrets));
	ck_assert(secrets != NULL);
	for (size_t i = 0; i < N_MANY; i++)
		secrets[i] = many_secret(&a, i);
	const char **msgs = arena_alloc(&a, (N_QUOTING + N_PLAIN) * sizeof(*msgs));
	const char **want = arena_alloc(&a, (N_QUOTING + N_PLAIN) * sizeof(*want));
	ck_assert(msgs && want);
	static const char fmt[] = "rotate %s and (%s), then \"%s\"; also %s. Value admin%zu at end %s";
	for (size_t k = 0; k < N_QUOTING; k++) {
		/* One secret of each shape, spread over the whole set, plus a JSON document's value. */
		size_t b = (k * 37) % (N_MANY / 5) * 5, doc = (b + 3) % N_MANY;
		msgs[k] = arena_printf(&a, fmt, secrets[b], secrets[b + 1], secrets[doc], secrets[b + 2], doc,
				       secrets[b + 4]);
		want[k] = DESC "\n" "rotate [secret] and ([secret]), then \"[secret]\"; also [secret]. "
			  "Value [secret] at end [secret]";
	}
	for (size_t k = 0; k < N_PLAIN; k++) {
		/* Near misses of every shape: other accounts, other ids, JSON with other values. */
		msgs[N_QUOTING + k] = arena_printf(&a,
			"role arn:aws:iam::123456789012:role/app-%zu has \"AdministratorAccess\" attached, and "
			"arn:aws:secretsmanager:us-east-1:123456789012:secret:app-%zu is shared with account 210987654321; "
			"policy {\"user\":\"admin\",\"password\":\"***\"} names pass word %zu, ghp_%zu and q%03zx-%zx: "
			"attach a least-privilege policy instead.", k, k, k, k, 5 * k + 1, k);
		want[N_QUOTING + k] = arena_printf(&a, "%s\n%s", DESC, msgs[N_QUOTING + k]);
	}
	const char **out = report(&a, DESC, secrets, N_MANY, NULL, msgs, N_QUOTING + N_PLAIN);
	for (size_t k = 0; k < N_QUOTING + N_PLAIN; k++)
		ck_assert_msg(strcmp(out[k], want[k]) == 0, "message %zu:\n%s\nwant:\n%s", k, out[k], want[k]);
	arena_release(&a);
}
END_TEST

START_TEST(longest_overlapping_secret_hidden)
{
	struct arena a;
	arena_init(&a, 0);
	/* One secret a prefix of another, in both recording orders: the longer is hidden whole. */
	const char *short_first[] = { "pw 1", "pw 12", "k9Qz", "k9Qz7" };
	const char *long_first[] = { "pw 12", "pw 1", "k9Qz7", "k9Qz" };
	const char *msg = "is pw 12, id k9Qz7 or pw 1 k9Qz.";
	const char *want = DESC "\nis [secret], id [secret] or [secret] [secret].";
	ck_assert_str_eq(report1(&a, short_first, 4, msg), want);
	ck_assert_str_eq(report1(&a, long_first, 4, msg), want);
	/* Overlapping without being prefixes: the union is hidden, no tail of either survives. */
	const char *chained[] = { "k7 ab", "ab k8", "k8 zz9" };
	ck_assert_str_eq(report1(&a, chained, 3, "x k7 ab k8 zz9 y k7 ab k8"), DESC "\nx [secret] y [secret]");
	arena_release(&a);
}
END_TEST

START_TEST(shared_part_plain_then_secret)
{
	struct arena a;
	arena_init(&a, 0);
	/*
	 * One object reached twice, as the decoder shares repeated parts: first
	 * in plain text, then inside a secret. The second sight still counts.
	 */
	pv_value *shared = pv_obj_with(&a, pv_new_obj(&a), "pw", pv_new_str(&a, "hunter2-xyz"));
	pv_value *props = pv_obj_with(&a, pv_new_obj(&a), "a", shared);
	props = pv_obj_with(&a, props, "b", secret_of(&a, shared));
	const char *msg = "password hunter2-xyz";
	ck_assert_str_eq(report_on(&a, DESC, props, NULL, &msg, 1)[0], DESC "\npassword [secret]");
	arena_release(&a);
}
END_TEST

START_TEST(secret_at_start_and_end)
{
	struct arena a;
	arena_init(&a, 0);
	const char *secrets[] = { "s3 cr", "t0k3", "ghp_0123456789abcdefXYZ" };
	/*
	 * The description is the pack's own text, never searched (it cannot
	 * tell anything about a secret); the detail's very first and last bytes are.
	 */
	const char *msg = "s3 cr token t0k3";
	ck_assert_str_eq(report(&a, "s3 cr leads the description", secrets, 3, NULL, &msg, 1)[0],
			 "s3 cr leads the description\n[secret] token [secret]");
	/* The path is searched on its own too (property names come from the program). */
	const char *plain = "plain";
	ck_assert_str_eq(report(&a, DESC, secrets, 3, "x.t0k3", &plain, 1)[0], DESC "\nplain (at x.[secret])");
	ck_assert_str_eq(report1(&a, secrets, 3, "s3 cr"), DESC "\n[secret]");
	ck_assert_str_eq(report1(&a, secrets, 3, "t0k3"), DESC "\n[secret]");
	ck_assert_str_eq(report1(&a, secrets, 3, "ghp_0123456789abcdefXYZ"), DESC "\n[secret]");
	/* Cut short by the end of the message: not a match. */
	ck_assert_str_eq(report1(&a, secrets, 3, "s3 c"), DESC "\ns3 c");
	ck_assert_str_eq(report1(&a, secrets, 3, "t0k"), DESC "\nt0k");
	arena_release(&a);
}
END_TEST

/* Details around the stack buffer's size (pol_report formats short ones there): whole, redacted at both ends. */
START_TEST(long_details)
{
	static const size_t lens[] = { 1022, 1023, 1024, 1025, 5000 };
	struct arena a;
	arena_init(&a, 0);
	const char *secrets[] = { "k9Qz-secret" };
	for (size_t i = 0; i < N_OF(lens); i++) {
		size_t fill = lens[i] - 2 * strlen(secrets[0]) - 2;
		char *msg = arena_alloc(&a, lens[i] + 1), *want = arena_alloc(&a, lens[i] + sizeof(DESC) + 1);
		ck_assert(msg != NULL && want != NULL);
		char *x = arena_alloc(&a, fill + 1);
		ck_assert(x != NULL);
		memset(x, 'x', fill);
		x[fill] = '\0';
		snprintf(msg, lens[i] + 1, "%s %s %s", secrets[0], x, secrets[0]);
		ck_assert_uint_eq(strlen(msg), lens[i]);
		snprintf(want, lens[i] + sizeof(DESC) + 1, "%s\n[secret] %s [secret]", DESC, x);
		ck_assert_str_eq(report1(&a, secrets, 1, msg), want);
	}
	arena_release(&a);
}
END_TEST

/*
 * Stack policies run in a scratch arena of their own, released when they
 * return: what they hand the runner from it (URNs, messages, reasons) must
 * be copied into the run's arena. The policy reports on a URN it built
 * (not in the stack) and on one of the stack's; the second policy gives a
 * reason it built.
 */
static void check_stack_scratch(struct pol_ctx *c, const struct stk_index *s)
{
	struct arena *sa = pol_arena(c);
	pol_report(c, arena_printf(sa, "urn:pulumi:dev::proj::test:index:Gone::%s", "gone"), NULL, "%s",
		   arena_printf(sa, "built %d", 1));
	pol_report(c, arena_strdup(sa, s->res[0].urn), arena_strdup(sa, "a.b"), "on the stack");
}

static void check_stack_na(struct pol_ctx *c, const struct stk_index *s)
{
	(void)s;
	pol_not_applicable(c, arena_printf(pol_arena(c), "reason %d", 7));
}

START_TEST(stack_scratch_results_are_kept)
{
	struct arena a;
	arena_init(&a, 0);
	struct policy pol[2];
	struct pack_policy pp[2];
	test_policy(&a, &pol[0], &pp[0], "test-scratch", DESC);
	test_policy(&a, &pol[1], &pp[1], "test-na", DESC);
	pol[0].check_stack = check_stack_scratch;
	pol[1].check_stack = check_stack_na;
	pp[1].index = 1;
	struct pack pk = { 0 };
	pk.n = 2;
	pk.policies = pp;
	struct pack_setting set[2] = { { POL_MANDATORY, NULL }, { POL_MANDATORY, NULL } };
	struct pack_snapshot snap = { 0 };
	snap.settings = set;
	snap.version = "0";
	snap.pack_dir = "";
	struct pol_resource r;
	test_resource(&a, &r, pv_new_obj(&a));
	struct stk_index idx;
	ck_assert_int_eq(stk_index_build(&idx, &a, &r, 1), 0);
	struct run_result res;
	run_result_init(&res);
	/* On one thread, then on two: the parallel run's arenas are handed over the same way. */
	ck_assert_int_eq(run_analyze_stack_on(&pk, &snap, &a, &idx, &res, (unsigned)_i + 1), 0);
	ck_assert_uint_eq(res.n_diags, 2);
	ck_assert_str_eq(res.diags[0].urn, "urn:pulumi:dev::proj::test:index:Gone::gone");
	ck_assert(arena_owns(&a, res.diags[0].urn));
	ck_assert_str_eq(res.diags[0].message, DESC "\nbuilt 1");
	ck_assert(arena_owns(&a, res.diags[0].message));
	ck_assert_ptr_eq(res.diags[1].urn, r.urn);   /* the stack's own string */
	ck_assert_str_eq(res.diags[1].message, DESC "\non the stack (at a.b)");
	ck_assert_uint_eq(res.n_nas, 1);
	ck_assert_str_eq(res.nas[0].reason, "reason 7");
	ck_assert(arena_owns(&a, res.nas[0].reason));
	/* Messages go to the result's arena when it names one. */
	struct arena keep;
	arena_init(&keep, 0);
	run_result_init(&res);
	res.keep = &keep;
	ck_assert_int_eq(run_analyze_stack_on(&pk, &snap, &a, &idx, &res, (unsigned)_i + 1), 0);
	ck_assert_uint_eq(res.n_diags, 2);
	ck_assert(arena_owns(&keep, res.diags[0].message) && arena_owns(&keep, res.diags[1].message));
	ck_assert(!arena_owns(&keep, res.diags[0].urn) && arena_owns(&a, res.diags[0].urn));
	arena_release(&keep);
	arena_release(&a);
}
END_TEST

/* Every stack policy of the pack over `s` on `workers` threads; messages in `keep` when it is not NULL. */
static struct run_result stack_run(struct arena *a, struct arena *keep, const struct stk_index *s, unsigned workers)
{
	struct pack *pk = pct_pack();
	struct run_result res;
	run_result_init(&res);
	res.keep = keep;
	ck_assert_int_eq(run_analyze_stack_on(pk, pack_snapshot(pk), a, s, &res, workers), 0);
	return res;
}

static void same_results(const struct run_result *x, const struct run_result *y, unsigned workers)
{
	ck_assert_uint_eq(x->n_diags, y->n_diags);
	for (size_t i = 0; i < x->n_diags; i++) {
		const struct run_diag *p = &x->diags[i], *q = &y->diags[i];
		ck_assert_msg(p->pp == q->pp && p->level == q->level && strcmp(p->urn, q->urn) == 0 &&
			      strcmp(p->message, q->message) == 0,
			      "%u workers, diagnostic %zu: %s %s\n%s\nvs one: %s %s\n%s", workers, i, q->pp->p->name,
			      q->urn, q->message, p->pp->p->name, p->urn, p->message);
	}
	ck_assert_uint_eq(x->n_nas, y->n_nas);
	for (size_t i = 0; i < x->n_nas; i++)
		ck_assert(x->nas[i].pp == y->nas[i].pp && strcmp(x->nas[i].reason, y->nas[i].reason) == 0);
}

/*
 * Every fixture's resources as one stack, every third one's properties
 * all secrets: the stack policies on two, three and four threads say
 * exactly what they say on one, in the same order, and hide the secrets
 * the same way (the redaction set is collected before the threads start).
 */
START_TEST(stack_in_parallel_is_sequential)
{
	const struct pct_fixture_set *fx = pct_fixture_resources();
	struct arena a, keep;
	arena_init(&a, 0);
	arena_init(&keep, 0);
	struct pol_resource *res = arena_alloc(&a, fx->n * sizeof(*res));
	ck_assert(res != NULL);
	for (size_t i = 0; i < fx->n; i++) {
		res[i] = fx->out[i];
		if (i % 3 == 0)
			res[i].props = pct_canarise(&a, res[i].props);
	}
	struct stk_index idx;
	ck_assert_int_eq(stk_index_build(&idx, &a, res, fx->n), 0);
	struct run_result one = stack_run(&a, NULL, &idx, 1);
	size_t hidden = 0;
	for (size_t i = 0; i < one.n_diags; i++) {
		ck_assert_msg(strstr(one.diags[i].message, PCT_CANARY) == NULL, "%s", one.diags[i].message);
		hidden += strstr(one.diags[i].message, "[secret]") != NULL;
	}
	ck_assert_uint_gt(one.n_diags, 100);
	ck_assert_uint_gt(hidden, 0);
	for (unsigned w = 2; w <= 4; w++) {
		struct run_result many = stack_run(&a, w == 3 ? &keep : NULL, &idx, w);
		same_results(&one, &many, w);
		for (size_t i = 0; w == 3 && i < many.n_diags; i++)
			ck_assert(arena_owns(&keep, many.diags[i].message));
	}
	arena_release(&keep);
	arena_release(&a);
}
END_TEST

START_TEST(adjacent_secrets)
{
	struct arena a;
	arena_init(&a, 0);
	const char *secrets[] = { "pw 1", "pw 2", "k9Q1", "k9Q2" };
	ck_assert_str_eq(report1(&a, secrets, 4, "x pw 1pw 2 y k9Q1k9Q2k9Q1"),
			 DESC "\nx [secret][secret] y [secret][secret][secret]");
	arena_release(&a);
}
END_TEST

START_TEST(no_secret_sharing_prefixes)
{
	struct arena a;
	arena_init(&a, 0);
	/* 2,000 secrets whose first two bytes ("ab", "th") are everywhere in the message. */
	const char **secrets = arena_alloc(&a, 2000 * sizeof(*secrets));
	ck_assert(secrets != NULL);
	for (size_t i = 0; i < 1000; i++) {
		secrets[2 * i] = arena_printf(&a, "ab %zu zz", i);
		secrets[2 * i + 1] = arena_printf(&a, "th%03zu", i);
	}
	const char *msg = "the theme: ab 5 z, ab 7 zy ab zz, th00 th-12 thx99 abab ab 999 z th99";
	const char *out = report(&a, DESC, secrets, 2000, "ab.th", &msg, 1)[0];
	ck_assert_str_eq(out, DESC "\nthe theme: ab 5 z, ab 7 zy ab zz, th00 th-12 thx99 abab ab 999 z th99 (at ab.th)");
	/* ... while each of them is still found among the others. */
	msg = "the ab 999 zz then th999 and th000";
	ck_assert_str_eq(report1(&a, secrets, 2000, msg), DESC "\nthe [secret] then [secret] and [secret]");
	arena_release(&a);
}
END_TEST

START_TEST(token_fragments)
{
	struct arena a;
	arena_init(&a, 0);
	const char *secrets[] = {
		"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-pass",
		"tok-abcdefgh",
		"{\"tok-abcdZZZZ\":1,\"user\":\"ops\"}",   /* a document: its key is only in its raw text */
	};
	/* A whole secret, its prefix, its middle (a token of >= 8 bytes inside a secret). */
	ck_assert_str_eq(report1(&a, secrets, 3,
				 "see arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-pass, "
				 "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod and secret:prod-db-pass."),
			 DESC "\nsee [secret], [secret] and [secret].");
	/* Starting like a secret is not enough: a non-secret ARN of the same account stays. */
	ck_assert_str_eq(report1(&a, secrets, 3, "role arn:aws:iam::123456789012:role/app is admin"),
			 DESC "\nrole arn:aws:iam::123456789012:role/app is admin");
	/* Inside the raw text of a secret document only, starting like another secret: hidden. */
	ck_assert_str_eq(report1(&a, secrets, 3, "key tok-abcdZZZZ and tok-abcdYYYY"),
			 DESC "\nkey [secret] and tok-abcdYYYY");
	arena_release(&a);
}
END_TEST

START_TEST(secret_glued_inside_a_token)
{
	struct arena a;
	arena_init(&a, 0);
	const char *secrets[] = { "SuperSecretPassw0rd" };
	/* No delimiter around it: only a substring search finds it. */
	ck_assert_str_eq(report1(&a, secrets, 1, "url https://u:SuperSecretPassw0rd@host/x"),
			 DESC "\nurl https://u:[secret]@host/x");
	arena_release(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runner");
	TCase *tc = tcase_create("redaction");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, message_assembly_without_secrets);
	tcase_add_test(tc, secret_whole_and_substring);
	tcase_add_test(tc, many_secrets_many_reports);
	tcase_add_test(tc, shared_part_plain_then_secret);
	tcase_add_test(tc, longest_overlapping_secret_hidden);
	tcase_add_test(tc, secret_at_start_and_end);
	tcase_add_test(tc, adjacent_secrets);
	tcase_add_test(tc, long_details);
	tcase_add_loop_test(tc, stack_scratch_results_are_kept, 0, 2);
	tcase_add_test(tc, stack_in_parallel_is_sequential);
	tcase_add_test(tc, no_secret_sharing_prefixes);
	tcase_add_test(tc, token_fragments);
	tcase_add_test(tc, secret_glued_inside_a_token);
	suite_add_tcase(s, tc);
	int rc = pct_run_suite(s);
	pct_fixture_resources_free();
	return rc;
}
