package dev.otto.core.model;

import java.util.Map;
import org.immutables.value.Value;

/**
 * A record that a pipeline was built from a blueprint, with the variable values it was built
 * with (defaults included). Explain shows it; the stages the blueprint contributed carry its name
 * as their {@link Stage#origin()}.
 */
@Value.Immutable
public abstract class BlueprintUse {

  public abstract String name();

  /** Variable values as text, in the blueprint's declaration order. */
  public abstract Map<String, String> variables();

  public static BlueprintUse of(String name, Map<String, String> variables) {
    return ImmutableBlueprintUse.builder().name(name).putAllVariables(variables).build();
  }
}
