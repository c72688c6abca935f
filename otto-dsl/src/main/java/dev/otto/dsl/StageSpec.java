package dev.otto.dsl;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.otto.core.model.Condition;
import dev.otto.core.model.ConditionGate;
import dev.otto.core.model.Gate;
import dev.otto.core.model.Lock;
import dev.otto.core.model.LockMode;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.Service;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.model.Step;
import dev.otto.core.validate.Validator;
import dev.otto.dsl.internal.Args;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Configures one stage: either its steps, or its child stages; where it runs; the caches,
 * environment, gates and notifications around it; and when it runs.
 *
 * <pre>{@code
 * p.stage("Test", s -> s
 *     .runtime(sameAs(build))
 *     .restores(gems)
 *     .service("db", "postgres:16", db -> db.healthCheck("pg_isready -h 127.0.0.1 -U postgres"))
 *     .steps(sh("bundle exec rake spec")));
 * }</pre>
 */
public final class StageSpec {
  /** How many levels of nesting are configured on one thread; see {@link #stage}. */
  static final int LEVELS_PER_THREAD = 100;

  private final PipelineSpec pipeline;
  private final StagePath path;
  private final Stage.Builder builder;
  private final List<Stage> children = new ArrayList<>();
  private MatrixSpec matrix;
  /** Set once the stage is built: a change after that would be lost, so it is refused. */
  private boolean built;
  /** The child whose lambda runs now, if one does. */
  private StagePath configuring;

  StageSpec(PipelineSpec pipeline, StagePath path) {
    this.pipeline = pipeline;
    this.path = path;
    this.builder = Stage.builder(path.name());
  }

  /** This stage's own handle, e.g. for a child's {@code sameAs(...)}. */
  public StageRef ref() {
    return new StageRef(path);
  }

  /** Where the steps run; children inherit it. Defaults to the parent's, or a local process. */
  public StageSpec runtime(Runtime runtime) {
    open();
    builder.runtime(requireNonNull(runtime, "runtime"));
    return this;
  }

  public StageSpec steps(Step... steps) {
    open();
    for (Step step : Args.each("step", "steps", steps)) {
      builder.addSteps(step);
    }
    return this;
  }

  /**
   * A container from {@code image} that runs beside the stage's steps for the stage's duration,
   * reached by {@code name} as a host name: a database, a cache, a fake API. The stage's steps
   * must run in a container.
   */
  public StageSpec service(String name, String image) {
    return service(name, image, Customizer.none());
  }

  /** A service, configured: its variables, command, health check and start timeout. */
  public StageSpec service(String name, String image, Customizer<ServiceSpec> customizer) {
    open();
    ServiceSpec service = new ServiceSpec(requireNonNull(name, "service name"), requireNonNull(image, "service image"));
    requireNonNull(customizer, "customizer").customize(service);
    return service(service.build());
  }

  /** A service built elsewhere, e.g. by a convention or a blueprint with {@link Service#builder}. */
  public StageSpec service(Service service) {
    open();
    builder.addServices(requireNonNull(service, "service"));
    return this;
  }

  /** The longest the stage's steps may run together; past it they are stopped and the stage fails. */
  public StageSpec timeout(java.time.Duration timeout) {
    open();
    builder.timeout(requireNonNull(timeout, "timeout"));
    return this;
  }

  /** Restores these caches before the steps. */
  public StageSpec restores(CacheRef... caches) {
    open();
    for (CacheRef cache : Args.each("cache", "caches", caches)) {
      builder.addRestores(cache.name());
    }
    return this;
  }

  /** Saves these caches after the steps succeed. */
  public StageSpec saves(CacheRef... caches) {
    open();
    for (CacheRef cache : Args.each("cache", "caches", caches)) {
      builder.addSaves(cache.name());
    }
    return this;
  }

  /** The stage, and its children, deploy to {@code environment}. */
  public StageSpec environment(EnvironmentRef environment) {
    open();
    builder.environment(requireNonNull(environment, "environment").name());
    return this;
  }

