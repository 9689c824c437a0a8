package org.bmpexporter.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.DecodeError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OPEN capabilities (RFC 5492 and friends), NOTIFICATION names and data, the BGP header. */
class BgpMessagesTest {

  static BgpOpen decode(byte[] open) {
    return BgpMessages.decodeOpen(open, 0, open.length);
  }

  static DecodeError errorOf(Runnable r) {
    try {
      r.run();
    } catch (BmpProtocolException e) {
      return e.error();
    }
    throw new AssertionError("no BmpProtocolException");
  }

  @Test
  void openWithoutCapabilities() {
    BgpOpen o = decode(open(65001, 180, "10.0.0.1"));
    assertThat(o)
        .isEqualTo(
            new BgpOpen(
                4,
                65001,
                180,
                0x0a000001L,
                -1,
                List.of(),
                Map.of(),
                false,
                false,
                false,
                List.of()));
    assertThat(o.asNumber()).isEqualTo(65001);
    assertThat(o.fourOctetAs()).isFalse();
  }

  @Test
  void openCapabilitiesAreTheSameInOneOrManyParametersAndInRfc9072Form() {
    byte[][] caps = {
      capMultiprotocol(1, 1),
      capMultiprotocol(2, 128),
      capMultiprotocol(25, 70),
      capFourOctetAs(4_200_000_000L),
      capAddPath(1, 1, 3, 2, 128, 1),
      capExtendedMessage(),
      capGracefulRestart(90, 1, 1),
      capRouteRefresh(),
      cap(71, new byte[] {0}) /* LLGR */
    };
    BgpOpen expected =
        new BgpOpen(
            4,
            23456,
            90,
            0xc0000201L,
            4_200_000_000L,
            List.of(0x0101, 0x0280, 0x1946),
            Map.of(0x0101, 3, 0x0280, 1),
            true,
            true,
            true,
            List.of(71));
    assertThat(decode(open(23456, 90, "192.0.2.1", caps))).isEqualTo(expected);
    assertThat(decode(openOneParam(23456, 90, "192.0.2.1", caps))).isEqualTo(expected);
    assertThat(decode(openExtendedParams(23456, 90, "192.0.2.1", caps))).isEqualTo(expected);
    assertThat(expected.asNumber()).isEqualTo(4_200_000_000L);
  }

  @Test
  void openWithARfc9072ParameterLongerThan255Bytes() {
    byte[][] caps = new byte[70][];
    for (int i = 0; i < caps.length; i++) {
      caps[i] = capMultiprotocol(1, i + 1); // 70 x 6 = 420 bytes of capabilities
    }
    BgpOpen o = decode(openExtendedParams(65001, 90, "192.0.2.1", caps));
    assertThat(o.families()).hasSize(70).contains(0x0101, 0x0146);
  }

  @Test
  void malformedOpens() {
    byte[] ok = open(65001, 90, "192.0.2.1", capFourOctetAs(65001));
    byte[] longParams = ok.clone();
    longParams[28]++; // optional parameters length one too long
    assertThat(errorOf(() -> decode(longParams))).isEqualTo(DecodeError.BAD_OPEN);
    byte[] shortParams = ok.clone();
    shortParams[28]--;
    assertThat(errorOf(() -> decode(shortParams))).isEqualTo(DecodeError.BAD_OPEN);
    byte[] capOverrun = ok.clone();
    capOverrun[32]++; // capability length (inside its parameter) one too long
    assertThat(errorOf(() -> decode(capOverrun))).isEqualTo(DecodeError.BAD_OPEN);
    byte[] paramOverrun = ok.clone();
    paramOverrun[30]++; // parameter length one too long
    assertThat(errorOf(() -> decode(paramOverrun))).isEqualTo(DecodeError.BAD_OPEN);
    assertThat(errorOf(() -> decode(bgp(BGP_OPEN, new byte[9])))).isEqualTo(DecodeError.BAD_OPEN);
    assertThat(errorOf(() -> decode(keepalive()))).isEqualTo(DecodeError.BAD_OPEN);
  }

  @ParameterizedTest(name = "capability {0} with {1} value bytes")
  @CsvSource({
    "1, 3", "1, 5", "65, 2", "65, 5", "69, 3", "69, 5", "2, 1", "128, 1", "6, 2", "64, 1", "64, 4"
  })
  void capabilitiesTheDecoderReadsMustHaveTheirRfcLength(int code, int length) {
    // a capability whose length is impossible shows a corrupted OPEN: the parameters after it
    // would be read out of alignment, so the OPEN is refused rather than half-believed
    byte[] bad = open(65001, 90, "192.0.2.1", capMultiprotocol(1, 1), cap(code, new byte[length]));
    assertThat(errorOf(() -> decode(bad))).isEqualTo(DecodeError.BAD_OPEN);
  }

