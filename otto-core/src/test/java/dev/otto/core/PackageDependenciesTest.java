package dev.otto.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.otto.core.plan.Plan;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the packages of otto-core, the definition side (what a user needs to define, check, plan
 * and explain a pipeline), free of import circles. That it is free of the run side is the module
 * line itself: otto-core does not depend on otto-engine, so it cannot import it.
 */
class PackageDependenciesTest {
  private static final String[] DEFINITION = {
      "dev.otto.core.model..", "dev.otto.core.library..", "dev.otto.core.validate..", "dev.otto.core.plan..",
      "dev.otto.core.explain.."};
  private static JavaClasses core;

  @BeforeAll
  static void importCore() throws URISyntaxException {
    // given: otto-core's own classes, read from where Plan was loaded (a folder while testing)
    core = new ClassFileImporter().importPath(Path.of(Plan.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()));
  }

  @Test
  void should_have_no_import_circle_between_any_two_packages() {
    // when
    ArchRule rule = slices().matching("dev.otto.core.(*)..").should().beFreeOfCycles();

    // then
    rule.check(core);
  }

  @Test
  void should_see_every_package_of_the_core_when_it_checks_them() {
    // when
    long packages = core.stream().map(JavaClass::getPackageName).distinct().count();

    // then
    assertThat(packages).isGreaterThanOrEqualTo(DEFINITION.length + 1);
  }
}