  /**
   * The stage holds lock {@code name} from its start until it ends: runs that ask for it while
   * another holds it wait in line, one deployment at a time. Same as {@code lock(name, LockMode.QUEUE)}.
   */
  public StageSpec lock(String name) {
    return lock(name, LockMode.QUEUE);
  }

  /**
   * The stage holds lock {@code name} from its start until it ends, and {@code mode} says what a
   * newer run asking for it does to the ones before it: wait in line, supersede the waiting ones,
   * or cancel the holder.
   */
  public StageSpec lock(String name, LockMode mode) {
    open();
    builder.addLocks(new Lock(requireNonNull(name, "lock name"), requireNonNull(mode, "mode")));
    return this;
  }

  /** The stage runs only when {@code condition} holds for the run's context. */
  public StageSpec when(Condition condition) {
    open();
    builder.when(requireNonNull(condition, "condition"));
    return this;
  }

  /** Gates the stage waits on before its steps; a condition here acts like {@link #when}. */
  public StageSpec enter(Gate... gates) {
    open();
    for (Gate gate : Args.each("gate", "gates", gates)) {
      builder.addEnter(gate);
    }
    return this;
  }

  /**
   * Gates the stage waits on after its steps, before it counts as done: approvals, webhooks and
   * polls. A condition is decided before the stage starts, so it is not an exit gate
   * ({@code OTTO-062}); give it to {@link #when} or {@link #enter}.
   */
  public StageSpec exit(Gate... gates) {
    open();
    for (Gate gate : Args.each("gate", "gates", gates)) {
      builder.addExit(gate);
    }
    return this;
  }

  /** Steps run after the stage when it succeeded. */
  public StageSpec onSuccess(Step... steps) {
    open();
    for (Step step : Args.each("step", "steps", steps)) {
      builder.addOnSuccess(step);
    }
    return this;
  }

  /** Steps run after the stage when it failed. */
  public StageSpec onFailure(Step... steps) {
    open();
    for (Step step : Args.each("step", "steps", steps)) {
      builder.addOnFailure(step);
    }
    return this;
  }

  /** Steps run after the stage whatever its outcome. */
  public StageSpec always(Step... steps) {
    open();
    for (Step step : Args.each("step", "steps", steps)) {
      builder.addAlways(step);
    }
    return this;
  }

  /** The stage starts only after {@code stages} have finished, besides declaration order. */
  public StageSpec after(StageRef... stages) {
    open();
    for (StageRef stage : Args.each("stage", "stages", stages)) {
      builder.addAfter(stage.path());
    }
    return this;
  }

  /**
   * The stage runs even when {@code stages}, which it depends on, are skipped. Without this, a
   * stage after a skipped stage is skipped too: a production deployment after a pre-production
   * one that only runs on {@code master} does not run on a feature branch. {@code stages} must be
   * stages this one runs after, by declaration order or {@link #after}.
   */
  public StageSpec runsEvenIfSkipped(StageRef... stages) {
    open();
    StageRef[] given = Args.each("stage", "stages", stages);
    if (given.length == 0) {
      throw new IllegalArgumentException("runsEvenIfSkipped() needs the stages whose skip this one ignores, "
          + "e.g. runsEvenIfSkipped(preProduction)");
    }
    for (StageRef stage : given) {
      builder.addRunsEvenIfSkipped(stage.path());
    }
    return this;
  }

  /** Child stages start together instead of one after the other. */
  public StageSpec parallel() {
    open();
    builder.parallel(true);
    return this;
  }

  /**
   * Lets the group's other children go on when one fails, instead of the run stopping: each of a
   * monorepo's projects, or each cell of a matrix, runs to its end, and the group then fails,
   * naming the children that failed. Only for a group or a matrix.
   *
   * <pre>{@code
   * p.parallel("Projects", g -> {
   *   g.keepGoing();
   *   g.stage("api", s -> s.steps(sh("make -C api test")));
   *   g.stage("web", s -> s.steps(sh("npm --prefix web test")));
   * });
   * }</pre>
   */
  public StageSpec keepGoing() {
    open();
    builder.keepsGoing(true);
    return this;
  }

