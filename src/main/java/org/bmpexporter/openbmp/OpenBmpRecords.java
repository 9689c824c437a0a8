package org.bmpexporter.openbmp;

import static org.bmpexporter.openbmp.OpenBmpFormatException.Kind.BAD_BMP_LENGTH;
import static org.bmpexporter.openbmp.OpenBmpFormatException.Kind.BAD_HEADER_FIELD;
import static org.bmpexporter.openbmp.OpenBmpFormatException.Kind.BAD_HEADER_LENGTH;
import static org.bmpexporter.openbmp.OpenBmpFormatException.Kind.UNKNOWN_FORMAT;
import static org.bmpexporter.openbmp.OpenBmpFormatException.Kind.UNSUPPORTED_VERSION;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.Text;

/**
 * Decodes and encodes OpenBMP 1.7 raw records.
 *
 * <p>Binary header (big-endian; SNAS/openbmp v2 {@code Encapsulator}, gobmp {@code
 * pkg/message/raw.go}): magic {@code OBMP}, major 1, minor 7, header length u16, BMP length u32,
 * flags u8 (0x80 router fields present, 0x40 router IPv6), object type u8 (12 raw BMP, 0 collector
 * heartbeat), collector time s u32 and µs u32, collector hash 16 bytes, admin id (u16 length and
 * bytes), router hash 16 bytes, router IP 16 bytes (IPv4 in the first four), router group (u16
 * length and bytes), row count u32; 78 bytes plus the admin id and the group.
 *
 * <p>Text header (OpenBMP 2.x collector {@code MsgBusImpl_kafka::send_bmp_raw}): lines {@code V:
 * 1.7}, {@code C_HASH_ID:}, {@code R_HASH:}, {@code R_IP:}, {@code L:}, then an empty line and the
 * BMP message.
 *
 * <p>The router hashes are read past, never used: implementations compute them differently (MD5 of
 * the address bytes cut at the first zero byte, MD5 of the address text), so a router is named by
 * (collector, router IP) alone.
 */
public final class OpenBmpRecords {
  private OpenBmpRecords() {}

  public static final int MAGIC = 0x4F424D50; // "OBMP"
  public static final int MAJOR = 1;
  public static final int MINOR = 7;
  public static final int TYPE_COLLECTOR_HEARTBEAT = 0;
  public static final int TYPE_BMP_RAW = 12;
  static final int FLAG_ROUTER_FIELDS = 0x80;
  static final int FLAG_ROUTER_IPV6 = 0x40;

  /** The binary header without its two variable fields (admin id, router group). */
  static final int BINARY_FIXED_LENGTH = 78;

  /** Longest text header read while looking for the empty line that ends it. */
  static final int MAX_TEXT_HEADER = 1024;

  /** Longest admin id or router group accepted (and written): the u16 length allows 65,535. */
  static final int MAX_NAME_LENGTH = 255;

  /**
   * Decodes one record (a Kafka record's value).
   *
   * @throws OpenBmpFormatException when the header is broken; nothing else
   */
  public static OpenBmpRecord decode(byte[] value) {
    if (value.length >= 4 && Bytes.s32(value, 0) == MAGIC) {
      return binary(value);
    }
    if (value.length >= 2 && value[0] == 'V' && value[1] == ':') {
      return text(value);
    }
    throw new OpenBmpFormatException(
        UNKNOWN_FORMAT, "neither the OBMP magic nor a 'V:' text header");
  }

