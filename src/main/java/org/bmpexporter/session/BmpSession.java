package org.bmpexporter.session;

import java.util.function.DoubleSupplier;
import org.bmpexporter.bgp.AddPathModes;
import org.bmpexporter.bgp.Direction;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.bgp.UpdateDecoder;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.ErrorListener;
import org.bmpexporter.codec.Quirk;
import org.bmpexporter.state.PeerState;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.wire.BmpDecoder;
import org.bmpexporter.wire.BmpFramer;
import org.bmpexporter.wire.BmpMessage;
import org.bmpexporter.wire.BufferBudget;
import org.bmpexporter.wire.BufferBudgetExceededException;
import org.bmpexporter.wire.MessageType;
import org.bmpexporter.wire.PerPeerHeader;
import org.bmpexporter.wire.Rib;
import org.bmpexporter.wire.RouteMonitoringView;
import org.bmpexporter.wire.V4RouteMonitoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.NOPLogger;

/**
 * One BMP session: frames the byte stream, decodes each message and applies it to the router's
 * state, in strict message order. Fed by any byte source (a TCP connection, a capture, the start-up
 * warm-up) from one thread. Bad input is counted and logged; only a framing error ends the session
 * (by throwing {@link BmpProtocolException} out of {@link #feed}).
 *
 * <p>Route Monitoring, the bulk of every stream, has one path: the UPDATE is walked where it lies
 * in the read buffer and its routes go straight into the peer's tables; the peer is looked up from
 * the header bytes, and a header object is made only when the peer differs from the previous
 * message's. A {@link MessageListener} sees that same walk.
 */
public final class BmpSession implements ErrorListener {
  private static final Logger LOG = LoggerFactory.getLogger(BmpSession.class);

  /**
   * Observes the session's messages as they are applied (for {@code inspect --messages}). Route
   * Monitoring messages arrive as a view ({@link #routeMonitoring}), then their routes through the
   * {@link NlriSink} methods, then {@link #routeMonitoringEnd}; every other message decoded.
   */
  public interface MessageListener extends NlriSink {
    default void message(BmpMessage message, int length) {}

    /** The view is valid until {@link #routeMonitoringEnd}. */
    default void routeMonitoring(RouteMonitoringView message) {}

    default void routeMonitoringEnd() {}

    @Override
    default void route(int family, boolean announce, long pathId, byte[] key, int off, int len) {}

    @Override
    default void endOfRib(int family) {}
  }

  private final RouterState router;
  private final DoubleSupplier clock;
  private final BmpFramer framer;
  private final UpdateDecoder updates = new UpdateDecoder();
  private final BmpFramer.FrameHandler onFrame = this::frame;
  private final boolean[] loggedError = new boolean[DecodeError.values().length];
  private final boolean[] loggedQuirk = new boolean[Quirk.values().length];
  private MessageListener listener;
  private BmpFramer.FrameHandler forward;
  private RouteMonitoringView view;
  private ListenerTee tee;
  private Logger log = LOG;
  private LogLimiter limiter = LogLimiter.shared();
  private V4RouteMonitoring v4; // made at the first version 4 Route Monitoring
  private V4Modes v4Modes;
  private NlriCount v4Count;
  private PerPeerHeader lastHeader;
  private PeerState lastPeer;
  private boolean closed;
  private boolean legacy; // the message being applied is of BMP version 1 or 2

  public BmpSession(RouterState router, int maxMessageLength, DoubleSupplier clockSeconds) {
    this(router, maxMessageLength, clockSeconds, null);
  }

  /**
   * @param budget where partial messages are charged (a network session's share of the global
   *     buffer budget), or null for no bound but {@code maxMessageLength}
   */
  public BmpSession(
      RouterState router,
      int maxMessageLength,
      DoubleSupplier clockSeconds,
      BufferBudget.Account budget) {
    this.router = router;
    this.clock = clockSeconds;
    this.framer = new BmpFramer(maxMessageLength, budget);
  }

  public void listener(MessageListener listener) {
    this.listener = listener;
    this.view = new RouteMonitoringView();
    this.tee = new ListenerTee(listener);
  }

  /**
   * Hands every whole message, as received and before it is decoded, to {@code forward} (the
   * forwarding to other collectors); the bytes are valid only during the call.
   */
  public void forward(BmpFramer.FrameHandler forward) {
    this.forward = forward;
  }

  /** Rate-limits this session's event lines through {@code limiter} instead of the shared one. */
  public void logLimiter(LogLimiter limiter) {
    this.limiter = limiter;
  }

  /** Logs nothing from now on: for synthetic sessions (the start-up warm-up). */
  public void quiet() {
    this.log = NOPLogger.NOP_LOGGER;
  }

