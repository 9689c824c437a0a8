package org.bmpexporter.capture;

import java.io.IOException;

/**
 * The data looks like a pcap or pcapng file (by its magic number) but its structure cannot be read.
 */
public final class CaptureFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public CaptureFormatException(String message) {
    super(message);
  }

  public CaptureFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
