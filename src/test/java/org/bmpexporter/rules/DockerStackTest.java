package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalTools;
import org.bmpexporter.testing.Promtool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static checks of the Docker stack (docker/): there is no Docker engine on the development
 * machine, so the stack is validated by reading its files. Relative paths in compose.yml resolve
 * against docker/.
 */
@ComponentTest
class DockerStackTest {
  /** The exporter's default ports (BMP listener, HTTP /metrics and /healthz). */
  static final int BMP_PORT = 11019;

  static final int WEB_PORT = 9324;

  private static final Path COMPOSE = RuleFiles.DOCKER_DIR.resolve("compose.yml");
  private static final Path DOCKERFILE = RuleFiles.DOCKER_DIR.resolve("Dockerfile");
  private static final Path COMPOSE_PROMETHEUS = RuleFiles.DOCKER_DIR.resolve("prometheus.yml");
  private static final Path FRR_DIR = RuleFiles.DOCKER_DIR.resolve("frr");
  private static final Path BGPD = Path.of("/usr/lib/frr/bgpd");

  @Test
  void composeParsesAndHasTheServices() {
    JsonNode services = compose().path("services");
    assertThat(fieldNames(services)).contains("exporter", "prometheus", "grafana", "frr");
    assertThat(services.path("prometheus").path("image").asText()).startsWith("prom/prometheus");
    assertThat(services.path("grafana").path("image").asText()).startsWith("grafana/grafana");
    assertThat(services.path("frr").path("image").asText()).startsWith("quay.io/frrouting/frr");
    for (String name : fieldNames(services)) {
      JsonNode s = services.path(name);
      assertThat(s.has("image") || s.has("build"))
          .as("service " + name + " has an image or a build")
          .isTrue();
      if (name.startsWith("frr")) {
        assertThat(texts(s.path("profiles")))
            .as("service " + name + " profiles")
            .contains("router");
      } else {
        assertThat(s.has("profiles")).as("service " + name + " starts by default").isFalse();
      }
    }
  }

