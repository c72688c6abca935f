package dev.otto.core.engine;

import dev.otto.core.journal.JournalException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A run as its journal tells it. The journal holds three kinds of entries: the inputs of the
 * run's {@link RunMachine} (replaying them rebuilds the run, which is how a run is resumed; a
 * granted lock is one, so a resumed run still holds it), the
 * webhook tokens' hashes the engine handed out, and records of results (steps, stages, the run)
 * that can be read without the plan, which is how a changed plan restarts from an earlier run.
 */
final class Recovery {
  /** The journal's format: the inputs of a {@link RunMachine}, whose stages start with their first op. */
  static final String FORMAT = "3";
  /** The format before, whose machine started a stage as soon as its turn came; its journals replay so. */
  private static final String FORMAT_STARTS_WHEN_READY = "2";

  final String runId;
  final String pipeline;
  final String fingerprint;
  /** Whether the run's machine started each stage as soon as its turn came (journals of format 2). */
  final boolean startsWhenReady;
  final Instant started;
  /** The commit the run's workspace was made from, if it was known. */
  final java.util.Optional<String> commit;
  /** The branch and tag the run was planned for; empty when it had none, or in a journal written before they were kept. */
  final java.util.Optional<String> branch;
  final java.util.Optional<String> tag;
  /** What else the run's plan was made for: its trigger, the environment it rolled back, its parameters. */
  final java.util.Optional<String> trigger;
  final java.util.Optional<String> rollback;
  final Map<String, String> params;
  /**
   * The files the run was told its commits changed; empty when it was not told, or in a journal
   * written before they were kept.
   */
  final java.util.Optional<List<String>> changedFiles;
  /**
   * The names of the secrets the run's plan declared, which a restart reads again to mask (its
   * own plan may have dropped one the run handed out); empty in a journal written before.
   */
  final java.util.Set<String> secrets;
  /**
   * The secrets the run handed to its processes, each with where it was first handed out (a
   * stage's id, or the earlier run a restart copied the workspace of): its started entries name
   * them, and its first entry those of the runs before. Null in a journal written before runs
   * kept them.
   */
  final Map<String, String> given;
  final int entries;
  /** The machine's inputs after its start, in order. */
  final List<RunMachine.Input> inputs = new ArrayList<>();
  /** Webhook waits' token hashes, by wait id. */
  final Map<String, String> tokens = new LinkedHashMap<>();
  /** The recorded results of stages, by stage id. */
  final Map<String, StageRecord> stages = new LinkedHashMap<>();
  RunResult.Status finalStatus;
  Duration finalDuration;

  /** What the journal records of one stage. */
  static final class StageRecord {
    final List<RunResult.StepResult> steps = new ArrayList<>();
    RunResult.StageResult result;
    String digest;
  }

  private Recovery(String runId, Map<String, String> first, int entries) {
    this.runId = runId;
    this.pipeline = first.get("pipeline");
    this.fingerprint = first.get("fingerprint");
    this.startsWhenReady = FORMAT_STARTS_WHEN_READY.equals(first.get("format"));
    this.started = Instant.parse(first.get("started"));
    this.commit = Optional.ofNullable(first.get("commit"));
    // A blank name, which a context no longer takes, was recorded by a run given one: it matched no condition.
    this.branch = Optional.ofNullable(first.get("branch")).filter(name -> !name.isBlank());
    this.tag = Optional.ofNullable(first.get("tag")).filter(name -> !name.isBlank());
    this.trigger = Optional.ofNullable(first.get("trigger")).filter(name -> !name.isBlank());
    this.rollback = Optional.ofNullable(first.get("rollback"));
    Map<String, String> parameters = new java.util.TreeMap<>();
    first.forEach((key, value) -> {
      if (key.startsWith(PARAM)) {
        parameters.put(key.substring(PARAM.length()), value);
      }
    });
    this.params = java.util.Collections.unmodifiableMap(parameters);
    String changed = first.get(CHANGED);
    if (changed == null) {
      this.changedFiles = Optional.empty();
    } else {
      List<String> files = new ArrayList<>();
      for (int i = 0, count = Integer.parseInt(changed); i < count; i++) {
        files.add(java.util.Objects.requireNonNull(first.get(CHANGED + "." + i), "changed file " + i));
      }
      this.changedFiles = Optional.of(List.copyOf(files));
    }
    String declared = first.get("secrets");
    this.secrets = declared == null ? java.util.Set.of()
        : java.util.Set.copyOf(java.util.Arrays.asList(declared.split(" ")));
    String before = first.get("given");
    if (before == null) {
      this.given = null;
    } else {
      this.given = new java.util.TreeMap<>();
      String from = first.get("from") == null ? "an earlier run" : "run '" + first.get("from") + "'";
      for (String name : before.split(" ")) {
        if (!name.isEmpty()) {
          this.given.put(name, from);
        }
      }
    }
    this.entries = entries;
  }

