package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.OracleCounter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JSON API against a real exporter fed over loopback with the lab's FRR and GoBGP initial table
 * dumps; expected figures come from the lab README and from an independent count of the same
 * streams ({@link OracleCounter}).
 */
@ComponentTest
@Timeout(120)
class ApiRoutesTest {
  private static final String FRR = "127.0.8.1";
  private static final String GOBGP = "127.0.8.2";
  private static final Map<Integer, String> TYPES =
      Map.of(
          0,
          "route_monitoring",
          1,
          "statistics_report",
          2,
          "peer_down",
          3,
          "peer_up",
          4,
          "initiation",
          5,
          "termination",
          6,
          "route_mirroring");

  private static LiveExporter live;
  private static byte[] frr;
  private static byte[] gobgp;
  private static double startedAt;

  @BeforeAll
  static void start() throws Exception {
    startedAt = System.currentTimeMillis() / 1000.0;
    live = LiveExporter.start();
    frr = LiveExporter.lab("frr-demo.2.bin");
    gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    live.send(FRR, frr);
    live.send(GOBGP, gobgp);
    live.awaitMessages(FRR, LiveExporter.messages(frr));
    live.awaitMessages(GOBGP, LiveExporter.messages(gobgp));
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  private static JsonNode peer(JsonNode peersDoc, String address, String peerType) {
    for (JsonNode p : peersDoc.path("peers")) {
      if (p.path("peer").asText().equals(address)
          && p.path("peer_type").asText().equals(peerType)) {
        return p;
      }
    }
    throw new AssertionError("no " + peerType + " peer " + address + " in " + peersDoc);
  }

  private static Map<String, Long> routes(JsonNode peer) {
    Map<String, Long> m = new TreeMap<>();
    for (JsonNode t : peer.path("routes")) {
      m.put(t.path("rib").asText() + "/" + t.path("afi_safi").asText(), t.path("routes").asLong());
    }
    return m;
  }

  private static JsonNode table(JsonNode peer, String rib, String afiSafi) {
    for (JsonNode t : peer.path("routes")) {
      if (t.path("rib").asText().equals(rib) && t.path("afi_safi").asText().equals(afiSafi)) {
        return t;
      }
    }
    throw new AssertionError("no " + rib + "/" + afiSafi + " table in " + peer);
  }

  private static Map<String, Long> longs(JsonNode object) {
    Map<String, Long> m = new TreeMap<>();
    object.properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
    return m;
  }

  private static List<String> peerLabels(JsonNode peersDoc) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : peersDoc.path("peers")) {
      out.add(p.path("peer_type").asText() + " " + p.path("peer").asText());
    }
    return out;
  }

  @Test
  void routersListsBothLabRoutersWithInitiationAndCounts() {
    HttpResponse<String> res = live.get("/api/v1/routers");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/json");
    // epoch seconds written plain with milliseconds, not 1.795E9
    assertThat(res.body())
        .containsPattern("\"up_since\":1\\d{9}\\.\\d{3}[,}]")
        .containsPattern("\"now\":1\\d{9}\\.\\d{3}[,}]");
    JsonNode doc = live.json("/api/v1/routers");
    List<String> labels = new ArrayList<>();
    doc.path("routers").forEach(r -> labels.add(r.path("router").asText()));
    assertThat(labels).contains(FRR, GOBGP);
    assertThat(doc.path("now").asDouble()).isGreaterThanOrEqualTo(startedAt);

    JsonNode f = live.router(FRR);
    assertThat(f.path("address").asText()).isEqualTo(FRR);
    assertThat(f.path("up").asBoolean()).isTrue();
    assertThat(f.path("sys_name").asText()).isEqualTo("lab-frr");
    assertThat(f.path("sys_descr").asText()).contains("FRRouting 8.4.4");
    assertThat(f.path("up_since").asDouble())
        .isBetween(startedAt - 1, System.currentTimeMillis() / 1000.0 + 1);
    assertThat(f.path("down_since").isNull()).as("down_since of a router that is up").isTrue();
    // lab README, frr-demo.2.bin: 1 initiation, 2 peer up, 2 486 RM, 10 stats, 4 mirroring
    assertThat(longs(f.path("messages")))
        .containsAllEntriesOf(
            Map.of(
                "initiation",
                1L,
                "peer_up",
                2L,
                "peer_down",
                0L,
                "route_monitoring",
                2486L,
                "statistics_report",
                10L,
                "route_mirroring",
                4L,
                "termination",
                0L));
    OracleCounter truth = OracleCounter.count(frr);
    truth.messagesByType.forEach(
        (type, n) ->
            assertThat(f.path("messages").path(TYPES.get(type)).asLong())
                .as("%s", TYPES.get(type))
                .isEqualTo(n.longValue()));
    assertThat(f.path("received_bytes").asLong()).isEqualTo(frr.length);
    assertThat(f.path("decode_errors").size())
        .as("decode errors (only non-zero are listed)")
        .isZero();
    assertThat(f.path("terminations").size()).isZero();
    assertThat(f.path("peers_total").asLong()).isEqualTo(2);
    assertThat(f.path("peers_up").asLong()).isEqualTo(2);
    long total = truth.tables.values().stream().mapToLong(java.util.Set::size).sum();
    assertThat(f.path("routes_total").asLong()).isEqualTo(total).isGreaterThan(1800);
    // per RIB, as the oracle's tables (peer|rib|afi_safi) add up: what the page's headline shows
    java.util.Map<String, Long> byRib = new java.util.TreeMap<>();
    truth.tables.forEach(
        (key, set) -> byRib.merge(key.split("\\|")[1], (long) set.size(), Long::sum));
    byRib.values().removeIf(n -> n == 0);
    java.util.Map<String, Long> served = new java.util.TreeMap<>();
    f.path("routes_by_rib")
        .properties()
        .forEach(e -> served.put(e.getKey(), e.getValue().asLong()));
    served.values().removeIf(n -> n == 0);
    assertThat(served).isEqualTo(byRib).hasSizeGreaterThan(1);

    JsonNode g = live.router(GOBGP);
    // a BMP server added by `gobgp bmp add` announces itself as GoBGP 3.10.0
    assertThat(g.path("sys_name").asText()).isEqualTo("GoBGP");
    assertThat(g.path("sys_descr").asText()).isEqualTo("3.10.0");
    assertThat(g.path("up").asBoolean()).isTrue();
    assertThat(g.path("received_bytes").asLong()).isEqualTo(gobgp.length);
    assertThat(g.path("messages").path("route_monitoring").asLong()).isEqualTo(1994);
    OracleCounter gTruth = OracleCounter.count(gobgp);
    assertThat(g.path("routes_total").asLong())
        .isEqualTo(gTruth.tables.values().stream().mapToLong(java.util.Set::size).sum());
  }

  @Test
  void peersOfTheFrrRouterCarryTheLabFigures() {
    JsonNode doc = live.json("/api/v1/routers/" + FRR + "/peers");
    assertThat(doc.path("router").asText()).isEqualTo(FRR);
    // IPv4 first, then IPv6 in RFC 5952 form (not 0:0:0:0:0:0:0:1)
    assertThat(peerLabels(doc)).containsExactly("global 127.0.0.2", "global ::1");

    JsonNode v4 = peer(doc, "127.0.0.2", "global");
    assertThat(v4.path("up").asBoolean()).isTrue();
    assertThat(v4.path("rd").asText()).isEmpty();
    assertThat(v4.path("peer_as").asLong()).isEqualTo(65002);
    assertThat(v4.path("ups").asLong()).isEqualTo(1);
    assertThat(v4.path("downs").size()).isZero();
    assertThat(v4.path("up_timestamp").asDouble()).isPositive();
    assertThat(v4.path("last_down_timestamp").isNull()).isTrue();
    // lab README: the initial dump after bmp-restart, pre 1 000 / post 800 IPv4
    assertThat(table(v4, "adj_rib_in_pre", "ipv4_unicast").path("routes").asLong()).isEqualTo(1000);
    assertThat(table(v4, "adj_rib_in_post", "ipv4_unicast").path("routes").asLong()).isEqualTo(800);
    assertThat(table(v4, "adj_rib_in_pre", "ipv4_unicast").path("end_of_rib").asBoolean()).isTrue();
    assertThat(table(v4, "adj_rib_in_pre", "ipv4_unicast").path("announcements").asLong())
        .isGreaterThanOrEqualTo(1000);

    JsonNode v6 = peer(doc, "::1", "global");
    assertThat(v6.path("up").asBoolean()).isTrue();
    assertThat(routes(v6))
        .containsOnlyKeys("adj_rib_in_pre/ipv6_unicast", "adj_rib_in_post/ipv6_unicast");
    assertThat(table(v6, "adj_rib_in_post", "ipv6_unicast").path("end_of_rib").asBoolean())
        .isTrue();

    // every table agrees with the independent count of the stream
    OracleCounter truth = OracleCounter.count(frr);
    for (JsonNode p : doc.path("peers")) {
      String hex = HexFormat.of().formatHex(Bmp.ip16(p.path("peer").asText()));
      for (JsonNode t : p.path("routes")) {
        assertThat(t.path("routes").asLong())
            .as("%s %s", p.path("peer"), t)
            .isEqualTo(truth.routes(hex, t.path("rib").asText(), t.path("afi_safi").asText()));
      }
    }
    // FRR reports statistics for its peers (lab README: types 0,2,3,4,5,11 and 65531)
    assertThat(v4.path("statistics").size()).isPositive();
    assertThat(v4.path("statistics").get(0).has("stat_type")).isTrue();
  }

  @Test
  void peersOfTheGobgpRouterIncludeLocRib() {
    JsonNode doc = live.json("/api/v1/routers/" + GOBGP + "/peers");
    assertThat(peerLabels(doc)).contains("global 127.0.0.2");
    assertThat(peerLabels(doc)).anyMatch(s -> s.startsWith("loc_rib "));
    JsonNode v4 = peer(doc, "127.0.0.2", "global");
    assertThat(routes(v4))
        .containsKeys("adj_rib_in_pre/ipv4_unicast", "adj_rib_in_post/ipv4_unicast");
  }

  @Test
  void unknownRouterOrEndpointIsAJson404AndBadEncodingA400() throws Exception {
    for (String path :
        List.of(
            "/api/v1/routers/192.0.2.1/peers",
            "/api/v1/routers/127.0.8.2%233/peers", // no third session from the GoBGP router
            "/api/v1/routers/127.0.8.1/nope",
            "/api/v1/nope")) {
      HttpResponse<String> r = live.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type"))
          .get()
          .asString()
          .startsWith("application/json");
      assertThat(LiveExporter.JSON.readTree(r.body()).path("error").asText()).as(path).isNotEmpty();
    }
    assertThat(
            LiveExporter.JSON
                .readTree(live.get("/api/v1/routers/192.0.2.1/peers").body())
                .path("error")
                .asText())
        .contains("unknown router")
        .contains("192.0.2.1");
    // java.net.URI refuses a malformed escape: send the request line by hand
    for (String bad : List.of("/api/v1/routers/%ZZ/peers", "/api/v1/routers/%C3/peers", "/%ZZ")) {
      String response = live.raw("GET " + bad);
      assertThat(response).as(bad).startsWith("HTTP/1.1 400");
      // answered by our handlers (JSON), not Vert.x Web's unhandled-failure path
      assertThat(response).as(bad).contains("application/json").contains("\"error\":");
    }
  }

  @Test
  void labelsWithHashAndColonsArriveUrlEncoded() throws Exception {
    // a second live session from the FRR router's address is tracked as "127.0.8.1#2"
    byte[] peer = Bmp.globalPeer("192.0.2.9", 65009);
    Socket second = live.send(FRR, Bmp.initiation("second-session", "x"), Bmp.peerUp(peer));
    try {
      live.awaitMessages(FRR + "#2", 2);
      JsonNode doc = live.json("/api/v1/routers/127.0.8.1%232/peers");
      assertThat(doc.path("router").asText()).isEqualTo("127.0.8.1#2");
      assertThat(peerLabels(doc)).containsExactly("global 192.0.2.9");
      // the first session is untouched
      assertThat(peerLabels(live.json("/api/v1/routers/127.0.8.1/peers")))
          .containsExactly("global 127.0.0.2", "global ::1");
    } finally {
      second.close();
    }
    assumeTrue(live.ipv6, "no IPv6 loopback: the IPv6 router label part is skipped");
    byte[] v6peer = Bmp.globalPeer("2001:db8::9", 65010);
    Socket v6 = live.send("::1", Bmp.initiation("v6-router", "x"), Bmp.peerUp(v6peer));
    try {
      live.awaitMessages("::1", 2);
      for (String path :
          List.of(
              "/api/v1/routers/%3A%3A1/peers",
              "/api/v1/routers/::1/peers", "/api/v1/routers/%3a%3a1/peers")) {
        JsonNode doc = live.json(path);
        assertThat(doc.path("router").asText()).as(path).isEqualTo("::1");
        assertThat(peerLabels(doc)).as(path).containsExactly("global 2001:db8::9");
      }
    } finally {
      v6.close();
    }
  }

  @Test
  void aRouterWhoseSessionEndedIsShownDownWithItsCounters() throws Exception {
    byte[] peer = Bmp.globalPeer("192.0.2.7", 65007);
    Socket s =
        live.send(
            "127.0.8.4",
            Bmp.initiation("short-lived", "x"),
            Bmp.peerUp(peer),
            Bmp.routeMonitoring(peer, Bmp.updateV4(new byte[0], Bmp.nlri("10.7.0.0/16"))));
    try {
      JsonNode r = live.awaitMessages("127.0.8.4", 3);
      assertThat(r.path("routes_total").asLong()).isEqualTo(1);
      assertThat(r.path("peers_up").asLong()).isEqualTo(1);
    } finally {
      s.close();
    }
    JsonNode r =
        live.awaitRouter(
            "127.0.8.4", Duration.ofSeconds(10), "down", n -> !n.path("up").asBoolean());
    assertThat(r.path("down_since").asDouble())
        .isGreaterThanOrEqualTo(r.path("up_since").asDouble());
    assertThat(r.path("routes_total").asLong()).isZero();
    assertThat(r.path("peers_up").asLong()).isZero();
    assertThat(r.path("messages").path("route_monitoring").asLong()).isEqualTo(1);
    JsonNode peers = live.json("/api/v1/routers/127.0.8.4/peers");
    assertThat(peer(peers, "192.0.2.7", "global").path("up").asBoolean()).isFalse();
  }

  @Test
  void statusPageAndAssetsAreServedWithTypesAndPolicy() {
    HttpResponse<String> page = live.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .get()
        .asString()
        .contains("default-src 'self'");
    assertThat(page.body()).contains("app.js", "style.css", "href=\"metrics\"");
    assertThat(live.get("/app.js").headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/javascript");
    assertThat(live.get("/style.css").headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/css");
    // no CDN, no external fonts: nothing outside this origin
    for (String asset : List.of("/", "/app.js", "/style.css")) {
      assertThat(live.get(asset).body()).as(asset).doesNotContain("http://", "https://", "//cdn");
    }
    assertThat(live.get("/app.js").body())
        .as("data goes in as text, not HTML")
        .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write");
  }

  @Test
  void percentDecodingIsStrictUtf8AndKeepsPlus() {
    assertThat(WebRoutes.percentDecode("%3A%3A1%232")).contains("::1#2");
    assertThat(WebRoutes.percentDecode("2001:db8::1")).contains("2001:db8::1");
    assertThat(WebRoutes.percentDecode("a+b")).contains("a+b");
    assertThat(WebRoutes.percentDecode("%E2%82%AC")).contains("\u20ac");
    assertThat(WebRoutes.percentDecode("%ZZ")).isEqualTo(Optional.empty());
    assertThat(WebRoutes.percentDecode("%4")).isEqualTo(Optional.empty());
    assertThat(WebRoutes.percentDecode("%C3")).as("truncated UTF-8").isEqualTo(Optional.empty());
  }

  @Test
  void peersAreOrderedIpv4FirstThenNumerically() {
    List<String> peers =
        new ArrayList<>(List.of("::1", "10.0.0.10", "2001:db8::2", "10.0.0.9", "not-an-ip"));
    peers.sort(ApiRoutes::compareAddresses);
    assertThat(peers).containsExactly("10.0.0.9", "10.0.0.10", "::1", "2001:db8::2", "not-an-ip");
  }
}
