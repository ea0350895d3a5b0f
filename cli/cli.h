/* SPDX-License-Identifier: GPL-2.0 */
/* The rtcguard command-line tool: shared state of the nouns. */
#ifndef RG_CLI_H
#define RG_CLI_H

#include <stdio.h>

/* Exit codes: 0 ok, 1 failure, 2 usage. */
#define EXIT_USAGE 2

struct cli_globals {
	int json;
};

extern struct cli_globals g;

/* One-line error to stderr, prefixed with the program's name. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_classify(int argc, char **argv);

#endif
