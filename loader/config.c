// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguardd's configuration file (docs/config.md), parsed with libyaml:
 * the whole file is loaded into a document, then its nodes are walked.
 * Every error is one line "file:line:col: what was wrong, expected what",
 * with libyaml's 0-based marks printed 1-based; an invalid file leaves a
 * zeroed config behind.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "args.h"
#include "config.h"

#define CONFIG_MAX_BYTES (16u << 20)
#define LIST_ENTRIES_MAX 1048576u
#define PREFIXES_MAX 65536u
#define DEFAULT_LIST_ENTRIES 65536u
#define DEFAULT_PREFIXES 1024u

/* Where a protected prefix was named, and the lines of its port ranges. */
struct scope_meta {
	yaml_mark_t mark;      /* the prefix's first mention */
	int entry;             /* the protect entry that named it last */
	size_t line;           /* where that entry named it */
	size_t range_line[RG_MAX_PORT_RANGES];
};

/* Open-addressing index of prefixes: slot holds position + 1, 0 = empty. */
struct prefix_index {
	size_t *slot;
	size_t cap;
	size_t n;
};

struct ctx {
	const char *name;
	yaml_document_t *doc;
	char *err;
	size_t errlen;
	struct rg_daemon_config *cfg;
	struct scope_meta *smeta;
	size_t smeta_cap;
	struct prefix_index sidx;
	yaml_mark_t *lmeta;
	size_t lmeta_cap;
	struct prefix_index lidx;
};

static int fail_at(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->name, m.line + 1, m.column + 1);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

#define fail(c, node, ...) fail_at((c), (node)->start_mark, __VA_ARGS__)

static int oom(struct ctx *c)
{
	snprintf(c->err, c->errlen, "%s: out of memory", c->name);
	return -1;
}

static yaml_node_t *node_at(struct ctx *c, int idx)
{
	return yaml_document_get_node(c->doc, idx);
}

static const char *sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static int is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(sval(n), nulls[i]) == 0)
			return 1;
	return 0;
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_SCALAR_NODE:
		return is_null(n) ? "an empty value" : "a single value";
	default:
		return "nothing";
	}
}

static int expect_type(struct ctx *c, const yaml_node_t *n, yaml_node_type_t type,
		       const char *what, const char *expected)
{
	if (n->type == type && !(type == YAML_SCALAR_NODE && is_null(n)))
		return 0;
	return fail(c, n, "wrong type for %s: got %s, expected %s", what, type_name(n), expected);
}

/* A scalar that is not empty and holds no NUL byte. */
static const char *get_scalar(struct ctx *c, const yaml_node_t *n, const char *what,
			      const char *expected)
{
	if (expect_type(c, n, YAML_SCALAR_NODE, what, expected))
		return NULL;
	if (strlen(sval(n)) != n->data.scalar.length) {
		fail(c, n, "bad %s: contains a NUL character, expected %s", what, expected);
		return NULL;
	}
	return sval(n);
}

/*
 * Check a mapping's keys against names[] and hand back each value node in
 * out[] (NULL when absent).  Unknown, duplicate and non-scalar keys fail.
 */
static int walk_mapping(struct ctx *c, const yaml_node_t *map, const char *what,
			const char *const *names, size_t nnames, yaml_node_t **out)
{
	yaml_node_pair_t *p, *q;
	char expected[256];
	size_t i, off = 0;

	for (i = 0; i < nnames; i++) {
		out[i] = NULL;
		off += (size_t)snprintf(expected + off, sizeof(expected) - off, "%s%s",
					i ? ", " : "", names[i]);
		if (off >= sizeof(expected))
			off = sizeof(expected) - 1;
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key);

		if (k->type != YAML_SCALAR_NODE || is_null(k) ||
		    strlen(sval(k)) != k->data.scalar.length)
			return fail(c, k, "bad key in %s: got %s, expected one of %s", what,
				    type_name(k), expected);
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *qk = node_at(c, q->key);

			if (strcmp(sval(qk), sval(k)) == 0)
				return fail(c, k, "duplicate key '%s' in %s (first at line %zu), expected each key once",
					    sval(k), what, qk->start_mark.line + 1);
		}
		for (i = 0; i < nnames; i++)
			if (strcmp(sval(k), names[i]) == 0)
				break;
		if (i == nnames)
			return fail(c, k, "unknown key '%s' in %s (expected %s)", sval(k), what,
				    expected);
		out[i] = node_at(c, p->value);
	}
	return 0;
}

static int require(struct ctx *c, const yaml_node_t *map, const char *what, const char *key,
		   const char *expected, const yaml_node_t *val)
{
	if (val)
		return 0;
	return fail(c, map, "missing key '%s' in %s, expected %s", key, what, expected);
}

