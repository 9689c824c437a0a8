package org.bmpexporter.config;

/** A {@code host:port} pair; IPv6 hosts in brackets ({@code [::1]:11019}). */
public record HostPort(String host, int port) {

  /** Parses {@code HOST:PORT} or {@code [IPV6]:PORT}; the exception's message is the problem. */
  public static HostPort parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty, expected HOST:PORT");
    }
    String s = text.strip();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("'" + text + "' is not [IPV6]:PORT");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "'" + text + "' is not HOST:PORT (write IPv6 as [ADDR]:PORT)");
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port '" + port + "' is not a number");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("port " + p + " outside 0-65535");
    }
    return new HostPort(host, p);
  }

  /** As {@link #parse} reads it back. */
  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
