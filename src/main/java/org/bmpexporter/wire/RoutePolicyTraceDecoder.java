package org.bmpexporter.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.ErrorListener;
import org.bmpexporter.codec.Text;
import org.bmpexporter.wire.BmpMessage.RoutePolicyTrace;
import org.bmpexporter.wire.BmpMessage.TraceEvent;

/**
 * Decodes Huawei's route policy and attribute trace (BMP message type 100,
 * draft-xu-grow-bmp-route-policy-attr-trace), laid out as Wireshark's packet-bmp.c reads it and as
 * Huawei VRP 8.210 sends it. After the common header:
 *
 * <pre>
 * flags (1, 0x80 = IPv6) | route distinguisher (8) | prefix length (1) | prefix (16)
 * | route origin (4) | event count (1) | total event length (2)              = 33 bytes
 * then per event: length (2, counting itself) | index (1) | timestamp s (4) | µs (4)
 * | path identifier (4) | AFI (2) | SAFI (1)                                  = 18 bytes
 * | TLVs (type 2, length 2): 0 VRF/table (table id 4, name), 1 Policy, 2 pre-policy and
 *   3 post-policy path attributes, 4 string
 * Policy TLV: flags (1) | policy count (1) | class (1) | peer address (16) | peer router id (4)
 * | peer AS (4) | per policy: name length (2) | item id length (2) | name | item id | flag (1)
 * </pre>
 *
 * A message whose lengths do not add up is reported and dropped whole (no event of it counts);
 * bytes after the announced events are reported as trailing and the events kept; a TLV of unknown
 * type is reported and skipped. Never throws but {@link BmpProtocolException}, which {@link
 * BmpDecoder} turns into the error report.
 */
final class RoutePolicyTraceDecoder {
  static final int HEADER = 33;
  static final int EVENT_FIXED = 18;

  static final int TLV_VRF = 0;
  static final int TLV_POLICY = 1;
  static final int TLV_PRE_POLICY = 2;
  static final int TLV_POST_POLICY = 3;
  static final int TLV_STRING = 4;

  private static final int FLAG_V = 0x80;
  private static final int POLICY_FIXED = 27;
  private static final int MAX_POLICY_NAMES = 8;

  private RoutePolicyTraceDecoder() {}

  /** The message body {@code b[p..end)} (after the common header). */
  static RoutePolicyTrace decode(byte[] b, int p, int end, ErrorListener errors) {
    if (end - p < HEADER) {
      throw malformed(DecodeError.TRUNCATED_MESSAGE, "shorter than its 33-byte header");
    }
    boolean ipv6 = (Bytes.u8(b, p) & FLAG_V) != 0;
    long rd = Bytes.s64(b, p + 1);
    int prefixLength = Bytes.u8(b, p + 9);
    if (prefixLength > (ipv6 ? 128 : 32)) {
      throw malformed(DecodeError.BAD_TLV, "prefix length " + prefixLength + " beyond the address");
    }
    String prefix = Addresses.address16(b, p + 10, ipv6) + "/" + prefixLength;
    long origin = Bytes.u32(b, p + 26);
    int count = Bytes.u8(b, p + 30);
    int total = Bytes.u16(b, p + 31);
    int q = p + HEADER;
    if (end - q < total) {
      throw malformed(
          DecodeError.TRUNCATED_MESSAGE,
          "total event length " + total + " but " + (end - q) + " bytes follow");
    }
    int eventsEnd = q + total;
    List<TraceEvent> events = new ArrayList<>(Math.min(count, total / EVENT_FIXED + 1));
    boolean[] reportedUnknown = {false};
    for (int i = 0; i < count; i++) {
      if (eventsEnd - q < EVENT_FIXED) {
        throw malformed(
            DecodeError.TRUNCATED_MESSAGE,
            count + " events announced, the total event length ends after " + i);
      }
      int len = Bytes.u16(b, q);
      if (len < EVENT_FIXED || len > eventsEnd - q) {
        throw malformed(
            DecodeError.TRUNCATED_MESSAGE,
            "event " + (i + 1) + " length " + len + " outside [18, " + (eventsEnd - q) + "]");
      }
      events.add(event(b, q, q + len, errors, reportedUnknown));
      q += len;
    }
    if (q < end) {
      errors.error(
          DecodeError.TRAILING_BYTES,
          (end - q) + " bytes after the " + count + " events of a route policy trace");
    }
    return new RoutePolicyTrace(ipv6, rd, prefix, origin, events);
  }

