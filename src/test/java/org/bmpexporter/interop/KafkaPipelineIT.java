package org.bmpexporter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmpexporter.testing.KafkaBroker;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The multi-machine pipeline with real parts, on loopback: real routers send BMP to exporter A,
 * which publishes every message to a real Kafka broker ({@code kafka.produce}, binary OpenBMP 1.7
 * keyed by router IP); exporters B and C each own one of the topic's two partitions ({@code
 * kafka.consume.partitions}) and hold the routers of their partition.
 *
 * <pre>
 *   GoBGP injector (127.0.0.2) --eBGP--> FRR bgpd 127.0.0.1 --BMP--> A 127.0.0.1:P1 --+
 *                              --eBGP--> GoBGP router 127.0.0.3 --BMP--> A [::1]:P2 --+
 *   A --kafka.produce--> topic openbmp.bmp_raw: key "127.0.0.1" -> partition 0, "::1" -> 1
 *   partition 0 --> B (router 127.0.0.1)      partition 1 --> C (router ::1)
 * </pre>
 *
 * <p>Checked: each router's {@code bmp_routes} on B or C equal A's, and A's equal the router's own
 * counts; C restarted rebuilds the same tables from the earliest offset; with the broker stopped
 * (at least 10 s) while the routers send changes, A stays exact and counts what it could not
 * publish, logs the outage once and its end once, and publishing resumes by itself when the broker
 * is back on the same port (C reads the new records). Text-header and binary records of one router
 * interleaved are covered by {@code KafkaIngestTest}.
 */
