package org.bmpexporter.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.config.Cidr;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.metrics.SessionCounts;
import org.bmpexporter.metrics.SessionCounts.Rejection;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.session.LogLimiter;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.wire.BufferBudget;
import org.bmpexporter.wire.BufferBudgetExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs one BMP session per TCP connection, passive or active, on the connection's event loop: bytes
 * are decoded and applied in order as they arrive, so a slow consumer slows the TCP reads
 * (backpressure) instead of filling a queue. A bad stream ends only its own session.
 */
final class SessionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  private final Vertx vertx;
  private final ExporterConfig config;
  private final RouterRegistry registry;
  private final SessionCounts counts;
  private final BufferBudget budget;
  private final LogLimiter logLimiter;

  /**
   * Where a read from a direct (off-heap) buffer is copied: one per event loop, not per session.
   */
  private static final int COPY_CHUNK = 64 * 1024;

  private static final ThreadLocal<byte[]> COPY =
      ThreadLocal.withInitial(() -> new byte[COPY_CHUNK]);

  /** Error classes already logged with their stack trace (once each per process). */
  private static final Set<Class<?>> LOGGED_ERRORS = ConcurrentHashMap.newKeySet();

  SessionHandler(
      Vertx vertx, ExporterConfig config, RouterRegistry registry, SessionCounts counts) {
    this(vertx, config, registry, counts, new BufferBudget(config.bufferBudgetBytes()));
  }

  SessionHandler(
      Vertx vertx,
      ExporterConfig config,
      RouterRegistry registry,
      SessionCounts counts,
      BufferBudget budget) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.counts = counts;
    this.budget = budget;
    this.logLimiter = LogLimiter.shared();
  }

  /** A passive-mode connection from a router. */
  void accept(NetSocket socket) {
    start(socket, null);
  }

  /** Runs the session of {@code socket}; {@code onClose} (active mode) runs after it ended. */
  void start(NetSocket socket, Runnable onClose) {
    String remote = socket.remoteAddress().hostAddress();
    InetAddress address;
    try {
      address = InetAddress.getByName(remote); // a literal: no DNS lookup
    } catch (UnknownHostException e) {
      if (logLimiter.allow(LOG, Level.WARN, "connections from unparsable addresses closed", null)) {
        LOG.warn("connection from unparsable address {} closed", remote);
      }
      socket.close();
      return;
    }
    if (!allowed(address)) {
      if (refusalLogged(Rejection.ACCESS_LIST)) {
        LOG.warn("BMP connection from {} refused: not in bmp.allow", remote);
      }
      counts.reject(Rejection.ACCESS_LIST);
      socket.close();
      return;
    }
    if (counts.open() >= config.maxSessions()) {
      if (refusalLogged(Rejection.MAX_SESSIONS)) {
        LOG.warn(
            "BMP connection from {} refused: bmp.max_sessions {} reached",
            remote,
            config.maxSessions());
      }
      counts.reject(Rejection.MAX_SESSIONS);
      socket.close();
      return;
    }
    String label = label(address);
    Context context = vertx.getOrCreateContext();
    Executor owner = r -> context.runOnContext(v -> r.run());
    RouterState state = registry.attach(label, owner);
    if (state == null) {
      if (refusalLogged(Rejection.PARALLEL_SESSIONS)) {
        LOG.warn("BMP connection from {} refused: too many parallel sessions from it", remote);
      }
      counts.reject(Rejection.PARALLEL_SESSIONS);
      socket.close();
      return;
    }
    counts.opened();
    // Evicted by the budget (from whichever event loop needed the room): counted and closed here,
    // the buffer is dropped when the close reaches this session's own loop.
    BufferBudget.Account account =
        budget.account(
            () -> {
              counts.reject(Rejection.BUFFER_BUDGET);
              if (refusalLogged(Rejection.BUFFER_BUDGET)) {
                LOG.warn(
                    "router {}: session closed: its partial message was the largest when the"
                        + " buffer budget (bmp.buffer_budget_bytes {}) was used up",
                    state.label(),
                    budget.limit());
              }
              socket.close();
            });
    BmpSession session =
        new BmpSession(
            state, config.maxMessageBytes(), () -> System.currentTimeMillis() / 1000.0, account);
    session.open();
    if (logLimiter.allow(LOG, Level.INFO, "connections", remote)) {
      LOG.info(
          "router {} connected from {}:{} to {}",
          state.label(),
          remote,
          socket.remoteAddress().port(),
          socket.localAddress());
    }
    boolean[] failed = {false};
    socket.handler(
        buffer -> {
          if (failed[0]) {
            return; // closing: what is still in flight is not read
          }
          try {
            feed(session, buffer);
          } catch (BmpProtocolException e) {
            failed[0] = true;
            LOG.error("router {}: {}: closing the session", state.label(), e.getMessage());
            socket.close();
          } catch (BufferBudgetExceededException e) {
            failed[0] = true; // counted and logged by the account's eviction action
            socket.close();
          } catch (RuntimeException e) {
            failed[0] = true;
            LOG.error("router {}: unexpected error, closing the session", state.label(), e);
            socket.close();
          } catch (Error e) {
            // Contained to this session: its buffers go with it. (A process started with
            // -XX:+ExitOnOutOfMemoryError exits before this on an OutOfMemoryError.)
            failed[0] = true;
            session.release();
            logError(state.label(), e);
            socket.close();
          }
        });
    socket.exceptionHandler(
        e -> {
          if (logLimiter.allow(LOG, Level.WARN, "connection errors", remote)) {
            LOG.warn("router {}: connection error: {}", state.label(), e.toString());
          }
        });
    socket.closeHandler(
        v -> {
          session.close("connection closed");
          registry.detach(state);
          counts.closed();
          if (onClose != null) {
            onClose.run();
          }
        });
  }

  private static void feed(BmpSession session, Buffer buffer) {
    ByteBuf buf = ((BufferInternal) buffer).getByteBuf();
    int len = buf.readableBytes();
    if (buf.hasArray()) {
      session.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), len);
      return;
    }
    // off-heap: copied in chunks through the event loop's array (the framer keeps what it needs)
    byte[] copy = COPY.get();
    for (int done = 0; done < len; ) {
      int n = Math.min(copy.length, len - done);
      buf.getBytes(buf.readerIndex() + done, copy, 0, n);
      session.feed(copy, 0, n);
      done += n;
    }
  }

  /** Whether a refusal for {@code reason} is logged: one line per burst, then a summary. */
  private boolean refusalLogged(Rejection reason) {
    return logLimiter.allow(
        LOG, Level.WARN, "BMP connections refused (" + reason.label() + ")", null);
  }

  /** The first Error of a kind with its stack trace, later ones as one line (rate-limited). */
  private void logError(String router, Error e) {
    if (LOGGED_ERRORS.add(e.getClass())) {
      LOG.error("router {}: {}, closing the session", router, e.toString(), e);
    } else if (logLimiter.allow(LOG, Level.ERROR, e.getClass().getSimpleName() + "s", null)) {
      LOG.error("router {}: {}, closing the session", router, e.toString());
    }
  }

  private boolean allowed(InetAddress address) {
    if (config.allow().isEmpty()) {
      return true;
    }
    for (Cidr c : config.allow()) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** IPv4 dotted or IPv6 in RFC 5952 form. */
  static String label(InetAddress address) {
    byte[] a = address.getAddress();
    return a.length == 4 ? Addresses.ipv4(a, 0) : Addresses.ipv6(a, 0);
  }
}
