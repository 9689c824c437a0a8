package org.bmpexporter.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.bgp.BgpMessages;
import org.bmpexporter.bgp.BgpOpen;
import org.bmpexporter.bgp.Notification;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.ErrorListener;
import org.bmpexporter.codec.Quirk;
import org.bmpexporter.wire.BmpMessage.InfoTlv;
import org.bmpexporter.wire.BmpMessage.Initiation;
import org.bmpexporter.wire.BmpMessage.PeerDown;
import org.bmpexporter.wire.BmpMessage.PeerUp;
import org.bmpexporter.wire.BmpMessage.RouteMirroring;
import org.bmpexporter.wire.BmpMessage.RouteMonitoring;
import org.bmpexporter.wire.BmpMessage.StatEntry;
import org.bmpexporter.wire.BmpMessage.StatisticsReport;
import org.bmpexporter.wire.BmpMessage.Termination;
import org.bmpexporter.wire.BmpMessage.UnknownMessage;

/**
 * Decodes one whole BMP message (as framed by {@link BmpFramer}) into an immutable {@link
 * BmpMessage}. Stateless and pure. A message that cannot be decoded is reported to the {@link
 * ErrorListener} and yields {@code null}; a part that cannot be decoded (one TLV, trailing bytes)
 * is reported and skipped while the rest of the message is kept. Never throws for bad input.
 */
public final class BmpDecoder {

  private static final int PEER_UP_FIXED = 20; // local address, local port, remote port

  private BmpDecoder() {}

  public static BmpMessage decode(byte[] b, int off, int len, ErrorListener errors) {
    try {
      return decodeOrThrow(b, off, len, errors);
    } catch (BmpProtocolException e) {
      errors.error(e.error(), e.getMessage());
      return null;
    }
  }

  private static BmpMessage decodeOrThrow(byte[] b, int off, int len, ErrorListener errors) {
    if (len < BmpLimits.COMMON_HEADER_LENGTH || Bytes.u32(b, off + 1) != len) {
      throw new BmpProtocolException(DecodeError.BAD_LENGTH, "frame length mismatch");
    }
    boolean v4 = Bytes.u8(b, off) == BmpLimits.VERSION_4;
    int typeCode = Bytes.u8(b, off + 5);
    MessageType type = MessageType.of(typeCode);
    int body = off + BmpLimits.COMMON_HEADER_LENGTH;
    int end = off + len;
    switch (type) {
      case INITIATION:
        return new Initiation(infoTlvs(b, body, end, TlvType.MAX_INITIATION, errors));
      case TERMINATION:
        return termination(b, body, end, errors);
      case UNKNOWN:
        if (typeCode == BmpMessage.RoutePolicyTrace.CODE) {
          return RoutePolicyTraceDecoder.decode(b, body, end, errors);
        }
        errors.error(DecodeError.UNKNOWN_MESSAGE_TYPE, "BMP message type " + typeCode + " skipped");
        return new UnknownMessage(typeCode, len);
      default:
        break;
    }
    PerPeerHeader peer = peerHeader(b, body, end);
    int p = body + BmpLimits.PER_PEER_HEADER_LENGTH;
    // version 1 and 2 messages come in the version 3 layout (LegacyFramer): only these differ
    boolean legacy = LegacyFramer.isLegacy(b[off]);
    switch (type) {
      case ROUTE_MONITORING:
        if (v4) {
          V4RouteMonitoring tlvs = new V4RouteMonitoring();
          return tlvs.parse(b, p, end, errors)
              ? RouteMonitoring.copyOf(peer, b, tlvs.pduOffset(), tlvs.pduLength())
              : null;
        }
        return routeMonitoring(peer, b, p, end, errors);
      case STATISTICS_REPORT:
        return statistics(peer, b, p, end, errors);
      case PEER_DOWN:
        return peerDown(peer, b, p, end, v4, legacy, errors);
      case PEER_UP:
        return legacy ? legacyPeerUp(peer, p, end, errors) : peerUp(peer, b, p, end, errors);
      case ROUTE_MIRRORING:
        return mirroring(peer, b, p, end, errors);
      default:
        throw new IllegalStateException(type.toString());
    }
  }

