package org.bmpexporter.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bmpexporter.capture.CaptureReader.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads every capture of the shared corpus ({@code ../shared/corpus}, see its README.md) and the
 * lab captures ({@code ../shared/lab/captures}) and checks the reassembled streams: byte-exact
 * against the lab's listener recordings, and elsewhere by walking the BMP common headers and
 * comparing message counts per type with the README.
 */
class CorpusCaptureTest {
  private static final Path SHARED = Path.of("..", "shared");

  /** The project's copy of the shared corpus (provenance in its NOTICE.md). */
  private static final Path CORPUS = Path.of("src", "test", "resources", "corpus");

  private static final Path LAB = SHARED.resolve("lab").resolve("captures");

  private static final int RM = 0;
  private static final int STATS = 1;
  private static final int PEER_DOWN = 2;
  private static final int PEER_UP = 3;
  private static final int INIT = 4;
  private static final int TERM = 5;
  private static final int MIRROR = 6;

  /**
   * What one corpus capture must give.
   *
   * @param file path under corpus/
   * @param format file format
   * @param bmpPort TCP port of the BMP collector in this capture
   * @param flowBytes payload length of each flow to {@code bmpPort}, in flow order (checked against
   *     tshark)
   * @param otherFlows flows to other ports (telemetry, BGP) the reader must also return
   * @param version BMP version byte in the common header (4 for the three NetGauze Huawei BMPv4
   *     files)
   * @param counts BMP messages per type over all BMP flows of the file (README's index)
   */
  record Expect(
      String file,
      Format format,
      int bmpPort,
      List<Integer> flowBytes,
      int otherFlows,
      int version,
      Map<Integer, Integer> counts) {
    @Override
    public String toString() {
      return file;
    }
  }

  private static Map<Integer, Integer> counts(int... typeCount) {
    Map<Integer, Integer> m = new TreeMap<>();
    for (int i = 0; i < typeCount.length; i += 2) {
      m.put(typeCount[i], typeCount[i + 1]);
    }
    return m;
  }

  private static Expect pcap(String file, List<Integer> flowBytes, Map<Integer, Integer> counts) {
    return new Expect(file, Format.PCAP, 1790, flowBytes, 0, 3, counts);
  }

