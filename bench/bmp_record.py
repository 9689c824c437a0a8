#!/usr/bin/env python3
"""Record one BMP session raw: listen on a loopback address, accept one connection, write its
bytes untouched to OUT, and close it once the router has gone quiet. Then print what the
recording holds. Stdlib only.

  bmp_record.py --port N --out FILE [--host 127.0.0.1] [--idle S] [--max-seconds S]
                [--port-file F]
  bmp_record.py --count FILE        only print the counts of an existing recording

Closing: once data arrived and nothing arrived for --idle
seconds (default 5), the connection is closed by us (the router sees the collector go away;
no Peer Down or Termination is in the file), the stream is cut at the last complete message,
and the counts are printed as JSON: messages per type, Route Monitoring messages per view
(pre-policy / post-policy by the per-peer header's L flag), IPv4 NLRI prefixes announced and
withdrawn, End-of-RIB markers, and the largest number of prefixes in one message.
"""
import argparse
import ipaddress
import json
import os
import selectors
import socket
import struct
import sys
import time

TYPES = {0: "route_monitoring", 1: "statistics_report", 2: "peer_down", 3: "peer_up",
         4: "initiation", 5: "termination", 6: "route_mirroring"}


def count(data):
    """Counts per message type and per view; returns (counts, bytes of complete messages)."""
    c = {"messages": 0, "types": {}, "rm_pre": 0, "rm_post": 0, "prefixes_announced": 0,
         "prefixes_withdrawn": 0, "mp_reach_or_unreach": 0, "end_of_rib": 0,
         "max_prefixes_per_message": 0}
    off, n = 0, len(data)
    while off + 6 <= n:
        ver, length, typ = struct.unpack_from("!BIB", data, off)
        if ver != 3 or length < 6:
            raise ValueError(f"not BMP v3 at offset {off}")
        if off + length > n:
            break
        c["messages"] += 1
        name = TYPES.get(typ, str(typ))
        c["types"][name] = c["types"].get(name, 0) + 1
        if typ == 0:
            flags = data[off + 7]
            c["rm_post" if flags & 0x40 else "rm_pre"] += 1
            b = off + 6 + 42  # BGP message after the common and per-peer headers
            blen = struct.unpack_from("!H", data, b + 16)[0]
            u = b + 19
            wlen = struct.unpack_from("!H", data, u)[0]
            w = u + 2
            withdrawn = announced = 0
            p, end = w, w + wlen
            while p < end:
                withdrawn += 1
                p += 1 + (data[p] + 7) // 8
            alen = struct.unpack_from("!H", data, end)[0]
            a, aend = end + 2, end + 2 + alen
            while a < aend:
                fl, code = data[a], data[a + 1]
                if fl & 0x10:
                    vlen, hl = struct.unpack_from("!H", data, a + 2)[0], 4
                else:
                    vlen, hl = data[a + 2], 3
                if code in (14, 15):
                    c["mp_reach_or_unreach"] += 1
                a += hl + vlen
            p, end = aend, b + blen
            while p < end:
                announced += 1
                p += 1 + (data[p] + 7) // 8
            if wlen == 0 and alen == 0:
                c["end_of_rib"] += 1
            c["prefixes_announced"] += announced
            c["prefixes_withdrawn"] += withdrawn
            c["max_prefixes_per_message"] = max(c["max_prefixes_per_message"], announced + withdrawn)
        off += length
    return c, off


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--out")
    ap.add_argument("--idle", type=float, default=5.0)
    ap.add_argument("--max-seconds", type=float, default=1800)
    ap.add_argument("--count")
    a = ap.parse_args()
    if a.count:
        with open(a.count, "rb") as f:
            print(json.dumps(count(f.read())[0]))
        return 0
    if not a.out:
        ap.error("--out is required")
    if not ipaddress.ip_address(a.host).is_loopback:
        sys.exit("refusing to listen on a non-loopback address")
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((a.host, a.port))
    srv.listen(1)
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(srv.getsockname()[1]))
        os.replace(a.port_file + ".tmp", a.port_file)
    deadline = time.monotonic() + a.max_seconds
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    conn = None
    while conn is None:
        if time.monotonic() > deadline:
            sys.exit("no connection before --max-seconds")
        if sel.select(timeout=0.5):
            conn, _ = srv.accept()
    sel.unregister(srv)
    srv.close()
    conn.setblocking(False)
    sel.register(conn, selectors.EVENT_READ)
    buf = bytearray()
    last = time.monotonic()
    got_data = False
    while time.monotonic() < deadline:
        if sel.select(timeout=0.5):
            try:
                d = conn.recv(1 << 20)
            except BlockingIOError:
                continue
            except ConnectionError:
                d = b""
            if not d:
                break
            buf += d
            last = time.monotonic()
            got_data = True
        elif got_data and time.monotonic() - last >= a.idle:
            break
    conn.close()
    c, complete = count(bytes(buf))
    with open(a.out, "wb") as f:
        f.write(buf[:complete])
    c["bytes"] = complete
    c["bytes_cut"] = len(buf) - complete
    print(json.dumps(c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
