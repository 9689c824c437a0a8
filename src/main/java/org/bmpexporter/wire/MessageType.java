package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/** BMP message types (RFC 7854 section 4.1); the label values of the metrics contract. */
public enum MessageType implements CodePoint {
  ROUTE_MONITORING(0),
  STATISTICS_REPORT(1),
  PEER_DOWN(2),
  PEER_UP(3),
  INITIATION(4),
  TERMINATION(5),
  ROUTE_MIRRORING(6),
  /** Any other type: skipped by its length and counted; its code stays in the message. */
  UNKNOWN(-1);

  public static final CodePoints<MessageType> CODES =
      new CodePoints<>(MessageType.class, n -> "unknown");
  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The type of {@code code}, {@link #UNKNOWN} for any other. */
  public static MessageType of(int code) {
    MessageType t = CODES.find(code);
    return t != null ? t : UNKNOWN;
  }
}
