package dev.otto.core;

import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;

/** Small builders for tests that write the model directly. */
public final class Fixtures {
  private Fixtures() {}

  /** A stage with one step. */
  public static Stage.Builder leaf(String name) {
    return Stage.builder(name).addSteps(ShStep.of("echo " + name));
  }

  /** A pipeline of the given top-level stages. */
  public static Pipeline.Builder pipeline(Stage... stages) {
    return Pipeline.builder("p").addStages(stages);
  }

  /** A group of the given children. */
  public static Stage.Builder group(String name, Stage... children) {
    return Stage.builder(name).addStages(children);
  }
}
