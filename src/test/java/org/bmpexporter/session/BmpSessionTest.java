package org.bmpexporter.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bmpexporter.testing.Bmp.*;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.testing.Bmp.Peer;
import org.junit.jupiter.api.Test;

/** Decoded messages applied to the router state: exact route counting, peer up/down, counters. */
class BmpSessionTest {

  final RouterState router = new RouterState("r1", "192.0.2.100", Runnable::run);
  final BmpSession session = new BmpSession(router, 1 << 20, () -> 1000.0);

  BmpSessionTest() {
    session.open();
  }

  void feed(byte[]... messages) {
    byte[] all = concat(messages);
    session.feed(all, 0, all.length);
  }

  /** Routes per "peer rib family" from the snapshot. */
  Map<String, Long> routes() {
    Map<String, Long> m = new TreeMap<>();
    for (Snapshots.Peer p : router.snapshot().peers()) {
      for (Snapshots.Table t : p.tables()) {
        m.put(p.peer() + " " + t.rib() + " " + t.afiSafi(), t.routes());
      }
    }
    return m;
  }

  Snapshots.Table table(String peer, String rib, String family) {
    for (Snapshots.Peer p : router.snapshot().peers()) {
      for (Snapshots.Table t : p.tables()) {
        if (p.peer().equals(peer) && t.rib().equals(rib) && t.afiSafi().equals(family)) {
          return t;
        }
      }
    }
    throw new AssertionError("no table " + peer + " " + rib + " " + family);
  }

  static final Peer P = peer().address("192.0.2.2").as(65002).bgpId("192.0.2.2");
  static final byte[] OPEN =
      open(65001, 90, "192.0.2.1", capMultiprotocol(1, 1), capFourOctetAs(65001));

  static byte[] announce(Peer p, String... prefixes) {
    return routeMonitoring(p, update(new byte[0], basicAttributes(), prefixes(prefixes)));
  }

  static byte[] withdraw(Peer p, String... prefixes) {
    return routeMonitoring(p, update(prefixes(prefixes), new byte[0], new byte[0]));
  }

  @Test
  void routesAreCountedExactly() {
    feed(
        announce(P, "10.0.0.0/8", "10.1.0.0/16", "10.1.0.0/16"), // a replace is not a new route
        announce(P, "10.0.0.0/8"),
        withdraw(P, "10.1.0.0/16", "10.99.0.0/16"), // withdrawing an absent route changes nothing
        announce(
            peer().address("192.0.2.2").as(65002).bgpId("192.0.2.2").flags(0x40), "10.2.0.0/16"));
    Snapshots.Table pre = table("192.0.2.2", "adj_rib_in_pre", "ipv4_unicast");
    assertThat(pre.routes()).isEqualTo(1);
    assertThat(pre.announcements()).isEqualTo(4);
    assertThat(pre.withdrawals()).isEqualTo(2);
    assertThat(table("192.0.2.2", "adj_rib_in_post", "ipv4_unicast").routes()).isEqualTo(1);
    assertThat(router.routes()).isEqualTo(2);
    assertThat(router.snapshot().decodeErrors()).isEmpty();
  }

  @Test
  void routesWithoutAPeerUpMarkThePeerUp() {
    feed(announce(P, "10.0.0.0/8"));
    Snapshots.Peer p = router.snapshot().peers().get(0);
    assertThat(p.up()).isTrue();
    assertThat(p.ups()).isZero();
  }

  @Test
  void addPathPathsCountSeparatelyAndAreWithdrawnOneByOne() {
    byte[] sent = open(65001, 90, "192.0.2.1", capMultiprotocol(1, 1), capAddPath(1, 1, 1));
    byte[] received = open(65002, 90, "192.0.2.2", capMultiprotocol(1, 1), capAddPath(1, 1, 2));
    byte[] twoPaths =
        routeMonitoring(
            P,
            update(
                new byte[0],
                basicAttributes(),
                concat(
                    prefix(1, "10.0.0.0/8"), prefix(2, "10.0.0.0/8"), prefix(2, "10.1.0.0/16"))));
    byte[] withdrawPath1 =
        routeMonitoring(P, update(prefix(1, "10.0.0.0/8"), new byte[0], new byte[0]));
    feed(peerUp(P, "192.0.2.1", 179, 5000, sent, received), twoPaths);
    assertThat(table("192.0.2.2", "adj_rib_in_pre", "ipv4_unicast").routes()).isEqualTo(3);
    feed(withdrawPath1);
    assertThat(table("192.0.2.2", "adj_rib_in_pre", "ipv4_unicast").routes()).isEqualTo(2);
    assertThat(router.snapshot().decodeErrors()).isEmpty();
  }

