package org.bmpexporter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TCP relay against a real collector: FRR's BMP goes to the exporter, which forwards it ({@code
 * bmp.forward}) to one pmacct pmbmpd, while FRR also sends it straight to a second pmbmpd. Both
 * pmbmpd must end up with the same peers and the same prefixes, the count the exporter and the
 * route set expect. The relayed pmbmpd is then restarted: its new session starts with the replayed
 * Initiation and Peer Ups (pmbmpd sees the same peers up), and a peer reset afterwards brings both
 * pmbmpd to the same prefixes again.
 *
 * <pre>
 *   GoBGP injector (127.0.0.2) --eBGP--> FRR 127.0.0.1 --BMP--> exporter --bmp.forward--> pmbmpd "relayed"
 *                                                      --BMP-----------------------------> pmbmpd "direct"
 * </pre>
 */
@Tag("interop")
@Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class ForwardPmbmpdIT {
  private static final RouteSet ROUTES =
      new RouteSet(1000, 200, 5, GobgpInjector.AS, "192.0.2.2", "2001:db8:ffff::2");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void pmbmpdBehindTheExporterSeesWhatPmbmpdConnectedToFrrSees() throws IOException {
    Tools.requireRouterTools();
    Pmbmpd.require();
    ExporterProcess.requireJar();
    String run =
        "forward-"
            + LocalDateTime.now(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = Path.of("target", "interop", run).toAbsolutePath();
    GobgpInjector injector = new GobgpInjector(work.resolve("injector"), ROUTES);
    FrrRouter frr = new FrrRouter("frr", work.resolve("frr"), "127.0.0.1", 65001, false, injector);
    frr.injectorNeighbors(0).forEach(injector::neighbor);
    Pmbmpd direct =
        new Pmbmpd("pmbmpd-direct", work.resolve("pmbmpd-direct"), "127.0.0.1", Ports.free());
    Pmbmpd relayed =
        new Pmbmpd("pmbmpd-relayed", work.resolve("pmbmpd-relayed"), "127.0.0.1", Ports.free());
    ExporterProcess.Endpoint bmp = new ExporterProcess.Endpoint("127.0.0.1", Ports.free());
    String destination = "127.0.0.1:" + relayed.port();
    Path config = work.resolve("exporter.yml");
    Files.createDirectories(work);
    Files.writeString(
        config,
        String.join(
            "\n",
            "bmp:",
            "  forward: [\"" + destination + "\"]",
            "  reconnect_min: 200ms",
            "  reconnect_max: 1s",
            ""));
    ExporterProcess exporter =
        new ExporterProcess(
                "exporter",
                work.resolve("exporter"),
                new ExporterProcess.Config(
                    List.of(bmp),
                    new ExporterProcess.Endpoint("127.0.0.1", Ports.free()),
                    List.of()))
            .args(List.of("--config", config.toString(), "--no-warmup"));
    try (injector;
        frr;
        direct;
        relayed;
        exporter) {
      direct.start();
      relayed.start();
      exporter.start();
      injector.start();
      injector.inject();
      frr.start();
      Await.untilEquals(
          () ->
              List.of(
                  frr.pfxRcd("ipv4", GobgpInjector.ADDRESS),
                  frr.pfxRcd("ipv6", GobgpInjector.ADDRESS)),
          List.of(ROUTES.acceptedV4(), ROUTES.acceptedV6()),
          WAIT,
          "FRR accepted prefixes [v4, v6]");
      // one target group, two collectors: the exporter and pmbmpd
      frr.addBmpTarget(bmp.host(), bmp.port());
      frr.configure(
          "bmp targets " + FrrRouter.TARGET,
          "bmp connect 127.0.0.1 port " + direct.port() + " min-retry 100 max-retry 2000",
          "exit");

      Await.until(
          () -> {
            Scrape m = exporter.scrape();
            return m.sum(
                        "bmp_routes",
                        "router",
                        "127.0.0.1",
                        "rib",
                        "adj_rib_in_post",
                        "afi_safi",
                        "ipv4_unicast")
                    == ROUTES.acceptedV4()
                && m.sum(
                        "bmp_routes",
                        "router",
                        "127.0.0.1",
                        "rib",
                        "adj_rib_in_post",
                        "afi_safi",
                        "ipv6_unicast")
                    == ROUTES.acceptedV6();
          },
          WAIT,
          "the exporter's post-policy routes from FRR");
      Pmbmpd.State want =
          Await.until(
              direct::state,
              s ->
                  s.count("post", 1) == ROUTES.acceptedV4()
                      && s.count("post", 2) == ROUTES.acceptedV6(),
              WAIT,
              "pmbmpd-direct's post-policy prefixes");
      // the same peers and prefixes (pre- and post-policy) through the exporter
      Await.untilStable(
          () -> List.of(direct.state(), relayed.state()),
          l -> l.get(0).equals(l.get(1)),
          Duration.ofSeconds(2),
          WAIT,
          "pmbmpd-relayed's peers and prefixes equal pmbmpd-direct's");
      assertThat(want.peers()).contains(GobgpInjector.ADDRESS);
      assertThat(want.count("pre", 1)).isGreaterThanOrEqualTo(ROUTES.acceptedV4());
      Scrape m = exporter.scrape();
      assertThat(m.value("bmp_forward_dropped_messages_total", "destination", destination))
          .isZero();
      assertThat(m.value("bmp_exporter_forward_sessions", "destination", destination)).isEqualTo(1);

      // the relayed collector restarts: a fresh session, Initiation and Peer Ups replayed
      relayed.stop();
      relayed.start();
      Await.until(
          () ->
              exporter
                      .scrape()
                      .value(
                          "bmp_exporter_forward_replayed_starts_total", "destination", destination)
                  == 1,
          WAIT,
          "a replayed session start to the restarted pmbmpd");
      Await.untilEquals(
          () -> relayed.state().peers(),
          direct.state().peers(),
          WAIT,
          "peers up at pmbmpd-relayed");
      List<String> first =
          relayed.log().stream()
              .filter(d -> d.path("event_type").asText().equals("log"))
              .limit(2)
              .map(d -> d.path("bmp_msg_type").asText())
              .toList();
      assertThat(first)
          .as("the restarted pmbmpd's first messages")
          .containsExactly("init", "peer_up");
      // routes are not replayed; a peer reset sends the table again, to both
      frr.clear(GobgpInjector.ADDRESS);
      Await.untilStable(
          () -> List.of(direct.state(), relayed.state()),
          l ->
              l.get(0).equals(l.get(1))
                  && l.get(0).count("post", 1) == ROUTES.acceptedV4()
                  && l.get(0).count("post", 2) == ROUTES.acceptedV6(),
          Duration.ofSeconds(2),
          WAIT,
          "after a peer reset, pmbmpd-relayed's peers and prefixes equal pmbmpd-direct's");
    }
  }
}
