package org.bmpexporter.testing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An independent route counter for tests, written apart from the exporter's decoder: walks a raw
 * BMP stream and keeps, per (peer, rib, afi_safi), the set of IPv4/IPv6 unicast prefixes announced
 * and not withdrawn. No ADD-PATH, no other families: enough for the FRR and GoBGP lab streams,
 * which negotiate neither.
 */
public final class OracleCounter {
  /** "peer|rib|afi_safi" to prefixes. */
  public final Map<String, Set<String>> tables = new HashMap<>();

  public final Map<Integer, Integer> messagesByType = new HashMap<>();

  public static OracleCounter count(byte[] s) {
    OracleCounter o = new OracleCounter();
    int p = 0;
    while (p + 6 <= s.length) {
      int len =
          ((s[p + 1] & 0xff) << 24)
              | ((s[p + 2] & 0xff) << 16)
              | ((s[p + 3] & 0xff) << 8)
              | (s[p + 4] & 0xff);
      if (p + len > s.length) {
        break;
      }
      int type = s[p + 5] & 0xff;
      o.messagesByType.merge(type, 1, Integer::sum);
      if (type == 0 || type == 2 || type == 3) {
        int h = p + 6;
        int peerType = s[h] & 0xff;
        int flags = s[h + 1] & 0xff;
        String peer = peerType + ":" + hex(s, h + 2, 24);
        String rib =
            peerType == 3
                ? "loc_rib"
                : ((flags & 0x10) != 0 ? "adj_rib_out_" : "adj_rib_in_")
                    + ((flags & 0x40) != 0 ? "post" : "pre");
        if (type == 0) {
          o.update(peer + "|" + rib, s, h + 42);
        } else {
          o.tables.keySet().removeIf(k -> k.startsWith(peer + "|"));
        }
      }
      p += len;
    }
    return o;
  }

  private void update(String key, byte[] s, int b) {
    int msgLen = ((s[b + 16] & 0xff) << 8) | (s[b + 17] & 0xff);
    int q = b + 19;
    int wlen = ((s[q] & 0xff) << 8) | (s[q + 1] & 0xff);
    prefixes(key + "|ipv4_unicast", s, q + 2, q + 2 + wlen, 4, false);
    int a = q + 2 + wlen;
    int alen = ((s[a] & 0xff) << 8) | (s[a + 1] & 0xff);
    int attr = a + 2;
    int attrEnd = attr + alen;
    while (attr < attrEnd) {
      int flags = s[attr] & 0xff;
      int code = s[attr + 1] & 0xff;
      int l =
          (flags & 0x10) != 0
              ? ((s[attr + 2] & 0xff) << 8) | (s[attr + 3] & 0xff)
              : s[attr + 2] & 0xff;
      int v = attr + ((flags & 0x10) != 0 ? 4 : 3);
      if (code == 14 || code == 15) {
        int afi = ((s[v] & 0xff) << 8) | (s[v + 1] & 0xff);
        int safi = s[v + 2] & 0xff;
        if (safi == 1 && (afi == 1 || afi == 2)) {
          String fam = afi == 1 ? "|ipv4_unicast" : "|ipv6_unicast";
          int n = code == 14 ? v + 4 + (s[v + 3] & 0xff) + 1 : v + 3;
          prefixes(key + fam, s, n, v + l, afi == 1 ? 4 : 16, code == 14);
        }
      }
      attr = v + l;
    }
    prefixes(key + "|ipv4_unicast", s, attrEnd, b + msgLen, 4, true);
  }

  private void prefixes(String key, byte[] s, int p, int end, int addrLen, boolean announce) {
    Set<String> set = tables.computeIfAbsent(key, k -> new HashSet<>());
    while (p < end) {
      int bits = s[p] & 0xff;
      int n = (bits + 7) / 8;
      byte[] a = new byte[addrLen];
      System.arraycopy(s, p + 1, a, 0, n);
      if (bits % 8 != 0) {
        a[n - 1] &= (byte) (0xff << (8 - bits % 8));
      }
      String prefix = hex(a, 0, addrLen) + "/" + bits;
      if (announce) {
        set.add(prefix);
      } else {
        set.remove(prefix);
      }
      p += 1 + n;
    }
  }

  private static String hex(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(String.format("%02x", b[off + i]));
    }
    return sb.toString();
  }

  /** Route count of a table; peer given as the exporter labels it is matched by suffix. */
  public long routes(String peerHexKeyPart, String rib, String afiSafi) {
    long n = 0;
    for (Map.Entry<String, Set<String>> e : tables.entrySet()) {
      String[] k = e.getKey().split("\\|");
      if (k[0].endsWith(peerHexKeyPart) && k[1].equals(rib) && k[2].equals(afiSafi)) {
        n += e.getValue().size();
      }
    }
    return n;
  }
}
