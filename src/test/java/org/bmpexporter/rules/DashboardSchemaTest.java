package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalProcess;
import org.bmpexporter.testing.ExternalProcess.Result;
import org.bmpexporter.testing.ExternalTools;
import org.bmpexporter.testing.RequiresTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards against Grafana's published dashboard schema: grafana/schema-check type-checks
 * each dashboard JSON with the TypeScript types of the pinned {@code @grafana/schema} releases (see
 * its schema.ts for what is checked). Its npm packages are installed from the lockfile ({@code npm
 * ci}) into grafana/schema-check/node_modules once per lockfile.
 */
@ComponentTest
@RequiresTool(
    value = {"node", "nodejs"},
    debianPackage = "nodejs")
class DashboardSchemaTest {
  private static final Path CHECKER_DIR = Path.of("grafana/schema-check");
  private static final Path LOCKFILE = CHECKER_DIR.resolve("package-lock.json");
  private static final Path NODE_MODULES = CHECKER_DIR.resolve("node_modules");

  /** A copy of the lockfile that node_modules was installed from. */
  private static final Path INSTALLED_LOCK = NODE_MODULES.resolve(".installed-package-lock.json");

  private static final long TIMEOUT_SECONDS = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void installTheCheckersPackages() throws Exception {
    if (Files.exists(INSTALLED_LOCK)
        && Files.mismatch(INSTALLED_LOCK, LOCKFILE) == -1L
        && Files.isDirectory(NODE_MODULES.resolve("typescript"))) {
      return;
    }
    Result install =
        run(
            CHECKER_DIR,
            List.of(
                ExternalTools.require("npm", "npm").toString(),
                "ci",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts"));
    assertThat(install.exitCode())
        .as("npm ci in " + CHECKER_DIR + "\n" + install.output())
        .isZero();
    Files.copy(LOCKFILE, INSTALLED_LOCK);
  }

  @Test
  void everyShippedDashboardMatchesTheSchema() throws Exception {
    List<Path> dashboards;
    try (Stream<Path> s = Files.list(RuleFiles.DASHBOARDS_DIR)) {
      dashboards = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(dashboards).hasSize(5);
    Result check = check(dashboards);
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("5 dashboard(s) match the dashboard schema of Grafana");
  }

  @Test
  void rejectsBrokenDashboards(@TempDir Path dir) throws Exception {
    Path source = RuleFiles.DASHBOARDS_DIR.resolve("bmp-overview.json");
    // file name -> a change to the valid dashboard, and what the checker must say about it
    Map<String, Breakage> broken = new LinkedHashMap<>();
    broken.put(
        "refresh-number.json",
        new Breakage(
            d -> d.put("refresh", 30), "Type 'number' is not assignable to type 'string'"));
    broken.put(
        "unknown-field.json",
        new Breakage(d -> d.put("refreshRate", "30s"), "'\"refreshRate\"' does not exist"));
    broken.put(
        "gridpos-without-w.json",
        new Breakage(
            d -> ((ObjectNode) d.path("panels").get(0).path("gridPos")).remove("w"),
            "Property 'w' is missing"));
    broken.put(
        "threshold-mode.json",
        new Breakage(
            d ->
                firstWith(d, "fieldConfig")
                    .withObjectProperty("fieldConfig")
                    .withObjectProperty("defaults")
                    .withObjectProperty("thresholds")
                    .put("mode", "absolut"),
            "Type '\"absolut\"' is not assignable"));
    broken.put(
        "legend-option.json",
        new Breakage(
            d ->
                timeseries(d)
                    .withObjectProperty("options")
                    .withObjectProperty("legend")
                    .put("displayMode", "listt"),
            "Type '\"listt\"' is not assignable"));
    broken.put(
        "unknown-panel-type.json",
        new Breakage(
            d -> timeseries(d).put("type", "graph"), "Type '\"graph\"' is not assignable"));
    List<Path> files = new ArrayList<>();
    Path valid = dir.resolve("unchanged.json");
    Files.copy(source, valid);
    files.add(valid);
    for (Map.Entry<String, Breakage> e : broken.entrySet()) {
      ObjectNode dashboard = (ObjectNode) JSON.readTree(source.toFile());
      e.getValue().change().accept(dashboard);
      Path file = dir.resolve(e.getKey());
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), dashboard);
      files.add(file);
    }

    Result check = check(files);
    assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
    List<String> lines = check.output().lines().toList();
    for (String version : List.of("11.3.0", "13.2.3")) {
      for (Map.Entry<String, Breakage> e : broken.entrySet()) {
        String prefix = "grafana " + version + ": " + dir.resolve(e.getKey()).toAbsolutePath();
        assertThat(lines)
            .as(e.getKey() + " with Grafana " + version + "\n" + check.output())
            .anyMatch(l -> l.startsWith(prefix + ":") && l.contains(e.getValue().message()));
      }
    }
    assertThat(check.output()).doesNotContain(valid.toAbsolutePath().toString());
  }

  private record Breakage(Consumer<ObjectNode> change, String message) {}

  private static ObjectNode firstWith(ObjectNode dashboard, String field) {
    for (var panel : dashboard.path("panels")) {
      if (panel.has(field)) {
        return (ObjectNode) panel;
      }
    }
    throw new AssertionError("no panel with " + field);
  }

  private static ObjectNode timeseries(ObjectNode dashboard) {
    for (var panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("timeseries")) {
        return (ObjectNode) panel;
      }
    }
    throw new AssertionError("no timeseries panel");
  }

  private static Result check(List<Path> dashboards) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ExternalTools.require("nodejs", "node", "nodejs").toString());
    command.add("check.mjs");
    dashboards.forEach(d -> command.add(d.toAbsolutePath().toString()));
    return run(CHECKER_DIR, command);
  }

  /** Runs the command in the directory, bounded in time; stdout and stderr together. */
  private static Result run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    return ExternalProcess.run(dir, Map.of(), Duration.ofSeconds(TIMEOUT_SECONDS), command);
  }
}
