package org.bmpexporter.capture;

/**
 * One direction of a TCP 4-tuple; IPv4 addresses live in the low 32 bits of {@code src0}/{@code
 * dst0}.
 */
final class FlowKey {
  final boolean v6;
  final long src0;
  final long src1;
  final long dst0;
  final long dst1;
  final int srcPort;
  final int dstPort;
  private final int hash;

  FlowKey(boolean v6, long src0, long src1, long dst0, long dst1, int srcPort, int dstPort) {
    this.v6 = v6;
    this.src0 = src0;
    this.src1 = src1;
    this.dst0 = dst0;
    this.dst1 = dst1;
    this.srcPort = srcPort;
    this.dstPort = dstPort;
    long h = src0 * 31 + src1;
    h = h * 31 + dst0;
    h = h * 31 + dst1;
    h = h * 31 + ((long) srcPort << 16 | dstPort);
    h = h * 31 + (v6 ? 1 : 0);
    this.hash = (int) (h ^ (h >>> 32));
  }

  static FlowKey of(byte[] d, int srcOff, int dstOff, int addrLen, int srcPort, int dstPort) {
    if (addrLen == 4) {
      return new FlowKey(
          false, Bytes.u32be(d, srcOff), 0, Bytes.u32be(d, dstOff), 0, srcPort, dstPort);
    }
    return new FlowKey(
        true,
        Bytes.i64be(d, srcOff),
        Bytes.i64be(d, srcOff + 8),
        Bytes.i64be(d, dstOff),
        Bytes.i64be(d, dstOff + 8),
        srcPort,
        dstPort);
  }

  FlowKey reverse() {
    return new FlowKey(v6, dst0, dst1, src0, src1, dstPort, srcPort);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FlowKey k)) {
      return false;
    }
    return hash == k.hash
        && v6 == k.v6
        && src0 == k.src0
        && src1 == k.src1
        && dst0 == k.dst0
        && dst1 == k.dst1
        && srcPort == k.srcPort
        && dstPort == k.dstPort;
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
