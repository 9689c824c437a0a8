package org.bmpexporter.forward;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.metrics.ForwardCounts;
import org.bmpexporter.session.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The TCP relay ({@code bmp.forward}): for each router session, one outbound BMP session to each
 * destination, carrying the router's messages unchanged.
 *
 * <p>Each (router session, destination) pair is a {@link Link} on the router session's event loop:
 * a message is written at once while the connection keeps up, else queued up to {@code bufferBytes}
 * (and all links together up to {@code totalBytes}); nothing waits for the destination. The first
 * connection gets the router's stream from its start, buffered while it connects. Once a message is
 * dropped (buffer full, or the destination went away), the destination's view of the router is no
 * longer whole: the connection is closed (the destination sees the session end), and the next one
 * starts with a replayed session start: the router's Initiation and the Peer Up of each peer up at
 * that moment ({@link SessionStart}), then the live messages. Connections are retried with
 * exponential backoff and jitter.
 */
public final class TcpForwarder implements Forwarder {
  private static final Logger LOG = LoggerFactory.getLogger(TcpForwarder.class);

  /** Netty's outbound buffer per connection, beyond which the link's own queue takes over. */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;

  static final int CONNECT_TIMEOUT_MS = 10_000;

  /** How long a closing connection may take to flush before it is cut. */
  static final long CLOSE_GRACE_MS = 10_000;

  /** One configured destination. */
  private record Destination(HostPort address, ForwardCounts.Destination counts) {}

  private final Vertx vertx;
  private final NetClient client;
  private final List<Destination> destinations;
  private final long bufferBytes;
  private final long totalBytes;
  private final AtomicLong buffered = new AtomicLong();
  private final long minDelayMs;
  private final long maxDelayMs;
  private final int maxPeers;
  private volatile boolean closed;

  /**
   * @param bufferBytes per router session and destination
   * @param totalBytes every link together
   * @param maxPeers Peer Ups kept per router session for a replayed start
   */
  public TcpForwarder(
      Vertx vertx,
      List<HostPort> destinations,
      ForwardCounts counts,
      long bufferBytes,
      long totalBytes,
      Duration reconnectMin,
      Duration reconnectMax,
      int maxPeers) {
    this.vertx = vertx;
    this.client =
        vertx.createNetClient(
            new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpNoDelay(true));
    List<Destination> d = new ArrayList<>();
    for (HostPort hp : destinations) {
      d.add(new Destination(hp, counts.add(hp.toString())));
    }
    this.destinations = List.copyOf(d);
    this.bufferBytes = bufferBytes;
    this.totalBytes = totalBytes;
    this.minDelayMs = Math.max(1, reconnectMin.toMillis());
    this.maxDelayMs = Math.max(minDelayMs, reconnectMax.toMillis());
    this.maxPeers = maxPeers;
  }

  @Override
  public RouterStream open(String router, String address) {
    return new Relay(router);
  }

  @Override
  public void close() {
    closed = true;
    client.close();
  }

  /** Bytes in every link's queue now. */
  long bufferedBytes() {
    return buffered.get();
  }

  private boolean reserve(int n) {
    if (buffered.addAndGet(n) > totalBytes) {
      buffered.addAndGet(-n);
      return false;
    }
    return true;
  }

  /** One router session: its session start and a link per destination. */
  private final class Relay implements RouterStream {
    final String router;
    final SessionStart start = new SessionStart(maxPeers);
    final Link[] links;
    boolean connected;
    boolean peersLimitLogged;

    Relay(String router) {
      this.router = router;
      links = new Link[destinations.size()];
      for (int i = 0; i < links.length; i++) {
        links[i] = new Link(this, destinations.get(i));
      }
    }

    @Override
    public void frame(byte[] b, int off, int len) {
      if (!connected) {
        // at the first message: a connection refused before it sent anything opens nothing
        connected = true;
        for (Link l : links) {
          l.connect();
        }
      }
      // one copy, shared by every destination (nothing writes to it)
      byte[] m = Arrays.copyOfRange(b, off, off + len);
      start.see(m);
      if (start.peersOverLimit() && !peersLimitLogged) {
        peersLimitLogged = true;
        LOG.warn(
            "router {}: more peers than bmp.limits.peers_per_router ({}): a destination that"
                + " reconnects is not sent the Peer Up of the peers beyond it",
            router,
            maxPeers);
      }
      for (Link l : links) {
        try {
          l.offer(m);
        } catch (RuntimeException e) {
          // forwarding must never end the router's session: this message is lost for l
          l.dest.counts().dropped(1, m.length);
          if (LogLimiter.shared().allow(LOG, Level.ERROR, "forwarding errors", null)) {
            LOG.error("router {}: forwarding to {} failed", router, l.dest.address(), e);
          }
        }
      }
    }

    @Override
    public void close() {
      for (Link l : links) {
        l.end();
      }
    }
  }

  /** One router session to one destination; confined to the router session's event loop. */
  private final class Link {
    final Relay relay;
    final Destination dest;
    final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    long queued;
    NetSocket socket;

    /**
     * The destination missed messages of this router session (dropped, or its connection ended):
     * its next connection starts with the replayed session start, and until then messages are
     * dropped.
     */
    boolean replayStart;

    /** The router session ended. */
    boolean ended;

    long delayMs = minDelayMs;
    long timer = -1;

    Link(Relay relay, Destination dest) {
      this.relay = relay;
      this.dest = dest;
    }

