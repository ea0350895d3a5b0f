// SPDX-License-Identifier: GPL-2.0
/*
 * rtcguardd's configuration (loader/config.c, docs/config.md): the shipped
 * example, defaults, merging into scopes, and the exact one-line
 * "file:line:column: ..." message of every kind of invalid input.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../loader/config.h"
#include "args.h"

#define ERRLEN 512

/*
 * A file of the repository: relative to the working directory (make runs
 * the tests from the top), else found from this binary's path
 * (build/tests/unit).
 */
static const char *repo_path(const char *rel)
{
	static char out[2 * PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;
	int up;

	if (access(rel, R_OK) == 0)
		return rel;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return rel;
	exe[n] = '\0';
	for (up = 0; up < 3; up++) {
		char *slash = strrchr(exe, '/');

		if (!slash)
			return rel;
		*slash = '\0';
	}
	snprintf(out, sizeof(out), "%s/%s", exe, rel);
	return out;
}

static int parse(const char *text, struct rg_daemon_config *cfg, char *err)
{
	return config_parse("x.yaml", text, strlen(text), cfg, err, ERRLEN);
}

static void parse_ok(const char *text, struct rg_daemon_config *cfg)
{
	char err[ERRLEN] = "";

	cr_assert_eq(parse(text, cfg, err), 0, "config rejected: %s\n---\n%s", err, text);
}

static int all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return 0;
	return 1;
}

/* Parse must fail with exactly msg and leave a zeroed config. */
static void expect_error(const char *text, const char *msg)
{
	struct rg_daemon_config cfg;
	char err[ERRLEN] = "";

	memset(&cfg, 0xa5, sizeof(cfg));
	cr_assert_eq(parse(text, &cfg, err), -1, "accepted:\n%s", text);
	cr_expect_str_eq(err, msg, "for:\n%s\nwant: %s\ngot:  %s", text, msg, err);
	cr_expect(all_zero(&cfg, sizeof(cfg)), "config not zeroed after an error");
}

static int reflect_has(const struct rg_daemon_config *cfg, unsigned int port)
{
	return (cfg->policy.reflect[port >> 6] >> (port & 63)) & 1;
}

static int method_has(const struct rg_daemon_config *cfg, unsigned int m)
{
	return (cfg->policy.config.stun_methods[m >> 6] >> (m & 63)) & 1;
}

static size_t reflect_count(const struct rg_daemon_config *cfg)
{
	size_t n = 0, i;

	for (i = 0; i < RG_REFLECT_WORDS; i++)
		n += (size_t)__builtin_popcountll(cfg->policy.reflect[i]);
	return n;
}

static size_t method_count(const struct rg_daemon_config *cfg)
{
	size_t n = 0, i;

	for (i = 0; i < RG_STUN_METHOD_WORDS; i++)
		n += (size_t)__builtin_popcountll(cfg->policy.config.stun_methods[i]);
	return n;
}

static const struct rg_scope *scope_of(const struct rg_daemon_config *cfg, const char *cidr)
{
	struct rg_prefix p;
	char err[ERRLEN];
	size_t i;

	cr_assert_eq(parse_cidr(cidr, &p, err, sizeof(err)), 0, "%s", err);
	for (i = 0; i < cfg->policy.nscopes; i++) {
		const struct rg_prefix *d = &cfg->policy.scopes[i].dst;

		if (d->family == p.family && d->len == p.len && !memcmp(d->addr, p.addr, 16))
			return &cfg->policy.scopes[i].scope;
	}
	cr_assert_fail("no scope for %s", cidr);
	return NULL;
}

static void expect_defaults(const struct rg_daemon_config *cfg)
{
	struct rg_policy def;
	size_t i;

	policy_init_defaults(&def);
	cr_expect_eq(cfg->nifaces, 0);
	cr_expect_str_eq(cfg->metrics_listen, "127.0.0.1:9478");
	cr_expect_eq(cfg->log_level, RG_LOG_INFO);
	cr_expect_eq(cfg->detach_on_exit, 0);
	cr_expect_eq(cfg->list_entries, 65536);
	cr_expect_eq(cfg->prefixes, 1024);
	cr_expect_eq(cfg->policy.nscopes, 0);
	cr_expect_eq(cfg->policy.nlists, 0);
	cr_expect(!memcmp(cfg->policy.reflect, def.reflect, sizeof(def.reflect)));
	cr_expect(!memcmp(&cfg->policy.config, &def.config, sizeof(def.config)));
	for (i = 0; rg_default_reflection_ports[i]; i++)
		cr_expect(reflect_has(cfg, rg_default_reflection_ports[i]));
	cr_expect_eq(reflect_count(cfg), i);
	for (i = 0; rg_default_stun_methods[i] != 0xffff; i++)
		cr_expect(method_has(cfg, rg_default_stun_methods[i]));
	cr_expect_eq(method_count(cfg), i);
}

