package org.bmpexporter.bgp.encode;

import org.bmpexporter.codec.ByteWriter;

/**
 * Prefixes packed into one {@code long} key: IPv4 as {@code addr << 8 | len}; IPv6 (length at most
 * 56) as {@code top 56 bits of the address | len}. Keys sort in address order.
 */
public final class Prefixes {
  public static final int MAX_V6_LEN = 56;

  private Prefixes() {}

  public static long v4(int addr, int len) {
    return ((addr & 0xffffffffL) << 8) | len;
  }

  /**
   * @param hi the upper 64 bits of the IPv6 address
   */
  public static long v6(long hi, int len) {
    if (len > MAX_V6_LEN) {
      throw new IllegalArgumentException("IPv6 key supports lengths up to /56, not /" + len);
    }
    return (hi & mask64(len) & ~0xffL) | len;
  }

  public static int len(long key) {
    return (int) (key & 0xff);
  }

  public static int v4Addr(long key) {
    return (int) (key >>> 8);
  }

  public static long v6Hi(long key) {
    return key & ~0xffL;
  }

  /** A mask of the first {@code len} bits of a 32-bit address. */
  public static int mask32(int len) {
    return len == 0 ? 0 : -1 << (32 - len);
  }

  /** A mask of the first {@code len} (at most 64) bits of a 64-bit word. */
  public static long mask64(int len) {
    return len == 0 ? 0 : -1L << (64 - len);
  }

  /** Bytes of the NLRI encoding (length octet + significant address octets). */
  public static int nlriBytes(long key) {
    return 1 + ((len(key) + 7) >>> 3);
  }

  /** Writes the NLRI form of an IPv4 key (length octet, then the significant octets). */
  public static void writeV4(ByteWriter b, long key) {
    int len = len(key);
    int addr = v4Addr(key);
    b.u8(len);
    int n = (len + 7) >>> 3;
    for (int i = 0; i < n; i++) {
      b.u8(addr >>> (24 - 8 * i));
    }
  }

  /** Writes the NLRI form of an IPv6 key. */
  public static void writeV6(ByteWriter b, long key) {
    int len = len(key);
    long hi = v6Hi(key);
    b.u8(len);
    int n = (len + 7) >>> 3;
    for (int i = 0; i < n; i++) {
      b.u8((int) (hi >>> (56 - 8 * i)));
    }
  }

  public static String text(boolean v6, long key) {
    int len = len(key);
    if (!v6) {
      int a = v4Addr(key);
      return (a >>> 24)
          + "."
          + ((a >>> 16) & 255)
          + "."
          + ((a >>> 8) & 255)
          + "."
          + (a & 255)
          + "/"
          + len;
    }
    long hi = v6Hi(key);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString((int) ((hi >>> (48 - 16 * i)) & 0xffff)));
    }
    return sb.append("::/").append(len).toString();
  }
}
