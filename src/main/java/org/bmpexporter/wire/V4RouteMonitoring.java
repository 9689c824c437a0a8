package org.bmpexporter.wire;

import java.util.Arrays;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.bgp.BgpMessages;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.ErrorListener;
import org.bmpexporter.codec.Quirk;

/**
 * The TLVs of a BMP version 4 Route Monitoring message (draft-ietf-grow-bmp-tlv): after the
 * per-peer header, TLVs of a 2-byte type, a 2-byte length and a 2-byte index (not counted in the
 * length), then the value. A type with the E bit set begins its value with a 4-byte enterprise
 * number; such TLVs are skipped and counted as {@link Quirk#V4_ENTERPRISE_TLV}. Exactly one TLV
 * carries the BGP UPDATE: the one of type {@link V4TlvType#BGP_PDU} whose value begins with the
 * 16-byte BGP marker, or, when the sender numbers the types otherwise, the one TLV whose value
 * begins with the marker ({@link Quirk#V4_TLV_NUMBERING}).
 *
 * <p>Indexes: 0 names the whole message, 1..n the n-th NLRI of the UPDATE, and an index with the G
 * bit set names a group TLV (a list of NLRI indexes) of the same message.
 *
 * <p>Reusable and allocation-free after warm-up (the arrays grow to the largest message seen): one
 * per session, valid until the next {@link #parse}.
 */
public final class V4RouteMonitoring {
  private static final int CAP_ADD_PATH = 69;

  private int pduOffset;
  private int pduLength;

  private int markings;
  private int[] markIndex = new int[4];
  private int[] markStatus = new int[4];
  private int[] markReason = new int[4];

  private int groups;
  private int[] groupIndex = new int[4];
  private int[] groupSize = new int[4];

  private int addPathFamilies;
  private int[] addPathFamily = new int[4];

  /**
   * Parses the TLVs at {@code b[p..end)} (after the per-peer header). Returns false, with the error
   * reported, when the message cannot be used: a TLV overrunning it, an enterprise TLV too short
   * for its enterprise number, not exactly one BGP PDU, or a BGP PDU that is not one whole UPDATE.
   * A bad path marking, group or stateless parsing TLV is reported and skipped alone.
   */
  public boolean parse(byte[] b, int p, int end, ErrorListener errors) {
    markings = 0;
    groups = 0;
    addPathFamilies = 0;
    int typed = -1;
    int typedCount = 0;
    int marked = -1;
    int markedCount = 0;
    int enterprise = 0;
    boolean unknownReported = false;
    for (int q = p; q < end; ) {
      if (end - q < 6) {
        errors.error(
            DecodeError.BAD_TLV,
            "version 4 Route Monitoring TLV header cut short (" + (end - q) + " bytes left)");
        return false;
      }
      int type = Bytes.u16(b, q);
      int len = Bytes.u16(b, q + 2);
      int index = Bytes.u16(b, q + 4);
      int v = q + 6;
      if (end - v < len) {
        errors.error(
            DecodeError.BAD_TLV,
            "version 4 Route Monitoring TLV type " + type + " overruns the message");
        return false;
      }
      q = v + len;
      if ((type & V4TlvType.ENTERPRISE_BIT) != 0) {
        if (len < 4) {
          errors.error(
              DecodeError.BAD_TLV,
              "enterprise TLV of " + len + " bytes has no room for its enterprise number");
          return false;
        }
        enterprise++;
        continue;
      }
      if (len >= BmpLimits.BGP_HEADER_LENGTH && marker(b, v)) {
        if (type == V4TlvType.BGP_PDU.code()) {
          typed = typedCount++ == 0 ? v - 6 : typed;
        } else {
          marked = markedCount++ == 0 ? v - 6 : marked;
        }
        continue;
      }
      V4TlvType known = V4TlvType.CODES.find(type);
      if (known == null) {
        if (!unknownReported) {
          errors.error(DecodeError.UNKNOWN_TLV, "version 4 Route Monitoring TLV type " + type);
          unknownReported = true;
        }
        continue;
      }
      switch (known) {
        case BGP_PDU: // without a marker: the stateless parsing type of the other numbering
        case STATELESS_PARSING:
          statelessParsing(b, v, len, errors);
          break;
        case GROUP:
          group(index, len, errors);
          break;
        case PATH_MARKING:
          marking(b, v, len, index, errors);
          break;
        default: // the VRF/table name: the peer's table comes from its Peer Up
          break;
      }
    }
    if (enterprise > 0) {
      errors.quirk(
          Quirk.V4_ENTERPRISE_TLV, enterprise + " enterprise TLV(s) in a Route Monitoring skipped");
    }
    int pduCount = typedCount + markedCount;
    if (pduCount != 1) {
      errors.error(
          DecodeError.BAD_TLV,
          "version 4 Route Monitoring with " + pduCount + " BGP PDU TLVs (one expected)");
      return false;
    }
    int tlv = typed >= 0 ? typed : marked;
    if (typed < 0) {
      errors.quirk(
          Quirk.V4_TLV_NUMBERING,
          "BGP PDU found by its marker in a TLV of type " + Bytes.u16(b, marked));
    }
    pduOffset = tlv + 6;
    pduLength = Bytes.u16(b, tlv + 2);
    try {
      int length = BgpMessages.messageLength(b, pduOffset, pduLength);
      if (length != pduLength) {
        errors.error(
            DecodeError.BAD_TLV,
            "BGP PDU TLV of " + pduLength + " bytes holds a BGP message of " + length);
        return false;
      }
    } catch (BmpProtocolException e) {
      errors.error(e.error(), e.getMessage());
      return false;
    }
    if (BgpMessages.messageType(b, pduOffset) != BgpMessages.TYPE_UPDATE) {
      errors.error(
          DecodeError.BAD_BGP_MESSAGE,
          "Route Monitoring carries BGP message type " + BgpMessages.messageType(b, pduOffset));
      return false;
    }
    dropUnknownGroups(errors);
    return true;
  }

