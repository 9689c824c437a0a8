package org.bmpexporter.capture;

/** Unsigned reads from byte arrays, no bounds checks beyond the JVM's own. */
final class Bytes {
  private Bytes() {}

  static int u8(byte[] d, int p) {
    return d[p] & 0xff;
  }

  static int u16be(byte[] d, int p) {
    return ((d[p] & 0xff) << 8) | (d[p + 1] & 0xff);
  }

  static int u16le(byte[] d, int p) {
    return (d[p] & 0xff) | ((d[p + 1] & 0xff) << 8);
  }

  static int u16(byte[] d, int p, boolean le) {
    return le ? u16le(d, p) : u16be(d, p);
  }

  static int i32be(byte[] d, int p) {
    return ((d[p] & 0xff) << 24)
        | ((d[p + 1] & 0xff) << 16)
        | ((d[p + 2] & 0xff) << 8)
        | (d[p + 3] & 0xff);
  }

  static int i32le(byte[] d, int p) {
    return (d[p] & 0xff)
        | ((d[p + 1] & 0xff) << 8)
        | ((d[p + 2] & 0xff) << 16)
        | ((d[p + 3] & 0xff) << 24);
  }

  static int i32(byte[] d, int p, boolean le) {
    return le ? i32le(d, p) : i32be(d, p);
  }

  static long u32be(byte[] d, int p) {
    return i32be(d, p) & 0xffffffffL;
  }

  static long u32(byte[] d, int p, boolean le) {
    return i32(d, p, le) & 0xffffffffL;
  }

  static long i64be(byte[] d, int p) {
    return ((long) i32be(d, p) << 32) | (i32be(d, p + 4) & 0xffffffffL);
  }
}
