package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web config file's checks: each problem named by its key, all of them at once. */
class WebConfigFileTest {
  /** bcrypt of "example-password", cost 4 (htpasswd -nbBC 4). */
  static final String HASH = "$2y$04$cyVViKFY456uMCA8yZjBVuk3reOy0hJfsze2Df.o9bfFz4fZp2Ot6";

  @TempDir Path dir;

  private WebConfigFile read(String yaml) throws Exception {
    Path f = dir.resolve("web.yml");
    Files.writeString(f, yaml);
    return WebConfigFile.read(f);
  }

  @Test
  void anEmptyFileIsPlainHttpWithoutUsers() throws Exception {
    WebConfigFile c = read("");
    assertThat(c.tls()).isEmpty();
    assertThat(c.users()).isEmpty();
    assertThat(c.http2()).isTrue();
  }

  @Test
  void usersHeadersAndRateLimitAreRead() throws Exception {
    WebConfigFile c =
        read(
            "basic_auth_users:\n  alice: "
                + HASH
                + "\nhttp_server_config:\n  http2: false\n  headers:\n"
                + "    x-frame-options: SAMEORIGIN\n    X-XSS-Protection: ''\n"
                + "rate_limit:\n  interval: 100ms\n  burst: 5\n");
    assertThat(c.users()).containsEntry("alice", HASH);
    assertThat(c.headers()).isEqualTo(Map.of("X-Frame-Options", "SAMEORIGIN"));
    assertThat(c.http2()).isFalse();
    assertThat(c.rateLimit()).hasValueSatisfying(r -> assertThat(r.burst()).isEqualTo(5));
  }

  @Test
  void everyProblemIsNamedByItsKey() {
    assertThatThrownBy(
            () ->
                read(
                    "tls_server_config:\n  cert_file: none.crt\n  key_file: none.key\n"
                        + "  client_auth_type: RequireAndVerifyClientCert\n"
                        + "  min_version: TLS13\n  max_version: TLS12\n"
                        + "  cipher_suites: [NOT_A_SUITE]\n  colour: blue\n"
                        + "http_server_config:\n  headers:\n    Server: mine\n"
                        + "    X-Content-Type-Options: sniff\n"
                        + "basic_auth_users:\n  alice: plain\n  'a:b': "
                        + HASH
                        + "\nrate_limit:\n  interval: 1s\n  burst: 0\n"
                        + "extra: 1\n"))
        .isInstanceOf(WebConfigFile.Invalid.class)
        .hasMessageContaining("extra: unknown key")
        .hasMessageContaining("tls_server_config.colour: unknown key")
        .hasMessageContaining("tls_server_config.cert_file:")
        .hasMessageContaining("no such file")
        .hasMessageContaining("RequireAndVerifyClientCert needs client_ca_file")
        .hasMessageContaining("tls_server_config.min_version: TLS13 is above max_version TLS12")
        .hasMessageContaining("'NOT_A_SUITE' is not a supported suite")
        .hasMessageContaining("http_server_config.headers.Server: not an allowed header")
        .hasMessageContaining("X-Content-Type-Options: 'sniff' is not one of [nosniff]")
        .hasMessageContaining("basic_auth_users.alice: not a bcrypt hash")
        .hasMessageContaining("basic_auth_users.a:b: a user name cannot contain ':'")
        .hasMessageContaining("rate_limit.burst: must be at least 1");
  }

  @Test
  void malformedYamlNamesTheLine() {
    assertThatThrownBy(() -> read("basic_auth_users:\n  alice: [\n")).hasMessageContaining("line ");
    assertThatThrownBy(() -> read("- a list\n")).hasMessageContaining("mapping");
    assertThatThrownBy(() -> read("basic_auth_users:\n  a: x\n  a: y\n"))
        .hasMessageContaining("Duplicate");
  }

  @Test
  void basicAuthChecksTheHashAndCachesSuccessOnly() {
    BasicAuth auth = new BasicAuth(Map.of("alice", HASH));
    assertThat(auth.check("alice", "example-password")).isTrue();
    assertThat(auth.cachedValid("alice", "example-password")).isTrue();
    assertThat(auth.check("alice", "other")).isFalse();
    assertThat(auth.cachedValid("alice", "other")).isFalse();
    assertThat(auth.check("bob", "example-password")).isFalse();
    assertThat(auth.cachedValid("bob", "example-password")).isFalse();
    assertThat(BasicAuth.credentials("Basic YWxpY2U6cDpx"))
        .hasValueSatisfying(c -> assertThat(c).containsExactly("alice", "p:q"));
    assertThat(BasicAuth.credentials("Basic !!!")).isEmpty();
    assertThat(BasicAuth.credentials("Bearer x")).isEmpty();
  }
}
