package org.bmpexporter.state;

import java.util.Arrays;

/** A route key copied out of the decoder's scratch buffer, for the rare families kept by bytes. */
final class Key {
  private final byte[] bytes;
  private final int hash;

  Key(byte[] b, int off, int len) {
    this.bytes = Arrays.copyOfRange(b, off, off + len);
    this.hash = Arrays.hashCode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
