#!/usr/bin/python3
"""Regenerate expected.tsv (and, given rtcguard's output, accepted.tsv) for selftests/test_corpus.sh.

Usage: make-expected.py CORPUS_DIR LABELS_TSV [RG_JSONL_DIR]
  LABELS_TSV   output of `python3 ../shared/tools/label-corpus.py CORPUS_DIR` (tshark 4.0 oracle)
  RG_JSONL_DIR optional: one <capture>.jsonl per capture (`rtcguard classify --pcap F -j`); when given,
               accepted.tsv is rewritten with the frames whose rtcguard verdict differs from the
               expectation for one of the accepted (structural-limit) reasons below, and every other
               disagreement is printed.

expected_verdict is derived from the oracle only (never from rtcguard):
  rtc:*    -> pass
  other:*  -> drop
  unknown  -> judgement by capture (MANIFEST.md): pass where the capture is an RTC call and the first
              byte is in the RTP/RTCP range (SRTP/SRTCP that tshark has no SDP for), or where it is a
              DTLS capture and the first byte is a DTLS 1.3 unified header (0x20-0x3F); drop otherwise.
  cases.pcap rows take the verdict of ../shared/corpus/cases.tsv (config -> drop).
  OVERRIDES below: frames where the analysis in NOTES.md disagrees with the rule above.
"""
import collections, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))

# RTC call captures: unknown frames with first byte 128-191 are RTP/RTCP (mostly SRTP/SRTCP).
RTC_MEDIA = {
    'ndpi__discord.pcap': 'Discord voice (RTP/RTCP)',
    'ndpi__rtp.pcap': 'RTP call capture',
    'ndpi__rtcp_multiple_pkts_in_the_same_datagram.pcap': 'RTCP capture',
    'ndpi__skype-conference-call.pcap': 'Skype conference call (RTP/RTCP)',
    'ndpi__stun_classic.pcap': 'RTP after classic STUN',
    'ndpi__stun_dtls_rtp.pcap': 'WebRTC: STUN, DTLS, SRTP',
    'ndpi__stun_google_meet.pcap': 'Google Meet: STUN, DTLS, SRTP/SRTCP',
    'ndpi__stun_msteams_unidir.pcap': 'MS Teams media (SRTCP)',
    'ndpi__stun_wa_call.pcap': 'WhatsApp call (SRTP/SRTCP)',
    'ndpi__stun.pcap': 'STUN/TURN/DTLS/RTP mix',
    'ndpi__teams.pcap': 'MS Teams call (SRTP/SRTCP at the end)',
    'srtpdecoder__webrtc_opus_p2p.pcap': 'WebRTC P2P call, SRTP/SRTCP',
    'srtpdecoder__WebRTC_OPUS_Turn_SDES_Call_1.pcap': 'WebRTC call via TURN',
    'srtpdecoder__wifi-tcp_to_3g_2_coturn_dump.pcap': 'coturn dump',
    'wssample__Asterisk_ZFONE_XLITE.pcap': 'SIP call, SRTP after ZRTP',
    'wssample__MagicJack-_short_call.pcap': 'SIP call (RTP)',
    'wssample__rtp-opus-only.pcap': 'RTP (Opus) capture',
    'wssample__rtp_example.pcap': 'RTP capture',
    'wssample__sip-rtp-g711.pcap': 'SIP call, RTP G.711',
    'wssample__sip-rtp-opus.pcap': 'SIP call, RTP Opus',
    'wssample__sip-rtp-opus-hybrid.pcap': 'SIP call, RTP Opus',
    'zeek__tls_webrtc-stun.pcap': 'WebRTC STUN + DTLS',
}
# DTLS captures: unknown frames with a 1.3 unified header (0x20-0x3F) are DTLS 1.3 records tshark 4.0 cannot dissect.
DTLS13 = {'ndpi__dtls.pcap': 'DTLS capture with DTLS 1.3 records (port 11111, wolfSSL-style)',
          'zeek__tls_dtls13-wolfssl.pcap': 'DTLS 1.3 (wolfSSL), MANIFEST: 11 unified-header records'}

