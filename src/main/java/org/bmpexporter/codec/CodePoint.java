package org.bmpexporter.codec;

import java.util.Locale;

/**
 * A protocol code point: the number it has on the wire and the label it has in metrics, logs and
 * JSON. Every registry the decoders know (BMP message, peer, Peer Down, Termination, statistics and
 * TLV types, BGP NOTIFICATION codes) is an enum implementing this, with a {@link CodePoints} table
 * for the wire-to-constant lookup. A number no constant has is not an error but an unknown code
 * point, labelled by the registry's own fallback (e.g. {@code type_<n>}).
 */
public interface CodePoint {
  /** The number on the wire. */
  int code();

  /** The enum constant's name (implemented by {@link Enum#name()}). */
  String name();

  /** The label value: by default the constant's name in lower case (snake_case). */
  default String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