  static Stream<Expect> corpus() {
    String ng = "NetGauze/assets/pcaps/bmp/";
    String tr = "traffic-reproducer/examples/";
    return Stream.of(
        pcap(
            "pmacct/tests/200-BMP-HUAWEI-locrib_instance/traffic-00.pcap",
            List.of(18292),
            counts(INIT, 1, PEER_UP, 18, RM, 84)),
        pcap(
            "pmacct/tests/201-BMP-CISCO-rd_instance/traffic-00.pcap",
            List.of(43691),
            counts(INIT, 1, PEER_UP, 42, RM, 251, STATS, 42)),
        pcap(
            "pmacct/tests/204-BMP-CISCO-peer_down/traffic-00.pcap",
            List.of(56190),
            counts(INIT, 1, PEER_UP, 10, RM, 301, STATS, 28, PEER_DOWN, 3)),
        pcap(
            "pmacct/tests/205-BMP-6wind-FRR-peer_down/traffic-00.pcap",
            List.of(65204),
            counts(INIT, 1, PEER_UP, 7, RM, 451, STATS, 48, PEER_DOWN, 2)),
        pcap(
            "pmacct/tests/206-BMP-high-availability/traffic-00.pcap",
            List.of(36660),
            counts(INIT, 1, PEER_UP, 5, RM, 253, STATS, 36)),
        pcap(
            "pmacct/tests/400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources/traffic-00.pcap",
            List.of(27783),
            counts(INIT, 1, PEER_UP, 7, RM, 156, STATS, 14)),
        pcap(
            "pmacct/tests/400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources/traffic-01.pcap",
            List.of(27783),
            counts(INIT, 1, PEER_UP, 7, RM, 156, STATS, 14)),
        pcap(
            "pmacct/tests/401-IPFIXv10-BMP-IPv6-CISCO-MPLS-multiple-sources/traffic-00.pcap",
            List.of(27622),
            counts(INIT, 1, PEER_UP, 7, RM, 161, STATS, 7)),
        pcap(
            ng + "evpn/evpn.pcap",
            List.of(2150, 25606),
            counts(PEER_UP, 4, RM, 143, STATS, 7, PEER_DOWN, 2)),
        new Expect(
            ng + "path-status/ipv4_unicast_path_marking.pcap",
            Format.PCAP,
            10000,
            List.of(584),
            0,
            4,
            counts(PEER_UP, 1, RM, 3, PEER_DOWN, 1)),
        pcap(
            ng + "peers-with-different-caps/example.pcap",
            List.of(34538),
            counts(INIT, 1, PEER_UP, 18, RM, 173)),
        new Expect(
            ng + "stateless-with-add-path/ipv4_unicast_all.pcap",
            Format.PCAP,
            10000,
            List.of(4835),
            0,
            4,
            counts(PEER_UP, 9, RM, 21)),
        pcap(
            ng + "unreachable-prefix-announcement/upa.pcap",
            List.of(1137, 2313, 1675),
            counts(INIT, 3, PEER_UP, 7, RM, 34)),
        new Expect(
            ng + "vpnv4-stateless-with-withdraw/vpnv4-stateless-with-withdraw.pcap",
            Format.PCAP,
            10000,
            List.of(2297),
            0,
            4,
            counts(RM, 15)),
        new Expect(
            "NetGauze/crates/pcap-reader/data/bmp.pcapng",
            Format.PCAPNG,
            1790,
            List.of(621, 84, 483, 241),
            0,
            3,
            counts(INIT, 2, PEER_UP, 3, RM, 3, STATS, 2, PEER_DOWN, 2)),
        pcap(
            tr + "pcap_processing/bmp.pcap",
            List.of(43691),
            counts(INIT, 1, PEER_UP, 42, RM, 251, STATS, 42)),
        new Expect(
            tr + "pcap_processing/ipfix-bmp.pcap",
            Format.PCAP,
            1790,
            List.of(69055, 1072),
            3,
            3,
            counts(INIT, 1, PEER_UP, 12, RM, 360, STATS, 24)),
        // bmp-traffic.pcap: see bmpTrafficEndsWithTruncatedMessage
        pcap(
            tr + "pcaps/ipfix-bmp-scenario-PART1-bmp-init-and-peer-ups.pcap",
            List.of(4260),
            counts(INIT, 1, PEER_UP, 16)),
        pcap(
            tr + "pcaps/ipfix-bmp-scenario-PART2-bmp-route-monitoring-updates.pcap",
            List.of(127334),
            counts(RM, 732)),
        pcap(
            tr + "pcaps/ipfix-bmp-scenario-PART3-bmp-loc-rib-peer-down.pcap",
            List.of(62),
            counts(PEER_DOWN, 1)),
        pcap(
            tr + "pcaps/ipfix-bmp-scenario-PART4-bmp-route-monitoring-withdrawals-updates.pcap",
            List.of(2385),
            counts(RM, 21)),
        pcap(
            tr + "pcaps/ipfix-bmp-scenario-PART6-bmp-loc-rib-peer-up.pcap",
            List.of(18503),
            counts(PEER_UP, 1, RM, 100)),
        pcap(
            tr + "pcaps/ipfix-bmp-scenario-PART7-bmp-global-peer-down.pcap",
            List.of(1705),
            counts(RM, 12, PEER_DOWN, 1)),
        pcap(
            tr + "pcaps/ipfix-bmp-scenario-PART8-bmp-global-peer-up.pcap",
            List.of(3241),
            counts(PEER_UP, 1, RM, 22)),
        pcap(
            "pmacct-test-automation/tests/400-IPFIXv10-BMP-CISCO-T260+T266-options-locrib/traffic-00.pcap",
            List.of(69055, 1072),
            counts(INIT, 1, PEER_UP, 12, RM, 360, STATS, 24)));
  }

  private static Path corpusFile(String rel) {
    assumeTrue(
        Files.isDirectory(CORPUS),
        "shared corpus not found at "
            + CORPUS.toAbsolutePath().normalize()
            + ": corpus tests skipped");
    Path p = CORPUS.resolve(rel);
    assumeTrue(Files.isRegularFile(p), "corpus file missing: " + p);
    return p;
  }

