package org.bmpexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every real-router capture of the corpus through {@code inspect}: message counts per type as the
 * corpus index (an independent stream parser, agreeing with tshark) gives them, and no decode error
 * except the bad data the index documents.
 */
class CorpusInspectTest {
  static final Path CORPUS = Path.of("src/test/resources/corpus");

  private static Arguments c(String file, String messages, String errors) {
    return c(file, messages, errors, "");
  }

  private static Arguments c(String file, String messages, String errors, String quirks) {
    return Arguments.of(file, messages, errors, quirks);
  }

  /** Counts from the corpus README (I=initiation U=peer_up R=route_monitoring S=stats D=down). */
  static Stream<Arguments> captures() {
    return Stream.of(
        c("pmacct/tests/200-BMP-HUAWEI-locrib_instance/traffic-00.pcap", "I1 U18 R84", ""),
        c("pmacct/tests/201-BMP-CISCO-rd_instance/traffic-00.pcap", "I1 U42 R251 S42", ""),
        c("pmacct/tests/204-BMP-CISCO-peer_down/traffic-00.pcap", "I1 U10 R301 S28 D3", ""),
        // FRR 8.0.1's known quirks: a Peer Up with an all-zero per-peer header (ignored), and
        // 2-octet AS_PATHs without the A flag in its Loc-RIB and 0.0.0.0 peer's messages
        c(
            "pmacct/tests/205-BMP-6wind-FRR-peer_down/traffic-00.pcap",
            "I1 U7 R451 S48 D2",
            "",
            "all_zero_peer_header=1 as_path_width=2"),
        c(
            "pmacct/tests/206-BMP-high-availability/traffic-00.pcap",
            "I1 U5 R253 S36",
            "",
            "all_zero_peer_header=1 as_path_width=2"),
        c(
            "pmacct/tests/400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources/traffic-00.pcap",
            "I1 U7 R156 S14",
            ""),
        c(
            "pmacct/tests/400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources/traffic-01.pcap",
            "I1 U7 R156 S14",
            ""),
        c(
            "pmacct/tests/401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources/traffic-00.pcap",
            "I1 U7 R161 S7",
            ""),
        c("NetGauze/assets/pcaps/bmp/evpn/evpn.pcap", "U4 R143 S7 D2", ""),
        // BMP version 4 (draft-ietf-grow-bmp-tlv): Route Monitoring TLVs with path marking, group,
        // VRF and stateless parsing (ADD-PATH) TLVs, a Peer Down with its VRF TLV
        c("NetGauze/assets/pcaps/bmp/path-status/ipv4_unicast_path_marking.pcap", "U1 R3 D1", ""),
        c("NetGauze/assets/pcaps/bmp/peers-with-different-caps/example.pcap", "I1 U18 R173", ""),
        c("NetGauze/assets/pcaps/bmp/stateless-with-add-path/ipv4_unicast_all.pcap", "U9 R21", ""),
        c("NetGauze/assets/pcaps/bmp/unreachable-prefix-announcement/upa.pcap", "I3 U7 R34", ""),
        c(
            "NetGauze/assets/pcaps/bmp/vpnv4-stateless-with-withdraw/"
                + "vpnv4-stateless-with-withdraw.pcap",
            "R15",
            ""),
        c("NetGauze/crates/pcap-reader/data/bmp.pcapng", "I2 U3 R3 S2 D2", ""),
        c("traffic-reproducer/examples/pcap_processing/bmp.pcap", "I1 U42 R251 S42", ""),
        c("traffic-reproducer/examples/pcap_processing/ipfix-bmp.pcap", "I1 U12 R360 S24", ""),
        // Huawei type 100 (route policy trace) is decoded (counted as type unknown: not an RFC 7854
        // type); the capture ends mid-message (documented broken data)
        c(
            "traffic-reproducer/examples/pcaps/bmp-traffic.pcap",
            "I1 U18 R84 X4",
            "truncated_stream=1"),
        c(
            "traffic-reproducer/examples/pcaps/ipfix-bmp-scenario-PART1-bmp-init-and-peer-ups.pcap",
            "I1 U16",
            ""),
        c(
            "traffic-reproducer/examples/pcaps/"
                + "ipfix-bmp-scenario-PART2-bmp-route-monitoring-updates.pcap",
            "R732",
            ""),
        c(
            "traffic-reproducer/examples/pcaps/ipfix-bmp-scenario-PART3-bmp-loc-rib-peer-down.pcap",
            "D1",
            ""),
        c(
            "traffic-reproducer/examples/pcaps/"
                + "ipfix-bmp-scenario-PART4-bmp-route-monitoring-withdrawals-updates.pcap",
            "R21",
            ""),
        c(
            "traffic-reproducer/examples/pcaps/ipfix-bmp-scenario-PART6-bmp-loc-rib-peer-up.pcap",
            "U1 R100",
            ""),
        c(
            "traffic-reproducer/examples/pcaps/ipfix-bmp-scenario-PART7-bmp-global-peer-down.pcap",
            "R12 D1",
            ""),
        c(
            "traffic-reproducer/examples/pcaps/ipfix-bmp-scenario-PART8-bmp-global-peer-up.pcap",
            "U1 R22",
            ""),
        c(
            "pmacct-test-automation/tests/400-IPFIXv10-BMP-CISCO-T260+T266-options-locrib/"
                + "traffic-00.pcap",
            "I1 U12 R360 S24",
            ""));
  }

