// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguard-flood: the project's traffic generator.  Builds one UDP frame
 * and has the kernel send it COUNT times out of DEV with BPF_PROG_TEST_RUN
 * in live-frames mode (the mechanism xdp-trafficgen uses; Debian's build of
 * that tool fails on this kernel).  Run it in the sender's namespace:
 *   ip netns exec NS rtcguard-flood --dev veth1 --dst 198.18.0.1 --dport 50000 \
 *       --count 1000000 --payload garbage
 * Test ranges only: --src/--dst must lie in 198.18.0.0/15 or 2001:2::/48.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "args.h"
#include "support/pktbuild.h"

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES (1U << 1)
#endif

static const char usage[] =
	"Usage: rtcguard-flood --dev DEV --dst ADDR [--src ADDR] [--dport PORT] [--sport PORT]\n"
	"                      [--count N] [--payload garbage|stun|rtp|HEX] [--random-src]\n"
	"                      [--rate PPS] [--dst-mac MAC] [--object PATH]\n"
	"\n"
	"Send COUNT copies (default 100000) of one UDP frame out of DEV at line rate,\n"
	"with BPF_PROG_TEST_RUN live frames.  Addresses must be in the benchmarking\n"
	"ranges 198.18.0.0/15 or 2001:2::/48.  --random-src varies the low 16 bits of\n"
	"the source address per packet (a spoofed-source flood).  --rate caps the\n"
	"packets per second (k and M suffixes; default: as fast as the kernel goes)\n"
	"by sending rate/100 frames every 10 ms; each kernel run costs about 20 ms\n"
	"to set up here, so the rate reached is lower: the output says what it was.\n"
	"Prints packets sent and the rate.\n";

static int in_test_range(const char *addr)
{
	struct rg_prefix t4, t6, a;
	char err[128];

	parse_cidr("198.18.0.0/15", &t4, err, sizeof(err));
	parse_cidr("2001:2::/48", &t6, err, sizeof(err));
	if (parse_cidr(addr, &a, err, sizeof(err)) || a.len != (a.family == 4 ? 32 : 128))
		return 0;
	return prefix_contains(a.family == 4 ? &t4 : &t6, a.family, a.addr);
}

static int parse_mac(const char *s, uint8_t *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
		      &mac[5]) == 6 ? 0 : -1;
}

/* The MAC of the device's peer is unknown here; the device's own MAC as source. */
static void dev_mac(const char *dev, uint8_t *mac)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (fd >= 0)
		close(fd);
}

