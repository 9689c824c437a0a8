package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmpexporter.cli.Main;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.interop.Await;
import org.bmpexporter.interop.Cmd;
import org.bmpexporter.interop.PrometheusApi;
import org.bmpexporter.interop.PrometheusServer;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalTools;
import org.bmpexporter.testing.RequiresTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web config file with real clients: curl over TLS with and without client certificates, basic
 * auth with right, wrong and unknown users, certificates rotated under a running exporter, broken
 * files at start and later. Certificates are made for each run ({@link TestPki}).
 */
@ComponentTest
@RequiresTool(value = "curl", debianPackage = "curl")
class WebSecurityTest {
  private static final Duration CURL_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration RELOAD_WITHIN = Duration.ofSeconds(15);

  @TempDir static Path pkiDir;
  static TestPki pki;
  static TestPki otherPki;
  static TestPki.Issued server1;
  static TestPki.Issued server2;
  static TestPki.Issued client;
  static TestPki.Issued strangerClient;

  /** htpasswd -B hashes of "s3cret" for alice and "hunter2" for bob (made by the real tool). */
  static String aliceHash;

  static String bobHash;

  @TempDir Path dir;
  BmpExporter exporter;

  @BeforeAll
  static void certificates() {
    ExternalTools.require("apache2-utils", "htpasswd");
    pki = TestPki.create(pkiDir, "test-ca");
    otherPki = TestPki.create(pkiDir, "other-ca");
    server1 = pki.server("server-1");
    server2 = pki.server("server-2");
    client = pki.client("scraper");
    strangerClient = otherPki.client("stranger");
    aliceHash = htpasswd("alice", "s3cret");
    bobHash = htpasswd("bob", "hunter2");
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
  }

  @Test
  void requireAndVerifyClientCertRefusesClientsWithoutATrustedCertificate() throws Exception {
    Path web =
        webConfig(
            tls(server1)
                + "  client_auth_type: RequireAndVerifyClientCert\n"
                + "  client_ca_file: "
                + pki.caCert()
                + "\n");
    start(web);
    Cmd.Result without = curl("--cacert", pki.caCert().toString(), https("/healthz"));
    assertThat(without.exit()).as("no client certificate: " + without).isNotZero();

    Cmd.Result stranger =
        curl(
            "--cacert",
            pki.caCert().toString(),
            "--cert",
            strangerClient.cert().toString(),
            "--key",
            strangerClient.key().toString(),
            https("/healthz"));
    assertThat(stranger.exit()).as("a certificate from another CA: " + stranger).isNotZero();

    Cmd.Result with =
        curl(
            "--cacert",
            pki.caCert().toString(),
            "--cert",
            client.cert().toString(),
            "--key",
            client.key().toString(),
            "-w",
            "\n%{http_code}",
            https("/healthz"));
    assertThat(with.exit()).as(with.toString()).isZero();
    assertThat(with.out()).isEqualTo("ok\n\n200");

    Cmd.Result plain = curl("-w", "%{http_code}", "http://127.0.0.1:" + exporter.webPort() + "/");
    assertThat(plain.out()).as("plain HTTP to the TLS port").doesNotStartWith("200");
  }

  @Test
  void basicAuthAcceptsTheRightPasswordOnly() throws Exception {
    Path web =
        webConfig(
            users()
                + "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
                + "    Strict-Transport-Security: max-age=31536000\n");
    start(web);
    String url = "http://127.0.0.1:" + exporter.webPort() + "/healthz";
    assertThat(status(curl("-u", "alice:s3cret", "-D", "-", url))).isEqualTo(200);
    // twice: the second from the cache of checked logins
    Cmd.Result ok = curl("-u", "alice:s3cret", "-D", "-", url);
    assertThat(status(ok)).isEqualTo(200);
    assertThat(ok.out()).containsIgnoringCase("x-frame-options: deny");
    assertThat(ok.out()).containsIgnoringCase("strict-transport-security: max-age=31536000");
    assertThat(status(curl("-u", "bob:hunter2", "-D", "-", url))).isEqualTo(200);

    for (String[] creds :
        List.of(
            new String[] {"alice", "wrong"},
            new String[] {"bob", "s3cret"},
            new String[] {"mallory", "s3cret"},
            new String[] {"alice", ""})) {
      Cmd.Result refused = curl("-u", creds[0] + ":" + creds[1], "-D", "-", url);
      assertThat(status(refused)).as(creds[0] + ":" + creds[1]).isEqualTo(401);
      assertThat(refused.out()).containsIgnoringCase("www-authenticate: Basic");
      assertThat(refused.out()).containsIgnoringCase("x-frame-options: deny");
    }
    Cmd.Result none = curl("-D", "-", "-X", "HEAD", "--max-time", "5", url);
    assertThat(status(none)).isEqualTo(401);
    Cmd.Result metrics =
        curl("-u", "alice:s3cret", "http://127.0.0.1:" + exporter.webPort() + "/metrics");
    assertThat(metrics.out()).contains("bmp_exporter_build_info");
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    Files.copy(server1.cert(), cert);
    Files.copy(server1.key(), key);
    Path web = webConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
    start(web);
    assertThat(servedSerial()).isEqualTo(server1.serial());

    // a certificate manager writes the key, then the certificate, each in one rename
    TestPki.replace(server2.key(), key);
    TestPki.replace(server2.cert(), cert);
    Await.untilEquals(this::servedSerial, server2.serial(), RELOAD_WITHIN, "served serial");
    Await.untilEquals(() -> reloads("success") >= 1, true, RELOAD_WITHIN, "reload counted");
  }

