package org.bmpexporter.bgp.encode;

import org.bmpexporter.bgp.AttributeType;
import org.bmpexporter.bgp.BgpMessages;
import org.bmpexporter.codec.ByteWriter;

/**
 * BGP-4 message encoder (RFC 4271, 4760, 6793, 7911, 8092, 1997, 4724, 2918): OPEN with
 * capabilities, UPDATE (IPv4 NLRI in the classic fields, IPv6 in MP_REACH / MP_UNREACH), End-of-RIB
 * markers and NOTIFICATION. UPDATEs respect the 4096-octet message limit: the announce/withdraw
 * methods write as many prefixes as fit and return where they stopped.
 */
public final class UpdateEncoder {
  public static final int MAX_MESSAGE = 4096;

  private UpdateEncoder() {}

  /** What an OPEN advertises. */
  public record OpenSpec(
      long asn,
      long bgpId,
      int holdTime,
      boolean ipv4,
      boolean ipv6,
      boolean fourOctetAs,
      /** ADD-PATH send/receive value for both families (1 receive, 2 send, 3 both), 0 = none. */
      int addPath,
      boolean routeRefresh,
      boolean gracefulRestart) {}

  public static int beginMessage(ByteWriter b, int type) {
    int at = b.mark();
    b.fill(0xff, 16);
    b.u16(0);
    b.u8(type);
    return at;
  }

  public static void endMessage(ByteWriter b, int at) {
    int len = b.size() - at;
    if (len > MAX_MESSAGE) {
      throw new IllegalStateException("BGP message of " + len + " octets exceeds " + MAX_MESSAGE);
    }
    b.patchU16(at + 16, len);
  }

  public static byte[] open(OpenSpec s) {
    ByteWriter b = new ByteWriter(128);
    int at = beginMessage(b, BgpMessages.TYPE_OPEN);
    b.u8(4);
    b.u16(s.asn() > 0xffff ? AttributeType.AS_TRANS : (int) s.asn());
    b.u16(s.holdTime());
    b.u32(s.bgpId());
    int optLenAt = b.mark();
    b.u8(0);
    int paramStart = b.mark();
    // one Capabilities optional parameter holding every capability
    b.u8(2);
    int capLenAt = b.mark();
    b.u8(0);
    int capStart = b.mark();
    if (s.ipv4()) {
      b.u8(1).u8(4).u16(1).u8(0).u8(1);
    }
    if (s.ipv6()) {
      b.u8(1).u8(4).u16(2).u8(0).u8(1);
    }
    if (s.routeRefresh()) {
      b.u8(2).u8(0);
    }
    if (s.gracefulRestart()) {
      int fams = (s.ipv4() ? 1 : 0) + (s.ipv6() ? 1 : 0);
      b.u8(64).u8(2 + 4 * fams).u16(120); // restart time 120 s, no R flag
      if (s.ipv4()) {
        b.u16(1).u8(1).u8(0x80); // forwarding state preserved
      }
      if (s.ipv6()) {
        b.u16(2).u8(1).u8(0x80);
      }
    }
    if (s.fourOctetAs()) {
      b.u8(65).u8(4).u32(s.asn());
    }
    if (s.addPath() != 0) {
      int fams = (s.ipv4() ? 1 : 0) + (s.ipv6() ? 1 : 0);
      b.u8(69).u8(4 * fams);
      if (s.ipv4()) {
        b.u16(1).u8(1).u8(s.addPath());
      }
      if (s.ipv6()) {
        b.u16(2).u8(1).u8(s.addPath());
      }
    }
    b.patchU8(capLenAt, b.size() - capStart);
    b.patchU8(optLenAt, b.size() - paramStart);
    endMessage(b, at);
    return b.toByteArray();
  }

  /** A NOTIFICATION; {@code data} may be empty. */
  public static byte[] notification(int code, int subcode, byte[] data) {
    ByteWriter b = new ByteWriter(64);
    int at = beginMessage(b, BgpMessages.TYPE_NOTIFICATION);
    b.u8(code).u8(subcode).bytes(data);
    endMessage(b, at);
    return b.toByteArray();
  }

