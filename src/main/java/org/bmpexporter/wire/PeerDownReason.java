package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/** Peer Down reasons (RFC 7854 4.9, RFC 9069 reason 6); any other code is labelled unknown. */
public enum PeerDownReason implements CodePoint {
  LOCAL_NOTIFICATION(1),
  LOCAL_NO_NOTIFICATION(2),
  REMOTE_NOTIFICATION(3),
  REMOTE_NO_NOTIFICATION(4),
  PEER_DECONFIGURED(5),
  LOCAL_SYSTEM_CLOSED(6);

  /** The label of a reason code no RFC defines (the metrics contract's fixed value). */
  public static final String UNKNOWN = "unknown";

  public static final CodePoints<PeerDownReason> CODES =
      new CodePoints<>(PeerDownReason.class, n -> UNKNOWN);
  private final int code;

  PeerDownReason(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }
}
