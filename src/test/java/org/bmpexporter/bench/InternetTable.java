package org.bmpexporter.bench;

import org.bmpexporter.bgp.encode.Prefixes;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.synthetic.TableGenerator;
import org.bmpexporter.testing.Bmp;

/**
 * Full tables for the in-process benchmarks: the load generator's IPv4 tables (about 60% /24),
 * packed into BMP Route Monitoring messages the way routers do.
 */
public final class InternetTable {
  private InternetTable() {}

  /**
   * {@code n} distinct IPv4 prefixes as {@code [bits][4 address bytes]} records, with the load
   * generator's Internet-like length mix, in address order as a router walks its RIB for a table
   * dump.
   */
  public static byte[][] ipv4(int n, long seed) {
    long[] keys = TableGenerator.ipv4(n, seed);
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      int addr = Prefixes.v4Addr(keys[i]);
      out[i] =
          new byte[] {
            (byte) Prefixes.len(keys[i]),
            (byte) (addr >>> 24),
            (byte) (addr >>> 16),
            (byte) (addr >>> 8),
            (byte) addr
          };
    }
    return out;
  }

  /** A BMP stream announcing the prefixes, {@code perUpdate} per UPDATE, for one peer. */
  public static byte[] routeMonitoringStream(byte[] peerHeader, byte[][] prefixes, int perUpdate) {
    ByteWriter stream = Bmp.w();
    for (int i = 0; i < prefixes.length; i += perUpdate) {
      ByteWriter nlri = Bmp.w();
      for (int j = i; j < Math.min(prefixes.length, i + perUpdate); j++) {
        byte[] p = prefixes[j];
        int bytes = ((p[0] & 0xff) + 7) / 8;
        nlri.u8(p[0]);
        for (int b = 0; b < bytes; b++) {
          nlri.u8(p[1 + b]);
        }
      }
      stream.bytes(Bmp.routeMonitoring(peerHeader, Bmp.updateV4(new byte[0], nlri.toByteArray())));
    }
    return stream.toByteArray();
  }
}
