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
    assertThat(budget.used()).as("big's buffer counts until its session frees it").isEqualTo(110);
    assertThat(budget.evictions()).isEqualTo(1);
    big.release(); // what the evicted session's own thread does
    assertThat(budget.used()).isEqualTo(30);
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
    asking.release();
    assertThat(budget.used()).isEqualTo(40);
  }

  @Test
  void nobodyGrowsPastTheCeilingWhileEvictedBuffersAreNotFreedYet() {
    BufferBudget budget = new BufferBudget(100, clock::incrementAndGet);
    BufferBudget.Account stalled = account(budget, "stalled");
    BufferBudget.Account a = account(budget, "a");
    BufferBudget.Account b = account(budget, "b");
    stalled.grow(90);
    assertThat(a.grow(30)).isTrue(); // stalled evicted, not freed yet: 120 held, ceiling 125
    assertThat(b.grow(10)).isFalse(); // 130 would pass the ceiling: b is refused and evicted
    assertThat(evicted).containsExactly("stalled", "b");
    assertThat(budget.used()).isLessThanOrEqualTo(125);
    stalled.release();
    b.release();
    assertThat(budget.used()).isEqualTo(30);
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
    assertThat(budget.used()).as("the first 64 KiB are the session's own").isZero();
    byte[] chunk = new byte[64 * 1024];
    long received = header.length;
    while (received + chunk.length < 1_048_575) {
      framer.feed(chunk, 0, chunk.length, (b, o, l) -> {});
      received += chunk.length;
      // chunks as bytes arrive: what arrived past the first 64 KiB, up to one chunk ahead
      assertThat(budget.used())
          .isLessThanOrEqualTo(received)
          .isGreaterThanOrEqualTo(received - 2 * 64 * 1024);
    }
    assertThat(budget.used()).isLessThanOrEqualTo(1_048_575 - 64 * 1024); // never past the message
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
    big[2] = 0x10; // 1,048,576 bytes announced
    stalled.feed(big, 0, big.length, (b, o, l) -> {});
    assertThat(stalled.pendingBytes()).isEqualTo(big.length);
    byte[] medium = new byte[200 * 1024];
    medium[0] = 3;
    medium[2] = 0x04; // 262,144 announced
    asking.feed(medium, 0, medium.length, (b, o, l) -> {});
    assertThat(evicted).containsExactly("stalled");
    assertThat(asking.pendingBytes()).isEqualTo(medium.length);
    assertThat(budget.used()).isLessThanOrEqualTo((1 << 20) + (1 << 18)); // the ceiling

    // the evicted session finds out when it next needs room: its buffer is dropped, and stays so
    byte[] more = new byte[64 * 1024];
    assertThatThrownBy(() -> stalled.feed(more, 0, more.length, (b, o, l) -> {}))
        .isInstanceOf(BufferBudgetExceededException.class)
        .hasMessageContaining("buffer budget");
    assertThat(stalled.pendingBytes()).isZero();
    assertThat(stalled.overBudget()).isTrue();
    assertThat(budget.used()).isLessThan(200 * 1024); // the asking session's chunks only
    assertThatThrownBy(() -> stalled.feed(new byte[1], 0, 1, (b, o, l) -> {}))
        .isInstanceOf(BufferBudgetExceededException.class);
  }
}
