package org.bmpexporter.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What the routers send BMP to and Prometheus scrapes: the real exporter ({@link
 * ExporterProcess}) or the test-side {@link StandinCollector}.
 */
public interface BmpCollector extends AutoCloseable {
  HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** A loopback address and port. */
  record Endpoint(String host, int port) {
    public Endpoint {
      Loopback.require(host);
    }

    @Override
    public String toString() {
      return Ports.hostPort(host, port);
    }
  }

  /**
   * Where the collector listens and connects: {@code --bmp-listen} endpoints (passive BMP),
   * {@code --web-listen}, {@code --connect} endpoints (active mode).
   */
  record Config(List<Endpoint> bmpListen, Endpoint web, List<Endpoint> connect) {}

  Config config();

  /** Its {@code host:port} for Prometheus' scrape config. */
  default String webTarget() {
    return config().web().toString();
  }

  /** GET /metrics, parsed. */
  default Metrics scrape() {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics: HTTP " + r.statusCode());
    }
    return Metrics.parse(r.body());
  }

  default HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://" + webTarget() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET http://" + webTarget() + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  void close();
}
