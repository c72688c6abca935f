package dev.otto.temporal.internal;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Optional;

/** Runs a poll's probe until it succeeds, continuing as new every so many probes. */
public class PollWorkflowImpl implements PollWorkflow {

  @Override
  public Messages.PollRecord poll(Messages.PollTask task) {
    StageActivities activities = Workflow.newActivityStub(StageActivities.class,
        RunWorkflowImpl.options(task.queue(), Optional.ofNullable(task.probe().timeoutMillis()).map(Duration::ofMillis),
            task.settings()));
    long interval = task.intervalMillis();
    int perHistory = task.settings().probesPerHistory();
    for (int probes = 0; probes < perHistory; probes++) {
      Messages.StepRecord outcome;
      try {
        outcome = activities.runProcess(task.probe());
      } catch (ActivityFailure failure) {
        outcome = null;
      }
      int attempts = task.attempts() + probes + 1;
      if (outcome != null && outcome.status().equals("SUCCEEDED")) {
        return new Messages.PollRecord(true, attempts, outcome.detail());
      }
      Workflow.sleep(Duration.ofMillis(interval));
      interval = (long) Math.max(interval, Math.min(interval * task.backoff(), task.maxIntervalMillis()));
    }
    PollWorkflow next = Workflow.newContinueAsNewStub(PollWorkflow.class);
    return next.poll(new Messages.PollTask(task.probe(), task.queue(), interval, task.backoff(),
        task.maxIntervalMillis(), task.attempts() + perHistory, task.settings()));
  }
}
