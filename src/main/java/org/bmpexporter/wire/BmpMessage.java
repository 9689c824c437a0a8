package org.bmpexporter.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.bmpexporter.bgp.BgpOpen;
import org.bmpexporter.bgp.Notification;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.Text;

/** A decoded BMP message (RFC 7854, 8671, 9069). Immutable. */
public sealed interface BmpMessage {

  MessageType type();

  /** An information TLV (Initiation, Termination, Peer Up); unknown types are kept raw. */
  record InfoTlv(int type, byte[] value) {
    public InfoTlv {
      value = value.length == 0 ? value : value.clone(); // an empty array cannot change
    }

    @Override
    public byte[] value() {
      return value.length == 0 ? value : value.clone();
    }

    /**
     * The value as UTF-8 text safe for labels and logs ({@link Text#printable}: line breaks as
     * spaces, other control, format and separator characters escaped), cut to a bounded length.
     */
    public String text() {
      return Text.printable(new String(value, StandardCharsets.UTF_8), BmpLimits.MAX_INFO_STRING);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InfoTlv t && t.type == type && Arrays.equals(t.value, value);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "InfoTlv[" + type + "=" + text() + "]";
    }
  }

  /**
   * Route Monitoring: the per-peer header and the BGP UPDATE it carries (decoded separately). A
   * final class rather than a record so that the decoder can hand over the one copy it makes of the
   * UPDATE (a record's constructor would copy it again: once more per route when routers send one
   * prefix per UPDATE).
   */
  final class RouteMonitoring implements BmpMessage {
    private final PerPeerHeader peer;
    private final byte[] update;

    /** Keeps a copy of {@code update}. */
    public RouteMonitoring(PerPeerHeader peer, byte[] update) {
      this(peer, update.clone(), null);
    }

    private RouteMonitoring(PerPeerHeader peer, byte[] owned, Void unused) {
      this.peer = peer;
      this.update = owned;
    }

    /** The UPDATE copied once out of {@code b}: the decoder's constructor. */
    static RouteMonitoring copyOf(PerPeerHeader peer, byte[] b, int off, int len) {
      return new RouteMonitoring(peer, Arrays.copyOfRange(b, off, off + len), null);
    }

    public PerPeerHeader peer() {
      return peer;
    }

    /** The BGP UPDATE message including its 19-byte header. Not copied: do not modify. */
    public byte[] updateBytes() {
      return update;
    }

    /** A copy of the BGP UPDATE message including its 19-byte header. */
    public byte[] update() {
      return update.clone();
    }

    @Override
    public MessageType type() {
      return MessageType.ROUTE_MONITORING;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RouteMonitoring r
          && r.peer.equals(peer)
          && Arrays.equals(r.update, update);
    }

    @Override
    public int hashCode() {
      return 31 * peer.hashCode() + Arrays.hashCode(update);
    }

    @Override
    public String toString() {
      return "RouteMonitoring[" + peer + ", " + update.length + " bytes]";
    }
  }

  /**
   * One statistics counter or gauge. {@code family} is an {@link org.bmpexporter.bgp.AfiSafi} code
   * for the per-AFI/SAFI types, else {@link org.bmpexporter.bgp.AfiSafi#ALL}.
   */
  record StatEntry(int statType, int family, long value, boolean gauge) {}

  record StatisticsReport(PerPeerHeader peer, List<StatEntry> stats) implements BmpMessage {
    public StatisticsReport {
      stats = List.copyOf(stats);
    }

    @Override
    public MessageType type() {
      return MessageType.STATISTICS_REPORT;
    }
  }

  /**
   * Peer Down. {@code notification} is present for reasons 1 and 3; {@code fsmEvent} for reason 2
   * (else -1); {@code data} holds any other payload.
   */
  record PeerDown(PerPeerHeader peer, int reason, Notification notification, int fsmEvent)
      implements BmpMessage {
    @Override
    public MessageType type() {
      return MessageType.PEER_DOWN;
    }

    public String reasonLabel() {
      return PeerDownReason.CODES.label(reason);
    }

    /** The {@code notification} label, empty when the Peer Down carries none. */
    public String notificationLabel() {
      return notification == null ? "" : notification.label();
    }
  }

