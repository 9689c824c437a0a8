package org.bmpexporter.reliability;

import static org.bmpexporter.testing.Bmp.*;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.bmpexporter.interop.Await;
import org.bmpexporter.interop.ExporterProcess;
import org.bmpexporter.testing.Scrape;

/**
 * Finding 4 of issue 11 at full size: one router announces {@code N} random IPv6 /128s (default
 * 20,000,000, the costliest prefixes; 230 per UPDATE, generated as they are sent) into an exporter
 * at {@code -Xmx2g} with the default limits ({@code bmp.limits.routes_total} = max heap / 160
 * bytes, {@code routes_per_router} 20 M). {@code /healthz} is asked every 100 ms meanwhile. Prints
 * fds, threads and heap before and after, how many routes were kept and dropped, the limit series,
 * whether the process is alive, and the {@code /healthz} latencies.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     org.bmpexporter.reliability.RouteFloodDriver 20000000 -Xmx2g
 * </pre>
 *
 * Arguments: routes (20000000), then JVM options for the exporter (default {@code -Xmx2g}).
 */
public final class RouteFloodDriver {
  private static final String ROUTER = "127.0.0.5";
  private static final int PER_UPDATE = 230; // 230 × 17 bytes: the UPDATE stays under 4,096 bytes
  private static final Duration DEADLINE = Duration.ofMinutes(12);

  private RouteFloodDriver() {}

  public static void main(String[] args) throws Exception {
    long routes = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
    List<String> jvm = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("-Xmx2g");
    DriverSupport.Started started = DriverSupport.start("route-flood", jvm, "bmp: {}\n");
    try (ExporterProcess exporter = started.exporter()) {
      long pid = started.pid();
      InetSocketAddress bmp = new InetSocketAddress("127.0.0.1", started.bmpPort());
      System.out.println("before: " + ProcessFigures.of(pid, exporter.scrape()));
      HealthProbe health =
          new HealthProbe(exporter.webTarget(), Duration.ofMillis(100), Duration.ofSeconds(10));
      long t0 = System.nanoTime();
      long deadline = t0 + DEADLINE.toNanos();
      long updates = (routes + PER_UPDATE - 1) / PER_UPDATE;
      long bytes = 0;
      try (Socket socket = new Socket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(ROUTER), 0));
        socket.connect(bmp, 5_000);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 20);
        Peer peer = peer().address("192.0.2.1").as(65001);
        byte[] start =
            concat(
                initiation(tlv(2, "route-flooder"), tlv(1, "random IPv6 /128s")),
                peerUp(
                    peer,
                    "192.0.2.254",
                    179,
                    50000,
                    open(65000, 90, "192.0.2.254", capMultiprotocol(2, 1)),
                    open(65001, 90, "192.0.2.1", capMultiprotocol(2, 1))));
        out.write(start);
        bytes += start.length;
        SplittableRandom random = new SplittableRandom(20_000_000L);
        byte[] nextHop = ip("2001:db8::1");
        long sent = 0;
        for (long u = 0; u < updates && System.nanoTime() < deadline; u++) {
          int n = (int) Math.min(PER_UPDATE, routes - sent);
          byte[] nlri = new byte[n * 17];
          for (int p = 0; p < n; p++) {
            nlri[p * 17] = (byte) 128;
            for (int b = 1; b < 17; b += 8) {
              long r = random.nextLong();
              for (int k = 0; k < 8; k++) {
                nlri[p * 17 + b + k] = (byte) (r >>> (8 * k));
              }
            }
          }
          byte[] m =
              routeMonitoring(
                  peer,
                  update(
                      new byte[0],
                      concat(origin(0), asPath4(65001), mpReach(2, 1, nextHop, nlri)),
                      new byte[0]));
          out.write(m);
          bytes += m.length;
          sent += n;
          if (u % 10_000 == 0 && u > 0) {
            System.out.printf(
                "  %,d routes sent after %.1f s, exporter alive %s%n",
                sent, (System.nanoTime() - t0) / 1e9, exporter.proc().alive());
          }
        }
        out.flush();
        System.out.printf(
            "sent: %,d routes in %,d UPDATEs, %,d bytes of BMP in %.1f s%n",
            sent, updates, bytes, (System.nanoTime() - t0) / 1e9);
        long remaining = Math.max(1, deadline - System.nanoTime());
        double wantUpdates = updates;
        Await.until(
            () ->
                !exporter.proc().alive()
                    || exporter
                            .scrape()
                            .value(
                                "bmp_router_messages_total",
                                "router",
                                ROUTER,
                                "type",
                                "route_monitoring")
                        == wantUpdates,
            Duration.ofNanos(remaining),
            "every UPDATE counted");
        System.out.printf(
            "every UPDATE counted after %.1f s; exporter alive %s%n",
            (System.nanoTime() - t0) / 1e9, exporter.proc().alive());
        if (!exporter.proc().alive()) {
          System.out.println(exporter.proc().logTail(30));
          return;
        }
        Scrape s = exporter.scrape();
        System.out.println("after, session open: " + ProcessFigures.of(pid, s));
        System.out.printf(
            "  bmp_routes %.0f; limit_reached routes_total %.0f, routes %.0f;"
                + " dropped routes_total %.0f, routes %.0f; decode errors %.0f%n",
            s.sum("bmp_routes", "router", ROUTER),
            s.value("bmp_router_limit_reached", "router", ROUTER, "limit", "routes_total"),
            s.value("bmp_router_limit_reached", "router", ROUTER, "limit", "routes"),
            s.value("bmp_router_dropped_total", "router", ROUTER, "limit", "routes_total"),
            s.value("bmp_router_dropped_total", "router", ROUTER, "limit", "routes"),
            s.sum("bmp_router_decode_errors_total", "router", ROUTER));
        System.out.println(
            "  /metrics: "
                + DriverSupport.get(exporter.webTarget(), "/metrics", Duration.ofSeconds(30)));
      }
      Await.sleep(Duration.ofSeconds(20));
      health.stop();
      System.out.println(
          "20 s after the session closed: "
              + ProcessFigures.of(pid, exporter.scrape())
              + ", alive "
              + exporter.proc().alive());
      System.out.println("/healthz during the whole run: " + health);
      if (!health.failures().isEmpty()) {
        System.out.println(
            "first failures: "
                + health.failures().subList(0, Math.min(5, health.failures().size())));
      }
    }
  }
}
