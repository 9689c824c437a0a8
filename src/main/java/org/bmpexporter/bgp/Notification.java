package org.bmpexporter.bgp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bmpexporter.codec.Text;

/**
 * A BGP NOTIFICATION (RFC 4271 4.5) with IANA code and subcode names, the RFC 4486 maximum-prefix
 * data and the RFC 8203/9003 shutdown communication.
 */
public record Notification(int code, int subcode, byte[] data) {

  public static final int CEASE = NotificationCode.CEASE.code();
  public static final int CEASE_MAX_PREFIX = 1;
  public static final int CEASE_ADMIN_SHUTDOWN = 2;
  public static final int CEASE_ADMIN_RESET = 4;

  public Notification {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public String codeName() {
    return NotificationCode.CODES.label(code);
  }

  public String subcodeName() {
    NotificationCode known = NotificationCode.CODES.find(code);
    return known != null ? known.subcodeLabel(subcode) : NotificationCode.unknownSubcode(subcode);
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
      ((long) (data[3] & 0xff) << 24)
          | ((data[4] & 0xff) << 16)
          | ((data[5] & 0xff) << 8)
          | (data[6] & 0xff)
    };
  }

  /** A one-line description for logs. */
  public String describe() {
    StringBuilder sb = new StringBuilder(label());
    long[] max = maxPrefixData();
    if (max != null) {
      sb.append(" (")
          .append(AfiSafi.label(AfiSafi.of((int) max[0], (int) max[1])))
          .append(" limit ")
          .append(max[2])
          .append(')');
    }
    String text = shutdownCommunication();
    if (text != null) {
      // RFC 9003 allows 255 bytes of UTF-8: at most 255 chars
      sb.append(" \"").append(Text.printable(text, 255)).append('"');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Notification n
        && n.code == code
        && n.subcode == subcode
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
