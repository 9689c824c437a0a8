package org.bmpexporter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.testing.BmpTestParser;
import org.bmpexporter.testing.ComponentTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator against a plain Java collector on 127.0.0.1:0 that records every connection's
 * bytes: what arrived (per connection, from which source) must be what the report says was sent.
 */
@ComponentTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopbackTest {
  @TempDir Path dir;

  /** Accepts connections and reads each to EOF (or only accepts, without reading). */
  static final class Collector implements AutoCloseable {
    final ServerSocket server;
    final Map<String, byte[]> received = new ConcurrentHashMap<>();
    final Map<String, Long> openMillis = new ConcurrentHashMap<>();
    final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Collector(boolean read) throws IOException {
      this(read, InetAddress.getLoopbackAddress());
    }

    Collector(boolean read, InetAddress address) throws IOException {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(address, 0), 50);
      Thread t =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = server.accept();
                    sockets.add(s);
                    if (read) {
                      Thread r = new Thread(() -> drain(s));
                      r.setDaemon(true);
                      r.start();
                    }
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      t.setDaemon(true);
      t.start();
    }

    private void drain(Socket s) {
      long t0 = System.nanoTime();
      ByteArrayOutputStream bo = new ByteArrayOutputStream();
      try (s;
          InputStream in = s.getInputStream()) {
        s.setSoTimeout(30_000);
        in.transferTo(bo);
      } catch (IOException e) {
        // keep what arrived
      }
      String from = s.getInetAddress().getHostAddress();
      received.put(from, bo.toByteArray());
      openMillis.put(from, (System.nanoTime() - t0) / 1_000_000);
    }

    int port() {
      return server.getLocalPort();
    }

    void awaitConnections(int n) throws InterruptedException {
      long end = System.nanoTime() + 10_000_000_000L;
      while (received.size() < n && System.nanoTime() < end) {
        Thread.sleep(20);
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private Collector collector;

  @BeforeEach
  void start() {
    collector = null;
  }

  @AfterEach
  void stop() throws IOException {
    if (collector != null) {
      collector.close();
    }
  }

  @Test
  void threeRoutersFromDistinctSourcesSendExactlyWhatTheReportSays() throws Exception {
    collector = new Collector(true);
    Path report = dir.resolve("r.json");
    LoadgenRun run =
        LoadgenRun.run(
            "--target",
            "127.0.0.1:" + collector.port(),
            "--routers",
            "3",
            "--peers",
            "4",
            "--ipv4",
            "3000",
            "--ipv6",
            "500",
            "--churn-rate",
            "1000",
            "--churn-seconds",
            "0.5",
            "--flaps",
            "1",
            "--report",
            report.toString(),
            "-q",
            "--max-seconds",
            "30");
    assertThat(run.exitCode).as(run.toString()).isZero();
    collector.awaitConnections(3);
    JsonNode r = LoadgenRun.report(report);
    assertThat(collector.received.keySet())
        .containsExactlyInAnyOrder("127.0.1.1", "127.0.1.2", "127.0.1.3");
    long total = 0;
    for (JsonNode s : r.get("sessions")) {
      String router = s.get("router").asText();
      assertThat(s.get("source_address").asText()).isEqualTo(router);
      byte[] got = collector.received.get(router);
      assertThat((long) got.length).as(router).isEqualTo(s.get("bytes").asLong());
      BmpTestParser p = BmpTestParser.parse(got);
      assertThat((long) p.count("route_monitoring"))
          .isEqualTo(s.get("messages").get("route_monitoring").asLong());
      assertThat(p.count("termination")).isEqualTo(1);
      assertThat(s.get("churn_events").asLong()).isEqualTo(500);
      long present = 0;
      for (BmpTestParser.Peer peer : p.peers.values()) {
        for (BmpTestParser.Table t : peer.tables.values()) {
          present += t.routes.size();
        }
      }
      assertThat(present).isEqualTo(s.get("routes_present").asLong());
      total += got.length;
    }
    assertThat(total).isEqualTo(r.get("totals").get("bytes").asLong());
    assertThat(r.get("timing").get("dump_prefixes_per_second").asDouble()).isPositive();
    assertThat(r.get("phase").asText()).isEqualTo("done");
  }

  @Test
  void replayedFileArrivesByteForByteFromParallelSources() throws Exception {
    LoadgenRun gen =
        LoadgenRun.run(
            "--output",
            dir.resolve("s.bin").toString(),
            "--peers",
            "2",
            "--ipv4",
            "2000",
            "--ipv6",
            "200",
            "-q");
    assertThat(gen.exitCode).as(gen.toString()).isZero();
    byte[] file = Files.readAllBytes(dir.resolve("s.bin"));
    collector = new Collector(true);
    LoadgenRun run =
        LoadgenRun.run(
            "--target",
            "127.0.0.1:" + collector.port(),
            "--replay",
            dir.resolve("s.bin").toString(),
            "--replay-parallel",
            "2",
            "--source-base",
            "127.0.2.10",
            "-q",
            "--max-seconds",
            "30");
    assertThat(run.exitCode).as(run.toString()).isZero();
    collector.awaitConnections(2);
    assertThat(collector.received.keySet()).containsExactlyInAnyOrder("127.0.2.10", "127.0.2.11");
    assertThat(collector.received.get("127.0.2.10")).isEqualTo(file);
    assertThat(collector.received.get("127.0.2.11")).isEqualTo(file);
  }

  @Test
  void holdKeepsTheSessionOpenAndReportsPhaseHolding() throws Exception {
    collector = new Collector(true);
    Path report = dir.resolve("h.json");
    long t0 = System.nanoTime();
    LoadgenRun[] run = new LoadgenRun[1];
    Thread th =
        new Thread(
            () ->
                run[0] =
                    LoadgenRun.run(
                        "--target",
                        "127.0.0.1:" + collector.port(),
                        "--ipv4",
                        "1000",
                        "--ipv6",
                        "0",
                        "--hold",
                        "1.2",
                        "--report",
                        report.toString(),
                        "-q"));
    th.start();
    // while holding: the report is there with the final counts, the session still open
    long end = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(report) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    JsonNode holding = LoadgenRun.report(report);
    assertThat(holding.get("phase").asText()).isEqualTo("holding");
    assertThat(holding.get("totals").get("routes_present").asLong())
        .isCloseTo(1000 + 900 + 900, withinPercentage(3));
    assertThat(holding.get("timing").get("first_byte_epoch_ms").asLong()).isPositive();
    assertThat(collector.received).isEmpty();
    th.join(15_000);
    assertThat(run[0].exitCode).as(run[0].toString()).isZero();
    collector.awaitConnections(1);
    assertThat(collector.openMillis.get("127.0.1.1")).isGreaterThanOrEqualTo(1100);
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
    assertThat(LoadgenRun.report(report).get("phase").asText()).isEqualTo("done");
    // the Termination came after the hold, so it is the last message
    BmpTestParser p = BmpTestParser.parse(collector.received.get("127.0.1.1"));
    assertThat(p.terminationReasons).containsExactly(0);
  }

  @Test
  void aCollectorThatStopsReadingIsCutOffAtMaxSeconds() throws Exception {
    collector = new Collector(false); // accepts, never reads: TCP backpressure blocks writes
    long t0 = System.nanoTime();
    Path report = dir.resolve("stuck.json");
    LoadgenRun run =
        LoadgenRun.run(
            "--target",
            "127.0.0.1:" + collector.port(),
            "--ipv4",
            "300000",
            "--ipv6",
            "0",
            "--ribs",
            "pre",
            "--packing",
            "single",
            "--max-seconds",
            "1.5",
            "--report",
            report.toString(),
            "-q");
    double secs = (System.nanoTime() - t0) / 1e9;
    assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
    assertThat(run.err).contains("stopped at --max-seconds");
    assertThat(secs).isLessThan(15);
    JsonNode r = LoadgenRun.report(report);
    assertThat(r.get("totals").get("sessions_with_errors").asInt()).isEqualTo(1);
    assertThat(r.get("sessions").get(0).get("bytes").asLong()).isLessThan(30_000_000L);
  }

  @Test
  void anIpv6LoopbackTargetGetsSessionsFromColonColon1() throws Exception {
    InetAddress v6;
    try {
      v6 = InetAddress.getByName("::1");
      collector = new Collector(true, v6);
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback: " + e);
      return;
    }
    Path report = dir.resolve("v6.json");
    LoadgenRun run =
        LoadgenRun.run(
            "--target",
            "[::1]:" + collector.port(),
            "--routers",
            "2",
            "--ipv4",
            "500",
            "--ipv6",
            "500",
            "--report",
            report.toString(),
            "-q");
    assertThat(run.exitCode).as(run.toString()).isZero();
    long end = System.nanoTime() + 10_000_000_000L;
    while (collector.sockets.size() < 2 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    JsonNode r = LoadgenRun.report(report);
    assertThat(r.get("routes").findValuesAsText("router")).containsOnly("::1");
    assertThat(r.get("totals").get("sessions").asInt()).isEqualTo(2);
    assertThat(r.get("totals").get("sessions_with_errors").asInt()).isZero();
  }

  @Test
  void discardServerCountsWhatArrives() throws Exception {
    try (DiscardServer d = new DiscardServer(0, null)) {
      d.start();
      Path report = dir.resolve("d.json");
      LoadgenRun run =
          LoadgenRun.run(
              "--target",
              "127.0.0.1:" + d.port(),
              "--routers",
              "2",
              "--ipv4",
              "5000",
              "--ipv6",
              "1000",
              "--report",
              report.toString(),
              "-q");
      assertThat(run.exitCode).as(run.toString()).isZero();
      long end = System.nanoTime() + 10_000_000_000L;
      while (d.closedConnections.get() < 2 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertThat(d.totalBytes.get())
          .isEqualTo(LoadgenRun.report(report).get("totals").get("bytes").asLong());
    }
  }
}
