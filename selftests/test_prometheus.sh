#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end: the live daemon's Prometheus endpoint.  `promtool check metrics`
# on what rtcguardd serves (exit 0, no output), then a real Prometheus server
# (Debian's prometheus, started here in the server namespace on 127.0.0.1 with
# its own minimal config, scrape_interval 1s, a temporary TSDB) scrapes
# rtcguardd, and rtcguard_packets_total read back through /api/v1/query equals
# the daemon's own /metrics value.  Root; about 10 s.  Prints every check with
# what it expected and what it got, then 'test_prometheus: N passed, N failed'.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

export TB_ID=${TB_ID:-$((RANDOM % 75 + 115))} # 115..189 (test_daemon: 40..114, demo: 7)
E2E_NAME=test_prometheus
# shellcheck source=selftests/lib/testbed.sh
source selftests/lib/testbed.sh
# shellcheck source=selftests/lib/e2e.sh
source selftests/lib/e2e.sh

e2e_start 80 jq curl prometheus promtool turnserver turnutils_stunclient

METRICS=http://127.0.0.1:9478/metrics
PROM=http://127.0.0.1:9090
metrics() { tb_srv curl -sf -m 3 "$METRICS"; }
# The daemon's own value of one sample (exact label set as rendered).
metric_value() { # SERIES
	metrics | awk -v s="$1" '$1 == s { print $2 }'
}
prom_get() { # PATH [curl args...]
	local path=$1
	shift
	tb_srv curl -sf -m 3 "$@" "$PROM$path"
}

e2e_step "rtcguardd on the testbed"
tb_config "$TB_TMP/rtcguard.yaml" "3478, 50000-50100"
if ! tb_daemon_start "$TB_TMP/rtcguard.yaml"; then
	e2e_bad "daemon start" "expected rtcguardd to come up, got: $(tail -3 "$TB_TMP/rtcguardd.log" | tr '\n' '|')"
	e2e_finish; exit 1
fi
start_turnserver || e2e_bad "turnserver" "expected it listening on 3478, got nothing"

# Some traffic first, so that the exposition has non-zero series of several kinds.
for i in 1 2 3; do
	ck_eq "STUN Binding $i answered" "reflexive addr: $TB_CLI_IP" "$(stun 3)"
done
flood 50000 1000 --src "$TB_CLI_IP"

e2e_step "promtool check metrics on the live endpoint"
metrics >"$TB_TMP/metrics.prom"; rc=$?
ck_eq "GET $METRICS: exit" 0 "$rc"
ck_match "content: rtcguard_packets_total samples" '^rtcguard_packets_total\{' "$(cat "$TB_TMP/metrics.prom")"
ctype=$(tb_srv curl -s -m 3 -o /dev/null -w '%{content_type}' "$METRICS")
ck_match "Content-Type is the text exposition format" '^text/plain; version=0\.0\.4' "$ctype"
out=$(promtool check metrics <"$TB_TMP/metrics.prom" 2>&1); rc=$?
ck_eq "promtool check metrics: exit" 0 "$rc"
ck_eq "promtool check metrics: output" "" "$out"

e2e_step "a real Prometheus server scrapes rtcguardd"
mkdir -p "$TB_TMP/tsdb"
cat >"$TB_TMP/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: rtcguard
    static_configs:
      - targets: ['127.0.0.1:9478']
YAML
promtool check config "$TB_TMP/prometheus.yml" >/dev/null 2>&1 ||
	e2e_bad "prometheus config" "expected promtool check config to accept it, got: $(promtool check config "$TB_TMP/prometheus.yml" 2>&1 | tr '\n' '|')"
tb_srv_bg prometheus --config.file="$TB_TMP/prometheus.yml" --storage.tsdb.path="$TB_TMP/tsdb" \
	--web.listen-address=127.0.0.1:9090 --web.console.templates="$TB_TMP" \
	--web.console.libraries="$TB_TMP" >"$TB_TMP/prometheus.log" 2>&1
PROM_PID=${TB_PIDS[-1]}
health=
for i in $(seq 150); do
	health=$(prom_get /api/v1/targets 2>/dev/null |
		jq -r '[.data.activeTargets[] | select(.labels.job == "rtcguard") | .health] | first // empty' 2>/dev/null)
	[ "$health" = up ] && break
	kill -0 "$PROM_PID" 2>/dev/null || break
	sleep 0.1
done
ck_eq "Prometheus target 127.0.0.1:9478 health (after $((i / 10)).$((i % 10)) s)" up "$health"
if [ "$health" != up ]; then
	echo "-- prometheus log (last lines):"; tail -n 15 "$TB_TMP/prometheus.log"
	prom_get /api/v1/targets 2>/dev/null | head -c 2000; echo
	e2e_finish; exit 1
fi
ck_eq "target lastError" "" "$(prom_get /api/v1/targets | jq -r '.data.activeTargets[] | select(.labels.job == "rtcguard") | .lastError')"

# New traffic, then the admitted counter read back through the query API until
# it matches the daemon's own value (a scrape every second).
for i in 1 2 3; do
	ck_eq "STUN Binding $((i + 3)) answered" "reflexive addr: $TB_CLI_IP" "$(stun 3)"
done
flood 50000 2000 --src "$TB_CLI_IP" --payload stun
SERIES="rtcguard_packets_total{interface=\"$TB_SRV_IF\",verdict=\"pass\",reason=\"admitted\"}"
want=$(metric_value "$SERIES")
ck_ge "daemon /metrics: $SERIES (6 STUN Bindings + 2000 flood STUN)" 2006 "$want"
got=
for i in $(seq 100); do
	got=$(prom_get /api/v1/query -G --data-urlencode "query=$SERIES" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null)
	[ -n "$got" ] && [ "$got" = "$want" ] && break
	sleep 0.1
done
ck_eq "Prometheus /api/v1/query $SERIES" "$want" "$got"
ck_eq "daemon value unchanged meanwhile" "$want" "$(metric_value "$SERIES")"

# The dropped garbage too, as a sum over reasons through PromQL.
dsum=$(metrics | awk -v i="$TB_SRV_IF" 'index($1, "rtcguard_packets_total{interface=\"" i "\",verdict=\"drop\"") == 1 { s += $2 } END { print s + 0 }')
ck_ge "daemon /metrics: drops summed over reasons" 1000 "$dsum"
q="sum(rtcguard_packets_total{interface=\"$TB_SRV_IF\",verdict=\"drop\"})"
for i in $(seq 50); do
	got=$(prom_get /api/v1/query -G --data-urlencode "query=$q" | jq -r '.data.result[0].value[1] // empty' 2>/dev/null)
	[ "$got" = "$dsum" ] && break
	sleep 0.1
done
ck_eq "Prometheus /api/v1/query $q" "$dsum" "$got"
ck_match "Prometheus sees rtcguard_build_info or program info" '"__name__":"rtcguard_' \
	"$(prom_get /api/v1/query -G --data-urlencode 'query={__name__=~"rtcguard_(build|program)_info"}')"

e2e_step "Prometheus stops with the test"
kill -TERM "$PROM_PID"
for i in $(seq 50); do kill -0 "$PROM_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PROM_PID" 2>/dev/null || wait "$PROM_PID" 2>/dev/null
ck_eq "prometheus (pid $PROM_PID) exited on SIGTERM" 1 "$(kill -0 "$PROM_PID" 2>/dev/null; echo $?)"

e2e_finish
