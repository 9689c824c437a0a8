package org.bmpexporter.capture;

import static org.bmpexporter.capture.Bytes.i32be;
import static org.bmpexporter.capture.Bytes.u16be;
import static org.bmpexporter.capture.Bytes.u8;

/**
 * Link layer → IPv4/IPv6 → TCP, for packets held in one byte array. TCP segments go to a {@link
 * TcpReassembler}; everything else is counted and dropped.
 */
final class PacketDecoder {
  static final int LINKTYPE_NULL = 0;
  static final int LINKTYPE_ETHERNET = 1;
  static final int LINKTYPE_RAW = 101;
  static final int LINKTYPE_LOOP = 108;
  static final int LINKTYPE_LINUX_SLL = 113;
  static final int LINKTYPE_IPV4 = 228;
  static final int LINKTYPE_IPV6 = 229;
  static final int LINKTYPE_LINUX_SLL2 = 276;

  private static final int MAX_VLAN_TAGS = 8;

  private final byte[] d;
  private final TcpReassembler tcp;

  /** Capture-level anomalies that cannot have touched a TCP stream. */
  private final Notes info;

  /** Capture-level anomalies that may have cost a TCP stream data: reported on every flow too. */
  private final Notes stream;

  long packets;
  long tcpPackets;
  long otherPackets;

  // the packet being decoded
  private long ts;
  private long packetNo;
  private int frameMissing;

  PacketDecoder(byte[] d, TcpReassembler tcp, Notes info, Notes stream) {
    this.d = d;
    this.tcp = tcp;
    this.info = info;
    this.stream = stream;
  }

  /**
   * @param off where the packet's bytes start in the array
   * @param caplen bytes present
   * @param origLen bytes the packet had on the wire (≥ caplen when the capture cut it short)
   */
  void decode(int linkType, long tsMicros, long packetNo, int off, int caplen, long origLen) {
    this.packets++;
    this.ts = tsMicros;
    this.packetNo = packetNo;
    this.frameMissing = (int) Math.min(Integer.MAX_VALUE, Math.max(0, origLen - caplen));
    int end = off + caplen;
    switch (linkType) {
      case LINKTYPE_ETHERNET -> ethernet(off, end);
      case LINKTYPE_RAW, 12, 14 -> ipByVersion(off, end);
      case LINKTYPE_IPV4 -> ipv4(off, end);
      case LINKTYPE_IPV6 -> ipv6(off, end);
      case LINKTYPE_NULL, LINKTYPE_LOOP -> loopback(off, end, linkType);
      case LINKTYPE_LINUX_SLL -> {
        if (!need(off, end, 16, "Linux cooked (SLL) header")) {
          return;
        }
        etherType(u16be(d, off + 14), off + 16, end);
      }
      case LINKTYPE_LINUX_SLL2 -> {
        if (!need(off, end, 20, "Linux cooked v2 (SLL2) header")) {
          return;
        }
        etherType(u16be(d, off), off + 20, end);
      }
      default -> {
        otherPackets++;
        stream.add("packets with unsupported link type " + linkType + " skipped");
      }
    }
  }

  private boolean need(int p, int end, int n, String what) {
    if (end - p >= n) {
      return true;
    }
    otherPackets++;
    if (frameMissing > 0) {
      stream.add("packet cut short by the capture inside the " + what + ": skipped");
    } else {
      info.add("malformed packet: " + what + " too short: skipped");
    }
    return false;
  }

  private void ethernet(int p, int end) {
    if (!need(p, end, 14, "Ethernet header")) {
      return;
    }
    int type = u16be(d, p + 12);
    p += 14;
    if (type <= 1500) { // IEEE 802.3 length: LLC, maybe SNAP
      if (end - p >= 8 && u8(d, p) == 0xaa && u8(d, p + 1) == 0xaa && u8(d, p + 2) == 0x03) {
        type = u16be(d, p + 6);
        p += 8;
      } else {
        otherPackets++;
        return;
      }
    }
    etherType(type, p, end);
  }

