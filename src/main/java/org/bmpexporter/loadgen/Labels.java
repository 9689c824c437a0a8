package org.bmpexporter.loadgen;

import java.util.List;

/** Label values of the metrics contract (../shared/METRICS.md) used in the report. */
public final class Labels {
  public static final int PRE = 0;
  public static final int POST = 1;
  public static final int LOC = 2;
  public static final List<String> RIB = List.of("adj_rib_in_pre", "adj_rib_in_post", "loc_rib");

  public static final int V4 = 0;
  public static final int V6 = 1;
  public static final List<String> AFI_SAFI = List.of("ipv4_unicast", "ipv6_unicast");

  /** BMP message type names, indexed by type code (7 = anything else). */
  public static final List<String> MESSAGE_TYPE =
      List.of(
          "route_monitoring",
          "statistics_report",
          "peer_down",
          "peer_up",
          "initiation",
          "termination",
          "route_mirroring",
          "unknown");

  private Labels() {}

  public static int typeIndex(int type) {
    return type >= 0 && type < 7 ? type : 7;
  }

  public static int rib(String name) {
    switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "pre", "pre-policy", "adj_rib_in_pre":
        return PRE;
      case "post", "post-policy", "adj_rib_in_post":
        return POST;
      case "loc", "loc-rib", "loc_rib":
        return LOC;
      default:
        throw new IllegalArgumentException("unknown rib '" + name + "' (pre, post, loc)");
    }
  }

  public static String afiSafi(int afi, int safi) {
    if (afi == 1 && safi == 1) {
      return "ipv4_unicast";
    }
    if (afi == 2 && safi == 1) {
      return "ipv6_unicast";
    }
    if (afi == 1 && safi == 2) {
      return "ipv4_multicast";
    }
    if (afi == 2 && safi == 2) {
      return "ipv6_multicast";
    }
    return "afi_" + afi + "_safi_" + safi;
  }

  public static String ipv4(int a) {
    return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
  }

  /** The 16-byte BMP address field as the exporter labels it (RFC 5952 for IPv6). */
  public static String address16(byte[] b, int off, boolean v6) {
    return org.bmpexporter.codec.Addresses.address16(b, off, v6);
  }

  /** A peer distinguisher as a route distinguisher (RFC 4364 types 0, 1, 2). */
  public static String routeDistinguisher(long d) {
    return org.bmpexporter.codec.Addresses.routeDistinguisher(d);
  }
}
