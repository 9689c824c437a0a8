package org.bmpexporter.interop;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A forwarding destination ({@code bmp.forward}) that accepts the exporter's outbound BMP sessions
 * on loopback and reads and discards what they carry, so that the forwarding metrics and panels
 * have live data without a drop. Its threads end when it is closed (or the exporter closes).
 */
final class ForwardSink implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final AtomicLong bytes = new AtomicLong();

  ForwardSink() {
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("forward sink", e);
    }
    Thread accept = new Thread(this::acceptLoop, "forward-sink-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** {@code host:port} as {@code bmp.forward} takes it. */
  String destination() {
    return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  long bytes() {
    return bytes.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.add(s);
        Thread reader = new Thread(() -> drain(s), "forward-sink-read");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void drain(Socket s) {
    byte[] buf = new byte[64 * 1024];
    try (s;
        InputStream in = s.getInputStream()) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        bytes.addAndGet(n);
      }
    } catch (IOException e) {
      // closed by the sink or the exporter
    } finally {
      connections.remove(s);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      InteropLab.log("closing the forward sink: " + e);
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException e) {
        InteropLab.log("closing a forward sink connection: " + e);
      }
    }
  }
}
