package org.bmpexporter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.bmpexporter.bgp.encode.Attrs;
import org.bmpexporter.bgp.encode.Prefixes;
import org.bmpexporter.bgp.encode.UpdateEncoder;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.testing.BmpTestParser;
import org.bmpexporter.wire.PerPeerHeader;
import org.bmpexporter.wire.encode.BmpEncoder;
import org.bmpexporter.wire.encode.BmpEncoder.PeerHeader;
import org.bmpexporter.wire.encode.BmpEncoder.Stat;
import org.junit.jupiter.api.Test;

/** Byte-exact checks of the encoders against hand-assembled messages (RFC layouts). */
class EncoderTest {
  private static final String MARKER = "ffffffffffffffffffffffffffffffff";

  private static String hex(ByteWriter b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static Attrs simpleAttrs() {
    Attrs a = new Attrs();
    a.addAs(65001).addAs(4_200_000_001L);
    a.nextHopV4 = 0xc0000201; // 192.0.2.1
    byte[] nh = HexFormat.of().parseHex("20010db8000000000000000000000001");
    System.arraycopy(nh, 0, a.nextHopV6, 0, 16);
    return a;
  }

  @Test
  void endOfRibMarkers() {
    ByteWriter b = new ByteWriter();
    UpdateEncoder.endOfRibV4(b);
    assertThat(hex(b)).isEqualTo(MARKER + "0017" + "02" + "0000" + "0000");
    b.reset();
    UpdateEncoder.endOfRibV6(b);
    assertThat(hex(b)).isEqualTo(MARKER + "001d" + "02" + "0000" + "0006" + "800f03000201");
  }

  @Test
  void ipv4AnnouncementInTheClassicFields() {
    ByteWriter b = new ByteWriter();
    long[] keys = {Prefixes.v4(0xc6336400, 24)}; // 198.51.100.0/24
    int next = UpdateEncoder.announce(b, false, simpleAttrs(), keys, null, 0, 1);
    assertThat(next).isEqualTo(1);
    assertThat(hex(b))
        .isEqualTo(
            MARKER
                + "0033"
                + "02"
                + "0000"
                + "0018"
                + "40010100"
                + "40020a0202"
                + "0000fde9"
                + "fa56ea01"
                + "400304c0000201"
                + "18c63364");
  }

  @Test
  void ipv6AnnouncementInMpReachWithAddPath() {
    ByteWriter b = new ByteWriter();
    Attrs a = new Attrs();
    a.addAs(65001);
    System.arraycopy(simpleAttrs().nextHopV6, 0, a.nextHopV6, 0, 16);
    long[] keys = {Prefixes.v6(0x20010db800010000L, 48)};
    UpdateEncoder.announce(b, true, a, keys, new int[] {7}, 0, 1);
    assertThat(hex(b))
        .isEqualTo(
            MARKER
                + "0048"
                + "02"
                + "0000"
                + "0031"
                + "40010100"
                + "4002060201"
                + "0000fde9"
                + "900e0020"
                + "0002"
                + "01"
                + "10"
                + "20010db8000000000000000000000001"
                + "00"
                + "00000007"
                + "30"
                + "20010db80001");
  }

  @Test
  void withdrawals() {
    ByteWriter b = new ByteWriter();
    UpdateEncoder.withdraw(b, false, new long[] {Prefixes.v4(0xc6336400, 24)}, null, 0, 1);
    assertThat(hex(b)).isEqualTo(MARKER + "001b" + "02" + "0004" + "18c63364" + "0000");
    b.reset();
    UpdateEncoder.withdraw(b, true, new long[] {Prefixes.v6(0x20010db800010000L, 48)}, null, 0, 1);
    assertThat(hex(b))
        .isEqualTo(
            MARKER
                + "0025"
                + "02"
                + "0000"
                + "000e"
                + "900f000a"
                + "000201"
                + "30"
                + "20010db80001");
  }

  @Test
  void announcementsSplitAtThe4096OctetLimit() {
    Attrs a = simpleAttrs();
    long[] keys = new long[3000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Prefixes.v4(0x0b000000 + (i << 8), 24);
    }
    ByteWriter b = new ByteWriter();
    int messages = 0;
    int i = 0;
    while (i < keys.length) {
      int at = b.size();
      int next = UpdateEncoder.announce(b, false, a, keys, null, i, keys.length);
      int len = ((b.array()[at + 16] & 255) << 8) | (b.array()[at + 17] & 255);
      assertThat(len).isEqualTo(b.size() - at).isLessThanOrEqualTo(4096);
      // 4096 - 19 - 4 - 24 octets of attributes = 4049 octets of 4-octet NLRI: 1012 per message
      assertThat(next - i).isEqualTo(Math.min(1012, keys.length - i));
      i = next;
      messages++;
    }
    assertThat(messages).isEqualTo(3);
    BmpTestParser p = new BmpTestParser();
    ByteWriter bmp = new ByteWriter();
    int at = BmpEncoder.beginRouteMonitoring(bmp, PeerHeader.ipv4(0, 0xc0000201, 65001, 1), 0, 0);
    UpdateEncoder.announce(bmp, false, a, keys, null, 0, 500);
    BmpEncoder.end(bmp, at);
    p.feed(bmp.toByteArray());
    assertThat(p.peers.get("192.0.2.1").tables.get("adj_rib_in_pre/ipv4_unicast").routes)
        .hasSize(500)
        .contains("4 11.1.243.0/24");
  }

  @Test
  void openWithCapabilities() {
    byte[] o =
        UpdateEncoder.open(
            new UpdateEncoder.OpenSpec(65001, 0x0a000001L, 90, true, false, true, 0, false, false));
    assertThat(hex(o))
        .isEqualTo(
            MARKER
                + "002b"
                + "01"
                + "04"
                + "fde9"
                + "005a"
                + "0a000001"
                + "0e"
                + "020c"
                + "010400010001"
                + "41040000fde9");
    byte[] all =
        UpdateEncoder.open(
            new UpdateEncoder.OpenSpec(4_200_000_001L, 1, 180, true, true, true, 3, true, true));
    assertThat(hex(all))
        .startsWith(MARKER)
        .contains("5ba0" + "00b4" + "00000001")
        .contains(
            "010400010001"
                + "010400020001"
                + "0200"
                + "400a0078"
                + "00010180"
                + "00020180"
                + "4104fa56ea01"
                + "4508"
                + "00010103"
                + "00020103");
    assertThat(all.length).isEqualTo(((all[16] & 255) << 8) | (all[17] & 255));
  }

  @Test
  void bmpMessagesAndPerPeerHeader() {
    PeerHeader h = PeerHeader.ipv4(0, 0xc0000201, 65001, 0xc0000201L);
    ByteWriter b = new ByteWriter();
    BmpEncoder.termination(b, 0);
    assertThat(hex(b)).isEqualTo("030000000c05" + "00010002" + "0000");
    b.reset();
    BmpEncoder.initiation(b, "r1", "d");
    assertThat(hex(b)).isEqualTo("030000001104" + "00010001" + "64" + "00020002" + "7231");
    b.reset();
    BmpEncoder.peerDown(b, h, 0x11223344L, 3, UpdateEncoder.notification(6, 2, new byte[0]));
    String perPeer =
        "00"
            + "00"
            + "0000000000000000"
            + "000000000000000000000000c0000201"
            + "0000fde9"
            + "c0000201"
            + "11223344"
            + "00000000";
    assertThat(hex(b)).isEqualTo("0300000046" + "02" + perPeer + "03" + MARKER + "0015030602");
    b.reset();
    BmpEncoder.statisticsReport(
        b,
        h.withFlags(0),
        0x11223344L,
        Stat.counter32(0, 5),
        Stat.gauge64(7, 1L << 33),
        Stat.perAfi(9, 2, 1, 42));
    assertThat(hex(b))
        .isEqualTo(
            "0300000057"
                + "01"
                + perPeer
                + "00000003"
                + "00000004"
                + "00000005"
                + "00070008"
                + "0000000200000000"
                + "0009000b"
                + "0002"
                + "01"
                + "000000000000002a");
    b.reset();
    int at = BmpEncoder.beginRouteMonitoring(b, h, PerPeerHeader.FLAG_L, 0x11223344L);
    UpdateEncoder.endOfRibV4(b);
    BmpEncoder.end(b, at);
    assertThat(hex(b))
        .isEqualTo(
            "0300000047"
                + "00"
                + perPeer.replaceFirst("^0000", "0040")
                + MARKER
                + "0017020000"
                + "0000");
  }

  @Test
  void peerUpCarriesBothOpensAndTheTableNameTlv() {
    PeerHeader loc = PeerHeader.ipv4(3, 0, 65000, 0x0aff_ff01L);
    byte[] open =
        UpdateEncoder.open(
            new UpdateEncoder.OpenSpec(65000, 0x0aff_ff01L, 90, true, true, true, 3, true, true));
    ByteWriter b = new ByteWriter();
    BmpEncoder.peerUp(b, loc, 1, new byte[16], 0, 0, open, open, "global");
    BmpTestParser p = BmpTestParser.parse(b.toByteArray());
    assertThat(p.count("peer_up")).isEqualTo(1);
    BmpTestParser.Peer peer = p.peers.get("loc:0.0.0.0");
    assertThat(peer.type).isEqualTo(3);
    assertThat(peer.addPath).containsEntry(1, true).containsEntry(2, true);
    assertThat(hex(b))
        .endsWith("00030006" + hex("global".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @Test
  void prefixKeysAndText() {
    assertThat(Prefixes.text(false, Prefixes.v4(0xc6336400, 24))).isEqualTo("198.51.100.0/24");
    assertThat(Prefixes.text(true, Prefixes.v6(0x20010db8ffffffffL, 32)))
        .isEqualTo("2001:db8:0:0::/32");
    assertThat(Prefixes.nlriBytes(Prefixes.v6(0x2a00000000000000L, 29))).isEqualTo(5);
    assertThat(
            Labels.address16(HexFormat.of().parseHex("20010db8000000000000000000000001"), 0, true))
        .isEqualTo("2001:db8::1");
    assertThat(
            Labels.address16(HexFormat.of().parseHex("20010000000100000000000000000000"), 0, true))
        .isEqualTo("2001:0:1::");
    assertThat(Labels.routeDistinguisher(0x0000_fde9_0000_0064L)).isEqualTo("65001:100");
    assertThat(Labels.routeDistinguisher(0x0001_c000_0201_0007L)).isEqualTo("192.0.2.1:7");
  }
}
