// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test: the real BPF object (BPF_PROG_TEST_RUN) and the host
 * build of the same packet path (policy_judge) must agree, frame for frame,
 * on the reason, the kind, monitor and allow flags, and the XDP action.
 *
 * Frames: every frame of every capture in the corpus ($RG_CORPUS_DIR, else
 * <repo>/../shared/corpus: *.pcap, *.pcapng, *.cap); the cases.tsv and *.bin
 * payloads and a few generated ones, each wrapped in several frame shapes;
 * and $RG_MUTATIONS (default 20000) frames made from those by flipping,
 * overwriting, truncating and extending bytes with a fixed seed ($RG_SEED).
 * Policies: WebRTC kinds on every port; every kind on every port; a mixed
 * policy with deny/allow lists (expired and live), monitor ranges,
 * fragment options, nested prefixes and restricted STUN methods; bypass.
 * Frames larger than the kernel's test run takes are skipped and counted.
 */
#include <dirent.h>
#include <fnmatch.h>

#include "selftest.h"
#include "frames.h"
#include "../tests/support/pktbuild.h"

#define MAX_PRINTED 10 /* mismatches printed in full per policy */

struct frame {
	uint8_t *data;
	size_t len;
	const char *origin; /* file name or generator */
	uint64_t number;    /* frame number in the file, or index */
};

struct frameset {
	struct frame *v;
	size_t n, cap;
};

static void fs_add(struct frameset *fs, const uint8_t *data, size_t len, const char *origin,
		   uint64_t number)
{
	struct frame *f;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 1024;
		fs->v = realloc(fs->v, fs->cap * sizeof(*fs->v));
		if (!fs->v) {
			fprintf(stderr, "FATAL: out of memory\n");
			exit(1);
		}
	}
	f = &fs->v[fs->n++];
	f->data = malloc(len ? len : 1);
	if (!f->data) {
		fprintf(stderr, "FATAL: out of memory\n");
		exit(1);
	}
	memcpy(f->data, data, len);
	f->len = len;
	f->origin = origin;
	f->number = number;
}

