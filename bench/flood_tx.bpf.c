// SPDX-License-Identifier: GPL-2.0
/*
 * The traffic generator's program: run by BPF_PROG_TEST_RUN in live-frames
 * mode, it sends every frame out of the device (XDP_TX).  With
 * randomize_src set, each copy gets a random source address in the low
 * 16 bits (IPv4 /16 or IPv6 /112 of the template), checksum fixed up, so a
 * flood looks like many spoofed sources.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 randomize_src = 0;

static __always_inline __u16 csum_fold(__u32 c)
{
	c = (c & 0xffff) + (c >> 16);
	c = (c & 0xffff) + (c >> 16);
	return (__u16)c;
}

SEC("xdp")
int flood_tx(struct xdp_md *ctx)
{
	__u8 *data = (__u8 *)(long)ctx->data, *end = (__u8 *)(long)ctx->data_end;
	__u16 rnd, old;
	__u32 c;

	if (!randomize_src || data + 14 + 40 > end)
		return XDP_TX;
	rnd = (__u16)bpf_get_prandom_u32();
	if (data[12] == 0x08 && data[13] == 0x00) {
		__u16 *src_lo = (__u16 *)(data + 14 + 14);
		__u16 *csum = (__u16 *)(data + 14 + 10);

		old = *src_lo;
		*src_lo = rnd;
		/* RFC 1624 incremental update of the IPv4 header checksum */
		c = (__u16)~*csum + (__u16)~old + rnd;
		*csum = ~csum_fold(c);
		/* UDP checksum 0 = none over IPv4 */
		if (data + 14 + 20 + 8 <= end)
			*(__u16 *)(data + 14 + 20 + 6) = 0;
	} else if (data[12] == 0x86 && data[13] == 0xdd) {
		*(__u16 *)(data + 14 + 8 + 14) = rnd; /* UDP checksum stays stale: receivers judge before checking it */
	}
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
