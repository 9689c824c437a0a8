package org.bmpexporter.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.server.BmpExporter;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TCP relay ({@code bmp.forward}) end to end on the loopback: routers connect to a real
 * exporter, which forwards to real TCP destinations that come up late, stall or drop the
 * connection.
 */
@ComponentTest
@Timeout(120)
class ForwardRelayTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A router's BMP connection to the exporter, from its own loopback address. */
  private static final class Router implements AutoCloseable {
    final Socket socket = new Socket();
    final OutputStream out;
    final List<byte[]> sent = new ArrayList<>();
    final ByteArrayOutputStream all = new ByteArrayOutputStream();

    Router(String address, int port) throws IOException {
      socket.bind(new InetSocketAddress(address, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      out = socket.getOutputStream();
    }

    void send(byte[]... messages) throws IOException {
      for (byte[] m : messages) {
        sent.add(m);
        all.write(m);
        out.write(m);
      }
      out.flush();
    }

    byte[] bytes() {
      return all.toByteArray();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static BmpExporter start(List<String> destinations, long bufferBytes) throws Exception {
    return BmpExporter.start(
        ExporterConfig.defaults()
            .withWarmup(false)
            .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
            .withWebListen(new HostPort("127.0.0.1", 0))
            .withReconnect(Duration.ofMillis(100), Duration.ofMillis(400))
            .with("bmp.forward", destinations)
            .with("bmp.forward_buffer_bytes", bufferBytes));
  }

  private static double metric(BmpExporter e, String name, String destination) {
    return Scrape.http(e.webPort()).value(name, "destination", destination);
  }

  private static byte[] peer(String address) {
    return Bmp.globalPeer(address, 65010);
  }

  private static byte[] routes(String peer, String... prefixes) {
    return Bmp.routeMonitoring(peer(peer), Bmp.updateV4(new byte[0], Bmp.nlri(prefixes)));
  }

  /** The connection of {@code sink} whose first message is the Initiation {@code initiation}. */
  private static List<BmpSink.Connection> connectionsOf(BmpSink sink, byte[] initiation) {
    List<BmpSink.Connection> out = new ArrayList<>();
    for (BmpSink.Connection c : sink.connections()) {
      byte[] b = c.bytes();
      if (b.length >= initiation.length
          && Arrays.equals(Arrays.copyOf(b, initiation.length), initiation)) {
        out.add(c);
      }
    }
    return out;
  }

  @Test
  void aDestinationThatComesUpLateGetsTheStreamFromTheInitiationAndAFreshStartAfterItsRestart()
      throws Exception {
    int port = BmpSink.freePort();
    String dest = "127.0.0.1:" + port;
    try (BmpExporter exporter = start(List.of(dest), 4 << 20);
        Router r = new Router("127.0.6.1", exporter.bmpPorts().get(0))) {
      byte[] init = Bmp.initiation("r-late", "late destination");
      byte[] up1 = Bmp.peerUp(peer("192.0.2.11"));
      byte[] up2 = Bmp.peerUp(peer("192.0.2.12"));
      byte[] down2 = Bmp.peerDown(peer("192.0.2.12"), 2, new byte[] {0, 0});
      r.send(init, up1, up2, routes("192.0.2.11", "10.1.0.0/16", "10.2.0.0/16"), down2);
      Scrape.await(
          WAIT,
          "routes counted and the destination tried",
          () ->
              Scrape.http(exporter.webPort()).value("bmp_routes", "router", "127.0.6.1") == 2
                  && metric(exporter, "bmp_exporter_forward_connect_failures_total", dest) >= 1);
      assertThat(metric(exporter, "bmp_exporter_forward_sessions", dest)).isZero();
      assertThat(metric(exporter, "bmp_exporter_forward_buffered_bytes", dest))
          .isEqualTo(r.bytes().length);

      try (BmpSink sink = new BmpSink(port, 0)) {
        // buffered while it was down: the whole stream, from the router's Initiation
        Scrape.await(
            WAIT,
            "the whole stream at the destination",
            () ->
                sink.connections().size() == 1
                    && sink.connections().get(0).bytes().length == r.bytes().length);
        assertThat(sink.connections().get(0).bytes()).isEqualTo(r.bytes());
        assertThat(sink.connections().get(0).messages().get(0)).isEqualTo(init);
        assertThat(metric(exporter, "bmp_exporter_forwarded_messages_total", dest)).isEqualTo(5);
        assertThat(metric(exporter, "bmp_forward_dropped_messages_total", dest)).isZero();
        assertThat(metric(exporter, "bmp_exporter_forward_replayed_starts_total", dest)).isZero();
        assertThat(metric(exporter, "bmp_exporter_forward_sessions", dest)).isEqualTo(1);
        assertThat(metric(exporter, "bmp_exporter_forward_buffered_bytes", dest)).isZero();

        // the destination restarts (drops the connection): its next session starts afresh
        sink.connections().get(0).socket.close();
        Scrape.await(
            WAIT,
            "a second connection",
            () -> metric(exporter, "bmp_exporter_forward_replayed_starts_total", dest) == 1);
        byte[] more = routes("192.0.2.11", "10.3.0.0/16");
        byte[] term = Bmp.termination(0);
        r.send(more, term);
        r.socket.close();
        Scrape.await(
            WAIT,
            "the second session ends after the Termination",
            () -> sink.connections().size() == 2 && sink.connections().get(1).ended);
        List<byte[]> second = sink.connections().get(1).messages();
        // Initiation, the Peer Up of the one peer still up, then the live messages
        assertThat(second).hasSize(4);
        assertThat(second.get(0)).isEqualTo(init);
        assertThat(second.get(1)).isEqualTo(up1);
        assertThat(second.get(2)).isEqualTo(more);
        assertThat(second.get(3)).isEqualTo(term);
        Scrape.await(
            WAIT,
            "no outbound session left",
            () -> metric(exporter, "bmp_exporter_forward_sessions", dest) == 0);
      }
    }
  }

  @Test
  void aStalledDestinationDropsAndCountsWhileCountsAndOtherDestinationsAndRoutersStayExact()
      throws Exception {
    try (BmpSink stalled = new BmpSink(0, 1);
        BmpSink healthy = new BmpSink(0, 0);
        BmpExporter exporter =
            start(List.of(stalled.destination(), healthy.destination()), 64 << 10)) {
      int bmpPort = exporter.bmpPorts().get(0);
      String s = stalled.destination();
      String h = healthy.destination();
      // 200 prefixes announced again and again: 17 MB, far beyond the stalled path's buffers
      String[] pool = new String[200];
      for (int i = 0; i < pool.length; i++) {
        pool[i] = "10." + (i / 100) + "." + (i % 100) + ".0/24";
      }
      byte[] bulk = routes("192.0.2.21", pool);
      int bulkCount = 20_000;
      try (Router a = new Router("127.0.6.2", bmpPort)) {
        byte[] initA = Bmp.initiation("r-a", "stalled");
        byte[] up1 = Bmp.peerUp(peer("192.0.2.21"));
        byte[] up2 = Bmp.peerUp(peer("192.0.2.22"));
        byte[] down2 = Bmp.peerDown(peer("192.0.2.22"), 2, new byte[] {0, 0});
        a.send(initA, up1, up2, down2);
        // both of router a's outbound sessions open before its burst (a 64 KiB buffer does not
        // cover a burst while connecting)
        Scrape.await(
            WAIT,
            "router a's outbound sessions",
            () ->
                stalled.connections().size() == 1
                    && metric(exporter, "bmp_exporter_forward_sessions", s) == 1
                    && metric(exporter, "bmp_exporter_forward_sessions", h) == 1);

        // router b connects now: its link to the stalled destination is a new, read connection
        byte[] initB = Bmp.initiation("r-b", "unaffected");
        Router b = new Router("127.0.6.3", bmpPort);
        b.send(
            initB,
            Bmp.peerUp(peer("192.0.2.31")),
            routes("192.0.2.31", "10.9.0.0/16", "10.10.0.0/16", "10.11.0.0/16"));

        for (int i = 0; i < bulkCount; i++) {
          a.out.write(bulk);
          a.all.write(bulk);
          a.sent.add(bulk);
        }
        a.out.flush();
        Scrape.await(
            WAIT,
            "the stalled destination's session restarted with a replayed start",
            () ->
                metric(exporter, "bmp_exporter_forward_replayed_starts_total", s) >= 1
                    && metric(exporter, "bmp_exporter_forward_sessions", s) == 2);
        byte[] up3 = Bmp.peerUp(peer("192.0.2.23"));
        byte[] last = routes("192.0.2.23", "10.20.0.0/16");
        byte[] termA = Bmp.termination(0);
        a.send(up3, last, termA);
        a.socket.close();
        byte[] termB = Bmp.termination(0);
        b.send(termB);
        b.close();

        // the exporter's own counts are exact
        Scrape.await(
            WAIT,
            "every message of a counted",
            () ->
                Scrape.http(exporter.webPort())
                        .value(
                            "bmp_router_messages_total",
                            "router",
                            "127.0.6.2",
                            "type",
                            "termination")
                    == 1);
        Scrape m = Scrape.http(exporter.webPort());
        assertThat(
                m.value(
                    "bmp_router_messages_total", "router", "127.0.6.2", "type", "route_monitoring"))
            .isEqualTo(bulkCount + 1);
        assertThat(m.value("bmp_router_received_bytes_total", "router", "127.0.6.2"))
            .isEqualTo(a.bytes().length);

        // the healthy destination has both routers' streams, byte for byte
        Scrape.await(
            WAIT,
            "both streams at the healthy destination",
            () ->
                connectionsOf(healthy, initA).size() == 1
                    && connectionsOf(healthy, initA).get(0).ended
                    && connectionsOf(healthy, initB).size() == 1
                    && connectionsOf(healthy, initB).get(0).ended);
        assertThat(connectionsOf(healthy, initA).get(0).bytes()).isEqualTo(a.bytes());
        assertThat(connectionsOf(healthy, initB).get(0).bytes()).isEqualTo(b.bytes());
        assertThat(metric(exporter, "bmp_forward_dropped_messages_total", h)).isZero();
        assertThat(metric(exporter, "bmp_exporter_forward_replayed_starts_total", h)).isZero();

        // the stalled destination: drops counted; router b's link to it was not affected
        assertThat(metric(exporter, "bmp_forward_dropped_messages_total", s)).isPositive();
        assertThat(metric(exporter, "bmp_exporter_forward_dropped_bytes_total", s))
            .isGreaterThanOrEqualTo(bulk.length);
        Scrape.await(
            WAIT,
            "router b's stream at the stalled destination",
            () ->
                connectionsOf(stalled, initB).size() == 1
                    && connectionsOf(stalled, initB).get(0).ended);
        assertThat(connectionsOf(stalled, initB).get(0).bytes()).isEqualTo(b.bytes());

        // router a's session there restarted: Initiation, the Peer Up of the peer up, live
        Scrape.await(
            WAIT,
            "router a's last session at the stalled destination ends",
            () -> {
              List<BmpSink.Connection> c = connectionsOf(stalled, initA);
              return !c.isEmpty() && c.get(c.size() - 1).ended;
            });
        List<BmpSink.Connection> replayed = connectionsOf(stalled, initA);
        List<byte[]> msgs = replayed.get(replayed.size() - 1).messages();
        assertThat(msgs.get(0)).isEqualTo(initA);
        assertThat(msgs.get(1)).isEqualTo(up1);
        assertThat(msgs.subList(2, msgs.size())).noneMatch(x -> Arrays.equals(x, up2));
        assertThat(msgs.subList(msgs.size() - 3, msgs.size())).containsExactly(up3, last, termA);
        assertThat(msgs.subList(2, msgs.size() - 3)).allMatch(x -> Arrays.equals(x, bulk));
        long written =
            (long) metric(exporter, "bmp_exporter_forwarded_messages_total", s)
                + (long) metric(exporter, "bmp_forward_dropped_messages_total", s);
        // every message of both routers was written or dropped, plus the replayed starts
        assertThat(written)
            .isEqualTo(
                a.sent.size()
                    + b.sent.size()
                    + 2L
                        * (long) metric(exporter, "bmp_exporter_forward_replayed_starts_total", s));
      }
    }
  }
}
