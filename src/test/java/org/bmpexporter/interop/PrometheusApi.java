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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prometheus' HTTP API ({@code /api/v1/query}, {@code /api/v1/targets}, {@code /-/ready}) at a base URL. */
public record PrometheusApi(String url) {
  /** One series of an instant-query result. */
  public record Series(Map<String, String> labels, double value) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public boolean ready() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
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
      out.add(new Series(Map.of(), Metrics.parseValue(data.path("result").get(1).asText())));
      return out;
    }
    for (JsonNode s : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      out.add(new Series(labels, Metrics.parseValue(s.path("value").get(1).asText())));
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
      return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** prometheus.yml scraping each job's static targets every second. */
  public static String config(Map<String, List<String>> jobs) {
    StringBuilder y = new StringBuilder(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
    for (Map.Entry<String, List<String>> j : jobs.entrySet()) {
      y.append("  - job_name: ").append(j.getKey()).append("\n    static_configs:\n      - targets: [")
          .append(String.join(", ", j.getValue().stream().map(t -> "\"" + t + "\"").toList())).append("]\n");
    }
    return y.toString();
  }
}