    void offer(byte[] m) {
      if (ended) {
        return;
      }
      if (socket != null && queue.isEmpty() && !socket.writeQueueFull()) {
        write(m);
        return;
      }
      if (replayStart) {
        dest.counts().dropped(1, m.length); // down after a loss: the next session replays
        return;
      }
      // one message always fits an empty queue, so the largest message can pass a small buffer
      if ((queue.isEmpty() || queued + m.length <= bufferBytes) && reserve(m.length)) {
        queue.add(m);
        queued += m.length;
        dest.counts().buffered(m.length);
        return;
      }
      dest.counts().dropped(1, m.length);
      lost(
          socket == null
              ? "messages dropped: destination not connected and the buffer is full"
              : "messages dropped: destination too slow, the buffer is full");
    }

    /** The destination's view is no longer whole: drop the queue, end its session, replay. */
    private void lost(String why) {
      dropQueue();
      replayStart = true;
      if (LogLimiter.shared()
          .allow(LOG, Level.WARN, "forwarding losses", dest.address().toString())) {
        LOG.warn(
            "router {} to {}: {}; its next session starts with the router's Initiation and Peer"
                + " Ups",
            relay.router,
            dest.address(),
            why);
      }
      NetSocket s = socket;
      if (s != null) {
        // nothing more is written to it; reconnecting is up to this link, not its close handler
        socket = null;
        dest.counts().sessionClosed();
        cut(s);
        retryLater();
      }
    }

    private void dropQueue() {
      if (queued > 0 || !queue.isEmpty()) {
        dest.counts().dropped(queue.size(), queued);
        release();
      }
    }

    private void release() {
      buffered.addAndGet(-queued);
      dest.counts().buffered(-queued);
      queue.clear();
      queued = 0;
    }

    private void write(byte[] m) {
      socket.write(BufferInternal.buffer(Unpooled.wrappedBuffer(m)));
      dest.counts().forwarded(m.length);
    }

    private void flush() {
      while (socket != null && !queue.isEmpty() && !socket.writeQueueFull()) {
        byte[] m = queue.poll();
        queued -= m.length;
        buffered.addAndGet(-m.length);
        dest.counts().buffered(-m.length);
        write(m);
      }
    }

    void connect() {
      if (ended || closed) {
        return;
      }
      HostPort to = dest.address();
      client
          .connect(to.port(), to.host())
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  connected(ar.result());
                } else {
                  dest.counts().connectFailed();
                  if (LogLimiter.shared()
                      .allow(LOG, Level.WARN, "forwarding connect failures", to.toString())) {
                    LOG.warn(
                        "router {}: cannot connect to BMP destination {}: {}; retrying in {} ms",
                        relay.router,
                        to,
                        ar.cause().getMessage(),
                        delayMs);
                  }
                  retryLater();
                }
              });
    }

    private void connected(NetSocket s) {
      if (ended || closed) {
        s.close();
        return;
      }
      socket = s;
      delayMs = minDelayMs;
      dest.counts().sessionOpened();
      s.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
      s.handler(buffer -> {}); // BMP is one-way: what a destination sends is ignored
      s.drainHandler(v -> flush());
      s.exceptionHandler(
          e -> {
            if (LogLimiter.shared()
                .allow(
                    LOG, Level.WARN, "forwarding connection errors", dest.address().toString())) {
              LOG.warn(
                  "router {}: connection to BMP destination {}: {}",
                  relay.router,
                  dest.address(),
                  e.toString());
            }
          });
      s.closeHandler(v -> disconnected(s));
      if (replayStart) {
        replayStart = false;
        dest.counts().replayedStart();
        for (byte[] m : relay.start.messages()) {
          write(m);
        }
        if (infoAllowed()) {
          LOG.info(
              "router {}: forwarding to {}, session start replayed (Initiation, {} Peer Ups)",
              relay.router,
              dest.address(),
              relay.start.peers());
        }
      } else if (infoAllowed()) {
        LOG.info("router {}: forwarding to {}", relay.router, dest.address());
      }
      flush();
    }

    private boolean infoAllowed() {
      return LogLimiter.shared()
          .allow(LOG, Level.INFO, "forwarding sessions", dest.address().toString());
    }

    private void disconnected(NetSocket s) {
      if (socket != s) {
        return;
      }
      socket = null;
      dest.counts().sessionClosed();
      if (ended) {
        return;
      }
      if (!replayStart) {
        lost("destination closed the connection");
      }
      retryLater();
    }

    private void retryLater() {
      if (ended || closed) {
        return;
      }
      long wait = delayMs + ThreadLocalRandom.current().nextLong(delayMs / 4 + 1);
      delayMs = Math.min(maxDelayMs, delayMs * 2);
      timer =
          vertx.setTimer(
              wait,
              id -> {
                timer = -1;
                connect();
              });
    }

    /** The router session ended: what is queued goes out, then the connection closes. */
    void end() {
      if (ended) {
        return;
      }
      ended = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      NetSocket s = socket;
      if (s == null) {
        dropQueue();
        return;
      }
      // the queue is bounded: it moves to the connection's own buffer, which the close flushes
      for (byte[] m : queue) {
        write(m);
      }
      release();
      s.close();
      vertx.setTimer(CLOSE_GRACE_MS, id -> cut(s)); // a destination that stopped reading
    }
  }

  /** Closes at once, discarding what is not yet sent. */
  private static void cut(NetSocket s) {
    if (s instanceof NetSocketInternal internal) {
      var unused = internal.channelHandlerContext().channel().close();
    } else {
      s.close();
    }
  }
}
