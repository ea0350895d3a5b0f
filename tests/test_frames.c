// SPDX-License-Identifier: GPL-2.0
/*
 * Capture link types converted to Ethernet (frames_to_ethernet), and
 * capture files read through libpcap (frames_open / frames_next).
 */
#include <pcap/pcap.h>
#include <sys/stat.h>

#include "frames.h"
#include "rg_test.h"

static uint8_t out[RG_FRAME_MAX];
static uint8_t in[4096];

/* A bare IP packet (family 4 or 6) carrying a STUN Binding request, into ip. */
static size_t ip_packet(int family, uint8_t *ip, size_t cap)
{
	static const char stun[] = "000100002112a442b1c2d3e4f5061728394a5b6c";
	struct pkt_spec s = { .family = family };
	uint8_t payload[20], f[256];
	size_t n;

	cr_assert_eq(pkt_unhex(stun, payload, sizeof(payload)), 20);
	n = pkt_build(&s, payload, sizeof(payload), f, sizeof(f));
	cr_assert(n > 14 && n - 14 <= cap);
	memcpy(ip, f + 14, n - 14);
	return n - 14;
}

static const char *status_name(enum rg_frame_status st)
{
	return st <= RG_FRAME_TRUNCATED ? rg_frame_status_names[st] : "(out of range)";
}

/*
 * Convert hdr + an IP packet of the family and check the result is the
 * packet behind an Ethernet header of the right type, judged admitted.
 */
static void expect_converts(int dlt, const uint8_t *hdr, size_t hlen, int family)
{
	struct rg_policy pol;
	struct rg_judgement j;
	struct rg_pkt pkt;
	size_t iplen, olen = 0;
	enum rg_frame_status st;
	int r;

	if (hlen)
		memcpy(in, hdr, hlen);
	iplen = ip_packet(family, in + hlen, sizeof(in) - hlen);
	st = frames_to_ethernet(dlt, in, hlen + iplen, out, &olen);
	cr_assert(st == RG_FRAME_OK, "link type %d, header %s: expected ok, got %s", dlt,
		  rg_test_hex(hdr, hlen), status_name(st));
	cr_assert_eq(olen, 14 + iplen, "link type %d: length %zu, expected %zu", dlt, olen,
		     14 + iplen);
	cr_assert_eq(rg_be16(out + 12), family == 4 ? 0x0800 : 0x86dd,
		     "link type %d: ethertype 0x%04x", dlt, rg_be16(out + 12));
	cr_assert_arr_eq(out + 14, in + hlen, iplen, "link type %d: IP packet changed", dlt);
	rg_test_policy(&pol, 50000, 50000, RG_ADMIT_WEBRTC, 0);
	r = policy_judge(&pol, out, olen, 0, &pkt, &j);
	cr_assert(r == RG_R_ADMITTED && j.kind == RG_K_STUN,
		  "link type %d: converted frame expected admitted/stun, got %s/%s", dlt,
		  rg_test_reason(r), rg_test_kind(j.kind));
	policy_free(&pol);
}

static void expect_status(int dlt, const uint8_t *data, size_t len, enum rg_frame_status want)
{
	size_t olen = 12345;
	enum rg_frame_status st = frames_to_ethernet(dlt, data, len, out, &olen);

	cr_assert(st == want, "link type %d, input %s (%zu bytes): expected %s, got %s", dlt,
		  rg_test_hex(data, len), len, status_name(want), status_name(st));
	if (want != RG_FRAME_OK)
		cr_assert_eq(olen, 12345, "out_len set on failure");
}

/* ---- Ethernet ---- */

Test(link, ethernet_is_copied_unchanged)
{
	struct pkt_spec s = { .family = 4 };
	uint8_t payload[4] = { 0x40, 0, 0, 0 };
	size_t n = pkt_build(&s, payload, 4, in, sizeof(in)), olen = 0;

	cr_assert_eq(frames_to_ethernet(1, in, n, out, &olen), RG_FRAME_OK);
	cr_assert_eq(olen, n);
	cr_assert_arr_eq(out, in, n);
}

