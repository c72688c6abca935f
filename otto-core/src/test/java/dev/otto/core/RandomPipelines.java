package dev.otto.core;

import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Condition;
import dev.otto.core.model.ConditionGate;
import dev.otto.core.model.Environment;
import dev.otto.core.model.Matrix;
import dev.otto.core.model.Parameter;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.model.WebhookGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds pipelines, valid or not, from a recipe of integers: the same recipe always gives the
 * same pipeline, so property tests can build one twice and shrink failures.
 */
public final class RandomPipelines {
  private static final String[] NAMES = {"Build", "Test", "Deploy", "A", "B", "Café", "Cafe\u0301", " ", "x>y",
      "Сборка", "\u202Eevil", "", "テスト"};
  private static final String[] IDENTIFIERS = {"gems", "assets", "token", "prod", "bad name", "", "deploy"};

  private final List<Integer> recipe;
  private int at;
  private final List<StagePath> paths = new ArrayList<>();
  private final List<StagePath> finishedTopLevel = new ArrayList<>();
  private final boolean clean;
  private int counter;

  private RandomPipelines(List<Integer> recipe, boolean clean) {
    this.recipe = recipe;
    this.clean = clean;
  }

  /** A pipeline that may break any rule. */
  public static Pipeline build(List<Integer> recipe) {
    return new RandomPipelines(recipe, false).pipeline();
  }

  /** A pipeline that breaks no rule: every reference points at something declared and earlier. */
  public static Pipeline valid(List<Integer> recipe) {
    return new RandomPipelines(recipe, true).cleanPipeline();
  }

  private Pipeline cleanPipeline() {
    Pipeline.Builder p = Pipeline.builder("valid")
        .addSecrets(new SecretRef("token"))
        .addCaches(Cache.of("gems", List.of("vendor/"), List.of("Gemfile.lock")))
        .addParameters(Parameter.builder("deploy", Parameter.Type.BOOLEAN).defaultValue("true").build())
        .addEnvironments(Environment.builder("prod").putSettings("HOST", "prod").addAllowedBranches("main", "release/*")
            .requiresApproval(chance(30)).build());
    int stages = 1 + next(8);
    for (int i = 0; i < stages; i++) {
      Stage stage = stage(null, 0);
      p.addStages(stage);
      finishedTopLevel.add(StagePath.of(stage.name()));
    }
    return p.build();
  }

  private int next(int bound) {
    if (recipe.isEmpty()) {
      return 0;
    }
    int value = recipe.get(at++ % recipe.size());
    return Math.floorMod(value + at, bound);
  }

  private boolean chance(int percent) {
    return next(100) < percent;
  }

  private String name() {
    return NAMES[next(NAMES.length)];
  }

  private String identifier() {
    return IDENTIFIERS[next(IDENTIFIERS.length)];
  }

  private Pipeline pipeline() {
    Pipeline.Builder p = Pipeline.builder(chance(95) ? "random" : name());
    int secrets = next(3);
    for (int i = 0; i < secrets; i++) {
      p.addSecrets(new SecretRef(identifier()));
    }
    int caches = next(3);
    for (int i = 0; i < caches; i++) {
      p.addCaches(Cache.of(identifier(), chance(90) ? List.of("vendor/") : List.of(), List.of()));
    }
    if (chance(50)) {
      p.addParameters(Parameter.builder(identifier(), chance(70) ? Parameter.Type.BOOLEAN : Parameter.Type.STRING)
          .defaultValue(chance(80) ? "true" : "maybe").build());
    }
    if (chance(50)) {
      p.addEnvironments(Environment.builder(identifier()).putSettings(chance(90) ? "HOST" : "1X", "h")
          .addAllowedBranches(chance(50) ? "main" : "release/*").requiresApproval(chance(30)).build());
    }
    int stages = 1 + next(6);
    if (chance(3)) {
      stages = 0;
    }
    for (int i = 0; i < stages; i++) {
      p.addStages(stage(null, 0));
    }
    return p.build();
  }

