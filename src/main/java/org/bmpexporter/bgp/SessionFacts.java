package org.bmpexporter.bgp;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * What the two OPENs of a Peer Up negotiated, passed explicitly to the UPDATE decoder: whether path
 * identifiers are present per family and direction (RFC 7911), and 4-octet AS support.
 *
 * <p>The ADD-PATH families of each direction are worked out once, here, into sorted arrays: the
 * UPDATE decoder asks for every NLRI field, and a lookup must not box the family.
 */
public final class SessionFacts {
  private static final int[] NONE = new int[0]; // before UNKNOWN, which uses it

  /**
   * For a peer without a Peer Up: no ADD-PATH (detected per field if the stream says otherwise).
   */
  public static final SessionFacts UNKNOWN = new SessionFacts(null, null);

  private final BgpOpen sent;
  private final BgpOpen received;

  /** Families whose routes received from the peer carry path identifiers, sorted. */
  private final int[] inbound;

  /** Families whose routes sent to the peer carry path identifiers, sorted. */
  private final int[] outbound;

  /**
   * @param sent the OPEN the monitored router sent to the peer
   * @param received the OPEN the router received from the peer
   */
  public SessionFacts(BgpOpen sent, BgpOpen received) {
    this.sent = sent;
    this.received = received;
    if (sent == null || received == null) {
      inbound = NONE;
      outbound = NONE;
      return;
    }
    // Routes received from the peer have path ids when the router can receive and the peer can
    // send; routes sent to the peer the other way round.
    inbound =
        sent.addPath().keySet().stream()
            .filter(f -> sent.canReceiveAddPath(f) && received.canSendAddPath(f))
            .mapToInt(Integer::intValue)
            .sorted()
            .toArray();
    outbound =
        sent.addPath().keySet().stream()
            .filter(f -> sent.canSendAddPath(f) && received.canReceiveAddPath(f))
            .mapToInt(Integer::intValue)
            .sorted()
            .toArray();
  }

  private SessionFacts(BgpOpen sent, BgpOpen received, int[] families) {
    this.sent = sent;
    this.received = received;
    this.inbound = families;
    this.outbound = families;
  }

  /**
   * The facts of a Loc-RIB instance peer (RFC 9069): its OPENs are fabricated, and an ADD-PATH
   * capability for a family in either of them means the Loc-RIB NLRI of that family carry path
   * identifiers, whatever send/receive mode it names.
   */
  public static SessionFacts locRib(BgpOpen sent, BgpOpen received) {
    if (sent == null || received == null) {
      return UNKNOWN;
    }
    int[] families =
        IntStream.concat(
                sent.addPath().entrySet().stream()
                    .filter(e -> e.getValue() != 0)
                    .mapToInt(e -> e.getKey()),
                received.addPath().entrySet().stream()
                    .filter(e -> e.getValue() != 0)
                    .mapToInt(e -> e.getKey()))
            .distinct()
            .sorted()
            .toArray();
    return new SessionFacts(sent, received, families);
  }

  /**
   * These Loc-RIB facts with those of a further Peer Up of the same Loc-RIB instance: RFC 9069 lets
   * a router announce one instance's capabilities over several Peer Ups, so they add up.
   */
  public SessionFacts plus(SessionFacts more) {
    if (!known()) {
      return more;
    }
    if (!more.known()) {
      return this;
    }
    int[] families =
        IntStream.concat(Arrays.stream(inbound), Arrays.stream(more.inbound))
            .distinct()
            .sorted()
            .toArray();
    return new SessionFacts(more.sent, more.received, families);
  }

  /**
   * Whether NLRI of {@code family} carry path identifiers in routes travelling in {@code
   * direction}. Routes received from the peer (Adj-RIB-In, Loc-RIB) have them when the router can
   * receive and the peer can send; routes sent to the peer (Adj-RIB-Out) the other way round.
   */
  public boolean addPath(int family, Direction direction) {
    int[] families = direction == Direction.SENT ? outbound : inbound;
    return families.length != 0 && Arrays.binarySearch(families, family) >= 0;
  }

  /** Both sides support 4-octet AS numbers, so AS_PATH carries 4-octet ASNs. */
  public boolean fourOctetAs() {
    return sent != null && received != null && sent.fourOctetAs() && received.fourOctetAs();
  }

  public boolean known() {
    return sent != null && received != null;
  }
}
