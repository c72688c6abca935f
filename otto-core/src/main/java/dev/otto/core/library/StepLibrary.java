package dev.otto.core.library;

import java.util.List;
import java.util.Map;

/**
 * A step library: named actions that expand, when a pipeline is planned, into {@link Primitive}s,
 * which planning turns into the plan's ops.
 *
 * <p>A library is a plan-time macro. Its {@link #expand} runs while planning and its output is
 * part of the plan, visible in explain; no library code runs while the plan executes, so a
 * library cannot compromise the engine. Expansion must be deterministic: the same arguments and
 * configuration give equal primitives.
 *
 * <p>Arguments and configuration are checked against {@link #configSpec()} and {@link
 * #actions()} by validation before {@code expand} sees them, so an implementation may rely on
 * required values being present and of the declared type.
 */
public interface StepLibrary {

  /** A short, stable identifier, e.g. {@code slack}. */
  String id();

  /** One line for explain output. */
  String description();

  /** The configuration a pipeline gives when it uses the library. */
  List<ParamSpec> configSpec();

  /** The actions, in a stable order. */
  List<ActionSpec> actions();

  /**
   * What one action call does. {@code arguments} and {@code config} hold every declared
   * parameter, with defaults filled in; a {@link ValueType#SECRET} value is a {@code
   * dev.otto.core.model.SecretRef}.
   */
  List<Primitive> expand(String action, Map<String, Object> arguments, Map<String, Object> config);
}
