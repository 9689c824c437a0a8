package org.bmpexporter.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.forward.Forwarder;
import org.bmpexporter.forward.RouterStream;
import org.bmpexporter.metrics.ForwardCounts;
import org.bmpexporter.openbmp.OpenBmpRecords;
import org.bmpexporter.session.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every BMP message received over TCP, unchanged, as a binary OpenBMP 1.7 record keyed by
 * the router's IP (one router stays in one partition), plus collector heartbeats.
 *
 * <p>A session's event loop only copies the message into its record and hands it to one producer
 * thread ({@link HandOff}); that thread writes the OpenBMP header and calls the Kafka producer,
 * whose record encoding, partitioning and compression thus never run on an event loop. One thread
 * keeps every router's messages in order. {@code kafka.produce.buffer_bytes} is the bound: three
 * quarters of it for messages waiting for the producer thread, a quarter for the producer's own
 * buffer, and neither waits ({@code max.block.ms} 0): when Kafka is down or slow, what does not fit
 * is dropped and counted, never held against the router's session; the producer reconnects by
 * itself.
 */
public final class KafkaForwarder implements Forwarder {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaForwarder.class);

  private final String topic;
  private final String adminId;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ForwardCounts.Destination counts;
  private final ScheduledExecutorService heartbeats;
  private final OutageLog outages;
  private final HandOff<Pending> handOff;

  /**
   * The share of {@code buffer_bytes} for the Kafka producer's own buffer: 1/PRODUCER_SHARE; the
   * rest holds messages waiting for the producer thread. The producer's buffer holds compressed
   * batches, so a burst (a table dump) waits mostly in the hand-off, as received.
   */
  static final int PRODUCER_SHARE = 4;

  // one instance per forwarder: every drop at the hand-off has this same reason
  private final Exception handOffFull =
      new HandOffFull(
          "messages wait for the producer thread beyond three quarters of"
              + " kafka.produce.buffer_bytes");

  /** Why a message was dropped before it reached the producer (no stack: it is one instance). */
  private static final class HandOffFull extends Exception {
    private static final long serialVersionUID = 1L;

    HandOffFull(String message) {
      super(message, null, false, false);
    }
  }

  /** What a router's records share. */
  private static final class Router {
    final String address;
    final byte[] key;
    final OpenBmpRecords.RawHeader header;

    Router(String address, byte[] key, OpenBmpRecords.RawHeader header) {
      this.address = address;
      this.key = key;
      this.header = header;
    }
  }

  /** A message received: its record, the header still to write, waiting for the producer thread. */
  private static final class Pending {
    final Router router;
    final long micros;
    final byte[] record;

    Pending(Router router, long micros, byte[] record) {
      this.router = router;
      this.micros = micros;
      this.record = record;
    }
  }

  public KafkaForwarder(ExporterConfig.Kafka config, ForwardCounts counts) {
    ExporterConfig.Produce p = config.produce();
    this.topic = p.topic();
    this.adminId = p.adminId();
    this.counts = counts.add("kafka:" + p.topic());
    this.outages =
        new OutageLog(
            LOG, "Kafka topic " + p.topic(), LogLimiter.shared(), System::currentTimeMillis);
    this.producer =
        new KafkaProducer<>(
            producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
    this.handOff =
        new HandOff<>(
            p.bufferBytes() - p.bufferBytes() / PRODUCER_SHARE,
            m -> m.record.length,
            this::publish,
            "bmp-kafka-producer");
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bmp-kafka-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = p.heartbeatInterval().toMillis();
    // the task never throws (heartbeat() catches), so the schedule's future holds nothing to read
    var unused = heartbeats.scheduleAtFixedRate(this::heartbeat, 0, every, TimeUnit.MILLISECONDS);
  }

  static Properties producerProperties(ExporterConfig.Kafka config) {
    Properties p = new Properties();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bmp-exporter");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    // every partition written to holds a batch of this size in the buffer: a small buffer gets
    // small batches, or a few partitions would fill it while the broker is up
    p.put(
        ProducerConfig.BATCH_SIZE_CONFIG,
        (int)
            Math.max(
                16 << 10,
                Math.min(256 << 10, config.produce().bufferBytes() / PRODUCER_SHARE / 16)));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.putAll(config.properties());
    // not the operator's to change: never block a session's event loop, and the bound is ours
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
    long buffer = config.produce().bufferBytes();
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, buffer / PRODUCER_SHARE);
    return p;
  }

  @Override
  public RouterStream open(String router, String address) {
    byte[] ip = Addresses.parseLiteral(address);
    if (ip == null) {
      return null; // not an IP literal: nothing a consumer could name it by
    }
    Router r =
        new Router(
            address,
            Addresses.format(ip).getBytes(StandardCharsets.US_ASCII),
            OpenBmpRecords.RawHeader.of(adminId, ip, ""));
    int headerLength = r.header.length();
    return new RouterStream() {
      @Override
      public void frame(byte[] b, int off, int len) {
        // all an event loop does per message: one copy, one hand-off
        byte[] record = new byte[headerLength + len];
        System.arraycopy(b, off, record, headerLength, len);
        if (handOff.offer(new Pending(r, System.currentTimeMillis() * 1000, record))) {
          counts.buffered(record.length);
        } else {
          dropped(len, address, handOffFull);
        }
      }

      @Override
      public void close() {
        // nothing per router: the records of a closed session are already on their way
      }
    };
  }

  /** On the producer thread, in the order the messages were received. */
  private void publish(Pending m) {
    counts.buffered(-m.record.length);
    int bmpBytes = m.record.length - m.router.header.length();
    m.router.header.writeTo(m.record, bmpBytes, m.micros);
    send(m.router.key, m.record, bmpBytes, m.router.address);
  }

  private void send(byte[] key, byte[] record, int bmpBytes, String router) {
    try {
      // the outcome arrives in the callback: the future holds nothing more
      var unused =
          producer.send(
              new ProducerRecord<>(topic, key, record),
              (meta, e) -> {
                if (e == null) {
                  counts.forwarded(bmpBytes);
                  outages.published();
                } else {
                  dropped(bmpBytes, router, e);
                }
              });
    } catch (KafkaException | IllegalStateException e) {
      // buffer full, no metadata yet (Kafka unreachable), or closing: dropped, never waited for
      dropped(bmpBytes, router, e);
    }
  }

  private void dropped(int bmpBytes, String router, Exception e) {
    counts.dropped(1, bmpBytes);
    outages.dropped(router, e);
  }

  private void heartbeat() {
    try {
      // a heartbeat that arrives also ends an outage when no router sends anything
      var unused =
          producer.send(
              new ProducerRecord<>(
                  topic,
                  adminId.getBytes(StandardCharsets.UTF_8),
                  OpenBmpRecords.encodeHeartbeat(adminId, System.currentTimeMillis() * 1000)),
              (meta, e) -> {
                if (e == null) {
                  outages.published();
                }
              });
    } catch (KafkaException | IllegalStateException e) {
      LOG.debug("Kafka heartbeat not sent: {}", e.toString());
    }
  }

  @Override
  public void close() {
    try {
      long left = handOff.close(Duration.ofSeconds(5));
      if (left > 0) {
        LOG.warn("Kafka topic {}: {} bytes of messages not published at shutdown", topic, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heartbeats.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
