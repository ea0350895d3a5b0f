// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "dataplane.h"
#include "pins.h"

#ifndef RG_OBJECT_INSTALL_PATH
#define RG_OBJECT_INSTALL_PATH "/usr/local/lib/rtcguard/rtcguard.bpf.o"
#endif

const char *dataplane_default_object(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, len, "%s/rtcguard.bpf.o", exe);
			if (access(buf, R_OK) == 0)
				return buf;
			/* installed layout: <prefix>/bin/rtcguard -> <prefix>/lib/rtcguard/ */
			snprintf(buf, len, "%s/../lib/rtcguard/rtcguard.bpf.o", exe);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	snprintf(buf, len, "%s", RG_OBJECT_INSTALL_PATH);
	return buf;
}

static int silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* Set a `const volatile __u32` of the object before load, found by name in BTF. */
static int set_rodata_u32(struct bpf_object *obj, const char *name, uint32_t value)
{
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata");
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	size_t size;
	char *data;
	int id, i;

	if (!rodata || !btf)
		return -1;
	data = (char *)bpf_map__initial_value(rodata, &size);
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (!data || id < 0)
		return -1;
	sec = btf__type_by_id(btf, (uint32_t)id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, var->name_off), name) == 0 &&
		    vs->size == sizeof(value) && vs->offset + sizeof(value) <= size) {
			memcpy(data + vs->offset, &value, sizeof(value));
			return 0;
		}
	}
	return -1;
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	return m ? bpf_map__fd(m) : -1;
}

/* Refuse a pinned map whose capacity differs from the one asked for. */
static int check_pinned_size(const char *pin, uint32_t want, char *err, size_t errlen)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);
	int fd = bpf_obj_get(pin);

	if (fd < 0)
		return 0; /* not pinned yet: created with the wanted size */
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && want && info.max_entries != want) {
		snprintf(err, errlen,
			 "%s holds up to %u entries but the config asks for %u: resizing a live map "
			 "would lose its entries, refused (keep the old size, or `rtcguard detach --all` "
			 "and remove the pins to start over)",
			 pin, info.max_entries, want);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int bind_pins(struct bpf_object *obj, const struct rg_load_opts *opts, char *err,
		     size_t errlen)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		uint32_t want = 0;
		char pin[512];
		int i, pinned = 0;

		for (i = 0; rg_pinned_maps[i]; i++)
			pinned |= strcmp(rg_pinned_maps[i], name) == 0;
		if (!strcmp(name, "rg_list_v4") || !strcmp(name, "rg_list_v6"))
			want = opts->list_entries;
		else if (!strcmp(name, "rg_scope_v4") || !strcmp(name, "rg_scope_v6"))
			want = opts->prefixes; /* not rg_scope_memo: two entries, one per family */
		if (want && bpf_map__set_max_entries(m, want)) {
			snprintf(err, errlen, "cannot size map %s to %u", name, want);
			return -1;
		}
		if (!pinned || !opts->pin_dir)
			continue;
		snprintf(pin, sizeof(pin), "%s/%s", opts->pin_dir, name);
		if (check_pinned_size(pin, want, err, errlen))
			return -1;
		if (bpf_map__set_pin_path(m, pin)) {
			snprintf(err, errlen, "cannot set pin path %s", pin);
			return -1;
		}
	}
	return 0;
}

