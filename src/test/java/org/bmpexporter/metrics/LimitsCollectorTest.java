package org.bmpexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.state.StateLimits;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;

/**
 * The limit series in the exposition (every limit from the start at 0, the reached ones at 1 with
 * what they dropped), and a router whose series cannot be built left out of a scrape that still has
 * every other router's series.
 */
class LimitsCollectorTest {
  private static final byte[] PEER_A = globalPeer("192.0.2.2", 65002);
  private static final byte[] PEER_B = globalPeer("192.0.2.3", 65003);

  private static String text(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, snapshots, EscapingScheme.ALLOW_UTF8);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static RouterState router(String address, StateLimits limits, byte[]... messages) {
    RouterState r = new RouterState(address, address, Runnable::run, limits);
    BmpSession s = new BmpSession(r, 1 << 20, () -> 1_700_000_000.0);
    s.open();
    byte[] all = concat(messages);
    s.feed(all, 0, all.length);
    return r;
  }

  @Test
  void reachedLimitsShowAsOneWithWhatTheyDroppedTheOthersAsZero() throws Exception {
    StateLimits limits = new StateLimits(1, 64, 256, 2, 1_000, 4);
    RouterState r =
        router(
            "192.0.2.1",
            limits,
            peerUp(PEER_A),
            peerUp(PEER_B), // peer limit 1: dropped
            routeMonitoring(
                PEER_A, updateV4(new byte[0], nlri("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"))));
    String text = text(BmpCollector.collect(List.of(r.snapshot())));
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("bmp_router_limit_reached") || line.startsWith("bmp_router_dropped")) {
        lines.add(line);
      }
    }
    assertThat(lines)
        .containsExactly(
            "bmp_router_dropped_total{limit=\"peers\",router=\"192.0.2.1\"} 1.0",
            "bmp_router_dropped_total{limit=\"routes\",router=\"192.0.2.1\"} 1.0",
            "bmp_router_dropped_total{limit=\"routes_total\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_dropped_total{limit=\"sessions_per_address\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_dropped_total{limit=\"stat_types\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_dropped_total{limit=\"tables\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_dropped_total{limit=\"watch_more_specifics\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_limit_reached{limit=\"peers\",router=\"192.0.2.1\"} 1.0",
            "bmp_router_limit_reached{limit=\"routes\",router=\"192.0.2.1\"} 1.0",
            "bmp_router_limit_reached{limit=\"routes_total\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_limit_reached{limit=\"sessions_per_address\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_limit_reached{limit=\"stat_types\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_limit_reached{limit=\"tables\",router=\"192.0.2.1\"} 0.0",
            "bmp_router_limit_reached{limit=\"watch_more_specifics\",router=\"192.0.2.1\"} 0.0");
    Scrape scrape = Scrape.of(text);
    assertThat(scrape.sum("bmp_routes")).isEqualTo(2);
    assertThat(scrape.find("bmp_peer_up")).hasSize(1);
  }

  @Test
  void aRouterWhoseSeriesFailIsLeftOutWhileTheOthersAreComplete() throws Exception {
    RouterState clean =
        router(
            "192.0.2.1",
            StateLimits.unlimited(),
            initiation("clean", "Test OS"),
            peerUp(PEER_A),
            routeMonitoring(PEER_A, updateV4(new byte[0], nlri("10.0.0.0/24", "10.0.1.0/24"))));
    Snapshots.Router good = clean.snapshot();
    // A snapshot that breaks a collector half-way (after the router series, in a peer's tables).
    Snapshots.Peer p = good.peers().get(0);
    Snapshots.Peer brokenPeer =
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
            null,
            p.statCounters(),
            p.statGauges(),
            p.statReportTimestampSeconds(),
            Map.of());
    Snapshots.Router broken =
        new Snapshots.Router(
            "192.0.2.9",
            "192.0.2.9",
            true,
            1,
            0,
            "broken",
            "",
            good.messages(),
            1,
            Map.of(),
            Map.of(),
            List.of(brokenPeer),
            good.limits());

    BmpCollector collector = new BmpCollector(() -> List.of(good, broken));
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    long before = BmpCollector.routersLeftOut(); // process-wide count
    for (int scrape = 1; scrape <= 2; scrape++) {
      String text = text(registry.scrape());
      Scrape s = Scrape.of(text);
      assertThat(s.samples())
          .as("no series of the broken router, not even its router-level ones")
          .noneMatch(x -> "192.0.2.9".equals(x.labels().get("router")));
      String expected = text(BmpCollector.collect(List.of(good)));
      assertThat(text).isEqualTo(expected);
      assertThat(s.value("bmp_routes", "router", "192.0.2.1", "rib", "adj_rib_in_pre"))
          .isEqualTo(2);
      assertThat(BmpCollector.routersLeftOut() - before).isEqualTo(scrape);
    }
  }
}
