#!/usr/bin/env python3
"""Independent oracle for RealCaptureRegressionTest (stdlib only, shares no code with the Java
decoder).

  route_oracle.py LAB_DIR FILE.bin

Prints one JSON object:
  "summary": bmp_summary.py's own --json output for FILE (message counts, prefixes announced and
             withdrawn per view and AFI, End-of-RIB markers, errors);
  "routes":  the routes left at the end of FILE per "peer|peer_type|rib|afi_safi", replaying every
             Route Monitoring's prefixes (as bmp_summary.parse_update lists them) into exact sets:
             withdrawals of an UPDATE before its announcements, and a peer's sets emptied by its
             Peer Up and its Peer Down. A peer is its (peer type, distinguisher, address), as in
             RFC 7854 4.2; its AS and BGP ID may change between messages.

ADD-PATH is not supported (neither does bmp_summary.py; the lab never negotiates it).
"""
import ipaddress
import json
import struct
import sys
from collections import defaultdict

sys.path.insert(0, sys.argv[1])
import bmp_summary  # noqa: E402  (the lab's decoder, ../shared/lab/bmp_summary.py)

PEER_TYPES = {0: "global", 1: "rd", 2: "local", 3: "loc_rib"}


def rd_text(rd):
    """RFC 4364 route distinguisher text, as the exporter labels non-global peers."""
    t = int.from_bytes(rd[0:2], "big")
    if t == 0:
        return f"{int.from_bytes(rd[2:4], 'big')}:{int.from_bytes(rd[4:8], 'big')}"
    if t == 1:
        return f"{ipaddress.IPv4Address(rd[2:6])}:{int.from_bytes(rd[6:8], 'big')}"
    if t == 2:
        return f"{int.from_bytes(rd[2:6], 'big')}:{int.from_bytes(rd[6:8], 'big')}"
    return f"{t}:{rd[2:].hex()}"


def peer_identity(buf, off):
    ptype, flags = buf[off], buf[off + 1]
    rd = buf[off + 2:off + 10]
    addr = buf[off + 10:off + 26]
    if ptype != 3 and flags & 0x80:
        a = str(ipaddress.IPv6Address(addr))
    elif ptype == 3 and addr[:12] != bytes(12):
        a = str(ipaddress.IPv6Address(addr))
    else:
        a = str(ipaddress.IPv4Address(addr[12:]))
    rds = "" if ptype == 0 else rd_text(rd)
    return f"{a}|{rds}|{PEER_TYPES.get(ptype, 'type_%d' % ptype)}"


def rib(ptype, flags):
    if ptype == 3:
        return "loc_rib"
    side = "adj_rib_out" if flags & 0x10 else "adj_rib_in"
    return side + ("_post" if flags & 0x40 else "_pre")


def main():
    data = open(sys.argv[2], "rb").read()
    summary = bmp_summary.Summary()
    summary.feed(data, sys.argv[2])
    tables = defaultdict(set)  # (peer, rib, afi) -> prefixes
    off = 0
    while off + 6 <= len(data):
        ver, mlen, mtype = struct.unpack_from("!BIB", data, off)
        if ver != 3 or mlen < 6 or off + mlen > len(data):
            break
        if mtype in (0, 2, 3):
            peer = peer_identity(data, off + 6)
            if mtype == 0:
                plist = []
                bmp_summary.parse_update(data[off + 48:off + mlen], plist)
                r = rib(data[off + 6], data[off + 7])
                for sign in "-+":
                    for p in plist:
                        if p[0] != sign:
                            continue
                        prefix = p[1:]
                        afi = "ipv6_unicast" if ":" in prefix else "ipv4_unicast"
                        s = tables[(peer, r, afi)]
                        if sign == "+":
                            s.add(prefix)
                        else:
                            s.discard(prefix)
            else:
                for key in list(tables):
                    if key[0] == peer:
                        tables[key].clear()
        off += mlen
    routes = {f"{p}|{r}|{a}": len(s) for (p, r, a), s in tables.items()}
    print(json.dumps({"summary": summary.as_dict(), "routes": routes}, sort_keys=True))


if __name__ == "__main__":
    main()
