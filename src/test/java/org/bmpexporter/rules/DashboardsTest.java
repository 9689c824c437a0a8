package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bmpexporter.rules.DashboardQueries.Query;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards (grafana/dashboards/*.json): structure, data source handling, template
 * variables, and every query checked as PromQL by promtool and against the known metric names.
 */
@ComponentTest
class DashboardsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "table", "stat", "row");

  /** Sample values for the dashboards' own variables. */
  static final Map<String, String> SAMPLE_VARS =
      Map.of(
          "datasource", "prometheus",
          "router", "192.0.2.1",
          "peer", "198.51.100.1",
          "instance", "bmp-exporter:9324",
          "watch", "docs-prefix",
          "rib", "adj_rib_in_post");

  /** Metrics each dashboard must show (the issue's list of panels). */
  private static final Map<String, List<String>> REQUIRED =
      Map.of(
          "bmp-overview",
              List.of(
                  "bmp_router_up",
                  "bmp_peer_up",
                  "bmp_peer_downs_total",
                  "bmp:routes:sum_by_router_rib_afi_safi"),
          "bmp-router",
              List.of(
                  "bmp_peer_up",
                  "bmp_peer_info",
                  "bmp_peer_up_timestamp_seconds",
                  "bmp:peer_last_down_reason:info",
                  "bmp_routes",
                  "bmp:router_messages:rate5m_by_router_type"),
          "bmp-peer",
              List.of(
                  "bmp_routes",
                  "bmp_route_announcements_total",
                  "bmp_route_withdrawals_total",
                  "bmp_peer_stat_value",
                  "bmp_peer_up",
                  "bmp_peer_downs_total"),
          "bmp-watch",
              List.of(
                  "bmp_watch_prefix_present",
                  "bmp_watch_prefix_origin_info",
                  "bmp_watch_more_specifics",
                  "bmp_watch_unexpected_origin"),
          "bmp-exporter-health",
              List.of(
                  "bmp_forward_dropped_messages_total",
                  "bmp_sessions",
                  "bmp_router_received_bytes_total",
                  "bmp_router_messages_total",
                  "bmp_router_decode_errors_total",
                  "jvm_memory_used_bytes",
                  "jvm_gc_pause_seconds_sum",
                  "process_cpu_usage"));

  @Test
  void theDashboardsExistWithUniqueUids() {
    Map<String, Path> byUid = new LinkedHashMap<>();
    for (Path d : RuleFiles.dashboards()) {
      JsonNode root = read(d);
      String uid = root.path("uid").asText();
      assertThat(uid).as(d + " uid").matches("[a-z0-9-]{1,40}");
      assertThat(byUid.put(uid, d)).as("uid " + uid + " used twice").isNull();
      assertThat(root.path("title").asText()).as(d + " title").isNotBlank();
    }
    assertThat(byUid.keySet()).containsExactlyInAnyOrderElementsOf(REQUIRED.keySet());
  }

  @Test
  void dashboardsAreGrafanaDashboardJson() {
    for (Path d : RuleFiles.dashboards()) {
      JsonNode root = read(d);
      assertThat(root.path("schemaVersion").asInt()).as(d + " schemaVersion").isBetween(36, 41);
      assertThat(root.path("panels").isArray()).as(d + " panels").isTrue();
      assertThat(root.path("templating").path("list").isArray())
          .as(d + " templating.list")
          .isTrue();
      assertThat(root.has("id") && !root.path("id").isNull())
          .as(d + " must not carry a database id")
          .isFalse();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : allPanels(root)) {
        String where = d.getFileName() + " panel '" + panel.path("title").asText() + "'";
        assertThat(panel.path("type").asText()).as(where + " type").isIn(PANEL_TYPES);
        assertThat(ids.add(panel.path("id").asInt(-1))).as(where + " unique id").isTrue();
        JsonNode pos = panel.path("gridPos");
        assertThat(pos.path("w").asInt()).as(where + " width").isBetween(1, 24);
        assertThat(pos.path("x").asInt() + pos.path("w").asInt())
            .as(where + " fits 24 columns")
            .isLessThanOrEqualTo(24);
        assertThat(pos.path("h").asInt()).as(where + " height").isPositive();
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(panel.path("title").asText()).as(where + " title").isNotBlank();
        JsonNode targets = panel.path("targets");
        assertThat(targets.isArray() && !targets.isEmpty()).as(where + " has queries").isTrue();
        Set<String> refIds = new HashSet<>();
        for (JsonNode t : targets) {
          assertThat(t.path("expr").asText()).as(where + " target expr").isNotBlank();
          assertThat(refIds.add(t.path("refId").asText())).as(where + " unique refId").isTrue();
          if (panel.path("type").asText().equals("table")) {
            assertThat(t.path("format").asText())
                .as(where + " table query format")
                .isEqualTo("table");
            assertThat(t.path("instant").asBoolean()).as(where + " table query instant").isTrue();
          }
        }
      }
      assertThat(ids).as(d + " panels").hasSizeGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void noDashboardHardCodesADataSource() {
    for (Path d : RuleFiles.dashboards()) {
      JsonNode root = read(d);
      assertThat(root.has("__inputs"))
          .as(d + " uses the datasource variable, not import inputs")
          .isFalse();
      JsonNode dsVar = variable(root, "datasource");
      assertThat(dsVar).as(d + " has a 'datasource' template variable").isNotNull();
      assertThat(dsVar.path("type").asText()).isEqualTo("datasource");
      assertThat(dsVar.path("query").asText()).isEqualTo("prometheus");
      checkDatasourceRefs(d.getFileName().toString(), root, "");
      for (JsonNode panel : allPanels(root)) {
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(panel.path("datasource").path("uid").asText())
            .as(d.getFileName() + " panel '" + panel.path("title").asText() + "' datasource")
            .isEqualTo("${datasource}");
      }
    }
  }

  @Test
  void templateVariablesAreDefinedAndUsed() {
    for (Path d : RuleFiles.dashboards()) {
      JsonNode root = read(d);
      Set<String> defined = new LinkedHashSet<>();
      root.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
      String uid = root.path("uid").asText();
      switch (uid) {
        case "bmp-overview", "bmp-router" -> assertThat(defined).contains("router");
        case "bmp-peer" -> assertThat(defined).contains("router", "peer");
        case "bmp-exporter-health" -> assertThat(defined).contains("instance");
        case "bmp-watch" -> assertThat(defined).contains("watch", "router", "rib");
        default -> throw new AssertionError("unexpected dashboard " + uid);
      }
      for (JsonNode v : root.path("templating").path("list")) {
        if (!v.path("type").asText().equals("query")) {
          continue;
        }
        String q =
            v.path("query").isObject()
                ? v.path("query").path("query").asText()
                : v.path("query").asText();
        assertThat(q)
            .as(d.getFileName() + " variable " + v.path("name").asText())
            .startsWith("label_values(");
        assertThat(v.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      }
      Set<String> used = new LinkedHashSet<>();
      for (Query q : DashboardQueries.extractRaw(d)) {
        for (String name : DashboardQueries.variableNames(q.expr())) {
          used.add(name);
          assertThat(defined.contains(name) || DashboardQueries.BUILT_INS.containsKey(name))
              .as("%s '%s' uses $%s, defined: %s", d.getFileName(), q.panelTitle(), name, defined)
              .isTrue();
        }
      }
      for (String name : defined) {
        if (!name.equals("datasource")) {
          assertThat(used)
              .as(d.getFileName() + " variable $" + name + " is used by some query")
              .contains(name);
        }
      }
    }
  }

  @Test
  void everyQueryIsValidPromql(@TempDir Path tmp) throws IOException {
    Promtool.require();
    List<Query> queries = allQueries();
    assertThat(queries).hasSizeGreaterThan(40);
    var result = checkAsRecordingRules(queries, tmp.resolve("dashboard-queries.yml"));
    StringBuilder index = new StringBuilder();
    for (int i = 0; i < queries.size(); i++) {
      Query q = queries.get(i);
      index.append(
          String.format("q%04d  %s / %s: %s%n", i, q.dashboard(), q.panelTitle(), q.expr()));
    }
    assertThat(result.exitCode()).as(result.describe() + "\nqueries:\n" + index).isZero();
    assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
  }

  /** The PromQL check is not vacuous: a broken query makes promtool fail. */
  @Test
  void promtoolRejectsAnInvalidQuery(@TempDir Path tmp) throws IOException {
    Promtool.require();
    var result =
        checkAsRecordingRules(
            List.of(
                new Query("t", "ok", "sum by (router) (bmp_routes{router=~\"192.0.2.1\"})"),
                new Query("t", "broken", "sum by (router) (rate(bmp_routes[5m])")),
            tmp.resolve("broken.yml"));
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
  }

  @Test
  void everyQueryUsesKnownMetrics() {
    Set<String> known = PromqlNames.allKnownMetrics(RuleFiles.METRICS_LIST);
    for (Query q : allQueries()) {
      Set<String> used = PromqlNames.metricNames(q.expr());
      assertThat(used)
          .as("%s / %s selects a metric: %s", q.dashboard(), q.panelTitle(), q.expr())
          .isNotEmpty();
      assertThat(known)
          .as(
              "%s / %s uses %s; every name must be in %s",
              q.dashboard(), q.panelTitle(), used, RuleFiles.METRICS_LIST)
          .containsAll(used);
    }
  }

  @Test
  void everyDashboardShowsWhatTheIssueAsksFor() {
    for (Path d : RuleFiles.dashboards()) {
      String uid = read(d).path("uid").asText();
      Set<String> used = new LinkedHashSet<>();
      DashboardQueries.extract(d, SAMPLE_VARS)
          .forEach(q -> used.addAll(PromqlNames.metricNames(q.expr())));
      assertThat(used).as(d + " metrics").containsAll(REQUIRED.get(uid));
    }
    // the Peer dashboard shows the router's RFC 9972 headroom, ROV and stale-route statistics
    String peerQueries =
        DashboardQueries.extract(RuleFiles.DASHBOARDS_DIR.resolve("bmp-peer.json"), SAMPLE_VARS)
            .stream()
            .map(Query::expr)
            .reduce("", (a, b) -> a + "\n" + b);
    assertThat(peerQueries)
        .contains(
            "routes_before_max_prefix_threshold",
            "bmp:max_prefix_approaching:threshold_routes",
            "rov_invalid_routes|rov_valid_routes|rov_not_found_routes",
            "adj_rib_out_rov_invalid_routes|adj_rib_out_rov_valid_routes|adj_rib_out_rov_not_found_routes",
            "gr_stale_routes|llgr_stale_routes");
    // the Overview's recent peer-down table over the dashboard's range
    JsonNode overview = read(RuleFiles.DASHBOARDS_DIR.resolve("bmp-overview.json"));
    boolean peerDownTable = false;
    for (JsonNode panel : allPanels(overview)) {
      if (panel.path("type").asText().equals("table")) {
        for (JsonNode t : panel.path("targets")) {
          peerDownTable |=
              t.path("expr")
                  .asText()
                  .contains("increase(bmp_peer_downs_total{router=~\"$router\"}[$__range])");
        }
      }
    }
    assertThat(peerDownTable)
        .as("Overview table of increase(bmp_peer_downs_total[$__range])")
        .isTrue();
  }

  // ---------------------------------------------------------------- DashboardQueries itself

  @Test
  void extractSubstitutesEveryVariableForm(@TempDir Path tmp) throws IOException {
    Path dash = tmp.resolve("d.json");
    Files.writeString(
        dash,
        """
        {"title": "T", "panels": [
          {"type": "timeseries", "title": "a", "targets": [
            {"refId": "A", "expr": "rate(x{router=~\\"$router\\", peer=\\"${peer}\\"}[$__rate_interval])"},
            {"refId": "B", "expr": "increase(y{router=~\\"${router:regex}\\"}[$__range]) and [[peer]]_z", "hide": false},
            {"refId": "D", "expr": "avg_over_time(w[$__interval]) / ${__range_s}"},
            {"refId": "C", "expr": "hidden_query", "hide": true}]},
          {"type": "row", "title": "r", "collapsed": true, "panels": [
            {"type": "stat", "title": "in row", "targets": [{"refId": "A", "expr": "up{instance=\\"$instance\\"}"}]}]}
        ],
        "templating": {"list": [
          {"name": "datasource", "type": "datasource", "query": "prometheus"},
          {"name": "router", "type": "query", "query": {"query": "label_values(bmp_router_up, router)"}},
          {"name": "peer", "type": "query", "query": "label_values(bmp_peer_up{router=\\"$router\\"}, peer)"},
          {"name": "names", "type": "query", "query": "label_names()"},
          {"name": "qr", "type": "query", "definition": "query_result(topk(5, bmp_routes))", "query": ""}
        ]}}
        """);
    List<Query> q =
        DashboardQueries.extract(
            dash, Map.of("router", "192.0.2.1", "peer", "p", "instance", "i:1"));
    assertThat(q)
        .containsExactly(
            new Query("T", "a", "rate(x{router=~\"192.0.2.1\", peer=\"p\"}[2m])"),
            new Query("T", "a", "increase(y{router=~\"192\\\\.0\\\\.2\\\\.1\"}[1h]) and p_z"),
            new Query("T", "a", "avg_over_time(w[30s]) / 3600"),
            new Query("T", "in row", "up{instance=\"i:1\"}"),
            new Query("T", "variable router", "bmp_router_up"),
            new Query("T", "variable peer", "bmp_peer_up{router=\"192.0.2.1\"}"),
            new Query("T", "variable qr", "topk(5, bmp_routes)"));
    // the caller's values win over the built-in defaults
    assertThat(
            DashboardQueries.extract(
                    dash,
                    Map.of("router", "r", "peer", "p", "instance", "i", "__rate_interval", "5m"))
                .get(0)
                .expr())
        .isEqualTo("rate(x{router=~\"r\", peer=\"p\"}[5m])");
    assertThatThrownBy(() -> DashboardQueries.extract(dash, Map.of("router", "r")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$peer");
    assertThat(DashboardQueries.variableNames("a{x=\"$a\", y=\"${b:pipe}\"}[$__range] [[c]]"))
        .containsExactly("a", "b", "__range", "c");
  }

  @Test
  void metricNameLexerFindsSelectorsOnly() {
    assertThat(
            PromqlNames.metricNames(
                "sum by (router, rib) (rate(bmp_route_announcements_total{rib=~\"a|b\", x=\"sum(y)\"}[5m] offset 1h))"
                    + " / on (router) group_left (sys_name) bmp:router_info:sys_name"
                    + " and bmp_x > bool 1e3 or vector(0) unless {__name__=\"named_only\"}"
                    + " and label_replace(z, \"dst\", \"$1\", \"src\", \"(.*)\")"))
        .containsExactlyInAnyOrder(
            "bmp_route_announcements_total",
            "bmp:router_info:sys_name",
            "bmp_x",
            "named_only",
            "z");
  }

  // ---------------------------------------------------------------- helpers

  static List<Query> allQueries() {
    List<Query> all = new ArrayList<>();
    for (Path d : RuleFiles.dashboards()) {
      List<Query> q = DashboardQueries.extract(d, SAMPLE_VARS);
      assertThat(q).as(d + " queries").isNotEmpty();
      for (Query query : q) {
        assertThat(query.expr())
            .as("%s / %s: variables left", query.dashboard(), query.panelTitle())
            .doesNotContain("$", "[[");
      }
      all.addAll(q);
    }
    return all;
  }

  /** Writes one recording rule per query and runs promtool check rules on the file. */
  private static Promtool.Result checkAsRecordingRules(List<Query> queries, Path file)
      throws IOException {
    Map<String, Object> rules = new LinkedHashMap<>();
    List<Map<String, String>> list = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      list.add(
          Map.of(
              "record", String.format("dashboard:query:q%04d", i), "expr", queries.get(i).expr()));
    }
    rules.put("groups", List.of(Map.of("name", "dashboard-queries", "rules", list)));
    RuleFiles.YAML.writeValue(file.toFile(), rules);
    return Promtool.run(TIMEOUT, "check", "rules", file.toString());
  }

  private static void checkDatasourceRefs(String file, JsonNode node, String path) {
    if (node.isObject()) {
      var fields = node.properties().iterator();
      while (fields.hasNext()) {
        var e = fields.next();
        String p = path + "/" + e.getKey();
        if (e.getKey().equals("datasource") && !path.contains("/templating/list/")) {
          JsonNode ds = e.getValue();
          if (ds.isTextual()) {
            assertThat(ds.asText()).as(file + " " + p).isIn("${datasource}", "$datasource");
          } else if (ds.isObject() && !"grafana".equals(ds.path("type").asText())) {
            assertThat(ds.path("uid").asText())
                .as(file + " " + p + " uid")
                .isIn("${datasource}", "$datasource");
          }
        }
        checkDatasourceRefs(file, e.getValue(), p);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkDatasourceRefs(file, node.get(i), path + "/" + i);
      }
    }
  }

  private static JsonNode variable(JsonNode root, String name) {
    for (JsonNode v : root.path("templating").path("list")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    return null;
  }

  private static List<JsonNode> allPanels(JsonNode root) {
    List<JsonNode> out = new ArrayList<>();
    collect(root.path("panels"), out);
    return out;
  }

  private static void collect(JsonNode panels, List<JsonNode> out) {
    for (JsonNode p : panels) {
      out.add(p);
      collect(p.path("panels"), out);
    }
  }

  private static JsonNode read(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(p.toString(), e);
    }
  }
}