  private static final Map<Character, String> TYPES =
      Map.of(
          'I',
          "initiation",
          'U',
          "peer_up",
          'R',
          "route_monitoring",
          'S',
          "statistics_report",
          'D',
          "peer_down",
          'T',
          "termination",
          'M',
          "route_mirroring",
          'X',
          "unknown");

  static JsonNode inspectJson(Path file) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    InspectCommand cmd = new InspectCommand();
    cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = new CommandLine(cmd).execute("--json", file.toString());
    JsonNode doc = new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
    assertThat(code)
        .as("exit code follows errors")
        .isEqualTo(doc.get("totals").get("errors").isEmpty() ? 0 : 1);
    return doc;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void decodesWithTheIndexedCountsAndOnlyDocumentedErrors(
      String file, String messages, String errors, String quirks) throws Exception {
    Path path = CORPUS.resolve(file);
    assertThat(path).exists();
    JsonNode totals = inspectJson(path).get("totals");
    Map<String, Long> expected = new TreeMap<>();
    for (String t : messages.split(" ")) {
      if (!t.isEmpty()) {
        expected.put(TYPES.get(t.charAt(0)), Long.parseLong(t.substring(1)));
      }
    }
    Map<String, Long> actual = new TreeMap<>();
    totals.get("messages").properties().forEach(e -> actual.put(e.getKey(), e.getValue().asLong()));
    assertThat(actual).isEqualTo(expected);
    Map<String, Long> expectedErrors = new TreeMap<>();
    for (String e : errors.split(" ")) {
      if (!e.isEmpty()) {
        expectedErrors.put(e.split("=")[0], Long.parseLong(e.split("=")[1]));
      }
    }
    Map<String, Long> actualErrors = new TreeMap<>();
    totals
        .get("errors")
        .properties()
        .forEach(e -> actualErrors.put(e.getKey(), e.getValue().asLong()));
    assertThat(actualErrors).isEqualTo(expectedErrors);
    Map<String, Long> expectedQuirks = new TreeMap<>();
    for (String q : quirks.split(" ")) {
      if (!q.isEmpty()) {
        expectedQuirks.put(q.split("=")[0], Long.parseLong(q.split("=")[1]));
      }
    }
    Map<String, Long> actualQuirks = new TreeMap<>();
    totals
        .get("quirks")
        .properties()
        .forEach(e -> actualQuirks.put(e.getKey(), e.getValue().asLong()));
    assertThat(actualQuirks).isEqualTo(expectedQuirks);
  }

  @org.junit.jupiter.api.Test
  void everyCaptureOfTheCorpusIsListed() throws Exception {
    // guards the list above against a capture added to the corpus but not to this test
    List<String> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(CORPUS)) {
      s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
          .forEach(p -> all.add(CORPUS.relativize(p).toString()));
    }
    assertThat(captures().map(a -> (String) a.get()[0])).containsExactlyInAnyOrderElementsOf(all);
  }
}
