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
 * FRR bgpd with the BMP module, started directly (no zebra, no FIB, no watchfrr): {@code bgpd -M
 * bmp -Z -S -n -l ADDR... -p PORT -P 0 -f CONF -i PIDFILE --vty_socket DIR}. It peers with the
 * {@link GobgpInjector} (IPv4 session for ipv4+ipv6 unicast, optionally a second session over ::1
 * for ipv6 unicast, so that a peer with an IPv6 address and the V flag is monitored), applies the
 * inbound route-map LAB-IN (deny the injector's deny community, mark the rest with local-preference
 * 200 and community AS:100: post-policy differs from pre-policy in counts and attributes) and
 * exports BMP to one target group {@code LAB}: pre- and post-policy for IPv4 and IPv6 unicast,
 * statistics every second, route mirroring.
 *
 * <p>FRR 8.4 specifics handled here: {@code bgp route-map delay-timer 0} (the default 5 s timer
 * re-runs every route through LAB-IN after startup and BMP then reports every route twice); {@code
 * soft-reconfiguration inbound} (FRR needs it for pre-policy); next hop 192.0.2.1 towards the
 * injector (GoBGP treats 127.0.0.1 as an invalid next hop).
 */
public final class FrrRouter implements AutoCloseable {
  public static final String TARGET = "LAB";

  private final String name;
  private final Path workDir;
  private final String address;
  private final int as;
  private final boolean v6Peer;
  private final GobgpInjector injector;
  private final int bgpPort;
  private String startupBmp = "";
  private boolean neighborsShutdown;
  private String bmpConnect;
  private int bmpConnectPort;
  private Proc proc;

  /**
   * @param address router id, update source and BGP listen address (127.0.0.x)
   * @param v6Peer also peer with the injector over ::1 (only one FRR per lab can)
   */
  public FrrRouter(
      String name, Path workDir, String address, int as, boolean v6Peer, GobgpInjector injector) {
    this.name = name;
    this.workDir = workDir;
    this.address = Loopback.require(address);
    this.as = as;
    this.v6Peer = v6Peer;
    this.injector = injector;
    this.bgpPort = v6Peer ? Ports.free(address, "::1") : Ports.free(address);
  }

  public String address() {
    return address;
  }

  public int as() {
    return as;
  }

  public Proc proc() {
    return proc;
  }

  /** The injector neighbors of this router: 127.0.0.2, and ::1 when it has the IPv6 peer. */
  public List<String> peers() {
    return v6Peer ? List.of(GobgpInjector.ADDRESS, "::1") : List.of(GobgpInjector.ADDRESS);
  }

  /** Neighbors the injector must configure for this router. */
  public List<GobgpInjector.Neighbor> injectorNeighbors(int remoteMaxPrefix) {
    List<GobgpInjector.Neighbor> n = new ArrayList<>();
    n.add(new GobgpInjector.Neighbor(address, as, true, true, remoteMaxPrefix));
    if (v6Peer) {
      n.add(new GobgpInjector.Neighbor("::1", as, false, true, 0));
    }
    return n;
  }

  /** Puts a passive BMP target ({@code bmp listener ADDR port PORT}) in the startup config. */
  public FrrRouter withBmpListener(String listenAddress, int port) {
    startupBmp =
        bmpTargetLines("bmp listener " + Loopback.require(listenAddress) + " port " + port);
    return this;
  }

  /**
   * Starts with the injector neighbors administratively shut down ({@code neighbor X shutdown} in
   * the startup config), so that a BMP collector can be connected before any route arrives; see
   * {@link #enableNeighbors()}.
   */
  public FrrRouter withNeighborsShutdown() {
    neighborsShutdown = true;
    return this;
  }

  /** {@code no neighbor X shutdown} for every injector neighbor. */
  public void enableNeighbors() {
    configure(peers().stream().map(p -> "no neighbor " + p + " shutdown").toArray(String[]::new));
  }

  /** Puts an active BMP target ({@code bmp connect}) in the startup config. */
  public FrrRouter withBmpConnect(String host, int port) {
    this.bmpConnect = Loopback.require(host);
    this.bmpConnectPort = port;
    startupBmp = bmpTargetLines(connectLine());
    return this;
  }

  private String connectLine() {
    return "bmp connect "
        + bmpConnect
        + " port "
        + bmpConnectPort
        + " min-retry 100 max-retry 2000";
  }

  static String bmpTargetLines(String transport) {
    return String.join(
        "\n",
        "bmp targets " + TARGET,
        transport,
        "bmp monitor ipv4 unicast pre-policy",
        "bmp monitor ipv4 unicast post-policy",
        "bmp monitor ipv6 unicast pre-policy",
        "bmp monitor ipv6 unicast post-policy",
        "bmp stats interval 1000",
        "bmp mirror",
        "exit");
  }