  static Recovery read(String runId, List<String> entries) {
    if (entries.isEmpty()) {
      throw corrupt(runId, 1, "the journal is empty");
    }
    Map<String, String> first = Entries.decode(entries.get(0));
    if (first == null || !"run".equals(first.get("t")) || !first.containsKey("fingerprint")
        || !first.containsKey("started")) {
      throw corrupt(runId, 1, "it does not begin with the run's entry");
    }
    if (!FORMAT.equals(first.get("format")) && !FORMAT_STARTS_WHEN_READY.equals(first.get("format"))) {
      throw corrupt(runId, 1, "it was written by an earlier version of Otto, in another format");
    }
    Recovery recovery;
    try {
      recovery = new Recovery(runId, first, entries.size());
    } catch (RuntimeException e) {
      throw corrupt(runId, 1, "the run's entry does not hold what it should (" + e.getMessage() + ")");
    }
    for (int i = 1; i < entries.size(); i++) {
      Map<String, String> entry = Entries.decode(entries.get(i));
      if (entry == null) {
        throw corrupt(runId, i + 1, "it is not an entry of the engine");
      }
      try {
        recovery.apply(entry);
      } catch (RuntimeException e) {
        throw corrupt(runId, i + 1, "it does not fit the entries before it (" + e.getMessage() + ")");
      }
    }
    return recovery;
  }

  private static JournalException corrupt(String runId, int entry, String why) {
    return new JournalException(JournalException.Reason.CORRUPT, "entry " + entry + " of the journal of run '" + runId
        + "' cannot be read: " + why + "; restart the run from one of its stages instead of resuming it");
  }

  /** The prefix of the first entry's fields that hold the run's parameters. */
  private static final String PARAM = "param.";
  /** The first entry's field that holds how many files the run was told its commits changed; each is in CHANGED.i. */
  private static final String CHANGED = "changed";

  /** The first entry of a run's journal. */
  static String header(String runId, String pipeline, String fingerprint, Instant started, String fromRun,
      Optional<String> commit, dev.otto.core.plan.RunContext context, java.util.Collection<String> secrets,
      java.util.Collection<String> givenBefore) {
    // Secret names are identifiers (letters, digits, '.', '_', '-'): a space separates them. Names only, never values.
    List<String> fields = new ArrayList<>(List.of("run", runId, "format", FORMAT, "pipeline", pipeline, "fingerprint",
        fingerprint, "started", started.toString(), "given", String.join(" ", new java.util.TreeSet<>(givenBefore))));
    java.util.function.BiConsumer<String, String> add = (name, value) -> {
      if (value != null) {
        fields.add(name);
        fields.add(value);
      }
    };
    add.accept("from", fromRun);
    add.accept("commit", commit.orElse(null));
    add.accept("branch", context.branch().orElse(null));
    add.accept("tag", context.tag().orElse(null));
    add.accept("trigger", context.trigger().orElse(null));
    add.accept("rollback", context.rollback().orElse(null));
    add.accept("secrets", secrets.isEmpty() ? null : String.join(" ", new java.util.TreeSet<>(secrets)));
    new java.util.TreeMap<>(context.parameters()).forEach((name, value) -> add.accept(PARAM + name, value));
    context.changedFiles().ifPresent(files -> {
      add.accept(CHANGED, Integer.toString(files.size()));
      for (int i = 0; i < files.size(); i++) {
        add.accept(CHANGED + "." + i, files.get(i));
      }
    });
    return Entries.encode("run", fields.toArray(String[]::new));
  }

  /** The journal entry of a probe's outcome, naming the secrets it was handed. */
  static String encodeProbe(RunMachine.ProbeDone done, java.util.Collection<String> secrets) {
    String entry = encode(done);
    if (secrets.isEmpty()) {
      return entry;
    }
    Map<String, String> fields = new LinkedHashMap<>(Entries.decode(entry));
    String type = fields.remove("t");
    fields.put("secrets", String.join(" ", new java.util.TreeSet<>(secrets)));
    List<String> flat = new ArrayList<>();
    fields.forEach((name, value) -> {
      flat.add(name);
      flat.add(value);
    });
    return Entries.encode(type, flat.toArray(String[]::new));
  }

