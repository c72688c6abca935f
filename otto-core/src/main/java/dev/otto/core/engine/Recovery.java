package dev.otto.core.engine;

import dev.otto.core.journal.JournalException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A run's state as its journal entries tell it: what the engine needs to take the run over. */
final class Recovery {
  final String runId;
  final String pipeline;
  final String fingerprint;
  final Instant started;
  final int entries;
  final Map<String, StageRecord> stages = new LinkedHashMap<>();
  /** Waits that ended, with the outcome that ended them. */
  final List<EndedWait> endedWaits = new ArrayList<>();
  RunResult.Status finalStatus;
  Duration finalDuration;

  /** What one stage had done. */
  static final class StageRecord {
    final Instant started;
    int next;
    boolean failed;
    boolean interrupted;
    String reason;
    final List<RunResult.StepResult> steps = new ArrayList<>();
    RunResult.StageResult result;
    String digest;
    PendingRecord wait;

    StageRecord(Instant started) {
      this.started = started;
    }
  }

  /** A wait that had begun and not ended. */
  record PendingRecord(int op, String tokenHash, Instant deadline) {}

  /** A wait that ended: op {@code op} of stage {@code stage}; {@code tokenHash} is null but for a webhook. */
  record EndedWait(String stage, int op, String tokenHash, String outcome) {}

  private Recovery(String runId, Map<String, String> first, int entries) {
    this.runId = runId;
    this.pipeline = first.get("pipeline");
    this.fingerprint = first.get("fingerprint");
    this.started = Instant.parse(first.get("started"));
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
    Recovery recovery = new Recovery(runId, first, entries.size());
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

  private void apply(Map<String, String> entry) {
    String type = entry.get("t");
    switch (type) {
      case "resumed" -> { }
      case "stage" -> stages.put(required(entry, "stage"), new StageRecord(Instant.parse(required(entry, "at"))));
      case "op" -> {
        StageRecord stage = stage(entry);
        int op = Integer.parseInt(required(entry, "op"));
        stage.next = op + 1;
        stage.failed = entry.containsKey("failed");
        stage.interrupted = entry.containsKey("interrupted");
        stage.reason = entry.get("reason");
        if (stage.wait != null && stage.wait.op() == op) {
          endedWaits.add(new EndedWait(required(entry, "stage"), op, stage.wait.tokenHash(),
              entry.getOrDefault("outcome", "cancelled")));
          stage.wait = null;
        }
        if (entry.containsKey("label")) {
          String exit = entry.get("exit");
          stage.steps.add(new RunResult.StepResult(entry.get("label"), RunResult.Status.valueOf(required(entry, "status")),
              exit == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(exit)),
              Duration.ofMillis(Long.parseLong(required(entry, "ms"))), entry.getOrDefault("detail", "")));
        }
      }
      case "wait" -> {
        StageRecord stage = stage(entry);
        stage.wait = new PendingRecord(Integer.parseInt(required(entry, "op")), entry.get("token"),
            Instant.parse(required(entry, "deadline")));
      }
      case "stage-end" -> {
        String id = required(entry, "stage");
        StageRecord stage = stages.computeIfAbsent(id, k -> new StageRecord(null));
        stage.result = new RunResult.StageResult(id, RunResult.Status.valueOf(required(entry, "status")),
            Optional.ofNullable(entry.get("reason")), Duration.ofMillis(Long.parseLong(required(entry, "ms"))),
            stage.steps);
        stage.digest = entry.get("digest");
        if (stage.wait != null) {
          endedWaits.add(new EndedWait(id, stage.wait.op(), stage.wait.tokenHash(), "cancelled"));
        }
        stage.wait = null;
      }
      case "run-end" -> {
        finalStatus = RunResult.Status.valueOf(required(entry, "status"));
        finalDuration = Duration.ofMillis(Long.parseLong(required(entry, "ms")));
      }
      default -> throw new IllegalArgumentException("unknown kind '" + type + "'");
    }
  }

  private StageRecord stage(Map<String, String> entry) {
    String id = required(entry, "stage");
    StageRecord stage = stages.get(id);
    if (stage == null || stage.result != null) {
      throw new IllegalArgumentException("stage '" + id + "' is not running");
    }
    return stage;
  }

  private static String required(Map<String, String> entry, String field) {
    String value = entry.get(field);
    if (value == null) {
      throw new IllegalArgumentException("it has no '" + field + "'");
    }
    return value;
  }
}
