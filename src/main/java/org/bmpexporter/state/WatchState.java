package org.bmpexporter.state;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenCustomHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private record Key(int rib, int family, WatchList.Target target) {
    // written out, as in Target: the generated ones go through method handles
    @Override
    public int hashCode() {
      return (rib * 31 + family) * 31 + target.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.rib == rib && k.family == family && k.target.equals(target);
    }
  }

  /** A path of a prefix: its ADD-PATH identifier and, in a VPN family, its RD. Sender-chosen. */
  private record PathKey(long rd, long pathId) {
    @Override
    public int hashCode() {
      return KeyedHash.fold(KeyedHash.PROCESS.hash(rd, pathId, 0, 0));
    }
  }

  /**
   * The paths of one prefix with their origin ASes. The first path is held inline (most prefixes
   * have one), so announcing it again allocates nothing; further paths go to a map.
   */
  private static class Paths {
    private boolean has;
    private long rd;
    private long pathId;
    private long origin;
    private Map<PathKey, Long> more; // null until a second path

    void put(long rd, long pathId, long origin) {
      if (has && this.rd == rd && this.pathId == pathId) {
        this.origin = origin;
      } else if (!has && (more == null || more.isEmpty())) {
        has = true;
        this.rd = rd;
        this.pathId = pathId;
        this.origin = origin;
      } else {
        if (more == null) {
          more = new HashMap<>(4);
        }
        more.put(new PathKey(rd, pathId), origin);
      }
    }

    /** Whether the path was there. */
    boolean remove(long rd, long pathId) {
      if (has && this.rd == rd && this.pathId == pathId) {
        has = false;
        return true;
      }
      return more != null && !more.isEmpty() && more.remove(new PathKey(rd, pathId)) != null;
    }

    boolean isEmpty() {
      return !has && (more == null || more.isEmpty());
    }

    void clear() {
      has = false;
      more = null;
    }

    void addOrigins(Set<Long> out) {
      if (has) {
        out.add(origin);
      }
      if (more != null) {
        out.addAll(more.values());
      }
    }
  }

  /**
   * A more-specific prefix. Sender-chosen. Mutable only as the probe of a lookup ({@link #probe}):
   * the keys stored are copies.
   */
  private static final class Prefix {
    int bits;
    long hi;
    long lo;

    Prefix copy() {
      Prefix p = new Prefix();
      p.bits = bits;
      p.hi = hi;
      p.lo = lo;
      return p;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Prefix p && p.bits == bits && p.hi == hi && p.lo == lo;
    }

    @Override
    public int hashCode() {
      return KeyedHash.fold(KeyedHash.PROCESS.hash(bits, hi, lo, 1));
    }
  }

  /**
   * One watched prefix in one table: its own paths, and its more-specifics kept by prefix: IPv4
   * ones as {@code bits << 32 | address} in a primitive map (no key object), IPv6 ones by {@link
   * Prefix}; both maps are made on the first more-specific (most watched prefixes have none).
   */
  private static final class Seen extends Paths {
    /** The paths of the watched prefix itself: held in the entry, one object fewer to reach. */
    Paths exact() {
      return this;
    }

    Long2ObjectOpenCustomHashMap<Paths> v4More;
    Map<Prefix, Paths> v6More;
    boolean exactSeen;
    boolean moreSpecificSeen;

    int moreSpecifics() {
      return (v4More == null ? 0 : v4More.size()) + (v6More == null ? 0 : v6More.size());
    }

    void clearMoreSpecifics() {
      v4More = null;
      v6More = null;
    }

    void addMoreSpecificOrigins(Set<Long> out) {
      if (v4More != null) {
        for (Paths paths : v4More.values()) {
          paths.addOrigins(out);
        }
      }
      if (v6More != null) {
        for (Paths paths : v6More.values()) {
          paths.addOrigins(out);
        }
      }
    }
  }

  private final Map<Key, Seen> seen = new HashMap<>();
  private final PeerState peer;

  // In front of seen: the entries by table (rib << 24 | family) and index into the list they were
  // looked up for, so that a route of a watched prefix allocates no key. Holds only entries that
  // exist; dropped when the list in force changes (its indexes mean other prefixes) or an entry is
  // forgotten.
  private WatchList cachedFor;
  private final Long2ObjectOpenHashMap<Seen> byIndex = new Long2ObjectOpenHashMap<>();
  private final Prefix probe = new Prefix();

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

  /** The entry of target {@code target} of {@code list} in the current table, or null. */
  private Seen seen(int target, boolean create) {
    if (cachedFor != list) {
      cachedFor = list;
      byIndex.clear();
    }
    long index = (long) (rib << 24 | family) << 32 | target;
    Seen s = byIndex.get(index);
    if (s == null) {
      Key k = new Key(rib, family, list.target(target));
      s = seen.get(k);
      if (s == null && create) {
        s = new Seen();
        seen.put(k, s);
      }
      if (s != null) {
        byIndex.put(index, s);
      }
    }
    return s;
  }

  @Override
  public void hit(int target, boolean exact) {
    Seen s = seen(target, announce);
    long rd = vpnRd;
    long path = pathId == NlriSink.NO_PATH_ID ? -1 : pathId;
    if (!announce) {
      if (s == null) {
        return;
      }
      if (exact) {
        s.exact().remove(rd, path);
      } else if (!ipv6) {
        long p = v4Prefix();
        Paths paths = s.v4More == null ? null : s.v4More.get(p);
        if (paths != null && paths.remove(rd, path) && paths.isEmpty()) {
          s.v4More.remove(p);
        }
      } else {
        Prefix p = prefix();
        Paths paths = s.v6More == null ? null : s.v6More.get(p);
        if (paths != null && paths.remove(rd, path) && paths.isEmpty()) {
          s.v6More.remove(p);
        }
      }
      return;
    }
    long origin = origins.originAs(peer.peerAs);
    if (exact) {
      s.exact().put(rd, path, origin);
      s.exactSeen = true;
      return;
    }
    Paths paths;
    if (!ipv6) {
      long p = v4Prefix();
      if (s.v4More == null) {
        s.v4More = new Long2ObjectOpenCustomHashMap<>(KeyedHash.PROCESS);
      }
      paths = s.v4More.get(p);
      if (paths == null) {
        if (full(s)) {
          return;
        }
        paths = new Paths();
        s.v4More.put(p, paths);
      }
    } else {
      Prefix p = prefix();
      if (s.v6More == null) {
        s.v6More = new HashMap<>();
      }
      paths = s.v6More.get(p);
      if (paths == null) {
        if (full(s)) {
          return;
        }
        paths = new Paths();
        s.v6More.put(p.copy(), paths);
      }
    }
    paths.put(rd, path, origin);
    s.moreSpecificSeen = true;
  }

  /** Whether {@code s} holds the most more-specifics a table may track: the new one is dropped. */
  private boolean full(Seen s) {
    if (s.moreSpecifics() >= list.moreSpecificsPerTable()) {
      peer.dropWatched(Limit.WATCH_MORE_SPECIFICS);
      return true;
    }
    return false;
  }

  /** The IPv4 route's prefix as {@code bits << 32 | address}, host bits as sent. */
  private long v4Prefix() {
    int bits = key[prefixOff] & 0xff;
    int bytes = (bits + 7) >>> 3;
    long addr = 0;
    for (int i = 0; i < 4; i++) {
      addr = (addr << 8) | (i < bytes ? key[prefixOff + 1 + i] & 0xff : 0);
    }
    return (long) bits << 32 | addr;
  }

  /** The route's prefix, in the probe (valid until the next call). */
  private Prefix prefix() {
    int bits = key[prefixOff] & 0xff;
    int bytes = (bits + 7) >>> 3;
    probe.bits = bits;
    probe.hi = WatchList.v6Half(key, prefixOff + 1, bytes, 0);
    probe.lo = WatchList.v6Half(key, prefixOff + 1, bytes, 1);
    return probe;
  }

  /** The peer's routes are gone (Peer Down, Peer Up afresh, session end): nothing is present. */
  void clear() {
    for (Seen s : seen.values()) {
      s.exact().clear();
      s.clearMoreSpecifics();
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
        cachedFor = null; // the cache may hold the entry
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
      TreeSet<Long> exactOrigins = new TreeSet<>();
      s.exact().addOrigins(exactOrigins);
      TreeSet<Long> moreOrigins = new TreeSet<>();
      s.addMoreSpecificOrigins(moreOrigins);
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
              !s.exact().isEmpty(),
              labels(exactOrigins),
              s.moreSpecificSeen,
              s.moreSpecifics(),
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
