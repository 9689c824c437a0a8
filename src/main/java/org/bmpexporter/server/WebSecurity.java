package org.bmpexporter.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web config file ({@link WebConfigFile}) applied to every HTTP request, in the
 * exporter-toolkit's order: response headers, rate limit, client certificate SANs, basic auth. The
 * file and the files it names are checked for changes every second; a good change is applied
 * without a restart (certificates through {@link HttpServer#updateSSLOptions}), a broken one is
 * logged once, counted, and the last good configuration stays.
 */
final class WebSecurity {
  private static final Logger LOG = LoggerFactory.getLogger(WebSecurity.class);

  /** bcrypt checks waiting for the one thread that runs them; beyond this, 503. */
  private static final int MAX_PENDING_CHECKS = 64;

  static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

  /** What is in force: the file as read, and the objects built from it. */
  private record Applied(WebConfigFile config, BasicAuth auth, Optional<TokenBucket> rate) {}

  private final Optional<Path> file;
  private volatile Applied current;
  private volatile String failedFingerprint = "";
  private boolean checking;
  private final AtomicLong reloadSuccesses = new AtomicLong();
  private final AtomicLong reloadFailures = new AtomicLong();
  private final AtomicInteger pendingChecks = new AtomicInteger();
  private WorkerExecutor bcryptThread;

  private WebSecurity(Optional<Path> file, WebConfigFile config) {
    this.file = file;
    this.current = applied(config, null);
  }

  /** Reads the file (none: plain HTTP, no auth); a problem is a start-up error naming its key. */
  static WebSecurity load(Optional<Path> file) throws WebConfigFile.Invalid {
    WebConfigFile config =
        file.isPresent()
            ? WebConfigFile.read(file.get())
            : new WebConfigFile(
                Optional.empty(),
                true,
                java.util.Map.of(),
                java.util.Map.of(),
                Optional.empty(),
                "");
    return new WebSecurity(file, config);
  }

  private static Applied applied(WebConfigFile config, Applied previous) {
    // Keep what did not change: the login cache, and the bucket's tokens.
    BasicAuth auth =
        previous != null && previous.config.users().equals(config.users())
            ? previous.auth
            : new BasicAuth(config.users());
    Optional<TokenBucket> rate =
        previous != null && previous.config.rateLimit().equals(config.rateLimit())
            ? previous.rate
            : config.rateLimit().map(TokenBucket::new);
    return new Applied(config, auth, rate);
  }

  Optional<WebConfigFile.Tls> tls() {
    return current.config.tls();
  }

  boolean http2() {
    return current.config.http2();
  }

  long reloadSuccesses() {
    return reloadSuccesses.get();
  }

  long reloadFailures() {
    return reloadFailures.get();
  }

  /** The server's TLS options for {@code tls}. */
  static ServerSSLOptions sslOptions(WebConfigFile.Tls tls, boolean http2) {
    ServerSSLOptions o =
        new ServerSSLOptions()
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(tls.certPem()))
                    .addKeyValue(Buffer.buffer(tls.keyPem())))
            .setClientAuth(tls.clientAuth().vertx)
            .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()))
            .setUseAlpn(http2);
    if (tls.clientAuth().verifies) {
      o.setTrustOptions(
          new PemTrustOptions().addCertValue(Buffer.buffer(tls.clientCaPem().orElseThrow())));
    } else if (tls.clientAuth() != WebConfigFile.ClientAuthType.NoClientCert) {
      // RequestClientCert and RequireAnyClientCert take any certificate, unverified (as in Go)
      o.setTrustOptions(TrustOptions.wrap(new AnyCertificate()));
    }
    tls.cipherSuites().forEach(o::addEnabledCipherSuite);
    return o;
  }

  /** Starts the periodic check for changes (no file: nothing to watch). */
  void watch(Vertx vertx, HttpServer server) {
    bcryptThread = vertx.createSharedWorkerExecutor("bcrypt", 1);
    if (file.isEmpty()) {
      return;
    }
    vertx.setPeriodic(CHECK_PERIOD.toMillis(), id -> check(vertx, server));
  }

  private void check(Vertx vertx, HttpServer server) {
    if (checking) {
      return;
    }
    checking = true;
    Path path = file.orElseThrow();
    Applied before = current;
    vertx
        .executeBlocking(
            () -> {
              String fp = WebConfigFile.fingerprintOf(path, WebConfigFile.namedFiles(path));
              if (fp.equals(before.config.fingerprint()) || fp.equals(failedFingerprint)) {
                return null;
              }
              try {
                WebConfigFile next = WebConfigFile.read(path);
                restartOnly(before.config, next);
                if (next.tls().isPresent()) {
                  // what Vert.x would refuse, found before it is handed over
                  ServerSSLOptions ssl = sslOptions(next.tls().get(), next.http2());
                  ssl.getKeyCertOptions().getKeyManagerFactory(vertx);
                  if (ssl.getTrustOptions() instanceof PemTrustOptions trust) {
                    trust.getTrustManagerFactory(vertx);
                  }
                }
                return new Change(fp, applied(next, before), null);
              } catch (WebConfigFile.Invalid e) {
                return new Change(fp, null, e.getMessage());
              } catch (Exception e) {
                return new Change(fp, null, "web config file " + path + ": " + e.getMessage());
              }
            },
            false)
        .compose(change -> change == null ? Future.succeededFuture() : apply(server, change))
        .onComplete(v -> checking = false);
  }

  /** A change seen: what to apply, or why not. */
  private record Change(String fingerprint, Applied next, String problem) {}

  private Future<Void> apply(HttpServer server, Change change) {
    if (change.problem != null) {
      return failed(change, change.problem);
    }
    Optional<WebConfigFile.Tls> tls = change.next.config.tls();
    Future<Boolean> ssl =
        tls.isPresent() && !tls.equals(current.config.tls())
            ? server.updateSSLOptions(sslOptions(tls.get(), change.next.config.http2()), true)
            : Future.succeededFuture(true);
    return ssl.transform(
        r -> {
          if (r.failed()) {
            return failed(
                change, "web config file " + file.orElseThrow() + ": " + r.cause().getMessage());
          }
          current = change.next;
          failedFingerprint = "";
          reloadSuccesses.incrementAndGet();
          LOG.info("web config file {} reloaded", file.orElseThrow());
          return Future.succeededFuture();
        });
  }

  private Future<Void> failed(Change change, String problem) {
    // Once per broken version of the files: the check runs every second.
    failedFingerprint = change.fingerprint;
    reloadFailures.incrementAndGet();
    LOG.warn("{}; keeping the previous web configuration", problem);
    return Future.succeededFuture();
  }

  /** Turning TLS on or off and HTTP/2 are settled when the server binds. */
  private static void restartOnly(WebConfigFile was, WebConfigFile now)
      throws WebConfigFile.Invalid {
    if (was.tlsEnabled() != now.tlsEnabled()) {
      throw new WebConfigFile.Invalid(
          "web config file: tls_server_config "
              + (now.tlsEnabled() ? "added" : "removed")
              + "; turning TLS on or off takes a restart");
    }
    if (was.http2() != now.http2()) {
      throw new WebConfigFile.Invalid(
          "web config file: http_server_config.http2 changed; that takes a restart");
    }
  }

  /** {@code next} behind the checks of the configuration in force when each request arrives. */
  Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
    return req -> {
      Applied a = current;
      HttpServerResponse res = req.response();
      a.config.headers().forEach(res::putHeader);
      if (a.rate.isPresent() && !a.rate.get().tryTake()) {
        plain(req, 429, "Too Many Requests");
        return;
      }
      List<String> sans =
          a.config.tls().map(WebConfigFile.Tls::clientAllowedSans).orElse(List.of());
      if (!sans.isEmpty() && !allowedSan(req, sans)) {
        // exporter-toolkit ends the handshake; the connection is refused here
        req.connection().close();
        return;
      }
      if (!a.auth.enabled()) {
        next.handle(req);
        return;
      }
      Optional<String[]> cred = BasicAuth.credentials(req.getHeader("Authorization"));
      if (cred.isEmpty()) {
        unauthorized(req);
        return;
      }
      String user = cred.get()[0];
      String password = cred.get()[1];
      if (a.auth.cachedValid(user, password)) {
        next.handle(req);
        return;
      }
      if (pendingChecks.incrementAndGet() > MAX_PENDING_CHECKS) {
        pendingChecks.decrementAndGet();
        plain(req, 503, "Too many logins being checked");
        return;
      }
      req.pause();
      bcryptThread
          .executeBlocking(() -> a.auth.check(user, password), true)
          .onComplete(
              r -> {
                pendingChecks.decrementAndGet();
                if (r.succeeded() && r.result()) {
                  next.handle(req);
                } else {
                  unauthorized(req);
                }
                req.resume();
              });
    };
  }

  private static boolean allowedSan(HttpServerRequest req, List<String> allowed) {
    try {
      List<Certificate> chain = req.connection().peerCertificates();
      if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate c)) {
        return false;
      }
      Collection<List<?>> names = c.getSubjectAlternativeNames();
      if (names == null) {
        return false;
      }
      for (List<?> n : names) {
        if (n.size() >= 2 && allowed.contains(String.valueOf(n.get(1)))) {
          return true;
        }
      }
      return false;
    } catch (SSLPeerUnverifiedException | java.security.cert.CertificateParsingException e) {
      return false;
    }
  }

  private static void unauthorized(HttpServerRequest req) {
    req.response().putHeader("WWW-Authenticate", "Basic");
    plain(req, 401, "Unauthorized");
  }

  private static void plain(HttpServerRequest req, int status, String text) {
    HttpServerResponse res =
        req.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8");
    if (HttpMethod.HEAD.equals(req.method())) {
      res.putHeader("Content-Length", Integer.toString(text.length() + 1)).end();
    } else {
      res.end(text + "\n");
    }
  }

  void close() {
    if (bcryptThread != null) {
      bcryptThread.close();
    }
  }

  /** exporter-toolkit's rate limit: one token per interval, at most {@code burst} saved up. */
  static final class TokenBucket {
    private final long intervalNanos;
    private final int burst;
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(WebConfigFile.RateLimit limit) {
      this.intervalNanos = limit.interval().toNanos();
      this.burst = limit.burst();
      this.tokens = burst;
    }

    synchronized boolean tryTake() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  /** Accepts any client certificate: the policies that ask for one without verifying it. */
  private static final class AnyCertificate implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a server-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
