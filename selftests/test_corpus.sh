#!/usr/bin/env bash
# Corpus test: every UDP frame of every capture listed in selftests/corpus/expected.tsv
# through the real BPF object (`rtcguard classify -j`, BPF_PROG_TEST_RUN, root needed),
# compared with expectations derived independently of rtcguard (tshark oracle +
# judgement, see selftests/corpus/NOTES.md).  Frames in accepted.tsv may instead give
# exactly the verdict listed there.  The .bin vectors of MANIFEST.md (raw UDP payloads,
# selftests/corpus/vectors.tsv) are wrapped in Ethernet/IPv4/UDP frames of a pcap made
# on the fly.  Prints every mismatch and 'corpus: N passed, N failed'; exits 1 on any.
# Env: RG_CORPUS_DIR (default ../shared/corpus beside the repository), RTCGUARD (binary).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/.." && pwd))
corpus=${RG_CORPUS_DIR:-$root/../shared/corpus}
rg=${RTCGUARD:-$root/build/rtcguard}
data=$here/corpus
py=/usr/bin/python3; [ -x "$py" ] || py=python3

if [ ! -d "$corpus" ]; then echo "corpus: no corpus at $corpus (set RG_CORPUS_DIR)"; exit 1; fi
if [ ! -x "$rg" ]; then echo "corpus: $rg not built (run make)"; exit 1; fi

tmp=$(mktemp -d /tmp/rg-corpus.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# Captures in parallel (a few at a time); each writes its own JSON Lines file.
cut -f1 "$data/expected.tsv" | tail -n +2 | sort -u > "$tmp/files"
errs=0
while read -r f; do
	[ -f "$corpus/$f" ] || { echo "corpus: missing capture $corpus/$f"; errs=$((errs + 1)); continue; }
	( "$rg" classify --pcap "$corpus/$f" -j > "$tmp/$f.jsonl" 2> "$tmp/$f.err" || echo "$?" > "$tmp/$f.rc" ) &
	while [ "$(jobs -rp | wc -l)" -ge 4 ]; do wait -n; done
done < "$tmp/files"
wait

# The .bin vectors: one pcap, one frame per vector in vectors.tsv order.
"$py" - "$corpus" "$data/vectors.tsv" "$tmp/vectors.pcap" <<'PY' || errs=$((errs + 1))
import os, struct, sys
corpus, tsv, out = sys.argv[1:4]
rows = [l.rstrip('\n').split('\t') for l in open(tsv)][1:]
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
with open(out, 'wb') as o:
    o.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, r in enumerate(rows):
        pay = open(os.path.join(corpus, r[0]), 'rb').read()
        udp = struct.pack('!HHHH', 40000, 50000, 8 + len(pay), 0) + pay
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i + 1, 0, 64, 17, 0,
                         bytes([198, 19, 0, 2]), bytes([198, 18, 0, 2]))
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        frame = bytes.fromhex('02000000000b' '02000000000a' '0800') + ip + udp
        o.write(struct.pack('<IIII', i, 0, len(frame), len(frame)) + frame)
PY
"$rg" classify --pcap "$tmp/vectors.pcap" -j > "$tmp/vectors.jsonl" 2> "$tmp/vectors.err" || echo "$?" > "$tmp/vectors.rc"

"$py" - "$tmp" "$data/expected.tsv" "$data/accepted.tsv" "$data/vectors.tsv" "$errs" <<'PY'
import glob, json, os, sys
tmp, exp_tsv, acc_tsv, vec_tsv, errs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def tsv(p):
    return [l.rstrip('\n').split('\t') for l in open(p)][1:]
def load(name):
    got = {}
    if os.path.exists(os.path.join(tmp, name + '.rc')):
        err = open(os.path.join(tmp, name + '.err')).read().strip()
        print('ERROR %s: rtcguard classify failed: %s' % (name, err.splitlines()[-1] if err else '?'))
        return None
    for l in open(os.path.join(tmp, name + '.jsonl')):
        d = json.loads(l)
        if 'frame' in d:
            got[d['frame']] = d
    return got
accepted = {(r[0], int(r[1])): r[2] for r in tsv(acc_tsv)}
ok = bad = tolerated = 0
cache = {}
for r in tsv(exp_tsv):
    f, n, want = r[0], int(r[1]), r[3]
    if f not in cache:
        cache[f] = load(f)
    got = cache[f]
    if got is None:
        bad += 1
        continue
    d = got.get(n)
    if d is None:
        print('MISMATCH %s frame %d: expected %s, got no verdict' % (f, n, want)); bad += 1
    elif d['verdict'] == want:
        ok += 1
    elif accepted.get((f, n)) == d['verdict']:
        ok += 1; tolerated += 1
    else:
        print('MISMATCH %s frame %d: expected %s, got %s (reason %s, kind %s)%s' % (
            f, n, want, d['verdict'], d['reason'], d['kind'],
            ' [accepted verdict is %s]' % accepted[(f, n)] if (f, n) in accepted else ''))
        bad += 1
vec = load('vectors')
for i, r in enumerate(tsv(vec_tsv)):
    d = vec.get(i + 1) if vec is not None else None
    if d is None:
        print('MISMATCH vector %s: no verdict' % r[0]); bad += 1
    elif r[1] == 'any' and d['verdict'] in ('pass', 'drop') or d['verdict'] == r[1]:
        ok += 1
    else:
        print('MISMATCH vector %s: expected %s, got %s (reason %s, kind %s)' % (r[0], r[1], d['verdict'], d['reason'], d['kind']))
        bad += 1
bad += errs
print('corpus: %d of the passed frames are accepted disagreements (selftests/corpus/accepted.tsv)' % tolerated)
print('corpus: %d passed, %d failed' % (ok, bad))
sys.exit(1 if bad else 0)
PY
