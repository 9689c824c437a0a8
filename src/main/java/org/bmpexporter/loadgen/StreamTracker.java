package org.bmpexporter.loadgen;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bmpexporter.bgp.encode.Prefixes;
import org.bmpexporter.wire.StatType;

/**
 * Counts what a BMP stream carries, the way a collector keeps state: messages per type, and per
 * peer / rib / AFI-SAFI the prefixes announced and withdrawn, End-of-RIB markers and the routes
 * present at the end of the stream (an announcement of a present route replaces it, a withdrawal of
 * an absent one changes nothing, a Peer Down empties the peer's tables; ADD-PATH paths, as
 * negotiated by the Peer Up OPENs, count separately). Used for the report of replayed streams and
 * MRT conversions. Unicast and multicast NLRI are tracked; other families' UPDATEs are counted in
 * {@link #untrackedMessages} only.
 */
final class StreamTracker {
  final long[] messages = new long[8];
  long bytes;
  long trailingBytes;
  long untrackedMessages;
  String error;
  private final Map<PeerId, PeerState> peers = new LinkedHashMap<>();

  record PeerId(int type, long distinguisher, long hi, long lo) {}

  private record RouteKey(int afi, long pathId, int len, long hi, long lo) {}

  /** The routes of one table: compact long keys where they fit, objects otherwise. */
  static final class RouteSet {
    final LongOpenHashSet compact = new LongOpenHashSet();
    final HashSet<Object> other = new HashSet<>();

    int size() {
      return compact.size() + other.size();
    }

    void clear() {
      compact.clear();
      other.clear();
    }
  }

  private static final class PeerState {
    final PeerReport report;

    /** (afi << 8 | safi) with path identifiers on received (in / loc-rib) and sent routes. */
    final Set<Integer> addPathIn = new HashSet<>();

    final Set<Integer> addPathOut = new HashSet<>();
    final Map<String, RouteSet> tables = new HashMap<>();

    PeerState(PeerReport r) {
      this.report = r;
    }
  }

  /** Feeds a whole stream (complete messages; a trailing partial message is counted apart). */
  void feed(byte[] b, int off, int len) {
    int end = off + len;
    int p = off;
    while (p + 6 <= end) {
      int ver = b[p] & 255;
      long mlen = u32(b, p + 1);
      if (ver != 3 || mlen < 6) {
        error =
            "bad BMP header at offset " + (p - off) + " (version " + ver + ", length " + mlen + ")";
        break;
      }
      if (p + mlen > end) {
        break;
      }
      message(b, p, (int) mlen);
      p += (int) mlen;
    }
    bytes += p - off;
    trailingBytes += end - p;
  }

  private void message(byte[] b, int at, int len) {
    int type = b[at + 5] & 255;
    messages[Labels.typeIndex(type)]++;
    int end = at + len;
    if (type > 3 && type != 6 || len < 6 + 42) {
      return;
    }
    int h = at + 6;
    int ptype = b[h] & 255;
    int flags = b[h + 1] & 255;
    PeerId id = new PeerId(ptype, s64(b, h + 2), s64(b, h + 10), s64(b, h + 18));
    PeerState ps = peers.computeIfAbsent(id, k -> newPeer(b, h, ptype, flags));
    int body = h + 42;
    switch (type) {
      case 0 -> routeMonitoring(ps, b, body, end, rib(ptype, flags));
      case 1 -> stats(ps, b, body, end);
      case 2 -> {
        ps.report.downs++;
        for (Map.Entry<String, RouteSet> t : ps.tables.entrySet()) {
          t.getValue().clear();
          String[] k = t.getKey().split("/", 2);
          ps.report.table(k[0], k[1]).present = 0;
        }
      }
      case 3 -> {
        ps.report.ups++;
        peerUp(ps, b, body + 20, end);
      }
      default -> {
        // route mirroring: counted only
      }
    }
  }

  private static PeerState newPeer(byte[] b, int h, int ptype, int flags) {
    boolean v6 =
        ptype == 3 ? (s64(b, h + 10) != 0 || (s64(b, h + 18) >>> 32) != 0) : (flags & 0x80) != 0;
    long d = s64(b, h + 2);
    // as the metrics contract writes it: empty for global instance peers, kept when zero
    // for the others (a Loc-RIB instance of the global table is "0:0")
    String rd = ptype == 0 ? "" : Labels.routeDistinguisher(d);
    String pt =
        switch (ptype) {
          case 0 -> "global";
          case 1 -> "rd";
          case 2 -> "local";
          case 3 -> "loc_rib";
          default -> "type_" + ptype;
        };
    PeerReport r = new PeerReport(Labels.address16(b, h + 10, v6), rd, pt);
    r.peerAs = u32(b, h + 26);
    r.bgpId = Labels.ipv4((int) u32(b, h + 30));
    return new PeerState(r);
  }

