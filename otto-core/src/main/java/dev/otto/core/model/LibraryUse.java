package dev.otto.core.model;

import dev.otto.core.library.StepLibrary;
import java.util.Map;
import org.immutables.value.Value;

/** A step library a pipeline uses, with its configuration for this pipeline. */
@Value.Immutable
public abstract class LibraryUse {

  public abstract StepLibrary library();

  /** Configuration values by parameter name, as the library's {@code configSpec()} declares. */
  public abstract Map<String, Object> config();

  public String id() {
    return library().id();
  }

  public static LibraryUse of(StepLibrary library, Map<String, ?> config) {
    return ImmutableLibraryUse.builder().library(library).putAllConfig(config).build();
  }
}
