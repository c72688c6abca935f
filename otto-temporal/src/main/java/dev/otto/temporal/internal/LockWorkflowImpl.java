package dev.otto.temporal.internal;

import dev.otto.core.engine.LockLine;
import dev.otto.core.model.LockMode;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps one lock's {@link LockLine} in its history, taking requests and releases in the order
 * they came, and signals each run what the line decided. A run whose workflow no longer takes
 * signals (it ended, or was terminated) is taken out of line. It continues as new every so many
 * signals, with the line as it stands, so that its history stays short.
 */
public class LockWorkflowImpl implements LockWorkflow {
  /** Signals handled before the workflow continues as new. */
  static final int SIGNALS_PER_HISTORY = 500;

  private final ArrayDeque<Object> inbox = new ArrayDeque<>();
  /** Every run counts as running until signalling it fails: a run's workflow is durable. */
  private static final Predicate<String> RUNNING = run -> true;

  @Override
  public void line(Messages.LockInput input) {
    LockLine line = new LockLine(input.line().stream().map(e -> new LockLine.Request(e.run(), e.stage(),
        LockMode.valueOf(e.mode()), LockLine.State.valueOf(e.state()), e.by())).toList());
    for (int handled = 0; handled < SIGNALS_PER_HISTORY; handled++) {
      Workflow.await(() -> !inbox.isEmpty());
      handle(input.lock(), line, inbox.poll());
    }
    while (!inbox.isEmpty()) {
      handle(input.lock(), line, inbox.poll());
    }
    Workflow.continueAsNew(new Messages.LockInput(input.lock(), line.requests().stream()
        .map(r -> new Messages.LockEntry(r.run(), r.stage(), r.mode().name(), r.state().name(), r.by())).toList()));
  }

  private void handle(String lock, LockLine line, Object signal) {
    if (signal instanceof Messages.LockRequest r) {
      tell(lock, line, line.request(LockMode.valueOf(r.mode()), r.run(), r.stage(), r.held(), RUNNING));
    } else if (signal instanceof Messages.LockRelease r) {
      tell(lock, line, line.release(r.run(), r.stage(), RUNNING));
    }
  }

  /** Signals each notice to its run; a run that cannot be signalled leaves the line, which may grant the lock on. */
  private void tell(String lock, LockLine line, List<LockLine.Notice> notices) {
    for (LockLine.Notice notice : notices) {
      RunWorkflow run = Workflow.newExternalWorkflowStub(RunWorkflow.class, notice.run());
      Promise<Void> sent = io.temporal.workflow.Async.procedure(run::lockNotice, new Messages.LockNotice(
          notice.stage(), lock, notice.granted(), notice.byRun().orElse(null)));
      try {
        sent.get();
      } catch (RuntimeException gone) {
        tell(lock, line, line.forget(notice.run(), RUNNING));
      }
    }
  }

  @Override
  public void request(Messages.LockRequest request) {
    inbox.add(request);
  }

  @Override
  public void release(Messages.LockRelease release) {
    inbox.add(release);
  }
}
