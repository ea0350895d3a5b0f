// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguard classify: what would rtcguard do with my traffic?  Every frame
 * of a capture goes through the real BPF object (loaded unpinned, so a live
 * daemon is never touched) with BPF_PROG_TEST_RUN, or through the host
 * build of the same code with --host.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "clock.h"
#include "args.h"
#include "cli.h"
#include "dataplane.h"
#include "frames.h"
#include "policy.h"

static const char classify_usage[] =
	"Usage: rtcguard classify --pcap FILE [--ports LIST] [--admit KINDS] [--host]\n"
	"                         [--object PATH] [-j]\n"
	"\n"
	"Run every frame of a pcap or pcapng file through rtcguard's packet path and\n"
	"print, per frame, the verdict (pass, drop, redirect or skipped), the reason\n"
	"and the payload kind, then a summary.  Uses the real BPF object through\n"
	"BPF_PROG_TEST_RUN (needs root); --host uses the host build of the same code.\n"
	"\n"
	"  --pcap FILE     capture to read (Ethernet, Linux cooked, raw IP, BSD\n"
	"                  loopback and PPP frames are converted to Ethernet)\n"
	"  --ports LIST    protected destination ports, e.g. 3478,49152-65535\n"
	"                  (any destination address); default: every UDP port\n"
	"  --admit KINDS   comma-separated kinds admitted, or 'all'; default\n"
	"                  stun,turn-channel,dtls,rtp,rtcp.  Kinds: stun, stun-classic,\n"
	"                  turn-channel, turn-channel-legacy, dtls, rtp, rtcp, zrtp, quic\n"
	"  --host          judge with the host build instead of the BPF object\n"
	"  --object PATH   BPF object (default: next to this binary, else installed)\n"
	"  -j, --json      JSON Lines: {frame, verdict, reason, kind} per frame and a\n"
	"                  last {\"summary\": {...}} line\n"
	"\n"
	"Frames the kernel's test run does not take (under 14 bytes, or larger than\n"
	"its linear buffer) are judged by the host build and marked so.  Exit status: 0 when the file was read, 1 on errors, 2 on usage.\n";

struct classify_opts {
	const char *pcap;
	const char *object;
	int host;
	uint32_t admit;
	struct rg_port_range ranges[RG_MAX_PORT_RANGES];
	size_t nranges;
};

enum { V_PASS, V_DROP, V_REDIRECT, V_SKIPPED, V_COUNT };
static const char *const verdict_names[V_COUNT] = { "pass", "drop", "redirect", "skipped" };

struct classify_out {
	uint64_t counts[V_COUNT];
	int header_done;
};

