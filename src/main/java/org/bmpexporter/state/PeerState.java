package org.bmpexporter.state;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenCustomHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bmpexporter.bgp.AddPathModes;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.bgp.Direction;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.bgp.OriginSource;
import org.bmpexporter.bgp.SessionFacts;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.Quirk;
import org.bmpexporter.state.StateLimits.Limit;
import org.bmpexporter.wire.BmpMessage;
import org.bmpexporter.wire.PathStatus;
import org.bmpexporter.wire.PerPeerHeader;
import org.bmpexporter.wire.Rib;
import org.bmpexporter.wire.StatType;

/**
 * One monitored peer of a router (keyed by peer type, distinguisher and address): Peer Up facts,
 * up/down history, route tables per RIB and family, and the router's statistics for it. Also the
 * {@link NlriSink} its Route Monitoring UPDATEs are decoded into, and the {@link AddPathModes} of
 * the RIB being decoded.
 */
public final class PeerState implements NlriSink, AddPathModes {
  private final RouterState router;
  final PerPeerHeader identity;
  final String address;
  final String rd;
  long peerAs;
  long bgpId;
  String table = "";
  SessionFacts facts = SessionFacts.UNKNOWN;
  boolean up;
  double upTimestamp;
  double lastDownTimestamp;
  long ups;
  final Map<String, long[]> downs = new LinkedHashMap<>(); // "reason\0notification" -> count
  String lastDownReason = "";
  String lastDownNotification = "";
  final Map<Integer, Long> statCounters = new TreeMap<>();
  final Map<Long, Long> statGauges = new TreeMap<>(); // statType << 32 | family
  double statTimestamp;
  long mirroredMessages;
  long mirroredErrors;
  long mirroredLost;

  // per RIB, by family (a sender may name any of 2^24 families, so the hash is keyed)
  @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
  private final Int2ObjectOpenCustomHashMap<RouteTable>[] tables =
      new Int2ObjectOpenCustomHashMap[5];

  private int tableCount;

  // Decode target of the UPDATE being applied, and a one-entry cache per RIB of the last table
  // used: FRR sends each prefix's pre-policy and post-policy messages one after the other, so a
  // single cache for all RIBs missed on every message. Tables are never removed, only cleared.
  private Rib currentRib;
  private AddPathModes.RibKind currentKind;

  // ADD-PATH modes the stream proved against the OPENs, keyed rib ordinal << 24 | family; only
  // families the decoder can split are learned, so this stays small. Null until one is learned.
  private Int2IntOpenHashMap learnedModes;
  private RouteTable lastTable;
  private final RouteTable[] lastTableByRib = new RouteTable[5];

  // Watched prefixes: the list in force for the UPDATE being applied (null when nothing is
  // watched), where its origin AS comes from, and what the peer's tables hold of them (null until
  // a route first matched).
  private WatchList watchList;
  private OriginSource origins = OriginSource.NONE;
  private WatchState watched;

  PeerState(PerPeerHeader identity, RouterState router) {
    this.router = router;
    this.identity = identity;
    this.address = identity.addressText();
    this.rd = identity.distinguisherText();
    this.peerAs = identity.peerAs();
    this.bgpId = identity.peerBgpId();
  }

  /** The routes that follow belong to {@code rib} (they arrive through {@link NlriSink}). */
  /**
   * The routes that follow belong to {@code rib}; {@code origins} gives the origin AS of their
   * UPDATE, asked only for routes of watched prefixes.
   */
  public void beginUpdate(Rib rib, OriginSource origins) {
    WatchList list = router.watches.current();
    list = list.isEmpty() ? null : list;
    // written only when changed: a reference store into an old object costs a GC card-marking
    // barrier with a memory fence, on every UPDATE
    if (watchList != list) {
      watchList = list;
    }
    if (this.origins != origins) {
      this.origins = origins;
    }
    if (currentRib != rib) {
      currentRib = rib;
      currentKind =
          rib == Rib.LOC_RIB
              ? AddPathModes.RibKind.LOC_RIB
              : rib.direction() == Direction.SENT
                  ? AddPathModes.RibKind.ADJ_RIB_OUT
                  : AddPathModes.RibKind.ADJ_RIB_IN;
      lastTable = lastTableByRib[rib.ordinal()];
    }
  }

  /** The table of the current RIB and {@code family}; null if new and the peer has its maximum. */
  private RouteTable table(int family) {
    RouteTable t = lastTable;
    if (t != null && t.family == family) {
      return t;
    }
    Int2ObjectOpenCustomHashMap<RouteTable> byFamily = tables[currentRib.ordinal()];
    if (byFamily == null) {
      byFamily =
          tables[currentRib.ordinal()] = new Int2ObjectOpenCustomHashMap<>(KeyedHash.PROCESS);
    }
    t = byFamily.get(family);
    if (t == null) {
      if (tableCount >= router.limits.tablesPerPeer) {
        return null;
      }
      t = new RouteTable(family);
      byFamily.put(family, t);
      tableCount++;
    }
    lastTable = t;
    lastTableByRib[currentRib.ordinal()] = t;
    return t;
  }

