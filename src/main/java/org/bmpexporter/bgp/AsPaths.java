package org.bmpexporter.bgp;

import org.bmpexporter.codec.Bytes;

/**
 * The origin AS of a route from its AS_PATH (RFC 4271) and AS4_PATH (RFC 6793), as RFC 6811 section
 * 2 derives it for origin validation: the last AS of the final segment when that segment is an
 * AS_SEQUENCE; {@link #NONE} when it is an AS_SET (an aggregate has no single origin). The
 * confederation segments (AS_CONFED_SEQUENCE, AS_CONFED_SET) are skipped: they name member ASes of
 * the speaker's own confederation, never an origin; a path of confederation segments only, or an
 * empty one, is a route originated by the speaker, whose AS the caller gives.
 */
public final class AsPaths {
  /** No single origin: the final segment is an AS_SET. */
  public static final long NONE = -1;

  static final int AS_SET = 1;
  static final int AS_SEQUENCE = 2;
  static final int AS_CONFED_SEQUENCE = 3;
  static final int AS_CONFED_SET = 4;

  private AsPaths() {}

  /**
   * The origin AS, {@link #NONE}, or {@code speakerAs} for an empty path (or confederation segments
   * only).
   *
   * @param asPathOff the AS_PATH value, or -1 when the UPDATE has none
   * @param width the octets per AS number of the AS_PATH: 4, or 2 on a session without 4-octet AS
   *     numbers (the BMP per-peer header's A flag)
   * @param as4PathOff the AS4_PATH value (always 4-octet), or -1; only read when {@code width} is 2
   */
  public static long origin(
      byte[] b,
      int asPathOff,
      int asPathLen,
      int width,
      int as4PathOff,
      int as4PathLen,
      long speakerAs) {
    if (asPathOff < 0) {
      return speakerAs;
    }
    if (width == 2 && as4PathOff >= 0) {
      // RFC 6793 4.2.3: the AS4_PATH stands for the last ASes of the AS_PATH, unless it is longer
      // than the AS_PATH (then it is ignored). Its final segment is then the merged path's.
      long as4Count = count(b, as4PathOff, as4PathLen, 4);
      if (as4Count > 0 && as4Count <= count(b, asPathOff, asPathLen, 2)) {
        long origin = finalSegmentOrigin(b, as4PathOff, as4PathLen, 4);
        if (origin != UNKNOWN) {
          return origin;
        }
      }
    }
    long origin = finalSegmentOrigin(b, asPathOff, asPathLen, width);
    return origin == UNKNOWN ? speakerAs : origin;
  }

  /** No non-confederation segment (or a path that does not parse). */
  private static final long UNKNOWN = -2;

  /** The origin from the last non-confederation segment, or {@link #UNKNOWN}. */
  private static long finalSegmentOrigin(byte[] b, int p, int len, int width) {
    int end = p + len;
    long origin = UNKNOWN;
    while (p + 2 <= end) {
      int type = Bytes.u8(b, p);
      int n = Bytes.u8(b, p + 1);
      int next = p + 2 + n * width;
      if (n == 0 || next > end) {
        return UNKNOWN;
      }
      if (type == AS_SEQUENCE) {
        int last = next - width;
        origin = width == 4 ? Bytes.u32(b, last) : Bytes.u16(b, last);
      } else if (type == AS_SET) {
        origin = NONE;
      } // confederation segments (and unknown types) leave the origin as it was
      p = next;
    }
    return p == end ? origin : UNKNOWN;
  }

  /**
   * The path's length as RFC 6793 4.2.3 counts it: each AS of a sequence, one per AS_SET,
   * confederation segments not at all; -1 if it does not parse.
   */
  static long count(byte[] b, int p, int len, int width) {
    int end = p + len;
    long count = 0;
    while (p + 2 <= end) {
      int type = Bytes.u8(b, p);
      int n = Bytes.u8(b, p + 1);
      int next = p + 2 + n * width;
      if (next > end) {
        return -1;
      }
      if (type == AS_SEQUENCE) {
        count += n;
      } else if (type == AS_SET) {
        count++;
      }
      p = next;
    }
    return p == end ? count : -1;
  }

  /** The label text of an origin: the AS number, or {@code none} for {@link #NONE}. */
  public static String label(long origin) {
    return origin == NONE ? "none" : Long.toString(origin);
  }
}
