/**
 * The OpenBMP "raw BMP" message-bus format (version 1.7), as BMP travels through Kafka between
 * collectors: one BMP message per record, behind a header that names the collector and the router
 * it came from. Two encodings carry that version: the binary header (magic {@code OBMP}) of the
 * OpenBMP v2 collector and gobmp {@code --bmp-raw}, and the text header ({@code V: 1.7}) of the
 * OpenBMP 2.x collector. Pure decoding and encoding; no Kafka client here.
 */
package org.bmpexporter.openbmp;
