package org.bmpexporter.server;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol v1 and v2 headers (HAProxy's proxy-protocol.txt), read from the start of a
 * connection. Framing ({@link #frameLength}: is a whole header there, and how long is it) is kept
 * apart from parsing ({@link #parse}), as in Netty's codec-haproxy; both only peek at the bytes
 * with absolute reads, so a caller can retry framing as bytes arrive and hand what follows the
 * header to the BMP session. Every problem is a {@link ProxyProtocolException}.
 */
final class ProxyHeaderDecoder {
  /** v1: "PROXY TCP6 " + two 39-character addresses + two ports + spaces + CRLF (spec 2.1). */
  static final int V1_MAX_LENGTH = 107;

  /** v2: signature (12), version/command, family/transport, length (2). */
  static final int V2_FIXED_LENGTH = 16;

  /**
   * v2: the most address and TLV bytes accepted. The spec allows 65535, but addresses take at most
   * 216 bytes (AF_UNIX) and the TLVs HAProxy sends (ALPN, authority, unique ID of up to 128 bytes,
   * CRC32C, SSL details, network namespace) fit in a few hundred: 4 KiB keeps what a connection may
   * make us buffer before it is a session small, and no real header near it.
   */
  static final int V2_MAX_ADDRESS_BYTES = 4096;

  static final int V2_MAX_LENGTH = V2_FIXED_LENGTH + V2_MAX_ADDRESS_BYTES;

  /** The longest header accepted: what a caller must be able to buffer. */
  static final int MAX_LENGTH = Math.max(V1_MAX_LENGTH, V2_MAX_LENGTH);

  private static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  private static final int V2_COMMAND_LOCAL = 0;
  private static final int V2_COMMAND_PROXY = 1;
  private static final int V2_AF_INET = 1;
  private static final int V2_AF_INET6 = 2;
  private static final int V2_AF_UNIX = 3;
  private static final int V2_TRANSPORT_UNSPEC = 0;
  private static final int V2_TRANSPORT_STREAM = 1;
  private static final int V2_INET_ADDRESS_BYTES = 12;
  private static final int V2_INET6_ADDRESS_BYTES = 36;
  private static final int V2_UNIX_ADDRESS_BYTES = 216;
  private static final int V2_TLV_HEADER = 3;

  /** What the first bytes of a connection are. */
  enum Start {
    V1,
    V2,
    /** Not a PROXY header (a BMP stream starts with its version, 3). */
    NOT_PROXY,
    /** So far a prefix of a signature: more bytes decide. */
    NEED_MORE
  }

  private ProxyHeaderDecoder() {}

  /** Which header, if any, the {@code len} bytes at {@code off} start with. */
  static Start start(byte[] b, int off, int len) {
    boolean v1 = matchesPrefix(b, off, len, V1_SIGNATURE);
    boolean v2 = matchesPrefix(b, off, len, V2_SIGNATURE);
    if (v1 && len >= V1_SIGNATURE.length) {
      return Start.V1;
    }
    if (v2 && len >= V2_SIGNATURE.length) {
      return Start.V2;
    }
    return v1 || v2 ? Start.NEED_MORE : Start.NOT_PROXY;
  }

  /** The first {@code min(len, sig.length)} bytes equal the signature's. */
  private static boolean matchesPrefix(byte[] b, int off, int len, byte[] sig) {
    int n = Math.min(len, sig.length);
    for (int i = 0; i < n; i++) {
      if (b[off + i] != sig[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The length of the header at {@code off}, or -1 if the {@code len} bytes there are a header's
   * beginning and more are needed. Throws if they are not a header or one longer than the limits.
   */
  static int frameLength(byte[] b, int off, int len) throws ProxyProtocolException {
    return switch (start(b, off, len)) {
      case NEED_MORE -> -1;
      case NOT_PROXY -> throw new ProxyProtocolException("no PROXY protocol header");
      case V1 -> v1FrameLength(b, off, len);
      case V2 -> v2FrameLength(b, off, len);
    };
  }

  private static int v1FrameLength(byte[] b, int off, int len) throws ProxyProtocolException {
    // the CR can be at most at V1_MAX_LENGTH - 2, so that CRLF ends within the limit
    int lastCr = V1_MAX_LENGTH - 2;
    int n = Math.min(len, lastCr + 1);
    for (int i = V1_SIGNATURE.length; i < n; i++) {
      byte c = b[off + i];
      if (c == '\r') {
        if (i + 1 == len) {
          return -1;
        }
        if (b[off + i + 1] != '\n') {
          throw new ProxyProtocolException("v1 header: CR not followed by LF");
        }
        return i + 2;
      }
      if (c < 0x20 || c > 0x7E) {
        throw new ProxyProtocolException(
            "v1 header: byte 0x" + Integer.toHexString(c & 0xFF) + " at " + i);
      }
    }
    if (len > lastCr) {
      throw new ProxyProtocolException("v1 header: no CRLF within " + V1_MAX_LENGTH + " bytes");
    }
    return -1;
  }

  private static int v2FrameLength(byte[] b, int off, int len) throws ProxyProtocolException {
    if (len < V2_FIXED_LENGTH) {
      return -1;
    }
    int addressBytes = u16(b, off + 14);
    if (addressBytes > V2_MAX_ADDRESS_BYTES) {
      throw new ProxyProtocolException(
          "v2 header: "
              + addressBytes
              + " address and TLV bytes, more than the "
              + V2_MAX_ADDRESS_BYTES
              + " accepted");
    }
    int total = V2_FIXED_LENGTH + addressBytes;
    return len >= total ? total : -1;
  }

  /** Parses the whole header of {@code length} bytes (as {@link #frameLength} found) at off. */
  static ProxyHeader parse(byte[] b, int off, int length) throws ProxyProtocolException {
    return switch (start(b, off, length)) {
      case V1 -> parseV1(b, off, length);
      case V2 -> parseV2(b, off, length);
      default -> throw new ProxyProtocolException("no PROXY protocol header");
    };
  }

  /**
   * Framing and parsing in one: the header at {@code off}, or null if more bytes are needed.
   * Convenience for callers that hold all bytes received so far in one array.
   */
  static ProxyHeader decode(byte[] b, int off, int len) throws ProxyProtocolException {
    int length = frameLength(b, off, len);
    return length < 0 ? null : parse(b, off, length);
  }

  // ------------------------------------------------------------------ v1

  private static ProxyHeader parseV1(byte[] b, int off, int length) throws ProxyProtocolException {
    // framing checked printable ASCII up to the CRLF
    String line = new String(b, off, length - 2, StandardCharsets.US_ASCII);
    String[] f = line.split(" ", -1);
    if (f.length < 2) {
      throw new ProxyProtocolException("v1 header: no protocol");
    }
    String protocol = f[1];
    if (protocol.equals("UNKNOWN")) {
      return new ProxyHeader(1, null, 0, null, 0, length); // the rest is ignored (spec 2.1)
    }
    boolean v4 = protocol.equals("TCP4");
    if (!v4 && !protocol.equals("TCP6")) {
      throw new ProxyProtocolException("v1 header: unknown protocol '" + protocol + "'");
    }
    if (f.length != 6) {
      throw new ProxyProtocolException(
          "v1 header: " + (f.length - 2) + " fields after " + protocol + ", expected 4");
    }
    InetAddress source = v1Address(f[2], v4, "source");
    InetAddress destination = v1Address(f[3], v4, "destination");
    return new ProxyHeader(
        1, source, v1Port(f[4], "source"), destination, v1Port(f[5], "destination"), length);
  }

  /** An address literal of the family the protocol names; never a name lookup. */
  private static InetAddress v1Address(String text, boolean v4, String which)
      throws ProxyProtocolException {
    boolean valid = v4 ? NetUtil.isValidIpV4Address(text) : validIpv6(text);
    if (!valid) {
      throw new ProxyProtocolException(
          "v1 header: " + which + " '" + text + "' is not an IPv" + (v4 ? "4" : "6") + " address");
    }
    return address(NetUtil.createByteArrayFromIpAddressString(text));
  }

  private static boolean validIpv6(String text) {
    // no zone index, no brackets: the spec's form is a plain address
    return text.indexOf('%') < 0
        && text.indexOf('[') < 0
        && NetUtil.isValidIpV6Address(text)
        && NetUtil.createByteArrayFromIpAddressString(text) != null;
  }

  /** A decimal port 0-65535 without sign or leading zeros. */
  private static int v1Port(String text, String which) throws ProxyProtocolException {
    boolean digits =
        !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(Character::isDigit);
    if (digits && (text.length() == 1 || text.charAt(0) != '0')) {
      int port = Integer.parseInt(text);
      if (port <= 0xFFFF) {
        return port;
      }
    }
    throw new ProxyProtocolException("v1 header: " + which + " port '" + text + "' is not 0-65535");
  }

  // ------------------------------------------------------------------ v2

  private static ProxyHeader parseV2(byte[] b, int off, int length) throws ProxyProtocolException {
    int versionCommand = b[off + 12] & 0xFF;
    if (versionCommand >> 4 != 2) {
      throw new ProxyProtocolException("v2 header: version " + (versionCommand >> 4) + ", not 2");
    }
    int command = versionCommand & 0x0F;
    if (command != V2_COMMAND_LOCAL && command != V2_COMMAND_PROXY) {
      throw new ProxyProtocolException("v2 header: unknown command " + command);
    }
    int familyTransport = b[off + 13] & 0xFF;
    int family = familyTransport >> 4;
    int transport = familyTransport & 0x0F;
    int addressBytes = u16(b, off + 14);
    if (V2_FIXED_LENGTH + addressBytes != length) {
      throw new ProxyProtocolException("v2 header: length field disagrees with the frame");
    }
    if (family > V2_AF_UNIX) {
      throw new ProxyProtocolException("v2 header: unknown address family " + family);
    }
    if (transport > 2) {
      throw new ProxyProtocolException("v2 header: unknown transport " + transport);
    }
    int p = off + V2_FIXED_LENGTH;
    int end = off + length;
    int addressLength =
        switch (family) {
          case V2_AF_INET -> V2_INET_ADDRESS_BYTES;
          case V2_AF_INET6 -> V2_INET6_ADDRESS_BYTES;
          case V2_AF_UNIX -> V2_UNIX_ADDRESS_BYTES;
          default -> 0; // AF_UNSPEC: no address block
        };
    if (command == V2_COMMAND_LOCAL) {
      // health checks and the proxy's own connections: the block is to be ignored (spec 2.2)
      return new ProxyHeader(2, null, 0, null, 0, length);
    }
    if (addressBytes < addressLength) {
      throw new ProxyProtocolException(
          "v2 header: "
              + addressBytes
              + " address bytes, family "
              + family
              + " needs "
              + addressLength);
    }
    skipTlvs(b, p + addressLength, end);
    if (family != V2_AF_INET && family != V2_AF_INET6) {
      // AF_UNSPEC or AF_UNIX: no IP address of the client to use; the connection stands for it
      return new ProxyHeader(2, null, 0, null, 0, length);
    }
    if (transport != V2_TRANSPORT_STREAM && transport != V2_TRANSPORT_UNSPEC) {
      throw new ProxyProtocolException("v2 header: a datagram transport on a TCP listener");
    }
    int n = family == V2_AF_INET ? 4 : 16;
    byte[] src = new byte[n];
    byte[] dst = new byte[n];
    System.arraycopy(b, p, src, 0, n);
    System.arraycopy(b, p + n, dst, 0, n);
    return new ProxyHeader(
        2, address(src), u16(b, p + 2 * n), address(dst), u16(b, p + 2 * n + 2), length);
  }

  /** Walks the TLVs by their lengths; each must lie within the header. Their values are unused. */
  private static void skipTlvs(byte[] b, int p, int end) throws ProxyProtocolException {
    while (p < end) {
      if (end - p < V2_TLV_HEADER) {
        throw new ProxyProtocolException("v2 header: truncated TLV header");
      }
      int tlvLength = u16(b, p + 1);
      if (end - p - V2_TLV_HEADER < tlvLength) {
        throw new ProxyProtocolException(
            "v2 header: TLV type 0x"
                + Integer.toHexString(b[p] & 0xFF)
                + " of "
                + tlvLength
                + " bytes runs past the header");
      }
      p += V2_TLV_HEADER + tlvLength;
    }
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
  }

  /** IPv4-mapped IPv6 addresses come back as IPv4, as the JDK does for socket addresses. */
  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes", e);
    }
  }
}
