package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bmpexporter.interop.PrometheusApi;
import org.bmpexporter.interop.PrometheusServer;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.RequiresTool;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Prometheus servers discover the routers from {@code /sd} with the {@code bmp-routers} job of
 * the shipped prometheus/prometheus.yml (its relabeling as written, only the address and intervals
 * changed), and scrape each router as its own target; two servers with the file's {@code hashmod}
 * sharding (commented there, uncommented here) hold every router exactly once.
 */
@ComponentTest
@RequiresTool(value = "prometheus", debianPackage = "prometheus")
@Timeout(240)
class PrometheusDiscoveryTest {
  private static final Path SHIPPED = Path.of("prometheus/prometheus.yml");
  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
  private static final List<String> ROUTERS =
      List.of(
          "127.0.11.1",
          "127.0.11.2",
          "127.0.11.3",
          "127.0.11.4",
          "127.0.12.5",
          "127.0.12.6",
          "127.0.12.7",
          "127.0.12.8");
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static LiveExporter live;

  @BeforeAll
  static void start() throws Exception {
    live = LiveExporter.start(c -> c.with("web.full_metrics", false));
    byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    for (String r : ROUTERS) {
      live.send(r, gobgp);
    }
    for (String r : ROUTERS) {
      live.awaitMessages(r, LiveExporter.messages(gobgp));
    }
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  @Test
  void prometheusDiscoversScrapesAndCountsEveryRouter(@TempDir Path dir) throws Exception {
    try (PrometheusServer prometheus =
        new PrometheusServer(dir).scrapeConfig(routersJob(List.of()))) {
      prometheus.start();
      PrometheusApi api = prometheus.api();
      Scrape.await(
          WAIT,
          "every router scraped as its own target",
          () -> valueOr(api, "count(up{job=\"bmp-routers\"} == 1)", -1) == ROUTERS.size());
      Scrape.await(
          WAIT,
          "count(bmp_router_up) equal to the routers connected",
          () -> valueOr(api, "count(bmp_router_up == 1)", -1) == ROUTERS.size());
      // one router per target: the instance is the router, no target has another's series
      List<PrometheusApi.Series> routes = api.query("bmp_routes");
      assertThat(routes).isNotEmpty();
      for (PrometheusApi.Series s : routes) {
        assertThat(s.labels().get("instance")).as(s.toString()).isEqualTo(s.labels().get("router"));
      }
      assertThat(valueOr(api, "count(count by (router) (bmp_routes))", -1))
          .isEqualTo(ROUTERS.size());
    }
  }

  @Test
  void twoShardsHoldEveryRouterExactlyOnce(@TempDir Path dir) throws Exception {
    List<ArrayNode> sharding = shardingRules();
    try (PrometheusServer zero =
            new PrometheusServer(dir.resolve("shard0"))
                .scrapeConfig(routersJob(shard(sharding, 2, 0)));
        PrometheusServer one =
            new PrometheusServer(dir.resolve("shard1"))
                .scrapeConfig(routersJob(shard(sharding, 2, 1)))) {
      zero.start();
      one.start();
      Map<String, Integer> seen = new HashMap<>();
      Scrape.await(
          WAIT,
          "every router on one of the two servers",
          () -> {
            seen.clear();
            for (PrometheusServer p : List.of(zero, one)) {
              for (PrometheusApi.Series s : queryOrEmpty(p.api(), "bmp_router_up")) {
                seen.merge(s.labels().get("router"), 1, Integer::sum);
              }
            }
            return seen.keySet().containsAll(ROUTERS);
          });
      assertThat(new TreeSet<>(seen.keySet())).containsExactlyElementsOf(new TreeSet<>(ROUTERS));
      assertThat(seen.values()).as("times each router is held: " + seen).containsOnly(1);
      // and each server's targets are exactly its routers: none is scraped by both
      int targets =
          (int)
              (valueOr(zero.api(), "count(up{job=\"bmp-routers\"})", 0)
                  + valueOr(one.api(), "count(up{job=\"bmp-routers\"})", 0));
      assertThat(targets).isEqualTo(ROUTERS.size());
      // the hash of these eight addresses splits them (md5 is fixed): both servers hold some
      assertThat(queryOrEmpty(zero.api(), "bmp_router_up")).isNotEmpty();
      assertThat(queryOrEmpty(one.api(), "bmp_router_up")).isNotEmpty();
    }
  }

  /** The shipped bmp-routers job, pointed at the live exporter, refreshing and scraping often. */
  private static String routersJob(List<JsonNode> extraRelabeling) throws IOException {
    JsonNode shipped = YAML.readTree(SHIPPED.toFile());
    ObjectNode job = null;
    for (JsonNode j : shipped.path("scrape_configs")) {
      if (j.path("job_name").asText().equals("bmp-routers")) {
        job = (ObjectNode) j.deepCopy();
      }
    }
    assertThat(job).as("a bmp-routers job in " + SHIPPED).isNotNull();
    ObjectNode sd = (ObjectNode) job.path("http_sd_configs").get(0);
    assertThat(sd.path("url").asText()).endsWith("/sd");
    sd.put("url", live.base() + "/sd");
    sd.put("refresh_interval", "1s");
    job.put("scrape_interval", "1s");
    job.put("scrape_timeout", "1s");
    ArrayNode relabel = (ArrayNode) job.path("relabel_configs");
    extraRelabeling.forEach(relabel::add);
    ArrayNode list = YAML.createArrayNode().add(job);
    // indented as an item of scrape_configs
    StringBuilder out = new StringBuilder();
    for (String line : YAML.writeValueAsString(list).split("\n")) {
      out.append("  ").append(line).append('\n');
    }
    return out.toString();
  }

  /**
   * The sharding rules as commented in the shipped file: the comment lines under "Sharding across N
   * Prometheus servers" that are YAML, uncommented.
   */
  private static List<ArrayNode> shardingRules() throws IOException {
    List<String> lines = Files.readAllLines(SHIPPED);
    StringBuilder yaml = new StringBuilder();
    boolean inSharding = false;
    for (String line : lines) {
      String t = line.strip();
      if (t.contains("Sharding across N Prometheus servers")) {
        inSharding = true;
        continue;
      }
      if (!inSharding) {
        continue;
      }
      if (!t.startsWith("#")) {
        break;
      }
      String body = t.substring(1);
      if (body.startsWith(" - ") || body.startsWith("   ")) {
        yaml.append(body.substring(1).replaceAll("\\s+#.*$", "")).append('\n');
      }
    }
    JsonNode rules = YAML.readTree(yaml.toString());
    assertThat(rules.isArray()).as("sharding rules in " + SHIPPED + ":\n" + yaml).isTrue();
    assertThat(rules).hasSize(2);
    return List.of((ArrayNode) rules);
  }

  /** The sharding rules for {@code server} of {@code servers}. */
  private static List<JsonNode> shard(List<ArrayNode> rules, int servers, int server) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : rules.get(0)) {
      ObjectNode copy = r.deepCopy();
      if (copy.has("modulus")) {
        copy.put("modulus", servers);
      }
      if (copy.path("action").asText().equals("keep")) {
        copy.put("regex", Integer.toString(server));
      }
      out.add(copy);
    }
    return out;
  }

  private static double valueOr(PrometheusApi api, String promql, double fallback) {
    List<PrometheusApi.Series> s = queryOrEmpty(api, promql);
    return s.size() == 1 ? s.get(0).value() : fallback;
  }

  private static List<PrometheusApi.Series> queryOrEmpty(PrometheusApi api, String promql) {
    try {
      return api.query(promql);
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
