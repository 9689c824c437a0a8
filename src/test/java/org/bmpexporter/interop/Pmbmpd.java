package org.bmpexporter.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bmpexporter.testing.ExternalTools;

/**
 * pmacct's BMP collector {@code pmbmpd} (Debian package {@code pmacct}) as a reference destination:
 * listens on a loopback port and logs every BMP event, and every prefix of every Route Monitoring
 * message, as one JSON line ({@code bmp_daemon_msglog_file}, per router). {@link #state()} replays
 * that log into what pmbmpd holds now: the peers up, and the prefixes per peer, view and family.
 *
 * <p>pmbmpd ignores SIGTERM; it is stopped with SIGINT.
 */
public final class Pmbmpd implements AutoCloseable {
  public static final String BINARY = "pmbmpd";

  private final String name;
  private final Path workDir;
  private final String host;
  private final int port;
  private Proc proc;

  public Pmbmpd(String name, Path workDir, String host, int port) {
    this.name = name;
    this.workDir = workDir;
    this.host = Loopback.require(host);
    this.port = port;
  }

  /** Skips (developer machine) or fails (CI) without pmbmpd. */
  public static void require() {
    if (Tools.onPath(BINARY) == null) {
      ExternalTools.missing(
          "pmbmpd missing: install it with `sudo apt-get install -y pmacct` (Debian/Ubuntu)");
    }
  }

  public int port() {
    return port;
  }

  /** Starts pmbmpd with an empty message log; returns once it listens. */
  public Pmbmpd start() {
    try {
      Files.createDirectories(workDir);
      try (Stream<Path> old = Files.list(workDir)) {
        for (Path p : old.filter(p -> p.getFileName().toString().startsWith("msglog-")).toList()) {
          Files.delete(p);
        }
      }
      Files.writeString(
          workDir.resolve("pmbmpd.conf"),
          String.join(
              "\n",
              "daemonize: false",
              "pidfile: " + workDir.resolve("pmbmpd.pid"),
              "logfile: " + workDir.resolve("pmbmpd.log"),
              "bmp_daemon_ip: " + host,
              "bmp_daemon_port: " + port,
              "bmp_daemon_max_peers: 10",
              "bmp_daemon_msglog_file: " + workDir.resolve("msglog-$bmp_router.json"),
              "bmp_daemon_msglog_output: json",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    proc =
        Proc.start(
            Proc.logName(workDir, name),
            workDir,
            List.of(
                Tools.onPath(BINARY).toString(), "-f", workDir.resolve("pmbmpd.conf").toString()));
    Await.until(
        () -> {
          if (!proc.alive()) {
            throw new Await.Abort(name + " exited: " + proc.logTail(15));
          }
          return listening();
        },
        Duration.ofSeconds(20),
        name + " listening on " + host + ":" + port);
    return this;
  }

  /** Listening, seen with ss: a probe connection would be a BMP session to pmbmpd. */
  private boolean listening() {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(5), "ss", "-Hltn", "sport = :" + port);
    return r.ok() && !r.out().isBlank();
  }

  public void stop() {
    if (proc != null && proc.alive()) {
      try {
        proc.signalDaemon("INT");
      } catch (RuntimeException e) {
        // no daemon child (already gone): the wrapper is stopped below
      }
      Await.until(() -> !proc.alive(), Duration.ofSeconds(10), name + " exits on SIGINT");
    }
    if (proc != null) {
      proc.stop(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** The message log's JSON lines (every router), in order. */
  public List<JsonNode> log() {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(workDir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("msglog-")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            try {
              out.add(Json.parse(line, name + " " + f.getFileName()));
            } catch (RuntimeException e) {
              // a line still being written: read again at the next poll
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** What pmbmpd's log says it holds now. */
  public record State(Set<String> peers, Set<String> routes) {
    /** Routes of one view ("pre"/"post") and family ("1" IPv4, "2" IPv6). */
    public long count(String view, int afi) {
      return routes.stream().filter(r -> r.contains(" " + view + " afi=" + afi + " ")).count();
    }
  }

  /**
   * The peers up (peer_up without a later peer_down) and the routes present ("peer view afi=N
   * prefix", announced and not withdrawn since, and the peer not gone down since).
   */
  public State state() {
    Set<String> peers = new TreeSet<>();
    Set<String> routes = new TreeSet<>();
    for (JsonNode d : log()) {
      String type = d.path("bmp_msg_type").asText();
      String peer = d.path("peer_ip").asText();
      switch (type) {
        case "peer_up" -> peers.add(peer);
        case "peer_down" -> {
          peers.remove(peer);
          routes.removeIf(r -> r.startsWith(peer + " "));
        }
        case "route_monitor" -> {
          String view =
              d.path("is_loc").asBoolean() ? "loc" : d.path("is_post").asBoolean() ? "post" : "pre";
          String key =
              peer
                  + " "
                  + view
                  + " afi="
                  + d.path("afi").asInt()
                  + " "
                  + d.path("ip_prefix").asText();
          if ("withdraw".equals(d.path("log_type").asText())) {
            routes.remove(key);
          } else {
            routes.add(key);
          }
        }
        default -> {}
      }
    }
    return new State(peers, routes);
  }

  @Override
  public String toString() {
    return name + " " + host + ":" + port;
  }
}