/* ---- Linux cooked ---- */

Test(link, linux_cooked_v1_ipv4_and_ipv6)
{
	/* packet type, ARPHRD, address length, address (8), protocol */
	uint8_t sll[16] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0xa, 0, 0, 0x08, 0x00 };

	expect_converts(113, sll, sizeof(sll), 4);
	sll[14] = 0x86, sll[15] = 0xdd;
	expect_converts(113, sll, sizeof(sll), 6);
}

Test(link, linux_cooked_v2_ipv4_and_ipv6)
{
	/* protocol, reserved, ifindex, ARPHRD, packet type, address length, address (8) */
	uint8_t sll2[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0xa };

	expect_converts(276, sll2, sizeof(sll2), 4);
	sll2[0] = 0x86, sll2[1] = 0xdd;
	expect_converts(276, sll2, sizeof(sll2), 6);
}

Test(link, linux_cooked_too_short_headers)
{
	memset(in, 0, 32);
	in[14] = 0x08;
	expect_status(113, in, 15, RG_FRAME_UNCONVERTIBLE);
	expect_status(113, in, 16, RG_FRAME_OK); /* header only: an empty packet */
	in[0] = 0x08;
	expect_status(276, in, 19, RG_FRAME_UNCONVERTIBLE);
	expect_status(276, in, 20, RG_FRAME_OK);
	expect_status(113, in, 0, RG_FRAME_UNCONVERTIBLE);
	expect_status(276, in, 0, RG_FRAME_UNCONVERTIBLE);
}

/* ---- raw IP ---- */

Test(link, raw_ip_link_types_101_228_229)
{
	expect_converts(101, NULL, 0, 4);
	expect_converts(101, NULL, 0, 6);
	expect_converts(228, NULL, 0, 4);
	expect_converts(229, NULL, 0, 6);
}

Test(link, raw_ip_with_no_ip_version_is_unconvertible)
{
	in[0] = 0x50;
	expect_status(101, in, 20, RG_FRAME_UNCONVERTIBLE);
	expect_status(101, in, 0, RG_FRAME_UNCONVERTIBLE);
	expect_status(228, in, 0, RG_FRAME_UNCONVERTIBLE);
}

/* ---- BSD null and loop ---- */

Test(link, bsd_null_family_in_either_host_order)
{
	uint8_t le[4] = { 2, 0, 0, 0 }, be[4] = { 0, 0, 0, 2 };
	static const uint8_t v6[] = { 10, 24, 28, 30 };
	size_t i;

	expect_converts(0, le, 4, 4);
	expect_converts(0, be, 4, 4);
	for (i = 0; i < sizeof(v6); i++) {
		le[0] = v6[i];
		be[3] = v6[i];
		expect_converts(0, le, 4, 6);
		expect_converts(0, be, 4, 6);
	}
}

Test(link, bsd_loop_family_in_network_order)
{
	uint8_t hdr[4] = { 0, 0, 0, 2 };

	expect_converts(108, hdr, 4, 4);
	hdr[3] = 24;
	expect_converts(108, hdr, 4, 6);
	hdr[3] = 30;
	expect_converts(108, hdr, 4, 6);
}

Test(link, bsd_unknown_family_and_short_header_are_unconvertible)
{
	uint8_t hdr[8] = { 0, 0, 0, 7, 0x45 };

	expect_status(0, hdr, 8, RG_FRAME_UNCONVERTIBLE);
	expect_status(108, hdr, 8, RG_FRAME_UNCONVERTIBLE);
	hdr[3] = 2;
	expect_status(0, hdr, 3, RG_FRAME_UNCONVERTIBLE);
	expect_status(108, hdr, 3, RG_FRAME_UNCONVERTIBLE);
	expect_status(108, hdr, 4, RG_FRAME_OK);
	/* loop is network order: a little-endian AF_INET is not one */
	hdr[0] = 2, hdr[3] = 0;
	expect_status(108, hdr, 8, RG_FRAME_UNCONVERTIBLE);
}

