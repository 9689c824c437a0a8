package org.bmpexporter.config;

import java.util.List;

/**
 * One entry of the {@code watch} list: a prefix whose presence, origin AS and more-specifics are
 * tracked in every table of every router.
 *
 * @param prefix the watched prefix (host bits clear)
 * @param rd a route distinguisher as the {@code rd} label writes it ({@code 65000:100}, {@code
 *     192.0.2.1:7}); empty: any table and any RD
 * @param origins the expected origin ASes; empty: any
 * @param moreSpecifics whether more-specific prefixes are expected
 */
public record Watch(
    String name, Cidr prefix, String rd, List<Long> origins, boolean moreSpecifics) {
  public Watch {
    origins = List.copyOf(origins);
  }

  /** The largest AS number (4 octets). */
  static final long MAX_AS = 0xffffffffL;
}
