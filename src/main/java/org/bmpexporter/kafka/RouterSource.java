package org.bmpexporter.kafka;

import java.util.concurrent.Executor;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.wire.MessageType;

/**
 * One router as seen through Kafka: the BMP session its records make, opened at its first record,
 * restarted by an Initiation after other messages (the router reconnected to the collector that
 * published it), ended by a Termination or a framing error.
 */
final class RouterSource {
  static final String SOURCE = "kafka";

  /** A router through Kafka: the collector that published it and the router's address. */
  record Key(String collector, String routerIp) {}

  private final Key key;
  private final RouterRegistry registry;
  private final Executor owner;
  private final int maxMessageBytes;
  private RouterState state;
  private BmpSession session;
  private boolean sawMessages;

  RouterSource(Key key, RouterRegistry registry, Executor owner, int maxMessageBytes) {
    this.key = key;
    this.registry = registry;
    this.owner = owner;
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Feeds one whole BMP message. False when the registry refused the router (its address has {@code
   * sessions_per_address} live sessions already).
   */
  boolean feed(byte[] b, int off, int len) {
    MessageType type = MessageType.of(b[off + 5] & 0xff);
    if (session != null && type == MessageType.INITIATION && sawMessages) {
      close("a new Initiation: the router's session to the collector restarted");
    }
    if (session == null && !open()) {
      return false;
    }
    try {
      session.feed(b, off, len);
      sawMessages = true;
    } catch (BmpProtocolException e) {
      // counted by the session; the next record starts a new one (its state then unknown)
      session.release();
      close("framing error: " + e.getMessage());
      return true;
    }
    if (type == MessageType.TERMINATION) {
      close("Termination message");
    }
    return true;
  }

  private boolean open() {
    RouterState s = registry.attach(key.routerIp(), owner);
    if (s == null) {
      return false;
    }
    state = s;
    state.startUnknown(SOURCE);
    session = new BmpSession(state, maxMessageBytes, () -> System.currentTimeMillis() / 1000.0);
    session.open();
    sawMessages = false;
    return true;
  }

  void close(String why) {
    if (session == null) {
      return;
    }
    session.close(why + " (Kafka, collector '" + key.collector() + "')");
    registry.detach(state);
    session = null;
  }
}
