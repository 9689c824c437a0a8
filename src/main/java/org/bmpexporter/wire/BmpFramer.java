package org.bmpexporter.wire;

import java.util.Arrays;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;

/**
 * Splits a BMP byte stream into whole messages. Bytes may arrive in any split: a message across
 * many reads, or many messages in one read. The common header is checked as soon as its first five
 * bytes are present (version, length), so a bad stream fails before its body is buffered. Only
 * whole frames are handed out; a partial tail is kept until more bytes arrive.
 *
 * <p>Not thread-safe: one framer per BMP session, used from the session's event loop.
 */
public final class BmpFramer {

  /** Receives each whole frame; the array is only valid during the call. */
  @FunctionalInterface
  public interface FrameHandler {
    void frame(byte[] buf, int offset, int length);
  }

  private static final int INITIAL_CAPACITY = 64 * 1024;

  private final int maxMessageLength;
  private byte[] pending = new byte[0];
  private int pendingLength;
  private BmpProtocolException failure;

  public BmpFramer() {
    this(BmpLimits.DEFAULT_MAX_MESSAGE_LENGTH);
  }

  public BmpFramer(int maxMessageLength) {
    if (maxMessageLength < BmpLimits.COMMON_HEADER_LENGTH) {
      throw new IllegalArgumentException("maxMessageLength " + maxMessageLength);
    }
    this.maxMessageLength = maxMessageLength;
  }

  /**
   * Feeds bytes; calls {@code handler} for every whole message now available.
   *
   * @return the number of frames handed out
   * @throws BmpProtocolException on a framing error; the framer then refuses further input
   */
  public int feed(byte[] data, int offset, int length, FrameHandler handler) {
    if (failure != null) {
      throw failure; // the same error again: the stream is still broken for the same reason
    }
    long before = framesOut;
    if (pendingLength == 0) {
      // Fast path: frame straight out of the caller's array, keep only the tail.
      int consumed = drain(data, offset, length, handler);
      append(data, offset + consumed, length - consumed);
      return (int) (framesOut - before);
    }
    append(data, offset, length);
    int consumed = drain(pending, 0, pendingLength, handler);
    System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
    pendingLength -= consumed;
    if (pendingLength == 0 && pending.length > 4 * INITIAL_CAPACITY) {
      pending = new byte[0]; // give back the buffer a large message needed
    }
    return (int) (framesOut - before);
  }

  /** Frames handed out since the stream began. */
  private long framesOut;

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
    if (end - pos >= 1 && (buf[pos] & 0xff) != BmpLimits.VERSION) {
      checkHeader(buf, pos); // report a bad version as early as the first byte
    }
    return pos - offset;
  }

  private int checkHeader(byte[] buf, int pos) {
    int version = buf[pos] & 0xff;
    if (version != BmpLimits.VERSION) {
      failure =
          new BmpProtocolException(
              DecodeError.BAD_VERSION,
              "unsupported BMP version " + version + " (only version 3, RFC 7854, is decoded)");
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

  private void append(byte[] data, int offset, int length) {
    if (length <= 0) {
      return;
    }
    if (pendingLength + length > pending.length) {
      int capacity =
          Math.max(INITIAL_CAPACITY, Math.max(pending.length * 2, pendingLength + length));
      pending = Arrays.copyOf(pending, capacity);
    }
    System.arraycopy(data, offset, pending, pendingLength, length);
    pendingLength += length;
  }

  /** Bytes of an incomplete message waiting for the rest. */
  public int pendingBytes() {
    return pendingLength;
  }

  /** Whether a framing error ended this stream. */
  public boolean failed() {
    return failure != null;
  }
}
