package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.ROUTER_DECODE_ERRORS;
import static org.bmpexporter.metrics.Families.ROUTER_DROPPED;
import static org.bmpexporter.metrics.Families.ROUTER_INFO;
import static org.bmpexporter.metrics.Families.ROUTER_LIMIT_REACHED;
import static org.bmpexporter.metrics.Families.ROUTER_MESSAGES;
import static org.bmpexporter.metrics.Families.ROUTER_QUIRKS;
import static org.bmpexporter.metrics.Families.ROUTER_RECEIVED_BYTES;
import static org.bmpexporter.metrics.Families.ROUTER_STATE_COMPLETE;
import static org.bmpexporter.metrics.Families.ROUTER_TERMINATIONS;
import static org.bmpexporter.metrics.Families.ROUTER_UP;
import static org.bmpexporter.metrics.Families.ROUTER_UP_TIMESTAMP;
import static org.bmpexporter.metrics.Families.ROUTE_POLICY_TRACE_EVENTS;

import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.Quirk;
import org.bmpexporter.state.Snapshots;

/** The {@link Families#ROUTER} series: the BMP session of one router. */
final class RouterCollector {
  private RouterCollector() {}

  static void collect(Snapshots.Router r, RouterLabels inventory, DataPoints out) {
    String router = r.router();
    out.gauge(ROUTER_UP, r.up() ? 1 : 0, router);
    out.info(
        ROUTER_INFO,
        inventory.infoLabels(),
        router,
        r.sysName(),
        r.sysDescr(),
        r.source(),
        r.bmpVersion() == 0 ? "" : Integer.toString(r.bmpVersion()));
    out.gauge(ROUTER_STATE_COMPLETE, r.stateComplete() ? 1 : 0, router);
    out.gauge(ROUTER_UP_TIMESTAMP, r.upSinceSeconds(), router);
    r.messages().forEach((type, n) -> out.counter(ROUTER_MESSAGES, n, router, type));
    out.counter(ROUTER_RECEIVED_BYTES, r.receivedBytes(), router);
    for (DecodeError e : DecodeError.values()) {
      // Every error value exists from the start, so increase() sees the first one.
      out.counter(
          ROUTER_DECODE_ERRORS, r.decodeErrors().getOrDefault(e.label(), 0L), router, e.label());
    }
    for (Quirk q : Quirk.values()) {
      out.counter(ROUTER_QUIRKS, r.quirks().getOrDefault(q.label(), 0L), router, q.label());
    }
    for (Snapshots.PolicyTraces t : r.policyTraces()) {
      out.counter(ROUTE_POLICY_TRACE_EVENTS, t.events(), router, t.afiSafi(), t.policyClass());
    }
    r.terminations().forEach((reason, n) -> out.counter(ROUTER_TERMINATIONS, n, router, reason));
    // Every limit exists from the start at 0, so increase() and alerts see the first drop.
    for (Snapshots.LimitState l : r.limits()) {
      out.gauge(ROUTER_LIMIT_REACHED, l.reached() ? 1 : 0, router, l.limit());
      out.counter(ROUTER_DROPPED, l.dropped(), router, l.limit());
    }
  }
}