static int seq_len(const yaml_node_t *n)
{
	return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_item(struct ctx *c, const yaml_node_t *n, int i)
{
	return node_at(c, n->data.sequence.items.start[i]);
}

/* value must be one of names[], joined in expected; returns its index or -1. */
static int get_enum(struct ctx *c, const yaml_node_t *n, const char *what,
		    const char *const *names, size_t nnames, const char *expected)
{
	const char *s = get_scalar(c, n, what, expected);
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < nnames; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	fail(c, n, "bad %s '%s', expected %s", what, s, expected);
	return -1;
}

static int get_bool(struct ctx *c, const yaml_node_t *n, const char *what, int *out)
{
	static const char *const names[] = { "false", "False", "FALSE", "true", "True", "TRUE" };
	int i = get_enum(c, n, what, names, 6, "true or false");

	if (i < 0)
		return -1;
	*out = i >= 3;
	return 0;
}

static int get_u32(struct ctx *c, const yaml_node_t *n, const char *what, uint32_t lo,
		   uint32_t hi, uint32_t *out)
{
	const char *s = get_scalar(c, n, what, "an integer");
	unsigned long long v = 0;
	const char *p;

	if (!s)
		return -1;
	for (p = s; *p && v <= hi; p++) {
		if (!isdigit((unsigned char)*p))
			break;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (*p || p == s || v < lo || v > hi)
		return fail(c, n, "bad %s '%s', expected an integer %u-%u", what, s, lo, hi);
	*out = (uint32_t)v;
	return 0;
}

/* One scalar "PORT" or "LOW-HIGH" (allow_range) into r. */
static int get_port_range(struct ctx *c, const yaml_node_t *n, int allow_range,
			  struct rg_port_range *r)
{
	const char *expected = allow_range ? "PORT or LOW-HIGH, 0-65535" : "a port 0-65535";
	const char *s = get_scalar(c, n, "port", expected);
	char msg[160];
	size_t cnt;

	if (!s)
		return -1;
	if (strchr(s, ',') || (!allow_range && strchr(s, '-')))
		return fail(c, n, "bad port%s '%s': expected %s", allow_range ? " range" : "", s,
			    expected);
	if (parse_port_ranges(s, r, 1, &cnt, msg, sizeof(msg)))
		return allow_range ? fail(c, n, "%s", msg)
				   : fail(c, n, "bad port '%s': expected %s", s, expected);
	return 0;
}

static int get_prefix(struct ctx *c, const yaml_node_t *n, struct rg_prefix *p)
{
	const char *s = get_scalar(c, n, "prefix", "a CIDR such as 198.51.100.0/24 or 2001:db8::/32");
	char msg[256];

	if (!s)
		return -1;
	if (parse_cidr(s, p, msg, sizeof(msg)))
		return fail(c, n, "%s", msg);
	return 0;
}

static const char *range_str(const struct rg_port_range *r, char *buf, size_t len)
{
	if (r->lo == r->hi)
		snprintf(buf, len, "%u", r->lo);
	else
		snprintf(buf, len, "%u-%u", r->lo, r->hi);
	return buf;
}

static const char *prefix_str(const struct rg_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
	return buf;
}

/* Prefix index: find the position of p among prefixes, or insert pos. */

static size_t prefix_hash(const struct rg_prefix *p)
{
	size_t h = 1469598103934665603ull;
	size_t i;

	h = (h ^ p->family) * 1099511628211ull;
	h = (h ^ p->len) * 1099511628211ull;
	for (i = 0; i < 16; i++)
		h = (h ^ p->addr[i]) * 1099511628211ull;
	return h;
}

static int prefix_eq(const struct rg_prefix *a, const struct rg_prefix *b)
{
	return a->family == b->family && a->len == b->len && !memcmp(a->addr, b->addr, 16);
}

typedef const struct rg_prefix *(*prefix_at_fn)(struct ctx *c, size_t pos);

static const struct rg_prefix *scope_prefix_at(struct ctx *c, size_t pos)
{
	return &c->cfg->policy.scopes[pos].dst;
}

static const struct rg_prefix *list_prefix_at(struct ctx *c, size_t pos)
{
	return &c->cfg->policy.lists[pos].src;
}

/* Position of p, or -1 when absent. */
static long index_find(struct ctx *c, struct prefix_index *ix, prefix_at_fn at,
		       const struct rg_prefix *p)
{
	size_t i;

	if (!ix->cap)
		return -1;
	for (i = prefix_hash(p) & (ix->cap - 1); ix->slot[i]; i = (i + 1) & (ix->cap - 1))
		if (prefix_eq(at(c, ix->slot[i] - 1), p))
			return (long)(ix->slot[i] - 1);
	return -1;
}

static int index_add(struct ctx *c, struct prefix_index *ix, prefix_at_fn at, size_t pos)
{
	size_t i, j;

	if (2 * (ix->n + 1) > ix->cap) {
		size_t ncap = ix->cap ? 2 * ix->cap : 64;
		size_t *ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return -1;
		for (j = 0; j < ix->cap; j++) {
			if (!ix->slot[j])
				continue;
			for (i = prefix_hash(at(c, ix->slot[j] - 1)) & (ncap - 1); ns[i];
			     i = (i + 1) & (ncap - 1))
				;
			ns[i] = ix->slot[j];
		}
		free(ix->slot);
		ix->slot = ns;
		ix->cap = ncap;
	}
	for (i = prefix_hash(at(c, pos)) & (ix->cap - 1); ix->slot[i]; i = (i + 1) & (ix->cap - 1))
		;
	ix->slot[i] = pos + 1;
	ix->n++;
	return 0;
}

/* interfaces */

static int parse_interfaces(struct ctx *c, const yaml_node_t *seq)
{
	static const char *const keys[] = { "name", "mode" };
	static const char *const modes[] = { "auto", "native", "skb" };
	struct rg_daemon_config *cfg = c->cfg;
	int i, n;

	if (expect_type(c, seq, YAML_SEQUENCE_NODE, "'interfaces'", "a list of interfaces"))
		return -1;
	n = seq_len(seq);
	for (i = 0; i < n; i++) {
		yaml_node_t *it = seq_item(c, seq, i), *v[2];
		struct rg_iface_config *ifc;
		const char *name;
		size_t j;
		int m;

		if (expect_type(c, it, YAML_MAPPING_NODE, "interface",
				"a mapping with name and mode"))
			return -1;
		if (walk_mapping(c, it, "interface", keys, 2, v) ||
		    require(c, it, "interface", "name", "name: IFNAME", v[0]))
			return -1;
		name = get_scalar(c, v[0], "interface name", "an interface name such as eth0");
		if (!name)
			return -1;
		if (!*name || strlen(name) >= sizeof(ifc->name) || strcmp(name, ".") == 0 ||
		    strcmp(name, "..") == 0 || strpbrk(name, "/: \t\r\n"))
			return fail(c, v[0],
				    "bad interface name '%s': expected 1-%zu characters without '/', ':' or spaces",
				    name, sizeof(ifc->name) - 1);
		for (j = 0; j < cfg->nifaces; j++)
			if (strcmp(cfg->ifaces[j].name, name) == 0)
				return fail(c, v[0], "duplicate interface '%s', expected each interface once",
					    name);
		if (cfg->nifaces == RG_MAX_CONFIG_IFACES)
			return fail(c, it, "too many interfaces, expected at most %d",
				    RG_MAX_CONFIG_IFACES);
		ifc = &cfg->ifaces[cfg->nifaces];
		snprintf(ifc->name, sizeof(ifc->name), "%s", name);
		ifc->mode = RG_ATTACH_AUTO;
		if (v[1]) {
			m = get_enum(c, v[1], "mode", modes, 3, "auto, native or skb");
			if (m < 0)
				return -1;
			ifc->mode = (enum rg_attach_mode)m;
		}
		cfg->nifaces++;
	}
	return 0;
}

/* protect */

static int scope_for(struct ctx *c, const struct rg_prefix *p, const yaml_node_t *n, size_t *pos)
{
	struct rg_policy *pol = &c->cfg->policy;
	struct rg_scope empty = { 0 };
	long at = index_find(c, &c->sidx, scope_prefix_at, p);

	if (at >= 0) {
		*pos = (size_t)at;
		return 0;
	}
	if (pol->nscopes == c->smeta_cap) {
		size_t ncap = c->smeta_cap ? 2 * c->smeta_cap : 16;
		struct scope_meta *nm = realloc(c->smeta, ncap * sizeof(*nm));

		if (!nm)
			return oom(c);
		c->smeta = nm;
		c->smeta_cap = ncap;
	}
	if (policy_add_scope(pol, p, &empty))
		return oom(c);
	*pos = pol->nscopes - 1;
	memset(&c->smeta[*pos], 0, sizeof(c->smeta[*pos]));
	c->smeta[*pos].mark = n->start_mark;
	if (index_add(c, &c->sidx, scope_prefix_at, *pos))
		return oom(c);
	return 0;
}

static int parse_admit(struct ctx *c, const yaml_node_t *n, uint32_t *admit)
{
	static const char *const expected =
		"a list of stun, stun-classic, turn-channel, turn-channel-legacy, dtls, rtp, rtcp, zrtp, quic, or all";
	int i;

	if (n->type == YAML_SCALAR_NODE && !is_null(n) && strcmp(sval(n), "all") == 0) {
		*admit = RG_ADMIT_ALL;
		return 0;
	}
	if (n->type == YAML_SCALAR_NODE && !is_null(n))
		return fail(c, n, "bad admit '%s': expected %s", sval(n), expected);
	if (expect_type(c, n, YAML_SEQUENCE_NODE, "'admit'", expected))
		return -1;
	/* An empty set would drop every packet of the range: surely a mistake. */
	if (!seq_len(n))
		return fail(c, n, "empty 'admit', expected at least one kind or all");
	*admit = 0;
	for (i = 0; i < seq_len(n); i++) {
		yaml_node_t *it = seq_item(c, n, i);
		const char *s = get_scalar(c, it, "kind", "a kind name");
		int k;

		if (!s)
			return -1;
		if (strcmp(s, "all") == 0) {
			*admit |= RG_ADMIT_ALL;
			continue;
		}
		k = kind_from_name(s);
		if (k < 0)
			return fail(c, it,
				    "unknown kind '%s': expected stun, stun-classic, turn-channel, turn-channel-legacy, dtls, rtp, rtcp, zrtp, quic or all",
				    s);
		*admit |= RG_KIND_BIT(k);
	}
	return 0;
}

static int parse_protected(struct ctx *c, const yaml_node_t *map, int entry)
{
	static const char *const keys[] = { "prefixes", "ports", "admit", "mode",
					    "first_fragments", "later_fragments" };
	static const char *const modes[] = { "enforce", "monitor" };
	static const char *const first[] = { "drop", "pass" };
	static const char *const later[] = { "pass", "drop" };
	static const char *const what = "protected range";
	struct rg_port_range ranges[RG_MAX_PORT_RANGES + 1];
	const yaml_node_t *rnode[RG_MAX_PORT_RANGES + 1];
	struct rg_policy *pol = &c->cfg->policy;
	uint32_t admit = RG_ADMIT_WEBRTC, sflags = 0;
	uint16_t rflags = 0;
	yaml_node_t *v[6];
	int i, j, np, nr, x;

	if (expect_type(c, map, YAML_MAPPING_NODE, what,
			"a mapping with prefixes, ports and optional admit, mode, first_fragments, later_fragments"))
		return -1;
	if (walk_mapping(c, map, what, keys, 6, v) ||
	    require(c, map, what, "prefixes", "prefixes: [CIDR, ...]", v[0]) ||
	    require(c, map, what, "ports", "ports: [PORT or LOW-HIGH, ...]", v[1]))
		return -1;
	if (expect_type(c, v[0], YAML_SEQUENCE_NODE, "'prefixes'", "a list of CIDRs"))
		return -1;
	if (expect_type(c, v[1], YAML_SEQUENCE_NODE, "'ports'", "a list of PORT or LOW-HIGH"))
		return -1;
	np = seq_len(v[0]);
	nr = seq_len(v[1]);
	if (!np)
		return fail(c, v[0], "empty 'prefixes', expected at least one CIDR");
	if (!nr)
		return fail(c, v[1], "empty 'ports', expected at least one PORT or LOW-HIGH");
	if (v[2] && parse_admit(c, v[2], &admit))
		return -1;
	if (v[3]) {
		x = get_enum(c, v[3], "mode", modes, 2, "enforce or monitor");
		if (x < 0)
			return -1;
		if (x)
			rflags |= RG_RANGE_MONITOR;
	}
	if (v[4]) {
		x = get_enum(c, v[4], "first_fragments", first, 2, "drop or pass");
		if (x < 0)
			return -1;
		if (x)
			rflags |= RG_RANGE_PASS_FIRST_FRAG;
	}
	if (v[5]) {
		x = get_enum(c, v[5], "later_fragments", later, 2, "pass or drop");
		if (x < 0)
			return -1;
		if (x)
			sflags |= RG_SCOPE_DROP_LATER_FRAGS;
	}
	/*
	 * The entry's ranges (one more than fits, so that the overflow is
	 * reported at that port), then merged into each of its prefixes.
	 */
	for (j = 0; j < nr && j <= RG_MAX_PORT_RANGES; j++) {
		rnode[j] = seq_item(c, v[1], j);
		if (get_port_range(c, rnode[j], 1, &ranges[j]))
			return -1;
		ranges[j].admit = (uint16_t)admit;
		ranges[j].flags = rflags;
	}
	for (i = 0; i < np; i++) {
		yaml_node_t *pn = seq_item(c, v[0], i);
		struct rg_prefix p;
		struct rg_scope *s;
		struct scope_meta *m;
		char buf[64], rb[2][16];
		size_t pos;

		if (get_prefix(c, pn, &p))
			return -1;
		if (scope_for(c, &p, pn, &pos))
			return -1;
		m = &c->smeta[pos];
		if (m->entry == entry)
			return fail(c, pn, "duplicate prefix '%s' in %s (first at line %zu), expected each prefix once",
				    sval(pn), what, m->line);
		m->entry = entry;
		m->line = pn->start_mark.line + 1;
		s = &pol->scopes[pos].scope;
		s->flags |= sflags;
		for (j = 0; j < nr && j <= RG_MAX_PORT_RANGES; j++) {
			const struct rg_port_range *r = &ranges[j];
			uint32_t e;

			if (s->nranges == RG_MAX_PORT_RANGES)
				return fail(c, seq_item(c, v[1], j),
					    "too many port ranges for prefix %s, expected at most %d over all entries that name it",
					    prefix_str(&p, buf, sizeof(buf)), RG_MAX_PORT_RANGES);
			for (e = 0; e < s->nranges; e++) {
				const struct rg_port_range *o = &s->range[e];

				if (r->lo <= o->hi && o->lo <= r->hi)
					return fail(c, rnode[j],
						    "port range %s overlaps %s (line %zu) on prefix %s, expected disjoint ranges per prefix",
						    range_str(r, rb[0], 16),
						    range_str(o, rb[1], 16),
						    m->range_line[e],
						    prefix_str(&p, buf, sizeof(buf)));
			}
			s->range[s->nranges] = *r;
			m->range_line[s->nranges] = rnode[j]->start_mark.line + 1;
			s->nranges++;
		}
	}
	return 0;
}

static int parse_protect(struct ctx *c, const yaml_node_t *seq)
{
	int i;

	if (expect_type(c, seq, YAML_SEQUENCE_NODE, "'protect'", "a list of protected ranges"))
		return -1;
	for (i = 0; i < seq_len(seq); i++)
		if (parse_protected(c, seq_item(c, seq, i), i + 1))
			return -1;
	return 0;
}

/* reflection_ports */

/* Ports into bits; a port already in clash (add, when reading remove) fails. */
static int port_list(struct ctx *c, const yaml_node_t *seq, const char *what, uint64_t *bits,
		     const uint64_t *clash)
{
	int i;

	if (expect_type(c, seq, YAML_SEQUENCE_NODE, what, "a list of ports"))
		return -1;
	for (i = 0; i < seq_len(seq); i++) {
		struct rg_port_range r;

		if (get_port_range(c, seq_item(c, seq, i), 0, &r))
			return -1;
		if (clash && (clash[r.lo >> 6] & (1ull << (r.lo & 63))))
			return fail(c, seq_item(c, seq, i),
				    "port %u is both added and removed, expected it in one of add and remove",
				    r.lo);
		bits[r.lo >> 6] |= 1ull << (r.lo & 63);
	}
	return 0;
}

static int parse_reflection(struct ctx *c, const yaml_node_t *n)
{
	static const char *const keys[] = { "defaults", "add", "remove" };
	static const char *const what = "reflection_ports";
	uint64_t add[RG_REFLECT_WORDS] = { 0 }, del[RG_REFLECT_WORDS] = { 0 };
	struct rg_policy *pol = &c->cfg->policy;
	yaml_node_t *v[3];
	int defaults = 1, i;

	if (n->type == YAML_SEQUENCE_NODE) {
		if (port_list(c, n, "'reflection_ports'", add, NULL))
			return -1;
		memcpy(pol->reflect, add, sizeof(add));
		return 0;
	}
	if (n->type != YAML_MAPPING_NODE)
		return fail(c, n,
			    "wrong type for 'reflection_ports': got %s, expected a list of ports or a mapping with defaults, add, remove",
			    type_name(n));
	if (walk_mapping(c, n, what, keys, 3, v))
		return -1;
	if (v[0] && get_bool(c, v[0], "defaults", &defaults))
		return -1;
	if (v[1] && port_list(c, v[1], "'add'", add, NULL))
		return -1;
	if (v[2] && port_list(c, v[2], "'remove'", del, add))
		return -1;
	if (!defaults)
		memset(pol->reflect, 0, sizeof(pol->reflect));
	for (i = 0; i < RG_REFLECT_WORDS; i++)
		pol->reflect[i] = (pol->reflect[i] | add[i]) & ~del[i];
	return 0;
}

/* stun_methods */

static const struct {
	const char *name;
	uint16_t method;
} stun_method_names[] = {
	{ "binding", 0x001 },
	{ "allocate", 0x003 },
	{ "refresh", 0x004 },
	{ "send", 0x006 },
	{ "data", 0x007 },
	{ "create-permission", 0x008 },
	{ "channel-bind", 0x009 },
	{ "connect", 0x00a },
	{ "connection-bind", 0x00b },
	{ "connection-attempt", 0x00c },
	{ "goog-ping", 0x080 },
};

static int parse_stun_methods(struct ctx *c, const yaml_node_t *seq)
{
	static const char *const expected =
		"binding, allocate, refresh, send, data, create-permission, channel-bind, connect, connection-bind, connection-attempt, goog-ping or a number 0-255";
	__u64 *bits = c->cfg->policy.config.stun_methods;
	int i;

	if (expect_type(c, seq, YAML_SEQUENCE_NODE, "'stun_methods'", "a list of STUN methods"))
		return -1;
	memset(c->cfg->policy.config.stun_methods, 0, sizeof(c->cfg->policy.config.stun_methods));
	for (i = 0; i < seq_len(seq); i++) {
		yaml_node_t *it = seq_item(c, seq, i);
		const char *s = get_scalar(c, it, "STUN method", expected);
		unsigned long m = 0;
		size_t k;

		if (!s)
			return -1;
		for (k = 0; k < sizeof(stun_method_names) / sizeof(stun_method_names[0]); k++)
			if (strcmp(s, stun_method_names[k].name) == 0)
				break;
		if (k < sizeof(stun_method_names) / sizeof(stun_method_names[0])) {
			m = stun_method_names[k].method;
		} else {
			char *end;

			errno = 0;
			if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
			    isxdigit((unsigned char)s[2]))
				m = strtoul(s + 2, &end, 16);
			else if (isdigit((unsigned char)s[0]))
				m = strtoul(s, &end, 10);
			else
				end = (char *)s;
			if (end == s || *end || errno || m > 255)
				return fail(c, it, "unknown STUN method '%s': expected %s", s, expected);
		}
		bits[m >> 6] |= 1ull << (m & 63);
	}
	return 0;
}

/* lists */

static int list_add(struct ctx *c, const yaml_node_t *seq, enum rg_list_action action,
		    const char *what)
{
	struct rg_policy *pol = &c->cfg->policy;
	int i;

	if (expect_type(c, seq, YAML_SEQUENCE_NODE, what, "a list of CIDRs"))
		return -1;
	for (i = 0; i < seq_len(seq); i++) {
		yaml_node_t *it = seq_item(c, seq, i);
		struct rg_list_entry e = { .action = (uint8_t)action, .origin = RG_ORIGIN_CONFIG };
		struct rg_prefix p;
		long at;

		if (get_prefix(c, it, &p))
			return -1;
		at = index_find(c, &c->lidx, list_prefix_at, &p);
		if (at >= 0) {
			const struct rg_list_rule *o = &pol->lists[at];

			if (o->entry.action != action)
				return fail(c, it, "prefix '%s' is both denied and allowed (line %zu), expected it in one list",
					    sval(it), c->lmeta[at].line + 1);
			return fail(c, it, "duplicate prefix '%s' in %s (first at line %zu), expected each prefix once",
				    sval(it), what, c->lmeta[at].line + 1);
		}
		if (pol->nlists == c->lmeta_cap) {
			size_t ncap = c->lmeta_cap ? 2 * c->lmeta_cap : 64;
			yaml_mark_t *nm = realloc(c->lmeta, ncap * sizeof(*nm));

			if (!nm)
				return oom(c);
			c->lmeta = nm;
			c->lmeta_cap = ncap;
		}
		if (policy_add_list(pol, &p, &e))
			return oom(c);
		c->lmeta[pol->nlists - 1] = it->start_mark;
		if (index_add(c, &c->lidx, list_prefix_at, pol->nlists - 1))
			return oom(c);
	}
	return 0;
}

static int parse_lists(struct ctx *c, const yaml_node_t *map)
{
	static const char *const keys[] = { "deny", "allow" };
	yaml_node_t *v[2];

	if (expect_type(c, map, YAML_MAPPING_NODE, "'lists'", "a mapping with deny and allow"))
		return -1;
	if (walk_mapping(c, map, "lists", keys, 2, v))
		return -1;
	if (v[0] && list_add(c, v[0], RG_LIST_DENY, "'deny'"))
		return -1;
	if (v[1] && list_add(c, v[1], RG_LIST_ALLOW, "'allow'"))
		return -1;
	return 0;
}

/* maps, metrics */

static int parse_maps(struct ctx *c, const yaml_node_t *map)
{
	static const char *const keys[] = { "list_entries", "prefixes" };
	yaml_node_t *v[2];

	if (expect_type(c, map, YAML_MAPPING_NODE, "'maps'", "a mapping with list_entries and prefixes"))
		return -1;
	if (walk_mapping(c, map, "maps", keys, 2, v))
		return -1;
	if (v[0] && get_u32(c, v[0], "list_entries", 1, LIST_ENTRIES_MAX, &c->cfg->list_entries))
		return -1;
	if (v[1] && get_u32(c, v[1], "prefixes", 1, PREFIXES_MAX, &c->cfg->prefixes))
		return -1;
	return 0;
}

static int valid_listen(const char *s)
{
	char addr[INET6_ADDRSTRLEN + 1];
	unsigned char buf[16];
	const char *colon, *p;
	unsigned long port = 0;
	size_t alen;
	int v6 = s[0] == '[';

	if (v6) {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return 0;
		alen = (size_t)(close - s - 1);
		s++;
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return 0;
		alen = (size_t)(colon - s);
	}
	if (!alen || alen >= sizeof(addr))
		return 0;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, buf) != 1)
		return 0;
	if (!colon[1] || strlen(colon + 1) > 5)
		return 0;
	for (p = colon + 1; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		port = port * 10 + (unsigned long)(*p - '0');
	}
	return port >= 1 && port <= 65535;
}

