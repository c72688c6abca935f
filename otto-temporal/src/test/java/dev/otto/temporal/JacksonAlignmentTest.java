package dev.otto.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.Version;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Jackson that otto-temporal's users get: Otto's own jackson-core, and the databind, annotations
 * and datatype modules that the Temporal SDK needs, all of one version. The build manages no
 * Jackson module but jackson-core, so these tests load what a consumer of otto-temporal resolves
 * (a dependency's dependencyManagement does not reach its consumers).
 */
class JacksonAlignmentTest {
  @Test
  void should_load_one_jackson_version_when_temporal_runs_with_otto() {
    // given
    Map<String, Version> modules = Map.of(
        "jackson-core", com.fasterxml.jackson.core.json.PackageVersion.VERSION,
        "jackson-databind", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION,
        "jackson-datatype-jdk8", com.fasterxml.jackson.datatype.jdk8.PackageVersion.VERSION,
        "jackson-datatype-jsr310", com.fasterxml.jackson.datatype.jsr310.PackageVersion.VERSION);
    Version core = modules.get("jackson-core");

    // when
    String annotations = JsonProperty.class.getPackage().getImplementationVersion();

    // then
    // (a Version equals only the same artifact's: compare the numbers)
    assertThat(modules).allSatisfy((name, version) -> assertThat(version.toString()).as(name)
        .isEqualTo(core.toString()));
    assertThat(annotations).as("jackson-annotations, versioned major.minor")
        .isEqualTo(core.getMajorVersion() + "." + core.getMinorVersion());
  }
}
