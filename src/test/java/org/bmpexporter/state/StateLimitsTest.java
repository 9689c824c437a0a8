package org.bmpexporter.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.StateLimits.Limit;
import org.junit.jupiter.api.Test;

/**
 * Each limit of {@link StateLimits} at the state level: below it nothing is dropped and the flag is
 * 0; once reached, later additions are dropped and counted, what is held stays exact, and the flag
 * is 1.
 */
class StateLimitsTest {
  private static final byte[] PEER_A = globalPeer("192.0.2.2", 65002);
  private static final byte[] PEER_B = globalPeer("192.0.2.3", 65003);
  private static final byte[] PEER_C = globalPeer("192.0.2.4", 65004);

  private static StateLimits limits(Limit limit, long value) {
    return limits(limit, value, Long.MAX_VALUE);
  }

  private static StateLimits limits(Limit limit, long value, long routesTotal) {
    return new StateLimits(
        limit == Limit.PEERS ? (int) value : Integer.MAX_VALUE,
        limit == Limit.TABLES ? (int) value : Integer.MAX_VALUE,
        limit == Limit.STAT_TYPES ? (int) value : Integer.MAX_VALUE,
        limit == Limit.ROUTES ? value : Long.MAX_VALUE,
        limit == Limit.ROUTES_TOTAL ? value : routesTotal,
        limit == Limit.SESSIONS_PER_ADDRESS ? (int) value : 64);
  }

  /** A router with a session open, fed through the real session code. */
  private static final class Router {
    final RouterState state;
    final BmpSession session;

    Router(String address, StateLimits limits) {
      state = new RouterState(address, address, Runnable::run, limits);
      session = new BmpSession(state, 1 << 20, () -> 1000.0);
      session.open();
    }

    Router feed(byte[]... messages) {
      byte[] all = concat(messages);
      session.feed(all, 0, all.length);
      return this;
    }

    Snapshots.Peer peer(String address) {
      return state.snapshot().peers().stream()
          .filter(p -> p.peer().equals(address))
          .findFirst()
          .orElseThrow();
    }

    long routes(String peer, String rib, String afiSafi) {
      return table(peer, rib, afiSafi).routes();
    }

    Snapshots.Table table(String peer, String rib, String afiSafi) {
      return peer(peer).tables().stream()
          .filter(t -> t.rib().equals(rib) && t.afiSafi().equals(afiSafi))
          .findFirst()
          .orElseThrow();
    }
  }

  private static byte[] announce(byte[] peer, String... prefixes) {
    return routeMonitoring(peer, updateV4(new byte[0], nlri(prefixes)));
  }

  private static byte[] withdraw(byte[] peer, String... prefixes) {
    return routeMonitoring(peer, updateV4(nlri(prefixes), new byte[0]));
  }

  /** The End-of-RIB marker of an AFI/SAFI: an UPDATE with an empty MP_UNREACH_NLRI. */
  private static byte[] endOfRib(byte[] peer, int afi, int safi) {
    return routeMonitoring(peer, update(new byte[0], mpUnreach(afi, safi), new byte[0]));
  }

  /** Every limit but {@code except} reports nothing. */
  private static void othersUntouched(RouterState r, Limit except) {
    for (Limit l : EnumSet.complementOf(EnumSet.of(except))) {
      assertThat(r.limitReached(l)).as(l.label()).isFalse();
      assertThat(r.dropped(l)).as(l.label()).isZero();
    }
  }