  /**
   * An entry naming the secrets a process of {@code stage} was handed whose outcome is not
   * journaled (a probe's failed attempt): a restart reads them again.
   */
  static String encodeHanded(String stage, java.util.Collection<String> secrets) {
    return Entries.encode("handed", "stage", stage, "secrets", String.join(" ", new java.util.TreeSet<>(secrets)));
  }

  /** The journal entry of a process's start, naming the secrets it is handed. */
  static String encodeStarted(RunMachine.OpStarted started, java.util.Collection<String> secrets) {
    return Entries.encode("started", "stage", started.stage(), "op", String.valueOf(started.op()), "at",
        started.at().toString(), "secrets", secrets.isEmpty() ? null : String.join(" ", new java.util.TreeSet<>(secrets)));
  }

  /** The journal entry of a machine's input, or null for one that is not journaled ({@link RunMachine.Start}). */
  static String encode(RunMachine.Input input) {
    String at = input.at().toString();
    if (input instanceof RunMachine.Resume) {
      return Entries.encode("resumed", "at", at);
    }
    if (input instanceof RunMachine.OpStarted started) {
      return Entries.encode("started", "stage", started.stage(), "op", String.valueOf(started.op()), "at", at);
    }
    if (input instanceof RunMachine.OpDone done) {
      return encodeOutcome("done", done.stage(), done.op(), null, done.outcome(), at);
    }
    if (input instanceof RunMachine.ProbeDone done) {
      return encodeOutcome("probe", done.stage(), done.op(), String.valueOf(done.attempt()), done.outcome(), at);
    }
    if (input instanceof RunMachine.TimerFired fired) {
      return Entries.encode("timer", "timer", fired.timer(), "at", at);
    }
    if (input instanceof RunMachine.Decide decide) {
      return Entries.encode("decide", "wait", decide.waitId(), "approved", decide.decision().approved() ? "1" : null,
          "by", decide.decision().by(), "comment", decide.decision().comment().orElse(null), "at", at);
    }
    if (input instanceof RunMachine.Callback callback) {
      return Entries.encode("callback", "wait", callback.waitId(), "payload", callback.payload(), "at", at);
    }
    if (input instanceof RunMachine.Cancel) {
      return Entries.encode("cancel", "at", at);
    }
    if (input instanceof RunMachine.LockGranted granted) {
      return Entries.encode("lock-granted", "stage", granted.stage(), "lock", granted.lock(), "at", at);
    }
    if (input instanceof RunMachine.LockLost lost) {
      return Entries.encode("lock-lost", "stage", lost.stage(), "lock", lost.lock(), "by", lost.byRun().orElse(null),
          "at", at);
    }
    if (input instanceof RunMachine.SessionEnded ended) {
      return Entries.encode("ended", "stage", ended.stage(), "stopped", String.valueOf(ended.stopped()), "at", at);
    }
    return null;
  }

  private static String encodeOutcome(String type, String stage, int op, String attempt, RunMachine.Outcome outcome,
      String at) {
    return Entries.encode(type, "stage", stage, "op", String.valueOf(op), "attempt", attempt, "status",
        outcome.status().name(), "exit", outcome.exitCode().isPresent() ? String.valueOf(outcome.exitCode().getAsInt())
            : null, "detail", outcome.detail(), "digest", outcome.digest().orElse(null), "at", at);
  }

  static String token(String waitId, String hash) {
    return Entries.encode("token", "wait", waitId, "hash", hash);
  }

  static String step(String stage, RunResult.StepResult step) {
    return Entries.encode("step", "stage", stage, "label", step.label(), "status", step.status().name(), "exit",
        step.exitCode().isPresent() ? String.valueOf(step.exitCode().getAsInt()) : null, "ms",
        String.valueOf(step.duration().toMillis()), "detail", step.detail());
  }

  static String stageEnd(RunResult.StageResult result, String digest) {
    return Entries.encode("stage-end", "stage", result.id(), "status", result.status().name(), "reason",
        result.reason().orElse(null), "ms", String.valueOf(result.duration().toMillis()), "digest", digest);
  }

