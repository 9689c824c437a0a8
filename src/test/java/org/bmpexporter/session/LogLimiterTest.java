package org.bmpexporter.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.bmpexporter.testing.RecordingLogger;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogLimiterTest {
  private static final long MINUTE = 60_000_000_000L;

  private final AtomicLong clock = new AtomicLong();
  private final LogLimiter limiter = new LogLimiter(3, MINUTE, clock::get);
  private final RecordingLogger log = new RecordingLogger();

  @Test
  void logsTheFirstLinesOfAWindowThenOneSummary() {
    int allowed = 0;
    for (int i = 0; i < 100_000; i++) {
      if (limiter.allow(log, Level.INFO, "Peer Down messages", "192.0.2.1")) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(3);
    assertThat(log.lines).isEmpty(); // the summary waits for the window's end
    clock.addAndGet(MINUTE);
    limiter.flush();
    assertThat(log.lines)
        .containsExactly("INFO 99997 more Peer Down messages from 192.0.2.1 in the last minute");
    // a new window: lines again
    assertThat(limiter.allow(log, Level.INFO, "Peer Down messages", "192.0.2.1")).isTrue();
  }

  @Test
  void keysAreIndependent() {
    for (int i = 0; i < 10; i++) {
      limiter.allow(log, Level.INFO, "Peer Down messages", "192.0.2.1");
    }
    assertThat(limiter.allow(log, Level.INFO, "Peer Down messages", "192.0.2.2")).isTrue();
    assertThat(limiter.allow(log, Level.INFO, "Termination messages", "192.0.2.1")).isTrue();
    assertThat(limiter.allow(log, Level.WARN, "BMP connections refused (max_sessions)", null))
        .isTrue();
  }

  @Test
  void theNextEventAfterTheWindowWritesTheSummaryWithoutAFlush() {
    for (int i = 0; i < 5; i++) {
      limiter.allow(log, Level.WARN, "BMP connections refused (max_sessions)", null);
    }
    clock.addAndGet(MINUTE + 1);
    assertThat(limiter.allow(log, Level.WARN, "BMP connections refused (max_sessions)", null))
        .isTrue();
    assertThat(log.lines)
        .containsExactly("WARN 2 more BMP connections refused (max_sessions) in the last minute");
  }

  @Test
  void noSummaryWhenNothingWasLeftOutAndIdleKeysAreForgotten() {
    limiter.allow(log, Level.INFO, "Peer Up messages", "192.0.2.1");
    clock.addAndGet(MINUTE);
    limiter.flush(); // window rolled: no summary, the key is now idle
    clock.addAndGet(MINUTE);
    limiter.flush(); // idle key forgotten
    assertThat(log.lines).isEmpty();
  }

  @Test
  void aDisabledLevelIsNeitherLoggedNorCounted() {
    log.enabled = false;
    assertThat(limiter.allow(log, Level.INFO, "Peer Up messages", "192.0.2.1")).isFalse();
  }
}