  @Override
  public void route(int family, boolean announce, long pathId, byte[] key, int off, int len) {
    RouteTable t = table(family);
    if (t == null) {
      if (announce) {
        router.drop(Limit.TABLES);
      }
      return; // a withdrawal from a table that does not exist changes nothing
    }
    // The router's route count follows the table sizes; the limits are checked only when a
    // route is actually added, so replacements and withdrawals cost two field reads.
    long before = t.size();
    if (announce) {
      t.announce(pathId, key, off, len);
      if (t.size() != before && !router.routeAdded()) {
        t.withdraw(pathId, key, off, len);
        t.withdrawals--; // kept out by a limit, not withdrawn by the router
        return;
      }
    } else {
      t.withdraw(pathId, key, off, len);
      if (t.size() != before) {
        router.routesRemoved(1);
      }
    }
    if (watchList != null
        && t.watchable
        && watchList.candidate(t.ipv6, key, t.vpn ? off + 8 : off)) {
      if (watched == null) {
        watched = new WatchState(this);
      }
      watched.route(watchList, origins, currentRib, family, t.vpn, announce, pathId, key, off);
    }
  }

  /** A watch limit kept something out (counted on the router). */
  void dropWatched(Limit limit) {
    router.drop(limit);
  }

  @Override
  public void endOfRib(int family) {
    RouteTable t = table(family);
    if (t == null) {
      router.drop(Limit.TABLES);
      return;
    }
    t.endOfRib = true;
  }

  /**
   * Counts a version 4 path marking of the UPDATE just applied: {@code bits} for {@code nlri} NLRI
   * of {@code family} in the current RIB. Only a table that exists counts, so the series stay as
   * bounded as the tables.
   */
  public void pathStatus(int family, int bits, long nlri) {
    Int2ObjectOpenCustomHashMap<RouteTable> byFamily = tables[currentRib.ordinal()];
    RouteTable t = byFamily == null ? null : byFamily.get(family);
    if (t != null && nlri > 0) {
      t.countPathStatus(bits, nlri);
    }
  }

  /**
   * Applies a Peer Up. A Loc-RIB instance that is up already may send further Peer Ups to announce
   * more of its capabilities (RFC 9069): those add to its ADD-PATH facts and keep its routes; any
   * other Peer Up starts the peer afresh.
   */
  public void peerUp(BmpMessage.PeerUp m, double now) {
    boolean locRib = identity.locRib();
    SessionFacts declared =
        locRib
            ? SessionFacts.locRib(m.sentOpen(), m.receivedOpen())
            : new SessionFacts(m.sentOpen(), m.receivedOpen());
    if (locRib && up && ups > 0) {
      facts = facts.plus(declared);
    } else {
      clearRoutes();
      facts = declared;
    }
    learnedModes = null;
    up = true;
    ups++;
    upTimestamp = now;
    peerAs = m.peer().peerAs();
    bgpId = m.peer().peerBgpId();
    table = m.tableName();
  }

  /**
   * Applies a Peer Down. Returns false when the peer was already down: FRR repeats its Peer Down
   * for every failed reconnect, and those repeats are not new down events.
   */
  public boolean peerDown(BmpMessage.PeerDown m, double now) {
    boolean wasKnownDown = !up && (ups > 0 || !downs.isEmpty());
    clearRoutes();
    up = false;
    facts = SessionFacts.UNKNOWN;
    learnedModes = null;
    if (wasKnownDown) {
      return false;
    }
    lastDownTimestamp = now;
    lastDownReason = m.reasonLabel();
    lastDownNotification = m.notificationLabel();
    downs.computeIfAbsent(lastDownReason + '\0' + lastDownNotification, k -> new long[1])[0]++;
    return true;
  }

  /**
   * A Route Monitoring, Statistics or Mirroring message names this peer. A peer first seen that way
   * (no Peer Up or Down yet: a capture or a session joined mid-stream) is taken to be up.
   */
  public void seenActive() {
    if (ups == 0 && !up && downs.isEmpty()) {
      up = true;
    }
  }

  public void mirroring(BmpMessage.RouteMirroring m) {
    mirroredMessages += m.bgpMessages();
    mirroredErrors += m.erroredPdus();
    mirroredLost += m.messagesLost();
  }

  /** The router's BMP session ended: the peer's state is no longer known. */
  void sessionClosed() {
    clearRoutes();
    up = false;
    facts = SessionFacts.UNKNOWN;
    learnedModes = null;
  }

  /** What the Peer Up OPENs negotiated, for decoding the peer's UPDATEs. */
  public SessionFacts facts() {
    return facts;
  }

  @Override
  public boolean declared(int family) {
    return facts.addPath(family, currentRib.direction());
  }

  @Override
  public boolean known() {
    return facts.known();
  }

  @Override
  public int learned(int family) {
    return learnedModes == null ? -1 : learnedModes.get(currentRib.ordinal() << 24 | family);
  }

