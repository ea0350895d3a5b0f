// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus exposition: exact series, every reason, HELP and TYPE once per
 * family, label escaping; and the HTTP endpoint (200 on /metrics, 404
 * elsewhere, 405 on other methods, 503 when collecting fails).
 *
 * With RG_METRICS_SAMPLE=FILE set, metrics/sample writes one rendering to
 * FILE for selftests/test_promtool.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "rtcguard/reasons.h"
#include "metrics.h"

#define NIFACES 3

struct fixture {
	struct rg_metrics_iface ifaces[NIFACES];
	struct rg_metrics_map maps[2];
	struct rg_metrics_list lists[2];
	struct rg_metrics_snapshot snap;
};

/* Two attached interfaces with known counters, one configured but absent. */
static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	strcpy(f->ifaces[0].name, "veth0");
	f->ifaces[0].ifindex = 7;
	f->ifaces[0].attached = 1;
	f->ifaces[0].attach_mode = "native";
	f->ifaces[0].attach_kind = "dispatcher";
	f->ifaces[0].prog_id = 42;
	f->ifaces[0].slots[RG_SLOT_REASON(RG_R_BAD_STUN)] =
		(struct rg_counter){ .packets = 5, .bytes = 500 };
	f->ifaces[0].slots[RG_SLOT_REASON(RG_R_ADMITTED)] =
		(struct rg_counter){ .packets = 1000, .bytes = 123456 };
	f->ifaces[0].slots[RG_SLOT_MONITOR(RG_R_DENYLIST)] =
		(struct rg_counter){ .packets = 3, .bytes = 300 };
	f->ifaces[0].slots[RG_SLOT_KIND(RG_K_RTP)] = (struct rg_counter){ .packets = 900 };
	f->ifaces[0].slots[RG_SLOT_KIND(RG_K_STUN)] = (struct rg_counter){ .packets = 100 };

	/* A name with every character the text format must escape. */
	strcpy(f->ifaces[1].name, "we\"ird\\if\n");
	f->ifaces[1].ifindex = 8;
	f->ifaces[1].attached = 1;
	f->ifaces[1].attach_mode = "skb";
	f->ifaces[1].attach_kind = "single";
	f->ifaces[1].prog_id = 43;
	f->ifaces[1].slots[RG_SLOT_REASON(RG_R_NOT_UDP)] =
		(struct rg_counter){ .packets = 18446744073709551615ull, .bytes = 1 };

	strcpy(f->ifaces[2].name, "eth9");
	f->ifaces[2].attached = 0;
	f->ifaces[2].attach_mode = "none";

	f->maps[0] = (struct rg_metrics_map){ "rg_list_v4", 12, 65536 };
	f->maps[1] = (struct rg_metrics_map){ "rg_list_v6", 0, 65536 };
	f->lists[0] = (struct rg_metrics_list){ "deny", "config", "ipv4", 10 };
	f->lists[1] = (struct rg_metrics_list){ "deny", "runtime", "ipv6", 2 };

	f->snap.version = "1.2.3-test";
	f->snap.start_time_seconds = 1700000000.25;
	f->snap.bypass = 0;
	f->snap.nifaces = NIFACES;
	f->snap.ifaces = f->ifaces;
	f->snap.nmaps = 2;
	f->snap.maps = f->maps;
	f->snap.nlists = 2;
	f->snap.lists = f->lists;
}

static char *render(const struct fixture *f)
{
	char *out = NULL;
	long n = metrics_render(&f->snap, &out);

	cr_assert(n > 0 && out, "metrics_render failed");
	cr_assert_eq((size_t)n, strlen(out), "length %ld, string %zu", n, strlen(out));
	cr_assert_eq(out[n - 1], '\n', "exposition must end with a newline");
	return out;
}

/* Whether text holds line as a whole line. */
static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p++;
	}
	return 0;
}

