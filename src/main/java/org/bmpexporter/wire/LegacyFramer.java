package org.bmpexporter.wire;

import java.util.Arrays;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;

/**
 * Frames a BMP version 1 or 2 stream (draft-ietf-grow-bmp-01 to -02, as Junos up to 10.4 sends it).
 * These versions have no length field: the common header is the version and the message type,
 * directly followed by the 42-byte per-peer header, and a message's length follows from its type:
 *
 * <ul>
 *   <li>Route Monitoring (0): the BGP UPDATE's own length (BGP header bytes 16-17);
 *   <li>Statistics Report (1): self-delimiting, a 4-byte count and that many TLVs (type, length);
 *   <li>Peer Down (2): the reason byte, then for reasons 1 and 3 a BGP NOTIFICATION by its own
 *       length; no other reason carries data in these versions (the FSM event code of reason 2 came
 *       with version 3);
 *   <li>Peer Up (3, version 2 only): nothing after the per-peer header (the local address, ports
 *       and OPENs came with version 3).
 * </ul>
 *
 * <p>Any other type cannot be delimited, so it ends the stream ({@link
 * DecodeError#UNKNOWN_LEGACY_TYPE}). Each message is handed out in the version 3 layout (version
 * byte kept, the 4-byte length inserted after it, then the type and the body), so that everything
 * after the framer reads all versions by the same offsets; {@link BmpDecoder} tells the versions
 * apart by the first byte where their bodies differ (Peer Up, Peer Down).
 *
 * <p>Not thread-safe: one per stream, used from the session's event loop.
 */
final class LegacyFramer {
  static final int VERSION_1 = 1;
  static final int VERSION_2 = 2;

  /** Version and type. */
  private static final int HEADER = 2;

  private static final int PEER_BODY = HEADER + BmpLimits.PER_PEER_HEADER_LENGTH;
  private static final int BGP_LENGTH_AT = 16;
  private static final int KEPT_CAPACITY = 16 * 1024;

  /** Buffer bytes up to this many are the session's own; more is charged to the budget. */
  private static final int FREE_CAPACITY = 64 * 1024;

  private final int version;
  private final int maxMessageLength;
  private final BufferBudget.Account budget;
  private byte[] buf = new byte[0];
  private int start;
  private int end;
  private int charged;
  private byte[] out = new byte[0];

  // Statistics Report scan, resumed as bytes arrive: where the next TLV starts, TLVs left.
  private int statsAt = -1;
  private long statsLeft;

  static boolean isLegacy(byte version) {
    return version == VERSION_1 || version == VERSION_2;
  }

  LegacyFramer(int version, int maxMessageLength, BufferBudget.Account budget) {
    this.version = version;
    this.maxMessageLength = maxMessageLength;
    this.budget = budget;
  }

  int version() {
    return version;
  }

  /** Bytes of an incomplete message held. */
  int pending() {
    return end - start;
  }

  /** Feeds bytes; hands out every whole message; returns how many. */
  int feed(byte[] data, int offset, int length, BmpFramer.FrameHandler handler) {
    append(data, offset, length);
    int frames = 0;
    while (true) {
      int n = messageLength();
      if (n < 0) {
        break;
      }
      frames++;
      handOut(n, handler);
      start += n;
      statsAt = -1;
    }
    if (start == end) {
      start = 0;
      end = 0;
      if (buf.length > KEPT_CAPACITY) {
        resize(0); // give back what a large message needed
      }
    }
    return frames;
  }

  /** The whole length of the message at {@code start}, or -1 while more bytes are needed. */
  private int messageLength() {
    int have = end - start;
    if (have < 1) {
      return -1;
    }
    int v = Bytes.u8(buf, start);
    if (v != version) {
      throw new BmpProtocolException(
          DecodeError.BAD_VERSION,
          "BMP version " + v + " in a version " + version + " stream (a stream keeps its version)");
    }
    if (have < HEADER) {
      return -1;
    }
    int type = Bytes.u8(buf, start + 1);
    int p = start + PEER_BODY; // the body after the per-peer header
    switch (type) {
      case 0: // Route Monitoring
        return have < PEER_BODY + BGP_LENGTH_AT + 2 ? -1 : checked(PEER_BODY + bgpLength(p));
      case 1: // Statistics Report
        return statistics(p);
      case 2: // Peer Down
        if (have < PEER_BODY + 1) {
          return -1;
        }
        int reason = Bytes.u8(buf, p);
        if (reason != 1 && reason != 3) {
          return PEER_BODY + 1;
        }
        return have < PEER_BODY + 1 + BGP_LENGTH_AT + 2
            ? -1
            : checked(PEER_BODY + 1 + bgpLength(p + 1));
      case 3: // Peer Up
        if (version == VERSION_2) {
          return have < PEER_BODY ? -1 : PEER_BODY;
        }
        break;
      default:
        break;
    }
    throw new BmpProtocolException(
        DecodeError.UNKNOWN_LEGACY_TYPE,
        "BMP version "
            + version
            + " message type "
            + type
            + ": its length cannot be derived (version 1 has types 0-2, version 2 types 0-3)");
  }

