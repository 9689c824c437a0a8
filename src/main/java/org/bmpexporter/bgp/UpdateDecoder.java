package org.bmpexporter.bgp;

import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.ErrorListener;
import org.bmpexporter.codec.Quirk;

/**
 * Walks a BGP UPDATE (RFC 4271, RFC 4760) and hands every announced and withdrawn NLRI to a {@link
 * NlriSink} without allocating per route. Route keys, per family kind:
 *
 * <ul>
 *   <li>prefix, labeled prefix (RFC 8277): {@code [bits][prefix bytes, host bits cleared]}
 *   <li>VPN prefix (RFC 4364): {@code [RD 8][bits][prefix bytes]} (labels excluded)
 *   <li>EVPN (RFC 7432, 9136): {@code [route type][route key fields]} (labels, ESI of types 2 and 5
 *       and gateway excluded, as the RFCs define the route key)
 *   <li>VPLS (RFC 4761): the NLRI without its label base; flowspec and BGP-LS: the NLRI bytes
 * </ul>
 *
 * <p>Path identifiers are expected as the Peer Up OPENs declare them for the RIB ({@link
 * AddPathModes}). Only when the NLRI of a family do not parse that way (a prefix longer than the
 * family's addresses, an NLRI overrunning its field, bytes left over) and do parse the other way is
 * the UPDATE decoded the other way, the mode remembered for that family and a quirk counted (Huawei
 * VRP 8.230, FRR and Junos are known to contradict their OPENs). Every NLRI field of the UPDATE is
 * validated before any route is applied, so a re-parse never counts a route twice. A malformed
 * attribute makes the UPDATE's NLRI withdrawals (RFC 7606 treat-as-withdraw). Nothing is thrown out
 * of {@link #decode}.
 *
 * <p>One instance per session (it owns a scratch buffer); not thread-safe.
 */
public final class UpdateDecoder implements OriginSource {

  private static final int LABEL_BITS = 24;
  private static final int RD_BITS = 64;

  /** RFC 8277 withdrawal label value (0x800000) and the all-zero label some routers send. */
  private static final int WITHDRAW_LABEL = 0x800000;

  /** NLRI fields of one UPDATE: withdrawn routes, MP_UNREACH, MP_REACH, NLRI. */
  private static final int MAX_FIELDS = 4;

  /** Field state: not yet decided, decided with/without path ids, skipped, End-of-RIB marker. */
  private static final byte UNDECIDED = 0;

  private static final byte WITH_IDS = 1;
  private static final byte WITHOUT_IDS = 2;
  private static final byte SKIPPED = 3;
  private static final byte END_OF_RIB = 4;

  private final byte[] scratch = new byte[512];

  // Per-UPDATE facts, reset in decode(); fields so the walk needs no objects.
  private int mpReachOff;
  private int mpReachLen;
  private int mpUnreachOff;
  private int mpUnreachLen;
  private boolean treatAsWithdraw;

  // Where the UPDATE being decoded keeps its AS paths, for originAs() (called back by a sink only
  // for the few routes that need it: the AS_PATH is not parsed for the others).
  private byte[] buffer;
  private int asPathOff;
  private int asPathLen;
  private int asPathWidth;
  private int as4PathOff;
  private int as4PathLen;
  private long origin;
  private boolean originKnown;

  // The UPDATE's NLRI fields, collected first and applied once every family's mode is decided.
  private final int[] fieldFamily = new int[MAX_FIELDS];
  private final int[] fieldOff = new int[MAX_FIELDS];
  private final int[] fieldEnd = new int[MAX_FIELDS];
  private final boolean[] fieldAnnounce = new boolean[MAX_FIELDS];
  private final byte[] fieldState = new byte[MAX_FIELDS];
  private int fields;

  /** Result of one decode, for callers that count messages. */
  public enum Outcome {
    OK,
    TREAT_AS_WITHDRAW,
    MALFORMED
  }

  /**
   * Decodes the UPDATE at {@code off} (including the 19-byte BGP header) with the ADD-PATH facts of
   * {@code facts} for routes travelling in {@code direction}, learning nothing across calls.
   *
   * @param legacyAsPath the BMP A flag: AS_PATH carries 2-octet ASNs
   */
  public Outcome decode(
      byte[] b,
      int off,
      int len,
      Direction direction,
      SessionFacts facts,
      boolean legacyAsPath,
      NlriSink sink,
      ErrorListener errors) {
    return decode(
        b,
        off,
        len,
        AddPathModes.of(
            facts,
            direction == Direction.SENT
                ? AddPathModes.RibKind.ADJ_RIB_OUT
                : AddPathModes.RibKind.ADJ_RIB_IN),
        legacyAsPath,
        sink,
        errors);
  }

