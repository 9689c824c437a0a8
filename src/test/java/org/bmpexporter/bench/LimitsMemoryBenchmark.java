package org.bmpexporter.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.metrics.BmpCollector;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.testing.Bmp;

/**
 * What the {@code bmp.limits} bound, measured through the real session code: retained heap and
 * {@code /metrics} bytes per peer (Peer Up and one route each), and retained heap per route for the
 * costliest prefixes, random IPv6 /128s.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   org.bmpexporter.bench.LimitsMemoryBenchmark 10000 2000000
 * </pre>
 */
public final class LimitsMemoryBenchmark {
  private LimitsMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int routes = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    peers(peers);
    ipv6HostRoutes(routes);
  }

  private static void peers(int n) throws IOException, InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      byte[] peer =
          Bmp.globalPeer("10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff), 65000);
      out.writeBytes(Bmp.peerUp(peer));
      out.writeBytes(
          Bmp.routeMonitoring(peer, Bmp.updateV4(new byte[0], Bmp.nlri("192.0.2.0/24"))));
    }
    byte[] stream = out.toByteArray();
    RouterState router = new RouterState("192.0.2.1", "192.0.2.1", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    session.open();
    long before = usedAfterGc();
    session.feed(stream, 0, stream.length);
    long after = usedAfterGc();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
        .write(
            text,
            BmpCollector.collect(List.of(router.snapshot())),
            io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
    long series =
        text.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).count();
    System.out.printf(
        "peers %d: retained heap %.0f bytes/peer (Peer Up + 1 route), /metrics %.0f bytes and"
            + " %.1f series per peer%n",
        router.snapshot().peers().size(),
        (after - before) / (double) n,
        text.size() / (double) n,
        series / (double) n);
  }

  private static void ipv6HostRoutes(int n) throws InterruptedException {
    byte[] peer = Bmp.globalPeer("2001:db8::2", 65002);
    Random random = new Random(42);
    ByteWriter stream = Bmp.w().bytes(Bmp.peerUp(peer));
    int perUpdate = 200;
    for (int i = 0; i < n; i += perUpdate) {
      ByteWriter nlri = Bmp.w();
      for (int j = i; j < Math.min(n, i + perUpdate); j++) {
        byte[] address = new byte[16];
        random.nextBytes(address);
        nlri.u8(128).bytes(address);
      }
      stream.bytes(Bmp.routeMonitoring(peer, Bmp.updateV6(true, nlri.toByteArray())));
    }
    byte[] bytes = stream.toByteArray();
    RouterState router = new RouterState("192.0.2.1", "192.0.2.1", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    session.open();
    long before = usedAfterGc();
    session.feed(bytes, 0, bytes.length);
    long after = usedAfterGc();
    System.out.printf(
        "random IPv6 /128s %d: retained heap %.1f bytes/route%n",
        router.routes(), (after - before) / (double) router.routes());
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
