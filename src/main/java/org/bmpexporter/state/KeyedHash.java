package org.bmpexporter.state;

import it.unimi.dsi.fastutil.ints.IntHash;
import it.unimi.dsi.fastutil.longs.LongHash;
import java.security.SecureRandom;
import java.util.Random;

/**
 * SipHash-1-3 under a secret key, for the hash tables whose keys a BMP sender chooses (prefixes,
 * route distinguishers, path identifiers, address families, peer addresses). Unkeyed hashes let a
 * sender craft keys that all land in one bucket (fastutil's {@code mix} is invertible, {@code
 * Arrays.hashCode} is a polynomial), which turns each insert into a walk over all earlier keys;
 * with a random key per process the bucket of a key cannot be predicted, so crafted keys cost what
 * random ones cost. SipHash-1-3 is what Rust's standard hash tables use for the same reason.
 *
 * <p>As a fastutil strategy it replaces the default hashing of the open hash sets and maps: they
 * then spread {@link #hashCode(long)} further and keep their memory layout (one primitive array).
 */
final class KeyedHash implements LongHash.Strategy, IntHash.Strategy {
  /** The process's key, drawn once from the operating system's random source. */
  static final KeyedHash PROCESS = random(new SecureRandom());

  private static final long V0 = 0x736f6d6570736575L;
  private static final long V1 = 0x646f72616e646f6dL;
  private static final long V2 = 0x6c7967656e657261L;
  private static final long V3 = 0x7465646279746573L;

  private final long k0;
  private final long k1;

  KeyedHash(long k0, long k1) {
    this.k0 = k0;
    this.k1 = k1;
  }

  static KeyedHash random(Random random) {
    return new KeyedHash(random.nextLong(), random.nextLong());
  }

  /** SipHash-1-3 of the 8 bytes of {@code m} in little-endian order. */
  long hash(long m) {
    long v0 = k0 ^ V0;
    long v1 = k1 ^ V1;
    long v2 = k0 ^ V2;
    long v3 = k1 ^ V3;
    // one message word, then the final word (length 8 in the top byte): one round each
    for (int word = 0; word < 2; word++) {
      long w = word == 0 ? m : 8L << 56;
      v3 ^= w;
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
      v0 ^= w;
    }
    v2 ^= 0xff;
    for (int round = 0; round < 3; round++) {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  /** SipHash-1-3 of {@code len} bytes. */
  long hash(byte[] b, int off, int len) {
    return sipHash(k0, k1, b, off, len, 1, 3);
  }

  /**
   * SipHash-c-d (the reference algorithm with {@code c} compression and {@code d} finalization
   * rounds; SipHash-2-4 is the paper's, 1-3 the hash-table variant).
   */
  static long sipHash(long k0, long k1, byte[] b, int off, int len, int c, int d) {
    long v0 = k0 ^ V0;
    long v1 = k1 ^ V1;
    long v2 = k0 ^ V2;
    long v3 = k1 ^ V3;
    int end = off + len;
    int whole = off + (len & ~7);
    for (int p = off; p <= whole; p += 8) {
      long w;
      if (p < whole) {
        w = 0;
        for (int i = 7; i >= 0; i--) {
          w = w << 8 | (b[p + i] & 0xffL);
        }
      } else {
        // the last 0-7 bytes, with the length's low byte on top
        w = (long) len << 56;
        for (int i = end - 1; i >= p; i--) {
          w |= (b[i] & 0xffL) << (8 * (i - p));
        }
      }
      v3 ^= w;
      for (int r = 0; r < c; r++) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13) ^ v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16) ^ v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21) ^ v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17) ^ v2;
        v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= w;
    }
    v2 ^= 0xff;
    for (int r = 0; r < d; r++) {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  /** A keyed hash of a fixed number of words: each word enters the hash of the ones before. */
  long hash(long a, long b, long c, long d) {
    return hash(hash(hash(hash(a) ^ b) ^ c) ^ d);
  }

  /** 32 bits of the keyed hash, for {@code hashCode()} and fastutil. */
  static int fold(long h) {
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public int hashCode(long e) {
    return fold(hash(e));
  }

  @Override
  public boolean equals(long a, long b) {
    return a == b;
  }

  @Override
  public int hashCode(int e) {
    return fold(hash(e));
  }

  @Override
  public boolean equals(int a, int b) {
    return a == b;
  }
}
