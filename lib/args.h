/* SPDX-License-Identifier: GPL-2.0 */
/* Parsers for the values operators type: port lists, kind lists, CIDRs, durations, rates. */
#ifndef RG_LIB_ARGS_H
#define RG_LIB_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

/* "3478,49152-65535" -> ranges; 0 or -1 with a message in err. */
int parse_port_ranges(const char *s, struct rg_port_range *out, size_t cap, size_t *n, char *err,
		      size_t errlen);
/* "stun,rtp" or "all" -> bitmap of enum rg_kind. */
int parse_kinds(const char *s, uint32_t *admit, char *err, size_t errlen);
/* Kind name -> enum rg_kind, or -1. */
int kind_from_name(const char *name);
/* "198.51.100.0/24", "2001:db8::/32", or a bare address (full length); host bits refused. */
int parse_cidr(const char *s, struct rg_prefix *out, char *err, size_t errlen);
/* "30s", "10m", "1h", "2d", "500ms" or plain seconds -> nanoseconds. */
int parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen);
/* "1000", "10k", "2M" -> value. */
int parse_rate(const char *s, uint64_t *out, char *err, size_t errlen);

#endif
