package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/**
 * Statistics Report types (RFC 7854 4.8, RFC 8671, IANA "BMP Statistics Types") with the value
 * length each must have: 4 (32-bit counter), 8 (64-bit gauge) or 11 (AFI, SAFI and a 64-bit gauge).
 * Per-AFI/SAFI variants share the label of their total (the {@code afi_safi} label tells them
 * apart). Unknown types are labelled {@code type_<n>}.
 */
public enum StatType implements CodePoint {
  REJECTED_PREFIXES(0, "rejected_prefixes", 4),
  DUPLICATE_PREFIX_ADVERTISEMENTS(1, "duplicate_prefix_advertisements", 4),
  DUPLICATE_WITHDRAWS(2, "duplicate_withdraws", 4),
  INVALID_CLUSTER_LIST_LOOP(3, "invalid_cluster_list_loop", 4),
  INVALID_AS_PATH_LOOP(4, "invalid_as_path_loop", 4),
  INVALID_ORIGINATOR_ID(5, "invalid_originator_id", 4),
  INVALID_AS_CONFED_LOOP(6, "invalid_as_confed_loop", 4),
  ADJ_RIB_IN_ROUTES(7, "adj_rib_in_routes", 8),
  LOC_RIB_ROUTES(8, "loc_rib_routes", 8),
  ADJ_RIB_IN_ROUTES_PER_AFI_SAFI(9, "adj_rib_in_routes", 11),
  LOC_RIB_ROUTES_PER_AFI_SAFI(10, "loc_rib_routes", 11),
  UPDATES_TREATED_AS_WITHDRAW(11, "updates_treated_as_withdraw", 4),
  PREFIXES_TREATED_AS_WITHDRAW(12, "prefixes_treated_as_withdraw", 4),
  DUPLICATE_UPDATE_MESSAGES(13, "duplicate_update_messages", 4),
  ADJ_RIB_OUT_PRE_POLICY_ROUTES(14, "adj_rib_out_pre_policy_routes", 8),
  ADJ_RIB_OUT_POST_POLICY_ROUTES(15, "adj_rib_out_post_policy_routes", 8),
  ADJ_RIB_OUT_PRE_POLICY_ROUTES_PER_AFI_SAFI(16, "adj_rib_out_pre_policy_routes", 11),
  ADJ_RIB_OUT_POST_POLICY_ROUTES_PER_AFI_SAFI(17, "adj_rib_out_post_policy_routes", 11);

  /** Value lengths: a 32-bit counter, a 64-bit gauge, AFI (2) + SAFI (1) + a 64-bit gauge. */
  public static final int COUNTER_LENGTH = 4;

  public static final int GAUGE_LENGTH = 8;
  public static final int AFI_SAFI_GAUGE_LENGTH = 11;

  public static final CodePoints<StatType> CODES =
      new CodePoints<>(StatType.class, n -> "type_" + n);
  private final int code;
  private final String label;
  private final int length;

  StatType(int code, String label, int length) {
    this.code = code;
    this.label = label;
    this.length = length;
  }

  @Override
  public int code() {
    return code;
  }

  @Override
  public String label() {
    return label;
  }

  /** The value length this type must have. */
  public int length() {
    return length;
  }
}
