package org.bmpexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.StateLimits;
import org.bmpexporter.state.WatchList;
import org.bmpexporter.state.Watches;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.LegacyBmp;
import org.bmpexporter.testing.Promtool;
import org.junit.jupiter.api.Test;

/**
 * The exposition of a known session, compared with a reviewed golden file. Regenerate with {@code
 * -Dgolden.update=true} and review the diff: names and labels are the public interface.
 */
class GoldenScrapeTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/metrics.txt");

  static String exposition() throws Exception {
    // watched: a prefix present from its expected origin, an IPv6 prefix with a more-specific
    // from another origin, a VRF prefix whose peer went down (absent now)
    Watches watches =
        new Watches(
            new WatchList(
                List.of(
                    new WatchList.Entry("ten", ip("10.0.0.0"), 24, "", Set.of(64512L), false),
                    new WatchList.Entry("v6", ip("2001:db8::"), 32, "", Set.of(64999L), false),
                    new WatchList.Entry(
                        "vrf", ip("172.16.0.0"), 12, "192.0.2.1:7", Set.of(), false)),
                10_000));
    RouterState router =
        new RouterState("192.0.2.1", "192.0.2.1", Runnable::run, StateLimits.unlimited(), watches);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 1_700_000_000.0);
    session.open();
    byte[] v4peer = globalPeer("192.0.2.2", 65002);
    byte[] v6peer = globalPeer("2001:db8::2", 4200000000L);
    byte[] rdPeer =
        peerHeader(
            1, 0, (1L << 48) | (0xC0000201L << 16) | 7, "198.51.100.1", 65010, "198.51.100.1");
    byte[] locRib = peerHeader(3, 0, 0, "0.0.0.0", 65001, "192.0.2.1");
    byte[] stream =
        concat(
            initiation("edge-1", "Test OS 1.0\nsecond line"),
            peerUp(v4peer),
            peerUp(
                v6peer,
                open(65001, "192.0.2.1", Map.of()),
                open(4200000000L, "192.0.2.3", Map.of()),
                tlv(3, "global")),
            peerUp(rdPeer),
            peerUp(
                locRib,
                open(65001, "192.0.2.1", Map.of()),
                open(65001, "192.0.2.1", Map.of()),
                tlv(3, "default")),
            routeMonitoring(v4peer, updateV4(new byte[0], nlri("10.0.0.0/24", "10.0.1.0/24"))),
            routeMonitoring(postPolicy(v4peer), updateV4(new byte[0], nlri("10.0.0.0/24"))),
            routeMonitoring(v4peer, updateV4(new byte[0], new byte[0])),
            routeMonitoring(v6peer, updateV6(true, nlri("2001:db8:1::/48"))),
            // with the TLV Huawei VRP 8.230 appends (type 0xEA62, 4 bytes): a quirk
            routeMonitoring(
                locRib,
                concat(
                    updateV4(new byte[0], nlri("10.0.0.0/24")),
                    w().u16(0xea62).u16(4).u32(1).toByteArray())),
            routeMonitoring(rdPeer, updateV4(new byte[0], nlri("172.16.0.0/12"))),
            // BMP version 4: the UPDATE in a BGP PDU TLV, its one NLRI marked best and primary
            org.bmpexporter.testing.Bmp.bmp4(
                0,
                locRib,
                org.bmpexporter.testing.Bmp.bgpPdu4(updateV4(new byte[0], nlri("10.0.3.0/24"))),
                org.bmpexporter.testing.Bmp.pathMarking4(1, 0x0a, -1)),
            statistics(
                v4peer,
                tlv(0, w().u32(3).toByteArray()),
                tlv(7, w().u64(2).toByteArray()),
                tlv(9, w().u16(1).u8(1).u64(2).toByteArray()),
                tlv(65531, w().u32(9).toByteArray())),
            // Huawei's route policy trace (type 100): one outbound event
            LegacyBmp.trace(
                0,
                0,
                "10.0.0.0",
                24,
                0,
                LegacyBmp.event(1, 0, 1, 1, LegacyBmp.policy(1, "192.0.2.2", "OUT", "10"))),
            peerDown(rdPeer, 3, notification(6, 2, new byte[] {4, 'm', 'a', 'i', 'n'})),
            termination(0));
    session.feed(stream, 0, stream.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create()
        .write(out, BmpCollector.collect(List.of(router.snapshot())), EscapingScheme.ALLOW_UTF8);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void expositionMatchesTheReviewedGoldenFile() throws Exception {
    String text = exposition();
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(GOLDEN, text);
    }
    assertThat(text).isEqualTo(Files.readString(GOLDEN));
  }

  @Test
  @ComponentTest
  void expositionPassesPromtool() throws Exception {
    Promtool.checkMetrics(exposition());
  }
}
