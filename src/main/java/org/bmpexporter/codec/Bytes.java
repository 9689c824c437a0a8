package org.bmpexporter.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian reads with absolute offsets; callers check bounds first. */
public final class Bytes {
  private Bytes() {}

  // One load per field instead of one per byte: these reads run several times per BMP message.
  // Out of bounds they throw IndexOutOfBoundsException, as the array reads did (its superclass).
  private static final VarHandle I16 =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle I32 =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle I64 =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  public static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  public static int u16(byte[] b, int i) {
    return (short) I16.get(b, i) & 0xffff;
  }

  public static int u24(byte[] b, int i) {
    return ((b[i] & 0xff) << 16) | ((b[i + 1] & 0xff) << 8) | (b[i + 2] & 0xff);
  }

  public static long u32(byte[] b, int i) {
    return s32(b, i) & 0xffffffffL;
  }

  public static int s32(byte[] b, int i) {
    return (int) I32.get(b, i);
  }

  public static long s64(byte[] b, int i) {
    return (long) I64.get(b, i);
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
