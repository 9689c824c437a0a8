package org.bmpexporter.loadgen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What one session sent for one monitored peer (labels as in the metrics contract). */
final class PeerReport {
  final String peer;
  final String rd;
  final String peerType;
  long peerAs;
  String bgpId;
  long ups;
  long downs;

  /** rib -> afi_safi -> counts. */
  final Map<String, Map<String, Table>> ribs = new TreeMap<>();

  /** Last Statistics Report values sent, by stat type name (per-AFI ones suffixed). */
  final Map<String, Long> lastStats = new LinkedHashMap<>();

  PeerReport(String peer, String rd, String peerType) {
    this.peer = peer;
    this.rd = rd;
    this.peerType = peerType;
  }

  Table table(String rib, String afiSafi) {
    return ribs.computeIfAbsent(rib, k -> new TreeMap<>())
        .computeIfAbsent(afiSafi, k -> new Table());
  }

  /** Prefix counts of one (rib, afi_safi) table. {@code present} = routes held at the end. */
  static final class Table {
    long announced;
    long withdrawn;
    long present;
    boolean endOfRib;
  }
}
