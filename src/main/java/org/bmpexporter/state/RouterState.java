package org.bmpexporter.state;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.Quirk;
import org.bmpexporter.state.StateLimits.Limit;
import org.bmpexporter.wire.MessageType;
import org.bmpexporter.wire.PerPeerHeader;
import org.bmpexporter.wire.PolicyClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything known about one router (one BMP session source). Mutated only by the event loop of its
 * current session; read by others only through {@link #snapshot()} run on {@link #owner()}.
 * Counters continue across sessions of the same router, so a reconnect continues its series.
 */
public final class RouterState {
  private static final Logger LOG = LoggerFactory.getLogger(RouterState.class);
  private static final Limit[] LIMITS = Limit.values();

  /** The {@code source} of a router whose BMP session is a TCP connection to the exporter. */
  public static final String SOURCE_TCP = "tcp";

  final String label;
  final String address;
  private volatile Executor owner;

  /** Guarded by the registry: a session is attached. */
  boolean sessionActive = true;

  boolean up;
  double upSince;
  double downSince;
  volatile String sysName = ""; // read by the server's takeover rule off the owner loop
  String sysDescr = "";
  final long[] messages = new long[MessageType.values().length];
  long receivedBytes;
  final EnumMap<DecodeError, long[]> errors = new EnumMap<>(DecodeError.class);
  final long[] quirks = new long[Quirk.values().length];
  final Map<String, long[]> terminations = new TreeMap<>();
  // Huawei route policy trace events by (family << 8 | class): the class is bounded (10 values),
  // families by the cap below, so a router cannot make the series unbounded.
  private final Map<Long, long[]> policyTraces = new TreeMap<>();
  private boolean policyTracesCapped;
  private int bmpVersion;
  final Map<PeerKey, PeerState> peers = new LinkedHashMap<>();

  final StateLimits limits;
  final Watches watches;
  private String source = SOURCE_TCP;
  // A TCP session is seen from its first byte; BMP relayed through Kafka may be read from the
  // middle of a session (retention), when the Peer Ups that routes depend on are gone.
  private boolean startKnown = true;
  private long routeCount; // routes in all tables of all peers, kept as they change
  private final long[] dropped = new long[LIMITS.length];
  private final boolean[] reached = new boolean[LIMITS.length];
  private final boolean[] logged = new boolean[LIMITS.length];
  // Sessions are refused by the registry, on the connecting session's thread, not the owner's.
  private final AtomicLong sessionsRefused = new AtomicLong();
  private volatile boolean sessionsFull;
  private volatile boolean sessionsLogged;
  // Moves on whenever something a snapshot shows may have changed, so a scrape can tell that an
  // idle router's last page is still right without asking its event loop. Bumped once per read
  // (not per message) and on the rarer events outside the byte stream.
  private final AtomicLong version = new AtomicLong();

  /** Identity of a monitored peer within a router: type, distinguisher and address. */
  record PeerKey(int peerType, long distinguisher, long addressHigh, long addressLow) {
    static PeerKey of(PerPeerHeader h) {
      return new PeerKey(h.peerType(), h.distinguisher(), h.addressHigh(), h.addressLow());
    }

    /** Keyed: the record's default hash of the sender-chosen address is easy to collide. */
    @Override
    public int hashCode() {
      return KeyedHash.fold(
          KeyedHash.PROCESS.hash(peerType, distinguisher, addressHigh, addressLow));
    }
  }

  /** A router without limits (captures, tests, benchmarks). */
  public RouterState(String label, String address, Executor owner) {
    this(label, address, owner, StateLimits.unlimited());
  }

  public RouterState(String label, String address, Executor owner, StateLimits limits) {
    this(label, address, owner, limits, Watches.none());
  }

  public RouterState(
      String label, String address, Executor owner, StateLimits limits, Watches watches) {
    this.label = label;
    this.address = address;
    this.owner = owner;
    this.limits = limits;
    this.watches = watches;
  }

  public String label() {
    return label;
  }

  public String address() {
    return address;
  }

  public Executor owner() {
    return owner;
  }

  void owner(Executor owner) {
    this.owner = owner;
    changed();
  }

  /**
   * A number that differs from any earlier one read, whenever the router's snapshot may differ from
   * the one taken when it was read. Read it before taking a snapshot: a page built from that
   * snapshot stays right for as long as the version stays the same. Any thread.
   */
  public long version() {
    // a reload of the watch list changes the watch series of every router
    return version.get() + watches.generation();
  }

  /** Something a snapshot shows changed, or may change within the current event-loop task. */
  private void changed() {
    version.incrementAndGet();
  }

  public boolean up() {
    return up;
  }

  public double downSince() {
    return downSince;
  }

  /** The session's connection opened now: the router is up. */
  public void sessionOpened(double now) {
    changed();
    up = true;
    upSince = now;
  }

  /**
   * {@code n} bytes arrived; what they hold is applied in the same event-loop task, so this one
   * version change covers it.
   */
  public void countBytes(long n) {
    changed();
    receivedBytes += n;
  }

  public void countMessage(MessageType type) {
    messages[type.ordinal()]++;
  }

  public void countError(DecodeError error) {
    changed();
    errors.computeIfAbsent(error, e -> new long[1])[0]++;
  }

  public void countQuirk(Quirk quirk) {
    changed();
    quirks[quirk.ordinal()]++;
  }

  public long quirkCount(Quirk quirk) {
    return quirks[quirk.ordinal()];
  }

  /** Distinct (family, policy class) pairs counted per router; further pairs are not counted. */
  static final int MAX_POLICY_TRACE_SERIES = 64;

  /** The BMP version of the message being applied (it shows on {@code bmp_router_info}). */
  public void bmpVersion(int version) {
    if (version != bmpVersion) {
      changed();
      bmpVersion = version;
    }
  }

  public int bmpVersion() {
    return bmpVersion;
  }

  /** One Huawei route policy trace event of {@code family} and policy class {@code cls}. */
  public void policyTraceEvent(int family, PolicyClass cls) {
    changed();
    long key = (long) family << 8 | (cls.ordinal() & 0xff);
    long[] n = policyTraces.get(key);
    if (n == null) {
      if (policyTraces.size() >= MAX_POLICY_TRACE_SERIES) {
        if (!policyTracesCapped) {
          policyTracesCapped = true;
          LOG.warn(
              "router {}: route policy trace events of more than {} families and classes;"
                  + " events of further ones are not counted",
              label,
              MAX_POLICY_TRACE_SERIES);
        }
        return;
      }
      n = new long[1];
      policyTraces.put(key, n);
    }
    n[0]++;
  }

  /** The router's identity from an Initiation message: a session starts here. */
  public void initiation(String sysName, String sysDescr) {
    changed();
    startKnown = true;
    this.sysName = sysName;
    this.sysDescr = sysDescr;
  }

  public String sysName() {
    return sysName;
  }

  /**
   * This router's BMP is read from {@code source} (Kafka), possibly from the middle of a session:
   * its state counts as incomplete until an Initiation, or a Peer Up of every peer, is seen.
   */
  public void startUnknown(String source) {
    changed();
    this.source = source;
    startKnown = false;
  }

  /**
   * Whether the state is known from the session's start: always for a TCP session; from another
   * source once an Initiation was seen, or a Peer Up of every peer seen so far (there is one).
   */
  public boolean stateComplete() {
    if (startKnown) {
      return true;
    }
    if (peers.isEmpty()) {
      return false;
    }
    for (PeerState p : peers.values()) {
      if (p.ups == 0) {
        return false;
      }
    }
    return true;
  }

  /** A Termination message with this reason label. */
  public void termination(String reason) {
    changed();
    terminations.computeIfAbsent(reason, k -> new long[1])[0]++;
  }

  public long errorCount(DecodeError error) {
    long[] n = errors.get(error);
    return n == null ? 0 : n[0];
  }

  public long messageCount(MessageType type) {
    return messages[type.ordinal()];
  }

  /**
   * The peer the header names, created on first sight; null when it is new and the router has
   * {@code peers_per_router} peers already (the message is then dropped, and counted so).
   */
  public PeerState peer(PerPeerHeader header) {
    PeerKey key = PeerKey.of(header);
    PeerState p = peers.get(key);
    if (p == null) {
      if (peers.size() >= limits.peersPerRouter) {
        drop(Limit.PEERS);
        return null;
      }
      p = new PeerState(header, this);
      peers.put(key, p);
    }
    return p;
  }

  /** The session ended: every peer is down and its routes are gone; counters stay. */
  public void sessionClosed(double now) {
    changed();
    up = false;
    downSince = now;
    for (PeerState p : peers.values()) {
      p.sessionClosed();
    }
    // no route is held now: the route limits stop nothing until they are reached again
    reached[Limit.ROUTES.ordinal()] = false;
    reached[Limit.ROUTES_TOTAL.ordinal()] = false;
  }

  /**
   * A route was added to one of the router's tables. False if a route limit keeps it out: the
   * caller takes it out again, and it is counted as dropped.
   */
  boolean routeAdded() {
    if (routeCount >= limits.routesPerRouter) {
      drop(Limit.ROUTES);
      return false;
    }
    if (!limits.takeRoute()) {
      drop(Limit.ROUTES_TOTAL);
      return false;
    }
    routeCount++;
    return true;
  }

  /** {@code n} routes left the router's tables (withdrawn, or a table cleared). */
  void routesRemoved(long n) {
    routeCount -= n;
    limits.releaseRoutes(n);
  }

  /**
   * {@code limit} kept something out: counted; the first time, the router is flagged and logged.
   */
  void drop(Limit limit) {
    int i = limit.ordinal();
    dropped[i]++;
    if (!reached[i]) {
      reached[i] = true;
      if (!logged[i]) {
        logged[i] = true;
        logReached(limit);
      }
    }
  }

  private void logReached(Limit limit) {
    LOG.warn(
        "router {}: {} {} reached: {}; counted in bmp_router_dropped_total{limit=\"{}\"},"
            + " not logged again",
        label,
        limit.key(),
        limit == Limit.WATCH_MORE_SPECIFICS
            ? watches.current().moreSpecificsPerTable()
            : limits.value(limit),
        limit.effect(),
        limit.label());
  }

  /** The registry refused a session from this router's address: all its slots are taken. */
  void sessionRefused() {
    sessionsRefused.incrementAndGet();
    sessionsFull = true;
    changed(); // after the change: a snapshot reads the version first
    if (!sessionsLogged) {
      sessionsLogged = true;
      logReached(Limit.SESSIONS_PER_ADDRESS);
    }
  }

  /** A session from this router's address ended: a slot is free again. */
  void sessionSlotFreed() {
    sessionsFull = false;
    changed();
  }

  /** What {@code limit} kept out of this router so far. */
  public long dropped(Limit limit) {
    return limit == Limit.SESSIONS_PER_ADDRESS ? sessionsRefused.get() : dropped[limit.ordinal()];
  }

  /** True while {@code limit} stops this router's state from growing. */
  public boolean limitReached(Limit limit) {
    return limit == Limit.SESSIONS_PER_ADDRESS ? sessionsFull : reached[limit.ordinal()];
  }

  /** Total routes over all peers, RIBs and families. */
  public long routes() {
    long n = 0;
    for (PeerState p : peers.values()) {
      n += p.routes();
    }
    return n;
  }

  /** Approximate heap used by the route tables. */
  public long routeHeapBytes() {
    long n = 0;
    for (PeerState p : peers.values()) {
      n += p.heapBytes();
    }
    return n;
  }

  /** Builds an immutable view; call on {@link #owner()}. */
  public Snapshots.Router snapshot() {
    Map<String, Long> msgs = new LinkedHashMap<>();
    for (MessageType t : MessageType.values()) {
      msgs.put(t.label(), messages[t.ordinal()]);
    }
    Map<String, Long> errs = new TreeMap<>();
    errors.forEach((e, n) -> errs.put(e.label(), n[0]));
    Map<String, Long> qs = new TreeMap<>();
    for (Quirk q : Quirk.values()) {
      if (quirks[q.ordinal()] > 0) {
        qs.put(q.label(), quirks[q.ordinal()]);
      }
    }
    Map<String, Long> terms = new TreeMap<>();
    terminations.forEach((r, n) -> terms.put(r, n[0]));
    List<Snapshots.Peer> ps = new ArrayList<>(peers.size());
    for (PeerState p : peers.values()) {
      ps.add(p.snapshot());
    }
    List<Snapshots.LimitState> ls = new ArrayList<>(LIMITS.length);
    for (Limit l : LIMITS) {
      ls.add(new Snapshots.LimitState(l.label(), limitReached(l), dropped(l)));
    }
    List<Snapshots.PolicyTraces> traces = new ArrayList<>(policyTraces.size());
    PolicyClass[] classes = PolicyClass.values();
    policyTraces.forEach(
        (key, n) ->
            traces.add(
                new Snapshots.PolicyTraces(
                    AfiSafi.label((int) (key >>> 8)), classes[(int) (key & 0xff)].label(), n[0])));
    return new Snapshots.Router(
        label,
        address,
        up,
        upSince,
        downSince,
        sysName,
        sysDescr,
        msgs,
        receivedBytes,
        errs,
        terms,
        ps,
        ls,
        qs,
        stateComplete(),
        source,
        bmpVersion,
        traces);
  }
}
