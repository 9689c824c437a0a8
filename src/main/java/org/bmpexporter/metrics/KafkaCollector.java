package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.KAFKA_LAG;
import static org.bmpexporter.metrics.Families.KAFKA_PARTITIONS;
import static org.bmpexporter.metrics.Families.KAFKA_RECORDS;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The {@link Families#KAFKA} series: what reading BMP from Kafka did. */
public final class KafkaCollector extends FamilyCollector {
  private final Supplier<Map<String, Long>> records;
  private final LongSupplier partitions;
  private final LongSupplier lag;

  /**
   * @param records records read by outcome, every outcome present from the start
   */
  public KafkaCollector(
      Supplier<Map<String, Long>> records, LongSupplier partitions, LongSupplier lag) {
    super(Families.KAFKA);
    this.records = records;
    this.partitions = partitions;
    this.lag = lag;
  }

  @Override
  public MetricSnapshots collect() {
    DataPoints out = new DataPoints();
    records.get().forEach((result, n) -> out.counter(KAFKA_RECORDS, n, result));
    out.gauge(KAFKA_PARTITIONS, partitions.getAsLong());
    out.gauge(KAFKA_LAG, lag.getAsLong());
    return out.snapshots();
  }
}
