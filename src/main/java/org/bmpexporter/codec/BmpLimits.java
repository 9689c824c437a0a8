package org.bmpexporter.codec;

/** Sizes fixed by RFC 7854 and the limits this decoder enforces. */
public final class BmpLimits {
  public static final int VERSION = 3;

  /**
   * BMP version 4 (draft-ietf-grow-bmp-tlv): the version 3 common header, with TLVs in Route
   * Monitoring and after Peer Down data.
   */
  public static final int VERSION_4 = 4;

  public static final int COMMON_HEADER_LENGTH = 6;
  public static final int PER_PEER_HEADER_LENGTH = 42;

  /** Default upper bound of one BMP message; an extended-message UPDATE is at most 65535. */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 20;

  public static final int BGP_HEADER_LENGTH = 19;
  public static final int BGP_MAX_MESSAGE_LENGTH = 65535;

  /** sysDescr and similar strings are cut to this many characters for labels and logs. */
  public static final int MAX_INFO_STRING = 256;

  /** Whether a common header of {@code version} is framed as RFC 7854 frames version 3. */
  public static boolean lengthFramed(int version) {
    return version == VERSION || version == VERSION_4;
  }

  private BmpLimits() {}
}
