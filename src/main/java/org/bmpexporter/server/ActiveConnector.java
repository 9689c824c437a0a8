package org.bmpexporter.server;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.metrics.ConnectTargets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active mode: connects to a router's BMP listener (FRR {@code bmp listener}, Junos {@code
 * connection-mode passive}) and reconnects with exponential backoff and jitter whenever the
 * connection fails or ends.
 */
final class ActiveConnector {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveConnector.class);

  private final Vertx vertx;
  private final HostPort target;
  private final ConnectTargets.Target status;
  private final Duration min;
  private final Duration max;
  private final SessionHandler sessions;
  private final NetClient client;
  private long delayMillis;
  private volatile boolean stopped;

  ActiveConnector(
      Vertx vertx,
      HostPort target,
      ConnectTargets.Target status,
      Duration min,
      Duration max,
      SessionHandler sessions) {
    this.vertx = vertx;
    this.target = target;
    this.status = status;
    this.min = min;
    this.max = max;
    this.sessions = sessions;
    this.client =
        vertx.createNetClient(
            new NetClientOptions()
                .setConnectTimeout(10_000)
                .setTcpNoDelay(true)
                .setReceiveBufferSize(1 << 20));
    this.delayMillis = min.toMillis();
  }

  void start() {
    connect();
  }

  void stop() {
    stopped = true;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    status.attempt();
    client
        .connect(target.port(), target.host())
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                LOG.info("connected to router BMP listener {}", target);
                delayMillis = min.toMillis();
                status.connected(now());
                sessions.start(
                    ar.result(),
                    () -> {
                      status.down("connection closed", now());
                      retryLater();
                    });
              } else {
                status.down(errorText(ar.cause()), now());
                LOG.info(
                    "cannot connect to router BMP listener {}: {}; retrying in {} ms",
                    target,
                    ar.cause().getMessage(),
                    delayMillis);
                retryLater();
              }
            });
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  /** "Connection refused", "connection timed out: ...": Netty's message without the address. */
  static String errorText(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int colon = m.indexOf(": /");
    return colon > 0 ? m.substring(0, colon) : m;
  }

  private void retryLater() {
    if (stopped) {
      return;
    }
    long jitter = ThreadLocalRandom.current().nextLong(delayMillis / 4 + 1);
    long wait = delayMillis + jitter;
    delayMillis = Math.min(max.toMillis(), delayMillis * 2);
    vertx.setTimer(Math.max(1, wait), id -> connect());
  }
}