  @Test
  void aBrokenFileAtStartStopsStartUpNamingTheKey() throws Exception {
    Path missingCert =
        webConfig("tls_server_config:\n  cert_file: nowhere.crt\n  key_file: nowhere.key\n");
    assertThatThrownBy(() -> start(missingCert))
        .hasMessageContaining("tls_server_config.cert_file")
        .hasMessageContaining("no such file");

    Path unknownKey = webConfig("basic_auth_user:\n  alice: " + aliceHash + "\n");
    assertThatThrownBy(() -> start(unknownKey))
        .hasMessageContaining("basic_auth_user: unknown key");

    Path wrongKey =
        webConfig(
            "tls_server_config:\n  cert_file: "
                + server1.cert()
                + "\n  key_file: "
                + server2.key()
                + "\n");
    assertThatThrownBy(() -> start(wrongKey))
        .hasMessageContaining("tls_server_config.key_file")
        .hasMessageContaining("does not belong");

    Path notBcrypt = webConfig("basic_auth_users:\n  alice: s3cret\n");
    assertThatThrownBy(() -> start(notBcrypt)).hasMessageContaining("basic_auth_users.alice");

    // the command line: exit status 1, the problem on stderr
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit =
          Main.commandLine()
              .execute(
                  "--web.config.file",
                  unknownKey.toString(),
                  "--bmp-listen",
                  "127.0.0.1:0",
                  "--web-listen",
                  "127.0.0.1:0",
                  "--no-warmup");
    } finally {
      System.setErr(err);
    }
    assertThat(exit).isEqualTo(1);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("basic_auth_user: unknown key");
  }

  @Test
  void aBrokenFileLaterKeepsTheLastGoodOneAndIsCounted() throws Exception {
    Path web = webConfig(users());
    start(web);
    String url = "http://127.0.0.1:" + exporter.webPort() + "/healthz";
    assertThat(status(curl("-u", "alice:s3cret", "-D", "-", url))).isEqualTo(200);
    assertThat(reloads("failure")).isZero();

    Files.writeString(web, users() + "rate_limit:\n  every: 1s\n");
    Await.untilEquals(() -> reloads("failure"), 1.0, RELOAD_WITHIN, "failed reloads");
    assertThat(status(curl("-u", "alice:s3cret", "-D", "-", url))).isEqualTo(200);
    // logged and counted once per broken version, not once per check
    Thread.sleep(2 * WebSecurity.CHECK_PERIOD.toMillis() + 500);
    assertThat(reloads("failure")).isEqualTo(1.0);

    Files.writeString(web, "basic_auth_users:\n  bob: " + bobHash + "\n");
    Await.untilEquals(() -> reloads("success"), 1.0, RELOAD_WITHIN, "successful reloads");
    assertThat(status(curl("-u", "bob:hunter2", "-D", "-", url))).isEqualTo(200);
    assertThat(status(curl("-u", "alice:s3cret", "-D", "-", url))).isEqualTo(401);
  }

  /**
   * A real Prometheus scrapes through TLS with a client certificate and basic auth ({@code
   * tls_config}, {@code basic_auth}): up; without the password, or without TLS: down.
   */
  @Test
  @RequiresTool(value = "prometheus", debianPackage = "prometheus")
  void prometheusScrapesWithTlsConfigAndBasicAuthOnly() throws Exception {
    Path web =
        webConfig(
            tls(server1)
                + "  client_auth_type: RequireAndVerifyClientCert\n"
                + "  client_ca_file: "
                + pki.caCert()
                + "\n"
                + users());
    start(web);
    String target = "127.0.0.1:" + exporter.webPort();
    String tlsConfig =
        "    tls_config:\n"
            + "      ca_file: "
            + pki.caCert()
            + "\n      cert_file: "
            + client.cert()
            + "\n      key_file: "
            + client.key()
            + "\n";
    String targets = "    static_configs:\n      - targets: [\"" + target + "\"]\n";
    try (PrometheusServer prometheus = new PrometheusServer(dir.resolve("prometheus"))) {
      prometheus
          .rawJob(
              "  - job_name: secured\n    scheme: https\n"
                  + tlsConfig
                  + "    basic_auth:\n      username: alice\n      password: s3cret\n"
                  + targets)
          .rawJob(
              "  - job_name: wrong_password\n    scheme: https\n"
                  + tlsConfig
                  + "    basic_auth:\n      username: alice\n      password: guess\n"
                  + targets)
          .rawJob("  - job_name: no_tls\n" + targets)
          .start();
      Await.untilEquals(
          () -> upOf(prometheus, "secured"), 1.0, Duration.ofSeconds(30), "up{job=secured}");
      Await.untilEquals(
          () -> upOf(prometheus, "wrong_password"),
          0.0,
          Duration.ofSeconds(30),
          "up{job=wrong_password}");
      Await.untilEquals(
          () -> upOf(prometheus, "no_tls"), 0.0, Duration.ofSeconds(30), "up{job=no_tls}");
      // the secured job got the exporter's own series
      assertThat(prometheus.value("count(bmp_exporter_build_info{job=\"secured\"})"))
          .isEqualTo(1.0);
    }
  }

  private static double upOf(PrometheusServer prometheus, String job) {
    List<PrometheusApi.Series> s = prometheus.query("up{job=\"" + job + "\"}");
    return s.size() == 1 ? s.get(0).value() : Double.NaN;
  }

  private void start(Path webConfig) throws Exception {
    exporter =
        BmpExporter.start(
            ExporterConfig.defaults()
                .withWarmup(false)
                .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                .withWebListen(new HostPort("127.0.0.1", 0))
                .withWebConfigFile(webConfig.toString()));
  }

  private Path webConfig(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "web", ".yml");
    Files.writeString(f, yaml);
    return f;
  }

  static String tls(TestPki.Issued server) {
    return "tls_server_config:\n  cert_file: "
        + server.cert()
        + "\n  key_file: "
        + server.key()
        + "\n";
  }

  static String users() {
    return "basic_auth_users:\n  alice: " + aliceHash + "\n  bob: " + bobHash + "\n";
  }

  private String https(String path) {
    return "https://127.0.0.1:" + exporter.webPort() + path;
  }

  /** The serial number of the certificate the server presents, in lower-case hex. */
  private String servedSerial() {
    Cmd.Result r =
        curl(
            "--cacert",
            pki.caCert().toString(),
            "-o",
            "/dev/null",
            "-w",
            "%{certs}",
            https("/healthz"));
    Matcher m = Pattern.compile("(?m)^Serial Number:\\s*([0-9a-fA-F:]+)").matcher(r.out());
    return m.find()
        ? m.group(1).replace(":", "").replaceFirst("^0+", "").toLowerCase(java.util.Locale.ROOT)
        : r.out();
  }

  private double reloads(String result) {
    Matcher m =
        Pattern.compile(
                "(?m)^bmp_exporter_web_config_reloads_total\\{result=\"" + result + "\"\\} (\\S+)$")
            .matcher(exporter.meters().scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  static Cmd.Result curl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    cmd.addAll(List.of(args));
    return Cmd.run(CURL_TIMEOUT, cmd);
  }

  /** The status of the last response in curl's -D output. */
  static int status(Cmd.Result r) {
    Matcher m = Pattern.compile("(?m)^HTTP/[0-9.]+ (\\d{3})").matcher(r.out());
    int status = -1;
    while (m.find()) {
      status = Integer.parseInt(m.group(1));
    }
    return status;
  }

  /** A bcrypt hash as an operator makes one: {@code htpasswd -nbBC 10}. */
  static String htpasswd(String user, String password) {
    Cmd.Result r = Cmd.run(CURL_TIMEOUT, "htpasswd", "-nbBC", "10", user, password).check();
    return r.out().strip().substring(user.length() + 1);
  }
}
