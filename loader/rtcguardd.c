// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguardd: loads rtcguard's XDP program, attaches it to the configured
 * interfaces, owns the pinned maps (the single writer), and serves the
 * control socket and the Prometheus endpoint.  When it stops, the program
 * stays attached with its pinned state (fail-static); a restart adopts it.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>

#include "clock.h"
#include "daemon.h"
#include "metrics.h"
#include "pins.h"

#ifndef RG_VERSION
#define RG_VERSION "dev"
#endif

enum rg_log_level rg_log_level = RG_LOG_INFO;

void rg_log(enum rg_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	char ts[32];
	struct tm tm;
	time_t now;
	va_list ap;

	if (level > rg_log_level)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s rtcguardd %s: ", ts, names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char usage_text[] =
	"Usage: rtcguardd [-c FILE] [--object PATH]\n"
	"\n"
	"Attach rtcguard's XDP program to the interfaces of the config and keep it\n"
	"in line with the config: pinned maps under /sys/fs/bpf/rtcguard, control\n"
	"socket /run/rtcguard/control.sock, Prometheus metrics (127.0.0.1:9478 by\n"
	"default).  SIGHUP reloads the config.  On exit the program stays attached\n"
	"(fail-static) unless the config says detach_on_exit: true.\n"
	"\n"
	"  -c, --config FILE  config file (default " RG_DEFAULT_CONFIG ")\n"
	"      --object PATH  BPF object (default: next to this binary, else installed)\n"
	"  -h, --help         this help\n"
	"  -V, --version      print the version\n";

static int config_names(const struct rg_daemon_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nifaces; i++)
		if (!strncmp(cfg->ifaces[i].name, name, sizeof(cfg->ifaces[i].name)))
			return 1;
	return 0;
}

/* Zero a counter block that passes to another interface. */
static void clear_counters(struct rg_daemon *d, uint32_t slot)
{
	int ncpu = libbpf_num_possible_cpus();
	struct rg_counter *zeros = calloc((size_t)(ncpu > 0 ? ncpu : 1), sizeof(*zeros));

	for (uint32_t i = 0; zeros && i < RG_SLOTS_PER_IFACE; i++) {
		uint32_t idx = slot * RG_SLOTS_PER_IFACE + i;

		bpf_map_update_elem(d->dp.stats_fd, &idx, zeros, BPF_ANY);
	}
	free(zeros);
}

/*
 * The counter block of an interface: its own from before (counters carry
 * on), else one that is free or belongs to an interface this config no
 * longer names.  The config holds at most RG_MAX_IFACES names, so one is
 * always found.
 */
static uint32_t slot_for(struct rg_daemon *d, const struct rg_daemon_config *cfg, const char *name)
{
	struct rg_iface_rec rec;
	uint32_t i, spare = UINT32_MAX;

	for (i = 0; i < RG_MAX_IFACES; i++) {
		if (bpf_map_lookup_elem(d->dp.ifaces_fd, &i, &rec))
			continue;
		if (!strncmp(rec.name, name, sizeof(rec.name)))
			return i;
		if (spare == UINT32_MAX && (!rec.name[0] || !config_names(cfg, rec.name)))
			spare = i;
	}
	if (spare != UINT32_MAX)
		clear_counters(d, spare);
	return spare;
}

static void record_iface(struct rg_daemon *d, const struct rg_iface_state *s)
{
	struct rg_iface_rec rec = { 0 };

	snprintf(rec.name, sizeof(rec.name), "%s", s->name);
	rec.ifindex = (uint32_t)s->ifindex;
	rec.prog_id = s->att.prog_id;
	rec.mode = (uint8_t)s->att.mode;
	rec.dispatcher = (uint8_t)s->att.dispatcher;
	bpf_map_update_elem(d->dp.ifaces_fd, &s->ifslot, &rec, BPF_ANY);
}

