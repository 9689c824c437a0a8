package org.bmpexporter.wire;

import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.Bytes;

/**
 * The 42-byte per-peer header (RFC 7854 4.2, RFC 8671, RFC 9069). The address is kept as two longs
 * so that a header costs one small object; text forms are made on demand.
 */
public record PerPeerHeader(
    int peerType,
    int flags,
    long distinguisher,
    long addressHigh,
    long addressLow,
    long peerAs,
    long peerBgpId,
    long timestampSeconds,
    long timestampMicros) {

  /** The peer types this class tests for; others are {@link PeerType}'s. */
  private static final int TYPE_GLOBAL = PeerType.GLOBAL.code();

  private static final int TYPE_LOC_RIB = PeerType.LOC_RIB.code();

  public static final int FLAG_V = 0x80;
  public static final int FLAG_L = 0x40;
  public static final int FLAG_A = 0x20;
  public static final int FLAG_O = 0x10;

  /** RFC 9069: for Loc-RIB peers the first flag bit is F (filtered), not V. */
  public static final int FLAG_F = 0x80;

  // Field offsets within the header (RFC 7854 4.2): the only place that knows them.
  private static final int TYPE = 0;
  private static final int FLAGS = 1;
  private static final int DISTINGUISHER = 2;
  private static final int ADDRESS_HIGH = 10;
  private static final int ADDRESS_LOW = 18;
  private static final int PEER_AS = 26;
  private static final int PEER_BGP_ID = 30;
  private static final int TIMESTAMP_SECONDS = 34;
  private static final int TIMESTAMP_MICROS = 38;

  /** The header at {@code b[off..off+42)}; the caller has checked that it is there. */
  public static PerPeerHeader decode(byte[] b, int off) {
    return new PerPeerHeader(
        Bytes.u8(b, off + TYPE),
        Bytes.u8(b, off + FLAGS),
        Bytes.s64(b, off + DISTINGUISHER),
        Bytes.s64(b, off + ADDRESS_HIGH),
        Bytes.s64(b, off + ADDRESS_LOW),
        Bytes.u32(b, off + PEER_AS),
        Bytes.u32(b, off + PEER_BGP_ID),
        Bytes.u32(b, off + TIMESTAMP_SECONDS),
        Bytes.u32(b, off + TIMESTAMP_MICROS));
  }

  /**
   * The RIB of the header at {@code b[off..]}, read in place (type and flags only): for the Route
   * Monitoring hot path, which makes a header object only when the peer changes.
   */
  public static Rib ribAt(byte[] b, int off) {
    return rib(Bytes.u8(b, off + TYPE), Bytes.u8(b, off + FLAGS));
  }

  /** The A flag of the header at {@code b[off..]}, read in place. */
  public static boolean legacyAsPathAt(byte[] b, int off) {
    return (Bytes.u8(b, off + FLAGS) & FLAG_A) != 0;
  }

  /** Same peer as the header at {@code b[off..]} (see {@link #samePeer}), read in place. */
  public boolean samePeerAt(byte[] b, int off) {
    return peerType == Bytes.u8(b, off + TYPE)
        && distinguisher == Bytes.s64(b, off + DISTINGUISHER)
        && addressHigh == Bytes.s64(b, off + ADDRESS_HIGH)
        && addressLow == Bytes.s64(b, off + ADDRESS_LOW);
  }

  public boolean locRib() {
    return peerType == TYPE_LOC_RIB;
  }

  /** The peer address is IPv6 (V flag); for a Loc-RIB peer decided by the address itself. */
  public boolean ipv6() {
    if (locRib()) {
      return addressHigh != 0 || (addressLow >>> 32) != 0;
    }
    return (flags & FLAG_V) != 0;
  }

  public boolean postPolicy() {
    return !locRib() && (flags & FLAG_L) != 0;
  }

  public boolean legacyAsPath() {
    return (flags & FLAG_A) != 0;
  }

  public boolean adjRibOut() {
    return !locRib() && (flags & FLAG_O) != 0;
  }

  public boolean filtered() {
    return locRib() && (flags & FLAG_F) != 0;
  }

  public Rib rib() {
    return rib(peerType, flags);
  }

  /** The RIB a message of this peer type and these flags is about (O and L flags, RFC 9069). */
  public static Rib rib(int peerType, int flags) {
    if (peerType == TYPE_LOC_RIB) {
      return Rib.LOC_RIB;
    }
    boolean post = (flags & FLAG_L) != 0;
    if ((flags & FLAG_O) != 0) {
      return post ? Rib.ADJ_RIB_OUT_POST : Rib.ADJ_RIB_OUT_PRE;
    }
    return post ? Rib.ADJ_RIB_IN_POST : Rib.ADJ_RIB_IN_PRE;
  }

  public String addressText() {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (addressHigh >>> (56 - 8 * i));
      b[8 + i] = (byte) (addressLow >>> (56 - 8 * i));
    }
    return Addresses.address16(b, 0, ipv6());
  }

  /**
   * The distinguisher as an RD; empty for a global instance peer. Other peer types keep theirs even
   * when zero ({@code 0:0} for the default Loc-RIB instance), so that a Loc-RIB instance and a
   * global peer sharing the all-zero address (FRR does this) stay two peers.
   */
  public String distinguisherText() {
    if (peerType == TYPE_GLOBAL) {
      return "";
    }
    return Addresses.routeDistinguisher(distinguisher);
  }

  public String bgpIdText() {
    return Addresses.ipv4(peerBgpId);
  }

  public String peerTypeLabel() {
    return PeerType.CODES.label(peerType);
  }

  /** Same peer as {@code other}: type, distinguisher and address (flags and times may differ). */
  public boolean samePeer(PerPeerHeader other) {
    return peerType == other.peerType
        && distinguisher == other.distinguisher
        && addressHigh == other.addressHigh
        && addressLow == other.addressLow;
  }

  /** An all-zero identity: no peer address, AS or BGP ID (FRR 8.0.1 sends such a Peer Up). */
  public boolean blank() {
    return addressHigh == 0 && addressLow == 0 && peerAs == 0 && peerBgpId == 0 && !locRib();
  }
}