  private static Path labFile(String name) {
    assumeTrue(
        Files.isDirectory(LAB),
        "lab captures not found at "
            + LAB.toAbsolutePath().normalize()
            + ": lab capture tests skipped");
    Path p = LAB.resolve(name);
    assumeTrue(Files.isRegularFile(p), "lab capture missing: " + p);
    return p;
  }

  // ------------------------------------------------------------------------------------------- BMP
  // header walker

  /** Result of walking a stream as BMP messages by the common header only. */
  record Walk(
      Map<Integer, Integer> counts, int messages, int end, long truncatedLength, String error) {}

  /**
   * Splits a stream into BMP messages by the common header: version byte, 4-byte big-endian length
   * (≥ 6, covering the whole message), type byte. Stops at the first bad header or at a message
   * that runs past the end.
   */
  static Walk walk(byte[] p, int version) {
    Map<Integer, Integer> counts = new TreeMap<>();
    int off = 0;
    int n = 0;
    while (off < p.length) {
      if (p.length - off < 6) {
        return new Walk(
            counts, n, off, -1, "incomplete common header (" + (p.length - off) + " bytes)");
      }
      int v = p[off] & 0xff;
      long len =
          ((p[off + 1] & 0xffL) << 24)
              | ((p[off + 2] & 0xff) << 16)
              | ((p[off + 3] & 0xff) << 8)
              | (p[off + 4] & 0xff);
      int type = p[off + 5] & 0xff;
      if (v != version || len < 6) {
        return new Walk(
            counts,
            n,
            off,
            -1,
            "bad common header at offset " + off + ": version " + v + ", length " + len);
      }
      if (len > p.length - off) {
        return new Walk(
            counts,
            n,
            off,
            len,
            "message of type "
                + type
                + " and length "
                + len
                + " at offset "
                + off
                + " has only "
                + (p.length - off)
                + " bytes");
      }
      counts.merge(type, 1, Integer::sum);
      n++;
      off += (int) len;
    }
    return new Walk(counts, n, off, -1, null);
  }

  // ------------------------------------------------------------------------------------------------------ corpus

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void corpusCaptureReassemblesToWholeBmpMessages(Expect e) throws IOException {
    Path file = corpusFile(e.file());
    byte[] data = Files.readAllBytes(file);
    assertThat(CaptureReader.detect(data)).isEqualTo(e.format());

    Capture capture = CaptureReader.read(data, file.getFileName().toString());
    assertThat(capture.warnings()).as("capture warnings").isEmpty();
    List<TcpFlow> bmp = capture.flows().stream().filter(f -> f.dstPort() == e.bmpPort()).toList();
    assertThat(capture.flows()).hasSize(e.flowBytes().size() + e.otherFlows());
    assertThat(bmp)
        .extracting(f -> f.payload().length)
        .as("BMP flow sizes")
        .containsExactlyElementsOf(e.flowBytes());

    Map<Integer, Integer> total = new TreeMap<>();
    for (TcpFlow f : bmp) {
      assertThat(f.gapBytes()).as("gap bytes of " + f.describe()).isZero();
      assertThat(f.warnings()).as("warnings of " + f.describe()).isEmpty();
      Walk w = walk(f.payload(), e.version());
      assertThat(w.error()).as("BMP walk of " + f.describe()).isNull();
      w.counts().forEach((t, c) -> total.merge(t, c, Integer::sum));
    }
    assertThat(total).as("BMP messages per type").isEqualTo(e.counts());

    List<Long> ts = capture.flows().stream().map(TcpFlow::firstTimestampMicros).toList();
    assertThat(ts).as("flows ordered by first packet").isSorted();
    assertThat(ts).allSatisfy(t -> assertThat(t).isGreaterThan(900_000_000_000_000L)); // after 1998
  }

  @Test
  void bmpTrafficEndsWithTruncatedMessage() throws IOException {
    List<TcpFlow> flows =
        CaptureReader.readFlows(corpusFile("traffic-reproducer/examples/pcaps/bmp-traffic.pcap"));
    assertThat(flows).hasSize(1);
    TcpFlow f = flows.get(0);
    assertThat(f.srcAddress()).isEqualTo("192.0.2.61");
    assertThat(f.srcPort()).isEqualTo(52867);
    assertThat(f.dstPort()).isEqualTo(1790);
    assertThat(f.payload()).hasSize(20791);
    assertThat(f.gapBytes()).isZero();
    assertThat(f.warnings())
        .isEmpty(); // the capture is complete: the router's last message was cut, not the TCP
    Walk w = walk(f.payload(), 3);
    assertThat(w.counts()).isEqualTo(counts(INIT, 1, PEER_UP, 18, RM, 84, 100, 4));
    assertThat(w.truncatedLength()).isEqualTo(765);
    assertThat(w.end()).isEqualTo(20580);
    assertThat(f.payload().length - w.end()).isEqualTo(211);
    assertThat(f.payload()[w.end() + 5] & 0xff).as("type of the cut message").isEqualTo(100);
  }

