package dev.otto.examples;

import dev.otto.core.model.Pipeline;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * The test variant of an example: the same pipeline, with every script replaced by a harmless
 * local command that says what would have run, so that the structure (order, parallelism,
 * caches, runtimes, skips) runs end to end on any machine without pushing anywhere.
 */
public final class HarmlessVariant {
  private HarmlessVariant() {}

  public static Pipeline of(Pipeline pipeline) {
    List<Stage> stages = new ArrayList<>();
    for (Stage stage : pipeline.stages()) {
      stages.add(harmless(stage));
    }
    return Pipeline.builder(pipeline.name()).from(pipeline).stages(stages).build();
  }

  private static Stage harmless(Stage stage) {
    List<Stage> children = new ArrayList<>();
    for (Stage child : stage.stages()) {
      children.add(harmless(child));
    }
    return Stage.builder(stage.name()).from(stage).stages(children).steps(steps(stage.steps()))
        .onSuccess(steps(stage.onSuccess())).onFailure(steps(stage.onFailure())).always(steps(stage.always())).build();
  }

  private static List<Step> steps(List<Step> steps) {
    List<Step> out = new ArrayList<>();
    for (Step step : steps) {
      if (step instanceof ShStep sh) {
        String quoted = "'" + sh.script().replace("'", "'\\''") + "'";
        out.add(ShStep.builder().from(sh).script("mkdir -p vendor/bundle dist/css dist/js && echo would run: " + quoted)
            .build());
      } else {
        out.add(step);
      }
    }
    return out;
  }
}
