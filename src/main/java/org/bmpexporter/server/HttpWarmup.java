package org.bmpexporter.server;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.metrics.ConnectTargets;
import org.bmpexporter.metrics.ScrapeCollector;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.RouterState;

/**
 * HTTP requests on loopback while the network warm-up's BMP sessions run. Netty's pipeline and
 * buffer code serves both BMP reads and HTTP scrapes; compiled for BMP reads alone, the first
 * scrapes during the first real table (Prometheus', or a poller's) find other handler and buffer
 * classes at its call sites, and HotSpot throws that code away and compiles it again while the
 * table arrives. A private HTTP server on the same event loops, with a keep-alive client sending
 * small GETs, gives those call sites their real mix of classes first.
 *
 * <p>The first real request also loads the web stack's classes (Vert.x Web's routing, the access
 * checks, the exposition writers): loading them invalidated compiled code that had assumed a single
 * implementation, the BMP read path's among it, again during the first table. So the client also
 * scrapes a second private server built as the exporter's own ({@link WebServer}, {@link
 * WebRoutes}, {@link MetricsEndpoint}) over the warm-up's routers: {@code /metrics}, one router's
 * page, {@code /sd} and the status API, as Prometheus and the status page do.
 */
final class HttpWarmup {
  /** Pause between requests: scrapes are a trickle next to BMP reads. */
  private static final long PAUSE_NANOS = 200_000;

  private static final byte[] REQUEST =
      "GET /warmup HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final String BODY = "ok\n";

  /** Plain requests between two scrapes of the private exporter pages: scrapes are rarer. */
  private static final int PLAIN_PER_SCRAPE = 8;

  private final HttpServer server;
  private final WebServer web;
  private final RouterRegistry registry;
  private final Thread client;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong scrapes = new AtomicLong();

  private HttpWarmup(HttpServer server, WebServer web, RouterRegistry registry, long deadline) {
    this.server = server;
    this.web = web;
    this.registry = registry;
    int port = server.actualPort();
    this.client = new Thread(() -> requests(port, deadline), "bmp-warmup-http");
    client.setDaemon(true);
  }

  /**
   * Starts the servers and the client; null (and nothing runs) if the plain server cannot listen.
   * The exporter-like server serves {@code registry}'s routers and {@code ownMetrics}.
   */
  static HttpWarmup start(
      Vertx vertx,
      RouterRegistry registry,
      PrometheusRegistry ownMetrics,
      ExporterConfig config,
      long deadlineNanos) {
    HttpServer server;
    try {
      server =
          BmpExporter.await(
              vertx
                  .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                  .requestHandler(
                      req -> req.response().putHeader("content-type", "text/plain").end(BODY))
                  .listen(),
              "warm-up HTTP listener");
    } catch (Exception e) {
      return null;
    }
    WebServer web = null;
    try {
      RouterInventory inventory = new RouterInventory(config.routers());
      ExporterConfig.Web w = config.web();
      web =
          WebServer.start(
              // the exporter's web settings but its own loopback port and no TLS or passwords
              new ExporterConfig.Web(
                  new HostPort("127.0.0.1", 0),
                  w.scrapeTimeout(),
                  true,
                  "",
                  "",
                  w.idleTimeout(),
                  w.readHeaderTimeout()),
              httpVertx ->
                  WebRoutes.create(
                      httpVertx,
                      new MetricsEndpoint(
                          httpVertx,
                          ownMetrics,
                          registry,
                          inventory,
                          new ScrapeCollector(registry::snapshotTimeouts),
                          w.scrapeTimeout().toMillis(),
                          true),
                      new ServiceDiscovery(registry, inventory, ""),
                      registry,
                      new ConnectTargets(),
                      name -> List.of(),
                      () -> true));
    } catch (Exception | LinkageError e) {
      // best effort: without it, only the plain requests run
    }
    HttpWarmup h = new HttpWarmup(server, web, registry, deadlineNanos);
    h.client.start();
    return h;
  }

  /** Responses the exporter-like server gave with status 200. */
  long scrapes() {
    return scrapes.get();
  }

  /** Ends the client and closes the servers; waits briefly for the client thread. */
  void stop() {
    stop.set(true);
    try {
      client.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    if (web != null) {
      web.close();
    }
  }

  /**
   * One request to the exporter-like server, in turn {@code /metrics}, a router's page, {@code /sd}
   * and the status API; counted when answered 200.
   */
  private void scrape(HttpClient http, long n) {
    String path =
        switch ((int) (n % 4)) {
          case 0 -> "/metrics";
          case 1 -> {
            List<RouterState> routers = registry.routers();
            yield routers.isEmpty()
                ? "/metrics"
                : "/metrics?router="
                    + URLEncoder.encode(routers.get(0).label(), StandardCharsets.UTF_8);
          }
          case 2 -> "/sd";
          default -> "/api/v1/routers";
        };
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() == 200) {
        scrapes.incrementAndGet();
      }
    } catch (IOException e) {
      // best effort, as the plain requests
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void requests(int port, long deadlineNanos) {
    HttpClient http =
        web == null
            ? null
            : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    long n = 0;
    try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
      socket.setSoTimeout(2_000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      while (!stop.get() && System.nanoTime() < deadlineNanos) {
        out.write(REQUEST);
        if (!readResponse(in, buf)) {
          return;
        }
        if (http != null && ++n % PLAIN_PER_SCRAPE == 0) {
          scrape(http, n / PLAIN_PER_SCRAPE);
        }
        LockSupport.parkNanos(PAUSE_NANOS);
      }
    } catch (IOException e) {
      // the warm-up is best effort: the server closed, or the machine is too slow
    }
  }

  /** Reads one response: headers to the blank line, then the body by its content-length. */
  private static boolean readResponse(InputStream in, byte[] buf) throws IOException {
    int n = 0;
    int headerEnd = -1;
    while (headerEnd < 0) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0 || n + r >= buf.length) {
        return false;
      }
      n += r;
      headerEnd = indexOf(buf, n, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    int bodyStart = headerEnd + 4;
    int need = bodyStart + BODY.length();
    while (n < need) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        return false;
      }
      n += r;
    }
    return true;
  }

  private static int indexOf(byte[] a, int length, byte[] b) {
    outer:
    for (int i = 0; i + b.length <= length; i++) {
      for (int j = 0; j < b.length; j++) {
        if (a[i + j] != b[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
