package org.bmpexporter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The initial-dump scenario with the routers in containers, for machines with Docker but without
 * the Debian packages: an FRR container ({@code quay.io/frrouting/frr:8.4.4}) originates the known
 * {@link RouteSet} ({@code network} statements, every 5th tagged with the deny community) to a
 * second FRR container running {@code bgpd -M bmp}, whose BMP goes to the exporter on the host; a
 * {@code prom/prometheus} container scrapes the exporter. The exporter keeps listening on 127.0.0.1
 * only: containers reach it through Testcontainers' host port exposure ({@code
 * host.testcontainers.internal}). Disabled (reported as skipped) without Docker.
 */
@Tag("interop")
@Testcontainers(disabledWithoutDocker = true)
class InteropContainersIT {
  static final DockerImageName FRR_IMAGE =
      DockerImageName.parse(System.getProperty("interop.frrImage", "quay.io/frrouting/frr:8.4.4"));
  static final DockerImageName PROM_IMAGE =
      DockerImageName.parse(
          System.getProperty("interop.prometheusImage", "prom/prometheus:v2.53.0"));
  static final String HOST = "host.testcontainers.internal";
  static final int FRR_AS = 65001;
  static final int INJ_AS = 65002;
  static final String PRE = "adj_rib_in_pre";
  static final String POST = "adj_rib_in_post";

