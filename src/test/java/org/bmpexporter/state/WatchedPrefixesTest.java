package org.bmpexporter.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.StateLimits.Limit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watched prefixes through a real session: presence, origin AS and more-specifics follow
 * announcements, withdrawals, ADD-PATH paths, Peer Down, session end and reloads.
 */
class WatchedPrefixesTest {
  private static final byte[] PEER = globalPeer("192.0.2.2", 65002);
  private static final int V4 = 1 << 8 | 1;

  private Watches watches;
  private RouterState router;
  private BmpSession session;

  static WatchList.Entry entry(
      String name, String prefix, String rd, Set<Long> origins, boolean more) {
    String[] parts = prefix.split("/");
    return new WatchList.Entry(name, ip(parts[0]), Integer.parseInt(parts[1]), rd, origins, more);
  }

  private static WatchList list(WatchList.Entry... entries) {
    return new WatchList(List.of(entries), 10_000);
  }

  @BeforeEach
  void setUp() {
    watches =
        new Watches(
            list(
                entry("docs", "192.0.2.0/24", "", Set.of(64500L), false),
                entry("v6", "2001:db8::/32", "", Set.of(), true)));
    router =
        new RouterState("192.0.2.1", "192.0.2.1", Runnable::run, StateLimits.unlimited(), watches);
    session = new BmpSession(router, 1 << 20, () -> 1000.0);
    session.open();
    feed(initiation("r1", "test router"), peerUp(PEER));
  }

  private void feed(byte[]... messages) {
    byte[] all = concat(messages);
    session.feed(all, 0, all.length);
  }

  private static byte[] announce(byte[] peer, byte[] asPath, byte[] nlri) {
    return routeMonitoring(
        peer, update(new byte[0], concat(origin(0), asPath, nextHop("192.0.2.2")), nlri));
  }

  private static byte[] withdraw(byte[] peer, byte[] nlri) {
    return routeMonitoring(peer, update(nlri, new byte[0], new byte[0]));
  }

  private List<Snapshots.Watched> watched() {
    return router.snapshot().peers().get(0).watched();
  }

  private Snapshots.Watched docs() {
    return watched().stream().filter(w -> w.watch().equals("docs")).findFirst().orElseThrow();
  }

  @Test
  void exactPrefixFromTheExpectedOriginThenAnotherThenWithdrawn() {
    feed(announce(PEER, asPath4(65002, 64500), nlri("192.0.2.0/24")));
    Snapshots.Watched w = docs();
    assertThat(w.present()).isTrue();
    assertThat(w.rib()).isEqualTo("adj_rib_in_pre");
    assertThat(w.afiSafi()).isEqualTo("ipv4_unicast");
    assertThat(w.origins()).containsExactly("64500");
    assertThat(w.unexpectedOrigin()).isFalse();

    feed(announce(PEER, asPath4(65002, 64666), nlri("192.0.2.0/24")));
    w = docs();
    assertThat(w.origins()).containsExactly("64666");
    assertThat(w.unexpectedOrigin()).isTrue();

    feed(withdraw(PEER, nlri("192.0.2.0/24")));
    w = docs();
    assertThat(w.present()).isFalse();
    assertThat(w.exactSeen()).isTrue();
    assertThat(w.origins()).isEmpty();
    assertThat(w.unexpectedOrigin()).isFalse();
  }

  @Test
  void moreSpecificsAreCountedWithTheirOrigins() {
    feed(
        announce(PEER, asPath4(65002, 64500), nlri("192.0.2.0/24")),
        announce(PEER, asPath4(65002, 64777), nlri("192.0.2.0/25", "192.0.2.128/25")),
        announce(PEER, asPath4(65002, 64777), nlri("192.0.3.0/25"))); // not within
    Snapshots.Watched w = docs();
    assertThat(w.moreSpecifics()).isEqualTo(2);
    assertThat(w.moreSpecificOrigins()).containsExactly("64777");
    assertThat(w.unexpectedOrigin()).as("a more-specific from an unexpected origin").isTrue();
    assertThat(w.origins()).containsExactly("64500");

    feed(withdraw(PEER, nlri("192.0.2.0/25")));
    assertThat(docs().moreSpecifics()).isEqualTo(1);
    feed(withdraw(PEER, nlri("192.0.2.128/25")));
    w = docs();
    assertThat(w.moreSpecifics()).isZero();
    assertThat(w.moreSpecificsSeen()).isTrue();
    assertThat(w.unexpectedOrigin()).isFalse();
  }

