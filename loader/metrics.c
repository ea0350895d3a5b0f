// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus exposition of rtcguardd's state and the HTTP endpoint that
 * serves it.
 *
 * The rendering is text format 0.0.4 and lint-clean for `promtool check
 * metrics`: every family has HELP and TYPE once, counters end in _total,
 * units are base units, label values are escaped.  Counter series exist
 * from the first scrape (zeros included) so rate() works at once.
 *
 * The server is libmicrohttpd with its own threads (one per connection)
 * and a connection timeout, so a slow or stuck client holds only its own
 * thread and never the daemon's main loop.  Scrapes are serialised with a
 * mutex, so the collect callback never runs twice at the same time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "rtcguard/reasons.h"
#include "metrics.h"

#define RG_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define RG_METRICS_TIMEOUT_SECS 5
#define RG_METRICS_MAX_CONNS 128

/* A growing string; oom sticks once an allocation failed. */
struct mbuf {
	char *p;
	size_t len;
	size_t cap;
	int oom;
};

static int mbuf_reserve(struct mbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

static void mbuf_putc(struct mbuf *b, char c)
{
	if (mbuf_reserve(b, 1))
		return;
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static void mbuf_puts(struct mbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (mbuf_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

static void __attribute__((format(printf, 2, 3))) mbuf_printf(struct mbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if (mbuf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* A label value, escaped as the text format wants: \\, \" and \n. */
static void mbuf_label_value(struct mbuf *b, const char *v)
{
	if (!v)
		v = "";
	for (; *v; v++) {
		switch (*v) {
		case '\\':
			mbuf_puts(b, "\\\\");
			break;
		case '"':
			mbuf_puts(b, "\\\"");
			break;
		case '\n':
			mbuf_puts(b, "\\n");
			break;
		default:
			mbuf_putc(b, *v);
		}
	}
}

static void family(struct mbuf *b, const char *name, const char *type, const char *help)
{
	/* HELP texts are constants here, free of backslashes and newlines. */
	mbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/*
 * Start a sample: name{k1="v1",k2="v2"...} from NULL-terminated pairs of
 * label name and value; the caller prints the value and the newline.
 */
static void sample(struct mbuf *b, const char *name, ...)
{
	const char *key;
	va_list ap;
	int first = 1;

	mbuf_puts(b, name);
	va_start(ap, name);
	while ((key = va_arg(ap, const char *))) {
		const char *val = va_arg(ap, const char *);

		mbuf_puts(b, first ? "{" : ",");
		mbuf_puts(b, key);
		mbuf_puts(b, "=\"");
		mbuf_label_value(b, val);
		mbuf_putc(b, '"');
		first = 0;
	}
	va_end(ap);
	if (!first)
		mbuf_putc(b, '}');
	mbuf_putc(b, ' ');
}

static const char *or_none(const char *s)
{
	return s && *s ? s : "none";
}

static const char *reason_verdict(int r)
{
	return rg_verdict_names[rg_reason_verdict[r]];
}

/* Packets or bytes by interface, verdict and reason, monitor included. */
static void render_traffic(struct mbuf *b, const struct rg_metrics_snapshot *s, int bytes)
{
	const char *name = bytes ? "rtcguard_bytes_total" : "rtcguard_packets_total";
	size_t i;
	int r;

	family(b, name, "counter",
	       bytes ? "Bytes seen by the XDP program, by interface, verdict and exit reason; "
		       "verdict monitor: would have been dropped, passed by monitor mode."
		     : "Packets seen by the XDP program, by interface, verdict and exit reason; "
		       "verdict monitor: would have been dropped, passed by monitor mode.");
	for (i = 0; i < s->nifaces; i++) {
		const struct rg_metrics_iface *ifc = &s->ifaces[i];

		if (!ifc->attached)
			continue;
		for (r = 0; r < RG_REASON_COUNT; r++) {
			const struct rg_counter *c = &ifc->slots[RG_SLOT_REASON(r)];

			sample(b, name, "interface", ifc->name, "verdict", reason_verdict(r),
			       "reason", rg_reason_names[r], NULL);
			mbuf_printf(b, "%" PRIu64 "\n", (uint64_t)(bytes ? c->bytes : c->packets));
		}
		for (r = 0; r < RG_REASON_COUNT; r++) {
			const struct rg_counter *c = &ifc->slots[RG_SLOT_MONITOR(r)];

			if (rg_reason_verdict[r] != RG_VERDICT_DROP)
				continue;
			sample(b, name, "interface", ifc->name, "verdict", "monitor", "reason",
			       rg_reason_names[r], NULL);
			mbuf_printf(b, "%" PRIu64 "\n", (uint64_t)(bytes ? c->bytes : c->packets));
		}
	}
}

static void render_kinds(struct mbuf *b, const struct rg_metrics_snapshot *s)
{
	const char *name = "rtcguard_admitted_packets_total";
	size_t i;
	int k;

	family(b, name, "counter", "Packets passed as valid RTC payload, by interface and kind.");
	for (i = 0; i < s->nifaces; i++) {
		const struct rg_metrics_iface *ifc = &s->ifaces[i];

		if (!ifc->attached)
			continue;
		for (k = 1; k < RG_KIND_COUNT; k++) {
			sample(b, name, "interface", ifc->name, "kind", rg_kind_names[k], NULL);
			mbuf_printf(b, "%" PRIu64 "\n",
				    (uint64_t)ifc->slots[RG_SLOT_KIND(k)].packets);
		}
	}
}

static void render_maps(struct mbuf *b, const struct rg_metrics_snapshot *s)
{
	size_t i;

	family(b, "rtcguard_map_entries", "gauge", "Entries in a BPF map.");
	for (i = 0; i < s->nmaps; i++) {
		sample(b, "rtcguard_map_entries", "map", s->maps[i].name, NULL);
		mbuf_printf(b, "%" PRIu64 "\n", s->maps[i].entries);
	}
	family(b, "rtcguard_map_capacity_entries", "gauge",
	       "Capacity of a BPF map (max_entries).");
	for (i = 0; i < s->nmaps; i++) {
		sample(b, "rtcguard_map_capacity_entries", "map", s->maps[i].name, NULL);
		mbuf_printf(b, "%" PRIu64 "\n", s->maps[i].max_entries);
	}
}

static void render_lists(struct mbuf *b, const struct rg_metrics_snapshot *s)
{
	size_t i;

	family(b, "rtcguard_list_entries", "gauge",
	       "Prefixes in the source lists, by action, origin and address family.");
	for (i = 0; i < s->nlists; i++) {
		const struct rg_metrics_list *l = &s->lists[i];

		sample(b, "rtcguard_list_entries", "action", l->action, "origin", l->origin,
		       "family", l->family, NULL);
		mbuf_printf(b, "%" PRIu64 "\n", l->entries);
	}
}

static void render_programs(struct mbuf *b, const struct rg_metrics_snapshot *s)
{
	char id[16];
	size_t i;

	family(b, "rtcguard_program_info", "gauge",
	       "XDP program per interface: attach mode, dispatcher or single, program id.");
	for (i = 0; i < s->nifaces; i++) {
		const struct rg_metrics_iface *ifc = &s->ifaces[i];

		snprintf(id, sizeof(id), "%" PRIu32, ifc->prog_id);
		sample(b, "rtcguard_program_info", "interface", ifc->name, "mode",
		       ifc->attached ? or_none(ifc->attach_mode) : "none", "attach",
		       ifc->attached ? or_none(ifc->attach_kind) : "none", "prog_id",
		       ifc->attached ? id : "0", NULL);
		mbuf_puts(b, "1\n");
	}
	family(b, "rtcguard_interface_attached", "gauge",
	       "1 when the XDP program is attached to the configured interface, else 0.");
	for (i = 0; i < s->nifaces; i++) {
		sample(b, "rtcguard_interface_attached", "interface", s->ifaces[i].name, NULL);
		mbuf_puts(b, s->ifaces[i].attached ? "1\n" : "0\n");
	}
}

long metrics_render(const struct rg_metrics_snapshot *s, char **out)
{
	struct mbuf b = { 0 };

	*out = NULL;
	render_traffic(&b, s, 0);
	render_traffic(&b, s, 1);
	render_kinds(&b, s);
	render_maps(&b, s);
	render_lists(&b, s);
	render_programs(&b, s);

	family(&b, "rtcguard_bypass", "gauge",
	       "1 when the global bypass switch is on (every packet passes unchecked).");
	mbuf_printf(&b, "rtcguard_bypass %d\n", s->bypass ? 1 : 0);

	family(&b, "rtcguard_build_info", "gauge", "Build of rtcguardd; the value is always 1.");
	sample(&b, "rtcguard_build_info", "version", s->version ? s->version : "unknown", NULL);
	mbuf_puts(&b, "1\n");

	family(&b, "rtcguard_start_time_seconds", "gauge",
	       "Start time of rtcguardd since the Unix epoch.");
	mbuf_printf(&b, "rtcguard_start_time_seconds %.3f\n", s->start_time_seconds);

	if (b.oom) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	return (long)b.len;
}

/* The HTTP endpoint. */

struct rg_metrics_server {
	struct MHD_Daemon *mhd;
	metrics_collect_fn collect;
	metrics_release_fn release;
	void *arg;
	pthread_mutex_t lock; /* one scrape at a time */
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status, const char *text,
			     const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(strlen(text), (void *)text,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static long scrape(struct rg_metrics_server *srv, char **out)
{
	struct rg_metrics_snapshot snap;
	long n;

	*out = NULL;
	memset(&snap, 0, sizeof(snap));
	pthread_mutex_lock(&srv->lock);
	if (srv->collect(srv->arg, &snap)) {
		pthread_mutex_unlock(&srv->lock);
		return -2;
	}
	n = metrics_render(&snap, out);
	if (srv->release)
		srv->release(srv->arg, &snap);
	pthread_mutex_unlock(&srv->lock);
	return n;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	struct rg_metrics_server *srv = cls;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *body;
	long n;

	(void)version;
	(void)upload_data;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		*upload_data_size = 0; /* ignore any body: the answer is the same */
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n",
			     "GET, HEAD");
	}
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n", NULL);

	n = scrape(srv, &body);
	if (n == -2)
		return reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "cannot collect metrics\n", NULL);
	if (n < 0)
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", NULL);
	resp = MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, RG_METRICS_CONTENT_TYPE);
	ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * "ADDR:PORT" (dotted-quad IPv4) or "[V6ADDR]:PORT" (numeric IPv6, a %scope
 * allowed) into a socket address; port 1..65535.
 */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	const char *colon, *port, *p;
	size_t hlen;
	unsigned long val;
	int v6 = 0;

	if (!listen || !*listen)
		return -1;
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':')
			return -1;
		hlen = (size_t)(close - listen - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			return -1;
		memcpy(host, listen + 1, hlen);
		port = close + 2;
		v6 = 1;
	} else {
		colon = strchr(listen, ':');
		if (!colon || strchr(colon + 1, ':'))
			return -1; /* no port, or a bare IPv6 address */
		hlen = (size_t)(colon - listen);
		if (hlen == 0 || hlen >= sizeof(host))
			return -1;
		memcpy(host, listen, hlen);
		port = colon + 1;
	}
	host[hlen] = '\0';
	if (!*port || strlen(port) > 5)
		return -1;
	for (p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	val = strtoul(port, NULL, 10);
	if (val < 1 || val > 65535)
		return -1;

	if (!v6) {
		/* inet_pton, not getaddrinfo: no "1.2.3" or "0x7f.1" shorthands */
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		memset(ss, 0, sizeof(*ss));
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)val);
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -1;
		*sslen = sizeof(*sin);
		return 0;
	}
	hints.ai_family = AF_INET6;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, &ai) || !ai)
		return -1;
	if (ai->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(ai);
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sslen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/*
 * The listening socket is made here rather than by MHD so that it is bound
 * to exactly the configured address and a failure is reported with its
 * errno; MHD adopts it and closes it in MHD_stop_daemon.
 */
static int listen_socket(const struct sockaddr_storage *ss, socklen_t sslen)
{
	int one = 1, fd, saved;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)ss, sslen) || listen(fd, 64)) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

struct rg_metrics_server *metrics_server_start(const char *listen, metrics_collect_fn collect,
					       metrics_release_fn release, void *arg, char *err,
					       size_t errlen)
{
	struct rg_metrics_server *srv;
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	unsigned int flags;
	int fd;

	if (parse_listen(listen, &ss, &sslen)) {
		snprintf(err, errlen,
			 "bad metrics listen address '%s': expected ADDRESS:PORT or [IPV6]:PORT",
			 listen ? listen : "");
		return NULL;
	}
	if (!collect) {
		snprintf(err, errlen, "metrics server needs a collect callback");
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv) {
		snprintf(err, errlen, "metrics server: %s", strerror(ENOMEM));
		return NULL;
	}
	srv->collect = collect;
	srv->release = release;
	srv->arg = arg;
	pthread_mutex_init(&srv->lock, NULL);

	fd = listen_socket(&ss, sslen);
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen for metrics on %s: %s", listen,
			 strerror(errno));
		goto fail;
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	errno = 0;
	srv->mhd = MHD_start_daemon(flags, 0, NULL, NULL, handle, srv,
				    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
				    MHD_OPTION_CONNECTION_TIMEOUT,
				    (unsigned int)RG_METRICS_TIMEOUT_SECS,
				    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)RG_METRICS_MAX_CONNS,
				    MHD_OPTION_END);
	if (!srv->mhd) {
		snprintf(err, errlen, "cannot start metrics server on %s: %s", listen,
			 errno ? strerror(errno) : "libmicrohttpd refused to start");
		close(fd);
		goto fail;
	}
	return srv;
fail:
	pthread_mutex_destroy(&srv->lock);
	free(srv);
	return NULL;
}

void metrics_server_stop(struct rg_metrics_server *srv)
{
	if (!srv)
		return;
	MHD_stop_daemon(srv->mhd);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}
