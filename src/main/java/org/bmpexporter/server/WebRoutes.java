package org.bmpexporter.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.bmpexporter.forward.Forwarder;
import org.bmpexporter.metrics.ConnectTargets;
import org.bmpexporter.state.RouterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's routes: {@code /metrics}, {@code /sd}, {@code /healthz}, {@code /readyz}, the
 * JSON API ({@link ApiRoutes}) and the status page's static files, plus the answers to requests
 * none of them takes (JSON errors, never Vert.x Web's unhandled-failure path with its ERROR log
 * line).
 */
final class WebRoutes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * The status page's files on the classpath. Vert.x resolves a relative web root against the
   * working directory before the classpath, so not the common {@code webroot}: a stray one beside
   * the jar would replace the page. A top-level name, because Vert.x unpacks everything under the
   * first path segment from the jar into its file cache ({@code org/} is 700 files).
   */
  static final String WEB_ROOT = "bmp-exporter-webroot";

  /** Every route answers these; anything else is a 405. */
  static final String ALLOWED_METHODS = "GET, HEAD";

  private static final Logger LOG = LoggerFactory.getLogger(WebRoutes.class);

  private WebRoutes() {}

  static Router create(
      Vertx vertx,
      MetricsEndpoint metrics,
      ServiceDiscovery discovery,
      RouterRegistry registry,
      ConnectTargets connectTargets,
      Function<String, List<Forwarder.LinkStatus>> forwardLinks,
      BooleanSupplier ready) {
    Router router = Router.router(vertx);
    // A route without a path runs before any path is matched (and so decoded).
    router.route().handler(WebRoutes::rejectMalformedPath);
    // A scrape waits for routers' event loops to snapshot their state: it runs off the loops.
    getOrHead(router, "/metrics").handler(metrics::handle);
    getOrHead(router, "/sd").handler(discovery::handle);
    getOrHead(router, "/healthz").handler(ctx -> end(ctx, "text/plain", "ok\n"));
    getOrHead(router, "/readyz")
        .handler(
            ctx -> {
              boolean ok = ready.getAsBoolean();
              ctx.response().setStatusCode(ok ? 200 : 503);
              end(ctx, "text/plain", ok ? "ready\n" : "starting\n");
            });
    ApiRoutes.mount(vertx, router, registry, connectTargets, forwardLinks);
    // Last: every path the routes above did not take is looked up in the page's files.
    getOrHead(router, "/*").handler(WebRoutes::pageHeaders).handler(StaticHandler.create(WEB_ROOT));
    errorHandlers(router);
    return router;
  }

  /** A route for {@code path} that answers GET and HEAD (Vert.x Web routes no HEAD to a GET). */
  static Route getOrHead(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /**
   * Ends the response with {@code body}, or for HEAD with its length only: Vert.x drops the body of
   * a HEAD answer over HTTP/1.1, but sends it over HTTP/2 (h2c).
   */
  static void end(RoutingContext ctx, String contentType, String body) {
    HttpServerResponse res = ctx.response().putHeader("Content-Type", contentType);
    if (HttpMethod.HEAD.equals(ctx.request().method())) {
      res.putHeader(
              "Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length))
          .end();
    } else {
      res.end(body);
    }
  }

  /**
   * Refuses a path with a malformed %-escape, or escapes that are not UTF-8, with a JSON 400.
   * Vert.x Web would fail the first while matching routes, and decodes the second to U+FFFD in a
   * path parameter instead of refusing it.
   */
  private static void rejectMalformedPath(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.indexOf('%') >= 0 && percentDecode(path).isEmpty()) {
      ApiRoutes.error(ctx, 400, "malformed percent-encoding in the path");
    } else {
      ctx.next();
    }
  }

  /**
   * Headers of the page's files, set before {@link StaticHandler}, which keeps a Cache-Control that
   * is already there: {@code no-cache}, so that a browser revalidates (with the Last-Modified the
   * handler sends, a 304) and never runs an old app.js against a newer API.
   */
  private static void pageHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff")
        // Everything comes from this origin; no inline script, no data from elsewhere.
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  /**
   * JSON answers for what no route took. With a handler registered for its status, Vert.x Web logs
   * nothing; without one, a failure is logged at ERROR per request.
   */
  private static void errorHandlers(Router router) {
    router.errorHandler(
        404,
        ctx -> {
          String path = ctx.request().path();
          if (path == null || !path.startsWith("/")) {
            // "GET *", "GET foo": Vert.x Web fails these with a 404 before matching any route.
            ApiRoutes.error(ctx, 400, "the request target must be a path starting with /");
          } else {
            ApiRoutes.error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + path);
          }
        });
    router.errorHandler(
        405,
        ctx -> {
          ctx.response().putHeader("Allow", ALLOWED_METHODS);
          ApiRoutes.error(
              ctx,
              405,
              "method " + ctx.request().method() + " not allowed; use " + ALLOWED_METHODS);
        });
    // Vert.x Web's own 400s, e.g. a malformed %-escape in the query string
    router.errorHandler(400, ctx -> ApiRoutes.error(ctx, 400, "bad request"));
    router.errorHandler(
        500,
        ctx -> {
          LOG.warn("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
          ApiRoutes.error(ctx, 500, "internal error");
        });
  }

  /**
   * Decodes RFC 3986 percent-encoding as UTF-8 ('+' stays '+': this is a path, not a form). Empty
   * when an escape is malformed or the bytes are not UTF-8.
   */
  static Optional<String> percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return Optional.empty();
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return Optional.empty();
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(out.toByteArray()))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
