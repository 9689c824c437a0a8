package org.bmpexporter.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.bmpexporter.testing.HashFlood;
import org.junit.jupiter.api.Test;

/**
 * The route sets stay exact sets under keyed hashing, for crafted and random keys and for several
 * keys: each add, remove and size agrees with a reference set (a TreeSet, which hashes nothing).
 */
class RouteSetSemanticsTest {
  private static final int N = 20_000;
  private static final KeyedHash[] KEYS = {
    KeyedHash.PROCESS, KeyedHash.random(new Random(7)), new KeyedHash(0, 0)
  };

  /** Route keys {@code [bits][bytes]}: crafted, random and edge cases (::/0, ::/64, ::/128). */
  private static List<byte[]> ipv6Keys() {
    List<byte[]> keys = new ArrayList<>();
    keys.addAll(List.of(HashFlood.sameArraysHashCode128(N)));
    keys.addAll(List.of(HashFlood.prefixes64(HashFlood.fastutilBucketZero64(N))));
    keys.addAll(List.of(HashFlood.random(N, 128, 8)));
    keys.addAll(List.of(HashFlood.random(N, 64, 9)));
    keys.add(new byte[] {0});
    keys.add(new byte[9]);
    keys.get(keys.size() - 1)[0] = 64;
    keys.add(new byte[17]);
    keys.get(keys.size() - 1)[0] = (byte) 128;
    keys.add(new byte[] {48, 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 1});
    return keys;
  }

  @Test
  void prefixSetIsExact() {
    List<byte[]> keys = ipv6Keys();
    for (KeyedHash key : KEYS) {
      check(() -> new PrefixSet(true, key), keys);
    }
  }

  @Test
  void keySetIsExact() {
    List<byte[]> keys = ipv6Keys();
    for (KeyedHash key : KEYS) {
      check(() -> new KeySet(key), keys);
    }
  }

  @Test
  void vpnSetIsExactWithCraftedDistinguishers() {
    // RD (8 bytes) + prefix: the RDs collide in fastutil's slot 0, the prefixes are few
    long[] rds = HashFlood.fastutilBucketZero64(N);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      for (byte[] prefix : List.of(new byte[] {24, 10, 0, (byte) i}, new byte[] {8, 10})) {
        ByteBuffer b = ByteBuffer.allocate(8 + prefix.length).putLong(rds[i]).put(prefix);
        keys.add(b.array());
      }
    }
    for (KeyedHash key : KEYS) {
      check(() -> new VpnSet(false, key), keys);
    }
  }

  /** All keys added, then random adds and removes, then all removed (keys inside a buffer). */
  private static void check(Supplier<RouteSet> make, List<byte[]> keys) {
    RouteSet set = make.get();
    Set<ByteBuffer> reference = new TreeSet<>();
    Random random = new Random(11);
    byte[] buffer = new byte[64];
    for (byte[] k : keys) {
      System.arraycopy(k, 0, buffer, 3, k.length);
      assertThat(set.add(buffer, 3, k.length)).isTrue();
      reference.add(ByteBuffer.wrap(k));
    }
    assertThat(set.size()).isEqualTo(reference.size()).isEqualTo(keys.size());
    for (int op = 0; op < 4 * keys.size(); op++) {
      byte[] k = keys.get(random.nextInt(keys.size()));
      System.arraycopy(k, 0, buffer, 3, k.length);
      if (random.nextBoolean()) {
        assertThat(set.add(buffer, 3, k.length)).isEqualTo(reference.add(ByteBuffer.wrap(k)));
      } else {
        assertThat(set.remove(buffer, 3, k.length)).isEqualTo(reference.remove(ByteBuffer.wrap(k)));
      }
      if (op % 1000 == 0) {
        assertThat(set.size()).isEqualTo(reference.size());
      }
    }
    assertThat(set.size()).isEqualTo(reference.size());
    for (byte[] k : keys) {
      System.arraycopy(k, 0, buffer, 3, k.length);
      assertThat(set.remove(buffer, 3, k.length)).isEqualTo(reference.remove(ByteBuffer.wrap(k)));
    }
    assertThat(set.size()).isZero();
  }
}
