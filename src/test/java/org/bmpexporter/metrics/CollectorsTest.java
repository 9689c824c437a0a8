package org.bmpexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bmpexporter.metrics.SessionCounts.Rejection;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.state.WatchList;
import org.bmpexporter.testing.Scrape;
import org.bmpexporter.testing.Scrape.Sample;
import org.junit.jupiter.api.Test;

/** The collectors' exposition against the declared families: names, types, help and labels. */
class CollectorsTest {

  /** A router with every kind of state, so that every router-state family has series. */
  private static Snapshots.Router router() {
    Snapshots.Peer peer =
        new Snapshots.Peer(
            "192.0.2.2",
            "",
            "global_instance",
            65002,
            "192.0.2.2",
            "",
            false,
            1_700_000_000,
            1_700_000_100,
            1,
            List.of(new Snapshots.Downs("remote_notification", "cease/administrative_shutdown", 1)),
            "remote_notification",
            "cease/administrative_shutdown",
            List.of(
                new Snapshots.Table(
                    "adj_rib_in_pre", "ipv4_unicast", 2, 3, 1, true, Map.of("best", 2L))),
            List.of(new Snapshots.StatCounter("rejected_prefixes", 3)),
            List.of(new Snapshots.StatGauge("adj_rib_in_routes", "all", 2)),
            1_700_000_050,
            Map.of("bgp_message", 4L),
            List.of(
                new Snapshots.Watched(
                    "docs",
                    "adj_rib_in_pre",
                    "ipv4_unicast",
                    true,
                    true,
                    List.of("64500"),
                    true,
                    1,
                    List.of("64501"),
                    true)));
    return new Snapshots.Router(
        "192.0.2.1",
        "192.0.2.1",
        true,
        1_700_000_000,
        0,
        "edge-1",
        "Test OS",
        Map.of("peer_up", 1L),
        100,
        Map.of(),
        Map.of("unspecified", 1L),
        List.of(peer),
        List.of(new Snapshots.LimitState("peers", false, 0)),
        Map.of(),
        true,
        "tcp",
        3,
        List.of(new Snapshots.PolicyTraces("ipv4_unicast", "out", 6)));
  }

