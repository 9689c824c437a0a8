package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Active mode (the exporter connects to a router's BMP listener) and series retention. */
@ComponentTest
@Timeout(60)
class ActiveModeAndRetentionTest {

  /** Plays a router in BMP listener mode: accepts one connection and sends a session. */
  private static Socket acceptAndSend(ServerSocket listener, String sysName) throws Exception {
    listener.setSoTimeout(20_000);
    Socket s = listener.accept();
    OutputStream out = s.getOutputStream();
    byte[] peer = Bmp.globalPeer("192.0.2.7", 65007);
    out.write(
        Bmp.concat(
            Bmp.initiation(sysName, "listener"),
            Bmp.peerUp(peer),
            Bmp.routeMonitoring(
                peer, Bmp.updateV4(new byte[0], Bmp.nlri("10.7.0.0/16", "10.8.0.0/16")))));
    out.flush();
    return s;
  }

  @Test
  @SuppressWarnings("try") // the router socket only has to stay open during the block
  void connectsOutAndReconnectsAfterTheRouterRestarts() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.5.1");
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(lo, 0));
    int port = listener.getLocalPort();
    try (BmpExporter exporter =
        BmpExporter.start(
            ExporterConfig.defaults()
                .withWarmup(false)
                .withBmpListen(List.of())
                .withConnect(List.of(new HostPort("127.0.5.1", port)))
                .withReconnect(Duration.ofMillis(100), Duration.ofMillis(400))
                .withWebListen(new HostPort("127.0.0.1", 0)))) {
      String target = "127.0.5.1:" + port;
      Socket first = acceptAndSend(listener, "r-first");
      // generous: in a busy full-suite JVM this first wait has run out at 10 s (not reproduced
      // alone); the test's point is that the session arrives, not how fast
      Scrape.await(
          Duration.ofSeconds(30),
          "routes from the first session",
          () -> Scrape.http(exporter.webPort()).value("bmp_routes", "router", "127.0.5.1") == 2);
      assertThat(Scrape.http(exporter.webPort()).value("bmp_connect_target_up", "target", target))
          .isEqualTo(1);
      // the router restarts: its listener goes away, the session drops
      first.close();
      listener.close();
      Scrape.await(
          Duration.ofSeconds(10),
          "router down",
          () -> Scrape.http(exporter.webPort()).value("bmp_router_up", "router", "127.0.5.1") == 0);
      Scrape.await(
          Duration.ofSeconds(10),
          "target down",
          () ->
              Scrape.http(exporter.webPort()).value("bmp_connect_target_up", "target", target)
                  == 0);
      Thread.sleep(500); // a few failed connection attempts with backoff
      ServerSocket again = new ServerSocket();
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(lo, port));
      try (Socket second = acceptAndSend(again, "r-second")) {
        Scrape.await(
            Duration.ofSeconds(10),
            "router up again",
            () -> {
              Scrape m = Scrape.http(exporter.webPort());
              return m.value("bmp_router_up", "router", "127.0.5.1") == 1
                  && m.value("bmp_routes", "router", "127.0.5.1") == 2;
            });
        Scrape m = Scrape.http(exporter.webPort());
        assertThat(m.find("bmp_router_info", "router", "127.0.5.1").get(0).labels())
            .containsEntry("sys_name", "r-second");
        // one router, its series continued: two sessions' worth of messages, two peer ups
        assertThat(
                m.value("bmp_router_messages_total", "router", "127.0.5.1", "type", "initiation"))
            .isEqualTo(2);
        assertThat(m.value("bmp_peer_ups_total", "router", "127.0.5.1")).isEqualTo(2);
        assertThat(m.value("bmp_sessions_accepted_total")).isEqualTo(2);
      } finally {
        again.close();
      }
    }
  }

  /** A target that never answers has no router series: the target's own series shows it. */
  @Test
  void aTargetThatNeverConnectsIsVisibleWithItsError() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.5.2"))) {
      closedPort = probe.getLocalPort(); // free again once closed: connections are refused
    }
    String target = "127.0.5.2:" + closedPort;
    try (BmpExporter exporter =
        BmpExporter.start(
            ExporterConfig.defaults()
                .withWarmup(false)
                .withBmpListen(List.of())
                .withConnect(List.of(new HostPort("127.0.5.2", closedPort)))
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .withWebListen(new HostPort("127.0.0.1", 0)))) {
      LiveExporter live = LiveExporter.of(exporter);
      Scrape.await(
          Duration.ofSeconds(10),
          "several refused attempts",
          () ->
              live.json("/api/v1/routers").path("connect_targets").path(0).path("attempts").asLong()
                  >= 3);
      Scrape m = Scrape.http(exporter.webPort());
      assertThat(m.value("bmp_connect_target_up", "target", target)).isZero();
      assertThat(m.find("bmp_router_up")).isEmpty();
      var t = live.json("/api/v1/routers").path("connect_targets").path(0);
      assertThat(t.path("target").asText()).isEqualTo(target);
      assertThat(t.path("up").asBoolean()).isFalse();
      assertThat(t.path("connects").asLong()).isZero();
      assertThat(t.path("last_error").asText()).isEqualToIgnoringCase("connection refused");
      assertThat(t.path("last_error_at").asDouble()).isPositive();
    }
  }

  /** A refused active-mode session (here by the access list) is retried, not given up on. */
  @Test
  void aRefusedActiveSessionIsRetried() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.5.3"))) {
      int port = listener.getLocalPort();
      try (BmpExporter exporter =
          BmpExporter.start(
              ExporterConfig.defaults()
                  .withWarmup(false)
                  .withBmpListen(List.of())
                  .withConnect(List.of(new HostPort("127.0.5.3", port)))
                  .withReconnect(Duration.ofMillis(50), Duration.ofMillis(100))
                  .withWebListen(new HostPort("127.0.0.1", 0))
                  .with("bmp.allow", List.of("192.0.2.0/24")))) {
        LiveExporter live = LiveExporter.of(exporter);
        Thread acceptor =
            new Thread(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    try (Socket s = listener.accept()) {
                      s.getInputStream().read(); // until the exporter closes it
                    } catch (java.io.IOException e) {
                      return;
                    }
                  }
                });
        acceptor.setDaemon(true);
        acceptor.start();
        Scrape.await(
            Duration.ofSeconds(15),
            "three connections, each refused and retried",
            () ->
                live.json("/api/v1/routers")
                        .path("connect_targets")
                        .path(0)
                        .path("connects")
                        .asLong()
                    >= 3);
        assertThat(
                Scrape.http(exporter.webPort())
                    .value("bmp_sessions_rejected_total", "reason", "access_list"))
            .isGreaterThanOrEqualTo(3);
      }
    }
  }

  @Test
  void closedRoutersStayForTheRetentionThenDisappear() throws Exception {
    try (BmpExporter exporter =
        BmpExporter.start(
            ExporterConfig.defaults()
                .withWarmup(false)
                .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                .withWebListen(new HostPort("127.0.0.1", 0))
                .withRetention(Duration.ofSeconds(2)))) {
      Socket s = new Socket();
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.6.1"), 0));
      s.connect(new InetSocketAddress("127.0.0.1", exporter.bmpPorts().get(0)));
      s.getOutputStream().write(Bmp.initiation("short-lived", "x"));
      Scrape.await(
          Duration.ofSeconds(10),
          "router seen",
          () -> Scrape.http(exporter.webPort()).value("bmp_router_up", "router", "127.0.6.1") == 1);
      s.close();
      Scrape.await(
          Duration.ofSeconds(10),
          "router down but kept",
          () -> Scrape.http(exporter.webPort()).value("bmp_router_up", "router", "127.0.6.1") == 0);
      double now = System.currentTimeMillis() / 1000.0;
      assertThat(exporter.registry().expire(now)).as("kept within the retention").isZero();
      assertThat(exporter.registry().expire(now + 3)).isEqualTo(1);
      assertThat(Scrape.http(exporter.webPort()).find("bmp_router_up", "router", "127.0.6.1"))
          .isEmpty();
    }
  }

  @Test
  void twoLiveSessionsFromOneAddressDoNotClobberEachOther() throws Exception {
    try (BmpExporter exporter =
            BmpExporter.start(
                ExporterConfig.defaults()
                    .withWarmup(false)
                    .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                    .withWebListen(new HostPort("127.0.0.1", 0)));
        Socket a = new Socket();
        Socket b = new Socket()) {
      for (Socket s : List.of(a, b)) {
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.7.1"), 0));
        s.connect(new InetSocketAddress("127.0.0.1", exporter.bmpPorts().get(0)));
        // b once a is a router: connections accepted together run on different event loops and
        // become routers in no defined order (a is to be the plain label, b the "#2")
        int sessions = s == a ? 1 : 2;
        Scrape.await(
            Duration.ofSeconds(10),
            sessions + " session(s)",
            () -> Scrape.http(exporter.webPort()).find("bmp_router_up").size() == sessions);
      }
      byte[] peer = Bmp.globalPeer("192.0.2.6", 65006);
      a.getOutputStream()
          .write(
              Bmp.concat(
                  Bmp.peerUp(peer),
                  Bmp.routeMonitoring(peer, Bmp.updateV4(new byte[0], Bmp.nlri("10.1.0.0/16")))));
      Scrape.await(
          Duration.ofSeconds(10),
          "two sessions",
          () -> Scrape.http(exporter.webPort()).find("bmp_router_up").size() == 2);
      b.getOutputStream().write(Bmp.peerDown(peer, 4, new byte[0]));
      Scrape.await(
          Duration.ofSeconds(10),
          "peer down on the second session",
          () -> Scrape.http(exporter.webPort()).value("bmp_peer_up", "router", "127.0.7.1#2") == 0);
      Scrape m = Scrape.http(exporter.webPort());
      assertThat(m.value("bmp_peer_up", "router", "127.0.7.1")).isEqualTo(1);
      assertThat(m.value("bmp_routes", "router", "127.0.7.1")).isEqualTo(1);
    }
  }
}
