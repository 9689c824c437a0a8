package org.bmpexporter.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server, on a Vert.x instance of its own: one event loop and its workers that BMP
 * ingestion never runs on, so a session busy with a large table does not delay {@code /healthz} or
 * a scrape. Connections are bounded in time (a first request's headers within {@code
 * web.read_header_timeout}, nothing sent or received for {@code web.idle_timeout} closes them) and
 * size (8 KiB of headers, a 4 KiB request line); answers are gzipped for clients that accept it;
 * the web config file ({@link WebSecurity}) adds TLS, basic auth and headers.
 */
final class WebServer {
  static final int MAX_HEADER_BYTES = 8192;
  static final int MAX_REQUEST_LINE_BYTES = 4096;

  /** Fast gzip: compression runs on the HTTP event loop, and level 1 is most of the gain. */
  static final int GZIP_LEVEL = 1;

  private static final Duration SWEEP_PERIOD = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  private final Vertx vertx;
  private final WebSecurity security;
  private final Duration readHeaderTimeout;
  private final Duration idleTimeout;

  /**
   * Connections by what they last did: opened, got a request (HTTP/1.x), or ended their last stream
   * (HTTP/2, which multiplexes). Only the event loop touches it.
   */
  private final Map<HttpConnection, Watched> watched = new HashMap<>();

  /**
   * A connection's last request (null before the first) and when its answer was seen ended; for
   * HTTP/2, the requests in flight and when the last one ended.
   */
  private static final class Watched {
    final long openedNanos = System.nanoTime();
    HttpServerRequest last;
    long answeredNanos;
    boolean http2;
    int inFlight;
    long lastEndedNanos = openedNanos;
  }

  private HttpServer server;

  private WebServer(Vertx vertx, WebSecurity security, ExporterConfig.Web web) {
    this.vertx = vertx;
    this.security = security;
    this.readHeaderTimeout = web.readHeaderTimeout();
    this.idleTimeout = web.idleTimeout();
  }

  /**
   * Reads the web config file, binds, and starts watching the file. A broken file is an {@link
   * IllegalStateException} whose message names the key at fault.
   */
  static WebServer start(ExporterConfig.Web web, Function<Vertx, Router> routes) throws Exception {
    WebSecurity security;
    try {
      security =
          WebSecurity.load(
              web.configFile().isEmpty()
                  ? Optional.empty()
                  : Optional.of(Path.of(web.configFile())));
    } catch (WebConfigFile.Invalid e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    WebServer s = new WebServer(vertx, security, web);
    try {
      s.listen(web.listen(), routes.apply(vertx));
    } catch (Exception e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void listen(HostPort at, Router router) throws Exception {
    HttpServerOptions o =
        new HttpServerOptions()
            .setHost(at.host())
            .setPort(at.port())
            // No transport idle timeout: it would cut a connection whose answer is still being
            // built (a large full page can take longer). The sweep below bounds idle connections
            // from the end of their last answer instead.
            .setIdleTimeout(0)
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
            // h2c makes Vert.x hold a new connection back until its first bytes tell HTTP/2 from
            // HTTP/1: a silent connection would never reach the timers. HTTP/2 stays on over TLS.
            .setHttp2ClearTextEnabled(false)
            .setCompressionSupported(true)
            .setCompressionLevel(GZIP_LEVEL)
            .setSslHandshakeTimeout(readHeaderTimeout.toMillis())
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (security.tls().isPresent()) {
      ServerSSLOptions ssl = WebSecurity.sslOptions(security.tls().get(), security.http2());
      o.setSsl(true)
          .setKeyCertOptions(ssl.getKeyCertOptions())
          .setClientAuth(ssl.getClientAuth())
          .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols())
          .setUseAlpn(ssl.isUseAlpn());
      if (ssl.getTrustOptions() != null) {
        o.setTrustOptions(ssl.getTrustOptions());
      }
      ssl.getEnabledCipherSuites().forEach(o::addEnabledCipherSuite);
    }
    server =
        BmpExporter.await(
            vertx
                .createHttpServer(o)
                .connectionHandler(this::opened)
                .requestHandler(requestReceived(security.wrap(router)))
                .listen(),
            "HTTP " + at);
    vertx.setPeriodic(SWEEP_PERIOD.toMillis(), id -> sweep());
    security.watch(vertx, server);
  }

  private void opened(HttpConnection c) {
    watched.put(c, new Watched());
    c.closeHandler(v -> watched.remove(c));
  }

  /**
   * Closes connections that hold the server without asking: no complete first request within {@code
   * web.read_header_timeout}, or no complete next request within {@code web.idle_timeout} of the
   * previous answer, which bounds headers dribbled a byte at a time (the idle timeout alone sees
   * them as traffic). Runs every second, so each bound is met within a second.
   */
  private void sweep() {
    long now = System.nanoTime();
    List<HttpConnection> expired = new ArrayList<>();
    watched.forEach(
        (c, w) -> {
          if (w.http2) {
            if (w.inFlight == 0 && now - w.lastEndedNanos > idleTimeout.toNanos()) {
              expired.add(c);
            }
          } else if (w.last == null) {
            if (now - w.openedNanos > readHeaderTimeout.toNanos()) {
              expired.add(c);
            }
          } else if (w.last.response().ended()) {
            if (w.answeredNanos == 0) {
              w.answeredNanos = now;
            } else if (now - w.answeredNanos > idleTimeout.toNanos()) {
              expired.add(c);
            }
          }
        });
    for (HttpConnection c : expired) {
      watched.remove(c);
      c.close();
    }
  }

  /** A request's headers are in: its connection is busy until the answer ends. */
  private Handler<HttpServerRequest> requestReceived(Handler<HttpServerRequest> next) {
    return req -> {
      HttpConnection c = req.connection();
      if (req.version() == HttpVersion.HTTP_2) {
        // multiplexed: idle once no stream is open, from when the last one ended
        Watched w = watched.computeIfAbsent(c, k -> new Watched());
        w.http2 = true;
        w.inFlight++;
        req.response()
            .endHandler(
                v -> {
                  w.inFlight--;
                  w.lastEndedNanos = System.nanoTime();
                });
        req.response()
            .closeHandler(
                v -> {
                  if (!req.response().ended()) {
                    w.inFlight--;
                    w.lastEndedNanos = System.nanoTime();
                  }
                });
      } else {
        Watched w = watched.get(c);
        if (w != null) {
          w.last = req;
          w.answeredNanos = 0;
        }
      }
      next.handle(req);
    };
  }

  int port() {
    return server.actualPort();
  }

  Vertx vertx() {
    return vertx;
  }

  WebSecurity security() {
    return security;
  }

  void close() {
    security.close();
    try {
      Future<Void> closed = vertx.close();
      closed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("the HTTP server's Vert.x did not close cleanly: {}", e.toString());
    }
  }
}
