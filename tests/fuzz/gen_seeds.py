#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write tests/fuzz/seeds/: Ethernet frames around the payloads of
../shared/corpus/cases.tsv and the corpus .bin vectors, in IPv4 and IPv6
UDP (some with VLAN tags, IPv4 options, IPv6 extension headers or Ethernet
padding).  Run once from the repo root; the seeds are committed."""
import os
import struct
import sys

CORPUS = os.environ.get("RG_CORPUS_DIR", os.path.join("..", "shared", "corpus"))
OUT = os.path.join("tests", "fuzz", "seeds")
MACS = bytes([2, 0, 0, 0, 0, 0xB, 2, 0, 0, 0, 0, 0xA])


def frame(payload, family=4, vlans=0, opts=0, ext=0, pad=0, sport=40000, dport=50000):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    l2 = MACS
    for i in range(vlans):
        l2 += struct.pack("!HH", 0x88A8 if i == 0 and vlans > 1 else 0x8100, 100 + i)
    if family == 4:
        ihl = 5 + opts
        ip = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(udp), 1, 0, 64, 17, 0,
                         bytes([198, 19, 0, 2]), bytes([198, 18, 0, 2]))
        ip += b"\x01" * (4 * opts)
        return l2 + b"\x08\x00" + ip + udp + b"\x00" * pad
    hdrs = b""
    for i in range(ext):
        hdrs += bytes([60 if i + 1 < ext else 17, 0, 1, 4, 0, 0, 0, 0])
    src = bytes.fromhex("20010002000000000000000000000002")
    dst = bytes.fromhex("20010002000000000000000000000001")
    ip = struct.pack("!IHBB", 0x60000000, len(hdrs) + len(udp), 60 if ext else 17, 64)
    return l2 + b"\x86\xdd" + ip + src + dst + hdrs + udp + b"\x00" * pad


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {}
    with open(os.path.join(CORPUS, "cases.tsv")) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#") or cols[0] == "id" or len(cols) < 4:
                continue
            p = bytes.fromhex(cols[3])
            seeds["tsv-%s-v4" % cols[0]] = frame(p, 4)
            seeds["tsv-%s-v6" % cols[0]] = frame(p, 6)
    bins = sorted(n for n in os.listdir(CORPUS) if n.endswith(".bin"))
    for i, name in enumerate(bins):
        with open(os.path.join(CORPUS, name), "rb") as f:
            p = f.read()
        base = "bin-" + name[:-4].replace("__", "-")
        variant = i % 4
        if variant == 0:
            seeds[base + "-v4"] = frame(p, 4)
        elif variant == 1:
            seeds[base + "-v6-ext2"] = frame(p, 6, ext=2)
        elif variant == 2:
            seeds[base + "-v4-vlan2-opts"] = frame(p, 4, vlans=2, opts=2)
        else:
            seeds[base + "-v6-vlan1"] = frame(p, 6, vlans=1)
    seeds["chan-v4-padded"] = frame(bytes.fromhex("40000000"), 4, pad=14)
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print("%d seeds in %s" % (len(seeds), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
