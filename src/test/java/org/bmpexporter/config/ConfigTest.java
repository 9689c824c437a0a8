package org.bmpexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bmpexporter.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  private ExporterConfig load(String yaml) throws Exception {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f, ExporterConfig.defaults());
  }

  @Test
  void defaultsListenOnTheDocumentedPorts() {
    ExporterConfig c = ExporterConfig.defaults();
    assertThat(c.bmpListen()).containsExactly(new HostPort("0.0.0.0", 11019));
    assertThat(c.webListen()).isEqualTo(new HostPort("0.0.0.0", 9324));
    assertThat(c.retention()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.warmup()).isTrue();
  }

  @Test
  void fullFileIsRead() throws Exception {
    ExporterConfig c =
        load(
            """
        bmp:
          listen: ["127.0.0.1:1790", "[::1]:11019"]
          connect: "192.0.2.1:5000"
          allow: ["192.0.2.0/24", "2001:db8::/32"]
          max_sessions: 50
          max_message_bytes: 65536
          reconnect_min: 500ms
          reconnect_max: 2m
        web:
          listen: "127.0.0.1:9999"
          scrape_timeout: 5s
        retention: 1h
        event_loops: 3
        warmup: false
        """);
    assertThat(c.bmpListen())
        .containsExactly(new HostPort("127.0.0.1", 1790), new HostPort("::1", 11019));
    assertThat(c.connect()).containsExactly(new HostPort("192.0.2.1", 5000));
    assertThat(c.allow()).hasSize(2);
    assertThat(c.allow().get(0).contains(InetAddress.getByName("192.0.2.77"))).isTrue();
    assertThat(c.allow().get(0).contains(InetAddress.getByName("192.0.3.1"))).isFalse();
    assertThat(c.allow().get(1).contains(InetAddress.getByName("2001:db8:5::1"))).isTrue();
    assertThat(c.maxSessions()).isEqualTo(50);
    assertThat(c.maxMessageBytes()).isEqualTo(65536);
    assertThat(c.reconnectMin()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.reconnectMax()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.webListen()).isEqualTo(new HostPort("127.0.0.1", 9999));
    assertThat(c.retention()).isEqualTo(Duration.ofHours(1));
    assertThat(c.eventLoops()).isEqualTo(3);
    assertThat(c.warmup()).isFalse();
  }

  @Test
  void errorsNameTheKeyAndTheProblem() {
    assertThatThrownBy(() -> load("bmp:\n  lisen: [\"0.0.0.0:1\"]\n"))
        .hasMessageContaining("'bmp.lisen'")
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> load("bmp:\n  listen: [\"0.0.0.0:70000\"]\n"))
        .hasMessageContaining("'bmp.listen'")
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> load("retention: soon\n"))
        .hasMessageContaining("'retention'")
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> load("web:\n  listen: 9324\n")).hasMessageContaining("'web.listen'");
    assertThatThrownBy(() -> load("bmp:\n  allow: [\"10.0.0.0/33\"]\n"))
        .hasMessageContaining("'bmp.allow'");
    assertThatThrownBy(() -> load("warmup: maybe\n"))
        .hasMessageContaining("'warmup'")
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> load("bmp:\n  max_sessions: many\n"))
        .hasMessageContaining("'bmp.max_sessions'");
    assertThatThrownBy(() -> load("bmp:\n  listen: []\n"))
        .hasMessageContaining("'bmp.listen'")
        .hasMessageContaining("no BMP listener");
    assertThatThrownBy(() -> load("bmp:\n  reconnect_min: 5m\n  reconnect_max: 1s\n"))
        .hasMessageContaining("'bmp.reconnect_min'");
  }

  @Test
  void forwardDestinationsAndBuffers() throws Exception {
    ExporterConfig c =
        load(
            """
            bmp:
              forward: ["192.0.2.20:1790", "[2001:db8::20]:11019"]
              forward_buffer_bytes: 1048576
            """);
    assertThat(c.forward())
        .containsExactly(new HostPort("192.0.2.20", 1790), new HostPort("2001:db8::20", 11019));
    assertThat(c.forwardBufferBytes()).isEqualTo(1 << 20);
    assertThat(ExporterConfig.defaults().forward()).isEmpty();
    assertThat(ExporterConfig.defaults().forwardBufferBytes()).isEqualTo(4 << 20);
    assertThatThrownBy(() -> load("bmp:\n  forward: [\"192.0.2.20:0\"]\n"))
        .hasMessageContaining("'bmp.forward'")
        .hasMessageContaining("not a destination");
    assertThatThrownBy(() -> load("bmp:\n  forward: [\"192.0.2.20:1790\", \"192.0.2.20:1790\"]\n"))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> load("bmp:\n  forward: [\"192.0.2.20\"]\n"))
        .hasMessageContaining("'bmp.forward'");
    assertThatThrownBy(() -> load("bmp:\n  forward_buffer_bytes: 1000\n"))
        .hasMessageContaining("'bmp.forward_buffer_bytes'");
    assertThatThrownBy(
            () ->
                load(
                    """
                    bmp:
                      forward_buffer_bytes: 67108864
                      forward_buffer_total_bytes: 1048576
                    """))
        .hasMessageContaining("'bmp.forward_buffer_total_bytes'");
  }

  @Test
  void flagsOverrideTheFile() throws Exception {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, "web:\n  listen: \"127.0.0.1:1\"\nretention: 1h\n");
    Main main = new Main();
    new picocli.CommandLine(main)
        .parseArgs(
            "--config",
            f.toString(),
            "--bmp-listen",
            "127.0.0.1:0",
            "--bmp-listen",
            "[::1]:0",
            "--web-listen",
            "127.0.0.1:2",
            "--connect",
            "192.0.2.1:5000",
            "--retention",
            "30s");
    ExporterConfig c = resolve(main);
    assertThat(c.bmpListen()).containsExactly(new HostPort("127.0.0.1", 0), new HostPort("::1", 0));
    assertThat(c.webListen()).isEqualTo(new HostPort("127.0.0.1", 2));
    assertThat(c.connect()).containsExactly(new HostPort("192.0.2.1", 5000));
    assertThat(c.retention()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void badFlagStopsStartUpWithExitCode2() {
    int code = Main.commandLine().execute("--web-listen", "nonsense");
    assertThat(code).isEqualTo(2);
  }

  @Test
  void helpListsEveryOption() {
    String usage = Main.commandLine().getUsageMessage();
    for (String opt :
        List.of(
            "--config", "--bmp-listen", "--web-listen", "--connect", "--retention", "inspect")) {
      assertThat(usage).contains(opt);
    }
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() {
    assertThatThrownBy(
            () ->
                load(
                    """
        bmp:
          lisen: ["0.0.0.0:1"]
          max_sessions: 0
        web:
          scrape_timeout: 0s
        retention: soon
        """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "configuration key 'bmp.lisen': unknown key (known: allow, "
                            + "buffer_budget_bytes, connect, forward, forward_buffer_bytes, "
                            + "forward_buffer_total_bytes, idle_timeout, keepalive, limits, "
                            + "listen, max_message_bytes, max_sessions, proxy_protocol, "
                            + "reconnect_max, reconnect_min, takeover_after)",
                        "configuration key 'bmp.max_sessions': 0 outside 1-1000000",
                        "configuration key 'web.scrape_timeout': must be more than 0",
                        "configuration key 'retention': 'soon' is not a duration like 500ms, 30s, 15m, 1h"));
  }

  @Test
  void scrapeTimeoutMustBePositive() throws Exception {
    assertThatThrownBy(() -> load("web:\n  scrape_timeout: 0ms\n"))
        .hasMessageContaining("'web.scrape_timeout'")
        .hasMessageContaining("more than 0");
    assertThat(load("web:\n  scrape_timeout: 1ms\n").scrapeTimeout())
        .isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void aMissingFileIsNamedAsAFile() {
    Path missing = dir.resolve("absent.yml");
    assertThatThrownBy(() -> ConfigLoader.load(missing, ExporterConfig.defaults()))
        .hasMessage("cannot read config file " + missing + ": no such file");
  }

  @Test
  void syntaxErrorsGiveLineAndColumnWithoutTheSourceExcerpt() {
    assertThatThrownBy(() -> load("bmp:\n  listen: [\"0.0.0.0:1\"\nretention: 1h\n"))
        .hasMessageStartingWith("config file " + dir.resolve("c.yml") + ", line 3, column ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("^"));
    assertThatThrownBy(() -> load("retention: 1h\nretention: 2h\n"))
        .hasMessageContaining("line 2, column")
        .hasMessageContaining("Duplicate field 'retention'");
  }

  @Test
  void anEmptyFileSetsNothing() throws Exception {
    assertThat(load("# nothing here\n")).isEqualTo(ExporterConfig.defaults());
  }

  @Test
  void flagProblemsNameTheFlag() throws Exception {
    Main main = new Main();
    new picocli.CommandLine(main).parseArgs("--no-listen", "--reconnect-min", "0s");
    assertThatThrownBy(() -> resolve(main))
        .cause()
        .hasMessage("option --reconnect-min: must be more than 0");
    Main noTarget = new Main();
    new picocli.CommandLine(noTarget).parseArgs("--no-listen");
    assertThatThrownBy(() -> resolve(noTarget))
        .cause()
        .hasMessage(
            "option --no-listen: no BMP listener, no bmp.connect target and no"
                + " kafka.consume.topics");
  }

  @Test
  void connectFlagsAddToTheFileAndFlagsLeaveOtherKeysAlone() throws Exception {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, "bmp:\n  connect: [\"192.0.2.1:5000\"]\nretention: 1h\nwarmup: true\n");
    Main main = new Main();
    new picocli.CommandLine(main)
        .parseArgs(
            "--config",
            f.toString(),
            "--connect",
            "192.0.2.2:5000",
            "--no-warmup",
            "--connect",
            "[2001:db8::1]:5000");
    ExporterConfig c = resolve(main);
    assertThat(c.connect())
        .containsExactly(
            new HostPort("192.0.2.1", 5000),
            new HostPort("192.0.2.2", 5000),
            new HostPort("2001:db8::1", 5000));
    assertThat(c.bmpListen()).isEqualTo(ExporterConfig.defaults().bmpListen());
    assertThat(c.retention()).isEqualTo(Duration.ofHours(1));
    assertThat(c.warmup()).isFalse();
  }

  @Test
  void withSetsOneKeyThroughTheSameChecks() {
    ExporterConfig c =
        ExporterConfig.defaults()
            .with("bmp.allow", List.of("192.0.2.0/24"))
            .withRetention(Duration.ofSeconds(2));
    assertThat(c.allow()).containsExactly(Cidr.parse("192.0.2.0/24"));
    assertThat(c.retention()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.bmp().maxSessions()).isEqualTo(ExporterConfig.defaults().maxSessions());
    assertThatThrownBy(() -> ExporterConfig.defaults().with("bmp.max_sessions", 0))
        .hasMessageContaining("'bmp.max_sessions'");
    assertThatThrownBy(() -> ExporterConfig.defaults().with("web.port", 1))
        .hasMessageContaining("unknown key");
  }

  @Test
  void proxyProtocolKeepaliveIdleTimeoutAndTakeoverKeys() throws Exception {
    ExporterConfig c =
        load(
            """
        bmp:
          keepalive:
            enabled: false
            idle: 30s
            interval: 5s
            count: 3
          idle_timeout: 10m
          takeover_after: 0s
          proxy_protocol:
            trusted: ["10.0.0.0/8", "2001:db8::/32"]
        """);
    assertThat(c.keepalive())
        .isEqualTo(
            new ExporterConfig.Keepalive(false, Duration.ofSeconds(30), Duration.ofSeconds(5), 3));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.takeoverAfter()).isZero();
    assertThat(c.proxyTrusted())
        .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"));
    ExporterConfig d = ExporterConfig.defaults();
    assertThat(d.keepalive().enabled()).isTrue();
    assertThat(d.idleTimeout()).isZero();
    assertThat(d.proxyTrusted()).isEmpty();
    assertThatThrownBy(() -> load("bmp:\n  proxy_protocol:\n    trusted: [\"10.0.0.0/33\"]\n"))
        .hasMessageContaining("'bmp.proxy_protocol.trusted'");
    assertThatThrownBy(() -> load("bmp:\n  keepalive:\n    idle: 0s\n"))
        .hasMessageContaining("'bmp.keepalive.idle': must be more than 0");
    assertThatThrownBy(() -> load("bmp:\n  keepalive:\n    count: 0\n"))
        .hasMessageContaining("'bmp.keepalive.count': 0 outside 1-127");
  }

  @Test
  void bufferBudgetDefaultsToAQuarterOfTheHeapAndMustHoldOneMaximumMessage() throws Exception {
    assertThat(ExporterConfig.defaults().bufferBudgetBytes())
        .isEqualTo(Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 4));
    assertThat(load("bmp:\n  buffer_budget_bytes: 268435456\n").bufferBudgetBytes())
        .isEqualTo(256L << 20);
    assertThatThrownBy(() -> load("bmp:\n  buffer_budget_bytes: 1000\n"))
        .hasMessageContaining("'bmp.buffer_budget_bytes': 1000 outside 1048576-");
    assertThatThrownBy(
            () -> load("bmp:\n  buffer_budget_bytes: 2097152\n  max_message_bytes: 4194304\n"))
        .hasMessageContaining(
            "'bmp.buffer_budget_bytes': 2097152 is less than bmp.max_message_bytes (4194304)");
  }

  private static ExporterConfig resolve(Main main) throws Exception {
    java.lang.reflect.Method m = Main.class.getDeclaredMethod("resolve");
    m.setAccessible(true);
    return (ExporterConfig) m.invoke(main);
  }
}
