package org.bmpexporter.capture;

import java.util.List;

/**
 * Everything {@link CaptureReader#read(byte[], String)} learned from one file.
 *
 * @param format the detected file format
 * @param flows TCP flow directions that carry payload, ordered by first packet time
 * @param warnings capture-level warnings (file truncated, unsupported link type, fragments, ...);
 *     those that may have cost a stream data are also repeated in every flow's own warnings
 * @param packets packet records read
 * @param tcpPackets packets decoded down to a TCP header
 * @param otherPackets packets skipped (not IP, not TCP, fragments, malformed)
 */
public record Capture(
    CaptureReader.Format format,
    List<TcpFlow> flows,
    List<String> warnings,
    long packets,
    long tcpPackets,
    long otherPackets) {
  public Capture {
    flows = List.copyOf(flows);
    warnings = List.copyOf(warnings);
  }
}
