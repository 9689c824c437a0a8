package org.bmpexporter.loadgen;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Shared run bounds: the --max-seconds deadline (a watchdog closes every open sink when it
 * passes, which unblocks a write stuck on a collector that stopped reading), and the hold
 * phase, ended by its timeout or by {@link #release()} (SIGTERM / SIGINT).
 */
final class RunControl {
  final long startNanos = System.nanoTime();
  final long deadlineNanos;
  final CountDownLatch holdRelease = new CountDownLatch(1);
  final Set<Sink> open = ConcurrentHashMap.newKeySet();
  volatile boolean deadlinePassed;
  volatile boolean stopping;
  private Thread watchdog;

  RunControl(double maxSeconds) {
    deadlineNanos = startNanos + (long) (maxSeconds * 1e9);
  }

  boolean expired() {
    if (!deadlinePassed && System.nanoTime() - deadlineNanos >= 0) {
      deadlinePassed = true;
    }
    return deadlinePassed;
  }

  long remainingNanos() {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }

  void startWatchdog() {
    watchdog = new Thread(() -> {
      try {
        long left;
        while ((left = remainingNanos()) > 0) {
          TimeUnit.NANOSECONDS.sleep(Math.min(left, 200_000_000L));
        }
        deadlinePassed = true;
        holdRelease.countDown();
        for (Sink s : open) {
          s.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "loadgen-deadline");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  void stopWatchdog() {
    if (watchdog != null) {
      watchdog.interrupt();
    }
  }

  /** Ends the hold phase now (and any churn phase early). */
  void release() {
    stopping = true;
    holdRelease.countDown();
  }

  /** Waits up to {@code seconds} (and never past the deadline) unless released. */
  void hold(double seconds) throws InterruptedException {
    long n = Math.min((long) (seconds * 1e9), remainingNanos());
    if (n > 0) {
      holdRelease.await(n, TimeUnit.NANOSECONDS);
    }
  }
}
