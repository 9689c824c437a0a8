package org.bmpexporter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.bmpexporter.bgp.BgpOpen;
import org.bmpexporter.bgp.Direction;
import org.bmpexporter.bgp.Notification;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One golden test per BMP message type and per malformation. Every message is built from the RFC
 * layout by {@link Bmp} and decoded through {@link BmpFramer} in every split and coalesced with
 * other messages ({@link Deliveries}); all deliveries must decode alike.
 */
class BmpDecoderTest {

  record Decoded(
      BmpMessage message, List<DecodeError> errors, List<Quirk> quirks, List<String> details) {}

  static Decoded decode(byte[] message) {
    return Deliveries.decodeInEverySplit(
        message,
        (b, off, len) -> {
          RecordingErrors e = new RecordingErrors();
          BmpMessage m = BmpDecoder.decode(b, off, len, e);
          return new Decoded(m, e.errors, e.quirks, e.details);
        });
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ Initiation

  @Test
  void initiationWithSysNameSysDescrAndString() {
    Decoded d = decode(initiation(tlv(0, "hello"), tlv(1, "FRRouting 8.4.4"), tlv(2, "lab-frr")));
    assertThat(d.errors).isEmpty();
    Initiation init = (Initiation) d.message;
    assertThat(init.type()).isEqualTo(MessageType.INITIATION);
    assertThat(init.sysName()).isEqualTo("lab-frr");
    assertThat(init.sysDescr()).isEqualTo("FRRouting 8.4.4");
    assertThat(init.information())
        .containsExactly(
            new InfoTlv(0, utf8("hello")),
            new InfoTlv(1, utf8("FRRouting 8.4.4")),
            new InfoTlv(2, utf8("lab-frr")));
  }

  @Test
  void initiationKeepsAndCountsAnUnknownTlv() {
    Decoded d = decode(initiation(tlv(2, "r1"), tlv(65000, new byte[] {1, 2, 3}), tlv(1, "d")));
    assertThat(d.errors).containsExactly(DecodeError.UNKNOWN_TLV);
    Initiation init = (Initiation) d.message;
    assertThat(init.information())
        .containsExactly(
            new InfoTlv(2, utf8("r1")),
            new InfoTlv(65000, new byte[] {1, 2, 3}),
            new InfoTlv(1, utf8("d")));
    assertThat(init.sysName()).isEqualTo("r1");
  }

  @Test
  void initiationTextHasNoControlCharactersAndIsBounded() {
    String longName = "x".repeat(400);
    Decoded d = decode(initiation(tlv(1, "line1\nline2\u0000"), tlv(2, longName)));
    Initiation init = (Initiation) d.message;
    assertThat(init.sysDescr()).isEqualTo("line1 line2");
    assertThat(init.sysName()).hasSize(256);
    assertThat(d.errors).isEmpty();
  }

  @Test
  void initiationWithATlvOverrunningTheMessageKeepsTheTlvsBeforeIt() {
    byte[] overrun = w().u16(2).u16(50).text("short").toByteArray();
    Decoded d = decode(initiation(tlv(1, "d"), overrun));
    assertThat(d.errors).containsExactly(DecodeError.BAD_TLV);
    assertThat(((Initiation) d.message).information()).containsExactly(new InfoTlv(1, utf8("d")));
  }

  // ------------------------------------------------------------------ Termination

  @ParameterizedTest
  @CsvSource({
    "0, administratively_closed",
    "1, unspecified",
    "2, out_of_resources",
    "3, redundant_connection",
    "4, permanently_administratively_closed"
  })
  void terminationWithEachReason(int reason, String label) {
    Decoded d = decode(termination(tlv(0, "bye"), terminationReason(reason)));
    assertThat(d.errors).isEmpty();
    Termination t = (Termination) d.message;
    assertThat(t.reason()).isEqualTo(reason);
    assertThat(t.reasonLabel()).isEqualTo(label);
    assertThat(t.information()).hasSize(2);
    assertThat(t.information().get(0).text()).isEqualTo("bye");
  }

  @Test
  void terminationWithoutOrWithAnUnknownReason() {
    Termination none = (Termination) decode(termination(tlv(0, "bye"))).message;
    assertThat(none.reason()).isEqualTo(-1);
    assertThat(none.reasonLabel()).isEqualTo("unspecified");
    Decoded unknown = decode(termination(terminationReason(77), tlv(9, "?")));
    assertThat(((Termination) unknown.message).reason()).isEqualTo(77);
    assertThat(((Termination) unknown.message).reasonLabel()).isEqualTo("unspecified");
    assertThat(unknown.errors).containsExactly(DecodeError.UNKNOWN_TLV);
  }

  // ------------------------------------------------------------------ Peer Up

  static final byte[] SENT_OPEN =
      open(
          23456,
          180,
          "192.0.2.1",
          capMultiprotocol(1, 1),
          capMultiprotocol(2, 1),
          capRouteRefresh(),
          capFourOctetAs(4_200_000_001L),
          capAddPath(1, 1, 1, 2, 1, 3),
          capExtendedMessage(),
          capGracefulRestart(120, 1, 1),
          cap(73, utf8("\u0002r1\u0000")) /* FQDN, unknown to the decoder */);
  static final byte[] RECEIVED_OPEN =
      openOneParam(
          65002,
          90,
          "192.0.2.2",
          capMultiprotocol(1, 1),
          capFourOctetAs(65002),
          capAddPath(1, 1, 2),
          cap(128, new byte[0]));

  @Test
  void peerUpWithCapabilitiesAndInformationTlvs() {
    Peer peer = peer().address("192.0.2.2").as(65002).bgpId("192.0.2.2");
    Decoded d =
        decode(
            peerUp(
                peer,
                "192.0.2.1",
                179,
                40000,
                SENT_OPEN,
                RECEIVED_OPEN,
                tlv(0, "free text"),
                tlv(3, "vrf-red"),
                tlv(65000, new byte[] {9})));
    assertThat(d.errors).containsExactly(DecodeError.UNKNOWN_TLV);
    PeerUp up = (PeerUp) d.message;
    assertThat(up.localAddress()).isEqualTo("192.0.2.1");
    assertThat(up.localPort()).isEqualTo(179);
    assertThat(up.remotePort()).isEqualTo(40000);
    assertThat(up.peer().addressText()).isEqualTo("192.0.2.2");
    assertThat(up.tableName()).isEqualTo("vrf-red");
    assertThat(up.information())
        .containsExactly(
            new InfoTlv(0, utf8("free text")),
            new InfoTlv(3, utf8("vrf-red")),
            new InfoTlv(65000, new byte[] {9}));

    BgpOpen sent = up.sentOpen();
    assertThat(sent)
        .isEqualTo(
            new BgpOpen(
                4,
                23456,
                180,
                0xc0000201L,
                4_200_000_001L,
                List.of(0x0101, 0x0201),
                Map.of(0x0101, 1, 0x0201, 3),
                true,
                true,
                true,
                List.of(73)));
    assertThat(sent.asNumber()).isEqualTo(4_200_000_001L);
    assertThat(sent.fourOctetAs()).isTrue();
    assertThat(sent.canReceiveAddPath(0x0101)).isTrue();
    assertThat(sent.canSendAddPath(0x0101)).isFalse();
    assertThat(sent.canSendAddPath(0x0201)).isTrue();
    assertThat(sent.canReceiveAddPath(0x0201)).isTrue();

    BgpOpen received = up.receivedOpen();
    assertThat(received)
        .isEqualTo(
            new BgpOpen(
                4,
                65002,
                90,
                0xc0000202L,
                65002,
                List.of(0x0101),
                Map.of(0x0101, 2),
                false,
                true,
                false,
                List.of()));
  }

  @Test
  void peerUpOfAnIpv6PeerAndALocRibInstance() {
    byte[] o = open(65001, 180, "192.0.2.1", capMultiprotocol(2, 1));
    Decoded v6 = decode(peerUp(peer().address("2001:db8::2"), "2001:db8::1", 179, 5000, o, o));
    PeerUp up = (PeerUp) v6.message;
    assertThat(up.localAddress()).isEqualTo("2001:db8::1");
    assertThat(up.peer().addressText()).isEqualTo("2001:db8::2");
    assertThat(up.peer().ipv6()).isTrue();
    assertThat(up.tableName()).isEmpty();

    // RFC 9069: Loc-RIB peer type 3, zero address, table name TLV 3
    Peer locRib = peer().type(3).address("0.0.0.0").as(65001);
    Decoded loc = decode(peerUp(locRib, "0.0.0.0", 0, 0, o, o, tlv(3, "global")));
    assertThat(loc.errors).isEmpty();
    PeerUp l = (PeerUp) loc.message;
    assertThat(l.tableName()).isEqualTo("global");
    assertThat(l.peer().rib()).isEqualTo(Rib.LOC_RIB);
  }

  @Test
  void peerUpWithAnAllZeroPerPeerHeaderIsIgnoredAndCounted() {
    byte[] o = open(65001, 180, "192.0.2.1");
    Peer blank = peer().address("0.0.0.0").as(0).bgpId("0.0.0.0");
    Decoded d = decode(peerUp(blank, "0.0.0.0", 0, 0, o, o, tlv(3, "vrf")));
    // FRR 8.0.1 sends this Peer Up (table name only): a known quirk, not a decode error
    assertThat(d.message).isNull();
    assertThat(d.errors).isEmpty();
    assertThat(d.quirks).containsExactly(Quirk.ALL_ZERO_PEER_HEADER);
  }

  @Test
  void peerUpWhoseOpenIsNotAnOpenIsRefused() {
    byte[] o = open(65001, 180, "192.0.2.1");
    // a KEEPALIVE long enough to pass the Peer Up minimum, where the received OPEN should be
    Decoded d = decode(peerUp(peer(), "192.0.2.1", 179, 1, o, keepalive(), new byte[10]));
    assertThat(d.message).isNull();
    assertThat(d.errors).containsExactly(DecodeError.BAD_OPEN);
    // an OPEN whose optional parameters length is one too long
    byte[] bad = o.clone();
    bad[28]++;
    Decoded d2 = decode(peerUp(peer(), "192.0.2.1", 179, 1, bad, o));
    assertThat(d2.message).isNull();
    assertThat(d2.errors).containsExactly(DecodeError.BAD_OPEN);
  }

  // ------------------------------------------------------------------ Peer Down

  @ParameterizedTest
  @CsvSource({
    "1, local_notification",
    "2, local_no_notification",
    "3, remote_notification",
    "4, remote_no_notification",
    "5, peer_deconfigured",
    "6, local_system_closed"
  })
  void peerDownReasonLabels(int reason, String label) {
    byte[] data =
        switch (reason) {
          case 1, 3 -> notification(6, 3, new byte[0]);
          case 2 -> w().u16(0).toByteArray();
          case 6 -> tlv(3, "vrf-blue"); // RFC 9069: TLV data follows
          default -> new byte[0];
        };
    Decoded d = decode(peerDown(peer(), reason, data));
    assertThat(d.errors).isEmpty();
    PeerDown down = (PeerDown) d.message;
    assertThat(down.reason()).isEqualTo(reason);
    assertThat(down.reasonLabel()).isEqualTo(label);
    if (reason == 1 || reason == 3) {
      assertThat(down.notificationLabel()).isEqualTo("cease/peer_de_configured");
    } else {
      assertThat(down.notification()).isNull();
      assertThat(down.notificationLabel()).isEmpty();
    }
  }

  @Test
  void peerDownWithCeaseMaxPrefixCarriesTheRfc4486Data() {
    byte[] data = w().u16(2).u8(1).u32(1000).toByteArray(); // IPv6 unicast, limit 1000
    Decoded d = decode(peerDown(peer(), 1, notification(6, 1, data)));
    PeerDown down = (PeerDown) d.message;
    Notification n = down.notification();
    assertThat(n.code()).isEqualTo(6);
    assertThat(n.subcode()).isEqualTo(1);
    assertThat(n.label()).isEqualTo("cease/maximum_number_of_prefixes_reached");
    assertThat(n.maxPrefixData()).containsExactly(2, 1, 1000);
    assertThat(n.shutdownCommunication()).isNull();
    assertThat(n.describe())
        .isEqualTo("cease/maximum_number_of_prefixes_reached (ipv6_unicast limit 1000)");
    assertThat(d.errors).isEmpty();
  }

  @Test
  void peerDownWithCeaseShutdownCarriesTheRfc9003Text() {
    byte[] text = utf8("maintenance \u2603 until 10:00");
    byte[] data = concat(new byte[] {(byte) text.length}, text);
    Decoded d = decode(peerDown(peer(), 3, notification(6, 2, data)));
    Notification n = ((PeerDown) d.message).notification();
    assertThat(n.label()).isEqualTo("cease/administrative_shutdown");
    assertThat(n.shutdownCommunication()).isEqualTo("maintenance \u2603 until 10:00");
    assertThat(n.maxPrefixData()).isNull();
    assertThat(d.errors).isEmpty();
  }

  @Test
  void peerDownReason2CarriesTheFsmEvent() {
    Decoded d = decode(peerDown(peer(), 2, w().u16(24).toByteArray()));
    PeerDown down = (PeerDown) d.message;
    assertThat(down.fsmEvent()).isEqualTo(24);
    assertThat(down.notification()).isNull();
  }

  @Test
  void peerDownWithAnUnknownReasonHasABoundedLabel() {
    PeerDown down = (PeerDown) decode(peerDown(peer(), 200, new byte[0])).message;
    assertThat(down.reason()).isEqualTo(200);
    assertThat(down.reasonLabel()).isEqualTo("unknown");
  }

  @Test
  void peerDownWithAMalformedNotificationIsKeptWithoutIt() {
    // the peer is down whatever its NOTIFICATION looks like: the reason is enough to act on
    byte[] cut = notification(6, 2, new byte[0]);
    Decoded d = decode(peerDown(peer(), 3, java.util.Arrays.copyOf(cut, 20)));
    assertThat(d.errors).containsExactly(DecodeError.BAD_BGP_MESSAGE);
    PeerDown down = (PeerDown) d.message;
    assertThat(down.reason()).isEqualTo(3);
    assertThat(down.notification()).isNull();
    assertThat(down.notificationLabel()).isEmpty();
    // a KEEPALIVE where the NOTIFICATION should be
    Decoded k = decode(peerDown(peer(), 1, keepalive()));
    assertThat(k.errors).containsExactly(DecodeError.BAD_BGP_MESSAGE);
    assertThat(((PeerDown) k.message).reason()).isEqualTo(1);
    // reason 2 without its FSM event code
    Decoded f = decode(peerDown(peer(), 2, new byte[] {0}));
    assertThat(f.errors).containsExactly(DecodeError.TRUNCATED_MESSAGE);
    assertThat(((PeerDown) f.message).fsmEvent()).isEqualTo(-1);
  }

  @Test
  void peerDownCountsBytesAfterItsData() {
    Decoded n =
        decode(peerDown(peer(), 3, concat(notification(6, 3, new byte[0]), new byte[] {0})));
    assertThat(n.errors).containsExactly(DecodeError.TRAILING_BYTES);
    assertThat(((PeerDown) n.message).notificationLabel()).isEqualTo("cease/peer_de_configured");
    Decoded f = decode(peerDown(peer(), 2, w().u16(1).u8(0).toByteArray()));
    assertThat(f.errors).containsExactly(DecodeError.TRAILING_BYTES);
    assertThat(((PeerDown) f.message).fsmEvent()).isEqualTo(1);
    Decoded r = decode(peerDown(peer(), 4, new byte[] {1, 2}));
    assertThat(r.errors).containsExactly(DecodeError.TRAILING_BYTES);
    assertThat(((PeerDown) r.message).reason()).isEqualTo(4);
  }

  // ------------------------------------------------------------------ Statistics

  @Test
  void statisticsOfEveryKnownType() {
    long big = 1_000_000_000_000L; // needs 64 bits
    byte[] msg =
        statistics(
            peer(),
            stat32(0, 100),
            stat32(1, 101),
            stat32(2, 102),
            stat32(3, 103),
            stat32(4, 104),
            stat32(5, 105),
            stat32(6, 106),
            stat64(7, big + 7),
            stat64(8, big + 8),
            statAfi(9, 1, 1, big + 9),
            statAfi(10, 2, 1, big + 10),
            stat32(11, 111),
            stat32(12, 112),
            stat32(13, 0xfffffffeL),
            stat64(14, big + 14),
            stat64(15, big + 15),
            statAfi(16, 1, 128, big + 16),
            statAfi(17, 25, 70, big + 17));
    Decoded d = decode(msg);
    assertThat(d.errors).isEmpty();
    StatisticsReport s = (StatisticsReport) d.message;
    int all = -1;
    assertThat(s.stats())
        .containsExactly(
            new StatEntry(0, all, 100, false), new StatEntry(1, all, 101, false),
            new StatEntry(2, all, 102, false), new StatEntry(3, all, 103, false),
            new StatEntry(4, all, 104, false), new StatEntry(5, all, 105, false),
            new StatEntry(6, all, 106, false), new StatEntry(7, all, big + 7, true),
            new StatEntry(8, all, big + 8, true), new StatEntry(9, 0x0101, big + 9, true),
            new StatEntry(10, 0x0201, big + 10, true), new StatEntry(11, all, 111, false),
            new StatEntry(12, all, 112, false), new StatEntry(13, all, 0xfffffffeL, false),
            new StatEntry(14, all, big + 14, true), new StatEntry(15, all, big + 15, true),
            new StatEntry(16, 0x0180, big + 16, true), new StatEntry(17, 0x1946, big + 17, true));
  }

  @Test
  void statisticsKeepUnknownCountersAndGaugesAndSkipOtherLengths() {
    byte[] msg =
        statistics(
            peer(),
            stat32(65531, 7), // FRR's vendor counter
            stat64(30000, 1L << 40),
            tlv(40000, new byte[] {1, 2}),
            stat32(2, 5));
    Decoded d = decode(msg);
    assertThat(d.errors).containsExactly(DecodeError.UNKNOWN_STAT_LENGTH);
    assertThat(((StatisticsReport) d.message).stats())
        .containsExactly(
            new StatEntry(65531, -1, 7, false),
            new StatEntry(30000, -1, 1L << 40, true),
            new StatEntry(2, -1, 5, false));
  }

  @Test
  void statisticsOfAKnownTypeWithTheWrongLengthLoseOnlyThatTlv() {
    byte[] msg =
        statistics(
            peer(),
            stat32(0, 1),
            stat32(7, 2) /* should be 8 bytes */,
            stat64(1, 3) /* should be 4 */,
            tlv(9, new byte[8]) /* should be 11 */,
            stat32(3, 4));
    Decoded d = decode(msg);
    assertThat(d.errors)
        .containsExactly(
            DecodeError.BAD_STAT_LENGTH, DecodeError.BAD_STAT_LENGTH, DecodeError.BAD_STAT_LENGTH);
    assertThat(((StatisticsReport) d.message).stats())
        .containsExactly(new StatEntry(0, -1, 1, false), new StatEntry(3, -1, 4, false));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
  void everyKnownStatisticsTypeRefusesTheOtherLengths(int type) {
    // RFC 7854 4.8 / RFC 8671: 4-byte counters, 8-byte gauges, 11-byte per-AFI/SAFI gauges
    int right =
        type == 7 || type == 8 || type == 14 || type == 15
            ? 8
            : type == 9 || type == 10 || type == 16 || type == 17 ? 11 : 4;
    for (int len : new int[] {0, 2, 4, 8, 11, 12}) {
      Decoded d = decode(statistics(peer(), tlv(type, new byte[len]), stat32(2, 5)));
      List<StatEntry> kept = ((StatisticsReport) d.message).stats();
      if (len == right) {
        assertThat(d.errors).as("type %d length %d", type, len).isEmpty();
        assertThat(kept).as("type %d length %d", type, len).hasSize(2);
        assertThat(kept.get(0).gauge()).isEqualTo(right != 4);
      } else {
        assertThat(d.errors)
            .as("type %d length %d", type, len)
            .containsExactly(DecodeError.BAD_STAT_LENGTH);
        assertThat(kept)
            .as("type %d length %d", type, len)
            .containsExactly(new StatEntry(2, -1, 5, false));
      }
    }
  }

  /** RFC 9972 types 18-43 (24 and 25 unassigned), each as the three lengths routers send. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      ints = {
        18, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42,
        43
      })
  void rfc9972TypesAreReadAsTheirLengthSays(int type) {
    byte[] msg =
        statistics(
            peer(),
            stat32(type, 7), // 4 bytes: a counter
            stat64(type, 1L << 33), // 8 bytes: a gauge for all families
            statAfi(type, 2, 1, 42), // 11 bytes: an IPv6 unicast gauge
            tlv(type, new byte[5]) /* no such length */);
    Decoded d = decode(msg);
    assertThat(d.errors).containsExactly(DecodeError.BAD_STAT_LENGTH);
    assertThat(((StatisticsReport) d.message).stats())
        .containsExactly(
            new StatEntry(type, -1, 7, false),
            new StatEntry(type, -1, 1L << 33, true),
            new StatEntry(type, 0x0201, 42, true));
    assertThat(StatType.CODES.label(type)).doesNotStartWith("type_").matches("[a-z_]+");
  }