  private static OpenBmpRecord binary(byte[] b) {
    need(b, 14, "the fixed header");
    int major = Bytes.u8(b, 4);
    int minor = Bytes.u8(b, 5);
    if (major != MAJOR || minor != MINOR) {
      throw new OpenBmpFormatException(
          UNSUPPORTED_VERSION, "binary header version " + major + "." + minor + ", not 1.7");
    }
    int headerLength = Bytes.u16(b, 6);
    long bmpLength = Bytes.u32(b, 8);
    if (headerLength > b.length) {
      throw new OpenBmpFormatException(
          BAD_HEADER_LENGTH,
          "header length " + headerLength + " beyond the record's " + b.length + " bytes");
    }
    if (headerLength < BINARY_FIXED_LENGTH) {
      throw new OpenBmpFormatException(
          BAD_HEADER_LENGTH,
          "header length " + headerLength + " below the fixed " + BINARY_FIXED_LENGTH);
    }
    if (bmpLength != b.length - headerLength) {
      throw new OpenBmpFormatException(
          BAD_BMP_LENGTH,
          "BMP length "
              + bmpLength
              + " but "
              + (b.length - headerLength)
              + " bytes follow the header");
    }
    int flags = Bytes.u8(b, 12);
    int type = Bytes.u8(b, 13);
    long micros = Bytes.u32(b, 14) * 1_000_000L + Math.min(Bytes.u32(b, 18), 999_999L);
    int at = 38; // after the collector hash
    int adminLength = Bytes.u16(b, at);
    at += 2;
    String admin = name(b, at, adminLength, headerLength, "admin id");
    at += adminLength;
    inHeader(at + 16 + 16 + 2, headerLength, "router fields");
    at += 16; // router hash: not used (see the class comment)
    int ipAt = at;
    at += 16;
    int groupLength = Bytes.u16(b, at);
    at += 2;
    String group = name(b, at, groupLength, headerLength, "router group");
    at += groupLength;
    inHeader(at + 4, headerLength, "row count");
    long rows = Bytes.u32(b, at);
    if (type != TYPE_BMP_RAW) {
      return new OpenBmpRecord(
          OpenBmpRecord.Format.BINARY, type, admin, "", group, micros, b, headerLength, 0);
    }
    if ((flags & FLAG_ROUTER_FIELDS) == 0) {
      throw new OpenBmpFormatException(
          BAD_HEADER_FIELD, "raw BMP record without router fields (flag 0x80 clear)");
    }
    if (rows != 1) {
      throw new OpenBmpFormatException(
          BAD_HEADER_FIELD, "raw BMP record with row count " + rows + ", not 1");
    }
    String ip = (flags & FLAG_ROUTER_IPV6) != 0 ? Addresses.ipv6(b, ipAt) : Addresses.ipv4(b, ipAt);
    return new OpenBmpRecord(
        OpenBmpRecord.Format.BINARY,
        type,
        admin,
        ip,
        group,
        micros,
        b,
        headerLength,
        (int) bmpLength);
  }

