package org.bmpexporter.wire;

import static org.bmpexporter.testing.Bmp.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bmpexporter.testing.LegacyBmp;

/**
 * Writes the seed inputs of {@link BmpDecoderFuzzTest} (not a test): real lab messages and a real
 * stream, plus one built message per family and feature the fuzzer should start from. Run from the
 * project root after {@code mvn test-compile}:
 *
 * <pre>
 * java -cp target/test-classes:target/classes org.bmpexporter.wire.FuzzSeeds \
 *     src/test/resources/org/bmpexporter/wire/BmpDecoderFuzzTestInputs
 * </pre>
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  static byte[] real(String name) throws IOException {
    try (InputStream in = FuzzSeeds.class.getResourceAsStream("real/" + name + ".bin")) {
      return in.readAllBytes();
    }
  }

  /** The same message with version byte 4 (the common header is the same). */
  static byte[] asV4(byte[] message) {
    byte[] m = message.clone();
    m[0] = 4;
    return m;
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    for (String name : RealMessageTruncationTest.NAMES) {
      seeds.put("real-" + name, real(name));
    }
    seeds.put(
        "real-frr-stream",
        concat(
            real("frr-initiation"),
            real("frr-peer-up"),
            real("frr-route-monitoring-ipv4-pre"),
            real("frr-route-monitoring-ipv6-post"),
            real("frr-statistics"),
            real("frr-route-mirroring"),
            real("frr-peer-down-notification")));

    byte[] nh4 = ip("192.0.2.1");
    byte[] nh6 = ip("2001:db8::1");
    byte[] rd = rd0(65000, 1);
    Peer p = peer().address("192.0.2.2").as(65002);
    byte[] sent =
        open(
            65001,
            90,
            "192.0.2.1",
            capMultiprotocol(1, 1),
            capMultiprotocol(2, 1),
            capFourOctetAs(65001),
            capAddPath(1, 1, 3, 2, 1, 1),
            capExtendedMessage(),
            capRouteRefresh(),
            capGracefulRestart(120, 1, 1));
    byte[] received =
        openOneParam(
            65002,
            90,
            "192.0.2.2",
            capMultiprotocol(1, 1),
            capFourOctetAs(65002),
            capAddPath(1, 1, 3));
    seeds.put(
        "built-addpath-session",
        concat(
            initiation(tlv(2, "r"), tlv(1, "d")),
            peerUp(p, "192.0.2.1", 179, 1000, sent, received, tlv(3, "vrf"), tlv(0, "s")),
            routeMonitoring(
                p,
                update(
                    prefix(1, "10.9.0.0/16"),
                    basicAttributes(),
                    concat(prefix(1, "10.1.0.0/16"), prefix(2, "10.1.0.0/16")))),
            routeMonitoring(
                peer().address("192.0.2.2").as(65002).flags(0x10),
                update(new byte[0], basicAttributes(), prefix(7, "10.2.0.0/16")))));
    seeds.put(
        "built-update-v4",
        update(
            prefixes("10.9.0.0/16"),
            concat(basicAttributes(), med(5), localPref(100)),
            prefixes("10.1.0.0/16", "192.168.0.0/24")));
    seeds.put(
        "built-rm-ipv6",
        routeMonitoring(
            p,
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(2, 1, concat(nh6, ip("fe80::1")), prefix("2001:db8:1::/48")),
                    mpUnreach(2, 1, prefix("2001:db8:2::/48"))),
                new byte[0])));
    seeds.put(
        "built-rm-labeled-vpn",
        routeMonitoring(
            p,
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(1, 4, nh4, labeled("10.1.0.0/16", bos(16))),
                    mpUnreach(1, 128, labeledVpn(rd, "10.2.0.0/16", 0x800000))),
                new byte[0])));
    seeds.put(
        "built-rm-vpnv6",
        routeMonitoring(
            peer().type(1).rd(rd),
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(
                        2, 128, concat(new byte[8], nh6), labeledVpn(rd, "2001:db8::/32", bos(5)))),
                new byte[0])));
    byte[] tag = w().u32(100).toByteArray();
    seeds.put(
        "built-rm-evpn",
        routeMonitoring(
            p,
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(
                        25,
                        70,
                        nh4,
                        evpn(1, concat(rd, esi(1), tag, w().u24(bos(1)).toByteArray())),
                        evpn(
                            2,
                            w().bytes(rd, esi(1), tag)
                                .u8(48)
                                .bytes(hex("001122334455"))
                                .u8(32)
                                .bytes(ip("10.0.0.5"))
                                .u24(bos(2))
                                .toByteArray()),
                        evpn(3, concat(rd, tag, w().u8(32).toByteArray(), nh4)),
                        evpn(4, concat(rd, esi(1), w().u8(32).toByteArray(), nh4)),
                        evpn(
                            5,
                            concat(
                                rd,
                                esi(0),
                                tag,
                                w().u8(24).toByteArray(),
                                ip("10.1.1.0"),
                                nh4,
                                w().u24(bos(3)).toByteArray())))),
                new byte[0])));
    byte[] vpls = concat(rd, w().u16(1).u16(1).u16(10).u24(bos(1000)).toByteArray());
    seeds.put(
        "built-rm-vpls-flowspec-bgpls",
        routeMonitoring(
            p,
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(25, 65, nh4, w().u16(vpls.length).bytes(vpls).toByteArray()),
                    mpUnreach(1, 133, flowspec(hex("01 18 0a 00 01")), flowspec(new byte[300])),
                    mpUnreach(16388, 71, w().u16(1).u16(9).u8(3).u64(0).toByteArray())),
                new byte[0])));
    seeds.put(
        "built-rm-end-of-rib",
        concat(
            routeMonitoring(p, endOfRibIpv4()),
            routeMonitoring(p, update(new byte[0], mpUnreach(2, 1), new byte[0]))));
    seeds.put(
        "built-rm-malformed",
        concat(
            routeMonitoring(
                p,
                update(
                    prefixes("10.9.0.0/16"),
                    concat(origin(0), attr(0x40, 2, hex("0901 0000fde9")), nextHop("192.0.2.1")),
                    prefixes("10.1.0.0/16"))),
            routeMonitoring(
                p,
                concat(
                    update(new byte[0], basicAttributes(), prefixes("10.1.0.0/16")),
                    w().u16(0xea62).u16(4).u32(1).toByteArray()))));
    seeds.put(
        "built-statistics",
        statistics(
            p,
            stat32(0, 1),
            stat32(1, 2),
            stat32(2, 3),
            stat32(3, 4),
            stat32(4, 5),
            stat32(5, 6),
            stat32(6, 7),
            stat64(7, 8),
            stat64(8, 9),
            statAfi(9, 1, 1, 10),
            statAfi(10, 2, 1, 11),
            stat32(11, 12),
            stat32(12, 13),
            stat32(13, 14),
            stat64(14, 15),
            stat64(15, 16),
            statAfi(16, 1, 128, 17),
            statAfi(17, 25, 70, 18),
            stat32(65531, 19),
            tlv(40000, new byte[2])));
    seeds.put(
        "built-peer-downs",
        concat(
            peerDown(p, 1, notification(6, 1, hex("0001 01 000003e8"))),
            peerDown(p, 2, w().u16(24).toByteArray()),
            peerDown(
                p,
                3,
                notification(
                    6, 2, concat(new byte[] {4}, "bye!".getBytes(StandardCharsets.UTF_8)))),
            peerDown(p, 4, new byte[0]),
            peerDown(p, 5, new byte[0]),
            peerDown(peer().type(3), 6, tlv(3, "vrf"))));
    seeds.put(
        "built-mirroring-termination-unknown",
        concat(
            mirroring(
                p,
                tlv(0, keepalive()),
                tlv(1, w().u16(0).toByteArray()),
                tlv(1, w().u16(1).toByteArray())),
            bmp(100, new byte[8]),
            termination(tlv(0, "bye"), terminationReason(4))));
    seeds.put(
        "built-open-extended-params",
        peerUp(
            p,
            "192.0.2.1",
            179,
            1000,
            openExtendedParams(65001, 90, "192.0.2.1", capMultiprotocol(1, 1), capFourOctetAs(1)),
            open(65002, 90, "192.0.2.2")));
    // Huawei's route policy trace (type 100): a real one (VRP 8.210) and one with every TLV
    seeds.put("real-huawei-route-policy-trace", RoutePolicyTraceTest.realTraces().get(2));
    seeds.put(
        "built-route-policy-trace",
        LegacyBmp.trace(
            0x80,
            0x0000fde8_00000007L,
            "2001:db8:5::",
            48,
            1,
            LegacyBmp.event(
                1,
                7,
                2,
                1,
                LegacyBmp.vrf(3, "blue"),
                LegacyBmp.policy(0, "2001:db8::9", "IN-A", "10", "IN-B", "20"),
                LegacyBmp.attributes(2, basicAttributes()),
                LegacyBmp.attributes(3, concat(basicAttributes(), localPref(200))),
                LegacyBmp.string("node 10")),
            LegacyBmp.event(2, 0, 1, 1, LegacyBmp.policy(8, "192.0.2.9"))));
    // BMP versions 1 and 2: whole sessions (no length field: the framer derives each length)
    seeds.put("built-v1-session", concat(LegacyVersionsTest.session(1).toArray(new byte[0][])));
    seeds.put("built-v2-session", concat(LegacyVersionsTest.session(2).toArray(new byte[0][])));

    // BMP version 4: every Route Monitoring TLV kind, the earlier numbering, Peer Down TLVs
    byte[] two = update(new byte[0], basicAttributes(), prefixes("10.0.0.0/24", "10.0.1.0/24"));
    seeds.put(
        "built-v4-session",
        concat(
            bmp4(INITIATION, tlv(2, "r4")),
            asV4(peerUp(p, "192.0.2.1", 179, 1000, sent, received)),
            routeMonitoring4(
                p,
                tlv4(1, 0, capAddPath(1, 1, 1)),
                group4(1, 1, 2),
                tlv4(3, 0, "vrf".getBytes(StandardCharsets.US_ASCII)),
                bgpPdu4(
                    update(
                        new byte[0],
                        basicAttributes(),
                        concat(prefix(1, "10.0.0.0/24"), prefix(2, "10.0.1.0/24")))),
                pathMarking4(0x8001, 0x0a, -1),
                pathMarking4(2, 0x4004, 3),
                tlv4(0x8001, 0, w().u32(32473).u16(1).toByteArray())),
            peerDown4(p, 2, w().u16(5).toByteArray(), tlv(3, "vrf"), tlv(0x8002, new byte[4]))));
    seeds.put(
        "built-v4-other-numbering",
        concat(
            routeMonitoring4(p, tlv4(4, 0, capAddPath(1, 1, 2)), tlv4(1, 0, two)),
            routeMonitoring4(p, tlv4(3, 0, new byte[1])),
            routeMonitoring4(p, bgpPdu4(two), bgpPdu4(two), pathMarking4(0, 0x800, 1))));
    for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    System.out.println(seeds.size() + " seeds written to " + dir);
  }
}
