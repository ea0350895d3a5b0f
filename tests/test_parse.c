// SPDX-License-Identifier: GPL-2.0
/*
 * The packet's path before the classifier, through policy_judge on whole
 * frames: Ethernet and VLAN tags, IPv4 and IPv6 with their lengths and
 * extension headers, UDP lengths, fragments, scope, reflection ports,
 * source lists, monitor mode and bypass.
 */
#include "rg_test.h"

#define NOW 1000000000000ull

/* A valid STUN Binding request (20 bytes) and a ChannelData with no data. */
static const char stun_bind[] = "000100002112a442b1c2d3e4f5061728394a5b6c";
static const char chan_empty[] = "40000000";

static struct rg_policy pol;
static uint8_t frame[2048];

static void setup(void)
{
	rg_test_policy(&pol, 49152, 65535, RG_ADMIT_WEBRTC, 0);
}

static void teardown(void)
{
	policy_free(&pol);
}

/* Build a frame around a hex payload; returns its length. */
static size_t build(const struct pkt_spec *s, const char *hex)
{
	uint8_t payload[512];
	size_t n = rg_test_unhex(hex, payload, sizeof(payload));
	size_t len = pkt_build(s, payload, n, frame, sizeof(frame));

	cr_assert(len > 0, "pkt_build failed");
	return len;
}

#define judge(len, want_r, want_k) expect_judge(&pol, frame, (len), NOW, (want_r), (want_k))

/* ---- Ethernet and VLAN ---- */

TestSuite(l2, .init = setup, .fini = teardown);

Test(l2, zero_one_and_two_vlan_tags_are_parsed)
{
	int v;

	for (v = 0; v <= 2; v++) {
		struct pkt_spec s = { .family = 4, .vlans = v };

		judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
		s.family = 6;
		judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	}
}

Test(l2, three_vlan_tags_exceed_the_depth)
{
	struct pkt_spec s = { .family = 4, .vlans = 3 };

	judge(build(&s, stun_bind), RG_R_VLAN_DEPTH, RG_K_NONE);
}

Test(l2, truncated_ethernet_header_is_malformed)
{
	struct pkt_spec s = { .family = 4 };

	build(&s, stun_bind);
	judge(13, RG_R_MALFORMED_L2, RG_K_NONE);
	judge(0, RG_R_MALFORMED_L2, RG_K_NONE);
}

Test(l2, truncated_vlan_tag_is_malformed)
{
	struct pkt_spec s = { .family = 4, .vlans = 1 };

	build(&s, stun_bind);
	judge(17, RG_R_MALFORMED_L2, RG_K_NONE);
}

Test(l2, non_ip_ethertype_is_out_of_scope)
{
	struct pkt_spec s = { .family = 4 };
	size_t len = build(&s, stun_bind);

	pkt_put16(frame + 12, 0x0806); /* ARP */
	judge(len, RG_R_NOT_IP, RG_K_NONE);
	s.vlans = 1;
	len = build(&s, stun_bind);
	pkt_put16(frame + 16, 0x88cc); /* LLDP behind a tag */
	judge(len, RG_R_NOT_IP, RG_K_NONE);
}

/* ---- IPv4 ---- */

TestSuite(ipv4, .init = setup, .fini = teardown);

Test(ipv4, options_are_skipped)
{
	struct pkt_spec s = { .family = 4, .ipv4_opt_words = 1 };

	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	s.ipv4_opt_words = 10; /* IHL 15, the most */
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
}

Test(ipv4, ihl_below_5_is_malformed)
{
	struct pkt_spec s = { .family = 4 };
	size_t len = build(&s, stun_bind);

	frame[14] = 0x44;
	judge(len, RG_R_MALFORMED_IP, RG_K_NONE);
	frame[14] = 0x40;
	judge(len, RG_R_MALFORMED_IP, RG_K_NONE);
	frame[14] = 0x45;
	judge(len, RG_R_ADMITTED, RG_K_STUN);
}

Test(ipv4, wrong_version_is_malformed)
{
	struct pkt_spec s = { .family = 4 };
	size_t len = build(&s, stun_bind);

	frame[14] = 0x65;
	judge(len, RG_R_MALFORMED_IP, RG_K_NONE);
}

