package org.bmpexporter.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bmpexporter.rules.DashboardQueries;
import org.bmpexporter.rules.DashboardQueries.Query;

/**
 * The project's Grafana dashboards ({@code grafana/dashboards/*.json}) and Prometheus rules ({@code
 * prometheus/alerts.yml}, {@code prometheus/recording.yml}) run against the lab's real Prometheus,
 * which scrapes the exporter fed by the real routers and evaluates the rules every second.
 *
 * <p>Dashboards: every panel query and template-variable query is extracted by {@link
 * DashboardQueries}, its variables substituted with what a user would pick in the lab (a {@link
 * Selection}: router, peer, the exporter's instance; Grafana's built-ins {@code $__range} = 5m,
 * {@code $__rate_interval} = {@code $__interval} = 15s) and run through {@code /api/v1/query}.
 * Every query must answer status "success" (valid PromQL, no execution error) and return data,
 * unless {@link #MAY_BE_EMPTY} (short, each entry with its reason) or the selection's scope says
 * otherwise. A variable query must offer the selected value. Multi-value variables ({@code multi}
 * or {@code includeAll}) are formatted as Grafana's Prometheus data source does with one value
 * selected: regex-escaped (127\\.0\\.0\\.1); single-value ones are inserted as they are.
 *
 * <p>Rules: both files loaded (every rule of the files listed by {@code /api/v1/rules}), every rule
 * evaluated with health "ok" and no lastError, every rule's expression valid as an instant query,
 * every recording rule's series present (with its own short allow-list).
 */
final class LiveMonitoring {
  static final Path DASHBOARDS = Path.of("grafana/dashboards");

  /**
   * Grafana's built-in variables as a dashboard showing the last 5 minutes would set them (1 s
   * scrapes).
   */
  static final Map<String, String> BUILT_INS =
      Map.of(
          "__range",
          "5m",
          "__range_s",
          "300",
          "__range_ms",
          "300000",
          "__rate_interval",
          "15s",
          "__interval",
          "15s",
          "__interval_ms",
          "15000");

  /**
   * What a user picks in the dashboards' drop-downs. {@code scope}: the queries run with it; {@code
   * needsData}: those of them that must return data (before the allow-list).
   */
  record Selection(
      String name, String router, String peer, Predicate<Query> scope, Predicate<Query> needsData) {
    boolean isLocRibPeer() {
      return "0.0.0.0".equals(peer);
    }

    @Override
    public String toString() {
      return name + " (router " + router + ", peer " + peer + ")";
    }
  }

  /**
   * A query that may legitimately return nothing in this lab. {@code peerDownHistory}: a query
   * about past Peer Downs, which must return nothing before the first Peer Down (a peer that never
   * went down has no last-down time or reason) and data after it.
   */
  record MayBeEmpty(String why, boolean peerDownHistory, When matches) {}

  @FunctionalInterface
  interface When {
    boolean test(Selection s, Query q);
  }

  /** A query of the router's RFC 9972 statistics (types 27-30, 35-37, 41-43 on the dashboards). */
  static final Pattern RFC9972_STATS =
      Pattern.compile("stat_type=~?\"[^\"]*(rov_|stale_routes|routes_before_max_prefix)");

  static final String FRR = InteropLab.FRR_ROUTER;
  static final String GOBGP = InteropLab.GOBGP_ROUTER;
  static final String INJ = GobgpInjector.ADDRESS;

  /**
   * The selections the dashboards are checked with, all real in this lab: FRR and its neighbor
   * 127.0.0.2 (the main case), GoBGP and the same neighbor (GoBGP sends what FRR 8.4 does not:
   * Loc-RIB and the route-count statistics), and GoBGP's Loc-RIB instance peer 0.0.0.0 on the Peer
   * dashboard (Loc-RIB routes belong to that peer; of its panels only the Loc-RIB ones must have
   * data: it has no Adj-RIB-In, sends no Peer Up and no statistics).
   */
  static List<Selection> selections() {
    return List.of(SEL_FRR, SEL_GOBGP, SEL_GOBGP_LOC_RIB);
  }

  static final Selection SEL_FRR = new Selection("FRR", FRR, INJ, q -> true, q -> true);
  static final Selection SEL_GOBGP = new Selection("GoBGP", GOBGP, INJ, q -> true, q -> true);

