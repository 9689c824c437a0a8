package org.bmpexporter.bench;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.server.BmpExporter;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.KafkaBroker;
import org.bmpexporter.testing.Scrape;

/**
 * {@code kafka.produce} while ingesting a dump: R routers connect over loopback TCP and each sends
 * one peer's IPv4 table of N prefixes (K prefixes per Route Monitoring message; 1 is how FRR sends
 * them) to an exporter that publishes every message to a real single-node broker (child JVM,
 * loopback), topic of P partitions, the exporter's defaults otherwise (buffer_bytes an eighth of
 * the heap, lz4). The clock runs from the first byte sent until the broker has acknowledged every
 * message ({@code bmp_exporter_forwarded_messages_total}) or it was counted as dropped; reported:
 * the records and prefixes per second published, the drops, and when the tables were complete
 * (ingest alone).
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   org.bmpexporter.bench.KafkaProduceBenchmark ROUTERS PREFIXES PER_MESSAGE PARTITIONS
 * </pre>
 */
public final class KafkaProduceBenchmark {
  private KafkaProduceBenchmark() {}

  private static final String TOPIC = "openbmp.bmp_raw";
  private static final String DEST = "kafka:" + TOPIC;

  public static void main(String[] args) throws Exception {
    int routers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
    int perMessage = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    byte[] peer = Bmp.globalPeer("192.0.2.2", 65002);
    byte[] stream =
        Bmp.concat(
            Bmp.initiation("bench", "bench"),
            Bmp.peerUp(peer),
            InternetTable.routeMonitoringStream(peer, InternetTable.ipv4(n, 7), perMessage));
    long messages = 0;
    for (int at = 0; at < stream.length; at += (int) Bytes.u32(stream, at + 1)) {
      messages++;
    }
    Path dir = Files.createTempDirectory("kafka-produce-bench");
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      broker.createTopic(TOPIC, partitions);
      try (BmpExporter exporter =
          BmpExporter.start(
              ExporterConfig.defaults()
                  .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                  .withWebListen(new HostPort("127.0.0.1", 0))
                  .withWarmup(Boolean.parseBoolean(System.getProperty("warmup", "true")))
                  .with("kafka.bootstrap_servers", broker.bootstrap())
                  .with("kafka.produce.enabled", true)
                  .with("kafka.produce.topic", TOPIC)
                  .with("kafka.produce.admin_id", "bench"))) {
        exporter.warmup().get(60, java.util.concurrent.TimeUnit.SECONDS);
        Scrape.http(exporter.webPort());
        for (int round = 0; round < 2; round++) {
          round(exporter, round, routers, n, perMessage, stream, messages);
        }
      }
    }
  }

  private static void round(
      BmpExporter exporter,
      int round,
      int routers,
      int n,
      int perMessage,
      byte[] stream,
      long messages)
      throws Exception {
    Scrape before = Scrape.http(exporter.webPort());
    double published0 = before.value("bmp_exporter_forwarded_messages_total", "destination", DEST);
    double dropped0 = before.value("bmp_forward_dropped_messages_total", "destination", DEST);
    long total = routers * messages;
    List<Thread> senders = new ArrayList<>();
    List<Socket> sockets = new ArrayList<>();
    for (int r = 0; r < routers; r++) {
      Socket s = new Socket();
      s.setSendBufferSize(1 << 20);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.9." + (r + 1)), 0));
      s.connect(new InetSocketAddress("127.0.0.1", exporter.bmpPorts().get(0)));
      sockets.add(s);
      senders.add(
          new Thread(
              () -> {
                try {
                  OutputStream out = s.getOutputStream();
                  out.write(stream);
                  out.flush();
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              }));
    }
    long t0 = System.nanoTime();
    senders.forEach(Thread::start);
    long deadline = t0 + 600_000_000_000L;
    long tablesAt = 0;
    double published = 0;
    double dropped = 0;
    while (System.nanoTime() < deadline) {
      Scrape m = Scrape.http(exporter.webPort());
      if (tablesAt == 0 && m.sum("bmp_routes") >= (double) routers * n) {
        tablesAt = System.nanoTime();
      }
      published =
          m.value("bmp_exporter_forwarded_messages_total", "destination", DEST) - published0;
      dropped = m.value("bmp_forward_dropped_messages_total", "destination", DEST) - dropped0;
      if (published + dropped >= total) {
        break;
      }
      Thread.sleep(20);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    for (Thread t : senders) {
      t.join();
    }
    System.out.printf(
        "round %d: %d routers x %d prefixes (%d per message, %d messages, %.1f MB of BMP):"
            + " tables complete in %.2f s; %d published, %d dropped in %.2f s: %.0f records/s,"
            + " %.0f prefixes/s published%n",
        round,
        routers,
        n,
        perMessage,
        total,
        stream.length * (double) routers / 1e6,
        tablesAt == 0 ? Double.NaN : (tablesAt - t0) / 1e9,
        (long) published,
        (long) dropped,
        s,
        published / s,
        published * ((double) routers * n / total) / s);
    for (Socket sock : sockets) {
      sock.close();
    }
    Thread.sleep(2000);
  }
}