  @Test
  void rfc9972LabelsPairTheGlobalAndPerFamilyForms() {
    assertThat(StatType.CODES.label(29))
        .isEqualTo(StatType.CODES.label(30))
        .isEqualTo("routes_before_max_prefix_threshold");
    assertThat(StatType.CODES.label(35)).isEqualTo("rov_invalid_routes");
    assertThat(StatType.CODES.label(43)).isEqualTo("adj_rib_out_rov_not_found_routes");
    // unassigned between them, and after them
    assertThat(StatType.CODES.label(24)).isEqualTo("type_24");
    assertThat(StatType.CODES.label(25)).isEqualTo("type_25");
    assertThat(StatType.CODES.label(44)).isEqualTo("type_44");
  }

  @Test
  void statisticsWithATlvOverrunningTheMessageKeepTheTlvsBeforeIt() {
    byte[] overrun = w().u16(0).u16(8).u32(1).toByteArray(); // says 8 bytes, has 4
    Decoded d = decode(statisticsCount(peer(), 2, stat32(1, 9), overrun));
    assertThat(d.errors).containsExactly(DecodeError.BAD_TLV);
    assertThat(((StatisticsReport) d.message).stats())
        .containsExactly(new StatEntry(1, -1, 9, false));
  }

  @Test
  void statisticsWithFewerTlvsThanTheirCountAreReported() {
    Decoded d = decode(statisticsCount(peer(), 3, stat32(1, 9), stat32(2, 10)));
    assertThat(d.errors).containsExactly(DecodeError.TRUNCATED_MESSAGE);
    assertThat(((StatisticsReport) d.message).stats())
        .containsExactly(new StatEntry(1, -1, 9, false), new StatEntry(2, -1, 10, false));
  }