  @Test
  void anEmptyAddPathCapabilityIsAccepted() {
    // FRR 10 fabricates Loc-RIB Peer Up OPENs with an ADD-PATH capability of length 0
    BgpOpen o =
        decode(open(65003, 90, "192.0.2.3", cap(69, new byte[0]), capGracefulRestart(120, 1, 1)));
    assertThat(o.addPath()).isEmpty();
    assertThat(o.gracefulRestart()).isTrue();
  }

  @Test
  void unknownCapabilitiesAreKeptOnceEach() {
    BgpOpen o =
        decode(
            open(
                65001,
                90,
                "192.0.2.1",
                cap(73, new byte[] {0, 0}),
                cap(200, new byte[0]),
                cap(73, new byte[] {1, 0}),
                cap(200, new byte[0]),
                cap(71, new byte[0])));
    assertThat(o.otherCapabilities()).containsExactly(73, 200, 71);
  }

  @Test
  void addPathForMoreThan256FamiliesIsRefused() {
    // 5 capabilities of 63 families (252 bytes each): 315 distinct families
    byte[][] caps = new byte[5][];
    for (int c = 0; c < caps.length; c++) {
      int[] tuples = new int[3 * 63];
      for (int i = 0; i < 63; i++) {
        tuples[3 * i] = 1 + c * 63 + i;
        tuples[3 * i + 1] = 1;
        tuples[3 * i + 2] = 3;
      }
      caps[c] = capAddPath(tuples);
    }
    assertThat(errorOf(() -> decode(openExtendedParams(65001, 90, "192.0.2.1", caps))))
        .isEqualTo(DecodeError.BAD_OPEN);
    // 4 x 63 = 252 families, and the same family repeated, are fine
    BgpOpen ok =
        decode(
            openExtendedParams(
                65001, 90, "192.0.2.1", caps[0], caps[1], caps[2], caps[3], caps[0]));
    assertThat(ok.addPath()).hasSize(252);
  }

  @Test
  void bgpHeaderChecks() {
    byte[] k = keepalive();
    assertThat(BgpMessages.messageLength(k, 0, k.length)).isEqualTo(19);
    assertThat(BgpMessages.messageLength(concat(k, new byte[5]), 0, k.length + 5)).isEqualTo(19);
    assertThat(errorOf(() -> BgpMessages.messageLength(k, 0, 18)))
        .isEqualTo(DecodeError.BAD_BGP_MESSAGE);
    byte[] marker = k.clone();
    marker[15] = 0x7f;
    assertThat(errorOf(() -> BgpMessages.messageLength(marker, 0, 19)))
        .isEqualTo(DecodeError.BAD_BGP_MESSAGE);
    byte[] tooShort = k.clone();
    tooShort[17] = 18;
    assertThat(errorOf(() -> BgpMessages.messageLength(tooShort, 0, 19)))
        .isEqualTo(DecodeError.BAD_BGP_MESSAGE);
    byte[] tooLong = k.clone();
    tooLong[17] = 20;
    assertThat(errorOf(() -> BgpMessages.messageLength(tooLong, 0, 19)))
        .isEqualTo(DecodeError.BAD_BGP_MESSAGE);
  }

  // ------------------------------------------------------------------ NOTIFICATION

  @ParameterizedTest
  @CsvSource({
    "1, 2, message_header_error/bad_message_length",
    "2, 2, open_message_error/bad_peer_as",
    "2, 7, open_message_error/unsupported_capability",
    "3, 1, update_message_error/malformed_attribute_list",
    "3, 11, update_message_error/malformed_as_path",
    "4, 0, hold_timer_expired",
    "5, 3, finite_state_machine_error/receive_unexpected_message_in_established_state",
    "6, 1, cease/maximum_number_of_prefixes_reached",
    "6, 2, cease/administrative_shutdown",
    "6, 3, cease/peer_de_configured",
    "6, 4, cease/administrative_reset",
    "6, 5, cease/connection_rejected",
    "6, 6, cease/other_configuration_change",
    "6, 7, cease/connection_collision_resolution",
    "6, 8, cease/out_of_resources",
    "6, 9, cease/hard_reset",
    "6, 10, cease/bfd_down",
    "6, 0, cease",
    "7, 1, route_refresh_message_error/invalid_message_length",
    "8, 0, send_hold_timer_expired",
    "6, 99, cease/subcode_99",
    "99, 1, code_99/subcode_1",
    "0, 0, code_0"
  })
  void notificationLabels(int code, int subcode, String label) {
    byte[] n = notification(code, subcode, new byte[0]);
    assertThat(BgpMessages.decodeNotification(n, 0, n.length).label()).isEqualTo(label);
  }

