package org.bmpexporter.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrefixSetTest {
  private static byte[] v4(int a, int b, int c, int bits) {
    return new byte[] {(byte) bits, (byte) a, (byte) b, (byte) c};
  }

  @Test
  void aLengthEmptiedByWithdrawalsTakesPrefixesAgainWithExactCounts() {
    PrefixSet s = new PrefixSet(false);
    byte[] p = v4(10, 0, 0, 24);
    byte[] q = v4(10, 0, 1, 24);
    assertThat(s.add(p, 0, 4)).isTrue(); // the length's first prefix
    assertThat(s.add(p, 0, 4)).isFalse();
    assertThat(s.add(q, 0, 4)).isTrue();
    assertThat(s.remove(p, 0, 4)).isTrue();
    assertThat(s.remove(q, 0, 4)).isTrue(); // the length is empty now
    assertThat(s.remove(q, 0, 4)).isFalse();
    assertThat(s.size()).isZero();
    assertThat(s.add(q, 0, 4)).isTrue();
    assertThat(s.add(q, 0, 4)).isFalse();
    assertThat(s.size()).isEqualTo(1);
    assertThat(s.heapBytes()).isPositive();
  }

  @Test
  void aDenseRunOfSlash24sCountsEveryPrefixOnce() {
    PrefixSet s = new PrefixSet(false);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 70_000; i++) {
        byte[] k = v4(100 + (i >>> 16), (i >>> 8) & 0xff, i & 0xff, 24);
        assertThat(s.add(k, 0, 4)).isEqualTo(round == 0);
      }
    }
    assertThat(s.size()).isEqualTo(70_000);
  }
}
