/*
 * lh_pack.c - what a `runtime: c` pack directory must hold, and where its
 * analyzer binary comes from.
 */
#define _XOPEN_SOURCE 700   /* realpath */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lh.h"

/* Trim a YAML scalar in place: quotes, trailing comment, blanks. */
static char *lh_yaml_scalar(char *v)
{
	char *end;

	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '"' || *v == '\'') {
		char q = *v++;
		end = strchr(v, q);
		if (end)
			*end = '\0';
		return v;
	}
	end = strstr(v, " #");
	if (end)
		*end = '\0';
	if (*v == '#')
		*v = '\0';
	end = v + strlen(v);
	while (end > v && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return v;
}

/*
 * The runtime name of a PulumiPolicy.yaml: `runtime: c`, or the block form
 * `runtime:\n  name: c\n  options: ...`. Not a YAML parser: top-level keys
 * start in column 0 and the block's keys are indented, which is how the
 * files Pulumi writes (and people write) look.
 */
static int lh_yaml_runtime(FILE *f, char *out, size_t outsz)
{
	char line[4096];
	int in_block = 0;

	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (in_block) {
			char *p = line;
			if (*p != ' ' && *p != '\t') {
				if (*p && *p != '#')
					return -1;   /* the block ended without a name */
				continue;
			}
			while (*p == ' ' || *p == '\t')
				p++;
			if (strncmp(p, "name:", 5) == 0) {
				snprintf(out, outsz, "%s", lh_yaml_scalar(p + 5));
				return 0;
			}
			continue;
		}
		if (strncmp(line, "runtime:", 8) != 0)
			continue;
		char *v = lh_yaml_scalar(line + 8);
		if (*v == '{') {
			/* Flow mapping: {name: c, options: {...}} */
			char *n = strstr(v, "name:");
			if (!n)
				return -1;
			n = lh_yaml_scalar(n + 5);
			n[strcspn(n, ",}")] = '\0';
			snprintf(out, outsz, "%s", lh_yaml_scalar(n));
			return 0;
		}
		if (*v) {
			snprintf(out, outsz, "%s", v);
			return 0;
		}
		in_block = 1;
	}
	return -1;
}

