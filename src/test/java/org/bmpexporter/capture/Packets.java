package org.bmpexporter.capture;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds frames and capture files byte by byte for the unit tests. */
final class Packets {
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;

  private Packets() {}

  static byte[] addr(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress(); // literals only: no DNS lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** {@code n} bytes counting up from {@code first}, so misplaced bytes are visible. */
  static byte[] seqBytes(int first, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  static byte[] tcp(int sport, int dport, long seq, int flags, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
    b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt(0);
    b.put((byte) 0x50)
        .put((byte) flags)
        .putShort((short) 65535)
        .putShort((short) 0)
        .putShort((short) 0);
    b.put(payload);
    return b.array();
  }

  static byte[] ipv4(String src, String dst, int proto, byte[] l4) {
    ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
    b.put((byte) 0x45)
        .put((byte) 0)
        .putShort((short) (20 + l4.length))
        .putShort((short) 1)
        .putShort((short) 0x4000);
    b.put((byte) 64).put((byte) proto).putShort((short) 0).put(addr(src)).put(addr(dst)).put(l4);
    return b.array();
  }

  /** IPv6 header; {@code afterHeader} starts with whatever {@code nextHeader} names. */
  static byte[] ipv6(String src, String dst, int nextHeader, byte[] afterHeader) {
    ByteBuffer b = ByteBuffer.allocate(40 + afterHeader.length);
    b.putInt(0x60000000).putShort((short) afterHeader.length).put((byte) nextHeader).put((byte) 64);
    b.put(addr(src)).put(addr(dst)).put(afterHeader);
    return b.array();
  }

  static byte[] ether(int etherType, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
    b.put(bytes(0x02, 0, 0, 0, 0, 2))
        .put(bytes(0x02, 0, 0, 0, 0, 1))
        .putShort((short) etherType)
        .put(payload);
    return b.array();
  }

  static byte[] etherVlan(int[] tpids, int[] vlanIds, int etherType, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(14 + 4 * tpids.length + payload.length);
    b.put(bytes(0x02, 0, 0, 0, 0, 2)).put(bytes(0x02, 0, 0, 0, 0, 1));
    for (int i = 0; i < tpids.length; i++) {
      b.putShort((short) tpids[i]).putShort((short) vlanIds[i]);
    }
    b.putShort((short) etherType).put(payload);
    return b.array();
  }

  /** One direction of a TCP connection over IPv4/Ethernet. */
  record V4(String src, int sport, String dst, int dport) {
    byte[] seg(long seq, int flags, byte[] payload) {
      return ether(0x0800, ipv4(src, dst, 6, tcp(sport, dport, seq, flags, payload)));
    }

    byte[] ip(long seq, int flags, byte[] payload) {
      return ipv4(src, dst, 6, tcp(sport, dport, seq, flags, payload));
    }

    V4 reverse() {
      return new V4(dst, dport, src, sport);
    }
  }

  /** Classic pcap writer. */
  static final class Pcap {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;
    private final boolean nanos;

    Pcap(int linkType) {
      this(linkType, ByteOrder.LITTLE_ENDIAN, false);
    }

    Pcap(int linkType, ByteOrder order, boolean nanos) {
      this.order = order;
      this.nanos = nanos;
      ByteBuffer h = ByteBuffer.allocate(24).order(order);
      h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4)
          .putShort((short) 2)
          .putShort((short) 4)
          .putInt(0)
          .putInt(0)
          .putInt(262144)
          .putInt(linkType);
      out.writeBytes(h.array());
    }

    Pcap add(long tsMicros, byte[] frame) {
      return add(tsMicros, frame, frame.length);
    }

    /** A record whose packet was {@code origLen} long on the wire. */
    Pcap add(long tsMicros, byte[] frame, int origLen) {
      ByteBuffer h = ByteBuffer.allocate(16).order(order);
      h.putInt((int) (tsMicros / 1_000_000))
          .putInt((int) (tsMicros % 1_000_000 * (nanos ? 1000 : 1)))
          .putInt(frame.length)
          .putInt(origLen);
      out.writeBytes(h.array());
      out.writeBytes(frame);
      return this;
    }

    Pcap addAll(long tsMicros, byte[]... frames) {
      for (byte[] f : frames) {
        add(tsMicros++, f);
      }
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** pcapng writer: one section, blocks appended in call order. */
  static final class Pcapng {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    Pcapng(ByteOrder order) {
      this.order = order;
      block(
          0x0A0D0D0A,
          ByteBuffer.allocate(16)
              .order(order)
              .putInt(0x1A2B3C4D)
              .putShort((short) 1)
              .putShort((short) 0)
              .putLong(-1L)
              .array());
    }

    /** Interface with an if_tsresol option ({@code tsresol} < 0: no option, i.e. microseconds). */
    Pcapng idb(int linkType, int tsresol) {
      ByteBuffer b = ByteBuffer.allocate(tsresol < 0 ? 8 : 20).order(order);
      b.putShort((short) linkType).putShort((short) 0).putInt(0);
      if (tsresol >= 0) {
        b.putShort((short) 9)
            .putShort((short) 1)
            .put((byte) tsresol)
            .put(new byte[3])
            .putShort((short) 0)
            .putShort((short) 0);
      }
      block(1, b.array());
      return this;
    }

    Pcapng epb(int ifId, long ts, byte[] frame) {
      int padded = (frame.length + 3) & ~3;
      ByteBuffer b = ByteBuffer.allocate(20 + padded).order(order);
      b.putInt(ifId)
          .putInt((int) (ts >>> 32))
          .putInt((int) ts)
          .putInt(frame.length)
          .putInt(frame.length)
          .put(frame);
      block(6, b.array());
      return this;
    }

    Pcapng spb(byte[] frame) {
      int padded = (frame.length + 3) & ~3;
      ByteBuffer b = ByteBuffer.allocate(4 + padded).order(order);
      b.putInt(frame.length).put(frame);
      block(3, b.array());
      return this;
    }

    /** A block type the reader must skip (interface statistics). */
    Pcapng isb() {
      block(5, ByteBuffer.allocate(12).order(order).putInt(0).putLong(0).array());
      return this;
    }

    private void block(int type, byte[] body) {
      int len = 12 + body.length;
      ByteBuffer b = ByteBuffer.allocate(len).order(order);
      b.putInt(type).putInt(len).put(body).putInt(len);
      out.writeBytes(b.array());
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
