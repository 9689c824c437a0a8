package org.bmpexporter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.bmpexporter.testing.BmpTestParser;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MRT to BMP: a hand-built MRT file with every supported record kind, and the real RIPE RIS /
 * RouteViews dumps copied into src/test/resources/corpus; every conversion is checked with the
 * independent parser against the report.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ComponentTest
class MrtTest {
  @TempDir Path dir;

  /** The MRT dumps copied from the shared corpus (provenance in its NOTICE.md). */
  static final Path CORPUS = Path.of("src", "test", "resources", "corpus");

  /** A tiny MRT writer for the test. */
  static final class Mrt {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void record(int type, int sub, byte[] body) {
      ByteBuffer h = ByteBuffer.allocate(12);
      h.putInt(1_600_000_000).putShort((short) type).putShort((short) sub).putInt(body.length);
      out.writeBytes(h.array());
      out.writeBytes(body);
    }
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  // ORIGIN IGP, AS_PATH (4-octet) [4200000001 3356], NEXT_HOP 192.0.2.1
  static final String ATTRS_A = "40010100 40020a0202fa56ea0100000d1c 400304c0000201";
  // same with AS_PATH [64500 174]
  static final String ATTRS_B = "40010100 40020a02020000fbf4000000ae 400304c0000202";
  // ORIGIN, AS_PATH [64500], abbreviated MP_REACH_NLRI: next hop length 16 + 2001:db8::2
  static final String ATTRS_V6 =
      "40010100 4002060201 0000fbf4" + " 800e11 10 20010db8000000000000000000000002";

  static byte[] syntheticMrt() {
    Mrt m = new Mrt();
    // PEER_INDEX_TABLE: collector 10.9.9.9, no view name, 2 peers
    m.record(
        13,
        1,
        hex(
            "0a090909 0000 0002"
                + " 02 01010101 c0000201 fa56ea01" // AS4, IPv4 192.0.2.1, AS 4200000001
                + " 03 02020202 20010db8000000000000000000000002 0000fbf4")); // AS4, IPv6, AS 64500
    int a = hex(ATTRS_A).length;
    int b = hex(ATTRS_B).length;
    int v6 = hex(ATTRS_V6).length;
    // 10.1.0.0/16 from both peers; 10.2.0.0/16 from both (peer 0 same attributes: packed)
    m.record(
        13,
        2,
        hex(
            "00000000 10 0a01 0002 0000 00000000 "
                + len(a)
                + ATTRS_A
                + " 0001 00000000 "
                + len(b)
                + ATTRS_B));
    m.record(
        13,
        2,
        hex(
            "00000001 10 0a02 0002 0000 00000000 "
                + len(a)
                + ATTRS_A
                + " 0001 00000000 "
                + len(b)
                + ATTRS_B));
    m.record(13, 4, hex("00000002 30 20010db80001 0001 0001 00000000 " + len(v6) + ATTRS_V6));
    // ADD-PATH RIB: 10.3.0.0/16 from peer 0 with path id 5
    m.record(13, 8, hex("00000003 10 0a03 0001 0000 00000000 00000005 " + len(b) + ATTRS_B));
    // BGP4MP_MESSAGE_AS4 from 198.51.100.7 AS 65010: UPDATE 10.4.0.0/16, then a NOTIFICATION
    // 6/2, then STATE_CHANGE_AS4 Established -> Idle
    String hdr = "0000fdf2 0000fde8 0000 0001 c6336407 c0000264";
    String upd =
        "ffffffffffffffffffffffffffffffff 0027 02 0000 000d 40010100 40020602010000fdf2"
            + " 100a04";
    m.record(16, 4, hex(hdr + upd));
    m.record(16, 4, hex(hdr + "ffffffffffffffffffffffffffffffff 0015 03 06 02"));
    m.record(16, 5, hex(hdr + "0006 0001"));
    // TABLE_DUMP v1 AFI_IPv4: 10.5.0.0/16 from 203.0.113.5 AS 65020, 2-octet AS_PATH [65020 174]
    m.record(
        12,
        1,
        hex(
            "0000 0000 0a050000 10 01 00000000 cb007105 fdfc "
                + len(hex("40010100 4002060202fdfc00ae 400304cb007105").length)
                + "40010100 4002060202fdfc00ae 400304cb007105"));
    return m.out.toByteArray();
  }

  private static String len(int n) {
    return String.format("%04x", n);
  }