Test(ipv4, truncated_header_is_malformed)
{
	struct pkt_spec s = { .family = 4 };

	build(&s, stun_bind);
	judge(14 + 19, RG_R_MALFORMED_IP, RG_K_NONE);
	s.ipv4_opt_words = 2; /* options cut off: total length beyond the frame */
	build(&s, stun_bind);
	judge(14 + 22, RG_R_MALFORMED_IP, RG_K_NONE);
}

Test(ipv4, total_length_beyond_frame_is_malformed)
{
	struct pkt_spec s = { .family = 4, .ip_len_delta = 1 };

	judge(build(&s, stun_bind), RG_R_MALFORMED_IP, RG_K_NONE);
	s.ip_len_delta = 0;
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
}

Test(ipv4, total_length_below_header_length_is_malformed)
{
	struct pkt_spec s = { .family = 4, .ipv4_opt_words = 2 };
	size_t len = build(&s, stun_bind);

	pkt_put16(frame + 16, 27); /* IHL says 28 */
	judge(len, RG_R_MALFORMED_IP, RG_K_NONE);
}

Test(ipv4, total_length_shorter_than_udp_length_is_malformed_udp)
{
	struct pkt_spec s = { .family = 4, .ip_len_delta = -1 };

	judge(build(&s, stun_bind), RG_R_MALFORMED_UDP, RG_K_NONE);
}

