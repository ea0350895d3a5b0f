// SPDX-License-Identifier: GPL-2.0
/*
 * Link watching over rtnetlink (libmnl): when a configured interface
 * appears, or disappears and comes back, rtcguardd (re-)attaches.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "daemon.h"

struct mnl_socket *linkwatch_open(char *err, size_t errlen)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (!nl || mnl_socket_bind(nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "rtnetlink: %s", strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

int linkwatch_fd(struct mnl_socket *nl)
{
	return mnl_socket_get_fd(nl);
}

struct link_event {
	struct rg_daemon *d;
};

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct link_event *ev = data;
	struct rg_daemon *d = ev->d;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	const char *name = NULL;
	size_t i;

	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(a) == IFLA_IFNAME && mnl_attr_validate(a, MNL_TYPE_STRING) >= 0)
			name = mnl_attr_get_str(a);
	}
	if (!name)
		return MNL_CB_OK;
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nifaces; i++) {
		struct rg_iface_state *s = &d->ifaces[i];

		if (strcmp(s->name, name))
			continue;
		if (nlh->nlmsg_type == RTM_DELLINK) {
			if (s->ifindex == ifi->ifi_index) {
				rg_log(RG_LOG_WARN, "interface %s removed", name);
				s->ifindex = 0;
				memset(&s->att, 0, sizeof(s->att));
			}
		} else if (nlh->nlmsg_type == RTM_NEWLINK &&
			   (s->ifindex != ifi->ifi_index || !s->att.prog_id)) {
			char err[512];

			rg_log(RG_LOG_INFO, "interface %s appeared (index %d)", name, ifi->ifi_index);
			daemon_attach_iface(d, s, err, sizeof(err));
		}
	}
	pthread_mutex_unlock(&d->lock);
	return MNL_CB_OK;
}

void linkwatch_handle(struct rg_daemon *d, struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct link_event ev = { .d = d };
	ssize_t n;

	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0)
		mnl_cb_run(buf, (size_t)n, 0, 0, on_link, &ev);
}
