package org.bmpexporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.codec.DecodeError;

/**
 * Builds the per-router, per-peer and per-table series of the metrics contract at scrape time from
 * state snapshots: no meter object per series, nothing to churn when peers come and go.
 */
public final class BmpCollector implements MultiCollector {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(BmpCollector.class);
  static final String MAX_PREFIX = "cease/maximum_number_of_prefixes_reached";

  private final Supplier<List<Snapshots.Router>> routers;

  public BmpCollector(Supplier<List<Snapshots.Router>> routers) {
    this.routers = routers;
  }

  @Override
  public MetricSnapshots collect() {
    return collect(routers.get());
  }

  /** The series of the given routers; public for golden tests. */
  public static MetricSnapshots collect(List<Snapshots.Router> routers) {
    Family routerUp = new Family("bmp_router_up", "1 while a BMP session from the router is open");
    Family routerInfo = new Family("bmp_router", "Router identity from the BMP Initiation message");
    Family routerUpTs = new Family("bmp_router_up_timestamp_seconds",
        "When the router's current BMP session opened");
    Family messages = new Family("bmp_router_messages", "BMP messages received, by type");
    Family bytes = new Family("bmp_router_received_bytes", "BMP bytes received");
    Family errors = new Family("bmp_router_decode_errors",
        "BMP messages or parts that could not be decoded, by error");
    Family terminations = new Family("bmp_router_terminations",
        "BMP Termination messages, by reason");
    Family peerUp = new Family("bmp_peer_up", "1 after Peer Up, 0 after Peer Down");
    Family peerInfo = new Family("bmp_peer", "Monitored peer identity from the Peer Up message");
    Family peerUpTs = new Family("bmp_peer_up_timestamp_seconds", "Last Peer Up of the peer");
    Family peerDownTs = new Family("bmp_peer_last_down_timestamp_seconds",
        "Last Peer Down of the peer");
    Family ups = new Family("bmp_peer_ups", "Peer Up notifications");
    Family downs = new Family("bmp_peer_downs",
        "Peer Down notifications, by decoded reason and BGP NOTIFICATION");
    Family routes = new Family("bmp_routes",
        "Routes present now, counted exactly from Route Monitoring (ADD-PATH paths separately)");
    Family announcements = new Family("bmp_route_announcements", "Prefixes announced");
    Family withdrawals = new Family("bmp_route_withdrawals", "Prefixes withdrawn");
    Family eor = new Family("bmp_end_of_rib",
        "1 once End-of-RIB was seen for the table since the peer came up");
    Family statTotal = new Family("bmp_peer_stat",
        "The router's own 32-bit statistics counters, last value reported");
    Family statValue = new Family("bmp_peer_stat_value",
        "The router's own 64-bit statistics gauges, last value reported");
    Family statTs = new Family("bmp_peer_stat_report_timestamp_seconds",
        "Last Statistics Report for the peer");
    Family mirroring = new Family("bmp_route_mirroring", "Route Mirroring items, by kind");

    for (Snapshots.Router r : routers) {
      String router = r.router();
      routerUp.gauge(r.up() ? 1 : 0, "router", router);
      routerInfo.info("router", router, "sys_name", r.sysName(), "sys_descr", r.sysDescr());
      routerUpTs.gauge(r.upSinceSeconds(), "router", router);
      r.messages().forEach((type, n) -> messages.counter(n, "router", router, "type", type));
      bytes.counter(r.receivedBytes(), "router", router);
      for (DecodeError e : DecodeError.values()) {
        // Every error value exists from the start, so increase() sees the first one.
        errors.counter(r.decodeErrors().getOrDefault(e.label(), 0L), "router", router,
            "error", e.label());
      }
      r.terminations().forEach((reason, n) ->
          terminations.counter(n, "router", router, "reason", reason));
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Snapshots.Peer p : r.peers()) {
        if (!seen.add(p.peer() + '|' + p.rd())) {
          // Two peer types with the same address and distinguisher (an RD and a local instance
          // peer sharing an RD): exposing both would make duplicate series; keep the first.
          LOG.warn("router {}: peer {} rd '{}' seen as more than one peer type; only the first"
              + " is exposed", router, p.peer(), p.rd());
          continue;
        }
        String[] id = {"router", router, "peer", p.peer(), "rd", p.rd()};
        peerUp.gauge(p.up() ? 1 : 0, id);
        peerInfo.info(with(id, "peer_as", Long.toString(p.peerAs()), "peer_bgp_id",
            p.peerBgpId(), "peer_type", p.peerType(), "table", p.table()));
        if (p.upTimestampSeconds() > 0) {
          peerUpTs.gauge(p.upTimestampSeconds(), id);
        }
        if (p.lastDownTimestampSeconds() > 0) {
          peerDownTs.gauge(p.lastDownTimestampSeconds(), id);
        }
        ups.counter(p.ups(), id);
        boolean localMax = false;
        boolean remoteMax = false;
        for (Snapshots.Downs d : p.downs()) {
          downs.counter(d.count(), with(id, "reason", d.reason(), "notification", d.notification()));
          localMax |= d.reason().equals("local_notification") && d.notification().equals(MAX_PREFIX);
          remoteMax |= d.reason().equals("remote_notification") && d.notification().equals(MAX_PREFIX);
        }
        // Max-prefix Peer Downs exist at 0 from the start, so alerts see the first increase.
        if (!localMax) {
          downs.counter(0, with(id, "reason", "local_notification", "notification", MAX_PREFIX));
        }
        if (!remoteMax) {
          downs.counter(0, with(id, "reason", "remote_notification", "notification", MAX_PREFIX));
        }
        for (Snapshots.Table t : p.tables()) {
          String[] table = with(id, "rib", t.rib(), "afi_safi", t.afiSafi());
          routes.gauge(t.routes(), table);
          announcements.counter(t.announcements(), table);
          withdrawals.counter(t.withdrawals(), table);
          eor.gauge(t.endOfRib() ? 1 : 0, table);
        }
        for (Snapshots.StatCounter c : p.statCounters()) {
          statTotal.counter(c.value(), with(id, "stat_type", c.statType()));
        }
        for (Snapshots.StatGauge g : p.statGauges()) {
          statValue.gauge(g.value(), with(id, "stat_type", g.statType(), "afi_safi", g.afiSafi()));
        }
        if (p.statReportTimestampSeconds() > 0) {
          statTs.gauge(p.statReportTimestampSeconds(), id);
        }
        for (Map.Entry<String, Long> m : p.mirroring().entrySet()) {
          mirroring.counter(m.getValue(), with(id, "kind", m.getKey()));
        }
      }
    }
    List<MetricSnapshot> all = new ArrayList<>();
    for (Family f : List.of(routerUp, routerInfo, routerUpTs, messages, bytes, errors,
        terminations, peerUp, peerInfo, peerUpTs, peerDownTs, ups, downs, routes, announcements,
        withdrawals, eor, statTotal, statValue, statTs, mirroring)) {
      f.addTo(all);
    }
    return new MetricSnapshots(all);
  }

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of("bmp_router_up", "bmp_router", "bmp_router_up_timestamp_seconds",
        "bmp_router_messages", "bmp_router_received_bytes", "bmp_router_decode_errors",
        "bmp_router_terminations", "bmp_peer_up", "bmp_peer", "bmp_peer_up_timestamp_seconds",
        "bmp_peer_last_down_timestamp_seconds", "bmp_peer_ups", "bmp_peer_downs", "bmp_routes",
        "bmp_route_announcements", "bmp_route_withdrawals", "bmp_end_of_rib", "bmp_peer_stat",
        "bmp_peer_stat_value", "bmp_peer_stat_report_timestamp_seconds", "bmp_route_mirroring");
  }

  /** Data points of one metric family; only one of the three kinds is used per family. */
  private static final class Family {
    private final MetricMetadata metadata;
    private final List<GaugeDataPointSnapshot> gauges = new ArrayList<>();
    private final List<CounterDataPointSnapshot> counters = new ArrayList<>();
    private final List<InfoDataPointSnapshot> infos = new ArrayList<>();

    Family(String name, String help) {
      this.metadata = new MetricMetadata(name, help);
    }

    void gauge(double value, String... labels) {
      gauges.add(new GaugeDataPointSnapshot(value, Labels.of(labels), null));
    }

    void counter(double value, String... labels) {
      counters.add(new CounterDataPointSnapshot(value, Labels.of(labels), null, 0));
    }

    void info(String... labels) {
      infos.add(new InfoDataPointSnapshot(Labels.of(labels)));
    }

    void addTo(List<MetricSnapshot> out) {
      if (!gauges.isEmpty()) {
        out.add(new GaugeSnapshot(metadata, gauges));
      } else if (!counters.isEmpty()) {
        out.add(new CounterSnapshot(metadata, counters));
      } else if (!infos.isEmpty()) {
        out.add(new InfoSnapshot(metadata, infos));
      }
    }
  }
}
