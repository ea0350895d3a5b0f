/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one table of exit reasons and payload kinds.  The BPF program counts
 * by these numbers; the CLI, the metrics and capture print these names.
 * Append only: the numbers are part of the pinned-map ABI (RG_LAYOUT_VERSION).
 */
#ifndef RTCGUARD_REASONS_H
#define RTCGUARD_REASONS_H

enum rg_verdict {
	RG_VERDICT_PASS,
	RG_VERDICT_DROP,
	RG_VERDICT_REDIRECT,
};

/* X(id, name, verdict, help) */
#define RG_REASON_TABLE(X)                                                              \
	X(ADMITTED, "admitted", PASS, "valid RTC payload of an admitted kind")            \
	X(BYPASS, "bypass", PASS, "global bypass switch is on")                           \
	X(NOT_IP, "not-ip", PASS, "not IPv4 or IPv6: out of scope")                       \
	X(NOT_UDP, "not-udp", PASS, "not UDP: out of scope")                              \
	X(UNPROTECTED, "unprotected", PASS, "UDP to no protected prefix and port range") \
	X(FRAG_LATER, "fragment-later", PASS, "non-first fragment: no port, passed")      \
	X(FRAG_FIRST_PASSED, "fragment-first-passed", PASS,                               \
	  "first fragment passed by range policy (payload unchecked)")                    \
	X(MALFORMED_L2, "malformed-l2", DROP, "truncated Ethernet or VLAN header")        \
	X(VLAN_DEPTH, "vlan-depth", DROP, "more than two VLAN tags")                      \
	X(MALFORMED_IP, "malformed-ip", DROP,                                             \
	  "IP header truncated or its lengths do not fit the frame")                      \
	X(IPV6_EXT_DEPTH, "ipv6-ext-depth", DROP, "more than six IPv6 extension headers") \
	X(MALFORMED_UDP, "malformed-udp", DROP,                                           \
	  "UDP header truncated or its length does not fit the IP payload")               \
	X(FRAG_FIRST, "fragment-first", DROP,                                             \
	  "first fragment to a protected port (payload cannot be checked)")               \
	X(FRAG_LATER_DROPPED, "fragment-later-dropped", DROP,                             \
	  "non-first fragment to a prefix that drops them")                               \
	X(REFLECTION, "reflection-port", DROP, "source port of a known reflection service") \
	X(DENYLIST, "denylist", DROP, "source in a deny prefix")                          \
	X(EMPTY, "empty-payload", DROP, "UDP datagram without payload")                   \
	X(UNKNOWN_KIND, "unknown-kind", DROP, "first byte is in no RFC 7983/9443 class")  \
	X(NOT_ADMITTED, "kind-not-admitted", DROP, "payload kind not admitted by the range") \
	X(BAD_STUN, "bad-stun", DROP, "STUN header or attributes malformed")              \
	X(STUN_ATTR_CAP, "stun-attr-cap", DROP, "more than 32 STUN attributes")           \
	X(STUN_METHOD, "stun-method", DROP, "STUN method not admitted")                   \
	X(BAD_CHANNEL, "bad-channel", DROP, "TURN ChannelData number or length invalid")  \
	X(BAD_DTLS, "bad-dtls", DROP, "DTLS record header invalid")                       \
	X(DTLS_RECORD_CAP, "dtls-record-cap", DROP, "more than 8 DTLS records")           \
	X(BAD_RTP, "bad-rtp", DROP, "RTP header, CSRCs or extension do not fit")          \
	X(BAD_RTCP, "bad-rtcp", DROP, "RTCP first header invalid")                        \
	X(BAD_ZRTP, "bad-zrtp", DROP, "ZRTP header invalid")                              \
	X(BAD_QUIC, "bad-quic", DROP, "QUIC header invalid")

