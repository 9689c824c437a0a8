package org.bmpexporter.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds BMP and BGP messages for tests, field by field as the RFCs lay them out. */
public final class Bmp {
  private Bmp() {}

  /** A growable big-endian byte writer. */
  public static final class W {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public W u8(int v) {
      out.write(v);
      return this;
    }

    public W u16(int v) {
      return u8(v >>> 8).u8(v);
    }

    public W u32(long v) {
      return u16((int) (v >>> 16)).u16((int) v);
    }

    public W u64(long v) {
      return u32(v >>> 32).u32(v);
    }

    public W bytes(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    public byte[] done() {
      return out.toByteArray();
    }

    public int size() {
      return out.size();
    }
  }

  public static byte[] ip(String address) {
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (Exception e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  /** The 16-byte BMP address field. */
  public static byte[] ip16(String address) {
    byte[] a = ip(address);
    byte[] out = new byte[16];
    System.arraycopy(a, 0, out, 16 - a.length, a.length);
    return out;
  }

  public static byte[] message(int type, byte[] body) {
    return new W().u8(3).u32(6 + body.length).u8(type).bytes(body).done();
  }

  public static byte[] peerHeader(int peerType, int flags, long rd, String address, long as,
      String bgpId) {
    return new W().u8(peerType).u8(flags).u64(rd).bytes(ip16(address)).u32(as)
        .bytes(ip(bgpId)).u32(1_700_000_000L).u32(0).done();
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
    return new W().u16(type).u16(value.length).bytes(value).done();
  }

  public static byte[] tlv(int type, String text) {
    return tlv(type, text.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] initiation(String sysName, String sysDescr) {
    return message(4, new W().bytes(tlv(1, sysDescr)).bytes(tlv(2, sysName)).done());
  }

  public static byte[] termination(int reason) {
    return message(5, tlv(1, new W().u16(reason).done()));
  }

  public static byte[] bgp(int type, byte[] body) {
    W w = new W();
    for (int i = 0; i < 16; i++) {
      w.u8(0xff);
    }
    return w.u16(19 + body.length).u8(type).bytes(body).done();
  }

  /**
   * An OPEN with 4-octet AS, multiprotocol IPv4/IPv6 unicast, and ADD-PATH per family code
   * ({@code afi << 8 | safi} to mode 1 receive, 2 send, 3 both).
   */
  public static byte[] open(long as, String bgpId, Map<Integer, Integer> addPath) {
    W caps = new W();
    caps.bytes(cap(1, new W().u16(1).u8(0).u8(1).done()));
    caps.bytes(cap(1, new W().u16(2).u8(0).u8(1).done()));
    caps.bytes(cap(65, new W().u32(as).done()));
    caps.bytes(cap(2, new byte[0]));
    if (!addPath.isEmpty()) {
      W ap = new W();
      addPath.forEach((family, mode) -> ap.u16(family >>> 8).u8(family & 0xff).u8(mode));
      caps.bytes(cap(69, ap.done()));
    }
    byte[] c = caps.done();
    byte[] param = new W().u8(2).u8(c.length).bytes(c).done();
    return bgp(1, new W().u8(4).u16(as > 65535 ? 23456 : (int) as).u16(90).bytes(ip(bgpId))
        .u8(param.length).bytes(param).done());
  }

  private static byte[] cap(int code, byte[] value) {
    return new W().u8(code).u8(value.length).bytes(value).done();
  }

  public static byte[] peerUp(byte[] peerHeader, byte[] sentOpen, byte[] receivedOpen,
      byte[]... tlvs) {
    W w = new W().bytes(peerHeader).bytes(ip16("192.0.2.1")).u16(179).u16(50000)
        .bytes(sentOpen).bytes(receivedOpen);
    for (byte[] t : tlvs) {
      w.bytes(t);
    }
    return message(3, w.done());
  }

  public static byte[] peerUp(byte[] peerHeader) {
    return peerUp(peerHeader, open(65001, "192.0.2.1", Map.of()),
        open(65002, "192.0.2.2", Map.of()));
  }

  public static byte[] peerDown(byte[] peerHeader, int reason, byte[] data) {
    return message(2, new W().bytes(peerHeader).u8(reason).bytes(data).done());
  }

  public static byte[] notification(int code, int subcode, byte[] data) {
    return bgp(3, new W().u8(code).u8(subcode).bytes(data).done());
  }

  public static byte[] routeMonitoring(byte[] peerHeader, byte[] update) {
    return message(0, new W().bytes(peerHeader).bytes(update).done());
  }

  public static byte[] statistics(byte[] peerHeader, byte[]... tlvs) {
    W w = new W().bytes(peerHeader).u32(tlvs.length);
    for (byte[] t : tlvs) {
      w.bytes(t);
    }
    return message(1, w.done());
  }

  /** NLRI bytes of prefixes "a.b.c.d/n" or IPv6, each optionally preceded by a path id. */
  public static byte[] nlri(long pathId, String... prefixes) {
    W w = new W();
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
    return w.done();
  }

  public static byte[] nlri(String... prefixes) {
    return nlri(-1, prefixes);
  }

  private static final byte[] ORIGIN = {0x40, 1, 1, 0};

  private static byte[] asPath4(long... asns) {
    W seg = new W().u8(2).u8(asns.length);
    for (long a : asns) {
      seg.u32(a);
    }
    byte[] s = seg.done();
    return new W().u8(0x40).u8(2).u8(s.length).bytes(s).done();
  }

  /** An IPv4 UPDATE: withdrawn routes, then ORIGIN/AS_PATH/NEXT_HOP and NLRI if any. */
  public static byte[] updateV4(byte[] withdrawn, byte[] nlri) {
    byte[] attrs = nlri.length == 0 ? new byte[0] : new W().bytes(ORIGIN)
        .bytes(asPath4(65002, 64512)).bytes(new byte[] {0x40, 3, 4, (byte) 192, 0, 2, 2}).done();
    return bgp(2, new W().u16(withdrawn.length).bytes(withdrawn).u16(attrs.length).bytes(attrs)
        .bytes(nlri).done());
  }

  /** An UPDATE with MP_REACH (announce) or MP_UNREACH for IPv6 unicast. */
  public static byte[] updateV6(boolean announce, byte[] nlri) {
    W attrs = new W();
    if (announce) {
      byte[] mp = new W().u16(2).u8(1).u8(16).bytes(ip("2001:db8::1")).u8(0).bytes(nlri).done();
      attrs.bytes(ORIGIN).bytes(asPath4(65002)).u8(0x90).u8(14).u16(mp.length).bytes(mp);
    } else {
      byte[] mp = new W().u16(2).u8(1).bytes(nlri).done();
      attrs.u8(0x90).u8(15).u16(mp.length).bytes(mp);
    }
    byte[] a = attrs.done();
    return bgp(2, new W().u16(0).u16(a.length).bytes(a).done());
  }

  public static byte[] concat(byte[]... parts) {
    W w = new W();
    for (byte[] p : parts) {
      w.bytes(p);
    }
    return w.done();
  }
}
