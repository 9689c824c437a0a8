package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;

/**
 * Limits on a live exporter over loopback: one router sends far more distinct peers than its limit
 * while a clean router's counts stay exact and {@code /metrics} keeps answering; a third address
 * opens more sessions than allowed.
 */
@ComponentTest
@org.junit.jupiter.api.Timeout(180)
class RouterLimitsTest {
  private static final String FLOODER = "127.0.7.1";
  private static final String CLEAN = "127.0.7.2";
  private static final String RECONNECTER = "127.0.7.3";
  private static final int PEER_LIMIT = 50;
  private static final int FLOOD_PEERS = 3000;

  /** Peer Up and one route for each of {@code n} distinct peers. */
  private static byte[] flood(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(initiation("flooder", "sends too many peers"));
    for (int i = 0; i < n; i++) {
      byte[] peer =
          globalPeer("10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff), 65000);
      out.writeBytes(peerUp(peer));
      out.writeBytes(routeMonitoring(peer, updateV4(new byte[0], nlri("192.0.2.0/24"))));
    }
    return out.toByteArray();
  }

  private static String[] prefixes(String format, int n) {
    String[] p = new String[n];
    for (int i = 0; i < n; i++) {
      p[i] = String.format(format, i);
    }
    return p;
  }

  @Test
  void aRouterBeyondItsPeerLimitDoesNotDisturbAnotherRouterOrTheScrape() throws Exception {
    try (LiveExporter live =
        LiveExporter.start(
            c ->
                c.with("bmp.limits.peers_per_router", PEER_LIMIT)
                    .with("bmp.limits.sessions_per_address", 1))) {
      byte[] a = globalPeer("192.0.2.10", 65010);
      byte[] b = globalPeer("192.0.2.11", 65011);
      byte[] v6 = globalPeer("2001:db8::12", 65012);
      byte[] clean =
          concat(
              initiation("clean", "a well-behaved router"),
              peerUp(a),
              peerUp(b),
              peerUp(v6),
              routeMonitoring(a, updateV4(new byte[0], nlri(prefixes("10.1.%d.0/24", 200)))),
              routeMonitoring(b, updateV4(new byte[0], nlri(prefixes("10.2.%d.0/24", 120)))),
              routeMonitoring(b, updateV4(nlri(prefixes("10.2.%d.0/24", 20)), new byte[0])),
              routeMonitoring(v6, updateV6(true, nlri(prefixes("2001:db8:%x::/48", 30)))),
              statistics(a, stat32(0, 7)));
      byte[] flood = flood(FLOOD_PEERS);

      live.send(CLEAN, clean);
      live.send(FLOODER, flood);
      // /metrics answers all along while the flood is applied
      List<Integer> statuses = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = live.get("/metrics");
        statuses.add(r.statusCode());
        Scrape m = Scrape.of(r.body());
        if (m.value("bmp_router_messages_total", "router", FLOODER, "type", "route_monitoring")
                == FLOOD_PEERS
            && m.sum("bmp_routes", "router", CLEAN) == 330) {
          break;
        }
      }
      assertThat(statuses).isNotEmpty().containsOnly(200);

      Scrape m = Scrape.http(live.webPort());
      // the flooder: the first PEER_LIMIT peers kept with their routes, the rest counted
      assertThat(m.find("bmp_peer_up", "router", FLOODER)).hasSize(PEER_LIMIT);
      assertThat(m.sum("bmp_routes", "router", FLOODER)).isEqualTo(PEER_LIMIT);
      assertThat(m.value("bmp_router_limit_reached", "router", FLOODER, "limit", "peers"))
          .isEqualTo(1);
      assertThat(m.value("bmp_router_dropped_total", "router", FLOODER, "limit", "peers"))
          .isEqualTo(2.0 * (FLOOD_PEERS - PEER_LIMIT)); // its Peer Ups and Route Monitorings
      // the clean router: exact, and no limit touched
      assertThat(m.value("bmp_routes", "router", CLEAN, "peer", "192.0.2.10")).isEqualTo(200);
      assertThat(m.value("bmp_routes", "router", CLEAN, "peer", "192.0.2.11")).isEqualTo(100);
      assertThat(m.value("bmp_routes", "router", CLEAN, "peer", "2001:db8::12")).isEqualTo(30);
      assertThat(m.value("bmp_peer_stat_total", "router", CLEAN, "peer", "192.0.2.10"))
          .isEqualTo(7);
      // one series per limit kind (peers, routes, routes_total, sessions_per_address,
      // stat_types, tables, watch_more_specifics)
      int limits = org.bmpexporter.state.StateLimits.Limit.values().length;
      assertThat(m.find("bmp_router_limit_reached", "router", CLEAN))
          .hasSize(limits)
          .allSatisfy(s -> assertThat(s.value()).isZero());
      assertThat(m.find("bmp_router_dropped_total", "router", CLEAN))
          .hasSize(limits)
          .allSatisfy(s -> assertThat(s.value()).isZero());

      // sessions_per_address 1: a second session from one address is refused and counted
      live.send(RECONNECTER, initiation("reconnecter", "opens two sessions"));
      Scrape.await(
          Duration.ofSeconds(10),
          "the first session of " + RECONNECTER,
          () -> Scrape.http(live.webPort()).has("bmp_router_up", "router", RECONNECTER));
      // another sysName: the same one would take the first session over (takeover rule)
      Socket second = live.send(RECONNECTER, initiation("reconnecter-2", "second session"));
      second.setSoTimeout(15_000);
      assertThat(second.getInputStream().read()).as("refused, closed").isEqualTo(-1);
      Scrape.await(
          Duration.ofSeconds(10),
          "the refusal counted",
          () ->
              Scrape.http(live.webPort())
                      .value(
                          "bmp_router_dropped_total",
                          "router",
                          RECONNECTER,
                          "limit",
                          "sessions_per_address")
                  == 1);
      Scrape after = Scrape.http(live.webPort());
      assertThat(
              after.value(
                  "bmp_router_limit_reached",
                  "router",
                  RECONNECTER,
                  "limit",
                  "sessions_per_address"))
          .isEqualTo(1);
      assertThat(after.value("bmp_sessions_rejected_total", "reason", "parallel_sessions"))
          .isEqualTo(1);
      assertThat(after.find("bmp_router_up", "router", RECONNECTER + "#2")).isEmpty();
      assertThat(after.sum("bmp_routes", "router", CLEAN)).isEqualTo(330);
    }
  }
}
