package org.bmpexporter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Watched prefixes (config {@code watch:}) against a real router and a real Prometheus: GoBGP
 * originates a watched prefix in its Loc-RIB (RFC 9069, exported over BMP) from the expected origin
 * AS, then from another AS, then with a more-specific, then withdraws it. Each step is checked on
 * the exporter's scrape and on Prometheus evaluating the shipped {@code prometheus/alerts.yml} and
 * {@code recording.yml} unchanged: their {@code for:} durations (1m, 5m) are longer than the test,
 * so the alerts are expected in state pending (or firing), which proves that their expressions
 * match.
 *
 * <pre>
 *   gobgp global rib add ... aspath N --> gobgpd --BMP (Loc-RIB)--> exporter <--scrape 1s-- Prometheus
 * </pre>
 *
 * A second watch, whose more-specifics are expected ({@code more_specifics: true}), holds one all
 * along: BmpWatchedPrefixMoreSpecific must not fire for it.
 */
@Tag("interop")
@Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class WatchedPrefixIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String WATCH = "hijack-target";
  private static final String PREFIX = "203.0.113.0/24";
  private static final String MORE_SPECIFIC = "203.0.113.128/25";
  private static final String AGGREGATE = "aggregate";
  private static final String AGGREGATE_PREFIX = "198.18.0.0/15";
  private static final String AGGREGATE_PART = "198.18.5.0/24";
  private static final int EXPECTED_AS = 64500;
  private static final int OTHER_AS = 64511;

  /** gobgpd with locally originated routes only (no BGP listener), exporting BMP. */
  static final class Router extends Gobgpd {
    Router(Path workDir) {
      super("gobgp-watch", workDir);
    }

    void start() {
      writeConfig("[global.config]\n  as = 65010\n  router-id = \"127.0.0.30\"\n  port = -1\n");
      startDaemon();
    }

    /** Originates (or replaces) {@code prefix} with AS_PATH {@code as}. */
    void announce(String prefix, int as) {
      cli("global", "rib", "add", prefix, "aspath", Integer.toString(as), "-a", "ipv4").check();
    }

    void withdraw(String prefix) {
      cli("global", "rib", "del", prefix, "-a", "ipv4").check();
    }
  }

  @Test
  void eachStepShowsOnTheScrapeAndInTheShippedAlerts() throws IOException {
    Tools.requireRouterTools();
    ExporterProcess.requireJar();
    String run =
        "watch-"
            + LocalDateTime.now(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = Path.of("target", "interop", run).toAbsolutePath();
    Path config = work.resolve("exporter.yml");
    Files.createDirectories(work);
    Files.writeString(
        config,
        String.join(
            "\n",
            "watch:",
            "  - name: \"" + WATCH + "\"",
            "    prefix: \"" + PREFIX + "\"",
            "    origins: [" + EXPECTED_AS + "]",
            "    more_specifics: false",
            "  - name: \"" + AGGREGATE + "\"",
            "    prefix: \"" + AGGREGATE_PREFIX + "\"",
            "    origins: [" + EXPECTED_AS + "]",
            "    more_specifics: true",
            ""));
    ExporterProcess.Endpoint bmp = new ExporterProcess.Endpoint("127.0.0.1", Ports.free());
    ExporterProcess exporter =
        new ExporterProcess(
                "exporter",
                work.resolve("exporter"),
                new ExporterProcess.Config(
                    List.of(bmp),
                    new ExporterProcess.Endpoint("127.0.0.1", Ports.free()),
                    List.of()))
            .args(List.of("--config", config.toString(), "--no-warmup"));
    Router router = new Router(work.resolve("gobgp"));
    PrometheusServer prometheus =
        new PrometheusServer(work.resolve("prometheus"))
            .ruleFiles(PrometheusServer.PROJECT_RULE_FILES);
    try (exporter;
        router;
        prometheus) {
      exporter.start();
      prometheus.job("bmp-exporter", exporter.webTarget()).start();
      router.start();
      router.announce(AGGREGATE_PREFIX, EXPECTED_AS);
      router.announce(AGGREGATE_PART, EXPECTED_AS);
      router.announce(PREFIX, EXPECTED_AS);
      router.cli("bmp", "add", bmp.toString(), "all").check();

      // 1. present from the expected origin
      awaitScrape(
          exporter,
          "present from AS" + EXPECTED_AS,
          m ->
              m.value("bmp_watch_prefix_present", watchLabels()) == 1
                  && origins(m).equals(List.of(Integer.toString(EXPECTED_AS)))
                  && m.value("bmp_watch_unexpected_origin", watchLabels()) == 0
                  && m.sum("bmp_watch_more_specifics", "watch", WATCH) == 0
                  && m.value("bmp_watch_more_specifics", aggregateLabels()) == 1);
      // Prometheus sees it (the Missing rule remembers where it was present)
      Await.until(
          () ->
              !prometheus
                  .query(
                      "bmp:watch_prefix_present:last_timestamp_seconds{watch=\""
                          + WATCH
                          + "\", rib=\"loc_rib\"}")
                  .isEmpty(),
          WAIT,
          "Prometheus recorded where " + WATCH + " was present");
      assertThat(alerts(prometheus, WATCH)).as("alerts for the expected state").isEmpty();

      // 2. the same prefix from another origin AS (a hijack)
      router.announce(PREFIX, OTHER_AS);
      awaitScrape(
          exporter,
          "origin AS" + OTHER_AS + ", unexpected",
          m ->
              m.value("bmp_watch_prefix_present", watchLabels()) == 1
                  && origins(m).equals(List.of(Integer.toString(OTHER_AS)))
                  && m.value("bmp_watch_unexpected_origin", watchLabels()) == 1);
      awaitAlert(prometheus, "BmpWatchedPrefixUnexpectedOrigin", WATCH);

      // 3. back to the expected origin, plus a more-specific (a sub-prefix hijack)
      router.announce(PREFIX, EXPECTED_AS);
      router.announce(MORE_SPECIFIC, EXPECTED_AS);
      awaitScrape(
          exporter,
          "one more-specific",
          m ->
              m.value("bmp_watch_prefix_present", watchLabels()) == 1
                  && origins(m).equals(List.of(Integer.toString(EXPECTED_AS)))
                  && m.value("bmp_watch_unexpected_origin", watchLabels()) == 0
                  && m.value("bmp_watch_more_specifics", watchLabels()) == 1);
      awaitAlert(prometheus, "BmpWatchedPrefixMoreSpecific", WATCH);
      // the aggregate's expected more-specific has been in Prometheus all along: no alert
      assertThat(
              prometheus.query(
                  "bmp_watch_more_specifics{watch=\"" + AGGREGATE + "\", rib=\"loc_rib\"} > 0"))
          .as("the aggregate's more-specific in Prometheus")
          .isNotEmpty();
      assertThat(alerts(prometheus, AGGREGATE))
          .as("alerts for a watch that expects more-specifics")
          .isEmpty();

      // 4. withdrawn: absent where it was
      router.withdraw(MORE_SPECIFIC);
      router.withdraw(PREFIX);
      awaitScrape(
          exporter,
          "withdrawn",
          m ->
              m.value("bmp_watch_prefix_present", watchLabels()) == 0
                  && origins(m).isEmpty()
                  && m.value("bmp_watch_more_specifics", watchLabels()) == 0);
      awaitAlert(prometheus, "BmpWatchedPrefixMissing", WATCH);
      assertThat(alerts(prometheus, AGGREGATE)).as("alerts for the aggregate").isEmpty();
    }
  }

  private static String[] watchLabels() {
    return new String[] {"watch", WATCH, "rib", "loc_rib"};
  }

  private static String[] aggregateLabels() {
    return new String[] {"watch", AGGREGATE, "rib", "loc_rib"};
  }

  /** The origin ASes the exporter shows for the watched prefix in the Loc-RIB, sorted. */
  private static List<String> origins(Scrape m) {
    return m.find("bmp_watch_prefix_origin_info", watchLabels()).stream()
        .filter(s -> s.value() == 1)
        .map(s -> s.labels().get("origin_as"))
        .sorted()
        .toList();
  }

  private interface ScrapeCheck {
    boolean ok(Scrape m);
  }

  private static void awaitScrape(ExporterProcess exporter, String what, ScrapeCheck check) {
    try {
      Await.until(() -> check.ok(exporter.scrape()), WAIT, what);
    } catch (AssertionError e) {
      String watchLines =
          String.join(
              "\n",
              exporter.scrape().text().lines().filter(l -> l.startsWith("bmp_watch_")).toList());
      throw new AssertionError(e.getMessage() + "; exporter shows:\n" + watchLines, e);
    }
  }

  /** ALERTS series (pending or firing) of one watch, as "alertname/alertstate". */
  private static List<String> alerts(PrometheusServer prometheus, String watch) {
    return prometheus.query("ALERTS{watch=\"" + watch + "\"}").stream()
        .map(s -> s.labels().get("alertname") + "/" + s.labels().get("alertstate"))
        .sorted()
        .toList();
  }

  private static void awaitAlert(PrometheusServer prometheus, String alertname, String watch) {
    String q =
        "ALERTS{alertname=\""
            + alertname
            + "\", watch=\""
            + watch
            + "\", alertstate=~\"pending|firing\"}";
    try {
      Await.until(() -> !prometheus.query(q).isEmpty(), WAIT, q);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; ALERTS for " + watch + ": " + alerts(prometheus, watch), e);
    }
  }
}
