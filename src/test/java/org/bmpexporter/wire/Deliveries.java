package org.bmpexporter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bmpexporter.testing.Bmp;

/**
 * Delivers bytes through a {@link BmpFramer} in every split a TCP stream can produce and checks
 * that the framed message decodes to the same result each time: whole, byte by byte, every 2-way
 * split point, coalesced with other messages (in one read, at every 2-way split of the whole
 * stream, byte by byte) and a fixed set of pseudo-random multi-way splits. Each chunk is handed to
 * the framer inside a larger array at a non-zero offset, surrounded by junk, so offset handling is
 * exercised too.
 */
public final class Deliveries {
  private Deliveries() {}

  /** Decodes one frame as the framer hands it out (array valid during the call only). */
  @FunctionalInterface
  public interface FrameDecoder<R> {
    R decode(byte[] buf, int offset, int length);
  }

  private static final byte[] BEFORE = Bmp.initiation(Bmp.tlv(2, "before"), Bmp.tlv(0, "x"));
  private static final byte[] AFTER = Bmp.termination(Bmp.terminationReason(1));

  /**
   * Decodes {@code message} directly and in every delivery; asserts every delivery yields exactly
   * that one frame (plus the surrounding messages when coalesced) and the same result. Returns the
   * direct result.
   */
  public static <R> R decodeInEverySplit(byte[] message, FrameDecoder<R> decoder) {
    R direct = decoder.decode(message.clone(), 0, message.length);
    int n = message.length;

    check("whole", message, new int[0], 1, 0, direct, decoder);
    check("byte by byte", message, everyOffset(n), 1, 0, direct, decoder);
    for (int k = 1; k < n; k++) {
      check("split at " + k, message, new int[] {k}, 1, 0, direct, decoder);
    }

    byte[] stream = Bmp.concat(BEFORE, message, AFTER);
    int s = stream.length;
    check("coalesced", stream, new int[0], 3, 1, direct, decoder);
    check("coalesced byte by byte", stream, everyOffset(s), 3, 1, direct, decoder);
    for (int k = 1; k < s; k++) {
      check("coalesced split at " + k, stream, new int[] {k}, 3, 1, direct, decoder);
    }
    Random random = new Random(7); // fixed: the same splits every run
    for (int i = 0; i < 40; i++) {
      int[] cuts = random.ints(1 + random.nextInt(6), 1, s).distinct().sorted().toArray();
      check("coalesced split at " + Arrays.toString(cuts), stream, cuts, 3, 1, direct, decoder);
    }
    return direct;
  }

  private static int[] everyOffset(int n) {
    int[] cuts = new int[Math.max(0, n - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  private static <R> void check(
      String how,
      byte[] stream,
      int[] cuts,
      int expectedFrames,
      int index,
      R direct,
      FrameDecoder<R> decoder) {
    List<byte[]> frames = new ArrayList<>();
    List<R> results = new ArrayList<>();
    BmpFramer framer = new BmpFramer();
    int total = 0;
    int prev = 0;
    int[] bounds = Arrays.copyOf(cuts, cuts.length + 1);
    bounds[cuts.length] = stream.length;
    for (int cut : bounds) {
      // the chunk sits at offset 3 of a larger array with junk around it
      byte[] carrier = new byte[cut - prev + 6];
      Arrays.fill(carrier, (byte) 0xee);
      System.arraycopy(stream, prev, carrier, 3, cut - prev);
      total +=
          framer.feed(
              carrier,
              3,
              cut - prev,
              (b, off, len) -> {
                // only the message under test is decoded, straight out of the framer's array
                results.add(frames.size() == index ? decoder.decode(b, off, len) : null);
                frames.add(Arrays.copyOfRange(b, off, off + len));
              });
      prev = cut;
    }
    assertThat(total).as(how + ": frames counted").isEqualTo(expectedFrames);
    assertThat(frames).as(how + ": frames").hasSize(expectedFrames);
    assertThat(framer.pendingBytes()).as(how + ": bytes left over").isZero();
    assertThat(Bmp.concat(frames.toArray(new byte[0][])))
        .as(how + ": frames are the stream")
        .isEqualTo(stream);
    assertThat(results.get(index)).as(how + ": decoded").isEqualTo(direct);
  }
}
