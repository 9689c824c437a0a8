package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalProcess;
import org.bmpexporter.testing.ExternalProcess.Result;
import org.bmpexporter.testing.ExternalTools;
import org.bmpexporter.testing.Promtool;
import org.bmpexporter.testing.RequiresTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests with the tools that can check them without a cluster: the generator
 * (python3) writes exactly the committed files, promtool accepts the PrometheusRule's groups, and
 * kubectl's built-in Kustomize renders the directory.
 */
@ComponentTest
class KubernetesToolsTest {
  private static final long TIMEOUT_SECONDS = 120;

  @Test
  @RequiresTool(value = "python3", debianPackage = "python3")
  void generatorWritesExactlyTheCommittedFiles(@TempDir Path out) throws Exception {
    Result run =
        run(
            List.of(
                ExternalTools.require("python3", "python3").toString(),
                KubernetesManifests.GENERATOR.toString(),
                out.toString()));
    assertThat(run.exitCode()).as(run.output()).isZero();
    for (Path committed :
        List.of(KubernetesManifests.PROMETHEUS_RULE, KubernetesManifests.DASHBOARDS)) {
      assertThat(Files.readString(out.resolve(committed.getFileName())))
          .as(committed + " is stale: run python3 " + KubernetesManifests.GENERATOR)
          .isEqualTo(Files.readString(committed));
    }
  }

  @Test
  @RequiresTool(value = "promtool", debianPackage = "prometheus")
  void promtoolAcceptsThePrometheusRuleGroups(@TempDir Path dir) throws IOException {
    JsonNode rule = KubernetesManifests.documents(KubernetesManifests.PROMETHEUS_RULE).get(0);
    ObjectNode rulesFile = JsonNodeFactory.instance.objectNode();
    rulesFile.set("groups", rule.path("spec").path("groups"));
    Path file = dir.resolve("prometheusrule-groups.yml");
    RuleFiles.YAML.writeValue(file.toFile(), rulesFile);
    Promtool.Result result =
        Promtool.run(Promtool.DEFAULT_TIMEOUT, "check", "rules", file.toString());
    assertThat(result.exitCode()).as(result.describe()).isZero();
  }

  @Test
  @RequiresTool(value = "kubectl", debianPackage = "kubernetes-client")
  void kustomizeRendersEveryObjectInTheNamespace() throws Exception {
    Result run =
        run(
            List.of(
                ExternalTools.require("kubernetes-client", "kubectl").toString(),
                "kustomize",
                KubernetesManifests.DIR.toString()));
    assertThat(run.exitCode()).as(run.output()).isZero();
    List<JsonNode> rendered = KubernetesManifests.documents(run.output(), "kubectl kustomize");
    String namespace = RuleFiles.yaml(KubernetesManifests.KUSTOMIZATION).path("namespace").asText();

    // every object of the files, and the generated configuration ConfigMap (hash suffix)
    Set<String> expected = new TreeSet<>();
    KubernetesManifests.objects().forEach(o -> expected.add(id(o)));
    Set<String> actual = new TreeSet<>();
    String configMap = null;
    for (JsonNode o : rendered) {
      String name = o.path("metadata").path("name").asText();
      if (o.path("kind").asText().equals("ConfigMap") && name.startsWith("bmp-exporter-config-")) {
        configMap = name;
        assertThat(o.path("data").has("config.yml")).as(name).isTrue();
        continue;
      }
      actual.add(id(o));
      if (!o.path("kind").asText().equals("Namespace")) {
        assertThat(o.path("metadata").path("namespace").asText())
            .as(id(o) + " namespace")
            .isEqualTo(namespace);
      }
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(configMap).as("generated config ConfigMap").isNotNull();

    // the Deployment mounts the generated ConfigMap under its new name
    List<String> mounted = new ArrayList<>();
    for (JsonNode o : rendered) {
      if (o.path("kind").asText().equals("Deployment")) {
        for (JsonNode v : o.path("spec").path("template").path("spec").path("volumes")) {
          mounted.add(v.path("configMap").path("name").asText());
        }
      }
    }
    assertThat(mounted).contains(configMap);
  }

  private static String id(JsonNode o) {
    return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
  }

  /** Runs the command in the project directory, bounded in time; stdout and stderr together. */
  private static Result run(List<String> command) throws IOException, InterruptedException {
    return ExternalProcess.run(Duration.ofSeconds(TIMEOUT_SECONDS), command);
  }
}