/* ---- PPP ---- */

Test(link, ppp_with_address_and_control)
{
	uint8_t hdr[4] = { 0xff, 0x03, 0x00, 0x21 };

	expect_converts(9, hdr, 4, 4);
	hdr[3] = 0x57;
	expect_converts(9, hdr, 4, 6);
}

Test(link, ppp_without_address_and_control)
{
	uint8_t hdr[2] = { 0x00, 0x21 };

	expect_converts(9, hdr, 2, 4);
	hdr[1] = 0x57;
	expect_converts(9, hdr, 2, 6);
}

Test(link, ppp_compressed_protocol_field)
{
	uint8_t hdr[3] = { 0xff, 0x03, 0x21 };

	expect_converts(9, hdr, 3, 4);
	expect_converts(9, hdr + 2, 1, 4);
	hdr[2] = 0x57;
	expect_converts(9, hdr, 3, 6);
	expect_converts(9, hdr + 2, 1, 6);
}

Test(link, ppp_other_protocols_and_short_headers_are_unconvertible)
{
	static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };
	static const uint8_t ff03[] = { 0xff, 0x03 };
	static const uint8_t ff03_0[] = { 0xff, 0x03, 0x00 };
	static const uint8_t zero[] = { 0x00 };
	/* 0xFF without 0x03 is no address field: it is an (odd) protocol byte */
	static const uint8_t ff00[] = { 0xff, 0x00, 0x21, 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17,
					0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };

	expect_status(9, lcp, sizeof(lcp), RG_FRAME_UNCONVERTIBLE);
	expect_status(9, ff03, sizeof(ff03), RG_FRAME_UNCONVERTIBLE);
	expect_status(9, ff03_0, sizeof(ff03_0), RG_FRAME_UNCONVERTIBLE);
	expect_status(9, zero, sizeof(zero), RG_FRAME_UNCONVERTIBLE);
	expect_status(9, zero, 0, RG_FRAME_UNCONVERTIBLE);
	expect_status(9, ff00, sizeof(ff00), RG_FRAME_UNCONVERTIBLE);
}

/* ---- unsupported ---- */

Test(link, unsupported_link_types)
{
	static const int dlts[] = { 105, 127, 147, 192, 2, -1 };
	size_t i;

	memset(in, 0x45, 64);
	for (i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++)
		expect_status(dlts[i], in, 64, RG_FRAME_UNSUPPORTED_LINK);
}

Test(link, status_names_are_distinct)
{
	cr_assert_str_eq(rg_frame_status_names[RG_FRAME_OK], "ok");
	cr_assert_str_neq(rg_frame_status_names[RG_FRAME_UNSUPPORTED_LINK],
			  rg_frame_status_names[RG_FRAME_UNCONVERTIBLE]);
	cr_assert_str_neq(rg_frame_status_names[RG_FRAME_TRUNCATED],
			  rg_frame_status_names[RG_FRAME_UNCONVERTIBLE]);
}

