package org.bmpexporter.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalTools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every lab capture (FRR 8.4 and GoBGP 3.10 on loopback, copied into {@code
 * src/test/resources/lab}, provenance in its README) through {@link BmpSession}: message counts per
 * type must equal the lab README's table, there must be no decode error, and the route tables
 * (snapshot before close) must equal an independent count: {@code src/test/python/route_oracle.py},
 * a stdlib BMP/UPDATE walker that shares no code with ours, replays every prefix into exact sets
 * per peer, RIB and family. Announcement and withdrawal totals per RIB and family, and End-of-RIB
 * markers, must equal its counts too.
 */
@ComponentTest
class RealCaptureRegressionTest {

  static final Path LAB = Path.of("src", "test", "resources", "lab");

  /**
   * Columns of the lab README's "Message counts" table: initiation, peer up, peer down, route
   * monitoring, statistics, route mirroring, termination.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "frr-demo.bin,     1, 8, 24, 26062, 51, 8027, 0",
    "frr-demo.2.bin,   1, 2,  0,  2486, 10,    4, 0",
    "frr-startup.bin,  1, 4, 12,  3852, 14, 1410, 0",
    "gobgp-demo.bin,   1, 6,  4, 12880,  6,    0, 1",
    "gobgp-demo.2.bin, 1, 2,  0,  1994,  0,    0, 0"
  })
  void captureDecodesLikeTheIndependentDecoder(
      String file, long init, long up, long down, long rm, long stats, long mirror, long term)
      throws Exception {
    Path capture = LAB.resolve(file);
    byte[] bytes = Files.readAllBytes(capture);

    RouterState router = new RouterState("r", "r", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    session.open();
    // TCP-like reads of mixed sizes, so messages straddle reads
    int[] sizes = {1460, 65536, 7, 1, 32768, 333};
    for (int off = 0, i = 0; off < bytes.length; i++) {
      int len = Math.min(sizes[i % sizes.length], bytes.length - off);
      session.feed(bytes, off, len);
      off += len;
    }
    Snapshots.Router snap = router.snapshot();

    assertThat(snap.messages())
        .containsEntry("initiation", init)
        .containsEntry("peer_up", up)
        .containsEntry("peer_down", down)
        .containsEntry("route_monitoring", rm)
        .containsEntry("statistics_report", stats)
        .containsEntry("route_mirroring", mirror)
        .containsEntry("termination", term)
        .containsEntry("unknown", 0L);
    assertThat(snap.decodeErrors()).as("decode errors").isEmpty();
    assertThat(snap.receivedBytes()).isEqualTo(bytes.length);

    JsonNode oracle = runOracle(capture);
    if (oracle != null) {
      assertThat(oracle.get("errors")).isEmpty();
      assertThat(oracle.get("trailing_partial_bytes").asLong()).isZero();
      // message counts: the oracle agrees with the README (and so with us)
      Map<String, Long> theirs = longs(oracle.get("messages"));
      snap.messages()
          .forEach(
              (type, n) ->
                  assertThat(theirs.getOrDefault(type, 0L)).as("oracle %s", type).isEqualTo(n));

      // routes left per peer, RIB and family
      Map<String, Long> ours = new TreeMap<>();
      Map<String, Long> announced = new TreeMap<>();
      Map<String, Long> withdrawn = new TreeMap<>();
      for (Snapshots.Peer p : snap.peers()) {
        for (Snapshots.Table t : p.tables()) {
          String key =
              p.peer() + "|" + p.rd() + "|" + p.peerType() + "|" + t.rib() + "|" + t.afiSafi();
          if (t.routes() != 0) {
            ours.put(key, t.routes());
          }
          String view = t.rib() + " " + t.afiSafi();
          announced.merge(view, t.announcements(), Long::sum);
          withdrawn.merge(view, t.withdrawals(), Long::sum);
        }
      }
      Map<String, Long> expectedRoutes = new TreeMap<>(longs(oracle.get("routes")));
      expectedRoutes.values().removeIf(n -> n == 0);
      assertThat(ours).as("routes per peer|rd|type|rib|afi_safi").isEqualTo(expectedRoutes);
      assertThat(ours).isNotEmpty();

      announced.values().removeIf(n -> n == 0);
      withdrawn.values().removeIf(n -> n == 0);
      assertThat(announced)
          .as("prefixes announced per rib and family")
          .isEqualTo(longs(oracle.get("announced")));
      assertThat(withdrawn)
          .as("prefixes withdrawn per rib and family")
          .isEqualTo(longs(oracle.get("withdrawn")));

      if (down == 0) {
        // no Peer Down clears an End-of-RIB flag: one flagged table per marker seen
        Map<String, Long> eor = new TreeMap<>();
        for (Snapshots.Peer p : snap.peers()) {
          for (Snapshots.Table t : p.tables()) {
            if (t.endOfRib()) {
              eor.merge(t.rib(), 1L, Long::sum);
            }
          }
        }
        assertThat(eor).as("End-of-RIB").isEqualTo(longs(oracle.get("end_of_rib")));
      }
    }

    session.close("end of capture");
    assertThat(router.routes()).isZero();
    assertThat(router.snapshot().up()).isFalse();
    assertThat(router.snapshot().decodeErrors()).as("no partial message at the end").isEmpty();
  }

  static Map<String, Long> longs(JsonNode node) {
    Map<String, Long> m = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asLong());
    }
    return m;
  }

  /**
   * Runs the oracle; null (the comparison is skipped, with a message) without python3, which {@code
   * .ci/run} installs (so CI always compares; with CI=true a missing python3 fails).
   */
  static JsonNode runOracle(Path capture) throws IOException, InterruptedException {
    Path script = Path.of("src", "test", "python", "route_oracle.py");
    Process p;
    try {
      p =
          new ProcessBuilder("python3", script.toString(), capture.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      ExternalTools.skipPart("independent route count: python3 not runnable: " + e.getMessage());
      return null;
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("route_oracle.py did not finish in 120 s");
    }
    assertThat(p.exitValue()).as("route_oracle.py exit status").isZero();
    return new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
  }
}
