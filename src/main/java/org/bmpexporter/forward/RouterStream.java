package org.bmpexporter.forward;

import org.bmpexporter.wire.BmpFramer;

/**
 * One router session's messages on their way to a forwarder: {@link #frame} gets every whole BMP
 * message as received, before it is decoded (the bytes are valid only during the call), {@link
 * #endOfRead} follows the messages of each read from the router's connection, then {@link #close}
 * when the session ended. All on the session's event loop.
 */
public interface RouterStream extends BmpFramer.FrameHandler {
  /**
   * The messages {@link #frame} got since the previous call came in one read: a forwarder may hand
   * them on together now (one write and flush per read instead of per message).
   */
  default void endOfRead() {}

  /** The router's session ended (after its last message; what it got is handed on first). */
  void close();
}