  @Test
  void aTableWhereOnlyAMoreSpecificWasSeenDoesNotShowTheExactPrefix() {
    feed(announce(PEER, asPath4(65002, 64500), nlri("192.0.2.64/26")));
    Snapshots.Watched w = docs();
    assertThat(w.exactSeen()).isFalse();
    assertThat(w.moreSpecifics()).isEqualTo(1);
  }

  @Test
  void unwatchedRoutesLeaveNoTrace() {
    feed(announce(PEER, asPath4(65002, 64500), nlri("10.0.0.0/8", "192.0.0.0/16", "192.0.3.0/24")));
    assertThat(watched()).isEmpty();
    assertThat(router.snapshot().peers().get(0).tables().get(0).routes()).isEqualTo(3);
  }

  @Test
  void peerDownAndSessionEndLeaveTheWatchedPrefixAbsent() {
    feed(
        announce(PEER, asPath4(65002, 64500), nlri("192.0.2.0/24", "192.0.2.0/25")),
        peerDown(PEER, 2, new byte[] {0, 1}));
    Snapshots.Watched w = docs();
    assertThat(w.exactSeen()).isTrue();
    assertThat(w.present()).isFalse();
    assertThat(w.moreSpecifics()).isZero();

    feed(peerUp(PEER), announce(PEER, asPath4(65002, 64500), nlri("192.0.2.0/24")));
    assertThat(docs().present()).isTrue();
    session.close("test");
    assertThat(docs().present()).isFalse();
  }

  @Test
  void addPathPrefixIsPresentWhileAnyPathIsWithTheOriginsOfAll() {
    byte[] peer = globalPeer("192.0.2.3", 65003);
    feed(
        peerUp(
            peer, open(65001, "192.0.2.1", Map.of(V4, 3)), open(65003, "192.0.2.3", Map.of(V4, 3))),
        announce(peer, asPath4(65003, 64500), nlri(1, "192.0.2.0/24")),
        announce(peer, asPath4(65003, 64501), nlri(2, "192.0.2.0/24")));
    Snapshots.Watched w = watchedOf("192.0.2.3");
    assertThat(w.present()).isTrue();
    assertThat(w.origins()).containsExactly("64500", "64501");
    assertThat(w.unexpectedOrigin()).isTrue();

    feed(withdraw(peer, nlri(2, "192.0.2.0/24")));
    w = watchedOf("192.0.2.3");
    assertThat(w.present()).isTrue();
    assertThat(w.origins()).containsExactly("64500");
    assertThat(w.unexpectedOrigin()).isFalse();

    feed(withdraw(peer, nlri(1, "192.0.2.0/24")));
    assertThat(watchedOf("192.0.2.3").present()).isFalse();
  }

  private Snapshots.Watched watchedOf(String peer) {
    return router.snapshot().peers().stream()
        .filter(p -> p.peer().equals(peer))
        .findFirst()
        .orElseThrow()
        .watched()
        .get(0);
  }

  @Test
  void anAsSetOriginIsNone() {
    byte[] path =
        attr(
            0x40,
            2,
            new ByteWriter()
                .u8(2)
                .u8(1)
                .u32(65002)
                .u8(1)
                .u8(2)
                .u32(64500)
                .u32(64501)
                .toByteArray());
    feed(announce(PEER, path, nlri("192.0.2.0/24")));
    assertThat(docs().origins()).containsExactly("none");
    assertThat(docs().unexpectedOrigin()).isTrue();
  }

  @Test
  void twoOctetSessionsTakeTheOriginFromAs4Path() {
    byte[] legacy = peerHeader(0, 0x20, 0, "192.0.2.4", 65004, "192.0.2.4"); // A flag
    byte[] asPath = asPath2(65004, 23456);
    byte[] as4Path = attr(0xc0, 17, new ByteWriter().u8(2).u8(1).u32(4200000001L).toByteArray());
    feed(
        peerUp(legacy),
        routeMonitoring(
            legacy,
            update(
                new byte[0],
                concat(origin(0), asPath, nextHop("192.0.2.4"), as4Path),
                nlri("192.0.2.0/24"))));
    assertThat(watchedOf("192.0.2.4").origins()).containsExactly("4200000001");
  }