  record PeerUp(
      PerPeerHeader peer,
      String localAddress,
      int localPort,
      int remotePort,
      BgpOpen sentOpen,
      BgpOpen receivedOpen,
      List<InfoTlv> information)
      implements BmpMessage {
    public PeerUp {
      information = List.copyOf(information);
    }

    @Override
    public MessageType type() {
      return MessageType.PEER_UP;
    }

    /** The VRF/table name TLV (RFC 9069 type 3), empty if absent. */
    public String tableName() {
      return first(information, TlvType.VRF_TABLE_NAME);
    }
  }

  record Initiation(List<InfoTlv> information) implements BmpMessage {
    public Initiation {
      information = List.copyOf(information);
    }

    @Override
    public MessageType type() {
      return MessageType.INITIATION;
    }

    public String sysName() {
      return first(information, TlvType.SYS_NAME);
    }

    public String sysDescr() {
      return first(information, TlvType.SYS_DESCR);
    }
  }

  /** Termination; {@code reason} is the reason TLV's code or -1 when absent. */
  record Termination(List<InfoTlv> information, int reason) implements BmpMessage {
    public Termination {
      information = List.copyOf(information);
    }

    @Override
    public MessageType type() {
      return MessageType.TERMINATION;
    }

    public String reasonLabel() {
      return TerminationReason.CODES.label(reason);
    }
  }

  /** Route Mirroring: counts of each TLV kind (RFC 7854 4.7). */
  record RouteMirroring(PerPeerHeader peer, int bgpMessages, int erroredPdus, int messagesLost)
      implements BmpMessage {
    @Override
    public MessageType type() {
      return MessageType.ROUTE_MIRRORING;
    }
  }

  /**
   * Huawei's route policy and attribute trace (BMP message type 100,
   * draft-xu-grow-bmp-route-policy-attr-trace): which policies a route went through. Not an RFC
   * 7854 type, so its {@link #type()} is {@link MessageType#UNKNOWN} (counted so in {@code
   * bmp_router_messages_total}); {@code code()} is 100.
   *
   * @param prefix the route's prefix as text ({@code 203.0.113.10/32})
   */
  record RoutePolicyTrace(
      boolean ipv6, long distinguisher, String prefix, long routeOrigin, List<TraceEvent> events)
      implements BmpMessage {
    public static final int CODE = 100;

    public RoutePolicyTrace {
      events = List.copyOf(events);
    }

    public int code() {
      return CODE;
    }

    @Override
    public MessageType type() {
      return MessageType.UNKNOWN;
    }
  }

  /**
   * One event of a {@link RoutePolicyTrace}: when and in which family a route met policies.
   *
   * @param family the event's AFI/SAFI ({@link org.bmpexporter.bgp.AfiSafi} code)
   * @param policyClass the class of the event's first Policy TLV, -1 without one
   * @param table the VRF/table name TLV's name, empty without one
   * @param policies the names of the policies of its Policy TLVs, in order (the first 8 of each)
   * @param preAttributes bytes of path attributes before the policies (TLV 2), -1 without the TLV
   * @param postAttributes bytes of path attributes after them (TLV 3), -1 without the TLV
   * @param text the string TLV's text (cut for logs), empty without one
   */
  record TraceEvent(
      int index,
      long seconds,
      long micros,
      long pathId,
      int family,
      int policyClass,
      String table,
      List<String> policies,
      int preAttributes,
      int postAttributes,
      String text) {
    public TraceEvent {
      policies = List.copyOf(policies);
    }

    public PolicyClass policyClassCode() {
      return PolicyClass.of(policyClass);
    }
  }

  /** A message of a type this decoder does not know, skipped. */
  record UnknownMessage(int code, int length) implements BmpMessage {
    @Override
    public MessageType type() {
      return MessageType.UNKNOWN;
    }
  }

  private static String first(List<InfoTlv> tlvs, TlvType type) {
    for (InfoTlv t : tlvs) {
      if (t.type() == type.code()) {
        return t.text();
      }
    }
    return "";
  }
}
