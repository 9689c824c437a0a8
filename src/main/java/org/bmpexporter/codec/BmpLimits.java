package org.bmpexporter.codec;

/** Sizes fixed by RFC 7854 and the limits this decoder enforces. */
public final class BmpLimits {
  public static final int VERSION = 3;
  public static final int COMMON_HEADER_LENGTH = 6;
  public static final int PER_PEER_HEADER_LENGTH = 42;

  /** Default upper bound of one BMP message; an extended-message UPDATE is at most 65535. */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 20;

  public static final int BGP_HEADER_LENGTH = 19;
  public static final int BGP_MAX_MESSAGE_LENGTH = 65535;

  /** sysDescr and similar strings are cut to this many characters for labels and logs. */
  public static final int MAX_INFO_STRING = 256;

  private BmpLimits() {}
}