  private static String rib(int ptype, int flags) {
    if (ptype == 3) {
      return "loc_rib";
    }
    boolean post = (flags & 0x40) != 0;
    if ((flags & 0x10) != 0) {
      return post ? "adj_rib_out_post" : "adj_rib_out_pre";
    }
    return post ? "adj_rib_in_post" : "adj_rib_in_pre";
  }

  /** Reads the two OPENs after local address and ports: which families use ADD-PATH. */
  private static void peerUp(PeerState ps, byte[] b, int p, int end) {
    ps.addPathIn.clear();
    ps.addPathOut.clear();
    if (p + 19 > end) {
      return;
    }
    int sentLen = u16(b, p + 16);
    int recv = p + sentLen;
    if (sentLen < 19 || recv + 19 > end) {
      return;
    }
    int recvLen = u16(b, recv + 16);
    if (recv + recvLen > end) {
      return;
    }
    Map<Integer, Integer> sent = addPathCaps(b, p, p + sentLen);
    Map<Integer, Integer> received = addPathCaps(b, recv, recv + recvLen);
    for (Map.Entry<Integer, Integer> e : sent.entrySet()) {
      int other = received.getOrDefault(e.getKey(), 0);
      if ((e.getValue() & 1) != 0 && (other & 2) != 0) {
        ps.addPathIn.add(e.getKey());
      }
      if ((e.getValue() & 2) != 0 && (other & 1) != 0) {
        ps.addPathOut.add(e.getKey());
      }
    }
  }

  /** ADD-PATH capability entries of an OPEN: (afi << 8 | safi) -> send/receive. */
  static Map<Integer, Integer> addPathCaps(byte[] b, int at, int end) {
    Map<Integer, Integer> out = new HashMap<>();
    int p = at + 19 + 9; // version, my AS, hold time, BGP identifier
    if (at + 29 > end) {
      return out;
    }
    int optLen = b[p++] & 255;
    boolean extended = false;
    if (optLen == 255 && p < end && (b[p] & 255) == 255) { // RFC 9072
      optLen = u16(b, p + 1);
      p += 3;
      extended = true;
    }
    int optEnd = Math.min(end, p + optLen);
    while (p + 2 <= optEnd) {
      int ptype = b[p] & 255;
      int plen = extended ? u16(b, p + 1) : b[p + 1] & 255;
      int v = p + (extended ? 3 : 2);
      if (ptype == 2) {
        int q = v;
        while (q + 2 <= Math.min(optEnd, v + plen)) {
          int code = b[q] & 255;
          int clen = b[q + 1] & 255;
          if (code == 69) {
            for (int i = q + 2; i + 4 <= q + 2 + clen; i += 4) {
              out.put((u16(b, i) << 8) | (b[i + 2] & 255), b[i + 3] & 3);
            }
          }
          q += 2 + clen;
        }
      }
      p = v + plen;
    }
    return out;
  }

  private void stats(PeerState ps, byte[] b, int p, int end) {
    if (p + 4 > end) {
      return;
    }
    long n = u32(b, p);
    p += 4;
    for (long i = 0; i < n && p + 4 <= end; i++) {
      int t = u16(b, p);
      int l = u16(b, p + 2);
      int v = p + 4;
      if (v + l > end) {
        break;
      }
      String name = StatType.CODES.label(t);
      if (l == 4) {
        ps.report.lastStats.put(name, u32(b, v));
      } else if (l == 8) {
        ps.report.lastStats.put(name, s64(b, v));
      } else if (l == 11) {
        ps.report.lastStats.put(
            name + "." + Labels.afiSafi(u16(b, v), b[v + 2] & 255), s64(b, v + 3));
      }
      p = v + l;
    }
  }

