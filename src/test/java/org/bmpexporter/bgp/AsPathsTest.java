package org.bmpexporter.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import org.bmpexporter.codec.ByteWriter;
import org.junit.jupiter.api.Test;

/** Origin AS extraction (RFC 6811 2, RFC 6793 4.2.3, RFC 5065 confederations). */
class AsPathsTest {
  private static final long SPEAKER = 65535;

  /** A segment: type, then AS numbers of {@code width} octets. */
  private static ByteWriter segment(ByteWriter w, int type, int width, long... asns) {
    w.u8(type).u8(asns.length);
    for (long a : asns) {
      if (width == 4) {
        w.u32(a);
      } else {
        w.u16((int) a);
      }
    }
    return w;
  }

  private static long origin(byte[] path, int width) {
    return AsPaths.origin(path, 0, path.length, width, -1, 0, SPEAKER);
  }

  private static long origin(byte[] path2, byte[] as4) {
    byte[] both = new byte[path2.length + as4.length];
    System.arraycopy(path2, 0, both, 0, path2.length);
    System.arraycopy(as4, 0, both, path2.length, as4.length);
    return AsPaths.origin(both, 0, path2.length, 2, path2.length, as4.length, SPEAKER);
  }

  @Test
  void theLastAsOfAnAsSequenceIsTheOrigin() {
    byte[] p =
        segment(new ByteWriter(), AsPaths.AS_SEQUENCE, 4, 64500, 64501, 4200000001L).toByteArray();
    assertThat(origin(p, 4)).isEqualTo(4200000001L);
  }

  @Test
  void aPathEndingInAnAsSetHasNoSingleOrigin() {
    ByteWriter w = new ByteWriter();
    segment(w, AsPaths.AS_SEQUENCE, 4, 64500);
    segment(w, AsPaths.AS_SET, 4, 64510, 64511);
    assertThat(origin(w.toByteArray(), 4)).isEqualTo(AsPaths.NONE);
    assertThat(AsPaths.label(AsPaths.NONE)).isEqualTo("none");
  }

  @Test
  void anAsSetBeforeTheFinalSequenceDoesNotMatter() {
    ByteWriter w = new ByteWriter();
    segment(w, AsPaths.AS_SET, 4, 64510, 64511);
    segment(w, AsPaths.AS_SEQUENCE, 4, 64500, 64502);
    assertThat(origin(w.toByteArray(), 4)).isEqualTo(64502);
  }

  @Test
  void confederationSegmentsAreSkipped() {
    ByteWriter w = new ByteWriter();
    segment(w, AsPaths.AS_CONFED_SEQUENCE, 4, 65001, 65002);
    segment(w, AsPaths.AS_CONFED_SET, 4, 65003);
    segment(w, AsPaths.AS_SEQUENCE, 4, 64500, 64501);
    assertThat(origin(w.toByteArray(), 4)).isEqualTo(64501);
  }

  @Test
  void aPathOfConfederationSegmentsOnlyOrNoneIsTheSpeakersOwn() {
    byte[] confed =
        segment(new ByteWriter(), AsPaths.AS_CONFED_SEQUENCE, 4, 65001, 65002).toByteArray();
    assertThat(origin(confed, 4)).isEqualTo(SPEAKER);
    assertThat(origin(new byte[0], 4)).isEqualTo(SPEAKER);
    assertThat(AsPaths.origin(new byte[0], -1, 0, 4, -1, 0, SPEAKER)).isEqualTo(SPEAKER);
  }

  @Test
  void twoOctetPathsAreReadWithTheirWidth() {
    byte[] p = segment(new ByteWriter(), AsPaths.AS_SEQUENCE, 2, 64500, 65001).toByteArray();
    assertThat(origin(p, 2)).isEqualTo(65001);
  }

  @Test
  void as4PathGivesTheOriginOnATwoOctetSession() {
    // the origin 4200000001 travels as AS_TRANS in the AS_PATH and in full in the AS4_PATH
    byte[] path =
        segment(new ByteWriter(), AsPaths.AS_SEQUENCE, 2, 64500, AttributeType.AS_TRANS)
            .toByteArray();
    byte[] as4 = segment(new ByteWriter(), AsPaths.AS_SEQUENCE, 4, 4200000001L).toByteArray();
    assertThat(origin(path, as4)).isEqualTo(4200000001L);
  }

  @Test
  void as4PathLongerThanTheAsPathIsIgnored() {
    byte[] path = segment(new ByteWriter(), AsPaths.AS_SEQUENCE, 2, 64500).toByteArray();
    byte[] as4 =
        segment(new ByteWriter(), AsPaths.AS_SEQUENCE, 4, 4200000001L, 4200000002L).toByteArray();
    assertThat(origin(path, as4)).isEqualTo(64500);
  }

  @Test
  void as4PathEndingInAnAsSetHasNoSingleOrigin() {
    ByteWriter w = new ByteWriter();
    segment(w, AsPaths.AS_SEQUENCE, 2, 64500, AttributeType.AS_TRANS, AttributeType.AS_TRANS);
    ByteWriter as4 = new ByteWriter();
    segment(as4, AsPaths.AS_SEQUENCE, 4, 4200000001L);
    segment(as4, AsPaths.AS_SET, 4, 4200000002L, 4200000003L);
    assertThat(origin(w.toByteArray(), as4.toByteArray())).isEqualTo(AsPaths.NONE);
  }

  @Test
  void as4PathIsNotReadOnAFourOctetSession() {
    byte[] path = segment(new ByteWriter(), AsPaths.AS_SEQUENCE, 4, 64500, 64501).toByteArray();
    byte[] as4 = segment(new ByteWriter(), AsPaths.AS_SEQUENCE, 4, 4200000001L).toByteArray();
    byte[] both = new byte[path.length + as4.length];
    System.arraycopy(path, 0, both, 0, path.length);
    System.arraycopy(as4, 0, both, path.length, as4.length);
    assertThat(AsPaths.origin(both, 0, path.length, 4, path.length, as4.length, SPEAKER))
        .isEqualTo(64501);
  }
}
