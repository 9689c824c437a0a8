package org.bmpexporter.reliability;

import static org.bmpexporter.testing.Bmp.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A well-behaved router beside an attack: from its own loopback address it sends an Initiation, a
 * Peer Up and {@code updates} UPDATEs of 100 distinct IPv4 /32s each, in {@code batches} spread
 * over the attack, and keeps its session open. What it sent is exactly what the exporter must
 * count.
 */
final class CleanRouter implements AutoCloseable {
  static final int PREFIXES_PER_UPDATE = 100;

  private final String address;
  private final Socket socket = new Socket();
  private final OutputStream out;
  private final byte[][] batches;
  private final int updates;

  CleanRouter(String address, InetSocketAddress exporter, int updates, int batchCount)
      throws IOException {
    this.address = address;
    socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
    socket.connect(exporter, 5_000);
    out = socket.getOutputStream();
    Peer peer = peer().address("192.0.2.1").as(65001);
    out.write(concat(initiation(tlv(2, "clean-router"), tlv(1, "reference session"))));
    out.write(
        peerUp(
            peer,
            "192.0.2.254",
            179,
            50000,
            open(65000, 90, "192.0.2.254"),
            open(65001, 90, "192.0.2.1")));
    out.flush();
    batches = new byte[batchCount][];
    int perBatch = (updates + batchCount - 1) / batchCount;
    int n = 0;
    for (int b = 0; b < batchCount; b++) {
      ByteArrayOutputStream batch = new ByteArrayOutputStream();
      for (int i = 0; i < perBatch && n < updates; i++, n++) {
        String[] cidrs = new String[PREFIXES_PER_UPDATE];
        for (int p = 0; p < PREFIXES_PER_UPDATE; p++) {
          int k = n * PREFIXES_PER_UPDATE + p; // distinct host routes from 10.0.0.0 on
          cidrs[p] = "10." + (k >> 16 & 0xff) + "." + (k >> 8 & 0xff) + "." + (k & 0xff) + "/32";
        }
        batch.writeBytes(
            routeMonitoring(peer, update(new byte[0], basicAttributes(), prefixes(cidrs))));
      }
      batches[b] = batch.toByteArray();
    }
    this.updates = updates;
  }

  /** Sends batch {@code i}. */
  void send(int i) throws IOException {
    out.write(batches[i]);
    out.flush();
  }

  int batches() {
    return batches.length;
  }

  String router() {
    return address;
  }

  long expectedRoutes() {
    return (long) updates * PREFIXES_PER_UPDATE;
  }

  int expectedUpdates() {
    return updates;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
