package dev.otto.bench;

import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.docker;
import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;

import dev.otto.core.model.Pipeline;
import dev.otto.dsl.Otto;
import dev.otto.dsl.StageRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates a realistic pipeline of {@code steps} steps, ten a stage: groups of ten stages,
 * alternately sequential and parallel, the first stage saving a cache every later group restores,
 * same-as runtimes, conditions, and explicit dependencies across groups.
 */
final class Generated {
  static final int STEPS_PER_STAGE = 10;
  private static final int STAGES_PER_GROUP = 10;

  private Generated() {}

  static Pipeline pipeline(int steps) {
    int stages = steps / STEPS_PER_STAGE;
    int groups = Math.max(1, stages / STAGES_PER_GROUP);
    return Otto.pipeline("generated-" + steps, p -> {
      var deps = p.cache("deps", List.of("vendor/"), List.of("lockfile"));
      var token = p.secret("token");
      var deploy = p.booleanParam("deploy", true, "deploy at the end");
      List<StageRef> groupRefs = new ArrayList<>();
      StageRef[] first = new StageRef[1];
      for (int g = 0; g < groups; g++) {
        int group = g;
        StageRef ref = p.stage("Group " + g, grp -> {
          if (group % 2 == 1) {
            grp.parallel();
          }
          if (group > 2) {
            grp.after(groupRefs.get(group - 3));
          }
          for (int s = 0; s < STAGES_PER_GROUP; s++) {
            int stage = s;
            StageRef made = grp.stage("Stage " + s, st -> {
              if (first[0] == null) {
                st.runtime(docker("builder:1")).saves(deps);
              } else {
                st.runtime(sameAs(first[0]));
                if (group > 0) {
                  st.restores(deps);
                }
              }
              if (stage == 9) {
                st.when(branch().matches("release/*").or(deploy.isTrue()));
              }
              for (int i = 0; i < STEPS_PER_STAGE; i++) {
                var step = sh("make target-" + group + "-" + stage + "-" + i).env("PART", String.valueOf(i));
                st.steps(i == 0 ? step.with(token.asEnv("TOKEN")) : step);
              }
            });
            if (first[0] == null) {
              first[0] = made;
            }
          }
        });
        groupRefs.add(ref);
      }
    });
  }
}
