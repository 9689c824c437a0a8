package org.bmpexporter.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executor;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.config.Cidr;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.metrics.SessionCounts;
import org.bmpexporter.metrics.SessionCounts.Rejection;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.RouterState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  SessionHandler(
      Vertx vertx, ExporterConfig config, RouterRegistry registry, SessionCounts counts) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.counts = counts;
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
      LOG.warn("connection from unparsable address {} closed", remote);
      socket.close();
      return;
    }
    if (!allowed(address)) {
      LOG.warn("BMP connection from {} refused: not in bmp.allow", remote);
      counts.reject(Rejection.ACCESS_LIST);
      socket.close();
      return;
    }
    if (counts.open() >= config.maxSessions()) {
      LOG.warn(
          "BMP connection from {} refused: bmp.max_sessions {} reached",
          remote,
          config.maxSessions());
      counts.reject(Rejection.MAX_SESSIONS);
      socket.close();
      return;
    }
    String label = label(address);
    Context context = vertx.getOrCreateContext();
    Executor owner = r -> context.runOnContext(v -> r.run());
    RouterState state = registry.attach(label, owner);
    if (state == null) {
      LOG.warn(
          "BMP connection from {} refused: bmp.limits.sessions_per_address {} reached",
          remote,
          config.limits().sessionsPerAddress());
      counts.reject(Rejection.PARALLEL_SESSIONS);
      socket.close();
      return;
    }
    counts.opened();
    BmpSession session =
        new BmpSession(state, config.maxMessageBytes(), () -> System.currentTimeMillis() / 1000.0);
    session.open();
    LOG.info(
        "router {} connected from {}:{} to {}",
        state.label(),
        remote,
        socket.remoteAddress().port(),
        socket.localAddress());
    byte[][] copy = {new byte[0]};
    socket.handler(
        buffer -> {
          try {
            feed(session, buffer, copy);
          } catch (BmpProtocolException e) {
            LOG.error("router {}: {}: closing the session", state.label(), e.getMessage());
            socket.close();
          } catch (RuntimeException e) {
            LOG.error("router {}: unexpected error, closing the session", state.label(), e);
            socket.close();
          }
        });
    socket.exceptionHandler(
        e -> LOG.warn("router {}: connection error: {}", state.label(), e.toString()));
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

  private static void feed(BmpSession session, Buffer buffer, byte[][] copy) {
    ByteBuf buf = ((BufferInternal) buffer).getByteBuf();
    int len = buf.readableBytes();
    if (buf.hasArray()) {
      session.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), len);
      return;
    }
    if (copy[0].length < len) {
      copy[0] = new byte[Math.max(len, 64 * 1024)];
    }
    buf.getBytes(buf.readerIndex(), copy[0], 0, len);
    session.feed(copy[0], 0, len);
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
