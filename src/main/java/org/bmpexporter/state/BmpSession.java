package org.bmpexporter.state;

import java.util.function.DoubleSupplier;
import org.bmpexporter.bgp.UpdateDecoder;
import org.bmpexporter.wire.BmpDecoder;
import org.bmpexporter.wire.BmpFramer;
import org.bmpexporter.wire.BmpLimits;
import org.bmpexporter.wire.BmpMessage;
import org.bmpexporter.wire.BmpProtocolException;
import org.bmpexporter.wire.Bytes;
import org.bmpexporter.wire.DecodeError;
import org.bmpexporter.wire.ErrorListener;
import org.bmpexporter.wire.MessageType;
import org.bmpexporter.wire.PerPeerHeader;
import org.bmpexporter.wire.Rib;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * One BMP session: frames the byte stream, decodes each message and applies it to the router's
 * state, in strict message order. Used from one thread (the connection's event loop, or the
 * {@code inspect} command). Bad input is counted and logged; only a framing error ends the session
 * (by throwing {@link BmpProtocolException} out of {@link #feed}).
 */
public final class BmpSession implements ErrorListener {
  private static final Logger LOG = LoggerFactory.getLogger(BmpSession.class);

  /** Observes decoded messages (for {@code inspect --messages}); not used on the server. */
  public interface MessageListener {
    void message(BmpMessage message, int length);
  }

  private final RouterState router;
  private final DoubleSupplier clock;
  private final BmpFramer framer;
  private final UpdateDecoder updates = new UpdateDecoder();
  private final BmpFramer.FrameHandler onFrame = this::frame;
  private final boolean[] loggedError = new boolean[DecodeError.values().length];
  private MessageListener listener;
  private Logger log = LOG;
  private PerPeerHeader lastHeader;
  private PeerState lastPeer;
  private boolean closed;

  public BmpSession(RouterState router, int maxMessageLength, DoubleSupplier clockSeconds) {
    this.router = router;
    this.clock = clockSeconds;
    this.framer = new BmpFramer(maxMessageLength);
  }

  public void listener(MessageListener listener) {
    this.listener = listener;
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
    router.up = true;
    router.upSince = clock.getAsDouble();
  }

  /**
   * Feeds received bytes.
   *
   * @throws BmpProtocolException on a framing error (counted); the caller closes the connection
   */
  public void feed(byte[] data, int off, int len) {
    if (framer.failed()) {
      framer.feed(data, off, len, onFrame); // throws the error that ended the stream, again
    }
    router.receivedBytes += len;
    try {
      framer.feed(data, off, len, onFrame);
    } catch (BmpProtocolException e) {
      error(e.error(), e.getMessage()); // counted once: later feeds throw before this point
      throw e;
    }
  }

  /** Ends the session: a partial message left is counted as truncated, the router goes down. */
  public void close(String why) {
    if (closed) {
      return;
    }
    closed = true;
    if (framer.pendingBytes() > 0 && !framer.failed()) {
      error(DecodeError.TRUNCATED_STREAM,
          "session ended inside a message (" + framer.pendingBytes() + " bytes)");
    }
    router.sessionClosed(clock.getAsDouble());
    log.info("router {} ({}) session closed: {}", router.label, router.sysName, why);
  }

  @Override
  public void error(DecodeError error, String detail) {
    router.countError(error);
    if (!loggedError[error.ordinal()]) {
      loggedError[error.ordinal()] = true;
      log.warn("router {}: {}: {} (further {} errors of this session logged at debug)",
          router.label, error.label(), detail, error.label());
    } else if (log.isDebugEnabled()) {
      log.debug("router {}: {}: {}", router.label, error.label(), detail);
    }
  }

  private void frame(byte[] b, int off, int len) {
    MessageType type = MessageType.of(Bytes.u8(b, off + 5));
    router.messages[type.ordinal()]++;
    if (type == MessageType.ROUTE_MONITORING && listener == null) {
      routeMonitoringInPlace(b, off, len);
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

  private void apply(BmpMessage m) {
    double now = clock.getAsDouble();
    switch (m.type()) {
      case ROUTE_MONITORING: {
        BmpMessage.RouteMonitoring rm = (BmpMessage.RouteMonitoring) m;
        PerPeerHeader h = rm.peer();
        PeerState peer = activePeer(h);
        peer.beginUpdate(h.rib());
        byte[] u = rm.updateBytes();
        updates.decode(u, 0, u.length, h.rib(), peer.facts, h.legacyAsPath(), peer, this);
        break;
      }
      case STATISTICS_REPORT: {
        BmpMessage.StatisticsReport s = (BmpMessage.StatisticsReport) m;
        activePeer(s.peer()).statistics(s, now);
        break;
      }
      case PEER_UP: {
        BmpMessage.PeerUp up = (BmpMessage.PeerUp) m;
        PeerState peer = peerFor(up.peer());
        peer.peerUp(up, now);
        log.info("router {} ({}): peer {}{} AS{} up{}", router.label, router.sysName, peer.address,
            peer.rd.isEmpty() ? "" : " rd " + peer.rd, peer.peerAs,
            peer.table.isEmpty() ? "" : " table " + peer.table);
        break;
      }
      case PEER_DOWN: {
        BmpMessage.PeerDown down = (BmpMessage.PeerDown) m;
        PeerState peer = peerFor(down.peer());
        boolean changed = peer.peerDown(down, now);
        if (changed) {
          log.info("router {} ({}): peer {}{} AS{} down: {}{}{}", router.label, router.sysName,
              peer.address, peer.rd.isEmpty() ? "" : " rd " + peer.rd, peer.peerAs,
              down.reasonLabel(),
              down.notification() == null ? "" : " " + down.notification().describe(),
              down.fsmEvent() >= 0 ? " fsm_event " + down.fsmEvent() : "");
        } else {
          log.debug("router {}: repeated Peer Down for peer {} ignored", router.label,
              peer.address);
        }
        break;
      }
      case INITIATION: {
        BmpMessage.Initiation init = (BmpMessage.Initiation) m;
        router.sysName = init.sysName();
        router.sysDescr = init.sysDescr();
        log.info("router {} initiation: sysName \"{}\" sysDescr \"{}\"", router.label,
            router.sysName, router.sysDescr);
        break;
      }
      case TERMINATION: {
        BmpMessage.Termination t = (BmpMessage.Termination) m;
        router.terminations.computeIfAbsent(t.reasonLabel(), k -> new long[1])[0]++;
        log.info("router {} ({}) terminated the session: {}", router.label, router.sysName,
            t.reasonLabel());
        break;
      }
      case ROUTE_MIRRORING: {
        BmpMessage.RouteMirroring rm = (BmpMessage.RouteMirroring) m;
        PeerState peer = activePeer(rm.peer());
        peer.mirroredMessages += rm.bgpMessages();
        peer.mirroredErrors += rm.erroredPdus();
        peer.mirroredLost += rm.messagesLost();
        break;
      }
      default:
        break;
    }
  }

  /**
   * The peer of a Route Monitoring, Statistics or Mirroring message. A peer first seen that way
   * (no Peer Up or Down yet: a capture or a session joined mid-stream) is taken to be up.
   */
  /**
   * Route Monitoring without a message object: the UPDATE is walked where it lies in the read
   * buffer, and the peer is looked up from the header bytes (a header object is made only when
   * the peer differs from the previous message's). Same checks and effects as decoding it.
   */
  private void routeMonitoringInPlace(byte[] b, int off, int len) {
    int update = BmpDecoder.routeMonitoringUpdate(b, off, len, this);
    if (update < 0) {
      return;
    }
    int h = off + BmpLimits.COMMON_HEADER_LENGTH;
    int flags = Bytes.u8(b, h + 1);
    Rib rib = PerPeerHeader.rib(Bytes.u8(b, h), flags);
    PeerState peer = activePeerAt(b, h);
    peer.beginUpdate(rib);
    updates.decode(b, update, off + len - update, rib, peer.facts,
        (flags & PerPeerHeader.FLAG_A) != 0, peer, this);
  }

  private PeerState activePeerAt(byte[] b, int h) {
    PerPeerHeader last = lastHeader;
    if (last != null && last.peerType() == Bytes.u8(b, h)
        && last.distinguisher() == Bytes.s64(b, h + 2)
        && last.addressHigh() == Bytes.s64(b, h + 10)
        && last.addressLow() == Bytes.s64(b, h + 18)) {
      return activePeer(last);
    }
    return activePeer(PerPeerHeader.decode(b, h));
  }

  private PeerState activePeer(PerPeerHeader h) {
    PeerState peer = peerFor(h);
    if (peer.ups == 0 && !peer.up && peer.downs.isEmpty()) {
      peer.up = true;
    }
    return peer;
  }

  private PeerState peerFor(PerPeerHeader h) {
    if (lastHeader != null && lastHeader.samePeer(h)) {
      return lastPeer;
    }
    PeerState p = router.peer(h, true);
    lastHeader = h;
    lastPeer = p;
    return p;
  }
}
