/*
 * cliflag.c - splitting Go-style command-line words (see cli.h). Shared by
 * the analyzer and the language host, which the engine starts with the same
 * flag conventions.
 */
#include "cli.h"

#include <string.h>

enum cli_word cli_flag_split(const char *arg, const char **name, size_t *nlen, const char **val)
{
	if (arg[0] != '-' || arg[1] == '\0')
		return CLI_POSITIONAL;
	if (!strcmp(arg, "--"))
		return CLI_FLAGS_END;
	arg += arg[1] == '-' ? 2 : 1;
	*name = arg;
	*nlen = strcspn(arg, "=");
	*val = arg[*nlen] == '=' ? arg + *nlen + 1 : NULL;
	return CLI_FLAG;
}