Test(ipv4, ethernet_padding_after_a_short_datagram_passes)
{
	struct pkt_spec s = { .family = 4, .pad = 14 };
	size_t len = build(&s, chan_empty);

	cr_assert_eq(len, 60);
	judge(len, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
	/* padding that looks like data is not read either */
	memset(frame + 46, 0xff, 14);
	judge(len, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
}

Test(ipv4, dont_fragment_bit_is_not_a_fragment)
{
	struct pkt_spec s = { .family = 4 };
	size_t len = build(&s, stun_bind);

	pkt_put16(frame + 20, 0x4000);
	judge(len, RG_R_ADMITTED, RG_K_STUN);
}

Test(ipv4, tcp_is_out_of_scope)
{
	struct pkt_spec s = { .family = 4 };
	size_t len = build(&s, stun_bind);

	frame[23] = 6;
	judge(len, RG_R_NOT_UDP, RG_K_NONE);
}

/* ---- UDP ---- */

TestSuite(udp, .init = setup, .fini = teardown);

Test(udp, length_longer_than_ip_payload_is_malformed)
{
	struct pkt_spec s = { .family = 4, .udp_len_delta = 1 };

	judge(build(&s, stun_bind), RG_R_MALFORMED_UDP, RG_K_NONE);
	s.family = 6;
	judge(build(&s, stun_bind), RG_R_MALFORMED_UDP, RG_K_NONE);
}

Test(udp, length_below_8_is_malformed)
{
	struct pkt_spec s = { .family = 4, .udp_len_delta = -(8 + 20) + 7 };

	judge(build(&s, stun_bind), RG_R_MALFORMED_UDP, RG_K_NONE);
	s.udp_len_delta = -20; /* exactly 8: empty payload */
	judge(build(&s, stun_bind), RG_R_EMPTY, RG_K_NONE);
	s.family = 6;
	s.udp_len_delta = -(8 + 20) + 7;
	judge(build(&s, stun_bind), RG_R_MALFORMED_UDP, RG_K_NONE);
	s.udp_len_delta = -(8 + 20); /* 0: a jumbogram's length, not RTC */
	judge(build(&s, stun_bind), RG_R_MALFORMED_UDP, RG_K_NONE);
}

Test(udp, payload_ends_at_the_udp_length_not_the_ip_length)
{
	struct pkt_spec s = { .family = 4, .udp_len_delta = -4 };

	/* 4 bytes past the UDP length are not payload */
	judge(build(&s, "40000000deadbeef"), RG_R_ADMITTED, RG_K_TURN_CHANNEL);
	s.udp_len_delta = 0;
	judge(build(&s, "40000000deadbeef"), RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
	/* a STUN message cut by the UDP length no longer fits its own length */
	s.udp_len_delta = -4;
	judge(build(&s, stun_bind), RG_R_BAD_STUN, RG_K_STUN);
	s.family = 6;
	judge(build(&s, "40000000deadbeef"), RG_R_ADMITTED, RG_K_TURN_CHANNEL);
}

Test(udp, truncated_udp_header_is_malformed)
{
	struct pkt_spec s = { .family = 4 };
	size_t len = build(&s, "");

	/* IP total length 27: the UDP header does not fit the IP payload */
	pkt_put16(frame + 16, 27);
	judge(len - 1, RG_R_MALFORMED_UDP, RG_K_NONE);
}

Test(udp, empty_payload_to_a_protected_port_is_dropped)
{
	struct pkt_spec s = { .family = 4 };

	judge(build(&s, ""), RG_R_EMPTY, RG_K_NONE);
}

/* ---- IPv6 ---- */

TestSuite(ipv6, .init = setup, .fini = teardown);

Test(ipv6, five_and_six_extension_headers_are_walked)
{
	struct pkt_spec s = { .family = 6, .ipv6_ext = 5 };

	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	s.ipv6_ext = 6;
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
}

Test(ipv6, seven_extension_headers_exceed_the_depth)
{
	struct pkt_spec s = { .family = 6, .ipv6_ext = 7 };

	judge(build(&s, stun_bind), RG_R_IPV6_EXT_DEPTH, RG_K_NONE);
}

Test(ipv6, fragment_header_counts_toward_the_six)
{
	struct pkt_spec s = { .family = 6, .ipv6_ext = 5, .frag = 2 };

	judge(build(&s, stun_bind), RG_R_FRAG_LATER, RG_K_NONE);
	s.frag = 1;
	judge(build(&s, stun_bind), RG_R_FRAG_FIRST, RG_K_NONE);
	s.ipv6_ext = 6;
	judge(build(&s, stun_bind), RG_R_IPV6_EXT_DEPTH, RG_K_NONE);
	s.frag = 2;
	judge(build(&s, stun_bind), RG_R_IPV6_EXT_DEPTH, RG_K_NONE);
}

Test(ipv6, authentication_header_length_counts_4_byte_words)
{
	struct pkt_spec s = { .family = 6, .ipv6_ext = 2 };
	size_t len = build(&s, stun_bind);

	/* one 16-byte AH instead of two 8-byte destination options */
	frame[14 + 6] = 51;
	frame[14 + 40] = 17;
	frame[14 + 40 + 1] = 2; /* (2 + 2) * 4 = 16 */
	judge(len, RG_R_ADMITTED, RG_K_STUN);
	frame[14 + 6] = 0; /* hop-by-hop: (2 + 1) * 8 = 24 bytes, a STUN header read as UDP */
	judge(len, RG_R_MALFORMED_UDP, RG_K_NONE);
}

Test(ipv6, truncated_header_is_malformed)
{
	struct pkt_spec s = { .family = 6 };

	build(&s, stun_bind);
	judge(14 + 39, RG_R_MALFORMED_IP, RG_K_NONE);
}

Test(ipv6, wrong_version_is_malformed)
{
	struct pkt_spec s = { .family = 6 };
	size_t len = build(&s, stun_bind);

	frame[14] = 0x40;
	judge(len, RG_R_MALFORMED_IP, RG_K_NONE);
}

Test(ipv6, payload_length_beyond_frame_is_malformed)
{
	struct pkt_spec s = { .family = 6, .ip_len_delta = 1 };

	judge(build(&s, stun_bind), RG_R_MALFORMED_IP, RG_K_NONE);
	s.ip_len_delta = -1;
	judge(build(&s, stun_bind), RG_R_MALFORMED_UDP, RG_K_NONE);
}

Test(ipv6, extension_header_beyond_payload_length_is_malformed)
{
	struct pkt_spec s = { .family = 6, .ipv6_ext = 1 };
	size_t len = build(&s, stun_bind);

	frame[14 + 40 + 1] = 4; /* 40 bytes, the payload has 36 */
	judge(len, RG_R_MALFORMED_IP, RG_K_NONE);
}

Test(ipv6, ethernet_padding_after_a_short_datagram_passes)
{
	struct pkt_spec s = { .family = 6, .pad = 10 };

	memset(frame, 0, sizeof(frame));
	judge(build(&s, chan_empty), RG_R_ADMITTED, RG_K_TURN_CHANNEL);
}

Test(ipv6, tcp_and_no_next_header_are_out_of_scope)
{
	struct pkt_spec s = { .family = 6 };
	size_t len = build(&s, stun_bind);

	frame[14 + 6] = 6;
	judge(len, RG_R_NOT_UDP, RG_K_NONE);
	frame[14 + 6] = 59;
	judge(len, RG_R_NOT_UDP, RG_K_NONE);
	s.ipv6_ext = 2;
	len = build(&s, stun_bind);
	frame[14 + 40 + 8] = 6; /* TCP behind two extension headers */
	judge(len, RG_R_NOT_UDP, RG_K_NONE);
}

/* ---- fragments ---- */

TestSuite(frag, .init = setup, .fini = teardown);

static void set_range_flags(__u16 flags)
{
	size_t i;

	for (i = 0; i < pol.nscopes; i++)
		pol.scopes[i].scope.range[0].flags = flags;
}

static void set_scope_flags(__u32 flags)
{
	size_t i;

	for (i = 0; i < pol.nscopes; i++)
		pol.scopes[i].scope.flags = flags;
}

Test(frag, first_fragment_to_protected_port_is_dropped)
{
	struct pkt_spec s = { .family = 4, .frag = 1 };

	judge(build(&s, stun_bind), RG_R_FRAG_FIRST, RG_K_NONE);
	s.family = 6;
	judge(build(&s, stun_bind), RG_R_FRAG_FIRST, RG_K_NONE);
}

Test(frag, first_fragment_passed_by_range_policy)
{
	struct pkt_spec s = { .family = 4, .frag = 1 };

	set_range_flags(RG_RANGE_PASS_FIRST_FRAG);
	judge(build(&s, stun_bind), RG_R_FRAG_FIRST_PASSED, RG_K_NONE);
	s.family = 6;
	judge(build(&s, stun_bind), RG_R_FRAG_FIRST_PASSED, RG_K_NONE);
}

Test(frag, first_fragment_udp_length_is_not_checked)
{
	struct pkt_spec s = { .family = 4, .frag = 1, .udp_len_delta = 1400 };

	judge(build(&s, stun_bind), RG_R_FRAG_FIRST, RG_K_NONE);
	s.family = 6;
	judge(build(&s, stun_bind), RG_R_FRAG_FIRST, RG_K_NONE);
}

Test(frag, ipv4_every_offset_bit_makes_a_later_fragment)
{
	struct pkt_spec s = { .family = 4 };
	size_t len = build(&s, stun_bind);
	static const uint16_t offs[] = { 0x0001, 0x0100, 0x1000, 0x1fff, 0x3fff };
	size_t i;

	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		pkt_put16(frame + 20, offs[i]);
		judge(len, RG_R_FRAG_LATER, RG_K_NONE);
	}
	pkt_put16(frame + 20, 0x2000);
	judge(len, RG_R_FRAG_FIRST, RG_K_NONE);
	pkt_put16(frame + 20, 0x6000); /* DF and MF, offset 0 */
	judge(len, RG_R_FRAG_FIRST, RG_K_NONE);
}

Test(frag, ipv6_every_offset_bit_makes_a_later_fragment)
{
	struct pkt_spec s = { .family = 6, .frag = 2 };
	size_t len = build(&s, stun_bind);
	static const uint16_t offs[] = { 0x0008, 0x0100, 0x8000, 0xfff8, 0xfff9 };
	size_t i;

	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		pkt_put16(frame + 14 + 40 + 2, offs[i]);
		judge(len, RG_R_FRAG_LATER, RG_K_NONE);
	}
	pkt_put16(frame + 14 + 40 + 2, 0x0001);
	judge(len, RG_R_FRAG_FIRST, RG_K_NONE);
	pkt_put16(frame + 14 + 40 + 2, 0x0000); /* atomic fragment (RFC 6946): whole */
	judge(len, RG_R_ADMITTED, RG_K_STUN);
}

Test(frag, first_fragment_to_unprotected_port_is_out_of_scope)
{
	struct pkt_spec s = { .family = 4, .frag = 1, .dport = 443 };

	judge(build(&s, stun_bind), RG_R_UNPROTECTED, RG_K_NONE);
}

Test(frag, later_fragment_passes_by_default)
{
	struct pkt_spec s = { .family = 4, .frag = 2 };

	judge(build(&s, stun_bind), RG_R_FRAG_LATER, RG_K_NONE);
	s.family = 6;
	judge(build(&s, stun_bind), RG_R_FRAG_LATER, RG_K_NONE);
}

Test(frag, later_fragment_dropped_where_the_prefix_opts_in)
{
	struct pkt_spec s = { .family = 4, .frag = 2 };

	set_scope_flags(RG_SCOPE_DROP_LATER_FRAGS);
	judge(build(&s, stun_bind), RG_R_FRAG_LATER_DROPPED, RG_K_NONE);
	s.family = 6;
	judge(build(&s, stun_bind), RG_R_FRAG_LATER_DROPPED, RG_K_NONE);
}

Test(frag, later_fragment_without_udp_header_bytes_is_not_malformed)
{
	struct pkt_spec s = { .family = 4, .frag = 2 };
	size_t len = build(&s, "");

	/* a 4-byte later fragment: no room for a UDP header, none is read */
	pkt_put16(frame + 16, 24);
	judge(len - 4, RG_R_FRAG_LATER, RG_K_NONE);
}

/* ---- scope ---- */

TestSuite(scope, .init = setup, .fini = teardown);

Test(scope, unprotected_port_is_out_of_scope)
{
	struct pkt_spec s = { .family = 4, .dport = 443 };

	judge(build(&s, "0fffffff"), RG_R_UNPROTECTED, RG_K_NONE);
	s.dport = 49151;
	judge(build(&s, "0fffffff"), RG_R_UNPROTECTED, RG_K_NONE);
	s.dport = 49152;
	judge(build(&s, "0fffffff"), RG_R_UNKNOWN_KIND, RG_K_NONE);
	s.dport = 65535;
	judge(build(&s, "0fffffff"), RG_R_UNKNOWN_KIND, RG_K_NONE);
}

Test(scope, unprotected_prefix_is_out_of_scope)
{
	struct rg_port_range r = { .lo = 1, .hi = 65535, .admit = RG_ADMIT_WEBRTC };
	struct rg_scope sc = { .nranges = 1, .range = { r } };
	struct rg_prefix p;
	struct pkt_spec s = { .family = 4, .dst = "198.18.0.2" };

	policy_free(&pol);
	policy_init_defaults(&pol);
	p = (struct rg_prefix){ .family = 4, .len = 15, .addr = { 198, 18 } };
	cr_assert(policy_add_scope(&pol, &p, &sc) == 0);
	judge(build(&s, "0fffffff"), RG_R_UNKNOWN_KIND, RG_K_NONE);
	s.dst = "198.20.0.2";
	judge(build(&s, "0fffffff"), RG_R_UNPROTECTED, RG_K_NONE);
	s.family = 6;
	s.dst = NULL;
	judge(build(&s, "0fffffff"), RG_R_UNPROTECTED, RG_K_NONE);
}

Test(scope, out_of_scope_garbage_is_never_judged)
{
	struct pkt_spec s = { .family = 4, .dport = 53, .sport = 53 };

	/* DNS from port 53 to an unprotected port: no reflection drop */
	judge(build(&s, "ffff"), RG_R_UNPROTECTED, RG_K_NONE);
}

/* ---- reflection ports ---- */

TestSuite(reflection, .init = setup, .fini = teardown);

Test(reflection, source_port_53_is_dropped)
{
	struct pkt_spec s = { .family = 4, .sport = 53 };

	judge(build(&s, stun_bind), RG_R_REFLECTION, RG_K_NONE);
	s.family = 6;
	judge(build(&s, stun_bind), RG_R_REFLECTION, RG_K_NONE);
	s.sport = 54;
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	s.sport = 52;
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
}

Test(reflection, default_ports_from_the_design)
{
	static const uint16_t ports[] = { 53, 123, 19, 1900, 11211, 389, 161, 3702, 137 };
	size_t i;

	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		struct pkt_spec s = { .family = 4, .sport = ports[i] };

		judge(build(&s, stun_bind), RG_R_REFLECTION, RG_K_NONE);
	}
}

