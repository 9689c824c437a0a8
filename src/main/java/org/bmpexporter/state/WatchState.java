package org.bmpexporter.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.bgp.AsPaths;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.bgp.OriginSource;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.state.StateLimits.Limit;
import org.bmpexporter.wire.Rib;

/**
 * What one peer's tables hold of the watched prefixes: per RIB, family and watched prefix, the
 * paths of the prefix itself and of its more-specifics, each with its origin AS. Made for a peer
 * when a route first matches a watched prefix; the peer's route tables are not read or changed. A
 * prefix is present while any of its paths is (ADD-PATH; for a VPN family, any RD the watch
 * accepts), and its origins are those of all its paths.
 *
 * <p>An entry stays once made, so that a prefix that went away shows as absent (0) rather than
 * vanishing; it goes when the watch list no longer has the prefix, or with the router.
 */
final class WatchState implements WatchList.Hits {

  /** A table of the peer and a watched prefix. */
  private record Key(int rib, int family, WatchList.Target target) {}

  /** A path of a prefix: its ADD-PATH identifier and, in a VPN family, its RD. Sender-chosen. */
  private record PathKey(long rd, long pathId) {
    @Override
    public int hashCode() {
      return KeyedHash.fold(KeyedHash.PROCESS.hash(rd, pathId, 0, 0));
    }
  }

  /** A more-specific prefix. Sender-chosen. */
  private record Prefix(int bits, long hi, long lo) {
    @Override
    public int hashCode() {
      return KeyedHash.fold(KeyedHash.PROCESS.hash(bits, hi, lo, 1));
    }
  }

  /** One watched prefix in one table. */
  private static final class Seen {
    final Map<PathKey, Long> exact = new HashMap<>();
    final Map<Prefix, Map<PathKey, Long>> moreSpecifics = new HashMap<>();
    boolean exactSeen;
    boolean moreSpecificSeen;
  }

  private final Map<Key, Seen> seen = new HashMap<>();
  private final PeerState peer;

  // The route being matched (fields, so that the hits need no object).
  private WatchList list;
  private OriginSource origins;
  private int rib;
  private int family;
  private boolean announce;
  private long pathId;
  private byte[] key;
  private int prefixOff;
  private long vpnRd;
  private boolean ipv6;

  WatchState(PeerState peer) {
    this.peer = peer;
  }

  /**
   * A route of {@code family} (a prefix or VPN prefix family) was applied to the peer's {@code rib}
   * table: announced and kept, or withdrawn.
   */
  void route(
      WatchList list,
      OriginSource origins,
      Rib rib,
      int family,
      boolean vpn,
      boolean announce,
      long pathId,
      byte[] key,
      int off) {
    this.list = list;
    this.origins = origins;
    this.rib = rib.ordinal();
    this.family = family;
    this.announce = announce;
    this.pathId = pathId;
    this.key = key;
    this.ipv6 = AfiSafi.afi(family) == AfiSafi.AFI_IPV6;
    this.vpnRd = vpn ? Bytes.s64(key, off) : 0;
    this.prefixOff = vpn ? off + 8 : off;
    list.match(ipv6, key, prefixOff, peer.rd, vpnRd, vpn, this);
  }

  /** Whether {@code route} would reach this state: a cheap test for the caller. */
  static boolean watchable(int family) {
    AfiSafi.Kind k = AfiSafi.kind(family);
    return (k == AfiSafi.Kind.PREFIX
            || k == AfiSafi.Kind.LABELED_PREFIX
            || k == AfiSafi.Kind.VPN_PREFIX)
        && (AfiSafi.afi(family) == AfiSafi.AFI_IPV4 || AfiSafi.afi(family) == AfiSafi.AFI_IPV6);
  }

