/**
 * Reading capture files into reassembled TCP byte streams, without any pcap library.
 *
 * <pre>{@code
 * for (TcpFlow flow : CaptureReader.readFlows(Path.of("session.pcap"))) {
 *   if (flow.dstPort() == 1790) {
 *     decode(flow.payload());            // the BMP byte stream of that connection
 *   }
 *   flow.warnings().forEach(log::warn);  // gaps, truncated packets, ...
 * }
 * }</pre>
 *
 * <p>{@link org.bmpexporter.capture.CaptureReader#read(java.nio.file.Path)} also returns
 * capture-level warnings and packet counts. A file that is neither pcap nor pcapng is returned as
 * one raw flow (e.g. a BMP stream recorded by a listener). Every TCP flow direction that carries
 * payload is returned, whatever its port: filter by port for BMP (captures may also carry telemetry
 * or BGP over TCP).
 */
package org.bmpexporter.capture;
