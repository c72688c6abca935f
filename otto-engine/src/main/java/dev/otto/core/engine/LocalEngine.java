package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.otto.core.OttoException;
import dev.otto.core.cache.CacheStore;
import dev.otto.core.executor.Executor;
import dev.otto.core.journal.FileJournal;
import dev.otto.core.journal.Journal;
import dev.otto.core.journal.JournalException;
import dev.otto.core.journal.RunLog;
import dev.otto.core.model.Runtime;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.RunContext;
import dev.otto.core.plan.PlannedStage;
import dev.otto.core.plan.StageStatus;
import dev.otto.core.secret.SecretProvider;
import dev.otto.core.secret.SecretProviders;
import dev.otto.core.workspace.WorkspaceSource;
import dev.otto.core.workspace.WorkspaceSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * Runs plans on this machine: each stage starts as soon as the stages it depends on have
 * finished, independent stages run at once up to the configured parallelism, and declaration
 * order breaks ties.
 *
 * <pre>{@code
 * LocalEngine engine = LocalEngine.builder(Path.of("/var/lib/otto/runs"))
 *     .secrets(SecretProviders.environment(System.getenv()))
 *     .caches(new DirectoryCacheStore(Path.of("/var/cache/otto")))
 *     .listener(event -> log.info("{}", event))
 *     .build();
 * RunResult result = engine.run(Planner.plan(pipeline, RunContext.branch("main")));
 * }</pre>
 *
 * <p>Before anything runs, the engine checks the whole plan and refuses it, naming every stage
 * concerned, when it was planned without a known context, when a stage's runtime has no
 * executor (containers may fall back to local processes if the host allows), or when a stage
 * that runs on this machine requires a tool ({@link Runtime.Local#requires}) its executor does
 * not find. Listeners hear, before the stages run, which tools of this machine each such stage
 * uses, with their versions, and which container stages fall back to local processes.
 *
 * <h2>Waits</h2>
 * A stage that reaches an approval, a webhook or a poll waits without holding a thread, until
 * the host {@linkplain #decide decides} the approval, a callback {@linkplain #callback arrives}
 * with the webhook's token (handed out in {@link RunEvent.WaitStarted}), the poll's probe
 * succeeds, or the wait's timeout passes. {@link dev.otto.core.http.EngineEndpoint} offers
 * the same over HTTP.
 *
 * <h2>Durability</h2>
 * Every run is journaled ({@link FileJournal} under the root by default): each op's outcome is
 * recorded before the run acts on it, and synced to the disk before the run answers anyone
 * outside; a process's outcome is synced in the background while its stage goes on, so a machine
 * crash (not the death of the process) may run again the processes that ended in the last few
 * milliseconds. After the host process dies, another engine
 * {@linkplain #resume resumes} the run: ops recorded as done are not repeated, waits come back
 * with their tokens and deadlines, and an op that was in flight runs again. Execution is thus
 * at least once; every execution of one op sees the same {@code OTTO_IDEMPOTENCY_KEY}, which a
 * step can hand to the systems it calls. {@link #restart} starts a new run that reuses an
 * earlier run's results up to a chosen stage.
 *
 * <p>A failed stage skips the stages that depend on it, with the reason. With
 * {@link FailurePolicy#FAIL_FAST} (the default) it also stops the run: running processes are
 * stopped and nothing new starts, except that a failure inside a group that keeps going ({@link
 * dev.otto.core.model.Stage#keepsGoing()}) lets the group's other children go on. With {@link
 * FailurePolicy#FAIL_FAST_EVERYWHERE} such groups stop too; with {@link FailurePolicy#CONTINUE}
 * independent stages go on everywhere.
 *
 * <p>An engine needs no closing. Its threads are daemons, made when runs need them and gone 30
 * seconds after they are last used (so a tool such as {@code exec:java} may list them as still
 * alive when the program ends); the shell a {@link dev.otto.core.executor.LocalProcessExecutor}
 * keeps for starting stages ends 30 seconds unused, or with the JVM. A run still going when the
 * host ends is left in its journal, for {@link #resume}.
 */
public final class LocalEngine implements Engine {
  /** What runs the stages' ops on this machine. */
  final StepHost host;
  final Path root;
  final int parallelism;
  final FailurePolicy failurePolicy;
  final Clock clock;
  final Scheduler scheduler;
  final List<RunListener> listeners;
  final Journal journal;
  final DeploymentStore deployments;
  final java.util.concurrent.Executor workers;
  private final WorkspaceSource workspace;
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final Map<String, Run> tokens = new ConcurrentHashMap<>();
  /** The lines of runs for each lock, shared with every engine using the same runs folder. */
  final LockTable locks;

  private LocalEngine(Builder builder) {
    this.host = builder.host.build();
    this.root = builder.root.toAbsolutePath().normalize();
    this.parallelism = builder.parallelism;
    this.failurePolicy = builder.failurePolicy;
    this.scheduler = builder.scheduler;
    this.clock = builder.scheduler.clock();
    this.listeners = List.copyOf(builder.listeners);
    this.journal = builder.journal != null ? builder.journal : FileJournal.in(this.root);
    this.deployments = builder.deployments != null ? builder.deployments : DeploymentStore.inFolder(this.root);
    this.workers = builder.runOn != null ? builder.runOn : pool(parallelism);
    this.workspace = builder.workspace;
    this.lockCheck = builder.lockCheck;
    this.locks = new LockTable(this.root.resolve(".locks"), this::running);
  }

  /** How often a stage that holds or waits for a lock checks the lock's line; zero when it never does. */
  final Duration lockCheck;

  /**
   * Whether a run is running: here, or in an engine that holds its journal's lease. Taking the
   * lease for a moment is how a free one is told from a held one; a run with no journal is not
   * running.
   */
  private boolean running(String runId) {
    if (runs.containsKey(runId)) {
      return true;
    }
    try (RunLog log = journal.open(runId)) {
      return false;
    } catch (JournalException e) {
      return e.reason() == JournalException.Reason.LEASED;
    }
  }

  /** Tells this engine's runs what the lock table decided for them; runs of other engines ask themselves. */
  void tell(List<LockTable.Notice> notices) {
    for (LockTable.Notice notice : notices) {
      Run run = runs.get(notice.run());
      if (run != null) {
        run.feed(notice.granted() ? new RunMachine.LockGranted(clock.instant(), notice.stage(), notice.lock())
            : new RunMachine.LockLost(clock.instant(), notice.stage(), notice.lock(), notice.byRun()));
      }
    }
  }

  /** The engine's own threads: {@code parallelism} of them, created when needed, gone when idle. */
  private static ThreadPoolExecutor pool(int parallelism) {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(parallelism, parallelism, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "otto-worker-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** An engine that keeps each run's workspace under {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(requireNonNull(root, "root"));
  }

  /**
   * Starts {@code plan} in a workspace filled from the engine's {@linkplain Builder#workspace
   * source} (an empty folder unless set), and returns once the workspace is ready and the run
   * has begun.
   */
  @Override
  public RunHandle start(Plan plan) {
    return start(plan, workspace);
  }

  /**
   * Starts {@code plan} in a workspace filled from {@code source}, and returns once the workspace
   * is ready and the run has begun.
   *
   * @throws OttoException if the plan cannot run here, or the source cannot fill the workspace;
   *     the run then leaves nothing behind
   */
  public RunHandle start(Plan plan, WorkspaceSource source) {
    requireNonNull(plan, "plan");
    requireNonNull(source, "source");
    Checked checked = check(plan);
    Instant started = clock.instant();
    String id = newRunId(started);
    Run run = new Run(this, plan, checked.executors(), id, started, journal.create(id), RunSecrets.create());
    run.fill(source);
    runs.put(id, run);
    run.begin(checked.warnings());
    return run;
  }

  /**
   * Takes over a run whose engine stopped (its host process died, say) from its journal, and
   * returns at once. {@code plan} must be the run's plan: the same pipeline planned for the same
   * context, which its fingerprint proves. Ops the journal records as done are not repeated;
   * waits come back with their tokens and deadlines; an op that was in flight runs again. A run
   * that had ended gives its recorded result.
   *
   * @throws JournalException if the run has no journal, another engine holds it, or its journal
   *     is damaged before its last entry
   * @throws PlanMismatchException if {@code plan} is not the run's plan
   * @throws OttoException if {@code plan} cannot run here
   */
  public RunHandle resume(String runId, Plan plan) {
    requireNonNull(runId, "runId");
    requireNonNull(plan, "plan");
    Run active = runs.get(runId);
    if (active != null) {
      return active;
    }
    RunLog log = journal.open(runId);
    try {
      Recovery recovery = Recovery.read(runId, log.entries());
      checkSamePlan(runId, plan, recovery);
      if (recovery.finalStatus != null) {
        log.close();
        return FinishedRun.of(plan, recovery);
      }
      // A stage with a recorded result does not run again: its secrets are not needed.
      Checked checked = check(plan, recovery.stages.entrySet().stream().filter(e -> e.getValue().result != null)
          .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet()));
      RunSecrets given = givenBefore(runId, plan, recovery, "a resume goes on in its workspace");
      Run run = new Run(this, plan, checked.executors(), runId, recovery.started, log, given);
      runs.put(runId, run);
      run.resume(recovery, checked.warnings());
      return run;
    } catch (RuntimeException e) {
      log.close();
      runs.remove(runId);
      throw e;
    }
  }

  /**
   * Starts a new run of {@code plan} that reuses the results of run {@code previousRunId} for the
   * stages before {@code fromStage}, and runs {@code fromStage} and what follows it again. The new
   * run's workspace starts as a copy of the earlier run's; caches come from the cache store as
   * usual. Besides the stages after {@code fromStage}, stages that did not succeed in the earlier
   * run, or whose definition changed since, run again too.
   *
   * @throws OttoException if the plan has no such stage, is not for the same pipeline, or the
   *     earlier run has not finished (resume it instead)
   * @throws JournalException if the earlier run has no readable journal
   */
  public RunHandle restart(String previousRunId, Plan plan, String fromStage) {
    requireNonNull(fromStage, "fromStage");
    return restart(previousRunId, plan, Optional.of(fromStage));
  }

  /**
   * Starts a new run of {@code plan} that runs again what did not succeed in the finished run
   * {@code previousRunId}: its stages that failed, were cancelled or never ran, the stages whose
   * definition changed since, and every stage that depends on one of them. The other stages'
   * results are reused. The new run's workspace starts as a copy of the earlier run's, as with
   * {@link #restart(String, Plan, String)}.
   *
   * @throws OttoException if the plan is not for the same pipeline, the earlier run has not
   *     finished (resume it instead), or nothing would run again: every stage succeeded and none
   *     changed (restart from a stage to run it again)
   * @throws JournalException if the earlier run has no readable journal
   */
  @API(status = EXPERIMENTAL, since = "0.1")
  public RunHandle restart(String previousRunId, Plan plan) {
    return restart(previousRunId, plan, Optional.empty());
  }

  private RunHandle restart(String previousRunId, Plan plan, Optional<String> fromStage) {
    requireNonNull(previousRunId, "previousRunId");
    requireNonNull(plan, "plan");
    Recovery before = Recovery.read(previousRunId, journal.read(previousRunId));
    if (!before.pipeline.equals(plan.pipeline())) {
      throw new OttoException("run '" + previousRunId + "' ran pipeline '" + before.pipeline + "', not '"
          + plan.pipeline() + "'; restart it with a plan of its own pipeline");
    }
    if (before.finalStatus == null || runs.containsKey(previousRunId)) {
      throw new OttoException("run '" + previousRunId + "' has not finished (it runs, waits, or its engine died): "
          + "its workspace may still change; resume it (LocalEngine.resume, 'otto resume') or cancel it, and "
          + "restart once it has finished");
    }
    // A journal written before runs kept their branch and tag says neither: nothing to compare.
    boolean kept = before.branch.isPresent() || before.tag.isPresent();
    if (kept && (!before.branch.equals(plan.context().branch()) || !before.tag.equals(plan.context().tag()))) {
      throw new OttoException("run '" + previousRunId + "' ran on " + where(before.branch, before.tag) + ", and "
          + "this plan is for " + where(plan.context().branch(), plan.context().tag()) + "; a restart goes on where "
          + "the run was: plan it for " + where(before.branch, before.tag) + " ('otto restart' does, unless --branch or "
          + "--tag says otherwise)");
    }
    Map<String, RunResult.StageResult> reused = RestartPlan.reused(plan, before, fromStage);
    if (fromStage.isEmpty()
        && reused.size() == plan.stages().stream().filter(stage -> stage.status() != StageStatus.SKIP).count()) {
      throw new OttoException("run '" + previousRunId + "' " + before.finalStatus.name().toLowerCase(Locale.ROOT)
          + " and no stage changed since: nothing to run again; restart from a stage to run it and what follows "
          + "(LocalEngine.restart(run, plan, stage), 'otto restart RUN --stage STAGE')");
    }
    Checked checked = check(plan, reused.keySet());
    RunSecrets given = givenBefore(previousRunId, plan, before, "a restart starts from a copy of its workspace");
    Instant started = clock.instant();
    String id = newRunId(started);
    if (!Files.isDirectory(root.resolve(previousRunId).resolve("workspace"))) {
      throw new OttoException("run '" + previousRunId + "' has no workspace any more (LocalEngine.removeWorkspaces, "
          + "which 'otto prune' calls, removes those of finished runs), and a restart starts from a copy of it; "
          + "start a new run");
    }
    // The copy comes before the journal, so that a failed copy leaves no run holding a lease.
    long copying = System.nanoTime();
    WorkspaceOps.Copied copied;
    try {
      copied = WorkspaceOps.copyTree(root.resolve(previousRunId).resolve("workspace"),
          root.resolve(id).resolve("workspace"));
      for (String part : List.of(WorkspaceOps.ARTIFACTS, WorkspaceOps.PROMOTED)) {
        WorkspaceOps.copyTree(root.resolve(previousRunId).resolve(part), root.resolve(id).resolve(part));
      }
    } catch (java.io.IOException e) {
      throw new OttoException("the workspace of run '" + previousRunId + "' could not be copied for the restart: "
          + e.getMessage(), e);
    }
    Run run = new Run(this, plan, checked.executors(), id, started, journal.create(id), given);
    run.copied("the workspace of run " + previousRunId + " as it ended", copied.files(), copied.bytes(), before.commit,
        Duration.ofNanos(System.nanoTime() - copying));
    run.reuse(reused, previousRunId, before.secrets, LocalOps.handedOut(plan, before).keySet());
    runs.put(id, run);
    run.begin(checked.warnings());
    return run;
  }

  /**
   * Whether run {@code runId}'s journal records its end: a {@link #resume} of it gives the
   * recorded result and runs nothing, and it can be {@linkplain #restart restarted}. False for a
   * run that runs, waits, or whose engine died before the end was recorded, even when nothing was
   * left for it to do (a resume then ends it at once).
   *
   * @throws JournalException if the run has no readable journal
   */
  @API(status = EXPERIMENTAL, since = "0.1")
  public boolean hasEnded(String runId) {
    requireNonNull(runId, "runId");
    return Recovery.read(runId, journal.read(runId)).finalStatus != null;
  }

  /**
   * The fingerprint of the plan run {@code runId} ran, as its journal keeps it: a {@link #resume}
   * takes only a plan with the same. A host that can plan a pipeline more than one way (with a
   * different option of its own) finds by it which way the run was planned.
   *
   * @throws JournalException if the run has no readable journal
   */
  @API(status = EXPERIMENTAL, since = "0.1")
  public String recordedFingerprint(String runId) {
    requireNonNull(runId, "runId");
    return Recovery.read(runId, journal.read(runId)).fingerprint;
  }

  /**
   * What run {@code runId}'s plan was made for, as its journal keeps it: its branch or tag, its
   * trigger, the environment it rolled back, its parameters and the files it was told its commits
   * changed: what a {@link #resume} or a {@link #restart} of it is planned for. Empty when the run
   * had none of these, or its journal was written before runs kept them.
   *
   * @throws JournalException if the run has no readable journal
   */
  @API(status = EXPERIMENTAL, since = "0.1")
  public Optional<RunContext> recordedContext(String runId) {
    requireNonNull(runId, "runId");
    Recovery recorded = Recovery.read(runId, journal.read(runId));
    if (recorded.branch.isEmpty() && recorded.tag.isEmpty() && recorded.trigger.isEmpty()
        && recorded.rollback.isEmpty() && recorded.params.isEmpty() && recorded.changedFiles.isEmpty()) {
      return Optional.empty();
    }
    RunContext.Builder context = RunContext.builder();
    recorded.branch.ifPresent(context::branch);
    recorded.tag.ifPresent(context::tag);
    recorded.trigger.ifPresent(context::trigger);
    recorded.rollback.ifPresent(context::rollback);
    context.params(recorded.params);
    recorded.changedFiles.ifPresent(context::changedFiles);
    return Optional.of(context.build());
  }

  /**
   * Frees the disk that runs take: removes the workspaces of the runs under the root that have
   * finished, but the newest {@code keepNewest} of them, which are kept for a look at what they
   * left or a {@linkplain #restart restart}. A workspace holds what the run's stages made, its
   * caches' folders among them (a Maven repository, {@code node_modules}), so it is most of what
   * a run takes. A run that has not finished (running here or in another engine, waiting, or left
   * by an engine that died) keeps its workspace for {@link #resume}. Journals, the artifacts runs
   * stored or promoted, and the record of deployments stay: results, promotions and rollbacks
   * work as before, and only a restart from a run whose workspace is gone is refused.
   *
   * @throws IllegalArgumentException when {@code keepNewest} is negative
   * @throws java.io.UncheckedIOException when the runs cannot be listed or a workspace removed
   */
  @API(status = EXPERIMENTAL, since = "0.1")
  public RemovedWorkspaces removeWorkspaces(int keepNewest) {
    return Workspaces.remove(root, journal, runs::containsKey, keepNewest);
  }

  private static void checkSamePlan(String runId, Plan plan, Recovery recovery) {
    if (!recovery.fingerprint.equals(plan.fingerprint())) {
      throw new PlanMismatchException("run '" + runId + "' ran a plan with fingerprint " + recovery.fingerprint
          + " (pipeline '" + recovery.pipeline + "'), not " + plan.fingerprint() + " (pipeline '" + plan.pipeline()
          + "'); plan the same pipeline for the same branch, tag, trigger, parameters and changed files to resume it, or restart "
          + "it from a stage to run a changed plan");
    }
  }

  /** The run of this engine with that id, while it has not ended. */
  @Override
  public Optional<RunHandle> run(String runId) {
    return Optional.ofNullable(runs.get(requireNonNull(runId, "runId")));
  }

  /**
   * The record of {@code environment}: every stage that deployed there, newest first, as this
   * engine's {@linkplain Builder#deployments store} keeps it.
   */
  @Override
  public List<Deployment> deployments(String environment) {
    return deployments.deployments(requireNonNull(environment, "environment"));
  }

  /** Every wait of every run of this engine, by run. */
  @Override
  public List<PendingWait> waits() {
    return runs.values().stream().flatMap(r -> r.waits().stream())
        .sorted(java.util.Comparator.comparing(PendingWait::run)).toList();
  }

  /**
   * Decides an approval of a run of this engine. The decision is journaled before this method
   * returns.
   *
   * @throws WaitRefusedException if there is no such run or approval, the wait is not an approval,
   *     {@code decision.by()} is not among its approvers, or the approval ended already (decided,
   *     timed out or cancelled); nothing changes then
   */
  @Override
  public void decide(String runId, String waitId, Decision decision) {
    requireNonNull(runId, "runId");
    Run run = runs.get(runId);
    if (run == null) {
      throw new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_RUN, "no run '" + runId
          + "' is in progress in this engine");
    }
    run.decide(waitId, decision);
  }

  /**
   * Resolves the webhook wait that was given {@code token}, with the caller's payload (at most 64
   * KiB). The outcome is journaled before this method returns.
   *
   * @return the wait that was resolved
   * @throws WaitRefusedException if the token is unknown, was used, or its wait expired; nothing
   *     changes then
   */
  @Override
  public PendingWait callback(String token, String payload) {
    requireNonNull(token, "token");
    requireNonNull(payload, "payload");
    if (payload.length() > RunMachine.MAX_PAYLOAD) {
      throw new IllegalArgumentException("a callback's payload must be at most " + RunMachine.MAX_PAYLOAD
          + " characters, not " + payload.length());
    }
    String hash = StageDigest.token(token);
    Run run = tokens.get(hash);
    if (run == null) {
      throw new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_TOKEN, "no pending wait has this token");
    }
    return run.callback(hash, payload);
  }

  void registerToken(String hash, Run run) {
    tokens.put(hash, run);
  }

  void forgetToken(String hash) {
    tokens.remove(hash);
  }

  void forget(Run run) {
    runs.remove(run.id(), run);
  }

  private static final java.time.format.DateTimeFormatter RUN_ID = java.time.format.DateTimeFormatter
      .ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC);

  /**
   * Which executor would run each stage of {@code plan} that runs processes, with the isolation it
   * gives and the tools it finds, or why none can: what explain shows with
   * {@link dev.otto.core.explain.Explain#text(Plan, Map)} before a run.
   */
  public Map<String, String> executorsFor(Plan plan) {
    requireNonNull(plan, "plan");
    Map<String, String> notes = new LinkedHashMap<>();
    planCheck().verdicts(plan, stage -> stage.status() != StageStatus.SKIP).forEach((id, verdict) -> {
      if (verdict.executor() == null) {
        notes.put(id, "cannot run here: " + verdict.problem());
        return;
      }
      PlannedStage stage = plan.stage(id).orElseThrow();
      String note = "runs on the " + verdict.executor().name() + " executor"
          + (verdict.fallback() ? ", as no executor runs containers here" : "")
          + verdict.executor().isolation(verdict.fallback() ? localOf(stage.runtime()) : stage.runtime())
              .map(isolation -> "; isolation: " + isolation).orElse("");
      if (verdict.problem() != null) {
        note += "; cannot run here: " + verdict.problem();
      } else if (!verdict.tools().isEmpty()) {
        note += "; uses " + verdict.tools().stream().map(Executor.Tool::describe)
            .collect(java.util.stream.Collectors.joining(", "));
      }
      notes.put(id, note);
    });
    return notes;
  }

  /**
   * What each stage of {@code plan} that promotes or rolls back an artifact would take, from the
   * records as they are now: the digest and the run that deployed it, or why there is none. What
   * explain shows with {@link dev.otto.core.explain.Explain#text(Plan, Map)} before a run; the run
   * reads the records again when the stage restores the artifact.
   */
  public Map<String, String> promotionsFor(Plan plan) {
    requireNonNull(plan, "plan");
    Map<String, String> notes = new LinkedHashMap<>();
    for (PlannedStage stage : plan.stages()) {
      List<String> taken = new ArrayList<>();
      for (dev.otto.core.plan.Op op : stage.ops()) {
        if (op instanceof dev.otto.core.plan.Op.RestoreArtifact restore && restore.from().isPresent()) {
          taken.add("takes artifact '" + restore.name() + "' " + Promotion.find(deployments, restore.name(),
              restore.from().get()).map(Promotion.Source::describe)
              .orElse("(none yet: " + Promotion.missing(restore.name(), restore.from().get()) + ")"));
        }
      }
      if (!taken.isEmpty()) {
        notes.put(stage.id(), String.join("; ", taken));
      }
    }
    return notes;
  }

  /** The local runtime a container stage falls back to: the same tools and network. */
  private static Runtime localOf(Runtime runtime) {
    return new Runtime.Local(runtime.tools(), runtime.network());
  }

  private PlanCheck planCheck() {
    return host.planCheck();
  }

  /** Runs {@code plan} to its end. */
  @Override
  public RunResult run(Plan plan) {
    return start(plan).result().join();
  }

  private static String newRunId(Instant started) {
    return RUN_ID.format(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Reads again the secrets run {@code runId} handed out, to mask them in what follows, as its
   * processes may have left them in files; refuses, naming each, when one it handed out cannot
   * be read: its value could show in clear.
   */
  private RunSecrets givenBefore(String runId, Plan plan, Recovery recorded, String why) {
    RunSecrets given = RunSecrets.create();
    Map<String, String[]> unread = LocalOps.readGivenBefore(host, plan, recorded, given);
    if (unread.isEmpty()) {
      return given;
    }
    StringBuilder message = new StringBuilder("run '" + runId + "' gave its steps ");
    List<String> parts = new ArrayList<>();
    unread.forEach((name, whereAndWhy) -> parts.add("the secret '" + name + "' (" + whereAndWhy[0]
        + "), which cannot be read here: " + whereAndWhy[1]));
    message.append(String.join("; and ", parts)).append(". ").append(Character.toUpperCase(why.charAt(0)))
        .append(why.substring(1)).append(", where a step may have left ").append(unread.size() == 1 ? "it" : "them")
        .append(", and masks a secret in the output only if it can read it: give the secret provider ")
        .append(unread.size() == 1 ? "the secret" : "each").append(" as the run had ")
        .append(unread.size() == 1 ? "it" : "them").append(", or start a new run");
    throw new OttoException(message.toString());
  }

  /** Where a run is, in words: {@code branch 'main'}, {@code tag 'v1.2'}, or {@code no branch or tag}. */
  private static String where(Optional<String> branch, Optional<String> tag) {
    return branch.map(b -> "branch '" + b + "'").or(() -> tag.map(t -> "tag '" + t + "'")).orElse("no branch or tag");
  }

  /** The executor of each stage that runs processes, and warnings about the choices. */
  private record Checked(Map<String, Executor> executors, List<StageWarning> warnings) {}

  /**
   * The check of a new run. A rollback is refused too when the record of its environment holds
   * nothing to roll back to: else the run would wait for an approval and fail after it.
   */
  private Checked check(Plan plan) {
    return check(plan, java.util.Set.of(), nothingToRollBackTo(plan));
  }

  /** The check of a run some stages of which are done already ({@code done}): their secrets are not asked for. */
  private Checked check(Plan plan, java.util.Set<String> done) {
    return check(plan, done, List.of());
  }

  private Checked check(Plan plan, java.util.Set<String> done, List<String> problems) {
    List<StageWarning> warnings = new ArrayList<>();
    Map<String, Executor> assigned = planCheck().check(plan, warnings, done, problems);
    return new Checked(assigned, warnings);
  }

  /**
   * Why each stage of a rollback that runs finds no earlier deployment to take an artifact from.
   * A stage that waits for a lock first is left to find out when it restores: a deployment that
   * holds the lock meanwhile may add the entry it goes back to.
   */
  private List<String> nothingToRollBackTo(Plan plan) {
    if (plan.context().rollback().isEmpty()) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (PlannedStage stage : plan.stages()) {
      if (stage.status() != StageStatus.RUN || waitsForLock(plan, stage)) {
        continue;
      }
      for (dev.otto.core.plan.Op op : stage.ops()) {
        if (op instanceof dev.otto.core.plan.Op.RestoreArtifact restore && restore.from().isPresent()
            && restore.from().get().previous()
            && Promotion.find(deployments, restore.name(), restore.from().get()).isEmpty()) {
          problems.add("stage '" + stage.id() + "' rolls back, but " + Promotion.missing(restore.name(),
              restore.from().get()));
        }
      }
    }
    return problems;
  }

  /** Whether {@code stage}, or a group it is in, takes a lock. */
  private static boolean waitsForLock(Plan plan, PlannedStage stage) {
    for (Optional<PlannedStage> at = Optional.of(stage); at.isPresent();
        at = at.get().parent().flatMap(plan::stage)) {
      if (at.get().ops().stream().anyMatch(dev.otto.core.plan.Op.AcquireLock.class::isInstance)) {
        return true;
      }
    }
    return false;
  }

  /** A warning about one stage, given to listeners when the run starts. */
  record StageWarning(String stage, String message) {}

  /** Configures a {@link LocalEngine}. */
  public static final class Builder {
    private final Path root;
    private final StepHost.Builder host = StepHost.builder()
        .containerFallbackHint("LocalEngine.Builder.containerPolicy(ContainerPolicy.LOCAL_FALLBACK)");
    private int parallelism = Math.max(1, java.lang.Runtime.getRuntime().availableProcessors());
    private FailurePolicy failurePolicy = FailurePolicy.FAIL_FAST;
    private Scheduler scheduler = Scheduler.system();
    private Duration lockCheck = Duration.ofSeconds(5);
    private final List<RunListener> listeners = new ArrayList<>();
    private WorkspaceSource workspace = WorkspaceSources.empty();
    private Journal journal;
    private DeploymentStore deployments;
    private java.util.concurrent.Executor runOn;

    private Builder(Path root) {
      this.root = root;
    }

    /** Adds an executor; the first that can run a stage's runtime runs it. The local executor by default. */
    public Builder executor(Executor executor) {
      host.executor(executor);
      return this;
    }

    public Builder secrets(SecretProvider provider) {
      host.secrets(provider);
      return this;
    }

    /** Where caches are kept; without a store, caches are neither restored nor saved. */
    public Builder caches(CacheStore store) {
      host.caches(store);
      return this;
    }

    /**
     * Where the engine's work runs (stages' ops, and what follows a wait's end); a pool of
     * {@link #parallelism} threads by default. Given another executor, that executor decides how
     * much runs at once. A simulation gives a queue it drains on its own thread, so that a run is
     * deterministic.
     */
    public Builder runOn(java.util.concurrent.Executor executor) {
      this.runOn = requireNonNull(executor, "executor");
      return this;
    }

    /** Where runs are journaled; a {@link FileJournal} under the root by default. */
    public Builder journal(Journal journal) {
      this.journal = requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Where the record of what was deployed where is kept; a file beside the runs, under the root,
     * by default ({@link DeploymentStore#inFolder}).
     */
    public Builder deployments(DeploymentStore store) {
      this.deployments = requireNonNull(store, "store");
      return this;
    }

    /**
     * How many stages may run at once in this engine, all runs together; the number of
     * processors by default. Waiting stages do not count: they hold no thread.
     */
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
      host.containerPolicy(policy);
      return this;
    }

    /**
     * How this host's users let container stages run as local processes, named when a plan is
     * refused for want of a container engine: {@code LocalEngine.Builder.containerPolicy(...)} by
     * default; a command line names its own option, e.g. {@code --containers local}.
     */
    public Builder containerFallbackHint(String hint) {
      host.containerFallbackHint(hint);
      return this;
    }

    /**
     * How often a stage that holds or waits for a lock checks the lock's line, 5 seconds by
     * default. Engines in other processes that share the runs folder hear of each other's
     * requests and releases only then: a run of another engine gets a lock released here, or is
     * told to give it way, at its next check. {@link Duration#ZERO} turns the checks off, for an
     * engine that is alone with its runs folder (its own runs hear of the lock at once).
     */
    public Builder lockCheck(Duration interval) {
      requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("the lock check interval must not be negative, not " + interval);
      }
      this.lockCheck = interval;
      return this;
    }

    /** The engine's time: its clock, and the timers of stage timeouts and retry backoffs. Real time by default. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * What each run's workspace starts as when {@link #start(Plan)} is given no source: an empty
     * folder by default; {@link WorkspaceSources#workingTree} for a project's files.
     */
    public Builder workspace(WorkspaceSource source) {
      this.workspace = requireNonNull(source, "source");
      return this;
    }

    public Builder listener(RunListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    public LocalEngine build() {
      return new LocalEngine(this);
    }
  }
}
