package org.bmpexporter.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the configuration writes them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}.
 */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /** Parses {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}; the problem is the message. */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration like 500ms, 30s, 15m, 1h");
    }
    try {
      long v = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(v);
        case "s" -> Duration.ofSeconds(v);
        case "m" -> Duration.ofMinutes(v);
        default -> Duration.ofHours(v);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration");
    }
  }

  /** The shortest text {@link #parse} reads back as the same duration. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
