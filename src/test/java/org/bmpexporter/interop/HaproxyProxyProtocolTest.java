package org.bmpexporter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bmpexporter.config.Cidr;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.server.BmpExporter;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalTools;
import org.bmpexporter.testing.RequiresTool;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HAProxy in front of the BMP listener, a real router (gobgpd) behind it:
 *
 * <pre>
 *   gobgpd --BMP--> 127.0.0.1:F1  HAProxy  send-proxy-v2  --from 127.0.0.20--> exporter
 *          --BMP--> [::1]:F2      HAProxy  send-proxy (v1) --from 127.0.0.20--> exporter
 * </pre>
 *
 * The exporter trusts 127.0.0.20 only, and its access list does not even name it: the sessions are
 * accepted and labelled by the router's own addresses (127.0.0.1 and ::1, the sources of gobgpd's
 * two BMP connections), which only the PROXY headers carry. Sessions that break the rules are sent
 * by hand from other loopback addresses.
 */
@ComponentTest
@RequiresTool(value = "haproxy", debianPackage = "haproxy")
@Timeout(120)
class HaproxyProxyProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PROXY = "127.0.0.20";
  private static final String UNTRUSTED = "127.0.0.21";
  private static final int ROUTER_AS = 65010;
  private static final List<String> PREFIXES = List.of("10.77.0.0/16", "10.78.0.0/16");

  /** gobgpd with locally originated routes and no BGP listener, exporting BMP. */
  static final class Router extends Gobgpd {
    Router(Path workDir) {
      super("gobgp-bmp", workDir);
    }

    void start() {
      writeConfig(
          "[global.config]\n  as = " + ROUTER_AS + "\n  router-id = \"127.0.0.10\"\n  port = -1\n");
      startDaemon();
    }
  }

  @Test
  void routersBehindHaproxyAreLabelledByTheirOwnAddress(@TempDir Path dir) throws Exception {
    ExternalTools.require("gobgpd", Tools.GOBGPD);
    ExternalTools.require("gobgpd", Tools.GOBGP);
    ExporterConfig config =
        ExporterConfig.defaults()
            .withWarmup(false)
            .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
            .withWebListen(new HostPort("127.0.0.1", 0))
            .with("bmp.proxy_protocol.trusted", List.of(PROXY + "/32"))
            .with(
                "bmp.allow",
                List.of(
                    Cidr.parse("127.0.0.1/32"),
                    Cidr.parse("::1/128"),
                    Cidr.parse(UNTRUSTED + "/32")));
    try (BmpExporter exporter = BmpExporter.start(config);
        Router router = new Router(dir.resolve("gobgp"))) {
      int bmp = exporter.bmpPorts().get(0);
      int web = exporter.webPort();
      int v2Port = Ports.free("127.0.0.1");
      int v1Port = Ports.free("::1");
      Path cfg = dir.resolve("haproxy.cfg");
      Files.writeString(cfg, haproxyConfig(v2Port, v1Port, bmp));
      Cmd.run(Duration.ofSeconds(20), "haproxy", "-c", "-f", cfg.toString()).check();
      try (Proc haproxy =
          Proc.start(
              "haproxy-proxy-protocol", dir, List.of("haproxy", "-db", "-f", cfg.toString()))) {
        Await.until(
            () -> listening(v2Port, "127.0.0.1") && listening(v1Port, "::1"),
            Duration.ofSeconds(20),
            "haproxy listening");
        router.start();
        for (String p : PREFIXES) {
          router.cli("global", "rib", "add", p, "-a", "ipv4").check();
        }
        router.cli("bmp", "add", "127.0.0.1:" + v2Port, "all").check();
        router.cli("bmp", "add", "[::1]:" + v1Port, "all").check();
        try {
          Scrape.await(
              WAIT,
              "both sessions through HAProxy, labelled by the router's addresses",
              () -> {
                Scrape m = Scrape.http(web);
                return m.value("bmp_router_up", "router", "127.0.0.1") == 1
                    && m.value("bmp_router_up", "router", "::1") == 1
                    && locRib(m, "127.0.0.1") == PREFIXES.size()
                    && locRib(m, "::1") == PREFIXES.size();
              });
        } catch (AssertionError e) {
          throw new AssertionError(
              e.getMessage() + "; exporter says:\n" + sessionLines(Scrape.http(web)), e);
        }
        Scrape m = Scrape.http(web);
        assertThat(m.find("bmp_router_up").stream().map(s -> s.labels().get("router")))
            .as("no session under the proxy's address")
            .containsExactlyInAnyOrder("127.0.0.1", "::1");
        assertThat(m.has("bmp_router_info", "router", "127.0.0.1", "sys_name", "GoBGP")).isTrue();
        assertThat(m.value("bmp_sessions_rejected_total", "reason", "proxy_protocol")).isZero();
        assertThat(m.value("bmp_sessions_rejected_total", "reason", "access_list")).isZero();
        assertThat(haproxy.alive()).isTrue();

        refusals(bmp, web);
      }
    }
  }

  /** What the rules refuse, each counted. */
  private static void refusals(int bmp, int web) throws Exception {
    byte[] bmpStart = Bmp.initiation("hand-made", "x");
    // an untrusted sender's PROXY header could name any router: refused
    try (Socket s =
        send(UNTRUSTED, bmp, ascii("PROXY TCP4 192.0.2.99 127.0.0.1 5000 11019\r\n"), bmpStart)) {
      assertThat(closedByPeer(s)).isTrue();
    }
    await(web, "proxy_protocol", 1);
    // from the trusted proxy, a header is required
    try (Socket s = send(PROXY, bmp, bmpStart)) {
      assertThat(closedByPeer(s)).isTrue();
    }
    await(web, "proxy_protocol", 2);
    // the access list applies to the router the header names, not to the proxy
    try (Socket s =
        send(PROXY, bmp, ascii("PROXY TCP4 198.51.100.7 127.0.0.1 5000 11019\r\n"), bmpStart)) {
      assertThat(closedByPeer(s)).isTrue();
    }
    await(web, "access_list", 1);
    Scrape m = Scrape.http(web);
    assertThat(m.has("bmp_router_up", "router", "198.51.100.7")).isFalse();
    assertThat(m.has("bmp_router_up", "router", PROXY)).isFalse();
  }

  private static void await(int web, String reason, int n) {
    Scrape.await(
        WAIT,
        n + " refused for " + reason,
        () -> Scrape.http(web).value("bmp_sessions_rejected_total", "reason", reason) == n);
  }

  static String haproxyConfig(int v2Port, int v1Port, int bmpPort) {
    return String.join(
        "\n",
        "# generated by HaproxyProxyProtocolTest",
        "defaults",
        "  mode tcp",
        "  timeout connect 5s",
        "  timeout client 1h",
        "  timeout server 1h",
        "frontend bmp_v2",
        "  bind 127.0.0.1:" + v2Port,
        "  default_backend exporter_v2",
        "frontend bmp_v1",
        "  bind [::1]:" + v1Port,
        "  default_backend exporter_v1",
        "backend exporter_v2",
        "  server exporter 127.0.0.1:" + bmpPort + " send-proxy-v2 source " + PROXY,
        "backend exporter_v1",
        "  server exporter 127.0.0.1:" + bmpPort + " send-proxy source " + PROXY,
        "");
  }

  private static String sessionLines(Scrape m) {
    StringBuilder b = new StringBuilder();
    for (Scrape.Sample x : m.samples()) {
      if (x.name().startsWith("bmp_router_up")
          || x.name().equals("bmp_routes")
          || x.name().startsWith("bmp_sessions")) {
        b.append(x).append('\n');
      }
    }
    return b.toString();
  }

  private static double locRib(Scrape m, String router) {
    return m.sum("bmp_routes", "router", router, "rib", "loc_rib", "afi_safi", "ipv4_unicast");
  }

  /**
   * Whether something listens on host:port, found without connecting (a probe connection would be
   * proxied to the exporter as a session of its own): the port cannot be bound.
   */
  private static boolean listening(int port, String host) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  static Socket send(String from, int port, byte[]... chunks) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    OutputStream out = s.getOutputStream();
    for (byte[] c : chunks) {
      out.write(c);
    }
    out.flush();
    return s;
  }

  static boolean closedByPeer(Socket s) throws IOException {
    s.setSoTimeout((int) WAIT.toMillis());
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
