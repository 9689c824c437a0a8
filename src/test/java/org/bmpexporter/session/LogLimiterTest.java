package org.bmpexporter.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

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

  /** Records what is logged, as "LEVEL message". */
  private static final class RecordingLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    final transient List<String> lines = new ArrayList<>();
    boolean enabled = true;

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level,
        org.slf4j.Marker marker,
        String messagePattern,
        Object[] arguments,
        Throwable throwable) {
      lines.add(
          level
              + " "
              + org.slf4j.helpers.MessageFormatter.basicArrayFormat(messagePattern, arguments));
    }

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isTraceEnabled() {
      return enabled;
    }

    @Override
    public boolean isTraceEnabled(org.slf4j.Marker marker) {
      return enabled;
    }

    @Override
    public boolean isDebugEnabled() {
      return enabled;
    }

    @Override
    public boolean isDebugEnabled(org.slf4j.Marker marker) {
      return enabled;
    }

    @Override
    public boolean isInfoEnabled() {
      return enabled;
    }

    @Override
    public boolean isInfoEnabled(org.slf4j.Marker marker) {
      return enabled;
    }

    @Override
    public boolean isWarnEnabled() {
      return enabled;
    }

    @Override
    public boolean isWarnEnabled(org.slf4j.Marker marker) {
      return enabled;
    }

    @Override
    public boolean isErrorEnabled() {
      return enabled;
    }

    @Override
    public boolean isErrorEnabled(org.slf4j.Marker marker) {
      return enabled;
    }
  }
}
