package org.bmpexporter.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte writer. Encoders write into it with absolute back-patching of length
 * fields ({@link #mark()} then {@link #patchU16}/{@link #patchU32}). Not thread-safe.
 */
public final class ByteWriter {
  byte[] a;
  int pos;

  public ByteWriter(int capacity) {
    a = new byte[Math.max(16, capacity)];
  }

  public ByteWriter() {
    this(4096);
  }

  public int mark() {
    return pos;
  }

  public int size() {
    return pos;
  }

  public void reset() {
    pos = 0;
  }

  public byte[] array() {
    return a;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(a, pos);
  }

  void ensure(int n) {
    if (pos + n > a.length) {
      a = Arrays.copyOf(a, Math.max(a.length * 2, pos + n));
    }
  }

  public ByteWriter u8(int v) {
    ensure(1);
    a[pos++] = (byte) v;
    return this;
  }

  public ByteWriter u16(int v) {
    ensure(2);
    a[pos++] = (byte) (v >>> 8);
    a[pos++] = (byte) v;
    return this;
  }

  public ByteWriter u24(int v) {
    return u8(v >>> 16).u16(v);
  }

  public ByteWriter u32(long v) {
    ensure(4);
    a[pos++] = (byte) (v >>> 24);
    a[pos++] = (byte) (v >>> 16);
    a[pos++] = (byte) (v >>> 8);
    a[pos++] = (byte) v;
    return this;
  }

  public ByteWriter u64(long v) {
    ensure(8);
    for (int s = 56; s >= 0; s -= 8) {
      a[pos++] = (byte) (v >>> s);
    }
    return this;
  }

  public ByteWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  /** Several arrays in a row (the single-array form above makes no varargs array per call). */
  public ByteWriter bytes(byte[]... parts) {
    for (byte[] b : parts) {
      bytes(b, 0, b.length);
    }
    return this;
  }

  /** UTF-8 text, no length. */
  public ByteWriter text(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public ByteWriter zeros(int n) {
    return fill(0, n);
  }

  public ByteWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, a, pos, len);
    pos += len;
    return this;
  }

  public ByteWriter fill(int value, int n) {
    ensure(n);
    Arrays.fill(a, pos, pos + n, (byte) value);
    pos += n;
    return this;
  }

  public void patchU8(int at, int v) {
    a[at] = (byte) v;
  }

  public void patchU16(int at, int v) {
    a[at] = (byte) (v >>> 8);
    a[at + 1] = (byte) v;
  }

  public void patchU32(int at, long v) {
    a[at] = (byte) (v >>> 24);
    a[at + 1] = (byte) (v >>> 16);
    a[at + 2] = (byte) (v >>> 8);
    a[at + 3] = (byte) v;
  }
}
