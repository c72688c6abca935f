package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;

import dev.otto.core.OttoException;
import dev.otto.core.cache.CacheStore;
import dev.otto.core.executor.Executor;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.model.Runtime;
import dev.otto.core.plan.Op;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.secret.SecretProvider;
import dev.otto.core.secret.SecretProviders;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs plans on this machine: each stage starts as soon as the stages it depends on have
 * finished, independent stages run at once up to the configured parallelism, and declaration
 * order breaks ties.
 *
 * <pre>{@code
 * Engine engine = Engine.builder(Path.of("/var/lib/otto/runs"))
 *     .secrets(SecretProviders.environment(System.getenv()))
 *     .caches(new DirectoryCacheStore(Path.of("/var/cache/otto")))
 *     .listener(event -> log.info("{}", event))
 *     .build();
 * RunResult result = engine.run(Planner.plan(pipeline, RunContext.branch("main")));
 * }</pre>
 *
 * <p>Before anything runs, the engine checks the whole plan and refuses it, naming every stage
 * concerned, when it was planned without a known context, when a stage's runtime has no
 * executor (containers may fall back to local processes if the host allows), or when it holds
 * waits (approvals, webhooks, polls), which this engine does not run yet.
 *
 * <p>A failed stage skips the stages that depend on it, with the reason. With
 * {@link FailurePolicy#FAIL_FAST} (the default) it also stops the run: running processes are
 * stopped and nothing new starts. With {@link FailurePolicy#CONTINUE} independent stages go on.
 */
public final class Engine {
  /** What a failed stage does to the rest of the run. */
  public enum FailurePolicy {
    FAIL_FAST,
    CONTINUE
  }

  /** What happens to a container stage when no executor runs containers. */
  public enum ContainerPolicy {
    /** The plan is refused before anything runs. */
    FAIL,
    /** The stage runs as local processes, with a warning event. */
    LOCAL_FALLBACK
  }

  final List<Executor> executors;
  final SecretProvider secrets;
  final CacheStore caches;
  final Path root;
  final int parallelism;
  final FailurePolicy failurePolicy;
  final ContainerPolicy containerPolicy;
  final Clock clock;
  final Scheduler scheduler;
  final List<RunListener> listeners;

  private Engine(Builder builder) {
    this.executors = List.copyOf(builder.executors.isEmpty()
        ? List.of(LocalProcessExecutor.builder().build()) : builder.executors);
    this.secrets = builder.secrets;
    this.caches = builder.caches;
    this.root = builder.root.toAbsolutePath().normalize();
    this.parallelism = builder.parallelism;
    this.failurePolicy = builder.failurePolicy;
    this.containerPolicy = builder.containerPolicy;
    this.scheduler = builder.scheduler;
    this.clock = builder.scheduler.clock();
    this.listeners = List.copyOf(builder.listeners);
  }

  /** An engine that keeps each run's workspace under {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(requireNonNull(root, "root"));
  }

  /** Starts {@code plan} and returns at once. */
  public RunHandle start(Plan plan) {
    requireNonNull(plan, "plan");
    Map<String, Executor> assigned = new LinkedHashMap<>();
    List<StageWarning> warnings = new ArrayList<>();
    check(plan, assigned, warnings);
    Run run = new Run(this, plan, assigned);
    run.begin(warnings);
    return run;
  }

  /**
   * Which executor would run each stage of {@code plan} that runs processes, or why none can:
   * what explain shows with {@link dev.otto.core.explain.Explain#text(Plan, Map)} before a run.
   */
  public Map<String, String> executorsFor(Plan plan) {
    requireNonNull(plan, "plan");
    Map<String, String> notes = new LinkedHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      if (stage.status() != StageStatus.SKIP && stage.ops().stream().anyMatch(Op.RunProcess.class::isInstance)) {
        Match match = match(stage);
        notes.put(stage.id(), match.executor() != null
            ? "runs on the " + match.executor().name() + " executor"
                + (match.warning() != null ? ", as no executor runs containers here" : "")
            : "cannot run here: " + match.problem());
      }
    }
    return notes;
  }

  /** Where a stage runs: an executor (perhaps with a warning), or the problem. */
  private record Match(Executor executor, String warning, String problem) {}

  private Match match(PlannedStage stage) {
    Optional<Executor> direct = executors.stream().filter(e -> e.whyNot(stage.runtime()).isEmpty()).findFirst();
    if (direct.isPresent()) {
      return new Match(direct.get(), null, null);
    }
    Optional<Executor> local = executors.stream().filter(e -> e.whyNot(Runtime.local()).isEmpty()).findFirst();
    if (stage.runtime() instanceof Runtime.Container && containerPolicy == ContainerPolicy.LOCAL_FALLBACK
        && local.isPresent()) {
      return new Match(local.get(), "no executor runs containers here, so stage '" + stage.id() + "' ("
          + stage.runtime().describe() + ") runs as local processes", null);
    }
    List<String> reasons = executors.stream().map(e -> e.name() + ": " + e.whyNot(stage.runtime()).orElse("")).toList();
    return new Match(null, null, "stage '" + stage.id() + "' needs " + stage.runtime().describe()
        + ", which no executor runs (" + String.join("; ", reasons) + ")"
        + (stage.runtime() instanceof Runtime.Container ? "; or allow ContainerPolicy.LOCAL_FALLBACK" : ""));
  }

  /** Runs {@code plan} to its end. */
  public RunResult run(Plan plan) {
    return start(plan).result().join();
  }

  private void check(Plan plan, Map<String, Executor> assigned, List<StageWarning> warnings) {
    List<String> problems = new ArrayList<>();
    if (!plan.context().isKnown()) {
      problems.add("the plan was made without a run context; plan for the branch, tag, trigger and parameters of the run");
    }
    for (PlannedStage stage : plan.stages()) {
      if (stage.status() != StageStatus.RUN) {
        continue;
      }
      List<String> waits = stage.waits().stream().map(w -> w.kind() + " " + w.id()).toList();
      if (!waits.isEmpty()) {
        problems.add("stage '" + stage.id() + "' waits (" + String.join(", ", waits) + "); this engine does not run "
            + "approvals, webhooks or polls yet: plan for a context that skips the stage, or run it elsewhere");
      }
      if (stage.ops().stream().noneMatch(Op.RunProcess.class::isInstance)) {
        continue;
      }
      Match match = match(stage);
      if (match.executor() == null) {
        problems.add(match.problem());
        continue;
      }
      assigned.put(stage.id(), match.executor());
      if (match.warning() != null) {
        warnings.add(new StageWarning(stage.id(), match.warning()));
      }
    }
    if (!problems.isEmpty()) {
      throw new OttoException("the plan of pipeline '" + plan.pipeline() + "' cannot run here:\n  - "
          + String.join("\n  - ", problems));
    }
  }

  /** A warning about one stage, given to listeners when the run starts. */
  record StageWarning(String stage, String message) {}

  /** Configures an {@link Engine}. */
  public static final class Builder {
    private final Path root;
    private final List<Executor> executors = new ArrayList<>();
    private SecretProvider secrets = SecretProviders.inMemory(Map.of());
    private CacheStore caches;
    private int parallelism = Math.max(1, java.lang.Runtime.getRuntime().availableProcessors());
    private FailurePolicy failurePolicy = FailurePolicy.FAIL_FAST;
    private ContainerPolicy containerPolicy = ContainerPolicy.FAIL;
    private Scheduler scheduler = Scheduler.system();
    private final List<RunListener> listeners = new ArrayList<>();

    private Builder(Path root) {
      this.root = root;
    }

    /** Adds an executor; the first that can run a stage's runtime runs it. The local executor by default. */
    public Builder executor(Executor executor) {
      executors.add(requireNonNull(executor, "executor"));
      return this;
    }

    public Builder secrets(SecretProvider provider) {
      this.secrets = requireNonNull(provider, "provider");
      return this;
    }

    /** Where caches are kept; without a store, caches are neither restored nor saved. */
    public Builder caches(CacheStore store) {
      this.caches = requireNonNull(store, "store");
      return this;
    }

    /** How many stages may run at once; the number of processors by default. */
    public Builder parallelism(int stages) {
      if (stages < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, not " + stages);
      }
      this.parallelism = stages;
      return this;
    }

    public Builder failurePolicy(FailurePolicy policy) {
      this.failurePolicy = requireNonNull(policy, "policy");
      return this;
    }

    public Builder containerPolicy(ContainerPolicy policy) {
      this.containerPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /** The engine's time: its clock, and the timers of stage timeouts and retry backoffs. Real time by default. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    public Builder listener(RunListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    public Engine build() {
      return new Engine(this);
    }
  }
}
