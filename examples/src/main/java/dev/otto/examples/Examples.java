package dev.otto.examples;

import dev.otto.core.model.Pipeline;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The examples by name. */
public final class Examples {
  private static final Map<String, Supplier<Pipeline>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("webapp", WebApp::pipeline);
    ALL.put("matrix", Matrix::pipeline);
    ALL.put("my-gem", MyGem::pipeline);
    ALL.put("failing", Failing::pipeline);
    ALL.put("delivery", Delivery::pipeline);
  }

  private Examples() {}

  /** Every example's name, in a stable order. */
  public static Iterable<String> names() {
    return ALL.keySet();
  }

  /** The example named {@code name}. */
  public static Pipeline get(String name) {
    Supplier<Pipeline> example = ALL.get(name);
    if (example == null) {
      throw new IllegalArgumentException("no example named '" + name + "'; choose one of " + ALL.keySet());
    }
    return example.get();
  }
}
