package org.bmpexporter.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An independent, strict BMP v3 / BGP-4 stream parser for the tests (it shares no code with the
 * generator): checks framing and field consistency while it keeps, per peer and table, the set of
 * routes present as text ("[path-id ]prefix/len"). Anything malformed fails with {@link
 * IllegalStateException}.
 */
public final class BmpTestParser {
  public static final List<String> TYPES =
      List.of(
          "route_monitoring",
          "statistics_report",
          "peer_down",
          "peer_up",
          "initiation",
          "termination",
          "route_mirroring");

  public final Map<String, Integer> messages = new TreeMap<>();
  public final Map<String, Peer> peers = new LinkedHashMap<>();
  public final List<Integer> prefixesPerAnnounceUpdate = new ArrayList<>();
  public final List<String> initiationTlvs = new ArrayList<>();
  public final List<Integer> terminationReasons = new ArrayList<>();
  public long bytes;
  public int maxBgpLength;

  /** Checks of generated attributes: AS_PATH length seen (min, max). */
  public int minAsPath = Integer.MAX_VALUE;

  public int maxAsPath;
  public int updatesWithCommunities;
  public int updatesWithLargeCommunities;

  /** MP_REACH / MP_UNREACH attributes of families other than unicast and multicast. */
  public int otherFamilies;

  public static final class Table {
    public final Set<String> routes = new HashSet<>();
    public long announced;
    public long withdrawn;
    public boolean endOfRib;
  }

  public static final class Peer {
    public String label;
    public int type;
    public int flags;
    public long as;
    public int ups;
    public int downs;
    public final List<String> downDetail = new ArrayList<>();

    /** AFI -> path ids present on routes received from the peer. */
    public final Map<Integer, Boolean> addPath = new HashMap<>();

    public final Map<String, Table> tables = new TreeMap<>();
    public final Map<Integer, Long> stats = new TreeMap<>();
    public int statsReports;
    public boolean legacyAsSeen;

    public Table table(String rib, String afi) {
      return tables.computeIfAbsent(rib + "/" + afi, k -> new Table());
    }
  }

  public static BmpTestParser parse(byte[] stream) {
    BmpTestParser p = new BmpTestParser();
    p.feed(stream);
    return p;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  public void feed(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.remaining() > 0) {
      check(b.remaining() >= 6, "truncated common header");
      int start = b.position();
      int ver = b.get() & 0xff;
      long len = b.getInt() & 0xffffffffL;
      int type = b.get() & 0xff;
      check(ver == 3, "BMP version " + ver);
      check(len >= 6 && start + len <= data.length, "bad BMP length " + len);
      ByteBuffer m = ByteBuffer.wrap(data, start + 6, (int) len - 6).slice();
      messages.merge(type < TYPES.size() ? TYPES.get(type) : "unknown", 1, Integer::sum);
      message(type, m);
      b.position(start + (int) len);
      bytes += len;
    }
  }

