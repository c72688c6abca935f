package dev.otto.core.engine;

import dev.otto.core.secret.SecretProvider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otto.core.OttoException;
import dev.otto.core.cache.DirectoryCacheStore;
import dev.otto.core.executor.LocalProcessExecutor;
import dev.otto.core.model.ApprovalGate;
import dev.otto.core.model.Cache;
import dev.otto.core.model.Condition;
import dev.otto.core.model.Pipeline;
import dev.otto.core.model.Runtime;
import dev.otto.core.model.SecretBinding;
import dev.otto.core.model.SecretRef;
import dev.otto.core.model.Service;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.StagePath;
import dev.otto.core.plan.Plan;
import dev.otto.core.plan.Planner;
import dev.otto.core.plan.RunContext;
import dev.otto.core.secret.SecretProviders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class EngineTest {
  private static final String CANARY = "canary-" + UUID.randomUUID();

  @TempDir
  Path root;

  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  /** A file journal whose runs' logs {@code wrap} changes. */
  private static dev.otto.core.journal.Journal wrapped(dev.otto.core.journal.FileJournal files,
      java.util.function.UnaryOperator<dev.otto.core.journal.RunLog> wrap) {
    return new dev.otto.core.journal.Journal() {
      @Override
      public dev.otto.core.journal.RunLog create(String runId) {
        return wrap.apply(files.create(runId));
      }

      @Override
      public dev.otto.core.journal.RunLog open(String runId) {
        return files.open(runId);
      }

      @Override
      public List<String> read(String runId) {
        return files.read(runId);
      }
    };
  }

  /** A log that does what another does, for a test to change one thing. */
  private static class ForwardingLog implements dev.otto.core.journal.RunLog {
    private final dev.otto.core.journal.RunLog log;

    ForwardingLog(dev.otto.core.journal.RunLog log) {
      this.log = log;
    }

    @Override
    public String runId() {
      return log.runId();
    }

    @Override
    public List<String> entries() {
      return log.entries();
    }

    @Override
    public void append(String entry) {
      log.append(entry);
    }

    @Override
    public void sync() {
      log.sync();
    }

    @Override
    public void close() {
      log.close();
    }
  }

  private LocalEngine.Builder engine() {
    return LocalEngine.builder(root.resolve("runs")).parallelism(2).listener(events::add)
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build());
  }

  private static Stage sh(String name, String... scripts) {
    Stage.Builder stage = Stage.builder(name);
    for (String script : scripts) {
      stage.addSteps(ShStep.of(script));
    }
    return stage.build();
  }

  private static Plan plan(Pipeline.Builder pipeline) {
    return Planner.plan(pipeline.build(), RunContext.branch("main"));
  }

  /** Each start and end of a stage, or with {@code steps} of a step, as "StageStarted <stage>" and so on, in order. */
  private List<String> startsAndEnds(boolean steps) {
    return events.stream().map(e -> !steps && e instanceof RunEvent.StageStarted a ? "StageStarted " + a.stage()
        : !steps && e instanceof RunEvent.StageFinished b ? "StageFinished " + b.stage()
        : steps && e instanceof RunEvent.StepStarted c ? "StepStarted " + c.stage()
        : steps && e instanceof RunEvent.StepFinished d ? "StepFinished " + d.stage() : null)
        .filter(java.util.Objects::nonNull).toList();
  }

  private List<String> output() {
    return events.stream().filter(RunEvent.OutputLine.class::isInstance)
        .map(e -> ((RunEvent.OutputLine) e).stage() + ": " + ((RunEvent.OutputLine) e).line()).toList();
  }

  @Test
  void should_run_stages_in_order_and_report_every_stage_and_step() {
    RunResult result = engine().build().run(plan(Pipeline.builder("p")
        .addStages(sh("Build", "echo building > built.txt"), sh("Test", "cat built.txt", "echo tested"))));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Test: building", "Test: tested");
    assertThat(result.stage("Test").orElseThrow().steps()).extracting(RunResult.StepResult::label)
        .containsExactly("cat built.txt", "echo tested");
    assertThat(events.get(0)).isInstanceOf(RunEvent.RunStarted.class);
    assertThat(events.get(events.size() - 1)).isInstanceOf(RunEvent.RunFinished.class);
  }

  @Test
  void should_go_on_with_a_stage_while_the_outcomes_of_its_steps_are_synced_in_the_background() throws Exception {
    // given a journal whose background syncs end only when the test lets them
    java.util.concurrent.CompletableFuture<Void> synced = new java.util.concurrent.CompletableFuture<>();
    dev.otto.core.journal.FileJournal files = dev.otto.core.journal.FileJournal.in(root.resolve("runs"));
    dev.otto.core.journal.Journal held = wrapped(files, log -> new ForwardingLog(log) {
      @Override
      public java.util.concurrent.CompletableFuture<Void> syncAsync() {
        return synced;
      }
    });

    // when a stage of three steps runs
    RunHandle run = engine().journal(held).build().start(plan(Pipeline.builder("p")
        .addStages(sh("Build", "echo one", "echo two", "echo three"))));

    // then it ends without waiting for them, and its end is synced
    RunResult result = run.result().get(60, java.util.concurrent.TimeUnit.SECONDS);
    synced.complete(null);
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(files.read(run.id())).anyMatch(entry -> entry.contains("\"t\":\"run-end\""));
  }

  @Test
  void should_stop_a_run_whose_journal_fails_and_say_why() throws Exception {
    // given a journal that fails once a step's outcome is to be written
    dev.otto.core.journal.FileJournal files = dev.otto.core.journal.FileJournal.in(root.resolve("runs"));
    dev.otto.core.journal.Journal failing = wrapped(files, log -> new ForwardingLog(log) {
      @Override
      public void append(String entry) {
        if (entry.contains("\"t\":\"done\"")) {
          throw new dev.otto.core.journal.JournalException(dev.otto.core.journal.JournalException.Reason.IO,
              "could not append to the journal of run '" + log.runId() + "'", new java.io.IOException("No space left"));
        }
        super.append(entry);
      }
    });

    // when a stage of two steps runs
    RunHandle run = engine().journal(failing).build().start(plan(Pipeline.builder("p")
        .addStages(sh("Build", "echo one", "touch went-on"))));

    // then the run stops at the first outcome it cannot journal, and its result says why
    assertThatThrownBy(() -> run.result().get(60, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(dev.otto.core.journal.JournalException.class)
        .cause().hasMessageContaining("stopped: its journal failed").hasMessageContaining("resume it");
    assertThat(root.resolve("runs").resolve(run.id()).resolve("workspace").resolve("went-on")).doesNotExist();
    // and its journal was let go: the run can be opened again, to be resumed
    files.open(run.id()).close();
  }

  @Test
  void should_run_the_children_of_a_parallel_group_at_the_same_time() {
    // Each child waits for the other's marker: they can only both succeed if they run at once.
    String meet = "touch %s.here; for i in $(seq 1 200); do [ -e %s.here ] && exit 0; sleep 0.05; done; exit 1";
    Stage group = Stage.builder("Checks").parallel(true)
        .addStages(sh("A", String.format(meet, "a", "b")), sh("B", String.format(meet, "b", "a"))).build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(group, sh("After", "echo after"))));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("After: after");
  }

  @Test
  void should_start_a_step_when_a_slot_frees_when_more_stages_are_ready_than_run_at_once() {
    // given: one stage at a time, two ready together
    Stage group = Stage.builder("Checks").parallel(true).addStages(sh("A", "sleep 0.2"), sh("B", "sleep 0.2"))
        .build();

    // when
    RunResult result = engine().parallelism(1).build().run(plan(Pipeline.builder("p").addStages(group)));

    // then: the second step starts after the first finished, so neither counts the other's time
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(startsAndEnds(true)).containsExactly("StepStarted Checks > A", "StepFinished Checks > A",
        "StepStarted Checks > B", "StepFinished Checks > B");
  }

  @Test
  void should_start_a_stage_and_its_timeout_when_a_thread_takes_it_not_when_it_is_ready() {
    // given: one stage at a time; B, ready with A, may run for 1 s and waits longer than that for A
    Stage group = Stage.builder("Checks").parallel(true).addStages(sh("A", "sleep 1.5"),
        Stage.builder("B").timeout(Duration.ofSeconds(1)).addSteps(ShStep.of("echo quick")).build()).build();

    // when
    RunResult result = engine().parallelism(1).build().run(plan(Pipeline.builder("p").addStages(group)));

    // then: B starts when A has finished; its duration and its timeout count from there
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(startsAndEnds(false)).containsExactly("StageStarted Checks", "StageStarted Checks > A",
        "StageFinished Checks > A", "StageStarted Checks > B", "StageFinished Checks > B", "StageFinished Checks");
    assertThat(result.stage("Checks > B").orElseThrow().duration()).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void should_start_a_group_when_its_first_child_starts() {
    // given: one stage at a time; two groups side by side, each with one stage
    Stage all = Stage.builder("All").parallel(true).addStages(
        Stage.builder("First").addStages(sh("A", "sleep 0.5")).build(),
        Stage.builder("Second").addStages(sh("B", "echo b")).build()).build();

    // when
    RunResult result = engine().parallelism(1).build().run(plan(Pipeline.builder("p").addStages(all)));

    // then: the second group starts with its stage, when the first group has finished
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(startsAndEnds(false)).containsExactly("StageStarted All", "StageStarted All > First",
        "StageStarted All > First > A", "StageFinished All > First > A", "StageFinished All > First",
        "StageStarted All > Second", "StageStarted All > Second > B", "StageFinished All > Second > B",
        "StageFinished All > Second", "StageFinished All");
    assertThat(result.stage("All > Second").orElseThrow().duration()).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void should_skip_a_stage_that_waited_for_a_thread_when_a_failure_stops_the_run() {
    // given: one stage at a time; A fails while B waits for the thread
    Stage group = Stage.builder("Checks").parallel(true).addStages(sh("A", "sleep 0.2; exit 3"), sh("B", "echo b"))
        .build();

    // when
    RunResult result = engine().parallelism(1).build().run(plan(Pipeline.builder("p").addStages(group)));

    // then: B never started; it is skipped, with the reason, as a stage whose turn came after the failure
    assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
    RunResult.StageResult b = result.stage("Checks > B").orElseThrow();
    assertThat(b.status()).isEqualTo(RunResult.Status.SKIPPED);
    assertThat(b.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("Checks > A"));
    assertThat(events).noneMatch(e -> e instanceof RunEvent.StageStarted s && s.stage().equals("Checks > B"));
    assertThat(output()).isEmpty();
  }

  @Test
  void should_skip_what_depends_on_a_failed_stage_and_run_its_failure_notifications() {
    Stage build = Stage.builder("Build").addSteps(ShStep.of("echo compiling; exit 2"))
        .addOnFailure(ShStep.of("echo notify failure")).addOnSuccess(ShStep.of("echo notify success")).build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(build, sh("Deploy", "echo deploy"))));

    assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
    RunResult.StageResult failed = result.stage("Build").orElseThrow();
    assertThat(failed.status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(failed.reason()).hasValue("step 1 'echo compiling; exit 2' exited with status 2");
    assertThat(output()).containsExactly("Build: compiling", "Build: notify failure");
    assertThat(result.stage("Deploy").orElseThrow().reason())
        .hasValue("its dependency 'Build' failed");
  }

  @Test
  void should_let_independent_stages_go_on_when_asked_to_continue() {
    Stage group = Stage.builder("All").parallel(true)
        .addStages(sh("Broken", "exit 1"), sh("Fine", "sleep 0.2; echo fine")).build();

    RunResult result = engine().failurePolicy(FailurePolicy.CONTINUE).build()
        .run(plan(Pipeline.builder("p").addStages(group)));

    assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stage("All > Fine").orElseThrow().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stage("All").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
  }

  @Test
  void should_stop_running_stages_when_one_fails_fast() {
    Stage group = Stage.builder("All").parallel(true)
        .addStages(sh("Slow", "echo slow; sleep 300"), sh("Broken", "sleep 0.5; exit 1")).build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(group, sh("Later", "echo later"))));

    assertThat(result.stage("All > Broken").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stage("All > Slow").orElseThrow().status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(result.stage("All > Slow").orElseThrow().reason())
        .hasValue("stopped: the run stopped after stage 'All > Broken' failed");
    assertThat(result.stage("Later").orElseThrow().status()).isEqualTo(RunResult.Status.SKIPPED);
  }

  @Test
  void should_cancel_from_the_host() throws Exception {
    LocalEngine engine = engine().build();
    RunHandle run = engine.start(plan(Pipeline.builder("p").addStages(sh("Long", "echo started; sleep 300"))));
    while (output().isEmpty()) {
      Thread.sleep(20);
    }
    run.cancel();

    RunResult result = run.result().get();
    assertThat(result.status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(result.stage("Long").orElseThrow().reason()).hasValue("the run was cancelled");
  }

  @Test
  void should_end_a_group_whose_children_were_cancelled_with_the_run_as_cancelled_not_failed() throws Exception {
    // given a group that keeps going, whose two children run when the run is cancelled
    LocalEngine engine = engine().build();
    Stage projects = Stage.builder("Projects").parallel(true).keepsGoing(true)
        .addStages(sh("api", "echo started; sleep 300"), sh("web", "echo started; sleep 300")).build();
    RunHandle run = engine.start(plan(Pipeline.builder("p").addStages(projects)));
    while (output().size() < 2) {
      Thread.sleep(20);
    }

    // when
    run.cancel();

    // then
    RunResult result = run.result().get();
    assertThat(result.status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(result.stage("Projects > api").orElseThrow().status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(result.stage("Projects").orElseThrow().status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(result.stage("Projects").orElseThrow().reason()).hasValue("the run was cancelled");
  }

  @Test
  void should_report_plan_skips_with_their_reason() {
    Stage release = Stage.builder("Release").when(Condition.branch().is("release")).addSteps(ShStep.of("true")).build();
    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(sh("Build", "true"), release)));
    assertThat(result.stage("Release").orElseThrow().status()).isEqualTo(RunResult.Status.SKIPPED);
    assertThat(result.stage("Release").orElseThrow().reason()).hasValue("[branch is 'release'] is false");
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
  }

  @Test
  void should_give_a_step_its_secret_and_never_let_the_value_reach_an_event_or_the_result() {
    Stage deploy = Stage.builder("Deploy")
        .addSteps(ShStep.of("echo \"key=$KEY\"").with(SecretBinding.asEnv("key", "KEY"))).build();
    RunResult result = engine().secrets(SecretProviders.inMemory(Map.of("key", CANARY))).build()
        .run(plan(Pipeline.builder("p").addSecrets(new SecretRef("key")).addStages(deploy)));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Deploy: key=***");
    assertThat(events.toString()).doesNotContain(CANARY);
    assertThat(result.toString()).doesNotContain(CANARY);
  }

  @Test
  void should_fail_a_step_whose_secret_cannot_be_resolved() {
    Stage deploy = Stage.builder("Deploy")
        .addSteps(ShStep.of("echo never").with(SecretBinding.asEnv("key", "KEY"))).build();
    // A provider that cannot tell before it is asked, as a helper command's.
    SecretProvider vault = name -> {
      throw new dev.otto.core.secret.SecretResolutionException(name, "the vault has no secret '" + name + "'");
    };
    RunResult result = engine().secrets(vault).build()
        .run(plan(Pipeline.builder("p").addSecrets(new SecretRef("key")).addStages(deploy)));

    assertThat(result.stage("Deploy").orElseThrow().reason()).hasValueSatisfying(r ->
        assertThat(r).contains("the vault has no secret 'key'"));
    assertThat(output()).isEmpty();
  }

  @Test
  void should_refuse_a_run_before_its_first_step_when_the_provider_has_not_a_secret_a_stage_binds() {
    Stage build = Stage.builder("Build").addSteps(ShStep.of("echo built")).build();
    Stage deploy = Stage.builder("Deploy").addSteps(ShStep.of("echo never").with(SecretBinding.asEnv("key", "KEY")),
        ShStep.of("echo again").with(SecretBinding.asFile("key", "KEY_FILE"))).build();
    Stage notify = Stage.builder("Notify").addSteps(ShStep.of("echo never").with(SecretBinding.asEnv("key", "KEY")))
        .build();
    Plan plan = plan(Pipeline.builder("p").addSecrets(new SecretRef("key")).addStages(build, deploy, notify));

    assertThatThrownBy(() -> engine().secrets(SecretProviders.environment(Map.of("OTHER", "x"))).build().run(plan))
        .isInstanceOf(OttoException.class).hasMessage("the plan of pipeline 'p' cannot run here:\n  - the secret "
            + "'key' is read from the environment variable $KEY, which is not set; set it in the environment that "
            + "starts the engine (stages 'Deploy', 'Notify' bind it)");
    assertThatThrownBy(() -> engine().build().run(plan)).hasMessageContaining("the secret 'key' has no value: no "
        + "secret provider was given; give one with LocalEngine.Builder.secrets(...)");
    assertThat(output()).isEmpty();
  }

  @Test
  void should_restore_a_cache_saved_by_an_earlier_run() {
    Cache deps = Cache.of("deps", List.of("vendor/"), List.of());
    Pipeline.Builder pipeline = Pipeline.builder("p").addCaches(deps).addStages(
        Stage.builder("Fetch").addSteps(ShStep.of("[ -e vendor/lib ] && echo cached || (mkdir -p vendor && echo lib > vendor/lib && echo fetched)"))
            .addSaves("deps").build(),
        Stage.builder("Use").addRestores("deps").addSteps(ShStep.of("cat vendor/lib")).build());
    LocalEngine engine = engine().caches(new DirectoryCacheStore(root.resolve("caches"))).build();

    engine.run(plan(pipeline));
    events.clear();
    // A new run has a new, empty workspace: its files come from the store. The first stage saves
    // nothing new, as the entry of the key exists already.
    RunResult result = engine.run(Planner.plan(Pipeline.builder("p").addCaches(deps).addStages(
        Stage.builder("Seed").addSaves("deps").addSteps(ShStep.of("ls vendor 2>/dev/null || echo empty")).build(),
        Stage.builder("Use").addRestores("deps").addSteps(ShStep.of("cat vendor/lib")).build()).build(),
        RunContext.branch("main")));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Seed: empty", "Use: lib");
    assertThat(events).filteredOn(RunEvent.CacheEvent.class::isInstance).extracting(e -> ((RunEvent.CacheEvent) e).what())
        .containsExactly("already_saved", "hit");
  }

  @Test
  void should_not_restore_a_cache_for_a_stage_that_waited_for_a_thread_when_the_run_was_cancelled() throws Exception {
    // given one thread for stages, held by a long step, and a stage beside it whose first op restores a cache
    java.util.concurrent.atomic.AtomicInteger restores = new java.util.concurrent.atomic.AtomicInteger();
    DirectoryCacheStore store = new DirectoryCacheStore(root.resolve("caches"));
    dev.otto.core.cache.CacheStore counting = new dev.otto.core.cache.CacheStore() {
      @Override
      public dev.otto.core.cache.CacheResult restore(dev.otto.core.cache.CacheKey key, Path workspace) {
        restores.incrementAndGet();
        return store.restore(key, workspace);
      }

      @Override
      public dev.otto.core.cache.CacheResult save(dev.otto.core.cache.CacheKey key, Path workspace, List<String> paths) {
        return store.save(key, workspace, paths);
      }
    };
    Cache deps = Cache.of("deps", List.of("vendor/"), List.of());
    Stage both = Stage.builder("Both").parallel(true).addStages(sh("Long", "echo started; sleep 300"),
        Stage.builder("Cached").addRestores("deps").addSaves("deps").addSteps(ShStep.of("echo cached")).build()).build();
    LocalEngine engine = LocalEngine.builder(root.resolve("runs")).parallelism(1).listener(events::add)
        .executor(LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build()).caches(counting).build();
    RunHandle run = engine.start(plan(Pipeline.builder("p").addCaches(deps).addStages(both)));
    while (output().isEmpty()) {
      Thread.sleep(20);
    }

    // when
    run.cancel();

    // then the waiting stage is cancelled without its cache being restored
    RunResult result = run.result().get();
    assertThat(result.status()).isEqualTo(RunResult.Status.CANCELLED);
    assertThat(result.stage("Both > Cached").orElseThrow().status()).isNotEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(restores).hasValue(0);
    assertThat(output()).containsExactly("Both > Long: started");
  }

  /** A pipeline whose lock file names the one package its Fetch stage adds to the deps cache. */
  private static Plan fetching(String lock, List<Cache.Fallback> fallbacks) {
    return plan(Pipeline.builder("p").addCaches(Cache.of("deps", List.of("vendor/"), List.of("deps.lock"), fallbacks))
        .addStages(
            Stage.builder("Lock").addSteps(ShStep.of("echo " + lock + " > deps.lock")).build(),
            Stage.builder("Fetch").addRestores("deps").addSaves("deps")
                .addSteps(ShStep.of("mkdir -p vendor && touch vendor/" + lock + " && ls vendor | tr '\\n' ' '")).build()));
  }

  @Test
  void should_start_from_the_newest_entry_when_a_key_file_changed_and_save_the_new_key() {
    // given
    LocalEngine engine = engine().caches(new DirectoryCacheStore(root.resolve("caches"))).build();
    engine.run(fetching("left-pad", List.of(Cache.Fallback.ANY_KEY_FILES)));

    // when
    RunResult changed = engine.run(fetching("right-pad", List.of(Cache.Fallback.ANY_KEY_FILES)));
    RunResult again = engine.run(fetching("right-pad", List.of(Cache.Fallback.ANY_KEY_FILES)));

    // then
    assertThat(List.of(changed.status(), again.status())).containsOnly(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Fetch: left-pad ", "Fetch: left-pad right-pad ", "Fetch: left-pad right-pad ");
    assertThat(events).filteredOn(RunEvent.CacheEvent.class::isInstance).extracting(e -> ((RunEvent.CacheEvent) e).what())
        .containsExactly("miss", "saved", "fallback_hit", "saved", "hit", "already_saved");
  }

  @Test
  void should_start_from_nothing_when_a_key_file_changed_and_the_cache_matches_its_exact_key_only() {
    // given
    LocalEngine engine = engine().caches(new DirectoryCacheStore(root.resolve("caches"))).build();
    engine.run(fetching("left-pad", List.of()));

    // when
    engine.run(fetching("right-pad", List.of()));

    // then
    assertThat(output()).containsExactly("Fetch: left-pad ", "Fetch: right-pad ");
    assertThat(events).filteredOn(RunEvent.CacheEvent.class::isInstance).extracting(e -> ((RunEvent.CacheEvent) e).what())
        .containsExactly("miss", "saved", "miss", "saved");
  }

  @Test
  void should_refuse_a_plan_it_cannot_run_naming_every_stage_concerned() {
    Pipeline pipeline = Pipeline.builder("p").addStages(
        sh("Build", "true"),
        Stage.builder("Image").runtime(Runtime.container("ruby")).addSteps(ShStep.of("ruby -v")).build(),
        Stage.builder("Ship").addEnter(ApprovalGate.of("ok?").timeout(Duration.ofHours(1)))
            .addSteps(ShStep.of("true")).build()).build();

    assertThatThrownBy(() -> engine().build().start(Planner.plan(pipeline, RunContext.branch("main"))))
        .isInstanceOf(OttoException.class)
        .hasMessageContaining("stage 'Image' needs container ruby")
        .hasMessageContaining("ContainerPolicy.LOCAL_FALLBACK")
        .message().doesNotContain("Ship");
    assertThatThrownBy(() -> engine().build().start(Planner.plan(pipeline)))
        .hasMessageContaining("without a run context");
  }

  @Test
  void should_run_a_container_stage_locally_with_a_warning_when_the_host_allows() {
    Pipeline pipeline = Pipeline.builder("p").addStages(
        Stage.builder("Image").runtime(Runtime.container("ruby")).addSteps(ShStep.of("echo local")).build(),
        Stage.builder("Same").runtime(Runtime.sameAs(StagePath.of("Image"))).addSteps(ShStep.of("echo same")).build())
        .build();

    RunResult result = engine().containerPolicy(ContainerPolicy.LOCAL_FALLBACK).build()
        .run(Planner.plan(pipeline, RunContext.branch("main")));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(events).filteredOn(RunEvent.Warning.class::isInstance).hasSize(2);
  }

  @Test
  void should_refuse_to_run_a_stage_with_services_as_local_processes_even_when_the_host_allows_the_fallback() {
    // given
    Plan plan = Planner.plan(Pipeline.builder("p").addStages(
        Stage.builder("Test").runtime(Runtime.container("ruby")).addServices(Service.of("db", "postgres:16"))
            .addSteps(ShStep.of("rake")).build()).build(), RunContext.branch("main"));
    LocalEngine engine = engine().containerPolicy(ContainerPolicy.LOCAL_FALLBACK).build();

    // then
    assertThat(engine.executorsFor(plan).get("Test")).startsWith("cannot run here: stage 'Test' (container ruby) has "
        + "services (db), which run only in a container engine");
    assertThat(dev.otto.core.explain.Explain.text(plan, engine.executorsFor(plan)))
        .contains("  Test  [runs]  container ruby\n    cannot run here: ",
            "\n    service db: postgres:16; ready when running, within 2m\n    - run rake\n");
    assertThatThrownBy(() -> engine.start(plan)).isInstanceOf(OttoException.class)
        .hasMessageContaining("install Docker or Podman where the stage runs");
  }

  @Test
  void should_keep_a_background_service_for_the_later_steps_of_its_stage_and_stop_it_with_the_stage() {
    Stage stage = Stage.builder("Test")
        .addSteps(ShStep.of("nohup sleep 300 > /dev/null 2>&1 & echo $! > service.pid"),
            ShStep.of("kill -0 $(cat service.pid) && echo service up"))
        .build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(stage, sh("Next", "true"))));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Test: service up");
    assertThat(events).filteredOn(RunEvent.Warning.class::isInstance).singleElement()
        .satisfies(e -> assertThat(((RunEvent.Warning) e).message()).isEqualTo("1 processes the stage left running were stopped"));
  }

  @Test
  void should_say_before_a_run_which_executor_runs_each_stage_or_why_none_can() {
    Plan plan = Planner.plan(Pipeline.builder("p").addStages(
        sh("Build", "make"),
        Stage.builder("Image").runtime(Runtime.container("ruby")).addSteps(ShStep.of("ruby -v")).build(),
        Stage.builder("Mac").runtime(Runtime.agent("macos")).addSteps(ShStep.of("xcodebuild")).build()).build(),
        RunContext.branch("main"));
    LocalEngine engine = engine().containerPolicy(ContainerPolicy.LOCAL_FALLBACK).build();

    Map<String, String> notes = engine.executorsFor(plan);

    String none = "; isolation: none (a process of this machine's user: it sees the user's files, processes and network)";
    assertThat(notes).containsEntry("Build", "runs on the local executor" + none)
        .containsEntry("Image", "runs on the local executor, as no executor runs containers here" + none);
    assertThat(notes.get("Mac")).startsWith("cannot run here: stage 'Mac' needs agent macos");
    assertThat(dev.otto.core.explain.Explain.text(plan, notes))
        .contains("  Build  [runs]  local\n    runs on the local executor" + none + "\n");
  }

  @Test
  void should_keep_each_step_of_a_stage_to_its_own_variables_input_and_lines() {
    Stage stage = Stage.builder("Steps")
        .addSteps(ShStep.of("export LEAK=1; printf 'no line end'").env("ONLY_FIRST", "yes"),
            ShStep.of("echo \"first=${ONLY_FIRST:-unset} leak=${LEAK:-unset}\"; cat; echo \"stdin done\""),
            ShStep.of("printf 'a\\001b\\n'; exit 4"))
        .build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(stage)));

    assertThat(output()).containsExactly("Steps: no line end", "Steps: first=unset leak=unset", "Steps: stdin done",
        "Steps: a\u0001b");
    assertThat(result.stage("Steps").orElseThrow().steps()).extracting(RunResult.StepResult::exitCode)
        .containsExactly(java.util.OptionalInt.of(0), java.util.OptionalInt.of(0), java.util.OptionalInt.of(4));
  }

  @Test
  void should_mask_a_secret_a_background_process_prints_after_its_step() {
    Stage stage = Stage.builder("Leaky")
        .addSteps(ShStep.of("(sleep 0.3; echo \"late $KEY\") > /dev/stdout &").with(SecretBinding.asEnv("key", "KEY")),
            ShStep.of("sleep 3; echo done"))
        .build();
    RunResult result = engine().secrets(SecretProviders.inMemory(Map.of("key", CANARY))).build()
        .run(plan(Pipeline.builder("p").addSecrets(new SecretRef("key")).addStages(stage)));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Leaky: late ***", "Leaky: done");
    assertThat(events.toString()).doesNotContain(CANARY);
  }

  @Test
  void should_time_out_a_step_of_a_stage_and_run_the_failure_notification_in_a_new_shell() {
    Stage stage = Stage.builder("Slow")
        .addSteps(ShStep.of("echo begin; sleep 300").timeout(Duration.ofSeconds(1)), ShStep.of("echo never"))
        .addOnFailure(ShStep.of("echo notified"))
        .build();
    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(stage)));

    assertThat(result.stage("Slow").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stage("Slow").orElseThrow().reason()).hasValueSatisfying(r -> assertThat(r).contains("timed out"));
    assertThat(output()).containsExactly("Slow: begin", "Slow: notified");
  }

  @Test
  void should_keep_a_canary_secret_out_of_events_results_plans_and_every_file_the_engine_writes() throws Exception {
    Stage stage = Stage.builder("Everywhere")
        .addSteps(ShStep.of("echo \"$KEY\"; printf %s \"$KEY\" | base64; cat \"$KEY_FILE\"; echo \"$KEY\" >&2; "
                + "mkdir -p out && echo kept > out/file.txt").with(SecretBinding.asEnv("key", "KEY"),
                SecretBinding.asFile("key", "KEY_FILE")),
            ShStep.of("echo \"failing with $KEY\"; exit 1").with(SecretBinding.asEnv("key", "KEY")))
        .addOnFailure(ShStep.of("echo \"notify $KEY\"").with(SecretBinding.asEnv("key", "KEY")))
        .addSaves("out").build();
    Pipeline pipeline = Pipeline.builder("p").addSecrets(new SecretRef("key"))
        .addCaches(Cache.of("out", List.of("out/"), List.of())).addStages(stage).build();
    Plan plan = Planner.plan(pipeline, RunContext.branch("main"));
    List<String> logged = new CopyOnWriteArrayList<>();

    RunResult result = engine().secrets(SecretProviders.inMemory(Map.of("key", CANARY)))
        .caches(new DirectoryCacheStore(root.resolve("caches"))).listener(e -> logged.add(e.toString())).build()
        .run(plan);

    assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(output()).contains("Everywhere: ***", "Everywhere: failing with ***", "Everywhere: notify ***");
    assertThat(String.join("\n", logged)).doesNotContain(CANARY);
    assertThat(result.toString()).doesNotContain(CANARY);
    assertThat(dev.otto.core.explain.Explain.json(plan)).doesNotContain(CANARY);
    try (var files = java.nio.file.Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(java.nio.file.Files::isRegularFile)::iterator) {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        byte[] content = file.toString().endsWith(".tar.gz")
            ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes() : bytes;
        assertThat(new String(content, java.nio.charset.StandardCharsets.ISO_8859_1)).as("file %s", file)
            .doesNotContain(CANARY);
      }
    }
    Path journal = root.resolve("runs").resolve(result.run()).resolve("journal.log");
    assertThat(java.nio.file.Files.readString(journal)).as("the journal was among the files checked")
        .contains("\"t\":\"run-end\"").contains("failing with $KEY").doesNotContain(CANARY);
  }

  @Test
  void should_mask_a_secret_a_stage_left_in_a_file_when_a_later_stage_prints_it() {
    // given a stage that writes the token where a later one, which binds nothing, reads it
    Stage login = Stage.builder("Login").addSteps(ShStep.of("printf '%s\\n' \"$KEY\" > .token")
        .with(SecretBinding.asEnv("key", "KEY"))).build();
    Stage show = Stage.builder("Show").addSteps(ShStep.of("echo \"read $(cat .token)\"; base64 < .token")).build();
    Stage other = Stage.builder("Other").addSteps(ShStep.of("echo unrelated")).build();
    Pipeline pipeline = Pipeline.builder("p").addSecrets(new SecretRef("key"), new SecretRef("unused"))
        .addStages(login, show, other).build();

    // when
    RunResult result = engine().secrets(SecretProviders.inMemory(Map.of("key", CANARY))).build()
        .run(Planner.plan(pipeline, RunContext.branch("main")));

    // then
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    // The base64 of the file's value and line break: its last characters mix in the line break.
    assertThat(output()).contains("Show: read ***", "Other: unrelated").anyMatch(line -> line.matches("Show: \\*\\*\\*.{0,3}"));
    assertThat(events.toString()).doesNotContain(CANARY);
  }

  @Test
  void should_mask_a_secret_a_parallel_stage_was_given_after_a_running_step_started_when_that_step_prints_it() {
    // given a step that starts first and prints the file a parallel stage's later step writes
    // the token into: the token is given after the first step started
    Stage show = Stage.builder("Show").addSteps(ShStep.of("touch .started; "
        + "until [ -s .token ]; do sleep 0.02; done; echo \"read $(cat .token)\"; base64 < .token")).build();
    Stage login = Stage.builder("Login").addSteps(ShStep.of("until [ -f .started ]; do sleep 0.02; done"),
        ShStep.of("printf '%s\\n' \"$KEY\" > .token.new && mv .token.new .token")
            .with(SecretBinding.asEnv("key", "KEY"))).build();
    Stage checks = Stage.builder("Checks").parallel(true).addStages(show, login).build();
    Pipeline pipeline = Pipeline.builder("p").addSecrets(new SecretRef("key")).addStages(checks).build();

    // when
    RunResult result = engine().secrets(SecretProviders.inMemory(Map.of("key", CANARY))).build()
        .run(Planner.plan(pipeline, RunContext.branch("main")));

    // then
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).contains("Checks > Show: read ***")
        .anyMatch(line -> line.matches("Checks > Show: \\*\\*\\*.{0,3}"));
    assertThat(events.toString()).doesNotContain(CANARY);
  }

  @Test
  void should_never_let_events_times_go_back_from_the_workspace_to_the_last_stage() throws Exception {
    // given a project with a few files to copy, and a warning at the start
    Path project = java.nio.file.Files.createDirectories(root.resolve("project"));
    for (int i = 0; i < 50; i++) {
      java.nio.file.Files.writeString(project.resolve("file-" + i + ".txt"), "content " + i);
    }
    Pipeline.Builder pipeline = Pipeline.builder("p").addStages(sh("Build", "echo built"), sh("Test", "echo tested"));

    // when
    engine().build().start(plan(pipeline), dev.otto.core.workspace.WorkspaceSources.copyOf(project)).result().join();

    // then
    assertThat(events).hasAtLeastOneElementOfType(RunEvent.WorkspacePrepared.class);
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).at()).as("%s after %s", events.get(i), events.get(i - 1))
          .isAfterOrEqualTo(events.get(i - 1).at());
    }
  }

  @Test
  void should_retry_a_failing_step_with_backoff_until_it_succeeds() {
    Stage flaky = Stage.builder("Flaky").addSteps(ShStep.of(
        "n=$(cat attempts 2>/dev/null || echo 0); n=$((n+1)); echo $n > attempts; echo attempt $n; [ $n -ge 3 ]")
        .retry(3, Duration.ofMillis(50))).build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(flaky)));

    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Flaky: attempt 1", "Flaky: attempt 2", "Flaky: attempt 3");
    assertThat(events).filteredOn(RunEvent.Warning.class::isInstance)
        .extracting(e -> ((RunEvent.Warning) e).message())
        .containsExactly("step 1 'n=$(cat attempts 2>/dev/null || echo 0); n=$((n+1)); echo $n > attempts; echo attempt $n; [ $n -ge 3 ]' exited with status 1; retry 1 of 3 in PT0.05S",
            "step 1 'n=$(cat attempts 2>/dev/null || echo 0); n=$((n+1)); echo $n > attempts; echo attempt $n; [ $n -ge 3 ]' exited with status 1; retry 2 of 3 in PT0.1S");
  }

  @Test
  void should_fail_after_the_last_retry() {
    Stage broken = Stage.builder("Broken").addSteps(ShStep.of("echo try; exit 5").retry(2, Duration.ofMillis(10)))
        .build();
    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(broken)));

    assertThat(result.stage("Broken").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(output()).containsExactly("Broken: try", "Broken: try", "Broken: try");
  }

  @Test
  void should_stop_a_stage_that_runs_past_its_timeout_and_run_its_failure_notification() {
    Stage slow = Stage.builder("Slow").timeout(Duration.ofSeconds(1))
        .addSteps(ShStep.of("echo one"), ShStep.of("sleep 300"), ShStep.of("echo never"))
        .addOnFailure(ShStep.of("echo notified")).build();

    RunResult result = engine().failurePolicy(FailurePolicy.CONTINUE).build()
        .run(plan(Pipeline.builder("p").addStages(slow, sh("Other", "echo other"))));

    assertThat(result.stage("Slow").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(result.stage("Slow").orElseThrow().reason()).hasValue("the stage timed out after PT1S");
    assertThat(output()).containsExactly("Slow: one", "Slow: notified");
    assertThat(result.stage("Other").orElseThrow().reason()).hasValue("its dependency 'Slow' failed");
    assertThat(events).filteredOn(RunEvent.StepSkipped.class::isInstance).singleElement()
        .satisfies(e -> assertThat(((RunEvent.StepSkipped) e).label()).isEqualTo("echo never"));
  }

  @Test
  void should_not_start_a_step_whose_stage_timed_out_while_the_step_was_on_its_way() throws Exception {
    // The secret's provider answers after the stage's timeout: the step reaches the executor
    // after the stage was stopped and its shell ended, and must not start in a new one.
    Path marker = root.resolve("started");
    dev.otto.core.secret.SecretProvider slow = name -> {
      try {
        Thread.sleep(2500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return dev.otto.core.secret.SecretValue.of(name, CANARY);
    };
    Stage stage = Stage.builder("Slow").timeout(Duration.ofSeconds(1))
        .addSteps(ShStep.of("echo one"), ShStep.of("touch '" + marker + "'; sleep 5").with(SecretBinding.asEnv("key",
            "KEY")))
        .addOnFailure(ShStep.of("echo notified")).build();

    RunResult result = engine().secrets(slow).build()
        .run(plan(Pipeline.builder("p").addSecrets(new SecretRef("key")).addStages(stage)));

    RunResult.StageResult slowStage = result.stage("Slow").orElseThrow();
    assertThat(slowStage.status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(slowStage.reason()).hasValue("the stage timed out after PT1S");
    assertThat(slowStage.steps()).extracting(RunResult.StepResult::status)
        .containsExactly(RunResult.Status.SUCCEEDED, RunResult.Status.CANCELLED, RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Slow: one", "Slow: notified");
    assertThat(marker).doesNotExist();
  }

  @Test
  void should_run_a_timed_out_stage_s_notification_only_after_the_stop_ended_the_stage_s_shell() {
    // The stop's end of the stage's shell is slow here: a notification that began before it
    // ended would have its shell ended under it.
    LocalProcessExecutor local = LocalProcessExecutor.builder().grace(Duration.ofMillis(300)).build();
    dev.otto.core.executor.Executor slowEnd = new dev.otto.core.executor.Executor() {
      @Override
      public String name() {
        return local.name();
      }

      @Override
      public java.util.Optional<String> whyNot(Runtime runtime) {
        return local.whyNot(runtime);
      }

      @Override
      public dev.otto.core.executor.ProcessOutcome run(dev.otto.core.executor.ProcessRequest request,
          java.util.function.Consumer<String> lines, dev.otto.core.executor.Cancellation cancellation) {
        return local.run(request, lines, cancellation);
      }

      @Override
      public int endSession(String session) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return local.endSession(session);
      }
    };
    Stage stage = Stage.builder("Slow").timeout(Duration.ofSeconds(1)).addSteps(ShStep.of("sleep 300"))
        .addOnFailure(ShStep.of("sleep 1; echo notified")).build();

    RunResult result = LocalEngine.builder(root.resolve("runs")).parallelism(2).listener(events::add)
        .executor(slowEnd).build().run(plan(Pipeline.builder("p").addStages(stage)));

    assertThat(result.stage("Slow").orElseThrow().steps()).extracting(RunResult.StepResult::status)
        .containsExactly(RunResult.Status.CANCELLED, RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Slow: notified");
  }

  @Test
  void should_stop_a_probe_still_running_when_its_poll_times_out_before_the_stage_goes_on() {
    Stage stage = Stage.builder("Gated")
        .addEnter(dev.otto.core.model.PollGate.of("up", ShStep.of("sleep 3; echo late-probe"))
            .every(Duration.ofMillis(100)).timeout(Duration.ofSeconds(1))
            .onTimeout(dev.otto.core.model.Gate.OnTimeout.CONTINUE))
        .addSteps(ShStep.of("echo after")).build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(stage)));

    assertThat(result.stage("Gated").orElseThrow().status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(result.stage("Gated").orElseThrow().steps()).singleElement()
        .satisfies(step -> assertThat(step.detail()).isEqualTo("exited with status 0"));
    assertThat(output()).containsExactly("Gated: after");
  }

  @Test
  void should_stop_a_running_probe_with_its_timed_out_stage_before_the_stage_s_notification_runs() {
    Stage stage = Stage.builder("Gated").timeout(Duration.ofSeconds(1))
        .addEnter(dev.otto.core.model.PollGate.of("up", ShStep.of("sleep 3; echo late-probe"))
            .every(Duration.ofMillis(100)).timeout(Duration.ofHours(1)))
        .addSteps(ShStep.of("echo never")).addOnFailure(ShStep.of("sleep 1; echo notified")).build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(stage)));

    assertThat(result.stage("Gated").orElseThrow().reason()).hasValue("the stage timed out after PT1S");
    assertThat(result.stage("Gated").orElseThrow().steps()).singleElement()
        .satisfies(step -> assertThat(step.status()).isEqualTo(RunResult.Status.SUCCEEDED));
    assertThat(output()).containsExactly("Gated: notified");
  }

  @Test
  void should_cancel_the_step_a_stage_runs_when_the_stage_times_out() {
    Stage stage = Stage.builder("Slow").timeout(Duration.ofSeconds(1)).addSteps(ShStep.of("sleep 300")).build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(stage)));

    assertThat(result.stage("Slow").orElseThrow().steps()).singleElement().satisfies(step -> {
      assertThat(step.status()).isEqualTo(RunResult.Status.CANCELLED);
      assertThat(step.detail()).isEqualTo("cancelled");
    });
  }

  @Test
  void should_stop_every_process_a_stage_started_when_its_step_times_out() {
    String escapers = "sleep 300 & nohup sleep 300 >/dev/null 2>&1 & (sleep 300 &) ; setsid sleep 300 & "
        + "sh -c 'setsid sh -c \"sleep 300\" &' ; ";
    Stage stage = Stage.builder("Escapers")
        .addSteps(ShStep.of(escapers + "echo started; sleep 300").timeout(Duration.ofSeconds(1))).build();

    RunResult result = engine().build().run(plan(Pipeline.builder("p").addStages(stage)));

    assertThat(result.stage("Escapers").orElseThrow().status()).isEqualTo(RunResult.Status.FAILED);
    assertThat(output()).containsExactly("Escapers: started");
    assertThat(dev.otto.core.executor.ProcessTreeProbe.survivorsOf(result.run())).isEmpty();
  }

  @Test
  void should_wait_a_retry_backoff_on_the_engine_scheduler_so_tests_can_move_time_themselves() throws Exception {
    ManualScheduler time = new ManualScheduler();
    Stage flaky = Stage.builder("Flaky").addSteps(ShStep.of(
        "if [ -e tried ]; then echo second; else touch tried; echo first; exit 1; fi").retry(1, Duration.ofHours(1)))
        .build();

    RunHandle run = engine().scheduler(time).build().start(plan(Pipeline.builder("p").addStages(flaky)));
    while (time.pending() == 0) {
      Thread.sleep(10);
    }
    assertThat(run.result()).isNotDone();
    time.advance(Duration.ofHours(1));

    RunResult result = run.result().get();
    assertThat(result.status()).isEqualTo(RunResult.Status.SUCCEEDED);
    assertThat(output()).containsExactly("Flaky: first", "Flaky: second");
    assertThat(result.duration()).isEqualTo(Duration.ofHours(1));
  }
}
