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
import org.bmpexporter.testing.Scrape;

/**
 * Prometheus' HTTP API ({@code /api/v1/query}, {@code /api/v1/rules}, {@code /api/v1/alerts},
 * {@code /api/v1/targets}, {@code /-/ready}) at a base URL.
 */
public record PrometheusApi(String url) {
  /** One series of an instant-query result. */
  public record Series(Map<String, String> labels, double value) {}

  /**
   * The whole answer to an instant query, errors included: {@code status} "success" or "error"
   * ({@code errorType} "bad_data" for a parse error, "execution" for an evaluation error).
   */
  public record Result(
      int httpStatus,
      String status,
      String errorType,
      String error,
      String resultType,
      List<Series> series,
      List<String> warnings) {
    public boolean ok() {
      return "success".equals(status) && errorType.isEmpty() && error.isEmpty();
    }

    @Override
    public String toString() {
      return ok()
          ? resultType + " " + series + (warnings.isEmpty() ? "" : " warnings " + warnings)
          : "HTTP " + httpStatus + " " + status + " " + errorType + ": " + error;
    }
  }

  /**
   * One rule of {@code /api/v1/rules}: type "alerting" or "recording"; {@code forSeconds} (the
   * alert's {@code for:}) and {@code state} only for alerts.
   */
  public record Rule(
      String group,
      String name,
      String type,
      String query,
      String health,
      String lastError,
      String state,
      double forSeconds,
      String lastEvaluation) {}

  /**
   * One active alert of {@code /api/v1/alerts}: state "pending" or "firing"; annotations rendered.
   */
  public record Alert(
      Map<String, String> labels, Map<String, String> annotations, String state, String value) {
    public String name() {
      return labels.getOrDefault("alertname", "");
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public boolean ready() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Instant query; every series of the resulting vector (a scalar result is one series without
   * labels).
   */
  public List<Series> query(String promql) {
    Result r = run(promql);
    if (!r.ok()) {
      throw new IllegalStateException("prometheus query '" + promql + "' failed: " + r);
    }
    return r.series();
  }

  /**
   * Instant query at the current time; the answer as it is, errors included (never throws for a
   * PromQL error).
   */
  public Result run(String promql) {
    HttpResponse<String> r =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode j = Json.parse(r.body(), "prometheus query " + promql);
    JsonNode data = j.path("data");
    List<Series> out = new ArrayList<>();
    String type = data.path("resultType").asText("");
    if ("scalar".equals(type)) {
      out.add(new Series(Map.of(), Scrape.parseValue(data.path("result").get(1).asText())));
    } else if ("vector".equals(type) || "matrix".equals(type)) {
      for (JsonNode s : data.path("result")) {
        Map<String, String> labels = new TreeMap<>();
        s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        JsonNode v =
            "vector".equals(type)
                ? s.path("value")
                : s.path("values").path(s.path("values").size() - 1);
        out.add(new Series(labels, Scrape.parseValue(v.get(1).asText())));
      }
    }
    List<String> warnings = new ArrayList<>();
    j.path("warnings").forEach(w -> warnings.add(w.asText()));
    return new Result(
        r.statusCode(),
        j.path("status").asText(""),
        j.path("errorType").asText(""),
        j.path("error").asText(""),
        type,
        out,
        warnings);
  }

  /** Every rule Prometheus loaded, with its health and last error ({@code /api/v1/rules}). */
  public List<Rule> rules() {
    JsonNode j = Json.parse(get("/api/v1/rules").body(), "prometheus rules");
    List<Rule> out = new ArrayList<>();
    for (JsonNode g : j.path("data").path("groups")) {
      for (JsonNode r : g.path("rules")) {
        out.add(
            new Rule(
                g.path("name").asText(),
                r.path("name").asText(),
                r.path("type").asText(),
                r.path("query").asText(),
                r.path("health").asText(),
                r.path("lastError").asText(""),
                r.path("state").asText(""),
                r.path("duration").asDouble(0),
                r.path("lastEvaluation").asText("")));
      }
    }
    return out;
  }

  /** The pending and firing alerts ({@code /api/v1/alerts}). */
  public List<Alert> alerts() {
    JsonNode j = Json.parse(get("/api/v1/alerts").body(), "prometheus alerts");
    List<Alert> out = new ArrayList<>();
    for (JsonNode a : j.path("data").path("alerts")) {
      Map<String, String> labels = new TreeMap<>();
      a.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      Map<String, String> annotations = new TreeMap<>();
      a.path("annotations")
          .properties()
          .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
      out.add(new Alert(labels, annotations, a.path("state").asText(), a.path("value").asText()));
    }
    return out;
  }

  /** The value of a query that must return exactly one series. */
  public double value(String promql) {
    List<Series> s = query(promql);
    if (s.size() != 1) {
      throw new IllegalStateException(
          "expected exactly one series for '" + promql + "', got " + s.size() + ": " + s);
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
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
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
    return config(jobs, List.of());
  }

  /**
   * prometheus.yml scraping each job's static targets every second and evaluating the rule files
   * (paths relative to the config file's directory) every second.
   */
  public static String config(Map<String, List<String>> jobs, List<String> ruleFiles) {
    StringBuilder y =
        new StringBuilder(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n");
    if (!ruleFiles.isEmpty()) {
      y.append("rule_files:\n");
      ruleFiles.forEach(f -> y.append("  - \"").append(f).append("\"\n"));
    }
    y.append("scrape_configs:\n");
    for (Map.Entry<String, List<String>> j : jobs.entrySet()) {
      y.append("  - job_name: ")
          .append(j.getKey())
          .append("\n    static_configs:\n      - targets: [")
          .append(String.join(", ", j.getValue().stream().map(t -> "\"" + t + "\"").toList()))
          .append("]\n");
    }
    return y.toString();
  }
}
