package org.bmpexporter.openbmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.openbmp.OpenBmpFormatException.Kind;
import org.bmpexporter.testing.Bmp;
import org.junit.jupiter.api.Test;

class OpenBmpRecordsTest {
  private static final byte[] INIT = Bmp.initiation("r1", "a router");
  private static final byte[] PEER_UP = Bmp.peerUp(Bmp.globalPeer("192.0.2.9", 65009));

  /**
   * A binary record written field by field from the documented layout, not by the encoder: magic,
   * 1, 7, header length, BMP length, flags, type, seconds, microseconds, collector hash, admin id,
   * router hash, router IP, router group, row count.
   */
  private static byte[] handBuilt(
      int flags, int type, String admin, byte[] ip16, String group, long rows, byte[] bmp) {
    byte[] a = admin.getBytes(StandardCharsets.UTF_8);
    byte[] g = group.getBytes(StandardCharsets.UTF_8);
    int headerLength = 78 + a.length + g.length;
    ByteWriter w = new ByteWriter();
    w.bytes("OBMP".getBytes(StandardCharsets.US_ASCII)).u8(1).u8(7).u16(headerLength);
    w.u32(bmp.length).u8(flags).u8(type).u32(1_700_000_000L).u32(250_000);
    w.fill(0xAA, 16); // collector hash
    w.u16(a.length).bytes(a);
    w.fill(0xBB, 16); // router hash: whatever it is, it is not used
    w.bytes(ip16);
    w.u16(g.length).bytes(g);
    w.u32(rows);
    assertThat(w.size()).isEqualTo(headerLength);
    w.bytes(bmp);
    return w.toByteArray();
  }

  private static byte[] ip16v4(int a, int b, int c, int d) {
    byte[] ip = new byte[16];
    ip[0] = (byte) a;
    ip[1] = (byte) b;
    ip[2] = (byte) c;
    ip[3] = (byte) d;
    return ip;
  }

  private static byte[] slice(OpenBmpRecord r) {
    return Arrays.copyOfRange(r.data(), r.bmpOffset(), r.bmpOffset() + r.bmpLength());
  }

  private static byte[] text(String header, byte[] bmp) {
    return Bmp.concat(header.getBytes(StandardCharsets.US_ASCII), bmp);
  }

  private static Kind errorOf(byte[] record) {
    return catchThrowableOfType(OpenBmpFormatException.class, () -> OpenBmpRecords.decode(record))
        .kind();
  }

  @Test
  void aBinaryRecordFromTheDocumentedLayoutDecodes() {
    byte[] rec = handBuilt(0x80, 12, "collector-1", ip16v4(192, 0, 2, 1), "core", 1, INIT);
    OpenBmpRecord r = OpenBmpRecords.decode(rec);
    assertThat(r.format()).isEqualTo(OpenBmpRecord.Format.BINARY);
    assertThat(r.isBmp()).isTrue();
    assertThat(r.collector()).isEqualTo("collector-1");
    assertThat(r.routerIp()).isEqualTo("192.0.2.1");
    assertThat(r.routerGroup()).isEqualTo("core");
    assertThat(r.collectorMicros()).isEqualTo(1_700_000_000_250_000L);
    assertThat(slice(r)).isEqualTo(INIT);
  }

  @Test
  void anIpv6RouterIsNamedInCanonicalForm() {
    byte[] ip = new byte[16];
    ip[0] = 0x20;
    ip[1] = 0x01;
    ip[2] = 0x0d;
    ip[3] = (byte) 0xb8;
    ip[15] = 1;
    OpenBmpRecord r = OpenBmpRecords.decode(handBuilt(0xC0, 12, "c", ip, "", 1, PEER_UP));
    assertThat(r.routerIp()).isEqualTo("2001:db8::1");
    assertThat(slice(r)).isEqualTo(PEER_UP);
  }