  private static OpenBmpRecord text(byte[] b) {
    int end = -1;
    int limit = Math.min(b.length, MAX_TEXT_HEADER);
    for (int i = 0; i + 1 < limit; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw new OpenBmpFormatException(
          BAD_HEADER_LENGTH,
          "text header without its empty line in the first "
              + MAX_TEXT_HEADER
              + " bytes (or beyond the record)");
    }
    String version = null;
    String collector = "";
    String routerIp = null;
    long length = -1;
    for (String line : new String(b, 0, end, StandardCharsets.US_ASCII).split("\n", -1)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new OpenBmpFormatException(
            BAD_HEADER_FIELD, "text header line without 'NAME:': '" + printable(line) + "'");
      }
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      switch (key) {
        case "V" -> version = value;
        case "C_HASH_ID" -> collector = value;
        case "R_IP" -> routerIp = value;
        case "L" -> length = parseLength(value);
        default -> {} // R_HASH and fields of later versions: not needed
      }
    }
    if (!"1.7".equals(version)) {
      throw new OpenBmpFormatException(
          UNSUPPORTED_VERSION, "text header version '" + printable(version) + "', not 1.7");
    }
    if (routerIp == null) {
      throw new OpenBmpFormatException(BAD_HEADER_FIELD, "text header without R_IP");
    }
    byte[] ip = Addresses.parseLiteral(routerIp);
    if (ip == null) {
      throw new OpenBmpFormatException(
          BAD_HEADER_FIELD, "R_IP '" + printable(routerIp) + "' is not an IP address");
    }
    int headerLength = end + 2;
    if (length != b.length - headerLength) {
      throw new OpenBmpFormatException(
          BAD_BMP_LENGTH,
          "L: "
              + (length < 0 ? "missing or not a number" : Long.toString(length))
              + " but "
              + (b.length - headerLength)
              + " bytes follow the header");
    }
    return new OpenBmpRecord(
        OpenBmpRecord.Format.TEXT,
        TYPE_BMP_RAW,
        collector,
        Addresses.format(ip),
        "",
        0,
        b,
        headerLength,
        (int) length);
  }

  /**
   * A binary 1.7 raw BMP record of {@code bmp[off, off + len)} from the router at {@code
   * routerAddress} (4 or 16 bytes).
   */
  public static byte[] encodeBmpRaw(
      String adminId,
      byte[] routerAddress,
      String routerGroup,
      long collectorMicros,
      byte[] bmp,
      int off,
      int len) {
    RawHeader h = RawHeader.of(adminId, routerAddress, routerGroup);
    byte[] record = new byte[h.length() + len];
    System.arraycopy(bmp, off, record, h.length(), len);
    h.writeTo(record, len, collectorMicros);
    return record;
  }

  /**
   * The binary 1.7 raw BMP header of one router, encoded once (its two MD5 hashes included): per
   * message only the BMP length and the collector time change. Immutable, so any thread may use it.
   */
  public static final class RawHeader {
    private final byte[] template;

    private RawHeader(byte[] template) {
      this.template = template;
    }

    /** The header of records from the router at {@code routerAddress} (4 or 16 bytes). */
    public static RawHeader of(String adminId, byte[] routerAddress, String routerGroup) {
      boolean v6 = routerAddress.length == 16;
      ByteWriter w =
          header(adminId, TYPE_BMP_RAW, FLAG_ROUTER_FIELDS | (v6 ? FLAG_ROUTER_IPV6 : 0), 0, 0);
      w.bytes(md5(Addresses.format(routerAddress).getBytes(StandardCharsets.US_ASCII)));
      w.bytes(routerAddress);
      w.zeros(16 - routerAddress.length);
      byte[] group = truncated(routerGroup);
      w.u16(group.length).bytes(group);
      w.u32(1);
      w.patchU16(6, w.size());
      return new RawHeader(w.toByteArray());
    }

    /** Bytes of the header: a record is this many bytes, then the BMP message. */
    public int length() {
      return template.length;
    }

    /**
     * Writes the header of a record into {@code record[0, length())}, for the BMP message of {@code
     * bmpLength} bytes that follows it there, received at {@code collectorMicros}.
     */
    public void writeTo(byte[] record, int bmpLength, long collectorMicros) {
      System.arraycopy(template, 0, record, 0, template.length);
      putU32(record, 8, bmpLength);
      putU32(record, 14, collectorMicros / 1_000_000L);
      putU32(record, 18, collectorMicros % 1_000_000L);
    }

    private static void putU32(byte[] b, int at, long v) {
      b[at] = (byte) (v >>> 24);
      b[at + 1] = (byte) (v >>> 16);
      b[at + 2] = (byte) (v >>> 8);
      b[at + 3] = (byte) v;
    }
  }

  /** A binary 1.7 collector heartbeat (object type 0, no BMP message). */
  public static byte[] encodeHeartbeat(String adminId, long collectorMicros) {
    ByteWriter w = header(adminId, TYPE_COLLECTOR_HEARTBEAT, 0, collectorMicros, 0);
    w.zeros(32).u16(0).u32(0);
    w.patchU16(6, w.size());
    return w.toByteArray();
  }

  private static ByteWriter header(
      String adminId, int type, int flags, long collectorMicros, int bmpLength) {
    byte[] admin = truncated(adminId);
    ByteWriter w = new ByteWriter(BINARY_FIXED_LENGTH + admin.length + 64 + bmpLength);
    w.u32(MAGIC & 0xffffffffL).u8(MAJOR).u8(MINOR).u16(0).u32(bmpLength).u8(flags).u8(type);
    w.u32(collectorMicros / 1_000_000L).u32(collectorMicros % 1_000_000L);
    w.bytes(md5(admin));
    w.u16(admin.length).bytes(admin);
    return w;
  }

  private static byte[] truncated(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    return b.length <= MAX_NAME_LENGTH ? b : java.util.Arrays.copyOf(b, MAX_NAME_LENGTH);
  }

  private static byte[] md5(byte[] b) {
    try {
      return MessageDigest.getInstance("MD5").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }

  private static long parseLength(String v) {
    if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Long.parseLong(v);
  }

  private static String name(byte[] b, int at, int length, int headerLength, String what) {
    inHeader(at + length, headerLength, what);
    if (length > MAX_NAME_LENGTH) {
      throw new OpenBmpFormatException(
          BAD_HEADER_FIELD, what + " of " + length + " bytes (at most " + MAX_NAME_LENGTH + ")");
    }
    return Text.printable(new String(b, at, length, StandardCharsets.UTF_8), MAX_NAME_LENGTH);
  }

  private static void inHeader(int end, int headerLength, String what) {
    if (end > headerLength) {
      throw new OpenBmpFormatException(
          BAD_HEADER_LENGTH, what + " run past the header length " + headerLength);
    }
  }

  private static void need(byte[] b, int n, String what) {
    if (b.length < n) {
      throw new OpenBmpFormatException(
          BAD_HEADER_LENGTH, what + " needs " + n + " bytes, the record has " + b.length);
    }
  }

  private static String printable(String s) {
    if (s == null) {
      return "";
    }
    return Text.printable(s, 64);
  }
}
