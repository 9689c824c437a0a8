package org.bmpexporter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bmpexporter.testing.Bmp.*;
import static org.bmpexporter.testing.LegacyBmp.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.wire.BmpMessage.PeerDown;
import org.bmpexporter.wire.BmpMessage.PeerUp;
import org.bmpexporter.wire.BmpMessage.RouteMonitoring;
import org.bmpexporter.wire.BmpMessage.StatisticsReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BMP versions 1 and 2 (draft-ietf-grow-bmp-01/-02, Junos up to 10.4): no length field, each
 * message delimited by its type. Built streams of every message type, framed in every split
 * delivery, decoded, and applied to a session; malformed variants.
 */
class LegacyVersionsTest {
  static final byte[] PEER = peer().address("192.0.2.2").as(65002).bytes(); // 42 bytes

  static byte[] announce() {
    return update(new byte[0], basicAttributes(), prefixes("10.1.0.0/16", "10.2.0.0/16"));
  }

  /** The messages of a version {@code v} session, each as the router sends it. */
  static List<byte[]> session(int v) {
    List<byte[]> m = new ArrayList<>();
    if (v == 2) {
      m.add(legacy(2, 3, PEER)); // Peer Up: version 2, type 3, the per-peer header, nothing else
    }
    m.add(legacy(v, 0, PEER, announce())); // Route Monitoring: length from the UPDATE's header
    m.add(
        legacy(
            v,
            1,
            PEER,
            w().u32(2).toByteArray(), // Statistics: count 2, then 2 TLVs (type, length, value)
            stat32(0, 5), // rejected prefixes: 5
            stat64(7, 2))); // Adj-RIB-In routes: 2
    m.add(
        legacy(v, 0, PEER, update(prefixes("10.2.0.0/16"), new byte[0], new byte[0]))); // withdraw
    m.add(legacy(v, 2, PEER, new byte[] {2})); // Peer Down reason 2: no FSM code before version 3
    m.add(legacy(v, 0, PEER, announce())); // routes again (the peer is seen active)
    m.add(
        legacy(
            v,
            2,
            PEER,
            new byte[] {3},
            notification(6, 2, new byte[0]))); // reason 3 + NOTIFICATION
    m.add(legacy(v, 2, PEER, new byte[] {4})); // reason 4: no data
    return m;
  }