  @Test
  void labeledVpnAndEvpnWithdrawalsWithOtherLabelsRemoveTheRoute() {
    byte[] nh = ip("192.0.2.1");
    byte[] vpnNh = concat(new byte[8], nh);
    byte[] rd = rd0(65000, 1);
    byte[] mac = hex("001122334455");
    byte[] tag = w().u32(0).toByteArray();
    byte[] evpnAnnounce =
        evpn(2, w().bytes(rd, esi(1), tag).u8(48).bytes(mac).u8(0).u24(bos(100)).toByteArray());
    byte[] evpnWithdraw =
        evpn(2, w().bytes(rd, esi(1), tag).u8(48).bytes(mac).u8(0).u24(0).toByteArray());
    feed(
        routeMonitoring(
            P,
            update(
                new byte[0],
                concat(basicAttributes(), mpReach(1, 4, nh, labeled("10.1.0.0/16", bos(16)))),
                new byte[0])),
        routeMonitoring(
            P,
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(1, 128, vpnNh, labeledVpn(rd, "10.2.0.0/16", bos(17)))),
                new byte[0])),
        routeMonitoring(
            P,
            update(
                new byte[0],
                concat(basicAttributes(), mpReach(25, 70, nh, evpnAnnounce)),
                new byte[0])));
    assertThat(routes())
        .containsEntry("192.0.2.2 adj_rib_in_pre ipv4_labeled_unicast", 1L)
        .containsEntry("192.0.2.2 adj_rib_in_pre ipv4_vpn", 1L)
        .containsEntry("192.0.2.2 adj_rib_in_pre l2vpn_evpn", 1L);
    feed(
        routeMonitoring(
            P, update(new byte[0], mpUnreach(1, 4, labeled("10.1.0.0/16", 0x800000)), new byte[0])),
        routeMonitoring(
            P,
            update(
                new byte[0],
                mpUnreach(1, 128, labeledVpn(rd, "10.2.0.0/16", 0x800000)),
                new byte[0])),
        routeMonitoring(P, update(new byte[0], mpUnreach(25, 70, evpnWithdraw), new byte[0])));
    assertThat(routes())
        .containsEntry("192.0.2.2 adj_rib_in_pre ipv4_labeled_unicast", 0L)
        .containsEntry("192.0.2.2 adj_rib_in_pre ipv4_vpn", 0L)
        .containsEntry("192.0.2.2 adj_rib_in_pre l2vpn_evpn", 0L);
    assertThat(router.snapshot().decodeErrors()).isEmpty();
  }

  @Test
  void peerUpAndPeerDownClearThePeersRoutes() {
    feed(
        peerUp(P, "192.0.2.1", 179, 5000, OPEN, OPEN, tlv(3, "vrf-a")),
        announce(P, "10.0.0.0/8", "10.1.0.0/16"));
    assertThat(router.routes()).isEqualTo(2);
    Snapshots.Peer up = router.snapshot().peers().get(0);
    assertThat(up.up()).isTrue();
    assertThat(up.ups()).isEqualTo(1);
    assertThat(up.table()).isEqualTo("vrf-a");
    feed(peerDown(P, 3, notification(6, 2, new byte[0])));
    Snapshots.Peer down = router.snapshot().peers().get(0);
    assertThat(down.up()).isFalse();
    assertThat(down.lastDownReason()).isEqualTo("remote_notification");
    assertThat(down.lastDownNotification()).isEqualTo("cease/administrative_shutdown");
    assertThat(router.routes()).isZero();
    // a second Peer Up starts from an empty table
    feed(
        announce(P, "10.5.0.0/16"),
        peerUp(P, "192.0.2.1", 179, 5001, OPEN, OPEN),
        announce(P, "10.6.0.0/16"));
    assertThat(router.routes()).isEqualTo(1);
  }

  @Test
  void aPeerDownWithAMalformedNotificationStillTakesThePeerDown() {
    feed(peerUp(P, "192.0.2.1", 179, 5000, OPEN, OPEN), announce(P, "10.0.0.0/8"));
    byte[] cutNotification = java.util.Arrays.copyOf(notification(6, 2, new byte[0]), 20);
    feed(peerDown(P, 1, cutNotification));
    Snapshots.Peer down = router.snapshot().peers().get(0);
    assertThat(down.up()).isFalse();
    assertThat(down.lastDownReason()).isEqualTo("local_notification");
    assertThat(down.lastDownNotification()).isEmpty();
    assertThat(router.routes()).isZero();
    assertThat(router.snapshot().decodeErrors()).containsEntry("bad_bgp_message", 1L);
  }

  @Test
  void statisticsTerminationMirroringAndUnknownTypes() {
    feed(
        initiation(tlv(2, "edge-1"), tlv(1, "vendor os 1.0")),
        statistics(P, stat32(0, 7), stat64(7, 1234), statAfi(9, 2, 1, 99), stat32(65531, 3)),
        mirroring(P, tlv(0, keepalive()), tlv(1, w().u16(1).toByteArray())),
        bmp(99, new byte[4]),
        termination(terminationReason(2)));
    Snapshots.Router snap = router.snapshot();
    assertThat(snap.sysName()).isEqualTo("edge-1");
    assertThat(snap.sysDescr()).isEqualTo("vendor os 1.0");
    assertThat(snap.terminations()).isEqualTo(Map.of("out_of_resources", 1L));
    assertThat(snap.messages()).containsEntry("unknown", 1L).containsEntry("statistics_report", 1L);
    assertThat(snap.decodeErrors()).isEqualTo(Map.of("unknown_message_type", 1L));
    Snapshots.Peer p = snap.peers().get(0);
    assertThat(p.statCounters())
        .containsExactly(
            new Snapshots.StatCounter("rejected_prefixes", 7),
            new Snapshots.StatCounter("type_65531", 3));
    assertThat(p.statGauges())
        .containsExactlyInAnyOrder(
            new Snapshots.StatGauge("adj_rib_in_routes", "all", 1234),
            new Snapshots.StatGauge("adj_rib_in_routes", "ipv6_unicast", 99));
    assertThat(p.mirroring())
        .isEqualTo(Map.of("bgp_message", 1L, "errored_pdu", 0L, "messages_lost", 1L));
  }

  @Test
  void aFramingErrorIsCountedOnceAndEndsTheSession() {
    byte[] v5 = bmpVersion(5, INITIATION, tlv(2, "x"));
    assertThatThrownBy(() -> feed(initiation(tlv(2, "ok")), v5))
        .isInstanceOf(BmpProtocolException.class)
        .hasMessageContaining("version 5");
    assertThat(router.snapshot().decodeErrors()).isEqualTo(Map.of("bad_version", 1L));
    assertThat(router.snapshot().messages()).containsEntry("initiation", 1L);
    session.close("framing error");
    assertThat(router.snapshot().decodeErrors()).isEqualTo(Map.of("bad_version", 1L));
  }

  @Test
  void bytesFedAfterAFramingErrorAreRefusedWithoutCountingAnotherError() {
    // a read already queued when the connection is being closed must not add a bad_length
    byte[] v5 = bmpVersion(5, INITIATION, tlv(2, "x"));
    assertThatThrownBy(() -> feed(v5)).isInstanceOf(BmpProtocolException.class);
    byte[] more = initiation(tlv(2, "ok"));
    assertThatThrownBy(() -> session.feed(more, 0, more.length))
        .isInstanceOf(BmpProtocolException.class)
        .satisfies(
            e ->
                assertThat(((BmpProtocolException) e).error())
                    .isEqualTo(org.bmpexporter.codec.DecodeError.BAD_VERSION));
    assertThat(router.snapshot().decodeErrors()).isEqualTo(Map.of("bad_version", 1L));
    assertThat(router.snapshot().messages()).containsEntry("initiation", 0L);
  }

  @Test
  void closingInsideAMessageCountsATruncatedStream() {
    byte[] m = announce(P, "10.0.0.0/8");
    session.feed(m, 0, m.length - 3);
    assertThat(router.routes()).isZero();
    session.close("eof");
    assertThat(router.snapshot().decodeErrors()).isEqualTo(Map.of("truncated_stream", 1L));
    assertThat(router.snapshot().up()).isFalse();
    List<Snapshots.Peer> peers = router.snapshot().peers();
    assertThat(peers).isEmpty();
  }
}
