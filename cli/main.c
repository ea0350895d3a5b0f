// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguard: the operator's tool, ip/bpftool style.  Global options may
 * stand before the noun or after the verb: `rtcguard -j classify ...` and
 * `rtcguard classify ... -j` are the same.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef RG_VERSION
#define RG_VERSION "dev"
#endif

struct cli_globals g;

void cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("rtcguard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
}

static const struct {
	const char *noun;
	int (*run)(int argc, char **argv);
	const char *summary;
} nouns[] = {
	{ "status", cmd_status, "is rtcguard attached, where, how; is the daemon up" },
	{ "stats", cmd_stats, "packets and bytes by interface, verdict and reason" },
	{ "deny", cmd_deny, "deny list: add|del|list CIDR [--ttl DURATION]" },
	{ "allow", cmd_allow, "allow list: add|del|list CIDR [--ttl DURATION]" },
	{ "reload", cmd_reload, "make rtcguardd re-read its config" },
	{ "config", cmd_config, "config check FILE: validate a config file" },
	{ "bypass", cmd_bypass, "on|off: the global kill switch (works without the daemon)" },
	{ "detach", cmd_detach, "IFACE|--all: remove rtcguard (works without the daemon)" },
	{ "classify", cmd_classify, "judge every frame of a capture file as rtcguard would" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: rtcguard [GLOBAL OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"rtcguard manages the rtcguard XDP protection layer for RTC media servers.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		fprintf(out, "  %-9s %s\n", nouns[i].noun, nouns[i].summary);
	fprintf(out,
		"\n"
		"Global options (before the command or after its arguments):\n"
		"  -j, --json     JSON output (JSON Lines for per-item output)\n"
		"  -h, --help     this help; `rtcguard COMMAND --help` for a command\n"
		"  -V, --version  print the version\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n");
}

/* Pull the global options out of argv wherever they stand; returns the new argc. */
static int take_globals(int argc, char **argv, int *help, int *version)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			g.json = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			*help = 1;
		else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version"))
			*version = 1;
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int main(int argc, char **argv)
{
	int help = 0, version = 0;
	size_t i;

	argc = take_globals(argc - 1, argv + 1, &help, &version);
	argv++;
	if (version) {
		printf("rtcguard %s\n", RG_VERSION);
		return 0;
	}
	if (argc == 0) {
		usage(help ? stdout : stderr);
		return help ? 0 : EXIT_USAGE;
	}
	for (i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++) {
		if (strcmp(argv[0], nouns[i].noun) == 0) {
			if (help) {
				char *h[] = { argv[0], "--help", NULL };

				return nouns[i].run(2, h);
			}
			return nouns[i].run(argc, argv);
		}
	}
	cli_err("unknown command '%s' (try 'rtcguard --help')", argv[0]);
	return EXIT_USAGE;
}
