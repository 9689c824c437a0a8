package org.bmpexporter.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finding 1 of issue 11 as an attacker runs it: {@code connections} TCP connections to a BMP
 * listener, each sending the common header of a message of {@code declaredLength} bytes and then
 * all but the last byte of it ({@code sentBytes} in all), and then nothing. The connections stay
 * open until {@link #close}. A connection the exporter closes while it is being written is counted
 * as closed by the exporter. The connections come from {@link #PER_SOURCE} at a time per loopback
 * source address (127.1.0.1, 127.1.0.2, ...), as a spread attacker's would: the default {@code
 * bmp.limits.sessions_per_address}, so that this limit does not stop them before the memory does.
 */
final class StalledMessages implements AutoCloseable {
  static final int PER_SOURCE = 4;

  private final InetSocketAddress target;
  private final int connections;
  private final int declaredLength;
  private final int sentBytes;
  private final List<SocketChannel> open = new ArrayList<>();
  private final AtomicInteger stalled = new AtomicInteger();
  private final AtomicInteger closedByExporter = new AtomicInteger();
  private final AtomicInteger connectFailures = new AtomicInteger();

  StalledMessages(InetSocketAddress target, int connections, int declaredLength, int sentBytes) {
    if (sentBytes >= declaredLength || sentBytes < 6) {
      throw new IllegalArgumentException("sentBytes " + sentBytes);
    }
    this.target = target;
    this.connections = connections;
    this.declaredLength = declaredLength;
    this.sentBytes = sentBytes;
  }

  /**
   * Opens and fills every connection with {@code threads} writers; returns within {@code
   * timeoutSeconds}.
   */
  StalledMessages run(int threads, long timeoutSeconds) throws InterruptedException {
    ByteBuffer message = ByteBuffer.allocate(sentBytes);
    message.put((byte) 3).putInt(declaredLength).put((byte) 0); // Route Monitoring, never completed
    message.clear();
    ByteBuffer shared = message.asReadOnlyBuffer();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int i = 0; i < connections; i++) {
        int source = i / PER_SOURCE;
        String from = "127.1." + (source / 250) + "." + (source % 250 + 1);
        pool.execute(() -> one(from, shared.duplicate()));
      }
      pool.shutdown();
      if (!pool.awaitTermination(timeoutSeconds, TimeUnit.SECONDS)) {
        closeAll(); // unblocks the writers
        throw new IllegalStateException(
            "the attack did not finish within " + timeoutSeconds + " s: " + this);
      }
    } finally {
      pool.shutdownNow();
    }
    return this;
  }

  private void one(String from, ByteBuffer bytes) {
    SocketChannel ch;
    try {
      ch = SocketChannel.open();
      try {
        ch.bind(new InetSocketAddress(from, 0));
        ch.connect(target);
      } catch (IOException e) {
        ch.close();
        throw e;
      }
    } catch (IOException e) {
      connectFailures.incrementAndGet();
      return;
    }
    synchronized (open) {
      open.add(ch);
    }
    try {
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      stalled.incrementAndGet();
    } catch (IOException e) {
      closedByExporter.incrementAndGet(); // reset or broken pipe: the exporter let it go
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
    }
  }

  /** Connections that sent their whole part and were still open when writing ended. */
  int stalled() {
    return stalled.get();
  }

  int closedByExporter() {
    return closedByExporter.get();
  }

  int connectFailures() {
    return connectFailures.get();
  }

  @Override
  public void close() {
    closeAll();
  }

  /** Closes every connection still open. */
  void closeAll() {
    synchronized (open) {
      for (SocketChannel ch : open) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
      open.clear();
    }
  }

  @Override
  public String toString() {
    return connections
        + " connections x "
        + sentBytes
        + " of "
        + declaredLength
        + " bytes: "
        + stalled()
        + " stalled, "
        + closedByExporter()
        + " closed by the exporter while sending, "
        + connectFailures()
        + " connect failures";
  }
}
