/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RG_LIB_CLOCK_H
#define RG_LIB_CLOCK_H

#include <stdint.h>
#include <time.h>

/*
 * CLOCK_MONOTONIC in ns: the base of bpf_ktime_get_coarse_ns(), which the
 * program compares list expiry times against, so every expiry written or
 * judged in userspace uses this clock.
 */
static inline uint64_t rg_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
