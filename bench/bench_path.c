// SPDX-License-Identifier: GPL-2.0
/*
 * Per-packet cost of rtcguard_xdp by path, from BPF_PROG_TEST_RUN, next to
 * floor programs and xdp-filter measured on the same frames in the same run.
 * See bench/README.md for the method.  Needs root; prints markdown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "dataplane.h"
#include "policy.h"
#include "pktbuild.h"

#define MAX_RUNS 101
#define MAX_FRAME 512
#define PAYLOAD_CAP 400

/* The programs measured, in round-robin order within a run. */
enum { P_RG, P_EMPTY, P_LRU, P_XF, NPROG };

static const char *const prog_label[NPROG] = {
	[P_RG] = "rtcguard_xdp",
	[P_EMPTY] = "empty XDP_DROP",
	[P_LRU] = "LRU floor",
	[P_XF] = "xdp-filter",
};

struct prog {
	struct bpf_object *obj;
	int fd;
	char path[256];
	char why[512]; /* why it is not measured, when fd < 0 */
};

/* The paths: what the frame is, what rtcguard must decide, and the target. */
enum path_id {
	PATH_UNPROT_PORT,
	PATH_TCP,
	PATH_STUN,
	PATH_RTP,
	PATH_RTCP,
	PATH_DTLS,
	PATH_CHANNEL,
	PATH_GARBAGE_LOW,
	PATH_GARBAGE_RTP,
	PATH_REFLECTION,
	NPATH
};

struct path_def {
	const char *name;
	int reason;    /* expected enum rg_reason */
	int kind;      /* expected enum rg_kind when admitted, else -1 */
	int target_ns; /* allowed delta over the empty program, 0 = none */
};

static const struct path_def paths[NPATH] = {
	[PATH_UNPROT_PORT] = { "out of scope: UDP to unprotected port", RG_R_UNPROTECTED, -1, 0 },
	[PATH_TCP] = { "out of scope: TCP", RG_R_NOT_UDP, -1, 0 },
	[PATH_STUN] = { "STUN Binding request (Chrome)", RG_R_ADMITTED, RG_K_STUN, 25 },
	[PATH_RTP] = { "RTP (0xBEDE extension)", RG_R_ADMITTED, RG_K_RTP, 10 },
	[PATH_RTCP] = { "RTCP (SR+SDES)", RG_R_ADMITTED, RG_K_RTCP, 10 },
	[PATH_DTLS] = { "DTLS application data", RG_R_ADMITTED, RG_K_DTLS, 10 },
	[PATH_CHANNEL] = { "TURN ChannelData", RG_R_ADMITTED, RG_K_TURN_CHANNEL, 10 },
	[PATH_GARBAGE_LOW] = { "garbage drop: first byte 4-15", RG_R_UNKNOWN_KIND, -1, 0 },
	[PATH_GARBAGE_RTP] = { "garbage drop: RTP range, invalid", RG_R_BAD_RTP, -1, 0 },
	[PATH_REFLECTION] = { "reflection drop: source port 53", RG_R_REFLECTION, -1, 0 },
};

struct bench_case {
	enum path_id path;
	int family;
	uint8_t frame[MAX_FRAME];
	size_t len;
	uint32_t ns[NPROG][MAX_RUNS];
	uint32_t verdict[NPROG];
};

#define NCASE (NPATH * 2)

static struct bench_case cases[NCASE];

#define PROTECTED_LO 49152
#define PROTECTED_HI 65535
#define DPORT_PROTECTED 50000
#define DPORT_UNPROTECTED 9000
#define XF_MAP_FLAG_SRC (1u << 0) /* xdp-filter's common_kern_user.h */
#define XF_MAP_FLAG_UDP (1u << 3)

/* Fixed-seed xorshift: "encrypted" payload bytes that are the same every run. */
static uint32_t rng_state = 0x9e3779b9u;

static uint8_t rnd8(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return (uint8_t)rng_state;
}

