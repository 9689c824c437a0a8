package org.bmpexporter.synthetic;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.Arrays;
import org.bmpexporter.bgp.encode.Prefixes;

/**
 * Deterministic (seeded) IPv4 and IPv6 unicast tables with the prefix-length mix of today's
 * Internet table, without duplicates, sorted in address order (the order of a RIB walk).
 *
 * <p>IPv4 weights (percent): /24 60, /22 12, /23 10, /20 4.5, /21 4.5, /19 3, /16 2, /18 1.5, /17
 * 1, /15 0.5, /14 0.4, /13 0.3, /12 0.2, /11 0.1 — approximately the RIPE RIS / RouteViews
 * full-table distribution of the 2020s. IPv6: /48 45, /32 12, /44 10, /40 8, /36 5, /29 4, /46 3,
 * /47 3, /45 2, /42 2, /38 1, /34 1, /33 1, /31 0.7, /30 0.8, /28 0.5, /41 0.5, /43 0.5. Addresses
 * are drawn from the public unicast space (IPv4 1-223 without private, loopback, CGN, link-local,
 * benchmarking and documentation ranges; IPv6 from the RIR blocks in 2001::/16 … 2c0f::/16 without
 * 2001:db8::/32). When a length's space runs out (tiny /11-/14 pools with very large tables), the
 * draw falls back to /24 (/48).
 */
public final class TableGenerator {
  static final int[] V4_LENS = {24, 22, 23, 20, 21, 19, 16, 18, 17, 15, 14, 13, 12, 11};
  static final double[] V4_WEIGHTS = {60, 12, 10, 4.5, 4.5, 3, 2, 1.5, 1, 0.5, 0.4, 0.3, 0.2, 0.1};
  static final int[] V6_LENS = {
    48, 32, 44, 40, 36, 29, 46, 47, 45, 42, 38, 34, 33, 31, 30, 28, 41, 43
  };
  static final double[] V6_WEIGHTS = {
    45, 12, 10, 8, 5, 4, 3, 3, 2, 2, 1, 1, 1, 0.7, 0.8, 0.5, 0.5, 0.5
  };

  /** IPv6 first 16 bits: RIR blocks (inclusive ranges). */
  private static final int[][] V6_BLOCKS = {
    {0x2001, 0x2001},
    {0x2400, 0x240f},
    {0x2600, 0x2610},
    {0x2800, 0x2803},
    {0x2a00, 0x2a14},
    {0x2c0f, 0x2c0f}
  };

  public static final int MAX_PREFIXES = 8_000_000;

  private TableGenerator() {}

  /** A sorted, duplicate-free table of {@code n} IPv4 prefix keys ({@link Prefixes#v4}). */
  public static long[] ipv4(int n, long seed) {
    return draw(
        n,
        new Rng(Rng.mix(seed, 4)),
        V4_WEIGHTS,
        V4_LENS,
        32,
        24,
        "IPv4",
        (r, len) -> {
          int first = 1 + r.nextInt(223);
          int addr = (first << 24) | r.nextInt(1 << 24);
          addr &= Prefixes.mask32(len);
          return publicV4(addr) ? Prefixes.v4(addr, len) : NONE;
        });
  }

  /** A sorted, duplicate-free table of {@code n} IPv6 prefix keys ({@link Prefixes#v6}). */
  public static long[] ipv6(int n, long seed) {
    int blockSpan = 0;
    for (int[] b : V6_BLOCKS) {
      blockSpan += b[1] - b[0] + 1;
    }
    int span = blockSpan;
    return draw(
        n,
        new Rng(Rng.mix(seed, 6)),
        V6_WEIGHTS,
        V6_LENS,
        128,
        48,
        "IPv6",
        (r, len) -> {
          int pick = r.nextInt(span);
          int top16 = 0;
          for (int[] b : V6_BLOCKS) {
            int width = b[1] - b[0] + 1;
            if (pick < width) {
              top16 = b[0] + pick;
              break;
            }
            pick -= width;
          }
          long hi = ((long) top16 << 48) | (r.nextLong() >>> 16);
          hi &= Prefixes.mask64(len);
          // not the documentation prefix 2001:db8::/32
          return (hi >>> 32) == 0x20010db8L ? NONE : Prefixes.v6(hi, len);
        });
  }

  /** A key drawn for a prefix length, or {@link #NONE} to draw again. */
  private interface KeyDraw {
    long key(Rng r, int len);
  }

  private static final long NONE = -1;

  /**
   * Draws {@code n} distinct keys: a length by the weights, then a key of that length. A length
   * that keeps producing duplicates (64 in a row) is exhausted and replaced by {@code fallbackLen}.
   */
  private static long[] draw(
      int n,
      Rng r,
      double[] weights,
      int[] lens,
      int maxLen,
      int fallbackLen,
      String family,
      KeyDraw keys) {
    check(n);
    double[] cum = cumulative(weights);
    boolean[] exhausted = new boolean[maxLen + 1];
    int[] failures = new int[maxLen + 1];
    LongOpenHashSet seen = new LongOpenHashSet(n);
    long[] out = new long[n];
    int k = 0;
    long attempts = 0;
    long maxAttempts = 50L * n + 10_000;
    while (k < n) {
      if (++attempts > maxAttempts) {
        throw new IllegalStateException(
            "could not draw " + n + " distinct " + family + " prefixes");
      }
      int len = lens[draw(cum, r.nextDouble())];
      if (exhausted[len]) {
        len = fallbackLen;
      }
      long key = keys.key(r, len);
      if (key == NONE) {
        continue;
      }
      if (seen.add(key)) {
        out[k++] = key;
        failures[len] = 0;
      } else if (++failures[len] > 64) {
        exhausted[len] = true;
      }
    }
    Arrays.sort(out);
    return out;
  }

  private static void check(int n) {
    if (n < 0 || n > MAX_PREFIXES) {
      throw new IllegalArgumentException("table size must be 0.." + MAX_PREFIXES + ", not " + n);
    }
  }

  static boolean publicV4(int addr) {
    int a = addr >>> 24;
    int b = (addr >>> 16) & 0xff;
    int c = (addr >>> 8) & 0xff;
    if (a == 0 || a == 10 || a == 127 || a >= 224) {
      return false;
    }
    if (a == 100 && (b & 0xc0) == 64) {
      return false; // 100.64/10
    }
    if (a == 169 && b == 254 || a == 172 && (b & 0xf0) == 16 || a == 192 && b == 168) {
      return false;
    }
    if (a == 198 && (b & 0xfe) == 18) {
      return false; // 198.18/15
    }
    return !(a == 192 && b == 0 && c == 2
        || a == 198 && b == 51 && c == 100
        || a == 203 && b == 0 && c == 113);
  }

  private static double[] cumulative(double[] w) {
    double total = 0;
    for (double x : w) {
      total += x;
    }
    double[] c = new double[w.length];
    double acc = 0;
    for (int i = 0; i < w.length; i++) {
      acc += w[i] / total;
      c[i] = acc;
    }
    c[w.length - 1] = 1.0;
    return c;
  }

  private static int draw(double[] cum, double u) {
    for (int i = 0; i < cum.length; i++) {
      if (u < cum[i]) {
        return i;
      }
    }
    return cum.length - 1;
  }
}
