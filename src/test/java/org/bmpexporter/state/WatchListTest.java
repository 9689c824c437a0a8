package org.bmpexporter.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The IPv4 route check against a brute-force comparison, every prefix length from /0 to /32. */
class WatchListTest {

  private static int mask(int bits) {
    return bits == 0 ? 0 : -1 << (32 - bits);
  }

  /** {@code [bits][prefix bytes]} at offset 3, after and followed by bytes that are no key. */
  private static byte[] key(int addr, int bits, byte filler) {
    byte[] b = new byte[3 + 1 + 4 + 4];
    Arrays.fill(b, filler);
    b[3] = (byte) bits;
    int bytes = (bits + 7) / 8;
    for (int i = 0; i < bytes; i++) {
      b[4 + i] = (byte) (addr >>> (24 - 8 * i));
    }
    return b;
  }

  @Test
  void candidateAndMatchFindExactlyTheWatchedPrefixesARouteIsOrLiesWithin() {
    Random random = new Random(11);
    for (int trial = 0; trial < 20; trial++) {
      List<WatchList.Entry> entries = new ArrayList<>();
      Set<String> unique = new HashSet<>();
      List<int[]> watched = new ArrayList<>(); // {network, bits}
      // clustered under a few /6s so that short and long watched prefixes overlap routes
      int base = random.nextInt(64) << 26;
      while (entries.size() < 40) {
        int bits = random.nextInt(33);
        int net = (base | random.nextInt(1 << 26)) & mask(bits);
        if (random.nextInt(8) == 0) {
          net = random.nextInt() & mask(bits);
        }
        if (unique.add(net + "/" + bits)) {
          byte[] n = {(byte) (net >>> 24), (byte) (net >>> 16), (byte) (net >>> 8), (byte) net};
          entries.add(new WatchList.Entry("w" + entries.size(), n, bits, "", Set.of(), true));
          watched.add(new int[] {net, bits});
        }
      }
      WatchList list = new WatchList(entries, 10);
      for (int r = 0; r < 5_000; r++) {
        int bits = random.nextInt(33);
        // host bits as sent: sometimes set, and only the prefix's own bytes are read
        int addr = base | random.nextInt(1 << 26);
        if (random.nextBoolean()) {
          addr &= mask(bits);
        }
        if (random.nextInt(4) == 0) {
          int[] w = watched.get(random.nextInt(watched.size()));
          addr = w[0] | (addr & ~mask(w[1]));
          bits = Math.max(bits, w[1]);
        }
        byte[] key = key(addr, bits, (byte) random.nextInt(256));
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < watched.size(); i++) {
          int[] w = watched.get(i);
          if (w[1] <= bits && (addr & mask(w[1])) == w[0]) {
            expected.add(i + (w[1] == bits ? " exact" : " more"));
          }
        }
        Set<String> found = new TreeSet<>();
        if (list.candidate(false, key, 3)) {
          list.match(
              false,
              key,
              3,
              "",
              0,
              false,
              (t, exact) -> found.add(t + (exact ? " exact" : " more")));
        }
        assertThat(found).as("route %08x/%d against %s", addr, bits, entries).isEqualTo(expected);
      }
    }
  }

  @Test
  void onePrefixWatchedUnderSeveralRdsMatchesEachWhereItsRdDoes() {
    byte[] net = {(byte) 192, 0, 2, 0};
    WatchList list =
        new WatchList(
            List.of(
                new WatchList.Entry("a", net, 24, "65000:100", Set.of(), false),
                new WatchList.Entry("b", net, 24, "65000:200", Set.of(), false),
                new WatchList.Entry("c", net, 24, "", Set.of(), false)),
            10);
    byte[] route = key(0xc0000200, 24, (byte) 0);
    byte[] inside = key(0xc0000280, 25, (byte) 0);
    assertThat(list.candidate(false, route, 3)).isTrue();
    List<String> found = new ArrayList<>();
    list.match(false, route, 3, "65000:200", 0, false, (t, exact) -> found.add(t + " " + exact));
    assertThat(found).containsExactly("1 true", "2 true");
    found.clear();
    list.match(
        false, inside, 3, "", 65000L << 32 | 100, true, (t, exact) -> found.add(t + " " + exact));
    assertThat(found).containsExactly("0 false", "2 false");
  }
}
