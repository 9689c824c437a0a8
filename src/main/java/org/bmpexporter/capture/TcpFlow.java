package org.bmpexporter.capture;

import java.util.List;

/**
 * One direction of one TCP connection, payload reassembled in sequence order.
 *
 * @param srcAddress sender address: IPv4 dotted quad or IPv6 in RFC 5952 form; {@code "file"} for a
 *     raw stream
 * @param srcPort sender TCP port (0 for a raw stream)
 * @param dstAddress receiver address (for a raw stream: the name the data was read under)
 * @param dstPort receiver TCP port (0 for a raw stream)
 * @param payload the reassembled byte stream (holes skipped, see {@code gapBytes})
 * @param firstTimestampMicros capture time of the first packet of this flow direction, microseconds
 *     since the epoch (0 for a raw stream)
 * @param warnings human-readable notes on anything irregular (gaps, truncated packets, ...); never
 *     null
 * @param gapBytes number of sequence-space bytes that were never captured and were skipped
 */
public record TcpFlow(
    String srcAddress,
    int srcPort,
    String dstAddress,
    int dstPort,
    byte[] payload,
    long firstTimestampMicros,
    List<String> warnings,
    long gapBytes) {

  public TcpFlow {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** {@code src:port -> dst:port}, IPv6 addresses in brackets. */
  public String describe() {
    return endpoint(srcAddress, srcPort) + " -> " + endpoint(dstAddress, dstPort);
  }

  private static String endpoint(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  @Override
  public String toString() {
    return "TcpFlow["
        + describe()
        + ", "
        + payload.length
        + " bytes, firstTimestampMicros="
        + firstTimestampMicros
        + ", gapBytes="
        + gapBytes
        + ", warnings="
        + warnings
        + "]";
  }
}
