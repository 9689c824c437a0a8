package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalProcess;
import org.bmpexporter.testing.ExternalProcess.Result;
import org.bmpexporter.testing.ExternalTools;
import org.bmpexporter.testing.Promtool;
import org.bmpexporter.testing.RequiresTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring mixin (mixin/) renders exactly the committed prometheus/alerts.yml,
 * prometheus/recording.yml and grafana/dashboards/*.json, and its config reaches the rendered rules
 * and dashboards.
 */
@ComponentTest
@RequiresTool(value = "jsonnet", debianPackage = "jsonnet")
class MixinTest {
  private static final Path MIXIN = Path.of("mixin");
  private static final Path GENERATOR = MIXIN.resolve("generate.sh");
  private static final long TIMEOUT_SECONDS = 120;

  @Test
  void generatorWritesExactlyTheCommittedFiles(@TempDir Path out) throws Exception {
    Result run =
        run(
            List.of("sh", GENERATOR.toString(), out.toString()),
            ExternalTools.require("jsonnet", "jsonnet").toString());
    assertThat(run.exitCode()).as(run.output()).isZero();

    List<Path> expected = new ArrayList<>(List.of(RuleFiles.ALERTS, RuleFiles.RECORDING));
    expected.addAll(jsonFiles(RuleFiles.DASHBOARDS_DIR));
    assertThat(jsonFiles(out.resolve(RuleFiles.DASHBOARDS_DIR)))
        .as("dashboards the mixin renders")
        .containsExactlyElementsOf(
            jsonFiles(RuleFiles.DASHBOARDS_DIR).stream()
                .map(p -> out.resolve(RuleFiles.DASHBOARDS_DIR).resolve(p.getFileName()))
                .toList());
    for (Path committed : expected) {
      Path generated = out.resolve(committed);
      assertThat(Files.mismatch(generated, committed))
          .as(
              committed
                  + " differs from what the mixin renders (first differing byte; -1 is equal):"
                  + " run sh mixin/generate.sh, then python3 deploy/kubernetes/generate.py")
          .isEqualTo(-1L);
    }
  }

  /** Config overrides reach the output: a stricter job selector and other thresholds. */
  @Test
  void configOverridesReachTheRulesAndDashboards(@TempDir Path dir) throws Exception {
    Path program = dir.resolve("custom.jsonnet");
    Files.writeString(
        program,
        """
        local mixin = (import 'mixin.libsonnet') + {
          _config+:: {
            jobSelector: 'job="bmp-exporter"',
            routeCountDrop+: { thresholdRatio: 0.3 },
            maxPrefixApproaching+: { thresholdRoutes: 500 },
            watchedPrefix+: { missingFor: '15m' },
            runbookURLPattern: 'https://wiki.example.com/bmp#%s',
          },
        };
        local yaml = import 'lib/rules_yaml.libsonnet';
        {
          'alerts.yml': yaml.render('custom', mixin.prometheusAlerts),
          'recording.yml': yaml.render('custom', mixin.prometheusRules),
          'health-exprs.txt': std.join('\\n', [
            t.expr
            for p in mixin.grafanaDashboards['bmp-exporter-health.json'].panels
            for t in std.get(p, 'targets', [])
          ]),
        }
        """);
    Result run =
        run(
            List.of(
                ExternalTools.require("jsonnet", "jsonnet").toString(),
                "-J",
                MIXIN.toString(),
                "-S",
                "-m",
                dir.toString(),
                program.toString()),
            null);
    assertThat(run.exitCode()).as(run.output()).isZero();

    String alerts = Files.readString(dir.resolve("alerts.yml"));
    assertThat(alerts)
        .contains("up{job=\"bmp-exporter\"} == 0")
        .contains("runbook: 'https://wiki.example.com/bmp#bmppeerdown'")
        .doesNotContain(".*bmp.*");
    assertThat(Files.readString(dir.resolve("recording.yml")))
        .contains("- record: bmp:route_count_drop:threshold_ratio\n        expr: vector(0.3)")
        .contains(
            "- record: bmp:max_prefix_approaching:threshold_routes\n        expr: vector(500)");
    assertThat(alerts)
        .as("BmpWatchedPrefixMissing's for: from the config")
        .containsPattern(
            "alert: BmpWatchedPrefixMissing\\n        expr: \\|\\n(?: {10}.*\\n)+        for: 15m\\n");
    String health = Files.readString(dir.resolve("health-exprs.txt"));
    assertThat(health)
        .contains("up{job=\"bmp-exporter\", instance=~\"$instance\"}")
        .doesNotContain(".*bmp.*");

    // what the overrides render is still a valid rules file
    if (Promtool.find().isEmpty()) {
      ExternalTools.skipPart("promtool check rules of the overridden mixin: promtool missing");
      return;
    }
    Promtool.Result check =
        Promtool.run(
            Promtool.DEFAULT_TIMEOUT,
            "check",
            "rules",
            dir.resolve("alerts.yml").toString(),
            dir.resolve("recording.yml").toString());
    assertThat(check.exitCode()).as(check.describe()).isZero();
  }

  private static List<Path> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(new TreeSet<>(s.filter(p -> p.toString().endsWith(".json")).toList()));
    }
  }

  /**
   * Runs the command in the project directory, bounded in time, with $JSONNET set when given;
   * stdout and stderr together.
   */
  private static Result run(List<String> command, String jsonnet)
      throws IOException, InterruptedException {
    return ExternalProcess.run(
        null,
        jsonnet == null ? Map.of() : Map.of("JSONNET", jsonnet),
        Duration.ofSeconds(TIMEOUT_SECONDS),
        command);
  }
}
