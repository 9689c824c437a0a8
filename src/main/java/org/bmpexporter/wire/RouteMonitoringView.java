package org.bmpexporter.wire;

/**
 * A Route Monitoring message seen where it lies in the read buffer: its per-peer header and the
 * position of its BGP UPDATE, without a copy. The session reuses one view for every message, so a
 * view is only valid during the listener call it is passed to; copy what must outlive it.
 */
public final class RouteMonitoringView {
  private PerPeerHeader peer;
  private byte[] buffer;
  private int updateOffset;
  private int updateLength;
  private int messageLength;

  /** Points the view at a message; for the session that owns it. */
  public RouteMonitoringView set(
      PerPeerHeader peer, byte[] buffer, int updateOffset, int updateLength, int messageLength) {
    this.peer = peer;
    this.buffer = buffer;
    this.updateOffset = updateOffset;
    this.updateLength = updateLength;
    this.messageLength = messageLength;
    return this;
  }

  public PerPeerHeader peer() {
    return peer;
  }

  public Rib rib() {
    return peer.rib();
  }

  /** The read buffer holding the message; do not modify. */
  public byte[] buffer() {
    return buffer;
  }

  /** Where the BGP UPDATE (with its 19-byte header) starts in {@link #buffer()}. */
  public int updateOffset() {
    return updateOffset;
  }

  /** The UPDATE's length up to the end of the BMP message (trailing bytes included). */
  public int updateLength() {
    return updateLength;
  }

  /** The whole BMP message's length. */
  public int messageLength() {
    return messageLength;
  }
}
