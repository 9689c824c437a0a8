package org.bmpexporter.loadgen;

/**
 * What a generated stream contains, per peer slot (0..P-1 the global peers, P the Loc-RIB
 * instance), rib ({@link Labels#PRE}, POST, LOC) and AFI ({@link Labels#V4}, V6). A counter can
 * cover a window of slots, so that a one-peer segment does not carry arrays for every peer.
 */
final class Counters {
  final long[] messages = new long[8];
  final int firstSlot;
  final long[][][] announced;
  final long[][][] withdrawn;
  final boolean[][][] endOfRib;
  final long[] ups;
  final long[] downs;

  Counters(int firstSlot, int slots) {
    this.firstSlot = firstSlot;
    announced = new long[slots][3][2];
    withdrawn = new long[slots][3][2];
    endOfRib = new boolean[slots][3][2];
    ups = new long[slots];
    downs = new long[slots];
  }

  void add(Segment s) {
    for (int t = 0; t < 8; t++) {
      messages[t] += s.messages[t];
    }
    if (s.slot >= 0) {
      int i = s.slot - firstSlot;
      for (int r = 0; r < 3; r++) {
        for (int a = 0; a < 2; a++) {
          announced[i][r][a] += s.announced[r][a];
          withdrawn[i][r][a] += s.withdrawn[r][a];
          endOfRib[i][r][a] |= s.endOfRib[r][a];
        }
      }
    }
  }
}
