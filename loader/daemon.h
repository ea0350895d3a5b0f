/* SPDX-License-Identifier: GPL-2.0 */
/* rtcguardd's state, shared by its parts (main loop, control socket, link watch, metrics). */
#ifndef RG_LOADER_DAEMON_H
#define RG_LOADER_DAEMON_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "attach.h"
#include "config.h"
#include "dataplane.h"

struct rg_metrics_server;

struct rg_iface_state {
	char name[16];
	uint32_t ifslot;
	int ifindex; /* 0 while absent */
	enum rg_xdp_mode want;
	struct rg_attachment att; /* prog_id 0 while not attached */
};

struct rg_daemon {
	const char *config_path;
	const char *object_path;
	struct rg_daemon_config cfg;
	struct rg_dataplane dp; /* map handles bound to the pins */
	uint32_t stats_map_id;
	struct rg_iface_state ifaces[RG_MAX_IFACES];
	size_t nifaces;
	pthread_mutex_t lock; /* guards ifaces and cfg against the metrics thread */
	struct rg_metrics_server *metrics;
	time_t started;
	int stopping;
	int reloading; /* adopting our own programs again is no news then */
	int pin_lock;  /* flock on the pin directory: one daemon per pinned state */
};

void rg_log(enum rg_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern enum rg_log_level rg_log_level;

/*
 * (Re)attach or adopt one configured interface if present.  0, or -1 with
 * the reason in err when it is present but cannot be attached.
 */
int daemon_attach_iface(struct rg_daemon *d, struct rg_iface_state *s, char *err, size_t errlen);
/*
 * Re-read the config and make it the running one, logging the outcome.
 * 0 done; -1 refused, running state unchanged; 1 applied but some
 * interface could not be attached.  err says why.
 */
int daemon_reload(struct rg_daemon *d, char *err, size_t errlen);
/* Serve metrics on listen ("" = none); on failure the old server stays. */
int daemon_metrics_listen(struct rg_daemon *d, const char *listen, char *err, size_t errlen);

/* Control socket (loader/control.c). */
int control_open(const char *path, char *err, size_t errlen);
/* Accept pending clients (never blocks). */
void control_accept(int listen_fd);
/* The clients' fds to poll; returns how many were written. */
struct pollfd;
int control_pollfds(struct pollfd *pfd, int max);
/* Read what clients sent, answer whole requests, cut off slow ones. */
void control_service(struct rg_daemon *d);

/* Link watching (loader/linkwatch.c). */
struct mnl_socket;
struct mnl_socket *linkwatch_open(char *err, size_t errlen);
int linkwatch_fd(struct mnl_socket *nl);
void linkwatch_handle(struct rg_daemon *d, struct mnl_socket *nl);

/* Metrics snapshot callbacks (loader/daemon_metrics.c). */
struct rg_metrics_snapshot;
int daemon_metrics_collect(void *arg, struct rg_metrics_snapshot *s);
void daemon_metrics_release(void *arg, struct rg_metrics_snapshot *s);

/* Expire timed list entries; returns how many were removed. */
int daemon_expire(struct rg_daemon *d);

#endif
