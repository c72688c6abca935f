package dev.otto.temporal;

import dev.otto.core.OttoException;
import dev.otto.core.engine.Decision;
import dev.otto.core.engine.PendingWait;
import dev.otto.core.engine.RunEvent;
import dev.otto.core.engine.RunHandle;
import dev.otto.core.engine.RunListener;
import dev.otto.core.engine.RunResult;
import dev.otto.core.engine.RunSnapshot;
import dev.otto.core.engine.WaitRefusedException;
import dev.otto.temporal.internal.Messages;
import dev.otto.temporal.internal.Refusals;
import dev.otto.temporal.internal.RunWorkflow;
import dev.otto.temporal.internal.Translate;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A run on Temporal, seen from the host: queries, updates and a signal to its workflow. */
final class TemporalRun implements RunHandle {
  private static final Logger LOG = LoggerFactory.getLogger(TemporalRun.class);

  private final TemporalEngine engine;
  private final String id;
  private final String pipeline;
  private final List<String> stages;
  private final RunWorkflow workflow;
  private volatile CompletableFuture<RunResult> result;
  /** The workflow's own result, which comes before the listeners have had the last events. */
  private volatile CompletableFuture<RunResult> ended;
  /** Done once the listeners have had the run's events, or the engine stopped following it. */
  private volatile CompletableFuture<Void> followed = CompletableFuture.completedFuture(null);
  private int delivered;
  /** Reads of the events that failed after the workflow ended. */
  private int failedAfterEnd;
  private ScheduledFuture<?> following;

