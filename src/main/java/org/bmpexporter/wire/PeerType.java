package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/** Per-peer header peer types (RFC 7854 4.2, RFC 9069); unknown ones are labelled type_n. */
public enum PeerType implements CodePoint {
  GLOBAL(0),
  RD(1),
  LOCAL(2),
  LOC_RIB(3);

  public static final CodePoints<PeerType> CODES =
      new CodePoints<>(PeerType.class, n -> "type_" + n);
  private final int code;

  PeerType(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }
}