  private void message(int type, ByteBuffer m) {
    if (type == 4 || type == 5) {
      while (m.remaining() > 0) {
        int t = m.getShort() & 0xffff;
        int l = m.getShort() & 0xffff;
        byte[] v = new byte[l];
        m.get(v);
        if (type == 4) {
          initiationTlvs.add(t + "=" + new String(v, java.nio.charset.StandardCharsets.UTF_8));
        } else {
          check(t == 1 && l == 2, "termination TLV");
          terminationReasons.add(((v[0] & 255) << 8) | (v[1] & 255));
        }
      }
      return;
    }
    check(m.remaining() >= 42, "per-peer header");
    int ptype = m.get() & 0xff;
    int flags = m.get() & 0xff;
    long rd = m.getLong();
    byte[] addr = new byte[16];
    m.get(addr);
    long as = m.getInt() & 0xffffffffL;
    m.getInt(); // BGP ID
    m.getInt();
    m.getInt();
    boolean v6 = ptype != 3 && (flags & 0x80) != 0;
    String label = (ptype == 3 ? "loc:" : "") + addressText(addr, v6) + (rd != 0 ? "#" + rd : "");
    Peer peer = peers.computeIfAbsent(label, k -> new Peer());
    peer.label = label;
    peer.type = ptype;
    peer.as = as;
    switch (type) {
      case 0 -> {
        String rib =
            ptype == 3 ? "loc_rib" : (flags & 0x40) != 0 ? "adj_rib_in_post" : "adj_rib_in_pre";
        if ((flags & 0x20) != 0) {
          peer.legacyAsSeen = true;
        }
        update(peer, rib, m, (flags & 0x20) != 0);
      }
      case 1 -> {
        long n = m.getInt() & 0xffffffffL;
        for (long i = 0; i < n; i++) {
          int t = m.getShort() & 0xffff;
          int l = m.getShort() & 0xffff;
          long v;
          if (l == 4) {
            v = m.getInt() & 0xffffffffL;
          } else if (l == 8) {
            v = m.getLong();
          } else {
            check(l == 11, "stat length " + l);
            int afi = m.getShort() & 0xffff;
            int safi = m.get() & 0xff;
            v = m.getLong();
            t = t * 1000 + afi * 10 + safi;
          }
          peer.stats.put(t, v);
        }
        check(m.remaining() == 0, "stats trailing bytes");
        peer.statsReports++;
      }
      case 2 -> {
        peer.downs++;
        int reason = m.get() & 0xff;
        String d = "reason=" + reason;
        if (reason == 1 || reason == 3) {
          int at = m.position();
          int blen = bgpHeader(m);
          int code = m.get() & 0xff;
          int sub = m.get() & 0xff;
          check(m.get(at + 18) == 3, "NOTIFICATION type");
          d += " notification=" + code + "/" + sub;
          m.position(at + blen);
        }
        check(m.remaining() == 0 || reason == 2 && m.remaining() == 2, "peer down trailing");
        peer.downDetail.add(d);
        for (Table t : peer.tables.values()) {
          t.routes.clear();
        }
      }
      case 3 -> {
        peer.ups++;
        m.position(m.position() + 16 + 4);
        Map<Integer, Integer> sent = openAddPath(m);
        Map<Integer, Integer> recv = openAddPath(m);
        peer.addPath.clear();
        for (int afi = 1; afi <= 2; afi++) {
          int s = sent.getOrDefault(afi, 0);
          int r = recv.getOrDefault(afi, 0);
          peer.addPath.put(afi, (s & 1) != 0 && (r & 2) != 0);
        }
        while (m.remaining() > 0) {
          m.getShort();
          int l = m.getShort() & 0xffff;
          m.position(m.position() + l);
        }
      }
      default -> {
        // route mirroring: not generated
      }
    }
  }

  /** Checks the marker and returns the BGP message length (position after the header). */
  private int bgpHeader(ByteBuffer m) {
    for (int i = 0; i < 16; i++) {
      check(m.get() == (byte) 0xff, "BGP marker");
    }
    int len = m.getShort() & 0xffff;
    m.get();
    check(len >= 19 && len <= 4096, "BGP length " + len);
    maxBgpLength = Math.max(maxBgpLength, len);
    return len;
  }

  /** Parses an OPEN; returns AFI -> ADD-PATH send/receive (SAFI 1 only). */
  private Map<Integer, Integer> openAddPath(ByteBuffer m) {
    int at = m.position();
    int len = bgpHeader(m);
    check(m.get(at + 18) == 1, "OPEN type");
    check(m.get() == 4, "BGP version");
    m.getShort();
    m.getShort();
    m.getInt();
    int opt = m.get() & 0xff;
    int end = m.position() + opt;
    check(end == at + len, "OPEN optional parameters length");
    Map<Integer, Integer> out = new HashMap<>();
    while (m.position() < end) {
      int pt = m.get() & 0xff;
      int pl = m.get() & 0xff;
      int pend = m.position() + pl;
      check(pt == 2, "only capability parameters expected");
      while (m.position() < pend) {
        int code = m.get() & 0xff;
        int cl = m.get() & 0xff;
        if (code == 69) {
          for (int i = 0; i < cl / 4; i++) {
            int afi = m.getShort() & 0xffff;
            int safi = m.get() & 0xff;
            int sr = m.get() & 0xff;
            if (safi == 1) {
              out.put(afi, sr);
            }
          }
        } else {
          m.position(m.position() + cl);
        }
      }
      check(m.position() == pend, "capability lengths");
    }
    return out;
  }

