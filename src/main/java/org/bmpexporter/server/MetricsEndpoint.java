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
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;

/**
 * {@code GET /metrics}: the full page, or with {@code ?router=} one router's series only (that
 * router's snapshot alone, so a thousand routers can be a thousand small targets). The format is
 * negotiated by client_java's writers (Prometheus text, OpenMetrics, protobuf) and gzipped when the
 * client accepts it. Concurrent requests for the same page share one build, so fifty parallel
 * scrapes of a large page build it once. A router's page is kept, per encoding, with the router's
 * state version it shows: while the router's state does not change (an idle router, a quiet
 * network), its next scrape is served from that block without asking its event loop.
 */
final class MetricsEndpoint {
  static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";

  /** Time kept back from Prometheus' scrape timeout for encoding and sending the page. */
  static final long TIMEOUT_MARGIN_MILLIS = 500;

  /**
   * Encodings kept per router; more than this (clients asking for many formats) starts the router's
   * set afresh, so the cache holds at most this many pages per router.
   */
  static final int MAX_ENCODINGS_PER_ROUTER = 4;

  private final Vertx vertx;
  private final PrometheusRegistry ownMetrics;
  private final RouterRegistry registry;
  private final Function<String, RouterLabels> inventory;
  private final ScrapeCollector scrapes;
  private final long scrapeTimeoutMillis;
  private final boolean fullMetrics;
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final Map<PageKey, Future<Page>> inFlight = new ConcurrentHashMap<>();
  // Keyed by the state object, not the label: a router that expired and came back is a new state.
  private final Map<RouterState, RouterPages> routerPages = new ConcurrentHashMap<>();

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

  /** A built page (with the number of series on it), or the status and reason why there is none. */
  private record Page(int status, String contentType, boolean gzip, byte[] body, int series) {
    static Page error(int status, String reason) {
      return new Page(
          status,
          "text/plain; charset=utf-8",
          false,
          (reason + "\n").getBytes(StandardCharsets.UTF_8),
          0);
    }
  }

  /** How a page is encoded: its negotiated format and compression. */
  private record Encoding(String accept, boolean gzip) {}

  /** One router's last pages: right while its state version and inventory labels are these. */
  private record RouterPages(long version, RouterLabels labels, Map<Encoding, Page> pages) {
    Page page(long version, RouterLabels labels, Encoding encoding) {
      return this.version == version && this.labels.equals(labels) ? pages.get(encoding) : null;
    }

    /** These pages and {@code page}, or only {@code page} when the others are out of date. */
    RouterPages with(long version, RouterLabels labels, Encoding encoding, Page page) {
      Map<Encoding, Page> next = new java.util.HashMap<>();
      if (this.version == version
          && this.labels.equals(labels)
          && pages.size() < MAX_ENCODINGS_PER_ROUTER) {
        next.putAll(pages);
      }
      next.put(encoding, page);
      return new RouterPages(version, labels, Map.copyOf(next));
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
    if (!key.router().isEmpty()) {
      return routerPage(key, deadlineMillis, start);
    }
    Page page = encode(key, fullPage(deadlineMillis));
    scrapes.served(ScrapeCollector.Target.ALL, System.nanoTime() - start, page.series(), false);
    return page;
  }

  /** One router's page: its kept block while its state is unchanged, else built from a snapshot. */
  private Page routerPage(PageKey key, long deadlineMillis, long start) throws IOException {
    ScrapeCollector.Target target = ScrapeCollector.Target.ROUTER;
    RouterState state = registry.get(key.router());
    if (state == null) {
      return unknown(key.router());
    }
    RouterLabels labels = inventory.apply(state.address());
    Encoding encoding = new Encoding(key.accept(), key.gzip());
    // Read before the snapshot: the page shows this version's state or a later one, so it is
    // served again only while nothing has changed since.
    long version = state.version();
    RouterPages kept = routerPages.get(state);
    Page cached = kept == null ? null : kept.page(version, labels, encoding);
    if (cached != null) {
      scrapes.served(target, System.nanoTime() - start, cached.series(), true);
      return cached;
    }
    Optional<Snapshots.Router> snapshot = registry.snapshot(state, deadlineMillis);
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
    Page page = encode(key, BmpCollector.collect(List.of(snapshot.get()), address -> labels));
    routerPages.compute(
        state,
        (s, old) ->
            old == null
                ? new RouterPages(version, labels, Map.of(encoding, page))
                : old.with(version, labels, encoding, page));
    forgetExpiredRouters();
    scrapes.served(target, System.nanoTime() - start, page.series(), false);
    return page;
  }

  private Page encode(PageKey key, MetricSnapshots snapshots) throws IOException {
    String accept = key.accept().isEmpty() ? null : key.accept();
    ExpositionFormatWriter writer = formats.findWriter(accept);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (OutputStream out = key.gzip() ? new GZIPOutputStream(bytes, 1 << 16) : bytes) {
      writer.write(out, snapshots, EscapingScheme.fromAcceptHeader(accept));
    }
    int series = 0;
    for (MetricSnapshot m : snapshots) {
      series += m.getDataPoints().size();
    }
    return new Page(200, writer.getContentType(), key.gzip(), bytes.toByteArray(), series);
  }

  /** Drops the pages of routers that expired (only when there are more pages than routers). */
  private void forgetExpiredRouters() {
    if (routerPages.size() > registry.size()) {
      routerPages.keySet().removeIf(s -> registry.get(s.label()) != s);
    }
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
