package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/**
 * The policy class of a Huawei route policy trace event (BMP message type 100, Policy TLV; the
 * numbering of draft-xu-grow-bmp-route-policy-attr-trace as Wireshark's packet-bmp.c decodes it):
 * the {@code policy_class} label values of {@code bmp_route_policy_trace_events_total}.
 */
public enum PolicyClass implements CodePoint {
  IN(0),
  OUT(1),
  MP_REDISTRIBUTE(2),
  CROSS_VRF(3),
  VRF_IMPORT(4),
  VRF_EXPORT(5),
  NETWORK(6),
  AGGREGATION(7),
  WITHDRAW(8),
  /** Any other class, or an event without a Policy TLV. */
  UNKNOWN(-1);

  public static final CodePoints<PolicyClass> CODES =
      new CodePoints<>(PolicyClass.class, n -> "unknown");
  private final int code;

  PolicyClass(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The class of {@code code}, {@link #UNKNOWN} for any other (or -1: no Policy TLV). */
  public static PolicyClass of(int code) {
    PolicyClass c = CODES.find(code);
    return c != null ? c : UNKNOWN;
  }
}
