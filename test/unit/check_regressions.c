/*
 * check_regressions.c - every input that ever crashed a fuzz target (or
 * tripped a sanitizer) stays a test: test/regressions/<target>-<what>.bin is
 * fed through the very body the fuzzer ran (fz_<target> in
 * fuzz/fuzz_support.c, included below), so the ASan/UBSan build re-checks
 * it on every run. <target> is the corpus name: analyze, analyze_stack,
 * configure, parsers, checkmode.
 *
 * To add one: copy fuzz/crashes/fuzz_<target>-crash-<sha> to
 * test/regressions/<target>-<short-description>.bin.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

/* The fuzz targets' bodies, compiled into this suite (no libFuzzer involved). */
#include "../../fuzz/fuzz_support.c"

#define REG_DIR PC_SOURCE_DIR "/test/regressions"

static char **reg_files;
static size_t reg_n;

static int reg_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void reg_list(void)
{
	DIR *d = opendir(REG_DIR);
	struct dirent *e;
	size_t cap = 0;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".bin") != 0)
			continue;
		if (reg_n == cap) {
			cap = cap ? cap * 2 : 16;
			reg_files = realloc(reg_files, cap * sizeof(*reg_files));
			if (!reg_files)
				abort();
		}
		reg_files[reg_n++] = strdup(e->d_name);
	}
	closedir(d);
	if (reg_n)
		qsort(reg_files, reg_n, sizeof(*reg_files), reg_cmp);
}

/* "analyze_stack-foo.bin" -> fz_analyze_stack; NULL when the prefix names no target. */
static fz_target_fn reg_target(const char *file)
{
	char name[64];
	const char *dash = strchr(file, '-');
	size_t n = dash ? (size_t)(dash - file) : 0;

	if (!n || n >= sizeof(name))
		return NULL;
	memcpy(name, file, n);
	name[n] = '\0';
	return fz_target(name);
}

static uint8_t *reg_read(const char *file, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", REG_DIR, file);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

START_TEST(regression_input)
{
	const char *file = reg_files[_i];
	fz_target_fn fn = reg_target(file);
	size_t len;

	ck_assert_msg(fn != NULL, "%s: the name must start with a target (analyze, analyze_stack, configure, "
		      "parsers, checkmode) and a '-'", file);
	uint8_t *b = reg_read(file, &len);
	if (fn == fz_analyze)
		fz_analyze_init();
	/* A crash, abort or sanitizer report ends the test (the suite forks per test unless CK_FORK=no). */
	fn(b, len);
	free(b);
}
END_TEST

START_TEST(directory_is_not_empty)
{
	/* The fuzz-found port overflow is the first entry; an empty list means the path is wrong. */
	ck_assert_msg(reg_n > 0, "no *.bin files in %s", REG_DIR);
}
END_TEST

int main(void)
{
	reg_list();
	Suite *s = suite_create("regressions");
	TCase *tc = tcase_create("fuzz-crashes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, directory_is_not_empty);
	if (reg_n)
		tcase_add_loop_test(tc, regression_input, 0, (int)reg_n);
	suite_add_tcase(s, tc);
	int rc = pct_run_suite(s);
	for (size_t i = 0; i < reg_n; i++)
		free(reg_files[i]);
	free(reg_files);
	if (ready) {
		an_free(&st);
		pack_free(&pk);
	}
	return rc;
}
