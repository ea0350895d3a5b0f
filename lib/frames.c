// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "frames.h"

const char *const rg_frame_status_names[] = {
	[RG_FRAME_OK] = "ok",
	[RG_FRAME_UNSUPPORTED_LINK] = "unsupported-link-type",
	[RG_FRAME_UNCONVERTIBLE] = "unconvertible-frame",
	[RG_FRAME_TRUNCATED] = "truncated-capture",
};

/* Link types libpcap may report, by number, so no DLT_* macro is missing. */
enum {
	LT_NULL = 0,
	LT_EN10MB = 1,
	LT_PPP = 9,
	LT_RAW_OLD = 12,
	LT_RAW_OLD2 = 14,
	LT_PPP_SERIAL = 50,
	LT_RAW = 101,
	LT_LOOP = 108,
	LT_LINUX_SLL = 113,
	LT_IPV4 = 228,
	LT_IPV6 = 229,
	LT_LINUX_SLL2 = 276,
};

struct rg_frame_reader {
	pcap_t *pcap;
	int dlt;
	uint64_t count;
};

struct rg_frame_reader *frames_open(const char *path, char *err, size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct rg_frame_reader *r;
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not a capture file", path);
		return NULL;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "%s: empty file, not a capture", path);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->pcap = pcap_open_offline(path, pcap_err);
	if (!r->pcap) {
		snprintf(err, errlen, "%s: not a readable pcap or pcapng file (%s)", path, pcap_err);
		free(r);
		return NULL;
	}
	r->dlt = pcap_datalink(r->pcap);
	return r;
}

static size_t put_eth(uint8_t *out, uint16_t proto)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x0b };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x0a };

	memcpy(out, dst, 6);
	memcpy(out + 6, src, 6);
	out[12] = (uint8_t)(proto >> 8);
	out[13] = (uint8_t)proto;
	return 14;
}

/* Ethertype of a bare IP packet, from its version nibble; 0 if neither. */
static uint16_t ip_ethertype(const uint8_t *ip, size_t len)
{
	if (len < 1)
		return 0;
	if ((ip[0] >> 4) == 4)
		return 0x0800;
	if ((ip[0] >> 4) == 6)
		return 0x86dd;
	return 0;
}

static enum rg_frame_status wrap(uint16_t proto, const uint8_t *l3, size_t len, uint8_t *out,
				 size_t *out_len)
{
	if (!proto)
		return RG_FRAME_UNCONVERTIBLE;
	if (len + 14 > RG_FRAME_MAX)
		return RG_FRAME_UNCONVERTIBLE;
	memcpy(out + put_eth(out, proto), l3, len);
	*out_len = len + 14;
	return RG_FRAME_OK;
}

static uint16_t bsd_af_ethertype(uint32_t af)
{
	if (af == 2)
		return 0x0800;
	if (af == 24 || af == 28 || af == 30 || af == 10)
		return 0x86dd; /* AF_INET6 on the BSDs, macOS and Linux */
	return 0;
}

static uint16_t ppp_ethertype(uint16_t proto)
{
	if (proto == 0x0021)
		return 0x0800;
	if (proto == 0x0057)
		return 0x86dd;
	return 0;
}

enum rg_frame_status frames_to_ethernet(int dlt, const uint8_t *in, size_t len, uint8_t *out,
					size_t *out_len)
{
	switch (dlt) {
	case LT_EN10MB:
		if (len > RG_FRAME_MAX)
			return RG_FRAME_UNCONVERTIBLE;
		memcpy(out, in, len);
		*out_len = len;
		return RG_FRAME_OK;
	case LT_RAW:
	case LT_RAW_OLD:
	case LT_RAW_OLD2:
	case LT_IPV4:
	case LT_IPV6:
		return wrap(ip_ethertype(in, len), in, len, out, out_len);
	case LT_LINUX_SLL:
		if (len < 16)
			return RG_FRAME_UNCONVERTIBLE;
		return wrap((uint16_t)(in[14] << 8 | in[15]), in + 16, len - 16, out, out_len);
	case LT_LINUX_SLL2:
		if (len < 20)
			return RG_FRAME_UNCONVERTIBLE;
		return wrap((uint16_t)(in[0] << 8 | in[1]), in + 20, len - 20, out, out_len);
	case LT_NULL:
	case LT_LOOP: {
		uint32_t af;

		if (len < 4)
			return RG_FRAME_UNCONVERTIBLE;
		if (dlt == LT_LOOP)
			af = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | in[3];
		else /* host order of the capturing machine: accept either */
			af = in[0] ? in[0] : in[3];
		return wrap(bsd_af_ethertype(af), in + 4, len - 4, out, out_len);
	}
	case LT_PPP:
	case LT_PPP_SERIAL: {
		size_t off = 0;

		if (len >= 2 && in[0] == 0xff && in[1] == 0x03)
			off = 2; /* HDLC address and control */
		if (len < off + 1)
			return RG_FRAME_UNCONVERTIBLE;
		if (in[off] & 1) /* protocol field compressed to one byte */
			return wrap(ppp_ethertype(in[off]), in + off + 1, len - off - 1, out, out_len);
		if (len < off + 2)
			return RG_FRAME_UNCONVERTIBLE;
		return wrap(ppp_ethertype((uint16_t)(in[off] << 8 | in[off + 1])), in + off + 2,
			    len - off - 2, out, out_len);
	}
	default:
		return RG_FRAME_UNSUPPORTED_LINK;
	}
}

int frames_next(struct rg_frame_reader *r, struct rg_frame *f, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(r->pcap, &h, &data);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		snprintf(err, errlen, "capture corrupt after frame %llu: %s",
			 (unsigned long long)r->count, pcap_geterr(r->pcap));
		return -1;
	}
	f->number = ++r->count;
	f->len = 0;
	if (h->caplen < h->len) {
		f->status = RG_FRAME_TRUNCATED;
		return 1;
	}
	f->status = frames_to_ethernet(r->dlt, data, h->caplen, f->data, &f->len);
	return 1;
}

void frames_close(struct rg_frame_reader *r)
{
	if (!r)
		return;
	pcap_close(r->pcap);
	free(r);
}
