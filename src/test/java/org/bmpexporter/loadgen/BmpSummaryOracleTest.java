package org.bmpexporter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.RequiresTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's stdlib BMP oracle ({@code ../shared/lab/bmp_summary.py}, written against real FRR and
 * GoBGP streams) decodes what the generator wrote with --output; its counts must equal the
 * report's. Skipped when the lab directory or python3 is absent.
 */
@ComponentTest
@RequiresTool(value = "python3", debianPackage = "python3")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BmpSummaryOracleTest {
  static final Path LAB = Path.of("").toAbsolutePath().resolve("../shared/lab").normalize();
  @TempDir Path dir;

  @BeforeAll
  static void labPresent() throws Exception {
    assumeTrue(
        Files.isRegularFile(LAB.resolve("bmp_summary.py")),
        "lab oracle absent: " + LAB.resolve("bmp_summary.py"));
  }

  static JsonNode summary(Path bin) throws Exception {
    Process p =
        new ProcessBuilder(
                "python3", LAB.resolve("bmp_summary.py").toString(), bin.toString(), "--json")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readTree(out);
  }

  private static String view(String rib) {
    return switch (rib) {
      case "adj_rib_in_pre" -> "pre-policy adj-rib-in";
      case "adj_rib_in_post" -> "post-policy adj-rib-in";
      default -> "loc-rib";
    };
  }

  /** Report totals per "view afi" in the oracle's naming. */
  private static Map<String, Long> perView(JsonNode report, String field) {
    Map<String, Long> m = new TreeMap<>();
    for (JsonNode row : report.get("routes")) {
      long v = row.get(field).asLong();
      if (v > 0) {
        m.merge(
            view(row.get("rib").asText()) + " " + row.get("afi_safi").asText().replace('_', '-'),
            v,
            Long::sum);
      }
    }
    return m;
  }

  private static Map<String, Long> map(JsonNode n) {
    Map<String, Long> m = new TreeMap<>();
    n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
    return m;
  }

  @Test
  void oracleCountsEqualTheReport() throws Exception {
    Path bin = dir.resolve("o.bin");
    Path rep = dir.resolve("o.json");
    LoadgenRun r =
        LoadgenRun.run(
            "--output",
            bin.toString(),
            "--report",
            rep.toString(),
            "--peers",
            "3",
            "--ipv4",
            "4000",
            "--ipv6",
            "800",
            "--churn-rate",
            "500",
            "--churn-seconds",
            "2",
            "--flaps",
            "2",
            "--stats-interval",
            "1",
            "-q");
    assertThat(r.exitCode).as(r.toString()).isZero();
    JsonNode report = LoadgenRun.report(rep);
    JsonNode s = summary(bin);
    JsonNode sess = report.get("sessions").get(0);
    assertThat(s.get("bytes").asLong()).isEqualTo(sess.get("bytes").asLong());
    assertThat(s.get("errors")).isEmpty();
    assertThat(s.get("trailing_partial_bytes").asLong()).isZero();
    Map<String, Long> msgs = new TreeMap<>(map(sess.get("messages")));
    msgs.values().removeIf(v -> v == 0);
    assertThat(map(s.get("messages"))).isEqualTo(msgs);
    assertThat(map(s.get("prefixes_announced"))).isEqualTo(perView(report, "announced"));
    assertThat(map(s.get("prefixes_withdrawn"))).isEqualTo(perView(report, "withdrawn"));
    // End-of-RIB: per peer and family at every (re-)dump; the Loc-RIB once per family
    long ups = 0;
    for (JsonNode peer : sess.get("peers")) {
      if (!"loc_rib".equals(peer.get("peer_type").asText())) {
        ups += peer.get("ups").asLong();
      }
    }
    assertThat(map(s.get("end_of_rib")))
        .isEqualTo(
            Map.of(
                "pre-policy adj-rib-in",
                2 * ups,
                "post-policy adj-rib-in",
                2 * ups,
                "loc-rib",
                2L));
    assertThat(map(s.get("peer_down_by_reason"))).isEqualTo(Map.of("remote-notification", 2L));
    assertThat(s.get("peer_down_detail").toString())
        .contains("NOTIFICATION 6/2 (Cease / Administrative Shutdown)");
    assertThat(s.get("initiation_tlvs").toString()).contains("sysName=loadgen-r1");
    assertThat(s.get("termination_tlvs").toString()).contains("reason=0(admin-close)");
    long reports = sess.get("statistics_reports").asLong();
    assertThat(s.get("stats_tlv_counts").get("adj-rib-in-routes").asLong())
        .isEqualTo(reports / 4 * 3); // 3 peers + the Loc-RIB instance per round
    // the last type 7 gauge of each peer is its pre-policy table at the end
    for (JsonNode peer : sess.get("peers")) {
      if ("global".equals(peer.get("peer_type").asText())) {
        String key =
            "global:"
                + peer.get("peer").asText()
                + ":AS"
                + peer.get("peer_as").asText()
                + " adj-rib-in-routes";
        long pre =
            peer.get("ribs").get("adj_rib_in_pre").get("ipv4_unicast").get("present").asLong()
                + peer.get("ribs")
                    .get("adj_rib_in_pre")
                    .get("ipv6_unicast")
                    .get("present")
                    .asLong();
        assertThat(s.get("stats_last_values").get(key).asLong()).isEqualTo(pre);
      }
    }
  }

  @Test
  void oracleAgreesOnAnMrtConversion() throws Exception {
    Path mrt = MrtTest.CORPUS.resolve("bgpdump/test_data/updates.20100722.2015.gz");
    assumeTrue(Files.isRegularFile(mrt), "corpus file absent: " + mrt);
    Path bin = dir.resolve("m.bin");
    Path rep = dir.resolve("m.json");
    LoadgenRun r =
        LoadgenRun.run(
            "--mrt", mrt.toString(), "--output", bin.toString(), "--report", rep.toString(), "-q");
    assertThat(r.exitCode).as(r.toString()).isZero();
    JsonNode report = LoadgenRun.report(rep);
    JsonNode s = summary(bin);
    assertThat(s.get("errors")).isEmpty();
    assertThat(map(s.get("prefixes_announced"))).isEqualTo(perView(report, "announced"));
    assertThat(map(s.get("prefixes_withdrawn"))).isEqualTo(perView(report, "withdrawn"));
    assertThat(s.get("total_messages").asLong())
        .isEqualTo(report.get("totals").get("messages_total").asLong());
  }
}
