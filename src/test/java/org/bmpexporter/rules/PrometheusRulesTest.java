package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bmpexporter.rules.RuleFiles.Rule;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus rules (prometheus/alerts.yml, recording.yml), their promtool unit tests
 * (prometheus/tests/*.yml), the example config and the runbook. Runs promtool as a subprocess;
 * skipped with an install hint when promtool is missing.
 */
@ComponentTest
class PrometheusRulesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  @Test
  void promtoolCheckRulesPasses() {
    var result =
        Promtool.run(
            TIMEOUT, "check", "rules", RuleFiles.ALERTS.toString(), RuleFiles.RECORDING.toString());
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.output()).as(result.describe()).doesNotContain("FAILED");
  }

  @Test
  void promtoolCheckConfigPassesAndLoadsBothRuleFiles() {
    var result = Promtool.run(TIMEOUT, "check", "config", RuleFiles.PROMETHEUS_CONFIG.toString());
    assertThat(result.exitCode()).as(result.describe()).isZero();
    // rule_files are resolved relative to the config file and checked too
    assertThat(result.output())
        .as(result.describe())
        .contains("2 rule files found", "alerts.yml", "recording.yml");
  }

  @Test
  void promtoolUnitTestsPass() {
    List<Path> files = RuleFiles.testFiles();
    assertThat(files).as("promtool unit test files in " + RuleFiles.TESTS_DIR).isNotEmpty();
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    files.forEach(f -> args.add(f.toString()));
    var result = Promtool.run(TIMEOUT, args);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    for (Path f : files) {
      assertThat(result.output()).as(result.describe()).contains("Unit Testing:  " + f);
    }
    assertThat(result.output()).as(result.describe()).doesNotContain("FAILED");
  }

  /** The unit tests are not vacuous: breaking a rule makes them fail. */
  @Test
  void unitTestsFailWhenARuleIsBroken(@TempDir Path tmp) throws IOException {
    Promtool.require();
    Map<String, String[]> mutations = new TreeMap<>();
    mutations.put(
        "router down never fires", new String[] {"bmp_router_up == 0", "bmp_router_up == 42"});
    mutations.put("max-prefix ignores new counters", new String[] {"offset 15m", "offset 0m"});
    mutations.put(
        "limit flag ignored",
        new String[] {"(bmp_router_limit_reached) == 1", "(bmp_router_limit_reached) == 42"});
    mutations.put(
        "limit drops ignored",
        new String[] {
          "(bmp_router_dropped_total[15m])) > 0", "(bmp_router_dropped_total[15m])) > 1e9"
        });
    mutations.put(
        "route drop threshold ignored",
        new String[] {
          "> on () group_left ()\n                  bmp:route_count_drop:threshold_ratio", "> 0"
        });
    mutations.put(
        "max-prefix headroom of down peers",
        new String[] {
          "(bmp_peer_up == 1)\n          )\n          * on (router) group_left (sys_name)",
          "(bmp_peer_up >= 0)\n          )\n          * on (router) group_left (sys_name)"
        });
    mutations.put(
        "watched prefix missing where it never was",
        new String[] {
          "bmp:watch_prefix_present:last_timestamp_seconds{rib=~", "bmp_watch_prefix_present{rib=~"
        });
    mutations.put(
        "forward drops ignored",
        new String[] {
          "increase(bmp_forward_dropped_messages_total[10m]) > 0",
          "increase(bmp_forward_dropped_messages_total[10m]) > 1e9"
        });
    for (var m : mutations.entrySet()) {
      Path dir = tmp.resolve(m.getKey().replace(' ', '_'));
      Path tests = Files.createDirectories(dir.resolve("tests"));
      String alerts = Files.readString(RuleFiles.ALERTS);
      assertThat(alerts).as("mutation anchor for " + m.getKey()).contains(m.getValue()[0]);
      Files.writeString(
          dir.resolve("alerts.yml"), alerts.replace(m.getValue()[0], m.getValue()[1]));
      Files.copy(RuleFiles.RECORDING, dir.resolve("recording.yml"));
      List<String> args = new ArrayList<>(List.of("test", "rules"));
      for (Path f : RuleFiles.testFiles()) {
        Path copy = tests.resolve(f.getFileName());
        Files.copy(f, copy);
        args.add(copy.toString());
      }
      var result = Promtool.run(TIMEOUT, args);
      assertThat(result.exitCode())
          .as(
              "promtool test rules should fail for the mutation '"
                  + m.getKey()
                  + "'\n"
                  + result.describe())
          .isNotZero();
      assertThat(result.output()).contains("FAILED");
    }
  }

  @Test
  void everyAlertHasFiringAndNotFiringUnitTestCases() {
    Map<String, int[]> cases = new HashMap<>(); // alertname -> {firing, not firing}
    for (Path f : RuleFiles.testFiles()) {
      for (JsonNode test : RuleFiles.yaml(f).path("tests")) {
        for (JsonNode c : test.path("alert_rule_test")) {
          int[] counts = cases.computeIfAbsent(c.path("alertname").asText(), k -> new int[2]);
          JsonNode exp = c.path("exp_alerts");
          counts[exp.isArray() && !exp.isEmpty() ? 0 : 1]++;
        }
      }
    }
    List<Rule> alerts = alerts();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(9);
    for (Rule alert : alerts) {
      int[] counts = cases.getOrDefault(alert.name(), new int[2]);
      assertThat(counts[0])
          .as("alert_rule_test cases where %s fires (non-empty exp_alerts)", alert.name())
          .isPositive();
      assertThat(counts[1])
          .as("alert_rule_test cases where %s does not fire (empty exp_alerts)", alert.name())
          .isPositive();
    }
    Set<String> names = new LinkedHashSet<>();
    alerts.forEach(a -> names.add(a.name()));
    assertThat(names).as("unit tests name only existing alerts").containsAll(cases.keySet());
  }

  @Test
  void theIssuesAlertsAreAllThere() {
    assertThat(alerts().stream().map(Rule::name))
        .contains(
            "BmpRouterDown",
            "BmpPeerDown",
            "BmpPeerFlapping",
            "BmpMaxPrefixReached",
            "BmpRouteCountDrop",
            "BmpRouteCountMismatch",
            "BmpStatisticsStale",
            "BmpDecodeErrors",
            "BmpExporterDown");
  }

  @Test
  void everyRecordingRuleHasAUnitTest() {
    Set<String> tested = new LinkedHashSet<>();
    for (Path f : RuleFiles.testFiles()) {
      for (JsonNode test : RuleFiles.yaml(f).path("tests")) {
        for (JsonNode c : test.path("promql_expr_test")) {
          tested.addAll(PromqlNames.metricNames(c.path("expr").asText()));
        }
      }
    }
    List<Rule> records = RuleFiles.rules(RuleFiles.RECORDING);
    assertThat(records).isNotEmpty();
    for (Rule r : records) {
      assertThat(r.alert()).as("recording.yml holds recording rules only: " + r.name()).isFalse();
      assertThat(tested).as("a promql_expr_test evaluates " + r.name()).contains(r.name());
    }
  }

  @Test
  void everyAlertHasSeverityAndAnnotations() {
    for (Rule alert : alerts()) {
      JsonNode labels = alert.node().path("labels");
      JsonNode annotations = alert.node().path("annotations");
      assertThat(labels.path("severity").asText())
          .as("%s labels.severity", alert.name())
          .isIn(SEVERITIES);
      for (String a : List.of("summary", "description", "runbook")) {
        assertThat(annotations.path(a).asText())
            .as("%s annotations.%s", alert.name(), a)
            .isNotBlank();
      }
      assertThat(alert.node().path("expr").asText()).as("%s expr", alert.name()).isNotBlank();
    }
  }

  @Test
  void alertDescriptionsNameTheRouterAndPeer() {
    for (Rule alert : alerts()) {
      String expr = alert.expr();
      String description = alert.node().path("annotations").path("description").asText();
      if (expr.contains("router")) {
        assertThat(expr)
            .as("%s joins the router's sysName", alert.name())
            .contains("group_left (sys_name) bmp:router_info:sys_name");
        assertThat(description)
            .as("%s description", alert.name())
            .contains("{{ $labels.sys_name }}", "{{ $labels.router }}");
      }
      if (expr.contains("bmp_peer")
          || expr.contains("bmp_routes")
          || expr.contains("stat_minus_exporter")) {
        assertThat(expr)
            .as("%s joins the peer's AS", alert.name())
            .contains("group_left (peer_as) bmp:peer_info:peer_as");
        assertThat(description)
            .as("%s description", alert.name())
            .contains("{{ $labels.peer }}", "{{ $labels.peer_as }}");
      }
    }
  }

  @Test
  void runbookAnnotationsPointAtExistingSections() {
    Set<String> anchors = RuleFiles.markdownAnchors(RuleFiles.RUNBOOK);
    for (Rule alert : alerts()) {
      String runbook = alert.node().path("annotations").path("runbook").asText();
      assertThat(runbook).as("%s runbook", alert.name()).contains("#");
      String file = runbook.substring(0, runbook.indexOf('#'));
      String anchor = runbook.substring(runbook.indexOf('#') + 1);
      assertThat(Path.of(file)).as("%s runbook file", alert.name()).isEqualTo(RuleFiles.RUNBOOK);
      assertThat(anchor)
          .as("%s runbook anchor", alert.name())
          .isEqualTo(RuleFiles.githubSlug(alert.name()));
      assertThat(anchors).as("headings of " + RuleFiles.RUNBOOK).contains(anchor);
    }
  }

  @Test
  void runbookHasOneSectionPerAlertAndNoStaleOnes() throws IOException {
    List<String> sections =
        Files.readAllLines(RuleFiles.RUNBOOK).stream()
            .filter(l -> l.startsWith("## "))
            .map(l -> l.substring(3).strip())
            .toList();
    List<String> names = alerts().stream().map(Rule::name).toList();
    assertThat(sections).containsExactlyInAnyOrderElementsOf(names);
    for (String name : names) {
      String text = Files.readString(RuleFiles.RUNBOOK);
      int start = text.indexOf("## " + name + "\n");
      int end = text.indexOf("\n## ", start + 1);
      String section = text.substring(start, end < 0 ? text.length() : end);
      assertThat(section)
          .as("runbook section " + name)
          .contains("**What it means.**", "**What to check", "**Likely causes.**");
    }
  }

  @Test
  void rulesReferenceOnlyKnownMetrics() {
    Set<String> known = PromqlNames.allKnownMetrics(RuleFiles.METRICS_LIST);
    List<Rule> all = new ArrayList<>(RuleFiles.rules(RuleFiles.ALERTS));
    all.addAll(RuleFiles.rules(RuleFiles.RECORDING));
    for (Rule r : all) {
      Set<String> used = PromqlNames.metricNames(r.expr());
      assertThat(known)
          .as("metrics used by %s (%s), listed in %s", r.name(), used, RuleFiles.METRICS_LIST)
          .containsAll(used);
    }
    // and the annotation templates' queries
    for (Rule r : alerts()) {
      r.node()
          .path("annotations")
          .forEach(
              a -> {
                var m =
                    java.util.regex.Pattern.compile("printf \"([^\"{]+)\\{|query \"([a-z_:]+)\"")
                        .matcher(a.asText());
                while (m.find()) {
                  String name = m.group(1) != null ? m.group(1) : m.group(2);
                  assertThat(known)
                      .as("metric queried in an annotation of " + r.name())
                      .contains(name);
                }
              });
    }
  }

  @Test
  void recordingRuleNamesFollowLevelMetricOperations() {
    for (Rule r : RuleFiles.rules(RuleFiles.RECORDING)) {
      assertThat(r.name()).as("recording rule name").matches("bmp:[a-z0-9_]+(:[a-z0-9_]+)?");
    }
    assertThat(RuleFiles.rules(RuleFiles.RECORDING).stream().map(Rule::name))
        .as("names the dashboards and the issue rely on")
        .contains("bmp:routes:sum_by_router_rib", "bmp:routes_filtered_by_policy");
  }

  @Test
  void alertNamesAreUniqueAndCamelCase() {
    List<String> names = alerts().stream().map(Rule::name).toList();
    assertThat(names).doesNotHaveDuplicates();
    assertThat(names).allMatch(n -> n.matches("Bmp[A-Z][A-Za-z]+"), "BmpCamelCase");
  }

  @Test
  void exampleConfigScrapesTheDefaultWebPortAndLoadsTheRules() {
    JsonNode config = RuleFiles.yaml(RuleFiles.PROMETHEUS_CONFIG);
    List<String> ruleFiles = new ArrayList<>();
    config.path("rule_files").forEach(n -> ruleFiles.add(n.asText()));
    assertThat(ruleFiles).containsExactlyInAnyOrder("alerts.yml", "recording.yml");
    for (String rf : ruleFiles) {
      assertThat(RuleFiles.PROMETHEUS_CONFIG.resolveSibling(rf)).exists();
    }
    List<String> targets = new ArrayList<>();
    for (JsonNode job : config.path("scrape_configs")) {
      if (job.path("job_name").asText().contains("bmp")) {
        job.path("static_configs")
            .forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
      }
    }
    assertThat(targets).containsExactly("localhost:9324");
  }

  @Test
  void unitTestFilesLoadTheRuleFilesByRelativePath() {
    for (Path f : RuleFiles.testFiles()) {
      JsonNode ruleFiles = RuleFiles.yaml(f).path("rule_files");
      assertThat(ruleFiles.isArray() && !ruleFiles.isEmpty()).as(f + " rule_files").isTrue();
      ruleFiles.forEach(
          rf ->
              assertThat(f.resolveSibling(rf.asText()).normalize()).as(f + " rule file").exists());
    }
    try (Stream<Path> s = Files.list(RuleFiles.TESTS_DIR)) {
      assertThat(s.filter(p -> !p.toString().endsWith(".yml")).toList())
          .as("only .yml files in " + RuleFiles.TESTS_DIR + " (promtool is given *.yml)")
          .isEmpty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Rule> alerts() {
    return RuleFiles.rules(RuleFiles.ALERTS).stream().filter(Rule::alert).toList();
  }
}
