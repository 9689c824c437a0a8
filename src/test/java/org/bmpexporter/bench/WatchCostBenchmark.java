package org.bmpexporter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.state.StateLimits;
import org.bmpexporter.state.WatchList;
import org.bmpexporter.state.Watches;
import org.bmpexporter.testing.Bmp;

/**
 * What a watch list costs the route path: one synthetic Internet-like IPv4 table (one prefix per
 * Route Monitoring message, as FRR sends it, the costliest case per route) is fed in 64 KiB reads
 * into a fresh router's session on one thread, alternately without a watch list and with WATCHED
 * entries (a fifth of them prefixes of the table, so their UPDATEs are matched and their AS_PATH
 * read; the rest random /20-/24 prefixes, most absent but sharing /16 blocks with table routes).
 * Per round the thread's CPU time per message; then the median of each and their ratio.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   org.bmpexporter.bench.WatchCostBenchmark [PREFIXES] [WATCHED] [ROUNDS] [near|far]
 * </pre>
 */
public final class WatchCostBenchmark {
  private WatchCostBenchmark() {}

  private static final int READ = 64 * 1024;

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int watched = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    byte[][] prefixes = InternetTable.ipv4(n, 42);
    byte[] peer = Bmp.globalPeer("192.0.2.2", 65002);
    byte[] stream =
        Bmp.concat(
            Bmp.initiation("bench", "watch cost"),
            Bmp.peerUp(peer),
            InternetTable.routeMonitoringStream(peer, prefixes, 1));
    long messages = n + 2L;
    // "far": every watched prefix in 240.0.0.0/4, where no table route is: the fixed cost alone
    boolean far = args.length > 3 && args[3].equals("far");
    WatchList list = watchList(prefixes, watched, new Random(7), far);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Double> without = new ArrayList<>();
    List<Double> with = new ArrayList<>();
    long present = -1;
    long moreSpecifics = -1;
    // rounds 0 and 1 of each warm the JIT and are left out of the medians
    for (int r = 0; r < 2 * (rounds + 1); r++) {
      boolean watching = r % 2 == 1;
      Watches watches = watching ? new Watches(list) : Watches.none();
      RouterState router =
          new RouterState(
              "127.0.1." + (r + 1),
              "127.0.1." + (r + 1),
              Runnable::run,
              StateLimits.unlimited(),
              watches);
      BmpSession session = new BmpSession(router, 1 << 20, () -> 1000.0);
      session.open();
      System.gc(); // the previous round's table is not collected on this round's time
      long cpu0 = threads.getCurrentThreadCpuTime();
      for (int off = 0; off < stream.length; off += READ) {
        session.feed(stream, off, Math.min(READ, stream.length - off));
      }
      long cpu1 = threads.getCurrentThreadCpuTime();
      if (router.routes() != n) {
        throw new IllegalStateException(router.routes() + " routes, not " + n);
      }
      double ns = (cpu1 - cpu0) / (double) messages;
      if (watching) {
        List<Snapshots.Watched> state = router.snapshot().peers().get(0).watched();
        long seen = state.stream().filter(w -> w.present()).count();
        long more = state.stream().mapToLong(Snapshots.Watched::moreSpecifics).sum();
        if (present >= 0 && (seen != present || more != moreSpecifics)) {
          throw new IllegalStateException(
              seen
                  + " watched prefixes present and "
                  + more
                  + " more-specifics, not "
                  + present
                  + " and "
                  + moreSpecifics);
        }
        present = seen;
        moreSpecifics = more;
      }
      if (r >= 2) {
        (watching ? with : without).add(ns);
      }
      System.out.printf(
          "round %d %s: %.0f ns CPU/message%n", r / 2, watching ? "with   " : "without", ns);
      session.close("round done");
    }
    double a = median(without);
    double b = median(with);
    // each round with the list against the round just before it without: load that comes and goes
    // over seconds on a shared machine hits both alike
    List<Double> paired = new ArrayList<>();
    for (int i = 0; i < with.size(); i++) {
      paired.add(with.get(i) / without.get(i) - 1);
    }
    System.out.printf(
        "%d prefixes, %d watched (%d present, %d more-specifics of them in the table):"
            + " median %.1f ns/message without, %.1f with: %+.1f %%; median of the %d paired"
            + " rounds %+.1f %%%n",
        n,
        watched,
        present,
        moreSpecifics,
        a,
        b,
        (b / a - 1) * 100,
        paired.size(),
        median(paired) * 100);
  }

  /** A fifth of the entries are prefixes of the table, the rest random /20-/24 prefixes. */
  static WatchList watchList(byte[][] table, int size, Random random, boolean far) {
    Set<String> seen = new LinkedHashSet<>();
    List<WatchList.Entry> entries = new ArrayList<>();
    while (entries.size() < size) {
      byte[] net;
      int bits;
      if (entries.size() % 5 == 0 && !far) {
        byte[] p = table[random.nextInt(table.length)];
        bits = p[0] & 0xff;
        net = Arrays.copyOfRange(p, 1, 5);
      } else {
        bits = 20 + random.nextInt(5);
        int addr =
            far
                ? 0xf0000000 | random.nextInt(1 << 28)
                : (1 + random.nextInt(223)) << 24 | random.nextInt(1 << 24);
        addr &= bits == 0 ? 0 : -1 << (32 - bits);
        net =
            new byte[] {
              (byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr
            };
      }
      String key = Arrays.toString(net) + "/" + bits;
      if (seen.add(key)) {
        entries.add(
            new WatchList.Entry("w" + entries.size(), net, bits, "", Set.of(64512L), false));
      }
    }
    return new WatchList(entries, 10_000);
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }
}