  @Test
  void pcapngFromNetGauzeHasTwoRoutersOverFourConnections() throws IOException {
    List<TcpFlow> flows =
        CaptureReader.readFlows(corpusFile("NetGauze/crates/pcap-reader/data/bmp.pcapng"));
    assertThat(flows)
        .extracting(TcpFlow::srcAddress)
        .containsExactly("172.16.100.40", "172.16.100.60", "172.16.100.60", "172.16.100.60");
    assertThat(flows).extracting(TcpFlow::srcPort).containsExactly(46077, 48173, 52226, 42031);
    // the two BMP sessions that begin in the capture start with an Initiation message
    TreeSet<Integer> withInit = new TreeSet<>();
    for (TcpFlow f : flows) {
      if (f.payload()[5] == INIT) {
        withInit.add(f.srcPort());
      }
    }
    assertThat(withInit).containsExactly(42031, 52226);
    // if_tsresol = 9 (nanoseconds): 2022-10-03T18:29:05.954189Z
    assertThat(flows.get(0).firstTimestampMicros()).isEqualTo(1664821745954189L);
  }

  @Test
  void sameBmpBytesUnderDifferentFraming() throws IOException {
    // README: traffic-reproducer bmp.pcap = pmacct 201 content, ipfix-bmp.pcap =
    // pmacct-test-automation 400-T260
    List<TcpFlow> a =
        CaptureReader.readFlows(
            corpusFile("pmacct/tests/201-BMP-CISCO-rd_instance/traffic-00.pcap"));
    List<TcpFlow> b =
        CaptureReader.readFlows(corpusFile("traffic-reproducer/examples/pcap_processing/bmp.pcap"));
    assertThat(a.get(0).srcPort()).isEqualTo(20); // synthetic TCP
    assertThat(b.get(0).srcPort()).isEqualTo(28816); // real TCP
    assertThat(b.get(0).payload()).isEqualTo(a.get(0).payload());

    List<TcpFlow> c =
        bmpFlows(
            CaptureReader.readFlows(
                corpusFile(
                    "pmacct-test-automation/tests/400-IPFIXv10-BMP-CISCO-T260+T266-options-locrib/traffic-00.pcap")));
    List<TcpFlow> d =
        bmpFlows(
            CaptureReader.readFlows(
                corpusFile("traffic-reproducer/examples/pcap_processing/ipfix-bmp.pcap")));
    assertThat(d).hasSameSizeAs(c);
    for (int i = 0; i < c.size(); i++) {
      assertThat(d.get(i).payload()).isEqualTo(c.get(i).payload());
    }
  }

  private static List<TcpFlow> bmpFlows(List<TcpFlow> flows) {
    return flows.stream().filter(f -> f.dstPort() == 1790).toList();
  }

  @Test
  void ipfixBmpCarriesOtherTcpFlowsToo() throws IOException {
    List<TcpFlow> flows =
        CaptureReader.readFlows(
            corpusFile("traffic-reproducer/examples/pcap_processing/ipfix-bmp.pcap"));
    Map<Integer, Integer> bytesByPort =
        flows.stream()
            .collect(
                Collectors.toMap(
                    TcpFlow::dstPort, f -> f.payload().length, Integer::sum, TreeMap::new));
    // 10005/10006: streaming telemetry over TCP; 179: one BGP message (19 bytes, a KEEPALIVE)
    assertThat(bytesByPort)
        .isEqualTo(Map.of(179, 19, 1790, 69055 + 1072, 10005, 1653653, 10006, 705812));
    byte[] bgp = flows.stream().filter(f -> f.dstPort() == 179).findFirst().orElseThrow().payload();
    byte[] marker = new byte[16];
    Arrays.fill(marker, (byte) 0xff);
    assertThat(Arrays.copyOf(bgp, 16)).isEqualTo(marker);
    assertThat(bgp[18]).as("BGP KEEPALIVE").isEqualTo((byte) 4);
  }

