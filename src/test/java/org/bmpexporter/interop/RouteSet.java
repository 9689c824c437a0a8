package org.bmpexporter.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The known set of routes the injector announces, and an MRT TABLE_DUMP_V2 RIB file (RFC 6396)
 * holding it, for {@code gobgp mrt inject global FILE} (a whole RIB in about a second).
 *
 * <ul>
 *   <li>IPv4: {@code v4} /24s from 10.0.0.0/24 upwards; IPv6: {@code v6} /48s from 2001:db8::/48.
 *   <li>Attributes vary per route i (so updates do not all pack together): ORIGIN IGP, AS_PATH
 *       [64512 + i%200, then i%7 extra hops 65100..], MED i%100, COMMUNITY peerAs:(i%10), and for
 *       every {@code denyEvery}-th route (i % denyEvery == 0) also {@code peerAs:666}, which the
 *       routers' inbound policies deny.
 *   <li>GoBGP 3.10's {@code mrt inject} exits without closing its gRPC stream and silently drops
 *       the last ~500 records: the file ends with {@link #PAD} duplicates of route 0, and the
 *       injector verifies its RIB counts after injecting (and retries).
 *   <li>GoBGP's MRT parser wants the full RFC 4760 MP_REACH_NLRI (AFI, SAFI, next hop, reserved,
 *       empty NLRI) in RIB_IPV6 entries, not RFC 6396's abbreviated form.
 * </ul>
 */