Test(reflection, configurable)
{
	struct pkt_spec s = { .family = 4, .sport = 53 };

	policy_set_reflection_port(&pol, 53, 0);
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	policy_set_reflection_port(&pol, 40000, 1);
	s.sport = 40000;
	judge(build(&s, stun_bind), RG_R_REFLECTION, RG_K_NONE);
}

/* ---- source lists ---- */

TestSuite(lists, .init = setup, .fini = teardown);

static void add_list(const char *addr, int len, int action, uint64_t expires)
{
	struct rg_prefix p = { .len = (uint8_t)len };
	struct rg_list_entry e = { .action = (__u8)action, .origin = RG_ORIGIN_CONFIG,
				   .expires_ns = expires };

	if (inet_pton(AF_INET, addr, p.addr) == 1) {
		p.family = 4;
	} else {
		cr_assert(inet_pton(AF_INET6, addr, p.addr) == 1, "bad address %s", addr);
		p.family = 6;
	}
	cr_assert(policy_add_list(&pol, &p, &e) == 0);
}

Test(lists, allow_a_24_but_deny_one_32_inside)
{
	struct pkt_spec s = { .family = 4, .src = "198.51.100.7" };
	struct rg_judgement j;

	/* the /32 first, then the /24: order must not matter */
	add_list("198.51.100.7", 32, RG_LIST_DENY, 0);
	add_list("198.51.100.0", 24, RG_LIST_ALLOW, 0);
	judge(build(&s, stun_bind), RG_R_DENYLIST, RG_K_NONE);
	s.src = "198.51.100.8";
	j = judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	cr_assert_eq(j.allowed, 1, "198.51.100.8 is in the allowed /24");
	s.src = "198.51.101.7";
	j = judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	cr_assert_eq(j.allowed, 0, "198.51.101.7 is in no list");
}

