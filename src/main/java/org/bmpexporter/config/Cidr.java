package org.bmpexporter.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An address range for the BMP access list. */
public record Cidr(byte[] network, int bits) {

  /** Parses an address or {@code ADDRESS/BITS}; the exception's message is the problem. */
  public static Cidr parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    // only literals: InetAddress would otherwise resolve a host name through DNS
    if (!addr.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR");
    }
    byte[] net;
    try {
      net = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR");
    }
    int bits = net.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("prefix length in '" + text + "' is not a number");
      }
      if (bits < 0 || bits > net.length * 8) {
        throw new IllegalArgumentException("prefix length in '" + text + "' out of range");
      }
    }
    return new Cidr(net, bits);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i & 7);
      if ((a[i >>> 3] & mask) != (network[i >>> 3] & mask)) {
        return false;
      }
    }
    return true;
  }

  // By content: a record compares arrays by identity, and configurations are compared whole.
  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && bits == c.bits && Arrays.equals(network, c.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + bits;
  }

  /** As {@link #parse} reads it back. */
  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("network of " + network.length + " bytes", e);
    }
  }
}