  private static TraceEvent event(
      byte[] b, int q, int end, ErrorListener errors, boolean[] reportedUnknown) {
    int index = Bytes.u8(b, q + 2);
    long seconds = Bytes.u32(b, q + 3);
    long micros = Bytes.u32(b, q + 7);
    long pathId = Bytes.u32(b, q + 11);
    int family = AfiSafi.of(Bytes.u16(b, q + 15), Bytes.u8(b, q + 17));
    int policyClass = -1;
    // texts are made once, from the last TLV of each kind: never one string per TLV received
    int tableAt = -1;
    int tableLength = 0;
    int textAt = -1;
    int textLength = 0;
    List<String> policies = new ArrayList<>(1);
    int pre = -1;
    int post = -1;
    int t = q + EVENT_FIXED;
    while (t < end) {
      if (end - t < 4 || end - t - 4 < Bytes.u16(b, t + 2)) {
        throw malformed(DecodeError.BAD_TLV, "event " + index + ": a TLV overruns the event");
      }
      int type = Bytes.u16(b, t);
      int len = Bytes.u16(b, t + 2);
      int v = t + 4;
      switch (type) {
        case TLV_VRF:
          if (len < 4) {
            throw malformed(DecodeError.BAD_TLV, "VRF/table TLV of " + len + " bytes (under 4)");
          }
          tableAt = v + 4;
          tableLength = len - 4;
          break;
        case TLV_POLICY:
          int c = policy(b, v, v + len, policies);
          policyClass = policyClass < 0 ? c : policyClass;
          break;
        case TLV_PRE_POLICY:
          attributes(b, v, v + len);
          pre = len;
          break;
        case TLV_POST_POLICY:
          attributes(b, v, v + len);
          post = len;
          break;
        case TLV_STRING:
          textAt = v;
          textLength = len;
          break;
        default:
          if (!reportedUnknown[0]) { // one report per message: TLVs can be many
            reportedUnknown[0] = true;
            errors.error(
                DecodeError.UNKNOWN_TLV, "route policy trace TLV type " + type + " skipped");
          }
          break;
      }
      t = v + len;
    }
    String table = tableAt < 0 ? "" : text(b, tableAt, tableLength);
    String text = textAt < 0 ? "" : text(b, textAt, textLength);
    return new TraceEvent(
        index, seconds, micros, pathId, family, policyClass, table, policies, pre, post, text);
  }

  /** A Policy TLV's value {@code b[v..end)}: adds its policy names, returns its class. */
  private static int policy(byte[] b, int v, int end, List<String> names) {
    if (end - v < POLICY_FIXED) {
      throw malformed(DecodeError.BAD_TLV, "Policy TLV of " + (end - v) + " bytes (under 27)");
    }
    int count = Bytes.u8(b, v + 1);
    int policyClass = Bytes.u8(b, v + 2);
    int p = v + POLICY_FIXED;
    for (int i = 0; i < count; i++) {
      if (end - p < 4) {
        throw malformed(DecodeError.BAD_TLV, "Policy TLV: policy " + (i + 1) + " overruns it");
      }
      int nameLength = Bytes.u16(b, p);
      int idLength = Bytes.u16(b, p + 2);
      if ((long) end - p - 4 < (long) nameLength + idLength + 1) {
        throw malformed(DecodeError.BAD_TLV, "Policy TLV: policy " + (i + 1) + " overruns it");
      }
      if (names.size() < MAX_POLICY_NAMES) { // names kept for inspect; more would cost per byte
        names.add(text(b, p + 4, nameLength));
      }
      p += 4 + nameLength + idLength + 1;
    }
    if (p != end) {
      throw malformed(
          DecodeError.BAD_TLV,
          "Policy TLV: " + (end - p) + " bytes after its " + count + " policies");
    }
    return policyClass;
  }

  /** Path attributes {@code b[p..end)}: each must be delimited by its own length, exactly. */
  private static void attributes(byte[] b, int p, int end) {
    while (p < end) {
      if (end - p < 3) {
        throw malformed(DecodeError.BAD_TLV, "path attribute TLV: an attribute overruns it");
      }
      boolean extended = (Bytes.u8(b, p) & 0x10) != 0;
      if (extended && end - p < 4) {
        throw malformed(DecodeError.BAD_TLV, "path attribute TLV: an attribute overruns it");
      }
      int header = extended ? 4 : 3;
      int len = extended ? Bytes.u16(b, p + 2) : Bytes.u8(b, p + 2);
      if (end - p - header < len) {
        throw malformed(DecodeError.BAD_TLV, "path attribute TLV: an attribute overruns it");
      }
      p += header + len;
    }
  }

  /** At most {@link BmpLimits#MAX_INFO_STRING} characters of printable text. */
  private static String text(byte[] b, int p, int len) {
    if (len == 0) {
      return "";
    }
    int n = Math.min(len, 4 * BmpLimits.MAX_INFO_STRING); // a UTF-8 character is at most 4 bytes
    return Text.printable(new String(b, p, n, StandardCharsets.UTF_8), BmpLimits.MAX_INFO_STRING);
  }

  private static BmpProtocolException malformed(DecodeError error, String detail) {
    return new BmpProtocolException(error, "route policy trace (type 100): " + detail);
  }
}
