package org.bmpexporter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.testing.BmpTestParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated streams written with --output, decoded by the independent {@link BmpTestParser}: what
 * the report claims (messages, bytes, per-table announced / withdrawn / present, End-of-RIB, peer
 * ups and downs, statistics) must be exactly what the bytes carry, and the routing invariants must
 * hold (post-policy within pre-policy, Loc-RIB = union of post-policy).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GeneratedStreamTest {
  @TempDir Path dir;

  private static final String TS = "1700000000";

  private JsonNode generate(String name, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--output",
                dir.resolve(name + ".bin").toString(),
                "--report",
                dir.resolve(name + ".json").toString(),
                "--timestamp",
                TS,
                "-q"));
    args.addAll(List.of(extra));
    LoadgenRun r = LoadgenRun.run(args.toArray(new String[0]));
    assertThat(r.exitCode).as(r.toString()).isZero();
    return LoadgenRun.report(dir.resolve(name + ".json"));
  }

  private static Set<String> routes(BmpTestParser p, String peer, String rib) {
    Set<String> s = new HashSet<>();
    for (String afi : List.of("ipv4_unicast", "ipv6_unicast")) {
      BmpTestParser.Table t = p.peers.get(peer).tables.get(rib + "/" + afi);
      if (t != null) {
        for (String r : t.routes) {
          s.add(r.replaceAll("#\\d+ ", "")); // ignore path ids
        }
      }
    }
    return s;
  }

  @Test
  void reportMatchesTheBytesWithChurnFlapsAndStatistics() throws Exception {
    JsonNode r =
        generate(
            "churn",
            "--routers",
            "2",
            "--peers",
            "3",
            "--ipv4",
            "3000",
            "--ipv6",
            "600",
            "--churn-rate",
            "400",
            "--churn-seconds",
            "3",
            "--flaps",
            "2",
            "--stats-interval",
            "1",
            "--seed",
            "7");
    List<BmpTestParser> parsed = ReportCheck.verify(r);
    assertThat(parsed).hasSize(2);
    assertThat(r.get("totals").get("sessions_with_errors").asInt()).isZero();
    // the bmp_routes label set: router = source address; rd empty for global peers, "0:0" for
    // the Loc-RIB instance (zero distinguisher, kept as the contract writes it)
    assertThat(r.get("routes")).hasSize(2 * (3 * 2 * 2 + 2));
    for (JsonNode row : r.get("routes")) {
      assertThat(row.get("router").asText()).isIn("127.0.1.1", "127.0.1.2");
      assertThat(row.get("rd").asText())
          .isEqualTo("loc_rib".equals(row.get("rib").asText()) ? "0:0" : "");
      assertThat(row.get("afi_safi").asText()).isIn("ipv4_unicast", "ipv6_unicast");
    }
    for (int i = 0; i < 2; i++) {
      BmpTestParser p = parsed.get(i);
      JsonNode s = r.get("sessions").get(i);
      assertThat(s.get("churn_events").asLong()).isEqualTo(1200);
      assertThat(p.count("initiation")).isEqualTo(1);
      assertThat(p.count("termination")).isEqualTo(1);
      assertThat(p.terminationReasons).containsExactly(0);
      assertThat(p.count("peer_down")).isEqualTo(2);
      assertThat(p.initiationTlvs).contains("2=loadgen-r" + (i + 1));
      List<String> downs = new ArrayList<>();
      for (BmpTestParser.Peer pp : p.peers.values()) {
        downs.addAll(pp.downDetail);
      }
      assertThat(downs).containsOnly("reason=3 notification=6/2");
      // after churn and flaps: post-policy within pre-policy, Loc-RIB = union of post-policy
      Set<String> union = new HashSet<>();
      for (String peer : List.of("10.0.0.1", "10.0.0.2", "10.0.0.3")) {
        Set<String> pre = routes(p, peer, "adj_rib_in_pre");
        Set<String> post = routes(p, peer, "adj_rib_in_post");
        assertThat(pre).containsAll(post);
        assertThat(post.size()).isBetween((int) (pre.size() * 0.85), (int) (pre.size() * 0.95));
        union.addAll(post);
        // statistics: the last report matches what the tables hold
        BmpTestParser.Peer pp = p.peers.get(peer);
        assertThat(pp.stats.get(7)).isEqualTo(pre.size());
        assertThat(pp.stats.get(0)).isEqualTo(pre.size() - post.size());
        assertThat(pp.stats.get(9 * 1000 + 11))
            .isEqualTo((long) pp.tables.get("adj_rib_in_pre/ipv4_unicast").routes.size());
        assertThat(pp.stats.get(9 * 1000 + 21))
            .isEqualTo((long) pp.tables.get("adj_rib_in_pre/ipv6_unicast").routes.size());
        assertThat(pp.statsReports).isEqualTo(5); // after dump, at 1 s, 2 s, 3 s, at the end
      }
      assertThat(routes(p, "loc:0.0.0.0", "loc_rib")).isEqualTo(union);
      assertThat(p.peers.get("loc:0.0.0.0").stats.get(8)).isEqualTo(union.size());
      // realistic attributes
      assertThat(p.minAsPath).isGreaterThanOrEqualTo(2);
      assertThat(p.maxAsPath).isLessThanOrEqualTo(8);
      assertThat(p.updatesWithCommunities).isPositive();
      assertThat(p.updatesWithLargeCommunities).isPositive();
      assertThat(p.maxBgpLength).isLessThanOrEqualTo(4096);
    }
  }

  @Test
  void addPathPackedStreamsCarryPathIdsAndAreCountedExactly() throws Exception {
    JsonNode r =
        generate(
            "ap",
            "--peers",
            "2",
            "--ipv4",
            "4000",
            "--ipv6",
            "1000",
            "--add-path",
            "--packing",
            "packed",
            "--prefixes-per-update",
            "300",
            "--churn-rate",
            "500",
            "--churn-seconds",
            "1",
            "--flaps",
            "1",
            "--seed",
            "3");
    List<BmpTestParser> parsed = ReportCheck.verify(r);
    BmpTestParser p = parsed.get(0);
    assertThat(p.peers.get("10.0.0.1").addPath).containsEntry(1, true).containsEntry(2, true);
    assertThat(p.peers.get("10.0.0.1").tables.get("adj_rib_in_pre/ipv4_unicast").routes)
        .allMatch(x -> x.matches("4 #[1-8] .*"));
    assertThat(p.peers.get("loc:0.0.0.0").tables.get("loc_rib/ipv6_unicast").routes)
        .allMatch(x -> x.startsWith("6 #1 "));
  }

  @Test
  void packedPackingFillsUpdatesToK() throws Exception {
    JsonNode r =
        generate(
            "packed",
            "--peers",
            "1",
            "--ipv4",
            "4000",
            "--ipv6",
            "1000",
            "--add-path",
            "--packing",
            "packed",
            "--prefixes-per-update",
            "300",
            "--ribs",
            "pre");
    BmpTestParser p = ReportCheck.verify(r).get(0);
    // 4000 = 13 x 300 + 100; 1000 = 3 x 300 + 100 (a /48 with path id: 11 octets, fits)
    assertThat(p.prefixesPerAnnounceUpdate)
        .containsExactlyInAnyOrder(
            300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 100, 300, 300, 300,
            100);
  }

  @Test
  void singlePackingSendsOnePrefixPerUpdate() throws Exception {
    JsonNode r =
        generate(
            "single",
            "--peers",
            "1",
            "--ipv4",
            "2000",
            "--ipv6",
            "500",
            "--packing",
            "single",
            "--ribs",
            "pre,loc",
            "--stats-interval",
            "0");
    BmpTestParser p = ReportCheck.verify(r).get(0);
    assertThat(p.prefixesPerAnnounceUpdate).containsOnly(1);
    long loc =
        r.get("totals").get("routes_present_by_rib").get("loc_rib").get("ipv4_unicast").asLong()
            + r.get("totals")
                .get("routes_present_by_rib")
                .get("loc_rib")
                .get("ipv6_unicast")
                .asLong();
    assertThat(loc).isBetween(2200L, 2300L); // 90% accepted by the only peer
    assertThat(p.count("route_monitoring")).isEqualTo(2500 + loc + 4); // + End-of-RIB x4
    assertThat(p.count("statistics_report")).isZero();
    assertThat(r.get("routes").size()).isEqualTo(4);
    assertThat(r.get("totals").get("routes_present_by_rib").has("adj_rib_in_post")).isFalse();
  }

  @Test
  void mixedPackingPacksMostPrefixesAndSendsSomeAlone() throws Exception {
    JsonNode r =
        generate(
            "mixed",
            "--peers",
            "1",
            "--ipv4",
            "20000",
            "--ipv6",
            "0",
            "--ribs",
            "pre",
            "--packed-percent",
            "80",
            "--prefixes-per-update",
            "200");
    BmpTestParser p = ReportCheck.verify(r).get(0);
    long single = p.prefixesPerAnnounceUpdate.stream().filter(n -> n == 1).count();
    assertThat((double) single / 20000).isBetween(0.15, 0.25);
    assertThat(p.prefixesPerAnnounceUpdate.stream().mapToInt(Integer::intValue).max().orElse(0))
        .isBetween(150, 200);
    assertThat(r.get("totals").get("routes_present").asLong()).isEqualTo(20000);
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherTable() throws Exception {
    String[] args = {
      "--peers",
      "2",
      "--ipv4",
      "3000",
      "--ipv6",
      "300",
      "--churn-rate",
      "300",
      "--churn-seconds",
      "1",
      "--flaps",
      "1",
      "--stats-interval",
      "0.5"
    };
    generate("d1", concat(args, "--seed", "11"));
    generate("d2", concat(args, "--seed", "11"));
    generate("d3", concat(args, "--seed", "12"));
    byte[] a = Files.readAllBytes(dir.resolve("d1.bin"));
    assertThat(a).isEqualTo(Files.readAllBytes(dir.resolve("d2.bin")));
    assertThat(a).isNotEqualTo(Files.readAllBytes(dir.resolve("d3.bin")));
  }

  @Test
  void replayOfAGeneratedStreamReportsTheSameCounts() throws Exception {
    JsonNode g =
        generate(
            "g",
            "--peers",
            "2",
            "--ipv4",
            "2000",
            "--ipv6",
            "400",
            "--churn-rate",
            "300",
            "--churn-seconds",
            "1",
            "--flaps",
            "1",
            "--add-path");
    LoadgenRun run =
        LoadgenRun.run(
            "--replay",
            dir.resolve("g.bin").toString(),
            "--replay-parallel",
            "2",
            "--output",
            dir.resolve("rp.bin").toString(),
            "--report",
            dir.resolve("rp.json").toString(),
            "-q");
    assertThat(run.exitCode).as(run.toString()).isZero();
    JsonNode rp = LoadgenRun.report(dir.resolve("rp.json"));
    assertThat(Files.readAllBytes(dir.resolve("rp.1.bin")))
        .isEqualTo(Files.readAllBytes(dir.resolve("g.bin")));
    assertThat(rp.get("totals").get("routes_present").asLong())
        .isEqualTo(2 * g.get("totals").get("routes_present").asLong());
    for (int i = 0; i < g.get("routes").size(); i++) {
      JsonNode a = g.get("routes").get(i);
      JsonNode b = rp.get("routes").get(i);
      for (String f :
          List.of("peer", "rib", "afi_safi", "announced", "withdrawn", "present", "end_of_rib")) {
        assertThat(b.get(f)).as(f).isEqualTo(a.get(f));
      }
    }
    assertThat(rp.get("totals").get("messages").toString())
        .isEqualTo(doubled(g.get("totals").get("messages")).toString());
  }

  private static JsonNode doubled(JsonNode m) {
    var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    m.properties().forEach(e -> o.put(e.getKey(), 2 * e.getValue().asLong()));
    return o;
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
