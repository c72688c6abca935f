package dev.otto.core.plan;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known when a run starts: the branch, the tag, the trigger, and parameter values as
 * text. Conditions are decided against it when a pipeline is planned. A context may also ask for a
 * {@linkplain Builder#rollback rollback} of an environment.
 *
 * <pre>{@code
 * RunContext onMaster = RunContext.builder().branch("master").trigger("push").param("deploy", "true").build();
 * }</pre>
 *
 * <p>{@link #unknown()} is the context of explain before any run: every condition that looks at
 * the branch, tag, trigger or a parameter without a default stays undecided. In a known
 * context, an absent branch means the run is not on a branch: {@code branch is 'master'} is
 * false.
 */
public final class RunContext {
  private static final RunContext UNKNOWN = new RunContext(false, null, null, null, Map.of(), null, null);

  private final boolean known;
  private final String branch;
  private final String tag;
  private final String trigger;
  private final Map<String, String> parameters;
  private final List<String> changedFiles;
  private final String rollback;

  private RunContext(boolean known, String branch, String tag, String trigger, Map<String, String> parameters,
      List<String> changedFiles, String rollback) {
    this.known = known;
    this.branch = branch;
    this.tag = tag;
    this.trigger = trigger;
    this.parameters = parameters;
    this.changedFiles = changedFiles;
    this.rollback = rollback;
  }

  /** The context of explain before a run: nothing is known. */
  public static RunContext unknown() {
    return UNKNOWN;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A known context on {@code branch}, with no tag, no trigger and default parameters. */
  public static RunContext branch(String branch) {
    return builder().branch(branch).build();
  }

  public boolean isKnown() {
    return known;
  }

  public Optional<String> branch() {
    return Optional.ofNullable(branch);
  }

  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  public Optional<String> trigger() {
    return Optional.ofNullable(trigger);
  }

  /**
   * The files the run's commits changed, paths from the repository's root, sorted; empty when the
   * host does not know them, and then {@link dev.otto.core.model.Condition#changed} conditions are
   * true: a run that does not know what changed builds everything.
   */
  public Optional<List<String>> changedFiles() {
    return Optional.ofNullable(changedFiles);
  }

  /**
   * The environment the run rolls back, if it does: only the stages that deploy there run, and
   * each artifact they restore is the one the environment ran before its last successful
   * deployment, as its record says.
   */
  public Optional<String> rollback() {
    return Optional.ofNullable(rollback);
  }

  /** Parameter values given for the run, as text, in the order they were given. */
  public Map<String, String> parameters() {
    return parameters;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunContext other && known == other.known && Objects.equals(branch, other.branch)
        && Objects.equals(tag, other.tag) && Objects.equals(trigger, other.trigger)
        && parameters.equals(other.parameters) && Objects.equals(changedFiles, other.changedFiles)
        && Objects.equals(rollback, other.rollback);
  }

  @Override
  public int hashCode() {
    return Objects.hash(known, branch, tag, trigger, parameters, changedFiles, rollback);
  }

  @Override
  public String toString() {
    if (!known) {
      return "unknown context";
    }
    StringBuilder out = new StringBuilder();
    out.append("branch ").append(branch == null ? "(none)" : "'" + branch + "'");
    if (tag != null) {
      out.append(", tag '").append(tag).append('\'');
    }
    if (trigger != null) {
      out.append(", trigger '").append(trigger).append('\'');
    }
    parameters.forEach((k, v) -> out.append(", ").append(k).append('=').append(v));
    if (changedFiles != null) {
      out.append(", ").append(changedFiles.size()).append(changedFiles.size() == 1 ? " changed file" : " changed files");
    }
    if (rollback != null) {
      out.append(", rollback of '").append(rollback).append('\'');
    }
    return out.toString();
  }

  /** Builds a known {@link RunContext}. */
  public static final class Builder {
    private String branch;
    private String tag;
    private String trigger;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private List<String> changedFiles;
    private String rollback;

    private Builder() {}

    /**
     * The files the run's commits changed, as paths from the repository's root ({@code git diff
     * --name-only BASE...HEAD} gives them); an empty list says nothing changed.
     */
    public Builder changedFiles(java.util.Collection<String> files) {
      requireNonNull(files, "files");
      java.util.TreeSet<String> sorted = new java.util.TreeSet<>();
      for (String file : files) {
        sorted.add(requireNonNull(file, "a changed file"));
      }
      this.changedFiles = List.copyOf(sorted);
      return this;
    }

    /** The branch the run is on; leave it out for a run on no branch (a tag's, a pull request's). */
    public Builder branch(String branch) {
      this.branch = named("branch", branch, "leave it out for a run on no branch, or give one such as \"main\"");
      return this;
    }

    public Builder tag(String tag) {
      this.tag = named("tag", tag, "leave it out for a run at no tag, or give one such as \"v1.2.0\"");
      return this;
    }

    /** What started the run, e.g. {@code push}, {@code pull_request}, {@code schedule}, {@code manual}. */
    public Builder trigger(String trigger) {
      this.trigger = named("trigger", trigger, "leave it out, or give one such as \"push\"");
      return this;
    }

    /**
     * Makes the run a rollback of {@code environment}: the stages that deploy there run (whatever
     * stages they depend on, which do not), and redeploy what the environment ran before its last
     * successful deployment, the artifacts taken by the digests its record holds.
     *
     * <pre>{@code
     * RunContext rollback = RunContext.builder().branch("main").rollback("production").build();
     * }</pre>
     */
    public Builder rollback(String environment) {
      this.rollback = named("rollback environment", environment, "name the environment to roll back, such as \"production\"");
      return this;
    }

    public Builder param(String name, String value) {
      parameters.put(requireNonNull(name, "parameter name"), requireNonNull(value, "value of parameter " + name));
      return this;
    }

    public Builder params(Map<String, String> values) {
      values.forEach(this::param);
      return this;
    }

    /** {@code value}, refused when blank: conditions would compare with a name no run has. */
    private static String named(String what, String value, String fix) {
      requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException("the " + what + " is blank" + (value.isEmpty() ? "" : " ('" + value + "')")
            + ": " + fix);
      }
      return value;
    }

    public RunContext build() {
      return new RunContext(true, branch, tag, trigger, Collections.unmodifiableMap(new LinkedHashMap<>(parameters)),
          changedFiles, rollback);
    }
  }
}