int daemon_attach_iface(struct rg_daemon *d, struct rg_iface_state *s, char *err, size_t errlen)
{
	struct rg_load_opts opts = {
		.ifslot = s->ifslot,
		.pin_dir = pins_dir(),
		.list_entries = d->cfg.list_entries,
		.prefixes = d->cfg.prefixes,
	};
	int ifindex = (int)if_nametoindex(s->name), found, rc = 0;

	if (!ifindex) {
		if (s->ifindex || s->att.prog_id)
			rg_log(RG_LOG_WARN, "interface %s is gone; will re-attach when it returns", s->name);
		else
			rg_log(RG_LOG_WARN, "interface %s is absent; will attach when it appears", s->name);
		s->ifindex = 0;
		memset(&s->att, 0, sizeof(s->att));
		record_iface(d, s);
		return 0;
	}
	s->ifindex = ifindex;
	found = attach_find(ifindex, d->stats_map_id, &s->att);
	if (found == 1) {
		rg_log(d->reloading ? RG_LOG_DEBUG : RG_LOG_INFO,
		       "adopted rtcguard on %s (program %u, %s, %s)", s->name, s->att.prog_id,
		       xdp_mode_name(s->att.mode), s->att.dispatcher ? "dispatcher" : "single program");
	} else if (attach_new(d->object_path, &opts, ifindex, s->want, &s->att, err, errlen)) {
		rg_log(RG_LOG_ERROR, "cannot attach to %s: %s", s->name, err);
		memset(&s->att, 0, sizeof(s->att));
		rc = -1;
	} else {
		rg_log(RG_LOG_INFO, "attached rtcguard to %s (program %u, %s, %s)", s->name,
		       s->att.prog_id, xdp_mode_name(s->att.mode),
		       s->att.dispatcher ? "dispatcher"
					 : "single program: libxdp's fallback where the dispatcher is refused");
	}
	record_iface(d, s);
	return rc;
}

static int setup_ifaces(struct rg_daemon *d, const struct rg_daemon_config *cfg, char *err,
			size_t errlen)
{
	size_t i;

	d->nifaces = 0;
	for (i = 0; i < cfg->nifaces; i++) {
		struct rg_iface_state *s = &d->ifaces[d->nifaces];
		uint32_t slot = slot_for(d, cfg, cfg->ifaces[i].name);

		if (slot == UINT32_MAX) {
			snprintf(err, errlen, "no free counter block for %s (at most %d interfaces)",
				 cfg->ifaces[i].name, RG_MAX_IFACES);
			return -1;
		}
		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "%s", cfg->ifaces[i].name);
		s->ifslot = slot;
		s->want = cfg->ifaces[i].mode == RG_ATTACH_NATIVE ? RG_MODE_NATIVE
			  : cfg->ifaces[i].mode == RG_ATTACH_SKB  ? RG_MODE_SKB
								    : RG_MODE_NONE;
		record_iface(d, s);
		d->nifaces++;
	}
	return 0;
}

int daemon_metrics_listen(struct rg_daemon *d, const char *listen, char *err, size_t errlen)
{
	struct rg_metrics_server *next = NULL;

	if (*listen) {
		next = metrics_server_start(listen, daemon_metrics_collect, daemon_metrics_release, d,
					    err, errlen);
		if (!next)
			return -1;
		rg_log(RG_LOG_INFO, "serving metrics on http://%s/metrics", listen);
	}
	if (d->metrics)
		metrics_server_stop(d->metrics);
	d->metrics = next;
	return 0;
}

/* Detach and forget interfaces the next config no longer names. */
static void drop_unconfigured(struct rg_daemon *d, const struct rg_daemon_config *next)
{
	for (size_t i = 0; i < d->nifaces; i++) {
		struct rg_iface_state *s = &d->ifaces[i];
		struct rg_iface_rec gone = { 0 };
		char derr[256];
		int kept = 0;

		for (size_t j = 0; j < next->nifaces; j++)
			kept |= !strcmp(s->name, next->ifaces[j].name);
		if (kept)
			continue;
		if (s->ifindex && attach_remove(s->ifindex, d->stats_map_id, derr, sizeof(derr)) < 0)
			rg_log(RG_LOG_ERROR, "cannot detach from %s: %s", s->name, derr);
		else
			rg_log(RG_LOG_INFO, "detached from %s (no longer configured)", s->name);
		bpf_map_update_elem(d->dp.ifaces_fd, &s->ifslot, &gone, BPF_ANY);
	}
}

