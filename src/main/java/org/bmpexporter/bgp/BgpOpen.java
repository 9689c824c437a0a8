package org.bmpexporter.bgp;

import java.util.List;
import java.util.Map;

/**
 * A decoded BGP OPEN (RFC 4271) with the capabilities a collector needs (RFC 5492): 4-octet AS (RFC
 * 6793), multiprotocol (RFC 4760), ADD-PATH (RFC 7911), extended message (RFC 8654), graceful
 * restart (RFC 4724), route refresh (RFC 2918). Unknown capabilities are kept by code, each code
 * once.
 *
 * @param addPath per family ({@link AfiSafi#of}), the ADD-PATH send/receive mode (1 receive, 2
 *     send, 3 both)
 */
public record BgpOpen(
    int version,
    int myAs,
    int holdTime,
    long bgpId,
    long as4,
    List<Integer> families,
    Map<Integer, Integer> addPath,
    boolean extendedMessage,
    boolean routeRefresh,
    boolean gracefulRestart,
    List<Integer> otherCapabilities) {

  public static final int ADD_PATH_RECEIVE = 1;
  public static final int ADD_PATH_SEND = 2;

  /** The speaker's AS: the 4-octet capability's if present, else the 2-octet field. */
  public long asNumber() {
    return as4 >= 0 ? as4 : myAs;
  }

  public boolean fourOctetAs() {
    return as4 >= 0;
  }

  public boolean canSendAddPath(int family) {
    return (addPath.getOrDefault(family, 0) & ADD_PATH_SEND) != 0;
  }

  public boolean canReceiveAddPath(int family) {
    return (addPath.getOrDefault(family, 0) & ADD_PATH_RECEIVE) != 0;
  }
}