  public RouterState router() {
    return router;
  }

  /** Marks the router up; call once when the connection is established. */
  public void open() {
    router.sessionOpened(clock.getAsDouble());
  }

  /**
   * Feeds received bytes.
   *
   * @throws BmpProtocolException on a framing error (counted); the caller closes the connection
   * @throws BufferBudgetExceededException when the partial message could not be buffered (the
   *     buffer is dropped); the caller closes the connection
   */
  public void feed(byte[] data, int off, int len) {
    if (framer.failed()) {
      framer.feed(data, off, len, onFrame); // throws the error that ended the stream, again
    }
    router.countBytes(len);
    try {
      framer.feed(data, off, len, onFrame);
    } catch (BmpProtocolException e) {
      error(e.error(), e.getMessage()); // counted once: later feeds throw before this point
      throw e;
    }
  }

  /** Drops a partial message and its buffer (the session is about to be closed). */
  public void release() {
    framer.release();
  }

  /** Ends the session: a partial message left is counted as truncated, the router goes down. */
  public void close(String why) {
    if (closed) {
      return;
    }
    closed = true;
    if (framer.pendingBytes() > 0 && !framer.failed()) {
      error(
          DecodeError.TRUNCATED_STREAM,
          "session ended inside a message (" + framer.pendingBytes() + " bytes)");
    }
    framer.release();
    router.sessionClosed(clock.getAsDouble());
    if (allow("session closes")) {
      log.info("router {} ({}) session closed: {}", router.label(), router.sysName(), why);
    }
  }

  @Override
  public void error(DecodeError error, String detail) {
    router.countError(error);
    if (!loggedError[error.ordinal()]) {
      loggedError[error.ordinal()] = true;
      if (!limiter.allow(log, Level.WARN, error.label() + " errors", source())) {
        return;
      }
      log.warn(
          "router {}: {}: {} (further {} errors of this session logged at debug)",
          router.label(),
          error.label(),
          detail,
          error.label());
    } else if (log.isDebugEnabled()) {
      log.debug("router {}: {}: {}", router.label(), error.label(), detail);
    }
  }

  @Override
  public void quirk(Quirk quirk, String detail) {
    if (legacy && quirk == Quirk.AS_PATH_WIDTH) {
      return; // versions 1 and 2 have no A flag: the AS number width is whatever parses
    }
    router.countQuirk(quirk);
    if (!loggedQuirk[quirk.ordinal()]) {
      loggedQuirk[quirk.ordinal()] = true;
      if (!limiter.allow(log, Level.INFO, quirk.label() + " quirks", source())) {
        return;
      }
      log.info(
          "router {}: known quirk {} decoded: {} (further ones of this session logged at debug)",
          router.label(),
          quirk.label(),
          detail);
    } else if (log.isDebugEnabled()) {
      log.debug("router {}: {}: {}", router.label(), quirk.label(), detail);
    }
  }

  private void frame(byte[] b, int off, int len) {
    int version = b[off] & 0xff;
    router.bmpVersion(version);
    legacy = version < BmpLimits.VERSION;
    // Version 1 and 2 messages come reframed in the version 3 layout (BmpFramer): they are not
    // relayed, being neither what the router sent nor valid version 3 messages.
    if (forward != null && !legacy) {
      forward.frame(b, off, len);
    }
    MessageType type = MessageType.of(Bytes.u8(b, off + 5));
    router.countMessage(type);
    if (type == MessageType.ROUTE_MONITORING) {
      routeMonitoring(b, off, len);
      return;
    }
    BmpMessage m = BmpDecoder.decode(b, off, len, this);
    if (m == null) {
      return;
    }
    if (listener != null) {
      listener.message(m, len);
    }
    apply(m);
  }

  /** Route Monitoring without a message object (see the class comment). */
  private void routeMonitoring(byte[] b, int off, int len) {
    if (Bytes.u8(b, off) == BmpLimits.VERSION_4) {
      routeMonitoringV4(b, off, len);
      return;
    }
    int update = BmpDecoder.routeMonitoringUpdate(b, off, len, this);
    if (update < 0) {
      return;
    }
    applyUpdate(b, off, len, update, off + len - update, null);
  }