  @Test
  void largestCaptureReadsWellUnderASecond() throws IOException {
    Path file = corpusFile("traffic-reproducer/examples/pcap_processing/ipfix-bmp.pcap");
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      List<TcpFlow> flows = CaptureReader.readFlows(file);
      best = Math.min(best, System.nanoTime() - t0);
      assertThat(flows).hasSize(5);
    }
    assertThat(best / 1_000_000).as("milliseconds to read %s", file.getFileName()).isLessThan(500);
  }

  // -------------------------------------------------------------------------------------------------------- lab

  /** The lab listener's .bin files are exactly what crossed each TCP connection. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("labCaptures")
  void labPcapPayloadsEqualListenerRecordings(String pcap, List<String> bins) throws IOException {
    Path file = labFile(pcap);
    assertThat(CaptureReader.detect(Files.readAllBytes(file)))
        .isEqualTo(Format.PCAPNG); // despite the .pcap name
    Capture capture = CaptureReader.read(file);
    assertThat(capture.warnings()).isEmpty();
    List<TcpFlow> flows = capture.flows();
    assertThat(flows).hasSize(bins.size());
    for (int i = 0; i < bins.size(); i++) {
      TcpFlow f = flows.get(i);
      byte[] expected = Files.readAllBytes(labFile(bins.get(i)));
      assertThat(f.srcAddress()).isEqualTo("127.0.0.1");
      assertThat(f.dstPort()).isEqualTo(11019);
      assertThat(f.gapBytes()).isZero();
      assertThat(f.warnings()).isEmpty();
      assertThat(f.payload().length).as(bins.get(i) + " length").isEqualTo(expected.length);
      assertThat(Arrays.equals(f.payload(), expected)).as(bins.get(i) + " byte-identical").isTrue();
    }
  }

  static Stream<Arguments> labCaptures() {
    return Stream.of(
        Arguments.of("frr-demo.pcap", List.of("frr-demo.bin", "frr-demo.2.bin")),
        Arguments.of("frr-startup.pcap", List.of("frr-startup.bin")),
        Arguments.of("gobgp-demo.pcap", List.of("gobgp-demo.bin", "gobgp-demo.2.bin")));
  }

  @Test
  void labRawStreamsAreReadAsRawAndCountAsInTheLabReadme() throws IOException {
    record Bin(String name, Map<Integer, Integer> counts) {}
    List<Bin> bins =
        new ArrayList<>(
            List.of(
                new Bin(
                    "frr-demo.bin",
                    counts(INIT, 1, PEER_UP, 8, PEER_DOWN, 24, RM, 26062, STATS, 51, MIRROR, 8027)),
                new Bin(
                    "frr-demo.2.bin", counts(INIT, 1, PEER_UP, 2, RM, 2486, STATS, 10, MIRROR, 4)),
                new Bin(
                    "frr-startup.bin",
                    counts(INIT, 1, PEER_UP, 4, PEER_DOWN, 12, RM, 3852, STATS, 14, MIRROR, 1410)),
                new Bin(
                    "gobgp-demo.bin",
                    counts(INIT, 1, PEER_UP, 6, PEER_DOWN, 4, RM, 12880, STATS, 6, TERM, 1)),
                new Bin("gobgp-demo.2.bin", counts(INIT, 1, PEER_UP, 2, RM, 1994))));
    for (Bin b : bins) {
      Path file = labFile(b.name());
      byte[] data = Files.readAllBytes(file);
      assertThat(CaptureReader.detect(data)).isEqualTo(Format.RAW);
      List<TcpFlow> flows = CaptureReader.readFlows(file);
      assertThat(flows).hasSize(1);
      TcpFlow f = flows.get(0);
      assertThat(f.srcAddress()).isEqualTo("file");
      assertThat(f.srcPort()).isZero();
      assertThat(f.payload()).isEqualTo(data);
      Walk w = walk(f.payload(), 3);
      assertThat(w.error()).isNull();
      assertThat(w.counts()).as(b.name()).isEqualTo(b.counts());
    }
  }
}
