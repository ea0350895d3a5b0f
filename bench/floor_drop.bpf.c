// SPDX-License-Identifier: GPL-2.0
/*
 * Bench floor: the emptiest XDP program there is.  Its cost is what
 * BPF_PROG_TEST_RUN itself charges per run (loop, bh toggling, the indirect
 * call), so every other program is reported as a delta over it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int floor_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