  /**
   * A version 4 Route Monitoring: the UPDATE from its BGP PDU TLV, decoded with the ADD-PATH of its
   * stateless parsing TLV if any; then its path markings counted per NLRI they name.
   */
  private void routeMonitoringV4(byte[] b, int off, int len) {
    int h = off + BmpLimits.COMMON_HEADER_LENGTH;
    if (len - BmpLimits.COMMON_HEADER_LENGTH < BmpLimits.PER_PEER_HEADER_LENGTH) {
      error(DecodeError.TRUNCATED_MESSAGE, "message too short for the per-peer header");
      return;
    }
    if (v4 == null) {
      v4 = new V4RouteMonitoring();
      v4Modes = new V4Modes(v4);
      v4Count = new NlriCount();
    }
    if (!v4.parse(b, h + BmpLimits.PER_PEER_HEADER_LENGTH, off + len, this)) {
      return;
    }
    PeerState peer = applyUpdate(b, off, len, v4.pduOffset(), v4.pduLength(), v4Count);
    if (peer == null || v4.markings() == 0 || v4Count.family < 0) {
      return; // no NLRI, nothing marked
    }
    for (int i = 0; i < v4.markings(); i++) {
      peer.pathStatus(v4Count.family, v4.markingStatus(i), v4.markedNlri(i, v4Count.nlri));
    }
  }

  /** Decodes the UPDATE at {@code b[update..+updateLength)} into its peer, which it returns. */
  private PeerState applyUpdate(
      byte[] b, int off, int len, int update, int updateLength, NlriCount count) {
    int h = off + BmpLimits.COMMON_HEADER_LENGTH;
    Rib rib = PerPeerHeader.ribAt(b, h);
    PeerState peer = activePeerAt(b, h);
    if (peer == null) {
      return null; // a new peer beyond the router's limit: dropped, counted by the router
    }
    peer.beginUpdate(rib, updates);
    NlriSink sink = peer;
    if (listener != null) {
      // the cached header names the same peer but may differ in flags: decode this one's
      listener.routeMonitoring(view.set(PerPeerHeader.decode(b, h), b, update, updateLength, len));
      sink = tee.into(peer);
    }
    AddPathModes modes = peer;
    if (count != null) {
      sink = count.into(sink);
      modes = v4.declaresAddPath() ? v4Modes.of(peer, rib) : peer;
    }
    updates.decode(b, update, updateLength, modes, PerPeerHeader.legacyAsPathAt(b, h), sink, this);
    if (listener != null) {
      listener.routeMonitoringEnd();
    }
    return peer;
  }

  private void apply(BmpMessage m) {
    double now = clock.getAsDouble();
    switch (m.type()) {
      case STATISTICS_REPORT:
        {
          BmpMessage.StatisticsReport s = (BmpMessage.StatisticsReport) m;
          PeerState peer = activePeer(s.peer());
          if (peer != null) {
            peer.statistics(s, now);
          }
          break;
        }
      case PEER_UP:
        {
          BmpMessage.PeerUp up = (BmpMessage.PeerUp) m;
          PeerState peer = peerFor(up.peer());
          if (peer == null) {
            break;
          }
          peer.peerUp(up, now);
          if (allow("Peer Up messages")) {
            log.info(
                "router {} ({}): peer {} up", router.label(), router.sysName(), peer.describe());
          }
          break;
        }
      case PEER_DOWN:
        {
          BmpMessage.PeerDown down = (BmpMessage.PeerDown) m;
          PeerState peer = peerFor(down.peer());
          if (peer == null) {
            break;
          }
          if (peer.peerDown(down, now)) {
            if (!allow("Peer Down messages")) {
              break;
            }
            log.info(
                "router {} ({}): peer {} down: {}{}{}",
                router.label(),
                router.sysName(),
                peer.describe(),
                down.reasonLabel(),
                down.notification() == null ? "" : " " + down.notification().describe(),
                down.fsmEvent() >= 0 ? " fsm_event " + down.fsmEvent() : "");
          } else {
            log.debug(
                "router {}: repeated Peer Down for peer {} ignored",
                router.label(),
                peer.describe());
          }
          break;
        }
      case INITIATION:
        {
          BmpMessage.Initiation init = (BmpMessage.Initiation) m;
          router.initiation(init.sysName(), init.sysDescr());
          if (!allow("Initiation messages")) {
            break;
          }
          log.info(
              "router {} initiation: sysName \"{}\" sysDescr \"{}\"",
              router.label(),
              init.sysName(),
              init.sysDescr());
          break;
        }
      case TERMINATION:
        {
          BmpMessage.Termination t = (BmpMessage.Termination) m;
          router.termination(t.reasonLabel());
          if (!allow("Termination messages")) {
            break;
          }
          log.info(
              "router {} ({}) terminated the session: {}",
              router.label(),
              router.sysName(),
              t.reasonLabel());
          break;
        }
      case ROUTE_MIRRORING:
        {
          BmpMessage.RouteMirroring rm = (BmpMessage.RouteMirroring) m;
          PeerState peer = activePeer(rm.peer());
          if (peer != null) {
            peer.mirroring(rm);
          }
          break;
        }
      default: // Route Monitoring never gets here; an unknown type was counted and skipped
        if (m instanceof BmpMessage.RoutePolicyTrace trace) {
          for (BmpMessage.TraceEvent e : trace.events()) {
            router.policyTraceEvent(e.family(), e.policyClassCode());
          }
        }
        break;
    }
  }

