# shellcheck shell=bash
# A two-namespace testbed for rtcguard, shared by the end-to-end tests and
# `make demo`.  Source it, call tb_up, and everything it made (namespaces,
# links, pins, sockets, processes it started) goes on exit, also on failure.
#
#   server namespace $TB_SRV: veth $TB_SRV_IF 198.18.$TB_NET.1/24, 2001:2:0:$TB_NET::1/64
#     rtcguardd runs here (nsenter keeps /sys/fs/bpf visible), attached to $TB_SRV_IF
#   client namespace $TB_CLI: veth $TB_CLI_IF 198.18.$TB_NET.2/24, 2001:2:0:$TB_NET::2/64
#
# Only addresses of the benchmarking ranges 198.18.0.0/15 and 2001:2::/48.

TB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TB_BUILD=${TB_BUILD:-$TB_ROOT/build}
TB_ID=${TB_ID:-$$}
TB_NET=$((TB_ID % 200 + 20))
TB_SRV=rgtb${TB_ID}s
TB_CLI=rgtb${TB_ID}c
TB_SRV_IF=rg${TB_ID}s
TB_CLI_IF=rg${TB_ID}c
TB_SRV_IP=198.18.$TB_NET.1
TB_CLI_IP=198.18.$TB_NET.2
TB_SRV_IP6=2001:2:0:$TB_NET::1
TB_CLI_IP6=2001:2:0:$TB_NET::2
TB_TMP=$(mktemp -d /tmp/rgtb.XXXXXX)
export RTCGUARD_PIN_DIR=/sys/fs/bpf/rtcguard-tb$TB_ID
export RTCGUARD_CONTROL=$TB_TMP/control.sock
TB_PIDS=()
TB_DAEMON_PID=

tb_log() { printf '%s\n' "$*" >&2; }

tb_down() {
	set +e
	local pid
	for pid in "${TB_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${TB_PIDS[@]}"; do
		timeout 5 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null
	done
	TB_PIDS=()
	ip netns del "$TB_SRV" 2>/dev/null
	ip netns del "$TB_CLI" 2>/dev/null
	rm -rf "$RTCGUARD_PIN_DIR" "$TB_TMP"
	# libxdp makes /sys/fs/bpf/xdp for its locks when attaching; leave bpffs as found.
	[ -n "$TB_XDP_DIR_NEW" ] && rmdir /sys/fs/bpf/xdp 2>/dev/null
	return 0
}

tb_up() {
	trap tb_down EXIT
	trap 'exit 130' INT TERM
	mount | grep -q ' /sys/fs/bpf type bpf' || mount -t bpf bpf /sys/fs/bpf
	[ -e /sys/fs/bpf/xdp ] || TB_XDP_DIR_NEW=1
	ip netns add "$TB_SRV"
	ip netns add "$TB_CLI"
	ip link add "$TB_SRV_IF" netns "$TB_SRV" type veth peer name "$TB_CLI_IF" netns "$TB_CLI"
	ip -n "$TB_SRV" addr add "$TB_SRV_IP/24" dev "$TB_SRV_IF"
	ip -n "$TB_CLI" addr add "$TB_CLI_IP/24" dev "$TB_CLI_IF"
	ip -n "$TB_SRV" addr add "$TB_SRV_IP6/64" dev "$TB_SRV_IF" nodad
	ip -n "$TB_CLI" addr add "$TB_CLI_IP6/64" dev "$TB_CLI_IF" nodad
	ip -n "$TB_SRV" link set lo up
	ip -n "$TB_CLI" link set lo up
	ip -n "$TB_SRV" link set "$TB_SRV_IF" up
	ip -n "$TB_CLI" link set "$TB_CLI_IF" up
	# Locally sent datagrams carry partial checksums unless offload is off.
	ip netns exec "$TB_CLI" ethtool -K "$TB_CLI_IF" tx off >/dev/null 2>&1 || true
}

# Run in the server namespace: servers and captures (ip netns exec).
tb_srv() { ip netns exec "$TB_SRV" "$@"; }
# Run in the client namespace.
tb_cli() { ip netns exec "$TB_CLI" "$@"; }
# Run in the server namespace with bpffs still visible (rtcguardd, rtcguard).
tb_srv_bpf() { nsenter --net="/run/netns/$TB_SRV" "$@"; }
tb_rtcguard() { tb_srv_bpf "$TB_BUILD/rtcguard" "$@"; }

# Write a config protecting the server address on the given ports.
tb_config() { # FILE PORTS [extra yaml appended]
	local file=$1 ports=$2
	cat >"$file" <<YAML
interfaces:
  - name: $TB_SRV_IF
protect:
  - prefixes: [$TB_SRV_IP/32, $TB_SRV_IP6/128]
    ports: [$ports]
metrics:
  listen: 127.0.0.1:9478
YAML
	[ $# -gt 2 ] && printf '%s\n' "$3" >>"$file"
	return 0
}

# Start rtcguardd on a config; waits until its control socket answers.
tb_daemon_start() { # CONFIG [LOGFILE]
	local log=${2:-$TB_TMP/rtcguardd.log} i
	nsenter --net="/run/netns/$TB_SRV" "$TB_BUILD/rtcguardd" -c "$1" >>"$log" 2>&1 &
	TB_DAEMON_PID=$!
	TB_PIDS+=("$TB_DAEMON_PID")
	for i in $(seq 100); do
		tb_rtcguard status >/dev/null 2>&1 && tb_rtcguard -j status | grep -q '"pid"' && return 0
		kill -0 "$TB_DAEMON_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
		sleep 0.1
	done
	tb_log "rtcguardd did not come up"; cat "$log" >&2
	return 1
}

# Start a background process in a namespace and remember its PID for cleanup
# (ip netns exec execs the command, so the PID is the process itself).
tb_srv_bg() { ip netns exec "$TB_SRV" "$@" & TB_PIDS+=("$!"); }
tb_cli_bg() { ip netns exec "$TB_CLI" "$@" & TB_PIDS+=("$!"); }
