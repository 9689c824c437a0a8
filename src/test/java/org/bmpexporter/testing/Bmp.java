package org.bmpexporter.testing;

import org.bmpexporter.wire.BmpTestMessages;

import java.util.Map;

/** Builds BMP and BGP messages for tests, field by field as the RFCs lay them out. */
public final class Bmp {
  private Bmp() {}

  /** A big-endian byte writer (the codec tests' builder). */
  public static BmpTestMessages.W w() {
    return BmpTestMessages.w();
  }

  public static byte[] ip(String address) {
    return BmpTestMessages.ip(address);
  }

  /** The 16-byte BMP address field. */
  public static byte[] ip16(String address) {
    byte[] a = ip(address);
    byte[] out = new byte[16];
    System.arraycopy(a, 0, out, 16 - a.length, a.length);
    return out;
  }

  public static byte[] message(int type, byte[] body) {
    return BmpTestMessages.bmp(type, body);
  }

  public static byte[] peerHeader(int peerType, int flags, long rd, String address, long as,
      String bgpId) {
    return w().u8(peerType).u8(flags).u64(rd).bytes(ip16(address)).u32(as)
        .bytes(ip(bgpId)).u32(1_700_000_000L).u32(0).build();
  }

  public static byte[] globalPeer(String address, long as) {
    int flags = address.contains(":") ? 0x80 : 0;
    return peerHeader(0, flags, 0, address, as, "192.0.2.255");
  }

  public static byte[] postPolicy(byte[] peerHeader) {
    byte[] h = peerHeader.clone();
    h[1] |= 0x40;
    return h;
  }

  public static byte[] tlv(int type, byte[] value) {
    return BmpTestMessages.tlv(type, value);
  }

  public static byte[] tlv(int type, String text) {
    return BmpTestMessages.tlv(type, text);
  }

  public static byte[] initiation(String sysName, String sysDescr) {
    return message(4, w().bytes(tlv(1, sysDescr)).bytes(tlv(2, sysName)).build());
  }

  public static byte[] termination(int reason) {
    return message(5, tlv(1, w().u16(reason).build()));
  }

  public static byte[] bgp(int type, byte[] body) {
    return BmpTestMessages.bgp(type, body);
  }

  /**
   * An OPEN with 4-octet AS, multiprotocol IPv4/IPv6 unicast, and ADD-PATH per family code
   * ({@code afi << 8 | safi} to mode 1 receive, 2 send, 3 both).
   */
  public static byte[] open(long as, String bgpId, Map<Integer, Integer> addPath) {
    BmpTestMessages.W caps = w();
    caps.bytes(cap(1, w().u16(1).u8(0).u8(1).build()));
    caps.bytes(cap(1, w().u16(2).u8(0).u8(1).build()));
    caps.bytes(cap(65, w().u32(as).build()));
    caps.bytes(cap(2, new byte[0]));
    if (!addPath.isEmpty()) {
      BmpTestMessages.W ap = w();
      addPath.forEach((family, mode) -> ap.u16(family >>> 8).u8(family & 0xff).u8(mode));
      caps.bytes(cap(69, ap.build()));
    }
    byte[] c = caps.build();
    byte[] param = w().u8(2).u8(c.length).bytes(c).build();
    return bgp(1, w().u8(4).u16(as > 65535 ? 23456 : (int) as).u16(90).bytes(ip(bgpId))
        .u8(param.length).bytes(param).build());
  }

  private static byte[] cap(int code, byte[] value) {
    return w().u8(code).u8(value.length).bytes(value).build();
  }

  public static byte[] peerUp(byte[] peerHeader, byte[] sentOpen, byte[] receivedOpen,
      byte[]... tlvs) {
    BmpTestMessages.W w = w().bytes(peerHeader).bytes(ip16("192.0.2.1")).u16(179).u16(50000)
        .bytes(sentOpen).bytes(receivedOpen);
    for (byte[] t : tlvs) {
      w.bytes(t);
    }
    return message(3, w.build());
  }

  public static byte[] peerUp(byte[] peerHeader) {
    return peerUp(peerHeader, open(65001, "192.0.2.1", Map.of()),
        open(65002, "192.0.2.2", Map.of()));
  }

  public static byte[] peerDown(byte[] peerHeader, int reason, byte[] data) {
    return message(2, w().bytes(peerHeader).u8(reason).bytes(data).build());
  }

  public static byte[] notification(int code, int subcode, byte[] data) {
    return BmpTestMessages.notification(code, subcode, data);
  }

  public static byte[] routeMonitoring(byte[] peerHeader, byte[] update) {
    return message(0, w().bytes(peerHeader).bytes(update).build());
  }

  public static byte[] statistics(byte[] peerHeader, byte[]... tlvs) {
    BmpTestMessages.W w = w().bytes(peerHeader).u32(tlvs.length);
    for (byte[] t : tlvs) {
      w.bytes(t);
    }
    return message(1, w.build());
  }

  /** NLRI bytes of prefixes "a.b.c.d/n" or IPv6, each optionally preceded by a path id. */
  public static byte[] nlri(long pathId, String... prefixes) {
    BmpTestMessages.W w = w();
    for (String p : prefixes) {
      if (pathId >= 0) {
        w.u32(pathId);
      }
      int slash = p.indexOf('/');
      int bits = Integer.parseInt(p.substring(slash + 1));
      byte[] a = ip(p.substring(0, slash));
      w.u8(bits);
      for (int i = 0; i < (bits + 7) / 8; i++) {
        w.u8(a[i]);
      }
    }
    return w.build();
  }

  public static byte[] nlri(String... prefixes) {
    return nlri(-1, prefixes);
  }

  private static final byte[] ORIGIN = {0x40, 1, 1, 0};

  private static byte[] asPath4(long... asns) {
    BmpTestMessages.W seg = w().u8(2).u8(asns.length);
    for (long a : asns) {
      seg.u32(a);
    }
    byte[] s = seg.build();
    return w().u8(0x40).u8(2).u8(s.length).bytes(s).build();
  }

  /** An IPv4 UPDATE: withdrawn routes, then ORIGIN/AS_PATH/NEXT_HOP and NLRI if any. */
  public static byte[] updateV4(byte[] withdrawn, byte[] nlri) {
    byte[] attrs = nlri.length == 0 ? new byte[0] : w().bytes(ORIGIN)
        .bytes(asPath4(65002, 64512)).bytes(new byte[] {0x40, 3, 4, (byte) 192, 0, 2, 2}).build();
    return bgp(2, w().u16(withdrawn.length).bytes(withdrawn).u16(attrs.length).bytes(attrs)
        .bytes(nlri).build());
  }

  /** An UPDATE with MP_REACH (announce) or MP_UNREACH for IPv6 unicast. */
  public static byte[] updateV6(boolean announce, byte[] nlri) {
    BmpTestMessages.W attrs = w();
    if (announce) {
      byte[] mp = w().u16(2).u8(1).u8(16).bytes(ip("2001:db8::1")).u8(0).bytes(nlri).build();
      attrs.bytes(ORIGIN).bytes(asPath4(65002)).u8(0x90).u8(14).u16(mp.length).bytes(mp);
    } else {
      byte[] mp = w().u16(2).u8(1).bytes(nlri).build();
      attrs.u8(0x90).u8(15).u16(mp.length).bytes(mp);
    }
    byte[] a = attrs.build();
    return bgp(2, w().u16(0).u16(a.length).bytes(a).build());
  }

  public static byte[] concat(byte[]... parts) {
    return BmpTestMessages.concat(parts);
  }
}