  private static boolean marker(byte[] b, int v) {
    for (int i = 0; i < 16; i++) {
      if (b[v + i] != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }

  /** A BGP capability; ADD-PATH (RFC 7911) names the families whose NLRI carry path ids. */
  private void statelessParsing(byte[] b, int v, int len, ErrorListener errors) {
    if (len < 2 || Bytes.u8(b, v + 1) != len - 2) {
      errors.error(DecodeError.BAD_TLV, "stateless parsing TLV is not one BGP capability");
      return;
    }
    if (Bytes.u8(b, v) != CAP_ADD_PATH) {
      return; // e.g. 4-octet AS: the UPDATE decoder tells AS_PATH widths apart itself
    }
    if ((len - 2) % 4 != 0) {
      errors.error(DecodeError.BAD_TLV, "stateless parsing ADD-PATH capability of bad length");
      return;
    }
    for (int a = v + 2; a < v + len; a += 4) {
      // the mode as in an OPEN of the monitored session: 1 receive, 2 send, 3 both
      addPathFamily = grow(addPathFamily, addPathFamilies);
      addPathFamily[addPathFamilies++] =
          AfiSafi.of(Bytes.u16(b, a), Bytes.u8(b, a + 2)) << 2 | (Bytes.u8(b, a + 3) & 3);
    }
  }

  private void group(int index, int len, ErrorListener errors) {
    if ((index & V4TlvType.GROUP_BIT) == 0 || len % 2 != 0) {
      errors.error(
          DecodeError.BAD_TLV,
          "group TLV of " + len + " bytes with index " + index + " skipped (G bit and pairs)");
      return;
    }
    groupIndex = grow(groupIndex, groups);
    groupSize = grow(groupSize, groups);
    groupIndex[groups] = index;
    groupSize[groups++] = len / 2;
  }

  private void marking(byte[] b, int v, int len, int index, ErrorListener errors) {
    if (len != 4 && len != 6) {
      errors.error(
          DecodeError.BAD_TLV, "path marking TLV of " + len + " bytes skipped (4 or 6 expected)");
      return;
    }
    markIndex = grow(markIndex, markings);
    markStatus = grow(markStatus, markings);
    markReason = grow(markReason, markings);
    markIndex[markings] = index;
    markStatus[markings] = (int) Bytes.u32(b, v);
    markReason[markings++] = len == 6 ? Bytes.u16(b, v + 4) : -1;
  }

  /** Path markings that name a group the message lacks are reported and dropped. */
  private void dropUnknownGroups(ErrorListener errors) {
    int kept = 0;
    for (int i = 0; i < markings; i++) {
      if ((markIndex[i] & V4TlvType.GROUP_BIT) != 0 && groupOf(markIndex[i]) < 0) {
        errors.error(
            DecodeError.BAD_TLV,
            "path marking names group " + (markIndex[i] & 0x7fff) + ", which the message lacks");
        continue;
      }
      markIndex[kept] = markIndex[i];
      markStatus[kept] = markStatus[i];
      markReason[kept++] = markReason[i];
    }
    markings = kept;
  }

  private int groupOf(int index) {
    for (int g = 0; g < groups; g++) {
      if (groupIndex[g] == index) {
        return g;
      }
    }
    return -1;
  }

  private static int[] grow(int[] a, int used) {
    return used < a.length ? a : Arrays.copyOf(a, a.length * 2);
  }

  /** Offset of the BGP UPDATE (with its header) in the parsed array. */
  public int pduOffset() {
    return pduOffset;
  }

  public int pduLength() {
    return pduLength;
  }

  /** Path marking TLVs kept. */
  public int markings() {
    return markings;
  }

  public int markingStatus(int i) {
    return markStatus[i];
  }

  /** The reason code of marking {@code i}, or -1 when the TLV has none. */
  public int markingReason(int i) {
    return markReason[i];
  }

  /**
   * How many NLRI marking {@code i} applies to, of the {@code nlri} the UPDATE carries: all of them
   * for index 0, the group's size for a group index, else one.
   */
  public long markedNlri(int i, long nlri) {
    int index = markIndex[i];
    if (index == 0) {
      return nlri;
    }
    if ((index & V4TlvType.GROUP_BIT) != 0) {
      return groupSize[groupOf(index)];
    }
    return 1;
  }

  /**
   * The ADD-PATH mode a stateless parsing TLV of this message gives {@code family} (1 receive, 2
   * send, 3 both, 0 neither), or -1 when none names it.
   */
  public int addPathMode(int family) {
    for (int i = 0; i < addPathFamilies; i++) {
      if (addPathFamily[i] >>> 2 == family) {
        return addPathFamily[i] & 3;
      }
    }
    return -1;
  }

  /** Whether a stateless parsing TLV of this message declared ADD-PATH for any family. */
  public boolean declaresAddPath() {
    return addPathFamilies > 0;
  }
}
