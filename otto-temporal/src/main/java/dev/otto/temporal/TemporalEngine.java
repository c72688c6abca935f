package dev.otto.temporal;

import static java.util.Objects.requireNonNull;

import dev.otto.core.OttoException;
import dev.otto.core.engine.Decision;
import dev.otto.core.engine.Deployment;
import dev.otto.core.engine.DeploymentStore;
import dev.otto.core.engine.Engine;
import dev.otto.core.engine.FailurePolicy;
import dev.otto.core.engine.LocalEngine;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunListener;
import dev.otto.core.engine.WaitRefusedException;
import dev.otto.core.model.Runtime;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.RunnablePlan;
import dev.otto.core.plan.StageStatus;
import dev.otto.temporal.internal.Messages;
import dev.otto.temporal.internal.RunWorkflow;
import dev.otto.temporal.internal.Tokens;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Runs plans on a Temporal cluster, with the same host-facing API as the local {@link LocalEngine}: a
 * host that starts runs, listens to their events, decides approvals and delivers callbacks
 * through {@link Engine} switches engines without changing its pipelines.
 *
 * <pre>{@code
 * WorkflowClient client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
 *     WorkflowServiceStubsOptions.newBuilder().setTarget("temporal.internal:7233").build()));
 * TemporalEngine engine = TemporalEngine.builder(client)
 *     .tokenKey(keyFromYourSecretStore)
 *     .listener(event -> log.info("{}", event))
 *     .build();
 * RunResult result = engine.run(Planner.plan(pipeline, RunContext.branch("main")));
 * }</pre>
 *
 * <p>A run is a workflow whose id is the run's id, and whose input is the plan's JSON: replaying
 * it depends on nothing else. Each stage's processes, caches and artifacts are activities on a task
 * queue chosen from the stage's runtime: an agent's label names its queue, and everything else goes
 * to the engine's own queue ({@code otto} by default). {@link OttoWorker}s poll those queues on
 * the machines that fit them, and run the activities with Otto's executors, masking and secret
 * providers; secret values stay on the workers.
 *
 * <p>Approvals and webhook callbacks reach the workflow as updates, which it validates: a refused
 * one changes nothing and comes back as a {@link WaitRefusedException}. Wait timeouts, poll
 * intervals and retry backoffs are durable timers. Events come from the workflow: the engine
 * reads them with a query every {@linkplain Builder#eventPollInterval poll interval} and hands
 * them to its listeners in order; the lines processes print are the workers' own events.
 */
public final class TemporalEngine implements Engine, AutoCloseable {
  /** The task queue of run workflows and of stages without an agent label, unless configured. */
  public static final String DEFAULT_QUEUE = "otto";
  /** The largest plan, as JSON, that a workflow takes as input. */
  static final int MAX_PLAN_BYTES = 1536 * 1024;
  private static final java.time.format.DateTimeFormatter RUN_ID = java.time.format.DateTimeFormatter
      .ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC);

  final WorkflowClient client;
  final String taskQueue;
  private final Function<PlannedStage, String> queueFor;
  private final FailurePolicy failurePolicy;
  final List<RunListener> listeners;
  final Duration eventPollInterval;
  final Tokens tokens;
  private final Messages.Settings settings;
  final ScheduledExecutorService followers;
  private final Map<String, TemporalRun> runs = new ConcurrentHashMap<>();
  private final DeploymentStore deployments;

  private TemporalEngine(Builder builder) {
    this.client = builder.client;
    this.taskQueue = builder.taskQueue;
    this.queueFor = builder.queueFor != null ? builder.queueFor : stage -> stage.runtime() instanceof Runtime.Agent agent
        ? agent.label() : builder.taskQueue;
    this.failurePolicy = builder.failurePolicy;
    this.listeners = List.copyOf(builder.listeners);
    this.eventPollInterval = builder.eventPollInterval;
    this.deployments = builder.deployments;
    byte[] key = builder.tokenKey;
    if (key == null) {
      key = new byte[32];
      new SecureRandom().nextBytes(key);
    }
    this.tokens = new Tokens(key);
    this.settings = new Messages.Settings(builder.heartbeatTimeout.toSeconds(), builder.stepLimit.toSeconds(),
        builder.workerAttempts, builder.probesPerHistory);
    this.followers = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "otto-temporal-events");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** An engine that starts runs through {@code client}. */
  public static Builder builder(WorkflowClient client) {
    return new Builder(requireNonNull(client, "client"));
  }

  /**
   * The record of {@code environment}, read from the store given to {@link Builder#deployments},
   * which should be the one the workers record in ({@code OttoWorker.Builder.deployments}).
   *
   * @throws IllegalStateException if this engine was given no store
   */
  @Override
  public List<Deployment> deployments(String environment) {
    requireNonNull(environment, "environment");
    if (deployments == null) {
      throw new IllegalStateException("this engine on Temporal was given no record of deployments to read: give it "
          + "the store its workers record in, TemporalEngine.builder(client).deployments(store)");
    }
    return deployments.deployments(environment);
  }

  /**
   * Starts {@code plan} as a workflow and returns at once.
   *
   * @throws OttoException if the plan was made without a run context, has stages with services
   *     (which only the local engine starts), or is too large to be a workflow's input
   */
  @Override
  public RunHandle start(Plan plan) {
    requireNonNull(plan, "plan");
    if (!plan.context().isKnown()) {
      throw new OttoException("the plan of pipeline '" + plan.pipeline() + "' cannot run: it was made without a run "
          + "context; plan for the branch, tag, trigger and parameters of the run");
    }
    // A stage's processes run as activities on any worker, one at a time, with no place to keep its services.
    List<String> withServices = plan.stages().stream()
        .filter(stage -> stage.status() != StageStatus.SKIP && !stage.services().isEmpty())
        .map(stage -> "'" + stage.id() + "'").toList();
    if (!withServices.isEmpty()) {
      throw new OttoException("the plan of pipeline '" + plan.pipeline() + "' cannot run on Temporal: stage"
          + (withServices.size() == 1 ? " " : "s ") + String.join(", ", withServices) + " ha"
          + (withServices.size() == 1 ? "s" : "ve") + " services, which the Temporal engine does not start; run the "
          + "pipeline on the local engine");
    }
    String json = RunnablePlan.toJson(plan);
    int size = json.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_PLAN_BYTES) {
      throw new OttoException("the plan of pipeline '" + plan.pipeline() + "' is " + size / 1024 + " KiB as JSON, more "
          + "than the " + MAX_PLAN_BYTES / 1024 + " KiB a workflow's input may hold; split the pipeline, or run it on "
          + "the local engine");
    }
    Map<String, String> queues = new LinkedHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      if (stage.status() == StageStatus.RUN) {
        queues.put(stage.id(), requireNonNull(queueFor.apply(stage), "the task queue of stage " + stage.id()));
      }
    }
    Instant now = Instant.now();
    String id = RUN_ID.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
    RunWorkflow workflow = client.newWorkflowStub(RunWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(id).setTaskQueue(taskQueue).build());
    WorkflowClient.start(workflow::run, new Messages.RunInput(id, json, queues, failurePolicy.name(), settings));
    TemporalRun run = new TemporalRun(this, id, plan.pipeline(), plan.stages().stream().map(PlannedStage::id).toList());
    runs.put(id, run);
    run.follow();
    return run;
  }

  /**
   * The run with that id while it is in progress: one this engine started, or one another host
   * started on the same cluster, which this engine then follows (its listeners get its events
   * from the start).
   */
  @Override
  public Optional<RunHandle> run(String runId) {
    requireNonNull(runId, "runId");
    TemporalRun known = runs.get(runId);
    if (known != null) {
      return known.ended().isDone() ? Optional.empty() : Optional.of(known);
    }
    TemporalRun attached = new TemporalRun(this, runId, "", List.of());
    try {
      if (!attached.view().state().equals("running")) {
        return Optional.empty();
      }
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
    TemporalRun raced = runs.putIfAbsent(runId, attached);
    if (raced != null) {
      return Optional.of(raced);
    }
    attached.follow();
    return Optional.of(attached);
  }

  /** The waits of the runs in progress that this engine started or followed, by run. */
  @Override
  public List<PendingWait> waits() {
    List<PendingWait> waits = new ArrayList<>();
    for (TemporalRun run : runs.values()) {
      waits.addAll(run.waits());
    }
    waits.sort(Comparator.comparing(PendingWait::run));
    return waits;
  }

  @Override
  public void decide(String runId, String waitId, Decision decision) {
    requireNonNull(runId, "runId");
    RunHandle run = run(runId).orElseThrow(() -> new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_RUN,
        "no run '" + runId + "' is in progress on this cluster"));
    run.decide(waitId, decision);
  }

  @Override
  public PendingWait callback(String token, String payload) {
    requireNonNull(token, "token");
    requireNonNull(payload, "payload");
    if (payload.length() > 64 * 1024) {
      throw new IllegalArgumentException("a callback's payload must be at most " + 64 * 1024 + " characters, not "
          + payload.length());
    }
    Tokens.Target target = tokens.check(token).orElseThrow(() -> new WaitRefusedException(
        WaitRefusedException.Reason.UNKNOWN_TOKEN, "no pending wait has this token"));
    TemporalRun run = runs.get(target.run());
    return (run != null ? run : new TemporalRun(this, target.run(), "", List.of())).callback(target.waitId(), payload);
  }

  void forget(TemporalRun run) {
    runs.remove(run.id(), run);
  }

  /**
   * Stops following runs: their listeners get no more events, and the results of those still
   * going complete when their workflows end. The runs themselves go on on the cluster.
   */
  @Override
  public void close() {
    followers.shutdownNow();
    runs.values().forEach(TemporalRun::stopFollowing);
  }

  /** Configures a {@link TemporalEngine}. */
  public static final class Builder {
    private final WorkflowClient client;
    private String taskQueue = DEFAULT_QUEUE;
    private Function<PlannedStage, String> queueFor;
    private FailurePolicy failurePolicy = FailurePolicy.FAIL_FAST;
    private final List<RunListener> listeners = new ArrayList<>();
    private Duration eventPollInterval = Duration.ofMillis(250);
    private byte[] tokenKey;
    private Duration heartbeatTimeout = Duration.ofSeconds(30);
    private Duration stepLimit = Duration.ofHours(24);
    private int workerAttempts = 5;
    private int probesPerHistory = 200;
    private DeploymentStore deployments;

    private Builder(WorkflowClient client) {
      this.client = client;
    }

    /**
     * Where {@link TemporalEngine#deployments} reads the record of what was deployed where: the
     * store the workers record in, shared with them. None by default.
     */
    public Builder deployments(DeploymentStore store) {
      this.deployments = requireNonNull(store, "store");
      return this;
    }

    /** The task queue of run workflows, and of stages without an agent label; {@code otto} by default. */
    public Builder taskQueue(String queue) {
      this.taskQueue = requireQueue(queue);
      return this;
    }

    /**
     * Chooses each stage's task queue; by default, an agent's label, else the engine's queue. The
     * choice is made when a run starts and travels with it.
     */
    public Builder queueFor(Function<PlannedStage, String> choice) {
      this.queueFor = requireNonNull(choice, "choice");
      return this;
    }

    public Builder failurePolicy(FailurePolicy policy) {
      this.failurePolicy = requireNonNull(policy, "policy");
      return this;
    }

    public Builder listener(RunListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /** How often the engine asks each run for new events; every 250 ms by default. */
    public Builder eventPollInterval(Duration interval) {
      this.eventPollInterval = positive(interval, "the event poll interval");
      return this;
    }

    /**
     * The key webhook tokens are signed with, at least 32 bytes; a random one by default. Every
     * host that delivers callbacks of the same runs needs the same key, so give one (from your
     * secret store) when hosts restart or several share the work.
     */
    public Builder tokenKey(byte[] key) {
      if (requireNonNull(key, "key").length < 32) {
        throw new IllegalArgumentException("the token key must be at least 32 bytes, not " + key.length);
      }
      this.tokenKey = key.clone();
      return this;
    }

    /**
     * How long a worker may go silent while it runs an activity before the cluster gives the
     * activity to another worker; 30 seconds by default. Workers heartbeat every second.
     */
    public Builder heartbeatTimeout(Duration timeout) {
      this.heartbeatTimeout = positive(timeout, "the heartbeat timeout");
      if (timeout.toSeconds() < 1) {
        throw new IllegalArgumentException("the heartbeat timeout must be at least a second, not " + timeout);
      }
      return this;
    }

    /** The longest a step without a timeout of its own, or a cache or artifact transfer, may take; a day by default. */
    public Builder stepLimit(Duration limit) {
      this.stepLimit = positive(limit, "the step limit");
      return this;
    }

    /**
     * How many times an activity is tried when the workers running it are lost or fail; 5 by
     * default. A step's own retries, for a failed exit, come on top of these and are counted
     * apart.
     */
    public Builder workerAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("worker attempts must be at least 1, not " + attempts);
      }
      this.workerAttempts = attempts;
      return this;
    }

    /**
     * How many probes a poll's history holds before the poll continues as new, keeping the
     * history of a poll that lasts a month short; 200 by default.
     */
    public Builder pollProbesPerHistory(int probes) {
      if (probes < 1) {
        throw new IllegalArgumentException("probes per history must be at least 1, not " + probes);
      }
      this.probesPerHistory = probes;
      return this;
    }

    public TemporalEngine build() {
      return new TemporalEngine(this);
    }
  }

  static String requireQueue(String queue) {
    requireNonNull(queue, "queue");
    if (queue.isBlank() || queue.length() > 200 || queue.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a task queue name is 1 to 200 printable characters, not '" + queue + "'");
    }
    return queue;
  }

  private static Duration positive(Duration duration, String what) {
    requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + duration);
    }
    return duration;
  }
}
