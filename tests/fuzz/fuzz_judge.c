// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the host build of the packet path.  Each input is
 * judged as an Ethernet frame by policy_judge (every port protected, every
 * kind admitted, with monitor mode, fragment flags and source lists in play)
 * and classified as a bare UDP payload by rg_classify.  ASan and UBSan make
 * any read outside the input fatal; the invariants below make a nonsensical
 * judgement fatal too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "rtcguard/classify.h"

#define NOW 1000000000000ull

static struct rg_policy pol;

static void init_policy(void)
{
	struct rg_port_range ranges[2] = {
		{ .lo = 0, .hi = 32767, .admit = RG_ADMIT_ALL },
		{ .lo = 32768, .hi = 65535, .admit = RG_ADMIT_ALL,
		  .flags = RG_RANGE_MONITOR | RG_RANGE_PASS_FIRST_FRAG },
	};
	struct rg_scope v6 = { .flags = RG_SCOPE_DROP_LATER_FRAGS, .nranges = 2 };
	struct rg_prefix net6 = { .family = 6, .len = 32, .addr = { 0x20, 0x01, 0x00, 0x02 } };
	struct rg_prefix allow = { .family = 4, .len = 24, .addr = { 198, 19, 0 } };
	struct rg_prefix deny = { .family = 4, .len = 32, .addr = { 198, 19, 0, 7 } };
	struct rg_list_entry a = { .action = RG_LIST_ALLOW, .origin = RG_ORIGIN_CONFIG };
	struct rg_list_entry d = { .action = RG_LIST_DENY, .origin = RG_ORIGIN_RUNTIME,
				   .expires_ns = NOW + 1 };

	policy_init_defaults(&pol);
	memcpy(v6.range, ranges, sizeof(ranges));
	if (policy_protect_everything(&pol, ranges, 2) || policy_add_scope(&pol, &net6, &v6) ||
	    policy_add_list(&pol, &allow, &a) || policy_add_list(&pol, &deny, &d))
		abort();
}

static void check_judgement(int r, const struct rg_pkt *pkt, const struct rg_judgement *j,
			    size_t size)
{
	if (r < 0 || r >= RG_REASON_COUNT || j->reason != r || j->kind >= RG_KIND_COUNT)
		__builtin_trap();
	if (r == RG_R_ADMITTED && j->kind == RG_K_NONE)
		__builtin_trap();
	if (j->monitored && !rg_reason_drops(r))
		__builtin_trap();
	if (pkt->wire_len != size)
		__builtin_trap();
	/* a judged payload lies inside the frame */
	if (j->kind != RG_K_NONE && (size_t)pkt->payload_off + pkt->payload_len > size)
		__builtin_trap();
}

static void check_classify(int r, __u8 kind, size_t size)
{
	if (r < 0 || r >= RG_REASON_COUNT || kind >= RG_KIND_COUNT)
		__builtin_trap();
	if (r == RG_R_ADMITTED && kind == RG_K_NONE)
		__builtin_trap();
	if (size == 0 && r != RG_R_EMPTY)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const __u32 admits[] = { RG_ADMIT_ALL, RG_ADMIT_WEBRTC,
					RG_KIND_BIT(RG_K_QUIC) | RG_KIND_BIT(RG_K_TURN_CHANNEL_LEGACY) };
	static int ready;
	struct rg_judgement j;
	struct rg_pkt pkt;
	size_t i;
	int r;

	if (!ready) {
		init_policy();
		ready = 1;
	}
	r = policy_judge(&pol, data, size, NOW, &pkt, &j);
	check_judgement(r, &pkt, &j, size);

	if (size > 0xffff)
		return 0;
	for (i = 0; i < sizeof(admits) / sizeof(admits[0]); i++) {
		__u8 kind = 0xff;

		r = rg_classify(data, data + size, (__u32)size, admits[i],
				pol.config.stun_methods, &kind);
		check_classify(r, kind, size);
	}
	return 0;
}
