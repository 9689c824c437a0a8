package org.bmpexporter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.bmpexporter.testing.ComponentTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@ComponentTest
class CommandLineTest {
  @TempDir Path dir;

  @Test
  void refusesANonLoopbackTargetWithoutAllowRemote() {
    LoadgenRun r = LoadgenRun.run("--target", "192.0.2.1:11019", "--ipv4", "10", "--ipv6", "0");
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err).contains("not a loopback address").contains("--allow-remote");
  }

  @Test
  void refusesANonLoopbackSourceBase() {
    LoadgenRun r =
        LoadgenRun.run("--target", "127.0.0.1:1", "--source-base", "192.0.2.1", "--ipv4", "10");
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err).contains("--source-base must be a loopback address");
  }

  @Test
  void rejectsBadOptions() {
    assertThat(LoadgenRun.run("--ribs", "pre,adj-out").err).contains("unknown rib 'adj-out'");
    assertThat(LoadgenRun.run("--packing", "tight").err).contains("--packing must be");
    assertThat(LoadgenRun.run("--routers", "0").err).contains("--routers must be");
    assertThat(LoadgenRun.run("--replay", "a.bin", "--mrt", "b.mrt").err).contains("exclusive");
    assertThat(LoadgenRun.run("--max-seconds", "0").err).contains("--max-seconds");
    assertThat(LoadgenRun.run("--target", "127.0.0.1").err).contains("HOST:PORT");
  }

  @Test
  void preparationErrorsAreReportedWithoutAStackTrace(@TempDir Path tmp) throws Exception {
    java.nio.file.Files.write(tmp.resolve("bad.bin"), new byte[] {9, 9, 9, 9, 9, 9, 9});
    LoadgenRun r =
        LoadgenRun.run(
            "--replay",
            tmp.resolve("bad.bin").toString(),
            "--output",
            tmp.resolve("o.bin").toString());
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err).contains("not a BMP stream").doesNotContain("\tat ");
    LoadgenRun big =
        LoadgenRun.run(
            "--ipv4",
            "200000",
            "--ipv6",
            "0",
            "--max-prebuilt-mb",
            "1",
            "--output",
            tmp.resolve("big.bin").toString());
    assertThat(big.exitCode).isEqualTo(2);
    assertThat(big.err).contains("pre-encoded tables exceed 1 MiB");
  }

  @Test
  void helpListsTheOptions() {
    LoadgenRun r = LoadgenRun.run("--help");
    assertThat(r.exitCode).isZero();
    assertThat(r.out)
        .contains(
            "--target",
            "--routers",
            "--peers",
            "--ipv4",
            "--ipv6",
            "--ribs",
            "--prefixes-per-update",
            "--packing",
            "--add-path",
            "--stats-interval",
            "--churn-rate",
            "--churn-seconds",
            "--flaps",
            "--source-base",
            "--replay",
            "--replay-parallel",
            "--mrt",
            "--report",
            "--seed",
            "--output",
            "--max-seconds",
            "--hold");
  }

  @Test
  void connectionRefusedIsAnErrorNotAHang() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    LoadgenRun r =
        LoadgenRun.run(
            "--target",
            "127.0.0.1:" + port,
            "--ipv4",
            "100",
            "--ipv6",
            "0",
            "--max-seconds",
            "10",
            "-q");
    assertThat(r.exitCode).isEqualTo(1);
    assertThat(r.err).contains("Connection refused");
  }

  @Test
  void sourceAddressesAndOutputNames() throws UnknownHostException {
    InetAddress base = InetAddress.getByName("127.0.1.254");
    assertThat(LoadgenCommand.sourceAddress(base, 0).getHostAddress()).isEqualTo("127.0.1.254");
    assertThat(LoadgenCommand.sourceAddress(base, 3).getHostAddress()).isEqualTo("127.0.2.1");
    assertThatThrownBy(
            () -> LoadgenCommand.sourceAddress(InetAddress.getByName("127.255.255.255"), 1))
        .isInstanceOf(UnknownHostException.class);
    assertThat(LoadgenCommand.outputPath(Path.of("/x/s.bin"), 0, 1)).isEqualTo(Path.of("/x/s.bin"));
    assertThat(LoadgenCommand.outputPath(Path.of("/x/s.bin"), 1, 3))
        .isEqualTo(Path.of("/x/s.2.bin"));
    assertThat(LoadgenCommand.parseHostPort("[::1]:11019").getAddress().isLoopbackAddress())
        .isTrue();
  }
}