  /** Cease / Administrative Shutdown (6/2) with an RFC 9003 shutdown communication. */
  public static byte[] ceaseAdminShutdown(String communication) {
    byte[] text = communication.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int n = Math.min(text.length, 255);
    byte[] data = new byte[1 + n];
    data[0] = (byte) n;
    System.arraycopy(text, 0, data, 1, n);
    return notification(6, 2, data);
  }

  /** End-of-RIB for IPv4 unicast: an UPDATE with no withdrawn routes, attributes or NLRI. */
  public static void endOfRibV4(ByteWriter b) {
    int at = beginMessage(b, BgpMessages.TYPE_UPDATE);
    b.u16(0).u16(0);
    endMessage(b, at);
  }

  /** End-of-RIB for IPv6 unicast: an UPDATE whose only attribute is MP_UNREACH_NLRI(2, 1). */
  public static void endOfRibV6(ByteWriter b) {
    int at = beginMessage(b, BgpMessages.TYPE_UPDATE);
    b.u16(0).u16(6);
    b.u8(AttributeType.FLAG_OPTIONAL).u8(AttributeType.MP_UNREACH).u8(3).u16(2).u8(1);
    endMessage(b, at);
  }

  /** Writes the attributes except MP_REACH_NLRI; NEXT_HOP only when {@code ipv4Nlri}. */
  static void writeAttrs(ByteWriter b, Attrs a, boolean ipv4Nlri) {
    b.u8(AttributeType.FLAG_TRANSITIVE).u8(AttributeType.ORIGIN).u8(1).u8(a.origin);
    // AS_PATH: AS_SEQUENCE segments of at most 255 4-octet ASNs
    int n = a.asPathLen;
    int segs = n == 0 ? 0 : (n + 254) / 255;
    int len = segs * 2 + n * 4;
    if (len > 255) {
      b.u8(AttributeType.FLAG_TRANSITIVE | AttributeType.FLAG_EXTENDED_LENGTH)
          .u8(AttributeType.AS_PATH)
          .u16(len);
    } else {
      b.u8(AttributeType.FLAG_TRANSITIVE).u8(AttributeType.AS_PATH).u8(len);
    }
    for (int i = 0; i < n; i += 255) {
      int k = Math.min(255, n - i);
      b.u8(2).u8(k);
      for (int j = 0; j < k; j++) {
        b.u32(a.asPath[i + j]);
      }
    }
    if (ipv4Nlri) {
      b.u8(AttributeType.FLAG_TRANSITIVE)
          .u8(AttributeType.NEXT_HOP)
          .u8(4)
          .u32(a.nextHopV4 & 0xffffffffL);
    }
    if (a.med >= 0) {
      b.u8(AttributeType.FLAG_OPTIONAL).u8(AttributeType.MED).u8(4).u32(a.med);
    }
    if (a.localPref >= 0) {
      b.u8(AttributeType.FLAG_TRANSITIVE).u8(AttributeType.LOCAL_PREF).u8(4).u32(a.localPref);
    }
    if (a.communitiesLen > 0) {
      b.u8(AttributeType.FLAG_OPTIONAL | AttributeType.FLAG_TRANSITIVE)
          .u8(AttributeType.COMMUNITIES)
          .u8(4 * a.communitiesLen);
      for (int i = 0; i < a.communitiesLen; i++) {
        b.u32(a.communities[i] & 0xffffffffL);
      }
    }
    if (a.largeCommunitiesLen > 0) {
      b.u8(AttributeType.FLAG_OPTIONAL | AttributeType.FLAG_TRANSITIVE)
          .u8(AttributeType.LARGE_COMMUNITY)
          .u8(4 * a.largeCommunitiesLen);
      for (int i = 0; i < a.largeCommunitiesLen; i++) {
        b.u32(a.largeCommunities[i] & 0xffffffffL);
      }
    }
  }

