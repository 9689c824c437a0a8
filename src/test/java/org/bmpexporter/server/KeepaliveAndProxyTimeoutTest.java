package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.RequiresTool;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP keepalive on accepted BMP sockets, seen from the kernel ({@code ss -o} shows the keepalive
 * timer of the exporter's end of the connection), and the PROXY header timeout.
 */
@ComponentTest
@Timeout(60)
class KeepaliveAndProxyTimeoutTest {
  private static final Pattern KEEPALIVE = Pattern.compile("timer:\\(keepalive,(\\d+)sec");

  /** {@code ss -tnoH state established sport = :PORT}: the exporter's side of its connections. */
  private static String ss(int port) throws Exception {
    Process p =
        new ProcessBuilder("ss", "-tnoH", "state", "established", "( sport = :" + port + " )")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  @RequiresTool(value = "ss", debianPackage = "iproute2")
  void acceptedSocketsCarryTheConfiguredKeepalive() throws Exception {
    try (BmpExporter exporter =
        SessionTakeoverTest.start(
            ExporterConfig.defaults().with("bmp.keepalive.idle", Duration.ofSeconds(17)))) {
      int bmp = exporter.bmpPorts().get(0);
      try (Socket s = SessionTakeoverTest.connect("127.0.9.10", bmp, Bmp.initiation("ka", "x"))) {
        Scrape.await(
            Duration.ofSeconds(15),
            "session up",
            () ->
                Scrape.http(exporter.webPort()).value("bmp_router_up", "router", "127.0.9.10")
                    == 1);
        String out = ss(bmp);
        Matcher m = KEEPALIVE.matcher(out);
        assertThat(m.find()).as("keepalive timer in: %s", out).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(1, 17);
        assertThat(s.isConnected()).isTrue();
      }
    }
    try (BmpExporter exporter =
        SessionTakeoverTest.start(ExporterConfig.defaults().with("bmp.keepalive.enabled", false))) {
      int bmp = exporter.bmpPorts().get(0);
      try (Socket s =
          SessionTakeoverTest.connect("127.0.9.11", bmp, Bmp.initiation("no-ka", "x"))) {
        Scrape.await(
            Duration.ofSeconds(15),
            "session up",
            () ->
                Scrape.http(exporter.webPort()).value("bmp_router_up", "router", "127.0.9.11")
                    == 1);
        String out = ss(bmp);
        assertThat(out).as("one connection").contains("127.0.9.11");
        assertThat(out).doesNotContain("keepalive");
        assertThat(s.isConnected()).isTrue();
      }
    }
  }

  @Test
  void aTrustedProxyMustCompleteItsHeaderWithinFiveSeconds() throws Exception {
    try (BmpExporter exporter =
        SessionTakeoverTest.start(
            ExporterConfig.defaults().with("bmp.proxy_protocol.trusted", List.of("127.0.9.20")))) {
      int bmp = exporter.bmpPorts().get(0);
      long t0 = System.nanoTime();
      try (Socket s =
          SessionTakeoverTest.connect(
              "127.0.9.20", bmp, "PROXY TCP4 192.0.2".getBytes(StandardCharsets.US_ASCII))) {
        assertThat(SessionTakeoverTest.closedByPeer(s, Duration.ofSeconds(15))).isTrue();
      }
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(waited).isBetween(SessionHandler.PROXY_HEADER_TIMEOUT_MS - 500, 14_000L);
      Scrape m = Scrape.http(exporter.webPort());
      assertThat(m.value("bmp_sessions_rejected_total", "reason", "proxy_protocol")).isEqualTo(1);
      assertThat(m.value("bmp_sessions_accepted_total")).isZero();
      assertThat(m.find("bmp_router_up")).isEmpty();
    }
  }
}
