package dev.otto.core.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A typed input of a run, such as {@code deploy: boolean = true}. Values reach a run as text (from
 * a command line or an API) and are checked against the type when the run is planned.
 */
@Value.Immutable
public abstract class Parameter {

  /** The type of a parameter's value. */
  public enum Type {
    STRING,
    BOOLEAN,
    INTEGER,
    /** One of {@link Parameter#choices()}. */
    CHOICE;

    /** Whether {@code text} is a valid value of this type (choices aside). */
    public boolean accepts(String text) {
      switch (this) {
        case BOOLEAN:
          return text.equals("true") || text.equals("false");
        case INTEGER:
          return text.matches("-?[0-9]{1,18}");
        default:
          return true;
      }
    }
  }

  public abstract String name();

  public abstract Type type();

  /** The value used when a run does not give one; without it the parameter is required. */
  public abstract Optional<String> defaultValue();

  @Value.Default
  public String description() {
    return "";
  }

  /** The allowed values of a {@link Type#CHOICE} parameter. */
  public abstract List<String> choices();

  public static Builder builder(String name, Type type) {
    return new Builder().name(name).type(type);
  }

  /** Builds a {@link Parameter}. */
  public static final class Builder extends ImmutableParameter.Builder {}
}