  @Test
  void everyLocalFileOrDirectoryReferencedExists() {
    JsonNode compose = compose();
    Set<String> namedVolumes = fieldNames(compose.path("volumes"));
    int checked = 0;
    for (String name : fieldNames(compose.path("services"))) {
      JsonNode s = compose.path("services").path(name);
      if (s.has("build")) {
        Path context =
            RuleFiles.DOCKER_DIR.resolve(s.path("build").path("context").asText(".")).normalize();
        assertThat(context).as(name + " build context").isDirectory();
        assertThat(context.resolve("pom.xml"))
            .as(name + " build context holds the Maven project")
            .exists();
        Path dockerfile =
            context.resolve(s.path("build").path("dockerfile").asText("Dockerfile")).normalize();
        assertThat(dockerfile).as(name + " dockerfile").isRegularFile();
        assertThat(dockerfile.toAbsolutePath()).isEqualTo(DOCKERFILE.toAbsolutePath().normalize());
        checked++;
      }
      for (JsonNode v : s.path("volumes")) {
        String source = v.isTextual() ? v.asText().split(":")[0] : v.path("source").asText();
        if (source.startsWith(".") || source.startsWith("/")) {
          Path p = RuleFiles.DOCKER_DIR.resolve(source).normalize();
          assertThat(p).as(name + " volume source " + source + " (relative to docker/)").exists();
          checked++;
        } else {
          assertThat(namedVolumes)
              .as(name + " named volume " + source + " is declared")
              .contains(source);
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(8);
  }

  @Test
  void exporterPublishesTheDefaultPorts() {
    JsonNode exporter = compose().path("services").path("exporter");
    Map<Integer, Integer> ports = new LinkedHashMap<>(); // container -> host
    for (JsonNode p : exporter.path("ports")) {
      if (p.isTextual()) {
        String[] parts = p.asText().replace("/tcp", "").split(":");
        int container = Integer.parseInt(parts[parts.length - 1]);
        int host = parts.length > 1 ? Integer.parseInt(parts[parts.length - 2]) : container;
        ports.put(container, host);
      } else {
        ports.put(p.path("target").asInt(), p.path("published").asInt(p.path("target").asInt()));
      }
    }
    assertThat(ports)
        .containsEntry(BMP_PORT, BMP_PORT)
        .containsEntry(WEB_PORT, WEB_PORT)
        .hasSize(2);
  }

  @Test
  void prometheusScrapesTheExporterByAServiceNameOrAlias() {
    JsonNode config = RuleFiles.yaml(COMPOSE_PROMETHEUS);
    List<String> targets = new ArrayList<>();
    for (JsonNode job : config.path("scrape_configs")) {
      if (job.path("job_name").asText().matches(".*bmp.*")) {
        job.path("static_configs").forEach(sc -> targets.addAll(texts(sc.path("targets"))));
      }
    }
    assertThat(targets)
        .as("bmp scrape targets in " + COMPOSE_PROMETHEUS)
        .containsExactly("bmp-exporter:" + WEB_PORT);
    String host = targets.get(0).split(":")[0];
    assertThat(exporterHostNames()).as("names that reach the exporter container").contains(host);
  }

  @Test
  void prometheusGetsItsConfigAndTheRuleFiles() {
    JsonNode prometheus = compose().path("services").path("prometheus");
    Map<String, String> mounts = bindMounts(prometheus); // container path -> source
    String configArg =
        texts(prometheus.path("command")).stream()
            .filter(c -> c.startsWith("--config.file="))
            .findFirst()
            .orElse("--config.file=/etc/prometheus/prometheus.yml")
            .substring("--config.file=".length());
    assertThat(mounts).containsEntry(configArg, "./prometheus.yml");
    List<String> ruleGlobs = texts(RuleFiles.yaml(COMPOSE_PROMETHEUS).path("rule_files"));
    assertThat(ruleGlobs).isNotEmpty();
    Set<Path> mountedRules = new LinkedHashSet<>();
    for (var m : mounts.entrySet()) {
      for (String glob : ruleGlobs) {
        if (FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(m.getKey()))) {
          mountedRules.add(RuleFiles.DOCKER_DIR.resolve(m.getValue()).normalize());
        }
      }
    }
    assertThat(mountedRules)
        .as("rule files mounted where rule_files " + ruleGlobs + " finds them")
        .containsExactlyInAnyOrder(RuleFiles.ALERTS.normalize(), RuleFiles.RECORDING.normalize());
  }

  @Test
  void composePrometheusConfigPassesPromtool() {
    var result =
        Promtool.run(Duration.ofSeconds(60), "check", "config", COMPOSE_PROMETHEUS.toString());
    assertThat(result.exitCode()).as(result.describe()).isZero();
  }

  @Test
  void grafanaGetsProvisioningDashboardsAndTheDataSourceUrl() {
    JsonNode grafana = compose().path("services").path("grafana");
    Map<String, String> mounts = bindMounts(grafana);
    assertThat(mounts).containsEntry("/etc/grafana/provisioning", "../grafana/provisioning");
    JsonNode provider =
        RuleFiles.yaml(Path.of("grafana/provisioning/dashboards/bmp.yml")).path("providers").get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    String dashboardsPath = provider.path("options").path("path").asText();
    assertThat(dashboardsPath).isEqualTo("/var/lib/grafana/dashboards");
    assertThat(mounts).containsEntry(dashboardsPath, "../grafana/dashboards");

    JsonNode ds =
        RuleFiles.yaml(Path.of("grafana/provisioning/datasources/prometheus.yml"))
            .path("datasources")
            .get(0);
    assertThat(ds.path("type").asText()).isEqualTo("prometheus");
    assertThat(ds.path("uid").asText()).isNotBlank();
    Matcher env = Pattern.compile("^\\$\\{?([A-Z_]+)\\}?$").matcher(ds.path("url").asText());
    assertThat(env.matches()).as("data source url from an environment variable").isTrue();
    String url = grafana.path("environment").path(env.group(1)).asText();
    assertThat(url).isEqualTo("http://prometheus:9090");
  }

  @Test
  void dockerfileBuildsRunsAsNonRootAndChecksHealth() throws IOException {
    List<String> lines = dockerfileInstructions();
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0)).matches("FROM maven:3\\.9-eclipse-temurin-17 AS build");
    assertThat(froms.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");
    assertThat(lines)
        .anyMatch(l -> l.startsWith("RUN ") && l.contains("mvn -B -DskipTests package"));
    assertThat(lines)
        .as("Error Prone needs .mvn/jvm.config in the build")
        .contains("COPY .mvn ./.mvn");
    // the pom puts them into the jar; a build without them ships a jar without its licence
    assertThat(lines).contains("COPY LICENSE NOTICE ./");
    assertThat(Files.readAllLines(Path.of("docker/Dockerfile.dockerignore")))
        .contains("!LICENSE", "!NOTICE");

    // only the instructions of the final stage matter for USER / EXPOSE / HEALTHCHECK
    List<String> last = lines.subList(lines.indexOf(froms.get(1)), lines.size());
    List<String> users = last.stream().filter(l -> l.startsWith("USER ")).toList();
    assertThat(users).as("USER in the runtime stage").isNotEmpty();
    String user = users.get(users.size() - 1).substring(5).strip().split(":")[0];
    assertThat(user).as("runtime user").isNotIn("root", "0");

    Set<Integer> exposed = new LinkedHashSet<>();
    last.stream()
        .filter(l -> l.startsWith("EXPOSE "))
        .forEach(
            l -> {
              for (String p : l.substring(7).strip().split("\\s+")) {
                exposed.add(Integer.parseInt(p.replace("/tcp", "")));
              }
            });
    assertThat(exposed).containsExactlyInAnyOrder(BMP_PORT, WEB_PORT);

    List<String> health = last.stream().filter(l -> l.startsWith("HEALTHCHECK ")).toList();
    assertThat(health).hasSize(1);
    assertThat(health.get(0)).contains("http://localhost:" + WEB_PORT + "/healthz");
    for (String tool : List.of("curl", "wget")) {
      if (health.get(0).matches(".*CMD\\s+" + tool + "\\b.*")) {
        assertThat(last)
            .as(tool + " is installed in the runtime image for the HEALTHCHECK")
            .anyMatch(
                l ->
                    l.startsWith("RUN ")
                        && l.matches(
                            ".*(apt-get|apk|microdnf|dnf|yum) .*install.*\\b" + tool + "\\b.*"));
      }
    }

    String pom = Files.readString(Path.of("pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertThat(finalName.find()).as("pom.xml finalName").isTrue();
    assertThat(last)
        .anyMatch(
            l ->
                l.startsWith("COPY --from=build ")
                    && l.contains("/target/" + finalName.group(1) + ".jar "));
  }

  @Test
  void frrRouterSendsBmpToTheExporter() throws IOException {
    JsonNode frr = compose().path("services").path("frr");
    Map<String, String> mounts = bindMounts(frr);
    assertThat(mounts).containsEntry("/etc/frr/daemons", "./frr/daemons");
    assertThat(mounts.values()).contains("./frr/bgpd.conf");

    String daemons = Files.readString(FRR_DIR.resolve("daemons"));
    assertThat(daemons).containsPattern("(?m)^bgpd=yes$");
    assertThat(daemons).containsPattern("(?m)^bgpd_options=\"[^\"]*-M bmp[^\"]*\"$");

    String bgpd = Files.readString(FRR_DIR.resolve("bgpd.conf"));
    assertThat(bgpd).containsPattern("(?m)^\\s*bmp targets \\S+");
    Matcher connect = Pattern.compile("(?m)^\\s*bmp connect (\\S+) port (\\d+)").matcher(bgpd);
    assertThat(connect.find()).as("bmp connect line").isTrue();
    assertThat(Integer.parseInt(connect.group(2))).isEqualTo(BMP_PORT);
    assertThat(exporterHostNames()).contains(connect.group(1));
    assertThat(bgpd).containsPattern("(?m)^\\s*bmp monitor ipv4 unicast (pre|post)-policy");

    // live data: the peer originates routes with network statements and peers with frr
    String peer = Files.readString(FRR_DIR.resolve("peer-bgpd.conf"));
    assertThat(peer).containsPattern("(?m)^\\s*network \\S+");
    String frrAddress = frr.path("networks").path("default").path("ipv4_address").asText();
    String peerAddress =
        compose()
            .path("services")
            .path("frr-peer")
            .path("networks")
            .path("default")
            .path("ipv4_address")
            .asText();
    assertThat(bgpd).contains("neighbor " + peerAddress + " remote-as");
    assertThat(peer).contains("neighbor " + frrAddress + " remote-as");
  }

  /** Parses the FRR configs with the real bgpd (dry run); needs FRR (ExternalTools policy). */
  @Test
  void frrConfigsParseWithBgpd(@TempDir Path tmp) throws Exception {
    if (!Files.isExecutable(BGPD)) {
      ExternalTools.missing(
          BGPD
              + " not found: install FRR (`apt-get install frr`) to check docker/frr/*.conf with bgpd -C");
    }
    for (String conf : List.of("bgpd.conf", "peer-bgpd.conf")) {
      Path out = tmp.resolve(conf + ".out");
      List<String> cmd =
          List.of(
              BGPD.toString(),
              "-C",
              "-f",
              FRR_DIR.resolve(conf).toAbsolutePath().toString(),
              "-M",
              "bmp",
              "-Z",
              "-n",
              "-S",
              "-p",
              "0",
              "-P",
              "0",
              "--vty_socket",
              tmp.toString(),
              "-i",
              tmp.resolve("bgpd.pid").toString(),
              "-u",
              "root",
              "-g",
              "root",
              "--log",
              "stdout");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("bgpd -C did not finish in 60 s: " + cmd);
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      Assumptions.assumeFalse(
          output.contains("privs_init") || output.contains("not part of vty group"),
          "bgpd cannot run here (privileges): " + output);
      assertThat(p.exitValue()).as(conf + ": " + output).isZero();
      assertThat(output)
          .as("bgpd -C " + conf)
          .doesNotContainIgnoringCase("No such command")
          .doesNotContainIgnoringCase("Unknown command")
          .doesNotContainIgnoringCase("error");
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The exporter service's name and its network aliases. */
  private static Set<String> exporterHostNames() {
    Set<String> names = new LinkedHashSet<>(List.of("exporter"));
    compose()
        .path("services")
        .path("exporter")
        .path("networks")
        .forEach(n -> names.addAll(texts(n.path("aliases"))));
    return names;
  }

  /** Bind mounts of a service: container path to source as written. */
  private static Map<String, String> bindMounts(JsonNode service) {
    Map<String, String> mounts = new LinkedHashMap<>();
    for (JsonNode v : service.path("volumes")) {
      if (v.isTextual()) {
        String[] parts = v.asText().split(":");
        if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
          mounts.put(parts[1], parts[0]);
        }
      } else if ("bind".equals(v.path("type").asText())) {
        mounts.put(v.path("target").asText(), v.path("source").asText());
      }
    }
    return mounts;
  }

  /** Dockerfile instructions with continuation lines joined and comments dropped. */
  private static List<String> dockerfileInstructions() throws IOException {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : Files.readAllLines(DOCKERFILE)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      out.add(current.toString().replaceAll("\\s+", " ").strip());
      current.setLength(0);
    }
    return out;
  }

  private static JsonNode compose() {
    return RuleFiles.yaml(COMPOSE);
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new LinkedHashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }
}