  /** The length of the BGP message at {@code p}, whose header is there. */
  private int bgpLength(int p) {
    int n = Bytes.u16(buf, p + BGP_LENGTH_AT);
    if (n < BmpLimits.BGP_HEADER_LENGTH) {
      throw new BmpProtocolException(
          DecodeError.BAD_LENGTH, "BGP message length " + n + " in a BMP version " + version);
    }
    return n;
  }

  /** The message length if it is whole, else -1; fails when it exceeds the maximum. */
  private int checked(int length) {
    if (length + 4 > maxMessageLength) {
      throw tooLong(length);
    }
    return end - start >= length ? length : -1;
  }

  private BmpProtocolException tooLong(long length) {
    return new BmpProtocolException(
        DecodeError.BAD_LENGTH,
        "BMP version " + version + " message of " + length + "+ bytes over " + maxMessageLength);
  }

  /** Walks the statistics TLVs present, from where the last call stopped. */
  private int statistics(int body) {
    if (statsAt < 0) {
      if (end - body < 4) {
        return -1;
      }
      statsLeft = Bytes.u32(buf, body);
      statsAt = body + 4;
    }
    while (statsLeft > 0) {
      if (statsAt + 4 - start + 4 > maxMessageLength) {
        throw tooLong(statsAt + 4 - start);
      }
      if (end - statsAt < 4) {
        return -1;
      }
      int next = statsAt + 4 + Bytes.u16(buf, statsAt + 2);
      if (next - start + 4 > maxMessageLength) {
        throw tooLong(next - start);
      }
      if (next > end) {
        return -1;
      }
      statsAt = next;
      statsLeft--;
    }
    return statsAt - start;
  }

  /** The message as version 3 lays it out: version, 4-byte length, type, per-peer header, body. */
  private void handOut(int length, BmpFramer.FrameHandler handler) {
    int n = length + 4;
    if (out.length < n) {
      out = new byte[Math.max(n, Math.min(2 * out.length, maxMessageLength))];
    }
    out[0] = buf[start];
    out[1] = (byte) (n >>> 24);
    out[2] = (byte) (n >>> 16);
    out[3] = (byte) (n >>> 8);
    out[4] = (byte) n;
    System.arraycopy(buf, start + 1, out, 5, length - 1);
    handler.frame(out, 0, n);
    if (out.length > KEPT_CAPACITY) {
      out = new byte[0];
    }
  }

  private void append(byte[] data, int offset, int length) {
    if (length <= 0) {
      return;
    }
    if (end + length > buf.length) {
      if (start > 0) { // keep only the message begun, at the front
        System.arraycopy(buf, start, buf, 0, end - start);
        if (statsAt >= 0) {
          statsAt -= start;
        }
        end -= start;
        start = 0;
      }
      if (end + length > buf.length) {
        resize(Math.max(end + length, Math.min(2 * buf.length, maxMessageLength)));
      }
    }
    System.arraycopy(data, offset, buf, end, length);
    end += length;
  }

  /** Resizes the buffer; what it holds beyond 64 KiB is charged to the budget. */
  private void resize(int capacity) {
    int charge = Math.max(0, capacity - FREE_CAPACITY);
    if (budget != null && charge > charged) {
      if (!budget.grow(charge - charged)) {
        int had = end - start;
        release();
        throw new BufferBudgetExceededException(
            "partial message of "
                + had
                + " bytes dropped: the buffer budget for all sessions is used up");
      }
    } else if (budget != null && charge < charged) {
      budget.shrink(charged - charge);
    }
    charged = charge;
    buf = capacity == 0 ? new byte[0] : Arrays.copyOf(buf, capacity);
  }

  /** Drops what is held and gives the budget back. */
  void release() {
    if (budget != null && charged > 0) {
      budget.shrink(charged);
    }
    charged = 0;
    buf = new byte[0];
    out = new byte[0];
    start = 0;
    end = 0;
    statsAt = -1;
  }
}
