// SPDX-License-Identifier: GPL-2.0
/*
 * rg_classify on payload bytes: the RFC 7983/9443 first-byte demux and each
 * kind's header checks, on both sides of every boundary.
 */
#include "rg_test.h"

#define WEBRTC RG_ADMIT_WEBRTC
#define ALL RG_ADMIT_ALL
#define BIT(k) RG_KIND_BIT(k)

/* ---- builders ---- */

static size_t put_stun_hdr(uint8_t *b, uint16_t type, uint16_t mlen, int cookie)
{
	int i;

	pkt_put16(b, type);
	pkt_put16(b + 2, mlen);
	if (cookie) {
		b[4] = 0x21, b[5] = 0x12, b[6] = 0xa4, b[7] = 0x42;
	} else {
		b[4] = 0x7d, b[5] = 0x3a, b[6] = 0x9c, b[7] = 0x0e;
	}
	for (i = 8; i < 20; i++)
		b[i] = (uint8_t)(0x30 + i);
	return 20;
}

/* A STUN message with n zero-length SOFTWARE attributes (4 bytes each). */
static size_t stun_with_attrs(uint8_t *b, uint16_t type, int n)
{
	size_t off = put_stun_hdr(b, type, (uint16_t)(4 * n), 1);
	int i;

	for (i = 0; i < n; i++) {
		pkt_put16(b + off, 0x8022);
		pkt_put16(b + off + 2, 0);
		off += 4;
	}
	return off;
}

/* A DTLS 1.2 record (content type ct, version ver) with n bytes of body. */
static size_t dtls_record(uint8_t *b, uint8_t ct, uint16_t ver, uint16_t n)
{
	b[0] = ct;
	pkt_put16(b + 1, ver);
	memset(b + 3, 0, 8); /* epoch, sequence number */
	b[10] = 1;
	pkt_put16(b + 11, n);
	memset(b + 13, 0xab, n);
	return 13 + (size_t)n;
}

/* RTP fixed header with cc CSRCs (filled), X bit from x. */
static size_t rtp_hdr(uint8_t *b, int cc, int x, uint8_t pt_byte)
{
	b[0] = (uint8_t)(0x80 | (x ? 0x10 : 0) | cc);
	b[1] = pt_byte;
	pkt_put16(b + 2, 0x1234);
	memset(b + 4, 0x11, 4);
	memset(b + 8, 0x22, 4);
	memset(b + 12, 0x33, 4 * (size_t)cc);
	return 12 + 4 * (size_t)cc;
}

/* ---- demux by first byte ---- */

Test(demux, empty_payload_is_its_own_reason)
{
	uint8_t b[1] = { 0 };

	expect_classify(b, 0, ALL, RG_R_EMPTY, RG_K_NONE);
}

Test(demux, first_bytes_4_to_15_are_unknown_even_when_all_admitted)
{
	int v;

	for (v = 4; v <= 15; v++) {
		uint8_t b[32];

		memset(b, 0, sizeof(b));
		b[0] = (uint8_t)v;
		expect_classify(b, sizeof(b), ALL, RG_R_UNKNOWN_KIND, RG_K_NONE);
	}
}

Test(demux, first_byte_3_is_stun_and_16_is_zrtp)
{
	uint8_t b[20] = { 0x03 };

	/* 0x03 00, length 0, no cookie */
	expect_classify(b, sizeof(b), WEBRTC, RG_R_NOT_ADMITTED, RG_K_STUN_CLASSIC);
	b[0] = 0x10;
	expect_classify(b, sizeof(b), WEBRTC, RG_R_NOT_ADMITTED, RG_K_ZRTP);
}

