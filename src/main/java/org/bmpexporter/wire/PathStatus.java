package org.bmpexporter.wire;

import java.util.Locale;

/**
 * The status bits of a path marking TLV (draft-ietf-grow-bmp-path-marking-tlv, as NetGauze and
 * Wireshark decode it); each is one bounded {@code status} label value. Bits no constant has, and
 * an all-zero status, count as {@link #UNKNOWN}.
 */
public enum PathStatus {
  INVALID(0x1),
  BEST(0x2),
  NON_SELECTED(0x4),
  PRIMARY(0x8),
  BACKUP(0x10),
  NON_INSTALLED(0x20),
  BEST_EXTERNAL(0x40),
  ADD_PATH(0x80),
  FILTERED_IN(0x100),
  FILTERED_OUT(0x200),
  INVALID_ROV(0x400),
  STALE(0x800),
  SUPPRESSED(0x1000),
  UNKNOWN(0);

  private static final PathStatus[] VALUES = values();

  /** Every bit a constant names. */
  public static final int KNOWN_BITS = 0x1fff;

  /** The reason codes the draft defines (1 invalid for AS loop ... 11 not preferred for AIGP). */
  public static final int MAX_REASON = 11;

  private final int bit;
  private final String label;

  PathStatus(int bit) {
    this.bit = bit;
    this.label = name().toLowerCase(Locale.ROOT);
  }

  public int bit() {
    return bit;
  }

  public String label() {
    return label;
  }

  public static PathStatus of(int ordinal) {
    return VALUES[ordinal];
  }

  /**
   * Adds {@code n} to {@code counts} (indexed by ordinal) for each status {@code bits} names: one
   * per known bit set, and one {@link #UNKNOWN} for any other bits or none.
   */
  public static void count(int bits, long n, long[] counts) {
    for (PathStatus s : VALUES) {
      if (s != UNKNOWN && (bits & s.bit) != 0) {
        counts[s.ordinal()] += n;
      }
    }
    if (bits == 0 || (bits & ~KNOWN_BITS) != 0) {
      counts[UNKNOWN.ordinal()] += n;
    }
  }
}
