// SPDX-License-Identifier: GPL-2.0
/*
 * Every exit reason of the packet's path, reached by crafted frames through
 * the real BPF object (BPF_PROG_TEST_RUN, loaded unpinned).  For each frame:
 * the XDP action, the judgement the program recorded, and the counters:
 * exactly one reason slot (or monitor slot) moved, by one packet and the
 * frame's length, plus the kind slot for admitted payloads, all in counter
 * block 3 (the load-time rg_ifslot) and none in block 0.  Caps are tested at
 * cap-1, cap and cap+1.
 */
#include "selftest.h"
#include "rtcguard/classify.h"
#include "../tests/support/pktbuild.h"

#define IFSLOT 3

/* Protected ports (ranges of the broad prefixes). */
#define P_WEBRTC 50000   /* 50000-50099: WebRTC kinds, enforce */
#define P_ALL 50100      /* 50100-50199: every kind */
#define P_MON 50200      /* 50200-50299: WebRTC kinds, monitor */
#define P_PFF 50300      /* 50300-50399: WebRTC kinds, first fragments passed */
#define P_LEG 50400      /* 50400-50499: WebRTC kinds and legacy TURN channels */
#define P_STUN 3478      /* 3478: STUN only */
#define P_OPEN 8080      /* no range */

/* Addresses (benchmarking ranges only). */
#define D4 "198.18.0.2"         /* in the broad 198.18.0.0/16 */
#define D4_SPEC "198.18.5.1"    /* in 198.18.5.0/24: RTP only, drops later fragments */
#define D4_EMPTY "198.18.6.1"   /* in 198.18.6.0/24: a scope without ranges */
#define D4_OUT "198.19.200.1"   /* no protected prefix */
#define S4_DENY "198.19.7.1"    /* deny 198.19.7.0/24 */
#define S4_ALLOW "198.19.7.7"   /* allow 198.19.7.7/32 inside it */
#define S4_EXPIRED "198.19.8.1" /* deny 198.19.8.0/24, expired */
#define S4_FUTURE "198.19.9.1"  /* deny 198.19.9.0/24, expires in an hour */
#define S4_ALLOW2 "198.19.10.1" /* allow 198.19.10.0/24 */

#define D6 "2001:2::1"
#define D6_SPEC "2001:2::5:1"
#define D6_EMPTY "2001:2::6:1"
#define D6_OUT "2001:2:0:ff::1"
#define S6_DENY "2001:2:0:7::1"
#define S6_ALLOW "2001:2:0:7::7"
#define S6_EXPIRED "2001:2:0:8::1"
#define S6_FUTURE "2001:2:0:9::1"
#define S6_ALLOW2 "2001:2:0:a::1"

#define F_MON 1   /* expect monitored */
#define F_ALLOW 2 /* expect allowed */

static struct rg_dataplane dp;
static const struct rg_policy *cur_pol;
static int seen[RG_REASON_COUNT];
static uint8_t frame[4096];
static int cases;

struct snap {
	struct rg_counter blk[2][RG_SLOTS_PER_IFACE]; /* [0] block 0, [1] block IFSLOT */
};

static void snap_read(struct snap *s)
{
	static const uint32_t blocks[2] = { 0, IFSLOT };
	int b;
	uint32_t i;

	for (b = 0; b < 2; b++)
		for (i = 0; i < RG_SLOTS_PER_IFACE; i++)
			if (dataplane_read_counter(&dp, blocks[b], i, &s->blk[b][i])) {
				fprintf(stderr, "FATAL: cannot read counter %u/%u\n", blocks[b], i);
				exit(1);
			}
}

static const char *slot_name(uint32_t s, char *buf, size_t len)
{
	if (s < RG_REASON_MAX)
		snprintf(buf, len, "reason:%s", st_reason_name(s));
	else if (s < 2 * RG_REASON_MAX)
		snprintf(buf, len, "monitor:%s", st_reason_name(s - RG_REASON_MAX));
	else
		snprintf(buf, len, "kind:%s", st_kind_name(s - 2 * RG_REASON_MAX));
	return buf;
}

/* Run frame[0..len) and check verdict, judgement and counters. */
static void expect_at(int line, const char *name, size_t len, uint32_t reason, uint32_t kind,
		      int flags)
{
	struct st_verdict exp = {
		.reason = (uint8_t)reason,
		.kind = (uint8_t)kind,
		.monitored = !!(flags & F_MON),
		.allowed = !!(flags & F_ALLOW),
	};
	struct st_verdict got;
	struct snap before, after;
	char what[256], bad[1024] = "", sn[64];
	size_t bl = 0;
	uint32_t s;
	int b, e;

	exp.xdp = st_xdp_of(reason, exp.monitored);
	seen[reason]++;
	snprintf(what, sizeof(what), "%s (line %d)", name, line);
	cases++;
	if (len == 0) {
		CHECK_MSG(0, "%s: frame could not be built", what);
		return;
	}
	snap_read(&before);
	e = st_run(&dp, frame, len, &got);
	if (e) {
		CHECK_MSG(0, "%s: test run failed: %s", what, strerror(-e));
		return;
	}
	snap_read(&after);
	CHECK(st_verdict_eq(&exp, &got), what, frame, len, exp, got);

	for (b = 0; b < 2; b++) {
		for (s = 0; s < RG_SLOTS_PER_IFACE; s++) {
			uint64_t dp_ = after.blk[b][s].packets - before.blk[b][s].packets;
			uint64_t db = after.blk[b][s].bytes - before.blk[b][s].bytes;
			int want = 0;

			if (b == 1) {
				if (exp.monitored)
					want = s == RG_SLOT_MONITOR(reason);
				else
					want = s == RG_SLOT_REASON(reason) ||
					       (reason == RG_R_ADMITTED && s == RG_SLOT_KIND(kind));
			}
			if (dp_ != (uint64_t)want || db != (want ? len : 0))
				bl += (size_t)snprintf(bad + bl, bl < sizeof(bad) ? sizeof(bad) - bl : 0,
						       " [block %u %s: +%llu packets +%llu bytes, want +%d/+%zu]",
						       b ? IFSLOT : 0, slot_name(s, sn, sizeof(sn)),
						       (unsigned long long)dp_, (unsigned long long)db,
						       want, want ? len : 0);
		}
	}
	CHECK_MSG(!bad[0], "%s: counters:%s", what, bad);
}

