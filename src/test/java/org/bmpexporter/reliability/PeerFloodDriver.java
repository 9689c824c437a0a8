package org.bmpexporter.reliability;

import static org.bmpexporter.testing.Bmp.*;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bmpexporter.interop.Await;
import org.bmpexporter.interop.ExporterProcess;
import org.bmpexporter.testing.Scrape;

/**
 * Finding 3 of issue 11 at full size: one router announces {@code N} distinct peers (default
 * 1,000,000 Peer Ups, about 100 MB of BMP, generated as it is sent) against the default {@code
 * bmp.limits.peers_per_router} (10,000), while two clean routers hold 100,000 routes each. A
 * scraper thread fetches {@code /metrics} every second meanwhile. Prints fds, threads and heap
 * before and after, every scrape's status and the clean routers' counts in it, the limit series,
 * and the time and size of {@code /metrics} and of the flooding router's {@code /metrics?router=}.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     org.bmpexporter.reliability.PeerFloodDriver 1000000 -Xmx1g
 * </pre>
 *
 * Arguments: peers (1000000), then JVM options for the exporter (default {@code -Xmx1g}).
 */
public final class PeerFloodDriver {
  private static final String FLOODER = "127.0.0.4";
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  private PeerFloodDriver() {}

  public static void main(String[] args) throws Exception {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<String> jvm = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("-Xmx1g");
    DriverSupport.Started started = DriverSupport.start("peer-flood", jvm, "bmp: {}\n");
    try (ExporterProcess exporter = started.exporter()) {
      long pid = started.pid();
      InetSocketAddress bmp = new InetSocketAddress("127.0.0.1", started.bmpPort());
      CleanRouter[] clean = {
        new CleanRouter("127.0.0.2", bmp, 1_000, 1), new CleanRouter("127.0.0.3", bmp, 1_000, 1)
      };
      for (CleanRouter c : clean) {
        c.send(0);
      }
      for (CleanRouter c : clean) {
        Await.until(
            () -> exporter.scrape().sum("bmp_routes", "router", c.router()) == c.expectedRoutes(),
            Duration.ofSeconds(60),
            c.router() + " routes");
      }
      System.out.println("before: " + ProcessFigures.of(pid, exporter.scrape()));
      System.out.println(
          "/metrics before: "
              + DriverSupport.get(exporter.webTarget(), "/metrics", Duration.ofSeconds(30)));

      List<String> scrapes = Collections.synchronizedList(new ArrayList<>());
      List<String> badScrapes = Collections.synchronizedList(new ArrayList<>());
      Thread scraper =
          new Thread(
              () -> {
                long end = System.nanoTime() + DEADLINE.toNanos();
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() < end) {
                  try {
                    DriverSupport.Fetch f =
                        DriverSupport.get(exporter.webTarget(), "/metrics", Duration.ofSeconds(30));
                    Scrape s = f.status() == 200 ? Scrape.of(f.body()) : null;
                    StringBuilder line = new StringBuilder(f.toString());
                    boolean exact = s != null;
                    for (CleanRouter c : clean) {
                      double routes = s == null ? -1 : s.sum("bmp_routes", "router", c.router());
                      line.append(String.format(", %s routes %.0f", c.router(), routes));
                      exact &= routes == c.expectedRoutes();
                    }
                    scrapes.add(line.toString());
                    if (!exact) {
                      badScrapes.add(line.toString());
                    }
                    Thread.sleep(1_000);
                  } catch (InterruptedException e) {
                    return;
                  } catch (RuntimeException e) {
                    badScrapes.add(e.toString());
                  }
                }
              },
              "scraper");
      scraper.setDaemon(true);
      scraper.start();

      long t0 = System.nanoTime();
      long bytes = 0;
      try (Socket socket = new Socket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(FLOODER), 0));
        socket.connect(bmp, 5_000);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 20);
        byte[] init = initiation(tlv(2, "peer-flooder"), tlv(1, "1,000,000 peers"));
        out.write(init);
        bytes += init.length;
        byte[] sentOpen = open(65000, 90, "192.0.2.254");
        for (int i = 0; i < peers; i++) {
          int a = 0x0a000000 + i; // 10.0.0.0 on: distinct peer addresses
          String address =
              (a >>> 24) + "." + (a >> 16 & 0xff) + "." + (a >> 8 & 0xff) + "." + (a & 0xff);
          byte[] m =
              peerUp(
                  peer().address(address).as(65001),
                  "192.0.2.254",
                  179,
                  50000,
                  sentOpen,
                  open(65001, 90, address));
          out.write(m);
          bytes += m.length;
        }
        out.flush();
        System.out.printf(
            "flood sent: %,d Peer Ups, %,d bytes in %.1f s%n",
            peers, bytes, (System.nanoTime() - t0) / 1e9);
        double want = peers;
        Await.until(
            () ->
                exporter
                        .scrape()
                        .value("bmp_router_messages_total", "router", FLOODER, "type", "peer_up")
                    == want,
            DEADLINE,
            "all Peer Ups counted");
        System.out.printf("all Peer Ups counted after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        report(exporter, pid, clean, "session open");
        scraper.interrupt();
        scraper.join(60_000);
        System.out.println(
            "scrapes during the flood: "
                + scrapes.size()
                + ", not 200 or not exact: "
                + badScrapes.size());
        for (String s : scrapes.subList(0, Math.min(3, scrapes.size()))) {
          System.out.println("  " + s);
        }
        for (String s : badScrapes.subList(0, Math.min(5, badScrapes.size()))) {
          System.out.println("  BAD " + s);
        }
      }
      Await.sleep(Duration.ofSeconds(5));
      report(exporter, pid, clean, "5 s after the flooding session closed (its peers retained)");
      for (CleanRouter c : clean) {
        c.close();
      }
    }
  }

  private static void report(ExporterProcess exporter, long pid, CleanRouter[] clean, String when) {
    DriverSupport.Fetch all =
        DriverSupport.get(exporter.webTarget(), "/metrics", Duration.ofSeconds(60));
    DriverSupport.Fetch own =
        DriverSupport.get(
            exporter.webTarget(), "/metrics?router=" + FLOODER, Duration.ofSeconds(60));
    Scrape s = Scrape.of(all.body());
    System.out.printf("%s: %s%n", when, ProcessFigures.of(pid, s));
    System.out.printf("  /metrics: %s; /metrics?router=%s: %s%n", all, FLOODER, own);
    System.out.printf(
        "  flooder: bmp_router_limit_reached{limit=peers} %.0f, bmp_router_dropped_total{limit=peers}"
            + " %.0f, bmp_peer_up series %d%n",
        s.value("bmp_router_limit_reached", "router", FLOODER, "limit", "peers"),
        s.value("bmp_router_dropped_total", "router", FLOODER, "limit", "peers"),
        s.find("bmp_peer_up", "router", FLOODER).size());
    for (CleanRouter c : clean) {
      System.out.printf(
          "  %s: bmp_routes %.0f of %d, limit_reached{peers} %.0f%n",
          c.router(),
          s.sum("bmp_routes", "router", c.router()),
          c.expectedRoutes(),
          s.value("bmp_router_limit_reached", "router", c.router(), "limit", "peers"));
    }
  }
}
