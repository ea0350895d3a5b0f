#!/usr/bin/env bash
# make demo: rtcguard in front of a media server, on a namespace testbed.
# Real RTC traffic (coturn's STUN client against turnserver, a GStreamer
# RTP/Opus stream) and a flood arrive together; rtcguard drops the flood and
# the media arrives intact.  Everything is torn down on every exit path.
set -euo pipefail
cd "$(dirname "$0")/.."
export TB_ID=${TB_ID:-7}
# shellcheck source=../selftests/lib/testbed.sh
source selftests/lib/testbed.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

tb_up
step "testbed: $TB_CLI ($TB_CLI_IP) -> veth -> $TB_SRV ($TB_SRV_IP, rtcguard on $TB_SRV_IF)"
tb_config "$TB_TMP/rtcguard.yaml" "3478, 50000-50100"
cat "$TB_TMP/rtcguard.yaml"

step "rtcguardd attaches"
tb_daemon_start "$TB_TMP/rtcguard.yaml" "$TB_TMP/rtcguardd.log"
cat "$TB_TMP/rtcguardd.log"
tb_rtcguard status

step "media server side: turnserver on $TB_SRV_IP:3478, capture of port 50000"
tb_srv_bg turnserver --listening-ip "$TB_SRV_IP" --listening-port 3478 --no-tls --no-dtls \
	--no-cli --log-file stdout --simple-log --no-stdout-log >/dev/null 2>&1
tb_srv_bg timeout 30 tcpdump -i "$TB_SRV_IF" -U -w "$TB_TMP/received.pcap" udp port 50000 2>/dev/null
cap_srv=${TB_PIDS[-1]}
tb_cli_bg timeout 30 tcpdump -i "$TB_CLI_IF" -U -w "$TB_TMP/sent.pcap" udp port 50000 and not udp[8:1] = 7 2>/dev/null
cap_cli=${TB_PIDS[-1]}
sleep 1

step "a flood of spoofed-source garbage at the media port: 2,000,000 datagrams in short bursts (rtcguard-flood)"
tb_cli "$TB_BUILD/rtcguard-flood" --dev "$TB_CLI_IF" --src 198.19.0.1 --dst "$TB_SRV_IP" \
	--dport 50000 --count 2000000 --rate 2M --random-src --payload garbage &
flood=$!

step "real RTC traffic meanwhile: STUN Binding (turnutils_stunclient) and an RTP/Opus stream (GStreamer)"
tb_cli turnutils_stunclient -p 3478 "$TB_SRV_IP" 2>&1 | grep -iE "reflexive|error" | sort -u || true
tb_cli gst-launch-1.0 -q audiotestsrc num-buffers=150 ! audio/x-raw,rate=48000 ! opusenc ! \
	rtpopuspay pt=111 ! udpsink host="$TB_SRV_IP" port=50000
wait "$flood"
sleep 1

step "rtcguard stats"
tb_rtcguard stats --interval 0.5

step "did the RTP stream arrive intact?"
sleep 1
kill -INT "$cap_srv" "$cap_cli" 2>/dev/null || true
sleep 1
digest() { tshark -r "$1" -Y 'udp.dstport == 50000 && udp.payload[0] >= 0x80' -T fields -e udp.payload 2>/dev/null | md5sum | cut -c1-12; }
count() { tshark -r "$1" -Y 'udp.dstport == 50000 && udp.payload[0] >= 0x80' 2>/dev/null | wc -l; }
sent=$(count "$TB_TMP/sent.pcap"); got=$(count "$TB_TMP/received.pcap")
echo "RTP packets sent: $sent (payload digest $(digest "$TB_TMP/sent.pcap"))"
echo "RTP packets received behind rtcguard: $got (payload digest $(digest "$TB_TMP/received.pcap"))"
if [ "$sent" -gt 0 ] && [ "$sent" = "$got" ] && [ "$(digest "$TB_TMP/sent.pcap")" = "$(digest "$TB_TMP/received.pcap")" ]; then
	echo "=> the media stream arrived intact, byte for byte"
else
	echo "=> MISMATCH: the media stream did not arrive intact" >&2
	exit 1
fi

step "Prometheus metrics (http://127.0.0.1:9478/metrics in $TB_SRV; non-zero series)"
tb_srv curl -s http://127.0.0.1:9478/metrics | awk '!/^#/ && !/ 0$/ && n++ < 25'

step "done: tearing the testbed down"