  @Test
  void belowEveryLimitNothingIsDroppedAndNoFlagIsSet() {
    StateLimits limits = new StateLimits(2, 2, 2, 3, 3, 2);
    Router r =
        new Router("192.0.2.1", limits)
            .feed(
                peerUp(PEER_A),
                peerUp(PEER_B),
                announce(PEER_A, "10.0.0.0/24", "10.0.1.0/24"),
                announce(PEER_B, "10.0.2.0/24"),
                statistics(PEER_A, stat32(0, 1), stat64(7, 3)));
    for (Limit l : Limit.values()) {
      assertThat(r.state.limitReached(l)).as(l.label()).isFalse();
      assertThat(r.state.dropped(l)).as(l.label()).isZero();
    }
    assertThat(r.state.routes()).isEqualTo(3);
    assertThat(limits.routes()).isEqualTo(3);
    assertThat(r.state.snapshot().limits())
        .hasSize(Limit.values().length)
        .allSatisfy(l -> assertThat(l.reached()).isFalse());
  }

  @Test
  void peersBeyondTheLimitAreIgnoredAndCounted() {
    Router r =
        new Router("192.0.2.1", limits(Limit.PEERS, 2))
            .feed(
                peerUp(PEER_A),
                peerUp(PEER_B),
                announce(PEER_A, "10.0.0.0/24"),
                peerUp(PEER_C), // dropped
                announce(PEER_C, "10.9.0.0/24"), // dropped
                statistics(PEER_C, stat32(0, 1)), // dropped
                announce(PEER_B, "10.0.1.0/24", "10.0.2.0/24"));
    assertThat(r.state.snapshot().peers())
        .extracting(Snapshots.Peer::peer)
        .containsExactly("192.0.2.2", "192.0.2.3");
    assertThat(r.state.dropped(Limit.PEERS)).isEqualTo(3);
    assertThat(r.state.limitReached(Limit.PEERS)).isTrue();
    assertThat(r.routes("192.0.2.2", "adj_rib_in_pre", "ipv4_unicast")).isEqualTo(1);
    assertThat(r.routes("192.0.2.3", "adj_rib_in_pre", "ipv4_unicast")).isEqualTo(2);
    assertThat(r.state.routes()).isEqualTo(3);
    othersUntouched(r.state, Limit.PEERS);
  }

  @Test
  void tablesBeyondTheLimitAreIgnoredAndCountedUnknownEndOfRibMarkersIncluded() {
    Router r =
        new Router("192.0.2.1", limits(Limit.TABLES, 2))
            .feed(
                peerUp(PEER_A),
                announce(PEER_A, "10.0.0.0/24"),
                routeMonitoring(PEER_A, updateV6(true, nlri("2001:db8:1::/48"))));
    for (int afi = 100; afi < 110; afi++) {
      r.feed(endOfRib(PEER_A, afi, 1)); // unknown AFI/SAFI: would be a table each
    }
    r.feed(
        announce(postPolicy(PEER_A), "10.0.0.0/24"), // a third table: dropped
        withdraw(postPolicy(PEER_A), "10.0.0.0/24"), // nothing to drop
        announce(PEER_A, "10.0.1.0/24")); // an existing table still grows
    assertThat(r.peer("192.0.2.2").tables())
        .extracting(t -> t.rib() + " " + t.afiSafi())
        .containsExactlyInAnyOrder("adj_rib_in_pre ipv4_unicast", "adj_rib_in_pre ipv6_unicast");
    assertThat(r.routes("192.0.2.2", "adj_rib_in_pre", "ipv4_unicast")).isEqualTo(2);
    assertThat(r.routes("192.0.2.2", "adj_rib_in_pre", "ipv6_unicast")).isEqualTo(1);
    assertThat(r.state.dropped(Limit.TABLES)).isEqualTo(11);
    assertThat(r.state.limitReached(Limit.TABLES)).isTrue();
    othersUntouched(r.state, Limit.TABLES);
  }