static int reload(struct rg_daemon *d, char *err, size_t errlen)
{
	struct rg_daemon_config next;
	int changed_listen, rc = 0, e;
	char aerr[512];

	if (config_load(d->config_path, &next, err, errlen))
		return -1;
	if (next.list_entries != d->cfg.list_entries || next.prefixes != d->cfg.prefixes) {
		snprintf(err, errlen,
			 "%s: maps.list_entries/maps.prefixes changed (%u/%u -> %u/%u): resizing live "
			 "maps would lose their entries; to resize, stop rtcguardd, run `rtcguard detach "
			 "--all`, remove %s, and start rtcguardd again (counters and runtime entries "
			 "start over)",
			 d->config_path, d->cfg.list_entries, d->cfg.prefixes, next.list_entries,
			 next.prefixes, pins_dir());
		config_free(&next);
		return -1;
	}
	changed_listen = strcmp(next.metrics_listen, d->cfg.metrics_listen) != 0;
	if (changed_listen && daemon_metrics_listen(d, next.metrics_listen, err, errlen)) {
		config_free(&next);
		return -1;
	}
	e = dataplane_apply(&d->dp, &next.policy);
	if (e) {
		int back = dataplane_apply(&d->dp, &d->cfg.policy);

		snprintf(err, errlen, "cannot write the maps: %s%s; %s",
			 e == -ENOSPC || e == -E2BIG ? "the source lists are full (maps.list_entries)"
						     : strerror(-e),
			 e == -ENOSPC || e == -E2BIG ? " counting runtime entries" : "",
			 back ? "writing the running config back failed too" : "the running config is back");
		if (changed_listen)
			daemon_metrics_listen(d, d->cfg.metrics_listen, aerr, sizeof(aerr));
		config_free(&next);
		return -1;
	}
	pthread_mutex_lock(&d->lock);
	drop_unconfigured(d, &next);
	config_free(&d->cfg);
	d->cfg = next;
	rg_log_level = d->cfg.log_level;
	if (setup_ifaces(d, &d->cfg, err, errlen)) {
		pthread_mutex_unlock(&d->lock);
		return 1;
	}
	d->reloading = 1;
	for (size_t i = 0; i < d->nifaces; i++) {
		if (daemon_attach_iface(d, &d->ifaces[i], aerr, sizeof(aerr)) && rc == 0) {
			snprintf(err, errlen, "config applied, but cannot attach to %s: %s",
				 d->ifaces[i].name, aerr);
			rc = 1;
		}
	}
	d->reloading = 0;
	pthread_mutex_unlock(&d->lock);
	return rc;
}

int daemon_reload(struct rg_daemon *d, char *err, size_t errlen)
{
	int r = reload(d, err, errlen);

	if (r < 0)
		rg_log(RG_LOG_ERROR, "reload refused, running state kept: %s", err);
	else if (r > 0)
		rg_log(RG_LOG_WARN, "reloaded %s: %s", d->config_path, err);
	else
		rg_log(RG_LOG_INFO, "reloaded %s", d->config_path);
	return r;
}

struct expiry {
	int fd;
	uint64_t now;
};

static int not_expired(const void *key, const void *arg)
{
	const struct expiry *x = arg;
	struct rg_list_entry e;

	return bpf_map_lookup_elem(x->fd, key, &e) || !e.expires_ns || e.expires_ns > x->now;
}

static int expire_map(int fd, size_t key_size, uint64_t now)
{
	struct expiry x = { .fd = fd, .now = now };
	int n = map_delete_unless(fd, key_size, not_expired, &x);

	return n < 0 ? 0 : n;
}

int daemon_expire(struct rg_daemon *d)
{
	uint64_t now = rg_monotonic_ns();
	int n = expire_map(d->dp.list4_fd, sizeof(struct rg_lpm_v4), now) +
		expire_map(d->dp.list6_fd, sizeof(struct rg_lpm_v6), now);

	if (n) {
		dataplane_sync_lists_used(&d->dp);
		rg_log(RG_LOG_INFO, "expired %d list entr%s", n, n == 1 ? "y" : "ies");
	}
	return n;
}

