package org.bmpexporter.interop;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A small, independent BMP (RFC 7854, RFC 8671 O flag, RFC 9069 Loc-RIB) reader for the test
 * side: splits a recorded byte stream into messages and decodes just what the suite checks
 * (per-peer header, Peer Down reason and NOTIFICATION, statistics TLVs, Initiation/Termination
 * TLVs, mirroring TLVs, and the NLRI of Route Monitoring UPDATEs for plain unicast/multicast
 * prefixes, without ADD-PATH). It is the harness' oracle for what the routers put on the wire;
 * it shares no code with the exporter.
 */
public final class BmpWire {
  public static final int ROUTE_MONITORING = 0;
  public static final int STATISTICS_REPORT = 1;
  public static final int PEER_DOWN = 2;
  public static final int PEER_UP = 3;
  public static final int INITIATION = 4;
  public static final int TERMINATION = 5;
  public static final int ROUTE_MIRRORING = 6;

  private static final String[] TYPE_NAMES = {
    "route_monitoring", "statistics_report", "peer_down", "peer_up", "initiation", "termination", "route_mirroring"
  };

  private BmpWire() {}

  /** One whole BMP message, common header included. */
  public record Message(int type, byte[] bytes) {
    public String typeName() {
      return type >= 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : "unknown";
    }

    boolean hasPeerHeader() {
      return type == ROUTE_MONITORING || type == STATISTICS_REPORT || type == PEER_DOWN || type == PEER_UP
          || type == ROUTE_MIRRORING;
    }

    int u8(int off) {
      return bytes[off] & 0xff;
    }

    int u16(int off) {
      return ((bytes[off] & 0xff) << 8) | (bytes[off + 1] & 0xff);
    }

    long u32(int off) {
      return ByteBuffer.wrap(bytes, off, 4).getInt() & 0xffffffffL;
    }

    long u64(int off) {
      return ByteBuffer.wrap(bytes, off, 8).getLong();
    }
  }

  /** Reassembles messages from arbitrary chunks of a TCP stream. */
  public static final class Framer {
    private byte[] buf = new byte[0];
    private int len;

