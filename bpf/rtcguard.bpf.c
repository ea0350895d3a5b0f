// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguard's XDP program.  The packet's path, top to bottom:
 *
 *   bypass? -> parse (include/rtcguard/parse.h) -> protected destination?
 *   -> fragments -> reflection source port -> source lists
 *   -> classify and validate the payload (include/rtcguard/classify.h)
 *   -> count exactly one reason (and the kind when admitted) -> verdict
 *
 * The path itself is include/rtcguard/judge.h, shared with the host build;
 * this file supplies where state comes from (maps) and the accounting.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "rtcguard/abi.h"
#include "rtcguard/classify.h"
#include "rtcguard/parse.h"

/* Set before load: which block of counters this attachment owns. */
const volatile __u32 rg_ifslot = 0;
/* Set before load by classify and the tests: record each judgement in rg_last. */
const volatile __u32 rg_record_last = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rg_config);
} rg_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, RG_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rg_lpm_v4);
	__type(value, struct rg_scope);
} rg_scope_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, RG_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rg_lpm_v6);
	__type(value, struct rg_scope);
} rg_scope_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, RG_MAX_LIST_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rg_lpm_v4);
	__type(value, struct rg_list_entry);
} rg_list_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, RG_MAX_LIST_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rg_lpm_v6);
	__type(value, struct rg_list_entry);
} rg_list_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RG_REFLECT_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} rg_reflect SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct rg_scope_memo);
} rg_scope_memo SEC(".maps");

/* Destination ports some scope protects: the pre-filter before the tries. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RG_REFLECT_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} rg_ports SEC(".maps");

/* RG_LISTS_USED_*: lets an empty source list cost nothing. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} rg_lists_used SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RG_MAX_IFACES * RG_SLOTS_PER_IFACE);
	__type(key, __u32);
	__type(value, struct rg_counter);
} rg_stats SEC(".maps");

/* Which interface owns which counter block: written by the daemon, read by the CLI. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RG_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct rg_iface_rec);
} rg_ifaces SEC(".maps");

/* Only written when rg_record_last is set (never in the daemon). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rg_judgement);
} rg_last SEC(".maps");

struct rg_env {
	struct xdp_md *ctx;
	const struct rg_config *cfg;
};

static __always_inline int rg_env_bypass(struct rg_env *env)
{
	return env->cfg->bypass;
}

static __always_inline const struct rg_scope *rg_scope_lookup(const struct rg_pkt *pkt)
{
	if (pkt->family == 4) {
		struct rg_lpm_v4 k = { .prefixlen = 32 };

		__builtin_memcpy(k.addr, pkt->daddr, 4);
		return bpf_map_lookup_elem(&rg_scope_v4, &k);
	} else {
		struct rg_lpm_v6 k = { .prefixlen = 128 };

		__builtin_memcpy(k.addr, pkt->daddr, 16);
		return bpf_map_lookup_elem(&rg_scope_v6, &k);
	}
}

/* The scope of the destination: from this CPU's memo when it is the last one seen. */
static __always_inline const struct rg_scope *rg_env_scope(struct rg_env *env,
							   const struct rg_pkt *pkt)
{
	__u32 idx = pkt->family == 4 ? 0 : 1, gen = env->cfg->scope_generation, d[4];
	struct rg_scope_memo *m = bpf_map_lookup_elem(&rg_scope_memo, &idx);
	const struct rg_scope *s;

	__builtin_memcpy(d, pkt->daddr, 16);
	if (m && m->generation == gen && m->daddr[0] == d[0] && m->daddr[1] == d[1] &&
	    m->daddr[2] == d[2] && m->daddr[3] == d[3])
		return m->has_scope ? &m->scope : 0;
	s = rg_scope_lookup(pkt);
	if (m) {
		m->generation = gen;
		__builtin_memcpy(m->daddr, d, 16);
		m->has_scope = s != 0;
		if (s)
			__builtin_memcpy(&m->scope, s, sizeof(*s));
	}
	return s;
}

