package org.bmpexporter.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One gobgpd process (injector or router): TOML config in its work dir, gRPC API on its own
 * loopback port (never the default 50051), pprof disabled (two instances would fight over
 * localhost:6060), and the {@code gobgp} CLI pointed at that API.
 */
public class Gobgpd implements AutoCloseable {
  protected final String name;
  protected final Path workDir;
  protected final int apiPort;
  private Proc proc;

  public Gobgpd(String name, Path workDir) {
    this.name = name;
    this.workDir = workDir;
    this.apiPort = Ports.free();
  }

  public Path config() {
    return workDir.resolve(name + ".toml");
  }

  public int apiPort() {
    return apiPort;
  }

  public Proc proc() {
    return proc;
  }

  protected void writeConfig(String toml) {
    try {
      Files.createDirectories(workDir);
      Files.writeString(config(), toml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts gobgpd with the config written before; returns once its API answers. */
  protected void startDaemon() {
    Cmd.Result dry = Cmd.run(Duration.ofSeconds(20), Tools.GOBGPD, "-d", "-f", config().toString());
    if (!dry.ok()) {
      throw new IllegalStateException("gobgpd rejects " + config() + ": " + dry.out() + dry.err());
    }
    proc =
        Proc.start(
            Proc.logName(workDir, name),
            workDir,
            List.of(
                Tools.GOBGPD,
                "-f",
                config().toString(),
                "--api-hosts",
                "127.0.0.1:" + apiPort,
                "-p",
                "--pprof-disable",
                "-l",
                "info"));
    Await.until(
        () -> {
          if (!proc.alive()) {
            throw new Await.Abort(name + " exited: " + proc.logTail(10));
          }
          return cli("global").ok();
        },
        Duration.ofSeconds(20),
        name + " API on 127.0.0.1:" + apiPort);
  }

  /** Runs {@code gobgp -p API ARGS...}. */
  public Cmd.Result cli(String... args) {
    List<String> c = new ArrayList<>(List.of(Tools.GOBGP, "-p", Integer.toString(apiPort)));
    c.addAll(List.of(args));
    return Cmd.run(Duration.ofSeconds(30), c);
  }

  /** Runs {@code gobgp -p API -j ARGS...} and parses the JSON. */
  public JsonNode json(String... args) {
    List<String> c = new ArrayList<>(List.of("-j"));
    c.addAll(List.of(args));
    Cmd.Result r = cli(c.toArray(String[]::new)).check();
    return Json.parse(r.out(), "gobgp " + String.join(" ", c));
  }

  /** Destinations in the global RIB ({@code gobgp global rib summary -a ipv4|ipv6}). */
  public int ribDestinations(String afi) {
    return json("global", "rib", "summary", "-a", afi).path("num_destination").asInt(0);
  }

  /** Paths in the global RIB. */
  public int ribPaths(String afi) {
    return json("global", "rib", "summary", "-a", afi).path("num_path").asInt(0);
  }

  /** {@code gobgp neighbor ADDR} as JSON. */
  public JsonNode neighbor(String addr) {
    return json("neighbor", addr);
  }

  /** BGP session state of the neighbor (6 = established). */
  public int sessionState(String addr) {
    return neighbor(addr).path("state").path("session_state").asInt(-1);
  }

  public boolean established(String addr) {
    return sessionState(addr) == 6;
  }

  /** Received / accepted counts of one AFI for a neighbor (afi 1 = IPv4, 2 = IPv6). */
  public long afiSafiState(String addr, int afi, String field) {
    for (JsonNode a : neighbor(addr).path("afi_safis")) {
      if (a.path("state").path("family").path("afi").asInt() == afi) {
        return a.path("state").path(field).asLong(0);
      }
    }
    return 0;
  }

  public void enableNeighbor(String addr) {
    cli("neighbor", addr, "enable").check();
  }

  public boolean running() {
    return proc != null && proc.alive();
  }

  /** SIGTERM (gobgpd sends Cease to its peers), wait, SIGKILL if needed. */
  public void stop() {
    if (proc != null) {
      proc.stop(Duration.ofSeconds(10));
    }
  }

  @Override
  public void close() {
    stop();
  }

  static String afiSafiBlock(String name, int v4PrefixLimit) {
    StringBuilder b = new StringBuilder();
    b.append(
            "  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"")
        .append(name)
        .append("\"\n");
    if (v4PrefixLimit > 0) {
      b.append("    [neighbors.afi-safis.prefix-limit.config]\n      max-prefixes = ")
          .append(v4PrefixLimit)
          .append('\n');
    }
    return b.toString();
  }
}
