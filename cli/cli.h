/* SPDX-License-Identifier: GPL-2.0 */
/* The rtcguard command-line tool: shared state of the nouns. */
#ifndef RG_CLI_H
#define RG_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

/* Exit codes: 0 ok, 1 failure, 2 usage. */
#define EXIT_USAGE 2

struct cli_globals {
	int json;
};

extern struct cli_globals g;

/* One-line error to stderr, prefixed with the program's name. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_classify(int argc, char **argv);
int cmd_deny(int argc, char **argv);
int cmd_allow(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_detach(int argc, char **argv);
int cmd_bypass(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_config(int argc, char **argv);

/* One request to rtcguardd; NULL with a message in err when unreachable. */
json_object *control_request(json_object *req, char *err, size_t errlen);
/* Send req (consumed); on {"ok":false} or no daemon print the error. 0 or 1. */
int control_call(json_object *req, json_object **resp);
/* Print a JSON value as one line. */
void print_json(json_object *o);

#endif
