package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/**
 * Termination reasons (RFC 7854 4.5). A missing reason TLV or an unknown code is labelled {@code
 * unspecified}, the code RFC 7854 gives to "no reason given".
 */
public enum TerminationReason implements CodePoint {
  ADMINISTRATIVELY_CLOSED(0),
  UNSPECIFIED(1),
  OUT_OF_RESOURCES(2),
  REDUNDANT_CONNECTION(3),
  PERMANENTLY_ADMINISTRATIVELY_CLOSED(4);

  public static final CodePoints<TerminationReason> CODES =
      new CodePoints<>(TerminationReason.class, n -> "unspecified");
  private final int code;

  TerminationReason(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }
}
