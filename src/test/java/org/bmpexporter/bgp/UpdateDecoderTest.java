package org.bmpexporter.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;

import java.util.Arrays;
import java.util.List;
import org.bmpexporter.bgp.UpdateDecoder.Outcome;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.Quirk;
import org.bmpexporter.testing.Bmp.Peer;
import org.bmpexporter.wire.BmpDecoder;
import org.bmpexporter.wire.BmpMessage.RouteMonitoring;
import org.bmpexporter.wire.Deliveries;
import org.bmpexporter.wire.RecordingErrors;
import org.bmpexporter.wire.Rib;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden tests of the UPDATE walker per address family and per malformation. Each UPDATE is sent in
 * a Route Monitoring message through the framer in every split ({@link Deliveries}) and then
 * decoded by one shared {@link UpdateDecoder} (so state leaking from one UPDATE to the next would
 * show as a different result).
 */
class UpdateDecoderTest {

  record Result(
      List<String> events, List<DecodeError> errors, List<Quirk> quirks, Outcome outcome) {}

  private final UpdateDecoder decoder = new UpdateDecoder();

  private static final byte[] NH4 = ip("192.0.2.1");
  private static final byte[] NH6 = ip("2001:db8::1");

  Result decode(Peer peer, SessionFacts facts, byte[] update) {
    return Deliveries.decodeInEverySplit(
        routeMonitoring(peer, update),
        (b, off, len) -> {
          RecordingErrors errors = new RecordingErrors();
          RouteMonitoring rm = (RouteMonitoring) BmpDecoder.decode(b, off, len, errors);
          RecordingSink sink = new RecordingSink();
          byte[] u = rm.updateBytes();
          Outcome o =
              decoder.decode(
                  u,
                  0,
                  u.length,
                  rm.peer().rib().direction(),
                  facts,
                  rm.peer().legacyAsPath(),
                  sink,
                  errors);
          return new Result(sink.events, errors.errors, errors.quirks, o);
        });
  }

  Result decode(byte[] update) {
    return decode(peer(), SessionFacts.UNKNOWN, update);
  }

  /** Decodes the UPDATE directly, inside a larger buffer with junk before and after it. */
  Result decodeDirect(byte[] update, Rib rib, SessionFacts facts) {
    byte[] buf = new byte[update.length + 20];
    Arrays.fill(buf, (byte) 0x5a);
    System.arraycopy(update, 0, buf, 7, update.length);
    RecordingErrors errors = new RecordingErrors();
    RecordingSink sink = new RecordingSink();
    Outcome o =
        decoder.decode(buf, 7, update.length + 13, rib.direction(), facts, false, sink, errors);
    return new Result(sink.events, errors.errors, errors.quirks, o);
  }

  static BgpOpen openOf(byte[] open) {
    return BgpMessages.decodeOpen(open, 0, open.length);
  }

  /** Facts of a session whose OPENs carry these ADD-PATH modes for one family (0: none). */
  static SessionFacts addPathFacts(int afi, int safi, int sentMode, int receivedMode) {
    byte[] sent =
        sentMode == 0
            ? open(65001, 90, "192.0.2.1", capFourOctetAs(65001))
            : open(65001, 90, "192.0.2.1", capFourOctetAs(65001), capAddPath(afi, safi, sentMode));
    byte[] received =
        receivedMode == 0
            ? open(65002, 90, "192.0.2.2", capFourOctetAs(65002))
            : open(
                65002, 90, "192.0.2.2", capFourOctetAs(65002), capAddPath(afi, safi, receivedMode));
    return new SessionFacts(openOf(sent), openOf(received));
  }

  // ------------------------------------------------------------------ IPv4 / IPv6

  @Test
  void ipv4UnicastWithdrawnAndAnnounced() {
    Result r =
        decode(
            update(
                prefixes("10.9.0.0/16", "172.16.0.0/12"),
                basicAttributes(),
                prefixes(
                    "10.1.0.0/16", "192.168.1.0/24", "0.0.0.0/0", "10.1.2.3/32", "128.0.0.0/1")));
    assertThat(r.errors).isEmpty();
    assertThat(r.outcome).isEqualTo(Outcome.OK);
    assertThat(r.events)
        .containsExactly(
            "- ipv4 10.9.0.0/16",
            "- ipv4 172.16.0.0/12",
            "+ ipv4 10.1.0.0/16",
            "+ ipv4 192.168.1.0/24",
            "+ ipv4 0.0.0.0/0",
            "+ ipv4 10.1.2.3/32",
            "+ ipv4 128.0.0.0/1");
  }

  @Test
  void hostBitsPastThePrefixLengthAreNotPartOfTheKey() {
    // 10.1.255.0/20 on the wire (bits past /20 set): the route is 10.1.240.0/20
    byte[] nlri = hex("14 0a 01 ff");
    Result r = decode(update(new byte[0], basicAttributes(), nlri));
    assertThat(r.events).containsExactly("+ ipv4 10.1.240.0/20");
  }

