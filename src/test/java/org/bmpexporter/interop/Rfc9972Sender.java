package org.bmpexporter.interop;

import static org.bmpexporter.testing.Bmp.concat;
import static org.bmpexporter.testing.Bmp.initiation;
import static org.bmpexporter.testing.Bmp.open;
import static org.bmpexporter.testing.Bmp.peerUp;
import static org.bmpexporter.testing.Bmp.stat64;
import static org.bmpexporter.testing.Bmp.statAfi;
import static org.bmpexporter.testing.Bmp.statistics;
import static org.bmpexporter.testing.Bmp.tlv;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.bmpexporter.testing.Bmp;

/**
 * A BMP speaker built from test bytes for what the lab's routers do not send: RFC 9972 statistics
 * (FRR 8.4 and GoBGP send none of types 18-43). It connects from its own loopback address (router
 * label {@link #ROUTER}), sends an Initiation, a Peer Up for {@link #PEER} and one Statistics
 * Report with the types the dashboards show, and keeps the session open until closed.
 */
final class Rfc9972Sender implements AutoCloseable {
  static final String ROUTER = "127.0.0.9";
  static final String PEER = "192.0.2.99";
  static final long PEER_AS = 64999;
  static final String SYS_NAME = "rfc9972-sender";

  /** Type 30, IPv4 unicast: below the default alert threshold of 100 (BmpMaxPrefixApproaching). */
  static final long HEADROOM_IPV4 = 40;

  private final Socket socket;

  private Rfc9972Sender(Socket socket) {
    this.socket = socket;
  }

  /** Connects to the exporter's BMP listener and sends the whole session start and report. */
  static Rfc9972Sender connect(String host, int port) {
    Socket s = new Socket();
    try {
      s.bind(new InetSocketAddress(Loopback.require(ROUTER), 0));
      s.connect(new InetSocketAddress(host, port), 5_000);
      Rfc9972Sender sender = new Rfc9972Sender(s);
      sender.send(messages());
      return sender;
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("RFC 9972 sender to " + host + ":" + port, e);
    }
  }

  static byte[] messages() {
    Bmp.Peer peer = Bmp.peer().address(PEER).as(PEER_AS).bgpId(PEER);
    return concat(
        // Initiation: sysDescr (1), sysName (2)
        initiation(tlv(1, "bmp-exporter interop RFC 9972 sender"), tlv(2, SYS_NAME)),
        peerUp(
            peer,
            "192.0.2.9",
            179,
            40000,
            open(65009, 90, "192.0.2.9"),
            open((int) PEER_AS, 90, PEER)),
        statistics(
            peer,
            stat64(27, 12), // gr_stale_routes, all families
            stat64(28, 0), // llgr_stale_routes
            stat64(29, 5000), // routes_before_max_prefix_threshold, all families: no alert
            statAfi(30, 1, 1, HEADROOM_IPV4), // the same for IPv4 unicast: alert
            stat64(35, 7), // rov_invalid_routes
            stat64(36, 900), // rov_valid_routes
            stat64(37, 93), // rov_not_found_routes
            statAfi(41, 1, 1, 0), // adj_rib_out_rov_invalid_routes, IPv4 unicast
            statAfi(42, 1, 1, 500), // adj_rib_out_rov_valid_routes
            statAfi(43, 1, 1, 20))); // adj_rib_out_rov_not_found_routes
  }

  private void send(byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      InteropLab.log("closing the RFC 9972 sender: " + e);
    }
  }
}