/* Valid files */

Test(config, example_is_the_default)
{
	struct rg_daemon_config cfg;
	char err[ERRLEN] = "";

	cr_assert_eq(config_load(repo_path("rtcguard.yaml"), &cfg, err, sizeof(err)), 0, "%s",
		     err);
	expect_defaults(&cfg);
	config_free(&cfg);
}

Test(config, empty_file_is_defaults)
{
	struct rg_daemon_config cfg;
	char err[ERRLEN] = "";

	parse_ok("", &cfg);
	expect_defaults(&cfg);
	config_free(&cfg);
	parse_ok("---\n", &cfg);
	expect_defaults(&cfg);
	config_free(&cfg);
	cr_assert_eq(config_load(repo_path("tests/data/config/comments-only.yaml"), &cfg, err,
				 sizeof(err)),
		     0, "%s", err);
	expect_defaults(&cfg);
	config_free(&cfg);
}

Test(config, every_key)
{
	struct rg_daemon_config cfg;
	const struct rg_scope *s;
	char err[ERRLEN] = "";

	cr_assert_eq(config_load(repo_path("tests/data/config/full.yaml"), &cfg, err,
				 sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(cfg.nifaces, 3);
	cr_expect_str_eq(cfg.ifaces[0].name, "eth0");
	cr_expect_eq(cfg.ifaces[0].mode, RG_ATTACH_AUTO);
	cr_expect_str_eq(cfg.ifaces[1].name, "eth1");
	cr_expect_eq(cfg.ifaces[1].mode, RG_ATTACH_NATIVE);
	cr_expect_str_eq(cfg.ifaces[2].name, "veth-rg0");
	cr_expect_eq(cfg.ifaces[2].mode, RG_ATTACH_SKB);

	cr_assert_eq(cfg.policy.nscopes, 3);
	s = scope_of(&cfg, "198.51.100.0/24");
	cr_assert_eq(s->nranges, 3);
	cr_expect_eq(s->flags, RG_SCOPE_DROP_LATER_FRAGS);
	s = scope_of(&cfg, "2001:db8::/32");
	cr_assert_eq(s->nranges, 2);
	cr_expect_eq(s->flags, 0);
	s = scope_of(&cfg, "203.0.113.10/32");
	cr_assert_eq(s->nranges, 1);
	cr_expect_eq(s->range[0].lo, 10000);
	cr_expect_eq(s->range[0].hi, 10100);
	cr_expect_eq(s->range[0].admit, RG_KIND_BIT(RG_K_RTP) | RG_KIND_BIT(RG_K_RTCP) |
						 RG_KIND_BIT(RG_K_ZRTP));
	cr_expect_eq(s->range[0].flags, 0);

	cr_expect(reflect_has(&cfg, 6881));
	cr_expect(reflect_has(&cfg, 27015));
	cr_expect(!reflect_has(&cfg, 123));
	cr_expect(reflect_has(&cfg, 53));

	cr_expect_eq(method_count(&cfg), 4);
	cr_expect(method_has(&cfg, 0x001));
	cr_expect(method_has(&cfg, 0x080));
	cr_expect(method_has(&cfg, 0x00f));
	cr_expect(method_has(&cfg, 200));

	cr_expect_eq(cfg.policy.nlists, 3);
	cr_expect_eq(cfg.list_entries, 1048576);
	cr_expect_eq(cfg.prefixes, 65536);
	cr_expect_str_eq(cfg.metrics_listen, "[::1]:9100");
	cr_expect_eq(cfg.log_level, RG_LOG_DEBUG);
	cr_expect_eq(cfg.detach_on_exit, 1);
	config_free(&cfg);
	cr_expect(all_zero(&cfg, sizeof(cfg)));
}

Test(config, entries_on_one_prefix_merge)
{
	struct rg_daemon_config cfg;
	const struct rg_scope *s;

	parse_ok("protect:\n"
		 "  - prefixes: [198.51.100.0/24, 2001:db8::/32]\n"
		 "    ports: [3478, 49152-65535]\n"
		 "  - prefixes: [198.51.100.0/24]\n"
		 "    ports: [5349, 8000-8100]\n"
		 "    admit: [dtls, quic]\n"
		 "    mode: monitor\n",
		 &cfg);
	cr_assert_eq(cfg.policy.nscopes, 2);
	s = scope_of(&cfg, "198.51.100.0/24");
	cr_assert_eq(s->nranges, 4);
	cr_expect_eq(s->range[0].lo, 3478);
	cr_expect_eq(s->range[0].hi, 3478);
	cr_expect_eq(s->range[0].admit, RG_ADMIT_WEBRTC);
	cr_expect_eq(s->range[0].flags, 0);
	cr_expect_eq(s->range[1].lo, 49152);
	cr_expect_eq(s->range[1].hi, 65535);
	cr_expect_eq(s->range[1].admit, RG_ADMIT_WEBRTC);
	cr_expect_eq(s->range[2].lo, 5349);
	cr_expect_eq(s->range[2].hi, 5349);
	cr_expect_eq(s->range[2].admit, RG_KIND_BIT(RG_K_DTLS) | RG_KIND_BIT(RG_K_QUIC));
	cr_expect_eq(s->range[2].flags, RG_RANGE_MONITOR);
	cr_expect_eq(s->range[3].lo, 8000);
	cr_expect_eq(s->range[3].hi, 8100);
	cr_expect_eq(s->range[3].flags, RG_RANGE_MONITOR);
	cr_expect_eq(s->flags, 0);
	s = scope_of(&cfg, "2001:db8::/32");
	cr_assert_eq(s->nranges, 2);
	cr_expect_eq(s->range[1].lo, 49152);
	config_free(&cfg);
}

Test(config, eight_ranges_fit_on_one_prefix)
{
	struct rg_daemon_config cfg;

	parse_ok("protect:\n"
		 "  - prefixes: [198.51.100.0/24]\n"
		 "    ports: [1, 2, 3, 4, 5]\n"
		 "  - prefixes: [198.51.100.0/24]\n"
		 "    ports: [6, 7, 8]\n",
		 &cfg);
	cr_expect_eq(scope_of(&cfg, "198.51.100.0/24")->nranges, RG_MAX_PORT_RANGES);
	config_free(&cfg);
}

Test(config, mode_and_fragment_flags)
{
	struct rg_daemon_config cfg;
	const struct rg_scope *s;

	parse_ok("protect:\n"
		 "  - prefixes: [198.51.100.0/24]\n"
		 "    ports: [3478]\n"
		 "    mode: monitor\n"
		 "    first_fragments: pass\n"
		 "  - prefixes: [198.51.100.0/24, 203.0.113.0/24]\n"
		 "    ports: [5000-5010]\n"
		 "    mode: enforce\n"
		 "    first_fragments: drop\n"
		 "    later_fragments: drop\n"
		 "  - prefixes: [2001:db8::/32]\n"
		 "    ports: [3478]\n"
		 "    admit: all\n"
		 "    later_fragments: pass\n",
		 &cfg);
	s = scope_of(&cfg, "198.51.100.0/24");
	cr_expect_eq(s->flags, RG_SCOPE_DROP_LATER_FRAGS);
	cr_expect_eq(s->range[0].flags, RG_RANGE_MONITOR | RG_RANGE_PASS_FIRST_FRAG);
	cr_expect_eq(s->range[1].flags, 0);
	s = scope_of(&cfg, "203.0.113.0/24");
	cr_expect_eq(s->flags, RG_SCOPE_DROP_LATER_FRAGS);
	s = scope_of(&cfg, "2001:db8::/32");
	cr_expect_eq(s->flags, 0);
	cr_expect_eq(s->range[0].admit, RG_ADMIT_ALL);
	config_free(&cfg);
}

Test(config, lists_are_config_entries)
{
	struct rg_daemon_config cfg;
	size_t i;

	parse_ok("lists:\n"
		 "  deny: [203.0.113.0/24, 2001:db8:bad::/48]\n"
		 "  allow: [198.51.100.7, 2001:db8::1/128]\n",
		 &cfg);
	cr_assert_eq(cfg.policy.nlists, 4);
	for (i = 0; i < 4; i++) {
		const struct rg_list_rule *r = &cfg.policy.lists[i];

		cr_expect_eq(r->entry.origin, RG_ORIGIN_CONFIG);
		cr_expect_eq(r->entry.expires_ns, 0);
		cr_expect_eq(r->entry.action, i < 2 ? RG_LIST_DENY : RG_LIST_ALLOW);
	}
	cr_expect_eq(cfg.policy.lists[0].src.family, 4);
	cr_expect_eq(cfg.policy.lists[0].src.len, 24);
	cr_expect_eq(cfg.policy.lists[1].src.family, 6);
	cr_expect_eq(cfg.policy.lists[1].src.len, 48);
	cr_expect_eq(cfg.policy.lists[2].src.len, 32);
	cr_expect_eq(cfg.policy.lists[3].src.len, 128);
	config_free(&cfg);
}

Test(config, many_list_entries)
{
	struct rg_daemon_config cfg;
	char *text = malloc(200000), err[ERRLEN];
	size_t off, i;

	cr_assert(text);
	off = (size_t)sprintf(text, "lists:\n  deny:\n");
	for (i = 0; i < 5000; i++)
		off += (size_t)sprintf(text + off, "    - 10.%zu.%zu.0/24\n", i / 256, i % 256);
	parse_ok(text, &cfg);
	cr_expect_eq(cfg.policy.nlists, 5000);
	config_free(&cfg);
	/* The same text with one repeat at the end (line 5003). */
	sprintf(text + off, "    - 10.0.7.0/24\n");
	cr_assert_eq(parse(text, &cfg, err), -1);
	cr_expect_str_eq(err, "x.yaml:5003:7: duplicate prefix '10.0.7.0/24' in 'deny' (first at "
			      "line 10), expected each prefix once");
	/* Exactly maps.list_entries fits; one more does not. */
	sprintf(text + off, "maps: {list_entries: 5000}\n");
	parse_ok(text, &cfg);
	config_free(&cfg);
	sprintf(text + off, "maps: {list_entries: 4999}\n");
	cr_assert_eq(parse(text, &cfg, err), -1);
	cr_expect_str_eq(err, "x.yaml:5002:7: more than 4999 IPv4 list entries, expected at most "
			      "maps.list_entries (4999)");
	free(text);
}

Test(config, reflection_ports_list_replaces)
{
	struct rg_daemon_config cfg;

	parse_ok("reflection_ports: [53, 11211, 0]\n", &cfg);
	cr_expect_eq(reflect_count(&cfg), 3);
	cr_expect(reflect_has(&cfg, 53));
	cr_expect(reflect_has(&cfg, 11211));
	cr_expect(reflect_has(&cfg, 0));
	cr_expect(!reflect_has(&cfg, 123));
	config_free(&cfg);

	parse_ok("reflection_ports: []\n", &cfg);
	cr_expect_eq(reflect_count(&cfg), 0);
	config_free(&cfg);
}

Test(config, reflection_ports_mapping)
{
	struct rg_daemon_config cfg;
	size_t n;

	parse_ok("reflection_ports:\n  add: [6881]\n  remove: [123, 53]\n", &cfg);
	for (n = 0; rg_default_reflection_ports[n]; n++)
		;
	cr_expect_eq(reflect_count(&cfg), n + 1 - 2);
	cr_expect(reflect_has(&cfg, 6881));
	cr_expect(!reflect_has(&cfg, 123));
	cr_expect(!reflect_has(&cfg, 53));
	cr_expect(reflect_has(&cfg, 19));
	config_free(&cfg);

	parse_ok("reflection_ports:\n  defaults: false\n  add: [6881, 65535]\n", &cfg);
	cr_expect_eq(reflect_count(&cfg), 2);
	cr_expect(reflect_has(&cfg, 6881));
	cr_expect(reflect_has(&cfg, 65535));
	config_free(&cfg);

	parse_ok("reflection_ports: {defaults: true}\n", &cfg);
	cr_expect_eq(reflect_count(&cfg), n);
	config_free(&cfg);
}

Test(config, stun_methods_names_and_numbers)
{
	struct rg_daemon_config cfg;

	parse_ok("stun_methods: [binding, allocate, refresh, send, data, create-permission,\n"
		 "  channel-bind, connect, connection-bind, connection-attempt, goog-ping]\n",
		 &cfg);
	expect_defaults(&cfg);
	config_free(&cfg);

	parse_ok("stun_methods:\n  - binding\n  - 0\n  - 255\n  - 0x0F\n  - \"42\"\n", &cfg);
	cr_expect_eq(method_count(&cfg), 5);
	cr_expect(method_has(&cfg, 1));
	cr_expect(method_has(&cfg, 0));
	cr_expect(method_has(&cfg, 255));
	cr_expect(method_has(&cfg, 15));
	cr_expect(method_has(&cfg, 42));
	cr_expect(!method_has(&cfg, 3));
	config_free(&cfg);

	parse_ok("stun_methods: []\n", &cfg);
	cr_expect_eq(method_count(&cfg), 0);
	config_free(&cfg);
}

Test(config, scalars)
{
	struct rg_daemon_config cfg;

	parse_ok("metrics:\n  listen: \"\"\nlog_level: error\ndetach_on_exit: false\n", &cfg);
	cr_expect_str_eq(cfg.metrics_listen, "");
	cr_expect_eq(cfg.log_level, RG_LOG_ERROR);
	config_free(&cfg);
	parse_ok("metrics: {listen: 0.0.0.0:80}\nlog_level: warn\nmaps: {prefixes: 1}\n", &cfg);
	cr_expect_str_eq(cfg.metrics_listen, "0.0.0.0:80");
	cr_expect_eq(cfg.log_level, RG_LOG_WARN);
	cr_expect_eq(cfg.prefixes, 1);
	cr_expect_eq(cfg.list_entries, 65536);
	config_free(&cfg);
	parse_ok("metrics: {listen: '[::]:9478'}\nmaps: {list_entries: 1}\n", &cfg);
	cr_expect_str_eq(cfg.metrics_listen, "[::]:9478");
	cr_expect_eq(cfg.list_entries, 1);
	config_free(&cfg);
}

Test(config, sixty_four_interfaces)
{
	struct rg_daemon_config cfg;
	char text[4096], err[ERRLEN];
	size_t off = 0;
	int i;

	off += (size_t)snprintf(text + off, sizeof(text) - off, "interfaces:\n");
	for (i = 0; i < RG_MAX_CONFIG_IFACES; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "  - name: veth%d\n", i);
	parse_ok(text, &cfg);
	cr_expect_eq(cfg.nifaces, RG_MAX_CONFIG_IFACES);
	config_free(&cfg);
	snprintf(text + off, sizeof(text) - off, "  - name: one-more\n");
	cr_assert_eq(parse(text, &cfg, err), -1);
	cr_expect_str_eq(err, "x.yaml:66:5: too many interfaces, expected at most 64");
}

Test(config, attach_mode_names)
{
	cr_expect_str_eq(attach_mode_name(RG_ATTACH_AUTO), "auto");
	cr_expect_str_eq(attach_mode_name(RG_ATTACH_NATIVE), "native");
	cr_expect_str_eq(attach_mode_name(RG_ATTACH_SKB), "skb");
	cr_expect_str_eq(attach_mode_name((enum rg_attach_mode)42), "unknown");
}

/* Files */

Test(config_file, missing_file)
{
	struct rg_daemon_config cfg;
	char err[ERRLEN];

	memset(&cfg, 0xa5, sizeof(cfg));
	cr_assert_eq(config_load("/nonexistent/rtcguard.yaml", &cfg, err, sizeof(err)), -1);
	cr_expect_str_eq(err, "/nonexistent/rtcguard.yaml: No such file or directory");
	cr_expect(all_zero(&cfg, sizeof(cfg)));
}

/* A comment-only file of exactly n bytes. */
static void write_comment_file(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");

	cr_assert(f);
	fputs("# ", f);
	for (size_t i = 3; i < n; i++)
		fputc('x', f);
	fputc('\n', f);
	fclose(f);
}

Test(config_file, a_file_of_exactly_16_mib_is_accepted_one_byte_more_is_not)
{
	char path[] = "/tmp/rg-config-size-XXXXXX", err[ERRLEN], want[ERRLEN + 64];
	struct rg_daemon_config cfg;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	close(fd);
	write_comment_file(path, 16u << 20);
	cr_expect_eq(config_load(path, &cfg, err, sizeof(err)), 0, "%s", err);
	config_free(&cfg);
	write_comment_file(path, (16u << 20) + 1);
	cr_expect_eq(config_load(path, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: file too large, expected at most 16777216 bytes", path);
	cr_expect_str_eq(err, want);
	unlink(path);
}

Test(config_file, directory)
{
	struct rg_daemon_config cfg;
	char err[ERRLEN];

	cr_assert_eq(config_load("/", &cfg, err, sizeof(err)), -1);
	cr_expect_str_eq(err, "/: Is a directory");
}

Test(config_file, error_names_the_file)
{
	const char *path = repo_path("tests/data/config/bad-host-bits.yaml");
	struct rg_daemon_config cfg;
	char err[ERRLEN], want[PATH_MAX + 100];

	cr_assert_eq(config_load(path, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2:16: bad prefix '198.51.100.1/24': host bits set after /24",
		 path);
	cr_expect_str_eq(err, want);
}

Test(config_file, error_leaves_nothing)
{
	struct rg_daemon_config cfg;
	char err[ERRLEN];

	/* Scopes, lists and interfaces are built before the error. */
	memset(&cfg, 0xa5, sizeof(cfg));
	cr_assert_eq(parse("interfaces: [{name: eth0}]\n"
			   "protect:\n"
			   "  - {prefixes: [198.51.100.0/24], ports: [1]}\n"
			   "lists: {deny: [203.0.113.0/24]}\n"
			   "log_level: loud\n",
			   &cfg, err),
		     -1);
	cr_expect_str_eq(err, "x.yaml:5:12: bad log_level 'loud', expected error, warn, info or debug");
	cr_expect(all_zero(&cfg, sizeof(cfg)));
}

/* Each kind of invalid input, with its exact message. */

#define ERROR_TEST(name, text, msg)     \
	Test(config_errors, name)       \
	{                               \
		expect_error(text, msg); \
	}

ERROR_TEST(yaml_syntax_flow,
	   "protect:\n  - prefixes: [198.51.100.0/24\n    ports: [1]\n",
	   "x.yaml:3:10: bad YAML: did not find expected ',' or ']' while parsing a flow sequence "
	   "at line 2, expected valid YAML")
ERROR_TEST(yaml_syntax_indent, "log_level: info\n  bad: 1\n",
	   "x.yaml:2:6: bad YAML: mapping values are not allowed in this context, expected valid "
	   "YAML")
ERROR_TEST(yaml_tab, "log_level:\tinfo\n\tx: 1\n",
	   "x.yaml:2:1: bad YAML: found a tab character that violates indentation while scanning "
	   "a plain scalar at line 1, expected valid YAML")
ERROR_TEST(yaml_undefined_alias, "log_level: *lvl\n",
	   "x.yaml:1:12: bad YAML: found undefined alias, expected valid YAML")
ERROR_TEST(yaml_not_utf8, "log_level: \xff\n",
	   "x.yaml:1:12: bad YAML: invalid leading UTF-8 octet (byte 0xff), expected UTF-8 text")
ERROR_TEST(two_documents, "log_level: info\n---\nlog_level: debug\n",
	   "x.yaml:2:1: a second YAML document, expected a single document")
ERROR_TEST(top_not_mapping, "- eth0\n",
	   "x.yaml:1:1: wrong type for the configuration: got a list, expected a mapping of "
	   "settings such as interfaces and protect")
ERROR_TEST(unknown_key_top, "log_level: info\nprotec: []\n",
	   "x.yaml:2:1: unknown key 'protec' in the configuration (expected interfaces, protect, "
	   "reflection_ports, stun_methods, lists, maps, metrics, log_level, detach_on_exit)")
ERROR_TEST(unknown_key_nested,
	   "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [3478]\n    prots: [1]\n",
	   "x.yaml:4:5: unknown key 'prots' in protected range (expected prefixes, ports, admit, "
	   "mode, first_fragments, later_fragments)")
ERROR_TEST(unknown_key_interface, "interfaces:\n  - name: eth0\n    node: skb\n",
	   "x.yaml:3:5: unknown key 'node' in interface (expected name, mode)")
ERROR_TEST(unknown_key_metrics, "metrics:\n  port: 9478\n",
	   "x.yaml:2:3: unknown key 'port' in metrics (expected listen)")
ERROR_TEST(non_scalar_key, "[a, b]: 1\n",
	   "x.yaml:1:1: bad key in the configuration: got a list, expected one of interfaces, "
	   "protect, reflection_ports, stun_methods, lists, maps, metrics, log_level, "
	   "detach_on_exit")
ERROR_TEST(duplicate_key, "log_level: info\nmaps:\n  prefixes: 5\n  prefixes: 6\n",
	   "x.yaml:4:3: duplicate key 'prefixes' in maps (first at line 3), expected each key once")
ERROR_TEST(duplicate_key_top, "log_level: info\nlog_level: debug\n",
	   "x.yaml:2:1: duplicate key 'log_level' in the configuration (first at line 1), "
	   "expected each key once")
ERROR_TEST(wrong_type_mapping_for_list, "interfaces:\n  name: eth0\n",
	   "x.yaml:2:3: wrong type for 'interfaces': got a mapping, expected a list of interfaces")
ERROR_TEST(wrong_type_scalar_for_list,
	   "protect:\n  - prefixes: 198.51.100.0/24\n    ports: [1]\n",
	   "x.yaml:2:15: wrong type for 'prefixes': got a single value, expected a list of CIDRs")
ERROR_TEST(wrong_type_list_for_scalar, "log_level: [info]\n",
	   "x.yaml:1:12: wrong type for log_level: got a list, expected error, warn, info or debug")
ERROR_TEST(wrong_type_empty, "interfaces:\nlog_level: info\n",
	   "x.yaml:1:12: wrong type for 'interfaces': got an empty value, expected a list of "
	   "interfaces")
ERROR_TEST(wrong_type_item, "interfaces: [eth0]\n",
	   "x.yaml:1:14: wrong type for interface: got a single value, expected a mapping with "
	   "name and mode")
ERROR_TEST(missing_required_key, "protect:\n  - ports: [3478]\n",
	   "x.yaml:2:5: missing key 'prefixes' in protected range, expected prefixes: [CIDR, ...]")
ERROR_TEST(missing_ports, "protect:\n  - {prefixes: [198.51.100.0/24]}\n",
	   "x.yaml:2:5: missing key 'ports' in protected range, expected ports: [PORT or LOW-HIGH, "
	   "...]")
ERROR_TEST(missing_name, "interfaces:\n  - mode: skb\n",
	   "x.yaml:2:5: missing key 'name' in interface, expected name: IFNAME")
ERROR_TEST(cidr_host_bits, "protect:\n  - prefixes: [198.51.100.1/24]\n    ports: [3478]\n",
	   "x.yaml:2:16: bad prefix '198.51.100.1/24': host bits set after /24")
ERROR_TEST(cidr_not_address, "lists:\n  deny: [203.0.113.300/24]\n",
	   "x.yaml:2:10: bad prefix '203.0.113.300/24': '203.0.113.300' is not an IPv4 or IPv6 "
	   "address")
ERROR_TEST(cidr_length, "lists:\n  allow: [2001:db8::/129]\n",
	   "x.yaml:2:11: bad prefix '2001:db8::/129': length must be 0-128")
ERROR_TEST(port_out_of_range, "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [70000]\n",
	   "x.yaml:3:13: bad port range '70000': expected PORT or LOW-HIGH, 0-65535")
ERROR_TEST(port_range_reversed,
	   "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [3478, 5000-4000]\n",
	   "x.yaml:3:19: bad port range '5000-4000': low end above high end")
ERROR_TEST(port_comma_list, "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [\"1,2\"]\n",
	   "x.yaml:3:13: bad port range '1,2': expected PORT or LOW-HIGH, 0-65535")
ERROR_TEST(ports_empty, "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: []\n",
	   "x.yaml:3:12: empty 'ports', expected at least one PORT or LOW-HIGH")
ERROR_TEST(prefixes_empty, "protect:\n  - prefixes: []\n    ports: [1]\n",
	   "x.yaml:2:15: empty 'prefixes', expected at least one CIDR")
ERROR_TEST(unknown_kind,
	   "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [1]\n    admit: [stun, rtpp]\n",
	   "x.yaml:4:19: unknown kind 'rtpp': expected stun, stun-classic, turn-channel, "
	   "turn-channel-legacy, dtls, rtp, rtcp, zrtp, quic or all")
ERROR_TEST(admit_scalar_not_all,
	   "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [1]\n    admit: stun\n",
	   "x.yaml:4:12: bad admit 'stun': expected a list of stun, stun-classic, turn-channel, "
	   "turn-channel-legacy, dtls, rtp, rtcp, zrtp, quic, or all")
ERROR_TEST(admit_empty,
	   "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [1]\n    admit: []\n",
	   "x.yaml:4:12: empty 'admit', expected at least one kind or all")
ERROR_TEST(too_many_port_ranges,
	   "protect:\n"
	   "  - prefixes: [198.51.100.0/24]\n"
	   "    ports: [1, 2, 3, 4, 5]\n"
	   "  - prefixes: [2001:db8::/32, 198.51.100.0/24]\n"
	   "    ports: [6, 7, 8, 9]\n",
	   "x.yaml:5:22: too many port ranges for prefix 198.51.100.0/24, expected at most 8 over "
	   "all entries that name it")
ERROR_TEST(too_many_port_ranges_one_entry,
	   "protect:\n"
	   "  - prefixes: [198.51.100.0/24]\n"
	   "    ports: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n",
	   "x.yaml:3:37: too many port ranges for prefix 198.51.100.0/24, expected at most 8 over "
	   "all entries that name it")
ERROR_TEST(overlapping_ranges,
	   "protect:\n"
	   "  - prefixes: [198.51.100.0/24]\n"
	   "    ports: [3478]\n"
	   "  - prefixes: [198.51.100.0/24]\n"
	   "    ports: [3000-4000]\n",
	   "x.yaml:5:13: port range 3000-4000 overlaps 3478 (line 3) on prefix 198.51.100.0/24, "
	   "expected disjoint ranges per prefix")
ERROR_TEST(duplicate_prefix_in_entry,
	   "protect:\n  - prefixes: [2001:db8::/32, 2001:0db8::/32]\n    ports: [1]\n",
	   "x.yaml:2:31: duplicate prefix '2001:0db8::/32' in protected range (first at line 2), "
	   "expected each prefix once")
ERROR_TEST(invalid_interface_mode, "interfaces:\n  - name: eth0\n    mode: fast\n",
	   "x.yaml:3:11: bad mode 'fast', expected auto, native or skb")
ERROR_TEST(invalid_range_mode,
	   "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [1]\n    mode: audit\n",
	   "x.yaml:4:11: bad mode 'audit', expected enforce or monitor")
ERROR_TEST(invalid_first_fragments,
	   "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [1]\n    first_fragments: keep\n",
	   "x.yaml:4:22: bad first_fragments 'keep', expected drop or pass")
ERROR_TEST(invalid_later_fragments,
	   "protect:\n  - prefixes: [198.51.100.0/24]\n    ports: [1]\n    later_fragments: yes\n",
	   "x.yaml:4:22: bad later_fragments 'yes', expected pass or drop")
ERROR_TEST(invalid_log_level, "log_level: verbose\n",
	   "x.yaml:1:12: bad log_level 'verbose', expected error, warn, info or debug")
ERROR_TEST(invalid_bool, "detach_on_exit: maybe\n",
	   "x.yaml:1:17: bad detach_on_exit 'maybe', expected true or false")
ERROR_TEST(duplicate_interface, "interfaces:\n  - name: eth0\n  - {name: eth0, mode: skb}\n",
	   "x.yaml:3:12: duplicate interface 'eth0', expected each interface once")
ERROR_TEST(bad_interface_name, "interfaces: [{name: averyveryverylongname}]\n",
	   "x.yaml:1:21: bad interface name 'averyveryverylongname': expected 1-15 characters "
	   "without '/', ':' or spaces")
ERROR_TEST(reflection_port_range, "reflection_ports: [1-3]\n",
	   "x.yaml:1:20: bad port '1-3': expected a port 0-65535")
ERROR_TEST(reflection_port_out_of_range, "reflection_ports:\n  add: [65536]\n",
	   "x.yaml:2:9: bad port '65536': expected a port 0-65535")
ERROR_TEST(reflection_scalar, "reflection_ports: 53\n",
	   "x.yaml:1:19: wrong type for 'reflection_ports': got a single value, expected a list of "
	   "ports or a mapping with defaults, add, remove")
ERROR_TEST(reflection_unknown_key, "reflection_ports: {default: false}\n",
	   "x.yaml:1:20: unknown key 'default' in reflection_ports (expected defaults, add, "
	   "remove)")
ERROR_TEST(reflection_add_and_remove, "reflection_ports: {add: [5], remove: [5]}\n",
	   "x.yaml:1:39: port 5 is both added and removed, expected it in one of add and remove")
ERROR_TEST(stun_method_name, "stun_methods: [binding, bind]\n",
	   "x.yaml:1:25: unknown STUN method 'bind': expected binding, allocate, refresh, send, "
	   "data, create-permission, channel-bind, connect, connection-bind, connection-attempt, "
	   "goog-ping or a number 0-255")
ERROR_TEST(stun_method_number, "stun_methods: [256]\n",
	   "x.yaml:1:16: unknown STUN method '256': expected binding, allocate, refresh, send, "
	   "data, create-permission, channel-bind, connect, connection-bind, connection-attempt, "
	   "goog-ping or a number 0-255")
ERROR_TEST(list_both_deny_and_allow, "lists:\n  deny: [203.0.113.0/24]\n  allow: [203.0.113.0/24]\n",
	   "x.yaml:3:11: prefix '203.0.113.0/24' is both denied and allowed (line 2), expected it "
	   "in one list")
ERROR_TEST(list_duplicate, "lists:\n  deny:\n    - 203.0.113.0/24\n    - 203.0.113.0/24\n",
	   "x.yaml:4:7: duplicate prefix '203.0.113.0/24' in 'deny' (first at line 3), expected "
	   "each prefix once")
ERROR_TEST(map_size_zero, "maps: {list_entries: 0}\n",
	   "x.yaml:1:22: bad list_entries '0', expected an integer 1-1048576")
ERROR_TEST(map_size_too_big, "maps:\n  prefixes: 65537\n",
	   "x.yaml:2:13: bad prefixes '65537', expected an integer 1-65536")
ERROR_TEST(map_size_not_number, "maps:\n  prefixes: 1k\n",
	   "x.yaml:2:13: bad prefixes '1k', expected an integer 1-65536")
ERROR_TEST(prefixes_over_map_size,
	   "maps: {prefixes: 1}\n"
	   "protect:\n"
	   "  - prefixes: [198.51.100.0/24, 2001:db8::/32, 203.0.113.0/24]\n"
	   "    ports: [1]\n",
	   "x.yaml:3:48: more than 1 protected IPv4 prefixes, expected at most maps.prefixes (1)")
ERROR_TEST(list_over_map_size,
	   "lists:\n  deny: [2001:db8::/32, 203.0.113.0/24, 198.51.100.0/24]\n"
	   "maps:\n  list_entries: 1\n",
	   "x.yaml:2:41: more than 1 IPv4 list entries, expected at most maps.list_entries (1)")
ERROR_TEST(listen_hostname, "metrics: {listen: localhost:9478}\n",
	   "x.yaml:1:19: bad listen address 'localhost:9478': expected ADDRESS:PORT, [IPV6]:PORT "
	   "or \"\" (off), e.g. 127.0.0.1:9478")
ERROR_TEST(listen_port_zero, "metrics:\n  listen: 127.0.0.1:0\n",
	   "x.yaml:2:11: bad listen address '127.0.0.1:0': expected ADDRESS:PORT, [IPV6]:PORT or "
	   "\"\" (off), e.g. 127.0.0.1:9478")
ERROR_TEST(listen_bare_v6, "metrics:\n  listen: \"::1:9478\"\n",
	   "x.yaml:2:11: bad listen address '::1:9478': expected ADDRESS:PORT, [IPV6]:PORT or \"\" "
	   "(off), e.g. 127.0.0.1:9478")
ERROR_TEST(nul_in_value, "log_level: \"in\\0fo\"\n",
	   "x.yaml:1:12: bad log_level: contains a NUL character, expected error, warn, info or "
	   "debug")