  @Test
  void ipv6UnicastInMpReachAndMpUnreach() {
    byte[] linkLocal = concat(NH6, ip("fe80::1")); // 32-byte next hop
    Result r =
        decode(
            update(
                new byte[0],
                concat(
                    origin(0),
                    asPath4(65002),
                    mpReach(
                        2,
                        1,
                        linkLocal,
                        prefix("2001:db8:1::/48"),
                        prefix("2001:db8:2:3::/64"),
                        prefix("::/0"),
                        prefix("2001:db8::1/128")),
                    mpUnreach(2, 1, prefix("2001:db8:9::/48"))),
                new byte[0]));
    assertThat(r.errors).isEmpty();
    assertThat(r.events)
        .containsExactly(
            "- ipv6 2001:db8:9::/48",
            "+ ipv6 2001:db8:1::/48",
            "+ ipv6 2001:db8:2:3::/64",
            "+ ipv6 ::/0",
            "+ ipv6 2001:db8::1/128");
  }

  @Test
  void multicastFamilies() {
    Result r =
        decode(
            update(
                new byte[0],
                concat(basicAttributes(), mpReach(1, 2, NH4, prefix("232.1.0.0/16"))),
                new byte[0]));
    assertThat(r.events).containsExactly("+ ipv4-mc 232.1.0.0/16");
    Result r6 =
        decode(
            update(
                new byte[0],
                concat(basicAttributes(), mpUnreach(2, 2, prefix("ff3e::/32"))),
                new byte[0]));
    assertThat(r6.events).containsExactly("- ipv6-mc ff3e::/32");
    assertThat(r.errors).isEmpty();
    assertThat(r6.errors).isEmpty();
  }

  // ------------------------------------------------------------------ labeled, VPN

