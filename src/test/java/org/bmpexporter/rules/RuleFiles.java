package org.bmpexporter.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Paths of the monitoring content and small readers shared by the tests. */
final class RuleFiles {
  static final Path ALERTS = Path.of("prometheus/alerts.yml");
  static final Path RECORDING = Path.of("prometheus/recording.yml");
  static final Path PROMETHEUS_CONFIG = Path.of("prometheus/prometheus.yml");
  static final Path TESTS_DIR = Path.of("prometheus/tests");
  static final Path RUNBOOK = Path.of("docs/runbook.md");
  static final Path METRICS_LIST = Path.of("docs/metrics.txt");
  static final Path DASHBOARDS_DIR = Path.of("grafana/dashboards");
  static final Path DOCKER_DIR = Path.of("docker");

  static final YAMLMapper YAML = new YAMLMapper();

  /** One rule of a rules file. */
  record Rule(String group, String name, boolean alert, JsonNode node) {
    String expr() {
      return node.path("expr").asText();
    }
  }

  private RuleFiles() {}

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  static List<Rule> rules(Path file) {
    List<Rule> rules = new ArrayList<>();
    for (JsonNode group : yaml(file).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        boolean alert = rule.has("alert");
        rules.add(
            new Rule(
                group.path("name").asText(),
                alert ? rule.path("alert").asText() : rule.path("record").asText(),
                alert,
                rule));
      }
    }
    return rules;
  }

  static List<Path> testFiles() {
    try (Stream<Path> s = Files.list(TESTS_DIR)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> dashboards() {
    try (Stream<Path> s = Files.list(DASHBOARDS_DIR)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GitHub's anchors for the Markdown headings of a file. */
  static Set<String> markdownAnchors(Path file) {
    Set<String> anchors = new LinkedHashSet<>();
    try {
      boolean fenced = false;
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("```")) {
          fenced = !fenced;
        }
        if (!fenced && line.matches("#{1,6} .*")) {
          anchors.add(githubSlug(line.replaceFirst("#{1,6} ", "")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return anchors;
  }

  /** GitHub's heading slug: lower case, punctuation dropped, spaces to dashes. */
  static String githubSlug(String heading) {
    String s = heading.strip().toLowerCase(Locale.ROOT);
    s = s.replaceAll("[^\\p{L}\\p{N} _-]", "");
    return s.replace(' ', '-');
  }
}
