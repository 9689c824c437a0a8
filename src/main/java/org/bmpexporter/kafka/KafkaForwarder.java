package org.bmpexporter.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
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
import org.slf4j.event.Level;

/**
 * Publishes every BMP message received over TCP, unchanged, as a binary OpenBMP 1.7 record keyed by
 * the router's IP (one router stays in one partition), plus collector heartbeats.
 *
 * <p>A session's event loop only copies the message into its record and hands it to one producer
 * thread ({@link HandOff}); that thread writes the OpenBMP header and calls the Kafka producer,
 * whose record encoding, partitioning and compression thus never run on an event loop. One thread
 * keeps every router's messages in order. {@code kafka.produce.buffer_bytes} is the bound: seven
 * eighths of it for messages waiting for the producer thread, an eighth for the producer's own
 * buffer. The event loops never wait: what does not fit in the hand-off is dropped and counted,
 * never held against the router's session. The producer thread does wait, for the topic's metadata
 * and for room in the producer's buffer, in slices of {@link #SEND_BLOCK}, and tries the same
 * message again until Kafka takes it: a broker that is slow, not yet known or down keeps the
 * messages in the hand-off (in order), and publishing resumes by itself when it is back.
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
  private final Thread producerThread;
  private final long handOffBytes;

  /**
   * The share of {@code buffer_bytes} for the Kafka producer's own buffer: 1/PRODUCER_SHARE; the
   * rest holds messages waiting for the producer thread. The producer's buffer holds compressed
   * batches on their way to the broker (the producer thread waits for room in it), so a burst (a
   * table dump) or an outage waits in the hand-off, as received.
   */
  static final int PRODUCER_SHARE = 8;

  /**
   * How long one {@code send()} on the producer thread may wait for the topic's metadata or for
   * room in the producer's buffer ({@code max.block.ms}) before it tries the message again: it
   * bounds how long a shutdown waits for the thread, not how long a message may wait.
   */
  static final Duration SEND_BLOCK = Duration.ofSeconds(1);

  /** What a message waiting in the hand-off takes in memory besides its record (two objects). */
  static final int PENDING_OVERHEAD = 64;

  // the reason given for drops at the hand-off: the plain one, or why Kafka takes nothing now
  private final Exception handOffFull;
  private volatile Exception handOffReason;

  // producer thread only: whether it is in send(), and what refused the message sent then
  private boolean inSend;
  private TimeoutException refused;

  /** Why a message was dropped before it reached the producer (no stack: made once per outage). */
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

    /** What it takes in memory, as the hand-off's budget and the buffered bytes count it. */
    int bytes() {
      return record.length + PENDING_OVERHEAD;
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
    this.handOffBytes = p.bufferBytes() - p.bufferBytes() / PRODUCER_SHARE;
    this.handOffFull =
        new HandOffFull(
            "messages wait for the producer thread beyond "
                + handOffBytes
                + " bytes (seven eighths of kafka.produce.buffer_bytes)");
    this.handOffReason = handOffFull;
    this.handOff = new HandOff<>(handOffBytes, Pending::bytes, this::publish, "bmp-kafka-producer");
    this.producerThread = handOff.thread();
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
    // not the operator's to change: only the producer thread (and the heartbeat's) calls send(),
    // and waits there at most this long at a time; the bound is ours
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_BLOCK.toMillis());
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
        Pending m = new Pending(r, System.currentTimeMillis() * 1000, record);
        if (handOff.offer(m)) {
          counts.buffered(m.bytes());
        } else {
          dropped(len, address, handOffReason);
        }
      }

      @Override
      public void close() {
        // nothing per router: the records of a closed session are already on their way
      }
    };
  }

  /**
   * On the producer thread, in the order the messages were received: the message is sent, or tried
   * again until Kafka takes it (each try waits at most {@link #SEND_BLOCK} for the topic's metadata
   * or room in the producer's buffer), or dropped when the hand-off is abandoned at shutdown.
   */
  private void publish(Pending m) {
    counts.buffered(-m.bytes());
    int bmpBytes = m.record.length - m.router.header.length();
    m.router.header.writeTo(m.record, bmpBytes, m.micros);
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, m.router.key, m.record);
    String router = m.router.address;
    Callback delivered = (meta, e) -> delivered(e, bmpBytes, router);
    long waitingSince = 0;
    while (true) {
      long t0 = System.nanoTime();
      refused = null;
      inSend = true;
      try {
        // the outcome arrives in the callback: the future holds nothing more
        var unused = producer.send(record, delivered);
      } catch (KafkaException | IllegalStateException e) {
        // interrupted (the hand-off abandoned at shutdown) or the producer closed
        dropped(bmpBytes, router, e);
        return;
      } finally {
        inSend = false;
      }
      TimeoutException why = refused;
      if (why == null) {
        if (waitingSince != 0) {
          takenAgain(waitingSince);
        }
        return;
      }
      if (waitingSince == 0) {
        waitingSince = t0;
        waiting(why);
      }
      if (Thread.currentThread().isInterrupted()) {
        dropped(bmpBytes, router, why);
        return;
      }
      if (System.nanoTime() - t0 < SEND_BLOCK.toNanos() / 2) {
        // refused without waiting: do not spin
        try {
          Thread.sleep(SEND_BLOCK.toMillis() / 2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          dropped(bmpBytes, router, why);
          return;
        }
      }
    }
  }

  /**
   * The outcome of a send: on the producer's I/O thread once the broker answered or the record
   * expired, or on the producer thread within send() when the producer refused it at once.
   */
  private void delivered(Exception e, int bmpBytes, String router) {
    if (e == null) {
      counts.forwarded(bmpBytes);
      outages.published();
    } else if (Thread.currentThread() == producerThread
        && inSend
        && e instanceof TimeoutException t) {
      // no metadata for the topic or no room in the producer's buffer within SEND_BLOCK: the
      // message keeps its place and is tried again
      refused = t;
    } else {
      dropped(bmpBytes, router, e);
    }
  }

  /**
   * Kafka took nothing for {@link #SEND_BLOCK}: messages wait in the hand-off meanwhile, and drops
   * there give Kafka's reason.
   */
  private void waiting(Exception why) {
    handOffReason =
        new HandOffFull(handOffFull.getMessage() + ", while Kafka takes none: " + why.getMessage());
    if (LogLimiter.shared().allow(LOG, Level.WARN, "Kafka waits of " + topic, null)) {
      LOG.warn(
          "Kafka topic {}: Kafka took no message for {} s ({}); messages wait for it, up to {}"
              + " bytes, beyond that they are dropped",
          topic,
          SEND_BLOCK.toSeconds(),
          why.getMessage(),
          handOffBytes);
    }
  }

  private void takenAgain(long waitingSince) {
    handOffReason = handOffFull;
    if (LogLimiter.shared().allow(LOG, Level.INFO, "Kafka resumes of " + topic, null)) {
      LOG.info(
          "Kafka topic {}: Kafka takes messages again after {} s",
          topic,
          (System.nanoTime() - waitingSince + 500_000_000L) / 1_000_000_000L);
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
