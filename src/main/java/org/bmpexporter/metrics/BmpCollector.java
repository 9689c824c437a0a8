package org.bmpexporter.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bmpexporter.state.Snapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the per-router, per-peer and per-table series of the metrics contract at scrape time from
 * state snapshots: no meter object per series, nothing to churn when peers come and go. The routers
 * are snapshotted once per scrape and handed to one collector per concern.
 */
public final class BmpCollector extends FamilyCollector {
  private static final Logger LOG = LoggerFactory.getLogger(BmpCollector.class);

  private final Supplier<List<Snapshots.Router>> routers;

  public BmpCollector(Supplier<List<Snapshots.Router>> routers) {
    super(Families.ROUTER_STATE);
    this.routers = routers;
  }

  @Override
  public MetricSnapshots collect() {
    return collect(routers.get());
  }

  /** The series of the given routers; public for golden tests. */
  public static MetricSnapshots collect(List<Snapshots.Router> routers) {
    return collect(routers, address -> RouterLabels.NONE);
  }

  /**
   * The series of the given routers, {@code bmp_router_info} carrying the inventory's name and
   * labels of each router's address.
   */
  public static MetricSnapshots collect(
      List<Snapshots.Router> routers, Function<String, RouterLabels> inventory) {
    DataPoints out = new DataPoints();
    for (Snapshots.Router r : routers) {
      RouterCollector.collect(r, inventory.apply(r.address()), out);
      Set<String> seen = new HashSet<>();
      for (Snapshots.Peer p : r.peers()) {
        if (!seen.add(p.peer() + '|' + p.rd())) {
          // Two peer types with the same address and distinguisher (an RD and a local instance
          // peer sharing an RD): exposing both would make duplicate series; keep the first.
          LOG.warn(
              "router {}: peer {} rd '{}' seen as more than one peer type; only the first"
                  + " is exposed",
              r.router(),
              p.peer(),
              p.rd());
          continue;
        }
        String[] id = {r.router(), p.peer(), p.rd()};
        PeerCollector.collect(id, p, out);
        TableCollector.collect(id, p, out);
        StatisticsCollector.collect(id, p, out);
      }
    }
    return out.snapshots();
  }
}
