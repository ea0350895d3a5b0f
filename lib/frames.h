/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames from capture files (pcap and pcapng, through libpcap), converted to
 * Ethernet, the only link type an XDP program sees.
 */
#ifndef RG_LIB_FRAMES_H
#define RG_LIB_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define RG_FRAME_MAX 65600

struct rg_frame_reader;

enum rg_frame_status {
	RG_FRAME_OK,
	RG_FRAME_UNSUPPORTED_LINK, /* link type rtcguard cannot turn into Ethernet */
	RG_FRAME_UNCONVERTIBLE,    /* header too short or unknown protocol for its link type */
	RG_FRAME_TRUNCATED,        /* captured fewer bytes than were on the wire */
};

extern const char *const rg_frame_status_names[];

struct rg_frame {
	uint64_t number; /* 1-based, as Wireshark counts */
	enum rg_frame_status status;
	size_t len;
	uint8_t data[RG_FRAME_MAX];
};

/* Open a capture file; NULL with a one-line message in err on failure. */
struct rg_frame_reader *frames_open(const char *path, char *err, size_t errlen);
/* Next frame: 1 read, 0 end of file, -1 error (message in err). */
int frames_next(struct rg_frame_reader *r, struct rg_frame *f, char *err, size_t errlen);
void frames_close(struct rg_frame_reader *r);

/*
 * Convert one captured frame of link type dlt to Ethernet into out (cap
 * RG_FRAME_MAX).  Returns the status; *out_len is set when RG_FRAME_OK.
 */
enum rg_frame_status frames_to_ethernet(int dlt, const uint8_t *in, size_t len, uint8_t *out,
					size_t *out_len);

#endif
