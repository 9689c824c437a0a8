package org.bmpexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code inspect} command's edges: exit codes, JSON key style, text output, --quiet. */
class InspectCliTest {
  /** Three Peer Downs (two kinds) and statistics reports from a Cisco router. */
  static final Path PEER_DOWNS =
      CorpusInspectTest.CORPUS.resolve("pmacct/tests/204-BMP-CISCO-peer_down/traffic-00.pcap");

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    InspectCommand cmd = new InspectCommand();
    cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    CommandLine cl = new CommandLine(cmd);
    cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = cl.execute(args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMissingFileIsOneLineAndExitCodeTwo(@TempDir Path dir) {
    Path missing = dir.resolve("no-such.pcap");
    Run r = run(missing.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("bmp-exporter inspect: cannot read " + missing + ": no such file");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aDirectoryIsUnreadableInputNotAFlowError(@TempDir Path dir) {
    Run r = run(dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("bmp-exporter inspect: cannot read " + dir + ": ");
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void nothingIsPrintedWhenALaterFileIsMissing(@TempDir Path dir) {
    // every file is read before any output, so a typo in the second name leaves no half report
    Run r = run(PEER_DOWNS.toString(), dir.resolve("typo.pcap").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    Run r = run("--no-such-option", PEER_DOWNS.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--no-such-option'");
  }

  @Test
  void everyJsonKeyIsSnakeCase() throws Exception {
    Run r = run("--json", PEER_DOWNS.toString());
    assertThat(r.code()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    List<String> keys = new ArrayList<>();
    collectKeys(doc, keys);
    assertThat(keys).contains("stat_type", "afi_safi", "reason", "notification", "count");
    assertThat(keys).allMatch(k -> k.matches("[a-z0-9_]+"), "snake_case");
    long downs = 0;
    for (JsonNode peer : doc.get("flows").get(0).get("peers")) {
      for (JsonNode d : peer.get("downs")) {
        downs += d.get("count").asLong();
      }
    }
    assertThat(downs).isEqualTo(doc.get("totals").get("messages").get("peer_down").asLong());
  }

  private static void collectKeys(JsonNode node, List<String> keys) {
    for (var e : node.properties()) {
      keys.add(e.getKey());
      collectKeys(e.getValue(), keys);
    }
    if (node.isArray()) {
      node.forEach(n -> collectKeys(n, keys));
    }
  }

  @Test
  void peerDownsReadAsWordsNotAJavaRecord() {
    Run r = run(PEER_DOWNS.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).doesNotContain("Downs[").doesNotContain("StatCounter[");
    // each peer that went down says how often and why, e.g. "downs 1 (remote_notification ...)"
    assertThat(r.out()).containsPattern("downs [1-9][0-9]* \\([a-z_]+");
  }

  @Test
  void peerDownSummariesAddUpAndNameEachReason() {
    var downs =
        List.of(
            new org.bmpexporter.state.Snapshots.Downs("local_no_notification", "", 1),
            new org.bmpexporter.state.Snapshots.Downs("remote_notification", "cease/admin", 2));
    assertThat(InspectCommand.downs(downs))
        .isEqualTo("3 (local_no_notification, remote_notification cease/admin x2)");
    assertThat(InspectCommand.downs(List.of())).isEqualTo("none");
  }

  @Test
  void subcommandSummariesAreWholeSentences() {
    String help = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    String commands = help.substring(help.indexOf("Commands:"));
    for (String line : commands.lines().skip(1).toList()) {
      assertThat(line.strip()).as("summary line").endsWith(".");
    }
  }

  /** slf4j sets log levels when loggers are created: --quiet needs a fresh JVM to be seen. */
  @Test
  void quietLeavesStderrEmpty(@TempDir Path dir) throws Exception {
    assertThat(childInspect(dir, "loud", false)).contains("INFO").contains("peer");
    assertThat(childInspect(dir, "quiet", true)).isEmpty();
  }

  private static String childInspect(Path dir, String name, boolean quiet) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the test classpath's simplelogger.properties is quieter than the product's
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("inspect");
    if (quiet) {
      cmd.add("--quiet");
    }
    cmd.add(PEER_DOWNS.toString());
    File err = dir.resolve(name + ".err").toFile();
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(err)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("inspect ends").isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve(name + ".out"))).contains("total: ");
    return Files.readString(err.toPath());
  }
}
