package org.bmpexporter.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import org.bmpexporter.testing.BmpTestParser;
import org.junit.jupiter.api.Test;

/** The exporter's start-up warm-up session, read back by the strict independent parser. */
class WarmupStreamTest {
  @Test
  void sessionHoldsTheShapesRoutersSendAndEndsCleanly() {
    int v4 = 2_000;
    int v6 = 500;
    BmpTestParser p = BmpTestParser.parse(WarmupStream.session(v4, v6, 1));

    assertThat(p.messages)
        .containsEntry("initiation", 1)
        .containsEntry("peer_up", 4)
        .containsEntry("peer_down", 2)
        .containsEntry("statistics_report", 1)
        .containsEntry("termination", 1);
    assertThat(p.terminationReasons).containsExactly(0);

    BmpTestParser.Peer plain = p.peers.get("10.0.0.1");
    BmpTestParser.Peer addPath = p.peers.get("10.0.0.2");
    BmpTestParser.Peer loc = p.peers.get("loc:0.0.0.0");
    assertThat(plain.addPath).containsEntry(1, false).containsEntry(2, false);
    assertThat(addPath.addPath).containsEntry(1, true).containsEntry(2, true);
    for (BmpTestParser.Peer peer : new BmpTestParser.Peer[] {plain, addPath}) {
      for (String rib : new String[] {"adj_rib_in_pre", "adj_rib_in_post"}) {
        assertThat(peer.table(rib, "ipv4_unicast").endOfRib).isTrue();
        assertThat(peer.table(rib, "ipv6_unicast").endOfRib).isTrue();
        // Peer Down emptied the tables at the end
        assertThat(peer.table(rib, "ipv4_unicast").routes).isEmpty();
      }
    }
    assertThat(addPath.table("adj_rib_in_pre", "ipv4_unicast").announced).isEqualTo(v4);
    assertThat(plain.table("adj_rib_in_pre", "ipv4_unicast").withdrawn).isEqualTo(v4 / 10);
    assertThat(plain.table("adj_rib_in_pre", "ipv4_unicast").announced).isEqualTo(v4 + v4 / 10);
    assertThat(plain.downDetail).containsExactly("reason=2");
    assertThat(addPath.downDetail).containsExactly("reason=3 notification=6/2");
    // Loc-RIB has no Peer Down: its routes stay until the session ends
    assertThat(loc.table("loc_rib", "ipv4_unicast").routes).hasSize(v4);
    assertThat(loc.table("loc_rib", "ipv6_unicast").routes).hasSize(v6);
    assertThat(plain.stats).containsEntry(7, (long) (v4 + v6));

    // the FRR-shaped peer: a dense run of /24s, one per message, pre- and post-policy in turn
    BmpTestParser.Peer frr = p.peers.get("10.0.0.3");
    for (String rib : new String[] {"adj_rib_in_pre", "adj_rib_in_post"}) {
      assertThat(frr.table(rib, "ipv4_unicast").announced).isEqualTo(WarmupStream.DENSE_V4);
      assertThat(frr.table(rib, "ipv4_unicast").routes).hasSize(WarmupStream.DENSE_V4);
      assertThat(frr.table(rib, "ipv4_unicast").endOfRib).isTrue();
    }

    // both packings: one prefix per UPDATE and full UPDATEs of 200
    assertThat(p.prefixesPerAnnounceUpdate).contains(1, WarmupStream.PACKED);
  }
}