  @Test
  void ipv6PrefixesAndTheirMoreSpecifics() {
    feed(
        routeMonitoring(PEER, updateV6(true, prefixes("2001:db8::/32", "2001:db8:1::/48"))),
        routeMonitoring(PEER, updateV6(true, prefixes("2001:db9::/32"))));
    Snapshots.Watched w =
        watched().stream().filter(x -> x.watch().equals("v6")).findFirst().orElseThrow();
    assertThat(w.present()).isTrue();
    assertThat(w.afiSafi()).isEqualTo("ipv6_unicast");
    assertThat(w.origins()).containsExactly("65002");
    assertThat(w.moreSpecifics()).isEqualTo(1);
    assertThat(w.unexpectedOrigin()).as("any origin expected").isFalse();
  }

  @Test
  void aWatchWithAnRdMatchesOnlyTablesOfPeersWithThatRd() {
    watches.set(
        list(
            entry("vrf", "192.0.2.0/24", "65000:100", Set.of(), false),
            entry("any", "198.51.100.0/24", "", Set.of(), false)));
    byte[] vrfPeer = peerHeader(1, 0, 65000L << 32 | 100, "192.0.2.5", 65005, "192.0.2.5");
    byte[] otherVrf = peerHeader(1, 0, 65000L << 32 | 200, "192.0.2.6", 65006, "192.0.2.6");
    feed(
        peerUp(vrfPeer),
        peerUp(otherVrf),
        announce(vrfPeer, asPath4(65005), nlri("192.0.2.0/24", "198.51.100.0/24")),
        announce(otherVrf, asPath4(65006), nlri("192.0.2.0/24", "198.51.100.0/24")));
    assertThat(router.snapshot().peers().stream().filter(p -> p.peer().equals("192.0.2.5")))
        .singleElement()
        .satisfies(p -> assertThat(p.watched()).extracting("watch").containsExactly("vrf", "any"));
    assertThat(router.snapshot().peers().stream().filter(p -> p.peer().equals("192.0.2.6")))
        .singleElement()
        .satisfies(p -> assertThat(p.watched()).extracting("watch").containsExactly("any"));
  }

  @Test
  void aReloadKeepsWhatWasSeenOfPrefixesStillWatchedAndForgetsTheOthers() {
    feed(
        announce(PEER, asPath4(65002, 64500), nlri("192.0.2.0/24")),
        routeMonitoring(PEER, updateV6(true, prefixes("2001:db8::/32"))));
    long version = router.version();
    watches.set(list(entry("renamed", "192.0.2.0/24", "", Set.of(64999L), false)));
    assertThat(router.version()).as("a reload changes every router's page").isNotEqualTo(version);
    List<Snapshots.Watched> w = watched();
    assertThat(w).extracting("watch").containsExactly("renamed");
    assertThat(w.get(0).present()).isTrue();
    assertThat(w.get(0).unexpectedOrigin()).as("checked against the new origins").isTrue();
    // a newly watched prefix is known from the next UPDATE that carries it
    watches.set(list(entry("fresh", "198.51.100.0/24", "", Set.of(), false)));
    assertThat(watched()).isEmpty();
    feed(announce(PEER, asPath4(65002, 64500), nlri("198.51.100.0/24")));
    assertThat(watched()).extracting("watch").containsExactly("fresh");
  }

  @Test
  void moreSpecificsBeyondTheLimitAreNotTrackedAndCounted() {
    watches.set(new WatchList(List.of(entry("docs", "192.0.2.0/24", "", Set.of(), true)), 2));
    feed(
        announce(
            PEER,
            asPath4(65002, 64500),
            nlri("192.0.2.0/26", "192.0.2.64/26", "192.0.2.128/26", "192.0.2.192/26")));
    assertThat(docs().moreSpecifics()).isEqualTo(2);
    assertThat(router.dropped(Limit.WATCH_MORE_SPECIFICS)).isEqualTo(2);
    assertThat(router.limitReached(Limit.WATCH_MORE_SPECIFICS)).isTrue();
  }
}
