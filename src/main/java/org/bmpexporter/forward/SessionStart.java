package org.bmpexporter.forward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.wire.MessageType;

/**
 * What a destination needs to see first to follow a router's session from the middle: the router's
 * Initiation, then the Peer Up of every peer that is up now. Kept from the messages as they pass
 * (whole messages, unchanged); at most {@code maxPeers} Peer Ups, the router state's own peer
 * limit, so it is bounded like the state. Route Monitoring is not kept: a destination that starts
 * in the middle of a session learns the routes that change from then on.
 *
 * <p>Not thread-safe: used on the router session's event loop.
 */
final class SessionStart {
  /** A peer as the per-peer header names it: type, distinguisher, address. */
  private record Peer(int type, long distinguisher, long high, long low)
      implements Comparable<Peer> {
    static Peer at(byte[] b, int off) {
      int h = off + BmpLimits.COMMON_HEADER_LENGTH;
      return new Peer(
          Bytes.u8(b, h), Bytes.s64(b, h + 2), Bytes.s64(b, h + 10), Bytes.s64(b, h + 18));
    }

    // Ordered, not hashed: the sender chooses the addresses, so a hash table could be flooded.
    @Override
    public int compareTo(Peer o) {
      int c = Integer.compare(type, o.type);
      if (c == 0) {
        c = Long.compare(distinguisher, o.distinguisher);
      }
      if (c == 0) {
        c = Long.compare(high, o.high);
      }
      return c != 0 ? c : Long.compare(low, o.low);
    }
  }

  private final int maxPeers;
  private final TreeMap<Peer, byte[]> peerUps = new TreeMap<>();
  private byte[] initiation;
  private boolean peersOverLimit;

  SessionStart(int maxPeers) {
    this.maxPeers = maxPeers;
  }

  /** Takes note of a message of the session (a whole BMP message, copied when it is kept). */
  void see(byte[] m) {
    see(m, 0, m.length);
  }

  /**
   * Takes note of the whole BMP message at {@code b[off, off + len)}; the bytes are only read
   * during the call (what is kept is copied).
   */
  void see(byte[] b, int off, int len) {
    int type = Bytes.u8(b, off + 5);
    if (type == MessageType.INITIATION.code()) {
      initiation = Arrays.copyOfRange(b, off, off + len);
    } else if (len >= BmpLimits.COMMON_HEADER_LENGTH + BmpLimits.PER_PEER_HEADER_LENGTH) {
      if (type == MessageType.PEER_UP.code()) {
        Peer p = Peer.at(b, off);
        if (peerUps.size() < maxPeers || peerUps.containsKey(p)) {
          peerUps.put(p, Arrays.copyOfRange(b, off, off + len));
        } else {
          peersOverLimit = true;
        }
      } else if (type == MessageType.PEER_DOWN.code()) {
        peerUps.remove(Peer.at(b, off));
      }
    }
  }

  /** The messages a destination joining now gets first: the Initiation, the Peer Ups. */
  List<byte[]> messages() {
    List<byte[]> out = new ArrayList<>(peerUps.size() + 1);
    if (initiation != null) {
      out.add(initiation);
    }
    out.addAll(peerUps.values());
    return out;
  }

  /** Peers up now. */
  int peers() {
    return peerUps.size();
  }

  /** A Peer Up was not kept: the router had more peers than the limit. */
  boolean peersOverLimit() {
    return peersOverLimit;
  }
}