int lh_pack_check(const char *dir, char *why, size_t whysz)
{
	char path[PATH_MAX + 32], rt[256];
	struct stat sb;
	FILE *f;
	int rc;

	if (!dir || !*dir) {
		snprintf(why, whysz, "no pack directory given");
		return -1;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(why, whysz, "%s is not a directory", dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/PulumiPolicy.yaml", dir);
	f = fopen(path, "r");
	if (!f) {
		snprintf(why, whysz, "%s: %s (not a policy pack directory)", path, strerror(errno));
		return -1;
	}
	rc = lh_yaml_runtime(f, rt, sizeof(rt));
	fclose(f);
	if (rc < 0) {
		snprintf(why, whysz, "%s has no runtime: set `runtime: %s`", path, LH_RUNTIME);
		return -1;
	}
	if (strcmp(rt, LH_RUNTIME) != 0) {
		snprintf(why, whysz, "%s says runtime %s; %s only runs `runtime: %s` packs", path, rt, LH_PROG,
			 LH_RUNTIME);
		return -1;
	}
	return 0;
}

const char *lh_platform(void)
{
	static char buf[128];
	struct utsname u;
	const char *os = "linux", *arch;

	if (buf[0])
		return buf;
	if (uname(&u) != 0)
		return "linux-amd64";
	if (strcmp(u.sysname, "Darwin") == 0)
		os = "darwin";
	if (strcmp(u.machine, "x86_64") == 0 || strcmp(u.machine, "amd64") == 0)
		arch = "amd64";
	else if (strcmp(u.machine, "aarch64") == 0 || strcmp(u.machine, "arm64") == 0)
		arch = "arm64";
	else
		arch = u.machine;
	/* main() calls this before the server starts, so threads only ever read buf. */
	snprintf(buf, sizeof(buf), "%.16s-%.64s", os, arch);
	return buf;
}

static int lh_is_exe(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && access(p, X_OK) == 0;
}

/* Append `s` to the "tried" list in `why`. */
static void lh_tried(char *why, size_t whysz, const char *s)
{
	size_t n = strlen(why);

	if (n + 3 < whysz)
		snprintf(why + n, whysz - n, "%s%s", n ? ", " : "", s);
}

/* "1.2.3" -> comparable triple; non-numeric parts count as 0. */
static void lh_semver(const char *v, long out[3])
{
	for (int i = 0; i < 3; i++) {
		char *end;
		out[i] = strtol(v, &end, 10);
		v = *end == '.' ? end + 1 : end;
	}
}

/*
 * `pulumi plugin install analyzer policy-c <ver> --file ...` puts the
 * analyzer in $PULUMI_HOME/plugins/analyzer-policy-c-v<ver>/ (default
 * ~/.pulumi), which is not on PATH and not next to a language host
 * installed the same way. Our own version wins, else the newest there.
 */
static int lh_plugin_cache(char *out, size_t outsz, char *why, size_t whysz)
{
	const char *home = getenv("PULUMI_HOME"), *uhome = getenv("HOME");
	char dir[PATH_MAX];
	long bestv[3] = { -1, -1, -1 };
	int found = 0, n;
	struct dirent *e;
	DIR *d;

	if (home && *home)
		n = snprintf(dir, sizeof(dir), "%s/plugins", home);
	else if (uhome && *uhome)
		n = snprintf(dir, sizeof(dir), "%s/.pulumi/plugins", uhome);
	else
		return -1;
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -1;
	n = snprintf(out, outsz, "%s/analyzer-policy-c-v%s/%s", dir, PC_VERSION, LH_ANALYZER);
	if (n > 0 && (size_t)n < outsz && lh_is_exe(out))
		return 0;
	lh_tried(why, whysz, dir);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char cand[PATH_MAX + 512];
		long v[3];
		if (strncmp(e->d_name, "analyzer-policy-c-v", 19) != 0)
			continue;
		lh_semver(e->d_name + 19, v);
		if (!(v[0] > bestv[0] || (v[0] == bestv[0] && (v[1] > bestv[1] || (v[1] == bestv[1] && v[2] > bestv[2])))))
			continue;
		n = snprintf(cand, sizeof(cand), "%s/%s/%s", dir, e->d_name, LH_ANALYZER);
		if (n < 0 || (size_t)n >= sizeof(cand) || (size_t)n >= outsz || !lh_is_exe(cand))
			continue;
		memcpy(bestv, v, sizeof(v));
		memcpy(out, cand, (size_t)n + 1);
		found = 1;
	}
	closedir(d);
	return found ? 0 : -1;
}

int lh_find_analyzer(const struct lh_state *lh, const char *pack_dir, char *out, size_t outsz, char *why,
		     size_t whysz)
{
	char cand[PATH_MAX + 128];
	const char *path = getenv("PATH");

	why[0] = '\0';
	if (pack_dir && *pack_dir) {
		snprintf(cand, sizeof(cand), "%s/bin/%s/%s", pack_dir, lh_platform(), LH_ANALYZER);
		if (lh_is_exe(cand))
			goto found;
		lh_tried(why, whysz, cand);
	}
	if (lh->self_dir[0]) {
		snprintf(cand, sizeof(cand), "%s/%s", lh->self_dir, LH_ANALYZER);
		if (lh_is_exe(cand))
			goto found;
		lh_tried(why, whysz, cand);
	}
	while (path && *path) {
		size_t len = strcspn(path, ":");
		/* An empty PATH entry means the current directory, as in execvp. */
		snprintf(cand, sizeof(cand), "%.*s/%s", len ? (int)len : 1, len ? path : ".", LH_ANALYZER);
		if (lh_is_exe(cand))
			goto found;
		path += len;
		if (*path == ':')
			path++;
	}
	lh_tried(why, whysz, "$PATH");
	if (lh_plugin_cache(cand, sizeof(cand), why, whysz) == 0)
		goto found;
	return -1;
found:
	/* A relative PATH entry must not depend on the child's working directory. */
	if (cand[0] != '/') {
		char abs[PATH_MAX];
		if (!realpath(cand, abs)) {
			snprintf(why, whysz, "%s: %s", cand, strerror(errno));
			return -1;
		}
		snprintf(cand, sizeof(cand), "%s", abs);
	}
	if (snprintf(out, outsz, "%s", cand) >= (int)outsz) {
		snprintf(why, whysz, "path too long: %s", cand);
		return -1;
	}
	return 0;
}