@Tag("interop")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaPipelineIT {
  private static final RouteSet ROUTES =
      new RouteSet(2000, 500, 5, GobgpInjector.AS, "192.0.2.2", "2001:db8:ffff::2");
  private static final String TOPIC = "openbmp.bmp_raw";
  private static final String DEST = "kafka:" + TOPIC;
  private static final String FRR = "127.0.0.1"; // partition 0 of 2 (murmur2 of the key)
  private static final String GOBGP = "::1"; // partition 1 of 2
  private static final String INJ = GobgpInjector.ADDRESS;
  private static final String PRE = "adj_rib_in_pre";
  private static final String POST = "adj_rib_in_post";
  private static final String V4 = "ipv4_unicast";
  private static final String V6 = "ipv6_unicast";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration STABLE = Duration.ofMillis(1500);
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  @Test
  void routersToAThroughKafkaToBAndCEachOwningHalfThePartitions() throws Exception {
    Tools.requireRouterTools();
    ExporterProcess.requireJar();
    long t0 = System.nanoTime();
    String run =
        "kafka-"
            + LocalDateTime.now(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = Path.of("target", "interop", run).toAbsolutePath();
    Files.createDirectories(work.resolve("kafka"));
    GobgpInjector injector = new GobgpInjector(work.resolve("injector"), ROUTES);
    FrrRouter frr = new FrrRouter("frr", work.resolve("frr"), FRR, 65001, false, injector);
    GobgpRouter gobgp = new GobgpRouter(work.resolve("gobgp"), injector);
    frr.injectorNeighbors(0).forEach(injector::neighbor);
    injector.neighbor(gobgp.injectorNeighbor());
    ExporterProcess.Endpoint frrBmp = new ExporterProcess.Endpoint(FRR, Ports.free(FRR));
    ExporterProcess.Endpoint gobgpBmp = new ExporterProcess.Endpoint(GOBGP, Ports.free(GOBGP));

    // started side by side (each takes seconds): the broker, A, and the routers
    int kafkaPort = KafkaBroker.freePort();
    String bootstrap = "127.0.0.1:" + kafkaPort;
    ExporterProcess a =
        exporter(
            work,
            "exporter-a",
            List.of(frrBmp, gobgpBmp),
            "kafka:",
            "  bootstrap_servers: \"" + bootstrap + "\"",
            "  produce:",
            "    enabled: true",
            "    topic: " + TOPIC,
            "    admin_id: exporter-a",
            // a small buffer: it holds the initial dumps (2.2 MB of records) even if the broker
            // is slow or its topic not there yet (they wait for it), and a 10 s outage with
            // route churn (4.4 MB per round) overflows it; uncompressed, so that its size is
            // what the records take
            "    buffer_bytes: 4194304",
            "    heartbeat_interval: 1s",
            "  properties:",
            "    compression.type: none");
    ExporterProcess b = consumer(work, "exporter-b", bootstrap, 0);
    ExporterProcess c = consumer(work, "exporter-c", bootstrap, 1);
    CompletableFuture<KafkaBroker> starting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return KafkaBroker.start(work.resolve("kafka"), kafkaPort);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    try (injector;
        frr;
        gobgp;
        a;
        b;
        c) {
      CompletableFuture<?> aUp = CompletableFuture.runAsync(a::start);
      injector.start();
      injector.inject();
      frr.start();
      gobgp.start();
      KafkaBroker broker = starting.get(150, TimeUnit.SECONDS);
      broker.createTopic(TOPIC, 2);
      CompletableFuture.allOf(
              aUp, CompletableFuture.runAsync(b::start), CompletableFuture.runAsync(c::start))
          .get(90, TimeUnit.SECONDS);
      awaitRoutersConverged(frr, gobgp);
      frr.addBmpTarget(frrBmp.host(), frrBmp.port());
      gobgp.bmpAdd(gobgpBmp.host(), gobgpBmp.port());
      log("lab up", t0);

      // A holds what the routers hold; B and C, each with its partition, hold what A holds
      awaitExact(a, frr, gobgp, "A's tables == the routers' own counts");
      assertThat(a.scrape().value("bmp_forward_dropped_messages_total", "destination", DEST))
          .isZero();
      awaitSameTables(b, a, FRR, "B (partition 0) holds FRR's tables as A does");
      awaitSameTables(c, a, GOBGP, "C (partition 1) holds GoBGP's tables as A does");
      Scrape sb = b.scrape();
      Scrape sc = c.scrape();
      assertThat(sb.has("bmp_router_up", "router", GOBGP)).as("GoBGP on B").isFalse();
      assertThat(sc.has("bmp_router_up", "router", FRR)).as("FRR on C").isFalse();
      assertThat(sb.value("bmp_router_state_complete", "router", FRR)).isEqualTo(1);
      assertThat(sc.value("bmp_router_state_complete", "router", GOBGP)).isEqualTo(1);
      assertThat(sb.sum("bmp_router_decode_errors_total")).isZero();
      assertThat(sc.sum("bmp_router_decode_errors_total")).isZero();
      log("B and C hold A's tables", t0);

      // C restarts: it reads its partition again from the earliest offset
      Map<String, Double> before = routes(c, GOBGP);
      c.close();
      c.start();
      awaitSameTables(c, a, GOBGP, "C after a restart holds GoBGP's tables as A does");
      assertThat(routes(c, GOBGP)).isEqualTo(before);
      assertThat(c.scrape().value("bmp_router_state_complete", "router", GOBGP)).isEqualTo(1);
      log("C restarted and rebuilt", t0);

      // Kafka down for at least 10 s while the routers send changes
      broker.stop();
      long down = System.nanoTime();
      int rounds = 0;
      double dropped = 0;
      while (rounds == 0
          || System.nanoTime() - down < OUTAGE.toNanos()
          || (dropped == 0 && System.nanoTime() - down < WAIT.toNanos())) {
        injector.withdrawAll();
        injector.inject();
        rounds++;
        dropped = a.scrape().value("bmp_forward_dropped_messages_total", "destination", DEST);
      }
      awaitRoutersConverged(frr, gobgp);
      awaitExact(a, frr, gobgp, "A's tables == the routers' own counts, Kafka down");
      double forwardedWhileDown =
          a.scrape().value("bmp_exporter_forwarded_messages_total", "destination", DEST);
      double droppedWhileDown =
          a.scrape().value("bmp_forward_dropped_messages_total", "destination", DEST);
      assertThat(droppedWhileDown).as("messages dropped while Kafka was down").isPositive();
      log(
          "Kafka down "
              + Duration.ofNanos(System.nanoTime() - down).toSeconds()
              + " s, "
              + rounds
              + " rounds of withdraw + re-announce, "
              + (long) droppedWhileDown
              + " dropped",
          t0);

      // the broker back on the same port: A publishes again by itself, C reads on
      double readByC = c.scrape().sum("bmp_exporter_kafka_records_total");
      broker.restart();
      Await.until(
          () ->
              a.scrape().value("bmp_exporter_forwarded_messages_total", "destination", DEST)
                  > forwardedWhileDown,
          WAIT,
          "A publishes again after the broker restarted");
      Await.until(
          () -> c.scrape().sum("bmp_exporter_kafka_records_total") > readByC,
          WAIT,
          "C reads records published after the outage");
      // the outage in A's log: one warning when it began, one line with the count once
      // publishing went on without a drop for a few seconds
      Pattern summary = Pattern.compile("publishing again; (\\d+) messages were dropped in \\d+ s");
      String log =
          Await.until(
              () -> readLog(a),
              l -> summary.matcher(l).find(),
              WAIT,
              "the outage's summary in A's log");
      double droppedTotal =
          a.scrape().value("bmp_forward_dropped_messages_total", "destination", DEST);
      assertThat(count(log, "messages are being dropped")).as("outage warnings").isEqualTo(1);
      Matcher m = summary.matcher(log);
      assertThat(m.find()).isTrue();
      assertThat(Double.parseDouble(m.group(1))).isEqualTo(droppedTotal);
      awaitExact(a, frr, gobgp, "A's tables == the routers' own counts, Kafka back");
      log("publishing resumed", t0);
    } finally {
      stopWhenStarted(starting);
    }
  }

  private static ExporterProcess exporter(
      Path work, String name, List<ExporterProcess.Endpoint> listen, String... yaml)
      throws IOException {
    Path config = work.resolve(name + ".yml");
    Files.writeString(config, String.join("\n", yaml) + "\n", StandardCharsets.UTF_8);
    return new ExporterProcess(
            name,
            work.resolve(name),
            new ExporterProcess.Config(
                listen, new ExporterProcess.Endpoint("127.0.0.1", Ports.free()), List.of()))
        .jvmOptions(List.of("-Xmx256m"))
        .args(List.of("--config", config.toString(), "--no-warmup"));
  }

  private static void stopWhenStarted(CompletableFuture<KafkaBroker> starting) {
    starting.cancel(false);
    if (!starting.isCompletedExceptionally() && !starting.isCancelled()) {
      starting.join().close();
    }
  }

  private static ExporterProcess consumer(Path work, String name, String bootstrap, int partition)
      throws IOException {
    return exporter(
        work,
        name,
        List.of(new ExporterProcess.Endpoint("127.0.0.1", Ports.free())),
        "kafka:",
        "  bootstrap_servers: \"" + bootstrap + "\"",
        "  consume:",
        "    topics: [" + TOPIC + "]",
        "    partitions: [" + partition + "]");
  }

  private static void awaitRoutersConverged(FrrRouter frr, GobgpRouter gobgp) {
    Await.untilEquals(
        () ->
            List.of(
                frr.pfxRcd("ipv4", INJ),
                frr.pfxRcd("ipv6", INJ),
                gobgp.ribDestinations("ipv4"),
                gobgp.ribDestinations("ipv6")),
        List.of(ROUTES.acceptedV4(), ROUTES.acceptedV6(), ROUTES.acceptedV4(), ROUTES.acceptedV6()),
        WAIT,
        "[FRR post-policy v4, v6, GoBGP Loc-RIB v4, v6]");
  }

  /**
   * The exporter's post-policy and Loc-RIB counts equal what the routers report themselves: FRR's
   * accepted prefixes from the injector, GoBGP's Loc-RIB destinations.
   */
  private static void awaitExact(ExporterProcess e, FrrRouter frr, GobgpRouter gobgp, String what) {
    // The routers' counts are read again at every poll: one read can catch a router between the
    // withdrawal and the re-announcement of the last round still in flight.
    List<List<Integer>> last =
        Await.untilStable(
            () -> {
              Scrape m = e.scrape();
              return List.of(
                  List.of(
                      frr.pfxRcd("ipv4", INJ),
                      frr.pfxRcd("ipv6", INJ),
                      gobgp.ribDestinations("ipv4"),
                      gobgp.ribDestinations("ipv6")),
                  List.of(
                      frrPostPolicyRoutes(m, V4),
                      frrPostPolicyRoutes(m, V6),
                      (int) m.sum("bmp_routes", "router", GOBGP, "rib", "loc_rib", "afi_safi", V4),
                      (int)
                          m.sum("bmp_routes", "router", GOBGP, "rib", "loc_rib", "afi_safi", V6)));
            },
            l -> l.get(0).equals(l.get(1)),
            STABLE,
            WAIT,
            what + " [routers' own counts, exporter's]");
    assertThat(last.get(0)).as("the routers' own counts").doesNotContain(-1, 0);
    assertThat(e.scrape().sum("bmp_routes", "router", FRR, "rib", PRE)).isPositive();
  }

  /** The exporter's post-policy count of FRR's routes from the injector in {@code afiSafi}. */
  private static int frrPostPolicyRoutes(Scrape m, String afiSafi) {
    return (int) m.sum("bmp_routes", "router", FRR, "peer", INJ, "rib", POST, "afi_safi", afiSafi);
  }

  /** Every bmp_routes series of {@code router}, by its labels other than router. */
  private static Map<String, Double> routes(ExporterProcess e, String router) {
    Map<String, Double> out = new TreeMap<>();
    Scrape page = Scrape.of(e.get("/metrics?router=" + router).body());
    for (Scrape.Sample s : page.find("bmp_routes")) {
      Map<String, String> labels = new TreeMap<>(s.labels());
      labels.remove("router");
      out.put(labels.toString(), s.value());
    }
    return out;
  }

  private static void awaitSameTables(
      ExporterProcess reader, ExporterProcess a, String router, String what) {
    Await.untilStable(
        () -> List.of(routes(reader, router), routes(a, router)),
        l -> !l.get(1).isEmpty() && l.get(0).equals(l.get(1)),
        STABLE,
        WAIT,
        what);
  }

  private static String readLog(ExporterProcess e) {
    try {
      return Files.readString(e.proc().log(), StandardCharsets.UTF_8);
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static void log(String what, long t0) {
    InteropLab.log(
        "kafka pipeline: "
            + what
            + " at "
            + Duration.ofNanos(System.nanoTime() - t0).toSeconds()
            + " s");
  }
}