  /** Whether an INFO line about {@code what} from this router may be written now. */
  private boolean allow(String what) {
    return limiter.allow(log, Level.INFO, what, source());
  }

  /** The router's address: its sessions share one log budget (the label may end in #n). */
  private String source() {
    String label = router.label();
    int hash = label.indexOf('#');
    return hash < 0 ? label : label.substring(0, hash);
  }

  private PeerState activePeerAt(byte[] b, int h) {
    PerPeerHeader last = lastHeader;
    if (last != null && last.samePeerAt(b, h)) {
      lastPeer.seenActive();
      return lastPeer;
    }
    return activePeer(PerPeerHeader.decode(b, h));
  }

  /**
   * The peer of a Route Monitoring, Statistics or Mirroring message (see seenActive); null when the
   * router's peer limit keeps it out.
   */
  private PeerState activePeer(PerPeerHeader h) {
    PeerState peer = peerFor(h);
    if (peer != null) {
      peer.seenActive();
    }
    return peer;
  }

  /** The peer the header names; null when the router's peer limit keeps a new one out. */
  private PeerState peerFor(PerPeerHeader h) {
    if (lastHeader != null && lastHeader.samePeer(h)) {
      return lastPeer;
    }
    PeerState p = router.peer(h);
    if (p != null) {
      lastHeader = h;
      lastPeer = p;
    }
    return p;
  }

  /** Counts the NLRI an UPDATE carries and notes the family of the first; passes them on. */
  private static final class NlriCount implements NlriSink {
    private NlriSink next;
    long nlri;
    int family;

    NlriCount into(NlriSink next) {
      this.next = next;
      nlri = 0;
      family = -1;
      return this;
    }

    @Override
    public void route(int family, boolean announce, long pathId, byte[] key, int off, int len) {
      if (nlri++ == 0) {
        this.family = family;
      }
      next.route(family, announce, pathId, key, off, len);
    }

    @Override
    public void endOfRib(int family) {
      next.endOfRib(family);
    }
  }

  /**
   * The peer's ADD-PATH modes, except for the families a stateless parsing TLV names: for those the
   * TLV's ADD-PATH capability says, for this message alone, as in an OPEN of the monitored session
   * (received routes carry path ids in receive mode, sent routes in send mode; Loc-RIB in either).
   */
  private static final class V4Modes implements AddPathModes {
    private final V4RouteMonitoring tlvs;
    private PeerState peer;
    private Rib rib;

    V4Modes(V4RouteMonitoring tlvs) {
      this.tlvs = tlvs;
    }

    V4Modes of(PeerState peer, Rib rib) {
      this.peer = peer;
      this.rib = rib;
      return this;
    }

    @Override
    public boolean declared(int family) {
      int mode = tlvs.addPathMode(family);
      if (mode < 0) {
        return peer.declared(family);
      }
      if (rib == Rib.LOC_RIB) {
        return mode != 0;
      }
      return (mode & (rib.direction() == Direction.SENT ? 2 : 1)) != 0;
    }

    @Override
    public boolean known() {
      return true;
    }

    @Override
    public int learned(int family) {
      return tlvs.addPathMode(family) >= 0 ? -1 : peer.learned(family);
    }

    @Override
    public void learn(int family, int mode) {
      peer.learn(family, mode);
    }

    @Override
    public Quirk quirk(boolean pathIdsPresent) {
      return peer.quirk(pathIdsPresent);
    }
  }

  /** Routes into the peer's tables and to the listener, in that order. */
  private static final class ListenerTee implements NlriSink {
    private final MessageListener listener;
    private PeerState peer;

    ListenerTee(MessageListener listener) {
      this.listener = listener;
    }

    ListenerTee into(PeerState peer) {
      this.peer = peer;
      return this;
    }

    @Override
    public void route(int family, boolean announce, long pathId, byte[] key, int off, int len) {
      peer.route(family, announce, pathId, key, off, len);
      listener.route(family, announce, pathId, key, off, len);
    }

    @Override
    public void endOfRib(int family) {
      peer.endOfRib(family);
      listener.endOfRib(family);
    }
  }
}
