package org.bmpexporter.loadgen;

/** Label values of the metrics contract (../shared/METRICS.md) used in the report. */
public final class Labels {
  public static final int PRE = 0;
  public static final int POST = 1;
  public static final int LOC = 2;
  public static final String[] RIB = {"adj_rib_in_pre", "adj_rib_in_post", "loc_rib"};

  public static final int V4 = 0;
  public static final int V6 = 1;
  public static final String[] AFI_SAFI = {"ipv4_unicast", "ipv6_unicast"};

  /** BMP message type names, indexed by type code (7 = anything else). */
  public static final String[] MESSAGE_TYPE = {"route_monitoring", "statistics_report",
      "peer_down", "peer_up", "initiation", "termination", "route_mirroring", "unknown"};

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

  /** An address from 16 octets: IPv4 from the last four, IPv6 in RFC 5952 canonical form. */
  public static String address16(byte[] b, int off, boolean v6) {
    if (!v6) {
      return (b[off + 12] & 255) + "." + (b[off + 13] & 255) + "." + (b[off + 14] & 255) + "."
          + (b[off + 15] & 255);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[off + 2 * i] & 255) << 8) | (b[off + 2 * i + 1] & 255);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** A non-zero peer distinguisher as a route distinguisher (RFC 4364 types 0, 1, 2). */
  public static String routeDistinguisher(long d) {
    int type = (int) (d >>> 48);
    switch (type) {
      case 0:
        return ((d >>> 32) & 0xffff) + ":" + (d & 0xffffffffL);
      case 1:
        return ipv4((int) (d >>> 16)) + ":" + (d & 0xffff);
      case 2:
        return ((d >>> 16) & 0xffffffffL) + ":" + (d & 0xffff);
      default:
        return "type" + type + ":" + Long.toHexString(d & 0xffffffffffffL);
    }
  }
}
