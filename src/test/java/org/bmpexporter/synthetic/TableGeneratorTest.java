package org.bmpexporter.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bmpexporter.bgp.encode.Prefixes;
import org.junit.jupiter.api.Test;

class TableGeneratorTest {
  private static Map<Integer, Double> shares(long[] keys) {
    Map<Integer, Double> m = new HashMap<>();
    for (long k : keys) {
      m.merge(Prefixes.len(k), 1.0 / keys.length, Double::sum);
    }
    return m;
  }

  @Test
  void ipv4TableHasTheInternetLengthMixNoDuplicatesAndOnlyPublicSpace() {
    long[] t = TableGenerator.ipv4(100_000, 42);
    assertThat(t).hasSize(100_000);
    assertThat(new HashSet<>(Arrays.stream(t).boxed().toList())).hasSize(100_000);
    long[] sorted = t.clone();
    Arrays.sort(sorted);
    assertThat(t).isEqualTo(sorted);
    Map<Integer, Double> s = shares(t);
    assertThat(s.get(24)).isBetween(0.58, 0.62);
    assertThat(s.get(22)).isBetween(0.11, 0.13);
    assertThat(s.get(23)).isBetween(0.09, 0.11);
    assertThat(s.get(16)).isBetween(0.015, 0.025);
    assertThat(s.keySet()).allMatch(l -> l >= 11 && l <= 24);
    for (long k : t) {
      int a = Prefixes.v4Addr(k);
      int len = Prefixes.len(k);
      assertThat(a & ~Prefixes.mask32(len)).isZero();
      assertThat(TableGenerator.publicV4(a)).isTrue();
    }
  }

  @Test
  void ipv6TableHasTheInternetLengthMixAndNoDocumentationPrefix() {
    long[] t = TableGenerator.ipv6(50_000, 42);
    Set<Long> seen = new HashSet<>();
    for (long k : t) {
      assertThat(seen.add(k)).isTrue();
      long hi = Prefixes.v6Hi(k);
      int len = Prefixes.len(k);
      assertThat(hi & ~Prefixes.mask64(len)).isZero();
      assertThat(hi >>> 61).isEqualTo(1L); // 2000::/3
      assertThat(hi >>> 32).isNotEqualTo(0x20010db8L);
    }
    Map<Integer, Double> s = shares(t);
    assertThat(s.get(48)).isBetween(0.43, 0.47);
    assertThat(s.get(32)).isBetween(0.11, 0.13);
    assertThat(s.get(44)).isBetween(0.09, 0.11);
    assertThat(s.get(29)).isBetween(0.035, 0.045);
  }

  @Test
  void sameSeedSameTableOtherSeedOtherTable() {
    assertThat(TableGenerator.ipv4(5000, 1)).isEqualTo(TableGenerator.ipv4(5000, 1));
    assertThat(TableGenerator.ipv4(5000, 1)).isNotEqualTo(TableGenerator.ipv4(5000, 2));
    assertThat(TableGenerator.ipv6(5000, 1)).isEqualTo(TableGenerator.ipv6(5000, 1));
  }

  @Test
  void aFullSizeTableStillFindsDistinctPrefixesWhenShortLengthsRunOut() {
    long[] t = TableGenerator.ipv4(1_000_000, 9);
    assertThat(t).hasSize(1_000_000);
    assertThat(Arrays.stream(t).distinct().count()).isEqualTo(1_000_000);
  }

  @Test
  void sizesAreBounded() {
    assertThatThrownBy(() -> TableGenerator.ipv4(TableGenerator.MAX_PREFIXES + 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TableGenerator.ipv6(0, 1)).isEmpty();
  }
}
