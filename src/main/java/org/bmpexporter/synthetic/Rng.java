package org.bmpexporter.synthetic;

/**
 * SplitMix64: a tiny deterministic generator (same sequence on every JVM) plus the stateless {@link
 * #mix} used to derive per-(peer, prefix) decisions without storing them.
 */
public final class Rng {
  private long state;

  public Rng(long seed) {
    state = seed;
  }

  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public static long mix(long a, long b) {
    return mix(a * 0x9e3779b97f4a7c15L + mix(b));
  }

  public static long mix(long a, long b, long c) {
    return mix(mix(a, b), c);
  }

  public static long mix(long a, long b, long c, long d) {
    return mix(mix(a, b, c), d);
  }

  public long nextLong() {
    state += 0x9e3779b97f4a7c15L;
    return mix(state);
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound) from a stateless hash. */
  public static int pick(long hash, int bound) {
    return (int) Long.remainderUnsigned(hash, bound);
  }
}
