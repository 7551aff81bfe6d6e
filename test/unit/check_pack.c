/*
 * check_pack.c - the registry and configuration resolution, the way the
 * SDKs do it: per-policy level > "all" > initialConfig > policy default;
 * unknown names and "all" accepted; knob types validated with clear
 * messages; schema defaults reach the policies; disabled never reported.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pack.h"
#include "runner.h"
#include "pctest.h"

static struct pack pk;
static struct arena A;

static void setup(void)
{
	char *err = NULL;
	ck_assert_msg(pack_init(&pk, &err) == 0, "pack_init: %s", err ? err : "?");
	arena_init(&A, 0);
}

static void teardown(void)
{
	pack_free(&pk);
	arena_release(&A);
}

static int apply(const char *json, char **err)
{
	struct pack_layer l;
	*err = NULL;
	if (pack_layer_parse_json(&A, json, strlen(json), &l, err) < 0)
		return -1;
	return pack_configure(&pk, &l, err);
}

static enum pol_level level_of(size_t i)
{
	return pack_snapshot(&pk)->settings[i].level;
}

/* A policy with a knob of the given JSON type, or NULL. */
static const struct pack_policy *with_knob(const char *type, const char **knob)
{
	for (size_t i = 0; i < pk.n; i++) {
		const char *k;
		const pv_value *v;
		PV_OBJ_FOREACH(j, k, v, pk.policies[i].schema) {
			const char *t = pv_str(pv_get(v, "type"));
			if (t && strcmp(t, type) == 0 && strcmp(k, "exclude") != 0 && strcmp(k, "onUnknown") != 0) {
				*knob = k;
				return &pk.policies[i];
			}
		}
	}
	return NULL;
}

START_TEST(registry_is_valid)
{
	ck_assert_msg(pk.n > 0, "the registry has policies");
	for (size_t i = 0; i < pk.n; i++) {
		const struct pack_policy *pp = &pk.policies[i];
		ck_assert_ptr_eq(pack_find(&pk, pp->p->name), pp);
		/* Every schema carries the common knobs with defaults. */
		ck_assert_ptr_nonnull(pv_get(pp->schema, "onUnknown"));
		ck_assert_ptr_nonnull(pv_get(pp->schema, "exclude"));
		ck_assert_str_eq(pv_str(pv_get(pp->defaults, "onUnknown")), "skip");
		ck_assert_msg(pack_level_name(level_of(i)) != NULL, "%s has a valid level", pp->p->name);
		ck_assert_msg(level_of(i) != POL_LEVEL_INHERIT, "%s resolved", pp->p->name);
	}
	ck_assert_ptr_null(pack_find(&pk, "all"));
}
END_TEST

START_TEST(all_then_per_policy)
{
	char *err;
	const char *first = pk.policies[0].p->name;
	char json[512];
	snprintf(json, sizeof(json), "{\"all\":\"disabled\",\"%s\":\"mandatory\"}", first);
	ck_assert_msg(apply(json, &err) == 0, "%s", err ? err : "");
	ck_assert_int_eq(level_of(0), POL_MANDATORY);
	for (size_t i = 1; i < pk.n; i++)
		ck_assert_int_eq(level_of(i), POL_DISABLED);
	/* Order inside the file does not matter: "all" applies first. */
	snprintf(json, sizeof(json), "{\"%s\":\"advisory\",\"all\":\"remediate\"}", first);
	ck_assert(apply(json, &err) == 0);
	ck_assert_int_eq(level_of(0), POL_ADVISORY);
	if (pk.n > 1)
		ck_assert_int_eq(level_of(1), POL_REMEDIATE);
}
END_TEST

START_TEST(unknown_names_ignored)
{
	char *err;
	ck_assert(apply("{\"no-such-policy\":\"mandatory\",\"other\":{\"x\":1},\"environments\":[\"o/e\"]}", &err) == 0);
	ck_assert(apply("", &err) == 0);   /* an empty file is allowed */
	ck_assert(apply("{}", &err) == 0);
}
END_TEST

START_TEST(invalid_levels_rejected)
{
	char *err;
	ck_assert(apply("{\"all\":\"sometimes\"}", &err) < 0);
	ck_assert_msg(strstr(err, "is not a valid enforcement level") != NULL, "%s", err);
	pack_err_free(err);
	ck_assert(apply("{\"x\":{\"enforcementLevel\":3}}", &err) < 0);
	pack_err_free(err);
	ck_assert(apply("{\"x\":42}", &err) < 0);
	pack_err_free(err);
	ck_assert(apply("[1]", &err) < 0);
	pack_err_free(err);
	ck_assert(apply("{nope", &err) < 0);
	pack_err_free(err);
}
END_TEST