  private static PerPeerHeader peerHeader(byte[] b, int p, int end) {
    if (end - p < BmpLimits.PER_PEER_HEADER_LENGTH) { // keep in step with routeMonitoringUpdate
      throw new BmpProtocolException(
          DecodeError.TRUNCATED_MESSAGE, "message too short for the per-peer header");
    }
    return PerPeerHeader.decode(b, p);
  }

  private static RouteMonitoring routeMonitoring(
      PerPeerHeader peer, byte[] b, int p, int end, ErrorListener errors) {
    int length = updateLength(b, p, end, errors);
    return RouteMonitoring.copyOf(peer, b, p, length);
  }

  /** Checks the BGP message at {@code b[p..end)} is an UPDATE; returns its length. */
  private static int updateLength(byte[] b, int p, int end, ErrorListener errors) {
    int length = BgpMessages.messageLength(b, p, end - p);
    if (BgpMessages.messageType(b, p) != BgpMessages.TYPE_UPDATE) {
      throw new BmpProtocolException(
          DecodeError.BAD_BGP_MESSAGE,
          "Route Monitoring carries BGP message type " + BgpMessages.messageType(b, p));
    }
    if (p + length < end) {
      trailingTlvs(b, p + length, end, errors);
    }
    return length;
  }

  /**
   * Bytes after the UPDATE of a version 3 Route Monitoring: when they are exactly a sequence of
   * TLVs (2-byte type, 2-byte length, value) they are a known quirk (Huawei VRP 8.230 appends one
   * of type 0xEA62), counted once per message and type class, and skipped; anything else is
   * trailing garbage.
   */
  private static void trailingTlvs(byte[] b, int p, int end, ErrorListener errors) {
    int q = p;
    while (q < end) {
      if (end - q < 4 || end - q - 4 < Bytes.u16(b, q + 2)) {
        errors.error(DecodeError.TRAILING_BYTES, (end - p) + " bytes after the BGP UPDATE skipped");
        return;
      }
      q += 4 + Bytes.u16(b, q + 2);
    }
    // One quirk per type class and message, its text built once: a run of zero bytes parses as
    // many empty TLVs, and a detail string per TLV would cost memory per byte received.
    int enterprise = 0;
    int standard = 0;
    int firstEnterprise = -1;
    int firstStandard = -1;
    for (q = p; q < end; q += 4 + Bytes.u16(b, q + 2)) {
      if ((Bytes.u16(b, q) & ENTERPRISE_BIT) != 0) {
        firstEnterprise = enterprise++ == 0 ? q : firstEnterprise;
      } else {
        firstStandard = standard++ == 0 ? q : firstStandard;
      }
    }
    // in the order the classes first appear
    boolean standardFirst = standard > 0 && (enterprise == 0 || firstStandard < firstEnterprise);
    if (standardFirst) {
      errors.quirk(Quirk.TRAILING_TLV_STANDARD, trailingDetail(b, firstStandard, standard));
    }
    if (enterprise > 0) {
      errors.quirk(Quirk.TRAILING_TLV_ENTERPRISE, trailingDetail(b, firstEnterprise, enterprise));
    }
    if (standard > 0 && !standardFirst) {
      errors.quirk(Quirk.TRAILING_TLV_STANDARD, trailingDetail(b, firstStandard, standard));
    }
  }

  private static String trailingDetail(byte[] b, int first, int count) {
    return String.format(
        "%d TLV(s) after the BGP UPDATE skipped (type 0x%04X, %d bytes%s)",
        count, Bytes.u16(b, first), Bytes.u16(b, first + 2), count > 1 ? ", and more" : "");
  }

  /** The high bit of a TLV type marks an enterprise-specific type (draft-ietf-grow-bmp-tlv). */
  private static final int ENTERPRISE_BIT = 0x8000;

  /**
   * The allocation-free form of {@link #decode} for a Route Monitoring message, the bulk of every
   * stream: the same checks and error reports, but instead of a message object it returns the
   * offset in {@code b} of the BGP UPDATE (its per-peer header is at {@code off + 6}), or -1 if the
   * message is bad (reported to {@code errors}).
   */
  public static int routeMonitoringUpdate(byte[] b, int off, int len, ErrorListener errors) {
    try {
      if (len < BmpLimits.COMMON_HEADER_LENGTH || Bytes.u32(b, off + 1) != len) {
        throw new BmpProtocolException(DecodeError.BAD_LENGTH, "frame length mismatch");
      }
      if (MessageType.of(Bytes.u8(b, off + 5)) != MessageType.ROUTE_MONITORING) {
        throw new IllegalArgumentException("not a Route Monitoring message");
      }
      int body = off + BmpLimits.COMMON_HEADER_LENGTH;
      int end = off + len;
      if (end - body < BmpLimits.PER_PEER_HEADER_LENGTH) {
        throw new BmpProtocolException(
            DecodeError.TRUNCATED_MESSAGE, "message too short for the per-peer header");
      }
      int p = body + BmpLimits.PER_PEER_HEADER_LENGTH;
      updateLength(b, p, end, errors);
      return p;
    } catch (BmpProtocolException e) {
      errors.error(e.error(), e.getMessage());
      return -1;
    }
  }

