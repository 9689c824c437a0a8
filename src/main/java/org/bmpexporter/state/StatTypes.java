package org.bmpexporter.state;

/** Statistics type label values (RFC 7854 4.8, RFC 8671, IANA BMP statistics types). */
public final class StatTypes {
  private static final String[] NAMES = {
    "rejected_prefixes",
    "duplicate_prefix_advertisements",
    "duplicate_withdraws",
    "invalid_cluster_list_loop",
    "invalid_as_path_loop",
    "invalid_originator_id",
    "invalid_as_confed_loop",
    "adj_rib_in_routes",
    "loc_rib_routes",
    "adj_rib_in_routes",
    "loc_rib_routes",
    "updates_treated_as_withdraw",
    "prefixes_treated_as_withdraw",
    "duplicate_update_messages",
    "adj_rib_out_pre_policy_routes",
    "adj_rib_out_post_policy_routes",
    "adj_rib_out_pre_policy_routes",
    "adj_rib_out_post_policy_routes"
  };

  private StatTypes() {}

  public static String label(int statType) {
    return statType >= 0 && statType < NAMES.length ? NAMES[statType] : "type_" + statType;
  }
}
