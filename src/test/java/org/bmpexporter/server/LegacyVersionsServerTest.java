package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;
import static org.bmpexporter.testing.LegacyBmp.*;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BMP version 1 and 2 sessions end to end through the real TCP server: route counts, peer state and
 * {@code bmp_router_info{bmp_version}}; an undelimitable type ends only its own session.
 */
@ComponentTest
@Timeout(120)
class LegacyVersionsServerTest {
  private static LiveExporter live;

  @BeforeAll
  static void start() throws Exception {
    live = LiveExporter.start();
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  static byte[] header(String address) {
    return peer().address(address).as(65002).bytes(); // 42-byte per-peer header
  }

  /** A version 1 Route Monitoring. */
  static byte[] rm(String peerAddress, String... prefixes) {
    return legacy(
        1, 0, header(peerAddress), update(new byte[0], basicAttributes(), prefixes(prefixes)));
  }

  static Scrape scrape() {
    return Scrape.http(live.webPort());
  }

  static void await(String what, java.util.function.BooleanSupplier condition) {
    Scrape.await(Duration.ofSeconds(30), what, condition);
  }

  @Test
  void version1And2SessionsCountRoutesFollowPeersAndShowTheirVersion() throws Exception {
    byte[] v1 =
        concat(
            // version 1, type 0 (Route Monitoring), per-peer header, UPDATE with 3 prefixes
            legacy(
                1,
                0,
                header("192.0.2.11"),
                update(
                    new byte[0],
                    basicAttributes(),
                    prefixes("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"))),
            // version 1, type 1: count 1, Adj-RIB-In routes (type 7, 8 bytes) = 3
            legacy(1, 1, header("192.0.2.11"), w().u32(1).toByteArray(), stat64(7, 3)),
            // version 1, type 0 for a second peer
            legacy(
                1,
                0,
                header("192.0.2.12"),
                update(new byte[0], basicAttributes(), prefixes("10.4.0.0/16"))),
            // version 1, type 2 (Peer Down) reason 3 + NOTIFICATION (Cease/admin shutdown)
            legacy(1, 2, header("192.0.2.12"), new byte[] {3}, notification(6, 2, new byte[0])));
    byte[] v2 =
        concat(
            legacy(2, 3, header("192.0.2.21")), // version 2, type 3 (Peer Up): the header alone
            legacy(
                2,
                0,
                header("192.0.2.21"),
                update(new byte[0], basicAttributes(), prefixes("10.5.0.0/16", "10.6.0.0/16"))),
            legacy(2, 3, header("192.0.2.22")),
            legacy(
                2,
                0,
                header("192.0.2.22"),
                update(new byte[0], basicAttributes(), prefixes("10.7.0.0/16"))),
            legacy(2, 2, header("192.0.2.22"), new byte[] {2})); // reason 2: no data in version 2
    // sent in small pieces: lengths must be derived across reads
    try (Socket s1 = live.send("127.0.20.1");
        Socket s2 = live.send("127.0.20.2")) {
      for (int p = 0; p < Math.max(v1.length, v2.length); p += 7) {
        if (p < v1.length) {
          s1.getOutputStream().write(v1, p, Math.min(7, v1.length - p));
        }
        if (p < v2.length) {
          s2.getOutputStream().write(v2, p, Math.min(7, v2.length - p));
        }
        s1.getOutputStream().flush();
        s2.getOutputStream().flush();
      }
      await(
          "both sessions applied",
          () ->
              scrape().sum("bmp_router_messages_total", "router", "127.0.20.1") == 4
                  && scrape().sum("bmp_router_messages_total", "router", "127.0.20.2") == 5);
      Scrape m = scrape();
      assertThat(m.value("bmp_router_info", "router", "127.0.20.1", "bmp_version", "1"))
          .isEqualTo(1);
      assertThat(m.value("bmp_router_info", "router", "127.0.20.2", "bmp_version", "2"))
          .isEqualTo(1);
      assertThat(m.sum("bmp_routes", "router", "127.0.20.1", "peer", "192.0.2.11")).isEqualTo(3);
      assertThat(m.sum("bmp_routes", "router", "127.0.20.1", "peer", "192.0.2.12")).isEqualTo(0);
      assertThat(m.value("bmp_peer_up", "router", "127.0.20.1", "peer", "192.0.2.11")).isEqualTo(1);
      assertThat(m.value("bmp_peer_up", "router", "127.0.20.1", "peer", "192.0.2.12")).isEqualTo(0);
      assertThat(
              m.value(
                  "bmp_peer_downs_total",
                  "router",
                  "127.0.20.1",
                  "peer",
                  "192.0.2.12",
                  "reason",
                  "remote_notification",
                  "notification",
                  "cease/administrative_shutdown"))
          .isEqualTo(1);
      assertThat(
              m.value(
                  "bmp_peer_stat_value", "router", "127.0.20.1", "stat_type", "adj_rib_in_routes"))
          .isEqualTo(3);
      assertThat(m.sum("bmp_routes", "router", "127.0.20.2", "peer", "192.0.2.21")).isEqualTo(2);
      assertThat(m.value("bmp_peer_ups_total", "router", "127.0.20.2", "peer", "192.0.2.21"))
          .isEqualTo(1);
      assertThat(m.value("bmp_peer_up", "router", "127.0.20.2", "peer", "192.0.2.22")).isEqualTo(0);
      assertThat(
              m.value(
                  "bmp_peer_downs_total",
                  "router",
                  "127.0.20.2",
                  "peer",
                  "192.0.2.22",
                  "reason",
                  "local_no_notification"))
          .isEqualTo(1);
      for (String r : List.of("127.0.20.1", "127.0.20.2")) {
        assertThat(m.sum("bmp_router_decode_errors_total", "router", r)).as(r).isZero();
        assertThat(m.sum("bmp_router_quirks_total", "router", r)).as(r).isZero();
        assertThat(m.value("bmp_router_up", "router", r)).as(r).isEqualTo(1);
      }
    }
  }

  @Test
  void anUndelimitableTypeEndsOnlyItsOwnSession() throws Exception {
    try (Socket good = live.send("127.0.21.1", legacy(2, 3, header("192.0.2.31")));
        Socket bad =
            live.send(
                "127.0.21.2",
                rm("192.0.2.32", "10.8.0.0/16"),
                legacy(1, 5, new byte[44]))) { // version 1 has no type 5
      await(
          "the bad session closed with unknown_legacy_type",
          () ->
              scrape()
                          .value(
                              "bmp_router_decode_errors_total",
                              "router",
                              "127.0.21.2",
                              "error",
                              "unknown_legacy_type")
                      == 1
                  && scrape().value("bmp_router_up", "router", "127.0.21.2") == 0);
      assertThat(bad.getInputStream().read()).as("the server closed the bad session").isEqualTo(-1);
      good.getOutputStream().write(rm2("192.0.2.31", "10.9.0.0/16"));
      good.getOutputStream().flush();
      await(
          "the good session goes on",
          () -> scrape().sum("bmp_routes", "router", "127.0.21.1", "peer", "192.0.2.31") == 1);
      assertThat(scrape().value("bmp_router_up", "router", "127.0.21.1")).isEqualTo(1);
    }
  }

  /** A version 2 Route Monitoring. */
  static byte[] rm2(String peerAddress, String... prefixes) {
    return legacy(
        2, 0, header(peerAddress), update(new byte[0], basicAttributes(), prefixes(prefixes)));
  }
}