static int parse_metrics(struct ctx *c, const yaml_node_t *map)
{
	static const char *const keys[] = { "listen" };
	static const char *const expected =
		"ADDRESS:PORT, [IPV6]:PORT or \"\" (off), e.g. 127.0.0.1:9478";
	struct rg_daemon_config *cfg = c->cfg;
	yaml_node_t *v[1];
	const char *s;

	if (expect_type(c, map, YAML_MAPPING_NODE, "'metrics'", "a mapping with listen"))
		return -1;
	if (walk_mapping(c, map, "metrics", keys, 1, v))
		return -1;
	if (!v[0])
		return 0;
	if (v[0]->type == YAML_SCALAR_NODE && v[0]->data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
	    !v[0]->data.scalar.length) {
		cfg->metrics_listen[0] = '\0';
		return 0;
	}
	s = get_scalar(c, v[0], "'listen'", expected);
	if (!s)
		return -1;
	if (strlen(s) >= sizeof(cfg->metrics_listen) || !valid_listen(s))
		return fail(c, v[0], "bad listen address '%s': expected %s", s, expected);
	snprintf(cfg->metrics_listen, sizeof(cfg->metrics_listen), "%s", s);
	return 0;
}

/* Post-checks: the prefixes and list entries fit the configured map sizes. */
static int check_capacity(struct ctx *c)
{
	const struct rg_policy *pol = &c->cfg->policy;
	size_t n4 = 0, n6 = 0, i;

	for (i = 0; i < pol->nscopes; i++) {
		size_t *n = pol->scopes[i].dst.family == 4 ? &n4 : &n6;

		if (++*n > c->cfg->prefixes)
			return fail_at(c, c->smeta[i].mark,
				       "more than %u protected IPv%u prefixes, expected at most maps.prefixes (%u)",
				       c->cfg->prefixes, pol->scopes[i].dst.family,
				       c->cfg->prefixes);
	}
	n4 = n6 = 0;
	for (i = 0; i < pol->nlists; i++) {
		size_t *n = pol->lists[i].src.family == 4 ? &n4 : &n6;

		if (++*n > c->cfg->list_entries)
			return fail_at(c, c->lmeta[i],
				       "more than %u IPv%u list entries, expected at most maps.list_entries (%u)",
				       c->cfg->list_entries, pol->lists[i].src.family,
				       c->cfg->list_entries);
	}
	return 0;
}

