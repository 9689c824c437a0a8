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
 * to a real broker as OpenBMP records; exporter B reads them back and holds the same tables.
 * Messages received before the topic's metadata is known wait for it and none is lost. With Kafka
 * down, A stays exact, keeps what fits in its buffer for Kafka and counts what it drops beyond it,
 * then publishes what waited, and new sessions, once the broker is there.
 */
@ComponentTest
@Timeout(300)
class KafkaForwardTest {
  private static final String TOPIC = "bmp.forwarded";
  private static final String DEST = "kafka:" + TOPIC;
  private static final String FRR = "127.0.52.1";
  private static final String GOBGP = "127.0.52.2";
  private static final String FRR2 = "127.0.52.3";

  @TempDir Path dir;

  private static LiveExporter producing(String bootstrap) throws Exception {
    return producing(bootstrap, 64L << 20);
  }

  private static LiveExporter producing(String bootstrap, long bufferBytes) throws Exception {
    return LiveExporter.start(
        c ->
            c.with("kafka.bootstrap_servers", bootstrap)
                .with("kafka.produce.enabled", true)
                .with("kafka.produce.topic", TOPIC)
                .with("kafka.produce.admin_id", "exporter-a")
                .with("kafka.produce.buffer_bytes", bufferBytes)
                .with("kafka.produce.heartbeat_interval", "1h"));
  }

  private static double forwarded(Scrape s) {
    return s.value("bmp_exporter_forwarded_messages_total", "destination", DEST);
  }

  private static double dropped(Scrape s) {
    return s.value("bmp_forward_dropped_messages_total", "destination", DEST);
  }

  private static double buffered(Scrape s) {
    return s.value("bmp_exporter_forward_buffered_bytes", "destination", DEST);
  }

  /** The scrape once forwarded, dropped and buffered stayed the same for 1.5 s. */
  private static Scrape settled(LiveExporter live) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<Double> last = List.of();
    long since = System.nanoTime();
    while (true) {
      Scrape s = Scrape.of(live.get("/metrics").body());
      List<Double> now = List.of(forwarded(s), dropped(s), buffered(s));
      if (!now.equals(last)) {
        last = now;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > Duration.ofMillis(1500).toNanos()) {
        return s;
      }
      assertThat(System.nanoTime()).as("forwarding settles").isLessThan(deadline);
      Thread.sleep(100);
    }
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
    try (KafkaBroker broker = KafkaBroker.start(dir);
        LiveExporter a = producing(broker.bootstrap())) {
      // the topic does not exist yet: the producer has no metadata for it, so the messages wait
      // (a producer that does not wait for metadata drops them all here)
      a.send(FRR, frr);
      a.send(GOBGP, gobgp);
      a.awaitMessages(FRR, LiveExporter.messages(frr));
      a.awaitMessages(GOBGP, LiveExporter.messages(gobgp));
      Thread.sleep(3000); // three of the producer thread's 1 s waits for the metadata
      Scrape waiting = Scrape.of(a.get("/metrics").body());
      assertThat(dropped(waiting)).isZero();
      assertThat(forwarded(waiting)).isZero();
      assertThat(buffered(waiting)).isPositive();
      broker.createTopic(TOPIC, 2);
      try (LiveExporter b = consuming(broker.bootstrap())) {
        Scrape sa =
            await(
                a,
                "A published every message",
                s ->
                    s.value("bmp_exporter_forwarded_messages_total", "destination", DEST)
                        >= messages);
        assertThat(dropped(sa)).isZero();
        assertThat(settled(a)).satisfies(s -> assertThat(buffered(s)).isZero());
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
  void withKafkaDownWhatFitsWaitsTheRestIsCountedAndAllThatWaitedIsPublishedOnceItIsBack()
      throws Exception {
    byte[] frr = LiveExporter.lab("frr-demo.2.bin");
    byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    long perFrr = LiveExporter.messages(frr);
    int port = KafkaBroker.freePort();
    // the smallest buffer (1 MiB): one FRR session's records fit in its hand-off, two do not
    try (LiveExporter a = producing("127.0.0.1:" + port, 1L << 20)) {
      // no broker yet: the sessions are not held up, what does not fit is dropped at once
      a.send(FRR, frr);
      a.send(FRR2, frr);
      a.awaitMessages(FRR, perFrr);
      a.awaitMessages(FRR2, perFrr);
      Scrape down = settled(a);
      assertThat(forwarded(down)).isZero();
      assertThat(dropped(down)).as("dropped beyond the buffer").isPositive().isLessThan(perFrr);
      assertThat(buffered(down)).as("waiting for Kafka").isPositive().isLessThanOrEqualTo(1 << 20);
      assertThat(down.sum("bmp_routes", "router", FRR)).isPositive();
      Map<String, Double> exact = routes(a, FRR);
      double lost = dropped(down);

      Path logs = Files.createDirectories(dir.resolve("broker"));
      try (KafkaBroker broker = KafkaBroker.start(logs, port)) {
        broker.createTopic(TOPIC, 1);
        // the producer finds the broker by itself and publishes what waited, nothing more lost
        Scrape back = await(a, "what waited is published", s -> forwarded(s) + lost >= 2 * perFrr);
        assertThat(forwarded(back)).isEqualTo(2 * perFrr - lost);
        assertThat(dropped(back)).isEqualTo(lost);
        // and a new session is published as it arrives
        Socket session = a.send(GOBGP, gobgp);
        Scrape after =
            await(
                a,
                "the new session is published",
                s -> forwarded(s) >= 2 * perFrr - lost + LiveExporter.messages(gobgp));
        session.close();
        assertThat(dropped(after)).isEqualTo(lost);
        assertThat(routes(a, FRR)).isEqualTo(exact);
      }
    }
  }
}
