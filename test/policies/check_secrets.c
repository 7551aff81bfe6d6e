/*
 * check_secrets.c - a canary secret in every string-valued property of every
 * fixture (wrapped as a Pulumi secret) never appears in any diagnostic,
 * not-applicable reason, check-mode output (text, JSON, SARIF) or
 * remediation, and remediations keep secrets secret.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pctest.h"

#define CANARY "cnry-5ecr3t-Q7"

static char **files;
static size_t n_files;

static pv_value *secret_of(struct arena *a, pv_value *inner)
{
	pv_value *o = pv_new_obj(a);
	o = pv_obj_with(a, o, PV_SIG_KEY, pv_new_str(a, PV_SIG_SECRET));
	return pv_obj_with(a, o, "value", inner);
}

/* Every string leaf s (unknown sentinels aside) becomes secret(s + "~" CANARY). */
static pv_value *canarise(struct arena *a, const pv_value *v, int depth)
{
	if (!v || depth > PV_MAX_DEPTH)
		return (pv_value *)v;
	switch (v->kind_case) {
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE: {
		if (pv_is_unknown_sentinel(v->string_value))
			return (pv_value *)v;
		char *s = arena_printf(a, "%s~%s", v->string_value, CANARY);
		return secret_of(a, pv_new_str(a, s));
	}
	case GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE: {
		pv_value *c = pv_copy(a, v);
		for (size_t i = 0; i < c->list_value->n_values; i++)
			c->list_value->values[i] = canarise(a, v->list_value->values[i], depth + 1);
		return c;
	}
	case GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE: {
		pv_value *c = pv_copy(a, v);
		int special = 0;
		for (size_t i = 0; i < c->struct_value->n_fields; i++)
			if (strcmp(c->struct_value->fields[i]->key, PV_SIG_KEY) == 0)
				special = 1;
		for (size_t i = 0; !special && i < c->struct_value->n_fields; i++)
			c->struct_value->fields[i]->value = canarise(a, v->struct_value->fields[i]->value, depth + 1);
		return c;
	}
	default:
		return (pv_value *)v;
	}
}

/* The fixture with canaries in properties, outputs and provider properties. */
static char *canary_fixture(struct arena *a, const char *path)
{
	size_t len;
	const char *err = NULL;
	char *text = resjson_read_file(a, path, &len, &err);
	ck_assert_msg(text != NULL, "%s: %s", path, err ? err : "?");
	const pv_value *root = pv_parse_json(a, text, len, &err);
	ck_assert_msg(root != NULL, "%s: %s", path, err ? err : "?");
	const pv_value *list = pv_get(root, "resources"), *r;
	pv_value *nl = pv_copy(a, list);
	PV_LIST_FOREACH(i, r, list) {
		pv_value *nr = (pv_value *)r;
		static const char *const keys[] = { "properties", "outputs" };
		for (int k = 0; k < 2; k++)
			if (pv_get(r, keys[k]))
				nr = pv_obj_with(a, nr, keys[k], canarise(a, pv_get(r, keys[k]), 0));
		const pv_value *prov = pv_get(r, "provider");
		if (pv_kind(prov) == PV_OBJECT)
			nr = pv_obj_with(a, nr, "provider",
					 pv_obj_with(a, prov, "properties", canarise(a, pv_get(prov, "properties"), 0)));
		nl->list_value->values[i] = nr;
	}
	pv_value *out = pv_obj_with(a, root, "resources", nl);
	return pv_to_json_raw(a, out);
}

START_TEST(canary_never_printed)
{
	const char *path = files[_i];
	struct arena a;
	arena_init(&a, 0);
	char *json = canary_fixture(&a, path);
	struct pct_run run;
	ck_assert_msg(pct_run_json(&run, json) == 0, "%s: %s", path, run.err ? run.err : "?");
	for (size_t i = 0; i < run.n; i++)
		ck_assert_msg(strstr(run.d[i].message, CANARY) == NULL, "%s: %s leaked a secret:\n%s", path,
			      run.d[i].policy, run.d[i].message);
	for (size_t i = 0; i < run.res.n_nas; i++)
		ck_assert_msg(strstr(run.res.nas[i].reason, CANARY) == NULL, "%s: %s leaked in not-applicable: %s",
			      path, run.res.nas[i].pp->p->name, run.res.nas[i].reason);

	/* Remediations at level remediate: secrets stay wrapped. */
	struct pack *pk = pct_pack();
	char *e = NULL;
	struct pack_layer l;
	ck_assert(pack_layer_parse_json(&a, "{\"all\":\"remediate\"}", 19, &l, &e) == 0);
	ck_assert(pack_configure(pk, &l, &e) == 0);
	for (size_t i = 0; i < run.doc.n; i++) {
		struct run_result res;
		run_result_init(&res);
		ck_assert(run_remediate(pk, pack_snapshot(pk), &a, &run.doc.inputs[i], &res) == 0);
		for (size_t k = 0; k < res.n_rems; k++) {
			char *shown = pv_to_json(&a, res.rems[k].props);
			ck_assert_msg(strstr(shown, CANARY) == NULL, "%s: remediation by %s unwrapped a secret", path,
				      res.rems[k].pp->p->name);
			ck_assert(strstr(res.rems[k].diagnostic, CANARY) == NULL);
		}
	}
	pct_run_free(&run);

	/* Check mode, every output format. */
	char tmp[] = "/tmp/pc-canary-XXXXXX";
	int fd = mkstemp(tmp);
	ck_assert(fd >= 0);
	ck_assert(write(fd, json, strlen(json)) == (ssize_t)strlen(json));
	close(fd);
	static const char *const formats[] = { "text", "json", "sarif" };
	for (int f = 0; f < 3; f++) {
		char *out = NULL, *errs = NULL;
		size_t ol, el;
		FILE *o = open_memstream(&out, &ol), *er = open_memstream(&errs, &el);
		char *argv[] = { "check", "--format", (char *)formats[f], tmp };
		int rc = checkmode_main(pk, 4, argv, o, er);
		fclose(o);
		fclose(er);
		ck_assert_msg(rc == CLI_OK || rc == CLI_VIOLATIONS, "%s: check --format %s: rc %d %s", path, formats[f],
			      rc, errs);
		ck_assert_msg(strstr(out, CANARY) == NULL, "%s: check --format %s printed a secret", path, formats[f]);
		ck_assert(strstr(errs, CANARY) == NULL);
		free(out);
		free(errs);
	}
	unlink(tmp);
	arena_release(&a);
}
END_TEST

int main(void)
{
	n_files = pct_fixture_files(&files);
	Suite *s = suite_create("secrets");
	TCase *tc = tcase_create("canary");
	tcase_set_timeout(tc, 60);
	if (n_files)
		tcase_add_loop_test(tc, canary_never_printed, 0, (int)n_files);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	pct_files_free(files, n_files);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