struct bpf_object *dataplane_open_object(const char *path, const struct rg_load_opts *opts,
					 char *err, size_t errlen)
{
	struct bpf_object *obj;

	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "cannot read BPF object %s: %s", path, strerror(errno));
		return NULL;
	}
	libbpf_set_print(silent_print);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		snprintf(err, errlen, "cannot open BPF object %s: %s", path, strerror(errno));
		return NULL;
	}
	if (set_rodata_u32(obj, "rg_ifslot", opts->ifslot) ||
	    set_rodata_u32(obj, "rg_record_last", opts->record_last ? 1 : 0)) {
		snprintf(err, errlen, "BPF object %s lacks the rtcguard load-time knobs", path);
		bpf_object__close(obj);
		return NULL;
	}
	if (bind_pins(obj, opts, err, errlen)) {
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

int dataplane_load(struct rg_dataplane *dp, const char *path, const struct rg_load_opts *opts,
		   char *err, size_t errlen)
{
	static const struct rg_load_opts defaults;
	struct bpf_program *prog;
	int e;

	memset(dp, 0, sizeof(*dp));
	dp->obj = dataplane_open_object(path, opts ? opts : &defaults, err, errlen);
	if (!dp->obj)
		return -ENOENT;
	e = bpf_object__load(dp->obj);
	if (e) {
		snprintf(err, errlen, "cannot load BPF object %s: %s%s", path, strerror(-e),
			 e == -EPERM ? " (loading BPF needs root)" : "");
		bpf_object__close(dp->obj);
		dp->obj = NULL;
		return e;
	}
	prog = bpf_object__find_program_by_name(dp->obj, "rtcguard_xdp");
	dp->prog_fd = prog ? bpf_program__fd(prog) : -1;
	dp->config_fd = map_fd(dp->obj, "rg_config");
	dp->scope4_fd = map_fd(dp->obj, "rg_scope_v4");
	dp->scope6_fd = map_fd(dp->obj, "rg_scope_v6");
	dp->list4_fd = map_fd(dp->obj, "rg_list_v4");
	dp->list6_fd = map_fd(dp->obj, "rg_list_v6");
	dp->reflect_fd = map_fd(dp->obj, "rg_reflect");
	dp->stats_fd = map_fd(dp->obj, "rg_stats");
	dp->last_fd = map_fd(dp->obj, "rg_last");
	dp->ifaces_fd = map_fd(dp->obj, "rg_ifaces");
	dp->ports_fd = map_fd(dp->obj, "rg_ports");
	dp->lists_used_fd = map_fd(dp->obj, "rg_lists_used");
	if (dp->prog_fd < 0 || dp->config_fd < 0 || dp->stats_fd < 0) {
		snprintf(err, errlen, "BPF object %s is not an rtcguard object", path);
		dataplane_close(dp);
		return -ENOENT;
	}
	return 0;
}

void dataplane_close(struct rg_dataplane *dp)
{
	if (dp->obj)
		bpf_object__close(dp->obj);
	dp->obj = NULL;
}

static int prefix_key(const struct rg_prefix *p, void *key)
{
	if (p->family == 4) {
		struct rg_lpm_v4 *k = key;

		k->prefixlen = p->len;
		memcpy(k->addr, p->addr, 4);
		return sizeof(*k);
	} else {
		struct rg_lpm_v6 *k = key;

		k->prefixlen = p->len;
		memcpy(k->addr, p->addr, 16);
		return sizeof(*k);
	}
}

int map_for_each_key(int fd, size_t key_size, int (*fn)(const void *key, void *arg), void *arg)
{
	uint8_t key[RG_MAP_KEY_MAX], next[RG_MAP_KEY_MAX];
	void *prev = NULL;
	int r;

	if (key_size > RG_MAP_KEY_MAX)
		return -EINVAL;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		memcpy(key, next, key_size);
		prev = key;
		r = fn(key, arg);
		if (r)
			return r;
	}
	return 0;
}

struct doomed_keys {
	int (*keep)(const void *key, const void *arg);
	const void *arg;
	size_t key_size;
	int n;
	uint8_t keys[256][RG_MAP_KEY_MAX];
};

static int collect_doomed(const void *key, void *arg)
{
	struct doomed_keys *d = arg;

	if (d->keep(key, d->arg))
		return 0;
	if (d->n == 256)
		return 1; /* full: delete these, then walk again */
	memcpy(d->keys[d->n++], key, d->key_size);
	return 0;
}

/* Keys are collected first: deleting while walking would restart the walk. */
int map_delete_unless(int fd, size_t key_size, int (*keep)(const void *key, const void *arg),
		      const void *arg)
{
	struct doomed_keys *d = calloc(1, sizeof(*d));
	int removed = 0, more;

	if (!d)
		return -ENOMEM;
	d->keep = keep;
	d->arg = arg;
	d->key_size = key_size;
	do {
		d->n = 0;
		more = map_for_each_key(fd, key_size, collect_doomed, d);
		if (more < 0) {
			free(d);
			return more;
		}
		for (int i = 0; i < d->n; i++) {
			if (bpf_map_delete_elem(fd, d->keys[i]) && errno != ENOENT) {
				int e = -errno;

				free(d);
				return e;
			}
			removed++;
		}
	} while (more);
	free(d);
	return removed;
}

/*
 * What a prune keeps: the policy's keys of one family, sorted, so each map
 * key costs a binary search (a reload of 60000 list entries was quadratic).
 */
struct prune_ctx {
	int fd;
	size_t key_size;
	size_t nkeys;
	uint8_t (*keys)[RG_MAP_KEY_MAX];
};

/* Keys are held zero-padded to RG_MAP_KEY_MAX, so one comparison serves both families. */
static int cmp_keys(const void *a, const void *b)
{
	return memcmp(a, b, RG_MAP_KEY_MAX);
}