  /**
   * Decodes the UPDATE at {@code off} (including the 19-byte BGP header).
   *
   * @param modes the ADD-PATH modes of the RIB the UPDATE belongs to
   * @param legacyAsPath the BMP A flag: AS_PATH carries 2-octet ASNs
   */
  public Outcome decode(
      byte[] b,
      int off,
      int len,
      AddPathModes modes,
      boolean legacyAsPath,
      NlriSink sink,
      ErrorListener errors) {
    int end;
    try {
      end = off + BgpMessages.messageLength(b, off, len);
    } catch (BmpProtocolException e) {
      errors.error(DecodeError.MALFORMED_UPDATE, e.getMessage());
      return Outcome.MALFORMED;
    }
    if (BgpMessages.messageType(b, off) != BgpMessages.TYPE_UPDATE || end - off < 23) {
      errors.error(DecodeError.MALFORMED_UPDATE, "not a BGP UPDATE or shorter than 23 bytes");
      return Outcome.MALFORMED;
    }
    fields = 0;
    int p = off + BmpLimits.BGP_HEADER_LENGTH;
    int withdrawnLen = Bytes.u16(b, p);
    int withdrawnOff = p + 2;
    if (withdrawnOff + withdrawnLen + 2 > end) {
      errors.error(DecodeError.MALFORMED_UPDATE, "withdrawn routes length overruns the UPDATE");
      return Outcome.MALFORMED;
    }
    int attrLen = Bytes.u16(b, withdrawnOff + withdrawnLen);
    int attrOff = withdrawnOff + withdrawnLen + 2;
    int v4 = AfiSafi.IPV4_UNICAST;
    if (attrOff + attrLen > end) {
      errors.error(DecodeError.MALFORMED_UPDATE, "path attributes length overruns the UPDATE");
      field(v4, false, withdrawnOff, withdrawnOff + withdrawnLen, errors);
      apply(b, modes, sink, errors);
      return Outcome.MALFORMED;
    }
    int nlriOff = attrOff + attrLen;
    mpReachOff = -1;
    mpUnreachOff = -1;
    treatAsWithdraw = false;
    buffer = b;
    asPathOff = -1;
    as4PathOff = -1;
    asPathWidth = legacyAsPath ? 2 : 4;
    originKnown = false;
    walkAttributes(b, attrOff, nlriOff, legacyAsPath, errors);

    if (withdrawnLen == 0 && attrLen == 0 && nlriOff == end) {
      sink.endOfRib(v4);
      return Outcome.OK;
    }
    field(v4, false, withdrawnOff, withdrawnOff + withdrawnLen, errors);
    boolean announce = !treatAsWithdraw;
    if (mpUnreachOff >= 0) {
      mpUnreach(b, mpUnreachOff, mpUnreachLen, errors);
    }
    if (mpReachOff >= 0) {
      mpReach(b, mpReachOff, mpReachLen, announce, errors);
    }
    field(v4, announce, nlriOff, end, errors);
    apply(b, modes, sink, errors);
    return treatAsWithdraw ? Outcome.TREAT_AS_WITHDRAW : Outcome.OK;
  }

