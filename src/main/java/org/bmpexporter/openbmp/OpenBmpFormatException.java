package org.bmpexporter.openbmp;

import java.util.Locale;

/** The one exception of the OpenBMP record decoder: a record whose header is broken. */
public final class OpenBmpFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with a record; a bounded label for counters. */
  public enum Kind {
    /** Neither the binary magic nor a text header: not an OpenBMP raw record. */
    UNKNOWN_FORMAT,
    /** A version other than 1.7. */
    UNSUPPORTED_VERSION,
    /** The header is shorter than its fields, or says it is longer than the record. */
    BAD_HEADER_LENGTH,
    /** The BMP length in the header is not what follows the header. */
    BAD_BMP_LENGTH,
    /** A malformed header field (router address, text line, row count). */
    BAD_HEADER_FIELD;

    /** The label value: lower-case snake_case. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;

  public OpenBmpFormatException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
