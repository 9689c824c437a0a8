package org.bmpexporter.codec;

/** Receives the non-fatal errors met while decoding; the message or part named is skipped. */
@FunctionalInterface
public interface ErrorListener {
  ErrorListener IGNORE = (error, detail) -> {};

  void error(DecodeError error, String detail);
}
