/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Step 1 of the packet's path: Ethernet, up to two VLAN tags, IPv4 (with
 * options) or IPv6 (up to six extension headers), UDP.  Header-only so the
 * BPF object and the host build run the same code; every read is checked
 * against the end of the frame first, and every length field is compared
 * as a number before it moves the cursor.
 */
#ifndef RTCGUARD_PARSE_H
#define RTCGUARD_PARSE_H

#include "compat.h"
#include "reasons.h"

#define RG_MAX_VLAN 2
#define RG_MAX_IPV6_EXT 6

#define RG_ETH_HLEN 14
#define RG_ETH_P_IP 0x0800
#define RG_ETH_P_IPV6 0x86DD
#define RG_ETH_P_8021Q 0x8100
#define RG_ETH_P_8021AD 0x88A8
#define RG_IPPROTO_UDP 17

/*
 * Offsets are masked with this before they move a pointer.  In BPF the
 * verifier marks a packet pointer readable only while its largest possible
 * offset plus the access stays within 0xffff, and a payload offset plus an
 * offset inside the payload must fit: 0x3fff each, more than any XDP frame
 * without multi-buffer (one page).  The host sees whole 64 KiB datagrams.
 */
#ifdef __bpf__
#define RG_OFF_MASK 0x3fff
#else
#define RG_OFF_MASK 0x1ffff
#endif

enum rg_frag {
	RG_FRAG_NONE,
	RG_FRAG_FIRST, /* offset 0, more fragments follow: has the UDP header */
	RG_FRAG_LATER, /* offset > 0: no UDP header */
};

struct rg_pkt {
	__u8 family; /* 4 or 6 */
	__u8 frag;   /* enum rg_frag */
	__u16 sport; /* host order; valid when frag != RG_FRAG_LATER */
	__u16 dport;
	__u16 payload_len; /* from the UDP length, not from the frame */
	__u32 payload_off; /* from the start of the frame */
	__u32 wire_len;    /* frame length, for byte counters */
	__u8 saddr[16];    /* IPv4 uses the first 4 bytes */
	__u8 daddr[16];
};

/*
 * Point ptr at data + off, or return fail from the calling function when n
 * bytes there are not readable.  The comparison guards the access directly,
 * which is the shape the verifier can follow.
 */
#define RG_LOAD(ptr, data, end, off, n, fail)                             \
	do {                                                              \
		(ptr) = (const __u8 *)(data) + ((off) & RG_OFF_MASK);     \
		if ((ptr) + (n) > (const __u8 *)(end))                    \
			return (fail);                                    \
	} while (0)

RG_INLINE void rg_copy4(__u8 *dst, const __u8 *src)
{
	dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2]; dst[3] = src[3];
}

/* Ethernet and VLAN tags; sets *proto and *off to the L3 header. */
RG_INLINE int rg_parse_l2(const __u8 *data, const __u8 *end, __u16 *proto, __u32 *off)
{
	const __u8 *eth;
	__u32 o = RG_ETH_HLEN;
	__u16 type;
	int i;

	RG_LOAD(eth, data, end, 0, RG_ETH_HLEN, RG_R_MALFORMED_L2);
	type = rg_be16(eth + 12);
	for (i = 0; i < RG_MAX_VLAN; i++) {
		const __u8 *tag;

		if (type != RG_ETH_P_8021Q && type != RG_ETH_P_8021AD)
			break;
		RG_LOAD(tag, data, end, o, 4, RG_R_MALFORMED_L2);
		type = rg_be16(tag + 2);
		o += 4;
	}
	if (type == RG_ETH_P_8021Q || type == RG_ETH_P_8021AD)
		return RG_R_VLAN_DEPTH;
	*proto = type;
	*off = o;
	return RG_R_ADMITTED;
}

/* IPv4 header; sets *l4 to the L4 offset and *l4_len to the IP payload length. */
RG_INLINE int rg_parse_ipv4(const __u8 *data, const __u8 *end, __u32 off, struct rg_pkt *pkt,
			    __u8 *proto, __u32 *l4, __u32 *l4_len)
{
	const __u8 *ip;
	__u32 ihl, tot, frag;

	RG_LOAD(ip, data, end, off, 20, RG_R_MALFORMED_IP);
	ihl = (__u32)(ip[0] & 0x0f) * 4;
	tot = rg_be16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl)
		return RG_R_MALFORMED_IP;
	if ((__u64)off + tot > (__u64)(end - data))
		return RG_R_MALFORMED_IP;
	frag = rg_be16(ip + 6);
	if (frag & 0x1fff)
		pkt->frag = RG_FRAG_LATER;
	else if (frag & 0x2000)
		pkt->frag = RG_FRAG_FIRST;
	pkt->family = 4;
	rg_copy4(pkt->saddr, ip + 12);
	rg_copy4(pkt->daddr, ip + 16);
	*proto = ip[9];
	*l4 = off + ihl;
	*l4_len = tot - ihl;
	return RG_R_ADMITTED;
}

