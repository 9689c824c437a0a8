package org.bmpexporter.state;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenCustomHashMap;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.wire.PathStatus;

/**
 * The routes of one peer in one RIB and family, counted exactly: announcing a present route is a
 * replace, withdrawing an absent one changes nothing, and each ADD-PATH path counts on its own.
 */
final class RouteTable {
  final int family;

  /** A family whose routes may be watched prefixes ({@link WatchState#watchable}). */
  final boolean watchable;

  final boolean vpn;
  final boolean ipv6;
  private RouteSet plain;
  private Long2ObjectOpenCustomHashMap<RouteSet> byPathId; // path ids: keyed, sender-chosen
  private long size;
  long announcements;
  long withdrawals;
  boolean endOfRib;
  long[] pathStatus; // by PathStatus ordinal; null until a version 4 path marking names the table

  RouteTable(int family) {
    this.family = family;
    this.watchable = WatchState.watchable(family);
    this.vpn = AfiSafi.kind(family) == AfiSafi.Kind.VPN_PREFIX;
    this.ipv6 = AfiSafi.afi(family) == AfiSafi.AFI_IPV6;
    this.plain = newSet(family);
  }

  private static RouteSet newSet(int family) {
    switch (AfiSafi.kind(family)) {
      case PREFIX:
      case LABELED_PREFIX:
        return new PrefixSet(AfiSafi.afi(family) == AfiSafi.AFI_IPV6);
      case VPN_PREFIX:
        return new VpnSet(AfiSafi.afi(family) == AfiSafi.AFI_IPV6);
      default:
        return new KeySet();
    }
  }

  void announce(long pathId, byte[] key, int off, int len) {
    announcements++;
    if (set(pathId, true).add(key, off, len)) {
      size++;
    }
  }

  void withdraw(long pathId, byte[] key, int off, int len) {
    withdrawals++;
    RouteSet set = set(pathId, false);
    if (set != null && set.remove(key, off, len)) {
      size--;
    }
  }

  private RouteSet set(long pathId, boolean create) {
    if (pathId == NlriSink.NO_PATH_ID) {
      return plain;
    }
    if (byPathId == null) {
      if (!create) {
        return null;
      }
      byPathId = new Long2ObjectOpenCustomHashMap<>(KeyedHash.PROCESS);
    }
    RouteSet set = byPathId.get(pathId);
    if (set == null && create) {
      set = newSet(family);
      byPathId.put(pathId, set);
    }
    return set;
  }

  void countPathStatus(int bits, long nlri) {
    if (pathStatus == null) {
      pathStatus = new long[PathStatus.values().length];
    }
    PathStatus.count(bits, nlri, pathStatus);
  }

  /** The peer went down or the session ended: routes go, counters stay. */
  void clear() {
    plain = newSet(family);
    byPathId = null;
    size = 0;
    endOfRib = false;
  }

  long size() {
    return size;
  }

  long heapBytes() {
    long bytes = plain.heapBytes();
    if (byPathId != null) {
      for (RouteSet s : byPathId.values()) {
        bytes += s.heapBytes() + 32;
      }
    }
    return bytes;
  }
}
