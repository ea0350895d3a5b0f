// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "attach.h"

const char *xdp_mode_name(enum rg_xdp_mode m)
{
	return m == RG_MODE_NATIVE ? "native" : m == RG_MODE_SKB ? "skb" : "none";
}

uint32_t map_id_of_fd(int fd)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* Is program id an rtcguard program using the map stats_map_id? */
static int prog_is_ours(uint32_t id, uint32_t stats_map_id)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info), map_ids[32], i;
	int fd = bpf_prog_get_fd_by_id(id), ours = 0;

	if (fd < 0)
		return 0;
	info.nr_map_ids = 32;
	info.map_ids = (uint64_t)(unsigned long)map_ids;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && !strcmp(info.name, "rtcguard_xdp")) {
		for (i = 0; i < info.nr_map_ids && i < 32; i++)
			ours |= !stats_map_id || map_ids[i] == stats_map_id;
	}
	close(fd);
	return ours;
}

static enum rg_xdp_mode from_libxdp(enum xdp_attach_mode m)
{
	return m == XDP_MODE_NATIVE ? RG_MODE_NATIVE : m == XDP_MODE_SKB ? RG_MODE_SKB : RG_MODE_NONE;
}

int attach_find(int ifindex, uint32_t stats_map_id, struct rg_attachment *out)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p;
	int found = 0;

	if (libxdp_get_error(mp))
		return libxdp_get_error(mp) == -ENOENT ? 0 : -1;
	if (!mp)
		return 0;
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (p && prog_is_ours(xdp_program__id(p), stats_map_id)) {
			out->prog_id = xdp_program__id(p);
			out->dispatcher = 0;
			found = 1;
		}
	} else {
		for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp)) {
			if (prog_is_ours(xdp_program__id(p), stats_map_id)) {
				out->prog_id = xdp_program__id(p);
				out->dispatcher = 1;
				found = 1;
				break;
			}
		}
	}
	if (found)
		out->mode = from_libxdp(xdp_multiprog__attach_mode(mp));
	xdp_multiprog__close(mp);
	return found;
}

static int try_attach(const char *object, const struct rg_load_opts *opts, int ifindex,
		      enum xdp_attach_mode mode, char *err, size_t errlen)
{
	struct bpf_object *obj = dataplane_open_object(object, opts, err, errlen);
	struct xdp_program *prog;
	int e;

	if (!obj)
		return -1;
	prog = xdp_program__from_bpf_obj(obj, "xdp");
	if (libxdp_get_error(prog)) {
		snprintf(err, errlen, "libxdp cannot use %s: %s", object,
			 strerror((int)-libxdp_get_error(prog)));
		bpf_object__close(obj);
		return -1;
	}
	e = xdp_program__attach(prog, ifindex, mode, 0);
	if (e)
		snprintf(err, errlen, "%s", strerror(-e));
	/* The attachment holds the program; our handles can go. */
	xdp_program__close(prog);
	bpf_object__close(obj);
	return e ? -1 : 0;
}

int attach_new(const char *object, const struct rg_load_opts *opts, int ifindex,
	       enum rg_xdp_mode want, struct rg_attachment *out, char *err, size_t errlen)
{
	char native_err[256] = "";
	int found;

	if (want != RG_MODE_SKB) {
		if (try_attach(object, opts, ifindex, XDP_MODE_NATIVE, native_err,
			       sizeof(native_err)) == 0)
			goto attached;
		if (want == RG_MODE_NATIVE) {
			snprintf(err, errlen, "native XDP attach failed: %s", native_err);
			return -1;
		}
	}
	if (try_attach(object, opts, ifindex, XDP_MODE_SKB, err, errlen)) {
		if (*native_err) {
			char skb_err[256];

			snprintf(skb_err, sizeof(skb_err), "%s", err);
			snprintf(err, errlen, "attach failed: native: %s; skb: %s", native_err, skb_err);
		}
		return -1;
	}
attached:
	found = attach_find(ifindex, 0, out);
	if (found != 1) {
		snprintf(err, errlen, "attached, but cannot find the program on the interface");
		return -1;
	}
	return 0;
}

int attach_remove(int ifindex, uint32_t stats_map_id, char *err, size_t errlen)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p;
	int e = 0, done = 0;

	if (libxdp_get_error(mp) || !mp)
		return 0;
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (p && prog_is_ours(xdp_program__id(p), stats_map_id)) {
			e = xdp_multiprog__detach(mp);
			done = 1;
		}
	} else {
		for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp)) {
			if (prog_is_ours(xdp_program__id(p), stats_map_id)) {
				e = xdp_program__detach(p, ifindex, xdp_multiprog__attach_mode(mp), 0);
				done = 1;
				break;
			}
		}
	}
	xdp_multiprog__close(mp);
	if (e) {
		snprintf(err, errlen, "detach failed: %s", strerror(-e));
		return -1;
	}
	return done;
}
