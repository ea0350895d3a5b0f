/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's pinned state under /sys/fs/bpf/rtcguard/: map paths and the
 * layout check.  The CLI opens the same pins to read state (and for the two
 * emergency writes, bypass and detach) when the daemon is down.
 */
#ifndef RG_LIB_PINS_H
#define RG_LIB_PINS_H

#include <stddef.h>

#define RG_PIN_DIR "/sys/fs/bpf/rtcguard"
#define RG_RUN_DIR "/run/rtcguard"
#define RG_CONTROL_SOCK RG_RUN_DIR "/control.sock"

/* Maps the daemon pins, by the names they have in the object. */
extern const char *const rg_pinned_maps[];

/* The pin directory in use: $RTCGUARD_PIN_DIR (tests) or RG_PIN_DIR. */
const char *pins_dir(void);
/* The control socket path: $RTCGUARD_CONTROL (tests) or RG_CONTROL_SOCK. */
const char *pins_control_socket(void);

/*
 * Open a pinned map by name.  Returns the fd, or -1 with a one-line message
 * (missing pins mean no daemon has run: says so).
 */
int pins_open_map(const char *name, char *err, size_t errlen);

/*
 * Check the pinned maps' layout version.  0 when no pins exist (*exists =
 * 0) or they match; -1 with a message when they are of another layout.
 */
int pins_check_layout(int *exists, char *err, size_t errlen);

#endif
