package org.bmpexporter.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.util.Map;
import org.bmpexporter.codec.Quirk;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The route-count rules: replace, absent withdraw, ADD-PATH, peer down, session end. */
class RouteCountRulesTest {
  private static final byte[] PEER = globalPeer("192.0.2.2", 65002);
  private static final int V4 = 1 << 8 | 1;

  private RouterState router;
  private BmpSession session;

  @BeforeEach
  void setUp() {
    router = new RouterState("192.0.2.1", "192.0.2.1", Runnable::run);
    session = new BmpSession(router, 1 << 20, () -> 1000.0);
    session.open();
    feed(initiation("r1", "test router"), peerUp(PEER));
  }

  private void feed(byte[]... messages) {
    byte[] all = concat(messages);
    session.feed(all, 0, all.length);
  }

  private long routes(String rib, String afiSafi) {
    for (Snapshots.Peer p : router.snapshot().peers()) {
      for (Snapshots.Table t : p.tables()) {
        if (t.rib().equals(rib) && t.afiSafi().equals(afiSafi)) {
          return t.routes();
        }
      }
    }
    return -1;
  }

  @Test
  void reAnnouncingAPresentPrefixReplacesIt() {
    feed(
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.0/24", "10.0.1.0/24"))),
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.0/24"))));
    assertThat(routes("adj_rib_in_pre", "ipv4_unicast")).isEqualTo(2);
    Snapshots.Table t = router.snapshot().peers().get(0).tables().get(0);
    assertThat(t.announcements()).isEqualTo(3);
  }

  @Test
  void hostBitsDoNotMakeADifferentPrefix() {
    // 10.0.0.1/24 has host bits set (seen in real MRT data): it is still 10.0.0.0/24
    feed(
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.0/24"))),
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.1/24"))));
    assertThat(routes("adj_rib_in_pre", "ipv4_unicast")).isEqualTo(1);
  }

  @Test
  void withdrawingAnAbsentPrefixChangesNothing() {
    feed(
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.0/24", "10.0.1.0/24"))),
        routeMonitoring(PEER, updateV4(nlri("10.9.9.0/24", "10.0.0.0/25"), new byte[0])));
    assertThat(routes("adj_rib_in_pre", "ipv4_unicast")).isEqualTo(2);
    feed(routeMonitoring(PEER, updateV4(nlri("10.0.0.0/24"), new byte[0])));
    assertThat(routes("adj_rib_in_pre", "ipv4_unicast")).isEqualTo(1);
  }

  @Test
  void addPathPathsCountSeparately() {
    byte[] ap = peerHeader(0, 0, 0, "192.0.2.3", 65003, "192.0.2.3");
    // router can receive, peer can send: Adj-RIB-In NLRI carry path identifiers
    feed(
        peerUp(
            ap, open(65001, "192.0.2.1", Map.of(V4, 1)), open(65003, "192.0.2.3", Map.of(V4, 2))));
    byte[] two = concat(nlri(1, "10.0.0.0/24"), nlri(2, "10.0.0.0/24"), nlri(1, "10.1.0.0/16"));
    feed(routeMonitoring(ap, updateV4(new byte[0], two)));
    assertThat(peerRoutes("192.0.2.3")).isEqualTo(3);
    feed(routeMonitoring(ap, updateV4(nlri(2, "10.0.0.0/24"), new byte[0])));
    assertThat(peerRoutes("192.0.2.3")).isEqualTo(2);
    assertThat(router.snapshot().quirks()).isEmpty();
  }

  @Test
  void addPathContradictingTheOpensIsDetectedAndCounted() {
    byte[] ap = peerHeader(0, 0, 0, "192.0.2.3", 65003, "192.0.2.3");
    // OPENs negotiate ADD-PATH, but the stream carries plain NLRI (FRR, Junos have done this)
    feed(
        peerUp(
            ap, open(65001, "192.0.2.1", Map.of(V4, 1)), open(65003, "192.0.2.3", Map.of(V4, 2))));
    feed(
        routeMonitoring(
            ap, updateV4(new byte[0], nlri("10.0.0.0/24", "10.1.0.0/16", "10.2.0.0/15"))));
    assertThat(peerRoutes("192.0.2.3")).isEqualTo(3);
    assertThat(router.snapshot().decodeErrors()).isEmpty();
    assertThat(router.quirkCount(Quirk.ADJ_RIB_IN_ADDPATH_ABSENT)).isEqualTo(1);
  }

  private long peerRoutes(String peer) {
    return router.snapshot().peers().stream()
        .filter(p -> p.peer().equals(peer))
        .flatMap(p -> p.tables().stream())
        .mapToLong(Snapshots.Table::routes)
        .sum();
  }

  @Test
  void interleavedRibsAndFamiliesEachKeepTheirOwnRoutes() {
    // FRR sends each prefix's pre-policy then post-policy message; mixed with IPv6 the peer's
    // table lookups switch RIB and family on every message
    byte[] post = postPolicy(PEER);
    feed(
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.0/24"))),
        routeMonitoring(post, updateV4(new byte[0], nlri("10.0.0.0/24"))),
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.1.0/24"))),
        routeMonitoring(PEER, updateV6(true, nlri("2001:db8:1::/48"))),
        routeMonitoring(post, updateV6(true, nlri("2001:db8:1::/48", "2001:db8:2::/48"))),
        routeMonitoring(post, updateV4(new byte[0], nlri("10.0.2.0/24", "10.0.3.0/24"))),
        routeMonitoring(PEER, updateV4(nlri("10.0.0.0/24"), new byte[0])),
        routeMonitoring(post, updateV4(new byte[0], nlri("10.0.4.0/24"))));
    assertThat(routes("adj_rib_in_pre", "ipv4_unicast")).isEqualTo(1);
    assertThat(routes("adj_rib_in_post", "ipv4_unicast")).isEqualTo(4);
    assertThat(routes("adj_rib_in_pre", "ipv6_unicast")).isEqualTo(1);
    assertThat(routes("adj_rib_in_post", "ipv6_unicast")).isEqualTo(2);
    // after a Peer Down and Up the same tables fill again from zero
    feed(peerDown(PEER, 2, w().u16(0).toByteArray()), peerUp(PEER));
    feed(
        routeMonitoring(post, updateV4(new byte[0], nlri("10.0.9.0/24"))),
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.9.0/24", "10.0.8.0/24"))));
    assertThat(routes("adj_rib_in_pre", "ipv4_unicast")).isEqualTo(2);
    assertThat(routes("adj_rib_in_post", "ipv4_unicast")).isEqualTo(1);
    assertThat(routes("adj_rib_in_post", "ipv6_unicast")).isZero();
    assertThat(router.routes()).isEqualTo(3);
  }

  @Test
  void peerDownEmptiesThatPeersTablesOnly() {
    byte[] other = globalPeer("2001:db8::2", 65004);
    feed(
        peerUp(other),
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.0/24"))),
        routeMonitoring(postPolicy(PEER), updateV4(new byte[0], nlri("10.0.0.0/24"))),
        routeMonitoring(other, updateV6(true, nlri("2001:db8:1::/48", "2001:db8:2::/48"))));
    feed(peerDown(PEER, 3, notification(6, 1, new byte[] {0, 1, 1, 0, 0, 0, 100})));
    Map<String, Snapshots.Peer> peers = peers();
    assertThat(peers.get("192.0.2.2").up()).isFalse();
    assertThat(peers.get("192.0.2.2").tables()).allMatch(t -> t.routes() == 0);
    assertThat(peers.get("192.0.2.2").lastDownNotification())
        .isEqualTo("cease/maximum_number_of_prefixes_reached");
    assertThat(peers.get("2001:db8::2").tables().get(0).routes()).isEqualTo(2);
  }

  @Test
  void repeatedPeerDownsWhileDownAreOneDownEvent() {
    byte[] fsm = w().u16(0).toByteArray();
    feed(peerDown(PEER, 2, fsm), peerDown(PEER, 2, fsm), peerDown(PEER, 2, fsm));
    Snapshots.Peer p = peers().get("192.0.2.2");
    assertThat(p.downs())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).isEqualTo("local_no_notification");
              assertThat(d.count()).isEqualTo(1);
            });
    feed(peerUp(PEER), peerDown(PEER, 2, fsm));
    assertThat(peers().get("192.0.2.2").downs().get(0).count()).isEqualTo(2);
    assertThat(router.messageCount(org.bmpexporter.wire.MessageType.PEER_DOWN)).isEqualTo(4);
  }

