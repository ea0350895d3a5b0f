// SPDX-License-Identifier: GPL-2.0
/* Talking to rtcguardd over its control socket: one JSON request, one JSON answer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "pins.h"

json_object *control_request(json_object *req, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 10 };
	const char *path = pins_control_socket(), *out;
	char buf[65536];
	size_t got = 0;
	ssize_t n;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			snprintf(err, errlen, "rtcguardd is not running (no daemon on %s)", path);
		else
			snprintf(err, errlen, "cannot reach rtcguardd at %s: %s%s", path, strerror(errno),
				 errno == EACCES ? " (needs root or group rtcguard)" : "");
		close(fd);
		return NULL;
	}
	/* One write: the daemon answers and closes after its first read. */
	out = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	snprintf(buf, sizeof(buf), "%s\n", out);
	if (send(fd, buf, strlen(buf), MSG_NOSIGNAL) < 0) {
		snprintf(err, errlen, "cannot talk to rtcguardd: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	while (got < sizeof(buf) - 1 && (n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	if (!got) {
		snprintf(err, errlen, "rtcguardd closed the connection without an answer");
		return NULL;
	}
	{
		json_object *resp = json_tokener_parse(buf);

		if (!resp)
			snprintf(err, errlen, "rtcguardd sent an unreadable answer");
		return resp;
	}
}

int control_call(json_object *req, json_object **resp_out)
{
	char err[512];
	json_object *resp = control_request(req, err, sizeof(err)), *ok, *msg;

	json_object_put(req);
	if (!resp) {
		cli_err("%s", err);
		return 1;
	}
	if (!json_object_object_get_ex(resp, "ok", &ok) || !json_object_get_boolean(ok)) {
		cli_err("%s", json_object_object_get_ex(resp, "error", &msg) ? json_object_get_string(msg)
									      : "request failed");
		json_object_put(resp);
		return 1;
	}
	if (resp_out)
		*resp_out = resp;
	else
		json_object_put(resp);
	return 0;
}
