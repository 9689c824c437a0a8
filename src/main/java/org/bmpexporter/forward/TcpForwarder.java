package org.bmpexporter.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  /** The smallest buffer a read's messages are copied into (it grows as they arrive). */
  static final int MIN_BATCH_BYTES = 4 * 1024;

  /** The largest first buffer for a read's messages: about what one read brings. */
  static final int MAX_BATCH_HINT = 64 * 1024;

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

  /** The open router sessions (for the status page). */
  private final Map<String, Relay> relays = new ConcurrentHashMap<>();

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
    Relay r = new Relay(router);
    relays.put(router, r);
    return r;
  }

  @Override
  public List<LinkStatus> links(String router) {
    Relay r = relays.get(router);
    if (r == null) {
      return List.of();
    }
    List<LinkStatus> out = new ArrayList<>(r.links.length);
    for (Link l : r.links) {
      out.add(new LinkStatus(l.dest.address().toString(), l.up, l.dropped.get()));
    }
    return out;
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

    /**
     * The messages of the current read, copied once (off-heap, as the socket writes them) and
     * shared by every link; null between reads.
     */
    ByteBuf batch;

    int batchMessages;

    /** The previous batch's size: the next read's is likely alike (a table dump). */
    int lastBatchBytes = MIN_BATCH_BYTES;

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
      start.see(b, off, len);
      if (start.peersOverLimit() && !peersLimitLogged) {
        peersLimitLogged = true;
        LOG.warn(
            "router {}: more peers than bmp.limits.peers_per_router ({}): a destination that"
                + " reconnects is not sent the Peer Up of the peers beyond it",
            router,
            maxPeers);
      }
      try {
        if (batch == null) {
          batch =
              ByteBufAllocator.DEFAULT.directBuffer(
                  Math.max(len, Math.min(lastBatchBytes, MAX_BATCH_HINT)));
        }
        batch.writeBytes(b, off, len);
        batchMessages++;
      } catch (RuntimeException e) {
        // forwarding must never end the router's session: this message is lost for every link
        for (Link l : links) {
          l.failed(1, len, e);
        }
      }
    }

    @Override
    public void endOfRead() {
      ByteBuf out = batch;
      int messages = batchMessages;
      batch = null;
      batchMessages = 0;
      if (out == null) {
        return;
      }
      try {
        int bytes = out.readableBytes();
        lastBatchBytes = bytes;
        byte[] kept = null; // a heap copy for the links that queue, made once
        for (Link l : links) {
          try {
            if (l.writesNow()) {
              l.write(out.retainedDuplicate(), messages, bytes);
            } else {
              if (kept == null) {
                kept = ByteBufUtil.getBytes(out);
              }
              l.offer(kept, messages);
            }
          } catch (RuntimeException e) {
            l.failed(messages, bytes, e);
          }
        }
      } finally {
        out.release();
      }
    }

    @Override
    public void close() {
      endOfRead();
      for (Link l : links) {
        l.end();
      }
      relays.remove(router, this);
    }
  }

  /** Messages of a router session waiting for a destination: whole messages, as received. */
  private record Chunk(byte[] bytes, int messages) {}

  /** One router session to one destination; confined to the router session's event loop. */
  private final class Link {
    final Relay relay;
    final Destination dest;
    final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    long queued;
    long queuedMessages;
    NetSocket socket;

    /** Messages of this router session dropped for this destination (read by the status page). */
    final AtomicLong dropped = new AtomicLong();

    /** Connected now (read by the status page). */
    volatile boolean up;

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

    /** Whether messages offered now go straight to the connection (it keeps up). */
    boolean writesNow() {
      return !ended && socket != null && queue.isEmpty() && !socket.writeQueueFull();
    }

    private void dropped(long messages, long bytes) {
      dest.counts().dropped(messages, bytes);
      dropped.addAndGet(messages);
    }

    /** {@code messages} whole messages in {@code m}, for a link that does not write them now. */
    void offer(byte[] m, int messages) {
      if (ended) {
        return;
      }
      if (replayStart) {
        dropped(messages, m.length); // down after a loss: the next session replays
        return;
      }
      // One message always fits an empty queue, so the largest message can pass a small buffer;
      // several that do not fit would have filled it message by message and then overflowed.
      if (((queue.isEmpty() && messages == 1) || queued + m.length <= bufferBytes)
          && reserve(m.length)) {
        queue.add(new Chunk(m, messages));
        queued += m.length;
        queuedMessages += messages;
        dest.counts().buffered(m.length);
        return;
      }
      dropped(messages, m.length);
      lost(
          socket == null
              ? "messages dropped: destination not connected and the buffer is full"
              : "messages dropped: destination too slow, the buffer is full");
    }

    /** Handing on failed (an error, not a full buffer): the messages are lost for this link. */
    void failed(long messages, long bytes, RuntimeException e) {
      if (ended) {
        return;
      }
      dropped(messages, bytes);
      if (LogLimiter.shared().allow(LOG, Level.ERROR, "forwarding errors", null)) {
        LOG.error("router {}: forwarding to {} failed", relay.router, dest.address(), e);
      }
      if (!replayStart) {
        lost("messages dropped: forwarding failed");
      }
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
        up = false;
        dest.counts().sessionClosed();
        cut(s);
        retryLater();
      }
    }

    private void dropQueue() {
      if (queued > 0 || !queue.isEmpty()) {
        dropped(queuedMessages, queued);
        release();
      }
    }

    private void release() {
      buffered.addAndGet(-queued);
      dest.counts().buffered(-queued);
      queue.clear();
      queued = 0;
      queuedMessages = 0;
    }

    /** Writes and flushes {@code buf} (whole messages), and releases it once written. */
    void write(ByteBuf buf, long messages, long bytes) {
      if (socket instanceof NetSocketInternal internal) {
        // to the channel as is: Netty releases it (write(Buffer) would wrap it unreleasable)
        var unused = internal.writeMessage(buf);
      } else {
        socket.write(BufferInternal.buffer(buf)).onComplete(ar -> buf.release());
      }
      dest.counts().forwarded(messages, bytes);
    }

    /** Writes the queued chunks, about as many as the connection's buffer takes, in one write. */
    private void flush() {
      while (socket != null && !queue.isEmpty() && !socket.writeQueueFull()) {
        List<byte[]> parts = new ArrayList<>();
        long bytes = 0;
        long messages = 0;
        do {
          Chunk c = queue.poll();
          parts.add(c.bytes());
          bytes += c.bytes().length;
          messages += c.messages();
        } while (!queue.isEmpty() && bytes + queue.peek().bytes().length <= WRITE_QUEUE_BYTES);
        queued -= bytes;
        queuedMessages -= messages;
        buffered.addAndGet(-bytes);
        dest.counts().buffered(-bytes);
        write(Unpooled.wrappedBuffer(parts.toArray(byte[][]::new)), messages, bytes);
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
      up = true;
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
        // connections complete between reads: the live messages that follow start at a boundary
        List<byte[]> start = relay.start.messages();
        if (!start.isEmpty()) {
          long bytes = 0;
          for (byte[] m : start) {
            bytes += m.length;
          }
          write(Unpooled.wrappedBuffer(start.toArray(byte[][]::new)), start.size(), bytes);
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
      up = false;
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
      if (!queue.isEmpty()) {
        byte[][] parts = new byte[queue.size()][];
        int i = 0;
        for (Chunk c : queue) {
          parts[i++] = c.bytes();
        }
        write(Unpooled.wrappedBuffer(parts), queuedMessages, queued);
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
