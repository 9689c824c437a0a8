#!/usr/bin/env python3
"""Independent oracle for RealCaptureRegressionTest: stdlib only, shares no code with the Java
decoder, written from RFC 7854 (BMP), RFC 9069 (Loc-RIB), RFC 4271 and RFC 4760 (UPDATE,
MP_REACH/MP_UNREACH) and RFC 4724 (End-of-RIB).

  route_oracle.py FILE.bin

Prints one JSON object:
  "messages":           BMP messages per type (initiation, peer_up, peer_down,
                        route_monitoring, statistics_report, route_mirroring, termination,
                        unknown);
  "announced", "withdrawn": NLRI announced / withdrawn per "rib afi_safi" (every occurrence);
  "end_of_rib":         End-of-RIB markers per rib;
  "routes":             the routes left at the end per "peer|rd|peer_type|rib|afi_safi",
                        replaying every Route Monitoring into exact sets (an UPDATE's
                        withdrawals before its announcements; a peer's sets emptied by its Peer
                        Up and its Peer Down). A peer is its (peer type, distinguisher,
                        address), as in RFC 7854 4.2;
  "errors":             what could not be parsed; "trailing_partial_bytes": bytes of a last,
                        incomplete message.

IPv4 and IPv6 unicast only, no ADD-PATH: what the FRR and GoBGP lab captures hold.
"""
import ipaddress
import json
import struct
import sys
from collections import defaultdict

TYPES = ["route_monitoring", "statistics_report", "peer_down", "peer_up", "initiation",
         "termination", "route_mirroring"]
PEER_TYPES = {0: "global", 1: "rd", 2: "local", 3: "loc_rib"}
AFI_SAFI = {(1, 1): "ipv4_unicast", (2, 1): "ipv6_unicast"}


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


def prefixes(buf, afi):
    """RFC 4271 4.3 prefix encoding: (length in bits, then the significant octets)."""
    size = 4 if afi == 1 else 16
    out = []
    i = 0
    while i < len(buf):
        bits = buf[i]
        n = (bits + 7) // 8
        if bits > size * 8 or i + 1 + n > len(buf):
            raise ValueError(f"bad prefix length {bits} at {i}")
        raw = bytes(buf[i + 1:i + 1 + n]) + bytes(size - n)
        net = ipaddress.ip_network((raw, bits), strict=False)  # host bits cleared
        out.append(str(net))
        i += 1 + n
    return out


def parse_update(u):
    """(withdrawn, announced, end_of_rib_family) of one BGP UPDATE; lists of (afi_safi, prefix)."""
    if len(u) < 23 or u[:16] != b"\xff" * 16 or u[18] != 2:
        raise ValueError("not a BGP UPDATE")
    length = struct.unpack_from("!H", u, 16)[0]
    u = u[:length]
    wlen = struct.unpack_from("!H", u, 19)[0]
    withdrawn = [("ipv4_unicast", p) for p in prefixes(u[21:21 + wlen], 1)]
    a = 21 + wlen
    alen = struct.unpack_from("!H", u, a)[0]
    attrs = u[a + 2:a + 2 + alen]
    announced = [("ipv4_unicast", p) for p in prefixes(u[a + 2 + alen:], 1)]
    attr_codes = []
    unreach_family = None
    i = 0
    while i < len(attrs):
        flags, code = attrs[i], attrs[i + 1]
        if flags & 0x10:
            vlen, hdr = struct.unpack_from("!H", attrs, i + 2)[0], 4
        else:
            vlen, hdr = attrs[i + 2], 3
        v = attrs[i + hdr:i + hdr + vlen]
        attr_codes.append(code)
        if code in (14, 15):
            afi, safi = struct.unpack_from("!HB", v, 0)
            fam = AFI_SAFI.get((afi, safi))
            if code == 14 and fam:
                nh = v[3]
                # next hop, then one reserved octet (RFC 4760 3)
                announced += [(fam, p) for p in prefixes(v[4 + nh + 1:], afi)]
            elif code == 15 and fam:
                w = prefixes(v[3:], afi)
                withdrawn += [(fam, p) for p in w]
                if not w:
                    unreach_family = fam
        i += hdr + vlen
    eor = None
    if wlen == 0 and not announced:
        if not attr_codes:
            eor = "ipv4_unicast"  # RFC 4724 2: an UPDATE with nothing in it
        elif attr_codes == [15] and unreach_family:
            eor = unreach_family  # only an empty MP_UNREACH_NLRI
    return withdrawn, announced, eor


def main():
    data = open(sys.argv[1], "rb").read()
    messages = defaultdict(int)
    announced = defaultdict(int)
    withdrawn_count = defaultdict(int)
    end_of_rib = defaultdict(int)
    tables = defaultdict(set)  # (peer, rib, afi_safi) -> prefixes
    errors = []
    off = 0
    while off + 6 <= len(data):
        ver, mlen, mtype = struct.unpack_from("!BIB", data, off)
        if ver != 3 or mlen < 6:
            errors.append(f"bad common header at {off}")
            break
        if off + mlen > len(data):
            break
        messages[TYPES[mtype] if mtype < len(TYPES) else "unknown"] += 1
        if mtype in (0, 2, 3):
            peer = peer_identity(data, off + 6)
            if mtype == 0:
                r = rib(data[off + 6], data[off + 7])
                try:
                    wd, an, eor = parse_update(data[off + 48:off + mlen])
                except (ValueError, IndexError, struct.error) as e:
                    errors.append(f"UPDATE at {off}: {e}")
                    off += mlen
                    continue
                for fam, p in wd:
                    withdrawn_count[f"{r} {fam}"] += 1
                    tables[(peer, r, fam)].discard(p)
                for fam, p in an:
                    announced[f"{r} {fam}"] += 1
                    tables[(peer, r, fam)].add(p)
                if eor:
                    end_of_rib[r] += 1
            else:
                for key in list(tables):
                    if key[0] == peer:
                        tables[key].clear()
        off += mlen
    routes = {f"{p}|{r}|{a}": len(s) for (p, r, a), s in tables.items()}
    print(json.dumps({"messages": messages, "announced": announced,
                      "withdrawn": withdrawn_count, "end_of_rib": end_of_rib, "routes": routes,
                      "errors": errors, "trailing_partial_bytes": len(data) - off},
                     sort_keys=True))


if __name__ == "__main__":
    main()
