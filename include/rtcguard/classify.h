/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Step 4 of the packet's path: which RTC kind a UDP payload is (RFC 7983 as
 * updated by RFC 9443, by its first byte) and whether its header is valid.
 *
 * The payload is (p, len): len comes from the UDP length and is what every
 * rule checks against, as numbers.  limit is where reads must stop (the
 * frame's end in BPF, so the verifier sees each read bounded; p + len on the
 * host).  Nothing here looks at encrypted bytes: SRTP/SRTCP payloads, RTP
 * padding counts, RTCP packets after the first, and extension contents are
 * never interpreted.
 */
#ifndef RTCGUARD_CLASSIFY_H
#define RTCGUARD_CLASSIFY_H

#include "compat.h"
#include "parse.h"
#include "reasons.h"

#define RG_STUN_HDR 20
#define RG_STUN_COOKIE 0x2112A442u
#define RG_STUN_MAX_ATTRS 32
#define RG_DTLS_MAX_RECORDS 8
#define RG_DTLS_HDR 13
#define RG_DTLS13_MIN_CIPHERTEXT 16 /* RFC 9147 4.2.3: shorter records are rejected */
#define RG_DTLS13_MAX_CID 32 /* longest connection ID looked for (RFC 9146 allows 255) */
#define RG_QUIC_MAX_CID 20
#define RG_QUIC_SHORT_MIN 21 /* 1 + 4-byte PN allowance + 16-byte HP sample */
#define RG_ZRTP_COOKIE 0x5A525450u /* "ZRTP" */

