package org.bmpexporter.interop;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Bounded polling. Every wait in the suite has a deadline; on timeout it fails with what it was
 * waiting for and the last value it observed (or the exception the probe threw).
 */
public final class Await {
  /** Poll interval, {@code -Dinterop.pollMillis} (default 200 ms). */
  public static final Duration POLL = Duration.ofMillis(Long.getLong("interop.pollMillis", 200));

  private Await() {}

  /** Thrown by a probe to stop waiting at once (e.g. the daemon being waited for has exited). */
  public static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Abort(String message) {
      super(message);
    }
  }

  public static void until(Supplier<Boolean> condition, Duration timeout, String what) {
    until(condition, Boolean.TRUE::equals, timeout, what);
  }

  /** Polls {@code probe} until {@code ok} accepts its value; returns that value. */
  public static <T> T until(
      Supplier<T> probe, Predicate<? super T> ok, Duration timeout, String what) {
    return untilStable(probe, ok, Duration.ZERO, timeout, what);
  }

  /** Polls until {@code probe} returns a value equal to {@code expected}. */
  public static <T> T untilEquals(Supplier<T> probe, T expected, Duration timeout, String what) {
    return until(probe, v -> Objects.equals(v, expected), timeout, what + " == " + expected);
  }

  /**
   * Polls until {@code ok} has accepted every value {@code probe} returned for at least {@code
   * stableFor} (so a count that passes through the expected value on its way elsewhere does not
   * satisfy the wait).
   */
  public static <T> T untilStable(
      Supplier<T> probe,
      Predicate<? super T> ok,
      Duration stableFor,
      Duration timeout,
      String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long okSince = -1;
    Object last = "(never probed)";
    while (true) {
      long now = System.nanoTime();
      try {
        T v = probe.get();
        last = v;
        if (ok.test(v)) {
          if (okSince < 0) {
            okSince = now;
          }
          if (now - okSince >= stableFor.toNanos()) {
            return v;
          }
        } else {
          okSince = -1;
        }
      } catch (Abort e) {
        throw new AssertionError(what + ": " + e.getMessage(), e);
      } catch (RuntimeException | AssertionError e) {
        last = "exception: " + e;
        okSince = -1;
      }
      if (now > deadline) {
        throw new AssertionError(
            "timed out after "
                + timeout.toSeconds()
                + "s waiting for "
                + what
                + (stableFor.isZero() ? "" : " (stable for " + stableFor.toMillis() + " ms)")
                + "; last observed: "
                + last);
      }
      sleep(POLL);
    }
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
