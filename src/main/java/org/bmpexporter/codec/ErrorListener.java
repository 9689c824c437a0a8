package org.bmpexporter.codec;

/**
 * Receives the non-fatal errors met while decoding (the message or part named is skipped) and the
 * known vendor quirks decoded anyway.
 */
@FunctionalInterface
public interface ErrorListener {
  ErrorListener IGNORE = (error, detail) -> {};

  void error(DecodeError error, String detail);

  /** A known deviation from the RFCs, decoded as the router meant it; not an error. */
  default void quirk(Quirk quirk, String detail) {}
}
