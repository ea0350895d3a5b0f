// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguard deny|allow add|del|list: the source lists.  Changes go through
 * rtcguardd (the single writer); list reads the pinned maps, so it works
 * while the daemon is down.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "clock.h"
#include "args.h"
#include "cli.h"
#include "dataplane.h"
#include "pins.h"

static void list_usage(FILE *out, const char *action)
{
	fprintf(out,
		"Usage: rtcguard %s add CIDR [--ttl DURATION]\n"
		"       rtcguard %s del CIDR\n"
		"       rtcguard %s list\n"
		"\n"
		"%s sources by prefix (IPv4 or IPv6; host bits must be zero).  The longest\n"
		"matching prefix of the deny and allow lists decides.  --ttl (30s, 10m, 1h, 2d)\n"
		"makes the entry expire.  Entries added here are runtime entries, kept apart\n"
		"from the config's; a reload leaves them alone.  add/del need rtcguardd\n"
		"running; list reads the pinned maps.\n",
		action, action, action,
		strcmp(action, "deny") ? "Allow (skip policing, never validation) for"
				       : "Drop everything from");
}

struct list_walk {
	int fd;
	int family;
	uint8_t action;
	uint64_t now;
	json_object *arr;
};

static int list_entry_json(const void *key, void *arg)
{
	const struct list_walk *w = arg;
	const uint8_t *k = key;
	char addr[INET6_ADDRSTRLEN], prefix[INET6_ADDRSTRLEN + 5];
	struct rg_list_entry e;
	json_object *o;

	if (bpf_map_lookup_elem(w->fd, key, &e) || e.action != w->action)
		return 0;
	inet_ntop(w->family == 4 ? AF_INET : AF_INET6, k + 4, addr, sizeof(addr));
	snprintf(prefix, sizeof(prefix), "%s/%u", addr, *(const uint32_t *)key);
	o = json_object_new_object();
	json_object_object_add(o, "prefix", json_object_new_string(prefix));
	json_object_object_add(o, "origin", json_object_new_string(e.origin == RG_ORIGIN_CONFIG ? "config"
												  : "runtime"));
	json_object_object_add(o, "expires_in_seconds",
			       !e.expires_ns ? NULL
			       : json_object_new_int64(e.expires_ns > w->now
							       ? (int64_t)((e.expires_ns - w->now) / 1000000000ull)
							       : 0));
	json_object_array_add(w->arr, o);
	return 0;
}

static void list_print(json_object *arr, const char *action)
{
	size_t i, n = json_object_array_length(arr);

	printf("%-44s %-8s %s\n", "prefix", "origin", "expires");
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i), *v;

		json_object_object_get_ex(o, "expires_in_seconds", &v);
		printf("%-44s %-8s ", json_object_get_string(json_object_object_get(o, "prefix")),
		       json_object_get_string(json_object_object_get(o, "origin")));
		if (v)
			printf("in %llds\n", (long long)json_object_get_int64(v));
		else
			printf("never\n");
	}
	if (!n)
		printf("(no %s entries)\n", action);
}

static int list_show(const char *action)
{
	static const char *const maps[] = { "rg_list_v4", "rg_list_v6" };
	struct list_walk w = {
		.action = strcmp(action, "deny") ? RG_LIST_ALLOW : RG_LIST_DENY,
		.now = rg_monotonic_ns(),
		.arr = json_object_new_array(),
	};
	char err[512];

	for (int m = 0; m < 2; m++) {
		w.fd = pins_open_map(maps[m], err, sizeof(err));
		w.family = m ? 6 : 4;
		if (w.fd < 0) {
			cli_err("%s", err);
			json_object_put(w.arr);
			return 1;
		}
		map_for_each_key(w.fd, m ? sizeof(struct rg_lpm_v6) : sizeof(struct rg_lpm_v4),
				 list_entry_json, &w);
		close(w.fd);
	}
	if (g.json)
		print_json(w.arr);
	else
		list_print(w.arr, action);
	json_object_put(w.arr);
	return 0;
}

static int list_cmd(const char *action, int argc, char **argv)
{
	struct rg_prefix p;
	json_object *req;
	uint64_t ttl = 0;
	char err[256];
	int i, add;

	if (argc >= 2 && !strcmp(argv[argc - 1], "--help")) {
		list_usage(stdout, action);
		return 0;
	}
	if (argc < 2) {
		cli_err("%s: expected add, del or list (try 'rtcguard %s --help')", action, action);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "list")) {
		if (argc != 2) {
			cli_err("%s list: unexpected argument '%s'", action, argv[2]);
			return EXIT_USAGE;
		}
		return list_show(action);
	}
	add = !strcmp(argv[1], "add");
	if (!add && strcmp(argv[1], "del")) {
		cli_err("%s: unknown verb '%s' (expected add, del or list)", action, argv[1]);
		return EXIT_USAGE;
	}
	if (argc < 3) {
		cli_err("%s %s: CIDR missing", action, argv[1]);
		return EXIT_USAGE;
	}
	if (parse_cidr(argv[2], &p, err, sizeof(err))) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	for (i = 3; i < argc; i++) {
		if (add && !strcmp(argv[i], "--ttl") && i + 1 == argc) {
			cli_err("%s add: --ttl needs a value (e.g. 30s, 10m, 1h)", action);
			return EXIT_USAGE;
		} else if (add && !strcmp(argv[i], "--ttl")) {
			if (parse_duration(argv[++i], &ttl, err, sizeof(err))) {
				cli_err("%s", err);
				return EXIT_USAGE;
			}
		} else {
			cli_err("%s %s: unexpected argument '%s'", action, argv[1], argv[i]);
			return EXIT_USAGE;
		}
	}
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string(add ? "list-add" : "list-del"));
	json_object_object_add(req, "action", json_object_new_string(action));
	json_object_object_add(req, "prefix", json_object_new_string(argv[2]));
	if (ttl)
		json_object_object_add(req, "ttl_ns", json_object_new_int64((int64_t)ttl));
	if (control_call(req, NULL))
		return 1;
	if (g.json)
		printf("{\"ok\":true}\n");
	return 0;
}

int cmd_deny(int argc, char **argv)
{
	return list_cmd("deny", argc, argv);
}

int cmd_allow(int argc, char **argv)
{
	return list_cmd("allow", argc, argv);
}