Test(demux, first_byte_63_is_dtls_and_64_is_turn_channel)
{
	uint8_t b[8] = { 0x3f, 0xff, 0x00, 0x04, 1, 2, 3, 4 };

	/* channel 0x3FFF is impossible: its first byte puts it in DTLS */
	expect_classify(b, sizeof(b), WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	b[0] = 0x40, b[1] = 0x00;
	expect_classify(b, sizeof(b), WEBRTC, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
}

Test(demux, first_byte_191_is_rtp_and_192_is_quic)
{
	uint8_t b[16] = { 0xbf, 0x60 };

	/* 0xBF: V=2 P=1 X=1 CC=15 needs 72 bytes */
	expect_classify(b, sizeof(b), WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
	b[0] = 0xc0;
	expect_classify(b, sizeof(b), WEBRTC, RG_R_NOT_ADMITTED, RG_K_QUIC);
}

/* ---- STUN ---- */

Test(stun, binding_request_with_length_0_is_admitted)
{
	uint8_t b[64];

	expect_classify(b, stun_with_attrs(b, 0x0001, 0), WEBRTC, RG_R_ADMITTED, RG_K_STUN);
}

Test(stun, length_4_with_one_empty_attribute_is_admitted)
{
	uint8_t b[64];

	expect_classify(b, stun_with_attrs(b, 0x0001, 1), WEBRTC, RG_R_ADMITTED, RG_K_STUN);
}

Test(stun, unpadded_attribute_is_admitted_only_when_it_ends_the_message_exactly)
{
	uint8_t b[64];
	size_t n = put_stun_hdr(b, 0x0001, 5, 1);

	/* Microsoft's TURN dialect and WhatsApp leave values unpadded: length 5 */
	pkt_put16(b + n, 0x8022);
	pkt_put16(b + n + 2, 1);
	b[n + 4] = 'x';
	expect_classify(b, n + 5, WEBRTC, RG_R_ADMITTED, RG_K_STUN);
	/* an attribute that fits neither walk: value length 2 in 1 byte */
	pkt_put16(b + n + 2, 2);
	expect_classify(b, n + 5, WEBRTC, RG_R_BAD_STUN, RG_K_STUN);
	/* the same attribute padded to 4: length 8 */
	pkt_put16(b + n + 2, 1);
	pkt_put16(b + 2, 8);
	memset(b + n + 5, 0, 3);
	expect_classify(b, n + 8, WEBRTC, RG_R_ADMITTED, RG_K_STUN);
}

Test(stun, length_field_must_equal_payload_minus_20)
{
	uint8_t b[64];
	size_t n = stun_with_attrs(b, 0x0001, 2);

	pkt_put16(b + 2, 12); /* says 12, has 8 */
	expect_classify(b, n, WEBRTC, RG_R_BAD_STUN, RG_K_STUN);
	pkt_put16(b + 2, 4); /* says 4, has 8 */
	expect_classify(b, n, WEBRTC, RG_R_BAD_STUN, RG_K_STUN);
	pkt_put16(b + 2, 8);
	expect_classify(b, n, WEBRTC, RG_R_ADMITTED, RG_K_STUN);
}

Test(stun, shorter_than_its_header_is_bad)
{
	uint8_t b[64];

	stun_with_attrs(b, 0x0001, 0);
	expect_classify(b, 19, WEBRTC, RG_R_BAD_STUN, RG_K_STUN);
}

Test(stun, without_magic_cookie_is_stun_classic)
{
	uint8_t b[64];
	size_t n = put_stun_hdr(b, 0x0001, 0, 0);

	expect_classify(b, n, WEBRTC, RG_R_NOT_ADMITTED, RG_K_STUN_CLASSIC);
	expect_classify(b, n, WEBRTC | BIT(RG_K_STUN_CLASSIC), RG_R_ADMITTED, RG_K_STUN_CLASSIC);
	/* admitting classic STUN does not admit a malformed one */
	pkt_put16(b + 2, 4);
	expect_classify(b, n, WEBRTC | BIT(RG_K_STUN_CLASSIC), RG_R_BAD_STUN, RG_K_STUN_CLASSIC);
}

Test(stun, cookie_without_stun_admitted_is_not_admitted)
{
	uint8_t b[64];

	expect_classify(b, stun_with_attrs(b, 0x0001, 0), ALL & ~BIT(RG_K_STUN),
			RG_R_NOT_ADMITTED, RG_K_STUN);
}

Test(stun, attributes_31_and_32_are_admitted_33_hit_the_cap)
{
	uint8_t b[20 + 4 * 40];

	expect_classify(b, stun_with_attrs(b, 0x0001, 31), WEBRTC, RG_R_ADMITTED, RG_K_STUN);
	expect_classify(b, stun_with_attrs(b, 0x0001, 32), WEBRTC, RG_R_ADMITTED, RG_K_STUN);
	expect_classify(b, stun_with_attrs(b, 0x0001, 33), WEBRTC, RG_R_STUN_ATTR_CAP, RG_K_STUN);
}

Test(stun, bytes_after_32_attributes_are_over_the_cap)
{
	uint8_t b[20 + 4 * 40];
	size_t n = stun_with_attrs(b, 0x0001, 32);

	/* anything after the 32nd attribute is over the cap, whatever it is */
	b[n] = 0x80, b[n + 1] = 0x22;
	pkt_put16(b + 2, (uint16_t)(n + 2 - 20));
	expect_classify(b, n + 2, WEBRTC, RG_R_STUN_ATTR_CAP, RG_K_STUN);
	pkt_put16(b + n + 2, 0);
	pkt_put16(b + 2, (uint16_t)(n + 4 - 20));
	expect_classify(b, n + 4, WEBRTC, RG_R_STUN_ATTR_CAP, RG_K_STUN);
}

Test(stun, attribute_running_past_the_end_is_bad)
{
	uint8_t b[64];
	size_t n = stun_with_attrs(b, 0x0001, 2);

	pkt_put16(b + 20 + 4 + 2, 8); /* second attribute claims 8 bytes, has 0 */
	expect_classify(b, n, WEBRTC, RG_R_BAD_STUN, RG_K_STUN);
	pkt_put16(b + 20 + 2, 4); /* first attribute takes the second's 4 bytes: fits */
	pkt_put16(b + 20 + 4 + 2, 0);
	expect_classify(b, n, WEBRTC, RG_R_ADMITTED, RG_K_STUN);
}

Test(stun, attribute_padding_running_past_the_end_is_bad)
{
	uint8_t b[64];
	size_t n = stun_with_attrs(b, 0x0001, 2);

	pkt_put16(b + 20 + 2, 5); /* 5 bytes pad to 8, only 4 follow */
	expect_classify(b, n, WEBRTC, RG_R_BAD_STUN, RG_K_STUN);
	pkt_put16(b + 20 + 2, 4);
	expect_classify(b, n, WEBRTC, RG_R_ADMITTED, RG_K_STUN);
}

Test(stun, method_not_admitted_is_stun_method)
{
	uint8_t b[64];

	/* 0x002 (RFC 3489 Shared Secret) and 0x000 are not default methods */
	expect_classify(b, stun_with_attrs(b, 0x0002, 0), WEBRTC, RG_R_STUN_METHOD, RG_K_STUN);
	expect_classify(b, stun_with_attrs(b, 0x0000, 0), WEBRTC, RG_R_STUN_METHOD, RG_K_STUN);
	/* 0x0FF, the highest method a first byte of 0-3 can carry */
	expect_classify(b, stun_with_attrs(b, 0x02ef, 0), WEBRTC, RG_R_STUN_METHOD, RG_K_STUN);
}

Test(stun, binding_classes_and_turn_methods_are_admitted)
{
	static const uint16_t types[] = {
		0x0001, 0x0101, 0x0111, 0x0011, /* Binding request, success, error, indication */
		0x0003, 0x0103, 0x0113, 0x0004, 0x0016, 0x0017, 0x0008, 0x0009,
		0x000a, 0x000b, 0x001c,
	};
	uint8_t b[64];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		expect_classify(b, stun_with_attrs(b, types[i], 1), WEBRTC, RG_R_ADMITTED,
				RG_K_STUN);
}

Test(stun, goog_ping_request_and_response_with_message_integrity_32)
{
	expect_classify_hex("020000082112a4421122334455667788990a0b0cc060000412d19380", WEBRTC,
			    RG_R_ADMITTED, RG_K_STUN);
	expect_classify_hex("030000082112a4421122334455667788990a0b0cc06000046c5ce61e", WEBRTC,
			    RG_R_ADMITTED, RG_K_STUN);
}

Test(stun, goog_ping_is_refused_when_method_0x080_is_not_admitted)
{
	uint8_t b[32];
	size_t n = rg_test_unhex("020000082112a4421122334455667788990a0b0cc060000412d19380", b,
				 sizeof(b));
	__u64 methods[RG_STUN_METHOD_WORDS];
	__u8 k = 0;
	int r;

	memcpy(methods, rg_test_default_methods(), sizeof(methods));
	r = rg_classify(b, b + n, (__u32)n, WEBRTC, methods, &k);
	cr_assert(r == RG_R_ADMITTED, "expected admitted, got %s", rg_test_reason(r));
	methods[0x080 >> 6] &= ~(1ull << (0x080 & 63));
	r = rg_classify(b, b + n, (__u32)n, WEBRTC, methods, &k);
	cr_assert(r == RG_R_STUN_METHOD && k == RG_K_STUN, "expected stun-method/stun, got %s/%s",
		  rg_test_reason(r), rg_test_kind(k));
}

Test(stun, comprehension_optional_attribute_is_admitted)
{
	/* cases.tsv B13: Chrome Binding request with 0xC057 */
	expect_classify_hex("0001004c2112a442b1c2d3e4f5061728394a5b6c00060009587137763a4c6d3270"
			    "000000c05700040001000a802a00080123456789abcdef002400046e7f1eff0008"
			    "001439dbe5b01e97ed75d5130a64cc81e9f41e4ef463802800047105f360",
			    WEBRTC, RG_R_ADMITTED, RG_K_STUN);
}

/* ---- TURN ChannelData ---- */

Test(channel, channels_0x4000_and_0x4fff_are_admitted)
{
	expect_classify_hex("4000000401020304", WEBRTC, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
	expect_classify_hex("4fff000401020304", WEBRTC, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
}

Test(channel, legacy_0x5000_is_dropped_by_default)
{
	expect_classify_hex("5000000401020304", WEBRTC, RG_R_NOT_ADMITTED,
			    RG_K_TURN_CHANNEL_LEGACY);
}

Test(channel, legacy_0x5000_and_0x7fff_admitted_when_legacy_is_admitted)
{
	__u32 admit = WEBRTC | BIT(RG_K_TURN_CHANNEL_LEGACY);

	expect_classify_hex("5000000401020304", admit, RG_R_ADMITTED, RG_K_TURN_CHANNEL_LEGACY);
	expect_classify_hex("7fff000401020304", admit, RG_R_ADMITTED, RG_K_TURN_CHANNEL_LEGACY);
	expect_classify_hex("7fff000501020304", admit, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL_LEGACY);
}

Test(channel, unpadded_and_padded_to_4_are_admitted)
{
	expect_classify_hex("400100050102030405", WEBRTC, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
	expect_classify_hex("400100050102030405000000", WEBRTC, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
}

Test(channel, padding_of_more_than_3_bytes_is_bad)
{
	/* 5 data bytes pad to 8: 4 + 8 = 12 is the most */
	expect_classify_hex("40010005010203040500000000", WEBRTC, RG_R_BAD_CHANNEL,
			    RG_K_TURN_CHANNEL);
	/* a multiple of 4 takes no padding at all */
	expect_classify_hex("400100040102030400", WEBRTC, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
	expect_classify_hex("4001000001", WEBRTC, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
	expect_classify_hex("40010000", WEBRTC, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
}

Test(channel, length_beyond_payload_is_bad)
{
	expect_classify_hex("4001000801020304050607", WEBRTC, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
	expect_classify_hex("400100080102030405060708", WEBRTC, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
}

Test(channel, length_0xffff_does_not_wrap)
{
	expect_classify_hex("4001ffff01020304", WEBRTC, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
	/* 4 + 0xFFFC is 0 in 16 bits */
	expect_classify_hex("4001fffc", WEBRTC, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
	expect_classify_hex("4001fffd00", WEBRTC, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
}

Test(channel, shorter_than_its_header_is_bad)
{
	expect_classify_hex("400100", WEBRTC, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
	expect_classify_hex("40", WEBRTC, RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
}

Test(channel, turn_wins_over_quic_short_header_when_both_admitted)
{
	/* valid channel: TURN; invalid channel with 21+ bytes: a QUIC short header */
	expect_classify_hex("4000000401020304", ALL, RG_R_ADMITTED, RG_K_TURN_CHANNEL);
	expect_classify_hex("40000000" "0102030405060708090a0b0c0d0e0f1011", ALL, RG_R_ADMITTED,
			    RG_K_QUIC);
	expect_classify_hex("40000000" "0102030405060708090a0b0c0d0e0f1011", WEBRTC,
			    RG_R_BAD_CHANNEL, RG_K_TURN_CHANNEL);
}

/* ---- DTLS ---- */

Test(dtls, versions_feff_and_fefd_are_admitted)
{
	uint8_t b[64];

	expect_classify(b, dtls_record(b, 22, 0xfeff, 4), WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, dtls_record(b, 22, 0xfefd, 4), WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
}

Test(dtls, other_versions_are_bad)
{
	static const uint16_t bad[] = { 0x0100, 0xfefe, 0xfefc, 0x0303, 0xfeff ^ 0x0100 };
	uint8_t b[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_classify(b, dtls_record(b, 23, bad[i], 4), WEBRTC, RG_R_BAD_DTLS,
				RG_K_DTLS);
}

Test(dtls, content_types_20_to_26_only)
{
	uint8_t b[64];
	int ct;

	for (ct = 20; ct <= 26; ct++)
		expect_classify(b, dtls_record(b, (uint8_t)ct, 0xfefd, 4), WEBRTC, RG_R_ADMITTED,
				RG_K_DTLS);
	for (ct = 27; ct <= 31; ct++)
		expect_classify(b, dtls_record(b, (uint8_t)ct, 0xfefd, 4), WEBRTC, RG_R_BAD_DTLS,
				RG_K_DTLS);
}

Test(dtls, header_shorter_than_13_bytes_is_bad)
{
	uint8_t b[64];

	dtls_record(b, 22, 0xfefd, 0);
	expect_classify(b, 13, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, 12, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
}

/* n records of 4 body bytes each */
static size_t dtls_records(uint8_t *b, int n)
{
	size_t off = 0;
	int i;

	for (i = 0; i < n; i++)
		off += dtls_record(b + off, i ? 23 : 22, 0xfefd, 4);
	return off;
}

Test(dtls, several_records_per_datagram)
{
	uint8_t b[256];

	expect_classify(b, dtls_records(b, 2), WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, dtls_records(b, 3), WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
}

Test(dtls, records_7_and_8_are_admitted_9_hit_the_cap)
{
	uint8_t b[256];

	expect_classify(b, dtls_records(b, 7), WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, dtls_records(b, 8), WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, dtls_records(b, 9), WEBRTC, RG_R_DTLS_RECORD_CAP, RG_K_DTLS);
}

Test(dtls, record_length_overrun_is_bad)
{
	uint8_t b[64];
	size_t n = dtls_record(b, 22, 0xfefd, 4);

	pkt_put16(b + 11, 5);
	expect_classify(b, n, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	/* the second record overruns */
	n = dtls_records(b, 2);
	pkt_put16(b + 17 + 11, 5);
	expect_classify(b, n, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
}

Test(dtls, trailing_bytes_after_the_last_record_are_bad)
{
	uint8_t b[64];
	size_t n = dtls_record(b, 22, 0xfefd, 4);

	b[n] = 22;
	expect_classify(b, n + 1, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	b[n] = 0;
	expect_classify(b, n + 1, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
}

Test(dtls, dtls12_cid_record_type_25_is_accepted_structurally)
{
	uint8_t b[64];
	size_t n = dtls_record(b, 25, 0xfefd, 4);

	/* CID of negotiated length sits before the length: do not read it */
	pkt_put16(b + 11, 0xffff);
	expect_classify(b, n, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	pkt_put16(b + 1, 0x0100);
	expect_classify(b, n, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
}

Test(dtls, dtls13_unified_header_with_length)
{
	uint8_t b[64];

	/* 0x2C: C=0 S=1 L=1, 2-byte seq, 16 ciphertext bytes */
	memset(b, 0xcd, sizeof(b));
	b[0] = 0x2c;
	pkt_put16(b + 3, 16);
	expect_classify(b, 5 + 16, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, 5 + 15, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	/* 0x24: 1-byte seq */
	b[0] = 0x24;
	pkt_put16(b + 2, 16);
	expect_classify(b, 4 + 16, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	/* cases.tsv B17 */
	expect_classify_hex("2e9a3c00180b30557a9fc4e90e33587da2c7ec11365b80a5caef14395e", WEBRTC,
			    RG_R_ADMITTED, RG_K_DTLS);
}

Test(dtls, dtls13_ciphertext_shorter_than_16_is_bad)
{
	uint8_t b[64];

	memset(b, 0xcd, sizeof(b));
	b[0] = 0x2c;
	pkt_put16(b + 3, 15);
	expect_classify(b, 5 + 15, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	pkt_put16(b + 3, 16);
	expect_classify(b, 5 + 16, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
}

Test(dtls, dtls13_unified_header_without_length_runs_to_the_end)
{
	uint8_t b[64];

	/* 0x28: C=0 S=1 L=0 */
	memset(b, 0xcd, sizeof(b));
	b[0] = 0x28;
	expect_classify(b, 3 + 16, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, 3 + 40, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, 3 + 15, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	/* after a DTLS 1.2 record */
	dtls_record(b, 22, 0xfefd, 4);
	b[17] = 0x20; /* S=0: one-byte sequence number */
	expect_classify(b, 17 + 2 + 16, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, 17 + 2 + 15, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
}

Test(dtls, dtls13_with_connection_id_and_length_is_found_by_its_length)
{
	uint8_t b[128];

	/* 0x3C: C=1 S=1 L=1: first byte, CID (8 bytes here), 2-byte sequence, length */
	memset(b, 0xcd, sizeof(b));
	b[0] = 0x3c;
	pkt_put16(b + 1 + 8 + 2, 20);
	expect_classify(b, 1 + 8 + 2 + 2 + 20, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	/* one byte more or less than the length announces: no CID length fits */
	expect_classify(b, 1 + 8 + 2 + 2 + 21, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	expect_classify(b, 1 + 8 + 2 + 2 + 19, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	/* CIDs from 1 to 32 bytes are looked for; 33 is not */
	memset(b, 0xcd, sizeof(b));
	b[0] = 0x3c;
	pkt_put16(b + 1 + 32 + 2, 16);
	expect_classify(b, 1 + 32 + 2 + 2 + 16, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	memset(b, 0xcd, sizeof(b));
	b[0] = 0x3c;
	pkt_put16(b + 1 + 33 + 2, 16);
	expect_classify(b, 1 + 33 + 2 + 2 + 16, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	/* ciphertext under 16 bytes is refused (RFC 9147 4.2.3) */
	memset(b, 0xcd, sizeof(b));
	b[0] = 0x3c;
	pkt_put16(b + 1 + 4 + 2, 15);
	expect_classify(b, 1 + 4 + 2 + 2 + 15, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
	/* syslog's "<134>" starts 0x3C too: its "length" never fits */
	expect_classify((const uint8_t *)"<134>Dec  3 18:40:01 host cron[1]: job done", 44, WEBRTC,
			RG_R_BAD_DTLS, RG_K_DTLS);
}

Test(dtls, dtls13_with_connection_id_without_length_is_accepted_structurally)
{
	uint8_t b[64];

	/* 0x38: C=1 S=1 L=0: nothing to check but the 16-byte minimum */
	memset(b, 0xcd, sizeof(b));
	b[0] = 0x38;
	expect_classify(b, 3 + 16, WEBRTC, RG_R_ADMITTED, RG_K_DTLS);
	expect_classify(b, 3 + 15, WEBRTC, RG_R_BAD_DTLS, RG_K_DTLS);
}

/* ---- RTP ---- */

Test(rtp, fixed_header_of_12_bytes_is_admitted)
{
	uint8_t b[64];

	expect_classify(b, rtp_hdr(b, 0, 0, 96), WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, 11, WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
}

Test(rtp, fifteen_csrcs_must_fit)
{
	uint8_t b[128];
	size_t n = rtp_hdr(b, 15, 0, 111);

	cr_assert_eq(n, 72);
	expect_classify(b, n, WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, n - 1, WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
}

Test(rtp, one_byte_header_extension_0xbede)
{
	uint8_t b[128];
	size_t n = rtp_hdr(b, 0, 1, 111);

	pkt_put16(b + n, 0xbede);
	pkt_put16(b + n + 2, 1);
	memset(b + n + 4, 0x10, 4);
	expect_classify(b, n + 8, WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, n + 8 + 20, WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, n + 7, WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
}

Test(rtp, two_byte_header_extension_0x1000_with_csrcs)
{
	uint8_t b[128];
	size_t n = rtp_hdr(b, 2, 1, 111);

	pkt_put16(b + n, 0x1000);
	pkt_put16(b + n + 2, 2);
	memset(b + n + 4, 0x01, 8);
	expect_classify(b, n + 12, WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, n + 11, WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
	/* cases.tsv B06 */
	expect_classify_hex("906f0203000020001a2b3c4d100000020103aabbcc020000f8fffe01", WEBRTC,
			    RG_R_ADMITTED, RG_K_RTP);
}

Test(rtp, x_bit_with_a_short_extension_header_is_bad)
{
	uint8_t b[128];
	size_t n = rtp_hdr(b, 0, 1, 96);

	pkt_put16(b + n, 0xbede);
	pkt_put16(b + n + 2, 0);
	expect_classify(b, n + 4, WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, n + 3, WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
	expect_classify(b, n, WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
}

Test(rtp, extension_length_overrunning_is_bad)
{
	uint8_t b[128];
	size_t n = rtp_hdr(b, 0, 1, 96);

	memset(b + n, 0, 64);
	pkt_put16(b + n, 0xbede);
	pkt_put16(b + n + 2, 0xffff);
	expect_classify(b, n + 64, WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
	pkt_put16(b + n + 2, 16);
	expect_classify(b, n + 4 + 64, WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, n + 4 + 63, WEBRTC, RG_R_BAD_RTP, RG_K_RTP);
}

Test(rtp, padding_only_probe_is_admitted)
{
	/* cases.tsv B07: P=1, padding count never read (SRTP encrypts it) */
	expect_classify_hex("b0600304000030001a2b3c4dbede0001310005000000000000000000000000000000"
			    "000000000000000000000000000000000020", WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	/* a padding count larger than the packet is not checked either */
	expect_classify_hex("a0600304000030001a2b3c4dff", WEBRTC, RG_R_ADMITTED, RG_K_RTP);
}

Test(rtp, marker_bit_payload_types_224_and_up_are_rtp_not_rtcp)
{
	uint8_t b[64];

	/* second byte 0xE0 = marker + PT 96, 0xBF = marker + PT 63 */
	expect_classify(b, rtp_hdr(b, 0, 0, 0xe0), WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, rtp_hdr(b, 0, 0, 0xbf), WEBRTC, RG_R_ADMITTED, RG_K_RTP);
	expect_classify(b, rtp_hdr(b, 0, 0, 0xff), WEBRTC, RG_R_ADMITTED, RG_K_RTP);
}

Test(rtp, not_admitted_when_only_rtcp_is_admitted)
{
	uint8_t b[64];

	expect_classify(b, rtp_hdr(b, 0, 0, 96), BIT(RG_K_RTCP), RG_R_NOT_ADMITTED, RG_K_RTP);
}

/* ---- RTCP ---- */

Test(rtcp, second_bytes_192_to_223_are_rtcp)
{
	uint8_t b[64] = { 0x80, 0 };
	int pt;

	pkt_put16(b + 2, 1);
	for (pt = 192; pt <= 223; pt++) {
		if (pt == 200)
			continue; /* SR needs sender info */
		b[1] = (uint8_t)pt;
		expect_classify(b, 8, WEBRTC, RG_R_ADMITTED, RG_K_RTCP);
	}
	b[1] = 0xc8; /* SR */
	pkt_put16(b + 2, 6);
	expect_classify(b, 28, WEBRTC, RG_R_ADMITTED, RG_K_RTCP);
}

Test(rtcp, length_fits_or_overruns)
{
	/* SDES, length 2 words: 12 bytes */
	expect_classify_hex("81ca00021122334455667788", WEBRTC, RG_R_ADMITTED, RG_K_RTCP);
	expect_classify_hex("81ca000211223344556677", WEBRTC, RG_R_BAD_RTCP, RG_K_RTCP);
	expect_classify_hex("81caffff11223344556677", WEBRTC, RG_R_BAD_RTCP, RG_K_RTCP);
	/* more after the first packet (compound, SRTCP trailer) is not read */
	expect_classify_hex("81ca00021122334455667788deadbeef0000", WEBRTC, RG_R_ADMITTED,
			    RG_K_RTCP);
}

Test(rtcp, shorter_than_4_bytes_is_bad)
{
	expect_classify_hex("80cb00", WEBRTC, RG_R_BAD_RTCP, RG_K_RTCP);
}

Test(rtcp, report_count_is_not_held_against_the_length)
{
	uint8_t b[128];

	/* WhatsApp's SRTCP sender reports (ndpi__stun_wa_call.pcap 505): 17 blocks in 19 words */
	memset(b, 0x5a, sizeof(b));
	b[0] = 0x91, b[1] = 200;
	pkt_put16(b + 2, 18);
	expect_classify(b, 76 + 14, WEBRTC, RG_R_ADMITTED, RG_K_RTCP);
	b[0] = 0x81, b[1] = 200;
	pkt_put16(b + 2, 5);
	expect_classify(b, 24, WEBRTC, RG_R_ADMITTED, RG_K_RTCP);
	/* the length itself must still fit */
	expect_classify(b, 23, WEBRTC, RG_R_BAD_RTCP, RG_K_RTCP);
}

Test(rtcp, receiver_report_under_rfc5761_mux)
{
	/* cases.tsv B04: RR under RFC 5761 mux */
	expect_classify_hex("81c900071a2b3c4d5e6f7081000000000000055a000000000000000000000000",
			    WEBRTC, RG_R_ADMITTED, RG_K_RTCP);
}

Test(rtcp, bye_with_no_sources_is_4_bytes)
{
	expect_classify_hex("80cb0000", WEBRTC, RG_R_ADMITTED, RG_K_RTCP);
	expect_classify_hex("81cb0001ae528b43", WEBRTC, RG_R_ADMITTED, RG_K_RTCP);
	expect_classify_hex("81cb0001ae528b", WEBRTC, RG_R_BAD_RTCP, RG_K_RTCP);
}

/* ---- ZRTP ---- */

#define ZRTP_HELLO "10000001" "5a525450" "11223344" "505a0003" "48656c6c6f202020" "aabbccdd"

Test(zrtp, admitted_only_when_admitted)
{
	expect_classify_hex(ZRTP_HELLO, WEBRTC, RG_R_NOT_ADMITTED, RG_K_ZRTP);
	expect_classify_hex(ZRTP_HELLO, WEBRTC | BIT(RG_K_ZRTP), RG_R_ADMITTED, RG_K_ZRTP);
}

Test(zrtp, cookie_preamble_and_length_are_checked)
{
	__u32 admit = BIT(RG_K_ZRTP);

	/* wrong cookie */
	expect_classify_hex("10000001" "5a525451" "11223344" "505a0003" "48656c6c6f202020"
			    "aabbccdd", admit, RG_R_BAD_ZRTP, RG_K_ZRTP);
	/* wrong preamble */
	expect_classify_hex("10000001" "5a525450" "11223344" "505b0003" "48656c6c6f202020"
			    "aabbccdd", admit, RG_R_BAD_ZRTP, RG_K_ZRTP);
	/* message length one word too long, then too short */
	expect_classify_hex("10000001" "5a525450" "11223344" "505a0004" "48656c6c6f202020"
			    "aabbccdd", admit, RG_R_BAD_ZRTP, RG_K_ZRTP);
	expect_classify_hex("10000001" "5a525450" "11223344" "505a0002" "48656c6c6f202020"
			    "aabbccdd", admit, RG_R_BAD_ZRTP, RG_K_ZRTP);
	/* too short to hold a message */
	expect_classify_hex("10000001" "5a525450" "11223344" "505a", admit, RG_R_BAD_ZRTP,
			    RG_K_ZRTP);
}

/* ---- QUIC ---- */

/* Initial, v1, 8-byte DCID, 8-byte SCID, then some bytes */
#define QUIC_LONG \
	"c300000001" "08" "0102030405060708" "08" "1112131415161718" "00" "41e0" "aabbccdd"

Test(quic, long_header_only_when_admitted)
{
	expect_classify_hex(QUIC_LONG, WEBRTC, RG_R_NOT_ADMITTED, RG_K_QUIC);
	expect_classify_hex(QUIC_LONG, WEBRTC | BIT(RG_K_QUIC), RG_R_ADMITTED, RG_K_QUIC);
}

Test(quic, long_header_connection_id_lengths)
{
	__u32 admit = BIT(RG_K_QUIC);

	/* DCID 20 fits the v1 limit, 21 does not */
	expect_classify_hex("c000000001" "14" "0102030405060708090a0b0c0d0e0f1011121314" "00",
			    admit, RG_R_ADMITTED, RG_K_QUIC);
	expect_classify_hex("c000000001" "15" "0102030405060708090a0b0c0d0e0f101112131415" "00",
			    admit, RG_R_BAD_QUIC, RG_K_QUIC);
	/* SCID 21 */
	expect_classify_hex("c000000001" "00" "15" "0102030405060708090a0b0c0d0e0f101112131415",
			    admit, RG_R_BAD_QUIC, RG_K_QUIC);
	/* DCID running past the end */
	expect_classify_hex("c000000001" "08" "01020304050607", admit, RG_R_BAD_QUIC, RG_K_QUIC);
	/* SCID running past the end */
	expect_classify_hex("c000000001" "00" "08" "01020304050607", admit, RG_R_BAD_QUIC,
			    RG_K_QUIC);
	expect_classify_hex("c000000001" "00" "08" "0102030405060708", admit, RG_R_ADMITTED,
			    RG_K_QUIC);
	/* shorter than the invariant fields */
	expect_classify_hex("c0000000010000", admit, RG_R_ADMITTED, RG_K_QUIC);
	expect_classify_hex("c00000000100", admit, RG_R_BAD_QUIC, RG_K_QUIC);
}

Test(quic, version_negotiation_allows_long_connection_ids)
{
	__u32 admit = BIT(RG_K_QUIC);

	/* version 0: RFC 8999 allows CIDs up to 255 bytes */
	expect_classify_hex("c000000000" "15" "0102030405060708090a0b0c0d0e0f101112131415" "00"
			    "00000001", admit, RG_R_ADMITTED, RG_K_QUIC);
	expect_classify_hex("c000000000" "15" "0102030405060708090a0b0c0d0e0f1011121314", admit,
			    RG_R_BAD_QUIC, RG_K_QUIC);
	expect_classify_hex("c000000000" "15" "0102030405060708090a0b0c0d0e0f101112131415" "00"
			    "00000001", WEBRTC, RG_R_NOT_ADMITTED, RG_K_QUIC);
}

Test(quic, short_header_only_when_admitted)
{
	/* 0x50..: the legacy channel 0x5001 with a length that does not fit */
	const char *sh = "5001ffff0102030405060708090a0b0c0d0e0f1011";

	expect_classify_hex(sh, WEBRTC, RG_R_NOT_ADMITTED, RG_K_QUIC);
	expect_classify_hex(sh, WEBRTC | BIT(RG_K_QUIC), RG_R_ADMITTED, RG_K_QUIC);
	/* 20 bytes: too short for packet number and header protection sample */
	expect_classify_hex("5001ffff0102030405060708090a0b0c0d0e0f10", BIT(RG_K_QUIC),
			    RG_R_BAD_QUIC, RG_K_QUIC);
}

Test(quic, short_header_in_turn_range_when_only_quic_admitted)
{
	expect_classify_hex("4001ffff0102030405060708090a0b0c0d0e0f1011", BIT(RG_K_QUIC),
			    RG_R_ADMITTED, RG_K_QUIC);
	/* a valid channel, neither admitted: reported as the channel it is */
	expect_classify_hex("4001000401020304", BIT(RG_K_RTP), RG_R_NOT_ADMITTED,
			    RG_K_TURN_CHANNEL);
}
