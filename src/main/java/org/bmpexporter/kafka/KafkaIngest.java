package org.bmpexporter.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.openbmp.OpenBmpFormatException;
import org.bmpexporter.openbmp.OpenBmpRecord;
import org.bmpexporter.openbmp.OpenBmpRecords;
import org.bmpexporter.session.LogLimiter;
import org.bmpexporter.state.RouterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Reads raw BMP from Kafka and feeds it to per-router sessions, on one thread that owns every
 * Kafka-fed router's state (its scrapes' snapshots run there too, between records).
 *
 * <p>Partitions are assigned statically and read from the earliest retained offset: exact counts
 * need each router's session from its start, which a consumer group that hands partitions over
 * mid-stream cannot give. Several exporters owning different partitions share the work; two owning
 * the same are an HA pair. Nothing is committed to Kafka: a restart reads the retained log again.
 */
public final class KafkaIngest implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaIngest.class);

  static final Duration POLL = Duration.ofMillis(200);

  /** Records between two runs of the queued tasks (snapshots) while a backlog is read. */
  static final int TASKS_EVERY_RECORDS = 512;

  /** Wait after a failed poll or metadata request before the next try. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** Record outcomes besides the decoder's error kinds: the {@code result} label values. */
  public static final String BMP = "bmp";

  public static final String HEARTBEAT = "heartbeat";
  public static final String EMPTY = "empty";
  public static final String BMP_LENGTH = "bmp_length_mismatch";
  public static final String ROUTER_REFUSED = "router_refused";

  private final ExporterConfig.Kafka config;
  private final RouterRegistry registry;
  private final int maxMessageBytes;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Executor owner = this::submit;
  private final Map<RouterSource.Key, RouterSource> routers = new HashMap<>();
  private final Map<String, AtomicLong> results = new LinkedHashMap<>();
  private final AtomicInteger partitions = new AtomicInteger();
  private final AtomicLong lag = new AtomicLong();
  private final LogLimiter logLimiter = LogLimiter.shared();
  private volatile boolean running = true;

  private KafkaIngest(ExporterConfig.Kafka config, RouterRegistry registry, int maxMessageBytes) {
    this.config = config;
    this.registry = registry;
    this.maxMessageBytes = maxMessageBytes;
    for (String r : resultLabels()) {
      results.put(r, new AtomicLong());
    }
    this.consumer =
        new KafkaConsumer<>(
            consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "bmp-kafka-ingest");
    thread.setDaemon(true);
  }

  /** Starts reading when {@code kafka.consume.topics} names any; null otherwise. */
  public static KafkaIngest startIfConfigured(
      ExporterConfig.Kafka config, RouterRegistry registry, int maxMessageBytes) {
    if (config.consume().topics().isEmpty()) {
      return null;
    }
    KafkaIngest ingest = new KafkaIngest(config, registry, maxMessageBytes);
    ingest.thread.start();
    return ingest;
  }

  /** Every {@code result} label value, so each series exists from the start. */
  public static List<String> resultLabels() {
    List<String> out = new ArrayList<>(List.of(BMP, HEARTBEAT, EMPTY, BMP_LENGTH, ROUTER_REFUSED));
    for (OpenBmpFormatException.Kind k : OpenBmpFormatException.Kind.values()) {
      out.add(k.label());
    }
    return out;
  }

  static Properties consumerProperties(ExporterConfig.Kafka config) {
    Properties p = new Properties();
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bmp-exporter");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    p.putAll(config.properties());
    // not the operator's to change: the exporter's reading model depends on them
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return p;
  }

  /** Records read so far, by outcome. */
  public Map<String, Long> results() {
    Map<String, Long> out = new LinkedHashMap<>();
    results.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Partitions assigned now. */
  public int partitions() {
    return partitions.get();
  }

  /** Records retained in the owned partitions and not read yet (as of the last poll). */
  public long lag() {
    return lag.get();
  }

  private void submit(Runnable task) {
    tasks.add(task);
    consumer.wakeup(); // a poll waiting for records returns at once
  }

  private void runTasks() {
    Runnable t;
    while ((t = tasks.poll()) != null) {
      try {
        t.run();
      } catch (RuntimeException e) {
        LOG.error("Kafka ingest: a task failed", e);
      }
    }
  }

  private void run() {
    try {
      List<TopicPartition> assigned = assign();
      if (assigned == null) {
        return;
      }
      while (running) {
        runTasks();
        ConsumerRecords<byte[], byte[]> batch;
        try {
          batch = consumer.poll(POLL);
        } catch (WakeupException e) {
          continue; // tasks to run, or closing
        } catch (KafkaException e) {
          failed("reading failed", e);
          continue;
        }
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          record(r.value());
          if (++n % TASKS_EVERY_RECORDS == 0) {
            runTasks();
          }
        }
        updateLag(assigned);
      }
    } finally {
      runTasks();
      for (RouterSource s : routers.values()) {
        s.close("the exporter stops reading Kafka");
      }
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /** Assigns the configured partitions (every one of the topics when none is listed). */
  private List<TopicPartition> assign() {
    ExporterConfig.Consume c = config.consume();
    while (running) {
      try {
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic : c.topics()) {
          if (c.partitions().isEmpty()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
              throw new KafkaException("topic " + topic + " has no partitions (does it exist?)");
            }
            for (PartitionInfo i : infos) {
              tps.add(new TopicPartition(topic, i.partition()));
            }
          } else {
            for (int partition : c.partitions()) {
              tps.add(new TopicPartition(topic, partition));
            }
          }
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        partitions.set(tps.size());
        LOG.info(
            "reading BMP from Kafka {}: {} from the earliest retained offset",
            config.bootstrapServers(),
            tps);
        return tps;
      } catch (WakeupException e) {
        runTasks();
      } catch (KafkaException e) {
        failed("cannot assign partitions", e);
      }
    }
    return null;
  }

  private void failed(String what, KafkaException e) {
    if (logLimiter.allow(LOG, Level.WARN, "Kafka errors", config.bootstrapServers())) {
      LOG.warn("Kafka {}: {}: {}; retrying", config.bootstrapServers(), what, e.toString());
    }
    long until = System.nanoTime() + RETRY.toNanos();
    while (running && System.nanoTime() < until) {
      runTasks();
      try {
        Thread.sleep(20);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  private void updateLag(List<TopicPartition> assigned) {
    long sum = 0;
    for (TopicPartition tp : assigned) {
      sum += consumer.currentLag(tp).orElse(0);
    }
    lag.set(sum);
  }

  /** One record: decoded, then fed to its router's session. */
  void record(byte[] value) {
    if (value == null || value.length == 0) {
      count(EMPTY);
      return;
    }
    OpenBmpRecord rec;
    try {
      rec = OpenBmpRecords.decode(value);
    } catch (OpenBmpFormatException e) {
      count(e.kind().label());
      if (logLimiter.allow(LOG, Level.WARN, "malformed Kafka records", null)) {
        LOG.warn("Kafka record skipped: {}: {}", e.kind().label(), e.getMessage());
      }
      return;
    }
    if (!rec.isBmp()) {
      count(HEARTBEAT);
      return;
    }
    int off = rec.bmpOffset();
    int len = rec.bmpLength();
    // one whole BMP message per record: a v3 common header whose length is the record's
    if (len < 6 || Bytes.u8(value, off) != 3 || Bytes.u32(value, off + 1) != len) {
      count(BMP_LENGTH);
      if (logLimiter.allow(LOG, Level.WARN, "malformed Kafka records", rec.routerIp())) {
        LOG.warn(
            "Kafka record of router {} skipped: not one whole BMP v3 message of {} bytes",
            rec.routerIp(),
            len);
      }
      return;
    }
    RouterSource.Key key = new RouterSource.Key(rec.collector(), rec.routerIp());
    RouterSource source =
        routers.computeIfAbsent(key, k -> new RouterSource(k, registry, owner, maxMessageBytes));
    if (source.feed(value, off, len)) {
      count(BMP);
    } else {
      count(ROUTER_REFUSED);
    }
  }

  private void count(String result) {
    results.get(result).incrementAndGet();
  }

  /** Stops reading; the Kafka-fed routers' sessions end (their state stays for the retention). */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
