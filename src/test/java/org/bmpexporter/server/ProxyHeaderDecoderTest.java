package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bmpexporter.server.ProxyHeaderDecoder.Start;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PROXY protocol decoder against the spec's forms (HAProxy proxy-protocol.txt), every
 * malformation, and every way the bytes can be split across reads: for each split point the
 * accumulated bytes are framed again, as the server does, and must ask for more until the header is
 * complete, then yield the same header (or the same error) whatever the split.
 */
class ProxyHeaderDecoderTest {
  /** A BMP Initiation's first bytes: what follows the header in the same read. */
  private static final byte[] BMP = {3, 0, 0, 0, 6, 4};

  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A v2 header: version/command, family/transport, then the address block and TLVs. */
  private static byte[] v2(int versionCommand, int familyTransport, byte[] block) {
    return concat(
        V2_SIGNATURE,
        new byte[] {
          (byte) versionCommand,
          (byte) familyTransport,
          (byte) (block.length >> 8),
          (byte) block.length
        },
        block);
  }

  private static byte[] inet(String src, String dst, int sport, int dport) throws Exception {
    return concat(
        InetAddress.getByName(src).getAddress(),
        InetAddress.getByName(dst).getAddress(),
        new byte[] {(byte) (sport >> 8), (byte) sport, (byte) (dport >> 8), (byte) dport});
  }

  private static byte[] tlv(int type, int length) {
    byte[] t = new byte[3 + length];
    t[0] = (byte) type;
    t[1] = (byte) (length >> 8);
    t[2] = (byte) length;
    Arrays.fill(t, 3, t.length, (byte) 'x');
    return t;
  }

  /**
   * Delivers {@code stream} in two reads split at every point, and byte by byte: until the header
   * is complete the decoder asks for more, then it returns the header; the bytes after it are left
   * for the session. Returns the header.
   */
  private static ProxyHeader decodeAtEverySplit(byte[] stream, int headerLength) throws Exception {
    ProxyHeader first = null;
    for (int split = 0; split <= stream.length; split++) {
      // read 1: the first `split` bytes
      ProxyHeader h = ProxyHeaderDecoder.decode(stream, 0, split);
      if (split < headerLength) {
        assertThat(h).as("after %d of %d bytes", split, headerLength).isNull();
        // read 2: the rest arrives
        h = ProxyHeaderDecoder.decode(stream, 0, stream.length);
      }
      assertThat(h).as("split at %d", split).isNotNull();
      assertThat(h.length()).isEqualTo(headerLength);
      if (first == null) {
        first = h;
      }
      assertThat(h).isEqualTo(first);
    }
    return first;
  }

  /**
   * {@code stream} is refused at every split: each read either asks for more or fails with the same
   * message, and the whole of it fails.
   */
  private static void refusedAtEverySplit(byte[] stream, String message) {
    for (int n = 0; n < stream.length; n++) {
      try {
        assertThat(ProxyHeaderDecoder.decode(stream, 0, n)).as("after %d bytes", n).isNull();
      } catch (ProxyProtocolException e) {
        assertThat(e).hasMessageContaining(message);
      }
    }
    assertThatThrownBy(() -> ProxyHeaderDecoder.decode(stream, 0, stream.length))
        .isInstanceOf(ProxyProtocolException.class)
        .hasMessageContaining(message);
  }

  // ------------------------------------------------------------------ start

