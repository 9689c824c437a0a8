package org.bmpexporter.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bmpexporter.interop.Await;
import org.bmpexporter.interop.ExporterProcess;
import org.bmpexporter.testing.Scrape;

/**
 * Finding 5 of issue 11 (idle HTTP connections) at full size: {@code N} connections to the HTTP
 * port (default 2,000), half of them silent from the start, half sending one kept-alive {@code GET
 * /healthz} and then nothing, against {@code web.read_header_timeout: 2s} and {@code
 * web.idle_timeout: 3s}. While they are open a new router session sends 100,000 routes and {@code
 * /metrics} is scraped. Prints fds, threads and heap before, while the connections are open and
 * after, and when the exporter closed each group (seconds after it opened, or after the answer).
 * Raise the open-file limit first ({@code ulimit -n 16384}).
 *
 * <pre>
 * ulimit -n 16384
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     org.bmpexporter.reliability.IdleHttpDriver 2000 -Xmx512m
 * </pre>
 */
public final class IdleHttpDriver {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private IdleHttpDriver() {}

  /** One connection: when it opened, when its answer (if any) arrived, when it saw EOF. */
  private static final class Conn {
    final boolean keptAlive;
    final long opened = System.nanoTime();
    long answered;
    long closed;

    Conn(boolean keptAlive) {
      this.keptAlive = keptAlive;
    }
  }

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    List<String> jvm =
        args.length > 1 ? List.of(args).subList(1, args.length) : List.of("-Xmx512m");
    DriverSupport.Started started =
        DriverSupport.start(
            "idle-http", jvm, "web:\n  read_header_timeout: 2s\n  idle_timeout: 3s\n");
    try (ExporterProcess exporter = started.exporter()) {
      long pid = started.pid();
      System.out.println("before: " + ProcessFigures.of(pid, exporter.scrape()));
      String[] hostPort = exporter.webTarget().split(":");
      InetSocketAddress web = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
      byte[] request =
          "GET /healthz HTTP/1.1\r\nHost: exporter\r\nConnection: keep-alive\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII);
      long t0 = System.nanoTime();
      List<Conn> all = new ArrayList<>();
      try (Selector selector = Selector.open()) {
        for (int i = 0; i < connections; i++) {
          SocketChannel ch = SocketChannel.open(web);
          Conn c = new Conn(i % 2 == 1);
          all.add(c);
          if (c.keptAlive) {
            ch.write(ByteBuffer.wrap(request));
          }
          ch.configureBlocking(false);
          ch.register(selector, SelectionKey.OP_READ, c);
        }
        System.out.printf(
            "%,d connections open after %.1f s (%d silent, %d kept alive after one request)%n",
            connections,
            (System.nanoTime() - t0) / 1e9,
            connections - connections / 2,
            connections / 2);

        int[] open = {connections};
        Thread watcher =
            new Thread(
                () -> {
                  try {
                    watch(selector, open, t0 + DEADLINE.toNanos());
                  } catch (IOException e) {
                    System.out.println("watcher: " + e);
                  }
                },
                "watcher");
        watcher.start();
        System.out.println("during: " + ProcessFigures.of(pid, exporter.scrape()));
        // A new router session and scrapes while the connections are held.
        InetSocketAddress bmp = new InetSocketAddress("127.0.0.1", started.bmpPort());
        try (CleanRouter router = new CleanRouter("127.0.0.2", bmp, 1_000, 1)) {
          router.send(0);
          Await.until(
              () ->
                  exporter.scrape().sum("bmp_routes", "router", router.router())
                      == router.expectedRoutes(),
              Duration.ofSeconds(30),
              "the new router's routes");
          DriverSupport.Fetch f =
              DriverSupport.get(exporter.webTarget(), "/metrics", Duration.ofSeconds(10));
          System.out.printf(
              "new BMP session meanwhile: %.0f of %d routes after %.1f s; /metrics %s%n",
              Scrape.of(f.body()).sum("bmp_routes", "router", router.router()),
              router.expectedRoutes(),
              (System.nanoTime() - t0) / 1e9,
              f);
        }

        watcher.join(DEADLINE.toMillis() + 10_000);
        System.out.printf(
            "closed by the exporter: %,d of %,d within %.1f s%n",
            connections - open[0], connections, (System.nanoTime() - t0) / 1e9);
        summarize(all, false);
        summarize(all, true);
      }
      System.out.println(
          "after (driver closed its sockets): " + ProcessFigures.of(pid, exporter.scrape()));
      Await.sleep(Duration.ofSeconds(5));
      System.out.println("5 s later: " + ProcessFigures.of(pid, exporter.scrape()));
    }
  }

  /** Reads until every connection saw EOF or the deadline passed; notes answers and closes. */
  private static void watch(Selector selector, int[] open, long end) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (open[0] > 0 && System.nanoTime() < end) {
      selector.select(200);
      for (SelectionKey key : selector.selectedKeys()) {
        Conn c = (Conn) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        buf.clear();
        int n;
        try {
          n = ch.read(buf);
        } catch (IOException e) {
          n = -1; // reset counts as closed
        }
        if (n > 0 && c.answered == 0) {
          c.answered = System.nanoTime();
        } else if (n < 0) {
          c.closed = System.nanoTime();
          key.cancel();
          ch.close();
          open[0]--;
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private static void summarize(List<Conn> all, boolean keptAlive) {
    List<Double> seconds = new ArrayList<>();
    int stillOpen = 0;
    int answered = 0;
    for (Conn c : all) {
      if (c.keptAlive != keptAlive) {
        continue;
      }
      answered += c.answered != 0 ? 1 : 0;
      if (c.closed == 0) {
        stillOpen++;
      } else {
        long from = keptAlive && c.answered != 0 ? c.answered : c.opened;
        seconds.add((c.closed - from) / 1e9);
      }
    }
    Collections.sort(seconds);
    System.out.printf(
        "  %s: %d closed, %d still open, %d answered; closed %s: min %.2f s, median %.2f s,"
            + " max %.2f s%n",
        keptAlive ? "kept alive" : "silent",
        seconds.size(),
        stillOpen,
        answered,
        keptAlive ? "after the answer" : "after opening",
        seconds.isEmpty() ? Double.NaN : seconds.get(0),
        seconds.isEmpty() ? Double.NaN : seconds.get(seconds.size() / 2),
        seconds.isEmpty() ? Double.NaN : seconds.get(seconds.size() - 1));
  }
}
