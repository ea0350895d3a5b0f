// SPDX-License-Identifier: GPL-2.0
/*
 * Bench floor: the least any per-source state can cost.  Parse Ethernet,
 * IPv4 or IPv6 (no VLANs, no extension headers) and the UDP header, look the
 * source address up in one LRU_HASH, and update the value in place with the
 * coarse clock.  The bench fills the map with the sources it sends from, so
 * every lookup hits (the steady state; a miss would insert, which costs an
 * order of magnitude more, see TESTBED.md).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* IPv4 sources are keyed as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d). */
struct floor_key {
	__u8 addr[16];
};

struct floor_state {
	__u64 last_ns;
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct floor_key);
	__type(value, struct floor_state);
} floor_src SEC(".maps");

SEC("xdp")
int floor_lru(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct floor_key k = {};
	struct floor_state *v;
	struct udphdr *udp;

	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > end || ip->ihl < 5 || ip->protocol != IPPROTO_UDP)
			return XDP_PASS;
		k.addr[10] = 0xff;
		k.addr[11] = 0xff;
		__builtin_memcpy(&k.addr[12], &ip->saddr, 4);
		udp = (void *)ip + ip->ihl * 4;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end || ip6->nexthdr != IPPROTO_UDP)
			return XDP_PASS;
		__builtin_memcpy(k.addr, &ip6->saddr, 16);
		udp = (void *)(ip6 + 1);
	} else {
		return XDP_PASS;
	}
	if ((void *)(udp + 1) > end)
		return XDP_PASS;
	v = bpf_map_lookup_elem(&floor_src, &k);
	if (!v)
		return XDP_PASS;
	v->last_ns = bpf_ktime_get_coarse_ns();
	v->packets++;
	v->bytes += end - data;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
