package org.bmpexporter.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.http.ClientAuth;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.bmpexporter.config.Durations;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A web configuration file in the format of the Prometheus exporter-toolkit ({@code
 * --web.config.file}): TLS, basic-auth users with bcrypt hashes, response headers and a rate limit.
 * Unknown keys are errors, as there; relative file names are read from the file's directory. Each
 * problem names its key: {@code tls_server_config.client_auth_type: ...}.
 */
record WebConfigFile(
    Optional<Tls> tls,
    boolean http2,
    Map<String, String> headers,
    Map<String, String> users,
    Optional<RateLimit> rateLimit,
    String fingerprint) {

  /** Client-certificate policies, named as the exporter-toolkit (Go's tls.ClientAuthType) does. */
  enum ClientAuthType {
    NoClientCert(ClientAuth.NONE, false),
    RequestClientCert(ClientAuth.REQUEST, false),
    RequireAnyClientCert(ClientAuth.REQUIRED, false),
    VerifyClientCertIfGiven(ClientAuth.REQUEST, true),
    RequireAndVerifyClientCert(ClientAuth.REQUIRED, true);

    final ClientAuth vertx;
    final boolean verifies;

    ClientAuthType(ClientAuth vertx, boolean verifies) {
      this.vertx = vertx;
      this.verifies = verifies;
    }
  }

  /** {@code tls_server_config}, with the PEM contents already read. */
  record Tls(
      String certPem,
      String keyPem,
      ClientAuthType clientAuth,
      Optional<String> clientCaPem,
      List<String> clientAllowedSans,
      List<String> protocols,
      List<String> cipherSuites) {}

  /** {@code rate_limit}: a token bucket, one token per interval, {@code burst} at most. */
  record RateLimit(Duration interval, int burst) {}

  /** A file that cannot be used; the message names the file and every problem. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final List<String> TOP_KEYS =
      List.of("tls_server_config", "http_server_config", "basic_auth_users", "rate_limit");
  private static final List<String> TLS_KEYS =
      List.of(
          "cert",
          "key",
          "client_ca",
          "cert_file",
          "key_file",
          "client_auth_type",
          "client_ca_file",
          "client_allowed_sans",
          "min_version",
          "max_version",
          "cipher_suites",
          "prefer_server_cipher_suites",
          "curve_preferences");
  private static final List<String> HTTP_KEYS = List.of("http2", "headers");
  private static final List<String> RATE_KEYS = List.of("interval", "burst");

  /** The headers the exporter-toolkit allows, and the values it allows for some of them. */
  private static final Map<String, Set<String>> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("Content-Security-Policy", Set.of());
    HEADERS.put("X-Frame-Options", Set.of("deny", "sameorigin"));
    HEADERS.put("X-Content-Type-Options", Set.of("nosniff"));
    HEADERS.put("X-XSS-Protection", Set.of());
    HEADERS.put("Strict-Transport-Security", Set.of());
  }

  /** The exporter-toolkit's version names, oldest first, with the JDK's. */
  private static final Map<String, String> VERSIONS =
      Map.of("TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");

  private static final List<String> VERSION_ORDER = List.of("TLS10", "TLS11", "TLS12", "TLS13");

  /**
   * Cipher suites of TLS 1.3, which Go does not let cipher_suites restrict and the JDK does: added
   * so that a list meant for TLS 1.2 does not turn TLS 1.3 off.
   */
  private static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  WebConfigFile {
    headers = Map.copyOf(headers);
    users = Map.copyOf(users);
  }

  boolean tlsEnabled() {
    return tls.isPresent();
  }

  /** Reads and checks {@code file} and every file it names. */
  static WebConfigFile read(Path file) throws Invalid {
    Reader r = new Reader(file);
    WebConfigFile config = r.parse();
    if (!r.problems.isEmpty()) {
      throw new Invalid(
          "web config file " + file + ": " + String.join("; ", r.problems.stream().toList()));
    }
    return config;
  }

  /**
   * A digest of the file and of every file it named when it was read: a change to any of them (a
   * renewed certificate) changes it. Null-free: a file that cannot be read digests as missing.
   */
  static String fingerprintOf(Path file, List<Path> named) {
    MessageDigest sha = sha256();
    List<Path> all = new ArrayList<>();
    all.add(file);
    all.addAll(named);
    for (Path p : all) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(p);
      } catch (IOException e) {
        bytes = ("missing:" + e.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8);
      }
      sha.update(p.toString().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(bytes);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The files a configuration names (certificate, key, CA), for {@link #fingerprintOf}. */
  static List<Path> namedFiles(Path file) {
    try {
      JsonNode root = YAML.readTree(Files.readAllBytes(file));
      JsonNode tls = root == null ? null : root.get("tls_server_config");
      List<Path> out = new ArrayList<>();
      if (tls != null && tls.isObject()) {
        for (String key : List.of("cert_file", "key_file", "client_ca_file")) {
          if (tls.get(key) != null && tls.get(key).isTextual()) {
            out.add(resolve(file, tls.get(key).asText()));
          }
        }
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Path resolve(Path file, String name) {
    Path dir = file.toAbsolutePath().getParent();
    return dir == null ? Path.of(name) : dir.resolve(name);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** One reading of the file: problems are collected, so that all are reported at once. */
  private static final class Reader {
    final Path file;
    final List<String> problems = new ArrayList<>();
    final List<Path> named = new ArrayList<>();

    Reader(Path file) {
      this.file = file;
    }

    WebConfigFile parse() {
      JsonNode root;
      try {
        root = YAML.readTree(Files.readAllBytes(file));
      } catch (NoSuchFileException e) {
        problems.add("no such file");
        return null;
      } catch (JsonProcessingException e) {
        problems.add(
            "line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ": "
                + e.getOriginalMessage());
        return null;
      } catch (IOException e) {
        problems.add("cannot read: " + e.getMessage());
        return null;
      }
      if (root == null || root.isMissingNode() || root.isNull()) {
        root = YAML.createObjectNode(); // empty: plain HTTP, no users, as exporter-toolkit does
      }
      if (!root.isObject()) {
        problems.add("expected a mapping of keys at the top level");
        return null;
      }
      knownKeys(root, "", TOP_KEYS);
      Optional<Tls> tls = Optional.empty();
      JsonNode tlsNode = root.get("tls_server_config");
      if (tlsNode != null && !tlsNode.isNull() && mapping(tlsNode, "tls_server_config")) {
        tls = tls(tlsNode);
      }
      boolean http2 = true;
      Map<String, String> headers = new LinkedHashMap<>();
      JsonNode httpNode = root.get("http_server_config");
      if (httpNode != null && !httpNode.isNull() && mapping(httpNode, "http_server_config")) {
        knownKeys(httpNode, "http_server_config.", HTTP_KEYS);
        if (httpNode.has("http2")) {
          if (httpNode.get("http2").isBoolean()) {
            http2 = httpNode.get("http2").asBoolean();
          } else {
            problems.add("http_server_config.http2: expected true or false");
          }
        }
        headers(httpNode.get("headers"), headers);
      }
      Map<String, String> users = users(root.get("basic_auth_users"));
      Optional<RateLimit> rate = rateLimit(root.get("rate_limit"));
      if (!problems.isEmpty()) {
        return null;
      }
      return new WebConfigFile(tls, http2, headers, users, rate, fingerprintOf(file, named));
    }

    private Optional<Tls> tls(JsonNode n) {
      knownKeys(n, "tls_server_config.", TLS_KEYS);
      if (n.has("curve_preferences")) {
        problems.add(
            "tls_server_config.curve_preferences: not supported here (the JVM's named groups apply;"
                + " set them with -Djdk.tls.namedGroups)");
      }
      String cert = pem(n, "cert", "cert_file", true);
      String key = pem(n, "key", "key_file", true);
      String ca = pem(n, "client_ca", "client_ca_file", false);
      ClientAuthType auth = ClientAuthType.NoClientCert;
      String authText = text(n, "client_auth_type");
      if (authText != null) {
        try {
          auth = ClientAuthType.valueOf(authText);
        } catch (IllegalArgumentException e) {
          problems.add(
              "tls_server_config.client_auth_type: '"
                  + authText
                  + "' is not one of "
                  + Arrays.toString(ClientAuthType.values()));
        }
      }
      if (auth.verifies && ca == null) {
        problems.add(
            "tls_server_config.client_auth_type: " + auth + " needs client_ca_file (or client_ca)");
      }
      if (!auth.verifies && ca != null) {
        problems.add(
            "tls_server_config.client_ca_file: set, but client_auth_type "
                + auth
                + " does not verify client certificates (use RequireAndVerifyClientCert)");
      }
      List<String> sans = strings(n, "client_allowed_sans");
      if (!sans.isEmpty()
          && auth != ClientAuthType.RequireAnyClientCert
          && auth != ClientAuthType.RequireAndVerifyClientCert) {
        problems.add(
            "tls_server_config.client_allowed_sans: needs client_auth_type "
                + "RequireAnyClientCert or RequireAndVerifyClientCert");
      }
      String min = version(n, "min_version", "TLS12");
      String max = version(n, "max_version", "TLS13");
      List<String> protocols = new ArrayList<>();
      if (min != null && max != null) {
        int from = VERSION_ORDER.indexOf(min);
        int to = VERSION_ORDER.indexOf(max);
        if (from > to) {
          problems.add("tls_server_config.min_version: " + min + " is above max_version " + max);
        }
        for (int i = from; i <= to; i++) {
          protocols.add(VERSIONS.get(VERSION_ORDER.get(i)));
        }
      }
      List<String> suites = cipherSuites(n);
      if (n.has("prefer_server_cipher_suites")
          && !n.get("prefer_server_cipher_suites").isBoolean()) {
        problems.add("tls_server_config.prefer_server_cipher_suites: expected true or false");
      }
      if (cert != null && key != null) {
        key = checkKeyPair(cert, key);
      }
      if (ca != null) {
        checkCertificates(ca, "tls_server_config.client_ca_file");
      }
      if (cert == null || key == null) {
        return Optional.empty();
      }
      return Optional.of(
          new Tls(cert, key, auth, Optional.ofNullable(ca), sans, protocols, suites));
    }

    /** Inline PEM or a file's; both, or (if required) neither, is a problem. */
    private String pem(JsonNode n, String inline, String fileKey, boolean required) {
      String value = text(n, inline);
      String name = text(n, fileKey);
      String at = "tls_server_config." + fileKey;
      if (value != null && name != null) {
        problems.add(at + ": set together with " + inline + "; give one");
        return null;
      }
      if (value != null) {
        return value;
      }
      if (name == null || name.isEmpty()) {
        if (required) {
          problems.add(at + ": missing (or " + inline + " inline)");
        }
        return null;
      }
      Path p = resolve(file, name);
      named.add(p);
      try {
        return Files.readString(p, StandardCharsets.ISO_8859_1);
      } catch (NoSuchFileException e) {
        problems.add(at + ": " + p + ": no such file");
      } catch (IOException e) {
        problems.add(at + ": " + p + ": cannot read: " + e.getMessage());
      }
      return null;
    }

    private String version(JsonNode n, String key, String fallback) {
      String v = text(n, key);
      if (v == null) {
        return fallback;
      }
      if (!VERSIONS.containsKey(v)) {
        problems.add("tls_server_config." + key + ": '" + v + "' is not one of " + VERSION_ORDER);
        return null;
      }
      return v;
    }

    private List<String> cipherSuites(JsonNode n) {
      List<String> given = strings(n, "cipher_suites");
      if (given.isEmpty()) {
        return List.of();
      }
      Set<String> supported;
      try {
        supported = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no default TLS context", e);
      }
      List<String> out = new ArrayList<>();
      for (String s : given) {
        if (!supported.contains(s)) {
          problems.add("tls_server_config.cipher_suites: '" + s + "' is not a supported suite");
        } else if (!TLS13_SUITES.contains(s)) {
          out.add(s);
        }
      }
      out.addAll(TLS13_SUITES);
      return out;
    }

    private void headers(JsonNode n, Map<String, String> out) {
      if (n == null || n.isNull()) {
        return;
      }
      if (!mapping(n, "http_server_config.headers")) {
        return;
      }
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        String at = "http_server_config.headers." + e.getKey();
        String name =
            HEADERS.keySet().stream()
                .filter(h -> h.equalsIgnoreCase(e.getKey()))
                .findFirst()
                .orElse(null);
        if (name == null) {
          problems.add(at + ": not an allowed header (allowed: " + HEADERS.keySet() + ")");
          continue;
        }
        if (!e.getValue().isTextual()) {
          problems.add(at + ": expected a string");
          continue;
        }
        String value = e.getValue().asText();
        Set<String> allowed = HEADERS.get(name);
        if (!value.isEmpty()
            && !allowed.isEmpty()
            && !allowed.contains(value.toLowerCase(Locale.ROOT))) {
          problems.add(at + ": '" + value + "' is not one of " + new TreeSet<>(allowed));
          continue;
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
          problems.add(at + ": control characters are not allowed in a header value");
          continue;
        }
        if (!value.isEmpty()) { // blank means unset
          out.put(name, value);
        }
      }
    }

    private Map<String, String> users(JsonNode n) {
      Map<String, String> out = new LinkedHashMap<>();
      if (n == null || n.isNull() || !mapping(n, "basic_auth_users")) {
        return out;
      }
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        String at = "basic_auth_users." + e.getKey();
        if (e.getKey().contains(":")) {
          problems.add(at + ": a user name cannot contain ':' (basic auth separates with it)");
        } else if (!e.getValue().isTextual()) {
          problems.add(at + ": expected a bcrypt hash string");
        } else if (!isBcrypt(e.getValue().asText())) {
          problems.add(
              at
                  + ": not a bcrypt hash ($2a$, $2b$ or $2y$; e.g. htpasswd -nBC 10 \"\" | tr -d"
                  + " ':\\n')");
        } else {
          out.put(e.getKey(), e.getValue().asText());
        }
      }
      return out;
    }

    private Optional<RateLimit> rateLimit(JsonNode n) {
      if (n == null || n.isNull() || !mapping(n, "rate_limit")) {
        return Optional.empty();
      }
      knownKeys(n, "rate_limit.", RATE_KEYS);
      Duration interval = Duration.ZERO;
      JsonNode given = n.get("interval");
      String text = null;
      if (given != null && (given.isTextual() || given.isIntegralNumber())) {
        text = given.asText();
      } else if (given != null && !given.isNull()) {
        problems.add("rate_limit.interval: expected a duration like 100ms or 1s");
      }
      if (text != null && !text.equals("0")) {
        try {
          interval = Durations.parse(text);
        } catch (IllegalArgumentException e) {
          problems.add("rate_limit.interval: " + e.getMessage());
        }
      }
      int burst = 0;
      if (n.has("burst")) {
        if (n.get("burst").canConvertToInt() && n.get("burst").isIntegralNumber()) {
          burst = n.get("burst").asInt();
        } else {
          problems.add("rate_limit.burst: expected a whole number");
        }
      }
      if (interval.isZero()) {
        return Optional.empty(); // 0 disables the limiter, as in exporter-toolkit
      }
      if (burst < 1) {
        problems.add("rate_limit.burst: must be at least 1 when an interval is set");
      }
      return Optional.of(new RateLimit(interval, Math.max(1, burst)));
    }

    private boolean mapping(JsonNode n, String at) {
      if (!n.isObject()) {
        problems.add(at + ": expected a mapping");
        return false;
      }
      return true;
    }

    private void knownKeys(JsonNode n, String prefix, List<String> known) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (!known.contains(e.getKey())) {
          problems.add(
              prefix + e.getKey() + ": unknown key (known: " + String.join(", ", known) + ")");
        }
      }
    }

    private String text(JsonNode n, String key) {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        problems.add("tls_server_config." + key + ": expected a string");
        return null;
      }
      return v.asText();
    }

    private List<String> strings(JsonNode n, String key) {
      JsonNode v = n.get(key);
      List<String> out = new ArrayList<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (!v.isArray()) {
        problems.add("tls_server_config." + key + ": expected a list of strings");
        return out;
      }
      for (JsonNode item : v) {
        if (item.isTextual()) {
          out.add(item.asText());
        } else {
          problems.add("tls_server_config." + key + ": expected a list of strings");
        }
      }
      return out;
    }

    /**
     * The certificate parses, and the key is the certificate's (it signs what it verifies); the key
     * as PKCS#8 PEM, or null.
     */
    private String checkKeyPair(String certPem, String keyPem) {
      List<X509Certificate> chain = checkCertificates(certPem, "tls_server_config.cert_file");
      PrivateKey key;
      try {
        key = privateKey(keyPem);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        problems.add("tls_server_config.key_file: not a usable PEM private key: " + e.getMessage());
        return null;
      }
      if (!chain.isEmpty() && !signsFor(key, chain.get(0).getPublicKey())) {
        problems.add(
            "tls_server_config.key_file: the key does not belong to the certificate in cert_file");
      }
      return pkcs8Pem(key);
    }

    private List<X509Certificate> checkCertificates(String pem, String at) {
      List<X509Certificate> out = new ArrayList<>();
      try {
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        for (var c :
            f.generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1)))) {
          out.add((X509Certificate) c);
        }
      } catch (CertificateException e) {
        problems.add(at + ": not a PEM certificate: " + e.getMessage());
        return List.of();
      }
      if (out.isEmpty()) {
        problems.add(at + ": no certificate in it");
      }
      return out;
    }
  }

  /** A PKCS#8 key ("PRIVATE KEY"), or an RSA (PKCS#1) or EC (SEC 1) key in their older forms. */
  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher m = PEM_BLOCK.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      if (!type.endsWith("PRIVATE KEY")) {
        continue;
      }
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      try {
        return switch (type) {
          case "PRIVATE KEY" -> pkcs8(der);
          case "RSA PRIVATE KEY" ->
              pkcs8(
                  new PrivateKeyInfo(
                          new AlgorithmIdentifier(
                              PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                          RSAPrivateKey.getInstance(der))
                      .getEncoded());
          case "EC PRIVATE KEY" -> {
            ECPrivateKey ec = ECPrivateKey.getInstance(der);
            yield pkcs8(
                new PrivateKeyInfo(
                        new AlgorithmIdentifier(
                            X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()),
                        ec)
                    .getEncoded());
          }
          default -> throw new GeneralSecurityException("unsupported key type " + type);
        };
      } catch (IOException | RuntimeException e) {
        throw new GeneralSecurityException("malformed " + type + ": " + e.getMessage(), e);
      }
    }
    throw new GeneralSecurityException("no PRIVATE KEY block");
  }

  /** The key as PKCS#8 PEM, the one form every TLS stack reads. */
  static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("not an RSA, EC or EdDSA key", last);
  }

  private static boolean signsFor(PrivateKey key, PublicKey pub) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448
        };
    try {
      byte[] probe = "bmp-exporter key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** A bcrypt hash as htpasswd -B writes it, with a cost bcrypt accepts (4-31). */
  static boolean isBcrypt(String hash) {
    Matcher m = BCRYPT.matcher(hash);
    return m.matches() && Integer.parseInt(m.group(1)) >= 4 && Integer.parseInt(m.group(1)) <= 31;
  }
}
