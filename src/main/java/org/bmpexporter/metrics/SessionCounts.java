package org.bmpexporter.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The exporter's BMP session counts, updated from any event loop, read at scrape time. */
public final class SessionCounts {

  /**
   * Why a BMP connection was refused, or a session closed by the exporter: the {@code reason} label
   * values.
   */
  public enum Rejection {
    ACCESS_LIST("access_list"),
    MAX_SESSIONS("max_sessions"),
    PARALLEL_SESSIONS("parallel_sessions"),
    /** A PROXY header missing or malformed from a trusted proxy, or sent by anyone else. */
    PROXY_PROTOCOL("proxy_protocol"),
    /** An open session closed after bmp.idle_timeout without a byte. */
    IDLE_TIMEOUT("idle_timeout"),
    /** An open session closed because the router's new session took it over. */
    REPLACED("replaced"),
    /** Closed after it was accepted: its partial message did not fit the buffer budget. */
    BUFFER_BUDGET("buffer_budget");

    private final String label;

    Rejection(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final Map<Rejection, LongAdder> rejected = new EnumMap<>(Rejection.class);

  public SessionCounts() {
    for (Rejection r : Rejection.values()) {
      rejected.put(r, new LongAdder());
    }
  }

  /** A session was accepted and is open now. */
  public void opened() {
    open.incrementAndGet();
    accepted.increment();
  }

  public void closed() {
    open.decrementAndGet();
  }

  public void reject(Rejection reason) {
    rejected.get(reason).increment();
  }

  /** Sessions open now. */
  public int open() {
    return open.get();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long rejected(Rejection reason) {
    return rejected.get(reason).sum();
  }
}