public record RouteSet(
    int v4, int v6, int denyEvery, int peerAs, String nextHop4, String nextHop6) {
  public static final int PAD = 2048;
  public static final int DENY_COMMUNITY_VALUE = 666;

  /** Number of routes among the first n that carry the deny community. */
  public int denied(int n) {
    return denyEvery > 0 ? (n + denyEvery - 1) / denyEvery : 0;
  }

  public int deniedV4() {
    return denied(v4);
  }

  public int deniedV6() {
    return denied(v6);
  }

  public int acceptedV4() {
    return v4 - deniedV4();
  }

  public int acceptedV6() {
    return v6 - deniedV6();
  }

  public int total(String afiSafi) {
    return switch (afiSafi) {
      case "ipv4_unicast" -> v4;
      case "ipv6_unicast" -> v6;
      default -> 0;
    };
  }

  public int accepted(String afiSafi) {
    return switch (afiSafi) {
      case "ipv4_unicast" -> acceptedV4();
      case "ipv6_unicast" -> acceptedV6();
      default -> 0;
    };
  }

  /** The deny community as GoBGP/FRR write it, e.g. {@code 65002:666}. */
  public String denyCommunity() {
    return peerAs + ":" + DENY_COMMUNITY_VALUE;
  }

  public void writeMrt(Path file, String peerIp) {
    int ts = (int) (System.currentTimeMillis() / 1000);
    ByteArrayOutputStream out = new ByteArrayOutputStream(v4 * 80 + v6 * 100 + PAD * 80);
    byte[] pip = addr(peerIp);
    // PEER_INDEX_TABLE: collector BGP id, empty view name, one peer (type 0x02: IPv4 address,
    // 4-byte AS)
    ByteBuffer pit = ByteBuffer.allocate(4 + 2 + 2 + 1 + 4 + 4 + 4);
    pit.put(pip)
        .putShort((short) 0)
        .putShort((short) 1)
        .put((byte) 0x02)
        .put(pip)
        .put(pip)
        .putInt(peerAs);
    record(out, ts, 1, pit.array());
    int seq = 0;
    for (int i = 0; i < v4; i++) {
      record(out, ts, 2, rib(seq++, v4Prefix(i), 24, attrs(i, false), ts));
    }
    for (int i = 0; i < v6; i++) {
      record(out, ts, 4, rib(seq++, v6Prefix(i), 48, attrs(i, true), ts));
    }
    if (v4 > 0) {
      byte[] first = rib(0, v4Prefix(0), 24, attrs(0, false), ts);
      for (int k = 0; k < PAD; k++) {
        record(out, ts, 2, first);
      }
    }
    try {
      Files.write(file, out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The i-th IPv4 route as text ({@code 10.0.1.0/24}). */
  public static String v4Text(int i) {
    byte[] a = v4Prefix(i);
    return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff) + "/24";
  }

  /** The i-th IPv6 route as text ({@code 2001:db8:1::/48}). */
  public static String v6Text(int i) {
    return "2001:db8:" + Integer.toHexString(i) + "::/48";
  }

  /**
   * The origin AS of the i-th route (of either family): the last AS of its AS_PATH, the same
   * whatever the routers prepend.
   */
  public static long originAs(int i) {
    return i % 7 == 0 ? 64512 + i % 200 : 65100 + i % 7 - 1;
  }

  /** Whether the i-th route (of either family) carries the deny community. */
  public boolean deniedRoute(int i) {
    return denyEvery > 0 && i % denyEvery == 0;
  }

  static byte[] v4Prefix(int i) {
    int a = (10 << 24) + (i << 8);
    return ByteBuffer.allocate(4).putInt(a).array();
  }

  static byte[] v6Prefix(int i) {
    // 2001:db8::/48 + i << 80: bytes 4..5 carry i (i < 65536)
    byte[] b = new byte[16];
    b[0] = 0x20;
    b[1] = 0x01;
    b[2] = 0x0d;
    b[3] = (byte) 0xb8;
    b[4] = (byte) (i >> 8);
    b[5] = (byte) i;
    return b;
  }

  private byte[] attrs(int i, boolean v6) {
    ByteArrayOutputStream a = new ByteArrayOutputStream(64);
    attr(a, 0x40, 1, new byte[] {0}); // ORIGIN IGP
    int hops = 1 + i % 7;
    ByteBuffer path = ByteBuffer.allocate(2 + 4 * hops);
    path.put((byte) 2).put((byte) hops).putInt(64512 + i % 200);
    for (int k = 0; k < i % 7; k++) {
      path.putInt(65100 + k);
    }
    attr(a, 0x40, 2, path.array()); // AS_PATH, 4-octet ASNs (TABLE_DUMP_V2)
    if (v6) {
      byte[] nh = addr(nextHop6);
      ByteBuffer mp = ByteBuffer.allocate(4 + nh.length + 1);
      mp.putShort((short) 2).put((byte) 1).put((byte) nh.length).put(nh).put((byte) 0);
      attr(a, 0x80, 14, mp.array()); // full RFC 4760 MP_REACH_NLRI (GoBGP's parser wants it)
    } else {
      attr(a, 0x40, 3, addr(nextHop4)); // NEXT_HOP
    }
    attr(a, 0x80, 4, ByteBuffer.allocate(4).putInt(i % 100).array()); // MED
    boolean deny = deniedRoute(i);
    ByteBuffer comm = ByteBuffer.allocate(deny ? 8 : 4);
    comm.putInt((peerAs << 16) | (i % 10));
    if (deny) {
      comm.putInt((peerAs << 16) | DENY_COMMUNITY_VALUE);
    }
    attr(a, 0xC0, 8, comm.array()); // COMMUNITIES
    return a.toByteArray();
  }

  private static void attr(ByteArrayOutputStream a, int flags, int code, byte[] value) {
    a.write(flags);
    a.write(code);
    a.write(value.length);
    a.writeBytes(value);
  }

  private static byte[] rib(int seq, byte[] prefix, int plen, byte[] attrs, int ts) {
    int nb = (plen + 7) / 8;
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + nb + 2 + 2 + 4 + 2 + attrs.length);
    b.putInt(seq).put((byte) plen).put(prefix, 0, nb).putShort((short) 1); // one RIB entry
    b.putShort((short) 0).putInt(ts).putShort((short) attrs.length).put(attrs); // peer index 0
    return b.array();
  }

  private static void record(ByteArrayOutputStream out, int ts, int subtype, byte[] body) {
    ByteBuffer h = ByteBuffer.allocate(12);
    h.putInt(ts)
        .putShort((short) 13)
        .putShort((short) subtype)
        .putInt(body.length); // TABLE_DUMP_V2
    out.writeBytes(h.array());
    out.writeBytes(body);
  }

  private static byte[] addr(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
