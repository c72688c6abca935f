package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.Printable;
import dev.otto.core.model.BlueprintUse;
import dev.otto.core.model.Cache;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.StagePath;
import dev.otto.core.validate.Problem;
import dev.otto.core.validate.Rule;
import dev.otto.dsl.internal.Args;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Configures a pipeline: the libraries it uses, its environments, parameters, secrets and caches,
 * and its stages. Each declaration returns a typed handle, so a stage can only refer to what was
 * declared, and a wrong kind of reference does not compile.
 *
 * <pre>{@code
 * Pipeline p = Otto.pipeline("webapp", p -> {
 *   var gems = p.cache("gems", "vendor/");
 *   var build = p.stage("Build", s -> s.runtime(docker("ruby")).saves(gems).steps(sh("bundle install")));
 *   p.stage("Test", s -> s.runtime(sameAs(build)).restores(gems).steps(sh("bundle exec rake spec")));
 * });
 * }</pre>
 */
public final class PipelineSpec {
  private static final Set<Rule> CONSEQUENCES_OF_A_MISSING_PART = EnumSet.of(Rule.EMPTY_PIPELINE, Rule.UNKNOWN_STAGE,
      Rule.UNKNOWN_CACHE, Rule.CACHE_NOT_SAVED_BEFORE, Rule.CACHE_NEVER_RESTORED, Rule.UNKNOWN_ENVIRONMENT,
      Rule.UNDECLARED_SECRET, Rule.UNDECLARED_PARAMETER, Rule.UNKNOWN_LIBRARY);

  private final Pipeline.Builder builder;
  private final String name;
  private final List<Problem> problems = new ArrayList<>();
  private final Set<StagePath> declared = new java.util.LinkedHashSet<>();
  /** The stages with a matrix, whose cells exist only in a plan. */
  private final Set<StagePath> matrices = new java.util.HashSet<>();
  private String origin;
  private boolean blueprintLeftOut;
  /** Set once the pipeline is built: a change after that would be lost, so it is refused. */
  private boolean built;
  /** The top-level stage whose lambda runs now, if one does. */
  private StagePath configuring;

  PipelineSpec(String name) {
    this.name = name;
    this.builder = Pipeline.builder(name);
  }

  private final List<LibraryUse> libraries = new java.util.ArrayList<>();

  /** Uses a step library, configured by {@code customizer}; returns the handle that makes its steps. */
  public <C, H> H use(LibraryDefinition<C, H> definition, Customizer<C> customizer) {
    open();
    requireNonNull(definition, "library");
    requireNonNull(customizer, "customizer");
    C config = definition.newConfig();
    customizer.customize(config);
    LibraryUse use = LibraryUse.of(definition.library(), definition.configValues(config));
    // The same library with the same configuration, used again (by a convention and by the
    // pipeline, say), is one use; with another configuration, validation reports it.
    if (!libraries.contains(use)) {
      libraries.add(use);
      builder.addLibraries(use);
    }
    return definition.handle();
  }

  /** Uses a step library with its default configuration. */
  public <C, H> H use(LibraryDefinition<C, H> definition) {
    return use(definition, Customizer.none());
  }

  public EnvironmentRef environment(String name, Customizer<EnvironmentSpec> customizer) {
    open();
    requireNonNull(name, "environment name");
    requireNonNull(customizer, "customizer");
    EnvironmentSpec spec = new EnvironmentSpec(name);
    customizer.customize(spec);
    builder.addEnvironments(spec.build());
    return new EnvironmentRef(name);
  }

  /** Declares a secret by name; its value comes from the host's secret provider at run time. */
  public Secret secret(String name) {
    open();
    builder.addSecrets(new SecretRef(requireNonNull(name, "secret name")));
    return new Secret(name);
  }

  /** Declares a cache of workspace {@code paths}, keyed by its name. */
  public CacheRef cache(String name, String... paths) {
    return cache(name, Arrays.asList(Args.each("path", "paths", paths)), List.of());
  }

  /**
   * Declares a cache of workspace {@code paths}, keyed by its name and the content of {@code
   * keyFiles}; when the key has no entry, a restore falls back to the cache's newest entry.
   */
  public CacheRef cache(String name, List<String> paths, List<String> keyFiles) {
    open();
    requireNonNull(name, "cache name");
    Args.each("path", "paths", paths);
    Args.each("key file", "keyFiles", keyFiles);
    builder.addCaches(Cache.of(name, List.copyOf(paths), List.copyOf(keyFiles)));
    return new CacheRef(name);
  }

  /**
   * Declares a cache configured by {@code customizer}: its paths, key files and fallbacks.
   *
   * <pre>{@code
   * var m2 = p.cache("m2", c -> c.paths(".m2/repository/").keyFiles("pom.xml").exactKeyOnly());
   * }</pre>
   */
  public CacheRef cache(String name, Customizer<CacheSpec> customizer) {
    open();
    requireNonNull(name, "cache name");
    requireNonNull(customizer, "customizer");
    CacheSpec spec = new CacheSpec(name);
    customizer.customize(spec);
    builder.addCaches(spec.build());
    return new CacheRef(name);
  }

