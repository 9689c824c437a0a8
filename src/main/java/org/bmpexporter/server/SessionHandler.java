package org.bmpexporter.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.config.Cidr;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.forward.Forwarding;
import org.bmpexporter.forward.RouterStream;
import org.bmpexporter.metrics.SessionCounts;
import org.bmpexporter.metrics.SessionCounts.Rejection;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.session.LogLimiter;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.wire.BmpDecoder;
import org.bmpexporter.wire.BmpMessage;
import org.bmpexporter.wire.BufferBudget;
import org.bmpexporter.wire.BufferBudgetExceededException;
import org.bmpexporter.wire.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs one BMP session per TCP connection, passive or active, on the connection's event loop: bytes
 * are decoded and applied in order as they arrive, so a slow consumer slows the TCP reads
 * (backpressure) instead of filling a queue. A bad stream ends only its own session.
 *
 * <p>Before a passive connection becomes a session: from a trusted proxy its PROXY protocol header
 * is read, and the router is the address it carries; the access list and the limits then apply to
 * that address. When the router already has a session open on the same listener, the new session's
 * first message (the Initiation) is read first: a new session with the old one's sysName, or whose
 * old session has been silent for {@code bmp.takeover_after}, replaces the old one, which is closed
 * before the new one continues the router's series.
 */
