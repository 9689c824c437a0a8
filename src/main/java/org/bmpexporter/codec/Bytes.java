package org.bmpexporter.codec;

/** Big-endian reads with absolute offsets; callers check bounds first. */
public final class Bytes {
  private Bytes() {}

  public static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  public static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  public static int u24(byte[] b, int i) {
    return ((b[i] & 0xff) << 16) | ((b[i + 1] & 0xff) << 8) | (b[i + 2] & 0xff);
  }

  public static long u32(byte[] b, int i) {
    return s32(b, i) & 0xffffffffL;
  }

  public static int s32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }

  public static long s64(byte[] b, int i) {
    return ((long) s32(b, i) << 32) | (s32(b, i + 4) & 0xffffffffL);
  }

  public static String hex(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder(len * 2);
    for (int i = 0; i < len; i++) {
      sb.append(Character.forDigit((b[off + i] >> 4) & 0xf, 16))
          .append(Character.forDigit(b[off + i] & 0xf, 16));
    }
    return sb.toString();
  }
}
