/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus exposition of rtcguardd's state (rendering) and the HTTP
 * endpoint that serves it (libmicrohttpd, its own thread, so a slow or
 * stuck client never blocks the daemon).
 */
#ifndef RG_LOADER_METRICS_H
#define RG_LOADER_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "rtcguard/abi.h"

struct rg_metrics_iface {
	char name[16];
	uint32_t ifindex;
	int attached;             /* 0 when configured but absent or detached */
	const char *attach_mode;  /* "native", "skb", or "none" */
	const char *attach_kind;  /* "dispatcher" or "single" */
	uint32_t prog_id;
	struct rg_counter slots[RG_SLOTS_PER_IFACE]; /* summed over CPUs */
};

struct rg_metrics_map {
	const char *name; /* map name, e.g. "rg_list_v4" */
	uint64_t entries;
	uint64_t max_entries;
};

struct rg_metrics_list {
	const char *action; /* "deny" or "allow" */
	const char *origin; /* "config" or "runtime" */
	const char *family; /* "ipv4" or "ipv6" */
	uint64_t entries;
};

struct rg_metrics_snapshot {
	const char *version;
	double start_time_seconds; /* unix time the daemon started */
	int bypass;
	size_t nifaces;
	struct rg_metrics_iface *ifaces;
	size_t nmaps;
	struct rg_metrics_map *maps;
	size_t nlists;
	struct rg_metrics_list *lists;
};

/*
 * Render the exposition (text format 0.0.4) into a malloc'd string.
 * Returns its length, or -1 on allocation failure.
 */
long metrics_render(const struct rg_metrics_snapshot *s, char **out);

/*
 * Fill a snapshot for one scrape; called on the HTTP thread.  Returns 0, or
 * -1 to answer 503.  release is called after rendering.
 */
typedef int (*metrics_collect_fn)(void *arg, struct rg_metrics_snapshot *s);
typedef void (*metrics_release_fn)(void *arg, struct rg_metrics_snapshot *s);

struct rg_metrics_server;

/* Serve GET /metrics on listen ("ADDR:PORT" or "[V6]:PORT"); other paths 404. */
struct rg_metrics_server *metrics_server_start(const char *listen, metrics_collect_fn collect,
					       metrics_release_fn release, void *arg, char *err,
					       size_t errlen);
void metrics_server_stop(struct rg_metrics_server *srv);

#endif
