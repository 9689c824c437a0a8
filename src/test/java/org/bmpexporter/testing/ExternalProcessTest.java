package org.bmpexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bounded runner of external programs, with {@code sh}. */
@ComponentTest
@Timeout(60)
class ExternalProcessTest {

  @Test
  void capturesOutputAndErrorAndTheExitCodeInTheDirectoryAndEnvironmentGiven(@TempDir Path dir)
      throws Exception {
    ExternalProcess.Result r =
        ExternalProcess.run(
            dir,
            Map.of("GREETING", "hello"),
            Duration.ofSeconds(20),
            List.of("sh", "-c", "echo \"$GREETING\"; echo oops >&2; pwd; exit 3"));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.output().lines().toList())
        .containsExactly("hello", "oops", dir.toRealPath().toString());
    assertThat(r.describe()).startsWith("sh -c").contains("exited with 3");
  }

  @Test
  void anOverrunKillsTheProcessAndWhatItStartedAndFails(@TempDir Path dir) throws Exception {
    Path pid = dir.resolve("child.pid");
    // the shell starts a long sleep in the background and waits for it
    List<String> command =
        List.of("sh", "-c", "sleep 300 & echo $! > " + pid + "; echo started; wait");
    long start = System.nanoTime();
    assertThatThrownBy(() -> ExternalProcess.run(Duration.ofSeconds(2), command))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not finish within 2 s")
        .hasMessageContaining("started");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    long child = Long.parseLong(Files.readString(pid).trim());
    // the background sleep went with its shell (gone, or a zombie its new parent has not reaped)
    assertThat(running(child)).isFalse();
  }

  private static boolean running(long pid) throws java.io.IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    try {
      String s = Files.readString(stat);
      return !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
  }
}
