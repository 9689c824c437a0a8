package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.rules.KubernetesManifests.DIR;
import static org.bmpexporter.rules.KubernetesManifests.container;
import static org.bmpexporter.rules.KubernetesManifests.containerPort;
import static org.bmpexporter.rules.KubernetesManifests.object;
import static org.bmpexporter.rules.KubernetesManifests.selects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bmpexporter.config.ConfigLoader;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of deploy/kubernetes, read as YAML: there is no cluster to apply them
 * to, so these tests check what matters about each object, and that the generated PrometheusRule
 * and dashboard ConfigMaps hold exactly the shipped rules and dashboards. KubernetesToolsTest
 * renders them with kubectl and checks the generator's bytes.
 */
class KubernetesManifestsTest {
  private static final int BMP_PORT = DockerStackTest.BMP_PORT;
  private static final int WEB_PORT = DockerStackTest.WEB_PORT;
  private static final String HTTP_SERVICE = "bmp-exporter-http";
  private static final String BMP_SERVICE = "bmp-exporter-bmp";

  @Test
  void everyManifestParsesAsKubernetesObjects() {
    assertThat(KubernetesManifests.resourceFiles()).hasSizeGreaterThanOrEqualTo(8);
    for (Path file : KubernetesManifests.resourceFiles()) {
      List<JsonNode> docs = KubernetesManifests.documents(file);
      assertThat(docs).as(file + " documents").isNotEmpty();
      for (JsonNode doc : docs) {
        assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").isNotBlank();
        assertThat(doc.path("kind").asText()).as(file + " kind").isNotBlank();
        assertThat(doc.path("metadata").path("name").asText())
            .as(file + " metadata.name")
            .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        // the namespace comes from the kustomization alone
        assertThat(doc.path("metadata").has("namespace")).as(file + " namespace").isFalse();
      }
    }
  }

  @Test
  void everyObjectFitsTheAnnotationOfAClientSideApply() throws IOException {
    // kubectl apply (client-side) keeps a copy of the object, as JSON, in an annotation, and the
    // API server refuses an object whose annotations exceed 256 KiB: a big dashboard would fail
    ObjectMapper json = new ObjectMapper();
    for (JsonNode o : KubernetesManifests.objects()) {
      assertThat(json.writeValueAsBytes(o).length)
          .as(o.path("kind").asText() + " " + o.path("metadata").path("name").asText())
          .isLessThan(256 * 1024 - 1024);
    }
  }

