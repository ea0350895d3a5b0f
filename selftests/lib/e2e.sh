# shellcheck shell=bash
# Helpers for the end-to-end tests (test_daemon.sh, test_prometheus.sh), on top of
# testbed.sh (source testbed.sh first).  Checks print what they expected and what
# they got; e2e_finish prints 'N passed, N failed' and gives the exit status.

E2E_PASS=0
E2E_FAIL=0
E2E_NAME=${E2E_NAME:-e2e}
E2E_PY=/usr/bin/python3
[ -x "$E2E_PY" ] || E2E_PY=python3
E2E_UDP=$TB_ROOT/selftests/lib/udp.py

e2e_ok() { E2E_PASS=$((E2E_PASS + 1)); printf '  ok   %s: %s\n' "$1" "$2"; }
e2e_bad() { E2E_FAIL=$((E2E_FAIL + 1)); printf '  FAIL %s: %s\n' "$1" "$2"; }
e2e_step() { printf '%s: == [%3ss] %s\n' "$E2E_NAME" "$SECONDS" "$*"; }

# ck_eq NAME EXPECTED GOT
ck_eq() {
	if [ "$2" = "$3" ]; then e2e_ok "$1" "expected '$2', got '$3'"
	else e2e_bad "$1" "expected '$2', got '$3'"; fi
}
# ck_ge NAME MIN GOT (integers)
ck_ge() {
	if [[ "$3" =~ ^[0-9]+$ ]] && [ "$3" -ge "$2" ]; then e2e_ok "$1" "expected >= $2, got $3"
	else e2e_bad "$1" "expected >= $2, got '$3'"; fi
}
# ck_range NAME LOW HIGH GOT (numbers, awk comparison)
ck_range() {
	if awk -v l="$2" -v h="$3" -v g="$4" 'BEGIN { exit !(g != "" && g + 0 == g && g >= l && g <= h) }'
	then e2e_ok "$1" "expected $2..$3, got $4"
	else e2e_bad "$1" "expected $2..$3, got '$4'"; fi
}
# ck_match NAME ERE GOT
ck_match() {
	if printf '%s' "$3" | grep -Eq -- "$2"; then e2e_ok "$1" "expected /$2/, got '$(printf '%s' "$3" | head -c 300 | tr '\n' '|')'"
	else e2e_bad "$1" "expected /$2/, got '$(printf '%s' "$3" | head -c 600 | tr '\n' '|')'"; fi
}
# ck_nomatch NAME ERE GOT
ck_nomatch() {
	if printf '%s' "$3" | grep -Eq -- "$2"; then e2e_bad "$1" "expected no /$2/, got '$(printf '%s' "$3" | head -c 600 | tr '\n' '|')'"
	else e2e_ok "$1" "expected no /$2/, got '$(printf '%s' "$3" | head -c 300 | tr '\n' '|')'"; fi
}
# ck_log NAME ERE FILE: a line of FILE matches; shows that line, or the file's last lines.
ck_log() {
	local line
	line=$(grep -E -- "$2" "$3" | tail -1)
	if [ -n "$line" ]; then e2e_ok "$1" "expected a line /$2/, got '$line'"
	else e2e_bad "$1" "expected a line /$2/, got none; last lines: '$(tail -5 "$3" | tr '\n' '|')'"; fi
}

e2e_finish() {
	echo "$E2E_NAME: $E2E_PASS passed, $E2E_FAIL failed"
	[ "$E2E_FAIL" -eq 0 ] && [ "$E2E_PASS" -gt 0 ]
}

# A watchdog: TERM to this shell after SECONDS (testbed's trap then cleans up).
e2e_watchdog() {
	local me=$$
	(
		sleep "$1" >/dev/null 2>&1 &
		s=$!
		trap 'kill "$s" 2>/dev/null; exit 0' TERM
		wait "$s" && { echo "$E2E_NAME: watchdog: still running after $1 s, stopping" >&2; kill -TERM "$me"; }
	) </dev/null >/dev/null &
	TB_PIDS+=("$!")
}

# e2e_start WATCHDOG_SECONDS TOOL...: check the tools and the project's
# binaries are there, bring the testbed up under a watchdog, or fail clearly.
e2e_start() {
	local secs=$1 t b
	shift
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "$E2E_NAME: FAIL: $t not installed (scripts/install-deps.sh)"; exit 1; }
	done
	for b in rtcguardd rtcguard rtcguard-flood; do
		[ -x "$TB_BUILD/$b" ] || { echo "$E2E_NAME: FAIL: $TB_BUILD/$b not built (make)"; exit 1; }
	done
	tb_up
	e2e_watchdog "$secs"
	if ! ip -n "$TB_SRV" link show "$TB_SRV_IF" >/dev/null 2>&1; then
		echo "$E2E_NAME: FAIL: testbed $TB_ID did not come up (left over from an earlier run?)"
		exit 1
	fi
}

