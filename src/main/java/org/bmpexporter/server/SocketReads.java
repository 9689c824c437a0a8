package org.bmpexporter.server;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * A BMP connection's reads as Netty delivers them, for the whole life of the connection.
 *
 * <p>{@link NetSocket#handler} copies every read into a newly allocated heap buffer before the
 * handler sees it: at ingest rates that is the whole stream allocated, zeroed and copied once more
 * (the largest cost outside the session in a profile of a real FRR table). Here the read's own
 * (pooled, usually direct) buffer goes to the current {@link Reader}, which must not keep it past
 * the call: it is released when the reader returns.
 *
 * <p>Pausing stops Netty's reads. Reads already on their way (the rest of the current read loop)
 * arrive all the same, and the reader decides what to do with them; every stage of a session's
 * start keeps them in order for the next one.
 */
final class SocketReads {
  /** Takes one read; {@code buf} is only valid during the call. */
  @FunctionalInterface
  interface Reader {
    void read(ByteBuf buf);
  }

  private final NetSocket socket;
  private Reader reader = buf -> {};

  private SocketReads(NetSocket socket) {
    this.socket = socket;
  }

  /** Takes over {@code socket}'s reads (a Vert.x socket: every NetSocket Vert.x makes is one). */
  static SocketReads of(NetSocket socket) {
    SocketReads reads = new SocketReads(socket);
    ((NetSocketInternal) socket).messageHandler(reads::message);
    return reads;
  }

  /** Where the next reads go (on the connection's event loop). */
  void to(Reader next) {
    this.reader = next;
  }

  void pause() {
    socket.pause();
  }

  void resume() {
    socket.resume();
  }

  private void message(Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg); // nothing else is read from a TCP connection
      return;
    }
    try {
      reader.read(buf);
    } finally {
      buf.release();
    }
  }
}
