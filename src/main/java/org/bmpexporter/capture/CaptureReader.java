package org.bmpexporter.capture;

import static org.bmpexporter.capture.Bytes.i32;
import static org.bmpexporter.capture.Bytes.i32be;
import static org.bmpexporter.capture.Bytes.u16;
import static org.bmpexporter.capture.Bytes.u32;
import static org.bmpexporter.capture.Bytes.u8;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a capture file into reassembled TCP byte streams, one per flow direction that carries data.
 *
 * <p>Formats: pcap (microsecond and nanosecond magic, both byte orders, and the "modified"
 * Kuznetzov variant), pcapng (SHB/IDB/EPB/SPB and the obsolete PB; both byte orders; several
 * sections; several interfaces, each with its own link type and timestamp resolution/offset) and,
 * when neither magic matches, a raw byte stream (e.g. a BMP session saved by a listener), returned
 * as a single flow from {@code "file"} with ports 0.
 *
 * <p>Link types: Ethernet (1) with 802.1Q/802.1ad/QinQ tags, LLC/SNAP and MPLS; raw IP (101, 12,
 * 14, 228, 229); Linux cooked SLL (113) and SLL2 (276); BSD null (0) and loop (108). IPv4 honours
 * IHL and total length (Ethernet padding is not payload); IPv6 skips hop-by-hop, routing,
 * destination-options and AH headers. Fragments are not reassembled (warning). Non-TCP packets
 * (e.g. IPFIX over UDP) are skipped. See {@link TcpReassembler} for the TCP side.
 *
 * <p>The whole file is held in memory; every packet's payload is referenced in place until
 * reassembly, so memory use is a small multiple of the file size.
 */
public final class CaptureReader {
  /** Capture file formats {@link #detect(byte[])} tells apart. */
  public enum Format {
    PCAP,
    PCAPNG,
    RAW
  }

  private static final int PCAPNG_SHB = 0x0A0D0D0A;
  private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  private static final long MAX_RECORD = 256L << 20;

  private CaptureReader() {}

  /** Reads a capture file; see {@link #readFlows(byte[], String)}. */
  public static List<TcpFlow> readFlows(Path file) throws IOException {
    return read(file).flows();
  }

  /**
   * Reads a capture held in memory.
   *
   * @param name used in messages and, for a raw stream, as the flow's destination address
   * @return flows that carry payload, ordered by first packet time
   * @throws CaptureFormatException when the file has a pcap/pcapng magic but its header cannot be
   *     read
   */
  public static List<TcpFlow> readFlows(byte[] data, String name) throws CaptureFormatException {
    return read(data, name).flows();
  }

  /** Like {@link #readFlows(Path)}, with capture-level warnings and packet counts. */
  public static Capture read(Path file) throws IOException {
    Path fn = file.getFileName();
    return read(Files.readAllBytes(file), fn == null ? file.toString() : fn.toString());
  }

  /** Like {@link #readFlows(byte[], String)}, with capture-level warnings and packet counts. */
  public static Capture read(byte[] data, String name) throws CaptureFormatException {
    if (name == null) {
      name = "file";
    }
    Format format = detect(data);
    if (format == Format.RAW) {
      List<TcpFlow> flows =
          data.length == 0
              ? List.of()
              : List.of(new TcpFlow("file", 0, name, 0, data.clone(), 0L, List.of(), 0L));
      return new Capture(format, flows, List.of(), 0, 0, 0);
    }
    Notes info = new Notes();
    Notes stream = new Notes();
    TcpReassembler tcp = new TcpReassembler(data);
    PacketDecoder decoder = new PacketDecoder(data, tcp, info, stream);
    if (format == Format.PCAP) {
      readPcap(data, name, decoder, stream);
    } else {
      readPcapng(data, name, decoder, info, stream);
    }
    List<String> streamWarnings = stream.render();
    List<TcpFlow> flows = tcp.finish(streamWarnings);
    List<String> all = new ArrayList<>(streamWarnings);
    all.addAll(info.render());
    return new Capture(
        format, flows, all, decoder.packets, decoder.tcpPackets, decoder.otherPackets);
  }

  /** Tells pcap and pcapng from anything else by the first bytes (8 are enough; fewer mean RAW). */
  public static Format detect(byte[] head) {
    if (head == null || head.length < 4) {
      return Format.RAW;
    }
    int magic = i32be(head, 0);
    if (pcapMagic(magic) != null) {
      return Format.PCAP;
    }
    if (magic == PCAPNG_SHB) {
      if (head.length < 12) {
        return head.length >= 8 ? Format.PCAPNG : Format.RAW;
      }
      int bom = i32be(head, 8);
      if (bom == PCAPNG_BYTE_ORDER_MAGIC || bom == Integer.reverseBytes(PCAPNG_BYTE_ORDER_MAGIC)) {
        return Format.PCAPNG;
      }
    }
    return Format.RAW;
  }

