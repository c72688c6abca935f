package dev.otto.core.engine;

import dev.otto.core.plan.Plan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A run that had ended when it was resumed: its result is the journal's. */
final class FinishedRun implements RunHandle {
  private final RunResult result;

  private FinishedRun(RunResult result) {
    this.result = result;
  }

  static FinishedRun of(Plan plan, Recovery recovery) {
    List<RunResult.StageResult> stages = plan.stages().stream().map(s -> {
      Recovery.StageRecord record = recovery.stages.get(s.id());
      return record != null && record.result != null ? record.result
          : new RunResult.StageResult(s.id(), RunResult.Status.SKIPPED, Optional.of("the run ended before it started"),
              Duration.ZERO, List.of());
    }).toList();
    return new FinishedRun(new RunResult(recovery.runId, plan.pipeline(), recovery.finalStatus, recovery.finalDuration,
        stages));
  }

  @Override
  public String id() {
    return result.run();
  }

  @Override
  public void cancel() {}

  @Override
  public CompletableFuture<RunResult> result() {
    return CompletableFuture.completedFuture(result);
  }

  @Override
  public List<PendingWait> waits() {
    return List.of();
  }

  @Override
  public void decide(String waitId, Decision decision) {
    throw new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_WAIT, "run '" + id() + "' has ended ("
        + result.status() + "); it has no pending waits");
  }

  @Override
  public RunSnapshot snapshot() {
    Map<String, String> stages = new LinkedHashMap<>();
    result.stages().forEach(s -> stages.put(s.id(), s.status().name().toLowerCase(Locale.ROOT)));
    return new RunSnapshot(id(), result.pipeline(), result.status().name().toLowerCase(Locale.ROOT), stages, List.of());
  }
}