  /**
   * A child stage; children run in declaration order unless {@link #parallel()} is set.
   *
   * <p>Stages nest at most {@value Validator#MAX_STAGE_DEPTH} levels deep. A child deeper than
   * that is added empty, without running {@code customizer}, and the pipeline is reported
   * invalid ({@code OTTO-014}) at its parent: nesting that does not end, such as a recursive
   * helper, stops at the limit with that problem instead of overflowing the stack.
   *
   * <p>Each level of nesting keeps its lambdas on the stack until its children are configured,
   * and a thousand levels of them need more stack than a thread may have. So the customizer of
   * a stage {@value #LEVELS_PER_THREAD}, 200, ... levels deep runs on a thread of its own, with a
   * fresh stack, while the calling thread waits for it; what it throws is thrown here. Pipelines
   * less deep than that, which is every pipeline written by hand, are configured on the calling
   * thread only. Code nested that deep sees the thread-locals of its own thread (inheritable
   * ones are inherited), and must not wait for a lock that code around the nesting holds.
   */
  public StageRef stage(String name, Customizer<StageSpec> customizer) {
    open();
    requireNonNull(name, "stage name");
    requireNonNull(customizer, "customizer");
    StagePath childPath = path.child(name);
    if (configuring != null) {
      throw PipelineSpec.declaredInside(childPath, configuring);
    }
    StageSpec child = new StageSpec(pipeline, childPath);
    configuring = childPath;
    try {
      configure(child, customizer);
    } finally {
      configuring = null;
    }
    children.add(child.build());
    pipeline.declared(child.ref().path());
    return child.ref();
  }

  /** Runs {@code customizer} on {@code child}, unless the child is nested deeper than validation allows. */
  private static void configure(StageSpec child, Customizer<StageSpec> customizer) {
    int depth = child.path.depth();
    if (depth > Validator.MAX_STAGE_DEPTH) {
      return;
    }
    if (depth % LEVELS_PER_THREAD == 0) {
      onThreadOfItsOwn(child, customizer);
    } else {
      customizer.customize(child);
    }
  }

  private static void onThreadOfItsOwn(StageSpec child, Customizer<StageSpec> customizer) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        customizer.customize(child);
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "otto-dsl-nested-stages-" + child.path.depth());
    thread.setDaemon(true);
    thread.start();
    Uninterruptibles.joinUninterruptibly(thread);
    Throwable thrown = failure.get();
    if (thrown != null) {
      Throwables.throwIfUnchecked(thrown);
      throw new UndeclaredThrowableException(thrown);
    }
  }

  /** A child stage whose own children start together. */
  public StageRef parallel(String name, Customizer<StageSpec> customizer) {
    requireNonNull(customizer, "customizer");
    return stage(name, s -> customizer.customize(s.parallel()));
  }

  /** This stage's matrix, created on first use. */
  public MatrixSpec matrix() {
    open();
    if (matrix == null) {
      matrix = new MatrixSpec();
    }
    return matrix;
  }

  /** Configures this stage's matrix. */
  public StageSpec matrix(Customizer<MatrixSpec> customizer) {
    requireNonNull(customizer, "customizer").customize(matrix());
    return this;
  }

  /** Refuses a change to a stage already built, which the pipeline would not see. */
  private void open() {
    if (built) {
      throw new IllegalStateException("stage '" + path + "' is already built, so this change would be lost: configure "
          + "a stage inside the lambda that declares it, before that lambda returns");
    }
  }

  Stage build() {
    built = true;
    builder.stages(children);
    if (matrix != null) {
      builder.matrix(matrix.build());
      pipeline.declaredMatrix(path);
    }
    pipeline.origin().ifPresent(builder::origin);
    return builder.build();
  }

  static Gate condition(Condition condition) {
    return new ConditionGate(condition);
  }
}