  private static StatisticsReport statistics(
      PerPeerHeader peer, byte[] b, int p, int end, ErrorListener errors) {
    if (end - p < 4) {
      throw new BmpProtocolException(DecodeError.TRUNCATED_MESSAGE, "statistics count missing");
    }
    long count = Bytes.u32(b, p);
    p += 4;
    List<StatEntry> stats = new ArrayList<>();
    long i = 0;
    boolean detailed = false; // one detailed error text per message: TLVs can be many
    for (; i < count && p < end; i++) {
      if (end - p < 4) {
        errors.error(DecodeError.BAD_TLV, "truncated statistics TLV header");
        return new StatisticsReport(peer, stats); // one error for one malformation
      }
      int statType = Bytes.u16(b, p);
      int statLen = Bytes.u16(b, p + 2);
      p += 4;
      if (end - p < statLen) {
        errors.error(DecodeError.BAD_TLV, "statistics TLV " + statType + " overruns the message");
        return new StatisticsReport(peer, stats);
      }
      DecodeError problem = statProblem(statType, statLen);
      if (problem == null) {
        stats.add(statEntry(statType, b, p, statLen));
      } else {
        errors.error(
            problem,
            detailed
                ? SKIPPED_STAT
                : "statistics type " + statType + " with length " + statLen + " skipped");
        detailed = true;
      }
      p += statLen;
    }
    if (i < count) {
      errors.error(
          DecodeError.TRUNCATED_MESSAGE,
          "statistics count " + count + " but the message ends after " + i + " TLVs");
    } else if (p < end) {
      errors.error(DecodeError.TRAILING_BYTES, (end - p) + " bytes after the statistics TLVs");
    }
    return new StatisticsReport(peer, stats);
  }

  private static final String SKIPPED_STAT = "another statistics TLV skipped";
  private static final String UNKNOWN_TLV_KEPT = "another information TLV of unknown type kept";
  private static final String UNKNOWN_MIRRORING_TLV = "another Route Mirroring TLV skipped";
  private static final byte[] EMPTY = new byte[0];

  /** Why a statistics TLV is skipped, or null to keep it. */
  private static DecodeError statProblem(int statType, int len) {
    StatType known = StatType.CODES.find(statType);
    if (known == null) {
      // unknown types are kept as 4-byte counters or 8-byte gauges (FRR sends 65531)
      return len == StatType.COUNTER_LENGTH || len == StatType.GAUGE_LENGTH
          ? null
          : DecodeError.UNKNOWN_STAT_LENGTH;
    }
    if (known.length() == StatType.BY_LENGTH) {
      return len == StatType.COUNTER_LENGTH
              || len == StatType.GAUGE_LENGTH
              || len == StatType.AFI_SAFI_GAUGE_LENGTH
          ? null
          : DecodeError.BAD_STAT_LENGTH;
    }
    return len == known.length() ? null : DecodeError.BAD_STAT_LENGTH;
  }

  private static StatEntry statEntry(int statType, byte[] b, int p, int len) {
    switch (len) {
      case StatType.COUNTER_LENGTH:
        return new StatEntry(statType, AfiSafi.ALL, Bytes.u32(b, p), false);
      case StatType.GAUGE_LENGTH:
        return new StatEntry(statType, AfiSafi.ALL, Bytes.s64(b, p), true);
      default:
        return new StatEntry(
            statType, AfiSafi.of(Bytes.u16(b, p), Bytes.u8(b, p + 2)), Bytes.s64(b, p + 3), true);
    }
  }