static int parse_root(struct ctx *c, const yaml_node_t *root)
{
	static const char *const keys[] = { "interfaces", "protect", "reflection_ports",
					    "stun_methods", "lists", "maps", "metrics",
					    "log_level", "detach_on_exit" };
	static const char *const levels[] = { "error", "warn", "info", "debug" };
	yaml_node_t *v[9];
	int x;

	if (is_null(root))
		return 0;
	if (expect_type(c, root, YAML_MAPPING_NODE, "the configuration",
			"a mapping of settings such as interfaces and protect"))
		return -1;
	if (walk_mapping(c, root, "the configuration", keys, 9, v))
		return -1;
	if (v[0] && parse_interfaces(c, v[0]))
		return -1;
	if (v[1] && parse_protect(c, v[1]))
		return -1;
	if (v[2] && parse_reflection(c, v[2]))
		return -1;
	if (v[3] && parse_stun_methods(c, v[3]))
		return -1;
	if (v[4] && parse_lists(c, v[4]))
		return -1;
	if (v[5] && parse_maps(c, v[5]))
		return -1;
	if (v[6] && parse_metrics(c, v[6]))
		return -1;
	if (v[7]) {
		x = get_enum(c, v[7], "log_level", levels, 4, "error, warn, info or debug");
		if (x < 0)
			return -1;
		c->cfg->log_level = (enum rg_log_level)x;
	}
	if (v[8] && get_bool(c, v[8], "detach_on_exit", &c->cfg->detach_on_exit))
		return -1;
	return check_capacity(c);
}

