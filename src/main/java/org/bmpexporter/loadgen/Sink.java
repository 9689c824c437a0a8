package org.bmpexporter.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bmpexporter.codec.ByteWriter;

/**
 * Where a session's bytes go: a blocking TCP connection (the kernel's send buffer gives TCP
 * backpressure: a write blocks while the collector does not read) or a file. {@link #close()} from
 * another thread (the deadline watchdog) aborts a blocked write.
 */
abstract class Sink implements AutoCloseable {
  long bytes;
  long firstByteNanos;
  long firstByteEpochMillis;
  long lastByteNanos;

  final void write(byte[] a, int off, int len) throws IOException {
    write(ByteBuffer.wrap(a, off, len));
  }

  /**
   * Writes what remains in {@code bb}. From a direct buffer the socket write takes the bytes where
   * they are; from a heap one the JDK first copies them into a direct buffer of its own.
   */
  final void write(ByteBuffer bb) throws IOException {
    int len = bb.remaining();
    if (len <= 0) {
      return;
    }
    if (firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
      firstByteEpochMillis = System.currentTimeMillis();
    }
    while (bb.hasRemaining()) {
      writeSome(bb);
    }
    bytes += len;
    lastByteNanos = System.nanoTime();
  }

  final void write(byte[] a) throws IOException {
    write(a, 0, a.length);
  }

  final void write(ByteWriter b) throws IOException {
    write(b.array(), 0, b.size());
    b.reset();
  }

  abstract void writeSome(ByteBuffer bb) throws IOException;

  /** Ends the stream in an orderly way (FIN after everything was written). */
  abstract void finish() throws IOException;

  @Override
  public abstract void close();

  static final class Tcp extends Sink {
    final SocketChannel ch;

    Tcp(
        InetSocketAddress target,
        InetSocketAddress source,
        int connectTimeoutMillis,
        int sendBuffer)
        throws IOException {
      ch = SocketChannel.open();
      try {
        if (sendBuffer > 0) {
          ch.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
        }
        if (source != null) {
          ch.bind(source);
        }
        ch.socket().connect(target, connectTimeoutMillis);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }

    String localAddress() {
      try {
        return ((InetSocketAddress) ch.getLocalAddress()).getAddress().getHostAddress();
      } catch (IOException e) {
        return "?";
      }
    }

    @Override
    void writeSome(ByteBuffer bb) throws IOException {
      ch.write(bb);
    }

    /** Half-closes, then waits (bounded) for the collector to close its side. */
    @Override
    void finish() throws IOException {
      ch.shutdownOutput();
      ch.socket().setSoTimeout(2000);
      byte[] sinkhole = new byte[4096];
      long end = System.nanoTime() + 2_000_000_000L;
      var in = ch.socket().getInputStream();
      try {
        while (System.nanoTime() < end && in.read(sinkhole) >= 0) {
          // discard anything the collector sends (nothing, per RFC 7854)
        }
      } catch (java.net.SocketTimeoutException e) {
        // collector kept the connection open: close it ourselves
      }
    }

    @Override
    public void close() {
      try {
        ch.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  static final class File extends Sink {
    final FileChannel ch;

    File(Path path) throws IOException {
      ch =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    void writeSome(ByteBuffer bb) throws IOException {
      ch.write(bb);
    }

    @Override
    void finish() {
      // nothing to flush: FileChannel writes go straight to the file
    }

    @Override
    public void close() {
      try {
        ch.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