static __always_inline int rg_port_bit(void *map, __u16 port)
{
	__u32 word = port >> 6;
	__u64 *bits = bpf_map_lookup_elem(map, &word);

	return bits && ((*bits >> (port & 63)) & 1);
}

static __always_inline int rg_env_port_protected(struct rg_env *env, __u16 dport)
{
	return rg_port_bit(&rg_ports, dport);
}

static __always_inline int rg_env_reflection_port(struct rg_env *env, __u16 sport)
{
	return rg_port_bit(&rg_reflect, sport);
}

static __always_inline int rg_env_source_action(struct rg_env *env, const struct rg_pkt *pkt)
{
	__u32 zero = 0, *used = bpf_map_lookup_elem(&rg_lists_used, &zero);
	struct rg_list_entry *e;

	if (!used || !(*used & (pkt->family == 4 ? RG_LISTS_USED_V4 : RG_LISTS_USED_V6)))
		return 0;
	if (pkt->family == 4) {
		struct rg_lpm_v4 k = { .prefixlen = 32 };

		__builtin_memcpy(k.addr, pkt->saddr, 4);
		e = bpf_map_lookup_elem(&rg_list_v4, &k);
	} else {
		struct rg_lpm_v6 k = { .prefixlen = 128 };

		__builtin_memcpy(k.addr, pkt->saddr, 16);
		e = bpf_map_lookup_elem(&rg_list_v6, &k);
	}
	if (!e)
		return 0;
	/* Expired but not yet removed by the daemon: as if absent. */
	if (e->expires_ns && bpf_ktime_get_coarse_ns() >= e->expires_ns)
		return 0;
	return e->action;
}

/*
 * The payload walkers, verified once: a global function may not take packet
 * pointers, so it takes the payload's offset and re-derives them.
 * Returns the reason in the low byte and the kind in the next.
 */
__attribute__((noinline)) int rg_classify_payload(struct xdp_md *ctx, __u32 off, __u32 len,
						  __u32 admit)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *end = (const __u8 *)(long)ctx->data_end;
	__u32 zero = 0;
	const struct rg_config *cfg = bpf_map_lookup_elem(&rg_config, &zero);
	__u8 kind = RG_K_NONE;
	int r;

	if (!cfg)
		return RG_R_EMPTY;
	r = rg_classify(data + (off & RG_OFF_MASK), end, len & 0xffff, admit, cfg->stun_methods,
			&kind);
	return r | (int)kind << 8;
}

static __always_inline int rg_env_classify(struct rg_env *env, const struct rg_pkt *pkt,
					   __u32 admit, __u8 *kind)
{
	int rk = rg_classify_payload(env->ctx, pkt->payload_off, pkt->payload_len, admit);

	*kind = (__u8)(rk >> 8);
	return rk & 0xff;
}

#include "rtcguard/judge.h"

static __always_inline void rg_count(__u32 slot, __u32 bytes)
{
	__u32 idx = rg_ifslot * RG_SLOTS_PER_IFACE + slot;
	struct rg_counter *c = bpf_map_lookup_elem(&rg_stats, &idx);

	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

SEC("xdp")
int rtcguard_xdp(struct xdp_md *ctx)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *end = (const __u8 *)(long)ctx->data_end;
	__u32 zero = 0;
	struct rg_env env = { .ctx = ctx };
	struct rg_judgement j;
	struct rg_pkt pkt = {};
	int r;

	env.cfg = bpf_map_lookup_elem(&rg_config, &zero);
	if (!env.cfg)
		return XDP_PASS;
	r = rg_judge(&env, data, end, &pkt, &j);
	if (rg_record_last)
		bpf_map_update_elem(&rg_last, &zero, &j, BPF_ANY);
	if (j.monitored) {
		rg_count(RG_SLOT_MONITOR(r), pkt.wire_len);
		return XDP_PASS;
	}
	rg_count(RG_SLOT_REASON(r), pkt.wire_len);
	if (r == RG_R_ADMITTED)
		rg_count(RG_SLOT_KIND(j.kind), pkt.wire_len);
	return rg_reason_drops(r) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