  @Test
  void notificationDataIsKept() {
    byte[] n = notification(6, 1, hex("0001 01 00000064 ff"));
    Notification d = BgpMessages.decodeNotification(n, 0, n.length);
    assertThat(d.data()).isEqualTo(hex("0001 01 00000064 ff"));
    assertThat(d.maxPrefixData()).containsExactly(1, 1, 100);
    // shorter than AFI, SAFI and limit: no maximum-prefix data
    byte[] s = notification(6, 1, hex("0001 01"));
    assertThat(BgpMessages.decodeNotification(s, 0, s.length).maxPrefixData()).isNull();
  }

  @Test
  void shutdownCommunication() {
    byte[] text = "drain for upgrade".getBytes(StandardCharsets.UTF_8);
    byte[] data = concat(new byte[] {(byte) text.length}, text);
    Notification reset = new Notification(6, 4, data);
    assertThat(reset.shutdownCommunication()).isEqualTo("drain for upgrade");
    assertThat(reset.describe()).isEqualTo("cease/administrative_reset \"drain for upgrade\"");
    // a length byte past the data, a zero length, or another subcode: none
    assertThat(new Notification(6, 2, hex("05 6869")).shutdownCommunication()).isNull();
    assertThat(new Notification(6, 2, hex("00")).shutdownCommunication()).isNull();
    assertThat(new Notification(6, 3, data).shutdownCommunication()).isNull();
    // control characters are not logged
    Notification nl =
        new Notification(6, 2, concat(new byte[] {3}, "a\nb".getBytes(StandardCharsets.UTF_8)));
    assertThat(nl.describe()).isEqualTo("cease/administrative_shutdown \"a b\"");
  }

  @Test
  void notificationTooShortOrNotANotification() {
    byte[] shortOne = bgp(BGP_NOTIFICATION, new byte[] {6});
    assertThat(errorOf(() -> BgpMessages.decodeNotification(shortOne, 0, shortOne.length)))
        .isEqualTo(DecodeError.BAD_BGP_MESSAGE);
    byte[] k = keepalive();
    assertThat(errorOf(() -> BgpMessages.decodeNotification(k, 0, k.length)))
        .isEqualTo(DecodeError.BAD_BGP_MESSAGE);
  }

  // ------------------------------------------------------------------ SessionFacts, AfiSafi

  @Test
  void sessionFactsWithoutAPeerUpKnowNothing() {
    assertThat(SessionFacts.UNKNOWN.known()).isFalse();
    assertThat(SessionFacts.UNKNOWN.addPath(0x0101, Direction.RECEIVED)).isFalse();
    assertThat(SessionFacts.UNKNOWN.fourOctetAs()).isFalse();
    SessionFacts both =
        new SessionFacts(
            decode(open(1, 90, "192.0.2.1", capFourOctetAs(1))),
            decode(open(2, 90, "192.0.2.2", capFourOctetAs(2))));
    assertThat(both.known()).isTrue();
    assertThat(both.fourOctetAs()).isTrue();
    SessionFacts one =
        new SessionFacts(
            decode(open(1, 90, "192.0.2.1", capFourOctetAs(1))), decode(open(2, 90, "192.0.2.2")));
    assertThat(one.fourOctetAs()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1, ipv4_unicast, PREFIX",
    "2, 1, ipv6_unicast, PREFIX",
    "1, 2, ipv4_multicast, PREFIX",
    "1, 4, ipv4_labeled_unicast, LABELED_PREFIX",
    "2, 4, ipv6_labeled_unicast, LABELED_PREFIX",
    "1, 128, ipv4_vpn, VPN_PREFIX",
    "2, 128, ipv6_vpn, VPN_PREFIX",
    "1, 129, ipv4_vpn_multicast, VPN_PREFIX",
    "1, 133, ipv4_flowspec, FLOWSPEC",
    "2, 134, ipv6_flowspec_vpn, FLOWSPEC",
    "25, 70, l2vpn_evpn, EVPN",
    "25, 65, l2vpn_vpls, VPLS",
    "16388, 71, bgp_ls, BGP_LS",
    "16388, 72, bgp_ls_vpn, BGP_LS",
    "1, 5, afi_1_safi_5, UNKNOWN",
    "3, 1, afi_3_safi_1, UNKNOWN",
    "25, 1, afi_25_safi_1, UNKNOWN"
  })
  void familyLabelsAndKinds(int afi, int safi, String label, AfiSafi.Kind kind) {
    int family = AfiSafi.of(afi, safi);
    assertThat(AfiSafi.afi(family)).isEqualTo(afi);
    assertThat(AfiSafi.safi(family)).isEqualTo(safi);
    assertThat(AfiSafi.kind(family)).isEqualTo(kind);
    assertThat(AfiSafi.label(family)).isEqualTo(label);
    assertThat(AfiSafi.label(AfiSafi.ALL)).isEqualTo("all");
  }
}
