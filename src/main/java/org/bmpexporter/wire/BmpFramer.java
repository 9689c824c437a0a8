package org.bmpexporter.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;

/**
 * Splits a BMP byte stream into whole messages. Bytes may arrive in any split: a message across
 * many reads, or many messages in one read. The common header is checked as soon as its first five
 * bytes are present (version, length), so a bad stream fails before its body is buffered. Only
 * whole frames are handed out; a partial tail is kept until more bytes arrive. A stream that begins
 * with version 1 or 2 (no length field) is framed by {@link LegacyFramer}.
 *
 * <p>Not thread-safe: one framer per BMP session, used from the session's event loop.
 */
public final class BmpFramer {

  /** Receives each whole frame; the array is only valid during the call. */
  @FunctionalInterface
  public interface FrameHandler {
    void frame(byte[] buf, int offset, int length);
  }

  /** The first buffer for a partial message; it doubles from here as bytes arrive. */
  private static final int INITIAL_CAPACITY = 4 * 1024;

  /**
   * A partial message longer than this is held in chunks of this size, joined only once it is
   * complete: a stalled large message then costs what arrived, in arrays small enough for the young
   * generation (G1 puts an array of half a region, 512 KiB on small heaps, in whole regions of its
   * own: a contiguous 1 MiB buffer costs 2 MiB of heap).
   */
  private static final int CHUNK = 64 * 1024;

  /** A buffer up to this size is kept between messages; a larger one is given back. */
  private static final int KEPT_CAPACITY = 16 * 1024;

  private static final byte[] EMPTY = new byte[0];

  private final int maxMessageLength;
  private final BufferBudget.Account budget;

  /** The partial message's first bytes (up to {@link #CHUNK}); the rest in {@link #chunks}. */
  private byte[] pending = EMPTY;

  private final List<byte[]> chunks = new ArrayList<>();
  private int pendingLength;
  private BmpProtocolException failure;
  private BufferBudgetExceededException overBudget;

  /** Frames handed out since the stream began. */
  private long framesOut;

  /** Set when the stream begins with version 1 or 2: those versions are framed by their types. */
  private LegacyFramer legacy;

  public BmpFramer() {
    this(BmpLimits.DEFAULT_MAX_MESSAGE_LENGTH);
  }

  public BmpFramer(int maxMessageLength) {
    this(maxMessageLength, null);
  }

  /**
   * @param budget the account the chunks of partial messages longer than 64 KiB are charged to (the
   *     first 64 KiB are the session's own: an ordinary message never needs the budget), or null
   *     for no bound but {@code maxMessageLength} per message
   */
  public BmpFramer(int maxMessageLength, BufferBudget.Account budget) {
    if (maxMessageLength < BmpLimits.COMMON_HEADER_LENGTH) {
      throw new IllegalArgumentException("maxMessageLength " + maxMessageLength);
    }
    this.maxMessageLength = maxMessageLength;
    this.budget = budget;
  }

  /**
   * Feeds bytes; calls {@code handler} for every whole message now available.
   *
   * @return the number of frames handed out
   * @throws BmpProtocolException on a framing error; the framer then refuses further input
   * @throws BufferBudgetExceededException when a partial message could not be buffered; the framer
   *     then refuses further input
   */
  public int feed(byte[] data, int offset, int length, FrameHandler handler) {
    if (failure != null) {
      throw failure; // the same error again: the stream is still broken for the same reason
    }
    if (overBudget != null) {
      throw overBudget;
    }
    if (legacy == null && framesOut == 0 && pendingLength == 0 && length > 0) {
      if (LegacyFramer.isLegacy(data[offset])) {
        legacy = new LegacyFramer(data[offset], maxMessageLength, budget);
      }
    }
    if (legacy != null) {
      return feedLegacy(data, offset, length, handler);
    }
    long before = framesOut;
    int pos = offset;
    int end = offset + length;
    // A message begun in an earlier read: complete it first, taking only its own bytes, so the
    // buffer never holds more than one message.
    while (pendingLength > 0 && pos < end) {
      int target =
          pendingLength < BmpLimits.COMMON_HEADER_LENGTH - 1
              ? BmpLimits.COMMON_HEADER_LENGTH - 1
              : checkHeader(pending, 0);
      int take = Math.min(end - pos, target - pendingLength);
      append(data, pos, take, target < BmpLimits.COMMON_HEADER_LENGTH ? INITIAL_CAPACITY : target);
      pos += take;
      if (pendingLength == target && target >= BmpLimits.COMMON_HEADER_LENGTH) {
        framesOut++;
        if (chunks.isEmpty()) {
          handler.frame(pending, 0, target);
        } else {
          byte[] whole = join(target); // handled at once, never held: not charged
          handler.frame(whole, 0, target);
        }
        pendingLength = 0;
        dropChunks();
        if (pending.length > KEPT_CAPACITY) {
          resize(0); // give back the buffer a large message needed
        }
      }
    }
    if (pos < end) {
      // Frame straight out of the caller's array, keep only the tail.
      int consumed = drain(data, pos, end - pos, handler);
      int tail = end - pos - consumed;
      if (tail > 0) {
        int start = pos + consumed;
        append(data, start, tail, tail >= 5 ? (int) Bytes.u32(data, start + 1) : INITIAL_CAPACITY);
      }
    }
    return (int) (framesOut - before);
  }

