package org.bmpexporter.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bmpexporter.testing.Scrape;

/**
 * Open file descriptors and threads of a process (from /proc: with the JVM's own GC and compiler
 * threads, which it starts on demand), its Java threads and its used heap (from the exporter's
 * {@code jvm_threads_live_threads} and {@code jvm_memory_used_bytes{area="heap"}}).
 */
record ProcessFigures(long fds, long threads, long javaThreads, double heapBytes) {

  static ProcessFigures of(long pid, Scrape metrics) {
    return new ProcessFigures(
        fds(pid),
        threads(pid),
        Math.round(metrics.value("jvm_threads_live_threads")),
        metrics.sum("jvm_memory_used_bytes", "area", "heap"));
  }

  static long fds(long pid) {
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring("Threads:".length()).strip());
        }
      }
      throw new IllegalStateException("no Threads line in /proc/" + pid + "/status");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return fds
        + " fds, "
        + threads
        + " threads ("
        + javaThreads
        + " Java threads), "
        + Math.round(heapBytes / (1 << 20))
        + " MiB heap used";
  }
}
