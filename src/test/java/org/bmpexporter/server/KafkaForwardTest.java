package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.KafkaBroker;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka.produce}: exporter A publishes the real FRR and GoBGP streams it receives over TCP
 * to a real broker as OpenBMP records; exporter B reads them back and holds the same tables. With
 * Kafka down, A stays exact and counts what it could not publish, then publishes again once the
 * broker is there.
 */
@ComponentTest
@Timeout(300)
class KafkaForwardTest {
  private static final String TOPIC = "bmp.forwarded";
  private static final String DEST = "kafka:" + TOPIC;
  private static final String FRR = "127.0.52.1";
  private static final String GOBGP = "127.0.52.2";

  @TempDir Path dir;

  private static LiveExporter producing(String bootstrap) throws Exception {
    return LiveExporter.start(
        c ->
            c.with("kafka.bootstrap_servers", bootstrap)
                .with("kafka.produce.enabled", true)
                .with("kafka.produce.topic", TOPIC)
                .with("kafka.produce.admin_id", "exporter-a")
                .with("kafka.produce.heartbeat_interval", "1h"));
  }

  private static LiveExporter consuming(String bootstrap) throws Exception {
    return LiveExporter.start(
        c ->
            c.with("kafka.bootstrap_servers", bootstrap)
                .with("kafka.consume.topics", List.of(TOPIC)));
  }

  private static Scrape await(
      LiveExporter live, String what, java.util.function.Predicate<Scrape> ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      Scrape s = Scrape.of(live.get("/metrics").body());
      if (ok.test(s)) {
        return s;
      }
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static Map<String, Double> routes(LiveExporter live, String router) {
    Map<String, Double> out = new TreeMap<>();
    for (Scrape.Sample s :
        Scrape.of(live.get("/metrics?router=" + router).body()).find("bmp_routes")) {
      Map<String, String> labels = new TreeMap<>(s.labels());
      labels.remove("router");
      out.put(labels.toString(), s.value());
    }
    return out;
  }

  @Test
  void whatAReceivesBReadsFromKafkaWithTheSameTables() throws Exception {
    byte[] frr = LiveExporter.lab("frr-demo.2.bin");
    byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    long messages = LiveExporter.messages(frr) + LiveExporter.messages(gobgp);
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      broker.createTopic(TOPIC, 2);
      try (LiveExporter a = producing(broker.bootstrap());
          LiveExporter b = consuming(broker.bootstrap())) {
        a.send(FRR, frr);
        a.send(GOBGP, gobgp);
        a.awaitMessages(FRR, LiveExporter.messages(frr));
        a.awaitMessages(GOBGP, LiveExporter.messages(gobgp));
        Scrape sa =
            await(
                a,
                "A published every message",
                s ->
                    s.value("bmp_exporter_forwarded_messages_total", "destination", DEST)
                        >= messages);
        assertThat(sa.value("bmp_forward_dropped_messages_total", "destination", DEST)).isZero();
        await(
            b,
            "B read every message",
            s -> s.value("bmp_exporter_kafka_records_total", "result", "bmp") == messages);
        assertThat(routes(b, FRR)).isNotEmpty().isEqualTo(routes(a, FRR));
        assertThat(routes(b, GOBGP)).isNotEmpty().isEqualTo(routes(a, GOBGP));
        Scrape sb = Scrape.of(b.get("/metrics").body());
        assertThat(sb.value("bmp_router_state_complete", "router", FRR)).isEqualTo(1);
        assertThat(sb.find("bmp_router_info", "router", FRR).get(0).labels())
            .containsEntry("source", "kafka");
      }
    }
  }

  @Test
  void withKafkaDownTheExporterStaysExactCountsTheDropsAndPublishesOnceItIsBack() throws Exception {
    byte[] frr = LiveExporter.lab("frr-demo.2.bin");
    byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    int port = KafkaBroker.freePort();
    try (LiveExporter a = producing("127.0.0.1:" + port)) {
      // no broker yet: every message is dropped at once, the session is not held up
      a.send(FRR, frr);
      a.awaitMessages(FRR, LiveExporter.messages(frr));
      Scrape down =
          await(
              a,
              "drops counted",
              s ->
                  s.value("bmp_forward_dropped_messages_total", "destination", DEST)
                      == LiveExporter.messages(frr));
      assertThat(down.value("bmp_exporter_forwarded_messages_total", "destination", DEST)).isZero();
      assertThat(down.sum("bmp_routes", "router", FRR)).isPositive();
      Map<String, Double> exact = routes(a, FRR);

      Path logs = Files.createDirectories(dir.resolve("broker"));
      try (KafkaBroker broker = KafkaBroker.start(logs, port)) {
        broker.createTopic(TOPIC, 1);
        // the producer finds the broker by itself; new sessions are published again
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int n = 0;
        double forwarded = 0;
        while (forwarded == 0 && System.nanoTime() < deadline) {
          Socket session = a.send("127.0.53." + ++n, gobgp);
          Thread.sleep(1000);
          session.close();
          forwarded =
              Scrape.of(a.get("/metrics").body())
                  .value("bmp_exporter_forwarded_messages_total", "destination", DEST);
        }
        assertThat(forwarded).as("published after the broker came up").isPositive();
        assertThat(routes(a, FRR)).isEqualTo(exact);
      }
    }
  }
}
