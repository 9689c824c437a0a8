package org.bmpexporter.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.junit.jupiter.api.Test;

/**
 * ADD-PATH decoded by the capabilities of the Peer Up OPENs, per RIB and direction, and the quirks
 * counted when a stream contradicts them; built streams, each delivered to a fresh session in every
 * split a TCP stream can produce (whole, byte by byte, at every single split point, and fixed
 * pseudo-random multi-way splits), all of which must give the same state.
 *
 * <p>Path identifiers 100, 101, 102 make NLRI that cannot be read without path identifiers (the
 * first byte read as a prefix length is 0, 0, 0, then 100: longer than an IPv4 address); NLRI
 * written without path identifiers ("10.0.0.0/24", "10.1.0.0/16", "10.2.0.0/15") cannot be read
 * with them (the third route has only 3 bytes left for a 4-byte path id).
 */
class AddPathQuirksTest {
  private static final int V4 = 1 << 8 | 1;
  private static final int V6 = 2 << 8 | 1;

  /** Per-peer headers: type 0 (global), flags 0 (pre-policy Adj-RIB-In) or O (Adj-RIB-Out). */
  private static final byte[] IN = peerHeader(0, 0, 0, "192.0.2.3", 65003, "192.0.2.3");

  private static final byte[] OUT = peerHeader(0, 0x10, 0, "192.0.2.3", 65003, "192.0.2.3");

  /** Type 3 (Loc-RIB instance), flag F (0x80: filtered), distinguisher 0, address 0.0.0.0. */
  private static final byte[] LOC = peerHeader(3, 0x80, 0, "0.0.0.0", 65001, "192.0.2.1");

  // NLRI fields (see the class comment): three routes with path ids, three without.
  private static final byte[] WITH_IDS =
      concat(nlri(100, "10.0.0.0/24"), nlri(101, "10.1.0.0/16"), nlri(102, "10.2.0.0/15"));
  private static final byte[] WITHOUT_IDS = nlri("10.0.0.0/24", "10.1.0.0/16", "10.2.0.0/15");

  /** The router's OPEN and the peer's, with ADD-PATH modes for IPv4 unicast (0: no capability). */
  private static byte[] adjPeerUp(byte[] header, int routerMode, int peerMode) {
    return peerUp(
        header,
        open(65001, "192.0.2.1", routerMode == 0 ? Map.of() : Map.of(V4, routerMode)),
        open(65003, "192.0.2.3", peerMode == 0 ? Map.of() : Map.of(V4, peerMode)));
  }

  /** A Loc-RIB Peer Up: the same fabricated OPEN twice (RFC 9069), with these ADD-PATH modes. */
  private static byte[] locPeerUp(Map<Integer, Integer> addPath) {
    byte[] o = open(65001, "192.0.2.1", addPath);
    return peerUp(LOC, o, o, tlv(3, "default"));
  }

  /** What a stream leaves: routes per table, decode errors and quirks, in one comparable text. */
  private static String state(byte[] stream, int[] cuts) {
    RouterState router = new RouterState("192.0.2.1", "192.0.2.1", Runnable::run);
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
    Map<String, String> tables = new TreeMap<>();
    for (Snapshots.Peer p : r.peers()) {
      for (Snapshots.Table t : p.tables()) {
        tables.put(
            t.rib() + " " + t.afiSafi(),
            t.routes() + " (+" + t.announcements() + " -" + t.withdrawals() + ")");
      }
    }
    return "routes " + tables + " errors " + r.decodeErrors() + " quirks " + r.quirks();
  }

