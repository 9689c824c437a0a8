package org.bmpexporter.bench;

import java.lang.management.ManagementFactory;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.HashFlood;

/**
 * Heap bytes per tracked route: loads a full-size IPv4 table (default 1,000,000 prefixes) into one
 * peer's Adj-RIB-In through the real session code and measures the retained heap after GC. With
 * {@code ipv6-64} or {@code ipv6-128} as second argument the table is N random IPv6 /64s or /128s
 * instead (the hash-set kept families).
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   org.bmpexporter.bench.RouteMemoryBenchmark 1000000 [ipv4|ipv6-64|ipv6-128]
 * </pre>
 */
public final class RouteMemoryBenchmark {
  private RouteMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String table = args.length > 1 ? args[1] : "ipv4";
    byte[] peer = Bmp.globalPeer("192.0.2.2", 65002);
    byte[] announcements;
    switch (table) {
      case "ipv4":
        announcements = InternetTable.routeMonitoringStream(peer, InternetTable.ipv4(n, 42), 200);
        break;
      case "ipv6-64":
        announcements = HashFlood.routeMonitoringStreamV6(peer, HashFlood.random(n, 64, 42), 200);
        break;
      case "ipv6-128":
        announcements = HashFlood.routeMonitoringStreamV6(peer, HashFlood.random(n, 128, 42), 200);
        break;
      default:
        throw new IllegalArgumentException("table: ipv4, ipv6-64 or ipv6-128, not " + table);
    }
    byte[] stream = Bmp.concat(Bmp.peerUp(peer), announcements);
    RouterState router = new RouterState("192.0.2.1", "192.0.2.1", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    session.open();
    long before = usedAfterGc();
    long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    session.feed(stream, 0, stream.length);
    long t1 = System.nanoTime();
    long cpu1 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long after = usedAfterGc();
    long routes = router.routes();
    if (routes != n) {
      throw new AssertionError("expected " + n + " routes, have " + routes);
    }
    System.out.printf("routes %d%n", routes);
    System.out.printf(
        "retained heap %d bytes = %.2f bytes/route (measured after GC)%n",
        after - before, (after - before) / (double) routes);
    System.out.printf(
        "route tables' own estimate %.2f bytes/route%n", router.routeHeapBytes() / (double) routes);
    System.out.printf(
        "ingest (decode + insert, one thread, from memory) %.2f M prefixes/s%n",
        routes / ((t1 - t0) / 1e9) / 1e6);
    // CPU time of the feeding thread: less disturbed than wall time on a shared machine
    System.out.printf(
        "ingest CPU time %.3f s = %.2f M prefixes per CPU second%n",
        (cpu1 - cpu0) / 1e9, routes / ((cpu1 - cpu0) / 1e9) / 1e6);
    System.out.println(router.snapshot().peers().get(0).tables()); // keeps `router` reachable
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
