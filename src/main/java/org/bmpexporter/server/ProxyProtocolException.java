package org.bmpexporter.server;

/** A PROXY protocol header that is missing, malformed or not allowed; the message says which. */
final class ProxyProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  ProxyProtocolException(String message) {
    super(message);
  }
}
