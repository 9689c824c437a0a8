package org.bmpexporter.kafka;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.bmpexporter.session.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The log of messages not published to Kafka: one warning at the first drop of an outage, then
 * nothing per message (they are counted in {@code bmp_forward_dropped_messages_total}), and one
 * line with the number dropped once messages are published again and none was dropped for {@link
 * #QUIET_MILLIS}. A broker down for an hour under a busy router is two lines, not millions; a
 * broker that is slow rather than down (some messages go, some do not fit the buffer) is one outage
 * until it keeps up again, not a pair of lines per message.
 *
 * <p>Thread-safe: drops are seen on the event loops (buffer full) and on the producer's I/O thread
 * (records that expired), publications on the I/O thread. The {@link LogLimiter} bounds the lines
 * of a broker that flaps for longer than that.
 */
final class OutageLog {
  /** How long publishing must go without a drop for an outage to be over. */
  static final long QUIET_MILLIS = 5_000;

  private final Logger log;
  private final String destination;
  private final LogLimiter limiter;
  private final LongSupplier clock;
  private final AtomicLong dropped = new AtomicLong();
  private volatile long since;
  private volatile long lastDrop;

  OutageLog(Logger log, String destination, LogLimiter limiter, LongSupplier millisClock) {
    this.log = log;
    this.destination = destination;
    this.limiter = limiter;
    this.clock = millisClock;
  }

  /** A message of {@code router} was not published, because of {@code why}. */
  void dropped(String router, Exception why) {
    long now = clock.getAsLong();
    lastDrop = now;
    if (dropped.getAndIncrement() == 0) {
      since = now;
      if (limiter.allow(log, Level.WARN, "Kafka outages of " + destination, null)) {
        log.warn(
            "{}: messages are being dropped (counted in bmp_forward_dropped_messages_total;"
                + " logged again when publishing resumes); the first, of router {}: {}",
            destination,
            router,
            why.toString());
      }
    }
  }

  /**
   * A message (or heartbeat) was published: ends an outage, with its summary, once no message was
   * dropped for {@link #QUIET_MILLIS}.
   */
  void published() {
    if (dropped.get() == 0) {
      return; // the common case: one volatile read per record
    }
    long now = clock.getAsLong();
    if (now - lastDrop < QUIET_MILLIS) {
      return;
    }
    long n = dropped.getAndSet(0);
    if (n > 0 && limiter.allow(log, Level.INFO, "Kafka recoveries of " + destination, null)) {
      log.info(
          "{}: publishing again; {} messages were dropped in {} s",
          destination,
          n,
          (lastDrop - since + 500) / 1000);
    }
  }

  /** Messages dropped since the current outage began (0 when publishing). */
  long droppedInOutage() {
    return dropped.get();
  }
}