/* ---- capture files ---- */

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/rg-frames-XXXXXX");
	cr_assert(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(file, .init = make_tmpdir, .fini = remove_tmpdir);

/* Write frames of one link type to a pcap; caplen < len for the one marked truncated. */
static void write_pcap(const char *path, int dlt, const uint8_t *const *pkts, const size_t *lens,
		       int n, int truncated)
{
	pcap_t *p = pcap_open_dead(dlt, 65535);
	pcap_dumper_t *d;
	int i;

	cr_assert(p);
	d = pcap_dump_open(p, path);
	cr_assert(d, "%s", pcap_geterr(p));
	for (i = 0; i < n; i++) {
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)lens[i], .len = (bpf_u_int32)lens[i] };

		if (i == truncated)
			h.len += 10;
		pcap_dump((u_char *)d, &h, pkts[i]);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

Test(file, linux_cooked_capture_is_read_as_ethernet)
{
	uint8_t a[256] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0xa, 0, 0, 0x08, 0x00 };
	uint8_t b[256] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0xa, 0, 0, 0x86, 0xdd };
	const uint8_t *pkts[3] = { a, b, a };
	size_t lens[3];
	char path[128], e[256] = "";
	struct rg_frame_reader *r;
	struct rg_frame *f = malloc(sizeof(*f));

	cr_assert(f);
	lens[0] = lens[2] = 16 + ip_packet(4, a + 16, sizeof(a) - 16);
	lens[1] = 16 + ip_packet(6, b + 16, sizeof(b) - 16);
	snprintf(path, sizeof(path), "%s/sll.pcap", tmpdir);
	write_pcap(path, 113, pkts, lens, 3, 2);
	r = frames_open(path, e, sizeof(e));
	cr_assert(r, "%s", e);
	cr_assert_eq(frames_next(r, f, e, sizeof(e)), 1, "%s", e);
	cr_assert(f->number == 1 && f->status == RG_FRAME_OK && f->len == lens[0] - 2);
	cr_assert_eq(rg_be16(f->data + 12), 0x0800);
	cr_assert_eq(frames_next(r, f, e, sizeof(e)), 1, "%s", e);
	cr_assert(f->number == 2 && f->status == RG_FRAME_OK && f->len == lens[1] - 2);
	cr_assert_eq(rg_be16(f->data + 12), 0x86dd);
	cr_assert_eq(frames_next(r, f, e, sizeof(e)), 1, "%s", e);
	cr_assert(f->number == 3 && f->status == RG_FRAME_TRUNCATED,
		  "frame 3: expected truncated-capture, got %s", status_name(f->status));
	cr_assert_eq(frames_next(r, f, e, sizeof(e)), 0);
	frames_close(r);
	free(f);
}

Test(file, unsupported_link_type_is_reported_per_frame)
{
	uint8_t a[64];
	const uint8_t *pkts[1] = { a };
	size_t lens[1] = { sizeof(a) };
	char path[128], e[256] = "";
	struct rg_frame_reader *r;
	struct rg_frame *f = malloc(sizeof(*f));

	cr_assert(f);
	memset(a, 0, sizeof(a));
	snprintf(path, sizeof(path), "%s/wlan.pcap", tmpdir);
	write_pcap(path, 105, pkts, lens, 1, -1);
	r = frames_open(path, e, sizeof(e));
	cr_assert(r, "%s", e);
	cr_assert_eq(frames_next(r, f, e, sizeof(e)), 1, "%s", e);
	cr_assert_eq(f->status, RG_FRAME_UNSUPPORTED_LINK, "got %s", status_name(f->status));
	frames_close(r);
	free(f);
}

Test(file, unreadable_files_are_refused_with_a_message)
{
	char path[128], e[256];
	FILE *fp;

	e[0] = '\0';
	snprintf(path, sizeof(path), "%s/missing.pcap", tmpdir);
	cr_assert_null(frames_open(path, e, sizeof(e)));
	cr_assert(strstr(e, "missing.pcap"), "message: %s", e);
	e[0] = '\0';
	cr_assert_null(frames_open(tmpdir, e, sizeof(e)));
	cr_assert(strstr(e, "directory"), "message: %s", e);
	snprintf(path, sizeof(path), "%s/empty.pcap", tmpdir);
	fp = fopen(path, "w");
	cr_assert(fp);
	fclose(fp);
	e[0] = '\0';
	cr_assert_null(frames_open(path, e, sizeof(e)));
	cr_assert(strstr(e, "empty"), "message: %s", e);
	snprintf(path, sizeof(path), "%s/text.pcap", tmpdir);
	fp = fopen(path, "w");
	cr_assert(fp);
	fputs("this is not a capture file\n", fp);
	fclose(fp);
	e[0] = '\0';
	cr_assert_null(frames_open(path, e, sizeof(e)));
	cr_assert(strstr(e, "not a readable pcap"), "message: %s", e);
	frames_close(NULL);
}