  public Param<String> stringParam(String name, String defaultValue, String description) {
    return param(name, Parameter.Type.STRING, Optional.of(requireNonNull(defaultValue, "default")), description, List.of());
  }

  /** A string parameter every run must give. */
  public Param<String> requiredStringParam(String name, String description) {
    return param(name, Parameter.Type.STRING, Optional.empty(), description, List.of());
  }

  public Param<Boolean> booleanParam(String name, boolean defaultValue, String description) {
    return param(name, Parameter.Type.BOOLEAN, Optional.of(String.valueOf(defaultValue)), description, List.of());
  }

  public Param<Long> integerParam(String name, long defaultValue, String description) {
    return param(name, Parameter.Type.INTEGER, Optional.of(String.valueOf(defaultValue)), description, List.of());
  }

  /** A parameter whose value is one of {@code choices}; the first is the default. */
  public Param<String> choiceParam(String name, List<String> choices, String description) {
    Args.each("choice", "choices", choices);
    Optional<String> first = choices.isEmpty() ? Optional.empty() : Optional.of(choices.get(0));
    return param(name, Parameter.Type.CHOICE, first, description, choices);
  }

  private <T> Param<T> param(String name, Parameter.Type type, Optional<String> defaultValue, String description,
      List<String> choices) {
    open();
    requireNonNull(name, "parameter name");
    builder.addParameters(Parameter.builder(name, type).defaultValue(defaultValue)
        .description(requireNonNull(description, "description")).choices(choices).build());
    return new Param<>(name);
  }

  /** A top-level stage; top-level stages run in declaration order. */
  public StageRef stage(String name, Customizer<StageSpec> customizer) {
    open();
    requireNonNull(name, "stage name");
    requireNonNull(customizer, "customizer");
    StagePath path = StagePath.of(name);
    if (configuring != null) {
      throw declaredInside(path, configuring);
    }
    StageSpec spec = new StageSpec(this, path);
    configuring = path;
    try {
      customizer.customize(spec);
    } finally {
      configuring = null;
    }
    builder.addStages(spec.build());
    declared(spec.ref().path());
    return spec.ref();
  }

  /**
   * The handle of a stage declared earlier, by path: for adding to stages a blueprint
   * contributed, e.g. {@code s.runtime(sameAs(p.ref("Build")))}.
   *
   * @throws IllegalArgumentException when no stage with that path has been declared, unless a
   *     blueprint was left out for its problems: the stage may be one it would have added, and
   *     the blueprint's problems are what the pipeline reports when built
   */
  public StageRef ref(String first, String... more) {
    StagePath path = StagePath.of(first, more);
    if (!declared.contains(path) && !blueprintLeftOut) {
      for (int depth = 1; depth < path.depth(); depth++) {
        StagePath outer = new StagePath(path.names().subList(0, depth));
        if (matrices.contains(outer)) {
          throw new IllegalArgumentException("no stage '" + path + "' can be referred to: '" + outer + "' is a matrix, "
              + "whose stages are made from its values when the pipeline is planned; refer to the matrix, "
              + "p.ref(\"" + String.join("\", \"", outer.names()) + "\"), which ends when all of them have");
        }
      }
      throw new IllegalArgumentException("no stage '" + path + "' has been declared yet; declared: "
          + declared.stream().map(StagePath::toString).toList());
    }
    return new StageRef(path);
  }

  void declared(StagePath path) {
    declared.add(path);
  }

  void declaredMatrix(StagePath path) {
    matrices.add(path);
  }

  /** A top-level stage whose children start together. */
  public StageRef parallel(String name, Customizer<StageSpec> customizer) {
    requireNonNull(customizer, "customizer");
    return stage(name, s -> customizer.customize(s.parallel()));
  }

  /** Adds what {@code blueprint} contributes, with its variables' defaults. */
  public PipelineSpec from(Blueprint blueprint) {
    return from(blueprint, Map.of());
  }

  /** Adds what {@code blueprint} contributes, with typed variable values. */
  public PipelineSpec from(Blueprint blueprint, Customizer<BlueprintValues.Setter> values) {
    requireNonNull(blueprint, "blueprint");
    requireNonNull(values, "values");
    Map<String, Object> given = new LinkedHashMap<>();
    values.customize(new BlueprintValues.Setter(given));
    return from(blueprint, given);
  }

