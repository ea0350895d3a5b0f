// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

static int parse_port(const char *s, const char *end, uint16_t *port)
{
	unsigned long v = 0;
	const char *p;

	if (s == end || end - s > 5)
		return -1;
	for (p = s; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int parse_port_ranges(const char *s, struct rg_port_range *out, size_t cap, size_t *n, char *err,
		      size_t errlen)
{
	const char *item = s;

	*n = 0;
	if (!*s) {
		snprintf(err, errlen, "empty port list");
		return -1;
	}
	while (*item) {
		const char *comma = strchr(item, ',');
		const char *end = comma ? comma : item + strlen(item);
		const char *dash = memchr(item, '-', (size_t)(end - item));
		uint16_t lo, hi;

		if (dash ? parse_port(item, dash, &lo) || parse_port(dash + 1, end, &hi)
			 : parse_port(item, end, &lo)) {
			snprintf(err, errlen, "bad port range '%.*s': expected PORT or LOW-HIGH, 0-65535",
				 (int)(end - item), item);
			return -1;
		}
		if (!dash)
			hi = lo;
		if (lo > hi) {
			snprintf(err, errlen, "bad port range '%.*s': low end above high end",
				 (int)(end - item), item);
			return -1;
		}
		if (*n == cap) {
			snprintf(err, errlen, "too many port ranges: at most %zu", cap);
			return -1;
		}
		out[*n] = (struct rg_port_range){ .lo = lo, .hi = hi };
		(*n)++;
		if (!comma)
			break;
		item = comma + 1;
		if (!*item) {
			snprintf(err, errlen, "bad port list '%s': trailing comma", s);
			return -1;
		}
	}
	return 0;
}

int kind_from_name(const char *name)
{
	int k;

	for (k = RG_K_NONE + 1; k < RG_KIND_COUNT; k++)
		if (strcmp(name, rg_kind_names[k]) == 0)
			return k;
	return -1;
}

int parse_kinds(const char *s, uint32_t *admit, char *err, size_t errlen)
{
	const char *item = s;
	uint32_t bits = 0;

	if (strcmp(s, "all") == 0) {
		*admit = RG_ADMIT_ALL;
		return 0;
	}
	for (;;) {
		const char *comma = strchr(item, ',');
		size_t n = comma ? (size_t)(comma - item) : strlen(item);
		char name[32];
		int k = -1;

		if (n > 0 && n < sizeof(name)) {
			memcpy(name, item, n);
			name[n] = '\0';
			k = kind_from_name(name);
		}
		if (k < 0 && n == 0) {
			snprintf(err, errlen, "bad kind list '%s': empty item", s);
			return -1;
		}
		if (k < 0) {
			snprintf(err, errlen,
				 "unknown kind '%.*s': expected stun, stun-classic, turn-channel, "
				 "turn-channel-legacy, dtls, rtp, rtcp, zrtp, quic or all",
				 (int)n, item);
			return -1;
		}
		bits |= RG_KIND_BIT(k);
		if (!comma)
			break;
		item = comma + 1;
	}
	*admit = bits;
	return 0;
}

int parse_cidr(const char *s, struct rg_prefix *out, char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long len;
	unsigned int max, i;

	memset(out, 0, sizeof(*out));
	if (alen == 0 || alen >= sizeof(addr)) {
		snprintf(err, errlen, "bad prefix '%s': expected ADDRESS[/LENGTH]", s);
		return -1;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, out->addr) == 1) {
		out->family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, out->addr) == 1) {
		out->family = 6;
		max = 128;
	} else {
		snprintf(err, errlen, "bad prefix '%s': '%s' is not an IPv4 or IPv6 address", s, addr);
		return -1;
	}
	len = max;
	if (slash) {
		char *end;

		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || len > max || !isdigit((unsigned char)slash[1])) {
			snprintf(err, errlen, "bad prefix '%s': length must be 0-%u", s, max);
			return -1;
		}
	}
	out->len = (uint8_t)len;
	for (i = (unsigned int)len; i < max; i++) {
		if (out->addr[i / 8] & (0x80 >> (i % 8))) {
			snprintf(err, errlen, "bad prefix '%s': host bits set after /%lu", s, len);
			return -1;
		}
	}
	return 0;
}

int parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "ms", 1000000ull }, { "s", 1000000000ull }, { "m", 60000000000ull },
		{ "h", 3600000000000ull }, { "d", 86400000000000ull }, { "", 1000000000ull },
	};
	unsigned long long v;
	char *end;
	size_t i;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno)
		goto bad;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			/* At most INT64_MAX ns (292 years): expiry times are signed downstream. */
			if (v == 0 || v > (uint64_t)INT64_MAX / units[i].ns)
				goto bad;
			*ns = v * units[i].ns;
			return 0;
		}
	}
bad:
	snprintf(err, errlen, "bad duration '%s': expected a positive number with ms, s, m, h or d (e.g. 30s, 10m)", s);
	return -1;
}

int parse_rate(const char *s, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno)
		goto bad;
	if (*end == 'k' || *end == 'K')
		mult = 1000, end++;
	else if (*end == 'M')
		mult = 1000000, end++;
	if (*end || v > UINT64_MAX / mult)
		goto bad;
	*out = v * mult;
	return 0;
bad:
	snprintf(err, errlen, "bad rate '%s': expected an integer with optional k or M (e.g. 500, 10k, 2M)", s);
	return -1;
}
