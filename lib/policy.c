// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "rtcguard/classify.h"

const uint16_t rg_default_reflection_ports[] = {
	17,    /* QOTD */
	19,    /* chargen */
	53,    /* DNS */
	69,    /* TFTP */
	111,   /* portmapper */
	123,   /* NTP */
	137,   /* NetBIOS name service */
	161,   /* SNMP */
	389,   /* CLDAP */
	427,   /* SLP */
	520,   /* RIP */
	1434,  /* MS SQL browser */
	1900,  /* SSDP */
	3283,  /* Apple Remote Desktop */
	3702,  /* WS-Discovery */
	5351,  /* NAT-PMP */
	5353,  /* mDNS */
	5683,  /* CoAP */
	10001, /* Ubiquiti discovery */
	11211, /* memcached */
	37810, /* DVR DHCPDiscover */
	0,
};

const uint16_t rg_default_stun_methods[] = {
	0x001, /* Binding */
	0x003, /* Allocate (RFC 8656) */
	0x004, /* Refresh */
	0x006, /* Send */
	0x007, /* Data */
	0x008, /* CreatePermission */
	0x009, /* ChannelBind */
	0x00a, /* Connect (RFC 6062) */
	0x00b, /* ConnectionBind */
	0x00c, /* ConnectionAttempt */
	0x080, /* GOOG-PING (Chrome) */
	0xffff,
};

void policy_init_defaults(struct rg_policy *pol)
{
	int i;

	memset(pol, 0, sizeof(*pol));
	pol->config.layout_version = RG_LAYOUT_VERSION;
	for (i = 0; rg_default_reflection_ports[i]; i++)
		policy_set_reflection_port(pol, rg_default_reflection_ports[i], 1);
	for (i = 0; rg_default_stun_methods[i] != 0xffff; i++) {
		uint16_t m = rg_default_stun_methods[i];

		pol->config.stun_methods[m >> 6] |= 1ull << (m & 63);
	}
}

void policy_free(struct rg_policy *pol)
{
	free(pol->scopes);
	free(pol->lists);
	pol->scopes = NULL;
	pol->lists = NULL;
	pol->nscopes = pol->nlists = 0;
}

void policy_set_reflection_port(struct rg_policy *pol, uint16_t port, int on)
{
	if (on)
		pol->reflect[port >> 6] |= 1ull << (port & 63);
	else
		pol->reflect[port >> 6] &= ~(1ull << (port & 63));
}

int policy_add_scope(struct rg_policy *pol, const struct rg_prefix *dst, const struct rg_scope *scope)
{
	struct rg_scope_rule *n = realloc(pol->scopes, (pol->nscopes + 1) * sizeof(*n));

	if (!n)
		return -1;
	pol->scopes = n;
	n[pol->nscopes].dst = *dst;
	n[pol->nscopes].scope = *scope;
	pol->nscopes++;
	return 0;
}

int policy_protect_everything(struct rg_policy *pol, const struct rg_port_range *ranges, size_t n)
{
	struct rg_scope scope = { .nranges = (uint32_t)n };
	struct rg_prefix any4 = { .family = 4 }, any6 = { .family = 6 };

	if (n > RG_MAX_PORT_RANGES)
		return -1;
	memcpy(scope.range, ranges, n * sizeof(*ranges));
	if (policy_add_scope(pol, &any4, &scope) || policy_add_scope(pol, &any6, &scope))
		return -1;
	return 0;
}

int policy_add_list(struct rg_policy *pol, const struct rg_prefix *src, const struct rg_list_entry *e)
{
	size_t n = pol->nlists;

	/* Capacity 16, then doubling at each power of two: configs carry many entries. */
	if (n == 0 || (n >= 16 && !(n & (n - 1)))) {
		struct rg_list_rule *grown = realloc(pol->lists, (n ? 2 * n : 16) * sizeof(*grown));

		if (!grown)
			return -1;
		pol->lists = grown;
	}
	pol->lists[n].src = *src;
	pol->lists[n].entry = *e;
	pol->nlists = n + 1;
	return 0;
}

int prefix_contains(const struct rg_prefix *p, uint8_t family, const uint8_t *addr)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (p->family != family)
		return 0;
	if (memcmp(p->addr, addr, full))
		return 0;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((p->addr[full] & mask) != (addr[full] & mask))
			return 0;
	}
	return 1;
}

/* Host environment for include/rtcguard/judge.h: linear longest-prefix scans. */
struct rg_env;
static const struct rg_port_range *rg_scope_range(const struct rg_scope *s, __u16 dport);
struct rg_env {
	const struct rg_policy *pol;
	const uint8_t *frame;
	uint64_t now_ns;
};

static int rg_env_bypass(struct rg_env *env)
{
	return env->pol->config.bypass != 0;
}

static int rg_env_port_protected(struct rg_env *env, uint16_t dport)
{
	for (size_t i = 0; i < env->pol->nscopes; i++)
		if (rg_scope_range(&env->pol->scopes[i].scope, dport))
			return 1;
	return 0;
}

static const struct rg_scope *rg_env_scope(struct rg_env *env, const struct rg_pkt *pkt)
{
	const struct rg_scope *best = NULL;
	int best_len = -1;
	size_t i;

	for (i = 0; i < env->pol->nscopes; i++) {
		const struct rg_scope_rule *r = &env->pol->scopes[i];

		if (r->dst.len > best_len && prefix_contains(&r->dst, pkt->family, pkt->daddr)) {
			best = &r->scope;
			best_len = r->dst.len;
		}
	}
	return best;
}

static int rg_env_reflection_port(struct rg_env *env, uint16_t sport)
{
	return (env->pol->reflect[sport >> 6] >> (sport & 63)) & 1;
}

static int rg_env_source_action(struct rg_env *env, const struct rg_pkt *pkt)
{
	const struct rg_list_entry *best = NULL;
	int best_len = -1;
	size_t i;

	for (i = 0; i < env->pol->nlists; i++) {
		const struct rg_list_rule *r = &env->pol->lists[i];

		if (r->src.len > best_len && prefix_contains(&r->src, pkt->family, pkt->saddr)) {
			best = &r->entry;
			best_len = r->src.len;
		}
	}
	if (!best || (best->expires_ns && env->now_ns >= best->expires_ns))
		return 0;
	return best->action;
}

static int rg_env_classify(struct rg_env *env, const struct rg_pkt *pkt, uint32_t admit, uint8_t *kind)
{
	const uint8_t *p = env->frame + pkt->payload_off;

	return rg_classify(p, p + pkt->payload_len, pkt->payload_len, admit,
			   env->pol->config.stun_methods, kind);
}

#include "rtcguard/judge.h"

int policy_judge(const struct rg_policy *pol, const uint8_t *frame, size_t len, uint64_t now_ns,
		 struct rg_pkt *pkt, struct rg_judgement *j)
{
	struct rg_env env = { .pol = pol, .frame = frame, .now_ns = now_ns };

	memset(pkt, 0, sizeof(*pkt));
	return rg_judge(&env, frame, frame + len, pkt, j);
}
