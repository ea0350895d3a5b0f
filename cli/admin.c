// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguard detach, bypass, reload and config check.  detach and bypass are
 * the two emergency writes that work without rtcguardd (straight to the
 * kernel and the pinned maps); a daemon started later sees what they did.
 */
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "attach.h"
#include "cli.h"
#include "config.h"
#include "pins.h"

/* Tell a running daemon what an emergency write did, so its log has it; best effort. */
static void tell_daemon(const char *event)
{
	json_object *req = json_object_new_object(), *resp;
	char err[256];

	json_object_object_add(req, "cmd", json_object_new_string("note"));
	json_object_object_add(req, "event", json_object_new_string(event));
	resp = control_request(req, err, sizeof(err));
	json_object_put(req);
	if (resp)
		json_object_put(resp);
}

static int detach_one(const char *name, uint32_t stats_id, int ifaces_fd, uint32_t slot)
{
	int ifindex = (int)if_nametoindex(name), r;
	char err[256];

	if (!ifindex) {
		cli_err("detach: no interface '%s'", name);
		return 1;
	}
	r = attach_remove(ifindex, stats_id, err, sizeof(err));
	if (r < 0) {
		cli_err("detach %s: %s", name, err);
		return 1;
	}
	if (ifaces_fd >= 0 && slot != UINT32_MAX) {
		struct rg_iface_rec rec;

		if (bpf_map_lookup_elem(ifaces_fd, &slot, &rec) == 0) {
			rec.prog_id = 0;
			bpf_map_update_elem(ifaces_fd, &slot, &rec, BPF_ANY);
		}
	}
	if (r) {
		char event[64];

		snprintf(event, sizeof(event), "detach %s", name);
		tell_daemon(event);
	}
	if (!g.json)
		printf("%s: %s\n", name, r ? "rtcguard detached" : "rtcguard was not attached");
	return 0;
}

int cmd_detach(int argc, char **argv)
{
	int ifaces_fd, stats_fd, rc = 0, all;
	uint32_t stats_id = 0, slot;
	char err[512];

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("Usage: rtcguard detach IFACE | --all\n\n"
		       "Remove rtcguard's XDP program on purpose (traffic then reaches the host\n"
		       "unjudged).  Works without rtcguardd; a reload or restart of rtcguardd\n"
		       "attaches again.\n");
		return 0;
	}
	if (argc != 2) {
		cli_err("detach: expected IFACE or --all (try 'rtcguard detach --help')");
		return EXIT_USAGE;
	}
	all = !strcmp(argv[1], "--all");
	ifaces_fd = pins_open_map("rg_ifaces", err, sizeof(err));
	stats_fd = pins_open_map("rg_stats", err, sizeof(err));
	if (stats_fd >= 0)
		stats_id = map_id_of_fd(stats_fd);
	if (all && ifaces_fd < 0) {
		cli_err("detach --all: %s", err);
		return 1;
	}
	if (!all) {
		uint32_t found = UINT32_MAX;

		for (slot = 0; ifaces_fd >= 0 && slot < RG_MAX_IFACES; slot++) {
			struct rg_iface_rec rec;

			if (!bpf_map_lookup_elem(ifaces_fd, &slot, &rec) && !strcmp(rec.name, argv[1]))
				found = slot;
		}
		rc = detach_one(argv[1], stats_id, ifaces_fd, found);
	} else {
		for (slot = 0; slot < RG_MAX_IFACES; slot++) {
			struct rg_iface_rec rec;

			if (bpf_map_lookup_elem(ifaces_fd, &slot, &rec) || !rec.name[0])
				continue;
			if (if_nametoindex(rec.name))
				rc |= detach_one(rec.name, stats_id, ifaces_fd, slot);
		}
	}
	if (ifaces_fd >= 0)
		close(ifaces_fd);
	if (stats_fd >= 0)
		close(stats_fd);
	if (g.json && !rc)
		printf("{\"ok\":true}\n");
	return rc;
}

int cmd_bypass(int argc, char **argv)
{
	struct rg_config cfg;
	uint32_t zero = 0;
	char err[512];
	int fd, on;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("Usage: rtcguard bypass on|off\n\n"
		       "The global kill switch: with bypass on, every packet passes unjudged\n"
		       "(counted as 'bypass').  Works without rtcguardd; it survives reloads and\n"
		       "restarts until switched off.\n");
		return 0;
	}
	if (argc != 2 || (strcmp(argv[1], "on") && strcmp(argv[1], "off"))) {
		cli_err("bypass: expected on or off (try 'rtcguard bypass --help')");
		return EXIT_USAGE;
	}
	on = !strcmp(argv[1], "on");
	fd = pins_open_map("rg_config", err, sizeof(err));
	if (fd < 0) {
		cli_err("bypass: %s", err);
		return 1;
	}
	if (bpf_map_lookup_elem(fd, &zero, &cfg) || cfg.layout_version != RG_LAYOUT_VERSION) {
		cli_err("bypass: pinned config is of another rtcguard layout; refusing to write it");
		close(fd);
		return 1;
	}
	cfg.bypass = (uint32_t)on;
	if (bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY)) {
		cli_err("bypass: cannot write rg_config");
		close(fd);
		return 1;
	}
	close(fd);
	tell_daemon(on ? "bypass on" : "bypass off");
	if (g.json)
		printf("{\"bypass\":%s}\n", on ? "true" : "false");
	else
		printf("bypass %s\n", on ? "on: every packet passes unjudged" : "off: rtcguard judges again");
	return 0;
}

int cmd_reload(int argc, char **argv)
{
	json_object *req;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("Usage: rtcguard reload\n\nAsk rtcguardd to re-read its config (as SIGHUP does) and\n"
		       "report whether it took it.  A config that fails validation is refused and\n"
		       "the running state stays.\n");
		return 0;
	}
	if (argc != 1) {
		cli_err("reload: unexpected argument '%s'", argv[1]);
		return EXIT_USAGE;
	}
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("reload"));
	if (control_call(req, NULL))
		return 1;
	printf(g.json ? "{\"ok\":true}\n" : "reloaded\n");
	return 0;
}

int cmd_config(int argc, char **argv)
{
	struct rg_daemon_config cfg;
	char err[1024];

	if (argc >= 2 && !strcmp(argv[argc - 1], "--help")) {
		printf("Usage: rtcguard config check FILE\n\nValidate a config file as rtcguardd would, "
		       "without touching the data plane.\n");
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "check")) {
		cli_err("config: expected 'config check FILE' (try 'rtcguard config --help')");
		return EXIT_USAGE;
	}
	if (config_load(argv[2], &cfg, err, sizeof(err))) {
		cli_err("%s", err);
		return 1;
	}
	if (g.json)
		printf("{\"ok\":true,\"interfaces\":%zu,\"prefixes\":%zu}\n", cfg.nifaces, cfg.policy.nscopes);
	else
		printf("%s: ok (%zu interface%s, %zu protected prefix%s)\n", argv[2], cfg.nifaces,
		       cfg.nifaces == 1 ? "" : "s", cfg.policy.nscopes, cfg.policy.nscopes == 1 ? "" : "es");
	config_free(&cfg);
	return 0;
}