static size_t payload_for(const char *kind, uint8_t *out, size_t cap)
{
	static const char stun[] = "000100002112a442b7e7a701bc34d686fa87dfae";
	static const char rtp[] = "80606f2a0001e2401a2b3c4d"
				  "f8fffe00112233445566778899aabbccddeeff00112233445566778899aabbcc";
	int n;

	if (!strcmp(kind, "garbage")) {
		/* first byte 0x07: unassigned in RFC 7983; looks like a reflection payload */
		memset(out, 0x07, 64 < cap ? 64 : cap);
		return 64;
	}
	n = pkt_unhex(!strcmp(kind, "stun") ? stun : !strcmp(kind, "rtp") ? rtp : kind, out, cap);
	return n < 0 ? 0 : (size_t)n;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },     { "dst", required_argument, NULL, 'D' },
		{ "src", required_argument, NULL, 's' },     { "dport", required_argument, NULL, 'p' },
		{ "sport", required_argument, NULL, 'P' },   { "count", required_argument, NULL, 'c' },
		{ "payload", required_argument, NULL, 'l' }, { "random-src", no_argument, NULL, 'r' },
		{ "dst-mac", required_argument, NULL, 'm' }, { "object", required_argument, NULL, 'o' },
		{ "rate", required_argument, NULL, 'R' },    { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = NULL, *dst = NULL, *src = NULL, *payload = "garbage", *object = NULL;
	struct pkt_spec spec = { 0 };
	uint8_t pl[1500], frame[2048], dmac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, smac[6] = { 0 };
	unsigned long long count = 100000;
	uint64_t rate = 0;
	char err[256];
	struct bpf_object *obj;
	struct timespec t0, t1;
	char path[4096];
	size_t plen, flen;
	int c, ifindex, prog_fd, e;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dev = optarg; break;
		case 'D': dst = optarg; break;
		case 's': src = optarg; break;
		case 'p': spec.dport = (uint16_t)atoi(optarg); break;
		case 'P': spec.sport = (uint16_t)atoi(optarg); break;
		case 'c': count = strtoull(optarg, NULL, 10); break;
		case 'l': payload = optarg; break;
		case 'r': spec.pad = 0; setenv("RG_FLOOD_RANDOM", "1", 1); break;
		case 'm':
			if (parse_mac(optarg, dmac)) {
				fprintf(stderr, "rtcguard-flood: bad MAC '%s'\n", optarg);
				return 2;
			}
			break;
		case 'o': object = optarg; break;
		case 'R':
			if (parse_rate(optarg, &rate, err, sizeof(err)) || !rate) {
				fprintf(stderr, "rtcguard-flood: %s\n", rate ? err : "--rate must be positive");
				return 2;
			}
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!dev || !dst) {
		fprintf(stderr, "rtcguard-flood: --dev and --dst are required\n%s", usage);
		return 2;
	}
	spec.family = strchr(dst, ':') ? 6 : 4;
	if (!src)
		src = spec.family == 4 ? "198.19.0.2" : "2001:2::2";
	if (!in_test_range(dst) || !in_test_range(src)) {
		fprintf(stderr, "rtcguard-flood: addresses must be in 198.18.0.0/15 or 2001:2::/48\n");
		return 2;
	}
	if (count == 0 || count > 100000000ull) {
		fprintf(stderr, "rtcguard-flood: --count must be 1..100000000\n");
		return 2;
	}
	ifindex = (int)if_nametoindex(dev);
	if (!ifindex) {
		fprintf(stderr, "rtcguard-flood: no device '%s'\n", dev);
		return 1;
	}
	spec.src = src;
	spec.dst = dst;
	plen = payload_for(payload, pl, sizeof(pl));
	if (!plen && strcmp(payload, "")) {
		fprintf(stderr, "rtcguard-flood: bad payload '%s'\n", payload);
		return 2;
	}
	flen = pkt_build(&spec, pl, plen, frame, sizeof(frame));
	dev_mac(dev, smac);
	memcpy(frame, dmac, 6);
	memcpy(frame + 6, smac, 6);
	if (spec.family == 4) { /* IPv4 header checksum, so the stack would accept it */
		uint32_t sum = 0;

		for (int i = 0; i < 20; i += 2)
			sum += (uint32_t)(frame[14 + i] << 8 | frame[15 + i]);
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		pkt_put16(frame + 24, (uint16_t)~sum);
	}

	if (!object) {
		ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);

		if (n > 0) {
			path[n] = '\0';
			strcpy(strrchr(path, '/') + 1, "flood_tx.bpf.o");
		}
		object = path;
	}
	obj = bpf_object__open_file(object, NULL);
	if (!obj) {
		fprintf(stderr, "rtcguard-flood: cannot open %s: %s\n", object, strerror(errno));
		return 1;
	}
	if (getenv("RG_FLOOD_RANDOM")) {
		struct bpf_map *ro = bpf_object__find_map_by_name(obj, ".rodata");
		size_t sz;
		uint32_t *v = ro ? (uint32_t *)bpf_map__initial_value(ro, &sz) : NULL;

		if (v)
			*v = 1;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "rtcguard-flood: cannot load %s (needs root)\n", object);
		return 1;
	}
	prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "flood_tx"));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	{
		struct xdp_md ctx_in = { .data_end = (uint32_t)flen, .ingress_ifindex = (uint32_t)ifindex };
		unsigned long long left = count;

		/* With --rate: a batch every 10 ms, sized rate/100, so bursts stay short. */
		uint64_t max_batch = rate ? (rate / 100 ? rate / 100 : 1) : 1000000;
		struct timespec next = t0;

		while (left) {
			uint32_t batch = (uint32_t)(left > max_batch ? max_batch : left);

			if (rate) {
				next.tv_nsec += 10000000;
				if (next.tv_nsec >= 1000000000) {
					next.tv_sec++;
					next.tv_nsec -= 1000000000;
				}
			}
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (uint32_t)flen,
				    .ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in), .repeat = batch,
				    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = 64);

			e = bpf_prog_test_run_opts(prog_fd, &o);
			if (e) {
				fprintf(stderr, "rtcguard-flood: live-frames test run failed: %s\n", strerror(-e));
				bpf_object__close(obj);
				return 1;
			}
			left -= batch;
			if (rate && left)
				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	{
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		printf("sent %llu frames of %zu bytes out of %s in %.3f s (%.2f Mpps)\n", count, flen, dev,
		       secs, (double)count / secs / 1e6);
	}
	bpf_object__close(obj);
	return 0;
}