  /**
   * Peer Down. The reason alone says the peer is down, so a malformed NOTIFICATION or a missing FSM
   * event code is reported and the Peer Down kept without it; bytes after the data a reason defines
   * are reported as trailing. Reason 6 (RFC 9069) carries information TLVs, and unknown reasons
   * unknown data: neither is interpreted. In version 4, TLVs follow the reason's data (reason 6's
   * data are TLVs themselves).
   */
  private static PeerDown peerDown(
      PerPeerHeader peer,
      byte[] b,
      int p,
      int end,
      boolean v4,
      boolean legacy,
      ErrorListener errors) {
    if (end - p < 1) {
      throw new BmpProtocolException(DecodeError.TRUNCATED_MESSAGE, "Peer Down reason missing");
    }
    int reason = Bytes.u8(b, p);
    p++;
    Notification notification = null;
    int fsmEvent = -1;
    PeerDownReason known = PeerDownReason.CODES.find(reason);
    if (known == PeerDownReason.LOCAL_NOTIFICATION || known == PeerDownReason.REMOTE_NOTIFICATION) {
      try {
        notification = BgpMessages.decodeNotification(b, p, end - p);
        p += BgpMessages.messageLength(b, p, end - p);
      } catch (BmpProtocolException e) {
        errors.error(e.error(), "Peer Down kept without its NOTIFICATION: " + e.getMessage());
        p = end;
      }
    } else if (known == PeerDownReason.LOCAL_NO_NOTIFICATION && !legacy) {
      if (end - p < 2) {
        errors.error(DecodeError.TRUNCATED_MESSAGE, "Peer Down kept without its FSM event code");
        p = end;
      } else {
        fsmEvent = Bytes.u16(b, p);
        p += 2;
      }
    } else if (v4 && known == PeerDownReason.LOCAL_SYSTEM_CLOSED) {
      p = v4Tlvs(b, p, end, errors); // the reason's TLVs and any others, alike
    } else if (known != PeerDownReason.REMOTE_NO_NOTIFICATION
        && known != PeerDownReason.PEER_DECONFIGURED
        && !legacy) { // versions 1 and 2: only reasons 1 and 3 carry data
      p = end; // reason 6 carries TLVs, an unknown reason unknown data: neither is interpreted
    }
    if (v4 && p < end) {
      p = v4Tlvs(b, p, end, errors);
    }
    if (p < end) {
      errors.error(DecodeError.TRAILING_BYTES, (end - p) + " bytes after the Peer Down data");
    }
    return new PeerDown(peer, reason, notification, fsmEvent);
  }

  /**
   * Version 4 TLVs after Peer Down data (type, length, value; no index): the VRF/table name is
   * known, an enterprise TLV is a quirk, another type an unknown TLV. Returns where they end:
   * {@code end}, also after an overrun, which is reported.
   */
  private static int v4Tlvs(byte[] b, int p, int end, ErrorListener errors) {
    int enterprise = 0;
    boolean unknownReported = false;
    while (p < end) {
      if (end - p < 4 || end - p - 4 < Bytes.u16(b, p + 2)) {
        errors.error(DecodeError.BAD_TLV, "version 4 Peer Down TLV overruns the message");
        return end;
      }
      int type = Bytes.u16(b, p);
      int len = Bytes.u16(b, p + 2);
      if ((type & V4TlvType.ENTERPRISE_BIT) != 0) {
        if (len < 4) {
          errors.error(
              DecodeError.BAD_TLV,
              "enterprise TLV of " + len + " bytes has no room for its enterprise number");
          return end;
        }
        enterprise++;
      } else if (type != TlvType.VRF_TABLE_NAME.code() && !unknownReported) {
        errors.error(DecodeError.UNKNOWN_TLV, "version 4 Peer Down TLV type " + type + " skipped");
        unknownReported = true;
      }
      p += 4 + len;
    }
    if (enterprise > 0) {
      errors.quirk(
          Quirk.V4_ENTERPRISE_TLV, enterprise + " enterprise TLV(s) after Peer Down data skipped");
    }
    return end;
  }