  private void etherType(int type, int p, int end) {
    for (int tags = 0; ; tags++) {
      switch (type) {
        case 0x0800 -> {
          ipv4(p, end);
          return;
        }
        case 0x86dd -> {
          ipv6(p, end);
          return;
        }
        case 0x8100,
            0x88a8,
            0x9100,
            0x9200 -> { // 802.1Q, 802.1ad (QinQ) and the pre-standard QinQ tags
          if (tags >= MAX_VLAN_TAGS || !need(p, end, 4, "VLAN tag")) {
            return;
          }
          type = u16be(d, p + 2);
          p += 4;
        }
        case 0x8847,
            0x8848 -> { // MPLS: pop the label stack, then guess the payload by its version nibble
          while (true) {
            if (!need(p, end, 4, "MPLS label")) {
              return;
            }
            boolean bottom = (u8(d, p + 2) & 0x01) != 0;
            p += 4;
            if (bottom) {
              break;
            }
          }
          ipByVersion(p, end);
          return;
        }
        default -> {
          otherPackets++;
          return;
        }
      }
    }
  }

  /**
   * BSD null/loopback: a 4-byte address family, host byte order for NULL (0), network order for
   * LOOP (108).
   */
  private void loopback(int p, int end, int linkType) {
    if (!need(p, end, 4, "loopback header")) {
      return;
    }
    int be = i32be(d, p);
    int le = Integer.reverseBytes(be);
    int family = linkType == LINKTYPE_LOOP ? be : ((be & 0xffff0000) == 0 ? be : le);
    switch (family) {
      case 2 -> ipv4(p + 4, end); // AF_INET everywhere
      case 10, 24, 28, 30 -> ipv6(p + 4, end); // AF_INET6: Linux, Net/OpenBSD, FreeBSD, Darwin
      default -> ipByVersion(p + 4, end);
    }
  }

  private void ipByVersion(int p, int end) {
    if (!need(p, end, 1, "IP header")) {
      return;
    }
    switch (u8(d, p) >>> 4) {
      case 4 -> ipv4(p, end);
      case 6 -> ipv6(p, end);
      default -> otherPackets++;
    }
  }

  private void ipv4(int p, int end) {
    if (!need(p, end, 20, "IPv4 header")) {
      return;
    }
    int vihl = u8(d, p);
    int ihl = (vihl & 0x0f) * 4;
    if (vihl >>> 4 != 4 || ihl < 20) {
      otherPackets++;
      info.add(
          "malformed IPv4 header (version/IHL byte 0x" + Integer.toHexString(vihl) + "): skipped");
      return;
    }
    if (!need(p, end, ihl, "IPv4 header options")) {
      return;
    }
    int total = u16be(d, p + 2);
    int ipEnd;
    int missing = 0;
    if (total == 0) {
      ipEnd =
          end; // TCP segmentation offload: the capture saw the packet before the NIC set the length
    } else if (total < ihl) {
      otherPackets++;
      info.add("malformed IPv4 total length " + total + " < header length " + ihl + ": skipped");
      return;
    } else if (end - p >= total) {
      ipEnd = p + total; // anything after it is link-layer padding or FCS
    } else {
      ipEnd = end;
      missing = total - (end - p);
    }
    int proto = u8(d, p + 9);
    int frag = u16be(d, p + 6);
    boolean moreFragments = (frag & 0x2000) != 0;
    int fragOffset = frag & 0x1fff;
    if (moreFragments || fragOffset != 0) {
      fragment("IPv4", proto, fragOffset, p + 12, p + 16, 4, p + ihl, ipEnd);
      return;
    }
    if (proto != 6) {
      otherPackets++;
      return;
    }
    tcp(p + 12, p + 16, 4, p + ihl, ipEnd, missing);
  }

