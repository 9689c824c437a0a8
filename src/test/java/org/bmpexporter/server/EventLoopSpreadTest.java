package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routers' sessions are spread over all event loops. Vert.x 5 puts every context created from a
 * thread outside Vert.x on one "sticky" loop: listeners created from the main thread, one per loop,
 * all ran there, and so did every session, on one core whatever {@code event_loops} said.
 */
@ComponentTest
class EventLoopSpreadTest {

  @Test
  @Timeout(60)
  void sessionsFromFourRoutersRunOnBothEventLoops() throws Exception {
    try (LiveExporter live = start(List.of(new HostPort("127.0.0.1", 0)), List.of())) {
      for (int i = 1; i <= 4; i++) {
        Socket unused = live.send("127.0.3." + i, Bmp.initiation("spread-" + i, "x"));
      }
      Map<String, String> loops = awaitSessions(live.exporter, 4);
      Map<String, Integer> perLoop = new HashMap<>();
      loops.values().forEach(t -> perLoop.merge(t, 1, Integer::sum));
      // accepted connections go to the listeners in turn: two sessions on each loop
      assertThat(perLoop).as("sessions per event loop thread: %s", loops).hasSize(2);
      assertThat(perLoop.values()).containsExactly(2, 2);
    }
  }

  @Test
  @Timeout(60)
  void activeModeConnectorsAreSpreadToo() throws Exception {
    // four routers listening for the exporter (BMP active mode): one connector each
    List<ServerSocket> routers = new ArrayList<>();
    try {
      List<HostPort> targets = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("127.0.4." + i, 0));
        routers.add(s);
        targets.add(new HostPort("127.0.4." + i, s.getLocalPort()));
      }
      try (LiveExporter live = start(List.of(), targets)) {
        List<Socket> accepted = new ArrayList<>();
        for (ServerSocket s : routers) {
          s.setSoTimeout(20_000);
          Socket c = s.accept();
          accepted.add(c);
          c.getOutputStream().write(Bmp.initiation("active-" + accepted.size(), "x"));
        }
        Map<String, String> loops = awaitSessions(live.exporter, 4);
        assertThat(new HashSet<>(loops.values()))
            .as("event loop threads of the active sessions: %s", loops)
            .hasSize(2);
        for (Socket c : accepted) {
          c.close();
        }
      }
    } finally {
      for (ServerSocket s : routers) {
        s.close();
      }
    }
  }

  /**
   * An exporter with two event loops, listening on {@code listen} and connecting to {@code
   * connect}.
   */
  private static LiveExporter start(List<HostPort> listen, List<HostPort> connect)
      throws Exception {
    return LiveExporter.of(
        BmpExporter.start(
            ExporterConfig.defaults()
                .withEventLoops(2)
                .withWarmup(false)
                .withBmpListen(listen)
                .withConnect(connect)
                .withWebListen(new HostPort("127.0.0.1", 0))));
  }

  /** The sessions' event loops once {@code n} are live (polled every 20 ms, at most 20 s). */
  private static Map<String, String> awaitSessions(BmpExporter exporter, int n)
      throws InterruptedException {
    Map<String, String> loops = exporter.sessionEventLoops();
    for (int i = 0; i < 1000 && loops.size() < n; i++) {
      Thread.sleep(20);
      loops = exporter.sessionEventLoops();
    }
    assertThat(loops).as("live sessions").hasSize(n);
    return loops;
  }
}
