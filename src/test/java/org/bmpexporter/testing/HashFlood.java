package org.bmpexporter.testing;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.bmpexporter.codec.ByteWriter;

/**
 * Route keys as an attacker would craft them against predictable hash functions (those the exporter
 * used for its route sets until it switched to keyed hashing), and random keys of the same shape to
 * compare with. Crafting needs nothing but the public source code and no feedback from the target:
 *
 * <ul>
 *   <li>{@link #sameArraysHashCode128}: IPv6 /128 prefixes for a {@code java.util.HashSet} of keys
 *       hashed with {@code Arrays.hashCode} of {@code [128][16 address bytes]}. That hash is a
 *       polynomial in 31 over the signed bytes, so a byte pair {@code (a, -31a)} adds {@code 31a -
 *       31a = 0} wherever it stands: every address made of eight such pairs (a = -4..4, 9^8 = 43 M
 *       addresses) has the hash of the all-zero address. {@code HashMap} only turns long bins into
 *       trees for {@code Comparable} keys, so each insert walks the whole chain.
 *   <li>{@link #fastutilBucketZero64}: IPv6 /64 prefixes for fastutil's {@code LongOpenHashSet},
 *       which puts a long {@code k} in slot {@code (int) mix(k) & mask}. {@code mix} (multiply by
 *       an odd constant, then two xor-shifts) is a bijection with a public inverse, so {@code
 *       unmix(i << 32)} for i = 1, 2, ... are distinct keys whose mixed values have 32 zero low
 *       bits: all start at slot 0 of any table up to 2^32 slots, and linear probing turns n inserts
 *       into n²/2 probes. The same longs work as route distinguishers or any other long key.
 *   <li>{@link #sameLongHashCode}: longs with equal upper and lower halves, whose {@code
 *       Long.hashCode} is 0 (peer addresses in a record key with the default {@code hashCode}).
 * </ul>
 */
public final class HashFlood {
  private HashFlood() {}

  /** fastutil's HashCommon.mix(long), as published. */
  static final long LONG_PHI = 0x9E3779B97F4A7C15L;

  /** The multiplicative inverse of {@link #LONG_PHI} modulo 2^64. */
  static final long INV_LONG_PHI = 0xF1DE83E19937733DL;

  /** The inverse of fastutil's {@code HashCommon.mix(long)}. */
  public static long unmix(long mixed) {
    long h = mixed;
    h ^= h >>> 16 ^ h >>> 32 ^ h >>> 48; // undoes h ^= h >>> 16
    h ^= h >>> 32; // undoes h ^= h >>> 32
    return h * INV_LONG_PHI; // undoes h *= LONG_PHI
  }

  /** {@code n} distinct non-zero longs that fastutil's open hash sets all put in slot 0. */
  public static long[] fastutilBucketZero64(int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = unmix((long) (i + 1) << 32);
    }
    return out;
  }

  /** {@code n} distinct longs whose {@code Long.hashCode} is 0. */
  public static long[] sameLongHashCode(int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long half = i + 1L;
      out[i] = half << 32 | half;
    }
    return out;
  }

  /**
   * {@code n} (at most 9^8) distinct IPv6 /128 route keys {@code [128][16 bytes]} that all have the
   * same {@code Arrays.hashCode}.
   */
  public static byte[][] sameArraysHashCode128(int n) {
    if (n > 43_046_721) {
      throw new IllegalArgumentException("at most 9^8 colliding addresses");
    }
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[17];
      key[0] = (byte) 128;
      int digits = i;
      for (int pair = 0; pair < 8; pair++) {
        int a = digits % 9 - 4;
        digits /= 9;
        key[1 + 2 * pair] = (byte) a;
        key[2 + 2 * pair] = (byte) (-31 * a);
      }
      out[i] = key;
    }
    return out;
  }

  /** {@code [64][8 bytes]} route keys of the values, big-endian as on the wire. */
  public static byte[][] prefixes64(long[] values) {
    byte[][] out = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      byte[] key = new byte[9];
      key[0] = 64;
      for (int b = 0; b < 8; b++) {
        key[1 + b] = (byte) (values[i] >>> (56 - 8 * b));
      }
      out[i] = key;
    }
    return out;
  }

  /** {@code n} distinct random IPv6 route keys of {@code bits} (64 or 128) bits. */
  public static byte[][] random(int n, int bits, long seed) {
    Random random = new Random(seed);
    Set<ByteBuffer> seen = new HashSet<>();
    byte[][] out = new byte[n][];
    int i = 0;
    while (i < n) {
      byte[] key = new byte[1 + bits / 8];
      random.nextBytes(key);
      key[0] = (byte) bits;
      if (seen.add(ByteBuffer.wrap(key))) {
        out[i++] = key;
      }
    }
    return out;
  }

  /**
   * A BMP stream announcing IPv6 route keys ({@code [bits][bytes]}) for one peer, {@code perUpdate}
   * prefixes per UPDATE (MP_REACH_NLRI), as a router sends its table.
   */
  public static byte[] routeMonitoringStreamV6(
      byte[] peerHeader, byte[][] prefixes, int perUpdate) {
    return routeMonitoringStreamV6(peerHeader, prefixes, perUpdate, true);
  }

  /** As above, announcing (MP_REACH_NLRI) or withdrawing (MP_UNREACH_NLRI) the prefixes. */
  public static byte[] routeMonitoringStreamV6(
      byte[] peerHeader, byte[][] prefixes, int perUpdate, boolean announce) {
    ByteWriter stream = Bmp.w();
    for (int i = 0; i < prefixes.length; i += perUpdate) {
      ByteWriter nlri = Bmp.w();
      for (int j = i; j < Math.min(prefixes.length, i + perUpdate); j++) {
        nlri.bytes(prefixes[j]);
      }
      stream.bytes(Bmp.routeMonitoring(peerHeader, Bmp.updateV6(announce, nlri.toByteArray())));
    }
    return stream.toByteArray();
  }
}
