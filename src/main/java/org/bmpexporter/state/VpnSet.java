package org.bmpexporter.state;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenCustomHashMap;
import org.bmpexporter.codec.Bytes;

/**
 * VPN prefixes ({@code [RD][bits][prefix]} keys): one compact {@link PrefixSet} per RD, found by a
 * keyed hash of the RD ({@link KeyedHash}).
 */
final class VpnSet implements RouteSet {
  private final boolean ipv6;
  private final KeyedHash keyedHash;
  private final Long2ObjectOpenCustomHashMap<PrefixSet> byRd;
  private long size;

  VpnSet(boolean ipv6) {
    this(ipv6, KeyedHash.PROCESS);
  }

  VpnSet(boolean ipv6, KeyedHash keyedHash) {
    this.ipv6 = ipv6;
    this.keyedHash = keyedHash;
    this.byRd = new Long2ObjectOpenCustomHashMap<>(keyedHash);
  }

  @Override
  public boolean add(byte[] key, int off, int len) {
    long rd = Bytes.s64(key, off);
    PrefixSet set = byRd.get(rd);
    if (set == null) {
      set = new PrefixSet(ipv6, keyedHash);
      byRd.put(rd, set);
    }
    boolean added = set.add(key, off + 8, len - 8);
    if (added) {
      size++;
    }
    return added;
  }

  @Override
  public boolean remove(byte[] key, int off, int len) {
    PrefixSet set = byRd.get(Bytes.s64(key, off));
    boolean removed = set != null && set.remove(key, off + 8, len - 8);
    if (removed) {
      size--;
      if (set.size() == 0) {
        byRd.remove(Bytes.s64(key, off));
      }
    }
    return removed;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long heapBytes() {
    long bytes = 64 + byRd.size() * 24L;
    for (PrefixSet set : byRd.values()) {
      bytes += set.heapBytes();
    }
    return bytes;
  }
}
