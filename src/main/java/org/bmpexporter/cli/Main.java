package org.bmpexporter.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bmpexporter.config.ConfigException;
import org.bmpexporter.config.ConfigLoader;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.server.BmpExporter;
import org.bmpexporter.server.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bmp-exporter}: runs the exporter; subcommands {@code inspect} and {@code loadgen}. */
@Command(
    name = "bmp-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
      "Collects BGP Monitoring Protocol (RFC 7854, 8671, 9069) sessions from routers and",
      "exposes peer state, route counts and router statistics as Prometheus metrics.",
      "With no options: BMP on 0.0.0.0:11019, metrics on http://0.0.0.0:9324/metrics."
    },
    subcommands = {InspectCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
  Path config;

  @Option(names = "--bmp-listen", paramLabel = "HOST:PORT",
      description = "Listen for BMP sessions (repeatable; replaces the configured listeners)")
  List<String> bmpListen = new ArrayList<>();

  @Option(names = "--web-listen", paramLabel = "HOST:PORT",
      description = "Serve /metrics, /healthz, /readyz (default 0.0.0.0:9324)")
  String webListen;

  @Option(names = "--connect", paramLabel = "HOST:PORT",
      description = "Active mode: connect to a router's BMP listener (repeatable)")
  List<String> connect = new ArrayList<>();

  @Option(names = "--no-listen",
      description = "Do not listen for BMP (active mode only, with --connect)")
  boolean noListen;

  @Option(names = "--retention", paramLabel = "DURATION",
      description = "Keep a closed router's series this long (e.g. 15m, 30s)")
  String retention;

  @Option(names = "--reconnect-min", paramLabel = "DURATION",
      description = "Active mode: first reconnect delay (default 1s)")
  String reconnectMin;

  @Option(names = "--reconnect-max", paramLabel = "DURATION",
      description = "Active mode: longest reconnect delay (default 60s)")
  String reconnectMax;

  @Option(names = "--no-warmup",
      description = "Skip the start-up warm-up (about 1-2 s of one core on a background thread "
          + "that makes the first tables after a restart decode at full speed)")
  boolean noWarmup;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    for (Object sub : Subcommands.extra()) {
      cl.addSubcommand(sub);
    }
    return cl;
  }

  /** Resolves the file, then the flags, into a validated configuration. */
  ExporterConfig resolve() {
    ExporterConfig c = ExporterConfig.defaults();
    if (config != null) {
      c = ConfigLoader.load(config, c);
    }
    if (!bmpListen.isEmpty()) {
      List<HostPort> l = new ArrayList<>();
      for (String s : bmpListen) {
        l.add(HostPort.parse("--bmp-listen", s));
      }
      c = c.withBmpListen(List.copyOf(l));
    }
    if (noListen) {
      c = c.withBmpListen(List.of());
    }
    if (!connect.isEmpty()) {
      List<HostPort> l = new ArrayList<>(c.connect());
      for (String s : connect) {
        l.add(HostPort.parse("--connect", s));
      }
      c = c.withConnect(List.copyOf(l));
    }
    if (webListen != null) {
      c = c.withWebListen(HostPort.parse("--web-listen", webListen));
    }
    if (retention != null) {
      c = c.withRetention(ConfigLoader.parseDuration("--retention", retention));
    }
    if (reconnectMin != null || reconnectMax != null) {
      c = c.withReconnect(
          reconnectMin == null ? c.reconnectMin()
              : ConfigLoader.parseDuration("--reconnect-min", reconnectMin),
          reconnectMax == null ? c.reconnectMax()
              : ConfigLoader.parseDuration("--reconnect-max", reconnectMax));
    }
    if (noWarmup) {
      c = c.withWarmup(false);
    }
    ConfigLoader.validate(c);
    return c;
  }

  @Override
  public Integer call() throws Exception {
    ExporterConfig c;
    try {
      c = resolve();
    } catch (ConfigException e) {
      System.err.println("bmp-exporter: " + e.getMessage());
      return 2;
    }
    BmpExporter exporter;
    try {
      exporter = BmpExporter.start(c);
    } catch (Exception e) {
      System.err.println("bmp-exporter: " + e.getMessage());
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      exporter.close();
      stop.countDown();
    }, "shutdown"));
    stop.await();
    return 0;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"bmp-exporter " + Version.get()};
    }
  }
}
