package org.bmpexporter.codec;

/** Text forms of IP addresses (RFC 5952 for IPv6) and route distinguishers (RFC 4364). */
public final class Addresses {
  private Addresses() {}

  public static String ipv4(byte[] b, int off) {
    return (b[off] & 0xff)
        + "."
        + (b[off + 1] & 0xff)
        + "."
        + (b[off + 2] & 0xff)
        + "."
        + (b[off + 3] & 0xff);
  }

  public static String ipv4(long value) {
    return ((value >>> 24) & 0xff)
        + "."
        + ((value >>> 16) & 0xff)
        + "."
        + ((value >>> 8) & 0xff)
        + "."
        + (value & 0xff);
  }

  /** RFC 5952 canonical form: lower case, longest run (>1) of zero groups compressed. */
  public static String ipv6(byte[] b, int off) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = Bytes.u16(b, off + 2 * i);
    }
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:" + ipv4(b, off + 12);
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
      if (j - i > bestLen && j - i > 1) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
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

  /** IPv4 when the address is IPv4 in the BMP 16-byte field, else IPv6. */
  public static String address16(byte[] b, int off, boolean ipv6) {
    return ipv6 ? ipv6(b, off) : ipv4(b, off + 12);
  }

  /**
   * The bytes (4 or 16) of an IP literal, without any name lookup; null when {@code s} is not one.
   */
  public static byte[] parseLiteral(String s) {
    if (s.indexOf(':') >= 0) {
      if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return null; // not even an IPv6 literal's characters: never handed to the resolver
      }
      try {
        // bracketed, a string that is not an IPv6 literal fails instead of being looked up
        return java.net.InetAddress.getByName("[" + s + "]").getAddress();
      } catch (java.io.IOException | RuntimeException e) {
        return null;
      }
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty()
          || parts[i].length() > 3
          || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }

  /** The canonical text of an address's 4 or 16 bytes (RFC 5952 for IPv6). */
  public static String format(byte[] address) {
    return address.length == 4 ? ipv4(address, 0) : ipv6(address, 0);
  }

  /** A route distinguisher as {@code admin:assigned}; an unknown RD type as {@code type:hex}. */
  public static String routeDistinguisher(long rd) {
    int type = (int) (rd >>> 48) & 0xffff;
    switch (type) {
      case 0:
        return ((rd >>> 32) & 0xffff) + ":" + (rd & 0xffffffffL);
      case 1:
        return ipv4((rd >>> 16) & 0xffffffffL) + ":" + (rd & 0xffff);
      case 2:
        return ((rd >>> 16) & 0xffffffffL) + ":" + (rd & 0xffff);
      default:
        return type + ":" + Long.toHexString(rd & 0xffffffffffffL);
    }
  }
}
