package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Half-open sessions on a live exporter: the takeover rule (same sysName, or the old session
 * silent), parallel sessions that stay apart, and the idle timeout; each from its own 127.0.x.y
 * source address.
 */
@ComponentTest
@Timeout(90)
class SessionTakeoverTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final byte[] PEER = Bmp.globalPeer("192.0.2.9", 65009);

  static BmpExporter start(ExporterConfig config) throws Exception {
    return BmpExporter.start(
        config
            .withWarmup(false)
            .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
            .withWebListen(new HostPort("127.0.0.1", 0)));
  }

  static Socket connect(String from, int port, byte[]... chunks) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    OutputStream out = s.getOutputStream();
    for (byte[] c : chunks) {
      out.write(c);
    }
    out.flush();
    return s;
  }

  /** A router's session start: Initiation, one peer up, its routes. */
  private static byte[][] session(String sysName, String... prefixes) {
    return new byte[][] {
      Bmp.initiation(sysName, "test router"),
      Bmp.peerUp(PEER),
      Bmp.routeMonitoring(PEER, Bmp.updateV4(new byte[0], Bmp.nlri(prefixes)))
    };
  }

  /** True once the exporter closed {@code s} (read returns end of stream within the timeout). */
  static boolean closedByPeer(Socket s, Duration within) throws IOException {
    s.setSoTimeout((int) within.toMillis());
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static double routes(Scrape m, String router) {
    return m.sum("bmp_routes", "router", router, "rib", "adj_rib_in_pre");
  }

  @Test
  void aNewSessionWithTheSameSysNameReplacesTheSilentOldOne() throws Exception {
    try (BmpExporter exporter = start(ExporterConfig.defaults())) {
      int bmp = exporter.bmpPorts().get(0);
      int web = exporter.webPort();
      String router = "127.0.9.1";
      try (Socket old = connect(router, bmp, session("rtr-x", "10.1.0.0/16", "10.2.0.0/16"))) {
        Scrape.await(
            WAIT, "the first session's routes", () -> routes(Scrape.http(web), router) == 2);
        // the router "reboots": its old connection stays open and silent, a new one starts
        try (Socket fresh =
            connect(router, bmp, session("rtr-x", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"))) {
          assertThat(closedByPeer(old, WAIT)).as("the old connection closed").isTrue();
          Scrape.await(
              WAIT, "the new session's routes", () -> routes(Scrape.http(web), router) == 3);
          Scrape m = Scrape.http(web);
          assertThat(m.value("bmp_router_up", "router", router)).isEqualTo(1);
          assertThat(m.find("bmp_router_up").stream().map(s -> s.labels().get("router")))
              .as("no parallel series")
              .containsExactly(router);
          assertThat(routes(m, router)).as("each route counted once").isEqualTo(3);
          assertThat(m.value("bmp_sessions_rejected_total", "reason", "replaced")).isEqualTo(1);
          assertThat(m.value("bmp_sessions")).isEqualTo(1);
          assertThat(m.value("bmp_router_messages_total", "router", router, "type", "initiation"))
              .as("the series continued across both sessions")
              .isEqualTo(2);
          assertThat(closedByPeer(fresh, Duration.ofMillis(300))).as("new one open").isFalse();
        }
      }
    }
  }

  @Test
  void aParallelSessionWithAnotherSysNameStaysApart() throws Exception {
    try (BmpExporter exporter = start(ExporterConfig.defaults())) {
      int bmp = exporter.bmpPorts().get(0);
      int web = exporter.webPort();
      String address = "127.0.9.2";
      try (Socket first = connect(address, bmp, session("rtr-a", "10.1.0.0/16"))) {
        // the second connects once the first is a router: connections accepted at the same time
        // are handled on different event loops, in no defined order
        Scrape.await(WAIT, "the first router", () -> routes(Scrape.http(web), address) == 1);
        try (Socket second =
            connect(address, bmp, session("rtr-b", "10.2.0.0/16", "10.3.0.0/16"))) {
          Scrape.await(
              WAIT,
              "two routers",
              () -> {
                Scrape m = Scrape.http(web);
                return routes(m, address) == 1 && routes(m, address + "#2") == 2;
              });
          assertThat(closedByPeer(first, Duration.ofMillis(500))).isFalse();
          assertThat(closedByPeer(second, Duration.ofMillis(100))).isFalse();
          Scrape m = Scrape.http(web);
          assertThat(m.value("bmp_sessions_rejected_total", "reason", "replaced")).isZero();
          assertThat(m.value("bmp_sessions")).isEqualTo(2);
        }
      }
    }
  }

  @Test
  void aSilentOldSessionIsReplacedWhateverTheSysName() throws Exception {
    try (BmpExporter exporter =
        start(ExporterConfig.defaults().with("bmp.takeover_after", Duration.ofSeconds(1)))) {
      int bmp = exporter.bmpPorts().get(0);
      int web = exporter.webPort();
      String router = "127.0.9.3";
      try (Socket old = connect(router, bmp, session("old-name", "10.1.0.0/16"))) {
        Scrape.await(WAIT, "first session", () -> routes(Scrape.http(web), router) == 1);
        Thread.sleep(1_500); // silent for longer than bmp.takeover_after
        try (Socket fresh = connect(router, bmp, session("new-name", "10.5.0.0/16"))) {
          assertThat(closedByPeer(old, WAIT)).isTrue();
          Scrape.await(
              WAIT,
              "the new session under the old label",
              () -> {
                Scrape m = Scrape.http(web);
                return m.has("bmp_router_info", "router", router, "sys_name", "new-name")
                    && routes(m, router) == 1;
              });
          Scrape m = Scrape.http(web);
          assertThat(m.has("bmp_router_up", "router", router + "#2")).isFalse();
          assertThat(closedByPeer(fresh, Duration.ofMillis(100))).isFalse();
          assertThat(m.value("bmp_sessions_rejected_total", "reason", "replaced")).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void theIdleTimeoutClosesASilentSession() throws Exception {
    try (BmpExporter exporter =
        start(ExporterConfig.defaults().with("bmp.idle_timeout", Duration.ofSeconds(2)))) {
      int bmp = exporter.bmpPorts().get(0);
      int web = exporter.webPort();
      try (Socket talking = connect("127.0.9.4", bmp, session("talks", "10.1.0.0/16"))) {
        // a router that keeps sending (a statistics-sized message every 200 ms) until stopped
        AtomicBoolean talk = new AtomicBoolean(true);
        Thread writer =
            new Thread(
                () -> {
                  try {
                    OutputStream out = talking.getOutputStream();
                    while (talk.get()) {
                      out.write(Bmp.initiation("talks", "still here"));
                      out.flush();
                      Thread.sleep(200);
                    }
                  } catch (IOException | InterruptedException e) {
                    talk.set(false);
                  }
                });
        writer.start();
        Scrape.await(WAIT, "talking session", () -> routes(Scrape.http(web), "127.0.9.4") == 1);
        try (Socket silent = connect("127.0.9.5", bmp, session("silent", "10.1.0.0/16"))) {
          assertThat(closedByPeer(silent, WAIT)).as("the silent session closed").isTrue();
          Scrape m = Scrape.http(web);
          assertThat(m.value("bmp_sessions_rejected_total", "reason", "idle_timeout")).isEqualTo(1);
          assertThat(m.value("bmp_router_up", "router", "127.0.9.5")).isZero();
          assertThat(m.value("bmp_router_up", "router", "127.0.9.4")).isEqualTo(1);
          assertThat(talk.get()).as("the talking one could keep writing").isTrue();
        }
        talk.set(false);
        writer.join(5_000);
        assertThat(closedByPeer(talking, WAIT)).as("silent now, it is closed too").isTrue();
        Scrape.await(
            WAIT,
            "both counted",
            () ->
                Scrape.http(web).value("bmp_sessions_rejected_total", "reason", "idle_timeout")
                    == 2);
      }
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
