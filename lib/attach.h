/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attaching rtcguard to interfaces with libxdp (dispatcher where the kernel
 * allows it, libxdp's single-program fallback where not), finding an
 * rtcguard program already attached (to adopt it), and detaching.
 */
#ifndef RG_LIB_ATTACH_H
#define RG_LIB_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "dataplane.h"

enum rg_xdp_mode {
	RG_MODE_NONE = 0,
	RG_MODE_NATIVE = 1,
	RG_MODE_SKB = 2,
};

struct rg_attachment {
	uint32_t prog_id;
	enum rg_xdp_mode mode;
	int dispatcher; /* attached through libxdp's multi-program dispatcher */
};

const char *xdp_mode_name(enum rg_xdp_mode m);

/*
 * The rtcguard program attached to ifindex whose maps include the map
 * stats_map_id (so it uses these pins), if any.  1 found, 0 none, -1 error.
 */
int attach_find(int ifindex, uint32_t stats_map_id, struct rg_attachment *out);

/*
 * Load a program instance for counter block ifslot, maps bound to the pins,
 * and attach it.  want is NATIVE, SKB or NONE (= native, else skb).
 * 0 or -1 with a one-line message.
 */
int attach_new(const char *object, const struct rg_load_opts *opts, int ifindex,
	       enum rg_xdp_mode want, struct rg_attachment *out, char *err, size_t errlen);

/* Detach whatever rtcguard program is attached to ifindex.  1 detached, 0 none, -1 error. */
int attach_remove(int ifindex, uint32_t stats_map_id, char *err, size_t errlen);

/* Id of the map behind fd, 0 on error. */
uint32_t map_id_of_fd(int fd);

#endif
