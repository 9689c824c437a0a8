package org.bmpexporter.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test (or every test of the class) needs an external program: skipped where it is missing,
 * failed where it is missing and {@code CI=true} (see {@link ExternalTools}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RequiresToolExtension.class)
public @interface RequiresTool {
  /** The program's names, any one of which will do (looked up as {@link ExternalTools#find}). */
  String[] value();

  /** The Debian package that ships it, for the message. */
  String debianPackage();
}
