package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import dev.otto.core.OttoException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Blueprints shared as jars: a jar declares its blueprints as services ({@code provides
 * dev.otto.dsl.Blueprint with ...} in its module, or a line in
 * {@code META-INF/services/dev.otto.dsl.Blueprint}), and a pipeline finds them by name.
 *
 * <pre>{@code
 * Pipeline gem = Otto.pipeline("my-gem", p -> p.from(Blueprints.find("rubygem"), Map.of("deploy", false)));
 * }</pre>
 */
public final class Blueprints {
  private Blueprints() {}

  /** Every blueprint on the class or module path, by name. */
  public static List<Blueprint> available() {
    return ServiceLoader.load(Blueprint.class).stream().map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparing(Blueprint::name)).toList();
  }

  /**
   * The blueprint named {@code name} on the class or module path.
   *
   * @throws OttoException when there is none, naming those there are, or when two jars share the name
   */
  public static Blueprint find(String name) {
    requireNonNull(name, "name");
    List<Blueprint> all = available();
    List<Blueprint> named = all.stream().filter(b -> b.name().equals(name)).toList();
    if (named.isEmpty()) {
      throw new OttoException("no blueprint named '" + name + "' is on the class path; there are "
          + all.stream().map(Blueprint::name).toList() + ". Add the jar that provides it, or check the name.");
    }
    if (named.size() > 1) {
      throw new OttoException("several blueprints are named '" + name + "': "
          + named.stream().map(b -> b.getClass().getName()).toList() + "; keep one of the jars that provide them");
    }
    return named.get(0);
  }
}