  TemporalRun(TemporalEngine engine, String id, String pipeline, List<String> stages) {
    this.engine = engine;
    this.id = id;
    this.pipeline = pipeline;
    this.stages = List.copyOf(stages);
    this.workflow = engine.client.newWorkflowStub(RunWorkflow.class, id);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void cancel() {
    try {
      workflow.cancel();
    } catch (WorkflowNotFoundException e) {
      LOG.debug("run {} had ended when it was cancelled", id);
    }
  }

  /**
   * Completes after the engine's listeners have had every event of the run, as on the local
   * engine, or once the engine stops following it ({@link TemporalEngine#close}).
   */
  @Override
  public CompletableFuture<RunResult> result() {
    CompletableFuture<RunResult> current = result;
    if (current == null) {
      synchronized (this) {
        if (result == null) {
          result = ended().thenCompose(finished -> followed.handle((done, failure) -> finished));
        }
        current = result;
      }
    }
    return current;
  }

  /** The workflow's result, as soon as the workflow ends. */
  CompletableFuture<RunResult> ended() {
    CompletableFuture<RunResult> current = ended;
    if (current == null) {
      synchronized (this) {
        if (ended == null) {
          ended = WorkflowStub.fromTyped(workflow).getResultAsync(Messages.RunRecord.class)
              .handle((record, failure) -> record != null ? Translate.result(record) : unfinished(failure));
        }
        current = ended;
      }
    }
    return current;
  }

  /** The result of a workflow that ended without one: terminated by an operator, say. */
  private RunResult unfinished(Throwable failure) {
    String why = "the run's workflow ended without a result: " + rootMessage(failure);
    LOG.warn("run {}: {}", id, why);
    return new RunResult(id, pipeline, RunResult.Status.FAILED, Duration.ZERO, stages.stream()
        .map(stage -> new RunResult.StageResult(stage, RunResult.Status.CANCELLED, Optional.of(why), Duration.ZERO,
            List.of())).toList());
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  Messages.RunView view() {
    return workflow.view();
  }

  @Override
  public List<PendingWait> waits() {
    try {
      return view().waits().stream().map(w -> Translate.wait(id, w)).toList();
    } catch (WorkflowNotFoundException e) {
      return List.of();
    }
  }

  @Override
  public RunSnapshot snapshot() {
    return Translate.snapshot(view());
  }

  @Override
  public void decide(String waitId, Decision decision) {
    java.util.Objects.requireNonNull(waitId, "waitId");
    java.util.Objects.requireNonNull(decision, "decision");
    try {
      workflow.decide(new Messages.DecideRequest(waitId, decision.approved(), decision.by(),
          decision.comment().orElse(null)));
    } catch (WorkflowNotFoundException e) {
      throw new WaitRefusedException(WaitRefusedException.Reason.UNKNOWN_RUN, "no run '" + id
          + "' is in progress on this cluster");
    } catch (WorkflowException e) {
      throw refusal(e, WaitRefusedException.Reason.UNKNOWN_RUN, "run '" + id + "' has ended");
    }
  }

  PendingWait callback(String waitId, String payload) {
    PendingWait wait;
    try {
      wait = waits().stream().filter(w -> w.id().equals(waitId)).findFirst().orElse(null);
      workflow.callback(new Messages.CallbackRequest(waitId, payload));
    } catch (WorkflowNotFoundException e) {
      throw new WaitRefusedException(WaitRefusedException.Reason.EXPIRED, "the token's run has ended; a late callback "
          + "changes nothing");
    } catch (WorkflowException e) {
      throw refusal(e, WaitRefusedException.Reason.EXPIRED, "the token's run has ended; a late callback changes nothing");
    }
    if (wait == null) {
      throw new OttoException("the callback of wait '" + waitId + "' of run '" + id + "' was taken, but the wait was "
          + "not listed before it");
    }
    return wait;
  }

  private static RuntimeException refusal(WorkflowException e, WaitRefusedException.Reason otherwise, String why) {
    Optional<WaitRefusedException> refused = Refusals.of(e);
    if (refused.isPresent()) {
      return refused.get();
    }
    LOG.debug("an update was not taken: {}", e.toString());
    return new WaitRefusedException(otherwise, why);
  }

  /** Delivers the run's events to the engine's listeners, in order, until the run ends. */
  void follow() {
    if (engine.listeners.isEmpty()) {
      ended().whenComplete((r, e) -> engine.forget(this));
      return;
    }
    followed = new CompletableFuture<>();
    long every = engine.eventPollInterval.toMillis();
    try {
      following = engine.followers.scheduleWithFixedDelay(this::deliver, 0, every, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      stopFollowing();
    }
  }

  private synchronized void deliver() {
    // Read before the events: a workflow that had ended then has recorded every event the read returns.
    boolean hadEnded = ended().isDone();
    List<Messages.EventRecord> fresh;
    try {
      fresh = workflow.events(delivered);
    } catch (WorkflowNotFoundException e) {
      stopFollowing();
      return;
    } catch (RuntimeException e) {
      LOG.debug("run {}: events could not be read yet: {}", id, e.toString());
      if (hadEnded && ++failedAfterEnd >= 5) {
        // A workflow an operator terminated may answer no query: its result says what became of it.
        LOG.warn("run {}: its last events could not be read after it ended: {}", id, e.toString());
        stopFollowing();
      }
      return;
    }
    for (Messages.EventRecord record : fresh) {
      delivered++;
      Optional<String> token = record.type().equals("WaitStarted") && "await-webhook".equals(record.kind())
          ? Optional.of(engine.tokens.make(id, record.waitId())) : Optional.empty();
      RunEvent event = Translate.event(id, record, token);
      for (RunListener listener : engine.listeners) {
        try {
          listener.onEvent(event);
        } catch (RuntimeException e) {
          LOG.warn("a run listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
        }
      }
      if (event instanceof RunEvent.RunFinished) {
        stopFollowing();
        return;
      }
    }
    if (hadEnded) {
      // Ended without a RunFinished (terminated, say): every event it recorded is delivered.
      stopFollowing();
    }
  }

  /** Stops following the run: its listeners get no more events, and its result completes. */
  void stopFollowing() {
    engine.forget(this);
    if (following != null) {
      following.cancel(false);
    }
    followed.complete(null);
  }
}