  @Test
  void aBmpStreamIsNotAProxyHeaderAfterOneByte() {
    assertThat(ProxyHeaderDecoder.start(BMP, 0, 1)).isEqualTo(Start.NOT_PROXY);
    assertThat(ProxyHeaderDecoder.start(BMP, 0, 0)).isEqualTo(Start.NEED_MORE);
    byte[] v1 = ascii("PROXY TCP4");
    for (int n = 1; n < 6; n++) {
      assertThat(ProxyHeaderDecoder.start(v1, 0, n)).isEqualTo(Start.NEED_MORE);
    }
    assertThat(ProxyHeaderDecoder.start(v1, 0, 6)).isEqualTo(Start.V1);
    for (int n = 1; n < 12; n++) {
      assertThat(ProxyHeaderDecoder.start(V2_SIGNATURE, 0, n)).isEqualTo(Start.NEED_MORE);
    }
    assertThat(ProxyHeaderDecoder.start(V2_SIGNATURE, 0, 12)).isEqualTo(Start.V2);
    assertThat(ProxyHeaderDecoder.start(ascii("PROXZ"), 0, 5)).isEqualTo(Start.NOT_PROXY);
  }

  // ------------------------------------------------------------------ v1

  @Test
  void v1Tcp4() throws Exception {
    byte[] header = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 11019\r\n");
    ProxyHeader h = decodeAtEverySplit(concat(header, BMP), header.length);
    assertThat(h.version()).isEqualTo(1);
    assertThat(h.source()).isEqualTo(InetAddress.getByName("192.0.2.1"));
    assertThat(h.sourcePort()).isEqualTo(56324);
    assertThat(h.destination()).isEqualTo(InetAddress.getByName("198.51.100.2"));
    assertThat(h.destinationPort()).isEqualTo(11019);
  }

  @Test
  void v1Tcp6() throws Exception {
    byte[] header = ascii("PROXY TCP6 2001:db8::1 2001:db8:0:0:0:0:0:2 1 65535\r\n");
    ProxyHeader h = decodeAtEverySplit(concat(header, BMP), header.length);
    assertThat(h.source()).isEqualTo(InetAddress.getByName("2001:db8::1"));
    assertThat(h.destination()).isEqualTo(InetAddress.getByName("2001:db8::2"));
    assertThat(h.sourcePort()).isEqualTo(1);
    assertThat(h.destinationPort()).isEqualTo(65535);
  }

  @Test
  void v1UnknownMeansTheConnectionItself() throws Exception {
    byte[] header = ascii("PROXY UNKNOWN\r\n");
    ProxyHeader h = decodeAtEverySplit(concat(header, BMP), header.length);
    assertThat(h.source()).isNull();
    InetAddress proxy = InetAddress.getByName("10.0.0.1");
    assertThat(h.sourceOr(proxy)).isEqualTo(proxy);
  }

