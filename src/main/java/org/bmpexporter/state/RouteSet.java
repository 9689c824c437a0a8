package org.bmpexporter.state;

/** An exact set of route keys of one family (see {@link org.bmpexporter.bgp.UpdateDecoder}). */
interface RouteSet {
  /** Adds the key; false if it was present (a replace). */
  boolean add(byte[] key, int off, int len);

  /** Removes the key; false if it was absent. */
  boolean remove(byte[] key, int off, int len);

  long size();

  /** Approximate heap bytes used, for diagnostics and the memory benchmark. */
  long heapBytes();
}
