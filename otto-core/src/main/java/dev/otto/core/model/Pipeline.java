package dev.otto.core.model;

import java.util.List;
import org.immutables.value.Value;

/**
 * A whole pipeline: the libraries it uses, its environments, parameters, secrets and caches,
 * and its stages. The value is not validated when built; see {@link
 * dev.otto.core.validate.Validator}.
 */
@Value.Immutable
public abstract class Pipeline {

  public abstract String name();

  public abstract List<LibraryUse> libraries();

  public abstract List<Environment> environments();

  public abstract List<Parameter> parameters();

  public abstract List<SecretRef> secrets();

  public abstract List<Cache> caches();

  public abstract List<Stage> stages();

  /** The blueprints the pipeline was built from. */
  public abstract List<BlueprintUse> blueprints();

  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  /** Builds a {@link Pipeline}. */
  public static final class Builder extends ImmutablePipeline.Builder {}
}
