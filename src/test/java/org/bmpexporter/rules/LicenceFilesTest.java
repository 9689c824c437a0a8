package org.bmpexporter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.bmpexporter.testing.ComponentTest;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar carries the project's LICENSE and NOTICE, and the NOTICE names every library the
 * jar bundles (found by the Maven metadata each one leaves in it), so a new dependency cannot ship
 * without its licence being listed.
 */
@ComponentTest
class LicenceFilesTest {
  static final Path JAR = Path.of("target/bmp-exporter.jar");

  @Test
  void theJarCarriesTheLicenceAndANoticeNamingEveryBundledLibrary() throws Exception {
    assertThat(JAR).as("run after package").exists();
    String notice = Files.readString(Path.of("NOTICE"), StandardCharsets.UTF_8);
    List<String> bundled = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getEntry("META-INF/bmp-exporter/LICENSE")).isNotNull();
      JarEntry n = jar.getJarEntry("META-INF/bmp-exporter/NOTICE");
      assertThat(n).isNotNull();
      assertThat(new String(jar.getInputStream(n).readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(notice);
      for (JarEntry e : jar.stream().toList()) {
        if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
          Properties p = new Properties();
          p.load(jar.getInputStream(e));
          if (!p.getProperty("artifactId").equals("bmp-exporter")) {
            bundled.add(p.getProperty("groupId") + ":" + p.getProperty("artifactId"));
          }
        }
      }
    }
    assertThat(bundled).hasSizeGreaterThan(10);
    for (String ga : bundled) {
      String group = ga.substring(0, ga.indexOf(':'));
      String artifact = ga.substring(ga.indexOf(':') + 1);
      // rows are "group:first-artifact, second-artifact, ..."
      assertThat(notice.lines())
          .as("NOTICE row for %s", ga)
          .anyMatch(l -> l.contains(group + ":") && l.matches(".*[:, ]" + artifact + "[, |].*"));
    }
    assertThat(Files.readString(Path.of("LICENSE"))).contains("Apache License").contains("2.0");
  }
}
