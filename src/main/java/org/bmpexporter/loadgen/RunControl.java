package org.bmpexporter.loadgen;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Shared run bounds: the --max-seconds deadline (a watchdog closes every open sink when it passes,
 * which unblocks a write stuck on a collector that stopped reading), and the hold phase, ended by
 * its timeout or by {@link #release()} (SIGTERM / SIGINT).
 */
final class RunControl {
  final long startNanos = System.nanoTime();
  final long deadlineNanos;
  final CountDownLatch holdRelease = new CountDownLatch(1);
  final Set<Sink> open = ConcurrentHashMap.newKeySet();
  volatile boolean deadlinePassed;
  volatile boolean stopping;
  private Thread watchdog;
  // connection turnstile: sessions connect one after the other, then start sending together
  private final long connectIntervalNanos;
  private final CountDownLatch allConnected;
  private int turn;
  private long lastConnectNanos;

  RunControl(double maxSeconds) {
    this(maxSeconds, 1, 0);
  }

  /**
   * @param sessions sessions that pass the connection turnstile
   * @param connectIntervalMillis pause between two connects (a collector with a short listen
   *     backlog, like pmbmpd's 1, resets connections that arrive all at once)
   */
  RunControl(double maxSeconds, int sessions, double connectIntervalMillis) {
    deadlineNanos = startNanos + (long) (maxSeconds * 1e9);
    connectIntervalNanos = (long) (connectIntervalMillis * 1e6);
    allConnected = new CountDownLatch(sessions);
  }

  /** Waits until the sessions before {@code index} connected, and the interval passed. */
  synchronized void awaitConnectTurn(int index) throws InterruptedException {
    while (turn < index && !expired()) {
      wait(100);
    }
    long left;
    while (turn > 0
        && (left = lastConnectNanos + connectIntervalNanos - System.nanoTime()) > 0
        && !expired()) {
      wait(Math.max(1, left / 1_000_000), 0);
    }
  }

  /** Session {@code index} connected (or failed to): the next one may connect. */
  synchronized void connectDone(int index) {
    turn = Math.max(turn, index + 1);
    lastConnectNanos = System.nanoTime();
    allConnected.countDown();
    notifyAll();
  }

  /** Waits until every session connected (or failed), so they all start sending together. */
  void awaitAllConnected() throws InterruptedException {
    allConnected.await(remainingNanos(), TimeUnit.NANOSECONDS);
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
    watchdog =
        new Thread(
            () -> {
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
            },
            "loadgen-deadline");
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
