/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny harness shared by the selftests of the real BPF object: where the
 * object is, loading it unpinned with judgements recorded, running a frame,
 * and checks that print the packet, the expected and the actual verdict,
 * reason and kind when they fail.  Each test ends with st_finish(), which
 * prints "N passed, N failed" and gives the exit status.
 */
#ifndef RG_SELFTEST_H
#define RG_SELFTEST_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpf.h>

#include <arpa/inet.h>

#include "clock.h"
#include "dataplane.h"
#include "policy.h"
#include "rtcguard/reasons.h"

static int st_passed, st_failed;
/* Failure reports print at most this many bytes of a frame. */
static size_t st_hex_max = 2048;

/* What one frame got: the XDP action and the recorded judgement. */
struct st_verdict {
	uint32_t xdp;
	uint8_t reason;
	uint8_t kind;
	uint8_t monitored;
	uint8_t allowed;
};

/* The repository root: three levels above build/selftests/test_x, else ".". */
static inline const char *st_repo_root(void)
{
	static char root[PATH_MAX];
	ssize_t n;
	int i;

	if (root[0])
		return root;
	n = readlink("/proc/self/exe", root, sizeof(root) - 1);
	if (n <= 0) {
		snprintf(root, sizeof(root), ".");
		return root;
	}
	root[n] = '\0';
	for (i = 0; i < 3; i++) {
		char *slash = strrchr(root, '/');

		if (!slash || slash == root) {
			snprintf(root, sizeof(root), ".");
			return root;
		}
		*slash = '\0';
	}
	return root;
}

/* $RG_OBJECT, else <repo>/build/rtcguard.bpf.o. */
static inline const char *st_object_path(void)
{
	static char path[PATH_MAX + 32];
	const char *env = getenv("RG_OBJECT");

	if (env && env[0])
		return env;
	snprintf(path, sizeof(path), "%s/build/rtcguard.bpf.o", st_repo_root());
	return path;
}

/* Load the object unpinned into counter block ifslot, recording judgements; exits on failure. */
static inline void st_load(struct rg_dataplane *dp, uint32_t ifslot)
{
	struct rg_load_opts o = { .ifslot = ifslot, .record_last = 1 };
	char err[512];
	int e = dataplane_load(dp, st_object_path(), &o, err, sizeof(err));

	if (e) {
		fprintf(stderr, "FATAL: %s\n", err);
		exit(1);
	}
	/* Probe now: the probe runs the program, which counts what it sees. */
	dataplane_max_test_frame(dp);
}

/* Load and fill the maps from a policy; exits on failure. */
static inline void st_load_policy(struct rg_dataplane *dp, uint32_t ifslot,
				  const struct rg_policy *pol)
{
	int e;

	st_load(dp, ifslot);
	e = dataplane_apply(dp, pol);
	if (e) {
		fprintf(stderr, "FATAL: cannot fill the maps: %s\n", strerror(-e));
		exit(1);
	}
}

#define st_now_ns() rg_monotonic_ns()

/* A prefix from an address literal and a length; exits on a bad literal. */
static inline struct rg_prefix st_prefix(int fam, const char *addr, int len)
{
	struct rg_prefix p = { .family = (uint8_t)fam, .len = (uint8_t)len };

	if (inet_pton(fam == 4 ? AF_INET : AF_INET6, addr, p.addr) != 1) {
		fprintf(stderr, "FATAL: bad address %s\n", addr);
		exit(1);
	}
	return p;
}

static inline void st_hex(FILE *f, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
}

static inline const char *st_xdp_name(uint32_t a)
{
	switch (a) {
	case XDP_ABORTED: return "XDP_ABORTED";
	case XDP_DROP: return "XDP_DROP";
	case XDP_PASS: return "XDP_PASS";
	case XDP_TX: return "XDP_TX";
	case XDP_REDIRECT: return "XDP_REDIRECT";
	default: return "XDP_?";
	}
}

static inline const char *st_reason_name(unsigned int r)
{
	return r < RG_REASON_COUNT ? rg_reason_names[r] : "?";
}

static inline const char *st_kind_name(unsigned int k)
{
	return k < RG_KIND_COUNT ? rg_kind_names[k] : "?";
}

static inline void st_print_verdict(FILE *f, const char *label, const struct st_verdict *v)
{
	fprintf(f, "    %-8s %s reason=%s(%u) kind=%s(%u) monitored=%u allowed=%u\n", label,
		st_xdp_name(v->xdp), st_reason_name(v->reason), v->reason, st_kind_name(v->kind),
		v->kind, v->monitored, v->allowed);
}

/* The XDP action a judgement must produce. */
static inline uint32_t st_xdp_of(unsigned int reason, int monitored)
{
	if (monitored || reason >= RG_REASON_COUNT)
		return XDP_PASS;
	return rg_reason_verdict[reason] == RG_VERDICT_DROP ? XDP_DROP : XDP_PASS;
}

static inline int st_verdict_eq(const struct st_verdict *a, const struct st_verdict *b)
{
	return a->xdp == b->xdp && a->reason == b->reason && a->kind == b->kind &&
	       a->monitored == b->monitored && a->allowed == b->allowed;
}

/* Run one frame through the object.  Returns 0 or -errno (-EMSGSIZE: too large). */
static inline int st_run(struct rg_dataplane *dp, const void *frame, size_t len,
			 struct st_verdict *v)
{
	struct rg_judgement j = { 0 };
	uint32_t ret = 0;
	int e = dataplane_test_run(dp, frame, len, 1, &ret, NULL, &j);

	memset(v, 0, sizeof(*v));
	if (e)
		return e;
	v->xdp = ret;
	v->reason = j.reason;
	v->kind = j.kind;
	v->monitored = j.monitored;
	v->allowed = j.allowed;
	return 0;
}

static inline void st_fail_verdict(const char *file, int line, const char *what, const void *frame,
				   size_t len, const struct st_verdict *exp,
				   const struct st_verdict *got)
{
	fprintf(stderr, "FAIL %s:%d: %s\n    frame (%zu bytes) ", file, line, what, len);
	st_hex(stderr, frame, len < st_hex_max ? len : st_hex_max);
	if (len > st_hex_max)
		fprintf(stderr, "... (first %zu bytes shown)", st_hex_max);
	fputc('\n', stderr);
	st_print_verdict(stderr, "expected", exp);
	st_print_verdict(stderr, "actual", got);
}

/* A check of a frame's verdict: on failure prints the frame, expected and actual. */
#define CHECK(cond, what, frame, len, exp, got)                                             \
	do {                                                                                \
		if (cond) {                                                                 \
			st_passed++;                                                        \
		} else {                                                                    \
			st_failed++;                                                        \
			st_fail_verdict(__FILE__, __LINE__, (what), (frame), (len), &(exp), \
					&(got));                                            \
		}                                                                           \
	} while (0)

static inline void st_fail_msg(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void st_fail_msg(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Any other check: a condition and a printf-style message printed on failure. */
#define CHECK_MSG(cond, ...)                                           \
	do {                                                           \
		if (cond) {                                            \
			st_passed++;                                   \
		} else {                                               \
			st_failed++;                                   \
			st_fail_msg(__FILE__, __LINE__, __VA_ARGS__); \
		}                                                      \
	} while (0)

/* Print the summary line; returns the exit status. */
static inline int st_finish(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, st_passed, st_failed);
	return st_failed ? 1 : 0;
}

#endif