  /** {littleEndian, nanosecond, modified} for a pcap magic read big-endian, or null. */
  private static boolean[] pcapMagic(int magic) {
    return switch (magic) {
      case 0xa1b2c3d4 -> new boolean[] {false, false, false};
      case 0xd4c3b2a1 -> new boolean[] {true, false, false};
      case 0xa1b23c4d -> new boolean[] {false, true, false};
      case 0x4d3cb2a1 -> new boolean[] {true, true, false};
      case 0xa1b2cd34 -> new boolean[] {false, false, true};
      case 0x34cdb2a1 -> new boolean[] {true, false, true};
      default -> null;
    };
  }

  // ---------------------------------------------------------------------------------------------------------- pcap

  private static void readPcap(byte[] d, String name, PacketDecoder decoder, Notes stream)
      throws CaptureFormatException {
    if (d.length < 24) {
      throw new CaptureFormatException(
          name + ": pcap file header truncated (" + d.length + " of 24 bytes)");
    }
    boolean[] m = pcapMagic(i32be(d, 0));
    boolean le = m[0];
    boolean nanos = m[1];
    int recordHeader = m[2] ? 24 : 16;
    int linkType = i32(d, 20, le) & 0xffff; // upper bits: FCS length flags
    int p = 24;
    long packetNo = 0;
    while (p < d.length) {
      if (d.length - p < recordHeader) {
        stream.add(
            "capture file truncated: "
                + (d.length - p)
                + " bytes of an incomplete record header at offset "
                + p
                + " ignored");
        break;
      }
      long sec = u32(d, p, le);
      long frac = u32(d, p + 4, le);
      long incl = u32(d, p + 8, le);
      long orig = u32(d, p + 12, le);
      if (incl > MAX_RECORD) {
        stream.add(
            "corrupt pcap record at offset "
                + p
                + " (captured length "
                + incl
                + "): rest of file ignored");
        break;
      }
      int dataOff = p + recordHeader;
      int avail = (int) Math.min(incl, d.length - dataOff);
      packetNo++;
      if (avail < incl) {
        stream.add(
            "capture file truncated: last packet (#"
                + packetNo
                + ") has "
                + avail
                + " of "
                + incl
                + " bytes");
      }
      long ts = sec * 1_000_000L + (nanos ? frac / 1000 : frac);
      decoder.decode(linkType, ts, packetNo, dataOff, avail, Math.max(orig, incl));
      if (avail < incl) {
        break;
      }
      p = dataOff + avail;
    }
  }

  // -------------------------------------------------------------------------------------------------------- pcapng

