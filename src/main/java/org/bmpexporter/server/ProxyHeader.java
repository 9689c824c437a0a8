package org.bmpexporter.server;

import java.net.InetAddress;

/**
 * A decoded PROXY protocol header (v1 text or v2 binary). {@code source} is the address of the
 * client the proxy accepted, or null when the header names none (v2 LOCAL, as HAProxy's health
 * checks send; v1 UNKNOWN; v2 AF_UNSPEC or AF_UNIX): the connection then stands for itself. {@code
 * length} is the header's length in bytes; what follows it is the proxied stream.
 */
record ProxyHeader(
    int version,
    InetAddress source,
    int sourcePort,
    InetAddress destination,
    int destinationPort,
    int length) {

  /** The address the session belongs to: the header's source, else the connection's own. */
  InetAddress sourceOr(InetAddress connection) {
    return source != null ? source : connection;
  }
}
