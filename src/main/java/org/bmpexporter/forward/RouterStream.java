package org.bmpexporter.forward;

import org.bmpexporter.wire.BmpFramer;

/**
 * One router session's messages on their way to a forwarder: {@link #frame} gets every whole BMP
 * message as received, before it is decoded (the bytes are valid only during the call), then {@link
 * #close} when the session ended. Both on the session's event loop.
 */
public interface RouterStream extends BmpFramer.FrameHandler {
  /** The router's session ended (after its last message). */
  void close();
}
