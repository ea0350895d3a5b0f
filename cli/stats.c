// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguard status and stats: read from the pinned maps, so both work while
 * rtcguardd is down (and say so).
 */
#include <math.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "attach.h"
#include "cli.h"
#include "pins.h"

struct iface_counters {
	struct rg_iface_rec rec;
	uint32_t slot;
	struct rg_counter c[RG_SLOTS_PER_IFACE];
};

/*
 * The daemon's status answer; NULL when it is not running.  A daemon that
 * answers with an error (busy) is running: its answer says so.
 */
static json_object *daemon_status(void)
{
	json_object *req = json_object_new_object(), *resp;
	char err[256];

	json_object_object_add(req, "cmd", json_object_new_string("status"));
	resp = control_request(req, err, sizeof(err));
	json_object_put(req);
	return resp;
}

/* Read every used counter block; returns the count or -1. */
static int read_counters(struct iface_counters *out, int max)
{
	int ifaces_fd, stats_fd, ncpu = libbpf_num_possible_cpus(), n = 0;
	struct rg_counter *per = calloc((size_t)ncpu, sizeof(*per));
	char err[512];
	uint32_t slot;

	ifaces_fd = pins_open_map("rg_ifaces", err, sizeof(err));
	stats_fd = ifaces_fd < 0 ? -1 : pins_open_map("rg_stats", err, sizeof(err));
	if (ifaces_fd < 0 || stats_fd < 0 || !per) {
		cli_err("%s", err);
		free(per);
		return -1;
	}
	for (slot = 0; slot < RG_MAX_IFACES && n < max; slot++) {
		struct iface_counters *ic = &out[n];

		if (bpf_map_lookup_elem(ifaces_fd, &slot, &ic->rec) || !ic->rec.name[0])
			continue;
		ic->slot = slot;
		for (uint32_t s = 0; s < RG_SLOTS_PER_IFACE; s++) {
			uint32_t idx = slot * RG_SLOTS_PER_IFACE + s;

			memset(&ic->c[s], 0, sizeof(ic->c[s]));
			if (bpf_map_lookup_elem(stats_fd, &idx, per))
				continue;
			for (int cpu = 0; cpu < ncpu; cpu++) {
				ic->c[s].packets += per[cpu].packets;
				ic->c[s].bytes += per[cpu].bytes;
			}
		}
		n++;
	}
	free(per);
	close(ifaces_fd);
	close(stats_fd);
	return n;
}

static json_object *counter_json(const char *verdict, const char *reason, const struct rg_counter *c,
				 const struct rg_counter *prev, double secs)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "verdict", json_object_new_string(verdict));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	json_object_object_add(o, "packets", json_object_new_uint64(c->packets));
	json_object_object_add(o, "bytes", json_object_new_uint64(c->bytes));
	if (prev && secs > 0)
		json_object_object_add(o, "packets_per_second",
				       json_object_new_double((double)(c->packets - prev->packets) / secs));
	return o;
}

static json_object *stats_json(const struct iface_counters *ic, int n, const struct iface_counters *prev,
			       double secs)
{
	json_object *arr = json_object_new_array();

	for (int i = 0; i < n; i++) {
		json_object *o = json_object_new_object(), *rows = json_object_new_array(),
			    *kinds = json_object_new_object();
		const struct iface_counters *p = prev ? &prev[i] : NULL;

		json_object_object_add(o, "interface", json_object_new_string(ic[i].rec.name));
		for (int r = 0; r < RG_REASON_COUNT; r++) {
			const struct rg_counter *c = &ic[i].c[RG_SLOT_REASON(r)];
			const struct rg_counter *m = &ic[i].c[RG_SLOT_MONITOR(r)];

			if (c->packets)
				json_object_array_add(rows, counter_json(rg_verdict_names[rg_reason_verdict[r]],
									 rg_reason_names[r], c,
									 p ? &p->c[RG_SLOT_REASON(r)] : NULL, secs));
			if (m->packets)
				json_object_array_add(rows, counter_json("monitor", rg_reason_names[r], m,
									 p ? &p->c[RG_SLOT_MONITOR(r)] : NULL, secs));
		}
		for (int k = 1; k < RG_KIND_COUNT; k++)
			if (ic[i].c[RG_SLOT_KIND(k)].packets)
				json_object_object_add(kinds, rg_kind_names[k],
						       json_object_new_uint64(ic[i].c[RG_SLOT_KIND(k)].packets));
		json_object_object_add(o, "counters", rows);
		json_object_object_add(o, "admitted_by_kind", kinds);
		json_object_array_add(arr, o);
	}
	return arr;
}