static void fill_random(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd8();
}

static size_t put16(uint8_t *p, uint16_t v)
{
	pkt_put16(p, v);
	return 2;
}

static size_t put32(uint8_t *p, uint32_t v)
{
	pkt_put16(p, (uint16_t)(v >> 16));
	pkt_put16(p + 2, (uint16_t)v);
	return 4;
}

static size_t stun_attr(uint8_t *p, uint16_t type, const void *val, uint16_t len)
{
	size_t padded = (len + 3u) & ~3u;

	put16(p, type);
	put16(p + 2, len);
	memset(p + 4, 0, padded);
	memcpy(p + 4, val, len);
	return 4 + padded;
}

/*
 * A Binding request as Chrome sends it for an ICE connectivity check:
 * USERNAME (remote:local ufrag, 4 characters each), GOOG-NETWORK-INFO,
 * ICE-CONTROLLING, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT.  96 bytes.
 */
static size_t payload_stun(uint8_t *p)
{
	static const char user[] = "Rb3s:k2Xy";
	uint8_t v[20];
	size_t n = 0;

	n += put16(p + n, 0x0001);
	n += put16(p + n, 0); /* length, below */
	n += put32(p + n, 0x2112A442u);
	fill_random(p + n, 12);
	n += 12;
	n += stun_attr(p + n, 0x0006, user, sizeof(user) - 1);
	put32(v, 0x0001000a); /* network id 1, cost 10 */
	n += stun_attr(p + n, 0xC057, v, 4);
	fill_random(v, 8);
	n += stun_attr(p + n, 0x802A, v, 8);
	put32(v, 0x6e7f1eff);
	n += stun_attr(p + n, 0x0024, v, 4);
	fill_random(v, 20);
	n += stun_attr(p + n, 0x0008, v, 20);
	fill_random(v, 4);
	n += stun_attr(p + n, 0x8028, v, 4);
	put16(p + 2, (uint16_t)(n - 20));
	return n;
}

/* Opus RTP, one-byte header extension (0xBEDE) with audio level: 172 bytes. */
static size_t payload_rtp(uint8_t *p)
{
	size_t n = 0;

	p[n++] = 0x90; /* V=2, X=1, CC=0 */
	p[n++] = 111;  /* PT 111, no marker */
	n += put16(p + n, 0x1234);
	n += put32(p + n, 0x00aa5500);
	n += put32(p + n, 0x5eed5eed);
	n += put16(p + n, 0xBEDE);
	n += put16(p + n, 1);
	p[n++] = 0x10; /* id 1, len 1 */
	p[n++] = 0x3a;
	p[n++] = 0;
	p[n++] = 0;
	fill_random(p + n, 172 - n);
	return 172;
}

/* SRTCP compound start: SR (no report blocks), SDES CNAME, index, 80-bit tag. */
static size_t payload_rtcp(uint8_t *p)
{
	static const char cname[] = "4TxU8hQ3c9bW2kLm";
	size_t n = 0;

	p[n++] = 0x80;
	p[n++] = 200;
	n += put16(p + n, 6);
	n += put32(p + n, 0x5eed5eed);
	fill_random(p + n, 20); /* NTP, RTP timestamp, counts */
	n += 20;
	p[n++] = 0x81;
	p[n++] = 202;
	n += put16(p + n, 6);
	n += put32(p + n, 0x5eed5eed);
	p[n++] = 1; /* CNAME */
	p[n++] = 16;
	memcpy(p + n, cname, 16);
	n += 16;
	p[n++] = 0; /* end of items, pad to 4 */
	p[n++] = 0;
	n += put32(p + n, 0x80000001); /* E flag + SRTCP index */
	fill_random(p + n, 10);
	return n + 10;
}

