package org.bmpexporter.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded hand-off from any number of threads (the sessions' event loops) to one thread of its
 * own that takes the items in the order they were offered. {@link #offer} never waits: an item that
 * would take the bytes waiting beyond the budget is refused, and the caller counts it as dropped.
 * The thread takes what is waiting as one batch, so a busy producer side costs one lock per item
 * and the taking side one lock per batch.
 *
 * <p>One taking thread keeps the order of every producer's items, so each router's messages reach
 * Kafka in the order they were received.
 */
final class HandOff<T> {
  private static final Logger LOG = LoggerFactory.getLogger(HandOff.class);

  /** What the hand-off's thread does with each item, in order. */
  interface Sink<T> {
    void take(T item);

    /** After the items of one batch were taken (the producer may send them now). */
    default void batchTaken() {}
  }

  private final long budget;
  private final ToIntFunction<T> size;
  private final Sink<T> sink;
  private final Thread thread;
  private final AtomicLong waiting = new AtomicLong();
  private final Object lock = new Object();
  // guarded by lock
  private ArrayList<T> pending = new ArrayList<>();
  private boolean parked;
  private boolean closed;
  private volatile boolean abandoned;

  /**
   * @param budget bytes at most waiting (as {@code size} counts them)
   * @param threadName the name of the hand-off's (daemon) thread
   */
  HandOff(long budget, ToIntFunction<T> size, Sink<T> sink, String threadName) {
    this.budget = budget;
    this.size = size;
    this.sink = sink;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands {@code item} over, or returns false (without waiting) when it does not fit in the budget
   * or the hand-off was closed.
   */
  boolean offer(T item) {
    int n = size.applyAsInt(item);
    long w;
    do {
      w = waiting.get();
      if (w + n > budget) {
        return false;
      }
    } while (!waiting.compareAndSet(w, w + n));
    boolean wake;
    synchronized (lock) {
      if (closed) {
        waiting.addAndGet(-n);
        return false;
      }
      pending.add(item);
      wake = parked;
      parked = false;
      if (wake) {
        lock.notify();
      }
    }
    return true;
  }

  /** The hand-off's thread, the one that calls the sink. */
  Thread thread() {
    return thread;
  }

  /** Bytes offered and not yet taken. */
  long waitingBytes() {
    return waiting.get();
  }

  private void run() {
    ArrayList<T> batch = new ArrayList<>();
    while (true) {
      synchronized (lock) {
        while (pending.isEmpty()) {
          if (closed) {
            return;
          }
          parked = true;
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return; // abandoned by close(): what is left is not taken
          }
        }
        ArrayList<T> swap = pending;
        pending = batch;
        batch = swap;
      }
      take(batch);
      batch.clear();
      if (abandoned) {
        return;
      }
    }
  }

  private void take(List<T> batch) {
    for (T item : batch) {
      if (abandoned) {
        return;
      }
      try {
        sink.take(item);
      } catch (RuntimeException e) {
        // the thread must outlive one bad item: the sink counts its own failures
        LOG.warn("hand-off {}: an item failed: {}", thread.getName(), e.toString());
      }
      // released item by item, so a long batch frees the budget as it goes
      waiting.addAndGet(-size.applyAsInt(item));
    }
    try {
      sink.batchTaken();
    } catch (RuntimeException e) {
      LOG.warn("hand-off {}: end of batch failed: {}", thread.getName(), e.toString());
    }
  }

  /**
   * Refuses further items, lets the thread take what is waiting for at most {@code within}, then
   * abandons the rest.
   *
   * @return the bytes abandoned (0 when everything was taken)
   */
  long close(Duration within) throws InterruptedException {
    synchronized (lock) {
      closed = true;
      lock.notify();
    }
    thread.join(Math.max(1, within.toMillis()));
    if (!thread.isAlive()) {
      return 0;
    }
    abandoned = true;
    thread.interrupt();
    thread.join(1000);
    return waiting.get();
  }
}
