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

  /** Whether the bits after the prefix length are all 0 (a prefix, not an address in one). */
  public boolean hostBitsClear() {
    for (int i = bits; i < network.length * 8; i++) {
      if ((network[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The prefix with its host bits cleared. */
  public Cidr masked() {
    byte[] net = network.clone();
    for (int i = bits; i < net.length * 8; i++) {
      net[i >>> 3] &= (byte) ~(0x80 >>> (i & 7));
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
