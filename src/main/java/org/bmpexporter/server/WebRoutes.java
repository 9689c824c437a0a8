package org.bmpexporter.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;
import org.bmpexporter.state.RouterRegistry;

/**
 * HTTP routes: {@code /metrics}, {@code /healthz}, {@code /readyz}, and the status page with its
 * JSON API ({@link ApiRoutes}: {@code /}, {@code /api/v1/routers}, ...).
 */
final class WebRoutes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private WebRoutes() {}

  /**
   * The HTTP server's request handler: {@code router}, behind a check that answers a path with a
   * malformed %-escape (or escapes that are not UTF-8) with a JSON 400 itself. Vert.x Web would
   * answer those too, but through its unhandled-failure path, which logs an ERROR per request:
   * anyone could fill the log with one curl loop.
   */
  static Handler<HttpServerRequest> guarded(Router router) {
    return request -> {
      String path = request.path();
      if (path != null && path.indexOf('%') >= 0 && ApiRoutes.percentDecode(path).isEmpty()) {
        request.response().setStatusCode(400).putHeader("Content-Type", ApiRoutes.JSON)
            .putHeader("Cache-Control", "no-store")
            .end(ApiRoutes.errorBody(400, "malformed percent-encoding in the path"));
        return;
      }
      router.handle(request);
    };
  }

  static Router create(Vertx vertx, PrometheusMeterRegistry meters, RouterRegistry registry,
      BooleanSupplier ready) {
    Router router = Router.router(vertx);
    // A scrape waits for every router's event loop to snapshot its state: run it off the loops.
    router.get("/metrics").handler(ctx -> vertx.executeBlocking(meters::scrape, false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text))
        .onFailure(ctx::fail));
    router.get("/healthz").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain")
        .end("ok\n"));
    router.get("/readyz").handler(ctx -> {
      boolean ok = ready.getAsBoolean();
      ctx.response().setStatusCode(ok ? 200 : 503).putHeader("Content-Type", "text/plain")
          .end(ok ? "ready\n" : "starting\n");
    });
    ApiRoutes.mount(vertx, router, registry);
    return router;
  }
}
