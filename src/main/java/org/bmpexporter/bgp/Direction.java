package org.bmpexporter.bgp;

/**
 * Which way the routes of an UPDATE travel between the monitored router and its peer. ADD-PATH (RFC
 * 7911) is negotiated per direction, so the UPDATE decoder needs it to know whether NLRI carry path
 * identifiers.
 */
public enum Direction {
  /** Routes the router received from the peer (Adj-RIB-In, and Loc-RIB's fabricated OPENs). */
  RECEIVED,
  /** Routes the router sends to the peer (Adj-RIB-Out). */
  SENT
}
