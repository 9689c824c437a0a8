package org.bmpexporter.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports on loopback addresses: bind port 0, read the port the kernel chose, close. A port
 * handed out once is never handed out again by this JVM, and {@link #free(String...)} checks that
 * the port is free on every address a daemon will listen on.
 */
public final class Ports {
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private Ports() {}

  /** A port free on 127.0.0.1. */
  public static int free() {
    return free("127.0.0.1");
  }

  /** A port that is free on all of {@code hosts} (loopback literals: 127.0.0.x, ::1). */
  public static synchronized int free(String... hosts) {
    for (String h : hosts) {
      Loopback.require(h);
    }
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(hosts[0], 0));
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind " + hosts[0] + ":0", e);
      }
      if (HANDED_OUT.contains(port) || !freeOnAll(port, hosts)) {
        continue;
      }
      HANDED_OUT.add(port);
      return port;
    }
    throw new IllegalStateException("no free port on " + String.join(", ", hosts));
  }

  private static boolean freeOnAll(int port, String... hosts) {
    for (String h : hosts) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(h, port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** {@code host:port}, with IPv6 literals in brackets. */
  public static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
