package org.bmpexporter.bench;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.server.BmpExporter;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.HashFlood;
import org.bmpexporter.testing.Scrape;

/**
 * Hash flooding, end to end over loopback TCP: one router session each sends N IPv6 prefixes
 * crafted to collide in the former route sets' hash functions ({@link HashFlood}) or N random ones
 * of the same length, and the clock runs from the first byte until {@code /metrics} counts all N
 * routes of that router. Meanwhile {@code /healthz} is asked every 100 ms and its slowest answer
 * reported. Streams are encoded before the clock starts; each case runs ROUNDS times (median).
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   org.bmpexporter.bench.HashFloodBenchmark [N=100000] [ROUNDS=3] [CASES=regex]
 * </pre>
 *
 * A case gives up after 30 minutes (the flooded hash sets before keyed hashing took minutes).
 */
public final class HashFloodBenchmark {
  private HashFloodBenchmark() {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Pattern only = Pattern.compile(args.length > 2 ? args[2] : "");
    byte[] peer = Bmp.globalPeer("2001:db8::2", 65002);
    Map<String, byte[][]> cases = new LinkedHashMap<>();
    cases.put("/128 random", HashFlood.random(n, 128, 1));
    cases.put("/128 crafted (one Arrays.hashCode)", HashFlood.sameArraysHashCode128(n));
    cases.put("/64 random", HashFlood.random(n, 64, 2));
    cases.put(
        "/64 crafted (one fastutil slot)", HashFlood.prefixes64(HashFlood.fastutilBucketZero64(n)));
    cases.keySet().removeIf(name -> !only.matcher(name).find());
    Map<String, byte[]> streams = new LinkedHashMap<>();
    cases.forEach(
        (name, keys) ->
            streams.put(
                name,
                Bmp.concat(
                    Bmp.initiation("flood", "flood"),
                    Bmp.peerUp(peer),
                    HashFlood.routeMonitoringStreamV6(peer, keys, 200))));
    try (BmpExporter exporter =
        BmpExporter.start(
            ExporterConfig.defaults()
                .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                .withWebListen(new HostPort("127.0.0.1", 0)))) {
      exporter.warmup().get(60, TimeUnit.SECONDS);
      scrape(exporter.webPort());
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        int c = 0;
        for (Map.Entry<String, byte[]> e : streams.entrySet()) {
          c++;
          String source = "127.11." + round + "." + c;
          Result r = ingest(exporter, source, e.getValue(), n);
          seconds.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(r.seconds);
          System.out.printf(
              "round %d %-36s %8.3f s  %6.2f M routes/s  /healthz slowest %5d ms  (%.1f MB)%n",
              round,
              e.getKey(),
              r.seconds,
              n / r.seconds / 1e6,
              r.slowestHealthzMillis,
              e.getValue().length / 1e6);
        }
      }
      System.out.println("median of " + rounds + " rounds, " + n + " prefixes each:");
      seconds.forEach(
          (name, s) -> {
            List<Double> sorted = s.stream().sorted().toList();
            System.out.printf(
                "  %-36s %8.3f s  (%s)%n", name, sorted.get(sorted.size() / 2), sorted);
          });
    }
  }

  /** /metrics, waiting as long as a flooded exporter may take to answer. */
  private static Scrape scrape(int port) throws Exception {
    HttpRequest metrics =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(60))
            .build();
    return Scrape.of(HTTP.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
  }

  private record Result(double seconds, long slowestHealthzMillis) {}

  private static Result ingest(BmpExporter exporter, String source, byte[] stream, int n)
      throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong slowest = new AtomicLong();
    Thread prober =
        new Thread(
            () -> {
              HttpRequest healthz =
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + exporter.webPort() + "/healthz"))
                      .timeout(Duration.ofSeconds(300))
                      .build();
              while (!done.get()) {
                long t = System.nanoTime();
                try {
                  HTTP.send(healthz, HttpResponse.BodyHandlers.discarding());
                } catch (Exception ex) {
                  System.out.println("/healthz failed: " + ex);
                }
                slowest.accumulateAndGet((System.nanoTime() - t) / 1_000_000, Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException ex) {
                  return;
                }
              }
            });
    prober.setDaemon(true);
    try (Socket s = new Socket()) {
      s.setSendBufferSize(1 << 20);
      s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      s.connect(new InetSocketAddress("127.0.0.1", exporter.bmpPorts().get(0)));
      prober.start();
      long t0 = System.nanoTime();
      OutputStream out = s.getOutputStream();
      out.write(stream);
      out.flush();
      long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
      double routes = 0;
      try {
        while (routes < n) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(source + ": " + routes + " of " + n + " routes after 30 min");
          }
          Thread.sleep(20);
          try {
            routes = scrape(exporter.webPort()).sum("bmp_routes", "router", source);
          } catch (HttpTimeoutException stillBlocked) {
            // the event loop is busy inserting: ask again
          }
        }
      } finally {
        done.set(true);
      }
      long t1 = System.nanoTime();
      prober.join(310_000);
      return new Result((t1 - t0) / 1e9, slowest.get());
    }
  }
}
