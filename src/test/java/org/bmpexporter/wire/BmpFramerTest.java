package org.bmpexporter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bmpexporter.testing.Bmp.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.DecodeError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BmpFramerTest {

  private static final byte[] INIT = initiation(tlv(2, "r1"), tlv(1, "descr"));
  private static final byte[] TERM = termination(terminationReason(0));
  private static final byte[] EMPTY_INIT = initiation(); // common header only: 6 bytes

  private static List<byte[]> frames(BmpFramer framer, byte[]... chunks) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] c : chunks) {
      framer.feed(c, 0, c.length, (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len)));
    }
    return out;
  }

  @Test
  void framesEveryMessageOfAStreamInEverySplit() {
    // Deliveries checks whole, byte by byte, every 2-way split and coalesced deliveries; the
    // "result" here is the frame itself.
    byte[] got =
        Deliveries.decodeInEverySplit(INIT, (b, off, len) -> Arrays.copyOfRange(b, off, off + len));
    assertThat(got).isEqualTo(INIT);
    byte[] tiny =
        Deliveries.decodeInEverySplit(
            EMPTY_INIT, (b, off, len) -> Arrays.copyOfRange(b, off, off + len));
    assertThat(tiny).hasSize(6);
  }

  @Test
  void keepsAPartialTailUntilTheRestArrives() {
    BmpFramer framer = new BmpFramer();
    byte[] stream = concat(INIT, TERM);
    int cut = INIT.length + 3;
    List<byte[]> first = frames(framer, Arrays.copyOfRange(stream, 0, cut));
    assertThat(first).containsExactly(INIT);
    assertThat(framer.pendingBytes()).isEqualTo(3);
    List<byte[]> second = frames(framer, Arrays.copyOfRange(stream, cut, stream.length));
    assertThat(second).containsExactly(TERM);
    assertThat(framer.pendingBytes()).isZero();
    assertThat(framer.failed()).isFalse();
  }

  @Test
  void returnsTheNumberOfFramesHandedOut() {
    BmpFramer framer = new BmpFramer();
    byte[] three = concat(INIT, TERM, EMPTY_INIT);
    int[] count = {0};
    int n = framer.feed(three, 0, three.length, (b, off, len) -> count[0]++);
    assertThat(n).isEqualTo(3).isEqualTo(count[0]);
    assertThat(framer.feed(new byte[0], 0, 0, (b, off, len) -> count[0]++)).isZero();
  }

  @Test
  void framesALargeMessageDeliveredInManySmallReads() {
    // a 300 000-byte Initiation in 1 000-byte reads: one frame, nothing left
    byte[] big =
        initiation(
            tlv(0, new byte[65_000]),
            tlv(0, new byte[65_000]),
            tlv(0, new byte[65_000]),
            tlv(0, new byte[65_000]),
            tlv(0, new byte[40_000]));
    byte[] stream = concat(big, TERM);
    BmpFramer framer = new BmpFramer();
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < stream.length; off += 1000) {
      int len = Math.min(1000, stream.length - off);
      framer.feed(stream, off, len, (b, o, l) -> out.add(Arrays.copyOfRange(b, o, o + l)));
    }
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isEqualTo(big);
    assertThat(out.get(1)).isEqualTo(TERM);
    assertThat(framer.pendingBytes()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5, 255}) // 1 and 2 begin a stream of those versions (LegacyFramer)
  void refusesOtherBmpVersionsFromTheirFirstByteNamingTheVersion(int version) {
    BmpFramer framer = new BmpFramer();
    byte[] msg = bmpVersion(version, INITIATION, tlv(2, "r1"));
    // only the version byte has arrived
    assertThatThrownBy(() -> framer.feed(msg, 0, 1, (b, off, len) -> {}))
        .isInstanceOf(BmpProtocolException.class)
        .hasMessageContaining("version " + version)
        .satisfies(
            e -> assertThat(((BmpProtocolException) e).error()).isEqualTo(DecodeError.BAD_VERSION));
    assertThat(framer.failed()).isTrue();
    // a failed framer refuses further input
    assertThatThrownBy(() -> framer.feed(INIT, 0, INIT.length, (b, off, len) -> {}))
        .isInstanceOf(BmpProtocolException.class);
  }

  @Test
  void aBadVersionAfterGoodMessagesFailsAfterHandingThemOut() {
    BmpFramer framer = new BmpFramer();
    byte[] stream = concat(INIT, bmpVersion(5, INITIATION, tlv(2, "v5")), TERM);
    List<byte[]> out = new ArrayList<>();
    assertThatThrownBy(
            () ->
                framer.feed(
                    stream,
                    0,
                    stream.length,
                    (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len))))
        .isInstanceOf(BmpProtocolException.class)
        .hasMessageContaining("version 5");
    assertThat(out).containsExactly(INIT);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 5})
  void refusesALengthUnderTheCommonHeader(long length) {
    byte[] header = w().u8(3).u32(length).u8(INITIATION).toByteArray();
    BmpFramer framer = new BmpFramer();
    assertThatThrownBy(() -> framer.feed(header, 0, header.length, (b, off, len) -> {}))
        .isInstanceOf(BmpProtocolException.class)
        .hasMessageContaining("length " + length)
        .satisfies(
            e -> assertThat(((BmpProtocolException) e).error()).isEqualTo(DecodeError.BAD_LENGTH));
  }

  @Test
  void refusesALengthOverTheMaximumBeforeBufferingTheBody() {
    BmpFramer framer = new BmpFramer(1000);
    byte[] header = w().u8(3).u32(1001).toByteArray(); // just the first five bytes
    assertThatThrownBy(() -> framer.feed(header, 0, header.length, (b, off, len) -> {}))
        .isInstanceOf(BmpProtocolException.class)
        .hasMessageContaining("length 1001")
        .satisfies(
            e -> assertThat(((BmpProtocolException) e).error()).isEqualTo(DecodeError.BAD_LENGTH));
    // 2^32-1 as well (unsigned)
    BmpFramer other = new BmpFramer(1000);
    byte[] huge = w().u8(3).u32(0xffffffffL).u8(0).toByteArray();
    assertThatThrownBy(() -> other.feed(huge, 0, huge.length, (b, off, len) -> {}))
        .isInstanceOf(BmpProtocolException.class)
        .hasMessageContaining("4294967295");
  }

  @Test
  void acceptsExactlyTheMaximumLength() {
    byte[] msg = initiation(tlv(0, new byte[1000 - 10]));
    assertThat(msg).hasSize(1000);
    assertThat(frames(new BmpFramer(1000), msg)).hasSize(1);
    assertThatThrownBy(() -> new BmpFramer(5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLengthOneTooLongSwallowsTheNextMessagesFirstByteAndThenFailsFraming() {
    byte[] plusOne = INIT.clone();
    plusOne[4]++; // common header length + 1
    BmpFramer framer = new BmpFramer();
    List<byte[]> out = new ArrayList<>();
    byte[] stream = concat(plusOne, TERM);
    // the next header is read one byte late: its "version" is TERM's first length byte, 0
    assertThatThrownBy(
            () ->
                framer.feed(
                    stream,
                    0,
                    stream.length,
                    (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len))))
        .isInstanceOf(BmpProtocolException.class)
        .hasMessageContaining("version 0");
    assertThat(out).hasSize(1);
    assertThat(out.get(0)).hasSize(INIT.length + 1);
    // and the decoder reports the swallowed byte as a TLV that does not fit
    RecordingErrors errors = new RecordingErrors();
    BmpMessage m = BmpDecoder.decode(out.get(0), 0, out.get(0).length, errors);
    assertThat(m).isInstanceOf(BmpMessage.Initiation.class);
    assertThat(errors.errors).containsExactly(DecodeError.BAD_TLV);
  }

  @Test
  void aLengthOneTooShortLeavesAByteThatIsNotAHeader() {
    byte[] minusOne = INIT.clone();
    minusOne[4]--; // common header length - 1
    BmpFramer framer = new BmpFramer();
    List<byte[]> out = new ArrayList<>();
    byte[] stream = concat(minusOne, TERM);
    // the last byte of INIT is left over and read as the next message's version
    int lastByte = INIT[INIT.length - 1] & 0xff;
    assertThatThrownBy(
            () ->
                framer.feed(
                    stream,
                    0,
                    stream.length,
                    (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len))))
        .isInstanceOf(BmpProtocolException.class)
        .hasMessageContaining("version " + lastByte);
    assertThat(out).hasSize(1);
    RecordingErrors errors = new RecordingErrors();
    BmpDecoder.decode(out.get(0), 0, out.get(0).length, errors);
    assertThat(errors.errors).containsExactly(DecodeError.BAD_TLV);
  }
}
