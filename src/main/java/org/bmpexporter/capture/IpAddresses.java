package org.bmpexporter.capture;

/** Text forms of IP addresses: IPv4 dotted quad, IPv6 canonical (RFC 5952). */
public final class IpAddresses {
  private IpAddresses() {}

  /** Formats a 4-byte (IPv4) or 16-byte (IPv6) address. */
  public static String format(byte[] address) {
    return format(address, 0, address.length);
  }

  /** Formats {@code len} (4 or 16) bytes at {@code off} as an address. */
  public static String format(byte[] b, int off, int len) {
    if (len == 4) {
      return formatV4(b, off);
    }
    if (len == 16) {
      return formatV6(b, off);
    }
    throw new IllegalArgumentException("address length must be 4 or 16, not " + len);
  }

  private static String formatV4(byte[] b, int off) {
    return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "." + (b[off + 3] & 0xff);
  }

  /**
   * RFC 5952: lower-case hex, no leading zeros, the longest run (the first one on a tie) of two or more all-zero
   * 16-bit groups replaced by "::"; IPv4-mapped addresses (::ffff:0:0/96) end in dotted quad (section 5).
   */
  private static String formatV6(byte[] b, int off) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff);
    }
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:" + formatV4(b, off + 12);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestLen = j - i;
        bestStart = i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
