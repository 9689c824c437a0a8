package org.bmpexporter.state;

import it.unimi.dsi.fastutil.longs.LongOpenCustomHashSet;
import java.util.HashSet;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * IPv4 or IPv6 prefixes stored per prefix length as the integer of their first n bits: IPv4 in one
 * compressed bitmap per length (a full table costs about 2.6 bytes per prefix), IPv6 up to /64 in
 * one primitive long hash set per length (about 16 bytes per prefix, no object per prefix; 64-bit
 * compressed bitmaps allocated hundreds of bytes per insert). IPv6 prefixes longer than /64 (rare
 * in tables) fall back to a hash set of keys. Both hash sets hash with the process's secret key
 * ({@link KeyedHash}): a sender choosing the prefixes cannot make them collide.
 */
final class PrefixSet implements RouteSet {
  private final boolean ipv6;
  private final RoaringBitmap[] v4;
  private final LongOpenCustomHashSet[] v6;
  private final KeyedHash keyedHash;
  private Set<Key> longV6;
  private long size;

  PrefixSet(boolean ipv6) {
    this(ipv6, KeyedHash.PROCESS);
  }

  PrefixSet(boolean ipv6, KeyedHash keyedHash) {
    this.ipv6 = ipv6;
    this.keyedHash = keyedHash;
    this.v4 = ipv6 ? null : new RoaringBitmap[33];
    this.v6 = ipv6 ? new LongOpenCustomHashSet[65] : null;
  }

  @Override
  public boolean add(byte[] k, int off, int len) {
    int bits = k[off] & 0xff;
    boolean added;
    if (!ipv6) {
      RoaringBitmap bm = v4[bits];
      if (bm == null) {
        v4[bits] = firstOf(v4Value(k, off, bits));
        added = true;
      } else {
        added = bm.checkedAdd(v4Value(k, off, bits));
      }
    } else if (bits <= 64) {
      LongOpenCustomHashSet set = v6[bits];
      if (set == null) {
        set = v6[bits] = new LongOpenCustomHashSet(keyedHash);
      }
      added = set.add(v6Value(k, off, bits));
    } else {
      if (longV6 == null) {
        longV6 = new HashSet<>();
      }
      added = longV6.add(new Key(k, off, len, keyedHash));
    }
    if (added) {
      size++;
    }
    return added;
  }

  @Override
  public boolean remove(byte[] k, int off, int len) {
    int bits = k[off] & 0xff;
    boolean removed;
    if (!ipv6) {
      RoaringBitmap bm = bits <= 32 ? v4[bits] : null;
      removed = bm != null && bm.checkedRemove(v4Value(k, off, bits));
      if (removed && bm.isEmpty()) {
        v4[bits] = null; // see firstOf: the hot checkedAdd never meets an empty bitmap
      }
    } else if (bits <= 64) {
      LongOpenCustomHashSet set = v6[bits];
      removed = set != null && set.remove(v6Value(k, off, bits));
    } else {
      removed = longV6 != null && longV6.remove(new Key(k, off, len, keyedHash));
    }
    if (removed) {
      size--;
    }
    return removed;
  }

  /**
   * A new bitmap holding {@code value}. Kept out of the hot {@code checkedAdd} on purpose: the JIT
   * compiles the decode path with RoaringBitmap's "empty bitmap" branch pruned when its profile
   * never saw one (the start-up warm-up may end before that code is compiled), and the first new
   * table of a real session then threw the whole compiled decode path away and recompiled it while
   * the table was arriving (measured: seconds of compiler CPU in the first table).
   */
  private static RoaringBitmap firstOf(int value) {
    RoaringBitmap bm = new RoaringBitmap();
    bm.add(value);
    return bm;
  }

  private static int v4Value(byte[] k, int off, int bits) {
    int value = 0;
    int bytes = (bits + 7) >>> 3;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (i < bytes ? k[off + 1 + i] & 0xff : 0);
    }
    return bits == 0 ? 0 : value >>> (32 - bits);
  }

  private static long v6Value(byte[] k, int off, int bits) {
    long value = 0;
    int bytes = (bits + 7) >>> 3;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (i < bytes ? k[off + 1 + i] & 0xff : 0);
    }
    return bits == 0 ? 0 : value >>> (64 - bits);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long heapBytes() {
    long bytes = 64;
    if (v4 != null) {
      for (RoaringBitmap bm : v4) {
        bytes += bm == null ? 0 : bm.getLongSizeInBytes();
      }
    }
    if (v6 != null) {
      for (LongOpenCustomHashSet set : v6) {
        // open addressing at load factor 0.75, table size a power of two
        bytes += set == null ? 0 : 8L * Integer.highestOneBit(((int) (set.size() / 0.75)) * 2 + 1);
      }
    }
    if (longV6 != null) {
      bytes += longV6.size() * 96L;
    }
    return bytes;
  }
}
