package org.bmpexporter.bgp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Records what an {@link UpdateDecoder} hands out as readable lines, rendered by the test itself:
 * {@code "+ ipv4 10.1.0.0/16"}, {@code "- vpnv4 65000:1 10.0.0.0/24"}, {@code "+ ipv4 #7 ..."}
 * (path identifier 7), {@code "+ evpn 02..."} (other families as hex), {@code "EoR ipv6"}.
 */
public final class RecordingSink implements NlriSink {
  public final List<String> events = new ArrayList<>();

  /** The raw keys, in order, for tests comparing keys of different NLRI. */
  public final List<byte[]> keys = new ArrayList<>();

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0x0101, "ipv4"),
          Map.entry(0x0201, "ipv6"),
          Map.entry(0x0102, "ipv4-mc"),
          Map.entry(0x0202, "ipv6-mc"),
          Map.entry(0x0104, "ipv4-lu"),
          Map.entry(0x0204, "ipv6-lu"),
          Map.entry(0x0180, "vpnv4"),
          Map.entry(0x0280, "vpnv6"),
          Map.entry(0x1946, "evpn"),
          Map.entry(0x1941, "vpls"),
          Map.entry(0x0185, "flow4"),
          Map.entry(0x0285, "flow6"),
          Map.entry(0x0186, "flow4-vpn"),
          Map.entry((16388 << 8) | 71, "bgp-ls"),
          Map.entry((16388 << 8) | 72, "bgp-ls-vpn"));

  static String name(int family) {
    return NAMES.getOrDefault(family, (family >>> 8) + "/" + (family & 0xff));
  }

  @Override
  public void route(int family, boolean announce, long pathId, byte[] key, int off, int len) {
    byte[] k = Arrays.copyOfRange(key, off, off + len);
    keys.add(k);
    String n = name(family);
    String path = pathId == NO_PATH_ID ? "" : "#" + pathId + " ";
    events.add((announce ? "+ " : "- ") + n + " " + path + render(family, k));
  }

  @Override
  public void endOfRib(int family) {
    events.add("EoR " + name(family));
  }

  private static String render(int family, byte[] k) {
    int afi = family >>> 8;
    int safi = family & 0xff;
    boolean ip = afi == 1 || afi == 2;
    if (ip && (safi == 1 || safi == 2 || safi == 4)) {
      return cidr(afi, k, 0);
    }
    if (ip && safi == 128) {
      return rd(k) + " " + cidr(afi, k, 8);
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : k) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  private static String rd(byte[] k) {
    int type = ((k[0] & 0xff) << 8) | (k[1] & 0xff);
    long v = 0;
    for (int i = 2; i < 8; i++) {
      v = (v << 8) | (k[i] & 0xff);
    }
    if (type == 0) {
      return (v >>> 32) + ":" + (v & 0xffffffffL);
    }
    if (type == 1) {
      return ((v >>> 40) & 0xff)
          + "."
          + ((v >>> 32) & 0xff)
          + "."
          + ((v >>> 24) & 0xff)
          + "."
          + ((v >>> 16) & 0xff)
          + ":"
          + (v & 0xffff);
    }
    return "rd" + type + ":" + Long.toHexString(v);
  }

  private static String cidr(int afi, byte[] k, int at) {
    int bits = k[at] & 0xff;
    byte[] addr = new byte[afi == 1 ? 4 : 16];
    if (k.length - at - 1 != (bits + 7) / 8 || bits > 8 * addr.length) {
      return "BAD-KEY-LENGTH";
    }
    System.arraycopy(k, at + 1, addr, 0, k.length - at - 1);
    try {
      String a = InetAddress.getByAddress(addr).getHostAddress();
      return (afi == 2 ? compress(a) : a) + "/" + bits;
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** "2001:db8:0:0:0:0:0:0" to "2001:db8::" (longest run of two or more zero groups). */
  static String compress(String full) {
    String[] g = full.split(":");
    int best = -1;
    int bestLen = 1;
    for (int i = 0; i < g.length; i++) {
      int j = i;
      while (j < g.length && g[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen) {
        best = i;
        bestLen = j - i;
      }
    }
    if (best < 0) {
      return full;
    }
    String head = String.join(":", Arrays.copyOfRange(g, 0, best));
    String tail = String.join(":", Arrays.copyOfRange(g, best + bestLen, g.length));
    return head + "::" + tail;
  }
}