#define EXPECT(name, len, reason, kind, flags) \
	expect_at(__LINE__, (name), (len), RG_R_##reason, RG_K_##kind, (flags))

static size_t build(const struct pkt_spec *s, const void *pl, size_t plen)
{
	return pkt_build(s, pl, plen, frame, sizeof(frame));
}

/* The common case: default source, given family, destination and port. */
static size_t udp_to(int fam, const char *dst, uint16_t dport, const void *pl, size_t plen)
{
	struct pkt_spec s = { .family = fam, .dst = dst, .dport = dport };

	return build(&s, pl, plen);
}

static const char *dst_of(int fam)
{
	return fam == 4 ? D4 : D6;
}

static void put16(uint8_t *p, uint16_t v)
{
	pkt_put16(p, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---- payloads ---- */

static const uint8_t stun_txid[12] = { 0xb1, 0xc2, 0xd3, 0xe4, 0xf5, 0x06,
					0x17, 0x28, 0x39, 0x4a, 0x5b, 0x6c };

/* STUN message of a type with nattrs attributes of alen bytes each. */
static size_t stun(uint8_t *b, uint16_t type, int nattrs, uint16_t alen, int cookie)
{
	size_t off = 20, i;

	put16(b, type);
	if (cookie) {
		b[4] = 0x21; b[5] = 0x12; b[6] = 0xa4; b[7] = 0x42;
	} else {
		b[4] = 0x7d; b[5] = 0x3a; b[6] = 0x9c; b[7] = 0x0e;
	}
	memcpy(b + 8, stun_txid, 12);
	for (i = 0; i < (size_t)nattrs; i++) {
		put16(b + off, 0x8022); /* SOFTWARE, comprehension-optional */
		put16(b + off + 2, alen);
		memset(b + off + 4, 'a', (alen + 3u) & ~3u);
		off += 4 + ((alen + 3u) & ~3u);
	}
	put16(b + 2, (uint16_t)(off - 20));
	return off;
}

/* TURN ChannelData: channel, announced length, total payload bytes. */
static size_t channel(uint8_t *b, uint16_t ch, uint16_t dlen, size_t total)
{
	memset(b, 0x5a, total);
	if (total >= 2)
		put16(b, ch);
	if (total >= 4)
		put16(b + 2, dlen);
	return total;
}

/* n DTLS 1.2 application-data records of 4 bytes each. */
static size_t dtls(uint8_t *b, int n)
{
	size_t off = 0;
	int i;

	for (i = 0; i < n; i++) {
		uint8_t *r = b + off;

		r[0] = 23;
		r[1] = 0xfe; r[2] = 0xfd;
		put16(r + 3, 1);          /* epoch */
		memset(r + 5, 0, 6);
		r[10] = (uint8_t)i;       /* sequence */
		put16(r + 11, 4);
		memset(r + 13, 0xee, 4);
		off += 17;
	}
	return off;
}

/* RTP: cc CSRCs, extension of xwords words when x, n payload bytes. */
static size_t rtp(uint8_t *b, int cc, int x, uint16_t xwords, size_t n)
{
	size_t off = 12;
	int i;

	b[0] = (uint8_t)(0x80 | (x ? 0x10 : 0) | cc);
	b[1] = 0x6f; /* PT 111 */
	put16(b + 2, 0x1234);
	memcpy(b + 4, "\x00\x00\x10\x00\x1a\x2b\x3c\x4d", 8);
	for (i = 0; i < cc; i++, off += 4)
		memcpy(b + off, "\x11\x22\x33\x44", 4);
	if (x) {
		put16(b + off, 0xbede);
		put16(b + off + 2, xwords);
		memset(b + off + 4, 0x10, 4u * xwords);
		off += 4 + 4u * xwords;
	}
	memset(b + off, 0xab, n);
	return off + n;
}

static size_t hex(uint8_t *b, const char *h)
{
	int n = pkt_unhex(h, b, 2048);

	if (n < 0) {
		fprintf(stderr, "FATAL: bad hex in test: %s\n", h);
		exit(1);
	}
	return (size_t)n;
}

/* ZRTP Hello-shaped message: header, cookie, 0x505a, length in words, type, CRC. */
static size_t zrtp(uint8_t *b)
{
	return hex(b, "100000015a5254501a2b3c4d505a000348656c6c6f2020200badf00d");
}

/* ---- the policy ---- */

static void add_list(struct rg_policy *pol, int fam, const char *addr, int len, int action,
		     uint64_t expires)
{
	struct rg_prefix p = st_prefix(fam, addr, len);
	struct rg_list_entry e = { .action = (uint8_t)action, .origin = RG_ORIGIN_CONFIG,
				   .expires_ns = expires };

	if (policy_add_list(pol, &p, &e)) {
		fprintf(stderr, "FATAL: out of memory\n");
		exit(1);
	}
}

static void add_scope(struct rg_policy *pol, int fam, const char *addr, int len,
		      const struct rg_scope *sc)
{
	struct rg_prefix p = st_prefix(fam, addr, len);

	if (policy_add_scope(pol, &p, sc)) {
		fprintf(stderr, "FATAL: out of memory\n");
		exit(1);
	}
}

static void make_policy(struct rg_policy *pol, int bypass)
{
	const struct rg_scope broad = {
		.nranges = 6,
		.range = {
			{ P_WEBRTC, P_WEBRTC + 99, RG_ADMIT_WEBRTC, 0 },
			{ P_ALL, P_ALL + 99, RG_ADMIT_ALL, 0 },
			{ P_MON, P_MON + 99, RG_ADMIT_WEBRTC, RG_RANGE_MONITOR },
			{ P_PFF, P_PFF + 99, RG_ADMIT_WEBRTC, RG_RANGE_PASS_FIRST_FRAG },
			{ P_LEG, P_LEG + 99, RG_ADMIT_WEBRTC | RG_KIND_BIT(RG_K_TURN_CHANNEL_LEGACY), 0 },
			{ P_STUN, P_STUN, RG_KIND_BIT(RG_K_STUN), 0 },
		},
	};
	const struct rg_scope spec = {
		.flags = RG_SCOPE_DROP_LATER_FRAGS,
		.nranges = 1,
		.range = { { P_WEBRTC, P_ALL + 99, RG_KIND_BIT(RG_K_RTP), 0 } },
	};
	const struct rg_scope empty = { .nranges = 0 };
	uint64_t now = st_now_ns();

	policy_init_defaults(pol);
	pol->config.bypass = (uint32_t)bypass;
	policy_set_reflection_port(pol, 4444, 1); /* configurable on top of the defaults */

	add_scope(pol, 4, "198.18.0.0", 16, &broad);
	add_scope(pol, 4, "198.18.5.0", 24, &spec);
	add_scope(pol, 4, "198.18.6.0", 24, &empty);
	add_scope(pol, 6, "2001:2::", 64, &broad);
	add_scope(pol, 6, "2001:2::5:0", 112, &spec);
	add_scope(pol, 6, "2001:2::6:0", 112, &empty);

	add_list(pol, 4, "198.19.7.0", 24, RG_LIST_DENY, 0);
	add_list(pol, 4, "198.19.7.7", 32, RG_LIST_ALLOW, 0);
	add_list(pol, 4, "198.19.8.0", 24, RG_LIST_DENY, now - 1000000000ull);
	add_list(pol, 4, "198.19.9.0", 24, RG_LIST_DENY, now + 3600ull * 1000000000ull);
	add_list(pol, 4, "198.19.10.0", 24, RG_LIST_ALLOW, 0);
	add_list(pol, 6, "2001:2:0:7::", 64, RG_LIST_DENY, 0);
	add_list(pol, 6, "2001:2:0:7::7", 128, RG_LIST_ALLOW, 0);
	add_list(pol, 6, "2001:2:0:8::", 64, RG_LIST_DENY, now - 1000000000ull);
	add_list(pol, 6, "2001:2:0:9::", 64, RG_LIST_DENY, now + 3600ull * 1000000000ull);
	add_list(pol, 6, "2001:2:0:a::", 64, RG_LIST_ALLOW, 0);
}

/* ---- the cases ---- */

static uint8_t pl[2048];

static void test_admitted(int fam)
{
	const char *d = dst_of(fam);
	size_t n;

	n = stun(pl, 0x0001, 2, 4, 1);
	EXPECT("STUN Binding request", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, STUN, 0);
	n = stun(pl, 0x0101, 1, 8, 1);
	EXPECT("STUN Binding success response", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, STUN, 0);
	n = stun(pl, 0x0003, 0, 0, 1);
	EXPECT("TURN Allocate request", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, STUN, 0);
	n = hex(pl, "020000082112a4421122334455667788990a0b0cc060000412d19380");
	EXPECT("GOOG-PING", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, STUN, 0);
	n = stun(pl, 0x0001, 1, 4, 1);
	EXPECT("STUN to the STUN-only port", udp_to(fam, d, P_STUN, pl, n), ADMITTED, STUN, 0);
	n = channel(pl, 0x4000, 16, 20);
	EXPECT("ChannelData 0x4000", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, TURN_CHANNEL, 0);
	n = channel(pl, 0x4fff, 5, 9);
	EXPECT("ChannelData 0x4fff unpadded", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED,
	       TURN_CHANNEL, 0);
	n = channel(pl, 0x4001, 5, 12);
	EXPECT("ChannelData padded to 4", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, TURN_CHANNEL, 0);
	n = channel(pl, 0x4001, 0, 4);
	EXPECT("ChannelData empty", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, TURN_CHANNEL, 0);
	n = dtls(pl, 1);
	EXPECT("DTLS 1.2 record", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, DTLS, 0);
	n = hex(pl, "16feff0000000000000000000c010000000000000000000000");
	EXPECT("DTLS 1.0 handshake", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, DTLS, 0);
	n = hex(pl, "2e9a3c00180b30557a9fc4e90e33587da2c7ec11365b80a5caef14395e");
	EXPECT("DTLS 1.3 unified header with length", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED,
	       DTLS, 0);
	n = hex(pl, "2a9a3c000102030405060708090a0b0c0d0e0f");
	EXPECT("DTLS 1.3 unified header without length", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED,
	       DTLS, 0);
	n = hex(pl, "3a0102030405060708090a0b0c0d0e0f10111213");
	EXPECT("DTLS 1.3 with connection ID", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, DTLS, 0);
	n = hex(pl, "19fefd00010000000000050102030405060708090a0b0c0d");
	EXPECT("DTLS 1.2 tls12_cid record", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, DTLS, 0);
	n = rtp(pl, 0, 0, 0, 160);
	EXPECT("RTP", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, RTP, 0);
	n = rtp(pl, 2, 1, 2, 40);
	EXPECT("RTP with CSRCs and extension", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, RTP, 0);
	n = rtp(pl, 15, 0, 0, 0);
	EXPECT("RTP with 15 CSRCs, no payload", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, RTP, 0);
	n = hex(pl, "b0600304000030001a2b3c4dbede000131000500" /* header, extension */
		    "0000000000000000000000000000000000000000000000000000000000000020");
	EXPECT("RTP padding-only probe", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, RTP, 0);
	n = hex(pl, "81c900071a2b3c4d5e6f7081000000000000055a000000000000000000000000");
	EXPECT("RTCP RR", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, RTCP, 0);
	n = hex(pl, "80c800061a2b3c4d000000010000000200000003000000040000000580000001deadbeef");
	EXPECT("SRTCP SR without blocks and trailer", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED,
	       RTCP, 0);
	n = hex(pl, "81cd00021a2b3c4d5e6f7081");
	EXPECT("RTCP reduced-size feedback", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, RTCP, 0);
	n = zrtp(pl);
	EXPECT("ZRTP Hello", udp_to(fam, d, P_ALL, pl, n), ADMITTED, ZRTP, 0);
	n = hex(pl, "c3000000010811223344556677880811223344556677880041e0aabbccddeeff");
	EXPECT("QUIC long header", udp_to(fam, d, P_ALL, pl, n), ADMITTED, QUIC, 0);
	n = hex(pl, "c30000000015000102030405060708090a0b0c0d0e0f101112131400");
	EXPECT("QUIC version negotiation (CID over 20)", udp_to(fam, d, P_ALL, pl, n), ADMITTED,
	       QUIC, 0);
	n = channel(pl, 0x70aa, 0xffff, 30);
	EXPECT("QUIC short header 0x70", udp_to(fam, d, P_ALL, pl, n), ADMITTED, QUIC, 0);
	n = channel(pl, 0x4000, 100, 24);
	EXPECT("QUIC short header 0x40 (not a valid channel)", udp_to(fam, d, P_ALL, pl, n),
	       ADMITTED, QUIC, 0);
	n = channel(pl, 0x4000, 20, 24);
	EXPECT("valid channel where QUIC is admitted too: TURN wins",
	       udp_to(fam, d, P_ALL, pl, n), ADMITTED, TURN_CHANNEL, 0);
	n = stun(pl, 0x0001, 1, 4, 0);
	EXPECT("classic STUN where admitted", udp_to(fam, d, P_ALL, pl, n), ADMITTED,
	       STUN_CLASSIC, 0);
	n = channel(pl, 0x5001, 16, 20);
	EXPECT("legacy channel where admitted", udp_to(fam, d, P_LEG, pl, n), ADMITTED,
	       TURN_CHANNEL_LEGACY, 0);
	n = channel(pl, 0x7fff, 16, 20);
	EXPECT("legacy channel 0x7fff", udp_to(fam, d, P_ALL, pl, n), ADMITTED,
	       TURN_CHANNEL_LEGACY, 0);
}

static void test_scope(int fam)
{
	const char *d = dst_of(fam);
	size_t n = stun(pl, 0x0001, 1, 4, 1);
	struct pkt_spec s = { .family = fam, .dst = d };

	EXPECT("UDP to an unprotected prefix", udp_to(fam, fam == 4 ? D4_OUT : D6_OUT, P_WEBRTC, pl, n),
	       UNPROTECTED, NONE, 0);
	EXPECT("UDP to an unprotected port", udp_to(fam, d, P_OPEN, pl, n), UNPROTECTED, NONE, 0);
	EXPECT("UDP to the port below a range", udp_to(fam, d, P_WEBRTC - 1, pl, n), UNPROTECTED,
	       NONE, 0);
	EXPECT("UDP to the last port of a range", udp_to(fam, d, P_WEBRTC + 99, pl, n), ADMITTED,
	       STUN, 0);
	EXPECT("UDP to a prefix whose scope has no ranges",
	       udp_to(fam, fam == 4 ? D4_EMPTY : D6_EMPTY, P_WEBRTC, pl, n), UNPROTECTED, NONE, 0);
	EXPECT("garbage to an unprotected port is untouched",
	       udp_to(fam, d, P_OPEN, "\x08\x01\x02", 3), UNPROTECTED, NONE, 0);
	s.sport = 53;
	s.dport = P_OPEN;
	EXPECT("DNS source port to an unprotected port", build(&s, pl, n), UNPROTECTED, NONE, 0);

	/* Two ranges of one prefix with different admit sets. */
	n = zrtp(pl);
	EXPECT("ZRTP to the WebRTC range", udp_to(fam, d, P_WEBRTC, pl, n), NOT_ADMITTED, ZRTP, 0);
	EXPECT("ZRTP to the all-kinds range", udp_to(fam, d, P_ALL, pl, n), ADMITTED, ZRTP, 0);
	n = rtp(pl, 0, 0, 0, 20);
	EXPECT("RTP to the STUN-only port", udp_to(fam, d, P_STUN, pl, n), NOT_ADMITTED, RTP, 0);
	EXPECT("RTP to the WebRTC range", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED, RTP, 0);

	/* A more specific destination prefix overrides the broader one. */
	d = fam == 4 ? D4_SPEC : D6_SPEC;
	EXPECT("RTP to the RTP-only specific prefix", udp_to(fam, d, P_WEBRTC, pl, n), ADMITTED,
	       RTP, 0);
	EXPECT("RTP to the specific prefix, all-kinds port", udp_to(fam, d, P_ALL, pl, n), ADMITTED,
	       RTP, 0);
	n = stun(pl, 0x0001, 1, 4, 1);
	EXPECT("STUN to the RTP-only specific prefix", udp_to(fam, d, P_WEBRTC, pl, n),
	       NOT_ADMITTED, STUN, 0);
	n = zrtp(pl);
	EXPECT("ZRTP to the specific prefix, all-kinds port", udp_to(fam, d, P_ALL, pl, n),
	       NOT_ADMITTED, ZRTP, 0);
	EXPECT("specific prefix has no range for the monitor port", udp_to(fam, d, P_MON, pl, n),
	       UNPROTECTED, NONE, 0);
}

static void test_l2(void)
{
	size_t n = stun(pl, 0x0001, 1, 4, 1), len;
	struct pkt_spec s = { .family = 4 };
	struct rg_pkt pkt;
	struct rg_judgement j;
	struct st_verdict got;
	int v, e, fam;

	for (fam = 4; fam <= 6; fam += 2) {
		s.family = fam;
		s.dport = P_WEBRTC;
		for (v = 0; v <= 3; v++) {
			char name[64];

			s.vlans = v;
			snprintf(name, sizeof(name), "IPv%d STUN behind %d VLAN tags", fam, v);
			if (v <= 2)
				EXPECT(name, build(&s, pl, n), ADMITTED, STUN, 0);
			else
				EXPECT(name, build(&s, pl, n), VLAN_DEPTH, NONE, 0);
		}
	}
	s.family = 4;
	s.vlans = 4;
	EXPECT("4 VLAN tags", build(&s, pl, n), VLAN_DEPTH, NONE, 0);
	s.vlans = 3;
	s.dport = P_MON;
	EXPECT("3 VLAN tags to a monitor range still drop", build(&s, pl, n), VLAN_DEPTH, NONE, 0);

	/* Truncated VLAN tags. */
	s.vlans = 1;
	s.dport = P_WEBRTC;
	build(&s, pl, n);
	EXPECT("802.1Q tag cut after 2 bytes", 16, MALFORMED_L2, NONE, 0);
	EXPECT("802.1Q tag cut after 3 bytes", 17, MALFORMED_L2, NONE, 0);
	s.vlans = 2;
	build(&s, pl, n);
	EXPECT("second VLAN tag cut", 20, MALFORMED_L2, NONE, 0);
	EXPECT("two VLAN tags, IPv4 header missing", 22, MALFORMED_IP, NONE, 0);

	/* Ethernet alone: 14 bytes with an unknown type; a 13-byte frame. */
	memset(frame, 0, 14);
	put16(frame + 12, 0x88cc);
	EXPECT("bare Ethernet header, LLDP type", 14, NOT_IP, NONE, 0);
	put16(frame + 12, 0x0806);
	memset(frame + 14, 0, 28);
	EXPECT("ARP", 42, NOT_IP, NONE, 0);
	put16(frame + 12, 0x0800);
	EXPECT("IPv4 type, nothing after", 14, MALFORMED_IP, NONE, 0);
	put16(frame + 12, 0x86dd);
	EXPECT("IPv6 type, nothing after", 14, MALFORMED_IP, NONE, 0);
	s.vlans = 1;
	len = build(&s, pl, n);
	put16(frame + 16, 0x0806);
	EXPECT("ARP behind a VLAN tag", len, NOT_IP, NONE, 0);

	/* The kernel's test run refuses frames shorter than Ethernet: check the host build. */
	memset(frame, 0, 13);
	CHECK_MSG(policy_judge(cur_pol, frame, 13, st_now_ns(), &pkt, &j) == RG_R_MALFORMED_L2,
		  "host build: 13-byte frame is not malformed-l2 (%s)", st_reason_name(j.reason));
	e = st_run(&dp, frame, 13, &got);
	if (e) {
		/* Not run (dataplane_test_run knows the kernel refuses it): malformed-l2 is
		 * reached above by cut VLAN tags. */
		CHECK_MSG(e == -EMSGSIZE, "13-byte frame: test run failed with %s", strerror(-e));
	} else {
		struct st_verdict exp = { .xdp = XDP_DROP, .reason = RG_R_MALFORMED_L2 };

		CHECK(st_verdict_eq(&exp, &got), "13-byte frame", frame, (size_t)13, exp, got);
	}
}

static void test_ip(int fam)
{
	size_t n = stun(pl, 0x0001, 1, 4, 1), len;
	struct pkt_spec s = { .family = fam, .dport = P_WEBRTC };
	int ip = 14, udp;

	len = build(&s, pl, n);
	if (fam == 4) {
		udp = ip + 20;
		EXPECT("IPv4 header cut at 19 bytes", 14 + 19, MALFORMED_IP, NONE, 0);
		frame[ip] = 0x55;
		EXPECT("IPv4 type, version 5", len, MALFORMED_IP, NONE, 0);
		frame[ip] = 0x65;
		EXPECT("IPv4 type, version 6", len, MALFORMED_IP, NONE, 0);
		frame[ip] = 0x44;
		EXPECT("IPv4 IHL 4", len, MALFORMED_IP, NONE, 0);
		frame[ip] = 0x45;
		put16(frame + ip + 2, 19);
		EXPECT("IPv4 total length below IHL", len, MALFORMED_IP, NONE, 0);
		put16(frame + ip + 2, (uint16_t)(len - 14 + 1));
		EXPECT("IPv4 total length one past the frame", len, MALFORMED_IP, NONE, 0);
		put16(frame + ip + 2, 0xffff);
		EXPECT("IPv4 total length 65535", len, MALFORMED_IP, NONE, 0);
		frame[ip + 9] = 6;
		put16(frame + ip + 2, (uint16_t)(len - 14));
		EXPECT("IPv4 TCP", len, NOT_UDP, NONE, 0);
		frame[ip + 9] = 1;
		EXPECT("IPv4 ICMP", len, NOT_UDP, NONE, 0);
		s.ipv4_opt_words = 1;
		EXPECT("IPv4 with one option word", build(&s, pl, n), ADMITTED, STUN, 0);
		s.ipv4_opt_words = 10;
		EXPECT("IPv4 with IHL 15", build(&s, pl, n), ADMITTED, STUN, 0);
		s.ipv4_opt_words = 0;
		s.pad = 30;
		EXPECT("IPv4 with Ethernet padding", build(&s, pl, n), ADMITTED, STUN, 0);
		s.ip_len_delta = 2;
		EXPECT("IPv4 total length reaching into padding", build(&s, pl, n), ADMITTED, STUN, 0);
		s.ip_len_delta = 0;
		s.pad = 0;
	} else {
		udp = ip + 40;
		EXPECT("IPv6 header cut at 39 bytes", 14 + 39, MALFORMED_IP, NONE, 0);
		frame[ip] = 0x40;
		EXPECT("IPv6 type, version 4", len, MALFORMED_IP, NONE, 0);
		frame[ip] = 0x60;
		put16(frame + ip + 4, (uint16_t)(len - 54 + 1));
		EXPECT("IPv6 payload length one past the frame", len, MALFORMED_IP, NONE, 0);
		put16(frame + ip + 4, (uint16_t)(len - 54));
		frame[ip + 6] = 58;
		EXPECT("ICMPv6", len, NOT_UDP, NONE, 0);
		frame[ip + 6] = 6;
		EXPECT("IPv6 TCP", len, NOT_UDP, NONE, 0);
		frame[ip + 6] = 59;
		EXPECT("IPv6 no next header", len, NOT_UDP, NONE, 0);
		frame[ip + 6] = 50;
		EXPECT("IPv6 ESP (not walked)", len, NOT_UDP, NONE, 0);
		s.pad = 30;
		EXPECT("IPv6 with Ethernet padding", build(&s, pl, n), ADMITTED, STUN, 0);
		s.pad = 0;
	}
	/* UDP */
	len = build(&s, pl, 0);
	EXPECT("empty UDP payload", len, EMPTY, NONE, 0);
	if (fam == 4)
		put16(frame + ip + 2, 24);
	else
		put16(frame + ip + 4, 4);
	EXPECT("IP payload of 4 bytes with padding: UDP header cut", len, MALFORMED_UDP, NONE, 0);
	EXPECT("IP payload of 4 bytes, frame ends there", (size_t)udp + 4, MALFORMED_UDP, NONE, 0);
	s.udp_len_delta = 1;
	EXPECT("UDP length one past the IP payload", build(&s, pl, n), MALFORMED_UDP, NONE, 0);
	s.udp_len_delta = -(int)n - 1;
	EXPECT("UDP length 7", build(&s, pl, n), MALFORMED_UDP, NONE, 0);
	s.udp_len_delta = -(int)n - 8;
	EXPECT("UDP length 0 (jumbogram)", build(&s, pl, n), MALFORMED_UDP, NONE, 0);
	s.udp_len_delta = -(int)n;
	EXPECT("UDP length 8 inside a longer IP payload", build(&s, pl, n), EMPTY, NONE, 0);
	memcpy(pl + n, "\xde\xad\xbe\xef", 4);
	s.udp_len_delta = -4;
	EXPECT("UDP length shorter than the IP payload: payload from UDP length",
	       build(&s, pl, n + 4), ADMITTED, STUN, 0);
	s.udp_len_delta = 0;
	EXPECT("trailing bytes inside the UDP length break STUN", build(&s, pl, n + 4), BAD_STUN,
	       STUN, 0);
	s.udp_len_delta = 0;
	s.dport = P_MON;
	s.udp_len_delta = 1;
	EXPECT("malformed UDP to a monitor range still drops", build(&s, pl, n), MALFORMED_UDP,
	       NONE, 0);
}

/* Insert an IPv6 extension header of type t and hlen bytes right after the fixed header. */
static size_t v6_insert(size_t len, uint8_t t, size_t hlen)
{
	uint8_t *ip = frame + 14, *h = ip + 40;

	memmove(h + hlen, h, len - 54);
	memset(h, 0, hlen);
	h[0] = ip[6];
	h[1] = (uint8_t)(t == 51 ? hlen / 4 - 2 : hlen / 8 - 1);
	ip[6] = t;
	put16(ip + 4, (uint16_t)(get16(ip + 4) + hlen));
	return len + hlen;
}

static void test_ipv6_ext(void)
{
	size_t n = stun(pl, 0x0001, 1, 4, 1), len;
	struct pkt_spec s = { .family = 6, .dport = P_WEBRTC };
	int k;

	for (k = 0; k <= 7; k++) {
		char name[64];

		s.ipv6_ext = k;
		snprintf(name, sizeof(name), "%d destination-options headers", k);
		if (k <= RG_MAX_IPV6_EXT)
			EXPECT(name, build(&s, pl, n), ADMITTED, STUN, 0);
		else
			EXPECT(name, build(&s, pl, n), IPV6_EXT_DEPTH, NONE, 0);
	}
	s.ipv6_ext = 8;
	s.dport = P_MON;
	EXPECT("8 extension headers to a monitor range", build(&s, pl, n), IPV6_EXT_DEPTH, NONE, 0);
	s.dport = P_WEBRTC;

	s.ipv6_ext = 5;
	s.frag = 2;
	EXPECT("5 headers and a later fragment (6th)", build(&s, pl, n), FRAG_LATER, NONE, 0);
	s.ipv6_ext = 6;
	EXPECT("6 headers and a later fragment (7th)", build(&s, pl, n), IPV6_EXT_DEPTH, NONE, 0);
	s.ipv6_ext = 5;
	s.frag = 1;
	EXPECT("5 headers and a first fragment", build(&s, pl, n), FRAG_FIRST, NONE, 0);
	s.frag = 0;

	s.ipv6_ext = 0;
	len = v6_insert(build(&s, pl, n), 51, 12);
	EXPECT("AH (length in 4-byte words)", len, ADMITTED, STUN, 0);
	len = v6_insert(build(&s, pl, n), 51, 24);
	EXPECT("AH of 24 bytes", len, ADMITTED, STUN, 0);
	len = v6_insert(build(&s, pl, n), 43, 24);
	len = v6_insert(len, 0, 8);
	EXPECT("hop-by-hop then routing", len, ADMITTED, STUN, 0);
	s.ipv6_ext = 4;
	len = v6_insert(build(&s, pl, n), 51, 12);
	len = v6_insert(len, 0, 16);
	EXPECT("hop-by-hop, AH, 4 destination options (6)", len, ADMITTED, STUN, 0);
	s.ipv6_ext = 5;
	len = v6_insert(build(&s, pl, n), 51, 12);
	len = v6_insert(len, 0, 16);
	EXPECT("hop-by-hop, AH, 5 destination options (7)", len, IPV6_EXT_DEPTH, NONE, 0);
	s.ipv6_ext = 1;
	len = v6_insert(build(&s, pl, n), 135, 8);
	len = v6_insert(len, 139, 8);
	len = v6_insert(len, 140, 8);
	EXPECT("shim6, HIP, mobility, destination options", len, ADMITTED, STUN, 0);

	/* Malformed chains. */
	s.ipv6_ext = 1;
	len = build(&s, pl, n);
	frame[54 + 1] = 5; /* 48 bytes */
	EXPECT("extension header longer than the payload", len, MALFORMED_IP, NONE, 0);
	len = build(&s, pl, n);
	put16(frame + 14 + 4, 4);
	EXPECT("extension header cut by the payload length", len, MALFORMED_IP, NONE, 0);
	EXPECT("extension header cut by the frame", 54 + 4, MALFORMED_IP, NONE, 0);
	len = build(&s, pl, n);
	put16(frame + 14 + 4, 8);
	EXPECT("extension header filling the payload, then UDP", len, MALFORMED_UDP, NONE, 0);
	s.ipv6_ext = 2;
	len = build(&s, pl, n);
	frame[54 + 8] = 6;
	EXPECT("extension headers then TCP", len, NOT_UDP, NONE, 0);
	s.ipv6_ext = 0;
}

static void test_fragments(int fam)
{
	size_t n = stun(pl, 0x0001, 1, 4, 1);
	struct pkt_spec s = { .family = fam, .dport = P_WEBRTC };

	s.frag = 1;
	EXPECT("first fragment", build(&s, pl, n), FRAG_FIRST, NONE, 0);
	s.udp_len_delta = 1000;
	EXPECT("first fragment, UDP length of the whole datagram", build(&s, pl, n), FRAG_FIRST,
	       NONE, 0);
	s.udp_len_delta = 0;
	s.sport = 53;
	EXPECT("first fragment from a reflection port: fragment decides first", build(&s, pl, n),
	       FRAG_FIRST, NONE, 0);
	s.sport = 0;
	s.dport = P_PFF;
	EXPECT("first fragment to a pass-first-fragments range", build(&s, pl, n),
	       FRAG_FIRST_PASSED, NONE, 0);
	s.udp_len_delta = 1000;
	EXPECT("passed first fragment, UDP length of the whole datagram", build(&s, pl, n),
	       FRAG_FIRST_PASSED, NONE, 0);
	s.udp_len_delta = 0;
	s.dport = P_MON;
	EXPECT("first fragment to a monitor range", build(&s, pl, n), FRAG_FIRST, NONE, F_MON);
	s.dport = P_OPEN;
	EXPECT("first fragment to an unprotected port", build(&s, pl, n), UNPROTECTED, NONE, 0);
	s.dport = P_WEBRTC;
	s.dst = fam == 4 ? D4_OUT : D6_OUT;
	EXPECT("first fragment to an unprotected prefix", build(&s, pl, n), UNPROTECTED, NONE, 0);

	s.frag = 2;
	s.dst = NULL;
	EXPECT("later fragment", build(&s, pl, n), FRAG_LATER, NONE, 0);
	s.dport = P_OPEN;
	EXPECT("later fragment (port bytes are payload)", build(&s, pl, n), FRAG_LATER, NONE, 0);
	s.dst = fam == 4 ? D4_EMPTY : D6_EMPTY;
	EXPECT("later fragment to a scope without ranges", build(&s, pl, n), FRAG_LATER, NONE, 0);
	s.dst = fam == 4 ? D4_OUT : D6_OUT;
	EXPECT("later fragment to an unprotected prefix", build(&s, pl, n), UNPROTECTED, NONE, 0);
	s.dst = fam == 4 ? D4_SPEC : D6_SPEC;
	EXPECT("later fragment to a prefix dropping them", build(&s, pl, n), FRAG_LATER_DROPPED,
	       NONE, 0);
	s.dport = P_WEBRTC;
	s.frag = 1;
	EXPECT("first fragment to a prefix dropping later ones", build(&s, pl, n), FRAG_FIRST,
	       NONE, 0);
	s.frag = 0;
	s.dst = NULL;
	if (fam == 4) {
		size_t len = build(&s, pl, n);

		put16(frame + 14 + 6, 0x4000); /* DF only */
		EXPECT("IPv4 DF is not a fragment", len, ADMITTED, STUN, 0);
	}
}

static void test_sources(int fam)
{
	const int v4 = fam == 4;
	size_t n = stun(pl, 0x0001, 1, 4, 1);
	struct pkt_spec s = { .family = fam, .dport = P_WEBRTC };
	static const uint16_t refl[] = { 19, 53, 123, 161, 389, 1900, 3702, 11211, 137, 4444 };
	size_t i;

	for (i = 0; i < sizeof(refl) / sizeof(refl[0]); i++) {
		char name[64];

		s.sport = refl[i];
		snprintf(name, sizeof(name), "IPv%d from reflection port %u", fam, refl[i]);
		EXPECT(name, build(&s, pl, n), REFLECTION, NONE, 0);
	}
	s.sport = 54;
	EXPECT("from port 54", build(&s, pl, n), ADMITTED, STUN, 0);
	s.sport = 53;
	s.src = v4 ? S4_ALLOW : S6_ALLOW;
	EXPECT("reflection port beats an allow entry", build(&s, pl, n), REFLECTION, NONE, 0);
	s.dport = P_MON;
	EXPECT("reflection port to a monitor range", build(&s, pl, n), REFLECTION, NONE, F_MON);
	s.dport = P_WEBRTC;
	s.sport = 0;

	s.src = v4 ? S4_DENY : S6_DENY;
	EXPECT("source in a deny prefix", build(&s, pl, n), DENYLIST, NONE, 0);
	s.dport = P_MON;
	EXPECT("denied source to a monitor range", build(&s, pl, n), DENYLIST, NONE, F_MON);
	s.dport = P_OPEN;
	EXPECT("denied source to an unprotected port", build(&s, pl, n), UNPROTECTED, NONE, 0);
	s.dport = P_WEBRTC;
	s.src = v4 ? S4_ALLOW : S6_ALLOW;
	EXPECT("allow inside deny: longest prefix wins", build(&s, pl, n), ADMITTED, STUN, F_ALLOW);
	EXPECT("allowed source still validated", build(&s, "\x80\x60\x00", 3), BAD_RTP, RTP,
	       F_ALLOW);
	s.src = v4 ? S4_ALLOW2 : S6_ALLOW2;
	EXPECT("source in an allow prefix", build(&s, pl, n), ADMITTED, STUN, F_ALLOW);
	s.src = v4 ? S4_EXPIRED : S6_EXPIRED;
	EXPECT("expired deny entry is as if absent", build(&s, pl, n), ADMITTED, STUN, 0);
	s.src = v4 ? S4_FUTURE : S6_FUTURE;
	EXPECT("deny entry not yet expired", build(&s, pl, n), DENYLIST, NONE, 0);
	s.src = v4 ? "198.19.7.8" : "2001:2:0:7::8";
	EXPECT("neighbour of the allowed host is denied", build(&s, pl, n), DENYLIST, NONE, 0);
	s.src = v4 ? "198.19.6.255" : "2001:2:0:6:ffff:ffff:ffff:ffff";
	EXPECT("just below the deny prefix", build(&s, pl, n), ADMITTED, STUN, 0);
}

static void test_payloads(int fam)
{
	const char *d = dst_of(fam);
	uint8_t *b = pl;
	size_t n;
	int k;

	EXPECT("empty payload", udp_to(fam, d, P_WEBRTC, b, 0), EMPTY, NONE, 0);
	EXPECT("empty payload to the all-kinds range", udp_to(fam, d, P_ALL, b, 0), EMPTY, NONE, 0);
	EXPECT("first byte 4", udp_to(fam, d, P_WEBRTC, "\x04\x00\x00\x00\x00\x00\x00\x00", 8),
	       UNKNOWN_KIND, NONE, 0);
	EXPECT("first byte 15, all kinds admitted",
	       udp_to(fam, d, P_ALL, "\x0f\x00\x00\x00\x00\x00\x00\x00", 8), UNKNOWN_KIND, NONE, 0);

	/* kind-not-admitted */
	n = stun(b, 0x0001, 1, 4, 0);
	EXPECT("classic STUN not admitted", udp_to(fam, d, P_WEBRTC, b, n), NOT_ADMITTED,
	       STUN_CLASSIC, 0);
	n = hex(b, "c3000000010811223344556677880811223344556677880041e0aabbccddeeff");
	EXPECT("QUIC long header not admitted", udp_to(fam, d, P_WEBRTC, b, n), NOT_ADMITTED, QUIC, 0);
	n = channel(b, 0x5001, 16, 20);
	EXPECT("valid legacy channel not admitted", udp_to(fam, d, P_WEBRTC, b, n), NOT_ADMITTED,
	       TURN_CHANNEL_LEGACY, 0);
	n = channel(b, 0x5001, 100, 20);
	EXPECT("0x50 neither valid channel nor admitted QUIC", udp_to(fam, d, P_WEBRTC, b, n),
	       NOT_ADMITTED, QUIC, 0);
	n = channel(b, 0x4000, 16, 20);
	EXPECT("channel to the STUN-only port", udp_to(fam, d, P_STUN, b, n), NOT_ADMITTED,
	       TURN_CHANNEL, 0);
	n = dtls(b, 1);
	EXPECT("DTLS to the STUN-only port", udp_to(fam, d, P_STUN, b, n), NOT_ADMITTED, DTLS, 0);
	n = hex(b, "81c900071a2b3c4d5e6f7081000000000000055a000000000000000000000000");
	EXPECT("RTCP to the STUN-only port", udp_to(fam, d, P_STUN, b, n), NOT_ADMITTED, RTCP, 0);
	EXPECT("RTCP-looking bad payload not admitted: no check",
	       udp_to(fam, d, P_STUN, "\x80\xc8\xff\xff", 4), NOT_ADMITTED, RTCP, 0);

	/* bad-stun */
	n = stun(b, 0x0001, 1, 4, 1);
	EXPECT("STUN of 16 bytes", udp_to(fam, d, P_WEBRTC, b, 16), BAD_STUN, STUN, 0);
	put16(b + 2, 12);
	EXPECT("STUN length field 4 more than the message", udp_to(fam, d, P_WEBRTC, b, n),
	       BAD_STUN, STUN, 0);
	put16(b + 2, 4);
	EXPECT("STUN length field 4 less than the message", udp_to(fam, d, P_WEBRTC, b, n),
	       BAD_STUN, STUN, 0);
	n = stun(b, 0x0001, 0, 0, 1);
	memcpy(b + 20, "\x80\x22\x00\x02zz", 6);
	put16(b + 2, 6);
	EXPECT("STUN with an unpadded last attribute (Microsoft TURN, WhatsApp)",
	       udp_to(fam, d, P_WEBRTC, b, 26), ADMITTED, STUN, 0);
	put16(b + 20 + 2, 3);
	EXPECT("STUN length not a multiple of 4, attribute fits neither walk",
	       udp_to(fam, d, P_WEBRTC, b, 26), BAD_STUN, STUN, 0);
	n = stun(b, 0x0001, 2, 4, 1);
	put16(b + 20 + 2, 16);
	EXPECT("STUN attribute overruns the message", udp_to(fam, d, P_WEBRTC, b, n), BAD_STUN,
	       STUN, 0);
	n = stun(b, 0x0001, 2, 4, 1);
	put16(b + 28 + 2, 0xffff);
	EXPECT("last STUN attribute length 65535", udp_to(fam, d, P_WEBRTC, b, n), BAD_STUN, STUN, 0);
	n = stun(b, 0x0001, 2, 4, 1);
	put16(b + 20 + 2, 2);
	EXPECT("STUN attribute length padded to 4", udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, STUN,
	       0);
	n = stun(b, 0x0001, 1, 4, 0);
	put16(b + 2, 0);
	EXPECT("bad classic STUN where admitted", udp_to(fam, d, P_ALL, b, n), BAD_STUN,
	       STUN_CLASSIC, 0);

	/* stun-attr-cap: 31, 32 and 33 attributes */
	for (k = RG_STUN_MAX_ATTRS - 1; k <= RG_STUN_MAX_ATTRS + 1; k++) {
		char name[64];

		n = stun(b, 0x0001, k, 0, 1);
		snprintf(name, sizeof(name), "STUN with %d empty attributes", k);
		if (k <= RG_STUN_MAX_ATTRS)
			EXPECT(name, udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, STUN, 0);
		else
			EXPECT(name, udp_to(fam, d, P_WEBRTC, b, n), STUN_ATTR_CAP, STUN, 0);
		n = stun(b, 0x0001, k, 8, 1);
		snprintf(name, sizeof(name), "STUN with %d 8-byte attributes", k);
		if (k <= RG_STUN_MAX_ATTRS)
			EXPECT(name, udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, STUN, 0);
		else
			EXPECT(name, udp_to(fam, d, P_WEBRTC, b, n), STUN_ATTR_CAP, STUN, 0);
	}
	n = stun(b, 0x0001, RG_STUN_MAX_ATTRS + 1, 0, 1);
	EXPECT("STUN over the attribute cap to a monitor range", udp_to(fam, d, P_MON, b, n),
	       STUN_ATTR_CAP, STUN, F_MON);
	n = stun(b, 0x0001, RG_STUN_MAX_ATTRS + 1, 0, 1);
	put16(b + 2, (uint16_t)(get16(b + 2) + 4));
	EXPECT("STUN over the cap with a bad length: length first", udp_to(fam, d, P_WEBRTC, b, n),
	       BAD_STUN, STUN, 0);

	/* stun-method */
	n = stun(b, 0x0002, 1, 4, 1);
	EXPECT("STUN method 0x002 (SharedSecret)", udp_to(fam, d, P_WEBRTC, b, n), STUN_METHOD,
	       STUN, 0);
	n = stun(b, 0x02ef, 1, 4, 1);
	EXPECT("STUN method 0x0ff (highest a first byte 0-3 can carry)",
	       udp_to(fam, d, P_WEBRTC, b, n), STUN_METHOD, STUN, 0);
	n = stun(b, 0x0005, 0, 0, 0);
	EXPECT("classic STUN method 0x005", udp_to(fam, d, P_ALL, b, n), STUN_METHOD, STUN_CLASSIC, 0);
	n = stun(b, 0x0011, 1, 4, 1);
	EXPECT("Binding indication", udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, STUN, 0);
	n = stun(b, 0x0016, 1, 4, 1);
	EXPECT("Send indication", udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, STUN, 0);

	/* bad-channel */
	EXPECT("ChannelData of 3 bytes", udp_to(fam, d, P_WEBRTC, "\x40\x00\x00", 3), BAD_CHANNEL,
	       TURN_CHANNEL, 0);
	n = channel(b, 0x4000, 100, 8);
	EXPECT("ChannelData length past the payload", udp_to(fam, d, P_WEBRTC, b, n), BAD_CHANNEL,
	       TURN_CHANNEL, 0);
	n = channel(b, 0x4000, 5, 13);
	EXPECT("ChannelData longer than its padding", udp_to(fam, d, P_WEBRTC, b, n), BAD_CHANNEL,
	       TURN_CHANNEL, 0);
	n = channel(b, 0x4000, 0xffff, 20);
	EXPECT("ChannelData length 65535 (32-bit sum)", udp_to(fam, d, P_WEBRTC, b, n), BAD_CHANNEL,
	       TURN_CHANNEL, 0);
	n = channel(b, 0x5000, 100, 20);
	EXPECT("bad legacy channel where admitted", udp_to(fam, d, P_LEG, b, n), BAD_CHANNEL,
	       TURN_CHANNEL_LEGACY, 0);
	n = channel(b, 0x4000, 100, 20);
	EXPECT("bad channel where legacy admitted", udp_to(fam, d, P_LEG, b, n), BAD_CHANNEL,
	       TURN_CHANNEL, 0);

	/* bad-dtls */
	n = dtls(b, 1);
	b[2] = 0xfc;
	EXPECT("DTLS version 0xfefc", udp_to(fam, d, P_WEBRTC, b, n), BAD_DTLS, DTLS, 0);
	n = dtls(b, 1);
	b[1] = 0x03; b[2] = 0x03;
	EXPECT("TLS version 0x0303", udp_to(fam, d, P_WEBRTC, b, n), BAD_DTLS, DTLS, 0);
	n = dtls(b, 1);
	EXPECT("DTLS record cut by one byte", udp_to(fam, d, P_WEBRTC, b, n - 1), BAD_DTLS, DTLS, 0);
	EXPECT("DTLS header of 12 bytes", udp_to(fam, d, P_WEBRTC, b, 12), BAD_DTLS, DTLS, 0);
	n = dtls(b, 1);
	b[n] = 0xaa;
	EXPECT("DTLS record then a stray byte", udp_to(fam, d, P_WEBRTC, b, n + 1), BAD_DTLS, DTLS, 0);
	n = dtls(b, 1);
	b[0] = 27;
	EXPECT("DTLS content type 27", udp_to(fam, d, P_WEBRTC, b, n), BAD_DTLS, DTLS, 0);
	n = hex(b, "2c9a3c000f0102030405060708090a0b0c0d0e");
	EXPECT("DTLS 1.3 record length 15", udp_to(fam, d, P_WEBRTC, b, n), BAD_DTLS, DTLS, 0);
	n = hex(b, "2c9a3c00100102030405060708090a0b0c0d0e0f10");
	EXPECT("DTLS 1.3 record length 16", udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, DTLS, 0);
	n = hex(b, "2c9a3c00110102030405060708090a0b0c0d0e0f");
	EXPECT("DTLS 1.3 record length past the payload", udp_to(fam, d, P_WEBRTC, b, n), BAD_DTLS,
	       DTLS, 0);
	n = hex(b, "2a9a3c0102030405060708090a0b0c0d0e0f");
	EXPECT("DTLS 1.3 record without length, 15 bytes of ciphertext",
	       udp_to(fam, d, P_WEBRTC, b, n), BAD_DTLS, DTLS, 0);
	n = hex(b, "3a01020304050607080900");
	EXPECT("DTLS 1.3 with CID, too short", udp_to(fam, d, P_WEBRTC, b, n), BAD_DTLS, DTLS, 0);

	/* dtls-record-cap: 7, 8 and 9 records */
	for (k = RG_DTLS_MAX_RECORDS - 1; k <= RG_DTLS_MAX_RECORDS + 1; k++) {
		char name[64];

		n = dtls(b, k);
		snprintf(name, sizeof(name), "%d DTLS records", k);
		if (k <= RG_DTLS_MAX_RECORDS)
			EXPECT(name, udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, DTLS, 0);
		else
			EXPECT(name, udp_to(fam, d, P_WEBRTC, b, n), DTLS_RECORD_CAP, DTLS, 0);
	}
	n = dtls(b, RG_DTLS_MAX_RECORDS);
	n += (size_t)hex(b + n, "2a9a3c000102030405060708090a0b0c0d0e0f");
	EXPECT("8 records then a 9th", udp_to(fam, d, P_WEBRTC, b, n), DTLS_RECORD_CAP, DTLS, 0);
	n = dtls(b, RG_DTLS_MAX_RECORDS - 1);
	n += (size_t)hex(b + n, "2a9a3c000102030405060708090a0b0c0d0e0f");
	EXPECT("7 records then one without length", udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, DTLS, 0);
	n = dtls(b, RG_DTLS_MAX_RECORDS + 1);
	EXPECT("9 DTLS records to a monitor range", udp_to(fam, d, P_MON, b, n), DTLS_RECORD_CAP,
	       DTLS, F_MON);

	/* bad-rtp */
	n = rtp(b, 0, 0, 0, 0);
	EXPECT("RTP of 11 bytes", udp_to(fam, d, P_WEBRTC, b, n - 1), BAD_RTP, RTP, 0);
	n = rtp(b, 3, 0, 0, 0);
	EXPECT("RTP CSRCs past the payload", udp_to(fam, d, P_WEBRTC, b, n - 1), BAD_RTP, RTP, 0);
	n = rtp(b, 0, 1, 2, 0);
	EXPECT("RTP extension past the payload", udp_to(fam, d, P_WEBRTC, b, n - 1), BAD_RTP, RTP, 0);
	EXPECT("RTP extension header cut", udp_to(fam, d, P_WEBRTC, b, 14), BAD_RTP, RTP, 0);
	EXPECT("RTP extension exactly filling the payload", udp_to(fam, d, P_WEBRTC, b, n), ADMITTED,
	       RTP, 0);
	n = rtp(b, 1, 1, 0, 20);
	put16(b + 16 + 2, 0xffff);
	EXPECT("RTP extension length 65535", udp_to(fam, d, P_WEBRTC, b, 40), BAD_RTP, RTP, 0);
	n = rtp(b, 0, 0, 0, 4);
	EXPECT("bad RTP to a monitor range", udp_to(fam, d, P_MON, b, 11), BAD_RTP, RTP, F_MON);
	EXPECT("RTP to a monitor range", udp_to(fam, d, P_MON, b, n), ADMITTED, RTP, 0);

	/* bad-rtcp */
	EXPECT("RTCP of 3 bytes", udp_to(fam, d, P_WEBRTC, "\x80\xc9\x00", 3), BAD_RTCP, RTCP, 0);
	n = hex(b, "81c900081a2b3c4d5e6f7081000000000000055a000000000000000000000000");
	EXPECT("RTCP length past the payload", udp_to(fam, d, P_WEBRTC, b, n), BAD_RTCP, RTCP, 0);
	n = hex(b, "82c900071a2b3c4d5e6f7081000000000000055a000000000000000000000000");
	EXPECT("RTCP RR announcing more blocks than it holds (WhatsApp SRTCP)",
	       udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, RTCP, 0);
	n = hex(b, "81c800061a2b3c4d0000000100000002000000030000000400000005");
	EXPECT("RTCP SR with a block it lacks: only the length is checked",
	       udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, RTCP, 0);
	n = hex(b, "80c9000100000000");
	EXPECT("RTCP RR without blocks", udp_to(fam, d, P_WEBRTC, b, n), ADMITTED, RTCP, 0);
	n = hex(b, "81c900081a2b3c4d5e6f7081000000000000055a000000000000000000000000");
	EXPECT("bad RTCP to a monitor range", udp_to(fam, d, P_MON, b, n), BAD_RTCP, RTCP, F_MON);

	/* bad-zrtp */
	n = zrtp(b);
	b[4] = 'X';
	EXPECT("ZRTP bad cookie", udp_to(fam, d, P_ALL, b, n), BAD_ZRTP, ZRTP, 0);
	n = zrtp(b);
	b[12] = 0;
	EXPECT("ZRTP bad preamble", udp_to(fam, d, P_ALL, b, n), BAD_ZRTP, ZRTP, 0);
	n = zrtp(b);
	EXPECT("ZRTP length not filling the packet", udp_to(fam, d, P_ALL, b, n - 1), BAD_ZRTP,
	       ZRTP, 0);
	EXPECT("ZRTP of 19 bytes", udp_to(fam, d, P_ALL, b, 19), BAD_ZRTP, ZRTP, 0);
	n = zrtp(b);
	b[0] = 0x13;
	EXPECT("ZRTP first byte 0x13", udp_to(fam, d, P_ALL, b, n), ADMITTED, ZRTP, 0);

	/* bad-quic */
	EXPECT("QUIC long header of 6 bytes",
	       udp_to(fam, d, P_ALL, "\xc3\x00\x00\x00\x01\x00", 6), BAD_QUIC, QUIC, 0);
	n = hex(b, "c300000001150102030405060708090a0b0c0d0e0f101112131415000000");
	EXPECT("QUIC v1 DCID of 21 bytes", udp_to(fam, d, P_ALL, b, n), BAD_QUIC, QUIC, 0);
	n = hex(b, "c300000001081122334455667788150102030405060708090a0b0c0d0e0f101112131415");
	EXPECT("QUIC v1 SCID of 21 bytes", udp_to(fam, d, P_ALL, b, n), BAD_QUIC, QUIC, 0);
	n = hex(b, "c3000000010811223344556677880811223344556677");
	EXPECT("QUIC SCID past the payload", udp_to(fam, d, P_ALL, b, n), BAD_QUIC, QUIC, 0);
	n = hex(b, "c3000000010811223344");
	EXPECT("QUIC DCID past the payload", udp_to(fam, d, P_ALL, b, n), BAD_QUIC, QUIC, 0);
	n = channel(b, 0x70aa, 0xffff, 20);
	EXPECT("QUIC short header of 20 bytes", udp_to(fam, d, P_ALL, b, n), BAD_QUIC, QUIC, 0);
	n = channel(b, 0x4000, 100, 8);
	EXPECT("0x40 neither channel nor QUIC: QUIC's reason", udp_to(fam, d, P_ALL, b, n),
	       BAD_QUIC, QUIC, 0);
	n = hex(b, "ff0000645a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	EXPECT("QUIC long header 0xff, DCID length 90", udp_to(fam, d, P_ALL, b, n), BAD_QUIC,
	       QUIC, 0);
}

static void test_bypass(void)
{
	size_t n = stun(pl, 0x0001, 1, 4, 1);
	struct pkt_spec s = { .family = 4, .dport = P_WEBRTC };

	EXPECT("bypass: valid STUN", build(&s, pl, n), BYPASS, NONE, 0);
	s.family = 6;
	EXPECT("bypass: IPv6 STUN", build(&s, pl, n), BYPASS, NONE, 0);
	s.vlans = 3;
	EXPECT("bypass: 3 VLAN tags", build(&s, pl, n), BYPASS, NONE, 0);
	s.vlans = 0;
	s.src = S6_DENY;
	EXPECT("bypass: denied source", build(&s, pl, n), BYPASS, NONE, 0);
	s.src = NULL;
	s.dport = P_MON;
	EXPECT("bypass: bad payload to a monitor range", build(&s, "\x08", 1), BYPASS, NONE, 0);
	memset(frame, 0, 60);
	put16(frame + 12, 0x0806);
	EXPECT("bypass: ARP", 60, BYPASS, NONE, 0);
	put16(frame + 12, 0x8100);
	EXPECT("bypass: truncated VLAN", 15, BYPASS, NONE, 0);
}

int main(void)
{
	struct rg_policy pol;
	int fam, r;

	make_policy(&pol, 0);
	cur_pol = &pol;
	st_load_policy(&dp, IFSLOT, &pol);
	for (fam = 4; fam <= 6; fam += 2) {
		test_admitted(fam);
		test_scope(fam);
		test_ip(fam);
		test_fragments(fam);
		test_sources(fam);
		test_payloads(fam);
	}
	test_l2();
	test_ipv6_ext();
	dataplane_close(&dp);
	policy_free(&pol);

	make_policy(&pol, 1);
	cur_pol = &pol;
	st_load_policy(&dp, IFSLOT, &pol);
	test_bypass();
	dataplane_close(&dp);
	policy_free(&pol);

	for (r = 0; r < RG_REASON_COUNT; r++)
		CHECK_MSG(seen[r], "reason %s is in the table but no case exercises it",
			  rg_reason_names[r]);
	printf("test_reasons: %d frames\n", cases);
	return st_finish("test_reasons");
}