  /**
   * Scenario s9's BMP speaker built from test bytes ({@link Rfc9972Sender}), which sends RFC 9972
   * statistics for one peer: the Router and Peer dashboards' RFC 9972 panels.
   */
  static final Selection SEL_RFC9972 =
      new Selection(
          "RFC 9972 sender",
          Rfc9972Sender.ROUTER,
          Rfc9972Sender.PEER,
          q -> q.dashboard().equals("BMP / Peer") || q.dashboard().equals("BMP / Router"),
          q -> RFC9972_STATS.matcher(q.expr()).find());

  static final Selection SEL_GOBGP_LOC_RIB =
      new Selection(
          "GoBGP Loc-RIB",
          GOBGP,
          "0.0.0.0",
          q -> q.dashboard().equals("BMP / Peer"),
          q -> q.expr().contains("rib=\"loc_rib\"") || isVariable(q));

  /**
   * Panels that may be empty in this lab. Everything else must return data. Kept short: each entry
   * names a concrete gap of the routers or of the lab's history, and another selection (or a later
   * scenario) covers the panel with data.
   */
  static final List<MayBeEmpty> MAY_BE_EMPTY =
      List.of(
          // FRR 8.4 has no Loc-RIB monitoring (RFC 9069): its Loc-RIB columns and panels are empty.
          // Covered with data by the GoBGP selections.
          new MayBeEmpty(
              "FRR 8.4 sends no Loc-RIB",
              false,
              (s, q) -> s.router().equals(FRR) && q.expr().contains("rib=\"loc_rib\"")),
          // A neighbor never has Loc-RIB routes: they belong to the router's Loc-RIB instance peer
          // (0.0.0.0, rd 0:0). Covered by the "GoBGP Loc-RIB" selection.
          new MayBeEmpty(
              "Loc-RIB routes belong to the Loc-RIB instance peer, not to a neighbor",
              false,
              (s, q) ->
                  q.dashboard().equals("BMP / Peer")
                      && !s.isLocRibPeer()
                      && q.expr().contains("rib=\"loc_rib\"")),
          // FRR 8.4's statistics are 32-bit counters only (types 0, 2-5, 11, 65531): no route-count
          // gauges (types 7-10), hence no router-vs-exporter comparison. Covered by GoBGP.
          new MayBeEmpty(
              "FRR 8.4 sends no route-count statistics (types 7-10)",
              false,
              (s, q) ->
                  s.router().equals(FRR)
                      && (q.expr().contains("bmp_peer_stat_value")
                          || q.expr().contains("bmp:route_count:stat_minus_exporter"))),
          // Neither FRR 8.4 nor GoBGP sends RFC 9972 statistics (types 18-43): the router-side
          // headroom, ROV and stale-route panels are empty for them. Covered with data by
          // scenario s9's RFC 9972 sender (SEL_RFC9972).
          new MayBeEmpty(
              "FRR 8.4 and GoBGP send no RFC 9972 statistics",
              false,
              (s, q) ->
                  (s.router().equals(FRR) || s.router().equals(GOBGP))
                      && RFC9972_STATS.matcher(q.expr()).find()),
          // GoBGP sends no Route Mirroring. Covered by FRR (`bmp mirror`).
          new MayBeEmpty(
              "GoBGP sends no Route Mirroring",
              false,
              (s, q) -> s.router().equals(GOBGP) && q.expr().contains("bmp_route_mirroring_total")),
          // Termination series exist once a Termination arrived: FRR 8.4 never sends one, GoBGP
          // only
          // when its BMP server is deleted (scenario 5, later). The "in range" stat has `or
          // vector(0)`.
          new MayBeEmpty(
              "no BMP Termination received (FRR never sends one)",
              false,
              (s, q) ->
                  q.expr().contains("bmp_router_terminations_total")
                      && !q.expr().contains("or vector(0)")),
          // Right after the initial dump no peer has gone down: no last-down time or reason, no
          // recent
          // Peer Down; these must even be empty then. Required to have data once a Peer Down
          // happened
          // (scenario 3 re-runs the dashboards).
          // The "Limits reached" panel lists only limits at 1: none is reached in this lab (the
          // limits are far above its tables). RouterLimitsTest reaches them on a live exporter.
          new MayBeEmpty(
              "no bmp.limits value reached in this lab",
              false,
              (s, q) -> q.expr().contains("bmp_router_limit_reached") && q.expr().contains("== 1")),
          new MayBeEmpty(
              "no Peer Down yet",
              true,
              (s, q) ->
                  q.expr().contains("bmp_peer_last_down_timestamp_seconds")
                      || q.expr().contains("bmp:peer_last_down_reason:info")
                      || q.expr().contains("bmp:peer_downs:last_increase_timestamp_seconds")
                      || q.panelTitle().equals("Recent Peer Down events")));