/* libyaml's own errors: reader errors carry an offset, the rest a mark. */
static int yaml_fail(struct ctx *c, const yaml_parser_t *parser, const char *text, size_t len)
{
	yaml_mark_t m = parser->problem_mark;
	const char *problem = parser->problem ? parser->problem : "unknown error";

	if (parser->error == YAML_MEMORY_ERROR)
		return oom(c);
	if (parser->error == YAML_READER_ERROR) {
		size_t i, end = parser->problem_offset < len ? parser->problem_offset : len;

		memset(&m, 0, sizeof(m));
		for (i = 0; i < end; i++) {
			if (text[i] == '\n') {
				m.line++;
				m.column = 0;
			} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
				m.column++;
			}
		}
		return fail_at(c, m, "bad YAML: %s (byte 0x%02x), expected UTF-8 text", problem,
			       parser->problem_value & 0xff);
	}
	if (parser->context)
		return fail_at(c, m, "bad YAML: %s %s at line %zu, expected valid YAML", problem,
			       parser->context, parser->context_mark.line + 1);
	return fail_at(c, m, "bad YAML: %s, expected valid YAML", problem);
}

static void config_defaults(struct rg_daemon_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	policy_init_defaults(&cfg->policy);
	snprintf(cfg->metrics_listen, sizeof(cfg->metrics_listen), "%s", RG_DEFAULT_METRICS);
	cfg->log_level = RG_LOG_INFO;
	cfg->detach_on_exit = 0;
	cfg->list_entries = DEFAULT_LIST_ENTRIES;
	cfg->prefixes = DEFAULT_PREFIXES;
}