static void stats_print(json_object *arr, int rates)
{
	size_t i, j, n = json_object_array_length(arr);

	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i), *rows, *kinds;

		json_object_object_get_ex(o, "counters", &rows);
		json_object_object_get_ex(o, "admitted_by_kind", &kinds);
		printf("%s\n", json_object_get_string(json_object_object_get(o, "interface")));
		printf("  %-8s %-24s %14s %16s%s\n", "verdict", "reason", "packets", "bytes",
		       rates ? "      pkt/s" : "");
		for (j = 0; j < json_object_array_length(rows); j++) {
			json_object *r = json_object_array_get_idx(rows, j), *pps;

			printf("  %-8s %-24s %14llu %16llu",
			       json_object_get_string(json_object_object_get(r, "verdict")),
			       json_object_get_string(json_object_object_get(r, "reason")),
			       (unsigned long long)json_object_get_uint64(json_object_object_get(r, "packets")),
			       (unsigned long long)json_object_get_uint64(json_object_object_get(r, "bytes")));
			if (rates && json_object_object_get_ex(r, "packets_per_second", &pps))
				printf(" %11.1f", json_object_get_double(pps));
			printf("\n");
		}
		if (!json_object_array_length(rows))
			printf("  (no packets yet)\n");
		printf("  admitted by kind:");
		json_object_object_foreach(kinds, k, v)
			printf(" %s %llu", k, (unsigned long long)json_object_get_uint64(v));
		printf("%s\n", json_object_object_length(kinds) ? "" : " none");
	}
}

static const char stats_usage[] =
	"Usage: rtcguard stats [--watch] [--interval SECONDS]\n"
	"\n"
	"Packets and bytes per interface by verdict and reason (only reasons seen),\n"
	"rates over the interval (default 1 s), and admitted packets by kind.  Reads\n"
	"the pinned maps: works while rtcguardd is down.  --watch repeats until\n"
	"interrupted.\n";

int cmd_stats(int argc, char **argv)
{
	struct iface_counters *a = calloc(RG_MAX_IFACES, sizeof(*a)), *b = calloc(RG_MAX_IFACES, sizeof(*b));
	int watch = 0, n, i, rc = 0;
	double interval = 1.0;
	json_object *st;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--watch")) {
			watch = 1;
		} else if (!strcmp(argv[i], "--interval") && i + 1 == argc) {
			cli_err("stats: --interval needs a value in seconds");
			rc = EXIT_USAGE;
			goto out;
		} else if (!strcmp(argv[i], "--interval")) {
			char *end;

			interval = strtod(argv[++i], &end);
			if (*end || !isfinite(interval) || interval <= 0 || interval > 3600) {
				cli_err("stats: --interval must be more than 0 and at most 3600 seconds");
				rc = EXIT_USAGE;
				goto out;
			}
		} else if (!strcmp(argv[i], "--help")) {
			fputs(stats_usage, stdout);
			goto out;
		} else {
			cli_err("stats: unexpected argument '%s' (try 'rtcguard stats --help')", argv[i]);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (read_counters(a, RG_MAX_IFACES) < 0) {
		rc = 1;
		goto out;
	}
	st = daemon_status();
	if (!st && !g.json)
		printf("rtcguardd is not running: counters from the pinned maps\n");
	if (st)
		json_object_put(st);
	do {
		struct timespec ts = { (time_t)interval, (long)((interval - (long)interval) * 1e9) };
		json_object *arr;

		nanosleep(&ts, NULL);
		n = read_counters(b, RG_MAX_IFACES);
		if (n < 0) {
			rc = 1;
			break;
		}
		arr = stats_json(b, n, a, interval);
		if (g.json)
			print_json(arr);
		else
			stats_print(arr, 1);
		json_object_put(arr);
		memcpy(a, b, sizeof(*a) * RG_MAX_IFACES);
		fflush(stdout);
	} while (watch);
out:
	free(a);
	free(b);
	return rc;
}

static const char status_usage[] =
	"Usage: rtcguard status\n"
	"\n"
	"Is rtcguardd running; which interfaces carry rtcguard, in which mode, which\n"
	"program; the bypass switch.  Reads the pinned maps and the kernel: works while\n"
	"rtcguardd is down.\n";

