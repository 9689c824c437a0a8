package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.HashFlood;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;

/**
 * Hash flooding over a real BMP session: 100,000 IPv6 /128s crafted to share one {@code
 * Arrays.hashCode} and 100,000 /64s crafted to share one fastutil slot, each from its own router,
 * are counted exactly (announced, then half withdrawn), and {@code /healthz} keeps answering while
 * they arrive. Before keyed hashing these sets took minutes and blocked the event loop that also
 * serves HTTP. Times here are bounds for a stalled exporter, not performance targets (those are in
 * HashFloodBenchmark and docs/reliability.md).
 */
@ComponentTest
class HashFloodTest {
  private static final int N = 100_000;
  private static final Duration HEALTHZ_BOUND = Duration.ofSeconds(10);
  private static final Duration COUNT_BOUND = Duration.ofSeconds(120);

  @Test
  void craftedPrefixesAreCountedExactlyAndHealthzKeepsAnswering() throws Exception {
    byte[] peer = Bmp.globalPeer("2001:db8::2", 65002);
    byte[][] crafted128 = HashFlood.sameArraysHashCode128(N);
    byte[][] crafted64 = HashFlood.prefixes64(HashFlood.fastutilBucketZero64(N));
    try (LiveExporter live = LiveExporter.start()) {
      HealthzProbe probe = new HealthzProbe(live.webPort());
      probe.start();
      Socket r128 = live.send("127.0.13.1", open(peer), announce(peer, crafted128, true));
      Socket r64 = live.send("127.0.13.2", open(peer), announce(peer, crafted64, true));
      awaitRoutes(live, "127.0.13.1", N);
      awaitRoutes(live, "127.0.13.2", N);

      byte[][] half128 = Arrays.copyOf(crafted128, N / 2);
      byte[][] half64 = Arrays.copyOf(crafted64, N / 2);
      write(r128, announce(peer, half128, false));
      write(r64, announce(peer, half64, false));
      awaitRoutes(live, "127.0.13.1", N - N / 2);
      awaitRoutes(live, "127.0.13.2", N - N / 2);
      // announcing a present route again is a replace, not a new route
      write(r128, announce(peer, crafted128, true));
      write(r64, announce(peer, crafted64, true));
      awaitRoutes(live, "127.0.13.1", N);
      awaitRoutes(live, "127.0.13.2", N);
      probe.stop();

      assertThat(probe.failures).as("/healthz requests that failed or took over 10 s").isEmpty();
      assertThat(probe.answered.get()).as("/healthz answers during the test").isPositive();
    }
  }

  private static byte[] open(byte[] peer) {
    return Bmp.concat(Bmp.initiation("flood", "flood"), Bmp.peerUp(peer));
  }

  private static byte[] announce(byte[] peer, byte[][] prefixes, boolean announce) {
    return HashFlood.routeMonitoringStreamV6(peer, prefixes, 200, announce);
  }

  private static void write(Socket s, byte[] bytes) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** Polls /metrics until the router has exactly {@code n} routes, within {@link #COUNT_BOUND}. */
  private static void awaitRoutes(LiveExporter live, String router, long n)
      throws InterruptedException {
    long deadline = System.nanoTime() + COUNT_BOUND.toNanos();
    double last = -1;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = live.get("/metrics");
      if (r.statusCode() == 200) {
        last = Scrape.of(r.body()).sum("bmp_routes", "router", router);
        if (last == n) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        router + ": " + (long) last + " routes, not exactly " + n + ", after " + COUNT_BOUND);
  }

  /** Asks /healthz every 100 ms, each request bounded; records what failed. */
  private static final class HealthzProbe {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HEALTHZ_BOUND).build();
    private final HttpRequest request;
    private final AtomicBoolean stop = new AtomicBoolean();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger answered = new AtomicInteger();
    private final Thread thread;

    HealthzProbe(int port) {
      request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
              .timeout(HEALTHZ_BOUND)
              .build();
      thread = new Thread(this::run, "healthz-probe");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(HEALTHZ_BOUND.toMillis() * 2);
    }

    private void run() {
      while (!stop.get()) {
        try {
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            answered.incrementAndGet();
          } else {
            failures.add("status " + r.statusCode());
          }
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          failures.add(e.toString());
        }
      }
    }
  }
}