int config_parse(const char *name, const char *text, size_t len, struct rg_daemon_config *cfg,
		 char *err, size_t errlen)
{
	struct ctx c = { .name = name, .err = err, .errlen = errlen, .cfg = cfg };
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	yaml_node_t *root;
	int ret = -1;

	if (errlen)
		err[0] = '\0';
	config_defaults(cfg);
	if (!yaml_parser_initialize(&parser)) {
		oom(&c);
		goto out;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_fail(&c, &parser, text, len);
		yaml_parser_delete(&parser);
		goto out;
	}
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root) {
		/* Exactly one document: a second one is most likely a mistake. */
		if (!yaml_parser_load(&parser, &extra)) {
			yaml_fail(&c, &parser, text, len);
			goto done;
		}
		if (yaml_document_get_root_node(&extra)) {
			fail_at(&c, extra.start_mark,
				"a second YAML document, expected a single document");
			yaml_document_delete(&extra);
			goto done;
		}
		yaml_document_delete(&extra);
		if (parse_root(&c, root))
			goto done;
	}
	ret = 0;
done:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
out:
	free(c.smeta);
	free(c.lmeta);
	free(c.sidx.slot);
	free(c.lidx.slot);
	if (ret)
		config_free(cfg);
	return ret;
}

int config_load(const char *path, struct rg_daemon_config *cfg, char *err, size_t errlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	FILE *f;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nb;

			/* A full buffer of exactly the limit may still be the whole file. */
			if (cap > CONFIG_MAX_BYTES) {
				snprintf(err, errlen, "%s: file too large, expected at most %u bytes",
					 path, CONFIG_MAX_BYTES);
				goto fail;
			}
			cap = cap ? 2 * cap : 4096;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (len > CONFIG_MAX_BYTES) {
			snprintf(err, errlen, "%s: file too large, expected at most %u bytes", path,
				 CONFIG_MAX_BYTES);
			goto fail;
		}
		if (got == 0) {
			if (ferror(f)) {
				snprintf(err, errlen, "%s: %s", path, strerror(errno));
				goto fail;
			}
			break;
		}
	}
	fclose(f);
	ret = config_parse(path, buf ? buf : "", len, cfg, err, errlen);
	free(buf);
	return ret;
fail:
	fclose(f);
	free(buf);
	return -1;
}

void config_free(struct rg_daemon_config *cfg)
{
	policy_free(&cfg->policy);
	memset(cfg, 0, sizeof(*cfg));
}

const char *attach_mode_name(enum rg_attach_mode m)
{
	switch (m) {
	case RG_ATTACH_AUTO:
		return "auto";
	case RG_ATTACH_NATIVE:
		return "native";
	case RG_ATTACH_SKB:
		return "skb";
	}
	return "unknown";
}
