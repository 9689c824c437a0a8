package org.bmpexporter.testing;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

/** Records what is logged, as "LEVEL message". */
public final class RecordingLogger extends AbstractLogger {
  private static final long serialVersionUID = 1L;
  public final transient List<String> lines = new ArrayList<>();
  public boolean enabled = true;

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
