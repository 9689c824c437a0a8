package org.bmpexporter.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real Prometheus (Debian's {@code prometheus}) on a free loopback port, scraping the given
 * targets every second, queried over its HTTP API ({@code /api/v1/query}).
 */
public final class PrometheusServer implements AutoCloseable {
  /** One series of an instant-query result. */
  public record Series(Map<String, String> labels, double value) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path workDir;
  private final int port;
  private final Map<String, List<String>> jobs = new LinkedHashMap<>();
  private Proc proc;

  public PrometheusServer(Path workDir) {
    this.workDir = workDir;
    this.port = Ports.free();
  }

  /** Adds a scrape job with static targets ({@code host:port}, loopback). */
  public PrometheusServer job(String name, String... targets) {
    jobs.put(name, List.of(targets));
    return this;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public void start() {
    StringBuilder y = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
    for (Map.Entry<String, List<String>> j : jobs.entrySet()) {
      y.append("  - job_name: ").append(j.getKey()).append("\n    static_configs:\n      - targets: [");
      y.append(String.join(", ", j.getValue().stream().map(t -> "\"" + t + "\"").toList())).append("]\n");
    }
    Path cfg = workDir.resolve("prometheus.yml");
    try {
      Files.createDirectories(workDir);
      Files.writeString(cfg, y.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    proc = Proc.start(Proc.logName(workDir, "prometheus"), workDir, List.of(Tools.PROMETHEUS,
        "--config.file=" + cfg, "--storage.tsdb.path=" + workDir.resolve("data"),
        "--storage.tsdb.retention.time=1h", "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"));
    Await.until(() -> {
      if (!proc.alive()) {
        throw new Await.Abort("prometheus exited: " + proc.logTail(10));
      }
      return get("/-/ready").statusCode() == 200;
    }, Duration.ofSeconds(30), "prometheus ready on " + url());
  }

  /** Instant query; every series of the resulting vector (a scalar result is one series without labels). */
  public List<Series> query(String promql) {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode j = Json.parse(r.body(), "prometheus query " + promql);
    if (r.statusCode() != 200 || !"success".equals(j.path("status").asText())) {
      throw new IllegalStateException("prometheus query '" + promql + "' failed: HTTP " + r.statusCode() + " " + r.body());
    }
    JsonNode data = j.path("data");
    List<Series> out = new ArrayList<>();
    if ("scalar".equals(data.path("resultType").asText())) {
      out.add(new Series(Map.of(), Double.parseDouble(data.path("result").get(1).asText())));
      return out;
    }
    for (JsonNode s : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      out.add(new Series(labels, Double.parseDouble(s.path("value").get(1).asText())));
    }
    return out;
  }

  /** The value of a query that must return exactly one series. */
  public double value(String promql) {
    List<Series> s = query(promql);
    if (s.size() != 1) {
      throw new IllegalStateException("expected exactly one series for '" + promql + "', got " + s.size() + ": " + s);
    }
    return s.get(0).value();
  }

  /** Health of the scrape targets of a job ("up"/"down"/"unknown") from {@code /api/v1/targets}. */
  public List<String> targetHealth(String job) {
    JsonNode j = Json.parse(get("/api/v1/targets").body(), "prometheus targets");
    List<String> h = new ArrayList<>();
    for (JsonNode t : j.path("data").path("activeTargets")) {
      if (job.equals(t.path("labels").path("job").asText())) {
        h.add(t.path("health").asText());
      }
    }
    return h;
  }

  private HttpResponse<String> get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url() + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Proc proc() {
    return proc;
  }

  @Override
  public void close() {
    if (proc != null) {
      proc.stop(Duration.ofSeconds(15));
    }
  }
}
