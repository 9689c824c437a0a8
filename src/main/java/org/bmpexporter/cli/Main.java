package org.bmpexporter.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bmpexporter.config.ConfigException;
import org.bmpexporter.config.ConfigLoader;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.server.BmpExporter;
import org.bmpexporter.server.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bmp-exporter}: runs the exporter; subcommands {@code inspect} and {@code loadgen}. */
@Command(
    name = "bmp-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    defaultValueProvider = Main.Defaults.class,
    showDefaultValues = true,
    usageHelpWidth = 100,
    description = {
      "Collects BGP Monitoring Protocol (RFC 7854, 8671, 9069) sessions from routers and",
      "exposes peer state, route counts and router statistics as Prometheus metrics.",
      "Flags override the configuration file; with neither, the defaults below apply."
    },
    subcommands = {InspectCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
  /** The warm-up's cost, as help and README state it (docs/performance.md). */
  public static final String WARMUP_COST = "4-8 s of CPU on a 2-core machine, bounded to 10 s";

  /** The configuration key each value flag sets; their help shows that key's default. */
  static final Map<String, String> KEY_OF_FLAG =
      new TreeMap<>(
          Map.of(
              "--bmp-listen", "bmp.listen",
              "--connect", "bmp.connect",
              "--reconnect-min", "bmp.reconnect_min",
              "--reconnect-max", "bmp.reconnect_max",
              "--web-listen", "web.listen",
              "--web.config.file", "web.config_file",
              "--retention", "retention")); // sorted: problems are reported in a stable order

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
  Path config;

  @Option(
      names = "--bmp-listen",
      paramLabel = "HOST:PORT",
      description = "Listen for BMP sessions (repeatable; replaces bmp.listen)")
  List<String> bmpListen = new ArrayList<>();

  @Option(
      names = "--no-listen",
      showDefaultValue = Visibility.ALWAYS,
      description = "Do not listen for BMP (active mode only, with --connect)")
  boolean noListen;

  @Option(
      names = "--connect",
      paramLabel = "HOST:PORT",
      description =
          "Active mode: connect to a router's BMP listener (repeatable; adds to " + "bmp.connect)")
  List<String> connect = new ArrayList<>();

  @Option(
      names = "--reconnect-min",
      paramLabel = "DURATION",
      description = "Active mode: first reconnect delay")
  String reconnectMin;

  @Option(
      names = "--reconnect-max",
      paramLabel = "DURATION",
      description = "Active mode: longest reconnect delay")
  String reconnectMax;

  @Option(
      names = "--web-listen",
      paramLabel = "HOST:PORT",
      description = "Serve /metrics, /healthz, /readyz and the status page")
  String webListen;

  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      description =
          "TLS, basic auth and headers for HTTP, in the Prometheus exporter-toolkit format;"
              + " re-read on change")
  String webConfigFile;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      description = "Keep a closed router's series this long (e.g. 15m, 30s)")
  String retention;

  @Option(
      names = "--no-warmup",
      showDefaultValue = Visibility.ALWAYS,
      description =
          "Skip the start-up warm-up ("
              + WARMUP_COST
              + ", on a background thread and loopback sessions, "
              + "so that the first tables after a restart decode at full speed)")
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

  /** Resolves the file, then the flags given, into a validated configuration. */
  ExporterConfig resolve() {
    ExporterConfig c = ExporterConfig.defaults();
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    if (given.hasMatchedOption("--config")) {
      c = ConfigLoader.load(config, c);
    }
    // Only flags given on the command line: the others hold their help defaults.
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    KEY_OF_FLAG.forEach(
        (flag, key) -> {
          if (given.hasMatchedOption(flag)) {
            values.put(key, given.matchedOptionValue(flag, null));
            sources.put(key, "option " + flag);
          }
        });
    if (given.hasMatchedOption("--connect")) {
      List<Object> targets = new ArrayList<>(c.connect()); // added to the file's targets
      targets.addAll(connect);
      values.put("bmp.connect", targets);
    }
    if (noListen) {
      values.put("bmp.listen", List.of());
      sources.put("bmp.listen", "option --no-listen");
    }
    if (noWarmup) {
      values.put("warmup", false);
      sources.put("warmup", "option --no-warmup");
    }
    return ConfigLoader.override(c, values, sources);
  }

  /** Help shows each flag's default from {@link ExporterConfig#DEFAULTS}, never restated. */
  static final class Defaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec o)) {
        return null;
      }
      String flag = o.longestName();
      if (KEY_OF_FLAG.containsKey(flag)) {
        return ConfigLoader.defaultText(KEY_OF_FLAG.get(flag));
      }
      return switch (flag) {
        case "--config" -> "none";
        case "--no-listen" -> String.valueOf(ExporterConfig.DEFAULTS.bmpListen().isEmpty());
        case "--no-warmup" -> String.valueOf(!ExporterConfig.DEFAULTS.warmup());
        default -> null;
      };
    }
  }

  @Override
  public Integer call() throws Exception {
    ExporterConfig c;
    try {
      c = resolve();
    } catch (ConfigException e) {
      for (String problem : e.problems()) {
        System.err.println("bmp-exporter: " + problem);
      }
      return 2;
    }
    BmpExporter exporter;
    try {
      exporter = BmpExporter.start(c, Optional.ofNullable(config));
    } catch (Exception e) {
      System.err.println("bmp-exporter: " + e.getMessage());
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  exporter.close();
                  stop.countDown();
                },
                "shutdown"));
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
