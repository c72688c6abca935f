package dev.otto.core.plan;

import dev.otto.core.model.Condition;
import dev.otto.core.validate.Glob;
import java.util.Map;
import java.util.Optional;

/** Decides conditions against a run context, with three outcomes. */
final class Conditions {
  /** A decision: true, false, or not decidable from what is known. */
  enum Truth {
    TRUE,
    FALSE,
    UNKNOWN;

    static Truth of(boolean value) {
      return value ? TRUE : FALSE;
    }
  }

  private Conditions() {}

  /**
   * Decides {@code condition}. {@code values} holds the parameter values the context decides;
   * a parameter missing from it is unknown.
   */
  static Truth evaluate(Condition condition, RunContext context, Map<String, String> values) {
    if (condition instanceof Condition.Constant constant) {
      return Truth.of(constant == Condition.Constant.TRUE);
    }
    if (condition instanceof Condition.Match match) {
      if (!context.isKnown()) {
        return Truth.UNKNOWN;
      }
      Optional<String> subject = switch (match.subject()) {
        case BRANCH -> context.branch();
        case TAG -> context.tag();
        case TRIGGER -> context.trigger();
      };
      return Truth.of(switch (match.test()) {
        case PRESENT -> subject.isPresent();
        case IS -> subject.isPresent() && subject.get().equals(match.pattern());
        case MATCHES -> subject.isPresent() && Glob.matches(match.pattern(), subject.get());
      });
    }
    if (condition instanceof Condition.Changed changed) {
      if (!context.isKnown()) {
        return Truth.UNKNOWN;
      }
      if (context.changedFiles().isEmpty()) {
        // A run that does not know what changed builds everything, as CI systems do without a base.
        return Truth.TRUE;
      }
      for (String file : context.changedFiles().get()) {
        for (String glob : changed.globs()) {
          if (Glob.matches(glob, file)) {
            return Truth.TRUE;
          }
        }
      }
      return Truth.FALSE;
    }
    if (condition instanceof Condition.ParamEquals param) {
      String value = values.get(param.name());
      return value == null ? Truth.UNKNOWN : Truth.of(value.equals(param.value()));
    }
    if (condition instanceof Condition.Not not) {
      Truth inner = evaluate(not.operand(), context, values);
      return inner == Truth.UNKNOWN ? Truth.UNKNOWN : Truth.of(inner == Truth.FALSE);
    }
    if (condition instanceof Condition.And and) {
      Truth result = Truth.TRUE;
      for (Condition operand : and.operands()) {
        Truth truth = evaluate(operand, context, values);
        if (truth == Truth.FALSE) {
          return Truth.FALSE;
        }
        if (truth == Truth.UNKNOWN) {
          result = Truth.UNKNOWN;
        }
      }
      return result;
    }
    Condition.Or or = (Condition.Or) condition;
    Truth result = Truth.FALSE;
    for (Condition operand : or.operands()) {
      Truth truth = evaluate(operand, context, values);
      if (truth == Truth.TRUE) {
        return Truth.TRUE;
      }
      if (truth == Truth.UNKNOWN) {
        result = Truth.UNKNOWN;
      }
    }
    return result;
  }
}
