// SPDX-License-Identifier: GPL-2.0
/*
 * Reloading a policy into live maps (dataplane_apply) reconciles: scopes and
 * config list entries follow the new policy at once (the programs' scope
 * memos included), while runtime entries, the bypass switch and counters
 * stay as they were.  Runs the real object with BPF_PROG_TEST_RUN.
 */
#include <errno.h>

#include <bpf/bpf.h>

#include "args.h"
#include "selftest.h"
#include "support/pktbuild.h"

static const char rtp_hex[] = "80606f2a0001e2401a2b3c4d00112233";

static struct rg_prefix pfx(const char *s)
{
	struct rg_prefix p;
	char err[128];

	if (parse_cidr(s, &p, err, sizeof(err))) {
		fprintf(stderr, "FATAL: %s\n", err);
		exit(1);
	}
	return p;
}

static void policy_with(struct rg_policy *pol, uint16_t port, uint32_t admit)
{
	struct rg_scope sc = { .nranges = 1 };
	struct rg_prefix dst = pfx("198.18.0.0/24");

	policy_init_defaults(pol);
	sc.range[0] = (struct rg_port_range){ .lo = port, .hi = port, .admit = (uint16_t)admit };
	policy_add_scope(pol, &dst, &sc);
}

static void add_list(struct rg_policy *pol, const char *cidr, int action)
{
	struct rg_list_entry e = { .action = (uint8_t)action, .origin = RG_ORIGIN_CONFIG };
	struct rg_prefix p = pfx(cidr);

	policy_add_list(pol, &p, &e);
}

static void put_runtime(struct rg_dataplane *dp, const char *cidr, int action)
{
	struct rg_list_entry e = { .action = (uint8_t)action, .origin = RG_ORIGIN_RUNTIME };
	struct rg_prefix p = pfx(cidr);
	struct rg_lpm_v4 k = { .prefixlen = p.len };

	memcpy(k.addr, p.addr, 4);
	bpf_map_update_elem(dp->list4_fd, &k, &e, BPF_ANY);
	dataplane_sync_lists_used(dp);
}

/* The list entry of a prefix: 0 absent, else its origin in the high byte and action in the low. */
static int list_entry(struct rg_dataplane *dp, const char *cidr)
{
	struct rg_prefix p = pfx(cidr);
	struct rg_lpm_v4 k = { .prefixlen = p.len };
	struct rg_list_entry e;

	memcpy(k.addr, p.addr, 4);
	if (bpf_map_lookup_elem(dp->list4_fd, &k, &e))
		return 0;
	return e.origin << 8 | e.action;
}

static struct st_verdict judge(struct rg_dataplane *dp, const char *src, uint16_t dport)
{
	uint8_t pl[64], frame[256];
	struct pkt_spec s = { .family = 4, .src = src, .dst = "198.18.0.2", .dport = dport };
	int n = pkt_unhex(rtp_hex, pl, sizeof(pl));
	size_t len = pkt_build(&s, pl, (size_t)n, frame, sizeof(frame));
	struct st_verdict v;

	st_run(dp, frame, len, &v);
	return v;
}

static void set_bypass(struct rg_dataplane *dp, uint32_t on)
{
	struct rg_config cfg;
	uint32_t zero = 0;

	bpf_map_lookup_elem(dp->config_fd, &zero, &cfg);
	cfg.bypass = on;
	bpf_map_update_elem(dp->config_fd, &zero, &cfg, BPF_ANY);
}

/*
 * A policy that does not fit the lists (runtime entries count too) fails
 * before the scopes change: ports stay protected, and writing the old
 * policy back restores it.  (A fresh user found ports unprotected after
 * such a refused reload, when scopes were written before lists.)
 */
static void full_lists_change_nothing(void)
{
	struct rg_load_opts o = { .record_last = 1, .list_entries = 2 };
	struct rg_policy a, b;
	struct rg_dataplane dp;
	struct st_verdict v;
	char err[512];
	int e;

	if (dataplane_load(&dp, st_object_path(), &o, err, sizeof(err))) {
		fprintf(stderr, "FATAL: %s\n", err);
		exit(1);
	}
	dataplane_max_test_frame(&dp);
	policy_with(&a, 50000, RG_ADMIT_WEBRTC);
	add_list(&a, "198.19.1.0/24", RG_LIST_DENY);
	CHECK_MSG(dataplane_apply(&dp, &a) == 0, "small lists: A applies");
	put_runtime(&dp, "198.19.3.0/24", RG_LIST_DENY);

	policy_with(&b, 50001, RG_ADMIT_WEBRTC);
	add_list(&b, "198.19.5.0/24", RG_LIST_DENY);
	add_list(&b, "198.19.6.0/24", RG_LIST_DENY);
	e = dataplane_apply(&dp, &b);
	CHECK_MSG(e == -ENOSPC || e == -E2BIG, "B does not fit 2 entries beside a runtime one (got %d)", e);
	v = judge(&dp, "198.19.9.1", 50000);
	CHECK_MSG(v.reason == RG_R_ADMITTED, "after the failed B, port 50000 is still judged, got %s",
		  st_reason_name(v.reason));
	v = judge(&dp, "198.19.3.1", 50000);
	CHECK_MSG(v.reason == RG_R_DENYLIST, "after the failed B, the runtime deny still drops, got %s",
		  st_reason_name(v.reason));
	CHECK_MSG(dataplane_apply(&dp, &a) == 0, "writing A back succeeds");
	v = judge(&dp, "198.19.1.1", 50000);
	CHECK_MSG(v.reason == RG_R_DENYLIST, "A's deny is back, got %s", st_reason_name(v.reason));
	policy_free(&a);
	policy_free(&b);
	dataplane_close(&dp);
}