static int parse_classify_args(int argc, char **argv, struct classify_opts *o)
{
	static const struct option long_opts[] = {
		{ "pcap", required_argument, NULL, 'p' },  { "ports", required_argument, NULL, 'P' },
		{ "admit", required_argument, NULL, 'a' }, { "host", no_argument, NULL, 'H' },
		{ "object", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	int c;

	memset(o, 0, sizeof(*o));
	o->admit = RG_ADMIT_WEBRTC;
	o->ranges[0] = (struct rg_port_range){ .lo = 0, .hi = 65535 };
	o->nranges = 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->pcap = optarg;
			break;
		case 'P':
			if (parse_port_ranges(optarg, o->ranges, RG_MAX_PORT_RANGES, &o->nranges, err,
					      sizeof(err))) {
				cli_err("classify: %s", err);
				return -1;
			}
			break;
		case 'a':
			if (parse_kinds(optarg, &o->admit, err, sizeof(err))) {
				cli_err("classify: %s", err);
				return -1;
			}
			break;
		case 'H':
			o->host = 1;
			break;
		case 'o':
			o->object = optarg;
			break;
		case 'h':
			fputs(classify_usage, stdout);
			exit(0);
		case ':':
			cli_err("classify: option '%s' needs a value", argv[optind - 1]);
			return -1;
		default:
			cli_err("classify: unknown option '%s' (try 'rtcguard classify --help')",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		cli_err("classify: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (!o->pcap) {
		cli_err("classify: --pcap FILE is required (try 'rtcguard classify --help')");
		return -1;
	}
	for (size_t i = 0; i < o->nranges; i++)
		o->ranges[i].admit = (uint16_t)o->admit;
	return 0;
}

static void print_frame(struct classify_out *out, uint64_t frame, int v, const char *reason,
			const char *kind, int by_host)
{
	out->counts[v]++;
	if (g.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "frame", json_object_new_uint64(frame));
		json_object_object_add(o, "verdict", json_object_new_string(verdict_names[v]));
		json_object_object_add(o, "reason", json_object_new_string(reason));
		json_object_object_add(o, "kind", json_object_new_string(kind));
		if (by_host)
			json_object_object_add(o, "judged_by", json_object_new_string("host"));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		return;
	}
	if (!out->header_done) {
		printf("%-7s %-8s %-22s %s\n", "frame", "verdict", "reason", "kind");
		out->header_done = 1;
	}
	printf("%-7llu %-8s %-22s %s%s\n", (unsigned long long)frame, verdict_names[v], reason, kind,
	       by_host ? "  (judged by the host build: size outside what the test run takes)" : "");
}

static void print_summary(const struct classify_out *out)
{
	uint64_t total = 0;
	int v;

	for (v = 0; v < V_COUNT; v++)
		total += out->counts[v];
	if (g.json) {
		json_object *o = json_object_new_object(), *s = json_object_new_object();

		for (v = 0; v < V_COUNT; v++)
			json_object_object_add(s, verdict_names[v], json_object_new_uint64(out->counts[v]));
		json_object_object_add(o, "summary", s);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		return;
	}
	printf("summary: %llu frames: %llu pass, %llu drop, %llu redirect, %llu skipped\n",
	       (unsigned long long)total, (unsigned long long)out->counts[V_PASS],
	       (unsigned long long)out->counts[V_DROP], (unsigned long long)out->counts[V_REDIRECT],
	       (unsigned long long)out->counts[V_SKIPPED]);
}

static int verdict_of(const struct rg_judgement *j)
{
	return rg_reason_drops(j->reason) && !j->monitored ? V_DROP : V_PASS;
}

/* Judge one converted frame; returns 0, or -1 on a run error (message printed). */
static int judge_frame(struct rg_dataplane *dp, const struct rg_policy *pol, const struct rg_frame *f,
		       struct classify_out *out)
{
	struct rg_judgement j;
	struct rg_pkt pkt;
	uint32_t ret;
	int by_host = 0, e, v;

	if (dp) {
		e = dataplane_test_run(dp, f->data, f->len, 1, &ret, NULL, &j);
		if (e == -EMSGSIZE) {
			by_host = 1;
		} else if (e) {
			cli_err("classify: BPF_PROG_TEST_RUN failed on frame %llu: %s",
				(unsigned long long)f->number, strerror(-e));
			return -1;
		} else {
			v = ret == 1 /* XDP_DROP */ ? V_DROP : ret == 4 /* XDP_REDIRECT */ ? V_REDIRECT : V_PASS;
			print_frame(out, f->number, v, rg_reason_names[j.reason], rg_kind_names[j.kind], 0);
			return 0;
		}
	}
	policy_judge(pol, f->data, f->len, rg_monotonic_ns(), &pkt, &j);
	print_frame(out, f->number, verdict_of(&j), rg_reason_names[j.reason], rg_kind_names[j.kind],
		    by_host && dp);
	return 0;
}

int cmd_classify(int argc, char **argv)
{
	struct rg_dataplane dataplane, *dp = NULL;
	struct classify_out out = { 0 };
	struct rg_frame_reader *reader;
	struct classify_opts o;
	struct rg_policy pol;
	struct rg_frame *f;
	char err[512], objbuf[4096];
	int rc = 0, n;

	if (parse_classify_args(argc, argv, &o))
		return EXIT_USAGE;
	policy_init_defaults(&pol);
	if (policy_protect_everything(&pol, o.ranges, o.nranges)) {
		cli_err("classify: out of memory");
		return 1;
	}
	reader = frames_open(o.pcap, err, sizeof(err));
	if (!reader) {
		cli_err("classify: %s", err);
		policy_free(&pol);
		return 1;
	}
	if (!o.host) {
		struct rg_load_opts lo = { .ifslot = 0, .record_last = 1 };
		const char *path = o.object ? o.object : dataplane_default_object(objbuf, sizeof(objbuf));
		int e = dataplane_load(&dataplane, path, &lo, err, sizeof(err));

		if (e == -EPERM) {
			cli_err("classify: running the BPF object needs root (CAP_BPF and CAP_NET_ADMIN); "
				"use --host for the host build");
			rc = 1;
			goto out;
		}
		if (e || dataplane_apply(&dataplane, &pol)) {
			cli_err("classify: %s", e ? err : "cannot fill the BPF maps");
			if (!e)
				dataplane_close(&dataplane);
			rc = 1;
			goto out;
		}
		dp = &dataplane;
	}
	f = malloc(sizeof(*f));
	if (!f) {
		cli_err("classify: out of memory");
		rc = 1;
		goto out_dp;
	}
	while ((n = frames_next(reader, f, err, sizeof(err))) > 0) {
		if (f->status != RG_FRAME_OK) {
			print_frame(&out, f->number, V_SKIPPED, rg_frame_status_names[f->status], "none", 0);
			continue;
		}
		if (judge_frame(dp, &pol, f, &out)) {
			rc = 1;
			break;
		}
	}
	/* A capture corrupt part-way still gets the summary of what was read. */
	if (rc == 0)
		print_summary(&out);
	if (n < 0) {
		cli_err("classify: %s", err);
		rc = 1;
	}
	free(f);
out_dp:
	if (dp)
		dataplane_close(dp);
out:
	frames_close(reader);
	policy_free(&pol);
	return rc;
}
