package dev.otto.core.engine;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the packages of otto-engine free of import circles, as otto-core's are. */
class EnginePackagesTest {
  private static JavaClasses engine;

  @BeforeAll
  static void importEngine() throws URISyntaxException {
    // given: otto-engine's own classes, read from where LocalEngine was loaded (a folder while testing)
    engine = new ClassFileImporter().importPath(Path.of(LocalEngine.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()));
  }

  @Test
  void should_have_no_import_circle_between_any_two_packages() {
    slices().matching("dev.otto.core.(*)..").should().beFreeOfCycles().check(engine);
  }

  @Test
  void should_see_every_package_of_the_engine_when_it_checks_them() {
    // when
    long packages = engine.stream().map(JavaClass::getPackageName).distinct().count();

    // then: engine, executor, journal, cache, http, output, workspace, secret
    assertThat(packages).isGreaterThanOrEqualTo(8);
  }
}
