package dev.otto.core.validate;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.otto.core.library.ActionSpec;
import dev.otto.core.library.ParamSpec;
import dev.otto.core.library.Primitive;
import dev.otto.core.model.LibraryStep;
import dev.otto.core.model.LibraryUse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Expands a library step into its primitives, the one way planning and validation both do:
 * arguments and configuration with their defaults filled in.
 *
 * <p>Public for Otto's planner, which turns the primitives into ops. Not an API: it may change in
 * any release.
 */
@API(status = INTERNAL, since = "0.1")
public final class LibraryCalls {
  private LibraryCalls() {}

  /**
   * The primitives {@code call} stands for. The call's action must exist and its arguments and the
   * library's configuration must be valid; a library's own failure is thrown as it is.
   */
  public static List<Primitive> expand(LibraryUse use, LibraryStep call) {
    ActionSpec action = use.library().actions().stream().filter(a -> a.name().equals(call.action())).findFirst()
        .orElseThrow();
    List<Primitive> primitives = use.library().expand(call.action(), withDefaults(action.parameters(), call.arguments()),
        withDefaults(use.library().configSpec(), use.config()));
    if (primitives == null) {
      throw new IllegalStateException("returned null");
    }
    return List.copyOf(primitives);
  }

  private static Map<String, Object> withDefaults(List<ParamSpec> specs, Map<String, Object> given) {
    Map<String, Object> all = new LinkedHashMap<>();
    for (ParamSpec spec : specs) {
      Object value = given.containsKey(spec.name()) ? given.get(spec.name()) : spec.defaultValue().orElse(null);
      if (value != null) {
        all.put(spec.name(), value);
      }
    }
    return Collections.unmodifiableMap(all);
  }
}