static int count_lines_prefixed(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = text;
	int count = 0;

	while (*p) {
		if (!strncmp(p, prefix, n))
			count++;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return count;
}

#define expect_line(text, line) cr_expect(has_line((text), (line)), "missing line: %s", (line))
#define expect_no_line(text, line) cr_expect(!has_line((text), (line)), "unexpected line: %s", (line))

Test(metrics, exact_series)
{
	struct fixture f;
	char *out;

	fixture_init(&f);
	out = render(&f);
	expect_line(out, "rtcguard_packets_total{interface=\"veth0\",verdict=\"drop\",reason=\"bad-stun\"} 5");
	expect_line(out, "rtcguard_bytes_total{interface=\"veth0\",verdict=\"drop\",reason=\"bad-stun\"} 500");
	expect_line(out, "rtcguard_packets_total{interface=\"veth0\",verdict=\"pass\",reason=\"admitted\"} 1000");
	expect_line(out, "rtcguard_bytes_total{interface=\"veth0\",verdict=\"pass\",reason=\"admitted\"} 123456");
	expect_line(out, "rtcguard_packets_total{interface=\"veth0\",verdict=\"monitor\",reason=\"denylist\"} 3");
	expect_line(out, "rtcguard_bytes_total{interface=\"veth0\",verdict=\"monitor\",reason=\"denylist\"} 300");
	expect_line(out, "rtcguard_packets_total{interface=\"veth0\",verdict=\"drop\",reason=\"denylist\"} 0");
	expect_line(out, "rtcguard_admitted_packets_total{interface=\"veth0\",kind=\"rtp\"} 900");
	expect_line(out, "rtcguard_admitted_packets_total{interface=\"veth0\",kind=\"stun\"} 100");
	expect_line(out, "rtcguard_admitted_packets_total{interface=\"veth0\",kind=\"quic\"} 0");
	expect_line(out, "rtcguard_map_entries{map=\"rg_list_v4\"} 12");
	expect_line(out, "rtcguard_map_capacity_entries{map=\"rg_list_v6\"} 65536");
	expect_line(out, "rtcguard_list_entries{action=\"deny\",origin=\"runtime\",family=\"ipv6\"} 2");
	expect_line(out, "rtcguard_program_info{interface=\"veth0\",mode=\"native\",attach=\"dispatcher\",prog_id=\"42\"} 1");
	expect_line(out, "rtcguard_program_info{interface=\"eth9\",mode=\"none\",attach=\"none\",prog_id=\"0\"} 1");
	expect_line(out, "rtcguard_interface_attached{interface=\"veth0\"} 1");
	expect_line(out, "rtcguard_interface_attached{interface=\"eth9\"} 0");
	expect_line(out, "rtcguard_bypass 0");
	expect_line(out, "rtcguard_build_info{version=\"1.2.3-test\"} 1");
	expect_line(out, "rtcguard_start_time_seconds 1700000000.250");
	free(out);
}

Test(metrics, every_reason_and_kind)
{
	struct fixture f;
	char line[256];
	char *out;
	int r, k;

	fixture_init(&f);
	out = render(&f);
	for (r = 0; r < RG_REASON_COUNT; r++) {
		const char *verdict = rg_verdict_names[rg_reason_verdict[r]];
		int drops = rg_reason_verdict[r] == RG_VERDICT_DROP;

		snprintf(line, sizeof(line),
			 "rtcguard_packets_total{interface=\"veth0\",verdict=\"%s\",reason=\"%s\"} ",
			 verdict, rg_reason_names[r]);
		cr_expect_eq(count_lines_prefixed(out, line), 1, "want one series: %s", line);
		snprintf(line, sizeof(line),
			 "rtcguard_bytes_total{interface=\"veth0\",verdict=\"%s\",reason=\"%s\"} ",
			 verdict, rg_reason_names[r]);
		cr_expect_eq(count_lines_prefixed(out, line), 1, "want one series: %s", line);
		/* monitor series only for reasons that drop */
		snprintf(line, sizeof(line),
			 "rtcguard_packets_total{interface=\"veth0\",verdict=\"monitor\",reason=\"%s\"} ",
			 rg_reason_names[r]);
		cr_expect_eq(count_lines_prefixed(out, line), drops, "monitor series of %s: %s",
			     rg_reason_names[r], line);
	}
	for (k = 0; k < RG_KIND_COUNT; k++) {
		snprintf(line, sizeof(line),
			 "rtcguard_admitted_packets_total{interface=\"veth0\",kind=\"%s\"} ",
			 rg_kind_names[k]);
		cr_expect_eq(count_lines_prefixed(out, line), k == RG_K_NONE ? 0 : 1, "%s", line);
	}
	/* an interface that is not attached has no counter series */
	cr_expect_eq(count_lines_prefixed(out, "rtcguard_packets_total{interface=\"eth9\""), 0);
	cr_expect_eq(count_lines_prefixed(out, "rtcguard_admitted_packets_total{interface=\"eth9\""), 0);
	free(out);
}

static const char *const families[][2] = {
	{ "rtcguard_packets_total", "counter" },
	{ "rtcguard_bytes_total", "counter" },
	{ "rtcguard_admitted_packets_total", "counter" },
	{ "rtcguard_map_entries", "gauge" },
	{ "rtcguard_map_capacity_entries", "gauge" },
	{ "rtcguard_list_entries", "gauge" },
	{ "rtcguard_program_info", "gauge" },
	{ "rtcguard_interface_attached", "gauge" },
	{ "rtcguard_bypass", "gauge" },
	{ "rtcguard_build_info", "gauge" },
	{ "rtcguard_start_time_seconds", "gauge" },
};

Test(metrics, help_and_type_once_per_family)
{
	struct fixture f;
	char line[256];
	size_t i;
	char *out;

	fixture_init(&f);
	out = render(&f);
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		snprintf(line, sizeof(line), "# HELP %s ", families[i][0]);
		cr_expect_eq(count_lines_prefixed(out, line), 1, "%s", line);
		snprintf(line, sizeof(line), "# TYPE %s %s", families[i][0], families[i][1]);
		cr_expect_eq(count_lines_prefixed(out, line), 1, "%s", line);
		expect_line(out, line);
	}
	/* nothing else: every comment line belongs to a listed family */
	cr_expect_eq(count_lines_prefixed(out, "# HELP "), (int)i);
	cr_expect_eq(count_lines_prefixed(out, "# TYPE "), (int)i);
	free(out);
}

