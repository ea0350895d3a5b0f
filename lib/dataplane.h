/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading the real BPF object and talking to its maps: used by the CLI's
 * classify, the selftests and the bench (unpinned: they can never touch a
 * live daemon's maps) and by the daemon (pinned).
 */
#ifndef RG_LIB_DATAPLANE_H
#define RG_LIB_DATAPLANE_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

struct bpf_object;

struct rg_dataplane {
	struct bpf_object *obj;
	int prog_fd;
	size_t max_test_frame; /* 0 until probed */
	int config_fd, scope4_fd, scope6_fd, list4_fd, list6_fd, reflect_fd, stats_fd, last_fd;
	int ifaces_fd, ports_fd, lists_used_fd;
};

struct rg_load_opts {
	uint32_t ifslot;      /* counter block this program instance owns */
	int record_last;      /* write each judgement into rg_last (tests, classify) */
	const char *pin_dir;  /* NULL: unpinned; else maps bound to pins there */
	uint32_t list_entries; /* 0: the object's default */
	uint32_t prefixes;     /* 0: the object's default */
};

/* Default object path: next to the running binary, else the install path. */
const char *dataplane_default_object(char *buf, size_t len);

/* Open and load the object, unpinned.  Returns 0 or -errno; err gets a message. */
int dataplane_load(struct rg_dataplane *dp, const char *path, const struct rg_load_opts *opts,
		   char *err, size_t errlen);
void dataplane_close(struct rg_dataplane *dp);

/*
 * Open the object without loading it, knobs and pins set, for libxdp to load
 * and attach.  NULL with a message on failure.
 */
struct bpf_object *dataplane_open_object(const char *path, const struct rg_load_opts *opts,
					 char *err, size_t errlen);

/*
 * Make the maps hold the policy: scopes, reflection ports and STUN methods
 * replaced; config-origin list entries reconciled (added, updated, removed)
 * while runtime entries, counters and the bypass switch stay as they are.
 */
int dataplane_apply(struct rg_dataplane *dp, const struct rg_policy *pol);

/*
 * Run one frame through the program with BPF_PROG_TEST_RUN; *xdp_ret is the
 * XDP action and *j what the path decided.  -EMSGSIZE when the frame's
 * size is outside what the kernel's test run takes (under 14 bytes, or
 * more than dataplane_max_test_frame()).
 */
int dataplane_test_run(struct rg_dataplane *dp, const void *frame, size_t len, uint32_t repeat,
		       uint32_t *xdp_ret, uint32_t *duration_ns, struct rg_judgement *j);

/*
 * Tell the program which source lists hold entries (an empty list then
 * costs no lookup).  Call after every change of the list maps.
 */
int dataplane_sync_lists_used(struct rg_dataplane *dp);

/* The largest key of a map rtcguard walks (the IPv6 LPM key). */
#define RG_MAP_KEY_MAX 20

/* Call fn on every key of a map; stops at fn's first non-zero return and returns it. */
int map_for_each_key(int fd, size_t key_size, int (*fn)(const void *key, void *arg), void *arg);
/* Delete every key that keep() rejects; returns how many, or -errno. */
int map_delete_unless(int fd, size_t key_size, int (*keep)(const void *key, const void *arg),
		      const void *arg);

/* The largest frame BPF_PROG_TEST_RUN accepts for this program. */
size_t dataplane_max_test_frame(struct rg_dataplane *dp);

/* Sum a counter slot of one interface block over all CPUs. */
int dataplane_read_counter(struct rg_dataplane *dp, uint32_t ifslot, uint32_t slot,
			   struct rg_counter *sum);

#endif