  private void walkAttributes(
      byte[] b, int p, int end, boolean legacyAsPath, ErrorListener errors) {
    while (p < end) {
      if (end - p < 3) {
        malformedAttribute(errors, -1, end - p);
        return;
      }
      int flags = Bytes.u8(b, p);
      int code = Bytes.u8(b, p + 1);
      int headerLen = (flags & AttributeType.FLAG_EXTENDED_LENGTH) != 0 ? 4 : 3;
      if (end - p < headerLen) {
        malformedAttribute(errors, -1, end - p);
        return;
      }
      int len = headerLen == 4 ? Bytes.u16(b, p + 2) : Bytes.u8(b, p + 2);
      int value = p + headerLen;
      if (value + len > end) {
        malformedAttribute(errors, code, len);
        return;
      }
      switch (code) {
        case AttributeType.ORIGIN:
          checkLength(code, len, 1, errors);
          break;
        case AttributeType.NEXT_HOP:
        case AttributeType.MED:
        case AttributeType.LOCAL_PREF:
        case AttributeType.ORIGINATOR_ID: // RFC 7606 7.9
          checkLength(code, len, 4, errors);
          break;
        case AttributeType.COMMUNITIES: // RFC 7606 7.8
        case AttributeType.CLUSTER_LIST: // RFC 7606 7.10
          checkWholeValues(code, len, 4, errors);
          break;
        case AttributeType.EXTENDED_COMMUNITIES: // RFC 7606 7.14
          checkWholeValues(code, len, 8, errors);
          break;
        case AttributeType.LARGE_COMMUNITY: // RFC 8092 5
          checkWholeValues(code, len, 12, errors);
          break;
        case AttributeType.AS_PATH:
          asPathOff = value;
          asPathLen = len;
          if (!validAsPath(b, value, len, legacyAsPath ? 2 : 4)) {
            if (validAsPath(b, value, len, legacyAsPath ? 4 : 2)) {
              asPathWidth = legacyAsPath ? 4 : 2;
              errors.quirk(
                  Quirk.AS_PATH_WIDTH,
                  "AS_PATH parses only with "
                      + (legacyAsPath ? 4 : 2)
                      + "-octet AS numbers, against the per-peer header's A flag");
            } else {
              malformedAttribute(errors, code, len);
            }
          }
          break;
        case AttributeType.AS4_PATH:
          // RFC 6793 6: a malformed AS4_PATH is discarded, the UPDATE stays
          if (validAsPath(b, value, len, 4)) {
            as4PathOff = value;
            as4PathLen = len;
          }
          break;
        case AttributeType.MP_REACH:
          if (mpReachOff >= 0) {
            malformedAttribute(errors, code, len);
          } else {
            mpReachOff = value;
            mpReachLen = len;
          }
          break;
        case AttributeType.MP_UNREACH:
          if (mpUnreachOff >= 0) {
            malformedAttribute(errors, code, len);
          } else {
            mpUnreachOff = value;
            mpUnreachLen = len;
          }
          break;
        default:
          break;
      }
      p = value + len;
    }
  }

  /**
   * The origin AS of the UPDATE being decoded ({@link AsPaths#origin}); call only from the sink,
   * during {@link #decode}. Parsed on the first call of each UPDATE.
   */
  @Override
  public long originAs(long speakerAs) {
    if (!originKnown) {
      origin =
          AsPaths.origin(
              buffer, asPathOff, asPathLen, asPathWidth, as4PathOff, as4PathLen, speakerAs);
      originKnown = true;
    }
    return origin;
  }

  private void checkLength(int code, int len, int expected, ErrorListener errors) {
    if (len != expected) {
      malformedAttribute(errors, code, len);
    }
  }

  /** A list attribute must hold a non-zero whole number of values. */
  private void checkWholeValues(int code, int len, int valueLength, ErrorListener errors) {
    if (len == 0 || len % valueLength != 0) {
      malformedAttribute(errors, code, len);
    }
  }

  /**
   * Marks the UPDATE treat-as-withdraw and reports it once; the text is made only then, as an
   * UPDATE can hold thousands of bad attributes.
   *
   * @param code the attribute type code, or -1 for a truncated attribute header
   */
  private void malformedAttribute(ErrorListener errors, int code, int len) {
    if (!treatAsWithdraw) {
      errors.error(
          DecodeError.TREAT_AS_WITHDRAW,
          (code < 0
                  ? "truncated path attribute header (" + len + " bytes left)"
                  : "malformed path attribute " + code + " (length " + len + ")")
              + ": UPDATE treated as withdraw");
    }
    treatAsWithdraw = true;
  }

  private static boolean validAsPath(byte[] b, int p, int len, int width) {
    int end = p + len;
    while (p < end) {
      if (end - p < 2) {
        return false;
      }
      int type = Bytes.u8(b, p);
      int count = Bytes.u8(b, p + 1);
      if (type < 1 || type > 4 || count == 0) {
        return false;
      }
      p += 2 + count * width;
    }
    return p == end;
  }

