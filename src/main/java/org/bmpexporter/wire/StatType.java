package org.bmpexporter.wire;

import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/**
 * Statistics Report types (RFC 7854 4.8, RFC 8671, IANA "BMP Statistics Types") with the value
 * length each must have: 4 (32-bit counter), 8 (64-bit gauge) or 11 (AFI, SAFI and a 64-bit gauge);
 * RFC 9972's types 18-43 are typed by the length they come with. Per-AFI/SAFI variants share the
 * label of their total (the {@code afi_safi} label tells them apart). Unknown types are labelled
 * {@code type_<n>}.
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
  ADJ_RIB_OUT_POST_POLICY_ROUTES_PER_AFI_SAFI(17, "adj_rib_out_post_policy_routes", 11),
  // RFC 9972: typed by the length the router sends (its types are gauges, global or per
  // AFI/SAFI); 24 and 25 are unassigned.
  PRE_POLICY_ADJ_RIB_IN_ROUTES(18, "pre_policy_adj_rib_in_routes", StatType.BY_LENGTH),
  PRE_POLICY_ADJ_RIB_IN_ROUTES_PER_AFI_SAFI(19, "pre_policy_adj_rib_in_routes", StatType.BY_LENGTH),
  POST_POLICY_ADJ_RIB_IN_ROUTES(20, "post_policy_adj_rib_in_routes", StatType.BY_LENGTH),
  POST_POLICY_ADJ_RIB_IN_ROUTES_PER_AFI_SAFI(
      21, "post_policy_adj_rib_in_routes", StatType.BY_LENGTH),
  PRE_POLICY_ADJ_RIB_IN_REJECTED_ROUTES(
      22, "pre_policy_adj_rib_in_rejected_routes", StatType.BY_LENGTH),
  POST_POLICY_ADJ_RIB_IN_ACCEPTED_ROUTES(
      23, "post_policy_adj_rib_in_accepted_routes", StatType.BY_LENGTH),
  DAMPING_SUPPRESSED_ROUTES(26, "damping_suppressed_routes", StatType.BY_LENGTH),
  GR_STALE_ROUTES(27, "gr_stale_routes", StatType.BY_LENGTH),
  LLGR_STALE_ROUTES(28, "llgr_stale_routes", StatType.BY_LENGTH),
  ROUTES_BEFORE_MAX_PREFIX_THRESHOLD(29, "routes_before_max_prefix_threshold", StatType.BY_LENGTH),
  ROUTES_BEFORE_MAX_PREFIX_THRESHOLD_PER_AFI_SAFI(
      30, "routes_before_max_prefix_threshold", StatType.BY_LENGTH),
  ROUTES_BEFORE_LICENSE_THRESHOLD(31, "routes_before_license_threshold", StatType.BY_LENGTH),
  ROUTES_BEFORE_LICENSE_THRESHOLD_PER_AFI_SAFI(
      32, "routes_before_license_threshold", StatType.BY_LENGTH),
  AS_PATH_LENGTH_REJECTED_ROUTES(33, "as_path_length_rejected_routes", StatType.BY_LENGTH),
  AS_PATH_LENGTH_REJECTED_ROUTES_PER_AFI_SAFI(
      34, "as_path_length_rejected_routes", StatType.BY_LENGTH),
  ROV_INVALID_ROUTES(35, "rov_invalid_routes", StatType.BY_LENGTH),
  ROV_VALID_ROUTES(36, "rov_valid_routes", StatType.BY_LENGTH),
  ROV_NOT_FOUND_ROUTES(37, "rov_not_found_routes", StatType.BY_LENGTH),
  ADJ_RIB_OUT_PRE_POLICY_REJECTED_ROUTES(
      38, "adj_rib_out_pre_policy_rejected_routes", StatType.BY_LENGTH),
  ADJ_RIB_OUT_AS_PATH_LENGTH_FILTERED_ROUTES(
      39, "adj_rib_out_as_path_length_filtered_routes", StatType.BY_LENGTH),
  ADJ_RIB_OUT_AS_PATH_LENGTH_FILTERED_ROUTES_PER_AFI_SAFI(
      40, "adj_rib_out_as_path_length_filtered_routes", StatType.BY_LENGTH),
  ADJ_RIB_OUT_ROV_INVALID_ROUTES(41, "adj_rib_out_rov_invalid_routes", StatType.BY_LENGTH),
  ADJ_RIB_OUT_ROV_VALID_ROUTES(42, "adj_rib_out_rov_valid_routes", StatType.BY_LENGTH),
  ADJ_RIB_OUT_ROV_NOT_FOUND_ROUTES(43, "adj_rib_out_rov_not_found_routes", StatType.BY_LENGTH);

  /** Value lengths: a 32-bit counter, a 64-bit gauge, AFI (2) + SAFI (1) + a 64-bit gauge. */
  public static final int COUNTER_LENGTH = 4;

  public static final int GAUGE_LENGTH = 8;
  public static final int AFI_SAFI_GAUGE_LENGTH = 11;

  /**
   * A type whose value is read as its length says: any of the three lengths above. RFC 9972 names
   * the global and per-AFI/SAFI forms by type, but deployed code decodes them by length.
   */
  public static final int BY_LENGTH = -1;

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

  /** The value length this type must have, or {@link #BY_LENGTH}. */
  public int length() {
    return length;
  }
}
