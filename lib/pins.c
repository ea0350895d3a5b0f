// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "pins.h"
#include "rtcguard/abi.h"

const char *const rg_pinned_maps[] = {
	"rg_config", "rg_scope_v4", "rg_scope_v6", "rg_list_v4", "rg_list_v6",
	"rg_reflect", "rg_ports", "rg_lists_used", "rg_stats", "rg_ifaces", NULL,
};

const char *pins_dir(void)
{
	const char *d = getenv("RTCGUARD_PIN_DIR");

	return d && *d ? d : RG_PIN_DIR;
}

const char *pins_control_socket(void)
{
	const char *s = getenv("RTCGUARD_CONTROL");

	return s && *s ? s : RG_CONTROL_SOCK;
}

int pins_open_map(const char *name, char *err, size_t errlen)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pins_dir(), name);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(err, errlen, "no pinned rtcguard state at %s (has rtcguardd ever run?)",
				 pins_dir());
		else
			snprintf(err, errlen, "cannot open %s: %s%s", path, strerror(errno),
				 errno == EPERM || errno == EACCES ? " (needs root)" : "");
	}
	return fd;
}

int pins_check_layout(int *exists, char *err, size_t errlen)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info), zero = 0;
	struct rg_config cfg;
	char path[512];
	int fd;

	*exists = 0;
	snprintf(path, sizeof(path), "%s/rg_config", pins_dir());
	fd = bpf_obj_get(path);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	*exists = 1;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.value_size != sizeof(cfg) ||
	    bpf_map_lookup_elem(fd, &zero, &cfg) || cfg.layout_version != RG_LAYOUT_VERSION) {
		snprintf(err, errlen,
			 "pinned maps under %s are of another rtcguard layout (found version %u, "
			 "this build uses %u): refusing to adopt them; `rtcguard detach --all` with "
			 "the matching version, then remove %s",
			 pins_dir(), info.value_size == sizeof(cfg) ? cfg.layout_version : 0,
			 RG_LAYOUT_VERSION, pins_dir());
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
