package org.bmpexporter.wire;

/** BMP message types (RFC 7854 section 4.1); the label values of the metrics contract. */
public enum MessageType {
  ROUTE_MONITORING(0, "route_monitoring"),
  STATISTICS_REPORT(1, "statistics_report"),
  PEER_DOWN(2, "peer_down"),
  PEER_UP(3, "peer_up"),
  INITIATION(4, "initiation"),
  TERMINATION(5, "termination"),
  ROUTE_MIRRORING(6, "route_mirroring"),
  UNKNOWN(-1, "unknown");

  private static final MessageType[] BY_CODE = {
    ROUTE_MONITORING, STATISTICS_REPORT, PEER_DOWN, PEER_UP, INITIATION, TERMINATION, ROUTE_MIRRORING
  };

  private final int code;
  private final String label;

  MessageType(int code, String label) {
    this.code = code;
    this.label = label;
  }

  public int code() {
    return code;
  }

  public String label() {
    return label;
  }

  public static MessageType of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
  }
}
