package org.bmpexporter.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.testing.Bmp.Peer;
import org.bmpexporter.wire.BmpDecoder;
import org.bmpexporter.wire.BmpMessage;
import org.bmpexporter.wire.Deliveries;
import org.junit.jupiter.api.Test;

/**
 * BMP version 4 (draft-ietf-grow-bmp-tlv) streams through a session, each delivered whole, byte by
 * byte and split at every offset: the state, errors and quirks must be the same every time.
 */
class Version4Test {

  static final Peer P = peer().address("192.0.2.2").as(65002); // global, Adj-RIB-In pre-policy

  /** UPDATE: ORIGIN, AS_PATH, NEXT_HOP; NLRI 10.0.0.0/24 (index 1) and 10.0.1.0/24 (index 2). */
  static final byte[] TWO =
      update(new byte[0], basicAttributes(), prefixes("10.0.0.0/24", "10.0.1.0/24"));

  /** UPDATE announcing 10.9.0.0/24 only: the "session is still alive" probe. */
  static final byte[] PROBE = update(new byte[0], basicAttributes(), prefixes("10.9.0.0/24"));

  /** A good version 4 Route Monitoring of PROBE: 00 04 | len | 00 00 | UPDATE. */
  static final byte[] PROBE_RM = routeMonitoring4(P, bgpPdu4(PROBE));

  /** An enterprise TLV: type 0x8001 (E bit), length 6, index 0, PEN 32473, 2 bytes of its own. */
  static final byte[] ENTERPRISE = tlv4(0x8001, 0, w().u32(32473).u16(0xbeef).toByteArray());

  @Test
  void routeMonitoringWithEveryTlvKind() {
    byte[] rm =
        routeMonitoring4(
            P,
            // 00 01 | 00 06 | 00 00 | 41 04 00 00 fd ea: stateless parsing, 4-octet AS capability
            tlv4(1, 0, cap(65, w().u32(65002).toByteArray())),
            // 00 02 | 00 04 | 80 01 | 00 01 00 02: group 1 = NLRI 1 and 2
            group4(1, 1, 2),
            // 00 03 | 00 05 | 00 00 | "vrf-a": VRF/table name
            tlv4(3, 0, "vrf-a".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            // 00 04 | len | 00 00 | ff*16 ...: the BGP PDU
            bgpPdu4(TWO),
            // 00 05 | 00 04 | 80 01 | 00 00 00 0a: group 1 is best (0x2) and primary (0x8)
            pathMarking4(0x8001, 0x0a, -1),
            // 00 05 | 00 06 | 00 02 | 00 00 40 04 | 00 03: NLRI 2 non-selected (0x4) and an
            // unassigned bit (0x4000), reason 3 (not preferred for local preference)
            pathMarking4(2, 0x4004, 3),
            // 80 01 | 00 06 | 00 00 | 00 00 7e d9 be ef: enterprise TLV, skipped
            ENTERPRISE);
    String s = everySplit(rm);
    assertThat(s)
        .isEqualTo(
            "errors={} quirks={v4_enterprise_tlv=1}"
                + " 192.0.2.2 up adj_rib_in_pre/ipv4_unicast routes=2"
                + " status={best=2, non_selected=1, primary=2, unknown=1}");
  }

  @Test
  void theBgpPduIsFoundByItsMarkerInAnEarlierDraftsNumbering() {
    // ADD-PATH NLRI: path id 7 before each prefix
    byte[] addPath =
        update(
            new byte[0],
            basicAttributes(),
            concat(prefix(7, "10.0.0.0/24"), prefix(7, "10.0.1.0/24")));
    byte[] rm =
        routeMonitoring4(
            P,
            // 00 04 | 00 06 | 00 00 | 45 04 00 01 01 01: type 4 without a marker is the other
            // numbering's stateless parsing: ADD-PATH IPv4 unicast, receive (1)
            tlv4(4, 0, cap(69, w().u16(1).u8(1).u8(1).toByteArray())),
            // 00 01 | len | 00 00 | ff*16 ...: the BGP PDU as type 1
            tlv4(1, 0, addPath),
            // 00 05 | 00 04 | 00 00 | 00 00 08 00: index 0, the whole message: stale (0x800)
            pathMarking4(0, 0x800, -1));
    assertThat(everySplit(rm))
        .isEqualTo(
            "errors={} quirks={v4_tlv_numbering=1}"
                + " 192.0.2.2 up adj_rib_in_pre/ipv4_unicast routes=2 status={stale=2}");
  }

  @Test
  void statusBitsAndReasonsEachCount() {
    List<byte[]> tlvs = new ArrayList<>();
    tlvs.add(bgpPdu4(TWO));
    // one marking of NLRI 1 per assigned bit 0x1 .. 0x1000, with the reasons 0 .. 12
    for (int bit = 0; bit < 13; bit++) {
      tlvs.add(pathMarking4(1, 1 << bit, bit)); // 00 05 | 00 06 | 00 01 | bit | reason
    }
    tlvs.add(pathMarking4(1, 0, -1)); // status 0: unknown
    String s = everySplit(routeMonitoring4(P, tlvs.toArray(new byte[0][])));
    assertThat(s)
        .isEqualTo(
            "errors={} quirks={} 192.0.2.2 up adj_rib_in_pre/ipv4_unicast routes=2 status={"
                + "add_path=1, backup=1, best=1, best_external=1, filtered_in=1, filtered_out=1,"
                + " invalid=1, invalid_rov=1, non_installed=1, non_selected=1, primary=1,"
                + " stale=1, suppressed=1, unknown=1}");
  }

  @Test
  void peerDownWithTlvs() {
    byte[] up = bmp4(PEER_UP, peerUpBody());
    byte[] stream =
        concat(
            up,
            routeMonitoring4(P, bgpPdu4(TWO)),
            // reason 2 | FSM event 00 05 | 00 03 00 05 "vrf-a" | enterprise 80 01 00 06 PEN ...
            peerDown4(
                P,
                2,
                w().u16(5).toByteArray(),
                tlv(3, "vrf-a"),
                tlv(0x8001, w().u32(32473).u16(1).toByteArray())));
    assertThat(everySplit(stream))
        .isEqualTo(
            "errors={} quirks={v4_enterprise_tlv=1} 192.0.2.2 down"
                + " adj_rib_in_pre/ipv4_unicast routes=0 status={}");
    // reason 6: its data are TLVs themselves (00 03 00 05 "vrf-a")
    byte[] six = concat(up, peerDown4(P, 6, new byte[0], tlv(3, "vrf-a")));
    assertThat(everySplit(six)).isEqualTo("errors={} quirks={} 192.0.2.2 down");
  }

  @Test
  void malformedRouteMonitoringIsAnErrorAndTheSessionGoesOn() {
    Map<String, byte[]> bad = new TreeMap<>();
    // 00 03 | 00 64 | 00 00 | 00 00 61 62: the VRF TLV claims 100 bytes, 4 follow
    bad.put(
        "overrun",
        routeMonitoring4(
            P, bgpPdu4(TWO), w().u16(3).u16(100).u16(0).bytes(ip("0.0.97.98")).toByteArray()));
    // only a VRF TLV: no BGP PDU
    bad.put("no pdu", routeMonitoring4(P, tlv4(3, 0, new byte[] {'v'})));
    // two BGP PDU TLVs
    bad.put("two pdus", routeMonitoring4(P, bgpPdu4(TWO), bgpPdu4(TWO)));
    // 80 01 | 00 03 | 00 00 | 00 00 00: E bit set, but 3 bytes cannot hold the enterprise number
    bad.put("short enterprise", routeMonitoring4(P, bgpPdu4(TWO), tlv4(0x8001, 0, new byte[3])));
    // 00 03 | 00 00 | 00: a TLV header cut short after 5 bytes
    bad.put("cut header", routeMonitoring4(P, bgpPdu4(TWO), new byte[] {0, 3, 0, 0, 0}));
    // 00 04 | 00 14 | 00 00 | a 19-byte BGP header declaring 19 bytes, and one more byte
    bad.put("pdu length", routeMonitoring4(P, tlv4(4, 0, concat(keepaliveish(), new byte[1]))));
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      String s = everySplit(concat(e.getValue(), PROBE_RM));
      assertThat(s)
          .as(e.getKey())
          .isEqualTo(
              "errors={bad_tlv=1} quirks={} 192.0.2.2 up adj_rib_in_pre/ipv4_unicast routes=1"
                  + " status={}");
    }
  }

