#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# UDP helpers for the end-to-end tests (run under /usr/bin/python3, standard library only).
#
#   udp.py recv OUT LIFETIME PORT...   listen on 0.0.0.0:PORT... for at most LIFETIME seconds;
#                                      one line per datagram: "PORT LEN HEXPAYLOAD", flushed
#   udp.py send DST PORT COUNT SSRC    send COUNT valid RTP packets (V=2, PT 111, seq 1..COUNT,
#                                      SSRC given in hex) to DST:PORT, about 1 ms apart
import select
import socket
import struct
import sys
import time


def recv(out, lifetime, ports):
    socks = {}
    for p in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        s.bind(("0.0.0.0", p))
        socks[s] = p
    end = time.monotonic() + lifetime
    with open(out, "a", buffering=1) as f:
        f.write("# listening %s\n" % " ".join(str(p) for p in ports))
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select(list(socks), [], [], min(left, 1.0))
            for s in ready:
                while True:
                    try:
                        data = s.recv(65535, socket.MSG_DONTWAIT)
                    except BlockingIOError:
                        break
                    f.write("%d %d %s\n" % (socks[s], len(data), data.hex()))


def send(dst, port, count, ssrc):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for seq in range(1, count + 1):
        hdr = struct.pack("!BBHII", 0x80, 111, seq, seq * 960, ssrc)
        s.sendto(hdr + bytes([0xF8, 0xFF, 0xFE]) + bytes(range(37)), (dst, port))
        time.sleep(0.001)


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "recv":
        recv(sys.argv[2], float(sys.argv[3]), [int(p) for p in sys.argv[4:]])
    elif len(sys.argv) == 6 and sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5], 16))
    else:
        sys.stderr.write("usage: udp.py recv OUT LIFETIME PORT... | send DST PORT COUNT SSRC\n")
        sys.exit(2)
