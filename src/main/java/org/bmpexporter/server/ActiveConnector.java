package org.bmpexporter.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetClientInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
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
 *
 * <p>A router in listener mode sends its Initiation the moment the connection is accepted. Vert.x
 * drops what a {@link NetSocket} reads before its handler is set, and the usual {@code
 * connect().onComplete(...)} can set it too late: a listener added to an already completed future
 * runs as a task queued behind the socket's first read. So the session's handlers are set inside
 * the connect promise's completion, which Vert.x calls on the socket's event loop before any read.
 */
final class ActiveConnector {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveConnector.class);

  private final HostPort target;
  private final ConnectTargets.Target status;
  private final Duration min;
  private final Duration max;
  private final SessionHandler sessions;
  private final NetClientInternal client;

  /** The event loop this connector's connections, callbacks and retries run on. */
  private final ContextInternal context;

  private long delayMillis;
  private volatile boolean stopped;

  ActiveConnector(
      Vertx vertx,
      ContextInternal context,
      HostPort target,
      ConnectTargets.Target status,
      Duration min,
      Duration max,
      SessionHandler sessions) {
    this.target = target;
    this.status = status;
    this.min = min;
    this.max = max;
    this.sessions = sessions;
    this.client =
        (NetClientInternal)
            vertx.createNetClient(
                new NetClientOptions()
                    .setConnectTimeout(10_000)
                    .setTcpNoDelay(true)
                    .setReceiveBufferSize(1 << 20));
    this.context = context;
    this.delayMillis = min.toMillis();
  }

  void start() {
    context.runOnContext(v -> connect());
  }

  void stop() {
    stopped = true;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    status.attempt();
    client.connectInternal(
        new ConnectOptions().setHost(target.host()).setPort(target.port()),
        new SessionFirst(),
        context);
  }

  private void connected(NetSocket socket) {
    LOG.info("connected to router BMP listener {}", target);
    delayMillis = min.toMillis();
    status.connected(now());
    sessions.start(
        socket,
        () -> {
          status.down("connection closed", now());
          retryLater();
        });
  }

  private void failed(Throwable cause) {
    status.down(errorText(cause), now());
    LOG.info(
        "cannot connect to router BMP listener {}: {}; retrying in {} ms",
        target,
        cause.getMessage(),
        delayMillis);
    retryLater();
  }

  /**
   * The connect promise: on success it starts the session at once, on the socket's event loop and
   * within the connector's context, so the session's handlers are in place before the first read.
   */
  private final class SessionFirst implements Promise<NetSocket> {
    private final Promise<NetSocket> outcome = context.promise();

    @Override
    public boolean tryComplete(NetSocket socket) {
      if (context.inThread()) {
        context.emit(socket, ActiveConnector.this::connected);
      } else {
        context.runOnContext(v -> connected(socket)); // not expected: Vert.x completes on the loop
      }
      return outcome.tryComplete(socket);
    }

    @Override
    public boolean tryFail(Throwable cause) {
      context.runOnContext(v -> failed(cause));
      return outcome.tryFail(cause);
    }

    @Override
    public Future<NetSocket> future() {
      return outcome.future();
    }
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
    context.setTimer(Math.max(1, wait), id -> connect());
  }
}