  @Test
  void sessionEndEmptiesTheRoutersStateButKeepsCounters() {
    feed(routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.0/24", "10.0.1.0/24"))));
    session.close("test");
    Snapshots.Router r = router.snapshot();
    assertThat(r.up()).isFalse();
    assertThat(r.peers()).allMatch(p -> !p.up());
    assertThat(r.peers().get(0).tables()).allMatch(t -> t.routes() == 0 && !t.endOfRib());
    assertThat(r.messages().get("route_monitoring")).isEqualTo(1);
  }

  @Test
  void endOfRibIsPerTable() {
    feed(
        routeMonitoring(PEER, updateV4(new byte[0], nlri("10.0.0.0/24"))),
        routeMonitoring(PEER, updateV4(new byte[0], new byte[0])));
    Snapshots.Table t = peers().get("192.0.2.2").tables().get(0);
    assertThat(t.endOfRib()).isTrue();
    feed(routeMonitoring(PEER, updateV6(false, new byte[0])));
    assertThat(peers().get("192.0.2.2").tables())
        .filteredOn(x -> x.afiSafi().equals("ipv6_unicast"))
        .singleElement()
        .matches(Snapshots.Table::endOfRib);
  }

  private Map<String, Snapshots.Peer> peers() {
    Map<String, Snapshots.Peer> m = new java.util.HashMap<>();
    router.snapshot().peers().forEach(p -> m.put(p.peer(), p));
    return m;
  }
}
