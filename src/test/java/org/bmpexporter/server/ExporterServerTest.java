package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.OracleCounter;
import org.bmpexporter.testing.Promtool;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Drives the real server over loopback TCP with real router streams and checks what /metrics says
 * against an independent count of the same streams.
 */
@ComponentTest
@Timeout(120)
class ExporterServerTest {
  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
  private static BmpExporter exporter;

  @BeforeAll
  static void start() throws Exception {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingLeaks());
    exporter =
        BmpExporter.start(
            ExporterConfig.defaults()
                .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                .withWebListen(new HostPort("127.0.0.1", 0)));
  }

  @AfterAll
  static void stop() {
    if (exporter != null) {
      exporter.close();
    }
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ExporterServerTest.class.getResourceAsStream("/lab/" + name)) {
      return in.readAllBytes();
    }
  }

  /** Connects from {@code source} (a 127/8 address, so each is its own router) and sends. */
  static Socket send(String source, byte[]... chunks) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    s.connect(new InetSocketAddress("127.0.0.1", exporter.bmpPorts().get(0)), 5000);
    OutputStream out = s.getOutputStream();
    for (byte[] c : chunks) {
      out.write(c);
    }
    out.flush();
    return s;
  }

  static String hex16(String address) {
    return HexFormat.of().formatHex(Bmp.ip16(address));
  }

  private static void awaitMessages(String router, long n) {
    Scrape.await(
        Duration.ofSeconds(30),
        router + " to count " + n + " messages",
        () ->
            Scrape.http(exporter.webPort()).sum("bmp_router_messages_total", "router", router)
                == n);
  }

  @Test
  void startUpWarmupRunsCleanlyAndLeavesNothingInTheRegistryOrMetrics() throws Exception {
    // This exporter runs with the embedded default (warm-up on), as `java -jar` does.
    Warmup.Result r = (Warmup.Result) exporter.warmup().get(60, TimeUnit.SECONDS);
    assertThat(r.rounds()).isPositive();
    assertThat(r.decodeErrors()).isZero();
    assertThat(exporter.registry().get("warmup")).isNull();
    Scrape m = Scrape.http(exporter.webPort());
    // neither its router label nor its ADD-PATH and FRR-shaped peers' addresses appear anywhere
    assertThat(m.text())
        .doesNotContain("warmup")
        .doesNotContain("10.0.0.2\"")
        .doesNotContain("10.0.0.3\"");
  }

  @Test
  void initialDumpsOfTwoRoutersInParallelMatchAnIndependentCount() throws Exception {
    byte[] frr = resource("frr-demo.2.bin");
    byte[] gobgp = resource("gobgp-demo.2.bin");
    OracleCounter frrTruth = OracleCounter.count(frr);
    OracleCounter gobgpTruth = OracleCounter.count(gobgp);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Socket>> sockets = new ArrayList<>();
    sockets.add(pool.submit(() -> send("127.0.1.1", frr)));
    sockets.add(pool.submit(() -> send("127.0.1.2", gobgp)));
    awaitMessages("127.0.1.1", frrTruth.messagesByType.values().stream().mapToLong(i -> i).sum());
    awaitMessages("127.0.1.2", gobgpTruth.messagesByType.values().stream().mapToLong(i -> i).sum());
    Scrape m = Scrape.http(exporter.webPort());

    int checked = 0;
    for (Scrape.Sample s : m.find("bmp_routes")) {
      String router = s.labels().get("router");
      if (!router.equals("127.0.1.1") && !router.equals("127.0.1.2")) {
        continue;
      }
      OracleCounter truth = router.equals("127.0.1.1") ? frrTruth : gobgpTruth;
      long expected =
          truth.routes(
              hex16(s.labels().get("peer")), s.labels().get("rib"), s.labels().get("afi_safi"));
      assertThat((long) s.value()).as("%s", s).isEqualTo(expected);
      checked++;
    }
    // FRR: 2 peers x pre/post (127.0.0.2 v4+v6, ::1 v6) = 6; GoBGP adds Loc-RIB v4+v6 = 8
    assertThat(checked).isEqualTo(14);
    // the lab README's figures for the FRR dump after bmp-restart
    assertThat(
            m.value(
                "bmp_routes",
                "router",
                "127.0.1.1",
                "peer",
                "127.0.0.2",
                "rib",
                "adj_rib_in_pre",
                "afi_safi",
                "ipv4_unicast"))
        .isEqualTo(1000);
    assertThat(
            m.value(
                "bmp_routes",
                "router",
                "127.0.1.1",
                "peer",
                "127.0.0.2",
                "rib",
                "adj_rib_in_post",
                "afi_safi",
                "ipv4_unicast"))
        .isEqualTo(800);
    assertThat(
            m.value(
                "bmp_end_of_rib",
                "router",
                "127.0.1.1",
                "peer",
                "::1",
                "rib",
                "adj_rib_in_post",
                "afi_safi",
                "ipv6_unicast"))
        .isEqualTo(1);
    assertThat(m.value("bmp_router_up", "router", "127.0.1.2")).isEqualTo(1);
    assertThat(m.find("bmp_router_info", "router", "127.0.1.2").get(0).labels())
        .containsEntry("sys_name", "GoBGP"); // a BMP server added by `gobgp bmp add`
    assertThat(m.value("bmp_peer_up", "router", "127.0.1.2", "peer", "127.0.0.2", "rd", ""))
        .isEqualTo(1);
    assertThat(m.sum("bmp_router_decode_errors_total", "router", "127.0.1.1")).isZero();
    Promtool.checkMetrics(m.text());

    for (Future<Socket> f : sockets) {
      f.get(10, TimeUnit.SECONDS).close();
    }
    pool.shutdown();
    Scrape.await(
        Duration.ofSeconds(10),
        "both sessions to end",
        () -> {
          Scrape after = Scrape.http(exporter.webPort());
          return after.value("bmp_router_up", "router", "127.0.1.1") == 0
              && after.value("bmp_router_up", "router", "127.0.1.2") == 0;
        });
    Scrape after = Scrape.http(exporter.webPort());
    assertThat(after.sum("bmp_routes", "router", "127.0.1.1")).isZero();
    assertThat(after.sum("bmp_peer_up", "router", "127.0.1.2")).isZero();
    // counters survive the session for the retention
    assertThat(after.sum("bmp_router_messages_total", "router", "127.0.1.2")).isPositive();
  }

  @Test
  @SuppressWarnings("try") // the router socket only has to stay open during the block
  void fullStreamWithEventsCountsPeerDownsTerminationAndStatistics() throws Exception {
    byte[] gobgp = resource("gobgp-demo.bin");
    OracleCounter truth = OracleCounter.count(gobgp);
    try (Socket s = send("127.0.2.1", gobgp)) {
      awaitMessages("127.0.2.1", truth.messagesByType.values().stream().mapToLong(i -> i).sum());
      Scrape m = Scrape.http(exporter.webPort());
      for (Scrape.Sample r : m.find("bmp_routes", "router", "127.0.2.1")) {
        assertThat((long) r.value())
            .as("%s", r)
            .isEqualTo(
                truth.routes(
                    hex16(r.labels().get("peer")),
                    r.labels().get("rib"),
                    r.labels().get("afi_safi")));
      }
      // lab README: prefix-limit Cease/1 (reason 1), injector stop Cease/3 x2, reset (reason 4)
      assertThat(
              m.value(
                  "bmp_peer_downs_total",
                  "router",
                  "127.0.2.1",
                  "peer",
                  "127.0.0.2",
                  "reason",
                  "local_notification",
                  "notification",
                  "cease/maximum_number_of_prefixes_reached"))
          .isEqualTo(1);
      assertThat(
              m.sum(
                  "bmp_peer_downs_total",
                  "router",
                  "127.0.2.1",
                  "notification",
                  "cease/peer_de_configured"))
          .isEqualTo(2);
      assertThat(
              m.value(
                  "bmp_router_terminations_total",
                  "router",
                  "127.0.2.1",
                  "reason",
                  "permanently_administratively_closed"))
          .isEqualTo(1);
      assertThat(
              m.find(
                  "bmp_peer_stat_value",
                  "router",
                  "127.0.2.1",
                  "stat_type",
                  "adj_rib_in_routes",
                  "afi_safi",
                  "all"))
          .isNotEmpty();
      assertThat(m.value("bmp_router_messages_total", "router", "127.0.2.1", "type", "termination"))
          .isEqualTo(1);
    }
  }

  @Test
  @SuppressWarnings("try") // the router socket only has to stay open during the block
  void disconnectingMidMessageLeavesNoStateAndLeaksNothing() throws Exception {
    byte[] peer = Bmp.globalPeer("192.0.2.9", 65009);
    byte[] rm = Bmp.routeMonitoring(peer, Bmp.updateV4(new byte[0], Bmp.nlri("10.9.0.0/16")));
    byte[] half = java.util.Arrays.copyOf(rm, rm.length / 2);
    try (Socket s = send("127.0.3.1", Bmp.initiation("cut", "test"), Bmp.peerUp(peer), rm, half)) {
      awaitMessages("127.0.3.1", 3);
      assertThat(Scrape.http(exporter.webPort()).value("bmp_routes", "router", "127.0.3.1"))
          .isEqualTo(1);
    }
    Scrape.await(
        Duration.ofSeconds(10),
        "router 127.0.3.1 down",
        () -> Scrape.http(exporter.webPort()).value("bmp_router_up", "router", "127.0.3.1") == 0);
    Scrape m = Scrape.http(exporter.webPort());
    assertThat(m.value("bmp_routes", "router", "127.0.3.1")).isZero();
    assertThat(m.value("bmp_peer_up", "router", "127.0.3.1", "peer", "192.0.2.9")).isZero();
    assertThat(
            m.value(
                "bmp_router_decode_errors_total",
                "router",
                "127.0.3.1",
                "error",
                "truncated_stream"))
        .isEqualTo(1);
    System.gc();
    assertThat(LEAKS).isEmpty();
  }

  @Test
  void aBadStreamEndsOnlyItsOwnSession() throws Exception {
    try (Socket good = send("127.0.4.1", Bmp.initiation("good", "x"));
        Socket bad = send("127.0.4.2", new byte[] {5, 0, 0, 0, 6, 4})) {
      Scrape.await(
          Duration.ofSeconds(10),
          "bad session closed with bad_version",
          () -> {
            Scrape m = Scrape.http(exporter.webPort());
            return m.value(
                        "bmp_router_decode_errors_total",
                        "router",
                        "127.0.4.2",
                        "error",
                        "bad_version")
                    == 1
                && m.value("bmp_router_up", "router", "127.0.4.2") == 0;
          });
      assertThat(bad.getInputStream().read()).as("server closed the bad session").isEqualTo(-1);
      good.getOutputStream().write(Bmp.peerUp(Bmp.globalPeer("192.0.2.8", 65008)));
      awaitMessages("127.0.4.1", 2);
      assertThat(Scrape.http(exporter.webPort()).value("bmp_router_up", "router", "127.0.4.1"))
          .isEqualTo(1);
    }
  }

  @Test
  void aVersion4SessionWorksEndToEnd() throws Exception {
    Bmp.Peer p = Bmp.peer().address("192.0.2.4").as(65004);
    byte[] up =
        Bmp.peerUp(
            p,
            "192.0.2.1",
            179,
            1000,
            Bmp.open(65001, 90, "192.0.2.1", Bmp.capMultiprotocol(1, 1)),
            Bmp.open(65004, 90, "192.0.2.4", Bmp.capMultiprotocol(1, 1)));
    up[0] = 4; // a version 4 Peer Up is a version 3 one with version byte 4
    byte[] update =
        Bmp.update(new byte[0], Bmp.basicAttributes(), Bmp.prefixes("10.4.0.0/24", "10.4.1.0/24"));
    try (Socket s =
        send(
            "127.0.5.1",
            Bmp.bmp4(Bmp.INITIATION, Bmp.tlv(2, "v4-router")),
            up,
            // BGP PDU TLV (type 4), then a path marking of index 0 (every NLRI): best (0x2)
            Bmp.routeMonitoring4(p, Bmp.bgpPdu4(update), Bmp.pathMarking4(0, 0x2, -1)))) {
      awaitMessages("127.0.5.1", 3);
      Scrape m = Scrape.http(exporter.webPort());
      assertThat(m.value("bmp_peer_up", "router", "127.0.5.1", "peer", "192.0.2.4")).isEqualTo(1);
      assertThat(m.value("bmp_routes", "router", "127.0.5.1", "rib", "adj_rib_in_pre"))
          .isEqualTo(2);
      assertThat(m.value("bmp_route_path_status_total", "router", "127.0.5.1", "status", "best"))
          .isEqualTo(2);
      // reason 2 with FSM event 5, then a VRF/table name TLV (00 03 00 01 'v')
      s.getOutputStream().write(Bmp.peerDown4(p, 2, Bmp.w().u16(5).toByteArray(), Bmp.tlv(3, "v")));
      awaitMessages("127.0.5.1", 4);
      m = Scrape.http(exporter.webPort());
      assertThat(m.value("bmp_peer_up", "router", "127.0.5.1", "peer", "192.0.2.4")).isEqualTo(0);
      assertThat(m.value("bmp_routes", "router", "127.0.5.1", "rib", "adj_rib_in_pre"))
          .isEqualTo(0);
      assertThat(m.sum("bmp_router_decode_errors_total", "router", "127.0.5.1")).isEqualTo(0);
      assertThat(m.value("bmp_router_info", "router", "127.0.5.1", "sys_name", "v4-router"))
          .isEqualTo(1);
    }
  }

  @Test
  void serverStartedWithNoArgumentsDefaultsServesMetrics() {
    Scrape m = Scrape.http(exporter.webPort());
    assertThat(m.value("bmp_exporter_build_info", "version", "dev")).isEqualTo(1);
    assertThat(m.find("bmp_sessions")).hasSize(1);
    assertThat(m.find("jvm_memory_used_bytes")).isNotEmpty();
    Promtool.checkMetrics(m.text());
  }

  /** Records every leak report Netty makes at paranoid level. */
  static final class RecordingLeaks extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new ResourceLeakDetector<T>(resource, samplingInterval, maxActive) {
        @Override
        protected void reportTracedLeak(String type, String records) {
          LEAKS.add(type + records);
        }

        @Override
        protected void reportUntracedLeak(String type) {
          LEAKS.add(type);
        }
      };
    }
  }
}