  /** The state after the stream, checked to be the same in every delivery of it. */
  private static String inEverySplit(byte[]... messages) {
    byte[] stream = concat(messages);
    String whole = state(stream, new int[0]);
    List<int[]> deliveries = new ArrayList<>();
    int[] byByte = new int[stream.length - 1];
    for (int i = 0; i < byByte.length; i++) {
      byByte[i] = i + 1;
      deliveries.add(new int[] {i + 1});
    }
    deliveries.add(byByte);
    Random random = new Random(11); // fixed: the same splits every run
    for (int i = 0; i < 30; i++) {
      deliveries.add(
          random.ints(2 + random.nextInt(6), 1, stream.length).distinct().sorted().toArray());
    }
    for (int[] cuts : deliveries) {
      assertThat(state(stream, cuts)).as("delivered in %d+1 parts", cuts.length).isEqualTo(whole);
    }
    return whole;
  }

  // ------------------------------------------------------------------ Adj-RIB-In

  @Test
  void adjRibInDeclaredAndUsed() {
    // router can receive (1), peer can send (2): routes from the peer carry path ids
    String s =
        inEverySplit(adjPeerUp(IN, 1, 2), routeMonitoring(IN, updateV4(new byte[0], WITH_IDS)));
    assertThat(s).isEqualTo("routes {adj_rib_in_pre ipv4_unicast=3 (+3 -0)} errors {} quirks {}");
  }

  @Test
  void adjRibInDeclaredButAbsent() {
    String s =
        inEverySplit(adjPeerUp(IN, 1, 2), routeMonitoring(IN, updateV4(new byte[0], WITHOUT_IDS)));
    assertThat(s)
        .isEqualTo(
            "routes {adj_rib_in_pre ipv4_unicast=3 (+3 -0)} errors {}"
                + " quirks {adj_rib_in_addpath_absent=1}");
  }

  @Test
  void adjRibInUsedButUndeclared() {
    // the peer can send, but the router did not say it can receive: no path ids declared inbound
    String s =
        inEverySplit(adjPeerUp(IN, 0, 2), routeMonitoring(IN, updateV4(new byte[0], WITH_IDS)));
    assertThat(s)
        .isEqualTo(
            "routes {adj_rib_in_pre ipv4_unicast=3 (+3 -0)} errors {}"
                + " quirks {adj_rib_in_addpath_undeclared=1}");
  }

  // ------------------------------------------------------------------ Adj-RIB-Out

  @Test
  void adjRibOutDeclaredAndUsed() {
    // router can send (2), peer can receive (1): routes to the peer carry path ids
    String s =
        inEverySplit(adjPeerUp(OUT, 2, 1), routeMonitoring(OUT, updateV4(new byte[0], WITH_IDS)));
    assertThat(s).isEqualTo("routes {adj_rib_out_pre ipv4_unicast=3 (+3 -0)} errors {} quirks {}");
  }

  @Test
  void adjRibOutDeclaredButAbsent() {
    String s =
        inEverySplit(
            adjPeerUp(OUT, 2, 1), routeMonitoring(OUT, updateV4(new byte[0], WITHOUT_IDS)));
    assertThat(s)
        .isEqualTo(
            "routes {adj_rib_out_pre ipv4_unicast=3 (+3 -0)} errors {}"
                + " quirks {adj_rib_out_addpath_absent=1}");
  }

  @Test
  void adjRibOutUsedButUndeclared() {
    String s =
        inEverySplit(adjPeerUp(OUT, 0, 1), routeMonitoring(OUT, updateV4(new byte[0], WITH_IDS)));
    assertThat(s)
        .isEqualTo(
            "routes {adj_rib_out_pre ipv4_unicast=3 (+3 -0)} errors {}"
                + " quirks {adj_rib_out_addpath_undeclared=1}");
  }

