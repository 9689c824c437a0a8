package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.WATCH_MORE_SPECIFICS;
import static org.bmpexporter.metrics.Families.WATCH_PREFIX_ORIGIN;
import static org.bmpexporter.metrics.Families.WATCH_PREFIX_PRESENT;
import static org.bmpexporter.metrics.Families.WATCH_UNEXPECTED_ORIGIN;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bmpexporter.state.Snapshots;

/**
 * The {@link Families#WATCH} series of a peer: per watched prefix and RIB, over the RIB's families
 * (a prefix is present when it is in any of them; their more-specifics add up).
 */
final class WatchCollector {
  private WatchCollector() {}

  /** One watched prefix in one RIB of the peer, summed over families. */
  private static final class Rib {
    boolean exactSeen;
    boolean present;
    final TreeSet<String> origins = new TreeSet<>();
    boolean moreSeen;
    long moreSpecifics;
    boolean unexpected;
  }

  /**
   * @param id the peer's label values: router, peer, rd
   */
  static void collect(String[] id, Snapshots.Peer p, DataPoints out) {
    if (p.watched().isEmpty()) {
      return;
    }
    Map<List<String>, Rib> byRib = new LinkedHashMap<>();
    for (Snapshots.Watched w : p.watched()) {
      Rib r = byRib.computeIfAbsent(List.of(w.watch(), w.rib()), k -> new Rib());
      r.exactSeen |= w.exactSeen();
      r.present |= w.present();
      r.origins.addAll(w.origins());
      r.moreSeen |= w.moreSpecificsSeen();
      r.moreSpecifics += w.moreSpecifics();
      r.unexpected |= w.unexpectedOrigin();
    }
    byRib.forEach(
        (k, r) -> {
          String[] labels = labels(k.get(0), id, k.get(1));
          // Shown once the prefix was there: its 0 is what a "missing" alert needs.
          if (r.exactSeen) {
            out.gauge(WATCH_PREFIX_PRESENT, r.present ? 1 : 0, labels);
          }
          for (String origin : r.origins) {
            out.info(WATCH_PREFIX_ORIGIN, DataPoints.append(labels, origin));
          }
          if (r.moreSeen) {
            out.gauge(WATCH_MORE_SPECIFICS, r.moreSpecifics, labels);
          }
          out.gauge(WATCH_UNEXPECTED_ORIGIN, r.unexpected ? 1 : 0, labels);
        });
  }

  private static String[] labels(String watch, String[] id, String rib) {
    List<String> all = new ArrayList<>(5);
    all.add(watch);
    all.addAll(List.of(id));
    all.add(rib);
    return all.toArray(new String[0]);
  }
}
