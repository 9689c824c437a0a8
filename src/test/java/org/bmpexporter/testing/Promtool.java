package org.bmpexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Prometheus' promtool. Missing promtool skips the calling test with a message naming the
 * package, except in CI (CI=true), where it fails: CI installs it.
 */
public final class Promtool {
  private Promtool() {}

  public static String path() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "promtool");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    String msg = "promtool not found: apt-get install prometheus";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(msg + " (CI must install it)");
    }
    Assumptions.abort(msg);
    return null;
  }

  /** {@code promtool check metrics} on the exposition text; fails with its complaints. */
  public static void checkMetrics(String exposition) {
    String promtool = path();
    try {
      Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true)
          .start();
      p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
      assertThat(p.exitValue()).as("promtool check metrics:\n%s", out).isZero();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
