package org.bmpexporter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The exporter against real routers: one shared {@link InteropLab} topology, scenarios in a fixed
 * order, each asserting the exporter's metrics against the routers' own truth (vtysh / gobgp JSON)
 * and the known injected {@link RouteSet}. Counts are compared exactly and must hold for {@link
 * #STABLE} (a table passing through the expected size on its way elsewhere does not pass). Step s1b
 * and parts of s3 and s5 run the project's dashboards and rules on the lab's live data ({@link
 * LiveMonitoring}).
 *
 * <p>Router quirks are handled deliberately (see docs/interop.md):
 *
 * <ul>
 *   <li>FRR 8.4 reports pre-policy correctly only in an initial table dump. Routes that arrive
 *       while the BMP session is up are reported pre-policy only if the inbound policy accepts them
 *       (denied ones come as pre-policy withdrawals): after any FRR peer flap or re-announce,
 *       adj_rib_in_pre == adj_rib_in_post. {@link #frrPreFromDump} tracks which case holds.
 *   <li>FRR 8.4 sends no pre-policy withdrawal when a peer withdraws a route its policy denied:
 *       after "withdraw all", the denied prefixes of the initial dump stay in adj_rib_in_pre.
 *   <li>GoBGP 3.10 sends no post-policy withdrawal when a peer withdraws routes (pre-policy and
 *       Loc-RIB withdrawals only): after "withdraw all", adj_rib_in_post keeps its routes.
 *   <li>FRR 8.4's initial dump lists a prefix that every peer's policy denied in the pre-policy
 *       table of only one of the peers (which one varies): per peer, the IPv6 pre-policy count lies
 *       between accepted and received, and the sum over FRR's two IPv6 peers is exact.
 *   <li>FRR sends a Peer Down again for every failed reconnect while a peer is down: Peer Down
 *       counters are asserted to increase, not to increase by exactly one.
 *   <li>FRR encodes local Cease (clear, max-prefix) as reason 2 (FSM event, no NOTIFICATION).
 *   <li>GoBGP's Peer Down after a NOTIFICATION it sent races with the socket close: reason 1 with
 *       the NOTIFICATION, or reason 4.
 * </ul>
 */
@Tag("interop")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
class ScenariosIT {
  static final String FRR = InteropLab.FRR_ROUTER;
  static final String GOBGP = InteropLab.GOBGP_ROUTER;
  static final String INJ = GobgpInjector.ADDRESS;
  static final String INJ6 = "::1";
  static final String PRE = "adj_rib_in_pre";
  static final String POST = "adj_rib_in_post";
  static final String LOC = "loc_rib";

  /**
   * The peer address and distinguisher of a router's (default) Loc-RIB instance peer (README
   * "Metrics").
   */
  static final String LOC_PEER = "0.0.0.0";

  static final String LOC_RD = "0:0";
  static final String V4 = "ipv4_unicast";
  static final String V6 = "ipv6_unicast";
  static final String REMOTE_MAXPFX = "cease/maximum_number_of_prefixes_reached";
  static final String DECONFIGURED = "cease/peer_de_configured";

  /**
   * Bound of every wait on the exporter (-Dinterop.waitSeconds); passing waits take a few seconds.
   */
  static final Duration WAIT = Duration.ofSeconds(Long.getLong("interop.waitSeconds", 30));

  /** Time budget of the whole class from the start of the lab (-Dinterop.budgetSeconds). */
  static final Duration BUDGET = Duration.ofSeconds(Long.getLong("interop.budgetSeconds", 420));

  static final Duration STABLE = Duration.ofMillis(Long.getLong("interop.stableMillis", 1500));

  private InteropLab lab;
  private LiveMonitoring live;
  private ExporterProcess exporter;
  private RouteSet r;

  /**
   * FRR's pre-policy tables came from an initial table dump (true) or from live updates (false).
   */
  private boolean frrPreFromDump = true;

  private long suiteStart;

  @BeforeAll
  void up() {
    suiteStart = System.nanoTime();
    lab = InteropLab.start("ScenariosIT");
    exporter = lab.exporter;
    r = lab.routes;
    live =
        new LiveMonitoring(
            lab.prometheus.api(), exporter.webTarget(), lab.work.resolve("monitoring"));
  }

  /**
   * Fails fast once the budget is spent (a broken exporter would otherwise time out every wait in
   * turn).
   */
  @BeforeEach
  void withinBudget() {
    Duration spent = Duration.ofNanos(System.nanoTime() - suiteStart);
    if (spent.compareTo(BUDGET) > 0) {
      throw new AssertionError(
          "interop time budget of "
              + BUDGET.toSeconds()
              + " s spent ("
              + spent.toSeconds()
              + " s): not running the remaining scenarios; see the first failure");
    }
  }

  @AfterAll
  void down() {
    if (lab != null) {
      lab.close();
    }
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  @Order(1)
  void s1_initialDump() {
    long t0 = begin();
    assertRoutersHoldTheKnownSet();
    Expectations e =
        frrTables(gobgpTables(new Expectations()))
            .one(1, "bmp_router_up", "router", FRR)
            .one(1, "bmp_router_up", "router", GOBGP);
    for (String rib : List.of(PRE, POST)) {
      e.one(1, "bmp_end_of_rib", "router", FRR, "peer", INJ, "rib", rib, "afi_safi", V4)
          .one(1, "bmp_end_of_rib", "router", FRR, "peer", INJ, "rib", rib, "afi_safi", V6)
          .one(1, "bmp_end_of_rib", "router", FRR, "peer", INJ6, "rib", rib, "afi_safi", V6)
          .one(1, "bmp_end_of_rib", "router", GOBGP, "peer", INJ, "rib", rib, "afi_safi", V4)
          .one(1, "bmp_end_of_rib", "router", GOBGP, "peer", INJ, "rib", rib, "afi_safi", V6);
    }
    e.one(1, "bmp_router_info", "router", FRR, "sys_name", "interop-frr")
        .one(1, "bmp_router_info", "router", GOBGP, "sys_name", "GoBGP");
    await("initial dump, scraped from the exporter", e);
    awaitPrometheus("initial dump, queried through Prometheus", e);
    awaitFrrSessionCounters();
    done("s1 initial dump", t0);
  }

  /**
   * The dashboards and rules on the live data of the initial dump (issue 5): every panel and
   * variable query of grafana/dashboards valid and with data (allow-list in {@link
   * LiveMonitoring}), every rule of prometheus/*.yml loaded, evaluated and healthy, recording rules
   * with the values the routers imply, the watch list's series as the known route set implies, and
   * while everything is up exactly the alerts the watch list causes pending or firing.
   */
  @Test
  @Order(2)
  void s1b_dashboardsAndRulesOnLiveData() {
    long t0 = begin();
    assertThat(frrPreFromDump).as("runs right after the initial dump").isTrue();
    live.assertRulesHealthy(WAIT);
    phase("rules loaded and healthy");
    // GoBGP's statistics come every 15 s; rates need two scrapes in their window
    live.assertDashboards(
        LiveMonitoring.selections(),
        false,
        Duration.ofSeconds(GobgpRouter.STATS_SECONDS * 2 + 10),
        "initial-dump");
    phase("dashboards");
    live.assertRecordingRulesHaveData(false, WAIT);
    // The recording rules' values follow from the routers' own counts.
    int rcv4 = lab.frr.receivedPrefixes("ipv4", INJ);
    int acc4 = lab.frr.pfxRcd("ipv4", INJ);
    int acc6 = lab.frr.pfxRcd("ipv6", INJ);
    int acc6b = lab.frr.pfxRcd("ipv6", INJ6);
    int denied6 = lab.frr.receivedPrefixes("ipv6", INJ) - acc6;
    int loc = lab.gobgp.ribDestinations("ipv4") + lab.gobgp.ribDestinations("ipv6");
    awaitPrometheus(
        "recording rules = what the routers say",
        new Expectations()
            // FRR: pre-policy (received-routes) minus post-policy (pfxRcd) = the routes its policy
            // denied
            .one(
                rcv4 - acc4,
                "bmp:routes_filtered_by_policy",
                "router",
                FRR,
                "peer",
                INJ,
                "rd",
                "",
                "afi_safi",
                V4)
            // IPv6: per peer between 0 and denied (FRR quirk 4), exact over both peers
            .sum(denied6, "bmp:routes_filtered_by_policy", "router", FRR, "afi_safi", V6)
            .one(
                r.deniedV4(),
                "bmp:routes_filtered_by_policy",
                "router",
                GOBGP,
                "peer",
                INJ,
                "rd",
                "",
                "afi_safi",
                V4)
            .one(
                r.deniedV6(),
                "bmp:routes_filtered_by_policy",
                "router",
                GOBGP,
                "peer",
                INJ,
                "rd",
                "",
                "afi_safi",
                V6)
            .one(acc4 + acc6 + acc6b, "bmp:routes:sum_by_router_rib", "router", FRR, "rib", POST)
            .one(
                rcv4 + acc6 + acc6b + denied6,
                "bmp:routes:sum_by_router_rib",
                "router",
                FRR,
                "rib",
                PRE)
            .one(loc, "bmp:routes:sum_by_router_rib", "router", GOBGP, "rib", LOC)
            .one(
                lab.gobgp.ribDestinations("ipv4"),
                "bmp:routes:sum_by_rib_afi_safi",
                "rib",
                LOC,
                "afi_safi",
                V4)
            .one(2, "bmp:peer_up:sum_by_router", "router", FRR)
            .one(1, "bmp:router_info:sys_name", "router", FRR, "sys_name", "interop-frr")
            .one(
                1,
                "bmp:peer_info:peer_as",
                "router",
                FRR,
                "peer",
                INJ,
                "peer_as",
                Long.toString(GobgpInjector.AS))
            .one(
                0,
                "bmp:route_count:stat_minus_exporter",
                "router",
                GOBGP,
                "peer",
                INJ,
                "stat_type",
                "adj_rib_in_routes"));
    // No Peer Down happened, so no peer has a last down reason.
    assertThat(lab.prometheus.query("bmp:peer_last_down_reason:info"))
        .as("last down reasons before any Peer Down")
        .isEmpty();
    // The watch list's series follow from the known route set.
    awaitPrometheus("watched prefixes = the known route set", watchSeries());
    // Everything is up: the only alerts pending or firing are those the watch list asks for.
    List<String> expected = expectedWatchAlerts();
    Await.untilStable(
        () -> lab.prometheus.api().alerts().stream().map(ScenariosIT::alertKey).sorted().toList(),
        expected::equals,
        Duration.ofSeconds(3),
        WAIT,
        "alerts pending or firing while every router and peer is up = the watch list's "
            + expected);
    String origins = "AS" + RouteSet.originAs(InteropLab.WATCH_UNEXPECTED_ROUTE);
    assertThat(live.active("BmpWatchedPrefixUnexpectedOrigin", Scrape.labels()))
        .as("BmpWatchedPrefixUnexpectedOrigin annotation origins = the route's origin AS")
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a.annotations()).containsEntry("origins", origins));
    InteropLab.log(
        "  alerts: exactly the watch list's "
            + expected.size()
            + " (BmpWatchedPrefixUnexpectedOrigin, BmpWatchedPrefixMoreSpecific; origins "
            + origins
            + ")");
    done("s1b dashboards and rules on live data", t0);
  }

  /**
   * Tables holding the lab's IPv4 routes that every policy accepts, as {router, peer, rd, rib}:
   * FRR's and GoBGP's Adj-RIB-In of the injector, GoBGP's Loc-RIB.
   */
  private static final List<List<String>> V4_TABLES =
      List.of(
          List.of(FRR, INJ, "", PRE),
          List.of(FRR, INJ, "", POST),
          List.of(GOBGP, INJ, "", PRE),
          List.of(GOBGP, INJ, "", POST),
          List.of(GOBGP, LOC_PEER, LOC_RD, LOC));

  /**
   * The alerts the lab's watch list causes while everything is up (see {@link
   * InteropLab#WATCH_EXPECTED}): an unexpected origin for lab-unexpected-origin and more-specifics
   * for lab-more-specifics in every table; none for lab-expected-origin.
   */
  private static List<String> expectedWatchAlerts() {
    List<String> out = new java.util.ArrayList<>();
    for (List<String> t : V4_TABLES) {
      out.add(
          alertKey(
              "BmpWatchedPrefixUnexpectedOrigin",
              InteropLab.WATCH_UNEXPECTED,
              t.get(0),
              t.get(1),
              t.get(2),
              t.get(3)));
      out.add(
          alertKey(
              "BmpWatchedPrefixMoreSpecific",
              InteropLab.WATCH_MORE_SPECIFICS,
              t.get(0),
              t.get(1),
              t.get(2),
              t.get(3)));
    }
    return out.stream().sorted().toList();
  }

  private static String alertKey(PrometheusApi.Alert a) {
    Map<String, String> l = a.labels();
    return alertKey(
        a.name(),
        l.getOrDefault("watch", ""),
        l.getOrDefault("router", ""),
        l.getOrDefault("peer", ""),
        l.getOrDefault("rd", ""),
        l.getOrDefault("rib", ""));
  }

  private static String alertKey(
      String alert, String watch, String router, String peer, String rd, String rib) {
    return alert
        + "{watch="
        + watch
        + ",router="
        + router
        + ",peer="
        + peer
        + ",rd="
        + rd
        + ",rib="
        + rib
        + "}";
  }

  /**
   * The watch list's series right after the initial dump, from the known route set: route 1 from
   * its own origin in every table, route 2 (another origin than the expected one) likewise, and the
   * four /24s of lab-more-specifics' /22, of which route 5 is denied by every policy (so only in
   * the pre-policy tables of the initial dump).
   */
  private Expectations watchSeries() {
    Expectations e = new Expectations();
    String origin = Long.toString(RouteSet.originAs(InteropLab.WATCH_EXPECTED_ROUTE));
    int first = InteropLab.WATCH_MORE_SPECIFICS_FIRST_ROUTE;
    int denied = 0;
    for (int i = first; i < first + 4; i++) {
      denied += r.deniedRoute(i) ? 1 : 0;
    }
    for (List<String> t : V4_TABLES) {
      String[] at = {"router", t.get(0), "peer", t.get(1), "rd", t.get(2), "rib", t.get(3)};
      e.one(1, "bmp_watch_prefix_present", with(at, "watch", InteropLab.WATCH_EXPECTED))
          .one(
              1,
              "bmp_watch_prefix_origin_info",
              with(with(at, "watch", InteropLab.WATCH_EXPECTED), "origin_as", origin))
          .one(0, "bmp_watch_unexpected_origin", with(at, "watch", InteropLab.WATCH_EXPECTED))
          .one(1, "bmp_watch_prefix_present", with(at, "watch", InteropLab.WATCH_UNEXPECTED))
          .one(1, "bmp_watch_unexpected_origin", with(at, "watch", InteropLab.WATCH_UNEXPECTED))
          .one(
              t.get(3).equals(PRE) ? 4 : 4 - denied,
              "bmp_watch_more_specifics",
              with(at, "watch", InteropLab.WATCH_MORE_SPECIFICS))
          .one(
              0, "bmp_watch_unexpected_origin", with(at, "watch", InteropLab.WATCH_MORE_SPECIFICS));
    }
    // the /22 itself is announced by nobody: no presence series anywhere
    return e.sum(
        0, "count(bmp_watch_prefix_present{watch=\"" + InteropLab.WATCH_MORE_SPECIFICS + "\"})");
  }

  @Test
  @Order(3)
  void s2_withdrawAllThenReannounce() {
    long t0 = begin();
    // what FRR leaves in pre-policy (denied prefixes it reported in its initial dump are never
    // withdrawn)
    int stale4 = frrPreFromDump ? r.deniedV4() : 0;
    int stale6 = frrPreFromDump ? r.deniedV6() : 0;
    lab.injector.withdrawAll();
    try {
      lab.awaitFrr(0, 0);
      lab.awaitGobgp(0, 0);
      Expectations none = new Expectations();
      none.one(0, "bmp_routes", routes(FRR, INJ, POST, V4))
          .one(0, "bmp_routes", routes(FRR, INJ, POST, V6))
          .one(0, "bmp_routes", routes(FRR, INJ6, POST, V6))
          .one(stale4, "bmp_routes", routes(FRR, INJ, PRE, V4))
          .sum(stale6, "bmp_routes", "router", FRR, "rib", PRE, "afi_safi", V6)
          .one(0, "bmp_routes", routes(GOBGP, INJ, PRE, V4))
          .one(0, "bmp_routes", routes(GOBGP, INJ, PRE, V6))
          // GoBGP 3.10 sends no post-policy withdrawals: its post-policy tables keep the routes
          .one(r.acceptedV4(), "bmp_routes", routes(GOBGP, INJ, POST, V4))
          .one(r.acceptedV6(), "bmp_routes", routes(GOBGP, INJ, POST, V6))
          .one(0, "bmp_routes", locRib(GOBGP, V4))
          .one(0, "bmp_routes", locRib(GOBGP, V6))
          .one(1, "bmp_peer_up", "router", FRR, "peer", INJ)
          .one(1, "bmp_peer_up", "router", FRR, "peer", INJ6)
          .one(1, "bmp_peer_up", "router", GOBGP, "peer", INJ);
      await("all routes withdrawn", none);
      assertWatchedPrefixesMissing();
    } finally {
      lab.injector.inject();
      frrPreFromDump = false; // the BMP session predates the re-announced routes
      lab.awaitFrrConverged();
      lab.awaitGobgpConverged();
    }
    await("all routes re-announced", frrTables(gobgpTables(new Expectations())));
    Await.until(
        () -> live.active("BmpWatchedPrefixMissing", Scrape.labels()),
        List::isEmpty,
        WAIT,
        "BmpWatchedPrefixMissing gone once the watched prefixes are back");
    done("s2 withdraw all + re-announce", t0);
  }

  /**
   * With every route withdrawn, BmpWatchedPrefixMissing ({@code for: 5m}) is pending for the two
   * watched prefixes that were present, in exactly the post-policy and Loc-RIB tables they left:
   * FRR's Adj-RIB-In post-policy and GoBGP's Loc-RIB, not GoBGP's post-policy table (GoBGP sends no
   * post-policy withdrawals, so there they stay present) nor the pre-policy tables (the alert
   * leaves those out).
   */
  private void assertWatchedPrefixesMissing() {
    List<Map<String, String>> expected = new java.util.ArrayList<>();
    for (String watch : List.of(InteropLab.WATCH_EXPECTED, InteropLab.WATCH_UNEXPECTED)) {
      expected.add(
          Scrape.labels(
              "watch",
              watch,
              "router",
              FRR,
              "peer",
              INJ,
              "rd",
              "",
              "rib",
              POST,
              "sys_name",
              "interop-frr"));
      expected.add(
          Scrape.labels(
              "watch",
              watch,
              "router",
              GOBGP,
              "peer",
              LOC_PEER,
              "rd",
              LOC_RD,
              "rib",
              LOC,
              "sys_name",
              "GoBGP"));
    }
    live.assertWouldFire(
        "BmpWatchedPrefixMissing",
        Scrape.labels("watch", InteropLab.WATCH_EXPECTED, "router", FRR),
        expected,
        Duration.ofSeconds(10),
        WAIT);
  }

  @Test
  @Order(4)
  void s7_statistics() {
    long t0 = begin();
    // FRR: stats every second for each peer; types 0, 2-5, 11 and the vendor type 65531 (all
    // 32-bit).
    Expectations frr = new Expectations();
    for (String peer : List.of(INJ, INJ6)) {
      for (String t :
          List.of(
              "rejected_prefixes",
              "duplicate_withdraws",
              "invalid_cluster_list_loop",
              "invalid_as_path_loop",
              "invalid_originator_id",
              "updates_treated_as_withdraw",
              "type_65531")) {
        frr.one(
            "present",
            v -> v >= 0,
            "bmp_peer_stat_total",
            "router",
            FRR,
            "peer",
            peer,
            "stat_type",
            t);
      }
    }
    await("FRR statistics series", frr);
    // FRR's counters have no vtysh view; their values are known from what the injector sent:
    // every denied route received once initially and once after the re-announce of s2.
    Expectations frrValues =
        new Expectations()
            .one(
                2.0 * (r.deniedV4() + r.deniedV6()),
                "bmp_peer_stat_total",
                "router",
                FRR,
                "peer",
                INJ,
                "stat_type",
                "rejected_prefixes")
            .one(
                2.0 * r.deniedV6(),
                "bmp_peer_stat_total",
                "router",
                FRR,
                "peer",
                INJ6,
                "stat_type",
                "rejected_prefixes");
    for (String peer : List.of(INJ, INJ6)) {
      for (String t :
          List.of(
              "duplicate_withdraws",
              "invalid_cluster_list_loop",
              "invalid_as_path_loop",
              "invalid_originator_id",
              "updates_treated_as_withdraw",
              "type_65531")) {
        frrValues.one(0, "bmp_peer_stat_total", "router", FRR, "peer", peer, "stat_type", t);
      }
    }
    await("FRR statistics values", frrValues);

    // GoBGP: every 15 s; 7 = adj-rib-in routes and 8 = "loc-rib routes" (64-bit, afi_safi="all";
    // GoBGP
    // fills them with the neighbor's received and accepted counters, and its "accepted" counts
    // every
    // received path, policy-rejected ones included), 11 / 12 = the withdrawal UPDATEs / prefixes it
    // received (32-bit). Truth: `gobgp neighbor -j`.
    long received =
        lab.gobgp.afiSafiState(INJ, 1, "received") + lab.gobgp.afiSafiState(INJ, 2, "received");
    long accepted =
        lab.gobgp.afiSafiState(INJ, 1, "accepted") + lab.gobgp.afiSafiState(INJ, 2, "accepted");
    var msgs = lab.gobgp.neighbor(INJ).path("state").path("messages").path("received");
    long wdUpdates = msgs.path("withdraw_update").asLong(0);
    long wdPrefixes = msgs.path("withdraw_prefix").asLong(0);
    assertThat(received).as("GoBGP adj-rib-in (gobgp neighbor)").isEqualTo(r.v4() + r.v6());
    assertThat(wdPrefixes)
        .as("GoBGP withdrawn prefixes received in s2 (gobgp neighbor)")
        .isEqualTo(r.v4() + r.v6());
    assertThat(wdUpdates).as("GoBGP withdrawal UPDATEs received (gobgp neighbor)").isPositive();
    Expectations gobgp =
        new Expectations()
            .one(
                received,
                "bmp_peer_stat_value",
                "router",
                GOBGP,
                "peer",
                INJ,
                "stat_type",
                "adj_rib_in_routes",
                "afi_safi",
                "all")
            .one(
                accepted,
                "bmp_peer_stat_value",
                "router",
                GOBGP,
                "peer",
                INJ,
                "stat_type",
                "loc_rib_routes",
                "afi_safi",
                "all")
            .one(
                wdUpdates,
                "bmp_peer_stat_total",
                "router",
                GOBGP,
                "peer",
                INJ,
                "stat_type",
                "updates_treated_as_withdraw")
            .one(
                wdPrefixes,
                "bmp_peer_stat_total",
                "router",
                GOBGP,
                "peer",
                INJ,
                "stat_type",
                "prefixes_treated_as_withdraw");
    Await.untilStable(
        () -> gobgp.mismatches(Expectations.Source.of(exporter.scrape())),
        List::isEmpty,
        Duration.ZERO,
        Duration.ofSeconds(GobgpRouter.STATS_SECONDS * 2 + 10),
        "GoBGP statistics = gobgp neighbor counters");
    done("s7 statistics", t0);
  }

  @Test
  @Order(5)
  void s3_remoteMaxPrefixCease() {
    long t0 = begin();
    String downs = "bmp_peer_downs_total";
    String[] sel = {
      "router", FRR, "peer", INJ, "reason", "remote_notification", "notification", REMOTE_MAXPFX
    };
    double before = scrape().sum(downs, Scrape.labels(sel));
    int n = InteropLab.REMOTE_MAX_PREFIX + 5;
    lab.frr.originate(n); // the injector's limit is REMOTE_MAX_PREFIX: it sends Cease/1 to FRR
    try {
      Await.until(
          () -> !lab.frr.peerState("ipv4", INJ).equals("Established"),
          WAIT,
          "FRR session to the injector down");
      assertThat(lab.injector.established(FRR)).as("injector session to FRR").isFalse();
      await(
          "FRR peer down by the injector's Cease/Maximum Number of Prefixes Reached",
          peerDownToZero(FRR, INJ, true)
              .above(before, downs, sel)
              .one(1, "bmp_peer_up", "router", FRR, "peer", INJ6)
              .one(r.acceptedV6(), "bmp_routes", routes(FRR, INJ6, POST, V6)));
      assertAlertsOnRemoteMaxPrefix();
    } finally {
      lab.frr.unoriginate(n);
      lab.injector.enableNeighbor(FRR); // GoBGP keeps a peer that hit its prefix-limit disabled
      lab.awaitFrrConverged();
    }
    frrPreFromDump = false;
    await("FRR peer back after the remote max-prefix Cease", frrTables(new Expectations()));
    // The dashboards again, now that a Peer Down happened: its time, reason and the recent Peer
    // Down
    // events must show (allowed empty only before).
    live.assertDashboards(List.of(LiveMonitoring.SEL_FRR), true, WAIT, "after-peer-down");
    live.assertRecordingRulesHaveData(true, WAIT);
    done("s3 remote max-prefix", t0);
  }

  /**
   * The alerts on a real max-prefix Peer Down (issue 5): BmpMaxPrefixReached (no {@code for:})
   * fires for the peer, with the router's sysName and the peer's AS; BmpPeerDown ({@code for: 5m},
   * too long for the suite) is pending, its expression returns exactly this peer, and its
   * annotations carry the reason and NOTIFICATION of this Peer Down.
   */
  private void assertAlertsOnRemoteMaxPrefix() {
    Duration canWaitFor = Duration.ofSeconds(10);
    String as = Long.toString(GobgpInjector.AS);
    live.assertWouldFire(
        "BmpMaxPrefixReached",
        Scrape.labels("router", FRR, "peer", INJ),
        List.of(
            Scrape.labels(
                "router",
                FRR,
                "peer",
                INJ,
                "rd",
                "",
                "reason",
                "remote_notification",
                "notification",
                REMOTE_MAXPFX,
                "sys_name",
                "interop-frr",
                "peer_as",
                as)),
        canWaitFor,
        WAIT);
    live.assertWouldFire(
        "BmpPeerDown",
        Scrape.labels("router", FRR, "peer", INJ),
        List.of(
            Scrape.labels(
                "router", FRR, "peer", INJ, "rd", "", "sys_name", "interop-frr", "peer_as", as)),
        canWaitFor,
        WAIT);
    awaitPrometheus(
        "last down reason of the peer",
        new Expectations()
            .one(
                1,
                "bmp:peer_last_down_reason:info",
                "router",
                FRR,
                "peer",
                INJ,
                "reason",
                "remote_notification",
                "notification",
                REMOTE_MAXPFX)
            .sum(1, "bmp:peer_last_down_reason:info"));
    Await.until(
        () -> live.active("BmpPeerDown", Scrape.labels("router", FRR, "peer", INJ)),
        l ->
            l.size() == 1
                && "remote_notification".equals(l.get(0).annotations().get("reason"))
                && REMOTE_MAXPFX.equals(l.get(0).annotations().get("notification")),
        WAIT,
        "BmpPeerDown annotations reason/notification = this Peer Down's");
  }

  @Test
  @Order(6)
  void s4_peerDownReasons() {
    long t0 = begin();
    String downs = "bmp_peer_downs_total";
    String[] local = {
      "router", FRR, "peer", INJ, "reason", "local_no_notification", "notification", ""
    };

    // (a) FRR local maximum-prefix: FRR sends Cease/1, but reports reason 2 (FSM event) in BMP.
    double before = scrape().sum(downs, Scrape.labels(local));
    int limit = r.acceptedV4() / 2;
    lab.frr.configureAf("ipv4", "neighbor " + INJ + " maximum-prefix " + limit);
    try {
      Await.until(
          () -> !lab.frr.peerState("ipv4", INJ).equals("Established"),
          WAIT,
          "FRR over its maximum-prefix");
      await(
          "FRR peer down by its local maximum-prefix",
          peerDownToZero(FRR, INJ, true).above(before, downs, local));
    } finally {
      lab.frr.configureAf("ipv4", "no neighbor " + INJ + " maximum-prefix " + limit);
      lab.frr.clear(INJ); // FRR keeps an overflowed peer down until cleared
      lab.awaitFrrConverged();
    }
    frrPreFromDump = false;
    await("FRR peer back after local max-prefix", frrTables(new Expectations()));
    phase("(a) FRR local max-prefix");

    // (b) clear bgp: FRR sends Cease/4 (Administrative Reset), reports reason 2.
    double beforeClear = scrape().sum(downs, Scrape.labels(local));
    double upsBefore =
        scrape().sum("bmp_peer_ups_total", Scrape.labels("router", FRR, "peer", INJ));
    lab.frr.clear(INJ);
    await(
        "FRR peer down by clear bgp",
        new Expectations()
            .above(beforeClear, downs, local)
            .one(
                "> " + Expectations.fmt(upsBefore),
                v -> v > upsBefore,
                "bmp_peer_ups_total",
                "router",
                FRR,
                "peer",
                INJ));
    lab.awaitFrrConverged();
    await("FRR peer back after clear bgp", frrTables(new Expectations()));
    phase("(b) clear bgp");

    // (c) the injector stops: GoBGP sends Cease/3 (Peer De-configured) to every router.
    String[][] deconf = {
      {"router", FRR, "peer", INJ, "reason", "remote_notification", "notification", DECONFIGURED},
      {"router", FRR, "peer", INJ6, "reason", "remote_notification", "notification", DECONFIGURED},
      {"router", GOBGP, "peer", INJ, "reason", "remote_notification", "notification", DECONFIGURED}
    };
    Scrape m0 = scrape();
    double[] b = new double[deconf.length];
    for (int i = 0; i < deconf.length; i++) {
      b[i] = m0.sum(downs, Scrape.labels(deconf[i]));
    }
    lab.injector.stop();
    try {
      Expectations gone = peerDownToZero(FRR, INJ, true);
      peerDownToZero(gone, FRR, INJ6, false);
      peerDownToZero(gone, GOBGP, INJ, true);
      gone.one(0, "bmp_routes", locRib(GOBGP, V4)).one(0, "bmp_routes", locRib(GOBGP, V6));
      for (int i = 0; i < deconf.length; i++) {
        gone.above(b[i], downs, deconf[i]);
      }
      await("every peer down by the injector's Cease/Peer De-configured", gone);
    } finally {
      lab.injector.restart();
      lab.awaitFrrConverged();
      lab.awaitGobgpConverged();
    }
    await("peers back after the injector restart", frrTables(gobgpTables(new Expectations())));
    phase("(c) injector stop/restart");

    // (d) GoBGP's own prefix-limit: it sends Cease/1 and reports reason 1 with that NOTIFICATION,
    // or reason 4 when the socket close wins the race (GoBGP 3.10 on loopback).
    Scrape m1 = scrape();
    double gLocal =
        m1.sum(
            downs,
            Scrape.labels(
                "router",
                GOBGP,
                "peer",
                INJ,
                "reason",
                "local_notification",
                "notification",
                REMOTE_MAXPFX));
    double gRemote =
        m1.sum(
            downs,
            Scrape.labels(
                "router",
                GOBGP,
                "peer",
                INJ,
                "reason",
                "remote_no_notification",
                "notification",
                ""));
    lab.gobgp.setPrefixLimit(r.acceptedV4() / 2);
    try {
      Await.until(() -> !lab.gobgp.established(INJ), WAIT, "GoBGP over its prefix-limit");
      Expectations e =
          peerDownToZero(GOBGP, INJ, true)
              .one(0, "bmp_routes", locRib(GOBGP, V4))
              .one(0, "bmp_routes", locRib(GOBGP, V6));
      await("GoBGP peer down by its prefix-limit", e);
      Await.until(
          () -> {
            Scrape m = scrape();
            return m.sum(
                        downs,
                        Scrape.labels(
                            "router",
                            GOBGP,
                            "peer",
                            INJ,
                            "reason",
                            "local_notification",
                            "notification",
                            REMOTE_MAXPFX))
                    > gLocal
                || m.sum(
                        downs,
                        Scrape.labels(
                            "router",
                            GOBGP,
                            "peer",
                            INJ,
                            "reason",
                            "remote_no_notification",
                            "notification",
                            ""))
                    > gRemote;
          },
          WAIT,
          "GoBGP Peer Down counted as local_notification "
              + REMOTE_MAXPFX
              + " (or remote_no_notification)");
    } finally {
      lab.gobgp.setPrefixLimit(0);
      Await.sleep(Duration.ofSeconds(1));
      lab.gobgp.enableNeighbor(INJ); // GoBGP keeps a peer that hit its prefix-limit disabled
      lab.awaitGobgpConverged();
    }
    await("GoBGP peer back after its prefix-limit", gobgpTables(new Expectations()));
    phase("(d) GoBGP prefix-limit");
    done("s4 peer down reasons", t0);
  }

  @Test
  @Order(7)
  void s5_bmpSessionLossAndReestablishment() {
    long t0 = begin();
    // FRR: `no bmp targets` closes the session without a Termination (FRR 8.4); re-adding it
    // starts a new session with a full initial dump (pre-policy complete again).
    lab.frr.removeBmpTarget();
    await(
        "FRR BMP session gone",
        new Expectations()
            .one(0, "bmp_router_up", "router", FRR)
            .sum(0, "bmp_routes", "router", FRR));
    awaitPrometheus(
        "FRR BMP session gone, seen by Prometheus",
        new Expectations().one(0, "bmp_router_up", "router", FRR));
    // BmpRouterDown (for: 5m) is pending for FRR, and its expression returns exactly FRR.
    live.assertWouldFire(
        "BmpRouterDown",
        Scrape.labels("router", FRR),
        List.of(Scrape.labels("router", FRR, "sys_name", "interop-frr")),
        Duration.ofSeconds(10),
        WAIT);
    lab.frr.readdBmpTarget();
    frrPreFromDump = true;
    phase("FRR BMP session down");
    await(
        "FRR BMP session re-established with a full dump",
        frrTables(new Expectations())
            .one(1, "bmp_router_up", "router", FRR)
            .one(1, "bmp_end_of_rib", "router", FRR, "peer", INJ, "rib", PRE, "afi_safi", V4));

    // GoBGP: `gobgp bmp del` sends a Termination with reason 4 (permanently administratively
    // closed).
    String[] term = {"router", GOBGP, "reason", "permanently_administratively_closed"};
    double before = scrape().sum("bmp_router_terminations_total", Scrape.labels(term));
    lab.gobgp.bmpDel(lab.gobgpBmp.host(), lab.gobgpBmp.port());
    await(
        "GoBGP BMP session terminated",
        new Expectations()
            .one(0, "bmp_router_up", "router", GOBGP)
            .one(before + 1, "bmp_router_terminations_total", term)
            .sum(0, "bmp_routes", "router", GOBGP));
    awaitPrometheus(
        "GoBGP BMP session gone, seen by Prometheus",
        new Expectations().one(0, "bmp_router_up", "router", GOBGP));
    // The Router dashboard's Termination panel, allowed empty before, now shows GoBGP's
    // Termination.
    live.assertPanelHasData(
        "BMP / Router", "bmp_router_terminations_total", LiveMonitoring.SEL_GOBGP, WAIT);
    lab.gobgp.bmpAdd(lab.gobgpBmp.host(), lab.gobgpBmp.port());
    await(
        "GoBGP BMP session re-established with a full dump",
        gobgpTables(new Expectations())
            .one(1, "bmp_router_up", "router", GOBGP)
            .one(before + 1, "bmp_router_terminations_total", term));
    done("s5 BMP session loss", t0);
  }

  @Test
  @Order(8)
  void s6_activeMode() {
    long t0 = begin();
    // frr-active has a passive BMP target (`bmp listener 127.0.0.4 port P`), a second exporter
    // connects out to it (--connect). FRR 8.4's bgpd crashes when a collector connects just after
    // `no bmp targets` (the removed listener still accepts), so re-establishment is tested by
    // restarting bgpd. frr-active starts with its BGP neighbor shut down and the scenario enables
    // it only once the exporter is connected: the routes then always arrive live, so FRR's
    // pre-policy reporting is deterministic (pre == post, FRR quirk) instead of racing the connect.
    String router = InteropLab.FRR_ACTIVE_ROUTER;
    ExporterProcess active =
        lab.newExporter(
            "exporter-active",
            new ExporterProcess.Config(
                List.of(new ExporterProcess.Endpoint("127.0.0.1", Ports.free())),
                new ExporterProcess.Endpoint("127.0.0.1", Ports.free()),
                List.of(lab.frrActiveBmp)));
    active.start(); // before FRR listens: it has to retry
    FrrRouter f = lab.frrActive;
    f.start();
    activeSession(f, active, router);
    awaitSessionCounters(f, active, router);
    phase("active session established, tables and counters match FRR");

    f.stop();
    await(
        active,
        "active-mode session lost with bgpd",
        new Expectations().one(0, "bmp_router_up", "router", router));
    phase("bgpd stopped: router down");
    f.start();
    activeSession(f, active, router);
    f.stop();
    done("s6 active mode", t0);
  }

  /**
   * RFC 9972 statistics (issue 10): no router of the lab sends them, so a BMP speaker built from
   * test bytes does ({@link Rfc9972Sender}). The Router and Peer dashboards' headroom, ROV and
   * stale-route panels, allowed empty for FRR and GoBGP, have data for it, and
   * BmpMaxPrefixApproaching goes pending for the family whose headroom is below the threshold.
   * Last: the sender's session ends with it (BmpRouterDown would follow).
   */
  @Test
  @Order(9)
  void s9_rfc9972Statistics() {
    long t0 = begin();
    String router = Rfc9972Sender.ROUTER;
    String peer = Rfc9972Sender.PEER;
    Rfc9972Sender sender = Rfc9972Sender.connect(lab.frrBmp.host(), lab.frrBmp.port());
    try {
      String[] headroom = {
        "router", router, "peer", peer, "stat_type", "routes_before_max_prefix_threshold"
      };
      Expectations e =
          new Expectations()
              .one(Rfc9972Sender.HEADROOM_IPV4, "bmp_peer_stat_value", with(headroom, V4))
              .one(5000, "bmp_peer_stat_value", with(headroom, "all"))
              .one(
                  7,
                  "bmp_peer_stat_value",
                  "router",
                  router,
                  "stat_type",
                  "rov_invalid_routes",
                  "afi_safi",
                  "all")
              .one(
                  500,
                  "bmp_peer_stat_value",
                  "router",
                  router,
                  "stat_type",
                  "adj_rib_out_rov_valid_routes",
                  "afi_safi",
                  V4);
      await("RFC 9972 statistics of the sender", e);
      awaitPrometheus("RFC 9972 statistics of the sender, seen by Prometheus", e);
      for (String panel : List.of("routes_before_max_prefix_threshold", "rov_", "stale_routes")) {
        live.assertPanelHasData("BMP / Peer", panel, LiveMonitoring.SEL_RFC9972, WAIT);
        live.assertPanelHasData("BMP / Router", panel, LiveMonitoring.SEL_RFC9972, WAIT);
      }
      phase("RFC 9972 panels have data");
      live.assertWouldFire(
          "BmpMaxPrefixApproaching",
          Scrape.labels("router", router),
          List.of(
              Scrape.labels(
                  "router",
                  router,
                  "peer",
                  peer,
                  "afi_safi",
                  V4,
                  "sys_name",
                  Rfc9972Sender.SYS_NAME,
                  "peer_as",
                  Long.toString(Rfc9972Sender.PEER_AS))),
          Duration.ofSeconds(10),
          WAIT);
    } finally {
      sender.close();
    }
    done("s9 RFC 9972 statistics", t0);
  }

  private static String[] with(String[] labels, String name, String value) {
    String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
    out[labels.length] = name;
    out[labels.length + 1] = value;
    return out;
  }

  private static String[] with(String[] labels, String afiSafi) {
    String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
    out[labels.length] = "afi_safi";
    out[labels.length + 1] = afiSafi;
    return out;
  }

  /**
   * The exporter connects to frr-active; once it has, FRR's neighbor is enabled and the tables must
   * follow.
   */
  private void activeSession(FrrRouter f, ExporterProcess active, String router) {
    Await.until(
        () -> f.bmpClients().size(),
        n -> n == 1,
        WAIT,
        "FRR `show bmp`: the exporter connected to its listener");
    await(
        active,
        "active-mode session up",
        new Expectations().one(1, "bmp_router_up", "router", router));
    f.enableNeighbors();
    Await.untilEquals(
        () -> List.of(f.pfxRcd("ipv4", INJ), f.pfxRcd("ipv6", INJ)),
        List.of(r.acceptedV4(), r.acceptedV6()),
        InteropLab.CONVERGE,
        f + " accepted prefixes [v4, v6]");
    await(
        active,
        "active-mode tables",
        new Expectations()
            .one(1, "bmp_peer_up", "router", router, "peer", INJ)
            .one(r.acceptedV4(), "bmp_routes", routes(router, INJ, POST, V4))
            .one(r.acceptedV6(), "bmp_routes", routes(router, INJ, POST, V6))
            .one(r.acceptedV4(), "bmp_routes", routes(router, INJ, PRE, V4))
            .one(r.acceptedV6(), "bmp_routes", routes(router, INJ, PRE, V6)));
  }

  // ---------------------------------------------------------------- expectations

  /** FRR's tables for both peers, as FRR holds them now (see the class comment for the quirks). */
  private Expectations frrTables(Expectations e) {
    int acc4 = lab.frr.pfxRcd("ipv4", INJ);
    int acc6 = lab.frr.pfxRcd("ipv6", INJ);
    int acc6b = lab.frr.pfxRcd("ipv6", INJ6);
    assertThat(List.of(acc4, acc6, acc6b))
        .as("FRR pfxRcd [v4, v6, v6 from ::1]")
        .isEqualTo(List.of(r.acceptedV4(), r.acceptedV6(), r.acceptedV6()));
    e.one(1, "bmp_peer_up", "router", FRR, "peer", INJ)
        .one(1, "bmp_peer_up", "router", FRR, "peer", INJ6)
        .one(acc4, "bmp_routes", routes(FRR, INJ, POST, V4))
        .one(acc6, "bmp_routes", routes(FRR, INJ, POST, V6))
        .one(acc6b, "bmp_routes", routes(FRR, INJ6, POST, V6));
    if (frrPreFromDump) {
      int rcv4 = lab.frr.receivedPrefixes("ipv4", INJ);
      int rcv6 = lab.frr.receivedPrefixes("ipv6", INJ);
      int rcv6b = lab.frr.receivedPrefixes("ipv6", INJ6);
      assertThat(List.of(rcv4, rcv6, rcv6b))
          .as("FRR received-routes [v4, v6, v6 from ::1]")
          .isEqualTo(List.of(r.v4(), r.v6(), r.v6()));
      e.one(rcv4, "bmp_routes", routes(FRR, INJ, PRE, V4));
      // a prefix denied for both IPv6 peers is in the dump of exactly one of them
      int denied6 = rcv6 - acc6;
      e.one(
              "in [" + acc6 + ", " + rcv6 + "]",
              v -> v >= acc6 && v <= rcv6,
              "bmp_routes",
              routes(FRR, INJ, PRE, V6))
          .one(
              "in [" + acc6b + ", " + rcv6b + "]",
              v -> v >= acc6b && v <= rcv6b,
              "bmp_routes",
              routes(FRR, INJ6, PRE, V6))
          .sum(acc6 + acc6b + denied6, "bmp_routes", "router", FRR, "rib", PRE, "afi_safi", V6);
    } else {
      e.one(acc4, "bmp_routes", routes(FRR, INJ, PRE, V4))
          .one(acc6, "bmp_routes", routes(FRR, INJ, PRE, V6))
          .one(acc6b, "bmp_routes", routes(FRR, INJ6, PRE, V6));
    }
    return e;
  }

  /**
   * GoBGP's tables: pre-policy = what it received from the injector ({@code gobgp neighbor}),
   * post-policy = what its import policy kept = its RIB (the injector is its only peer), Loc-RIB =
   * its RIB ({@code gobgp global rib summary}).
   */
  private Expectations gobgpTables(Expectations e) {
    GobgpRouter g = lab.gobgp;
    long rcv4 = g.afiSafiState(INJ, 1, "received");
    long rcv6 = g.afiSafiState(INJ, 2, "received");
    int loc4 = g.ribDestinations("ipv4");
    int loc6 = g.ribDestinations("ipv6");
    assertThat(List.of(rcv4, rcv6, (long) loc4, (long) loc6))
        .as("GoBGP [received v4, v6, rib v4, v6]")
        .isEqualTo(
            List.of((long) r.v4(), (long) r.v6(), (long) r.acceptedV4(), (long) r.acceptedV6()));
    return e.one(1, "bmp_peer_up", "router", GOBGP, "peer", INJ)
        .one(rcv4, "bmp_routes", routes(GOBGP, INJ, PRE, V4))
        .one(rcv6, "bmp_routes", routes(GOBGP, INJ, PRE, V6))
        .one(loc4, "bmp_routes", routes(GOBGP, INJ, POST, V4))
        .one(loc6, "bmp_routes", routes(GOBGP, INJ, POST, V6))
        .one(loc4, "bmp_routes", locRib(GOBGP, V4))
        .one(loc6, "bmp_routes", locRib(GOBGP, V6));
  }

  /**
   * The exporter's per-router counters equal FRR's own counters for the BMP session ({@code show
   * bmp}: route monitoring and mirroring messages sent, bytes sent), read while FRR's queues are
   * empty and its counters unchanged around the scrape. Only valid while FRR's current session is
   * the only one the exporter has seen from it.
   */
  private void awaitFrrSessionCounters() {
    awaitSessionCounters(lab.frr, exporter, FRR);
  }

  private static void awaitSessionCounters(
      FrrRouter frr, ExporterProcess collector, String router) {
    Await.until(
        () -> {
          List<FrrRouter.BmpClient> before = frr.bmpClients();
          Scrape m = collector.scrape();
          List<FrrRouter.BmpClient> after = frr.bmpClients();
          if (before.size() != 1 || !before.equals(after) || !before.get(0).flushed()) {
            return "FRR sessions changing or not flushed: " + before + " / " + after;
          }
          FrrRouter.BmpClient c = before.get(0);
          double rm =
              m.sum(
                  "bmp_router_messages_total",
                  Scrape.labels("router", router, "type", "route_monitoring"));
          double mirr =
              m.sum(
                  "bmp_route_mirroring_total",
                  Scrape.labels("router", router, "kind", "bgp_message"));
          double bytes = m.sum("bmp_router_received_bytes_total", Scrape.labels("router", router));
          return rm == c.monSent() && mirr == c.mirrSent() && bytes == c.byteSent()
              ? ""
              : frr
                  + " "
                  + c
                  + " vs exporter route_monitoring="
                  + Expectations.fmt(rm)
                  + " mirrored="
                  + Expectations.fmt(mirr)
                  + " bytes="
                  + Expectations.fmt(bytes);
        },
        String::isEmpty,
        Duration.ofSeconds(30),
        "exporter counters == FRR `show bmp` MonSent/MirrSent/ByteSent");
  }

  /** The peer is down (bmp_peer_up 0) and its adj-rib-in tables are empty. */
  private Expectations peerDownToZero(String router, String peer, boolean v4) {
    return peerDownToZero(new Expectations(), router, peer, v4);
  }

  private Expectations peerDownToZero(Expectations e, String router, String peer, boolean v4) {
    e.one(0, "bmp_peer_up", "router", router, "peer", peer);
    for (String rib : List.of(PRE, POST)) {
      if (v4) {
        e.one(0, "bmp_routes", routes(router, peer, rib, V4));
      }
      e.one(0, "bmp_routes", routes(router, peer, rib, V6));
    }
    return e;
  }

  private void assertRoutersHoldTheKnownSet() {
    assertThat(List.of(lab.injector.ribDestinations("ipv4"), lab.injector.ribDestinations("ipv6")))
        .as("injector RIB [v4, v6]")
        .isEqualTo(List.of(r.v4(), r.v6()));
    lab.awaitFrrConverged();
    lab.awaitGobgpConverged();
  }

  private static String[] routes(String router, String peer, String rib, String afiSafi) {
    return new String[] {"router", router, "peer", peer, "rib", rib, "afi_safi", afiSafi};
  }

  /**
   * The router's Loc-RIB table: its Loc-RIB instance peer is 0.0.0.0 with distinguisher 0:0,
   * written as "0:0".
   */
  private static String[] locRib(String router, String afiSafi) {
    return new String[] {
      "router", router, "peer", LOC_PEER, "rd", LOC_RD, "rib", LOC, "afi_safi", afiSafi
    };
  }

  // ---------------------------------------------------------------- plumbing

  private Scrape scrape() {
    return exporter.scrape();
  }

  private void await(String what, Expectations e) {
    await(exporter, what, e);
  }

  private static void await(ExporterProcess c, String what, Expectations e) {
    Await.untilStable(
        () -> e.mismatches(Expectations.Source.of(c.scrape())), List::isEmpty, STABLE, WAIT, what);
  }

  private void awaitPrometheus(String what, Expectations e) {
    Await.untilStable(
        () -> e.mismatches(Expectations.Source.of(lab.prometheus.api())),
        List::isEmpty,
        Duration.ZERO,
        WAIT,
        what);
  }

  private long phaseStart = System.nanoTime();

  private long begin() {
    phaseStart = System.nanoTime();
    return phaseStart;
  }

  /** Logs how long the steps since the previous phase (or scenario start) took. */
  private void phase(String what) {
    long now = System.nanoTime();
    InteropLab.log("  " + what + ": " + Duration.ofNanos(now - phaseStart).toMillis() + " ms");
    phaseStart = now;
  }

  private void done(String what, long t0) {
    InteropLab.log(
        what + ": passed in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
  }
}