  private Stage stage(StagePath parent, int depth) {
    String name = clean ? "S" + counter++ : chance(70) ? "S" + next(6) : name();
    StagePath path = parent == null ? StagePath.of(name.isEmpty() ? "_" : name) : parent.child(name);
    Stage.Builder s = Stage.builder(name);
    if (depth < 3 && chance(30)) {
      int children = clean ? 1 + next(3) : next(4);
      for (int i = 0; i < children; i++) {
        s.addStages(stage(path, depth + 1));
      }
      s.parallel(chance(50));
    } else if (clean || chance(95)) {
      int steps = 1 + next(3);
      for (int i = 0; i < steps; i++) {
        ShStep step = ShStep.of(clean || chance(95) ? "make " + i : " ");
        if (chance(20)) {
          step = clean ? step.with(SecretBinding.asEnv("token", "TOKEN"))
              : step.with(SecretBinding.asEnv(identifier(), chance(90) ? "TOKEN" : "9X"));
        }
        if (chance(10)) {
          step = step.timeout(clean || chance(80) ? Duration.ofMinutes(1) : Duration.ZERO);
        }
        s.addSteps(step);
      }
    }
    if (clean) {
      return cleanExtras(s, path, depth);
    }
    if (chance(20)) {
      s.addRestores(identifier());
    }
    if (chance(20)) {
      s.addSaves(identifier());
    }
    if (chance(15)) {
      s.runtime(Runtime.container("ruby"));
    } else if (chance(10) && !paths.isEmpty()) {
      s.runtime(Runtime.sameAs(paths.get(next(paths.size()))));
    }
    if (chance(15) && !paths.isEmpty()) {
      s.addAfter(paths.get(next(paths.size())));
    }
    if (chance(5)) {
      s.addAfter(StagePath.of("Nowhere"));
    }
    if (chance(15)) {
      s.when(condition(0));
    }
    if (chance(10)) {
      s.addEnter(new ConditionGate(condition(0)));
    }
    if (chance(10)) {
      ApprovalGate a = ApprovalGate.of("ok?");
      s.addEnter(chance(70) ? a.timeout(Duration.ofHours(1)) : a);
    }
    if (chance(10)) {
      WebhookGate w = WebhookGate.of("hook");
      s.addExit(chance(70) ? w.timeout(Duration.ofMinutes(5)) : w);
    }
    if (chance(5)) {
      s.addExit(PollGate.of("up", ShStep.of("true")).timeout(Duration.ofMinutes(5)).every(Duration.ofSeconds(5)));
    }
    if (chance(10)) {
      s.environment(identifier());
    }
    if (chance(10)) {
      s.addOnFailure(ShStep.of("echo failed"));
    }
    if (chance(8)) {
      Matrix.Builder m = Matrix.builder().putAxes("os", chance(80) ? List.of("linux", "mac") : List.of("linux", "linux"));
      if (chance(50)) {
        m.putAxes("jdk", List.of("17", "21"));
      }
      if (chance(30)) {
        m.nameTemplate("${matrix.os}");
      }
      s.matrix(m.build());
    }
    paths.add(path);
    return s.build();
  }

  private Stage cleanExtras(Stage.Builder s, StagePath path, int depth) {
    Stage partial = s.build();
    boolean leaf = partial.stages().isEmpty();
    if (leaf && chance(20)) {
      s.addSaves("gems");
    }
    if (chance(20)) {
      s.runtime(chance(50) ? Runtime.container("ruby") : Runtime.agent("linux"));
    } else if (chance(15) && !finishedTopLevel.isEmpty()) {
      s.runtime(Runtime.sameAs(finishedTopLevel.get(next(finishedTopLevel.size()))));
    }
    if (chance(20) && !finishedTopLevel.isEmpty()) {
      s.addAfter(finishedTopLevel.get(next(finishedTopLevel.size())));
    }
    if (chance(20)) {
      s.when(cleanCondition(0));
    }
    if (chance(10)) {
      s.addEnter(ApprovalGate.of("ok " + path + "?").timeout(Duration.ofHours(1 + next(48))));
    }
    if (chance(10)) {
      s.addExit(WebhookGate.of("hook").timeout(Duration.ofMinutes(5)));
    }
    if (chance(5)) {
      s.addExit(PollGate.of("up", ShStep.of("curl -f localhost")).timeout(Duration.ofMinutes(5))
          .every(Duration.ofSeconds(5)).backoff(2, Duration.ofMinutes(1)));
    }
    if (chance(10) && depth == 0) {
      s.environment("prod");
    }
    if (chance(10)) {
      s.addOnFailure(ShStep.of("echo failed"));
    }
    if (leaf && chance(8)) {
      Matrix.Builder m = Matrix.builder().putAxes("os", List.of("linux", "mac"));
      if (chance(50)) {
        m.putAxes("jdk", List.of("17", "21"));
      }
      s.matrix(m.build());
    }
    return s.build();
  }

  private Condition cleanCondition(int depth) {
    int kind = depth > 2 ? next(4) : next(7);
    return switch (kind) {
      case 0 -> Condition.branch().is("main");
      case 1 -> Condition.branch().matches("release/*");
      case 2 -> Condition.param("deploy").isTrue();
      case 3 -> Condition.tag().isPresent();
      case 4 -> Condition.not(cleanCondition(depth + 1));
      case 5 -> cleanCondition(depth + 1).and(cleanCondition(depth + 1));
      default -> cleanCondition(depth + 1).or(cleanCondition(depth + 1));
    };
  }

  private Condition condition(int depth) {
    int kind = depth > 2 ? next(4) : next(7);
    return switch (kind) {
      case 0 -> Condition.branch().is("main");
      case 1 -> Condition.branch().matches(chance(90) ? "release/*" : "");
      case 2 -> Condition.param(identifier()).isTrue();
      case 3 -> Condition.tag().isPresent();
      case 4 -> Condition.not(condition(depth + 1));
      case 5 -> condition(depth + 1).and(condition(depth + 1));
      default -> condition(depth + 1).or(condition(depth + 1));
    };
  }
}
