package org.bmpexporter.bgp;

import java.util.List;
import org.bmpexporter.codec.CodePoint;
import org.bmpexporter.codec.CodePoints;

/**
 * BGP NOTIFICATION error codes and their subcodes (IANA "BGP Error (Notification) Codes" and
 * "Subcodes" registries) in snake_case, for the {@code notification} label; unknown codes are
 * labelled {@code code_<n>}, unknown subcodes {@code subcode_<n>}.
 */
public enum NotificationCode implements CodePoint {
  MESSAGE_HEADER_ERROR(1, "connection_not_synchronized", "bad_message_length", "bad_message_type"),
  OPEN_MESSAGE_ERROR(
      2,
      "unsupported_version_number",
      "bad_peer_as",
      "bad_bgp_identifier",
      "unsupported_optional_parameter",
      "authentication_failure",
      "unacceptable_hold_time",
      "unsupported_capability",
      "deprecated_8",
      "deprecated_9",
      "deprecated_10",
      "role_mismatch"),
  UPDATE_MESSAGE_ERROR(
      3,
      "malformed_attribute_list",
      "unrecognized_well_known_attribute",
      "missing_well_known_attribute",
      "attribute_flags_error",
      "attribute_length_error",
      "invalid_origin_attribute",
      "as_routing_loop",
      "invalid_next_hop_attribute",
      "optional_attribute_error",
      "invalid_network_field",
      "malformed_as_path"),
  HOLD_TIMER_EXPIRED(4),
  FINITE_STATE_MACHINE_ERROR(
      5,
      "receive_unexpected_message_in_opensent_state",
      "receive_unexpected_message_in_openconfirm_state",
      "receive_unexpected_message_in_established_state"),
  CEASE(
      6,
      "maximum_number_of_prefixes_reached",
      "administrative_shutdown",
      "peer_de_configured",
      "administrative_reset",
      "connection_rejected",
      "other_configuration_change",
      "connection_collision_resolution",
      "out_of_resources",
      "hard_reset",
      "bfd_down"),
  ROUTE_REFRESH_MESSAGE_ERROR(7, "invalid_message_length"),
  SEND_HOLD_TIMER_EXPIRED(8);

  public static final CodePoints<NotificationCode> CODES =
      new CodePoints<>(NotificationCode.class, n -> "code_" + n);
  private final int code;

  /** Subcode labels from subcode 1 on (0 is "unspecific" and not part of the label). */
  @SuppressWarnings("ImmutableEnumChecker") // List.of: unmodifiable (no Guava ImmutableList here)
  private final List<String> subcodes;

  NotificationCode(int code, String... subcodes) {
    this.code = code;
    this.subcodes = List.of(subcodes);
  }

  @Override
  public int code() {
    return code;
  }

  /** The label of {@code subcode} under this code. */
  public String subcodeLabel(int subcode) {
    return subcode > 0 && subcode <= subcodes.size()
        ? subcodes.get(subcode - 1)
        : unknownSubcode(subcode);
  }

  static String unknownSubcode(int subcode) {
    return "subcode_" + subcode;
  }
}
