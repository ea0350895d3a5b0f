/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test support: build Ethernet frames around UDP payloads, header-only, for
 * unit tests, selftests and the bench.  Checksums are left zero (nothing in
 * rtcguard reads them).
 */
#ifndef RG_TESTS_PKTBUILD_H
#define RG_TESTS_PKTBUILD_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pkt_spec {
	int family;          /* 4 or 6 */
	const char *src;     /* address text; defaults 198.19.0.2 / 2001:2::2 */
	const char *dst;     /* defaults 198.18.0.2 / 2001:2::1 */
	uint16_t sport;      /* default 40000 */
	uint16_t dport;      /* default 50000 */
	int vlans;           /* VLAN tags before the IP header (0-3+) */
	int ipv4_opt_words;  /* IPv4 option words (NOP-filled) */
	int ipv6_ext;        /* IPv6 destination-options headers before UDP */
	int udp_len_delta;   /* added to the true UDP length (lie about it) */
	int ip_len_delta;    /* added to the true IPv4 total / IPv6 payload length */
	int frag;            /* 0 none, 1 first fragment, 2 later fragment */
	size_t pad;          /* trailing bytes after the IP packet (Ethernet padding) */
};

/* Hex string -> bytes; returns the byte count or -1. */
static inline int pkt_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (hex[0] && hex[1]) {
		unsigned int b;

		if (n == cap || sscanf(hex, "%2x", &b) != 1)
			return -1;
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return hex[0] ? -1 : (int)n;
}

static inline void pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Build a frame into out (cap bytes); returns its length, or 0 if it does not fit. */
static inline size_t pkt_build(const struct pkt_spec *s, const uint8_t *payload, size_t plen,
			       uint8_t *out, size_t cap)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa };
	int family = s->family ? s->family : 4;
	uint16_t sport = s->sport ? s->sport : 40000, dport = s->dport ? s->dport : 50000;
	size_t ext = family == 6 ? (size_t)s->ipv6_ext * 8 + (s->frag ? 8 : 0) : 0;
	size_t iph = family == 4 ? 20 + (size_t)s->ipv4_opt_words * 4 : 40;
	size_t udp_total = 8 + plen;
	size_t need = 14 + (size_t)s->vlans * 4 + iph + ext + udp_total + s->pad;
	uint8_t *p = out;
	int i;

	if (need > cap)
		return 0;
	memset(out, 0, need);
	memcpy(p, macs, 12);
	p += 12;
	for (i = 0; i < s->vlans; i++) {
		pkt_put16(p, i == 0 && s->vlans > 1 ? 0x88a8 : 0x8100);
		pkt_put16(p + 2, (uint16_t)(100 + i));
		p += 4;
	}
	pkt_put16(p, family == 4 ? 0x0800 : 0x86dd);
	p += 2;
	if (family == 4) {
		p[0] = (uint8_t)(0x40 | (iph / 4));
		pkt_put16(p + 2, (uint16_t)(iph + udp_total + s->ip_len_delta));
		if (s->frag == 1)
			pkt_put16(p + 6, 0x2000);
		else if (s->frag == 2)
			pkt_put16(p + 6, 0x0010);
		p[8] = 64;
		p[9] = 17;
		inet_pton(AF_INET, s->src ? s->src : "198.19.0.2", p + 12);
		inet_pton(AF_INET, s->dst ? s->dst : "198.18.0.2", p + 16);
		memset(p + 20, 1, iph - 20); /* NOP options */
		p += iph;
	} else {
		uint8_t nh = 17;

		p[0] = 0x60;
		pkt_put16(p + 4, (uint16_t)(ext + udp_total + s->ip_len_delta));
		p[7] = 64;
		inet_pton(AF_INET6, s->src ? s->src : "2001:2::2", p + 8);
		inet_pton(AF_INET6, s->dst ? s->dst : "2001:2::1", p + 24);
		/* chain: [dest-opts]* [fragment] udp */
		p[6] = s->ipv6_ext ? 60 : (s->frag ? 44 : 17);
		p += 40;
		for (i = 0; i < s->ipv6_ext; i++) {
			p[0] = i + 1 < s->ipv6_ext ? 60 : (s->frag ? 44 : nh);
			p[1] = 0; /* 8 bytes */
			p[2] = 1; /* PadN */
			p[3] = 4;
			p += 8;
		}
		if (s->frag) {
			p[0] = 17;
			pkt_put16(p + 2, s->frag == 1 ? 0x0001 : 0x0010);
			p += 8;
		}
	}
	pkt_put16(p, sport);
	pkt_put16(p + 2, dport);
	pkt_put16(p + 4, (uint16_t)(udp_total + s->udp_len_delta));
	memcpy(p + 8, payload, plen);
	return need;
}

#endif