NATURE = {
    'ndpi__agora-sd-rtn.pcap': 'Agora SD-RTN proprietary (first byte 0x00-0x03, no cookie)',
    'ndpi__bittorrent_utp.pcap': 'BitTorrent uTP', 'ndpi__dnscrypt_skype_false_positive.pcap': 'DNSCrypt',
    'ndpi__epicgames.pcap': 'Epic Games game traffic (no RTP seq/SSRC continuity)',
    'ndpi__imo.pcap': 'imo proprietary (no RTP seq/SSRC continuity)', 'ndpi__kcp.pcap': 'KCP game ARQ',
    'ndpi__linecall_falsepositve.pcap': 'LINE proprietary (STUN-range byte, no cookie)',
    'ndpi__mumble.pcapng': 'Mumble ping', 'ndpi__openvpn.pcap': 'OpenVPN (opcode byte in DTLS/TURN range)',
    'ndpi__raknet.pcap': 'RakNet game', 'ndpi__riotgames.pcap': 'Riot Games game traffic',
    'ndpi__roblox.pcap': 'Roblox game', 'ndpi__source_engine.pcap': 'Valve Source engine',
    'ndpi__ssdp-m-search.pcap': 'SSDP M-SEARCH', 'ndpi__steam.pcap': 'Steam',
    'ndpi__tailscale.pcap': 'WireGuard/Tailscale disco', 'ndpi__teamspeak3.pcap': 'TeamSpeak 3',
    'ndpi__telegram_videocall.pcap': 'Telegram call: fully encrypted proprietary datagrams (random first bytes)',
    'ndpi__ubntac2.pcap': 'Ubiquiti discovery', 'ndpi__upnp.pcap': 'WS-Discovery/UPnP XML (0x3C)',
    'ndpi__viber.pcap': 'Viber proprietary', 'ndpi__whatsapp_voice_and_message.pcap': 'WhatsApp proprietary (0x0800 STUN-like, first byte outside 0-3)',
    'ndpi__zoom2.pcap': 'Zoom proprietary encapsulation',
    'srtpdecoder__udp_call_02_03_client.pcap': 'Skype/MS proprietary UDP beside the TURN call',
    'wssample__Teredo.pcap': 'Teredo', 'wssample__iperf3-udp.pcap': 'iperf3',
    'zeek__chksums_ip4-udp-bad-chksum.pcap': 'test UDP datagram', 'zeek__chksums_ip6-udp-good-chksum.pcap': 'test UDP datagram',
    'zeek__tunnels_teredo_bubble_with_payload.pcap': 'Teredo',
}

# (file, frame) -> (expected, note): analysis in NOTES.md.
OVERRIDES = {}
for n in (23, 25, 28):
    OVERRIDES[('ndpi__discord.pcap', n)] = ('drop', 'judged drop: Discord RTP with X=1 whose 4-byte extension header is not in clear '
        '(profile/length garbage, length runs past the datagram); invalid under RFC 3550 5.3.1 and RFC 3711 (SRTP keeps the '
        'extension header clear); the DESIGN requires the extension length to fit. Real but non-conforming (Discord encryption)')
for n in (505, 507):
    OVERRIDES[('ndpi__stun_wa_call.pcap', n)] = ('pass', 'judged pass (disputed): WhatsApp SRTCP SR 0x91c8 RC=17 with length 18 words; '
        'the rest of the compound is encrypted. RC/length inconsistency violates RFC 3550 6.4.1, but the DESIGN checks only that '
        'the first header length fits; rtcguard adds an SR/RR report-block check that drops real WhatsApp SRTCP (see NOTES.md)')

def payloads(corpus, files):
    out = {}
    for f in files:
        r = subprocess.run(['tshark', '-r', os.path.join(corpus, f), '-Y', 'udp', '-T', 'fields', '-e', 'frame.number',
                            '-e', 'udp.payload'], capture_output=True, text=True).stdout
        for line in r.splitlines():
            p = line.split('\t')
            out[(f, int(p[0]))] = p[1].split(',')[0] if len(p) > 1 else ''
    return out

def cases(corpus):
    rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(corpus, 'cases.tsv'))
            if l.strip() and not l.startswith('#') and not l.startswith('id\t')]
    return {i + 1: r for i, r in enumerate(rows)}