  /** The spec's longest v1 line is exactly 107 bytes; one more is refused. */
  @Test
  void v1AtItsLimitAndOneByteOver() throws Exception {
    String f = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
    byte[] longest = ascii("PROXY UNKNOWN " + f + " " + f + " 65535 65535\r\n");
    assertThat(longest).hasSize(ProxyHeaderDecoder.V1_MAX_LENGTH);
    assertThat(decodeAtEverySplit(concat(longest, BMP), longest.length).source()).isNull();
    byte[] tcp6 = ascii("PROXY TCP6 " + f + " " + f + " 65535 65535\r\n");
    assertThat(decodeAtEverySplit(tcp6, tcp6.length).sourcePort()).isEqualTo(65535);
    refusedAtEverySplit(
        ascii("PROXY UNKNOWN " + f + " " + f + " 65535 655351\r\n"), "no CRLF within 107");
    byte[] endless = new byte[300];
    Arrays.fill(endless, (byte) 'A');
    System.arraycopy(ascii("PROXY "), 0, endless, 0, 6);
    refusedAtEverySplit(endless, "no CRLF within 107");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PROXY TCP5 192.0.2.1 198.51.100.2 1 2\r\n|unknown protocol 'TCP5'",
        "PROXY tcp4 192.0.2.1 198.51.100.2 1 2\r\n|unknown protocol 'tcp4'",
        "PROXY \r\n|unknown protocol ''",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1\r\n|3 fields after TCP4, expected 4",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1 2 3\r\n|5 fields after TCP4, expected 4",
        "PROXY TCP4  192.0.2.1 198.51.100.2 1 2\r\n|5 fields after TCP4",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1 2 \r\n|5 fields after TCP4",
        "PROXY TCP4 192.0.2.256 198.51.100.2 1 2\r\n|source '192.0.2.256' is not an IPv4",
        "PROXY TCP4 192.0.2.1 localhost 1 2\r\n|destination 'localhost' is not an IPv4",
        "PROXY TCP4 2001:db8::1 198.51.100.2 1 2\r\n|source '2001:db8::1' is not an IPv4",
        "PROXY TCP6 192.0.2.1 2001:db8::2 1 2\r\n|source '192.0.2.1' is not an IPv6",
        "PROXY TCP6 fe80::1%eth0 2001:db8::2 1 2\r\n|source 'fe80::1%eth0' is not an IPv6",
        "PROXY TCP6 [2001:db8::1] 2001:db8::2 1 2\r\n|is not an IPv6",
        "PROXY TCP6 2001:db8:::1 2001:db8::2 1 2\r\n|is not an IPv6",
        "PROXY TCP4 192.0.2.1 198.51.100.2 65536 2\r\n|source port '65536' is not 0-65535",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1 0123\r\n|destination port '0123'",
        "PROXY TCP4 192.0.2.1 198.51.100.2 -1 2\r\n|source port '-1'",
        "PROXY TCP4 192.0.2.1 198.51.100.2 +1 2\r\n|source port '+1'",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1 \r\n|destination port ''",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1 2\n|byte 0xa",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1 2\rX|CR not followed by LF",
        "PROXY TCP4 192.0.2.1\t198.51.100.2 1 2\r\n|byte 0x9",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1 2\u00e9\r\n|byte 0xe9",
        "PROXY UNKNOWN\u0000\r\n|byte 0x0",
      })
  void v1Malformations(String caseAndMessage) {
    int bar = caseAndMessage.lastIndexOf('|');
    refusedAtEverySplit(
        concat(ascii(caseAndMessage.substring(0, bar)), BMP), caseAndMessage.substring(bar + 1));
  }

  // ------------------------------------------------------------------ v2

  @Test
  void v2ProxyInet() throws Exception {
    byte[] header = v2(0x21, 0x11, inet("192.0.2.1", "198.51.100.2", 56324, 11019));
    ProxyHeader h = decodeAtEverySplit(concat(header, BMP), header.length);
    assertThat(h.version()).isEqualTo(2);
    assertThat(h.length()).isEqualTo(16 + 12);
    assertThat(h.source()).isEqualTo(InetAddress.getByName("192.0.2.1"));
    assertThat(h.sourcePort()).isEqualTo(56324);
    assertThat(h.destination()).isEqualTo(InetAddress.getByName("198.51.100.2"));
    assertThat(h.destinationPort()).isEqualTo(11019);
  }

  @Test
  void v2ProxyInet6WithTlvsSkipped() throws Exception {
    byte[] block =
        concat(inet("2001:db8::1", "2001:db8::2", 179, 11019), tlv(0x01, 2), tlv(0x04, 0));
    byte[] header = v2(0x21, 0x21, block);
    ProxyHeader h = decodeAtEverySplit(concat(header, BMP), header.length);
    assertThat(h.length()).isEqualTo(16 + 36 + 5 + 3);
    assertThat(h.source()).isEqualTo(InetAddress.getByName("2001:db8::1"));
    assertThat(h.sourcePort()).isEqualTo(179);
  }

  @Test
  void v2Ipv4MappedIpv6IsTheIpv4Router() throws Exception {
    // InetAddress itself turns ::ffff:a.b.c.d into IPv4: the 16 bytes are written by hand
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    byte[] src = mapped.clone();
    System.arraycopy(new byte[] {(byte) 192, 0, 2, 7}, 0, src, 12, 4);
    byte[] header = v2(0x21, 0x21, concat(src, mapped, new byte[] {0, 1, 0, 2}));
    ProxyHeader h = decodeAtEverySplit(header, header.length);
    assertThat(h.source().getAddress()).hasSize(4);
    assertThat(SessionHandler.label(h.source())).isEqualTo("192.0.2.7");
  }

  /** HAProxy's health checks send LOCAL: the connection stands for itself, the block is ignored. */
  @Test
  void v2LocalAndUnspecifiedFamiliesMeanTheConnectionItself() throws Exception {
    for (byte[] header :
        new byte[][] {
          v2(0x20, 0x00, new byte[0]),
          v2(0x20, 0x11, inet("192.0.2.1", "198.51.100.2", 1, 2)),
          v2(0x20, 0x11, new byte[3]), // LOCAL: even a short block is ignored
          v2(0x21, 0x00, new byte[0]),
          v2(0x21, 0x00, tlv(0x04, 4)),
          v2(0x21, 0x31, new byte[216]),
        }) {
      ProxyHeader h = decodeAtEverySplit(concat(header, BMP), header.length);
      assertThat(h.source()).isNull();
    }
  }

  @Test
  void v2AtItsCapAndOneByteOver() throws Exception {
    byte[] block = concat(inet("192.0.2.1", "198.51.100.2", 1, 2), tlv(0x04, 4096 - 12 - 3));
    byte[] header = v2(0x21, 0x11, block);
    assertThat(header).hasSize(ProxyHeaderDecoder.V2_MAX_LENGTH);
    assertThat(decodeAtEverySplit(header, header.length).sourcePort()).isEqualTo(1);
    byte[] over = concat(inet("192.0.2.1", "198.51.100.2", 1, 2), tlv(0x04, 4096 - 12 - 2));
    refusedAtEverySplit(v2(0x21, 0x11, over), "4097 address and TLV bytes");
  }

  @Test
  void v2Malformations() throws Exception {
    byte[] inet = inet("192.0.2.1", "198.51.100.2", 1, 2);
    refusedAtEverySplit(v2(0x11, 0x11, inet), "version 1, not 2");
    refusedAtEverySplit(v2(0x31, 0x11, inet), "version 3, not 2");
    refusedAtEverySplit(v2(0x22, 0x11, inet), "unknown command 2");
    refusedAtEverySplit(v2(0x2F, 0x11, inet), "unknown command 15");
    refusedAtEverySplit(v2(0x21, 0x41, inet), "unknown address family 4");
    refusedAtEverySplit(v2(0x21, 0x13, inet), "unknown transport 3");
    refusedAtEverySplit(v2(0x21, 0x12, inet), "datagram transport");
    refusedAtEverySplit(
        v2(0x21, 0x11, Arrays.copyOf(inet, 8)), "8 address bytes, family 1 needs 12");
    refusedAtEverySplit(v2(0x21, 0x21, inet), "12 address bytes, family 2 needs 36");
    refusedAtEverySplit(v2(0x21, 0x31, inet), "family 3 needs 216");
    refusedAtEverySplit(v2(0x21, 0x11, concat(inet, new byte[] {1, 0})), "truncated TLV header");
    byte[] longTlv = tlv(0x01, 5);
    refusedAtEverySplit(
        v2(0x21, 0x11, concat(inet, Arrays.copyOf(longTlv, longTlv.length - 1))),
        "TLV type 0x1 of 5 bytes runs past the header");
    byte[] badSignature = concat(v2(0x21, 0x11, inet), BMP);
    badSignature[10] = 'X';
    refusedAtEverySplit(badSignature, "no PROXY protocol header");
  }

  @Test
  void aStreamWithoutHeaderIsRefusedWhereOneIsRequired() {
    refusedAtEverySplit(BMP, "no PROXY protocol header");
    refusedAtEverySplit(ascii("GET / HTTP/1.1\r\n"), "no PROXY protocol header");
  }
}