  private static PeerUp peerUp(PerPeerHeader peer, byte[] b, int p, int end, ErrorListener errors) {
    if (end - p < PEER_UP_FIXED + 2 * BmpLimits.BGP_HEADER_LENGTH) {
      throw new BmpProtocolException(DecodeError.TRUNCATED_MESSAGE, "Peer Up too short");
    }
    if (peer.blank()) {
      errors.quirk(
          Quirk.ALL_ZERO_PEER_HEADER,
          "Peer Up with an all-zero per-peer header (no address, AS or BGP ID) ignored");
      return null;
    }
    String local = Addresses.address16(b, p, peer.ipv6());
    int localPort = Bytes.u16(b, p + 16);
    int remotePort = Bytes.u16(b, p + 18);
    p += PEER_UP_FIXED;
    BgpOpen sent = BgpMessages.decodeOpen(b, p, end - p);
    p += BgpMessages.messageLength(b, p, end - p);
    BgpOpen received = BgpMessages.decodeOpen(b, p, end - p);
    p += BgpMessages.messageLength(b, p, end - p);
    List<InfoTlv> tlvs = infoTlvs(b, p, end, TlvType.ADMIN_LABEL.code(), errors);
    return new PeerUp(peer, local, localPort, remotePort, sent, received, tlvs);
  }

  /**
   * A version 2 Peer Up: the per-peer header alone (the local address, ports and OPENs came with
   * version 3), so nothing is known of the session's capabilities.
   */
  private static PeerUp legacyPeerUp(PerPeerHeader peer, int p, int end, ErrorListener errors) {
    if (p < end) {
      errors.error(DecodeError.TRAILING_BYTES, (end - p) + " bytes after a version 2 Peer Up");
    }
    return new PeerUp(peer, "", 0, 0, null, null, List.of());
  }

  private static Termination termination(byte[] b, int p, int end, ErrorListener errors) {
    List<InfoTlv> tlvs = infoTlvs(b, p, end, TlvType.TERMINATION_REASON, errors);
    int reason = -1;
    for (InfoTlv t : tlvs) {
      if (t.type() == TlvType.TERMINATION_REASON) {
        byte[] v = t.value();
        if (v.length == 2) {
          reason = Bytes.u16(v, 0);
        }
      }
    }
    return new Termination(tlvs, reason);
  }

  private static RouteMirroring mirroring(
      PerPeerHeader peer, byte[] b, int p, int end, ErrorListener errors) {
    int messages = 0;
    int errored = 0;
    int lost = 0;
    boolean detailed = false;
    while (p < end) {
      if (end - p < 4 || end - p - 4 < Bytes.u16(b, p + 2)) {
        errors.error(DecodeError.BAD_TLV, "Route Mirroring TLV overruns the message");
        break;
      }
      int type = Bytes.u16(b, p);
      int len = Bytes.u16(b, p + 2);
      if (type == TlvType.MIRRORING_BGP_MESSAGE) {
        messages++;
      } else if (type == TlvType.MIRRORING_INFORMATION && len == 2) {
        int code = Bytes.u16(b, p + 4);
        if (code == TlvType.MIRRORING_ERRORED_PDU) {
          errored++;
        } else if (code == TlvType.MIRRORING_MESSAGES_LOST) {
          lost++;
        }
      } else {
        errors.error(
            DecodeError.UNKNOWN_TLV,
            detailed ? UNKNOWN_MIRRORING_TLV : "Route Mirroring TLV type " + type + " skipped");
        detailed = true;
      }
      p += 4 + len;
    }
    return new RouteMirroring(peer, messages, errored, lost);
  }

  /**
   * Information TLVs (2-byte type, 2-byte length). Types above {@code maxKnownType} are kept but
   * counted as unknown. A TLV that overruns the message ends the list with an error.
   */
  private static List<InfoTlv> infoTlvs(
      byte[] b, int p, int end, int maxKnownType, ErrorListener errors) {
    List<InfoTlv> tlvs = new ArrayList<>();
    boolean detailed = false;
    while (p < end) {
      if (end - p < 4 || end - p - 4 < Bytes.u16(b, p + 2)) {
        errors.error(DecodeError.BAD_TLV, "information TLV overruns the message");
        break;
      }
      int type = Bytes.u16(b, p);
      int len = Bytes.u16(b, p + 2);
      if (type > maxKnownType) {
        errors.error(
            DecodeError.UNKNOWN_TLV,
            detailed ? UNKNOWN_TLV_KEPT : "information TLV type " + type + " kept raw");
        detailed = true;
      }
      tlvs.add(new InfoTlv(type, len == 0 ? EMPTY : Arrays.copyOfRange(b, p + 4, p + 4 + len)));
      p += 4 + len;
    }
    return tlvs;
  }
}