  private void mpReach(byte[] b, int p, int len, boolean announce, ErrorListener errors) {
    if (len < 5 || len < 5 + Bytes.u8(b, p + 3)) {
      errors.error(DecodeError.MALFORMED_UPDATE, "MP_REACH_NLRI shorter than its next hop");
      return;
    }
    int nextHopLength = Bytes.u8(b, p + 3);
    if (nextHopLength % 4 != 0) {
      // RFC 7606 7.11: an inconsistent next hop length leaves the NLRI start unknown. Real next
      // hops are 0 (flowspec; IOS XR Loc-RIB), 4, 8 (IOS XR), 12, 16, 24, 32 or 48 bytes.
      errors.error(
          DecodeError.MALFORMED_UPDATE,
          "MP_REACH_NLRI next hop length " + nextHopLength + " is no address");
      return;
    }
    int family = AfiSafi.of(Bytes.u16(b, p), Bytes.u8(b, p + 2));
    int nlri = p + 4 + nextHopLength + 1; // next hop, then one reserved byte
    field(family, announce, nlri, p + len, errors);
  }

  private void mpUnreach(byte[] b, int p, int len, ErrorListener errors) {
    if (len < 3) {
      errors.error(DecodeError.MALFORMED_UPDATE, "MP_UNREACH_NLRI shorter than AFI/SAFI");
      return;
    }
    int family = AfiSafi.of(Bytes.u16(b, p), Bytes.u8(b, p + 2));
    if (len == 3) {
      fieldFamily[fields] = family;
      fieldState[fields++] = END_OF_RIB;
      return;
    }
    field(family, false, p + 3, p + len, errors);
  }

  /** Adds a non-empty NLRI field of a family this decoder can split, to be applied later. */
  private void field(int family, boolean announce, int p, int end, ErrorListener errors) {
    if (p >= end) {
      return;
    }
    if (AfiSafi.kind(family) == AfiSafi.Kind.UNKNOWN) {
      errors.error(
          DecodeError.UNKNOWN_AFI_SAFI, "NLRI of " + AfiSafi.label(family) + " skipped by length");
      return;
    }
    fieldFamily[fields] = family;
    fieldAnnounce[fields] = announce;
    fieldOff[fields] = p;
    fieldEnd[fields] = end;
    fieldState[fields++] = UNDECIDED;
  }

  /**
   * Decides the ADD-PATH mode of each family of the UPDATE over all its fields, then applies the
   * fields in wire order: no route reaches the sink before every field of its family parsed.
   */
  private void apply(byte[] b, AddPathModes modes, NlriSink sink, ErrorListener errors) {
    for (int i = 0; i < fields; i++) {
      if (fieldState[i] == UNDECIDED) {
        decide(fieldFamily[i], i, b, modes, errors);
      }
    }
    for (int i = 0; i < fields; i++) {
      switch (fieldState[i]) {
        case END_OF_RIB:
          sink.endOfRib(fieldFamily[i]);
          break;
        case WITH_IDS:
        case WITHOUT_IDS:
          walk(
              AfiSafi.kind(fieldFamily[i]),
              fieldFamily[i],
              fieldAnnounce[i],
              b,
              fieldOff[i],
              fieldEnd[i],
              fieldState[i] == WITH_IDS,
              sink);
          break;
        default:
          break;
      }
    }
  }

  /**
   * The mode of {@code family}'s fields (from {@code first} on): the declared one (or the one
   * learned when the stream contradicted it) if every field parses so, else the other one if every
   * field parses so (learned, and a quirk when a Peer Up declared the first), else each field that
   * does not parse the expected way is skipped as malformed.
   */
  private void decide(int family, int first, byte[] b, AddPathModes modes, ErrorListener errors) {
    boolean declared = modes.declared(family);
    int learned = modes.learned(family);
    boolean expected = learned >= 0 ? learned == 1 : declared;
    boolean use = expected;
    if (!allParse(family, first, b, expected)) {
      if (allParse(family, first, b, !expected)) {
        use = !expected;
        modes.learn(family, use == declared ? -1 : use ? 1 : 0);
      } else {
        for (int i = first; i < fields; i++) {
          if (fieldState[i] == UNDECIDED && fieldFamily[i] == family) {
            boolean ok = parses(i, b, expected);
            fieldState[i] = ok ? (expected ? WITH_IDS : WITHOUT_IDS) : SKIPPED;
            if (!ok) {
              errors.error(
                  DecodeError.MALFORMED_NLRI,
                  "unparsable " + AfiSafi.label(family) + " NLRI skipped");
            }
          }
        }
        return;
      }
    }
    if (use != declared && modes.known()) {
      errors.quirk(
          modes.quirk(use),
          AfiSafi.label(family)
              + " NLRI parse only "
              + (use ? "with" : "without")
              + " ADD-PATH path identifiers, against the Peer Up OPENs");
    }
    for (int i = first; i < fields; i++) {
      if (fieldState[i] == UNDECIDED && fieldFamily[i] == family) {
        fieldState[i] = use ? WITH_IDS : WITHOUT_IDS;
      }
    }
  }