    public void feed(byte[] b, int off, int n, Consumer<Message> sink) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
      }
      System.arraycopy(b, off, buf, len, n);
      len += n;
      int pos = 0;
      while (len - pos >= 6) {
        if ((buf[pos] & 0xff) != 3) {
          throw new IllegalStateException("not BMP version 3 at stream offset " + pos + ": " + (buf[pos] & 0xff));
        }
        long mlen = ByteBuffer.wrap(buf, pos + 1, 4).getInt() & 0xffffffffL;
        if (mlen < 6 || mlen > 16 * 1024 * 1024) {
          throw new IllegalStateException("bad BMP message length " + mlen);
        }
        if (len - pos < mlen) {
          break;
        }
        sink.accept(new Message(buf[pos + 5] & 0xff, Arrays.copyOfRange(buf, pos, pos + (int) mlen)));
        pos += (int) mlen;
      }
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
    }

    /** Bytes of an incomplete message at the end of what was fed. */
    public int pending() {
      return len;
    }
  }

  /** All complete messages of a recorded stream. */
  public static List<Message> split(byte[] stream) {
    List<Message> out = new ArrayList<>();
    new Framer().feed(stream, 0, stream.length, out::add);
    return out;
  }

  /** The per-peer header (RFC 7854 4.2; peer type 3 = RFC 9069 Loc-RIB instance). */
  public record PeerHeader(int peerType, int flags, byte[] distinguisher, String address, long as, String bgpId) {
    public boolean locRib() {
      return peerType == 3;
    }

    /** The {@code rib} label value: loc_rib or adj_rib_{in,out}_{pre,post}. */
    public String rib() {
      if (locRib()) {
        return "loc_rib";
      }
      return ((flags & 0x10) != 0 ? "adj_rib_out_" : "adj_rib_in_") + ((flags & 0x40) != 0 ? "post" : "pre");
    }

    /** Peer distinguisher as a route distinguisher; empty for global instance peers (type 0). */
    public String rd() {
      if (peerType == 0 || peerType == 2) {
        return "";
      }
      ByteBuffer b = ByteBuffer.wrap(distinguisher);
      int type = b.getShort() & 0xffff;
      return switch (type) {
        case 0 -> (b.getShort() & 0xffff) + ":" + (b.getInt() & 0xffffffffL);
        case 1 -> ipv4(Arrays.copyOfRange(distinguisher, 2, 6)) + ":" + (ByteBuffer.wrap(distinguisher, 6, 2).getShort() & 0xffff);
        case 2 -> (ByteBuffer.wrap(distinguisher, 2, 4).getInt() & 0xffffffffL) + ":" + (ByteBuffer.wrap(distinguisher, 6, 2).getShort() & 0xffff);
        default -> "type" + type + ":" + Arrays.toString(distinguisher);
      };
    }
  }

  public static PeerHeader peerHeader(Message m) {
    if (!m.hasPeerHeader()) {
      throw new IllegalArgumentException(m.typeName() + " has no per-peer header");
    }
    int type = m.u8(6);
    int flags = m.u8(7);
    byte[] pd = Arrays.copyOfRange(m.bytes(), 8, 16);
    byte[] a = Arrays.copyOfRange(m.bytes(), 16, 32);
    boolean v6 = type != 3 && (flags & 0x80) != 0;
    String addr = v6 ? ipv6(a) : ipv4(Arrays.copyOfRange(a, 12, 16));
    return new PeerHeader(type, flags, pd, addr, m.u32(32), ipv4(Arrays.copyOfRange(m.bytes(), 36, 40)));
  }

  /** A prefix of some AFI/SAFI, as a printable key ({@code 10.0.1.0/24}). */
  public record Nlri(String afiSafi, String prefix) {}

  /** What a Route Monitoring UPDATE carries. {@code endOfRib} names the AFI/SAFI of an End-of-RIB marker, else null. */
  public record Update(List<Nlri> announced, List<Nlri> withdrawn, String endOfRib) {}

  public static Update update(Message m) {
    byte[] b = m.bytes();
    int pdu = 48;
    if (m.u8(pdu + 18) != 2) {
      return new Update(List.of(), List.of(), null);
    }
    int pduLen = m.u16(pdu + 16);
    int end = pdu + pduLen;
    int off = pdu + 19;
    int wlen = m.u16(off);
    off += 2;
    List<Nlri> ann = new ArrayList<>();
    List<Nlri> wd = new ArrayList<>();
    prefixes(b, off, off + wlen, "ipv4_unicast", false, wd);
    off += wlen;
    int alen = m.u16(off);
    off += 2;
    int aend = off + alen;
    String mpEor = null;
    boolean otherAttrs = false;
    while (off < aend) {
      int flags = m.u8(off);
      int code = m.u8(off + 1);
      int l;
      int v;
      if ((flags & 0x10) != 0) {
        l = m.u16(off + 2);
        v = off + 4;
      } else {
        l = m.u8(off + 2);
        v = off + 3;
      }
      if (code == 14) {
        int afi = m.u16(v);
        int safi = m.u8(v + 2);
        int nhl = m.u8(v + 3);
        if (plainPrefixes(safi)) {
          prefixes(b, v + 4 + nhl + 1, v + l, afiSafi(afi, safi), afi == 2, ann);
        }
        otherAttrs = true;
      } else if (code == 15) {
        int afi = m.u16(v);
        int safi = m.u8(v + 2);
        if (l == 3) {
          mpEor = afiSafi(afi, safi);
        } else if (plainPrefixes(safi)) {
          prefixes(b, v + 3, v + l, afiSafi(afi, safi), afi == 2, wd);
        }
      } else {
        otherAttrs = true;
      }
      off = v + l;
    }
    prefixes(b, aend, end, "ipv4_unicast", false, ann);
    String eor = null;
    if (wlen == 0 && alen == 0 && pduLen == 23) {
      eor = "ipv4_unicast";
    } else if (mpEor != null && !otherAttrs && ann.isEmpty() && wd.isEmpty()) {
      eor = mpEor;
    }
    return new Update(ann, wd, eor);
  }

  private static boolean plainPrefixes(int safi) {
    return safi == 1 || safi == 2;
  }

  private static void prefixes(byte[] b, int off, int end, String afiSafi, boolean v6, List<Nlri> out) {
    while (off < end) {
      int plen = b[off] & 0xff;
      int nb = (plen + 7) / 8;
      byte[] raw = new byte[v6 ? 16 : 4];
      System.arraycopy(b, off + 1, raw, 0, Math.min(nb, raw.length));
      out.add(new Nlri(afiSafi, (v6 ? ipv6(raw) : ipv4(raw)) + "/" + plen));
      off += 1 + nb;
    }
  }

  /** Peer Down: reason code and, for reasons 1 and 3, the NOTIFICATION's code/subcode (else -1). */
  public record PeerDown(int reason, int code, int subcode) {}

  public static PeerDown peerDown(Message m) {
    int reason = m.u8(48);
    if ((reason == 1 || reason == 3) && m.bytes().length >= 49 + 21) {
      return new PeerDown(reason, m.u8(49 + 19), m.u8(49 + 20));
    }
    return new PeerDown(reason, -1, -1);
  }

  /** One statistics TLV: 4-byte counters, 8-byte gauges, per-AFI/SAFI gauges (types 9, 10, 16, 17). */
  public record Stat(int type, int length, long value, String afiSafi) {}

  public static List<Stat> stats(Message m) {
    List<Stat> out = new ArrayList<>();
    long count = m.u32(48);
    int off = 52;
    for (long i = 0; i < count && off + 4 <= m.bytes().length; i++) {
      int t = m.u16(off);
      int l = m.u16(off + 2);
      int v = off + 4;
      if (l == 4) {
        out.add(new Stat(t, l, m.u32(v), null));
      } else if (l == 8) {
        out.add(new Stat(t, l, m.u64(v), "all"));
      } else if (l == 11) {
        out.add(new Stat(t, l, m.u64(v + 3), afiSafi(m.u16(v), m.u8(v + 2))));
      } else {
        out.add(new Stat(t, l, -1, null));
      }
      off = v + l;
    }
    return out;
  }

  /** Initiation / Termination information TLVs (type -> value as text; Termination reason as its number). */
  public static Map<Integer, String> infoTlvs(Message m) {
    Map<Integer, String> out = new LinkedHashMap<>();
    int off = 6;
    while (off + 4 <= m.bytes().length) {
      int t = m.u16(off);
      int l = m.u16(off + 2);
      if (m.type() == TERMINATION && t == 1 && l == 2) {
        out.put(t, Integer.toString(m.u16(off + 4)));
      } else {
        out.put(t, new String(m.bytes(), off + 4, l, java.nio.charset.StandardCharsets.UTF_8));
      }
      off += 4 + l;
    }
    return out;
  }

  /** Route Mirroring TLV kinds: bgp_message, errored_pdu, messages_lost. */
  public static List<String> mirroringKinds(Message m) {
    List<String> out = new ArrayList<>();
    int off = 48;
    while (off + 4 <= m.bytes().length) {
      int t = m.u16(off);
      int l = m.u16(off + 2);
      if (t == 0) {
        out.add("bgp_message");
      } else if (t == 1 && l == 2) {
        out.add(m.u16(off + 4) == 0 ? "errored_pdu" : "messages_lost");
      }
      off += 4 + l;
    }
    return out;
  }

  public static String afiSafi(int afi, int safi) {
    String a = switch (afi) {
      case 1 -> "ipv4";
      case 2 -> "ipv6";
      default -> null;
    };
    String s = switch (safi) {
      case 1 -> "unicast";
      case 2 -> "multicast";
      default -> null;
    };
    return a != null && s != null ? a + "_" + s : "afi_" + afi + "_safi_" + safi;
  }

  static String ipv4(byte[] a) {
    return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
  }

  static String ipv6(byte[] a) {
    try {
      return compress(InetAddress.getByAddress(a).getHostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** RFC 5952 text form of an IPv6 address Java printed in full ({@code 0:0:0:0:0:0:0:1} -> {@code ::1}). */
  public static String compress(String full) {
    int pct = full.indexOf('%');
    if (pct >= 0) {
      full = full.substring(0, pct);
    }
    if (!full.contains(":")) {
      return full;
    }
    String[] g = full.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < g.length; ) {
      if (g[i].matches("0+")) {
        int j = i;
        while (j < g.length && g[j].matches("0+")) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < g.length; i++) {
      if (bestLen >= 2 && i == bestStart) {
        s.append(i == 0 ? "::" : ":");
        i += bestLen - 1;
        continue;
      }
      s.append(Integer.toHexString(Integer.parseInt(g[i], 16)));
      if (i < g.length - 1) {
        s.append(':');
      }
    }
    return s.toString();
  }

  /** Message counts by type name, for logs. */
  public static Map<String, Integer> countByType(List<Message> msgs) {
    Map<String, Integer> c = new LinkedHashMap<>();
    for (Message m : msgs) {
      c.merge(m.typeName(), 1, Integer::sum);
    }
    return c;
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    parts.forEach(o::writeBytes);
    return o.toByteArray();
  }
}
