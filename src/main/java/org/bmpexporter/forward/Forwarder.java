package org.bmpexporter.forward;

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

  /** Stops forwarding (exporter shutdown); open streams stop with it. */
  @Override
  void close();
}
