package org.bmpexporter.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the main sources: which package may use which
 * (imports and fully qualified names alike), no cycle between packages, and the exporter runnable
 * without the load generator. Read from the source text, so a new dependency fails here before
 * review.
 */
class PackageDependenciesTest {
  private static final Path MAIN = Path.of("src/main/java/org/bmpexporter");
  private static final Pattern REFERENCE =
      Pattern.compile("\\borg\\.bmpexporter\\.([a-z]+(?:\\.[a-z]+)*)");
  private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

  /** Each package and what it may use; the table of docs/architecture.md. */
  private static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("codec", Set.of());
    ALLOWED.put("bgp", Set.of("codec"));
    ALLOWED.put("bgp.encode", Set.of("codec", "bgp"));
    ALLOWED.put("wire", Set.of("codec", "bgp"));
    ALLOWED.put("wire.encode", Set.of("codec", "bgp", "bgp.encode", "wire"));
    ALLOWED.put("capture", Set.of("codec"));
    ALLOWED.put("config", Set.of("codec"));
    ALLOWED.put("state", Set.of("codec", "bgp", "wire"));
    ALLOWED.put("session", Set.of("codec", "bgp", "wire", "state"));
    ALLOWED.put("metrics", Set.of("codec", "bgp", "wire", "state"));
    ALLOWED.put("forward", Set.of("codec", "wire", "config", "session", "metrics"));
    ALLOWED.put("synthetic", Set.of("codec", "bgp", "bgp.encode", "wire", "wire.encode"));
    ALLOWED.put("openbmp", Set.of("codec"));
    ALLOWED.put(
        "kafka",
        Set.of("codec", "wire", "config", "state", "session", "metrics", "forward", "openbmp"));
    ALLOWED.put(
        "server",
        Set.of(
            "codec",
            "bgp",
            "wire",
            "config",
            "state",
            "session",
            "metrics",
            "forward",
            "kafka",
            "synthetic"));
    ALLOWED.put(
        "loadgen",
        Set.of("codec", "bgp", "bgp.encode", "wire", "wire.encode", "synthetic", "capture"));
    ALLOWED.put(
        "cli",
        Set.of(
            "codec",
            "bgp",
            "wire",
            "capture",
            "config",
            "state",
            "session",
            "metrics",
            "server",
            "synthetic",
            "loadgen"));
  }

  /** package -> packages its sources refer to (itself excluded). */
  static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
        String code =
            STRING.matcher(COMMENT.matcher(Files.readString(f)).replaceAll(" ")).replaceAll("\"\"");
        Set<String> mine = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          String target = packageOf(m.group(1));
          if (!target.equals(pkg)) {
            mine.add(target);
          }
        }
      }
    }
    return deps;
  }

  /** The longest known package that prefixes a reference ("wire.encode.BmpEncoder" -> ...). */
  private static String packageOf(String reference) {
    String best = reference.split("\\.")[0];
    for (String p : ALLOWED.keySet()) {
      if (reference.startsWith(p + ".") && p.length() > best.length()) {
        best = p;
      }
    }
    return best;
  }

  @Test
  void everyPackageUsesOnlyWhatItsLayerAllows() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    assertThat(deps.keySet())
        .as("packages in the table of docs/architecture.md")
        .containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
    List<String> violations = new ArrayList<>();
    deps.forEach(
        (pkg, uses) -> {
          for (String u : uses) {
            if (!ALLOWED.get(pkg).contains(u)) {
              violations.add(pkg + " -> " + u);
            }
          }
        });
    assertThat(violations).isEmpty();
  }

  @Test
  void noCycleBetweenPackages() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    List<String> cycles = new ArrayList<>();
    for (String start : deps.keySet()) {
      findCycle(start, start, deps, new ArrayList<>(List.of(start)), cycles);
    }
    assertThat(cycles).isEmpty();
  }

  private static void findCycle(
      String start,
      String at,
      Map<String, Set<String>> deps,
      List<String> path,
      List<String> cycles) {
    for (String next : deps.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        cycles.add(String.join(" -> ", path) + " -> " + start);
      } else if (!path.contains(next) && next.compareTo(start) > 0) { // each cycle once
        path.add(next);
        findCycle(start, next, deps, path, cycles);
        path.remove(path.size() - 1);
      }
    }
  }

  @Test
  void theExporterDoesNotNeedTheLoadGenerator() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    for (String pkg :
        List.of("server", "session", "state", "metrics", "synthetic", "wire", "bgp")) {
      assertThat(deps.get(pkg)).as(pkg).doesNotContain("loadgen");
    }
  }

  @Test
  void theCheckSeesQualifiedNamesAndImportsAlike() {
    assertThat(packageOf("wire.encode.BmpEncoder")).isEqualTo("wire.encode");
    assertThat(packageOf("wire.BmpDecoder")).isEqualTo("wire");
    assertThat(packageOf("loadgen.Scenario")).isEqualTo("loadgen");
    Matcher m = REFERENCE.matcher("x = new org.bmpexporter.loadgen.Scenario();");
    assertThat(m.find()).isTrue();
    assertThat(packageOf(m.group(1))).isEqualTo("loadgen");
  }
}
