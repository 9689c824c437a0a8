package org.bmpexporter.bgp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;

/** Decoding of whole BGP messages other than UPDATE: header, OPEN, NOTIFICATION. */
public final class BgpMessages {
  public static final int TYPE_OPEN = 1;
  public static final int TYPE_UPDATE = 2;
  public static final int TYPE_NOTIFICATION = 3;
  public static final int TYPE_KEEPALIVE = 4;
  public static final int TYPE_ROUTE_REFRESH = 5;

  private static final int CAP_MULTIPROTOCOL = 1;
  private static final int CAP_ROUTE_REFRESH = 2;
  private static final int CAP_EXTENDED_MESSAGE = 6;
  private static final int CAP_GRACEFUL_RESTART = 64;
  private static final int CAP_FOUR_OCTET_AS = 65;
  private static final int CAP_ADD_PATH = 69;
  private static final int CAP_ROUTE_REFRESH_OLD = 128;
  private static final int OPT_PARAM_CAPABILITIES = 2;
  private static final int OPT_PARAM_EXTENDED = 255;

  /**
   * More distinct ADD-PATH families than any speaker has (IANA lists a few dozen AFI/SAFI pairs in
   * use): an OPEN claiming more is corrupt, and refusing it bounds what decoding it allocates.
   */
  private static final int MAX_FAMILIES = 256;

  private BgpMessages() {}

  /**
   * Checks the BGP header at {@code off} and returns the message length it declares.
   *
   * @throws BmpProtocolException if fewer than 19 bytes, a bad marker or a bad length
   */
  public static int messageLength(byte[] b, int off, int available) {
    if (available < BmpLimits.BGP_HEADER_LENGTH) {
      throw new BmpProtocolException(
          DecodeError.BAD_BGP_MESSAGE, "BGP message shorter than its header: " + available);
    }
    for (int i = 0; i < 16; i++) {
      if (b[off + i] != (byte) 0xff) {
        throw new BmpProtocolException(DecodeError.BAD_BGP_MESSAGE, "BGP marker not all ones");
      }
    }
    int length = Bytes.u16(b, off + 16);
    if (length < BmpLimits.BGP_HEADER_LENGTH || length > available) {
      throw new BmpProtocolException(
          DecodeError.BAD_BGP_MESSAGE,
          "BGP length " + length + " with " + available + " bytes available");
    }
    return length;
  }

  public static int messageType(byte[] b, int off) {
    return b[off + 18] & 0xff;
  }

