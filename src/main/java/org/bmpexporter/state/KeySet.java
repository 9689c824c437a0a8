package org.bmpexporter.state;

import java.util.HashSet;
import java.util.Set;

/** Route keys of families without a compact form (EVPN, VPLS, flowspec, BGP-LS). */
final class KeySet implements RouteSet {
  private final Set<Key> keys = new HashSet<>();
  private final KeyedHash keyedHash;

  KeySet() {
    this(KeyedHash.PROCESS);
  }

  KeySet(KeyedHash keyedHash) {
    this.keyedHash = keyedHash;
  }

  @Override
  public boolean add(byte[] key, int off, int len) {
    return keys.add(new Key(key, off, len, keyedHash));
  }

  @Override
  public boolean remove(byte[] key, int off, int len) {
    return keys.remove(new Key(key, off, len, keyedHash));
  }

  @Override
  public long size() {
    return keys.size();
  }

  @Override
  public long heapBytes() {
    return 64 + keys.size() * 112L;
  }
}
