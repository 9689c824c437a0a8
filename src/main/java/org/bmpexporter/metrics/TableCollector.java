package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.DataPoints.append;
import static org.bmpexporter.metrics.Families.END_OF_RIB;
import static org.bmpexporter.metrics.Families.ROUTES;
import static org.bmpexporter.metrics.Families.ROUTE_ANNOUNCEMENTS;
import static org.bmpexporter.metrics.Families.ROUTE_PATH_STATUS;
import static org.bmpexporter.metrics.Families.ROUTE_WITHDRAWALS;

import java.util.Map;
import org.bmpexporter.state.Snapshots;

/** The {@link Families#TABLE} series: routes and route events per peer, RIB and AFI/SAFI. */
final class TableCollector {
  private TableCollector() {}

  /**
   * @param id the peer's label values: router, peer, rd
   */
  static void collect(String[] id, Snapshots.Peer p, DataPoints out) {
    for (Snapshots.Table t : p.tables()) {
      String[] table = append(id, t.rib(), t.afiSafi());
      out.gauge(ROUTES, t.routes(), table);
      out.counter(ROUTE_ANNOUNCEMENTS, t.announcements(), table);
      out.counter(ROUTE_WITHDRAWALS, t.withdrawals(), table);
      out.gauge(END_OF_RIB, t.endOfRib() ? 1 : 0, table);
      for (Map.Entry<String, Long> s : t.pathStatus().entrySet()) {
        out.counter(ROUTE_PATH_STATUS, s.getValue(), append(table, s.getKey()));
      }
    }
  }
}