int main(void)
{
	struct rg_policy a, b, c;
	struct rg_dataplane dp;
	struct rg_counter before, after;
	struct st_verdict v;
	uint32_t zero = 0;
	struct rg_config cfg;

	/* A: RTP admitted on port 50000; deny 198.19.1.0/24, allow 198.19.2.0/24 */
	policy_with(&a, 50000, RG_ADMIT_WEBRTC);
	add_list(&a, "198.19.1.0/24", RG_LIST_DENY);
	add_list(&a, "198.19.2.0/24", RG_LIST_ALLOW);
	st_load_policy(&dp, 0, &a);
	put_runtime(&dp, "198.19.3.0/24", RG_LIST_DENY);
	put_runtime(&dp, "198.19.4.0/24", RG_LIST_ALLOW);

	v = judge(&dp, "198.19.9.1", 50000);
	CHECK_MSG(v.reason == RG_R_ADMITTED, "A: RTP on 50000 admitted, got %s", st_reason_name(v.reason));
	v = judge(&dp, "198.19.1.1", 50000);
	CHECK_MSG(v.reason == RG_R_DENYLIST, "A: config deny works, got %s", st_reason_name(v.reason));
	set_bypass(&dp, 1);
	dataplane_read_counter(&dp, 0, RG_SLOT_REASON(RG_R_ADMITTED), &before);

	/* B: only STUN admitted on 50000 (same port: the memo must not serve A's scope),
	 * deny 198.19.1.0/24 gone, allow kept, a config deny over the runtime allow */
	policy_with(&b, 50000, RG_KIND_BIT(RG_K_STUN));
	add_list(&b, "198.19.2.0/24", RG_LIST_ALLOW);
	add_list(&b, "198.19.4.0/24", RG_LIST_DENY);
	CHECK_MSG(dataplane_apply(&dp, &b) == 0, "B applies");

	bpf_map_lookup_elem(dp.config_fd, &zero, &cfg);
	CHECK_MSG(cfg.bypass == 1, "bypass survives a reload (got %u)", cfg.bypass);
	dataplane_read_counter(&dp, 0, RG_SLOT_REASON(RG_R_ADMITTED), &after);
	CHECK_MSG(after.packets == before.packets, "counters survive a reload (%llu -> %llu)",
		  (unsigned long long)before.packets, (unsigned long long)after.packets);
	CHECK_MSG(list_entry(&dp, "198.19.1.0/24") == 0, "a config entry the new policy lacks is removed");
	CHECK_MSG(list_entry(&dp, "198.19.2.0/24") == (RG_ORIGIN_CONFIG << 8 | RG_LIST_ALLOW),
		  "a config entry the new policy keeps stays");
	CHECK_MSG(list_entry(&dp, "198.19.3.0/24") == (RG_ORIGIN_RUNTIME << 8 | RG_LIST_DENY),
		  "a runtime entry survives a reload");
	CHECK_MSG(list_entry(&dp, "198.19.4.0/24") == (RG_ORIGIN_RUNTIME << 8 | RG_LIST_ALLOW),
		  "a runtime entry is not overwritten by a config entry on the same prefix");

	set_bypass(&dp, 0);
	v = judge(&dp, "198.19.9.1", 50000);
	CHECK_MSG(v.reason == RG_R_NOT_ADMITTED,
		  "B: RTP on 50000 is no longer admitted (scope memo invalidated), got %s",
		  st_reason_name(v.reason));
	v = judge(&dp, "198.19.1.1", 50000);
	CHECK_MSG(v.reason != RG_R_DENYLIST, "B: the removed deny no longer drops, got %s",
		  st_reason_name(v.reason));
	v = judge(&dp, "198.19.3.1", 50000);
	CHECK_MSG(v.reason == RG_R_DENYLIST, "B: the runtime deny still drops, got %s",
		  st_reason_name(v.reason));

	/* C: a new port; the old one is unprotected at once */
	policy_with(&c, 50002, RG_ADMIT_WEBRTC);
	CHECK_MSG(dataplane_apply(&dp, &c) == 0, "C applies");
	v = judge(&dp, "198.19.9.1", 50000);
	CHECK_MSG(v.reason == RG_R_UNPROTECTED, "C: old port unprotected, got %s", st_reason_name(v.reason));
	v = judge(&dp, "198.19.9.1", 50002);
	CHECK_MSG(v.reason == RG_R_ADMITTED, "C: new port judged, got %s", st_reason_name(v.reason));
	v = judge(&dp, "198.19.3.1", 50002);
	CHECK_MSG(v.reason == RG_R_DENYLIST, "C: runtime deny still drops, got %s", st_reason_name(v.reason));

	policy_free(&a);
	policy_free(&b);
	policy_free(&c);
	dataplane_close(&dp);
	full_lists_change_nothing();
	return st_finish("test_reconcile");
}
