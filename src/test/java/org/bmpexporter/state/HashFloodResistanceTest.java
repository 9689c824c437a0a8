package org.bmpexporter.state;

import static org.assertj.core.api.Assertions.assertThat;

import it.unimi.dsi.fastutil.HashCommon;
import it.unimi.dsi.fastutil.longs.LongHash;
import it.unimi.dsi.fastutil.longs.LongOpenCustomHashSet;
import java.util.Arrays;
import java.util.Random;
import org.bmpexporter.testing.HashFlood;
import org.junit.jupiter.api.Test;

/**
 * Keys crafted against the former hash functions ({@link HashFlood}: 100,000 IPv6 /128s with one
 * {@code Arrays.hashCode}, 100,000 /64s in one fastutil slot, peer addresses with one record hash)
 * spread under {@link KeyedHash} like random keys do, for several keys. Work is counted in probes
 * of the real hash set and in bucket occupancy, not in time.
 */
class HashFloodResistanceTest {
  private static final int N = 100_000;
  private static final KeyedHash[] KEYS = {
    KeyedHash.PROCESS,
    KeyedHash.random(new Random(1)),
    KeyedHash.random(new Random(2)),
    new KeyedHash(0, 0)
  };

  private static final byte[][] CRAFTED_128 = HashFlood.sameArraysHashCode128(N);
  private static final long[] CRAFTED_64 = HashFlood.fastutilBucketZero64(N);

  // ------------------------------------------------------------ the attack is real

  @Test
  void crafted128sShareOneArraysHashCode() {
    int first = Arrays.hashCode(CRAFTED_128[0]);
    assertThat(Arrays.stream(CRAFTED_128).mapToInt(Arrays::hashCode).distinct())
        .containsExactly(first);
    assertThat(Arrays.stream(CRAFTED_128).map(Arrays::toString).distinct().count()).isEqualTo(N);
  }

  @Test
  void crafted64sAllStartInFastutilSlotZero() {
    for (long v : CRAFTED_64) {
      assertThat((int) HashCommon.mix(v)).isZero();
      assertThat(HashFlood.unmix(HashCommon.mix(v))).isEqualTo(v);
    }
    assertThat(Arrays.stream(CRAFTED_64).distinct().count()).isEqualTo(N);
    assertThat(Arrays.stream(CRAFTED_64).filter(v -> v == 0)).isEmpty();
  }

  @Test
  void unkeyedProbingOfCrafted64sIsQuadratic() {
    // the contrast for the probe counts below: the same set with a predictable hash
    int n = 4_000;
    CountingStrategy unkeyed = new CountingStrategy(e -> (int) HashCommon.mix(e));
    LongOpenCustomHashSet set = new LongOpenCustomHashSet(unkeyed);
    for (int i = 0; i < n; i++) {
      set.add(CRAFTED_64[i]);
    }
    assertThat(set).hasSize(n);
    assertThat(unkeyed.equalsCalls).isGreaterThan((long) n * n / 4);
  }

  // ------------------------------------------------------------ keyed: crafted as random

  @Test
  void crafted64sCostWhatRandomOnesCostInTheRealSet() {
    long[] random = new Random(3).longs(N).toArray();
    for (KeyedHash key : KEYS) {
      long crafted = probes(key, CRAFTED_64);
      long baseline = probes(key, random);
      // one null-key check per add plus the occupied slots passed: about 2-3 per add at
      // fastutil's load factor 0.75; 4 per add is far from the n/2 of a flood
      assertThat(crafted).as("probes, crafted").isLessThan(4L * N);
      assertThat(baseline).as("probes, random").isLessThan(4L * N);
      assertThat((double) crafted / baseline).isBetween(0.8, 1.25);
    }
  }

  @Test
  void crafted128sSpreadOverHashMapBucketsLikeRandomOnes() {
    byte[][] random = HashFlood.random(N, 128, 4);
    for (KeyedHash key : KEYS) {
      int crafted = maxHashMapBucket(key, CRAFTED_128);
      int baseline = maxHashMapBucket(key, random);
      // 100,000 keys in 262,144 buckets: the fullest bucket of random keys holds about 6
      assertThat(crafted).as("fullest bucket, crafted").isLessThanOrEqualTo(12);
      assertThat(baseline).as("fullest bucket, random").isLessThanOrEqualTo(12);
    }
  }

  @Test
  void peerAddressesWithOneRecordHashSpread() {
    long[] low = HashFlood.sameLongHashCode(N);
    record Unkeyed(int peerType, long distinguisher, long addressHigh, long addressLow) {}
    int[] unkeyed = new int[N];
    int[] keyed = new int[N];
    for (int i = 0; i < N; i++) {
      unkeyed[i] = new Unkeyed(0, 0, 0x20010db800000000L, low[i]).hashCode();
      keyed[i] = new RouterState.PeerKey(0, 0, 0x20010db800000000L, low[i]).hashCode();
    }
    assertThat(Arrays.stream(unkeyed).distinct().count()).isEqualTo(1);
    assertThat(maxBucket(keyed)).isLessThanOrEqualTo(12);
  }

  @Test
  void familiesAndPathIdsSpread() {
    int[] families = new int[N];
    int[] pathIds = new int[N];
    for (int i = 0; i < N; i++) {
      families[i] = KeyedHash.PROCESS.hashCode(i << 8);
      pathIds[i] = KeyedHash.PROCESS.hashCode((long) i << 16);
    }
    assertThat(maxBucket(families)).isLessThanOrEqualTo(12);
    assertThat(maxBucket(pathIds)).isLessThanOrEqualTo(12);
  }

  private static long probes(KeyedHash key, long[] values) {
    CountingStrategy counting = new CountingStrategy(key::hashCode);
    LongOpenCustomHashSet set = new LongOpenCustomHashSet(counting);
    for (long v : values) {
      set.add(v);
    }
    assertThat(set).hasSize(values.length);
    return counting.equalsCalls;
  }

  /** The fullest bucket of a java.util.HashMap holding the keys (its capacity and spreading). */
  private static int maxHashMapBucket(KeyedHash key, byte[][] keys) {
    int[] hashes = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      hashes[i] = new Key(keys[i], 0, keys[i].length, key).hashCode();
    }
    return maxBucket(hashes);
  }

  private static int maxBucket(int[] hashes) {
    int capacity = Integer.highestOneBit(((int) (hashes.length / 0.75f)) * 2 - 1);
    int[] occupancy = new int[capacity];
    int max = 0;
    for (int h : hashes) {
      int bucket = (h ^ (h >>> 16)) & (capacity - 1);
      max = Math.max(max, ++occupancy[bucket]);
    }
    return max;
  }

  /** A fastutil strategy that counts key comparisons, i.e. slots probed. */
  private static final class CountingStrategy implements LongHash.Strategy {
    interface Hash {
      int of(long e);
    }

    private final Hash hash;
    long equalsCalls;

    CountingStrategy(Hash hash) {
      this.hash = hash;
    }

    @Override
    public int hashCode(long e) {
      return hash.of(e);
    }

    @Override
    public boolean equals(long a, long b) {
      equalsCalls++;
      return a == b;
    }
  }
}