  /** An interface description: link type plus how to turn its timestamps into microseconds. */
  private record Iface(int linkType, boolean pow2, int exponent, long offsetSeconds) {
    long micros(long ts) {
      long us;
      if (!pow2) {
        if (exponent == 6) {
          us = ts;
        } else if (exponent < 6) {
          us = ts * pow10(6 - exponent);
        } else if (exponent - 6 > 18) {
          us = 0;
        } else {
          us = Long.divideUnsigned(ts, pow10(exponent - 6));
        }
      } else {
        us =
            BigInteger.valueOf(ts)
                .and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))
                .multiply(BigInteger.valueOf(1_000_000))
                .shiftRight(exponent)
                .longValue();
      }
      return us + offsetSeconds * 1_000_000L;
    }

    private static long pow10(int n) {
      long r = 1;
      for (int i = 0; i < n; i++) {
        r *= 10;
      }
      return r;
    }
  }

  private static void readPcapng(
      byte[] d, String name, PacketDecoder decoder, Notes info, Notes stream)
      throws CaptureFormatException {
    boolean le = true;
    List<Iface> ifaces = new ArrayList<>();
    long lastTs = 0;
    long packetNo = 0;
    int p = 0;
    while (p < d.length) {
      int remaining = d.length - p;
      if (remaining < 12) {
        stream.add(
            "capture file truncated: "
                + remaining
                + " bytes of an incomplete block at offset "
                + p
                + " ignored");
        break;
      }
      int type;
      if (i32be(d, p) == PCAPNG_SHB) {
        type = PCAPNG_SHB;
        int bom = i32be(d, p + 8);
        if (bom == PCAPNG_BYTE_ORDER_MAGIC) {
          le = false;
        } else if (bom == Integer.reverseBytes(PCAPNG_BYTE_ORDER_MAGIC)) {
          le = true;
        } else {
          if (p == 0) {
            throw new CaptureFormatException(
                name + ": pcapng section header has no byte-order magic");
          }
          stream.add("corrupt pcapng section header at offset " + p + ": rest of file ignored");
          break;
        }
        ifaces.clear(); // interface ids are per section
      } else {
        type = i32(d, p, le);
      }
      long blockLen = u32(d, p + 4, le);
      if (blockLen < 12 || (blockLen & 3) != 0) {
        if (p == 0) {
          throw new CaptureFormatException(
              name + ": pcapng section header has invalid length " + blockLen);
        }
        stream.add(
            "corrupt pcapng block at offset "
                + p
                + " (type 0x"
                + Integer.toHexString(type)
                + ", length "
                + blockLen
                + "): rest of file ignored");
        break;
      }
      int bodyEnd; // exclusive; the trailing length copy is not part of the body
      if (blockLen > remaining) {
        stream.add(
            "capture file truncated inside a block at offset "
                + p
                + " ("
                + remaining
                + " of "
                + blockLen
                + " bytes)");
        bodyEnd = d.length;
      } else {
        bodyEnd = p + (int) blockLen - 4;
        if (u32(d, bodyEnd, le) != blockLen) {
          info.add(
              "pcapng block at offset " + p + ": trailing length differs from the leading one");
        }
      }
      switch (type) {
        case 1 -> { // Interface Description Block
          if (bodyEnd - p < 16) {
            stream.add("short pcapng interface description block at offset " + p);
            ifaces.add(new Iface(-1, false, 6, 0));
          } else {
            ifaces.add(parseIdb(d, p, bodyEnd, le));
          }
        }
        case 6, 2 -> { // Enhanced Packet Block, obsolete Packet Block
          if (bodyEnd - p < 28) {
            stream.add("short pcapng packet block at offset " + p + ": skipped");
            break;
          }
          int ifId = type == 6 ? i32(d, p + 8, le) : u16(d, p + 8, le);
          long ts = (u32(d, p + 12, le) << 32) | u32(d, p + 16, le);
          long caplen = u32(d, p + 20, le);
          long origLen = u32(d, p + 24, le);
          int dataOff = p + 28;
          int avail = (int) Math.min(caplen, bodyEnd - dataOff);
          packetNo++;
          if (ifId < 0 || ifId >= ifaces.size()) {
            stream.add(
                "packet for undeclared interface " + Integer.toUnsignedString(ifId) + ": skipped");
            break;
          }
          Iface iface = ifaces.get(ifId);
          lastTs = iface.micros(ts);
          if (avail < caplen && blockLen <= remaining) {
            info.add(
                "pcapng packet block at offset "
                    + p
                    + ": captured length "
                    + caplen
                    + " exceeds the block; cut to "
                    + avail);
          }
          decoder.decode(
              iface.linkType(), lastTs, packetNo, dataOff, avail, Math.max(origLen, caplen));
        }
        case 3 -> { // Simple Packet Block: interface 0, no timestamp (reuse the previous one)
          if (bodyEnd - p < 12) {
            stream.add("short pcapng simple packet block at offset " + p + ": skipped");
            break;
          }
          long origLen = u32(d, p + 8, le);
          int dataOff = p + 12;
          int avail = (int) Math.min(origLen, bodyEnd - dataOff);
          packetNo++;
          if (ifaces.isEmpty()) {
            stream.add("simple packet block before any interface description: skipped");
            break;
          }
          decoder.decode(ifaces.get(0).linkType(), lastTs, packetNo, dataOff, avail, origLen);
        }
        default -> {
          // SHB (handled above), name resolution, interface statistics, decryption secrets, custom:
          // nothing to do
        }
      }
      if (blockLen > remaining) {
        break;
      }
      p += (int) blockLen;
    }
  }

  private static Iface parseIdb(byte[] d, int p, int bodyEnd, boolean le) {
    int linkType = u16(d, p + 8, le);
    boolean pow2 = false;
    int exponent = 6;
    long offset = 0;
    int q = p + 16;
    while (bodyEnd - q >= 4) {
      int code = u16(d, q, le);
      int len = u16(d, q + 2, le);
      if (code == 0 || q + 4 + len > bodyEnd) {
        break;
      }
      if (code == 9 && len >= 1) { // if_tsresol
        int v = u8(d, q + 4);
        pow2 = (v & 0x80) != 0;
        exponent = v & 0x7f;
      } else if (code == 14 && len >= 8) { // if_tsoffset, seconds
        offset =
            le
                ? (u32(d, q + 8, true) << 32) | u32(d, q + 4, true)
                : (u32(d, q + 4, false) << 32) | u32(d, q + 8, false);
      }
      q += 4 + ((len + 3) & ~3);
    }
    return new Iface(linkType, pow2, exponent, offset);
  }
}