  private void ipv6(int p, int end) {
    if (!need(p, end, 40, "IPv6 header")) {
      return;
    }
    if (u8(d, p) >>> 4 != 6) {
      otherPackets++;
      info.add("malformed IPv6 header (version " + (u8(d, p) >>> 4) + "): skipped");
      return;
    }
    int plen = u16be(d, p + 4);
    int ipEnd;
    int missing = 0;
    if (plen == 0) {
      ipEnd = end; // jumbogram or segmentation offload
    } else if (end - p - 40 >= plen) {
      ipEnd = p + 40 + plen;
    } else {
      ipEnd = end;
      missing = plen - (end - p - 40);
    }
    int nh = u8(d, p + 6);
    int q = p + 40;
    int src = p + 8;
    int dst = p + 24;
    for (int hops = 0; hops < 16; hops++) {
      switch (nh) {
        case 6 -> {
          tcp(src, dst, 16, q, ipEnd, missing);
          return;
        }
        case 0, 43, 60 -> { // hop-by-hop, routing, destination options: (len + 1) * 8 bytes
          if (!need(q, ipEnd, 8, "IPv6 extension header")) {
            return;
          }
          nh = u8(d, q);
          q += (u8(d, q + 1) + 1) * 8;
        }
        case 51 -> { // authentication header: (len + 2) * 4 bytes
          if (!need(q, ipEnd, 8, "IPv6 authentication header")) {
            return;
          }
          nh = u8(d, q);
          q += (u8(d, q + 1) + 2) * 4;
        }
        case 44 -> {
          if (!need(q, ipEnd, 8, "IPv6 fragment header")) {
            return;
          }
          int next = u8(d, q);
          int fo = u16be(d, q + 2);
          int fragOffset = fo >>> 3;
          boolean more = (fo & 1) != 0;
          if (fragOffset == 0 && !more) { // atomic fragment (RFC 6946): a whole packet
            nh = next;
            q += 8;
          } else {
            fragment("IPv6", next, fragOffset, src, dst, 16, q + 8, ipEnd);
            return;
          }
        }
        default -> { // UDP (IPFIX), ICMPv6, no next header (59), ...
          otherPackets++;
          return;
        }
      }
    }
    otherPackets++;
    info.add("IPv6 extension header chain too long: skipped");
  }

  /** Fragments are not reassembled: a warning, on the TCP flow when the first fragment names it. */
  private void fragment(
      String ip, int proto, int fragOffset, int src, int dst, int alen, int payload, int ipEnd) {
    otherPackets++;
    if (proto != 6) {
      info.add(ip + " fragments (protocol " + proto + ") skipped");
      return;
    }
    String msg = ip + " fragment of a TCP segment skipped (fragments are not reassembled)";
    stream.add(msg);
    if (fragOffset == 0 && ipEnd - payload >= 4) {
      int sport = u16be(d, payload);
      int dport = u16be(d, payload + 2);
      tcp.flowWarning(
          FlowKey.of(d, src, dst, alen, sport, dport),
          d,
          src,
          dst,
          alen,
          ts,
          msg + " at packet " + packetNo + ": its data is missing from this flow");
    }
  }

  private void tcp(int src, int dst, int alen, int q, int ipEnd, int ipMissing) {
    if (ipEnd - q < 20) {
      otherPackets++;
      stream.add("TCP header cut short by the capture: packet skipped");
      return;
    }
    int dataOffset = (u8(d, q + 12) >>> 4) * 4;
    if (dataOffset < 20) {
      otherPackets++;
      info.add("malformed TCP header (data offset " + dataOffset + "): skipped");
      return;
    }
    if (ipEnd - q < dataOffset) {
      otherPackets++;
      stream.add("TCP options cut short by the capture: packet skipped");
      return;
    }
    tcpPackets++;
    int sport = u16be(d, q);
    int dport = u16be(d, q + 2);
    int seq = i32be(d, q + 4);
    int flags = u8(d, q + 13);
    int payloadOff = q + dataOffset;
    int payloadLen = ipEnd - payloadOff;
    int missing = ipMissing > 0 ? ipMissing : 0;
    tcp.segment(
        FlowKey.of(d, src, dst, alen, sport, dport),
        d,
        src,
        dst,
        alen,
        ts,
        packetNo,
        seq,
        flags,
        payloadOff,
        payloadLen,
        missing);
  }
}
