package org.bmpexporter.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte sink on loopback: accepts TCP connections and reads and discards everything, one thread
 * per connection, printing the bytes and time of each. Measures what the load generator can push
 * when the receiver costs (almost) nothing.
 *
 * <pre>java -cp bmp-exporter.jar org.bmpexporter.loadgen.DiscardServer
 *     [--port 0] [--port-file FILE] [--max-seconds 600] [--connections N]</pre>
 *
 * It exits after N connections closed (default: never) or at --max-seconds.
 */
public final class DiscardServer implements AutoCloseable {
  private final ServerSocketChannel server;
  private final List<Thread> readers = new ArrayList<>();
  final AtomicLong totalBytes = new AtomicLong();
  final AtomicLong closedConnections = new AtomicLong();
  private final PrintStream log;
  private volatile boolean closed;

  public DiscardServer(int port, PrintStream log) throws IOException {
    this.log = log;
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
  }

  public int port() throws IOException {
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  /** Accepts connections until closed; each is drained by its own thread. */
  public void start() {
    Thread acceptor =
        new Thread(
            () -> {
              while (!closed) {
                try {
                  SocketChannel ch = server.accept();
                  ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                  Thread t = new Thread(() -> drain(ch), "discard-" + ch.getRemoteAddress());
                  t.setDaemon(true);
                  synchronized (readers) {
                    readers.add(t);
                  }
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            },
            "discard-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void drain(SocketChannel ch) {
    ByteBuffer bb = ByteBuffer.allocateDirect(1 << 20);
    long n = 0;
    long t0 = System.nanoTime();
    long startMs = System.currentTimeMillis();
    String peer = "?";
    try (ch) {
      peer = String.valueOf(ch.getRemoteAddress());
      int r;
      while ((r = ch.read(bb)) >= 0) {
        n += r;
        bb.clear();
      }
    } catch (IOException e) {
      // connection reset: count what arrived
    }
    double s = (System.nanoTime() - t0) / 1e9;
    totalBytes.addAndGet(n);
    if (log != null) {
      synchronized (log) {
        log.printf(
            "discard: %s %d bytes in %.3f s (%.1f MB/s) accepted_ms=%d eof_ms=%d%n",
            peer, n, s, s > 0 ? n / s / 1e6 : 0, startMs, System.currentTimeMillis());
        log.flush();
      }
    }
    closedConnections.incrementAndGet();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }

  // DiscardServer.close() closes the server socket only, not its log stream System.out
  @SuppressWarnings("ClosingStandardOutputStreams")
  public static void main(String[] args) throws Exception {
    int port = 0;
    double maxSeconds = 600;
    long connections = Long.MAX_VALUE;
    Path portFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--port-file" -> portFile = Path.of(args[++i]);
        case "--max-seconds" -> maxSeconds = Double.parseDouble(args[++i]);
        case "--connections" -> connections = Long.parseLong(args[++i]);
        default -> {
          System.err.println(
              "usage: DiscardServer [--port 0] [--port-file FILE]"
                  + " [--max-seconds 600] [--connections N]");
          System.exit(2);
        }
      }
    }
    try (DiscardServer d = new DiscardServer(port, System.out)) {
      System.out.println("discard: listening on 127.0.0.1:" + d.port());
      if (portFile != null) {
        Files.writeString(portFile, Integer.toString(d.port()));
      }
      d.start();
      long end = System.nanoTime() + (long) (maxSeconds * 1e9);
      while (System.nanoTime() < end && d.closedConnections.get() < connections) {
        Thread.sleep(50);
      }
      System.out.println(
          "discard: "
              + d.closedConnections.get()
              + " connection(s), "
              + d.totalBytes.get()
              + " bytes");
    }
  }
}
