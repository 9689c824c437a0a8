package org.bmpexporter.state;

import java.util.Arrays;

/**
 * A route key copied out of the decoder's scratch buffer, for the rare families kept by bytes. Its
 * hash is keyed ({@link KeyedHash}) so that a sender cannot choose keys that share a bucket; it is
 * also {@code Comparable}, so a bucket that grows long anyway becomes a balanced tree in {@code
 * HashMap}.
 */
final class Key implements Comparable<Key> {
  private final byte[] bytes;
  private final int hash;

  Key(byte[] b, int off, int len, KeyedHash keyedHash) {
    this.bytes = Arrays.copyOfRange(b, off, off + len);
    this.hash = KeyedHash.fold(keyedHash.hash(bytes, 0, len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Key other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }
}