  @Test
  void labeledUnicastKeysExcludeTheLabels() {
    Result r =
        decode(
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(
                        1,
                        4,
                        NH4,
                        labeled("10.1.0.0/16", bos(100)),
                        labeled("10.2.0.0/16", 200 << 4, bos(300)))), // two-label stack
                new byte[0]));
    assertThat(r.errors).isEmpty();
    assertThat(r.events).containsExactly("+ ipv4-lu 10.1.0.0/16", "+ ipv4-lu 10.2.0.0/16");
    // RFC 8277 withdrawal label 0x800000, and the all-zero label some routers send
    Result w =
        decode(
            update(
                new byte[0],
                mpUnreach(1, 4, labeled("10.1.0.0/16", 0x800000), labeled("10.2.0.0/16", 0)),
                new byte[0]));
    assertThat(w.errors).isEmpty();
    assertThat(w.events).containsExactly("- ipv4-lu 10.1.0.0/16", "- ipv4-lu 10.2.0.0/16");
    Result v6 =
        decode(
            update(
                new byte[0],
                concat(basicAttributes(), mpReach(2, 4, NH6, labeled("2001:db8:5::/48", bos(16)))),
                new byte[0]));
    assertThat(v6.events).containsExactly("+ ipv6-lu 2001:db8:5::/48");
  }

  @Test
  void labeledPrefixLongerThanTheAddressIsMalformed() {
    // 24 label bits + 33 prefix bits
    byte[] bad = w().u8(24 + 33).u24(bos(5)).bytes(new byte[5]).toByteArray();
    Result r =
        decode(
            update(new byte[0], concat(basicAttributes(), mpReach(1, 4, NH4, bad)), new byte[0]));
    assertThat(r.events).isEmpty();
    assertThat(r.errors).containsExactly(DecodeError.MALFORMED_NLRI);
  }

  @Test
  void vpnPrefixesKeyOnRouteDistinguisherAndPrefixNotLabels() {
    byte[] vpnNh = concat(new byte[8], NH4); // RD 0 + IPv4
    Result r =
        decode(
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(
                        1,
                        128,
                        vpnNh,
                        labeledVpn(rd0(65000, 1), "10.0.0.0/24", bos(16)),
                        labeledVpn(rd1("192.0.2.1", 7), "10.0.1.0/24", bos(17)),
                        labeledVpn(rd0(65000, 2), "10.0.0.0/24", bos(18)))),
                new byte[0]));
    assertThat(r.errors).isEmpty();
    assertThat(r.events)
        .containsExactly(
            "+ vpnv4 65000:1 10.0.0.0/24",
            "+ vpnv4 192.0.2.1:7 10.0.1.0/24",
            "+ vpnv4 65000:2 10.0.0.0/24");
    Result w =
        decode(
            update(
                new byte[0],
                mpUnreach(1, 128, labeledVpn(rd0(65000, 1), "10.0.0.0/24", 0x800000)),
                new byte[0]));
    assertThat(w.events).containsExactly("- vpnv4 65000:1 10.0.0.0/24");
    Result v6 =
        decode(
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(
                        2,
                        128,
                        concat(new byte[8], NH6),
                        labeledVpn(rd0(65000, 1), "2001:db8:a::/48", bos(99)))),
                new byte[0]));
    assertThat(v6.events).containsExactly("+ vpnv6 65000:1 2001:db8:a::/48");
    assertThat(v6.errors).isEmpty();
  }

  // ------------------------------------------------------------------ EVPN

  static final byte[] RD = rd0(65000, 10);
  static final byte[] TAG = w().u32(100).toByteArray();
  static final byte[] MAC = hex("00 11 22 33 44 55");

  static byte[] evpnAd(int esiLast, int label) {
    return evpn(1, concat(RD, esi(esiLast), TAG, w().u24(label).toByteArray()));
  }

  static byte[] evpnMacIp(int esiLast, byte[] mac, byte[] ipAddr, int... labels) {
    ByteWriter v =
        w().bytes(RD, esi(esiLast), TAG).u8(48).bytes(mac).u8(ipAddr.length * 8).bytes(ipAddr);
    for (int l : labels) {
      v.u24(l);
    }
    return evpn(2, v.toByteArray());
  }

  static byte[] evpnImet(String ipAddr) {
    return evpn(3, concat(RD, TAG, w().u8(32).toByteArray(), ip(ipAddr)));
  }

  static byte[] evpnEs(int esiLast, String ipAddr) {
    return evpn(4, concat(RD, esi(esiLast), w().u8(32).toByteArray(), ip(ipAddr)));
  }

  static byte[] evpnIpPrefix(int esiLast, String prefixAddr, int bits, String gateway, int label) {
    return evpn(
        5,
        concat(
            RD,
            esi(esiLast),
            TAG,
            w().u8(bits).toByteArray(),
            ip(prefixAddr),
            ip(gateway),
            w().u24(label).toByteArray()));
  }

  Result evpnUpdate(boolean announce, byte[]... nlri) {
    byte[] attrs =
        announce ? concat(basicAttributes(), mpReach(25, 70, NH4, nlri)) : mpUnreach(25, 70, nlri);
    return decode(update(new byte[0], attrs, new byte[0]));
  }

  @Test
  void evpnRouteTypes1To5WithKeysThatExcludeLabels() {
    Result a =
        evpnUpdate(
            true,
            evpnAd(1, bos(100)),
            evpnMacIp(1, MAC, ip("10.0.0.5"), bos(200)),
            evpnImet("192.0.2.1"),
            evpnEs(1, "192.0.2.1"),
            evpnIpPrefix(0, "10.10.0.0", 16, "0.0.0.0", bos(300)));
    // the same routes with other labels, ESI (types 2 and 5) and gateway (type 5)
    Result w =
        evpnUpdate(
            false,
            evpnAd(1, 0),
            evpnMacIp(9, MAC, ip("10.0.0.5"), 0, 0),
            evpnImet("192.0.2.1"),
            evpnEs(1, "192.0.2.1"),
            evpnIpPrefix(7, "10.10.0.0", 16, "192.0.2.99", 0));
    assertThat(a.errors).isEmpty();
    assertThat(w.errors).isEmpty();
    assertThat(a.events).hasSize(5).allMatch(e -> e.startsWith("+ evpn "));
    assertThat(w.events).hasSize(5).allMatch(e -> e.startsWith("- evpn "));
    for (int i = 0; i < 5; i++) {
      assertThat(w.events.get(i).substring(2))
          .as("route type %d", i + 1)
          .isEqualTo(a.events.get(i).substring(2));
    }
    // type 2 key: route type, RD, Ethernet tag, MAC length, MAC, IP length, IP (RFC 7432 7.2)
    assertThat(a.events.get(1))
        .isEqualTo(
            "+ evpn 02" + toHex(RD) + "00000064" + "30" + "001122334455" + "20" + "0a000005");
    // type 5 key: route type, RD, Ethernet tag, prefix length, prefix (RFC 9136 3.1)
    assertThat(a.events.get(4)).isEqualTo("+ evpn 05" + toHex(RD) + "00000064" + "10" + "0a0a0000");
  }

  @Test
  void evpnRoutesThatDifferInTheirKeyFieldsHaveDifferentKeys() {
    Result r =
        evpnUpdate(
            true,
            evpnMacIp(1, MAC, ip("10.0.0.5"), bos(1)),
            evpnMacIp(1, hex("00 11 22 33 44 56"), ip("10.0.0.5"), bos(1)),
            evpnMacIp(1, MAC, new byte[0], bos(1)),
            evpnMacIp(1, MAC, ip("2001:db8::5"), bos(1)),
            evpnAd(1, bos(1)),
            evpnAd(2, bos(1)));
    assertThat(r.errors).isEmpty();
    assertThat(r.events).doesNotHaveDuplicates().hasSize(6);
  }

  // ------------------------------------------------------------------ VPLS, flowspec, BGP-LS

  static byte[] vpls(int veId, int labelBase) {
    byte[] v =
        concat(rd0(65000, 5), w().u16(veId).u16(1).u16(10).u24(bos(labelBase)).toByteArray());
    return w().u16(v.length).bytes(v).toByteArray();
  }

  @Test
  void vplsKeysExcludeTheLabelBase() {
    Result a =
        decode(
            update(
                new byte[0],
                concat(basicAttributes(), mpReach(25, 65, NH4, vpls(1, 1000), vpls(2, 1000))),
                new byte[0]));
    Result w = decode(update(new byte[0], mpUnreach(25, 65, vpls(1, 2000)), new byte[0]));
    assertThat(a.errors).isEmpty();
    assertThat(w.errors).isEmpty();
    // key: RD, VE ID, VE block offset, VE block size
    String key1 = toHex(rd0(65000, 5)) + "0001" + "0001" + "000a";
    assertThat(a.events)
        .containsExactly(
            "+ vpls " + key1, "+ vpls " + toHex(rd0(65000, 5)) + "0002" + "0001" + "000a");
    assertThat(w.events).containsExactly("- vpls " + key1);
  }

  @Test
  void flowspecWithOneAndTwoByteLengths() {
    byte[] small = hex("01 18 0a 00 01 03 81 06"); // dst 10.0.1.0/24, protocol == 6
    byte[] at239 = new byte[239];
    byte[] at240 = new byte[240];
    byte[] large = new byte[300];
    Arrays.fill(at239, (byte) 1);
    Arrays.fill(at240, (byte) 2);
    Arrays.fill(large, (byte) 3);
    Result r =
        decode(
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    mpReach(
                        1,
                        133,
                        new byte[0],
                        flowspec(small),
                        flowspec(at239),
                        flowspec(at240),
                        flowspec(large))),
                new byte[0]));
    assertThat(r.errors).isEmpty();
    assertThat(r.events)
        .containsExactly(
            "+ flow4 " + toHex(small),
            "+ flow4 " + toHex(at239),
            "+ flow4 " + toHex(at240),
            "+ flow4 " + toHex(large));
    // the length encodings themselves: 0xef (1 byte), 0xf0f0 and 0xf12c (2 bytes)
    assertThat(flowspec(at239)[0] & 0xff).isEqualTo(0xef);
    assertThat(toHex(flowspec(at240), 0, 2)).isEqualTo("f0f0");
    assertThat(toHex(flowspec(large), 0, 2)).isEqualTo("f12c");
    Result w = decode(update(new byte[0], mpUnreach(2, 133, flowspec(small)), new byte[0]));
    assertThat(w.events).containsExactly("- flow6 " + toHex(small));
  }

  @Test
  void bgpLsNlriAreKeyedOnTheirBytes() {
    byte[] node = w().u16(1).u16(9).u8(3).u64(0).toByteArray(); // node NLRI: protocol, identifier
    byte[] link = w().u16(2).u16(12).u8(3).u64(0).u24(7).toByteArray();
    Result r =
        decode(
            update(
                new byte[0],
                concat(basicAttributes(), mpReach(16388, 71, NH4, node, link)),
                new byte[0]));
    assertThat(r.errors).isEmpty();
    assertThat(r.events).containsExactly("+ bgp-ls " + toHex(node), "+ bgp-ls " + toHex(link));
  }

  // ------------------------------------------------------------------ End-of-RIB

  @Test
  void endOfRibMarkers() {
    Result v4 = decode(endOfRibIpv4());
    assertThat(v4.events).containsExactly("EoR ipv4");
    assertThat(v4.errors).isEmpty();
    Result v6 = decode(update(new byte[0], mpUnreach(2, 1), new byte[0]));
    assertThat(v6.events).containsExactly("EoR ipv6");
    Result vpn = decode(update(new byte[0], mpUnreach(1, 128), new byte[0]));
    assertThat(vpn.events).containsExactly("EoR vpnv4");
    assertThat(vpn.errors).isEmpty();
  }

  @Test
  void anUpdateWithOnlyAttributesIsNotAnEndOfRib() {
    Result r = decode(update(new byte[0], basicAttributes(), new byte[0]));
    assertThat(r.events).isEmpty();
    assertThat(r.errors).isEmpty();
  }

  // ------------------------------------------------------------------ ADD-PATH

  static final byte[] WITH_PATH_IDS = concat(prefix(1, "10.1.0.0/16"), prefix(2, "192.0.2.0/24"));
  static final byte[] WITHOUT_PATH_IDS = prefixes("10.1.0.0/16", "192.0.2.0/24");
  static final List<String> ROUTES_WITH_IDS =
      List.of("+ ipv4 #1 10.1.0.0/16", "+ ipv4 #2 192.0.2.0/24");
  static final List<String> ROUTES_WITHOUT_IDS =
      List.of("+ ipv4 10.1.0.0/16", "+ ipv4 192.0.2.0/24");

  @ParameterizedTest(name = "sent {0} received {1} rib {2}: path ids {3}")
  @CsvSource({
    // router can receive (1) + peer can send (2): Adj-RIB-In has path ids, Adj-RIB-Out not
    "1, 2, ADJ_RIB_IN_PRE,   true",
    "1, 2, ADJ_RIB_IN_POST,  true",
    "1, 2, LOC_RIB,          true",
    "1, 2, ADJ_RIB_OUT_PRE,  false",
    "1, 2, ADJ_RIB_OUT_POST, false",
    // router can send (2) + peer can receive (1): the other way round
    "2, 1, ADJ_RIB_IN_PRE,   false",
    "2, 1, ADJ_RIB_OUT_PRE,  true",
    "2, 1, ADJ_RIB_OUT_POST, true",
    // both ways
    "3, 3, ADJ_RIB_IN_PRE,   true",
    "3, 3, ADJ_RIB_OUT_POST, true",
    // both only receive, or one side silent: no path ids anywhere
    "1, 1, ADJ_RIB_IN_PRE,   false",
    "1, 1, ADJ_RIB_OUT_PRE,  false",
    "3, 0, ADJ_RIB_IN_PRE,   false",
    "0, 3, ADJ_RIB_OUT_PRE,  false"
  })
  void addPathPerFamilyAndDirection(int sentMode, int receivedMode, Rib rib, boolean pathIds) {
    SessionFacts facts = addPathFacts(1, 1, sentMode, receivedMode);
    assertThat(facts.addPath(0x0101, rib.direction())).isEqualTo(pathIds);
    assertThat(facts.addPath(0x0201, rib.direction())).isFalse(); // other family: never
    Peer peer = peerFor(rib);
    Result r =
        decode(
            peer,
            facts,
            update(new byte[0], basicAttributes(), pathIds ? WITH_PATH_IDS : WITHOUT_PATH_IDS));
    assertThat(r.errors).isEmpty();
    assertThat(r.events).isEqualTo(pathIds ? ROUTES_WITH_IDS : ROUTES_WITHOUT_IDS);
  }

  static Peer peerFor(Rib rib) {
    switch (rib) {
      case ADJ_RIB_IN_PRE:
        return peer();
      case ADJ_RIB_IN_POST:
        return peer().flags(0x40);
      case ADJ_RIB_OUT_PRE:
        return peer().flags(0x10);
      case ADJ_RIB_OUT_POST:
        return peer().flags(0x50);
      default:
        return peer().type(3);
    }
  }

  @Test
  void addPathIsPerFamily() {
    // ADD-PATH negotiated for IPv6 only: IPv4 NLRI carry no path ids, IPv6 MP_REACH NLRI do
    SessionFacts facts = addPathFacts(2, 1, 1, 2);
    Result r =
        decode(
            peer(),
            facts,
            update(
                new byte[0],
                concat(basicAttributes(), mpReach(2, 1, NH6, prefix(5, "2001:db8::/32"))),
                prefixes("10.1.0.0/16")));
    assertThat(r.errors).isEmpty();
    assertThat(r.events).containsExactly("+ ipv6 #5 2001:db8::/32", "+ ipv4 10.1.0.0/16");
  }

  @Test
  void addPathNegotiatedButAbsentIsAQuirkAndParsedCorrectly() {
    SessionFacts facts = addPathFacts(1, 1, 1, 2);
    Result r = decode(peer(), facts, update(new byte[0], basicAttributes(), WITHOUT_PATH_IDS));
    assertThat(r.errors).isEmpty();
    assertThat(r.quirks).containsExactly(Quirk.ADJ_RIB_IN_ADDPATH_ABSENT);
    assertThat(r.events).isEqualTo(ROUTES_WITHOUT_IDS);
  }

  @Test
  void addPathPresentButNotNegotiatedIsAQuirkAndParsedCorrectly() {
    SessionFacts facts = addPathFacts(1, 1, 0, 0);
    Result r = decode(peer(), facts, update(new byte[0], basicAttributes(), WITH_PATH_IDS));
    assertThat(r.errors).isEmpty();
    assertThat(r.quirks).containsExactly(Quirk.ADJ_RIB_IN_ADDPATH_UNDECLARED);
    assertThat(r.events).isEqualTo(ROUTES_WITH_IDS);
    // one mode per family for the whole UPDATE: withdrawn routes and NLRI decided together
    Result two =
        decode(peer(), facts, update(prefix(9, "10.9.0.0/16"), basicAttributes(), WITH_PATH_IDS));
    assertThat(two.errors).isEmpty();
    assertThat(two.quirks).containsExactly(Quirk.ADJ_RIB_IN_ADDPATH_UNDECLARED);
    assertThat(two.events.get(0)).isEqualTo("- ipv4 #9 10.9.0.0/16");
  }

  @Test
  void withoutAPeerUpPathIdsAreDetectedWithoutCountingAMismatch() {
    Result r =
        decode(peer(), SessionFacts.UNKNOWN, update(new byte[0], basicAttributes(), WITH_PATH_IDS));
    assertThat(r.errors).isEmpty();
    assertThat(r.events).isEqualTo(ROUTES_WITH_IDS);
  }

  // ------------------------------------------------------------------ allocation

  @Test
  void walkingUpdatesAllocatesNothingPerUpdateOrPerNlri() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
    byte[] nh = ip("192.0.2.1");
    byte[][] updates = {
      update(new byte[0], basicAttributes(), prefixes("10.1.0.0/16")),
      update(prefixes("10.9.0.0/16"), basicAttributes(), prefixes("10.1.0.0/16", "10.2.0.0/24")),
      update(
          new byte[0],
          concat(basicAttributes(), mpReach(2, 1, NH6, prefix("2001:db8::/32"))),
          new byte[0]),
      update(new byte[0], mpUnreach(2, 1, prefix("2001:db8::/32")), new byte[0]),
      update(
          new byte[0],
          concat(basicAttributes(), mpReach(1, 4, nh, labeled("10.3.0.0/16", bos(3)))),
          new byte[0]),
      update(
          new byte[0],
          concat(
              basicAttributes(),
              mpReach(
                  1, 128, concat(new byte[8], nh), labeledVpn(rd0(1, 1), "10.4.0.0/16", bos(4)))),
          new byte[0]),
      update(
          new byte[0],
          concat(basicAttributes(), mpReach(25, 70, nh, evpnAd(1, bos(1)))),
          new byte[0]),
    };
    // known OPENs (the benchmark's case) with and without ADD-PATH (for a family not walked here,
    // so that no UPDATE is an ADD-PATH mismatch: an error's text may allocate), and no Peer Up
    AddPathModes[] facts = {
      AddPathModes.of(addPathFacts(1, 1, 0, 0), AddPathModes.RibKind.ADJ_RIB_IN),
      AddPathModes.of(addPathFacts(1, 2, 3, 3), AddPathModes.RibKind.ADJ_RIB_IN),
      AddPathModes.of(SessionFacts.UNKNOWN, AddPathModes.RibKind.ADJ_RIB_IN)
    };
    NlriSink sink =
        new NlriSink() {
          @Override
          public void route(
              int family, boolean announce, long pathId, byte[] key, int off, int len) {}

          @Override
          public void endOfRib(int family) {}
        };
    int[] errors = {0};
    org.bmpexporter.codec.ErrorListener none = (e, d) -> errors[0]++;
    Runnable all =
        () -> {
          for (int i = 0; i < 3000; i++) {
            for (AddPathModes f : facts) {
              for (byte[] u : updates) {
                decoder.decode(u, 0, u.length, f, false, sink, none);
              }
            }
          }
        };
    all.run(); // warm
    long before = threads.getCurrentThreadAllocatedBytes();
    all.run(); // 63 000 UPDATEs
    long used = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(errors[0]).isZero();
    assertThat(used).as("bytes allocated walking 63 000 UPDATEs").isLessThan(4096);
  }

  // ------------------------------------------------------------------ malformations

  @Test
  void malformedAsPathMakesTheUpdateAWithdrawal() {
    byte[] badAsPath = attr(0x40, 2, hex("09 01 0000fde9")); // segment type 9
    byte[] attrs =
        concat(
            origin(0),
            badAsPath,
            nextHop("192.0.2.1"),
            mpReach(2, 1, NH6, prefix("2001:db8:1::/48")),
            mpUnreach(2, 1, prefix("2001:db8:9::/48")));
    Result r = decode(update(prefixes("10.9.0.0/16"), attrs, prefixes("10.1.0.0/16")));
    assertThat(r.outcome).isEqualTo(Outcome.TREAT_AS_WITHDRAW);
    assertThat(r.errors).containsExactly(DecodeError.TREAT_AS_WITHDRAW);
    assertThat(r.events)
        .containsExactly(
            "- ipv4 10.9.0.0/16",
            "- ipv6 2001:db8:9::/48",
            "- ipv6 2001:db8:1::/48",
            "- ipv4 10.1.0.0/16");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "AS_PATH segment count 0,         40 02 02 0200",
    "AS_PATH segment overruns,        40 02 06 0203 0000fde9",
    "AS_PATH trailing byte,           40 02 07 0201 0000fde9 00",
    "ORIGIN of 2 bytes,               40 01 02 0000",
    "NEXT_HOP of 5 bytes,             40 03 05 c000020100",
    "MED of 3 bytes,                  80 04 03 000001",
    "LOCAL_PREF of 8 bytes,           40 05 08 0000000000000064",
    "attribute overruns the field,    c0 08 09 fde90001",
    "truncated attribute header,      c0 08"
  })
  void malformedAttributesMakeTheUpdateAWithdrawal(String what, String attributeHex) {
    byte[] bad = hex(attributeHex);
    int badCode = bad[1] & 0xff;
    // the usual ORIGIN, AS_PATH, NEXT_HOP, except the one replaced by the bad attribute
    byte[] attrs = new byte[0];
    for (byte[] a : List.of(origin(0), asPath4(65001), nextHop("192.0.2.1"))) {
      if ((a[1] & 0xff) != badCode) {
        attrs = concat(attrs, a);
      }
    }
    attrs = concat(attrs, bad);
    Result r = decode(update(new byte[0], attrs, prefixes("10.1.0.0/16", "10.2.0.0/16")));
    assertThat(r.outcome).isEqualTo(Outcome.TREAT_AS_WITHDRAW);
    assertThat(r.errors).containsExactly(DecodeError.TREAT_AS_WITHDRAW);
    assertThat(r.events).containsExactly("- ipv4 10.1.0.0/16", "- ipv4 10.2.0.0/16");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // RFC 7606 7.8, 7.9, 7.10, 7.14 and RFC 8092 5: lengths that are not whole values
    "COMMUNITIES of 9 bytes,               c0 08 09 fde90001fde9000200",
    "COMMUNITIES of 0 bytes,               c0 08 00",
    "ORIGINATOR_ID of 5 bytes,             80 09 05 c000020100",
    "CLUSTER_LIST of 6 bytes,              80 0a 06 c0000201 0000",
    "EXTENDED_COMMUNITIES of 7 bytes,      c0 10 07 00020000000001",
    "LARGE_COMMUNITY of 11 bytes,          c0 20 0b 0000fde9 00000001 000000"
  })
  void attributesWithPartialValuesMakeTheUpdateAWithdrawal(String what, String attributeHex) {
    byte[] attrs = concat(basicAttributes(), hex(attributeHex), localPref(100));
    Result r = decode(update(new byte[0], attrs, prefixes("10.1.0.0/16")));
    assertThat(r.errors).containsExactly(DecodeError.TREAT_AS_WITHDRAW);
    assertThat(r.events).containsExactly("- ipv4 10.1.0.0/16");
    // and the same attributes with whole values are fine
    Result ok =
        decode(
            update(
                new byte[0],
                concat(
                    basicAttributes(),
                    hex(
                        "c0 08 08 fde90001fde90002 80 09 04 c0000201 80 0a 08 c0000201c0000202"
                            + " c0 10 08 0002000000000001 c0 20 0c 0000fde9 00000001 00000002")),
                prefixes("10.1.0.0/16")));
    assertThat(ok.errors).isEmpty();
    assertThat(ok.events).containsExactly("+ ipv4 10.1.0.0/16");
  }

  @Test
  void mpReachWithANextHopLengthThatIsNoAddressIsSkipped() {
    // RFC 7606 7.11: an inconsistent next hop length makes MP_REACH malformed. Next hops are 0
    // (flowspec, IOS XR Loc-RIB), 4, 8, 12, 16, 24, 32 or 48 bytes: a length that is not a
    // multiple of 4 means the NLRI start is unknown.
    byte[] nlri = prefix("2001:db8:1::/48");
    byte[] odd =
        attr(
            0x90,
            14,
            w().u16(2)
                .u8(1)
                .u8(15)
                .bytes(java.util.Arrays.copyOf(NH6, 15))
                .u8(0)
                .bytes(nlri)
                .toByteArray());
    Result r = decode(update(new byte[0], concat(basicAttributes(), odd), prefixes("10.1.0.0/16")));
    assertThat(r.errors).containsExactly(DecodeError.MALFORMED_UPDATE);
    assertThat(r.events).containsExactly("+ ipv4 10.1.0.0/16");
    for (int len : new int[] {0, 4, 8, 12, 16, 24, 32, 48}) {
      byte[] ok =
          attr(
              0x90,
              14,
              w().u16(2).u8(1).u8(len).bytes(new byte[len]).u8(0).bytes(nlri).toByteArray());
      Result good = decode(update(new byte[0], concat(basicAttributes(), ok), new byte[0]));
      assertThat(good.errors).as("next hop length %d", len).isEmpty();
      assertThat(good.events).containsExactly("+ ipv6 2001:db8:1::/48");
    }
  }

  @Test
  void duplicateMpReachMakesTheUpdateAWithdrawal() {
    byte[] attrs =
        concat(
            basicAttributes(),
            mpReach(2, 1, NH6, prefix("2001:db8:1::/48")),
            mpReach(2, 1, NH6, prefix("2001:db8:2::/48")));
    Result r = decode(update(new byte[0], attrs, new byte[0]));
    assertThat(r.errors).containsExactly(DecodeError.TREAT_AS_WITHDRAW);
    assertThat(r.events).containsExactly("- ipv6 2001:db8:1::/48");
  }

  @Test
  void legacyTwoOctetAsPathIsValidWithTheAFlag() {
    byte[] attrs = concat(origin(0), asPath2(65001, 65002), nextHop("192.0.2.1"));
    Result a =
        decode(
            peer().flags(0x20),
            SessionFacts.UNKNOWN,
            update(new byte[0], attrs, prefixes("10.1.0.0/16")));
    assertThat(a.errors).isEmpty();
    assertThat(a.events).containsExactly("+ ipv4 10.1.0.0/16");
    // an empty AS_PATH (iBGP-originated) is valid too
    Result empty =
        decode(
            update(
                new byte[0],
                concat(origin(0), attr(0x40, 2, new byte[0]), nextHop("192.0.2.1")),
                prefixes("10.1.0.0/16")));
    assertThat(empty.errors).isEmpty();
    assertThat(a.quirks).isEmpty();
    assertThat(empty.quirks).isEmpty();
  }

  @Test
  void twoOctetAsPathWithoutTheAFlagIsAQuirk() {
    // FRR 8.0.1's Loc-RIB: AS_PATH "02 02 fde9 fdea" (sequence of 2 two-octet ASNs) while the
    // A flag says 4-octet; it does not parse with 4-octet ASNs (the 2 ASNs need 8 bytes, 4 left)
    byte[] attrs = concat(origin(0), asPath2(65001, 65002), nextHop("192.0.2.1"));
    Result r =
        decode(peer(), SessionFacts.UNKNOWN, update(new byte[0], attrs, prefixes("10.1.0.0/16")));
    assertThat(r.errors).isEmpty();
    assertThat(r.quirks).containsExactly(Quirk.AS_PATH_WIDTH);
    assertThat(r.events).containsExactly("+ ipv4 10.1.0.0/16");
    // and 4-octet ASNs with the A flag set: "02 01 0000fde9" read as 2-octet is 6 bytes short
    Result four =
        decode(
            peer().flags(0x20),
            SessionFacts.UNKNOWN,
            update(
                new byte[0],
                concat(origin(0), asPath4(65001), nextHop("192.0.2.1")),
                prefixes("10.1.0.0/16")));
    assertThat(four.errors).isEmpty();
    assertThat(four.quirks).containsExactly(Quirk.AS_PATH_WIDTH);
  }

  @Test
  void pathAttributesLengthOverrunningTheUpdateKeepsOnlyTheWithdrawnRoutes() {
    byte[] withdrawn = prefixes("10.9.0.0/16");
    byte[] attrs = basicAttributes();
    byte[] nlri = prefixes("10.1.0.0/16");
    byte[] body =
        w().u16(withdrawn.length)
            .bytes(withdrawn)
            .u16(attrs.length + nlri.length + 1)
            .bytes(attrs, nlri)
            .toByteArray();
    Result r = decode(bgp(BGP_UPDATE, body));
    assertThat(r.outcome).isEqualTo(Outcome.MALFORMED);
    assertThat(r.errors).containsExactly(DecodeError.MALFORMED_UPDATE);
    assertThat(r.events).containsExactly("- ipv4 10.9.0.0/16");
  }

  @Test
  void withdrawnRoutesLengthOverrunningTheUpdateYieldsNothing() {
    byte[] body = w().u16(100).bytes(prefixes("10.9.0.0/16")).u16(0).toByteArray();
    Result r = decode(bgp(BGP_UPDATE, body));
    assertThat(r.outcome).isEqualTo(Outcome.MALFORMED);
    assertThat(r.errors).containsExactly(DecodeError.MALFORMED_UPDATE);
    assertThat(r.events).isEmpty();
  }

  @Test
  void notAnUpdateOrTooShortOrBadHeaderIsMalformed() {
    assertThat(decodeDirect(keepalive(), Rib.ADJ_RIB_IN_PRE, SessionFacts.UNKNOWN).errors)
        .containsExactly(DecodeError.MALFORMED_UPDATE);
    assertThat(
            decodeDirect(bgp(BGP_UPDATE, new byte[3]), Rib.ADJ_RIB_IN_PRE, SessionFacts.UNKNOWN)
                .errors)
        .containsExactly(DecodeError.MALFORMED_UPDATE);
    byte[] badMarker = endOfRibIpv4();
    badMarker[0] = 0;
    Result r = decodeDirect(badMarker, Rib.ADJ_RIB_IN_PRE, SessionFacts.UNKNOWN);
    assertThat(r.outcome).isEqualTo(Outcome.MALFORMED);
    assertThat(r.events).isEmpty();
  }

  @Test
  void anUpdateInsideALargerBufferIsBoundedByItsBgpLength() {
    Result r =
        decodeDirect(
            update(new byte[0], basicAttributes(), prefixes("10.1.0.0/16")),
            Rib.ADJ_RIB_IN_PRE,
            SessionFacts.UNKNOWN);
    assertThat(r.errors).isEmpty();
    assertThat(r.events).containsExactly("+ ipv4 10.1.0.0/16");
  }

  @Test
  void unknownAfiSafiIsSkippedAndCountedWhileTheRestIsKept() {
    byte[] attrs =
        concat(
            basicAttributes(), mpReach(1, 5, NH4, hex("0102030405")), mpUnreach(3, 1, hex("0a0b")));
    Result r = decode(update(new byte[0], attrs, prefixes("10.1.0.0/16")));
    assertThat(r.errors)
        .containsExactly(DecodeError.UNKNOWN_AFI_SAFI, DecodeError.UNKNOWN_AFI_SAFI);
    assertThat(r.events).containsExactly("+ ipv4 10.1.0.0/16");
    assertThat(r.outcome).isEqualTo(Outcome.OK);
  }

  @Test
  void anUnparsableNlriFieldIsSkippedWhole() {
    // 10.1.0.0/16, then a /33 (parses neither with nor without path identifiers)
    byte[] nlri = concat(prefixes("10.1.0.0/16"), hex("21 0a 00 00 01 00"));
    Result r = decode(update(new byte[0], basicAttributes(), nlri));
    assertThat(r.errors).containsExactly(DecodeError.MALFORMED_NLRI);
    assertThat(r.events).isEmpty();
    // a truncated last prefix in MP_REACH: the MP_REACH field is skipped, the NLRI field kept
    byte[] cut = hex("30 20 01 0d");
    Result m =
        decode(
            update(
                new byte[0],
                concat(basicAttributes(), mpReach(2, 1, NH6, cut)),
                prefixes("10.2.0.0/16")));
    assertThat(m.errors).containsExactly(DecodeError.MALFORMED_NLRI);
    assertThat(m.events).containsExactly("+ ipv4 10.2.0.0/16");
  }

  @Test
  void mpReachShorterThanItsNextHopIsMalformed() {
    byte[] attrs = concat(basicAttributes(), attr(0x80, 14, hex("0002 01 10 2001")));
    Result r = decode(update(new byte[0], attrs, prefixes("10.1.0.0/16")));
    assertThat(r.errors).containsExactly(DecodeError.MALFORMED_UPDATE);
    assertThat(r.events).containsExactly("+ ipv4 10.1.0.0/16");
    Result u =
        decode(
            update(
                new byte[0], concat(basicAttributes(), attr(0x80, 15, hex("0002"))), new byte[0]));
    assertThat(u.errors).containsExactly(DecodeError.MALFORMED_UPDATE);
  }
}
