#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end: rtcguardd as an operator uses it, on a two-namespace testbed
# (selftests/lib/testbed.sh): attach, real traffic (coturn STUN, RTP from a
# socket) beside rtcguard-flood garbage, monitor mode, runtime deny with TTL,
# SIGHUP reload, a refused bad reload, SIGKILL + restart (fail-static,
# adoption), interface deleted and re-created, bypass, detach with the daemon
# down, bad CLI input, a runtime entry shadowing a config one.  Root; about 30 s.  Prints every check with what it
# expected and what it got, then 'test_daemon: N passed, N failed'.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

export TB_ID=${TB_ID:-$((RANDOM % 75 + 40))} # 40..114 (test_prometheus: 115..189, demo: 7)
E2E_NAME=test_daemon
# shellcheck source=selftests/lib/testbed.sh
source selftests/lib/testbed.sh
# shellcheck source=selftests/lib/e2e.sh
source selftests/lib/e2e.sh

e2e_start 85 jq turnserver turnutils_stunclient ethtool

CONF=$TB_TMP/rtcguard.yaml
LOG=$TB_TMP/rtcguardd.log
GARB=0707       # rtcguard-flood's garbage payload (0x07 bytes)
RTP=806f        # send_rtp's RTP header start (V=2, PT 111)
# Enforced: 3478 and 50000-50100 (+ EXTRA_PORTS); monitored: 51000.
write_config() { # FILE [EXTRA_PORTS]
	cat >"$1" <<YAML
interfaces:
  - name: $TB_SRV_IF
protect:
  - prefixes: [$TB_SRV_IP/32, $TB_SRV_IP6/128]
    ports: [3478, 50000-50100${2:+, $2}]
  - prefixes: [$TB_SRV_IP/32]
    ports: [51000]
    mode: monitor
metrics:
  listen: 127.0.0.1:9478
YAML
}
log_has() { grep -Ec -- "$1" "$LOG"; }

# ---------------------------------------------------------------- 1
e2e_step "1. the daemon attaches"
write_config "$CONF"
if ! tb_daemon_start "$CONF" "$LOG"; then
	e2e_bad "daemon start" "expected rtcguardd to come up, got: $(tail -3 "$LOG" | tr '\n' '|')"
	e2e_finish; exit 1
fi
ck_eq "status: attached" true "$(st_if attached)"
ck_eq "status: mode" native "$(st_if mode)"
ck_eq "status: attach" single "$(st_if attach)"
PROG=$(st_if program_id)
ck_match "status: daemon running" '^rtcguardd: running, pid [0-9]+' "$(tb_rtcguard status | head -1)"
ck_match "ip link: prog/xdp id $PROG" "prog/xdp id $PROG " "$(ip -n "$TB_SRV" link show "$TB_SRV_IF")"
ck_log "log: attached" "attached rtcguard to $TB_SRV_IF \(program $PROG, native" "$LOG"

# ---------------------------------------------------------------- 2
e2e_step "2. real traffic passes, garbage is dropped"
start_turnserver || e2e_bad "turnserver" "expected it listening on 3478, got nothing"
start_receiver 80 50000 51000 60000 || e2e_bad "receiver" "expected a UDP receiver, got none"
a0=$(cnt pass admitted); s0=$(cnt_kind stun)
ck_eq "STUN Binding answered (turnutils_stunclient)" "reflexive addr: $TB_CLI_IP" "$(stun 3)"
ck_ge "stun admitted" $((s0 + 1)) "$(cnt_kind stun)"
d0=$(cnt drop unknown-kind); r0=$(cnt_kind rtp)
send_rtp 50000 200 0a0b0c0d &
rp=$!
flood 50000 20000 --src "$TB_CLI_IP" --rate 100k
wait "$rp"
sleep 0.5
ck_eq "garbage dropped (drop/unknown-kind + frames that reached the server: $FLOOD_GOT of 20000)" "$FLOOD_GOT" $(($(cnt drop unknown-kind) - d0))
ck_eq "RTP admitted (rtp kind +200)" 200 $(($(cnt_kind rtp) - r0))
ck_eq "receiver got the RTP datagrams" 200 "$(received 50000 $RTP)"
ck_eq "receiver got no garbage" 0 "$(received 50000 $GARB)"

