package dev.otto.temporal.internal;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** One run of a plan. The host starts it, answers its waits with updates, and reads it with queries. */
@WorkflowInterface
public interface RunWorkflow {
  String TYPE = "OttoRun";

  @WorkflowMethod(name = TYPE)
  Messages.RunRecord run(Messages.RunInput input);

  /** Decides an approval; refused, with a {@link Refusals} type, unless the validator accepts it. */
  @UpdateMethod(name = "decide")
  void decide(Messages.DecideRequest request);

  @UpdateValidatorMethod(updateName = "decide")
  void validateDecide(Messages.DecideRequest request);

  /** Resolves a webhook wait with the caller's payload. */
  @UpdateMethod(name = "callback")
  void callback(Messages.CallbackRequest request);

  @UpdateValidatorMethod(updateName = "callback")
  void validateCallback(Messages.CallbackRequest request);

  /** Stops the run: running steps and waits end, nothing new starts. */
  @SignalMethod(name = "cancel")
  void cancel();

  /** What the line of a lock the run asked for decided for one of its stages. */
  @SignalMethod(name = "lockNotice")
  void lockNotice(Messages.LockNotice notice);

  @QueryMethod(name = "view")
  Messages.RunView view();

  /** The run's events from index {@code from} on. */
  @QueryMethod(name = "events")
  List<Messages.EventRecord> events(int from);
}