  /** The stream's frames as the framer hands them out, delivered in chunks cut at {@code cuts}. */
  static List<byte[]> frames(byte[] stream, int[] cuts) {
    List<byte[]> out = new ArrayList<>();
    BmpFramer framer = new BmpFramer();
    int prev = 0;
    int[] bounds = Arrays.copyOf(cuts, cuts.length + 1);
    bounds[cuts.length] = stream.length;
    for (int cut : bounds) {
      byte[] carrier = new byte[cut - prev + 6]; // the chunk at offset 3, junk around it
      Arrays.fill(carrier, (byte) 0xee);
      System.arraycopy(stream, prev, carrier, 3, cut - prev);
      framer.feed(
          carrier, 3, cut - prev, (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len)));
      prev = cut;
    }
    assertThat(framer.pendingBytes()).isZero();
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void everyMessageTypeIsFramedAlikeInEverySplitDelivery(int v) {
    List<byte[]> messages = session(v);
    byte[] stream = concat(messages.toArray(new byte[0][]));
    List<byte[]> expected = messages.stream().map(m -> reframed(m)).toList();
    List<int[]> deliveries = new ArrayList<>();
    deliveries.add(new int[0]);
    int[] bytes = new int[stream.length - 1];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = i + 1;
      deliveries.add(new int[] {i + 1});
    }
    deliveries.add(bytes);
    Random random = new Random(7); // the same splits every run
    for (int i = 0; i < 40; i++) {
      deliveries.add(
          random.ints(1 + random.nextInt(8), 1, stream.length).distinct().sorted().toArray());
    }
    for (int[] cuts : deliveries) {
      List<byte[]> got = frames(stream, cuts);
      assertThat(got).as("split at %s", Arrays.toString(cuts)).hasSameSizeAs(expected);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i))
            .as("frame %d, split at %s", i, Arrays.toString(cuts))
            .isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void version2MessagesDecodeByTheirVersionsRules() {
    List<BmpMessage> decoded = new ArrayList<>();
    RecordingErrors errors = new RecordingErrors();
    for (byte[] f : frames(concat(session(2).toArray(new byte[0][])), new int[0])) {
      decoded.add(BmpDecoder.decode(f, 0, f.length, errors));
    }
    assertThat(errors.details).isEmpty();
    PeerUp up = (PeerUp) decoded.get(0);
    assertThat(up.peer().addressText()).isEqualTo("192.0.2.2");
    assertThat(up.sentOpen()).isNull();
    assertThat(up.localAddress()).isEmpty();
    assertThat(((RouteMonitoring) decoded.get(1)).update()).isEqualTo(announce());
    StatisticsReport stats = (StatisticsReport) decoded.get(2);
    assertThat(stats.stats())
        .extracting(s -> s.statType() + "=" + s.value())
        .containsExactly("0=5", "7=2");
    PeerDown fsm = (PeerDown) decoded.get(4);
    assertThat(fsm.reasonLabel()).isEqualTo("local_no_notification");
    assertThat(fsm.fsmEvent()).isEqualTo(-1);
    PeerDown notified = (PeerDown) decoded.get(6);
    assertThat(notified.notificationLabel()).isEqualTo("cease/administrative_shutdown");
    assertThat(((PeerDown) decoded.get(7)).reasonLabel()).isEqualTo("remote_no_notification");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aSessionCountsRoutesAndFollowsPeerState(int v) {
    RouterState router = new RouterState("r", "r", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    session.open();
    List<byte[]> m = session(v);
    int upTo = v == 2 ? 4 : 3; // Peer Up, announce, statistics, withdraw: 1 route left
    byte[] first = concat(m.subList(0, upTo).toArray(new byte[0][]));
    session.feed(first, 0, first.length);
    Snapshots.Router s = router.snapshot();
    assertThat(s.bmpVersion()).isEqualTo(v);
    Snapshots.Peer p = s.peers().get(0);
    assertThat(p.up()).isTrue();
    assertThat(p.ups()).isEqualTo(v == 2 ? 1 : 0);
    assertThat(p.tables().get(0).routes()).isEqualTo(1);
    assertThat(p.tables().get(0).announcements()).isEqualTo(2);
    byte[] rest = concat(m.subList(upTo, m.size()).toArray(new byte[0][]));
    session.feed(rest, 0, rest.length);
    s = router.snapshot();
    p = s.peers().get(0);
    assertThat(p.up()).isFalse();
    assertThat(p.tables().get(0).routes()).isZero();
    assertThat(p.downs())
        .extracting(Snapshots.Downs::reason)
        .containsExactly("local_no_notification");
    assertThat(s.decodeErrors()).isEmpty();
    assertThat(s.quirks()).isEmpty();
    assertThat(s.messages())
        .containsEntry("route_monitoring", 3L)
        .containsEntry("statistics_report", 1L)
        .containsEntry("peer_down", 3L)
        .containsEntry("peer_up", v == 2 ? 1L : 0L);
    session.close("test");
    assertThat(router.errorCount(DecodeError.TRUNCATED_STREAM)).isZero();
  }

  @Test
  void twoOctetAsPathsAreNoQuirkInVersionsWithoutTheAFlag() {
    RouterState router = new RouterState("r", "r", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    byte[] rm =
        legacy(
            1,
            0,
            PEER,
            update(
                new byte[0],
                concat(origin(0), asPath2(65001, 65002), nextHop("192.0.2.1")),
                prefixes("10.3.0.0/16")));
    session.feed(rm, 0, rm.length);
    assertThat(router.snapshot().quirks()).isEmpty();
    assertThat(router.snapshot().peers().get(0).tables().get(0).routes()).isEqualTo(1);
  }

  @Test
  void malformedButFrameableMessagesAreDecodeErrorsAndTheSessionGoesOn() {
    RouterState router = new RouterState("r", "r", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    byte[] stream =
        concat(
            legacy(2, 0, PEER, keepalive()), // Route Monitoring carrying a KEEPALIVE
            legacy(
                2, 2, PEER, new byte[] {1}, bgp(4)), // reason 1 with a KEEPALIVE, not NOTIFICATION
            legacy(2, 1, PEER, w().u32(1).toByteArray(), tlv(0, new byte[3])), // 3-byte counter
            legacy(2, 0, PEER, announce()));
    session.feed(stream, 0, stream.length);
    Snapshots.Router s = router.snapshot();
    assertThat(s.decodeErrors()).isEqualTo(Map.of("bad_bgp_message", 2L, "bad_stat_length", 1L));
    assertThat(s.peers().get(0).tables().get(0).routes()).isEqualTo(2);
    assertThat(s.messages()).containsEntry("route_monitoring", 2L);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aVersion1Or2MessageAfterVersion3IsABadVersion(int v) {
    BmpFramer framer = new BmpFramer();
    byte[] stream = concat(initiation(tlv(2, "r")), legacy(v, 0, PEER, announce()));
    List<byte[]> out = new ArrayList<>();
    assertThatThrownBy(
            () -> framer.feed(stream, 0, stream.length, (b, off, len) -> out.add(new byte[len])))
        .isInstanceOf(BmpProtocolException.class)
        .satisfies(
            e -> assertThat(((BmpProtocolException) e).error()).isEqualTo(DecodeError.BAD_VERSION));
    assertThat(out).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1 Peer Up (type 3 is version 2's)",
        "v2 Initiation (type 4 came with version 3)",
        "v2 type 100",
        "Route Monitoring BGP length 18",
        "Peer Down NOTIFICATION length 0",
        "a version 3 message after version 2",
        "statistics longer than the maximum",
      })
  void unframeableStreamsEndWithAFatalError(String what) {
    byte[] good = legacy(2, 0, PEER, announce());
    byte[] bad;
    DecodeError error;
    switch (what.substring(0, 8)) {
      case "v1 Peer " -> {
        good = legacy(1, 0, PEER, announce());
        bad = legacy(1, 3, PEER);
        error = DecodeError.UNKNOWN_LEGACY_TYPE;
      }
      case "v2 Initi" -> {
        bad = legacy(2, 4, tlv(2, "r"));
        error = DecodeError.UNKNOWN_LEGACY_TYPE;
      }
      case "v2 type " -> {
        bad = legacy(2, 100, new byte[33]);
        error = DecodeError.UNKNOWN_LEGACY_TYPE;
      }
      case "Route Mo" -> {
        byte[] u = announce();
        u[17] = 18; // the UPDATE's length field: under the 19-byte BGP header
        u[16] = 0;
        bad = legacy(2, 0, PEER, u);
        error = DecodeError.BAD_LENGTH;
      }
      case "Peer Dow" -> {
        bad = legacy(2, 2, PEER, new byte[] {1}, new byte[19]); // length 0 at bytes 16-17
        error = DecodeError.BAD_LENGTH;
      }
      case "a versio" -> {
        bad = initiation(tlv(2, "r"));
        error = DecodeError.BAD_VERSION;
      }
      default -> {
        byte[][] tlvs = new byte[20_000][];
        Arrays.fill(tlvs, stat32(0, 1)); // 160 kB of statistics
        bad = legacy(2, 1, PEER, w().u32(tlvs.length).toByteArray(), concat(tlvs));
        error = DecodeError.BAD_LENGTH;
      }
    }
    byte[] first = good;
    byte[] stream = concat(good, bad);
    for (int cut : new int[] {1, good.length + 1, good.length + 3, good.length + 47}) {
      BmpFramer framer = new BmpFramer(64 * 1024);
      List<byte[]> out = new ArrayList<>();
      BmpFramer.FrameHandler h = (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len));
      assertThatThrownBy(
              () -> {
                framer.feed(stream, 0, Math.min(cut, stream.length), h);
                framer.feed(
                    stream,
                    Math.min(cut, stream.length),
                    stream.length - Math.min(cut, stream.length),
                    h);
              })
          .as(what)
          .isInstanceOf(BmpProtocolException.class)
          .satisfies(e -> assertThat(((BmpProtocolException) e).error()).isEqualTo(error));
      assertThat(framer.failed()).isTrue();
      assertThat(out).as("the message before is framed").hasSize(1);
      assertThatThrownBy(() -> framer.feed(first, 0, first.length, h))
          .as("a failed stream stays failed")
          .isInstanceOf(BmpProtocolException.class);
      assertThat(error.fatal()).isTrue();
    }
  }
}
