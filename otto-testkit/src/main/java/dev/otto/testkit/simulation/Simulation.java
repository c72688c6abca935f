package dev.otto.testkit.simulation;

import static java.util.Objects.requireNonNull;

import dev.otto.core.cache.CacheStore;
import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.DeploymentStore;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.model.Pipeline;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretProvider;
import dev.otto.core.secret.SecretProviders;
import dev.otto.core.secret.SecretValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs a pipeline through the real engine with nothing real underneath: processes do what the
 * test scripts ({@link #step}, {@link #probe}), secrets come from the test, time is virtual, and
 * everything happens on the test's thread, the same way every run. Gates, polls, timeouts,
 * retries and the time steps take pass in virtual time, which takes no real time.
 *
 * <pre>{@code
 * Simulation simulation = Simulation.of(WebApp.pipeline(), tempDir).secret("heroku-api-key", "fake-key");
 * simulation.step("Deploy > Pre-production", "git push*").fails();
 * SimulatedRun run = simulation.run(RunContext.branch("master"));
 * assertThat(run.result()).stage("Deploy > Production").wasSkipped();
 * }</pre>
 *
 * <p>A step that {@link StepScript#takes takes} time holds no thread: parallel stages overlap in
 * virtual time as they would on a real engine, and a stop (a failure failing fast, a timeout, a
 * cancel) ends it early. The engine's journal is kept in memory ({@link SimulatedRun#journal()}).
 *
 * <p>The record of what was deployed where is kept in memory too, for all the simulation's runs
 * together ({@link #deployments}): a later run promotes or rolls back what an earlier one deployed.
 */
public final class Simulation {
  private final Pipeline pipeline;
  private final Path root;
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final List<StepScript> scripts = new ArrayList<>();
  private final DeploymentStore deployments = DeploymentStore.inMemory();
  private FailurePolicy failurePolicy = FailurePolicy.FAIL_FAST;
  private CacheStore caches;
  private Instant start = Instant.parse("2026-01-01T00:00:00Z");

  private Simulation(Pipeline pipeline, Path root) {
    this.pipeline = pipeline;
    this.root = root;
  }

  /** A simulation of {@code pipeline} whose runs keep their (empty) workspaces under {@code root}. */
  public static Simulation of(Pipeline pipeline, Path root) {
    return new Simulation(requireNonNull(pipeline, "pipeline"), requireNonNull(root, "root"));
  }

  /** Gives the secret {@code name} this value; steps that bind it receive it, and output masks it. */
  public Simulation secret(String name, String value) {
    secrets.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
    return this;
  }

  /** What the steps and notifications of matching stages whose script or label matches do. */
  public StepScript step(String stageGlob, String scriptGlob) {
    StepScript script = new StepScript("step", stageGlob, scriptGlob,
        java.util.EnumSet.of(Execution.Kind.STEP, Execution.Kind.NOTIFICATION));
    scripts.add(script);
    return script;
  }

  /** What the notifications (steps run by the stage's outcome) of matching stages do. */
  public StepScript notification(String stageGlob, String scriptGlob) {
    StepScript script = new StepScript("notification", stageGlob, scriptGlob,
        java.util.EnumSet.of(Execution.Kind.NOTIFICATION));
    scripts.add(script);
    return script;
  }

  /** What the probes of matching stages' polls do. */
  public StepScript probe(String stageGlob, String scriptGlob) {
    StepScript script = new StepScript("probe", stageGlob, scriptGlob, java.util.EnumSet.of(Execution.Kind.PROBE));
    scripts.add(script);
    return script;
  }

  public Simulation failurePolicy(FailurePolicy policy) {
    this.failurePolicy = requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Where the simulation's runs keep their caches, so that a later run restores what an earlier
   * one saved; without a store (the default), caches are neither restored nor saved.
   */
  public Simulation caches(CacheStore store) {
    this.caches = requireNonNull(store, "store");
    return this;
  }

  /** When virtual time starts; 2026-01-01T00:00:00Z by default. */
  public Simulation startingAt(Instant start) {
    this.start = requireNonNull(start, "start");
    return this;
  }

  /** The record of {@code environment} the simulation's runs made, newest first. */
  public List<Deployment> deployments(String environment) {
    return deployments.deployments(requireNonNull(environment, "environment"));
  }

  /** Plans the pipeline for {@code context} and runs it until it ends or waits. */
  public SimulatedRun run(RunContext context) {
    return run(Planner.plan(pipeline, requireNonNull(context, "context")));
  }

  /**
   * Runs {@code plan} until it ends or waits.
   *
   * @throws IllegalArgumentException when a script names no stage of the plan, or matches no step
   *     of the stages it names
   */
  public SimulatedRun run(Plan plan) {
    requireNonNull(plan, "plan");
    scripts.forEach(script -> script.checkAgainst(plan));
    SimulatedEngine simulated = engine();
    RunHandle handle = simulated.engine().start(plan);
    simulated.settle();
    return new SimulatedRun(plan, simulated, handle);
  }

  /** The secrets given with {@link #secret} so far; one not given is refused with how to give it. */
  private SecretProvider givenSecrets() {
    java.util.SortedSet<String> names = new java.util.TreeSet<>(secrets.keySet());
    SecretProvider given = SecretProviders.inMemory(secrets);
    return new SecretProvider() {
      @Override
      public SecretValue resolve(String name) {
        return given.resolve(name);
      }

      @Override
      public java.util.Optional<String> whyNot(String name) {
        if (!names.contains(name)) {
          return java.util.Optional.of("the secret '" + name + "' was not given to the simulation; give it a value "
              + "with secret(\"" + name + "\", ...) before the run (given: " + names + ")");
        }
        return given.whyNot(name);
      }
    };
  }

  /** A simulated engine for testing code that embeds Otto; each call makes a new one, with its own time. */
  public SimulatedEngine engine() {
    return engine(start, new InMemoryJournal());
  }

  /** An engine whose time starts at {@code at}, keeping its journal in {@code journal}. */
  SimulatedEngine engine(Instant at, InMemoryJournal journal) {
    VirtualScheduler time = VirtualScheduler.at(at);
    TaskQueue queue = new TaskQueue();
    FakeExecutor executor = new FakeExecutor(time, scripts, queue);
    List<RunEvent> events = new CopyOnWriteArrayList<>();
    // One engine in virtual time: its runs hear of their locks at once, and checks would only spin the clock.
    LocalEngine.Builder builder = LocalEngine.builder(root).scheduler(time).lockCheck(Duration.ZERO).runOn(queue)
        .executor(executor).journal(journal).secrets(givenSecrets()).failurePolicy(failurePolicy)
        .listener(events::add).deployments(deployments);
    if (caches != null) {
      builder.caches(caches);
    }
    return new SimulatedEngine(this, builder.build(), time, queue, executor, journal, events);
  }
}