  @Test
  void theEncoderWritesTheDocumentedLayout() {
    byte[] bmp = Bmp.concat(new byte[3], PEER_UP, new byte[2]);
    byte[] rec =
        OpenBmpRecords.encodeBmpRaw(
            "collector-1",
            new byte[] {(byte) 198, 51, 100, 7},
            "",
            1_700_000_000_000_042L,
            bmp,
            3,
            PEER_UP.length);
    // the fixed fields at their offsets
    assertThat(new String(rec, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("OBMP");
    assertThat(rec[4]).isEqualTo((byte) 1);
    assertThat(rec[5]).isEqualTo((byte) 7);
    int headerLength = ((rec[6] & 0xff) << 8) | (rec[7] & 0xff);
    assertThat(headerLength).isEqualTo(78 + "collector-1".length());
    assertThat(rec.length - headerLength).isEqualTo(PEER_UP.length);
    assertThat(rec[12] & 0xff).isEqualTo(0x80);
    assertThat(rec[13] & 0xff).isEqualTo(12);
    OpenBmpRecord r = OpenBmpRecords.decode(rec);
    assertThat(r.routerIp()).isEqualTo("198.51.100.7");
    assertThat(r.collector()).isEqualTo("collector-1");
    assertThat(r.collectorMicros()).isEqualTo(1_700_000_000_000_042L);
    assertThat(slice(r)).isEqualTo(PEER_UP);
  }

  @Test
  void anIpv6RouterRoundTripsThroughTheEncoder() throws Exception {
    byte[] v6 = java.net.InetAddress.getByName("2001:db8:0:0:0:0:0:99").getAddress();
    byte[] rec = OpenBmpRecords.encodeBmpRaw("c", v6, "g", 0, INIT, 0, INIT.length);
    assertThat(rec[12] & 0xff).isEqualTo(0xC0);
    OpenBmpRecord r = OpenBmpRecords.decode(rec);
    assertThat(r.routerIp()).isEqualTo("2001:db8::99");
    assertThat(r.routerGroup()).isEqualTo("g");
  }

  @Test
  void aHeartbeatIsNoBmpMessage() {
    OpenBmpRecord r = OpenBmpRecords.decode(OpenBmpRecords.encodeHeartbeat("c1", 5_000_001));
    assertThat(r.isBmp()).isFalse();
    assertThat(r.objectType()).isEqualTo(OpenBmpRecords.TYPE_COLLECTOR_HEARTBEAT);
    assertThat(r.collector()).isEqualTo("c1");
    assertThat(r.bmpLength()).isZero();
  }

  @Test
  void aTextHeaderRecordDecodes() {
    String h =
        "V: 1.7\nC_HASH_ID: 8b9c7e4d\nR_HASH: 0123abcd\nR_IP: 2001:DB8:0:0::1\nL: "
            + PEER_UP.length
            + "\n\n";
    OpenBmpRecord r = OpenBmpRecords.decode(text(h, PEER_UP));
    assertThat(r.format()).isEqualTo(OpenBmpRecord.Format.TEXT);
    assertThat(r.isBmp()).isTrue();
    assertThat(r.collector()).isEqualTo("8b9c7e4d");
    assertThat(r.routerIp()).isEqualTo("2001:db8::1");
    assertThat(slice(r)).isEqualTo(PEER_UP);
  }

  @Test
  void aTextAndABinaryRecordOfOneMessageGiveTheSameBytesAndRouter() {
    OpenBmpRecord t =
        OpenBmpRecords.decode(
            text("V: 1.7\nC_HASH_ID: c\nR_IP: 192.0.2.1\nL: " + INIT.length + "\n\n", INIT));
    OpenBmpRecord b =
        OpenBmpRecords.decode(handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "", 1, INIT));
    assertThat(t.routerIp()).isEqualTo(b.routerIp());
    assertThat(slice(t)).isEqualTo(slice(b));
  }

  @Test
  void wrongMagicIsAnUnknownFormat() {
    byte[] rec = handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "", 1, INIT);
    rec[0] = 'X';
    assertThat(errorOf(rec)).isEqualTo(Kind.UNKNOWN_FORMAT);
    assertThat(errorOf(new byte[0])).isEqualTo(Kind.UNKNOWN_FORMAT);
  }

