package org.bmpexporter.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' {@code promtool} as a bounded subprocess.
 *
 * <p>{@code promtool} is looked up in the environment variable {@code PROMTOOL} (a path) and then
 * on {@code PATH}. When it is missing, tests are skipped with a message naming the Debian package,
 * or fail under {@code CI=true}: the one policy of {@link ExternalTools}.
 */
public final class Promtool {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  /** What a promtool run did. */
  public record Result(List<String> command, int exitCode, String output) {
    public String describe() {
      return "$ " + String.join(" ", command) + "\nexit code " + exitCode + "\n" + output;
    }
  }

  private Promtool() {}

  /** $PROMTOOL (a path), else promtool on PATH. */
  public static Optional<Path> find() {
    return ExternalTools.find("promtool");
  }

  /** The promtool binary, or the end of the test as {@link ExternalTools#missing} decides. */
  public static Path require() {
    return ExternalTools.require("prometheus", "promtool");
  }

  /** Runs promtool with the arguments in the current directory, bounded by the timeout. */
  public static Result run(Duration timeout, String... args) {
    return run(timeout, List.of(args));
  }

  public static Result run(Duration timeout, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(require().toString());
    command.addAll(args);
    Path out = null;
    Process process = null;
    try {
      out = Files.createTempFile("promtool-", ".out");
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        fail(
            "promtool did not finish within "
                + timeout
                + ": "
                + String.join(" ", command)
                + "\n"
                + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(
          command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (process != null) {
        process.destroyForcibly();
      }
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // temp file, best effort
        }
      }
    }
  }

  /** {@code promtool check metrics} on an exposition text; fails with promtool's complaints. */
  public static void checkMetrics(String exposition) {
    Path file = null;
    try {
      file = Files.createTempFile("exposition-", ".txt");
      Files.writeString(file, exposition, StandardCharsets.UTF_8);
      List<String> command = List.of(require().toString(), "check", "metrics");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(file.toFile())
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        fail("promtool check metrics did not finish");
      }
      if (p.exitValue() != 0) {
        fail("promtool check metrics:\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // temp file, best effort
        }
      }
    }
  }
}