  @Override
  public void hit(int target, boolean exact) {
    Key k = new Key(rib, family, list.target(target));
    Seen s = seen.get(k);
    PathKey path = new PathKey(vpnRd, pathId == NlriSink.NO_PATH_ID ? -1 : pathId);
    if (!announce) {
      if (s != null) {
        if (exact) {
          s.exact.remove(path);
        } else {
          Prefix p = prefix();
          Map<PathKey, Long> paths = s.moreSpecifics.get(p);
          if (paths != null && paths.remove(path) != null && paths.isEmpty()) {
            s.moreSpecifics.remove(p);
          }
        }
      }
      return;
    }
    if (s == null) {
      s = new Seen();
      seen.put(k, s);
    }
    long origin = origins.originAs(peer.peerAs);
    if (exact) {
      s.exact.put(path, origin);
      s.exactSeen = true;
      return;
    }
    Prefix p = prefix();
    Map<PathKey, Long> paths = s.moreSpecifics.get(p);
    if (paths == null) {
      if (s.moreSpecifics.size() >= list.moreSpecificsPerTable()) {
        peer.dropWatched(Limit.WATCH_MORE_SPECIFICS);
        return;
      }
      paths = new HashMap<>(2);
      s.moreSpecifics.put(p, paths);
    }
    paths.put(path, origin);
    s.moreSpecificSeen = true;
  }

  private Prefix prefix() {
    int bits = key[prefixOff] & 0xff;
    int bytes = (bits + 7) >>> 3;
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 16; i++) {
      long v = i < bytes ? key[prefixOff + 1 + i] & 0xff : 0;
      if (i < 8) {
        hi = (hi << 8) | v;
      } else {
        lo = (lo << 8) | v;
      }
    }
    return new Prefix(bits, hi, lo);
  }

  /** The peer's routes are gone (Peer Down, Peer Up afresh, session end): nothing is present. */
  void clear() {
    for (Seen s : seen.values()) {
      s.exact.clear();
      s.moreSpecifics.clear();
    }
  }

  /**
   * What is seen of the watched prefixes of {@code list}; entries of prefixes no longer watched are
   * forgotten here (this runs on the owning event loop).
   */
  List<Snapshots.Watched> snapshot(WatchList current) {
    List<Snapshots.Watched> out = new ArrayList<>();
    Map<WatchList.Entry, Integer> order = new HashMap<>();
    for (int i = 0; i < current.size(); i++) {
      order.put(current.entries().get(i), i);
    }
    List<Map.Entry<Key, Seen>> sorted = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Seen>> it = seen.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Seen> e = it.next();
      if (current.entry(e.getKey().target()) == null) {
        it.remove();
      } else {
        sorted.add(e);
      }
    }
    sorted.sort(
        Comparator.<Map.Entry<Key, Seen>>comparingInt(
                e -> order.get(current.entry(e.getKey().target())))
            .thenComparingInt(e -> e.getKey().rib())
            .thenComparingInt(e -> e.getKey().family()));
    Rib[] ribs = Rib.values();
    for (Map.Entry<Key, Seen> e : sorted) {
      WatchList.Entry entry = current.entry(e.getKey().target());
      Seen s = e.getValue();
      TreeSet<Long> exactOrigins = new TreeSet<>(s.exact.values());
      TreeSet<Long> moreOrigins = new TreeSet<>();
      for (Map<PathKey, Long> paths : s.moreSpecifics.values()) {
        moreOrigins.addAll(paths.values());
      }
      boolean unexpected = false;
      for (long o : exactOrigins) {
        unexpected |= !entry.expected(o);
      }
      for (long o : moreOrigins) {
        unexpected |= !entry.expected(o);
      }
      out.add(
          new Snapshots.Watched(
              entry.name(),
              ribs[e.getKey().rib()].label(),
              AfiSafi.label(e.getKey().family()),
              s.exactSeen,
              !s.exact.isEmpty(),
              labels(exactOrigins),
              s.moreSpecificSeen,
              s.moreSpecifics.size(),
              labels(moreOrigins),
              unexpected));
    }
    return out;
  }

  private static List<String> labels(java.util.SortedSet<Long> origins) {
    List<String> out = new ArrayList<>(origins.size());
    for (long o : origins) {
      out.add(AsPaths.label(o));
    }
    return out;
  }
}
