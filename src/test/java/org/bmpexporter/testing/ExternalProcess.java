package org.bmpexporter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program for a test, bounded in time: its standard output and error together are captured
 * (through a file, so a chatty program never blocks on a full pipe), its standard input is closed,
 * and when it overruns, it and every process it started are killed and the test fails with what it
 * printed so far.
 */
public final class ExternalProcess {
  /** How long a killed process tree may take to go. */
  private static final long REAP_SECONDS = 10;

  private ExternalProcess() {}

  /** A finished run: its exit code and its standard output and error, interleaved. */
  public record Result(List<String> command, int exitCode, String output) {
    /** The command and its output, for an assertion's description. */
    public String describe() {
      return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
    }
  }

  /** Runs {@code command} in the current directory with the inherited environment. */
  public static Result run(Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    return run(null, Map.of(), timeout, command);
  }

  /**
   * Runs {@code command} in {@code directory} (null: the current one) with {@code environment}
   * added to the inherited one; fails the test (AssertionError) if it is not done within {@code
   * timeout}, after killing it and its descendants.
   */
  public static Result run(
      Path directory, Map<String, String> environment, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("external-process-", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      builder.environment().putAll(environment);
      Process process = builder.start();
      try {
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          killTree(process);
          throw new AssertionError(
              String.join(" ", command)
                  + " did not finish within "
                  + timeout.toSeconds()
                  + " s; its output so far:\n"
                  + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(
            List.copyOf(command),
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        if (process.isAlive()) {
          killTree(process); // interrupted while waiting
        }
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Kills the process and its descendants (children first found, while the parent still runs). */
  private static void killTree(Process process) throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(REAP_SECONDS, TimeUnit.SECONDS);
    for (ProcessHandle d : descendants) {
      try {
        d.onExit().get(REAP_SECONDS, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // still there after SIGKILL: nothing more a test can do
      }
    }
  }
}
