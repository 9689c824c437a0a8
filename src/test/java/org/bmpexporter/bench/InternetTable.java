package org.bmpexporter.bench;

import java.util.Random;
import org.bmpexporter.testing.Bmp;

/**
 * Synthetic full tables for benchmarks: distinct IPv4 prefixes with the length mix of today's
 * Internet table (about 60% /24), packed into BMP Route Monitoring messages the way routers do.
 */
public final class InternetTable {
  /** Cumulative share per IPv4 prefix length (roughly the 2024-2025 DFZ). */
  private static final int[] LENGTHS = {24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12};
  private static final double[] SHARE = {0.60, 0.07, 0.12, 0.05, 0.05, 0.035, 0.02, 0.015,
      0.013, 0.005, 0.004, 0.003, 0.005};

  private InternetTable() {}

  /**
   * {@code n} distinct IPv4 prefixes as {@code [bits][4 address bytes]} records, in address
   * order as a router walks its RIB for a table dump.
   */
  public static byte[][] ipv4(int n, long seed) {
    byte[][] out = ipv4Random(n, seed);
    java.util.Arrays.sort(out, (a, b) -> {
      for (int i = 1; i < 5; i++) {
        int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a[0], b[0]);
    });
    return out;
  }

  /** The same prefixes in random order (churn, worst case for the route tables). */
  public static byte[][] ipv4Random(int n, long seed) {
    Random r = new Random(seed);
    java.util.HashSet<Long> seen = new java.util.HashSet<>(n * 2);
    byte[][] out = new byte[n][];
    int i = 0;
    while (i < n) {
      double x = r.nextDouble();
      int bits = 24;
      double acc = 0;
      for (int k = 0; k < LENGTHS.length; k++) {
        acc += SHARE[k];
        if (x < acc) {
          bits = LENGTHS[k];
          break;
        }
      }
      // public unicast space 1.0.0.0 - 223.255.255.255
      long addr = (1L << 24) + (long) (r.nextDouble() * ((223L << 24) - (1L << 24)));
      addr &= (0xffffffffL << (32 - bits)) & 0xffffffffL;
      if (seen.add(addr << 6 | bits)) {
        out[i++] = new byte[] {(byte) bits, (byte) (addr >>> 24), (byte) (addr >>> 16),
            (byte) (addr >>> 8), (byte) addr};
      }
    }
    return out;
  }

  /** A BMP stream announcing the prefixes, {@code perUpdate} per UPDATE, for one peer. */
  public static byte[] routeMonitoringStream(byte[] peerHeader, byte[][] prefixes, int perUpdate) {
    Bmp.W stream = new Bmp.W();
    for (int i = 0; i < prefixes.length; i += perUpdate) {
      Bmp.W nlri = new Bmp.W();
      for (int j = i; j < Math.min(prefixes.length, i + perUpdate); j++) {
        byte[] p = prefixes[j];
        int bytes = ((p[0] & 0xff) + 7) / 8;
        nlri.u8(p[0]);
        for (int b = 0; b < bytes; b++) {
          nlri.u8(p[1 + b]);
        }
      }
      stream.bytes(Bmp.routeMonitoring(peerHeader, Bmp.updateV4(new byte[0], nlri.done())));
    }
    return stream.done();
  }
}