RG_INLINE int rg_ipv6_is_ext(__u8 nh)
{
	/* hop-by-hop, routing, fragment, ESP is not walkable, AH, dest opts, mobility, HIP, shim6 */
	return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60 || nh == 135 ||
	       nh == 139 || nh == 140;
}

/* IPv6 header and up to RG_MAX_IPV6_EXT extension headers. */
RG_INLINE int rg_parse_ipv6(const __u8 *data, const __u8 *end, __u32 off, struct rg_pkt *pkt,
			    __u8 *proto, __u32 *l4, __u32 *l4_len)
{
	const __u8 *ip;
	__u32 plen, o, used = 0;
	__u8 nh;
	int i;

	RG_LOAD(ip, data, end, off, 40, RG_R_MALFORMED_IP);
	if ((ip[0] >> 4) != 6)
		return RG_R_MALFORMED_IP;
	plen = rg_be16(ip + 4);
	if ((__u64)off + 40 + plen > (__u64)(end - data))
		return RG_R_MALFORMED_IP;
	pkt->family = 6;
	for (i = 0; i < 16; i += 4) {
		rg_copy4(pkt->saddr + i, ip + 8 + i);
		rg_copy4(pkt->daddr + i, ip + 24 + i);
	}
	nh = ip[6];
	o = off + 40;
	for (i = 0; i < RG_MAX_IPV6_EXT; i++) {
		const __u8 *ext;
		__u32 len;

		if (!rg_ipv6_is_ext(nh))
			break;
		RG_LOAD(ext, data, end, o, 8, RG_R_MALFORMED_IP);
		if (nh == 44) {
			__u16 fo = rg_be16(ext + 2);

			len = 8;
			if (fo & 0xfff8)
				pkt->frag = RG_FRAG_LATER;
			else if (fo & 1)
				pkt->frag = RG_FRAG_FIRST;
		} else if (nh == 51) {
			len = ((__u32)ext[1] + 2) * 4; /* AH counts 4-byte words */
		} else {
			len = ((__u32)ext[1] + 1) * 8;
		}
		used += len;
		if (used > plen)
			return RG_R_MALFORMED_IP;
		nh = ext[0];
		o += len;
		if (pkt->frag == RG_FRAG_LATER)
			break; /* what follows is not a header */
	}
	if (pkt->frag != RG_FRAG_LATER && rg_ipv6_is_ext(nh))
		return RG_R_IPV6_EXT_DEPTH;
	*proto = nh;
	*l4 = o;
	*l4_len = plen - used;
	return RG_R_ADMITTED;
}

/* UDP header: ports, and the payload's end from the UDP length. */
RG_INLINE int rg_parse_udp(const __u8 *data, const __u8 *end, __u32 off, __u32 l4_len,
			   struct rg_pkt *pkt)
{
	const __u8 *udp;
	__u32 ulen;

	if (pkt->frag == RG_FRAG_LATER)
		return RG_R_ADMITTED;
	RG_LOAD(udp, data, end, off, 8, RG_R_MALFORMED_UDP);
	if (l4_len < 8)
		return RG_R_MALFORMED_UDP;
	pkt->sport = rg_be16(udp);
	pkt->dport = rg_be16(udp + 2);
	ulen = rg_be16(udp + 4);
	pkt->payload_off = off + 8;
	if (pkt->frag == RG_FRAG_FIRST)
		return RG_R_ADMITTED; /* the UDP length covers fragments not here */
	/* IPv6 jumbograms (UDP length 0) are not RTC: malformed here. */
	if (ulen < 8 || ulen > l4_len)
		return RG_R_MALFORMED_UDP;
	pkt->payload_len = (__u16)(ulen - 8);
	return RG_R_ADMITTED;
}

/*
 * Parse a frame.  Returns RG_R_ADMITTED when pkt describes a UDP datagram
 * (or fragment), RG_R_NOT_IP / RG_R_NOT_UDP for traffic out of scope, or
 * the malformation's reason.
 */
RG_INLINE int rg_parse(const __u8 *data, const __u8 *end, struct rg_pkt *pkt)
{
	__u32 off = 0, l4 = 0, l4_len = 0;
	__u16 l3 = 0;
	__u8 proto = 0;
	int r;

	pkt->wire_len = (__u32)(end - data);
	r = rg_parse_l2(data, end, &l3, &off);
	if (r != RG_R_ADMITTED)
		return r;
	if (l3 == RG_ETH_P_IP)
		r = rg_parse_ipv4(data, end, off, pkt, &proto, &l4, &l4_len);
	else if (l3 == RG_ETH_P_IPV6)
		r = rg_parse_ipv6(data, end, off, pkt, &proto, &l4, &l4_len);
	else
		return RG_R_NOT_IP;
	if (r != RG_R_ADMITTED)
		return r;
	if (proto != RG_IPPROTO_UDP)
		return RG_R_NOT_UDP;
	return rg_parse_udp(data, end, l4, l4_len, pkt);
}

#endif
