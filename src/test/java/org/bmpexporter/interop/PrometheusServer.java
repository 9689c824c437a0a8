package org.bmpexporter.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus (Debian's {@code prometheus}) on a free loopback port, scraping the given
 * targets every second, queried over its HTTP API ({@link PrometheusApi}).
 */
public final class PrometheusServer implements AutoCloseable {
  private final Path workDir;
  private final int port;
  private final Map<String, List<String>> jobs = new LinkedHashMap<>();
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

  public PrometheusApi api() {
    return api;
  }

  public void start() {
    Path cfg = workDir.resolve("prometheus.yml");
    try {
      Files.createDirectories(workDir);
      Files.writeString(cfg, PrometheusApi.config(jobs));
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
      return api.ready();
    }, Duration.ofSeconds(30), "prometheus ready on " + api.url());
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
