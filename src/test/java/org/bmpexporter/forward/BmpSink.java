package org.bmpexporter.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bmpexporter.codec.Bytes;

/**
 * A BMP destination on the loopback for the forwarding tests: accepts connections and records each
 * one's bytes. The first {@code stalled} connections are accepted and never read (a collector that
 * stopped reading), with a small receive buffer so that they fill quickly.
 */
final class BmpSink implements AutoCloseable {
  /** One accepted connection. */
  static final class Connection {
    final Socket socket;
    final boolean stalled;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    volatile boolean ended;

    Connection(Socket socket, boolean stalled) {
      this.socket = socket;
      this.stalled = stalled;
    }

    synchronized byte[] bytes() {
      return bytes.toByteArray();
    }

    synchronized void append(byte[] b, int n) {
      bytes.write(b, 0, n);
    }

    /** The whole BMP messages received so far, each as sent. */
    List<byte[]> messages() {
      return frames(bytes());
    }
  }

  private final ServerSocket server;
  private final int stalled;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  BmpSink(int port, int stalled) throws IOException {
    this.stalled = stalled;
    server = new ServerSocket();
    server.setReuseAddress(true);
    if (stalled > 0) {
      server.setReceiveBufferSize(8 * 1024); // inherited by accepted sockets
    }
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    acceptor = new Thread(this::acceptLoop, "bmp-sink-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A loopback port that was free a moment ago (for a destination that comes up later). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  int port() {
    return server.getLocalPort();
  }

  String destination() {
    return "127.0.0.1:" + port();
  }

  List<Connection> connections() {
    return List.copyOf(connections);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Connection c = new Connection(s, connections.size() < stalled);
      connections.add(c);
      if (!c.stalled) {
        Thread reader = new Thread(() -> read(c), "bmp-sink-reader");
        reader.setDaemon(true);
        reader.start();
      }
    }
  }

  private static void read(Connection c) {
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = c.socket.getInputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        c.append(buf, n);
      }
    } catch (SocketException e) {
      // reset or closed by the test
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      c.ended = true;
    }
  }

  /** Splits a byte stream into whole BMP messages (a partial tail is left out). */
  static List<byte[]> frames(byte[] b) {
    List<byte[]> out = new ArrayList<>();
    int off = 0;
    while (b.length - off >= 6) {
      int len = (int) Bytes.u32(b, off + 1);
      if (len < 6 || b.length - off < len) {
        break;
      }
      out.add(java.util.Arrays.copyOfRange(b, off, off + len));
      off += len;
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Connection c : connections) {
      c.socket.close();
    }
  }
}
