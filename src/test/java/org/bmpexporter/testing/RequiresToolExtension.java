package org.bmpexporter.testing;

import java.lang.reflect.AnnotatedElement;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Applies {@link RequiresTool}: on the class before all its tests, on a method before it. */
final class RequiresToolExtension implements BeforeAllCallback, BeforeEachCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    check(context.getRequiredTestClass());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    check(context.getRequiredTestMethod());
  }

  private static void check(AnnotatedElement element) {
    AnnotationSupport.findAnnotation(element, RequiresTool.class)
        .ifPresent(tool -> ExternalTools.require(tool.debianPackage(), tool.value()));
  }
}