  private boolean allParse(int family, int first, byte[] b, boolean addPath) {
    for (int i = first; i < fields; i++) {
      if (fieldState[i] == UNDECIDED && fieldFamily[i] == family && !parses(i, b, addPath)) {
        return false;
      }
    }
    return true;
  }

  private boolean parses(int i, byte[] b, boolean addPath) {
    int family = fieldFamily[i];
    return walk(
        AfiSafi.kind(family), family, fieldAnnounce[i], b, fieldOff[i], fieldEnd[i], addPath, null);
  }

  /** Walks NLRI; with a null sink only checks that they parse exactly to {@code end}. */
  private boolean walk(
      AfiSafi.Kind kind,
      int family,
      boolean announce,
      byte[] b,
      int p,
      int end,
      boolean addPath,
      NlriSink sink) {
    int maxBits = AfiSafi.addressBits(family);
    while (p < end) {
      long pathId = NlriSink.NO_PATH_ID;
      if (addPath) {
        if (end - p < 4) {
          return false;
        }
        pathId = Bytes.u32(b, p);
        p += 4;
      }
      if (p >= end) {
        return false;
      }
      int next;
      switch (kind) {
        case PREFIX:
          next = prefix(family, announce, pathId, b, p, end, maxBits, sink);
          break;
        case LABELED_PREFIX:
          next = labeledPrefix(family, announce, pathId, b, p, end, maxBits, false, sink);
          break;
        case VPN_PREFIX:
          next = labeledPrefix(family, announce, pathId, b, p, end, maxBits, true, sink);
          break;
        case EVPN:
          next = evpn(family, announce, pathId, b, p, end, sink);
          break;
        case VPLS:
          next = vpls(family, announce, pathId, b, p, end, sink);
          break;
        case FLOWSPEC:
          next = flowspec(family, announce, pathId, b, p, end, sink);
          break;
        case BGP_LS:
          next = bgpLs(family, announce, pathId, b, p, end, sink);
          break;
        default:
          return false;
      }
      if (next < 0) {
        return false;
      }
      p = next;
    }
    return true;
  }

  private int prefix(
      int family,
      boolean announce,
      long pathId,
      byte[] b,
      int p,
      int end,
      int maxBits,
      NlriSink sink) {
    int bits = Bytes.u8(b, p);
    int bytes = (bits + 7) >>> 3;
    if (bits > maxBits || p + 1 + bytes > end) {
      return -1;
    }
    if (sink != null) {
      int keyLen = prefixKey(b, p + 1, bits, 0);
      sink.route(family, announce, pathId, scratch, 0, keyLen);
    }
    return p + 1 + bytes;
  }

  /** Writes {@code [bits][prefix]} with host bits cleared at {@code at}; returns the key length. */
  private int prefixKey(byte[] b, int prefixOff, int bits, int at) {
    int bytes = (bits + 7) >>> 3;
    scratch[at] = (byte) bits;
    System.arraycopy(b, prefixOff, scratch, at + 1, bytes);
    if ((bits & 7) != 0) {
      scratch[at + bytes] &= (byte) (0xff << (8 - (bits & 7)));
    }
    return at + 1 + bytes;
  }

