package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/**
 * Information TLV types of Initiation and Peer Up messages (RFC 7854 4.4, RFC 9069 4.3, RFC 8671
 * admin label); unknown types are kept raw and counted.
 */
public enum TlvType implements CodePoint {
  STRING(0),
  SYS_DESCR(1),
  SYS_NAME(2),
  VRF_TABLE_NAME(3),
  ADMIN_LABEL(4);

  public static final CodePoints<TlvType> CODES = new CodePoints<>(TlvType.class, n -> "type_" + n);

  /** The Initiation message defines types 0-2 only. */
  public static final int MAX_INITIATION = SYS_NAME.code;

  /** The Termination message's reason TLV (RFC 7854 4.5; type 0 is a string). */
  public static final int TERMINATION_REASON = 1;

  /** Route Mirroring TLVs (RFC 7854 4.7): 0 a BGP message, 1 information (a 2-byte code). */
  public static final int MIRRORING_BGP_MESSAGE = 0;

  public static final int MIRRORING_INFORMATION = 1;

  /** Route Mirroring information codes, the {@code kind} label values of their counters. */
  public static final int MIRRORING_ERRORED_PDU = 0;

  public static final int MIRRORING_MESSAGES_LOST = 1;

  private final int code;

  TlvType(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }
}
