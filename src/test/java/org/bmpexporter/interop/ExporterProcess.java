package org.bmpexporter.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Assertions;

/**
 * The exporter under test, as a subprocess (the suite is black-box against the jar): {@code java
 * -jar target/bmp-exporter.jar --bmp-listen H:P [--bmp-listen ...] --web-listen 127.0.0.1:P
 * [--connect H:P ...]}, started under {@link Proc} (hard lifetime, log in
 * target/interop-logs/NAME.log, stopped by PID), ready when {@code /readyz} answers 200.
 *
 * <p>{@code -Dinterop.exporterJar=PATH} overrides the jar; {@code -Dinterop.exporterArgs="..."}
 * appends arguments (space separated).
 */
public final class ExporterProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** A loopback address and port. */
  public record Endpoint(String host, int port) {
    public Endpoint {
      Loopback.require(host);
    }

    @Override
    public String toString() {
      return Ports.hostPort(host, port);
    }
  }

  /**
   * Where the exporter listens and connects: {@code --bmp-listen} endpoints (passive BMP), {@code
   * --web-listen}, {@code --connect} endpoints (active mode).
   */
  public record Config(List<Endpoint> bmpListen, Endpoint web, List<Endpoint> connect) {}

  private final String name;
  private final Path workDir;
  private final Config config;
  private List<String> jvmOptions = List.of("-Xmx512m");
  private List<String> extraArgs = List.of();
  private Proc proc;

  public ExporterProcess(String name, Path workDir, Config config) {
    this.name = name;
    this.workDir = workDir;
    this.config = config;
  }

  public static Path jar() {
    return Path.of(System.getProperty("interop.exporterJar", "target/bmp-exporter.jar"))
        .toAbsolutePath();
  }

  /**
   * Fails (never skips: the tools are there, only the product is missing) unless the jar exists.
   */
  public static void requireJar() {
    if (!Files.isRegularFile(jar())) {
      Assertions.fail(
          "exporter jar "
              + jar()
              + " is missing: build it first (`mvn -B package -DskipTests`, or run the "
              + "suite through `mvn verify`, which packages before the integration tests), or point -Dinterop.exporterJar at it");
    }
  }

  public Config config() {
    return config;
  }

  /** JVM options instead of the default {@code -Xmx512m}; call before {@link #start}. */
  public ExporterProcess jvmOptions(List<String> options) {
    this.jvmOptions = List.copyOf(options);
    return this;
  }

  /** Exporter arguments after the listeners (e.g. {@code --config FILE}); before {@link #start}. */
  public ExporterProcess args(List<String> args) {
    this.extraArgs = List.copyOf(args);
    return this;
  }

  /** Its web {@code host:port}, for Prometheus' scrape config (and the {@code instance} label). */
  public String webTarget() {
    return config.web().toString();
  }

  public Proc proc() {
    return proc;
  }

  public ExporterProcess start() {
    requireJar();
    List<String> cmd =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar().toString()));
    for (Endpoint e : config.bmpListen()) {
      cmd.add("--bmp-listen");
      cmd.add(e.toString());
    }
    cmd.add("--web-listen");
    cmd.add(config.web().toString());
    for (Endpoint e : config.connect()) {
      cmd.add("--connect");
      cmd.add(e.toString());
    }
    cmd.addAll(extraArgs);
    String extra = System.getProperty("interop.exporterArgs", "").strip();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    proc = Proc.start(Proc.logName(workDir, name), workDir, cmd);
    Await.until(
        () -> {
          if (!proc.alive()) {
            throw new Await.Abort(
                "exporter exited with "
                    + proc.exitCode().orElse(-1)
                    + " before /readyz answered:\n"
                    + proc.logTail(30));
          }
          try {
            return get("/readyz").statusCode() == 200;
          } catch (RuntimeException e) {
            return false;
          }
        },
        Duration.ofSeconds(60),
        name + " /readyz on " + config.web() + " (log " + proc.log() + ")");
    return this;
  }

  /** GET /metrics, parsed. */
  public Scrape scrape() {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics: HTTP " + r.statusCode());
    }
    return Scrape.of(r.body());
  }

  public HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://" + webTarget() + path))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET http://" + webTarget() + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (proc != null) {
      proc.stop(Duration.ofSeconds(15));
    }
  }

  @Override
  public String toString() {
    return name + " " + config;
  }
}
