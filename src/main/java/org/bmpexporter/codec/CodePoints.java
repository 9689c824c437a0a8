package org.bmpexporter.codec;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Wire-code lookup for one code-point enum: an array indexed by code (code points are small), so a
 * lookup on the hot path neither boxes nor hashes.
 *
 * @param <E> the enum
 */
public final class CodePoints<E extends Enum<E> & CodePoint> {
  private final E[] byCode;
  private final IntFunction<String> unknownLabel;

  /**
   * @param unknownLabel the label of a code no constant has, e.g. {@code n -> "type_" + n}
   */
  public CodePoints(Class<E> type, IntFunction<String> unknownLabel) {
    E[] constants = type.getEnumConstants();
    int max = -1;
    for (E e : constants) {
      max = Math.max(max, e.code());
    }
    E[] table = Arrays.copyOf(constants, max + 1);
    Arrays.fill(table, null);
    for (E e : constants) {
      // a negative code marks a catch-all constant (e.g. UNKNOWN), not a wire value; where two
      // constants share a code, the first is its own
      if (e.code() >= 0 && table[e.code()] == null) {
        table[e.code()] = e;
      }
    }
    this.byCode = table;
    this.unknownLabel = unknownLabel;
  }

  /** The constant of {@code code}, or null for an unknown code point. */
  public E find(int code) {
    return code >= 0 && code < byCode.length ? byCode[code] : null;
  }

  /** The label of {@code code}: the constant's, or the registry's fallback for unknown codes. */
  public String label(int code) {
    E e = find(code);
    return e != null ? e.label() : unknownLabel.apply(code);
  }
}
