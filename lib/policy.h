/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace model of what the data plane enforces: protected scopes,
 * source lists, reflection ports and global config.  The same model is
 * written into the BPF maps (lib/dataplane.c) and judged by the host build
 * of the packet path (policy_judge), so both always see identical state.
 */
#ifndef RG_LIB_POLICY_H
#define RG_LIB_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "rtcguard/abi.h"
#include "rtcguard/parse.h"

struct rg_prefix {
	uint8_t family; /* 4 or 6 */
	uint8_t len;    /* prefix length in bits */
	uint8_t addr[16];
};

struct rg_scope_rule {
	struct rg_prefix dst;
	struct rg_scope scope;
};

struct rg_list_rule {
	struct rg_prefix src;
	struct rg_list_entry entry;
};

struct rg_policy {
	struct rg_config config;
	uint64_t reflect[RG_REFLECT_WORDS];
	struct rg_scope_rule *scopes;
	size_t nscopes;
	struct rg_list_rule *lists;
	size_t nlists;
};

/* Default reflection source ports (DESIGN.md step 3), 0-terminated. */
extern const uint16_t rg_default_reflection_ports[];
/* Default admitted STUN methods, 0xFFFF-terminated. */
extern const uint16_t rg_default_stun_methods[];

void policy_init_defaults(struct rg_policy *pol);
void policy_free(struct rg_policy *pol);
void policy_set_reflection_port(struct rg_policy *pol, uint16_t port, int on);
int policy_add_scope(struct rg_policy *pol, const struct rg_prefix *dst, const struct rg_scope *scope);
/* Protect every destination of both families on the given ranges. */
int policy_protect_everything(struct rg_policy *pol, const struct rg_port_range *ranges, size_t n);
int policy_add_list(struct rg_policy *pol, const struct rg_prefix *src, const struct rg_list_entry *e);

/* The host build of the packet's path over a frame; now_ns for list expiry. */
int policy_judge(const struct rg_policy *pol, const uint8_t *frame, size_t len, uint64_t now_ns,
		 struct rg_pkt *pkt, struct rg_judgement *j);

/* Does prefix p contain address addr of the same family? */
int prefix_contains(const struct rg_prefix *p, uint8_t family, const uint8_t *addr);

#endif