static void fs_free(struct frameset *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		free(fs->v[i].data);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* ---- deterministic randomness ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

/* ---- the corpus ---- */

static char corpus_dir[PATH_MAX];
static int verbose; /* $RG_VERBOSE: reasons reached by every frame set */
static size_t n_files, n_status[4];

static int is_capture(const struct dirent *d)
{
	return !fnmatch("*.pcap", d->d_name, 0) || !fnmatch("*.pcapng", d->d_name, 0) ||
	       !fnmatch("*.cap", d->d_name, 0);
}

static int is_bin(const struct dirent *d)
{
	return !fnmatch("*.bin", d->d_name, 0);
}

static void load_captures(struct frameset *fs)
{
	static struct rg_frame f;
	struct dirent **names;
	char path[PATH_MAX + 256], err[512];
	int n, i;

	n = scandir(corpus_dir, &names, is_capture, alphasort);
	if (n < 0) {
		CHECK_MSG(0, "cannot read corpus directory %s: %s", corpus_dir, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		struct rg_frame_reader *r;
		char *origin = strdup(names[i]->d_name);
		int rc;

		snprintf(path, sizeof(path), "%s/%s", corpus_dir, names[i]->d_name);
		free(names[i]);
		r = frames_open(path, err, sizeof(err));
		if (!r) {
			CHECK_MSG(0, "%s", err);
			continue;
		}
		n_files++;
		while ((rc = frames_next(r, &f, err, sizeof(err))) == 1) {
			n_status[f.status < 4 ? f.status : 3]++;
			if (f.status == RG_FRAME_OK)
				fs_add(fs, f.data, f.len, origin, f.number);
		}
		if (rc < 0)
			printf("  note: %s: %s\n", origin, err);
		frames_close(r);
	}
	free(names);
}

/* ---- crafted frames ---- */

struct payload {
	uint8_t data[2048];
	size_t len;
	char name[96];
};

static struct payload payloads[256];
static size_t n_payloads;

static struct payload *new_payload(const char *name)
{
	struct payload *p;

	if (n_payloads == sizeof(payloads) / sizeof(payloads[0])) {
		fprintf(stderr, "FATAL: too many payloads\n");
		exit(1);
	}
	p = &payloads[n_payloads++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->len = 0;
	return p;
}

/* Every payload of cases.tsv (id, expected, kind, payload_hex, description). */
static void load_cases_tsv(void)
{
	char path[PATH_MAX + 32], line[8192];
	FILE *f;
	size_t rows = 0;

	snprintf(path, sizeof(path), "%s/cases.tsv", corpus_dir);
	f = fopen(path, "r");
	if (!f) {
		CHECK_MSG(0, "cannot read %s: %s", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *id, *hex, *cols[5] = { 0 };
		char *p = line;
		struct payload *pl;
		char name[96];
		int c, n;

		if (line[0] == '#' || !strncmp(line, "id\t", 3) || line[0] == '\n')
			continue;
		/* strsep keeps empty columns (an empty payload is a case). */
		for (c = 0; c < 5 && p; c++)
			cols[c] = strsep(&p, "\t\n");
		id = cols[0];
		hex = cols[3];
		if (!id || !hex) {
			CHECK_MSG(0, "cases.tsv: malformed row: %s", line);
			continue;
		}
		snprintf(name, sizeof(name), "cases.tsv:%s", id);
		pl = new_payload(name);
		n = pkt_unhex(hex, pl->data, sizeof(pl->data));
		if (n < 0) {
			CHECK_MSG(0, "cases.tsv: bad hex in row %s", id);
			n_payloads--;
			continue;
		}
		pl->len = (size_t)n;
		rows++;
	}
	fclose(f);
	CHECK_MSG(rows > 0, "cases.tsv: no rows");
}

/* The raw UDP payload vectors (*.bin) of the corpus. */
static void load_bins(void)
{
	struct dirent **names;
	char path[PATH_MAX + 256];
	int n, i;

	n = scandir(corpus_dir, &names, is_bin, alphasort);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		struct payload *pl = new_payload(names[i]->d_name);
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", corpus_dir, names[i]->d_name);
		f = fopen(path, "rb");
		if (f) {
			pl->len = fread(pl->data, 1, sizeof(pl->data), f);
			fclose(f);
		} else {
			n_payloads--;
		}
		free(names[i]);
	}
	free(names);
}

/* A few generated payloads around the caps and boundaries. */
static void gen_payloads(void)
{
	static const char *const hexes[] = {
		"000100002112a442b1c2d3e4f5061728394a5b6c",            /* STUN, no attributes */
		"17fefd000100000000000100040102030417fefd0001000000000002000405060708",
		"2c9a3c00100102030405060708090a0b0c0d0e0f10",        /* DTLS 1.3 with length */
		"3a0102030405060708090a0b0c0d0e0f10111213",          /* DTLS 1.3 with CID */
		"19fefd00010000000000050102030405060708090a0b0c0d",  /* tls12_cid */
		"80e0000100000001000000019999",                      /* RTP */
		"901100010000000100000001bede000110203040aabb",      /* RTP + extension */
		"80c800061a2b3c4d000000010000000200000003000000040000000580000001deadbeef",
		"100000015a5254501a2b3c4d505a000348656c6c6f2020200badf00d", /* ZRTP */
		"c3000000010811223344556677880811223344556677880041e0aabbccddeeff", /* QUIC */
		"4000000a0102030405060708090a0000",                  /* ChannelData */
		"500100040102030400",                                /* legacy channel, bad */
		"0800000000000000",                                  /* unknown kind */
	};
	struct payload *pl;
	size_t i, k, off;

	for (i = 0; i < sizeof(hexes) / sizeof(hexes[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "generated:%zu", i);
		pl = new_payload(name);
		pl->len = (size_t)pkt_unhex(hexes[i], pl->data, sizeof(pl->data));
	}
	/* STUN around the attribute cap, DTLS around the record cap. */
	for (k = 30; k <= 34; k++) {
		char name[32];

		snprintf(name, sizeof(name), "generated:stun-%zu-attrs", k);
		pl = new_payload(name);
		pkt_unhex("000100002112a442b1c2d3e4f5061728394a5b6c", pl->data, 20);
		for (off = 20, i = 0; i < k; i++, off += 8) {
			pkt_put16(pl->data + off, 0x8022);
			pkt_put16(pl->data + off + 2, 4);
			memcpy(pl->data + off + 4, "abcd", 4);
		}
		pkt_put16(pl->data + 2, (uint16_t)(off - 20));
		pl->len = off;
	}
	for (k = 6; k <= 10; k++) {
		char name[32];

		snprintf(name, sizeof(name), "generated:dtls-%zu-records", k);
		pl = new_payload(name);
		for (off = 0, i = 0; i < k; i++, off += 15) {
			pkt_unhex("17fefd00010000000000", pl->data + off, 10);
			pl->data[off + 10] = (uint8_t)i;
			pkt_put16(pl->data + off + 11, 2);
			pl->data[off + 13] = 0xaa;
			pl->data[off + 14] = 0xbb;
		}
		pl->len = off;
	}
}

/* Frame shapes every payload is wrapped in. */
static const struct pkt_spec shapes[] = {
	{ .family = 4, .dport = 50000 },
	{ .family = 6, .dport = 3478 },
	{ .family = 4, .vlans = 1, .ipv4_opt_words = 2, .src = "198.19.7.1", .dport = 1000 },
	{ .family = 6, .vlans = 2, .ipv6_ext = 3, .src = "2001:2:0:7::7", .dport = 20000 },
	{ .family = 4, .pad = 20, .src = "198.19.8.1", .dport = 12000 },
	{ .family = 6, .src = "2001:2:0:9::1", .dport = 45000, .udp_len_delta = -2 },
	{ .family = 4, .src = "198.19.7.7", .dport = 5000 },
	{ .family = 6, .frag = 1, .dport = 25000 },
	{ .family = 4, .frag = 2, .dst = "198.18.200.1", .dport = 50000 },
	{ .family = 4, .sport = 123, .dport = 50000 },
	{ .family = 6, .ipv6_ext = 6, .src = "2001:2:0:7::1", .dport = 50000 },
	{ .family = 6, .ipv6_ext = 7, .dport = 50000 },
	{ .family = 4, .vlans = 2, .dport = 50000 },
	{ .family = 4, .vlans = 3, .dport = 50000 },
};

/*
 * RTP datagrams whose frames are sized around what fits one page of the
 * kernel's test run (4096 - 256 headroom - 320 tailroom = 3520 bytes) and
 * beyond: RTP is valid at any length, so the host build admits them all.
 */
static const size_t boundary_sizes[] = { 1514, 3519, 3520, 3521, 3522, 4096, 9014 };

static void build_boundary(struct frameset *fs)
{
	static uint8_t buf[9100], rtp[9100];
	size_t i;
	int fam;

	memset(rtp, 0xab, sizeof(rtp));
	pkt_unhex("80600001000000011a2b3c4d", rtp, 12);
	for (fam = 4; fam <= 6; fam += 2)
		for (i = 0; i < sizeof(boundary_sizes) / sizeof(boundary_sizes[0]); i++) {
			struct pkt_spec s = { .family = fam };
			size_t hdr = 14 + (fam == 4 ? 20 : 40) + 8, len;

			len = pkt_build(&s, rtp, boundary_sizes[i] - hdr, buf, sizeof(buf));
			if (len)
				fs_add(fs, buf, len, fam == 4 ? "boundary:ipv4-rtp" : "boundary:ipv6-rtp",
				       len);
		}
}

static void build_crafted(struct frameset *fs)
{
	uint8_t buf[4096];
	size_t i, s;

	for (i = 0; i < n_payloads; i++)
		for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
			size_t len = pkt_build(&shapes[s], payloads[i].data, payloads[i].len, buf,
					       sizeof(buf));

			if (len)
				fs_add(fs, buf, len, payloads[i].name, s);
		}
}

/* ---- mutations ---- */

static const uint16_t interesting16[] = { 0, 1, 2, 3, 4, 7, 8, 12, 13, 16, 19, 20, 21, 39, 40,
					  0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x7fff, 0x8000,
					  0x8100, 0x88a8, 0x0800, 0x86dd, 0xfefd, 0xfeff, 0xffff };
static const uint8_t interesting8[] = { 0, 1, 3, 4, 6, 15, 16, 17, 19, 20, 22, 25, 26, 27, 32,
					44, 51, 58, 60, 63, 64, 0x45, 0x46, 0x4f, 0x50, 0x60,
					0x7f, 0x80, 0x90, 0xbf, 0xc0, 0xc8, 0xc9, 0xff };
/* Length and type fields of untagged frames: IPv4, UDP over IPv4, IPv6, UDP over IPv6. */
static const size_t field_offs[] = { 12, 14, 16, 20, 23, 34, 36, 38, 42, 18, 20, 54, 56, 58,
				     62, 63, 64, 65 };

static size_t mutate(uint8_t *f, size_t len, size_t cap)
{
	int ops = 1 + (int)rnd_below(3), i;

	for (i = 0; i < ops; i++) {
		size_t off;

		switch (rnd_below(8)) {
		case 0: /* flip a bit */
			off = rnd_below(len);
			f[off] ^= (uint8_t)(1u << rnd_below(8));
			break;
		case 1: /* a random byte anywhere */
			f[rnd_below(len)] = (uint8_t)rnd();
			break;
		case 2: /* an interesting byte in the headers */
			off = rnd_below(len < 96 ? len : 96);
			f[off] = interesting8[rnd_below(sizeof(interesting8))];
			break;
		case 3: /* an interesting 16-bit value at a length or type field */
			off = field_offs[rnd_below(sizeof(field_offs) / sizeof(field_offs[0]))];
			if (off + 2 <= len)
				pkt_put16(f + off, interesting16[rnd_below(sizeof(interesting16) / 2)]);
			break;
		case 4: /* truncate */
			if (len > 14)
				len = 14 + rnd_below(len - 14 + 1);
			break;
		case 5: /* extend (padding or garbage after the packet) */
		{
			size_t add = 1 + rnd_below(48), k;

			if (len + add <= cap) {
				for (k = 0; k < add; k++)
					f[len + k] = rnd_below(2) ? 0 : (uint8_t)rnd();
				len += add;
			}
			break;
		}
		case 6: /* an interesting 16-bit value anywhere */
			off = rnd_below(len > 1 ? len - 1 : 1);
			if (off + 2 <= len)
				pkt_put16(f + off, interesting16[rnd_below(sizeof(interesting16) / 2)]);
			break;
		default: /* the first payload byte of an untagged frame */
			off = (len > 13 && f[12] == 0x86 && f[13] == 0xdd) ? 62 : 42;
			if (off < len)
				f[off] = (uint8_t)rnd();
			break;
		}
	}
	return len;
}

static void build_mutations(struct frameset *out, const struct frameset *crafted,
			    const struct frameset *corpus, size_t count, size_t max_len)
{
	uint8_t buf[4096];
	size_t i, tries = 0;

	for (i = 0; i < count && tries < 100 * count; tries++) {
		const struct frameset *from = corpus->n && rnd_below(2) ? corpus : crafted;
		const struct frame *base;
		size_t len;

		if (!from->n)
			break;
		base = &from->v[rnd_below(from->n)];
		if (base->len > max_len || base->len > sizeof(buf) || base->len < 14)
			continue;
		i++;
		memcpy(buf, base->data, base->len);
		len = mutate(buf, base->len, max_len < sizeof(buf) ? max_len : sizeof(buf));
		fs_add(out, buf, len, "mutation", i);
	}
}

/* ---- policies ---- */

static void scope(struct rg_policy *pol, int fam, const char *addr, int len,
		  const struct rg_scope *s)
{
	struct rg_prefix p = st_prefix(fam, addr, len);

	if (policy_add_scope(pol, &p, s))
		exit(1);
}

static void list(struct rg_policy *pol, int fam, const char *addr, int len, int action,
		 uint64_t expires)
{
	struct rg_prefix p = st_prefix(fam, addr, len);
	struct rg_list_entry e = { .action = (uint8_t)action, .origin = RG_ORIGIN_CONFIG,
				   .expires_ns = expires };

	if (policy_add_list(pol, &p, &e))
		exit(1);
}

static void policy_everything(struct rg_policy *pol, uint32_t admit)
{
	struct rg_port_range all = { .lo = 0, .hi = 65535, .admit = (uint16_t)admit };

	policy_init_defaults(pol);
	if (policy_protect_everything(pol, &all, 1))
		exit(1);
}

#define HOUR_NS (3600ull * 1000000000ull)

static void policy_mixed(struct rg_policy *pol)
{
	const uint16_t webrtc = RG_ADMIT_WEBRTC;
	const struct rg_scope broad = {
		.nranges = 6,
		.range = {
			{ 0, 1023, webrtc, 0 },
			{ 1024, 9999, RG_ADMIT_ALL, RG_RANGE_MONITOR },
			{ 10000, 19999,
			  webrtc | RG_KIND_BIT(RG_K_TURN_CHANNEL_LEGACY) | RG_KIND_BIT(RG_K_STUN_CLASSIC),
			  RG_RANGE_PASS_FIRST_FRAG },
			{ 20000, 39999, webrtc, RG_RANGE_MONITOR | RG_RANGE_PASS_FIRST_FRAG },
			{ 40000, 49999,
			  RG_KIND_BIT(RG_K_STUN) | RG_KIND_BIT(RG_K_RTP) | RG_KIND_BIT(RG_K_RTCP), 0 },
			{ 50000, 65535, webrtc | RG_KIND_BIT(RG_K_QUIC), 0 },
		},
	};
	const struct rg_scope half = {
		.flags = RG_SCOPE_DROP_LATER_FRAGS,
		.nranges = 2,
		.range = {
			{ 0, 30000, webrtc, RG_RANGE_MONITOR },
			{ 30001, 65535, RG_ADMIT_ALL, 0 },
		},
	};
	const struct rg_scope none = { .nranges = 0 };
	uint64_t now = st_now_ns();

	policy_init_defaults(pol);
	/* Only Binding and GOOG-PING, and a changed reflection set. */
	memset(pol->config.stun_methods, 0, sizeof(pol->config.stun_methods));
	pol->config.stun_methods[0] = 1ull << 1;
	pol->config.stun_methods[2] = 1ull << 0;
	policy_set_reflection_port(pol, 53, 0);
	policy_set_reflection_port(pol, 443, 1);
	policy_set_reflection_port(pol, 5000, 1);

	scope(pol, 4, "0.0.0.0", 0, &broad);
	scope(pol, 4, "128.0.0.0", 1, &half);
	scope(pol, 4, "192.168.0.0", 16, &none);
	scope(pol, 4, "198.18.200.0", 24, &half);
	scope(pol, 6, "::", 0, &broad);
	scope(pol, 6, "2000::", 4, &half);
	scope(pol, 6, "2001:2::", 48, &broad);
	scope(pol, 6, "fe80::", 10, &none);

	list(pol, 4, "0.0.0.0", 1, RG_LIST_DENY, 0);
	list(pol, 4, "10.0.0.0", 8, RG_LIST_ALLOW, 0);
	list(pol, 4, "10.10.0.0", 16, RG_LIST_DENY, 0);
	list(pol, 4, "64.0.0.0", 3, RG_LIST_ALLOW, now - HOUR_NS);
	list(pol, 4, "128.0.0.0", 2, RG_LIST_DENY, now - HOUR_NS);
	list(pol, 4, "172.16.0.0", 12, RG_LIST_DENY, now + HOUR_NS);
	list(pol, 4, "192.0.0.0", 3, RG_LIST_ALLOW, 0);
	list(pol, 4, "198.19.7.0", 24, RG_LIST_DENY, 0);
	list(pol, 4, "198.19.7.7", 32, RG_LIST_ALLOW, 0);
	list(pol, 4, "198.19.8.0", 24, RG_LIST_DENY, now - HOUR_NS);
	list(pol, 6, "::", 1, RG_LIST_DENY, 0);
	list(pol, 6, "2000::", 3, RG_LIST_ALLOW, 0);
	list(pol, 6, "2001::", 16, RG_LIST_DENY, now + HOUR_NS);
	list(pol, 6, "2001:2:0:7::", 64, RG_LIST_DENY, 0);
	list(pol, 6, "2001:2:0:7::7", 128, RG_LIST_ALLOW, 0);
	list(pol, 6, "2001:2:0:9::", 64, RG_LIST_DENY, now - HOUR_NS);
	list(pol, 6, "fe80::", 10, RG_LIST_ALLOW, now - HOUR_NS);
}

/* ---- comparing ---- */

struct tally {
	size_t compared, mismatched, too_large, refused;
	size_t mis_min, mis_max; /* lengths of the shortest and longest mismatched frame */
	size_t by_reason[RG_REASON_COUNT]; /* host reasons of the frames compared */
};

static void compare_all(struct rg_dataplane *dp, const struct rg_policy *pol, const char *pname,
			const struct frameset *fs, const char *sname, struct tally *t)
{
	size_t max = dataplane_max_test_frame(dp), i, printed = 0;

	for (i = 0; i < fs->n; i++) {
		const struct frame *f = &fs->v[i];
		struct st_verdict got, exp;
		struct rg_judgement j;
		struct rg_pkt pkt;
		int e;

		if (f->len > max) {
			t->too_large++;
			continue;
		}
		e = st_run(dp, f->data, f->len, &got);
		if (e) {
			/* The kernel refuses frames shorter than Ethernet. */
			if (f->len < 14 && e == -EINVAL) {
				t->refused++;
				continue;
			}
			CHECK_MSG(0, "%s/%s: %s #%llu: test run failed: %s", pname, sname, f->origin,
				  (unsigned long long)f->number, strerror(-e));
			continue;
		}
		memset(&j, 0, sizeof(j));
		policy_judge(pol, f->data, f->len, st_now_ns(), &pkt, &j);
		exp.reason = j.reason;
		exp.kind = j.kind;
		exp.monitored = j.monitored;
		exp.allowed = j.allowed;
		exp.xdp = st_xdp_of(j.reason, j.monitored);
		t->compared++;
		if (j.reason < RG_REASON_COUNT)
			t->by_reason[j.reason]++;
		if (st_verdict_eq(&exp, &got)) {
			st_passed++;
			continue;
		}
		if (!t->mismatched++ || f->len < t->mis_min)
			t->mis_min = f->len;
		if (f->len > t->mis_max)
			t->mis_max = f->len;
		if (printed++ < MAX_PRINTED) {
			char what[256];

			snprintf(what, sizeof(what),
				 "policy %s, %s: %s frame %llu: BPF disagrees with the host build "
				 "(expected = host)",
				 pname, sname, f->origin, (unsigned long long)f->number);
			CHECK(0, what, f->data, f->len, exp, got);
		} else {
			st_failed++;
		}
	}
}

static void run_policy(const char *pname, struct rg_policy *pol, const struct frameset *sets,
		       const char *const *snames, int nsets)
{
	struct rg_dataplane dp;
	int s;

	st_load_policy(&dp, 0, pol);
	for (s = 0; s < nsets; s++) {
		struct tally t = { 0 };

		compare_all(&dp, pol, pname, &sets[s], snames[s], &t);
		printf("  policy %-8s %-9s %7zu compared, %zu mismatched, %zu skipped as larger than "
		       "%zu bytes, %zu refused (< 14 bytes)\n",
		       pname, snames[s], t.compared, t.mismatched, t.too_large,
		       dataplane_max_test_frame(&dp), t.refused);
		if (verbose || !strcmp(snames[s], "mutations")) {
			int r, reached = 0;

			for (r = 0; r < RG_REASON_COUNT; r++)
				reached += t.by_reason[r] != 0;
			printf("  policy %-8s %-9s %d reasons reached:", pname, snames[s], reached);
			for (r = 0; r < RG_REASON_COUNT; r++)
				if (t.by_reason[r])
					printf(" %s=%zu", rg_reason_names[r], t.by_reason[r]);
			printf("\n");
		}
		if (t.mismatched)
			printf("  policy %-8s %-9s mismatched frames are %zu to %zu bytes long\n", pname,
			       snames[s], t.mis_min, t.mis_max);
	}
	dataplane_close(&dp);
	policy_free(pol);
}

int main(void)
{
	static const char *const snames[3] = { "corpus", "crafted", "mutations" };
	struct frameset sets[3] = { { 0 } };
	struct rg_policy pol;
	struct rg_dataplane probe;
	const char *env;
	size_t mutations = 20000, max;
	uint64_t t0 = st_now_ns();

	env = getenv("RG_CORPUS_DIR");
	if (env && env[0])
		snprintf(corpus_dir, sizeof(corpus_dir), "%s", env);
	else
		snprintf(corpus_dir, sizeof(corpus_dir), "%s/../shared/corpus", st_repo_root());
	env = getenv("RG_VERBOSE");
	verbose = env && env[0] && env[0] != '0';
	env = getenv("RG_MUTATIONS");
	if (env && env[0])
		mutations = strtoull(env, NULL, 0);
	env = getenv("RG_SEED");
	rng_state = env && env[0] ? strtoull(env, NULL, 0) : 0x7274636775617264ull; /* "rtcguard" */
	if (!rng_state)
		rng_state = 1;

	load_captures(&sets[0]);
	load_cases_tsv();
	load_bins();
	gen_payloads();
	build_crafted(&sets[1]);

	st_load(&probe, 0);
	max = dataplane_max_test_frame(&probe);
	dataplane_close(&probe);
	build_mutations(&sets[2], &sets[1], &sets[0], mutations, max);
	build_boundary(&sets[1]); /* after the mutations: not worth mutating */

	printf("test_differential: corpus %s: %zu capture files, %zu frames (%zu truncated "
	       "captures, %zu unsupported link types, %zu unconvertible skipped); %zu payloads "
	       "x %zu shapes; %zu mutations (seed 0x%llx)\n",
	       corpus_dir, n_files, sets[0].n, n_status[RG_FRAME_TRUNCATED],
	       n_status[RG_FRAME_UNSUPPORTED_LINK], n_status[RG_FRAME_UNCONVERTIBLE], n_payloads,
	       sizeof(shapes) / sizeof(shapes[0]), sets[2].n,
	       (unsigned long long)(env && env[0] ? strtoull(env, NULL, 0) : 0x7274636775617264ull));
	CHECK_MSG(sets[0].n > 0, "no corpus frames read from %s", corpus_dir);

	policy_everything(&pol, RG_ADMIT_WEBRTC);
	run_policy("webrtc", &pol, sets, snames, 3);
	policy_everything(&pol, RG_ADMIT_ALL);
	run_policy("all", &pol, sets, snames, 3);
	policy_mixed(&pol);
	run_policy("mixed", &pol, sets, snames, 3);
	policy_everything(&pol, RG_ADMIT_WEBRTC);
	pol.config.bypass = 1;
	run_policy("bypass", &pol, sets, snames, 3);

	fs_free(&sets[0]);
	fs_free(&sets[1]);
	fs_free(&sets[2]);
	printf("test_differential: %.1f s\n", (double)(st_now_ns() - t0) / 1e9);
	return st_finish("test_differential");
}