def expect(f, n, label, pay, case):
    first = int(pay[:2], 16) if pay else None
    if (f, n) in OVERRIDES:
        return OVERRIDES[(f, n)]
    if f == 'cases.pcap':
        cid, exp, kind = case[n][0], case[n][1], case[n][2]
        return ('pass' if exp == 'pass' else 'drop', 'cases.tsv %s: %s%s' % (cid, exp, '' if kind == '-' else ' ' + kind))
    if label.startswith('rtc:'):
        if label == 'rtc:stun' and pay and (int(pay[4:8], 16) & 3):
            return ('pass', 'oracle; STUN with cookie whose attributes are not padded to 4 (MS-TURN / WhatsApp dialect): '
                    'real RTC, must pass per issue 2; rtcguard drops it (bad-stun), see NOTES.md')
        return ('pass', 'oracle')
    if label.startswith('other:'):
        return ('drop', 'oracle')
    # unknown
    if f in RTC_MEDIA and first is not None and 128 <= first <= 191:
        return ('pass', 'judged: unknown to tshark, first byte 0x%02x in RTP/RTCP range in an RTC call capture (%s): SRTP/SRTCP or RTP without SDP' % (first, RTC_MEDIA[f]))
    if f in DTLS13 and first is not None and 0x20 <= first <= 0x3f:
        return ('pass', 'judged: DTLS 1.3 unified header 0x%02x that tshark 4.0 does not dissect (%s)' % (first, DTLS13[f]))
    why = RTC_MEDIA.get(f) and ('in RTC capture (%s) but not a default RTC kind' % RTC_MEDIA[f]) or NATURE.get(f, 'non-RTC capture')
    return ('drop', 'judged: unknown, %s; first byte %s' % (why, 'none' if first is None else '0x%02x' % first))

ACCEPT = {
    'dtls13': 'DTLS 1.3 unified header 0x20-0x3F (RFC 9147 4): with the C bit (CID of unknown length) or without a length the record is accepted structurally, as DESIGN.md says; not RTC but indistinguishable without state',
    'rtp': 'RTP has no magic value (RFC 3550 5.1): V=2 and the header/CSRC/extension lengths fit; rtcguard judges structure only and an operator does not protect this service\'s port',
    'rtcp': 'RTCP (RFC 3550 6.4/RFC 5761): first byte V=2, second byte 192-223 and the first header length fits; structure only',
    'dtls': 'DTLSPlaintext structurally valid (content type, 0xFEFF/0xFEFD, record lengths walk the datagram)',
    'not-ip': 'PPPoE session frame (ethertype 0x8864): DESIGN parses Ethernet, VLAN, IP only; non-IP passes untouched (out of scope)',
    'not-udp': 'IPv6-in-IPv4 (protocol 41) tunnel: the outer packet is not UDP, so it is out of scope by design',
}

def main():
    corpus, labels = sys.argv[1], sys.argv[2]
    rgdir = sys.argv[3] if len(sys.argv) > 3 else None
    lab = collections.OrderedDict()
    for l in open(labels):
        f, n, la = l.rstrip('\n').split('\t')
        lab[(f, int(n))] = la
    pay = payloads(corpus, sorted({f for f, _ in lab}))
    case = cases(corpus)
    exp = {}
    with open(os.path.join(HERE, 'expected.tsv'), 'w') as o:
        o.write('file\tframe\toracle_label\texpected_verdict\tnote\n')
        for (f, n), la in lab.items():
            v, note = expect(f, n, la, pay.get((f, n), ''), case)
            exp[(f, n)] = (la, v)
            o.write('%s\t%d\t%s\t%s\t%s\n' % (f, n, la, v, note))
    if not rgdir:
        return
    rg = {}
    for f in sorted({f for f, _ in lab}):
        for l in open(os.path.join(rgdir, f + '.jsonl')):
            d = json.loads(l)
            if 'frame' in d:
                rg[(f, d['frame'])] = d
    bugs = collections.Counter()
    with open(os.path.join(HERE, 'accepted.tsv'), 'w') as o:
        o.write('file\tframe\trtcguard_verdict\treason\n')
        for k, (la, v) in exp.items():
            d = rg[k]
            if d['verdict'] == v:
                continue
            first = int(pay.get(k, '00')[:2] or '0', 16)
            cls = None
            if v == 'drop' and d['verdict'] == 'pass':
                if d['reason'] in ('not-ip', 'not-udp'):
                    cls = d['reason']
                elif d['kind'] == 'dtls' and 0x20 <= first <= 0x3f:
                    cls = 'dtls13'
                elif d['kind'] in ('rtp', 'rtcp', 'dtls'):
                    cls = d['kind']
            if cls:
                o.write('%s\t%d\t%s\t%s\n' % (k[0], k[1], d['verdict'], ACCEPT[cls]))
            else:
                bugs[(k[0], la, v, d['verdict'], d['reason'], d['kind'])] += 1
    for b, c in sorted(bugs.items()):
        print('UNRESOLVED', c, *b, sep='\t')

main()