  private void update(Peer peer, String rib, ByteBuffer m, boolean legacyAs) {
    int at = m.position();
    int len = bgpHeader(m);
    check(m.get(at + 18) == 2, "UPDATE type");
    check(at + len == m.limit(), "UPDATE length vs BMP length");
    int wlen = m.getShort() & 0xffff;
    int wEnd = m.position() + wlen;
    List<String> withdrawn = new ArrayList<>();
    List<String> announced = new ArrayList<>();
    nlri(m, wEnd, 1, 1, peer, withdrawn);
    int alen = m.getShort() & 0xffff;
    int aEnd = m.position() + alen;
    check(aEnd <= m.limit(), "attribute length");
    boolean eor = wlen == 0 && alen == 0 && aEnd == m.limit();
    String mpUnreachEor = null;
    int attrCount = 0;
    while (m.position() < aEnd) {
      int fl = m.get() & 0xff;
      int code = m.get() & 0xff;
      int l = (fl & 0x10) != 0 ? m.getShort() & 0xffff : m.get() & 0xff;
      int vEnd = m.position() + l;
      check(vEnd <= aEnd, "attribute " + code + " overruns");
      attrCount++;
      switch (code) {
        case 2 -> {
          int n = 0;
          while (m.position() < vEnd) {
            m.get();
            int cnt = m.get() & 0xff;
            n += cnt;
            m.position(m.position() + cnt * (legacyAs ? 2 : 4));
          }
          minAsPath = Math.min(minAsPath, n);
          maxAsPath = Math.max(maxAsPath, n);
        }
        case 8 -> {
          check(l % 4 == 0, "communities length");
          updatesWithCommunities++;
          m.position(vEnd);
        }
        case 32 -> {
          check(l % 12 == 0, "large communities length");
          updatesWithLargeCommunities++;
          m.position(vEnd);
        }
        case 14 -> {
          int afi = m.getShort() & 0xffff;
          int safi = m.get() & 0xff;
          int nhl = m.get() & 0xff;
          if (safi != 1 && safi != 2) {
            otherFamilies++;
            m.position(vEnd);
            break;
          }
          check(afi != 2 || nhl == 16 || nhl == 32, "IPv6 next hop length " + nhl);
          m.position(m.position() + nhl);
          check(m.get() == 0, "MP_REACH reserved");
          nlri(m, vEnd, afi, safi, peer, announced);
        }
        case 15 -> {
          int afi = m.getShort() & 0xffff;
          int safi = m.get() & 0xff;
          if (l == 3) {
            mpUnreachEor = family(afi, safi);
          }
          if (safi != 1 && safi != 2) {
            otherFamilies++;
            m.position(vEnd);
            break;
          }
          nlri(m, vEnd, afi, safi, peer, withdrawn);
        }
        default -> m.position(vEnd);
      }
      check(m.position() == vEnd, "attribute " + code + " length mismatch");
    }
    nlri(m, m.limit(), 1, 1, peer, announced);
    if (eor) {
      peer.table(rib, "ipv4_unicast").endOfRib = true;
      return;
    }
    if (mpUnreachEor != null && attrCount == 1 && announced.isEmpty()) {
      peer.table(rib, mpUnreachEor).endOfRib = true;
      return;
    }
    check(!announced.isEmpty() || !withdrawn.isEmpty(), "UPDATE with nothing in it");
    check(new HashSet<>(announced).size() == announced.size(), "duplicate NLRI in an UPDATE");
    if (!announced.isEmpty()) {
      prefixesPerAnnounceUpdate.add(announced.size());
    }
    for (String w : withdrawn) {
      Table t = peer.table(rib, familyOf(w));
      t.withdrawn++;
      t.routes.remove(w);
    }
    for (String a : announced) {
      Table t = peer.table(rib, familyOf(a));
      t.announced++;
      t.routes.add(a);
    }
  }

  public static String family(int afi, int safi) {
    return (afi == 1 ? "ipv4" : afi == 2 ? "ipv6" : "afi" + afi)
        + (safi == 1 ? "_unicast" : safi == 2 ? "_multicast" : "_safi" + safi);
  }

  private static String familyOf(String route) {
    return family(route.startsWith("4") ? 1 : 2, route.charAt(1) == 'm' ? 2 : 1);
  }

  private void nlri(ByteBuffer m, int end, int afi, int safi, Peer peer, List<String> out) {
    boolean ap = safi == 1 && peer.addPath.getOrDefault(afi, false);
    while (m.position() < end) {
      String pid = "";
      if (ap) {
        pid = "#" + (m.getInt() & 0xffffffffL) + " ";
      }
      int plen = m.get() & 0xff;
      check(plen <= (afi == 1 ? 32 : 128), "prefix length " + plen);
      byte[] a = new byte[afi == 1 ? 4 : 16];
      int n = (plen + 7) / 8;
      m.get(a, 0, n);
      if (plen % 8 != 0) {
        check((a[n - 1] & (0xff >>> (plen % 8))) == 0, "host bits set in /" + plen);
      }
      out.add(
          (afi == 1 ? "4" : "6")
              + (safi == 2 ? "m " : " ")
              + pid
              + addressText(a, afi == 2)
              + "/"
              + plen);
    }
    check(m.position() == end, "NLRI overruns its field");
  }

  public static String addressText(byte[] a, boolean v6) {
    try {
      if (!v6) {
        byte[] x = a.length == 4 ? a : java.util.Arrays.copyOfRange(a, 12, 16);
        return java.net.InetAddress.getByAddress(x).getHostAddress();
      }
      return java.net.InetAddress.getByAddress(a).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public int count(String type) {
    return messages.getOrDefault(type, 0);
  }
}
