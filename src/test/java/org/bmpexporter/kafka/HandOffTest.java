package org.bmpexporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bounded hand-off from the event loops to the Kafka producer thread, without a broker. */
@Timeout(60)
class HandOffTest {
  /** One message of a router: its sequence number within the router, and its size. */
  record Item(int router, int seq, int bytes) {}

  /** A sink that records what it took, and can be held still (a stalled producer thread). */
  static final class Recorder implements HandOff.Sink<Item> {
    final ConcurrentLinkedQueue<Item> taken = new ConcurrentLinkedQueue<>();
    final AtomicInteger batches = new AtomicInteger();
    final CountDownLatch release;
    final CountDownLatch stalled = new CountDownLatch(1);

    Recorder(boolean stall) {
      release = new CountDownLatch(stall ? 1 : 0);
    }

    @Override
    public void take(Item item) {
      stalled.countDown();
      try {
        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      taken.add(item);
    }

    @Override
    public void batchTaken() {
      batches.incrementAndGet();
    }
  }

  private static boolean awaitTaken(Recorder r, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (r.taken.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return r.taken.size() == n;
  }

  @Test
  void withinTheBudgetEverythingArrivesInOrderPerProducer() throws Exception {
    Recorder sink = new Recorder(false);
    HandOff<Item> h = new HandOff<>(1 << 20, Item::bytes, sink, "test-hand-off");
    int producers = 4;
    int perProducer = 20_000;
    List<Thread> threads = new ArrayList<>();
    AtomicInteger refused = new AtomicInteger();
    for (int p = 0; p < producers; p++) {
      int router = p;
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < perProducer; i++) {
                  // within the budget: the producer side waits for room rather than drop
                  while (!h.offer(new Item(router, i, 100))) {
                    refused.incrementAndGet();
                    Thread.onSpinWait();
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(awaitTaken(sink, producers * perProducer)).isTrue();
    Map<Integer, Integer> next = new HashMap<>();
    for (Item it : sink.taken) {
      int expected = next.getOrDefault(it.router(), 0);
      assertThat(it.seq()).as("router %d", it.router()).isEqualTo(expected);
      next.put(it.router(), expected + 1);
    }
    assertThat(next).hasSize(producers).allSatisfy((r, n) -> assertThat(n).isEqualTo(perProducer));
    assertThat(h.waitingBytes()).isZero();
    assertThat(sink.batches.get()).isPositive().isLessThanOrEqualTo(producers * perProducer);
    assertThat(h.close(Duration.ofSeconds(5))).isZero();
  }

  @Test
  void aStalledThreadFillsTheBudgetThenItemsAreRefusedAndTheRestArrives() throws Exception {
    Recorder sink = new Recorder(true);
    HandOff<Item> h = new HandOff<>(10_000, Item::bytes, sink, "test-hand-off");
    // the first item is taken and held: the thread stalls with it, its bytes still counted
    assertThat(h.offer(new Item(0, 0, 1000))).isTrue();
    assertThat(sink.stalled.await(10, TimeUnit.SECONDS)).isTrue();
    int accepted = 1;
    int refused = 0;
    for (int i = 1; i < 50; i++) {
      if (h.offer(new Item(0, i, 1000))) {
        accepted++;
      } else {
        refused++;
      }
    }
    // 10 items of 1000 bytes fit in 10 000, none beyond
    assertThat(accepted).isEqualTo(10);
    assertThat(refused).isEqualTo(40);
    assertThat(h.waitingBytes()).isEqualTo(10_000);
    sink.release.countDown();
    assertThat(awaitTaken(sink, 10)).isTrue();
    assertThat(sink.taken).extracting(Item::seq).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(h.waitingBytes()).isZero();
    // taken, the budget is free again: all of it, not a byte more
    assertThat(h.offer(new Item(0, 50, 10_001))).isFalse();
    assertThat(h.offer(new Item(0, 51, 10_000))).isTrue();
    assertThat(h.close(Duration.ofSeconds(5))).isZero();
    assertThat(sink.taken).extracting(Item::seq).endsWith(51);
  }

  @Test
  void closeTakesWhatWaitsThenRefuses() throws Exception {
    Recorder sink = new Recorder(true);
    HandOff<Item> h = new HandOff<>(100_000, Item::bytes, sink, "test-hand-off");
    for (int i = 0; i < 20; i++) {
      assertThat(h.offer(new Item(1, i, 10))).isTrue();
    }
    sink.stalled.await(10, TimeUnit.SECONDS);
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
              sink.release.countDown();
            });
    releaser.start();
    assertThat(h.close(Duration.ofSeconds(10))).isZero();
    assertThat(sink.taken).hasSize(20);
    assertThat(h.offer(new Item(1, 20, 10))).isFalse();
    releaser.join();
  }

  @Test
  void closeAbandonsWhatTheThreadCannotTakeInTime() throws Exception {
    Recorder sink = new Recorder(true);
    HandOff<Item> h = new HandOff<>(100_000, Item::bytes, sink, "test-hand-off");
    for (int i = 0; i < 5; i++) {
      assertThat(h.offer(new Item(1, i, 10))).isTrue();
    }
    sink.stalled.await(10, TimeUnit.SECONDS);
    // never released: the close interrupts the stalled take and gives up on the rest
    assertThat(h.close(Duration.ofMillis(200))).isEqualTo(40);
    assertThat(sink.taken).isEmpty();
  }
}
