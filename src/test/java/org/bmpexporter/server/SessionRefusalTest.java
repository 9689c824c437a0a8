package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.bmpexporter.config.Cidr;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;

/** The exporter's session series on a live exporter: accepted, open, refused by reason. */
@ComponentTest
class SessionRefusalTest {

  private static Socket connect(String from, int port) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  @Test
  @SuppressWarnings(
      "try") // the socket `first` only holds the session slot while others are refused
  void refusedSessionsAreCountedByReason() throws Exception {
    ExporterConfig defaults = ExporterConfig.defaults();
    try (BmpExporter exporter =
        BmpExporter.start(
            defaults
                .withWarmup(false)
                .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                .withWebListen(new HostPort("127.0.0.1", 0))
                .with("bmp.max_sessions", 1)
                .with("bmp.allow", List.of(Cidr.parse("127.0.5.0/24"))))) {
      int bmp = exporter.bmpPorts().get(0);
      Scrape before = Scrape.http(exporter.webPort());
      for (String reason : List.of("access_list", "max_sessions", "parallel_sessions")) {
        assertThat(before.value("bmp_sessions_rejected_total", "reason", reason)).isZero();
      }
      try (Socket first = connect("127.0.5.1", bmp)) {
        // The others connect once this one holds the only session slot.
        Scrape.await(
            Duration.ofSeconds(10),
            "the first session accepted",
            () -> Scrape.http(exporter.webPort()).value("bmp_sessions_accepted_total") == 1);
        Socket outsideAllowList = connect("127.0.6.1", bmp);
        Socket overLimit = connect("127.0.5.2", bmp);
        Scrape.await(
            Duration.ofSeconds(10),
            "two refusals counted",
            () -> {
              Scrape m = Scrape.http(exporter.webPort());
              return m.value("bmp_sessions_rejected_total", "reason", "access_list") == 1
                  && m.value("bmp_sessions_rejected_total", "reason", "max_sessions") == 1;
            });
        Scrape m = Scrape.http(exporter.webPort());
        assertThat(m.value("bmp_sessions")).isEqualTo(1);
        assertThat(m.value("bmp_sessions_accepted_total")).isEqualTo(1);
        assertThat(m.value("bmp_sessions_rejected_total", "reason", "parallel_sessions")).isZero();
        assertThat(outsideAllowList.getInputStream().read()).as("refused, closed").isEqualTo(-1);
        assertThat(overLimit.getInputStream().read()).as("refused, closed").isEqualTo(-1);
        outsideAllowList.close();
        overLimit.close();
      }
      Scrape.await(
          Duration.ofSeconds(10),
          "the accepted session closed",
          () -> Scrape.http(exporter.webPort()).value("bmp_sessions") == 0);
    }
  }
}