  /**
   * Dashboards whose metrics this build does not export yet, not run at all (their variables have
   * no values either). TODO(watch): the exporter has the watched-prefix metrics (bmp_watch_*) now;
   * the lab's exporter needs a watch list (a prefix the lab routers announce, and for the
   * unexpected-origin and more-specific panels an entry that shows them, which the alert checks of
   * the scenarios must then expect), the $watch and $rib variables need values in {@link
   * #runDashboards}; then remove this entry and check the dashboard.
   */
  static final Set<String> PENDING_DASHBOARDS = Set.of("bmp-watch.json");

  /**
   * Recording rules over metrics the lab does not have yet (no watch list). TODO(watch): remove
   * with {@link #PENDING_DASHBOARDS}' entry.
   */
  static final Set<String> PENDING_RECORDING =
      Set.of("bmp:watch_prefix_present:last_timestamp_seconds");

  /** Recording rules that may have no series yet right after the initial dump. */
  static final Map<String, String> RECORDING_MAY_BE_EMPTY =
      Map.of(
          "bmp:peer_downs:last_increase_timestamp_seconds",
              "no Peer Down yet (checked in scenario 3)",
          "bmp:peer_last_down_reason:info", "no Peer Down yet (checked in scenario 3)");

  /** One query run with one selection. */
  record Outcome(
      Selection selection,
      Query query,
      PrometheusApi.Result result,
      MayBeEmpty allowed,
      String problem) {
    @Override
    public String toString() {
      return "["
          + selection.name()
          + "] "
          + query.dashboard()
          + " / "
          + query.panelTitle()
          + ": "
          + query.expr()
          + " -> "
          + (problem != null ? "PROBLEM " + problem + " " : "")
          + (result.ok() ? result.series().size() + " series" : result.toString())
          + (!result.ok() || !result.series().isEmpty()
              ? ""
              : allowed != null
                  ? " (may be empty: " + allowed.why() + ")"
                  : !selection.needsData().test(query)
                      ? " (not required with this selection)"
                      : "");
    }
  }

  private final PrometheusApi api;
  private final String instance;
  private final Path reportDir;

  LiveMonitoring(PrometheusApi api, String instance, Path reportDir) {
    this.api = api;
    this.instance = instance;
    this.reportDir = reportDir;
  }

  static boolean isVariable(Query q) {
    return q.panelTitle().startsWith("variable ");
  }

  // ------------------------------------------------------------------ dashboards

  static List<Path> dashboardFiles() {
    try (Stream<Path> s = Files.list(DASHBOARDS)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every query of every dashboard, run with every selection whose scope includes it. */
  List<Outcome> runDashboards(List<Selection> selections, boolean peerDownHappened) {
    List<Outcome> out = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      if (PENDING_DASHBOARDS.contains(file.getFileName().toString())) {
        continue;
      }
      Map<String, Variable> vars = variables(file);
      for (Selection sel : selections) {
        Map<String, String> values = new HashMap<>(BUILT_INS);
        values.put("datasource", "prometheus");
        values.put("router", vars.getOrDefault("router", Variable.NONE).format(sel.router()));
        values.put("peer", vars.getOrDefault("peer", Variable.NONE).format(sel.peer()));
        values.put("instance", vars.getOrDefault("instance", Variable.NONE).format(instance));
        for (Query q : DashboardQueries.extract(file, values)) {
          if (!sel.scope().test(q)) {
            continue;
          }
          PrometheusApi.Result r = api.run(q.expr());
          MayBeEmpty allowed =
              MAY_BE_EMPTY.stream()
                  .filter(
                      m -> (!m.peerDownHistory() || !peerDownHappened) && m.matches().test(sel, q))
                  .findFirst()
                  .orElse(null);
          String problem = null;
          if (!r.ok()) {
            problem = "query failed";
          } else if (allowed != null && allowed.peerDownHistory() && !r.series().isEmpty()) {
            problem = "Peer Down history before any Peer Down: " + r.series();
          } else if (r.series().isEmpty() && allowed == null && sel.needsData().test(q)) {
            problem = "no data";
          } else if (isVariable(q)) {
            Variable v = vars.get(q.panelTitle().substring("variable ".length()));
            String want =
                v.name().equals("router")
                    ? sel.router()
                    : v.name().equals("peer") ? sel.peer() : instance;
            Set<String> offered =
                r.series().stream()
                    .map(s -> s.labels().getOrDefault(v.label(), ""))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!offered.contains(want)) {
              problem =
                  "variable $" + v.name() + " does not offer " + want + " (offers " + offered + ")";
            }
          }
          out.add(new Outcome(sel, q, r, allowed, problem));
        }
      }
    }
    return out;
  }