/* X(id, name) */
#define RG_KIND_TABLE(X)                           \
	X(NONE, "none")                            \
	X(STUN, "stun")                            \
	X(STUN_CLASSIC, "stun-classic")            \
	X(TURN_CHANNEL, "turn-channel")            \
	X(TURN_CHANNEL_LEGACY, "turn-channel-legacy") \
	X(DTLS, "dtls")                            \
	X(RTP, "rtp")                              \
	X(RTCP, "rtcp")                            \
	X(ZRTP, "zrtp")                            \
	X(QUIC, "quic")

#define RG_REASON_ENUM(id, name, verdict, help) RG_R_##id,
enum rg_reason { RG_REASON_TABLE(RG_REASON_ENUM) RG_REASON_COUNT };
#undef RG_REASON_ENUM

#define RG_KIND_ENUM(id, name) RG_K_##id,
enum rg_kind { RG_KIND_TABLE(RG_KIND_ENUM) RG_KIND_COUNT };
#undef RG_KIND_ENUM

/* Bit r set when reason r drops: lets the BPF side ask without a table. */
#define RG_REASON_DROP_BIT(id, name, verdict, help) \
	| ((__u64)(RG_VERDICT_##verdict == RG_VERDICT_DROP) << RG_R_##id)
#define RG_REASON_DROP_MASK (0ull RG_REASON_TABLE(RG_REASON_DROP_BIT))
#define rg_reason_drops(r) ((RG_REASON_DROP_MASK >> (r)) & 1)

#define RG_KIND_BIT(k) (1u << (k))
#define RG_ADMIT_WEBRTC                                                                  \
	(RG_KIND_BIT(RG_K_STUN) | RG_KIND_BIT(RG_K_TURN_CHANNEL) | RG_KIND_BIT(RG_K_DTLS) | \
	 RG_KIND_BIT(RG_K_RTP) | RG_KIND_BIT(RG_K_RTCP))
#define RG_ADMIT_ALL (((1u << RG_KIND_COUNT) - 1) & ~RG_KIND_BIT(RG_K_NONE))

/* Fixed capacities of the counter array: room to append without a layout bump. */
#define RG_REASON_MAX 48
#define RG_KIND_MAX 16

/*
 * Counter slots per interface: [0, R) exits by reason; [R, 2R) exits that
 * monitor mode turned from drop into pass, by the reason they would have had;
 * [2R, 2R + K) admitted packets by kind.
 */
#define RG_SLOT_REASON(r) (r)
#define RG_SLOT_MONITOR(r) (RG_REASON_MAX + (r))
#define RG_SLOT_KIND(k) (2 * RG_REASON_MAX + (k))
#define RG_SLOTS_PER_IFACE (2 * RG_REASON_MAX + RG_KIND_MAX)

#ifndef __bpf__
#define RG_REASON_NAME(id, name, verdict, help) [RG_R_##id] = name,
static const char *const rg_reason_names[RG_REASON_COUNT] = { RG_REASON_TABLE(RG_REASON_NAME) };
#undef RG_REASON_NAME
#define RG_REASON_HELP(id, name, verdict, help) [RG_R_##id] = help,
static const char *const rg_reason_help[RG_REASON_COUNT] = { RG_REASON_TABLE(RG_REASON_HELP) };
#undef RG_REASON_HELP
#define RG_REASON_VERDICT(id, name, verdict, help) [RG_R_##id] = RG_VERDICT_##verdict,
static const enum rg_verdict rg_reason_verdict[RG_REASON_COUNT] = {
	RG_REASON_TABLE(RG_REASON_VERDICT)
};
#undef RG_REASON_VERDICT
#define RG_KIND_NAME(id, name) [RG_K_##id] = name,
static const char *const rg_kind_names[RG_KIND_COUNT] = { RG_KIND_TABLE(RG_KIND_NAME) };
#undef RG_KIND_NAME
static const char *const rg_verdict_names[] = { "pass", "drop", "redirect" };
#endif

#endif