  static String runEnd(RunResult result) {
    return Entries.encode("run-end", "status", result.status().name(), "ms",
        String.valueOf(result.duration().toMillis()));
  }

  /** Counts the secrets an entry names as handed out by its stage, first where they first were. */
  private void noteHanded(Map<String, String> entry) {
    if (given != null && entry.get("secrets") != null) {
      for (String name : entry.get("secrets").split(" ")) {
        given.putIfAbsent(name, "stage '" + entry.get("stage") + "'");
      }
    }
  }

  private void apply(Map<String, String> entry) {
    String type = entry.get("t");
    switch (type) {
      case "resumed" -> inputs.add(new RunMachine.Resume(at(entry)));
      case "started" -> {
        inputs.add(new RunMachine.OpStarted(at(entry), required(entry, "stage"), number(entry, "op")));
        noteHanded(entry);
      }
      case "done" -> inputs.add(new RunMachine.OpDone(at(entry), required(entry, "stage"), number(entry, "op"),
          outcome(entry)));
      case "probe" -> {
        noteHanded(entry);
        inputs.add(new RunMachine.ProbeDone(at(entry), required(entry, "stage"), number(entry, "op"),
            number(entry, "attempt"), outcome(entry)));
      }
      case "timer" -> inputs.add(new RunMachine.TimerFired(at(entry), required(entry, "timer")));
      case "decide" -> {
        Decision decision = new Decision(entry.containsKey("approved"), required(entry, "by"),
            Optional.ofNullable(entry.get("comment")));
        inputs.add(new RunMachine.Decide(at(entry), required(entry, "wait"), decision));
      }
      case "callback" -> inputs.add(new RunMachine.Callback(at(entry), required(entry, "wait"),
          entry.getOrDefault("payload", "")));
      case "cancel" -> inputs.add(new RunMachine.Cancel(at(entry)));
      case "ended" -> inputs.add(new RunMachine.SessionEnded(at(entry), required(entry, "stage"),
          number(entry, "stopped")));
      case "lock-granted" -> inputs.add(new RunMachine.LockGranted(at(entry), required(entry, "stage"),
          required(entry, "lock")));
      case "lock-lost" -> inputs.add(new RunMachine.LockLost(at(entry), required(entry, "stage"),
          required(entry, "lock"), Optional.ofNullable(entry.get("by"))));
      case "token" -> tokens.put(required(entry, "wait"), required(entry, "hash"));
      case "step" -> {
        String exit = entry.get("exit");
        stages.computeIfAbsent(required(entry, "stage"), k -> new StageRecord()).steps.add(new RunResult.StepResult(
            required(entry, "label"), RunResult.Status.valueOf(required(entry, "status")),
            exit == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(exit)),
            Duration.ofMillis(Long.parseLong(required(entry, "ms"))), entry.getOrDefault("detail", "")));
      }
      case "stage-end" -> {
        String id = required(entry, "stage");
        StageRecord stage = stages.computeIfAbsent(id, k -> new StageRecord());
        stage.result = new RunResult.StageResult(id, RunResult.Status.valueOf(required(entry, "status")),
            Optional.ofNullable(entry.get("reason")), Duration.ofMillis(Long.parseLong(required(entry, "ms"))),
            stage.steps);
        stage.digest = entry.get("digest");
      }
      case "handed" -> noteHanded(entry);
      case "run-end" -> {
        finalStatus = RunResult.Status.valueOf(required(entry, "status"));
        finalDuration = Duration.ofMillis(Long.parseLong(required(entry, "ms")));
      }
      default -> throw new IllegalArgumentException("unknown kind '" + type + "'");
    }
  }

  private static RunMachine.Outcome outcome(Map<String, String> entry) {
    String exit = entry.get("exit");
    return new RunMachine.Outcome(RunResult.Status.valueOf(required(entry, "status")),
        exit == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(exit)), entry.getOrDefault("detail", ""),
        Optional.ofNullable(entry.get("digest")));
  }

  private static Instant at(Map<String, String> entry) {
    return Instant.parse(required(entry, "at"));
  }

  private static int number(Map<String, String> entry, String field) {
    return Integer.parseInt(required(entry, field));
  }

  private static String required(Map<String, String> entry, String field) {
    String value = entry.get(field);
    if (value == null) {
      throw new IllegalArgumentException("it has no '" + field + "'");
    }
    return value;
  }
}