  @Test
  void statisticsTypesBeyondTheLimitAreIgnoredAndKnownOnesStillUpdate() {
    Router r =
        new Router("192.0.2.1", limits(Limit.STAT_TYPES, 3))
            .feed(
                peerUp(PEER_A),
                statistics(
                    PEER_A,
                    stat32(0, 1),
                    statAfi(9, 1, 1, 5),
                    stat32(1000, 1), // unknown type, the third: kept
                    stat32(1001, 1), // dropped
                    stat32(1002, 1), // dropped
                    statAfi(9, 2, 1, 6))); // a new type x AFI/SAFI: dropped
    r.feed(statistics(PEER_A, stat32(0, 42), stat32(1003, 1)));
    Snapshots.Peer p = r.peer("192.0.2.2");
    assertThat(p.statCounters())
        .extracting(c -> c.statType() + "=" + c.value())
        .containsExactly("rejected_prefixes=42", "type_1000=1");
    assertThat(p.statGauges())
        .extracting(g -> g.statType() + " " + g.afiSafi())
        .containsExactly("adj_rib_in_routes ipv4_unicast");
    assertThat(r.state.dropped(Limit.STAT_TYPES)).isEqualTo(4);
    assertThat(r.state.limitReached(Limit.STAT_TYPES)).isTrue();
    othersUntouched(r.state, Limit.STAT_TYPES);
  }

  @Test
  void routesBeyondTheRouterLimitAreNotAddedUntilTheNextSession() {
    StateLimits limits = limits(Limit.ROUTES, 5);
    Router r =
        new Router("192.0.2.1", limits)
            .feed(
                peerUp(PEER_A),
                peerUp(PEER_B),
                announce(PEER_A, "10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"),
                announce(PEER_B, "10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"),
                announce(PEER_A, "10.0.0.0/24")); // a replacement: not an addition
    assertThat(r.state.routes()).isEqualTo(5);
    assertThat(r.routes("192.0.2.2", "adj_rib_in_pre", "ipv4_unicast")).isEqualTo(3);
    assertThat(r.routes("192.0.2.3", "adj_rib_in_pre", "ipv4_unicast")).isEqualTo(2);
    assertThat(r.state.dropped(Limit.ROUTES)).isEqualTo(2);
    assertThat(r.state.limitReached(Limit.ROUTES)).isTrue();
    Snapshots.Table b = r.table("192.0.2.3", "adj_rib_in_pre", "ipv4_unicast");
    assertThat(b.announcements()).isEqualTo(4); // seen, even if kept out
    assertThat(b.withdrawals()).isZero(); // kept out is not withdrawn

    // a withdrawal makes room; the flag stays: the table still misses what was kept out
    r.feed(withdraw(PEER_A, "10.0.0.0/24"), announce(PEER_B, "10.1.3.0/24"));
    assertThat(r.routes("192.0.2.3", "adj_rib_in_pre", "ipv4_unicast")).isEqualTo(3);
    assertThat(r.state.routes()).isEqualTo(5);
    assertThat(limits.routes()).isEqualTo(5);
    assertThat(r.state.limitReached(Limit.ROUTES)).isTrue();
    othersUntouched(r.state, Limit.ROUTES);

    // the session ends: every route goes, and the router starts afresh
    r.session.close("test");
    assertThat(r.state.limitReached(Limit.ROUTES)).isFalse();
    assertThat(r.state.dropped(Limit.ROUTES)).isEqualTo(2); // a counter
    assertThat(limits.routes()).isZero();
  }