  @Test
  void statisticsWithMoreTlvsThanTheirCountReportTheRestAsTrailing() {
    Decoded d = decode(statisticsCount(peer(), 1, stat32(1, 9), stat32(2, 10)));
    assertThat(d.errors).containsExactly(DecodeError.TRAILING_BYTES);
    assertThat(((StatisticsReport) d.message).stats())
        .containsExactly(new StatEntry(1, -1, 9, false));
  }

  // ------------------------------------------------------------------ Route Monitoring

  @Test
  void routeMonitoringDecodesThePerPeerHeaderAndKeepsTheUpdate() {
    byte[] update = update(prefixes("10.9.0.0/16"), basicAttributes(), prefixes("10.1.0.0/16"));
    Peer p =
        peer()
            .type(1)
            .rd(rd0(65000, 100))
            .address("2001:db8::7")
            .as(4_200_000_000L)
            .bgpId("192.0.2.9")
            .time(1_700_000_123L, 999_999);
    Decoded d = decode(routeMonitoring(p, update));
    assertThat(d.errors).isEmpty();
    RouteMonitoring rm = (RouteMonitoring) d.message;
    assertThat(rm.update()).isEqualTo(update);
    PerPeerHeader h = rm.peer();
    assertThat(h.peerType()).isEqualTo(1);
    assertThat(h.peerTypeLabel()).isEqualTo("rd");
    assertThat(h.flags()).isEqualTo(0x80);
    assertThat(h.ipv6()).isTrue();
    assertThat(h.distinguisherText()).isEqualTo("65000:100");
    assertThat(h.addressText()).isEqualTo("2001:db8::7");
    assertThat(h.peerAs()).isEqualTo(4_200_000_000L);
    assertThat(h.bgpIdText()).isEqualTo("192.0.2.9");
    assertThat(h.timestampSeconds()).isEqualTo(1_700_000_123L);
    assertThat(h.timestampMicros()).isEqualTo(999_999);
    assertThat(h.rib()).isEqualTo(Rib.ADJ_RIB_IN_PRE);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0,    ADJ_RIB_IN_PRE,   false",
    "0, 64,   ADJ_RIB_IN_POST,  false",
    "0, 16,   ADJ_RIB_OUT_PRE,  false",
    "0, 80,   ADJ_RIB_OUT_POST, false",
    "2, 64,   ADJ_RIB_IN_POST,  false",
    "3, 0,    LOC_RIB,          false",
    "3, 128,  LOC_RIB,          true",
    "3, 80,   LOC_RIB,          false"
  })
  void perPeerHeaderFlagsChooseTheRib(int type, int flags, Rib rib, boolean filtered) {
    Peer p = peer().type(type).flags(flags);
    Decoded d = decode(routeMonitoring(p, endOfRibIpv4()));
    PerPeerHeader h = ((RouteMonitoring) d.message).peer();
    assertThat(h.rib()).isEqualTo(rib);
    assertThat(h.filtered()).isEqualTo(filtered);
    assertThat(h.adjRibOut()).isEqualTo(rib.direction() == Direction.SENT);
    assertThat(h.legacyAsPath()).isFalse();
    assertThat(h.ipv6()).isFalse(); // an IPv4 address in the low four bytes
  }

  @Test
  void routeMonitoringWithATlvAfterTheUpdateIsAQuirkAndKeepsTheUpdate() {
    byte[] update = update(new byte[0], basicAttributes(), prefixes("10.1.0.0/16"));
    // Huawei VRP 8.230: type 0xEA62 (enterprise bit set), length 4, value 00 00 00 01
    byte[] huawei = w().u16(0xea62).u16(4).u32(1).toByteArray();
    Decoded d = decode(routeMonitoring(peer(), concat(update, huawei)));
    assertThat(d.errors).isEmpty();
    assertThat(d.quirks).containsExactly(Quirk.TRAILING_TLV_ENTERPRISE);
    assertThat(((RouteMonitoring) d.message).update()).isEqualTo(update);
    // two TLVs: type 7 with an empty value, then type 0x8001 with 2 bytes: one quirk per type class
    byte[] two = w().u16(7).u16(0).u16(0x8001).u16(2).u16(0xabcd).toByteArray();
    Decoded d2 = decode(routeMonitoring(peer(), concat(update, two)));
    assertThat(d2.errors).isEmpty();
    assertThat(d2.quirks)
        .containsExactly(Quirk.TRAILING_TLV_STANDARD, Quirk.TRAILING_TLV_ENTERPRISE);
    assertThat(((RouteMonitoring) d2.message).update()).isEqualTo(update);
    // 100 zero bytes parse as 25 empty TLVs of type 0: one quirk for the message, not 25
    Decoded d3 = decode(routeMonitoring(peer(), concat(update, new byte[100])));
    assertThat(d3.errors).isEmpty();
    assertThat(d3.quirks).containsExactly(Quirk.TRAILING_TLV_STANDARD);
  }

  @Test
  void routeMonitoringWithBytesAfterTheUpdateThatAreNoTlvsIsAnError() {
    byte[] update = update(new byte[0], basicAttributes(), prefixes("10.1.0.0/16"));
    // TLV header says 5 bytes of value, 4 follow
    byte[] overrun = w().u16(0xea62).u16(5).u32(1).toByteArray();
    // a whole TLV, then 3 bytes: too short for another TLV header
    byte[] tail = w().u16(0xea62).u16(0).u8(1).u8(2).u8(3).toByteArray();
    for (byte[] junk : new byte[][] {overrun, tail, {9}}) {
      Decoded d = decode(routeMonitoring(peer(), concat(update, junk)));
      assertThat(d.errors).containsExactly(DecodeError.TRAILING_BYTES);
      assertThat(d.quirks).isEmpty();
      assertThat(((RouteMonitoring) d.message).update()).isEqualTo(update);
    }
  }

  @Test
  void decodedMessagesShareNoBytesWithTheFrameOrTheCaller() {
    byte[] update = update(new byte[0], basicAttributes(), prefixes("10.1.0.0/16"));
    byte[] frame = routeMonitoring(peer(), update);
    RouteMonitoring rm =
        (RouteMonitoring) BmpDecoder.decode(frame, 0, frame.length, ErrorListener.IGNORE);
    java.util.Arrays.fill(frame, (byte) 0); // the framer reuses its buffer
    assertThat(rm.update()).isEqualTo(update);
    rm.update()[0] = 0; // a copy
    assertThat(rm.updateBytes()).isEqualTo(update);
    byte[] mine = update.clone();
    RouteMonitoring built = new RouteMonitoring(rm.peer(), mine);
    mine[0] = 0;
    assertThat(built).isEqualTo(rm);
    assertThat(built.hashCode()).isEqualTo(rm.hashCode());
    byte[] init = initiation(tlv(2, "name"));
    Initiation i = (Initiation) BmpDecoder.decode(init, 0, init.length, ErrorListener.IGNORE);
    java.util.Arrays.fill(init, (byte) 0);
    assertThat(i.sysName()).isEqualTo("name");
  }

  @Test
  void routeMonitoringMustCarryAnUpdate() {
    Decoded d = decode(routeMonitoring(peer(), keepalive()));
    assertThat(d.message).isNull();
    assertThat(d.errors).containsExactly(DecodeError.BAD_BGP_MESSAGE);
    byte[] badMarker = endOfRibIpv4();
    badMarker[3] = 0;
    Decoded d2 = decode(routeMonitoring(peer(), badMarker));
    assertThat(d2.message).isNull();
    assertThat(d2.errors).containsExactly(DecodeError.BAD_BGP_MESSAGE);
  }

  @Test
  void routeMonitoringWithTheBgpLengthOffByOne() {
    byte[] update = update(new byte[0], basicAttributes(), prefixes("10.1.0.0/16"));
    byte[] plus = update.clone();
    plus[17]++; // BGP length one past the BMP message
    Decoded d = decode(routeMonitoring(peer(), plus));
    assertThat(d.message).isNull();
    assertThat(d.errors).containsExactly(DecodeError.BAD_BGP_MESSAGE);
    byte[] minus = update.clone();
    minus[17]--; // the last NLRI byte is left after the UPDATE
    Decoded d2 = decode(routeMonitoring(peer(), minus));
    assertThat(d2.errors).containsExactly(DecodeError.TRAILING_BYTES);
    assertThat(((RouteMonitoring) d2.message).update()).hasSize(update.length - 1);
  }

  @Test
  void messagesTooShortForThePerPeerHeader() {
    for (int type : new int[] {ROUTE_MONITORING, STATISTICS, PEER_DOWN, PEER_UP, ROUTE_MIRRORING}) {
      Decoded d = decode(bmp(type, new byte[41]));
      assertThat(d.message).as("type %d", type).isNull();
      assertThat(d.errors).as("type %d", type).containsExactly(DecodeError.TRUNCATED_MESSAGE);
    }
  }

  // ------------------------------------------------------------------ Route Mirroring

  @Test
  void routeMirroringCountsBgpMessagesErroredPdusAndLostMessages() {
    Decoded d =
        decode(
            mirroring(
                peer(),
                tlv(0, update(new byte[0], basicAttributes(), prefixes("10.0.0.0/8"))),
                tlv(0, keepalive()),
                tlv(1, w().u16(0).toByteArray()),
                tlv(1, w().u16(1).toByteArray()),
                tlv(1, w().u16(1).toByteArray())));
    assertThat(d.errors).isEmpty();
    RouteMirroring m = (RouteMirroring) d.message;
    assertThat(m.bgpMessages()).isEqualTo(2);
    assertThat(m.erroredPdus()).isEqualTo(1);
    assertThat(m.messagesLost()).isEqualTo(2);
  }

  @Test
  void routeMirroringSkipsAndCountsUnknownTlvs() {
    Decoded d = decode(mirroring(peer(), tlv(7, new byte[3]), tlv(0, keepalive())));
    assertThat(d.errors).containsExactly(DecodeError.UNKNOWN_TLV);
    assertThat(((RouteMirroring) d.message).bgpMessages()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ other

  @Test
  void unknownMessageTypeIsSkippedAndCounted() {
    byte[] msg = bmp(99, new byte[] {1, 2, 3, 4, 5});
    Decoded d = decode(msg);
    assertThat(d.message).isEqualTo(new UnknownMessage(99, msg.length));
    assertThat(d.message.type()).isEqualTo(MessageType.UNKNOWN);
    assertThat(d.errors).containsExactly(DecodeError.UNKNOWN_MESSAGE_TYPE);
  }

  @Test
  void aFrameWhoseHeaderDisagreesWithItsLengthIsRefused() {
    byte[] msg = initiation(tlv(2, "r"));
    RecordingErrors errors = new RecordingErrors();
    assertThat(BmpDecoder.decode(msg, 0, msg.length - 1, errors)).isNull();
    assertThat(BmpDecoder.decode(msg, 0, 5, errors)).isNull();
    assertThat(errors.errors).containsExactly(DecodeError.BAD_LENGTH, DecodeError.BAD_LENGTH);
  }
}
