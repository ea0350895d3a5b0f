// SPDX-License-Identifier: GPL-2.0
/* What rtcguardd shows on /metrics: a snapshot of interfaces, counters, maps and lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "daemon.h"
#include "metrics.h"

#ifndef RG_VERSION
#define RG_VERSION "dev"
#endif

static const char *const origins[] = { [RG_ORIGIN_CONFIG] = "config", [RG_ORIGIN_RUNTIME] = "runtime" };
static const char *const actions[] = { [RG_LIST_DENY] = "deny", [RG_LIST_ALLOW] = "allow" };

struct list_count {
	int fd;
	uint64_t n[3][3]; /* [action][origin] */
	uint64_t total;
};

static int count_entry(const void *key, void *arg)
{
	struct list_count *c = arg;
	struct rg_list_entry e;

	c->total++;
	if (c->fd >= 0 && bpf_map_lookup_elem(c->fd, key, &e) == 0 && e.action < 3 && e.origin < 3)
		c->n[e.action][e.origin]++;
	return 0;
}

static void count_list(int fd, size_t key_size, struct list_count *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	map_for_each_key(fd, key_size, count_entry, c);
}

static uint64_t count_keys(int fd, size_t key_size)
{
	struct list_count c = { .fd = -1 };

	map_for_each_key(fd, key_size, count_entry, &c);
	return c.total;
}

int daemon_metrics_collect(void *arg, struct rg_metrics_snapshot *s)
{
	struct rg_daemon *d = arg;
	struct list_count lc[2];
	uint32_t zero = 0;
	struct rg_config cfg;
	size_t i, k = 0;
	int fam;

	memset(s, 0, sizeof(*s));
	s->version = RG_VERSION;
	s->start_time_seconds = (double)d->started;
	if (bpf_map_lookup_elem(d->dp.config_fd, &zero, &cfg) == 0)
		s->bypass = cfg.bypass != 0;
	s->ifaces = calloc(RG_MAX_IFACES, sizeof(*s->ifaces));
	s->maps = calloc(4, sizeof(*s->maps));
	s->lists = calloc(8, sizeof(*s->lists));
	if (!s->ifaces || !s->maps || !s->lists)
		return -1;
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nifaces; i++) {
		const struct rg_iface_state *st = &d->ifaces[i];
		struct rg_metrics_iface *m = &s->ifaces[s->nifaces++];
		uint32_t slot;

		snprintf(m->name, sizeof(m->name), "%s", st->name);
		m->ifindex = (uint32_t)st->ifindex;
		m->attached = st->att.prog_id != 0;
		m->attach_mode = xdp_mode_name(st->att.mode);
		m->attach_kind = st->att.dispatcher ? "dispatcher" : "single";
		m->prog_id = st->att.prog_id;
		for (slot = 0; slot < RG_SLOTS_PER_IFACE; slot++)
			dataplane_read_counter(&d->dp, st->ifslot, slot, &m->slots[slot]);
	}
	pthread_mutex_unlock(&d->lock);

	count_list(d->dp.list4_fd, sizeof(struct rg_lpm_v4), &lc[0]);
	count_list(d->dp.list6_fd, sizeof(struct rg_lpm_v6), &lc[1]);
	s->maps[0] = (struct rg_metrics_map){ "rg_list_v4", lc[0].total, d->cfg.list_entries };
	s->maps[1] = (struct rg_metrics_map){ "rg_list_v6", lc[1].total, d->cfg.list_entries };
	s->maps[2] = (struct rg_metrics_map){ "rg_scope_v4", count_keys(d->dp.scope4_fd, sizeof(struct rg_lpm_v4)),
					      d->cfg.prefixes };
	s->maps[3] = (struct rg_metrics_map){ "rg_scope_v6", count_keys(d->dp.scope6_fd, sizeof(struct rg_lpm_v6)),
					      d->cfg.prefixes };
	s->nmaps = 4;
	for (fam = 0; fam < 2; fam++)
		for (int a = RG_LIST_DENY; a <= RG_LIST_ALLOW; a++)
			for (int o = RG_ORIGIN_CONFIG; o <= RG_ORIGIN_RUNTIME; o++)
				s->lists[k++] = (struct rg_metrics_list){ actions[a], origins[o],
									  fam ? "ipv6" : "ipv4",
									  lc[fam].n[a][o] };
	s->nlists = k;
	return 0;
}

void daemon_metrics_release(void *arg, struct rg_metrics_snapshot *s)
{
	(void)arg;
	free(s->ifaces);
	free(s->maps);
	free(s->lists);
	memset(s, 0, sizeof(*s));
}
