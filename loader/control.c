// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: one JSON request per connection, one JSON answer.
 * The daemon stays the single writer of the maps; the CLI asks it here.
 *   {"cmd":"list-add","action":"deny","prefix":"198.51.100.0/24","ttl_ns":30000000000}
 *   {"cmd":"list-del","action":"allow","prefix":"2001:db8::/32"}
 *   {"cmd":"reload"}   {"cmd":"status"}
 * Answers: {"ok":true,...} or {"ok":false,"error":"one line"}.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <poll.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <json-c/json.h>

#include "clock.h"
#include "args.h"
#include "daemon.h"
#include "pins.h"

#ifndef RG_VERSION
#define RG_VERSION "dev"
#endif

int control_open(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct group *grp;
	char dir[sizeof(sa.sun_path)], *slash;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "control socket path too long: %s", path);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "control socket: %s", strerror(errno));
		return -1;
	}
	/* A socket that answers belongs to a live daemon; one that does not is stale. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno == EAGAIN) {
		snprintf(err, errlen, "another rtcguardd is running (it answers on %s)", path);
		close(fd);
		return -1;
	}
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "control socket: %s", strerror(errno));
		return -1;
	}
	unlink(path); /* a stale socket of a dead daemon */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64)) {
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	grp = getgrnam("rtcguard");
	if (grp && chown(path, 0, grp->gr_gid))
		rg_log(RG_LOG_WARN, "cannot give %s to group rtcguard: %s", path, strerror(errno));
	chmod(path, 0660);
	return fd;
}

static json_object *fail(const char *fmt, const char *arg)
{
	json_object *o = json_object_new_object();
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	return o;
}

static json_object *ok(void)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(1));
	return o;
}