# ---------------------------------------------------------------- 3
e2e_step "3. monitor mode counts and drops nothing (port 51000, mode: monitor)"
m0=$(cnt monitor unknown-kind); d0=$(cnt drop unknown-kind)
flood 51000 1000 --src "$TB_CLI_IP"
sleep 0.5
ck_eq "garbage counted as monitor/unknown-kind (+$FLOOD_GOT of 1000)" "$FLOOD_GOT" $(($(cnt monitor unknown-kind) - m0))
ck_eq "nothing dropped" 0 $(($(cnt drop unknown-kind) - d0))
ck_eq "receiver got the garbage on 51000" "$FLOOD_GOT" "$(received 51000 $GARB)"

# ---------------------------------------------------------------- 4
e2e_step "4. runtime deny with --ttl 3s drops its source and expires"
dn0=$(cnt drop denylist)
out=$(tb_rtcguard deny add "$TB_CLI_IP/32" --ttl 3s 2>&1); rc=$?
t_add=$(date +%s.%N)
ck_eq "deny add $TB_CLI_IP/32 --ttl 3s: exit" 0 "$rc"
ck_eq "deny list shows it (runtime, with expiry)" "[\"$TB_CLI_IP/32\",\"runtime\",true]" \
	"$(tb_rtcguard -j deny list 2>&1 | jq -c '.[] | [.prefix, .origin, .expires_in_seconds != null]')"
ck_eq "STUN Binding from the denied source: no answer" "" "$(stun 1.5)"
ck_ge "drop/denylist counted" $((dn0 + 1)) "$(cnt drop denylist)"
wait_for 7 '^\[\]$|^$' tb_rtcguard -j deny list >/dev/null
t_gone=$(date +%s.%N)
ck_eq "deny list empty after expiry" "" "$(tb_rtcguard -j deny list 2>&1 | jq -c '.[]?' 2>&1)"
ck_range "expired after (s)" 2.5 5.5 "$(awk -v a="$t_add" -v b="$t_gone" 'BEGIN { printf "%.1f", b - a }')"
ck_log "log: expired" "expired 1 list entr" "$LOG"
ck_eq "STUN Binding answered again" "reflexive addr: $TB_CLI_IP" "$(stun 3)"

# ---------------------------------------------------------------- 5
e2e_step "5. SIGHUP with a changed port range"
out=$(tb_rtcguard deny add 198.19.77.0/24 2>&1); rc=$?
ck_eq "deny add 198.19.77.0/24 (no ttl): exit" 0 "$rc"
u0=$(cnt pass unprotected); d0=$(cnt drop unknown-kind)
flood 60000 1000 --src "$TB_CLI_IP"
sleep 0.3
ck_eq "before: garbage to 60000 passes unprotected (+$FLOOD_GOT of 1000)" "$FLOOD_GOT" $(($(cnt pass unprotected) - u0))
g60=$(received 60000 $GARB)
ck_eq "before: receiver got it on 60000" "$FLOOD_GOT" "$g60"
before_json=$(tb_rtcguard -j stats --interval 0.05)
tot0=$(cnt_all); d0=$(cnt drop unknown-kind); a0=$(cnt pass admitted)
write_config "$CONF" 60000
nre=$(log_has 'reloaded ')
kill -HUP "$TB_DAEMON_PID"
for _ in $(seq 30); do [ "$(log_has 'reloaded ')" -gt "$nre" ] && break; sleep 0.1; done
ck_eq "log: reloaded" $((nre + 1)) "$(log_has 'reloaded ')"
ck_eq "program not re-attached (same id)" "$PROG" "$(st_if program_id)"
flood 60000 1000 --src "$TB_CLI_IP"
sleep 0.3
n5=$FLOOD_GOT
ck_eq "after: garbage to 60000 dropped (+$FLOOD_GOT of 1000)" "$FLOOD_GOT" $(($(cnt drop unknown-kind) - d0))
ck_eq "after: receiver got nothing more on 60000" "$g60" "$(received 60000 $GARB)"
ck_eq "runtime deny kept" '["198.19.77.0/24","runtime",null]' \
	"$(tb_rtcguard -j deny list 2>&1 | jq -c '.[] | [.prefix, .origin, .expires_in_seconds]')"
