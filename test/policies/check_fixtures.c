/*
 * check_fixtures.c - every fixture under test/fixtures, through check mode's
 * pipeline: a .fail fixture must produce its expected mandatory diagnostics
 * on the right URNs, its .fixed twin no mandatory diagnostic at all.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

static char **files;
static size_t n_files;

START_TEST(fixture_meets_expectations)
{
	const char *path = files[_i];
	int kind = pct_fixture_kind(path);
	ck_assert_msg(kind >= 0, "%s: fixture names end in .fail.json or .fixed.json", path);
	struct pct_run run;
	int rc = pct_run_file(&run, path);
	ck_assert_msg(rc == 0, "%s: %s", path, run.err ? run.err : "?");
	ck_assert_msg(*run.doc.title, "%s: fixture needs a \"title\"", path);
	const char *problem = pct_expect(&run.arena, &run.doc, kind == 1, run.d, run.n);
	ck_assert_msg(problem == NULL, "%s:%s", path, problem ? problem : "");
	pct_run_free(&run);
}
END_TEST

/* Every failing program has a fixed twin, and vice versa. */
START_TEST(fixtures_come_in_pairs)
{
	for (size_t i = 0; i < n_files; i++) {
		int kind = pct_fixture_kind(files[i]);
		if (kind < 0)
			continue;
		char twin[4096];
		size_t l = strlen(files[i]);
		size_t stem = l - (kind ? 10 : 11);
		snprintf(twin, sizeof(twin), "%.*s%s", (int)stem, files[i], kind ? ".fixed.json" : ".fail.json");
		int found = 0;
		for (size_t k = 0; k < n_files; k++)
			if (strcmp(files[k], twin) == 0)
				found = 1;
		ck_assert_msg(found, "%s has no twin %s", files[i], twin);
	}
}
END_TEST

int main(void)
{
	n_files = pct_fixture_files(&files);
	Suite *s = suite_create("fixtures");
	TCase *tc = tcase_create("check-mode");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fixtures_come_in_pairs);
	if (n_files)
		tcase_add_loop_test(tc, fixture_meets_expectations, 0, (int)n_files);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	pct_files_free(files, n_files);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
