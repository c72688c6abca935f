package dev.otto.core.plan;

import static java.util.Objects.requireNonNull;

import dev.otto.core.model.BlueprintUse;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Environment;
import dev.otto.core.model.LibraryUse;
import dev.otto.core.model.Parameter;
import dev.otto.core.validate.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline planned for a run context: the contract between definition and execution.
 *
 * <p>Planning expanded matrices and library steps, decided every condition the context decides,
 * resolved runtimes, and lowered every stage to {@link Op}s. {@link #stages()} lists the stages
 * in the order their starts become ready, declaration order breaking ties; each says which
 * stages it waits for. The same pipeline planned for the same context gives an equal plan with
 * the same {@link #fingerprint()}, byte for byte.
 *
 * <p>Secrets appear in a plan only by name.
 */
public final class Plan {
  /** The version of the plan's JSON form; see the site's plan schema page. */
  public static final String SCHEMA = "otto-plan/1";

  /**
   * The JSON Schema (draft 2020-12) of the plan's JSON form, for tools that read plans written
   * by {@link #toJson()}.
   */
  public static String jsonSchema() {
    try (var in = Plan.class.getResourceAsStream("otto-plan-1.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("the plan schema is missing from the otto-core jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not read the plan schema from the otto-core jar", e);
    }
  }

  private final String pipeline;
  private final RunContext context;
  private final List<Parameter> parameters;
  private final Map<String, String> values;
  private final List<LibraryUse> libraries;
  private final List<Environment> environments;
  private final List<String> secrets;
  private final List<Cache> caches;
  private final List<BlueprintUse> blueprints;
  private final List<PlannedStage> stages;
  private final Map<String, PlannedStage> byId;
  private final List<Problem> warnings;
  private volatile String fingerprint;

  Plan(String pipeline, RunContext context, List<Parameter> parameters, Map<String, String> values,
      List<LibraryUse> libraries, List<Environment> environments, List<String> secrets, List<Cache> caches,
      List<BlueprintUse> blueprints, List<PlannedStage> stages, List<Problem> warnings) {
    this.pipeline = pipeline;
    this.context = context;
    this.parameters = List.copyOf(parameters);
    this.values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    this.libraries = List.copyOf(libraries);
    this.environments = List.copyOf(environments);
    this.secrets = List.copyOf(secrets);
    this.caches = List.copyOf(caches);
    this.blueprints = List.copyOf(blueprints);
    this.stages = List.copyOf(stages);
    this.warnings = List.copyOf(warnings);
    this.byId = new HashMap<>(stages.size() * 2);
    for (PlannedStage stage : stages) {
      byId.put(stage.id(), stage);
    }
  }

  /** The pipeline's name. */
  public String pipeline() {
    return pipeline;
  }

  public RunContext context() {
    return context;
  }

  /** The declared parameters. */
  public List<Parameter> parameters() {
    return parameters;
  }

  /** The value of each parameter the context decides (given, or by default), in declaration order. */
  public Map<String, String> parameterValues() {
    return values;
  }

  public List<LibraryUse> libraries() {
    return libraries;
  }

  public List<Environment> environments() {
    return environments;
  }

  /** The names of the declared secrets. */
  public List<String> secrets() {
    return secrets;
  }

  public List<Cache> caches() {
    return caches;
  }

  public List<BlueprintUse> blueprints() {
    return blueprints;
  }

  /** Every stage, groups included, in start order. */
  public List<PlannedStage> stages() {
    return stages;
  }

  /** The stage with {@code id} (its path as text, e.g. {@code Deploy > Production}). */
  public Optional<PlannedStage> stage(String id) {
    return Optional.ofNullable(byId.get(requireNonNull(id, "id")));
  }

  /**
   * The validation warnings of the pipeline this plan was made from: what works, but probably not
   * as its author meant ({@link dev.otto.core.validate.Validator#warnings}). They are shown by
   * {@code Explain.text}, and are not part of the plan's JSON form, its fingerprint or its
   * equality.
   */
  public List<Problem> warnings() {
    return warnings;
  }

  /**
   * The plan's JSON form, schema {@value #SCHEMA}, indented, with its fingerprint: what {@code
   * Explain.json} shows and {@link RunnablePlan#fromJson} reads. Fields come in a fixed order, so
   * equal plans give equal bytes.
   */
  public String toJson() {
    return PlanJsonWriter.pretty(this);
  }

  /**
   * Writes {@link #toJson()} to {@code out} as UTF-8, without building it as one string first: the
   * way to write a large plan to a file or a terminal. Does not close {@code out}. Once the
   * fingerprint is known ({@link #fingerprint()}, {@link #equals}, or an earlier writing), the
   * JSON streams to {@code out}; before, it is written once into memory, as bytes, and hashed on
   * the way, rather than written twice: compact to be hashed, then indented.
   */
  public void writeJson(java.io.OutputStream out) {
    PlanJsonWriter.writePretty(this, requireNonNull(out, "out"));
  }

  /**
   * {@code sha256:} and the hex SHA-256 of the plan's canonical JSON (its JSON form without the
   * fingerprint itself, compact).
   */
  public String fingerprint() {
    String result = fingerprint;
    if (result == null) {
      result = PlanJsonWriter.fingerprint(this);
      fingerprint = result;
    }
    return result;
  }

  /** The fingerprint if it is known yet, else null. */
  String knownFingerprint() {
    return fingerprint;
  }

  /** Keeps the fingerprint found while writing the JSON. */
  void knownFingerprint(String found) {
    fingerprint = found;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Plan other && fingerprint().equals(other.fingerprint());
  }

  @Override
  public int hashCode() {
    return fingerprint().hashCode();
  }

  @Override
  public String toString() {
    return "Plan[" + pipeline + ", " + context + ", " + stages.size() + " stages, " + fingerprint() + "]";
  }
}
