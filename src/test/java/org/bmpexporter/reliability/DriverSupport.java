package org.bmpexporter.reliability;

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
import org.bmpexporter.interop.ExporterProcess;
import org.bmpexporter.interop.Ports;

/**
 * What the full-size drivers share: the packaged exporter in a child JVM on loopback with a YAML
 * configuration of the driver's choosing, and timed HTTP fetches.
 */
final class DriverSupport {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private DriverSupport() {}

  /**
   * An exporter started with {@code jvm} options (plus ExitOnOutOfMemoryError) and {@code yaml}.
   */
  static Started start(String name, List<String> jvm, String yaml) throws IOException {
    List<String> options = new ArrayList<>(jvm);
    options.add("-XX:+ExitOnOutOfMemoryError");
    ExporterProcess.requireJar();
    int bmpPort = Ports.free();
    Path work = Path.of("target", "reliability", name, "exporter").toAbsolutePath();
    Files.createDirectories(work);
    Path config = work.resolve("config.yml");
    Files.writeString(config, yaml);
    ExporterProcess exporter =
        new ExporterProcess(
                "exporter",
                work,
                new ExporterProcess.Config(
                    List.of(new ExporterProcess.Endpoint("127.0.0.1", bmpPort)),
                    new ExporterProcess.Endpoint("127.0.0.1", Ports.free()),
                    List.of()))
            .jvmOptions(options)
            .args(List.of("--no-warmup", "--config", config.toString()))
            .start();
    long pid = exporter.proc().daemonPid().orElseThrow();
    System.out.printf(
        "exporter %s (pid %d, %s), config %s, log %s%n",
        ExporterProcess.jar(), pid, options, config, exporter.proc().log());
    return new Started(exporter, pid, bmpPort);
  }

  record Started(ExporterProcess exporter, long pid, int bmpPort) {}

  /** One GET: status, body size in bytes (uncompressed: no Accept-Encoding) and seconds taken. */
  record Fetch(int status, long bytes, double seconds, String body) {
    @Override
    public String toString() {
      return String.format("HTTP %d, %,d bytes in %.3f s", status, bytes, seconds);
    }
  }

  static Fetch get(String hostPort, String pathAndQuery, Duration timeout) {
    long t0 = System.nanoTime();
    try {
      HttpResponse<byte[]> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + hostPort + pathAndQuery))
                  .timeout(timeout)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return new Fetch(
          r.statusCode(),
          r.body().length,
          (System.nanoTime() - t0) / 1e9,
          new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + pathAndQuery, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String mib(double bytes) {
    return String.format("%.1f MiB", bytes / (1 << 20));
  }
}
