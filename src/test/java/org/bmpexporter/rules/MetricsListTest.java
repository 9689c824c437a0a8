package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmpexporter.rules.RuleFiles.Rule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** docs/metrics.txt, the list of metric names the rules and dashboards may use. */
class MetricsListTest {
  /** The metrics contract in the project's shared notes, beside the project when present. */
  private static final Path CONTRACT = Path.of("../shared/METRICS.md");

  @Test
  void hasTheExpectedSections() {
    Map<String, Set<String>> sections = PromqlNames.knownMetrics(RuleFiles.METRICS_LIST);
    assertThat(sections.keySet()).containsExactly("contract", "recording", "jvm", "prometheus");
    assertThat(sections.get("contract")).allMatch(n -> n.startsWith("bmp_"), "bmp_ prefix");
    assertThat(sections.get("contract")).contains("bmp_routes", "bmp_peer_downs_total", "bmp_router_up");
    assertThat(sections.get("jvm"))
        .contains("jvm_memory_used_bytes", "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum", "process_cpu_usage");
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

  @Test
  void contractSectionMatchesMetricsMd() throws IOException {
    Assumptions.assumeTrue(
        Files.isRegularFile(CONTRACT),
        CONTRACT.toAbsolutePath().normalize() + " not beside the project; docs/metrics.txt not compared");
    Set<String> fromContract = new LinkedHashSet<>();
    Pattern row = Pattern.compile("^\\|\\s*(`bmp_[^|]*)\\|");
    Pattern name = Pattern.compile("`(bmp_[a-z0-9_]+)`");
    for (String line : Files.readAllLines(CONTRACT)) {
      Matcher r = row.matcher(line);
      if (r.find()) {
        Matcher n = name.matcher(r.group(1));
        while (n.find()) {
          fromContract.add(n.group(1));
        }
      }
    }
    assertThat(fromContract).as("metric names in the table of " + CONTRACT).hasSizeGreaterThan(20);
    assertThat(PromqlNames.knownMetrics(RuleFiles.METRICS_LIST).get("contract"))
        .containsExactlyInAnyOrderElementsOf(fromContract);
  }
}