  private int feedLegacy(byte[] data, int offset, int length, FrameHandler handler) {
    try {
      int n = legacy.feed(data, offset, length, handler);
      framesOut += n;
      return n;
    } catch (BmpProtocolException e) {
      failure = e;
      throw e;
    } catch (BufferBudgetExceededException e) {
      overBudget = e;
      throw e;
    }
  }

  private int drain(byte[] buf, int offset, int length, FrameHandler handler) {
    int pos = offset;
    int end = offset + length;
    while (end - pos >= 5) {
      int messageLength = checkHeader(buf, pos);
      if (end - pos < messageLength) {
        break;
      }
      framesOut++;
      handler.frame(buf, pos, messageLength);
      pos += messageLength;
    }
    if (end - pos >= 1 && !BmpLimits.lengthFramed(buf[pos] & 0xff)) {
      checkHeader(buf, pos); // report a bad version as early as the first byte
    }
    return pos - offset;
  }

  private int checkHeader(byte[] buf, int pos) {
    int version = buf[pos] & 0xff;
    if (!BmpLimits.lengthFramed(version)) {
      failure =
          new BmpProtocolException(
              DecodeError.BAD_VERSION,
              "unsupported BMP version " + version + " (versions 3 and 4 are decoded)");
      throw failure;
    }
    long messageLength = Bytes.u32(buf, pos + 1);
    if (messageLength < BmpLimits.COMMON_HEADER_LENGTH || messageLength > maxMessageLength) {
      failure =
          new BmpProtocolException(
              DecodeError.BAD_LENGTH,
              "BMP message length "
                  + messageLength
                  + " outside ["
                  + BmpLimits.COMMON_HEADER_LENGTH
                  + ", "
                  + maxMessageLength
                  + "]");
      throw failure;
    }
    return (int) messageLength;
  }

  /**
   * Appends to the partial message, whose whole length is {@code messageLength}: the buffer grows
   * by doubling as bytes arrive, never past the message, so a header alone (or a stalled sender)
   * costs what was received, not what was announced.
   */
  private void append(byte[] data, int offset, int length, int messageLength) {
    if (length <= 0) {
      return;
    }
    while (length > 0) {
      int n;
      if (pendingLength < CHUNK) {
        int needed = Math.min(CHUNK, pendingLength + length);
        if (needed > pending.length) {
          int doubled = Math.max(INITIAL_CAPACITY, pending.length * 2);
          resize(Math.min(CHUNK, Math.max(needed, Math.min(doubled, messageLength))));
        }
        n = Math.min(length, pending.length - pendingLength);
        System.arraycopy(data, offset, pending, pendingLength, n);
      } else {
        int at = (pendingLength - CHUNK) % CHUNK;
        if (at == 0) {
          // the last chunk is only as long as what is left of the message
          int size = Math.min(CHUNK, messageLength - pendingLength);
          charge(size);
          chunks.add(new byte[size]);
        }
        byte[] chunk = chunks.get(chunks.size() - 1);
        n = Math.min(length, chunk.length - at);
        System.arraycopy(data, offset, chunk, at, n);
      }
      pendingLength += n;
      offset += n;
      length -= n;
    }
  }

  /** The complete message, {@code length} bytes, from the first buffer and the chunks. */
  private byte[] join(int length) {
    byte[] whole = Arrays.copyOf(pending, length);
    int at = CHUNK;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, whole, at, chunk.length);
      at += chunk.length;
    }
    return whole;
  }

  private void dropChunks() {
    if (budget != null) {
      for (byte[] chunk : chunks) {
        budget.shrink(chunk.length);
      }
    }
    chunks.clear();
  }

  /** Charges {@code bytes} more to the budget, or drops everything and ends the stream. */
  private void charge(int bytes) {
    if (budget != null && bytes > 0 && !budget.grow(bytes)) {
      int had = pendingLength;
      release();
      overBudget =
          new BufferBudgetExceededException(
              "partial message of "
                  + had
                  + " bytes dropped: the buffer budget for all sessions is used up");
      throw overBudget;
    }
  }

  /** The first buffer, at most {@link #CHUNK}: every session's own, not charged to the budget. */
  private void resize(int capacity) {
    pending = capacity == 0 ? EMPTY : Arrays.copyOf(pending, capacity);
  }

  /** Drops the partial message, if any, and gives its buffer back to the budget. */
  public void release() {
    if (legacy != null) {
      legacy.release();
    }
    pending = EMPTY;
    chunks.clear();
    pendingLength = 0;
    if (budget != null) {
      budget.release();
    }
  }

  /** Whether the buffer budget ended this stream. */
  public boolean overBudget() {
    return overBudget != null;
  }

  /** Bytes of an incomplete message waiting for the rest. */
  public int pendingBytes() {
    return legacy != null ? legacy.pending() : pendingLength;
  }

  /** Whether a framing error ended this stream. */
  public boolean failed() {
    return failure != null;
  }
}