  /**
   * Adds what {@code blueprint} contributes, with variable values by name, as read from a file or
   * a command line. Values of the wrong type, missing required variables and unknown names are
   * reported when the pipeline is built, and the blueprint contributes nothing.
   */
  public PipelineSpec from(Blueprint blueprint, Map<String, ?> values) {
    open();
    requireNonNull(blueprint, "blueprint");
    requireNonNull(values, "values");
    String where = "pipeline '" + Printable.of(name) + "' > blueprint '" + Printable.of(blueprint.name()) + "'";
    Map<String, Object> resolved = new LinkedHashMap<>();
    Map<String, String> shown = new LinkedHashMap<>();
    int before = problems.size();
    List<String> declared = new ArrayList<>();
    for (Variable<?> variable : blueprint.variables()) {
      declared.add(variable.name());
      Object given = values.get(variable.name());
      if (given == null) {
        if (variable.defaultValue().isPresent()) {
          resolved.put(variable.name(), variable.defaultValue().get());
        } else {
          problems.add(Problem.error(Rule.BLUEPRINT_VARIABLE_MISSING, where, "the variable '" + variable.name()
              + "' (" + variable.type().word() + ") has no default and no value was given.",
              "give it a value, e.g. from(blueprint, v -> v.set(" + variable.name() + ", ...))."));
        }
        continue;
      }
      Optional<Object> converted = variable.type().convert(given);
      if (converted.isEmpty()) {
        problems.add(Problem.error(Rule.BLUEPRINT_VARIABLE_TYPE, where, "the variable '" + variable.name()
            + "' must be a " + variable.type().word() + ", but was given " + describe(given) + ".",
            "give a " + variable.type().word() + (variable.type() == Variable.Type.BOOLEAN ? " (true or false)." : ".")));
      } else {
        resolved.put(variable.name(), converted.get());
      }
    }
    for (String given : values.keySet()) {
      if (!declared.contains(given)) {
        problems.add(Problem.error(Rule.BLUEPRINT_VARIABLE_UNKNOWN, where, "the blueprint has no variable '"
            + Printable.of(given) + "'.", "use one of " + declared + "."));
      }
    }
    if (problems.size() > before) {
      blueprintLeftOut = true;
      return this;
    }
    resolved.forEach((k, v) -> shown.put(k, String.valueOf(v)));
    builder.addBlueprints(BlueprintUse.of(blueprint.name(), shown));
    String previous = origin;
    origin = "blueprint " + blueprint.name();
    try {
      blueprint.contribute(this, new BlueprintValues(blueprint.name(), resolved));
    } finally {
      origin = previous;
    }
    return this;
  }

  /**
   * Adds what {@code part} adds with {@code origin} recorded on each stage, e.g. {@code convention
   * maven: found pom.xml at the root}; explain shows it, and tests can assert on it. This is how
   * conventions and other generators mark the stages they contribute.
   */
  public PipelineSpec withOrigin(String origin, Customizer<PipelineSpec> part) {
    open();
    requireNonNull(origin, "origin");
    requireNonNull(part, "part");
    String previous = this.origin;
    this.origin = origin;
    try {
      part.customize(this);
    } finally {
      this.origin = previous;
    }
    return this;
  }

  private static String describe(Object value) {
    if (value instanceof String text) {
      return "the text '" + Printable.of(text) + "'";
    }
    return "the " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }

  Optional<String> origin() {
    return Optional.ofNullable(origin);
  }

  List<Problem> problems() {
    return problems;
  }

  /**
   * The problems validation found in what was built, without those that follow from a blueprint
   * left out for its own problems: without the parts it would have added, a pipeline may have no
   * stages, or refer to stages, caches, environments, secrets, parameters or libraries nobody
   * declared. Reported, these would bury the one problem to fix under its consequences.
   */
  List<Problem> withoutConsequences(List<Problem> validation) {
    if (!blueprintLeftOut) {
      return validation;
    }
    return validation.stream().filter(p -> !CONSEQUENCES_OF_A_MISSING_PART.contains(p.rule())).toList();
  }

  /**
   * The error for a stage declared with the builder of {@code inside}'s parent while {@code inside}
   * is being configured: it would become {@code inside}'s sibling, ordered before it, not its child.
   */
  static IllegalStateException declaredInside(StagePath declared, StagePath inside) {
    String parent = inside.depth() == 1 ? "the pipeline's builder (p.stage)" : "the builder of '"
        + new StagePath(inside.names().subList(0, inside.depth() - 1)) + "'";
    return new IllegalStateException("stage '" + declared + "' is declared with " + parent + " while stage '"
        + inside + "' is being configured, so it would run before '" + inside + "' as its sibling, not inside it: "
        + "declare a child with the builder the lambda of '" + inside + "' is given (s.stage(\"" + declared.name()
        + "\", ...)), or declare it after the lambda of '" + inside + "' returns");
  }

  /** Refuses a change to a pipeline already built, which would not see it. */
  private void open() {
    if (built) {
      throw new IllegalStateException("pipeline '" + name + "' is already built, so this change would be lost: "
          + "declare its stages, caches, environments, secrets and parameters inside the lambda given to "
          + "Otto.pipeline, before it returns");
    }
  }

  Pipeline build() {
    built = true;
    return builder.build();
  }
}