/* The STUN method of a message type (RFC 8489 5: M and C bits interleaved). */
RG_INLINE __u32 rg_stun_method(__u16 type)
{
	return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

RG_INLINE int rg_stun_method_admitted(const __u64 *methods, __u32 method)
{
	if (method > 0xff)
		return 0;
	return (methods[(method >> 6) & 3] >> (method & 63)) & 1;
}

/*
 * Walk STUN attributes from the header to exactly the end of the message.
 * pad 3 rounds each value up to 4 bytes (RFC 8489 14); pad 0 walks values
 * unpadded, as Microsoft's TURN dialect and WhatsApp send them.
 */
RG_INLINE int rg_stun_walk(const __u8 *p, const __u8 *limit, __u32 len, __u32 pad)
{
	__u32 off = RG_STUN_HDR;
	int i;

	for (i = 0; i < RG_STUN_MAX_ATTRS; i++) {
		const __u8 *a;

		if (off == len)
			return RG_R_ADMITTED;
		if (off + 4 > len)
			return RG_R_BAD_STUN;
		RG_LOAD(a, p, limit, off, 4, RG_R_BAD_STUN);
		off += 4 + ((rg_be16(a + 2) + pad) & ~pad);
		if (off > len)
			return RG_R_BAD_STUN;
	}
	return off == len ? RG_R_ADMITTED : RG_R_STUN_ATTR_CAP;
}

/* STUN (RFC 8489) or classic STUN (RFC 3489): header, method, attribute walk. */
RG_INLINE int rg_check_stun(const __u8 *p, const __u8 *limit, __u32 len, const __u64 *methods)
{
	const __u8 *h;
	int r;

	if (len < RG_STUN_HDR)
		return RG_R_BAD_STUN;
	RG_LOAD(h, p, limit, 0, RG_STUN_HDR, RG_R_BAD_STUN);
	if (rg_be16(h + 2) != len - RG_STUN_HDR)
		return RG_R_BAD_STUN;
	if (!rg_stun_method_admitted(methods, rg_stun_method(rg_be16(h))))
		return RG_R_STUN_METHOD;
	r = rg_stun_walk(p, limit, len, 3);
	if (r == RG_R_BAD_STUN)
		r = rg_stun_walk(p, limit, len, 0);
	return r;
}

/* TURN ChannelData (RFC 8656 12.4): padding to 4 is optional over UDP. */
RG_INLINE int rg_check_channel(const __u8 *p, const __u8 *limit, __u32 len, __u16 lo, __u16 hi)
{
	const __u8 *h;
	__u32 ch, dlen;

	if (len < 4)
		return RG_R_BAD_CHANNEL;
	RG_LOAD(h, p, limit, 0, 4, RG_R_BAD_CHANNEL);
	ch = rg_be16(h);
	dlen = rg_be16(h + 2);
	if (ch < lo || ch > hi)
		return RG_R_BAD_CHANNEL;
	if (4 + dlen > len || len > 4 + ((dlen + 3) & ~3u))
		return RG_R_BAD_CHANNEL;
	return RG_R_ADMITTED;
}

/*
 * One DTLS record at off: 1.0/1.2 DTLSPlaintext or the 1.3 unified header.
 * Returns the offset after it, RG_DTLS_END when the record runs to the end
 * of the datagram (no length, or a connection ID of unknown length), or 0
 * when it is invalid.
 */
#define RG_DTLS_END 0xffffffffu

/*
 * A 1.3 record with a connection ID and a length (C and L set): the CID's
 * length was negotiated and is unknown here, but the length field follows
 * it and the sequence number.  Some CID length from 1 to RG_DTLS13_MAX_CID
 * must make the record end exactly at the datagram's end (a CID record is
 * taken as the last one); otherwise the bytes are not such a record.
 */
RG_INLINE __u32 rg_dtls13_cid_record(const __u8 *p, const __u8 *limit, __u32 len, __u32 off,
				     __u32 hdr)
{
	__u32 cid;

	for (cid = 1; cid <= RG_DTLS13_MAX_CID; cid++) {
		__u32 at = off + hdr + cid;
		const __u8 *l;
		__u32 rlen;

		if (at + 2 > len)
			return 0;
		RG_LOAD(l, p, limit, at, 2, 0);
		rlen = rg_be16(l);
		if (rlen >= RG_DTLS13_MIN_CIPHERTEXT && at + 2 + rlen == len)
			return RG_DTLS_END;
	}
	return 0;
}

RG_INLINE __u32 rg_dtls_record(const __u8 *p, const __u8 *limit, __u32 len, __u32 off)
{
	const __u8 *r;
	__u32 b, hdr, rlen;

	if (off >= len)
		return 0;
	RG_LOAD(r, p, limit, off, 1, 0);
	b = r[0];
	if (b >= 20 && b <= 26) {
		const __u8 *h;
		__u16 ver;

		if (off + RG_DTLS_HDR > len)
			return 0;
		RG_LOAD(h, p, limit, off, RG_DTLS_HDR, 0);
		ver = rg_be16(h + 1);
		if (ver != 0xfeff && ver != 0xfefd)
			return 0;
		if (b == 25) /* tls12_cid: a CID of negotiated length follows */
			return RG_DTLS_END;
		return off + RG_DTLS_HDR + rg_be16(h + 11);
	}
	if ((b & 0xe0) != 0x20)
		return 0;
	/* 001CSLEE: sequence number 1 or 2 bytes, length present or not. */
	hdr = 1 + ((b & 0x08) ? 2 : 1);
	if ((b & 0x14) == 0x14)
		return rg_dtls13_cid_record(p, limit, len, off, hdr);
	if (b & 0x10) /* CID of unknown length and no length: accept structurally, stop */
		return off + hdr + RG_DTLS13_MIN_CIPHERTEXT <= len ? RG_DTLS_END : 0;
	if (!(b & 0x04))
		return off + hdr + RG_DTLS13_MIN_CIPHERTEXT <= len ? RG_DTLS_END : 0;
	if (off + hdr + 2 > len)
		return 0;
	RG_LOAD(r, p, limit, off + hdr, 2, 0);
	rlen = rg_be16(r);
	if (rlen < RG_DTLS13_MIN_CIPHERTEXT)
		return 0;
	return off + hdr + 2 + rlen;
}

/* DTLS: records walked to exactly the datagram's end, at most 8. */
RG_INLINE int rg_check_dtls(const __u8 *p, const __u8 *limit, __u32 len)
{
	__u32 off = 0;
	int i;

	for (i = 0; i < RG_DTLS_MAX_RECORDS; i++) {
		off = rg_dtls_record(p, limit, len, off);
		if (off == RG_DTLS_END || off == len)
			return RG_R_ADMITTED;
		if (off == 0 || off > len)
			return RG_R_BAD_DTLS;
	}
	return RG_R_DTLS_RECORD_CAP;
}

/* RTP (RFC 3550 5.1): fixed header, CSRCs, and the extension's length. */
RG_INLINE int rg_check_rtp(const __u8 *p, const __u8 *limit, __u32 len)
{
	const __u8 *h;
	__u32 hdr;

	if (len < 12)
		return RG_R_BAD_RTP;
	RG_LOAD(h, p, limit, 0, 12, RG_R_BAD_RTP);
	hdr = 12 + 4 * (__u32)(h[0] & 0x0f);
	if (h[0] & 0x10) {
		const __u8 *x;

		if (hdr + 4 > len)
			return RG_R_BAD_RTP;
		RG_LOAD(x, p, limit, hdr, 4, RG_R_BAD_RTP);
		hdr += 4 + 4 * (__u32)rg_be16(x + 2);
	}
	return hdr <= len ? RG_R_ADMITTED : RG_R_BAD_RTP;
}

/*
 * RTCP (RFC 3550 6.4, RFC 5761, RFC 5506): the first header only, which
 * SRTCP leaves in clear, and its length must fit.  The report count is not
 * held against the length: WhatsApp's SRTCP sender reports announce more
 * blocks than they carry, and the check would stop no attacker.
 */
RG_INLINE int rg_check_rtcp(const __u8 *p, const __u8 *limit, __u32 len)
{
	const __u8 *h;

	if (len < 4)
		return RG_R_BAD_RTCP;
	RG_LOAD(h, p, limit, 0, 4, RG_R_BAD_RTCP);
	return 4 * ((__u32)rg_be16(h + 2) + 1) <= len ? RG_R_ADMITTED : RG_R_BAD_RTCP;
}

/* ZRTP (RFC 6189 5): header, cookie, one message whose length fills the packet. */
RG_INLINE int rg_check_zrtp(const __u8 *p, const __u8 *limit, __u32 len)
{
	const __u8 *h;

	if (len < 16 + 4)
		return RG_R_BAD_ZRTP;
	RG_LOAD(h, p, limit, 0, 16, RG_R_BAD_ZRTP);
	if ((h[0] & 0xf0) != 0x10 || rg_be32(h + 4) != RG_ZRTP_COOKIE || rg_be16(h + 12) != 0x505a)
		return RG_R_BAD_ZRTP;
	return 12 + 4 * (__u32)rg_be16(h + 14) + 4 == len ? RG_R_ADMITTED : RG_R_BAD_ZRTP;
}

/* QUIC (RFC 8999 invariants, RFC 9000 17): long or short header. */
RG_INLINE int rg_check_quic(const __u8 *p, const __u8 *limit, __u32 len)
{
	const __u8 *h;
	__u32 version, dcil, scil;

	if (len < 1)
		return RG_R_BAD_QUIC;
	RG_LOAD(h, p, limit, 0, 1, RG_R_BAD_QUIC);
	if (!(h[0] & 0x80))
		return (h[0] & 0x40) && len >= RG_QUIC_SHORT_MIN ? RG_R_ADMITTED : RG_R_BAD_QUIC;
	if (len < 7)
		return RG_R_BAD_QUIC;
	RG_LOAD(h, p, limit, 0, 7, RG_R_BAD_QUIC);
	version = rg_be32(h + 1);
	dcil = h[5];
	if (version != 0 && dcil > RG_QUIC_MAX_CID)
		return RG_R_BAD_QUIC;
	if (6 + dcil + 1 > len)
		return RG_R_BAD_QUIC;
	RG_LOAD(h, p, limit, 6 + dcil, 1, RG_R_BAD_QUIC);
	scil = h[0];
	if (version != 0 && scil > RG_QUIC_MAX_CID)
		return RG_R_BAD_QUIC;
	return 7 + dcil + scil <= len ? RG_R_ADMITTED : RG_R_BAD_QUIC;
}

RG_INLINE int rg_stun_has_cookie(const __u8 *p, const __u8 *limit, __u32 len)
{
	const __u8 *h;

	if (len < 8)
		return 0;
	RG_LOAD(h, p, limit, 0, 8, 0);
	return rg_be32(h + 4) == RG_STUN_COOKIE;
}

/* RFC 5761 4: second byte 192-223 is an RTCP packet type, not RTP PT + marker. */
RG_INLINE int rg_rtp_is_rtcp(const __u8 *p, const __u8 *limit, __u32 len)
{
	const __u8 *h;

	if (len < 2)
		return 0;
	RG_LOAD(h, p, limit, 0, 2, 0);
	return h[1] >= 192 && h[1] <= 223;
}

#define rg_admits(admit, k) (((admit) >> (k)) & 1)

/* 64-127: TURN channel (legacy above 79) or QUIC short header; TURN wins. */
RG_INLINE int rg_classify_channel_or_quic(const __u8 *p, const __u8 *limit, __u32 len,
					  __u32 admit, __u8 *kind)
{
	__u8 ch_kind = p[0] < 80 ? RG_K_TURN_CHANNEL : RG_K_TURN_CHANNEL_LEGACY; /* p[0] read by caller */
	__u16 lo = ch_kind == RG_K_TURN_CHANNEL ? 0x4000 : 0x5000;
	__u16 hi = ch_kind == RG_K_TURN_CHANNEL ? 0x4fff : 0x7fff;
	int r = rg_check_channel(p, limit, len, lo, hi);

	if (rg_admits(admit, ch_kind) && (r == RG_R_ADMITTED || !rg_admits(admit, RG_K_QUIC))) {
		*kind = ch_kind;
		return r;
	}
	if (rg_admits(admit, RG_K_QUIC)) {
		*kind = RG_K_QUIC;
		return rg_check_quic(p, limit, len);
	}
	*kind = r == RG_R_ADMITTED ? ch_kind : RG_K_QUIC;
	return RG_R_NOT_ADMITTED;
}

/*
 * Classify and validate a UDP payload against the kinds a range admits.
 * Returns RG_R_ADMITTED or the drop reason; *kind is what the payload was
 * taken for (RG_K_NONE when it fits no class).
 */
RG_INLINE int rg_classify(const __u8 *p, const __u8 *limit, __u32 len, __u32 admit,
			  const __u64 *stun_methods, __u8 *kind)
{
	const __u8 *h;
	__u8 b, k;

	*kind = RG_K_NONE;
	if (len == 0)
		return RG_R_EMPTY;
	RG_LOAD(h, p, limit, 0, 1, RG_R_EMPTY);
	b = h[0];
	if (b >= 64 && b <= 127)
		return rg_classify_channel_or_quic(p, limit, len, admit, kind);
	if (b <= 3)
		k = rg_stun_has_cookie(p, limit, len) ? RG_K_STUN : RG_K_STUN_CLASSIC;
	else if (b <= 15)
		return RG_R_UNKNOWN_KIND;
	else if (b <= 19)
		k = RG_K_ZRTP;
	else if (b <= 63)
		k = RG_K_DTLS;
	else if (b <= 191)
		k = rg_rtp_is_rtcp(p, limit, len) ? RG_K_RTCP : RG_K_RTP;
	else
		k = RG_K_QUIC;
	*kind = k;
	if (!rg_admits(admit, k))
		return RG_R_NOT_ADMITTED;
	switch (k) {
	case RG_K_STUN:
	case RG_K_STUN_CLASSIC:
		return rg_check_stun(p, limit, len, stun_methods);
	case RG_K_ZRTP:
		return rg_check_zrtp(p, limit, len);
	case RG_K_DTLS:
		return rg_check_dtls(p, limit, len);
	case RG_K_RTP:
		return rg_check_rtp(p, limit, len);
	case RG_K_RTCP:
		return rg_check_rtcp(p, limit, len);
	default:
		return rg_check_quic(p, limit, len);
	}
}

#endif
