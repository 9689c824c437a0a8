package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmpexporter.metrics.Families;
import org.bmpexporter.metrics.MetricFamily;
import org.bmpexporter.rules.RuleFiles.Rule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.txt, the list of metric names the rules and dashboards may use, and the README's
 * metrics table, both checked against the families the exporter declares ({@link Families}).
 */
class MetricsListTest {
  /** The metrics contract in the project's shared notes, beside the project when present. */
  private static final Path CONTRACT = Path.of("../shared/METRICS.md");

  private static final Path README = Path.of("README.md");

  /** docs/metrics.txt section of contract names not declared in the code yet. */
  private static final String PENDING = "pending";

  @Test
  void hasTheExpectedSections() {
    Map<String, Set<String>> sections = PromqlNames.knownMetrics(RuleFiles.METRICS_LIST);
    assertThat(sections.keySet().stream().filter(k -> !k.equals(PENDING)))
        .containsExactly("contract", "recording", "jvm", "prometheus");
    assertThat(sections.get("contract")).allMatch(n -> n.startsWith("bmp_"), "bmp_ prefix");
    assertThat(sections.get("contract"))
        .contains("bmp_routes", "bmp_peer_downs_total", "bmp_router_up");
    assertThat(sections.get("jvm"))
        .contains(
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds_count",
            "jvm_gc_pause_seconds_sum",
            "process_cpu_usage");
    assertThat(sections.get("prometheus")).contains("up");
  }

  @Test
  void recordingSectionListsExactlyTheRecordingRules() {
    Set<String> recorded = new LinkedHashSet<>();
    for (Rule r : RuleFiles.rules(RuleFiles.RECORDING)) {
      recorded.add(r.name());
    }
    assertThat(PromqlNames.knownMetrics(RuleFiles.METRICS_LIST).get("recording"))
        .containsExactlyInAnyOrderElementsOf(recorded);
  }

  /** Counters are listed with _total; no name may carry a type word (promtool check metrics). */
  @Test
  void contractNamesFollowTheConventions() {
    for (String name : PromqlNames.knownMetrics(RuleFiles.METRICS_LIST).get("contract")) {
      assertThat(name).doesNotContain("counter", "gauge").matches("bmp_[a-z0-9_]+");
    }
  }

  /**
   * Series issue 10 names that the contract file does not list yet: item 4's path marking counter
   * ("bmp_route_path_status_total or similar") and item 6's route policy trace events.
   */
  private static final Set<String> ISSUE_SERIES =
      Set.of("bmp_route_path_status_total", "bmp_route_policy_trace_events_total");

  @Test
  void contractSectionMatchesMetricsMd() throws IOException {
    Assumptions.assumeTrue(
        Files.isRegularFile(CONTRACT),
        CONTRACT.toAbsolutePath().normalize()
            + " not beside the project; docs/metrics.txt not compared");
    // METRICS.md has the series of the first release, then a section of additions that later
    // issues fix: every first-release series must exist, and nothing about routers, peers or
    // sessions may exist that the contract does not name in either section.
    Set<String> series = new LinkedHashSet<>();
    Set<String> additions = new LinkedHashSet<>();
    Pattern row = Pattern.compile("^\\|\\s*(`bmp_[^|]*)\\|");
    Pattern name = Pattern.compile("`(bmp_[a-z0-9_]+)`");
    Set<String> section = series;
    for (String line : Files.readAllLines(CONTRACT)) {
      if (line.startsWith("## Additions")) {
        section = additions;
      }
      Matcher r = row.matcher(line);
      if (r.find()) {
        Matcher n = name.matcher(r.group(1));
        while (n.find()) {
          section.add(n.group(1));
        }
      }
    }
    assertThat(series).as("metric names in the Series table of " + CONTRACT).hasSizeGreaterThan(20);
    Set<String> ours =
        new LinkedHashSet<>(PromqlNames.knownMetrics(RuleFiles.METRICS_LIST).get("contract"));
    assertThat(ours).containsAll(series);
    Set<String> named = new LinkedHashSet<>(series);
    named.addAll(additions);
    // series an issue names that the contract file does not list yet
    named.addAll(ISSUE_SERIES);
    // The exporter's own self-observation series (bmp_exporter_*, about the process, not about
    // routers) may go beyond the contract; every router, peer and session series may not.
    Set<String> beyond = new LinkedHashSet<>(ours);
    beyond.removeAll(named);
    assertThat(beyond).allMatch(n -> n.startsWith("bmp_exporter_"), "exporter self-observation");
  }