  /** Decodes the OPEN message at {@code off} (with its BGP header) of at most {@code available}. */
  public static BgpOpen decodeOpen(byte[] b, int off, int available) {
    int length = messageLength(b, off, available);
    if (messageType(b, off) != TYPE_OPEN || length < 29) {
      throw new BmpProtocolException(DecodeError.BAD_OPEN, "not a BGP OPEN message");
    }
    int p = off + 19;
    int version = Bytes.u8(b, p);
    int myAs = Bytes.u16(b, p + 1);
    int hold = Bytes.u16(b, p + 3);
    long bgpId = Bytes.u32(b, p + 5);
    int optLen = Bytes.u8(b, p + 9);
    p += 10;
    boolean extendedParams = false;
    if (optLen == OPT_PARAM_EXTENDED && p < off + length && Bytes.u8(b, p) == OPT_PARAM_EXTENDED) {
      // RFC 9072 extended optional parameters length
      if (p + 3 > off + length) {
        throw new BmpProtocolException(DecodeError.BAD_OPEN, "truncated extended OPEN parameters");
      }
      optLen = Bytes.u16(b, p + 1);
      p += 3;
      extendedParams = true;
    }
    int end = p + optLen;
    if (end != off + length) {
      throw new BmpProtocolException(
          DecodeError.BAD_OPEN, "OPEN optional parameters length " + optLen + " does not fit");
    }
    long as4 = -1;
    List<Integer> families = new ArrayList<>();
    Map<Integer, Integer> addPath = new LinkedHashMap<>();
    boolean ext = false;
    boolean rr = false;
    boolean gr = false;
    List<Integer> other = new ArrayList<>();
    boolean[] otherSeen = new boolean[256]; // each unknown code once, however often repeated
    while (p < end) {
      int headerLen = extendedParams ? 3 : 2;
      if (p + headerLen > end) {
        throw new BmpProtocolException(DecodeError.BAD_OPEN, "truncated OPEN parameter");
      }
      int type = Bytes.u8(b, p);
      int len = extendedParams ? Bytes.u16(b, p + 1) : Bytes.u8(b, p + 1);
      p += headerLen;
      if (p + len > end) {
        throw new BmpProtocolException(DecodeError.BAD_OPEN, "OPEN parameter overruns");
      }
      if (type == OPT_PARAM_CAPABILITIES) {
        int q = p;
        int capEnd = p + len;
        while (q < capEnd) {
          if (q + 2 > capEnd) {
            throw new BmpProtocolException(DecodeError.BAD_OPEN, "truncated capability");
          }
          int code = Bytes.u8(b, q);
          int clen = Bytes.u8(b, q + 1);
          q += 2;
          if (q + clen > capEnd) {
            throw new BmpProtocolException(
                DecodeError.BAD_OPEN, "capability " + code + " overruns");
          }
          checkCapabilityLength(code, clen);
          switch (code) {
            case CAP_MULTIPROTOCOL:
              families.add(AfiSafi.of(Bytes.u16(b, q), Bytes.u8(b, q + 3)));
              break;
            case CAP_FOUR_OCTET_AS:
              as4 = Bytes.u32(b, q);
              break;
            case CAP_ADD_PATH:
              for (int i = 0; i + 4 <= clen; i += 4) {
                int family = AfiSafi.of(Bytes.u16(b, q + i), Bytes.u8(b, q + i + 2));
                addPath.put(family, Bytes.u8(b, q + i + 3) & 3);
                if (addPath.size() > MAX_FAMILIES) {
                  throw new BmpProtocolException(
                      DecodeError.BAD_OPEN,
                      "ADD-PATH for more than " + MAX_FAMILIES + " address families");
                }
              }
              break;
            case CAP_EXTENDED_MESSAGE:
              ext = true;
              break;
            case CAP_ROUTE_REFRESH:
            case CAP_ROUTE_REFRESH_OLD:
              rr = true;
              break;
            case CAP_GRACEFUL_RESTART:
              gr = true;
              break;
            default:
              if (!otherSeen[code]) {
                otherSeen[code] = true;
                other.add(code);
              }
          }
          q += clen;
        }
      }
      p += len;
    }
    return new BgpOpen(
        version,
        myAs,
        hold,
        bgpId,
        as4,
        List.copyOf(families),
        Map.copyOf(addPath),
        ext,
        rr,
        gr,
        List.copyOf(other));
  }

  /**
   * The capabilities this decoder reads have lengths fixed by their RFCs (4760, 6793, 7911, 2918,
   * 8654, 4724). Any other length means the OPEN is corrupt: the walk over the capabilities after
   * it would be out of alignment, so the OPEN is refused rather than half-believed.
   */
  private static void checkCapabilityLength(int code, int len) {
    boolean ok;
    switch (code) {
      case CAP_MULTIPROTOCOL:
      case CAP_FOUR_OCTET_AS:
        ok = len == 4;
        break;
      case CAP_ADD_PATH: // empty in FRR 10's fabricated Loc-RIB OPENs (NetGauze upa.pcap)
        ok = len % 4 == 0;
        break;
      case CAP_ROUTE_REFRESH:
      case CAP_ROUTE_REFRESH_OLD:
      case CAP_EXTENDED_MESSAGE:
        ok = len == 0;
        break;
      case CAP_GRACEFUL_RESTART:
        ok = len >= 2 && (len - 2) % 4 == 0;
        break;
      default:
        ok = true;
    }
    if (!ok) {
      throw new BmpProtocolException(
          DecodeError.BAD_OPEN, "capability " + code + " with length " + len);
    }
  }

  /** Decodes the NOTIFICATION message at {@code off} (with its BGP header). */
  public static Notification decodeNotification(byte[] b, int off, int available) {
    int length = messageLength(b, off, available);
    if (messageType(b, off) != TYPE_NOTIFICATION || length < 21) {
      throw new BmpProtocolException(DecodeError.BAD_BGP_MESSAGE, "not a BGP NOTIFICATION");
    }
    return new Notification(
        Bytes.u8(b, off + 19),
        Bytes.u8(b, off + 20),
        Arrays.copyOfRange(b, off + 21, off + length));
  }
}
