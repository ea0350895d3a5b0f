// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
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

int dataplane_load(struct rg_dataplane *dp, const char *path, const struct rg_load_opts *opts,
		   char *err, size_t errlen)
{
	struct bpf_program *prog;
	int e;

	memset(dp, 0, sizeof(*dp));
	if (access(path, R_OK) != 0) {
		e = -errno;
		snprintf(err, errlen, "cannot read BPF object %s: %s", path, strerror(errno));
		return e;
	}
	libbpf_set_print(silent_print);
	dp->obj = bpf_object__open_file(path, NULL);
	if (!dp->obj) {
		e = -errno;
		snprintf(err, errlen, "cannot open BPF object %s: %s", path, strerror(errno));
		return e;
	}
	if (opts && (set_rodata_u32(dp->obj, "rg_ifslot", opts->ifslot) ||
		     set_rodata_u32(dp->obj, "rg_record_last", opts->record_last ? 1 : 0))) {
		snprintf(err, errlen, "BPF object %s lacks the rtcguard load-time knobs", path);
		bpf_object__close(dp->obj);
		dp->obj = NULL;
		return -ENOENT;
	}
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

static int put_prefix(int fd4, int fd6, const struct rg_prefix *p, const void *value)
{
	if (p->family == 4) {
		struct rg_lpm_v4 k = { .prefixlen = p->len };

		memcpy(k.addr, p->addr, 4);
		return bpf_map_update_elem(fd4, &k, value, BPF_ANY);
	} else {
		struct rg_lpm_v6 k = { .prefixlen = p->len };

		memcpy(k.addr, p->addr, 16);
		return bpf_map_update_elem(fd6, &k, value, BPF_ANY);
	}
}

int dataplane_apply(struct rg_dataplane *dp, const struct rg_policy *pol)
{
	uint32_t zero = 0, w;
	size_t i;

	if (bpf_map_update_elem(dp->config_fd, &zero, &pol->config, BPF_ANY))
		return -errno;
	for (w = 0; w < RG_REFLECT_WORDS; w++)
		if (bpf_map_update_elem(dp->reflect_fd, &w, &pol->reflect[w], BPF_ANY))
			return -errno;
	for (i = 0; i < pol->nscopes; i++)
		if (put_prefix(dp->scope4_fd, dp->scope6_fd, &pol->scopes[i].dst, &pol->scopes[i].scope))
			return -errno;
	for (i = 0; i < pol->nlists; i++)
		if (put_prefix(dp->list4_fd, dp->list6_fd, &pol->lists[i].src, &pol->lists[i].entry))
			return -errno;
	return 0;
}

/* The largest frame the kernel's XDP test run takes (one page less room), probed once. */
size_t dataplane_max_test_frame(struct rg_dataplane *dp)
{
	static uint8_t zeros[65536];
	size_t lo = 64, hi = sizeof(zeros);

	if (dp->max_test_frame)
		return dp->max_test_frame;
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = zeros, .data_size_in = (uint32_t)mid,
			    .repeat = 1);

		if (bpf_prog_test_run_opts(dp->prog_fd, &o) == 0)
			lo = mid;
		else
			hi = mid - 1;
	}
	dp->max_test_frame = lo;
	return lo;
}

int dataplane_test_run(struct rg_dataplane *dp, const void *frame, size_t len, uint32_t repeat,
		       uint32_t *xdp_ret, uint32_t *duration_ns, struct rg_judgement *j)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (uint32_t)len,
		    .repeat = repeat);
	uint32_t zero = 0;
	int e;

	if (len > dataplane_max_test_frame(dp))
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
