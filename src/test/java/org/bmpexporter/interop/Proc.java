package org.bmpexporter.interop;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A long-running daemon started by the suite.
 *
 * <p>The command runs as {@code setsid timeout -s TERM -k 10 <limit> CMD...}: its own session (so
 * that {@code timeout}'s signal forwarding never reaches the JVM's process group) and a hard
 * lifetime, so that nothing outlives a crashed or killed test JVM by more than the limit. The
 * {@link Process} is the {@code timeout} wrapper; the daemon is its only child. Output (stdout and
 * stderr) is appended to {@code target/interop-logs/<name>.log} (names are {@code <run>/<daemon>}).
 * Processes are stopped by their PID only, never by name; a JVM shutdown hook stops whatever a
 * failed test left running.
 */
public final class Proc implements AutoCloseable {
  /** Hard upper bound on any daemon's lifetime (seconds), {@code -Dinterop.maxSeconds}. */
  public static final long MAX_SECONDS = Long.getLong("interop.maxSeconds", 900);

  private static final Set<Proc> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> LIVE.forEach(p -> p.stop(Duration.ofSeconds(3))), "interop-procs-stop"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final long logStart;

  private Proc(String name, Process process, Path log, long logStart) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.logStart = logStart;
  }

  /** Directory all process logs go to. */
  public static Path logDir() {
    return Path.of("target", "interop-logs").toAbsolutePath();
  }

  /**
   * Log name for a daemon whose work dir is {@code target/interop/<run>/<dir>}: {@code
   * <run>/<daemon>}.
   */
  public static String logName(Path workDir, String daemon) {
    return workDir.getParent().getFileName() + "/" + daemon;
  }

  public static Proc start(String name, Path workDir, List<String> command) {
    return start(name, workDir, command, Map.of());
  }

  public static Proc start(
      String name, Path workDir, List<String> command, Map<String, String> env) {
    try {
      Path log = logDir().resolve(name + ".log");
      Files.createDirectories(log.getParent());
      Files.createDirectories(workDir);
      String banner =
          "\n===== "
              + LocalTime.now(ZoneId.systemDefault())
              + " start: "
              + String.join(" ", command)
              + " (cwd "
              + workDir
              + ")\n";
      Files.writeString(
          log,
          banner,
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      long start = Files.size(log);
      List<String> full =
          new ArrayList<>(
              List.of("setsid", "timeout", "-s", "TERM", "-k", "10", Long.toString(MAX_SECONDS)));
      full.addAll(command);
      ProcessBuilder pb =
          new ProcessBuilder(full)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      Proc p = new Proc(name, pb.start(), log, start);
      LIVE.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  /** PID of the {@code timeout} wrapper. */
  public long pid() {
    return process.pid();
  }

  /** PID of the daemon itself (the wrapper's child), once it has been forked. */
  public Optional<Long> daemonPid() {
    return process.children().map(ProcessHandle::pid).findFirst();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /**
   * Sends {@code signal} (e.g. "HUP") to the daemon's PID (not to the wrapper, which would forward
   * it and arm its kill timer).
   */
  public void signalDaemon(String signal) {
    long pid =
        daemonPid().orElseThrow(() -> new IllegalStateException(name + " has no running daemon"));
    Cmd.run(Duration.ofSeconds(5), "kill", "-" + signal, Long.toString(pid)).check();
  }

  /**
   * Stops the process: SIGTERM to the wrapper (forwarded to the daemon), wait up to {@code grace},
   * then SIGKILL the wrapper and its child, each by PID.
   *
   * @return the wrapper's exit code, or -1 when it had to be killed
   */
  public int stop(Duration grace) {
    List<ProcessHandle> kids = process.children().toList();
    if (process.isAlive()) {
      process.destroy();
      try {
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          LIVE.remove(this);
          return process.exitValue();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      kids.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LIVE.remove(this);
      return -1;
    }
    LIVE.remove(this);
    return process.exitValue();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** The last {@code lines} lines this start of the process wrote to its log. */
  public String logTail(int lines) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(logStart, len - 64 * 1024);
      byte[] b = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(b);
      String[] all = new String(b, StandardCharsets.UTF_8).split("\n");
      int n = Math.min(lines, all.length);
      return String.join("\n", java.util.Arrays.asList(all).subList(all.length - n, all.length));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** Everything this start of the process wrote to its log so far. */
  public String logSinceStart() {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      byte[] b = new byte[(int) (f.length() - logStart)];
      f.seek(logStart);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + pid() + daemonPid().map(d -> ", daemon " + d).orElse("") + "]";
  }
}
