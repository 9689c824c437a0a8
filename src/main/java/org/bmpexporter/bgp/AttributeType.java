package org.bmpexporter.bgp;

/**
 * BGP path attribute type codes (IANA "BGP Path Attributes") that the UPDATE walker and encoder
 * handle, and the attribute flags (RFC 4271 4.3). Plain int constants: the walker switches on them
 * for every attribute of every UPDATE; any other code is skipped by its length.
 */
public final class AttributeType {
  public static final int ORIGIN = 1;
  public static final int AS_PATH = 2;
  public static final int NEXT_HOP = 3;
  public static final int MED = 4;
  public static final int LOCAL_PREF = 5;
  public static final int COMMUNITIES = 8;
  public static final int ORIGINATOR_ID = 9;
  public static final int CLUSTER_LIST = 10;
  public static final int MP_REACH = 14;
  public static final int MP_UNREACH = 15;
  public static final int EXTENDED_COMMUNITIES = 16;
  public static final int AS4_PATH = 17;
  public static final int LARGE_COMMUNITY = 32;

  public static final int FLAG_OPTIONAL = 0x80;
  public static final int FLAG_TRANSITIVE = 0x40;
  public static final int FLAG_EXTENDED_LENGTH = 0x10;

  /** The AS number a 2-octet AS_PATH carries for a 4-octet AS (RFC 6793). */
  public static final int AS_TRANS = 23456;

  private AttributeType() {}
}