  @Test
  void theDirectionDecides() {
    // ADD-PATH negotiated inbound only (router receives, peer sends): Adj-RIB-In NLRI carry
    // path ids, Adj-RIB-Out NLRI of the same peer do not; both as declared, so no quirk
    byte[] header = peerHeader(0, 0, 0, "192.0.2.3", 65003, "192.0.2.3");
    String s =
        inEverySplit(
            adjPeerUp(header, 1, 2),
            routeMonitoring(IN, updateV4(new byte[0], WITH_IDS)),
            routeMonitoring(OUT, updateV4(new byte[0], WITHOUT_IDS)));
    assertThat(s)
        .isEqualTo(
            "routes {adj_rib_in_pre ipv4_unicast=3 (+3 -0), adj_rib_out_pre ipv4_unicast=3 (+3 -0)}"
                + " errors {} quirks {}");
    // the same Adj-RIB-Out NLRI with path ids: against the OPENs for that direction
    String out =
        inEverySplit(
            adjPeerUp(header, 1, 2), routeMonitoring(OUT, updateV4(new byte[0], WITH_IDS)));
    assertThat(out).endsWith("errors {} quirks {adj_rib_out_addpath_undeclared=1}");
  }

  // ------------------------------------------------------------------ Loc-RIB

  @Test
  void locRibDeclaredAndUsedWhateverTheSendReceiveValue() {
    // RFC 9069: the capability's presence is enough; mode 2 (send) in the fabricated OPEN
    String s =
        inEverySplit(
            locPeerUp(Map.of(V4, 2)), routeMonitoring(LOC, updateV4(new byte[0], WITH_IDS)));
    assertThat(s).isEqualTo("routes {loc_rib ipv4_unicast=3 (+3 -0)} errors {} quirks {}");
  }

  @Test
  void locRibDeclaredButAbsent() {
    String s =
        inEverySplit(
            locPeerUp(Map.of(V4, 3)), routeMonitoring(LOC, updateV4(new byte[0], WITHOUT_IDS)));
    assertThat(s)
        .isEqualTo(
            "routes {loc_rib ipv4_unicast=3 (+3 -0)} errors {} quirks {loc_rib_addpath_absent=1}");
  }

  @Test
  void locRibUsedButUndeclared() {
    String s =
        inEverySplit(locPeerUp(Map.of()), routeMonitoring(LOC, updateV4(new byte[0], WITH_IDS)));
    assertThat(s)
        .isEqualTo(
            "routes {loc_rib ipv4_unicast=3 (+3 -0)} errors {}"
                + " quirks {loc_rib_addpath_undeclared=1}");
  }

  @Test
  void locRibCapabilitiesAddUpOverTheInstancesPeerUps() {
    // first Peer Up declares IPv6 ADD-PATH, a second one IPv4: both hold, and the IPv6 route
    // received between them stays (a further Loc-RIB Peer Up is no restart)
    String s =
        inEverySplit(
            locPeerUp(Map.of(V6, 3)),
            routeMonitoring(LOC, updateV6(true, nlri(7, "2001:db8:1::/48"))),
            locPeerUp(Map.of(V4, 3)),
            routeMonitoring(LOC, updateV4(new byte[0], WITH_IDS)),
            routeMonitoring(LOC, updateV6(true, nlri(8, "2001:db8:1::/48"))));
    assertThat(s)
        .isEqualTo(
            "routes {loc_rib ipv4_unicast=3 (+3 -0), loc_rib ipv6_unicast=2 (+2 -0)}"
                + " errors {} quirks {}");
  }

  @Test
  void aLocRibPeerDownEndsTheAddedUpCapabilities() {
    // down (reason 6, RFC 9069), then up again declaring IPv6 only: IPv4 path ids undeclared
    String s =
        inEverySplit(
            locPeerUp(Map.of(V4, 3)),
            peerDown(LOC, 6, new byte[0]),
            locPeerUp(Map.of(V6, 3)),
            routeMonitoring(LOC, updateV4(new byte[0], WITH_IDS)));
    assertThat(s).endsWith("errors {} quirks {loc_rib_addpath_undeclared=1}");
  }

  // ------------------------------------------------------------------ one mode per UPDATE

