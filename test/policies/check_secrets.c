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

#define CANARY PCT_CANARY

static char **files;
static size_t n_files;

START_TEST(canary_never_printed)
{
	const char *path = files[_i];
	struct arena a;
	arena_init(&a, 0);
	char *json = pct_canary_fixture(&a, path);
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
