package org.bmpexporter.capture;

import org.bmpexporter.codec.Addresses;

/** Text forms of packet addresses: IPv4 dotted quad, IPv6 canonical (RFC 5952). */
public final class IpAddresses {
  private IpAddresses() {}

  /** Formats a 4-byte (IPv4) or 16-byte (IPv6) address. */
  public static String format(byte[] address) {
    return format(address, 0, address.length);
  }

  /** Formats {@code len} (4 or 16) bytes at {@code off} as an address. */
  public static String format(byte[] b, int off, int len) {
    if (len == 4) {
      return Addresses.ipv4(b, off);
    }
    if (len == 16) {
      return Addresses.ipv6(b, off);
    }
    throw new IllegalArgumentException("address length must be 4 or 16, not " + len);
  }
}
