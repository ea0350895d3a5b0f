/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What lets one header compile both into the BPF object and into host
 * programs: fixed-width types, byte order, and the inline attribute.
 */
#ifndef RTCGUARD_COMPAT_H
#define RTCGUARD_COMPAT_H

#include <linux/types.h>

#ifdef __bpf__
#include <bpf/bpf_endian.h>
#define rg_ntohs(x) bpf_ntohs(x)
#define rg_ntohl(x) bpf_ntohl(x)
#define rg_htons(x) bpf_htons(x)
#else
#include <arpa/inet.h>
#define rg_ntohs(x) ntohs(x)
#define rg_ntohl(x) ntohl(x)
#define rg_htons(x) htons(x)
#endif

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define RG_INLINE static __always_inline

/* Big-endian loads from a byte pointer the caller has bounds-checked. */
RG_INLINE __u16 rg_be16(const __u8 *p)
{
	return (__u16)((__u16)p[0] << 8 | p[1]);
}

RG_INLINE __u32 rg_be32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

#endif