  @Test
  void initialDumpThroughPrometheus() throws Exception {
    ExporterProcess.requireJar();
    RouteSet r = InteropLab.ROUTES;
    String run =
        "InteropContainersIT-"
            + LocalDateTime.now(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = Path.of("target", "interop", run).toAbsolutePath();
    ExporterProcess.Endpoint bmp = new ExporterProcess.Endpoint("127.0.0.1", Ports.free());
    ExporterProcess.Endpoint web = new ExporterProcess.Endpoint("127.0.0.1", Ports.free());
    org.testcontainers.Testcontainers.exposeHostPorts(bmp.port(), web.port());

    try (ExporterProcess exporter =
            new ExporterProcess(
                "exporter",
                work.resolve("exporter"),
                new ExporterProcess.Config(List.of(bmp), web, List.of()));
        Network net = Network.newNetwork();
        GenericContainer<?> injector = frrContainer(net, "injector", injectorConfig(r));
        GenericContainer<?> prometheus = new GenericContainer<>(PROM_IMAGE)) {
      exporter.start();
      injector.start();
      String injIp =
          injector
              .getContainerInfo()
              .getNetworkSettings()
              .getNetworks()
              .values()
              .iterator()
              .next()
              .getIpAddress();

      try (GenericContainer<?> frr = frrContainer(net, "frr", routerConfig(r, injIp))) {
        frr.start();
        Await.untilEquals(
            () -> List.of(pfxRcd(frr, "ipv4", injIp), pfxRcd(frr, "ipv6", injIp)),
            List.of(r.acceptedV4(), r.acceptedV6()),
            Duration.ofSeconds(120),
            "FRR container accepted prefixes [v4, v6]");
        assertThat(List.of(received(frr, "ipv4", injIp), received(frr, "ipv6", injIp)))
            .as("FRR container received-routes [v4, v6]")
            .isEqualTo(List.of(r.v4(), r.v6()));

        // BMP target after convergence: an initial table dump (complete pre-policy, End-of-RIB)
        String hostIp = exec(frr, "getent", "hosts", HOST).getStdout().trim().split("\\s+")[0];
        List<String> cmds = new ArrayList<>(List.of("configure terminal", "router bgp " + FRR_AS));
        cmds.addAll(
            List.of(
                FrrRouter.bmpTargetLines(
                        "bmp connect "
                            + hostIp
                            + " port "
                            + bmp.port()
                            + " min-retry 100 max-retry 2000")
                    .split("\n")));
        vtysh(frr, cmds.toArray(String[]::new));

        prometheus
            .withNetwork(net)
            .withCopyToContainer(
                Transferable.of(
                    PrometheusApi.config(Map.of("bmp-exporter", List.of(HOST + ":" + web.port())))),
                "/etc/prometheus/prometheus.yml")
            .withExposedPorts(9090)
            .waitingFor(Wait.forHttp("/-/ready").forStatusCode(200))
            .start();
        PrometheusApi api =
            new PrometheusApi(
                "http://" + prometheus.getHost() + ":" + prometheus.getMappedPort(9090));

        // the exporter sees the session coming from the host end of the port exposure tunnel
        String router = "127.0.0.1";
        Expectations e =
            new Expectations()
                .one(1, "bmp_router_up", "router", router)
                .one(1, "bmp_peer_up", "router", router, "peer", injIp)
                .one(
                    r.v4(),
                    "bmp_routes",
                    "router",
                    router,
                    "peer",
                    injIp,
                    "rib",
                    PRE,
                    "afi_safi",
                    "ipv4_unicast")
                .one(
                    r.v6(),
                    "bmp_routes",
                    "router",
                    router,
                    "peer",
                    injIp,
                    "rib",
                    PRE,
                    "afi_safi",
                    "ipv6_unicast")
                .one(
                    r.acceptedV4(),
                    "bmp_routes",
                    "router",
                    router,
                    "peer",
                    injIp,
                    "rib",
                    POST,
                    "afi_safi",
                    "ipv4_unicast")
                .one(
                    r.acceptedV6(),
                    "bmp_routes",
                    "router",
                    router,
                    "peer",
                    injIp,
                    "rib",
                    POST,
                    "afi_safi",
                    "ipv6_unicast");
        for (String rib : List.of(PRE, POST)) {
          for (String afi : List.of("ipv4_unicast", "ipv6_unicast")) {
            e.one(
                1, "bmp_end_of_rib", "router", router, "peer", injIp, "rib", rib, "afi_safi", afi);
          }
        }
        Await.untilStable(
            () -> e.mismatches(Expectations.Source.of(exporter.scrape())),
            List::isEmpty,
            ScenariosIT.STABLE,
            ScenariosIT.WAIT,
            "initial dump from the FRR container, scraped");
        Await.until(
            () -> e.mismatches(Expectations.Source.of(api)),
            List::isEmpty,
            ScenariosIT.WAIT,
            "initial dump from the FRR container, through the Prometheus container");
      }
    }
  }

  private static GenericContainer<?> frrContainer(Network net, String alias, String config) {
    String script =
        "mkdir -p /var/run/frr && exec /usr/lib/frr/bgpd -M bmp -Z -S -n -p 179 -f /etc/frr/bgpd.conf"
            + " -i /var/run/frr/bgpd.pid --vty_socket /var/run/frr -u root -g root";
    GenericContainer<?> c =
        new GenericContainer<>(FRR_IMAGE)
            .withNetwork(net)
            .withNetworkAliases(alias)
            .withCopyToContainer(Transferable.of(config), "/etc/frr/bgpd.conf")
            .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/sh"))
            .withCommand("-c", script)
            .waitingFor(
                Wait.forLogMessage(".*(BGP|bgpd).*", 1)
                    .withStartupTimeout(Duration.ofSeconds(120)));
    return c;
  }

  /** The injector: originates the route set, tags every 5th route, sets a global IPv6 next hop. */
  static String injectorConfig(RouteSet r) {
    StringBuilder c =
        new StringBuilder(
                "frr defaults traditional\nhostname injector\nlog stdout informational\n!\n")
            .append("route-map TAG permit 10\n set community ")
            .append(r.denyCommunity())
            .append(" additive\nexit\n")
            .append("route-map OUT6 permit 10\n set ipv6 next-hop global ")
            .append(r.nextHop6())
            .append("\nexit\n!\n")
            .append("router bgp ")
            .append(INJ_AS)
            .append("\n bgp router-id 10.255.0.2\n no bgp ebgp-requires-policy\n")
            .append(
                " no bgp network import-check\n neighbor LAB peer-group\n neighbor LAB remote-as ")
            .append(FRR_AS)
            .append(
                "\n bgp listen range 10.0.0.0/8 peer-group LAB\n bgp listen range 172.16.0.0/12 peer-group LAB\n")
            .append(
                " bgp listen range 192.168.0.0/16 peer-group LAB\n address-family ipv4 unicast\n");
    for (int i = 0; i < r.v4(); i++) {
      c.append("  network ")
          .append(RouteSet.v4Text(i))
          .append(r.deniedRoute(i) ? " route-map TAG" : "")
          .append('\n');
    }
    c.append(
        " exit-address-family\n address-family ipv6 unicast\n  neighbor LAB activate\n  neighbor LAB route-map OUT6 out\n");
    for (int i = 0; i < r.v6(); i++) {
      c.append("  network ")
          .append(RouteSet.v6Text(i))
          .append(r.deniedRoute(i) ? " route-map TAG" : "")
          .append('\n');
    }
    return c.append(" exit-address-family\nexit\n").toString();
  }

  /**
   * The monitored router: LAB-IN inbound, nothing outbound; the BMP target is added at run time.
   */
  static String routerConfig(RouteSet r, String injIp) {
    StringBuilder c =
        new StringBuilder(
                "frr defaults traditional\nhostname interop-frr\nlog stdout informational\n!\n")
            .append(FrrRouter.policy(FRR_AS, r.denyCommunity()))
            .append("route-map NONE deny 10\nexit\n!\n")
            .append("router bgp ")
            .append(FRR_AS)
            .append("\n bgp router-id 10.255.0.1\n no bgp ebgp-requires-policy\n")
            .append(" bgp route-map delay-timer 0\n neighbor ")
            .append(injIp)
            .append(" remote-as ")
            .append(INJ_AS)
            .append("\n neighbor ")
            .append(injIp)
            .append(" timers 3 9\n neighbor ")
            .append(injIp)
            .append(" timers connect 2\n");
    for (String afi : List.of("ipv4", "ipv6")) {
      c.append(" address-family ")
          .append(afi)
          .append(" unicast\n  neighbor ")
          .append(injIp)
          .append(" activate\n")
          .append("  neighbor ")
          .append(injIp)
          .append(" soft-reconfiguration inbound\n")
          .append("  neighbor ")
          .append(injIp)
          .append(" route-map LAB-IN in\n")
          .append("  neighbor ")
          .append(injIp)
          .append(" route-map NONE out\n exit-address-family\n");
    }
    return c.append("exit\n").toString();
  }

  private static Container.ExecResult exec(GenericContainer<?> c, String... cmd) {
    try {
      return c.execInContainer(cmd);
    } catch (Exception e) {
      throw new IllegalStateException("exec " + String.join(" ", cmd), e);
    }
  }

  private static String vtysh(GenericContainer<?> c, String... commands) {
    List<String> cmd =
        new ArrayList<>(List.of("vtysh", "--vty_socket", "/var/run/frr", "-d", "bgpd"));
    for (String s : commands) {
      cmd.add("-c");
      cmd.add(s);
    }
    Container.ExecResult r = exec(c, cmd.toArray(String[]::new));
    if (r.getExitCode() != 0) {
      throw new IllegalStateException(
          "vtysh " + commands[commands.length - 1] + ": " + r.getStdout() + r.getStderr());
    }
    return r.getStdout();
  }

  private static int pfxRcd(GenericContainer<?> c, String afi, String peer) {
    JsonNode p =
        Json.parse(vtysh(c, "show bgp " + afi + " unicast summary json"), "summary")
            .path("peers")
            .path(peer);
    return "Established".equals(p.path("state").asText()) ? p.path("pfxRcd").asInt(-1) : -1;
  }

  private static int received(GenericContainer<?> c, String afi, String peer) {
    return Json.parse(
            vtysh(c, "show bgp " + afi + " unicast neighbors " + peer + " received-routes json"),
            "received-routes")
        .path("totalPrefixCounter")
        .asInt(-1);
  }
}