static const char *str_field(json_object *req, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(req, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

static json_object *list_change(struct rg_daemon *d, json_object *req, int add)
{
	const char *action = str_field(req, "action"), *prefix = str_field(req, "prefix");
	uint8_t key[sizeof(struct rg_lpm_v6)] = { 0 };
	struct rg_list_entry e = { 0 }, cur;
	struct rg_prefix p;
	json_object *ttl;
	char err[256];
	int fd;

	if (!action || (strcmp(action, "deny") && strcmp(action, "allow")))
		return fail("bad request: action must be deny or allow%s", "");
	if (!prefix || parse_cidr(prefix, &p, err, sizeof(err)))
		return fail("%s", prefix ? err : "bad request: prefix missing");
	fd = p.family == 4 ? d->dp.list4_fd : d->dp.list6_fd;
	((struct rg_lpm_v4 *)key)->prefixlen = p.len;
	memcpy(key + 4, p.addr, p.family == 4 ? 4 : 16);
	if (!add) {
		if (bpf_map_lookup_elem(fd, key, &cur))
			return fail("no %s entry for that prefix", action);
		if (cur.action != (strcmp(action, "deny") ? RG_LIST_ALLOW : RG_LIST_DENY))
			return fail("that prefix is not on the %s list", action);
		if (cur.origin == RG_ORIGIN_CONFIG)
			return fail("%s is from the config file: edit it and reload", prefix);
		if (bpf_map_delete_elem(fd, key))
			return fail("cannot delete: %s", strerror(errno));
		/* A config entry the runtime one shadowed comes back; nothing else is touched. */
		for (size_t i = 0; i < d->cfg.policy.nlists; i++) {
			const struct rg_list_rule *r = &d->cfg.policy.lists[i];

			if (r->src.family == p.family && r->src.len == p.len &&
			    !memcmp(r->src.addr, p.addr, sizeof(p.addr))) {
				bpf_map_update_elem(fd, key, &r->entry, BPF_ANY);
				break;
			}
		}
		dataplane_sync_lists_used(&d->dp);
		rg_log(RG_LOG_INFO, "%s del %s (runtime)", action, prefix);
		return ok();
	}
	e.action = strcmp(action, "deny") ? RG_LIST_ALLOW : RG_LIST_DENY;
	e.origin = RG_ORIGIN_RUNTIME;
	/* One prefix, one word: moving it between lists is a del and an add, on purpose. */
	if (bpf_map_lookup_elem(fd, key, &cur) == 0 && cur.action != e.action)
		return fail(cur.action == RG_LIST_DENY ? "%s is on the deny list: `rtcguard deny del` it first"
						       : "%s is on the allow list: `rtcguard allow del` it first",
			    prefix);
	if (json_object_object_get_ex(req, "ttl_ns", &ttl)) {
		int64_t t = json_object_get_int64(ttl);

		if (!json_object_is_type(ttl, json_type_int) || t <= 0 || t == INT64_MAX)
			return fail("bad request: ttl_ns must be a positive integer below 2^63%s", "");
		e.expires_ns = rg_monotonic_ns() + (uint64_t)t;
	}
	if (bpf_map_update_elem(fd, key, &e, BPF_ANY)) {
		if (errno == E2BIG || errno == ENOSPC || errno == ENOMEM)
			return fail("the source list is full (maps.list_entries): %s not added", prefix);
		return fail("cannot add: %s", strerror(errno));
	}
	dataplane_sync_lists_used(&d->dp);
	rg_log(RG_LOG_INFO, "%s add %s (runtime%s)", action, prefix, e.expires_ns ? ", with expiry" : "");
	return ok();
}

static json_object *status(struct rg_daemon *d)
{
	json_object *o = ok();

	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "version", json_object_new_string(RG_VERSION));
	json_object_object_add(o, "config", json_object_new_string(d->config_path));
	json_object_object_add(o, "uptime_seconds",
			       json_object_new_int64((int64_t)(time(NULL) - d->started)));
	return o;
}

/* The CLI's emergency writes bypass the daemon; it tells so afterwards, for the log. */
static json_object *note(struct rg_daemon *d, json_object *req)
{
	const char *event = str_field(req, "event");
	char safe[128];
	size_t i;

	if (!event)
		return fail("bad request: event missing%s", "");
	for (i = 0; event[i] && i < sizeof(safe) - 1; i++)
		safe[i] = (event[i] >= 0x20 && event[i] < 0x7f) ? event[i] : '?';
	safe[i] = '\0';
	rg_log(RG_LOG_WARN, "rtcguard %s (done by the CLI on the pinned state)", safe);
	/* A detach done behind the daemon's back: its view of the interface follows. */
	if (!strncmp(safe, "detach ", 7)) {
		pthread_mutex_lock(&d->lock);
		for (size_t i = 0; i < d->nifaces; i++)
			if (!strcmp(d->ifaces[i].name, safe + 7))
				memset(&d->ifaces[i].att, 0, sizeof(d->ifaces[i].att));
		pthread_mutex_unlock(&d->lock);
	}
	return ok();
}

static json_object *dispatch(struct rg_daemon *d, const char *line)
{
	json_object *req = json_tokener_parse(line), *resp;
	const char *cmd;
	char err[1024];

	if (!req || !json_object_is_type(req, json_type_object))
		resp = fail("bad request: not a JSON object%s", "");
	else if (!(cmd = str_field(req, "cmd")))
		resp = fail("bad request: no cmd%s", "");
	else if (!strcmp(cmd, "list-add"))
		resp = list_change(d, req, 1);
	else if (!strcmp(cmd, "list-del"))
		resp = list_change(d, req, 0);
	else if (!strcmp(cmd, "reload"))
		resp = daemon_reload(d, err, sizeof(err)) ? fail("%s", err) : ok();
	else if (!strcmp(cmd, "note"))
		resp = note(d, req);
	else if (!strcmp(cmd, "status"))
		resp = status(d);
	else
		resp = fail("unknown command '%s'", cmd);
	if (req)
		json_object_put(req);
	return resp;
}

/*
 * Clients are served from the main loop without ever blocking it: each
 * accepted connection gets a slot, its request is read as it arrives (up to
 * a newline or end of stream), and one that is too slow or too large is cut
 * off.  The daemon's other work never waits for a client.
 */
#define CTL_CLIENTS 128
#define CTL_REQ_MAX 8192
#define CTL_TIMEOUT_NS 2000000000ull

struct ctl_client {
	int fd; /* -1: free */
	size_t len;
	uint64_t deadline;
	char buf[CTL_REQ_MAX];
};

static struct ctl_client clients[CTL_CLIENTS] = { [0 ... CTL_CLIENTS - 1] = { .fd = -1 } };

static void client_close(struct ctl_client *c)
{
	close(c->fd);
	c->fd = -1;
	c->len = 0;
}

static void client_answer(struct rg_daemon *d, struct ctl_client *c, int too_large)
{
	json_object *resp;
	const char *out;
	char line[65536];

	c->buf[c->len] = '\0';
	if (too_large)
		resp = fail("request too large (at most 8191 bytes)%s", "");
	else
		resp = c->len ? dispatch(d, c->buf) : fail("empty request%s", "");
	out = json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PLAIN);
	snprintf(line, sizeof(line), "%s\n", out);
	/* Answers are small: the socket buffer takes them whole, or the client loses it. */
	send(c->fd, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT);
	json_object_put(resp);
	client_close(c);
}

void control_accept(int listen_fd)
{
	int fd;

	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		struct ctl_client *c = NULL;

		for (int i = 0; i < CTL_CLIENTS && !c; i++)
			if (clients[i].fd < 0)
				c = &clients[i];
		if (!c) {
			static const char busy[] = "{\"ok\":false,\"error\":\"rtcguardd is busy: too many "
						   "control connections\"}\n";

			send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->len = 0;
		c->deadline = rg_monotonic_ns() + CTL_TIMEOUT_NS;
	}
}

int control_pollfds(struct pollfd *pfd, int max)
{
	int n = 0;

	for (int i = 0; i < CTL_CLIENTS && n < max; i++)
		if (clients[i].fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
	return n;
}

void control_service(struct rg_daemon *d)
{
	uint64_t now = rg_monotonic_ns();

	for (int i = 0; i < CTL_CLIENTS; i++) {
		struct ctl_client *c = &clients[i];
		ssize_t n;

		if (c->fd < 0)
			continue;
		n = recv(c->fd, c->buf + c->len, CTL_REQ_MAX - 1 - c->len, MSG_DONTWAIT);
		if (n > 0)
			c->len += (size_t)n;
		if (n == 0 || memchr(c->buf, '\n', c->len)) {
			client_answer(d, c, 0); /* a whole line, or all the client will send */
		} else if (c->len == CTL_REQ_MAX - 1) {
			client_answer(d, c, 1);
		} else if ((n < 0 && errno != EAGAIN) || now > c->deadline) {
			client_close(c); /* gone, or too slow to finish a request */
		}
	}
}
