/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Everything that crosses the kernel/user boundary: map keys and values,
 * capacities, and the layout version that guards pinned maps.  Fixed-width
 * types only; a change here that alters a pinned map bumps RG_LAYOUT_VERSION.
 */
#ifndef RTCGUARD_ABI_H
#define RTCGUARD_ABI_H

#include "compat.h"
#include "reasons.h"

#define RG_LAYOUT_VERSION 1

#define RG_MAX_IFACES 64         /* counter slots: one block per attached interface */
#define RG_MAX_PORT_RANGES 8     /* port ranges per protected prefix */
#define RG_MAX_PREFIXES 1024     /* protected destination prefixes per family */
#define RG_MAX_LIST_ENTRIES 65536 /* source list entries per family */

#define RG_STUN_METHOD_WORDS 4   /* admitted STUN methods 0x000-0x0FF as a bitmap */

/* Per-range flags. */
#define RG_RANGE_MONITOR (1u << 0)        /* count would-be drops, drop nothing */
#define RG_RANGE_PASS_FIRST_FRAG (1u << 1) /* pass first fragments unchecked */

/* One protected port range of a destination prefix. */
struct rg_port_range {
	__u16 lo;
	__u16 hi;
	__u16 admit; /* bitmap of enum rg_kind */
	__u16 flags; /* RG_RANGE_* */
};

/* Per-prefix flags. */
#define RG_SCOPE_DROP_LATER_FRAGS (1u << 0)

/* Value of the protected-destination LPM tries: the prefix's port ranges. */
struct rg_scope {
	__u32 flags; /* RG_SCOPE_* */
	__u32 nranges;
	struct rg_port_range range[RG_MAX_PORT_RANGES];
};

struct rg_lpm_v4 {
	__u32 prefixlen;
	__u8 addr[4];
};

struct rg_lpm_v6 {
	__u32 prefixlen;
	__u8 addr[16];
};

enum rg_list_action {
	RG_LIST_DENY = 1,
	RG_LIST_ALLOW = 2,
};

enum rg_list_origin {
	RG_ORIGIN_CONFIG = 1,
	RG_ORIGIN_RUNTIME = 2,
};

/* Value of the source-list LPM tries. */
struct rg_list_entry {
	__u8 action; /* enum rg_list_action */
	__u8 origin; /* enum rg_list_origin: config entries are reconciled on reload */
	__u8 pad[6];
	__u64 expires_ns; /* CLOCK_MONOTONIC (coarse); 0 = never */
};

/* Bits of the rg_lists_used map's element: which source list has entries. */
#define RG_LISTS_USED_V4 (1u << 0)
#define RG_LISTS_USED_V6 (1u << 1)

/* The single element of the config array map. */
struct rg_config {
	__u32 layout_version; /* RG_LAYOUT_VERSION of whoever wrote the pinned maps */
	__u32 bypass;         /* global kill switch: pass everything, counted */
	__u64 stun_methods[RG_STUN_METHOD_WORDS];
	__u32 scope_generation; /* bumped after every change of the scope maps */
	__u32 pad;
};

/*
 * Per-CPU memo of the last destination's scope (one per family): a media
 * server's packets go to few addresses, and a hit saves the trie walk, the
 * dearest step of the path (docs/performance.md).  Valid while generation
 * equals rg_config.scope_generation.
 */
struct rg_scope_memo {
	__u32 generation;
	__u32 has_scope;
	__u32 daddr[4];
	struct rg_scope scope;
};

/* Attachment record of an interface counter block (daemon and CLI only). */
struct rg_iface_rec {
	char name[16];     /* IFNAMSIZ; "" = slot free */
	__u32 ifindex;     /* 0 when the interface is gone */
	__u32 prog_id;     /* attached program, 0 when detached */
	__u8 mode;         /* 1 native, 2 skb */
	__u8 dispatcher;   /* 1 when attached through libxdp's dispatcher */
	__u8 pad[6];
};

/* Counter value (per CPU). */
struct rg_counter {
	__u64 packets;
	__u64 bytes;
};

/* What the path decided for one packet (also the value of rg_last). */
struct rg_judgement {
	__u8 reason;    /* enum rg_reason of the exit */
	__u8 kind;      /* enum rg_kind the payload was taken for */
	__u8 monitored; /* a drop that monitor mode turned into a pass */
	__u8 allowed;   /* source matched an allow prefix (skips policing) */
};

/*
 * Port bitmaps (reflection source ports; destination ports protected by any
 * scope): 65536 bits, one __u64 word per array element.
 */
#define RG_REFLECT_WORDS (65536 / 64)

#endif
