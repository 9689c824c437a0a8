package org.bmpexporter.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bmpexporter.capture.CaptureReader;
import org.bmpexporter.capture.TcpFlow;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.testing.ComponentTest;
import org.junit.jupiter.api.Test;

/**
 * A session decodes Route Monitoring in place, with or without a message listener; with one, the
 * routes are also handed to the listener as they are applied. A listener must not change what is
 * applied: same routes, counters, errors. Checked on every stream the project carries, then on
 * damaged copies of them.
 */
@ComponentTest
class InPlaceRouteMonitoringTest {
  private static final Path LAB = Path.of("src/test/resources/lab");
  private static final Path CORPUS = Path.of("src/test/resources/corpus");

  private static Snapshots.Router run(byte[] stream, boolean listened) {
    RouterState router = new RouterState("r", "r", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 1000.0);
    session.quiet();
    if (listened) {
      session.listener(new BmpSession.MessageListener() {});
    }
    session.open();
    int[] sizes = {1460, 65536, 7, 1, 333};
    try {
      for (int off = 0, i = 0; off < stream.length; i++) {
        int len = Math.min(sizes[i % sizes.length], stream.length - off);
        session.feed(stream, off, len);
        off += len;
      }
    } catch (BmpProtocolException e) {
      // a framing error ends the stream alike, listened to or not
    }
    return router.snapshot();
  }

  private static List<byte[]> streams() throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(LAB)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".bin")).sorted().toList()) {
        out.add(Files.readAllBytes(f));
      }
    }
    try (Stream<Path> files = Files.walk(CORPUS)) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList()) {
        for (TcpFlow flow : CaptureReader.readFlows(f)) {
          if (flow.payload().length > 0 && flow.payload()[0] == 3) {
            out.add(flow.payload());
          }
        }
      }
    }
    return out;
  }

  @Test
  void inPlaceAndObjectPathsAgreeOnEveryCarriedStream() throws IOException {
    List<byte[]> streams = streams();
    assertThat(streams).hasSizeGreaterThan(10);
    long routeMonitoring = 0;
    for (byte[] s : streams) {
      Snapshots.Router inPlace = run(s, false);
      assertThat(inPlace).isEqualTo(run(s, true));
      routeMonitoring += inPlace.messages().get("route_monitoring");
    }
    assertThat(routeMonitoring).as("Route Monitoring messages compared").isGreaterThan(40_000);
  }

  @Test
  void inPlaceAndObjectPathsAgreeOnDamagedStreams() throws IOException {
    SplittableRandom random = new SplittableRandom(7906);
    long errors = 0;
    for (byte[] s : streams()) {
      for (int copy = 0; copy < 8; copy++) {
        byte[] d = s.clone();
        // damage a few bytes after the first message (so most copies keep their framing)
        for (int k = 0; k < 1 + random.nextInt(6); k++) {
          int at =
              Math.min(d.length - 1, 6 + random.nextInt(Math.max(1, Math.min(d.length, 20_000))));
          d[at] = (byte) random.nextInt(256);
        }
        Snapshots.Router inPlace = run(d, false);
        assertThat(inPlace).isEqualTo(run(d, true));
        errors += inPlace.decodeErrors().values().stream().mapToLong(Long::longValue).sum();
      }
    }
    assertThat(errors).as("decode errors met on the damaged copies").isGreaterThan(50);
  }
}