/* DTLS 1.2 application data record (an SCTP data-channel packet): 113 bytes. */
static size_t payload_dtls(uint8_t *p)
{
	size_t n = 0;

	p[n++] = 23;
	n += put16(p + n, 0xfefd);
	n += put16(p + n, 1); /* epoch */
	n += put16(p + n, 0);
	n += put32(p + n, 42); /* sequence number */
	n += put16(p + n, 100);
	fill_random(p + n, 100);
	return n + 100;
}

/* TURN ChannelData on channel 0x4000 carrying a 160-byte RTP packet. */
static size_t payload_channel(uint8_t *p)
{
	put16(p, 0x4000);
	put16(p + 2, 160);
	payload_rtp(p + 4); /* 172 bytes written, the first 160 used */
	return 4 + 160;
}

/* 100 random bytes whose first byte is in 4-15: no RFC 7983 class. */
static size_t payload_garbage_low(uint8_t *p)
{
	fill_random(p, 100);
	p[0] = 4 + (p[0] % 12);
	return 100;
}

/*
 * 100 random bytes taken for RTP that fail its check as late as possible:
 * X=1 and CC=15, so the walk reads past 15 CSRCs to an extension length
 * that runs beyond the datagram.
 */
static size_t payload_garbage_rtp(uint8_t *p)
{
	fill_random(p, 100);
	p[0] = 0x9f;
	p[1] &= 0x7f; /* second byte < 192: RTP, not RTCP */
	p[74] |= 0x80;
	return 100;
}

/* Turn a UDP frame into a TCP segment (ACK, 20-byte header) in place. */
static void make_tcp(uint8_t *f, int family)
{
	uint8_t *l4 = f + 14 + (family == 4 ? 20 : 40);

	if (family == 4)
		f[14 + 9] = 6;
	else
		f[14 + 6] = 6;
	memset(l4 + 4, 0, 16);
	put32(l4 + 4, 0x01020304); /* seq */
	put32(l4 + 8, 0x05060708); /* ack */
	l4[12] = 0x50;             /* data offset 5 words */
	l4[13] = 0x10;             /* ACK */
	put16(l4 + 14, 502);
}

static int build_case(struct bench_case *c, enum path_id path, int family)
{
	uint8_t payload[PAYLOAD_CAP];
	struct pkt_spec s = { .family = family, .dport = DPORT_PROTECTED };
	size_t plen = 0;

	c->path = path;
	c->family = family;
	switch (path) {
	case PATH_UNPROT_PORT:
		s.dport = DPORT_UNPROTECTED;
		plen = payload_rtp(payload);
		break;
	case PATH_TCP:
		s.sport = 443;
		s.dport = 40000;
		plen = 12 + 100; /* TCP header beyond the 8 UDP bytes + data */
		fill_random(payload, plen);
		break;
	case PATH_STUN:
		plen = payload_stun(payload);
		break;
	case PATH_RTP:
		plen = payload_rtp(payload);
		break;
	case PATH_RTCP:
		plen = payload_rtcp(payload);
		break;
	case PATH_DTLS:
		plen = payload_dtls(payload);
		break;
	case PATH_CHANNEL:
		plen = payload_channel(payload);
		break;
	case PATH_GARBAGE_LOW:
		plen = payload_garbage_low(payload);
		break;
	case PATH_GARBAGE_RTP:
		plen = payload_garbage_rtp(payload);
		break;
	case PATH_REFLECTION:
		s.sport = 53;
		plen = 100;
		fill_random(payload, plen);
		break;
	default:
		return -1;
	}
	c->len = pkt_build(&s, payload, plen, c->frame, sizeof(c->frame));
	if (!c->len)
		return -1;
	if (path == PATH_TCP)
		make_tcp(c->frame, family);
	return 0;
}

static int parse_prefix(const char *text, int len, struct rg_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->len = (uint8_t)len;
	if (inet_pton(AF_INET, text, p->addr) == 1) {
		p->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, text, p->addr) == 1) {
		p->family = 6;
		return 0;
	}
	return -1;
}