Test(lists, deny_a_24_but_allow_one_32_inside)
{
	struct pkt_spec s = { .family = 4, .src = "198.51.100.7" };
	struct rg_judgement j;

	add_list("198.51.100.0", 24, RG_LIST_DENY, 0);
	add_list("198.51.100.7", 32, RG_LIST_ALLOW, 0);
	j = judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	cr_assert_eq(j.allowed, 1);
	s.src = "198.51.100.6";
	judge(build(&s, stun_bind), RG_R_DENYLIST, RG_K_NONE);
}

Test(lists, ipv6_longest_prefix)
{
	struct pkt_spec s = { .family = 6, .src = "2001:db8:1::7" };

	add_list("2001:db8::", 32, RG_LIST_ALLOW, 0);
	add_list("2001:db8:1::", 48, RG_LIST_DENY, 0);
	judge(build(&s, stun_bind), RG_R_DENYLIST, RG_K_NONE);
	s.src = "2001:db8:2::7";
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	/* an IPv4 entry never matches IPv6 */
	policy_free(&pol);
	setup();
	add_list("0.0.0.0", 0, RG_LIST_DENY, 0);
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
}

Test(lists, allow_skips_policing_not_validation)
{
	struct pkt_spec s = { .family = 4, .src = "198.51.100.7" };
	struct rg_judgement j;

	add_list("198.51.100.0", 24, RG_LIST_ALLOW, 0);
	j = judge(build(&s, "0001000c2112a442b1c2d3e4f5061728394a5b6c"), RG_R_BAD_STUN, RG_K_STUN);
	cr_assert_eq(j.allowed, 1);
}

