/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the unit tests: payloads from hex, the classifier and
 * the host build of the packet path called the way the data plane calls
 * them, and assertions that print the packet with the expected and actual
 * reason and kind names.
 */
#ifndef RG_TESTS_RG_TEST_H
#define RG_TESTS_RG_TEST_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "policy.h"
#include "rtcguard/classify.h"
#include "support/pktbuild.h"

static inline const char *rg_test_reason(int r)
{
	return r >= 0 && r < RG_REASON_COUNT ? rg_reason_names[r] : "(out of range)";
}

static inline const char *rg_test_kind(int k)
{
	return k >= 0 && k < RG_KIND_COUNT ? rg_kind_names[k] : "(out of range)";
}

/* Bytes as hex into a static buffer, cut with "..." past 160 bytes. */
static inline const char *rg_test_hex(const uint8_t *p, size_t len)
{
	static char out[2 * 160 + 4];
	size_t i, n = len > 160 ? 160 : len;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	strcpy(out + 2 * n, len > n ? "..." : "");
	return out;
}

/* Payload bytes from a hex string; fails the test on bad hex. */
static inline size_t rg_test_unhex(const char *hex, uint8_t *out, size_t cap)
{
	int n = pkt_unhex(hex, out, cap);

	cr_assert(n >= 0, "bad hex in test: %s", hex);
	return (size_t)n;
}

/* The STUN methods of a default policy. */
static inline const __u64 *rg_test_default_methods(void)
{
	static struct rg_policy pol;
	static int done;

	if (!done) {
		policy_init_defaults(&pol);
		done = 1;
	}
	return pol.config.stun_methods;
}

/*
 * rg_classify over a heap copy of exactly len bytes (limit = p + len, as
 * the host build calls it), with the default STUN methods.
 */
static inline int rg_test_classify(const uint8_t *payload, size_t len, __u32 admit, __u8 *kind)
{
	uint8_t *p = malloc(len ? len : 1);
	int r;

	cr_assert(p);
	if (len)
		memcpy(p, payload, len);
	r = rg_classify(p, p + len, (__u32)len, admit, rg_test_default_methods(), kind);
	free(p);
	return r;
}

/* Classify bytes and check reason and kind; prints the payload when it fails. */
#define expect_classify(buf, len, admit, want_r, want_k)                                      \
	do {                                                                                  \
		__u8 k_ = 0xff;                                                               \
		int r_ = rg_test_classify((buf), (len), (admit), &k_);                        \
		cr_assert(r_ == (want_r) && k_ == (want_k),                                   \
			  "payload %s (%zu bytes): expected %s/%s, got %s/%s",                \
			  rg_test_hex((buf), (len)), (size_t)(len), rg_test_reason(want_r),   \
			  rg_test_kind(want_k), rg_test_reason(r_), rg_test_kind(k_));        \
	} while (0)

/* Same, from a hex string. */
#define expect_classify_hex(hex, admit, want_r, want_k)                                       \
	do {                                                                                  \
		uint8_t b_[4096];                                                             \
		size_t n_ = rg_test_unhex((hex), b_, sizeof(b_));                             \
		expect_classify(b_, n_, (admit), (want_r), (want_k));                         \
	} while (0)

/* A policy that protects every destination on one port range. */
static inline void rg_test_policy(struct rg_policy *pol, __u16 lo, __u16 hi, __u32 admit,
				  __u16 flags)
{
	struct rg_port_range r = { .lo = lo, .hi = hi, .admit = (__u16)admit, .flags = flags };

	policy_init_defaults(pol);
	cr_assert(policy_protect_everything(pol, &r, 1) == 0);
}

/* Judge a frame; checks reason and kind and prints the frame when they differ. */
#define expect_judge(pol, frame, len, now, want_r, want_k)                                    \
	({                                                                                    \
		struct rg_pkt pkt_;                                                           \
		struct rg_judgement j_;                                                       \
		int r_ = policy_judge((pol), (frame), (len), (now), &pkt_, &j_);             \
		cr_assert(r_ == (want_r) && j_.reason == r_ && j_.kind == (want_k),           \
			  "frame %s (%zu bytes): expected %s/%s, got %s/%s",                  \
			  rg_test_hex((frame), (len)), (size_t)(len), rg_test_reason(want_r), \
			  rg_test_kind(want_k), rg_test_reason(r_), rg_test_kind(j_.kind));   \
		j_;                                                                           \
	})

/* a + b into out, or fail the test when it does not fit. */
static inline void rg_test_join(char *out, size_t cap, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	cr_assert(la + lb < cap, "path too long: %s%s", a, b);
	memcpy(out, a, la);
	memcpy(out + la, b, lb + 1);
}

/*
 * The shared corpus: $RG_CORPUS_DIR, or ../shared/corpus beside the repo,
 * found from this binary's path (build/tests/unit in the repo).
 */
static inline const char *rg_test_corpus_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	const char *env = getenv("RG_CORPUS_DIR");
	ssize_t n;
	int up;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return "../shared/corpus";
	exe[n] = '\0';
	for (up = 0; up < 3; up++) { /* strip unit, tests, build */
		char *slash = strrchr(exe, '/');

		if (!slash)
			return "../shared/corpus";
		*slash = '\0';
	}
	rg_test_join(dir, sizeof(dir), exe, "/../shared/corpus");
	return dir;
}

/* A file of the corpus by name, into out. */
static inline void rg_test_corpus_file(char *out, size_t cap, const char *name)
{
	rg_test_join(out, cap, rg_test_corpus_dir(), "/");
	rg_test_join(out + strlen(out), cap - strlen(out), "", name);
}

#endif
