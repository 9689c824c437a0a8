package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/**
 * BMP version 4 TLV types of Route Monitoring (draft-ietf-grow-bmp-tlv), in the numbering deployed
 * by pmacct, Wireshark and routers. The draft's revisions numbered them differently (NetGauze
 * decoded the BGP PDU as type 1 for a while): {@link V4RouteMonitoring} therefore finds the BGP PDU
 * by its marker when the numbering disagrees. This is the one table of these code points.
 */
public enum V4TlvType implements CodePoint {
  /** A BGP capability (e.g. ADD-PATH) that applies to this message only. */
  STATELESS_PARSING(1),
  /** A list of NLRI indexes, named by an index with the G bit set. */
  GROUP(2),
  VRF_TABLE_NAME(3),
  BGP_PDU(4),
  /** draft-ietf-grow-bmp-path-marking-tlv: 4-byte status bits, optional 2-byte reason code. */
  PATH_MARKING(5);

  public static final CodePoints<V4TlvType> CODES =
      new CodePoints<>(V4TlvType.class, n -> "type_" + n);

  /** The top bit of a TLV type: a 4-byte IANA enterprise number begins the value. */
  public static final int ENTERPRISE_BIT = 0x8000;

  /** The top bit of a Route Monitoring TLV's index: the index names a group TLV. */
  public static final int GROUP_BIT = 0x8000;

  private final int code;

  V4TlvType(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }
}