Test(metrics, label_escaping)
{
	struct fixture f;
	char *out;

	fixture_init(&f);
	out = render(&f);
	expect_line(out, "rtcguard_packets_total{interface=\"we\\\"ird\\\\if\\n\",verdict=\"pass\",reason=\"not-udp\"} 18446744073709551615");
	expect_line(out, "rtcguard_interface_attached{interface=\"we\\\"ird\\\\if\\n\"} 1");
	/* no raw newline leaks into a sample line */
	cr_expect_eq(count_lines_prefixed(out, "if\n"), 0);
	cr_expect_eq(count_lines_prefixed(out, "\""), 0);
	free(out);
}

Test(metrics, empty_snapshot)
{
	struct rg_metrics_snapshot s = { 0 };
	char *out = NULL;
	long n = metrics_render(&s, &out);

	cr_assert(n > 0 && out);
	cr_expect(has_line(out, "rtcguard_bypass 0"));
	cr_expect(has_line(out, "rtcguard_build_info{version=\"unknown\"} 1"));
	cr_expect(has_line(out, "# TYPE rtcguard_packets_total counter"));
	free(out);
}

/* For selftests/test_promtool.sh: one rendering, bypass on, to $RG_METRICS_SAMPLE. */
Test(metrics, sample)
{
	const char *path = getenv("RG_METRICS_SAMPLE");
	struct fixture f;
	char *out;
	FILE *fp;

	if (!path || !*path)
		return;
	fixture_init(&f);
	f.snap.bypass = 1;
	out = render(&f);
	fp = fopen(path, "w");
	cr_assert(fp, "cannot write %s: %s", path, strerror(errno));
	cr_assert_eq(fputs(out, fp) >= 0, 1);
	cr_assert_eq(fclose(fp), 0, "cannot write %s: %s", path, strerror(errno));
	free(out);
}

/* The HTTP server. */

static int collect_calls, release_calls, collect_fail;
static struct fixture server_fixture;

static int collect(void *arg, struct rg_metrics_snapshot *s)
{
	struct fixture *f = arg;

	collect_calls++;
	if (collect_fail)
		return -1;
	*s = f->snap;
	return 0;
}

static void release(void *arg, struct rg_metrics_snapshot *s)
{
	(void)arg;
	(void)s;
	release_calls++;
}

/* A free port on 127.0.0.1: bind port 0, read it back, close. */
static int free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd, port;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0, "bind: %s",
		     strerror(errno));
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/* One HTTP/1.0 request on 127.0.0.1:port; the whole answer, malloc'd. */
static char *http(int port, const char *method, const char *path)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 5 };
	size_t len = 0, cap = 65536;
	char req[256], *buf;
	ssize_t n;
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	cr_assert_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0, "connect: %s",
		     strerror(errno));
	snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", method, path);
	cr_assert_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	buf = malloc(cap);
	cr_assert(buf);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			cr_assert(buf);
		}
		n = read(fd, buf + len, cap - len - 1);
		cr_assert(n >= 0, "read: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return buf;
}

static struct rg_metrics_server *start_server(int *port)
{
	struct rg_metrics_server *srv;
	char listen[64], err[256] = "";
	int tries;

