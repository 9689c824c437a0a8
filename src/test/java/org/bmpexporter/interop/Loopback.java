package org.bmpexporter.interop;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Everything the suite starts listens and connects on loopback only. */
final class Loopback {
  private Loopback() {}

  static String require(String literal) {
    try {
      InetAddress a = InetAddress.getByName(literal);
      if (!a.isLoopbackAddress()) {
        throw new IllegalArgumentException(literal + " is not a loopback address");
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
    return literal;
  }
}
