package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.bmpexporter.codec.Bytes;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.openbmp.OpenBmpRecords;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.KafkaBroker;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real FRR and GoBGP BMP streams published to a real Kafka broker as OpenBMP 1.7 records (binary
 * and text headers) and read back by exporters that own all partitions or one: each router's tables
 * equal those of the same stream over TCP, and a restart reads them again from the start.
 */
@ComponentTest
@Timeout(300)
class KafkaIngestTest {
  private static final String TOPIC = "openbmp.bmp_raw";
  private static final String FRR_VIA_KAFKA = "192.0.2.1"; // partition 0, binary records
  private static final String GOBGP_VIA_KAFKA = "192.0.2.2"; // partition 1, binary and text
  private static final String MID_SESSION = "192.0.2.3"; // partition 1, Route Monitoring only
  private static final String FRR_VIA_TCP = "127.0.51.1";
  private static final String GOBGP_VIA_TCP = "127.0.51.2";

  @TempDir static Path dir;
  private static KafkaBroker broker;
  private static byte[] frr;
  private static byte[] gobgp;
  private static long records0;
  private static long records1;

  @BeforeAll
  static void publish() throws Exception {
    broker = KafkaBroker.start(dir);
    broker.createTopic(TOPIC, 2);
    frr = LiveExporter.lab("frr-demo.2.bin");
    gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    List<byte[]> p0 = new ArrayList<>();
    p0.add(OpenBmpRecords.encodeHeartbeat("collector-a", 1_000_000));
    p0.add("XOBMP this is not a record".getBytes(StandardCharsets.US_ASCII));
    for (byte[] m : messages(frr)) {
      p0.add(binary(FRR_VIA_KAFKA, m));
    }
    List<byte[]> p1 = new ArrayList<>();
    int i = 0;
    for (byte[] m : messages(gobgp)) {
      // one router's records alternate between the two header encodings
      p1.add(i++ % 2 == 0 ? binary(GOBGP_VIA_KAFKA, m) : text(GOBGP_VIA_KAFKA, m));
    }
    for (byte[] m : messages(gobgp)) {
      if (m[5] == 0) { // Route Monitoring only: read from the middle of a session
        p1.add(binary(MID_SESSION, m));
      }
    }
    broker.produce(TOPIC, 0, p0);
    broker.produce(TOPIC, 1, p1);
    records0 = p0.size();
    records1 = p1.size();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  static List<byte[]> messages(byte[] stream) {
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < stream.length; ) {
      int len = (int) Bytes.u32(stream, at + 1);
      out.add(Arrays.copyOfRange(stream, at, at + len));
      at += len;
    }
    return out;
  }

  private static byte[] binary(String router, byte[] m) throws Exception {
    return OpenBmpRecords.encodeBmpRaw(
        "collector-a",
        java.net.InetAddress.getByName(router).getAddress(),
        "",
        System.currentTimeMillis() * 1000,
        m,
        0,
        m.length);
  }

  private static byte[] text(String router, byte[] m) {
    String h = "V: 1.7\nC_HASH_ID: collector-a\nR_HASH: 0\nR_IP: " + router + "\nL: " + m.length;
    return Bmp.concat((h + "\n\n").getBytes(StandardCharsets.US_ASCII), m);
  }

  private static LiveExporter reading(List<Integer> partitions) throws Exception {
    UnaryOperator<ExporterConfig> c =
        cfg ->
            cfg.with("kafka.bootstrap_servers", broker.bootstrap())
                .with("kafka.consume.topics", List.of(TOPIC))
                .with("kafka.consume.partitions", partitions);
    return LiveExporter.start(c);
  }