  /** RFC 8277 labeled unicast, or with {@code vpn} RFC 4364 labeled VPN (labels, RD, prefix). */
  private int labeledPrefix(
      int family,
      boolean announce,
      long pathId,
      byte[] b,
      int p,
      int end,
      int maxBits,
      boolean vpn,
      NlriSink sink) {
    int totalBits = Bytes.u8(b, p);
    int bytes = (totalBits + 7) >>> 3;
    if (p + 1 + bytes > end) {
      return -1;
    }
    int q = p + 1;
    int bits = totalBits;
    // Labels until the bottom-of-stack bit, or a withdrawal label.
    while (true) {
      if (bits < LABEL_BITS) {
        return -1;
      }
      int label = Bytes.u24(b, q);
      q += 3;
      bits -= LABEL_BITS;
      if ((label & 1) != 0 || label == WITHDRAW_LABEL || label == 0) {
        break;
      }
    }
    int at = 0;
    if (vpn) {
      if (bits < RD_BITS) {
        return -1;
      }
      if (sink != null) {
        System.arraycopy(b, q, scratch, 0, 8);
      }
      at = 8;
      q += 8;
      bits -= RD_BITS;
    }
    if (bits > maxBits) {
      return -1;
    }
    if (sink != null) {
      int keyLen = prefixKey(b, q, bits, at);
      sink.route(family, announce, pathId, scratch, 0, keyLen);
    }
    return p + 1 + bytes;
  }

  private int evpn(
      int family, boolean announce, long pathId, byte[] b, int p, int end, NlriSink sink) {
    if (end - p < 2) {
      return -1;
    }
    int type = Bytes.u8(b, p);
    int len = Bytes.u8(b, p + 1);
    int v = p + 2;
    if (v + len > end) {
      return -1;
    }
    if (sink != null) {
      int keyLen = evpnKey(type, b, v, len);
      if (keyLen < 0) {
        sink.route(family, announce, pathId, b, p, 2 + len);
      } else {
        sink.route(family, announce, pathId, scratch, 0, keyLen);
      }
    }
    return v + len;
  }

  /** The RFC 7432/9136 route key of types 1, 2 and 5 in scratch, or -1 to key on all bytes. */
  private int evpnKey(int type, byte[] b, int v, int len) {
    scratch[0] = (byte) type;
    switch (type) {
      case 1: // RD, ESI, Ethernet tag, label: the label is not part of the key
        if (len != 25) {
          return -1;
        }
        System.arraycopy(b, v, scratch, 1, 22);
        return 23;
      case 2: // RD, ESI, tag, MAC len, MAC, IP len, IP, labels: key = RD, tag, MAC, IP
        {
          if (len < 33) {
            return -1;
          }
          int ipBits = Bytes.u8(b, v + 29);
          int ipBytes = ipBits >>> 3;
          if (30 + ipBytes > len) {
            return -1;
          }
          System.arraycopy(b, v, scratch, 1, 8);
          System.arraycopy(b, v + 18, scratch, 9, 12 + ipBytes);
          return 21 + ipBytes;
        }
      case 5: // RD, ESI, tag, prefix len, prefix, gateway, label: key = RD, tag, prefix
        {
          int addr = len == 34 ? 4 : len == 58 ? 16 : -1;
          if (addr < 0) {
            return -1;
          }
          System.arraycopy(b, v, scratch, 1, 8);
          System.arraycopy(b, v + 18, scratch, 9, 5 + addr);
          return 14 + addr;
        }
      default:
        return -1;
    }
  }

  private int vpls(
      int family, boolean announce, long pathId, byte[] b, int p, int end, NlriSink sink) {
    if (end - p < 2) {
      return -1;
    }
    int len = Bytes.u16(b, p);
    if (p + 2 + len > end) {
      return -1;
    }
    if (sink != null) {
      // RD, VE ID, block offset, block size, label base: the label base is not part of the key
      sink.route(family, announce, pathId, b, p + 2, len == 17 ? 14 : len);
    }
    return p + 2 + len;
  }

  private int flowspec(
      int family, boolean announce, long pathId, byte[] b, int p, int end, NlriSink sink) {
    int len = Bytes.u8(b, p);
    int header = 1;
    if (len >= 0xf0) {
      if (end - p < 2) {
        return -1;
      }
      len = ((len & 0x0f) << 8) | Bytes.u8(b, p + 1);
      header = 2;
    }
    if (p + header + len > end) {
      return -1;
    }
    if (sink != null) {
      sink.route(family, announce, pathId, b, p + header, len);
    }
    return p + header + len;
  }

  private int bgpLs(
      int family, boolean announce, long pathId, byte[] b, int p, int end, NlriSink sink) {
    if (end - p < 4) {
      return -1;
    }
    int len = Bytes.u16(b, p + 2);
    if (p + 4 + len > end) {
      return -1;
    }
    if (sink != null) {
      sink.route(family, announce, pathId, b, p, 4 + len);
    }
    return p + 4 + len;
  }
}
