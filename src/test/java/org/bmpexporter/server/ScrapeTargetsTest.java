package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.bmpexporter.metrics.Families;
import org.bmpexporter.metrics.MetricFamily;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Promtool;
import org.bmpexporter.testing.RequiresTool;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-router scrape targets ({@code /metrics?router=}), HTTP service discovery ({@code /sd}), the
 * router inventory's names and static labels, content negotiation and the scrape self-metrics,
 * against a real exporter fed with the lab's FRR and GoBGP dumps from four router addresses.
 */
@ComponentTest
@Timeout(180)
class ScrapeTargetsTest {
  private static final String FRR_A = "127.0.9.1";
  private static final String GOBGP_A = "127.0.9.2";
  private static final String FRR_B = "127.0.9.3";
  private static final String GOBGP_B = "127.0.10.4";
  private static final List<String> ROUTERS = List.of(FRR_A, GOBGP_A, FRR_B, GOBGP_B);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static LiveExporter live;

  @BeforeAll
  static void start() throws Exception {
    live =
        LiveExporter.start(
            c ->
                c.with(
                    "routers",
                    List.of(
                        Map.of("match", "127.0.9.0/24", "labels", Map.of("site", "ams")),
                        Map.of(
                            "match",
                            "127.0.9.1",
                            "name",
                            "edge1",
                            "labels",
                            Map.of("site", "fra", "role", "edge")))));
    byte[] frr = LiveExporter.lab("frr-demo.2.bin");
    byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    live.send(FRR_A, frr);
    live.send(GOBGP_A, gobgp);
    live.send(FRR_B, frr);
    live.send(GOBGP_B, gobgp);
    live.awaitMessages(FRR_A, LiveExporter.messages(frr));
    live.awaitMessages(GOBGP_A, LiveExporter.messages(gobgp));
    live.awaitMessages(FRR_B, LiveExporter.messages(frr));
    live.awaitMessages(GOBGP_B, LiveExporter.messages(gobgp));
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  static String routerPath(String router) {
    return "/metrics?router=" + URLEncoder.encode(router, StandardCharsets.UTF_8);
  }

  private static Scrape scrape(String path) {
    HttpResponse<String> r = live.get(path);
    assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return Scrape.of(r.body());
  }

  private static Set<String> routerFamilies() {
    Set<String> names = new HashSet<>();
    for (MetricFamily f : Families.ROUTER_STATE) {
      names.add(f.name());
    }
    return names;
  }

  @Test
  void aRouterPageHoldsThatRoutersSeriesOnly() {
    for (String router : ROUTERS) {
      Scrape page = scrape(routerPath(router));
      assertThat(page.samples()).as(router).isNotEmpty();
      for (Scrape.Sample s : page.samples()) {
        assertThat(s.labels().get("router"))
            .as("%s on the page of %s", s, router)
            .isEqualTo(router);
        assertThat(routerFamilies()).as("family of %s", s).contains(s.name());
      }
      assertThat(page.value("bmp_router_up", "router", router)).isEqualTo(1);
      assertThat(page.sum("bmp_routes")).as("routes of %s", router).isPositive();
    }
  }

  @Test
  @RequiresTool(value = "promtool", debianPackage = "prometheus")
  void aRouterPagePassesPromtool() {
    Promtool.checkMetrics(live.get(routerPath(FRR_A)).body());
    Promtool.checkMetrics(live.get(routerPath(GOBGP_B)).body());
  }

  /** Every router series of the full page is on exactly one router's page, with its value. */
  @Test
  void theRouterPagesTogetherAreTheFullPage() {
    Map<String, Double> full = new TreeMap<>();
    for (Scrape.Sample s : scrape("/metrics").samples()) {
      if (s.name().startsWith("bmp_") && s.labels().containsKey("router")) {
        full.put(s.name() + new TreeMap<>(s.labels()), s.value());
      }
    }
    Map<String, Double> pages = new TreeMap<>();
    for (String router : ROUTERS) {
      for (Scrape.Sample s : scrape(routerPath(router)).samples()) {
        Double before = pages.put(s.name() + new TreeMap<>(s.labels()), s.value());
        assertThat(before).as("%s on two router pages", s).isNull();
      }
    }
    assertThat(full).hasSizeGreaterThan(100);
    assertThat(pages).isEqualTo(full);
  }

  /** HELP and TYPE of each family on a router page are those of the full page. */
  @Test
  void aRouterPageDescribesItsFamiliesAsTheFullPageDoes() {
    Set<String> fullMeta = metaLines(live.get("/metrics").body());
    Set<String> routerMeta = metaLines(live.get(routerPath(GOBGP_A)).body());
    assertThat(routerMeta).isNotEmpty();
    assertThat(fullMeta).containsAll(routerMeta);
  }

  private static Set<String> metaLines(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        out.add(line);
      }
    }
    return out;
  }

  @Test
  void anUnknownRouterIsA404WithOneLineReason() {
    HttpResponse<String> r = live.get(routerPath("192.0.2.99"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(r.body()).contains("192.0.2.99").endsWith("\n");
    assertThat(r.body().strip()).doesNotContain("\n");

    HttpResponse<String> two = live.get("/metrics?router=" + FRR_A + "&router=" + FRR_B);
    assertThat(two.statusCode()).isEqualTo(400);
  }

  @Test
  void theFullPageHasTheExportersOwnSeriesAndTheScrapeMetrics() {
    scrape(routerPath(FRR_B));
    Scrape full = scrape("/metrics");
    assertThat(full.has("bmp_exporter_build_info")).isTrue();
    assertThat(full.has("jvm_memory_used_bytes")).isTrue();
    assertThat(full.value("bmp_exporter_scrape_duration_seconds", "target", "router")).isPositive();
    assertThat(full.has("bmp_exporter_scrape_duration_seconds", "target", "all")).isTrue();
    assertThat(full.value("bmp_exporter_snapshot_timeouts_total")).isZero();
  }

  @Test
  void theInventoryNamesAndLabelsRoutersOnRouterInfoOnly() {
    Scrape a = scrape(routerPath(FRR_A));
    Scrape.Sample info = a.find("bmp_router_info").get(0);
    // the /32 entry is more specific than the /24 one
    assertThat(info.labels())
        .containsEntry("name", "edge1")
        .containsEntry("site", "fra")
        .containsEntry("role", "edge");
    Scrape b = scrape(routerPath(FRR_B));
    assertThat(b.find("bmp_router_info").get(0).labels())
        .containsEntry("site", "ams")
        .doesNotContainKeys("name", "role");
    assertThat(scrape(routerPath(GOBGP_B)).find("bmp_router_info").get(0).labels())
        .containsOnlyKeys("router", "sys_name", "sys_descr", "source", "bmp_version");
    for (Scrape.Sample s : a.samples()) {
      if (!s.name().equals("bmp_router_info")) {
        assertThat(s.labels()).as(s.toString()).doesNotContainKeys("site", "name", "role");
      }
    }
  }

  @Test
  void serviceDiscoveryListsEveryRouterAsATargetOfThisExporter() throws IOException {
    HttpResponse<String> r = live.get("/sd");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode groups = live.json("/sd");
    assertThat(groups.isArray()).isTrue();
    Map<String, JsonNode> byRouter = new HashMap<>();
    for (JsonNode g : groups) {
      assertThat(g.path("targets").size()).isEqualTo(1);
      assertThat(g.path("targets").get(0).asText()).isEqualTo("127.0.0.1:" + live.webPort());
      JsonNode labels = g.path("labels");
      labels
          .properties()
          .forEach(e -> assertThat(e.getValue().isTextual()).as(e.getKey()).isTrue());
      assertThat(labels.path("__param_router").asText())
          .isEqualTo(labels.path("__meta_bmp_router").asText());
      byRouter.put(labels.path("__param_router").asText(), labels);
    }
    assertThat(byRouter.keySet()).containsExactlyInAnyOrderElementsOf(ROUTERS);
    JsonNode a = byRouter.get(FRR_A);
    assertThat(a.path("__meta_bmp_up").asText()).isEqualTo("1");
    assertThat(a.path("__meta_bmp_sys_name").asText())
        .isEqualTo(live.router(FRR_A).path("sys_name").asText())
        .isNotEmpty();
    assertThat(a.path("__meta_bmp_name").asText()).isEqualTo("edge1");
    assertThat(a.path("__meta_bmp_label_site").asText()).isEqualTo("fra");
    assertThat(a.path("__meta_bmp_label_role").asText()).isEqualTo("edge");
    assertThat(byRouter.get(GOBGP_B).has("__meta_bmp_label_site")).isFalse();

    // the target is the Host the request came to, whatever it is
    String raw = live.raw("GET /sd");
    assertThat(raw).startsWith("HTTP/1.1 200").contains("\"targets\":[\"127.0.0.1\"]");
  }

  @Test
  void contentNegotiationServesOpenMetricsProtobufAndGzip() throws Exception {
    HttpResponse<String> om =
        live.request(
            "GET",
            routerPath(FRR_A),
            "Accept",
            "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(om.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
    assertThat(om.body()).endsWith("# EOF\n");

    HttpResponse<byte[]> proto =
        bytes(
            routerPath(FRR_A),
            "Accept",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited");
    assertThat(proto.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/vnd.google.protobuf"));
    assertThat(proto.body()).isNotEmpty();

    HttpResponse<byte[]> gz = bytes(routerPath(FRR_A), "Accept-Encoding", "gzip");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String unzipped;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      unzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(unzipped).isEqualTo(live.get(routerPath(FRR_A)).body());
    assertThat(bytes(routerPath(FRR_A), "Accept-Encoding", "gzip;q=0").headers().map())
        .doesNotContainKey("content-encoding");
  }

  @Test
  void parallelFullScrapesAllGetTheWholePage() throws Exception {
    int expected = scrape("/metrics").find("bmp_router_up").size();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        answers.add(pool.submit(() -> live.get("/metrics")));
      }
      for (Future<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Scrape.of(r.body()).find("bmp_router_up")).hasSize(expected);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(expected).isEqualTo(ROUTERS.size());
  }

  @Test
  void withoutFullMetricsTheFullPageKeepsTheExportersOwnSeries() throws Exception {
    try (LiveExporter small = LiveExporter.start(c -> c.with("web.full_metrics", false))) {
      byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
      small.send(GOBGP_A, gobgp);
      small.awaitMessages(GOBGP_A, LiveExporter.messages(gobgp));
      HttpResponse<String> full = small.get("/metrics");
      Scrape page = Scrape.of(full.body());
      assertThat(page.has("bmp_exporter_build_info")).isTrue();
      assertThat(page.has("jvm_memory_used_bytes")).isTrue();
      assertThat(page.samples()).noneMatch(s -> s.labels().containsKey("router"));
      HttpResponse<String> one = small.get(routerPath(GOBGP_A));
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(Scrape.of(one.body()).value("bmp_router_up", "router", GOBGP_A)).isEqualTo(1);
    }
  }

  @Test
  void aSecondSessionFromOneAddressIsItsOwnTarget() throws Exception {
    try (LiveExporter two = LiveExporter.start()) {
      byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
      two.send(GOBGP_A, gobgp);
      two.awaitMessages(GOBGP_A, LiveExporter.messages(gobgp));
      // a genuinely parallel session (another sysName: the same one would take the first over)
      byte[] other =
          org.bmpexporter.testing.Bmp.concat(
              org.bmpexporter.testing.Bmp.initiation("parallel-session", "second BMP station"),
              org.bmpexporter.testing.Bmp.peerUp(
                  org.bmpexporter.testing.Bmp.globalPeer("192.0.2.9", 65009)));
      two.send(GOBGP_A, other);
      String second = GOBGP_A + "#2";
      two.awaitMessages(second, LiveExporter.messages(other));
      HttpResponse<String> page = two.get(routerPath(second));
      assertThat(page.statusCode()).isEqualTo(200);
      List<Scrape.Sample> samples = Scrape.of(page.body()).samples();
      assertThat(samples)
          .isNotEmpty()
          .allSatisfy(x -> assertThat(x.labels()).containsEntry("router", second));
      assertThat(two.get("/sd").body()).contains("\"__param_router\":\"" + second + "\"");
    }
  }

  /**
   * An idle router's page is served again from the kept block (same bytes, counted), per encoding;
   * a message from the router makes the next scrape build a new page that shows it.
   */
  @Test
  void anUnchangedRouterIsServedFromItsKeptPageUntilItsStateChanges() throws Exception {
    try (LiveExporter one = LiveExporter.start()) {
      byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
      Socket session = one.send(GOBGP_A, gobgp);
      one.awaitMessages(GOBGP_A, LiveExporter.messages(gobgp));
      String path = routerPath(GOBGP_A);
      double cachedBefore = ownValue(one, "bmp_exporter_scrape_cached_pages_total");

      String first = one.get(path).body();
      String again = one.get(path).body();
      assertThat(again).isEqualTo(first);
      assertThat(ownValue(one, "bmp_exporter_scrape_cached_pages_total"))
          .isEqualTo(cachedBefore + 1);
      // another encoding is built once, then kept beside the first
      String om = "application/openmetrics-text; version=1.0.0";
      String omFirst = one.request("GET", path, "Accept", om).body();
      assertThat(omFirst).isNotEqualTo(first).endsWith("# EOF\n");
      assertThat(one.request("GET", path, "Accept", om).body()).isEqualTo(omFirst);
      assertThat(one.get(path).body()).isEqualTo(first);
      assertThat(ownValue(one, "bmp_exporter_scrape_cached_pages_total"))
          .isEqualTo(cachedBefore + 3);
      assertThat(ownValue(one, "bmp_exporter_scrape_series", "target", "router"))
          .isEqualTo(Scrape.of(first).samples().size());

      // the same session sends a Peer Up: the router changed, the next page is new and shows it
      byte[] peerUp =
          org.bmpexporter.testing.Bmp.peerUp(
              org.bmpexporter.testing.Bmp.globalPeer("192.0.2.77", 65077));
      session.getOutputStream().write(peerUp);
      session.getOutputStream().flush();
      one.awaitMessages(GOBGP_A, LiveExporter.messages(gobgp) + 1);
      String after = one.get(path).body();
      assertThat(after).isNotEqualTo(first).contains("peer=\"192.0.2.77\"");
      assertThat(Scrape.of(after).value("bmp_router_messages_total", "type", "peer_up"))
          .isEqualTo(Scrape.of(first).value("bmp_router_messages_total", "type", "peer_up") + 1);
      assertThat(ownValue(one, "bmp_exporter_scrape_cached_pages_total"))
          .isEqualTo(cachedBefore + 3);
    }
  }

  /** A series of the exporter's own on the full page of {@code live}. */
  private static double ownValue(LiveExporter live, String name, String... labels) {
    return Scrape.of(live.get("/metrics").body()).value(name, labels);
  }

  private static HttpResponse<byte[]> bytes(String path, String... headers) throws IOException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(live.base() + path))
              .timeout(Duration.ofSeconds(20))
              .headers(headers)
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
