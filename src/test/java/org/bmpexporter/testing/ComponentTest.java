package org.bmpexporter.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that runs servers on loopback, starts external programs or takes seconds: it runs in
 * {@code mvn verify} (failsafe's {@code component} execution), not in {@code mvn test}, which stays
 * fast pure logic.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(ComponentTest.TAG)
public @interface ComponentTest {
  /** The JUnit tag; the pom's surefire excludes and failsafe includes name it too. */
  String TAG = "component";
}
