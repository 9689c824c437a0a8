package org.bmpexporter.codec;

/**
 * Known deviations of real routers from the RFCs that are decoded anyway. Each value is one bounded
 * {@code quirk} label value of {@code bmp_router_quirks_total}; none is a decode error, because the
 * data is used as the router meant it.
 */
public enum Quirk {
  /**
   * A well-formed TLV after the BGP PDU of a version 3 Route Monitoring, of a type without the
   * enterprise bit (type below 0x8000); the UPDATE is used, the TLV skipped.
   */
  TRAILING_TLV_STANDARD("trailing_tlv_standard"),
  /**
   * The same with the enterprise bit set (type 0x8000 and above): Huawei VRP 8.230 appends an
   * 8-byte TLV of type 0xEA62 to Loc-RIB Route Monitoring messages.
   */
  TRAILING_TLV_ENTERPRISE("trailing_tlv_enterprise"),
  /**
   * A Peer Up whose per-peer header is all zeros (no type, address, AS or BGP ID): FRR 8.0.1 sends
   * one carrying only a table name. It names no peer, so it is ignored.
   */
  ALL_ZERO_PEER_HEADER("all_zero_peer_header"),
  /**
   * An AS_PATH that parses only with the other AS number width than the A flag says: FRR 8.0.1
   * sends 2-octet AS_PATHs without the A flag in its Loc-RIB Route Monitoring.
   */
  AS_PATH_WIDTH("as_path_width"),
  /** Adj-RIB-In NLRI carry ADD-PATH path identifiers the Peer Up OPENs did not negotiate. */
  ADJ_RIB_IN_ADDPATH_UNDECLARED("adj_rib_in_addpath_undeclared"),
  /** Adj-RIB-In NLRI lack the path identifiers the Peer Up OPENs negotiated. */
  ADJ_RIB_IN_ADDPATH_ABSENT("adj_rib_in_addpath_absent"),
  /** Adj-RIB-Out NLRI carry path identifiers the OPENs did not negotiate for routes sent. */
  ADJ_RIB_OUT_ADDPATH_UNDECLARED("adj_rib_out_addpath_undeclared"),
  /** Adj-RIB-Out NLRI lack the path identifiers the OPENs negotiated for routes sent. */
  ADJ_RIB_OUT_ADDPATH_ABSENT("adj_rib_out_addpath_absent"),
  /** Loc-RIB NLRI carry path identifiers the Loc-RIB Peer Up's OPEN does not declare. */
  LOC_RIB_ADDPATH_UNDECLARED("loc_rib_addpath_undeclared"),
  /** Loc-RIB NLRI lack the path identifiers the Loc-RIB Peer Up's OPEN declares. */
  LOC_RIB_ADDPATH_ABSENT("loc_rib_addpath_absent"),
  /**
   * A BMP version 4 TLV with the enterprise (E) bit set, in a Route Monitoring or after Peer Down
   * data: a vendor's own extension, skipped by its length (counted once per message).
   */
  V4_ENTERPRISE_TLV("v4_enterprise_tlv"),
  /**
   * A BMP version 4 Route Monitoring whose BGP PDU TLV has another type than the deployed 4 (an
   * earlier draft revision's numbering): found by its BGP marker and decoded.
   */
  V4_TLV_NUMBERING("v4_tlv_numbering");

  private final String label;

  Quirk(String label) {
    this.label = label;
  }

  /** The Prometheus label value. */
  public String label() {
    return label;
  }
}