  private static String text(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, snapshots, EscapingScheme.ALLOW_UTF8);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String text(PrometheusRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** "# TYPE name type" or "# HELP name help" lines, by family name. */
  private static Map<String, String> comments(String text, String kind) {
    Map<String, String> byName = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# " + kind + " ")) {
        String[] parts = line.split(" ", 4);
        byName.put(parts[2], parts[3]);
      }
    }
    return byName;
  }

  @Test
  void everyFamilyIsExposedAsDeclared() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new BmpCollector(() -> List.of(router())));
    ConnectTargets targets = new ConnectTargets();
    targets.add("192.0.2.1:5000"); // without active-mode targets that family has no series
    registry.register(new ExporterCollector(new SessionCounts(), targets, "1.2.3"));
    registry.register(new ScrapeCollector(() -> 0));
    registry.register(new WebConfigCollector(() -> 2, () -> 1));
    registry.register(
        new ConfigCollector(
            () -> 1,
            () -> 0,
            () ->
                new WatchList(
                    List.of(
                        new WatchList.Entry(
                            "docs",
                            new byte[] {(byte) 192, 0, 2, 0},
                            24,
                            "",
                            java.util.Set.of(64500L),
                            false)),
                    10)));
    registry.register(new KafkaCollector(() -> Map.of("bmp", 3L), () -> 2, () -> 0));
    ForwardCounts forward = new ForwardCounts();
    forward.add("192.0.2.20:1790"); // without destinations the forwarding families have no series
    registry.register(new ForwardCollector(forward));
    String text = text(registry);

    Map<String, String> types = new TreeMap<>();
    Map<String, String> help = new TreeMap<>();
    for (MetricFamily f : Families.ALL) {
      types.put(f.name(), f.type().textType());
      help.put(f.name(), f.help());
    }
    assertThat(comments(text, "TYPE")).isEqualTo(types);
    assertThat(comments(text, "HELP")).isEqualTo(help);
    List<Sample> samples = Scrape.of(text).samples();
    assertThat(samples).hasSizeGreaterThan(Families.ALL.size());
    for (Sample s : samples) {
      MetricFamily f =
          Families.ALL.stream()
              .filter(d -> d.name().equals(s.name()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("undeclared series " + s));
      assertThat(s.labels().keySet())
          .as(s.toString())
          .containsExactlyInAnyOrderElementsOf(f.labelNames());
    }
  }

  /** A peer with one watched prefix in the tables of {@code watched}. */
  private static Snapshots.Router withWatched(List<Snapshots.Watched> watched) {
    Snapshots.Router r = router();
    Snapshots.Peer p = r.peers().get(0);
    Snapshots.Peer q =
        new Snapshots.Peer(
            p.peer(),
            p.rd(),
            p.peerType(),
            p.peerAs(),
            p.peerBgpId(),
            p.table(),
            p.up(),
            p.upTimestampSeconds(),
            p.lastDownTimestampSeconds(),
            p.ups(),
            p.downs(),
            p.lastDownReason(),
            p.lastDownNotification(),
            p.tables(),
            p.statCounters(),
            p.statGauges(),
            p.statReportTimestampSeconds(),
            p.mirroring(),
            watched);
    return new Snapshots.Router(
        r.router(),
        r.address(),
        r.up(),
        r.upSinceSeconds(),
        r.downSinceSeconds(),
        r.sysName(),
        r.sysDescr(),
        r.messages(),
        r.receivedBytes(),
        r.decodeErrors(),
        r.terminations(),
        List.of(q));
  }

  @Test
  void watchSeriesAreOnePerRibOverItsFamiliesAndShownOnceSeen() throws IOException {
    Scrape s =
        Scrape.of(
            text(
                BmpCollector.collect(
                    List.of(
                        withWatched(
                            List.of(
                                // pre-policy: absent from unicast, present in labeled unicast
                                new Snapshots.Watched(
                                    "docs",
                                    "adj_rib_in_pre",
                                    "ipv4_unicast",
                                    true,
                                    false,
                                    List.of(),
                                    true,
                                    2,
                                    List.of("64501"),
                                    false),
                                new Snapshots.Watched(
                                    "docs",
                                    "adj_rib_in_pre",
                                    "ipv4_labeled_unicast",
                                    true,
                                    true,
                                    List.of("64500", "none"),
                                    false,
                                    0,
                                    List.of(),
                                    true),
                                // post-policy: only a more-specific ever seen
                                new Snapshots.Watched(
                                    "docs",
                                    "adj_rib_in_post",
                                    "ipv4_unicast",
                                    false,
                                    false,
                                    List.of(),
                                    true,
                                    1,
                                    List.of("64500"),
                                    false)))))));
    String[] pre = {"watch", "docs", "rib", "adj_rib_in_pre"};
    String[] post = {"watch", "docs", "rib", "adj_rib_in_post"};
    assertThat(s.value("bmp_watch_prefix_present", pre)).isEqualTo(1);
    assertThat(s.value("bmp_watch_more_specifics", pre)).isEqualTo(2);
    assertThat(s.value("bmp_watch_unexpected_origin", pre)).isEqualTo(1);
    assertThat(s.samples())
        .filteredOn(x -> x.name().equals("bmp_watch_prefix_origin_info"))
        .extracting(x -> x.labels().get("origin_as"))
        .containsExactly("64500", "none");
    assertThat(s.samples())
        .as("no presence where only a more-specific was ever seen")
        .noneMatch(
            x ->
                x.name().equals("bmp_watch_prefix_present")
                    && x.labels().get("rib").equals("adj_rib_in_post"));
    assertThat(s.value("bmp_watch_more_specifics", post)).isEqualTo(1);
    assertThat(s.value("bmp_watch_unexpected_origin", post)).isZero();
  }

  @Test
  void scrapeSeriesFollowTheLastDurationsAndTheTimeouts() throws IOException {
    long[] timeouts = {3};
    ScrapeCollector scrapes = new ScrapeCollector(() -> timeouts[0]);
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(scrapes);
    Scrape before = Scrape.of(text(registry));
    assertThat(before.value("bmp_exporter_scrape_duration_seconds", "target", "all")).isZero();
    assertThat(before.value("bmp_exporter_snapshot_timeouts_total")).isEqualTo(3);
    scrapes.served(ScrapeCollector.Target.ROUTER, 250_000_000L, 40, false);
    scrapes.served(ScrapeCollector.Target.ALL, 1_500_000_000L, 900, false);
    scrapes.served(ScrapeCollector.Target.ROUTER, 125_000_000L, 41, true);
    scrapes.served(ScrapeCollector.Target.ROUTER, 125_000_000L, 41, true);
    timeouts[0] = 4;
    Scrape after = Scrape.of(text(registry));
    assertThat(after.value("bmp_exporter_scrape_duration_seconds", "target", "router"))
        .isEqualTo(0.125);
    assertThat(after.value("bmp_exporter_scrape_duration_seconds", "target", "all")).isEqualTo(1.5);
    assertThat(after.value("bmp_exporter_scrape_series", "target", "router")).isEqualTo(41);
    assertThat(after.value("bmp_exporter_scrape_series", "target", "all")).isEqualTo(900);
    assertThat(after.value("bmp_exporter_scrape_cached_pages_total")).isEqualTo(2);
    assertThat(after.value("bmp_exporter_snapshot_timeouts_total")).isEqualTo(4);
  }

  @Test
  void routerInfoCarriesTheInventorysNameAndLabelsAndNothingElseDoes() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    RouterLabels edge = new RouterLabels("edge1", Map.of("site", "ams", "role", "edge"));
    registry.register(
        new MultiCollector() {
          @Override
          public MetricSnapshots collect() {
            return BmpCollector.collect(List.of(router()), address -> edge);
          }
        });
    Scrape s = Scrape.of(text(registry));
    Sample info = s.find("bmp_router_info").get(0);
    assertThat(info.labels())
        .containsEntry("name", "edge1")
        .containsEntry("site", "ams")
        .containsEntry("role", "edge")
        .containsEntry("bmp_version", "3")
        .containsEntry("router", router().router());
    assertThat(s.value("bmp_route_policy_trace_events_total", "afi_safi", "ipv4_unicast"))
        .isEqualTo(6);
    assertThat(s.samples())
        .filteredOn(x -> !x.name().equals("bmp_router_info"))
        .allSatisfy(x -> assertThat(x.labels()).doesNotContainKeys("name", "site", "role"));
    assertThat(text(BmpCollector.collect(List.of(router()), address -> RouterLabels.NONE)))
        .as("without an inventory entry, as before")
        .isEqualTo(text(BmpCollector.collect(List.of(router()))));
  }

  @Test
  void exporterSeriesFollowTheSessionCounts() throws IOException {
    SessionCounts counts = new SessionCounts();
    ExporterCollector collector = new ExporterCollector(counts, new ConnectTargets(), "1.2.3");
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);

    // Every refusal reason is there at 0 before the first refusal.
    var before = Scrape.of(text(registry));
    for (Rejection r : Rejection.values()) {
      assertThat(before.value("bmp_sessions_rejected_total", "reason", r.label())).isZero();
    }
    assertThat(before.value("bmp_sessions")).isZero();
    assertThat(before.value("bmp_exporter_build_info", "version", "1.2.3")).isEqualTo(1);

    counts.opened();
    counts.opened();
    counts.closed();
    counts.reject(Rejection.PARALLEL_SESSIONS);
    var after = Scrape.of(text(registry));
    assertThat(after.value("bmp_sessions")).isEqualTo(1);
    assertThat(after.value("bmp_sessions_accepted_total")).isEqualTo(2);
    assertThat(after.value("bmp_sessions_rejected_total", "reason", "parallel_sessions"))
        .isEqualTo(1);
    assertThat(after.value("bmp_sessions_rejected_total", "reason", "access_list")).isZero();
  }

  @Test
  void aPeerSeenAsTwoPeerTypesIsExposedOnce() throws IOException {
    Snapshots.Router r = router();
    Snapshots.Peer p = r.peers().get(0);
    Snapshots.Peer twin =
        new Snapshots.Peer(
            p.peer(),
            p.rd(),
            "local_instance",
            65099,
            p.peerBgpId(),
            p.table(),
            true,
            0,
            0,
            0,
            List.of(),
            "",
            "",
            List.of(),
            List.of(),
            List.of(),
            0,
            Map.of());
    Snapshots.Router both =
        new Snapshots.Router(
            r.router(),
            r.address(),
            r.up(),
            r.upSinceSeconds(),
            r.downSinceSeconds(),
            r.sysName(),
            r.sysDescr(),
            r.messages(),
            r.receivedBytes(),
            r.decodeErrors(),
            r.terminations(),
            List.of(p, twin));
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new BmpCollector(() -> List.of(both)));
    var scrape = Scrape.of(text(registry));
    assertThat(scrape.find("bmp_peer_info"))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("peer_type", "global_instance"));
    assertThat(scrape.value("bmp_peer_up", "peer", p.peer())).isZero();
  }

  @Test
  void aFamilyTakesOnlyItsOwnTypeAndLabels() {
    DataPoints points = new DataPoints();
    assertThatThrownBy(() -> points.gauge(Families.ROUTES, 1, "192.0.2.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bmp_routes");
    assertThatThrownBy(() -> points.counter(Families.ROUTES, 1, "r", "p", "", "loc_rib", "all"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GAUGE");
  }

  @Test
  void aDeclaredNameCarriesItsTypeSuffix() {
    assertThatThrownBy(() -> new MetricFamily("bmp_things", MetricFamily.Type.COUNTER, "Things"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MetricFamily("bmp_thing", MetricFamily.Type.INFO, "A thing"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            new MetricFamily("bmp_things_total", MetricFamily.Type.COUNTER, "Things")
                .prometheusName())
        .isEqualTo("bmp_things");
  }
}
