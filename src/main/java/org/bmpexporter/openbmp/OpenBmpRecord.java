package org.bmpexporter.openbmp;

/**
 * One decoded OpenBMP record. The BMP message is a slice of the record's bytes ({@code data},
 * {@code bmpOffset}, {@code bmpLength}); nothing is copied, so the caller must not change them.
 *
 * @param format which header encoding the record used
 * @param objectType the binary header's object type ({@link OpenBmpRecords#TYPE_BMP_RAW}, {@link
 *     OpenBmpRecords#TYPE_COLLECTOR_HEARTBEAT}); always raw BMP for a text header
 * @param collector the collector's identity: its admin id (binary), or its hash (text {@code
 *     C_HASH_ID}); with {@code routerIp} it names one router's session
 * @param routerIp the router's address, canonical text (RFC 5952 for IPv6); empty in a heartbeat
 * @param routerGroup the binary header's router group; empty when absent
 * @param collectorMicros when the collector received the message, epoch microseconds (0 if the
 *     header has no time)
 */
public record OpenBmpRecord(
    Format format,
    int objectType,
    String collector,
    String routerIp,
    String routerGroup,
    long collectorMicros,
    byte[] data,
    int bmpOffset,
    int bmpLength) {

  /** The two header encodings of version 1.7. */
  public enum Format {
    BINARY,
    TEXT
  }

  /** Whether the record carries a BMP message (and not a collector heartbeat). */
  public boolean isBmp() {
    return objectType == OpenBmpRecords.TYPE_BMP_RAW;
  }
}
