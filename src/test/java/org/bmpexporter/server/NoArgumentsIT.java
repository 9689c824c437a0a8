package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.Promtool;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged jar started with no arguments at all (the README's run command): it listens for BMP
 * on 11019 and serves /metrics on 9324 with the embedded defaults. These are fixed ports, so the
 * test is skipped when something else holds them.
 */
@Tag("interop")
@Timeout(120)
class NoArgumentsIT {

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void runsWithTheEmbeddedDefaultConfiguration() throws Exception {
    Path jar = Path.of("target/bmp-exporter.jar");
    assertThat(jar).as("packaged jar (mvn package)").exists();
    Assumptions.assumeTrue(
        free(11019) && free(9324),
        "ports 11019 or 9324 in use on this machine: default-configuration test skipped");
    Path log = Files.createTempFile("bmp-exporter-noargs", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      Scrape.await(
          Duration.ofSeconds(60),
          "/readyz on the default port 9324",
          () -> {
            try {
              return http.send(
                          HttpRequest.newBuilder(URI.create("http://127.0.0.1:9324/readyz"))
                              .timeout(Duration.ofSeconds(2))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode()
                  == 200;
            } catch (Exception e) {
              return false;
            }
          });
      try (Socket s = new Socket("127.0.0.1", 11019)) {
        s.getOutputStream().write(Bmp.initiation("noargs-router", "default port test"));
        Scrape.await(
            Duration.ofSeconds(20),
            "the router on the default BMP port",
            () ->
                !Scrape.http(9324).find("bmp_router_info", "sys_name", "noargs-router").isEmpty());
      }
      Scrape m = Scrape.http(9324);
      assertThat(m.value("bmp_sessions_accepted_total")).isEqualTo(1);
      Promtool.checkMetrics(m.text());
      // The jar logs (a logger is packaged), and the default start-up warm-up runs and ends.
      Scrape.await(
          Duration.ofSeconds(30),
          "the warm-up's log line",
          () -> {
            try {
              return Files.readString(log).contains("decode path warmed up");
            } catch (java.io.IOException e) {
              return false;
            }
          });
      assertThat(Files.readString(log))
          .doesNotContain("No SLF4J providers")
          .contains("listening for BMP on 0.0.0.0:11019")
          .contains("serving metrics on http://0.0.0.0:9324/metrics")
          .contains("initiation: sysName \"noargs-router\"");
    } finally {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      if (p.exitValue() != 0 && p.exitValue() != 143) {
        System.out.println(Files.readString(log));
      }
      Files.deleteIfExists(log);
    }
  }
}
