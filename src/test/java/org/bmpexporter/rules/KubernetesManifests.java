package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the Kubernetes manifests of deploy/kubernetes (and kubectl's rendering of them). */
final class KubernetesManifests {
  static final Path DIR = Path.of("deploy/kubernetes");
  static final Path KUSTOMIZATION = DIR.resolve("kustomization.yaml");
  static final Path GENERATOR = DIR.resolve("generate.py");
  static final Path PROMETHEUS_RULE = DIR.resolve("prometheusrule.yaml");
  static final Path DASHBOARDS = DIR.resolve("grafana-dashboards.yaml");

  private KubernetesManifests() {}

  /** The YAML documents of a file or of rendered text (empty documents left out). */
  static List<JsonNode> documents(String yaml, String source) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = RuleFiles.YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + source, e);
    }
    return docs;
  }

  static List<JsonNode> documents(Path file) {
    try {
      return documents(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The resource files of the directory: every *.yaml but the kustomization. */
  static List<Path> resourceFiles() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".yaml"))
          .filter(p -> !p.equals(KUSTOMIZATION))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + DIR, e);
    }
  }

  /** Every object of every resource file. */
  static List<JsonNode> objects() {
    List<JsonNode> all = new ArrayList<>();
    for (Path file : resourceFiles()) {
      all.addAll(documents(file));
    }
    return all;
  }

  /** The one object of that kind and name. */
  static JsonNode object(String kind, String name) {
    List<JsonNode> found =
        objects().stream()
            .filter(o -> o.path("kind").asText().equals(kind))
            .filter(o -> o.path("metadata").path("name").asText().equals(name))
            .toList();
    assertThat(found).as(kind + " " + name + " in " + DIR).hasSize(1);
    return found.get(0);
  }

  /** The only container of the Deployment's pod template. */
  static JsonNode container(JsonNode deployment) {
    JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
    assertThat(containers.size()).as("containers of the Deployment").isEqualTo(1);
    return containers.get(0);
  }

  /** The container port a Service or probe names (by name or number). */
  static int containerPort(JsonNode container, JsonNode port) {
    if (port.isInt()) {
      return port.asInt();
    }
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals(port.asText())) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError("container has no port named " + port);
  }

  /** Whether every label of {@code selector} is on {@code labels} with the same value. */
  static boolean selects(JsonNode selector, JsonNode labels) {
    if (selector.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : selector.properties()) {
      if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  /**
   * A Prometheus configuration (snake_case keys, as in prometheus.yml) in prometheus-operator's
   * spelling (camelCase: source_labels is sourceLabels).
   */
  static JsonNode camelCase(JsonNode node) {
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> out.add(camelCase(n)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(e -> out.set(camel(e.getKey()), camelCase(e.getValue())));
      return out;
    }
    return node;
  }

  private static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean upper = false;
    for (int i = 0; i < snake.length(); i++) {
      char c = snake.charAt(i);
      if (c == '_') {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }

  /** The scrape job of prometheus/prometheus.yml with that name. */
  static JsonNode prometheusJob(String jobName) {
    for (JsonNode job : RuleFiles.yaml(RuleFiles.PROMETHEUS_CONFIG).path("scrape_configs")) {
      if (job.path("job_name").asText().equals(jobName)) {
        return job;
      }
    }
    throw new AssertionError("prometheus/prometheus.yml has no job " + jobName);
  }
}
