package org.bmpexporter.bgp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A BGP NOTIFICATION (RFC 4271 4.5) with IANA code and subcode names, the RFC 4486 maximum-prefix
 * data and the RFC 8203/9003 shutdown communication.
 */
public record Notification(int code, int subcode, byte[] data) {

  public static final int CEASE = 6;
  public static final int CEASE_MAX_PREFIX = 1;
  public static final int CEASE_ADMIN_SHUTDOWN = 2;
  public static final int CEASE_ADMIN_RESET = 4;

  private static final String[] CODES = {
    null,
    "message_header_error",
    "open_message_error",
    "update_message_error",
    "hold_timer_expired",
    "finite_state_machine_error",
    "cease",
    "route_refresh_message_error",
    "send_hold_timer_expired"
  };

  private static final String[][] SUBCODES = {
    {},
    {null, "connection_not_synchronized", "bad_message_length", "bad_message_type"},
    {
      null,
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
      "role_mismatch"
    },
    {
      null,
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
      "malformed_as_path"
    },
    {},
    {
      null,
      "receive_unexpected_message_in_opensent_state",
      "receive_unexpected_message_in_openconfirm_state",
      "receive_unexpected_message_in_established_state"
    },
    {
      null,
      "maximum_number_of_prefixes_reached",
      "administrative_shutdown",
      "peer_de_configured",
      "administrative_reset",
      "connection_rejected",
      "other_configuration_change",
      "connection_collision_resolution",
      "out_of_resources",
      "hard_reset",
      "bfd_down"
    },
    {null, "invalid_message_length"},
    {}
  };

  public Notification {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public String codeName() {
    return code > 0 && code < CODES.length ? CODES[code] : "code_" + code;
  }

  public String subcodeName() {
    if (code > 0 && code < SUBCODES.length && subcode > 0 && subcode < SUBCODES[code].length) {
      return SUBCODES[code][subcode];
    }
    return "subcode_" + subcode;
  }

  /** The {@code notification} label: {@code code} or {@code code/subcode} in snake_case. */
  public String label() {
    return subcode == 0 ? codeName() : codeName() + "/" + subcodeName();
  }

  /** RFC 8203/9003 shutdown communication of Cease 2 or 4, or null. */
  public String shutdownCommunication() {
    if (code != CEASE || (subcode != CEASE_ADMIN_SHUTDOWN && subcode != CEASE_ADMIN_RESET)) {
      return null;
    }
    if (data.length < 1 || (data[0] & 0xff) == 0 || (data[0] & 0xff) + 1 > data.length) {
      return null;
    }
    return new String(data, 1, data[0] & 0xff, StandardCharsets.UTF_8);
  }

  /** RFC 4486 maximum-prefix data: {afi, safi, limit}, or null when absent. */
  public long[] maxPrefixData() {
    if (code != CEASE || subcode != CEASE_MAX_PREFIX || data.length < 7) {
      return null;
    }
    return new long[] {
      ((data[0] & 0xff) << 8) | (data[1] & 0xff),
      data[2] & 0xff,
      ((long) (data[3] & 0xff) << 24) | ((data[4] & 0xff) << 16) | ((data[5] & 0xff) << 8)
          | (data[6] & 0xff)
    };
  }

  /** A one-line description for logs. */
  public String describe() {
    StringBuilder sb = new StringBuilder(label());
    long[] max = maxPrefixData();
    if (max != null) {
      sb.append(" (").append(AfiSafi.label(AfiSafi.of((int) max[0], (int) max[1])))
          .append(" limit ").append(max[2]).append(')');
    }
    String text = shutdownCommunication();
    if (text != null) {
      sb.append(" \"").append(text.replaceAll("\\p{Cntrl}", " ")).append('"');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Notification n && n.code == code && n.subcode == subcode
        && Arrays.equals(n.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * code + subcode) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Notification[" + describe() + "]";
  }
}