  @Test
  void aReparsedUpdateAppliesEachRouteOnce() {
    // No ADD-PATH declared. The withdrawn field "00000001 18 0a0000" (path id 1, 10.0.0.0/24)
    // also parses without path ids (as 0/0, 0/0, 0/0, 0.0.0.0/1, 0.0.0.0/10), the NLRI field
    // only with them: the whole UPDATE is read with path ids, so one withdrawal, three routes.
    String s =
        inEverySplit(
            adjPeerUp(IN, 0, 0), routeMonitoring(IN, updateV4(nlri(1, "10.0.0.0/24"), WITH_IDS)));
    assertThat(s)
        .isEqualTo(
            "routes {adj_rib_in_pre ipv4_unicast=3 (+3 -1)} errors {}"
                + " quirks {adj_rib_in_addpath_undeclared=1}");
  }

  @Test
  void theModeTheStreamProvedIsKeptForAmbiguousUpdates() {
    // After the first UPDATE proved path ids, "00000001 18 0a0000" (10.0.0.0/24 path id 1),
    // which would also parse without path ids, is read with them: 4 routes, each UPDATE counted.
    String s =
        inEverySplit(
            adjPeerUp(IN, 0, 0),
            routeMonitoring(IN, updateV4(new byte[0], WITH_IDS)),
            routeMonitoring(IN, updateV4(new byte[0], nlri(1, "10.0.0.0/24"))));
    assertThat(s)
        .isEqualTo(
            "routes {adj_rib_in_pre ipv4_unicast=4 (+4 -0)} errors {}"
                + " quirks {adj_rib_in_addpath_undeclared=2}");
    // until the next Peer Up: then the declared mode (none) reads it again, as 5 prefixes
    String after =
        inEverySplit(
            adjPeerUp(IN, 0, 0),
            routeMonitoring(IN, updateV4(new byte[0], WITH_IDS)),
            adjPeerUp(IN, 0, 0),
            routeMonitoring(IN, updateV4(new byte[0], nlri(1, "10.0.0.0/24"))));
    assertThat(after)
        .isEqualTo(
            "routes {adj_rib_in_pre ipv4_unicast=3 (+8 -0)} errors {}"
                + " quirks {adj_rib_in_addpath_undeclared=1}");
  }

  @Test
  void nlriThatParseNeitherWayAreAnErrorAndApplyNothing() {
    // prefix length 33 for IPv4 (0x21), with or without a path id in front
    byte[] bad = hex("21 0a000000 00");
    String s =
        inEverySplit(
            adjPeerUp(IN, 1, 2),
            routeMonitoring(IN, updateV4(new byte[0], concat(nlri(100, "10.9.0.0/16"), bad))));
    assertThat(s).isEqualTo("routes {} errors {malformed_nlri=1} quirks {}");
  }

  // ------------------------------------------------------------------ Huawei VRP 8.230

  @Test
  void huaweiLocRibStreamWithPathIdsAndTrailingTlvs() {
    // As Huawei VRP 8.230 sends a Loc-RIB instance: Peer Up with ADD-PATH send+receive (3) for
    // IPv4 and IPv6 unicast, Route Monitoring with path ids, each followed by the 8-byte TLV
    // "ea62 0004 00000001" (type 0xEA62, length 4) after the UPDATE.
    byte[] tlv = hex("ea62 0004 00000001");
    String s =
        inEverySplit(
            locPeerUp(Map.of(V4, 3, V6, 3)),
            routeMonitoring(LOC, concat(updateV4(new byte[0], nlri(1, "10.0.0.0/24")), tlv)),
            routeMonitoring(LOC, concat(updateV4(new byte[0], nlri(2, "10.0.0.0/24")), tlv)),
            routeMonitoring(LOC, concat(updateV6(true, nlri(1, "2001:db8::/32")), tlv)),
            routeMonitoring(LOC, concat(updateV4(nlri(1, "10.0.0.0/24"), new byte[0]), tlv)));
    assertThat(s)
        .isEqualTo(
            "routes {loc_rib ipv4_unicast=1 (+2 -1), loc_rib ipv6_unicast=1 (+1 -0)}"
                + " errors {} quirks {trailing_tlv_enterprise=4}");
  }
}