/*
 * The policy measured: defaults (reflection ports, STUN methods) and one
 * protected scope per family, the frames' destination prefix, on
 * 49152-65535 admitting the WebRTC kinds.  Other ports stay out of scope.
 */
static int bench_policy(struct rg_policy *pol)
{
	struct rg_scope scope = { .nranges = 1 };
	struct rg_prefix p4, p6;

	policy_init_defaults(pol);
	scope.range[0].lo = PROTECTED_LO;
	scope.range[0].hi = PROTECTED_HI;
	scope.range[0].admit = RG_ADMIT_WEBRTC;
	if (parse_prefix("198.18.0.0", 24, &p4) || parse_prefix("2001:2::", 64, &p6))
		return -1;
	if (policy_add_scope(pol, &p4, &scope) || policy_add_scope(pol, &p6, &scope))
		return -1;
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* Open and load a one-program object, unpinned; fills p->fd or p->why. */
static int load_plain(struct prog *p, const char *path, const char *prog_name)
{
	struct bpf_program *bp;
	struct bpf_map *m;
	int e;

	p->fd = -1;
	snprintf(p->path, sizeof(p->path), "%s", path);
	if (access(path, R_OK)) {
		snprintf(p->why, sizeof(p->why), "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	p->obj = bpf_object__open_file(path, NULL);
	if (!p->obj) {
		snprintf(p->why, sizeof(p->why), "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	/* Objects made for libxdp pin their maps by name: never touch bpffs. */
	bpf_object__for_each_map(m, p->obj)
		bpf_map__set_pin_path(m, NULL);
	bp = prog_name ? bpf_object__find_program_by_name(p->obj, prog_name)
		       : bpf_object__next_program(p->obj, NULL);
	if (!bp) {
		snprintf(p->why, sizeof(p->why), "no program %s in %s", prog_name ? prog_name : "",
			 path);
		goto fail;
	}
	bpf_program__set_type(bp, BPF_PROG_TYPE_XDP);
	e = bpf_object__load(p->obj);
	if (e) {
		snprintf(p->why, sizeof(p->why), "cannot load %s: %s", path, strerror(-e));
		goto fail;
	}
	p->fd = bpf_program__fd(bp);
	return 0;
fail:
	bpf_object__close(p->obj);
	p->obj = NULL;
	return -1;
}

/* One LRU entry per source address the frames use, so every lookup hits. */
static int fill_lru(struct prog *p)
{
	struct {
		uint8_t addr[16];
	} k4 = { .addr = { [10] = 0xff, [11] = 0xff } }, k6 = { { 0 } };
	uint64_t v[3] = { 0, 0, 0 };
	int fd = bpf_object__find_map_fd_by_name(p->obj, "floor_src");

	inet_pton(AF_INET, "198.19.0.2", &k4.addr[12]);
	inet_pton(AF_INET6, "2001:2::2", k6.addr);
	if (fd < 0 || bpf_map_update_elem(fd, &k4, v, BPF_ANY) ||
	    bpf_map_update_elem(fd, &k6, v, BPF_ANY)) {
		snprintf(p->why, sizeof(p->why), "cannot fill floor_src: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * xdp-filter's UDP object, as `xdp-filter load --policy allow -f udp` plus
 * `xdp-filter port 53 --mode src --proto udp` would leave it: default pass,
 * drop UDP from source port 53.  The key is the port as read from the packet
 * (network order) and the value a per-CPU bitmap of MAP_FLAG_*.
 */
static int fill_xdp_filter(struct prog *p)
{
	int fd = bpf_object__find_map_fd_by_name(p->obj, "filter_ports");
	int ncpu = libbpf_num_possible_cpus(), i, e = 0;
	uint32_t key = htons(53);
	uint64_t *v;

	if (fd < 0 || ncpu < 1) {
		snprintf(p->why, sizeof(p->why), "%s has no filter_ports map", p->path);
		return -1;
	}
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < ncpu; i++)
		v[i] = XF_MAP_FLAG_SRC | XF_MAP_FLAG_UDP;
	if (bpf_map_update_elem(fd, &key, v, BPF_ANY)) {
		snprintf(p->why, sizeof(p->why), "cannot write the port rule: %s", strerror(errno));
		e = -1;
	}
	free(v);
	return e;
}

static int run_once(int fd, const struct bench_case *c, uint32_t repeat, uint32_t *ns,
		    uint32_t *verdict)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = c->frame, .data_size_in = (uint32_t)c->len,
		    .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*ns = o.duration;
	*verdict = o.retval;
	return 0;
}

/* The 1-minute load average: the machine's busyness, printed with the table. */
static double loadavg1(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double v = -1;

	if (f) {
		if (fscanf(f, "%lf", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double med;
	uint32_t min, max;
};

static struct stat3 stats(const uint32_t *v, int n)
{
	uint32_t s[MAX_RUNS];
	struct stat3 r;

	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), cmp_u32);
	r.min = s[0];
	r.max = s[n - 1];
	r.med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
	return r;
}

static const char *fmt_ns(char *buf, size_t len, double v)
{
	if (v == (double)(long)v)
		snprintf(buf, len, "%ld", (long)v);
	else
		snprintf(buf, len, "%.1f", v);
	return buf;
}

static const char *verdict_name(uint32_t v)
{
	static const char *const names[] = { "aborted", "drop", "pass", "tx", "redirect" };

	return v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

/* Check that each frame takes the path it is named for, with a recording instance. */
static int check_paths(const char *object, const struct rg_policy *pol)
{
	struct rg_load_opts opts = { .ifslot = 0, .record_last = 1 };
	struct rg_dataplane dp;
	char err[256];
	int i, bad = 0;

	if (dataplane_load(&dp, object, &opts, err, sizeof(err)) || dataplane_apply(&dp, pol)) {
		fprintf(stderr, "bench: %s\n", err);
		return -1;
	}
	for (i = 0; i < NCASE; i++) {
		const struct bench_case *c = &cases[i];
		const struct path_def *d = &paths[c->path];
		struct rg_judgement j;
		uint32_t ret;

		if (dataplane_test_run(&dp, c->frame, c->len, 1, &ret, NULL, &j)) {
			fprintf(stderr, "bench: test run failed for %s\n", d->name);
			bad++;
			continue;
		}
		if (j.reason != d->reason || (d->kind >= 0 && j.kind != d->kind)) {
			fprintf(stderr, "bench: %s IPv%d took %s/%s, expected %s/%s\n", d->name,
				c->family, rg_reason_names[j.reason], rg_kind_names[j.kind],
				rg_reason_names[d->reason],
				d->kind >= 0 ? rg_kind_names[d->kind] : "any");
			bad++;
		}
	}
	dataplane_close(&dp);
	return bad ? -1 : 0;
}

static void print_prog_info(const char *label, int fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len)) {
		printf("| %s | - | - | - |\n", label);
		return;
	}
	printf("| %s | %u (%u bytes) | %u bytes | %u |\n", label, info.xlated_prog_len / 8,
	       info.xlated_prog_len, info.jited_prog_len, info.verified_insns);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bench_path [--object rtcguard.bpf.o] [--floor-dir DIR] "
		   "[--xdp-filter OBJ] [--runs N] [--repeat N] [--cpu N|-1]\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "object", required_argument, NULL, 'o' },
		{ "floor-dir", required_argument, NULL, 'f' },
		{ "xdp-filter", required_argument, NULL, 'x' },
		{ "runs", required_argument, NULL, 'n' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static const char *const xf_default[] = {
		"/usr/lib/x86_64-linux-gnu/bpf/xdpfilt_alw_udp.o",
		"/usr/lib/bpf/xdpfilt_alw_udp.o",
		"/usr/share/xdp-tools/xdpfilt_alw_udp.o",
		NULL,
	};
	const char *object = "build/rtcguard.bpf.o", *floor_dir = "build/bench", *xf_path = NULL;
	struct rg_load_opts opts = { .ifslot = 0, .record_last = 0 };
	int runs = 7, cpu = -2, opt, i, r, k, failed = 0;
	uint32_t repeat = 1000000;
	struct prog progs[NPROG];
	struct rg_dataplane dp;
	struct rg_policy pol;
	struct timespec t0, t1;
	double load0, load1;
	struct utsname uts;
	char path[512], err[256];

	while ((opt = getopt_long(argc, argv, "o:f:x:n:r:c:h", lo, NULL)) != -1) {
		switch (opt) {
		case 'o':
			object = optarg;
			break;
		case 'f':
			floor_dir = optarg;
			break;
		case 'x':
			xf_path = optarg;
			break;
		case 'n':
			runs = atoi(optarg);
			break;
		case 'r':
			repeat = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS || repeat < 1) {
		fprintf(stderr, "bench: runs must be 1-%d and repeat at least 1\n", MAX_RUNS);
		return 2;
	}
	if (!xf_path || !*xf_path) {
		xf_path = xf_default[0];
		for (i = 0; xf_default[i]; i++)
			if (access(xf_default[i], R_OK) == 0) {
				xf_path = xf_default[i];
				break;
			}
	}

	/* One CPU for every run: the last one unless told otherwise. */
	if (cpu == -2)
		cpu = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "bench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
			cpu = -1;
		}
	}

	for (i = 0; i < NCASE; i++)
		if (build_case(&cases[i], (enum path_id)(i / 2), i % 2 ? 6 : 4)) {
			fprintf(stderr, "bench: cannot build frame %d\n", i);
			return 1;
		}
	if (bench_policy(&pol)) {
		fprintf(stderr, "bench: cannot build the policy\n");
		return 1;
	}
	if (check_paths(object, &pol)) {
		fprintf(stderr, "bench: frames do not take their paths; not measuring\n");
		return 1;
	}

	/* The measured rtcguard instance is the production one: no rg_last writes. */
	memset(progs, 0, sizeof(progs));
	if (dataplane_load(&dp, object, &opts, err, sizeof(err)) || dataplane_apply(&dp, &pol)) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	progs[P_RG].fd = dp.prog_fd;
	libbpf_set_print(libbpf_quiet);
	snprintf(path, sizeof(path), "%s/floor_drop.bpf.o", floor_dir);
	if (load_plain(&progs[P_EMPTY], path, "floor_drop")) {
		fprintf(stderr, "bench: %s\n", progs[P_EMPTY].why);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/floor_lru.bpf.o", floor_dir);
	if (load_plain(&progs[P_LRU], path, "floor_lru") || fill_lru(&progs[P_LRU])) {
		fprintf(stderr, "bench: %s\n", progs[P_LRU].why);
		return 1;
	}
	if (load_plain(&progs[P_XF], xf_path, NULL) == 0 && fill_xdp_filter(&progs[P_XF]))
		progs[P_XF].fd = -1;

	/* Warm-up round (caches, branch predictors, LRU), not recorded. */
	for (i = 0; i < NCASE; i++)
		for (k = 0; k < NPROG; k++) {
			uint32_t ns, v;

			if (progs[k].fd >= 0)
				run_once(progs[k].fd, &cases[i], repeat / 10 + 1, &ns, &v);
		}

	/* Round-robin: every run measures every (frame, program); the order rotates. */
	load0 = loadavg1();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < runs; r++)
		for (i = 0; i < NCASE; i++)
			for (k = 0; k < NPROG; k++) {
				int p = (k + r + i) % NPROG;
				struct bench_case *c = &cases[i];
				int e;

				if (progs[p].fd < 0)
					continue;
				e = run_once(progs[p].fd, c, repeat, &c->ns[p][r], &c->verdict[p]);
				if (e) {
					snprintf(progs[p].why, sizeof(progs[p].why),
						 "test run failed: %s", strerror(-e));
					if (p != P_XF) {
						fprintf(stderr, "bench: %s: %s\n", prog_label[p],
							progs[p].why);
						return 1;
					}
					progs[p].fd = -1;
				}
			}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	load1 = loadavg1();

	uname(&uts);
	printf("## rtcguard_xdp per-packet cost by path (BPF_PROG_TEST_RUN)\n\n");
	printf("kernel %s, %ld CPUs, pinned to CPU %d; %d runs x %u repeats per "
	       "(frame, program), round-robin; ns/packet is the kernel's mean per run, "
	       "median over runs [min-max]; measuring took %.1f s; load average %.2f before, "
	       "%.2f after.\n\n",
	       uts.release, sysconf(_SC_NPROCESSORS_ONLN), cpu, runs, repeat,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, load0, load1);
	printf("| path | family | frame B | rtcguard exit (verdict) | ns/packet median [min-max] "
	       "| empty XDP_DROP | delta vs empty | delta of minima | target | met | LRU floor "
	       "| xdp-filter (verdict) |\n");
	printf("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |\n");
	for (i = 0; i < NCASE; i++) {
		struct bench_case *c = &cases[i];
		const struct path_def *d = &paths[c->path];
		struct stat3 rg = stats(c->ns[P_RG], runs);
		struct stat3 em = stats(c->ns[P_EMPTY], runs);
		struct stat3 lru = stats(c->ns[P_LRU], runs);
		double delta = rg.med - em.med;
		char a[32], b[32], dl[32], t[32], l[32], x[64];
		const char *met = "-";

		if (d->target_ns) {
			snprintf(t, sizeof(t), "<= %d ns", d->target_ns);
			met = delta <= d->target_ns ? "met" : "**not met**";
			failed += delta > d->target_ns;
		} else {
			snprintf(t, sizeof(t), "-");
		}
		if (progs[P_XF].fd >= 0) {
			struct stat3 xf = stats(c->ns[P_XF], runs);

			snprintf(x, sizeof(x), "%s (%s)", fmt_ns(a, sizeof(a), xf.med),
				 verdict_name(c->verdict[P_XF]));
		} else {
			snprintf(x, sizeof(x), "n/a [1]");
		}
		printf("| %s | IPv%d | %zu | %s (%s) | %s [%u-%u] | %s | %s%s | %+d | %s | %s | %s "
		       "| %s |\n",
		       d->name, c->family, c->len, rg_reason_names[d->reason],
		       verdict_name(c->verdict[P_RG]), fmt_ns(a, sizeof(a), rg.med), rg.min,
		       rg.max, fmt_ns(b, sizeof(b), em.med), delta >= 0 ? "+" : "",
		       fmt_ns(dl, sizeof(dl), delta), (int)rg.min - (int)em.min, t, met,
		       fmt_ns(l, sizeof(l), lru.med), x);
	}
	printf("\nTargets (delta of medians) are reported, not asserted: %s.  "
	       "\"delta of minima\" is the least-disturbed view when the machine is busy.\n",
	       failed ? "some are not met" : "all met");
	printf("LRU floor: parse + one LRU_HASH lookup keyed by source IP + "
	       "bpf_ktime_get_coarse_ns + in-place update (non-UDP frames return before the "
	       "lookup).\n");
	if (progs[P_XF].fd >= 0)
		printf("xdp-filter: %s, default pass, one rule (drop UDP source port 53).\n",
		       progs[P_XF].path);
	else
		printf("[1] xdp-filter not measured: %s.\n", progs[P_XF].why);

	printf("\n| program | xlated insns | jited | verified insns |\n");
	printf("| --- | ---: | ---: | ---: |\n");
	for (k = 0; k < NPROG; k++)
		print_prog_info(prog_label[k], progs[k].fd);

	for (k = P_EMPTY; k < NPROG; k++)
		if (progs[k].obj)
			bpf_object__close(progs[k].obj);
	dataplane_close(&dp);
	policy_free(&pol);
	return 0;
}