int cmd_status(int argc, char **argv)
{
	struct iface_counters *ic = calloc(RG_MAX_IFACES, sizeof(*ic));
	json_object *out = json_object_new_object(), *ifs = json_object_new_array(), *st;
	struct rg_config cfg = { 0 };
	uint32_t zero = 0;
	char err[512];
	int n, fd, rc = 0;

	if (argc > 1) {
		if (!strcmp(argv[1], "--help")) {
			fputs(status_usage, stdout);
			goto out;
		}
		cli_err("status: unexpected argument '%s'", argv[1]);
		rc = EXIT_USAGE;
		goto out;
	}
	st = daemon_status();
	if (st) {
		json_object_object_del(st, "ok");
		json_object_object_add(st, "running", json_object_new_boolean(1));
	} else {
		st = json_object_new_object();
		json_object_object_add(st, "running", json_object_new_boolean(0));
	}
	json_object_object_add(out, "daemon", st);
	fd = pins_open_map("rg_config", err, sizeof(err));
	if (fd < 0 || bpf_map_lookup_elem(fd, &zero, &cfg)) {
		cli_err("%s", fd < 0 ? err : "cannot read rg_config");
		rc = 1;
		goto out;
	}
	close(fd);
	n = read_counters(ic, RG_MAX_IFACES);
	if (n < 0) {
		rc = 1;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int ifindex = (int)if_nametoindex(ic[i].rec.name);
		struct rg_attachment att = { 0 };
		json_object *o = json_object_new_object();
		int found = ifindex ? attach_find(ifindex, 0, &att) : 0;

		json_object_object_add(o, "interface", json_object_new_string(ic[i].rec.name));
		json_object_object_add(o, "present", json_object_new_boolean(ifindex != 0));
		json_object_object_add(o, "attached", json_object_new_boolean(found == 1));
		json_object_object_add(o, "mode", json_object_new_string(xdp_mode_name(found == 1 ? att.mode : RG_MODE_NONE)));
		json_object_object_add(o, "attach", json_object_new_string(found != 1 ? "none" : att.dispatcher ? "dispatcher" : "single"));
		json_object_object_add(o, "program_id", json_object_new_int64(found == 1 ? att.prog_id : 0));
		json_object_array_add(ifs, o);
	}
	json_object_object_add(out, "bypass", json_object_new_boolean(cfg.bypass != 0));
	json_object_object_add(out, "pin_dir", json_object_new_string(pins_dir()));
	json_object_object_add(out, "interfaces", ifs);
	ifs = NULL;
	if (g.json) {
		print_json(out);
	} else {
		json_object *d = json_object_object_get(out, "daemon"), *arr = json_object_object_get(out, "interfaces");

		int attached = 0;

		for (size_t i = 0; i < json_object_array_length(arr); i++)
			attached |= json_object_get_boolean(
				json_object_object_get(json_object_array_get_idx(arr, i), "attached"));
		if (!json_object_get_boolean(json_object_object_get(d, "running")))
			printf("rtcguardd: not running%s\n",
			       attached ? " (rtcguard keeps filtering with its pinned state)"
					: "; rtcguard is attached nowhere");
		else if (json_object_object_get_ex(d, "error", NULL))
			printf("rtcguardd: running, but it did not answer: %s\n",
			       json_object_get_string(json_object_object_get(d, "error")));
		else
			printf("rtcguardd: running, pid %d, up %llds, version %s, config %s\n",
			       json_object_get_int(json_object_object_get(d, "pid")),
			       (long long)json_object_get_int64(json_object_object_get(d, "uptime_seconds")),
			       json_object_get_string(json_object_object_get(d, "version")),
			       json_object_get_string(json_object_object_get(d, "config")));
		printf("bypass: %s\n", cfg.bypass ? "ON (everything passes unjudged)" : "off");
		printf("%-16s %-9s %-7s %-11s %s\n", "interface", "attached", "mode", "attach", "program");
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *o = json_object_array_get_idx(arr, i);

			printf("%-16s %-9s %-7s %-11s %lld%s\n",
			       json_object_get_string(json_object_object_get(o, "interface")),
			       json_object_get_boolean(json_object_object_get(o, "attached")) ? "yes" : "no",
			       json_object_get_string(json_object_object_get(o, "mode")),
			       json_object_get_string(json_object_object_get(o, "attach")),
			       (long long)json_object_get_int64(json_object_object_get(o, "program_id")),
			       json_object_get_boolean(json_object_object_get(o, "present")) ? "" : "  (interface absent)");
		}
	}
out:
	if (ifs)
		json_object_put(ifs);
	json_object_put(out);
	free(ic);
	return rc;
}
