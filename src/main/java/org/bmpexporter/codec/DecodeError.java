package org.bmpexporter.codec;

/**
 * Everything the decoders can count as an error. Each value is one bounded {@code error} label
 * value of {@code bmp_router_decode_errors_total}. Framing errors end a session; every other error
 * affects only the message or part it names.
 */
public enum DecodeError {
  /** Common header: a BMP version other than 3. Ends the session. */
  BAD_VERSION("bad_version", true),
  /** Common header: length under 6 or over the configured maximum. Ends the session. */
  BAD_LENGTH("bad_length", true),
  /**
   * A BMP version 1 or 2 message of a type whose length cannot be derived (version 1 knows types
   * 0-2, version 2 types 0-3; these versions have no length field). Ends the session.
   */
  UNKNOWN_LEGACY_TYPE("unknown_legacy_type", true),
  /** The stream ended inside a message (capture tail, connection closed mid-message). */
  TRUNCATED_STREAM("truncated_stream", true),
  /** A message body shorter than its fixed parts (or than its own TLV count says). */
  TRUNCATED_MESSAGE("truncated_message", false),
  /**
   * An information/statistics/mirroring TLV whose length overruns its message; in BMP version 4
   * also a Route Monitoring without exactly one BGP PDU TLV, an enterprise TLV too short for its
   * enterprise number, or a malformed group, path marking or stateless parsing TLV.
   */
  BAD_TLV("bad_tlv", false),
  /** A statistics TLV of a known type with the wrong length; only that TLV is skipped. */
  BAD_STAT_LENGTH("bad_stat_length", false),
  /** A statistics TLV of unknown type that is neither a 4-byte counter nor an 8-byte gauge. */
  UNKNOWN_STAT_LENGTH("unknown_stat_length", false),
  /** A message type this decoder does not know; skipped by length. */
  UNKNOWN_MESSAGE_TYPE("unknown_message_type", false),
  /** An information (or version 4) TLV type this decoder does not know; kept raw or skipped. */
  UNKNOWN_TLV("unknown_tlv", false),
  /** The BGP message inside a BMP message is not a valid BGP message. */
  BAD_BGP_MESSAGE("bad_bgp_message", false),
  /**
   * Bytes after the data a message defines: after the BGP PDU of a Route Monitoring when they are
   * not a whole sequence of TLVs (well-formed TLVs there are {@link Quirk#TRAILING_TLV_ENTERPRISE}
   * or {@link Quirk#TRAILING_TLV_STANDARD}), after the statistics TLVs their count announced, after
   * a Peer Down's NOTIFICATION or FSM event code.
   */
  TRAILING_BYTES("trailing_bytes", false),
  /**
   * An UPDATE whose attributes cannot be delimited: nothing beyond its withdrawn routes is used.
   */
  MALFORMED_UPDATE("malformed_update", false),
  /** An UPDATE with a malformed attribute: its NLRI are treated as withdrawn (RFC 7606). */
  TREAT_AS_WITHDRAW("treat_as_withdraw", false),
  /**
   * NLRI of one family that parse neither with nor without ADD-PATH path identifiers; the fields
   * that do not parse the expected way are skipped. (NLRI that parse only the other way than the
   * OPENs declare are a quirk, e.g. {@link Quirk#LOC_RIB_ADDPATH_UNDECLARED}.)
   */
  MALFORMED_NLRI("malformed_nlri", false),
  /** MP_REACH/MP_UNREACH for an AFI/SAFI this decoder cannot split into NLRI; skipped by length. */
  UNKNOWN_AFI_SAFI("unknown_afi_safi", false),
  /** A Peer Up whose OPEN messages cannot be decoded. */
  BAD_OPEN("bad_open", false);

  private final String label;
  private final boolean fatal;

  DecodeError(String label, boolean fatal) {
    this.label = label;
    this.fatal = fatal;
  }

  /** The Prometheus label value. */
  public String label() {
    return label;
  }

  /** True when the error ends the BMP session (the stream can no longer be framed). */
  public boolean fatal() {
    return fatal;
  }
}
