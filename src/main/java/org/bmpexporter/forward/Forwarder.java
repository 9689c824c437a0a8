package org.bmpexporter.forward;

import java.util.List;

/**
 * A place the BMP messages received from routers are handed on to: other collectors over TCP
 * ({@link TcpForwarder}), or a message bus. A forwarder never slows or blocks the sessions it is
 * fed by: what it cannot pass on at once it buffers, within a bound, and beyond that drops and
 * counts.
 */
public interface Forwarder extends AutoCloseable {

  /**
   * A router's BMP session opened: the stream that gets its messages. Called on the session's event
   * loop, which then calls the stream, and only it.
   *
   * @param router the router's label ({@code router} label value; {@code <address>#2} for a second
   *     parallel session)
   * @param address the router's address (a message bus keys and labels records by it)
   */
  RouterStream open(String router, String address);

  /**
   * A router session's outbound sessions now (for the status page): one per destination this
   * forwarder keeps a connection to for it; empty when it keeps none per router (a message bus).
   *
   * @param router the router's label, as given to {@link #open}
   */
  default List<LinkStatus> links(String router) {
    return List.of();
  }

  /**
   * One router session's outbound session to a destination.
   *
   * @param destination {@code host:port} as configured (the {@code destination} label value)
   * @param connected its connection is open now
   * @param droppedMessages messages of this router session not forwarded to it
   */
  record LinkStatus(String destination, boolean connected, long droppedMessages) {}

  /** Stops forwarding (exporter shutdown); open streams stop with it. */
  @Override
  void close();
}