  public void start() {
    try {
      Files.createDirectories(workDir);
      Files.writeString(conf(), config());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Cmd.Result check =
        Cmd.run(Duration.ofSeconds(30), Tools.BGPD, "-C", "-M", "bmp", "-f", conf().toString());
    String checkOut = check.out() + check.err();
    // bgpd -C exits 0 even when it skipped lines it does not understand
    if (!check.ok()
        || checkOut.contains("No such command")
        || checkOut.contains("Unknown command")
        || checkOut.contains("Command incomplete")) {
      throw new IllegalStateException("bgpd rejects " + conf() + ":\n" + checkOut);
    }
    startDaemon();
  }

  private void startDaemon() {
    List<String> cmd =
        new ArrayList<>(List.of(Tools.BGPD, "-M", "bmp", "-Z", "-S", "-n", "-l", address));
    if (v6Peer) {
      cmd.addAll(List.of("-l", "::1"));
    }
    cmd.addAll(
        List.of(
            "-p",
            Integer.toString(bgpPort),
            "-P",
            "0",
            "-f",
            conf().toString(),
            "-i",
            workDir.resolve("bgpd.pid").toString(),
            "--vty_socket",
            workDir.toString()));
    if (Tools.isRoot()) {
      cmd.addAll(List.of("-u", "root", "-g", "root"));
    }
    proc = Proc.start(Proc.logName(workDir, name), workDir, cmd);
    Await.until(
        () -> {
          if (!proc.alive()) {
            throw new Await.Abort(name + " bgpd exited: " + proc.logTail(15));
          }
          return vtysh("show version").ok();
        },
        Duration.ofSeconds(20),
        name + " bgpd vty in " + workDir);
  }

  /** Stops bgpd (SIGTERM) and starts it again from the same config file. */
  public void restart() {
    stop();
    startDaemon();
  }

  public void stop() {
    if (proc != null) {
      proc.stop(Duration.ofSeconds(15));
    }
  }

  @Override
  public void close() {
    stop();
  }

  public Path conf() {
    return workDir.resolve("bgpd.conf");
  }

  /** {@code vtysh --vty_socket DIR -d bgpd -c CMD...}. */
  public Cmd.Result vtysh(String... commands) {
    List<String> c =
        new ArrayList<>(List.of(Tools.VTYSH, "--vty_socket", workDir.toString(), "-d", "bgpd"));
    for (String cmd : commands) {
      c.add("-c");
      c.add(cmd);
    }
    return Cmd.run(Duration.ofSeconds(30), c);
  }

  public JsonNode vtyshJson(String command) {
    Cmd.Result r = vtysh(command).check();
    return Json.parse(r.out(), name + " vtysh '" + command + "'");
  }

  /** Runs config lines inside {@code router bgp AS}. */
  public void configure(String... lines) {
    List<String> c = new ArrayList<>(List.of("configure terminal", "router bgp " + as));
    c.addAll(List.of(lines));
    Cmd.Result r = vtysh(c.toArray(String[]::new)).check();
    if (!r.out().isBlank()) {
      throw new IllegalStateException(name + " rejected config " + c + ": " + r.out());
    }
  }

  /** Runs config lines inside {@code router bgp AS / address-family AFI unicast}. */
  public void configureAf(String afi, String... lines) {
    List<String> c = new ArrayList<>(List.of("address-family " + afi + " unicast"));
    c.addAll(List.of(lines));
    configure(c.toArray(String[]::new));
  }

  /** {@code show bgp AFI unicast summary json}. */
  public JsonNode summary(String afi) {
    return vtyshJson("show bgp " + afi + " unicast summary json");
  }

  /**
   * Accepted (post-policy) prefixes from {@code peer} ({@code pfxRcd} in the summary), -1 when the
   * peer is not up.
   */
  public int pfxRcd(String afi, String peer) {
    JsonNode p = summary(afi).path("peers").path(peer);
    return p.path("state").asText().equals("Established") ? p.path("pfxRcd").asInt(-1) : -1;
  }

  /** BGP state of a peer from the IPv4 summary ("Established", "Idle", ...). */
  public String peerState(String afi, String peer) {
    return summary(afi).path("peers").path(peer).path("state").asText("?");
  }

  /**
   * Prefixes received from {@code peer} before policy (soft-reconfiguration inbound keeps them):
   * {@code show bgp AFI unicast neighbors PEER received-routes json}.
   */
  public int receivedPrefixes(String afi, String peer) {
    JsonNode j =
        vtyshJson("show bgp " + afi + " unicast neighbors " + peer + " received-routes json");
    return j.path("totalPrefixCounter").asInt(-1);
  }

  public String showBmp() {
    return vtysh("show bmp").out();
  }

  /**
   * One row of {@code show bmp}'s "connected clients" table: FRR's own counters for a BMP session.
   */
  public record BmpClient(
      String remote,
      long monSent,
      long mirrSent,
      long mirrLost,
      long byteSent,
      long byteQ,
      long byteQKernel) {
    /** Everything FRR wrote has left its queues (so the collector can have received all of it). */
    public boolean flushed() {
      return byteQ == 0 && byteQKernel == 0;
    }
  }

  private static final java.util.regex.Pattern CLIENT_ROW =
      java.util.regex.Pattern.compile(
          "^\\s*(\\S+:\\d+)\\s+\\S+\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");

  /** The BMP sessions FRR has now, with its counters (parsed from {@code show bmp}). */
  public List<BmpClient> bmpClients() {
    List<BmpClient> out = new ArrayList<>();
    for (String line : showBmp().split("\n")) {
      java.util.regex.Matcher m = CLIENT_ROW.matcher(line);
      if (m.matches()) {
        out.add(
            new BmpClient(
                m.group(1),
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7))));
      }
    }
    return out;
  }

  /** Adds the active BMP target {@code LAB} (connect to host:port) at run time. */
  public void addBmpTarget(String host, int port) {
    this.bmpConnect = Loopback.require(host);
    this.bmpConnectPort = port;
    configure(bmpTargetLines(connectLine()).split("\n"));
  }

  /** Re-adds the BMP target removed by {@link #removeBmpTarget()}. */
  public void readdBmpTarget() {
    configure(bmpTargetLines(connectLine()).split("\n"));
  }

  /** {@code no bmp targets LAB}: FRR closes the BMP session (FRR 8.4 sends no Termination). */
  public void removeBmpTarget() {
    configure("no bmp targets " + TARGET);
  }

  public void clear(String peer) {
    vtysh("clear bgp " + peer).check();
  }

  /** Originates 198.51.100.1..n/32 (announced to the injector by route-map LAB-OUT). */
  public void originate(int n) {
    List<String> l = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      l.add("network 198.51.100." + i + "/32");
    }
    configureAf("ipv4", l.toArray(String[]::new));
  }

  public void unoriginate(int n) {
    List<String> l = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      l.add("no network 198.51.100." + i + "/32");
    }
    configureAf("ipv4", l.toArray(String[]::new));
  }

  /**
   * The inbound policy {@code LAB-IN}: deny routes carrying {@code denyCommunity}, mark the rest
   * (local-preference 200, community AS:100) so that post-policy differs from pre-policy.
   */
  static String policy(int as, String denyCommunity) {
    return "bgp community-list standard LAB-DENY seq 5 permit "
        + denyCommunity
        + "\n"
        + "route-map LAB-IN deny 10\n match community LAB-DENY\nexit\n"
        + "route-map LAB-IN permit 20\n set local-preference 200\n set community "
        + as
        + ":100 additive\nexit\n";
  }

  private String config() {
    String inj = GobgpInjector.ADDRESS;
    StringBuilder c = new StringBuilder();
    c.append("! FRR bgpd config (generated by the interop suite)\n")
        .append("frr defaults traditional\nhostname interop-")
        .append(name)
        .append('\n')
        .append("log stdout informational\n!\n")
        .append(policy(as, injector.routes().denyCommunity()))
        .append("ip prefix-list LAB-ORIG seq 5 permit 198.51.100.0/24 le 32\n!\n")
        .append(
            "route-map LAB-OUT permit 10\n match ip address prefix-list LAB-ORIG\n set ip next-hop 192.0.2.1\nexit\n!\n")
        .append("router bgp ")
        .append(as)
        .append('\n')
        .append(" bgp router-id ")
        .append(address)
        .append('\n')
        .append(
            " no bgp ebgp-requires-policy\n no bgp network import-check\n bgp log-neighbor-changes\n")
        .append(" bgp route-map delay-timer 0\n");
    List<String> nbrs = new ArrayList<>(List.of(inj));
    if (v6Peer) {
      nbrs.add("::1");
    }
    for (String n : nbrs) {
      c.append(" neighbor ")
          .append(n)
          .append(" remote-as ")
          .append(GobgpInjector.AS)
          .append('\n')
          .append(" neighbor ")
          .append(n)
          .append(" port ")
          .append(injector.bgpPort())
          .append('\n')
          .append(" neighbor ")
          .append(n)
          .append(" update-source ")
          .append(n.equals("::1") ? "::1" : address)
          .append('\n')
          .append(" neighbor ")
          .append(n)
          .append(" timers 3 9\n")
          .append(" neighbor ")
          .append(n)
          .append(" timers connect 2\n");
      if (neighborsShutdown) {
        c.append(" neighbor ").append(n).append(" shutdown\n");
      }
    }
    for (String afi : new String[] {"ipv4", "ipv6"}) {
      c.append(" !\n address-family ").append(afi).append(" unicast\n");
      for (String n : nbrs) {
        if (afi.equals("ipv4") && n.equals("::1")) {
          continue;
        }
        c.append("  neighbor ")
            .append(n)
            .append(" activate\n")
            .append("  neighbor ")
            .append(n)
            .append(" soft-reconfiguration inbound\n")
            .append("  neighbor ")
            .append(n)
            .append(" route-map LAB-IN in\n")
            .append("  neighbor ")
            .append(n)
            .append(" route-map LAB-OUT out\n");
      }
      c.append(" exit-address-family\n");
    }
    if (!startupBmp.isEmpty()) {
      c.append(" !\n ").append(startupBmp.replace("\n", "\n ")).append('\n');
    }
    c.append("exit\n");
    return c.toString();
  }

  @Override
  public String toString() {
    return name + "(" + address + ", AS" + as + ")";
  }
}
