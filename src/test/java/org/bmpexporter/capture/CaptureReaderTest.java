package org.bmpexporter.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bmpexporter.capture.Packets.ACK;
import static org.bmpexporter.capture.Packets.FIN;
import static org.bmpexporter.capture.Packets.PSH;
import static org.bmpexporter.capture.Packets.RST;
import static org.bmpexporter.capture.Packets.SYN;
import static org.bmpexporter.capture.Packets.bytes;
import static org.bmpexporter.capture.Packets.concat;
import static org.bmpexporter.capture.Packets.seqBytes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bmpexporter.capture.CaptureReader.Format;
import org.bmpexporter.capture.Packets.Pcap;
import org.bmpexporter.capture.Packets.Pcapng;
import org.bmpexporter.capture.Packets.V4;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built captures, one feature each. */
class CaptureReaderTest {
  private static final V4 A = new V4("192.0.2.10", 40000, "192.0.2.1", 1790);
  private static final long T0 = 1_700_000_000_000_000L;

  private static TcpFlow only(byte[] capture) throws Exception {
    List<TcpFlow> flows = CaptureReader.readFlows(capture, "test");
    assertThat(flows).hasSize(1);
    return flows.get(0);
  }

  // ------------------------------------------------------------------------------------------------ reassembly

  @Test
  void handshakeSynConsumesOneSequenceNumberAndAckDirectionIsDropped() throws Exception {
    long isn = 1000;
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(isn, SYN, new byte[0]),
                A.reverse().seg(5000, SYN | ACK, new byte[0]),
                A.seg(isn + 1, ACK, new byte[0]),
                A.seg(isn + 1, ACK | PSH, seqBytes(0, 10)),
                A.reverse().seg(5001, ACK, new byte[0]),
                A.seg(isn + 11, ACK | PSH, seqBytes(10, 5)),
                A.seg(isn + 16, ACK | FIN, new byte[0]),
                A.reverse().seg(5001, ACK | FIN, new byte[0]))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.srcAddress()).isEqualTo("192.0.2.10");
    assertThat(f.srcPort()).isEqualTo(40000);
    assertThat(f.dstAddress()).isEqualTo("192.0.2.1");
    assertThat(f.dstPort()).isEqualTo(1790);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 15));
    assertThat(f.firstTimestampMicros()).isEqualTo(T0);
    assertThat(f.gapBytes()).isZero();
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void syntheticSynCarryingDataDoesNotConsumeASequenceNumber() throws Exception {
    // as in the pmacct replays: source port 20, first segment SYN with data at seq 1, next segment
    // at 1 + len
    V4 s = new V4("192.0.2.55", 20, "192.0.2.6", 1790);
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                s.seg(1, SYN, seqBytes(0, 42)),
                s.seg(43, ACK | PSH, seqBytes(42, 100)),
                s.seg(143, ACK | PSH, seqBytes(142, 7)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 149));
    assertThat(f.gapBytes()).isZero();
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void rfcSynWithDataStartsAtIsnPlusOne() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(T0, A.seg(100, SYN, seqBytes(0, 8)), A.seg(109, ACK, seqBytes(8, 8)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 16));
    assertThat(f.gapBytes()).isZero();
  }

  @Test
  void outOfOrderSegmentsAreBufferedAndPlacedBySequenceNumber() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(0, SYN, new byte[0]),
                A.seg(21, ACK, seqBytes(20, 10)), // third chunk first
                A.seg(1, ACK, seqBytes(0, 10)),
                A.seg(31, ACK, seqBytes(30, 10)),
                A.seg(11, ACK, seqBytes(10, 10)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 40));
    assertThat(f.gapBytes()).isZero();
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void retransmissionAndOverlapKeepFirstCopyWithoutDuplicatingBytes() throws Exception {
    byte[] first = seqBytes(0, 20);
    byte[] changed = seqBytes(0, 30);
    Arrays.fill(changed, 0, 30, (byte) 0x77); // a bogus "retransmission" with different content
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(0, SYN, new byte[0]),
                A.seg(1, ACK, first), // bytes 0..19
                A.seg(1, ACK, first), // exact retransmission
                A.seg(
                    11,
                    ACK,
                    Arrays.copyOfRange(
                        changed, 0, 30)), // overlaps 10..19 (differs), adds 20..39 (0x77)
                A.seg(31, ACK, seqBytes(30, 10)))
            .bytes(); // overlaps 30..39: first copy (0x77) wins
    TcpFlow f = only(cap);
    byte[] expected = new byte[40];
    System.arraycopy(first, 0, expected, 0, 20);
    Arrays.fill(expected, 20, 40, (byte) 0x77);
    assertThat(f.payload()).isEqualTo(expected);
    assertThat(f.gapBytes()).isZero();
    assertThat(f.warnings()).anyMatch(w -> w.contains("differ from the first captured copy"));
  }

  @Test
  void identicalRetransmissionsAreSilent() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(0, SYN, new byte[0]),
                A.seg(1, ACK, seqBytes(0, 20)),
                A.seg(
                    11,
                    ACK,
                    seqBytes(10, 20)), // repacketised retransmission: overlaps 10..19, adds 20..29
                A.seg(1, ACK, seqBytes(0, 5)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 30));
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void sequenceNumbersWrapAroundAt32Bits() throws Exception {
    long isn = 0xFFFFFFF0L;
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(isn, SYN, new byte[0]),
                A.seg(isn + 1, ACK, seqBytes(0, 10)), // 0xFFFFFFF1 .. 0xFFFFFFFA
                A.seg(
                    (isn + 21) & 0xFFFFFFFFL,
                    ACK,
                    seqBytes(20, 10)), // after the wrap, out of order
                A.seg(isn + 11, ACK, seqBytes(10, 10)))
            .bytes(); // straddles the wrap
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 30));
    assertThat(f.gapBytes()).isZero();
  }

  @Test
  void holeThatIsNeverFilledIsSkippedCountedAndWarned() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(0, SYN, new byte[0]),
                A.seg(1, ACK, seqBytes(0, 10)),
                A.seg(21, ACK, seqBytes(20, 10)), // bytes 10..19 never captured
                A.seg(31, ACK | FIN, new byte[0]))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(concat(seqBytes(0, 10), seqBytes(20, 10)));
    assertThat(f.gapBytes()).isEqualTo(10);
    assertThat(f.warnings())
        .anyMatch(w -> w.contains("gap") && w.contains("10 bytes") && w.contains("offset 10"));
  }

  @Test
  void missingDataBeforeFinIsAGap() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(0, SYN, new byte[0]),
                A.seg(1, ACK, seqBytes(0, 10)),
                A.seg(16, ACK | FIN, new byte[0]))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 10));
    assertThat(f.gapBytes()).isEqualTo(5);
  }

  @Test
  void midSessionCaptureWithoutSynStartsAtLowestSequence() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(5010, ACK, seqBytes(10, 10)),
                A.seg(5000, ACK, seqBytes(0, 10)),
                A.seg(5020, ACK, seqBytes(20, 10)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 30));
    assertThat(f.gapBytes()).isZero();
  }

  @Test
  void reusedFourTupleAfterFinWithNewSynIsANewFlow() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(100, SYN, new byte[0]),
                A.seg(101, ACK, seqBytes(0, 10)),
                A.seg(111, ACK | FIN, new byte[0]),
                A.seg(900_000_000, SYN, new byte[0]),
                A.seg(900_000_001, ACK, seqBytes(50, 7)))
            .bytes();
    List<TcpFlow> flows = CaptureReader.readFlows(cap, "test");
    assertThat(flows).hasSize(2);
    assertThat(flows.get(0).payload()).isEqualTo(seqBytes(0, 10));
    assertThat(flows.get(1).payload()).isEqualTo(seqBytes(50, 7));
    assertThat(flows.get(1).firstTimestampMicros()).isEqualTo(T0 + 3);
    assertThat(flows).allSatisfy(f -> assertThat(f.gapBytes()).isZero());
    assertThat(flows)
        .allSatisfy(f -> assertThat(f.warnings()).isEmpty()); // a clean close, a clean reopen
  }

  @Test
  void newSynWithoutFinOrRstAlsoStartsANewFlowButWarns() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(100, SYN, new byte[0]),
                A.seg(101, ACK, seqBytes(0, 10)),
                A.seg(900_000_000, SYN, new byte[0]),
                A.seg(900_000_001, ACK, seqBytes(50, 7)))
            .bytes();
    List<TcpFlow> flows = CaptureReader.readFlows(cap, "test");
    assertThat(flows).extracting(f -> f.payload().length).containsExactly(10, 7);
    assertThat(flows.get(0).warnings()).anyMatch(w -> w.contains("without FIN/RST"));
    assertThat(flows.get(1).warnings()).isEmpty();
  }

  @Test
  void reusedFourTupleAfterRstFromThePeerIsANewFlow() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(100, SYN, new byte[0]),
                A.seg(101, ACK, seqBytes(0, 10)),
                A.reverse().seg(7000, RST | ACK, new byte[0]),
                A.seg(5000, SYN, new byte[0]),
                A.seg(5001, ACK, seqBytes(50, 7)))
            .bytes();
    List<TcpFlow> flows = CaptureReader.readFlows(cap, "test");
    assertThat(flows).extracting(f -> f.payload().length).containsExactly(10, 7);
  }

  @Test
  void keepAliveProbeWithAGarbageByteIsNotAnOverlapConflict() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(0, SYN, new byte[0]),
                A.seg(1, ACK, seqBytes(0, 10)),
                A.seg(10, ACK, bytes(0)), // keep-alive: seq = next - 1, one garbage byte
                A.seg(11, ACK, seqBytes(10, 5)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 15));
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void rstWithUnrelatedSequenceNumberDoesNotDisturbUnwrapping() throws Exception {
    long isn = 3_000_000_000L;
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(isn, SYN, new byte[0]),
                A.seg(isn + 1, ACK, seqBytes(0, 10)),
                A.seg(0, RST, new byte[0]),
                A.seg(isn + 11, ACK, seqBytes(10, 10)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 20));
    assertThat(f.gapBytes()).isZero();
  }

  @Test
  void synCapturedAfterTheFirstDataStaysInTheSameFlow() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(101, ACK, seqBytes(0, 10)), // e.g. merged from two interfaces out of order
                A.seg(100, SYN, new byte[0]),
                A.seg(111, ACK, seqBytes(10, 10)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 20));
    assertThat(f.gapBytes()).isZero();
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void reusedFourTupleWithTheSameInitialSequenceNumberIsANewFlow() throws Exception {
    // a replay tool sending one connection twice: same ports, same ISN, a FIN between
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(100, SYN, new byte[0]),
                A.seg(101, ACK, seqBytes(0, 10)),
                A.seg(111, ACK | FIN, new byte[0]),
                A.seg(100, SYN, new byte[0]),
                A.seg(101, ACK, seqBytes(50, 12)))
            .bytes();
    List<TcpFlow> flows = CaptureReader.readFlows(cap, "test");
    assertThat(flows).extracting(f -> f.payload().length).containsExactly(10, 12);
    assertThat(flows.get(1).payload()).isEqualTo(seqBytes(50, 12));
    assertThat(flows).allSatisfy(f -> assertThat(f.warnings()).isEmpty());
  }

  @Test
  void sameIsnSynAfterDataWithoutFinIsANewFlowAndWarns() throws Exception {
    // the synthetic replays' shape: the first segment is SYN with data, twice on one 4-tuple
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(1, SYN, seqBytes(0, 6)),
                A.seg(7, ACK, seqBytes(6, 6)),
                A.seg(1, SYN, seqBytes(40, 6)),
                A.seg(7, ACK, seqBytes(46, 4)))
            .bytes();
    List<TcpFlow> flows = CaptureReader.readFlows(cap, "test");
    assertThat(flows).extracting(f -> f.payload().length).containsExactly(12, 10);
    assertThat(flows.get(1).payload()).isEqualTo(seqBytes(40, 10));
    assertThat(flows.get(0).warnings()).anyMatch(w -> w.contains("same initial sequence number"));
  }

  @Test
  void retransmittedSynDoesNotSplitTheFlow() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(100, SYN, new byte[0]),
                A.seg(100, SYN, new byte[0]),
                A.seg(101, ACK, seqBytes(0, 10)))
            .bytes();
    assertThat(only(cap).payload()).isEqualTo(seqBytes(0, 10));
  }

  @Test
  void flowsAreOrderedByFirstPacketTime() throws Exception {
    V4 b = new V4("198.51.100.7", 50000, "192.0.2.1", 1790);
    byte[] cap =
        new Pcap(1)
            .add(T0, b.seg(0, SYN, new byte[0]))
            .add(T0 + 10, A.seg(0, SYN, new byte[0]))
            .add(T0 + 20, A.seg(1, ACK, seqBytes(0, 3)))
            .add(T0 + 30, b.seg(1, ACK, seqBytes(9, 3)))
            .bytes();
    List<TcpFlow> flows = CaptureReader.readFlows(cap, "test");
    assertThat(flows).extracting(TcpFlow::srcAddress).containsExactly("198.51.100.7", "192.0.2.10");
    assertThat(flows).extracting(TcpFlow::firstTimestampMicros).containsExactly(T0, T0 + 10);
  }

  // ------------------------------------------------------------------------------------------------ link / IP

  @Test
  void vlanTaggedFramesAreDecoded() throws Exception {
    byte[] ip1 = A.ip(1, ACK, seqBytes(0, 4));
    byte[] ip2 = A.ip(5, ACK, seqBytes(4, 4));
    byte[] ip3 = A.ip(9, ACK, seqBytes(8, 4));
    byte[] cap =
        new Pcap(1)
            .addAll(
                T0,
                Packets.etherVlan(new int[] {0x8100}, new int[] {100}, 0x0800, ip1), // 802.1Q
                Packets.etherVlan(
                    new int[] {0x88a8, 0x8100}, new int[] {10, 20}, 0x0800, ip2), // 802.1ad QinQ
                Packets.etherVlan(new int[] {0x8100, 0x8100}, new int[] {30, 40}, 0x0800, ip3))
            .bytes(); // double 802.1Q
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 12));
  }

  @Test
  void ethernetPaddingIsNotPayload() throws Exception {
    byte[] frame = A.seg(1, ACK, bytes(0xAA, 0xBB)); // 14 + 20 + 20 + 2 = 56 bytes
    byte[] padded = Arrays.copyOf(frame, 64); // minimum Ethernet frame + 4 bytes "FCS"
    Arrays.fill(padded, frame.length, padded.length, (byte) 0xEE);
    byte[] cap =
        new Pcap(1)
            .addAll(T0, A.seg(0, SYN, new byte[0]), padded, A.seg(3, ACK, bytes(0xCC)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(bytes(0xAA, 0xBB, 0xCC));
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void ipv4HeaderOptionsAreSkippedByIhl() throws Exception {
    byte[] tcp = Packets.tcp(40000, 1790, 7, ACK, bytes(1, 2, 3));
    ByteBuffer ip = ByteBuffer.allocate(24 + tcp.length);
    ip.put((byte) 0x46)
        .put((byte) 0)
        .putShort((short) (24 + tcp.length))
        .putInt(0)
        .put((byte) 64)
        .put((byte) 6)
        .putShort((short) 0)
        .put(Packets.addr("192.0.2.10"))
        .put(Packets.addr("192.0.2.1"))
        .put(bytes(1, 1, 1, 0)) // NOP NOP NOP EOL
        .put(tcp);
    TcpFlow f = only(new Pcap(101).add(T0, ip.array()).bytes());
    assertThat(f.payload()).isEqualTo(bytes(1, 2, 3));
  }

  @Test
  void ipv6WithExtensionHeadersAndCompressedAddresses() throws Exception {
    String src = "2001:db8:0:0:0:0:0:1";
    String dst = "2001:0db8:0000:0001:0000:0000:0000:00fe";
    byte[] tcp = Packets.tcp(179, 1790, 10, ACK, seqBytes(0, 6));
    byte[] hopByHop = concat(bytes(60, 0, 1, 4, 0, 0, 0, 0)); // next: dest options; PadN
    byte[] destOpts = concat(bytes(43, 0, 1, 4, 0, 0, 0, 0)); // next: routing
    byte[] routing = concat(bytes(6, 0, 0, 0, 0, 0, 0, 0)); // next: TCP; type 0, segments left 0
    byte[] ip = Packets.ipv6(src, dst, 0, concat(hopByHop, destOpts, routing, tcp));
    byte[] tcp2 = Packets.tcp(179, 1790, 16, ACK, seqBytes(6, 4));
    byte[] ip2 = Packets.ipv6(src, dst, 6, tcp2);
    TcpFlow f =
        only(new Pcap(1).addAll(T0, Packets.ether(0x86dd, ip), Packets.ether(0x86dd, ip2)).bytes());
    assertThat(f.srcAddress()).isEqualTo("2001:db8::1");
    assertThat(f.dstAddress()).isEqualTo("2001:db8:0:1::fe");
    assertThat(f.srcPort()).isEqualTo(179);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 10));
    assertThat(f.describe()).isEqualTo("[2001:db8::1]:179 -> [2001:db8:0:1::fe]:1790");
  }

  @Test
  void ipv6FragmentsAreWarnedAndSkipped() throws Exception {
    String src = "2001:db8::1";
    String dst = "2001:db8::2";
    byte[] whole = Packets.ipv6(src, dst, 6, Packets.tcp(40000, 1790, 1, ACK, seqBytes(0, 4)));
    byte[] fragTcp = Packets.tcp(40000, 1790, 5, ACK, seqBytes(4, 8));
    byte[] frag1 =
        Packets.ipv6(
            src,
            dst,
            44,
            concat(
                bytes(6, 0, 0, 1, 0, 0, 0, 42),
                Arrays.copyOfRange(fragTcp, 0, 24))); // offset 0, M=1
    byte[] frag2 =
        Packets.ipv6(
            src,
            dst,
            44,
            concat(
                bytes(6, 0, 0, 24, 0, 0, 0, 42),
                Arrays.copyOfRange(fragTcp, 24, 28))); // offset 3*8, M=0
    byte[] after = Packets.ipv6(src, dst, 6, Packets.tcp(40000, 1790, 13, ACK, seqBytes(12, 4)));
    Capture c =
        CaptureReader.read(new Pcap(101).addAll(T0, whole, frag1, frag2, after).bytes(), "test");
    assertThat(c.flows()).hasSize(1);
    TcpFlow f = c.flows().get(0);
    assertThat(f.payload()).isEqualTo(concat(seqBytes(0, 4), seqBytes(12, 4)));
    assertThat(f.gapBytes()).isEqualTo(8);
    assertThat(f.warnings()).anyMatch(w -> w.contains("IPv6 fragment") && w.contains("packet 2"));
    assertThat(c.warnings()).anyMatch(w -> w.contains("IPv6 fragment"));
  }

  @Test
  void ipv4FragmentsAreWarnedAndSkipped() throws Exception {
    byte[] whole = A.ip(1, ACK, seqBytes(0, 4));
    byte[] frag = A.ip(5, ACK, seqBytes(4, 8));
    frag[6] = 0x20; // MF, offset 0
    frag[7] = 0;
    byte[] after = A.ip(13, ACK, seqBytes(12, 4));
    Capture c = CaptureReader.read(new Pcap(101).addAll(T0, whole, frag, after).bytes(), "test");
    TcpFlow f = c.flows().get(0);
    assertThat(f.payload()).isEqualTo(concat(seqBytes(0, 4), seqBytes(12, 4)));
    assertThat(f.gapBytes()).isEqualTo(8);
    assertThat(f.warnings()).anyMatch(w -> w.contains("IPv4 fragment"));
  }

  @Test
  void nonTcpTrafficIsIgnored() throws Exception {
    byte[] udp =
        Packets.ipv4(
            "192.0.2.10", "192.0.2.1", 17, bytes(0x10, 0x00, 0x12, 0x34, 0, 12, 0, 0, 0, 10, 0, 0));
    byte[] arp = Packets.ether(0x0806, new byte[28]);
    Capture c =
        CaptureReader.read(
            new Pcap(1)
                .addAll(T0, Packets.ether(0x0800, udp), arp, A.seg(1, ACK, bytes(9)))
                .bytes(),
            "test");
    assertThat(c.flows()).hasSize(1);
    assertThat(c.packets()).isEqualTo(3);
    assertThat(c.tcpPackets()).isEqualTo(1);
    assertThat(c.otherPackets()).isEqualTo(2);
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void truncatedPacketKeepsWhatIsThereAndWarns() throws Exception {
    byte[] full = A.seg(1, ACK, seqBytes(0, 100));
    byte[] cut = Arrays.copyOf(full, full.length - 60); // snaplen cut: 40 payload bytes captured
    byte[] cap =
        new Pcap(1)
            .add(T0, A.seg(0, SYN, new byte[0]))
            .add(T0 + 1, cut, full.length)
            .add(T0 + 2, A.seg(101, ACK, seqBytes(100, 5)))
            .bytes();
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(concat(seqBytes(0, 40), seqBytes(100, 5)));
    assertThat(f.gapBytes()).isEqualTo(60);
    assertThat(f.warnings()).anyMatch(w -> w.contains("truncated") && w.contains("60"));
  }

  @Test
  void truncatedFileEndsCleanlyWithWarning() throws Exception {
    byte[] cap =
        new Pcap(1)
            .addAll(T0, A.seg(1, ACK, seqBytes(0, 30)), A.seg(31, ACK, seqBytes(30, 30)))
            .bytes();
    byte[] cut = Arrays.copyOf(cap, cap.length - 10);
    Capture c = CaptureReader.read(cut, "cut.pcap");
    assertThat(c.flows()).hasSize(1);
    assertThat(c.flows().get(0).payload()).isEqualTo(seqBytes(0, 50));
    assertThat(c.warnings()).anyMatch(w -> w.contains("capture file truncated"));
    assertThat(c.flows().get(0).warnings()).anyMatch(w -> w.contains("capture file truncated"));
  }

  @Test
  void linuxCookedSllAndSll2() throws Exception {
    byte[] ip = A.ip(1, ACK, bytes(5, 6, 7));
    byte[] sll = concat(bytes(0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0), bytes(0x08, 0x00), ip);
    byte[] sll2 =
        concat(bytes(0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0), ip);
    assertThat(only(new Pcap(113).add(T0, sll).bytes()).payload()).isEqualTo(bytes(5, 6, 7));
    assertThat(only(new Pcap(276).add(T0, sll2).bytes()).payload()).isEqualTo(bytes(5, 6, 7));
  }

  @Test
  void bsdNullAndLoopback() throws Exception {
    byte[] ip4 = A.ip(1, ACK, bytes(1, 2));
    byte[] ip6 = Packets.ipv6("::1", "::1", 6, Packets.tcp(1, 2, 1, ACK, bytes(3, 4)));
    // NULL: host byte order (little-endian writer here); AF_INET6 = 30 on Darwin
    byte[] cap0 =
        new Pcap(0)
            .addAll(T0, concat(bytes(2, 0, 0, 0), ip4), concat(bytes(30, 0, 0, 0), ip6))
            .bytes();
    List<TcpFlow> flows0 = CaptureReader.readFlows(cap0, "null");
    assertThat(flows0).extracting(TcpFlow::payload).containsExactly(bytes(1, 2), bytes(3, 4));
    assertThat(flows0.get(1).srcAddress()).isEqualTo("::1");
    // LOOP: network byte order; AF_INET6 = 24 on OpenBSD
    byte[] cap108 =
        new Pcap(108)
            .addAll(T0, concat(bytes(0, 0, 0, 2), ip4), concat(bytes(0, 0, 0, 24), ip6))
            .bytes();
    assertThat(CaptureReader.readFlows(cap108, "loop"))
        .extracting(TcpFlow::payload)
        .containsExactly(bytes(1, 2), bytes(3, 4));
  }

  @Test
  void rawIpLinkTypes() throws Exception {
    byte[] ip4 = A.ip(1, ACK, bytes(1, 2));
    byte[] ip6 = Packets.ipv6("2001:db8::1", "2001:db8::2", 6, Packets.tcp(1, 2, 1, ACK, bytes(3)));
    assertThat(only(new Pcap(101).add(T0, ip4).bytes()).payload()).isEqualTo(bytes(1, 2));
    assertThat(only(new Pcap(101).add(T0, ip6).bytes()).payload()).isEqualTo(bytes(3));
    assertThat(only(new Pcap(228).add(T0, ip4).bytes()).payload()).isEqualTo(bytes(1, 2));
    assertThat(only(new Pcap(229).add(T0, ip6).bytes()).payload()).isEqualTo(bytes(3));
  }

  @Test
  void unsupportedLinkTypeIsWarned() throws Exception {
    Capture c = CaptureReader.read(new Pcap(147).add(T0, new byte[40]).bytes(), "x");
    assertThat(c.flows()).isEmpty();
    assertThat(c.warnings()).anyMatch(w -> w.contains("link type 147"));
  }

  // ------------------------------------------------------------------------------------------------ file formats

  @Test
  void bigEndianPcap() throws Exception {
    byte[] cap =
        new Pcap(1, ByteOrder.BIG_ENDIAN, false)
            .addAll(T0 + 123_456, A.seg(1, ACK, seqBytes(0, 5)), A.seg(6, ACK, seqBytes(5, 5)))
            .bytes();
    assertThat(cap[0]).isEqualTo((byte) 0xa1);
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 10));
    assertThat(f.firstTimestampMicros()).isEqualTo(T0 + 123_456);
  }

  @Test
  void nanosecondPcapBothByteOrders() throws Exception {
    for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
      byte[] cap =
          new Pcap(1, order, true).add(T0 + 987_654, A.seg(1, ACK, seqBytes(0, 5))).bytes();
      assertThat(CaptureReader.detect(cap)).isEqualTo(Format.PCAP);
      TcpFlow f = only(cap);
      assertThat(f.payload()).isEqualTo(seqBytes(0, 5));
      assertThat(f.firstTimestampMicros()).isEqualTo(T0 + 987_654);
    }
  }

  @Test
  void pcapngWithTwoInterfacesOfDifferentLinkTypes() throws Exception {
    V4 b = new V4("203.0.113.5", 33000, "192.0.2.1", 1790);
    long tsNanos = (T0 + 500) * 1000 + 999; // interface 1 has nanosecond resolution
    byte[] cap =
        new Pcapng(ByteOrder.LITTLE_ENDIAN)
            .idb(1, -1) // interface 0: Ethernet, microseconds (default resolution)
            .idb(101, 9) // interface 1: raw IP, nanoseconds
            .epb(0, T0, A.seg(1, ACK, seqBytes(0, 3)))
            .epb(1, tsNanos, b.ip(1, ACK, seqBytes(100, 4)))
            .isb()
            .epb(0, T0 + 1000, A.seg(4, ACK, seqBytes(3, 3)))
            .epb(1, tsNanos + 1000, b.ip(5, ACK, seqBytes(104, 1)))
            .bytes();
    assertThat(CaptureReader.detect(cap)).isEqualTo(Format.PCAPNG);
    List<TcpFlow> flows = CaptureReader.readFlows(cap, "two-if.pcapng");
    assertThat(flows).hasSize(2);
    assertThat(flows.get(0).payload()).isEqualTo(seqBytes(0, 6));
    assertThat(flows.get(0).firstTimestampMicros()).isEqualTo(T0);
    assertThat(flows.get(1).srcAddress()).isEqualTo("203.0.113.5");
    assertThat(flows.get(1).payload()).isEqualTo(seqBytes(100, 5));
    assertThat(flows.get(1).firstTimestampMicros()).isEqualTo(T0 + 500);
  }

  @Test
  void pcapngBigEndianWithSimplePacketBlocks() throws Exception {
    byte[] cap =
        new Pcapng(ByteOrder.BIG_ENDIAN)
            .idb(1, 6)
            .epb(0, T0, A.seg(1, ACK, seqBytes(0, 3)))
            .spb(A.seg(4, ACK, seqBytes(3, 5))) // 5-byte payload: block padding must not leak in
            .spb(A.seg(9, ACK, seqBytes(8, 2)))
            .bytes();
    assertThat(cap[8]).isEqualTo((byte) 0x1A);
    TcpFlow f = only(cap);
    assertThat(f.payload()).isEqualTo(seqBytes(0, 10));
    assertThat(f.firstTimestampMicros()).isEqualTo(T0);
  }

  @Test
  void pcapngSecondSectionResetsInterfaces() throws Exception {
    V4 b = new V4("203.0.113.5", 33000, "192.0.2.1", 1790);
    byte[] s1 =
        new Pcapng(ByteOrder.LITTLE_ENDIAN).idb(1, 6).epb(0, T0, A.seg(1, ACK, bytes(1))).bytes();
    byte[] s2 =
        new Pcapng(ByteOrder.BIG_ENDIAN).idb(101, 6).epb(0, T0 + 5, b.ip(1, ACK, bytes(2))).bytes();
    List<TcpFlow> flows = CaptureReader.readFlows(concat(s1, s2), "two-sections");
    assertThat(flows).extracting(TcpFlow::payload).containsExactly(bytes(1), bytes(2));
  }

  @Test
  void detectAllMagics() {
    assertThat(CaptureReader.detect(bytes(0xa1, 0xb2, 0xc3, 0xd4))).isEqualTo(Format.PCAP);
    assertThat(CaptureReader.detect(bytes(0xd4, 0xc3, 0xb2, 0xa1))).isEqualTo(Format.PCAP);
    assertThat(CaptureReader.detect(bytes(0xa1, 0xb2, 0x3c, 0x4d))).isEqualTo(Format.PCAP);
    assertThat(CaptureReader.detect(bytes(0x4d, 0x3c, 0xb2, 0xa1))).isEqualTo(Format.PCAP);
    assertThat(
            CaptureReader.detect(
                bytes(0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 28, 0x4d, 0x3c, 0x2b, 0x1a)))
        .isEqualTo(Format.PCAPNG);
    assertThat(
            CaptureReader.detect(
                bytes(0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 28, 0x1a, 0x2b, 0x3c, 0x4d)))
        .isEqualTo(Format.PCAPNG);
    assertThat(CaptureReader.detect(bytes(3, 0, 0, 0, 6, 4))).isEqualTo(Format.RAW);
    assertThat(CaptureReader.detect(bytes(0xa1))).isEqualTo(Format.RAW);
    assertThat(CaptureReader.detect(new byte[0])).isEqualTo(Format.RAW);
  }

  @Test
  void rawStreamIsOneFlow(@TempDir Path dir) throws Exception {
    byte[] bmp = bytes(3, 0, 0, 0, 6, 4, 3, 0, 0, 0, 6, 5);
    Path file = dir.resolve("session.bin");
    Files.write(file, bmp);
    List<TcpFlow> flows = CaptureReader.readFlows(file);
    assertThat(flows).hasSize(1);
    TcpFlow f = flows.get(0);
    assertThat(f.srcAddress()).isEqualTo("file");
    assertThat(f.srcPort()).isZero();
    assertThat(f.dstPort()).isZero();
    assertThat(f.dstAddress()).isEqualTo("session.bin");
    assertThat(f.payload()).isEqualTo(bmp);
    assertThat(f.gapBytes()).isZero();
    assertThat(CaptureReader.readFlows(new byte[0], "empty")).isEmpty();
  }

  @Test
  void corruptHeadersThrow() {
    assertThatThrownBy(
            () -> CaptureReader.readFlows(bytes(0xd4, 0xc3, 0xb2, 0xa1, 2, 0), "short.pcap"))
        .isInstanceOf(CaptureFormatException.class)
        .hasMessageContaining("short.pcap");
    byte[] badNg = bytes(0x0a, 0x0d, 0x0d, 0x0a, 7, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0);
    assertThatThrownBy(() -> CaptureReader.readFlows(badNg, "bad.pcapng"))
        .isInstanceOf(CaptureFormatException.class);
  }

  @Test
  void damagedCapturesNeverThrowAnythingButCaptureFormatException() throws Exception {
    String v6 = "2001:db8::1";
    byte[] ext = concat(bytes(6, 0, 1, 4, 0, 0, 0, 0), Packets.tcp(1, 2, 1, ACK, seqBytes(0, 9)));
    byte[] pcap =
        new Pcap(1)
            .addAll(
                T0,
                A.seg(0, SYN, new byte[0]),
                Packets.etherVlan(
                    new int[] {0x88a8, 0x8100},
                    new int[] {1, 2},
                    0x0800,
                    A.ip(1, ACK, seqBytes(0, 30))),
                Packets.ether(0x86dd, Packets.ipv6(v6, v6, 0, ext)),
                A.seg(31, ACK | FIN, seqBytes(30, 3)))
            .bytes();
    byte[] ng =
        new Pcapng(ByteOrder.BIG_ENDIAN)
            .idb(1, 9)
            .idb(101, -1)
            .epb(0, T0, A.seg(1, ACK, seqBytes(0, 7)))
            .epb(1, T0, A.ip(8, ACK, seqBytes(7, 7)))
            .spb(A.seg(15, ACK, bytes(1)))
            .bytes();
    java.util.Random random = new java.util.Random(7);
    for (byte[] original : List.of(pcap, ng)) {
      for (int cut = 0; cut <= original.length; cut++) {
        readQuietly(Arrays.copyOf(original, cut));
      }
      for (int i = 0; i < 2000; i++) {
        byte[] d = original.clone();
        for (int k = 1 + random.nextInt(4); k > 0; k--) {
          d[random.nextInt(d.length)] = (byte) random.nextInt(256);
        }
        readQuietly(d);
      }
    }
  }

  private static void readQuietly(byte[] d) {
    try {
      CaptureReader.read(d, "damaged");
    } catch (CaptureFormatException expected) {
      // a damaged file header is reported this way
    }
  }

  @Test
  void ipv6TextFormIsRfc5952() {
    assertThat(IpAddresses.format(Packets.addr("2001:db8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
    assertThat(IpAddresses.format(Packets.addr("::"))).isEqualTo("::");
    assertThat(IpAddresses.format(Packets.addr("::1"))).isEqualTo("::1");
    assertThat(IpAddresses.format(Packets.addr("fe80::"))).isEqualTo("fe80::");
    assertThat(IpAddresses.format(Packets.addr("2001:db8:0:1:0:0:0:1")))
        .isEqualTo("2001:db8:0:1::1");
    // a single zero group is not compressed; the first of two equal runs is
    assertThat(IpAddresses.format(Packets.addr("2001:db8:0:1:1:1:1:1")))
        .isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(IpAddresses.format(Packets.addr("2001:0:0:1:0:0:1:1"))).isEqualTo("2001::1:0:0:1:1");
    assertThat(IpAddresses.format(Packets.addr("2001:db8:0:0:1:0:0:0")))
        .isEqualTo("2001:db8:0:0:1::");
    assertThat(IpAddresses.format(Packets.addr("2A02:A90:4007:31::69")))
        .isEqualTo("2a02:a90:4007:31::69");
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[13] = 0;
    mapped[14] = 2;
    mapped[15] = 1;
    assertThat(IpAddresses.format(mapped)).isEqualTo("::ffff:192.0.2.1");
    assertThat(IpAddresses.format(Packets.addr("192.0.2.255"))).isEqualTo("192.0.2.255");
  }
}
