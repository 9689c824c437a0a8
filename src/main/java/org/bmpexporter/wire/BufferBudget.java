package org.bmpexporter.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The bytes all BMP sessions together may hold in partial messages. Each session's {@link
 * BmpFramer} asks its {@link Account} before its buffer grows; when the budget would be exceeded,
 * the holder of the largest buffer (the oldest among equals) is evicted: its account refuses from
 * then on and its {@code onEvicted} action runs (the server closes that connection and counts it).
 * When the asking session itself would be that largest holder, it is the one evicted. So a few
 * thousand connections that each send most of a maximum-size message and stop cost at most the
 * budget, and a router sending ordinary messages, whose buffer stays small, keeps its session.
 *
 * <p>An evicted session's buffer is freed by its own event loop, which may first finish reading
 * other connections; its bytes count until then, and while they do no account grows past {@link
 * #ceiling} (the limit and a quarter): the asking account is then evicted itself, and frees its
 * buffer at once. So the bytes held never exceed the ceiling.
 *
 * <p>Thread-safe: sessions on every event loop share one budget. Growth is rare (once per 64 KiB
 * chunk of a large message), so one lock is enough.
 */
public final class BufferBudget {
  private final long limit;
  private final LongSupplier clock;
  private final List<Account> holders = new ArrayList<>();

  /** Bytes held, including those of evicted accounts not yet given back. */
  private long used;

  /** Of {@link #used}: evicted accounts' bytes, freed when their own thread gets to them. */
  private long releasing;

  private long evictions;

  public BufferBudget(long limitBytes) {
    this(limitBytes, System::nanoTime);
  }

  BufferBudget(long limitBytes, LongSupplier nanoClock) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("buffer budget " + limitBytes);
    }
    this.limit = limitBytes;
    this.clock = nanoClock;
  }

  /** No bound: for sessions that read files or built streams, not the network. */
  public static BufferBudget unlimited() {
    return new BufferBudget(Long.MAX_VALUE);
  }

  /** A session's account; {@code onEvicted} runs once, on the thread that needed the room. */
  public Account account(Runnable onEvicted) {
    return new Account(onEvicted);
  }

  public long limit() {
    return limit;
  }

  /**
   * The most held at any time, evicted buffers not yet freed included: a quarter over the limit.
   */
  long ceiling() {
    return limit > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : limit + limit / 4;
  }

  /** Bytes held now. */
  public synchronized long used() {
    return used;
  }

  /** Accounts evicted since start. */
  public synchronized long evictions() {
    return evictions;
  }

  /** One session's share of the budget. */
  public final class Account {
    private final Runnable onEvicted;
    private long held;
    private long unreleased;
    private long since;
    private boolean evicted;

    private Account(Runnable onEvicted) {
      this.onEvicted = onEvicted;
    }

    /**
     * Takes {@code bytes} more; false when this account was evicted (now, to make room, or before):
     * the caller must then drop its buffer and end the session.
     */
    public boolean grow(long bytes) {
      List<Account> victims = new ArrayList<>(1);
      boolean granted;
      synchronized (BufferBudget.this) {
        granted = reserve(bytes, victims);
      }
      for (Account v : victims) {
        v.onEvicted.run();
      }
      return granted;
    }

    /** Gives back {@code bytes} of what this account holds. */
    public void shrink(long bytes) {
      synchronized (BufferBudget.this) {
        if (evicted) {
          // the evicted buffer is gone now: its bytes count no more
          used -= unreleased;
          releasing -= unreleased;
          unreleased = 0;
          return;
        }
        long give = Math.min(bytes, held);
        held -= give;
        used -= give;
        if (held == 0) {
          holders.remove(this);
        }
      }
    }

    /** Gives back everything: the session ended. */
    public void release() {
      shrink(Long.MAX_VALUE);
    }

    /** Whether the budget evicted this account. */
    public boolean evicted() {
      synchronized (BufferBudget.this) {
        return evicted;
      }
    }

    public long held() {
      synchronized (BufferBudget.this) {
        return held;
      }
    }

    private boolean reserve(long bytes, List<Account> victims) {
      if (evicted) {
        return false;
      }
      while (used - releasing + bytes > limit) {
        // this account after the growth, against the others as they are; among equals the
        // oldest holder goes (a buffer that stopped growing long ago is the stalled one)
        Account largest = this;
        long largestHeld = held + bytes;
        long largestSince = held == 0 ? Long.MAX_VALUE : since;
        for (Account a : holders) {
          if (a != this
              && (a.held > largestHeld || (a.held == largestHeld && a.since < largestSince))) {
            largest = a;
            largestHeld = a.held;
            largestSince = a.since;
          }
        }
        largest.evict();
        victims.add(largest);
        if (largest == this) {
          return false;
        }
      }
      // Evicted buffers are freed by their sessions' own threads, which may be busy reading
      // other connections: until then they still count, and nobody grows past the ceiling.
      if (used + bytes > ceiling()) {
        evict();
        victims.add(this);
        return false;
      }
      if (held == 0) {
        since = clock.getAsLong();
        holders.add(this);
      }
      held += bytes;
      used += bytes;
      return true;
    }

    private void evict() {
      evicted = true;
      evictions++;
      unreleased = held;
      releasing += held;
      held = 0;
      holders.remove(this);
    }
  }
}