  @Test
  void kustomizationListsEveryFile() throws IOException {
    JsonNode kustomization = RuleFiles.yaml(KubernetesManifests.KUSTOMIZATION);
    Set<String> listed = new LinkedHashSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    for (JsonNode generator : kustomization.path("configMapGenerator")) {
      generator.path("files").forEach(f -> listed.add(f.asText()));
    }
    Set<String> present = new LinkedHashSet<>();
    try (Stream<Path> files = Files.list(DIR)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("kustomization.yaml") && !n.equals("generate.py"))
          .forEach(present::add);
    }
    assertThat(listed)
        .as("files the kustomization lists")
        .containsExactlyInAnyOrderElementsOf(present);
    assertThat(kustomization.path("namespace").asText()).isEqualTo(namespace());
  }

  @Test
  void bmpServiceIsALoadBalancerThatKeepsRouterAddresses() {
    JsonNode service = object("Service", BMP_SERVICE);
    JsonNode spec = service.path("spec");
    assertThat(spec.path("type").asText()).isEqualTo("LoadBalancer");
    assertThat(spec.path("externalTrafficPolicy").asText()).isEqualTo("Local");
    assertThat(spec.path("ports")).hasSize(1);
    JsonNode port = spec.path("ports").get(0);
    assertThat(port.path("port").asInt()).isEqualTo(BMP_PORT);
    assertThat(port.path("protocol").asText("TCP")).isEqualTo("TCP");
    JsonNode deployment = deployment();
    assertThat(containerPort(container(deployment), port.path("targetPort"))).isEqualTo(BMP_PORT);
    assertThat(selects(spec.path("selector"), podLabels(deployment))).isTrue();
  }

  @Test
  void httpServiceIsClusterInternal() {
    JsonNode spec = object("Service", HTTP_SERVICE).path("spec");
    assertThat(spec.path("type").asText("ClusterIP")).isEqualTo("ClusterIP");
    JsonNode port = spec.path("ports").get(0);
    assertThat(port.path("name").asText()).isEqualTo("http");
    assertThat(port.path("port").asInt()).isEqualTo(WEB_PORT);
    assertThat(containerPort(container(deployment()), port.path("targetPort"))).isEqualTo(WEB_PORT);
    assertThat(selects(spec.path("selector"), podLabels(deployment()))).isTrue();
  }

  @Test
  void probesHitHealthzAndReadyzOnTheWebPort() {
    JsonNode container = container(deployment());
    JsonNode liveness = container.path("livenessProbe").path("httpGet");
    JsonNode readiness = container.path("readinessProbe").path("httpGet");
    JsonNode startup = container.path("startupProbe").path("httpGet");
    assertThat(liveness.path("path").asText()).isEqualTo("/healthz");
    assertThat(readiness.path("path").asText()).isEqualTo("/readyz");
    assertThat(startup.path("path").asText()).isEqualTo("/healthz");
    for (JsonNode probe : List.of(liveness, readiness, startup)) {
      assertThat(containerPort(container, probe.path("port"))).isEqualTo(WEB_PORT);
    }
  }

  @Test
  void oneReplicaReplacedNotRolled() {
    JsonNode spec = deployment().path("spec");
    assertThat(spec.path("replicas").asInt()).isEqualTo(1);
    assertThat(spec.path("strategy").path("type").asText()).isEqualTo("Recreate");
  }

  @Test
  void containerRunsAsTheImagesNonRootUserAndExitsOnOutOfMemory() throws IOException {
    JsonNode deployment = deployment();
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = container(deployment);
    JsonNode security = container.path("securityContext");
    Matcher user =
        Pattern.compile("(?m)^USER (\\d+)")
            .matcher(Files.readString(RuleFiles.DOCKER_DIR.resolve("Dockerfile")));
    assertThat(user.find()).as("USER in docker/Dockerfile").isTrue();
    assertThat(pod.path("securityContext").path("runAsUser").asText()).isEqualTo(user.group(1));
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(texts(security.path("capabilities").path("drop"))).containsExactly("ALL");

    String javaOptions = "";
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().equals("JAVA_TOOL_OPTIONS")) {
        javaOptions = env.path("value").asText();
      }
    }
    assertThat(javaOptions)
        .contains("-XX:+ExitOnOutOfMemoryError")
        .contains("-XX:MaxRAMPercentage=");
    assertThat(container.path("resources").path("limits").path("memory").asText()).isNotBlank();

    // a read-only root file system: /tmp must be a writable volume
    String tmpVolume = mountedVolume(container, "/tmp");
    assertThat(volume(pod, tmpVolume).has("emptyDir")).as("volume for /tmp").isTrue();
    // the image docker/ builds (compose names it so)
    JsonNode compose = RuleFiles.yaml(RuleFiles.DOCKER_DIR.resolve("compose.yml"));
    assertThat(container.path("image").asText())
        .isEqualTo(compose.path("services").path("exporter").path("image").asText());
  }

  @Test
  void configFileIsMountedAndValid() {
    JsonNode container = container(deployment());
    JsonNode pod = deployment().path("spec").path("template").path("spec");
    List<String> args = texts(container.path("args"));
    int config = args.indexOf("--config");
    assertThat(config).as("--config in " + args).isNotNegative();
    Path configPath = Path.of(args.get(config + 1));
    String configVolume = mountedVolume(container, configPath.getParent().toString());
    String configMap = volume(pod, configVolume).path("configMap").path("name").asText();

    JsonNode generator = null;
    for (JsonNode g :
        RuleFiles.yaml(KubernetesManifests.KUSTOMIZATION).path("configMapGenerator")) {
      if (g.path("name").asText().equals(configMap)) {
        generator = g;
      }
    }
    assertThat(generator).as("configMapGenerator " + configMap).isNotNull();
    assertThat(texts(generator.path("files"))).contains(configPath.getFileName().toString());

    // the file the pod reads is a valid configuration with the ports the Services use
    ExporterConfig loaded =
        ConfigLoader.load(DIR.resolve(configPath.getFileName()), ExporterConfig.defaults());
    assertThat(loaded.bmp().listen()).extracting(HostPort::port).containsExactly(BMP_PORT);
    assertThat(loaded.web().listen().port()).isEqualTo(WEB_PORT);
    // router series come from the per-router targets (ScrapeConfig)
    assertThat(loaded.web().fullMetrics()).isFalse();
  }

  @Test
  void serviceMonitorScrapesTheHttpServiceAsThePrometheusExampleDoes() {
    JsonNode spec = object("ServiceMonitor", "bmp-exporter").path("spec");
    JsonNode matchLabels = spec.path("selector").path("matchLabels");
    assertThat(
            selects(matchLabels, object("Service", HTTP_SERVICE).path("metadata").path("labels")))
        .as("ServiceMonitor selects " + HTTP_SERVICE)
        .isTrue();
    assertThat(selects(matchLabels, object("Service", BMP_SERVICE).path("metadata").path("labels")))
        .as("ServiceMonitor selects " + BMP_SERVICE)
        .isFalse();
    assertThat(spec.path("endpoints")).hasSize(1);
    JsonNode endpoint = spec.path("endpoints").get(0);
    String portName =
        object("Service", HTTP_SERVICE).path("spec").path("ports").get(0).path("name").asText();
    assertThat(endpoint.path("port").asText()).isEqualTo(portName);
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    JsonNode job = KubernetesManifests.prometheusJob("bmp-exporter");
    assertThat(endpoint.path("metricRelabelings"))
        .isEqualTo(KubernetesManifests.camelCase(job.path("metric_relabel_configs")));
    // BmpExporterDown watches up{job=~".*bmp.*"}; the job label is the Service's name
    assertThat(HTTP_SERVICE).contains("bmp");
  }

  @Test
  void scrapeConfigDiscoversRoutersFromSdAsThePrometheusExampleDoes() {
    JsonNode spec = object("ScrapeConfig", "bmp-routers").path("spec");
    assertThat(spec.path("httpSDConfigs")).hasSize(1);
    URI sd = URI.create(spec.path("httpSDConfigs").get(0).path("url").asText());
    assertThat(sd.getPath()).isEqualTo("/sd");
    // Prometheus runs in another namespace: the Service's full name
    assertThat(sd.getHost()).isEqualTo(HTTP_SERVICE + "." + namespace() + ".svc");
    assertThat(sd.getPort()).isEqualTo(WEB_PORT);

    JsonNode job = KubernetesManifests.prometheusJob("bmp-routers");
    assertThat(spec.path("jobName").asText()).isEqualTo("bmp-routers");
    assertThat(spec.path("metricsPath").asText()).isEqualTo(job.path("metrics_path").asText());
    assertThat(spec.path("sampleLimit").asLong()).isEqualTo(job.path("sample_limit").asLong());
    assertThat(spec.path("relabelings"))
        .isEqualTo(KubernetesManifests.camelCase(job.path("relabel_configs")));
  }

  @Test
  void prometheusRuleHoldsExactlyTheShippedRules() {
    JsonNode rule = object("PrometheusRule", "bmp-exporter");
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    ArrayNode expected = JsonNodeFactory.instance.arrayNode();
    expected.addAll((ArrayNode) RuleFiles.yaml(RuleFiles.ALERTS).path("groups"));
    expected.addAll((ArrayNode) RuleFiles.yaml(RuleFiles.RECORDING).path("groups"));
    assertThat(rule.path("spec").path("groups"))
        .as(
            "spec.groups of "
                + KubernetesManifests.PROMETHEUS_RULE
                + " (run python3 deploy/kubernetes/generate.py)")
        .isEqualTo(expected);
    // one PrometheusRule is one rule file for Prometheus: group names must be unique in it
    List<String> names = new ArrayList<>();
    expected.forEach(g -> names.add(g.path("name").asText()));
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void dashboardConfigMapsHoldExactlyTheShippedDashboards() throws IOException {
    List<Path> dashboards;
    try (Stream<Path> files = Files.list(RuleFiles.DASHBOARDS_DIR)) {
      dashboards = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    List<JsonNode> configMaps = KubernetesManifests.documents(KubernetesManifests.DASHBOARDS);
    assertThat(configMaps).as("ConfigMaps, one per dashboard").hasSameSizeAs(dashboards);
    for (int i = 0; i < dashboards.size(); i++) {
      Path dashboard = dashboards.get(i);
      JsonNode configMap = configMaps.get(i);
      String key = dashboard.getFileName().toString();
      assertThat(configMap.path("kind").asText()).isEqualTo("ConfigMap");
      assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText())
          .isEqualTo("1");
      assertThat(texts(fieldNames(configMap.path("data")))).as(key).containsExactly(key);
      assertThat(configMap.path("data").path(key).asText())
          .as(
              key
                  + " in "
                  + KubernetesManifests.DASHBOARDS
                  + " (run python3 deploy/kubernetes/generate.py)")
          .isEqualTo(Files.readString(dashboard));
    }
  }

  private static JsonNode deployment() {
    return object("Deployment", "bmp-exporter");
  }

  private static JsonNode podLabels(JsonNode deployment) {
    return deployment.path("spec").path("template").path("metadata").path("labels");
  }

  private static String namespace() {
    return object("Namespace", "bmp-exporter").path("metadata").path("name").asText();
  }

  private static String mountedVolume(JsonNode container, String mountPath) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(mountPath)) {
        return mount.path("name").asText();
      }
    }
    throw new AssertionError("nothing mounted at " + mountPath);
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.path("name").asText().equals(name)) {
        return volume;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static JsonNode fieldNames(JsonNode object) {
    ArrayNode names = JsonNodeFactory.instance.arrayNode();
    object.properties().forEach(e -> names.add(e.getKey()));
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