Test(lists, expired_entries_are_ignored)
{
	struct pkt_spec s = { .family = 4, .src = "198.51.100.7" };

	add_list("198.51.100.7", 32, RG_LIST_DENY, NOW);
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	policy_free(&pol);
	setup();
	add_list("198.51.100.7", 32, RG_LIST_DENY, NOW - 1);
	judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	policy_free(&pol);
	setup();
	add_list("198.51.100.7", 32, RG_LIST_DENY, NOW + 1);
	judge(build(&s, stun_bind), RG_R_DENYLIST, RG_K_NONE);
	policy_free(&pol);
	setup();
	add_list("198.51.100.7", 32, RG_LIST_DENY, 0); /* never expires */
	judge(build(&s, stun_bind), RG_R_DENYLIST, RG_K_NONE);
}

Test(lists, reflection_port_is_dropped_before_the_allow_list)
{
	struct pkt_spec s = { .family = 4, .src = "198.51.100.7", .sport = 123 };

	add_list("198.51.100.0", 24, RG_LIST_ALLOW, 0);
	judge(build(&s, stun_bind), RG_R_REFLECTION, RG_K_NONE);
}

/* ---- monitor and bypass ---- */

TestSuite(mode, .init = setup, .fini = teardown);

Test(mode, monitor_marks_a_would_drop)
{
	struct pkt_spec s = { .family = 4 };
	struct rg_judgement j;

	set_range_flags(RG_RANGE_MONITOR);
	j = judge(build(&s, "0001000c2112a442b1c2d3e4f5061728394a5b6c"), RG_R_BAD_STUN, RG_K_STUN);
	cr_assert_eq(j.monitored, 1, "a would-drop in monitor mode is marked monitored");
	s.sport = 53;
	j = judge(build(&s, stun_bind), RG_R_REFLECTION, RG_K_NONE);
	cr_assert_eq(j.monitored, 1);
	s.sport = 0;
	s.frag = 1;
	j = judge(build(&s, stun_bind), RG_R_FRAG_FIRST, RG_K_NONE);
	cr_assert_eq(j.monitored, 1);
}

