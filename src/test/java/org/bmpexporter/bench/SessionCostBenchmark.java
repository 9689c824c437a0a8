package org.bmpexporter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;

/**
 * The per-message cost of a BMP session without the network: a recorded stream (e.g. the FRR dump
 * of {@code bench/frr-dump.sh}) is fed in 64 KiB reads into a fresh router's session on one thread,
 * ROUNDS times; per round the thread's CPU time per message and the message rate. Round 0 runs in a
 * JVM that has not compiled the path yet. It uses only the session's public API, so the same class
 * measures another build's classes: put that build's jar on the class path instead of
 * target/classes.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   org.bmpexporter.bench.SessionCostBenchmark FILE.bin [ROUNDS]
 * java -Xmx4g -cp target/test-classes:OTHER/bmp-exporter.jar \
 *   org.bmpexporter.bench.SessionCostBenchmark FILE.bin [ROUNDS]
 * </pre>
 */
public final class SessionCostBenchmark {
  private SessionCostBenchmark() {}

  private static final int READ = 64 * 1024;

  public static void main(String[] args) throws Exception {
    byte[] stream = Files.readAllBytes(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    long messages = countMessages(stream);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] ns = new double[rounds];
    long expected = -1;
    for (int r = 0; r < rounds; r++) {
      RouterState router =
          new RouterState("127.0.1." + (r + 1), "127.0.1." + (r + 1), Runnable::run);
      BmpSession session = new BmpSession(router, 1 << 20, () -> 1000.0);
      session.open();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int off = 0; off < stream.length; off += READ) {
        session.feed(stream, off, Math.min(READ, stream.length - off));
      }
      long t1 = System.nanoTime();
      long cpu1 = threads.getCurrentThreadCpuTime();
      long routes = router.routes();
      if (expected < 0) {
        expected = routes;
      } else if (routes != expected) {
        throw new IllegalStateException("round " + r + ": " + routes + " routes, not " + expected);
      }
      ns[r] = (cpu1 - cpu0) / (double) messages;
      System.out.printf(
          "round %d: %d messages, %d routes: %.0f ns CPU/message, %.2f M messages/s (wall %.3f s)%n",
          r, messages, routes, ns[r], messages / ((t1 - t0) / 1e3), (t1 - t0) / 1e9);
      session.close("round done");
    }
    if (rounds > 2) {
      double[] warm = Arrays.copyOfRange(ns, 1, rounds);
      Arrays.sort(warm);
      System.out.printf(
          "rounds 1-%d: median %.0f ns CPU/message (%.0f-%.0f); round 0 (cold JIT) %.0f%n",
          rounds - 1, warm[warm.length / 2], warm[0], warm[warm.length - 1], ns[0]);
    }
  }

  private static long countMessages(byte[] b) {
    long n = 0;
    int off = 0;
    while (off + 6 <= b.length) {
      int len =
          ((b[off + 1] & 0xff) << 24)
              | ((b[off + 2] & 0xff) << 16)
              | ((b[off + 3] & 0xff) << 8)
              | (b[off + 4] & 0xff);
      if (len < 6 || off + len > b.length) {
        break;
      }
      n++;
      off += len;
    }
    return n;
  }
}
