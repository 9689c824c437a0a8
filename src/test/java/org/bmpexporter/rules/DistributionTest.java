package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bmpexporter.config.ConfigLoader;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalTools;
import org.bmpexporter.testing.RequiresTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive (docs/install.md) as a user unpacks it: the layout, the example
 * configuration, the systemd unit as systemd itself checks it, and the launcher starting a real
 * exporter.
 */
@ComponentTest
@Timeout(120)
class DistributionTest {
  @TempDir static Path unpacked;
  static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive;
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      archive =
          s.filter(p -> p.getFileName().toString().endsWith("-dist.tar.gz"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("run after package: no *-dist.tar.gz"));
    }
    Process tar =
        new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString())
            .directory(unpacked.toFile())
            .inheritIO()
            .start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).isZero();
    try (Stream<Path> s = Files.list(unpacked)) {
      home = s.findFirst().orElseThrow();
    }
    assertThat(home.getFileName().toString()).startsWith("bmp-exporter-");
  }

  @Test
  void theArchiveHoldsTheJarALauncherTheUnitAndTheMonitoringFiles() {
    for (String f :
        List.of(
            "lib/bmp-exporter.jar",
            "bin/bmp-exporter",
            "etc/config.yml",
            "systemd/bmp-exporter.service",
            "prometheus/alerts.yml",
            "prometheus/recording.yml",
            "grafana/dashboards/bmp-overview.json",
            "mixin/mixin.libsonnet",
            "mixin/generate.sh",
            "docs/install.md",
            "docs/runbook.md",
            "LICENSE",
            "NOTICE")) {
      assertThat(home.resolve(f)).as(f).isRegularFile();
    }
    assertThat(Files.isExecutable(home.resolve("bin/bmp-exporter"))).isTrue();
    assertThat(home.resolve("grafana/schema-check")).as("build tool, not shipped").doesNotExist();
  }

  @Test
  void theExampleConfigurationLoads() {
    ExporterConfig c = ConfigLoader.load(home.resolve("etc/config.yml"), ExporterConfig.defaults());
    assertThat(c.bmpListen()).hasSize(1);
    assertThat(c.bmpListen().get(0).port()).isEqualTo(11019);
    assertThat(c.webListen().port()).isEqualTo(9324);
  }

  /** systemd's own checks: the unit parses, and its sandboxing rates "OK" (below 2.0). */
  @Test
  @RequiresTool(value = "systemd-analyze", debianPackage = "systemd")
  void theSystemdUnitVerifiesAndIsSandboxed() throws Exception {
    // installed as docs/install.md says, only under the unpacked directory
    String unit =
        Files.readString(home.resolve("systemd/bmp-exporter.service"))
            .replace("/etc/bmp-exporter/config.yml", home.resolve("etc/config.yml").toString())
            .replace("/etc/bmp-exporter", home.resolve("etc").toString())
            .replace("/opt/bmp-exporter", home.toString());
    assertThat(unit).contains("DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict");
    Path file = unpacked.resolve("bmp-exporter.service");
    Files.writeString(file, unit);
    Path analyze = ExternalTools.require("systemd", "systemd-analyze");
    Run verify = run(List.of(analyze.toString(), "verify", file.toString()));
    assertThat(verify.code()).as(verify.output()).isZero();
    assertThat(verify.output()).as("no warnings").isBlank();
    Run security = run(List.of(analyze.toString(), "security", "--offline=true", file.toString()));
    Matcher m =
        Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)").matcher(security.output());
    assertThat(m.find()).as(security.output()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isLessThan(2.0);
  }

  @Test
  void theLauncherRunsTheExporterAndExitsOnOutOfMemory() throws Exception {
    Path config = unpacked.resolve("loopback.yml");
    Files.writeString(
        config,
        "bmp:\n  listen: [\"127.0.0.1:0\"]\nweb:\n  listen: \"127.0.0.1:0\"\n",
        StandardCharsets.UTF_8);
    Path log = unpacked.resolve("launcher.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                home.resolve("bin/bmp-exporter").toString(),
                "--config",
                config.toString(),
                "--no-warmup")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("JAVA_OPTS", "-Xmx128m");
    Process p = pb.start();
    try {
      int port = webPort(log, p);
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      // the launcher execs the JVM: same process, with the options it promises
      String cmdline =
          Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
      assertThat(cmdline).contains("-XX:+ExitOnOutOfMemoryError", "-Xmx128m", "bmp-exporter.jar");
    } finally {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static int webPort(Path log, Process p) throws IOException, InterruptedException {
    Pattern serving = Pattern.compile("serving metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log);
      Matcher m = serving.matcher(text);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(p.isAlive()).as("launcher still running; log:\n%s", text).isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("no 'serving metrics' line within 60 s:\n" + Files.readString(log));
  }

  private record Run(int code, String output) {}

  private static Run run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }
}