Test(mode, monitor_does_not_mark_a_pass)
{
	struct pkt_spec s = { .family = 4 };
	struct rg_judgement j;

	set_range_flags(RG_RANGE_MONITOR);
	j = judge(build(&s, stun_bind), RG_R_ADMITTED, RG_K_STUN);
	cr_assert_eq(j.monitored, 0);
	set_range_flags(RG_RANGE_MONITOR | RG_RANGE_PASS_FIRST_FRAG);
	s.frag = 1;
	j = judge(build(&s, stun_bind), RG_R_FRAG_FIRST_PASSED, RG_K_NONE);
	cr_assert_eq(j.monitored, 0);
}

Test(mode, enforce_does_not_mark_a_drop)
{
	struct pkt_spec s = { .family = 4 };
	struct rg_judgement j;

	j = judge(build(&s, "0001000c2112a442b1c2d3e4f5061728394a5b6c"), RG_R_BAD_STUN, RG_K_STUN);
	cr_assert_eq(j.monitored, 0);
}

Test(mode, bypass_passes_everything)
{
	struct pkt_spec s = { .family = 4, .sport = 53 };
	struct rg_pkt pkt;

	pol.config.bypass = 1;
	judge(build(&s, stun_bind), RG_R_BYPASS, RG_K_NONE);
	judge(5, RG_R_BYPASS, RG_K_NONE);
	policy_judge(&pol, frame, 5, NOW, &pkt, &(struct rg_judgement){ 0 });
	cr_assert_eq(pkt.wire_len, 5);
	pol.config.bypass = 0;
	judge(build(&s, stun_bind), RG_R_REFLECTION, RG_K_NONE);
}

Test(mode, parsed_fields_describe_the_datagram)
{
	struct pkt_spec s = { .family = 6, .ipv6_ext = 2, .sport = 3478, .dport = 50001,
			      .pad = 6 };
	size_t len = build(&s, stun_bind);
	struct rg_judgement j;
	struct rg_pkt pkt;
	uint8_t want[16];

	cr_assert_eq(policy_judge(&pol, frame, len, NOW, &pkt, &j), RG_R_ADMITTED);
	cr_assert_eq(pkt.family, 6);
	cr_assert_eq(pkt.sport, 3478);
	cr_assert_eq(pkt.dport, 50001);
	cr_assert_eq(pkt.payload_len, 20);
	cr_assert_eq(pkt.payload_off, 14 + 40 + 16 + 8);
	cr_assert_eq(pkt.wire_len, len);
	inet_pton(AF_INET6, "2001:2::2", want);
	cr_assert_arr_eq(pkt.saddr, want, 16);
	inet_pton(AF_INET6, "2001:2::1", want);
	cr_assert_arr_eq(pkt.daddr, want, 16);
}
