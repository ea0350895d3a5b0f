/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The packet's path, steps 1 to 4 of the design: parse, scope, fragments,
 * reflection ports, source lists, classify.  Shared by the BPF program and
 * the host build, which differ only in where state comes from.  Before
 * including this file, the includer defines struct rg_env and:
 *
 *   int rg_env_bypass(struct rg_env *);
 *   int rg_env_port_protected(struct rg_env *, __u16 dport);  (in any scope: a cheap pre-filter)
 *   const struct rg_scope *rg_env_scope(struct rg_env *, const struct rg_pkt *);
 *   int rg_env_reflection_port(struct rg_env *, __u16 sport);
 *   int rg_env_source_action(struct rg_env *, const struct rg_pkt *);  (enum rg_list_action or 0;
 *       may skip the lookup while the family's list is empty)
 *   int rg_env_classify(struct rg_env *, const struct rg_pkt *, __u32 admit, __u8 *kind);
 */
#ifndef RTCGUARD_JUDGE_H
#define RTCGUARD_JUDGE_H

#include "abi.h"
#include "classify.h"
#include "parse.h"

/* The port range of a scope that holds dport, or NULL. */
RG_INLINE const struct rg_port_range *rg_scope_range(const struct rg_scope *s, __u16 dport)
{
	int i;

	for (i = 0; i < RG_MAX_PORT_RANGES; i++) {
		if ((__u32)i >= s->nranges)
			break;
		if (dport >= s->range[i].lo && dport <= s->range[i].hi)
			return &s->range[i];
	}
	return 0;
}

/* Steps 2b-4 for a datagram to a protected (prefix, port range). */
RG_INLINE int rg_judge_protected(struct rg_env *env, const struct rg_pkt *pkt,
				 const struct rg_port_range *range, struct rg_judgement *j)
{
	int action;

	if (pkt->frag == RG_FRAG_FIRST)
		return (range->flags & RG_RANGE_PASS_FIRST_FRAG) ? RG_R_FRAG_FIRST_PASSED
								  : RG_R_FRAG_FIRST;
	if (rg_env_reflection_port(env, pkt->sport))
		return RG_R_REFLECTION;
	action = rg_env_source_action(env, pkt);
	if (action == RG_LIST_DENY)
		return RG_R_DENYLIST;
	j->allowed = action == RG_LIST_ALLOW;
	return rg_env_classify(env, pkt, range->admit, &j->kind);
}

/* Judge one frame; returns the exit reason (also in j->reason). */
RG_INLINE int rg_judge(struct rg_env *env, const __u8 *data, const __u8 *end,
		       struct rg_pkt *pkt, struct rg_judgement *j)
{
	const struct rg_port_range *range;
	const struct rg_scope *scope;
	int r;

	j->kind = RG_K_NONE;
	j->monitored = 0;
	j->allowed = 0;
	if (rg_env_bypass(env)) {
		pkt->wire_len = (__u32)(end - data);
		r = RG_R_BYPASS;
		goto out;
	}
	r = rg_parse(data, end, pkt);
	if (r != RG_R_ADMITTED)
		goto out;
	/* Most UDP is to ports no range protects: one bit answers, no trie walk. */
	if (pkt->frag != RG_FRAG_LATER && !rg_env_port_protected(env, pkt->dport)) {
		r = RG_R_UNPROTECTED;
		goto out;
	}
	scope = rg_env_scope(env, pkt);
	if (!scope) {
		r = RG_R_UNPROTECTED;
		goto out;
	}
	if (pkt->frag == RG_FRAG_LATER) {
		r = (scope->flags & RG_SCOPE_DROP_LATER_FRAGS) ? RG_R_FRAG_LATER_DROPPED
							       : RG_R_FRAG_LATER;
		goto out;
	}
	range = rg_scope_range(scope, pkt->dport);
	if (!range) {
		r = RG_R_UNPROTECTED;
		goto out;
	}
	r = rg_judge_protected(env, pkt, range, j);
	j->monitored = rg_reason_drops(r) && (range->flags & RG_RANGE_MONITOR);
out:
	j->reason = (__u8)r;
	return r;
}

#endif