  private static int nlriSize(long key, boolean addPath) {
    return Prefixes.nlriBytes(key) + (addPath ? 4 : 0);
  }

  private static void writeNlri(ByteWriter b, boolean v6, long key, int[] pathIds, int i) {
    if (pathIds != null) {
      b.u32(pathIds[i] & 0xffffffffL);
    }
    if (v6) {
      Prefixes.writeV6(b, key);
    } else {
      Prefixes.writeV4(b, key);
    }
  }

  /**
   * Writes one UPDATE announcing {@code keys[from..to)} with attributes {@code a}, as many as fit
   * in one message (at least one). {@code pathIds} (parallel to keys) is null without ADD-PATH.
   *
   * @return the index after the last prefix written
   */
  public static int announce(
      ByteWriter b, boolean v6, Attrs a, long[] keys, int[] pathIds, int from, int to) {
    int at = beginMessage(b, BgpMessages.TYPE_UPDATE);
    b.u16(0); // no withdrawn routes
    int attrLenAt = b.mark();
    b.u16(0);
    int attrStart = b.mark();
    writeAttrs(b, a, !v6);
    int i = from;
    boolean addPath = pathIds != null;
    if (!v6) {
      b.patchU16(attrLenAt, b.size() - attrStart);
      int limit = at + MAX_MESSAGE;
      while (i < to && (i == from || b.size() + nlriSize(keys[i], addPath) <= limit)) {
        writeNlri(b, false, keys[i], pathIds, i);
        i++;
      }
    } else {
      b.u8(AttributeType.FLAG_OPTIONAL | AttributeType.FLAG_EXTENDED_LENGTH)
          .u8(AttributeType.MP_REACH);
      int mpLenAt = b.mark();
      b.u16(0);
      int mpStart = b.mark();
      b.u16(2).u8(1).u8(16).bytes(a.nextHopV6).u8(0);
      int limit = at + MAX_MESSAGE;
      while (i < to && (i == from || b.size() + nlriSize(keys[i], addPath) <= limit)) {
        writeNlri(b, true, keys[i], pathIds, i);
        i++;
      }
      b.patchU16(mpLenAt, b.size() - mpStart);
      b.patchU16(attrLenAt, b.size() - attrStart);
    }
    endMessage(b, at);
    return i;
  }

  /**
   * Writes one UPDATE withdrawing {@code keys[from..to)} (IPv4 in the withdrawn routes field, IPv6
   * in MP_UNREACH_NLRI), as many as fit; returns the index after the last one written.
   */
  public static int withdraw(
      ByteWriter b, boolean v6, long[] keys, int[] pathIds, int from, int to) {
    int at = beginMessage(b, BgpMessages.TYPE_UPDATE);
    int limit = at + MAX_MESSAGE;
    boolean addPath = pathIds != null;
    int i = from;
    if (!v6) {
      int wLenAt = b.mark();
      b.u16(0);
      int wStart = b.mark();
      while (i < to && b.size() + nlriSize(keys[i], addPath) + 2 <= limit) {
        writeNlri(b, false, keys[i], pathIds, i);
        i++;
      }
      b.patchU16(wLenAt, b.size() - wStart);
      b.u16(0);
    } else {
      b.u16(0);
      int attrLenAt = b.mark();
      b.u16(0);
      int attrStart = b.mark();
      b.u8(AttributeType.FLAG_OPTIONAL | AttributeType.FLAG_EXTENDED_LENGTH)
          .u8(AttributeType.MP_UNREACH);
      int mpLenAt = b.mark();
      b.u16(0);
      int mpStart = b.mark();
      b.u16(2).u8(1);
      while (i < to && b.size() + nlriSize(keys[i], addPath) <= limit) {
        writeNlri(b, true, keys[i], pathIds, i);
        i++;
      }
      b.patchU16(mpLenAt, b.size() - mpStart);
      b.patchU16(attrLenAt, b.size() - attrStart);
    }
    endMessage(b, at);
    return i;
  }
}