START_TEST(knob_types_validated)
{
	const char *knob = NULL;
	const struct pack_policy *pp = with_knob("boolean", &knob);
	char *err = NULL, json[512];
	if (!pp)
		pp = with_knob("array", &knob);
	ck_assert_msg(pp != NULL, "some policy has a boolean or array knob");
	snprintf(json, sizeof(json), "{\"%s\":{\"%s\":\"not-the-right-type\"}}", pp->p->name, knob);
	ck_assert(apply(json, &err) < 0);
	ck_assert_msg(strstr(err, knob) && strstr(err, "must be"), "clear message: %s", err);
	pack_err_free(err);
	/* The common knobs are validated too. */
	snprintf(json, sizeof(json), "{\"%s\":{\"onUnknown\":\"explode\"}}", pp->p->name);
	ck_assert(apply(json, &err) < 0);
	pack_err_free(err);
	snprintf(json, sizeof(json), "{\"%s\":{\"exclude\":[1,2]}}", pp->p->name);
	ck_assert(apply(json, &err) < 0);
	pack_err_free(err);
}
END_TEST

START_TEST(initial_config_under_configure)
{
	char *err = NULL;
	struct pack_layer l;
	const char *first = pk.policies[0].p->name;
	char json[512];
	snprintf(json, sizeof(json), "{\"all\":\"advisory\",\"%s\":\"disabled\"}", first);
	ck_assert(pack_layer_parse_json(&A, json, strlen(json), &l, &err) == 0);
	ck_assert(pack_set_initial(&pk, &l, &err) == 0);
	ck_assert_int_eq(level_of(0), POL_DISABLED);
	if (pk.n > 1)
		ck_assert_int_eq(level_of(1), POL_ADVISORY);
	/* Configure (the engine's merged view) wins for the policies it names. */
	snprintf(json, sizeof(json), "{\"%s\":\"mandatory\"}", first);
	ck_assert(apply(json, &err) == 0);
	ck_assert_int_eq(level_of(0), POL_MANDATORY);
	if (pk.n > 1)
		ck_assert_int_eq(level_of(1), POL_ADVISORY);
	ck_assert_uint_eq(pack_initial(&pk)->n, 2);
}
END_TEST

START_TEST(stack_context_drops_secrets)
{
	struct pack_kv cfg[] = { { "aws:region", "eu-west-1" }, { "app:dbPassword", "s3cr3t" } };
	const char *secret_keys[] = { "app:dbPassword" };
	struct pack_kv tags[] = { { "team", "platform" } };
	struct pack_stack_args sa = { "dev", "proj", "org", 1, 2, cfg, 1, secret_keys, 1, tags };
	ck_assert(pack_set_stack(&pk, &sa) == 0);
	const struct pack_snapshot *s = pack_snapshot(&pk);
	ck_assert_str_eq(s->stack->stack, "dev");
	ck_assert_int_eq(s->stack->configured, 1);
	ck_assert_uint_eq(s->n_config, 1);
	ck_assert_str_eq(s->config[0].key, "aws:region");
	ck_assert_uint_eq(s->n_tags, 1);
	/* Snapshots are immutable: configuring keeps the stack context. */
	char *err;
	ck_assert(apply("{\"all\":\"advisory\"}", &err) == 0);
	ck_assert_str_eq(pack_snapshot(&pk)->stack->project, "proj");
}
END_TEST

START_TEST(disabled_policies_never_report)
{
	char *err;
	ck_assert(apply("{\"all\":\"disabled\"}", &err) == 0);
	/* A resource every AWS policy would look at, with obviously bad values. */
	const char *props = "{\"runtime\":\"python2.7\",\"policy\":\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
			    "\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}";
	struct pol_resource r;
	memset(&r, 0, sizeof(r));
	r.type = "aws:lambda/function:Function";
	r.urn = "urn:pulumi:dev::p::aws:lambda/function:Function::f";
	r.name = "f";
	r.props = pv_parse_json(&A, props, strlen(props), NULL);
	r.provider_type = r.provider_urn = r.provider_name = r.parent = "";
	r.provider_props = pv_new_obj(&A);
	struct run_result res;
	run_result_init(&res);
	ck_assert(run_analyze(&pk, pack_snapshot(&pk), &A, &r, &res) == 0);
	ck_assert_uint_eq(res.n_diags, 0);
	ck_assert_uint_eq(res.n_nas, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pack");
	TCase *tc = tcase_create("config");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, registry_is_valid);
	tcase_add_test(tc, all_then_per_policy);
	tcase_add_test(tc, unknown_names_ignored);
	tcase_add_test(tc, invalid_levels_rejected);
	tcase_add_test(tc, knob_types_validated);
	tcase_add_test(tc, initial_config_under_configure);
	tcase_add_test(tc, stack_context_drops_secrets);
	tcase_add_test(tc, disabled_policies_never_report);
	suite_add_tcase(s, tc);
	return pct_run_suite(s);
}
