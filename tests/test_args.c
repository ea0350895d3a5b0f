// SPDX-License-Identifier: GPL-2.0
/* The parsers of operator input: port lists, kind lists, CIDRs, durations, rates. */
#include "args.h"
#include "rg_test.h"

static char err[256];

/* ---- port ranges ---- */

Test(ports, single_port_and_ranges)
{
	struct rg_port_range r[8];
	size_t n = 0;

	cr_assert_eq(parse_port_ranges("3478", r, 8, &n, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(n, 1);
	cr_assert(r[0].lo == 3478 && r[0].hi == 3478);
	cr_assert_eq(parse_port_ranges("3478,49152-65535", r, 8, &n, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_eq(n, 2);
	cr_assert(r[1].lo == 49152 && r[1].hi == 65535);
	cr_assert(r[0].admit == 0 && r[0].flags == 0);
}

Test(ports, bounds_0_and_65535)
{
	struct rg_port_range r[8];
	size_t n = 0;

	cr_assert_eq(parse_port_ranges("0-65535", r, 8, &n, err, sizeof(err)), 0, "%s", err);
	cr_assert(n == 1 && r[0].lo == 0 && r[0].hi == 65535);
	cr_assert_eq(parse_port_ranges("65536", r, 8, &n, err, sizeof(err)), -1);
	cr_assert_eq(parse_port_ranges("1-65536", r, 8, &n, err, sizeof(err)), -1);
	cr_assert_eq(parse_port_ranges("099999", r, 8, &n, err, sizeof(err)), -1);
}

Test(ports, malformed_lists_are_refused_with_a_message)
{
	static const char *const bad[] = {
		"", ",", "1,", ",1", "1,,2", "5-3", "1-", "-1", "a", "1 ", " 1", "1-2-3", "+1",
	};
	struct rg_port_range r[8];
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		cr_assert_eq(parse_port_ranges(bad[i], r, 8, &n, err, sizeof(err)), -1,
			     "'%s' was accepted", bad[i]);
		cr_assert(err[0], "no message for '%s'", bad[i]);
	}
}

Test(ports, capacity_is_enforced)
{
	struct rg_port_range r[2];
	size_t n = 0;

	cr_assert_eq(parse_port_ranges("1,2", r, 2, &n, err, sizeof(err)), 0);
	cr_assert_eq(parse_port_ranges("1,2,3", r, 2, &n, err, sizeof(err)), -1);
	cr_assert(strstr(err, "at most 2"), "message: %s", err);
}

/* ---- kinds ---- */

Test(kinds, every_kind_name_round_trips)
{
	int k;

	for (k = RG_K_NONE + 1; k < RG_KIND_COUNT; k++)
		cr_assert_eq(kind_from_name(rg_kind_names[k]), k, "%s", rg_kind_names[k]);
	cr_assert_eq(kind_from_name("none"), -1);
	cr_assert_eq(kind_from_name("STUN"), -1);
	cr_assert_eq(kind_from_name(""), -1);
}

Test(kinds, lists_and_all)
{
	uint32_t admit = 0;

	cr_assert_eq(parse_kinds("stun,rtp", &admit, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(admit, RG_KIND_BIT(RG_K_STUN) | RG_KIND_BIT(RG_K_RTP));
	cr_assert_eq(parse_kinds("all", &admit, err, sizeof(err)), 0);
	cr_assert_eq(admit, RG_ADMIT_ALL);
	cr_assert_eq(parse_kinds("stun,turn-channel,dtls,rtp,rtcp", &admit, err, sizeof(err)), 0);
	cr_assert_eq(admit, RG_ADMIT_WEBRTC);
}

Test(kinds, unknown_or_empty_is_refused)
{
	uint32_t admit = 0x1234;

	cr_assert_eq(parse_kinds("stun,bogus", &admit, err, sizeof(err)), -1);
	cr_assert(strstr(err, "bogus"), "message: %s", err);
	cr_assert_eq(admit, 0x1234, "admit changed on error");
	cr_assert_eq(parse_kinds("", &admit, err, sizeof(err)), -1);
	cr_assert_eq(parse_kinds("none", &admit, err, sizeof(err)), -1);
	cr_assert_eq(parse_kinds("all,stun", &admit, err, sizeof(err)), -1);
}

Test(kinds, empty_items_are_refused_like_in_port_lists)
{
	/* "," would silently admit nothing: every packet of the range dropped */
	static const char *const bad[] = { ",", ",,", "stun,", ",stun", "stun,,rtp" };
	uint32_t admit;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		admit = 0x1234;
		cr_expect_eq(parse_kinds(bad[i], &admit, err, sizeof(err)), -1,
			     "'%s' was accepted as admit mask 0x%x", bad[i], admit);
	}
}

Test(kinds, overlong_list_is_refused)
{
	char buf[600];
	uint32_t admit;

	memset(buf, 'a', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	cr_assert_eq(parse_kinds(buf, &admit, err, sizeof(err)), -1);
}

/* ---- CIDRs ---- */

Test(cidr, ipv4_prefix_and_bare_address)
{
	struct rg_prefix p;
	uint8_t want[4] = { 198, 51, 100, 0 };

	cr_assert_eq(parse_cidr("198.51.100.0/24", &p, err, sizeof(err)), 0, "%s", err);
	cr_assert(p.family == 4 && p.len == 24);
	cr_assert_arr_eq(p.addr, want, 4);
	cr_assert_eq(parse_cidr("198.51.100.7", &p, err, sizeof(err)), 0);
	cr_assert(p.family == 4 && p.len == 32 && p.addr[3] == 7);
	cr_assert_eq(parse_cidr("0.0.0.0/0", &p, err, sizeof(err)), 0);
	cr_assert(p.family == 4 && p.len == 0);
}

Test(cidr, ipv6_prefix_and_bare_address)
{
	struct rg_prefix p;

	cr_assert_eq(parse_cidr("2001:db8::/32", &p, err, sizeof(err)), 0, "%s", err);
	cr_assert(p.family == 6 && p.len == 32 && p.addr[0] == 0x20 && p.addr[3] == 0xb8);
	cr_assert_eq(parse_cidr("2001:db8::1", &p, err, sizeof(err)), 0);
	cr_assert(p.family == 6 && p.len == 128 && p.addr[15] == 1);
	cr_assert_eq(parse_cidr("::/0", &p, err, sizeof(err)), 0);
	cr_assert(p.family == 6 && p.len == 0);
}

Test(cidr, host_bits_are_refused)
{
	struct rg_prefix p;

	cr_assert_eq(parse_cidr("198.51.100.7/24", &p, err, sizeof(err)), -1);
	cr_assert(strstr(err, "host bits"), "message: %s", err);
	cr_assert_eq(parse_cidr("198.51.100.128/25", &p, err, sizeof(err)), 0);
	cr_assert_eq(parse_cidr("198.51.100.128/24", &p, err, sizeof(err)), -1);
	cr_assert_eq(parse_cidr("2001:db8::1/127", &p, err, sizeof(err)), -1);
	cr_assert_eq(parse_cidr("2001:db9::/31", &p, err, sizeof(err)), -1);
	cr_assert_eq(parse_cidr("2001:db8::/31", &p, err, sizeof(err)), 0);
}

Test(cidr, lengths_beyond_the_family_are_refused)
{
	struct rg_prefix p;

	cr_assert_eq(parse_cidr("198.51.100.7/32", &p, err, sizeof(err)), 0);
	cr_assert_eq(parse_cidr("198.51.100.7/33", &p, err, sizeof(err)), -1);
	cr_assert_eq(parse_cidr("2001:db8::1/128", &p, err, sizeof(err)), 0);
	cr_assert_eq(parse_cidr("2001:db8::1/129", &p, err, sizeof(err)), -1);
	cr_assert_eq(parse_cidr("0.0.0.0/4294967328", &p, err, sizeof(err)), -1);
}

Test(cidr, malformed_text_is_refused)
{
	static const char *const bad[] = {
		"", "/24", "198.51.100.0/", "198.51.100.0/-1", "198.51.100.0/+8", "198.51.100.0/ 8",
		"198.51.100.0/8x", "198.51.100", "198.51.100.256", "example.org", "2001:db8:::/32",
		"198.51.100.0/24/24",
	};
	struct rg_prefix p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		cr_assert_eq(parse_cidr(bad[i], &p, err, sizeof(err)), -1, "'%s' was accepted",
			     bad[i]);
		cr_assert(err[0], "no message for '%s'", bad[i]);
	}
}

/* ---- durations ---- */

Test(duration, every_unit)
{
	static const struct { const char *s; uint64_t ns; } ok[] = {
		{ "500ms", 500000000ull }, { "30s", 30000000000ull }, { "30", 30000000000ull },
		{ "10m", 600000000000ull }, { "1h", 3600000000000ull }, { "2d", 172800000000000ull },
		{ "1ms", 1000000ull },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t ns = 0;

		cr_assert_eq(parse_duration(ok[i].s, &ns, err, sizeof(err)), 0, "%s: %s", ok[i].s,
			     err);
		cr_assert_eq(ns, ok[i].ns, "%s: expected %llu ns, got %llu", ok[i].s,
			     (unsigned long long)ok[i].ns, (unsigned long long)ns);
	}
}

Test(duration, zero_negative_fractional_and_unknown_units_are_refused)
{
	static const char *const bad[] = { "0", "0s", "-1s", "1.5s", "10x", "s", "", " 1s", "1 s",
					   "1S", "1sec", "10mss" };
	size_t i;
	uint64_t ns;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		cr_assert_eq(parse_duration(bad[i], &ns, err, sizeof(err)), -1,
			     "'%s' was accepted", bad[i]);
		cr_assert(err[0]);
	}
}

Test(duration, overflow_is_refused)
{
	uint64_t ns;

	/* at most 2^63 ns (expiry times are signed downstream): 106751.99 days */
	cr_assert_eq(parse_duration("106751d", &ns, err, sizeof(err)), 0);
	cr_assert_eq(parse_duration("106752d", &ns, err, sizeof(err)), -1);
	cr_assert_eq(parse_duration("99999999999999999999999s", &ns, err, sizeof(err)), -1);
}

/* ---- rates ---- */

Test(rate, plain_k_and_M)
{
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "1000", 1000 }, { "10k", 10000 }, { "10K", 10000 }, { "2M", 2000000 },
		{ "0", 0 }, { "18446744073709551615", UINT64_MAX },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t v = 1;

		cr_assert_eq(parse_rate(ok[i].s, &v, err, sizeof(err)), 0, "%s: %s", ok[i].s, err);
		cr_assert_eq(v, ok[i].v, "%s: got %llu", ok[i].s, (unsigned long long)v);
	}
}

Test(rate, malformed_and_overflowing_rates_are_refused)
{
	static const char *const bad[] = { "", "k", "-5", "1.5k", "10m", "10G", "10kk", " 1",
					   "18446744073709551616", "18446744073709552k" };
	size_t i;
	uint64_t v;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(parse_rate(bad[i], &v, err, sizeof(err)), -1, "'%s' was accepted",
			     bad[i]);
}
