package dev.otto.core.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A condition over what is known when a run starts: the branch, the tag, the trigger, the
 * parameters and the files the run's commits changed. Never the output of a step, and never an opaque lambda: a condition is a small
 * expression tree, so that explain can print it and, given a run context, decide it.
 *
 * <pre>{@code
 * Condition c = Condition.branch().matches("release/*").or(Condition.param("deploy").isTrue());
 * c.toString();  // branch matches 'release/*' or param 'deploy' is 'true'
 * }</pre>
 *
 * <p>Globs use {@code *} for any run of characters other than {@code /}, {@code **} for any run
 * of characters, and {@code ?} for one character other than {@code /}.
 */
public sealed interface Condition {

  /** What a {@link Match} looks at. */
  enum Subject {
    BRANCH,
    TAG,
    TRIGGER;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How a {@link Match} compares. */
  enum Test {
    /** Exactly equal. */
    IS,
    /** Matches a glob. */
    MATCHES,
    /** Has any value at all (the pattern is ignored). */
    PRESENT
  }

  static Condition always() {
    return Constant.TRUE;
  }

  static Condition never() {
    return Constant.FALSE;
  }

  static SubjectConditions branch() {
    return new SubjectConditions(Subject.BRANCH);
  }

  static SubjectConditions tag() {
    return new SubjectConditions(Subject.TAG);
  }

  static SubjectConditions trigger() {
    return new SubjectConditions(Subject.TRIGGER);
  }

  static ParamConditions param(String name) {
    return new ParamConditions(requireNonNull(name, "name"));
  }

  /**
   * True when a file the run's commits changed matches one of {@code globs} (paths from the
   * repository's root, e.g. {@code services/api/**}). Undecided before a run (explain with an
   * unknown context); true in a run whose context does not list the changed files, which then
   * builds everything, as CI systems do when they know no base to compare with.
   */
  static Condition changed(String... globs) {
    return new Changed(Arrays.asList(requireNonNull(globs, "globs")));
  }

  static Condition allOf(Condition... conditions) {
    return new And(Arrays.asList(requireNonNull(conditions, "conditions")));
  }

  static Condition anyOf(Condition... conditions) {
    return new Or(Arrays.asList(requireNonNull(conditions, "conditions")));
  }

  static Condition not(Condition condition) {
    return new Not(condition);
  }

  default Condition and(Condition other) {
    return new And(List.of(this, requireNonNull(other, "other")));
  }

  default Condition or(Condition other) {
    return new Or(List.of(this, requireNonNull(other, "other")));
  }

  default Condition negate() {
    return new Not(this);
  }

  /** Builds conditions on the branch, the tag or the trigger. */
  final class SubjectConditions {
    private final Subject subject;

    private SubjectConditions(Subject subject) {
      this.subject = subject;
    }

    public Condition is(String value) {
      return new Match(subject, Test.IS, requireNonNull(value, "value"));
    }

    public Condition matches(String glob) {
      return new Match(subject, Test.MATCHES, requireNonNull(glob, "glob"));
    }

    public Condition isPresent() {
      return new Match(subject, Test.PRESENT, "");
    }
  }

  /** Builds conditions on a declared parameter. */
  final class ParamConditions {
    private final String name;

    private ParamConditions(String name) {
      this.name = name;
    }

    public Condition is(String value) {
      return new ParamEquals(name, requireNonNull(value, "value"));
    }

    public Condition isTrue() {
      return new ParamEquals(name, "true");
    }

    public Condition isFalse() {
      return new ParamEquals(name, "false");
    }
  }

  /** A condition that is always true or always false. */
  enum Constant implements Condition {
    TRUE,
    FALSE;

    @Override
    public String toString() {
      return this == TRUE ? "always" : "never";
    }
  }

  /** Compares the branch, the tag or the trigger with a value or a glob. */
  record Match(Subject subject, Test test, String pattern) implements Condition {
    public Match {
      requireNonNull(subject, "subject");
      requireNonNull(test, "test");
      requireNonNull(pattern, "pattern");
    }

    @Override
    public String toString() {
      switch (test) {
        case IS:
          return subject.word() + " is " + quote(pattern);
        case MATCHES:
          return subject.word() + " matches " + quote(pattern);
        default:
          return subject.word() + " is present";
      }
    }
  }

  /** Compares a declared parameter's value, as text, with a value. */
  record ParamEquals(String name, String value) implements Condition {
    public ParamEquals {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "param " + quote(name) + " is " + quote(value);
    }
  }

  /** True when a changed file matches one of the globs. */
  record Changed(List<String> globs) implements Condition {
    public Changed {
      requireNonNull(globs, "globs");
      if (globs.isEmpty()) {
        throw new IllegalArgumentException("changed(...) needs at least one glob, e.g. changed(\"services/api/**\")");
      }
      for (int i = 0; i < globs.size(); i++) {
        requireNonNull(globs.get(i), "glob " + (i + 1) + " of changed(...)");
      }
      globs = List.copyOf(globs);
    }

    @Override
    public String toString() {
      List<String> quoted = new ArrayList<>(globs.size());
      globs.forEach(g -> quoted.add(quote(g)));
      return "changed files match " + String.join(" or ", quoted);
    }
  }

  /** True when every operand is. */
  record And(List<Condition> operands) implements Condition {
    public And {
      operands = copyOperands(operands, "and");
    }

    @Override
    public String toString() {
      return join(operands, " and ", this);
    }
  }

  /** True when any operand is. */
  record Or(List<Condition> operands) implements Condition {
    public Or {
      operands = copyOperands(operands, "or");
    }

    @Override
    public String toString() {
      return join(operands, " or ", this);
    }
  }

  /** True when the operand is false. */
  record Not(Condition operand) implements Condition {
    public Not {
      requireNonNull(operand, "operand");
    }

    @Override
    public String toString() {
      String inner = operand.toString();
      return operand instanceof And || operand instanceof Or ? "not (" + inner + ")" : "not " + inner;
    }
  }

  private static List<Condition> copyOperands(List<Condition> operands, String what) {
    requireNonNull(operands, "operands");
    if (operands.size() < 2) {
      throw new IllegalArgumentException("'" + what + "' needs at least two conditions, got " + operands.size());
    }
    for (int i = 0; i < operands.size(); i++) {
      requireNonNull(operands.get(i), "condition " + (i + 1) + " of '" + what + "'");
    }
    return List.copyOf(operands);
  }

  private static String join(List<Condition> operands, String separator, Condition parent) {
    List<String> parts = new ArrayList<>(operands.size());
    for (Condition operand : operands) {
      boolean needsParens =
          (operand instanceof And || operand instanceof Or) && operand.getClass() != parent.getClass();
      parts.add(needsParens ? "(" + operand + ")" : operand.toString());
    }
    return String.join(separator, parts);
  }

  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
