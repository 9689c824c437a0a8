/**
 * BMP through Kafka: raw BMP messages read from topics in the OpenBMP 1.7 format (as OpenBMP and
 * gobmp collectors publish them), each (collector, router IP) one router with its own session
 * state, exactly as if it had connected over TCP.
 */
package org.bmpexporter.kafka;
