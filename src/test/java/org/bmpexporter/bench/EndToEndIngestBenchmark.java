package org.bmpexporter.bench;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.server.BmpExporter;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.Scrape;

/**
 * End-to-end ingest over loopback TCP: R routers (sessions from distinct 127.0.x.y addresses) each
 * send one peer's IPv4 table of N prefixes; the clock runs from the first byte sent until /metrics
 * reports every route. Tables are encoded before the clock starts.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   org.bmpexporter.bench.EndToEndIngestBenchmark ROUTERS PREFIXES PER_UPDATE
 * </pre>
 */
public final class EndToEndIngestBenchmark {
  private EndToEndIngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int routers = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int perUpdate = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    byte[] peer = Bmp.globalPeer("192.0.2.2", 65002);
    byte[] stream =
        Bmp.concat(
            Bmp.initiation("bench", "bench"),
            Bmp.peerUp(peer),
            InternetTable.routeMonitoringStream(peer, InternetTable.ipv4(n, 7), perUpdate));
    // As the jar: the start-up warm-up runs (-Dwarmup=false skips it) and ends before round 0,
    // and /metrics has been scraped once.
    try (BmpExporter exporter =
        BmpExporter.start(
            ExporterConfig.defaults()
                .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                .withWebListen(new HostPort("127.0.0.1", 0))
                .withWarmup(Boolean.parseBoolean(System.getProperty("warmup", "true"))))) {
      exporter.warmup().get(60, java.util.concurrent.TimeUnit.SECONDS);
      Scrape.http(exporter.webPort());
      for (int round = 0; round < 3; round++) {
        long expected = (long) routers * n;
        List<Thread> senders = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        for (int r = 0; r < routers; r++) {
          Socket s = new Socket();
          s.setSendBufferSize(1 << 20);
          s.bind(new InetSocketAddress(InetAddress.getByName("127.0.9." + (r + 1)), 0));
          s.connect(new InetSocketAddress("127.0.0.1", exporter.bmpPorts().get(0)));
          sockets.add(s);
          senders.add(
              new Thread(
                  () -> {
                    try {
                      OutputStream out = s.getOutputStream();
                      out.write(stream);
                      out.flush();
                    } catch (Exception e) {
                      throw new RuntimeException(e);
                    }
                  }));
        }
        long t0 = System.nanoTime();
        senders.forEach(Thread::start);
        long deadline = t0 + 300_000_000_000L;
        double routes = 0;
        while (System.nanoTime() < deadline) {
          Scrape m = Scrape.http(exporter.webPort());
          routes = m.sum("bmp_routes");
          if (routes >= expected) {
            break;
          }
          Thread.sleep(Long.getLong("poll.ms", 20));
        }
        long t1 = System.nanoTime();
        for (Thread t : senders) {
          t.join();
        }
        System.out.printf(
            "round %d: %d routers x %d prefixes (%d per UPDATE, %.1f MB): "
                + "%.2f s, %.2f M prefixes/s end to end%n",
            round,
            routers,
            n,
            perUpdate,
            stream.length * routers / 1e6,
            (t1 - t0) / 1e9,
            routes / ((t1 - t0) / 1e9) / 1e6);
        for (Socket s : sockets) {
          s.close();
        }
        Thread.sleep(1000);
      }
    }
  }
}