  /**
   * Runs the dashboards until every query is valid and every one that should have data has it
   * (rates need two scrapes in their window, GoBGP's statistics come every 15 s), at most {@code
   * timeout}; then fails with every problem. A query that ever failed fails the check. Writes every
   * outcome to {@code live-queries-<tag>.txt} in the report dir.
   */
  List<Outcome> assertDashboards(
      List<Selection> selections, boolean peerDownHappened, Duration timeout, String tag) {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    Set<String> everFailed = new LinkedHashSet<>();
    int passes = 0;
    String firstPass = null;
    while (true) {
      List<Outcome> outcomes = runDashboards(selections, peerDownHappened);
      passes++;
      outcomes.stream().filter(o -> !o.result().ok()).forEach(o -> everFailed.add(o.toString()));
      List<Outcome> problems = outcomes.stream().filter(o -> o.problem() != null).toList();
      if (firstPass == null) {
        firstPass =
            problems.size()
                + " without data yet"
                + (problems.isEmpty() ? "" : ", e.g. " + problems.get(0));
      }
      if ((problems.isEmpty() && everFailed.isEmpty())
          || System.nanoTime() > deadline
          || problems.stream().anyMatch(o -> !o.result().ok())) {
        report("live-queries-" + tag + ".txt", outcomes);
        long empty =
            outcomes.stream().filter(o -> o.result().ok() && o.result().series().isEmpty()).count();
        InteropLab.log(
            "  dashboards ["
                + tag
                + "]: "
                + outcomes.size()
                + " queries run, "
                + empty
                + " empty ("
                + outcomes.stream()
                    .filter(o -> o.allowed() != null && o.result().series().isEmpty())
                    .count()
                + " allowed), "
                + problems.size()
                + " problems; "
                + passes
                + " pass(es) in "
                + Duration.ofNanos(System.nanoTime() - t0).toMillis()
                + " ms, first pass: "
                + firstPass);
        if (!problems.isEmpty() || !everFailed.isEmpty()) {
          Set<String> all = new LinkedHashSet<>(everFailed);
          problems.forEach(p -> all.add(p.toString()));
          throw new AssertionError(
              "dashboard queries on live data ["
                  + tag
                  + "]: "
                  + all.size()
                  + " problem(s):\n  "
                  + String.join("\n  ", all));
        }
        return outcomes;
      }
      Await.sleep(Duration.ofSeconds(1));
    }
  }

  /**
   * A dashboard's template variable: its label (from label_values) and whether Grafana formats it
   * as a regex.
   */
  record Variable(String name, String label, boolean regex) {
    static final Variable NONE = new Variable("", "", false);

    String format(String value) {
      return regex ? DashboardQueries.regexEscape(value) : value;
    }
  }

