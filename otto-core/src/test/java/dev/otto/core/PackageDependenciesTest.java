package dev.otto.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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
 * Keeps the packages of otto-core in layers: no import circle between any two of them, and the
 * definition side (what a user needs to define, check, plan and explain a pipeline) free of the
 * run side, so that it can stand alone.
 */
class PackageDependenciesTest {
  private static final String[] DEFINITION = {
      "dev.otto.core.model..", "dev.otto.core.library..", "dev.otto.core.validate..", "dev.otto.core.plan..",
      "dev.otto.core.explain.."};
  private static final String[] RUN = {
      "dev.otto.core.engine..", "dev.otto.core.executor..", "dev.otto.core.journal..", "dev.otto.core.cache..",
      "dev.otto.core.http..", "dev.otto.core.output..", "dev.otto.core.workspace..", "dev.otto.core.secret.."};

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
  void should_keep_the_definition_side_free_of_the_run_side() {
    // when
    ArchRule rule = noClasses().that().resideInAnyPackage(DEFINITION).should().dependOnClassesThat()
        .resideInAnyPackage(RUN)
        .because("defining, checking, planning and explaining a pipeline must not need the engine");

    // then
    rule.check(core);
  }

  @Test
  void should_see_every_package_of_the_core_when_it_checks_them() {
    // when
    long packages = core.stream().map(JavaClass::getPackageName).distinct().count();

    // then
    assertThat(packages).isGreaterThanOrEqualTo(DEFINITION.length + RUN.length);
  }
}
