package org.bmpexporter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;
import static org.bmpexporter.testing.LegacyBmp.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.capture.CaptureReader;
import org.bmpexporter.capture.TcpFlow;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.wire.BmpMessage.RoutePolicyTrace;
import org.bmpexporter.wire.BmpMessage.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Huawei's route policy and attribute trace (BMP message type 100): the four real messages of a
 * Huawei VRP 8.210 capture, built messages with every TLV, each decoded in every split delivery,
 * and malformed variants.
 */
class RoutePolicyTraceTest {
  static final Path CAPTURE =
      Path.of("src/test/resources/corpus/traffic-reproducer/examples/pcaps/bmp-traffic.pcap");

  record Decoded(BmpMessage message, List<DecodeError> errors) {}

  static Decoded decode(byte[] message) {
    return Deliveries.decodeInEverySplit(
        message,
        (b, off, len) -> {
          RecordingErrors e = new RecordingErrors();
          return new Decoded(BmpDecoder.decode(b, off, len, e), e.errors);
        });
  }

  /** The whole messages of type 100 in the capture's one flow (the last, cut one excluded). */
  static List<byte[]> realTraces() throws IOException {
    List<TcpFlow> flows = CaptureReader.readFlows(CAPTURE);
    byte[] s = flows.get(0).payload();
    List<byte[]> out = new ArrayList<>();
    for (int p = 0; p + 6 <= s.length; ) {
      int len = (int) Bytes.u32(s, p + 1);
      if (p + len > s.length) {
        break;
      }
      if (Bytes.u8(s, p + 5) == 100) {
        out.add(java.util.Arrays.copyOfRange(s, p, p + len));
      }
      p += len;
    }
    return out;
  }