  @Test
  void anotherVersionIsRefused() {
    byte[] rec = handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "", 1, INIT);
    rec[5] = 6;
    assertThat(errorOf(rec)).isEqualTo(Kind.UNSUPPORTED_VERSION);
    assertThat(errorOf(text("V: 1.6\nR_IP: 192.0.2.1\nL: " + INIT.length + "\n\n", INIT)))
        .isEqualTo(Kind.UNSUPPORTED_VERSION);
  }

  @Test
  void aHeaderLengthBeyondTheRecordOrBelowTheFixedFieldsIsRefused() {
    byte[] rec = handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "", 1, INIT);
    rec[6] = (byte) 0xff;
    assertThat(errorOf(rec)).isEqualTo(Kind.BAD_HEADER_LENGTH);
    byte[] shortHeader = handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "", 1, INIT);
    shortHeader[6] = 0;
    shortHeader[7] = 40;
    assertThat(errorOf(shortHeader)).isEqualTo(Kind.BAD_HEADER_LENGTH);
  }

  @Test
  void aBmpLengthThatIsNotWhatFollowsIsRefused() {
    byte[] rec = handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "", 1, INIT);
    assertThat(errorOf(Arrays.copyOf(rec, rec.length - 1))).isEqualTo(Kind.BAD_BMP_LENGTH);
    assertThat(errorOf(Arrays.copyOf(rec, rec.length + 5))).isEqualTo(Kind.BAD_BMP_LENGTH);
    assertThat(errorOf(text("V: 1.7\nR_IP: 192.0.2.1\nL: 999\n\n", INIT)))
        .isEqualTo(Kind.BAD_BMP_LENGTH);
    assertThat(errorOf(text("V: 1.7\nR_IP: 192.0.2.1\n\n", INIT))).isEqualTo(Kind.BAD_BMP_LENGTH);
  }

  @Test
  void aRawRecordWithoutRouterFieldsOrWithSeveralRowsIsRefused() {
    assertThat(errorOf(handBuilt(0x00, 12, "c", ip16v4(192, 0, 2, 1), "", 1, INIT)))
        .isEqualTo(Kind.BAD_HEADER_FIELD);
    assertThat(errorOf(handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "", 2, INIT)))
        .isEqualTo(Kind.BAD_HEADER_FIELD);
  }

  @Test
  void anAdminIdRunningPastTheHeaderIsRefused() {
    byte[] rec = handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "", 1, INIT);
    rec[38] = 0x01; // admin id length 257
    assertThat(errorOf(rec)).isEqualTo(Kind.BAD_HEADER_LENGTH);
  }

  @Test
  void aTextHeaderWithoutItsEmptyLineOrWithANameForAnAddressIsRefused() {
    assertThat(errorOf(text("V: 1.7\nR_IP: 192.0.2.1\nL: 4\n", new byte[4])))
        .isEqualTo(Kind.BAD_HEADER_LENGTH);
    // a host name is never looked up
    assertThat(errorOf(text("V: 1.7\nR_IP: router.example\nL: 4\n\n", new byte[4])))
        .isEqualTo(Kind.BAD_HEADER_FIELD);
    assertThat(errorOf(text("V: 1.7\nL: 4\n\n", new byte[4]))).isEqualTo(Kind.BAD_HEADER_FIELD);
    assertThat(errorOf(text("V: 1.7\nnonsense\nL: 4\n\n", new byte[4])))
        .isEqualTo(Kind.BAD_HEADER_FIELD);
  }

  @Test
  void everyTruncationOfAValidRecordIsAFormatErrorAndNothingElse() {
    byte[] rec = handBuilt(0xC0, 12, "collector", new byte[16], "group", 1, PEER_UP);
    byte[] txt = text("V: 1.7\nC_HASH_ID: c\nR_IP: 192.0.2.1\nL: " + INIT.length + "\n\n", INIT);
    for (byte[] full : new byte[][] {rec, txt}) {
      for (int n = 0; n < full.length; n++) {
        byte[] cut = Arrays.copyOf(full, n);
        assertThatThrownBy(() -> OpenBmpRecords.decode(cut))
            .as("first %d bytes", n)
            .isInstanceOf(OpenBmpFormatException.class);
      }
    }
  }

  @Test
  void randomHeadersFailOnlyWithTheFormatException() {
    Random rnd = new Random(7);
    byte[] valid = handBuilt(0x80, 12, "c", ip16v4(192, 0, 2, 1), "g", 1, INIT);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = valid.clone();
      for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
        b[4 + rnd.nextInt(80)] = (byte) rnd.nextInt(256);
      }
      try {
        OpenBmpRecord r = OpenBmpRecords.decode(b);
        assertThat(r.bmpOffset() + r.bmpLength()).isLessThanOrEqualTo(b.length);
      } catch (OpenBmpFormatException expected) {
        assertThat(expected.kind()).isNotNull();
      }
    }
  }
}