dn0=$(cnt drop denylist)
flood 50000 500 --src 198.19.77.5 --payload stun
n5=$((n5 + FLOOD_GOT))
ck_eq "kept deny still drops (drop/denylist +$FLOOD_GOT of 500)" "$FLOOD_GOT" $(($(cnt drop denylist) - dn0))
ck_ge "counters did not go back (total, + $n5 flood frames since)" "$((tot0 + n5))" "$(cnt_all)"
ck_ge "counters did not go back (pass/admitted)" "$a0" "$(cnt pass admitted)"
back=$(jq -rn --argjson a "$before_json" --argjson b "$(tb_rtcguard -j stats --interval 0.05)" --arg i "$TB_SRV_IF" '
	[$a[] | select(.interface == $i) | .counters[]] as $old |
	[$b[] | select(.interface == $i) | .counters[]] as $new |
	[$old[] | . as $o | ([$new[] | select(.verdict == $o.verdict and .reason == $o.reason) | .packets] | add // 0) as $n |
	 select($n < $o.packets) | "\($o.verdict)/\($o.reason) \($o.packets)->\($n)"] | join(", ")')
ck_eq "no counter went back" "" "$back"

# ---------------------------------------------------------------- 6
e2e_step "6. a bad config on reload is refused, filtering continues"
cp "$CONF" "$TB_TMP/good.yaml"
cat >"$CONF" <<YAML
interfaces:
  - name: $TB_SRV_IF
protect:
  - prefixes: [$TB_SRV_IP/32]
    prots: [50000]
YAML
out=$(tb_rtcguard reload 2>&1); rc=$?
ck_ge "reload of a bad file: exit non-zero" 1 "$rc"
ck_match "one line naming file:line:column" "^rtcguard: .*$CONF:5:5: " "$out"
ck_eq "error is one line" 1 "$(printf '%s\n' "$out" | wc -l)"
d0=$(cnt drop unknown-kind)
flood 50000 1000 --src "$TB_CLI_IP"
n=$FLOOD_GOT
flood 60000 1000 --src "$TB_CLI_IP"
n=$((n + FLOOD_GOT))
ck_eq "garbage still dropped (50000 and 60000 of the last good config; $n of 2000 reached)" "$n" $(($(cnt drop unknown-kind) - d0))
ck_eq "still attached, same program" "true $PROG" "$(st_if attached) $(st_if program_id)"
nref=$(log_has 'reload refused')
kill -HUP "$TB_DAEMON_PID"
for _ in $(seq 30); do [ "$(log_has 'reload refused')" -gt "$nref" ] && break; sleep 0.1; done
ck_log "SIGHUP with the bad file: log says refused with file:line:column" "reload refused.*$CONF:5:5" "$LOG"
ck_eq "daemon still running" 0 "$(kill -0 "$TB_DAEMON_PID" 2>/dev/null; echo $?)"
cp "$TB_TMP/good.yaml" "$CONF"

# ---------------------------------------------------------------- 10
e2e_step "10. bad CLI input: one-line error, exit 2, nothing added"
list0=$(tb_rtcguard -j deny list 2>&1)
for args in "198.18.0.1/24" "x/8" "198.18.5.0/24 --ttl 5q"; do
	# shellcheck disable=SC2086
	out=$(tb_rtcguard deny add $args 2>&1); rc=$?
	ck_eq "deny add $args: exit" 2 "$rc"
	ck_match "deny add $args: one line 'rtcguard: ...'" '^rtcguard: .+' "$out"
	ck_eq "deny add $args: lines" 1 "$(printf '%s\n' "$out" | wc -l)"
done
ck_eq "deny list unchanged" "$list0" "$(tb_rtcguard -j deny list 2>&1)"

# ---------------------------------------------------------------- 11
e2e_step "11. a runtime entry over a config entry, deleted: the config entry comes back"
cp "$CONF" "$TB_TMP/before11.yaml"
printf 'lists:\n  deny: [198.19.66.0/24]\n' >>"$CONF"
out=$(tb_rtcguard reload 2>&1); rc=$?
ck_eq "reload with a config deny: exit" 0 "$rc"
origin() { tb_rtcguard -j deny list | jq -r '.[] | select(.prefix == "198.19.66.0/24") | .origin'; }
ck_eq "config deny listed as config" config "$(origin)"
tb_rtcguard deny add 198.19.66.0/24 --ttl 1h >/dev/null 2>&1
ck_eq "runtime deny over it" runtime "$(origin)"
out=$(tb_rtcguard deny del 198.19.66.0/24 2>&1); rc=$?
ck_eq "runtime deny deleted: exit" 0 "$rc"
ck_eq "the config entry is back" config "$(origin)"
out=$(tb_rtcguard deny del 198.19.66.0/24 2>&1); rc=$?
ck_match "a config entry cannot be deleted at run time" "from the config file" "$out"
cp "$TB_TMP/before11.yaml" "$CONF"
out=$(tb_rtcguard reload 2>&1); rc=$?
ck_eq "reload without it: exit" 0 "$rc"
ck_eq "config entry gone with the config" "" "$(origin)"

# ---------------------------------------------------------------- 7
e2e_step "7. SIGKILL, then restart: fail-static and adoption"
d0=$(cnt drop unknown-kind); g0=$(received 50000 $GARB)
kill -KILL "$TB_DAEMON_PID"
wait "$TB_DAEMON_PID" 2>/dev/null
flood 50000 20000 --src "$TB_CLI_IP" --random-src
sleep 0.3
ck_eq "daemon dead: garbage still dropped (+$FLOOD_GOT of 20000)" "$FLOOD_GOT" $(($(cnt drop unknown-kind) - d0))
ck_eq "daemon dead: receiver got no garbage" "$g0" "$(received 50000 $GARB)"
out=$(tb_rtcguard status 2>&1); rc=$?
ck_eq "daemon dead: status exit" 0 "$rc"
ck_match "daemon dead: status says not running" '^rtcguardd: not running' "$out"
ck_eq "daemon dead: status -j daemon.running" 'false' "$(tb_rtcguard -j status | jq -c .daemon.running)"
ck_eq "daemon dead: still attached, same program" "true $PROG" "$(st_if attached) $(st_if program_id)"
tb_rtcguard stats >/dev/null 2>&1; rc=$?
ck_eq "daemon dead: stats exit" 0 "$rc"
ck_match "daemon dead: deny list from the pins" '198.19.77.0/24' "$(tb_rtcguard deny list 2>&1)"
tb_rtcguard bypass on >/dev/null 2>&1; rc=$?
ck_eq "daemon dead: bypass on works (exit; status)" "0 true" "$rc $(tb_rtcguard -j status | jq -c .bypass)"
tb_rtcguard bypass off >/dev/null 2>&1
ck_eq "daemon dead: bypass off" false "$(tb_rtcguard -j status | jq -c .bypass)"
d1=$(cnt drop unknown-kind)
nad=$(log_has 'adopted')
if ! tb_daemon_start "$CONF" "$LOG"; then
	e2e_bad "restart" "expected rtcguardd to come up again, got: $(tail -3 "$LOG" | tr '\n' '|')"
	e2e_finish; exit 1
fi
ck_ge "log: adopted" $((nad + 1)) "$(log_has 'adopted')"
ck_log "log: adopted the program" "adopted rtcguard on $TB_SRV_IF \(program $PROG" "$LOG"
ck_eq "program id unchanged" "$PROG" "$(st_if program_id)"
ck_ge "counters kept across restart" "$d1" "$(cnt drop unknown-kind)"
d2=$(cnt drop unknown-kind)
flood 50000 1000 --src "$TB_CLI_IP"
ck_eq "counting on from there ($d2 + $FLOOD_GOT of 1000)" $((d2 + FLOOD_GOT)) "$(cnt drop unknown-kind)"
ck_match "runtime deny kept across restart" '198.19.77.0/24' "$(tb_rtcguard deny list 2>&1)"

# ---------------------------------------------------------------- 8
e2e_step "8. interface deleted and re-created"
nrm=$(log_has "interface $TB_SRV_IF removed")
ip -n "$TB_SRV" link del "$TB_SRV_IF"
for _ in $(seq 30); do [ "$(log_has "interface $TB_SRV_IF removed")" -gt "$nrm" ] && break; sleep 0.1; done
ck_eq "log: removed" $((nrm + 1)) "$(log_has "interface $TB_SRV_IF removed")"
ck_eq "status: not attached while gone" false "$(st_if attached)"
ip link add "$TB_SRV_IF" netns "$TB_SRV" type veth peer name "$TB_CLI_IF" netns "$TB_CLI"
ip -n "$TB_SRV" addr add "$TB_SRV_IP/24" dev "$TB_SRV_IF"
ip -n "$TB_CLI" addr add "$TB_CLI_IP/24" dev "$TB_CLI_IF"
ip -n "$TB_SRV" addr add "$TB_SRV_IP6/64" dev "$TB_SRV_IF" nodad
ip -n "$TB_CLI" addr add "$TB_CLI_IP6/64" dev "$TB_CLI_IF" nodad
ip -n "$TB_SRV" link set "$TB_SRV_IF" up
ip -n "$TB_CLI" link set "$TB_CLI_IF" up
tb_cli ethtool -K "$TB_CLI_IF" tx off >/dev/null 2>&1
wait_for 5 '^true$' st_if attached >/dev/null
ck_eq "status: attached again" true "$(st_if attached)"
ck_eq "status: mode" native "$(st_if mode)"
PROG2=$(st_if program_id)
ck_match "ip link: prog/xdp id $PROG2" "prog/xdp id $PROG2 " "$(ip -n "$TB_SRV" link show "$TB_SRV_IF")"
ck_log "log: appeared and attached" "interface $TB_SRV_IF appeared" "$LOG"
d0=$(cnt drop unknown-kind); g0=$(received 50000 $GARB)
flood 50000 5000 --src "$TB_CLI_IP"
sleep 0.3
ck_eq "garbage dropped again (+$FLOOD_GOT of 5000)" "$FLOOD_GOT" $(($(cnt drop unknown-kind) - d0))
ck_eq "receiver got no garbage" "$g0" "$(received 50000 $GARB)"
ck_eq "STUN Binding answered on the new link" "reflexive addr: $TB_CLI_IP" "$(stun 3)"

# ---------------------------------------------------------------- 9
e2e_step "9. bypass on/off; detach --all with the daemon down"
out=$(tb_rtcguard bypass on 2>&1); rc=$?
ck_eq "bypass on: exit" 0 "$rc"
b0=$(cnt pass bypass); g0=$(received 50000 $GARB)
flood 50000 1000 --src "$TB_CLI_IP"
sleep 0.5
# Everything passes unjudged under bypass, neighbour discovery and the like included.
ck_range "bypass on: garbage counted as pass/bypass (+$FLOOD_GOT of 1000, and a few other frames)" "$FLOOD_GOT" $((FLOOD_GOT + 50)) $(($(cnt pass bypass) - b0))
ck_eq "bypass on: receiver got the garbage" $((g0 + FLOOD_GOT)) "$(received 50000 $GARB)"
out=$(tb_rtcguard bypass off 2>&1); rc=$?
ck_eq "bypass off: exit" 0 "$rc"
d0=$(cnt drop unknown-kind)
flood 50000 1000 --src "$TB_CLI_IP"
ck_eq "bypass off: garbage dropped again (+$FLOOD_GOT of 1000)" "$FLOOD_GOT" $(($(cnt drop unknown-kind) - d0))
kill -TERM "$TB_DAEMON_PID"
for _ in $(seq 50); do kill -0 "$TB_DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$TB_DAEMON_PID" 2>/dev/null || wait "$TB_DAEMON_PID" 2>/dev/null
ck_eq "daemon stopped (SIGTERM)" 1 "$(kill -0 "$TB_DAEMON_PID" 2>/dev/null; echo $?)"
ck_match "after a clean stop the program stays (fail-static)" "prog/xdp id $PROG2 " "$(ip -n "$TB_SRV" link show "$TB_SRV_IF")"
out=$(tb_rtcguard detach --all 2>&1); rc=$?
ck_eq "detach --all: exit" 0 "$rc"
ck_nomatch "ip link: no prog/xdp" 'prog/xdp' "$(ip -n "$TB_SRV" link show "$TB_SRV_IF")"
ck_eq "status: not attached" false "$(st_if attached)"
send_rtp 50000 10 01020304
sleep 0.3
ck_ge "detached: ordinary traffic passes" 210 "$(received 50000 $RTP)"

e2e_finish