/* Sorted keys of the prefixes (each rule's prefix at byte offset prefix_off) of one family. */
static int prune_ctx_init(struct prune_ctx *c, int fd, int family, const void *rules, size_t n,
			  size_t rule_size, size_t prefix_off)
{
	c->fd = fd;
	c->key_size = family == 4 ? sizeof(struct rg_lpm_v4) : sizeof(struct rg_lpm_v6);
	c->nkeys = 0;
	c->keys = calloc(n ? n : 1, sizeof(*c->keys));
	if (!c->keys)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct rg_prefix *p =
			(const void *)((const uint8_t *)rules + i * rule_size + prefix_off);

		if (p->family == family)
			prefix_key(p, c->keys[c->nkeys++]);
	}
	qsort(c->keys, c->nkeys, sizeof(*c->keys), cmp_keys);
	return 0;
}

static int policy_has_key(const struct prune_ctx *c, const void *key)
{
	uint8_t k[RG_MAP_KEY_MAX] = { 0 };

	memcpy(k, key, c->key_size);
	return bsearch(k, c->keys, c->nkeys, sizeof(*c->keys), cmp_keys) != NULL;
}

static int keep_scope(const void *key, const void *arg)
{
	return policy_has_key(arg, key);
}

/* Keep runtime entries, and config entries the policy still has. */
static int keep_list(const void *key, const void *arg)
{
	const struct prune_ctx *c = arg;
	struct rg_list_entry e;

	if (bpf_map_lookup_elem(c->fd, key, &e) || e.origin != RG_ORIGIN_CONFIG)
		return 1;
	return policy_has_key(c, key);
}

/* Delete what keep() rejects from a family's map; rules are the policy's scopes or lists. */
static int prune(int fd, int family, const void *rules, size_t n, size_t rule_size,
		 size_t prefix_off, int (*keep)(const void *key, const void *arg))
{
	struct prune_ctx c;
	int e = prune_ctx_init(&c, fd, family, rules, n, rule_size, prefix_off);

	if (e)
		return e;
	e = map_delete_unless(fd, c.key_size, keep, &c);
	free(c.keys);
	return e < 0 ? e : 0;
}

int dataplane_sync_lists_used(struct rg_dataplane *dp)
{
	uint8_t key[sizeof(struct rg_lpm_v6)];
	uint32_t zero = 0, used = 0;

	if (bpf_map_get_next_key(dp->list4_fd, NULL, key) == 0)
		used |= RG_LISTS_USED_V4;
	if (bpf_map_get_next_key(dp->list6_fd, NULL, key) == 0)
		used |= RG_LISTS_USED_V6;
	return bpf_map_update_elem(dp->lists_used_fd, &zero, &used, BPF_ANY) ? -errno : 0;
}

/* The union of every scope's port ranges, for the program's pre-filter. */
static void protected_ports(const struct rg_policy *pol, uint64_t *bits)
{
	memset(bits, 0, RG_REFLECT_WORDS * sizeof(*bits));
	for (size_t i = 0; i < pol->nscopes; i++) {
		const struct rg_scope *sc = &pol->scopes[i].scope;

		for (uint32_t r = 0; r < sc->nranges && r < RG_MAX_PORT_RANGES; r++)
			for (uint32_t port = sc->range[r].lo; port <= sc->range[r].hi; port++)
				bits[port >> 6] |= 1ull << (port & 63);
	}
}

/* Config list entries: stale ones out first (freeing room), then the policy's in. */
static int apply_lists(struct rg_dataplane *dp, const struct rg_policy *pol)
{
	for (int fam = 4; fam <= 6; fam += 2) {
		int e = prune(fam == 4 ? dp->list4_fd : dp->list6_fd, fam, pol->lists, pol->nlists,
			      sizeof(*pol->lists), offsetof(struct rg_list_rule, src), keep_list);

		if (e)
			return e;
	}
	for (size_t i = 0; i < pol->nlists; i++) {
		uint8_t k[sizeof(struct rg_lpm_v6)] = { 0 };
		const struct rg_list_rule *r = &pol->lists[i];
		int fd = r->src.family == 4 ? dp->list4_fd : dp->list6_fd;
		struct rg_list_entry cur;

		prefix_key(&r->src, k);
		/* A runtime entry on the same prefix is the operator's later word: it stays. */
		if (r->entry.origin == RG_ORIGIN_CONFIG && bpf_map_lookup_elem(fd, k, &cur) == 0 &&
		    cur.origin == RG_ORIGIN_RUNTIME)
			continue;
		if (bpf_map_update_elem(fd, k, &r->entry, BPF_ANY))
			return -errno;
	}
	return dataplane_sync_lists_used(dp);
}

