package org.bmpexporter.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one policy for tests that need a program from outside the JVM (promtool, chromium, python3,
 * FRR, ...): where it is missing the test is SKIPPED with the package to install, except with
 * {@code CI=true} in the environment (or {@code -Dtools.required=true}), where it FAILS, because CI
 * installs every such tool and a silently skipped check would prove nothing.
 */
public final class ExternalTools {
  private static final String CI_SUFFIX =
      " [CI=true: a missing tool fails the build instead of skipping]";

  private ExternalTools() {}

  /** CI (env CI=true) or -Dtools.required=true: a missing tool fails instead of skipping. */
  public static boolean mustNotSkip() {
    return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("tools.required");
  }

  /** Ends the current test because a prerequisite is missing: skipped, or failed under CI. */
  public static void missing(String whatAndHowToInstall) {
    if (mustNotSkip()) {
      Assertions.fail(whatAndHowToInstall + CI_SUFFIX);
    }
    Assumptions.abort(whatAndHowToInstall);
  }

  /**
   * For one check inside a larger test: where the tool may be missing it returns (the caller leaves
   * that check out, and this says so on stderr); under CI it fails the test.
   */
  public static void skipPart(String whatAndWhy) {
    if (mustNotSkip()) {
      Assertions.fail(whatAndWhy + CI_SUFFIX);
    }
    System.err.println("SKIPPED " + whatAndWhy);
  }

  /** The program, or the end of the test through {@link #missing}. */
  public static Path require(String debianPackage, String name, String... alternatives) {
    Optional<Path> found = find(name, alternatives);
    if (found.isEmpty()) {
      missing(
          name
              + " not found (-D"
              + name
              + ", $"
              + envName(name)
              + " or PATH): apt-get install "
              + debianPackage);
    }
    return found.orElseThrow();
  }

  static Path require(String debianPackage, String[] names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("@RequiresTool names no program");
    }
    String[] alternatives = new String[names.length - 1];
    System.arraycopy(names, 1, alternatives, 0, alternatives.length);
    return require(debianPackage, names[0], alternatives);
  }

  /**
   * An explicit path in the system property named like the program ({@code -Dchromium=...}) or in
   * the environment variable of its upper-case name ({@code $PROMTOOL}, absolute paths only: some
   * programs read options from such a variable, as bzip2 does from $BZIP2) wins, even when it is
   * not executable (then nothing is found); otherwise the first of the names on PATH, /usr/sbin or
   * /sbin.
   */
  public static Optional<Path> find(String name, String... alternatives) {
    String explicit = System.getProperty(name);
    if (explicit == null) {
      String fromEnvironment = System.getenv(envName(name));
      if (fromEnvironment != null && Path.of(fromEnvironment.trim()).isAbsolute()) {
        explicit = fromEnvironment.trim();
      }
    }
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return isProgram(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    String dirs = path + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin";
    for (String candidateName : names(name, alternatives)) {
      for (String dir : dirs.split(File.pathSeparator, -1)) {
        if (!dir.isEmpty() && isProgram(Path.of(dir, candidateName))) {
          return Optional.of(Path.of(dir, candidateName));
        }
      }
    }
    return Optional.empty();
  }

  private static String[] names(String name, String... alternatives) {
    String[] all = new String[alternatives.length + 1];
    all[0] = name;
    System.arraycopy(alternatives, 0, all, 1, alternatives.length);
    return all;
  }

  private static boolean isProgram(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }

  private static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
