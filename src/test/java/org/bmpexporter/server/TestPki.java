package org.bmpexporter.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.interop.Cmd;

/**
 * Throw-away certificates made at test time with the JDK's keytool: a CA, servers for
 * 127.0.0.1/localhost and clients signed by it, written as PEM (certificate, PKCS#8 key) as the web
 * config file and curl read them. Nothing here is kept beyond the test's temporary directory.
 */
final class TestPki {
  private static final String PASS = "test-only";
  private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final String caName;
  private final Path caStore;

  /** A PEM certificate and its key; {@code serial} in hex as tools print it. */
  record Issued(Path cert, Path key, String serial, String subject) {}

  private TestPki(Path dir, String caName) {
    this.dir = dir;
    this.caName = caName;
    this.caStore = dir.resolve(caName + ".p12");
  }

  /** A new CA named {@code caName} in {@code dir}. */
  static TestPki create(Path dir, String caName) {
    TestPki pki = new TestPki(dir, caName);
    pki.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + caName,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        pki.caStore.toString());
    pki.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        pki.caStore.toString(),
        "-file",
        pki.caCert().toString());
    return pki;
  }

  Path caCert() {
    return dir.resolve(caName + ".crt");
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  Issued server(String name) {
    return issue(name, "serverAuth", "san=ip:127.0.0.1,dns:localhost");
  }

  /** A client certificate. */
  Issued client(String name) {
    return issue(name, "clientAuth", "san=dns:" + name);
  }

  private Issued issue(String name, String usage, String san) {
    Path store = dir.resolve(name + ".p12");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-keystore",
        store.toString());
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        caStore.toString(),
        "-infile",
        csr.toString(),
        "-outfile",
        cert.toString(),
        "-ext",
        san,
        "-ext",
        "eku=" + usage,
        "-validity",
        "2");
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASS.toCharArray());
      PrivateKey k = (PrivateKey) ks.getKey(name, PASS.toCharArray());
      Files.writeString(key, WebConfigFile.pkcs8Pem(k));
      X509Certificate c =
          (X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509")
                  .generateCertificate(Files.newInputStream(cert));
      return new Issued(cert, key, c.getSerialNumber().toString(16), "CN=" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("reading " + store, e);
    }
  }

  /** Replaces {@code to} with {@code from} in one rename, as a certificate manager would. */
  static void replace(Path from, Path to) throws IOException {
    Path tmp = to.resolveSibling(to.getFileName() + ".new");
    Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void keytool(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", PASS, "-storetype", "PKCS12", "-noprompt"));
    if (List.of(args).contains("-genkeypair")) {
      cmd.addAll(List.of("-keypass", PASS));
    }
    Cmd.run(KEYTOOL_TIMEOUT, cmd).check();
  }
}
