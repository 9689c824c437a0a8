package org.bmpexporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicLong;
import org.bmpexporter.session.LogLimiter;
import org.bmpexporter.testing.RecordingLogger;
import org.junit.jupiter.api.Test;

class OutageLogTest {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final RecordingLogger log = new RecordingLogger();
  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final AtomicLong nanos = new AtomicLong();
  private final OutageLog outages =
      new OutageLog(
          log, "Kafka topic t", new LogLimiter(20, MINUTE_NANOS, nanos::get), millis::get);
  private final ConnectException refused = new ConnectException("refused");

  @Test
  void anOutageIsOneWarningAtTheFirstDropAndOneSummaryOncePublishingResumes() {
    outages.published(); // nothing dropped: nothing to say
    for (int i = 0; i < 10_000; i++) {
      outages.dropped("192.0.2." + (i % 7), refused);
      millis.addAndGet(1); // 10 s of drops
    }
    assertThat(log.lines).hasSize(1);
    assertThat(log.lines.get(0))
        .startsWith("WARN Kafka topic t: messages are being dropped")
        .contains("router 192.0.2.0: java.net.ConnectException: refused");
    millis.addAndGet(OutageLog.QUIET_MILLIS);
    outages.published();
    outages.published();
    assertThat(log.lines)
        .containsExactly(
            log.lines.get(0),
            "INFO Kafka topic t: publishing again; 10000 messages were dropped in 10 s");
    assertThat(outages.droppedInOutage()).isZero();

    // the next outage is logged again, with its own count
    outages.dropped("192.0.2.1", refused);
    outages.dropped("192.0.2.1", refused);
    millis.addAndGet(OutageLog.QUIET_MILLIS);
    outages.published();
    assertThat(log.lines).hasSize(4);
    assertThat(log.lines.get(3)).contains("publishing again; 2 messages were dropped in 0 s");
  }

  @Test
  void aSlowBrokerThatDropsSomeMessagesAndPublishesOthersIsOneOutage() {
    for (int i = 0; i < 1000; i++) {
      outages.dropped("192.0.2.1", refused);
      outages.published();
      millis.addAndGet(10);
    }
    assertThat(log.lines).hasSize(1); // the warning; the outage goes on
    assertThat(outages.droppedInOutage()).isEqualTo(1000);
    millis.addAndGet(OutageLog.QUIET_MILLIS);
    outages.published();
    assertThat(log.lines).hasSize(2);
    assertThat(log.lines.get(1)).contains("1000 messages were dropped in 10 s");
  }

  @Test
  void aBrokerFlappingForLongerIsBoundedByTheLimiter() {
    for (int i = 0; i < 1000; i++) {
      outages.dropped("192.0.2.1", refused);
      millis.addAndGet(OutageLog.QUIET_MILLIS);
      outages.published();
    }
    // 20 warnings and 20 summaries a minute, not 2000 lines
    assertThat(log.lines).hasSize(40);
  }
}
