package org.bmpexporter.loadgen;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.synthetic.TableGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loadgen}: many concurrent BMP sessions over loopback, with exact accounting. */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    sortOptions = false,
    description = {
      "Generate BMP load: concurrent router sessions over loopback, with exact accounting.",
      "Opens N concurrent BMP sessions (one per router, each",
      "from its own loopback source address) and sends for each of P peers a",
      "realistic IPv4/IPv6 table (Internet prefix-length mix, AS paths,",
      "communities; packed and single-prefix UPDATEs) as pre-policy, post-policy",
      "and Loc-RIB copies with End-of-RIB and statistics, then churn and peer",
      "flaps; or replays BMP streams (--replay) or MRT dumps (--mrt) as BMP.",
      "Tables are pre-encoded before the timed phase. --report writes what was",
      "sent and the routes each (router, peer, rd, rib, afi_safi) holds at the",
      "end: the labels of bmp_routes."
    })
public final class LoadgenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:11019",
      description =
          "Collector address (default ${DEFAULT-VALUE}); loopback only unless" + " --allow-remote")
  String target;

  @Option(names = "--allow-remote", description = "Allow a non-loopback --target")
  boolean allowRemote;

  @Option(
      names = "--routers",
      paramLabel = "N",
      defaultValue = "1",
      description = "Concurrent BMP sessions (routers) (default ${DEFAULT-VALUE})")
  int routers;

  @Option(
      names = "--peers",
      paramLabel = "P",
      defaultValue = "1",
      description = "Monitored peers per router (default ${DEFAULT-VALUE})")
  int peers;

  @Option(
      names = "--ipv4",
      paramLabel = "N",
      defaultValue = "10000",
      description = "IPv4 prefixes per peer (default ${DEFAULT-VALUE})")
  int ipv4;

  @Option(
      names = "--ipv6",
      paramLabel = "N",
      defaultValue = "2000",
      description = "IPv6 prefixes per peer (default ${DEFAULT-VALUE})")
  int ipv6;

  @Option(
      names = "--ribs",
      paramLabel = "LIST",
      defaultValue = "pre,post,loc",
      split = ",",
      description =
          "Copies to send: pre (Adj-RIB-In pre-policy), post (post-policy, L flag),"
              + " loc (RFC 9069 Loc-RIB instance) (default ${DEFAULT-VALUE})")
  List<String> ribs;

  @Option(
      names = "--post-policy-percent",
      paramLabel = "PCT",
      defaultValue = "90",
      description =
          "Share of each peer's prefixes its import policy accepts (post-policy,"
              + " Loc-RIB candidates); the report gives the exact counts (default ${DEFAULT-VALUE})")
  int postPercent;

  @Option(
      names = "--packing",
      paramLabel = "MODE",
      defaultValue = "mixed",
      description =
          "packed: K prefixes per UPDATE; single: one per UPDATE; mixed:"
              + " --packed-percent of the prefixes in UPDATEs of 2..K sharing attributes, the rest"
              + " one per UPDATE (default ${DEFAULT-VALUE})")
  String packing;

  @Option(
      names = "--prefixes-per-update",
      paramLabel = "K",
      defaultValue = "200",
      description =
          "Most prefixes per packed UPDATE (also bounded by 4096 octets)"
              + " (default ${DEFAULT-VALUE})")
  int perUpdate;

  @Option(
      names = "--packed-percent",
      paramLabel = "PCT",
      defaultValue = "80",
      description =
          "mixed packing: percent of prefixes in packed UPDATEs (default" + " ${DEFAULT-VALUE})")
  int packedPercent;

  @Option(
      names = "--add-path",
      description = "Negotiate ADD-PATH (RFC 7911) in the Peer Up OPENs and send path IDs")
  boolean addPath;

  @Option(
      names = "--stats-interval",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description =
          "Statistics Reports after the dump, every SECONDS while churning, and at"
              + " the end; 0 = none (default ${DEFAULT-VALUE})")
  double statsInterval;

  @Option(
      names = "--churn-rate",
      paramLabel = "R",
      defaultValue = "0",
      description =
          "Churn events (announce / withdraw / attribute change of one prefix) per"
              + " second per router (default ${DEFAULT-VALUE})")
  double churnRate;

  @Option(
      names = "--churn-seconds",
      paramLabel = "S",
      defaultValue = "0",
      description = "Length of the churn phase after the dump (default ${DEFAULT-VALUE})")
  double churnSeconds;

  @Option(
      names = "--flaps",
      paramLabel = "F",
      defaultValue = "0",
      description =
          "Peer flaps per router, spread over the churn phase: Peer Down (reason 3,"
              + " NOTIFICATION Cease/2), Peer Up and full re-dump (default ${DEFAULT-VALUE})")
  int flaps;

  @Option(
      names = "--source-base",
      paramLabel = "ADDR",
      defaultValue = "127.0.1.1",
      description =
          "Session i binds source address ADDR+i (127.0.1.1, 127.0.1.2, ...) so the"
              + " collector sees distinct routers; 'none' = do not bind (default ${DEFAULT-VALUE})")
  String sourceBase;

  @Option(
      names = "--replay",
      paramLabel = "FILE",
      description = "Send a raw BMP stream (.bin) as is instead of generating (repeatable)")
  List<Path> replay = new ArrayList<>();

  @Option(
      names = "--replay-parallel",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Sessions per --replay file, each from its own source (default" + " ${DEFAULT-VALUE})")
  int replayParallel;

  @Option(
      names = "--mrt",
      paramLabel = "FILE",
      description =
          "Convert an MRT file (TABLE_DUMP, TABLE_DUMP_V2 RIB, BGP4MP; raw, .gz or"
              + " .bz2) to BMP and send it from --routers sessions")
  Path mrt;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "Write the stream(s) to FILE instead of a socket (several sessions:"
              + " FILE.1.bin, FILE.2.bin, ...); churn then runs in simulated time")
  Path output;

  @Option(
      names = "--report",
      paramLabel = "FILE.json",
      description =
          "Write the JSON report (phase 'holding' when every session reached its hold"
              + " point, phase 'done' at the end)")
  Path report;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default" + " ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--timestamp",
      paramLabel = "EPOCH",
      defaultValue = "0",
      description =
          "Fixed per-peer header timestamp (seconds) for reproducible output;"
              + " 0 = the clock (default ${DEFAULT-VALUE})")
  long timestamp;

  @Option(
      names = "--hold",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description =
          "Keep sessions open this long after the last message, before Termination"
              + " (ends early on SIGINT/SIGTERM) (default ${DEFAULT-VALUE})")
  double hold;

  @Option(
      names = "--termination",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "End generated and MRT sessions with a Termination message (default"
              + " ${DEFAULT-VALUE})")
  boolean termination;

  @Option(
      names = "--router-as",
      defaultValue = "65000",
      description = "AS of the generated routers (default ${DEFAULT-VALUE})")
  long routerAs;

  @Option(
      names = "--connect-interval",
      paramLabel = "MS",
      defaultValue = "10",
      description =
          "Sessions connect one after the other, MS apart, then all start sending"
              + " (collectors with a short listen backlog reset simultaneous connects)"
              + " (default ${DEFAULT-VALUE})")
  double connectInterval;

  @Option(
      names = "--send-buffer",
      paramLabel = "BYTES",
      defaultValue = "0",
      description = "SO_SNDBUF per session; 0 = kernel default (default ${DEFAULT-VALUE})")
  int sendBuffer;

  @Option(
      names = "--max-prebuilt-mb",
      paramLabel = "MB",
      defaultValue = "0",
      description = "Limit of the pre-encoded tables; 0 = 70%% of the JVM heap")
  long maxPrebuiltMb;

  @Option(
      names = "--max-seconds",
      paramLabel = "S",
      defaultValue = "600",
      description =
          "Hard bound on the whole run: sessions stop when it passes (default"
              + " ${DEFAULT-VALUE})")
  double maxSeconds;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the final summary line")
  boolean quiet;

  private final CountDownLatch finished = new CountDownLatch(1);

  /** The jar's Implementation-Version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LoadgenCommand.class.getPackage().getImplementationVersion();
      return new String[] {"bmp-exporter loadgen " + (v == null ? "(development build)" : v)};
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadgenCommand()).execute(args));
  }

  private PrintWriter err() {
    return spec != null
        ? spec.commandLine().getErr()
        : new PrintWriter(System.err, true, StandardCharsets.UTF_8);
  }

  private PrintWriter out() {
    return spec != null
        ? spec.commandLine().getOut()
        : new PrintWriter(System.out, true, StandardCharsets.UTF_8);
  }

  private void log(String fmt, Object... args) {
    if (!quiet) {
      PrintWriter w = err();
      w.println("loadgen: " + String.format(Locale.ROOT, fmt, args));
      w.flush();
    }
  }

  private ParameterException bad(String msg) {
    return new ParameterException(spec.commandLine(), msg);
  }

  static InetSocketAddress parseHostPort(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + s + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(s.substring(colon + 1));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range in '" + s + "'");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host '" + host + "'");
    }
  }

  /** Source address of session i: base + i (IPv4 within 127/8 when the base is loopback). */
  static InetAddress sourceAddress(InetAddress base, int i) throws UnknownHostException {
    byte[] a = base.getAddress();
    long v = 0;
    int n = a.length;
    if (n == 4) {
      v = ((a[0] & 255L) << 24) | ((a[1] & 255L) << 16) | ((a[2] & 255L) << 8) | (a[3] & 255L);
      v += i;
      byte[] r = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
      if (base.isLoopbackAddress() && (r[0] & 255) != 127) {
        throw new UnknownHostException("source address leaves 127.0.0.0/8");
      }
      return InetAddress.getByAddress(r);
    }
    byte[] r = a.clone();
    int carry = i;
    for (int k = 15; k >= 0 && carry != 0; k--) {
      int s = (r[k] & 255) + (carry & 255);
      r[k] = (byte) s;
      carry = (carry >>> 8) + (s >>> 8);
    }
    return InetAddress.getByAddress(r);
  }

  static Path outputPath(Path base, int index, int sessions) {
    if (sessions == 1) {
      return base;
    }
    String name = base.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    return base.resolveSibling(stem + "." + (index + 1) + ext);
  }

  private void validate() {
    if (routers < 1 || routers > 10_000) {
      throw bad("--routers must be 1..10000");
    }
    if (peers < 1 || peers > 100_000) {
      throw bad("--peers must be 1..100000");
    }
    if (ipv4 < 0
        || ipv4 > TableGenerator.MAX_PREFIXES
        || ipv6 < 0
        || ipv6 > TableGenerator.MAX_PREFIXES) {
      throw bad("--ipv4 / --ipv6 must be 0.." + TableGenerator.MAX_PREFIXES);
    }
    if (perUpdate < 1 || perUpdate > 4096) {
      throw bad("--prefixes-per-update must be 1..4096");
    }
    if (packedPercent < 0 || packedPercent > 100 || postPercent < 0 || postPercent > 100) {
      throw bad("percentages must be 0..100");
    }
    if (churnRate < 0
        || churnSeconds < 0
        || flaps < 0
        || hold < 0
        || statsInterval < 0
        || connectInterval < 0
        || connectInterval > 10_000) {
      throw bad("rates, durations and counts must not be negative");
    }
    if (!(maxSeconds > 0) || maxSeconds > 7 * 86400) {
      throw bad("--max-seconds must be > 0 and at most a week");
    }
    if (replayParallel < 1 || replayParallel > 10_000) {
      throw bad("--replay-parallel must be 1..10000");
    }
    if (!replay.isEmpty() && mrt != null) {
      throw bad("--replay and --mrt are exclusive");
    }
    if (ribs.isEmpty()) {
      throw bad("--ribs needs at least one of pre, post, loc");
    }
    for (String r : ribs) {
      try {
        Labels.rib(r);
      } catch (IllegalArgumentException e) {
        throw bad("--ribs: " + e.getMessage());
      }
    }
    try {
      GenConfig.Packing.valueOf(packing.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad("--packing must be packed, single or mixed");
    }
  }

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } catch (IOException | IllegalStateException | IllegalArgumentException e) {
      // preparation failed (unreadable file, table too large, ...): say so, no stack trace
      err().println("loadgen: " + e.getMessage());
      err().flush();
      return 2;
    } finally {
      finished.countDown();
    }
  }

  private int run() throws Exception {
    validate();
    long startNanos = System.nanoTime();
    long startEpoch = System.currentTimeMillis();
    int sessionCount = !replay.isEmpty() ? replay.size() * replayParallel : routers;
    RunControl rc = new RunControl(maxSeconds, sessionCount, output == null ? connectInterval : 0);
    Session.SinkFactory sinks = sinkFactory();
    Map<String, Object> runInfo = new LinkedHashMap<>();
    runInfo.put("mode", !replay.isEmpty() ? "replay" : mrt != null ? "mrt" : "generate");
    runInfo.put("target", output == null ? target : null);
    runInfo.put("output", output == null ? null : output.toString());
    runInfo.put("seed", seed);

    List<Session> sessions = new ArrayList<>();
    CountDownLatch reachedHold = new CountDownLatch(sessionCount);
    if (!replay.isEmpty()) {
      List<Map<String, Object>> files = new ArrayList<>();
      int idx = 0;
      for (Path f : replay) {
        StreamSession.Stream st = readStream(f);
        files.add(streamInfo(st));
        for (int k = 0; k < replayParallel; k++) {
          sessions.add(new StreamSession(idx++, sinks, rc, hold, reachedHold, st, false));
        }
      }
      runInfo.put("replay", files);
      runInfo.put("replay_parallel", replayParallel);
    } else if (mrt != null) {
      long t0 = System.nanoTime();
      byte[] raw = MrtConverter.readMaybeCompressed(mrt, Math.min(maxSeconds, 600));
      MrtConverter conv =
          new MrtConverter(packingMode() == GenConfig.Packing.SINGLE ? 1 : perUpdate);
      byte[] bmp = conv.convert(raw, mrt.getFileName().toString());
      StreamTracker t = new StreamTracker();
      t.feed(bmp, 0, bmp.length);
      StreamSession.Stream st = StreamSession.Stream.of(mrt.toString(), bmp, bmp.length, t);
      Map<String, Object> mi = streamInfo(st);
      mi.put("mrt_bytes", raw.length);
      mi.put("mrt_records", conv.records);
      mi.put("mrt_skipped", conv.skipped);
      if (conv.warning != null) {
        mi.put("mrt_warning", conv.warning);
      }
      runInfo.put("mrt", mi);
      log(
          "converted %s: %,d MRT bytes -> %,d BMP bytes, %,d messages, %,d routes in %.2f s",
          mrt,
          raw.length,
          bmp.length,
          sum(t.messages),
          t.present(),
          (System.nanoTime() - t0) / 1e9);
      for (int i = 0; i < routers; i++) {
        sessions.add(new StreamSession(i, sinks, rc, hold, reachedHold, st, termination));
      }
    } else {
      GenConfig gc = genConfig();
      runInfo.put("generate", genInfo(gc));
      long t0 = System.nanoTime();
      Scenario sc = new Scenario(gc);
      sc.build();
      log(
          "pre-encoded %,d peers x (%,d IPv4 + %,d IPv6) as %s: %,d MB in %.2f s",
          peers,
          ipv4,
          ipv6,
          String.join(",", ribs),
          sc.prebuiltBytes() >> 20,
          (System.nanoTime() - t0) / 1e9);
      runInfo.put("prebuilt_bytes_per_router", sc.prebuiltBytes());
      GeneratedSession.Live live =
          new GeneratedSession.Live(
              churnRate, churnSeconds, flaps, statsInterval, output == null, termination);
      for (int i = 0; i < routers; i++) {
        sessions.add(new GeneratedSession(i, sinks, rc, hold, reachedHold, sc, live));
      }
    }

    Thread hook =
        new Thread(
            () -> {
              rc.release();
              try {
                finished.await(15, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "loadgen-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    rc.startWatchdog();
    List<Thread> threads = new ArrayList<>();
    try {
      for (Session s : sessions) {
        Thread th = new Thread(s, "loadgen-session-" + (s.index + 1));
        th.setDaemon(true);
        threads.add(th);
        th.start();
      }
      log(
          "%d session(s) started -> %s",
          sessions.size(), output == null ? target : output.toString());
      reachedHold.await(rc.remainingNanos() + 5_000_000_000L, TimeUnit.NANOSECONDS);
      Map<String, Object> r =
          ReportWriter.build(
              hold > 0 ? "holding" : "sent", runInfo, sessions, startNanos, startEpoch);
      if (report != null) {
        ReportWriter.write(report, r);
      }
      logProgress(r);
      for (Thread th : threads) {
        th.join(TimeUnit.NANOSECONDS.toMillis(rc.remainingNanos()) + 10_000);
      }
    } finally {
      rc.stopWatchdog();
      rc.release();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already: the hook waits for us
      }
    }
    Map<String, Object> r = ReportWriter.build("done", runInfo, sessions, startNanos, startEpoch);
    if (report != null) {
      ReportWriter.write(report, r);
    }
    int errors = 0;
    for (Session s : sessions) {
      if (s.error != null) {
        errors++;
        err().println("loadgen: session " + (s.index + 1) + " (" + s.router + "): " + s.error);
      }
    }
    out().println(summary(r));
    out().flush();
    err().flush();
    return errors == 0 ? 0 : 1;
  }

  private static long sum(long[] a) {
    long n = 0;
    for (long x : a) {
      n += x;
    }
    return n;
  }

  private GenConfig.Packing packingMode() {
    return GenConfig.Packing.valueOf(packing.toUpperCase(Locale.ROOT));
  }

  GenConfig genConfig() {
    boolean pre = false;
    boolean post = false;
    boolean loc = false;
    for (String r : ribs) {
      switch (Labels.rib(r)) {
        case Labels.PRE -> pre = true;
        case Labels.POST -> post = true;
        default -> loc = true;
      }
    }
    long limit =
        maxPrebuiltMb > 0 ? maxPrebuiltMb << 20 : (long) (Runtime.getRuntime().maxMemory() * 0.7);
    return new GenConfig(
        peers,
        ipv4,
        ipv6,
        pre,
        post,
        loc,
        packingMode(),
        perUpdate,
        packedPercent,
        postPercent,
        addPath,
        seed,
        routerAs,
        256 * 1024,
        limit,
        timestamp);
  }

  private Map<String, Object> genInfo(GenConfig gc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("routers", routers);
    m.put("peers", peers);
    m.put("ipv4", ipv4);
    m.put("ipv6", ipv6);
    m.put("ribs", ribs);
    m.put("packing", gc.packing().name().toLowerCase(Locale.ROOT));
    m.put("prefixes_per_update", perUpdate);
    m.put("packed_percent", packedPercent);
    m.put("post_policy_percent", postPercent);
    m.put("add_path", addPath);
    m.put("stats_interval", statsInterval);
    m.put("churn_rate", churnRate);
    m.put("churn_seconds", churnSeconds);
    m.put("flaps", flaps);
    m.put("termination", termination);
    return m;
  }

  private StreamSession.Stream readStream(Path f) throws IOException {
    long size = Files.size(f);
    if (size > MrtConverter.MAX_INPUT) {
      throw new IOException(f + " is larger than 2 GiB");
    }
    byte[] data = Files.readAllBytes(f);
    StreamTracker t = new StreamTracker();
    t.feed(data, 0, data.length);
    if (t.error != null) {
      throw new IOException(f + ": not a BMP stream: " + t.error);
    }
    if (t.trailingBytes > 0) {
      log("%s ends with %d bytes of an incomplete message (sent as is)", f, t.trailingBytes);
    }
    log(
        "%s: %,d bytes, %,d messages, %,d routes at the end",
        f, data.length, sum(t.messages), t.present());
    return StreamSession.Stream.of(f.toString(), data, data.length, t);
  }

  private static Map<String, Object> streamInfo(StreamSession.Stream st) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", st.name());
    m.put("bytes", st.length());
    m.put("trailing_partial_bytes", st.counts().trailingBytes);
    m.put("untracked_nlri_messages", st.counts().untrackedMessages);
    if (st.counts().error != null) {
      m.put("error", st.counts().error);
    }
    return m;
  }

  private Session.SinkFactory sinkFactory() {
    int sessions = !replay.isEmpty() ? replay.size() * replayParallel : routers;
    if (output != null) {
      InetAddress fileBase;
      try {
        fileBase = "none".equalsIgnoreCase(sourceBase) ? null : InetAddress.getByName(sourceBase);
      } catch (UnknownHostException e) {
        throw bad("--source-base: unknown address " + sourceBase);
      }
      return new Session.SinkFactory() {
        @Override
        public Sink open(int index) throws IOException {
          return new Sink.File(outputPath(output, index, sessions));
        }

        @Override
        public String router(int index) {
          return sourceLabel(index, fileBase, null);
        }

        @Override
        public String output(int index) {
          return outputPath(output, index, sessions).toString();
        }
      };
    }
    InetSocketAddress t;
    try {
      t = parseHostPort(target);
    } catch (IllegalArgumentException e) {
      throw bad("--target: " + e.getMessage());
    }
    if (!allowRemote && !t.getAddress().isLoopbackAddress()) {
      throw bad(
          "--target "
              + target
              + " is not a loopback address (127.0.0.0/8, ::1);"
              + " pass --allow-remote to send BMP elsewhere");
    }
    InetAddress base = sourceBase(t);
    final InetSocketAddress tgt = t;
    return new Session.SinkFactory() {
      @Override
      public Sink open(int index) throws IOException {
        InetSocketAddress src =
            base == null ? null : new InetSocketAddress(sourceAddress(base, index), 0);
        for (int attempt = 1; ; attempt++) {
          try {
            return new Sink.Tcp(tgt, src, 5000, sendBuffer);
          } catch (java.net.ConnectException e) {
            if (attempt == 3) {
              throw e;
            }
            try {
              Thread.sleep(200L * attempt); // the collector may be starting or busy
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
              throw e;
            }
          }
        }
      }

      @Override
      public String router(int index) {
        return sourceLabel(index, base, tgt.getAddress());
      }

      @Override
      public String output(int index) {
        return null;
      }
    };
  }

  private InetAddress sourceBase(InetSocketAddress t) {
    if ("none".equalsIgnoreCase(sourceBase)) {
      return null;
    }
    InetAddress b;
    try {
      b = InetAddress.getByName(sourceBase);
    } catch (UnknownHostException e) {
      throw bad("--source-base: unknown address " + sourceBase);
    }
    boolean specified =
        spec != null && spec.commandLine().getParseResult().hasMatchedOption("--source-base");
    if (b.getAddress().length != t.getAddress().getAddress().length) {
      if (specified) {
        throw bad("--source-base " + sourceBase + " is not of the --target's address family");
      }
      return null; // e.g. target ::1: the only IPv6 loopback address; no distinct sources
    }
    if (!allowRemote && !b.isLoopbackAddress()) {
      throw bad("--source-base must be a loopback address");
    }
    return b;
  }

  /**
   * The router label a collector should see for session i: its source address (unbound sessions to
   * a loopback target come from the target's address; a file has no source, so it gets the address
   * it would have had).
   */
  String sourceLabel(int index, InetAddress base, InetAddress target) {
    try {
      if (base != null) {
        return Labels.address16(v16(sourceAddress(base, index)), 0, base.getAddress().length == 16);
      }
      if (target != null && target.isLoopbackAddress()) {
        return Labels.address16(v16(target), 0, target.getAddress().length == 16);
      }
    } catch (UnknownHostException e) {
      // fall through
    }
    return "session-" + (index + 1);
  }

  private static byte[] v16(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 16) {
      return b;
    }
    byte[] r = new byte[16];
    System.arraycopy(b, 0, r, 12, 4);
    return r;
  }

  @SuppressWarnings("unchecked")
  private void logProgress(Map<String, Object> r) {
    Map<String, Object> t = (Map<String, Object>) r.get("timing");
    Map<String, Object> tot = (Map<String, Object>) r.get("totals");
    if (t.containsKey("dump_seconds")) {
      log(
          "dump sent: %,d prefixes in %.3f s = %,.0f prefixes/s; %,d routes present, %s",
          t.get("dump_prefixes"),
          t.get("dump_seconds"),
          t.get("dump_prefixes_per_second"),
          tot.get("routes_present"),
          hold > 0 ? "holding up to " + hold + " s" : "closing");
    }
  }

  @SuppressWarnings("unchecked")
  static String summary(Map<String, Object> r) {
    Map<String, Object> t = (Map<String, Object>) r.get("timing");
    Map<String, Object> tot = (Map<String, Object>) r.get("totals");
    return String.format(
        Locale.ROOT,
        "loadgen: %d session(s), %d with errors; %d messages, %d bytes; %d prefixes announced,"
            + " %d withdrawn, %d routes present at the end; dump %.3f s (%.0f prefixes/s),"
            + " total %.3f s (%.0f bytes/s)",
        count(tot.get("sessions")),
        count(tot.get("sessions_with_errors")),
        count(tot.get("messages_total")),
        count(tot.get("bytes")),
        count(tot.get("prefixes_announced")),
        count(tot.get("prefixes_withdrawn")),
        count(tot.get("routes_present")),
        num(t.get("dump_seconds")),
        num(t.get("dump_prefixes_per_second")),
        num(t.get("elapsed_seconds")),
        num(t.get("bytes_per_second")));
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : 0;
  }

  private static long count(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