/* Scopes: new ones in, then the port pre-filter that points into them, then stale ones out. */
static int apply_scopes(struct rg_dataplane *dp, const struct rg_policy *pol)
{
	uint64_t ports[RG_REFLECT_WORDS];
	uint32_t w;

	for (size_t i = 0; i < pol->nscopes; i++) {
		uint8_t k[sizeof(struct rg_lpm_v6)] = { 0 };
		const struct rg_scope_rule *r = &pol->scopes[i];

		prefix_key(&r->dst, k);
		if (bpf_map_update_elem(r->dst.family == 4 ? dp->scope4_fd : dp->scope6_fd, k,
					&r->scope, BPF_ANY))
			return -errno;
	}
	protected_ports(pol, ports);
	for (w = 0; w < RG_REFLECT_WORDS; w++)
		if (bpf_map_update_elem(dp->ports_fd, &w, &ports[w], BPF_ANY))
			return -errno;
	for (int fam = 4; fam <= 6; fam += 2) {
		int e = prune(fam == 4 ? dp->scope4_fd : dp->scope6_fd, fam, pol->scopes, pol->nscopes,
			      sizeof(*pol->scopes), offsetof(struct rg_scope_rule, dst), keep_scope);

		if (e)
			return e;
	}
	return 0;
}

int dataplane_apply(struct rg_dataplane *dp, const struct rg_policy *pol)
{
	struct rg_config cfg = pol->config, cur;
	uint32_t zero = 0, w;
	int e;

	/* The bypass switch is runtime state (rtcguard bypass): never reset by config. */
	if (bpf_map_lookup_elem(dp->config_fd, &zero, &cur) == 0 &&
	    cur.layout_version == RG_LAYOUT_VERSION) {
		cfg.bypass = cur.bypass;
		cfg.scope_generation = cur.scope_generation;
	}
	/* Lists first: the one step that can run out of room fails before scopes change. */
	e = apply_lists(dp, pol);
	if (e)
		return e;
	if (bpf_map_update_elem(dp->config_fd, &zero, &cfg, BPF_ANY))
		return -errno;
	for (w = 0; w < RG_REFLECT_WORDS; w++)
		if (bpf_map_update_elem(dp->reflect_fd, &w, &pol->reflect[w], BPF_ANY))
			return -errno;
	e = apply_scopes(dp, pol);
	if (e)
		return e;
	/* Last: the programs' scope memos are stale from here on. */
	if (bpf_map_lookup_elem(dp->config_fd, &zero, &cur))
		return -errno;
	cur.scope_generation++;
	return bpf_map_update_elem(dp->config_fd, &zero, &cur, BPF_ANY) ? -errno : 0;
}

/*
 * The largest frame the program sees whole under BPF_PROG_TEST_RUN.  The
 * kernel takes up to 64 KiB but keeps only one page less head- and tailroom
 * linear, the rest in fragments this program cannot read; data_end of the
 * context it hands back says where the linear part ends.  Probed once.
 */
size_t dataplane_max_test_frame(struct rg_dataplane *dp)
{
	static uint8_t zeros[16384];
	struct xdp_md ctx_in = { .data_end = sizeof(zeros) }, ctx_out = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = zeros, .data_size_in = sizeof(zeros),
		    .ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in), .ctx_out = &ctx_out,
		    .ctx_size_out = sizeof(ctx_out), .repeat = 1);

	if (dp->max_test_frame)
		return dp->max_test_frame;
	if (bpf_prog_test_run_opts(dp->prog_fd, &o) == 0 && ctx_out.data_end > ctx_out.data)
		dp->max_test_frame = ctx_out.data_end - ctx_out.data;
	else
		dp->max_test_frame = 1500; /* conservative: any kernel takes one MTU */
	return dp->max_test_frame;
}

int dataplane_test_run(struct rg_dataplane *dp, const void *frame, size_t len, uint32_t repeat,
		       uint32_t *xdp_ret, uint32_t *duration_ns, struct rg_judgement *j)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (uint32_t)len,
		    .repeat = repeat);
	uint32_t zero = 0;
	int e;

	/* The kernel refuses frames shorter than an Ethernet header, and reads no further than a page. */
	if (len < 14 || len > dataplane_max_test_frame(dp))
		return -EMSGSIZE;
	e = bpf_prog_test_run_opts(dp->prog_fd, &o);
	if (e)
		return -errno;
	*xdp_ret = o.retval;
	if (duration_ns)
		*duration_ns = o.duration;
	if (j && bpf_map_lookup_elem(dp->last_fd, &zero, j))
		return -errno;
	return 0;
}

int dataplane_read_counter(struct rg_dataplane *dp, uint32_t ifslot, uint32_t slot,
			   struct rg_counter *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	uint32_t idx = ifslot * RG_SLOTS_PER_IFACE + slot;
	struct rg_counter *per;
	int i;

	if (ncpu < 1)
		return -EINVAL;
	per = calloc((size_t)ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	if (bpf_map_lookup_elem(dp->stats_fd, &idx, per)) {
		int e = -errno;

		free(per);
		return e;
	}
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < ncpu; i++) {
		sum->packets += per[i].packets;
		sum->bytes += per[i].bytes;
	}
	free(per);
	return 0;
}