  private void routeMonitoring(PeerState ps, byte[] b, int p, int end, String rib) {
    if (p + 23 > end || (b[p + 18] & 255) != 2) {
      return;
    }
    int bgpEnd = Math.min(end, p + u16(b, p + 16));
    boolean out = rib.startsWith("adj_rib_out");
    Set<Integer> ap = out ? ps.addPathOut : ps.addPathIn;
    int q = p + 19;
    int wlen = u16(b, q);
    q += 2;
    int wEnd = Math.min(bgpEnd, q + wlen);
    nlri(ps, rib, 1, 1, ap.contains(0x101), b, q, wEnd, false);
    q = wEnd;
    if (q + 2 > bgpEnd) {
      return;
    }
    int alen = u16(b, q);
    q += 2;
    int aEnd = Math.min(bgpEnd, q + alen);
    if (wlen == 0 && alen == 0 && aEnd == bgpEnd) {
      ps.report.table(rib, "ipv4_unicast").endOfRib = true;
      return;
    }
    int attrs = 0;
    int eorAfi = -1;
    int eorSafi = -1;
    while (q + 3 <= aEnd) {
      int fl = b[q] & 255;
      int code = b[q + 1] & 255;
      int l;
      int v;
      if ((fl & 0x10) != 0) {
        l = u16(b, q + 2);
        v = q + 4;
      } else {
        l = b[q + 2] & 255;
        v = q + 3;
      }
      int vEnd = Math.min(aEnd, v + l);
      attrs++;
      if (code == 14 && v + 5 <= vEnd) {
        int afi = u16(b, v);
        int safi = b[v + 2] & 255;
        int nhl = b[v + 3] & 255;
        nlri(ps, rib, afi, safi, ap.contains(afi << 8 | safi), b, v + 5 + nhl, vEnd, true);
      } else if (code == 15 && v + 3 <= vEnd) {
        int afi = u16(b, v);
        int safi = b[v + 2] & 255;
        if (l == 3) {
          eorAfi = afi;
          eorSafi = safi;
        } else {
          nlri(ps, rib, afi, safi, ap.contains(afi << 8 | safi), b, v + 3, vEnd, false);
        }
      }
      q = v + l;
    }
    if (eorAfi >= 0 && attrs == 1 && aEnd == bgpEnd) {
      ps.report.table(rib, Labels.afiSafi(eorAfi, eorSafi)).endOfRib = true;
      return;
    }
    nlri(ps, rib, 1, 1, ap.contains(0x101), b, aEnd, bgpEnd, true);
  }

  private void nlri(
      PeerState ps,
      String rib,
      int afi,
      int safi,
      boolean addPath,
      byte[] b,
      int p,
      int end,
      boolean announce) {
    if (p >= end) {
      return;
    }
    if (afi != 1 && afi != 2 || safi != 1 && safi != 2) {
      untrackedMessages++;
      return;
    }
    String fam = Labels.afiSafi(afi, safi);
    PeerReport.Table t = ps.report.table(rib, fam);
    RouteSet set = ps.tables.computeIfAbsent(rib + "/" + fam, k -> new RouteSet());
    int maxLen = afi == 1 ? 32 : 128;
    while (p < end) {
      long pathId = 0;
      if (addPath) {
        if (p + 4 > end) {
          break;
        }
        pathId = u32(b, p);
        p += 4;
      }
      int plen = b[p] & 255;
      int n = (plen + 7) >>> 3;
      if (plen > maxLen || p + 1 + n > end) {
        error = "malformed NLRI in " + rib + " " + fam;
        break;
      }
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < n; i++) {
        long v = b[p + 1 + i] & 255L;
        if (i < 8) {
          hi |= v << (56 - 8 * i);
        } else {
          lo |= v << (56 - 8 * (i - 8));
        }
      }
      if (afi == 1) {
        hi = (hi >>> 32) & (Prefixes.mask32(plen) & 0xffffffffL);
      } else {
        hi &= Prefixes.mask64(Math.min(64, plen));
        lo &= plen > 64 ? Prefixes.mask64(plen - 64) : 0;
      }
      p += 1 + n;
      boolean changed;
      if (pathId == 0 && afi == 1) {
        long key = (hi << 8) | plen;
        changed = announce ? set.compact.add(key) : set.compact.remove(key);
      } else if (pathId == 0 && plen <= Prefixes.MAX_V6_LEN) {
        long key = (hi & ~0xffL) | plen;
        changed = announce ? set.compact.add(key) : set.compact.remove(key);
      } else {
        RouteKey key = new RouteKey(afi, pathId, plen, hi, lo);
        changed = announce ? set.other.add(key) : set.other.remove(key);
      }
      if (announce) {
        t.announced++;
      } else {
        t.withdrawn++;
      }
      if (changed) {
        t.present += announce ? 1 : -1;
      }
    }
  }

  /** Per-peer counts (shared, not to be modified once the stream was fed). */
  List<PeerReport> peerReports() {
    List<PeerReport> out = new ArrayList<>();
    for (PeerState ps : peers.values()) {
      out.add(ps.report);
    }
    return out;
  }

  long present() {
    long n = 0;
    for (PeerState ps : peers.values()) {
      for (Map<String, PeerReport.Table> m : ps.report.ribs.values()) {
        for (PeerReport.Table t : m.values()) {
          n += t.present;
        }
      }
    }
    return n;
  }

  static int u16(byte[] b, int p) {
    return ((b[p] & 255) << 8) | (b[p + 1] & 255);
  }

  static long u32(byte[] b, int p) {
    return ((long) (b[p] & 255) << 24)
        | ((b[p + 1] & 255) << 16)
        | ((b[p + 2] & 255) << 8)
        | (b[p + 3] & 255);
  }

  static long s64(byte[] b, int p) {
    return (u32(b, p) << 32) | u32(b, p + 4);
  }
}
