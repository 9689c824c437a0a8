package org.bmpexporter.bench;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.openbmp.OpenBmpRecords;
import org.bmpexporter.server.BmpExporter;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.KafkaBroker;
import org.bmpexporter.testing.Scrape;

/**
 * BMP through Kafka: R routers' tables of N IPv4 prefixes, one prefix per Route Monitoring message
 * (as FRR sends them), published as binary OpenBMP 1.7 records keyed by router to a topic of P
 * partitions on a real single-node broker (child JVM, loopback); then an exporter started afresh
 * reads them all from the earliest offset, twice (a first start and a restart). Reports the produce
 * rate and, per read, the records and prefixes per second from the exporter's start until {@code
 * bmp_exporter_kafka_records_total} counts every record, and the routes it then holds.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   org.bmpexporter.bench.KafkaIngestBenchmark ROUTERS PREFIXES PARTITIONS
 * </pre>
 */
public final class KafkaIngestBenchmark {
  private KafkaIngestBenchmark() {}

  private static final String TOPIC = "openbmp.bmp_raw";

  public static void main(String[] args) throws Exception {
    int routers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    byte[] peer = Bmp.globalPeer("192.0.2.2", 65002);
    byte[] stream =
        Bmp.concat(
            Bmp.initiation("bench", "bench"),
            Bmp.peerUp(peer),
            InternetTable.routeMonitoringStream(peer, InternetTable.ipv4(n, 7), 1));
    List<int[]> messages = new ArrayList<>(); // offset, length
    for (int at = 0; at < stream.length; ) {
      int len = (int) Bytes.u32(stream, at + 1);
      messages.add(new int[] {at, len});
      at += len;
    }
    Path dir = Files.createTempDirectory("kafka-bench");
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      broker.createTopic(TOPIC, partitions);
      long total = (long) routers * messages.size();
      long t0 = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrap())) {
        List<Future<?>> last = new ArrayList<>();
        for (int r = 0; r < routers; r++) {
          byte[] ip = InetAddress.getByName("192.0.2." + (10 + r)).getAddress();
          byte[] key = ("192.0.2." + (10 + r)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          Future<?> f = null;
          for (int[] m : messages) {
            byte[] rec = OpenBmpRecords.encodeBmpRaw("bench", ip, "", 0, stream, m[0], m[1]);
            f = producer.send(new ProducerRecord<>(TOPIC, r % partitions, key, rec));
          }
          last.add(f);
        }
        producer.flush();
        for (Future<?> f : last) {
          f.get(120, TimeUnit.SECONDS);
        }
      }
      double produced = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "produced %d records (%d routers x %d prefixes, one per message, %.1f MB of BMP) in"
              + " %.2f s: %.0f records/s%n",
          total, routers, n, stream.length * (double) routers / 1e6, produced, total / produced);
      for (String round : List.of("first start", "restart")) {
        read(broker, round, total, (long) routers * n);
      }
    }
  }

  private static void read(KafkaBroker broker, String round, long records, long routes)
      throws Exception {
    long t0 = System.nanoTime();
    try (BmpExporter exporter =
        BmpExporter.start(
            ExporterConfig.defaults()
                .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                .withWebListen(new HostPort("127.0.0.1", 0))
                .withWarmup(Boolean.parseBoolean(System.getProperty("warmup", "true")))
                .with("kafka.bootstrap_servers", broker.bootstrap())
                .with("kafka.consume.topics", List.of(TOPIC)))) {
      long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
      Scrape m = Scrape.http(exporter.webPort());
      while (m.sum("bmp_exporter_kafka_records_total") < records && System.nanoTime() < deadline) {
        Thread.sleep(50);
        m = Scrape.http(exporter.webPort());
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "%s: %d records read in %.2f s (from the exporter's start): %.0f records/s, %.0f"
              + " prefixes/s; routes %d of %d; lag %.0f%n",
          round,
          (long) m.sum("bmp_exporter_kafka_records_total"),
          s,
          records / s,
          routes / s,
          (long) m.sum("bmp_routes"),
          routes,
          m.sum("bmp_exporter_kafka_lag_records"));
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
