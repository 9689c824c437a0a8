package org.bmpexporter.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.wire.MessageType;

/**
 * The tests' builder of BMP (RFC 7854, 8671, 9069) and BGP (RFC 4271, 4760, 7911, 8277, ...)
 * messages, field by field as the RFCs lay them out, so that a test reads as "this is what goes on
 * the wire, this is what must come out". It writes with the codec layer's {@link ByteWriter} but
 * builds every message itself: it can write what the production encoders never would (other
 * versions, bad lengths, truncations), and it shares no logic with the decoders it checks.
 */
public final class Bmp {
  private Bmp() {}

  // ---------------------------------------------------------------- bytes

  /** A big-endian byte writer: the codec layer's, shared with the encoders. */
  public static ByteWriter w() {
    return new ByteWriter();
  }

  public static byte[] concat(byte[]... parts) {
    return w().bytes(parts).toByteArray();
  }

  public static byte[] hex(String hex) {
    String h = hex.replaceAll("[\\s:]", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  public static String toHex(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(String.format("%02x", b[off + i] & 0xff));
    }
    return sb.toString();
  }

  public static String toHex(byte[] b) {
    return toHex(b, 0, b.length);
  }

  public static byte[] ip(String address) {
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  // ---------------------------------------------------------------- BMP

  public static final int ROUTE_MONITORING = MessageType.ROUTE_MONITORING.code();
  public static final int STATISTICS = MessageType.STATISTICS_REPORT.code();
  public static final int PEER_DOWN = MessageType.PEER_DOWN.code();
  public static final int PEER_UP = MessageType.PEER_UP.code();
  public static final int INITIATION = MessageType.INITIATION.code();
  public static final int TERMINATION = MessageType.TERMINATION.code();
  public static final int ROUTE_MIRRORING = MessageType.ROUTE_MIRRORING.code();

  /** A whole BMP message: common header (version 3, length, type) and body. */
  public static byte[] bmp(int type, byte[]... body) {
    return bmpVersion(3, type, body);
  }

  public static byte[] bmpVersion(int version, int type, byte[]... body) {
    byte[] b = concat(body);
    return w().u8(version).u32(6 + b.length).u8(type).bytes(b).toByteArray();
  }

  /** An information/statistics/mirroring TLV: 2-byte type, 2-byte length, value. */
  public static byte[] tlv(int type, byte[] value) {
    return w().u16(type).u16(value.length).bytes(value).toByteArray();
  }

  public static byte[] tlv(int type, String text) {
    return tlv(type, text.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] initiation(byte[]... tlvs) {
    return bmp(INITIATION, tlvs);
  }

  public static byte[] termination(byte[]... tlvs) {
    return bmp(TERMINATION, tlvs);
  }

  public static byte[] terminationReason(int reason) {
    return tlv(1, w().u16(reason).toByteArray());
  }

  /** The 42-byte per-peer header (RFC 7854 4.2). */
  public static final class Peer {
    int type = 0;
    int flags = 0;
    byte[] rd = new byte[8];
    byte[] address = ip("192.0.2.1");
    long as = 65001;
    long bgpId = 0xc0000201L;
    long seconds = 1_700_000_000L;
    long micros = 123_456;

    public Peer type(int t) {
      type = t;
      return this;
    }

    public Peer flags(int f) {
      flags = f;
      return this;
    }

    public Peer rd(byte[] r) {
      rd = r.clone();
      return this;
    }

    /** Sets the address and, for an IPv6 one, the V flag. */
    public Peer address(String a) {
      address = ip(a);
      if (address.length == 16) {
        flags |= 0x80;
      }
      return this;
    }

    public Peer as(long a) {
      as = a;
      return this;
    }

    public Peer bgpId(String id) {
      byte[] b = ip(id);
      bgpId = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
      return this;
    }

    public Peer time(long s, long us) {
      seconds = s;
      micros = us;
      return this;
    }

    public byte[] bytes() {
      ByteWriter w = w().u8(type).u8(flags).bytes(rd);
      if (address.length == 4) {
        w.zeros(12).bytes(address);
      } else {
        w.bytes(address);
      }
      return w.u32(as).u32(bgpId).u32(seconds).u32(micros).toByteArray();
    }
  }

  public static Peer peer() {
    return new Peer();
  }

  public static byte[] routeMonitoring(Peer peer, byte[] bgpMessage) {
    return bmp(ROUTE_MONITORING, peer.bytes(), bgpMessage);
  }

  /** Statistics Report whose count field is the number of TLVs given. */
  public static byte[] statistics(Peer peer, byte[]... tlvs) {
    return statisticsCount(peer, tlvs.length, tlvs);
  }

  public static byte[] statisticsCount(Peer peer, long count, byte[]... tlvs) {
    return bmp(STATISTICS, peer.bytes(), w().u32(count).toByteArray(), concat(tlvs));
  }

  public static byte[] stat32(int type, long value) {
    return tlv(type, w().u32(value).toByteArray());
  }

  public static byte[] stat64(int type, long value) {
    return tlv(type, w().u64(value).toByteArray());
  }

  public static byte[] statAfi(int type, int afi, int safi, long value) {
    return tlv(type, w().u16(afi).u8(safi).u64(value).toByteArray());
  }

  public static byte[] peerDown(Peer peer, int reason, byte[] data) {
    return bmp(PEER_DOWN, peer.bytes(), new byte[] {(byte) reason}, data);
  }

  public static byte[] peerUp(
      Peer peer,
      String localAddress,
      int localPort,
      int remotePort,
      byte[] sentOpen,
      byte[] receivedOpen,
      byte[]... tlvs) {
    byte[] local = ip(localAddress);
    ByteWriter w = w();
    if (local.length == 4) {
      w.zeros(12);
    }
    w.bytes(local).u16(localPort).u16(remotePort).bytes(sentOpen, receivedOpen, concat(tlvs));
    return bmp(PEER_UP, peer.bytes(), w.toByteArray());
  }

  public static byte[] mirroring(Peer peer, byte[]... tlvs) {
    return bmp(ROUTE_MIRRORING, peer.bytes(), concat(tlvs));
  }

  // ---------------------------------------------------------------- BMP version 4

  /** A whole BMP version 4 message: the version 3 common header with version byte 4. */
  public static byte[] bmp4(int type, byte[]... body) {
    return bmpVersion(4, type, body);
  }

  /**
   * A version 4 Route Monitoring TLV (draft-ietf-grow-bmp-tlv): 2-byte type, 2-byte length of the
   * value, 2-byte index (not counted in the length), value.
   */
  public static byte[] tlv4(int type, int index, byte[] value) {
    return w().u16(type).u16(value.length).u16(index).bytes(value).toByteArray();
  }

  /** A version 4 Route Monitoring: per-peer header, then TLVs. */
  public static byte[] routeMonitoring4(Peer peer, byte[]... tlvs) {
    return bmp4(ROUTE_MONITORING, peer.bytes(), concat(tlvs));
  }

  /** The BGP PDU TLV of the deployed numbering (type 4), index 0. */
  public static byte[] bgpPdu4(byte[] update) {
    return tlv4(4, 0, update);
  }

  /** A path marking TLV (type 5): 4-byte status bits, and a 2-byte reason code if >= 0. */
  public static byte[] pathMarking4(int index, int status, int reason) {
    ByteWriter v = w().u32(status & 0xffffffffL);
    if (reason >= 0) {
      v.u16(reason);
    }
    return tlv4(5, index, v.toByteArray());
  }

  /** A group TLV (type 2): its index has the G bit (0x8000) set; the value lists NLRI indexes. */
  public static byte[] group4(int group, int... nlriIndexes) {
    ByteWriter v = w();
    for (int i : nlriIndexes) {
      v.u16(i);
    }
    return tlv4(2, 0x8000 | group, v.toByteArray());
  }

  /** A version 4 Peer Down: reason, its data, then TLVs (type, length, value; no index). */
  public static byte[] peerDown4(Peer peer, int reason, byte[] data, byte[]... tlvs) {
    return bmp4(PEER_DOWN, peer.bytes(), new byte[] {(byte) reason}, data, concat(tlvs));
  }

  // ---------------------------------------------------------------- BGP

  public static final int BGP_OPEN = 1;
  public static final int BGP_UPDATE = 2;
  public static final int BGP_NOTIFICATION = 3;
  public static final int BGP_KEEPALIVE = 4;

  /** A BGP message: 16-byte all-ones marker, 2-byte length, type, body. */
  public static byte[] bgp(int type, byte[]... body) {
    byte[] b = concat(body);
    ByteWriter w = w();
    for (int i = 0; i < 16; i++) {
      w.u8(0xff);
    }
    return w.u16(19 + b.length).u8(type).bytes(b).toByteArray();
  }

  /** An OPEN with each capability in its own optional parameter (as FRR and GoBGP send them). */
  public static byte[] open(int myAs, int hold, String bgpId, byte[]... capabilities) {
    ByteWriter params = w();
    for (byte[] c : capabilities) {
      params.u8(2).u8(c.length).bytes(c);
    }
    byte[] p = params.toByteArray();
    return bgp(
        BGP_OPEN,
        w().u8(4).u16(myAs).u16(hold).bytes(ip(bgpId)).u8(p.length).bytes(p).toByteArray());
  }

  /** An OPEN with all capabilities in one optional parameter. */
  public static byte[] openOneParam(int myAs, int hold, String bgpId, byte[]... capabilities) {
    byte[] caps = concat(capabilities);
    byte[] p = w().u8(2).u8(caps.length).bytes(caps).toByteArray();
    return bgp(
        BGP_OPEN,
        w().u8(4).u16(myAs).u16(hold).bytes(ip(bgpId)).u8(p.length).bytes(p).toByteArray());
  }

  /** RFC 9072 extended optional parameters: 255, 255, 2-byte length, params with 2-byte lengths. */
  public static byte[] openExtendedParams(
      int myAs, int hold, String bgpId, byte[]... capabilities) {
    byte[] caps = concat(capabilities);
    byte[] p = w().u8(2).u16(caps.length).bytes(caps).toByteArray();
    return bgp(
        BGP_OPEN,
        w().u8(4)
            .u16(myAs)
            .u16(hold)
            .bytes(ip(bgpId))
            .u8(255)
            .u8(255)
            .u16(p.length)
            .bytes(p)
            .toByteArray());
  }

  public static byte[] cap(int code, byte[] value) {
    return w().u8(code).u8(value.length).bytes(value).toByteArray();
  }

  public static byte[] capMultiprotocol(int afi, int safi) {
    return cap(1, w().u16(afi).u8(0).u8(safi).toByteArray());
  }

  public static byte[] capRouteRefresh() {
    return cap(2, new byte[0]);
  }

  public static byte[] capExtendedMessage() {
    return cap(6, new byte[0]);
  }

  public static byte[] capGracefulRestart(int restartTime, int afi, int safi) {
    return cap(64, w().u16(restartTime & 0x0fff).u16(afi).u8(safi).u8(0x80).toByteArray());
  }

  public static byte[] capFourOctetAs(long as) {
    return cap(65, w().u32(as).toByteArray());
  }

  /** ADD-PATH (RFC 7911): triples of AFI, SAFI, send/receive (1 receive, 2 send, 3 both). */
  public static byte[] capAddPath(int... afiSafiMode) {
    ByteWriter w = w();
    for (int i = 0; i + 2 < afiSafiMode.length; i += 3) {
      w.u16(afiSafiMode[i]).u8(afiSafiMode[i + 1]).u8(afiSafiMode[i + 2]);
    }
    return cap(69, w.toByteArray());
  }

  public static byte[] notification(int code, int subcode, byte[] data) {
    return bgp(BGP_NOTIFICATION, new byte[] {(byte) code, (byte) subcode}, data);
  }

  public static byte[] keepalive() {
    return bgp(BGP_KEEPALIVE);
  }

  /** An UPDATE from its three fields (RFC 4271 4.3). */
  public static byte[] update(byte[] withdrawn, byte[] attributes, byte[] nlri) {
    return bgp(
        BGP_UPDATE,
        w().u16(withdrawn.length)
            .bytes(withdrawn)
            .u16(attributes.length)
            .bytes(attributes, nlri)
            .toByteArray());
  }

  public static byte[] endOfRibIpv4() {
    return update(new byte[0], new byte[0], new byte[0]);
  }

  /** A path attribute; the extended-length flag is set when the value needs it. */
  public static byte[] attr(int flags, int code, byte[] value) {
    if (value.length > 255 || (flags & 0x10) != 0) {
      return w().u8(flags | 0x10).u8(code).u16(value.length).bytes(value).toByteArray();
    }
    return w().u8(flags).u8(code).u8(value.length).bytes(value).toByteArray();
  }

  public static byte[] origin(int value) {
    return attr(0x40, 1, new byte[] {(byte) value});
  }

  /** AS_PATH with one AS_SEQUENCE of 4-octet ASNs. */
  public static byte[] asPath4(long... asns) {
    ByteWriter w = w().u8(2).u8(asns.length);
    for (long a : asns) {
      w.u32(a);
    }
    return attr(0x40, 2, w.toByteArray());
  }

  /** AS_PATH with one AS_SEQUENCE of 2-octet ASNs (BMP A flag, legacy format). */
  public static byte[] asPath2(int... asns) {
    ByteWriter w = w().u8(2).u8(asns.length);
    for (int a : asns) {
      w.u16(a);
    }
    return attr(0x40, 2, w.toByteArray());
  }

  public static byte[] nextHop(String v4) {
    return attr(0x40, 3, ip(v4));
  }

  public static byte[] med(long v) {
    return attr(0x80, 4, w().u32(v).toByteArray());
  }

  public static byte[] localPref(long v) {
    return attr(0x40, 5, w().u32(v).toByteArray());
  }

  /** ORIGIN IGP, AS_PATH 65001 65002, NEXT_HOP 192.0.2.1: the usual mandatory attributes. */
  public static byte[] basicAttributes() {
    return concat(origin(0), asPath4(65001, 65002), nextHop("192.0.2.1"));
  }

  public static byte[] mpReach(int afi, int safi, byte[] nextHop, byte[]... nlri) {
    return attr(
        0x90,
        14,
        w().u16(afi)
            .u8(safi)
            .u8(nextHop.length)
            .bytes(nextHop)
            .u8(0)
            .bytes(concat(nlri))
            .toByteArray());
  }

  public static byte[] mpUnreach(int afi, int safi, byte[]... nlri) {
    return attr(0x90, 15, w().u16(afi).u8(safi).bytes(concat(nlri)).toByteArray());
  }

  /**
   * {@code [bits][significant bytes]} of a CIDR such as {@code 10.1.0.0/16} or {@code
   * 2001:db8::/32}.
   */
  public static byte[] prefix(String cidr) {
    String[] parts = cidr.split("/");
    byte[] addr = ip(parts[0]);
    int bits = Integer.parseInt(parts[1]);
    int bytes = (bits + 7) / 8;
    return w().u8(bits).bytes(java.util.Arrays.copyOf(addr, bytes)).toByteArray();
  }

  /** An ADD-PATH NLRI: 4-byte path identifier then the prefix. */
  public static byte[] prefix(long pathId, String cidr) {
    return concat(w().u32(pathId).toByteArray(), prefix(cidr));
  }

  public static byte[] prefixes(String... cidrs) {
    List<byte[]> l = new ArrayList<>();
    for (String c : cidrs) {
      l.add(prefix(c));
    }
    return concat(l.toArray(new byte[0][]));
  }

  /** A 3-byte label stack entry: 20-bit label, TC 0, bottom-of-stack bit. */
  public static byte[] label(int label, boolean bottom) {
    return w().u24((label << 4) | (bottom ? 1 : 0)).toByteArray();
  }

  /**
   * RFC 8277 labeled NLRI: length in bits covers labels (and RD) and prefix. {@code labelFields}
   * are whole 24-bit label fields (e.g. from {@link #label} or 0x800000 for a withdrawal).
   */
  public static byte[] labeled(String cidr, int... labelFields) {
    return labeledVpn(null, cidr, labelFields);
  }

  public static byte[] labeledVpn(byte[] rd, String cidr, int... labelFields) {
    byte[] p = prefix(cidr);
    int bits = (p[0] & 0xff) + 24 * labelFields.length + (rd == null ? 0 : 64);
    ByteWriter w = w().u8(bits);
    for (int l : labelFields) {
      w.u24(l);
    }
    if (rd != null) {
      w.bytes(rd);
    }
    return w.bytes(java.util.Arrays.copyOfRange(p, 1, p.length)).toByteArray();
  }

  /** Label field with the bottom-of-stack bit: {@code label << 4 | 1}. */
  public static int bos(int label) {
    return (label << 4) | 1;
  }

  /** Route distinguisher type 0: 2-byte AS, 4-byte assigned number. */
  public static byte[] rd0(int as, long assigned) {
    return w().u16(0).u16(as).u32(assigned).toByteArray();
  }

  /** Route distinguisher type 1: IPv4 address, 2-byte assigned number. */
  public static byte[] rd1(String v4, int assigned) {
    return w().u16(1).bytes(ip(v4)).u16(assigned).toByteArray();
  }

  /** An EVPN NLRI: route type, length, value (RFC 7432 7). */
  public static byte[] evpn(int routeType, byte[] value) {
    return w().u8(routeType).u8(value.length).bytes(value).toByteArray();
  }

  public static byte[] esi(int last) {
    byte[] e = new byte[10];
    e[9] = (byte) last;
    return e;
  }

  /** A flowspec NLRI (RFC 8955 4): 1-byte length under 240, else 2 bytes 0xfnnn. */
  public static byte[] flowspec(byte[] components) {
    if (components.length < 240) {
      return w().u8(components.length).bytes(components).toByteArray();
    }
    return w().u16(0xf000 | components.length).bytes(components).toByteArray();
  }

  /** The 16-byte BMP address field. */
  public static byte[] ip16(String address) {
    byte[] a = ip(address);
    byte[] out = new byte[16];
    System.arraycopy(a, 0, out, 16 - a.length, a.length);
    return out;
  }

  public static byte[] peerHeader(
      int peerType, int flags, long rd, String address, long as, String bgpId) {
    return w().u8(peerType)
        .u8(flags)
        .u64(rd)
        .bytes(ip16(address))
        .u32(as)
        .bytes(ip(bgpId))
        .u32(1_700_000_000L)
        .u32(0)
        .toByteArray();
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

  public static byte[] initiation(String sysName, String sysDescr) {
    return bmp(4, w().bytes(tlv(1, sysDescr)).bytes(tlv(2, sysName)).toByteArray());
  }

  public static byte[] termination(int reason) {
    return bmp(5, tlv(1, w().u16(reason).toByteArray()));
  }

  /**
   * An OPEN with 4-octet AS, multiprotocol IPv4/IPv6 unicast, and ADD-PATH per family code ({@code
   * afi << 8 | safi} to mode 1 receive, 2 send, 3 both).
   */
  public static byte[] open(long as, String bgpId, Map<Integer, Integer> addPath) {
    ByteWriter caps = w();
    caps.bytes(cap(1, w().u16(1).u8(0).u8(1).toByteArray()));
    caps.bytes(cap(1, w().u16(2).u8(0).u8(1).toByteArray()));
    caps.bytes(cap(65, w().u32(as).toByteArray()));
    caps.bytes(cap(2, new byte[0]));
    if (!addPath.isEmpty()) {
      ByteWriter ap = w();
      addPath.forEach((family, mode) -> ap.u16(family >>> 8).u8(family & 0xff).u8(mode));
      caps.bytes(cap(69, ap.toByteArray()));
    }
    byte[] c = caps.toByteArray();
    byte[] param = w().u8(2).u8(c.length).bytes(c).toByteArray();
    return bgp(
        1,
        w().u8(4)
            .u16(as > 65535 ? 23456 : (int) as)
            .u16(90)
            .bytes(ip(bgpId))
            .u8(param.length)
            .bytes(param)
            .toByteArray());
  }

  public static byte[] peerUp(
      byte[] peerHeader, byte[] sentOpen, byte[] receivedOpen, byte[]... tlvs) {
    ByteWriter w =
        w().bytes(peerHeader)
            .bytes(ip16("192.0.2.1"))
            .u16(179)
            .u16(50000)
            .bytes(sentOpen)
            .bytes(receivedOpen);
    for (byte[] t : tlvs) {
      w.bytes(t);
    }
    return bmp(3, w.toByteArray());
  }

  public static byte[] peerUp(byte[] peerHeader) {
    return peerUp(
        peerHeader, open(65001, "192.0.2.1", Map.of()), open(65002, "192.0.2.2", Map.of()));
  }

  public static byte[] peerDown(byte[] peerHeader, int reason, byte[] data) {
    return bmp(2, w().bytes(peerHeader).u8(reason).bytes(data).toByteArray());
  }

  public static byte[] routeMonitoring(byte[] peerHeader, byte[] update) {
    return bmp(0, w().bytes(peerHeader).bytes(update).toByteArray());
  }

  public static byte[] statistics(byte[] peerHeader, byte[]... tlvs) {
    ByteWriter w = w().bytes(peerHeader).u32(tlvs.length);
    for (byte[] t : tlvs) {
      w.bytes(t);
    }
    return bmp(1, w.toByteArray());
  }

  /** NLRI bytes of prefixes "a.b.c.d/n" or IPv6, each optionally preceded by a path id. */
  public static byte[] nlri(long pathId, String... prefixes) {
    ByteWriter w = w();
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
    return w.toByteArray();
  }

  public static byte[] nlri(String... prefixes) {
    return nlri(-1, prefixes);
  }

  private static final byte[] ORIGIN = {0x40, 1, 1, 0};

  /** An IPv4 UPDATE: withdrawn routes, then ORIGIN/AS_PATH/NEXT_HOP and NLRI if any. */
  public static byte[] updateV4(byte[] withdrawn, byte[] nlri) {
    byte[] attrs =
        nlri.length == 0
            ? new byte[0]
            : w().bytes(ORIGIN)
                .bytes(asPath4(65002, 64512))
                .bytes(new byte[] {0x40, 3, 4, (byte) 192, 0, 2, 2})
                .toByteArray();
    return bgp(
        2,
        w().u16(withdrawn.length)
            .bytes(withdrawn)
            .u16(attrs.length)
            .bytes(attrs)
            .bytes(nlri)
            .toByteArray());
  }

  /** An UPDATE with MP_REACH (announce) or MP_UNREACH for IPv6 unicast. */
  public static byte[] updateV6(boolean announce, byte[] nlri) {
    ByteWriter attrs = w();
    if (announce) {
      byte[] mp = w().u16(2).u8(1).u8(16).bytes(ip("2001:db8::1")).u8(0).bytes(nlri).toByteArray();
      attrs.bytes(ORIGIN).bytes(asPath4(65002)).u8(0x90).u8(14).u16(mp.length).bytes(mp);
    } else {
      byte[] mp = w().u16(2).u8(1).bytes(nlri).toByteArray();
      attrs.u8(0x90).u8(15).u16(mp.length).bytes(mp);
    }
    byte[] a = attrs.toByteArray();
    return bgp(2, w().u16(0).u16(a.length).bytes(a).toByteArray());
  }
}
