package org.bmpexporter.wire.encode;

import java.nio.charset.StandardCharsets;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.wire.MessageType;
import org.bmpexporter.wire.PeerDownReason;

/**
 * BMP version 3 message encoder (RFC 7854, RFC 8671 L/O flags, RFC 9069 Loc-RIB peers): common
 * header, per-peer header, Initiation, Termination, Peer Up, Peer Down, Route Monitoring and
 * Statistics Report.
 */
public final class BmpEncoder {
  private BmpEncoder() {}

  /**
   * The identity fields of a per-peer header.
   *
   * @param address 16 octets; an IPv4 address sits in the last four (RFC 7854 4.2)
   */
  public record PeerHeader(
      int peerType, int flags, long distinguisher, byte[] address, long peerAs, long peerBgpId) {

    public static PeerHeader ipv4(int peerType, int addr, long peerAs, long bgpId) {
      byte[] a = new byte[16];
      a[12] = (byte) (addr >>> 24);
      a[13] = (byte) (addr >>> 16);
      a[14] = (byte) (addr >>> 8);
      a[15] = (byte) addr;
      return new PeerHeader(peerType, 0, 0, a, peerAs, bgpId);
    }

    public PeerHeader withFlags(int f) {
      return new PeerHeader(peerType, f, distinguisher, address, peerAs, peerBgpId);
    }
  }

  /** Starts a message: writes the common header with a placeholder length. */
  public static int begin(ByteWriter b, int type) {
    int at = b.mark();
    b.u8(BmpLimits.VERSION).u32(0).u8(type);
    return at;
  }

  /** Completes the message started at {@code at} (patches its length). */
  public static void end(ByteWriter b, int at) {
    b.patchU32(at + 1, b.size() - at);
  }

  public static void perPeer(
      ByteWriter b, PeerHeader h, int extraFlags, long tsSeconds, long tsMicros) {
    b.u8(h.peerType()).u8(h.flags() | extraFlags).u64(h.distinguisher()).bytes(h.address());
    b.u32(h.peerAs()).u32(h.peerBgpId()).u32(tsSeconds).u32(tsMicros);
  }

  private static void tlv(ByteWriter b, int type, byte[] value) {
    b.u16(type).u16(value.length).bytes(value);
  }

  /** Initiation with sysDescr (type 1) and sysName (type 2) TLVs. */
  public static void initiation(ByteWriter b, String sysName, String sysDescr) {
    int at = begin(b, MessageType.INITIATION.code());
    tlv(b, 1, sysDescr.getBytes(StandardCharsets.UTF_8));
    tlv(b, 2, sysName.getBytes(StandardCharsets.UTF_8));
    end(b, at);
  }

  /** Termination with a reason TLV (type 1; 0 = administratively closed). */
  public static void termination(ByteWriter b, int reason) {
    int at = begin(b, MessageType.TERMINATION.code());
    b.u16(1).u16(2).u16(reason);
    end(b, at);
  }

  /**
   * Peer Up: local address (16 octets), local and remote port, the OPEN the monitored router sent
   * and the one it received, then information TLVs ({@code tableName} non-null adds the RFC 9069
   * VRF/Table Name TLV, type 3).
   */
  public static void peerUp(
      ByteWriter b,
      PeerHeader h,
      long tsSeconds,
      byte[] localAddress16,
      int localPort,
      int remotePort,
      byte[] sentOpen,
      byte[] receivedOpen,
      String tableName) {
    int at = begin(b, MessageType.PEER_UP.code());
    perPeer(b, h, 0, tsSeconds, 0);
    b.bytes(localAddress16).u16(localPort).u16(remotePort).bytes(sentOpen).bytes(receivedOpen);
    if (tableName != null) {
      tlv(b, 3, tableName.getBytes(StandardCharsets.UTF_8));
    }
    end(b, at);
  }

  /** Peer Down with a reason and, for reasons 1 and 3, the BGP NOTIFICATION PDU. */
  public static void peerDown(
      ByteWriter b, PeerHeader h, long tsSeconds, int reason, byte[] notification) {
    int at = begin(b, MessageType.PEER_DOWN.code());
    perPeer(b, h, 0, tsSeconds, 0);
    b.u8(reason);
    if (notification != null) {
      b.bytes(notification);
    } else if (reason == PeerDownReason.LOCAL_NO_NOTIFICATION.code()) {
      b.u16(0); // FSM event code: none
    }
    end(b, at);
  }

  /** Starts a Route Monitoring message (common + per-peer header); the caller writes an UPDATE. */
  public static int beginRouteMonitoring(
      ByteWriter b, PeerHeader h, int extraFlags, long tsSeconds) {
    int at = begin(b, MessageType.ROUTE_MONITORING.code());
    perPeer(b, h, extraFlags, tsSeconds, 0);
    return at;
  }

  /** One Statistics Report TLV value: a 4-octet counter, an 8-octet gauge or a per-AFI gauge. */
  public record Stat(int type, int afi, int safi, long value, int size) {
    public static Stat counter32(int type, long v) {
      return new Stat(type, 0, 0, v, 4);
    }

    public static Stat gauge64(int type, long v) {
      return new Stat(type, 0, 0, v, 8);
    }

    /** AFI (2) + SAFI (1) + u64, as types 9, 10, 16, 17 (RFC 7854, RFC 8671). */
    public static Stat perAfi(int type, int afi, int safi, long v) {
      return new Stat(type, afi, safi, v, 11);
    }
  }

  public static void statisticsReport(ByteWriter b, PeerHeader h, long tsSeconds, Stat... stats) {
    int at = begin(b, MessageType.STATISTICS_REPORT.code());
    perPeer(b, h, 0, tsSeconds, 0);
    b.u32(stats.length);
    for (Stat s : stats) {
      b.u16(s.type()).u16(s.size());
      switch (s.size()) {
        case 4 -> b.u32(s.value());
        case 8 -> b.u64(s.value());
        default -> b.u16(s.afi()).u8(s.safi()).u64(s.value());
      }
    }
    end(b, at);
  }
}