# Packets counted by the XDP program on the server interface for VERDICT REASON
# (from `rtcguard -j stats`; 0 when the row is absent).
cnt() { # VERDICT REASON
	tb_rtcguard -j stats --interval 0.05 2>/dev/null | jq -r --arg i "$TB_SRV_IF" --arg v "$1" --arg r "$2" \
		'[.[] | select(.interface == $i) | .counters[] | select(.verdict == $v and .reason == $r) | .packets] | add // 0'
}
# Sum of every packet counter of the server interface.
cnt_all() {
	tb_rtcguard -j stats --interval 0.05 2>/dev/null | jq -r --arg i "$TB_SRV_IF" \
		'[.[] | select(.interface == $i) | .counters[] | .packets] | add // 0'
}
# Admitted packets of one kind.
cnt_kind() { # KIND
	tb_rtcguard -j stats --interval 0.05 2>/dev/null | jq -r --arg i "$TB_SRV_IF" --arg k "$1" \
		'[.[] | select(.interface == $i) | .admitted_by_kind[$k] // 0] | add // 0'
}
# One field of the server interface in `rtcguard -j status`.
st_if() { # FIELD
	tb_rtcguard -j status 2>/dev/null | jq -r --arg i "$TB_SRV_IF" --arg f "$1" \
		'.interfaces[] | select(.interface == $i) | .[$f] | tostring'
}

# Frames the client veth handed to the server side by XDP_TX (the peer's ring;
# frames refused by a full ring are counted apart, as xdp_xmit_errors).
xdp_xmit() {
	tb_cli ethtool -S "$TB_CLI_IF" 2>/dev/null | awk '$1 == "tx_queue_0_xdp_xmit:" { n = $2 } END { print n + 0 }'
}
# rtcguard-flood from the client namespace; extra options after COUNT.  Sets
# FLOOD_GOT: how many of the COUNT frames reached the server's XDP program (a
# loaded machine can overflow the veth's ring; those never reach rtcguard).
flood() { # PORT COUNT [OPTIONS...]
	local port=$1 count=$2 x0 rc
	shift 2
	x0=$(xdp_xmit)
	tb_cli timeout 20 "$TB_BUILD/rtcguard-flood" --dev "$TB_CLI_IF" --dst "$TB_SRV_IP" \
		--dport "$port" --count "$count" "$@" >/dev/null
	rc=$?
	FLOOD_GOT=$(($(xdp_xmit) - x0))
	if [ "$rc" -ne 0 ] || [ "$FLOOD_GOT" -lt $((count / 2)) ]; then
		e2e_bad "rtcguard-flood $count to port $port" "expected exit 0 and >= $((count / 2)) frames onto the veth, got exit $rc, $FLOOD_GOT frames"
	elif [ "$FLOOD_GOT" -ne "$count" ]; then
		printf '  note rtcguard-flood: %s of %s frames reached the server side (veth ring full on a loaded machine)\n' "$FLOOD_GOT" "$count"
	fi
	return "$rc"
}

# STUN Binding from the client namespace (coturn); prints the reflexive address or nothing.
stun() { # [TIMEOUT]
	tb_cli timeout "${1:-3}" turnutils_stunclient -p 3478 "$TB_SRV_IP" 2>&1 |
		grep -o 'reflexive addr: [0-9.]*' | sort -u | head -1
}

# turnserver in the server namespace on $TB_SRV_IP:3478.
start_turnserver() {
	tb_srv_bg turnserver --listening-ip "$TB_SRV_IP" --listening-port 3478 --no-tls --no-dtls \
		--no-cli --log-file stdout --simple-log --no-stdout-log >/dev/null 2>&1

	for _ in $(seq 30); do
		tb_srv ss -Hlun "sport = :3478" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# UDP receiver in the server namespace writing to $RECV_OUT.
start_receiver() { # LIFETIME PORT...
	RECV_OUT=$TB_TMP/received.txt
	: >"$RECV_OUT"
	tb_srv_bg "$E2E_PY" "$E2E_UDP" recv "$RECV_OUT" "$@"

	for _ in $(seq 50); do
		grep -q '^# listening' "$RECV_OUT" && return 0
		sleep 0.1
	done
	return 1
}
# Datagrams received so far on PORT whose payload starts with HEXPREFIX.
received() { # PORT HEXPREFIX
	awk -v p="$1" -v h="$2" '$1 == p && index($3, h) == 1 { n++ } END { print n + 0 }' "$RECV_OUT"
}
# Valid RTP (SSRC given in hex, 8 digits) from the client namespace.
send_rtp() { # PORT COUNT SSRC
	tb_cli timeout 20 "$E2E_PY" "$E2E_UDP" send "$TB_SRV_IP" "$1" "$2" "$3"
}

# Wait until a command's output matches ERE (at most SECONDS); prints the last output.
wait_for() { # SECONDS ERE COMMAND...
	local secs=$1 re=$2 out
	shift 2
	for _ in $(seq $((secs * 10))); do
		out=$("$@" 2>&1)
		printf '%s' "$out" | grep -Eq -- "$re" && { printf '%s' "$out"; return 0; }
		sleep 0.1
	done
	printf '%s' "$out"
	return 1
}
