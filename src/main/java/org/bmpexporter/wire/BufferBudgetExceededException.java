package org.bmpexporter.wire;

/**
 * A session's partial message could not grow: the {@link BufferBudget} shared by all sessions was
 * full and this session held the largest buffer, or it had been evicted to make room for another.
 * The session must end; its buffer is already dropped.
 */
public final class BufferBudgetExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BufferBudgetExceededException(String message) {
    super(message, null, false, false); // an expected event, not a bug: no stack trace
  }
}