	fixture_init(&server_fixture);
	for (tries = 0; tries < 5; tries++) {
		*port = free_port();
		snprintf(listen, sizeof(listen), "127.0.0.1:%d", *port);
		srv = metrics_server_start(listen, collect, release, &server_fixture, err,
					   sizeof(err));
		if (srv)
			return srv;
	}
	cr_assert_fail("metrics_server_start %s: %s", listen, err);
	return NULL;
}

Test(metrics, server)
{
	struct rg_metrics_server *srv;
	char *resp, *body;
	int port;

	srv = start_server(&port);

	resp = http(port, "GET", "/metrics");
	cr_assert(!strncmp(resp, "HTTP/1.0 200 ", 13) || !strncmp(resp, "HTTP/1.1 200 ", 13),
		  "GET /metrics: %.200s", resp);
	cr_expect(strstr(resp, "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"),
		  "content type: %.400s", resp);
	body = strstr(resp, "\r\n\r\n");
	cr_assert(body);
	cr_expect(has_line(body + 4, "rtcguard_packets_total{interface=\"veth0\",verdict=\"drop\",reason=\"bad-stun\"} 5"));
	free(resp);
	cr_expect_eq(collect_calls, 1);
	cr_expect_eq(release_calls, 1);

	resp = http(port, "GET", "/metrics?x=1");
	cr_expect(strstr(resp, " 200 ") == strchr(resp, ' '), "query string: %.200s", resp);
	free(resp);

	resp = http(port, "HEAD", "/metrics");
	cr_expect(strstr(resp, " 200 ") == strchr(resp, ' '), "HEAD: %.200s", resp);
	cr_expect(!strstr(resp, "rtcguard_"), "HEAD has no body");
	free(resp);

	resp = http(port, "GET", "/nope");
	cr_expect(strstr(resp, " 404 ") == strchr(resp, ' '), "GET /nope: %.200s", resp);
	free(resp);

	resp = http(port, "GET", "/");
	cr_expect(strstr(resp, " 404 ") == strchr(resp, ' '), "GET /: %.200s", resp);
	free(resp);

	resp = http(port, "POST", "/metrics");
	cr_expect(strstr(resp, " 405 ") == strchr(resp, ' '), "POST: %.200s", resp);
	cr_expect(strstr(resp, "Allow: GET, HEAD\r\n"), "POST Allow: %.400s", resp);
	free(resp);

	collect_fail = 1;
	resp = http(port, "GET", "/metrics");
	cr_expect(strstr(resp, " 503 ") == strchr(resp, ' '), "collect failing: %.200s", resp);
	free(resp);
	collect_fail = 0;

	metrics_server_stop(srv);
}

/* A client that connects and says nothing holds neither the server nor others. */
Test(metrics, stuck_client_does_not_block)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct rg_metrics_server *srv;
	int port, fd;
	char *resp;

	srv = start_server(&port);
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	cr_assert_eq(write(fd, "GET /metr", 9), 9);

	resp = http(port, "GET", "/metrics");
	cr_expect(strstr(resp, " 200 ") == strchr(resp, ' '), "%.200s", resp);
	free(resp);
	metrics_server_stop(srv); /* returns although the stuck client is connected */
	close(fd);
}

Test(metrics, bad_listen)
{
	static const char *const bad[] = {
		"",          "9478",          "127.0.0.1",       "127.0.0.1:",
		":9478",     "127.0.0.1:0",   "127.0.0.1:65536", "127.0.0.1:94x8",
		"::1:9478",  "[::1]9478",     "[::1]:",          "[127.0.0.1]:9478",
		"[]:9478",   "localhost:9478", "1.2.3:9478",     "127.0.0.1:-1",
	};
	char err[256], want[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		cr_expect_null(metrics_server_start(bad[i], collect, release, NULL, err,
						    sizeof(err)),
			       "accepted '%s'", bad[i]);
		snprintf(want, sizeof(want),
			 "bad metrics listen address '%s': expected ADDRESS:PORT or [IPV6]:PORT",
			 bad[i]);
		cr_expect_str_eq(err, want);
	}
}

Test(metrics, bind_failure)
{
	struct rg_metrics_server *srv;
	char listen[64], err[256] = "";
	int port;

	srv = start_server(&port);
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	cr_expect_null(metrics_server_start(listen, collect, release, NULL, err, sizeof(err)));
	cr_expect(strstr(err, listen) && strstr(err, strerror(EADDRINUSE)), "error: %s", err);
	metrics_server_stop(srv);
}