  /** Waits until the exporter has read {@code n} records (bounded). */
  private static Scrape awaitRecords(LiveExporter live, long n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      Scrape s = Scrape.of(live.get("/metrics").body());
      double read = s.sum("bmp_exporter_kafka_records_total");
      if (read == n) {
        return s;
      }
      assertThat(System.nanoTime()).as("records read: %s of %s", read, n).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** The router's bmp_routes series, by their labels other than router. */
  private static Map<String, Double> routes(LiveExporter live, String router) {
    Map<String, Double> out = new TreeMap<>();
    Scrape page = Scrape.of(live.get("/metrics?router=" + router).body());
    for (Scrape.Sample s : page.find("bmp_routes")) {
      Map<String, String> labels = new TreeMap<>(s.labels());
      labels.remove("router");
      out.put(labels.toString(), s.value());
    }
    return out;
  }

  @Test
  void routersThroughKafkaHaveTheTablesTheirTcpSessionsGive() throws Exception {
    try (LiveExporter live = reading(List.of())) {
      live.send(FRR_VIA_TCP, frr);
      live.send(GOBGP_VIA_TCP, gobgp);
      live.awaitMessages(FRR_VIA_TCP, LiveExporter.messages(frr));
      live.awaitMessages(GOBGP_VIA_TCP, LiveExporter.messages(gobgp));
      Scrape s = awaitRecords(live, records0 + records1);

      assertThat(routes(live, FRR_VIA_KAFKA)).isNotEmpty().isEqualTo(routes(live, FRR_VIA_TCP));
      assertThat(routes(live, GOBGP_VIA_KAFKA)).isNotEmpty().isEqualTo(routes(live, GOBGP_VIA_TCP));
      assertThat(s.value("bmp_exporter_kafka_records_total", "result", "heartbeat")).isEqualTo(1);
      assertThat(s.value("bmp_exporter_kafka_records_total", "result", "unknown_format"))
          .isEqualTo(1);
      assertThat(s.value("bmp_exporter_kafka_partitions")).isEqualTo(2);
      assertThat(s.value("bmp_router_info", "router", FRR_VIA_KAFKA))
          .as("info of the Kafka router")
          .isEqualTo(1);
      assertThat(s.find("bmp_router_info", "router", FRR_VIA_KAFKA).get(0).labels())
          .containsEntry("source", "kafka");
      assertThat(s.find("bmp_router_info", "router", FRR_VIA_TCP).get(0).labels())
          .containsEntry("source", "tcp");
      // an Initiation was read: complete; Route Monitoring without its session start: not
      assertThat(s.value("bmp_router_state_complete", "router", FRR_VIA_KAFKA)).isEqualTo(1);
      assertThat(s.value("bmp_router_state_complete", "router", GOBGP_VIA_KAFKA)).isEqualTo(1);
      assertThat(s.value("bmp_router_state_complete", "router", FRR_VIA_TCP)).isEqualTo(1);
      assertThat(s.value("bmp_router_state_complete", "router", MID_SESSION)).isZero();
      assertThat(s.sum("bmp_routes", "router", MID_SESSION)).isPositive();
      assertThat(s.sum("bmp_router_decode_errors_total", "router", GOBGP_VIA_KAFKA)).isZero();
    }
  }

  @Test
  void anExporterOwningOnePartitionHasItsRoutersOnlyAndRebuildsThemAfterARestart()
      throws Exception {
    Map<String, Double> first;
    try (LiveExporter one = reading(List.of(0))) {
      Scrape s = awaitRecords(one, records0);
      assertThat(s.has("bmp_router_up", "router", FRR_VIA_KAFKA)).isTrue();
      assertThat(s.has("bmp_router_up", "router", GOBGP_VIA_KAFKA)).isFalse();
      assertThat(s.value("bmp_exporter_kafka_partitions")).isEqualTo(1);
      first = routes(one, FRR_VIA_KAFKA);
      assertThat(first).isNotEmpty();
    }
    try (LiveExporter again = reading(List.of(0))) {
      awaitRecords(again, records0);
      assertThat(routes(again, FRR_VIA_KAFKA)).isEqualTo(first);
    }
    try (LiveExporter other = reading(List.of(1))) {
      Scrape s = awaitRecords(other, records1);
      assertThat(s.has("bmp_router_up", "router", FRR_VIA_KAFKA)).isFalse();
      assertThat(s.value("bmp_router_up", "router", GOBGP_VIA_KAFKA)).isEqualTo(1);
    }
  }
}
