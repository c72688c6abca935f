package dev.otto.core.engine;

import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.PollGate;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The host process of the crash test: {@code start <root>} starts a run and writes its id to
 * {@code <root>/run-id}; {@code resume <root>} resumes that run. Either approves the approval
 * shortly after it begins, and writes the run's final status to {@code <root>/<mode>-status}.
 */
public final class CrashChild {
  private CrashChild() {}

  /** Every step's name, in plan order. */
  static final List<String> STEPS = List.of("build-1", "build-2", "build-3", "unit-1", "unit-2", "lint-1",
      "lint-2", "deploy-1", "deploy-2", "verify-1");

  static ShStep step(String name) {
    return ShStep.of("echo \"start " + name + " $OTTO_IDEMPOTENCY_KEY\" >> executions; sleep 0.05; "
        + "echo \"done " + name + "\" >> executions").named(name);
  }

  /**
   * Steps that outlive the kill of their host: each records its sleep's pid and any overlap with
   * itself, an earlier execution whose sleep still runs (a killed one nobody has reaped yet, a
   * zombie, runs nothing).
   */
  static final List<String> SLOW_STEPS = List.of("slow-build-1", "slow-build-2", "slow-unit", "slow-lint", "slow-deploy");

  static ShStep slowStep(String name) {
    String pid = "running-" + name;
    return ShStep.of("if [ -f " + pid + " ] && kill -0 \"$(cat " + pid + ")\" 2>/dev/null && ! grep -q '^State:.*Z' "
        + "\"/proc/$(cat " + pid + ")/status\" 2>/dev/null; then echo \"overlap " + name
        + "\" >> executions; fi; echo \"start " + name + "\" >> executions; sleep 2 & echo $! > " + pid
        + "; wait $!; echo \"done " + name + "\" >> executions").named(name);
  }

  static Plan slowPlan() {
    Stage build = Stage.builder("Build").addSteps(slowStep("slow-build-1"), slowStep("slow-build-2")).build();
    Stage checks = Stage.builder("Checks").parallel(true).addStages(
        Stage.builder("Unit").addSteps(slowStep("slow-unit")).build(),
        Stage.builder("Lint").addSteps(slowStep("slow-lint")).build()).build();
    Stage deploy = Stage.builder("Deploy").addSteps(slowStep("slow-deploy")).build();
    return Planner.plan(Pipeline.builder("crash-slow").addStages(build, checks, deploy).build(),
        RunContext.branch("main"));
  }

  static Plan plan() {
    Stage build = Stage.builder("Build").addSteps(step("build-1"), step("build-2"), step("build-3")).build();
    Stage checks = Stage.builder("Checks").parallel(true).addStages(
        Stage.builder("Unit").addSteps(step("unit-1"), step("unit-2")).build(),
        Stage.builder("Lint").addSteps(step("lint-1"), step("lint-2")).build()).build();
    Stage deploy = Stage.builder("Deploy")
        .addEnter(ApprovalGate.of("Ship it?").timeout(Duration.ofMinutes(10)))
        .addSteps(step("deploy-1"), step("deploy-2")).build();
    Stage verify = Stage.builder("Verify")
        .addEnter(PollGate.of("up", ShStep.of("test -f up || { touch up; false; }"))
            .every(Duration.ofMillis(100)).timeout(Duration.ofMinutes(10)))
        .addSteps(step("verify-1")).build();
    return Planner.plan(Pipeline.builder("crash").addStages(build, checks, deploy, verify).build(),
        RunContext.branch("main"));
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path root = Path.of(args[1]);
    AtomicReference<LocalEngine> engine = new AtomicReference<>();
    List<String> refusals = new ArrayList<>();
    LocalEngine built = LocalEngine.builder(root).parallelism(2).listener(event -> {
      if (event instanceof RunEvent.WaitStarted started && started.kind().equals("await-approval")) {
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> {
          try {
            engine.get().decide(started.run(), started.waitId(), Decision.approve("crash-test"));
          } catch (WaitRefusedException e) {
            refusals.add(e.getMessage());
          }
        });
      }
    }).build();
    engine.set(built);
    RunHandle run;
    Plan plan = mode.endsWith("-slow") ? slowPlan() : plan();
    if (mode.startsWith("start")) {
      run = built.start(plan);
      Files.writeString(root.resolve("run-id"), run.id());
    } else {
      run = built.resume(Files.readString(root.resolve("run-id")).trim(), plan);
    }
    RunResult result = run.result().join();
    Files.writeString(root.resolve(mode + "-status"), result.status() + "\n" + refusals);
  }
}
