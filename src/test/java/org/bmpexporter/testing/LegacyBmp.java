package org.bmpexporter.testing;

import static org.bmpexporter.testing.Bmp.concat;
import static org.bmpexporter.testing.Bmp.ip16;
import static org.bmpexporter.testing.Bmp.w;

import java.nio.charset.StandardCharsets;
import org.bmpexporter.codec.ByteWriter;

/**
 * Builders for what {@link Bmp} does not build: BMP version 1 and 2 messages (no length field) and
 * Huawei's route policy trace (message type 100).
 */
public final class LegacyBmp {
  private LegacyBmp() {}

  // ---------------------------------------------------------------- versions 1 and 2

  /** A version 1/2 message: version (1), type (1), then the per-peer header and body as given. */
  public static byte[] legacy(int version, int type, byte[]... body) {
    return concat(new byte[] {(byte) version, (byte) type}, concat(body));
  }

  /** {@code message} (version 1/2) as the framer hands it out: the 4-byte length inserted. */
  public static byte[] reframed(byte[] message) {
    int n = message.length + 4;
    return w().u8(message[0] & 0xff)
        .u32(n)
        .bytes(java.util.Arrays.copyOfRange(message, 1, message.length))
        .toByteArray();
  }

  // ---------------------------------------------------------------- type 100

  /** The 33-byte header of a route policy trace and its events. */
  public static byte[] trace(
      int flags, long rd, String prefix, int prefixLength, long origin, byte[]... events) {
    byte[] all = concat(events);
    ByteWriter body =
        w().u8(flags)
            .u64(rd)
            .u8(prefixLength)
            .bytes(ip16(prefix))
            .u32(origin)
            .u8(events.length)
            .u16(all.length)
            .bytes(all);
    return Bmp.bmp(100, body.toByteArray());
  }

  /** One event: its 18 fixed bytes (length counts itself), then its TLVs. */
  public static byte[] event(int index, long pathId, int afi, int safi, byte[]... tlvs) {
    byte[] t = concat(tlvs);
    return w().u16(18 + t.length)
        .u8(index)
        .u32(1_684_851_976L)
        .u32(436_636)
        .u32(pathId)
        .u16(afi)
        .u8(safi)
        .bytes(t)
        .toByteArray();
  }

  /** TLV 0: table id and VRF name. */
  public static byte[] vrf(long tableId, String name) {
    return Bmp.tlv(0, w().u32(tableId).bytes(utf8(name)).toByteArray());
  }

  /** TLV 1: flags, count, class, peer address, router id, AS, then each policy (name, id, flag). */
  public static byte[] policy(int policyClass, String peer, String... namesAndIds) {
    ByteWriter v =
        w().u8(0xc0)
            .u8(namesAndIds.length / 2)
            .u8(policyClass)
            .bytes(ip16(peer))
            .bytes(Bmp.ip("198.51.100.55"))
            .u32(65000);
    for (int i = 0; i + 1 < namesAndIds.length; i += 2) {
      byte[] name = utf8(namesAndIds[i]);
      byte[] id = utf8(namesAndIds[i + 1]);
      v.u16(name.length).u16(id.length).bytes(name).bytes(id).u8(0);
    }
    return Bmp.tlv(1, v.toByteArray());
  }

  /** TLV 2 (pre-policy) or 3 (post-policy): path attributes. */
  public static byte[] attributes(int type, byte[] attributes) {
    return Bmp.tlv(type, attributes);
  }

  /** TLV 4: a string. */
  public static byte[] string(String text) {
    return Bmp.tlv(4, utf8(text));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