  @Test
  void theFourRealHuaweiMessagesDecodeInEverySplitWithoutError() throws IOException {
    List<byte[]> real = realTraces();
    assertThat(real).hasSize(4);
    List<TraceEvent> events = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (byte[] m : real) {
      Decoded d = decode(m);
      assertThat(d.errors).isEmpty();
      RoutePolicyTrace t = (RoutePolicyTrace) d.message;
      assertThat(t.type()).isEqualTo(MessageType.UNKNOWN);
      assertThat(t.code()).isEqualTo(100);
      assertThat(t.ipv6()).isFalse();
      prefixes.add(t.prefix());
      events.addAll(t.events());
    }
    // as tshark -d tcp.port==1790,bmp -V shows them
    assertThat(prefixes)
        .containsExactly(
            "203.0.113.10/32", "203.0.113.252/31", "203.0.113.12/32", "203.0.113.20/32");
    assertThat(events).hasSize(6);
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.family()).isEqualTo(AfiSafi.IPV4_UNICAST);
              assertThat(e.policyClassCode()).isEqualTo(PolicyClass.OUT);
              assertThat(e.policies()).containsExactly("RP-A10-IP-OUT");
              assertThat(e.table()).isEqualTo("A10");
              assertThat(e.preAttributes()).isPositive();
              assertThat(e.postAttributes()).isZero();
              assertThat(e.text())
                  .startsWith("xmlns:rtp=\"urn:huawei:yang:huawei-routing-policy\"");
            });
  }

  @Test
  void theRealCaptureThroughASessionCountsSixOutboundEventsAndNoDecodeError() throws IOException {
    byte[] s = CaptureReader.readFlows(CAPTURE).get(0).payload();
    RouterState router = new RouterState("r", "r", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    session.open();
    for (int p = 0; p < s.length; p += 1460) { // in segments, as it came
      session.feed(s, p, Math.min(1460, s.length - p));
    }
    Snapshots.Router before = router.snapshot();
    assertThat(before.decodeErrors()).isEmpty();
    assertThat(before.policyTraces())
        .containsExactly(new Snapshots.PolicyTraces("ipv4_unicast", "out", 6));
    assertThat(before.messages().get("unknown")).isEqualTo(4);
    session.close("end of capture");
    // the capture's last message (another type 100) is cut: its documented broken data
    assertThat(router.snapshot().decodeErrors()).containsExactly(Map.entry("truncated_stream", 1L));
  }

  @Test
  void everyTlvOfABuiltIpv6TraceDecodesInEverySplit() {
    byte[] attrs = concat(origin(0), asPath4(65001, 65002), med(7));
    byte[] m =
        trace(
            0x80, // V: the prefix is IPv6
            0x0000fde8_00000064L, // RD 65000:100
            "2001:db8:5::",
            48,
            0xc0000234L,
            event(
                1,
                7,
                2,
                1,
                vrf(3, "blue"), // TLV 0: table id 3, VRF name
                policy(0, "2001:db8::9", "IN-A", "10", "IN-B", "20"), // TLV 1: class in, 2 policies
                attributes(2, attrs), // TLV 2: pre-policy attributes
                attributes(3, concat(attrs, localPref(200))), // TLV 3: post-policy
                string("matched node 10")), // TLV 4
            event(2, 0, 2, 128, policy(8, "2001:db8::9"))); // withdraw, no policy names
    Decoded d = decode(m);
    assertThat(d.errors).isEmpty();
    RoutePolicyTrace t = (RoutePolicyTrace) d.message;
    assertThat(t.ipv6()).isTrue();
    assertThat(t.prefix()).isEqualTo("2001:db8:5::/48");
    assertThat(t.distinguisher()).isEqualTo(0x0000fde8_00000064L);
    assertThat(t.routeOrigin()).isEqualTo(0xc0000234L);
    TraceEvent e = t.events().get(0);
    assertThat(e.index()).isEqualTo(1);
    assertThat(e.pathId()).isEqualTo(7);
    assertThat(e.seconds()).isEqualTo(1_684_851_976L);
    assertThat(e.micros()).isEqualTo(436_636);
    assertThat(e.family()).isEqualTo(AfiSafi.IPV6_UNICAST);
    assertThat(e.table()).isEqualTo("blue");
    assertThat(e.policyClassCode()).isEqualTo(PolicyClass.IN);
    assertThat(e.policies()).containsExactly("IN-A", "IN-B");
    assertThat(e.preAttributes()).isEqualTo(attrs.length);
    assertThat(e.postAttributes()).isEqualTo(attrs.length + localPref(200).length);
    assertThat(e.text()).isEqualTo("matched node 10");
    TraceEvent w = t.events().get(1);
    assertThat(w.family()).isEqualTo(AfiSafi.of(2, 128));
    assertThat(w.policyClassCode()).isEqualTo(PolicyClass.WITHDRAW);
    assertThat(w.policies()).isEmpty();
    assertThat(w.table()).isEmpty();
    assertThat(w.preAttributes()).isEqualTo(-1);
  }

  @ParameterizedTest
  @CsvSource({
    "0,in",
    "1,out",
    "2,mp_redistribute",
    "3,cross_vrf",
    "4,vrf_import",
    "5,vrf_export",
    "6,network",
    "7,aggregation",
    "8,withdraw",
    "9,unknown",
    "255,unknown"
  })
  void policyClassesAreBoundedLabels(int code, String label) {
    Decoded d =
        decode(trace(0, 0, "192.0.2.0", 24, 0, event(1, 0, 1, 1, policy(code, "192.0.2.1"))));
    assertThat(d.errors).isEmpty();
    assertThat(((RoutePolicyTrace) d.message).events().get(0).policyClassCode().label())
        .isEqualTo(label);
  }

  @Test
  void anEventWithoutPolicyTlvIsOfUnknownClassAndAnUnknownTlvIsReportedOnce() {
    Decoded d =
        decode(
            trace(
                0,
                0,
                "192.0.2.0",
                24,
                0,
                event(1, 0, 1, 1, tlv(9, "x"), tlv(9, "y"), string("only text"))));
    assertThat(d.errors).containsExactly(DecodeError.UNKNOWN_TLV);
    TraceEvent e = ((RoutePolicyTrace) d.message).events().get(0);
    assertThat(e.policyClass()).isEqualTo(-1);
    assertThat(e.policyClassCode()).isEqualTo(PolicyClass.UNKNOWN);
    assertThat(e.text()).isEqualTo("only text");
  }

  @Test
  void bytesAfterTheEventsAreTrailingAndTheEventsKept() {
    byte[] m = trace(0, 0, "192.0.2.0", 24, 0, event(1, 0, 1, 1, policy(1, "192.0.2.1")));
    byte[] longer = concat(m, new byte[] {1, 2, 3});
    longer[4] = (byte) (longer[4] + 3); // common header length (short message: no carry)
    Decoded d = decode(longer);
    assertThat(d.errors).containsExactly(DecodeError.TRAILING_BYTES);
    assertThat(((RoutePolicyTrace) d.message).events()).hasSize(1);
  }

  /** A well-formed trace with one event of each TLV; offsets below are into its body. */
  static byte[] wellFormed() {
    return trace(
        0,
        0,
        "192.0.2.0",
        24,
        0,
        event(
            1,
            0,
            1,
            1,
            // event at body offset 33 (length at 33, fixed part to 51)
            vrf(1, "A10"), // TLV 0 at 51 (length at 53): 4 + 4 + 3
            policy(1, "192.0.2.1", "P", "1"), // TLV 1 at 62 (length at 64), value at 66: count
            // at 67, class 68, peer 69, id 85, AS 89, policy name length 93: 4 + 27 + 7
            attributes(2, origin(0)), // TLV 2 at 100, ORIGIN at 104 (length byte 106)
            string("s"))); // TLV 4 at 108
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // what is broken, body offset of the field changed, its width, new value, expected error
    "message shorter than the header,   -1, 1,   0, truncated_message",
    "prefix length 33 for IPv4,          9, 1,  33, bad_tlv",
    "total event length beyond message, 31, 2, 255, truncated_message",
    "two events announced one present,  30, 1,   2, truncated_message",
    "event length under 18,             33, 2,  17, truncated_message",
    "event length beyond total,         33, 2, 255, truncated_message",
    "VRF TLV of 3 bytes,                53, 2,   3, bad_tlv",
    "TLV overruns the event,            53, 2, 200, bad_tlv",
    "Policy count 2 with one policy,    67, 1,   2, bad_tlv",
    "Policy TLV of 26 bytes,            64, 2,  26, bad_tlv",
    "policy name overruns the TLV,      93, 2,   9, bad_tlv",
    "attribute overruns its TLV,       106, 1,   5, bad_tlv",
  })
  void malformedTracesAreOneDecodeErrorAndNoMessage(
      String what, int at, int width, int value, String error) {
    byte[] m = wellFormed();
    assertThat(decode(m).errors).as("the unbroken message").isEmpty();
    if (at < 0) {
      m = bmp(100, java.util.Arrays.copyOfRange(m, 6, 6 + 32)); // 32 of the 33 header bytes
    } else if (width == 2) {
      m[6 + at] = (byte) (value >>> 8);
      m[6 + at + 1] = (byte) value;
    } else {
      m[6 + at] = (byte) value;
    }
    Decoded d = decode(m);
    assertThat(d.message).as(what).isNull();
    assertThat(d.errors).extracting(DecodeError::label).as(what).containsExactly(error);
  }

  @Test
  void aMalformedTraceLeavesTheSessionAliveAndCountsNothing() {
    RouterState router = new RouterState("r", "r", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    session.open();
    byte[] bad = wellFormed();
    bad[6 + 54] = (byte) 200; // the VRF TLV's length: it overruns its event
    byte[] good = wellFormed();
    byte[] stream = concat(bad, good, peerUp(globalPeer("192.0.2.8", 65008)));
    session.feed(stream, 0, stream.length);
    Snapshots.Router s = router.snapshot();
    assertThat(s.up()).isTrue();
    assertThat(s.decodeErrors()).containsExactly(Map.entry("bad_tlv", 1L));
    assertThat(s.policyTraces())
        .containsExactly(new Snapshots.PolicyTraces("ipv4_unicast", "out", 1));
    assertThat(s.peers()).hasSize(1);
    assertThat(s.messages().get("unknown")).isEqualTo(2);
  }
}