  @Test
  void aBadMarkingOrGroupIsSkippedAloneAndTheRoutesAreKept() {
    byte[] rm =
        routeMonitoring4(
            P,
            bgpPdu4(TWO),
            // 00 05 | 00 05 | 00 01 | 5 bytes: path marking neither 4 nor 6 bytes
            tlv4(5, 1, new byte[5]),
            // 00 02 | 00 03 | 80 02 | 3 bytes: group of an odd length
            tlv4(2, 0x8002, new byte[3]),
            // 00 05 | 00 04 | 80 09 | 00 00 00 02: best, of group 9 the message lacks
            pathMarking4(0x8009, 2, -1),
            // 00 63 | 00 00 | 00 00: an unknown standard TLV type 99
            tlv4(99, 0, new byte[0]));
    assertThat(everySplit(rm))
        .isEqualTo(
            "errors={bad_tlv=3, unknown_tlv=1} quirks={}"
                + " 192.0.2.2 up adj_rib_in_pre/ipv4_unicast routes=2 status={}");
  }

  @Test
  void aPeerDownTlvOverrunIsAnErrorButThePeerGoesDown() {
    byte[] stream =
        concat(
            routeMonitoring4(P, bgpPdu4(TWO)),
            // reason 4 (no data) | 00 03 00 09 "ab": the TLV claims 9 bytes, 2 follow
            peerDown4(P, 4, new byte[0], w().u16(3).u16(9).u8('a').u8('b').toByteArray()));
    assertThat(everySplit(stream))
        .isEqualTo(
            "errors={bad_tlv=1} quirks={} 192.0.2.2 down"
                + " adj_rib_in_pre/ipv4_unicast routes=0 status={}");
  }

