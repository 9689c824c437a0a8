package org.bmpexporter.bgp;

import org.bmpexporter.wire.Rib;

/**
 * What the two OPENs of a Peer Up negotiated, passed explicitly to the UPDATE decoder: whether
 * path identifiers are present per family and direction (RFC 7911), and 4-octet AS support.
 */
public final class SessionFacts {
  /** For a peer without a Peer Up: no ADD-PATH (detected per field if the stream says otherwise). */
  public static final SessionFacts UNKNOWN = new SessionFacts(null, null);

  private final BgpOpen sent;
  private final BgpOpen received;

  /**
   * @param sent the OPEN the monitored router sent to the peer
   * @param received the OPEN the router received from the peer
   */
  public SessionFacts(BgpOpen sent, BgpOpen received) {
    this.sent = sent;
    this.received = received;
  }

  /**
   * Whether NLRI of {@code family} carry path identifiers in routes of {@code rib}. Routes
   * received from the peer (Adj-RIB-In, Loc-RIB) have them when the router can receive and the
   * peer can send; routes sent to the peer (Adj-RIB-Out) the other way round.
   */
  public boolean addPath(int family, Rib rib) {
    if (sent == null || received == null) {
      return false;
    }
    if (rib.outbound()) {
      return sent.canSendAddPath(family) && received.canReceiveAddPath(family);
    }
    return sent.canReceiveAddPath(family) && received.canSendAddPath(family);
  }

  /** Both sides support 4-octet AS numbers, so AS_PATH carries 4-octet ASNs. */
  public boolean fourOctetAs() {
    return sent != null && received != null && sent.fourOctetAs() && received.fourOctetAs();
  }

  public boolean known() {
    return sent != null && received != null;
  }
}
