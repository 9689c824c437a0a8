package org.bmpexporter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BufferBudgetTest {
  private final AtomicLong clock = new AtomicLong();
  private final List<String> evicted = new ArrayList<>();

  private BufferBudget.Account account(BufferBudget budget, String name) {
    return budget.account(() -> evicted.add(name));
  }

  @Test
  void grantsUntilTheLimitThenEvictsTheLargestHolder() {
    BufferBudget budget = new BufferBudget(100, clock::incrementAndGet);
    BufferBudget.Account small = account(budget, "small");
    BufferBudget.Account big = account(budget, "big");
    BufferBudget.Account asking = account(budget, "asking");
    assertThat(small.grow(10)).isTrue();
    assertThat(big.grow(80)).isTrue();
    assertThat(budget.used()).isEqualTo(90);

    assertThat(asking.grow(20)).isTrue(); // 110 > 100: "big" goes, "asking" gets its bytes
    assertThat(evicted).containsExactly("big");
    assertThat(big.evicted()).isTrue();
    assertThat(big.held()).isZero();
    assertThat(budget.used()).isEqualTo(30);
    assertThat(budget.evictions()).isEqualTo(1);
    assertThat(big.grow(1)).isFalse(); // an evicted account stays refused
    assertThat(evicted).containsExactly("big"); // and its action ran once
  }

  @Test
  void theAskingAccountIsEvictedWhenItWouldBeTheLargest() {
    BufferBudget budget = new BufferBudget(100, clock::incrementAndGet);
    BufferBudget.Account other = account(budget, "other");
    BufferBudget.Account asking = account(budget, "asking");
    assertThat(other.grow(40)).isTrue();
    assertThat(asking.grow(50)).isTrue();
    assertThat(asking.grow(20)).isFalse(); // 70 would be the largest: it goes, not "other"
    assertThat(evicted).containsExactly("asking");
    assertThat(other.held()).isEqualTo(40);
    assertThat(budget.used()).isEqualTo(40);
  }

  @Test
  void amongEqualHoldersTheOldestGoes() {
    BufferBudget budget = new BufferBudget(100, clock::incrementAndGet);
    BufferBudget.Account first = account(budget, "first");
    BufferBudget.Account second = account(budget, "second");
    BufferBudget.Account third = account(budget, "third");
    first.grow(40);
    second.grow(40);
    assertThat(third.grow(30)).isTrue();
    assertThat(evicted).containsExactly("first");
  }

  @Test
  void shrinkAndReleaseGiveBytesBack() {
    BufferBudget budget = new BufferBudget(100, clock::incrementAndGet);
    BufferBudget.Account a = account(budget, "a");
    a.grow(60);
    a.shrink(20);
    assertThat(budget.used()).isEqualTo(40);
    a.release();
    assertThat(budget.used()).isZero();
    assertThat(a.grow(100)).isTrue();
    assertThat(evicted).isEmpty();
  }

  @Test
  void aFramerBuffersOnlyWhatArrivedNotWhatTheHeaderAnnounced() {
    BufferBudget budget = new BufferBudget(1 << 30);
    BmpFramer framer = new BmpFramer(1 << 20, budget.account(() -> {}));
    byte[] header = {3, 0, 0x0f, (byte) 0xff, (byte) 0xff, 4, 0, 0, 0, 0}; // 1,048,575 bytes
    framer.feed(header, 0, header.length, (b, o, l) -> {});
    assertThat(budget.used()).isEqualTo(4096);
    byte[] chunk = new byte[64 * 1024];
    long received = header.length;
    while (received + chunk.length < 1_048_575) {
      framer.feed(chunk, 0, chunk.length, (b, o, l) -> {});
      received += chunk.length;
      // doubling as bytes arrive: never more than twice what is held
      assertThat(budget.used()).isLessThanOrEqualTo(2 * received).isGreaterThanOrEqualTo(received);
    }
    assertThat(budget.used()).isLessThanOrEqualTo(1_048_575); // never past the message
    List<Integer> frames = new ArrayList<>();
    int rest = (int) (1_048_575 - received);
    framer.feed(new byte[rest], 0, rest, (b, o, l) -> frames.add(l));
    assertThat(frames).containsExactly(1_048_575);
    assertThat(budget.used()).isZero(); // the large buffer is given back
  }

  @Test
  void aFramerRefusedByTheBudgetDropsItsBufferAndRefusesFurtherInput() {
    BufferBudget budget = new BufferBudget(1 << 20, clock::incrementAndGet);
    BmpFramer stalled = new BmpFramer(1 << 20, account(budget, "stalled"));
    BmpFramer asking = new BmpFramer(1 << 20, account(budget, "asking"));
    byte[] big = new byte[900 * 1024];
    big[0] = 3;
    big[2] = 0x0f; // 983,040 bytes announced
    stalled.feed(big, 0, big.length, (b, o, l) -> {});
    assertThat(stalled.pendingBytes()).isEqualTo(big.length);
    byte[] medium = new byte[200 * 1024];
    medium[0] = 3;
    medium[2] = 0x04; // 262,144 announced
    asking.feed(medium, 0, medium.length, (b, o, l) -> {});
    assertThat(evicted).containsExactly("stalled");
    assertThat(asking.pendingBytes()).isEqualTo(medium.length);
    assertThat(budget.used()).isLessThanOrEqualTo(1 << 20);

    // the evicted session's next read finds out: its buffer is dropped, and stays so
    assertThatThrownBy(() -> stalled.feed(new byte[1], 0, 1, (b, o, l) -> {}))
        .isInstanceOf(BufferBudgetExceededException.class)
        .hasMessageContaining("buffer budget");
    assertThat(stalled.pendingBytes()).isZero();
    assertThat(stalled.overBudget()).isTrue();
    assertThatThrownBy(() -> stalled.feed(new byte[1], 0, 1, (b, o, l) -> {}))
        .isInstanceOf(BufferBudgetExceededException.class);
  }
}
