package org.bmpexporter.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How help and README state a default that depends on the machine (the value in {@link
 * ExporterConfig#DEFAULTS} is this machine's).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
@interface DefaultText {
  String value();
}
