package org.bmpexporter.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bmpexporter.state.Snapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the per-router, per-peer and per-table series of the metrics contract at scrape time from
 * state snapshots: no meter object per series, nothing to churn when peers come and go. The routers
 * are snapshotted once per scrape and handed to one collector per concern. A router whose series
 * cannot be built is left out of the page (counted, logged once): it never fails another router's.
 */
public final class BmpCollector extends FamilyCollector {
  private static final Logger LOG = LoggerFactory.getLogger(BmpCollector.class);
  // Bounds the memory of "logged once": beyond this many failing routers, failures log at debug.
  private static final int MAX_LOGGED_ROUTERS = 10_000;
  // Process-wide: the pages are built by static calls from the HTTP endpoint.
  private static final Failures FAILURES = new Failures();

  private final Supplier<List<Snapshots.Router>> routers;

  public BmpCollector(Supplier<List<Snapshots.Router>> routers) {
    super(Families.ROUTER_STATE);
    this.routers = routers;
  }

  @Override
  public MetricSnapshots collect() {
    return collect(routers.get());
  }

  /** Routers left out of a page so far because building their series failed. */
  public static long routersLeftOut() {
    return FAILURES.count.sum();
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
      DataPoints.Mark mark = out.mark();
      try {
        collect(r, inventory.apply(r.address()), out);
      } catch (RuntimeException e) {
        out.rollback(mark);
        FAILURES.failed(r.router(), e);
      }
    }
    return out.snapshots();
  }

  private static void collect(Snapshots.Router r, RouterLabels labels, DataPoints out) {
    RouterCollector.collect(r, labels, out);
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
      WatchCollector.collect(id, p, out);
    }
  }

  /** Routers whose series could not be built: counted, and logged once per router. */
  private static final class Failures {
    final LongAdder count = new LongAdder();
    final Set<String> logged = ConcurrentHashMap.newKeySet();

    void failed(String router, RuntimeException e) {
      count.increment();
      if (logged.size() < MAX_LOGGED_ROUTERS && logged.add(String.valueOf(router))) {
        LOG.error(
            "router {}: its series could not be built and are left out of scrapes while this"
                + " fails (logged once)",
            router,
            e);
      } else {
        LOG.debug("router {}: series left out of the scrape again: {}", router, e.toString());
      }
    }
  }
}