  @Test
  void theDecoderTakesTheUpdateOutOfItsTlv() {
    byte[] rm = routeMonitoring4(P, tlv4(3, 0, new byte[] {'v'}), bgpPdu4(TWO), ENTERPRISE);
    byte[] update =
        Deliveries.decodeInEverySplit(
            rm,
            (b, off, len) ->
                ((BmpMessage.RouteMonitoring)
                        BmpDecoder.decode(b, off, len, org.bmpexporter.codec.ErrorListener.IGNORE))
                    .update());
    assertThat(update).isEqualTo(TWO);
    // without a BGP PDU TLV there is no message, and the error says so
    List<String> errors = new ArrayList<>();
    byte[] none = routeMonitoring4(P, tlv4(3, 0, new byte[] {'v'}));
    assertThat(BmpDecoder.decode(none, 0, none.length, (e, d) -> errors.add(e.label() + ": " + d)))
        .isNull();
    assertThat(errors)
        .containsExactly("bad_tlv: version 4 Route Monitoring with 0 BGP PDU TLVs (one expected)");
  }

  @Test
  void aRealVersion4CaptureWithPathMarkings() throws Exception {
    // NetGauze's capture: a Peer Down (reason 6, its VRF TLV), a Loc-RIB Peer Up, two Route
    // Monitoring messages whose path marking (index 1: the first NLRI) is best | primary |
    // add_path (0x8a), an End-of-RIB
    java.nio.file.Path pcap =
        java.nio.file.Path.of(
            "src/test/resources/corpus/NetGauze/assets/pcaps/bmp/path-status/"
                + "ipv4_unicast_path_marking.pcap");
    List<org.bmpexporter.capture.TcpFlow> flows =
        org.bmpexporter.capture.CaptureReader.readFlows(pcap);
    byte[] stream = flows.get(0).payload();
    RouterState router = new RouterState("r1", "192.0.2.100", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 1000.0);
    session.quiet();
    session.open();
    session.feed(stream, 0, stream.length);
    Snapshots.Router r = router.snapshot();
    assertThat(r.decodeErrors()).isEmpty();
    assertThat(r.quirks()).isEmpty();
    Snapshots.Table t = r.peers().get(0).tables().get(0);
    assertThat(t.rib() + "/" + t.afiSafi()).isEqualTo("loc_rib/ipv4_unicast");
    assertThat(t.announcements()).isEqualTo(3);
    assertThat(t.pathStatus()).isEqualTo(Map.of("best", 2L, "primary", 2L, "add_path", 2L));
    assertThat(r.peers().get(0).up()).isTrue();
    assertThat(r.peers().get(0).downs()).hasSize(1);
  }

  /** A BGP header of 19 bytes, type UPDATE, declaring 19 bytes (too short to be an UPDATE). */
  static byte[] keepaliveish() {
    return w().bytes(hex("ffffffffffffffffffffffffffffffff")).u16(19).u8(2).toByteArray();
  }

  static byte[] peerUpBody() {
    byte[] open = open(65001, 90, "192.0.2.1", capMultiprotocol(1, 1));
    return concat(
        P.bytes(),
        w().zeros(12).bytes(ip("192.0.2.1")).u16(179).u16(1000).toByteArray(),
        open,
        open(65002, 90, "192.0.2.2", capMultiprotocol(1, 1)));
  }

  /**
   * Feeds {@code stream} to a fresh session whole, byte by byte and in two parts at every offset;
   * asserts every delivery leaves the same state and returns it as text.
   */
  static String everySplit(byte[] stream) {
    String whole = deliver(stream, new int[0]);
    int[] all = new int[stream.length - 1];
    for (int i = 0; i < all.length; i++) {
      all[i] = i + 1;
    }
    assertThat(deliver(stream, all)).as("byte by byte").isEqualTo(whole);
    for (int k = 1; k < stream.length; k++) {
      assertThat(deliver(stream, new int[] {k})).as("split at %d", k).isEqualTo(whole);
    }
    return whole;
  }

  static String deliver(byte[] stream, int[] cuts) {
    RouterState router = new RouterState("r1", "192.0.2.100", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 1000.0);
    session.quiet();
    session.open();
    int from = 0;
    for (int cut : cuts) {
      session.feed(stream, from, cut - from);
      from = cut;
    }
    session.feed(stream, from, stream.length - from);
    Snapshots.Router r = router.snapshot();
    StringBuilder s =
        new StringBuilder()
            .append("errors=")
            .append(new TreeMap<>(r.decodeErrors()))
            .append(" quirks=")
            .append(new TreeMap<>(r.quirks()));
    for (Snapshots.Peer p : r.peers()) {
      s.append(' ').append(p.peer()).append(p.up() ? " up" : " down");
      for (Snapshots.Table t : p.tables()) {
        s.append(' ')
            .append(t.rib())
            .append('/')
            .append(t.afiSafi())
            .append(" routes=")
            .append(t.routes())
            .append(" status=")
            .append(new TreeMap<>(t.pathStatus()));
      }
    }
    return s.toString();
  }
}
