package org.bmpexporter.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * HTTP basic authentication against bcrypt hashes (the web config file's {@code basic_auth_users}).
 * A bcrypt check costs about 70 ms at cost 10, so successful checks are cached by user, configured
 * hash and a salted digest of the password: a scrape every few seconds costs one check, not one per
 * scrape. An unknown user is checked against a fake hash of the same cost, so that timing does not
 * tell which users exist.
 */
final class BasicAuth {
  /** Bounds the cache; only successful logins enter it, so only holders of a password fill it. */
  private static final int CACHE_LIMIT = 1024;

  private final Map<String, String> users;
  private final String fakeHash;
  private final byte[] cacheSalt = new byte[16];
  private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

  /** {@code users}: name to bcrypt hash. Costs one bcrypt computation (the fake hash). */
  BasicAuth(Map<String, String> users) {
    this.users = Map.copyOf(users);
    SecureRandom random = new SecureRandom();
    random.nextBytes(cacheSalt);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    char[] password = HexFormat.of().formatHex(salt).toCharArray();
    int cost =
        users.values().stream().mapToInt(h -> Integer.parseInt(h.substring(4, 6))).max().orElse(10);
    this.fakeHash = OpenBSDBCrypt.generate("2y", password, salt, cost);
  }

  boolean enabled() {
    return !users.isEmpty();
  }

  /** The user and password of an {@code Authorization: Basic ...} header, if well-formed. */
  static Optional<String[]> credentials(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
  }

  /** True when a previous check of these credentials succeeded: no bcrypt needed. */
  boolean cachedValid(String user, String password) {
    return verified.containsKey(cacheKey(user, password));
  }

  /** The full bcrypt check (tens of milliseconds: call it off the event loop). */
  boolean check(String user, String password) {
    String hash = users.get(user);
    boolean ok = bcrypt(hash == null ? fakeHash : hash, password) && hash != null;
    if (ok) {
      if (verified.size() >= CACHE_LIMIT) {
        verified.clear();
      }
      verified.put(cacheKey(user, password), Boolean.TRUE);
    }
    return ok;
  }

  private static boolean bcrypt(String hash, String password) {
    try {
      return OpenBSDBCrypt.checkPassword(hash, password.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false; // e.g. a password beyond bcrypt's 72 bytes
    }
  }

  private String cacheKey(String user, String password) {
    MessageDigest sha = WebConfigFile.sha256();
    sha.update(cacheSalt);
    for (String part : new String[] {user, users.getOrDefault(user, ""), password}) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      sha.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(b);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