  private JsonNode convert(Path mrt, String name, String... extra) throws IOException {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--mrt",
                mrt.toString(),
                "--output",
                dir.resolve(name + ".bin").toString(),
                "--report",
                dir.resolve(name + ".json").toString(),
                "-q"));
    args.addAll(List.of(extra));
    LoadgenRun r = LoadgenRun.run(args.toArray(new String[0]));
    assertThat(r.exitCode).as(r.toString()).isZero();
    return LoadgenRun.report(dir.resolve(name + ".json"));
  }

  @Test
  void everyRecordKindBecomesBmp() throws Exception {
    Path f = dir.resolve("synthetic.mrt.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
      o.write(syntheticMrt());
    }
    JsonNode r = convert(f, "syn");
    BmpTestParser p = ReportCheck.verify(r).get(0);
    assertThat(p.count("peer_up")).isEqualTo(4);
    assertThat(p.count("peer_down")).isEqualTo(1);
    assertThat(p.count("termination")).isEqualTo(1);
    BmpTestParser.Peer p0 = p.peers.get("192.0.2.1");
    assertThat(p0.addPath).containsEntry(1, true);
    assertThat(p0.tables.get("adj_rib_in_pre/ipv4_unicast").routes)
        .containsExactlyInAnyOrder("4 #0 10.1.0.0/16", "4 #0 10.2.0.0/16", "4 #5 10.3.0.0/16");
    BmpTestParser.Peer p1 = p.peers.get("2001:db8:0:0:0:0:0:2");
    assertThat(p1.tables.get("adj_rib_in_pre/ipv4_unicast").routes)
        .containsExactlyInAnyOrder("4 10.1.0.0/16", "4 10.2.0.0/16");
    assertThat(p1.tables.get("adj_rib_in_pre/ipv6_unicast").routes)
        .containsExactly("6 2001:db8:1:0:0:0:0:0/48");
    assertThat(p1.tables.get("adj_rib_in_pre/ipv6_unicast").endOfRib).isTrue();
    BmpTestParser.Peer p2 = p.peers.get("198.51.100.7");
    assertThat(p2.downDetail).containsExactly("reason=3 notification=6/2");
    assertThat(p2.tables.get("adj_rib_in_pre/ipv4_unicast").announced).isEqualTo(1);
    assertThat(p2.tables.get("adj_rib_in_pre/ipv4_unicast").routes).isEmpty();
    BmpTestParser.Peer p3 = p.peers.get("203.0.113.5");
    assertThat(p3.legacyAsSeen).isTrue();
    assertThat(p3.tables.get("adj_rib_in_pre/ipv4_unicast").routes)
        .containsExactly("4 10.5.0.0/16");
    // peer 0's two prefixes with identical attributes share one UPDATE
    assertThat(p.prefixesPerAnnounceUpdate).contains(2);
    assertThat(
            r.get("run")
                .get("mrt")
                .get("mrt_records")
                .get("TABLE_DUMP_V2/RIB_IPV4_UNICAST")
                .asInt())
        .isEqualTo(2);
    assertThat(r.get("totals").get("routes_present").asLong()).isEqualTo(3 + 2 + 1 + 1);
  }

  private Path corpus(String rel) {
    Path f = CORPUS.resolve(rel);
    assertThat(f).as("corpus file (src/test/resources/corpus)").isRegularFile();
    return f;
  }

  @Test
  void fullTableDumpV1Of2002() throws Exception {
    JsonNode r =
        convert(
            corpus("bgpdump/test_data/bview.20020722.2337.gz"),
            "bview",
            "--prefixes-per-update",
            "500");
    ReportCheck.verify(r);
    assertThat(r.get("run").get("mrt").get("mrt_records").get("TABLE_DUMP/AFI_IPv4").asInt())
        .isEqualTo(115_521);
    assertThat(r.get("totals").get("prefixes_announced").asLong()).isEqualTo(115_521);
    assertThat(r.get("totals").get("routes_present").asLong()).isEqualTo(115_521);
  }

  @Test
  void addPathRibDumps() throws Exception {
    for (String f : List.of("bview.ipv4_unicast_add_path.gz", "bview.ipv6_unicast_add_path.gz")) {
      JsonNode r = convert(corpus("bgpdump/test_data/" + f), f);
      BmpTestParser p = ReportCheck.verify(r).get(0);
      assertThat(r.get("totals").get("routes_present").asLong()).isPositive();
      assertThat(p.peers.values()).anyMatch(x -> x.addPath.containsValue(true));
    }
  }

  @Test
  void bgp4mpUpdateFilesGzAndBz2() throws Exception {
    JsonNode r = convert(corpus("bgpdump/test_data/updates.20160811.1600.gz"), "u16");
    ReportCheck.verify(r);
    assertThat(r.get("run").get("mrt").get("mrt_records").get("BGP4MP/MESSAGE_AS4").asInt())
        .isEqualTo(17_384);
    assertThat(r.get("totals").get("prefixes_withdrawn").asLong()).isPositive();
    JsonNode r7 = convert(corpus("bgpdump/test_data/updates.20070211.0141.gz"), "u07");
    BmpTestParser p7 = ReportCheck.verify(r7).get(0);
    assertThat(p7.peers.values()).anyMatch(x -> x.legacyAsSeen);
    Path bz = corpus("libbgpstream/test/routeviews.route-views.jinx.updates.1427846400.bz2");
    ExternalTools.require("bzip2", "bzip2");
    JsonNode rb = convert(bz, "bz");
    ReportCheck.verify(rb);
    assertThat(rb.get("run").get("mrt").get("mrt_records").get("BGP4MP/MESSAGE_AS4").asInt())
        .isEqualTo(1756);
  }
}
