package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.FORWARDED_BYTES;
import static org.bmpexporter.metrics.Families.FORWARDED_MESSAGES;
import static org.bmpexporter.metrics.Families.FORWARD_BUFFERED_BYTES;
import static org.bmpexporter.metrics.Families.FORWARD_CONNECT_FAILURES;
import static org.bmpexporter.metrics.Families.FORWARD_DROPPED_BYTES;
import static org.bmpexporter.metrics.Families.FORWARD_DROPPED_MESSAGES;
import static org.bmpexporter.metrics.Families.FORWARD_REPLAYED_STARTS;
import static org.bmpexporter.metrics.Families.FORWARD_SESSIONS;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** The {@link Families#FORWARD} series: one set per configured destination. */
public final class ForwardCollector extends FamilyCollector {
  private final ForwardCounts counts;

  public ForwardCollector(ForwardCounts counts) {
    super(Families.FORWARD);
    this.counts = counts;
  }

  @Override
  public MetricSnapshots collect() {
    DataPoints out = new DataPoints();
    for (ForwardCounts.Destination d : counts.destinations()) {
      String l = d.label();
      out.counter(FORWARD_DROPPED_MESSAGES, d.droppedMessages(), l);
      out.counter(FORWARD_DROPPED_BYTES, d.droppedBytes(), l);
      out.counter(FORWARDED_MESSAGES, d.forwardedMessages(), l);
      out.counter(FORWARDED_BYTES, d.forwardedBytes(), l);
      out.gauge(FORWARD_SESSIONS, d.sessions(), l);
      out.counter(FORWARD_CONNECT_FAILURES, d.connectFailures(), l);
      out.counter(FORWARD_REPLAYED_STARTS, d.replayedStarts(), l);
      out.gauge(FORWARD_BUFFERED_BYTES, d.bufferedBytes(), l);
    }
    return out.snapshots();
  }
}
