package org.bmpexporter.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A short command (vtysh, gobgp CLI, kill) run to completion with a timeout. */
public final class Cmd {
  private Cmd() {}

  /** Exit code and output of a finished command. */
  public record Result(List<String> command, int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    /** Fails unless the exit code is 0; returns this. */
    public Result check() {
      if (exit != 0) {
        throw new IllegalStateException(
            "command failed (exit "
                + exit
                + "): "
                + String.join(" ", command)
                + "\nstdout: "
                + clip(out)
                + "\nstderr: "
                + clip(err));
      }
      return this;
    }

    private static String clip(String s) {
      return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
  }

  public static Result run(Duration timeout, String... command) {
    return run(timeout, Arrays.asList(command));
  }

  public static Result run(Duration timeout, List<String> command) {
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(command, -1, out.getNow(""), "timed out after " + timeout);
      }
      return new Result(
          command, p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted: " + command, e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read output of " + command, e);
    }
  }

  private static String slurp(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
