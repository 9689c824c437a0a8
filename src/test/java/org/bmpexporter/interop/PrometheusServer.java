package org.bmpexporter.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus (Debian's {@code prometheus}) on a free loopback port, scraping the given
 * targets every second and evaluating the given rule files every second (copied next to its
 * generated config), queried over its HTTP API ({@link PrometheusApi}).
 */
public final class PrometheusServer implements AutoCloseable {
  /** The project's alerting and recording rules, as shipped. */
  public static final List<Path> PROJECT_RULE_FILES =
      List.of(Path.of("prometheus/alerts.yml"), Path.of("prometheus/recording.yml"));

  private final Path workDir;
  private final int port;
  private final Map<String, List<String>> jobs = new LinkedHashMap<>();
  private final List<Path> ruleFiles = new ArrayList<>();
  private final List<String> rawJobs = new ArrayList<>();
  private final PrometheusApi api;
  private Proc proc;

  public PrometheusServer(Path workDir) {
    this.workDir = workDir;
    this.port = Ports.free();
    this.api = new PrometheusApi("http://127.0.0.1:" + port);
  }

  /** Adds a scrape job with static targets ({@code host:port}, loopback). */
  public PrometheusServer job(String name, String... targets) {
    jobs.put(name, List.of(targets));
    return this;
  }

  /** Adds a scrape job written out in YAML (a list item of {@code scrape_configs}, indented 2). */
  public PrometheusServer scrapeConfig(String yaml) {
    rawJobs.add(yaml);
    return this;
  }

  /**
   * Adds a scrape job written out in prometheus.yml syntax (one {@code - job_name: ...} item,
   * indented as an item of {@code scrape_configs}), for settings {@link #job} has no words for:
   * {@code scheme}, {@code tls_config}, {@code basic_auth}.
   */
  public PrometheusServer rawJob(String yamlItem) {
    rawJobs.add(yamlItem);
    return this;
  }

  /** Rule files to load (copied into the work dir under their file names, listed in rule_files). */
  public PrometheusServer ruleFiles(List<Path> files) {
    ruleFiles.addAll(files);
    return this;
  }

  public PrometheusApi api() {
    return api;
  }

  public void start() {
    Path cfg = workDir.resolve("prometheus.yml");
    try {
      Files.createDirectories(workDir);
      List<String> names = new ArrayList<>();
      for (Path f : ruleFiles) {
        Path copy = workDir.resolve(f.getFileName());
        Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
        names.add(copy.getFileName().toString());
      }
      StringBuilder yml = new StringBuilder(PrometheusApi.config(jobs, names));
      rawJobs.forEach(j -> yml.append(j.endsWith("\n") ? j : j + "\n"));
      Files.writeString(cfg, yml.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    proc =
        Proc.start(
            Proc.logName(workDir, "prometheus"),
            workDir,
            List.of(
                Tools.PROMETHEUS,
                "--config.file=" + cfg,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
    Await.until(
        () -> {
          if (!proc.alive()) {
            throw new Await.Abort("prometheus exited: " + proc.logTail(10));
          }
          return api.ready();
        },
        Duration.ofSeconds(30),
        "prometheus ready on " + api.url());
  }

  /** Instant query through the HTTP API. */
  public List<PrometheusApi.Series> query(String promql) {
    return api.query(promql);
  }

  /** The value of a query that must return exactly one series. */
  public double value(String promql) {
    return api.value(promql);
  }

  public List<String> targetHealth(String job) {
    return api.targetHealth(job);
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