static int ensure_dir(const char *path, mode_t mode, char *err, size_t errlen)
{
	if (mkdir(path, mode) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Is the directory path (or, before it exists, its parent) on bpffs? */
static int on_bpffs(const char *path)
{
	char parent[512], *slash;
	struct statfs st;

	if (statfs(path, &st) == 0)
		return st.f_type == BPF_FS_MAGIC;
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	return statfs(parent, &st) == 0 && st.f_type == BPF_FS_MAGIC;
}

/* Load the object once, unattached, to create or reuse the pins and hold map handles. */
static int open_pins(struct rg_daemon *d, char *err, size_t errlen)
{
	struct rg_load_opts opts = {
		.pin_dir = pins_dir(),
		.list_entries = d->cfg.list_entries,
		.prefixes = d->cfg.prefixes,
	};
	int exists, i;

	if (!on_bpffs(pins_dir())) {
		snprintf(err, errlen,
			 "%s is not on a bpf filesystem: mount it (mount -t bpf bpf /sys/fs/bpf); in a "
			 "network namespace use nsenter --net=..., since `ip netns exec` remounts /sys",
			 pins_dir());
		return -1;
	}
	if (pins_check_layout(&exists, err, errlen))
		return -1;
	if (ensure_dir(pins_dir(), 0700, err, errlen))
		return -1;
	/* One daemon per pin directory, whatever control socket it was given. */
	d->pin_lock = open(pins_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->pin_lock < 0 || flock(d->pin_lock, LOCK_EX | LOCK_NB)) {
		snprintf(err, errlen, "another rtcguardd holds the pinned state at %s", pins_dir());
		return -1;
	}
	if (dataplane_load(&d->dp, d->object_path, &opts, err, errlen))
		return -1;
	for (i = 0; rg_pinned_maps[i]; i++) {
		char pin[512];

		snprintf(pin, sizeof(pin), "%s/%s", pins_dir(), rg_pinned_maps[i]);
		chmod(pin, 0600);
	}
	d->stats_map_id = map_id_of_fd(d->dp.stats_fd);
	rg_log(RG_LOG_INFO, "%s pinned maps under %s", exists ? "adopted" : "created", pins_dir());
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "object", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },	    { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct rg_daemon d;
	struct mnl_socket *nl = NULL;
	char err[1024], objbuf[4096];
	int c, ctl_fd, sig_fd, rc = 1;
	sigset_t sigs;
	size_t i;

	d.config_path = RG_DEFAULT_CONFIG;
	while ((c = getopt_long(argc, argv, "c:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'o':
			d.object_path = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("rtcguardd %s\n", RG_VERSION);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rtcguardd: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!d.object_path)
		d.object_path = dataplane_default_object(objbuf, sizeof(objbuf));
	if (config_load(d.config_path, &d.cfg, err, sizeof(err))) {
		fprintf(stderr, "rtcguardd: %s\n", err);
		return 1;
	}
	rg_log_level = d.cfg.log_level;
	pthread_mutex_init(&d.lock, NULL);
	d.started = time(NULL);
	/* First, so a second daemon stops before it touches maps or interfaces. */
	ctl_fd = control_open(pins_control_socket(), err, sizeof(err));
	if (ctl_fd < 0) {
		rg_log(RG_LOG_ERROR, "%s", err);
		config_free(&d.cfg);
		return 1;
	}

	err[0] = '\0';
	if (open_pins(&d, err, sizeof(err)) || dataplane_apply(&d.dp, &d.cfg.policy) ||
	    setup_ifaces(&d, &d.cfg, err, sizeof(err))) {
		rg_log(RG_LOG_ERROR, "%s", *err ? err : "cannot write the maps");
		goto out_ctl;
	}
	for (i = 0; i < d.nifaces; i++)
		daemon_attach_iface(&d, &d.ifaces[i], err, sizeof(err));

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	nl = linkwatch_open(err, sizeof(err));
	if (!nl)
		rg_log(RG_LOG_WARN, "link watching off: %s", err);
	if (daemon_metrics_listen(&d, d.cfg.metrics_listen, err, sizeof(err))) {
		rg_log(RG_LOG_ERROR, "%s", err);
		goto out_ctl;
	}
	rg_log(RG_LOG_INFO, "running (config %s, object %s)", d.config_path, d.object_path);

	while (!d.stopping) {
		struct pollfd pfd[3 + 128] = {
			{ .fd = sig_fd, .events = POLLIN },
			{ .fd = ctl_fd, .events = POLLIN },
			{ .fd = nl ? linkwatch_fd(nl) : -1, .events = POLLIN },
		};
		int nclients = control_pollfds(pfd + 3, 128);

		/* With clients waiting, wake often enough to cut off slow ones. */
		if (poll(pfd, (nfds_t)(3 + nclients), nclients ? 200 : 1000) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP)
					daemon_reload(&d, err, sizeof(err));
				else
					d.stopping = 1;
			}
		}
		if (pfd[1].revents & POLLIN)
			control_accept(ctl_fd);
		control_service(&d);
		if (nl && (pfd[2].revents & POLLIN))
			linkwatch_handle(&d, nl);
		daemon_expire(&d);
	}
	rc = 0;
	if (d.cfg.detach_on_exit) {
		for (i = 0; i < d.nifaces; i++)
			if (d.ifaces[i].ifindex &&
			    attach_remove(d.ifaces[i].ifindex, d.stats_map_id, err, sizeof(err)) > 0)
				rg_log(RG_LOG_INFO, "detached from %s (detach_on_exit)", d.ifaces[i].name);
	} else {
		rg_log(RG_LOG_INFO, "stopping; rtcguard stays attached with its pinned state (fail-static)");
	}
	if (d.metrics)
		metrics_server_stop(d.metrics);
out_ctl:
	close(ctl_fd);
	unlink(pins_control_socket());
	if (nl)
		mnl_socket_close(nl);
	dataplane_close(&d.dp);
	config_free(&d.cfg);
	return rc;
}