  /**
   * [pending]: names the contract fixes (its additions) that rules or dashboards use before the
   * exporter declares them. Each must be a contract name, and none may be declared already: then it
   * belongs in [contract].
   */
  @Test
  void pendingNamesAreContractAdditionsNotDeclaredYet() throws IOException {
    Set<String> pending =
        PromqlNames.knownMetrics(RuleFiles.METRICS_LIST).getOrDefault(PENDING, Set.of());
    Set<String> declared = new LinkedHashSet<>();
    Families.ALL.forEach(f -> declared.add(f.name()));
    for (String name : pending) {
      assertThat(declared)
          .as(
              "%s is declared in Families now: move it from [pending] to [contract] in %s",
              name, RuleFiles.METRICS_LIST)
          .doesNotContain(name);
    }
    if (Files.isRegularFile(CONTRACT) && !pending.isEmpty()) {
      String contract = Files.readString(CONTRACT);
      for (String name : pending) {
        assertThat(contract)
            .as("[pending] name %s in %s", name, CONTRACT)
            .contains("`" + name + "`");
      }
    }
  }

  @Test
  void contractSectionListsExactlyTheDeclaredFamilies() {
    assertThat(PromqlNames.knownMetrics(RuleFiles.METRICS_LIST).get("contract"))
        .containsExactlyInAnyOrderElementsOf(
            Families.ALL.stream().map(MetricFamily::name).toList());
  }

  /** A row of the README's metrics table, or a declared family in the same terms. */
  record Documented(String name, String type, List<String> labels) {}

  @Test
  void readmeTableDocumentsExactlyTheDeclaredFamilies() throws IOException {
    List<Documented> declared = new ArrayList<>();
    for (MetricFamily f : Families.ALL) {
      declared.add(new Documented(f.name(), f.type().textType(), f.labelNames()));
    }
    assertThat(readmeMetricsTable()).containsExactlyInAnyOrderElementsOf(declared);
  }

  /** The "| metric | type | labels | meaning |" table under "## Metrics". */
  private static List<Documented> readmeMetricsTable() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int section = lines.indexOf("## Metrics");
    assertThat(section).as("a '## Metrics' section in README.md").isNotNegative();
    int header = section + 1;
    while (header < lines.size()
        && !lines.get(header).startsWith("## ")
        && !lines.get(header).startsWith("| metric | type | labels |")) {
      header++;
    }
    assertThat(header < lines.size() && lines.get(header).startsWith("| metric"))
        .as("a '| metric | type | labels | meaning |' table in README's Metrics section")
        .isTrue();
    // Label values are documented in parentheses after their label: only backticked names outside
    // parentheses are labels.
    Pattern valuesInParentheses = Pattern.compile("\\([^)]*\\)");
    Pattern backticked = Pattern.compile("`([^`]+)`");
    List<Documented> rows = new ArrayList<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|", -1);
      assertThat(cells.length).as("cells of README line " + (i + 1)).isGreaterThanOrEqualTo(5);
      List<String> labels = new ArrayList<>();
      Matcher label = backticked.matcher(valuesInParentheses.matcher(cells[3]).replaceAll(""));
      while (label.find()) {
        labels.add(label.group(1));
      }
      rows.add(new Documented(cells[1].strip().replace("`", ""), cells[2].strip(), labels));
    }
    assertThat(rows).as("rows of the README metrics table").isNotEmpty();
    return rows;
  }
}
