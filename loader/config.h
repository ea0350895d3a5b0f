/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtcguardd's configuration: the YAML file (docs/config.md) parsed with
 * libyaml into a daemon config and the data plane policy it implies.
 * Every error names file:line:column (1-based) and what was expected; an
 * invalid file yields no config at all.
 */
#ifndef RG_LOADER_CONFIG_H
#define RG_LOADER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

#define RG_MAX_CONFIG_IFACES RG_MAX_IFACES
#define RG_DEFAULT_CONFIG "/etc/rtcguard/rtcguard.yaml"
#define RG_DEFAULT_METRICS "127.0.0.1:9478"

enum rg_attach_mode {
	RG_ATTACH_AUTO,   /* native, falling back to skb (generic) */
	RG_ATTACH_NATIVE,
	RG_ATTACH_SKB,
};

enum rg_log_level {
	RG_LOG_ERROR,
	RG_LOG_WARN,
	RG_LOG_INFO,
	RG_LOG_DEBUG,
};

struct rg_iface_config {
	char name[16]; /* IFNAMSIZ */
	enum rg_attach_mode mode;
};

struct rg_daemon_config {
	struct rg_iface_config ifaces[RG_MAX_CONFIG_IFACES];
	size_t nifaces;
	char metrics_listen[64]; /* "ADDRESS:PORT", "[V6]:PORT", or "" = off */
	enum rg_log_level log_level;
	int detach_on_exit;        /* default 0: fail-static */
	uint32_t list_entries;     /* max source-list entries per family */
	uint32_t prefixes;         /* max protected prefixes per family */
	struct rg_policy policy;   /* scopes, config-origin list entries, reflection ports, STUN methods */
};

/* Parse a file.  0 on success; -1 with "file:line:col: message" in err. */
int config_load(const char *path, struct rg_daemon_config *cfg, char *err, size_t errlen);
/* Parse YAML text (name is used in messages). */
int config_parse(const char *name, const char *text, size_t len, struct rg_daemon_config *cfg,
		 char *err, size_t errlen);
void config_free(struct rg_daemon_config *cfg);

const char *attach_mode_name(enum rg_attach_mode m);

#endif
