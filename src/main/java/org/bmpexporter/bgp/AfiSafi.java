package org.bmpexporter.bgp;

/**
 * Address family codes as one int ({@code afi << 8 | safi}) and their label values. Unknown
 * families map to {@code afi_<n>_safi_<m>} rather than failing.
 */
public final class AfiSafi {
  public static final int AFI_IPV4 = 1;
  public static final int AFI_IPV6 = 2;
  public static final int AFI_L2VPN = 25;
  public static final int AFI_BGP_LS = 16388;

  public static final int SAFI_UNICAST = 1;
  public static final int SAFI_MULTICAST = 2;
  public static final int SAFI_LABELED = 4;
  public static final int SAFI_VPLS = 65;
  public static final int SAFI_EVPN = 70;
  public static final int SAFI_BGP_LS = 71;
  public static final int SAFI_BGP_LS_VPN = 72;
  public static final int SAFI_VPN = 128;
  public static final int SAFI_VPN_MULTICAST = 129;
  public static final int SAFI_FLOWSPEC = 133;
  public static final int SAFI_FLOWSPEC_VPN = 134;

  public static final int IPV4_UNICAST = of(AFI_IPV4, SAFI_UNICAST);
  public static final int IPV6_UNICAST = of(AFI_IPV6, SAFI_UNICAST);

  /** Pseudo family for totals over every family (statistics types 7, 8, 14, 15). */
  public static final int ALL = -1;

  /** How NLRI of a family are delimited and keyed. */
  public enum Kind {
    PREFIX,
    LABELED_PREFIX,
    VPN_PREFIX,
    EVPN,
    VPLS,
    FLOWSPEC,
    BGP_LS,
    UNKNOWN
  }

  private AfiSafi() {}

  public static int of(int afi, int safi) {
    return (afi & 0xffff) << 8 | (safi & 0xff);
  }

  public static int afi(int family) {
    return family >>> 8;
  }

  public static int safi(int family) {
    return family & 0xff;
  }

  public static Kind kind(int family) {
    int afi = afi(family);
    int safi = safi(family);
    if (afi == AFI_IPV4 || afi == AFI_IPV6) {
      switch (safi) {
        case SAFI_UNICAST:
        case SAFI_MULTICAST:
          return Kind.PREFIX;
        case SAFI_LABELED:
          return Kind.LABELED_PREFIX;
        case SAFI_VPN:
        case SAFI_VPN_MULTICAST:
          return Kind.VPN_PREFIX;
        case SAFI_FLOWSPEC:
        case SAFI_FLOWSPEC_VPN:
          return Kind.FLOWSPEC;
        default:
          return Kind.UNKNOWN;
      }
    }
    if (afi == AFI_L2VPN && safi == SAFI_EVPN) {
      return Kind.EVPN;
    }
    if (afi == AFI_L2VPN && safi == SAFI_VPLS) {
      return Kind.VPLS;
    }
    if (afi == AFI_BGP_LS && (safi == SAFI_BGP_LS || safi == SAFI_BGP_LS_VPN)) {
      return Kind.BGP_LS;
    }
    return Kind.UNKNOWN;
  }

  /** Address length in bits of a prefix family, 0 for non-prefix families. */
  public static int addressBits(int family) {
    int afi = afi(family);
    return afi == AFI_IPV4 ? 32 : afi == AFI_IPV6 ? 128 : 0;
  }

  public static String label(int family) {
    if (family == ALL) {
      return "all";
    }
    int afi = afi(family);
    int safi = safi(family);
    String ip = afi == AFI_IPV4 ? "ipv4" : afi == AFI_IPV6 ? "ipv6" : null;
    if (ip != null) {
      switch (safi) {
        case SAFI_UNICAST:
          return ip + "_unicast";
        case SAFI_MULTICAST:
          return ip + "_multicast";
        case SAFI_LABELED:
          return ip + "_labeled_unicast";
        case SAFI_VPN:
          return ip + "_vpn";
        case SAFI_VPN_MULTICAST:
          return ip + "_vpn_multicast";
        case SAFI_FLOWSPEC:
          return ip + "_flowspec";
        case SAFI_FLOWSPEC_VPN:
          return ip + "_flowspec_vpn";
        default:
          break;
      }
    }
    if (afi == AFI_L2VPN && safi == SAFI_EVPN) {
      return "l2vpn_evpn";
    }
    if (afi == AFI_L2VPN && safi == SAFI_VPLS) {
      return "l2vpn_vpls";
    }
    if (afi == AFI_BGP_LS && safi == SAFI_BGP_LS) {
      return "bgp_ls";
    }
    if (afi == AFI_BGP_LS && safi == SAFI_BGP_LS_VPN) {
      return "bgp_ls_vpn";
    }
    return "afi_" + afi + "_safi_" + safi;
  }
}
