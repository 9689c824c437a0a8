package org.bmpexporter.state;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.wire.MessageType;
import org.bmpexporter.wire.PerPeerHeader;

/**
 * Everything known about one router (one BMP session source). Mutated only by the event loop of its
 * current session; read by others only through {@link #snapshot()} run on {@link #owner()}.
 * Counters continue across sessions of the same router, so a reconnect continues its series.
 */
public final class RouterState {
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
  final Map<String, long[]> terminations = new TreeMap<>();
  final Map<PeerKey, PeerState> peers = new LinkedHashMap<>();

  /** Identity of a monitored peer within a router: type, distinguisher and address. */
  record PeerKey(int peerType, long distinguisher, long addressHigh, long addressLow) {
    static PeerKey of(PerPeerHeader h) {
      return new PeerKey(h.peerType(), h.distinguisher(), h.addressHigh(), h.addressLow());
    }
  }

  public RouterState(String label, String address, Executor owner) {
    this.label = label;
    this.address = address;
    this.owner = owner;
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
  }

  public boolean up() {
    return up;
  }

  public double downSince() {
    return downSince;
  }

  /** The session's connection opened now: the router is up. */
  public void sessionOpened(double now) {
    up = true;
    upSince = now;
  }

  public void countBytes(long n) {
    receivedBytes += n;
  }

  public void countMessage(MessageType type) {
    messages[type.ordinal()]++;
  }

  public void countError(DecodeError error) {
    errors.computeIfAbsent(error, e -> new long[1])[0]++;
  }

  /** The router's identity from an Initiation message. */
  public void initiation(String sysName, String sysDescr) {
    this.sysName = sysName;
    this.sysDescr = sysDescr;
  }

  public String sysName() {
    return sysName;
  }

  /** A Termination message with this reason label. */
  public void termination(String reason) {
    terminations.computeIfAbsent(reason, k -> new long[1])[0]++;
  }

  public long errorCount(DecodeError error) {
    long[] n = errors.get(error);
    return n == null ? 0 : n[0];
  }

  public long messageCount(MessageType type) {
    return messages[type.ordinal()];
  }

  /** The peer the header names, created on first sight. */
  public PeerState peer(PerPeerHeader header) {
    PeerKey key = PeerKey.of(header);
    PeerState p = peers.get(key);
    if (p == null) {
      p = new PeerState(header);
      peers.put(key, p);
    }
    return p;
  }

  /** The session ended: every peer is down and its routes are gone; counters stay. */
  public void sessionClosed(double now) {
    up = false;
    downSince = now;
    for (PeerState p : peers.values()) {
      p.sessionClosed();
    }
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
    Map<String, Long> terms = new TreeMap<>();
    terminations.forEach((r, n) -> terms.put(r, n[0]));
    List<Snapshots.Peer> ps = new ArrayList<>(peers.size());
    for (PeerState p : peers.values()) {
      ps.add(p.snapshot());
    }
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
        ps);
  }
}