  private static final Pattern LABEL_VALUES =
      Pattern.compile(
          "label_values\\s*\\((?:.*,)?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);

  static Map<String, Variable> variables(Path dashboard) {
    JsonNode root = json(dashboard);
    Map<String, Variable> out = new LinkedHashMap<>();
    for (JsonNode v : root.path("templating").path("list")) {
      String name = v.path("name").asText();
      JsonNode q = v.path("query");
      String def = q.isObject() ? q.path("query").asText("") : q.asText("");
      if (def.isBlank()) {
        def = v.path("definition").asText("");
      }
      Matcher m = LABEL_VALUES.matcher(def);
      String label = m.find() ? m.group(1) : name;
      out.put(
          name,
          new Variable(
              name,
              label,
              v.path("multi").asBoolean(false) || v.path("includeAll").asBoolean(false)));
    }
    return out;
  }

  /**
   * The queries of one dashboard whose expression contains {@code exprContains}, run with {@code
   * selection}, all return data (at most {@code timeout}): for panels allowed empty earlier, once
   * the lab produced their data.
   */
  void assertPanelHasData(
      String dashboard, String exprContains, Selection selection, Duration timeout) {
    Await.until(
        () -> {
          List<Outcome> os =
              runDashboards(List.of(selection), true).stream()
                  .filter(
                      o ->
                          o.query().dashboard().equals(dashboard)
                              && o.query().expr().contains(exprContains))
                  .toList();
          if (os.isEmpty()) {
            return "no query of " + dashboard + " contains " + exprContains;
          }
          return os.stream()
              .filter(o -> !o.result().ok() || o.result().series().isEmpty())
              .map(Outcome::toString)
              .collect(Collectors.joining("; "));
        },
        String::isEmpty,
        timeout,
        dashboard + " queries with " + exprContains + " for " + selection + " have data");
    InteropLab.log(
        "  " + dashboard + " queries with " + exprContains + " have data for " + selection);
  }

  // ------------------------------------------------------------------ rules

  /** A rule of the project's rule files. */
  record FileRule(String file, String group, String name, boolean alert, String expr) {}

  static List<FileRule> fileRules() {
    YAMLMapper yaml = new YAMLMapper();
    List<FileRule> out = new ArrayList<>();
    for (Path f : PrometheusServer.PROJECT_RULE_FILES) {
      try {
        for (JsonNode g : yaml.readTree(f.toFile()).path("groups")) {
          for (JsonNode r : g.path("rules")) {
            boolean alert = r.has("alert");
            out.add(
                new FileRule(
                    f.getFileName().toString(),
                    g.path("name").asText(),
                    alert ? r.path("alert").asText() : r.path("record").asText(),
                    alert,
                    r.path("expr").asText()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return out;
  }

  /**
   * Both rule files are loaded (Prometheus lists exactly their rules), every rule has been
   * evaluated more than 2 s after this call (so rules reading other rules' output saw it) with
   * health "ok" and no lastError, and every rule's expression runs as an instant query without
   * error.
   */
  List<PrometheusApi.Rule> assertRulesHealthy(Duration timeout) {
    List<FileRule> files = fileRules();
    List<String> want =
        files.stream()
            .map(r -> (r.alert() ? "alerting " : "recording ") + r.group() + "/" + r.name())
            .sorted()
            .toList();
    // two evaluation rounds after now, so thresholds and helper series feed the alerts
    java.time.Instant after = java.time.Instant.now().plusSeconds(2);
    List<PrometheusApi.Rule> rules =
        Await.until(
            api::rules,
            rs ->
                rs.size() == want.size()
                    && rs.stream()
                        .allMatch(
                            r ->
                                !r.health().equals("unknown")
                                    && java.time.OffsetDateTime.parse(r.lastEvaluation())
                                        .toInstant()
                                        .isAfter(after)),
            timeout,
            "every rule of " + PrometheusServer.PROJECT_RULE_FILES + " loaded and evaluated twice");
    List<String> got =
        rules.stream().map(r -> r.type() + " " + r.group() + "/" + r.name()).sorted().toList();
    List<String> problems = new ArrayList<>();
    if (!got.equals(want)) {
      problems.add("rules loaded " + got + " != rules in the files " + want);
    }
    for (PrometheusApi.Rule r : rules) {
      if (!r.health().equals("ok") || !r.lastError().isEmpty()) {
        problems.add(
            r.type() + " " + r.name() + ": health " + r.health() + ", lastError " + r.lastError());
      }
    }
    for (FileRule r : files) {
      PrometheusApi.Result res = api.run(r.expr());
      if (!res.ok()) {
        problems.add("expression of " + r.name() + " as a query: " + res);
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("rules on live data: " + String.join("\n  ", problems));
    }
    InteropLab.log(
        "  rules: "
            + rules.size()
            + " loaded from "
            + PrometheusServer.PROJECT_RULE_FILES
            + ", all evaluated with health ok, every expression valid as a query");
    return rules;
  }

  /**
   * Every recording rule's name returns series, but for {@link #RECORDING_MAY_BE_EMPTY} (unless
   * {@code peerDownHappened}).
   */
  void assertRecordingRulesHaveData(boolean peerDownHappened, Duration timeout) {
    List<String> names =
        fileRules().stream()
            .filter(r -> !r.alert())
            .map(FileRule::name)
            .filter(n -> !PENDING_RECORDING.contains(n))
            .distinct()
            .toList();
    Await.until(
        () -> {
          List<String> empty = new ArrayList<>();
          for (String n : names) {
            if (api.query(n).isEmpty()
                && (peerDownHappened || !RECORDING_MAY_BE_EMPTY.containsKey(n))) {
              empty.add(n);
            }
          }
          return empty;
        },
        List::isEmpty,
        timeout,
        "every recording rule with series (allowed empty: " + RECORDING_MAY_BE_EMPTY + ")");
    InteropLab.log(
        "  recording rules: all "
            + names.size()
            + " have series"
            + (peerDownHappened ? "" : " (but possibly " + RECORDING_MAY_BE_EMPTY.keySet() + ")"));
  }

  /** The alerting rule as Prometheus loaded it. */
  PrometheusApi.Rule alertRule(String name) {
    return api.rules().stream()
        .filter(r -> r.type().equals("alerting") && r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("alert " + name + " not loaded"));
  }

  /** Alerts pending or firing now whose labels include {@code labels}. */
  List<PrometheusApi.Alert> active(String alert, Map<String, String> labels) {
    return api.alerts().stream()
        .filter(a -> a.name().equals(alert))
        .filter(
            a ->
                labels.entrySet().stream()
                    .allMatch(e -> a.labels().getOrDefault(e.getKey(), "").equals(e.getValue())))
        .toList();
  }

  /**
   * Proves that the alert fires on the lab's live data for a series with {@code labels}: when its
   * {@code for:} is at most {@code maxFor}, waits until it is firing; otherwise (minutes) waits
   * until it is pending (its expression held at an evaluation) and evaluates its expression as a
   * query, which must return exactly the series {@code expected} lists (each a subset of labels).
   * Returns the alert.
   */
  PrometheusApi.Alert assertWouldFire(
      String alert,
      Map<String, String> labels,
      List<Map<String, String>> expected,
      Duration maxFor,
      Duration timeout) {
    PrometheusApi.Rule rule = alertRule(alert);
    boolean canFire = rule.forSeconds() <= maxFor.toSeconds();
    String state = canFire ? "firing" : "pending";
    PrometheusApi.Alert a =
        Await.until(
                () -> active(alert, labels),
                l -> l.size() == 1 && l.get(0).state().equals(state),
                timeout,
                alert + labels + " " + state + " (for: " + (long) rule.forSeconds() + "s)")
            .get(0);
    List<PrometheusApi.Series> series = api.query(rule.query());
    List<String> problems = new ArrayList<>();
    if (series.size() != expected.size()) {
      problems.add("expected " + expected.size() + " series");
    }
    for (Map<String, String> e : expected) {
      if (series.stream()
          .noneMatch(
              s ->
                  e.entrySet().stream()
                      .allMatch(
                          kv -> s.labels().getOrDefault(kv.getKey(), "").equals(kv.getValue())))) {
        problems.add("no series with " + e);
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "expression of " + alert + " on live data: " + problems + "; got " + series);
    }
    InteropLab.log(
        "  "
            + alert
            + " "
            + a.state()
            + " (for: "
            + (long) rule.forSeconds()
            + "s) "
            + a.labels()
            + "; expression returns "
            + series.size()
            + " series");
    return a;
  }

  private void report(String name, List<Outcome> outcomes) {
    try {
      Files.createDirectories(reportDir);
      Files.writeString(
          reportDir.resolve(name),
          outcomes.stream().map(Outcome::toString).collect(Collectors.joining("\n", "", "\n")));
    } catch (IOException e) {
      InteropLab.log("cannot write " + name + ": " + e);
    }
  }

  private static JsonNode json(Path file) {
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
