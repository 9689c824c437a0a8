package org.bmpexporter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Proves the harness without the exporter: the whole topology against the {@link
 * StandinCollector}; both routers connect and send BMP (Initiation first, then Peer Ups, seen in
 * the recorded bytes by {@link BmpWire}), and a real Prometheus scrapes the stand-in's /metrics.
 */
@Tag("interop")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HarnessSmokeIT {
  private InteropLab lab;
  private StandinCollector standin;

  @BeforeAll
  void up() {
    lab = InteropLab.start("HarnessSmokeIT", InteropLab.CollectorKind.STANDIN);
    standin = (StandinCollector) lab.collector;
  }

  @AfterAll
  void down() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void frrConnectsAndSendsInitiationAndPeerUps() {
    List<BmpWire.Message> msgs = awaitPeerUps(InteropLab.FRR_ROUTER, 2);
    assertThat(msgs.get(0).typeName()).as("first FRR message").isEqualTo("initiation");
    assertThat(peerUpAddresses(msgs)).contains(GobgpInjector.ADDRESS, "::1");
    InteropLab.log("FRR stream: " + BmpWire.countByType(msgs) + " in " + standin.recordings(InteropLab.FRR_ROUTER));
  }

  @Test
  void gobgpConnectsAndSendsInitiationAndPeerUps() {
    List<BmpWire.Message> msgs = awaitPeerUps(InteropLab.GOBGP_ROUTER, 1);
    assertThat(msgs.get(0).typeName()).as("first GoBGP message").isEqualTo("initiation");
    assertThat(BmpWire.infoTlvs(msgs.get(0))).as("GoBGP Initiation TLVs").containsKey(2);
    assertThat(peerUpAddresses(msgs)).contains(GobgpInjector.ADDRESS);
    InteropLab.log("GoBGP stream: " + BmpWire.countByType(msgs) + " in " + standin.recordings(InteropLab.GOBGP_ROUTER));
  }

  @Test
  void prometheusScrapesTheCollector() {
    Await.untilEquals(() -> lab.prometheus.targetHealth("bmp-exporter"), List.of("up"), Duration.ofSeconds(30),
        "prometheus target bmp-exporter health");
    Await.untilEquals(() -> lab.prometheus.value("up{job=\"bmp-exporter\"}"), 1.0, Duration.ofSeconds(30),
        "up{job=\"bmp-exporter\"}");
    Await.untilEquals(() -> lab.prometheus.value("bmp_router_up{router=\"" + InteropLab.FRR_ROUTER + "\"}"), 1.0,
        Duration.ofSeconds(30), "bmp_router_up of FRR through Prometheus");
    Await.untilEquals(() -> lab.prometheus.value("bmp_router_up{router=\"" + InteropLab.GOBGP_ROUTER + "\"}"), 1.0,
        Duration.ofSeconds(30), "bmp_router_up of GoBGP through Prometheus");
  }

  private List<BmpWire.Message> awaitPeerUps(String router, int n) {
    Await.until(() -> peerUpAddresses(standin.messages(router)), a -> a.size() >= n, Duration.ofSeconds(30),
        "Peer Up from >= " + n + " peers in the stream of " + router);
    return standin.messages(router);
  }

  private static List<String> peerUpAddresses(List<BmpWire.Message> msgs) {
    return msgs.stream().filter(m -> m.type() == BmpWire.PEER_UP).map(m -> BmpWire.peerHeader(m).address())
        .distinct().toList();
  }
}