  @Override
  public void learn(int family, int mode) {
    int key = currentRib.ordinal() << 24 | family;
    if (mode < 0) {
      if (learnedModes != null) {
        learnedModes.remove(key);
      }
      return;
    }
    if (learnedModes == null) {
      learnedModes = new Int2IntOpenHashMap();
      learnedModes.defaultReturnValue(-1);
    }
    learnedModes.put(key, mode);
  }

  @Override
  public Quirk quirk(boolean pathIdsPresent) {
    return AddPathModes.quirk(currentKind, pathIdsPresent);
  }

  /** For logs: address, distinguisher (empty for a global peer), AS and VRF/table name. */
  public String describe() {
    return address
        + (rd.isEmpty() ? "" : " rd " + rd)
        + " AS"
        + peerAs
        + (table.isEmpty() ? "" : " table " + table);
  }

  void clearRoutes() {
    if (watched != null) {
      watched.clear();
    }
    long removed = 0;
    for (Int2ObjectOpenCustomHashMap<RouteTable> byFamily : tables) {
      if (byFamily != null) {
        for (RouteTable t : byFamily.values()) {
          removed += t.size();
          t.clear();
        }
      }
    }
    router.routesRemoved(removed);
  }

  public void statistics(BmpMessage.StatisticsReport m, double now) {
    statTimestamp = now;
    for (BmpMessage.StatEntry e : m.stats()) {
      if (e.gauge()) {
        long key = ((long) e.statType() << 32) | (e.family() & 0xffffffffL);
        if (statGauges.containsKey(key) || hasRoomForStat()) {
          statGauges.put(key, e.value());
        }
      } else if (statCounters.containsKey(e.statType()) || hasRoomForStat()) {
        statCounters.put(e.statType(), e.value());
      }
    }
  }

  /** A new statistics series (type, or type and AFI/SAFI) may be added; else counted as dropped. */
  private boolean hasRoomForStat() {
    if (statCounters.size() + statGauges.size() < router.limits.statTypesPerPeer) {
      return true;
    }
    router.drop(Limit.STAT_TYPES);
    return false;
  }

  long routes() {
    long n = 0;
    for (Int2ObjectOpenCustomHashMap<RouteTable> byFamily : tables) {
      if (byFamily != null) {
        for (RouteTable t : byFamily.values()) {
          n += t.size();
        }
      }
    }
    return n;
  }

  long heapBytes() {
    long n = 0;
    for (Int2ObjectOpenCustomHashMap<RouteTable> byFamily : tables) {
      if (byFamily != null) {
        for (RouteTable t : byFamily.values()) {
          n += t.heapBytes();
        }
      }
    }
    return n;
  }

  private static Map<String, Long> pathStatus(long[] counts) {
    if (counts == null) {
      return Map.of();
    }
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        m.put(PathStatus.of(i).label(), counts[i]);
      }
    }
    return m;
  }

  Snapshots.Peer snapshot() {
    List<Snapshots.Table> ts = new ArrayList<>();
    for (Rib rib : Rib.values()) {
      Int2ObjectOpenCustomHashMap<RouteTable> byFamily = tables[rib.ordinal()];
      if (byFamily == null) {
        continue;
      }
      // by family: the keyed hash's order differs from process to process
      List<RouteTable> byFamilyCode = new ArrayList<>(byFamily.values());
      byFamilyCode.sort(Comparator.comparingInt(t -> t.family));
      for (RouteTable t : byFamilyCode) {
        ts.add(
            new Snapshots.Table(
                rib.label(),
                AfiSafi.label(t.family),
                t.size(),
                t.announcements,
                t.withdrawals,
                t.endOfRib,
                pathStatus(t.pathStatus)));
      }
    }
    List<Snapshots.Downs> ds = new ArrayList<>();
    downs.forEach(
        (k, v) -> {
          int sep = k.indexOf('\0');
          ds.add(new Snapshots.Downs(k.substring(0, sep), k.substring(sep + 1), v[0]));
        });
    List<Snapshots.StatCounter> counters = new ArrayList<>();
    statCounters.forEach(
        (type, v) -> counters.add(new Snapshots.StatCounter(StatType.CODES.label(type), v)));
    List<Snapshots.StatGauge> gauges = new ArrayList<>();
    statGauges.forEach(
        (k, v) ->
            gauges.add(
                new Snapshots.StatGauge(
                    StatType.CODES.label((int) (k >>> 32)), AfiSafi.label((int) (long) k), v)));
    Map<String, Long> mirroring = new LinkedHashMap<>();
    if (mirroredMessages + mirroredErrors + mirroredLost > 0) {
      mirroring.put("bgp_message", mirroredMessages);
      mirroring.put("errored_pdu", mirroredErrors);
      mirroring.put("messages_lost", mirroredLost);
    }
    return new Snapshots.Peer(
        address,
        rd,
        identity.peerTypeLabel(),
        peerAs,
        Addresses.ipv4(bgpId),
        table,
        up,
        upTimestamp,
        lastDownTimestamp,
        ups,
        ds,
        lastDownReason,
        lastDownNotification,
        ts,
        counters,
        gauges,
        statTimestamp,
        mirroring,
        watched == null ? List.of() : watched.snapshot(router.watches.current()));
  }
}
