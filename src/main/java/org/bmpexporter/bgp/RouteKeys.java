package org.bmpexporter.bgp;

import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.Bytes;

/**
 * Text forms of the route keys {@link UpdateDecoder} produces, for tools and logs (not metrics).
 */
public final class RouteKeys {
  private RouteKeys() {}

  public static String text(int family, byte[] k, int off, int len) {
    switch (AfiSafi.kind(family)) {
      case PREFIX:
      case LABELED_PREFIX:
        return prefix(AfiSafi.afi(family) == AfiSafi.AFI_IPV6, k, off);
      case VPN_PREFIX:
        return Addresses.routeDistinguisher(Bytes.s64(k, off))
            + " "
            + prefix(AfiSafi.afi(family) == AfiSafi.AFI_IPV6, k, off + 8);
      default:
        return Bytes.hex(k, off, len);
    }
  }

  private static String prefix(boolean ipv6, byte[] k, int off) {
    int bits = k[off] & 0xff;
    byte[] addr = new byte[ipv6 ? 16 : 4];
    System.arraycopy(k, off + 1, addr, 0, (bits + 7) >>> 3);
    return (ipv6 ? Addresses.ipv6(addr, 0) : Addresses.ipv4(addr, 0)) + "/" + bits;
  }
}
