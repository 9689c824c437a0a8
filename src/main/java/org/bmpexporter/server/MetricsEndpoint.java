package org.bmpexporter.server;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.bmpexporter.metrics.BmpCollector;
import org.bmpexporter.metrics.RouterLabels;
import org.bmpexporter.metrics.ScrapeCollector;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.Snapshots;

/**
 * {@code GET /metrics}: the full page, or with {@code ?router=} one router's series only (that
 * router's snapshot alone, so a thousand routers can be a thousand small targets). The format is
 * negotiated by client_java's writers (Prometheus text, OpenMetrics, protobuf) and gzipped when the
 * client accepts it. Concurrent requests for the same page share one build, so fifty parallel
 * scrapes of a large page build it once.
 */
final class MetricsEndpoint {
  static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";

  /** Time kept back from Prometheus' scrape timeout for encoding and sending the page. */
  static final long TIMEOUT_MARGIN_MILLIS = 500;

  private final Vertx vertx;
  private final PrometheusRegistry ownMetrics;
  private final RouterRegistry registry;
  private final Function<String, RouterLabels> inventory;
  private final ScrapeCollector scrapes;
  private final long scrapeTimeoutMillis;
  private final boolean fullMetrics;
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final Map<PageKey, Future<Page>> inFlight = new ConcurrentHashMap<>();

  /**
   * @param ownMetrics the exporter's own and the JVM's series (no router's)
   * @param fullMetrics whether the page without {@code ?router=} holds every router's series
   */
  MetricsEndpoint(
      Vertx vertx,
      PrometheusRegistry ownMetrics,
      RouterRegistry registry,
      Function<String, RouterLabels> inventory,
      ScrapeCollector scrapes,
      long scrapeTimeoutMillis,
      boolean fullMetrics) {
    this.vertx = vertx;
    this.ownMetrics = ownMetrics;
    this.registry = registry;
    this.inventory = inventory;
    this.scrapes = scrapes;
    this.scrapeTimeoutMillis = scrapeTimeoutMillis;
    this.fullMetrics = fullMetrics;
  }

  /** Which page, in which encoding: requests with equal keys may share one build. */
  private record PageKey(String router, String accept, boolean gzip) {}

  /** A built page, or the status and one-line reason why there is none. */
  private record Page(int status, String contentType, boolean gzip, byte[] body) {
    static Page error(int status, String reason) {
      return new Page(
          status,
          "text/plain; charset=utf-8",
          false,
          (reason + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  void handle(RoutingContext ctx) {
    List<String> routers = ctx.queryParam("router");
    if (routers.size() > 1) {
      send(ctx, Page.error(400, "give one router parameter, not " + routers.size()));
      return;
    }
    String router = routers.isEmpty() ? null : routers.get(0);
    if (router != null && registry.get(router) == null) {
      send(ctx, unknown(router));
      return;
    }
    String accept = ctx.request().getHeader("Accept");
    boolean gzip = acceptsGzip(ctx.request().getHeader("Accept-Encoding"));
    long deadline =
        deadlineMillis(ctx.request().getHeader(SCRAPE_TIMEOUT_HEADER), scrapeTimeoutMillis);
    PageKey key = new PageKey(router == null ? "" : router, accept == null ? "" : accept, gzip);
    Future<Page> page =
        inFlight.computeIfAbsent(key, k -> vertx.executeBlocking(() -> build(k, deadline), false));
    // Not inside computeIfAbsent: a build that is already done completes this callback at once,
    // and a map may not be changed from within its own computeIfAbsent.
    page.onComplete(done -> inFlight.remove(key, page));
    page.onSuccess(p -> send(ctx, p)).onFailure(ctx::fail);
  }

  private static Page unknown(String router) {
    return Page.error(404, "unknown router '" + router + "': not connected, or expired");
  }

  private Page build(PageKey key, long deadlineMillis) throws IOException {
    long start = System.nanoTime();
    MetricSnapshots snapshots;
    ScrapeCollector.Target target;
    if (key.router().isEmpty()) {
      target = ScrapeCollector.Target.ALL;
      snapshots = fullPage(deadlineMillis);
    } else {
      target = ScrapeCollector.Target.ROUTER;
      Optional<Snapshots.Router> snapshot = registry.snapshot(key.router(), deadlineMillis);
      if (snapshot.isEmpty()) {
        return registry.get(key.router()) == null
            ? unknown(key.router())
            : Page.error(
                503,
                "router '"
                    + key.router()
                    + "' did not answer within "
                    + deadlineMillis
                    + " ms; try again");
      }
      snapshots = BmpCollector.collect(List.of(snapshot.get()), inventory);
    }
    String accept = key.accept().isEmpty() ? null : key.accept();
    ExpositionFormatWriter writer = formats.findWriter(accept);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (OutputStream out = key.gzip() ? new GZIPOutputStream(bytes, 1 << 16) : bytes) {
      writer.write(out, snapshots, EscapingScheme.fromAcceptHeader(accept));
    }
    scrapes.took(target, (System.nanoTime() - start) / 1e9);
    return new Page(200, writer.getContentType(), key.gzip(), bytes.toByteArray());
  }

  /** The exporter's own and JVM series, and with {@code web.full_metrics} every router's. */
  private MetricSnapshots fullPage(long deadlineMillis) {
    MetricSnapshots own = ownMetrics.scrape();
    if (!fullMetrics) {
      return own;
    }
    List<MetricSnapshot> all = new ArrayList<>(own.size() + 32);
    own.forEach(all::add);
    BmpCollector.collect(registry.snapshots(deadlineMillis), inventory).forEach(all::add);
    return new MetricSnapshots(all);
  }

  /**
   * How long router snapshots may take: the configured scrape timeout, or less when Prometheus says
   * it gives up sooner (its timeout less a margin for encoding and sending).
   */
  static long deadlineMillis(String scrapeTimeoutHeader, long scrapeTimeoutMillis) {
    if (scrapeTimeoutHeader == null) {
      return scrapeTimeoutMillis;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(scrapeTimeoutHeader.strip());
    } catch (NumberFormatException e) {
      return scrapeTimeoutMillis;
    }
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      return scrapeTimeoutMillis;
    }
    long offered = (long) (seconds * 1000);
    // a short timeout keeps three quarters of itself rather than nothing
    long usable = offered - Math.min(TIMEOUT_MARGIN_MILLIS, offered / 4);
    return Math.max(1, Math.min(usable, scrapeTimeoutMillis));
  }

  /** Whether {@code Accept-Encoding} allows gzip (a {@code q=0} refuses it). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] params = part.split(";");
      String coding = params[0].strip().toLowerCase(Locale.ROOT);
      if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
        continue;
      }
      for (int i = 1; i < params.length; i++) {
        String p = params[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
        if (p.startsWith("q=")) {
          try {
            return Double.parseDouble(p.substring(2)) > 0;
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return true;
    }
    return false;
  }

  private static void send(RoutingContext ctx, Page page) {
    HttpServerResponse res =
        ctx.response().setStatusCode(page.status()).putHeader("Content-Type", page.contentType());
    if (page.status() == 200) {
      res.putHeader("Vary", "Accept, Accept-Encoding");
    }
    if (page.gzip()) {
      // set before any server-level compression sees the response, which then leaves it alone
      res.putHeader("Content-Encoding", "gzip");
    }
    if (HttpMethod.HEAD.equals(ctx.request().method())) {
      res.putHeader("Content-Length", Integer.toString(page.body().length)).end();
    } else {
      res.end(Buffer.buffer(page.body()));
    }
  }
}
