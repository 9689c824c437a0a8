package org.bmpexporter.codec;

/** The only exception the BMP and BGP decoders throw. */
public final class BmpProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final DecodeError error;

  public BmpProtocolException(DecodeError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public DecodeError error() {
    return error;
  }
}