final class SessionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  /** A trusted proxy's header must be complete this long after the connection opened. */
  static final long PROXY_HEADER_TIMEOUT_MS = 5_000;

  /** How long a second session's first message is waited for before it is attached as is. */
  static final long FIRST_MESSAGE_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final ExporterConfig config;
  private final RouterRegistry registry;
  private final SessionCounts counts;
  private final BufferBudget budget;
  private final LogLimiter logLimiter;

  /** The start-up warm-up's own handler: no access list, PROXY or connection logs apply. */
  private final boolean warmup;

  /**
   * Bytes of every read handled, counted the same way for routers and the warm-up (whose pacing
   * reads it): a branch or a callback only the warm-up took would make the first real session throw
   * the compiled read path away.
   */
  private final AtomicLong bytesRead = new AtomicLong();

  private volatile Forwarding forwarding = Forwarding.none();

  /**
   * Where a read from a direct (off-heap) buffer is copied: one per event loop, not per session.
   */
  private static final int COPY_CHUNK = 64 * 1024;

  private static final ThreadLocal<byte[]> COPY =
      ThreadLocal.withInitial(() -> new byte[COPY_CHUNK]);

  /** Error classes already logged with their stack trace (once each per process). */
  private static final Set<Class<?>> LOGGED_ERRORS = ConcurrentHashMap.newKeySet();

  /** Open sessions by their router state: what the takeover rule and its close need. */
  private final Map<RouterState, Live> live = new ConcurrentHashMap<>();

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
    this(vertx, config, registry, counts, budget, false);
  }

  private SessionHandler(
      Vertx vertx,
      ExporterConfig config,
      RouterRegistry registry,
      SessionCounts counts,
      BufferBudget budget,
      boolean warmup) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.counts = counts;
    this.budget = budget;
    this.logLimiter = LogLimiter.shared();
    this.warmup = warmup;
  }

  /**
   * A handler for the start-up warm-up's loopback sessions: the same read path as a router's, into
   * a registry of the warm-up's own, without the access list, PROXY trust or connection logs.
   */
  static SessionHandler forWarmup(
      Vertx vertx, ExporterConfig config, RouterRegistry registry, SessionCounts counts) {
    return new SessionHandler(
        vertx, config, registry, counts, new BufferBudget(config.bufferBudgetBytes()), true);
  }

  /** Bytes of all reads handled so far (the warm-up's pacing). */
  long bytesRead() {
    return bytesRead.get();
  }

  /** Where sessions that open from now on forward their messages ({@code bmp.forward}). */
  void forwardTo(Forwarding forwarding) {
    this.forwarding = forwarding;
  }

  /** One open session's connection. */
  private static final class Live {
    final NetSocket socket;
    final int localPort;
    final Thread eventLoop = Thread.currentThread(); // made where the connection is handled
    final Promise<Void> closed = Promise.promise();
    volatile long lastReadNanos = System.nanoTime();
    volatile boolean replaced;
    boolean refused; // by the untrusted-PROXY check: later bytes are dropped until the close

    Live(NetSocket socket) {
      this.socket = socket;
      this.localPort = socket.localAddress().port();
    }
  }

  /** The event loop thread of each router's live session, by router label. */
  Map<String, String> eventLoops() {
    Map<String, String> loops = new TreeMap<>();
    live.forEach((state, connection) -> loops.put(state.label(), connection.eventLoop.getName()));
    return loops;
  }

  /** Bytes received before the session starts (PROXY header, first message). */
  /** The largest first message read ahead for the takeover rule's sysName. */
  static final int INITIATION_PREVIEW_MAX = 64 * 1024;

  private static final class Preamble {
    byte[] bytes = new byte[256];
    int length;

    void append(ByteBuf buf) {
      int n = buf.readableBytes();
      if (bytes.length - length < n) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
      buf.getBytes(buf.readerIndex(), bytes, length, n);
      length += n;
    }

    /** Drops the first {@code n} bytes. */
    void consume(int n) {
      System.arraycopy(bytes, n, bytes, 0, length - n);
      length -= n;
    }
  }

  /** A passive-mode connection from a router (or from a proxy in front of routers). */
  void accept(NetSocket socket) {
    // every stage below sets where the reads go before this callback returns: none is missed
    SocketReads reads = SocketReads.of(socket);
    TcpKeepalive.apply(socket, config.keepalive());
    InetAddress connection = address(socket);
    if (connection == null) {
      return;
    }
    if (!warmup && trustedProxy(connection)) {
      readProxyHeader(socket, reads, connection);
    } else {
      begin(socket, reads, connection, new Preamble(), null, true);
    }
  }

  /** Runs the session of {@code socket}; {@code onClose} (active mode) runs after it ended. */
  void start(NetSocket socket, Runnable onClose) {
    if (onClose != null) {
      // A connection refused before its session starts (access list, limits) still ends, and
      // the connector must hear it to retry; a started session replaces this handler with its own.
      socket.closeHandler(v -> onClose.run());
    }
    SocketReads reads = SocketReads.of(socket);
    TcpKeepalive.apply(socket, config.keepalive());
    InetAddress connection = address(socket);
    if (connection != null) {
      begin(socket, reads, connection, new Preamble(), onClose, false);
    }
  }

  private static InetAddress address(NetSocket socket) {
    String remote = socket.remoteAddress().hostAddress();
    try {
      return InetAddress.getByName(remote); // a literal: no DNS lookup
    } catch (UnknownHostException e) {
      if (LogLimiter.shared()
          .allow(LOG, Level.WARN, "connections from unparsable addresses closed", null)) {
        LOG.warn("connection from unparsable address {} closed", remote);
      }
      socket.close();
      return null;
    }
  }

  private void readProxyHeader(NetSocket socket, SocketReads reads, InetAddress proxy) {
    String from = label(proxy) + ":" + socket.remoteAddress().port();
    Preamble pre = new Preamble();
    boolean[] done = {false};
    long timer =
        vertx.setTimer(
            PROXY_HEADER_TIMEOUT_MS,
            id -> {
              if (!done[0]) {
                done[0] = true;
                refuseProxy(
                    socket,
                    from,
                    "no complete PROXY protocol header within "
                        + PROXY_HEADER_TIMEOUT_MS / 1000
                        + " s ("
                        + pre.length
                        + " bytes received)");
              }
            });
    socket.closeHandler(v -> vertx.cancelTimer(timer));
    reads.to(
        buf -> {
          if (done[0]) {
            return;
          }
          pre.append(buf);
          ProxyHeader header;
          try {
            int length = ProxyHeaderDecoder.frameLength(pre.bytes, 0, pre.length);
            if (length < 0) {
              return;
            }
            header = ProxyHeaderDecoder.parse(pre.bytes, 0, length);
          } catch (ProxyProtocolException e) {
            done[0] = true;
            vertx.cancelTimer(timer);
            refuseProxy(socket, from, e.getMessage());
            return;
          }
          done[0] = true;
          vertx.cancelTimer(timer);
          pre.consume(header.length());
          InetAddress router = header.sourceOr(proxy);
          LOG.debug(
              "PROXY v{} header from {}: router {}:{}",
              header.version(),
              from,
              label(router),
              header.sourcePort());
          begin(socket, reads, router, pre, null, true);
        });
  }

  private void refuseProxy(NetSocket socket, String from, String why) {
    if (refusalLogged(Rejection.PROXY_PROTOCOL)) {
      LOG.warn(
          "BMP connection from trusted proxy {} refused: {} (bmp.proxy_protocol.trusted)",
          from,
          why);
    }
    counts.reject(Rejection.PROXY_PROTOCOL);
    socket.close();
  }

  /**
   * The checks that apply to the router's address, then the session; {@code pre} holds bytes
   * already received after any PROXY header.
   */
  private void begin(
      NetSocket socket,
      SocketReads reads,
      InetAddress router,
      Preamble pre,
      Runnable onClose,
      boolean passive) {
    String address = label(router);
    if (!warmup && !allowed(router)) {
      if (refusalLogged(Rejection.ACCESS_LIST)) {
        LOG.warn("BMP connection from {} refused: not in bmp.allow", address);
      }
      counts.reject(Rejection.ACCESS_LIST);
      socket.close();
      return;
    }
    if (counts.open() >= config.maxSessions()) {
      if (refusalLogged(Rejection.MAX_SESSIONS)) {
        LOG.warn(
            "BMP connection from {} refused: bmp.max_sessions {} reached",
            address,
            config.maxSessions());
      }
      counts.reject(Rejection.MAX_SESSIONS);
      socket.close();
      return;
    }
    int localPort = socket.localAddress().port();
    if (passive && hasLiveSessionOn(address, localPort)) {
      readFirstMessage(socket, reads, address, pre);
    } else {
      attach(socket, reads, address, pre, onClose, passive);
    }
  }

  private boolean hasLiveSessionOn(String address, int localPort) {
    for (RouterState s : registry.liveSessions(address)) {
      Live l = live.get(s);
      if (l != null && l.localPort == localPort) {
        return true;
      }
    }
    return false;
  }

  /**
   * Holds the new session's bytes until its first message is complete (bounded by the message size
   * limit and a timeout), reads the sysName of its Initiation, and applies the takeover rule.
   */
  private void readFirstMessage(NetSocket socket, SocketReads reads, String address, Preamble pre) {
    boolean[] done = {false};
    boolean[] gone = {false};
    Runnable decide =
        () -> {
          done[0] = true;
          reads.pause();
          takeOverOrAttach(socket, reads, address, pre, firstSysName(pre), gone);
        };
    long timer =
        vertx.setTimer(
            FIRST_MESSAGE_TIMEOUT_MS,
            id -> {
              if (!done[0]) {
                decide.run();
              }
            });
    socket.closeHandler(
        v -> {
          gone[0] = true;
          vertx.cancelTimer(timer);
        });
    reads.to(
        buf -> {
          if (done[0]) {
            pre.append(buf); // arrived while paused: the session gets them in order
            return;
          }
          pre.append(buf);
          if (firstMessageDecided(pre)) {
            vertx.cancelTimer(timer);
            decide.run();
          }
        });
    if (firstMessageDecided(pre)) {
      vertx.cancelTimer(timer);
      decide.run();
    }
  }

  /** The first message is complete, or the bytes can never make one (the session will say). */
  private boolean firstMessageDecided(Preamble pre) {
    if (pre.length < BmpLimits.COMMON_HEADER_LENGTH) {
      return false;
    }
    long length = Bytes.u32(pre.bytes, 1);
    // Only an Initiation of modest size is worth waiting for: anything else (a 1 MiB Route
    // Monitoring, say) is decided at once and goes to the session, whose buffers the buffer
    // budget charges; this preview is never more than INITIATION_PREVIEW_MAX bytes.
    return !BmpLimits.lengthFramed(pre.bytes[0])
        || Bytes.u8(pre.bytes, 5) != MessageType.INITIATION.code()
        || length < BmpLimits.COMMON_HEADER_LENGTH
        || length > INITIATION_PREVIEW_MAX
        || pre.length >= length;
  }

  /** The sysName of an Initiation at the start of {@code pre}, or null. */
  private static String firstSysName(Preamble pre) {
    if (pre.length < BmpLimits.COMMON_HEADER_LENGTH || !BmpLimits.lengthFramed(pre.bytes[0])) {
      return null;
    }
    long length = Bytes.u32(pre.bytes, 1);
    if (length < BmpLimits.COMMON_HEADER_LENGTH || length > pre.length) {
      return null;
    }
    BmpMessage m = BmpDecoder.decode(pre.bytes, 0, (int) length, (error, detail) -> {});
    return m instanceof BmpMessage.Initiation init ? init.sysName() : null;
  }

  private void takeOverOrAttach(
      NetSocket socket,
      SocketReads reads,
      String address,
      Preamble pre,
      String sysName,
      boolean[] gone) {
    Live old = takeoverCandidate(address, socket.localAddress().port(), sysName);
    if (old == null) {
      attach(socket, reads, address, pre, null, true);
      return;
    }
    Context context = vertx.getOrCreateContext();
    old.closed
        .future()
        .onComplete(
            v ->
                context.runOnContext(
                    x -> {
                      if (!gone[0]) { // the new connection may have ended while the old closed
                        attach(socket, reads, address, pre, null, true);
                      }
                    }));
    old.socket.close();
  }

  /**
   * The takeover rule: among the address's open sessions on the same listener, the first whose
   * router sent the same sysName, or that has sent nothing for {@code bmp.takeover_after} (0: never
   * by silence). Marks it replaced (counted, logged once).
   */
  private Live takeoverCandidate(String address, int localPort, String sysName) {
    long silentNanos = config.takeoverAfter().toNanos();
    long now = System.nanoTime();
    List<RouterState> sessions = registry.liveSessions(address);
    for (RouterState s : sessions) {
      Live l = live.get(s);
      if (l == null || l.localPort != localPort) {
        continue;
      }
      boolean sameName = sysName != null && !sysName.isEmpty() && sysName.equals(s.sysName());
      long silent = now - l.lastReadNanos;
      boolean quiet = silentNanos > 0 && silent >= silentNanos;
      if ((sameName || quiet) && markReplaced(l)) {
        LOG.warn(
            "router {}: a new session from {} ({}) replaces this one, silent for {} s: closing it",
            s.label(),
            address,
            sameName ? "same sysName \"" + sysName + "\"" : "old session silent",
            TimeUnit.NANOSECONDS.toSeconds(silent));
        counts.reject(Rejection.REPLACED);
        return l;
      }
    }
    return null;
  }

  private static synchronized boolean markReplaced(Live l) {
    if (l.replaced) {
      return false;
    }
    l.replaced = true;
    return true;
  }

  private void attach(
      NetSocket socket,
      SocketReads reads,
      String address,
      Preamble pre,
      Runnable onClose,
      boolean passive) {
    Context context = vertx.getOrCreateContext();
    Executor owner = r -> context.runOnContext(v -> r.run());
    RouterState state = registry.attach(address, owner);
    if (state == null) {
      if (refusalLogged(Rejection.PARALLEL_SESSIONS)) {
        LOG.warn(
            "BMP connection from {} refused: bmp.limits.sessions_per_address {} reached",
            address,
            config.limits().sessionsPerAddress());
      }
      counts.reject(Rejection.PARALLEL_SESSIONS);
      socket.close();
      return;
    }
    counts.opened();
    Live connection = new Live(socket);
    live.put(state, connection);
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
    if (warmup) {
      session.quiet();
    }
    session.open();
    RouterStream forward = warmup ? null : forwarding.open(state.label(), address);
    if (forward != null) {
      session.forward(forward);
    }
    String remote = socket.remoteAddress().hostAddress();
    if (!warmup && logLimiter.allow(LOG, Level.INFO, "connections", address)) {
      LOG.info(
          "router {} connected from {}:{} to {}:{}",
          state.label(),
          remote,
          socket.remoteAddress().port(),
          // not the address's toString: Vert.x builds it with an invokedynamic concatenation,
          // whose classes would be spun (and the JIT's work with them) at the first real router
          socket.localAddress().hostAddress(),
          socket.localAddress().port());
    }
    boolean[] failed = {false};
    // From an untrusted source, a PROXY header at the start is refused: its proxy is not trusted.
    UntrustedStart check =
        passive && (warmup || !trustedProxy(socket)) ? new UntrustedStart() : null;
    // One reader for every session, the warm-up's too: a reader of another class at the first
    // real session would throw the compiled read path away.
    SocketReads.Reader handler =
        buf -> {
          int n = buf.readableBytes();
          connection.lastReadNanos = System.nanoTime();
          if (failed[0]) {
            bytesRead.addAndGet(n); // closing: what is still in flight is not read
            return;
          }
          try {
            if (check != null && !check.decided) {
              check.first(buf, state, connection, session);
            } else if (!connection.refused) {
              feed(session, buf);
            }
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
          } finally {
            if (forward != null) {
              // the read's whole messages go on together, those before an error too
              forward.endOfRead();
            }
            bytesRead.addAndGet(n);
          }
        };
    reads.to(handler);
    socket.exceptionHandler(
        e -> {
          if (logLimiter.allow(LOG, Level.WARN, "connection errors", address)) {
            LOG.warn("router {}: connection error: {}", state.label(), e.toString());
          }
        });
    socket.closeHandler(
        v -> {
          session.close(connection.replaced ? "replaced by the router's new session" : "closed");
          if (forward != null) {
            forward.close();
          }
          live.remove(state, connection);
          registry.detach(state);
          counts.closed();
          connection.closed.complete();
          if (onClose != null) {
            onClose.run();
          }
        });
    armIdleTimeout(state, connection);
    if (pre.length > 0) {
      // bytes received before the session started go first; no read runs meanwhile (same loop)
      handler.read(Unpooled.wrappedBuffer(pre.bytes, 0, pre.length));
    }
    reads.resume();
  }

  /**
   * The first bytes of a session from an untrusted address: a PROXY header there is refused and
   * counted; anything else is the BMP stream.
   */
  private final class UntrustedStart {
    final Preamble head = new Preamble();
    boolean decided;

    void first(ByteBuf buf, RouterState state, Live connection, BmpSession session) {
      head.append(buf);
      switch (ProxyHeaderDecoder.start(head.bytes, 0, head.length)) {
        case NEED_MORE -> {}
        case V1, V2 -> {
          decided = true;
          connection.refused = true;
          LOG.warn(
              "router {}: PROXY protocol header from {}, which is not in "
                  + "bmp.proxy_protocol.trusted: refused",
              state.label(),
              connection.socket.remoteAddress().hostAddress());
          counts.reject(Rejection.PROXY_PROTOCOL);
          connection.socket.close();
        }
        case NOT_PROXY -> {
          decided = true;
          session.feed(head.bytes, 0, head.length);
        }
      }
    }
  }

  /** Closes a session that sent nothing for bmp.idle_timeout (when set). */
  private void armIdleTimeout(RouterState state, Live connection) {
    long timeoutNanos = config.idleTimeout().toNanos();
    if (timeoutNanos <= 0) {
      return;
    }
    long idle = System.nanoTime() - connection.lastReadNanos;
    long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos - idle));
    vertx.setTimer(
        waitMillis,
        id -> {
          if (connection.closed.future().isComplete()) {
            return;
          }
          long silent = System.nanoTime() - connection.lastReadNanos;
          if (silent >= timeoutNanos) {
            LOG.warn(
                "router {}: nothing received for {} s (bmp.idle_timeout): closing the session",
                state.label(),
                TimeUnit.NANOSECONDS.toSeconds(silent));
            counts.reject(Rejection.IDLE_TIMEOUT);
            connection.socket.close();
          } else {
            armIdleTimeout(state, connection);
          }
        });
  }

  private static void feed(BmpSession session, ByteBuf buf) {
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
    return config.allow().isEmpty() || inAny(config.allow(), address);
  }

  private boolean trustedProxy(InetAddress address) {
    return inAny(config.proxyTrusted(), address);
  }

  private boolean trustedProxy(NetSocket socket) {
    InetAddress a = address(socket);
    return a != null && trustedProxy(a);
  }

  private static boolean inAny(List<Cidr> cidrs, InetAddress address) {
    for (Cidr c : cidrs) {
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
