package org.bmpexporter.session;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Bounds log lines per source and kind of event, so that what a sender does cannot become a flood
 * of log (100,000 Peer Downs in 1.2 MB of BMP, or a burst of refused connections). Per key (for
 * instance "Peer Down messages" from one router) the first {@link #linesPerWindow} events of a
 * window are logged; the rest are counted, and when the window ends one line says how many were
 * left out: "1234 more Peer Down messages from 192.0.2.1 in the last minute".
 *
 * <p>Thread-safe. The summary is written by the next event of the key after the window, or by
 * {@link #flush}, which the server calls periodically; keys idle for a window are forgotten, so the
 * table holds only the sources active in the last minute.
 */
public final class LogLimiter {
  /** Lines per key and minute before the rest are summarised. */
  public static final int DEFAULT_LINES_PER_WINDOW = 20;

  private static final long MINUTE_NANOS = 60_000_000_000L;

  /** Most keys tracked; beyond this, events of new keys are summarised under one overflow key. */
  private static final int MAX_KEYS = 10_000;

  private static final LogLimiter SHARED =
      new LogLimiter(DEFAULT_LINES_PER_WINDOW, MINUTE_NANOS, System::nanoTime);

  private final int linesPerWindow;
  private final long windowNanos;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public LogLimiter(int linesPerWindow, long windowNanos, LongSupplier nanoClock) {
    this.linesPerWindow = linesPerWindow;
    this.windowNanos = windowNanos;
    this.clock = nanoClock;
  }

  /** The process-wide limiter the BMP sessions and listeners log through. */
  public static LogLimiter shared() {
    return SHARED;
  }

  /**
   * Whether an event may be logged now. {@code what} names the events in the plural ("Peer Down
   * messages", "BMP connections refused (bmp.max_sessions reached)") and {@code source} where they
   * come from (a router address, or null): together they are the key. Events past the limit are
   * counted for the summary, which goes to {@code log} at {@code level}.
   */
  public boolean allow(Logger log, Level level, String what, String source) {
    if (!log.isEnabledForLevel(level)) {
      return false;
    }
    String key = source == null ? what : what + " from " + source;
    long now = clock.getAsLong();
    Window w = windows.get(key);
    if (w == null) {
      if (windows.size() >= MAX_KEYS) {
        key = "events of other sources";
      }
      // no lambda here: its class would be spun at a router's first connection (the warm-up's
      // sessions are quiet), and class spinning then makes C2 compile the JDK's bytecode writer
      Window fresh = new Window(log, level, now);
      Window prior = windows.putIfAbsent(key, fresh);
      w = prior == null ? fresh : prior;
    }
    String summary;
    boolean allowed;
    synchronized (w) {
      summary = w.roll(key, now);
      allowed = ++w.events <= linesPerWindow;
    }
    if (summary != null) {
      log.atLevel(level).log(summary);
    }
    return allowed;
  }

  /** Writes the summaries of windows that ended and forgets idle keys. */
  public void flush() {
    long now = clock.getAsLong();
    for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Window> e = it.next();
      Window w = e.getValue();
      String summary;
      boolean idle;
      synchronized (w) {
        summary = w.roll(e.getKey(), now);
        idle = w.events == 0;
      }
      if (summary != null) {
        w.log.atLevel(w.level).log(summary);
      }
      if (idle) {
        it.remove();
      }
    }
  }

  private final class Window {
    final Logger log;
    final Level level;
    long start;
    int events;

    Window(Logger log, Level level, long start) {
      this.log = log;
      this.level = level;
      this.start = start;
    }

    /** Starts a new window if this one ended; the summary of the one that ended, if any. */
    String roll(String key, long now) {
      if (now - start < windowNanos) {
        return null;
      }
      int suppressed = events - linesPerWindow;
      start = now;
      events = 0;
      return suppressed > 0 ? suppressed + " more " + key + " in the last " + span() : null;
    }

    private String span() {
      long seconds = windowNanos / 1_000_000_000L;
      return seconds == 60 ? "minute" : seconds + " s";
    }
  }
}
