package org.bmpexporter.wire;

import org.bmpexporter.bgp.Direction;

/** Which RIB a per-peer header's routes belong to (RFC 7854 L flag, RFC 8671 O flag, RFC 9069). */
public enum Rib {
  ADJ_RIB_IN_PRE("adj_rib_in_pre"),
  ADJ_RIB_IN_POST("adj_rib_in_post"),
  ADJ_RIB_OUT_PRE("adj_rib_out_pre"),
  ADJ_RIB_OUT_POST("adj_rib_out_post"),
  LOC_RIB("loc_rib");

  private static final Rib[] VALUES = values();
  private final String label;

  Rib(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Rib of(int ordinal) {
    return VALUES[ordinal];
  }

  /** Adj-RIB-Out routes are sent by the router to the peer; the others were received. */
  public Direction direction() {
    return this == ADJ_RIB_OUT_PRE || this == ADJ_RIB_OUT_POST
        ? Direction.SENT
        : Direction.RECEIVED;
  }
}