  @Test
  void theTotalIsSharedByRoutersAndFreedByAPeerDown() {
    StateLimits limits = limits(Limit.ROUTES_TOTAL, 6);
    Router a = new Router("192.0.2.1", limits).feed(peerUp(PEER_A));
    Router b = new Router("192.0.2.9", limits).feed(peerUp(PEER_A));
    a.feed(announce(PEER_A, "10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"));
    b.feed(announce(PEER_A, "10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"));
    assertThat(a.state.routes()).isEqualTo(4);
    assertThat(b.state.routes()).isEqualTo(2);
    assertThat(limits.routes()).isEqualTo(6);
    assertThat(b.state.dropped(Limit.ROUTES_TOTAL)).isEqualTo(2);
    assertThat(b.state.limitReached(Limit.ROUTES_TOTAL)).isTrue();
    othersUntouched(a.state, Limit.SESSIONS_PER_ADDRESS); // a kept everything
    othersUntouched(b.state, Limit.ROUTES_TOTAL);

    a.feed(peerDown(PEER_A, 2, new byte[] {0, 0})); // a's four routes go
    assertThat(limits.routes()).isEqualTo(2);
    b.feed(announce(PEER_A, "10.1.2.0/24", "10.1.3.0/24"));
    assertThat(b.state.routes()).isEqualTo(4);
    assertThat(limits.routes()).isEqualTo(4);
    assertThat(b.state.dropped(Limit.ROUTES_TOTAL)).isEqualTo(2);
  }

  @Test
  void sessionsBeyondThePerAddressLimitAreRefusedAndCountedOnTheAddress() {
    RouterRegistry registry = new RouterRegistry(60, limits(Limit.SESSIONS_PER_ADDRESS, 2));
    RouterState first = registry.attach("192.0.2.1", Runnable::run);
    RouterState second = registry.attach("192.0.2.1", Runnable::run);
    assertThat(second.label()).isEqualTo("192.0.2.1#2");
    assertThat(first.limitReached(Limit.SESSIONS_PER_ADDRESS)).isFalse();

    assertThat(registry.attach("192.0.2.1", Runnable::run)).isNull();
    assertThat(registry.attach("192.0.2.1", Runnable::run)).isNull();
    assertThat(registry.attach("192.0.2.7", Runnable::run)).isNotNull(); // other addresses: free
    assertThat(registry.routers()).hasSize(3);
    assertThat(first.dropped(Limit.SESSIONS_PER_ADDRESS)).isEqualTo(2);
    assertThat(first.limitReached(Limit.SESSIONS_PER_ADDRESS)).isTrue();
    othersUntouched(first, Limit.SESSIONS_PER_ADDRESS);
    assertThat(first.snapshot().limits())
        .contains(new Snapshots.LimitState("sessions_per_address", true, 2));

    // a session of the address ends: a slot is free, the next session takes it
    second.sessionClosed(1);
    registry.detach(second);
    assertThat(first.limitReached(Limit.SESSIONS_PER_ADDRESS)).isFalse();
    assertThat(registry.attach("192.0.2.1", Runnable::run)).isSameAs(second);
    assertThat(first.dropped(Limit.SESSIONS_PER_ADDRESS)).isEqualTo(2);
  }

  @Test
  void aRouterWhoseSnapshotFailsIsLeftOutAndTheOthersAreNot() {
    RouterRegistry registry = new RouterRegistry(60);
    RouterState good = registry.attach("192.0.2.1", Runnable::run);
    good.countMessage(org.bmpexporter.wire.MessageType.PEER_UP);
    // a router whose state is broken (the snapshot throws) ...
    RouterState broken = registry.attach("192.0.2.2", Runnable::run);
    broken.errors.put(DecodeError.BAD_LENGTH, null);
    // ... and one whose event loop refuses work (shutting down)
    registry.attach(
        "192.0.2.3",
        task -> {
          throw new RejectedExecutionException("event loop closed");
        });

    for (int scrape = 1; scrape <= 2; scrape++) {
      List<Snapshots.Router> snapshots = registry.snapshots(1000);
      assertThat(snapshots).extracting(Snapshots.Router::router).containsExactly("192.0.2.1");
      assertThat(snapshots.get(0).messages()).containsEntry("peer_up", 1L);
      assertThat(registry.snapshotFailures()).isEqualTo(2L * scrape);
    }
    assertThat(registry.snapshot("192.0.2.2", 1000)).isEmpty();
    assertThat(registry.snapshot("192.0.2.3", 1000)).isEmpty();
    assertThat(registry.snapshot("192.0.2.1", 1000)).isPresent();
  }
}
